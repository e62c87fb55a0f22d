// ScatterNd, TensorScatterUpdate and SparseToDense on the built wasm against
// tfjs-backend-cpu: exact results (duplicates summed or last-wins as cpu),
// every dtype, slices of several elements, empty inputs, bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const exact = (fn, what) => matchesCpu(fn, 0, 0, what);

/** Deterministic ints in [0, hi] (hi + 1 values), n of them. */
function randomInts(n, hi, seed) {
  return Array.from(randomValues(n, seed, 0, hi + 1), (v) => Math.min(hi, Math.floor(v)));
}

/** Values of a dtype: floats with fractions, ints, or 0/1. */
function valuesOf(dtype, n, seed) {
  const r = randomValues(n, seed, -50, 50);
  if (dtype === 'float32') return r;
  if (dtype === 'int32') return Int32Array.from(r, Math.round);
  return Uint8Array.from(r, (v) => (v > 0 ? 1 : 0));
}

/** Shapes: [output shape, index depth], from a plain vector to rank 4 with long slices. */
const CASES = [
  [[5], 1], [[8], 1], [[5, 3], 1], [[3, 3], 2], [[4, 4, 4], 1], [[2, 2, 256], 2],
  [[3, 5, 17], 1], [[2, 3, 4, 33], 2], [[2, 3, 4, 5], 3], [[3, 2, 2, 2], 4], [[6, 16], 1],
];

/** Indices [n, depth] in range per dimension (with repeats) and the matching updates shape. */
function scatterArgs(shape, depth, n, seed) {
  const idx = [];
  const r = randomValues(n * depth, seed, 0, 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < depth; j++) idx.push(Math.floor(r[i * depth + j] * shape[j]));
  }
  const updatesShape = [n, ...shape.slice(depth)];
  return { idx, updatesShape, size: updatesShape.reduce((a, b) => a * b, 1) };
}

test('scatterND sums duplicate rows like cpu for every dtype and index depth', async () => {
  let seed = 1;
  for (const [shape, depth] of CASES) {
    for (const n of [1, 3, 12]) {
      for (const dtype of ['float32', 'int32', 'bool']) {
        const { idx, updatesShape, size } = scatterArgs(shape, depth, n, seed++);
        const upd = valuesOf(dtype, size, seed++);
        await exact(() => tf.scatterND(tf.tensor2d(idx, [n, depth], 'int32'),
            tf.tensor(upd, updatesShape, dtype), shape),
        `${dtype} [${shape}] depth ${depth} n ${n}`);
      }
    }
  }
  // 1-D indices address the first dimension.
  await exact(() => tf.scatterND(tf.tensor1d([0, 4, 2, 1, 3, 0], 'int32'),
      tf.tensor1d([10, 20, 30, 40, 50, 60]), [8]), 'vector indices with a duplicate');
  await exact(() => tf.scatterND(tf.tensor1d([1, 1, 1], 'int32'),
      tf.tensor1d([2147483647, 1, 5], 'int32'), [2]), 'int32 wrap-around');
});

test('tensorScatterUpdate keeps the last duplicate like cpu for every dtype', async () => {
  let seed = 100;
  for (const [shape, depth] of CASES) {
    for (const n of [1, 4, 12]) {
      for (const dtype of ['float32', 'int32', 'bool']) {
        const { idx, updatesShape, size } = scatterArgs(shape, depth, n, seed++);
        const base = valuesOf(dtype, shape.reduce((a, b) => a * b, 1), seed++);
        const upd = valuesOf(dtype, size, seed++);
        await exact(() => tf.tensorScatterUpdate(tf.tensor(base, shape, dtype),
            tf.tensor2d(idx, [n, depth], 'int32'), tf.tensor(upd, updatesShape, dtype)),
        `${dtype} [${shape}] depth ${depth} n ${n}`);
      }
    }
  }
});

// The op accepts numbers only; runKernel reaches the kernel's string path.
test('tensorScatterUpdate of strings follows cpu', async () => {
  await exact(() => tf.engine().runKernel('TensorScatterUpdate', {
    tensor: tf.tensor2d(['a', 'b', 'c', 'd'], [2, 2]),
    indices: tf.tensor2d([1, 0, 1], [3, 1], 'int32'),
    updates: tf.tensor2d(['x', 'y', 'z', 'w', 'u', 'v'], [3, 2]),
  }, {}), 'strings');
});

