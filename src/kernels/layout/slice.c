#include "kernels/layout/layout.h"

#include "kernels/layout/layout_view.h"

cw_status cw_slice(int elem_size, const void *x, const int32_t *shape, int rank,
                   const int32_t *begin, const int32_t *size, void *out) {
    ptrdiff_t strides[CW_MAX_RANK], off = 0;
    cw_layout_view v;
    cw_status st = cw_layout_view_begin("Slice", elem_size, shape, rank, strides, &v);
    if (st != CW_OK) return st;
    for (int d = 0; d < rank; d++) {
        if (begin[d] < 0 || size[d] < 0 || (int64_t)begin[d] + size[d] > shape[d])
            return cw_error(CW_ERR_INVALID,
                            "Slice: begin %d and size %d do not fit in dimension %d of size %d",
                            (int)begin[d], (int)size[d], d, (int)shape[d]);
        v.shape[d] = size[d];
        v.stride[d] = strides[d];
        if (size[d] > 0) off += (ptrdiff_t)begin[d] * strides[d];
    }
    cw_layout_view_copy(elem_size, (const unsigned char *)x + off * elem_size, v, out);
    return CW_OK;
}

cw_status cw_strided_slice(int elem_size, const void *x, const int32_t *shape, int rank,
                           const int32_t *begin, const int32_t *strides, void *out,
                           const int32_t *out_shape) {
    ptrdiff_t in_strides[CW_MAX_RANK], off = 0;
    cw_layout_view v;
    cw_status st = cw_layout_view_begin("StridedSlice", elem_size, shape, rank, in_strides, &v);
    if (st != CW_OK) return st;
    int empty = 0;
    for (int d = 0; d < rank; d++) {
        if (out_shape[d] < 0)
            return cw_error(CW_ERR_INVALID, "StridedSlice: output dimension %d is %d (negative)", d,
                            (int)out_shape[d]);
        if (strides[d] == 0)
            return cw_error(CW_ERR_INVALID, "StridedSlice: stride of dimension %d is 0", d);
        if (out_shape[d] == 0) empty = 1;
    }
    for (int d = 0; d < rank && !empty; d++) {
        int64_t last = (int64_t)begin[d] + (int64_t)(out_shape[d] - 1) * strides[d];
        if (begin[d] < 0 || begin[d] >= shape[d] || last < 0 || last >= shape[d])
            return cw_error(CW_ERR_INVALID,
                            "StridedSlice: dimension %d reads [%d, %lld] outside [0, %d)", d,
                            (int)begin[d], (long long)last, (int)shape[d]);
        off += (ptrdiff_t)begin[d] * in_strides[d];
    }
    for (int d = 0; d < rank; d++) {
        v.shape[d] = out_shape[d];
        v.stride[d] = (ptrdiff_t)strides[d] * in_strides[d];
    }
    if (empty) return CW_OK;
    cw_layout_view_copy(elem_size, (const unsigned char *)x + off * elem_size, v, out);
    return CW_OK;
}
