// Seeds for scripts/fuzz-graph.sh.
//
//   node test/fuzz/make-seeds.mjs MODEL_DIR [JSON_DIR]
//
// MODEL_DIR gets test/fuzz/fuzz_model.c's inputs: each model.json behind
// the target's 7-byte header (unknown rank 4, unknown dims 1; some with the
// flag that plans a second batch) and its weight bytes. Small models carry
// their exact weights (at most 4096 bytes, so the target's cycling copies
// them once), larger ones 16 bytes of floats cycled into every weight;
// models with more than the target's 256 KB of weights are left out.
// JSON_DIR (optional) gets every model.json alone, for
// test/fuzz/fuzz_graph_def.c.
//
// The models: the three seed models of examples/common/models.mjs, at full
// size and shrunk (small inputs, at most 4 filters and 8 units a layer),
// and the model with every supported layer class, as layers-model JSON
// (what model.save writes); two small layers-models (a Sequential convnet
// whose Conv2D, BatchNormalization and ReLU fold, with Flatten and Dense; a
// Functional model with two inputs, Concatenate, Add and Subtract); a
// graph-model whose Conv2D, batch norm, Relu, MatMul, bias and Relu6 fold;
// a graph-model with a signature using many graph ops (shape moves,
// resizes, pools, reductions, comparisons, TopKV2, Split's second output);
// a graph-model using most of the rest once each (unary, binary and
// comparison ops, slices, casts, SparseToDense, explicit padding, dilation,
// quantized and float16 weights).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

import { everyLayerModel } from '../js/models/layers_files.mjs';
import { mnistConvnet, mobilenetDetector, speechConvnet } from '../../examples/common/models.mjs';

const [modelDir, jsonDir] = process.argv.slice(2);
if (!modelDir) throw new Error('usage: node test/fuzz/make-seeds.mjs MODEL_DIR [JSON_DIR]');
mkdirSync(modelDir, { recursive: true });
if (jsonDir) mkdirSync(jsonDir, { recursive: true });
await tf.setBackend('cpu');

const MAX_EXACT = 4096;
const MAX_MODEL_WEIGHTS = 256 << 10;
const CYCLED = Uint8Array.from([0, 0, 128, 63, 0, 0, 0, 191, 205, 204, 76, 62, 0, 0, 64, 64]);
const REPLAN = 0x40;

/**
 * Writes name.seed (header, weight bytes, JSON) unless fuzz_model would skip
 * the model (weights over its 256 KB), and with JSON_DIR name.json.
 */
function seed(name, json, weights, flags = 0) {
  const w = weights.length <= MAX_EXACT ? weights : CYCLED;
  const header = Uint8Array.from([flags | 4, 1, 1, 1, 1, w.length & 255, w.length >> 8]);
  const text = Buffer.from(JSON.stringify(json));
  if (weights.length <= MAX_MODEL_WEIGHTS)
    writeFileSync(join(modelDir, `${name}.seed`), Buffer.concat([header, w, text]));
  if (jsonDir) writeFileSync(join(jsonDir, `${name}.json`), text);
}

/** Saves model as a seed; edit (optional) changes the topology first. */
async function saveLayers(name, model, flags = 0, edit = () => {}) {
  await model.save(tf.io.withSaveHandler(async (a) => {
    const json = {
      format: a.format, modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    };
    edit(json.modelTopology);
    seed(name, json, new Uint8Array(a.weightData), flags);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
}

/**
 * The same layers at a smaller size: every batch_input_shape's dims after
 * the batch replaced by dims, at most 4 filters and 8 units a layer; the
 * new model's weights drawn by the config's own (seeded) initializers.
 */
async function shrink(model, dims) {
  const topology = model.toJSON(null, false);
  model.dispose();
  const walk = (o) => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o.batch_input_shape)) o.batch_input_shape = [null, ...dims];
    if (typeof o.filters === 'number') o.filters = Math.min(o.filters, 4);
    if (typeof o.units === 'number') o.units = Math.min(o.units, 8);
    Object.values(o).forEach(walk);
  };
  walk(topology);
  return tfl.models.modelFromJSON({ modelTopology: topology });
}

