/* cw_norm_lrn_grad_f32: LRNGrad, one task per row of channels. */
#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/norm/norm.h"

typedef struct {
    const float *x, *y, *dy;
    float *dx;
    int channels, radius;
    double bias, alpha, beta;
} lrn_grad_ctx;

static void lrn_grad_rows(void *p, size_t begin, size_t end) {
    const lrn_grad_ctx *g = p;
    const int ch = g->channels, r = g->radius;
    for (size_t row = begin; row < end; row++) {
        const float *x = g->x + row * (size_t)ch, *y = g->y + row * (size_t)ch;
        const float *dy = g->dy + row * (size_t)ch;
        float *dx = g->dx + row * (size_t)ch;
        memset(dx, 0, (size_t)ch * sizeof(float));
        /* Channel o spreads its dy over the window it normalised by, in the
         * cpu's order and rounding: a double per term, dx kept in float. */
        for (int o = 0; o < ch; o++) {
            const int lo = o > r ? o - r : 0, hi = o < ch - r ? o + r + 1 : ch;
            double norm = 0;
            for (int k = lo; k < hi; k++) norm += (double)x[k] * x[k];
            norm = g->alpha * norm + g->bias;
            const double own = pow(norm, -g->beta);
            for (int k = lo; k < hi; k++) {
                double d = -2 * g->alpha * g->beta * (double)x[k] * (double)y[o] / norm;
                if (k == o) d += own;
                d *= (double)dy[o];
                dx[k] = (float)((double)dx[k] + d);
            }
        }
    }
}

cw_status cw_norm_lrn_grad_f32(const float *x, const float *y, const float *dy, size_t rows,
                               int channels, int depth_radius, double bias, double alpha,
                               double beta, float *dx) {
    static const char *op = "LRNGrad";
    if (channels < 0) return cw_error(CW_ERR_INVALID, "%s: channels %d is negative", op, channels);
    if (depth_radius < 0)
        return cw_error(CW_ERR_INVALID, "%s: depthRadius %d is negative", op, depth_radius);
    if (rows == 0 || channels == 0) return CW_OK;
    if (!x || !y || !dy || !dx)
        return cw_error(CW_ERR_INVALID, "%s: %s is NULL", op,
                        !x    ? "x"
                        : !y  ? "y"
                        : !dy ? "dy"
                              : "dx");
    if (dx == x || dx == y || dx == dy)
        return cw_error(CW_ERR_INVALID, "%s: dx must not alias an input", op);
    lrn_grad_ctx c = {x, y, dy, dx, channels, depth_radius, bias, alpha, beta};
    const size_t win = 2 * (size_t)depth_radius + 1;
    const size_t per_row = (size_t)channels * (win < (size_t)channels ? win : (size_t)channels);
    cw_parallel_for(rows, per_row >= 8192 ? 1 : 8192 / per_row + 1, lrn_grad_rows, &c);
    return CW_OK;
}
