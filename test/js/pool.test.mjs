// Pooling kernels against tfjs-backend-cpu: MaxPool, AvgPool, MaxPool3D,
// AvgPool3D, MaxPoolWithArgmax, and their errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const engine = () => tf.engine();

/** Values with many ties (half steps) and, if special, NaN and +-inf sprinkled in. */
function values(n, seed, special = false) {
  const v = randomValues(n, seed, -4, 4).map((x) => Math.round(x * 2) / 2);
  if (special) {
    for (let i = 0; i < n; i++) {
      if (i % 7 === 3) v[i] = NaN;
      else if (i % 11 === 5) v[i] = -Infinity;
      else if (i % 13 === 6) v[i] = Infinity;
    }
  }
  return v;
}

function input(shape, seed, special = false) {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed, special), shape);
}

const CHANNELS = [1, 2, 3, 4, 5, 8, 9, 17];
const CASES_2D = [
  // [inH, inW, filter, strides, pad, dimRoundingMode]
  [5, 7, [2, 2], [2, 2], 'valid'],
  [5, 7, [3, 3], [1, 1], 'same'],
  [6, 6, [2, 3], [2, 1], 'same'],
  [4, 9, [4, 4], [3, 3], 'valid'],
  [7, 5, [3, 2], [2, 3], [[0, 0], [1, 2], [0, 1], [0, 0]]],
  [8, 8, [3, 3], [2, 2], 1, 'ceil'],
  [8, 7, [3, 3], [2, 2], 1, 'floor'],
  [9, 9, [3, 3], [2, 2], 0, 'round'],
  [3, 3, [1, 1], [2, 2], 'valid'],
  [6, 5, [1, 1], [1, 1], 'same'], // identity
  [1, 1, [1, 1], [1, 1], 'valid'],
];

test('MaxPool and AvgPool match tfjs-backend-cpu over channels, windows, strides and pads', async () => {
  let seed = 1;
  for (const C of CHANNELS) {
    for (const [h, w, filterSize, strides, pad, dimRoundingMode] of CASES_2D) {
      for (const batch of [1, 2]) {
        const shape = [batch, h, w, C];
        const what = `x [${shape}] f ${filterSize} s ${strides} pad ${JSON.stringify(pad)}`;
        const s = seed++;
        await matchesCpu(() => tf.maxPool(input(shape, s), filterSize, strides, pad, dimRoundingMode),
            0, 0, `maxPool ${what}`);
        await matchesCpu(() => tf.avgPool(input(shape, s), filterSize, strides, pad, dimRoundingMode),
            1e-5, 1e-6, `avgPool ${what}`);
      }
    }
  }
});

test('MaxPool skips NaN and AvgPool propagates it, as tfjs-backend-cpu does', async () => {
  for (const C of [1, 3, 4, 9]) {
    for (const [h, w, filterSize, strides, pad] of CASES_2D) {
      const shape = [2, h, w, C];
      await matchesCpu(() => tf.maxPool(input(shape, C, true), filterSize, strides, pad), 0, 0,
          `maxPool NaN C ${C} f ${filterSize}`);
      await matchesCpu(() => tf.avgPool(input(shape, C, true), filterSize, strides, pad), 1e-5, 1e-6,
          `avgPool NaN C ${C} f ${filterSize}`);
    }
  }
  // A 1x1 identity keeps NaN; an all-NaN window gives -inf.
  await matchesCpu(() => tf.maxPool(tf.tensor4d([NaN, 1, NaN, NaN], [1, 2, 2, 1]), 1, 1, 'valid'));
  await matchesCpu(() => tf.maxPool(tf.tensor4d([NaN, NaN, NaN, NaN], [1, 2, 2, 1]), 2, 1, 'valid'));
});

test('3-D input (no batch) and int32 input give cpu shapes and dtypes', async () => {
  await matchesCpu(() => tf.maxPool(input([5, 6, 3], 3), 2, 2, 'same'));
  await matchesCpu(() => tf.avgPool(input([5, 6, 3], 4), [3, 2], 1, 'valid'));
  await matchesCpu(() => tf.maxPool(tf.tensor4d([1, -5, 3, 7, 2, 9, -4, 0, 6], [1, 3, 3, 1], 'int32'), 2, 1, 'valid'));
  // The op casts to float32 first; the kernel itself returns x's dtype on cpu.
  await matchesCpu(() => engine().runKernel('AvgPool', { x: tf.tensor4d([1, -5, 3, 7, 2, 9, -4, 0, 6], [1, 3, 3, 1], 'int32') },
      { filterSize: [2, 2], strides: [1, 1], pad: 'same' }));
  await matchesCpu(() => tf.maxPool3d(tf.tensor5d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1], 'int32'), 2, 1, 'same'));
});

