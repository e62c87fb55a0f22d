/* float32 row kernels of the arithmetic binary ops.
 *
 * Add, Sub, Mul, Div, Maximum, Minimum, SquaredDifference and Prelu run four
 * lanes at a time through vec.h; the vector body and the scalar tail compute
 * the same float expression, so a result never depends on where a row starts.
 * FloorDiv, Mod, Pow and Atan2 evaluate in double, as the JS reference does,
 * and round once to float. */
#include "kernels/binary/binary_rows.h"
#include "simd/vec.h"

/* Defines a row kernel from a vector expression and the same scalar one, both
 * over operands x and y. Each stride pair gets its own loop so the vector body
 * has no per-lane branches. */
#define CW_F32_ROW(name, VEXPR, SEXPR)                                                             \
    static void name(const void *pa, size_t sa, const void *pb, size_t sb, void *po, size_t n) {   \
        const float *a = pa, *b = pb;                                                              \
        float *o = po;                                                                             \
        size_t i = 0;                                                                              \
        if (sa && sb) {                                                                            \
            for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                     \
                cw_v4f x = cw_v4f_load(a + i), y = cw_v4f_load(b + i);                             \
                cw_v4f_store(o + i, VEXPR);                                                        \
            }                                                                                      \
        } else if (sb) {                                                                           \
            const cw_v4f x = cw_v4f_splat(a[0]);                                                   \
            for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                     \
                cw_v4f y = cw_v4f_load(b + i);                                                     \
                cw_v4f_store(o + i, VEXPR);                                                        \
            }                                                                                      \
        } else if (sa) {                                                                           \
            const cw_v4f y = cw_v4f_splat(b[0]);                                                   \
            for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                     \
                cw_v4f x = cw_v4f_load(a + i);                                                     \
                cw_v4f_store(o + i, VEXPR);                                                        \
            }                                                                                      \
        }                                                                                          \
        for (; i < n; i++) {                                                                       \
            float x = a[i * sa], y = b[i * sb];                                                    \
            o[i] = (SEXPR);                                                                        \
        }                                                                                          \
    }

/* Scalar-only rows: evaluated in double like the JS reference. */
#define CW_F64_ROW(name, SEXPR)                                                                    \
    static void name(const void *pa, size_t sa, const void *pb, size_t sb, void *po, size_t n) {   \
        const float *a = pa, *b = pb;                                                              \
        float *o = po;                                                                             \
        for (size_t i = 0; i < n; i++) {                                                           \
            double x = a[i * sa], y = b[i * sb];                                                   \
            o[i] = (float)(SEXPR);                                                                 \
        }                                                                                          \
    }

/* Math.max lane-wise: the larger; on a tie of zeros a + b (+0 unless both are
 * -0); NaN if either is NaN. */
static inline cw_v4f v4f_js_max(cw_v4f a, cw_v4f b) {
    cw_v4f r = cw_v4f_select(cw_v4f_gt(a, b), a, b);
    cw_v4f tie = cw_v4f_select(cw_v4f_eq(a, cw_v4f_zero()), cw_v4f_add(a, b), a);
    r = cw_v4f_select(cw_v4f_eq(a, b), tie, r);
    r = cw_v4f_select(cw_v4f_eq(a, a), r, a);
    return cw_v4f_select(cw_v4f_eq(b, b), r, b);
}

/* Math.min lane-wise: the smaller; on a tie of zeros -(-a - b) (-0 unless
 * both are +0); NaN if either is NaN. */
static inline cw_v4f v4f_js_min(cw_v4f a, cw_v4f b) {
    cw_v4f r = cw_v4f_select(cw_v4f_lt(a, b), a, b);
    cw_v4f zt = cw_v4f_neg(cw_v4f_sub(cw_v4f_neg(a), b));
    cw_v4f tie = cw_v4f_select(cw_v4f_eq(a, cw_v4f_zero()), zt, a);
    r = cw_v4f_select(cw_v4f_eq(a, b), tie, r);
    r = cw_v4f_select(cw_v4f_eq(a, a), r, a);
    return cw_v4f_select(cw_v4f_eq(b, b), r, b);
}

static inline cw_v4f v4f_squared_difference(cw_v4f a, cw_v4f b) {
    cw_v4f d = cw_v4f_sub(a, b);
    return cw_v4f_mul(d, d);
}

static inline float f32_squared_difference(float a, float b) {
    float d = a - b;
    return d * d;
}

static inline cw_v4f v4f_prelu(cw_v4f x, cw_v4f alpha) {
    return cw_v4f_select(cw_v4f_lt(x, cw_v4f_zero()), cw_v4f_mul(alpha, x), x);
}

CW_F32_ROW(row_add, cw_v4f_add(x, y), x + y)
CW_F32_ROW(row_sub, cw_v4f_sub(x, y), x - y)
CW_F32_ROW(row_mul, cw_v4f_mul(x, y), x *y)
CW_F32_ROW(row_div, cw_v4f_div(x, y), x / y)
CW_F32_ROW(row_maximum, v4f_js_max(x, y), cw_js_maxf(x, y))
CW_F32_ROW(row_minimum, v4f_js_min(x, y), cw_js_minf(x, y))
CW_F32_ROW(row_squared_difference, v4f_squared_difference(x, y), f32_squared_difference(x, y))
CW_F32_ROW(row_prelu, v4f_prelu(x, y), x < 0.0f ? y * x : x)
CW_F64_ROW(row_floor_div, floor(x / y))
CW_F64_ROW(row_mod, cw_js_mod(x, y))
CW_F64_ROW(row_pow, cw_js_pow(x, y))
CW_F64_ROW(row_atan2, atan2(x, y))

static const cw_binary_row_fn arith_rows[] = CW_BINARY_ARITH_ROWS;

cw_binary_row_fn cw_binary_row_f32(cw_binary_op op) { return cw_binary_arith_row(arith_rows, op); }
