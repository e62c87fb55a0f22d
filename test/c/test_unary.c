#include "test_util.h"

#include <stdint.h>
#include <string.h>

#include "cw.h"

/* --- reference: tfjs-backend-cpu formulas, literally, in doubles --------- */

static double js_max(double a, double b) { return isnan(a) || isnan(b) ? NAN : (a > b ? a : b); }
static double js_min(double a, double b) { return isnan(a) || isnan(b) ? NAN : (a < b ? a : b); }
static double js_sign(double v) { return isnan(v) ? NAN : (v > 0 ? 1 : (v < 0 ? -1 : v)); }

/* Storing a number into an Int32Array (ToInt32). */
static int32_t ref_toint32(double d) {
    if (isnan(d) || isinf(d)) return 0;
    double t = trunc(d);
    double m = fmod(t, 4294967296.0);
    if (m < 0) m += 4294967296.0;
    uint32_t u = (uint32_t)m;
    return (int32_t)u;
}

static double ref_round(double x) {
    double base = floor(x);
    if (x - base < 0.5) return floor(x);
    if (x - base > 0.5) return ceil(x);
    return fmod(base, 2.0) == 0.0 ? base : base + 1.0;
}

static double ref_op(int op, double x, double alpha, double beta) {
    switch (op) {
    case CW_UNARY_ABS:
        return fabs(x);
    case CW_UNARY_NEG:
        return -x;
    case CW_UNARY_EXP:
        return exp(x);
    case CW_UNARY_EXPM1:
        return expm1(x);
    case CW_UNARY_LOG:
        return log(x);
    case CW_UNARY_LOG1P:
        return log1p(x);
    case CW_UNARY_SQRT:
        return sqrt(x);
    case CW_UNARY_RSQRT:
        return 1 / sqrt(x);
    case CW_UNARY_SQUARE:
        return x * x;
    case CW_UNARY_RECIPROCAL:
        return 1 / x;
    case CW_UNARY_SIGMOID:
        return 1 / (1 + exp(-x));
    case CW_UNARY_TANH:
        return tanh(x);
    case CW_UNARY_SOFTPLUS: {
        double threshold = log(1.1920928955078125e-7) + 2.0;
        if (x < threshold) return exp(x);
        if (x > -threshold) return x;
        return log(1.0 + exp(x));
    }
    case CW_UNARY_RELU:
        return js_max(0, x);
    case CW_UNARY_RELU6:
        return js_min(js_max(0, x), 6);
    case CW_UNARY_ELU:
        return x >= 0 ? x : exp(x) - 1;
    case CW_UNARY_SELU:
        return x >= 0 ? 1.0507009873554804934193349852946 * x
                      : 1.7580993408473768599402175208123 * (exp(x) - 1);
    case CW_UNARY_LEAKYRELU:
        return x < 0 ? alpha * x : x;
    case CW_UNARY_STEP:
        return isnan(x) ? NAN : (x > 0 ? 1 : alpha);
    case CW_UNARY_SIGN:
        return x < 0 ? -1 : (x > 0 ? 1 : 0);
    case CW_UNARY_FLOOR:
        return floor(x);
    case CW_UNARY_CEIL:
        return ceil(x);
    case CW_UNARY_ROUND:
        return ref_round(x);
    case CW_UNARY_SIN:
        return sin(x);
    case CW_UNARY_COS:
        return cos(x);
    case CW_UNARY_TAN:
        return tan(x);
    case CW_UNARY_ASIN:
        return asin(x);
    case CW_UNARY_ACOS:
        return acos(x);
    case CW_UNARY_ATAN:
        return atan(x);
    case CW_UNARY_SINH:
        return sinh(x);
    case CW_UNARY_COSH:
        return cosh(x);
    case CW_UNARY_ASINH:
        return asinh(x);
    case CW_UNARY_ACOSH:
        return acosh(x);
    case CW_UNARY_ATANH:
        return atanh(x);
    case CW_UNARY_ERF: {
        double s = js_sign(x), v = fabs(x), t = 1.0 / (1.0 + 0.3275911 * v);
        return s *
               (1.0 -
                (((((1.061405429 * t + -1.453152027) * t) + 1.421413741) * t + -0.284496736) * t +
                 0.254829592) *
                    t * exp(-v * v));
    }
    case CW_UNARY_IS_NAN:
        return isnan(x) ? 1 : 0;
    case CW_UNARY_IS_INF:
        return isinf(x) ? 1 : 0;
    case CW_UNARY_IS_FINITE:
        return isfinite(x) ? 1 : 0;
    case CW_UNARY_LOGICAL_NOT:
        return (x != 0 && !isnan(x)) ? 0 : 1;
    case CW_UNARY_CLIP:
        return x > beta ? beta : (x < alpha ? alpha : x);
    default:
        return NAN;
    }
}

