/* Element-wise unary kernels and Cast, with tfjs-backend-cpu semantics.
 *
 * Output dtype (cw_unary_out_dtype): Exp and LeakyRelu give f32; IsNan, IsInf,
 * IsFinite and LogicalNot give bool; every other op gives the input dtype.
 * Input dtypes: f32 and i32 for every op; bool only for IsNan, IsInf,
 * IsFinite and LogicalNot. An i32 op computes like the cpu backend's Int32Array
 * store: the double result truncated toward zero, wrapped modulo 2^32,
 * NaN and +-inf giving 0 (Abs, Neg, Square wrap like int32 arithmetic). */
#ifndef CW_KERNELS_UNARY_UNARY_H
#define CW_KERNELS_UNARY_UNARY_H

#include <stddef.h>

#include "core/dtype.h"
#include "core/status.h"

/* Stable numbering, shared with the JS side: append, never renumber. */
typedef enum {
    CW_UNARY_ABS = 0,
    CW_UNARY_NEG = 1,
    CW_UNARY_EXP = 2,
    CW_UNARY_EXPM1 = 3,
    CW_UNARY_LOG = 4,
    CW_UNARY_LOG1P = 5,
    CW_UNARY_SQRT = 6,
    CW_UNARY_RSQRT = 7,
    CW_UNARY_SQUARE = 8,
    CW_UNARY_RECIPROCAL = 9,
    CW_UNARY_SIGMOID = 10,
    CW_UNARY_TANH = 11,
    CW_UNARY_SOFTPLUS = 12,
    CW_UNARY_RELU = 13,  /* max(0, x); NaN stays NaN */
    CW_UNARY_RELU6 = 14, /* min(max(0, x), 6); NaN stays NaN */
    CW_UNARY_ELU = 15,   /* x >= 0 ? x : exp(x) - 1 */
    CW_UNARY_SELU = 16,
    CW_UNARY_LEAKYRELU = 17, /* x < 0 ? alpha * x : x */
    CW_UNARY_STEP = 18,      /* NaN ? NaN : x > 0 ? 1 : alpha */
    CW_UNARY_SIGN = 19,      /* -1, 0 or 1; NaN gives 0 */
    CW_UNARY_FLOOR = 20,
    CW_UNARY_CEIL = 21,
    CW_UNARY_ROUND = 22, /* half to even */
    CW_UNARY_SIN = 23,
    CW_UNARY_COS = 24,
    CW_UNARY_TAN = 25,
    CW_UNARY_ASIN = 26,
    CW_UNARY_ACOS = 27,
    CW_UNARY_ATAN = 28,
    CW_UNARY_SINH = 29,
    CW_UNARY_COSH = 30,
    CW_UNARY_ASINH = 31,
    CW_UNARY_ACOSH = 32,
    CW_UNARY_ATANH = 33,
    CW_UNARY_ERF = 34, /* Abramowitz-Stegun 7.1.26, as tfjs */
    CW_UNARY_IS_NAN = 35,
    CW_UNARY_IS_INF = 36,
    CW_UNARY_IS_FINITE = 37,
    CW_UNARY_LOGICAL_NOT = 38, /* x ? 0 : 1 (NaN counts as false) */
    CW_UNARY_CLIP = 39,        /* x > beta ? beta : x < alpha ? alpha : x */
    CW_UNARY_COUNT = 40
} cw_unary_op;

/* The TF.js kernel name of op ("Abs", "ClipByValue", ...), "?" if unknown. */
const char *cw_unary_name(int op);

/* The output dtype of op on input dtype `in`; -1 if the pair is invalid. */
int cw_unary_out_dtype(int op, int in);

/* y[i] = op(x[i]) for i in [0, n). x has dtype `dtype`, y the output dtype.
 * alpha: LeakyRelu / Step alpha, Clip minimum; beta: Clip maximum.
 * x == y (in place) is allowed. Parallel over i; equals the serial loop. */
cw_status cw_unary(cw_unary_op op, cw_dtype dtype, const void *x, void *y, size_t n, float alpha,
                   float beta);

/* y[i] = (to)x[i]: f32 -> i32 truncates toward zero (NaN, inf -> 0, wraps
 * modulo 2^32 like JS ToInt32); -> bool is x != 0 (NaN -> 1); bool -> 0 / 1.
 * x == y is allowed (also when the element sizes differ). */
cw_status cw_cast(cw_dtype from, const void *x, cw_dtype to, void *y, size_t n);

/* EluGrad: dx[i] = y[i] >= 0 ? dy[i] : dy[i] * (y[i] + 1), from the Elu
 * output y (the product in double, rounded once, as tfjs-backend-cpu; NaN y
 * takes the second branch). dx may alias dy or y. Parallel over i; equals
 * the serial loop. */
cw_status cw_unary_elu_grad_f32(const float *dy, const float *y, float *dx, size_t n);

#endif
