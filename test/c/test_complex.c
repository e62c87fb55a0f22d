#include "test_util.h"

#include <string.h>

#include "cw.h"

#define MAX_N 4200
#define MAX_ROWS 64

static float in_re[MAX_ROWS * MAX_N], in_im[MAX_ROWS * MAX_N];
static float out_re[MAX_ROWS * MAX_N], out_im[MAX_ROWS * MAX_N];
static float back_re[MAX_ROWS * MAX_N], back_im[MAX_ROWS * MAX_N];
static double ref_re[MAX_N], ref_im[MAX_N];

/* Reference: the defining sum in double, angles reduced with (j * k) mod n. */
static void ref_dft(const float *xr, const float *xi, size_t n, int inverse, double *yr,
                    double *yi) {
    const double two_pi = 6.283185307179586476925286766559, sign = inverse ? 1.0 : -1.0;
    for (size_t k = 0; k < n; k++) {
        double sr = 0.0, si = 0.0;
        for (size_t j = 0; j < n; j++) {
            double a = sign * two_pi * (double)((j * k) % n) / (double)n;
            sr += xr[j] * cos(a) - xi[j] * sin(a);
            si += xr[j] * sin(a) + xi[j] * cos(a);
        }
        yr[k] = inverse ? sr / (double)n : sr;
        yi[k] = inverse ? si / (double)n : si;
    }
}

static double l2(const float *re, const float *im, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)re[i] * re[i] + (double)im[i] * im[i];
    return sqrt(s);
}

/* Float radix-2 error grows like eps * log2(n) * ||x||; the double paths do better. */
static double fft_tolerance(size_t n, double norm) {
    return 4e-7 * (1.0 + log2((double)n)) * norm + 1e-30;
}

static void check_fft_against_reference(size_t n, size_t rows, int inverse) {
    test_fill(in_re, rows * n, (uint32_t)(n * 7 + rows), -1.0f, 1.0f);
    test_fill(in_im, rows * n, (uint32_t)(n * 13 + rows + 1), -1.0f, 1.0f);
    assert_int_equal(cw_fft(in_re, in_im, out_re, out_im, rows, n, inverse), CW_OK);
    for (size_t r = 0; r < rows; r++) {
        const size_t o = r * n;
        ref_dft(in_re + o, in_im + o, n, inverse, ref_re, ref_im);
        double tol = fft_tolerance(n, l2(in_re + o, in_im + o, n)) / (inverse ? (double)n : 1.0);
        for (size_t k = 0; k < n; k++) {
            double er = fabs(out_re[o + k] - ref_re[k]), ei = fabs(out_im[o + k] - ref_im[k]);
            if (er > tol || ei > tol)
                fail_msg("%s n=%zu row %zu bin %zu: (%g, %g), expected (%g, %g), tol %g",
                         inverse ? "IFFT" : "FFT", n, r, k, (double)out_re[o + k],
                         (double)out_im[o + k], ref_re[k], ref_im[k], tol);
        }
    }
}

static void fft_matches_the_defining_sum_for_every_length_up_to_70(void **state) {
    (void)state;
    for (size_t n = 1; n <= 70; n++) {
        check_fft_against_reference(n, 3, 0);
        check_fft_against_reference(n, 2, 1);
    }
}

static void fft_matches_the_defining_sum_for_long_power_of_two_and_other_rows(void **state) {
    (void)state;
    static const size_t lengths[] = {127, 128, 129, 255, 256, 600, 1000, 1024, 2048, 4096, 4099};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        check_fft_against_reference(lengths[i], 1, 0);
        check_fft_against_reference(lengths[i], 1, 1);
    }
}

