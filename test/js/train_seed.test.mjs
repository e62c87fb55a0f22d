// The book's three convnets (models/book.mjs) trained with trainOnBatch for
// 20 steps on 'cwasm' and on tfjs-backend-cpu, from the same initial weights
// on the same batches: the loss of every step agrees within 1e-3 relative.
//   - MNIST convnet (listing 4.1), rmsprop, categorical cross-entropy, real
//     digits;
//   - speech convnet (listing 4.8), sgd(0.01), categorical cross-entropy,
//     seeded random spectrograms and labels (its dropout layers are seeded,
//     so both backends drop the same units);
//   - truncated-MobileNet detector (listing 5.9) with the book's loss, mean
//     squared error against the label scaled by [224, 1, 1, 1, 1], and
//     rmsprop: 20 steps with the MobileNet base frozen (rmsprop(5e-3), as the
//     book's example), then 20 more with its top layer groups conv_pw_9 ..
//     conv_pw_11 trainable again, at rmsprop(5e-4). The book fine-tunes at
//     2e-3; on these random images and boxes, batch 2, the two backends'
//     losses then drift apart by 1e-3 to 6e-3 within a few steps (1.5e-3 at
//     1e-3) although their gradients agree to 1e-5 of their scale: rmsprop's
//     first steps divide by the root of the squared gradients, so float32
//     rounding differences in small gradient entries become full-size
//     updates, and the batch-statistics normalisation of the unfrozen layers
//     carries them on. At 5e-4 they stay within 4.2e-4.
// Batches are small (the cpu backend takes seconds per step at the book's
// batch sizes); the per-step speed at those sizes is bench/'s job.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tfl from '@tensorflow/tfjs-layers';

import { randomValues, tf } from './helpers.mjs';
import { SPEECH_INPUT, mnistConvnet, mobilenetDetector, speechConvnet } from '../../examples/common/models.mjs';
import { mnistDigits } from './models/data.mjs';

const STEPS = 20;
const RTOL = 1e-3;

const MNIST_BATCH = 4;
const SPEECH_BATCH = 1;
const DETECTOR_BATCH = 2;
const SPEECH_CLASSES = 20;
const DIGITS = mnistDigits(STEPS * MNIST_BATCH);

/** Batch `step` of each model: {xs: [values, shape], ys: [values, shape]}. */
const BATCHES = {
  mnist(step) {
    const n = MNIST_BATCH, at = step * n;
    const ys = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) ys[i * 10 + DIGITS.labels[at + i]] = 1;
    return { xs: [DIGITS.xs.subarray(at * 784, (at + n) * 784), [n, 28, 28, 1]], ys: [ys, [n, 10]] };
  },
  speech(step) {
    const n = SPEECH_BATCH;
    const size = SPEECH_INPUT.reduce((a, b) => a * b);
    const ys = new Float32Array(n * SPEECH_CLASSES);
    const classes = randomValues(n, 1000 + step, 0, SPEECH_CLASSES);
    for (let i = 0; i < n; i++) ys[i * SPEECH_CLASSES + Math.floor(classes[i])] = 1;
    return { xs: [randomValues(n * size, 2000 + step, -1, 1), [n, ...SPEECH_INPUT]], ys: [ys, [n, SPEECH_CLASSES]] };
  },
  detector(step) {
    const n = DETECTOR_BATCH;
    // Label: shape flag (0 triangle, 1 rectangle), then left, right, top,
    // bottom in pixels, as the book's synthetic scenes give them.
    const ys = randomValues(n * 5, 3000 + step, 0, 224);
    for (let i = 0; i < n; i++) ys[i * 5] = ys[i * 5] < 112 ? 0 : 1;
    return { xs: [randomValues(n * 224 * 224 * 3, 4000 + step, -1, 1), [n, 224, 224, 3]], ys: [ys, [n, 5]] };
  },
};

