// The backend program's Emscripten glue (js/loader.js loadWasm). The scalar
// and SIMD builds share one glue: the two generated files differ only in the
// default .wasm name, which cwasm never uses (it instantiates the variant's
// file itself); scripts/bundle.mjs checks that.
import createSingleThreaded from '../build/wasm/dist/cwasm-simd.js';
import createThreads from '../build/wasm/dist/cwasm-threads.js';

export const BACKEND_PROGRAM = {
  name: 'cwasm',
  factories: { scalar: createSingleThreaded, simd: createSingleThreaded, threads: createThreads },
};
