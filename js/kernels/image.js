/**
 * Image kernels: ResizeBilinear, ResizeNearestNeighbor, CropAndResize,
 * FlipLeftRight, Transform (NHWC), and the resize gradients
 * ResizeBilinearGrad, ResizeNearestNeighborGrad. The sampling is C (src/kernels/image);
 * inputs the C side takes only as float32 (bilinear resize, crop) are cast
 * first, as tfjs-backend-cpu reads them as numbers and returns float32.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE, cw_image_fill as FILL, cw_image_interp as INTERP } from '../codes.js';
import { cast } from './unary.js';

const { util } = tfc;

const { CW_IMAGE_BILINEAR: BILINEAR, CW_IMAGE_NEAREST: NEAREST } = INTERP;
const FILL_MODE = {
  constant: FILL.CW_IMAGE_FILL_CONSTANT, reflect: FILL.CW_IMAGE_FILL_REFLECT,
  wrap: FILL.CW_IMAGE_FILL_WRAP, nearest: FILL.CW_IMAGE_FILL_NEAREST,
};

/** An int the C side can take; anything else (NaN, fractions, huge) becomes -1. */
function int(v) {
  return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v | 0 : -1;
}

function checkImage(kernelName, name, t) {
  if (t.shape.length !== 4) {
    throw new Error(`${kernelName}: ${name} must have rank 4 (NHWC), got shape [${t.shape}]`);
  }
  if (DTYPE_CODE[t.dtype] == null) {
    throw new Error(`${kernelName}: ${t.dtype} tensors are not supported`);
  }
}

/** [height, width] of an output as non-negative ints, or a thrown Error. */
function outSize(kernelName, name, size) {
  if (size == null || size.length !== 2 || !size.every((v) => int(v) >= 0)) {
    throw new Error(`${kernelName}: ${name} must be two non-negative integers, got [${size}]`);
  }
  return size;
}

/** Runs fn with t as dtype (a cast temporary if needed, disposed afterwards). */
function withDtype(backend, t, dtype, fn) {
  if (t.dtype === dtype) return fn(t);
  const c = cast(backend, t, dtype);
  try {
    return fn(c);
  } finally {
    backend.disposeData(c.dataId);
  }
}

/** Allocates the output, runs call(outPtr) and checks its status. */
function run(backend, kernelName, shape, dtype, call) {
  const out = backend.makeOutput(shape, dtype, kernelName);
  if (util.sizeFromShape(shape) === 0) return out;
  backend.check(call(backend.ptr(out)), kernelName, [out]);
  return out;
}

/** The dims array of the resize exports (wasm/exports_image.c). */
function resizeDims(backend, [b, h, w, c], outH, outW, alignCorners, halfPixelCenters) {
  return backend.i32([b, h, w, c, outH, outW, alignCorners ? 1 : 0, halfPixelCenters ? 1 : 0]);
}

function resize(kernelName, bilinear) {
  return ({ inputs, attrs, backend }) => {
    const { images } = inputs;
    const { alignCorners, halfPixelCenters } = attrs;
    checkImage(kernelName, 'images', images);
    const [newH, newW] = outSize(kernelName, 'size', attrs.size);
    const [b, , , c] = images.shape;
    const shape = [b, newH, newW, c];
    const dims = () => resizeDims(backend, images.shape, newH, newW, alignCorners, halfPixelCenters);
    if (bilinear) {
      return withDtype(backend, images, 'float32', (x) => run(backend, kernelName, shape, 'float32',
          (out) => backend.wasm._cwasm_resize_bilinear(dims(), backend.ptr(x), out)));
    }
    const elem = images.dtype === 'bool' ? 1 : 4;
    return run(backend, kernelName, shape, images.dtype, (out) => backend.wasm._cwasm_resize_nearest(
        elem, dims(), backend.ptr(images), out));
  };
}

/**
 * ResizeBilinearGrad / ResizeNearestNeighborGrad: dx (float32, the shape of
 * `images`) from dy. Without halfPixelCenters the numbers are
 * tfjs-backend-cpu's; with it they are the derivative of this backend's
 * forward resize (cpu ignores the flag in its gradients).
 */
function resizeGrad(kernelName, bilinear) {
  return ({ inputs, attrs, backend }) => {
    const { images, dy } = inputs;
    const { alignCorners, halfPixelCenters } = attrs;
    checkImage(kernelName, 'images', images);
    checkImage(kernelName, 'dy', dy);
    const [b, , , c] = images.shape;
    const [db, dh, dw, dc] = dy.shape;
    if (db !== b || dc !== c) {
      throw new Error(`${kernelName}: dy shape [${dy.shape}] does not match images shape ` +
          `[${images.shape}] in batch and channels`);
    }
    return withDtype(backend, dy, 'float32', (d) => run(backend, kernelName, images.shape,
        'float32', (out) => backend.wasm._cwasm_resize_grad(bilinear ? 1 : 0,
            resizeDims(backend, images.shape, dh, dw, alignCorners, halfPixelCenters),
            backend.ptr(d), out)));
  };
}

