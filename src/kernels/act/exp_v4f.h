/* Vector exp and the activations built on it, written once against vec.h and
 * shared by the unary kernels (Exp, Sigmoid, Tanh, Elu, Selu) and the fused
 * GEMM / conv epilogues (sigmoid, elu).
 *
 * exp: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 in two parts, the
 * first with 16 significant bits so n * hi is exact), exp(r) = 1 + r +
 * r^2 q(r) with q of degree 4, times 2^n built in the exponent bits as two
 * factors 2^(n/2) so gradual underflow (subnormal results) rounds once and
 * overflow gives +inf. Measured against double exp over every float in
 * [-104, 89] (native SSE2 and scalar): at most 1 ulp for normal results. */
#ifndef CW_KERNELS_ACT_EXP_V4F_H
#define CW_KERNELS_ACT_EXP_V4F_H

#include "simd/vec.h"

#define CW_EXP_LOG2E 1.44269502162933349609375f
#define CW_EXP_LN2_HI 0.693145751953125f         /* 0x3F317200 */
#define CW_EXP_LN2_LO 1.42860682030941723212e-6f /* ln2 - hi */
/* 1.5 * 2^23: x + it - it rounds |x| < 2^22 to an integer, half to even. */
#define CW_EXP_ROUNDER 12582912.0f
/* exp(-104) < 2^-150 rounds to 0; exp(89) > FLT_MAX: clamping there keeps
 * n in [-150, 128] without changing any result. */
#define CW_EXP_X_MIN -104.0f
#define CW_EXP_X_MAX 89.0f

/* (exp(r) - 1 - r) / r^2 on [-ln2/2, ln2/2]: Chebyshev fit of degree 4,
 * coefficients rounded to float; expm1 relative error 2.3e-8 there. */
static inline cw_v4f cw_exp_q(cw_v4f r) {
    cw_v4f q =
        cw_v4f_madd(cw_v4f_splat(0.008363173343241215f), r, cw_v4f_splat(0.0013926175888627768f));
    q = cw_v4f_madd(cw_v4f_splat(0.041666556149721146f), r, q);
    q = cw_v4f_madd(cw_v4f_splat(0.16666577756404877f), r, q);
    return cw_v4f_madd(cw_v4f_splat(0.5f), r, q);
}

/* n = round(x / ln2) and r = x - n ln2, for finite |x| < 2^21. The integer
 * n is read from the low mantissa bits of x / ln2 + 1.5 * 2^23 (no float to
 * int conversion, which wasm lowers to a long saturating sequence on x86). */
static inline cw_v4i cw_exp_reduce(cw_v4f x, cw_v4f *r) {
    const cw_v4f rounder = cw_v4f_splat(CW_EXP_ROUNDER);
    cw_v4f t = cw_v4f_madd(rounder, x, cw_v4f_splat(CW_EXP_LOG2E));
    cw_v4f n = cw_v4f_sub(t, rounder);
    cw_v4f u = cw_v4f_madd(x, n, cw_v4f_splat(-CW_EXP_LN2_HI));
    *r = cw_v4f_madd(u, n, cw_v4f_splat(-CW_EXP_LN2_LO));
    return cw_v4i_sub(cw_v4f_as_v4i(t), cw_v4i_splat(0x4B400000)); /* bits of 1.5 * 2^23 */
}

/* 2^n for integer n in [-126, 127], from the exponent bits. */
static inline cw_v4f cw_exp_pow2(cw_v4i n) {
    return cw_v4i_as_v4f(cw_v4i_shl(cw_v4i_add(n, cw_v4i_splat(127)), 23));
}

/* exp(x) lane-wise: +inf above ~88.72, 0 below ~-103.97, NaN stays NaN. */
static inline cw_v4f cw_v4f_exp(cw_v4f x) {
    const cw_v4f lo = cw_v4f_splat(CW_EXP_X_MIN), hi = cw_v4f_splat(CW_EXP_X_MAX);
    /* Comparisons + select (not min/max): NaN stays NaN and flows through. */
    cw_v4f xc = cw_v4f_select(cw_v4f_lt(x, lo), lo, x);
    xc = cw_v4f_select(cw_v4f_gt(xc, hi), hi, xc);
    cw_v4f r;
    cw_v4i n = cw_exp_reduce(xc, &r);
    cw_v4f p = cw_v4f_madd(r, cw_v4f_mul(r, r), cw_exp_q(r));
    p = cw_v4f_add(cw_v4f_splat(1.0f), p);
    /* n in [-150, 128] is split in two halves that are both normal scales. */
    cw_v4i n1 = cw_v4i_sra(n, 1);
    cw_v4i n2 = cw_v4i_sub(n, n1);
    return cw_v4f_mul(cw_v4f_mul(p, cw_exp_pow2(n1)), cw_exp_pow2(n2));
}

