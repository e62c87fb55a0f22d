// The loader: every variant, every way of instantiating (file, ArrayBuffer,
// injected instantiate function), the CommonJS and ES module entries, and
// bit-identical results for 1 and 2 threads. Each case runs in its own
// process, since a variant is chosen once per process.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function run(file, ...args) {
  const out = execFileSync(process.execPath, [path.join(here, 'fixtures', file), ...args],
      { encoding: 'utf8', timeout: 60000 });
  return JSON.parse(out.trim().split('\n').pop());
}

const simd = run('load.mjs', 'file', 'simd');

test('the simd variant loads from its file next to the bundle', () => {
  assert.equal(simd.info.variant, 'simd');
  assert.equal(simd.info.vec, 'wasm-simd128');
  assert.equal(simd.bits.length, 130 * 71 + 71 + 130 + 130 * 71);
});

test('the scalar variant loads and agrees with simd to rounding', () => {
  const scalar = run('load.mjs', 'file', 'scalar');
  assert.equal(scalar.info.vec, 'scalar');
  const f = (bits) => new Float32Array(new Uint32Array(bits).buffer);
  const a = f(scalar.bits), b = f(simd.bits);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * (1 + Math.abs(b[i])), `element ${i}: ${a[i]} vs ${b[i]}`);
  }
});

test('wasm bytes handed in as an ArrayBuffer are used', () => {
  const r = run('load.mjs', 'binary', 'simd');
  assert.equal(r.info.variant, 'simd');
  assert.deepEqual(r.bits, simd.bits);
});

test('an injected instantiate function is called with the variant file', () => {
  const r = run('load.mjs', 'instantiate', 'simd');
  assert.deepEqual(r.calls, ['cwasm-simd.wasm']);
  assert.deepEqual(r.bits, simd.bits);
});

test('the threaded variant runs 2 threads with results bit-identical to 1 thread', () => {
  const two = run('load.mjs', 'file', 'threads', '2');
  const one = run('load.mjs', 'file', 'threads', '1');
  assert.equal(two.info.variant, 'threads');
  assert.equal(two.info.threads, 2);
  assert.equal(one.info.threads, 1);
  assert.deepEqual(two.bits, one.bits);
  assert.deepEqual(two.bits, simd.bits);
});

test('require() of the package works (CommonJS entry)', () => {
  const r = run('require.cjs');
  assert.equal(r.info.variant, 'simd');
  assert.deepEqual(r.r, [4, 6]);
});
