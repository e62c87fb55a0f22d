/* Per-element complex kernels: magnitude, interleave, split. */
#include <math.h>

#include "core/parallel.h"
#include "kernels/complex/complex.h"

#define CW_COMPLEX_ELEM_GRAIN 16384

typedef struct {
    const float *a, *b;
    float *x, *y;
} elem_ctx;

/* Float squares cannot overflow or underflow in double, so the double
 * sqrt is Math.hypot for finite parts; an infinite part wins over NaN. */
static void abs_range(void *ctx, size_t begin, size_t end) {
    const elem_ctx *c = ctx;
    for (size_t i = begin; i < end; i++) {
        double r = c->a[i], m = c->b[i];
        c->x[i] = isinf(r) || isinf(m) ? INFINITY : (float)sqrt(r * r + m * m);
    }
}

static void interleave_range(void *ctx, size_t begin, size_t end) {
    const elem_ctx *c = ctx;
    for (size_t i = begin; i < end; i++) {
        c->x[2 * i] = c->a[i];
        c->x[2 * i + 1] = c->b[i];
    }
}

static void split_range(void *ctx, size_t begin, size_t end) {
    const elem_ctx *c = ctx;
    for (size_t i = begin; i < end; i++) {
        c->x[i] = c->a[2 * i];
        c->y[i] = c->a[2 * i + 1];
    }
}

cw_status cw_complex_abs(const float *re, const float *im, float *out, size_t n) {
    if (n == 0) return CW_OK;
    if (re == NULL || im == NULL || out == NULL)
        return cw_error(CW_ERR_INVALID, "ComplexAbs: NULL data pointer");
    elem_ctx c = {re, im, out, NULL};
    cw_parallel_for(n, CW_COMPLEX_ELEM_GRAIN, abs_range, &c);
    return CW_OK;
}

cw_status cw_complex_interleave(const float *re, const float *im, float *out, size_t n) {
    if (n == 0) return CW_OK;
    if (re == NULL || im == NULL || out == NULL)
        return cw_error(CW_ERR_INVALID, "complex interleave: NULL data pointer");
    elem_ctx c = {re, im, out, NULL};
    cw_parallel_for(n, CW_COMPLEX_ELEM_GRAIN, interleave_range, &c);
    return CW_OK;
}

cw_status cw_complex_split(const float *in, float *re, float *im, size_t n) {
    if (n == 0) return CW_OK;
    if (in == NULL || re == NULL || im == NULL)
        return cw_error(CW_ERR_INVALID, "complex split: NULL data pointer");
    elem_ctx c = {in, NULL, re, im};
    cw_parallel_for(n, CW_COMPLEX_ELEM_GRAIN, split_range, &c);
    return CW_OK;
}
