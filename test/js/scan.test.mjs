// Cumsum and Cumprod on the built wasm against tfjs-backend-cpu.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const shapes = [[7], [1, 1], [3, 5], [4, 1, 6], [2, 3, 4, 5], [2, 70, 3], [1, 200]];

test('cumsum and cumprod match cpu bit for bit on every axis, exclusive and reverse', async () => {
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const xs = randomValues(n, n, -2, 2);
    const xp = randomValues(n, n + 1, 0.8, 1.25);
    const xi = Array.from(randomValues(n, n + 2, -5, 5), Math.round);
    for (let axis = 0; axis < shape.length; axis++) {
      for (const exclusive of [false, true]) {
        for (const reverse of [false, true]) {
          const what = `[${shape}] axis ${axis} exclusive ${exclusive} reverse ${reverse}`;
          await matchesCpu(() => tf.cumsum(tf.tensor(xs, shape), axis, exclusive, reverse), 0, 0, `cumsum ${what}`);
          await matchesCpu(() => tf.cumprod(tf.tensor(xp, shape), axis, exclusive, reverse), 0, 0, `cumprod ${what}`);
          await matchesCpu(() => tf.cumsum(tf.tensor(xi, shape, 'int32'), axis, exclusive, reverse), 0, 0, `int32 cumsum ${what}`);
          await matchesCpu(() => tf.cumprod(tf.tensor(xi, shape, 'int32'), axis, exclusive, reverse), 0, 0, `int32 cumprod ${what}`);
        }
      }
    }
  }
});

test('a negative axis counts from the end (cpu mishandles it, so compared with the positive axis)', async () => {
  await tf.setBackend('cwasm');
  const x = tf.tensor3d(randomValues(24, 8), [2, 3, 4]);
  for (const [neg, pos] of [[-1, 2], [-2, 1], [-3, 0]]) {
    const a = tf.cumsum(x, neg, true, true), b = tf.cumsum(x, pos, true, true);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([a, b]);
  }
  x.dispose();
});

test('int32 overflow, bool input, NaN and empty tensors follow cpu', async () => {
  const big = [2147483647, 2147483647, 3, 65537, -65537, 12345, 99991];
  await matchesCpu(() => tf.cumprod(tf.tensor1d(big, 'int32')), 0, 0, 'int32 cumprod wrap');
  await matchesCpu(() => tf.cumsum(tf.tensor1d(big, 'int32')), 0, 0, 'int32 cumsum wrap');
  await matchesCpu(() => tf.cumsum(tf.tensor2d([1, 0, 1, 1, 1, 0], [2, 3], 'bool'), 1), 0, 0, 'bool');
  await matchesCpu(() => tf.cumprod(tf.tensor1d([2, NaN, Infinity, -Infinity, 0, 3])), 0, 0, 'nan');
  await matchesCpu(() => tf.cumsum(tf.zeros([3, 0, 2]), 1), 0, 0, 'empty');
});

test('bad input throws naming the kernel and the next op still works', async () => {
  await tf.setBackend('cwasm');
  const x = tf.tensor1d(['a', 'b'], 'string');
  assert.throws(() => tf.engine().runKernel('Cumsum', { x }, { axis: 0, exclusive: false, reverse: false }),
      /Cumsum: string tensors are not supported/);
  const y = tf.tensor1d([1, 2, 3]);
  assert.throws(() => tf.engine().runKernel('Cumprod', { x: y }, { axis: 3, exclusive: false, reverse: false }),
      /Axis must be|axis/i);
  const r = tf.cumsum(y);
  assert.deepEqual(Array.from(r.dataSync()), [1, 3, 6]);
  tf.dispose([x, y, r]);
});
