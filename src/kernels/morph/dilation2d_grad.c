/* Dilation2DBackpropInput and Dilation2DBackpropFilter.
 *
 * First the winning tap of every output and channel (in parallel over output
 * rows), then each gradient element gathers the dy of the outputs it won, in
 * the output order of tfjs-backend-cpu's scatter (in double, as its nested
 * arrays of numbers sum): the input gradient one task
 * per input row, the filter gradient one task per block of channels. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/morph/morph.h"

typedef struct {
    const cw_dilation2d_geom *g;
    const float *x, *filter, *dy;
    int32_t *pos; /* winner as iy * in_w + ix, -1 when it lies outside x */
    int32_t *tap; /* winner as i * filter_w + j */
    double *acc;  /* the gradient's sums, rounded to float32 once at the end */
    float *out;
} grad_ctx;

/* TF.js compares x + filter in double, from Number.MIN_SAFE_INTEGER; without
 * a winner the input gradient goes to the clamped window corner and the
 * filter gradient to tap (0, 0). */
static void winner_rows(void *arg, size_t begin, size_t end) {
    const grad_ctx *ctx = arg;
    const cw_dilation2d_geom *g = ctx->g;
    const size_t C = (size_t)g->channels;
    for (size_t r = begin; r < end; r++) {
        const int b = (int)(r / (size_t)g->out_h), oy = (int)(r % (size_t)g->out_h);
        const int y0 = oy * g->stride_h - g->pad_top;
        int i0, i1;
        cw_dilation2d_taps(y0, g->dilation_h, g->filter_h, g->in_h, &i0, &i1);
        for (int ox = 0; ox < g->out_w; ox++) {
            const int x0 = ox * g->stride_w - g->pad_left;
            int j0, j1;
            cw_dilation2d_taps(x0, g->dilation_w, g->filter_w, g->in_w, &j0, &j1);
            const size_t o = (r * (size_t)g->out_w + (size_t)ox) * C;
            for (size_t c = 0; c < C; c++) {
                double best = -9007199254740991.0;
                int wy = y0 < 0 ? 0 : y0, wx = x0 < 0 ? 0 : x0, wt = 0;
                for (int i = i0; i < i1; i++) {
                    const int iy = y0 + i * g->dilation_h;
                    for (int j = j0; j < j1; j++) {
                        const int ix = x0 + j * g->dilation_w;
                        const double v =
                            (double)ctx->x[(((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c] +
                            (double)ctx->filter[((size_t)i * g->filter_w + j) * C + c];
                        if (v > best) best = v, wy = iy, wx = ix, wt = i * g->filter_w + j;
                    }
                }
                ctx->pos[o + c] = wy < g->in_h && wx < g->in_w ? wy * g->in_w + wx : -1;
                ctx->tap[o + c] = wt;
            }
        }
    }
}

static void input_rows(void *arg, size_t begin, size_t end) {
    const grad_ctx *ctx = arg;
    const cw_dilation2d_geom *g = ctx->g;
    const size_t C = (size_t)g->channels, row = (size_t)g->in_w * C;
    const int eff_h = (g->filter_h - 1) * g->dilation_h + 1;
    for (size_t r = begin; r < end; r++) {
        const int b = (int)(r / (size_t)g->in_h), iy = (int)(r % (size_t)g->in_h);
        double *dx = ctx->acc + r * row;
        for (size_t k = 0; k < row; k++) dx[k] = 0;
        /* outputs whose window span [y0, y0 + eff_h) holds row iy */
        const int t = iy + g->pad_top - eff_h + 1;
        /* row 0 also takes the clamped corners of windows above the image */
        int oy0 = t <= 0 || iy == 0 ? 0 : (t + g->stride_h - 1) / g->stride_h;
        int oy1 = (iy + g->pad_top) / g->stride_h + 1;
        if (iy + g->pad_top < 0) oy1 = 0;
        if (oy1 > g->out_h) oy1 = g->out_h;
        const int32_t lo = iy * g->in_w, hi = lo + g->in_w;
        for (int oy = oy0; oy < oy1; oy++) {
            const size_t o0 = ((size_t)b * g->out_h + oy) * g->out_w * C;
            const int32_t *pos = ctx->pos + o0;
            const float *dy = ctx->dy + o0;
            for (size_t k = 0; k < (size_t)g->out_w * C; k++) {
                const int32_t p = pos[k];
                if (p >= lo && p < hi) dx[(size_t)(p - lo) * C + k % C] += dy[k];
            }
        }
        for (size_t k = 0; k < row; k++) ctx->out[r * row + k] = (float)dx[k];
    }
}

static void filter_channels(void *arg, size_t begin, size_t end) {
    const grad_ctx *ctx = arg;
    const cw_dilation2d_geom *g = ctx->g;
    const size_t C = (size_t)g->channels, taps = (size_t)g->filter_h * g->filter_w;
    for (size_t t = 0; t < taps; t++)
        for (size_t c = begin; c < end; c++) ctx->acc[t * C + c] = 0;
    const size_t outs = (size_t)g->batch * g->out_h * g->out_w;
    for (size_t o = 0; o < outs; o++)
        for (size_t c = begin; c < end; c++)
            ctx->acc[(size_t)ctx->tap[o * C + c] * C + c] += ctx->dy[o * C + c];
    for (size_t t = 0; t < taps; t++)
        for (size_t c = begin; c < end; c++) ctx->out[t * C + c] = (float)ctx->acc[t * C + c];
}

static cw_status check(const char *op, const cw_dilation2d_geom *g, size_t *n_out) {
    if (g == NULL) return cw_error(CW_ERR_INVALID, "%s: no geometry given", op);
    if (g->batch < 0 || g->in_h < 0 || g->in_w < 0 || g->channels < 0 || g->out_h < 0 ||
        g->out_w < 0 || g->pad_top < 0 || g->pad_left < 0)
        return cw_error(CW_ERR_INVALID, "%s: negative size or padding", op);
    if (g->filter_h < 1 || g->filter_w < 1 || g->stride_h < 1 || g->stride_w < 1 ||
        g->dilation_h < 1 || g->dilation_w < 1)
        return cw_error(CW_ERR_INVALID,
                        "%s: filter %d x %d, strides %d x %d, dilations %d x %d, "
                        "expected all >= 1",
                        op, g->filter_h, g->filter_w, g->stride_h, g->stride_w, g->dilation_h,
                        g->dilation_w);
    const int64_t span_h = (int64_t)g->out_h * g->stride_h + (int64_t)g->filter_h * g->dilation_h;
    const int64_t span_w = (int64_t)g->out_w * g->stride_w + (int64_t)g->filter_w * g->dilation_w;
    if (span_h + g->pad_top > INT32_MAX / 2 || span_w + g->pad_left > INT32_MAX / 2 ||
        (int64_t)g->in_h * g->in_w > INT32_MAX || (int64_t)g->filter_h * g->filter_w > INT32_MAX)
        return cw_error(CW_ERR_INVALID, "%s: sizes past the int range", op);
    size_t n = cw_mul_size((size_t)g->batch * (size_t)g->out_h, (size_t)g->out_w);
    n = cw_mul_size(n, (size_t)g->channels);
    if (!cw_mul_size(n, sizeof(int32_t) * 2) && g->batch && g->out_h && g->out_w && g->channels)
        return cw_error(CW_ERR_NOMEM, "%s: output size overflows", op);
    *n_out = n;
    return CW_OK;
}

static cw_status backprop(int for_filter, const cw_dilation2d_geom *g, const float *x,
                          const float *filter, const float *dy, float *out) {
    const char *op = for_filter ? "Dilation2DBackpropFilter" : "Dilation2DBackpropInput";
    size_t n_out = 0;
    cw_status s = check(op, g, &n_out);
    if (s != CW_OK) return s;
    const size_t n_res = for_filter
                             ? (size_t)g->filter_h * g->filter_w * (size_t)g->channels
                             : (size_t)g->batch * g->in_h * (size_t)g->in_w * (size_t)g->channels;
    if (n_res == 0) return CW_OK;
    if (out == NULL) return cw_error(CW_ERR_INVALID, "%s: output is NULL", op);
    if (n_out > 0 && (x == NULL || filter == NULL || dy == NULL))
        return cw_error(CW_ERR_INVALID, "%s: %s is NULL", op,
                        x == NULL        ? "x"
                        : filter == NULL ? "filter"
                                         : "dy");
    grad_ctx ctx = {g, x, filter, dy, NULL, NULL, NULL, out};
    ctx.acc = cw_alloc(cw_mul_size(n_res, sizeof(double)));
    if (ctx.acc == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    if (n_out > 0) {
        ctx.pos = cw_alloc(n_out * 2 * sizeof(int32_t));
        if (ctx.pos == NULL) {
            cw_free(ctx.acc);
            return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
        }
        ctx.tap = ctx.pos + n_out;
        const size_t rows = (size_t)g->batch * g->out_h;
        const size_t per_row =
            (size_t)g->out_w * g->channels * (size_t)g->filter_h * g->filter_w + 1;
        cw_parallel_for(rows, per_row >= 16384 ? 1 : 16384 / per_row + 1, winner_rows, &ctx);
    }
    if (for_filter) {
        const size_t per_channel = n_out / (g->channels ? (size_t)g->channels : 1) + 1;
        cw_parallel_for((size_t)g->channels, per_channel >= 16384 ? 4 : 65536 / per_channel + 4,
                        filter_channels, &ctx);
    } else {
        const size_t per_row = (size_t)g->in_w * g->channels * 4 + 1;
        cw_parallel_for((size_t)g->batch * g->in_h, per_row >= 16384 ? 1 : 16384 / per_row + 1,
                        input_rows, &ctx);
    }
    cw_free(ctx.pos);
    cw_free(ctx.acc);
    return CW_OK;
}

cw_status cw_dilation2d_backprop_input_f32(const cw_dilation2d_geom *g, const float *x,
                                           const float *filter, const float *dy, float *dx) {
    return backprop(0, g, x, filter, dy, dx);
}

cw_status cw_dilation2d_backprop_filter_f32(const cw_dilation2d_geom *g, const float *x,
                                            const float *filter, const float *dy, float *dfilter) {
    return backprop(1, g, x, filter, dy, dfilter);
}
