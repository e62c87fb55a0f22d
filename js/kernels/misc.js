/**
 * The long tail of TF.js kernels:
 * - numeric, in C (src/kernels/misc): LinSpace, Diag, SearchSorted, Bincount,
 *   DenseBincount, Multinomial (BitwiseAnd is a binary op, binary.js);
 * - shape bookkeeping on small int vectors: BroadcastArgs;
 * - index shuffling of strings, ragged and sparse tensors, and Unique:
 *   tfjs-backend-cpu's shared implementations on values copied out of the
 *   backend, results copied back (listed in the README's kernel table).
 */
import * as tfc from '@tensorflow/tfjs-core';
import {
  raggedGatherImpl, raggedRangeImpl, raggedTensorToTensorImpl, sparseFillEmptyRowsImpl,
  sparseReshapeImpl, sparseSegmentReductionImpl, staticRegexReplaceImpl, stringNGramsImpl,
  stringSplitImpl, stringToHashBucketFastImpl, uniqueImpl,
} from '@tensorflow/tfjs-backend-cpu/dist/shared.js';

import { DTYPE_CODE } from '../codes.js';
import { KERNELS as REDUCE } from './reduce.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;
const softmaxKernel = REDUCE.find((k) => k.kernelName === tfc.Softmax).kernelFunc;

const values = (backend, t) => backend.readSync(t.dataId);

/** t as float32 (a cast copy registered in temps when needed). */
function asF32(backend, t, temps) {
  if (t.dtype === 'float32') return t;
  const c = cast(backend, t, 'float32');
  temps.push(c);
  return c;
}

function disposeAll(backend, temps) {
  for (const t of temps) backend.disposeData(t.dataId);
}

function linSpace({ attrs, backend }) {
  const { start, stop, num } = attrs;
  if (!Number.isInteger(num) || num < 1) throw new Error(`LinSpace: num ${num}, expected an integer >= 1`);
  const out = backend.makeOutput([num], 'float32', 'LinSpace');
  backend.check(backend.wasm._cwasm_linspace(start, stop, num, backend.ptr(out)), 'LinSpace', [out]);
  return out;
}

function diag({ inputs, backend }) {
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`Diag: ${x.dtype} tensors are not supported`);
  const n = util.sizeFromShape(x.shape);
  const out = backend.makeOutput([...x.shape, ...x.shape], x.dtype, 'Diag');
  if (n === 0) return out;
  const bytes = x.dtype === 'bool' ? 1 : 4;
  backend.check(backend.wasm._cwasm_diag(bytes, backend.ptr(x), n, backend.ptr(out)), 'Diag', [out]);
  return out;
}

function searchSorted({ inputs, attrs, backend }) {
  const { sortedSequence, values: v } = inputs;
  const { side } = attrs;
  if (sortedSequence.shape.length !== 2 || v.shape.length !== 2 || sortedSequence.shape[0] !== v.shape[0]) {
    throw new Error(`SearchSorted: sortedSequence [${sortedSequence.shape}] and values [${v.shape}] ` +
        'must be [batch, n] and [batch, m]');
  }
  const temps = [];
  try {
    const s = asF32(backend, sortedSequence, temps), f = asF32(backend, v, temps);
    const out = backend.makeOutput(v.shape, 'int32', 'SearchSorted');
    backend.check(backend.wasm._cwasm_search_sorted(backend.ptr(s), backend.ptr(f), v.shape[0],
        sortedSequence.shape[1], v.shape[1], side === 'right' ? 1 : 0, backend.ptr(out)),
    'SearchSorted', [out]);
    return out;
  } finally {
    disposeAll(backend, temps);
  }
}

