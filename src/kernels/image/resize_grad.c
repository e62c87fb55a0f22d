/* ResizeBilinearGrad and ResizeNearestNeighborGrad: one task per dx row
 * gathers, in the order tfjs-backend-cpu's scatter visits them, every dy
 * element that the forward resize drew from that row. */
#include "kernels/image/image.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

typedef struct {
    const float *dy;
    float *dx;
    int in_h, in_w, channels, out_h, out_w;
    /* bilinear: the two source taps of each dy row / column;
     * nearest: the dy range [lo, hi) of each dx row / column */
    const int32_t *row_lo, *row_hi, *col_lo, *col_hi;
    const double *row_frac, *col_frac; /* bilinear only: weight of the hi tap */
} grad_ctx;

/* The source taps of dy index i: cpu's grad rule (i * ratio, no clamp of the
 * floor) without half-pixel centres, the forward's rule with them. */
static void bilinear_coord(int i, double ratio, int half_pixel, int in_len, int32_t *lo,
                           int32_t *hi, double *frac) {
    double src = half_pixel ? ratio * (i + 0.5) - 0.5 : ratio * i;
    double fl = floor(src);
    if (half_pixel && fl < 0) fl = 0;
    if (fl > in_len - 1) fl = in_len - 1;
    double ce = ceil(src);
    if (ce > in_len - 1) ce = in_len - 1;
    if (ce < 0) ce = 0;
    *frac = src - fl;
    *lo = (int32_t)fl;
    *hi = (int32_t)ce;
}

/* dx[i] = float(dx[i] + dy * w) in double, the cpu's Float32Array update. */
static inline void add_scaled(float *dx, const float *dy, double w, int n) {
    for (int c = 0; c < n; c++) dx[c] = (float)((double)dx[c] + (double)dy[c] * w);
}

static void bilinear_rows(void *p, size_t begin, size_t end) {
    const grad_ctx *g = p;
    const size_t C = (size_t)g->channels, row = (size_t)g->in_w * C;
    for (size_t t = begin; t < end; t++) {
        const int iy = (int)(t % (size_t)g->in_h);
        const size_t b = t / (size_t)g->in_h;
        float *dx = g->dx + t * row;
        memset(dx, 0, row * sizeof(float));
        for (int r = 0; r < g->out_h; r++) {
            const int top = g->row_lo[r] == iy, bottom = g->row_hi[r] == iy;
            if (!top && !bottom) continue;
            const double rl = g->row_frac[r], inv_rl = 1.0 - rl;
            const float *dy = g->dy + (b * (size_t)g->out_h + (size_t)r) * (size_t)g->out_w * C;
            for (int c = 0; c < g->out_w; c++, dy += C) {
                const double cl = g->col_frac[c], inv_cl = 1.0 - cl;
                float *left = dx + (size_t)g->col_lo[c] * C, *right = dx + (size_t)g->col_hi[c] * C;
                if (top) {
                    add_scaled(left, dy, inv_rl * inv_cl, g->channels);
                    add_scaled(right, dy, inv_rl * cl, g->channels);
                }
                if (bottom) {
                    add_scaled(left, dy, rl * inv_cl, g->channels);
                    add_scaled(right, dy, rl * cl, g->channels);
                }
            }
        }
    }
}

#define BLOCK 64

static void nearest_rows(void *p, size_t begin, size_t end) {
    const grad_ctx *g = p;
    const size_t C = (size_t)g->channels;
    double acc[BLOCK];
    for (size_t t = begin; t < end; t++) {
        const int iy = (int)(t % (size_t)g->in_h);
        const size_t b = t / (size_t)g->in_h;
        for (int ix = 0; ix < g->in_w; ix++) {
            float *dx = g->dx + (t * (size_t)g->in_w + (size_t)ix) * C;
            for (size_t c0 = 0; c0 < C; c0 += BLOCK) {
                const size_t nc = C - c0 < BLOCK ? C - c0 : BLOCK;
                for (size_t c = 0; c < nc; c++) acc[c] = 0;
                for (int r = g->row_lo[iy]; r < g->row_hi[iy]; r++) {
                    const float *dy =
                        g->dy + (b * (size_t)g->out_h + (size_t)r) * (size_t)g->out_w * C + c0;
                    for (int col = g->col_lo[ix]; col < g->col_hi[ix]; col++)
                        for (size_t c = 0; c < nc; c++) acc[c] += dy[(size_t)col * C + c];
                }
                for (size_t c = 0; c < nc; c++) dx[c0 + c] = (float)acc[c];
            }
        }
    }
}

/* The nearest source of dy index i, as the forward ResizeNearestNeighbor. */
static int nearest_index(int i, double ratio, int align, int half_pixel, int in_len) {
    double src = half_pixel ? ratio * (i + 0.5) : ratio * i;
    double v = align ? cw_image_js_round(src) : floor(src);
    if (v > in_len - 1) v = in_len - 1;
    if (v < 0) v = 0;
    return (int)v;
}

