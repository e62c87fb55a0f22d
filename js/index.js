/**
 * tfjs-backend-cwasm: registers the WebAssembly backend 'cwasm' with TF.js.
 *
 *   import * as tf from '@tensorflow/tfjs';
 *   import 'tfjs-backend-cwasm';
 *   await tf.setBackend('cwasm');
 */
import { registerBackend, registerKernel } from '@tensorflow/tfjs-core';

import { BackendCwasm } from './backend.js';
import { registerGradients } from './gradients.js';
import { BACKEND_PROGRAM } from './glue_backend.js';
import { loadWasm } from './loader.js';
import { KERNELS } from './register_all.js';

export { BackendCwasm } from './backend.js';
export {
  setWasmPaths, setThreadsCount, setVariant, setInstantiate, setWasmBinaries,
  simdSupported, threadsSupported, chooseVariant,
} from './loader.js';

export const version = '0.1.0';
export const BACKEND_NAME = 'cwasm';

let current = null;

registerBackend(BACKEND_NAME, async () => {
  const { wasm, info } = await loadWasm(BACKEND_PROGRAM);
  current = new BackendCwasm(wasm, info);
  registerGradients();
  return current;
}, 2);

for (const config of KERNELS) registerKernel({ ...config, backendName: BACKEND_NAME });

/** {variant, threads, vec} of the running backend, or null before it starts. */
export function getBackendInfo() { return current ? { ...current.info } : null; }

/** Threads in use by the running backend (1 before it starts). */
export function getThreadsCount() { return current ? current.info.threads : 1; }
