/* The pool row kernels: one output row (b, od, oh) per call, channels
 * vectorised four at a time with a scalar tail that computes exactly what a
 * vector lane does (same comparisons, same summation order). */
#include <math.h>

#include "kernels/pool/pool_ukernel.h"
#include "simd/vec.h"

/* The valid taps of one output position along one axis: the first valid tap
 * k0, their count, and the input position of tap k0. */
typedef struct {
    int k0, count, start, corner;
} axis_taps;

static inline axis_taps taps_of(const cw_pool_geom *g, int axis, int o) {
    const int dil = g->dilation[axis], in = g->in[axis];
    axis_taps t;
    t.corner = o * g->stride[axis] - g->pad_before[axis];
    t.k0 = t.corner < 0 ? (-t.corner + dil - 1) / dil : 0;
    int k1 = g->filter[axis];
    const int last = in - 1 - t.corner; /* taps need corner + k * dil <= in - 1 */
    if (last < 0)
        k1 = 0;
    else if (last / dil + 1 < k1)
        k1 = last / dil + 1;
    t.count = k1 > t.k0 ? k1 - t.k0 : 0;
    t.start = t.corner + t.k0 * dil;
    return t;
}

/* Row number -> (b, od, oh) and the taps of od and oh. */
typedef struct {
    int b, od, oh;
    axis_taps td, th;
    size_t base;       /* input offset of (b, td.start, th.start, 0, 0) when counts > 0 */
    size_t sd, sh, sw; /* input strides between taps along d, h, w */
} row_taps;

static row_taps row_taps_of(const cw_pool_plan *p, size_t r) {
    const cw_pool_geom *g = p->g;
    row_taps t;
    t.oh = (int)(r % (size_t)g->out[1]);
    r /= (size_t)g->out[1];
    t.od = (int)(r % (size_t)g->out[0]);
    t.b = (int)(r / (size_t)g->out[0]);
    t.td = taps_of(g, 0, t.od);
    t.th = taps_of(g, 1, t.oh);
    t.base = (size_t)t.b * p->xs[0];
    if (t.td.count > 0 && t.th.count > 0)
        t.base += (size_t)t.td.start * p->xs[1] + (size_t)t.th.start * p->xs[2];
    t.sd = (size_t)g->dilation[0] * p->xs[1];
    t.sh = (size_t)g->dilation[1] * p->xs[2];
    t.sw = (size_t)g->dilation[2] * p->xs[3];
    return t;
}

void cw_pool_row_max(const cw_pool_plan *p, size_t r) {
    const cw_pool_geom *g = p->g;
    const row_taps t = row_taps_of(p, r);
    const int C = p->C, nd = t.td.count, nh = t.th.count;
    float *yrow = p->y + r * p->y_row;
    for (int ow = 0; ow < g->out[2]; ow++) {
        const axis_taps tw = taps_of(g, 2, ow);
        const int nw = nd > 0 && nh > 0 ? tw.count : 0;
        const float *xw = p->x + t.base + (nw > 0 ? (size_t)tw.start * p->xs[3] : 0);
        float *yo = yrow + (size_t)ow * (size_t)C;
        int c = 0;
        for (; c + CW_VEC_LANES <= C; c += CW_VEC_LANES) {
            cw_v4f m = cw_v4f_splat(-INFINITY);
            for (int kd = 0; kd < nd; kd++) {
                for (int kh = 0; kh < nh; kh++) {
                    const float *xp = xw + (size_t)kd * t.sd + (size_t)kh * t.sh + c;
                    /* max(v, m) is v > m ? v : m: a NaN v never wins */
                    for (int kw = 0; kw < nw; kw++) m = cw_v4f_max(cw_v4f_load(xp + kw * t.sw), m);
                }
            }
            cw_v4f_store(yo + c, m);
        }
        for (; c < C; c++) {
            float m = -INFINITY;
            for (int kd = 0; kd < nd; kd++) {
                for (int kh = 0; kh < nh; kh++) {
                    const float *xp = xw + (size_t)kd * t.sd + (size_t)kh * t.sh + c;
                    for (int kw = 0; kw < nw; kw++) {
                        const float v = xp[kw * t.sw];
                        m = v > m ? v : m;
                    }
                }
            }
            yo[c] = m;
        }
    }
}

