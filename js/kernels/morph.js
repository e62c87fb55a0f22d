/** Dilation2D (grayscale dilation) on the C kernel of src/kernels/morph. */
import * as tfc from '@tensorflow/tfjs-core';

import { cast } from './unary.js';

const { backend_util } = tfc;

function dilation2D({ inputs, attrs, backend }) {
  const { x, filter } = inputs;
  const { strides, pad, dilations } = attrs;
  if (x.shape.length !== 4) throw new Error(`Dilation2D: x must be rank 4, got shape [${x.shape}]`);
  if (filter.shape.length !== 3) throw new Error(`Dilation2D: filter must be rank 3, got shape [${filter.shape}]`);
  if (filter.shape[2] !== x.shape[3]) {
    throw new Error(`Dilation2D: filter depth ${filter.shape[2]} does not match input depth ${x.shape[3]}`);
  }
  for (const t of [x, filter]) {
    if (t.dtype === 'string' || t.dtype === 'complex64') throw new Error(`Dilation2D: ${t.dtype} tensors are not supported`);
  }
  const info = backend_util.computeDilation2DInfo(x.shape, filter.shape, strides, pad, 'NHWC', dilations);
  const temps = [];
  const [fx, ff] = [x, filter].map((t) => {
    if (t.dtype === 'float32') return t;
    const c = cast(backend, t, 'float32');
    temps.push(c);
    return c;
  });
  let out = backend.makeOutput(info.outShape, 'float32', 'Dilation2D');
  try {
    const geom = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight,
      info.filterWidth, info.outHeight, info.outWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left];
    const status = backend.wasm._cwasm_dilation2d(backend.i32(geom), backend.ptr(fx), backend.ptr(ff), backend.ptr(out));
    backend.check(status, 'Dilation2D', [out]);
    if (x.dtype !== 'float32') {
      // Computed in float32 and stored as x's dtype, as tfjs-backend-cpu stores it.
      const converted = cast(backend, out, x.dtype);
      backend.disposeData(out.dataId);
      out = converted;
    }
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return out;
}

export const KERNELS = [{ kernelName: tfc.Dilation2D, kernelFunc: dilation2D }];