static int is_predicate(int op) {
    return op == CW_UNARY_IS_NAN || op == CW_UNARY_IS_INF || op == CW_UNARY_IS_FINITE ||
           op == CW_UNARY_LOGICAL_NOT;
}

/* Ops whose float32 result must be bit-exact (no libm, or one rounding). */
static int is_exact_f32(int op) {
    switch (op) {
    case CW_UNARY_ABS:
    case CW_UNARY_NEG:
    case CW_UNARY_SQRT:
    case CW_UNARY_SQUARE:
    case CW_UNARY_RECIPROCAL:
    case CW_UNARY_RELU:
    case CW_UNARY_RELU6:
    case CW_UNARY_LEAKYRELU:
    case CW_UNARY_STEP:
    case CW_UNARY_SIGN:
    case CW_UNARY_FLOOR:
    case CW_UNARY_CEIL:
    case CW_UNARY_ROUND:
    case CW_UNARY_CLIP:
        return 1;
    default:
        return 0;
    }
}

static const float specials[] = {
    0.0f,   -0.0f,   INFINITY,      -INFINITY,      NAN,           3e38f,       -3e38f,
    1e-38f, -1e-38f, 1e-45f,        0.5f,           -0.5f,         1.5f,        2.5f,
    -2.5f,  -1.5f,   8388607.5f,    -8388607.5f,    8388608.0f,    16777216.0f, 1.0f,
    -1.0f,  6.0f,    6.5f,          100.0f,         -100.0f,       0.99999994f, -0.99999994f,
    1e10f,  -1e10f,  2147483648.0f, -2147483904.0f, 4294967296.0f, 0.49999997f, 7.5f,
    -13.9f, 13.95f,  20.0f,         -20.0f,
};
#define N_SPECIALS (sizeof specials / sizeof specials[0])

static const size_t sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 1000};
#define N_SIZES (sizeof sizes / sizeof sizes[0])

static void input_range(int op, float *lo, float *hi) {
    switch (op) {
    case CW_UNARY_ASIN:
    case CW_UNARY_ACOS:
    case CW_UNARY_ATANH:
        *lo = -1.2f;
        *hi = 1.2f;
        break;
    case CW_UNARY_ACOSH:
        *lo = 0.5f;
        *hi = 20.0f;
        break;
    case CW_UNARY_LOG:
    case CW_UNARY_LOG1P:
    case CW_UNARY_SQRT:
    case CW_UNARY_RSQRT:
        *lo = -1.5f;
        *hi = 100.0f;
        break;
    case CW_UNARY_SOFTPLUS:
    case CW_UNARY_SINH:
    case CW_UNARY_COSH:
    case CW_UNARY_EXP:
        *lo = -30.0f;
        *hi = 30.0f;
        break;
    default:
        *lo = -10.0f;
        *hi = 10.0f;
        break;
    }
}

/* Random values in the op's range; every 4th element (shifting across lanes
 * and tails) is a special value, every 5th a half-integer. */
