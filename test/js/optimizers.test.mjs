// Every tfjs optimizer (sgd, momentum, rmsprop with and without momentum and
// centered, adam, adagrad, adadelta, adamax) takes the same steps on
// 'cwasm' as on tfjs-backend-cpu: 15 minimize() steps on a loss with a
// matrix product, a nonlinearity and a sum, from the same start.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertClose, randomValues, tf } from './helpers.mjs';

const OPTIMIZERS = {
  'sgd(0.1)': () => tf.train.sgd(0.1),
  'momentum(0.05, 0.9)': () => tf.train.momentum(0.05, 0.9),
  'momentum(0.05, 0.9, nesterov)': () => tf.train.momentum(0.05, 0.9, true),
  'rmsprop(0.01)': () => tf.train.rmsprop(0.01),
  // Centered with epsilon 0: tfjs-core 4.22 subtracts epsilon under the
  // square root of the centered form, which makes the first step NaN on any
  // backend for small gradients when epsilon > 0.
  'rmsprop(0.01, 0.9, 0.5, 0, centered)': () => tf.train.rmsprop(0.01, 0.9, 0.5, 0, true),
  'adam(0.05)': () => tf.train.adam(0.05),
  'adagrad(0.2)': () => tf.train.adagrad(0.2),
  'adadelta(1)': () => tf.train.adadelta(1),
  'adamax(0.05)': () => tf.train.adamax(0.05),
};

const STEPS = 15;

/** The weights and losses along STEPS steps of optimizer on backend. */
async function descend(backend, make) {
  await tf.setBackend(backend);
  const w = tf.variable(tf.tensor2d(randomValues(6 * 4, 11), [6, 4]));
  const b = tf.variable(tf.tensor1d(randomValues(4, 12)));
  const x = tf.tensor2d(randomValues(5 * 6, 13), [5, 6]);
  const target = tf.tensor2d(randomValues(5 * 4, 14, 0, 1), [5, 4]);
  const optimizer = make();
  const losses = [];
  for (let i = 0; i < STEPS; i++) {
    const loss = optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.sigmoid(tf.add(tf.matMul(x, w), b)), target))), true);
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  const out = [{ shape: w.shape, dtype: w.dtype, values: Array.from(w.dataSync()) },
    { shape: b.shape, dtype: b.dtype, values: Array.from(b.dataSync()) }];
  optimizer.dispose();
  tf.dispose([w, b, x, target]);
  return { out, losses };
}

for (const [name, make] of Object.entries(OPTIMIZERS)) {
  test(`${name} takes the cpu backend's steps`, async () => {
    await tf.setBackend('cpu');
    const start = tf.memory().numTensors;
    const want = await descend('cpu', make);
    const afterCpu = tf.memory().numTensors;
    const got = await descend('cwasm', make);
    assertClose(got.out, want.out, 1e-4, 1e-6, name);
    for (let i = 0; i < STEPS; i++) {
      assert.ok(Math.abs(got.losses[i] - want.losses[i]) <= 1e-5 * Math.abs(want.losses[i]) + 1e-7,
          `step ${i}: loss ${got.losses[i]}, cpu ${want.losses[i]}`);
    }
    assert.ok(want.losses[STEPS - 1] < want.losses[0], `${name} descends`);
    // The optimizers keep a few scalars beyond dispose() on any backend;
    // 'cwasm' must not keep more.
    assert.equal(tf.memory().numTensors - afterCpu, afterCpu - start, 'tensors left behind, cwasm vs cpu');
  });
}
