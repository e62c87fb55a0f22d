/* Private to the shape op family (gop_shape*.c): the ops the other files
 * define for gop_shape.c's table, and small helpers they share. */
#ifndef CW_GRAPH_GOP_SHAPE_IMPL_H
#define CW_GRAPH_GOP_SHAPE_IMPL_H

#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"

/* The number of values a (constant) input holds: the helpers below allow an
 * empty constant without data (cw_gop_const_ints does not). */
static inline int cw_gshape_ints(cw_gop_ctx *c, size_t i, int64_t *out, size_t max) {
    if (i < c->n_in && c->in[i]->is_const && c->in[i]->size == 0) return 0;
    return cw_gop_const_ints(c, i, out, max);
}

/* A constant input holding exactly one integer (an axis, a pad value). */
static inline int cw_gshape_scalar(cw_gop_ctx *c, size_t i, const char *what, int64_t *out) {
    int64_t v[2];
    int n = cw_gop_const_ints(c, i, v, 2);
    if (n < 0) return -1;
    if (n != 1) return cw_gop_fail(c, "%s (input %zu) must hold one value, not %d", what, i, n);
    *out = v[0];
    return 0;
}

/* axis in [-rank, rank) wrapped into [0, rank); -1 with a problem otherwise. */
static inline int cw_gshape_axis(cw_gop_ctx *c, int64_t axis, int rank, const char *what) {
    if (axis < -rank || axis >= rank)
        return cw_gop_fail(c, "%s %lld is outside [%d, %d) for rank %d", what, (long long)axis,
                           -rank, rank, rank);
    return (int)(axis < 0 ? axis + rank : axis);
}

/* Product of shape[lo..hi) (sizes are capped at 2^30 by cw_gvalue_set). */
static inline size_t cw_gshape_prod(const int32_t *shape, int lo, int hi) {
    size_t n = 1;
    for (int d = lo; d < hi; d++) n *= (size_t)shape[d];
    return n;
}

static inline int cw_gshape_elem(const cw_gvalue *v) { return (int)cw_dtype_size(v->dtype); }

#define CW_GSHAPE_OP(name)                                                                         \
    int cw_gshape_##name##_infer(cw_gop_ctx *c);                                                   \
    cw_status cw_gshape_##name##_run(cw_gop_ctx *c)

/* gop_shape_move.c */
CW_GSHAPE_OP(transpose);
CW_GSHAPE_OP(pad);
CW_GSHAPE_OP(mirror_pad);
CW_GSHAPE_OP(concat);
CW_GSHAPE_OP(pack);
CW_GSHAPE_OP(gather);

/* gop_shape_slice.c */
CW_GSHAPE_OP(strided_slice);
CW_GSHAPE_OP(slice);
CW_GSHAPE_OP(split);
CW_GSHAPE_OP(split_v);
size_t cw_gshape_split_outputs(const cw_node_def *node);

/* gop_shape_fill.c */
CW_GSHAPE_OP(resize_bilinear);
CW_GSHAPE_OP(resize_nearest);
CW_GSHAPE_OP(sparse_to_dense);
CW_GSHAPE_OP(fill);
CW_GSHAPE_OP(zeros_like);
CW_GSHAPE_OP(ones_like);
CW_GSHAPE_OP(shape);

#endif
