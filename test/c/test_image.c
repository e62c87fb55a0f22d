#include "test_util.h"

#include <string.h>

#include "cw.h"

static const int channel_counts[] = {1, 2, 3, 4, 5, 8, 9};
#define N_CHANNELS (int)(sizeof channel_counts / sizeof channel_counts[0])
#define BUF (1 << 18)

static float xf[BUF], got[BUF], want[BUF];
static int32_t xi[BUF], goti[BUF], wanti[BUF];

/* ---- references: tfjs-backend-cpu's loops, in double ---- */

/* JS Math.round: C round() except that negative halves go up (-2.5 -> -2). */
static double js_round(double x) {
    double r = round(x);
    return (x < 0 && r - x == -0.5) ? r + 1 : r;
}

static void ref_resize_bilinear(const float *x, int B, int H, int W, int C, int OH, int OW,
                                int align, int half, float *out) {
    double ein_h = (align && OH > 1) ? H - 1 : H, ein_w = (align && OW > 1) ? W - 1 : W;
    double eout_h = (align && OH > 1) ? OH - 1 : OH, eout_w = (align && OW > 1) ? OW - 1 : OW;
    double rh = ein_h / eout_h, rw = ein_w / eout_w;
    size_t o = 0;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < OH; r++) {
            double sr = half ? rh * (r + 0.5) - 0.5 : rh * r;
            double r0 = fmax(0, floor(sr)), rf = sr - r0, r1 = fmin(H - 1, ceil(sr));
            for (int c = 0; c < OW; c++) {
                double sc = half ? rw * (c + 0.5) - 0.5 : rw * c;
                double c0 = fmax(0, floor(sc)), cf = sc - c0, c1 = fmin(W - 1, ceil(sc));
                for (int d = 0; d < C; d++) {
#define AT(rr, cc) (double)x[(((size_t)b * H + (size_t)(rr)) * W + (size_t)(cc)) * C + d]
                    double tl = AT(r0, c0), tr = AT(r0, c1), bl = AT(r1, c0), br = AT(r1, c1);
#undef AT
                    double top = tl + (tr - tl) * cf, bot = bl + (br - bl) * cf;
                    out[o++] = (float)(top + (bot - top) * rf);
                }
            }
        }
}

static void ref_resize_nearest(const int32_t *x, int B, int H, int W, int C, int OH, int OW,
                               int align, int half, int32_t *out) {
    double ein_h = (align && OH > 1) ? H - 1 : H, ein_w = (align && OW > 1) ? W - 1 : W;
    double eout_h = (align && OH > 1) ? OH - 1 : OH, eout_w = (align && OW > 1) ? OW - 1 : OW;
    double rh = ein_h / eout_h, rw = ein_w / eout_w;
    size_t o = 0;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < OH; r++) {
            double sr = half ? rh * (r + 0.5) : rh * r;
            double nr = fmin(H - 1, align ? js_round(sr) : floor(sr));
            if (half) nr = fmax(0, nr);
            for (int c = 0; c < OW; c++) {
                double sc = half ? rw * (c + 0.5) : rw * c;
                double nc = fmin(W - 1, align ? js_round(sc) : floor(sc));
                if (half) nc = fmax(0, nc);
                for (int d = 0; d < C; d++)
                    out[o++] = x[(((size_t)b * H + (size_t)nr) * W + (size_t)nc) * C + d];
            }
        }
}

