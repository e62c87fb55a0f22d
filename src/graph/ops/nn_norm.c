/* Graph ops of the nn family: FusedBatchNorm, FusedBatchNormV2 and
 * FusedBatchNormV3 at inference (is_training false) over the last axis,
 * y = (x - mean) * scale / sqrt(variance + epsilon) + offset, on
 * cw_norm_batch_norm_f32. The planner folds it into a preceding convolution
 * or matmul where it can (fuse.c). */
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/norm/norm.h"

#include "graph/ops/nn_impl.h"

int cw_op_nn_batch_norm_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 5, 5) < 0) return -1;
    if (cw_gop_attr_bool(c, "is_training", 0))
        return cw_gop_fail(c, "is_training is set: only inference is supported");
    const cw_gvalue *x = c->in[0];
    const char *format = cw_gop_attr_str(c, "data_format", "NHWC");
    int64_t axis = cw_gop_attr_int(c, "axis", -1);
    if (x->rank < 1) return cw_gop_fail(c, "x is a scalar, at least rank 1 expected");
    if (strcmp(format, "NHWC") != 0 && x->rank == 4)
        return cw_gop_fail(c, "data_format '%s' is not supported (NHWC)", format);
    if (axis != -1 && axis != x->rank - 1)
        return cw_gop_fail(c, "axis %lld is not the last axis of x (rank %d)", (long long)axis,
                           x->rank);
    int32_t C = x->shape[x->rank - 1];
    for (size_t i = 0; i < 5; i++) {
        const cw_gvalue *v = c->in[i];
        if (v->dtype != CW_F32) return cw_gop_fail(c, "input %zu is not float32", i);
        if (i > 0 && (v->rank != 1 || v->shape[0] != C))
            return cw_gop_fail(c, "input %zu has %zu values, %d expected (one per channel)", i,
                               v->size, (int)C);
    }
    return cw_gvalue_set(c, c->out[0], CW_F32, x->rank, x->shape);
}

cw_status cw_op_nn_batch_norm_run(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    if (x->size == 0) return CW_OK;
    int C = (int)x->shape[x->rank - 1];
    return cw_norm_batch_norm_f32(x->data, x->size, c->in[3]->data, C, c->in[4]->data, C,
                                  c->in[2]->data, C, c->in[1]->data, C,
                                  (float)cw_gop_attr_float(c, "epsilon", 1e-3), c->out[0]->data);
}