/** The book's detector loss: MSE between the label scaled by [224, 1, 1, 1, 1] and the prediction. */
function detectorLoss(yTrue, yPred) {
  return tf.tidy(() => tfl.metrics.meanSquaredError(tf.mul(yTrue, tf.tensor1d([224, 1, 1, 1, 1])), yPred));
}

const TOP_GROUPS = ['conv_pw_9', 'conv_pw_10', 'conv_pw_11'];
const isHead = (layer) => layer.name.startsWith('dense') || layer.name.startsWith('flatten');

/**
 * Training schedules: phases of {steps, prepare(model) (sets trainable and
 * compiles)}; each phase's steps use the model's batches in order.
 */
const CASES = {
  'MNIST convnet, rmsprop': {
    build: mnistConvnet, batches: BATCHES.mnist,
    phases: [{ steps: STEPS, prepare: (m) => m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' }) }],
  },
  'speech convnet, sgd(0.01)': {
    build: speechConvnet, batches: BATCHES.speech,
    phases: [{ steps: STEPS, prepare: (m) => m.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' }) }],
  },
  'MobileNet detector, rmsprop, base frozen then top layers unfrozen': {
    build: mobilenetDetector, batches: BATCHES.detector,
    phases: [
      {
        steps: STEPS,
        prepare(m) {
          for (const layer of m.layers) layer.trainable = isHead(layer);
          m.compile({ optimizer: tf.train.rmsprop(5e-3), loss: detectorLoss });
        },
      },
      {
        steps: STEPS,
        prepare(m) {
          for (const layer of m.layers) {
            layer.trainable = isHead(layer) || TOP_GROUPS.some((g) => layer.name === g || layer.name.startsWith(`${g}_`));
          }
          m.compile({ optimizer: tf.train.rmsprop(5e-4), loss: detectorLoss });
        },
      },
    ],
  },
};

/** Builds the model on backend with `weights` (or its seeded ones) and trains it: the loss of every step. */
async function lossesOn(backend, spec, weights) {
  await tf.setBackend(backend);
  const model = spec.build();
  if (weights) model.setWeights(weights);
  const losses = [];
  let step = 0;
  try {
    for (const phase of spec.phases) {
      phase.prepare(model);
      for (let i = 0; i < phase.steps; i++, step++) {
        const { xs, ys } = spec.batches(step);
        const x = tf.tensor(...xs), y = tf.tensor(...ys);
        const loss = await model.trainOnBatch(x, y);
        tf.dispose([x, y]);
        losses.push(Array.isArray(loss) ? loss[0] : loss);
      }
    }
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
  return losses;
}

for (const [name, spec] of Object.entries(CASES)) {
  test(`${name}: every training step's loss equals tfjs-backend-cpu's within ${RTOL} relative`, async () => {
    await tf.setBackend('cpu');
    const initial = spec.build();
    const weights = initial.getWeights().map((w) => tf.tensor(w.dataSync().slice(), w.shape, w.dtype));
    initial.dispose();
    const want = await lossesOn('cpu', spec, weights);
    const got = await lossesOn('cwasm', spec, weights.map((w) => w.clone()));
    tf.dispose(weights);
    const steps = spec.phases.reduce((n, p) => n + p.steps, 0);
    assert.equal(want.length, steps);
    assert.equal(got.length, steps);
    for (let i = 0; i < steps; i++) {
      assert.ok(Number.isFinite(want[i]), `step ${i}: cpu loss ${want[i]}`);
      const rel = Math.abs(got[i] - want[i]) / Math.abs(want[i]);
      assert.ok(rel <= RTOL, `step ${i}: cwasm loss ${got[i]}, cpu ${want[i]} (relative ${rel.toExponential(2)})`);
    }
    // The schedule really trains: the loss of the last steps is below the first ones'.
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(want.slice(-5)) < mean(want.slice(0, 5)), `cpu losses went down: ${want.map((v) => v.toPrecision(4)).join(' ')}`);
  });
}