static void ref_crop(const float *img, int B, int H, int W, int C, const float *boxes,
                     const int32_t *bind, int K, int CH, int CW, int nearest, float extra,
                     float *out) {
    size_t st2 = (size_t)C, st1 = (size_t)CW * C, st0 = (size_t)CH * CW * C;
    size_t is2 = (size_t)C, is1 = (size_t)W * C, is0 = (size_t)H * W * C;
    memset(out, 0, (size_t)K * st0 * sizeof(float));
    for (int b = 0; b < K; b++) {
        double y1 = boxes[4 * b], x1 = boxes[4 * b + 1], y2 = boxes[4 * b + 2],
               x2 = boxes[4 * b + 3];
        int bi = bind[b];
        if (bi >= B) continue;
        double hs = CH > 1 ? (y2 - y1) * (H - 1) / (CH - 1) : 0;
        double ws = CW > 1 ? (x2 - x1) * (W - 1) / (CW - 1) : 0;
        for (int y = 0; y < CH; y++) {
            double yi = CH > 1 ? y1 * (H - 1) + y * hs : 0.5 * (y1 + y2) * (H - 1);
            if (yi < 0 || yi > H - 1) {
                for (int x = 0; x < CW; x++)
                    for (int c = 0; c < C; c++) out[c + x * st2 + y * st1 + b * st0] = extra;
                continue;
            }
            for (int x = 0; x < CW; x++) {
                double xi = CW > 1 ? x1 * (W - 1) + x * ws : 0.5 * (x1 + x2) * (W - 1);
                if (xi < 0 || xi > W - 1) {
                    for (int c = 0; c < C; c++) out[c + x * st2 + y * st1 + b * st0] = extra;
                    continue;
                }
                for (int c = 0; c < C; c++) {
                    size_t base = c + bi * is0;
                    double v;
                    if (nearest) {
                        v = img[base + (size_t)js_round(xi) * is2 + (size_t)js_round(yi) * is1];
                    } else {
                        double t = floor(yi), bo = ceil(yi), l = floor(xi), r = ceil(xi);
                        double yl = yi - t, xl = xi - l;
                        double tl = img[base + (size_t)l * is2 + (size_t)t * is1];
                        double tr = img[base + (size_t)r * is2 + (size_t)t * is1];
                        double bl = img[base + (size_t)l * is2 + (size_t)bo * is1];
                        double br = img[base + (size_t)r * is2 + (size_t)bo * is1];
                        double top = tl + (tr - tl) * xl, bot = bl + (br - bl) * xl;
                        v = top + (bot - top) * yl;
                    }
                    out[c + x * st2 + y * st1 + b * st0] = (float)v;
                }
            }
        }
    }
}

static double ref_clamp(double x, double lo, double hi) {
    if (isnan(x)) return x;
    return fmax(lo, x > hi ? hi : x);
}

static double ref_map(double in, int len, int mode) {
    if (mode == 1) {
        if (in < 0) {
            if (len <= 1)
                in = 0;
            else {
                double sz2 = 2.0 * len;
                if (in < sz2) in = sz2 * trunc(-in / sz2) + in;
                in = in < -len ? in + sz2 : -in - 1;
            }
        } else if (in > len - 1) {
            if (len <= 1)
                in = 0;
            else {
                double sz2 = 2.0 * len;
                in -= sz2 * trunc(in / sz2);
                if (in >= len) in = sz2 - in - 1;
            }
        }
        return ref_clamp(in, 0, len - 1);
    }
    if (mode == 2) {
        if (in < 0) {
            if (len <= 1)
                in = 0;
            else
                in += len * (trunc(-in / (len - 1)) + 1);
        } else if (in > len - 1) {
            if (len <= 1)
                in = 0;
            else
                in -= len * trunc(in / (len - 1));
        }
        return ref_clamp(in, 0, len - 1);
    }
    if (mode == 3) return ref_clamp(in, 0, len - 1);
    return in;
}

static double ref_read(const double *img, int H, int W, int C, double y, double x, int d,
                       double fill) {
    if (0 <= y && y < H && 0 <= x && x < W) return img[((size_t)y * W + (size_t)x) * C + d];
    return fill;
}

/* Computes in double into outd ([B, OH, OW, C]); the caller rounds. */
static void ref_transform(const double *img, int B, int H, int W, int C, const float *tr, int NT,
                          int nearest, int mode, double fill, int OH, int OW, double *outd) {
    for (size_t i = 0; i < (size_t)B * OH * OW * C; i++) outd[i] = fill;
    for (int b = 0; b < B; b++) {
        const float *t = tr + (NT == 1 ? 0 : 8 * b);
        const double *im = img + (size_t)b * H * W * C;
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++)
                for (int d = 0; d < C; d++) {
                    double proj = (double)t[6] * ox + (double)t[7] * oy + 1;
                    if (proj == 0) continue;
                    double ix = ((double)t[0] * ox + (double)t[1] * oy + t[2]) / proj;
                    double iy = ((double)t[3] * ox + (double)t[4] * oy + t[5]) / proj;
                    double x = ref_map(ix, W, mode), y = ref_map(iy, H, mode), v;
                    if (nearest) {
                        v = ref_read(im, H, W, C, js_round(y), js_round(x), d, fill);
                    } else {
                        double y0 = floor(y), x0 = floor(x), y1 = y0 + 1, x1 = x0 + 1;
                        double a = (x1 - x) * ref_read(im, H, W, C, y0, x0, d, fill) +
                                   (x - x0) * ref_read(im, H, W, C, y0, x1, d, fill);
                        double e = (x1 - x) * ref_read(im, H, W, C, y1, x0, d, fill) +
                                   (x - x0) * ref_read(im, H, W, C, y1, x1, d, fill);
                        v = (y1 - y) * a + (y - y0) * e;
                    }
                    outd[(((size_t)b * OH + oy) * OW + ox) * C + d] = v;
                }
    }
}

