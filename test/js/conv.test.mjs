// Conv2D, FusedConv2D, Conv2DBackpropInput and Conv3D on the built wasm
// against tfjs-backend-cpu: shapes, strides, dilations, paddings, every fused
// activation, broadcast epilogues, NCHW, gradients, and bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const RTOL = 1e-4, ATOL = 1e-5;
let seed = 1;

const vals = (shape, lo = -1, hi = 1) =>
  randomValues(tf.util.sizeFromShape(shape), seed++, lo, hi);

test('conv2d matches cpu over channels, windows, strides, dilations and pads', async () => {
  const pads = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]], 1];
  const windows = [[1, 1], [3, 3], [5, 5], [2, 8], [1, 3]];
  const channels = [1, 2, 3, 4, 5, 8, 9, 16, 17];
  let n = 0;
  for (const c of channels) {
    for (const [kh, kw] of windows) {
      for (const [strides, dilations] of [[1, 1], [2, 1], [[3, 2], 1], [1, 2], [1, [2, 1]]]) {
        const oc = channels[(n * 5 + 3) % channels.length];
        const pad = pads[n % pads.length];
        n++;
        const xShape = [1 + (n % 2), 7 + (c % 3), 9 - (kh % 2), c], fShape = [kh, kw, c, oc];
        const info = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, dilations, pad);
        if (info.outHeight <= 0 || info.outWidth <= 0) continue;
        const xv = vals(xShape), fv = vals(fShape);
        await matchesCpu(() => tf.conv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), strides,
            pad, 'NHWC', dilations), RTOL, ATOL,
        `x ${xShape} filter ${fShape} strides ${strides} dilations ${dilations} pad ${JSON.stringify(pad)}`);
      }
    }
  }
});

test('conv2d matches cpu on larger layers, pointwise convolutions and dimRoundingMode', async () => {
  const cases = [
    [[1, 28, 28, 32], [3, 3, 32, 64], 1, 'same'], [[2, 14, 13, 64], [1, 1, 64, 130], 1, 'valid'],
    [[1, 17, 19, 3], [7, 7, 3, 24], 2, 'same'], [[1, 9, 9, 300], [1, 1, 300, 7], 2, 'valid'],
    [[3, 5, 6, 20], [5, 5, 20, 9], 1, 'same'],
  ];
  for (const [xShape, fShape, s, pad] of cases) {
    const xv = vals(xShape), fv = vals(fShape);
    await matchesCpu(() => tf.conv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), s, pad),
        RTOL, ATOL, `x ${xShape} filter ${fShape}`);
  }
  for (const mode of ['floor', 'round', 'ceil']) {
    const xShape = [1, 8, 9, 3], fShape = [3, 3, 3, 5];
    const xv = vals(xShape), fv = vals(fShape);
    await matchesCpu(() => tf.conv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), 2, 1, 'NHWC',
        1, mode), RTOL, ATOL, `dimRoundingMode ${mode}`);
  }
});

test('conv2d in NCHW matches cpu', async () => {
  for (const [xShape, fShape, s, pad] of [[[2, 3, 7, 8], [3, 3, 3, 5], 1, 'same'],
    [[1, 4, 9, 6], [2, 2, 4, 3], 2, 'valid'], [[1, 5, 6, 6], [1, 1, 5, 7], 1, 'valid']]) {
    const xv = vals(xShape), fv = vals(fShape);
    await matchesCpu(() => tf.conv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), s, pad, 'NCHW'),
        RTOL, ATOL, `NCHW x ${xShape}`);
  }
});

