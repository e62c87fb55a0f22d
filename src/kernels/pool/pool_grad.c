/* cw_pool_grad_f32: MaxPoolGrad, AvgPoolGrad, MaxPool3DGrad, AvgPool3DGrad.
 *
 * Each dx element gathers the dy of the windows that cover it (no scatter, so
 * no two tasks write one element): along one axis, input i is tap k of
 * output o when o * stride - pad + k * dilation = i. Outputs are visited in
 * ascending order and summed in double, then rounded once, which is how
 * tfjs-backend-cpu sums them. Max pooling first finds every output's
 * maximum as tfjs-backend-cpu does: in 2-D the first tap in window order
 * holding a value > the running maximum, which starts at -inf (none for all
 * -inf / NaN windows); in 3-D the last tap holding a value >= it (so an
 * all -inf window passes its gradient to its last valid tap). A dx element
 * takes dy only from the windows whose maximum it is. */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/pool/pool.h"
#include "kernels/pool/pool_ukernel.h"

typedef struct {
    const cw_pool_geom *g;
    const float *x, *dy;
    float *dx;
    int32_t *pos; /* max: per output and channel, the window position of its maximum or -1 */
    double scale; /* avg: 1 / window taps */
    int64_t eff_h, eff_w;
    int last_max; /* 3-D: the last tap with x >= the running maximum wins (-inf included) */
    atomic_int nomem;
} grad_ctx;

/* Window position of tap (kd, ky, kx) in the dilated window, as tfjs numbers it. */
static int32_t window_pos(const grad_ctx *c, int64_t kd, int64_t ky, int64_t kx) {
    const cw_pool_geom *g = c->g;
    return (int32_t)(((kd * g->dilation[0]) * c->eff_h + ky * g->dilation[1]) * c->eff_w +
                     kx * g->dilation[2]);
}

/* pos for output rows [begin, end) of (batch x out_d x out_h). */
static void argmax_rows(void *vctx, size_t begin, size_t end) {
    grad_ctx *c = vctx;
    const cw_pool_geom *g = c->g;
    const size_t C = (size_t)g->channels;
    float *best = cw_alloc(C * sizeof(float));
    if (!best) {
        atomic_store(&c->nomem, 1);
        return;
    }
    for (size_t r = begin; r < end; r++) {
        const int64_t oh = (int64_t)(r % (size_t)g->out[1]);
        const int64_t od = (int64_t)(r / (size_t)g->out[1] % (size_t)g->out[0]);
        const size_t b = r / (size_t)g->out[1] / (size_t)g->out[0];
        const float *xb = c->x + b * (size_t)g->in[0] * (size_t)g->in[1] * (size_t)g->in[2] * C;
        for (int64_t ow = 0; ow < g->out[2]; ow++) {
            int32_t *pos = c->pos + (r * (size_t)g->out[2] + (size_t)ow) * C;
            for (size_t ch = 0; ch < C; ch++) pos[ch] = -1, best[ch] = -INFINITY;
            for (int64_t kd = 0; kd < g->filter[0]; kd++) {
                const int64_t iz = od * g->stride[0] - g->pad_before[0] + kd * g->dilation[0];
                if (iz < 0 || iz >= g->in[0]) continue;
                for (int64_t ky = 0; ky < g->filter[1]; ky++) {
                    const int64_t iy = oh * g->stride[1] - g->pad_before[1] + ky * g->dilation[1];
                    if (iy < 0 || iy >= g->in[1]) continue;
                    for (int64_t kx = 0; kx < g->filter[2]; kx++) {
                        const int64_t ix =
                            ow * g->stride[2] - g->pad_before[2] + kx * g->dilation[2];
                        if (ix < 0 || ix >= g->in[2]) continue;
                        const float *px = xb + (size_t)((iz * g->in[1] + iy) * g->in[2] + ix) * C;
                        const int32_t here = window_pos(c, kd, ky, kx);
                        if (c->last_max) {
                            for (size_t ch = 0; ch < C; ch++)
                                if (px[ch] >= best[ch]) best[ch] = px[ch], pos[ch] = here;
                        } else {
                            for (size_t ch = 0; ch < C; ch++)
                                if (px[ch] > best[ch]) best[ch] = px[ch], pos[ch] = here;
                        }
                    }
                }
            }
        }
    }
    cw_free(best);
}

/* The outputs o along one axis whose tap k covers input i, ascending:
 * o[n] with tap k[n]; returns their count. */
static int covering(int64_t i, int64_t pad, int64_t stride, int64_t dil, int64_t filter,
                    int64_t out, int64_t *o, int64_t *k) {
    int n = 0;
    for (int64_t t = filter - 1; t >= 0; t--) {
        const int64_t num = i + pad - t * dil;
        if (num < 0 || num % stride) continue;
        const int64_t q = num / stride;
        if (q >= out) continue;
        o[n] = q, k[n] = t, n++;
    }
    return n;
}

