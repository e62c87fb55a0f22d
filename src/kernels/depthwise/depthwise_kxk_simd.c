/* KxK depthwise fast paths (K = 3 or 5, multiplier 1, dilation 1, stride
 * 1 or 2) over the packed filter (cw_dw_pack).
 *
 * A row's interior pixels (every kx tap inside the image) run pixel group
 * by pixel group, P pixels at a time, channels inner: per channel block the
 * packed taps are read at constant offsets from one pointer (one L1 line per
 * tap), each tap vector feeds P accumulators, and input loads walk the NHWC
 * row contiguously (the channel-outer walk this replaces touched a new input
 * line per load and measured slower on every centernet shape). Rows that
 * miss top or bottom taps use the same loop over the valid ky only, and the
 * left / right border pixels the same loop over their valid kx, one at a
 * time. The sum order is the general path's (ky, then kx, ascending from
 * zero, bias after), so every path gives the same bits. */
#include "kernels/depthwise/depthwise_ukernel.h"

/* K, S and P must be constants in the loops below (unrolled taps, the
 * accumulators in registers): force the inlining clang otherwise skips. */
#if defined(__GNUC__) || defined(__clang__)
#define DW_INLINE static inline __attribute__((always_inline))
#else
#define DW_INLINE static inline
#endif

/* P pixels over nky valid rows from filter row ky0 and nkx valid columns from
 * filter column kx0; the first valid tap of pixel q is at input xg + q * S * C,
 * its output at yg + q * C. Interior pixels pass kx0 = 0, nkx = K. */
DW_INLINE void group(const cw_dw_plan *p, const float *xg, int ky0, int nky, int kx0, int nkx,
                     float *yg, const int K, const int S, const int P) {
    const size_t C = (size_t)p->C, rs = p->x_row;
    const int Cv = p->C & ~(CW_VEC_LANES - 1);
    const size_t bs = (size_t)(K * K + 1) * CW_VEC_LANES; /* packed floats per block */
    const int has_bias = p->bias != NULL;
    const cw_gemm_clamp clamp = p->clamp;
    const float *filter = p->g->filter;
    const float *wb = p->packed;
    for (int c = 0; c < Cv; c += CW_VEC_LANES, wb += bs) {
        cw_v4f acc[4]; /* P <= 4 */
        for (int q = 0; q < P; q++) acc[q] = cw_v4f_zero();
        const float *xr = xg + c;
        const float *wr = wb + ((size_t)ky0 * (size_t)K + (size_t)kx0) * CW_VEC_LANES;
        for (int ky = 0; ky < nky; ky++, xr += rs, wr += K * CW_VEC_LANES) {
            for (int kx = 0; kx < nkx; kx++) {
                const cw_v4f w = cw_v4f_load(wr + kx * CW_VEC_LANES);
                for (int q = 0; q < P; q++)
                    acc[q] = cw_v4f_madd(acc[q], cw_v4f_load(xr + (size_t)(q * S + kx) * C), w);
            }
        }
        const cw_v4f bias =
            has_bias ? cw_v4f_load(wb + (size_t)K * K * CW_VEC_LANES) : cw_v4f_zero();
        for (int q = 0; q < P; q++) {
            cw_v4f a = acc[q];
            if (has_bias) a = cw_v4f_add(a, bias);
            cw_v4f_store(yg + (size_t)q * C + c, cw_f32_clamp4(a, clamp));
        }
    }
    for (int c = Cv; c < p->C; c++) {
        for (int q = 0; q < P; q++) {
            const float *xr = xg + (size_t)q * (size_t)S * C + c;
            const float *wr = filter + ((size_t)ky0 * (size_t)K + (size_t)kx0) * C + c;
            float acc = 0.0f;
            for (int ky = 0; ky < nky; ky++, xr += rs, wr += (size_t)K * C)
                for (int kx = 0; kx < nkx; kx++) acc += xr[(size_t)kx * C] * wr[(size_t)kx * C];
            yg[(size_t)q * C + c] = cw_dw_finish1(p, acc, c);
        }
    }
}

/* n interior pixels from input x0 / output y0, P at a time, then one by one. */
DW_INLINE void interior(const cw_dw_plan *p, const float *x0, int ky0, int nky, int n, float *y0,
                        const int K, const int S, const int P) {
    const size_t C = (size_t)p->C;
    int i = 0;
    for (; i + P <= n; i += P)
        group(p, x0 + (size_t)i * (size_t)S * C, ky0, nky, 0, K, y0 + (size_t)i * C, K, S, P);
    for (; i < n; i++)
        group(p, x0 + (size_t)i * (size_t)S * C, ky0, nky, 0, K, y0 + (size_t)i * C, K, S, 1);
}

DW_INLINE void row_kxk(const cw_dw_plan *p, int b, int oy, const int K, const int S, const int P) {
    const cw_depthwise_args *g = p->g;
    const int W = g->in_w, OW = g->out_w, C = p->C, pl = g->pad_left;
    const int iy0 = oy * S - g->pad_top;
    int ky0, ky1;
    cw_dw_taps(iy0, K, 1, g->in_h, &ky0, &ky1);
    if (ky0 >= ky1) {
        cw_dw_row_general(p, b, oy);
        return;
    }
    const float *xb = g->x + (size_t)b * p->x_image;
    const float *xrow = xb + (size_t)(iy0 + ky0) * p->x_row;
    float *yrow = g->y + ((size_t)b * (size_t)g->out_h + (size_t)oy) * p->y_row;
    /* interior: ox*S - pl >= 0 and ox*S - pl + K - 1 <= W - 1 */
    int lo = (pl + S - 1) / S, hi = W - K + pl < 0 ? 0 : (W - K + pl) / S + 1;
    if (lo > OW) lo = OW;
    if (hi > OW) hi = OW;
    if (hi < lo) hi = lo;

    for (int ox = 0; ox < OW; ox++) {
        if (ox == lo) ox = hi; /* the interior is done below */
        if (ox >= OW) break;
        const int ix0 = ox * S - pl;
        int kx0, kx1;
        cw_dw_taps(ix0, K, 1, W, &kx0, &kx1);
        const float *xg = kx1 > kx0 ? xrow + (size_t)(ix0 + kx0) * (size_t)C : xrow;
        group(p, xg, ky0, ky1 - ky0, kx0, kx1 - kx0, yrow + (size_t)ox * (size_t)C, K, S, 1);
    }
    if (lo == hi) return;
    const float *x0 = xrow + (size_t)(lo * S - pl) * (size_t)C;
    interior(p, x0, ky0, ky1 - ky0, hi - lo, yrow + (size_t)lo * (size_t)C, K, S, P);
}

void cw_dw_row_3x3s1(const cw_dw_plan *p, int b, int oy) { row_kxk(p, b, oy, 3, 1, 4); }
void cw_dw_row_3x3s2(const cw_dw_plan *p, int b, int oy) { row_kxk(p, b, oy, 3, 2, 2); }
void cw_dw_row_5x5s1(const cw_dw_plan *p, int b, int oy) { row_kxk(p, b, oy, 5, 1, 4); }
void cw_dw_row_5x5s2(const cw_dw_plan *p, int b, int oy) { row_kxk(p, b, oy, 5, 2, 2); }