function bincountLike(kernelName, dense) {
  return ({ inputs, attrs, backend }) => {
    const { x, weights } = inputs;
    const { size } = attrs;
    const binaryOutput = dense && attrs.binaryOutput === true;
    if (x.dtype !== 'int32') throw new Error(`${kernelName}: x must be int32, got ${x.dtype}`);
    // Bincount counts every value of x whatever its rank, as tfjs-backend-cpu does.
    if (dense && x.shape.length > 2) {
      throw new Error(`${kernelName}: x must have rank 1 or 2, got [${x.shape}]`);
    }
    const wSize = util.sizeFromShape(weights.shape);
    if (wSize > 0 && !util.arraysEqual(weights.shape, x.shape)) {
      throw new Error(`${kernelName}: weights [${weights.shape}] must be empty or match x [${x.shape}]`);
    }
    if (!Number.isInteger(size) || size < 0) throw new Error(`${kernelName}: size ${size}, expected an integer >= 0`);
    const dtype = weights.dtype === 'int32' ? 'int32' : 'float32';
    const temps = [];
    try {
      const w = wSize > 0 && weights.dtype !== dtype ? cast(backend, weights, dtype) : weights;
      if (w !== weights) temps.push(w);
      const rows2d = dense && x.shape.length === 2;
      const rows = rows2d ? x.shape[0] : 1;
      const cols = rows2d ? x.shape[1] : util.sizeFromShape(x.shape);
      const outShape = rows2d ? [rows, size] : [size];
      const out = backend.makeOutput(outShape, dtype, kernelName);
      backend.check(backend.wasm._cwasm_bincount(dense ? 1 : 0, backend.ptr(x),
          wSize > 0 ? backend.ptr(w) : 0, DTYPE_CODE[dtype],
          backend.i32([rows, cols, size, binaryOutput ? 1 : 0]), backend.ptr(out)), kernelName, [out]);
      return out;
    } finally {
      disposeAll(backend, temps);
    }
  };
}

function multinomial({ inputs, attrs, backend }) {
  const { logits } = inputs;
  const { numSamples, seed, normalized } = attrs;
  if (logits.shape.length !== 2) throw new Error(`Multinomial: logits must be [batch, events], got [${logits.shape}]`);
  const temps = [];
  try {
    const f = asF32(backend, logits, temps);
    let probs = f;
    if (!normalized) {
      probs = softmaxKernel({ inputs: { logits: f }, attrs: { dim: -1 }, backend });
      temps.push(probs);
    }
    const out = backend.makeOutput([logits.shape[0], numSamples], 'int32', 'Multinomial');
    backend.check(backend.wasm._cwasm_multinomial(backend.ptr(probs), logits.shape[0], logits.shape[1],
        numSamples, Number(seed), backend.ptr(out)), 'Multinomial', [out]);
    return out;
  } finally {
    disposeAll(backend, temps);
  }
}

function broadcastArgs({ inputs, backend }) {
  const { s0, s1 } = inputs;
  const shape = backend_util.assertAndGetBroadcastShape(Array.from(values(backend, s0)),
      Array.from(values(backend, s1)));
  return backend.makeTensorInfo([shape.length], 'int32', Int32Array.from(shape));
}

// ---- bookkeeping through tfjs-backend-cpu's shared implementations ----

