/* Scatter exports: ScatterNd, TensorScatterUpdate, SparseToDense. Thin
 * wrappers over src/kernels/scatter; dtype is a cw_dtype code, shapes and
 * indices are int32 arrays in wasm memory. */
#include <emscripten.h>

#include "cw.h"

/* dims: 5 ints, num_updates, slice_rank, updates_size, updates_scalar
 * (values_scalar for SparseToDense; ScatterNd ignores it), rank (of shape). */
EMSCRIPTEN_KEEPALIVE int cwasm_scatter_nd(int dtype, const int32_t *indices, const void *updates,
                                          const int32_t *shape, const int32_t *dims, void *out) {
    return cw_scatter_nd((cw_dtype)dtype, indices, dims[0], dims[1], updates, dims[2], shape,
                         dims[4], out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_tensor_scatter_update(int dtype, const void *tensor,
                                                     const int32_t *indices, const void *updates,
                                                     const int32_t *shape, const int32_t *dims,
                                                     void *out) {
    return cw_tensor_scatter_update((cw_dtype)dtype, tensor, indices, dims[0], dims[1], updates,
                                    dims[2], dims[3], shape, dims[4], out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_sparse_to_dense(int dtype, const int32_t *indices,
                                               const void *values, const void *default_value,
                                               const int32_t *shape, const int32_t *dims,
                                               void *out) {
    return cw_sparse_to_dense((cw_dtype)dtype, indices, dims[0], dims[1], values, dims[2], dims[3],
                              default_value, shape, dims[4], out);
}
