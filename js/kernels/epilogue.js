/**
 * The fused-activation vocabulary of TF.js and the unfused epilogue used when
 * a bias or prelu weights cannot be applied per output channel in C.
 */
import { binary } from './binary.js';
import { unary } from './unary.js';

/** TF.js fused activation name -> cw_act code (src/kernels/act/act.h). */
export const ACTIVATION = { linear: 0, relu: 1, relu6: 2, elu: 3, leakyrelu: 4, prelu: 5, sigmoid: 6 };

const ADD = 0;
const PRELU = 11;
const UNARY = { relu: 13, relu6: 14, elu: 15, sigmoid: 10, leakyrelu: 17 };

/**
 * The six epilogue arguments of the C kernels (bias pointer and length,
 * activation, alpha, prelu pointer and length); no bias and no activation
 * when the epilogue is not fused.
 */
export function epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen) {
  if (!fused) return [0, 0, 0, alpha, 0, 0];
  return [biasLen ? backend.ptr(bias) : 0, biasLen, act, alpha,
    preluLen ? backend.ptr(prelu) : 0, preluLen];
}

/** Bias add and activation with broadcasting, as tfjs-backend-cpu does them; consumes x. */
export function applyEpilogue(backend, kernelName, x, bias, activation, alpha, prelu) {
  let y = x;
  const done = [];
  const step = (z) => {
    done.push(y);
    y = z;
  };
  try {
    if (bias != null) step(binary(backend, kernelName, ADD, y, bias));
    if (activation === 'prelu') step(binary(backend, kernelName, PRELU, y, prelu));
    else if (UNARY[activation] != null) {
      step(unary(backend, kernelName, UNARY[activation], y, activation === 'leakyrelu' ? alpha : 0));
    }
    return y;
  } catch (e) {
    backend.disposeData(y.dataId);
    throw e;
  } finally {
    for (const t of done) backend.disposeData(t.dataId);
  }
}
