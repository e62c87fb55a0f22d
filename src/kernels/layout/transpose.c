#include "kernels/layout/layout.h"

#include "kernels/layout/layout_view.h"

cw_status cw_transpose(int elem_size, const void *x, const int32_t *shape, int rank,
                       const int32_t *perm, void *out) {
    cw_status st = cw_layout_check("Transpose", elem_size, shape, rank);
    if (st != CW_OK) return st;
    int seen[CW_MAX_RANK] = {0};
    for (int k = 0; k < rank; k++) {
        if (perm[k] < 0 || perm[k] >= rank)
            return cw_error(CW_ERR_INVALID, "Transpose: perm[%d] = %d is not in [0, %d)", k,
                            (int)perm[k], rank);
        if (seen[perm[k]]++)
            return cw_error(CW_ERR_INVALID, "Transpose: perm repeats axis %d", (int)perm[k]);
    }
    ptrdiff_t strides[CW_MAX_RANK];
    cw_layout_strides(shape, rank, strides);
    cw_layout_view v;
    v.rank = rank;
    for (int k = 0; k < rank; k++) {
        v.shape[k] = shape[perm[k]];
        v.stride[k] = strides[perm[k]];
    }
    cw_layout_view_copy(elem_size, x, v, out);
    return CW_OK;
}
