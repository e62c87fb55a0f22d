/**
 * The fused-activation vocabulary of TF.js and the unfused epilogue used when
 * a bias or prelu weights cannot be applied per output channel in C.
 */
import { cw_act as ACT, cw_binary_op as BINARY, cw_unary_op as UNARY_OP } from '../codes.js';
import { binary } from './binary.js';
import { unary } from './unary.js';

/** TF.js fused activation name -> cw_act. */
export const ACTIVATION = Object.freeze({
  linear: ACT.CW_ACT_LINEAR, relu: ACT.CW_ACT_RELU, relu6: ACT.CW_ACT_RELU6, elu: ACT.CW_ACT_ELU,
  leakyrelu: ACT.CW_ACT_LEAKYRELU, prelu: ACT.CW_ACT_PRELU, sigmoid: ACT.CW_ACT_SIGMOID,
});

// The unfused activations: TF.js name -> cw_unary_op.
const UNARY = {
  relu: UNARY_OP.CW_UNARY_RELU, relu6: UNARY_OP.CW_UNARY_RELU6, elu: UNARY_OP.CW_UNARY_ELU,
  sigmoid: UNARY_OP.CW_UNARY_SIGMOID, leakyrelu: UNARY_OP.CW_UNARY_LEAKYRELU,
};

/**
 * The two epilogue arguments of the C exports: the array of bias pointer and
 * length, cw_act, prelu pointer and length (wasm/exports_args.h), and alpha;
 * no bias and no activation when the epilogue is not fused.
 * @returns {number[]} [ep pointer (valid for the next call), alpha]
 */
export function epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen) {
  const ep = fused
    ? [biasLen ? backend.ptr(bias) : 0, biasLen, act, preluLen ? backend.ptr(prelu) : 0, preluLen]
    : [0, 0, ACT.CW_ACT_LINEAR, 0, 0];
  return [backend.i32(ep), alpha];
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
    if (bias != null) step(binary(backend, kernelName, BINARY.CW_BINARY_ADD, y, bias));
    if (activation === 'prelu') step(binary(backend, kernelName, BINARY.CW_BINARY_PRELU, y, prelu));
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