static void fill_ints(int32_t *p, size_t n, uint32_t seed) {
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) p[i] = (int32_t)test_rand(&s, -1000.0f, 1000.0f);
}

static void expect_ok(cw_status st, const char *what) {
    if (st != CW_OK) fail_msg("%s failed: %s", what, cw_error_message());
}

/* ---- tests ---- */

static void image_kernels_are_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    static float serial[4][40000];
    test_fill(xf, 3 * 37 * 29 * 5, 7, -2, 2);
    float boxes[] = {0.1f, -0.2f, 0.9f, 1.1f, 0.8f, 0.7f, 0.05f, 0.2f, 0, 0, 1, 1};
    int32_t bind[] = {0, 2, 1};
    float tr[] = {0.9f, 0.1f, 1.5f, -0.2f, 1.1f, -2.0f, 0.001f, 0.002f};
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) assert_int_equal(cw_threads_init(4), 4);
        float *o[4];
        for (int k = 0; k < 4; k++) o[k] = pass == 0 ? serial[k] : got + (size_t)k * 40000;
        expect_ok(cw_image_resize_bilinear_f32(xf, 3, 37, 29, 5, 53, 41, 0, 1, o[0]), "bilinear");
        expect_ok(cw_image_crop_and_resize_f32(xf, 3, 37, 29, 5, boxes, bind, 3, 31, 23,
                                               CW_IMAGE_BILINEAR, 0.5f, o[1]),
                  "crop");
        expect_ok(cw_image_transform(CW_F32, xf, 3, 37, 29, 5, tr, 1, CW_IMAGE_BILINEAR,
                                     CW_IMAGE_FILL_REFLECT, 0, 40, 30, o[2]),
                  "transform");
        expect_ok(cw_image_resize_nearest(4, xf, 3, 37, 29, 5, 50, 50, 1, 0, o[3]), "nearest");
    }
    size_t sizes[] = {3 * 53 * 41 * 5, 3 * 31 * 23 * 5, 3 * 40 * 30 * 5, 3 * 50 * 50 * 5};
    for (int k = 0; k < 4; k++)
        assert_memory_equal(serial[k], got + (size_t)k * 40000, sizes[k] * sizeof(float));
}

static void resize_bilinear_matches_reference_for_every_mode_size_and_channel_count(void **state) {
    (void)state;
    static const int in_sizes[] = {1, 2, 5, 8};
    static const int out_sizes[] = {1, 3, 4, 7, 16};
    static const int modes[3][2] = {{0, 0}, {1, 0}, {0, 1}};
    test_fill(xf, BUF, 3, -3, 3);
    for (int m = 0; m < 3; m++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int e = 0; e < 5; e++)
                    for (int f = 0; f < 5; f++)
                        for (int k = 0; k < N_CHANNELS; k++) {
                            int H = in_sizes[a], W = in_sizes[b] + 1, OH = out_sizes[e];
                            int OW = out_sizes[f], C = channel_counts[k];
                            size_t n = (size_t)2 * OH * OW * C;
                            expect_ok(cw_image_resize_bilinear_f32(xf, 2, H, W, C, OH, OW,
                                                                   modes[m][0], modes[m][1], got),
                                      "bilinear");
                            ref_resize_bilinear(xf, 2, H, W, C, OH, OW, modes[m][0], modes[m][1],
                                                want);
                            test_assert_close(got, want, n, 2e-6f, 2e-6f, "ResizeBilinear");
                        }
}

static void resize_bilinear_keeps_integer_images_exact_on_aligned_grids(void **state) {
    (void)state;
    /* 2x upsampling with align_corners of a 3x3 ramp: exact halves. */
    float x[9] = {0, 2, 4, 6, 8, 10, 12, 14, 16}, out[25];
    expect_ok(cw_image_resize_bilinear_f32(x, 1, 3, 3, 1, 5, 5, 1, 0, out), "bilinear");
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++) assert_true(out[r * 5 + c] == (float)(3 * r + c));
}

