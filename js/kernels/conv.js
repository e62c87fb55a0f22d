/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv3D on the implicit-GEMM
 * C kernels (src/kernels/conv). Shapes and padding come from tfjs-core's
 * computeConv2DInfo / computeConv3DInfo; NCHW is transposed to NHWC and back;
 * the filter's packed GEMM form is cached on the filter tensor
 * (backend.packedB); a bias or prelu weights that are not per output channel
 * fall back to the broadcasting binary kernels after the convolution.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { ACTIVATION, applyEpilogue, epilogueArgs } from './epilogue.js';
import {
  checkDataFormat, checkEpilogue, checkEpilogueShapes, checkFilterDepth, checkOperands,
  checkShapeAttr, conv2dInfo, conv3dInfo, convArgs, inNhwc, perChannel,
} from './conv_geometry.js';
import { slice } from './layout.js';
import { asFloat } from './unary.js';

const { util } = tfc;

/**
 * 2-D convolution of x by filter with an optional fused epilogue.
 * @returns {object} TensorInfo (x's dtype, computed in float32)
 */
export function conv2d(backend, kernelName, x, filter, attrs,
    { bias = null, activation = 'linear', alpha = 0, prelu = null } = {}) {
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkOperands(kernelName, 4, [['x', x, '[batch, height, width, channels]'],
    ['filter', filter, '[filterHeight, filterWidth, inChannels, outChannels]']]);
  checkDataFormat(kernelName, dataFormat, ['NHWC', 'NCHW']);
  const channelsLast = dataFormat === 'NHWC';
  checkFilterDepth(kernelName, filter.shape[2], channelsLast ? x.shape[3] : x.shape[1]);
  const info = conv2dInfo(kernelName, x.shape, filter.shape, attrs);
  checkEpilogue(kernelName, activation, bias, prelu);
  checkEpilogueShapes(kernelName, info, bias, prelu, !channelsLast);
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [x, filter], x.dtype, (fx, ff) =>
      conv2d(backend, kernelName, fx, ff, attrs, { bias, activation, alpha, prelu }));
  }

  const { batchSize, inChannels, outHeight, outWidth, outChannels } = info;
  const act = ACTIVATION[activation];
  const biasLen = perChannel(bias, outChannels, channelsLast, true);
  const preluLen = activation === 'prelu' ? perChannel(prelu, outChannels, channelsLast, true) : 0;
  const fused = biasLen >= 0 && preluLen >= 0;

  const nhwcShape = [batchSize, outHeight, outWidth, outChannels];
  if (util.sizeFromShape(nhwcShape) === 0) return backend.makeOutput(info.outShape, 'float32', kernelName);
  const K = info.filterHeight * info.filterWidth * inChannels;
  const packed = K > 0 ? backend.packedB(filter, 1, K, outChannels, false, kernelName) : 0;
  const out = inNhwc(backend, kernelName, x, channelsLast, nhwcShape, (xNhwc, y) =>
    backend.wasm._cwasm_conv2d(...convArgs(backend, info), backend.ptr(xNhwc),
        backend.ptr(filter), packed, backend.ptr(y),
        ...epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen)));
  if (fused) return out;
  return applyEpilogue(backend, kernelName, out, bias, activation, alpha, prelu);
}

