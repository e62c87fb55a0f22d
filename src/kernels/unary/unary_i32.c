/* int32 and bool unary range kernels. The cpu backend computes an int32 op in
 * JS numbers and stores into an Int32Array (ToInt32); the integer-closed ops
 * are done directly in int32 with two's-complement wrap, which is the same. */
#include <string.h>

#include "kernels/act/exp_v4f.h"
#include "kernels/unary/unary_impl.h"
#include "simd/vec.h"

/* uint32 -> int32 two's complement, without implementation-defined casts. */
static inline int32_t wrap_i32(uint32_t u) {
    return u <= 0x7FFFFFFFu ? (int32_t)u : (int32_t)(u - 0x80000000u) - 0x7FFFFFFF - 1;
}

static void i32_to_f32(cw_unary_op op, const int32_t *x, float *y, size_t n, float alpha) {
    if (op == CW_UNARY_EXP) {
        /* Every int32 whose exp is finite and nonzero in float is exact in
         * float, so exp of the converted value is the f32 kernel's. */
        size_t i = 0;
        for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES)
            cw_v4f_store(y + i, cw_v4f_exp(cw_v4i_to_v4f(cw_v4i_load(x + i))));
        if (i < n) {
            int32_t in[CW_VEC_LANES] = {0};
            float out[CW_VEC_LANES];
            for (size_t k = i; k < n; k++) in[k - i] = x[k];
            cw_v4f_store(out, cw_v4f_exp(cw_v4i_to_v4f(cw_v4i_load(in))));
            for (size_t k = i; k < n; k++) y[k] = out[k - i];
        }
    } else { /* CW_UNARY_LEAKYRELU */
        for (size_t i = 0; i < n; i++) {
            double v = x[i];
            y[i] = (float)(v < 0 ? (double)alpha * v : v);
        }
    }
}

static void i32_to_bool(cw_unary_op op, const int32_t *x, uint8_t *y, size_t n) {
    if (op == CW_UNARY_LOGICAL_NOT) {
        for (size_t i = 0; i < n; i++) y[i] = x[i] ? 0 : 1;
    } else {
        memset(y, op == CW_UNARY_IS_FINITE, n); /* IsNan, IsInf: 0 */
    }
}

void cw_unary_i32_run(cw_unary_op op, const int32_t *x, void *y, size_t n, float alpha,
                      float beta) {
    int32_t *yi = (int32_t *)y;
    switch (op) {
    case CW_UNARY_ABS:
        for (size_t i = 0; i < n; i++) yi[i] = x[i] < 0 ? wrap_i32(0u - (uint32_t)x[i]) : x[i];
        return;
    case CW_UNARY_NEG:
        for (size_t i = 0; i < n; i++) yi[i] = wrap_i32(0u - (uint32_t)x[i]);
        return;
    case CW_UNARY_SQUARE:
        for (size_t i = 0; i < n; i++) yi[i] = wrap_i32((uint32_t)x[i] * (uint32_t)x[i]);
        return;
    case CW_UNARY_SIGN:
        for (size_t i = 0; i < n; i++) yi[i] = x[i] < 0 ? -1 : (x[i] > 0 ? 1 : 0);
        return;
    case CW_UNARY_RELU:
        for (size_t i = 0; i < n; i++) yi[i] = x[i] > 0 ? x[i] : 0;
        return;
    case CW_UNARY_RELU6:
        for (size_t i = 0; i < n; i++) yi[i] = x[i] < 0 ? 0 : (x[i] > 6 ? 6 : x[i]);
        return;
    case CW_UNARY_FLOOR:
    case CW_UNARY_CEIL:
    case CW_UNARY_ROUND:
        if ((const void *)x != y) memmove(yi, x, n * sizeof *yi);
        return;
    case CW_UNARY_STEP: {
        int32_t a = cw_js_toint32(alpha);
        for (size_t i = 0; i < n; i++) yi[i] = x[i] > 0 ? 1 : a;
        return;
    }
    case CW_UNARY_CLIP: {
        int32_t lo = cw_js_toint32(alpha), hi = cw_js_toint32(beta);
        for (size_t i = 0; i < n; i++) {
            double v = x[i];
            yi[i] = v > (double)beta ? hi : (v < (double)alpha ? lo : x[i]);
        }
        return;
    }
    case CW_UNARY_EXP:
    case CW_UNARY_LEAKYRELU:
        i32_to_f32(op, x, (float *)y, n, alpha);
        return;
    case CW_UNARY_IS_NAN:
    case CW_UNARY_IS_INF:
    case CW_UNARY_IS_FINITE:
    case CW_UNARY_LOGICAL_NOT:
        i32_to_bool(op, x, (uint8_t *)y, n);
        return;
    default:
        for (size_t i = 0; i < n; i++) yi[i] = cw_js_toint32(cw_unary_f64(op, (double)x[i]));
        return;
    }
}

void cw_unary_bool_run(cw_unary_op op, const uint8_t *x, uint8_t *y, size_t n) {
    if (op == CW_UNARY_LOGICAL_NOT) {
        for (size_t i = 0; i < n; i++) y[i] = x[i] ? 0 : 1;
    } else {
        memset(y, op == CW_UNARY_IS_FINITE, n); /* IsNan, IsInf: 0 */
    }
}
