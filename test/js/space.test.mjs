// DepthToSpace, SpaceToBatchND, BatchToSpaceND (compositions of layout kernels)
// on the built wasm against tfjs-backend-cpu.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const exact = (fn, what) => matchesCpu(fn, 0, 0, what);

test('depthToSpace NHWC matches cpu', async () => {
  for (const [shape, bs] of [[[1, 1, 1, 4], 2], [[2, 3, 2, 8], 2], [[1, 2, 3, 18], 3], [[3, 1, 4, 12], 2]]) {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomValues(n, n);
    await exact(() => tf.depthToSpace(tf.tensor4d(x, shape), bs), `[${shape}] bs ${bs}`);
  }
});

test('depthToSpace NCHW equals NHWC around two transposes', async () => {
  await tf.setBackend('cwasm');
  const x = tf.tensor4d(randomValues(2 * 8 * 3 * 2, 9), [2, 8, 3, 2]); // NCHW
  const got = tf.depthToSpace(x, 2, 'NCHW');
  const want = tf.transpose(tf.depthToSpace(tf.transpose(x, [0, 2, 3, 1]), 2, 'NHWC'), [0, 3, 1, 2]);
  assert.deepEqual(got.shape, [2, 2, 6, 4]);
  assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
  tf.dispose([x, got, want]);
});

test('spaceToBatchND and batchToSpaceND match cpu with paddings, crops, extra dims', async () => {
  const cases = [
    [[1, 4, 4, 1], [2, 2], [[0, 0], [0, 0]], [[0, 0], [0, 0]]],
    [[2, 2, 4, 3], [2, 2], [[1, 1], [2, 2]], [[0, 0], [2, 0]]],
    [[1, 3, 5, 2], [3, 1], [[0, 0], [1, 0]], [[1, 2], [0, 0]]],
    [[2, 6, 2], [3], [[1, 2]], [[1, 1]]],
    [[1, 2, 2, 3, 2], [2, 1, 3], [[0, 0], [1, 1], [0, 0]], [[0, 1], [0, 0], [1, 1]]],
  ];
  for (const [shape, block, pads, crops] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomValues(n, n + 3);
    await exact(() => tf.spaceToBatchND(tf.tensor(x, shape), block, pads), `s2b [${shape}]`);
    await exact(() => tf.spaceToBatchND(tf.tensor(Array.from(x, (v) => Math.round(v * 9)), shape, 'int32'),
        block, pads), `s2b int32 [${shape}]`);
    const prod = block.reduce((a, b) => a * b, 1);
    const bShape = [shape[0] * prod, ...shape.slice(1)];
    const y = randomValues(n * prod, n + 5);
    await exact(() => tf.batchToSpaceND(tf.tensor(y, bShape), block, crops), `b2s [${bShape}]`);
  }
  // Round trip with the same paddings as crops.
  await tf.setBackend('cwasm');
  const x = tf.tensor4d(randomValues(2 * 2 * 4 * 3, 1), [2, 2, 4, 3]);
  const back = tf.batchToSpaceND(tf.spaceToBatchND(x, [2, 2], [[1, 1], [2, 2]]), [2, 2], [[1, 1], [2, 2]]);
  assert.deepEqual(Array.from(back.dataSync()), Array.from(x.dataSync()));
  tf.dispose([x, back]);
});

test('no temporaries are left behind', async () => {
  await tf.setBackend('cwasm');
  const backend = tf.backend();
  const x = tf.tensor4d(randomValues(48, 2), [2, 2, 4, 3]);
  const before = backend.numDataIds();
  const a = tf.spaceToBatchND(x, [2, 2], [[1, 1], [0, 0]]);
  const b = tf.batchToSpaceND(a, [2, 2], [[1, 1], [0, 0]]);
  const c = tf.depthToSpace(tf.reshape(x, [2, 2, 1, 12]), 2);
  assert.equal(backend.numDataIds(), before + 3);
  tf.dispose([a, b, c]);
  assert.equal(backend.numDataIds(), before);
  x.dispose();
});

test('bad input throws naming the kernel and the next op still works', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const x = tf.tensor4d(randomValues(12, 3), [1, 2, 2, 3]);
  assert.throws(() => engine.runKernel('DepthToSpace', { x }, { blockSize: 2, dataFormat: 'NHWC' }),
      /DepthToSpace: depth 3 is not divisible by blockSize \* blockSize = 4/);
  assert.throws(() => engine.runKernel('SpaceToBatchND', { x }, { blockShape: [3], paddings: [[0, 0]] }),
      /SpaceToBatchND: padded dimension 1/);
  assert.throws(() => engine.runKernel('BatchToSpaceND', { x }, { blockShape: [2], crops: [[0, 0]] }),
      /BatchToSpaceND: batch 1 is not divisible/);
  const r = tf.depthToSpace(tf.reshape(x, [1, 1, 3, 4]), 2);
  assert.deepEqual(r.shape, [1, 2, 6, 1]);
  tf.dispose([x, r]);
});
