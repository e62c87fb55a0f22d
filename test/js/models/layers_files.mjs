// Layers models as files: saved the way tfjs's file:// saver writes them
// (model.json + weights.bin), read back by tf.loadLayersModel on
// tfjs-backend-cpu as the reference, and the three seed models trained a
// little before they are saved. Shared by the runtime's Node and Chromium tests.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tfl from '@tensorflow/tfjs-layers';

import { randomValues, tf } from '../helpers.mjs';
import { useBackend } from './compare.mjs';
import { mnistDigits, photos, spectrograms } from './seed_inputs.mjs';
import { mnistConvnet, mobilenetDetector, speechConvnet } from '../../../examples/common/models.mjs';

/** Saves model as dir/model.json + dir/weights.bin, the files tfjs's file:// saver writes; returns dir. */
export async function saveToFiles(model, dir) {
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const json = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return dir;
}

/** The runtime's {model, readFile} source for a saved directory. */
export const runtimeFiles = (dir) => ({
  model: readFileSync(join(dir, 'model.json')),
  readFile: async (p) => readFileSync(join(dir, p)),
});

/** tf.loadLayersModel of the same files on tfjs-backend-cpu, predicted on input. */
export async function cpuPredict(dir, input) {
  await useBackend('cpu');
  const model = await tfl.loadLayersModel({
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const bin = readFileSync(join(dir, 'weights.bin'));
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        format: json.format,
      };
    },
  });
  const outs = tf.tidy(() => {
    const y = model.predict(tf.tensor(input.values, input.shape));
    return Array.isArray(y) ? y : [y];
  });
  const result = [];
  for (const t of outs) result.push({ values: await t.data(), shape: t.shape });
  tf.dispose(outs);
  model.dispose();
  return result;
}

/** One-hot labels [n, classes] (class i % classes for row i). */
function oneHot(n, classes) {
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + (i % classes)] = 1;
  return tf.tensor2d(y, [n, classes]);
}

export const SEEDS = [
  {
    name: 'mnist', build: mnistConvnet, input: mnistDigits, batches: [1, 16],
    loss: 'categoricalCrossentropy', target: (n) => oneHot(n, 10),
  },
  {
    name: 'speech', build: speechConvnet, input: spectrograms, batches: [1, 4],
    loss: 'categoricalCrossentropy', target: (n) => oneHot(n, 20),
  },
  {
    name: 'detector', build: mobilenetDetector, input: photos, batches: [1, 2],
    loss: 'meanSquaredError', target: (n) => tf.tensor2d(randomValues(n * 5, 7, 0, 1), [n, 5]),
  },
];


/**
 * A seed model built on 'cwasm', trained two epochs on 8 examples (training
 * mode also moves the batch norms' statistics) and saved to dir.
 */
export async function trainAndSave(seed, dir) {
  await useBackend('cwasm');
  const model = seed.build();
  model.compile({ optimizer: tf.train.sgd(0.01), loss: seed.loss });
  const train = seed.input(8);
  const xs = tf.tensor(train.values, train.shape), ys = seed.target(8);
  await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  await saveToFiles(model, dir);
  model.dispose();
  return dir;
}

/** A functional model using every layer class the reader supports that tfjs-layers has (not Keras's Subtract). */
export function everyLayerModel() {
  let s = 500;
  const init = () => tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: s++ });
  const pos = () => tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: s++ });
  const w = { kernelInitializer: init(), biasInitializer: init() };
  const bn = (extra = {}) => tfl.layers.batchNormalization({
    betaInitializer: init(), gammaInitializer: pos(), movingMeanInitializer: init(),
    movingVarianceInitializer: pos(), ...extra,
  });
  const input = tfl.input({ shape: [12, 10, 3] });
  let x = tfl.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }).apply(input);
  x = tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu', ...w }).apply(x);
  x = bn().apply(x);
  const shared = tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu6', depthwiseInitializer: init(), biasInitializer: init() });
  const a = shared.apply(x);
  const b = shared.apply(tfl.layers.activation({ activation: 'tanh' }).apply(x)); // the same layer called twice
  let y = tfl.layers.add().apply([a, b]);
  y = tfl.layers.separableConv2d({ filters: 6, kernelSize: 3, activation: 'swish', depthwiseInitializer: init(), pointwiseInitializer: init(), biasInitializer: init() }).apply(y);
  y = bn({ center: false, scale: false }).apply(y);
  y = tfl.layers.reLU({ maxValue: 1.5 }).apply(y);
  const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(y);
  const upb = tfl.layers.upSampling2d({ size: [2, 1], interpolation: 'bilinear' }).apply(y);
  let z = tfl.layers.averagePooling2d({ poolSize: 2 }).apply(up);
  const zb = tfl.layers.maxPooling2d({ poolSize: [2, 1], padding: 'same' }).apply(upb);
  z = tfl.layers.concatenate().apply([z, zb, tfl.layers.leakyReLU({ alpha: 0.1 }).apply(z)]);
  z = tfl.layers.conv2d({ filters: 4, kernelSize: [1, 2], dilationRate: 1, activation: 'selu', ...w }).apply(z);
  const m1 = tfl.layers.add().apply([z, tfl.layers.activation({ activation: 'softplus' }).apply(z)]);
  const m2 = tfl.layers.multiply().apply([z, tfl.layers.activation({ activation: 'sigmoid' }).apply(z)]);
  const m3 = tfl.layers.maximum().apply([m1, m2]);
  const m4 = tfl.layers.minimum().apply([m1, m2]);
  z = tfl.layers.average().apply([m3, m4, tfl.layers.elu().apply(m1)]);
  z = tfl.layers.dropout({ rate: 0.5 }).apply(z);
  const gap = tfl.layers.globalAveragePooling2d({}).apply(z);
  const gmp = tfl.layers.globalMaxPooling2d({}).apply(z);
  let seq = tfl.layers.reshape({ targetShape: [20, 4] }).apply(z);
  seq = tfl.layers.dense({ units: 3, activation: 'relu', ...w }).apply(seq); // Dense on [batch, steps, 4]
  seq = tfl.layers.flatten().apply(seq);
  let head = tfl.layers.concatenate({ axis: -1 }).apply([gap, gmp, seq]);
  head = tfl.layers.dense({ units: 5, ...w }).apply(head);
  head = tfl.layers.reLU({ negativeSlope: 0.2 }).apply(head);
  const probs = tfl.layers.softmax().apply(tfl.layers.dense({ units: 4, ...w }).apply(head));
  const linear = tfl.layers.activation({ activation: 'linear' }).apply(tfl.layers.reLU().apply(head));
  return tfl.model({ inputs: input, outputs: [probs, linear, tfl.layers.reLU({ maxValue: 6 }).apply(gap)] });
}
