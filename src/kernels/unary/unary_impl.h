/* Internals of the unary family: the per-dtype range kernels (no validation,
 * no allocation) and the double-precision formulas the cpu backend uses. */
#ifndef CW_KERNELS_UNARY_UNARY_IMPL_H
#define CW_KERNELS_UNARY_UNARY_IMPL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/unary/unary.h"

/* JS ToInt32, which is what storing a number into an Int32Array does. */
static inline int32_t cw_js_toint32(double d) {
    if (!isfinite(d)) return 0;
    double t = trunc(d);
    if (t >= -2147483648.0 && t <= 2147483647.0) return (int32_t)t;
    double m = fmod(t, 4294967296.0); /* exact */
    if (m < 0) m += 4294967296.0;
    if (m >= 2147483648.0) m -= 4294967296.0;
    return (int32_t)m;
}

#define CW_SELU_SCALE 1.0507009873554804934193349852946
#define CW_SELU_SCALEALPHA 1.7580993408473768599402175208123

/* op(v) as tfjs-backend-cpu computes it in JS doubles, for the ops without
 * an exact float32 or int32 form (the i32 path also uses it for Sqrt, Rsqrt
 * and Reciprocal); any other op returns v. */
static inline double cw_unary_f64(int op, double v) {
    switch (op) {
    case CW_UNARY_SQRT:
        return sqrt(v);
    case CW_UNARY_RSQRT:
        return 1.0 / sqrt(v);
    case CW_UNARY_RECIPROCAL:
        return 1.0 / v;
    case CW_UNARY_EXP:
        return exp(v);
    case CW_UNARY_EXPM1:
        return expm1(v);
    case CW_UNARY_LOG:
        return log(v);
    case CW_UNARY_LOG1P:
        return log1p(v);
    case CW_UNARY_SIGMOID:
        return 1.0 / (1.0 + exp(-v));
    case CW_UNARY_TANH:
        return tanh(v);
    case CW_UNARY_SOFTPLUS: {
        /* tf.nn.softplus: beyond +-threshold the result is x or exp(x)
         * within float epsilon, and log(1 + exp(x)) would overflow. */
        const double threshold = -13.942385152878742; /* log(2^-23) + 2 */
        if (v < threshold) return exp(v);
        if (v > -threshold) return v;
        return log(1.0 + exp(v));
    }
    case CW_UNARY_ELU:
        return v >= 0 ? v : exp(v) - 1.0;
    case CW_UNARY_SELU:
        return v >= 0 ? CW_SELU_SCALE * v : CW_SELU_SCALEALPHA * (exp(v) - 1.0);
    case CW_UNARY_SIN:
        return sin(v);
    case CW_UNARY_COS:
        return cos(v);
    case CW_UNARY_TAN:
        return tan(v);
    case CW_UNARY_ASIN:
        return asin(v);
    case CW_UNARY_ACOS:
        return acos(v);
    case CW_UNARY_ATAN:
        return atan(v);
    case CW_UNARY_SINH:
        return sinh(v);
    case CW_UNARY_COSH:
        return cosh(v);
    case CW_UNARY_ASINH:
        return asinh(v);
    case CW_UNARY_ACOSH:
        return acosh(v);
    case CW_UNARY_ATANH:
        return atanh(v);
    case CW_UNARY_ERF: {
        double s = isnan(v) ? v : (v > 0 ? 1.0 : (v < 0 ? -1.0 : v));
        double a = fabs(v);
        double t = 1.0 / (1.0 + 0.3275911 * a);
        double p = ((((1.061405429 * t + -1.453152027) * t + 1.421413741) * t + -0.284496736) * t +
                    0.254829592) *
                   t;
        return s * (1.0 - p * exp(-a * a));
    }
    default:
        return v;
    }
}

/* Range kernels: y[i] = op(x[i]) for i in [0, n); y has the output dtype. */
void cw_unary_f32_run(cw_unary_op op, const float *x, void *y, size_t n, float alpha, float beta);
void cw_unary_i32_run(cw_unary_op op, const int32_t *x, void *y, size_t n, float alpha, float beta);
void cw_unary_bool_run(cw_unary_op op, const uint8_t *x, uint8_t *y, size_t n);

#endif
