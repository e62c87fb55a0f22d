/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv3D on the implicit-GEMM
 * C kernels (src/kernels/conv). Shapes and padding come from tfjs-core's
 * computeConv2DInfo / computeConv3DInfo; NCHW is transposed to NHWC and back;
 * the filter's packed GEMM form is cached on the filter tensor
 * (backend.packedB); a bias or prelu weights that are not per output channel
 * fall back to the broadcasting binary kernels after the convolution.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { slice, transpose } from './layout.js';
import { ACTIVATION, applyEpilogue, epilogueArgs } from './epilogue.js';
import { cast } from './unary.js';

const { backend_util, util } = tfc;


/** A length the C epilogue applies per output channel (0 none, 1 scalar, OC), or -1. */
function perChannel(t, OC, channelsLast) {
  if (t == null) return 0;
  if (t.dtype !== 'float32') return -1;
  const size = util.sizeFromShape(t.shape);
  if (size === 1) return 1;
  if (size !== OC) return -1;
  // NHWC: [..., OC] with leading ones. NCHW: tfjs aligns a 1-D [OC] to channels.
  if (channelsLast) return t.shape.slice(0, -1).every((d) => d === 1) ? OC : -1;
  return t.shape.length === 1 ? OC : -1;
}

export function checkDtype(kernelName, name, t) {
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new Error(`${kernelName}: ${name} has dtype ${t.dtype}, expected float32`);
  }
}

export function checkRank(kernelName, name, t, rank, what) {
  if (t.shape.length !== rank) {
    throw new Error(`${kernelName}: ${name} must have rank ${rank} ${what}, got shape [${t.shape}]`);
  }
}

