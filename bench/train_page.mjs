// The training benchmark page (bundled by bench/train.mjs into
// bench/.build/train_page.js, loaded by bench/train_page.html): one tfjs-core
// instance with 'cwasm' and tfjs-backend-cpu's 'cpu' registered, the book's
// three convnets (test/js/models/book.mjs) with every layer trainable, and
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
import { SPEECH_INPUT, mnistConvnet, mobilenetDetector, speechConvnet } from '../examples/common/models.mjs';

const BACKENDS = ['cwasm', 'cpu'];

/** Deterministic values in [lo, hi) (a linear congruential generator). */
function randomValues(n, seed, lo, hi) {
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (x / 4294967296);
  }
  return out;
}

/** One-hot rows for n seeded labels of `classes` classes. */
function oneHot(n, classes, seed) {
  const ys = new Float32Array(n * classes);
  const picks = randomValues(n, seed, 0, classes);
  for (let i = 0; i < n; i++) ys[i * classes + Math.floor(picks[i])] = 1;
  return ys;
}

/** The book's detector loss: MSE between the label scaled by [224, 1, 1, 1, 1] and the prediction. */
function detectorLoss(yTrue, yPred) {
  return tf.tidy(() => tfl.metrics.meanSquaredError(tf.mul(yTrue, tf.tensor1d([224, 1, 1, 1, 1])), yPred));
}

/**
 * name -> {build, batch, compile(model), data(n): {xs: [values, shape], ys: [values, shape]}, runs: {cwasm, cpu}}.
 * Batch sizes and optimizers as the book trains these models.
 */
const WORKLOADS = {
  'mnist convnet, batch 64 (rmsprop)': {
    build: mnistConvnet,
    batch: 64,
    compile: (m) => m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' }),
    data: (n) => ({ xs: [randomValues(n * 784, 1, 0, 1), [n, 28, 28, 1]], ys: [oneHot(n, 10, 2), [n, 10]] }),
    runs: { cwasm: 20, cpu: 5 },
  },
  'speech convnet, batch 32 (sgd 0.01)': {
    build: speechConvnet,
    batch: 32,
    compile: (m) => m.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' }),
    data: (n) => ({ xs: [randomValues(n * 43 * 232, 3, -1, 1), [n, ...SPEECH_INPUT]], ys: [oneHot(n, 20, 4), [n, 20]] }),
    runs: { cwasm: 10, cpu: 3 },
  },
  'mobilenet detector, batch 8 (rmsprop, all layers trainable)': {
    build: mobilenetDetector,
    batch: 8,
    compile: (m) => m.compile({ optimizer: tf.train.rmsprop(5e-3), loss: detectorLoss }),
    data: (n) => ({ xs: [randomValues(n * 224 * 224 * 3, 5, -1, 1), [n, 224, 224, 3]], ys: [randomValues(n * 5, 6, 0, 224), [n, 5]] }),
    runs: { cwasm: 10, cpu: 3 },
  },
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

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
