/**
 * Convolution gradients: the filter gradients Conv2DBackpropFilter (NHWC and
 * NCHW) and Conv3DBackpropFilterV2 (NDHWC) on one C GEMM
 * (src/kernels/conv/conv_backprop_filter.c), Conv3DBackpropInputV2 (GEMM
 * tiles and a col2im, conv3d_backprop_input.c), and both depthwise gradients,
 * DepthwiseConv2dNativeBackpropInput / -Filter (NHWC,
 * src/kernels/depthwise/depthwise_grad.c). Geometry from tfjs-core's
 * computeConv2DInfo / computeConv3DInfo of the forward convolution; dy must
 * have the forward output's shape. (Conv2DBackpropInput is in conv.js: it is
 * also the forward pass of the transposed convolution.)
 */
import * as tfc from '@tensorflow/tfjs-core';

import { asFloat, checkDtype, checkOutput, checkRank, convInfo, positiveInts } from './conv.js';
import { transpose } from './layout.js';

const { backend_util, util } = tfc;

function checkFilterShape(kernelName, filterShape, rank) {
  if (!Array.isArray(filterShape) || filterShape.length !== rank ||
      !filterShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${kernelName}: filterShape ${JSON.stringify(filterShape)}, expected ${rank} ` +
        'integers >= 1');
  }
}

function checkDy(kernelName, dy, outShape, what) {
  if (!util.arraysEqual(dy.shape, outShape)) {
    throw new Error(`${kernelName}: dy has shape [${dy.shape}], expected [${outShape}] (the ` +
        `output shape of the forward convolution of ${what})`);
  }
}

/**
 * Runs the C kernel: info is a 3-D conv info (2-D ones get depth 1), x and
 * dy channels-last float32.
 */
function runBackpropFilter(backend, kernelName, twoD, info, x, dy) {
  const d = (v3, v2) => (twoD ? v2 : v3);
  const out = backend.makeOutput(info.filterShape, 'float32', kernelName);
  const dims = backend.i32([info.batchSize, d(info.inDepth, 1), info.inHeight, info.inWidth,
    info.inChannels, d(info.outDepth, 1), info.outHeight, info.outWidth, info.outChannels,
    d(info.filterDepth, 1), info.filterHeight, info.filterWidth, d(info.strideDepth, 1),
    info.strideHeight, info.strideWidth, d(info.dilationDepth, 1), info.dilationHeight,
    info.dilationWidth]);
  const pads = backend.i32([d(info.padInfo.front, 0), info.padInfo.top, info.padInfo.left]);
  const status = backend.wasm._cwasm_conv_backprop_filter(twoD ? 1 : 0, dims, pads,
      backend.ptr(x), backend.ptr(dy), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

/** dW of Conv2D: x [b, h, w, c] (or NCHW), dy the forward output's shape. */
export function conv2dBackpropFilter(backend, kernelName, x, dy, attrs) {
  const { pad, dimRoundingMode, filterShape } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkRank(kernelName, 'x', x, 4, '[batch, height, width, channels]');
  checkRank(kernelName, 'dy', dy, 4, '[batch, outHeight, outWidth, outChannels]');
  checkDtype(kernelName, 'x', x);
  checkDtype(kernelName, 'dy', dy);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected 'NHWC' or 'NCHW'`);
  }
  checkFilterShape(kernelName, filterShape, 4);
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 2);
  const channelsLast = dataFormat === 'NHWC';
  const info = convInfo(kernelName, () => backend_util.computeConv2DInfo(x.shape, filterShape,
      strides, 1, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat)));
  checkOutput(kernelName, info, ['Height', 'Width'], pad, strides);
  if (filterShape[2] !== info.inChannels) {
    throw new Error(`${kernelName}: filterShape [${filterShape}] has depth ${filterShape[2]}, ` +
        `x has ${info.inChannels} channels`);
  }
  checkDy(kernelName, dy, info.outShape, `x [${x.shape}] with filter [${filterShape}]`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    return asFloat(backend, [x, dy], 'float32', (fx, fd) =>
      conv2dBackpropFilter(backend, kernelName, fx, fd, attrs));
  }
  if (channelsLast) return runBackpropFilter(backend, kernelName, true, info, x, dy);
  const xt = transpose(backend, x, [0, 2, 3, 1]);
  const dyt = transpose(backend, dy, [0, 2, 3, 1]);
  try {
    return runBackpropFilter(backend, kernelName, true, info, xt, dyt);
  } finally {
    backend.disposeData(xt.dataId);
    backend.disposeData(dyt.dataId);
  }
}

