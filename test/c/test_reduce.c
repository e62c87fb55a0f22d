#include "test_util.h"

#include <limits.h>
#include <string.h>

#include "cw.h"

static const int sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33};
#define N_SIZES (int)(sizeof sizes / sizeof sizes[0])
#define MAX_ELEMS (33 * 33 * 33)

/* ---- reference: tfjs-backend-cpu's loops, accumulating in double ---- */

static int32_t wrap_i32(int64_t v) {
    uint32_t u = (uint32_t)v;
    int32_t r;
    memcpy(&r, &u, sizeof r);
    return r;
}

/* Computes out[o, c] and, for sums, scale = sum |x| (tolerance basis). */
static void ref_one(cw_reduce_op op, cw_dtype dt, const void *x, int reduce, int inner, size_t base,
                    void *out, size_t oi, double *scale) {
    *scale = 0.0;
    if (dt == CW_BOOL) {
        const uint8_t *b = (const uint8_t *)x;
        int acc = op == CW_REDUCE_ALL && reduce > 0;
        for (int r = 0; r < reduce; r++) {
            int v = b[base + (size_t)r * (size_t)inner] != 0;
            acc = op == CW_REDUCE_ALL ? (acc && v) : (acc || v);
        }
        ((uint8_t *)out)[oi] = (uint8_t)acc;
        return;
    }
    double v0 = 0.0;
    double vals[10000];
    for (int r = 0; r < reduce; r++) {
        size_t k = base + (size_t)r * (size_t)inner;
        vals[r] = dt == CW_F32 ? (double)((const float *)x)[k] : (double)((const int32_t *)x)[k];
        if (dt == CW_I32 && op == CW_REDUCE_MEAN) vals[r] = (double)(float)vals[r];
        *scale += fabs(vals[r]);
    }
    if (reduce > 0) v0 = vals[0];
    switch (op) {
    case CW_REDUCE_SUM:
    case CW_REDUCE_MEAN:
    case CW_REDUCE_PROD: {
        double a = op == CW_REDUCE_PROD ? 1.0 : 0.0;
        for (int r = 0; r < reduce; r++) a = op == CW_REDUCE_PROD ? a * vals[r] : a + vals[r];
        if (op == CW_REDUCE_MEAN && reduce > 0) {
            a /= reduce;
            *scale /= reduce;
        }
        if (op == CW_REDUCE_MEAN || dt == CW_F32)
            ((float *)out)[oi] = (float)a;
        else
            ((int32_t *)out)[oi] = wrap_i32((int64_t)a);
        return;
    }
    case CW_REDUCE_MAX:
    case CW_REDUCE_MIN: {
        double m = reduce > 0 ? v0 : (dt == CW_F32 ? NAN : 0.0);
        for (int r = 0; r < reduce; r++) {
            double v = vals[r];
            if (isnan(v) || (op == CW_REDUCE_MAX ? v > m : v < m)) m = v;
        }
        if (dt == CW_F32)
            ((float *)out)[oi] = (float)m;
        else
            ((int32_t *)out)[oi] = (int32_t)m;
        return;
    }
    default: { /* ARGMAX / ARGMIN */
        double m = v0;
        int idx = 0;
        for (int r = 0; r < reduce; r++) {
            if (op == CW_REDUCE_ARGMAX ? vals[r] > m : vals[r] < m) {
                m = vals[r];
                idx = r;
            }
        }
        ((int32_t *)out)[oi] = idx;
        return;
    }
    }
}

static int out_is_f32(cw_reduce_op op, cw_dtype dt) {
    return (dt == CW_F32 && op <= CW_REDUCE_PROD) || op == CW_REDUCE_MEAN;
}