static void fill_f32(float *x, size_t n, int op, uint32_t seed) {
    float lo, hi;
    input_range(op, &lo, &hi);
    test_fill(x, n, seed, lo, hi);
    for (size_t i = 0; i < n; i++) {
        if (i % 4 == 1)
            x[i] = specials[(i * 7 + seed) % N_SPECIALS];
        else if (i % 5 == 3)
            x[i] = floorf(x[i]) + 0.5f;
    }
}

static float alpha_of(int op) { return op == CW_UNARY_CLIP ? -2.5f : 0.2f; }
static float beta_of(int op) { return op == CW_UNARY_CLIP ? 3.25f : 0.0f; }

static void check_f32_op(int op, const float *x, size_t n, const char *what) {
    float *y = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    float a = alpha_of(op), b = beta_of(op);
    assert_int_equal(cw_unary((cw_unary_op)op, CW_F32, x, y, n, a, b), CW_OK);
    if (is_predicate(op)) {
        const uint8_t *yb = (const uint8_t *)y;
        for (size_t i = 0; i < n; i++) {
            if (yb[i] != (uint8_t)ref_op(op, x[i], a, b))
                fail_msg("%s %s: element %zu (x=%g) is %d", what, cw_unary_name(op), i,
                         (double)x[i], yb[i]);
        }
    } else {
        for (size_t i = 0; i < n; i++) want[i] = (float)ref_op(op, x[i], a, b);
        char msg[96];
        snprintf(msg, sizeof msg, "%s %s n=%zu", what, cw_unary_name(op), n);
        test_assert_close(y, want, n, 0.0f, is_exact_f32(op) ? 0.0f : 1e-6f, msg);
    }
    free(y);
    free(want);
}

static void unary_f32_matches_reference_on_all_sizes_with_special_values(void **state) {
    (void)state;
    float x[1000];
    for (int op = 0; op < CW_UNARY_COUNT; op++) {
        assert_int_equal(cw_unary_out_dtype(op, CW_F32), is_predicate(op) ? CW_BOOL : CW_F32);
        for (size_t s = 0; s < N_SIZES; s++) {
            fill_f32(x, sizes[s], op, 11 + (uint32_t)s);
            check_f32_op(op, x, sizes[s], "f32");
        }
    }
}

static void unary_f32_matches_reference_on_every_special_value(void **state) {
    (void)state;
    for (int op = 0; op < CW_UNARY_COUNT; op++) check_f32_op(op, specials, N_SPECIALS, "special");
}

static void unary_f32_matches_tfjs_on_chosen_values(void **state) {
    (void)state;
    const float x[] = {NAN, -0.5f, 0.5f, 1.5f, 2.5f, -2.5f, -3.7f, 3.7f};
    float y[8];
    const float round_want[] = {NAN, -0.0f, 0.0f, 2.0f, 2.0f, -2.0f, -4.0f, 4.0f};
    assert_int_equal(cw_unary(CW_UNARY_ROUND, CW_F32, x, y, 8, 0, 0), CW_OK);
    test_assert_close(y, round_want, 8, 0, 0, "Round half to even");
    const float floor_want[] = {NAN, -1.0f, 0.0f, 1.0f, 2.0f, -3.0f, -4.0f, 3.0f};
    assert_int_equal(cw_unary(CW_UNARY_FLOOR, CW_F32, x, y, 8, 0, 0), CW_OK);
    test_assert_close(y, floor_want, 8, 0, 0, "Floor");
    const float sign_want[] = {0.0f, -1, 1, 1, 1, -1, -1, 1};
    assert_int_equal(cw_unary(CW_UNARY_SIGN, CW_F32, x, y, 8, 0, 0), CW_OK);
    test_assert_close(y, sign_want, 8, 0, 0, "Sign of NaN is 0");
    const float relu_want[] = {NAN, 0, 0.5f, 1.5f, 2.5f, 0, 0, 3.7f};
    assert_int_equal(cw_unary(CW_UNARY_RELU, CW_F32, x, y, 8, 0, 0), CW_OK);
    test_assert_close(y, relu_want, 8, 0, 0, "Relu keeps NaN");
    const float step_want[] = {NAN, -3, 1, 1, 1, -3, -3, 1};
    assert_int_equal(cw_unary(CW_UNARY_STEP, CW_F32, x, y, 8, -3.0f, 0), CW_OK);
    test_assert_close(y, step_want, 8, 0, 0, "Step keeps NaN");
    const float clip_want[] = {NAN, -0.5f, 0.5f, 1.5f, 2.0f, -1.0f, -1.0f, 2.0f};
    assert_int_equal(cw_unary(CW_UNARY_CLIP, CW_F32, x, y, 8, -1.0f, 2.0f), CW_OK);
    test_assert_close(y, clip_want, 8, 0, 0, "ClipByValue keeps NaN");
}

