/* The reductions without a vector path: f32 PROD (double product, as
 * tfjs-backend-cpu), f32 / i32 ARGMAX / ARGMIN, every i32 op, bool ALL / ANY.
 *
 * Columns are taken in tiles of TILE: rows are walked in order and each
 * row's tile is read contiguously, so inner == 1 is a plain row scan and
 * inner > 1 needs no transpose. Each column's result depends only on its own
 * values. */
#include "kernels/reduce/reduce_ukernel.h"

#include <assert.h>

#define TILE 64

static void f32_prod(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                     float *out) {
    double acc[TILE];
    for (size_t t = c0; t < c1; t += TILE) {
        size_t w = c1 - t < TILE ? c1 - t : TILE;
        for (size_t k = 0; k < w; k++) acc[k] = 1.0;
        for (size_t r = 0; r < reduce; r++) {
            const float *p = x + r * inner + t;
            for (size_t k = 0; k < w; k++) acc[k] *= (double)p[k];
        }
        for (size_t k = 0; k < w; k++) out[t + k] = (float)acc[k];
    }
}

/* tfjs-backend-cpu: best = x[0], index 0; take a value only if strictly
 * better. A NaN x[0] is therefore kept; later NaNs never win. */
static void f32_arg(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1, int is_max,
                    int32_t *out) {
    float best[TILE];
    for (size_t t = c0; t < c1; t += TILE) {
        size_t w = c1 - t < TILE ? c1 - t : TILE;
        for (size_t k = 0; k < w; k++) {
            best[k] = x[t + k];
            out[t + k] = 0;
        }
        for (size_t r = 1; r < reduce; r++) {
            const float *p = x + r * inner + t;
            for (size_t k = 0; k < w; k++) {
                float v = p[k];
                if (is_max ? v > best[k] : v < best[k]) {
                    best[k] = v;
                    out[t + k] = (int32_t)r;
                }
            }
        }
    }
}

static void i32_arg(const int32_t *x, size_t reduce, size_t inner, size_t c0, size_t c1, int is_max,
                    int32_t *out) {
    int32_t best[TILE];
    for (size_t t = c0; t < c1; t += TILE) {
        size_t w = c1 - t < TILE ? c1 - t : TILE;
        for (size_t k = 0; k < w; k++) {
            best[k] = x[t + k];
            out[t + k] = 0;
        }
        for (size_t r = 1; r < reduce; r++) {
            const int32_t *p = x + r * inner + t;
            for (size_t k = 0; k < w; k++) {
                int32_t v = p[k];
                if (is_max ? v > best[k] : v < best[k]) {
                    best[k] = v;
                    out[t + k] = (int32_t)r;
                }
            }
        }
    }
}

/* i32 SUM / PROD wrap modulo 2^32 (unsigned arithmetic, then the two's
 * complement bits), which is what tfjs-backend-cpu's double accumulator gives
 * after Int32Array storage while the exact value stays below 2^53. */
static void i32_fold(cw_reduce_op op, const int32_t *x, size_t reduce, size_t inner, size_t c0,
                     size_t c1, int32_t *out) {
    uint32_t acc[TILE];
    for (size_t t = c0; t < c1; t += TILE) {
        size_t w = c1 - t < TILE ? c1 - t : TILE;
        for (size_t k = 0; k < w; k++) {
            acc[k] = op == CW_REDUCE_SUM ? 0u : op == CW_REDUCE_PROD ? 1u : (uint32_t)x[t + k];
        }
        for (size_t r = 0; r < reduce; r++) {
            const int32_t *p = x + r * inner + t;
            switch (op) {
            case CW_REDUCE_SUM:
                for (size_t k = 0; k < w; k++) acc[k] += (uint32_t)p[k];
                break;
            case CW_REDUCE_PROD:
                for (size_t k = 0; k < w; k++) acc[k] *= (uint32_t)p[k];
                break;
            case CW_REDUCE_MAX:
                for (size_t k = 0; k < w; k++)
                    if (p[k] > (int32_t)acc[k]) acc[k] = (uint32_t)p[k];
                break;
            case CW_REDUCE_MIN:
                for (size_t k = 0; k < w; k++)
                    if (p[k] < (int32_t)acc[k]) acc[k] = (uint32_t)p[k];
                break;
            default:
                assert(0);
                return;
            }
        }
        for (size_t k = 0; k < w; k++) {
            /* Two's complement conversion without implementation-defined casts. */
            out[t + k] =
                acc[k] <= INT32_MAX ? (int32_t)acc[k] : (int32_t)(acc[k] - 0x80000000u) + INT32_MIN;
        }
    }
}

/* i32 MEAN: the values as float32 (tfjs casts first), summed in double. */
static void i32_mean(const int32_t *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                     float *out) {
    double acc[TILE];
    for (size_t t = c0; t < c1; t += TILE) {
        size_t w = c1 - t < TILE ? c1 - t : TILE;
        for (size_t k = 0; k < w; k++) acc[k] = 0.0;
        for (size_t r = 0; r < reduce; r++) {
            const int32_t *p = x + r * inner + t;
            for (size_t k = 0; k < w; k++) acc[k] += (double)(float)p[k];
        }
        for (size_t k = 0; k < w; k++) out[t + k] = (float)(acc[k] / (double)reduce);
    }
}

static void bool_all_any(int is_all, const uint8_t *x, size_t reduce, size_t inner, size_t c0,
                         size_t c1, uint8_t *out) {
    for (size_t c = c0; c < c1; c++) out[c] = (uint8_t)is_all;
    for (size_t r = 0; r < reduce; r++) {
        const uint8_t *p = x + r * inner;
        if (is_all) {
            for (size_t c = c0; c < c1; c++) out[c] &= (uint8_t)(p[c] != 0);
        } else {
            for (size_t c = c0; c < c1; c++) out[c] |= (uint8_t)(p[c] != 0);
        }
    }
}

void cw_reduce_scalar_cols(cw_reduce_op op, cw_dtype dtype, const void *x, size_t reduce,
                           size_t inner, size_t c0, size_t c1, void *out) {
    assert(reduce >= 1);
    if (op == CW_REDUCE_ALL || op == CW_REDUCE_ANY) {
        bool_all_any(op == CW_REDUCE_ALL, (const uint8_t *)x, reduce, inner, c0, c1,
                     (uint8_t *)out);
    } else if (op == CW_REDUCE_ARGMAX || op == CW_REDUCE_ARGMIN) {
        int is_max = op == CW_REDUCE_ARGMAX;
        if (dtype == CW_F32) {
            f32_arg((const float *)x, reduce, inner, c0, c1, is_max, (int32_t *)out);
        } else {
            i32_arg((const int32_t *)x, reduce, inner, c0, c1, is_max, (int32_t *)out);
        }
    } else if (dtype == CW_F32) {
        assert(op == CW_REDUCE_PROD);
        f32_prod((const float *)x, reduce, inner, c0, c1, (float *)out);
    } else if (op == CW_REDUCE_MEAN) {
        i32_mean((const int32_t *)x, reduce, inner, c0, c1, (float *)out);
    } else {
        i32_fold(op, (const int32_t *)x, reduce, inner, c0, c1, (int32_t *)out);
    }
}
