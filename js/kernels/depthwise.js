/**
 * DepthwiseConv2dNative and FusedDepthwiseConv2D on the direct
 * channel-vectorised C kernel (src/kernels/depthwise). Shapes and padding
 * come from tfjs-core's computeConv2DInfo; NCHW is transposed to NHWC and
 * back; a bias or prelu weights that are not per output channel fall back to
 * the broadcasting binary kernels after the convolution.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { transpose } from './layout.js';
import { ACTIVATION, applyEpilogue, epilogueArgs } from './epilogue.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;


/** A length the C epilogue applies per output channel (0 none, 1 scalar, OC), or -1. */
function perChannel(t, OC, channelsLast) {
  if (t == null) return 0;
  if (t.dtype !== 'float32') return -1;
  const size = util.sizeFromShape(t.shape);
  if (size === 1) return 1;
  const trailingOnly = t.shape.slice(0, -1).every((d) => d === 1);
  return channelsLast && size === OC && trailingOnly ? OC : -1;
}

function checkInputs(kernelName, x, filter, activation, prelu) {
  if (x.shape.length !== 4) {
    throw new Error(`${kernelName}: x must have rank 4, got shape [${x.shape}]`);
  }
  if (filter.shape.length !== 4) {
    throw new Error(`${kernelName}: filter must have rank 4 [filterHeight, filterWidth, ` +
        `inChannels, channelMultiplier], got shape [${filter.shape}]`);
  }
  for (const [name, t] of [['x', x], ['filter', filter]]) {
    if (t.dtype === 'string' || t.dtype === 'complex64') {
      throw new Error(`${kernelName}: ${name} has dtype ${t.dtype}, expected float32`);
    }
  }
  if (ACTIVATION[activation] == null) {
    throw new Error(`${kernelName}: unknown activation '${activation}'`);
  }
  if (activation === 'prelu' && prelu == null) {
    throw new Error(`${kernelName}: activation 'prelu' needs preluActivationWeights`);
  }
}

/**
 * Depthwise convolution of x by filter with an optional fused epilogue.
 * @returns {object} TensorInfo (x's dtype, computed in float32)
 */
export function depthwiseConv2d(backend, kernelName, x, filter, attrs,
    { bias = null, activation = 'linear', alpha = 0, prelu = null } = {}) {
  const { strides, pad, dimRoundingMode } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  const dilations = attrs.dilations == null ? [1, 1] : attrs.dilations;
  checkInputs(kernelName, x, filter, activation, prelu);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected 'NHWC' or 'NCHW'`);
  }
  if (!backend_util.eitherStridesOrDilationsAreOne(strides, dilations)) {
    throw new Error(`${kernelName}: strides [${strides}] and dilations [${dilations}]: ` +
        'either strides or dilations must be 1');
  }
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    // int32 / bool are computed in float32 and stored as x's dtype, as
    // tfjs-backend-cpu does.
    const fx = cast(backend, x, 'float32'), ff = cast(backend, filter, 'float32');
    try {
      const f = depthwiseConv2d(backend, kernelName, fx, ff, attrs, { bias, activation, alpha, prelu });
      if (x.dtype === 'float32') return f;
      const out = cast(backend, f, x.dtype);
      backend.disposeData(f.dataId);
      return out;
    } finally {
      backend.disposeData(fx.dataId);
      backend.disposeData(ff.dataId);
    }
  }
  const channelsLast = dataFormat === 'NHWC';
  const info = backend_util.computeConv2DInfo(x.shape, filter.shape, strides, dilations, pad,
      dimRoundingMode, true /* depthwise */, backend_util.convertConv2DDataFormat(dataFormat));
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  if (filter.shape[2] !== inChannels) {
    throw new Error(`${kernelName}: filter depth ${filter.shape[2]} does not match input depth ` +
        `${inChannels}`);
  }
  for (const [name, v] of [['height', outHeight], ['width', outWidth]]) {
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`${kernelName}: output ${name} is ${v}: the ${info.effectiveFilterHeight}x` +
          `${info.effectiveFilterWidth} (dilated) filter does not fit the ${inHeight}x${inWidth} ` +
          `input with pad ${JSON.stringify(pad)} and strides [${strides}]`);
    }
  }
  for (const [name, v] of [['pad top', info.padInfo.top], ['pad left', info.padInfo.left]]) {
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`${kernelName}: ${name} is ${v}, expected an integer >= 0`);
    }
  }

  for (const [name, t] of [['bias', bias], ['preluActivationWeights', prelu]]) {
    if (t == null) continue;
    if (t.dtype === 'string' || t.dtype === 'complex64') {
      throw new Error(`${kernelName}: ${name} has dtype ${t.dtype}, expected float32`);
    }
    try {
      backend_util.assertAndGetBroadcastShape(info.outShape, t.shape);
    } catch (e) {
      throw new Error(`${kernelName}: ${name} of shape [${t.shape}] does not broadcast to the ` +
          `output shape [${info.outShape}]`);
    }
  }

  // The C epilogue takes biases / prelu weights per output channel (NHWC).
  const act = ACTIVATION[activation];
  const biasLen = perChannel(bias, outChannels, channelsLast);
  const preluLen = activation === 'prelu' ? perChannel(prelu, outChannels, channelsLast) : 0;
  const fused = biasLen >= 0 && preluLen >= 0;

  const temps = [];
  try {
    const xNhwc = channelsLast ? x : transpose(backend, x, [0, 2, 3, 1]);
    if (!channelsLast) temps.push(xNhwc);
    const nhwcShape = [batchSize, outHeight, outWidth, outChannels];
    let out = backend.makeOutput(nhwcShape, 'float32', kernelName);
    if (util.sizeFromShape(nhwcShape) > 0) {
      const status = backend.wasm._cwasm_depthwise_conv2d(batchSize, inHeight, inWidth, inChannels,
          info.filterHeight, info.filterWidth, filter.shape[3], outHeight, outWidth,
          info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
          info.padInfo.top, info.padInfo.left, backend.ptr(xNhwc), backend.ptr(filter),
          backend.ptr(out),
          ...epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen));
      backend.check(status, kernelName, [out]);
    }
    if (!channelsLast) {
      temps.push(out);
      out = transpose(backend, out, [0, 3, 1, 2]);
    }
    if (fused) return out;
    return applyEpilogue(backend, kernelName, out, bias, activation, alpha, prelu);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function depthwiseConv2dNative({ inputs, attrs, backend }) {
  const { x, filter } = inputs;
  return depthwiseConv2d(backend, 'DepthwiseConv2dNative', x, filter, attrs);
}

function fusedDepthwiseConv2D({ inputs, attrs, backend }) {
  const { x, filter, bias, preluActivationWeights } = inputs;
  return depthwiseConv2d(backend, 'FusedDepthwiseConv2D', x, filter, attrs, {
    bias, activation: attrs.activation || 'linear', alpha: attrs.leakyreluAlpha || 0,
    prelu: preluActivationWeights,
  });
}

export const KERNELS = [
  { kernelName: tfc.DepthwiseConv2dNative, kernelFunc: depthwiseConv2dNative },
  { kernelName: tfc.FusedDepthwiseConv2D, kernelFunc: fusedDepthwiseConv2D },
];
