#include <stdint.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/morph/morph.h"
#include "simd/vec.h"

/* TF.js starts each window at Number.MIN_SAFE_INTEGER. */
#define CW_DILATION_INIT (-9007199254740991.0f)

typedef struct {
    const cw_dilation2d_geom *g;
    const float *x, *filter;
    float *y;
} dilation_ctx;

static void dilation_rows(void *arg, size_t begin, size_t end) {
    const dilation_ctx *ctx = arg;
    const cw_dilation2d_geom *g = ctx->g;
    const int C = g->channels;
    for (size_t r = begin; r < end; r++) {
        const int b = (int)(r / (size_t)g->out_h), oy = (int)(r % (size_t)g->out_h);
        const int y0 = oy * g->stride_h - g->pad_top;
        int i0, i1;
        cw_dilation2d_taps(y0, g->dilation_h, g->filter_h, g->in_h, &i0, &i1);
        for (int ox = 0; ox < g->out_w; ox++) {
            const int x0 = ox * g->stride_w - g->pad_left;
            int j0, j1;
            cw_dilation2d_taps(x0, g->dilation_w, g->filter_w, g->in_w, &j0, &j1);
            float *out = ctx->y + (((size_t)b * g->out_h + oy) * g->out_w + ox) * C;
            int c = 0;
            /* Taps in a fixed order (rows, then columns) with a strict
             * greater-than, so the vector lanes and the tail agree. */
            for (; c + 4 <= C; c += 4) {
                cw_v4f best = cw_v4f_splat(CW_DILATION_INIT);
                for (int i = i0; i < i1; i++) {
                    const int iy = y0 + i * g->dilation_h;
                    for (int j = j0; j < j1; j++) {
                        const int ix = x0 + j * g->dilation_w;
                        const float *xp =
                            ctx->x + (((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c;
                        const float *fp = ctx->filter + ((size_t)i * g->filter_w + j) * C + c;
                        cw_v4f v = cw_v4f_add(cw_v4f_load(xp), cw_v4f_load(fp));
                        best = cw_v4f_select(cw_v4f_gt(v, best), v, best);
                    }
                }
                cw_v4f_store(out + c, best);
            }
            for (; c < C; c++) {
                float best = CW_DILATION_INIT;
                for (int i = i0; i < i1; i++) {
                    const int iy = y0 + i * g->dilation_h;
                    for (int j = j0; j < j1; j++) {
                        const int ix = x0 + j * g->dilation_w;
                        float v = ctx->x[(((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c] +
                                  ctx->filter[((size_t)i * g->filter_w + j) * C + c];
                        if (v > best) best = v;
                    }
                }
                out[c] = best;
            }
        }
    }
}

cw_status cw_dilation2d_f32(const cw_dilation2d_geom *g, const float *x, const float *filter,
                            float *y) {
    if (g == NULL) return cw_error(CW_ERR_INVALID, "Dilation2D: no geometry given");
    if (g->batch < 0 || g->in_h < 0 || g->in_w < 0 || g->channels < 0 || g->out_h < 0 ||
        g->out_w < 0)
        return cw_error(CW_ERR_INVALID, "Dilation2D: negative size");
    if (g->filter_h < 1 || g->filter_w < 1)
        return cw_error(CW_ERR_INVALID, "Dilation2D: filter %d x %d, expected >= 1", g->filter_h,
                        g->filter_w);
    if (g->stride_h < 1 || g->stride_w < 1)
        return cw_error(CW_ERR_INVALID, "Dilation2D: strides %d x %d, expected >= 1", g->stride_h,
                        g->stride_w);
    if (g->dilation_h < 1 || g->dilation_w < 1)
        return cw_error(CW_ERR_INVALID, "Dilation2D: dilations %d x %d, expected >= 1",
                        g->dilation_h, g->dilation_w);
    size_t rows = (size_t)g->batch * (size_t)g->out_h;
    size_t out_n = cw_mul_size(cw_mul_size(rows, (size_t)g->out_w), (size_t)g->channels);
    if (rows != 0 && out_n == 0 && g->out_w != 0 && g->channels != 0)
        return cw_error(CW_ERR_NOMEM, "Dilation2D: output size overflows");
    if (out_n == 0) return CW_OK;
    if (x == NULL || filter == NULL || y == NULL)
        return cw_error(CW_ERR_INVALID, "Dilation2D: NULL pointer");
    dilation_ctx ctx = {g, x, filter, y};
    size_t per_row =
        (size_t)g->out_w * (size_t)g->channels * (size_t)g->filter_h * (size_t)g->filter_w;
    size_t grain = per_row >= 16384 ? 1 : 16384 / (per_row + 1) + 1;
    cw_parallel_for(rows, grain, dilation_rows, &ctx);
    return CW_OK;
}
