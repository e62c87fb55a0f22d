#include "test_util.h"

#include <limits.h>
#include <string.h>

#include "cw.h"

static const int sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 65, 70};
#define N_SIZES (int)(sizeof sizes / sizeof sizes[0])
#define MAX_ELEMS (70 * 70 * 70)

/* JS ToInt32 of a double holding an integer. */
static int32_t js_to_int32(double p) {
    double r = fmod(p, 4294967296.0);
    if (r < 0) r += 4294967296.0;
    if (r >= 2147483648.0) r -= 4294967296.0;
    return (int32_t)r;
}

/* Reference: tfjs-backend-cpu's loop, one [outer, n, inner] column at a time. */
static void ref_scan(cw_scan_op op, cw_dtype dt, const void *x, int outer, int n, int inner,
                     int exclusive, int reverse, void *out) {
    for (int o = 0; o < outer; o++) {
        for (int c = 0; c < inner; c++) {
            for (int j = 0; j < n; j++) {
                int p = reverse ? n - 1 - j : j, q = reverse ? n - j : j - 1;
                size_t idx = ((size_t)o * n + p) * inner + c,
                       prev = ((size_t)o * n + q) * inner + c;
                if (dt == CW_F32) {
                    const float *xf = (const float *)x;
                    float *of = (float *)out;
                    float id = op == CW_SCAN_CUMPROD ? 1.0f : 0.0f;
                    float a = exclusive ? (j == 0 ? id : xf[prev]) : xf[idx];
                    of[idx] = j == 0 ? a : (op == CW_SCAN_CUMPROD ? a * of[prev] : a + of[prev]);
                } else {
                    const int32_t *xi = (const int32_t *)x;
                    int32_t *oi = (int32_t *)out;
                    int32_t id = op == CW_SCAN_CUMPROD ? 1 : 0;
                    int32_t a = exclusive ? (j == 0 ? id : xi[prev]) : xi[idx];
                    if (j == 0)
                        oi[idx] = a;
                    else if (op == CW_SCAN_CUMPROD)
                        oi[idx] = js_to_int32((double)a * (double)oi[prev]);
                    else
                        oi[idx] = js_to_int32((double)a + (double)oi[prev]);
                }
            }
        }
    }
}

static float xf[MAX_ELEMS + 4];
static int32_t xi[MAX_ELEMS + 4];
static char got[4 * MAX_ELEMS + 8], want[4 * MAX_ELEMS + 8];

static void check_scan(cw_scan_op op, cw_dtype dt, int outer, int n, int inner) {
    const void *x = dt == CW_F32 ? (const void *)xf : (const void *)xi;
    size_t total = (size_t)outer * n * inner;
    for (int ex = 0; ex < 2; ex++) {
        for (int rev = 0; rev < 2; rev++) {
            memset(got, 0xAB, total * 4 + 4);
            cw_status st = cw_scan(op, dt, x, outer, n, inner, ex, rev, got);
            if (st != CW_OK) fail_msg("cw_scan failed: %s", cw_error_message());
            ref_scan(op, dt, x, outer, n, inner, ex, rev, want);
            if (memcmp(got, want, total * 4) != 0) {
                for (size_t i = 0; i < total; i++) {
                    if (memcmp(got + 4 * i, want + 4 * i, 4) != 0)
                        fail_msg("op %d dtype %d [%d,%d,%d] exclusive %d reverse %d: element %zu "
                                 "differs (%g vs %g)",
                                 op, dt, outer, n, inner, ex, rev, i,
                                 dt == CW_F32 ? ((float *)got)[i] : ((int32_t *)got)[i],
                                 dt == CW_F32 ? ((float *)want)[i] : ((int32_t *)want)[i]);
                }
            }
            assert_int_equal((unsigned char)got[total * 4], 0xAB);
            /* In place gives the same bits. */
            memcpy(got, x, total * 4);
            assert_int_equal(cw_scan(op, dt, got, outer, n, inner, ex, rev, got), CW_OK);
            assert_memory_equal(got, want, total * 4);
        }
    }
}

static void fill_inputs(uint32_t seed, int for_prod) {
    uint32_t s = seed;
    for (int i = 0; i < MAX_ELEMS; i++) {
        xf[i] = for_prod ? test_rand(&s, 0.8f, 1.25f) : test_rand(&s, -4.0f, 4.0f);
        int v = (int)test_rand(&s, 1.0f, 4.0f);
        xi[i] = test_rand(&s, 0, 1) < 0.5f ? -v : v;
    }
}

static void scans_match_reference_on_every_axis_position_and_size(void **state) {
    (void)state;
    for (int op = 0; op < 2; op++) {
        fill_inputs(7 + (uint32_t)op, op);
        for (int a = 0; a < N_SIZES; a++)
            for (int b = 0; b < N_SIZES; b++)
                for (int c = 0; c < N_SIZES; c += 2) {
                    check_scan((cw_scan_op)op, CW_F32, sizes[a], sizes[b], sizes[c]);
                    check_scan((cw_scan_op)op, CW_I32, sizes[a], sizes[b], sizes[c]);
                }
    }
}