/** dW of Conv3D (NDHWC). */
export function conv3dBackpropFilter(backend, kernelName, x, dy, attrs) {
  const { pad, filterShape } = attrs;
  checkRank(kernelName, 'x', x, 5, '[batch, depth, height, width, channels]');
  checkRank(kernelName, 'dy', dy, 5, '[batch, outDepth, outHeight, outWidth, outChannels]');
  checkDtype(kernelName, 'x', x);
  checkDtype(kernelName, 'dy', dy);
  checkFilterShape(kernelName, filterShape, 5);
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 3);
  const info = convInfo(kernelName, () => backend_util.computeConv3DInfo(x.shape, filterShape,
      strides, 1, pad));
  checkOutput(kernelName, info, ['Depth', 'Height', 'Width'], pad, strides);
  if (filterShape[3] !== info.inChannels) {
    throw new Error(`${kernelName}: filterShape [${filterShape}] has depth ${filterShape[3]}, ` +
        `x has ${info.inChannels} channels`);
  }
  checkDy(kernelName, dy, info.outShape, `x [${x.shape}] with filter [${filterShape}]`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    return asFloat(backend, [x, dy], 'float32', (fx, fd) =>
      conv3dBackpropFilter(backend, kernelName, fx, fd, attrs));
  }
  return runBackpropFilter(backend, kernelName, false, info, x, dy);
}

