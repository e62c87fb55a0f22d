// The standalone runtime on layers-models (Keras configs as TF.js's
// model.save writes them): the three seed models, trained a few steps on
// 'cwasm' and saved to files (model.json + weights.bin), give what
// tfjs-backend-cpu gives for the same files (tf.loadLayersModel) within 1e-3
// max relative error (models/compare.mjs); a model using every supported
// layer class TF.js has (functional, a shared layer called twice, merges, batch norms
// without scale or centre) within 1e-4; broken files fail at load with every
// problem named.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { loadModel } from '../../dist/cwasm-runtime.node.mjs';
import { randomValues } from './helpers.mjs';
import { maxRelError, useBackend } from './models/compare.mjs';
import { SEEDS, cpuPredict, everyLayerModel, runtimeFiles, saveToFiles, trainAndSave } from './models/layers_files.mjs';
import { mnistConvnet } from '../../examples/common/models.mjs';

const DIR = mkdtempSync(join(tmpdir(), 'cwasm-layers-'));
after(() => rmSync(DIR, { recursive: true, force: true }));

/** Asserts every runtime output equals cpu's within tolerance; returns the worst error. */
async function assertMatchesCpu(dir, input, tolerance) {
  const want = await cpuPredict(dir, input);
  const m = await loadModel(runtimeFiles(dir));
  try {
    const got = m.predict(input.values, input.shape);
    const names = m.outputs.map((o) => o.name);
    assert.equal(names.length, want.length, 'output count');
    let worst = 0;
    for (let i = 0; i < names.length; i++) {
      const g = got[names[i]];
      assert.deepEqual(g.shape, want[i].shape, `${names[i]}: shape`);
      const { error, at } = maxRelError(g.values, want[i].values);
      assert.ok(error <= tolerance, `${names[i]} differs from cpu by ${error} at ${at}: ${g.values[at]} vs ${want[i].values[at]}`);
      worst = Math.max(worst, error);
    }
    return worst;
  } finally {
    m.dispose();
  }
}

for (const seed of SEEDS) {
  test(`runtime: the ${seed.name} seed model, trained and saved by model.save, equals tfjs-backend-cpu within 1e-3`, async (t) => {
    const dir = await trainAndSave(seed, join(DIR, seed.name));
    for (const batch of seed.batches) {
      const error = await assertMatchesCpu(dir, seed.input(batch), 1e-3);
      t.diagnostic(`batch ${batch}: max relative error ${error.toExponential(1)}`);
    }
  });
}

test('runtime: a layers-model with every supported layer class equals tfjs-backend-cpu within 1e-4', async (t) => {
  await useBackend('cpu');
  const dir = await saveToFiles(everyLayerModel(), join(DIR, 'every-layer'));
  for (const batch of [1, 3]) {
    const input = { values: randomValues(batch * 12 * 10 * 3, 40 + batch, -2, 2), shape: [batch, 12, 10, 3] };
    const error = await assertMatchesCpu(dir, input, 1e-4);
    t.diagnostic(`batch ${batch}: max relative error ${error.toExponential(1)}`);
  }
});

test('runtime: a broken layers-model fails at load, every problem named at once', async () => {
  await useBackend('cpu');
  const dir = await saveToFiles(mnistConvnet(), join(DIR, 'broken'));
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const layers = json.modelTopology.config.layers;
  layers[1].class_name = 'LSTM';
  layers[2].config.data_format = 'channels_first';
  layers[5].config.activation = 'gelu_new';
  const bias = `${layers[5].config.name}/bias`;
  json.weightsManifest[0].weights = json.weightsManifest[0].weights.filter((w) => w.name !== bias);
  await assert.rejects(loadModel({ model: JSON.stringify(json), readFile: async (p) => readFileSync(join(dir, p)) }), (e) => {
    assert.match(e.message, /layer 'max_pooling2d_\w+' \(LSTM\): this layer class is not supported/);
    assert.match(e.message, /layer 'conv2d_\w+' \(Conv2D\): data_format 'channels_first' is not supported/);
    assert.match(e.message, /\(Dense\): activation 'gelu_new' is not supported/);
    assert.match(e.message, /\(Dense\): weight 'dense_\w+\/bias' is not in the weights manifest/);
    return true;
  });
  const cycle = {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Model',
      config: {
        layers: [
          { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, 4] }, inbound_nodes: [] },
          { name: 'a', class_name: 'Add', config: {}, inbound_nodes: [[['in', 0, 0, {}], ['b', 0, 0, {}]]] },
          { name: 'b', class_name: 'Activation', config: { activation: 'relu' }, inbound_nodes: [[['a', 0, 0, {}]]] },
          { name: 'c', class_name: 'Activation', config: { activation: 'relu' }, inbound_nodes: [[['nowhere', 0, 0, {}]]] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['b', 0, 0], ['zzz', 0, 0]],
      },
    },
    weightsManifest: [],
  };
  await assert.rejects(loadModel({ model: JSON.stringify(cycle), readFile: async () => new Uint8Array(0) }), (e) => {
    assert.match(e.message, /layer 'a' \(Add\): its inputs form a cycle or never get computed/);
    assert.match(e.message, /layer 'c' \(Activation\): its input 'nowhere' \(call 0\) names no layer call/);
    assert.match(e.message, /layer '\(model\)' \(output_layers\): its input 'zzz' \(call 0\) names no layer call/);
    return true;
  });
});

test('runtime: predict re-plans when the input shape changes and gives the same values when it changes back', async () => {
  await useBackend('cpu');
  const dir = await saveToFiles(mnistConvnet(), join(DIR, 'replan'));
  const m = await loadModel(runtimeFiles(dir));
  try {
    const [name] = m.outputs.map((o) => o.name);
    const one = randomValues(784, 3, 0, 1), four = randomValues(4 * 784, 4, 0, 1);
    const first = m.predict(one, [1, 28, 28, 1])[name];
    const batch = m.predict(four, [4, 28, 28, 1])[name];
    assert.deepEqual(batch.shape, [4, 10]);
    const again = m.predict(one, [1, 28, 28, 1])[name];
    assert.deepEqual(again.shape, [1, 10]);
    assert.deepEqual(again.values, first.values);
    assert.notDeepEqual(Array.from(batch.values.subarray(0, 10)), Array.from(batch.values.subarray(10, 20)));
    again.values[0] = 42; // results are the caller's own arrays
    assert.notEqual(m.predict(one, [1, 28, 28, 1])[name].values[0], 42);
    assert.throws(() => m.predict(one, [1, 28, 27, 1]), /needs a Float32Array of 756 values/);
    assert.throws(() => m.predict(one, [1, 784, 1, 1]), /dimension 1 is 784, the model expects 28/);
    assert.deepEqual(m.predict(one, [1, 28, 28, 1])[name].values, first.values);
  } finally {
    m.dispose();
  }
});