/* dx for input rows [begin, end) of (batch x in_d x in_h). */
static void gather_rows(void *vctx, size_t begin, size_t end) {
    grad_ctx *c = vctx;
    const cw_pool_geom *g = c->g;
    const size_t C = (size_t)g->channels;
    const size_t nd = (size_t)g->filter[0], nh = (size_t)g->filter[1], nw = (size_t)g->filter[2];
    int64_t *buf = cw_alloc(2 * (nd + nh + nw) * sizeof(int64_t));
    double *acc = cw_alloc(C * sizeof(double));
    if (!buf || !acc) {
        atomic_store(&c->nomem, 1);
        cw_free(buf);
        cw_free(acc);
        return;
    }
    int64_t *od = buf, *kd = od + nd, *oh = kd + nd, *kh = oh + nh, *ow = kh + nh, *kw = ow + nw;
    for (size_t r = begin; r < end; r++) {
        const int64_t iy = (int64_t)(r % (size_t)g->in[1]);
        const int64_t iz = (int64_t)(r / (size_t)g->in[1] % (size_t)g->in[0]);
        const size_t b = r / (size_t)g->in[1] / (size_t)g->in[0];
        const int n0 = covering(iz, g->pad_before[0], g->stride[0], g->dilation[0], g->filter[0],
                                g->out[0], od, kd);
        const int n1 = covering(iy, g->pad_before[1], g->stride[1], g->dilation[1], g->filter[1],
                                g->out[1], oh, kh);
        for (int64_t ix = 0; ix < g->in[2]; ix++) {
            const int n2 = covering(ix, g->pad_before[2], g->stride[2], g->dilation[2],
                                    g->filter[2], g->out[2], ow, kw);
            for (size_t ch = 0; ch < C; ch++) acc[ch] = 0.0;
            for (int a = 0; a < n0; a++)
                for (int e = 0; e < n1; e++)
                    for (int f = 0; f < n2; f++) {
                        const size_t o =
                            (((b * (size_t)g->out[0] + (size_t)od[a]) * (size_t)g->out[1] +
                              (size_t)oh[e]) *
                                 (size_t)g->out[2] +
                             (size_t)ow[f]) *
                            C;
                        const float *d = c->dy + o;
                        if (c->pos) {
                            const int32_t here = window_pos(c, kd[a], kh[e], kw[f]);
                            const int32_t *p = c->pos + o;
                            for (size_t ch = 0; ch < C; ch++)
                                if (p[ch] == here) acc[ch] += d[ch];
                        } else {
                            for (size_t ch = 0; ch < C; ch++) acc[ch] += d[ch];
                        }
                    }
            float *out = c->dx + (r * (size_t)g->in[2] + (size_t)ix) * C;
            if (c->pos)
                for (size_t ch = 0; ch < C; ch++) out[ch] = (float)acc[ch];
            else
                for (size_t ch = 0; ch < C; ch++) out[ch] = (float)(acc[ch] * c->scale);
        }
    }
    cw_free(buf);
    cw_free(acc);
}

static const char *grad_name(cw_pool_op op) {
    switch (op) {
    case CW_POOL_MAX_2D:
        return "MaxPoolGrad";
    case CW_POOL_AVG_2D:
        return "AvgPoolGrad";
    case CW_POOL_MAX_3D:
        return "MaxPool3DGrad";
    default:
        return "AvgPool3DGrad";
    }
}

cw_status cw_pool_grad_f32(cw_pool_op op, const cw_pool_geom *g, const float *x, const float *dy,
                           float *dx) {
    if ((unsigned)op > CW_POOL_AVG_3D)
        return cw_error(CW_ERR_INVALID, "pool gradient: unknown op %d", (int)op);
    const char *name = grad_name(op);
    int eff[3];
    const int is3d = op == CW_POOL_MAX_3D || op == CW_POOL_AVG_3D;
    cw_status s = cw_pool_check_geom(name, g, is3d, eff);
    if (s != CW_OK) return s;
    const int is_max = op == CW_POOL_MAX_2D || op == CW_POOL_MAX_3D;
    const size_t in_rows = (size_t)g->batch * (size_t)g->in[0] * (size_t)g->in[1];
    const size_t out_rows = (size_t)g->batch * (size_t)g->out[0] * (size_t)g->out[1];
    const size_t C = (size_t)g->channels;
    if (in_rows == 0 || g->in[2] == 0 || C == 0) return CW_OK;
    if (!dx) return cw_error(CW_ERR_INVALID, "%s: dx is NULL", name);
    const size_t out_n = out_rows * (size_t)g->out[2] * C;
    if (out_n && !dy) return cw_error(CW_ERR_INVALID, "%s: dy is NULL", name);
    if (out_n && is_max && !x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", name);

    grad_ctx c;
    memset(&c, 0, sizeof c);
    c.g = g, c.x = x, c.dy = dy, c.dx = dx;
    c.eff_h = ((int64_t)g->filter[1] - 1) * g->dilation[1] + 1;
    c.eff_w = ((int64_t)g->filter[2] - 1) * g->dilation[2] + 1;
    c.last_max = op == CW_POOL_MAX_3D;
    c.scale = 1.0 / ((double)g->filter[0] * (double)g->filter[1] * (double)g->filter[2]);
    atomic_init(&c.nomem, 0);
    if (is_max && out_n) {
        c.pos = cw_alloc(out_n * sizeof(int32_t));
        if (!c.pos) return cw_error(CW_ERR_NOMEM, "%s: out of memory", name);
        const size_t work = (size_t)g->out[2] * C * (size_t)g->filter[0] * (size_t)g->filter[1] *
                            (size_t)g->filter[2];
        cw_parallel_for(out_rows, work >= 16384 ? 1 : 16384 / (work + 1) + 1, argmax_rows, &c);
    }
    if (!atomic_load(&c.nomem)) {
        const size_t work = (size_t)g->in[2] * C * 4;
        cw_parallel_for(in_rows, work >= 16384 ? 1 : 16384 / (work + 1) + 1, gather_rows, &c);
    }
    cw_free(c.pos);
    if (atomic_load(&c.nomem)) return cw_error(CW_ERR_NOMEM, "%s: out of memory", name);
    return CW_OK;
}
