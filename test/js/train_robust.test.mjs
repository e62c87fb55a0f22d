// Training on 'cwasm' over the long run and on bad input:
//   - 500 trainOnBatch steps of the MNIST convnet leave tf.memory()'s tensor
//     count and the wasm memory size exactly, and the bytes malloc has handed
//     out within 1 KiB, where they were after the first steps (no tensor,
//     scratch buffer or packed weight leaks);
//   - NaN and Infinity in a batch propagate into the loss and the weights as
//     on tfjs-backend-cpu, without a crash, and the backend keeps working;
//   - model.fit with x and y of different batch sizes throws the Error it
//     throws on tfjs-backend-cpu.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from './helpers.mjs';
import { mnistConvnet } from '../../examples/common/models.mjs';
import { mnistDigits } from './models/data.mjs';

const BATCH = 16;
const DIGITS = mnistDigits(10 * BATCH);

function batch(step) {
  const at = (step % 10) * BATCH;
  const ys = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) ys[i * 10 + DIGITS.labels[at + i]] = 1;
  return {
    x: tf.tensor4d(DIGITS.xs.subarray(at * 784, (at + BATCH) * 784), [BATCH, 28, 28, 1]),
    y: tf.tensor2d(ys, [BATCH, 10]),
  };
}

function compiled() {
  const model = mnistConvnet();
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  return model;
}

function usage() {
  const m = tf.memory();
  return { numTensors: m.numTensors, wasmMemoryBytes: m.wasmMemoryBytes, heapBytesInUse: m.heapBytesInUse };
}

test('500 training steps leave the tensor count and the wasm heap flat', async () => {
  await tf.setBackend('cwasm');
  const model = compiled();
  const losses = [];
  let after20;
  const checkpoints = [];
  for (let step = 1; step <= 500; step++) {
    const { x, y } = batch(step);
    losses.push(await model.trainOnBatch(x, y));
    tf.dispose([x, y]);
    if (step === 20) after20 = usage();
    if (step > 20 && step % 80 === 0) checkpoints.push({ step, ...usage() });
  }
  checkpoints.push({ step: 500, ...usage() });
  // Tensor count and wasm memory size exactly; malloc's in-use bytes within
  // 1 KiB (chunk rounding moves them by a few bytes with the allocation
  // pattern; a leak of one small tensor per step would add 480 * 16 bytes).
  for (const { step, numTensors, wasmMemoryBytes, heapBytesInUse } of checkpoints) {
    const what = `after step ${step} (after step 20: ${JSON.stringify(after20)})`;
    assert.equal(numTensors, after20.numTensors, `numTensors ${what}`);
    assert.equal(wasmMemoryBytes, after20.wasmMemoryBytes, `wasmMemoryBytes ${what}`);
    assert.ok(Math.abs(heapBytesInUse - after20.heapBytesInUse) <= 1024, `heapBytesInUse ${heapBytesInUse} ${what}`);
  }
  assert.ok(after20.heapBytesInUse > 0, 'heapBytesInUse is reported');
  assert.ok(losses.every(Number.isFinite), 'every loss is finite');
  assert.ok(losses.slice(-10).reduce((a, b) => a + b) < losses.slice(0, 10).reduce((a, b) => a + b), 'the model learned');
  model.optimizer.dispose();
  model.dispose();
});

/** One training step on a batch with NaN and Infinity pixels: {loss, weightsFinite: per weight}. */
async function badBatchStep(backend) {
  await tf.setBackend(backend);
  const model = compiled();
  const { x, y } = batch(0);
  const values = x.dataSync().slice();
  values[100] = NaN;
  values[784 + 200] = Infinity;
  values[2 * 784 + 300] = -Infinity;
  const bad = tf.tensor4d(values, x.shape);
  const loss = await model.trainOnBatch(bad, y);
  const weightsFinite = model.getWeights().map((w) => w.dataSync().every(Number.isFinite));
  tf.dispose([x, y, bad]);
  // The backend still trains on good data.
  const next = batch(1);
  const after = await model.trainOnBatch(next.x, next.y);
  tf.dispose([next.x, next.y]);
  model.optimizer.dispose();
  model.dispose();
  return { loss, weightsFinite, afterIsNumber: typeof after === 'number' };
}

test('NaN and Infinity in a batch propagate as on tfjs-backend-cpu', async () => {
  const want = await badBatchStep('cpu');
  const got = await badBatchStep('cwasm');
  assert.ok(Number.isNaN(want.loss), `cpu loss is NaN (got ${want.loss})`);
  assert.ok(Number.isNaN(got.loss), `cwasm loss ${got.loss}, cpu NaN`);
  assert.deepEqual(got.weightsFinite, want.weightsFinite, 'which weights stay finite');
  assert.ok(got.afterIsNumber);
});

async function fitError(backend) {
  await tf.setBackend(backend);
  const model = compiled();
  const x = tf.zeros([8, 28, 28, 1]), y = tf.zeros([6, 10]);
  try {
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    return null;
  } catch (e) {
    return e.message;
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

test('fit with x and y of different batch sizes throws the Error tfjs-backend-cpu gives', async () => {
  const want = await fitError('cpu');
  const got = await fitError('cwasm');
  assert.ok(want, 'cpu throws');
  assert.equal(got, want);
  // The backend keeps working.
  const t = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
  assert.deepEqual(Array.from(await t.data()), [4, 6]);
  t.dispose();
});
