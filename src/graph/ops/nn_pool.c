/* Graph ops of the nn family: MaxPool and AvgPool (NHWC, float32, SAME or
 * VALID) on cw_pool_f32. */
#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/pool/pool.h"

#include "graph/ops/nn_impl.h"

typedef struct {
    cw_pool_op op;
    cw_pool_geom g;
    int identity; /* a 1x1 window that keeps the shape: a copy, as tfjs-backend-cpu */
} pool_params;

int cw_op_nn_pool_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0 || cw_op_nn_nhwc(c) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    if (x->rank != 4) return cw_gop_fail(c, "x has rank %d, 4 expected (NHWC)", x->rank);
    if (x->dtype != CW_F32) return cw_gop_fail(c, "x must be float32");
    int k[2], s[2], pad[2];
    const int d[2] = {1, 1};
    int32_t out[2];
    if (cw_op_nn_hw(c, "ksize", 1, k) < 0 || cw_op_nn_hw(c, "strides", 1, s) < 0 ||
        cw_op_nn_window(c, x->shape + 1, k, s, d, 0, out, pad) < 0)
        return -1;
    pool_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->op = (cw_pool_op)c->op->code;
    cw_pool_geom *g = &p->g;
    g->batch = (int)x->shape[0], g->channels = (int)x->shape[3];
    g->in[0] = g->filter[0] = g->stride[0] = g->dilation[0] = g->out[0] = 1;
    for (int i = 0; i < 2; i++) {
        int64_t after = (int64_t)(out[i] - 1) * s[i] + k[i] - x->shape[1 + i] - pad[i];
        g->in[1 + i] = (int)x->shape[1 + i], g->filter[1 + i] = k[i], g->stride[1 + i] = s[i];
        g->dilation[1 + i] = 1, g->pad_before[1 + i] = pad[i];
        g->pad_after[1 + i] = after > 0 && after <= INT32_MAX ? (int)after : 0;
        g->out[1 + i] = (int)out[i];
    }
    p->identity = k[0] == 1 && k[1] == 1 && out[0] == x->shape[1] && out[1] == x->shape[2];
    c->params = p;
    const int32_t shape[4] = {x->shape[0], out[0], out[1], x->shape[3]};
    return cw_gvalue_set(c, c->out[0], CW_F32, 4, shape);
}

cw_status cw_op_nn_pool_run(cw_gop_ctx *c) {
    const pool_params *p = c->params;
    cw_gvalue *y = c->out[0];
    if (y->size == 0) return CW_OK;
    if (p->identity) {
        memcpy(y->data, c->in[0]->data, y->size * sizeof(float));
        return CW_OK;
    }
    return cw_pool_f32(p->op, &p->g, c->in[0]->data, y->data);
}