/* Distance of got from the double reference w in float ulps at w's binade;
 * subnormal results count in units of the smallest subnormal. */
static double ulps_from(float got, double w) {
    if (isnan(w)) return isnan(got) ? 0 : 1e9;
    if (fabs(w) > 3.4028234663852886e38) return isinf(got) && (got > 0) == (w > 0) ? 0 : 1e9;
    int e;
    frexp(fabs(w) < 1.1754943508222875e-38 ? 1.1754943508222875e-38 : fabs(w), &e);
    return fabs((double)got - w) / ldexp(1.0, e - 24);
}

/* The vector exp family against double formulas on ~1M floats spread over
 * every binade of the interesting range (bit patterns stepped by a prime):
 * Exp <= 1.5 ulp, Tanh / Elu <= 2, Sigmoid / Selu <= 3 (measured maxima over
 * every float: 1.05, 1.53, 1.16, 2.40 ulp). The generic tests use 1e-6
 * relative, ~8 ulp. */
static void exp_family_stays_within_a_few_ulp_on_a_dense_sweep(void **state) {
    (void)state;
    const struct {
        int op;
        float lo, hi;
        double max_ulp;
    } cases[] = {
        {CW_UNARY_EXP, -104.0f, 89.0f, 1.5}, {CW_UNARY_SIGMOID, -110.0f, 110.0f, 3.0},
        {CW_UNARY_TANH, -12.0f, 12.0f, 2.0}, {CW_UNARY_ELU, -30.0f, 30.0f, 2.0},
        {CW_UNARY_SELU, -30.0f, 30.0f, 3.0},
    };
    const size_t cap = 1 << 20;
    float *x = malloc(cap * sizeof(float)), *y = malloc(cap * sizeof(float));
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = 0;
        for (uint64_t u = 0; u <= 0xFFFFFFFFu && n < cap; u += 4099) {
            uint32_t b = (uint32_t)u;
            float v;
            memcpy(&v, &b, sizeof v);
            if (v >= cases[c].lo && v <= cases[c].hi) x[n++] = v;
        }
        assert_int_equal(cw_unary((cw_unary_op)cases[c].op, CW_F32, x, y, n, 0, 0), CW_OK);
        double worst = 0;
        for (size_t i = 0; i < n; i++) {
            double e = ulps_from(y[i], ref_op(cases[c].op, x[i], 0, 0));
            if (e > cases[c].max_ulp)
                fail_msg("%s(%.9g) = %.9g is %.2f ulp from %.9g", cw_unary_name(cases[c].op),
                         (double)x[i], (double)y[i], e, ref_op(cases[c].op, x[i], 0, 0));
            if (e > worst) worst = e;
        }
        print_message("%s: %zu inputs, max %.2f ulp\n", cw_unary_name(cases[c].op), n, worst);
    }
    free(x);
    free(y);
}

