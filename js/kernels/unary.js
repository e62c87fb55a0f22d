/** Element-wise unary kernels (one C entry, cw_unary), Cast and EluGrad. */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE, DTYPE_NAME, cw_unary_op as OP } from '../codes.js';
import { fill } from './layout.js';

// TF.js kernel name -> cw_unary_op, and the attrs that become the C alpha /
// beta parameters.
const OPS = [
  ['Abs', OP.CW_UNARY_ABS], ['Neg', OP.CW_UNARY_NEG], ['Exp', OP.CW_UNARY_EXP],
  ['Expm1', OP.CW_UNARY_EXPM1], ['Log', OP.CW_UNARY_LOG], ['Log1p', OP.CW_UNARY_LOG1P],
  ['Sqrt', OP.CW_UNARY_SQRT], ['Rsqrt', OP.CW_UNARY_RSQRT], ['Square', OP.CW_UNARY_SQUARE],
  ['Reciprocal', OP.CW_UNARY_RECIPROCAL], ['Sigmoid', OP.CW_UNARY_SIGMOID],
  ['Tanh', OP.CW_UNARY_TANH], ['Softplus', OP.CW_UNARY_SOFTPLUS], ['Relu', OP.CW_UNARY_RELU],
  ['Relu6', OP.CW_UNARY_RELU6], ['Elu', OP.CW_UNARY_ELU], ['Selu', OP.CW_UNARY_SELU],
  ['LeakyRelu', OP.CW_UNARY_LEAKYRELU, (a) => [a.alpha, 0]],
  ['Step', OP.CW_UNARY_STEP, (a) => [a.alpha, 0]],
  ['Sign', OP.CW_UNARY_SIGN], ['Floor', OP.CW_UNARY_FLOOR], ['Ceil', OP.CW_UNARY_CEIL],
  ['Round', OP.CW_UNARY_ROUND], ['Sin', OP.CW_UNARY_SIN], ['Cos', OP.CW_UNARY_COS],
  ['Tan', OP.CW_UNARY_TAN], ['Asin', OP.CW_UNARY_ASIN], ['Acos', OP.CW_UNARY_ACOS],
  ['Atan', OP.CW_UNARY_ATAN], ['Sinh', OP.CW_UNARY_SINH], ['Cosh', OP.CW_UNARY_COSH],
  ['Asinh', OP.CW_UNARY_ASINH], ['Acosh', OP.CW_UNARY_ACOSH], ['Atanh', OP.CW_UNARY_ATANH],
  ['Erf', OP.CW_UNARY_ERF], ['IsNan', OP.CW_UNARY_IS_NAN], ['IsInf', OP.CW_UNARY_IS_INF],
  ['IsFinite', OP.CW_UNARY_IS_FINITE], ['LogicalNot', OP.CW_UNARY_LOGICAL_NOT],
  ['ClipByValue', OP.CW_UNARY_CLIP, (a) => [a.clipValueMin, a.clipValueMax]],
];

/**
 * Runs unary op `code` (a cw_unary_op) on x into a new tensor (the output dtype comes from C).
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

/**
 * Runs f on float32 copies of the int32 / bool inputs (float32 and null ones
 * pass as they are) and casts its result to `dtype`; temporaries are
 * disposed on every path.
 */
export function asFloat(backend, inputs, dtype, f) {
  const temps = [];
  try {
    const floats = inputs.map((t) => {
      if (t == null || t.dtype === 'float32') return t;
      const c = cast(backend, t, 'float32');
      temps.push(c);
      return c;
    });
    const out = f(...floats);
    if (dtype === 'float32') return out;
    temps.push(out);
    return cast(backend, out, dtype);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
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
