// Starting the backend an example page or Worker asked for: 'cwasm' (this
// package), or tfjs-backend-wasm / tfjs-backend-cpu 4.22 for comparison.
// Falls back as a user would want and says why: no cross-origin isolation
// -> cwasm's single-threaded SIMD variant; no SIMD128 -> its scalar variant.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';

import * as cwasm from '../../dist/tfjs-backend-cwasm.esm.js';

export const BACKENDS = ['cwasm', 'wasm', 'cpu'];

/** Where the .wasm files are served (the repository root is served as '/'). */
const WASM_PATHS = { cwasm: '/dist/', wasm: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/' };

/** The default thread count: the cores, at most 8 (what cwasm itself picks). */
export function defaultThreads() {
  const n = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(8, n));
}

let started = null; // {key, promise}: one backend per page or Worker

/**
 * Starts `backend` with `threads` threads and makes it tfjs-core's backend.
 * Once per page or Worker (thread counts are fixed at start-up): later calls
 * with the same options return the same promise.
 * @param {{backend: string, threads: number}} options
 * @returns {Promise<{backend: string, variant: string, threads: number, isolated: boolean, simd: boolean, notes: string[]}>}
 */
export function startBackend({ backend, threads }) {
  const key = `${backend}/${threads}`;
  if (started && started.key !== key) {
    return Promise.reject(new Error(`the backend is already ${started.key}; reload the page to change it`));
  }
  if (!started) started = { key, promise: start(backend, threads) };
  return started.promise;
}

async function start(backend, threads) {
  if (!BACKENDS.includes(backend)) {
    throw new Error(`unknown backend '${backend}': choose one of ${BACKENDS.join(', ')}`);
  }
  const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
  const simd = cwasm.simdSupported();
  const notes = [];
  if (!isolated && simd && threads > 1 && backend !== 'cpu') {
    notes.push('This page is not cross-origin isolated (it needs the COOP/COEP headers), so ' +
        'SharedArrayBuffer and wasm threads are unavailable: running on one thread.');
  }
  if (!simd && backend !== 'cpu') notes.push('This browser has no WebAssembly SIMD128: running the scalar build on one thread.');
  if (backend === 'cwasm') {
    cwasm.setWasmPaths(WASM_PATHS.cwasm);
    // The threaded build is SIMD128 + threads: without SIMD, the scalar build (one thread).
    const variant = !simd ? 'scalar' : isolated && threads > 1 ? 'threads' : 'simd';
    if (variant === 'threads') cwasm.setThreadsCount(threads);
    cwasm.setVariant(variant);
  } else if (backend === 'wasm') {
    tfwasm.setWasmPaths(WASM_PATHS.wasm);
    tfwasm.setThreadsCount(isolated ? threads : 1);
  }
  if (!(await tf.setBackend(backend))) {
    throw new Error(`the '${backend}' backend failed to start (see the console for the reason)`);
  }
  await tf.ready();
  if (backend === 'cwasm') {
    const info = cwasm.getBackendInfo();
    return { backend, variant: info.variant, threads: info.threads, isolated, simd, notes };
  }
  if (backend === 'wasm') {
    const n = tfwasm.getThreadsCount();
    return { backend, variant: (simd ? 'simd' : 'scalar') + (n > 1 ? '+threads' : ''), threads: n, isolated, simd, notes };
  }
  return { backend, variant: 'js', threads: 1, isolated, simd, notes };
}