static void exp_family_handles_overflow_underflow_and_nan_like_tfjs(void **state) {
    (void)state;
    const float x[] = {INFINITY, -INFINITY, NAN,     88.7f,  88.8f,  -87.5f,  -100.0f, -104.0f,
                       -0.0f,    1e-30f,    -1e-30f, -3e-7f, 200.0f, -200.0f, 20.0f,   -20.0f};
    const size_t n = sizeof x / sizeof x[0];
    float y[sizeof x / sizeof x[0]];
    const int ops[] = {CW_UNARY_EXP, CW_UNARY_SIGMOID, CW_UNARY_TANH, CW_UNARY_ELU, CW_UNARY_SELU};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        /* every lane position and the tail: shift the window */
        for (size_t off = 0; off < 4; off++) {
            assert_int_equal(cw_unary((cw_unary_op)ops[k], CW_F32, x + off, y, n - off, 0, 0),
                             CW_OK);
            for (size_t i = 0; i < n - off; i++) {
                double w = ref_op(ops[k], x[i + off], 0, 0);
                if (ulps_from(y[i], w) > 3.0)
                    fail_msg("%s(%.9g) = %.9g, expected %.9g", cw_unary_name(ops[k]),
                             (double)x[i + off], (double)y[i], w);
            }
        }
    }
    /* the cases that need care, exactly */
    assert_int_equal(cw_unary(CW_UNARY_SIGMOID, CW_F32, x, y, n, 0, 0), CW_OK);
    assert_true(y[0] == 1.0f && y[1] == 0.0f && isnan(y[2]) && y[12] == 1.0f && y[13] == 0.0f);
    assert_true(y[6] > 0.0f && y[6] < 1e-43f); /* subnormal, not flushed */
    assert_int_equal(cw_unary(CW_UNARY_EXP, CW_F32, x, y, n, 0, 0), CW_OK);
    assert_true(isinf(y[0]) && y[1] == 0.0f && isnan(y[2]) && isinf(y[4]) && !isinf(y[3]));
    assert_int_equal(cw_unary(CW_UNARY_TANH, CW_F32, x, y, n, 0, 0), CW_OK);
    assert_true(y[0] == 1.0f && y[1] == -1.0f && isnan(y[2]) && y[9] == 1e-30f);
    assert_true(y[8] == 0.0f && signbit(y[8]));
    /* Elu of a tiny negative is the cpu backend's exp(x) - 1 in doubles: 0 */
    assert_int_equal(cw_unary(CW_UNARY_ELU, CW_F32, x, y, n, 0, 0), CW_OK);
    assert_true(y[10] == 0.0f && y[1] == -1.0f && isnan(y[2]) && y[13] == -1.0f);
    assert_true(y[11] == (float)(exp(-3e-7) - 1.0));
}

/* --- int32 ---------------------------------------------------------------- */

static void fill_i32(int32_t *x, size_t n, uint32_t seed) {
    static const int32_t sp[] = {
        0,      1,    -1,    2,      -2,    6,         7,         -7,
        100,    -100, 46341, -46341, 65536, INT32_MAX, INT32_MIN, INT32_MIN + 1,
        1000000};
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        x[i] = (int32_t)floorf(test_rand(&s, -50.0f, 50.0f));
        if (i % 3 == 1) x[i] = sp[(i * 5 + seed) % (sizeof sp / sizeof sp[0])];
    }
}

