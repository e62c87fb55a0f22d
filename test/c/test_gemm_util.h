/* Helpers of the tests of the GEMM-based kernels: matmul, convolutions and
 * their gradients. */
#ifndef CW_TEST_GEMM_UTIL_H
#define CW_TEST_GEMM_UTIL_H

#include "test_util.h"

#include "cw.h"

/* n floats in [-1, 1) from seed, in a buffer of n + 1 (never NULL). */
static inline float *rand_floats(size_t n, uint32_t seed) {
    float *p = malloc((n + 1) * sizeof(float));
    test_fill(p, n, seed, -1.0f, 1.0f);
    return p;
}

/* The activation of ep in double, for output column n. */
static inline double ref_act(double x, const cw_epilogue *ep, int n) {
    switch (ep->act) {
    case CW_ACT_RELU:
        return x > 0 ? x : 0;
    case CW_ACT_RELU6:
        return x < 0 ? 0 : (x > 6 ? 6 : x);
    case CW_ACT_ELU:
        return x >= 0 ? x : exp(x) - 1.0;
    case CW_ACT_LEAKYRELU:
        return x < 0 ? ep->alpha * x : x;
    case CW_ACT_PRELU:
        return x < 0 ? x * ep->prelu[ep->prelu_len == 1 ? 0 : n] : x;
    case CW_ACT_SIGMOID:
        return 1.0 / (1.0 + exp(-x));
    default:
        return x;
    }
}

#endif
