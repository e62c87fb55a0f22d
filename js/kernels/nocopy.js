/** Kernels that only relabel a tensor's data: Reshape, Identity, ExpandDims. */
import { ExpandDims, Identity, Reshape, util } from '@tensorflow/tfjs-core';

/** Shares x's data under a new shape (no copy). */
export function shareAs(backend, x, shape) {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

function reshape({ inputs, attrs, backend }) {
  const { x } = inputs;
  const size = util.sizeFromShape(x.shape);
  const shape = util.inferFromImplicitShape(attrs.shape, size);
  util.assert(size === util.sizeFromShape(shape),
      () => `Reshape: new shape [${shape}] has ${util.sizeFromShape(shape)} elements, ` +
          `input [${x.shape}] has ${size}`);
  return shareAs(backend, x, shape);
}

function identity({ inputs, backend }) {
  return shareAs(backend, inputs.x, inputs.x.shape);
}


function expandDims({ inputs, attrs, backend }) {
  const { input } = inputs;
  const rank = input.shape.length;
  let dim = attrs.dim;
  if (dim < 0) {
    util.assert(-(rank + 1) <= dim, () => `ExpandDims: axis ${dim} is not in [-${rank + 1}, ${rank}]`);
    dim = rank + dim + 1;
  }
  const shape = input.shape.slice();
  shape.splice(dim, 0, 1);
  return shareAs(backend, input, shape);
}

export const KERNELS = [
  { kernelName: ExpandDims, kernelFunc: expandDims },
  { kernelName: Reshape, kernelFunc: reshape },
  { kernelName: Identity, kernelFunc: identity },
];
