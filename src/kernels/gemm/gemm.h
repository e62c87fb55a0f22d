/* GEMM: MatMul, BatchMatMul and _FusedMatMul of TF.js.
 *
 * C[b] = act(op(A[a_index[b]]) * op(B[b_index[b]]) + bias), row-major f32.
 * B can be packed once ahead of time (weights) into panels of
 * CW_GEMM_NR columns; the micro-kernel computes CW_GEMM_MR x CW_GEMM_NR tiles. */
#ifndef CW_KERNELS_GEMM_GEMM_H
#define CW_KERNELS_GEMM_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "kernels/act/act.h"

#define CW_GEMM_MR 4 /* rows of a micro-kernel tile */
#define CW_GEMM_NR 8 /* columns of a micro-kernel tile = columns of a B panel */

/* Floats in the packed form of one KxN B matrix: ceil(N/NR)*NR*K.
 * 0 when K or N is 0, negative, or the size overflows size_t. */
size_t cw_gemm_packed_b_floats(int K, int N);

/* Packs B (row-major [K,N], or [N,K] when transpose_b) into `packed`
 * (cw_gemm_packed_b_floats(K, N) floats, caller-owned): panel p holds columns
 * [p*NR, p*NR+NR) as K rows of NR floats, columns past N zero. */
void cw_gemm_pack_b(int K, int N, const float *B, int transpose_b, float *packed);

typedef struct {
    int batch;                        /* number of output matrices */
    const int32_t *a_index, *b_index; /* per output batch: which A / B matrix
                                         (NULL = identity 0..batch-1) */
    int M, N, K;
    const float *A; /* A matrices [M,K] ([K,M] if transpose_a), stride M*K */
    int transpose_a;
    const float *B;        /* raw B matrices [K,N] ([N,K] if transpose_b), stride K*N; */
    int transpose_b;       /*   used when packed_b == NULL */
    const float *packed_b; /* optional: B already packed by cw_gemm_pack_b,
                              stride cw_gemm_packed_b_floats(K, N) per matrix */
    float *C;              /* [batch, M, N] */
    cw_epilogue ep;        /* y = act(sum + bias[col]) (see act.h) */
    int a_count, b_count;  /* optional: number of A / B matrices, for index
                              checks (0 = unknown; indices must be < batch) */
} cw_matmul_args;

/* C[b][m][n] = act(bias[n] + sum_k A[ai][m][k] * B[bi][k][n]) for b < batch,
 * ai = a_index ? a_index[b] : b (same for bi). K == 0 gives act(bias).
 * The sum runs k = 0..K-1 in order for every element, so results are
 * bit-identical for any thread count. Packs B into scratch when packed_b is
 * NULL. Parallel over (batch, row block, column block) tiles. */
cw_status cw_matmul_f32(const cw_matmul_args *args);

#endif
