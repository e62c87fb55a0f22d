/**
 * What the convolution kernels (conv.js, depthwise.js, conv_grad.js) share:
 * argument checks that name the kernel and the argument, the geometry from
 * tfjs-core's computeConv2DInfo / computeConv3DInfo, the dims / pads arrays
 * of the C exports (wasm/exports_args.h) and the NCHW round trip.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { ACTIVATION } from './epilogue.js';
import { transpose } from './layout.js';

const { backend_util, util } = tfc;

/**
 * Throws unless each of the operands ([name, tensor, layout]) has the given
 * rank, then unless each has a numeric dtype.
 */
export function checkOperands(kernelName, rank, operands) {
  for (const [name, t, what] of operands) checkRank(kernelName, name, t, rank, what);
  for (const [name, t] of operands) checkDtype(kernelName, name, t);
}

/** Throws unless t has a numeric dtype (computed in float32). */
function checkDtype(kernelName, name, t) {
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new Error(`${kernelName}: ${name} has dtype ${t.dtype}, expected float32`);
  }
}

/** Throws unless t has the given rank; `what` describes the expected layout. */
function checkRank(kernelName, name, t, rank, what) {
  if (t.shape.length !== rank) {
    throw new Error(`${kernelName}: ${name} must have rank ${rank} ${what}, got shape [${t.shape}]`);
  }
}

/** Throws unless dataFormat is one of formats. */
export function checkDataFormat(kernelName, dataFormat, formats) {
  if (!formats.includes(dataFormat)) {
    throw new Error(`${kernelName}: dataFormat '${dataFormat}', expected ` +
        `${formats.map((f) => `'${f}'`).join(' or ')}`);
  }
}

/** Throws unless shape (an attribute: inputShape, filterShape) is rank integers >= min. */
export function checkShapeAttr(kernelName, name, shape, rank, min) {
  if (!Array.isArray(shape) || shape.length !== rank ||
      !shape.every((d) => Number.isInteger(d) && d >= min)) {
    throw new Error(`${kernelName}: ${name} ${JSON.stringify(shape)}, expected ${rank} ` +
        `integers >= ${min}`);
  }
}