/* Runs cw_reduce and compares every output with the reference. */
static void check_reduce(cw_reduce_op op, cw_dtype dt, const void *x, int outer, int reduce,
                         int inner) {
    size_t n_out = (size_t)outer * (size_t)inner;
    static char got[4 * 200000], want[4 * 200000];
    double scale;
    assert_true(n_out <= 200000);
    memset(got, 0xAB, n_out * 4 + 4);
    int st = cw_reduce(op, dt, x, outer, reduce, inner, got);
    if (st != CW_OK) fail_msg("cw_reduce(%d, %d) failed: %s", op, dt, cw_error_message());
    for (int o = 0; o < outer; o++) {
        for (int c = 0; c < inner; c++) {
            size_t oi = (size_t)o * (size_t)inner + (size_t)c;
            size_t base = (size_t)o * (size_t)reduce * (size_t)inner + (size_t)c;
            ref_one(op, dt, x, reduce, inner, base, want, oi, &scale);
            int ok;
            double g = 0, w = 0;
            if (out_is_f32(op, dt)) {
                g = ((float *)got)[oi];
                w = ((float *)want)[oi];
                if (isnan(w))
                    ok = isnan(g);
                else if (isinf(w))
                    ok = g == w;
                else if (op == CW_REDUCE_SUM || op == CW_REDUCE_MEAN)
                    ok = fabs(g - w) <= 1e-6 * scale + 1e-5 * fabs(w) + 1e-30;
                else
                    ok = g == w; /* max/min/prod follow the reference exactly */
            } else if (op == CW_REDUCE_ALL || op == CW_REDUCE_ANY) {
                g = ((uint8_t *)got)[oi];
                w = ((uint8_t *)want)[oi];
                ok = g == w;
            } else {
                g = ((int32_t *)got)[oi];
                w = ((int32_t *)want)[oi];
                ok = g == w;
            }
            if (!ok) {
                fail_msg("op %d dtype %d [%d,%d,%d]: out[%d,%d] = %.9g, expected %.9g", op, dt,
                         outer, reduce, inner, o, c, g, w);
            }
        }
    }
    /* Nothing written past the output. */
    size_t osz = (op == CW_REDUCE_ALL || op == CW_REDUCE_ANY) ? 1 : 4;
    assert_int_equal((unsigned char)got[n_out * osz], 0xAB);
}

static float xf[MAX_ELEMS + 4];
static int32_t xi[MAX_ELEMS + 4];
static uint8_t xb[MAX_ELEMS + 4];

static void fill_inputs(uint32_t seed) {
    uint32_t s = seed;
    for (int i = 0; i < MAX_ELEMS; i++) {
        /* Half steps make ties for max / argmax frequent. */
        xf[i] = roundf(test_rand(&s, -4.0f, 4.0f) * 2.0f) / 2.0f +
                test_rand(&s, 0, 1) * 0.001f * (i % 3 == 0);
        int v = (int)test_rand(&s, 1.0f, 4.0f); /* nonzero, so products stay exact */
        xi[i] = test_rand(&s, 0, 1) < 0.5f ? -v : v;
        xb[i] = test_rand(&s, 0, 1) < 0.85f;
    }
}

static const cw_reduce_op numeric_ops[] = {CW_REDUCE_SUM,   CW_REDUCE_MEAN, CW_REDUCE_MAX,
                                           CW_REDUCE_MIN,   CW_REDUCE_PROD, CW_REDUCE_ARGMAX,
                                           CW_REDUCE_ARGMIN};

static void reduce_matches_reference_for_every_op_dtype_and_size(void **state) {
    (void)state;
    fill_inputs(11);
    for (int a = 0; a < N_SIZES; a++) {
        for (int b = 0; b < N_SIZES; b++) {
            for (int c = 0; c < N_SIZES; c++) {
                int outer = sizes[a], reduce = sizes[b], inner = sizes[c];
                for (int k = 0; k < 7; k++) {
                    check_reduce(numeric_ops[k], CW_F32, xf, outer, reduce, inner);
                    check_reduce(numeric_ops[k], CW_I32, xi, outer, reduce, inner);
                }
                check_reduce(CW_REDUCE_ALL, CW_BOOL, xb, outer, reduce, inner);
                check_reduce(CW_REDUCE_ANY, CW_BOOL, xb, outer, reduce, inner);
            }
        }
    }
}