// The seed models at full size (for fuzz_model only MNIST's weights are
// small enough) and shrunk.
for (const [name, build, dims] of [['mnist', mnistConvnet, [12, 12, 1]], ['speech', speechConvnet, [31, 65, 1]],
  ['detector', mobilenetDetector, [16, 16, 3]]]) {
  await saveLayers(name, build());
  await saveLayers(`${name}-small`, await shrink(build(), dims), REPLAN);
}
await saveLayers('every-layer', everyLayerModel());

{ // a small Sequential convnet: Conv2D + BatchNormalization + ReLU, pooling, Flatten, Dense
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, useBias: false }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.reLU());
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
  await saveLayers('layers-convnet', m, REPLAN);
}
{ // a small Functional model: two inputs, Concatenate, Add, Subtract, Dense
  const a = tfl.input({ shape: [4, 4, 2] }), b = tfl.input({ shape: [4, 4, 1] });
  const c = tfl.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(a);
  const cat = tfl.layers.concatenate().apply([c, b]);
  const sum = tfl.layers.add().apply([cat, tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(cat)]);
  const diff = tfl.layers.add({ name: 'diff' }).apply([sum, cat]); // saved as a Subtract
  const out = tfl.layers.dense({ units: 2 }).apply(tfl.layers.globalAveragePooling2d({}).apply(diff));
  // tfjs-layers has no Subtract layer; Keras writes one as an Add is written
  const subtract = (topology) => {
    topology.config.layers.find((l) => l.name === 'diff').class_name = 'Subtract';
  };
  await saveLayers('layers-functional', tfl.model({ inputs: [a, b], outputs: [out, cat] }), REPLAN, subtract);
}

// Graph-models: nodes as written, Const nodes and weight bytes from consts.
const list = (...i) => ({ list: { i: i.map(String) } });
const str = (s) => ({ s: Buffer.from(s).toString('base64') });
const type = (t) => ({ type: t });
const placeholder = (name, t, dims) => ({
  name, op: 'Placeholder',
  attr: { dtype: type(t), shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } },
});
function graph(name, nodes, consts, signature, flags) {
  const parts = [], weights = [];
  for (const c of consts) {
    const count = c.shape.reduce((a, b) => a * b, 1);
    if (c.quantization) { // stored bytes i * 37 (uint8), i * 4099 (uint16, float16 bits)
      const Stored = c.quantization.dtype === 'uint8' ? Uint8Array : Uint16Array;
      parts.push(new Uint8Array(Stored.from({ length: count }, (_, i) => i * (Stored === Uint8Array ? 37 : 4099)).buffer));
      weights.push({ name: c.name, shape: c.shape, dtype: c.dtype, quantization: c.quantization });
      continue;
    }
    const Typed = c.dtype === 'int32' ? Int32Array : c.dtype === 'bool' ? Uint8Array : Float32Array;
    const values = c.values ?? Typed.from({ length: count }, (_, i) => ((i * 37) % 11) / 10 - 0.4);
    if (values.length !== count) throw new Error(`${c.name}: ${values.length} values for shape ${c.shape}`);
    parts.push(new Uint8Array(Typed.from(values).buffer));
    weights.push({ name: c.name, shape: c.shape, dtype: c.dtype });
  }
  const json = {
    format: 'graph-model',
    modelTopology: { node: [...consts.map((c) => ({ name: c.name, op: 'Const' })), ...nodes] },
    weightsManifest: [{ paths: ['w.bin'], weights }],
  };
  if (signature) json.signature = signature;
  seed(name, json, Buffer.concat(parts), flags);
}
const f32 = (name, shape, values) => ({ name, shape, dtype: 'float32', values });
const i32 = (name, shape, values) => ({ name, shape, dtype: 'int32', values });

