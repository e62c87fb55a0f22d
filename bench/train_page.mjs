// The training benchmark page (bundled by bench/train.mjs into
// bench/.build/train_page.js, loaded by bench/train_page.html): one tfjs-core
// instance with 'cwasm' and tfjs-backend-cpu's 'cpu' registered, the book's
// three convnets (bench/workloads.mjs) with every layer trainable, and
// the per-step time of model.trainOnBatch on each.
//
// window.cwPage:
//   setup({threads})       threads 1: cwasm 'simd'; N > 1: cwasm 'threads' with N
//   run(name, {runs: {cwasm, cpu}})  times one workload on both backends
//   workloads()            names and default run counts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as cwasm from '../dist/tfjs-backend-cwasm.esm.js';
import { TRAINING, median } from './workloads.mjs';

const BACKENDS = ['cwasm', 'cpu'];

/**
 * name -> {build, batch, compile(model), data(n), runs: {cwasm, cpu}}
 * (bench/workloads.mjs TRAINING).
 */
const WORKLOADS = Object.fromEntries(Object.entries(TRAINING).map(([name, spec]) => [name, {
  ...spec,
  runs: { cwasm: spec.runs.fast, cpu: spec.runs.cpu },
}]));

let started = null;

async function setup({ threads = 1 } = {}) {
  if (started) return started;
  cwasm.setWasmPaths('/dist/');
  if (threads > 1) {
    cwasm.setVariant('threads');
    cwasm.setThreadsCount(threads);
  } else {
    cwasm.setVariant('simd');
  }
  const info = { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true };
  for (const b of BACKENDS) info[`${b}Started`] = await tf.setBackend(b);
  info.cwasm = cwasm.getBackendInfo();
  info.versions = { tfjsCore: tf.version_core, tfjsLayers: tfl.version_layers, cwasm: cwasm.version };
  started = info;
  return info;
}

/**
 * Times trainOnBatch on both backends: the model is built once on 'cwasm'
 * (seeded initializers) and its weights copied into the 'cpu' copy; one
 * untimed warm-up step per backend (it creates the optimizer's slots), then
 * `runs` timed steps on the same batch, each until the loss is read.
 * Reports the median step time and the losses of the warm-up step (equal
 * weights, equal batch: the two should agree).
 */
async function run(name, { runs } = {}) {
  const spec = WORKLOADS[name];
  if (!spec) throw new Error(`unknown workload '${name}'`);
  const counts = runs ?? spec.runs;
  const result = { workload: name, batch: spec.batch, backends: {} };
  const { xs, ys } = spec.data(spec.batch);
  let initial = null;  // the cwasm model's initial weights: [{values, shape}]
  for (const b of BACKENDS) {
    const r = (result.backends[b] = { times: [] });
    await tf.setBackend(b);
    const model = spec.build();
    try {
      if (!initial) {
        initial = model.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape }));
      } else {
        const ts = initial.map((w) => tf.tensor(w.values, w.shape));
        model.setWeights(ts);
        tf.dispose(ts);
      }
      spec.compile(model);
      const x = tf.tensor(...xs), y = tf.tensor(...ys);
      r.firstLoss = await model.trainOnBatch(x, y);
      for (let i = 0; i < counts[b]; i++) {
        const t0 = performance.now();
        await model.trainOnBatch(x, y);
        r.times.push(performance.now() - t0);
      }
      tf.dispose([x, y]);
      r.medianMs = median(r.times);
    } catch (e) {
      r.error = String(e && e.message || e);
    } finally {
      model.optimizer?.dispose();
      model.dispose();
    }
  }
  const c = result.backends.cwasm, p = result.backends.cpu;
  result.speedup = c.medianMs && p.medianMs ? p.medianMs / c.medianMs : null;
  result.firstLossRelativeDiff = c.firstLoss != null && p.firstLoss != null
    ? Math.abs(c.firstLoss - p.firstLoss) / Math.abs(p.firstLoss) : null;
  return result;
}

window.cwPage = {
  kind: 'train-bench',
  ready: true,
  setup,
  run,
  workloads: () => Object.fromEntries(Object.entries(WORKLOADS).map(([k, v]) => [k, v.runs])),
};
