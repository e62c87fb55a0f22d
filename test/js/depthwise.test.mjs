// DepthwiseConv2dNative and FusedDepthwiseConv2D on the built wasm against
// tfjs-backend-cpu: shapes, strides, dilations, multipliers, paddings,
// every fused activation, broadcast epilogues, NCHW, and bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const RTOL = 1e-5, ATOL = 1e-5;
let seed = 1;

function rand(shape, lo = -1, hi = 1) {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed++, lo, hi), shape);
}

/** [x, filter] data as plain arrays, to build the tensors on each backend. */
function dataOf(xShape, fShape) {
  return [randomValues(tf.util.sizeFromShape(xShape), seed++),
    randomValues(tf.util.sizeFromShape(fShape), seed++)];
}

test('depthwiseConv2d matches cpu over channels, multipliers, windows, strides, dilations and pads', async () => {
  const pads = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]]];
  const windows = [[1, 1], [3, 3], [5, 5], [2, 3]];
  for (const c of [1, 3, 4, 5, 8, 17]) {
    for (const mult of [1, 2, 3]) {
      for (const [kh, kw] of windows) {
        for (const [strides, dilations] of [[1, 1], [2, 1], [[3, 2], 1], [1, 2]]) {
          const pad = pads[(c + mult + kh) % 3];
          const batch = 1 + ((c + kw) % 2);
          const xShape = [batch, 7 + (c % 3), 9 - (mult % 2), c], fShape = [kh, kw, c, mult];
          const info = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, dilations, pad,
              undefined, true);
          if (info.outHeight <= 0 || info.outWidth <= 0) continue;
          const [xv, fv] = dataOf(xShape, fShape);
          await matchesCpu(() => tf.depthwiseConv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape),
              strides, pad, 'NHWC', dilations), RTOL, ATOL,
          `x ${xShape} filter ${fShape} strides ${strides} dilations ${dilations} pad ${JSON.stringify(pad)}`);
        }
      }
    }
  }
});

test('the 3x3 fast paths match cpu on MobileNet-like layers and tiny images', async () => {
  const cases = [
    [[1, 56, 56, 64], 1], [[1, 56, 56, 64], 2], [[2, 15, 17, 33], 1], [[1, 14, 13, 32], 2],
    [[1, 1, 1, 5], 1], [[1, 1, 7, 4], 2], [[1, 3, 2, 9], 1], [[2, 2, 3, 1], 2], [[1, 5, 1, 16], 1],
  ];
  for (const [xShape, s] of cases) {
    for (const pad of ['same', 'valid', 1]) {
      const fShape = [3, 3, xShape[3], 1];
      if (pad === 'valid' && (xShape[1] < 3 || xShape[2] < 3)) continue;
      const [xv, fv] = dataOf(xShape, fShape);
      await matchesCpu(() => tf.depthwiseConv2d(tf.tensor(xv, xShape), tf.tensor(fv, fShape), s, pad),
          RTOL, ATOL, `3x3 stride ${s} x ${xShape} pad ${pad}`);
    }
  }
});

test('fusedDepthwiseConv2d matches cpu for every activation with per-channel and scalar bias', async () => {
  const xShape = [2, 9, 8, 5];
  for (const [mult, strides, k] of [[1, 1, 3], [1, 2, 3], [2, 1, 5], [3, 2, 2]]) {
    const OC = 5 * mult;
    const fShape = [k, k, 5, mult];
    const [xv, fv] = dataOf(xShape, fShape);
    const bv = randomValues(OC, seed++, -2, 6), wv = randomValues(OC, seed++, 0, 1);
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'prelu', 'sigmoid']) {
      for (const biasShape of [null, [OC], [1], [1, 1, 1, OC]]) {
        for (const preluShape of activation === 'prelu' ? [[OC], [1]] : [null]) {
          await matchesCpu(() => tf.fused.depthwiseConv2d({
            x: tf.tensor(xv, xShape), filter: tf.tensor(fv, fShape), strides, pad: 'same',
            bias: biasShape && tf.tensor(bv.slice(0, tf.util.sizeFromShape(biasShape)), biasShape),
            activation, leakyreluAlpha: 0.15,
            preluActivationWeights: preluShape && tf.tensor(wv.slice(0, preluShape[0]), preluShape),
          }), RTOL, ATOL, `${activation} bias ${biasShape} prelu ${preluShape} mult ${mult}`);
        }
      }
    }
  }
});

