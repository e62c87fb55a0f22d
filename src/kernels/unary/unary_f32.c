/* f32 unary range kernels. Ops that are exact in float32 (or within an ulp of
 * the cpu backend's double formula) run 4 lanes at a time through vec.h, with
 * a scalar tail that uses the same float operations, so every element gets
 * the same bits whichever way [0, n) is split. Exp, Sigmoid, Tanh, Elu and
 * Selu use the vector exp of act/exp_v4f.h (within ~2.5 ulp of the double
 * formula); their tail goes through the same vector code on a padded copy.
 * The rest compute the cpu backend's double formula per element and round
 * once to float. */
#include <math.h>
#include <stdint.h>

#include "kernels/act/exp_v4f.h"
#include "kernels/unary/unary_impl.h"
#include "simd/vec.h"

/* 2^23: at and above it every float is an integer. Adding and subtracting it
 * rounds a smaller non-negative float to an integer, half to even. */
#define CW_F32_INT_LIMIT 8388608.0f

static inline float round_even_f32(float x) {
    float a = fabsf(x);
    if (!(a < CW_F32_INT_LIMIT)) return x; /* large, inf or NaN */
    float r = (a + CW_F32_INT_LIMIT) - CW_F32_INT_LIMIT;
    return x < 0.0f ? -r : r;
}

static inline cw_v4f round_even_v4f(cw_v4f x, cw_v4m *small) {
    cw_v4f m = cw_v4f_splat(CW_F32_INT_LIMIT);
    cw_v4f a = cw_v4f_abs(x);
    cw_v4f r = cw_v4f_sub(cw_v4f_add(a, m), m);
    *small = cw_v4f_lt(a, m);
    return cw_v4f_select(cw_v4f_lt(x, cw_v4f_zero()), cw_v4f_neg(r), r);
}

static inline float floor_f32(float x) {
    float r = round_even_f32(x);
    return r > x ? r - 1.0f : r;
}

static inline float ceil_f32(float x) {
    float r = round_even_f32(x);
    return r < x ? r + 1.0f : r;
}

/* round_even_f32, floor_f32 and ceil_f32 lane-wise: lanes of magnitude 2^23
 * or more (and infinities, NaN) are already integers and pass through. */
static inline cw_v4f round_v4f(cw_v4f x) {
    cw_v4m small;
    cw_v4f r = round_even_v4f(x, &small);
    return cw_v4f_select(small, r, x);
}

static inline cw_v4f floor_v4f(cw_v4f x) {
    cw_v4m small;
    cw_v4f r = round_even_v4f(x, &small), one = cw_v4f_splat(1.0f);
    return cw_v4f_select(small, cw_v4f_sub(r, cw_v4f_select(cw_v4f_gt(r, x), one, cw_v4f_zero())),
                         x);
}

static inline cw_v4f ceil_v4f(cw_v4f x) {
    cw_v4m small;
    cw_v4f r = round_even_v4f(x, &small), one = cw_v4f_splat(1.0f);
    return cw_v4f_select(small, cw_v4f_add(r, cw_v4f_select(cw_v4f_lt(r, x), one, cw_v4f_zero())),
                         x);
}

/* Vector body + scalar tail for one op. VEXPR uses v (cw_v4f), SEXPR uses s. */
#define CW_MAP_F32(VEXPR, SEXPR)                                                                   \
    do {                                                                                           \
        size_t i = 0;                                                                              \
        for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                         \
            cw_v4f v = cw_v4f_load(x + i);                                                         \
            cw_v4f_store(yf + i, (VEXPR));                                                         \
        }                                                                                          \
        for (; i < n; i++) {                                                                       \
            float s = x[i];                                                                        \
            yf[i] = (SEXPR);                                                                       \
        }                                                                                          \
    } while (0)

/* Vector body for every element: the tail (< 4 elements) is computed on a
 * zero-padded copy, so each element's bits do not depend on the split. */
#define CW_MAP_V4F(VEXPR)                                                                          \
    do {                                                                                           \
        size_t i = 0;                                                                              \
        for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                         \
            cw_v4f v = cw_v4f_load(x + i);                                                         \
            cw_v4f_store(yf + i, (VEXPR));                                                         \
        }                                                                                          \
        if (i < n) {                                                                               \
            float buf[CW_VEC_LANES] = {0};                                                         \
            for (size_t k = i; k < n; k++) buf[k - i] = x[k];                                      \
            cw_v4f v = cw_v4f_load(buf);                                                           \
            cw_v4f_store(buf, (VEXPR));                                                            \
            for (size_t k = i; k < n; k++) yf[k] = buf[k - i];                                     \
        }                                                                                          \
    } while (0)

