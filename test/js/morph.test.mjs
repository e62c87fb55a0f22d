// Dilation2D on 'cwasm' against tfjs-backend-cpu, and its bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

test('dilation2d matches the cpu backend over strides, dilations and padding', async () => {
  const cases = [
    [[1, 7, 9, 3], [3, 3, 3], 1, 'same', 1],
    [[2, 8, 8, 5], [2, 3, 5], 2, 'valid', 1],
    [[1, 9, 7, 4], [3, 2, 4], 1, 'same', 2],
    [[1, 6, 6, 1], [1, 1, 1], 1, 'valid', 1],
  ];
  for (const [xs, fs, s, pad, d] of cases) {
    await matchesCpu(() => {
      const x = tf.tensor(randomValues(xs.reduce((a, b) => a * b), 3, -2, 2), xs);
      const f = tf.tensor(randomValues(fs.reduce((a, b) => a * b), 4, -1, 1), fs);
      return tf.dilation2d(x, f, s, pad, d);
    }, 0, 0, `dilation2d x=[${xs}] f=[${fs}] s=${s} ${pad} d=${d}`);
  }
});

test('dilation2d with a filter of the wrong depth throws naming the kernel', async () => {
  await tf.setBackend('cwasm');
  const before = tf.memory().numTensors;
  const x = tf.ones([1, 4, 4, 3]), f = tf.ones([2, 2, 2]);
  assert.throws(() => tf.engine().runKernel('Dilation2D', { x, filter: f }, { strides: [1, 1], pad: 'same', dilations: [1, 1] }),
      /Dilation2D: filter depth 2 does not match input depth 3/);
  const g = tf.ones([2, 2, 3]);
  const y = tf.dilation2d(x, g, 1, 'same');
  assert.deepEqual(Array.from(y.dataSync()).slice(0, 3), [2, 2, 2]);
  tf.dispose([x, f, g, y]);
  assert.equal(tf.memory().numTensors, before);
});