/* [lo[k], hi[k]): the dy indices whose nearest source is k (monotone). */
static void nearest_ranges(int out_len, int in_len, double ratio, int align, int half, int32_t *lo,
                           int32_t *hi) {
    for (int k = 0; k < in_len; k++) lo[k] = hi[k] = 0;
    int i = 0;
    for (int k = 0; k < in_len; k++) {
        lo[k] = i;
        while (i < out_len && nearest_index(i, ratio, align, half, in_len) == k) i++;
        hi[k] = i;
    }
}

static cw_status resize_grad(int bilinear, const float *dy, int batch, int in_h, int in_w,
                             int channels, int out_h, int out_w, int align_corners,
                             int half_pixel_centers, float *dx) {
    const char *op = bilinear ? "ResizeBilinearGrad" : "ResizeNearestNeighborGrad";
    size_t n_in = 0, n_out = 0;
    cw_status st = cw_image_check_shape(op, "images", batch, in_h, in_w, channels, &n_in);
    if (st != CW_OK) return st;
    st = cw_image_check_shape(op, "dy", batch, out_h, out_w, channels, &n_out);
    if (st != CW_OK) return st;
    if (align_corners && half_pixel_centers)
        return cw_error(CW_ERR_INVALID, "%s: alignCorners and halfPixelCenters cannot both be true",
                        op);
    if (n_in == 0) return CW_OK;
    if (dx == NULL || (n_out > 0 && dy == NULL))
        return cw_error(CW_ERR_INVALID, "%s: %s is NULL", op, dx ? "dy" : "dx");
    if (n_out == 0) {
        memset(dx, 0, n_in * sizeof(float));
        return CW_OK;
    }
    const int ah = align_corners && out_h > 1, aw = align_corners && out_w > 1;
    const double ratio_h = (double)(ah ? in_h - 1 : in_h) / (ah ? out_h - 1 : out_h);
    const double ratio_w = (double)(aw ? in_w - 1 : in_w) / (aw ? out_w - 1 : out_w);
    const size_t nh = (size_t)(bilinear ? out_h : in_h), nw = (size_t)(bilinear ? out_w : in_w);
    int32_t *ints = cw_alloc(2 * (nh + nw) * sizeof(int32_t));
    double *fracs = bilinear ? cw_alloc((nh + nw) * sizeof(double)) : NULL;
    if (ints == NULL || (bilinear && fracs == NULL)) {
        cw_free(ints);
        cw_free(fracs);
        return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    }
    grad_ctx g = {dy,
                  dx,
                  in_h,
                  in_w,
                  channels,
                  out_h,
                  out_w,
                  ints,
                  ints + nh,
                  ints + 2 * nh,
                  ints + 2 * nh + nw,
                  fracs,
                  fracs ? fracs + nh : NULL};
    int32_t *rl = ints, *rh = ints + nh, *cl = ints + 2 * nh, *ch = cl + nw;
    if (bilinear) {
        for (int r = 0; r < out_h; r++)
            bilinear_coord(r, ratio_h, half_pixel_centers, in_h, &rl[r], &rh[r], &fracs[r]);
        for (int c = 0; c < out_w; c++)
            bilinear_coord(c, ratio_w, half_pixel_centers, in_w, &cl[c], &ch[c], &fracs[nh + c]);
    } else {
        nearest_ranges(out_h, in_h, ratio_h, align_corners, half_pixel_centers, rl, rh);
        nearest_ranges(out_w, in_w, ratio_w, align_corners, half_pixel_centers, cl, ch);
    }
    const size_t work = bilinear ? (size_t)out_h * out_w * (size_t)channels / (size_t)in_h
                                 : (size_t)in_w * (size_t)channels * 2;
    cw_parallel_for((size_t)batch * (size_t)in_h, cw_image_row_grain(work + 1),
                    bilinear ? bilinear_rows : nearest_rows, &g);
    cw_free(fracs);
    cw_free(ints);
    return CW_OK;
}

cw_status cw_image_resize_bilinear_grad_f32(const float *dy, int batch, int in_h, int in_w,
                                            int channels, int out_h, int out_w, int align_corners,
                                            int half_pixel_centers, float *dx) {
    return resize_grad(1, dy, batch, in_h, in_w, channels, out_h, out_w, align_corners,
                       half_pixel_centers, dx);
}

cw_status cw_image_resize_nearest_grad_f32(const float *dy, int batch, int in_h, int in_w,
                                           int channels, int out_h, int out_w, int align_corners,
                                           int half_pixel_centers, float *dx) {
    return resize_grad(0, dy, batch, in_h, in_w, channels, out_h, out_w, align_corners,
                       half_pixel_centers, dx);
}
