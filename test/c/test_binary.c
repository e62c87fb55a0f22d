#include "test_util.h"

#include <string.h>

#include "cw.h"

/* ---- reference: the tfjs-backend-cpu expressions, evaluated in double ---- */

static int32_t ref_to_int32(double x) {
    if (!isfinite(x)) return 0;
    double m = fmod(trunc(x), 4294967296.0);
    if (m < 0) m += 4294967296.0;
    int64_t v = (int64_t)m;
    return (int32_t)(v >= 2147483648LL ? v - 4294967296LL : v);
}

static double ref_arith(cw_binary_op op, double x, double y) {
    switch (op) {
    case CW_BINARY_ADD:
        return x + y;
    case CW_BINARY_SUB:
        return x - y;
    case CW_BINARY_MUL:
        return x * y;
    case CW_BINARY_DIV:
        return x / y;
    case CW_BINARY_FLOOR_DIV:
        return floor(x / y);
    case CW_BINARY_MOD: {
        double rem = fmod(x, y);
        if ((x < 0 && y < 0) || (x >= 0 && y >= 0)) return rem;
        return fmod(rem + y, y);
    }
    case CW_BINARY_MAXIMUM:
        if (isnan(x) || isnan(y)) return NAN;
        if (x == y && x == 0) return signbit(x) && signbit(y) ? -0.0 : 0.0;
        return x > y ? x : y;
    case CW_BINARY_MINIMUM:
        if (isnan(x) || isnan(y)) return NAN;
        if (x == y && x == 0) return signbit(x) || signbit(y) ? -0.0 : 0.0;
        return x < y ? x : y;
    case CW_BINARY_POW:
        if (isnan(y) || (fabs(x) == 1 && isinf(y))) return NAN;
        return pow(x, y);
    case CW_BINARY_SQUARED_DIFFERENCE:
        return (x - y) * (x - y);
    case CW_BINARY_ATAN2:
        return atan2(x, y);
    case CW_BINARY_PRELU:
        return x < 0 ? y * x : x;
    case CW_BINARY_BITWISE_AND:
        return (double)((int32_t)x & (int32_t)y);
    default:
        return NAN;
    }
}

static int ref_bool(cw_binary_op op, double x, double y) {
    switch (op) {
    case CW_BINARY_EQUAL:
        return x == y;
    case CW_BINARY_NOT_EQUAL:
        return x != y;
    case CW_BINARY_LESS:
        return x < y;
    case CW_BINARY_LESS_EQUAL:
        return x <= y;
    case CW_BINARY_GREATER:
        return x > y;
    case CW_BINARY_GREATER_EQUAL:
        return x >= y;
    case CW_BINARY_LOGICAL_AND:
        return x != 0 && y != 0;
    case CW_BINARY_LOGICAL_OR:
        return x != 0 || y != 0;
    case CW_BINARY_LOGICAL_XOR:
        return (x != 0) != (y != 0);
    default:
        return -1;
    }
}

static int op_is_bool_out(int op) { return op >= CW_BINARY_EQUAL && op <= CW_BINARY_LOGICAL_XOR; }

static int op_supports(int op, cw_dtype dt) {
    if (op == CW_BINARY_BITWISE_AND) return dt == CW_I32;
    if (op >= CW_BINARY_LOGICAL_AND) return dt == CW_BOOL;
    if (op >= CW_BINARY_EQUAL) return 1;
    return dt != CW_BOOL;
}

static double load_as_double(const void *p, size_t i, cw_dtype dt) {
    if (dt == CW_F32) return ((const float *)p)[i];
    if (dt == CW_I32) return ((const int32_t *)p)[i];
    return ((const uint8_t *)p)[i];
}

