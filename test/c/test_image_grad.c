#include "test_util.h"

#include <string.h>

#include "cw.h"

#define BUF 120000
static float dy[BUF], got[BUF + 4], want[BUF];
static double acc[BUF];

static double js_round(double x) {
    double f = floor(x);
    return x - f >= 0.5 ? f + 1 : f;
}

static void ratios(int H, int W, int OH, int OW, int align, double *rh, double *rw) {
    *rh = (double)((align && OH > 1) ? H - 1 : H) / ((align && OH > 1) ? OH - 1 : OH);
    *rw = (double)((align && OW > 1) ? W - 1 : W) / ((align && OW > 1) ? OW - 1 : OW);
}

/* The bilinear taps of the forward sample at index i. */
static void taps(int i, double ratio, int half, int len, int *lo, int *hi, double *f) {
    double s = half ? ratio * (i + 0.5) - 0.5 : ratio * i;
    double fl = floor(s);
    if (half && fl < 0) fl = 0;
    *lo = (int)fl;
    *hi = (int)fmin(len - 1, ceil(s));
    *f = s - fl;
}

/* tfjs-backend-cpu's scatter: dx (float32) += dy * weight, weights in double,
 * visiting dy in order and the corners top-left, top-right, bottom-left,
 * bottom-right. */
static void ref_bilinear_grad(int B, int H, int W, int C, int OH, int OW, int align, int half,
                              float *dx) {
    double rh, rw;
    ratios(H, W, OH, OW, align, &rh, &rw);
    memset(dx, 0, sizeof(float) * (size_t)B * H * W * C);
    size_t o = 0;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < OH; r++) {
            int t, bo;
            double fr;
            taps(r, rh, half, H, &t, &bo, &fr);
            for (int c = 0; c < OW; c++) {
                int l, ri;
                double fc;
                taps(c, rw, half, W, &l, &ri, &fc);
                const int at[4][2] = {{t, l}, {t, ri}, {bo, l}, {bo, ri}};
                const double w[4] = {(1 - fr) * (1 - fc), (1 - fr) * fc, fr * (1 - fc), fr * fc};
                for (int d = 0; d < C; d++, o++)
                    for (int k = 0; k < 4; k++) {
                        float *p = &dx[(((size_t)b * H + at[k][0]) * W + at[k][1]) * C + d];
                        *p = (float)((double)*p + (double)dy[o] * w[k]);
                    }
            }
        }
}

static int nearest(int i, double ratio, int align, int half, int len) {
    double s = half ? ratio * (i + 0.5) : ratio * i;
    double v = fmin(len - 1, align ? js_round(s) : floor(s));
    return (int)fmax(0, v);
}

static void ref_nearest_grad(int B, int H, int W, int C, int OH, int OW, int align, int half,
                             float *dx) {
    double rh, rw;
    ratios(H, W, OH, OW, align, &rh, &rw);
    const size_t n = (size_t)B * H * W * C;
    for (size_t i = 0; i < n; i++) acc[i] = 0;
    size_t o = 0;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < OH; r++)
            for (int c = 0; c < OW; c++)
                for (int d = 0; d < C; d++, o++)
                    acc[(((size_t)b * H + nearest(r, rh, align, half, H)) * W +
                         nearest(c, rw, align, half, W)) *
                            C +
                        d] += dy[o];
    for (size_t i = 0; i < n; i++) dx[i] = (float)acc[i];
}

static const int sizes[][4] = {{2, 2, 3, 5}, {3, 4, 8, 7}, {5, 7, 2, 3}, {4, 4, 4, 4},
                               {1, 3, 4, 1}, {6, 5, 3, 9}, {9, 8, 4, 3}, {2, 3, 1, 1}};
static const int modes[][2] = {{0, 0}, {1, 0}, {0, 1}};

