/* The implicit GEMM shared by the convolution kernels (internal).
 *
 * A convolution is one or more "groups", each a GEMM C[M, N] = A[M, K] x B[K, N]
 * whose A is never stored: the caller's pack function writes any MR-row,
 * kc-column piece of it straight into the micro-kernel's panel layout (im2col
 * of a tile). B is packed by cw_gemm_pack_b. Rows of C are output pixels,
 * found through the caller's row function. */
#ifndef CW_KERNELS_CONV_CONV_GEMM_H
#define CW_KERNELS_CONV_CONV_GEMM_H

#include <stddef.h>

#include "core/status.h"
#include "kernels/act/act.h"

/* Packs rows [m, m + mr) (mr <= CW_GEMM_MR) and columns [k0, k0 + kc) of
 * group's A into panel[k * MR + i] (k < kc, i < MR), rows past mr zero. */
typedef void (*cw_conv_pack_fn)(const void *ctx, size_t group, size_t m, size_t mr, size_t k0,
                                size_t kc, float *panel);
/* The N output floats of row m of group. */
typedef float *(*cw_conv_row_fn)(const void *ctx, size_t group, size_t m);

typedef struct {
    size_t M, K;     /* rows and depth of this group's GEMM */
    const float *pb; /* B packed by cw_gemm_pack_b (K x N); unused when K == 0 */
} cw_conv_group;

typedef struct {
    size_t ngroups;
    const cw_conv_group *groups;
    size_t N;
    const void *ctx;
    cw_conv_pack_fn pack;
    cw_conv_row_fn row;
    int direct;     /* row(g, m) == row(g, 0) + m * N: store straight into the output */
    cw_epilogue ep; /* validated by the caller; K == 0 rows become act(bias) */
    const char *op; /* for the out-of-memory message */
} cw_conv_gemm;

/* C_g = act(A_g x B_g + bias) for every group; each element's sum runs
 * k = 0..K-1 in order. Parallel over (group, row tile, column block) tasks,
 * each writing its own rows x columns: bit-identical for any thread count. */
cw_status cw_conv_gemm_run(const cw_conv_gemm *g);

/* Packs B panels of a row-major [K, N] matrix into `packed` in parallel. */
void cw_conv_pack_b(size_t K, size_t N, const float *B, float *packed);

#endif