test('fused conv2d matches cpu for every activation with per-channel, scalar and broadcast bias', async () => {
  const xShape = [2, 9, 8, 5];
  for (const [k, strides, OC] of [[3, 1, 8], [1, 1, 7], [3, 2, 17]]) {
    const fShape = [k, k, 5, OC];
    const xv = vals(xShape), fv = vals(fShape);
    const bv = vals([OC], -2, 6), wv = vals([OC], 0, 1);
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'prelu', 'sigmoid']) {
      for (const biasShape of [null, [OC], [1], [1, 1, 1, OC]]) {
        for (const preluShape of activation === 'prelu' ? [[OC], [1]] : [null]) {
          await matchesCpu(() => tf.fused.conv2d({
            x: tf.tensor(xv, xShape), filter: tf.tensor(fv, fShape), strides, pad: 'same',
            bias: biasShape && tf.tensor(bv.slice(0, tf.util.sizeFromShape(biasShape)), biasShape),
            activation, leakyreluAlpha: 0.15,
            preluActivationWeights: preluShape && tf.tensor(wv.slice(0, preluShape[0]), preluShape),
          }), RTOL, ATOL, `${activation} bias ${biasShape} prelu ${preluShape} k ${k} OC ${OC}`);
        }
      }
    }
  }
  // A bias that varies along width goes through the broadcasting fallback.
  const xs = [1, 6, 7, 3], fs = [3, 3, 3, 4], bs = [7, 1];
  const xv = vals(xs), fv = vals(fs), bv = vals(bs);
  await matchesCpu(() => tf.fused.conv2d({ x: tf.tensor(xv, xs), filter: tf.tensor(fv, fs),
    strides: 1, pad: 'same', bias: tf.tensor(bv, bs), activation: 'relu' }), RTOL, ATOL,
  'broadcast bias');
});

test('fused conv2d matches cpu on few-channel layers of the small convnets', async () => {
  // The speech-commands and MNIST convnets' layers, padding on every side,
  // and a 3-channel stride-2 stem: the indirect GEMM's quads mix pixels
  // inside the image and on its border.
  const cases = [
    [[1, 43, 232, 1], [2, 8, 1, 8], 1, 'valid', 'relu'],
    [[2, 21, 30, 8], [2, 4, 8, 32], 1, 'valid', 'relu'],
    [[3, 28, 28, 1], [3, 3, 1, 16], 1, 'same', 'relu'],
    [[2, 13, 13, 16], [3, 3, 16, 32], 1, [[0, 0], [2, 1], [1, 2], [0, 0]], 'linear'],
    [[1, 33, 35, 3], [3, 3, 3, 8], 2, 'same', 'relu6'],
    [[1, 9, 10, 2], [5, 5, 2, 13], 1, 'same', 'elu'],
  ];
  for (const [xShape, fShape, strides, pad, activation] of cases) {
    const OC = fShape[3];
    const xv = vals(xShape), fv = vals(fShape), bv = vals([OC]);
    await matchesCpu(() => tf.fused.conv2d({ x: tf.tensor(xv, xShape),
      filter: tf.tensor(fv, fShape), strides, pad, bias: tf.tensor(bv, [OC]), activation }),
    RTOL, ATOL, `x ${xShape} filter ${fShape} ${activation}`);
  }
});

test('a 1x1 conv2d gives the bits of matMul (the same k order and arithmetic)', async () => {
  await tf.setBackend('cwasm');
  const xShape = [2, 5, 6, 7], fShape = [1, 1, 7, 9];
  const xv = vals(xShape), fv = vals(fShape);
  let conv, mm;
  tf.tidy(() => {
    const x = tf.tensor(xv, xShape), f = tf.tensor(fv, fShape);
    conv = tf.conv2d(x, f, 1, 'valid').dataSync();
    mm = tf.matMul(tf.reshape(x, [60, 7]), tf.reshape(f, [7, 9])).dataSync();
  });
  assert.deepEqual(Array.from(conv), Array.from(mm));
});

