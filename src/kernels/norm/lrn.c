#include "kernels/norm/norm.h"

#include <math.h>

#include "core/parallel.h"

/* Windows wider than this use a running sum (in double; squares of floats
 * are exact in double) unless the row holds a NaN or an infinity, where a
 * running sum would turn inf - inf into NaN. */
#define LRN_DIRECT_WINDOW 16

typedef struct {
    const float *x;
    float *out;
    int channels, radius;
    double bias, alpha, neg_beta;
} lrn_ctx;

static int row_is_finite(const float *x, int n) {
    for (int c = 0; c < n; c++)
        if (!isfinite(x[c])) return 0;
    return 1;
}

static void lrn_rows(void *p, size_t begin, size_t end) {
    const lrn_ctx *ctx = (const lrn_ctx *)p;
    int ch = ctx->channels, r = ctx->radius;
    for (size_t row = begin; row < end; row++) {
        const float *x = ctx->x + row * (size_t)ch;
        float *o = ctx->out + row * (size_t)ch;
        int running = 2 * (double)r + 1 > LRN_DIRECT_WINDOW && row_is_finite(x, ch);
        double sum = 0;
        if (running) {
            int hi = r < ch - 1 ? r : ch - 1;
            for (int j = 0; j <= hi; j++) sum += (double)x[j] * x[j];
        }
        for (int c = 0; c < ch; c++) {
            int lo = c > r ? c - r : 0;
            int hi = c < ch - 1 - r ? c + r : ch - 1;
            if (running) {
                if (c > 0) {
                    if (c + r <= ch - 1) sum += (double)x[c + r] * x[c + r];
                    if (c - r - 1 >= 0) sum -= (double)x[c - r - 1] * x[c - r - 1];
                }
            } else {
                sum = 0;
                for (int j = lo; j <= hi; j++) sum += (double)x[j] * x[j];
            }
            o[c] = (float)(x[c] * pow(ctx->bias + ctx->alpha * sum, ctx->neg_beta));
        }
    }
}

cw_status cw_norm_lrn_f32(const float *x, size_t rows, int channels, int depth_radius, float bias,
                          float alpha, float beta, float *out) {
    static const char *op = "LRN";
    if (channels < 0) return cw_error(CW_ERR_INVALID, "%s: channels %d is negative", op, channels);
    if (depth_radius < 0)
        return cw_error(CW_ERR_INVALID, "%s: depthRadius %d is negative", op, depth_radius);
    if (rows == 0 || channels == 0) return CW_OK;
    if (x == out) return cw_error(CW_ERR_INVALID, "%s: x and out must not alias", op);
    lrn_ctx c = {x, out, channels, depth_radius, bias, alpha, -(double)beta};
    size_t grain = (size_t)4096 / (size_t)channels;
    cw_parallel_for(rows, grain > 0 ? grain : 1, lrn_rows, &c);
    return CW_OK;
}
