/* Scatter exports: ScatterNd, TensorScatterUpdate, SparseToDense. Thin
 * wrappers over src/kernels/scatter; dtype is a cw_dtype code, shapes and
 * indices are int32 arrays in wasm memory. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_scatter_nd(int dtype, const int32_t *indices, int num_updates,
                                          int slice_rank, const void *updates, int updates_size,
                                          const int32_t *shape, int rank, void *out) {
    return cw_scatter_nd((cw_dtype)dtype, indices, num_updates, slice_rank, updates, updates_size,
                         shape, rank, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_tensor_scatter_update(int dtype, const void *tensor,
                                                     const int32_t *indices, int num_updates,
                                                     int slice_rank, const void *updates,
                                                     int updates_size, int updates_scalar,
                                                     const int32_t *shape, int rank, void *out) {
    return cw_tensor_scatter_update((cw_dtype)dtype, tensor, indices, num_updates, slice_rank,
                                    updates, updates_size, updates_scalar, shape, rank, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_sparse_to_dense(int dtype, const int32_t *indices, int num_updates,
                                               int slice_rank, const void *values, int values_size,
                                               int values_scalar, const void *default_value,
                                               const int32_t *shape, int rank, void *out) {
    return cw_sparse_to_dense((cw_dtype)dtype, indices, num_updates, slice_rank, values,
                              values_size, values_scalar, default_value, shape, rank, out);
}