/** dx of Conv2D with respect to its input (the forward of a transposed convolution). */
export function conv2dBackpropInput(backend, kernelName, dy, filter, attrs) {
  const { inputShape, pad } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkOperands(kernelName, 4, [['dy', dy, '[batch, height, width, outChannels]'],
    ['filter', filter, '[filterHeight, filterWidth, inChannels, outChannels]']]);
  checkDataFormat(kernelName, dataFormat, ['NHWC', 'NCHW']);
  checkShapeAttr(kernelName, 'inputShape', inputShape, 4, 0);
  const channelsLast = dataFormat === 'NHWC';
  const info = conv2dInfo(kernelName, inputShape, filter.shape, attrs, { dilations: false });
  const { batchSize, inHeight, inWidth, inChannels } = info;
  if (filter.shape[2] !== inChannels) {
    throw new Error(`${kernelName}: filter depth ${filter.shape[2]} does not match the input ` +
        `depth ${inChannels} of inputShape [${inputShape}]`);
  }
  // tfjs-backend-cpu reads a larger dy through its own strides, bounded by
  // the output size the attrs give: the same as cropping it to that size.
  const cropped = dy.shape.every((d, i) => (channelsLast ? i === 0 || i === 3 : i < 2) ?
    d === info.outShape[i] : d >= info.outShape[i]);
  if (!cropped) {
    throw new Error(`${kernelName}: dy has shape [${dy.shape}], expected [${info.outShape}] for ` +
        `inputShape [${inputShape}], filter [${filter.shape}], strides ` +
        `[${[info.strideHeight, info.strideWidth]}] and pad ${JSON.stringify(pad)}`);
  }
  if (!util.arraysEqual(dy.shape, info.outShape)) {
    const dyc = slice(backend, dy, [0, 0, 0, 0], info.outShape);
    try {
      return conv2dBackpropInput(backend, kernelName, dyc, filter, attrs);
    } finally {
      backend.disposeData(dyc.dataId);
    }
  }
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [dy, filter], dy.dtype, (fd, ff) =>
      conv2dBackpropInput(backend, kernelName, fd, ff, attrs));
  }
  const nhwcShape = [batchSize, inHeight, inWidth, inChannels];
  if (util.sizeFromShape(nhwcShape) === 0) return backend.makeOutput(inputShape, 'float32', kernelName);
  return inNhwc(backend, kernelName, dy, channelsLast, nhwcShape, (dyNhwc, dx) =>
    backend.wasm._cwasm_conv2d_backprop_input(...convArgs(backend, info), backend.ptr(dyNhwc),
        backend.ptr(filter), backend.ptr(dx)));
}

/** 3-D convolution (NDHWC). */
export function conv3d(backend, kernelName, x, filter, attrs) {
  checkOperands(kernelName, 5, [
    ['x', x, '[batch, depth, height, width, channels]'],
    ['filter', filter, '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]']]);
  checkDataFormat(kernelName, attrs.dataFormat || 'NDHWC', ['NDHWC']);
  checkFilterDepth(kernelName, filter.shape[3], x.shape[4]);
  const info = conv3dInfo(kernelName, x.shape, filter.shape, attrs);
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [x, filter], x.dtype, (fx, ff) => conv3d(backend, kernelName, fx, ff, attrs));
  }
  const out = backend.makeOutput(info.outShape, 'float32', kernelName);
  if (util.sizeFromShape(info.outShape) === 0) return out;
  const K = info.filterDepth * info.filterHeight * info.filterWidth * info.inChannels;
  const packed = K > 0 ? backend.packedB(filter, 1, K, info.outChannels, false, kernelName) : 0;
  const status = backend.wasm._cwasm_conv3d(...convArgs(backend, info), backend.ptr(x),
      backend.ptr(filter), packed, backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

function conv2dKernel({ inputs, attrs, backend }) {
  const { x, filter } = inputs;
  return conv2d(backend, 'Conv2D', x, filter, attrs);
}

function fusedConv2dKernel({ inputs, attrs, backend }) {
  const { x, filter, bias, preluActivationWeights } = inputs;
  return conv2d(backend, 'FusedConv2D', x, filter, attrs, {
    bias, activation: attrs.activation || 'linear', alpha: attrs.leakyreluAlpha || 0,
    prelu: preluActivationWeights,
  });
}

function conv2dBackpropInputKernel({ inputs, attrs, backend }) {
  const { dy, filter } = inputs;
  return conv2dBackpropInput(backend, 'Conv2DBackpropInput', dy, filter, attrs);
}

function conv3dKernel({ inputs, attrs, backend }) {
  const { x, filter } = inputs;
  return conv3d(backend, 'Conv3D', x, filter, attrs);
}

export const KERNELS = [
  { kernelName: tfc.Conv2D, kernelFunc: conv2dKernel },
  { kernelName: tfc.FusedConv2D, kernelFunc: fusedConv2dKernel },
  { kernelName: tfc.Conv2DBackpropInput, kernelFunc: conv2dBackpropInputKernel },
  { kernelName: tfc.Conv3D, kernelFunc: conv3dKernel },
];
