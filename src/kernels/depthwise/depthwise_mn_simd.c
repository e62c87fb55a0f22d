/* Depthwise rows with a channel multiplier M > 1, any window, stride and
 * dilation.
 *
 * Output channel c * M + m reads input channel c: a vector takes four input
 * channels (one contiguous load) and feeds up to four accumulators, one per
 * m, against the packed taps [cb][t][m] (contiguous, constant offsets), so
 * nothing is gathered; the results go to output channels with stride M.
 * Input channels past the last full vector are done one at a time. Every sum
 * runs ky, then kx, ascending from zero, bias after, as on the other paths. */
#include "kernels/depthwise/depthwise_ukernel.h"

#if defined(__GNUC__) || defined(__clang__)
#define DW_INLINE static inline __attribute__((always_inline))
#else
#define DW_INLINE static inline
#endif

/* The taps of one pixel: input of tap (ky, kx) at x + ky * rstep + kx * xstep
 * (ky, kx counted from the first valid tap), packed tap at
 * (t0 + ky * fw + kx) * M vectors. */
typedef struct {
    const float *x;
    size_t rstep, xstep;
    int nky, nkx, fw, t0;
} mn_taps;

/* Multipliers [m0, m0 + mc) of input channels [c, c + 4), mc <= 4 (pass a
 * constant to unroll). */
DW_INLINE void mn_block(const cw_dw_plan *p, const mn_taps *tp, const float *wb, size_t T, int c,
                        int m0, float *yp, const int mc) {
    const int M = p->M;
    const size_t wm = (size_t)M * CW_VEC_LANES; /* packed floats per tap */
    cw_v4f acc[4];
    for (int q = 0; q < mc; q++) acc[q] = cw_v4f_zero();
    const float *xr = tp->x + c;
    const float *wr = wb + (size_t)tp->t0 * wm + (size_t)m0 * CW_VEC_LANES;
    for (int ky = 0; ky < tp->nky; ky++, xr += tp->rstep, wr += (size_t)tp->fw * wm) {
        const float *xk = xr, *wk = wr;
        for (int kx = 0; kx < tp->nkx; kx++, xk += tp->xstep, wk += wm) {
            const cw_v4f xv = cw_v4f_load(xk);
            for (int q = 0; q < mc; q++)
                acc[q] = cw_v4f_madd(acc[q], xv, cw_v4f_load(wk + q * CW_VEC_LANES));
        }
    }
    const float *bias = wb + T * wm + (size_t)m0 * CW_VEC_LANES;
    for (int q = 0; q < mc; q++) {
        cw_v4f a = acc[q];
        if (p->bias) a = cw_v4f_add(a, cw_v4f_load(bias + q * CW_VEC_LANES));
        float out[CW_VEC_LANES];
        cw_v4f_store(out, cw_dw_clamp4(p, a));
        for (int l = 0; l < CW_VEC_LANES; l++)
            yp[(size_t)(c + l) * (size_t)M + (size_t)(m0 + q)] = out[l];
    }
}

void cw_dw_row_mn(const cw_dw_plan *p, int b, int oy) {
    const cw_depthwise_args *g = p->g;
    const int C = p->C, M = p->M, fw = g->filter_w, dh = g->dilation_h, dw = g->dilation_w;
    const size_t cs = (size_t)C, OC = (size_t)p->OC;
    const size_t T = (size_t)g->filter_h * (size_t)fw, bs = (T + 1) * (size_t)M * CW_VEC_LANES;
    const int Cv = C & ~(CW_VEC_LANES - 1);
    const int iy0 = oy * g->stride_h - g->pad_top;
    int ky0, ky1;
    cw_dw_taps(iy0, g->filter_h, dh, g->in_h, &ky0, &ky1);
    const float *xb = g->x + (size_t)b * p->x_image;
    float *yrow = g->y + ((size_t)b * (size_t)g->out_h + (size_t)oy) * p->y_row;
    mn_taps tp;
    tp.rstep = (size_t)dh * p->x_row, tp.xstep = (size_t)dw * cs, tp.fw = fw;
    for (int ox = 0; ox < g->out_w; ox++) {
        const int ix0 = ox * g->stride_w - g->pad_left;
        int kx0, kx1;
        cw_dw_taps(ix0, fw, dw, g->in_w, &kx0, &kx1);
        float *yp = yrow + (size_t)ox * OC;
        tp.x = xb;
        tp.nky = ky1 - ky0, tp.nkx = kx1 - kx0, tp.t0 = ky0 * fw + kx0;
        if (tp.nky > 0 && tp.nkx > 0)
            tp.x += (size_t)(iy0 + ky0 * dh) * p->x_row + (size_t)(ix0 + kx0 * dw) * cs;
        else
            tp.nky = tp.nkx = 0;
        const float *wb = p->packed;
        for (int c = 0; c < Cv; c += CW_VEC_LANES, wb += bs) {
            if (M == 2) {
                mn_block(p, &tp, wb, T, c, 0, yp, 2);
            } else if (M == 3) {
                mn_block(p, &tp, wb, T, c, 0, yp, 3);
            } else {
                int m = 0;
                for (; m + 4 <= M; m += 4) mn_block(p, &tp, wb, T, c, m, yp, 4);
                for (; m < M; m++) mn_block(p, &tp, wb, T, c, m, yp, 1);
            }
        }
        for (int c = Cv; c < C; c++) {
            for (int m = 0; m < M; m++) {
                const size_t oc = (size_t)c * (size_t)M + (size_t)m;
                float acc = 0.0f;
                const float *xr = tp.x + c;
                for (int ky = 0; ky < tp.nky; ky++, xr += tp.rstep) {
                    const float *wr = g->filter + (size_t)(tp.t0 + ky * fw) * OC + oc;
                    const float *xk = xr;
                    for (int kx = 0; kx < tp.nkx; kx++, xk += tp.xstep)
                        acc += *xk * wr[(size_t)kx * OC];
                }
                yp[oc] = cw_dw_finish1(p, acc, (int)oc);
            }
        }
    }
}