#define CW_MAP_F64(OP)                                                                             \
    case OP:                                                                                       \
        for (size_t i = 0; i < n; i++) yf[i] = (float)cw_unary_f64(OP, (double)x[i]);              \
        return

static void f32_to_bool(cw_unary_op op, const float *x, uint8_t *y, size_t n) {
    switch (op) {
    case CW_UNARY_IS_NAN:
        for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? 1 : 0;
        return;
    case CW_UNARY_IS_INF:
        for (size_t i = 0; i < n; i++) y[i] = isinf(x[i]) ? 1 : 0;
        return;
    case CW_UNARY_IS_FINITE:
        for (size_t i = 0; i < n; i++) y[i] = isfinite(x[i]) ? 1 : 0;
        return;
    default: /* CW_UNARY_LOGICAL_NOT: JS truthiness, NaN is false */
        for (size_t i = 0; i < n; i++) y[i] = (x[i] != 0.0f && !isnan(x[i])) ? 0 : 1;
        return;
    }
}

/* Below this |x|, tfjs-backend-cpu's exp(x) - 1 in doubles is quantised to
 * multiples of 2^-53 (0 for |x| < 2^-54) and differs from expm1 by more
 * than a float ulp: such negative inputs take the double formula. */
#define CW_ELU_TINY 9.5367431640625e-7f /* 2^-20 */

static inline cw_v4f elu_v4f(cw_v4f v, cw_v4f kpos, cw_v4f kneg) {
    cw_v4f em = cw_v4f_mul(kneg, cw_v4f_expm1_neg(v));
    return cw_v4f_select(cw_v4f_ge(v, cw_v4f_zero()), cw_v4f_mul(kpos, v), em);
}

/* Lanes of v (input x[i..i+m)) with -CW_ELU_TINY < x < 0 get the double
 * formula; v is passed because y may alias x. */
static void elu_fix_tiny(cw_unary_op op, cw_v4f v, float *y, size_t m) {
    float in[CW_VEC_LANES];
    cw_v4f_store(in, v);
    for (size_t j = 0; j < m; j++)
        if (in[j] < 0.0f && in[j] > -CW_ELU_TINY) y[j] = (float)cw_unary_f64(op, (double)in[j]);
}

/* Elu or Selu over [0, n); in place allowed. */
static void elu_f32(cw_unary_op op, const float *x, float *y, size_t n) {
    const int selu = op == CW_UNARY_SELU;
    const cw_v4f zero = cw_v4f_zero(), tiny = cw_v4f_splat(-CW_ELU_TINY);
    const cw_v4f kpos = cw_v4f_splat(selu ? (float)CW_SELU_SCALE : 1.0f);
    const cw_v4f kneg = cw_v4f_splat(selu ? (float)CW_SELU_SCALEALPHA : 1.0f);
    size_t i = 0;
    for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {
        cw_v4f v = cw_v4f_load(x + i);
        cw_v4f_store(y + i, elu_v4f(v, kpos, kneg));
        if (cw_v4m_any(cw_v4m_and(cw_v4f_lt(v, zero), cw_v4f_gt(v, tiny))))
            elu_fix_tiny(op, v, y + i, CW_VEC_LANES);
    }
    if (i < n) {
        float buf[CW_VEC_LANES] = {0};
        for (size_t k = i; k < n; k++) buf[k - i] = x[k];
        cw_v4f v = cw_v4f_load(buf);
        cw_v4f_store(buf, elu_v4f(v, kpos, kneg));
        elu_fix_tiny(op, v, buf, n - i);
        for (size_t k = i; k < n; k++) y[k] = buf[k - i];
    }
}

