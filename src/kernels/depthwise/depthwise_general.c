/* The general depthwise path: any window, stride, dilation and multiplier.
 * Vectorised over 4 output channels; channels past the last full vector are
 * done one at a time in the same tap order. */
#include <stdint.h>

#include "kernels/depthwise/depthwise_ukernel.h"

void cw_dw_taps(int i0, int k, int d, int n, int *k0, int *k1) {
    int64_t lo = 0, hi;
    if (i0 < 0) lo = (-(int64_t)i0 + d - 1) / d;
    if ((int64_t)n - 1 - i0 < 0)
        hi = 0;
    else
        hi = ((int64_t)n - 1 - i0) / d + 1;
    if (hi > k) hi = k;
    if (lo > k) lo = k;
    if (hi < lo) hi = lo;
    *k0 = (int)lo;
    *k1 = (int)hi;
}

/* Output channels [oc0, oc1) one at a time (M: the multiplier, a constant
 * 1 from pixel_m1 so its division folds away). */
static inline void pixel_tail(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1,
                              int ix0, int kx0, int kx1, float *y, int oc0, int oc1, const int M) {
    const cw_depthwise_args *g = p->g;
    const size_t C = (size_t)p->C, OC = C * (size_t)M, fw = (size_t)g->filter_w;
    const int dh = g->dilation_h, dw = g->dilation_w;
    for (int oc = oc0; oc < oc1; oc++) {
        const int c = oc / M;
        float acc = 0.0f;
        for (int ky = ky0; ky < ky1; ky++) {
            const float *xr = xb + (size_t)(iy0 + ky * dh) * p->x_row + c;
            const float *wr = g->filter + (size_t)ky * fw * OC + oc;
            for (int kx = kx0; kx < kx1; kx++)
                acc += xr[(size_t)(ix0 + kx * dw) * C] * wr[(size_t)kx * OC];
        }
        y[oc] = cw_dw_finish1(p, acc, oc);
    }
}

/* Multiplier 1: input channel = output channel, both contiguous. */
static void pixel_m1(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1, int ix0,
                     int kx0, int kx1, float *y, int oc0, int oc1) {
    const cw_depthwise_args *g = p->g;
    const size_t C = (size_t)p->C, fw = (size_t)g->filter_w;
    const int dh = g->dilation_h, dw = g->dilation_w;
    int oc = oc0;
    for (; oc + 4 <= oc1; oc += 4) {
        cw_v4f acc = cw_v4f_zero();
        for (int ky = ky0; ky < ky1; ky++) {
            const float *xr = xb + (size_t)(iy0 + ky * dh) * p->x_row + oc;
            const float *wr = g->filter + (size_t)ky * fw * C + oc;
            for (int kx = kx0; kx < kx1; kx++)
                acc = cw_v4f_madd(acc, cw_v4f_load(xr + (size_t)(ix0 + kx * dw) * C),
                                  cw_v4f_load(wr + (size_t)kx * C));
        }
        cw_v4f_store(y + oc, cw_dw_finish4(p, acc, oc));
    }
    pixel_tail(p, xb, iy0, ky0, ky1, ix0, kx0, kx1, y, oc, oc1, 1);
}

/* Multiplier > 1: filter rows are contiguous over output channels; the input
 * lanes of a vector are gathered (output channel oc reads channel oc / M). */
static void pixel_mn(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1, int ix0,
                     int kx0, int kx1, float *y, int oc0, int oc1) {
    const cw_depthwise_args *g = p->g;
    const size_t C = (size_t)p->C, OC = (size_t)p->OC, fw = (size_t)g->filter_w;
    const int dh = g->dilation_h, dw = g->dilation_w, M = p->M;
    int oc = oc0;
    for (; oc + 4 <= oc1; oc += 4) {
        const int c0 = oc / M, c1 = (oc + 1) / M, c2 = (oc + 2) / M, c3 = (oc + 3) / M;
        cw_v4f acc = cw_v4f_zero();
        for (int ky = ky0; ky < ky1; ky++) {
            const float *xr = xb + (size_t)(iy0 + ky * dh) * p->x_row;
            const float *wr = g->filter + (size_t)ky * fw * OC + oc;
            for (int kx = kx0; kx < kx1; kx++) {
                const float *xp = xr + (size_t)(ix0 + kx * dw) * C;
                const float lanes[4] = {xp[c0], xp[c1], xp[c2], xp[c3]};
                acc = cw_v4f_madd(acc, cw_v4f_load(lanes), cw_v4f_load(wr + (size_t)kx * OC));
            }
        }
        cw_v4f_store(y + oc, cw_dw_finish4(p, acc, oc));
    }
    pixel_tail(p, xb, iy0, ky0, ky1, ix0, kx0, kx1, y, oc, oc1, M);
}

