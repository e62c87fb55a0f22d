/* Internal to the binary family: row kernels and the JS number semantics
 * they share.
 *
 * A row kernel computes o[i] = op(a[i * sa], b[i * sb]) for i in [0, n) with
 * sa, sb in {0, 1}: a contiguous row or one broadcast value per operand.
 * Row kernels never allocate and never fail; the entry point validated. */
#ifndef CW_KERNELS_BINARY_BINARY_ROWS_H
#define CW_KERNELS_BINARY_BINARY_ROWS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/binary/binary.h"

typedef void (*cw_binary_row_fn)(const void *a, size_t sa, const void *b, size_t sb, void *o,
                                 size_t n);

/* The row kernel of op for in_dtype, or NULL if the pair is not supported. */
cw_binary_row_fn cw_binary_row_f32(cw_binary_op op);
cw_binary_row_fn cw_binary_row_i32(cw_binary_op op);
cw_binary_row_fn cw_binary_row_compare(cw_binary_op op, cw_dtype in_dtype);
cw_binary_row_fn cw_binary_row_logical(cw_binary_op op);

/* Defines a scalar row kernel `name` computing o[i] = EXPR over x = a[i * sa]
 * and y = b[i * sb] (TIN in, TOUT out). One loop per stride pair keeps the
 * loops simple enough for the compiler to vectorise. */
#define CW_BINARY_ROW(name, TIN, TOUT, EXPR)                                                       \
    static void name(const void *pa, size_t sa, const void *pb, size_t sb, void *po, size_t n) {   \
        const TIN *a = pa, *b = pb;                                                                \
        TOUT *o = po;                                                                              \
        if (sa && sb) {                                                                            \
            for (size_t i = 0; i < n; i++) {                                                       \
                TIN x = a[i], y = b[i];                                                            \
                o[i] = (TOUT)(EXPR);                                                               \
            }                                                                                      \
        } else if (sb) {                                                                           \
            const TIN x = a[0];                                                                    \
            for (size_t i = 0; i < n; i++) {                                                       \
                TIN y = b[i];                                                                      \
                o[i] = (TOUT)(EXPR);                                                               \
            }                                                                                      \
        } else if (sa) {                                                                           \
            const TIN y = b[0];                                                                    \
            for (size_t i = 0; i < n; i++) {                                                       \
                TIN x = a[i];                                                                      \
                o[i] = (TOUT)(EXPR);                                                               \
            }                                                                                      \
        } else if (n > 0) {                                                                        \
            const TIN x = a[0], y = b[0];                                                          \
            const TOUT v = (TOUT)(EXPR);                                                           \
            for (size_t i = 0; i < n; i++) o[i] = v;                                               \
        }                                                                                          \
    }

/* The initializer of a dtype's table of arithmetic row kernels: the names
 * each dtype file defines, in cw_binary_op order (CW_BINARY_ADD = 0 to
 * CW_BINARY_PRELU). */
#define CW_BINARY_ARITH_ROWS                                                                       \
    {                                                                                              \
        row_add, row_sub, row_mul, row_div, row_floor_div, row_mod, row_maximum, row_minimum,      \
            row_pow, row_squared_difference, row_atan2, row_prelu                                  \
    }

/* The row of op in a CW_BINARY_ARITH_ROWS table, or NULL if op is not an
 * arithmetic op. */
static inline cw_binary_row_fn cw_binary_arith_row(const cw_binary_row_fn rows[CW_BINARY_PRELU + 1],
                                                   cw_binary_op op) {
    return (unsigned)op <= CW_BINARY_PRELU ? rows[op] : NULL;
}

/* ToInt32 of ECMAScript: what storing the double x into an Int32Array keeps
 * (truncate, wrap modulo 2^32; NaN and infinities give 0). */
static inline int32_t cw_js_to_int32(double x) {
    if (x > -2147483649.0 && x < 2147483648.0) return (int32_t)x; /* truncates */
    if (!isfinite(x)) return 0;
    double m = fmod(trunc(x), 4294967296.0); /* exact */
    if (m < 0) m += 4294967296.0;
    uint32_t u = (uint32_t)m;
    return u >= 0x80000000u ? (int32_t)(u - 0x80000000u) + INT32_MIN : (int32_t)u;
}

/* Math.pow: unlike C pow, pow(x, NaN) is NaN for every x and
 * pow(+-1, +-Infinity) is NaN. */
static inline double cw_js_pow(double a, double b) {
    if (isnan(b) || (isinf(b) && fabs(a) == 1.0)) return NAN;
    return pow(a, b);
}

/* The JS `%` based Mod of tfjs-backend-cpu. */
static inline double cw_js_mod(double a, double b) {
    double rem = fmod(a, b);
    if ((a < 0 && b < 0) || (a >= 0 && b >= 0)) return rem;
    return fmod(rem + b, b);
}

/* Math.max / Math.min on floats: NaN wins, +0 > -0. */
static inline float cw_js_maxf(float a, float b) {
    if (isnan(a) || isnan(b)) return NAN;
    if (a == b) return a == 0.0f ? a + b : a; /* +0 + -0 = +0 */
    return a > b ? a : b;
}

static inline float cw_js_minf(float a, float b) {
    if (isnan(a) || isnan(b)) return NAN;
    if (a == b) return a == 0.0f ? -(-a - b) : a; /* -(-(+0) - (-0)) = -0 */
    return a < b ? a : b;
}

#endif
