/* GEMM internals shared by the driver (matmul.c), the packing routines and
 * the micro-kernel. Not part of the public API. */
#ifndef CW_KERNELS_GEMM_UKERNEL_H
#define CW_KERNELS_GEMM_UKERNEL_H

#include <stddef.h>

#include "kernels/gemm/gemm.h"

#ifndef CW_GEMM_KC
#define CW_GEMM_KC 256 /* K block: a kc x NR B panel stays in L1 */
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

/* The MR x NR micro-kernel: c[i][j] (+)= sum_k a[k*MR + i] * b[k*ldb + j] for
 * i < mr, j < nr. `a` is a packed A panel (kc x MR, zero padded), `b` points
 * to kc rows of NR floats with row stride ldb (zero padded past nr if packed).
 * load_c: start from the values in c (an earlier K block) instead of zero.
 * Only the mr x nr corner of c is read or written. */
void cw_gemm_4x8_simd(size_t kc, const float *a, const float *b, size_t ldb, float *c, size_t ldc,
                      int mr, int nr, int load_c, const cw_gemm_store *st);

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
