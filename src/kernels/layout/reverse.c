#include "kernels/layout/layout.h"

#include "kernels/layout/layout_view.h"

cw_status cw_reverse(int elem_size, const void *x, const int32_t *shape, int rank,
                     const int32_t *axes_mask, void *out) {
    ptrdiff_t strides[CW_MAX_RANK], off = 0;
    cw_layout_view v;
    cw_status st = cw_layout_view_begin("Reverse", elem_size, shape, rank, strides, &v);
    if (st != CW_OK) return st;
    for (int d = 0; d < rank; d++) {
        v.shape[d] = shape[d];
        v.stride[d] = strides[d];
        if (axes_mask[d] && shape[d] > 0) {
            off += (ptrdiff_t)(shape[d] - 1) * strides[d];
            v.stride[d] = -strides[d];
        }
    }
    cw_layout_view_copy(elem_size, (const unsigned char *)x + off * elem_size, v, out);
    return CW_OK;
}
