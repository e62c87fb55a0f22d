// The page of the side-by-side suite (bundled by bench/suite.mjs into
// bench/.build/suite_page.js, loaded by bench/suite_page.html). One page
// runs ONE configuration: a backend (cwasm, tfjs-backend-wasm or
// tfjs-backend-cpu) with its variant and thread count, which are fixed once
// a backend has started. bench/suite.mjs opens one page per configuration
// in the same Chromium and drives them in turns, so their timed runs
// interleave.
//
// The backend 'runtime' is cwasm's standalone runtime (js/runtime.js, no
// tfjs-core): graph-model inference workloads only.
//
// window.cwPage:
//   setup({backend, variant, threads})  starts the backend; returns what runs
//   open(kind, name)    prepares one job and warms it up: kind 'infer' (an
//                       INFERENCE workload), 'train' (a TRAINING workload),
//                       'gemm' (name = the size N of tf.matMul N x N x N),
//                       'peak' (the SIMD128 peak probe); returns the first
//                       (cold) time and a sample of the outputs
//   time(n, {untimed})  `untimed` untimed runs, then n timed: {times, gflops?}
//   close()             disposes the job
//   probeSweep(list)    the peak probe for each accumulator count of list,
//                       and once with f32x4.relaxed_madd
//   workloads()         {infer: {name: runs}, train: {name: {fast, cpu}}}
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import * as cwasm from '../dist/tfjs-backend-cwasm.esm.js';
import * as runtime from '../dist/cwasm-runtime.esm.js';
import { createPeakProbe, measurePeak } from './peak_probe.mjs';
import {
  INFERENCE, MODELS_URL, TRAINING, inferenceModel, letTfjsWasmUseThreads, randomValues, runOnce,
} from './workloads.mjs';

// Warm-up of a job: at least WARMUP runs and warmupMs of running (Chromium
// tiers wasm and JS up over the first hundreds of milliseconds).
const WARMUP = 3;
const SAMPLE = 2048;  // output values kept for the cross-configuration check

let config = null;
let job = null;

/** Up to SAMPLE values evenly spaced over all outputs (for comparing configurations). */
function sampleOutputs(arrays) {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const step = Math.max(1, Math.floor(total / SAMPLE));
  const out = [];
  let k = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, k++) if (k % step === 0 && out.length < SAMPLE) out.push(a[i]);
  }
  return out;
}

async function setup({ backend, variant = null, threads = 1 }) {
  config = { backend, variant, threads };
  const info = {
    backend,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    userAgent: navigator.userAgent,
    versions: {
      tfjsCore: tf.version_core, tfjsLayers: tfl.version_layers, tfjsConverter: tfc.version_converter,
      tfjsBackendWasm: tfwasm.version_wasm, cwasm: cwasm.version,
    },
  };
  const t0 = performance.now();
  try {
    if (backend === 'runtime') {
      info.runtime = await runtime.init({ wasmPaths: '/dist/', variant, threads });
      // tfjs-core is idle here, but the page's bookkeeping (tf.memory) needs a backend.
      info.started = (await tf.setBackend('cpu')) === true;
    } else if (backend === 'cwasm') {
      cwasm.setWasmPaths('/dist/');
      cwasm.setVariant(variant);
      if (threads > 1) cwasm.setThreadsCount(threads);
    } else if (backend === 'wasm') {
      tfwasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
      if (threads > 1) {
        letTfjsWasmUseThreads(threads);
        tfwasm.setThreadsCount(threads);
      } else {
        // The non-threaded SIMD build (not the threaded build with a pool of one).
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        tfwasm.setThreadsCount(1);
      }
    }
    if (backend !== 'runtime') info.started = (await tf.setBackend(backend)) === true;
  } catch (e) {
    info.started = false;
    info.error = String(e && e.message || e);
  }
  info.startMs = Math.round(performance.now() - t0);
  info.hardwareConcurrency = navigator.hardwareConcurrency;  // as the backend saw it
  if (backend === 'cwasm') info.cwasm = cwasm.getBackendInfo();
  if (backend === 'wasm') {
    info.wasm = {
      threads: tfwasm.getThreadsCount(),
      simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    };
  }
  return info;
}