function unique({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { outputValues, outputShape, indices } = uniqueImpl(values(backend, x), attrs.axis, x.shape, x.dtype);
  return [backend.makeTensorInfo(outputShape, x.dtype, outputValues),
    backend.makeTensorInfo([indices.length], 'int32', indices)];
}

function checkSegments(kernelName, data, indices, segmentIds) {
  if (data.shape.length < 1) throw new Error(`${kernelName}: data should be at least 1 dimensional but received scalar`);
  if (indices.shape.length !== 1) throw new Error(`${kernelName}: indices should be a vector but received shape [${indices.shape}]`);
  if (segmentIds.shape.length !== 1) throw new Error(`${kernelName}: segmentIds should be a vector but received shape [${segmentIds.shape}]`);
  if (indices.shape[0] !== segmentIds.shape[0]) throw new Error(`${kernelName}: segmentIds and indices should have same size.`);
}

function sparseSegment(kernelName, mean) {
  return ({ inputs, backend }) => {
    const { data, indices, segmentIds } = inputs;
    checkSegments(kernelName, data, indices, segmentIds);
    const [out, shape] = sparseSegmentReductionImpl(values(backend, data), data.shape, data.dtype,
        values(backend, indices), values(backend, segmentIds), mean);
    return backend.makeTensorInfo(shape, data.dtype, out);
  };
}

function sparseReshape({ inputs, backend }) {
  const { inputIndices, inputShape, newShape } = inputs;
  if (inputIndices.shape.length !== 2) throw new Error(`SparseReshape: input indices should be a matrix but received shape [${inputIndices.shape}]`);
  if (inputShape.shape.length !== 1) throw new Error(`SparseReshape: input shape should be a vector but received shape [${inputShape.shape}]`);
  if (newShape.shape.length !== 1) throw new Error(`SparseReshape: target shape should be a vector but received shape [${newShape.shape}]`);
  const [newIndices, indicesShape, outputShape] = sparseReshapeImpl(values(backend, inputIndices),
      inputIndices.shape, inputIndices.dtype, Array.from(values(backend, inputShape)),
      Array.from(values(backend, newShape)));
  return [backend.makeTensorInfo(indicesShape, inputIndices.dtype, newIndices),
    backend.makeTensorInfo([outputShape.length], newShape.dtype, new Int32Array(outputShape))];
}

function sparseFillEmptyRows({ inputs, backend }) {
  const { indices, values: v, denseShape, defaultValue } = inputs;
  if (denseShape.shape.length !== 1) throw new Error(`SparseFillEmptyRows: dense shape must be a vector, saw: [${denseShape.shape}]`);
  if (indices.shape.length !== 2) throw new Error(`SparseFillEmptyRows: indices must be a matrix, saw: [${indices.shape}]`);
  if (v.shape.length !== 1) throw new Error(`SparseFillEmptyRows: values must be a vector, saw: [${v.shape}]`);
  if (defaultValue.shape.length !== 0) throw new Error(`SparseFillEmptyRows: default value must be a scalar, saw: [${defaultValue.shape}]`);
  const [outIndices, outIndicesShape, outValues, emptyRows, reverseMap] = sparseFillEmptyRowsImpl(
      values(backend, indices), indices.shape, indices.dtype, values(backend, v), v.dtype,
      values(backend, denseShape), values(backend, defaultValue)[0]);
  return [backend.makeTensorInfo(outIndicesShape, indices.dtype, outIndices),
    backend.makeTensorInfo([outIndicesShape[0]], v.dtype, outValues),
    backend.makeTensorInfo([emptyRows.length], 'bool', new Uint8Array(emptyRows.map((e) => Number(e)))),
    backend.makeTensorInfo([reverseMap.length], indices.dtype, new Int32Array(reverseMap))];
}

function raggedRange({ inputs, backend }) {
  const { starts, limits, deltas } = inputs;
  const [splits, dense] = raggedRangeImpl(values(backend, starts), starts.shape, starts.dtype,
      values(backend, limits), limits.shape, values(backend, deltas), deltas.shape);
  return [backend.makeTensorInfo([splits.length], 'int32', splits),
    backend.makeTensorInfo([dense.length], starts.dtype, dense)];
}

function raggedTensorToTensor({ inputs, attrs, backend }) {
  const { shape, values: v, defaultValue, rowPartitionTensors } = inputs;
  const [outShape, out] = raggedTensorToTensorImpl(values(backend, shape), shape.shape,
      values(backend, v), v.shape, v.dtype, values(backend, defaultValue), defaultValue.shape,
      rowPartitionTensors.map((t) => values(backend, t)), rowPartitionTensors.map((t) => t.shape),
      attrs.rowPartitionTypes);
  return backend.makeTensorInfo(outShape, v.dtype, out);
}

function raggedGather({ inputs, attrs, backend }) {
  const { paramsNestedSplits, paramsDenseValues, indices } = inputs;
  const [splits, dense, denseShape] = raggedGatherImpl(paramsNestedSplits.map((t) => values(backend, t)),
      paramsNestedSplits.map((t) => t.shape), values(backend, paramsDenseValues), paramsDenseValues.shape,
      paramsDenseValues.dtype, values(backend, indices), indices.shape, attrs.outputRaggedRank);
  return [...splits.map((s) => backend.makeTensorInfo([s.length], 'int32', s)),
    backend.makeTensorInfo(denseShape, paramsDenseValues.dtype, dense)];
}

function stringNGrams({ inputs, attrs, backend }) {
  const { data, dataSplits } = inputs;
  const { separator, nGramWidths, leftPad, rightPad, padWidth, preserveShortSequences } = attrs;
  const [nGrams, splits] = stringNGramsImpl(values(backend, data), values(backend, dataSplits), separator,
      nGramWidths, leftPad, rightPad, padWidth, preserveShortSequences);
  return [backend.makeTensorInfo([nGrams.length], 'string', nGrams),
    backend.makeTensorInfo(dataSplits.shape, 'int32', splits)];
}

function stringSplit({ inputs, attrs, backend }) {
  const { input, delimiter } = inputs;
  if (input.dtype !== 'string') throw new Error('StringSplit: input must be of datatype string');
  if (input.shape.length !== 1) throw new Error(`StringSplit: input must be a vector, got shape: [${input.shape}]`);
  if (delimiter.shape.length !== 0) throw new Error(`StringSplit: delimiter must be a scalar, got shape: [${delimiter.shape}]`);
  const [indices, v, shape] = stringSplitImpl(values(backend, input), values(backend, delimiter)[0], attrs.skipEmpty);
  return [backend.makeTensorInfo([v.length, 2], 'int32', indices),
    backend.makeTensorInfo([v.length], 'string', v),
    backend.makeTensorInfo([2], 'int32', new Int32Array(shape))];
}

function stringToHashBucketFast({ inputs, attrs, backend }) {
  const { input } = inputs;
  if (input.dtype !== 'string') throw new Error('StringToHashBucketFast: input must be of datatype string');
  if (!(attrs.numBuckets > 0)) throw new Error('StringToHashBucketFast: number of buckets must be at least 1');
  return backend.makeTensorInfo(input.shape, 'int32', stringToHashBucketFastImpl(values(backend, input), attrs.numBuckets));
}

function staticRegexReplace({ inputs, attrs, backend }) {
  const { x } = inputs;
  if (x.dtype !== 'string') throw new Error('StaticRegexReplace: input must be of datatype string');
  const strings = backend_util.fromUint8ToStringArray(values(backend, x));
  return backend.makeTensorInfo(x.shape, 'string', staticRegexReplaceImpl(strings, 'string', attrs));
}

export const KERNELS = [
  { kernelName: tfc.LinSpace, kernelFunc: linSpace },
  { kernelName: tfc.Diag, kernelFunc: diag },
  { kernelName: tfc.SearchSorted, kernelFunc: searchSorted },
  { kernelName: tfc.Bincount, kernelFunc: bincountLike('Bincount', false) },
  { kernelName: tfc.DenseBincount, kernelFunc: bincountLike('DenseBincount', true) },
  { kernelName: tfc.Multinomial, kernelFunc: multinomial },
  { kernelName: tfc.BroadcastArgs, kernelFunc: broadcastArgs },
  { kernelName: tfc.Unique, kernelFunc: unique },
  { kernelName: tfc.SparseSegmentSum, kernelFunc: sparseSegment('SparseSegmentSum', false) },
  { kernelName: tfc.SparseSegmentMean, kernelFunc: sparseSegment('SparseSegmentMean', true) },
  { kernelName: tfc.SparseReshape, kernelFunc: sparseReshape },
  { kernelName: tfc.SparseFillEmptyRows, kernelFunc: sparseFillEmptyRows },
  { kernelName: tfc.RaggedRange, kernelFunc: raggedRange },
  { kernelName: tfc.RaggedTensorToTensor, kernelFunc: raggedTensorToTensor },
  { kernelName: tfc.RaggedGather, kernelFunc: raggedGather },
  { kernelName: tfc.StringNGrams, kernelFunc: stringNGrams },
  { kernelName: tfc.StringSplit, kernelFunc: stringSplit },
  { kernelName: tfc.StringToHashBucketFast, kernelFunc: stringToHashBucketFast },
  { kernelName: tfc.StaticRegexReplace, kernelFunc: staticRegexReplace },
];