const CASES_3D = [
  // [inD, inH, inW, filter, strides, pad, dimRoundingMode]
  [3, 4, 5, [2, 2, 2], [1, 1, 1], 'valid'],
  [4, 4, 4, [3, 3, 3], [2, 2, 2], 'same'],
  [3, 5, 4, [1, 2, 3], [2, 1, 2], 'same'],
  [5, 3, 3, [2, 1, 1], [2, 1, 1], 'valid'],
  [4, 5, 5, [3, 3, 3], [2, 2, 2], 1, 'ceil'],
  [2, 2, 2, [1, 1, 1], [1, 1, 1], 'valid'],
];

test('MaxPool3D and AvgPool3D match tfjs-backend-cpu', async () => {
  let seed = 100;
  for (const C of [1, 2, 4, 5, 9]) {
    for (const [d, h, w, filterSize, strides, pad, dimRoundingMode] of CASES_3D) {
      for (const batch of [1, 2]) {
        const shape = [batch, d, h, w, C];
        const what = `x [${shape}] f ${filterSize} s ${strides} pad ${pad}`;
        const s = seed++;
        await matchesCpu(() => tf.maxPool3d(input(shape, s), filterSize, strides, pad, dimRoundingMode),
            0, 0, `maxPool3d ${what}`);
        await matchesCpu(() => tf.avgPool3d(input(shape, s), filterSize, strides, pad, dimRoundingMode),
            1e-5, 1e-6, `avgPool3d ${what}`);
        await matchesCpu(() => tf.maxPool3d(input(shape, s, true), filterSize, strides, pad),
            0, 0, `maxPool3d NaN ${what}`);
      }
    }
  }
  await matchesCpu(() => tf.avgPool3d(input([3, 4, 5, 2], 7), 2, 1, 'same')); // rank 4
});

test('MaxPoolWithArgmax matches tfjs-backend-cpu in both index modes', async () => {
  let seed = 200;
  for (const C of CHANNELS) {
    for (const [h, w, filterSize, strides, pad] of CASES_2D) {
      if (typeof pad === 'number' || typeof pad === 'object') continue;
      for (const includeBatchInIndex of [false, true]) {
        const shape = [2, h, w, C];
        const s = seed++;
        const special = C % 2 === 1;
        await matchesCpu(() => {
          const { result, indexes } = tf.maxPoolWithArgmax(input(shape, s, special), filterSize,
              strides, pad, includeBatchInIndex);
          return [result, indexes];
        }, 0, 0, `maxPoolWithArgmax x [${shape}] f ${filterSize} s ${strides} ${pad} batch ${includeBatchInIndex}`);
      }
    }
  }
  // All -inf: value -inf, index -1.
  await matchesCpu(() => {
    const { result, indexes } = tf.maxPoolWithArgmax(tf.fill([1, 2, 2, 3], -Infinity), 2, 1, 'valid');
    return [result, indexes];
  });
});

test('an empty output (window one larger than the input) matches cpu', async () => {
  await matchesCpu(() => tf.maxPool(input([1, 3, 3, 2], 1), 4, 1, 'valid'));
  await matchesCpu(() => tf.avgPool(input([0, 3, 3, 2], 1), 2, 1, 'valid'));
});

/** Asserts fn throws an Error matching re, leaks nothing, then that a pooling op still works. */
async function throwsAndRecovers(fn, re) {
  await tf.setBackend('cwasm');
  const before = tf.memory().numTensors;
  const ids = tf.backend().numDataIds();
  assert.throws(() => tf.tidy(fn), (e) => e instanceof Error && re.test(e.message),
      `expected an Error matching ${re}`);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.backend().numDataIds(), ids);
  const v = tf.tidy(() => Array.from(tf.maxPool(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), 2, 1, 'valid').dataSync()));
  assert.deepEqual(v, [4]);
}