/** Jobs: open() -> {first: {ms, sample, loss?}, step(): {ms, gflops?}, dispose()}. */
const KINDS = {
  async infer(name) {
    const spec = INFERENCE[name];
    if (!spec) throw new Error(`unknown inference workload '${name}'`);
    if (config.backend === 'runtime') return runtimeInfer(spec);
    const model = await inferenceModel(spec);
    const { values, shape } = await spec.input();
    const x = tf.tensor(values, shape);
    const first = await runOnce(spec, model, x, true);
    return {
      first: { ms: first.ms, sample: sampleOutputs(first.outputs.map((o) => o.values)), shapes: first.outputs.map((o) => o.shape) },
      step: async () => ({ ms: (await runOnce(spec, model, x)).ms }),
      dispose: () => { x.dispose(); model.dispose(); },
    };
  },

  async train(name) {
    const spec = TRAINING[name];
    if (!spec) throw new Error(`unknown training workload '${name}'`);
    const model = spec.build();
    spec.compile(model);
    const { xs, ys } = spec.data(spec.batch);
    const x = tf.tensor(...xs), y = tf.tensor(...ys);
    const stepOnce = async () => {
      const t0 = performance.now();
      const loss = await model.trainOnBatch(x, y);
      return { ms: performance.now() - t0, loss };
    };
    // The first step also creates the optimizer's slots; its loss (same
    // seeded weights and batch everywhere) is compared across configurations.
    const first = await stepOnce();
    return {
      first: { ms: first.ms, loss: first.loss, sample: [first.loss] },
      step: async () => ({ ms: (await stepOnce()).ms }),
      dispose: () => { tf.dispose([x, y]); model.optimizer?.dispose(); model.dispose(); },
    };
  },

  async gemm(name) {
    const n = Number(name);
    const a = tf.tensor2d(randomValues(n * n, 1), [n, n]);
    const b = tf.tensor2d(randomValues(n * n, 2), [n, n]);  // the same B every call
    const flops = 2 * n * n * n;
    // GFLOPS from the multiply alone: the three backends compute
    // synchronously, so the product is there when tf.matMul returns. The
    // time (ms) includes reading it back, which in Chromium is mostly page
    // faults on the fresh result array (4 MB: ~13 ms) for every backend.
    const stepOnce = async (keep) => {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      const t1 = performance.now();
      const v = await c.data();
      const ms = performance.now() - t0;
      c.dispose();
      return { ms, gflops: flops / (t1 - t0) * 1e-6, values: keep ? v : null };
    };
    const first = await stepOnce(true);
    return {
      first: { ms: first.ms, sample: sampleOutputs([first.values]) },
      step: () => stepOnce(false),
      dispose: () => tf.dispose([a, b]),
    };
  },

  async peak() {
    const probe = createPeakProbe({ accumulators: 12, unroll: 4, targetMs: 5 });
    const first = probe.sample();
    return {
      first: { ms: first.ms, sample: [] },
      step: async () => probe.sample(),
      dispose: () => {},
      iters: () => probe.iters,
      probe,
    };
  },
};

/**
 * A Layers workload's model as the files model.save writes (model.json and
 * one weights file), built with the same seeded weights as on the backends
 * (tfjs-backend-cpu builds it; the runtime only reads the files).
 */
async function savedLayersModel(spec) {
  const model = spec.layers();
  let files = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    const json = {
      format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    };
    files = { model: JSON.stringify(json), readFile: async () => a.weightData };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  return files;
}

