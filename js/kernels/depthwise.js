/**
 * DepthwiseConv2dNative and FusedDepthwiseConv2D on the direct
 * channel-vectorised C kernel (src/kernels/depthwise). Shapes and padding
 * come from tfjs-core's computeConv2DInfo; NCHW is transposed to NHWC and
 * back; a bias or prelu weights that are not per output channel fall back to
 * the broadcasting binary kernels after the convolution.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { ACTIVATION, applyEpilogue, epilogueArgs } from './epilogue.js';
import {
  checkDataFormat, checkEpilogue, checkEpilogueShapes, checkFilterDepth, checkOperands, conv2dInfo,
  convArgs, inNhwc, perChannel,
} from './conv_geometry.js';
import { asFloat } from './unary.js';

const { backend_util, util } = tfc;

/**
 * Depthwise convolution of x by filter with an optional fused epilogue.
 * @returns {object} TensorInfo (x's dtype, computed in float32)
 */
export function depthwiseConv2d(backend, kernelName, x, filter, attrs,
    { bias = null, activation = 'linear', alpha = 0, prelu = null } = {}) {
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkOperands(kernelName, 4, [['x', x, '[batch, height, width, channels]'],
    ['filter', filter, '[filterHeight, filterWidth, inChannels, channelMultiplier]']]);
  checkEpilogue(kernelName, activation, bias, prelu);
  checkDataFormat(kernelName, dataFormat, ['NHWC', 'NCHW']);
  const channelsLast = dataFormat === 'NHWC';
  const dilations = attrs.dilations == null ? [1, 1] : attrs.dilations;
  if (!backend_util.eitherStridesOrDilationsAreOne(attrs.strides, dilations)) {
    throw new Error(`${kernelName}: strides [${attrs.strides}] and dilations [${dilations}]: ` +
        'either strides or dilations must be 1');
  }
  const info = conv2dInfo(kernelName, x.shape, filter.shape, attrs, { depthwise: true });
  const { batchSize, outHeight, outWidth, outChannels } = info;
  checkFilterDepth(kernelName, filter.shape[2], info.inChannels);
  checkEpilogueShapes(kernelName, info, bias, prelu);
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    // int32 / bool are computed in float32 and stored as x's dtype, as
    // tfjs-backend-cpu does.
    return asFloat(backend, [x, filter], x.dtype, (fx, ff) =>
      depthwiseConv2d(backend, kernelName, fx, ff, attrs, { bias, activation, alpha, prelu }));
  }

  // The C epilogue takes biases / prelu weights per output channel (NHWC).
  const act = ACTIVATION[activation];
  const biasLen = perChannel(bias, outChannels, channelsLast);
  const preluLen = activation === 'prelu' ? perChannel(prelu, outChannels, channelsLast) : 0;
  const fused = biasLen >= 0 && preluLen >= 0;

  const nhwcShape = [batchSize, outHeight, outWidth, outChannels];
  const out = inNhwc(backend, kernelName, x, channelsLast, nhwcShape, (xNhwc, y) =>
    util.sizeFromShape(nhwcShape) === 0 ? 0 : backend.wasm._cwasm_depthwise_conv2d(
        ...convArgs(backend, info, filter.shape[3]), backend.ptr(xNhwc), backend.ptr(filter),
        backend.ptr(y), ...epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen)));
  if (fused) return out;
  return applyEpilogue(backend, kernelName, out, bias, activation, alpha, prelu);
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