test('a bias or prelu weights that are not per channel broadcast as on cpu', async () => {
  const xShape = [1, 6, 5, 3], fShape = [3, 3, 3, 2];
  const [xv, fv] = dataOf(xShape, fShape);
  const bv = randomValues(6 * 5 * 6, seed++, -1, 1), wv = randomValues(5 * 6, seed++, 0, 1);
  await matchesCpu(() => tf.fused.depthwiseConv2d({
    x: tf.tensor(xv, xShape), filter: tf.tensor(fv, fShape), strides: 1, pad: 'same',
    bias: tf.tensor(bv, [6, 5, 6]), activation: 'prelu',
    preluActivationWeights: tf.tensor(wv, [5, 6]),
  }), RTOL, ATOL, 'full bias, [W, OC] prelu');
  await matchesCpu(() => tf.fused.depthwiseConv2d({
    x: tf.tensor(xv, xShape), filter: tf.tensor(fv, fShape), strides: 1, pad: 'valid',
    bias: tf.tensor(bv.slice(0, 4 * 6), [4, 1, 6]), activation: 'relu6',
  }), RTOL, ATOL, '[outH, 1, OC] bias');
});

test('NCHW is transposed in and out and matches NHWC on cpu', async () => {
  const engine = tf.engine();
  for (const [xShape, fShape, strides, pad, dilations] of [
    [[2, 7, 6, 3], [3, 3, 3, 1], 1, 'same', 1],
    [[1, 9, 8, 4], [3, 3, 4, 2], 2, 'valid', 1],
    [[1, 8, 9, 5], [2, 3, 5, 1], 1, [[0, 0], [1, 0], [0, 2], [0, 0]], 2],
  ]) {
    const [xv, fv] = dataOf(xShape, fShape);
    const OC = fShape[2] * fShape[3];
    const bv = randomValues(OC, seed++, -1, 1);
    const nchwPad = Array.isArray(pad) ? [pad[0], pad[3], pad[1], pad[2]] : pad;
    for (const fused of [false, true]) {
      await matchesCpu(() => {
        const x = tf.tensor(xv, xShape), filter = tf.tensor(fv, fShape);
        const bias = tf.tensor(bv, [OC]);
        if (tf.getBackend() === 'cpu') {
          return fused ?
            tf.fused.depthwiseConv2d({ x, filter, strides, pad, dilations, bias, activation: 'elu' }) :
            tf.depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations);
        }
        const xT = tf.transpose(x, [0, 3, 1, 2]);
        const attrs = { strides, pad: nchwPad, dataFormat: 'NCHW', dilations };
        const y = fused ?
          engine.runKernel('FusedDepthwiseConv2D', { x: xT, filter, bias: tf.reshape(bias, [OC, 1, 1]) },
              { ...attrs, activation: 'elu' }) :
          engine.runKernel('DepthwiseConv2dNative', { x: xT, filter }, attrs);
        return tf.transpose(y, [0, 2, 3, 1]);
      }, RTOL, ATOL, `NCHW x ${xShape} fused ${fused}`);
    }
  }
});

test('rank-3 input, numeric pad with dimRoundingMode, and an empty batch work as on cpu', async () => {
  const [xv, fv] = dataOf([7, 6, 4], [3, 3, 4, 2]);
  await matchesCpu(() => tf.depthwiseConv2d(tf.tensor(xv, [7, 6, 4]), tf.tensor(fv, [3, 3, 4, 2]), 1, 'same'),
      RTOL, ATOL, 'rank 3');
  for (const mode of ['floor', 'round', 'ceil']) {
    await matchesCpu(() => tf.depthwiseConv2d(tf.tensor(xv, [1, 7, 6, 4]), tf.tensor(fv, [3, 3, 4, 2]),
        2, 1, 'NHWC', 1, mode), RTOL, ATOL, `dimRoundingMode ${mode}`);
  }
  await matchesCpu(() => tf.depthwiseConv2d(tf.zeros([0, 5, 5, 4]), tf.tensor(fv, [3, 3, 4, 2]), 1, 'same'),
      RTOL, ATOL, 'empty batch');
});

