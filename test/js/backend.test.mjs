// The tensor store, dtypes, memory accounting and the packed-weight cache of
// BackendCwasm, on the built wasm.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cwasm, randomValues, tf } from './helpers.mjs';

await tf.setBackend('cwasm');
const backend = tf.backend();

test('backend reports its variant, vector mapping and thread count', () => {
  const info = cwasm.getBackendInfo();
  assert.equal(tf.getBackend(), 'cwasm');
  assert.ok(['scalar', 'simd', 'threads'].includes(info.variant));
  assert.equal(info.vec, info.variant === 'scalar' ? 'scalar' : 'wasm-simd128');
  assert.ok(info.threads >= 1);
});

test('float32, int32 and bool tensors round-trip through wasm memory', async () => {
  const f = tf.tensor([1.5, -2.25, 3e38, -0], [2, 2], 'float32');
  const i = tf.tensor([1, -2, 2147483647, -2147483648], [4], 'int32');
  const b = tf.tensor([true, false, true], [3], 'bool');
  assert.deepEqual(Array.from(f.dataSync()), [1.5, -2.25, Math.fround(3e38), -0]);
  assert.deepEqual(Array.from(await i.data()), [1, -2, 2147483647, -2147483648]);
  assert.deepEqual(Array.from(b.dataSync()), [1, 0, 1]);
  assert.ok(b.dataSync() instanceof Uint8Array);
  tf.dispose([f, i, b]);
});

test('string tensors stay in JS and read back', () => {
  const s = tf.tensor(['a', 'bc', 'déf'], [3], 'string');
  assert.deepEqual(s.arraySync(), ['a', 'bc', 'déf']);
  s.dispose();
});

test('reshape shares data and disposing both frees it', () => {
  const before = backend.numDataIds();
  const a = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const r = tf.reshape(a, [3, 2]);
  assert.equal(backend.numDataIds(), before + 1);
  assert.deepEqual(r.arraySync(), [[1, 2], [3, 4], [5, 6]]);
  a.dispose();
  assert.deepEqual(Array.from(r.dataSync()), [1, 2, 3, 4, 5, 6]);
  r.dispose();
  assert.equal(backend.numDataIds(), before);
});

test('memory() reports the wasm heap and tf.memory counts tensors', () => {
  const m = tf.memory();
  assert.equal(m.unreliable, false);
  assert.ok(m.wasmMemoryBytes >= 16 * 1024 * 1024);
  const t = tf.zeros([1000]);
  assert.equal(tf.memory().numTensors, m.numTensors + 1);
  assert.equal(tf.memory().numBytes, m.numBytes + 4000);
  t.dispose();
  assert.equal(tf.memory().numTensors, m.numTensors);
});

test('time() measures a kernel', async () => {
  const a = tf.ones([64, 64]);
  const info = await tf.time(() => tf.matMul(a, a).dispose());
  assert.ok(info.kernelMs >= 0);
  a.dispose();
});

test('packed weights are cached per tensor and freed with it', () => {
  const x = tf.tensor2d(randomValues(8 * 300, 1), [8, 300]);
  const w = tf.tensor2d(randomValues(300 * 70, 2), [300, 70]);
  const first = tf.matMul(x, w);
  const entry = backend.dataIdMap.get(w.dataId);
  assert.ok(entry.packed && entry.packed.ptr > 0, 'B was packed and cached');
  const packedPtr = entry.packed.ptr;
  const second = tf.matMul(x, w);
  assert.equal(backend.dataIdMap.get(w.dataId).packed.ptr, packedPtr, 'cache reused');
  assert.deepEqual(Array.from(second.dataSync()), Array.from(first.dataSync()));
  // A transposed use of the same tensor repacks rather than reusing the wrong layout.
  const wt = tf.matMul(tf.transpose(x), tf.ones([8, 300]), false, false);
  const ones = tf.ones([2, 70]);
  const viaT = tf.matMul(ones, w, false, true);
  const wCopy = tf.transpose(tf.transpose(w));
  const viaCopy = tf.matMul(ones, tf.transpose(wCopy));
  assert.deepEqual(viaT.shape, [2, 300]);
  assert.deepEqual(Array.from(viaT.dataSync()), Array.from(viaCopy.dataSync()));
  const before = backend.numDataIds();
  w.dispose();
  assert.equal(backend.numDataIds(), before - 1);
  tf.dispose([x, first, second, wt, viaT, ones, wCopy, viaCopy]);
});

test('a tensor written again under the same dataId drops its packed weights', () => {
  const x = tf.tensor2d(randomValues(4 * 5, 3), [4, 5]);
  const w = tf.tensor2d(randomValues(5 * 6, 4), [5, 6]);
  tf.matMul(x, w).dispose();
  assert.ok(backend.dataIdMap.get(w.dataId).packed);
  const fresh = randomValues(30, 5);
  backend.move(w.dataId, fresh, [5, 6], 'float32', 1);
  assert.equal(backend.dataIdMap.get(w.dataId).packed, null);
  const got = tf.matMul(x, w);
  const want = tf.matMul(x, tf.tensor2d(fresh, [5, 6]));
  assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
  tf.dispose([x, w, got, want]);
});

test('tensors past 2 GiB of wasm memory (pointers read unsigned) hold their values', async () => {
  await tf.setBackend('cwasm');
  // Two 1.2 GB tensors: the second one's address is past 2 GiB, where a
  // pointer read as a signed i32 would be negative.
  const n = 300e6;
  const a = tf.fill([n], 1.5);
  const b = tf.fill([n], 2.5);
  try {
    assert.ok(tf.memory().wasmMemoryBytes > 2 ** 31, `wasm memory ${tf.memory().wasmMemoryBytes}`);
    assert.ok(tf.memory().heapBytesInUse > 2 ** 31, `heap in use ${tf.memory().heapBytesInUse}`);
    const tail = tf.slice(b, n - 3, 3);
    const sum = tf.add(tf.slice(a, n - 3, 3), tail);
    assert.deepEqual(Array.from(await tail.data()), [2.5, 2.5, 2.5]);
    assert.deepEqual(Array.from(await sum.data()), [4, 4, 4]);
    tf.dispose([tail, sum]);
  } finally {
    tf.dispose([a, b]);
  }
});
