/**
 * Scatter family: ScatterNd, TensorScatterUpdate, SparseToDense
 * (src/kernels/scatter). Slice rank, update count and strides come from
 * tfjs-core's backend_util.calculateShapes, as in tfjs-backend-cpu; the fill
 * and the serial walk over the updates are one C call. String tensors
 * (SparseToDense, TensorScatterUpdate) reuse tfjs-backend-cpu's shared
 * scatterImpl on copied data: no numeric hot path there.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { scatterImpl } from '@tensorflow/tfjs-backend-cpu/dist/shared.js';

import { DTYPE_CODE } from '../codes.js';

const { backend_util, buffer, util } = tfc;

const NUMERIC = ['float32', 'int32', 'bool'];

function checkIndices(kernelName, indices) {
  if (indices.dtype !== 'int32') {
    throw new Error(`${kernelName}: indices must be int32, got ${indices.dtype}`);
  }
}

function checkValues(kernelName, values) {
  if (!NUMERIC.includes(values.dtype)) {
    throw new Error(`${kernelName}: ${values.dtype} updates are not supported`);
  }
}

/** A TensorBuffer of a tensor's values, strings decoded (a copy). */
function bufferOf(backend, t) {
  const values = backend.readSync(t.dataId);
  return buffer(t.shape, t.dtype,
      t.dtype === 'string' ? backend_util.fromUint8ToStringArray(values) : values);
}

/** String path: tfjs-backend-cpu's scatterImpl on copies; returns a TensorInfo. */
function scatterStrings(kernelName, backend, indices, updates, shape, defaultValue) {
  const { sliceRank, numUpdates, sliceSize, strides, outputSize } =
      backend_util.calculateShapes(updates, indices, shape);
  let out;
  try {
    out = scatterImpl(bufferOf(backend, indices), bufferOf(backend, updates), shape,
        outputSize, sliceSize, numUpdates, sliceRank, strides, defaultValue, false);
  } catch (e) {
    throw new Error(`${kernelName}: ${e.message}`, { cause: e });
  }
  return backend.makeTensorInfo(shape, 'string', out.values);
}

/** The dims array of the scatter exports (wasm/exports_scatter.c). */
function scatterDims(backend, numUpdates, sliceRank, updates, shape) {
  return backend.i32([numUpdates, sliceRank, util.sizeFromShape(updates.shape),
    updates.shape.length === 0 ? 1 : 0, shape.length]);
}

function scatterNd({ inputs, attrs, backend }) {
  const { indices, updates } = inputs;
  const { shape } = attrs;
  checkIndices('ScatterNd', indices);
  checkValues('ScatterNd', updates);
  const { sliceRank, numUpdates } = backend_util.calculateShapes(updates, indices, shape);
  const out = backend.makeOutput(shape, updates.dtype, 'ScatterNd');
  const status = backend.wasm._cwasm_scatter_nd(DTYPE_CODE[updates.dtype], backend.ptr(indices),
      backend.ptr(updates), backend.i32(shape),
      scatterDims(backend, numUpdates, sliceRank, updates, shape), backend.ptr(out));
  backend.check(status, 'ScatterNd', [out]);
  return out;
}

function tensorScatterUpdate({ inputs, backend }) {
  const { tensor, indices, updates } = inputs;
  if (tensor.dtype !== updates.dtype) {
    throw new Error(`TensorScatterUpdate: tensor dtype ${tensor.dtype} and updates dtype ` +
        `${updates.dtype} differ`);
  }
  checkIndices('TensorScatterUpdate', indices);
  if (tensor.dtype === 'string') {
    return scatterStrings('TensorScatterUpdate', backend, indices, updates, tensor.shape,
        bufferOf(backend, tensor));
  }
  checkValues('TensorScatterUpdate', updates);
  const { sliceRank, numUpdates } = backend_util.calculateShapes(updates, indices, tensor.shape);
  const out = backend.makeOutput(tensor.shape, tensor.dtype, 'TensorScatterUpdate');
  const status = backend.wasm._cwasm_tensor_scatter_update(DTYPE_CODE[tensor.dtype],
      backend.ptr(tensor), backend.ptr(indices), backend.ptr(updates), backend.i32(tensor.shape),
      scatterDims(backend, numUpdates, sliceRank, updates, tensor.shape), backend.ptr(out));
  backend.check(status, 'TensorScatterUpdate', [out]);
  return out;
}

/** The bits of one element of dtype holding value, as an int32 (bool: 0/1). */
function elementBits(dtype, value) {
  if (dtype === 'float32') return new Int32Array(Float32Array.of(value).buffer)[0];
  if (dtype === 'bool') return value ? 1 : 0;
  return Int32Array.of(value)[0];
}

function sparseToDense({ inputs, attrs, backend }) {
  const { sparseIndices, sparseValues, defaultValue } = inputs;
  const { outputShape } = attrs;
  checkIndices('SparseToDense', sparseIndices);
  if (sparseValues.dtype === 'string') {
    const dflt = backend.readSync(defaultValue.dataId)[0];
    return scatterStrings('SparseToDense', backend, sparseIndices, sparseValues, outputShape,
        typeof dflt === 'string' ? dflt : util.decodeString(dflt));
  }
  checkValues('SparseToDense', sparseValues);
  if (defaultValue.dtype === 'string') {
    throw new Error(`SparseToDense: a string defaultValue for ${sparseValues.dtype} values`);
  }
  const { sliceRank, numUpdates } =
      backend_util.calculateShapes(sparseValues, sparseIndices, outputShape);
  // One element, converted to the values' dtype as cpu's typed-array fill does.
  const dflt = backend.readSync(defaultValue.dataId)[0];
  const dtype = sparseValues.dtype;
  const out = backend.makeOutput(outputShape, dtype, 'SparseToDense');
  const status = backend.wasm._cwasm_sparse_to_dense(DTYPE_CODE[dtype], backend.ptr(sparseIndices),
      backend.ptr(sparseValues), backend.i32([elementBits(dtype, dflt)]), backend.i32(outputShape),
      scatterDims(backend, numUpdates, sliceRank, sparseValues, outputShape), backend.ptr(out));
  backend.check(status, 'SparseToDense', [out]);
  return out;
}

export const KERNELS = [
  { kernelName: tfc.ScatterNd, kernelFunc: scatterNd },
  { kernelName: tfc.SparseToDense, kernelFunc: sparseToDense },
  { kernelName: tfc.TensorScatterUpdate, kernelFunc: tensorScatterUpdate },
];