/** Strides / dilations as n positive integers. */
export function positiveInts(kernelName, name, v, n) {
  const list = typeof v === 'number' ? new Array(n).fill(v) : v;
  if (!Array.isArray(list) || list.length !== n ||
      !list.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${kernelName}: ${name} ${JSON.stringify(v)}, expected ${n} integers >= 1`);
  }
  return list;
}

/** Runs a tfjs-core shape helper, naming the kernel in its errors. */
export function convInfo(kernelName, f) {
  try {
    return f();
  } catch (e) {
    throw new Error(`${kernelName}: ${e.message}`);
  }
}

export function checkOutput(kernelName, info, names, pad, strides) {
  for (const name of names) {
    const v = info[`out${name}`];
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`${kernelName}: output ${name.toLowerCase()} is ${v}: the filter ` +
          `[${info.filterShape}] (dilated) does not fit the input [${info.inShape}] with pad ` +
          `${JSON.stringify(pad)} and strides [${strides}]`);
    }
  }
  for (const name of ['front', 'top', 'left']) {
    const v = info.padInfo[name];
    if (v === undefined && name === 'front') continue;
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`${kernelName}: pad ${name} is ${v}, expected an integer >= 0`);
    }
  }
}

/** Runs f on float32 copies of int32 / bool inputs and casts the result to `dtype`. */
export function asFloat(backend, inputs, dtype, f) {
  const temps = [];
  try {
    const floats = inputs.map((t) => {
      if (t == null || t.dtype === 'float32') return t;
      const c = cast(backend, t, 'float32');
      temps.push(c);
      return c;
    });
    const out = f(...floats);
    if (dtype === 'float32') return out;
    temps.push(out);
    return cast(backend, out, dtype);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function checkEpilogue(kernelName, outShape, activation, bias, prelu) {
  if (ACTIVATION[activation] == null) {
    throw new Error(`${kernelName}: unknown activation '${activation}'`);
  }
  if (activation === 'prelu' && prelu == null) {
    throw new Error(`${kernelName}: activation 'prelu' needs preluActivationWeights`);
  }
  for (const [name, t] of [['bias', bias], ['preluActivationWeights', prelu]]) {
    if (t == null) continue;
    checkDtype(kernelName, name, t);
  }
}

/**
 * 2-D convolution of x by filter with an optional fused epilogue.
 * @returns {object} TensorInfo (x's dtype, computed in float32)
 */
export function conv2d(backend, kernelName, x, filter, attrs,
    { bias = null, activation = 'linear', alpha = 0, prelu = null } = {}) {
  const { pad, dimRoundingMode } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkRank(kernelName, 'x', x, 4, '[batch, height, width, channels]');
  checkRank(kernelName, 'filter', filter, 4, '[filterHeight, filterWidth, inChannels, outChannels]');
  checkDtype(kernelName, 'x', x);
  checkDtype(kernelName, 'filter', filter);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected 'NHWC' or 'NCHW'`);
  }
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 2);
  const dilations = positiveInts(kernelName, 'dilations', attrs.dilations == null ? 1 : attrs.dilations, 2);
  const channelsLast = dataFormat === 'NHWC';
  const inChannels = channelsLast ? x.shape[3] : x.shape[1];
  if (filter.shape[2] !== inChannels) {
    throw new Error(`${kernelName}: filter depth ${filter.shape[2]} does not match input depth ` +
        `${inChannels}`);
  }
  const info = convInfo(kernelName, () => backend_util.computeConv2DInfo(x.shape, filter.shape,
      strides, dilations, pad, dimRoundingMode, false,
      backend_util.convertConv2DDataFormat(dataFormat)));
  checkOutput(kernelName, info, ['Height', 'Width'], pad, strides);
  checkEpilogue(kernelName, info.outShape, activation, bias, prelu);
  for (const [name, t] of [['bias', bias], ['preluActivationWeights', prelu]]) {
    if (t == null) continue;
    try {
      backend_util.assertAndGetBroadcastShape(info.outShape, t.shape);
    } catch (e) {
      if (channelsLast || t.shape.length !== 1 || t.shape[0] !== info.outChannels) {
        throw new Error(`${kernelName}: ${name} of shape [${t.shape}] does not broadcast to ` +
            `the output shape [${info.outShape}]`);
      }
    }
  }
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [x, filter], x.dtype, (fx, ff) =>
      conv2d(backend, kernelName, fx, ff, attrs, { bias, activation, alpha, prelu }));
  }

  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels } = info;
  const act = ACTIVATION[activation];
  const biasLen = perChannel(bias, outChannels, channelsLast);
  const preluLen = activation === 'prelu' ? perChannel(prelu, outChannels, channelsLast) : 0;
  const fused = biasLen >= 0 && preluLen >= 0;

  const nhwcShape = [batchSize, outHeight, outWidth, outChannels];
  if (util.sizeFromShape(nhwcShape) === 0) return backend.makeOutput(info.outShape, 'float32', kernelName);
  const temps = [];
  try {
    const xNhwc = channelsLast ? x : transpose(backend, x, [0, 2, 3, 1]);
    if (!channelsLast) temps.push(xNhwc);
    const K = info.filterHeight * info.filterWidth * inChannels;
    const packed = K > 0 ? backend.packedB(filter, 1, K, outChannels, false, kernelName) : 0;
    let out = backend.makeOutput(nhwcShape, 'float32', kernelName);
    const status = backend.wasm._cwasm_conv2d(batchSize, inHeight, inWidth, inChannels,
        outHeight, outWidth, outChannels, info.filterHeight, info.filterWidth,
        info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
        info.padInfo.top, info.padInfo.left, backend.ptr(xNhwc), backend.ptr(filter), packed,
        backend.ptr(out),
        ...epilogueArgs(backend, fused, bias, biasLen, act, alpha, prelu, preluLen));
    backend.check(status, kernelName, [out]);
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

/** dx of Conv2D with respect to its input (the forward of a transposed convolution). */
export function conv2dBackpropInput(backend, kernelName, dy, filter, attrs) {
  const { inputShape, pad, dimRoundingMode } = attrs;
  const dataFormat = attrs.dataFormat || 'NHWC';
  checkRank(kernelName, 'dy', dy, 4, '[batch, height, width, outChannels]');
  checkRank(kernelName, 'filter', filter, 4, '[filterHeight, filterWidth, inChannels, outChannels]');
  checkDtype(kernelName, 'dy', dy);
  checkDtype(kernelName, 'filter', filter);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected 'NHWC' or 'NCHW'`);
  }
  if (!Array.isArray(inputShape) || inputShape.length !== 4 ||
      !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${kernelName}: inputShape ${JSON.stringify(inputShape)}, expected 4 ` +
        'integers >= 0');
  }
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 2);
  const channelsLast = dataFormat === 'NHWC';
  const info = convInfo(kernelName, () => backend_util.computeConv2DInfo(inputShape, filter.shape,
      strides, 1, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat)));
  checkOutput(kernelName, info, ['Height', 'Width'], pad, strides);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
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
        `inputShape [${inputShape}], filter [${filter.shape}], strides [${strides}] and pad ` +
        `${JSON.stringify(pad)}`);
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
  const temps = [];
  try {
    const dyNhwc = channelsLast ? dy : transpose(backend, dy, [0, 2, 3, 1]);
    if (!channelsLast) temps.push(dyNhwc);
    let out = backend.makeOutput(nhwcShape, 'float32', kernelName);
    const status = backend.wasm._cwasm_conv2d_backprop_input(batchSize, inHeight, inWidth,
        inChannels, outHeight, outWidth, outChannels, info.filterHeight, info.filterWidth,
        info.strideHeight, info.strideWidth, 1, 1, info.padInfo.top, info.padInfo.left,
        backend.ptr(dyNhwc), backend.ptr(filter), backend.ptr(out));
    backend.check(status, kernelName, [out]);
    if (!channelsLast) {
      temps.push(out);
      out = transpose(backend, out, [0, 3, 1, 2]);
    }
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** 3-D convolution (NDHWC). */
export function conv3d(backend, kernelName, x, filter, attrs) {
  const { pad } = attrs;
  const dataFormat = attrs.dataFormat || 'NDHWC';
  checkRank(kernelName, 'x', x, 5, '[batch, depth, height, width, channels]');
  checkRank(kernelName, 'filter', filter, 5,
      '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
  checkDtype(kernelName, 'x', x);
  checkDtype(kernelName, 'filter', filter);
  if (dataFormat !== 'NDHWC') {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected 'NDHWC'`);
  }
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 3);
  const dilations = positiveInts(kernelName, 'dilations', attrs.dilations == null ? 1 : attrs.dilations, 3);
  if (filter.shape[3] !== x.shape[4]) {
    throw new Error(`${kernelName}: filter depth ${filter.shape[3]} does not match input depth ` +
        `${x.shape[4]}`);
  }
  const info = convInfo(kernelName, () => backend_util.computeConv3DInfo(x.shape, filter.shape,
      strides, dilations, pad));
  checkOutput(kernelName, info, ['Depth', 'Height', 'Width'], pad, strides);
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return asFloat(backend, [x, filter], x.dtype, (fx, ff) => conv3d(backend, kernelName, fx, ff, attrs));
  }
  const out = backend.makeOutput(info.outShape, 'float32', kernelName);
  if (util.sizeFromShape(info.outShape) === 0) return out;
  const K = info.filterDepth * info.filterHeight * info.filterWidth * info.inChannels;
  const packed = K > 0 ? backend.packedB(filter, 1, K, info.outChannels, false, kernelName) : 0;
  const dims = backend.i32([info.batchSize, info.inDepth, info.inHeight, info.inWidth,
    info.inChannels, info.outDepth, info.outHeight, info.outWidth, info.outChannels,
    info.filterDepth, info.filterHeight, info.filterWidth, info.strideDepth, info.strideHeight,
    info.strideWidth, info.dilationDepth, info.dilationHeight, info.dilationWidth]);
  const pads = backend.i32([info.padInfo.front, info.padInfo.top, info.padInfo.left]);
  const status = backend.wasm._cwasm_conv3d(dims, pads, backend.ptr(x), backend.ptr(filter),
      packed, backend.ptr(out));
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
