/**
 * complex64 kernels: Complex, Real, Imag, ComplexAbs, FFT, IFFT (C:
 * src/kernels/complex), and withComplex(), which gives the rest of the
 * kernel list its complex64 behaviour: Add, Sub and Multiply in C, ZerosLike
 * and OnesLike part by part, the data-movement kernels applied to the real
 * and the imaginary part alike, and a clear error from every other kernel
 * handed a complex64 input (tfjs-backend-cpu rejects those too).
 *
 * A complex64 tensor is two float32 parts in the data store (js/backend.js);
 * RFFT, IRFFT and STFT are tfjs-core ops built on these kernels.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { cw_complex_op as OP } from '../codes.js';
import { shapesArg } from './binary.js';
import { fill } from './layout.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;

// Kernel name -> cw_complex_op.
const BINARY_CODE = { Add: OP.CW_COMPLEX_ADD, Sub: OP.CW_COMPLEX_SUB, Multiply: OP.CW_COMPLEX_MUL };

/**
 * a (op) b with broadcasting where either is complex64: a real operand
 * counts as having a zero imaginary part.
 * @returns {object} complex64 TensorInfo
 */
export function complexBinary(backend, kernelName, a, b) {
  const temps = [];
  try {
    const ptrs = [a, b].map((t) => {
      if (t.dtype === 'complex64') {
        const { real, imag } = backend.complexParts(t);
        return [backend.ptr(real), backend.ptr(imag)];
      }
      if (t.dtype === 'string') throw new Error(`${kernelName}: cannot combine string and complex64 tensors`);
      const f = cast(backend, t, 'float32');
      temps.push(f);
      return [backend.ptr(f), 0];
    });
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(outShape, 'complex64', kernelName);
    const { real, imag } = backend.complexParts(out);
    const status = backend.wasm._cwasm_complex_binary(BINARY_CODE[kernelName],
        ptrs[0][0], ptrs[0][1], ptrs[1][0], ptrs[1][1], backend.ptr(real), backend.ptr(imag),
        shapesArg(backend, a.shape, b.shape, outShape));
    backend.check(status, kernelName, [out]);
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** makeComplex(makeReal(), makeImag()), disposing the real part if the imaginary one fails. */
function complexOf(backend, makeReal, makeImag) {
  const real = makeReal();
  let imag;
  try {
    imag = makeImag();
  } catch (e) {
    backend.disposeData(real.dataId);
    throw e;
  }
  return backend.makeComplex(real, imag);
}

/** A fresh float32 copy of a real tensor's values. */
function floatCopy(backend, t, kernelName) {
  if (t.dtype === 'string') throw new Error(`${kernelName}: string tensors are not supported`);
  return t.dtype === 'float32' ? backend.copy(t, kernelName) : cast(backend, t, 'float32');
}

function complexKernel({ inputs, backend }) {
  const { real, imag } = inputs;
  if (!util.arraysEqual(real.shape, imag.shape)) {
    throw new Error(`Complex: real shape [${real.shape}] and imag shape [${imag.shape}] must match`);
  }
  return complexOf(backend, () => floatCopy(backend, real, 'Complex'),
      () => floatCopy(backend, imag, 'Complex'));
}

/** Real or Imag: a copy of one part (of a real tensor: itself, or zeros). */
function partKernel(kernelName, which) {
  return ({ inputs, backend }) => {
    const { input } = inputs;
    if (input.dtype === 'complex64') return backend.copy(backend.complexParts(input)[which], kernelName);
    if (which === 'imag') return fill(backend, input.shape, 'float32', 0, kernelName);
    return floatCopy(backend, input, kernelName);
  };
}

function complexAbs({ inputs, backend }) {
  const { x } = inputs;
  if (x.dtype !== 'complex64') throw new Error(`ComplexAbs: input must be complex64, got ${x.dtype}`);
  const { real, imag } = backend.complexParts(x);
  const out = backend.makeOutput(x.shape, 'float32', 'ComplexAbs');
  const status = backend.wasm._cwasm_complex_abs(backend.ptr(real), backend.ptr(imag),
      backend.ptr(out), util.sizeFromShape(x.shape));
  backend.check(status, 'ComplexAbs', [out]);
  return out;
}

/** FFT / IFFT over the innermost dimension, every outer index a row. */
function fftKernel(kernelName, inverse) {
  return ({ inputs, backend }) => {
    const { input } = inputs;
    if (input.dtype !== 'complex64') {
      throw new Error(`${kernelName}: input must be complex64, got ${input.dtype}`);
    }
    const rank = input.shape.length;
    const n = rank > 0 ? input.shape[rank - 1] : 1;
    const size = util.sizeFromShape(input.shape);
    const out = backend.makeOutput(input.shape, 'complex64', kernelName);
    const x = backend.complexParts(input), y = backend.complexParts(out);
    const status = backend.wasm._cwasm_fft(backend.ptr(x.real), backend.ptr(x.imag),
        backend.ptr(y.real), backend.ptr(y.imag), n > 0 ? size / n : 0, n, inverse ? 1 : 0);
    backend.check(status, kernelName, [out]);
    return out;
  };
}

/** ZerosLike / OnesLike of a complex64 tensor: value + 0i. */
function likeComplex(kernelName, value) {
  return ({ inputs, backend }) => {
    const { x } = inputs;
    return complexOf(backend, () => fill(backend, x.shape, 'float32', value, kernelName),
        () => fill(backend, x.shape, 'float32', 0, kernelName));
  };
}

/**
 * Runs a data-movement kernel on the real parts and on the imaginary parts
 * of its complex64 inputs (other inputs, such as indices or a condition, go
 * to both runs) and pairs the outputs into complex64 tensors.
 */
function partwise(kernelFunc) {
  return (args) => {
    const { inputs, backend } = args;
    const partsOf = (which) => {
      const mapped = Array.isArray(inputs) ? [] : {};
      for (const [key, t] of Object.entries(inputs)) {
        mapped[key] = t != null && t.dtype === 'complex64' ? backend.complexParts(t)[which] : t;
      }
      return mapped;
    };
    const re = kernelFunc({ ...args, inputs: partsOf('real') });
    let im;
    try {
      im = kernelFunc({ ...args, inputs: partsOf('imag') });
    } catch (e) {
      for (const t of [re].flat()) backend.disposeData(t.dataId);
      throw e;
    }
    return Array.isArray(re) ? re.map((r, i) => backend.makeComplex(r, im[i])) :
        backend.makeComplex(re, im);
  };
}

// Kernels that take complex64 inputs as they are: they relabel the data
// (Reshape, Identity, ExpandDims) or know the layout (Cast and this file's).
const NATIVE = new Set(['Reshape', 'Identity', 'ExpandDims', 'Cast', 'Complex', 'Real', 'Imag',
  'ComplexAbs', 'FFT', 'IFFT']);
// Data movement, the same on both parts.
const PARTWISE = new Set(['Transpose', 'Slice', 'StridedSlice', 'Concat', 'Pack', 'Unpack',
  'SplitV', 'Tile', 'Reverse', 'MirrorPad', 'GatherV2', 'GatherNd', 'Select']);
const SPECIAL = {
  Add: ({ inputs, backend }) => complexBinary(backend, 'Add', inputs.a, inputs.b),
  Sub: ({ inputs, backend }) => complexBinary(backend, 'Sub', inputs.a, inputs.b),
  Multiply: ({ inputs, backend }) => complexBinary(backend, 'Multiply', inputs.a, inputs.b),
  ZerosLike: likeComplex('ZerosLike', 0),
  OnesLike: likeComplex('OnesLike', 1),
};

function hasComplex(inputs) {
  for (const t of Object.values(inputs)) if (t != null && t.dtype === 'complex64') return true;
  return false;
}

/**
 * The kernel list with complex64 inputs routed: NATIVE kernels unchanged,
 * SPECIAL and PARTWISE ones through their complex paths, every other kernel
 * throwing an Error that names it.
 * @param {object[]} kernels kernel configs {kernelName, kernelFunc}
 */
export function withComplex(kernels) {
  return kernels.map((k) => {
    const name = k.kernelName;
    if (NATIVE.has(name)) return k;
    const complexFunc = SPECIAL[name] || (PARTWISE.has(name) ? partwise(k.kernelFunc) : null);
    return {
      ...k,
      kernelFunc: (args) => {
        if (!hasComplex(args.inputs)) return k.kernelFunc(args);
        if (complexFunc == null) throw new Error(`${name}: complex64 tensors are not supported`);
        return complexFunc(args);
      },
    };
  });
}

export const KERNELS = [
  { kernelName: tfc.Complex, kernelFunc: complexKernel },
  { kernelName: tfc.Real, kernelFunc: partKernel('Real', 'real') },
  { kernelName: tfc.Imag, kernelFunc: partKernel('Imag', 'imag') },
  { kernelName: tfc.ComplexAbs, kernelFunc: complexAbs },
  { kernelName: tfc.FFT, kernelFunc: fftKernel('FFT', false) },
  { kernelName: tfc.IFFT, kernelFunc: fftKernel('IFFT', true) },
];
