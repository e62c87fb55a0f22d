/**
 * Normalisation kernels: FusedBatchNorm (inference form, parameters cycled
 * with `i % length` as tfjs-backend-cpu does), LRN (along the last axis) and
 * its gradient LRNGrad.
 * The arithmetic is C (src/kernels/norm). Non-float32 inputs are computed as
 * float32; a non-float32 x gets its result cast back to x's dtype.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { asFloat } from './unary.js';

const { util } = tfc;

function checkNumeric(kernelName, name, t) {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
    throw new Error(`${kernelName}: ${name} must be numeric, got ${t.dtype}`);
  }
}

/**
 * Runs fn(ptrs) on float32 versions of tensors (null entries pass 0) and
 * returns a result of outDtype; every temporary is disposed on every path.
 */
function onFloat32(backend, kernelName, tensors, outShape, outDtype, fn) {
  return asFloat(backend, tensors, outDtype, (...floats) => {
    const out = backend.makeOutput(outShape, 'float32', kernelName);
    const ptrs = floats.map((t) => (t == null ? 0 : backend.ptr(t)));
    if (util.sizeFromShape(outShape) > 0) backend.check(fn(ptrs, backend.ptr(out)), kernelName, [out]);
    return out;
  });
}

function batchNorm({ inputs, attrs, backend }) {
  const kernelName = 'FusedBatchNorm';
  const { x, scale, offset, mean, variance } = inputs;
  const rank = mean.shape.length;
  for (const [name, t] of [['variance', variance], ['offset', offset], ['scale', scale]]) {
    if (t != null && t.shape.length !== rank) {
      throw new Error(`${kernelName}: mean and ${name} must have equal ranks, got ` +
          `[${mean.shape}] and [${t.shape}]`);
    }
  }
  for (const [name, t] of [['x', x], ['mean', mean], ['variance', variance],
    ['offset', offset], ['scale', scale]]) {
    if (t != null) checkNumeric(kernelName, name, t);
  }
  const eps = attrs.varianceEpsilon == null ? 0.001 : attrs.varianceEpsilon;
  const len = (t) => (t == null ? 0 : util.sizeFromShape(t.shape));
  return onFloat32(backend, kernelName, [x, mean, variance, offset, scale], x.shape, x.dtype,
      ([px, pm, pv, po, ps], out) => backend.wasm._cwasm_batch_norm(px, pm, pv, po, ps,
          backend.i32([x, mean, variance, offset, scale].map(len)), eps, out));
}

function lrn({ inputs, attrs, backend }) {
  const kernelName = 'LRN';
  const { x } = inputs;
  const { depthRadius, bias, alpha, beta } = attrs;
  if (x.shape.length !== 4) {
    throw new Error(`${kernelName}: x must have rank 4, got shape [${x.shape}]`);
  }
  checkNumeric(kernelName, 'x', x);
  if (!Number.isInteger(depthRadius) || depthRadius < 0 || depthRadius >= 2 ** 31) {
    throw new Error(`${kernelName}: depthRadius must be a non-negative integer, got ${depthRadius}`);
  }
  const channels = x.shape[3];
  const rows = channels > 0 ? util.sizeFromShape(x.shape) / channels : 0;
  return onFloat32(backend, kernelName, [x], x.shape, x.dtype, ([px], out) =>
    backend.wasm._cwasm_lrn(px, backend.i32([rows, channels, depthRadius]), bias, alpha, beta, out));
}

function lrnGrad({ inputs, attrs, backend }) {
  const kernelName = 'LRNGrad';
  const { x, y, dy } = inputs;
  const { depthRadius, bias, alpha, beta } = attrs;
  for (const [name, t] of [['x', x], ['y', y], ['dy', dy]]) {
    if (t.shape.length !== 4) {
      throw new Error(`${kernelName}: ${name} must have rank 4, got shape [${t.shape}]`);
    }
    checkNumeric(kernelName, name, t);
    if (name !== 'x' && !util.arraysEqual(t.shape, x.shape)) {
      throw new Error(`${kernelName}: ${name} shape [${t.shape}] does not match x shape [${x.shape}]`);
    }
  }
  if (!Number.isInteger(depthRadius) || depthRadius < 0 || depthRadius >= 2 ** 31) {
    throw new Error(`${kernelName}: depthRadius must be a non-negative integer, got ${depthRadius}`);
  }
  const channels = x.shape[3];
  const rows = channels > 0 ? util.sizeFromShape(x.shape) / channels : 0;
  return onFloat32(backend, kernelName, [x, y, dy], x.shape, x.dtype, ([px, py, pdy], out) =>
    backend.wasm._cwasm_lrn_grad(px, py, pdy, backend.i32([rows, channels, depthRadius]), bias, alpha,
        beta, out));
}

export const KERNELS = [
  { kernelName: tfc.FusedBatchNorm, kernelFunc: batchNorm },
  { kernelName: tfc.LRN, kernelFunc: lrn },
  { kernelName: tfc.LRNGrad, kernelFunc: lrnGrad },
];