/* Index into a right-aligned, broadcast operand of output element i. */
static size_t bcast_index(size_t i, const int32_t *out_shape, int out_rank, const int32_t *shape,
                          int rank) {
    size_t idx = 0, stride = 1;
    for (int k = out_rank - 1; k >= 0; k--) {
        size_t c = i % (size_t)out_shape[k];
        i /= (size_t)out_shape[k];
        int j = k - (out_rank - rank);
        if (j >= 0) {
            if (shape[j] != 1) idx += c * stride;
            stride *= (size_t)shape[j];
        }
    }
    return idx;
}

static void reference(int op, cw_dtype dt, const void *a, const int32_t *as, int ar, const void *b,
                      const int32_t *bs, int br, void *out, const int32_t *os, int orank) {
    size_t n = cw_shape_size(os, orank);
    for (size_t i = 0; i < n; i++) {
        double x = load_as_double(a, bcast_index(i, os, orank, as, ar), dt);
        double y = load_as_double(b, bcast_index(i, os, orank, bs, br), dt);
        if (op_is_bool_out(op))
            ((uint8_t *)out)[i] = (uint8_t)ref_bool((cw_binary_op)op, x, y);
        else if (dt == CW_F32)
            ((float *)out)[i] = (float)ref_arith((cw_binary_op)op, x, y);
        else
            ((int32_t *)out)[i] = ref_to_int32(ref_arith((cw_binary_op)op, x, y));
    }
}

/* ---- data ---- */

static const float f32_specials[] = {0.0f, -0.0f, NAN,  INFINITY, -INFINITY,
                                     1.0f, -1.0f, 3.0f, -3.0f};
static const int32_t i32_specials[] = {0, 1, -1, 2, -2, 7, -7, INT32_MAX, INT32_MIN, 65536, -46341};

/* Random values with specials and small integers mixed in, so ties, exact
 * divisions, zeros and NaNs all occur. */
static void fill(void *p, size_t n, cw_dtype dt, uint32_t seed, int specials) {
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        float r = test_rand(&s, -8.0f, 8.0f);
        int pick = (int)(test_rand(&s, 0.0f, 10.0f));
        if (dt == CW_F32) {
            float v = r;
            if (specials && pick == 0)
                v = f32_specials[(size_t)(test_rand(&s, 0, 9))];
            else if (pick < 4)
                v = roundf(r);
            ((float *)p)[i] = v;
        } else if (dt == CW_I32) {
            int32_t v = (int32_t)lrintf(r * 4);
            if (specials && pick == 0) v = i32_specials[(size_t)(test_rand(&s, 0, 11))];
            ((int32_t *)p)[i] = v;
        } else {
            ((uint8_t *)p)[i] = r > 0.0f;
        }
    }
}

static void check_out(const void *got, const void *want, size_t n, int op, cw_dtype out_dt,
                      const char *what) {
    for (size_t i = 0; i < n; i++) {
        int ok;
        double g = load_as_double(got, i, out_dt), w = load_as_double(want, i, out_dt);
        if (out_dt == CW_F32) {
            float gf = ((const float *)got)[i], wf = ((const float *)want)[i];
            if (isnan(wf))
                ok = isnan(gf);
            else if (op == CW_BINARY_SQUARED_DIFFERENCE && isfinite(wf))
                ok = fabsf(gf - wf) <= 1e-6f * fabsf(wf);
            else
                ok = memcmp(&gf, &wf, 4) == 0; /* bit-exact, -0 included */
        } else {
            ok = g == w;
        }
        if (!ok) fail_msg("%s: element %zu is %.9g, expected %.9g", what, i, g, w);
    }
}

/* Runs op on random a, b of the given shapes (out = their broadcast) and
 * compares with the reference. */