/* exp(x) - 1 for x <= 0 (lanes with x > 0 give unspecified values), without
 * the cancellation of exp(x) - 1 near 0: 2^n (expm1(r)) + (2^n - 1). */
static inline cw_v4f cw_v4f_expm1_neg(cw_v4f x) {
    /* Below -25 the result is -1 in float; clamping keeps 2^n normal. */
    const cw_v4f lo = cw_v4f_splat(-25.0f), zero = cw_v4f_zero();
    cw_v4f xc = cw_v4f_select(cw_v4f_lt(x, lo), lo, x);
    xc = cw_v4f_select(cw_v4f_gt(xc, zero), zero, xc);
    cw_v4f r;
    cw_v4i n = cw_exp_reduce(xc, &r);
    cw_v4f em = cw_v4f_madd(r, cw_v4f_mul(r, r), cw_exp_q(r));
    cw_v4f s = cw_exp_pow2(n);
    return cw_v4f_madd(cw_v4f_sub(s, cw_v4f_splat(1.0f)), s, em);
}

/* exp(x) for x in [-87, 0]: cw_v4f_exp without its range handling. There
 * n >= -126, so 2^n is normal and so is the result (p > 1 when n = -126):
 * one scaling gives the same bits as cw_v4f_exp's two. */
static inline cw_v4f cw_v4f_exp_mid_neg(cw_v4f x) {
    cw_v4f r;
    cw_v4i n = cw_exp_reduce(x, &r);
    cw_v4f p = cw_v4f_madd(r, cw_v4f_mul(r, r), cw_exp_q(r));
    p = cw_v4f_add(cw_v4f_splat(1.0f), p);
    return cw_v4f_mul(p, cw_exp_pow2(n));
}

/* 1 / (1 + exp(-x)), computed from z = exp(-|x|) <= 1 as 1 / (1 + z) or
 * z / (1 + z), so neither side overflows and tiny results keep their value.
 * Vectors with every |x| <= 87 (nearly all) skip exp's clamps and subnormal
 * scaling; the others (and NaN) take the general exp. */
static inline cw_v4f cw_v4f_sigmoid(cw_v4f x) {
    const cw_v4f one = cw_v4f_splat(1.0f);
    cw_v4f a = cw_v4f_neg(cw_v4f_abs(x));
    cw_v4f z =
        cw_v4m_all(cw_v4f_ge(a, cw_v4f_splat(-87.0f))) ? cw_v4f_exp_mid_neg(a) : cw_v4f_exp(a);
    cw_v4f num = cw_v4f_select(cw_v4f_lt(x, cw_v4f_zero()), z, one);
    return cw_v4f_div(num, cw_v4f_add(one, z));
}

/* Below this |x| tanh uses the odd polynomial, above it (1 - t) / (1 + t)
 * with t = exp(-2|x|) (where t <= 0.29 the subtraction loses < 1 ulp). */
#define CW_TANH_POLY_LIMIT 0.625f

/* tanh(x) lane-wise; NaN stays NaN, +-inf give +-1. */
static inline cw_v4f cw_v4f_tanh(cw_v4f x) {
    const cw_v4f one = cw_v4f_splat(1.0f);
    cw_v4f a = cw_v4f_abs(x);
    cw_v4f t = cw_v4f_exp(cw_v4f_mul(cw_v4f_splat(-2.0f), a));
    cw_v4f big = cw_v4f_div(cw_v4f_sub(one, t), cw_v4f_add(one, t));
    big = cw_v4f_select(cw_v4f_lt(x, cw_v4f_zero()), cw_v4f_neg(big), big);
    /* tanh(x) = x + x^3 P(x^2) on |x| < 0.625: Chebyshev fit of degree 5 in
     * x^2, relative error 4.2e-9. */
    cw_v4f u = cw_v4f_mul(x, x);
    cw_v4f p =
        cw_v4f_madd(cw_v4f_splat(-0.008343945257365704f), u, cw_v4f_splat(0.002292744815349579f));
    p = cw_v4f_madd(cw_v4f_splat(0.02176891826093197f), u, p);
    p = cw_v4f_madd(cw_v4f_splat(-0.053959257900714874f), u, p);
    p = cw_v4f_madd(cw_v4f_splat(0.13333304226398468f), u, p);
    p = cw_v4f_madd(cw_v4f_splat(-0.3333333432674408f), u, p);
    cw_v4f small = cw_v4f_madd(x, cw_v4f_mul(x, u), p);
    small = cw_v4f_select(cw_v4f_eq(x, cw_v4f_zero()), x, small); /* tanh(-0) = -0 */
    return cw_v4f_select(cw_v4f_lt(a, cw_v4f_splat(CW_TANH_POLY_LIMIT)), small, big);
}

#endif
