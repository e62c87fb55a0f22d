/* Internal to the layout family: argument checks and the strided-view copy
 * that transpose, slice, strided slice, reverse and tile reduce to. */
#ifndef CW_KERNELS_LAYOUT_LAYOUT_VIEW_H
#define CW_KERNELS_LAYOUT_LAYOUT_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/shape.h"
#include "core/status.h"

/* A view has up to 2 * CW_MAX_RANK axes: tile splits each axis in two. */
#define CW_LAYOUT_VIEW_MAX (2 * CW_MAX_RANK)

/* Bytes a parallel task should move at least. */
#define CW_LAYOUT_TASK_BYTES ((size_t)1 << 15)

/* out[i] = src[sum_k i_k * stride[k]] (strides in elements, any sign) for
 * every index i of the row-major output shape[0..rank). */
typedef struct {
    int rank;
    int32_t shape[CW_LAYOUT_VIEW_MAX];
    ptrdiff_t stride[CW_LAYOUT_VIEW_MAX];
} cw_layout_view;

/* Copies the view of src (elem_size 1 or 4) into out, in parallel by rows.
 * Drops unit axes and merges contiguous ones first; rows with unit stride are
 * memcpy'd, a unit stride on the next-to-last axis takes a blocked transpose. */
void cw_layout_view_copy(int elem_size, const void *src, cw_layout_view v, void *out);

/* Checks elem_size is 1 or 4, 0 <= rank <= CW_MAX_RANK and shape[d] >= 0;
 * op names the kernel in the message. */
cw_status cw_layout_check(const char *op, int elem_size, const int32_t *shape, int rank);

/* Row-major element strides of shape, signed. */
static inline void cw_layout_strides(const int32_t *shape, int rank, ptrdiff_t *strides) {
    ptrdiff_t s = 1;
    for (int i = rank - 1; i >= 0; i--) {
        strides[i] = s;
        s *= shape[i];
    }
}

/* cw_layout_check, then the start of a view over shape: v->rank = rank and
 * strides[0..rank) the row-major strides of shape. */
static inline cw_status cw_layout_view_begin(const char *op, int elem_size, const int32_t *shape,
                                             int rank, ptrdiff_t *strides, cw_layout_view *v) {
    cw_status st = cw_layout_check(op, elem_size, shape, rank);
    if (st != CW_OK) return st;
    cw_layout_strides(shape, rank, strides);
    v->rank = rank;
    return CW_OK;
}

/* Element count of shape; 0 when it does not fit in size_t bytes of
 * elem_size (callers treat as overflow only when no extent is zero). */
static inline size_t cw_layout_count(const int32_t *shape, int rank, int elem_size, int *overflow) {
    size_t n = (size_t)elem_size;
    *overflow = 0;
    for (int i = 0; i < rank; i++) {
        if (shape[i] == 0) {
            *overflow = 0;
            return 0;
        }
        size_t m = n * (size_t)shape[i];
        if (m / (size_t)shape[i] != n) *overflow = 1;
        n = m;
    }
    return *overflow ? 0 : n / (size_t)elem_size;
}

/* Copies n elements equal to *value to dst. */
static inline void cw_layout_fill(void *dst, const void *value, size_t n, int elem_size) {
    if (elem_size == 1) {
        memset(dst, *(const unsigned char *)value, n);
        return;
    }
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) memcpy(d + 4 * i, value, 4);
}

#endif
