// Seeds for test/fuzz/fuzz_model.c (scripts/fuzz-graph.sh): the three seed
// models and a model with every supported layer class as layers-model JSON
// (what model.save writes), and a small graph-model whose Conv2D, batch norm,
// Relu, MatMul, bias and Relu6 the load folds; each behind the target's
// header (fallback rank 4, unknown dims 1, 16 weight bytes cycled into every
// weight).
//
//   node test/fuzz/make-seeds.mjs DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { everyLayerModel } from '../js/models/layers_files.mjs';
import { mnistConvnet, mobilenetDetector, speechConvnet } from '../../examples/common/models.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node test/fuzz/make-seeds.mjs DIR');
mkdirSync(dir, { recursive: true });
await tf.setBackend('cpu');

const WEIGHT_BYTES = Uint8Array.from([0, 0, 128, 63, 0, 0, 0, 191, 205, 204, 76, 62, 0, 0, 64, 64]);
const header = Uint8Array.from([3, 0, 0, 0, 0, WEIGHT_BYTES.length, 0]);
const seed = (name, json) => writeFileSync(join(dir, `${name}.seed`),
    Buffer.concat([header, WEIGHT_BYTES, Buffer.from(JSON.stringify(json))]));

for (const [name, build] of [['mnist', mnistConvnet], ['speech', speechConvnet], ['detector', mobilenetDetector], ['every-layer', everyLayerModel]]) {
  const model = build();
  await model.save(tf.io.withSaveHandler(async (a) => {
    seed(name, { format: a.format, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] });
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
}

const list = (...i) => ({ list: { i: i.map(String) } });
const f32 = (name, shape) => ({ name, shape, dtype: 'float32' });
seed('graph-fusion', {
  format: 'graph-model',
  modelTopology: {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '5' }, { size: '4' }, { size: '2' }] } } } },
      ...['filter', 'scale', 'offset', 'mean', 'variance', 'w', 'b'].map((name) => ({ name, op: 'Const' })),
      { name: 'conv', op: 'Conv2D', input: ['x', 'filter'], attr: { strides: list(1, 1, 1, 1), padding: { s: 'U0FNRQ==' } } },
      { name: 'bn', op: 'FusedBatchNormV3', input: ['conv', 'scale', 'offset', 'mean', 'variance'], attr: { epsilon: { f: 0.001 } } },
      { name: 'relu', op: 'Relu', input: ['bn'] },
      { name: 'v', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } } } },
      { name: 'mm', op: 'MatMul', input: ['v', 'w'] },
      { name: 'add', op: 'AddV2', input: ['b', 'mm'] },
      { name: 'out', op: 'Relu6', input: ['add'] },
    ],
  },
  weightsManifest: [{
    paths: ['w.bin'],
    weights: [f32('filter', [3, 3, 2, 3]), f32('scale', [3]), f32('offset', [3]), f32('mean', [3]), f32('variance', [3]),
      f32('w', [4, 4]), f32('b', [4])],
  }],
});
console.log(`make-seeds: ${dir}`);
