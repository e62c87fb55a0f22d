/**
 * Sort family: TopK and NonMaxSuppressionV3/V4/V5 (src/kernels/sort).
 * TopK runs along the last axis, viewed as [rows, n]. NMS writes at most
 * maxOutputSize indices into a scratch tensor and returns the count; the
 * output of that count is then sliced from it (one C copy).
 */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE } from '../codes.js';
import { fill, slice } from './layout.js';
import { cast } from './unary.js';

const { util } = tfc;

function topK({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { k, sorted } = attrs;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`TopK: ${x.dtype} tensors are not supported`);
  }
  if (x.shape.length === 0) throw new Error('TopK: x must have rank >= 1, got a scalar');
  const n = x.shape[x.shape.length - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`TopK: k (${k}) must be an integer in [0, ${n}], the last dimension`);
  }
  const rows = n === 0 ? 0 : util.sizeFromShape(x.shape) / n;
  const outShape = [...x.shape.slice(0, -1), k];
  // bool ranks as int32 (0/1), the values are cast back.
  const xc = x.dtype === 'bool' ? cast(backend, x, 'int32') : x;
  const values = backend.makeOutput(outShape, xc.dtype, 'TopK');
  const indices = backend.makeOutput(outShape, 'int32', 'TopK');
  try {
    const status = backend.wasm._cwasm_topk(DTYPE_CODE[xc.dtype], backend.ptr(xc), rows, n, k,
        sorted ? 1 : 0, backend.ptr(values), backend.ptr(indices));
    backend.check(status, 'TopK', [values, indices]);
  } finally {
    if (xc !== x) backend.disposeData(xc.dataId);
  }
  if (x.dtype !== 'bool') return [values, indices];
  const boolValues = cast(backend, values, 'bool');
  backend.disposeData(values.dataId);
  return [boolValues, indices];
}

/**
 * Runs cw_non_max_suppression; returns {indices, scores (or null), valid}
 * where indices/scores are tensors of exactly the size to return.
 */
function nonMaxSuppression(backend, kernelName, inputs, attrs, { softNmsSigma = 0, pad = false,
  withScores = false }) {
  const { boxes, scores } = inputs;
  const { maxOutputSize, iouThreshold, scoreThreshold } = attrs;
  for (const [name, t] of [['boxes', boxes], ['scores', scores]]) {
    if (t.dtype !== 'float32') {
      throw new Error(`${kernelName}: ${name} must be float32, got ${t.dtype}`);
    }
  }
  const n = boxes.shape[0];
  if (boxes.shape.length !== 2 || boxes.shape[1] !== 4) {
    throw new Error(`${kernelName}: boxes must have shape [numBoxes, 4], got [${boxes.shape}]`);
  }
  if (scores.shape.length !== 1 || scores.shape[0] !== n) {
    throw new Error(`${kernelName}: scores must have shape [${n}], got [${scores.shape}]`);
  }
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) {
    throw new Error(`${kernelName}: maxOutputSize must be an integer >= 0, got ${maxOutputSize}`);
  }
  const size = maxOutputSize;
  const idx = backend.makeOutput([size], 'int32', kernelName);
  const sc = withScores ? backend.makeOutput([size], 'float32', kernelName) : null;
  const temps = sc ? [idx, sc] : [idx];
  const validPtr = backend.i32([0]);
  const status = backend.wasm._cwasm_non_max_suppression(backend.ptr(boxes), backend.ptr(scores),
      backend.i32([n, size, pad ? 1 : 0]), iouThreshold, scoreThreshold, softNmsSigma,
      backend.ptr(idx), sc ? backend.ptr(sc) : 0, validPtr);
  backend.check(status, kernelName, temps);
  const valid = new Int32Array(backend.heapU8().buffer, validPtr, 1)[0];
  if (pad || valid === size) return { indices: idx, scores: sc, valid };
  const out = [];
  try {
    for (const t of temps) out.push(slice(backend, t, [0], [valid]));
  } catch (e) {
    for (const t of out) backend.disposeData(t.dataId);
    throw e;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return { indices: out[0], scores: sc ? out[1] : null, valid };
}

function nonMaxSuppressionV3({ inputs, attrs, backend }) {
  return nonMaxSuppression(backend, 'NonMaxSuppressionV3', inputs, attrs, {}).indices;
}

function nonMaxSuppressionV4({ inputs, attrs, backend }) {
  const { indices, valid } = nonMaxSuppression(backend, 'NonMaxSuppressionV4', inputs, attrs,
      { pad: attrs.padToMaxOutputSize });
  return [indices, fill(backend, [], 'int32', valid, 'NonMaxSuppressionV4')];
}

function nonMaxSuppressionV5({ inputs, attrs, backend }) {
  const { indices, scores } = nonMaxSuppression(backend, 'NonMaxSuppressionV5', inputs, attrs,
      { softNmsSigma: attrs.softNmsSigma, withScores: true });
  return [indices, scores];
}

export const KERNELS = [
  { kernelName: tfc.TopK, kernelFunc: topK },
  { kernelName: tfc.NonMaxSuppressionV3, kernelFunc: nonMaxSuppressionV3 },
  { kernelName: tfc.NonMaxSuppressionV4, kernelFunc: nonMaxSuppressionV4 },
  { kernelName: tfc.NonMaxSuppressionV5, kernelFunc: nonMaxSuppressionV5 },
];
