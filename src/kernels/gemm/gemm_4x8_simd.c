/* The f32 GEMM micro-kernel: a 4x8 tile held in eight cw_v4f accumulators
 * (two vectors per row), one splat of A per row and two loads of B per k.
 * 8 accumulators + 2 B vectors + 1 A splat fit the 16 registers of SSE2 and
 * of the wasm SIMD128 code V8 emits. Bias and relu/relu6 are fused into the
 * store of the last K block. */
#include <assert.h>

#include "kernels/gemm/gemm_ukernel.h"
#include "simd/vec.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR

/* relu / relu6 by compare + select, so NaN passes through (as in TF.js) and
 * every vec.h mapping gives the same bits. */
static inline cw_v4f clamp_v(cw_v4f x, cw_gemm_clamp clamp, cw_v4f zero, cw_v4f six) {
    if (clamp == CW_GEMM_CLAMP_NONE) return x;
    x = cw_v4f_select(cw_v4f_lt(x, zero), zero, x);
    if (clamp == CW_GEMM_CLAMP_RELU6) x = cw_v4f_select(cw_v4f_gt(x, six), six, x);
    return x;
}

void cw_gemm_4x8_simd(size_t kc, const float *a, const float *b, size_t ldb, float *c, size_t ldc,
                      int mr, int nr, int load_c, const cw_gemm_store *st) {
    assert(mr >= 1 && mr <= MR && nr >= 1 && nr <= NR);
    const int full = mr == MR && nr == NR;
    float tile[MR * NR]; /* edge tiles go through here */
    const float *src = c;
    size_t lds = ldc;
    if (load_c && !full) {
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++)
                tile[i * NR + j] = (i < mr && j < nr) ? c[i * ldc + j] : 0.0f;
        src = tile;
        lds = NR;
    }
    cw_v4f c00, c01, c10, c11, c20, c21, c30, c31;
    if (load_c) {
        c00 = cw_v4f_load(src), c01 = cw_v4f_load(src + 4);
        c10 = cw_v4f_load(src + lds), c11 = cw_v4f_load(src + lds + 4);
        c20 = cw_v4f_load(src + 2 * lds), c21 = cw_v4f_load(src + 2 * lds + 4);
        c30 = cw_v4f_load(src + 3 * lds), c31 = cw_v4f_load(src + 3 * lds + 4);
    } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = cw_v4f_zero();
    }
    for (size_t k = 0; k < kc; k++) {
        const cw_v4f b0 = cw_v4f_load(b), b1 = cw_v4f_load(b + 4);
        cw_v4f av = cw_v4f_splat(a[0]);
        c00 = cw_v4f_madd(c00, av, b0);
        c01 = cw_v4f_madd(c01, av, b1);
        av = cw_v4f_splat(a[1]);
        c10 = cw_v4f_madd(c10, av, b0);
        c11 = cw_v4f_madd(c11, av, b1);
        av = cw_v4f_splat(a[2]);
        c20 = cw_v4f_madd(c20, av, b0);
        c21 = cw_v4f_madd(c21, av, b1);
        av = cw_v4f_splat(a[3]);
        c30 = cw_v4f_madd(c30, av, b0);
        c31 = cw_v4f_madd(c31, av, b1);
        a += MR;
        b += ldb;
    }
    if (st && st->final) {
        if (st->bias || st->bias1) {
            cw_v4f bias0, bias1;
            if (st->bias1) {
                bias0 = bias1 = cw_v4f_splat(st->bias1[0]);
            } else if (nr == NR) {
                bias0 = cw_v4f_load(st->bias), bias1 = cw_v4f_load(st->bias + 4);
            } else {
                float bt[NR];
                for (int j = 0; j < NR; j++) bt[j] = j < nr ? st->bias[j] : 0.0f;
                bias0 = cw_v4f_load(bt), bias1 = cw_v4f_load(bt + 4);
            }
            c00 = cw_v4f_add(c00, bias0), c01 = cw_v4f_add(c01, bias1);
            c10 = cw_v4f_add(c10, bias0), c11 = cw_v4f_add(c11, bias1);
            c20 = cw_v4f_add(c20, bias0), c21 = cw_v4f_add(c21, bias1);
            c30 = cw_v4f_add(c30, bias0), c31 = cw_v4f_add(c31, bias1);
        }
        if (st->clamp != CW_GEMM_CLAMP_NONE) {
            const cw_v4f z = cw_v4f_zero(), six = cw_v4f_splat(6.0f);
            c00 = clamp_v(c00, st->clamp, z, six), c01 = clamp_v(c01, st->clamp, z, six);
            c10 = clamp_v(c10, st->clamp, z, six), c11 = clamp_v(c11, st->clamp, z, six);
            c20 = clamp_v(c20, st->clamp, z, six), c21 = clamp_v(c21, st->clamp, z, six);
            c30 = clamp_v(c30, st->clamp, z, six), c31 = clamp_v(c31, st->clamp, z, six);
        }
    }
    float *dst = full ? c : tile;
    size_t ldd = full ? ldc : NR;
    cw_v4f_store(dst, c00), cw_v4f_store(dst + 4, c01);
    cw_v4f_store(dst + ldd, c10), cw_v4f_store(dst + ldd + 4, c11);
    cw_v4f_store(dst + 2 * ldd, c20), cw_v4f_store(dst + 2 * ldd + 4, c21);
    cw_v4f_store(dst + 3 * ldd, c30), cw_v4f_store(dst + 3 * ldd + 4, c31);
    if (!full) {
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++) c[i * ldc + j] = tile[i * NR + j];
    }
}