void cw_dw_pixel(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1, int ix0, int kx0,
                 int kx1, float *y, int oc0, int oc1) {
    if (p->M == 1)
        pixel_m1(p, xb, iy0, ky0, ky1, ix0, kx0, kx1, y, oc0, oc1);
    else
        pixel_mn(p, xb, iy0, ky0, ky1, ix0, kx0, kx1, y, oc0, oc1);
}

/* Multiplier 1, output pixels [lo, hi) whose kx taps all lie inside the
 * image: channel blocks outer, so a block's filter taps stay in L1 while the
 * row is walked. Same sum order as pixel_m1. */
static void interior_m1(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1, int lo,
                        int hi, float *yrow) {
    const cw_depthwise_args *g = p->g;
    const size_t C = (size_t)p->C, fw = (size_t)g->filter_w;
    const size_t xstep = (size_t)g->dilation_w * C;
    const int dh = g->dilation_h, sw = g->stride_w, pl = g->pad_left;
    int c = 0;
    for (; c + 4 <= p->C; c += 4) {
        const int has_bias = p->bias != NULL;
        const cw_v4f bias = has_bias ? cw_dw_bias4(p, c) : cw_v4f_zero();
        for (int ox = lo; ox < hi; ox++) {
            const size_t ix0 = (size_t)(ox * sw - pl);
            cw_v4f acc = cw_v4f_zero();
            for (int ky = ky0; ky < ky1; ky++) {
                const float *xr = xb + (size_t)(iy0 + ky * dh) * p->x_row + ix0 * C + c;
                const float *wr = g->filter + (size_t)ky * fw * C + c;
                for (size_t kx = 0; kx < fw; kx++)
                    acc = cw_v4f_madd(acc, cw_v4f_load(xr + kx * xstep), cw_v4f_load(wr + kx * C));
            }
            if (has_bias) acc = cw_v4f_add(acc, bias);
            cw_v4f_store(yrow + (size_t)ox * C + c, cw_dw_clamp4(p, acc));
        }
    }
    if (c < p->C) {
        for (int ox = lo; ox < hi; ox++)
            pixel_m1(p, xb, iy0, ky0, ky1, ox * sw - pl, 0, g->filter_w, yrow + (size_t)ox * C, c,
                     p->C);
    }
}

void cw_dw_row_general(const cw_dw_plan *p, int b, int oy) {
    const cw_depthwise_args *g = p->g;
    const int iy0 = oy * g->stride_h - g->pad_top;
    int ky0, ky1;
    cw_dw_taps(iy0, g->filter_h, g->dilation_h, g->in_h, &ky0, &ky1);
    const float *xb = g->x + (size_t)b * p->x_image;
    float *yrow = g->y + ((size_t)b * (size_t)g->out_h + (size_t)oy) * p->y_row;
    /* interior pixels (multiplier 1): ix0 >= 0 and ix0 + (fw-1)*dw <= W-1 */
    int lo = 0, hi = 0;
    if (p->M == 1 && ky0 < ky1) {
        const int sw = g->stride_w, pl = g->pad_left;
        const int64_t last = (int64_t)g->in_w - 1 - (int64_t)(g->filter_w - 1) * g->dilation_w + pl;
        lo = (pl + sw - 1) / sw;
        hi = last < 0 ? 0 : (int)(last / sw + 1 < g->out_w ? last / sw + 1 : g->out_w);
        if (lo > g->out_w) lo = g->out_w;
        if (hi < lo) hi = lo;
    }
    for (int ox = 0; ox < g->out_w; ox++) {
        if (ox == lo) ox = hi; /* the interior is done below */
        if (ox >= g->out_w) break;
        const int ix0 = ox * g->stride_w - g->pad_left;
        int kx0, kx1;
        cw_dw_taps(ix0, g->filter_w, g->dilation_w, g->in_w, &kx0, &kx1);
        cw_dw_pixel(p, xb, iy0, ky0, ky1, ix0, kx0, kx1, yrow + (size_t)ox * (size_t)p->OC, 0,
                    p->OC);
    }
    if (lo < hi) interior_m1(p, xb, iy0, ky0, ky1, lo, hi, yrow);
}