static void unary_i32_matches_reference_on_all_sizes(void **state) {
    (void)state;
    int32_t x[1000], y[1000];
    for (int op = 0; op < CW_UNARY_COUNT; op++) {
        int out = cw_unary_out_dtype(op, CW_I32);
        int want_out = is_predicate(op)                                   ? CW_BOOL
                       : (op == CW_UNARY_EXP || op == CW_UNARY_LEAKYRELU) ? CW_F32
                                                                          : CW_I32;
        assert_int_equal(out, want_out);
        float a = alpha_of(op), b = beta_of(op);
        for (size_t s = 0; s < N_SIZES; s++) {
            size_t n = sizes[s];
            fill_i32(x, n, 5 + (uint32_t)s);
            assert_int_equal(cw_unary((cw_unary_op)op, CW_I32, x, y, n, a, b), CW_OK);
            for (size_t i = 0; i < n; i++) {
                double r = ref_op(op, x[i], a, b);
                int ok;
                if (op == CW_UNARY_SQUARE) { /* int32 multiply wraps */
                    ok = y[i] == (int32_t)(uint32_t)(uint64_t)((int64_t)x[i] * x[i]);
                } else if (out == CW_F32) {
                    float g = ((float *)y)[i], w = (float)r;
                    ok = isinf(w) ? g == w : fabsf(g - w) <= 1e-6f * fabsf(w);
                } else if (out == CW_BOOL) {
                    ok = ((uint8_t *)y)[i] == (uint8_t)r;
                } else {
                    ok = y[i] == ref_toint32(r);
                }
                if (!ok)
                    fail_msg("i32 %s: element %zu (x=%d) is wrong", cw_unary_name(op), i, x[i]);
            }
        }
    }
}

static void unary_bool_supports_only_predicates(void **state) {
    (void)state;
    uint8_t x[9] = {0, 1, 1, 0, 1, 0, 0, 1, 1}, y[9];
    for (int op = 0; op < CW_UNARY_COUNT; op++) {
        cw_status st = cw_unary((cw_unary_op)op, CW_BOOL, x, y, 9, 0, 0);
        if (!is_predicate(op)) {
            assert_int_equal(st, CW_ERR_INVALID);
            assert_non_null(strstr(cw_error_message(), cw_unary_name(op)));
            continue;
        }
        assert_int_equal(st, CW_OK);
        for (int i = 0; i < 9; i++) assert_int_equal(y[i], (uint8_t)ref_op(op, x[i], 0, 0));
    }
}

/* --- in place, threads ----------------------------------------------------- */

static void unary_in_place_equals_out_of_place_for_every_op_and_dtype(void **state) {
    (void)state;
    union {
        float f[1000];
        int32_t i[1000];
    } x, y, z;
    for (int dt = CW_F32; dt <= CW_I32; dt++) {
        for (int op = 0; op < CW_UNARY_COUNT; op++) {
            for (size_t s = 0; s < N_SIZES; s++) {
                size_t n = sizes[s];
                if (dt == CW_F32)
                    fill_f32(x.f, n, op, 3 + (uint32_t)s);
                else
                    fill_i32(x.i, n, 3 + (uint32_t)s);
                memcpy(z.f, x.f, n * 4);
                float a = alpha_of(op), b = beta_of(op);
                assert_int_equal(cw_unary((cw_unary_op)op, (cw_dtype)dt, x.f, y.f, n, a, b), CW_OK);
                assert_int_equal(cw_unary((cw_unary_op)op, (cw_dtype)dt, z.f, z.f, n, a, b), CW_OK);
                size_t bytes = n * cw_dtype_size((cw_dtype)cw_unary_out_dtype(op, dt));
                if (memcmp(y.f, z.f, bytes) != 0)
                    fail_msg("%s dtype %d n=%zu: in place differs", cw_unary_name(op), dt, n);
            }
        }
    }
}

static void unary_large_input_is_split_across_threads_identically(void **state) {
    (void)state;
    const size_t n = 100003;
    cw_threads_init(4);
    float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float));
    float *z = malloc(n * sizeof(float));
    for (int op = 0; op < CW_UNARY_COUNT; op++) {
        fill_f32(x, n, op, 99);
        check_f32_op(op, x, n, "threads");
        memcpy(z, x, n * sizeof(float));
        assert_int_equal(cw_unary((cw_unary_op)op, CW_F32, x, y, n, 0.2f, 1.0f), CW_OK);
        assert_int_equal(cw_unary((cw_unary_op)op, CW_F32, z, z, n, 0.2f, 1.0f), CW_OK);
        size_t bytes = n * cw_dtype_size((cw_dtype)cw_unary_out_dtype(op, CW_F32));
        if (memcmp(y, z, bytes) != 0) fail_msg("%s: threaded in place differs", cw_unary_name(op));
    }
    free(x);
    free(y);
    free(z);
}

