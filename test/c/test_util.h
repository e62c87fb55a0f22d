/* Helpers shared by the native kernel tests (cmocka). */
#ifndef CW_TEST_UTIL_H
#define CW_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Deterministic pseudo-random floats in [lo, hi). */
static inline float test_rand(uint32_t *state, float lo, float hi) {
    *state = *state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)((*state >> 8) & 0xFFFFFF) / 16777216.0f;
}

static inline void test_fill(float *p, size_t n, uint32_t seed, float lo, float hi) {
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) p[i] = test_rand(&s, lo, hi);
}

/* Fails the test with index and values when |got - want| > atol + rtol*|want|.
 * NaNs must match NaNs; infinities must match exactly. */
static inline void test_assert_close(const float *got, const float *want, size_t n, float atol,
                                     float rtol, const char *what) {
    for (size_t i = 0; i < n; i++) {
        float g = got[i], w = want[i];
        int ok;
        if (isnan(w))
            ok = isnan(g);
        else if (isinf(w))
            ok = g == w;
        else
            ok = fabsf(g - w) <= atol + rtol * fabsf(w);
        if (!ok) {
            fail_msg("%s: element %zu is %.9g, expected %.9g", what, i, (double)g, (double)w);
        }
    }
}

/* Output size and leading pad of one convolution axis, as TF.js computes
 * them; mode 0 'same', 1 'valid', 2 explicit padding of 1 before and 2
 * after. */
static inline void test_out_and_pad(int in, int k, int stride, int dil, int mode, int *out,
                                    int *pad) {
    const int eff = (k - 1) * dil + 1;
    if (mode == 0) {
        *out = (in + stride - 1) / stride;
        int total = (*out - 1) * stride + eff - in;
        *pad = total > 0 ? total / 2 : 0;
    } else if (mode == 1) {
        *out = in >= eff ? (in - eff) / stride + 1 : 0;
        *pad = 0;
    } else {
        *pad = 1;
        *out = in + 3 >= eff ? (in + 3 - eff) / stride + 1 : 0;
    }
}

#endif