test('conv2dTranspose matches cpu over strides, windows and pads', async () => {
  const channels = [1, 3, 4, 8, 17];
  let n = 0;
  for (const [kh, kw] of [[1, 1], [3, 3], [5, 5], [2, 8], [4, 4]]) {
    for (const s of [1, 2, 3, [2, 1]]) {
      for (const pad of ['same', 'valid', 1]) {
        const ic = channels[n % 5], oc = channels[(n * 3 + 1) % 5];
        n++;
        const outShape = [1 + (n % 2), 7 + (n % 3), 9 - (n % 2), ic]; // the forward's input
        const fShape = [kh, kw, ic, oc];
        const info = tf.backend_util.computeConv2DInfo(outShape, fShape, s, 1, pad);
        if (info.outHeight <= 0 || info.outWidth <= 0) continue;
        const dyv = vals(info.outShape), fv = vals(fShape);
        // conv2dTranspose's filter is [h, w, outDepth(=ic), inDepth(=oc)].
        await matchesCpu(() => tf.conv2dTranspose(tf.tensor(dyv, info.outShape),
            tf.tensor(fv, fShape), outShape, s, pad), RTOL, ATOL,
        `dx ${outShape} filter ${fShape} strides ${s} pad ${JSON.stringify(pad)}`);
      }
    }
  }
});

test('Conv2DBackpropInput in NCHW and with explicit pads matches cpu', async () => {
  const inShape = [2, 3, 9, 8], fShape = [3, 3, 3, 4];
  const info = tf.backend_util.computeConv2DInfo(inShape, fShape, 2, 1, 'same', undefined, false,
      'channelsFirst');
  const dyv = vals(info.outShape), fv = vals(fShape);
  await matchesCpu(() => tf.engine().runKernel('Conv2DBackpropInput',
      { dy: tf.tensor(dyv, info.outShape), filter: tf.tensor(fv, fShape) },
      { inputShape: inShape, strides: [2, 2], pad: 'same', dataFormat: 'NCHW' }),
  RTOL, ATOL, 'NCHW backprop input');
  const pad = [[0, 0], [2, 1], [0, 2], [0, 0]];
  const in2 = [2, 10, 9, 4], f2 = [3, 3, 4, 6];
  const info2 = tf.backend_util.computeConv2DInfo(in2, f2, [2, 3], 1, pad);
  const dy2 = vals(info2.outShape), w2 = vals(f2);
  await matchesCpu(() => tf.engine().runKernel('Conv2DBackpropInput',
      { dy: tf.tensor(dy2, info2.outShape), filter: tf.tensor(w2, f2) },
      { inputShape: in2, strides: [2, 3], pad, dataFormat: 'NHWC' }),
  RTOL, ATOL, 'explicit pad backprop input');
  // A dy larger than the attrs imply is read cropped, as tfjs-backend-cpu does.
  const big = vals([1, 8, 8, 8]), w8 = vals([8, 8, 8, 8]);
  await matchesCpu(() => tf.conv2dTranspose(tf.tensor(big, [1, 8, 8, 8]), tf.tensor(w8, [8, 8, 8, 8]),
      [1, 4, 4, 8], 1, 'same'), RTOL, ATOL, 'cropped dy');
});

test('conv3d matches cpu', async () => {
  for (const [xShape, fShape, s, pad, d] of [
    [[1, 5, 6, 7, 3], [3, 3, 3, 3, 4], 1, 'same', 1], [[2, 4, 5, 5, 2], [2, 2, 2, 2, 9], 2, 'valid', 1],
    [[1, 6, 5, 4, 5], [3, 1, 2, 5, 3], [1, 2, 1], 'same', 1], [[1, 7, 7, 7, 4], [3, 3, 3, 4, 2], 1, 'valid', 2],
    [[1, 3, 3, 3, 8], [1, 1, 1, 8, 8], 1, 'valid', 1]]) {
    const xv = vals(xShape), fv = vals(fShape);
    await matchesCpu(() => tf.conv3d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), s, pad, 'NDHWC', d),
        RTOL, ATOL, `conv3d x ${xShape} filter ${fShape}`);
  }
});

test('int32 inputs are computed in float32 and keep their dtype', async () => {
  const xv = Array.from({ length: 2 * 5 * 5 * 3 }, (_, i) => (i % 7) - 3);
  const fv = Array.from({ length: 3 * 3 * 3 * 2 }, (_, i) => (i % 5) - 2);
  await matchesCpu(() => tf.engine().runKernel('Conv2D', { x: tf.tensor(xv, [2, 5, 5, 3], 'int32'),
    filter: tf.tensor(fv, [3, 3, 3, 2], 'int32') },
  { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] }), 0, 0, 'int32 conv2d');
});