static void resize_nearest_matches_reference_for_every_mode_and_dtype_size(void **state) {
    (void)state;
    static const int in_sizes[] = {1, 2, 5, 9};
    static const int out_sizes[] = {1, 2, 3, 7, 16};
    static const int modes[3][2] = {{0, 0}, {1, 0}, {0, 1}};
    fill_ints(xi, BUF, 5);
    for (int m = 0; m < 3; m++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int e = 0; e < 5; e++)
                    for (int f = 0; f < 5; f++)
                        for (int k = 0; k < N_CHANNELS; k++) {
                            int H = in_sizes[a], W = in_sizes[b], OH = out_sizes[e];
                            int OW = out_sizes[f], C = channel_counts[k];
                            size_t n = (size_t)2 * OH * OW * C;
                            expect_ok(cw_image_resize_nearest(4, xi, 2, H, W, C, OH, OW,
                                                              modes[m][0], modes[m][1], goti),
                                      "nearest");
                            ref_resize_nearest(xi, 2, H, W, C, OH, OW, modes[m][0], modes[m][1],
                                               wanti);
                            assert_memory_equal(goti, wanti, n * 4);
                        }
    /* One-byte elements (bool) take the same path. */
    uint8_t b8[12] = {1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0}, o8[4 * 6 * 2];
    int32_t b32[12], o32[4 * 6 * 2];
    for (int i = 0; i < 12; i++) b32[i] = b8[i];
    expect_ok(cw_image_resize_nearest(1, b8, 1, 2, 3, 2, 4, 6, 0, 1, o8), "nearest u8");
    ref_resize_nearest(b32, 1, 2, 3, 2, 4, 6, 0, 1, o32);
    for (int i = 0; i < 48; i++) assert_int_equal(o8[i], o32[i]);
}

static void crop_and_resize_matches_reference_with_outside_and_flipped_boxes(void **state) {
    (void)state;
    static const int crops[] = {1, 2, 3, 5, 8};
    enum { K = 6 };
    float boxes[4 * K];
    int32_t bind[K] = {0, 1, 2, 1, 0, 3}; /* 3 == batch: left zero */
    uint32_t s = 9;
    for (int i = 0; i < 4 * K; i++) boxes[i] = test_rand(&s, -0.5f, 1.5f);
    /* flipped box, inside box, degenerate box */
    float fixed[12] = {0.9f, 0.8f, 0.1f, 0.2f, 0.25f, 0.3f, 0.75f, 0.6f, 0.5f, 0.5f, 0.5f, 0.5f};
    memcpy(boxes, fixed, sizeof fixed);
    test_fill(xf, BUF, 4, -2, 2);
    for (int h = 1; h <= 7; h += 3)
        for (int w = 1; w <= 8; w += 7)
            for (int a = 0; a < 5; a++)
                for (int b = 0; b < 5; b++)
                    for (int k = 0; k < N_CHANNELS; k++)
                        for (int nearest = 0; nearest < 2; nearest++) {
                            int C = channel_counts[k], CH = crops[a], CW = crops[b];
                            size_t n = (size_t)K * CH * CW * C;
                            expect_ok(cw_image_crop_and_resize_f32(
                                          xf, 3, h, w, C, boxes, bind, K, CH, CW,
                                          nearest ? CW_IMAGE_NEAREST : CW_IMAGE_BILINEAR, -7.5f,
                                          got),
                                      "crop");
                            ref_crop(xf, 3, h, w, C, boxes, bind, K, CH, CW, nearest, -7.5f, want);
                            test_assert_close(got, want, n, 2e-6f, 2e-6f, "CropAndResize");
                        }
}

