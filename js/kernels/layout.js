/**
 * Data-movement kernels: Transpose, Slice, StridedSlice, Concat, Pack, Unpack,
 * SplitV, Tile, PadV2, MirrorPad, Reverse, GatherV2, GatherNd, OneHot, Fill,
 * Range, ZerosLike, OnesLike, UnsortedSegmentSum. Shape math comes from
 * tfjs-core's backend_util / slice_util; the copies are C (src/kernels/layout).
 */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE } from '../codes.js';
import { shareAs } from './nocopy.js';
import { concatStrings, sliceStrings, tileStrings, transposeStrings } from './strings.js';

const { backend_util, slice_util, util } = tfc;

/** Bytes per element as the layout kernels see them. */
export function elemSize(dtype) {
  if (dtype === 'string' || dtype === 'complex64') {
    throw new Error(`cwasm: ${dtype} tensors are not supported by this kernel`);
  }
  return dtype === 'bool' ? 1 : 4;
}

/** Transposes x by perm into a new tensor. */
export function transpose(backend, x, perm) {
  if (x.dtype === 'string') return transposeStrings(backend, x, perm);
  const shape = perm.map((p) => x.shape[p]);
  const out = backend.makeOutput(shape, x.dtype, 'Transpose');
  const status = backend.wasm._cwasm_transpose(elemSize(x.dtype), backend.ptr(x),
      backend.i32(x.shape), x.shape.length, backend.i32(perm), backend.ptr(out));
  backend.check(status, 'Transpose', [out]);
  return out;
}

/** Copies the box [begin, begin + size) of x into a new tensor. */
export function slice(backend, x, begin, size) {
  if (x.dtype === 'string') return sliceStrings(backend, x, begin, size);
  const out = backend.makeOutput(size, x.dtype, 'Slice');
  const status = backend.wasm._cwasm_slice(elemSize(x.dtype), backend.ptr(x),
      backend.i32(x.shape), x.shape.length, backend.i32(begin), backend.i32(size),
      backend.ptr(out));
  backend.check(status, 'Slice', [out]);
  return out;
}

/** Concatenates tensors of equal dtype along axis into a new tensor. */
export function concat(backend, tensors, axis) {
  const outShape = backend_util.computeOutShape(tensors.map((t) => t.shape), axis);
  const dtype = tensors[0].dtype;
  if (dtype === 'string') return concatStrings(backend, tensors, axis, outShape);
  for (const t of tensors) {
    if (t.dtype !== dtype) throw new Error(`Concat: dtypes differ (${dtype} and ${t.dtype})`);
  }
  const out = backend.makeOutput(outShape, dtype, 'Concat');
  const nonEmpty = tensors.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (nonEmpty.length === 0) return out;
  const outer = util.sizeFromShape(outShape.slice(0, axis));
  const inner = nonEmpty.map((t) => util.sizeFromShape(t.shape.slice(axis)));
  const ptrs = backend.i32(nonEmpty.map((t) => backend.ptr(t)));
  const status = backend.wasm._cwasm_concat(elemSize(dtype), ptrs, backend.i32(inner),
      nonEmpty.length, outer, backend.ptr(out));
  backend.check(status, 'Concat', [out]);
  return out;
}

/** One element of dtype as int32 words, for C parameters of type `const void *`. */
function scalarBits(dtype, value) {
  if (dtype === 'float32') return new Int32Array(new Float32Array([value]).buffer);
  return [dtype === 'bool' ? (value ? 1 : 0) : value];
}

/** A tensor of `shape` filled with `value` (float32, int32 or bool). */
export function fill(backend, shape, dtype, value, kernelName = 'Fill') {
  const out = backend.makeOutput(shape, dtype, kernelName);
  const status = backend.wasm._cwasm_fill(elemSize(dtype), backend.i32(scalarBits(dtype, value)),
      util.sizeFromShape(shape), backend.ptr(out));
  backend.check(status, kernelName, [out]);
  return out;
}

function transposeKernel({ inputs, attrs, backend }) {
  const { x } = inputs;
  return transpose(backend, x, attrs.perm);
}

function sliceKernel({ inputs, attrs, backend }) {
  const { x } = inputs;
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  slice_util.assertParamsValid(x, begin, size);
  return slice(backend, x, begin, size);
}

function stridedSlice({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask } = attrs;
  const info = slice_util.sliceInfo(x.shape, begin, end, strides, beginMask, endMask,
      ellipsisMask, newAxisMask, shrinkAxisMask);
  if (info.isIdentity) return shareAs(backend, x, info.finalShape);
  // One size per dimension of x (a shrunk one is 1): finalShape drops the
  // shrunk dimensions and adds new axes, so it cannot describe the walk.
  const size = slice_util.computeOutShape(info.begin, info.end, info.strides);
  if (info.sliceDim0 || info.isSimpleSlice) {
    const out = slice(backend, x, info.begin, size);
    return { ...out, shape: info.finalShape };
  }
  const out = backend.makeOutput(info.finalShape, x.dtype, 'StridedSlice');
  if (util.sizeFromShape(info.finalShape) === 0) return out;
  const status = backend.wasm._cwasm_strided_slice(elemSize(x.dtype), backend.ptr(x),
      backend.i32(x.shape), x.shape.length, backend.i32(info.begin), backend.i32(info.strides),
      backend.ptr(out), backend.i32(size));
  backend.check(status, 'StridedSlice', [out]);
  return out;
}

