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

import {
  checkDataFormat, checkOperands, checkShapeAttr, conv2dInfo, conv3dInfo,
  convArgs,
} from './conv_geometry.js';
import { transpose } from './layout.js';
import { asFloat } from './unary.js';

const { util } = tfc;

function checkDy(kernelName, dy, outShape, what) {
  if (!util.arraysEqual(dy.shape, outShape)) {
    throw new Error(`${kernelName}: dy has shape [${dy.shape}], expected [${outShape}] (the ` +
        `output shape of the forward convolution of ${what})`);
  }
}

/** Throws unless the filter (shape) has the depth of the input's channels. */
function checkDepth(kernelName, filterName, filterShape, inputName, inChannels) {
  const depth = filterShape[filterShape.length - 2];
  if (depth !== inChannels) {
    throw new Error(`${kernelName}: ${filterName} [${filterShape}] has depth ${depth}, ` +
        `${inputName} has ${inChannels} channels`);
  }
}

/** Runs the C kernel: x and dy channels-last float32. */
function runBackpropFilter(backend, kernelName, twoD, info, x, dy) {
  const out = backend.makeOutput(info.filterShape, 'float32', kernelName);
  const status = backend.wasm._cwasm_conv_backprop_filter(twoD ? 1 : 0, ...convArgs(backend, info),
      backend.ptr(x), backend.ptr(dy), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

/** dW of Conv2D: x [b, h, w, c] (or NCHW), dy the forward output's shape. */
export function conv2dBackpropFilter(backend, kernelName, x, dy, attrs) {
  const { filterShape } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkOperands(kernelName, 4, [['x', x, '[batch, height, width, channels]'],
    ['dy', dy, '[batch, outHeight, outWidth, outChannels]']]);
  checkDataFormat(kernelName, dataFormat, ['NHWC', 'NCHW']);
  checkShapeAttr(kernelName, 'filterShape', filterShape, 4, 1);
  const channelsLast = dataFormat === 'NHWC';
  const info = conv2dInfo(kernelName, x.shape, filterShape, attrs, { dilations: false });
  checkDepth(kernelName, 'filterShape', filterShape, 'x', info.inChannels);
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
  const { filterShape } = attrs;
  checkOperands(kernelName, 5, [['x', x, '[batch, depth, height, width, channels]'],
    ['dy', dy, '[batch, outDepth, outHeight, outWidth, outChannels]']]);
  checkShapeAttr(kernelName, 'filterShape', filterShape, 5, 1);
  const info = conv3dInfo(kernelName, x.shape, filterShape, attrs, { dilations: false });
  checkDepth(kernelName, 'filterShape', filterShape, 'x', info.inChannels);
  checkDy(kernelName, dy, info.outShape, `x [${x.shape}] with filter [${filterShape}]`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    return asFloat(backend, [x, dy], 'float32', (fx, fd) =>
      conv3dBackpropFilter(backend, kernelName, fx, fd, attrs));
  }
  return runBackpropFilter(backend, kernelName, false, info, x, dy);
}

/** dx of Conv3D (NDHWC) from dy and the filter. */
export function conv3dBackpropInput(backend, kernelName, dy, filter, attrs) {
  const { inputShape } = attrs;
  checkOperands(kernelName, 5, [
    ['dy', dy, '[batch, outDepth, outHeight, outWidth, outChannels]'],
    ['filter', filter, '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]']]);
  checkShapeAttr(kernelName, 'inputShape', inputShape, 5, 0);
  const info = conv3dInfo(kernelName, inputShape, filter.shape, attrs, { dilations: false });
  checkDepth(kernelName, 'filter', filter.shape, `inputShape [${inputShape}]`, info.inChannels);
  checkDy(kernelName, dy, info.outShape, `inputShape [${inputShape}] with filter [${filter.shape}]`);
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [dy, filter], 'float32', (fd, ff) =>
      conv3dBackpropInput(backend, kernelName, fd, ff, attrs));
  }
  const out = backend.makeOutput(inputShape, 'float32', kernelName);
  const status = backend.wasm._cwasm_conv3d_backprop_input(...convArgs(backend, info),
      backend.ptr(dy), backend.ptr(filter), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

/** Both depthwise gradients: which 'input' (a = filter) or 'filter' (a = x), NHWC. */
function depthwiseBackprop(backend, kernelName, which, a, dy, attrs) {
  const isInput = which === 'input';
  const shape = isInput ? attrs.inputShape : attrs.filterShape;
  const operand = isInput
    ? ['filter', a, '[filterHeight, filterWidth, inChannels, channelMultiplier]']
    : ['x', a, '[batch, height, width, channels]'];
  checkOperands(kernelName, 4, [operand, ['dy', dy, '[batch, outHeight, outWidth, outChannels]']]);
  checkShapeAttr(kernelName, isInput ? 'inputShape' : 'filterShape', shape, 4, 0);
  const xShape = isInput ? shape : a.shape;
  const filterShape = isInput ? a.shape : shape;
  checkDepth(kernelName, 'filter', filterShape, `the input [${xShape}]`, xShape[3]);
  const info = conv2dInfo(kernelName, xShape, filterShape, { ...attrs, dataFormat: 'NHWC' },
      { depthwise: true });
  checkDy(kernelName, dy, info.outShape, `input [${xShape}] with depthwise filter [${filterShape}]`);
  if (a.dtype !== 'float32' || dy.dtype !== 'float32') {
    return asFloat(backend, [a, dy], 'float32', (fa, fd) =>
      depthwiseBackprop(backend, kernelName, which, fa, fd, attrs));
  }
  const out = backend.makeOutput(shape, 'float32', kernelName);
  const status = backend.wasm._cwasm_depthwise_backprop(isInput ? 0 : 1,
      ...convArgs(backend, info, filterShape[3]), backend.ptr(a), backend.ptr(dy), backend.ptr(out));
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