static void run_case(int op, cw_dtype dt, const int32_t *as, int ar, const int32_t *bs, int br,
                     uint32_t seed) {
    int32_t os[CW_MAX_RANK];
    int orank = ar > br ? ar : br;
    for (int k = 0; k < orank; k++) {
        int ja = k - (orank - ar), jb = k - (orank - br);
        int32_t da = ja < 0 ? 1 : as[ja], db = jb < 0 ? 1 : bs[jb];
        os[k] = da == 1 ? db : da;
    }
    size_t na = cw_shape_size(as, ar), nb = cw_shape_size(bs, br), n = cw_shape_size(os, orank);
    void *a = malloc(na * 4 + 4), *b = malloc(nb * 4 + 4);
    void *got = malloc(n * 4 + 4), *want = malloc(n * 4 + 4);
    fill(a, na, dt, seed, 1);
    fill(b, nb, dt, seed * 7 + 1, 1);
    memset(got, 0xAB, n * 4 + 4);
    reference(op, dt, a, as, ar, b, bs, br, want, os, orank);
    cw_status st = cw_binary((cw_binary_op)op, dt, a, as, ar, b, bs, br, got, os, orank);
    char what[128];
    snprintf(what, sizeof what, "%s dtype %d case %u", cw_binary_op_name((cw_binary_op)op), (int)dt,
             seed);
    if (st != CW_OK) fail_msg("%s: status %d: %s", what, (int)st, cw_error_message());
    cw_dtype odt = cw_binary_out_dtype((cw_binary_op)op, dt);
    check_out(got, want, n, op, odt, what);
    /* nothing written past the end */
    assert_int_equal(((uint8_t *)got)[n * cw_dtype_size(odt)], 0xAB);
    free(a);
    free(b);
    free(got);
    free(want);
}

static void run_all_ops(const int32_t *as, int ar, const int32_t *bs, int br, uint32_t seed) {
    for (int op = 0; op < CW_BINARY_OP_COUNT; op++)
        for (int dt = CW_F32; dt <= CW_BOOL; dt++)
            if (op_supports(op, (cw_dtype)dt))
                run_case(op, (cw_dtype)dt, as, ar, bs, br, seed + (uint32_t)(op * 31 + dt));
}

static const int32_t sweep_sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33};
#define N_SWEEP (sizeof sweep_sizes / sizeof sweep_sizes[0])

/* ---- tests ---- */

static void binary_matches_reference_on_equal_shapes_of_all_sizes(void **state) {
    (void)state;
    for (size_t k = 0; k < N_SWEEP; k++) {
        int32_t s[1] = {sweep_sizes[k]};
        run_all_ops(s, 1, s, 1, 100 + (uint32_t)k);
        int32_t s2[2] = {3, sweep_sizes[k]};
        run_all_ops(s2, 2, s2, 2, 200 + (uint32_t)k);
    }
}

static void binary_matches_reference_with_a_scalar_on_either_side(void **state) {
    (void)state;
    int32_t one[1] = {1};
    for (size_t k = 0; k < N_SWEEP; k++) {
        int32_t s[2] = {2, sweep_sizes[k]};
        run_all_ops(NULL, 0, s + 1, 1, 300 + (uint32_t)k);
        run_all_ops(s + 1, 1, NULL, 0, 400 + (uint32_t)k);
        run_all_ops(one, 1, s, 2, 500 + (uint32_t)k);
        run_all_ops(s, 2, one, 1, 600 + (uint32_t)k);
    }
    run_all_ops(NULL, 0, NULL, 0, 700);
    run_all_ops(one, 1, NULL, 0, 701);
}

