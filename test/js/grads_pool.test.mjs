// Gradients of pooling, resizing, LRN, Dilation2D and Elu on 'cwasm' against
// tfjs-backend-cpu: the kernels called directly and through tf.grad of the
// forward ops. Where cpu's gradient is not the derivative of the forward op
// (resize with halfPixelCenters), the adjoint identity checks it instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';

// tfjs-layers registers tfjs-core's gradient functions (tf.grad needs them).
import '@tensorflow/tfjs-layers';

import { matchesCpu, randomValues, runOn, tf } from './helpers.mjs';

const size = (shape) => shape.reduce((a, b) => a * b, 1);
const rand = (shape, seed, lo = -1, hi = 1) => tf.tensor(randomValues(size(shape), seed, lo, hi), shape);
/** Values on a coarse grid (many ties), all negative. */
const tied = (shape, seed) => tf.tensor(Array.from(randomValues(size(shape), seed, -4, 0), Math.floor), shape);

const POOL_CASES = [
  // x shape, filter, strides, pad
  [[2, 5, 5, 3], 2, 2, 'valid'],
  [[1, 7, 6, 4], 3, 1, 'same'],
  [[2, 7, 9, 5], 3, 2, 'same'],
  [[1, 6, 7, 17], [3, 2], [2, 1], 'valid'],
  [[1, 4, 5, 2], 4, 1, 'same'],
  [[1, 6, 6, 3], 3, 1, [[0, 0], [1, 2], [2, 1], [0, 0]]],
];

test('MaxPoolGrad and AvgPoolGrad match the cpu backend exactly, ties included', async () => {
  for (const [xs, f, s, pad] of POOL_CASES) {
    for (const [name, values] of [['random', rand], ['tied', tied]]) {
      const what = `x=[${xs}] f=${f} s=${s} pad=${JSON.stringify(pad)} ${name}`;
      await matchesCpu(() => {
        const x = values(xs, 3);
        const y = tf.maxPool(x, f, s, pad);
        const dy = rand(y.shape, 4);
        return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y },
            { filterSize: f, strides: s, pad });
      }, 0, 0, `MaxPoolGrad ${what}`);
      await matchesCpu(() => tf.grad((x) => tf.mul(tf.maxPool(x, f, s, pad), rand(
          tf.maxPool(x, f, s, pad).shape, 5)))(values(xs, 3)), 0, 0, `grad maxPool ${what}`);
      await matchesCpu(() => tf.grad((x) => tf.mul(tf.avgPool(x, f, s, pad), rand(
          tf.avgPool(x, f, s, pad).shape, 6)))(values(xs, 7)), 0, 0, `grad avgPool ${what}`);
    }
  }
});

test('MaxPool3DGrad and AvgPool3DGrad match the cpu backend exactly', async () => {
  const cases = [
    [[1, 4, 4, 4, 2], 2, 2, 'valid'],
    [[2, 3, 5, 5, 3], [2, 3, 3], 1, 'same'],
    [[1, 5, 4, 4, 1], 3, [2, 1, 1], 'same'],
  ];
  for (const [xs, f, s, pad] of cases) {
    for (const [name, values] of [['random', rand], ['tied', tied]]) {
      const what = `x=[${xs}] f=${f} s=${s} ${pad} ${name}`;
      await matchesCpu(() => tf.grad((x) => tf.mul(tf.maxPool3d(x, f, s, pad), rand(
          tf.maxPool3d(x, f, s, pad).shape, 8)))(values(xs, 9)), 0, 0, `grad maxPool3d ${what}`);
      await matchesCpu(() => tf.grad((x) => tf.mul(tf.avgPool3d(x, f, s, pad), rand(
          tf.avgPool3d(x, f, s, pad).shape, 10)))(values(xs, 11)), 1e-6, 1e-7, `grad avgPool3d ${what}`);
    }
  }
});

test('MaxPool3DGrad sends every dy to one tap of a rectangular window', async () => {
  // cpu encodes rectangular 3-D window positions with the height for the
  // width; this backend keeps the derivative: each dy lands once.
  const [got] = await runOn('cwasm', () => {
    const x = rand([1, 3, 4, 6, 2], 12);
    return tf.sum(tf.grad((v) => tf.sum(tf.maxPool3d(v, [1, 2, 3], [1, 2, 3], 'valid')))(x));
  });
  assert.equal(got.values[0], 3 * 2 * 2 * 2); // one per output: [1, 3, 2, 2, 2]
});