/* --- Cast ------------------------------------------------------------------ */

static double load_elem(int t, const void *p, size_t i) {
    if (t == CW_F32) return ((const float *)p)[i];
    if (t == CW_I32) return ((const int32_t *)p)[i];
    return ((const uint8_t *)p)[i];
}

static void check_cast(int from, const void *x, int to, const void *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        double v = load_elem(from, x, i), g = load_elem(to, y, i);
        double w = to == CW_BOOL ? (v != 0) : to == CW_I32 ? ref_toint32(v) : (double)(float)v;
        if (!(g == w || (isnan(g) && isnan(w))))
            fail_msg("Cast %d->%d element %zu: %g gave %g, expected %g", from, to, i, v, g, w);
    }
}

static void cast_converts_all_nine_dtype_pairs_like_tfjs(void **state) {
    (void)state;
    union {
        float f[1000];
        int32_t i[1000];
        uint8_t b[4000];
    } x, y, z;
    for (int from = CW_F32; from <= CW_BOOL; from++) {
        for (int to = CW_F32; to <= CW_BOOL; to++) {
            for (size_t s = 0; s < N_SIZES; s++) {
                size_t n = sizes[s];
                if (from == CW_F32)
                    fill_f32(x.f, n, CW_UNARY_ABS, 17 + (uint32_t)s);
                else if (from == CW_I32)
                    fill_i32(x.i, n, 17 + (uint32_t)s);
                else
                    for (size_t i = 0; i < n; i++) x.b[i] = (uint8_t)(i % 3 == 0);
                assert_int_equal(cw_cast((cw_dtype)from, x.f, (cw_dtype)to, y.f, n), CW_OK);
                check_cast(from, x.f, to, y.f, n);
                /* in place, also when the element size changes */
                memcpy(z.f, x.f, n * cw_dtype_size((cw_dtype)from));
                assert_int_equal(cw_cast((cw_dtype)from, z.f, (cw_dtype)to, z.f, n), CW_OK);
                check_cast(from, x.f, to, z.f, n);
            }
        }
    }
}

static void cast_f32_to_i32_truncates_and_wraps_like_int32array(void **state) {
    (void)state;
    const float x[] = {1.9f,
                       -1.9f,
                       NAN,
                       INFINITY,
                       -INFINITY,
                       2147483648.0f,
                       -2147483648.0f,
                       4294967296.0f + 1024.0f,
                       3e9f,
                       -0.5f};
    const int32_t want[] = {1, -1, 0, 0, 0, INT32_MIN, INT32_MIN, 1024, -1294967296, 0};
    int32_t y[10];
    assert_int_equal(cw_cast(CW_F32, x, CW_I32, y, 10), CW_OK);
    for (int i = 0; i < 10; i++) assert_int_equal(y[i], want[i]);
}

static void cast_handles_out_of_range_in_every_lane_and_nonzero_bytes(void **state) {
    (void)state;
    const float sp[] = {NAN, INFINITY, 3e9f, -3e9f, 2147483648.0f, -2147483648.0f, 1e20f, -0.0f};
    float x[23];
    int32_t yi[23];
    for (size_t pos = 0; pos < 8; pos++) {
        for (size_t i = 0; i < 23; i++) x[i] = (float)i - 11.5f;
        for (size_t i = pos; i < 23; i += 8) x[i] = sp[(i + pos) % 8];
        assert_int_equal(cw_cast(CW_F32, x, CW_I32, yi, 23), CW_OK);
        check_cast(CW_F32, x, CW_I32, yi, 23);
    }
    uint8_t b[9] = {0, 1, 2, 255, 0, 7, 1, 0, 128};
    float yf[9];
    assert_int_equal(cw_cast(CW_BOOL, b, CW_F32, yf, 9), CW_OK);
    assert_int_equal(cw_cast(CW_BOOL, b, CW_I32, yi, 9), CW_OK);
    for (int i = 0; i < 9; i++) {
        assert_true(yf[i] == (b[i] ? 1.0f : 0.0f));
        assert_int_equal(yi[i], b[i] ? 1 : 0);
    }
}

