// The body of worker.html's module Worker (bundled by worker.test.mjs with
// esbuild into build/test-browser/worker_task.js: a module Worker has no
// import map, so tfjs-core, tfjs-layers and dist/tfjs-backend-cwasm.esm.js
// are bundled into one ES module). One message {backend, threads} starts
// that backend, then on examples/common/models.mjs's seeded MNIST convnet:
// predict on a fixed batch, one SGD training step, the weights before and
// after, every tensor disposed. One reply: the result or {error}.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import * as cwasm from '../../dist/tfjs-backend-cwasm.esm.js';
import { mnistConvnet } from '../../examples/common/models.mjs';
import { seededRandom } from '../../examples/common/random.mjs';

const BATCH = 8;
const LEARNING_RATE = 0.1;

/** What this global scope is: a dedicated module Worker, isolated or not. */
function environment() {
  return {
    dedicatedWorker: typeof DedicatedWorkerGlobalScope !== 'undefined' &&
        globalThis instanceof DedicatedWorkerGlobalScope,
    hasDocument: typeof document !== 'undefined',
    // Only an ES module has import.meta: this code runs as a module Worker.
    moduleUrl: import.meta.url,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
  };
}

async function start(backend, threads) {
  if (backend === 'cwasm') {
    // The bundle's import.meta.url is this file's, not dist/'s.
    cwasm.setWasmPaths('/dist/');
    cwasm.setThreadsCount(threads);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`the '${backend}' backend failed to start`);
  await tf.ready();
  return backend === 'cwasm' ? cwasm.getBackendInfo() : { variant: 'js', threads: 1 };
}

/** The fixed batch: seeded pixels in [0, 1) and labels 0..9, the same on every backend. */
function batch() {
  const rand = seededRandom(7);
  const pixels = Float32Array.from({ length: BATCH * 28 * 28 }, () => rand());
  const labels = Int32Array.from({ length: BATCH }, (_, i) => (i * 3) % 10);
  return tf.tidy(() => ({
    xs: tf.tensor4d(pixels, [BATCH, 28, 28, 1]),
    ys: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32'),
  }));
}

async function weightsOf(model) {
  const out = [];
  for (const w of model.weights) {
    const v = w.read();
    out.push({ name: w.originalName, shape: v.shape, values: Array.from(await v.data()) });
  }
  return out;
}

async function run(backend, threads) {
  const info = await start(backend, threads);
  const baseline = tf.memory().numTensors;
  const model = mnistConvnet();
  const optimizer = tf.train.sgd(LEARNING_RATE);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const { xs, ys } = batch();
  const initial = await weightsOf(model);
  const p = model.predict(xs);
  const predictions = { shape: p.shape, values: Array.from(await p.data()) };
  p.dispose();
  const loss = await model.trainOnBatch(xs, ys);
  const trained = await weightsOf(model);
  tf.dispose([xs, ys]);
  model.dispose();
  optimizer.dispose();
  return {
    env: environment(),
    backend: tf.getBackend(),
    info,
    learningRate: LEARNING_RATE,
    predictions,
    loss,
    initial,
    trained,
    leaked: tf.memory().numTensors - baseline,
  };
}

globalThis.onmessage = async (e) => {
  try {
    globalThis.postMessage(await run(e.data.backend, e.data.threads));
  } catch (err) {
    globalThis.postMessage({ error: `in the Worker: ${err && err.stack || err}` });
  }
};
