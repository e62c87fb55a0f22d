/* Graph ops: the shape family. This file holds the table and the alias ops
 * (output 0 is input 0's data under a new shape); the others live in
 * shape_move.c, shape_slice.c and shape_fill.c. */
#include "graph/ops/gop.h"

#include <string.h>

#include "graph/ops/shape_impl.h"

/* The planner shares input 0's buffer and never calls run for an alias; this
 * copy only serves a caller that gives the output its own buffer. */
static cw_status alias_run(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    cw_gvalue *y = c->out[0];
    size_t bytes = x->size * cw_dtype_size(x->dtype);
    if (bytes > 0 && y->data != x->data) memmove(y->data, x->data, bytes);
    return CW_OK;
}

static int identity_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, x->shape);
}

/* Reshape(x, shape): shape is constant; one -1 takes what is left. */
static int reshape_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t want[CW_MAX_RANK];
    int rank = cw_op_shape_ints(c, 1, want, CW_MAX_RANK);
    if (rank < 0) return -1;
    int32_t shape[CW_MAX_RANK];
    int unknown = -1;
    uint64_t known = 1;
    for (int d = 0; d < rank; d++) {
        if (want[d] == -1) {
            if (unknown >= 0)
                return cw_gop_fail(c, "the shape has more than one -1 (dimensions %d and %d)",
                                   unknown, d);
            unknown = d;
            continue;
        }
        if (want[d] < 0 || want[d] > INT32_MAX)
            return cw_gop_fail(c, "dimension %d of the shape is %lld", d, (long long)want[d]);
        shape[d] = (int32_t)want[d];
        known *= (uint64_t)want[d];
        if (known > ((uint64_t)1 << 31))
            return cw_gop_fail(c, "the shape holds more than 2^31 elements");
    }
    if (unknown >= 0) {
        if (known == 0)
            return cw_gop_fail(c, "cannot infer the -1 of the shape when the other dimensions "
                                  "hold zero elements");
        if (x->size % known != 0)
            return cw_gop_fail(c, "%zu elements do not divide into rows of %llu for the -1",
                               x->size, (unsigned long long)known);
        shape[unknown] = (int32_t)(x->size / known);
        known *= (uint64_t)shape[unknown];
    }
    if (known != x->size)
        return cw_gop_fail(c, "the shape holds %llu elements, the input %zu",
                           (unsigned long long)known, x->size);
    return cw_gvalue_set(c, c->out[0], x->dtype, rank, shape);
}

/* ExpandDims(x, axis): a 1 inserted at axis in [-rank - 1, rank]. */
static int expand_dims_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t axis = 0;
    if (cw_op_shape_scalar(c, 1, "the axis", &axis) < 0) return -1;
    int a = cw_op_shape_axis(c, axis, x->rank + 1, "the axis");
    if (a < 0) return -1;
    if (x->rank + 1 > CW_MAX_RANK)
        return cw_gop_fail(c, "the input of rank %d cannot gain a dimension", x->rank);
    int32_t shape[CW_MAX_RANK];
    for (int d = 0, k = 0; d <= x->rank; d++) shape[d] = d == a ? 1 : x->shape[k++];
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank + 1, shape);
}

/* Squeeze(x): drops the listed size-1 dimensions (squeeze_dims), or all. */
static int squeeze_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t dims[CW_MAX_RANK];
    const char *name = cw_node_attr(c->node, "squeeze_dims") ? "squeeze_dims" : "axis";
    int n = cw_gop_attr_ints(c, name, dims, CW_MAX_RANK, 0);
    if (n < 0) return -1;
    int drop[CW_MAX_RANK] = {0};
    for (int i = 0; i < n; i++) {
        int a = cw_op_shape_axis(c, dims[i], x->rank, "the squeezed dimension");
        if (a < 0) return -1;
        if (x->shape[a] != 1)
            return cw_gop_fail(c, "cannot squeeze dimension %d of size %d", a, (int)x->shape[a]);
        drop[a] = 1;
    }
    int32_t shape[CW_MAX_RANK];
    int rank = 0;
    for (int d = 0; d < x->rank; d++) {
        if (n == 0 && x->shape[d] == 1) continue;
        if (!drop[d]) shape[rank++] = x->shape[d];
    }
    return cw_gvalue_set(c, c->out[0], x->dtype, rank, shape);
}