void cw_pool_row_avg(const cw_pool_plan *p, size_t r) {
    const cw_pool_geom *g = p->g;
    const row_taps t = row_taps_of(p, r);
    const int C = p->C, nd = t.td.count, nh = t.th.count;
    float *yrow = p->y + r * p->y_row;
    for (int ow = 0; ow < g->out[2]; ow++) {
        const axis_taps tw = taps_of(g, 2, ow);
        const int nw = nd > 0 && nh > 0 ? tw.count : 0;
        const float *xw = p->x + t.base + (nw > 0 ? (size_t)tw.start * p->xs[3] : 0);
        float *yo = yrow + (size_t)ow * (size_t)C;
        const int count = nd * nh * nw;
        const float div = (float)(count == 0 && p->empty_zero ? 1 : count);
        const cw_v4f vdiv = cw_v4f_splat(div);
        int c = 0;
        for (; c + CW_VEC_LANES <= C; c += CW_VEC_LANES) {
            cw_v4f s = cw_v4f_zero();
            for (int kd = 0; kd < nd; kd++) {
                for (int kh = 0; kh < nh; kh++) {
                    const float *xp = xw + (size_t)kd * t.sd + (size_t)kh * t.sh + c;
                    for (int kw = 0; kw < nw; kw++) s = cw_v4f_add(s, cw_v4f_load(xp + kw * t.sw));
                }
            }
            cw_v4f_store(yo + c, cw_v4f_div(s, vdiv));
        }
        for (; c < C; c++) {
            float s = 0.0f;
            for (int kd = 0; kd < nd; kd++) {
                for (int kh = 0; kh < nh; kh++) {
                    const float *xp = xw + (size_t)kd * t.sd + (size_t)kh * t.sh + c;
                    for (int kw = 0; kw < nw; kw++) s += xp[kw * t.sw];
                }
            }
            yo[c] = s / div;
        }
    }
}

/* The index `mode` asks for, of the maximum of channel c found at window
 * position pos = wy * eff_w + wx (pos < 0: none found). */
static inline int32_t index_of(const cw_pool_plan *p, int b, int corner_h, int corner_w, int c,
                               int pos) {
    if (pos < 0) return -1;
    if (p->mode == CW_POOL_INDEX_WINDOW) return pos;
    const cw_pool_geom *g = p->g;
    const int64_t iy = corner_h + pos / p->eff[2], ix = corner_w + pos % p->eff[2];
    int64_t i = iy;
    if (p->mode == CW_POOL_INDEX_FLAT_BATCH) i += (int64_t)b * g->in[1];
    return (int32_t)((i * g->in[2] + ix) * p->C + c);
}

/* 2-D only (depth 1). Window positions are tracked as floats: exact, since the
 * entry point bounds eff_h * eff_w by 2^24. */
void cw_pool_row_argmax(const cw_pool_plan *p, size_t r) {
    const cw_pool_geom *g = p->g;
    const row_taps t = row_taps_of(p, r);
    const int C = p->C, nh = t.th.count, eff_w = p->eff[2];
    const int wy0 = t.th.k0 * g->dilation[1], dwy = g->dilation[1];
    float *yrow = p->y ? p->y + r * p->y_row : NULL;
    int32_t *irow = p->idx + r * p->y_row;
    for (int ow = 0; ow < g->out[2]; ow++) {
        const axis_taps tw = taps_of(g, 2, ow);
        const int nw = nh > 0 ? tw.count : 0;
        const int wx0 = tw.k0 * g->dilation[2], dwx = g->dilation[2];
        const float *xw = p->x + t.base + (nw > 0 ? (size_t)tw.start * p->xs[3] : 0);
        const size_t o = (size_t)ow * (size_t)C;
        int c = 0;
        for (; c + CW_VEC_LANES <= C; c += CW_VEC_LANES) {
            cw_v4f m = cw_v4f_splat(-INFINITY), at = cw_v4f_splat(-1.0f);
            for (int kh = 0; kh < nh; kh++) {
                const float *xp = xw + (size_t)kh * t.sh + c;
                const int row_pos = (wy0 + kh * dwy) * eff_w + wx0;
                for (int kw = 0; kw < nw; kw++) {
                    const cw_v4f v = cw_v4f_load(xp + kw * t.sw);
                    const cw_v4m gt = cw_v4f_gt(v, m); /* strict: the first maximum stays */
                    m = cw_v4f_select(gt, v, m);
                    at = cw_v4f_select(gt, cw_v4f_splat((float)(row_pos + kw * dwx)), at);
                }
            }
            float pos[CW_VEC_LANES];
            cw_v4f_store(pos, at);
            if (yrow) cw_v4f_store(yrow + o + c, m);
            for (int l = 0; l < CW_VEC_LANES; l++)
                irow[o + c + l] = index_of(p, t.b, t.th.corner, tw.corner, c + l, (int)pos[l]);
        }
        for (; c < C; c++) {
            float m = -INFINITY;
            int at = -1;
            for (int kh = 0; kh < nh; kh++) {
                const float *xp = xw + (size_t)kh * t.sh + c;
                const int row_pos = (wy0 + kh * dwy) * eff_w + wx0;
                for (int kw = 0; kw < nw; kw++) {
                    const float v = xp[kw * t.sw];
                    if (v > m) {
                        m = v;
                        at = row_pos + kw * dwx;
                    }
                }
            }
            if (yrow) yrow[o + c] = m;
            irow[o + c] = index_of(p, t.b, t.th.corner, tw.corner, c, at);
        }
    }
}