void cw_unary_f32_run(cw_unary_op op, const float *x, void *y, size_t n, float alpha, float beta) {
    float *yf = (float *)y;
    const cw_v4f zero = cw_v4f_zero(), one = cw_v4f_splat(1.0f);
    const cw_v4f va = cw_v4f_splat(alpha), vb = cw_v4f_splat(beta);
    /* Comparisons + select keep NaN where the cpu backend keeps it; the
     * vector min/max differ between mappings for NaN. */
    switch (op) {
    case CW_UNARY_ABS:
        CW_MAP_F32(cw_v4f_abs(v), fabsf(s));
        return;
    case CW_UNARY_NEG:
        CW_MAP_F32(cw_v4f_neg(v), -s);
        return;
    case CW_UNARY_SQUARE:
        CW_MAP_F32(cw_v4f_mul(v, v), s * s);
        return;
    case CW_UNARY_SQRT:
        CW_MAP_F32(cw_v4f_sqrt(v), sqrtf(s));
        return;
    case CW_UNARY_RSQRT:
        CW_MAP_F32(cw_v4f_div(one, cw_v4f_sqrt(v)), 1.0f / sqrtf(s));
        return;
    case CW_UNARY_RECIPROCAL:
        CW_MAP_F32(cw_v4f_div(one, v), 1.0f / s);
        return;
    case CW_UNARY_RELU: /* v <= 0 (also -0) gives +0; NaN stays */
        CW_MAP_F32(cw_v4f_clear(cw_v4f_le(v, zero), v), s <= 0.0f ? 0.0f : s);
        return;
    case CW_UNARY_RELU6: {
        const cw_v4f six = cw_v4f_splat(6.0f);
        CW_MAP_F32(cw_v4f_clear(cw_v4f_le(v, zero), cw_v4f_select(cw_v4f_gt(v, six), six, v)),
                   s <= 0.0f ? 0.0f : (s > 6.0f ? 6.0f : s));
        return;
    }
    case CW_UNARY_EXP:
        CW_MAP_V4F(cw_v4f_exp(v));
        return;
    case CW_UNARY_SIGMOID:
        CW_MAP_V4F(cw_v4f_sigmoid(v));
        return;
    case CW_UNARY_TANH:
        CW_MAP_V4F(cw_v4f_tanh(v));
        return;
    case CW_UNARY_ELU:
    case CW_UNARY_SELU:
        elu_f32(op, x, yf, n);
        return;
    case CW_UNARY_LEAKYRELU:
        CW_MAP_F32(cw_v4f_select(cw_v4f_lt(v, zero), cw_v4f_mul(va, v), v),
                   s < 0.0f ? alpha * s : s);
        return;
    case CW_UNARY_STEP:
        CW_MAP_F32(cw_v4f_select(cw_v4f_gt(v, zero), one, cw_v4f_select(cw_v4f_eq(v, v), va, v)),
                   s > 0.0f ? 1.0f : (isnan(s) ? s : alpha));
        return;
    case CW_UNARY_SIGN: {
        const cw_v4f m1 = cw_v4f_splat(-1.0f);
        CW_MAP_F32(
            cw_v4f_select(cw_v4f_lt(v, zero), m1, cw_v4f_select(cw_v4f_gt(v, zero), one, zero)),
            s < 0.0f ? -1.0f : (s > 0.0f ? 1.0f : 0.0f));
        return;
    }
    case CW_UNARY_CLIP:
        CW_MAP_F32(cw_v4f_select(cw_v4f_gt(v, vb), vb, cw_v4f_select(cw_v4f_lt(v, va), va, v)),
                   s > beta ? beta : (s < alpha ? alpha : s));
        return;
    case CW_UNARY_ROUND:
        CW_MAP_F32(round_v4f(v), round_even_f32(s));
        return;
    case CW_UNARY_FLOOR:
        CW_MAP_F32(floor_v4f(v), floor_f32(s));
        return;
    case CW_UNARY_CEIL:
        CW_MAP_F32(ceil_v4f(v), ceil_f32(s));
        return;
        CW_MAP_F64(CW_UNARY_EXPM1);
        CW_MAP_F64(CW_UNARY_LOG);
        CW_MAP_F64(CW_UNARY_LOG1P);
        CW_MAP_F64(CW_UNARY_SOFTPLUS);
        CW_MAP_F64(CW_UNARY_SIN);
        CW_MAP_F64(CW_UNARY_COS);
        CW_MAP_F64(CW_UNARY_TAN);
        CW_MAP_F64(CW_UNARY_ASIN);
        CW_MAP_F64(CW_UNARY_ACOS);
        CW_MAP_F64(CW_UNARY_ATAN);
        CW_MAP_F64(CW_UNARY_SINH);
        CW_MAP_F64(CW_UNARY_COSH);
        CW_MAP_F64(CW_UNARY_ASINH);
        CW_MAP_F64(CW_UNARY_ACOSH);
        CW_MAP_F64(CW_UNARY_ATANH);
        CW_MAP_F64(CW_UNARY_ERF);
    case CW_UNARY_IS_NAN:
    case CW_UNARY_IS_INF:
    case CW_UNARY_IS_FINITE:
    case CW_UNARY_LOGICAL_NOT:
        f32_to_bool(op, x, (uint8_t *)y, n);
        return;
    case CW_UNARY_COUNT:
        return;
    }
}
