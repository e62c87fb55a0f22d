// StridedSlice with a shrunk axis on the strided (non-simple) path: values
// as TensorFlow defines them, written out by hand. (tfjs-backend-cpu 4.22
// gets these wrong: its stridedSliceImpl walks the output shape without the
// shrunk axes against the begin/strides of every axis.) cwasm passed that
// shorter shape to C, which read past it and returned zeros.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runOn, tf } from './helpers.mjs';

// x = range(60) as [3, 4, 5]: x[b][r][c] = 20 b + 5 r + c
const CASES = [
  // x[:, 1, 0:5:2]
  { begin: [0, 1, 0], end: [3, 2, 5], strides: [1, 1, 2], shrink: 2, shape: [3, 3], values: [5, 7, 9, 25, 27, 29, 45, 47, 49] },
  // x[1, 0:4:2, 4:0:-2]
  { begin: [1, 0, 4], end: [3, 4, 0], strides: [1, 2, -2], shrink: 1, shape: [2, 2], values: [24, 22, 34, 32] },
  // x[0:3:2, 0:4:3, 1]
  { begin: [0, 0, 1], end: [3, 4, 2], strides: [2, 3, 1], shrink: 4, shape: [2, 2], values: [1, 16, 41, 56] },
];

test('StridedSlice with a shrunk axis and strides gives TensorFlow\'s values', async () => {
  for (const dtype of ['float32', 'int32']) {
    for (const c of CASES) {
      const [got] = await runOn('cwasm', () =>
        tf.stridedSlice(tf.reshape(tf.range(0, 60, 1, dtype), [3, 4, 5]), c.begin, c.end, c.strides, 0, 0, 0, 0, c.shrink));
      assert.deepEqual(got, { shape: c.shape, dtype, values: c.values }, `${dtype} ${JSON.stringify(c)}`);
    }
  }
});
