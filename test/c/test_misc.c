/* LinSpace, Diag, SearchSorted, Bincount / DenseBincount and Multinomial
 * against plain reference loops and their defining properties. */
#include "test_util.h"

#include "cw.h"

static void linspace_accumulates_the_step_in_float_as_the_reference(void **state) {
    (void)state;
    const int nums[] = {1, 2, 3, 7, 100, 1001};
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        const int n = nums[k];
        float *got = malloc((size_t)n * sizeof(float)), *want = malloc((size_t)n * sizeof(float));
        assert_int_equal(cw_linspace_f32(-1.5, 7.25, n, got), CW_OK);
        const double step = (7.25 + 1.5) / (double)(n - 1);
        want[0] = -1.5f;
        for (int i = 1; i < n; i++) want[i] = (float)((double)want[i - 1] + step);
        assert_memory_equal(got, want, (size_t)n * sizeof(float));
        if (n > 1) assert_true(fabsf(got[n - 1] - 7.25f) < 1e-3f);
        free(got), free(want);
    }
    float one;
    assert_int_equal(cw_linspace_f32(0, 1, 0, &one), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "LinSpace"));
}

static void diag_puts_x_on_the_diagonal_and_zeros_elsewhere(void **state) {
    (void)state;
    for (size_t n = 0; n <= 9; n++) {
        int32_t x[9] = {0}, out[81];
        for (size_t i = 0; i < n; i++) x[i] = (int32_t)(i * 7 + 1);
        memset(out, 0x5A, sizeof out);
        assert_int_equal(cw_diag(4, x, n, out), CW_OK);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) assert_int_equal(out[i * n + j], i == j ? x[i] : 0);
    }
    uint8_t b[3] = {1, 0, 1}, bo[9];
    assert_int_equal(cw_diag(1, b, 3, bo), CW_OK);
    assert_int_equal(bo[0] + bo[4] + bo[8], 2);
}

static void search_sorted_finds_left_and_right_insertion_points(void **state) {
    (void)state;
    const float sorted[2][6] = {{0, 1, 1, 2, 4, 4}, {-3, -1, 0, 0, 5, 9}};
    const float values[2][5] = {{-1, 1, 3, 4, 9}, {0, 0.5f, -5, 9, 10}};
    int32_t got[10];
    for (int right = 0; right <= 1; right++) {
        assert_int_equal(cw_search_sorted_f32(&sorted[0][0], &values[0][0], 2, 6, 5, right, got),
                         CW_OK);
        for (int b = 0; b < 2; b++)
            for (int j = 0; j < 5; j++) {
                int want = 0;
                while (want < 6 &&
                       (right ? sorted[b][want] <= values[b][j] : sorted[b][want] < values[b][j]))
                    want++;
                assert_int_equal(got[b * 5 + j], want);
            }
    }
    assert_int_equal(cw_search_sorted_f32(NULL, &values[0][0], 1, 0, 5, 0, got), CW_OK);
    for (int j = 0; j < 5; j++) assert_int_equal(got[j], 0);
}

static void bincount_counts_weights_and_binary_outputs_per_row(void **state) {
    (void)state;
    const int32_t x[2][6] = {{1, 1, 3, 7, 0, 1}, {2, 2, 2, 9, 4, 0}};
    const float w[2][6] = {{0.5f, 1.5f, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6}};
    const int32_t wi[2][6] = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};
    float out[2][5];
    int32_t iout[2][5];
    assert_int_equal(cw_bincount("DenseBincount", &x[0][0], 2, 6, &w[0][0], CW_F32, 5, 0, out),
                     CW_OK);
    const float want[2][5] = {{4, 7, 0, 2, 0}, {6, 0, 6, 0, 5}};
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(cw_bincount("DenseBincount", &x[0][0], 2, 6, NULL, CW_I32, 5, 0, iout), CW_OK);
    const int32_t counts[2][5] = {{1, 3, 0, 1, 0}, {1, 0, 3, 0, 1}};
    assert_memory_equal(iout, counts, sizeof counts);
    assert_int_equal(cw_bincount("DenseBincount", &x[0][0], 2, 6, &wi[0][0], CW_I32, 5, 1, iout),
                     CW_OK);
    const int32_t binary[2][5] = {{1, 1, 0, 1, 0}, {1, 0, 1, 0, 1}};
    assert_memory_equal(iout, binary, sizeof binary);
    const int32_t neg[3] = {1, -1, 2};
    assert_int_equal(cw_bincount("Bincount", neg, 1, 3, NULL, CW_F32, 4, 0, out), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Bincount: Input x must be non-negative"));
}

static void multinomial_draws_follow_the_probabilities(void **state) {
    (void)state;
    enum { S = 20000 };
    const float probs[3][4] = {{0.1f, 0.2f, 0.3f, 0.4f}, {0, 0, 1, 0}, {0.5f, 0.5f, 0, 0}};
    int32_t *out = malloc(3 * S * sizeof(int32_t)), *again = malloc(3 * S * sizeof(int32_t));
    assert_int_equal(cw_multinomial_f32(&probs[0][0], 3, 4, S, 42.0, out), CW_OK);
    for (int b = 0; b < 3; b++) {
        int count[4] = {0};
        for (int s = 0; s < S; s++) {
            const int32_t e = out[b * S + s];
            assert_true(e >= 0 && e < 4);
            count[e]++;
        }
        for (int e = 0; e < 4; e++)
            if (fabs((double)count[e] / S - probs[b][e]) > 0.015)
                fail_msg("row %d event %d drawn %.4f of the time, probability %.2f", b, e,
                         (double)count[e] / S, (double)probs[b][e]);
    }
    /* the same seed gives the same draws; another seed other draws */
    assert_int_equal(cw_multinomial_f32(&probs[0][0], 3, 4, S, 42.0, again), CW_OK);
    assert_memory_equal(out, again, 3 * S * sizeof(int32_t));
    assert_int_equal(cw_multinomial_f32(&probs[0][0], 3, 4, S, 43.0, again), CW_OK);
    assert_true(memcmp(out, again, S * sizeof(int32_t)) != 0);
    assert_int_equal(cw_multinomial_f32(&probs[0][0], 1, 1, S, 1.0, out), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Multinomial"));
    free(out), free(again);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linspace_accumulates_the_step_in_float_as_the_reference),
        cmocka_unit_test(diag_puts_x_on_the_diagonal_and_zeros_elsewhere),
        cmocka_unit_test(search_sorted_finds_left_and_right_insertion_points),
        cmocka_unit_test(bincount_counts_weights_and_binary_outputs_per_row),
        cmocka_unit_test(multinomial_draws_follow_the_probabilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
