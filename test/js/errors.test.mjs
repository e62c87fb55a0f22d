// Bad input: every failure is a thrown Error naming the kernel and what was
// wrong, and the wasm instance keeps working afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from './helpers.mjs';

await tf.setBackend('cwasm');
const engine = tf.engine();

/** Asserts fn throws an Error matching re, then that a normal op still works. */
function throwsAndRecovers(fn, re) {
  assert.throws(fn, (e) => e instanceof Error && re.test(e.message), `expected an Error matching ${re}`);
  const values = tf.tidy(() => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    return Array.from(tf.add(tf.matMul(a, a), 1).dataSync());
  });
  assert.deepEqual(values, [8, 11, 16, 23]);
}

test('mismatched matmul shapes throw naming the shapes', () => {
  const a = tf.ones([2, 3]), b = tf.ones([4, 5]);
  throwsAndRecovers(() => engine.runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }),
      /inner shapes \(3\) and \(4\)/);
  tf.dispose([a, b]);
});

test('shapes that do not broadcast throw from the C kernel with the op and shapes', () => {
  const a = tf.ones([3, 4]), b = tf.ones([5]);
  throwsAndRecovers(() => engine.runKernel('Sub', { a, b }, {}), /Operands could not be broadcast|do not broadcast/);
  tf.dispose([a, b]);
});

test('an out-of-range gather index throws naming the kernel and the bound', () => {
  const x = tf.tensor1d([1, 2, 3]);
  const indices = tf.tensor1d([0, 7], 'int32');
  throwsAndRecovers(() => engine.runKernel('GatherV2', { x, indices }, { axis: 0, batchDims: 0 }),
      /GatherV2: the index value 7 is not in \[0, 2\]/);
  tf.dispose([x, indices]);
});

test('a wrong dtype throws naming the kernel and the dtype', () => {
  const logits = tf.tensor1d([1, 2, 3], 'int32');
  throwsAndRecovers(() => engine.runKernel('Softmax', { logits }, { dim: -1 }),
      /Softmax: expected float32 logits, got int32/);
  const s = tf.tensor1d(['a', 'b'], 'string');
  throwsAndRecovers(() => engine.runKernel('Exp', { x: s }, {}), /Exp: string tensors are not supported/);
  tf.dispose([logits, s]);
});

test('an allocation the wasm memory cannot hold throws and nothing leaks', () => {
  const before = tf.memory().numTensors;
  // A kernel's output, and data written from JS.
  throwsAndRecovers(() => tf.fill([100000, 100000], 1), /Fill: cannot allocate 40000000000 bytes/);
  throwsAndRecovers(() => tf.fill([30000, 30000], 1), /Fill: cannot allocate 3600000000 bytes/);
  throwsAndRecovers(() => tf.zeros([30000, 30000]), /cwasm write: cannot allocate 3600000000 bytes/);
  assert.equal(tf.memory().numTensors, before);
});

test('reading a disposed tensor throws', () => {
  const t = tf.tensor1d([1, 2, 3]);
  const dataId = t.dataId;
  t.dispose();
  assert.throws(() => t.dataSync(), /disposed/);
  throwsAndRecovers(() => tf.backend().readSync(dataId), /disposed/);
});

test('a C kernel error leaves no output tensor behind', () => {
  const before = tf.backend().numDataIds();
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const indices = tf.tensor1d([-1], 'int32');
  assert.throws(() => engine.runKernel('GatherV2', { x, indices }, { axis: 1, batchDims: 0 }),
      /GatherV2: the index value -1/);
  tf.dispose([x, indices]);
  assert.equal(tf.backend().numDataIds(), before);
});