/** dx of Conv3D (NDHWC) from dy and the filter. */
export function conv3dBackpropInput(backend, kernelName, dy, filter, attrs) {
  const { pad, inputShape } = attrs;
  checkRank(kernelName, 'dy', dy, 5, '[batch, outDepth, outHeight, outWidth, outChannels]');
  checkRank(kernelName, 'filter', filter, 5,
      '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
  checkDtype(kernelName, 'dy', dy);
  checkDtype(kernelName, 'filter', filter);
  if (!Array.isArray(inputShape) || inputShape.length !== 5 ||
      !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${kernelName}: inputShape ${JSON.stringify(inputShape)}, expected 5 ` +
        'integers >= 0');
  }
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 3);
  const info = convInfo(kernelName, () => backend_util.computeConv3DInfo(inputShape, filter.shape,
      strides, 1, pad));
  checkOutput(kernelName, info, ['Depth', 'Height', 'Width'], pad, strides);
  if (filter.shape[3] !== info.inChannels) {
    throw new Error(`${kernelName}: filter [${filter.shape}] has depth ${filter.shape[3]}, ` +
        `inputShape [${inputShape}] has ${info.inChannels} channels`);
  }
  checkDy(kernelName, dy, info.outShape, `inputShape [${inputShape}] with filter [${filter.shape}]`);
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [dy, filter], 'float32', (fd, ff) =>
      conv3dBackpropInput(backend, kernelName, fd, ff, attrs));
  }
  const out = backend.makeOutput(inputShape, 'float32', kernelName);
  const dims = backend.i32([info.batchSize, info.inDepth, info.inHeight, info.inWidth,
    info.inChannels, info.outDepth, info.outHeight, info.outWidth, info.outChannels,
    info.filterDepth, info.filterHeight, info.filterWidth, info.strideDepth, info.strideHeight,
    info.strideWidth, info.dilationDepth, info.dilationHeight, info.dilationWidth]);
  const pads = backend.i32([info.padInfo.front, info.padInfo.top, info.padInfo.left]);
  const status = backend.wasm._cwasm_conv3d_backprop_input(dims, pads, backend.ptr(dy),
      backend.ptr(filter), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

/** Both depthwise gradients: which 'input' (a = filter) or 'filter' (a = x), NHWC. */
function depthwiseBackprop(backend, kernelName, which, a, dy, attrs) {
  const { pad, dimRoundingMode } = attrs;
  const isInput = which === 'input';
  const shape = isInput ? attrs.inputShape : attrs.filterShape;
  checkRank(kernelName, isInput ? 'filter' : 'x', a, 4, isInput
    ? '[filterHeight, filterWidth, inChannels, channelMultiplier]' : '[batch, height, width, channels]');
  checkRank(kernelName, 'dy', dy, 4, '[batch, outHeight, outWidth, outChannels]');
  checkDtype(kernelName, isInput ? 'filter' : 'x', a);
  checkDtype(kernelName, 'dy', dy);
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${kernelName}: ${isInput ? 'inputShape' : 'filterShape'} ${JSON.stringify(shape)}, ` +
        'expected 4 integers >= 0');
  }
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 2);
  const dilations = positiveInts(kernelName, 'dilations', attrs.dilations == null ? 1 : attrs.dilations, 2);
  const xShape = isInput ? shape : a.shape;
  const filterShape = isInput ? a.shape : shape;
  if (filterShape[2] !== xShape[3]) {
    throw new Error(`${kernelName}: filter [${filterShape}] has depth ${filterShape[2]}, the input ` +
        `[${xShape}] has ${xShape[3]} channels`);
  }
  const info = convInfo(kernelName, () => backend_util.computeConv2DInfo(xShape, filterShape,
      strides, dilations, pad, dimRoundingMode, true));
  checkOutput(kernelName, info, ['Height', 'Width'], pad, strides);
  checkDy(kernelName, dy, info.outShape, `input [${xShape}] with depthwise filter [${filterShape}]`);
  if (a.dtype !== 'float32' || dy.dtype !== 'float32') {
    return asFloat(backend, [a, dy], 'float32', (fa, fd) =>
      depthwiseBackprop(backend, kernelName, which, fa, fd, attrs));
  }
  const out = backend.makeOutput(shape, 'float32', kernelName);
  const dims = backend.i32([info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, filterShape[3], info.outHeight, info.outWidth,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left]);
  const status = backend.wasm._cwasm_depthwise_backprop(isInput ? 0 : 1, dims, backend.ptr(a),
      backend.ptr(dy), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

export const KERNELS = [
  {
    kernelName: tfc.Conv3DBackpropInputV2,
    kernelFunc: ({ inputs, attrs, backend }) =>
      conv3dBackpropInput(backend, 'Conv3DBackpropInputV2', inputs.dy, inputs.filter, attrs),
  },
  {
    kernelName: tfc.DepthwiseConv2dNativeBackpropInput,
    kernelFunc: ({ inputs, attrs, backend }) => depthwiseBackprop(backend,
        'DepthwiseConv2dNativeBackpropInput', 'input', inputs.filter, inputs.dy, attrs),
  },
  {
    kernelName: tfc.DepthwiseConv2dNativeBackpropFilter,
    kernelFunc: ({ inputs, attrs, backend }) => depthwiseBackprop(backend,
        'DepthwiseConv2dNativeBackpropFilter', 'filter', inputs.x, inputs.dy, attrs),
  },
  {
    kernelName: tfc.Conv2DBackpropFilter,
    kernelFunc: ({ inputs, attrs, backend }) =>
      conv2dBackpropFilter(backend, 'Conv2DBackpropFilter', inputs.x, inputs.dy, attrs),
  },
  {
    kernelName: tfc.Conv3DBackpropFilterV2,
    kernelFunc: ({ inputs, attrs, backend }) =>
      conv3dBackpropFilter(backend, 'Conv3DBackpropFilterV2', inputs.x, inputs.dy, attrs),
  },
];
