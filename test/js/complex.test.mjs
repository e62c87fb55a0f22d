// complex64 tensors and the FFT on the built wasm against tfjs-backend-cpu.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertClose, matchesCpu, randomValues, runOn, tf } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const size = (shape) => shape.reduce((a, b) => a * b, 1);
const complexOf = (shape, seed, lo = -1, hi = 1) =>
  tf.complex(tf.tensor(randomValues(size(shape), seed, lo, hi), shape),
      tf.tensor(randomValues(size(shape), seed + 1, lo, hi), shape));

/** Largest |value| of the outputs of runOn. */
const peak = (outs) => Math.max(1e-30, ...outs.flatMap((o) => o.values.map(Math.abs)));

/**
 * Compares fn on both backends with an absolute tolerance scaled by the
 * largest output: FFTs in float32 round like eps * log2(n) * |X|max.
 */
async function matchesCpuScaled(fn, rel, what) {
  const want = await runOn('cpu', fn);
  const got = await runOn('cwasm', fn);
  assertClose(got, want, 0, rel * peak(want), what);
}

test('complex, real, imag and abs match cpu, abs without underflow', async () => {
  for (const shape of [[], [1], [7], [3, 5], [2, 3, 4], [2, 1, 3, 2, 2]]) {
    await matchesCpu(() => complexOf(shape, 3), 0, 0, `complex [${shape}]`);
    await matchesCpu(() => [tf.real(complexOf(shape, 5)), tf.imag(complexOf(shape, 5))], 0, 0, `parts [${shape}]`);
    await matchesCpu(() => tf.abs(complexOf(shape, 7, -1e3, 1e3)), 0, 0, `abs [${shape}]`);
  }
  const tiny = [1e-30, 0, 1e-30, 3e-39, Infinity, NaN, -3e38, 0];
  await matchesCpu(() => tf.abs(tf.complex(tiny, tiny.slice().reverse())), 0, 0, 'abs of tiny, huge and special values');
  await matchesCpu(() => tf.complex(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4])), 0, 0, 'int32 real part');
});

test('add, sub and mul of complex tensors broadcast and match cpu bit for bit', async () => {
  const pairs = [[[5], [5]], [[3, 1, 5], [4, 5]], [[2, 1, 3, 1], [1, 4, 1, 6]], [[17], [1]], [[1], [2, 3]]];
  for (const [sa, sb] of pairs) {
    for (const op of ['add', 'sub', 'mul']) {
      await matchesCpu(() => tf[op](complexOf(sa, 1, -3, 3), complexOf(sb, 2, -3, 3)), 0, 0, `${op} [${sa}] [${sb}]`);
      await matchesCpu(() => tf[op](complexOf(sa, 1), tf.tensor(randomValues(size(sb), 9, -3, 3), sb)), 0, 0,
          `${op} complex [${sa}] and float32 [${sb}]`);
      await matchesCpu(() => tf[op](tf.tensor(randomValues(size(sa), 4, -3, 3).map(Math.round), sa, 'int32'),
          complexOf(sb, 6)), 0, 0, `${op} int32 [${sa}] and complex [${sb}]`);
    }
  }
});

// cpu reads past the smaller operand when no dimension of size 1 is broadcast
// ([3, 4] with [4], a scalar with [2, 3]) and gives NaN, so these shapes are
// checked against the same arithmetic written with float32 ops on cpu.
test('complex broadcasting over added leading dimensions matches the arithmetic on parts', async () => {
  const ops = {
    add: (ar, ai, br, bi) => [tf.add(ar, br), tf.add(ai, bi)],
    sub: (ar, ai, br, bi) => [tf.sub(ar, br), tf.sub(ai, bi)],
    mul: (ar, ai, br, bi) => [tf.sub(tf.mul(ar, br), tf.mul(ai, bi)), tf.add(tf.mul(ar, bi), tf.mul(ai, br))],
  };
  for (const [sa, sb] of [[[3, 4], [4]], [[], [2, 3]], [[2, 3, 2], [3, 2]], [[4], [5, 2, 4]]]) {
    for (const [op, parts] of Object.entries(ops)) {
      const a = () => complexOf(sa, 31, -3, 3), b = () => complexOf(sb, 37, -3, 3);
      const want = await runOn('cpu', () => {
        const [r, i] = parts(tf.real(a()), tf.imag(a()), tf.real(b()), tf.imag(b()));
        return tf.complex(r, i);
      });
      const got = await runOn('cwasm', () => tf[op](a(), b()));
      assertClose(got, want, 1e-6, 1e-6, `${op} [${sa}] [${sb}]`);
    }
  }
});

