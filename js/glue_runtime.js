// The standalone runtime's Emscripten glue (js/loader.js loadWasm): its own
// program, the graph executor and the kernels its ops call. Scalar and SIMD
// share one glue, as the backend's do (scripts/bundle.mjs checks).
import createSingleThreaded from '../build/wasm/dist/cwasm-runtime-simd.js';
import createThreads from '../build/wasm/dist/cwasm-runtime-threads.js';

export const RUNTIME_PROGRAM = {
  name: 'cwasm-runtime',
  factories: { scalar: createSingleThreaded, simd: createSingleThreaded, threads: createThreads },
};
