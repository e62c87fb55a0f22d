/** Reductions over any axes (one C entry, cw_reduce), ArgMax/ArgMin, Softmax. */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE, cw_reduce_op as OP } from '../codes.js';
import { transpose } from './layout.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;

const {
  CW_REDUCE_SUM: SUM, CW_REDUCE_MEAN: MEAN, CW_REDUCE_MAX: MAX, CW_REDUCE_MIN: MIN,
  CW_REDUCE_PROD: PROD, CW_REDUCE_ALL: ALL, CW_REDUCE_ANY: ANY, CW_REDUCE_ARGMAX: ARGMAX,
  CW_REDUCE_ARGMIN: ARGMIN,
} = OP;

/** The dtype the C kernel computes in, and the output dtype, for op on dtype. */
function dtypes(kernelName, op, dtype) {
  if (dtype === 'string' || dtype === 'complex64') {
    throw new Error(`${kernelName}: ${dtype} tensors are not supported`);
  }
  if (op === ALL || op === ANY) return ['bool', 'bool'];
  if (op === MEAN) return [dtype === 'bool' ? 'int32' : dtype, 'float32'];
  if (op === ARGMAX || op === ARGMIN) return [dtype === 'bool' ? 'int32' : dtype, 'int32'];
  if (dtype === 'bool') return ['int32', op === MAX || op === MIN ? 'bool' : 'int32'];
  return [dtype, dtype];
}

/**
 * Reduces x over `axes` with op (a cw_reduce_op) into a new tensor.
 * @returns {object} TensorInfo
 */
export function reduce(backend, kernelName, op, x, axes, keepDims) {
  const rank = x.shape.length;
  const sorted = [...axes].sort((a, b) => a - b);
  const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(x.shape, sorted);
  const [computeDtype, outDtype] = dtypes(kernelName, op, x.dtype);
  const temps = [];
  let input = x;
  if (input.dtype !== computeDtype) {
    input = cast(backend, input, computeDtype);
    temps.push(input);
  }
  const contiguous = sorted.every((a, i) => i === 0 || a === sorted[i - 1] + 1);
  let outer, inner;
  if (sorted.length === 0) {
    [outer, inner] = [util.sizeFromShape(x.shape), 1];
  } else if (contiguous) {
    outer = util.sizeFromShape(x.shape.slice(0, sorted[0]));
    inner = util.sizeFromShape(x.shape.slice(sorted[sorted.length - 1] + 1));
  } else {
    const perm = backend_util.getAxesPermutation(sorted, rank);
    input = transpose(backend, input, perm);
    temps.push(input);
    [outer, inner] = [util.sizeFromShape(outShape), 1];
  }
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, sorted) : outShape;
  const resultDtype = outDtype === 'bool' && computeDtype !== 'bool' ? computeDtype : outDtype;
  let out = backend.makeOutput(shape, resultDtype, kernelName);
  try {
    const status = backend.wasm._cwasm_reduce(op, DTYPE_CODE[computeDtype], backend.ptr(input),
        outer, util.sizeFromShape(reduceShape), inner, backend.ptr(out));
    backend.check(status, kernelName, [out]);
    if (out.dtype !== outDtype) {
      const converted = cast(backend, out, outDtype);
      backend.disposeData(out.dataId);
      out = converted;
    }
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return out;
}

function reduceKernel(kernelName, op) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs;
      // Max names its axes `reductionIndices`; the others `axis`.
      const axes = util.parseAxisParam(attrs.axis != null ? attrs.axis : attrs.reductionIndices, x.shape);
      return reduce(backend, kernelName, op, x, axes, attrs.keepDims);
    },
  };
}

function argKernel(kernelName, op) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs;
      const axes = util.parseAxisParam(attrs.axis, x.shape);
      return reduce(backend, kernelName, op, x, [axes[0]], false);
    },
  };
}

function softmaxLike(kernelName, exportName) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { logits } = inputs;
      const rank = logits.shape.length;
      const dim = attrs.dim == null || attrs.dim === -1 ? rank - 1 : attrs.dim;
      if (dim !== rank - 1) {
        throw new Error(`${kernelName}: only the last axis is supported, got dim ${attrs.dim} for rank ${rank}`);
      }
      if (logits.dtype !== 'float32') throw new Error(`${kernelName}: expected float32 logits, got ${logits.dtype}`);
      const cols = rank === 0 ? 1 : logits.shape[rank - 1];
      const rows = cols === 0 ? 0 : util.sizeFromShape(logits.shape) / cols;
      const out = backend.makeOutput(logits.shape, 'float32', kernelName);
      const status = backend.wasm[exportName](backend.ptr(logits), backend.ptr(out), rows, cols);
      backend.check(status, kernelName, [out]);
      return out;
    },
  };
}

export const KERNELS = [
  reduceKernel(tfc.Sum, SUM),
  reduceKernel(tfc.Mean, MEAN),
  reduceKernel(tfc.Max, MAX),
  reduceKernel(tfc.Min, MIN),
  reduceKernel(tfc.Prod, PROD),
  reduceKernel(tfc.All, ALL),
  reduceKernel(tfc.Any, ANY),
  argKernel(tfc.ArgMax, ARGMAX),
  argKernel(tfc.ArgMin, ARGMIN),
  softmaxLike(tfc.Softmax, '_cwasm_softmax'),
  softmaxLike(tfc.LogSoftmax, '_cwasm_log_softmax'),
];
