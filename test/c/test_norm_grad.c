#include "test_util.h"

#include <string.h>

#include "cw.h"

#define BUF 40000
static float x[BUF], y[BUF], dy[BUF], got[BUF + 4], want[BUF];

/* Gathered per input channel k: the terms of every channel o whose window
 * holds k, in ascending o, each in double and added to a float. */
static void ref_lrn_grad(size_t rows, int C, int r, double bias, double alpha, double beta,
                         float *dx) {
    for (size_t row = 0; row < rows; row++) {
        const float *xr = x + row * C, *yr = y + row * C, *dyr = dy + row * C;
        for (int k = 0; k < C; k++) {
            float a = 0;
            for (int o = k - r < 0 ? 0 : k - r; o <= k + r && o < C; o++) {
                double n = 0;
                for (int j = o - r < 0 ? 0 : o - r; j <= o + r && j < C; j++)
                    n += (double)xr[j] * xr[j];
                n = alpha * n + bias;
                double t = -2 * alpha * beta * (double)xr[k] * (double)yr[o] / n;
                if (o == k) t += pow(n, -beta);
                a = (float)((double)a + t * dyr[o]);
            }
            dx[row * C + k] = a;
        }
    }
}

static void lrn_grad_matches_reference_over_channels_and_radii(void **state) {
    (void)state;
    static const int chans[] = {1, 2, 3, 4, 5, 8, 9, 17, 33, 64};
    static const int radii[] = {0, 1, 2, 5, 40};
    for (size_t i = 0; i < sizeof chans / sizeof *chans; i++)
        for (size_t j = 0; j < sizeof radii / sizeof *radii; j++) {
            const int C = chans[i], r = radii[j];
            const size_t rows = 37, n = rows * (size_t)C;
            const double bias = 1.3, alpha = 0.0007, beta = 0.61;
            test_fill(x, n, (uint32_t)(i * 5 + j), -3, 3);
            test_fill(dy, n, (uint32_t)(i * 5 + j + 100), -1, 1);
            assert_int_equal(cw_norm_lrn_f32(x, rows, C, r, 1.3f, 0.0007f, 0.61f, y), CW_OK);
            memset(got, 0xAB, (n + 4) * sizeof(float));
            assert_int_equal(cw_norm_lrn_grad_f32(x, y, dy, rows, C, r, bias, alpha, beta, got),
                             CW_OK);
            ref_lrn_grad(rows, C, r, bias, alpha, beta, want);
            char what[64];
            snprintf(what, sizeof what, "lrn grad c%d r%d", C, r);
            test_assert_close(got, want, n, 0, 0, what);
            uint32_t sentinel;
            memcpy(&sentinel, &got[n], sizeof sentinel);
            assert_int_equal(sentinel, 0xABABABABu);
        }
}

/* Central differences of sum(LRN(x) * dy) in x against the gradient. */
static void lrn_grad_equals_finite_differences_of_the_forward_lrn(void **state) {
    (void)state;
    static const int cases[][2] = {{1, 0}, {5, 1}, {7, 2}, {12, 3}, {6, 9}};
    float yp[64], num[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const int C = cases[i][0], r = cases[i][1];
        const size_t rows = 3, n = rows * (size_t)C;
        test_fill(x, n, (uint32_t)i + 9, -2, 2);
        test_fill(dy, n, (uint32_t)i + 19, -1, 1);
        assert_int_equal(cw_norm_lrn_f32(x, rows, C, r, 1.5f, 0.25f, 0.75f, y), CW_OK);
        assert_int_equal(cw_norm_lrn_grad_f32(x, y, dy, rows, C, r, 1.5, 0.25, 0.75, got), CW_OK);
        const float e = 1e-3f;
        for (size_t k = 0; k < n; k++) {
            double l[2];
            for (int side = 0; side < 2; side++) {
                const float keep = x[k];
                x[k] = keep + (side ? -e : e);
                assert_int_equal(cw_norm_lrn_f32(x, rows, C, r, 1.5f, 0.25f, 0.75f, yp), CW_OK);
                x[k] = keep;
                l[side] = 0;
                for (size_t o = 0; o < n; o++) l[side] += (double)yp[o] * dy[o];
            }
            num[k] = (float)((l[0] - l[1]) / (2.0 * e));
        }
        test_assert_close(got, num, n, 2e-3f, 1e-2f, "lrn finite difference");
    }
}

static void lrn_grad_of_many_rows_split_across_threads_matches_reference(void **state) {
    (void)state;
    const int C = 24, r = 2;
    const size_t rows = 1500, n = rows * C;
    test_fill(x, n, 5, -1, 1);
    test_fill(dy, n, 6, -1, 1);
    assert_int_equal(cw_norm_lrn_f32(x, rows, C, r, 1, 1e-4f, 0.75f, y), CW_OK);
    assert_int_equal(cw_norm_lrn_grad_f32(x, y, dy, rows, C, r, 1, 1e-4, 0.75, got), CW_OK);
    ref_lrn_grad(rows, C, r, 1, 1e-4, 0.75, want);
    test_assert_close(got, want, n, 0, 0, "many rows");
}

static void lrn_grad_rejects_bad_arguments_with_a_message(void **state) {
    (void)state;
    assert_int_equal(cw_norm_lrn_grad_f32(x, y, dy, 2, 3, -1, 1, 1, 1, got), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "LRNGrad: depthRadius"));
    assert_int_equal(cw_norm_lrn_grad_f32(x, NULL, dy, 2, 3, 1, 1, 1, 1, got), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "LRNGrad: y is NULL"));
    assert_int_equal(cw_norm_lrn_grad_f32(x, y, dy, 2, 3, 1, 1, 1, 1, dy), CW_ERR_INVALID);
    assert_int_equal(cw_norm_lrn_grad_f32(NULL, NULL, NULL, 0, 3, 1, 1, 1, 1, NULL), CW_OK);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lrn_grad_matches_reference_over_channels_and_radii),
        cmocka_unit_test(lrn_grad_equals_finite_differences_of_the_forward_lrn),
        cmocka_unit_test(lrn_grad_of_many_rows_split_across_threads_matches_reference),
        cmocka_unit_test(lrn_grad_rejects_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