static void reduce_handles_nan_and_inf_like_tfjs_cpu(void **state) {
    (void)state;
    static const int sz[] = {1, 2, 3, 4, 5, 8, 9, 17, 33};
    uint32_t s = 5;
    test_fill(xf, MAX_ELEMS, 3, -4.0f, 4.0f);
    for (int i = 0; i < MAX_ELEMS; i++) {
        float u = test_rand(&s, 0, 1);
        if (u < 0.03f)
            xf[i] = NAN;
        else if (u < 0.06f)
            xf[i] = INFINITY;
        else if (u < 0.09f)
            xf[i] = -INFINITY;
    }
    for (int a = 0; a < 9; a++)
        for (int b = 0; b < 9; b++)
            for (int c = 0; c < 9; c++)
                for (int k = 0; k < 7; k++)
                    check_reduce(numeric_ops[k], CW_F32, xf, sz[a], sz[b], sz[c]);

    /* Explicit cases: NaN first, NaN last, NaN in a vector lane. */
    float row[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float m;
    int32_t idx;
    row[10] = NAN;
    cw_reduce(CW_REDUCE_MAX, CW_F32, row, 1, 12, 1, &m);
    assert_true(isnan(m));
    cw_reduce(CW_REDUCE_MIN, CW_F32, row, 1, 12, 1, &m);
    assert_true(isnan(m));
    cw_reduce(CW_REDUCE_ARGMAX, CW_F32, row, 1, 12, 1, &idx);
    assert_int_equal(idx, 11); /* later NaNs never win */
    row[10] = 11;
    row[0] = NAN;
    cw_reduce(CW_REDUCE_ARGMAX, CW_F32, row, 1, 12, 1, &idx);
    assert_int_equal(idx, 0); /* a NaN first element is never beaten */
    cw_reduce(CW_REDUCE_ARGMIN, CW_F32, row, 1, 12, 1, &idx);
    assert_int_equal(idx, 0);
}

static void argmax_and_argmin_return_the_first_index_on_ties(void **state) {
    (void)state;
    float f[9] = {1, 5, 2, 5, -3, 5, -3, 0, -3};
    int32_t i32[9] = {1, 5, 2, 5, -3, 5, -3, 0, -3};
    int32_t idx;
    cw_reduce(CW_REDUCE_ARGMAX, CW_F32, f, 1, 9, 1, &idx);
    assert_int_equal(idx, 1);
    cw_reduce(CW_REDUCE_ARGMIN, CW_F32, f, 1, 9, 1, &idx);
    assert_int_equal(idx, 4);
    cw_reduce(CW_REDUCE_ARGMAX, CW_I32, i32, 1, 9, 1, &idx);
    assert_int_equal(idx, 1);
    cw_reduce(CW_REDUCE_ARGMIN, CW_I32, i32, 1, 9, 1, &idx);
    assert_int_equal(idx, 4);
    /* Down a column: [9, 1] viewed as reduce over 9 with inner 1 vs [1, 9, 1]. */
    float col[18];
    int32_t idx2[2];
    for (int r = 0; r < 9; r++) {
        col[2 * r] = f[r];
        col[2 * r + 1] = -f[r];
    }
    cw_reduce(CW_REDUCE_ARGMAX, CW_F32, col, 1, 9, 2, idx2);
    assert_int_equal(idx2[0], 1);
    assert_int_equal(idx2[1], 4);
}

static void sums_over_10000_elements_stay_accurate(void **state) {
    (void)state;
    static float big[3 * 10000 * 21];
    static const int inners[] = {1, 3, 5, 16, 21};
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: positive values (no cancellation), pass 1: mixed signs */
        test_fill(big, sizeof big / sizeof big[0], 77 + (uint32_t)pass, pass ? -1.0f : 0.0f, 1.0f);
        for (int k = 0; k < 5; k++) {
            check_reduce(CW_REDUCE_SUM, CW_F32, big, 3, 10000, inners[k]);
            check_reduce(CW_REDUCE_MEAN, CW_F32, big, 3, 10000, inners[k]);
            check_reduce(CW_REDUCE_MAX, CW_F32, big, 3, 10000, inners[k]);
            check_reduce(CW_REDUCE_ARGMIN, CW_F32, big, 3, 10000, inners[k]);
        }
    }
    /* Positive values: the tight relative bound the brief asks for. */
    test_fill(big, 10000, 9, 0.0f, 1.0f);
    double want = 0;
    for (int i = 0; i < 10000; i++) want += big[i];
    float got;
    cw_reduce(CW_REDUCE_SUM, CW_F32, big, 1, 10000, 1, &got);
    assert_true(fabs(got - want) <= 1e-6 * want);
    /* Many outputs: exercises the parallel split. */
    check_reduce(CW_REDUCE_SUM, CW_F32, big, 4000, 7, 21);
    check_reduce(CW_REDUCE_MAX, CW_F32, big, 60000, 3, 1);
}

