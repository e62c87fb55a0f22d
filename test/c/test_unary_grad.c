#include "test_util.h"

#include <string.h>

#include "cw.h"

#define N 70000
static float x[N], y[N], dy[N], got[N + 4];

static void elu_grad_matches_reference_over_sizes_and_special_values(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 3, 4, 5, 15, 16, 17, 33, 1000, N};
    test_fill(y, N, 1, -1, 3);
    test_fill(dy, N, 2, -2, 2);
    y[0] = -1, y[1] = 0, y[2] = -0.0f, y[3] = NAN, y[4] = INFINITY, y[5] = -1e-30f;
    dy[6] = NAN;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        const size_t n = sizes[k];
        memset(got, 0xAB, (n + 4) * sizeof(float));
        assert_int_equal(cw_unary_elu_grad_f32(dy, y, got, n), CW_OK);
        for (size_t i = 0; i < n; i++) {
            const double v = y[i];
            const float w = v >= 0 ? dy[i] : (float)(dy[i] * (v + 1));
            if (!(got[i] == w || (isnan(got[i]) && isnan(w))))
                fail_msg("n %zu: dx[%zu] = %.9g, expected %.9g", n, i, got[i], w);
        }
        uint32_t sentinel;
        memcpy(&sentinel, &got[n], sizeof sentinel);
        assert_int_equal(sentinel, 0xABABABABu);
    }
}

/* d/dx of Elu by central differences, against EluGrad of y = Elu(x). */
static void elu_grad_equals_finite_differences_of_elu(void **state) {
    (void)state;
    const size_t n = 200;
    float yp[200], ym[200], xp[200], xm[200], num[200];
    for (size_t i = 0; i < n; i++) {
        x[i] = -4.0f + 0.04f * (float)i;
        if (fabsf(x[i]) < 0.02f) x[i] = 0.05f; /* away from the kink */
    }
    test_fill(dy, n, 3, -1, 1);
    assert_int_equal(cw_unary(CW_UNARY_ELU, CW_F32, x, y, n, 0, 0), CW_OK);
    assert_int_equal(cw_unary_elu_grad_f32(dy, y, got, n), CW_OK);
    const float e = 0.005f;
    for (size_t i = 0; i < n; i++) xp[i] = x[i] + e, xm[i] = x[i] - e;
    assert_int_equal(cw_unary(CW_UNARY_ELU, CW_F32, xp, yp, n, 0, 0), CW_OK);
    assert_int_equal(cw_unary(CW_UNARY_ELU, CW_F32, xm, ym, n, 0, 0), CW_OK);
    for (size_t i = 0; i < n; i++)
        num[i] = (float)(dy[i] * ((double)yp[i] - ym[i]) / ((double)xp[i] - xm[i]));
    test_assert_close(got, num, n, 1e-3f, 1e-3f, "elu finite difference");
}

static void elu_grad_rejects_null_pointers_with_a_message(void **state) {
    (void)state;
    assert_int_equal(cw_unary_elu_grad_f32(dy, NULL, got, 4), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "EluGrad: y is NULL"));
    assert_int_equal(cw_unary_elu_grad_f32(NULL, NULL, NULL, 0), CW_OK);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elu_grad_matches_reference_over_sizes_and_special_values),
        cmocka_unit_test(elu_grad_equals_finite_differences_of_elu),
        cmocka_unit_test(elu_grad_rejects_null_pointers_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
