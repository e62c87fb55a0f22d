/**
 * Dilation2D (grayscale dilation) and its gradients Dilation2DBackpropInput,
 * Dilation2DBackpropFilter, on the C kernels of src/kernels/morph.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { asFloat } from './unary.js';

const { backend_util, util } = tfc;

/** Validates x and filter and returns the dilation info of tfjs-core. */
function dilationInfo(kernelName, x, filter, attrs) {
  const { strides, pad, dilations } = attrs;
  if (x.shape.length !== 4) throw new Error(`${kernelName}: x must be rank 4, got shape [${x.shape}]`);
  if (filter.shape.length !== 3) throw new Error(`${kernelName}: filter must be rank 3, got shape [${filter.shape}]`);
  if (filter.shape[2] !== x.shape[3]) {
    throw new Error(`${kernelName}: filter depth ${filter.shape[2]} does not match input depth ${x.shape[3]}`);
  }
  for (const t of [x, filter]) {
    if (t.dtype === 'string' || t.dtype === 'complex64') throw new Error(`${kernelName}: ${t.dtype} tensors are not supported`);
  }
  return backend_util.computeDilation2DInfo(x.shape, filter.shape, strides, pad, 'NHWC', dilations);
}

/**
 * Runs call(geomPtr, ptrs, outPtr) on float32 copies of tensors into a
 * float32 output of shape, cast to dtype at the end (tfjs-backend-cpu stores
 * its results in the input's dtype). Temporaries are disposed on every path.
 */
function onFloat32(backend, kernelName, info, tensors, shape, dtype, call) {
  return asFloat(backend, tensors, dtype, (...floats) => {
    const out = backend.makeOutput(shape, 'float32', kernelName);
    const geom = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight,
      info.filterWidth, info.outHeight, info.outWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left];
    backend.check(call(backend.i32(geom), floats.map((t) => backend.ptr(t)), backend.ptr(out)),
        kernelName, [out]);
    return out;
  });
}

function dilation2D({ inputs, attrs, backend }) {
  const { x, filter } = inputs;
  const info = dilationInfo('Dilation2D', x, filter, attrs);
  return onFloat32(backend, 'Dilation2D', info, [x, filter], info.outShape, x.dtype,
      (geom, [px, pf], out) => backend.wasm._cwasm_dilation2d(geom, px, pf, out));
}

function backprop(kernelName, forFilter) {
  return ({ inputs, attrs, backend }) => {
    const { x, filter, dy } = inputs;
    const info = dilationInfo(kernelName, x, filter, attrs);
    if (!util.arraysEqual(dy.shape, info.outShape)) {
      throw new Error(`${kernelName}: dy shape [${dy.shape}] does not match the output shape ` +
          `[${info.outShape}]`);
    }
    const [shape, dtype] = forFilter ? [filter.shape, filter.dtype] : [x.shape, x.dtype];
    return onFloat32(backend, kernelName, info, [x, filter, dy], shape, dtype,
        (geom, [px, pf, pdy], out) => backend.wasm._cwasm_dilation2d_backprop(forFilter ? 1 : 0,
            geom, px, pf, pdy, out));
  };
}

export const KERNELS = [
  { kernelName: tfc.Dilation2D, kernelFunc: dilation2D },
  { kernelName: tfc.Dilation2DBackpropInput, kernelFunc: backprop('Dilation2DBackpropInput', false) },
  { kernelName: tfc.Dilation2DBackpropFilter, kernelFunc: backprop('Dilation2DBackpropFilter', true) },
];
