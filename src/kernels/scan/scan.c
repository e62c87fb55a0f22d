/* cw_scan: cumulative sum / product over [outer, n, inner]. Work items are
 * (outer slice, block of up to SCAN_BLOCK columns); each item walks the axis
 * once keeping its running values in a small local buffer, so the kernel
 * also works in place (out == x), exclusive scans included. */
#include "kernels/scan/scan.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/vec.h"

#define SCAN_BLOCK 64

typedef struct {
    cw_scan_op op;
    cw_dtype dtype;
    const char *x;
    char *out;
    size_t n, inner, blocks;
    int exclusive, reverse;
} scan_job;

/* JS's `a * b` stored into an Int32Array: the double product, rounded when it
 * exceeds 2^53, taken modulo 2^32 (|a * b| < 2^62, so int64 holds it). */
static inline int32_t mul_i32_js(int32_t a, int32_t b) {
    uint32_t u = (uint32_t)(int64_t)((double)a * (double)b);
    int32_t r;
    memcpy(&r, &u, sizeof r);
    return r;
}

static inline int32_t add_i32_wrap(int32_t a, int32_t b) {
    uint32_t u = (uint32_t)a + (uint32_t)b;
    int32_t r;
    memcpy(&r, &u, sizeof r);
    return r;
}

static void scan_f32(const scan_job *j, const float *x, float *out, size_t w) {
    float acc[SCAN_BLOCK];
    const int prod = j->op == CW_SCAN_CUMPROD;
    const size_t n = j->n, inner = j->inner;
    const float id = prod ? 1.0f : 0.0f;
    for (size_t c = 0; c < w; c++) acc[c] = id;
    for (size_t s = 0; s < n; s++) {
        const size_t p = j->reverse ? n - 1 - s : s;
        const float *xr = x + p * inner;
        float *orow = out + p * inner;
        size_t c = 0;
        if (j->exclusive) {
            for (; c + CW_VEC_LANES <= w; c += CW_VEC_LANES) {
                cw_v4f xv = cw_v4f_load(xr + c), a = cw_v4f_load(acc + c);
                cw_v4f_store(orow + c, a);
                cw_v4f_store(acc + c, prod ? cw_v4f_mul(xv, a) : cw_v4f_add(xv, a));
            }
            for (; c < w; c++) {
                float xv = xr[c];
                orow[c] = acc[c];
                acc[c] = prod ? xv * acc[c] : xv + acc[c];
            }
        } else if (s == 0) {
            for (; c < w; c++) orow[c] = acc[c] = xr[c];
        } else {
            for (; c + CW_VEC_LANES <= w; c += CW_VEC_LANES) {
                cw_v4f xv = cw_v4f_load(xr + c), a = cw_v4f_load(acc + c);
                cw_v4f r = prod ? cw_v4f_mul(xv, a) : cw_v4f_add(xv, a);
                cw_v4f_store(acc + c, r);
                cw_v4f_store(orow + c, r);
            }
            for (; c < w; c++) orow[c] = acc[c] = prod ? xr[c] * acc[c] : xr[c] + acc[c];
        }
    }
}

static void scan_i32(const scan_job *j, const int32_t *x, int32_t *out, size_t w) {
    int32_t acc[SCAN_BLOCK];
    const int prod = j->op == CW_SCAN_CUMPROD;
    const size_t n = j->n, inner = j->inner;
    for (size_t c = 0; c < w; c++) acc[c] = prod ? 1 : 0;
    for (size_t s = 0; s < n; s++) {
        const size_t p = j->reverse ? n - 1 - s : s;
        const int32_t *xr = x + p * inner;
        int32_t *orow = out + p * inner;
        for (size_t c = 0; c < w; c++) {
            int32_t xv = xr[c], r;
            if (!j->exclusive && s == 0)
                r = xv;
            else
                r = prod ? mul_i32_js(xv, acc[c]) : add_i32_wrap(xv, acc[c]);
            orow[c] = j->exclusive ? acc[c] : r;
            acc[c] = r;
        }
    }
}

/* Serial equivalent: for each item t in [begin, end): o = t / blocks,
 * columns [b * SCAN_BLOCK, min(inner, (b + 1) * SCAN_BLOCK)) with b = t % blocks. */
static void scan_items(void *ctx, size_t begin, size_t end) {
    const scan_job *j = (const scan_job *)ctx;
    for (size_t t = begin; t < end; t++) {
        size_t o = t / j->blocks, c0 = (t % j->blocks) * SCAN_BLOCK;
        size_t w = j->inner - c0 < SCAN_BLOCK ? j->inner - c0 : SCAN_BLOCK;
        size_t off = (o * j->n * j->inner + c0) * 4;
        if (j->dtype == CW_F32)
            scan_f32(j, (const float *)(j->x + off), (float *)(j->out + off), w);
        else
            scan_i32(j, (const int32_t *)(j->x + off), (int32_t *)(j->out + off), w);
    }
}

cw_status cw_scan(cw_scan_op op, cw_dtype dtype, const void *x, int outer, int n, int inner,
                  int exclusive, int reverse, void *out) {
    if ((int)op != CW_SCAN_CUMSUM && (int)op != CW_SCAN_CUMPROD) {
        return cw_error(CW_ERR_INVALID, "scan: unknown op %d", (int)op);
    }
    const char *name = op == CW_SCAN_CUMSUM ? "Cumsum" : "Cumprod";
    if (dtype != CW_F32 && dtype != CW_I32) {
        return cw_error(CW_ERR_INVALID, "%s: x must be float32 or int32, got dtype %d", name,
                        (int)dtype);
    }
    if (outer < 0 || n < 0 || inner < 0) {
        return cw_error(CW_ERR_INVALID, "%s: sizes [%d, %d, %d] must be >= 0", name, outer, n,
                        inner);
    }
    size_t total = cw_mul_size(cw_mul_size((size_t)outer, (size_t)n), (size_t)inner);
    if (total == 0) {
        if (outer != 0 && n != 0 && inner != 0)
            return cw_error(CW_ERR_INVALID, "%s: size overflow", name);
        return CW_OK;
    }
    if (total > SIZE_MAX / 4) return cw_error(CW_ERR_INVALID, "%s: size overflow", name);
    if (!x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", name);
    if (!out) return cw_error(CW_ERR_INVALID, "%s: out is NULL", name);

    size_t blocks = ((size_t)inner + SCAN_BLOCK - 1) / SCAN_BLOCK;
    scan_job job = {op,     dtype,          (const char *)x, (char *)out, (size_t)n, (size_t)inner,
                    blocks, exclusive != 0, reverse != 0};
    size_t per_item = (size_t)n * ((size_t)inner < SCAN_BLOCK ? (size_t)inner : SCAN_BLOCK);
    size_t grain = per_item >= 16384 ? 1 : 16384 / per_item;
    cw_parallel_for((size_t)outer * blocks, grain, scan_items, &job);
    return CW_OK;
}
