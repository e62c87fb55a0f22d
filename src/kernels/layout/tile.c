#include "kernels/layout/layout.h"

#include "kernels/layout/layout_view.h"

/* Output axis d of extent reps[d] * shape[d] is the pair (rep, i) in row-major
 * order, so tile is a view of rank 2 * rank with stride 0 on the rep axes. */
cw_status cw_tile(int elem_size, const void *x, const int32_t *shape, int rank, const int32_t *reps,
                  void *out) {
    cw_status st = cw_layout_check("Tile", elem_size, shape, rank);
    if (st != CW_OK) return st;
    ptrdiff_t strides[CW_MAX_RANK];
    int32_t out_shape[CW_MAX_RANK];
    cw_layout_strides(shape, rank, strides);
    cw_layout_view v;
    v.rank = 2 * rank;
    for (int d = 0; d < rank; d++) {
        if (reps[d] < 0)
            return cw_error(CW_ERR_INVALID, "Tile: reps[%d] = %d is negative", d, (int)reps[d]);
        int64_t n = (int64_t)reps[d] * shape[d];
        if (n > INT32_MAX)
            return cw_error(CW_ERR_NOMEM, "Tile: output dimension %d (%lld) overflows int32", d,
                            (long long)n);
        out_shape[d] = (int32_t)n;
        v.shape[2 * d] = reps[d];
        v.stride[2 * d] = 0;
        v.shape[2 * d + 1] = shape[d];
        v.stride[2 * d + 1] = strides[d];
    }
    int overflow;
    cw_layout_count(out_shape, rank, elem_size, &overflow);
    if (overflow) return cw_error(CW_ERR_NOMEM, "Tile: output size overflows");
    cw_layout_view_copy(elem_size, x, v, out);
    return CW_OK;
}
