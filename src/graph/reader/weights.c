#include "graph/reader/weights.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

size_t cw_graph_weights_check(cw_graph_def *g, const size_t *group_bytes, size_t n_groups) {
    size_t before = g->problems.count;
    if (n_groups != g->n_groups) {
        cw_problems_add(&g->problems, "weights: %zu shard group(s) given, the manifest has %zu",
                        n_groups, g->n_groups);
        return g->problems.count - before;
    }
    for (size_t i = 0; i < n_groups; i++) {
        if (group_bytes[i] == g->groups[i].bytes) continue;
        cw_problems_add(&g->problems,
                        "weights: the shard(s) of group %zu (%s%s) hold %zu bytes, the manifest's "
                        "weights need %zu",
                        i, g->groups[i].n_paths ? g->groups[i].paths[0] : "no path",
                        g->groups[i].n_paths > 1 ? ", ..." : "", group_bytes[i],
                        g->groups[i].bytes);
    }
    return g->problems.count - before;
}

float cw_half_to_float(unsigned short h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp == 0) {
        float f = ldexpf((float)mant, -24); /* subnormal or zero: exact */
        memcpy(&bits, &f, 4);
        bits |= sign;
    } else {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* The stored value i as a double (before any rounding to int32). */
static double stored(const cw_weight_def *w, const unsigned char *src, size_t i) {
    switch (w->store) {
    case CW_STORE_U8:
        return (double)src[i] * w->scale + w->min;
    case CW_STORE_U16: {
        uint16_t q;
        memcpy(&q, src + 2 * i, 2);
        return (double)q * w->scale + w->min;
    }
    case CW_STORE_F16: {
        uint16_t q;
        memcpy(&q, src + 2 * i, 2);
        return cw_half_to_float(q);
    }
    default:
        return 0;
    }
}

void cw_weight_decode(const cw_weight_def *w, const unsigned char *src, void *dst) {
    const size_t n = w->count;
    if (w->store == CW_STORE_LITERAL) {
        memcpy(dst, w->literal, n * cw_dtype_size(w->dtype));
        return;
    }
    if (w->store == CW_STORE_F32 || w->store == CW_STORE_I32 || w->store == CW_STORE_BOOL) {
        memcpy(dst, src, w->bytes); /* little-endian, as wasm and the shards are */
        return;
    }
    if (w->dtype == CW_I32) {
        int32_t *d = dst;
        /* Math.round: halves toward +inf */
        for (size_t i = 0; i < n; i++) {
            double v = floor(stored(w, src, i) + 0.5);
            d[i] = v >= 2147483647.0    ? INT32_MAX
                   : v <= -2147483648.0 ? INT32_MIN
                   : v == v             ? (int32_t)v
                                        : 0;
        }
    } else {
        float *d = dst;
        for (size_t i = 0; i < n; i++) d[i] = (float)stored(w, src, i);
    }
}