graph('graph-fusion', [
  placeholder('x', 'DT_FLOAT', [-1, 5, 4, 2]),
  { name: 'conv', op: 'Conv2D', input: ['x', 'filter'], attr: { strides: list(1, 1, 1, 1), padding: str('SAME') } },
  { name: 'bn', op: 'FusedBatchNormV3', input: ['conv', 'scale', 'offset', 'mean', 'variance'], attr: { epsilon: { f: 0.001 } } },
  { name: 'relu', op: 'Relu', input: ['bn'] },
  placeholder('v', 'DT_FLOAT', [-1, 4]),
  { name: 'mm', op: 'MatMul', input: ['v', 'w'] },
  { name: 'add', op: 'AddV2', input: ['b', 'mm'] },
  { name: 'out', op: 'Relu6', input: ['add'] },
], [f32('filter', [3, 3, 2, 3]), f32('scale', [3]), f32('offset', [3]), f32('mean', [3]),
  f32('variance', [3], [0.5, 1, 2]), f32('w', [4, 4]), f32('b', [4])], null, REPLAN);

graph('graph-ops', [
  placeholder('x', 'DT_FLOAT', [-1, 4, 4, 2]),
  placeholder('ids', 'DT_INT32', [-1]),
  { name: 't', op: 'Transpose', input: ['x', 'perm'] },
  { name: 'p', op: 'Pad', input: ['t', 'pads'] },
  { name: 'mp', op: 'MirrorPad', input: ['t', 'pads'], attr: { mode: str('REFLECT') } },
  { name: 'sum', op: 'AddV2', input: ['p', 'mp'] },
  { name: 'rb', op: 'ResizeBilinear', input: ['sum', 'size'], attr: { half_pixel_centers: { b: true } } },
  { name: 'rn', op: 'ResizeNearestNeighbor', input: ['sum', 'size'] },
  { name: 'mx', op: 'Maximum', input: ['rb', 'rn'] },
  { name: 'pool', op: 'MaxPool', input: ['mx'], attr: { ksize: list(1, 2, 2, 1), strides: list(1, 1, 1, 1), padding: str('VALID') } },
  { name: 'avg', op: 'AvgPool', input: ['mx'], attr: { ksize: list(1, 2, 2, 1), strides: list(1, 1, 1, 1), padding: str('SAME') } },
  { name: 'dw', op: 'DepthwiseConv2dNative', input: ['avg', 'dwf'], attr: { strides: list(1, 1, 1, 1), padding: str('SAME') } },
  { name: 'ba', op: 'BiasAdd', input: ['dw', 'bias'] },
  { name: 'r6', op: 'Relu6', input: ['ba'] },
  { name: 'ss', op: 'StridedSlice', input: ['r6', 'begin', 'end', 'strides'], attr: { begin_mask: { i: '1' }, end_mask: { i: '1' } } },
  { name: 'mul', op: 'Mul', input: ['ss', 'pool'] },
  { name: 'mean', op: 'Mean', input: ['mul', 'hw'] },
  { name: 'cat', op: 'ConcatV2', input: ['mean', 'mean', 'last'] },
  { name: 'mm', op: 'MatMul', input: ['cat', 'w'] },
  { name: 'add', op: 'Add', input: ['mm', 'b'] },
  { name: 'sm', op: 'Softmax', input: ['add'] },
  { name: 'rs', op: 'Reshape', input: ['sm', 'shape'] },
  { name: 'sig', op: 'Sigmoid', input: ['rs'] },
  { name: 'gt', op: 'Greater', input: ['sig', 'half'] },
  { name: 'gtf', op: 'Cast', input: ['gt'], attr: { DstT: type('DT_FLOAT') } },
  { name: 'topk', op: 'TopKV2', input: ['sm', 'k'] },
  { name: 'split', op: 'Split', input: ['last', 'cat'], attr: { num_split: { i: '2' } } },
  { name: 'pk', op: 'Pack', input: ['split', 'split:1'], attr: { axis: { i: '1' } } },
  { name: 'g', op: 'GatherV2', input: ['pk', 'idx', 'one'] },
  { name: 'ed', op: 'ExpandDims', input: ['g', 'last'] },
  { name: 'sq', op: 'Squeeze', input: ['ed'], attr: { squeeze_dims: list(3) } },
  { name: 'sumr', op: 'Sum', input: ['sq', 'one'], attr: { keep_dims: { b: true } } },
  { name: 'shp', op: 'Shape', input: ['x'] },
  { name: 'fill', op: 'Fill', input: ['fshape', 'half'] },
  { name: 'idf', op: 'Cast', input: ['ids'], attr: { DstT: type('DT_FLOAT') } },
  { name: 'out', op: 'Identity', input: ['gtf'] },
], [i32('perm', [4], [0, 2, 1, 3]), i32('pads', [4, 2], [0, 0, 1, 1, 0, 1, 0, 0]),
  i32('size', [2], [3, 4]), f32('dwf', [2, 2, 2, 1]), f32('bias', [2]),
  i32('begin', [4], [0, 0, 0, 0]), i32('end', [4], [0, 2, 3, 2]), i32('strides', [4], [1, 1, 1, 1]),
  i32('hw', [2], [1, 2]), i32('last', [], [-1]), f32('w', [4, 3]), f32('b', [3]),
  i32('shape', [2], [-1, 3]), f32('half', [], [0.5]), i32('k', [], [2]),
  i32('idx', [2], [1, 0]), i32('one', [], [1]), i32('fshape', [2], [2, 3])],
{
  inputs: { 'x:0': { name: 'x:0', dtype: 'DT_FLOAT' }, 'ids:0': { name: 'ids:0', dtype: 'DT_INT32' } },
  outputs: {
    'out:0': { name: 'out:0' }, 'topk:1': { name: 'topk:1' }, 'sumr:0': { name: 'sumr:0' },
    'shp:0': { name: 'shp:0' }, 'fill:0': { name: 'fill:0' }, 'idf:0': { name: 'idf:0' },
  },
}, REPLAN);
// Most ops once each on a small input, every sink an output (no signature);
// quantized and float16 weights.
const quant = (name, shape, dtype, quantization) => ({ name, shape, dtype, quantization });
const on = (op, ...input) => ({ name: `${op}_${input.join('_').replace(/:/g, '')}`, op, input });
const attrs = (node, attr) => ({ ...node, attr });
const unary = ['Abs', 'Ceil', 'Cos', 'Exp', 'Floor', 'Log', 'Neg', 'Reciprocal', 'Round', 'Rsqrt', 'Sign', 'Sin',
  'Sqrt', 'Square', 'Sigmoid', 'Tanh', 'Relu', 'Relu6', 'Elu', 'Selu', 'Softplus', 'Snapshot', 'StopGradient',
  'ZerosLike', 'OnesLike'];
