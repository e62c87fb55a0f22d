#include "test_util.h"

#include <string.h>

#include "cw.h"

static const int channel_counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33};
#define N_CHANNELS (int)(sizeof channel_counts / sizeof channel_counts[0])
#define BUF (1 << 16)

static float x[BUF], got[BUF], want[BUF];
static float mean[64], var[64], off[64], scl[64];

/* ---- references: tfjs-backend-cpu's loops, in double ---- */

static void ref_batch_norm(const float *xs, size_t n, const float *m, int ml, const float *v,
                           int vl, const float *o, int ol, const float *s, int sl, double eps,
                           float *out) {
    for (size_t i = 0; i < n; i++) {
        double ov = o ? o[i % (size_t)ol] : 0.0, sv = s ? s[i % (size_t)sl] : 1.0;
        out[i] = (float)(ov + ((double)xs[i] - m[i % (size_t)ml]) * sv /
                                  sqrt((double)v[i % (size_t)vl] + eps));
    }
}

static void ref_lrn(const float *xs, size_t rows, int C, int r, double bias, double alpha,
                    double beta, float *out) {
    for (size_t i = 0; i < rows * (size_t)C; i++) {
        int c = (int)(i % (size_t)C);
        size_t base = i - (size_t)c;
        int lo = c - r > 0 ? c - r : 0, hi = c + r < C - 1 ? c + r : C - 1;
        double sum = 0;
        for (int j = lo; j <= hi; j++) sum += (double)xs[base + j] * xs[base + j];
        out[i] = (float)(xs[i] * pow(bias + alpha * sum, -beta));
    }
}

static void expect_ok(cw_status st, const char *what) {
    if (st != CW_OK) fail_msg("%s failed: %s", what, cw_error_message());
}

static void fill_params(uint32_t seed) {
    test_fill(mean, 64, seed, -1, 1);
    test_fill(var, 64, seed + 1, 0.1f, 3);
    test_fill(off, 64, seed + 2, -2, 2);
    test_fill(scl, 64, seed + 3, -2, 2);
}

/* ---- tests ---- */

static void norm_kernels_are_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    static float serial[2][BUF];
    test_fill(x, BUF, 1, -3, 3);
    fill_params(2);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) assert_int_equal(cw_threads_init(4), 4);
        float *o0 = pass ? got : serial[0], *o1 = pass ? want : serial[1];
        expect_ok(cw_norm_batch_norm_f32(x, BUF, mean, 32, var, 32, off, 1, scl, 32, 1e-3f, o0),
                  "batch norm");
        expect_ok(cw_norm_lrn_f32(x, BUF / 64, 64, 20, 1.0f, 1e-3f, 0.75f, o1), "lrn");
    }
    assert_memory_equal(serial[0], got, sizeof got);
    assert_memory_equal(serial[1], want, sizeof want);
}

static void batch_norm_matches_reference_for_param_lengths_1_and_c_and_missing_ones(void **state) {
    (void)state;
    static const int rows_list[] = {0, 1, 3, 7, 40};
    test_fill(x, BUF, 3, -4, 4);
    fill_params(4);
    for (int a = 0; a < 5; a++)
        for (int k = 0; k < N_CHANNELS; k++)
            for (int mask = 0; mask < 64; mask++) {
                int C = channel_counts[k];
                size_t n = (size_t)rows_list[a] * C;
                /* bits 0..3: lengths 1 or C; bits 4, 5: offset / scale missing */
                int ml = mask & 1 ? C : 1, vl = mask & 2 ? C : 1;
                int ol = mask & 16 ? 0 : (mask & 4 ? C : 1);
                int sl = mask & 32 ? 0 : (mask & 8 ? C : 1);
                const float *o = ol ? off : NULL, *s = sl ? scl : NULL;
                expect_ok(cw_norm_batch_norm_f32(x, n, mean, ml, var, vl, o, ol, s, sl, 1e-3f, got),
                          "batch norm");
                ref_batch_norm(x, n, mean, ml, var, vl, o, ol, s, sl, 1e-3f, want);
                test_assert_close(got, want, n, 2e-6f, 2e-6f, "FusedBatchNorm");
            }
}

static void batch_norm_cycles_parameters_of_any_length_like_tfjs_cpu(void **state) {
    (void)state;
    static const int lens[] = {1, 2, 3, 5, 7, 33};
    test_fill(x, BUF, 5, -4, 4);
    fill_params(6);
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 6; b++)
            for (int c = 0; c < 6; c++)
                for (size_t n = 0; n < 120; n += 17) {
                    int ml = lens[a], vl = lens[b], ol = lens[c], sl = lens[(a + c) % 6];
                    expect_ok(cw_norm_batch_norm_f32(x, n, mean, ml, var, vl, off, ol, scl, sl,
                                                     0.01f, got),
                              "batch norm");
                    ref_batch_norm(x, n, mean, ml, var, vl, off, ol, scl, sl, 0.01f, want);
                    test_assert_close(got, want, n, 2e-6f, 2e-6f, "FusedBatchNorm cycles");
                }
    /* In place. */
    memcpy(got, x, 100 * sizeof(float));
    expect_ok(cw_norm_batch_norm_f32(got, 100, mean, 10, var, 10, off, 10, scl, 10, 0.1f, got),
              "in place");
    ref_batch_norm(x, 100, mean, 10, var, 10, off, 10, scl, 10, 0.1f, want);
    test_assert_close(got, want, 100, 2e-6f, 2e-6f, "FusedBatchNorm in place");
}

