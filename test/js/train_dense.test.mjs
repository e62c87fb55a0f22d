// A dense classifier (flatten -> dense relu -> dense softmax) trained with
// model.fit on real MNIST digits for 20 seeded steps gives the same losses on
// 'cwasm' as on tfjs-backend-cpu (within 1e-3 relative), for sgd, rmsprop
// and adam.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tfl from '@tensorflow/tfjs-layers';

import { tf } from './helpers.mjs';
import { mnistDigits } from './models/data.mjs';

const STEPS = 20;
const BATCH = 32;

const DATA = mnistDigits(STEPS * BATCH);

async function lossesOn(backend, optimizer) {
  await tf.setBackend(backend);
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }) }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }),
    ],
  });
  const opt = { sgd: () => tf.train.sgd(0.1), rmsprop: () => tf.train.rmsprop(0.001), adam: () => tf.train.adam(0.001) }[optimizer]();
  model.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
  const xs = tf.tensor4d(DATA.xs, [DATA.n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(DATA.labels, 'int32'), 10);
  const losses = [];
  await model.fit(xs, ys, {
    epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0,
    callbacks: { onBatchEnd: (batch, logs) => { losses.push(logs.loss); } },
  });
  tf.dispose([xs, ys]);
  model.dispose();
  return losses;
}

for (const optimizer of ['sgd', 'rmsprop', 'adam']) {
  test(`dense classifier trained with ${optimizer} gives the cpu backend's losses at every step`, async () => {
    const want = await lossesOn('cpu', optimizer);
    const got = await lossesOn('cwasm', optimizer);
    assert.equal(got.length, STEPS);
    assert.equal(want.length, STEPS);
    for (let i = 0; i < STEPS; i++) {
      const rel = Math.abs(got[i] - want[i]) / Math.abs(want[i]);
      assert.ok(rel <= 1e-3, `step ${i}: cwasm loss ${got[i]}, cpu ${want[i]} (relative ${rel})`);
    }
    assert.ok(got[STEPS - 1] < got[0], `loss went down (${got[0]} -> ${got[STEPS - 1]})`);
  });
}