static void inverse_of_forward_gives_the_input_back(void **state) {
    (void)state;
    static const size_t lengths[] = {1,  2,  3,  4,  5,   8,   12,   16,
                                     31, 32, 33, 64, 100, 512, 1000, 4096};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i], rows = 4;
        test_fill(in_re, rows * n, (uint32_t)n, -3.0f, 3.0f);
        test_fill(in_im, rows * n, (uint32_t)n + 99, -3.0f, 3.0f);
        assert_int_equal(cw_fft(in_re, in_im, out_re, out_im, rows, n, 0), CW_OK);
        assert_int_equal(cw_fft(out_re, out_im, back_re, back_im, rows, n, 1), CW_OK);
        float atol = (float)(1e-6 * (1.0 + log2((double)n)) * 3.0);
        test_assert_close(back_re, in_re, rows * n, atol, 0.0f, "real parts after IFFT(FFT(x))");
        test_assert_close(back_im, in_im, rows * n, atol, 0.0f, "imag parts after IFFT(FFT(x))");
    }
}

static void forward_transform_keeps_energy_as_parseval_says(void **state) {
    (void)state;
    static const size_t lengths[] = {2, 7, 16, 45, 256, 441, 1024};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        test_fill(in_re, n, (uint32_t)n + 5, -1.0f, 1.0f);
        test_fill(in_im, n, (uint32_t)n + 6, -1.0f, 1.0f);
        assert_int_equal(cw_fft(in_re, in_im, out_re, out_im, 1, n, 0), CW_OK);
        double ex = l2(in_re, in_im, n), eX = l2(out_re, out_im, n);
        double want = ex * ex * (double)n, got = eX * eX;
        if (fabs(got - want) > 1e-5 * want)
            fail_msg("n=%zu: sum |X|^2 = %.9g, n * sum |x|^2 = %.9g", n, got, want);
    }
}

static void rows_in_one_call_equal_rows_one_at_a_time_bit_for_bit(void **state) {
    (void)state;
    static const size_t lengths[] = {16, 300, 1024};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i], rows = MAX_ROWS;
        test_fill(in_re, rows * n, (uint32_t)n + 1, -1.0f, 1.0f);
        test_fill(in_im, rows * n, (uint32_t)n + 2, -1.0f, 1.0f);
        for (int inv = 0; inv < 2; inv++) {
            assert_int_equal(cw_fft(in_re, in_im, out_re, out_im, rows, n, inv), CW_OK);
            for (size_t r = 0; r < rows; r++)
                assert_int_equal(cw_fft(in_re + r * n, in_im + r * n, back_re + r * n,
                                        back_im + r * n, 1, n, inv),
                                 CW_OK);
            assert_memory_equal(out_re, back_re, rows * n * sizeof(float));
            assert_memory_equal(out_im, back_im, rows * n * sizeof(float));
        }
    }
}

static void empty_transforms_do_nothing_and_bad_arguments_are_reported(void **state) {
    (void)state;
    assert_int_equal(cw_fft(NULL, NULL, NULL, NULL, 0, 8, 0), CW_OK);
    assert_int_equal(cw_fft(NULL, NULL, NULL, NULL, 3, 0, 1), CW_OK);
    assert_int_equal(cw_fft(in_re, NULL, out_re, out_im, 1, 8, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "FFT: NULL"));
    assert_int_equal(cw_fft(in_re, in_im, out_re, out_im, 1, (size_t)1 << 30, 1), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "IFFT: length"));
}

/* Reference complex op on one element pair, as tfjs-backend-cpu computes it. */
static void ref_op(cw_complex_op op, float xr, float xi, float yr, float yi, float *r, float *i) {
    if (op == CW_COMPLEX_ADD) {
        *r = (float)((double)xr + yr);
        *i = (float)((double)xi + yi);
    } else if (op == CW_COMPLEX_SUB) {
        *r = (float)((double)xr - yr);
        *i = (float)((double)xi - yi);
    } else {
        *r = (float)((double)xr * yr - (double)xi * yi);
        *i = (float)((double)xr * yi + (double)xi * yr);
    }
}

