/* 3x3 depthwise fast paths (multiplier 1, dilation 1, stride 1 or 2).
 *
 * For a row whose three input rows all exist, interior pixels (all nine taps
 * inside the image) run channel block by channel block with the block's nine
 * filter vectors in registers, walking the output row. The sum order is the
 * general path's (ky, then kx, ascending from zero), so both paths give the
 * same bits; border pixels and rows simply go through cw_dw_pixel. */
#include "kernels/depthwise/depthwise_ukernel.h"

static inline void row_3x3(const cw_dw_plan *p, int b, int oy, const int S) {
    const cw_depthwise_args *g = p->g;
    const int W = g->in_w, OW = g->out_w, C = p->C, pl = g->pad_left;
    const int iy0 = oy * S - g->pad_top;
    if (iy0 < 0 || iy0 + 2 >= g->in_h) {
        cw_dw_row_general(p, b, oy);
        return;
    }
    const float *xb = g->x + (size_t)b * p->x_image;
    float *yrow = g->y + ((size_t)b * (size_t)g->out_h + (size_t)oy) * p->y_row;
    /* interior: ox*S - pl >= 0 and ox*S - pl + 2 <= W - 1 */
    int lo = (pl + S - 1) / S, hi = W - 3 + pl < 0 ? 0 : (W - 3 + pl) / S + 1;
    if (lo > OW) lo = OW;
    if (hi > OW) hi = OW;
    if (hi < lo) hi = lo;

    for (int ox = 0; ox < OW; ox++) {
        if (ox == lo) ox = hi; /* the interior is done below */
        if (ox >= OW) break;
        const int ix0 = ox * S - pl;
        int kx0, kx1;
        cw_dw_taps(ix0, 3, 1, W, &kx0, &kx1);
        cw_dw_pixel(p, xb, iy0, 0, 3, ix0, kx0, kx1, yrow + (size_t)ox * C, 0, C);
    }
    if (lo == hi) return;

    const size_t cs = (size_t)C, rs = p->x_row;
    const float *r0 = xb + (size_t)iy0 * rs + (size_t)(lo * S - pl) * cs;
    const float *r1 = r0 + rs, *r2 = r1 + rs;
    float *y0 = yrow + (size_t)lo * cs;
    const int n = hi - lo;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
        const float *w = g->filter + c;
        const cw_v4f w00 = cw_v4f_load(w), w01 = cw_v4f_load(w + cs), w02 = cw_v4f_load(w + 2 * cs);
        const cw_v4f w10 = cw_v4f_load(w + 3 * cs), w11 = cw_v4f_load(w + 4 * cs),
                     w12 = cw_v4f_load(w + 5 * cs);
        const cw_v4f w20 = cw_v4f_load(w + 6 * cs), w21 = cw_v4f_load(w + 7 * cs),
                     w22 = cw_v4f_load(w + 8 * cs);
        const int has_bias = p->bias != NULL;
        const cw_v4f bias = has_bias ? cw_dw_bias4(p, c) : cw_v4f_zero();
        const float *a = r0 + c, *m = r1 + c, *z = r2 + c;
        float *out = y0 + c;
        for (int i = 0; i < n; i++) {
            cw_v4f acc = cw_v4f_zero();
            acc = cw_v4f_madd(acc, cw_v4f_load(a), w00);
            acc = cw_v4f_madd(acc, cw_v4f_load(a + cs), w01);
            acc = cw_v4f_madd(acc, cw_v4f_load(a + 2 * cs), w02);
            acc = cw_v4f_madd(acc, cw_v4f_load(m), w10);
            acc = cw_v4f_madd(acc, cw_v4f_load(m + cs), w11);
            acc = cw_v4f_madd(acc, cw_v4f_load(m + 2 * cs), w12);
            acc = cw_v4f_madd(acc, cw_v4f_load(z), w20);
            acc = cw_v4f_madd(acc, cw_v4f_load(z + cs), w21);
            acc = cw_v4f_madd(acc, cw_v4f_load(z + 2 * cs), w22);
            if (has_bias) acc = cw_v4f_add(acc, bias);
            cw_v4f_store(out, cw_dw_clamp4(p, acc));
            a += S * cs, m += S * cs, z += S * cs, out += cs;
        }
    }
    if (c < C) {
        for (int ox = lo; ox < hi; ox++)
            cw_dw_pixel(p, xb, iy0, 0, 3, ox * S - pl, 0, 3, yrow + (size_t)ox * cs, c, C);
    }
}

void cw_dw_row_3x3s1(const cw_dw_plan *p, int b, int oy) { row_3x3(p, b, oy, 1); }

void cw_dw_row_3x3s2(const cw_dw_plan *p, int b, int oy) { row_3x3(p, b, oy, 2); }
