/**
 * Pooling: MaxPool, AvgPool, MaxPool3D, AvgPool3D, MaxPoolWithArgmax (NHWC /
 * NDHWC) and their gradients MaxPoolGrad, AvgPoolGrad, MaxPool3DGrad,
 * AvgPool3DGrad. Window, strides and padding come from tfjs-core's
 * computePool2DInfo / computePool3DInfo; the pooling is C (src/kernels/pool).
 * Inputs that are not float32 are pooled as float32 and cast back to the
 * dtype tfjs-backend-cpu returns.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { cw_pool_index, cw_pool_op } from '../codes.js';
import { shareAs } from './nocopy.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;

const {
  CW_POOL_MAX_2D: MAX_2D, CW_POOL_AVG_2D: AVG_2D, CW_POOL_MAX_3D: MAX_3D, CW_POOL_AVG_3D: AVG_3D,
} = cw_pool_op;
const { CW_POOL_INDEX_FLAT: INDEX_FLAT, CW_POOL_INDEX_FLAT_BATCH: INDEX_FLAT_BATCH } = cw_pool_index;

/** An int the C side can take; anything else (NaN, Infinity, fractions) becomes -1. */
function int(v) {
  return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v | 0 : -1;
}

function checkX(kernelName, x, rank, layout) {
  if (x.shape.length !== rank) {
    throw new Error(`${kernelName}: x must have rank ${rank} (${layout}), got shape [${x.shape}]`);
  }
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`${kernelName}: ${x.dtype} tensors are not supported`);
  }
}

/** The C geometry (depth, height, width triples) of a 2-D or 3-D conv info. */
function geometry(info, is3d) {
  const p = info.padInfo;
  const d = (v3, v2) => (is3d ? v3 : v2);
  return {
    batch: info.batchSize,
    channels: info.inChannels,
    in: [d(info.inDepth, 1), info.inHeight, info.inWidth],
    filter: [d(info.filterDepth, 1), info.filterHeight, info.filterWidth],
    stride: [d(info.strideDepth, 1), info.strideHeight, info.strideWidth],
    dilation: [d(info.dilationDepth, 1), info.dilationHeight, info.dilationWidth],
    padBefore: [d(p.front, 0), p.top, p.left],
    padAfter: [d(p.back, 0), p.bottom, p.right],
    out: [d(info.outDepth, 1), info.outHeight, info.outWidth],
  };
}

/** The geometry array of the exports: batch, channels and the seven int triples. */
function geometryArg(backend, g) {
  return backend.i32([g.batch, g.channels, ...g.in, ...g.filter, ...g.stride, ...g.dilation,
    ...g.padBefore, ...g.padAfter, ...g.out].map(int));
}

/**
 * Runs fn(xPtr, outPtrs) on float32 data with one output of outShape per entry
 * of `outputs` ({compute, dtype}: the C side writes `compute`, a cast gives
 * `dtype`). When outShape is not a valid shape, fn runs with null output
 * pointers so that the C side names the bad argument. Temporaries are
 * disposed on every path.
 */
function withOutputs(backend, kernelName, x, outShape, outputs, fn) {
  const temps = [];
  const outs = [];
  try {
    let input = x;
    if (x.dtype !== 'float32') {
      input = cast(backend, x, 'float32');
      temps.push(input);
    }
    if (!outShape.every((v) => Number.isInteger(v) && v >= 0)) {
      backend.check(fn(backend.ptr(input), outputs.map(() => 0)), kernelName);
      throw new Error(`${kernelName}: invalid output shape [${outShape}]`);
    }
    for (const o of outputs) outs.push(backend.makeOutput(outShape, o.compute, kernelName));
    backend.check(fn(backend.ptr(input), outs.map((o) => backend.ptr(o))), kernelName);
    const results = outs.map((o, i) => {
      if (o.dtype === outputs[i].dtype) return o;
      const c = cast(backend, o, outputs[i].dtype);
      temps.push(o);
      return c;
    });
    outs.length = 0;
    return results;
  } finally {
    for (const o of outs) backend.disposeData(o.dataId, true);
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** A pooled-values output: computed as float32, returned as dtype. */
function values(dtype) {
  return { compute: 'float32', dtype };
}

function pool2d(kernelName, op) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs;
      checkX(kernelName, x, 4, 'NHWC');
      const { filterSize, strides, pad, dimRoundingMode } = attrs;
      const info = backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad,
          dimRoundingMode);
      // As tfjs-backend-cpu: a 1x1 window that keeps the shape is the identity
      // (so NaN stays NaN instead of losing to -inf).
      if (info.filterWidth === 1 && info.filterHeight === 1 &&
          util.arraysEqual(info.inShape, info.outShape)) {
        return shareAs(backend, x, x.shape);
      }
      const g = geometry(info, false);
      return withOutputs(backend, kernelName, x, info.outShape, [values(x.dtype)], (xPtr, [yPtr]) =>
        backend.wasm._cwasm_pool(op, geometryArg(backend, g), xPtr, yPtr))[0];
    },
  };
}