static void int32_sum_and_prod_wrap_modulo_2_pow_32(void **state) {
    (void)state;
    int32_t x[4] = {INT32_MAX, INT32_MAX, 5, -7};
    int32_t out;
    cw_reduce(CW_REDUCE_SUM, CW_I32, x, 1, 4, 1, &out);
    assert_int_equal(out, wrap_i32((int64_t)INT32_MAX * 2 + 5 - 7));
    int32_t p[3] = {65536, 65536, 3};
    cw_reduce(CW_REDUCE_PROD, CW_I32, p, 1, 3, 1, &out);
    assert_int_equal(out, 0);
    int32_t q[2] = {-65536, 32767};
    cw_reduce(CW_REDUCE_PROD, CW_I32, q, 1, 2, 1, &out);
    assert_int_equal(out, -65536 * 32767);
    float mean;
    int32_t m[3] = {1, 2, 4};
    cw_reduce(CW_REDUCE_MEAN, CW_I32, m, 1, 3, 1, &mean);
    assert_true(fabsf(mean - 7.0f / 3.0f) < 1e-6f);
}

static void each_column_sums_the_same_bits_wherever_it_sits(void **state) {
    (void)state;
    enum { R = 700 };
    static float col[R], mat[R * 41];
    static const int widths[] = {2, 3, 4, 5, 8, 16, 17, 33, 41};
    test_fill(col, R, 21, -3.0f, 3.0f);
    float first = 0;
    int have = 0;
    for (int w = 0; w < 9; w++) {
        int width = widths[w];
        for (int c = 0; c < width; c++) {
            test_fill(mat, (size_t)R * (size_t)width, 99, -1.0f, 1.0f);
            for (int r = 0; r < R; r++) mat[r * width + c] = col[r];
            float out[41];
            assert_int_equal(cw_reduce(CW_REDUCE_SUM, CW_F32, mat, 1, R, width, out), CW_OK);
            if (!have) {
                first = out[c];
                have = 1;
            }
            assert_memory_equal(&out[c], &first, sizeof first);
        }
    }
}

