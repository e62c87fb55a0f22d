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
import { test } from 'node:test';

import { tf } from './helpers.mjs';
import { mnistConvnet, mobilenetDetector, speechConvnet } from '../../examples/common/models.mjs';
import { assertHasKernels, assertOutputsClose, runRecorded, useBackend } from './models/compare.mjs';
import { mnistDigits, photos, spectrograms } from './models/seed_inputs.mjs';

const TOLERANCE = 1e-4;
const BATCHES = [1, 32];

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
