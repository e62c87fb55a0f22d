/* Layout exports: data movement. Thin wrappers over src/kernels/layout; shapes
 * and per-axis parameters are int32 arrays in wasm memory. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_transpose(int elem_size, const void *x, const int32_t *shape,
                                         int rank, const int32_t *perm, void *out) {
    return cw_transpose(elem_size, x, shape, rank, perm, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_slice(int elem_size, const void *x, const int32_t *shape, int rank,
                                     const int32_t *begin, const int32_t *size, void *out) {
    return cw_slice(elem_size, x, shape, rank, begin, size, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_strided_slice(int elem_size, const void *x, const int32_t *shape,
                                             int rank, const int32_t *begin, const int32_t *strides,
                                             void *out, const int32_t *out_shape) {
    return cw_strided_slice(elem_size, x, shape, rank, begin, strides, out, out_shape);
}

EMSCRIPTEN_KEEPALIVE int cwasm_concat(int elem_size, const void *const *inputs,
                                      const int32_t *inner_sizes, int count, int outer, void *out) {
    return cw_concat(elem_size, inputs, inner_sizes, count, outer, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_tile(int elem_size, const void *x, const int32_t *shape, int rank,
                                    const int32_t *reps, void *out) {
    return cw_tile(elem_size, x, shape, rank, reps, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_pad(int elem_size, const void *x, const int32_t *shape, int rank,
                                   const int32_t *pad_before, const int32_t *pad_after,
                                   const void *value, void *out) {
    return cw_pad(elem_size, x, shape, rank, pad_before, pad_after, value, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_mirror_pad(int elem_size, const void *x, const int32_t *shape,
                                          int rank, const int32_t *pad_before,
                                          const int32_t *pad_after, int symmetric, void *out) {
    return cw_mirror_pad(elem_size, x, shape, rank, pad_before, pad_after, symmetric, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_reverse(int elem_size, const void *x, const int32_t *shape, int rank,
                                       const int32_t *axes_mask, void *out) {
    return cw_reverse(elem_size, x, shape, rank, axes_mask, out);
}

/* dims: 5 ints, outer, axis_dim, inner, n_indices, batch. */
EMSCRIPTEN_KEEPALIVE int cwasm_gather(int elem_size, const void *x, const int32_t *indices,
                                      const int32_t *dims, void *out) {
    return cw_gather(elem_size, x, dims[0], dims[1], dims[2], indices, dims[3], dims[4], out);
}

/* dims: 4 ints, x_rank (of x_shape), n_slices, index_depth, slice_size. */
EMSCRIPTEN_KEEPALIVE int cwasm_gather_nd(int elem_size, const void *x, const int32_t *x_shape,
                                         const int32_t *indices, const int32_t *dims, void *out) {
    return cw_gather_nd(elem_size, x, x_shape, dims[0], indices, dims[1], dims[2], dims[3], out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_one_hot(const int32_t *indices, int n, int depth, float on,
                                       float off, int out_i32, void *out) {
    return cw_one_hot(indices, n, depth, on, off, out_i32, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_range_f32(float start, float step, int n, float *out) {
    return cw_range_f32(start, step, n, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_range_i32(int start, int step, int n, int32_t *out) {
    return cw_range_i32(start, step, n, out);
}

/* n is an element count; negative is an error. */
EMSCRIPTEN_KEEPALIVE int cwasm_fill(int elem_size, const void *value, int n, void *out) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "Fill: element count %d is negative", n);
    return cw_fill(elem_size, value, (size_t)n, out);
}

/* dtype: 0 = float32, 1 = int32 (cw_dtype). */
EMSCRIPTEN_KEEPALIVE int cwasm_unsorted_segment_sum(int dtype, const void *x, int n_rows,
                                                    int row_size, const int32_t *segment_ids,
                                                    int num_segments, void *out) {
    return cw_unsorted_segment_sum((cw_dtype)dtype, x, n_rows, row_size, segment_ids, num_segments,
                                   out);
}