test('resize gradients match the cpu backend exactly without halfPixelCenters', async () => {
  const cases = [[[1, 3, 4, 3], [7, 5]], [[1, 6, 5, 2], [3, 2]], [[1, 4, 4, 5], [4, 4]],
    [[2, 4, 4, 3], [7, 5]], [[1, 2, 3, 1], [1, 1]], [[1, 5, 2, 4], [9, 7]]];
  for (const [xs, outSize] of cases) {
    for (const alignCorners of [false, true]) {
      const what = `x=[${xs}] size=[${outSize}] alignCorners=${alignCorners}`;
      for (const [kernel, op] of [['ResizeBilinearGrad', tf.image.resizeBilinear],
        ['ResizeNearestNeighborGrad', tf.image.resizeNearestNeighbor]]) {
        // cpu reads dy with the images' batch stride in the nearest gradient
        // (batches past the first are wrong there) and labels a non-square
        // bilinear gradient [b, w, h, c]: compare what cpu gets right.
        if (kernel === 'ResizeNearestNeighborGrad' && xs[0] > 1) continue;
        const square = xs[1] === xs[2] || kernel !== 'ResizeBilinearGrad';
        const fn = () => {
          const images = rand(xs, 13);
          const dy = rand([xs[0], ...outSize, xs[3]], 14);
          const dx = tf.engine().runKernel(kernel, { images, dy },
              { alignCorners, halfPixelCenters: false, size: outSize });
          return square ? dx : tf.reshape(dx, [-1]);
        };
        await matchesCpu(fn, 0, 0, `${kernel} ${what}`);
        if (square) {
          await matchesCpu(() => tf.grad((x) => tf.mul(op(x, outSize, alignCorners),
              rand([xs[0], ...outSize, xs[3]], 15)))(rand(xs, 16)), 0, 0, `grad ${kernel} ${what}`);
        }
      }
    }
  }
});

test('ResizeNearestNeighborGrad of a batch equals the gradients of its images', async () => {
  const [whole, ...parts] = await runOn('cwasm', () => {
    const images = rand([3, 4, 5, 2], 27), dy = rand([3, 7, 3, 2], 28);
    const attrs = { alignCorners: false, halfPixelCenters: false, size: [7, 3] };
    const grad = (i, d) => tf.engine().runKernel('ResizeNearestNeighborGrad', { images: i, dy: d },
        attrs);
    return [grad(images, dy), ...[0, 1, 2].map((b) => grad(
        tf.slice(images, [b, 0, 0, 0], [1, 4, 5, 2]), tf.slice(dy, [b, 0, 0, 0], [1, 7, 3, 2])))];
  });
  assert.deepEqual(whole.values, parts.flatMap((p) => p.values));
});

test('resize gradients with halfPixelCenters are the adjoints of the forward resizes', async () => {
  await tf.setBackend('cwasm');
  for (const [xs, outSize] of [[[2, 3, 4, 3], [7, 5]], [[1, 6, 5, 2], [3, 2]], [[1, 5, 7, 1], [2, 9]]]) {
    for (const op of [tf.image.resizeBilinear, tf.image.resizeNearestNeighbor]) {
      const [lhs, rhs] = tf.tidy(() => {
        const x = rand(xs, 17), dy = rand([xs[0], ...outSize, xs[3]], 18);
        const dx = tf.grad((v) => tf.mul(op(v, outSize, false, true), dy))(x);
        return [tf.sum(tf.mul(op(x, outSize, false, true), dy)).dataSync()[0],
          tf.sum(tf.mul(x, dx)).dataSync()[0]];
      });
      assert.ok(Math.abs(lhs - rhs) <= 1e-4 * (1 + Math.abs(lhs)),
          `${op.name} x=[${xs}] size=[${outSize}]: <resize(x), dy> ${lhs} vs <x, grad> ${rhs}`);
    }
  }
});

