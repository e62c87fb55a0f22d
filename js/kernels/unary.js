/** Element-wise unary kernels (one C entry, cw_unary), Cast and EluGrad. */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE } from '../backend.js';
import { fill } from './layout.js';

const DTYPE_NAME = ['float32', 'int32', 'bool'];

// TF.js kernel name -> op code of src/kernels/unary/unary.h, and the attrs
// that become the C alpha / beta parameters.
const OPS = [
  ['Abs', 0], ['Neg', 1], ['Exp', 2], ['Expm1', 3], ['Log', 4], ['Log1p', 5],
  ['Sqrt', 6], ['Rsqrt', 7], ['Square', 8], ['Reciprocal', 9], ['Sigmoid', 10],
  ['Tanh', 11], ['Softplus', 12], ['Relu', 13], ['Relu6', 14], ['Elu', 15],
  ['Selu', 16], ['LeakyRelu', 17, (a) => [a.alpha, 0]], ['Step', 18, (a) => [a.alpha, 0]],
  ['Sign', 19], ['Floor', 20], ['Ceil', 21], ['Round', 22], ['Sin', 23], ['Cos', 24],
  ['Tan', 25], ['Asin', 26], ['Acos', 27], ['Atan', 28], ['Sinh', 29], ['Cosh', 30],
  ['Asinh', 31], ['Acosh', 32], ['Atanh', 33], ['Erf', 34], ['IsNan', 35], ['IsInf', 36],
  ['IsFinite', 37], ['LogicalNot', 38],
  ['ClipByValue', 39, (a) => [a.clipValueMin, a.clipValueMax]],
];

/**
 * Runs unary op `code` on x into a new tensor (the output dtype comes from C).
 * @returns {object} TensorInfo
 */
export function unary(backend, kernelName, code, x, alpha = 0, beta = 0) {
  const { wasm } = backend;
  if (x.dtype === 'string') throw new Error(`${kernelName}: string tensors are not supported`);
  const outCode = wasm._cwasm_unary_out_dtype(code, DTYPE_CODE[x.dtype]);
  if (outCode < 0) throw new Error(`${kernelName}: dtype ${x.dtype} is not supported`);
  const out = backend.makeOutput(x.shape, DTYPE_NAME[outCode], kernelName);
  const n = tfc.util.sizeFromShape(x.shape);
  const status = wasm._cwasm_unary(code, DTYPE_CODE[x.dtype], backend.ptr(x), backend.ptr(out), n, alpha, beta);
  backend.check(status, kernelName, [out]);
  return out;
}

function unaryKernel(kernelName, code, params) {
  return {
    kernelName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const [alpha, beta] = params ? params(attrs) : [0, 0];
      return unary(backend, kernelName, code, inputs.x, alpha, beta);
    },
  };
}

/**
 * Casts x to dtype into a new tensor (shares the data when dtypes match).
 * As on tfjs-backend-cpu, complex64 casts to a real dtype keep the real part
 * and real dtypes cast to complex64 get a zero imaginary part.
 */
export function cast(backend, x, dtype) {
  if (x.dtype === dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  if (x.dtype === 'complex64') {
    if (DTYPE_CODE[dtype] == null) throw new Error(`Cast: cannot cast complex64 to ${dtype}`);
    // Parts stay private to their complex tensor: copy, never share.
    const { real } = backend.complexParts(x);
    return dtype === 'float32' ? backend.copy(real, 'Cast') : cast(backend, real, dtype);
  }
  if (dtype === 'complex64' && DTYPE_CODE[x.dtype] != null) {
    const real = x.dtype === 'float32' ? backend.copy(x, 'Cast') : cast(backend, x, 'float32');
    try {
      return backend.makeComplex(real, fill(backend, x.shape, 'float32', 0, 'Cast'));
    } catch (e) {
      backend.disposeData(real.dataId);
      throw e;
    }
  }
  if (DTYPE_CODE[dtype] == null || DTYPE_CODE[x.dtype] == null) {
    throw new Error(`Cast: cannot cast ${x.dtype} to ${dtype}`);
  }
  const out = backend.makeOutput(x.shape, dtype, 'Cast');
  const n = tfc.util.sizeFromShape(x.shape);
  const status = backend.wasm._cwasm_cast(DTYPE_CODE[x.dtype], backend.ptr(x), DTYPE_CODE[dtype], backend.ptr(out), n);
  backend.check(status, 'Cast', [out]);
  return out;
}

/** EluGrad: dx (float32) from dy and the Elu output y. */
function eluGrad({ inputs, backend }) {
  const kernelName = 'EluGrad';
  const { dy, y } = inputs;
  if (!tfc.util.arraysEqual(dy.shape, y.shape)) {
    throw new Error(`${kernelName}: dy shape [${dy.shape}] does not match y shape [${y.shape}]`);
  }
  const temps = [];
  try {
    const [pdy, py] = [dy, y].map((t) => {
      if (t.dtype === 'float32') return backend.ptr(t);
      const c = cast(backend, t, 'float32');
      temps.push(c);
      return backend.ptr(c);
    });
    const out = backend.makeOutput(y.shape, 'float32', kernelName);
    const n = tfc.util.sizeFromShape(y.shape);
    backend.check(backend.wasm._cwasm_elu_grad(pdy, py, backend.ptr(out), n), kernelName, [out]);
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

export const KERNELS = [
  ...OPS.map(([name, code, params]) => unaryKernel(name, code, params)),
  { kernelName: tfc.Cast, kernelFunc: ({ inputs, attrs, backend }) => cast(backend, inputs.x, attrs.dtype) },
  { kernelName: tfc.EluGrad, kernelFunc: eluGrad },
];