/* Flat index into a right-aligned operand of the element at out index i. */
static size_t broadcast_index(size_t i, const int32_t *out, int out_rank, const int32_t *shape,
                              int rank) {
    size_t idx = 0, stride = 1;
    for (int d = out_rank - 1; d >= 0; d--) {
        size_t coord = i % (size_t)out[d];
        i /= (size_t)out[d];
        int j = d - (out_rank - rank);
        if (j < 0) continue;
        if (shape[j] != 1) idx += coord * stride;
        stride *= (size_t)shape[j];
    }
    return idx;
}

static float a_re[MAX_N], a_im[MAX_N], b_re[MAX_N], b_im[MAX_N];

static void check_binary(const int32_t *as, int ar, const int32_t *bs, int br, const int32_t *os,
                         int orank, int a_real, int b_real) {
    size_t na = cw_shape_size(as, ar), nb = cw_shape_size(bs, br), no = cw_shape_size(os, orank);
    test_fill(a_re, na, 11, -2.0f, 2.0f);
    test_fill(a_im, na, 12, -2.0f, 2.0f);
    test_fill(b_re, nb, 13, -2.0f, 2.0f);
    test_fill(b_im, nb, 14, -2.0f, 2.0f);
    for (int op = 0; op < CW_COMPLEX_OP_COUNT; op++) {
        assert_int_equal(cw_complex_binary((cw_complex_op)op, a_re, a_real ? NULL : a_im, as, ar,
                                           b_re, b_real ? NULL : b_im, bs, br, out_re, out_im, os,
                                           orank),
                         CW_OK);
        for (size_t i = 0; i < no; i++) {
            size_t ia = broadcast_index(i, os, orank, as, ar);
            size_t ib = broadcast_index(i, os, orank, bs, br);
            float r, m;
            ref_op((cw_complex_op)op, a_re[ia], a_real ? 0.0f : a_im[ia], b_re[ib],
                   b_real ? 0.0f : b_im[ib], &r, &m);
            if (memcmp(&r, &out_re[i], sizeof r) != 0 || memcmp(&m, &out_im[i], sizeof m) != 0)
                fail_msg("op %d element %zu: (%.9g, %.9g), expected (%.9g, %.9g)", op, i,
                         (double)out_re[i], (double)out_im[i], (double)r, (double)m);
        }
    }
}

static void complex_binary_matches_reference_with_broadcasting(void **state) {
    (void)state;
    static const int sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int32_t s[1] = {sizes[k]}, one[1] = {1};
        check_binary(s, 1, s, 1, s, 1, 0, 0);
        check_binary(s, 1, one, 1, s, 1, 0, 0);
        check_binary(one, 0, s, 1, s, 1, 0, 0);
    }
    const int32_t a[3] = {3, 1, 5}, b[2] = {4, 5}, o[3] = {3, 4, 5};
    check_binary(a, 3, b, 2, o, 3, 0, 0);
    check_binary(b, 2, a, 3, o, 3, 0, 0);
    const int32_t c[4] = {2, 1, 3, 1}, d[4] = {1, 4, 1, 6}, o2[4] = {2, 4, 3, 6};
    check_binary(c, 4, d, 4, o2, 4, 0, 0);
    const int32_t e[1] = {1}, f[2] = {1, 1}, o3[2] = {1, 1};
    check_binary(e, 1, f, 2, o3, 2, 0, 0);
}

static void complex_binary_treats_a_missing_imaginary_part_as_zero(void **state) {
    (void)state;
    const int32_t a[2] = {5, 7}, b[1] = {7};
    check_binary(a, 2, b, 1, a, 2, 1, 0);
    check_binary(a, 2, b, 1, a, 2, 0, 1);
    check_binary(a, 2, b, 1, a, 2, 1, 1);
    check_binary(b, 0, a, 2, a, 2, 0, 1);
}