test('sparseToDense fills the default and keeps the last duplicate like cpu', async () => {
  let seed = 300;
  for (const shape of [[7], [17], [3, 4], [5, 6], [2, 3, 4], [3, 2, 2, 5]]) {
    const rank = shape.length;
    for (const n of [1, 5, 30]) {
      for (const dtype of ['float32', 'int32', 'bool']) {
        const { idx } = scatterArgs(shape, rank, n, seed++);
        const vals = valuesOf(dtype, n, seed++);
        const dflt = valuesOf(dtype, 1, seed++)[0];
        const indices = () => (rank === 1 ?
            tf.tensor1d(idx, 'int32') : tf.tensor2d(idx, [n, rank], 'int32'));
        await exact(() => tf.sparseToDense(indices(), tf.tensor1d(vals, dtype), shape,
            tf.scalar(dflt, dtype)), `${dtype} [${shape}] n ${n}`);
        // rank-0 values: every listed element gets the one value
        await exact(() => tf.sparseToDense(indices(), tf.scalar(vals[0], dtype), shape,
            tf.scalar(dflt, dtype)), `${dtype} scalar value [${shape}] n ${n}`);
      }
    }
  }
  await exact(() => tf.sparseToDense(tf.scalar(2, 'int32'), tf.scalar(9), [4]), 'scalar index');
  await exact(() => tf.sparseToDense(tf.tensor2d([0, 1, 1, 1], [2, 2], 'int32'),
      tf.tensor1d(['a', 'b']), [2, 2], tf.scalar('c')), 'strings');
});

test('empty updates give the default and empty outputs stay empty', async () => {
  await exact(() => tf.scatterND(tf.zeros([0, 2], 'int32'), tf.zeros([0, 3]), [2, 2, 3]),
      'no rows');
  await exact(() => tf.tensorScatterUpdate(tf.ones([2, 3]), tf.zeros([0, 1], 'int32'),
      tf.zeros([0, 3])), 'no rows update');
  await exact(() => tf.sparseToDense(tf.zeros([0, 2], 'int32'), tf.zeros([0]), [3, 2],
      tf.scalar(4)), 'no values');
  await exact(() => tf.scatterND(tf.tensor2d([0, 1], [2, 1], 'int32'), tf.zeros([2, 0]), [3, 0]),
      'empty output');
  await exact(() => tf.sparseToDense(tf.zeros([0, 0], 'int32'), tf.zeros([0]), [], tf.scalar(5)),
      'rank-0 output');
});

test('only the flat slot of an index row is checked, as cpu does', async () => {
  // [0, 5] into [3, 4] is slot 5, [2, -1] is slot 7: both accepted by cpu.
  await exact(() => tf.scatterND(tf.tensor2d([0, 5, 2, -1], [2, 2], 'int32'),
      tf.tensor1d([1, 2]), [3, 4]), 'flat slots');
});

test('bad input throws naming the kernel, the next op works and nothing leaks', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const backend = tf.backend();
  const idx = tf.tensor2d([0, 1, 3, 0], [2, 2], 'int32');
  const upd = tf.tensor1d([1, 2]);
  const tensorsBefore = tf.memory().numTensors;
  const dataBefore = backend.numDataIds();
  /** fn inside tidy, so the inputs it makes are released even though it throws. */
  const throws = (fn, re) => assert.throws(() => tf.tidy(fn), re);
  throws(() => tf.scatterND(idx, upd, [3, 4]),
      /ScatterNd: invalid indices: row 1 = \[3, 0\] does not index into \[3, 4\]/);
  throws(() => tf.tensorScatterUpdate(tf.zeros([3, 4]), idx, upd),
      /TensorScatterUpdate: invalid indices: row 1 = \[3, 0\]/);
  throws(() => tf.sparseToDense(idx, upd, [3, 4], tf.scalar(0)),
      /SparseToDense: invalid indices: row 1/);
  throws(() => tf.sparseToDense(idx, tf.tensor1d(['a', 'b']), [3, 4], tf.scalar('z')),
      /SparseToDense: Invalid indices: 3,0 does not index into 3,4/);
  throws(() => engine.runKernel('ScatterNd', { indices: idx, updates: tf.tensor1d([1]) },
      { shape: [3, 4] }), /ScatterNd: updates hold 1 elements, 2 updates of 1 elements need 2/);
  throws(() => engine.runKernel('ScatterNd', { indices: tf.cast(idx, 'float32'), updates: upd },
      { shape: [3, 4] }), /ScatterNd: indices must be int32, got float32/);
  throws(() => engine.runKernel('TensorScatterUpdate',
      { tensor: tf.zeros([3, 4], 'int32'), indices: idx, updates: upd }, {}),
  /TensorScatterUpdate: tensor dtype int32 and updates dtype float32 differ/);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors left by the failing calls');
  assert.equal(backend.numDataIds(), dataBefore, 'data entries left by the failing calls');
  const ok = tf.scatterND(tf.tensor2d([0, 1, 2, 3], [2, 2], 'int32'), upd, [3, 4]);
  assert.deepEqual(Array.from(ok.dataSync()), [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  tf.dispose([ok, idx, upd]);
});