test('bad arguments throw naming the kernel, leak nothing, and the next op works', async () => {
  const x = tf.tensor4d(values(18, 1), [1, 3, 3, 2]);
  const x3 = tf.tensor5d(values(8, 2), [1, 2, 2, 2, 1]);
  const run = (name, inputs, attrs) => () => engine().runKernel(name, inputs, attrs);
  await throwsAndRecovers(run('MaxPool', { x }, { filterSize: [5, 5], strides: [1, 1], pad: 'valid' }),
      /^MaxPool: window 5 x 5 is larger than the padded input 3 x 3/);
  await throwsAndRecovers(run('AvgPool', { x }, { filterSize: [2, 2], strides: [0, 1], pad: 'valid' }),
      /^AvgPool: strides 0 x 1, expected >= 1/);
  await throwsAndRecovers(run('MaxPool', { x }, { filterSize: [0, 2], strides: [1, 1], pad: 'valid' }),
      /^MaxPool: filter size 0 x 2, expected >= 1/);
  await throwsAndRecovers(run('MaxPool', { x }, { filterSize: [2, 2], strides: [1, 1], pad: [[0, 0], [-1, 0], [0, 0], [0, 0]] }),
      /^MaxPool: padding before -1 x 0/);
  await throwsAndRecovers(run('AvgPool', { x: tf.ones([3, 3, 2]) }, { filterSize: [2, 2], strides: [1, 1], pad: 'valid' }),
      /^AvgPool: x must have rank 4 \(NHWC\), got shape \[3,3,2\]/);
  await throwsAndRecovers(run('MaxPoolWithArgmax', { x }, { filterSize: [5, 4], strides: [1, 1], pad: 'valid', includeBatchInIndex: false }),
      /^MaxPoolWithArgmax: window 5 x 4 is larger than the padded input 3 x 3/);
  await throwsAndRecovers(run('MaxPoolWithArgmax', { x }, { filterSize: [2, 2], strides: [1, 0], pad: 'valid', includeBatchInIndex: true }),
      /^MaxPoolWithArgmax: strides 1 x 0/);
  await throwsAndRecovers(run('MaxPool3D', { x: x3 }, { filterSize: [2, 2, 2], strides: [1, 0, 1], pad: 'same', dataFormat: 'NDHWC' }),
      /^MaxPool3D: strides 1 x 0 x 1, expected >= 1/);
  // A window larger than the input: an empty output, as cpu (no error).
  await matchesCpu(() => engine().runKernel('MaxPool3D', { x: x3 },
      { filterSize: [4, 3, 4], strides: [1, 1, 1], pad: 'valid', dataFormat: 'NDHWC' }));
  await throwsAndRecovers(run('AvgPool3D', { x: x3 }, { filterSize: [1, 1, 1], strides: [1, 1, 1], pad: 'valid', dataFormat: 'NCDHW' }),
      /^AvgPool3D: dataFormat NCDHW is not supported, expected NDHWC/);
  await throwsAndRecovers(run('MaxPool3D', { x }, { filterSize: [1, 1, 1], strides: [1, 1, 1], pad: 'valid' }),
      /^MaxPool3D: x must have rank 5 \(NDHWC\)/);
  await throwsAndRecovers(run('MaxPool', { x: tf.tensor4d(['a', 'b', 'c', 'd'], [1, 2, 2, 1], 'string') },
      { filterSize: [1, 1], strides: [1, 1], pad: 'valid' }), /^MaxPool: string tensors are not supported/);
  tf.dispose([x, x3]);
});

test('pooling leaks no tensors or wasm buffers', async () => {
  await tf.setBackend('cwasm');
  const ids = tf.backend().numDataIds();
  tf.tidy(() => {
    const x = input([2, 5, 5, 3], 9);
    tf.maxPool(x, 2, 2, 'same');
    tf.avgPool(x, 3, 1, 'valid');
    tf.maxPool(tf.cast(x, 'int32'), 2, 2, 'same');
    tf.maxPoolWithArgmax(x, 2, 2, 'same', true);
    tf.maxPool3d(tf.reshape(x, [2, 5, 5, 3, 1]), 2, 1, 'same');
    tf.maxPool3d(tf.reshape(tf.cast(x, 'int32'), [2, 5, 5, 3, 1]), 2, 1, 'same');
    engine().runKernel('AvgPool', { x: tf.cast(x, 'int32') }, { filterSize: [2, 2], strides: [1, 1], pad: 'same' });
  });
  assert.equal(tf.backend().numDataIds(), ids);
});
