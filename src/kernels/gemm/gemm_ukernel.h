/* GEMM internals shared by the drivers (gemm_driver.h), the packing routines
 * and the micro-kernels. Not part of the public API. */
#ifndef CW_KERNELS_GEMM_UKERNEL_H
#define CW_KERNELS_GEMM_UKERNEL_H

#include <stddef.h>

#include "kernels/gemm/gemm.h"
#include "simd/vec.h"

#ifndef CW_GEMM_KC
#define CW_GEMM_KC 256 /* K block: a kc x NR B panel stays in L1 */
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CW_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CW_ALWAYS_INLINE inline
#endif

typedef enum {
    CW_GEMM_CLAMP_NONE = 0,
    CW_GEMM_CLAMP_RELU = 1,
    CW_GEMM_CLAMP_RELU6 = 2
} cw_gemm_clamp;

/* What the micro-kernel does when it stores the last K block of a tile. */
typedef struct {
    int final;           /* 0: plain store of the partial sums */
    const float *bias;   /* per-column bias of this tile's columns, or NULL */
    const float *bias1;  /* one bias for every column, or NULL */
    cw_gemm_clamp clamp; /* relu / relu6 fused in the store */
} cw_gemm_store;

/* relu = max(0, x), relu6 = min(6, relu): with 0 / 6 first, vec.h computes
 * 0 > x ? 0 : x and 6 < x ? 6 : x in every mapping, so NaN passes through
 * (as in TF.js) and every mapping gives the same bits. */
static inline cw_v4f cw_f32_clamp4(cw_v4f x, cw_gemm_clamp clamp) {
    if (clamp != CW_GEMM_CLAMP_NONE) x = cw_v4f_max(cw_v4f_zero(), x);
    if (clamp == CW_GEMM_CLAMP_RELU6) x = cw_v4f_min(cw_v4f_splat(6.0f), x);
    return x;
}

/* The store of a micro-kernel tile of R rows (R constant after inlining) held
 * as acc[i][0..1] = columns 0-3 and 4-7 of row i: when st->final, bias and
 * clamp; then rows i < mr, columns j < nr go to c[i*ldc + j], edge columns
 * (nr < NR) through `tile` (MR x NR floats of the caller's stack). */
static CW_ALWAYS_INLINE void cw_f32_gemm_store_4x8(const int R, cw_v4f acc[][2], float *c,
                                                   size_t ldc, int mr, int nr,
                                                   const cw_gemm_store *st, float *tile) {
    if (st && st->final) {
        if (st->bias || st->bias1) {
            cw_v4f bias0, bias1;
            if (st->bias1) {
                bias0 = bias1 = cw_v4f_splat(st->bias1[0]);
            } else if (nr == CW_GEMM_NR) {
                bias0 = cw_v4f_load(st->bias), bias1 = cw_v4f_load(st->bias + 4);
            } else {
                float bt[CW_GEMM_NR];
                for (int j = 0; j < CW_GEMM_NR; j++) bt[j] = j < nr ? st->bias[j] : 0.0f;
                bias0 = cw_v4f_load(bt), bias1 = cw_v4f_load(bt + 4);
            }
            for (int i = 0; i < R; i++) {
                acc[i][0] = cw_v4f_add(acc[i][0], bias0);
                acc[i][1] = cw_v4f_add(acc[i][1], bias1);
            }
        }
        if (st->clamp != CW_GEMM_CLAMP_NONE) {
            for (int i = 0; i < R; i++) {
                acc[i][0] = cw_f32_clamp4(acc[i][0], st->clamp);
                acc[i][1] = cw_f32_clamp4(acc[i][1], st->clamp);
            }
        }
    }
    if (nr == CW_GEMM_NR) {
        for (int i = 0; i < mr; i++) {
            cw_v4f_store(c + i * ldc, acc[i][0]);
            cw_v4f_store(c + i * ldc + 4, acc[i][1]);
        }
    } else {
        for (int i = 0; i < mr; i++) {
            cw_v4f_store(tile + i * CW_GEMM_NR, acc[i][0]);
            cw_v4f_store(tile + i * CW_GEMM_NR + 4, acc[i][1]);
        }
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++) c[i * ldc + j] = tile[i * CW_GEMM_NR + j];
    }
}

/* The MR x NR micro-kernel: c[i][j] (+)= sum_k a[k*MR + i] * b[k*ldb + j] for
 * i < mr, j < nr. `a` is a packed A panel (kc x MR, zero padded), `b` points
 * to kc rows of NR floats with row stride ldb (zero padded past nr if packed).
 * load_c: start from the values in c (an earlier K block) instead of zero.
 * Only the mr x nr corner of c is read or written. */
void cw_f32_gemm_4x8_simd(size_t kc, const float *a, const float *b, size_t ldb, float *c,
                          size_t ldc, int mr, int nr, int load_c, const cw_gemm_store *st);

/* The 4x8 indirect micro-kernel: for i < mr, j < nr,
 *   c[i*ldc + j] = store(sum over t < taps, ic < C of row(t, i)[ic] * b[(t*C + ic)*8 + j])
 * summed in that order (k = t*C + ic ascending) with the same
 * add(acc, mul(a, b)) as cw_f32_gemm_4x8_simd, so both give the same bits.
 * row(t, i) = ind[t*4 + i] (4 row pointers per tap), or, when off is not
 * NULL, ind[i] + off[t] (4 pixel corners and one offset per tap: pixels
 * whose taps all lie inside the image). Rows past mr may point anywhere
 * readable: they are computed, never stored. b is one packed B panel
 * (cw_gemm_pack_b layout, K = taps*C rows of 8). st->final must be set. */
void cw_f32_igemm_4x8_simd(size_t taps, size_t C, const float *const *ind, const ptrdiff_t *off,
                           const float *b, float *c, size_t ldc, int mr, int nr,
                           const cw_gemm_store *st);

/* Packs rows [m0, m0+mc) x columns [k0, k0+kc) of one A matrix (row-major
 * [M,K], or [K,M] when transpose_a) into ceil(mc/MR) panels of kc x MR floats,
 * panel i at out + i*kc*MR, rows past mc zero. */
void cw_gemm_pack_a(const float *A, int transpose_a, size_t M, size_t K, size_t m0, size_t mc,
                    size_t k0, size_t kc, float *out);

/* Packs B panels [p0, p1) of one matrix (layout as cw_gemm_pack_b) into
 * `packed`, which points at the storage of panel p0. */
void cw_gemm_pack_b_panels(size_t K, size_t N, const float *B, int transpose_b, size_t p0,
                           size_t p1, float *packed);

#endif
