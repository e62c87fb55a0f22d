// The three convnets of "Deep Learning with JavaScript", built with the
// Layers API and seeded initializers (models/book.mjs): the MNIST convnet
// (listing 4.1), the speech-commands convnet (listing 4.8) and the MobileNet
// v1 0.25 object detector (listing 5.9). Each is built once per backend, the
// cwasm copy given the cpu copy's weights (getWeights / setWeights), and
// predict() on 'cwasm' must equal tfjs-backend-cpu's within 1e-4 max relative
// error, max_i |cwasm_i - cpu_i| / max(|cpu_i|, 1e-3 * max_j |cpu_j|)
// (models/compare.mjs), for a batch of 1 and a batch of 32, on real MNIST
// digits, spectrogram-like values and the four photos of data/photos/.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { randomValues, tf } from './helpers.mjs';
import { SPEECH_INPUT, mnistConvnet, mobilenetDetector, speechConvnet } from '../../examples/common/models.mjs';
import { assertHasKernels, assertOutputsClose, runRecorded, useBackend } from './models/compare.mjs';
import { letterbox, loadPhoto, resizePhoto } from './models/photos.mjs';

const require = createRequire(import.meta.url);
const TOLERANCE = 1e-4;
const BATCHES = [1, 32];

/** n real MNIST digits (the mnist package), classes interleaved, pixels in [0, 1]: [n, 28, 28, 1]. */
function mnistDigits(n) {
  const raw = [];
  for (let d = 0; d < 10; d++) raw.push(require(`mnist/src/digits/${d}.json`).data);
  const xs = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    const d = i % 10, k = Math.floor(i / 10);
    xs.set(raw[d].slice(k * 784, (k + 1) * 784), i * 784);
  }
  return { values: xs, shape: [n, 28, 28, 1] };
}

/**
 * n spectrogram-like inputs [n, 43, 232, 1]: normalised log spectra (about
 * zero mean, unit variance, as speech-commands feeds its model) made of a few
 * formant-like bands that drift over the 43 frames, plus noise.
 */
function spectrograms(n) {
  const [frames, bins] = SPEECH_INPUT;
  const noise = randomValues(n * frames * bins, 11, -0.5, 0.5);
  const xs = new Float32Array(n * frames * bins);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < frames; t++) {
      for (let f = 0; f < bins; f++) {
        let v = -1 + 0.6 * Math.cos(f / 37);
        for (let b = 1; b <= 3; b++) {
          const centre = 25 * b + 10 * Math.sin(t / 7 + i + b);
          v += 1.5 * Math.exp(-((f - centre) ** 2) / 30);
        }
        const at = (i * frames + t) * bins + f;
        xs[at] = v + noise[at];
      }
    }
  }
  return { values: xs, shape: [n, frames, bins, 1] };
}

/** n photos [n, 224, 224, 3] in [-1, 1] as MobileNet expects: the four photos in turn, row i with noise of seed i. */
function photos(n) {
  const base = ['astronaut', 'chelsea', 'coffee', 'motorcycle_left']
      .map((p) => resizePhoto(letterbox(loadPhoto(p)), 224, 1 / 127.5, -1));
  const size = 224 * 224 * 3;
  const xs = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const img = base[i % base.length];
    const noise = i < base.length ? null : randomValues(size, 1000 + i, -0.1, 0.1);
    for (let j = 0; j < size; j++) xs[i * size + j] = img[j] + (noise ? noise[j] : 0);
  }
  return { values: xs, shape: [n, 224, 224, 3] };
}

const MODELS = [
  { name: 'MNIST convnet (listing 4.1)', build: mnistConvnet, input: mnistDigits },
  { name: 'speech-commands convnet (listing 4.8)', build: speechConvnet, input: spectrograms },
  { name: 'MobileNet v1 0.25 object detector (listing 5.9)', build: mobilenetDetector, input: photos },
];

/** Builds the model on backend; with weights (from another copy), sets them. */
async function build(spec, backend, weights) {
  await useBackend(backend);
  const model = spec.build();
  if (weights) model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape, w.dtype)));
  return model;
}

const cpuModels = new Map();
/** The cpu copy of a model and its weights as plain arrays, built once. */
function cpuModel(spec) {
  if (!cpuModels.has(spec.name)) {
    cpuModels.set(spec.name, (async () => {
      const model = await build(spec, 'cpu');
      const weights = model.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape, dtype: w.dtype }));
      return { model, weights };
    })());
  }
  return cpuModels.get(spec.name);
}

for (const spec of MODELS) {
  let wasmModel = null;
  for (const batch of BATCHES) {
    test(`${spec.name} predicts on cwasm what it predicts on tfjs-backend-cpu, batch of ${batch}`, async (t) => {
      const { model, weights } = await cpuModel(spec);
      const { values, shape } = spec.input(batch);
      const want = await runRecorded('cpu', () => model.predict(tf.tensor(values, shape)), true);
      assertHasKernels(want.kernels, spec.name);
      wasmModel ??= await build(spec, 'cwasm', weights);
      const got = await runRecorded('cwasm', () => wasmModel.predict(tf.tensor(values, shape)));
      const [error] = assertOutputsClose(got.outputs, want.outputs, TOLERANCE, `${spec.name}, batch ${batch}`);
      const out = want.outputs[0].values;
      let lo = Infinity, hi = -Infinity;
      for (const v of out) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      t.diagnostic(`cpu ${(want.ms / 1000).toFixed(2)} s, cwasm ${(got.ms / 1000).toFixed(3)} s, ` +
          `max relative error ${error.toExponential(1)}, outputs in [${lo.toPrecision(3)}, ${hi.toPrecision(3)}]`);
      // Not a degenerate network: the outputs differ between examples.
      if (batch > 1) {
        const width = out.length / batch;
        let spread = 0;
        for (let j = 0; j < width; j++) spread = Math.max(spread, Math.abs(out[j] - out[width + j]));
        assert.ok(spread > 1e-4, `${spec.name}: examples 0 and 1 give the same outputs`);
      }
    });
  }
}