test('cast to and from complex64, zerosLike, onesLike, clone, reshape, concat and stack match cpu', async () => {
  const c = () => complexOf([2, 3], 11, -2, 2);
  for (const dtype of ['float32', 'int32', 'bool']) {
    await matchesCpu(() => tf.cast(c(), dtype), 0, 0, `complex64 -> ${dtype}`);
    await matchesCpu(() => tf.cast(tf.cast(tf.tensor1d([0, 1.5, -2.5, 3]), dtype), 'complex64'), 0, 0, `${dtype} -> complex64`);
  }
  await matchesCpu(() => [tf.zerosLike(c()), tf.onesLike(c()), tf.clone(c()), tf.reshape(c(), [3, 2, 1])], 0, 0, 'like');
  await matchesCpu(() => [tf.concat([c(), complexOf([2, 1], 3)], 1), tf.concat([c(), c()], 0)], 0, 0, 'concat');
  await matchesCpu(() => tf.stack([c(), c()], 1), 0, 0, 'stack');
  await matchesCpu(() => tf.ones([2, 2], 'complex64'), 0, 0, 'ones complex64');
});

test('data-movement kernels act on the real and the imaginary part alike', async () => {
  await tf.setBackend('cwasm');
  const c = complexOf([4, 3, 2], 21);
  const re = tf.real(c), im = tf.imag(c);
  const cases = [
    ['slice', (x) => tf.slice(x, [1, 0, 1], [2, 3, 1])],
    ['stridedSlice', (x) => tf.stridedSlice(x, [0, 2, 0], [4, 0, 2], [2, -1, 1])],
    ['transpose kernel', (x) => tf.engine().runKernel('Transpose', { x }, { perm: [2, 0, 1] })],
    ['tile', (x) => tf.tile(x, [1, 2, 2])],
    ['reverse', (x) => tf.reverse(x, [0, 2])],
    ['gather', (x) => tf.gather(x, tf.tensor1d([3, 0, 3], 'int32'), 0)],
    ['gatherND', (x) => tf.gatherND(x, tf.tensor2d([[1, 2], [0, 0]], [2, 2], 'int32'))],
    ['mirrorPad', (x) => tf.mirrorPad(x, [[1, 1], [0, 2], [1, 0]], 'reflect')],
    ['split', (x) => tf.split(x, [1, 3], 0)[1]],
    ['unstack', (x) => tf.unstack(x, 1)[2]],
    ['where', (x) => tf.where(tf.tile(tf.tensor3d([1, 0, 0, 1], [4, 1, 1], 'bool'), [1, 3, 2]), x, tf.zerosLike(x))],
  ];
  for (const [what, f] of cases) {
    const got = tf.tidy(() => {
      const y = f(c);
      return { dtype: y.dtype, shape: y.shape, values: Array.from(y.dataSync()) };
    });
    const want = tf.tidy(() => {
      const y = tf.complex(f(re), f(im));
      return { dtype: y.dtype, shape: y.shape, values: Array.from(y.dataSync()) };
    });
    assert.deepEqual(got, want, what);
  }
  const conj = tf.transpose(c, [1, 0, 2], true);
  assert.deepEqual(Array.from(tf.imag(conj).dataSync()), Array.from(tf.neg(tf.transpose(im, [1, 0, 2])).dataSync()));
  tf.dispose([c, re, im, conj]);
});

test('fft and ifft match cpu for power-of-two and other lengths, batched', async () => {
  const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 31, 32, 33, 64, 100, 127, 128, 256, 257];
  for (const n of lengths) {
    for (const shape of [[n], [3, n], [2, 2, n]]) {
      await matchesCpuScaled(() => tf.spectral.fft(complexOf(shape, n)), 5e-7 * (1 + Math.log2(n)), `fft [${shape}]`);
      await matchesCpuScaled(() => tf.spectral.ifft(complexOf(shape, n + 3)), 5e-7 * (1 + Math.log2(n)), `ifft [${shape}]`);
    }
  }
});

test('ifft(fft(x)) gives x back, and the transform keeps energy (Parseval)', async () => {
  await tf.setBackend('cwasm');
  for (const n of [8, 45, 1024, 1000]) {
    const x = complexOf([2, n], n);
    const X = tf.spectral.fft(x);
    const back = tf.spectral.ifft(X);
    assertClose([{ shape: [], dtype: '', values: Array.from(back.dataSync()) }],
        [{ shape: [], dtype: '', values: Array.from(x.dataSync()) }], 0, 1e-5, `n=${n} round trip`);
    const ex = tf.sum(tf.square(tf.abs(x))).dataSync()[0], eX = tf.sum(tf.square(tf.abs(X))).dataSync()[0];
    assert.ok(Math.abs(eX - n * ex) <= 1e-4 * n * ex, `n=${n}: sum |X|^2 ${eX} vs n sum |x|^2 ${n * ex}`);
    tf.dispose([x, X, back]);
  }
});

test('rfft and irfft match cpu', async () => {
  for (const n of [2, 5, 8, 9, 16, 30, 64]) {
    const x = () => tf.tensor(randomValues(3 * n, n), [3, n]);
    await matchesCpuScaled(() => tf.spectral.rfft(x()), 1e-5 * (1 + Math.log2(n)), `rfft ${n}`);
    await matchesCpuScaled(() => tf.spectral.rfft(x(), n + 3), 1e-5 * (1 + Math.log2(n)), `rfft ${n} padded`);
    await matchesCpuScaled(() => tf.spectral.irfft(complexOf([3, n], n)), 1e-5 * (1 + Math.log2(n)), `irfft ${n}`);
  }
});