/** Strides / dilations as n positive integers. */
function positiveInts(kernelName, name, v, n) {
  const list = typeof v === 'number' ? new Array(n).fill(v) : v;
  if (!Array.isArray(list) || list.length !== n ||
      !list.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${kernelName}: ${name} ${JSON.stringify(v)}, expected ${n} integers >= 1`);
  }
  return list;
}

/** Runs a tfjs-core shape helper, naming the kernel in its errors. */
function convInfo(kernelName, f) {
  try {
    return f();
  } catch (e) {
    throw new Error(`${kernelName}: ${e.message}`, { cause: e });
  }
}

/** Throws unless the output sizes and the front / top / left pads of info are integers >= 0. */
function checkOutput(kernelName, info, names, pad, strides) {
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

/**
 * The checked conv info of a 2-D convolution of an input of xShape by a
 * filter of filterShape (tfjs-core's computeConv2DInfo): strides (and
 * dilations, when the kernel takes them) must be positive integers, and the
 * output and pads must come out as integers >= 0.
 * @param {{depthwise?: boolean, dilations?: boolean}} [options] depthwise: a
 *   depthwise filter [h, w, in, multiplier]; dilations:
 *   false for the kernels whose dilation is always 1
 */
export function conv2dInfo(kernelName, xShape, filterShape, attrs,
    { depthwise = false, dilations = true } = {}) {
  const { pad, dimRoundingMode } = attrs;
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 2);
  const dilation = dilations
    ? positiveInts(kernelName, 'dilations', attrs.dilations == null ? 1 : attrs.dilations, 2) : 1;
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat || 'NHWC');
  const info = convInfo(kernelName, () => backend_util.computeConv2DInfo(xShape, filterShape,
      strides, dilation, pad, dimRoundingMode, depthwise, dataFormat));
  checkOutput(kernelName, info, ['Height', 'Width'], pad, strides);
  return info;
}

/** The checked conv info of a 3-D convolution (NDHWC; see conv2dInfo). */
export function conv3dInfo(kernelName, xShape, filterShape, attrs, { dilations = true } = {}) {
  const { pad } = attrs;
  const strides = positiveInts(kernelName, 'strides', attrs.strides, 3);
  const dilation = dilations
    ? positiveInts(kernelName, 'dilations', attrs.dilations == null ? 1 : attrs.dilations, 3) : 1;
  const info = convInfo(kernelName, () => backend_util.computeConv3DInfo(xShape, filterShape,
      strides, dilation, pad));
  checkOutput(kernelName, info, ['Depth', 'Height', 'Width'], pad, strides);
  return info;
}

/** Throws unless the input's channels match the filter's depth. */
export function checkFilterDepth(kernelName, filterDepth, inChannels) {
  if (filterDepth !== inChannels) {
    throw new Error(`${kernelName}: filter depth ${filterDepth} does not match input depth ` +
        `${inChannels}`);
  }
}

/** Throws unless activation is a fused activation and its tensors are numeric. */
export function checkEpilogue(kernelName, activation, bias, prelu) {
  if (ACTIVATION[activation] == null) {
    throw new Error(`${kernelName}: unknown activation '${activation}'`);
  }
  if (activation === 'prelu' && prelu == null) {
    throw new Error(`${kernelName}: activation 'prelu' needs preluActivationWeights`);
  }
  for (const [name, t] of [['bias', bias], ['preluActivationWeights', prelu]]) {
    if (t != null) checkDtype(kernelName, name, t);
  }
}

/**
 * Throws unless bias and prelu weights (either may be null) broadcast to the
 * output shape info.outShape; where nchwVector, a 1-D [outChannels] also
 * passes (tfjs aligns it to the channels of an NCHW Conv2D).
 */
export function checkEpilogueShapes(kernelName, info, bias, prelu, nchwVector = false) {
  for (const [name, t] of [['bias', bias], ['preluActivationWeights', prelu]]) {
    if (t == null) continue;
    try {
      backend_util.assertAndGetBroadcastShape(info.outShape, t.shape);
    } catch (e) {
      if (!nchwVector || t.shape.length !== 1 || t.shape[0] !== info.outChannels) {
        throw new Error(`${kernelName}: ${name} of shape [${t.shape}] does not broadcast to ` +
            `the output shape [${info.outShape}]`, { cause: e });
      }
    }
  }
}

/**
 * The length a bias or prelu weights t has for the C epilogue, which applies
 * it per output channel: 0 (none), 1 (one value) or OC; -1 when it must be
 * applied unfused (not float32, or not one value per channel). NHWC: [..., OC]
 * with leading ones; NCHW: a 1-D [OC] where nchwVector (tfjs aligns it to the
 * channels of Conv2D), nothing otherwise.
 */
export function perChannel(t, OC, channelsLast, nchwVector = false) {
  if (t == null) return 0;
  if (t.dtype !== 'float32') return -1;
  const size = util.sizeFromShape(t.shape);
  if (size === 1) return 1;
  if (size !== OC) return -1;
  if (channelsLast) return t.shape.slice(0, -1).every((d) => d === 1) ? OC : -1;
  return nchwVector && t.shape.length === 1 ? OC : -1;
}

/**
 * The dims and pads arguments of the C convolution exports for a 2-D or
 * 3-D conv info (2-D: depth 1, pad front 0). last is the filter's last
 * dimension: out channels, or a depthwise filter's channel multiplier.
 * @returns {number[]} [dims, pads] pointers, valid for the next call
 */
export function convArgs(backend, info, last = info.outChannels) {
  const is3d = info.inDepth !== undefined;
  const d = (v3, v2) => (is3d ? v3 : v2);
  const dims = backend.i32([info.batchSize, d(info.inDepth, 1), info.inHeight, info.inWidth,
    info.inChannels, d(info.outDepth, 1), info.outHeight, info.outWidth, last,
    d(info.filterDepth, 1), info.filterHeight, info.filterWidth, d(info.strideDepth, 1),
    info.strideHeight, info.strideWidth, d(info.dilationDepth, 1), info.dilationHeight,
    info.dilationWidth]);
  const pads = backend.i32([d(info.padInfo.front, 0), info.padInfo.top, info.padInfo.left]);
  return [dims, pads];
}

/**
 * Runs run(xNhwc, out) with x in NHWC (transposed from NCHW unless
 * channelsLast) into a new float32 output of nhwcShape, and returns the
 * output in x's layout. run returns the C status; nothing is left behind.
 */
export function inNhwc(backend, kernelName, x, channelsLast, nhwcShape, run) {
  const temps = [];
  try {
    const xNhwc = channelsLast ? x : transpose(backend, x, [0, 2, 3, 1]);
    if (!channelsLast) temps.push(xNhwc);
    const out = backend.makeOutput(nhwcShape, 'float32', kernelName);
    backend.check(run(xNhwc, out), kernelName, [out]);
    if (channelsLast) return out;
    temps.push(out);
    return transpose(backend, out, [0, 3, 1, 2]);
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}