static void cast_large_input_is_split_across_threads(void **state) {
    (void)state;
    const size_t n = 70001;
    cw_threads_init(4);
    float *x = malloc(n * sizeof(float));
    int32_t *y = malloc(n * sizeof(int32_t));
    fill_f32(x, n, CW_UNARY_ABS, 4);
    assert_int_equal(cw_cast(CW_F32, x, CW_I32, y, n), CW_OK);
    check_cast(CW_F32, x, CW_I32, y, n);
    free(x);
    free(y);
}

/* --- errors ------------------------------------------------------------------ */

static void invalid_op_or_dtype_returns_invalid_with_a_message(void **state) {
    (void)state;
    float x[4] = {1, 2, 3, 4}, y[4];
    assert_int_equal(cw_unary((cw_unary_op)CW_UNARY_COUNT, CW_F32, x, y, 4, 0, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "op 40"));
    assert_int_equal(cw_unary((cw_unary_op)-1, CW_F32, x, y, 4, 0, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "op -1"));
    assert_int_equal(cw_unary(CW_UNARY_ABS, (cw_dtype)3, x, y, 4, 0, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Abs: dtype 3"));
    assert_int_equal(cw_unary(CW_UNARY_SIN, CW_BOOL, x, y, 4, 0, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Sin: bool"));
    assert_int_equal(cw_unary(CW_UNARY_EXP, CW_F32, NULL, y, 4, 0, 0), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "NULL"));
    assert_int_equal(cw_unary(CW_UNARY_EXP, CW_F32, NULL, NULL, 0, 0, 0), CW_OK);
    assert_int_equal(cw_cast((cw_dtype)5, x, CW_F32, y, 4), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "source dtype 5"));
    assert_int_equal(cw_cast(CW_F32, x, (cw_dtype)-2, y, 4), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "target dtype -2"));
    assert_int_equal(cw_unary_out_dtype(CW_UNARY_COUNT, CW_F32), -1);
    assert_int_equal(cw_unary_out_dtype(CW_UNARY_ABS, 7), -1);
    assert_string_equal(cw_unary_name(CW_UNARY_CLIP), "ClipByValue");
    assert_string_equal(cw_unary_name(99), "?");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unary_f32_matches_reference_on_all_sizes_with_special_values),
        cmocka_unit_test(unary_f32_matches_reference_on_every_special_value),
        cmocka_unit_test(unary_f32_matches_tfjs_on_chosen_values),
        cmocka_unit_test(exp_family_stays_within_a_few_ulp_on_a_dense_sweep),
        cmocka_unit_test(exp_family_handles_overflow_underflow_and_nan_like_tfjs),
        cmocka_unit_test(unary_i32_matches_reference_on_all_sizes),
        cmocka_unit_test(unary_bool_supports_only_predicates),
        cmocka_unit_test(unary_in_place_equals_out_of_place_for_every_op_and_dtype),
        cmocka_unit_test(unary_large_input_is_split_across_threads_identically),
        cmocka_unit_test(cast_converts_all_nine_dtype_pairs_like_tfjs),
        cmocka_unit_test(cast_f32_to_i32_truncates_and_wraps_like_int32array),
        cmocka_unit_test(cast_handles_out_of_range_in_every_lane_and_nonzero_bytes),
        cmocka_unit_test(cast_large_input_is_split_across_threads),
        cmocka_unit_test(invalid_op_or_dtype_returns_invalid_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
