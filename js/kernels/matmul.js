/** BatchMatMul and _FusedMatMul on the packed SIMD GEMM (src/kernels/gemm). */
import * as tfc from '@tensorflow/tfjs-core';

import { ACTIVATION, applyEpilogue, epilogueArgs } from './epilogue.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;


/** Per-output-batch index into a broadcast batch of `dims` (null = identity). */
function batchIndex(backend, dims, outDims) {
  const n = util.sizeFromShape(outDims);
  const own = util.sizeFromShape(dims);
  if (own === n && dims.length === outDims.length) return 0;
  if (own === 1) return backend.i32(new Array(n).fill(0));
  const strides = util.computeStrides(dims);
  const offset = outDims.length - dims.length;
  const index = new Array(n);
  for (let i = 0; i < n; i++) {
    const loc = util.indexToLoc(i, outDims.length, util.computeStrides(outDims));
    let flat = 0;
    for (let d = 0; d < dims.length; d++) {
      const l = dims[d] === 1 ? 0 : loc[d + offset];
      flat += d === dims.length - 1 ? l : l * strides[d];
    }
    index[i] = flat;
  }
  return backend.i32(index);
}

/** A length the C epilogue can apply per column (0 none, 1 scalar, N). */
function perColumn(t, N) {
  if (t == null) return 0;
  const size = util.sizeFromShape(t.shape);
  const trailingOnly = t.shape.slice(0, -1).every((d) => d === 1);
  if (size === 1) return 1;
  if (size === N && trailingOnly) return N;
  return -1;
}

/**
 * op(a) x op(b) over broadcast batches, with an optional fused epilogue.
 * @returns {object} TensorInfo float32
 */
export function matmul(backend, kernelName, a, b, transposeA, transposeB,
    { bias = null, activation = 'linear', alpha = 0, prelu = null } = {}) {
  for (const [name, t] of [['a', a], ['b', b]]) {
    if (t.shape.length < 2) throw new Error(`${kernelName}: ${name} must have rank >= 2, got shape [${t.shape}]`);
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    // int32 (and bool) products are computed in float32 and stored as a's
    // dtype, as tfjs-backend-cpu does.
    if (a.dtype === 'string' || b.dtype === 'string') throw new Error(`${kernelName}: string tensors are not supported`);
    const fa = cast(backend, a, 'float32'), fb = cast(backend, b, 'float32');
    try {
      const f = matmul(backend, kernelName, fa, fb, transposeA, transposeB, { bias, activation, alpha, prelu });
      const out = cast(backend, f, a.dtype);
      backend.disposeData(f.dataId);
      return out;
    } finally {
      backend.disposeData(fa.dataId);
      backend.disposeData(fb.dataId);
    }
  }
  const aRank = a.shape.length, bRank = b.shape.length;
  const K = transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const innerB = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const M = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const N = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  util.assert(K === innerB, () => `Error in matMul: inner shapes (${K}) and (${innerB}) of Tensors ` +
      `with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and ` +
      `transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = util.sizeFromShape(outer);
  const outShape = [...outer, M, N];
  const act = ACTIVATION[activation];
  if (act == null) throw new Error(`${kernelName}: unknown activation '${activation}'`);

  // Bias / prelu weights that are not per column are applied after the GEMM.
  const biasLen = perColumn(bias, N);
  const preluLen = act === ACTIVATION.prelu ? perColumn(prelu, N) : 0;
  const fused = biasLen >= 0 && preluLen >= 0;

  const out = backend.makeOutput(outShape, 'float32', kernelName);
  if (batch * M * N === 0) return out;
  const nb = util.sizeFromShape(outerB);
  const packed = backend.packedB(b, nb, K, N, transposeB, kernelName);
  const aIndex = batchIndex(backend, outerA, outer);
  const bIndex = batchIndex(backend, outerB, outer);
  const dims = backend.i32([batch, M, N, K, transposeA ? 1 : 0, transposeB ? 1 : 0]);
  const status = backend.wasm._cwasm_matmul(dims, aIndex, bIndex, backend.ptr(a), backend.ptr(b),
      packed, backend.ptr(out),
      ...epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen));
  backend.check(status, kernelName, [out]);
  if (fused) return out;
  return applyEpilogue(backend, kernelName, out, bias, activation, alpha, prelu);
}

function batchMatMul({ inputs, attrs, backend }) {
  const { a, b } = inputs;
  return matmul(backend, 'BatchMatMul', a, b, attrs.transposeA, attrs.transposeB);
}

function fusedMatMul({ inputs, attrs, backend }) {
  const { a, b, bias, preluActivationWeights } = inputs;
  return matmul(backend, '_FusedMatMul', a, b, attrs.transposeA, attrs.transposeB, {
    bias, activation: attrs.activation || 'linear', alpha: attrs.leakyreluAlpha || 0,
    prelu: preluActivationWeights,
  });
}

export const KERNELS = [
  { kernelName: tfc.BatchMatMul, kernelFunc: batchMatMul },
  { kernelName: tfc._FusedMatMul, kernelFunc: fusedMatMul },
];
