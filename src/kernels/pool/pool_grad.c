/* cw_pool_grad_f32: MaxPoolGrad, AvgPoolGrad, MaxPool3DGrad, AvgPool3DGrad.
 *
 * Two passes. Max pooling first records, per output and channel, which window
 * tap won (in parallel over output rows). Then every input row gathers the
 * outputs whose windows cover it, in ascending output order, summing in
 * double as tfjs-backend-cpu's loops do; one task owns each input row, so no
 * sum is ever split across threads. */
#include <math.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/pool/pool.h"

#define BLOCK 64 /* channels accumulated at once on the stack */

typedef struct {
    const cw_pool_geom *g;
    int is_max, last_wins;
    int eff[3];
    const float *x, *dy;
    int32_t *pos;
    float *dx;
    double scale;
} grad_job;

/* floor(a / b) for b > 0 */
static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* Outputs o in [*lo, *hi) along one axis whose window covers input i. */
static void covering(const cw_pool_geom *g, const int eff[3], int axis, int i, int *lo, int *hi) {
    const int s = g->stride[axis], p = g->pad_before[axis];
    int a = floor_div(i + p - eff[axis], s) + 1, b = floor_div(i + p, s) + 1;
    if (a < 0) a = 0;
    if (b > g->out[axis]) b = g->out[axis];
    *lo = a, *hi = b < a ? a : b;
}

/* Winning tap of every channel of the outputs of row r = (b, od, oh). */
static void position_rows(void *ctx, size_t begin, size_t end) {
    const grad_job *j = ctx;
    const cw_pool_geom *g = j->g;
    const int C = g->channels, eh = j->eff[1], ew = j->eff[2];
    float best[BLOCK];
    for (size_t r = begin; r < end; r++) {
        const int oh = (int)(r % (size_t)g->out[1]);
        const int od = (int)(r / (size_t)g->out[1] % (size_t)g->out[0]);
        const size_t b = r / ((size_t)g->out[1] * (size_t)g->out[0]);
        const int cd = od * g->stride[0] - g->pad_before[0];
        const int ch = oh * g->stride[1] - g->pad_before[1];
        for (int ow = 0; ow < g->out[2]; ow++) {
            const int cw = ow * g->stride[2] - g->pad_before[2];
            int32_t *pos = j->pos + (r * (size_t)g->out[2] + (size_t)ow) * (size_t)C;
            for (int c0 = 0; c0 < C; c0 += BLOCK) {
                const int nc = C - c0 < BLOCK ? C - c0 : BLOCK;
                for (int c = 0; c < nc; c++) best[c] = -INFINITY, pos[c0 + c] = -1;
                for (int kd = 0; kd < g->filter[0]; kd++) {
                    const int id = cd + kd * g->dilation[0];
                    if (id < 0 || id >= g->in[0]) continue;
                    for (int kh = 0; kh < g->filter[1]; kh++) {
                        const int ih = ch + kh * g->dilation[1];
                        if (ih < 0 || ih >= g->in[1]) continue;
                        for (int kw = 0; kw < g->filter[2]; kw++) {
                            const int iw = cw + kw * g->dilation[2];
                            if (iw < 0 || iw >= g->in[2]) continue;
                            const int32_t code = ((id - cd) * eh + (ih - ch)) * ew + (iw - cw);
                            const float *xp =
                                j->x +
                                (((b * (size_t)g->in[0] + (size_t)id) * (size_t)g->in[1] +
                                  (size_t)ih) *
                                     (size_t)g->in[2] +
                                 (size_t)iw) *
                                    (size_t)C +
                                c0;
                            for (int c = 0; c < nc; c++) {
                                const float v = xp[c];
                                if (v > best[c] || (j->last_wins && v >= best[c]))
                                    best[c] = v, pos[c0 + c] = code;
                            }
                        }
                    }
                }
            }
        }
    }
}

