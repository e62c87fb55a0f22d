/* Graph ops of the nn family: Conv2D, _FusedConv2D, DepthwiseConv2dNative
 * and FusedDepthwiseConv2dNative (NHWC), on cw_conv2d_f32 and
 * cw_depthwise_conv2d_f32 with the bias and activation in their epilogue. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/conv/conv.h"
#include "kernels/depthwise/depthwise.h"

#include "graph/ops/nn_impl.h"

/* The geometry both convolutions share, from the inputs and attributes. */
typedef struct {
    int32_t out[2];
    int k[2], s[2], d[2], pad[2];
} window;

/* Checks x [N,H,W,C] and filter [fh,fw,C,.] (float32, NHWC) and reads the
 * window; returns 0 or -1 (problem noted). */
static int conv_window(cw_gop_ctx *c, const char *filter_layout, window *w) {
    if (c->n_in < 2) return cw_gop_fail(c, "%zu input(s) given, at least 2 expected", c->n_in);
    if (cw_op_nn_nhwc(c) < 0) return -1;
    const cw_gvalue *x = c->in[0], *f = c->in[1];
    if (x->rank != 4) return cw_gop_fail(c, "x has rank %d, 4 expected (NHWC)", x->rank);
    if (f->rank != 4)
        return cw_gop_fail(c, "the filter has rank %d, 4 expected (%s)", f->rank, filter_layout);
    if (x->dtype != CW_F32 || f->dtype != CW_F32)
        return cw_gop_fail(c, "x and the filter must be float32");
    if (f->shape[2] != x->shape[3])
        return cw_gop_fail(c, "filter depth %d does not match input depth %d", (int)f->shape[2],
                           (int)x->shape[3]);
    if (f->shape[0] < 1 || f->shape[1] < 1)
        return cw_gop_fail(c, "the filter is %dx%d (at least 1x1 expected)", (int)f->shape[0],
                           (int)f->shape[1]);
    w->k[0] = (int)f->shape[0], w->k[1] = (int)f->shape[1];
    if (cw_op_nn_hw(c, "strides", 1, w->s) < 0 || cw_op_nn_hw(c, "dilations", 0, w->d) < 0)
        return -1;
    return cw_op_nn_window(c, x->shape + 1, w->k, w->s, w->d, 1, w->out, w->pad);
}

static int is_fused(const cw_gop_ctx *c) { return (c->op->flags & CW_OP_FUSED_EPILOGUE) != 0; }

/* ---- Conv2D(x, filter[, bias][, prelu alpha]) ---- */

typedef struct {
    cw_conv2d_args a; /* geometry, packed filter, epilogue; data bound at run */
    int extra[2], tanh;
} conv_params;

int cw_op_nn_conv_infer(cw_gop_ctx *c) {
    window w;
    if (conv_window(c, "[fh, fw, in_c, out_c]", &w) < 0) return -1;
    const cw_gvalue *x = c->in[0], *f = c->in[1];
    conv_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    cw_conv2d_args *a = &p->a;
    a->batch = (int)x->shape[0], a->in_h = (int)x->shape[1], a->in_w = (int)x->shape[2];
    a->in_c = (int)x->shape[3], a->out_h = (int)w.out[0], a->out_w = (int)w.out[1];
    a->out_c = (int)f->shape[3], a->filter_h = w.k[0], a->filter_w = w.k[1];
    a->stride_h = w.s[0], a->stride_w = w.s[1], a->dilation_h = w.d[0], a->dilation_w = w.d[1];
    a->pad_top = w.pad[0], a->pad_left = w.pad[1];
    if (cw_op_nn_fused(c, is_fused(c), a->out_c, &a->ep, p->extra, &p->tanh) < 0) return -1;
    int64_t K = (int64_t)a->filter_h * a->filter_w * a->in_c;
    if (K <= INT_MAX) a->packed_filter = cw_op_nn_pack(c, 1, (int)K, a->out_c, 0);
    c->params = p;
    const int32_t shape[4] = {x->shape[0], w.out[0], w.out[1], f->shape[3]};
    return cw_gvalue_set(c, c->out[0], CW_F32, 4, shape);
}

cw_status cw_op_nn_conv_run(cw_gop_ctx *c) {
    const conv_params *p = c->params;
    if (c->out[0]->size == 0) return CW_OK;
    cw_conv2d_args a = p->a;
    a.x = c->in[0]->data, a.filter = c->in[1]->data, a.y = c->out[0]->data;
    cw_op_nn_fused_bind(c, &a.ep, p->extra);
    cw_status s = cw_conv2d_f32(&a);
    return s != CW_OK ? s : cw_op_nn_fused_finish(c, p->tanh);
}

/* ---- DepthwiseConv2dNative(x, filter[, bias][, prelu alpha]) ---- */

typedef struct {
    cw_depthwise_args a; /* geometry and epilogue; data bound at run */
    int extra[2], tanh;
} depthwise_params;

int cw_op_nn_depthwise_infer(cw_gop_ctx *c) {
    window w;
    if (conv_window(c, "[fh, fw, in_c, multiplier]", &w) < 0) return -1;
    const cw_gvalue *x = c->in[0], *f = c->in[1];
    int64_t out_c = (int64_t)x->shape[3] * f->shape[3];
    if (out_c > INT32_MAX)
        return cw_gop_fail(c, "%d channels times multiplier %d overflow", (int)x->shape[3],
                           (int)f->shape[3]);
    depthwise_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    cw_depthwise_args *a = &p->a;
    a->batch = (int)x->shape[0], a->in_h = (int)x->shape[1], a->in_w = (int)x->shape[2];
    a->in_c = (int)x->shape[3], a->filter_h = w.k[0], a->filter_w = w.k[1];
    a->multiplier = (int)f->shape[3], a->out_h = (int)w.out[0], a->out_w = (int)w.out[1];
    a->stride_h = w.s[0], a->stride_w = w.s[1], a->dilation_h = w.d[0], a->dilation_w = w.d[1];
    a->pad_top = w.pad[0], a->pad_left = w.pad[1];
    if (cw_op_nn_fused(c, is_fused(c), (int)out_c, &a->ep, p->extra, &p->tanh) < 0) return -1;
    c->params = p;
    const int32_t shape[4] = {x->shape[0], w.out[0], w.out[1], (int32_t)out_c};
    return cw_gvalue_set(c, c->out[0], CW_F32, 4, shape);
}

cw_status cw_op_nn_depthwise_run(cw_gop_ctx *c) {
    const depthwise_params *p = c->params;
    if (c->out[0]->size == 0) return CW_OK;
    cw_depthwise_args a = p->a;
    a.x = c->in[0]->data, a.filter = c->in[1]->data, a.y = c->out[0]->data;
    cw_op_nn_fused_bind(c, &a.ep, p->extra);
    cw_status s = cw_depthwise_conv2d_f32(&a);
    return s != CW_OK ? s : cw_op_nn_fused_finish(c, p->tanh);
}
