/* f32 max / min with tfjs-backend-cpu semantics: start from the first
 * element, take a value if it is NaN or strictly better, so NaN sticks and
 * the first of equal values wins. */
#include "kernels/reduce/reduce_ukernel.h"

#include <assert.h>

#include "simd/vec.h"

static inline float step1(float acc, float v, int is_max) {
    return (v != v || (is_max ? v > acc : v < acc)) ? v : acc;
}

static inline cw_v4f step4(cw_v4f acc, cw_v4f v, int is_max) {
    cw_v4m better = is_max ? cw_v4f_gt(v, acc) : cw_v4f_lt(v, acc);
    acc = cw_v4f_select(better, v, acc);
    /* v != v only for NaN: take it; a NaN acc is never replaced since no
     * comparison with it is true. */
    return cw_v4f_select(cw_v4f_eq(v, v), acc, v);
}

/* Lanes of a row are combined in lane order; the value equals the serial
 * loop's, only the sign of a zero maximum may differ. */
static inline float maxmin_row(const float *x, size_t n, int is_max) {
    assert(n >= 1);
    float m = x[0];
    size_t i = 0;
    if (n >= 8) {
        cw_v4f a = cw_v4f_load(x), b = cw_v4f_load(x + 4);
        for (i = 8; i + 8 <= n; i += 8) {
            a = step4(a, cw_v4f_load(x + i), is_max);
            b = step4(b, cw_v4f_load(x + i + 4), is_max);
        }
        a = step4(a, b, is_max);
        float t[4];
        cw_v4f_store(t, a);
        m = t[0];
        for (int k = 1; k < 4; k++) m = step1(m, t[k], is_max);
    }
    for (; i < n; i++) m = step1(m, x[i], is_max);
    return m;
}

float cw_reduce_f32_max_row(const float *x, size_t n) { return maxmin_row(x, n, 1); }
float cw_reduce_f32_min_row(const float *x, size_t n) { return maxmin_row(x, n, 0); }

/* Columns are independent lanes here, so every column follows the serial
 * loop exactly. */
static inline void maxmin_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                               int is_max, float *out) {
    assert(reduce >= 1);
    size_t c = c0;
    for (; c + 8 <= c1; c += 8) {
        cw_v4f a = cw_v4f_load(x + c), b = cw_v4f_load(x + c + 4);
        for (size_t r = 1; r < reduce; r++) {
            const float *p = x + r * inner + c;
            a = step4(a, cw_v4f_load(p), is_max);
            b = step4(b, cw_v4f_load(p + 4), is_max);
        }
        cw_v4f_store(out + c, a);
        cw_v4f_store(out + c + 4, b);
    }
    for (; c + 4 <= c1; c += 4) {
        cw_v4f a = cw_v4f_load(x + c);
        for (size_t r = 1; r < reduce; r++) a = step4(a, cw_v4f_load(x + r * inner + c), is_max);
        cw_v4f_store(out + c, a);
    }
    for (; c < c1; c++) {
        float m = x[c];
        for (size_t r = 1; r < reduce; r++) m = step1(m, x[r * inner + c], is_max);
        out[c] = m;
    }
}

void cw_reduce_f32_max_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            float *out) {
    maxmin_cols(x, reduce, inner, c0, c1, 1, out);
}

void cw_reduce_f32_min_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            float *out) {
    maxmin_cols(x, reduce, inner, c0, c1, 0, out);
}