test('results do not depend on the tensors being reused across calls', async () => {
  await tf.setBackend('cwasm');
  const x = rand([1, 10, 10, 8]), f = rand([3, 3, 8, 1]);
  const a = tf.depthwiseConv2d(x, f, 1, 'same').dataSync();
  const b = tf.depthwiseConv2d(x, f, 1, 'same').dataSync();
  assert.deepEqual(Array.from(a), Array.from(b));
  tf.dispose([x, f]);
});

/** Asserts fn throws an Error matching re, leaks nothing, and that a normal op still works. */
function throwsAndRecovers(fn, re) {
  const before = tf.backend().numDataIds();
  assert.throws(fn, (e) => e instanceof Error && re.test(e.message), `expected an Error matching ${re}`);
  assert.equal(tf.backend().numDataIds(), before, 'no tensor data leaked');
  const values = tf.tidy(() => Array.from(tf.depthwiseConv2d(
      tf.ones([1, 3, 3, 2]), tf.ones([3, 3, 2, 1]), 1, 'valid').dataSync()));
  assert.deepEqual(values, [9, 9]);
}

test('bad input throws naming the kernel and the argument, and the next op still works', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const x = tf.ones([1, 6, 6, 4]), f = tf.ones([3, 3, 4, 1]), f3 = tf.ones([3, 3, 3, 1]);
  const f2 = tf.ones([3, 3]), big = tf.ones([9, 9, 4, 1]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x, filter: f },
      { ...attrs, strides: 2, dilations: 2 }),
  /DepthwiseConv2dNative: strides \[2\] and dilations \[2\]: either strides or dilations must be 1/);
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x, filter: f3 }, attrs),
      /DepthwiseConv2dNative: filter depth 3 does not match input depth 4/);
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x, filter: f2 }, attrs),
      /DepthwiseConv2dNative: filter must have rank 4/);
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x: f2, filter: f }, attrs),
      /DepthwiseConv2dNative: x must have rank 4/);
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x, filter: big },
      { ...attrs, pad: 'valid' }), /DepthwiseConv2dNative: output height is -2/);
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x, filter: f },
      { ...attrs, dataFormat: 'NWHC' }), /DepthwiseConv2dNative: dataFormat 'NWHC'/);
  throwsAndRecovers(() => engine.runKernel('FusedDepthwiseConv2D', { x, filter: f },
      { ...attrs, activation: 'swish' }), /FusedDepthwiseConv2D: unknown activation 'swish'/);
  throwsAndRecovers(() => engine.runKernel('FusedDepthwiseConv2D', { x, filter: f },
      { ...attrs, activation: 'prelu' }), /FusedDepthwiseConv2D: activation 'prelu' needs preluActivationWeights/);
  const badBias = tf.ones([5]);
  throwsAndRecovers(() => engine.runKernel('FusedDepthwiseConv2D', { x, filter: f, bias: badBias },
      { ...attrs, activation: 'relu' }), /FusedDepthwiseConv2D: bias of shape \[5\] does not broadcast to the output shape \[1,6,6,4\]/);
  const s = tf.tensor(['a'], [1, 1, 1, 1], 'string');
  throwsAndRecovers(() => engine.runKernel('DepthwiseConv2dNative', { x: s, filter: f }, attrs),
      /DepthwiseConv2dNative: x has dtype string, expected float32/);
  // NCHW: the transposed temporary is freed when the kernel throws.
  const xNchw = tf.ones([1, 4, 6, 6]);
  throwsAndRecovers(() => engine.runKernel('FusedDepthwiseConv2D',
      { x: xNchw, filter: f, bias: badBias }, { ...attrs, dataFormat: 'NCHW' }),
  /FusedDepthwiseConv2D: bias of shape \[5\] does not broadcast to the output shape \[1,4,6,6\]/);
  tf.dispose([x, f, f3, f2, big, badBias, s, xNchw]);
});
