// Thread counts do not change results: the seed models (prediction and one
// rmsprop training step) and both COCO detectors give the same bytes on
// cwasm's threaded variant with 1, 2 and 4 threads and on its single-threaded
// SIMD variant (each run in its own process: test/js/fixtures/thread_bits.mjs
// prints SHA-256 digests). The pool splits work by a fixed partition that
// depends on the sizes only, and no float reduction is summed in an order
// that depends on the threads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'thread_bits.mjs');

function run(variant, threads) {
  const out = execFileSync(process.execPath, [fixture, variant, String(threads)],
      { encoding: 'utf8', timeout: 240000 });
  return JSON.parse(out.trim().split('\n').pop());
}

const WORKLOADS = [
  'mnist predict', 'mnist training step', 'speech predict', 'speech training step',
  'detector predict', 'detector training step', 'centernet outputs', 'nanodet outputs',
];

const one = run('threads', 1);

test('every workload ran on the threaded variant with one thread', () => {
  assert.deepEqual(one.info, { variant: 'threads', threads: 1, vec: 'wasm-simd128' });
  assert.deepEqual(Object.keys(one.digests), WORKLOADS);
  // Different workloads give different bytes (the digests are of real outputs).
  assert.equal(new Set(Object.values(one.digests)).size, WORKLOADS.length);
});

for (const threads of [2, 4]) {
  test(`${threads} threads give the bytes of 1 thread on every workload`, () => {
    const r = run('threads', threads);
    assert.equal(r.info.threads, threads);
    for (const w of WORKLOADS) assert.equal(r.digests[w], one.digests[w], `${w} with ${threads} threads`);
  });
}

test('the single-threaded SIMD variant gives the same bytes as the threaded one', () => {
  const r = run('simd', 1);
  assert.equal(r.info.variant, 'simd');
  for (const w of WORKLOADS) assert.equal(r.digests[w], one.digests[w], `${w} on simd`);
});