test('the packed filter cache is reused and freed with the filter', async () => {
  await tf.setBackend('cwasm');
  const x = tf.tensor(vals([1, 6, 6, 4]), [1, 6, 6, 4]), f = tf.tensor(vals([3, 3, 4, 5]), [3, 3, 4, 5]);
  const a = tf.conv2d(x, f, 1, 'same'), b = tf.conv2d(x, f, 1, 'same');
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  const before = tf.memory().numTensors;
  tf.dispose([x, f, a, b]);
  assert.equal(tf.memory().numTensors, before - 4);
});

/** Expects fn to throw a message matching re, then checks that no tensor leaked and a conv still works. */
async function expectError(fn, re) {
  await tf.setBackend('cwasm');
  const before = tf.memory().numTensors;
  const beforeIds = tf.backend().numDataIds();
  assert.throws(fn, re);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.equal(tf.backend().numDataIds(), beforeIds, 'data ids leaked');
  const y = tf.conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1]), 1, 'valid');
  assert.deepEqual(Array.from(y.dataSync()), [8, 8, 8, 8]);
  y.dispose();
}

test('bad input throws an error naming the kernel and leaves nothing behind', async () => {
  await tf.setBackend('cwasm');
  const x = tf.ones([1, 4, 4, 4]), f3 = tf.ones([2, 2, 3, 2]), f = tf.ones([2, 2, 4, 2]);
  const run = (name, inputs, attrs) => () => tf.engine().runKernel(name, inputs, attrs);
  const base = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] };
  await expectError(run('Conv2D', { x, filter: f3 }, base),
      /Conv2D: filter depth 3 does not match input depth 4/);
  await expectError(run('Conv2D', { x, filter: f }, { ...base, strides: [0, 1] }),
      /Conv2D: strides \[0,1\], expected 2 integers >= 1/);
  await expectError(run('Conv2D', { x, filter: f }, { ...base, dilations: [1, -1] }),
      /Conv2D: dilations/);
  await expectError(run('Conv2D', { x, filter: f }, { ...base, dataFormat: 'NWHC' }),
      /Conv2D: dataFormat 'NWHC'/);
  await expectError(run('Conv2D', { x, filter: f }, { ...base, pad: 'bogus' }), /Conv2D: /);
  await expectError(run('Conv2D', { x: tf.ones([4, 4, 4]), filter: f }, base), /Conv2D: x must have rank 4/);
  await expectError(run('Conv2D', { x, filter: tf.ones([9, 9, 4, 2]) }, base),
      /Conv2D: output height is/);
  await expectError(run('FusedConv2D', { x, filter: f, bias: tf.ones([3]) },
      { ...base, activation: 'relu' }), /FusedConv2D: bias of shape \[3\] does not broadcast/);
  await expectError(run('FusedConv2D', { x, filter: f }, { ...base, activation: 'swish' }),
      /FusedConv2D: unknown activation 'swish'/);
  await expectError(run('Conv2DBackpropInput', { dy: tf.ones([1, 3, 3, 5]), filter: f },
      { ...base, inputShape: [1, 4, 4, 4] }), /Conv2DBackpropInput: dy has shape \[1,3,3,5\]/);
  await expectError(run('Conv2DBackpropInput', { dy: tf.ones([1, 3, 3, 2]), filter: f },
      { ...base, inputShape: [1, 4, 4, 4], strides: [1, 0] }), /Conv2DBackpropInput: strides/);
  await expectError(run('Conv3D', { x: tf.ones([1, 3, 3, 3, 2]), filter: tf.ones([1, 1, 1, 3, 1]) },
      { strides: [1, 1, 1], pad: 'valid', dataFormat: 'NDHWC', dilations: [1, 1, 1] }),
  /Conv3D: filter depth 3 does not match input depth 2/);
  tf.dispose([x, f3, f]);
});