static void empty_reduction_gives_tfjs_cpu_values(void **state) {
    (void)state;
    float f[6];
    int32_t i[6];
    uint8_t b[6];
    assert_int_equal(cw_reduce(CW_REDUCE_SUM, CW_F32, NULL, 2, 0, 3, f), CW_OK);
    for (int k = 0; k < 6; k++) assert_true(f[k] == 0.0f);
    cw_reduce(CW_REDUCE_MEAN, CW_F32, NULL, 2, 0, 3, f);
    for (int k = 0; k < 6; k++) assert_true(f[k] == 0.0f);
    cw_reduce(CW_REDUCE_PROD, CW_F32, NULL, 2, 0, 3, f);
    for (int k = 0; k < 6; k++) assert_true(f[k] == 1.0f);
    cw_reduce(CW_REDUCE_PROD, CW_I32, NULL, 2, 0, 3, i);
    for (int k = 0; k < 6; k++) assert_int_equal(i[k], 1);
    cw_reduce(CW_REDUCE_MAX, CW_F32, NULL, 2, 0, 3, f);
    for (int k = 0; k < 6; k++) assert_true(isnan(f[k]));
    cw_reduce(CW_REDUCE_MIN, CW_I32, NULL, 2, 0, 3, i);
    for (int k = 0; k < 6; k++) assert_int_equal(i[k], 0);
    cw_reduce(CW_REDUCE_ARGMAX, CW_F32, NULL, 2, 0, 3, i);
    for (int k = 0; k < 6; k++) assert_int_equal(i[k], 0);
    memset(b, 7, sizeof b);
    cw_reduce(CW_REDUCE_ALL, CW_BOOL, NULL, 2, 0, 3, b);
    for (int k = 0; k < 6; k++) assert_int_equal(b[k], 0);
    /* No outputs at all: nothing touched, NULL pointers fine. */
    assert_int_equal(cw_reduce(CW_REDUCE_SUM, CW_F32, NULL, 0, 5, 3, NULL), CW_OK);
    assert_int_equal(cw_reduce(CW_REDUCE_SUM, CW_F32, NULL, 4, 5, 0, NULL), CW_OK);
}

static void expect_invalid(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (!strstr(cw_error_message(), needle)) {
        fail_msg("message \"%s\" does not mention \"%s\"", cw_error_message(), needle);
    }
}

static void reduce_rejects_invalid_arguments_with_a_message(void **state) {
    (void)state;
    float x[4] = {0}, out[4];
    expect_invalid(cw_reduce((cw_reduce_op)9, CW_F32, x, 1, 4, 1, out), "unknown op 9");
    expect_invalid(cw_reduce((cw_reduce_op)-1, CW_F32, x, 1, 4, 1, out), "unknown op");
    expect_invalid(cw_reduce(CW_REDUCE_SUM, (cw_dtype)7, x, 1, 4, 1, out), "unknown dtype");
    expect_invalid(cw_reduce(CW_REDUCE_ALL, CW_F32, x, 1, 4, 1, out), "All: x must be bool");
    expect_invalid(cw_reduce(CW_REDUCE_SUM, CW_BOOL, x, 1, 4, 1, out), "Sum");
    expect_invalid(cw_reduce(CW_REDUCE_MAX, CW_F32, x, -1, 4, 1, out), ">= 0");
    expect_invalid(cw_reduce(CW_REDUCE_MAX, CW_F32, x, 1, -4, 1, out), ">= 0");
    expect_invalid(cw_reduce(CW_REDUCE_MAX, CW_F32, x, 1, 4, -1, out), ">= 0");
    expect_invalid(cw_reduce(CW_REDUCE_MAX, CW_F32, NULL, 1, 4, 1, out), "x is NULL");
    expect_invalid(cw_reduce(CW_REDUCE_MAX, CW_F32, x, 1, 4, 1, NULL), "out is NULL");
    expect_invalid(cw_reduce(CW_REDUCE_SUM, CW_F32, x, INT_MAX, INT_MAX, INT_MAX, out), "overflow");
    expect_invalid(cw_softmax_f32(x, out, -1, 4), "Softmax");
    expect_invalid(cw_log_softmax_f32(NULL, out, 1, 4), "LogSoftmax: logits is NULL");
    expect_invalid(cw_softmax_f32(x, NULL, 1, 4), "out is NULL");
    assert_int_equal(cw_softmax_f32(NULL, NULL, 0, 4), CW_OK);
}

/* ---- softmax ---- */

