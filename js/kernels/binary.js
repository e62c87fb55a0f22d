/** Broadcasting binary kernels (one C entry, cw_binary), AddN and Select. */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE, cw_binary_op as OP } from '../codes.js';
import { compareStrings } from './strings.js';
import { cast } from './unary.js';

const { backend_util, util, upcastType } = tfc;

// TF.js kernel name -> cw_binary_op.
const OPS = [
  ['Add', OP.CW_BINARY_ADD], ['Sub', OP.CW_BINARY_SUB], ['Multiply', OP.CW_BINARY_MUL],
  ['RealDiv', OP.CW_BINARY_DIV], ['FloorDiv', OP.CW_BINARY_FLOOR_DIV], ['Mod', OP.CW_BINARY_MOD],
  ['Maximum', OP.CW_BINARY_MAXIMUM], ['Minimum', OP.CW_BINARY_MINIMUM], ['Pow', OP.CW_BINARY_POW],
  ['SquaredDifference', OP.CW_BINARY_SQUARED_DIFFERENCE], ['Atan2', OP.CW_BINARY_ATAN2],
  ['Prelu', OP.CW_BINARY_PRELU], ['Equal', OP.CW_BINARY_EQUAL], ['NotEqual', OP.CW_BINARY_NOT_EQUAL],
  ['Less', OP.CW_BINARY_LESS], ['LessEqual', OP.CW_BINARY_LESS_EQUAL],
  ['Greater', OP.CW_BINARY_GREATER], ['GreaterEqual', OP.CW_BINARY_GREATER_EQUAL],
  ['LogicalAnd', OP.CW_BINARY_LOGICAL_AND], ['LogicalOr', OP.CW_BINARY_LOGICAL_OR],
  ['LogicalXor', OP.CW_BINARY_LOGICAL_XOR], ['BitwiseAnd', OP.CW_BINARY_BITWISE_AND],
];
const LOGICAL = new Set([OP.CW_BINARY_LOGICAL_AND, OP.CW_BINARY_LOGICAL_OR, OP.CW_BINARY_LOGICAL_XOR]);
const COMPARISON = new Set([OP.CW_BINARY_EQUAL, OP.CW_BINARY_NOT_EQUAL, OP.CW_BINARY_LESS,
  OP.CW_BINARY_LESS_EQUAL, OP.CW_BINARY_GREATER, OP.CW_BINARY_GREATER_EQUAL, ...LOGICAL]);

/**
 * The shapes argument of the broadcasting exports: the ranks of a, b and
 * out, then their dims (wasm/exports_args.h, cwasm_shapes3_of).
 * @returns {number} pointer, valid for the next call
 */
export function shapesArg(backend, aShape, bShape, outShape) {
  return backend.i32([aShape.length, bShape.length, outShape.length, ...aShape, ...bShape,
    ...outShape]);
}

/**
 * a (op) b with broadcasting, into a new tensor; code is a cw_binary_op.
 * @returns {object} TensorInfo
 */
export function binary(backend, kernelName, code, a, b) {
  if (a.dtype === 'string' || b.dtype === 'string') return compareStrings(backend, kernelName, a, b);
  if (a.dtype === 'complex64' || b.dtype === 'complex64') {
    throw new Error(`${kernelName}: complex64 tensors are not supported yet`);
  }
  let dtype = LOGICAL.has(code) ? 'bool' : upcastType(a.dtype, b.dtype);
  // Prelu is float32 in TF.js whatever its inputs.
  if (code === OP.CW_BINARY_PRELU) dtype = 'float32';
  // Arithmetic on bool computes in int32, as tfjs-core's ops upcast first.
  if (!COMPARISON.has(code) && dtype === 'bool') dtype = 'int32';
  const temps = [];
  const [ca, cb] = [a, b].map((t) => {
    if (t.dtype === dtype) return t;
    const c = cast(backend, t, dtype);
    temps.push(c);
    return c;
  });
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const outDtype = COMPARISON.has(code) ? 'bool' : dtype;
  const out = backend.makeOutput(outShape, outDtype, kernelName);
  try {
    const status = backend.wasm._cwasm_binary(code, DTYPE_CODE[dtype], backend.ptr(ca),
        backend.ptr(cb), backend.ptr(out), shapesArg(backend, ca.shape, cb.shape, outShape));
    backend.check(status, kernelName, [out]);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return out;
}

function binaryKernel(kernelName, code) {
  return {
    kernelName,
    kernelFunc: ({ inputs, backend }) => {
      const [a, b] = kernelName === 'Prelu' ? [inputs.x, inputs.alpha] : [inputs.a, inputs.b];
      return binary(backend, kernelName, code, a, b);
    },
  };
}

function addN({ inputs, backend }) {
  const tensors = inputs;
  const first = tensors[0];
  for (const t of tensors) {
    util.assertShapesMatch(first.shape, t.shape, 'AddN: all inputs must have the same shape.');
    if (t.dtype !== first.dtype) {
      throw new Error(`AddN: all inputs must have the same dtype, got ${first.dtype} and ${t.dtype}`);
    }
  }
  if (tensors.length === 1) return cast(backend, first, first.dtype);
  const out = backend.makeOutput(first.shape, first.dtype, 'AddN');
  const ptrs = backend.i32(tensors.map((t) => backend.ptr(t)));
  const status = backend.wasm._cwasm_add_n(DTYPE_CODE[first.dtype], ptrs, tensors.length,
      backend.ptr(out), util.sizeFromShape(first.shape));
  backend.check(status, 'AddN', [out]);
  return out;
}

function select({ inputs, backend }) {
  const { condition, t, e } = inputs;
  const dtype = upcastType(t.dtype, e.dtype);
  const temps = [];
  const [ct, ce] = [t, e].map((x) => {
    if (x.dtype === dtype) return x;
    const c = cast(backend, x, dtype);
    temps.push(c);
    return c;
  });
  const out = backend.makeOutput(t.shape, dtype, 'Select');
  try {
    const status = backend.wasm._cwasm_select(DTYPE_CODE[dtype], backend.ptr(condition),
        util.sizeFromShape(condition.shape), backend.ptr(ct), backend.ptr(ce), backend.ptr(out),
        util.sizeFromShape(t.shape));
    backend.check(status, 'Select', [out]);
  } finally {
    for (const x of temps) backend.disposeData(x.dataId);
  }
  return out;
}

export const KERNELS = [
  ...OPS.map(([name, code]) => binaryKernel(name, code)),
  { kernelName: tfc.AddN, kernelFunc: addN },
  { kernelName: tfc.Select, kernelFunc: select },
];
