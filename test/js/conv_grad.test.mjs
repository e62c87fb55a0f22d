// Convolution and pooling gradients on 'cwasm' against tfjs-backend-cpu,
// through tf.grads of the forward ops (so tfjs-core's gradient functions
// pick the kernels: Conv2DBackpropFilter / -Input, Conv3DBackpropFilterV2,
// the depthwise backprops, MaxPoolGrad, AvgPoolGrad and their 3-D forms),
// and bad gradient shapes called directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const rand = (shape, seed) => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

/** Gradients of sum(f(x, w) * r) with respect to x and w, r a fixed random weighting. */
function gradsOf(f, x, w) {
  const loss = (a, b) => {
    const y = f(a, b);
    return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, 99, 0.5, 1.5), y.shape)));
  };
  return tf.grads(loss)([x, w]);
}

const CONV_CASES = [
  // [x shape, filter shape, strides, pad, dataFormat, dilations]
  [[2, 9, 8, 3], [3, 3, 3, 5], 1, 'same', 'NHWC', 1],
  [[2, 9, 8, 3], [3, 3, 3, 5], 2, 'valid', 'NHWC', 1],
  [[1, 10, 11, 4], [2, 4, 4, 6], [2, 1], [[0, 0], [1, 2], [2, 1], [0, 0]], 'NHWC', 1],
  [[3, 4, 7, 6], [3, 2, 4, 2], 1, 'same', 'NCHW', 1],
  [[2, 28, 28, 1], [3, 3, 1, 16], 1, 'valid', 'NHWC', 1],
  [[2, 43, 50, 1], [2, 8, 1, 8], 1, 'valid', 'NHWC', 1],
];

for (const [xs, ws, strides, pad, dataFormat] of CONV_CASES) {
  test(`conv2d gradients x [${xs}] filter [${ws}] strides ${strides} pad ${JSON.stringify(pad)} ${dataFormat}`, async () => {
    await matchesCpu(() => gradsOf((a, b) => tf.conv2d(a, b, strides, pad, dataFormat), rand(xs, 1), rand(ws, 2)),
        1e-4, 1e-5);
  });
}

test('conv2dTranspose gradients', async () => {
  await matchesCpu(() => gradsOf((a, b) => tf.conv2dTranspose(a, b, [2, 9, 9, 3], 2, 'same'),
      rand([2, 5, 5, 4], 3), rand([3, 3, 3, 4], 4)), 1e-4, 1e-5);
});

test('conv3d gradients', async () => {
  for (const [strides, pad] of [[1, 'same'], [2, 'valid']]) {
    await matchesCpu(() => gradsOf((a, b) => tf.conv3d(a, b, strides, pad),
        rand([2, 5, 6, 4, 3], 5), rand([2, 3, 2, 3, 4], 6)), 1e-4, 1e-5, `strides ${strides} ${pad}`);
  }
});

const DEPTHWISE_CASES = [
  // [x shape, filter shape, strides, pad, dilations] (tfjs-core's gradient
  // takes dilation 1 only; the C kernels' dilations are tested natively)
  [[2, 9, 8, 3], [3, 3, 3, 1], 1, 'same', 1],
  [[2, 9, 8, 16], [3, 3, 16, 1], 2, 'same', 1],
  [[1, 10, 11, 4], [3, 2, 4, 3], 1, 'valid', 1],
  [[2, 7, 7, 5], [2, 2, 5, 2], 2, 'valid', 1],
];

for (const [xs, ws, strides, pad, dilations] of DEPTHWISE_CASES) {
  test(`depthwiseConv2d gradients x [${xs}] filter [${ws}] strides ${strides} ${pad} dilations ${dilations}`, async () => {
    await matchesCpu(() => gradsOf((a, b) => tf.depthwiseConv2d(a, b, strides, pad, 'NHWC', dilations),
        rand(xs, 7), rand(ws, 8)), 1e-4, 1e-5);
  });
}

const POOL_CASES = [
  // [x shape, filter, strides, pad]
  [[2, 8, 9, 3], 2, 2, 'valid'],
  [[2, 8, 9, 3], 3, 1, 'same'],
  [[1, 7, 7, 5], [3, 2], [2, 1], 'same'],
  [[2, 21, 112, 8], 2, 2, 'valid'],
];

for (const [xs, f, s, pad] of POOL_CASES) {
  test(`maxPool and avgPool gradients x [${xs}] window ${f} strides ${s} ${pad}`, async () => {
    await matchesCpu(() => {
      const x = rand(xs, 9);
      const max = tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a, f, s, pad), 1.5)))(x);
      const avg = tf.grad((a) => tf.sum(tf.mul(tf.avgPool(a, f, s, pad), 1.5)))(x);
      return [max, avg];
    }, 1e-5, 1e-6);
  });
}

test('maxPool gradient on ties, all-negative and -Infinity windows', async () => {
  await matchesCpu(() => {
    const values = randomValues(2 * 6 * 6 * 2, 11).map((v, i) => (i % 7 === 0 ? -Infinity : i % 3 === 0 ? 0.25 : -5 + v));
    const x = tf.tensor(values, [2, 6, 6, 2]);
    return tf.grad((a) => tf.sum(tf.maxPool(a, 3, 1, 'same')))(x);
  }, 0, 0);
});

test('3-D pooling gradients', async () => {
  await matchesCpu(() => {
    const x = rand([2, 5, 6, 4, 3], 12);
    return [tf.grad((a) => tf.sum(tf.maxPool3d(a, 2, 1, 'same')))(x),
      tf.grad((a) => tf.sum(tf.avgPool3d(a, [2, 3, 2], 2, 'valid')))(x)];
  }, 1e-5, 1e-6);
});

test('gradient shapes that do not match the forward input are errors naming the kernel', async () => {
  await tf.setBackend('cwasm');
  const x = rand([1, 6, 6, 2], 1), dy = rand([1, 5, 5, 3], 2);
  const cases = [
    ['Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3] }, /dy has shape \[1,5,5,3\], expected \[1,6,6,3\]/],
    ['Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', filterShape: [2, 2, 4, 3] }, /filterShape \[2,2,4,3\] has depth 4, x has 2 channels/],
    ['DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape: [3, 3, 2, 1], dilations: 1 }, /dy has shape/],
    ['MaxPoolGrad', { dy, input: x, output: dy }, { filterSize: 2, strides: 2, pad: 'valid' }, /MaxPoolGrad: dy has shape \[1,5,5,3\], expected \[1,3,3,2\]/],
    ['AvgPoolGrad', { dy, input: x }, { filterSize: 2, strides: 0, pad: 'valid' }, /AvgPoolGrad/],
  ];
  for (const [name, inputs, attrs, message] of cases) {
    assert.throws(() => tf.engine().runKernel(name, inputs, attrs), message, name);
  }
  // the backend keeps working
  const y = tf.conv2d(x, rand([3, 3, 2, 3], 3), 1, 'same');
  assert.deepEqual(y.shape, [1, 6, 6, 3]);
  tf.dispose([x, dy, y]);
});
