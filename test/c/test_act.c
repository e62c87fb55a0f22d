#include "test_util.h"

#include "cw.h"

static float ref_act(float x, cw_act act, float alpha) {
    switch (act) {
    case CW_ACT_RELU:
        return x < 0 ? 0 : x;
    case CW_ACT_RELU6:
        return x < 0 ? 0 : (x > 6 ? 6 : x);
    case CW_ACT_ELU:
        return x >= 0 ? x : (float)(exp(x) - 1.0);
    case CW_ACT_LEAKYRELU:
        return x < 0 ? alpha * x : x;
    case CW_ACT_SIGMOID:
        return (float)(1.0 / (1.0 + exp(-x)));
    default:
        return x;
    }
}

static void act_apply_matches_reference_on_all_sizes(void **state) {
    (void)state;
    float x[37], y[37], want[37];
    for (int act = CW_ACT_LINEAR; act <= CW_ACT_SIGMOID; act++) {
        if (act == CW_ACT_PRELU) continue;
        for (size_t n = 0; n <= 37; n++) {
            test_fill(x, n, 7 + (uint32_t)n, -8.0f, 8.0f);
            if (n > 5) x[n / 2] = NAN; /* NaN stays NaN through every activation */
            for (size_t i = 0; i < n; i++) {
                y[i] = x[i];
                want[i] = ref_act(x[i], (cw_act)act, 0.2f);
            }
            cw_act_apply(y, n, (cw_act)act, 0.2f);
            test_assert_close(y, want, n, 1e-6f, 1e-5f, "cw_act_apply");
        }
    }
}

static void act_sigmoid_and_elu_stay_finite_and_accurate_at_large_magnitudes(void **state) {
    (void)state;
    const float x[] = {100.0f, -100.0f, 88.8f, -88.8f, INFINITY, -INFINITY, -30.0f, 30.0f, -1e-30f,
                       0.0f,   -0.0f,   1e-3f, -1e-3f, -0.7f,    0.7f,      -17.0f, 5.0f};
    const size_t n = sizeof x / sizeof x[0];
    float y[sizeof x / sizeof x[0]];
    for (int act = CW_ACT_ELU; act <= CW_ACT_SIGMOID; act += CW_ACT_SIGMOID - CW_ACT_ELU) {
        for (size_t off = 0; off < 4; off++) { /* every lane position and tail length */
            for (size_t i = 0; i < n - off; i++) y[i] = x[i + off];
            cw_act_apply(y, n - off, (cw_act)act, 0.0f);
            for (size_t i = 0; i < n - off; i++) {
                double v = x[i + off];
                double w = act == CW_ACT_SIGMOID ? 1.0 / (1.0 + exp(-v)) : (v >= 0 ? v : expm1(v));
                /* 3e-7 relative, or one ulp of a subnormal result */
                int ok = isinf(w) ? y[i] == (float)w : fabs(y[i] - w) <= 3e-7 * fabs(w) + 0x1p-149;
                if (!ok) fail_msg("act %d of %.9g is %.9g, expected %.9g", act, v, (double)y[i], w);
            }
        }
    }
}

static void act_apply_row_adds_bias_and_prelu_per_column(void **state) {
    (void)state;
    float bias[9], w[9], y[5], want[5];
    test_fill(bias, 9, 1, -1, 1);
    test_fill(w, 9, 2, 0, 1);
    test_fill(y, 5, 3, -2, 2);
    cw_epilogue ep = {bias, 9, CW_ACT_PRELU, 0.0f, w, 9};
    for (int i = 0; i < 5; i++) {
        float v = y[i] + bias[3 + i];
        want[i] = v < 0 ? v * w[3 + i] : v;
    }
    cw_act_apply_row(y, 5, 3, &ep);
    test_assert_close(y, want, 5, 1e-6f, 1e-6f, "cw_act_apply_row");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(act_apply_matches_reference_on_all_sizes),
        cmocka_unit_test(act_sigmoid_and_elu_stay_finite_and_accurate_at_large_magnitudes),
        cmocka_unit_test(act_apply_row_adds_bias_and_prelu_per_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