/** An inference job on the standalone runtime: predict() returns every output as a fresh typed array. */
async function runtimeInfer(spec) {
  const model = await runtime.loadModel(spec.graph ? `${MODELS_URL}${spec.graph}.json` : await savedLayersModel(spec));
  const { values, shape } = await spec.input();
  const x = Float32Array.from(values);
  const once = () => {
    const t0 = performance.now();
    const out = model.predict(x, shape);
    return { ms: performance.now() - t0, out };
  };
  const first = once();
  const outs = model.outputs.map((o) => first.out[o.name]);
  return {
    first: { ms: first.ms, sample: sampleOutputs(outs.map((o) => o.values)), shapes: outs.map((o) => o.shape) },
    step: async () => ({ ms: once().ms }),
    dispose: () => model.dispose(),
  };
}

/**
 * Prepares a job and warms it up (at least WARMUP runs and warmupMs, or
 * warmupRuns runs when given: tfjs-backend-cpu's training steps take seconds).
 */
const BLOCK_MS = 1;

async function open(kind, name, { warmupMs = 1000, warmupRuns = null } = {}) {
  if (job) await close();
  const tensorsBefore = tf.memory().numTensors;
  const made = await KINDS[kind](name);
  job = { kind, name, ...made, tensorsBefore };
  const warmStart = performance.now();
  let runs = 1;  // the first run
  if (kind === 'peak') {
    made.probe.warm(warmupMs);
  } else if (warmupRuns != null) {
    for (; runs < warmupRuns; runs++) await made.step();
  } else {
    for (; runs < WARMUP || performance.now() - warmStart < warmupMs; runs++) await made.step();
  }
  // A cross-origin isolated page's clock ticks in 5 us steps: an inference
  // shorter than BLOCK_MS is timed as a block of runs (each sample the
  // block's time over its runs), so a 0.05 ms prediction is not read as
  // 0.045 or 0.05. The block size comes from this configuration's warm-up.
  const perRun = (performance.now() - warmStart) / Math.max(1, runs - 1);
  job.repeat = kind === 'infer' && perRun < BLOCK_MS ? Math.min(100, Math.ceil(BLOCK_MS / perRun)) : 1;
  return {
    firstMs: made.first.ms, warmupRuns: runs, repeat: job.repeat,
    sample: made.first.sample, shapes: made.first.shapes, loss: made.first.loss,
  };
}

async function time(n, { untimed = 1 } = {}) {
  for (let i = 0; i < untimed; i++) await job.step();
  const times = [], gflops = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    let r = await job.step();
    for (let k = 1; k < job.repeat; k++) r = await job.step();
    times.push(job.repeat > 1 ? (performance.now() - t0) / job.repeat : r.ms);
    if (r.gflops != null) gflops.push(r.gflops);
  }
  return gflops.length ? { times, gflops } : { times };
}

async function close() {
  if (!job) return null;
  const j = job;
  job = null;
  j.dispose();
  return { leakedTensors: tf.memory().numTensors - j.tensorsBefore };
}

/** The probe for each accumulator count of list, then with f32x4.relaxed_madd (null if not validated). */
function probeSweep(list, runs = 30) {
  const sweep = list.map((accumulators) => {
    const { samples, ...r } = measurePeak({ accumulators, runs });
    return r;
  });
  let fused = null;
  try {
    const { samples, ...r } = measurePeak({ accumulators: 12, runs, fused: true });
    fused = r;
  } catch (e) {
    fused = { error: String(e && e.message || e) };
  }
  return { sweep, fused };
}

window.cwPage = {
  kind: 'suite-bench',
  ready: true,
  setup,
  open,
  time,
  close,
  probeSweep,
  workloads: () => ({
    infer: Object.fromEntries(Object.entries(INFERENCE).map(([k, v]) => [k, v.runs])),
    runtime: Object.keys(INFERENCE),
    train: Object.fromEntries(Object.entries(TRAINING).map(([k, v]) => [k, v.runs])),
  }),
  config: () => config,
  backendHasKernel: (name) => !!tf.getKernel(name, config.backend),
};