static void batch_norm_propagates_nan_and_zero_variance_like_tfjs_cpu(void **state) {
    (void)state;
    float xs[8] = {1, NAN, 3, INFINITY, -2, 0, 5, -INFINITY};
    float m[4] = {0, 1, 0, 1}, v[4] = {0, 1, 4, 0}, out[8], ref[8];
    expect_ok(cw_norm_batch_norm_f32(xs, 8, m, 4, v, 4, NULL, 0, NULL, 0, 0.0f, out), "bn");
    ref_batch_norm(xs, 8, m, 4, v, 4, NULL, 0, NULL, 0, 0.0, ref);
    test_assert_close(out, ref, 8, 1e-6f, 1e-6f, "FusedBatchNorm special values");
}

static void lrn_matches_reference_for_radii_0_to_3_and_wide_windows(void **state) {
    (void)state;
    static const int radii[] = {0, 1, 2, 3, 5, 8, 20};
    static const float betas[] = {0.5f, 0.75f, 1.0f};
    test_fill(x, BUF, 7, -3, 3);
    for (int a = 0; a < 7; a++)
        for (int k = 0; k < N_CHANNELS; k++)
            for (int b = 0; b < 3; b++) {
                int C = channel_counts[k];
                size_t rows = 13;
                expect_ok(cw_norm_lrn_f32(x, rows, C, radii[a], 1.5f, 0.25f, betas[b], got), "lrn");
                ref_lrn(x, rows, C, radii[a], 1.5f, 0.25f, betas[b], want);
                test_assert_close(got, want, rows * C, 1e-6f, 2e-6f, "LRN");
            }
}

static void lrn_keeps_nan_and_infinity_inside_their_window(void **state) {
    (void)state;
    float xs[40];
    test_fill(xs, 40, 9, -1, 1);
    xs[3] = NAN;
    xs[25] = INFINITY;
    for (int r = 0; r <= 12; r += 4) {
        expect_ok(cw_norm_lrn_f32(xs, 2, 20, r, 1.0f, 1.0f, 0.5f, got), "lrn");
        ref_lrn(xs, 2, 20, r, 1.0, 1.0, 0.5, want);
        test_assert_close(got, want, 40, 1e-6f, 2e-6f, "LRN special values");
    }
}

static void expect_error(cw_status st, const char *needle) {
    assert_int_not_equal(st, CW_OK);
    const char *msg = cw_error_message();
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void norm_kernels_reject_bad_arguments_with_a_message(void **state) {
    (void)state;
    float xs[8] = {0}, p[2] = {1, 1}, out[8];
    expect_error(cw_norm_batch_norm_f32(xs, 8, p, 0, p, 1, NULL, 0, NULL, 0, 0, out),
                 "FusedBatchNorm: mean is empty");
    expect_error(cw_norm_batch_norm_f32(xs, 8, p, 1, NULL, 1, NULL, 0, NULL, 0, 0, out),
                 "FusedBatchNorm: variance is empty");
    expect_error(cw_norm_batch_norm_f32(xs, 8, p, 1, p, 1, p, 0, NULL, 0, 0, out),
                 "FusedBatchNorm: offset is empty");
    expect_error(cw_norm_batch_norm_f32(xs, 8, p, 1, p, 1, NULL, 0, p, -1, 0, out),
                 "FusedBatchNorm: scale is empty");
    expect_error(cw_norm_lrn_f32(xs, 2, 4, -1, 1, 1, 0.5f, out), "LRN: depthRadius -1 is negative");
    expect_error(cw_norm_lrn_f32(xs, 2, -4, 1, 1, 1, 0.5f, out), "LRN: channels -4 is negative");
    expect_error(cw_norm_lrn_f32(xs, 2, 4, 1, 1, 1, 0.5f, xs), "LRN: x and out must not alias");
    expect_ok(cw_norm_lrn_f32(xs, 0, 4, 1, 1, 1, 0.5f, out), "empty lrn");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(norm_kernels_are_bit_identical_for_any_thread_count),
        /* from here on the pool has 4 threads */
        cmocka_unit_test(batch_norm_matches_reference_for_param_lengths_1_and_c_and_missing_ones),
        cmocka_unit_test(batch_norm_cycles_parameters_of_any_length_like_tfjs_cpu),
        cmocka_unit_test(batch_norm_propagates_nan_and_zero_variance_like_tfjs_cpu),
        cmocka_unit_test(lrn_matches_reference_for_radii_0_to_3_and_wide_windows),
        cmocka_unit_test(lrn_keeps_nan_and_infinity_inside_their_window),
        cmocka_unit_test(norm_kernels_reject_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