function concatKernel({ inputs, attrs, backend }) {
  const axis = util.parseAxisParam(attrs.axis, inputs[0].shape)[0];
  const shapes = inputs.map((t) => t.shape);
  backend_util.assertParamsConsistent(shapes, axis);
  if (inputs.length === 1) return shareAs(backend, inputs[0], inputs[0].shape);
  return concat(backend, inputs, axis);
}

function pack({ inputs, attrs, backend }) {
  const { axis } = attrs;
  const first = inputs[0];
  if (inputs.length === 1) {
    return shareAs(backend, first, [...first.shape.slice(0, axis), 1, ...first.shape.slice(axis)]);
  }
  for (const t of inputs) {
    util.assertShapesMatch(first.shape, t.shape, 'Pack: all tensors passed to stack must have matching shapes');
    util.assert(first.dtype === t.dtype, () => 'Pack: all tensors passed to stack must have matching dtypes');
  }
  // Views with the new axis inserted: no copy, the concat reads the data.
  const expanded = inputs.map((t) => ({ ...t, shape: [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis)] }));
  return concat(backend, expanded, axis);
}

function unpack({ inputs, attrs, backend }) {
  const { value } = inputs;
  const axis = util.parseAxisParam(attrs.axis, value.shape)[0];
  const num = value.shape[axis];
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array(value.shape.length).fill(0);
  const size = value.shape.slice();
  size[axis] = 1;
  const outs = [];
  for (let i = 0; i < num; i++) {
    begin[axis] = i;
    outs.push({ ...slice(backend, value, begin, size), shape: outShape });
  }
  return outs;
}

function splitV({ inputs, attrs, backend }) {
  const { x } = inputs;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const begin = new Array(x.shape.length).fill(0);
  const size = x.shape.slice();
  return sizes.map((s) => {
    size[axis] = s;
    const out = slice(backend, x, begin, size);
    begin[axis] += s;
    return out;
  });
}

