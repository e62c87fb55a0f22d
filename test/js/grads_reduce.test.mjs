// Sum's and Mean's gradients: on 'cwasm' they broadcast dy instead of
// multiplying it by a JS-filled tensor of ones (js/gradients.js). The values
// must equal tfjs-backend-cpu's bit for bit, for every axis choice, keepDims,
// an int32 input and a non-trivial upstream gradient; and on 'cpu' tfjs-core's
// own gradient must still run (it multiplies by ones: a Multiply kernel).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const SHAPE = [4, 6, 6, 5];
const x = () => tf.tensor(randomValues(4 * 6 * 6 * 5, 11, -3, 3), SHAPE);
const weights = (shape) => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), 12, -2, 2), shape);

const AXES = [undefined, 0, -1, [0, 1, 2], [1, 3], [0, 1, 2, 3]];

for (const [name, op] of [['sum', tf.sum], ['mean', tf.mean]]) {
  for (const axis of AXES) {
    for (const keepDims of [false, true]) {
      test(`${name} gradient, axis ${JSON.stringify(axis)}, keepDims ${keepDims}: equals cpu's exactly`, async () => {
        await matchesCpu(() => {
          const a = x();
          const outShape = op(a, axis, keepDims).shape;
          // A weighted sum of the reduction, so dy is not all ones.
          const w = weights(outShape);
          return tf.grad((t) => tf.sum(tf.mul(op(t, axis, keepDims), w)))(a);
        }, 0, 0, `${name} ${JSON.stringify(axis)}`);
      });
    }
  }
}

test('sum gradient of an int32 input equals cpu\'s (float32 ones of the input shape)', async () => {
  await matchesCpu(() => tf.grad((t) => tf.sum(t, 1))(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32')), 0, 0, 'int32 sum');
});

test('batch statistics through tf.moments: gradient equals cpu\'s', async () => {
  await matchesCpu(() => tf.grad((t) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return tf.sum(tf.add(tf.mul(mean, 3), variance));
  })(x()), 1e-6, 1e-7, 'moments');
});

test('the cwasm gradient runs Tile, not a Multiply by ones; cpu keeps tfjs-core\'s', async () => {
  const kernelsOf = async (backend) => {
    await tf.setBackend(backend);
    const a = x();
    const p = await tf.profile(() => tf.grad((t) => tf.mean(t, [0, 1, 2]))(a));
    a.dispose();
    p.result.dispose?.();
    return p.kernelNames;
  };
  const onCwasm = await kernelsOf('cwasm');
  const onCpu = await kernelsOf('cpu');
  assert.ok(onCwasm.includes('Tile') && !onCwasm.includes('Multiply'), `cwasm ran ${onCwasm}`);
  assert.ok(onCpu.includes('Multiply'), `cpu ran ${onCpu}`);
});