function cropAndResize({ inputs, attrs, backend }) {
  const kernelName = 'CropAndResize';
  const { image, boxes, boxInd } = inputs;
  const { method, extrapolationValue } = attrs;
  checkImage(kernelName, 'image', image);
  const numBoxes = boxes.shape[0];
  if (boxes.shape.length !== 2 || boxes.shape[1] !== 4) {
    throw new Error(`${kernelName}: boxes must have shape [numBoxes, 4], got [${boxes.shape}]`);
  }
  if (boxInd.shape.length !== 1 || boxInd.shape[0] !== numBoxes) {
    throw new Error(`${kernelName}: boxInd must have shape [${numBoxes}], got [${boxInd.shape}]`);
  }
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new Error(`${kernelName}: method must be 'bilinear' or 'nearest', got '${method}'`);
  }
  const [cropH, cropW] = outSize(kernelName, 'cropSize', attrs.cropSize);
  const [b, h, w, c] = image.shape;
  return withDtype(backend, image, 'float32', (img) =>
    withDtype(backend, boxes, 'float32', (bx) =>
      withDtype(backend, boxInd, 'int32', (bi) =>
        run(backend, kernelName, [numBoxes, cropH, cropW, c], 'float32', (out) =>
          backend.wasm._cwasm_crop_and_resize(backend.i32([b, h, w, c, numBoxes, cropH, cropW,
            method === 'nearest' ? NEAREST : BILINEAR]), backend.ptr(img), backend.ptr(bx),
          backend.ptr(bi), extrapolationValue ?? 0, out)))));
}

function flipLeftRight({ inputs, backend }) {
  const kernelName = 'FlipLeftRight';
  const { image } = inputs;
  checkImage(kernelName, 'image', image);
  const [b, h, w, c] = image.shape;
  return run(backend, kernelName, image.shape, image.dtype, (out) =>
    backend.wasm._cwasm_flip_left_right(image.dtype === 'bool' ? 1 : 4, backend.ptr(image),
        b, h, w, c, out));
}

function transform({ inputs, attrs, backend }) {
  const kernelName = 'Transform';
  const { image, transforms } = inputs;
  const { interpolation, fillMode, fillValue, outputShape } = attrs;
  checkImage(kernelName, 'image', image);
  if (image.dtype !== 'float32' && image.dtype !== 'int32') {
    throw new Error(`${kernelName}: image must be float32 or int32, got ${image.dtype}`);
  }
  const [b, h, w, c] = image.shape;
  if (transforms.shape.length !== 2 || transforms.shape[1] !== 8 ||
      (transforms.shape[0] !== 1 && transforms.shape[0] !== b)) {
    throw new Error(`${kernelName}: transforms must have shape [1, 8] or [${b}, 8], ` +
        `got [${transforms.shape}]`);
  }
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new Error(`${kernelName}: interpolation must be 'nearest' or 'bilinear', ` +
        `got '${interpolation}'`);
  }
  const [outH, outW] = outputShape == null ? [h, w] : outSize(kernelName, 'outputShape', outputShape);
  // Unknown fill modes fall back to 'constant', as in tfjs-backend-cpu.
  const mode = FILL_MODE[fillMode] ?? FILL_MODE.constant;
  return withDtype(backend, transforms, 'float32', (t) =>
    run(backend, kernelName, [b, outH, outW, c], image.dtype, (out) =>
      backend.wasm._cwasm_transform(DTYPE_CODE[image.dtype], backend.i32([b, h, w, c,
        transforms.shape[0], interpolation === 'nearest' ? NEAREST : BILINEAR, mode, outH, outW]),
      backend.ptr(image), backend.ptr(t), fillValue ?? 0, out)));
}

export const KERNELS = [
  { kernelName: tfc.ResizeBilinear, kernelFunc: resize('ResizeBilinear', true) },
  { kernelName: tfc.ResizeNearestNeighbor, kernelFunc: resize('ResizeNearestNeighbor', false) },
  { kernelName: tfc.ResizeBilinearGrad, kernelFunc: resizeGrad('ResizeBilinearGrad', true) },
  { kernelName: tfc.ResizeNearestNeighborGrad,
    kernelFunc: resizeGrad('ResizeNearestNeighborGrad', false) },
  { kernelName: tfc.CropAndResize, kernelFunc: cropAndResize },
  { kernelName: tfc.FlipLeftRight, kernelFunc: flipLeftRight },
  { kernelName: tfc.Transform, kernelFunc: transform },
];
