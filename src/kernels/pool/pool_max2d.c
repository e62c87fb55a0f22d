/* cw_pool_row_max2d: MaxPool rows of a 2-D geometry with dilation 1.
 *
 * Window bounds come from clamps, not divisions; the interior pixels (every
 * width tap inside the image) run without bounds checks, two pixels per step
 * so two independent max chains per channel block are in flight, with the
 * 2x2 stride 2, 3x3 stride 1 and 3x3 stride 2 windows unrolled. Every output
 * is max(x, m) over its taps in window order from m = -inf, exactly as
 * cw_pool_row_max does it (NaN never wins; ties keep the first). */
#include <math.h>

#include "kernels/pool/pool_ukernel.h"
#include "simd/vec.h"

#if defined(__GNUC__) || defined(__clang__)
#define POOL_INLINE static inline __attribute__((always_inline))
#else
#define POOL_INLINE static inline
#endif

/* P output pixels whose windows (nh rows from xg, nw columns) are all inside
 * the image; pixel q starts at xg + q * xs. */
POOL_INLINE void max_group(const float *xg, size_t xs, size_t rs, int nh, int nw, int C, float *yg,
                           const int P) {
    const size_t cs = (size_t)C;
    int c = 0;
    for (; c + CW_VEC_LANES <= C; c += CW_VEC_LANES) {
        cw_v4f m[2];
        for (int q = 0; q < P; q++) m[q] = cw_v4f_splat(-INFINITY);
        const float *xr = xg + c;
        for (int kh = 0; kh < nh; kh++, xr += rs)
            for (int kw = 0; kw < nw; kw++)
                for (int q = 0; q < P; q++)
                    m[q] = cw_v4f_max(cw_v4f_load(xr + (size_t)q * xs + (size_t)kw * cs), m[q]);
        for (int q = 0; q < P; q++) cw_v4f_store(yg + (size_t)q * cs + c, m[q]);
    }
    for (; c < C; c++) {
        for (int q = 0; q < P; q++) {
            const float *xr = xg + (size_t)q * xs + c;
            float m = -INFINITY;
            for (int kh = 0; kh < nh; kh++, xr += rs)
                for (int kw = 0; kw < nw; kw++) {
                    const float v = xr[(size_t)kw * cs];
                    m = v > m ? v : m;
                }
            yg[(size_t)q * cs + c] = m;
        }
    }
}

/* n interior pixels from x0 / y0, window fw wide, stride sw (pass constants
 * to unroll). */
POOL_INLINE void max_interior(const float *x0, size_t rs, int nh, int fw, int sw, int C, int n,
                              float *y0) {
    const size_t xs = (size_t)sw * (size_t)C, cs = (size_t)C;
    int i = 0;
    for (; i + 2 <= n; i += 2) max_group(x0 + (size_t)i * xs, xs, rs, nh, fw, C, y0 + i * cs, 2);
    for (; i < n; i++) max_group(x0 + (size_t)i * xs, xs, rs, nh, fw, C, y0 + i * cs, 1);
}

/* [k0, k1): the taps of a window of f starting at corner that fall in [0, n). */
static inline void clamp_taps(int corner, int f, int n, int *k0, int *k1) {
    *k0 = corner < 0 ? -corner : 0;
    *k1 = n - corner < f ? n - corner : f;
    if (*k0 > f) *k0 = f;
    if (*k1 < *k0) *k1 = *k0;
}

void cw_pool_row_max2d(const cw_pool_plan *p, size_t r) {
    const cw_pool_geom *g = p->g;
    const int C = p->C, OW = g->out[2], W = g->in[2];
    const int fh = g->filter[1], fw = g->filter[2], sw = g->stride[2], pl = g->pad_before[2];
    const int oh = (int)(r % (size_t)g->out[1]), b = (int)(r / (size_t)g->out[1]);
    const int ch = oh * g->stride[1] - g->pad_before[1];
    int kh0, kh1;
    clamp_taps(ch, fh, g->in[1], &kh0, &kh1);
    const int nh = kh1 - kh0;
    const size_t rs = p->xs[2], cs = (size_t)C;
    const float *xr = p->x + (size_t)b * p->xs[0] + (nh > 0 ? (size_t)(ch + kh0) * rs : 0);
    float *yrow = p->y + r * p->y_row;
    /* interior: ow * sw - pl >= 0 and ow * sw - pl + fw <= W */
    int lo = (pl + sw - 1) / sw, hi = W - fw + pl < 0 ? 0 : (W - fw + pl) / sw + 1;
    if (lo > OW) lo = OW;
    if (hi > OW) hi = OW;
    if (hi < lo || nh == 0) hi = lo;
    for (int ow = 0; ow < OW; ow++) {
        if (ow == lo) ow = hi; /* the interior is done below */
        if (ow >= OW) break;
        const int cw = ow * sw - pl;
        int kw0, kw1;
        clamp_taps(cw, fw, W, &kw0, &kw1);
        const int nw = nh > 0 ? kw1 - kw0 : 0;
        max_group(xr + (nw > 0 ? (size_t)(cw + kw0) * cs : 0), 0, rs, nh, nw, C,
                  yrow + (size_t)ow * cs, 1);
    }
    if (lo == hi) return;
    const float *x0 = xr + (size_t)(lo * sw - pl) * cs;
    float *y0 = yrow + (size_t)lo * cs;
    const int n = hi - lo;
    if (fw == 2 && sw == 2 && nh == 2)
        max_interior(x0, rs, 2, 2, 2, C, n, y0);
    else if (fw == 3 && sw == 1 && nh == 3)
        max_interior(x0, rs, 3, 3, 1, C, n, y0);
    else if (fw == 3 && sw == 2 && nh == 3)
        max_interior(x0, rs, 3, 3, 2, C, n, y0);
    else
        max_interior(x0, rs, nh, fw, sw, C, n, y0);
}
