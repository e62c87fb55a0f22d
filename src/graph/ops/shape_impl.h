/* Private to the shape op family (shape*.c): the ops the other files
 * define for shape.c's table, and small helpers they share. */
#ifndef CW_GRAPH_OPS_SHAPE_IMPL_H
#define CW_GRAPH_OPS_SHAPE_IMPL_H

#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"

/* The number of values a (constant) input holds: the helpers below allow an
 * empty constant without data (cw_gop_const_ints does not). */
static inline int cw_op_shape_ints(cw_gop_ctx *c, size_t i, int64_t *out, size_t max) {
    if (i < c->n_in && c->in[i]->is_const && c->in[i]->size == 0) return 0;
    return cw_gop_const_ints(c, i, out, max);
}

/* A constant input holding exactly one integer (an axis, a pad value). */
static inline int cw_op_shape_scalar(cw_gop_ctx *c, size_t i, const char *what, int64_t *out) {
    int64_t v[2];
    int n = cw_gop_const_ints(c, i, v, 2);
    if (n < 0) return -1;
    if (n != 1) return cw_gop_fail(c, "%s (input %zu) must hold one value, not %d", what, i, n);
    *out = v[0];
    return 0;
}

/* axis in [-rank, rank) wrapped into [0, rank); -1 with a problem otherwise. */
static inline int cw_op_shape_axis(cw_gop_ctx *c, int64_t axis, int rank, const char *what) {
    if (axis < -rank || axis >= rank)
        return cw_gop_fail(c, "%s %lld is outside [%d, %d) for rank %d", what, (long long)axis,
                           -rank, rank, rank);
    return (int)(axis < 0 ? axis + rank : axis);
}

/* Product of shape[lo..hi) (sizes are capped at 2^30 by cw_gvalue_set). */
static inline size_t cw_op_shape_prod(const int32_t *shape, int lo, int hi) {
    size_t n = 1;
    for (int d = lo; d < hi; d++) n *= (size_t)shape[d];
    return n;
}

static inline int cw_op_shape_elem(const cw_gvalue *v) { return (int)cw_dtype_size(v->dtype); }

#define CW_OP_SHAPE_DECLARE(name)                                                                  \
    int cw_op_shape_##name##_infer(cw_gop_ctx *c);                                                 \
    cw_status cw_op_shape_##name##_run(cw_gop_ctx *c)

/* shape_move.c */
CW_OP_SHAPE_DECLARE(transpose);
CW_OP_SHAPE_DECLARE(pad);
CW_OP_SHAPE_DECLARE(mirror_pad);
CW_OP_SHAPE_DECLARE(concat);
CW_OP_SHAPE_DECLARE(pack);
CW_OP_SHAPE_DECLARE(gather);

/* shape_slice.c */
CW_OP_SHAPE_DECLARE(strided_slice);
CW_OP_SHAPE_DECLARE(slice);
CW_OP_SHAPE_DECLARE(split);
CW_OP_SHAPE_DECLARE(split_v);
size_t cw_op_shape_split_outputs(const cw_node_def *node);

/* shape_fill.c */
CW_OP_SHAPE_DECLARE(resize_bilinear);
CW_OP_SHAPE_DECLARE(resize_nearest);
CW_OP_SHAPE_DECLARE(sparse_to_dense);
CW_OP_SHAPE_DECLARE(fill);
CW_OP_SHAPE_DECLARE(zeros_like);
CW_OP_SHAPE_DECLARE(ones_like);
CW_OP_SHAPE_DECLARE(shape);

#endif
