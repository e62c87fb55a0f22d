// Normalisation kernels on 'cwasm' against tfjs-backend-cpu: batchNorm with
// parameters of length 1 and C (and missing offset / scale) at ranks 1..4,
// localResponseNormalization for radii 0..3 and wide windows, plus bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const t = (shape, seed, lo = -2, hi = 2) =>
  tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);

test('batchNorm matches cpu for parameter lengths 1 and C, with and without offset and scale', async () => {
  for (const shape of [[5], [3, 4], [2, 3, 5], [2, 4, 3, 7], [1, 2, 2, 16]]) {
    const C = shape[shape.length - 1];
    for (let mask = 0; mask < 64; mask++) {
      const len = (bit) => ((mask >> bit) & 1 ? C : 1);
      const noOffset = (mask >> 4) & 1, noScale = (mask >> 5) & 1;
      await matchesCpu(() => tf.batchNorm(t(shape, 1), t([len(0)], 2), t([len(1)], 3, 0.1, 2),
          noOffset ? undefined : t([len(2)], 4), noScale ? undefined : t([len(3)], 5), 0.01),
      1e-5, 1e-5, `batchNorm [${shape}] mask ${mask}`);
    }
  }
});

test('batchNorm uses the default epsilon and broadcasts 4-D parameters like cpu', async () => {
  await matchesCpu(() => tf.batchNorm(t([2, 3, 3, 4], 7), t([4], 8), t([4], 9, 0, 1)), 1e-5, 1e-5, 'default eps');
  await matchesCpu(() => tf.batchNorm(t([2, 3, 3, 4], 7), t([1, 1, 1, 4], 8), t([1, 1, 1, 4], 9, 0, 1),
      t([1, 1, 1, 4], 10), t([1, 1, 1, 4], 11), 1e-3), 1e-5, 1e-5, '4-D params');
});

test('localResponseNormalization matches cpu for radii 0..3 and wide windows', async () => {
  for (const shape of [[1, 3, 3, 1], [2, 2, 3, 5], [1, 4, 2, 8], [3, 3, 9], [1, 2, 2, 40]]) {
    for (const r of [0, 1, 2, 3, 10, 25]) {
      for (const [bias, alpha, beta] of [[1, 1, 0.5], [2, 1e-4, 0.75], [0.5, 0.3, 1]]) {
        await matchesCpu(() => tf.localResponseNormalization(t(shape, r + 3), r, bias, alpha, beta),
            1e-5, 1e-6, `lrn [${shape}] r=${r} ${bias} ${alpha} ${beta}`);
      }
    }
  }
});

test('bad norm arguments throw naming the kernel, leak nothing, and the next op works', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const before = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  const x = tf.ones([2, 3]);
  const one = tf.ones([3]);
  const cases = [
    [() => engine.runKernel('FusedBatchNorm', { x, mean: tf.ones([3]), variance: tf.ones([1, 3]) }, { varianceEpsilon: 0.001 }),
      /FusedBatchNorm: mean and variance must have equal ranks/],
    [() => engine.runKernel('FusedBatchNorm', { x, mean: tf.ones([0]), variance: one }, { varianceEpsilon: 0.001 }),
      /FusedBatchNorm: mean is empty/],
    [() => engine.runKernel('FusedBatchNorm', { x, mean: one, variance: one, offset: tf.ones([0]) }, { varianceEpsilon: 0.001 }),
      /FusedBatchNorm: offset is empty/],
    [() => engine.runKernel('LRN', { x: tf.ones([2, 3]) }, { depthRadius: 1, bias: 1, alpha: 1, beta: 0.5 }),
      /LRN: x must have rank 4/],
    [() => engine.runKernel('LRN', { x: tf.ones([1, 1, 1, 3]) }, { depthRadius: -2, bias: 1, alpha: 1, beta: 0.5 }),
      /LRN: depthRadius must be a non-negative integer, got -2/],
    [() => engine.runKernel('LRN', { x: tf.tensor([[[['a']]]], [1, 1, 1, 1], 'string') }, { depthRadius: 1, bias: 1, alpha: 1, beta: 0.5 }),
      /LRN: x must be numeric, got string/],
  ];
  for (const [fn, re] of cases) {
    tf.tidy(() => assert.throws(fn, (e) => e instanceof Error && re.test(e.message), `expected ${re}`));
    const v = tf.tidy(() => Array.from(tf.batchNorm(tf.tensor1d([3, 5]), tf.tensor1d([1]), tf.tensor1d([4]), undefined, undefined, 0).dataSync()));
    assert.deepEqual(v, [1, 2]);
  }
  tf.dispose([x, one]);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.backend().numDataIds(), dataIds);
});

test('int32 input is normalised as float32 and returned as int32', async () => {
  await tf.setBackend('cwasm');
  const y = tf.tidy(() => tf.batchNorm(tf.tensor1d([4, 8], 'int32'), tf.tensor1d([0]), tf.tensor1d([4]), undefined, undefined, 0));
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(Array.from(y.dataSync()), [2, 4]);
  y.dispose();
});
