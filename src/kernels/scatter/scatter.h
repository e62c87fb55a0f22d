/* Scatter family: ScatterNd, TensorScatterUpdate, SparseToDense.
 *
 * All three write num_updates slices into an output of shape[0..rank), as
 * tfjs-backend-cpu's scatterImpl does. Index row i is
 * indices[i * slice_rank .. (i + 1) * slice_rank); it addresses a slice of
 * slice_size = prod(shape[slice_rank..rank)) elements at slot
 * sum_j indices[i, j] * prod(shape[j + 1..slice_rank)), which must lie in
 * [0, prod(shape[0..slice_rank))). Only the flat slot is checked, like cpu:
 * a row such as [0, 5] into [3, 4] addresses slot 5. Updates are applied
 * serially in row order. updates_size is the number of elements the updates
 * buffer holds; it must cover num_updates * slice_size (or 1 when
 * updates_scalar). Every index and size is checked before anything is
 * written; an empty output is valid whatever the indices. dtype is CW_F32,
 * CW_I32 or CW_BOOL (one byte); the caller owns every buffer. */
#ifndef CW_KERNELS_SCATTER_SCATTER_H
#define CW_KERNELS_SCATTER_SCATTER_H

#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* ScatterNd: out = 0, then out[slice of row i] += updates[i] for every i in
 * order; duplicate rows are summed (float32 in row order, int32 and bool
 * wrap around like the typed arrays of cpu). */
cw_status cw_scatter_nd(cw_dtype dtype, const int32_t *indices, int num_updates, int slice_rank,
                        const void *updates, int updates_size, const int32_t *shape, int rank,
                        void *out);

/* TensorScatterUpdate: out = tensor (same shape; tensor may be out), then
 * out[slice of row i] = updates[i]; the last of duplicate rows wins. With
 * updates_scalar != 0 every written element is updates[0]. */
cw_status cw_tensor_scatter_update(cw_dtype dtype, const void *tensor, const int32_t *indices,
                                   int num_updates, int slice_rank, const void *updates,
                                   int updates_size, int updates_scalar, const int32_t *shape,
                                   int rank, void *out);

/* SparseToDense: out = *default_value (one element of dtype), then
 * out[slice of row i] = values[i] (values[0] when values_scalar); the last of
 * duplicate rows wins. */
cw_status cw_sparse_to_dense(cw_dtype dtype, const int32_t *indices, int num_updates,
                             int slice_rank, const void *values, int values_size, int values_scalar,
                             const void *default_value, const int32_t *shape, int rank, void *out);

#endif