/* dx of input row r = (b, id, ih): all widths and channels. */
static void gather_rows(void *ctx, size_t begin, size_t end) {
    const grad_job *j = ctx;
    const cw_pool_geom *g = j->g;
    const size_t C = (size_t)g->channels;
    const int eh = j->eff[1], ew = j->eff[2];
    double acc[BLOCK];
    for (size_t r = begin; r < end; r++) {
        const int ih = (int)(r % (size_t)g->in[1]);
        const int id = (int)(r / (size_t)g->in[1] % (size_t)g->in[0]);
        const size_t b = r / ((size_t)g->in[1] * (size_t)g->in[0]);
        int d0, d1, h0, h1;
        covering(g, j->eff, 0, id, &d0, &d1);
        covering(g, j->eff, 1, ih, &h0, &h1);
        for (int iw = 0; iw < g->in[2]; iw++) {
            int w0, w1;
            covering(g, j->eff, 2, iw, &w0, &w1);
            float *dx = j->dx + (r * (size_t)g->in[2] + (size_t)iw) * C;
            for (size_t c0 = 0; c0 < C; c0 += BLOCK) {
                const size_t nc = C - c0 < BLOCK ? C - c0 : BLOCK;
                for (size_t c = 0; c < nc; c++) acc[c] = 0;
                for (int od = d0; od < d1; od++) {
                    const int td = id - (od * g->stride[0] - g->pad_before[0]);
                    if (td % g->dilation[0]) continue;
                    for (int oh = h0; oh < h1; oh++) {
                        const int th = ih - (oh * g->stride[1] - g->pad_before[1]);
                        if (th % g->dilation[1]) continue;
                        const size_t orow =
                            ((b * (size_t)g->out[0] + (size_t)od) * (size_t)g->out[1] +
                             (size_t)oh) *
                            (size_t)g->out[2];
                        for (int ow = w0; ow < w1; ow++) {
                            const int tw = iw - (ow * g->stride[2] - g->pad_before[2]);
                            if (tw % g->dilation[2]) continue;
                            const size_t o = (orow + (size_t)ow) * C + c0;
                            const float *dy = j->dy + o;
                            if (j->is_max) {
                                const int32_t code = (td * eh + th) * ew + tw;
                                const int32_t *pos = j->pos + o;
                                for (size_t c = 0; c < nc; c++)
                                    if (pos[c] == code) acc[c] += dy[c];
                            } else {
                                for (size_t c = 0; c < nc; c++) acc[c] += dy[c];
                            }
                        }
                    }
                }
                for (size_t c = 0; c < nc; c++) dx[c0 + c] = (float)(acc[c] * j->scale);
            }
        }
    }
}

static const char *grad_name(cw_pool_op op) {
    static const char *names[] = {"MaxPoolGrad", "AvgPoolGrad", "MaxPool3DGrad", "AvgPool3DGrad"};
    return names[op];
}

