/* The gradients of the depthwise convolution:
 * DepthwiseConv2dNativeBackpropInput (dx) and
 * DepthwiseConv2dNativeBackpropFilter (dw), NHWC float32.
 *
 * dx: parallel over (batch x input rows); a task walks the taps (ky, kx)
 * ascending and adds dy * w into its own dx row, four channels at a time when
 * the multiplier is 1.
 * dw: parallel over (tap x block of channels); a task sums x * dy over all
 * output pixels in order into its own dw entries. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/depthwise/depthwise_ukernel.h"
#include "simd/vec.h"

#define CH_BLOCK 64 /* channels per dw task */

static const char *const NAME_DX = "DepthwiseConv2dNativeBackpropInput";
static const char *const NAME_DW = "DepthwiseConv2dNativeBackpropFilter";

static cw_status check(const cw_depthwise_grad_args *g, const char *op) {
    if (!g) return cw_error(CW_ERR_INVALID, "%s: args is NULL", op);
    cw_conv_geometry geo = CW_CONV_GEOMETRY_2D(g, 0);
    geo.in_name = "x", geo.out_name = "dy";
    return cw_dw_geometry_check(geo, g->multiplier, op);
}

/* ---- dx ------------------------------------------------------------------------------- */

static void dx_rows(void *vctx, size_t begin, size_t end) {
    const cw_depthwise_grad_args *g = vctx;
    const size_t C = (size_t)g->in_c, M = (size_t)g->multiplier, OC = C * M;
    const size_t W = (size_t)g->in_w, C4 = C & ~(size_t)3;
    for (size_t r = begin; r < end; r++) {
        const int64_t iy = (int64_t)(r % (size_t)g->in_h);
        const size_t b = r / (size_t)g->in_h;
        float *dx = g->dx + r * W * C;
        memset(dx, 0, W * C * sizeof(float));
        for (int64_t ky = 0; ky < g->filter_h; ky++) {
            const int64_t num = iy + g->pad_top - ky * g->dilation_h;
            if (num < 0 || num % g->stride_h) continue;
            const int64_t oy = num / g->stride_h;
            if (oy >= g->out_h) continue;
            const float *dyr = g->dy + (b * (size_t)g->out_h + (size_t)oy) * (size_t)g->out_w * OC;
            for (int64_t kx = 0; kx < g->filter_w; kx++) {
                const float *w = g->filter + ((size_t)ky * (size_t)g->filter_w + (size_t)kx) * OC;
                for (int64_t ox = 0; ox < g->out_w; ox++) {
                    const int64_t ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                    if (ix < 0 || ix >= (int64_t)W) continue;
                    float *d = dx + (size_t)ix * C;
                    const float *s = dyr + (size_t)ox * OC;
                    if (M == 1) {
                        size_t c = 0;
                        for (; c < C4; c += 4)
                            cw_v4f_store(d + c, cw_v4f_add(cw_v4f_load(d + c),
                                                           cw_v4f_mul(cw_v4f_load(s + c),
                                                                      cw_v4f_load(w + c))));
                        for (; c < C; c++) d[c] += s[c] * w[c];
                    } else {
                        for (size_t c = 0; c < C; c++) {
                            float acc = d[c];
                            for (size_t m = 0; m < M; m++) acc += s[c * M + m] * w[c * M + m];
                            d[c] = acc;
                        }
                    }
                }
            }
        }
    }
}

cw_status cw_depthwise_backprop_input_f32(const cw_depthwise_grad_args *g) {
    cw_status s = check(g, NAME_DX);
    if (s != CW_OK) return s;
    const size_t rows = (size_t)g->batch * (size_t)g->in_h;
    if (rows == 0 || g->in_w == 0 || g->in_c == 0) return CW_OK;
    if (!g->dx) return cw_error(CW_ERR_INVALID, "%s: dx is NULL", NAME_DX);
    if (g->out_h && g->out_w && (!g->dy || !g->filter))
        return cw_error(CW_ERR_INVALID, "%s: dy or filter is NULL", NAME_DX);
    const size_t work = (size_t)g->filter_h * (size_t)g->filter_w * (size_t)g->out_w *
                        (size_t)g->in_c * (size_t)g->multiplier;
    cw_parallel_for(rows, work >= 32768 ? 1 : 32768 / (work + 1) + 1, dx_rows, (void *)g);
    return CW_OK;
}

/* ---- dw ------------------------------------------------------------------------------- */

typedef struct {
    const cw_depthwise_grad_args *g;
    size_t blocks; /* channel blocks per tap */
} dw_ctx;

static void dw_tasks(void *vctx, size_t begin, size_t end) {
    const dw_ctx *c = vctx;
    const cw_depthwise_grad_args *g = c->g;
    const size_t C = (size_t)g->in_c, M = (size_t)g->multiplier, OC = C * M;
    for (size_t t = begin; t < end; t++) {
        const size_t tap = t / c->blocks, c0 = (t % c->blocks) * CH_BLOCK;
        const size_t c1 = c0 + CH_BLOCK < C ? c0 + CH_BLOCK : C;
        const int64_t ky = (int64_t)(tap / (size_t)g->filter_w),
                      kx = (int64_t)(tap % (size_t)g->filter_w);
        float *dw = g->dw + tap * OC;
        memset(dw + c0 * M, 0, (c1 - c0) * M * sizeof(float));
        for (size_t b = 0; b < (size_t)g->batch; b++)
            for (int64_t oy = 0; oy < g->out_h; oy++) {
                const int64_t iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                const float *xr = g->x + (b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w * C;
                const float *dyr =
                    g->dy + (b * (size_t)g->out_h + (size_t)oy) * (size_t)g->out_w * OC;
                for (int64_t ox = 0; ox < g->out_w; ox++) {
                    const int64_t ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                    if (ix < 0 || ix >= g->in_w) continue;
                    const float *xv = xr + (size_t)ix * C, *d = dyr + (size_t)ox * OC;
                    if (M == 1) {
                        size_t ch = c0;
                        for (; ch + 4 <= c1; ch += 4)
                            cw_v4f_store(dw + ch, cw_v4f_add(cw_v4f_load(dw + ch),
                                                             cw_v4f_mul(cw_v4f_load(xv + ch),
                                                                        cw_v4f_load(d + ch))));
                        for (; ch < c1; ch++) dw[ch] += xv[ch] * d[ch];
                    } else {
                        for (size_t ch = c0; ch < c1; ch++)
                            for (size_t m = 0; m < M; m++) dw[ch * M + m] += xv[ch] * d[ch * M + m];
                    }
                }
            }
    }
}

cw_status cw_depthwise_backprop_filter_f32(const cw_depthwise_grad_args *g) {
    cw_status s = check(g, NAME_DW);
    if (s != CW_OK) return s;
    const size_t C = (size_t)g->in_c, taps = (size_t)g->filter_h * (size_t)g->filter_w;
    if (C == 0) return CW_OK;
    if (!g->dw) return cw_error(CW_ERR_INVALID, "%s: dw is NULL", NAME_DW);
    const size_t pixels = (size_t)g->batch * (size_t)g->out_h * (size_t)g->out_w;
    if (pixels && (!g->x || !g->dy))
        return cw_error(CW_ERR_INVALID, "%s: x or dy is NULL", NAME_DW);
    dw_ctx c = {g, (C + CH_BLOCK - 1) / CH_BLOCK};
    cw_parallel_for(taps * c.blocks, 1, dw_tasks, &c);
    return CW_OK;
}