static void binary_matches_reference_on_broadcast_shapes(void **state) {
    (void)state;
    static const struct {
        int ar, br;
        int32_t a[6], b[6];
    } cases[] = {
        {3, 2, {3, 1, 5}, {4, 1}},
        {2, 3, {4, 1}, {3, 1, 5}},
        {3, 1, {2, 3, 4}, {4}},
        {1, 3, {4}, {2, 3, 4}},
        {1, 2, {1}, {2, 3}},
        {2, 1, {2, 3}, {1}},
        {2, 2, {5, 1}, {1, 7}},
        {3, 3, {3, 4, 5}, {3, 1, 5}},
        {3, 3, {3, 1, 17}, {1, 6, 17}},
        {2, 2, {9, 1}, {9, 18}},
        {3, 2, {2, 3, 0}, {3, 1}},
        {3, 0, {1, 1, 1}, {0}},
        {6, 6, {2, 1, 3, 1, 2, 1}, {1, 2, 1, 3, 1, 2}},
        {6, 4, {2, 3, 1, 2, 1, 5}, {3, 1, 4, 5}},
        {6, 1, {1, 2, 1, 3, 2, 9}, {9}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        run_all_ops(cases[c].a, cases[c].ar, cases[c].b, cases[c].br, 800 + 50 * (uint32_t)c);
}

static void binary_large_broadcast_is_split_across_threads_and_matches(void **state) {
    (void)state;
    int32_t as[3] = {64, 1, 97}, bs[3] = {1, 211, 97}, flat[1] = {100003};
    run_case(CW_BINARY_ADD, CW_F32, as, 3, bs, 3, 9001);
    run_case(CW_BINARY_MAXIMUM, CW_F32, as, 3, bs, 3, 9002);
    run_case(CW_BINARY_MOD, CW_I32, as, 3, bs, 3, 9003);
    run_case(CW_BINARY_LESS, CW_F32, as, 3, bs, 3, 9004);
    run_case(CW_BINARY_MUL, CW_F32, flat, 1, flat, 1, 9005);
    run_case(CW_BINARY_SUB, CW_I32, flat, 1, NULL, 0, 9006);
}

/* Each pair is run as a row of 5 equal elements, so the vector body and the
 * scalar tail both see it. */
static void run_special_f32(int op, float a, float b, float want) {
    float av[5] = {a, a, a, a, a}, bv[5] = {b, b, b, b, b}, out[5];
    int32_t s[1] = {5};
    assert_int_equal(cw_binary((cw_binary_op)op, CW_F32, av, s, 1, bv, s, 1, out, s, 1), CW_OK);
    for (int i = 0; i < 5; i++) {
        if (isnan(want) ? !isnan(out[i]) : memcmp(&out[i], &want, 4) != 0)
            fail_msg("%s(%g, %g) = %g at %d, expected %g", cw_binary_op_name(op), a, b, out[i], i,
                     want);
    }
}

static void run_special_i32(int op, int32_t a, int32_t b, int32_t want) {
    int32_t av[5] = {a, a, a, a, a}, out[5];
    int32_t s[1] = {5};
    assert_int_equal(cw_binary((cw_binary_op)op, CW_I32, av, s, 1, &b, NULL, 0, out, s, 1), CW_OK);
    for (int i = 0; i < 5; i++)
        if (out[i] != want)
            fail_msg("%s(%d, %d) = %d, expected %d", cw_binary_op_name(op), a, b, out[i], want);
}

static void binary_handles_special_values_like_tfjs_cpu(void **state) {
    (void)state;
    run_special_f32(CW_BINARY_DIV, 1.0f, 0.0f, INFINITY);
    run_special_f32(CW_BINARY_DIV, -1.0f, 0.0f, -INFINITY);
    run_special_f32(CW_BINARY_DIV, 0.0f, 0.0f, NAN);
    run_special_f32(CW_BINARY_FLOOR_DIV, -7.0f, 2.0f, -4.0f);
    run_special_f32(CW_BINARY_FLOOR_DIV, 7.0f, 0.0f, INFINITY);
    run_special_f32(CW_BINARY_MOD, -7.0f, 3.0f, 2.0f);
    run_special_f32(CW_BINARY_MOD, 7.0f, -3.0f, -2.0f);
    run_special_f32(CW_BINARY_MOD, -7.0f, -3.0f, -1.0f);
    run_special_f32(CW_BINARY_MOD, 5.5f, 2.0f, 1.5f);
    run_special_f32(CW_BINARY_MOD, 1.0f, 0.0f, NAN);
    run_special_f32(CW_BINARY_MOD, 3.0f, INFINITY, 3.0f);
    run_special_f32(CW_BINARY_MOD, -3.0f, INFINITY, NAN);
    run_special_f32(CW_BINARY_MAXIMUM, NAN, 1.0f, NAN);
    run_special_f32(CW_BINARY_MAXIMUM, 1.0f, NAN, NAN);
    run_special_f32(CW_BINARY_MINIMUM, NAN, 1.0f, NAN);
    run_special_f32(CW_BINARY_MINIMUM, 1.0f, NAN, NAN);
    run_special_f32(CW_BINARY_MAXIMUM, -0.0f, 0.0f, 0.0f);
    run_special_f32(CW_BINARY_MINIMUM, 0.0f, -0.0f, -0.0f);
    run_special_f32(CW_BINARY_MAXIMUM, 0.0f, -0.0f, 0.0f);
    run_special_f32(CW_BINARY_MAXIMUM, -0.0f, -0.0f, -0.0f);
    run_special_f32(CW_BINARY_MINIMUM, -0.0f, 0.0f, -0.0f);
    run_special_f32(CW_BINARY_MINIMUM, 0.0f, 0.0f, 0.0f);
    run_special_f32(CW_BINARY_MAXIMUM, -INFINITY, NAN, NAN);
    run_special_f32(CW_BINARY_MINIMUM, INFINITY, -INFINITY, -INFINITY);
    run_special_f32(CW_BINARY_POW, 1.0f, NAN, NAN);
    run_special_f32(CW_BINARY_POW, -1.0f, INFINITY, NAN);
    run_special_f32(CW_BINARY_POW, NAN, 0.0f, 1.0f);
    run_special_f32(CW_BINARY_POW, 2.0f, 10.0f, 1024.0f);
    run_special_f32(CW_BINARY_ATAN2, 0.0f, -1.0f, (float)atan2(0.0, -1.0));
    run_special_f32(CW_BINARY_PRELU, -2.0f, 0.25f, -0.5f);
    run_special_f32(CW_BINARY_PRELU, NAN, 0.25f, NAN);
    run_special_f32(CW_BINARY_SQUARED_DIFFERENCE, INFINITY, INFINITY, NAN);

    run_special_i32(CW_BINARY_ADD, INT32_MAX, 1, INT32_MIN);
    run_special_i32(CW_BINARY_SUB, INT32_MIN, 1, INT32_MAX);
    run_special_i32(CW_BINARY_MUL, 65536, 65536, 0);
    run_special_i32(CW_BINARY_MUL, 65537, 65537, 131073);
    /* the double product rounds before ToInt32, as in the reference */
    run_special_i32(CW_BINARY_MUL, INT32_MAX, INT32_MAX,
                    ref_to_int32((double)INT32_MAX * INT32_MAX));
    run_special_i32(CW_BINARY_FLOOR_DIV, -7, 2, -4);
    run_special_i32(CW_BINARY_FLOOR_DIV, 7, -2, -4);
    run_special_i32(CW_BINARY_FLOOR_DIV, 7, 2, 3);
    run_special_i32(CW_BINARY_FLOOR_DIV, 5, 0, 0);
    run_special_i32(CW_BINARY_FLOOR_DIV, 0, 0, 0);
    run_special_i32(CW_BINARY_FLOOR_DIV, INT32_MIN, -1, INT32_MIN);
    run_special_i32(CW_BINARY_MOD, -7, 3, 2);
    run_special_i32(CW_BINARY_MOD, 7, -3, -2);
    run_special_i32(CW_BINARY_MOD, -7, -3, -1);
    run_special_i32(CW_BINARY_MOD, -6, 3, 0);
    run_special_i32(CW_BINARY_MOD, 5, 0, 0);
    run_special_i32(CW_BINARY_MOD, INT32_MIN, -1, 0);
    run_special_i32(CW_BINARY_POW, 2, 10, 1024);
    run_special_i32(CW_BINARY_POW, 2, -1, 0);
    run_special_i32(CW_BINARY_POW, 0, -1, 0);
    run_special_i32(CW_BINARY_POW, 2, 31, INT32_MIN);
    run_special_i32(CW_BINARY_POW, -3, 3, -27);
    run_special_i32(CW_BINARY_DIV, 7, 2, 3);
    run_special_i32(CW_BINARY_DIV, 7, 0, 0);
    run_special_i32(CW_BINARY_SQUARED_DIFFERENCE, 3, -4, 49);
    run_special_i32(CW_BINARY_PRELU, -3, 2, -6);

    /* comparisons with NaN */
    float a[2] = {NAN, 1.0f}, b[2] = {NAN, NAN};
    uint8_t out[2];
    int32_t s[1] = {2};
    assert_int_equal(cw_binary(CW_BINARY_EQUAL, CW_F32, a, s, 1, b, s, 1, out, s, 1), CW_OK);
    assert_true(out[0] == 0 && out[1] == 0);
    assert_int_equal(cw_binary(CW_BINARY_NOT_EQUAL, CW_F32, a, s, 1, b, s, 1, out, s, 1), CW_OK);
    assert_true(out[0] == 1 && out[1] == 1);
    assert_int_equal(cw_binary(CW_BINARY_GREATER_EQUAL, CW_F32, a, s, 1, b, s, 1, out, s, 1),
                     CW_OK);
    assert_true(out[0] == 0 && out[1] == 0);
}

static void binary_works_in_place_on_equal_shapes(void **state) {
    (void)state;
    for (size_t k = 0; k < N_SWEEP; k++) {
        int32_t s[1] = {sweep_sizes[k]};
        size_t n = (size_t)s[0];
        for (int op = 0; op <= CW_BINARY_PRELU; op++) {
            float a[40], b[40], want[40], a2[40];
            fill(a, n, CW_F32, 11 + (uint32_t)k, 1);
            fill(b, n, CW_F32, 13 + (uint32_t)k, 1);
            reference(op, CW_F32, a, s, 1, b, s, 1, want, s, 1);
            memcpy(a2, a, sizeof a);
            assert_int_equal(cw_binary((cw_binary_op)op, CW_F32, a, s, 1, b, s, 1, a, s, 1), CW_OK);
            check_out(a, want, n, op, CW_F32, "in place on a");
            assert_int_equal(cw_binary((cw_binary_op)op, CW_F32, a2, s, 1, b, s, 1, b, s, 1),
                             CW_OK);
            check_out(b, want, n, op, CW_F32, "in place on b");
            int32_t ia[40], ib[40], iwant[40];
            fill(ia, n, CW_I32, 17 + (uint32_t)k, 1);
            fill(ib, n, CW_I32, 19 + (uint32_t)k, 1);
            reference(op, CW_I32, ia, s, 1, ib, s, 1, iwant, s, 1);
            assert_int_equal(cw_binary((cw_binary_op)op, CW_I32, ia, s, 1, ib, s, 1, ia, s, 1),
                             CW_OK);
            check_out(ia, iwant, n, op, CW_I32, "int32 in place on a");
        }
        uint8_t la[40], lb[40], lwant[40];
        fill(la, n, CW_BOOL, 23, 0);
        fill(lb, n, CW_BOOL, 29, 0);
        reference(CW_BINARY_LOGICAL_XOR, CW_BOOL, la, s, 1, lb, s, 1, lwant, s, 1);
        assert_int_equal(cw_binary(CW_BINARY_LOGICAL_XOR, CW_BOOL, la, s, 1, lb, s, 1, la, s, 1),
                         CW_OK);
        check_out(la, lwant, n, CW_BINARY_LOGICAL_XOR, CW_BOOL, "logical in place");
    }
}

static void binary_rejects_bad_shapes_and_dtypes_with_a_message(void **state) {
    (void)state;
    float a[12] = {0}, b[12] = {0}, out[12];
    int32_t s3[1] = {3}, s4[1] = {4}, s34[2] = {3, 4}, s43[2] = {4, 3}, s_neg[1] = {-1};
    assert_int_equal(cw_binary(CW_BINARY_ADD, CW_F32, a, s3, 1, b, s4, 1, out, s4, 1),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Add"));
    assert_non_null(strstr(cw_error_message(), "[3]"));
    assert_non_null(strstr(cw_error_message(), "[4]"));
    /* operands broadcast, but not to the given output shape */
    assert_int_equal(cw_binary(CW_BINARY_SUB, CW_F32, a, s34, 2, b, s4, 1, out, s43, 2),
                     CW_ERR_INVALID);
    assert_non_null(
        strstr(cw_error_message(), "Sub: shapes [3,4] and [4] do not broadcast to [4,3]"));
    assert_int_equal(cw_binary(CW_BINARY_MUL, CW_F32, a, s34, 2, b, s4, 1, out, s4, 1),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Multiply"));
    assert_int_equal(cw_binary(CW_BINARY_ADD, CW_F32, a, s_neg, 1, b, s_neg, 1, out, s_neg, 1),
                     CW_ERR_INVALID);
    assert_int_equal(cw_binary(CW_BINARY_ADD, CW_F32, a, s3, 9, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
    assert_int_equal(cw_binary(CW_BINARY_LOGICAL_AND, CW_F32, a, s3, 1, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "LogicalAnd"));
    assert_int_equal(cw_binary(CW_BINARY_ADD, CW_BOOL, a, s3, 1, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
    assert_int_equal(cw_binary((cw_binary_op)99, CW_F32, a, s3, 1, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
    assert_int_equal(cw_binary(CW_BINARY_ADD, (cw_dtype)7, a, s3, 1, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
    assert_int_equal(cw_binary(CW_BINARY_ADD, CW_F32, NULL, s3, 1, b, s3, 1, out, s3, 1),
                     CW_ERR_INVALID);
}

static void add_n_sums_one_to_five_inputs_in_order(void **state) {
    (void)state;
    static float f[5][40];
    static int32_t v[5][40];
    for (int count = 1; count <= 5; count++) {
        for (size_t k = 0; k < N_SWEEP; k++) {
            size_t n = (size_t)sweep_sizes[k];
            const void *fin[5], *iin[5];
            for (int j = 0; j < count; j++) {
                fill(f[j], n, CW_F32, 40 + (uint32_t)(j * 5 + count), 1);
                fill(v[j], n, CW_I32, 50 + (uint32_t)(j * 5 + count), 1);
                fin[j] = f[j];
                iin[j] = v[j];
            }
            v[0][0] = INT32_MAX; /* wraps */
            float fout[40], fwant[40];
            int32_t iout[40], iwant[40];
            for (size_t i = 0; i < n; i++) {
                float acc = 0.0f;
                uint32_t iacc = 0;
                for (int j = 0; j < count; j++) {
                    acc += f[j][i];
                    iacc += (uint32_t)v[j][i];
                }
                fwant[i] = acc;
                iwant[i] = ref_to_int32((double)iacc);
            }
            assert_int_equal(cw_add_n(CW_F32, fin, count, fout, n), CW_OK);
            check_out(fout, fwant, n, CW_BINARY_ADD, CW_F32, "AddN f32");
            assert_int_equal(cw_add_n(CW_I32, iin, count, iout, n), CW_OK);
            check_out(iout, iwant, n, CW_BINARY_ADD, CW_I32, "AddN i32");
            /* in place into the last input */
            assert_int_equal(cw_add_n(CW_F32, fin, count, f[count - 1], n), CW_OK);
            check_out(f[count - 1], fwant, n, CW_BINARY_ADD, CW_F32, "AddN in place");
        }
    }
    float x[3];
    const void *in[1] = {x};
    assert_int_equal(cw_add_n(CW_F32, in, 0, x, 3), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "AddN"));
    assert_int_equal(cw_add_n(CW_BOOL, in, 1, x, 3), CW_ERR_INVALID);
}

static void add_n_is_split_across_threads_and_matches(void **state) {
    (void)state;
    size_t n = 200003;
    float *x = malloc(n * 4), *y = malloc(n * 4), *out = malloc(n * 4);
    fill(x, n, CW_F32, 1, 0);
    fill(y, n, CW_F32, 2, 0);
    const void *in[3] = {x, y, x};
    assert_int_equal(cw_add_n(CW_F32, in, 3, out, n), CW_OK);
    for (size_t i = 0; i < n; i++) {
        float want = 0.0f + x[i];
        want += y[i];
        want += x[i];
        if (memcmp(&out[i], &want, 4) != 0) fail_msg("AddN element %zu", i);
    }
    free(x);
    free(y);
    free(out);
}

static void select_picks_elementwise_and_by_rows_for_every_dtype(void **state) {
    (void)state;
    static const size_t rows_n[][2] = {{0, 0},           {1, 1},        {5, 5},     {17, 17},
                                       {3, 12},          {4, 36},       {7, 7 * 9}, {3, 0},
                                       {200003, 200003}, {1000, 200000}};
    for (size_t c = 0; c < sizeof rows_n / sizeof rows_n[0]; c++) {
        size_t cn = rows_n[c][0], n = rows_n[c][1];
        uint8_t *cond = malloc(cn + 1);
        fill(cond, cn, CW_BOOL, 3 + (uint32_t)c, 0);
        for (int dt = CW_F32; dt <= CW_BOOL; dt++) {
            size_t es = cw_dtype_size((cw_dtype)dt);
            uint8_t *t = malloc(n * es + 1), *e = malloc(n * es + 1), *out = malloc(n * es + 1);
            uint8_t *want = malloc(n * es + 1);
            fill(t, n, (cw_dtype)dt, 5, 1);
            fill(e, n, (cw_dtype)dt, 6, 1);
            for (size_t i = 0; i < n; i++) {
                size_t r = cn == n ? i : i / (n / cn);
                memcpy(want + i * es, (cond[r] ? t : e) + i * es, es);
            }
            assert_int_equal(cw_select((cw_dtype)dt, cond, cn, t, e, out, n), CW_OK);
            if (n && memcmp(out, want, n * es) != 0) fail_msg("Select case %zu dtype %d", c, dt);
            /* in place into t */
            assert_int_equal(cw_select((cw_dtype)dt, cond, cn, t, e, t, n), CW_OK);
            if (n && memcmp(t, want, n * es) != 0) fail_msg("Select in place case %zu", c);
            free(t);
            free(e);
            free(out);
            free(want);
        }
        free(cond);
    }
    float x[6];
    uint8_t cond[4] = {1, 0, 1, 0};
    assert_int_equal(cw_select(CW_F32, cond, 4, x, x, x, 6), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Select"));
    assert_int_equal(cw_select(CW_F32, cond, 0, x, x, x, 6), CW_ERR_INVALID);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binary_matches_reference_on_equal_shapes_of_all_sizes),
        cmocka_unit_test(binary_matches_reference_with_a_scalar_on_either_side),
        cmocka_unit_test(binary_matches_reference_on_broadcast_shapes),
        cmocka_unit_test(binary_large_broadcast_is_split_across_threads_and_matches),
        cmocka_unit_test(binary_handles_special_values_like_tfjs_cpu),
        cmocka_unit_test(binary_works_in_place_on_equal_shapes),
        cmocka_unit_test(binary_rejects_bad_shapes_and_dtypes_with_a_message),
        cmocka_unit_test(add_n_sums_one_to_five_inputs_in_order),
        cmocka_unit_test(add_n_is_split_across_threads_and_matches),
        cmocka_unit_test(select_picks_elementwise_and_by_rows_for_every_dtype),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