const binary = ['Sub', 'RealDiv', 'Div', 'FloorDiv', 'FloorMod', 'Pow', 'Maximum', 'Minimum', 'SquaredDifference',
  'Mul', 'AddV2', 'Add'];
const compare = ['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual'];
const explicit = { strides: list(1, 1, 1, 1), padding: str('EXPLICIT'), explicit_paddings: list(0, 0, 1, 0, 0, 2, 0, 0) };
graph('graph-math', [
  placeholder('x', 'DT_FLOAT', [-1, 3, 4]),
  placeholder('ids', 'DT_INT32', [-1]),
  placeholder('img', 'DT_FLOAT', [-1, 5, 5, 2]),
  ...unary.map((op) => on(op, 'x')),
  attrs(on('LeakyRelu', 'x'), { alpha: { f: 0.1 } }),
  ...binary.map((op) => on(op, 'x', 'c')),
  ...compare.map((op) => on(op, 'x', 'c')),
  on('LogicalAnd', 'Less_x_c', 'Greater_x_c'),
  on('All', 'Equal_x_c', 'axis1'), attrs(on('Any', 'NotEqual_x_c', 'axis1'), { keep_dims: { b: true } }),
  ...['Prod', 'Min', 'Max', 'Sum', 'Mean'].map((op) => attrs(on(op, 'x', 'axes'), { keep_dims: { b: op === 'Min' } })),
  on('Slice', 'x', 'sbegin', 'ssize'),
  attrs(on('SplitV', 'x', 'sizes', 'axis2'), { num_split: { i: '2' } }),
  attrs(on('Stack', 'SplitV_x_sizes_axis2:1', 'SplitV_x_sizes_axis2:1'), { axis: { i: '-1' } }),
  on('PadV2', 'x', 'pads', 'half'),
  attrs(on('MirrorPad', 'x', 'pads'), { mode: str('SYMMETRIC') }),
  on('Squeeze', 'Prod_x_axes'),
  on('ExpandDims', 'x', 'axis1'),
  on('SparseToDense', 'spi', 'spshape', 'spv', 'zero'),
  attrs(on('Cast', 'ids'), { DstT: type('DT_FLOAT') }),
  attrs(on('Cast', 'x'), { DstT: type('DT_INT32') }),
  attrs(on('Cast', 'Abs_x'), { DstT: type('DT_BOOL') }),
  on('GatherV2', 'PadV2_x_pads_half', 'ids', 'axis1'), // ids are 0 to 4, the axis has 5
  attrs(on('TopKV2', 'x', 'two'), { sorted: { b: false } }),
  attrs(on('FusedBatchNorm', 'img', 'bnc', 'bnc', 'bnc', 'bnv'), { epsilon: { f: 0.01 } }),
  on('Reshape', 'x', 'rows'),
  attrs(on('_FusedMatMul', 'Reshape_x_rows', 'mw', 'mb'), { fused_ops: { list: { s: ['BiasAdd', 'Relu'].map((o) => Buffer.from(o).toString('base64')) } }, num_args: { i: '1' }, transpose_b: { b: true } }),
  attrs(on('MatMul', 'Reshape_x_rows', 'mw'), { transpose_b: { b: true } }),
  attrs(on('Conv2D', 'img', 'cf'), { ...explicit, dilations: list(1, 2, 1, 1) }),
  attrs(on('DepthwiseConv2dNative', 'img', 'dwf'), { strides: list(1, 2, 2, 1), padding: str('SAME') }),
  attrs(on('ResizeBilinear', 'img', 'rsize'), { align_corners: { b: true } }),
  attrs(on('AvgPool', 'img'), { ksize: list(1, 3, 3, 1), strides: list(1, 2, 2, 1), padding: str('SAME') }),
], [f32('c', [4], [0.5, -1, 2, 0]), i32('axis1', [], [1]), i32('axis2', [], [2]), i32('axes', [2], [0, 2]),
  i32('sbegin', [3], [0, 1, 0]), i32('ssize', [3], [-1, 2, 3]), i32('sizes', [2], [1, 3]),
  i32('pads', [3, 2], [0, 0, 1, 1, 2, 0]), f32('half', [], [0.5]), i32('spi', [2, 1], [1, 3]),
  i32('spshape', [1], [5]), f32('spv', [2], [1, 2]), f32('zero', [], [0]), i32('two', [], [2]),
  quant('bnc', [2], 'float32', { dtype: 'uint8', min: -1, scale: 0.01 }),
  quant('bnv', [2], 'float32', { dtype: 'float16' }),
  i32('rows', [2], [-1, 4]), quant('mw', [5, 4], 'float32', { dtype: 'uint16', min: -0.5, scale: 0.0001 }),
  f32('mb', [5]), f32('cf', [2, 2, 2, 3]), quant('dwf', [3, 3, 2, 1], 'float32', { dtype: 'float16' }),
  i32('rsize', [2], [3, 7])], null, REPLAN);
console.log(`make-seeds: ${modelDir}${jsonDir ? ` and ${jsonDir}` : ''}`);