static void ref_softmax(const float *x, float *y, int cols, int log_space) {
    double m = -INFINITY, s = 0;
    for (int c = 0; c < cols; c++) m = x[c] > m ? x[c] : m;
    for (int c = 0; c < cols; c++) s += exp(x[c] - m);
    for (int c = 0; c < cols; c++)
        y[c] = log_space ? (float)(x[c] - m - log(s)) : (float)(exp(x[c] - m) / s);
}

static void check_softmax(const float *x, int rows, int cols, float offset) {
    static float y[8 * 200], want[8 * 200], in[8 * 200];
    size_t n = (size_t)rows * (size_t)cols;
    for (size_t i = 0; i < n; i++) in[i] = x[i] + offset;
    for (int lg = 0; lg < 2; lg++) {
        cw_status st =
            lg ? cw_log_softmax_f32(in, y, rows, cols) : cw_softmax_f32(in, y, rows, cols);
        assert_int_equal(st, CW_OK);
        for (int r = 0; r < rows; r++) {
            ref_softmax(in + r * cols, want + r * cols, cols, lg);
            if (!lg) {
                double s = 0;
                for (int c = 0; c < cols; c++) s += y[r * cols + c];
                if (fabs(s - 1.0) > 1e-5) fail_msg("softmax row %d sums to %.9g", r, s);
            }
        }
        test_assert_close(y, want, n, lg ? 2e-5f : 1e-7f, 1e-5f, lg ? "log_softmax" : "softmax");
        /* In place gives the same result. */
        memcpy(want, in, n * sizeof(float));
        lg ? cw_log_softmax_f32(want, want, rows, cols) : cw_softmax_f32(want, want, rows, cols);
        assert_memory_equal(want, y, n * sizeof(float));
    }
}

static void softmax_rows_sum_to_one_and_match_reference(void **state) {
    (void)state;
    static const int cols[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 200};
    static float x[8 * 200];
    test_fill(x, 8 * 200, 4, -6.0f, 6.0f);
    for (int rows = 0; rows <= 8; rows += 1) {
        for (int k = 0; k < 13; k++) check_softmax(x, rows, cols[k], 0.0f);
    }
}

static void softmax_is_stable_for_large_logits(void **state) {
    (void)state;
    static float x[8 * 200];
    test_fill(x, 8 * 200, 8, -3.0f, 3.0f);
    for (int k = 0; k < 3; k++) {
        check_softmax(x, 8, 200, 1000.0f);
        check_softmax(x, 5, 17, -1000.0f);
    }
    float big[3] = {1000.0f, 999.0f, -1000.0f}, y[3];
    cw_softmax_f32(big, y, 1, 3);
    assert_true(fabsf(y[0] - 0.7310586f) < 1e-6f && fabsf(y[1] - 0.2689414f) < 1e-6f);
    assert_true(y[2] == 0.0f);
    cw_log_softmax_f32(big, y, 1, 3);
    assert_true(isfinite(y[0]) && isfinite(y[1]) && y[2] < -1999.0f);
    /* A NaN logit poisons its row, as in tfjs. */
    float nan_row[5] = {1, 2, NAN, 3, 4}, z[5];
    cw_softmax_f32(nan_row, z, 1, 5);
    for (int i = 0; i < 5; i++) assert_true(isnan(z[i]));
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reduce_matches_reference_for_every_op_dtype_and_size),
        cmocka_unit_test(reduce_handles_nan_and_inf_like_tfjs_cpu),
        cmocka_unit_test(argmax_and_argmin_return_the_first_index_on_ties),
        cmocka_unit_test(sums_over_10000_elements_stay_accurate),
        cmocka_unit_test(int32_sum_and_prod_wrap_modulo_2_pow_32),
        cmocka_unit_test(each_column_sums_the_same_bits_wherever_it_sits),
        cmocka_unit_test(empty_reduction_gives_tfjs_cpu_values),
        cmocka_unit_test(reduce_rejects_invalid_arguments_with_a_message),
        cmocka_unit_test(softmax_rows_sum_to_one_and_match_reference),
        cmocka_unit_test(softmax_is_stable_for_large_logits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
