// Running a function on one backend with its kernels recorded, and the error
// measure the model tests use to compare 'cwasm' with tfjs-backend-cpu.
import assert from 'node:assert/strict';

import { tf } from '../helpers.mjs';

/**
 * Switches to backend, failing clearly when it cannot start (a failed
 * tf.setBackend leaves no backend chosen; the cpu one is put back so the
 * tests after this one still run).
 */
export async function useBackend(backend) {
  if (tf.getBackend() === backend) return;
  if (await tf.setBackend(backend)) return;
  await tf.setBackend('cpu');
  assert.fail(`the '${backend}' backend did not initialise (tf.setBackend('${backend}') gave false; its error is logged above)`);
}

/**
 * Runs fn (returning a tensor or a list of tensors) on backend and returns
 * {outputs: [{shape, dtype, values: TypedArray}], kernels: [names], ms}.
 * With record, the kernels the engine dispatched are listed (tf.profile).
 * Tensors fn creates besides its results are disposed.
 */
export async function runRecorded(backend, fn, record = false) {
  await useBackend(backend);
  const start = performance.now();
  let kernels = [];
  let result;
  if (record) {
    const info = await tf.profile(() => tf.tidy(fn));
    result = info.result;
    // The profile also lists op scopes (fusedConv2d__op); keep real kernels.
    kernels = [...new Set(info.kernels.map((k) => k.name))]
        .filter((name) => tf.getKernel(name, backend) != null).sort();
  } else {
    result = tf.tidy(fn);
  }
  const list = Array.isArray(result) ? result : [result];
  const outputs = [];
  for (const t of list) {
    outputs.push({ shape: t.shape, dtype: t.dtype, values: await t.data() });
  }
  tf.dispose(list);
  return { outputs, kernels, ms: performance.now() - start };
}

/** The kernels of names that have no implementation registered for backend. */
export function missingKernels(names, backend = 'cwasm') {
  return names.filter((name) => tf.getKernel(name, backend) == null);
}

/** Fails, naming the kernels, when 'cwasm' lacks any kernel the cpu run used. */
export function assertHasKernels(names, what) {
  const missing = missingKernels(names);
  assert.deepEqual(missing, [],
      `${what}: 'cwasm' has no kernel for ${missing.join(', ')} (needed: ${names.join(', ')})`);
}

/**
 * Max relative error of got against want (the cpu result):
 *   max_i |got_i - want_i| / max(|want_i|, 1e-3 * max_j |want_j|)
 * Each element is judged against its own magnitude, but never against less
 * than a thousandth of the tensor's largest magnitude, so elements that
 * happen to be near zero (a logit crossing 0, a softmax tail) are not judged
 * against their own tiny size. NaN against NaN counts as equal, NaN against
 * a number as Infinity.
 */
export function maxRelError(got, want) {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const floor = Math.max(1e-3 * scale, Number.MIN_VALUE);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const a = got[i], b = want[i];
    let e;
    if (Number.isNaN(a) || Number.isNaN(b)) e = Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
    else e = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), floor);
    if (e > worst) { worst = e; at = i; }
  }
  return { error: worst, at };
}

/** Asserts two runRecorded output lists agree within tol (maxRelError); returns the errors. */
export function assertOutputsClose(got, want, tol, what, names = []) {
  assert.equal(got.length, want.length, `${what}: number of outputs`);
  const errors = [];
  for (let i = 0; i < want.length; i++) {
    const name = names[i] ?? `output ${i}`;
    assert.deepEqual(got[i].shape, want[i].shape, `${what}: shape of ${name}`);
    assert.equal(got[i].dtype, want[i].dtype, `${what}: dtype of ${name}`);
    const { error, at } = maxRelError(got[i].values, want[i].values);
    errors.push(error);
    assert.ok(error <= tol,
        `${what}: ${name} differs from cpu by ${error.toExponential(2)} (> ${tol}) ` +
        `at element ${at}: cwasm ${got[i].values[at]}, cpu ${want[i].values[at]}`);
  }
  return errors;
}
