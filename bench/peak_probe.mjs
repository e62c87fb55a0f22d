// The SIMD128 peak probe: a WebAssembly module written here byte by byte
// (no compiler needed at bench time) whose one function runs a long loop of
// independent f32x4.mul + f32x4.add chains, acc_i = acc_i * a + b for
// `accumulators` independent v128 accumulators, so the multiply and add
// pipes stay busy however long their latency. It measures what one thread
// of this machine can do with SIMD128 without fused multiply-add (the GEMM
// micro-kernels of both wasm backends use a separate mul and add): the
// denominator of "% of peak" in bench/suite.mjs.
//
// Shared by the benchmark page (bundled) and Node (same V8):
//   peakModuleBytes(accumulators, unroll) -> Uint8Array
//   createPeakProbe({accumulators, unroll, targetMs}) -> {warm(), sample()}
//   measurePeak({accumulators, unroll, targetMs, runs, warmupMs}) -> {gflops, ...}

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, I32_CONST = 0x41, I32_SUB = 0x6b;
const LOOP = 0x03, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const SIMD = 0xfd;
const F32X4_SPLAT = [SIMD, 0x13], F32X4_EXTRACT_LANE = [SIMD, 0x1f];
const F32X4_ADD = [SIMD, 0xe4, 0x01], F32X4_MUL = [SIMD, 0xe6, 0x01];
const F32X4_RELAXED_MADD = [SIMD, 0x85, 0x02];  // relaxed SIMD: a * b + c, fused or not

/** Unsigned LEB128. */
function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** A section: id, byte length, contents. */
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];

/** A name as the binary format spells it: length, UTF-8 bytes. */
const name = (s) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/**
 * The module: export peak(iters: i32, a: f32, b: f32) -> f32 runs `iters`
 * iterations of `unroll` x `accumulators` pairs (f32x4.mul then f32x4.add,
 * 8 flops a pair) and returns lane 0 of the sum of the accumulators (so
 * nothing is dead code). With a = 0.5 and b = 0.5 every accumulator stays
 * at 1.0: no overflow, no denormals. fused: one f32x4.relaxed_madd per pair
 * instead (relaxed SIMD; a fused multiply-add where the CPU has one), still
 * counted as 8 flops.
 */
export function peakModuleBytes(accumulators = 12, unroll = 4, fused = false) {
  const ITERS = 0, A = 1, B = 2;
  const acc = (i) => 3 + i;
  const VA = 3 + accumulators, VB = 4 + accumulators;
  const body = [];
  body.push(LOCAL_GET, A, ...F32X4_SPLAT, LOCAL_SET, ...uleb(VA));
  body.push(LOCAL_GET, B, ...F32X4_SPLAT, LOCAL_SET, ...uleb(VB));
  for (let i = 0; i < accumulators; i++) body.push(LOCAL_GET, ...uleb(VB), LOCAL_SET, ...uleb(acc(i)));
  body.push(LOOP, VOID);
  for (let u = 0; u < unroll; u++) {
    for (let i = 0; i < accumulators; i++) {
      if (fused) {
        body.push(LOCAL_GET, ...uleb(acc(i)), LOCAL_GET, ...uleb(VA), LOCAL_GET, ...uleb(VB),
            ...F32X4_RELAXED_MADD, LOCAL_SET, ...uleb(acc(i)));
      } else {
        body.push(LOCAL_GET, ...uleb(acc(i)), LOCAL_GET, ...uleb(VA), ...F32X4_MUL,
            LOCAL_GET, ...uleb(VB), ...F32X4_ADD, LOCAL_SET, ...uleb(acc(i)));
      }
    }
  }
  body.push(LOCAL_GET, ITERS, I32_CONST, 1, I32_SUB, LOCAL_SET, ITERS);
  body.push(LOCAL_GET, ITERS, BR_IF, 0, END);
  body.push(LOCAL_GET, ...uleb(acc(0)));
  for (let i = 1; i < accumulators; i++) body.push(LOCAL_GET, ...uleb(acc(i)), ...F32X4_ADD);
  body.push(...F32X4_EXTRACT_LANE, 0, END);
  const locals = [1, ...uleb(accumulators + 2), V128];  // one run of v128 locals
  const func = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, I32, F32, F32, 1, F32]),    // type: (i32, f32, f32) -> f32
    ...section(3, [1, 0]),                                 // function 0 has type 0
    ...section(7, [1, ...name('peak'), 0x00, 0]),          // export "peak" = function 0
    ...section(10, [1, ...uleb(func.length), ...func]),    // its code
  ]);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * A probe ready to run on the calling thread: warm() runs it for at least
 * warmupMs (V8 first runs wasm in its baseline compiler and tiers up between
 * calls) while growing the call to about targetMs; sample() times one call
 * and returns {ms, gflops} with gflops = iters * unroll * accumulators * 8 / t.
 */
export function createPeakProbe({ accumulators = 12, unroll = 4, targetMs = 5, fused = false } = {}) {
  const module = new WebAssembly.Module(peakModuleBytes(accumulators, unroll, fused));
  const { peak } = new WebAssembly.Instance(module).exports;
  const flopsPerIter = unroll * accumulators * 8;
  const probe = {
    accumulators, unroll, iters: 1 << 12,
    sample() {
      const t0 = performance.now();
      const r = peak(probe.iters, 0.5, 0.5);
      const ms = performance.now() - t0;
      if (r !== accumulators) throw new Error(`peak probe: returned ${r}, expected ${accumulators}`);
      return { ms, gflops: probe.iters * flopsPerIter / ms * 1e-6 };
    },
    warm(warmupMs = 300) {
      const start = performance.now();
      for (let i = 0; i < 5 || performance.now() - start < warmupMs; i++) {
        const { ms } = probe.sample();
        if (ms < targetMs / 2 && probe.iters < 1 << 28) probe.iters *= 2;
      }
    },
  };
  return probe;
}

/**
 * Warm-up, then `runs` calls of about targetMs each: {gflops (median),
 * maxGflops, minGflops, runs, accumulators, unroll, iters, samples}.
 */
export function measurePeak({ accumulators = 12, unroll = 4, targetMs = 5, runs = 30, warmupMs = 300, fused = false } = {}) {
  const probe = createPeakProbe({ accumulators, unroll, targetMs, fused });
  probe.warm(warmupMs);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(probe.sample().gflops);
  return {
    gflops: median(samples),
    maxGflops: Math.max(...samples),
    minGflops: Math.min(...samples),
    runs, accumulators, unroll, fused, iters: probe.iters, samples,
  };
}