static void complex_binary_rejects_shapes_that_do_not_broadcast(void **state) {
    (void)state;
    const int32_t a[1] = {3}, b[1] = {4}, o[1] = {4};
    assert_int_equal(
        cw_complex_binary(CW_COMPLEX_MUL, a_re, a_im, a, 1, b_re, b_im, b, 1, out_re, out_im, o, 1),
        CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Multiply: dimension 0"));
    assert_int_equal(cw_complex_binary((cw_complex_op)7, a_re, a_im, a, 1, b_re, b_im, a, 1, out_re,
                                       out_im, a, 1),
                     CW_ERR_INVALID);
    assert_int_equal(
        cw_complex_binary(CW_COMPLEX_ADD, NULL, NULL, a, 1, b_re, b_im, a, 1, out_re, out_im, a, 1),
        CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Add: NULL"));
}

static void complex_abs_equals_hypot_without_overflow_or_underflow(void **state) {
    (void)state;
    static const float special[][2] = {{3.0f, 4.0f},      {-3.0f, -4.0f},   {0.0f, -0.0f},
                                       {1e-30f, 1e-30f},  {1e-45f, 0.0f},   {3e38f, 3e38f},
                                       {INFINITY, NAN},   {NAN, -INFINITY}, {NAN, 1.0f},
                                       {-INFINITY, 0.0f}, {1.0f, 1e-20f},   {5e-39f, 7e-39f}};
    const size_t ns = sizeof special / sizeof special[0];
    size_t n = ns + 37;
    test_fill(a_re, n, 3, -1e3f, 1e3f);
    test_fill(a_im, n, 4, -1e3f, 1e3f);
    for (size_t i = 0; i < ns; i++) {
        a_re[i] = special[i][0];
        a_im[i] = special[i][1];
    }
    assert_int_equal(cw_complex_abs(a_re, a_im, out_re, n), CW_OK);
    for (size_t i = 0; i < n; i++) {
        float want = (float)hypot((double)a_re[i], (double)a_im[i]);
        test_assert_close(out_re + i, &want, 1, 0.0f, 0.0f, "ComplexAbs");
    }
    assert_int_equal(cw_complex_abs(NULL, a_im, out_re, 3), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "ComplexAbs"));
}

static void interleave_and_split_are_inverse_layouts(void **state) {
    (void)state;
    for (size_t n = 0; n < 40; n += 3) {
        test_fill(a_re, n, (uint32_t)n, -5.0f, 5.0f);
        test_fill(a_im, n, (uint32_t)n + 1, -5.0f, 5.0f);
        assert_int_equal(cw_complex_interleave(a_re, a_im, out_re, n), CW_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(out_re[2 * i] == a_re[i]);
            assert_true(out_re[2 * i + 1] == a_im[i]);
        }
        assert_int_equal(cw_complex_split(out_re, b_re, b_im, n), CW_OK);
        assert_memory_equal(b_re, a_re, n * sizeof(float));
        assert_memory_equal(b_im, a_im, n * sizeof(float));
    }
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fft_matches_the_defining_sum_for_every_length_up_to_70),
        cmocka_unit_test(fft_matches_the_defining_sum_for_long_power_of_two_and_other_rows),
        cmocka_unit_test(inverse_of_forward_gives_the_input_back),
        cmocka_unit_test(forward_transform_keeps_energy_as_parseval_says),
        cmocka_unit_test(rows_in_one_call_equal_rows_one_at_a_time_bit_for_bit),
        cmocka_unit_test(empty_transforms_do_nothing_and_bad_arguments_are_reported),
        cmocka_unit_test(complex_binary_matches_reference_with_broadcasting),
        cmocka_unit_test(complex_binary_treats_a_missing_imaginary_part_as_zero),
        cmocka_unit_test(complex_binary_rejects_shapes_that_do_not_broadcast),
        cmocka_unit_test(complex_abs_equals_hypot_without_overflow_or_underflow),
        cmocka_unit_test(interleave_and_split_are_inverse_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