test('stft of one second of 44.1 kHz audio with 1024-sample frames matches cpu', async () => {
  const rate = 44100;
  const t = Float32Array.from({ length: rate }, (_, i) => i / rate);
  const noise = randomValues(rate, 77, -0.05, 0.05);
  const audio = t.map((s, i) => 0.6 * Math.sin(2 * Math.PI * 440 * s) + 0.3 * Math.sin(2 * Math.PI * 3150 * s) + noise[i]);
  const spectrogram = () => tf.abs(tf.signal.stft(tf.tensor1d(audio), 1024, 512));
  const want = await runOn('cpu', spectrogram);
  const got = await runOn('cwasm', spectrogram);
  assert.deepEqual(got[0].shape, [85, 513]);
  assertClose(got, want, 0, 2e-6 * peak(want), 'stft magnitudes');
  // The 440 Hz bin (440 / 44100 * 1024 = 10.2) dominates each frame's low band.
  const frame = got[0].values.slice(40 * 513, 41 * 513);
  assert.equal(frame.indexOf(Math.max(...frame.slice(0, 40))), 10);
});

test('complex tensors free their parts: memory counts return to where they started', async () => {
  await tf.setBackend('cwasm');
  const backend = tf.engine().backend;
  const tensors0 = tf.memory().numTensors, ids0 = backend.numDataIds();
  const c = complexOf([4, 4], 1);
  assert.equal(backend.numDataIds() - ids0, 3 + 2, 'complex + its two parts + the two inputs');
  const r = tf.reshape(c, [16]), k = tf.clone(c), re = tf.real(c);
  c.dispose();
  r.dispose();
  assert.equal(k.dtype, 'complex64');
  assert.equal(tf.tidy(() => tf.real(k).dataSync()[3]), re.dataSync()[3], 'a clone keeps the parts alive');
  k.dispose();
  assert.equal(re.dataSync().length, 16, 'real() copied its part');
  const f = tf.tidy(() => tf.abs(tf.spectral.ifft(tf.spectral.fft(tf.mul(complexOf([3, 6], 2), tf.scalar(2))))));
  tf.dispose([re, f]);
  tf.disposeVariables();
  const leftovers = tf.memory().numTensors - tensors0;
  assert.equal(leftovers, 2, 'only the two float inputs of complexOf remain');
});

test('bad input throws naming the kernel and nothing leaks', async () => {
  await tf.setBackend('cwasm');
  const backend = tf.engine().backend;
  const c = complexOf([3], 5);
  const ids = backend.numDataIds();
  assert.throws(() => tf.neg(c), /Neg: complex64 tensors are not supported/);
  assert.throws(() => tf.sum(c), /Sum: complex64 tensors are not supported/);
  assert.throws(() => tf.div(c, c), /RealDiv: complex64 tensors are not supported/);
  assert.throws(() => tf.engine().runKernel('FFT', { input: tf.tensor1d([1, 2]) }), /FFT: input must be complex64/);
  assert.throws(() => tf.engine().runKernel('ComplexAbs', { x: tf.tensor1d([1, 2]) }), /ComplexAbs: input must be complex64/);
  assert.throws(() => tf.engine().runKernel('Complex', { real: tf.tensor1d([1]), imag: tf.tensor1d([1, 2]) }),
      /Complex: real shape \[1\] and imag shape \[2\] must match/);
  assert.throws(() => tf.engine().runKernel('Cast', { x: c }, { dtype: 'string' }), /Cast: cannot cast complex64 to string/);
  assert.equal(backend.numDataIds(), ids + 4, 'only the four tensors made for the calls');
  assert.deepEqual(Array.from(tf.spectral.fft(c).dataSync()).length, 6);
});

test('a complex tensor made on cpu moves to cwasm with its values', async () => {
  await tf.setBackend('cpu');
  const c = tf.complex([1, -2, 3.5], [0.25, 4, -6]);
  await tf.setBackend('cwasm');
  const r = tf.real(c), i = tf.imag(c);
  assert.deepEqual(Array.from(r.dataSync()), [1, -2, 3.5]);
  assert.deepEqual(Array.from(i.dataSync()), [0.25, 4, -6]);
  tf.dispose([c, r, i]);
});

test('fft and complex arithmetic give the same bits on every variant and thread count', () => {
  const run = (...args) => {
    const out = execFileSync(process.execPath, [path.join(here, 'fixtures', 'fft_bits.mjs'), ...args.filter((a) => a != null)],
        { encoding: 'utf8', timeout: 120000 });
    return JSON.parse(out.trim().split('\n').pop());
  };
  const simd = run('simd');
  assert.equal(simd.info.variant, 'simd');
  for (const [variant, threads] of [['scalar'], ['threads', '1'], ['threads', '2']]) {
    const r = run(variant, threads);
    assert.equal(r.info.variant, variant);
    if (threads) assert.equal(r.info.threads, Number(threads));
    assert.equal(r.count, simd.count);
    assert.equal(r.sha256, simd.sha256, `${variant} ${threads || ''} differs from simd`);
  }
});