static void scans_along_first_middle_and_last_axis_of_a_rank4_tensor(void **state) {
    (void)state;
    /* [3, 5, 6, 7] scanned on axis 0, 1, 2, 3 = [1,3,210], [3,5,42], [15,6,7], [90,7,1]. */
    fill_inputs(3, 0);
    static const int views[4][3] = {{1, 3, 210}, {3, 5, 42}, {15, 6, 7}, {90, 7, 1}};
    for (int v = 0; v < 4; v++)
        for (int op = 0; op < 2; op++)
            for (int dt = 0; dt < 2; dt++)
                check_scan((cw_scan_op)op, (cw_dtype)dt, views[v][0], views[v][1], views[v][2]);
}

static void int32_scans_wrap_like_tfjs_cpu(void **state) {
    (void)state;
    int32_t x[4] = {INT32_MAX, 2, 65537, -65537}, out[4];
    assert_int_equal(cw_scan(CW_SCAN_CUMSUM, CW_I32, x, 1, 4, 1, 0, 0, out), CW_OK);
    assert_int_equal(out[1], INT32_MIN + 1);
    /* Products past 2^53 round in double before wrapping, as JS does. */
    int32_t big[3] = {INT32_MAX, INT32_MAX, 3}, bout[3];
    assert_int_equal(cw_scan(CW_SCAN_CUMPROD, CW_I32, big, 1, 3, 1, 0, 0, bout), CW_OK);
    assert_int_equal(bout[1], js_to_int32((double)INT32_MAX * (double)INT32_MAX));
    assert_int_equal(bout[2], js_to_int32((double)bout[1] * 3.0));
    /* Long random i32 products overflow quickly: checked against the reference. */
    for (int i = 0; i < MAX_ELEMS; i++) xi[i] = (int32_t)(i * 2654435761u) | 1;
    check_scan(CW_SCAN_CUMPROD, CW_I32, 2, 40, 9);
    check_scan(CW_SCAN_CUMSUM, CW_I32, 2, 40, 9);
}

static void float_scans_propagate_nan_and_inf(void **state) {
    (void)state;
    float x[6] = {1, NAN, 2, INFINITY, -INFINITY, 3}, out[6];
    assert_int_equal(cw_scan(CW_SCAN_CUMSUM, CW_F32, x, 1, 6, 1, 0, 0, out), CW_OK);
    assert_true(out[0] == 1 && isnan(out[1]) && isnan(out[5]));
    assert_int_equal(cw_scan(CW_SCAN_CUMSUM, CW_F32, x + 2, 1, 4, 1, 1, 0, out), CW_OK);
    assert_true(out[0] == 0 && out[1] == 2 && isinf(out[2]) && isnan(out[3]));
    fill_inputs(5, 0);
    for (int i = 0; i < MAX_ELEMS; i += 37) xf[i] = (i / 37) % 3 == 0 ? NAN : INFINITY;
    check_scan(CW_SCAN_CUMSUM, CW_F32, 4, 17, 33);
    check_scan(CW_SCAN_CUMPROD, CW_F32, 4, 17, 33);
}

static void large_scans_split_over_threads_give_reference_bits(void **state) {
    (void)state;
    fill_inputs(9, 0);
    check_scan(CW_SCAN_CUMSUM, CW_F32, 1, 60, 4000);
    check_scan(CW_SCAN_CUMSUM, CW_F32, 2000, 100, 1);
    check_scan(CW_SCAN_CUMSUM, CW_I32, 300, 30, 37);
}

static void expect_invalid(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (!strstr(cw_error_message(), needle))
        fail_msg("message \"%s\" does not mention \"%s\"", cw_error_message(), needle);
}

static void scan_rejects_invalid_arguments_with_a_message(void **state) {
    (void)state;
    float x[4] = {0}, out[4];
    expect_invalid(cw_scan((cw_scan_op)2, CW_F32, x, 1, 4, 1, 0, 0, out), "scan: unknown op 2");
    expect_invalid(cw_scan(CW_SCAN_CUMSUM, CW_BOOL, x, 1, 4, 1, 0, 0, out),
                   "Cumsum: x must be float32 or int32");
    expect_invalid(cw_scan(CW_SCAN_CUMPROD, CW_F32, x, 1, -4, 1, 0, 0, out), "Cumprod: sizes");
    expect_invalid(cw_scan(CW_SCAN_CUMSUM, CW_F32, NULL, 1, 4, 1, 0, 0, out), "x is NULL");
    expect_invalid(cw_scan(CW_SCAN_CUMSUM, CW_F32, x, 1, 4, 1, 0, 0, NULL), "out is NULL");
    expect_invalid(cw_scan(CW_SCAN_CUMSUM, CW_F32, x, INT_MAX, INT_MAX, INT_MAX, 0, 0, out),
                   "overflow");
    assert_int_equal(cw_scan(CW_SCAN_CUMSUM, CW_F32, NULL, 3, 0, 4, 0, 0, NULL), CW_OK);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scans_match_reference_on_every_axis_position_and_size),
        cmocka_unit_test(scans_along_first_middle_and_last_axis_of_a_rank4_tensor),
        cmocka_unit_test(int32_scans_wrap_like_tfjs_cpu),
        cmocka_unit_test(float_scans_propagate_nan_and_inf),
        cmocka_unit_test(large_scans_split_over_threads_give_reference_bits),
        cmocka_unit_test(scan_rejects_invalid_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
