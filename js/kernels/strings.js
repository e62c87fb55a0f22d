/**
 * String-tensor paths of layout and comparison kernels. Strings stay in JS;
 * these reuse tfjs-backend-cpu's shared implementations on the stored bytes
 * (no numeric hot path here), as the README's kernel table says.
 */
import * as tfc from '@tensorflow/tfjs-core';
import {
  concatImpl, equalImpl, greaterEqualImpl, greaterImpl, lessEqualImpl, lessImpl, notEqualImpl,
  sliceImpl, tileImpl, transposeImpl,
} from '@tensorflow/tfjs-backend-cpu/dist/shared.js';

const { backend_util, util, buffer } = tfc;

const COMPARE = {
  Equal: equalImpl, NotEqual: notEqualImpl, Less: lessImpl, LessEqual: lessEqualImpl,
  Greater: greaterImpl, GreaterEqual: greaterEqualImpl,
};

const values = (backend, t) => backend.readSync(t.dataId);

/** Concat of string tensors along axis (outShape precomputed). */
export function concatStrings(backend, tensors, axis, outShape) {
  const inputs2D = tensors.map((t) => {
    const inner = util.sizeFromShape(t.shape.slice(axis));
    return { vals: values(backend, t), shape: [util.sizeFromShape(t.shape) / inner || 0, inner] };
  });
  const outShape2D = [util.sizeFromShape(outShape.slice(0, axis)),
    util.sizeFromShape(outShape.slice(axis))];
  const out = concatImpl(inputs2D, outShape2D, 'string', inputs2D[0].shape[0] === 1);
  return backend.makeTensorInfo(outShape, 'string', out);
}

export function sliceStrings(backend, x, begin, size) {
  const out = sliceImpl(values(backend, x), begin, size, x.shape, 'string');
  return backend.makeTensorInfo(size, 'string', out);
}

export function tileStrings(backend, x, reps) {
  const buf = buffer(x.shape, 'string', values(backend, x));
  const out = tileImpl(buf, reps);
  return backend.makeTensorInfo(out.shape, 'string', out.values);
}

export function transposeStrings(backend, x, perm) {
  const shape = perm.map((p) => x.shape[p]);
  const out = transposeImpl(values(backend, x), x.shape, 'string', perm, shape);
  return backend.makeTensorInfo(shape, 'string', out);
}

/** Equal, NotEqual, Less, ... on two string tensors (with broadcasting). */
export function compareStrings(backend, kernelName, a, b) {
  const impl = COMPARE[kernelName];
  if (impl == null || a.dtype !== b.dtype) {
    throw new Error(`${kernelName}: string tensors are not supported by this kernel`);
  }
  const [data, shape] = impl(a.shape, b.shape, backend_util.fromUint8ToStringArray(values(backend, a)),
      backend_util.fromUint8ToStringArray(values(backend, b)), 'bool');
  return backend.makeTensorInfo(shape, 'bool', data);
}