function tile({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { reps } = attrs;
  if (x.dtype === 'string') return tileStrings(backend, x, reps);
  const shape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(shape, x.dtype, 'Tile');
  const status = backend.wasm._cwasm_tile(elemSize(x.dtype), backend.ptr(x), backend.i32(x.shape),
      x.shape.length, backend.i32(reps), backend.ptr(out));
  backend.check(status, 'Tile', [out]);
  return out;
}

function padV2({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { paddings, constantValue } = attrs;
  const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const out = backend.makeOutput(shape, x.dtype, 'PadV2');
  const status = backend.wasm._cwasm_pad(elemSize(x.dtype), backend.ptr(x), backend.i32(x.shape),
      x.shape.length, backend.i32(paddings.map((p) => p[0])), backend.i32(paddings.map((p) => p[1])),
      backend.i32(scalarBits(x.dtype, constantValue)), backend.ptr(out));
  backend.check(status, 'PadV2', [out]);
  return out;
}

function mirrorPad({ inputs, attrs, backend }) {
  const { x } = inputs;
  const { paddings, mode } = attrs;
  const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const out = backend.makeOutput(shape, x.dtype, 'MirrorPad');
  const status = backend.wasm._cwasm_mirror_pad(elemSize(x.dtype), backend.ptr(x),
      backend.i32(x.shape), x.shape.length, backend.i32(paddings.map((p) => p[0])),
      backend.i32(paddings.map((p) => p[1])), mode === 'symmetric' ? 1 : 0, backend.ptr(out));
  backend.check(status, 'MirrorPad', [out]);
  return out;
}

function reverse({ inputs, attrs, backend }) {
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.dims, x.shape);
  if (x.shape.length === 0) return shareAs(backend, x, x.shape);
  const mask = x.shape.map((_, i) => (axes.includes(i) ? 1 : 0));
  const out = backend.makeOutput(x.shape, x.dtype, 'Reverse');
  const status = backend.wasm._cwasm_reverse(elemSize(x.dtype), backend.ptr(x), backend.i32(x.shape),
      x.shape.length, backend.i32(mask), backend.ptr(out));
  backend.check(status, 'Reverse', [out]);
  return out;
}

function gatherV2({ inputs, attrs, backend }) {
  const { x, indices } = inputs;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const batchDims = attrs.batchDims == null ? 0 : attrs.batchDims;
  const info = backend_util.segment_util.collectGatherOpShapeInfo(x, indices, axis, batchDims);
  const out = backend.makeOutput(info.outputShape, x.dtype, 'GatherV2');
  const nIndices = util.sizeFromShape(indices.shape) / Math.max(info.batchSize, 1);
  const status = backend.wasm._cwasm_gather(elemSize(x.dtype), backend.ptr(x), backend.ptr(indices),
      backend.i32([info.outerSize, info.dimSize, info.sliceSize, nIndices, info.batchSize]),
      backend.ptr(out));
  backend.check(status, 'GatherV2', [out]);
  return out;
}

function gatherNd({ inputs, backend }) {
  const { params, indices } = inputs;
  const [resultShape, numSlices, sliceSize] = backend_util.prepareAndValidate(params, indices);
  const out = backend.makeOutput(resultShape, params.dtype, 'GatherNd');
  if (numSlices === 0) return out;
  const status = backend.wasm._cwasm_gather_nd(elemSize(params.dtype), backend.ptr(params),
      backend.i32(params.shape), backend.ptr(indices), backend.i32([params.shape.length, numSlices,
        indices.shape[indices.shape.length - 1], sliceSize]), backend.ptr(out));
  backend.check(status, 'GatherNd', [out]);
  return out;
}

function oneHot({ inputs, attrs, backend }) {
  const { indices } = inputs;
  const { depth, onValue, offValue, dtype } = attrs;
  const out = backend.makeOutput([...indices.shape, depth], dtype, 'OneHot');
  const status = backend.wasm._cwasm_one_hot(backend.ptr(indices), util.sizeFromShape(indices.shape),
      depth, onValue, offValue, dtype === 'int32' ? 1 : 0, backend.ptr(out));
  backend.check(status, 'OneHot', [out]);
  return out;
}

function fillKernel({ attrs, backend }) {
  const { shape, value } = attrs;
  const dtype = attrs.dtype || util.inferDtype(value);
  if (dtype === 'string') {
    const values = util.getArrayFromDType(dtype, util.sizeFromShape(shape));
    values.fill(value);
    return backend.makeTensorInfo(shape, dtype, values);
  }
  return fill(backend, shape, dtype, value);
}

function range({ attrs, backend }) {
  const { start, stop, dtype } = attrs;
  let { step } = attrs;
  // The same element count rules as tfjs-backend-cpu's rangeImpl.
  const empty = start === stop || (start < stop && step < 0) || (stop < start && step > 1);
  const n = empty ? 0 : Math.abs(Math.ceil((stop - start) / step));
  if (!empty && stop < start && step === 1) step = -1;
  const out = backend.makeOutput([n], dtype, 'Range');
  const status = dtype === 'int32' ?
      backend.wasm._cwasm_range_i32(start, step, n, backend.ptr(out)) :
      backend.wasm._cwasm_range_f32(start, step, n, backend.ptr(out));
  backend.check(status, 'Range', [out]);
  return out;
}

function likeKernel(kernelName, value) {
  return ({ inputs, backend }) => {
    const { x } = inputs;
    if (x.dtype === 'string') throw new Error(`${kernelName}: string tensors are not supported`);
    return fill(backend, x.shape, x.dtype, value, kernelName);
  };
}

function unsortedSegmentSum({ inputs, attrs, backend }) {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const idsRank = segmentIds.shape.length;
  const nRows = util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(idsRank);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype, 'UnsortedSegmentSum');
  const status = backend.wasm._cwasm_unsorted_segment_sum(DTYPE_CODE[x.dtype], backend.ptr(x), nRows,
      util.sizeFromShape(rowShape), backend.ptr(segmentIds), numSegments, backend.ptr(out));
  backend.check(status, 'UnsortedSegmentSum', [out]);
  return out;
}

export const KERNELS = [
  { kernelName: tfc.Transpose, kernelFunc: transposeKernel },
  { kernelName: tfc.Slice, kernelFunc: sliceKernel },
  { kernelName: tfc.StridedSlice, kernelFunc: stridedSlice },
  { kernelName: tfc.Concat, kernelFunc: concatKernel },
  { kernelName: tfc.Pack, kernelFunc: pack },
  { kernelName: tfc.Unpack, kernelFunc: unpack },
  { kernelName: tfc.SplitV, kernelFunc: splitV },
  { kernelName: tfc.Tile, kernelFunc: tile },
  { kernelName: tfc.PadV2, kernelFunc: padV2 },
  { kernelName: tfc.MirrorPad, kernelFunc: mirrorPad },
  { kernelName: tfc.Reverse, kernelFunc: reverse },
  { kernelName: tfc.GatherV2, kernelFunc: gatherV2 },
  { kernelName: tfc.GatherNd, kernelFunc: gatherNd },
  { kernelName: tfc.OneHot, kernelFunc: oneHot },
  { kernelName: tfc.Fill, kernelFunc: fillKernel },
  { kernelName: tfc.Range, kernelFunc: range },
  { kernelName: tfc.ZerosLike, kernelFunc: likeKernel('ZerosLike', 0) },
  { kernelName: tfc.OnesLike, kernelFunc: likeKernel('OnesLike', 1) },
  { kernelName: tfc.UnsortedSegmentSum, kernelFunc: unsortedSegmentSum },
];