static void crop_and_resize_gives_nan_for_nan_boxes_and_zeros_past_the_batch(void **state) {
    (void)state;
    float img[2 * 2 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float boxes[8] = {NAN, 0, 1, 1, 0, 0, 1, 1};
    int32_t bind[2] = {0, 5};
    float out[2 * 2 * 2 * 3];
    expect_ok(cw_image_crop_and_resize_f32(img, 1, 2, 2, 3, boxes, bind, 2, 2, 2, CW_IMAGE_BILINEAR,
                                           0, out),
              "crop");
    for (int i = 0; i < 12; i++) assert_true(isnan(out[i]));
    for (int i = 12; i < 24; i++) assert_true(out[i] == 0.0f);
}

static void flip_left_right_reverses_columns_for_every_width_and_element_size(void **state) {
    (void)state;
    fill_ints(xi, BUF, 8);
    for (int w = 0; w <= 9; w++)
        for (int k = 0; k < N_CHANNELS; k++) {
            int C = channel_counts[k], B = 2, H = 3;
            expect_ok(cw_image_flip_left_right(4, xi, B, H, w, C, goti), "flip");
            for (int r = 0; r < B * H; r++)
                for (int c = 0; c < w; c++)
                    for (int d = 0; d < C; d++)
                        assert_int_equal(goti[((size_t)r * w + c) * C + d],
                                         xi[((size_t)r * w + (w - 1 - c)) * C + d]);
            uint8_t *src = (uint8_t *)xi, *dst = (uint8_t *)goti;
            expect_ok(cw_image_flip_left_right(1, src, B, H, w, C, dst), "flip u8");
            for (int r = 0; r < B * H; r++)
                for (int c = 0; c < w; c++)
                    for (int d = 0; d < C; d++)
                        assert_int_equal(dst[((size_t)r * w + c) * C + d],
                                         src[((size_t)r * w + (w - 1 - c)) * C + d]);
        }
}

static int32_t to_int32(double v) {
    if (!isfinite(v)) return 0;
    double m = fmod(trunc(v), 4294967296.0);
    if (m < 0) m += 4294967296.0;
    if (m >= 2147483648.0) m -= 4294967296.0;
    return (int32_t)m;
}

static void transform_matches_reference_for_every_fill_mode_and_interpolation(void **state) {
    (void)state;
    static double imgd[BUF], outd[BUF];
    enum { B = 2 };
    /* identity-ish, shift out of the image, rotation + scale, projective,
     * and one whose projection is zero at (0, 1). */
    const float trs[5][8] = {
        {1, 0, 0, 0, 1, 0, 0, 0},
        {1, 0, -3.5f, 0, 1, 2.25f, 0, 0},
        {0.8f, -0.6f, 2.0f, 0.6f, 0.8f, -1.0f, 0, 0},
        {1.3f, 0.2f, -4.0f, -0.1f, 0.9f, 3.0f, 0.02f, -0.03f},
        {2.5f, 0.5f, -7.0f, 0.3f, -2.0f, 9.0f, 0.1f, -1.0f},
    };
    test_fill(xf, BUF, 12, -2, 2);
    fill_ints(xi, BUF, 13);
    for (int t = 0; t < 5; t++)
        for (int nt = 1; nt <= B; nt++)
            for (int mode = 0; mode < 4; mode++)
                for (int nearest = 0; nearest < 2; nearest++)
                    for (int k = 0; k < N_CHANNELS; k += 2)
                        for (int shape = 0; shape < 3; shape++) {
                            int C = channel_counts[k], H = shape == 2 ? 1 : 5 + shape;
                            int W = shape == 2 ? 1 : 7, OH = shape == 1 ? 9 : H, OW = 4 + shape;
                            float tr[16];
                            memcpy(tr, trs[t], sizeof trs[t]);
                            memcpy(tr + 8, trs[(t + 2) % 5], sizeof trs[t]);
                            size_t n_in = (size_t)B * H * W * C, n = (size_t)B * OH * OW * C;
                            cw_image_interp ip = nearest ? CW_IMAGE_NEAREST : CW_IMAGE_BILINEAR;
                            float fill = mode == 0 ? 0.75f : -1.5f;
                            for (size_t i = 0; i < n_in; i++) imgd[i] = xf[i];
                            expect_ok(cw_image_transform(CW_F32, xf, B, H, W, C, tr, nt, ip,
                                                         (cw_image_fill)mode, fill, OH, OW, got),
                                      "transform f32");
                            ref_transform(imgd, B, H, W, C, tr, nt, nearest, mode, fill, OH, OW,
                                          outd);
                            for (size_t i = 0; i < n; i++) want[i] = (float)outd[i];
                            test_assert_close(got, want, n, 3e-6f, 3e-6f, "Transform f32");

                            for (size_t i = 0; i < n_in; i++) imgd[i] = xi[i];
                            expect_ok(cw_image_transform(CW_I32, xi, B, H, W, C, tr, nt, ip,
                                                         (cw_image_fill)mode, fill, OH, OW, goti),
                                      "transform i32");
                            ref_transform(imgd, B, H, W, C, tr, nt, nearest, mode, fill, OH, OW,
                                          outd);
                            for (size_t i = 0; i < n; i++) wanti[i] = to_int32(outd[i]);
                            assert_memory_equal(goti, wanti, n * 4);
                        }
}

static void expect_error(cw_status st, const char *needle) {
    assert_int_not_equal(st, CW_OK);
    const char *msg = cw_error_message();
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void image_kernels_reject_bad_arguments_with_a_message(void **state) {
    (void)state;
    float x[64] = {0}, out[64];
    float boxes[4] = {0, 0, 1, 1}, tr[8] = {1, 0, 0, 0, 1, 0, 0, 0};
    int32_t neg[1] = {-1}, zero[1] = {0};
    expect_error(cw_image_resize_bilinear_f32(x, 1, -2, 2, 1, 2, 2, 0, 0, out),
                 "ResizeBilinear: images shape [1, -2, 2, 1] has a negative dimension");
    expect_error(cw_image_resize_bilinear_f32(x, 1, 2, 2, 1, 2, 2, 1, 1, out),
                 "ResizeBilinear: alignCorners and halfPixelCenters");
    expect_error(cw_image_resize_bilinear_f32(x, 1, 0, 2, 1, 2, 2, 0, 0, out),
                 "ResizeBilinear: cannot resize an empty 0x2 image");
    expect_error(cw_image_resize_nearest(3, x, 1, 2, 2, 1, 2, 2, 0, 0, out),
                 "ResizeNearestNeighbor: element size 3");
    expect_error(cw_image_resize_nearest(4, x, 1, 2, 2, 1, -1, 2, 0, 0, out),
                 "ResizeNearestNeighbor: output shape");
    expect_error(
        cw_image_crop_and_resize_f32(x, 1, 2, 2, 1, boxes, neg, 1, 2, 2, CW_IMAGE_BILINEAR, 0, out),
        "CropAndResize: boxInd[0] = -1 is negative");
    expect_error(cw_image_crop_and_resize_f32(x, 1, 2, 2, 1, boxes, zero, 1, 0, 2,
                                              CW_IMAGE_BILINEAR, 0, out),
                 "CropAndResize: cropSize must be at least [1, 1], got [0, 2]");
    expect_error(cw_image_crop_and_resize_f32(x, 1, 2, 2, 1, boxes, zero, 1, 2, 2,
                                              (cw_image_interp)7, 0, out),
                 "CropAndResize: unknown method 7");
    expect_error(cw_image_flip_left_right(4, x, 1, 2, -2, 1, out), "FlipLeftRight: image shape");
    expect_error(cw_image_transform(CW_BOOL, x, 1, 2, 2, 1, tr, 1, CW_IMAGE_NEAREST,
                                    CW_IMAGE_FILL_CONSTANT, 0, 2, 2, out),
                 "Transform: image dtype");
    expect_error(cw_image_transform(CW_F32, x, 3, 2, 2, 1, tr, 2, CW_IMAGE_NEAREST,
                                    CW_IMAGE_FILL_CONSTANT, 0, 2, 2, out),
                 "Transform: 2 transforms for a batch of 3");
    expect_error(cw_image_transform(CW_F32, x, 1, 2, 2, 1, tr, 1, (cw_image_interp)5,
                                    CW_IMAGE_FILL_CONSTANT, 0, 2, 2, out),
                 "Transform: interpolation must be");
    expect_error(cw_image_transform(CW_F32, x, 1, 2, 2, 1, tr, 1, CW_IMAGE_NEAREST,
                                    (cw_image_fill)9, 0, 2, 2, out),
                 "Transform: unknown fill mode 9");
    /* Empty outputs are fine. */
    expect_ok(cw_image_resize_bilinear_f32(x, 0, 2, 2, 1, 3, 3, 0, 0, out), "empty batch");
    expect_ok(
        cw_image_crop_and_resize_f32(x, 1, 2, 2, 1, boxes, zero, 0, 2, 2, CW_IMAGE_NEAREST, 0, out),
        "no boxes");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_kernels_are_bit_identical_for_any_thread_count),
        /* from here on the pool has 4 threads */
        cmocka_unit_test(resize_bilinear_matches_reference_for_every_mode_size_and_channel_count),
        cmocka_unit_test(resize_bilinear_keeps_integer_images_exact_on_aligned_grids),
        cmocka_unit_test(resize_nearest_matches_reference_for_every_mode_and_dtype_size),
        cmocka_unit_test(crop_and_resize_matches_reference_with_outside_and_flipped_boxes),
        cmocka_unit_test(crop_and_resize_gives_nan_for_nan_boxes_and_zeros_past_the_batch),
        cmocka_unit_test(flip_left_right_reverses_columns_for_every_width_and_element_size),
        cmocka_unit_test(transform_matches_reference_for_every_fill_mode_and_interpolation),
        cmocka_unit_test(image_kernels_reject_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