static cw_status check(const char *op, const cw_pool_geom *g, int is3d, int eff[3], size_t *n_in,
                       size_t *n_out) {
    if (!g) return cw_error(CW_ERR_INVALID, "%s: geometry is NULL", op);
    if (g->batch < 0 || g->channels < 0)
        return cw_error(CW_ERR_INVALID, "%s: batch %d and channels %d must be >= 0", op, g->batch,
                        g->channels);
    *n_in = cw_mul_size((size_t)g->batch, (size_t)g->channels);
    *n_out = *n_in;
    for (int i = 0; i < 3; i++) {
        if (g->in[i] < 0 || g->out[i] < 0)
            return cw_error(CW_ERR_INVALID,
                            "%s: input %d x %d x %d and output %d x %d x %d must be "
                            ">= 0",
                            op, g->in[0], g->in[1], g->in[2], g->out[0], g->out[1], g->out[2]);
        if (g->filter[i] < 1 || g->stride[i] < 1 || g->dilation[i] < 1)
            return cw_error(CW_ERR_INVALID, "%s: filter size, strides and dilations must be >= 1",
                            op);
        if (g->pad_before[i] < 0 || g->pad_after[i] < 0)
            return cw_error(CW_ERR_INVALID, "%s: padding must be >= 0", op);
        const int64_t e = (int64_t)(g->filter[i] - 1) * g->dilation[i] + 1;
        const int64_t reach = (int64_t)g->out[i] * g->stride[i] + e + g->in[i] + g->pad_before[i];
        if (reach > INT32_MAX / 4)
            return cw_error(CW_ERR_INVALID, "%s: window, strides or sizes past the int range", op);
        eff[i] = (int)e;
        *n_in = cw_mul_size(*n_in, (size_t)g->in[i]);
        *n_out = cw_mul_size(*n_out, (size_t)g->out[i]);
    }
    if (!is3d && (g->in[0] != 1 || g->out[0] != 1 || g->filter[0] != 1 || g->stride[0] != 1 ||
                  g->dilation[0] != 1 || g->pad_before[0] != 0))
        return cw_error(CW_ERR_INVALID, "%s: a 2-D pool needs depth 1 in every depth entry", op);
    if ((int64_t)eff[0] * eff[1] * eff[2] > INT32_MAX)
        return cw_error(CW_ERR_INVALID, "%s: window has more than 2^31 positions", op);
    if (!cw_mul_size(*n_in, sizeof(float)) || !cw_mul_size(*n_out, sizeof(float))) {
        const int empty = g->batch == 0 || g->channels == 0 || g->in[0] == 0 || g->in[1] == 0 ||
                          g->in[2] == 0 || g->out[0] == 0 || g->out[1] == 0 || g->out[2] == 0;
        if (!empty) return cw_error(CW_ERR_INVALID, "%s: tensor size overflows", op);
    }
    return CW_OK;
}

cw_status cw_pool_grad_f32(cw_pool_op op, const cw_pool_geom *g, const float *x, const float *dy,
                           float *dx) {
    if ((int)op < CW_POOL_MAX_2D || (int)op > CW_POOL_AVG_3D)
        return cw_error(CW_ERR_INVALID, "PoolGrad: unknown op %d", (int)op);
    const char *name = grad_name(op);
    const int is3d = op == CW_POOL_MAX_3D || op == CW_POOL_AVG_3D;
    const int is_max = op == CW_POOL_MAX_2D || op == CW_POOL_MAX_3D;
    grad_job j = {g, is_max, is3d, {0, 0, 0}, x, dy, NULL, dx, 1.0};
    size_t n_in = 0, n_out = 0;
    cw_status s = check(name, g, is3d, j.eff, &n_in, &n_out);
    if (s != CW_OK) return s;
    if (n_in == 0) return CW_OK;
    if (!dx) return cw_error(CW_ERR_INVALID, "%s: dx is NULL", name);
    if (n_out > 0 && (!dy || (is_max && !x)))
        return cw_error(CW_ERR_INVALID, "%s: %s is NULL", name, dy ? "x" : "dy");
    if (!is_max) j.scale = 1.0 / ((double)g->filter[0] * g->filter[1] * g->filter[2]);
    if (is_max && n_out > 0) {
        j.pos = cw_alloc(n_out * sizeof(int32_t));
        if (!j.pos) return cw_error(CW_ERR_NOMEM, "%s: out of memory for positions", name);
        const size_t rows = (size_t)g->batch * (size_t)g->out[0] * (size_t)g->out[1];
        size_t work = (size_t)g->out[2] * (size_t)g->channels * (size_t)g->filter[0] *
                      (size_t)g->filter[1] * (size_t)g->filter[2];
        cw_parallel_for(rows, work >= 32768 ? 1 : 32768 / (work + 1) + 1, position_rows, &j);
    }
    const size_t rows = (size_t)g->batch * (size_t)g->in[0] * (size_t)g->in[1];
    const size_t per_row = (size_t)g->in[2] * (size_t)g->channels * 4;
    cw_parallel_for(rows, per_row >= 32768 ? 1 : 32768 / (per_row + 1) + 1, gather_rows, &j);
    cw_free(j.pos);
    return CW_OK;
}
