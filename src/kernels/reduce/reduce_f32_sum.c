/* f32 sums: along a contiguous row (vectorised over the reduce axis) and
 * down columns (vectorised over the inner axis). */
#include "kernels/reduce/reduce_ukernel.h"

#include "simd/vec.h"

double cw_reduce_f32_sum_row(const float *x, size_t n) {
    double total = 0.0;
    size_t i = 0;
    while (i < n) {
        size_t end = i + CW_REDUCE_BLOCK < n ? i + CW_REDUCE_BLOCK : n;
        /* Four accumulators hide the add latency; 16 lanes also shorten
         * each lane's chain, which helps accuracy. */
        cw_v4f a0 = cw_v4f_zero(), a1 = cw_v4f_zero(), a2 = cw_v4f_zero(), a3 = cw_v4f_zero();
        for (; i + 16 <= end; i += 16) {
            a0 = cw_v4f_add(a0, cw_v4f_load(x + i));
            a1 = cw_v4f_add(a1, cw_v4f_load(x + i + 4));
            a2 = cw_v4f_add(a2, cw_v4f_load(x + i + 8));
            a3 = cw_v4f_add(a3, cw_v4f_load(x + i + 12));
        }
        for (; i + 4 <= end; i += 4) a0 = cw_v4f_add(a0, cw_v4f_load(x + i));
        float s = cw_v4f_hsum(cw_v4f_add(cw_v4f_add(a0, a1), cw_v4f_add(a2, a3)));
        for (; i < end; i++) s += x[i];
        total += (double)s;
    }
    return total;
}

/* Columns [c, c + 4*nv) with nv vectors per row. Each lane starts from 0.0f
 * and adds its column's rows in order, flushing every CW_REDUCE_BLOCK rows:
 * exactly what sum_col1 does for a single column. */
static inline void sum_cols_vec(const float *x, size_t reduce, size_t inner, size_t c, int nv,
                                double divisor, float *out) {
    double total[16] = {0};
    float part[16];
    size_t r = 0;
    while (r < reduce) {
        size_t end = r + CW_REDUCE_BLOCK < reduce ? r + CW_REDUCE_BLOCK : reduce;
        cw_v4f a[4] = {cw_v4f_zero(), cw_v4f_zero(), cw_v4f_zero(), cw_v4f_zero()};
        for (; r < end; r++) {
            const float *p = x + r * inner + c;
            for (int v = 0; v < nv; v++) a[v] = cw_v4f_add(a[v], cw_v4f_load(p + 4 * v));
        }
        for (int v = 0; v < nv; v++) cw_v4f_store(part + 4 * v, a[v]);
        for (int k = 0; k < 4 * nv; k++) total[k] += (double)part[k];
    }
    for (int k = 0; k < 4 * nv; k++) out[c + (size_t)k] = (float)(total[k] / divisor);
}

static void sum_col1(const float *x, size_t reduce, size_t inner, size_t c, double divisor,
                     float *out) {
    double total = 0.0;
    size_t r = 0;
    while (r < reduce) {
        size_t end = r + CW_REDUCE_BLOCK < reduce ? r + CW_REDUCE_BLOCK : reduce;
        float s = 0.0f;
        for (; r < end; r++) s += x[r * inner + c];
        total += (double)s;
    }
    out[c] = (float)(total / divisor);
}

void cw_reduce_f32_sum_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            double divisor, float *out) {
    size_t c = c0;
    for (; c + 16 <= c1; c += 16) sum_cols_vec(x, reduce, inner, c, 4, divisor, out);
    for (; c + 4 <= c1; c += 4) sum_cols_vec(x, reduce, inner, c, 1, divisor, out);
    for (; c < c1; c++) sum_col1(x, reduce, inner, c, divisor, out);
}