function pool3d(kernelName, op) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs;
      checkX(kernelName, x, 5, 'NDHWC');
      const { filterSize, strides, pad, dimRoundingMode } = attrs;
      const dataFormat = attrs.dataFormat == null ? 'NDHWC' : attrs.dataFormat;
      if (dataFormat !== 'NDHWC') {
        throw new Error(`${kernelName}: dataFormat ${dataFormat} is not supported, expected NDHWC`);
      }
      const info = backend_util.computePool3DInfo(x.shape, filterSize, strides, 1, pad,
          dimRoundingMode, dataFormat);
      const g = geometry(info, true);
      // tfjs-backend-cpu returns float32 whatever the input dtype.
      return withOutputs(backend, kernelName, x, info.outShape, [values('float32')], (xPtr, [yPtr]) =>
        backend.wasm._cwasm_pool(op, geometryArg(backend, g), xPtr, yPtr))[0];
    },
  };
}

function maxPoolWithArgmax({ inputs, attrs, backend }) {
  const kernelName = tfc.MaxPoolWithArgmax;
  const { x } = inputs;
  checkX(kernelName, x, 4, 'NHWC');
  const { filterSize, strides, pad, includeBatchInIndex } = attrs;
  const info = backend_util.computePool2DInfo(x.shape, filterSize, strides, [1, 1], pad);
  const g = geometry(info, false);
  const mode = includeBatchInIndex ? INDEX_FLAT_BATCH : INDEX_FLAT;
  return withOutputs(backend, kernelName, x, info.outShape,
      [values(x.dtype), { compute: 'int32', dtype: 'int32' }],
      (xPtr, [yPtr, idxPtr]) => backend.wasm._cwasm_max_pool_with_argmax(mode,
          geometryArg(backend, g), xPtr, yPtr, idxPtr));
}

/**
 * MaxPoolGrad / AvgPoolGrad (2-D) and MaxPool3DGrad / AvgPool3DGrad: dx from
 * dy and the forward input (the forward output that MaxPoolGrad also gets is
 * not needed: the maxima are found again in x).
 */
function poolGrad(kernelName, op, is3d) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dy, input } = inputs;
      const isMax = op === MAX_2D || op === MAX_3D;
      checkX(kernelName, input, is3d ? 5 : 4, is3d ? 'NDHWC' : 'NHWC');
      checkX(kernelName, dy, is3d ? 5 : 4, is3d ? 'NDHWC' : 'NHWC');
      const { filterSize, strides, pad, dimRoundingMode } = attrs;
      const info = is3d
        ? backend_util.computePool3DInfo(input.shape, filterSize, strides, 1, pad, dimRoundingMode)
        : backend_util.computePool2DInfo(input.shape, filterSize, strides, 1, pad, dimRoundingMode);
      if (!util.arraysEqual(dy.shape, info.outShape)) {
        throw new Error(`${kernelName}: dy has shape [${dy.shape}], expected [${info.outShape}] ` +
            `(the pooled shape of the input [${input.shape}])`);
      }
      const g = geometry(info, is3d);
      const temps = [];
      try {
        const asFloat = (t) => {
          if (t.dtype === 'float32') return t;
          const c = cast(backend, t, 'float32');
          temps.push(c);
          return c;
        };
        const dyf = asFloat(dy);
        const xf = isMax ? asFloat(input) : null;
        const out = backend.makeOutput(input.shape, 'float32', kernelName);
        if (util.sizeFromShape(input.shape) === 0) return out;
        backend.check(backend.wasm._cwasm_pool_grad(op, geometryArg(backend, g),
            xf ? backend.ptr(xf) : 0, backend.ptr(dyf), backend.ptr(out)), kernelName, [out]);
        return out;
      } finally {
        for (const t of temps) backend.disposeData(t.dataId);
      }
    },
  };
}

export const KERNELS = [
  poolGrad(tfc.MaxPoolGrad, MAX_2D, false),
  poolGrad(tfc.AvgPoolGrad, AVG_2D, false),
  poolGrad(tfc.MaxPool3DGrad, MAX_3D, true),
  poolGrad(tfc.AvgPool3DGrad, AVG_3D, true),
  pool2d(tfc.MaxPool, MAX_2D),
  pool2d(tfc.AvgPool, AVG_2D),
  pool3d(tfc.MaxPool3D, MAX_3D),
  pool3d(tfc.AvgPool3D, AVG_3D),
  { kernelName: tfc.MaxPoolWithArgmax, kernelFunc: maxPoolWithArgmax },
];
