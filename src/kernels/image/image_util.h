/* Helpers shared by the image kernels (internal). */
#ifndef CW_KERNELS_IMAGE_IMAGE_UTIL_H
#define CW_KERNELS_IMAGE_IMAGE_UTIL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/status.h"
#include "simd/vec.h"

/* Validates an NHWC extent and returns its element count in *count. */
static inline cw_status cw_image_check_shape(const char *op, const char *what, int n, int h, int w,
                                             int c, size_t *count) {
    *count = 0;
    if (n < 0 || h < 0 || w < 0 || c < 0) {
        return cw_error(CW_ERR_INVALID, "%s: %s shape [%d, %d, %d, %d] has a negative dimension",
                        op, what, n, h, w, c);
    }
    size_t s = cw_mul_size(cw_mul_size((size_t)n, (size_t)h), cw_mul_size((size_t)w, (size_t)c));
    if (s == 0 && n != 0 && h != 0 && w != 0 && c != 0) {
        return cw_error(CW_ERR_NOMEM, "%s: %s shape [%d, %d, %d, %d] is too large", op, what, n, h,
                        w, c);
    }
    *count = s;
    return CW_OK;
}

/* Validates a resize of [batch, in_h, in_w, channels] images to out_h x out_w
 * and sets *n_out to the output element count. When *n_out > 0 also sets the
 * source-per-output ratios of tfjs (extents less one under alignCorners). */
static inline cw_status cw_image_resize_plan(const char *op, int batch, int in_h, int in_w,
                                             int channels, int out_h, int out_w, int align_corners,
                                             int half_pixel_centers, size_t *n_out, double *ratio_h,
                                             double *ratio_w) {
    size_t n_in = 0;
    cw_status st = cw_image_check_shape(op, "images", batch, in_h, in_w, channels, &n_in);
    if (st != CW_OK) return st;
    st = cw_image_check_shape(op, "output", batch, out_h, out_w, channels, n_out);
    if (st != CW_OK) return st;
    if (align_corners && half_pixel_centers) {
        return cw_error(CW_ERR_INVALID, "%s: alignCorners and halfPixelCenters cannot both be true",
                        op);
    }
    if (*n_out == 0) return CW_OK;
    if (in_h == 0 || in_w == 0) {
        return cw_error(CW_ERR_INVALID, "%s: cannot resize an empty %dx%d image to %dx%d", op, in_h,
                        in_w, out_h, out_w);
    }
    double eff_in_h = (align_corners && out_h > 1) ? in_h - 1 : in_h;
    double eff_in_w = (align_corners && out_w > 1) ? in_w - 1 : in_w;
    double eff_out_h = (align_corners && out_h > 1) ? out_h - 1 : out_h;
    double eff_out_w = (align_corners && out_w > 1) ? out_w - 1 : out_w;
    *ratio_h = eff_in_h / eff_out_h;
    *ratio_w = eff_in_w / eff_out_w;
    return CW_OK;
}

/* JS Math.round: the nearest integer, halves rounded up. */
static inline double cw_image_js_round(double x) {
    double f = floor(x);
    return x - f >= 0.5 ? f + 1.0 : f;
}

/* Rows per parallel task so that a task writes at least ~16k elements. */
static inline size_t cw_image_row_grain(size_t row_elems) {
    size_t g = row_elems > 0 ? (size_t)16384 / row_elems : 1;
    return g > 0 ? g : 1;
}

/* o[d] = a[d] + (b[d] - a[d]) * f for d in [0, n): the lerp of the
 * tfjs-backend-cpu bilinear loops, in float32. */
static inline void cw_image_lerp_f32(const float *a, const float *b, float f, size_t n, float *o) {
    cw_v4f vf = cw_v4f_splat(f);
    size_t d = 0;
    for (; d + 4 <= n; d += 4) {
        cw_v4f va = cw_v4f_load(a + d);
        cw_v4f_store(o + d, cw_v4f_madd(va, cw_v4f_sub(cw_v4f_load(b + d), va), vf));
    }
    for (; d < n; d++) o[d] = a[d] + (b[d] - a[d]) * f;
}

/* Both lerps of a bilinear sample at once: top = lerp(tl, tr, fx),
 * bottom = lerp(bl, br, fx), o = lerp(top, bottom, fy), n channels. */
static inline void cw_image_bilerp_f32(const float *tl, const float *tr, const float *bl,
                                       const float *br, float fx, float fy, size_t n, float *o) {
    cw_v4f vx = cw_v4f_splat(fx), vy = cw_v4f_splat(fy);
    size_t d = 0;
    for (; d + 4 <= n; d += 4) {
        cw_v4f a = cw_v4f_load(tl + d), b = cw_v4f_load(bl + d);
        cw_v4f top = cw_v4f_madd(a, cw_v4f_sub(cw_v4f_load(tr + d), a), vx);
        cw_v4f bot = cw_v4f_madd(b, cw_v4f_sub(cw_v4f_load(br + d), b), vx);
        cw_v4f_store(o + d, cw_v4f_madd(top, cw_v4f_sub(bot, top), vy));
    }
    for (; d < n; d++) {
        float top = tl[d] + (tr[d] - tl[d]) * fx;
        float bot = bl[d] + (br[d] - bl[d]) * fx;
        o[d] = top + (bot - top) * fy;
    }
}

/* o[0..n) = v */
static inline void cw_image_fill_f32(float *o, size_t n, float v) {
    cw_v4f vv = cw_v4f_splat(v);
    size_t d = 0;
    for (; d + 4 <= n; d += 4) cw_v4f_store(o + d, vv);
    for (; d < n; d++) o[d] = v;
}

#endif