test('LRNGrad matches the cpu backend, exactly on the same inputs', async () => {
  for (const [xs, r, bias, alpha, beta] of [[[2, 3, 4, 9], 2, 1, 1e-4, 0.75],
    [[1, 2, 2, 33], 5, 1.3, 0.3, 0.6], [[1, 3, 3, 4], 0, 2, 0.5, 1.5]]) {
    const what = `x=[${xs}] r=${r} bias=${bias} alpha=${alpha} beta=${beta}`;
    // the kernel on the same x, y, dy: exact
    await matchesCpu(() => tf.engine().runKernel('LRNGrad',
        { x: rand(xs, 20, -2, 2), y: rand(xs, 21), dy: rand(xs, 19) },
        { depthRadius: r, bias, alpha, beta }), 0, 0, `LRNGrad ${what}`);
    // through tf.grad, y comes from each backend's own LRN
    await matchesCpu(() => tf.grad((x) => tf.mul(tf.localResponseNormalization(x, r, bias, alpha, beta),
        rand(xs, 19)))(rand(xs, 20, -2, 2)), 1e-6, 1e-7, `grad LRN ${what}`);
  }
});

test('Dilation2D backprops match the cpu backend exactly, ties included', async () => {
  const cases = [[[1, 7, 9, 3], [3, 3, 3], 1, 'same', 1], [[2, 8, 8, 5], [2, 3, 5], 2, 'valid', 1],
    [[1, 9, 7, 4], [3, 2, 4], 1, 'same', 2]];
  for (const [xs, fs, s, pad, d] of cases) {
    for (const [name, values] of [['random', rand], ['tied', tied]]) {
      const what = `x=[${xs}] f=[${fs}] s=${s} ${pad} d=${d} ${name}`;
      await matchesCpu(() => {
        const x = values(xs, 21), f = values(fs, 22);
        const dy = rand(tf.dilation2d(x, f, s, pad, d).shape, 23);
        return tf.grads((a, b) => tf.mul(tf.dilation2d(a, b, s, pad, d), dy))([x, f]);
      }, 0, 0, `grad dilation2d ${what}`);
    }
  }
});

test('EluGrad matches the cpu backend exactly', async () => {
  // through tf.grad, y comes from each backend's own Elu (exp may differ in the last bit)
  await matchesCpu(() => tf.grad((x) => tf.mul(tf.elu(x), rand([257], 24)))(rand([257], 25, -5, 3)),
      1e-6, 1e-7, 'grad elu');
  await matchesCpu(() => tf.engine().runKernel('EluGrad', { dy: rand([3, 5], 26),
    y: tf.tensor([-1, -0.5, 0, 2, NaN, -0.999, 3, -0.25, 0.5, -0.75, 1, 2, -0.1, 7, -0.9], [3, 5]) }),
  0, 0, 'EluGrad');
});

test('gradient kernels throw naming the kernel and argument, and leak nothing', async () => {
  await tf.setBackend('cwasm');
  const before = tf.memory().numTensors;
  const x = tf.ones([1, 4, 4, 2]), dy = tf.ones([1, 3, 3, 2]);
  const dy1 = tf.ones([1, 3, 3, 1]), filter = tf.ones([2, 2, 2]);
  const run = (name, inputs, attrs) => () => tf.engine().runKernel(name, inputs, attrs);
  assert.throws(run('MaxPoolGrad', { dy, input: x, output: dy },
      { filterSize: 2, strides: 2, pad: 'valid' }), /MaxPoolGrad: dy has shape \[1,3,3,2\], expected \[1,2,2,2\]/);
  assert.throws(run('AvgPool3DGrad', { dy, input: x }, { filterSize: 2, strides: 2, pad: 'valid' }),
      /AvgPool3DGrad: .*must have rank 5/);
  assert.throws(run('ResizeBilinearGrad', { images: x, dy: dy1 },
      { alignCorners: false, halfPixelCenters: false }), /ResizeBilinearGrad: dy shape/);
  assert.throws(run('LRNGrad', { x, y: x, dy }, { depthRadius: 1, bias: 1, alpha: 1, beta: 1 }),
      /LRNGrad: dy shape/);
  assert.throws(run('Dilation2DBackpropFilter', { x, filter, dy },
      { strides: 1, pad: 'same', dilations: 1 }), /Dilation2DBackpropFilter: dy shape/);
  assert.throws(run('EluGrad', { dy, y: x }), /EluGrad: dy shape/);
  tf.dispose([x, dy, dy1, filter]);
  assert.equal(tf.memory().numTensors, before);
});
