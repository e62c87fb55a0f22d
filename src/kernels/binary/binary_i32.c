/* int32 row kernels of the arithmetic binary ops.
 *
 * The JS reference computes each op on doubles and stores the result into an
 * Int32Array (ToInt32: truncate, wrap modulo 2^32, NaN / Infinity -> 0).
 * Add and Sub are exact in double, so they are plain wrapping integer ops;
 * the others reproduce the double result where it can differ. */
#include "kernels/binary/binary_rows.h"

static inline int32_t i32_wrap(uint32_t u) {
    return u >= 0x80000000u ? (int32_t)(u - 0x80000000u) + INT32_MIN : (int32_t)u;
}

static inline int32_t i32_add(int32_t a, int32_t b) { return i32_wrap((uint32_t)a + (uint32_t)b); }

static inline int32_t i32_sub(int32_t a, int32_t b) { return i32_wrap((uint32_t)a - (uint32_t)b); }

/* a * b in double loses bits once |a * b| > 2^53; ToInt32 then wraps the
 * rounded product, which is what the reference stores. */
static inline int32_t i32_mul(int32_t a, int32_t b) {
    int64_t p = (int64_t)a * b;
    const int64_t exact = (int64_t)1 << 53;
    if (p >= -exact && p <= exact) return i32_wrap((uint32_t)(uint64_t)p);
    return cw_js_to_int32((double)p);
}

/* Math.floor(a / b): b == 0 gives +-Infinity or NaN, stored as 0; the double
 * quotient of two int32 values never rounds across an integer. */
static inline int32_t i32_floor_div(int32_t a, int32_t b) {
    if (b == 0) return 0;
    if (b == -1) return i32_sub(0, a); /* INT32_MIN / -1 = 2^31 wraps */
    int32_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) q--;
    return q;
}

/* The reference's `%` Mod: b == 0 gives NaN, stored as 0; otherwise the
 * remainder takes the sign of b. */
static inline int32_t i32_mod(int32_t a, int32_t b) {
    if (b == 0 || b == -1) return 0;
    int32_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

static inline int32_t i32_squared_difference(int32_t a, int32_t b) {
    double d = (double)a - (double)b; /* exact */
    return cw_js_to_int32(d * d);
}

CW_BINARY_ROW(row_add, int32_t, int32_t, i32_add(x, y))
CW_BINARY_ROW(row_sub, int32_t, int32_t, i32_sub(x, y))
CW_BINARY_ROW(row_mul, int32_t, int32_t, i32_mul(x, y))
CW_BINARY_ROW(row_div, int32_t, int32_t, cw_js_to_int32((double)x / (double)y))
CW_BINARY_ROW(row_floor_div, int32_t, int32_t, i32_floor_div(x, y))
CW_BINARY_ROW(row_mod, int32_t, int32_t, i32_mod(x, y))
CW_BINARY_ROW(row_maximum, int32_t, int32_t, x > y ? x : y)
CW_BINARY_ROW(row_minimum, int32_t, int32_t, x < y ? x : y)
CW_BINARY_ROW(row_pow, int32_t, int32_t, cw_js_to_int32(cw_js_pow(x, y)))
CW_BINARY_ROW(row_squared_difference, int32_t, int32_t, i32_squared_difference(x, y))
CW_BINARY_ROW(row_atan2, int32_t, int32_t, cw_js_to_int32(atan2(x, y)))
CW_BINARY_ROW(row_prelu, int32_t, int32_t, x < 0 ? i32_mul(y, x) : x)
CW_BINARY_ROW(row_bitwise_and, int32_t, int32_t, x &y)

static const cw_binary_row_fn arith_rows[] = CW_BINARY_ARITH_ROWS;

cw_binary_row_fn cw_binary_row_i32(cw_binary_op op) {
    if (op == CW_BINARY_BITWISE_AND) return row_bitwise_and;
    return cw_binary_arith_row(arith_rows, op);
}
