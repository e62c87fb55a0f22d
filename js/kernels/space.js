/**
 * Space family: DepthToSpace, SpaceToBatchND, BatchToSpaceND. No C of their
 * own: each is pad / reshape (shareAs, no copy) / transpose / slice from
 * layout.js, with the shape algebra of tfjs-core's backend_util
 * (getReshaped, getPermuted, getReshapedPermuted, getSliceBeginCoords,
 * getSliceSize), as tfjs-backend-cpu composes them. One transpose does the
 * data movement; temporaries are disposed on every path.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { KERNELS as LAYOUT, slice, transpose } from './layout.js';
import { shareAs } from './nocopy.js';

const { backend_util, util } = tfc;

const padV2 = LAYOUT.find((k) => k.kernelName === tfc.PadV2).kernelFunc;

/**
 * Runs steps in order, each taking the previous TensorInfo; every
 * intermediate is disposed (also when a step throws). Returns the last.
 */
function chain(backend, x, steps) {
  let cur = x;
  for (const step of steps) {
    let next;
    try {
      next = step(cur);
    } finally {
      if (cur !== x) backend.disposeData(cur.dataId);
    }
    cur = next;
  }
  return cur === x ? shareAs(backend, x, x.shape) : cur;
}

function checkDtype(kernelName, x) {
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`${kernelName}: ${x.dtype} tensors are not supported`);
  }
}

function checkBlock(kernelName, blockShape, rank) {
  if (!Array.isArray(blockShape) || blockShape.length < 1 || blockShape.length > rank - 1 ||
      !blockShape.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new Error(`${kernelName}: blockShape [${blockShape}] must hold 1 to ${rank - 1} ` +
        'integers >= 1 for an input of rank ' + rank);
  }
}

function depthToSpace({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { blockSize: bs, dataFormat = 'NHWC' } = attrs;
  checkDtype('DepthToSpace', x);
  if (x.shape.length !== 4) {
    throw new Error(`DepthToSpace: x must have rank 4, got shape [${x.shape}]`);
  }
  if (!Number.isInteger(bs) || bs < 2) {
    throw new Error(`DepthToSpace: blockSize must be an integer > 1, got ${bs}`);
  }
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`DepthToSpace: dataFormat must be 'NHWC' or 'NCHW', got '${dataFormat}'`);
  }
  const nhwc = dataFormat === 'NHWC';
  const [b, h, w, c] = nhwc ? x.shape : [x.shape[0], x.shape[2], x.shape[3], x.shape[1]];
  if (c % (bs * bs) !== 0) {
    throw new Error(`DepthToSpace: depth ${c} is not divisible by blockSize * blockSize = ${bs * bs}`);
  }
  const d = c / (bs * bs);
  // Depth index (rowInBlock * bs + colInBlock) * d + channel, in both layouts.
  const steps = nhwc ? [
    (t) => shareAs(backend, t, [b, h, w, bs, bs, d]),
    (t) => transpose(backend, t, [0, 1, 3, 2, 4, 5]),
    (t) => shareAs(backend, t, [b, h * bs, w * bs, d]),
  ] : [
    (t) => shareAs(backend, t, [b, bs, bs, d, h, w]),
    (t) => transpose(backend, t, [0, 3, 4, 1, 5, 2]),
    (t) => shareAs(backend, t, [b, d, h * bs, w * bs]),
  ];
  return chain(backend, x, steps);
}

function spaceToBatchND({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { blockShape, paddings } = attrs;
  checkDtype('SpaceToBatchND', x);
  checkBlock('SpaceToBatchND', blockShape, x.shape.length);
  const m = blockShape.length;
  if (!Array.isArray(paddings) || paddings.length !== m) {
    throw new Error(`SpaceToBatchND: paddings must have ${m} [before, after] pairs`);
  }
  const complete = [[0, 0], ...paddings];
  for (let i = 1 + m; i < x.shape.length; i++) complete.push([0, 0]);
  for (let i = 0; i < m; i++) {
    const [p0, p1] = paddings[i];
    const padded = x.shape[i + 1] + p0 + p1;
    if (!(p0 >= 0 && p1 >= 0) || padded % blockShape[i] !== 0) {
      throw new Error(`SpaceToBatchND: padded dimension ${i + 1} (${x.shape[i + 1]} + ${p0} + ` +
          `${p1}) must be >= 0 paddings and divisible by blockShape[${i}] = ${blockShape[i]}`);
    }
  }
  const prod = util.sizeFromShape(blockShape);
  const paddedShape = x.shape.map((s, i) => s + complete[i][0] + complete[i][1]);
  const reshaped = backend_util.getReshaped(paddedShape, blockShape, prod, false);
  const perm = backend_util.getPermuted(reshaped.length, m, false);
  const flat = backend_util.getReshapedPermuted(paddedShape, blockShape, prod, false);
  const noPad = complete.every(([p0, p1]) => p0 === 0 && p1 === 0);
  return chain(backend, x, [
    (t) => (noPad ? shareAs(backend, t, t.shape) :
        padV2({ inputs: { x: t }, backend, attrs: { paddings: complete, constantValue: 0 } })),
    (t) => shareAs(backend, t, reshaped),
    (t) => transpose(backend, t, perm),
    (t) => shareAs(backend, t, flat),
  ]);
}

function batchToSpaceND({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { blockShape, crops } = attrs;
  checkDtype('BatchToSpaceND', x);
  checkBlock('BatchToSpaceND', blockShape, x.shape.length);
  const m = blockShape.length;
  const prod = util.sizeFromShape(blockShape);
  if (x.shape[0] % prod !== 0) {
    throw new Error(`BatchToSpaceND: batch ${x.shape[0]} is not divisible by the product of ` +
        `blockShape, ${prod}`);
  }
  if (!Array.isArray(crops) || crops.length !== m) {
    throw new Error(`BatchToSpaceND: crops must have ${m} [start, end] pairs`);
  }
  for (let i = 0; i < m; i++) {
    const [c0, c1] = crops[i];
    if (!(c0 >= 0 && c1 >= 0) || c0 + c1 > x.shape[i + 1] * blockShape[i]) {
      throw new Error(`BatchToSpaceND: crops[${i}] = [${crops[i]}] must be >= 0 and at most ` +
          `${x.shape[i + 1] * blockShape[i]} in total`);
    }
  }
  const reshaped = backend_util.getReshaped(x.shape, blockShape, prod);
  const perm = backend_util.getPermuted(reshaped.length, m);
  const uncropped = backend_util.getReshapedPermuted(x.shape, blockShape, prod);
  const begin = backend_util.getSliceBeginCoords(crops, m);
  const size = backend_util.getSliceSize(uncropped, crops, m);
  // Slice needs every axis: the trailing ones are kept whole.
  for (let i = begin.length; i < uncropped.length; i++) {
    begin.push(0);
    size.push(uncropped[i]);
  }
  const noCrop = crops.every(([c0, c1]) => c0 === 0 && c1 === 0);
  return chain(backend, x, [
    (t) => shareAs(backend, t, reshaped),
    (t) => transpose(backend, t, perm),
    (t) => shareAs(backend, t, uncropped),
    (t) => (noCrop ? shareAs(backend, t, t.shape) : slice(backend, t, begin, size)),
  ]);
}

export const KERNELS = [
  { kernelName: tfc.DepthToSpace, kernelFunc: depthToSpace },
  { kernelName: tfc.SpaceToBatchND, kernelFunc: spaceToBatchND },
  { kernelName: tfc.BatchToSpaceND, kernelFunc: batchToSpaceND },
];
