#include "kernels/image/image.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

typedef struct {
    const void *image;
    void *out;
    const float *transforms;
    int n_transforms, height, width, channels, out_h, out_w;
    cw_image_interp interp;
    cw_image_fill fill_mode;
    double fill;          /* the fill value as the cpu loop uses it */
    const float *fillbuf; /* channels copies of the fill value (float32) */
    cw_dtype dtype;
} transform_ctx;

/* Math.max(lo, Math.min(x, hi)): NaN stays NaN. */
static double js_clamp(double x, double lo, double hi) {
    if (isnan(x)) return x;
    double m = x > hi ? hi : x;
    return m < lo ? lo : m;
}

/* JS ToInt32 (what storing into an Int32Array does). */
static int32_t js_to_int32(double v) {
    if (!isfinite(v)) return 0;
    double m = fmod(trunc(v), 4294967296.0);
    if (m < 0) m += 4294967296.0;
    if (m >= 2147483648.0) m -= 4294967296.0;
    return (int32_t)m;
}

/* tfjs-backend-cpu's mapCoord for each fill mode. */
static double map_coord(double in, int len, cw_image_fill mode) {
    switch (mode) {
    case CW_IMAGE_FILL_REFLECT:
        if (in < 0) {
            if (len <= 1) {
                in = 0;
            } else {
                double sz2 = 2.0 * len;
                if (in < sz2) in = sz2 * trunc(-in / sz2) + in;
                in = in < -len ? in + sz2 : -in - 1;
            }
        } else if (in > len - 1) {
            if (len <= 1) {
                in = 0;
            } else {
                double sz2 = 2.0 * len;
                in -= sz2 * trunc(in / sz2);
                if (in >= len) in = sz2 - in - 1;
            }
        }
        return js_clamp(in, 0, len - 1);
    case CW_IMAGE_FILL_WRAP:
        if (in < 0) {
            if (len <= 1) {
                in = 0;
            } else {
                double sz = len - 1;
                in += len * (trunc(-in / sz) + 1);
            }
        } else if (in > len - 1) {
            if (len <= 1) {
                in = 0;
            } else {
                double sz = len - 1;
                in -= len * trunc(in / sz);
            }
        }
        return js_clamp(in, 0, len - 1);
    case CW_IMAGE_FILL_NEAREST:
        return js_clamp(in, 0, len - 1);
    default:
        return in;
    }
}

static int inside(double y, double x, int h, int w) { return 0 <= y && y < h && 0 <= x && x < w; }

/* The f32 pixel at (y, x) of img, or the fill buffer outside. */
static const float *tap_f32(const transform_ctx *c, const float *img, double y, double x) {
    if (!inside(y, x, c->height, c->width)) return c->fillbuf;
    return img + ((size_t)y * (size_t)c->width + (size_t)x) * (size_t)c->channels;
}

static double tap_i32(const transform_ctx *c, const int32_t *img, double y, double x, size_t d) {
    if (!inside(y, x, c->height, c->width)) return c->fill;
    return img[((size_t)y * (size_t)c->width + (size_t)x) * (size_t)c->channels + d];
}

static void sample_f32(const transform_ctx *c, const float *img, double y, double x, float *o) {
    size_t ch = (size_t)c->channels;
    if (c->interp == CW_IMAGE_NEAREST) {
        memcpy(o, tap_f32(c, img, cw_image_js_round(y), cw_image_js_round(x)), ch * sizeof(float));
        return;
    }
    double y0 = floor(y), x0 = floor(x), y1 = y0 + 1, x1 = x0 + 1;
    const float *a = tap_f32(c, img, y0, x0), *b = tap_f32(c, img, y0, x1);
    const float *e = tap_f32(c, img, y1, x0), *f = tap_f32(c, img, y1, x1);
    float wx0 = (float)(x1 - x), wx1 = (float)(x - x0);
    float wy0 = (float)(y1 - y), wy1 = (float)(y - y0);
    cw_v4f vx0 = cw_v4f_splat(wx0), vx1 = cw_v4f_splat(wx1);
    cw_v4f vy0 = cw_v4f_splat(wy0), vy1 = cw_v4f_splat(wy1);
    size_t d = 0;
    for (; d + 4 <= ch; d += 4) {
        cw_v4f top = cw_v4f_madd(cw_v4f_mul(vx0, cw_v4f_load(a + d)), vx1, cw_v4f_load(b + d));
        cw_v4f bot = cw_v4f_madd(cw_v4f_mul(vx0, cw_v4f_load(e + d)), vx1, cw_v4f_load(f + d));
        cw_v4f_store(o + d, cw_v4f_madd(cw_v4f_mul(vy0, top), vy1, bot));
    }
    for (; d < ch; d++) {
        float top = wx0 * a[d] + wx1 * b[d];
        float bot = wx0 * e[d] + wx1 * f[d];
        o[d] = wy0 * top + wy1 * bot;
    }
}