/* clang-format off */
const cw_gop cw_gops_shape[] = {
    {.name = "Identity", .flags = CW_OP_ALIAS, .infer = identity_infer, .run = alias_run},
    {.name = "Snapshot", .flags = CW_OP_ALIAS, .infer = identity_infer, .run = alias_run},
    {.name = "StopGradient", .flags = CW_OP_ALIAS, .infer = identity_infer, .run = alias_run},
    {.name = "Reshape", .flags = CW_OP_ALIAS, .infer = reshape_infer, .run = alias_run},
    {.name = "ExpandDims", .flags = CW_OP_ALIAS, .infer = expand_dims_infer, .run = alias_run},
    {.name = "Squeeze", .flags = CW_OP_ALIAS, .infer = squeeze_infer, .run = alias_run},
    {.name = "Transpose", .infer = cw_op_shape_transpose_infer, .run = cw_op_shape_transpose_run},
    {.name = "Pad", .infer = cw_op_shape_pad_infer, .run = cw_op_shape_pad_run},
    {.name = "PadV2", .infer = cw_op_shape_pad_infer, .run = cw_op_shape_pad_run},
    {.name = "MirrorPad", .infer = cw_op_shape_mirror_pad_infer, .run = cw_op_shape_mirror_pad_run},
    {.name = "ConcatV2", .infer = cw_op_shape_concat_infer, .run = cw_op_shape_concat_run},
    {.name = "Pack", .infer = cw_op_shape_pack_infer, .run = cw_op_shape_pack_run},
    {.name = "Stack", .infer = cw_op_shape_pack_infer, .run = cw_op_shape_pack_run},
    {.name = "GatherV2", .infer = cw_op_shape_gather_infer, .run = cw_op_shape_gather_run},
    {.name = "StridedSlice",
     .infer = cw_op_shape_strided_slice_infer, .run = cw_op_shape_strided_slice_run},
    {.name = "Slice", .infer = cw_op_shape_slice_infer, .run = cw_op_shape_slice_run},
    {.name = "Split", .outputs = cw_op_shape_split_outputs,
     .infer = cw_op_shape_split_infer, .run = cw_op_shape_split_run},
    {.name = "SplitV", .outputs = cw_op_shape_split_outputs,
     .infer = cw_op_shape_split_v_infer, .run = cw_op_shape_split_v_run},
    {.name = "ResizeBilinear",
     .infer = cw_op_shape_resize_bilinear_infer, .run = cw_op_shape_resize_bilinear_run},
    {.name = "ResizeNearestNeighbor",
     .infer = cw_op_shape_resize_nearest_infer, .run = cw_op_shape_resize_nearest_run},
    {.name = "SparseToDense",
     .infer = cw_op_shape_sparse_to_dense_infer, .run = cw_op_shape_sparse_to_dense_run},
    {.name = "Fill", .infer = cw_op_shape_fill_infer, .run = cw_op_shape_fill_run},
    {.name = "ZerosLike", .infer = cw_op_shape_zeros_like_infer, .run = cw_op_shape_zeros_like_run},
    {.name = "OnesLike", .infer = cw_op_shape_ones_like_infer, .run = cw_op_shape_ones_like_run},
    {.name = "Shape", .flags = CW_OP_SHAPE_ONLY,
     .infer = cw_op_shape_shape_infer, .run = cw_op_shape_shape_run},
};
/* clang-format on */
const size_t cw_gops_shape_count = sizeof cw_gops_shape / sizeof cw_gops_shape[0];