static void resize_grads_match_reference_for_every_mode_size_and_channel_count(void **state) {
    (void)state;
    static const int chans[] = {1, 3, 4, 5, 9, 65};
    for (size_t k = 0; k < sizeof chans / sizeof *chans; k++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            for (int m = 0; m < 3; m++) {
                const int *z = sizes[s], C = chans[k], B = 2;
                const int al = modes[m][0], hp = modes[m][1];
                const size_t n = (size_t)B * z[0] * z[1] * C;
                test_fill(dy, (size_t)B * z[2] * z[3] * C, (uint32_t)(s * 7 + k), -2, 2);
                char what[96];
                for (int bil = 0; bil < 2; bil++) {
                    memset(got, 0xAB, (n + 4) * sizeof(float));
                    cw_status st = bil ? cw_image_resize_bilinear_grad_f32(dy, B, z[0], z[1], C,
                                                                           z[2], z[3], al, hp, got)
                                       : cw_image_resize_nearest_grad_f32(dy, B, z[0], z[1], C,
                                                                          z[2], z[3], al, hp, got);
                    snprintf(what, sizeof what, "%s %dx%d->%dx%d c%d align %d half %d",
                             bil ? "bilinear" : "nearest", z[0], z[1], z[2], z[3], C, al, hp);
                    if (st != CW_OK) fail_msg("%s: %s", what, cw_error_message());
                    if (bil)
                        ref_bilinear_grad(B, z[0], z[1], C, z[2], z[3], al, hp, want);
                    else
                        ref_nearest_grad(B, z[0], z[1], C, z[2], z[3], al, hp, want);
                    test_assert_close(got, want, n, 0, 0, what);
                    uint32_t sentinel;
                    memcpy(&sentinel, &got[n], sizeof sentinel);
                    assert_int_equal(sentinel, 0xABABABABu);
                }
            }
}

/* Central differences of sum(resize(x) * dy) in x against the gradient. */
static void resize_grads_equal_finite_differences_of_the_forward_resizes(void **state) {
    (void)state;
    float x[256], y[512], dx[256], num[256];
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int m = 0; m < 3; m++)
            for (int bil = 0; bil < 2; bil++) {
                const int *z = sizes[s], C = 2, al = modes[m][0], hp = modes[m][1];
                const size_t n_in = (size_t)z[0] * z[1] * C, n_out = (size_t)z[2] * z[3] * C;
                test_fill(x, n_in, 3, -1, 1);
                test_fill(dy, n_out, 4, -1, 1);
                assert_int_equal(bil ? cw_image_resize_bilinear_grad_f32(dy, 1, z[0], z[1], C, z[2],
                                                                         z[3], al, hp, dx)
                                     : cw_image_resize_nearest_grad_f32(dy, 1, z[0], z[1], C, z[2],
                                                                        z[3], al, hp, dx),
                                 CW_OK);
                const float e = 0.01f;
                for (size_t i = 0; i < n_in; i++) {
                    double l[2];
                    for (int side = 0; side < 2; side++) {
                        const float keep = x[i];
                        x[i] = keep + (side ? -e : e);
                        if (bil)
                            assert_int_equal(cw_image_resize_bilinear_f32(x, 1, z[0], z[1], C, z[2],
                                                                          z[3], al, hp, y),
                                             CW_OK);
                        else
                            assert_int_equal(cw_image_resize_nearest(4, x, 1, z[0], z[1], C, z[2],
                                                                     z[3], al, hp, y),
                                             CW_OK);
                        x[i] = keep;
                        l[side] = 0;
                        for (size_t o = 0; o < n_out; o++) l[side] += (double)y[o] * dy[o];
                    }
                    num[i] = (float)((l[0] - l[1]) / (2.0 * e));
                }
                test_assert_close(dx, num, n_in, 1e-3f, 1e-3f, bil ? "bilinear fd" : "nearest fd");
            }
}

static void resize_grads_of_large_images_split_across_threads_match_reference(void **state) {
    (void)state;
    const int B = 2, H = 33, W = 17, C = 24, OH = 70, OW = 30;
    const size_t n = (size_t)B * H * W * C;
    test_fill(dy, (size_t)B * OH * OW * C, 11, -1, 1);
    assert_int_equal(cw_image_resize_bilinear_grad_f32(dy, B, H, W, C, OH, OW, 0, 1, got), CW_OK);
    ref_bilinear_grad(B, H, W, C, OH, OW, 0, 1, want);
    test_assert_close(got, want, n, 0, 0, "large bilinear");
    assert_int_equal(cw_image_resize_nearest_grad_f32(dy, B, H, W, C, OH, OW, 1, 0, got), CW_OK);
    ref_nearest_grad(B, H, W, C, OH, OW, 1, 0, want);
    test_assert_close(got, want, n, 0, 0, "large nearest");
}

static void resize_grads_reject_bad_arguments_with_a_message(void **state) {
    (void)state;
    float d[4] = {0}, out[4];
    assert_int_equal(cw_image_resize_bilinear_grad_f32(d, 1, 2, 2, 1, 2, 2, 1, 1, out),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "ResizeBilinearGrad: alignCorners"));
    assert_int_equal(cw_image_resize_nearest_grad_f32(d, 1, -2, 2, 1, 2, 2, 0, 0, out),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "ResizeNearestNeighborGrad: images"));
    assert_int_equal(cw_image_resize_nearest_grad_f32(NULL, 1, 2, 2, 1, 2, 2, 0, 0, out),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "dy is NULL"));
    /* an empty dy gives a zero gradient */
    out[0] = out[3] = 7;
    assert_int_equal(cw_image_resize_bilinear_grad_f32(NULL, 1, 2, 2, 1, 0, 2, 0, 0, out), CW_OK);
    assert_true(out[0] == 0 && out[3] == 0);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resize_grads_match_reference_for_every_mode_size_and_channel_count),
        cmocka_unit_test(resize_grads_equal_finite_differences_of_the_forward_resizes),
        cmocka_unit_test(resize_grads_of_large_images_split_across_threads_match_reference),
        cmocka_unit_test(resize_grads_reject_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
