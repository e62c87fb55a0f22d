#include "kernels/norm/norm.h"

#include <math.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/vec.h"

/* The parameters repeat with period P = lcm of their lengths. One period of
 * (mean, scale / sqrt(variance + eps), offset) is tabulated once (in double,
 * rounded to float), then the elements stream through
 * out = off + (x - mean) * inv, vectorised along each run of the period. */

typedef struct {
    const float *mean, *variance, *offset, *scale;
    int mean_len, variance_len, offset_len, scale_len;
    double epsilon;
    float *tm, *tinv, *toff; /* [period] */
    const float *x;
    float *out;
    size_t period;
} bn_ctx;

static void bn_table(void *p, size_t begin, size_t end) {
    const bn_ctx *c = (const bn_ctx *)p;
    for (size_t k = begin; k < end; k++) {
        double v = c->variance[k % (size_t)c->variance_len];
        double s = c->scale ? c->scale[k % (size_t)c->scale_len] : 1.0;
        c->tm[k] = c->mean[k % (size_t)c->mean_len];
        c->tinv[k] = (float)(s / sqrt(v + c->epsilon));
        c->toff[k] = c->offset ? c->offset[k % (size_t)c->offset_len] : 0.0f;
    }
}

static void bn_apply(void *p, size_t begin, size_t end) {
    const bn_ctx *c = (const bn_ctx *)p;
    size_t i = begin, k = begin % c->period;
    while (i < end) {
        size_t run = c->period - k;
        if (run > end - i) run = end - i;
        const float *x = c->x + i, *m = c->tm + k, *inv = c->tinv + k, *off = c->toff + k;
        float *o = c->out + i;
        size_t d = 0;
        for (; d + 4 <= run; d += 4) {
            cw_v4f diff = cw_v4f_sub(cw_v4f_load(x + d), cw_v4f_load(m + d));
            cw_v4f_store(o + d, cw_v4f_madd(cw_v4f_load(off + d), diff, cw_v4f_load(inv + d)));
        }
        for (; d < run; d++) o[d] = off[d] + (x[d] - m[d]) * inv[d];
        i += run;
        k = 0;
    }
}

static size_t gcd_size(size_t a, size_t b) {
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* lcm(period, len), or cap when it would exceed cap. */
static size_t lcm_capped(size_t period, size_t len, size_t cap) {
    if (len == 0) return period;
    size_t m = period / gcd_size(period, len);
    if (m > cap / len) return cap;
    m *= len;
    return m < cap ? m : cap;
}

cw_status cw_norm_batch_norm_f32(const float *x, size_t n, const float *mean, int mean_len,
                                 const float *variance, int variance_len, const float *offset,
                                 int offset_len, const float *scale, int scale_len, float epsilon,
                                 float *out) {
    static const char *op = "FusedBatchNorm";
    if (mean_len < 1 || mean == NULL) return cw_error(CW_ERR_INVALID, "%s: mean is empty", op);
    if (variance_len < 1 || variance == NULL)
        return cw_error(CW_ERR_INVALID, "%s: variance is empty", op);
    if (offset_len < 0 || (offset != NULL && offset_len == 0))
        return cw_error(CW_ERR_INVALID, "%s: offset is empty", op);
    if (scale_len < 0 || (scale != NULL && scale_len == 0))
        return cw_error(CW_ERR_INVALID, "%s: scale is empty", op);
    if (n == 0) return CW_OK;
    size_t period = 1;
    period = lcm_capped(period, (size_t)mean_len, n);
    period = lcm_capped(period, (size_t)variance_len, n);
    if (offset) period = lcm_capped(period, (size_t)offset_len, n);
    if (scale) period = lcm_capped(period, (size_t)scale_len, n);

    float *table = (float *)cw_alloc(cw_mul_size(period, 3 * sizeof(float)));
    if (table == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    bn_ctx c = {mean,           variance,           offset,    scale,   mean_len,
                variance_len,   offset_len,         scale_len, epsilon, table,
                table + period, table + 2 * period, x,         out,     period};
    cw_parallel_for(period, 4096, bn_table, &c);
    cw_parallel_for(n, 16384, bn_apply, &c);
    cw_free(table);
    return CW_OK;
}
