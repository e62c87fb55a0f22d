// Shared helpers of the Node tests: the built backend, tfjs-backend-cpu as
// the reference, and comparison of tensors computed on both.
import assert from 'node:assert/strict';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node build does not register its ops' gradients (the tfjs union
// package does, through tfjs-core/dist/register_all_gradients, an ES module
// Node cannot load as it is). tfjs-layers' Node bundle carries them and
// registers them, in tfjs-core's global registry, when it is imported.
import '@tensorflow/tfjs-layers';
import * as cwasm from '../../dist/tfjs-backend-cwasm.node.mjs';
// The browser tests' op list, a classic script: it also defines the inputs' generator.
import '../browser/ops.js';

export { tf, cwasm };

/** Runs fn on a backend and returns {shape, dtype, values} of its tensor result(s). */
export async function runOn(backend, fn) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const r = fn();
    const list = Array.isArray(r) ? r : [r];
    return list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  });
}

/** Asserts a and b (lists from runOn) agree: same shapes/dtypes, values within rtol. */
export function assertClose(a, b, rtol = 1e-5, atol = 1e-6, what = '') {
  assert.equal(a.length, b.length, `${what}: output count`);
  for (let i = 0; i < a.length; i++) {
    assert.deepEqual(a[i].shape, b[i].shape, `${what}: shape of output ${i}`);
    assert.equal(a[i].dtype, b[i].dtype, `${what}: dtype of output ${i}`);
    const x = a[i].values, y = b[i].values;
    for (let j = 0; j < x.length; j++) {
      const ok = (Number.isNaN(x[j]) && Number.isNaN(y[j])) || x[j] === y[j] ||
          Math.abs(x[j] - y[j]) <= atol + rtol * Math.abs(y[j]);
      if (!ok) assert.fail(`${what}: output ${i} element ${j} is ${x[j]}, cpu gives ${y[j]}`);
    }
  }
}

/** Compares fn on 'cwasm' against 'cpu'. */
export async function matchesCpu(fn, rtol = 1e-5, atol = 1e-6, what = '') {
  const want = await runOn('cpu', fn);
  const got = await runOn('cwasm', fn);
  assertClose(got, want, rtol, atol, what);
}

/**
 * Deterministic pseudo-random values in [lo, hi) (an LCG; the browser
 * tests make their inputs with the same function).
 * @returns {Float32Array}
 */
export function randomValues(n, seed = 1, lo = -1, hi = 1) {
  return globalThis.cwasmRandomValues(n, seed, lo, hi);
}