static void sample_i32(const transform_ctx *c, const int32_t *img, double y, double x, int32_t *o) {
    size_t ch = (size_t)c->channels;
    if (c->interp == CW_IMAGE_NEAREST) {
        double ry = cw_image_js_round(y), rx = cw_image_js_round(x);
        for (size_t d = 0; d < ch; d++) o[d] = js_to_int32(tap_i32(c, img, ry, rx, d));
        return;
    }
    double y0 = floor(y), x0 = floor(x), y1 = y0 + 1, x1 = x0 + 1;
    for (size_t d = 0; d < ch; d++) {
        double top = (x1 - x) * tap_i32(c, img, y0, x0, d) + (x - x0) * tap_i32(c, img, y0, x1, d);
        double bot = (x1 - x) * tap_i32(c, img, y1, x0, d) + (x - x0) * tap_i32(c, img, y1, x1, d);
        o[d] = js_to_int32((y1 - y) * top + (y - y0) * bot);
    }
}

static void transform_rows(void *p, size_t begin, size_t end) {
    const transform_ctx *c = (const transform_ctx *)p;
    size_t ch = (size_t)c->channels, row = (size_t)c->out_w * ch;
    size_t in_size = (size_t)c->height * (size_t)c->width * ch;
    for (size_t r = begin; r < end; r++) {
        size_t b = r / (size_t)c->out_h;
        double oy = (double)(r % (size_t)c->out_h);
        const float *tf = c->transforms + (c->n_transforms == 1 ? 0 : 8 * b);
        double t[8];
        for (int i = 0; i < 8; i++) t[i] = tf[i];
        if (c->dtype == CW_F32) {
            cw_image_fill_f32((float *)c->out + r * row, row, (float)c->fill);
        } else {
            int32_t v = js_to_int32(c->fill), *o = (int32_t *)c->out + r * row;
            for (size_t i = 0; i < row; i++) o[i] = v;
        }
        for (int ox = 0; ox < c->out_w; ox++) {
            double proj = t[6] * ox + t[7] * oy + 1;
            if (proj == 0) continue; /* a point at infinity: fill */
            double in_x = (t[0] * ox + t[1] * oy + t[2]) / proj;
            double in_y = (t[3] * ox + t[4] * oy + t[5]) / proj;
            double x = map_coord(in_x, c->width, c->fill_mode);
            double y = map_coord(in_y, c->height, c->fill_mode);
            size_t o = r * row + (size_t)ox * ch;
            if (c->dtype == CW_F32) {
                sample_f32(c, (const float *)c->image + b * in_size, y, x, (float *)c->out + o);
            } else {
                sample_i32(c, (const int32_t *)c->image + b * in_size, y, x, (int32_t *)c->out + o);
            }
        }
    }
}

cw_status cw_image_transform(cw_dtype dtype, const void *image, int batch, int height, int width,
                             int channels, const float *transforms, int n_transforms,
                             cw_image_interp interpolation, cw_image_fill fill_mode,
                             float fill_value, int out_h, int out_w, void *out) {
    static const char *op = "Transform";
    size_t n_in = 0, n_out = 0;
    if (dtype != CW_F32 && dtype != CW_I32)
        return cw_error(CW_ERR_INVALID, "%s: image dtype must be float32 or int32", op);
    cw_status st = cw_image_check_shape(op, "image", batch, height, width, channels, &n_in);
    if (st != CW_OK) return st;
    st = cw_image_check_shape(op, "output", batch, out_h, out_w, channels, &n_out);
    if (st != CW_OK) return st;
    if (interpolation != CW_IMAGE_BILINEAR && interpolation != CW_IMAGE_NEAREST) {
        return cw_error(CW_ERR_INVALID,
                        "%s: interpolation must be 'nearest' or 'bilinear' (code %d)", op,
                        (int)interpolation);
    }
    if (fill_mode < CW_IMAGE_FILL_CONSTANT || fill_mode > CW_IMAGE_FILL_NEAREST)
        return cw_error(CW_ERR_INVALID, "%s: unknown fill mode %d", op, (int)fill_mode);
    if (n_transforms != 1 && n_transforms != batch) {
        return cw_error(CW_ERR_INVALID, "%s: %d transforms for a batch of %d (expected 1 or %d)",
                        op, n_transforms, batch, batch);
    }
    if (n_out == 0) return CW_OK;
    float *fillbuf = (float *)cw_alloc((size_t)channels * sizeof(float));
    if (fillbuf == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    cw_image_fill_f32(fillbuf, (size_t)channels, fill_value);
    transform_ctx c = {image, out,   transforms,    n_transforms, height,     width,   channels,
                       out_h, out_w, interpolation, fill_mode,    fill_value, fillbuf, dtype};
    cw_parallel_for((size_t)batch * (size_t)out_h,
                    cw_image_row_grain((size_t)out_w * (size_t)channels * 4), transform_rows, &c);
    cw_free(fillbuf);
    return CW_OK;
}
