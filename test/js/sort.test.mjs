// TopK and NonMaxSuppressionV3/V4/V5 on the built wasm against tfjs-backend-cpu.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const exact = (fn, what) => matchesCpu(fn, 0, 0, what);
/** tf.topk as a list of its two tensors. */
const topk = (...args) => {
  const { values, indices } = tf.topk(...args);
  return [values, indices];
};

test('topk matches cpu exactly for every k, sorted and unsorted, odd rows', async () => {
  for (const n of [1, 3, 4, 7, 16, 17, 33, 64, 65, 130]) {
    const x = randomValues(5 * n, n, -3, 3);
    const ties = x.map((v) => Math.round(v));
    for (let k = 0; k <= n; k += n > 20 ? 7 : 1) {
      for (const sorted of [true, false]) {
        await exact(() => topk(tf.tensor2d(x, [5, n]), k, sorted), `topk n ${n} k ${k} ${sorted}`);
        await exact(() => topk(tf.tensor2d(ties, [5, n]), k, sorted), `ties n ${n} k ${k}`);
        await exact(() => topk(tf.tensor2d(ties, [5, n], 'int32'), k, sorted), `int32 n ${n} k ${k}`);
      }
    }
  }
});

test('topk partitions long rows in the same order as cpu (Floyd-Rivest sampling)', async () => {
  const x = randomValues(3 * 2000, 77, -1, 1);
  const ties = x.map((v) => Math.round(v * 20));
  for (const k of [1, 10, 600, 1000, 1999]) {
    await exact(() => topk(tf.tensor2d(x, [3, 2000]), k, false), `long k ${k}`);
    await exact(() => topk(tf.tensor2d(ties, [3, 2000]), k, false), `long ties k ${k}`);
    await exact(() => topk(tf.tensor2d(ties, [3, 2000]), k, true), `long ties sorted k ${k}`);
  }
});

test('topk places NaN and infinities where cpu does', async () => {
  const rows = [[1, NaN, 3, 2], [NaN, 1, 2, 3], [3, 2, 1, NaN], [NaN, NaN, 1, 0],
    [5, Infinity, Infinity, -Infinity], [-Infinity, NaN, -Infinity, 4]];
  for (const r of rows) {
    for (let k = 0; k <= 4; k++) {
      for (const sorted of [true, false]) {
        await exact(() => topk(tf.tensor1d(r), k, sorted), `[${r}] k ${k} ${sorted}`);
      }
    }
  }
  const x = randomValues(60, 3, -2, 2).map((v, i) => (i % 7 === 3 ? NaN : v));
  for (let k = 0; k <= 60; k += 3) await exact(() => topk(tf.tensor1d(x), k), `nan row k ${k}`);
});

test('topk of rank-3 and bool input keeps shapes and dtypes', async () => {
  await exact(() => topk(tf.tensor3d(randomValues(24, 5), [2, 3, 4]), 2), 'rank 3');
  await exact(() => topk(tf.tensor2d([1, 0, 1, 1, 0, 0], [2, 3], 'bool'), 2), 'bool');
});

function boxesAndScores(n, seed) {
  const r = randomValues(5 * n, seed, 0, 1);
  const boxes = [];
  for (let i = 0; i < n; i++) {
    const y = r[5 * i] * 4, x = r[5 * i + 1] * 4, h = 0.2 + r[5 * i + 2], w = 0.2 + r[5 * i + 3];
    boxes.push(...(i % 3 === 1 ? [y + h, x + w, y, x] : [y, x, y + h, x + w]));
  }
  return [boxes, Array.from(r.slice(4 * n, 5 * n))];
}

test('non-max suppression V3/V4/V5 match cpu on overlapping and flipped boxes', async () => {
  for (const n of [0, 1, 5, 40, 150]) {
    const [b, s] = boxesAndScores(n, n + 1);
    for (const maxOut of [0, 1, 7, n]) {
      for (const iou of [0, 0.3, 0.5, 1]) {
        for (const scoreT of [Number.NEGATIVE_INFINITY, 0.4]) {
          const what = `n ${n} max ${maxOut} iou ${iou} score ${scoreT}`;
          await exact(() => tf.image.nonMaxSuppression(tf.tensor2d(b, [n, 4]), tf.tensor1d(s),
              maxOut, iou, scoreT), `V3 ${what}`);
          for (const pad of [false, true]) {
            await exact(() => {
              const r = tf.image.nonMaxSuppressionPadded(tf.tensor2d(b, [n, 4]), tf.tensor1d(s),
                  maxOut, iou, scoreT, pad);
              return [r.selectedIndices, r.validOutputs];
            }, `V4 pad ${pad} ${what}`);
          }
          for (const sigma of [0, 0.2, 1]) {
            await matchesCpu(() => {
              const r = tf.image.nonMaxSuppressionWithScore(tf.tensor2d(b, [n, 4]), tf.tensor1d(s),
                  maxOut, iou, scoreT, sigma);
              return [r.selectedIndices, r.selectedScores];
            }, 1e-6, 1e-7, `V5 sigma ${sigma} ${what}`);
          }
        }
      }
    }
  }
});

test('non-max suppression compares thresholds as doubles, ties by lower index', async () => {
  const boxes = [0, 0, 1, 1, 2, 2, 3, 3, 1, 1, 0, 0, 5, 5, 6, 6];
  const scores = [0.5, 0.15, 0.9, 0.5];
  await exact(() => tf.image.nonMaxSuppression(tf.tensor2d(boxes, [4, 4]), tf.tensor1d(scores),
      4, 0.5, 0.15), 'threshold 0.15');
  await exact(() => tf.image.nonMaxSuppression(tf.tensor2d(boxes, [4, 4]), tf.tensor1d([0.5, 0.5, 0.5, 0.5]),
      4, 0.1), 'all ties');
});

test('bad input throws naming the kernel and the next op still works', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const x = tf.tensor1d([1, 2, 3]);
  assert.throws(() => engine.runKernel('TopK', { x }, { k: 5, sorted: true }),
      /TopK: k \(5\) must be an integer in \[0, 3\]/);
  const boxes = tf.tensor2d([0, 0, 1, 1], [1, 4]), scores = tf.tensor1d([0.5]);
  assert.throws(() => engine.runKernel('NonMaxSuppressionV3', { boxes, scores },
      { maxOutputSize: 1, iouThreshold: 2, scoreThreshold: 0 }),
  /NonMaxSuppression: iouThreshold 2 must be in \[0, 1\]/);
  const before = tf.memory().numTensors;
  const { values, indices } = tf.topk(x, 2);
  assert.deepEqual(Array.from(values.dataSync()), [3, 2]);
  assert.deepEqual(Array.from(indices.dataSync()), [2, 1]);
  tf.dispose([values, indices]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, boxes, scores]);
});
