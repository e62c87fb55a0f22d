/* Layout kernels: data movement (transpose, slice, concat, tile, pad, reverse,
 * gather, one-hot, range, fill, segment sum).
 *
 * All tensors are row-major and caller-owned; kernels only read x and write
 * out (x and out must not overlap). Data-movement kernels are dtype-agnostic:
 * elem_size is 1 (bool) or 4 (float32, int32) and elements are copied as
 * bytes. Shapes are `const int32_t *shape, int rank` with 0 <= rank <=
 * CW_MAX_RANK; a zero extent means an empty tensor and nothing is written.
 * Copies are split over cw_parallel_for by output rows; since nothing is
 * computed, results are identical for any thread count. Every entry point
 * returns CW_OK or CW_ERR_INVALID / CW_ERR_NOMEM with cw_error_message() set. */
#ifndef CW_KERNELS_LAYOUT_LAYOUT_H
#define CW_KERNELS_LAYOUT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* out[i_0..i_{r-1}] = x[j] with j[perm[k]] = i_k; out shape[k] = shape[perm[k]].
 * perm is a permutation of [0, rank). */
cw_status cw_transpose(int elem_size, const void *x, const int32_t *shape, int rank,
                       const int32_t *perm, void *out);

/* out = x[begin[d] : begin[d] + size[d]] on every axis; out shape = size. */
cw_status cw_slice(int elem_size, const void *x, const int32_t *shape, int rank,
                   const int32_t *begin, const int32_t *size, void *out);

/* out[i] = x[begin + i * strides] per axis, out of shape out_shape (rank
 * entries, input rank). begin/strides/out_shape are final (normalised by
 * tfjs-core's slice_util); strides may be negative but not zero. Every index
 * read must lie inside x. */
cw_status cw_strided_slice(int elem_size, const void *x, const int32_t *shape, int rank,
                           const int32_t *begin, const int32_t *strides, void *out,
                           const int32_t *out_shape);

/* Concatenation viewed as [outer, sum(inner_sizes)]: row o of out is row o of
 * inputs[0] (inner_sizes[0] elements), then row o of inputs[1], ... */
cw_status cw_concat(int elem_size, const void *const *inputs, const int32_t *inner_sizes, int count,
                    int outer, void *out);

/* out[i] = x[i mod shape] per axis; out shape[d] = shape[d] * reps[d]. */
cw_status cw_tile(int elem_size, const void *x, const int32_t *shape, int rank, const int32_t *reps,
                  void *out);

/* Constant padding: out shape[d] = pad_before[d] + shape[d] + pad_after[d]
 * (pads >= 0); x lands at offset pad_before, every other element is *value
 * (one element of elem_size bytes). */
cw_status cw_pad(int elem_size, const void *x, const int32_t *shape, int rank,
                 const int32_t *pad_before, const int32_t *pad_after, const void *value, void *out);

/* MirrorPad: like cw_pad but the border mirrors x. symmetric = 0: REFLECT
 * (edge not repeated, pads <= shape[d] - 1); symmetric = 1: SYMMETRIC (edge
 * repeated, pads <= shape[d]). */
cw_status cw_mirror_pad(int elem_size, const void *x, const int32_t *shape, int rank,
                        const int32_t *pad_before, const int32_t *pad_after, int symmetric,
                        void *out);

/* out = x with the axes d where axes_mask[d] != 0 reversed. */
cw_status cw_reverse(int elem_size, const void *x, const int32_t *shape, int rank,
                     const int32_t *axes_mask, void *out);

/* GatherV2 with batch dims: x is [batch, outer, axis_dim, inner], indices is
 * [batch, n_indices], out[b, o, j, k] = x[b, o, indices[b, j], k] of shape
 * [batch, outer, n_indices, inner]. An index outside [0, axis_dim) is an error
 * (nothing is written). */
cw_status cw_gather(int elem_size, const void *x, int outer, int axis_dim, int inner,
                    const int32_t *indices, int n_indices, int batch, void *out);

/* GatherNd: indices is [n_slices, index_depth]; slice s of out (slice_size
 * elements) is x[indices[s, 0], ..., indices[s, index_depth - 1], ...], with
 * slice_size = prod(x_shape[index_depth..x_rank)). Out-of-range -> error. */
cw_status cw_gather_nd(int elem_size, const void *x, const int32_t *x_shape, int x_rank,
                       const int32_t *indices, int n_slices, int index_depth, int slice_size,
                       void *out);

/* OneHot: out[i, c] = (c == indices[i]) ? on : off, shape [n, depth]; indices
 * outside [0, depth) give an all-`off` row. out is float32, or int32 (on/off
 * converted) when out_i32 != 0. */
cw_status cw_one_hot(const int32_t *indices, int n, int depth, float on, float off, int out_i32,
                     void *out);

/* Range: out[0] = start, out[i] = out[i - 1] + step (accumulated in the output
 * type, as tfjs-backend-cpu does); n >= 0 elements. int32 wraps on overflow. */
cw_status cw_range_f32(float start, float step, int n, float *out);
cw_status cw_range_i32(int32_t start, int32_t step, int n, int32_t *out);

/* out[0..n) = *value (one element of elem_size bytes). */
cw_status cw_fill(int elem_size, const void *value, size_t n, void *out);

/* UnsortedSegmentSum: x is [n_rows, row_size] (dtype CW_F32 or CW_I32), out is
 * [num_segments, row_size], zeroed then out[segment_ids[r], :] += x[r, :] for
 * r = 0, 1, ... in order; ids outside [0, num_segments) are skipped. Parallel
 * over columns only, so each sum runs in row order for any thread count;
 * int32 wraps on overflow. */
cw_status cw_unsorted_segment_sum(cw_dtype dtype, const void *x, int n_rows, int row_size,
                                  const int32_t *segment_ids, int num_segments, void *out);

#endif
