/* cw_depthwise_conv2d_f32: validates, plans, then runs one row kernel per
 * (batch, output row) through the pool, followed by the activations that are
 * not done in registers (elu, leakyrelu, sigmoid, prelu) on that row. */
#include <stdint.h>

#include "core/alloc.h"
#include "kernels/depthwise/depthwise_ukernel.h"
#include "kernels/gemm/gemm_driver.h"

#define OP "DepthwiseConv2dNative"

typedef void (*row_fn)(const cw_dw_plan *p, int b, int oy);

typedef struct {
    cw_dw_plan plan;
    row_fn row;
    cw_epilogue post; /* what is left after bias and clamp */
} dw_job;

static void dw_rows(void *ctx, size_t begin, size_t end) {
    const dw_job *j = ctx;
    const cw_dw_plan *p = &j->plan;
    const int out_h = p->g->out_h;
    for (size_t r = begin; r < end; r++) {
        const int b = (int)(r / (size_t)out_h), oy = (int)(r % (size_t)out_h);
        j->row(p, b, oy);
        float *yrow = p->g->y + r * p->y_row;
        if (j->post.act == CW_ACT_PRELU) {
            for (size_t i = 0; i < p->y_row; i += (size_t)p->OC)
                cw_act_apply_row(yrow + i, (size_t)p->OC, 0, &j->post);
        } else if (j->post.act != CW_ACT_LINEAR) {
            cw_act_apply(yrow, p->y_row, j->post.act, j->post.alpha);
        }
    }
}

/* 1 if every window position (n - 1) * stride - pad + (k - 1) * dilation
 * is an int, so the row kernels can index in int. */
static int window_fits(int n, int stride, int k, int dilation) {
    return (int64_t)(n - 1) * stride + (int64_t)(k - 1) * dilation <= INT32_MAX;
}

static cw_status check_args(const cw_depthwise_args *g) {
    cw_status s = cw_dw_geometry_check(CW_CONV_GEOMETRY_2D(g, 0), g->multiplier, OP);
    if (s != CW_OK) return s;
    if (!window_fits(g->out_h, g->stride_h, g->filter_h, g->dilation_h) ||
        !window_fits(g->out_w, g->stride_w, g->filter_w, g->dilation_w))
        return cw_error(CW_ERR_INVALID,
                        OP ": output %d x %d with strides %d x %d and dilations "
                           "%d x %d reaches past the int range",
                        g->out_h, g->out_w, g->stride_h, g->stride_w, g->dilation_h, g->dilation_w);
    return cw_epilogue_check(&g->ep, g->in_c * g->multiplier, OP, 1);
}

cw_status cw_depthwise_conv2d_f32(const cw_depthwise_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, OP ": args is NULL");
    cw_status s = check_args(g);
    if (s != CW_OK) return s;
    const int OC = g->in_c * g->multiplier;
    if (g->batch == 0 || g->out_h == 0 || g->out_w == 0 || OC == 0) return CW_OK;
    const int has_input = g->in_h > 0 && g->in_w > 0;
    if (!g->y) return cw_error(CW_ERR_INVALID, OP ": y is NULL");
    if (!g->filter) return cw_error(CW_ERR_INVALID, OP ": filter is NULL");
    if (has_input && !g->x) return cw_error(CW_ERR_INVALID, OP ": x is NULL");

    dw_job j;
    cw_dw_plan *p = &j.plan;
    p->g = g;
    p->C = g->in_c, p->M = g->multiplier, p->OC = OC;
    p->x_row = (size_t)g->in_w * (size_t)g->in_c;
    p->x_image = (size_t)g->in_h * p->x_row;
    p->y_row = (size_t)g->out_w * (size_t)OC;
    p->bias = g->ep.bias_len > 0 ? g->ep.bias : NULL;
    p->bias_len = g->ep.bias_len;
    const cw_gemm_epilogue ep = cw_gemm_epilogue_of(&g->ep);
    p->clamp = ep.clamp;
    j.post = ep.post;

    p->packed = NULL;
    const int k = g->filter_h == g->filter_w ? g->filter_h : 0;
    const int fast = (k == 3 || k == 5) && g->dilation_h == 1 && g->dilation_w == 1 &&
                     g->multiplier == 1 && g->stride_h == g->stride_w &&
                     (g->stride_h == 1 || g->stride_h == 2);
    const int s1 = g->stride_h == 1;
    if (fast && k == 3)
        j.row = s1 ? cw_dw_row_3x3s1 : cw_dw_row_3x3s2;
    else if (fast)
        j.row = s1 ? cw_dw_row_5x5s1 : cw_dw_row_5x5s2;
    else
        j.row = g->multiplier > 1 ? cw_dw_row_mn : cw_dw_row_general;
    float *packed = NULL;
    if (j.row != cw_dw_row_general && has_input) {
        const size_t n = cw_dw_packed_floats(g);
        if (n > 0) {
            packed = cw_alloc(cw_mul_size(n, sizeof(float)));
            if (!packed) return cw_error(CW_ERR_NOMEM, OP ": no memory for the packed filter");
            cw_dw_pack(p, packed);
        }
        p->packed = packed;
    }
    if (!has_input) j.row = cw_dw_row_general; /* every tap is padding */

    /* about 64k multiply-adds per task; the split never changes a result */
    const size_t rows = (size_t)g->batch * (size_t)g->out_h;
    const size_t work = p->y_row * (size_t)g->filter_h * (size_t)g->filter_w;
    const size_t grain = work >= 65536 ? 1 : 65536 / (work ? work : 1);
    cw_parallel_for(rows, grain, dw_rows, &j);
    cw_free(packed);
    return CW_OK;
}
