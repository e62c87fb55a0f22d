/* The indirect GEMM behind the forward convolution (internal).
 *
 * C[M, N] = A[M, K] x B[K, N] where row m of A (output pixel m) is never
 * stored: for each filter tap an indirection pointer gives the C input
 * channels that tap reads (or a zero row in the padding), and the
 * micro-kernel reads them straight from the image. No im2col copy, so
 * convolutions with few input channels (K = taps * C small) run at the
 * speed of the GEMM micro-kernel instead of the speed of packing. */
#ifndef CW_KERNELS_CONV_CONV_IGEMM_H
#define CW_KERNELS_CONV_CONV_IGEMM_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "kernels/act/act.h"

typedef struct {
    const float *x;  /* [batch, in[0], in[1], in[2], C] */
    const float *pb; /* the filter as B [K, N] packed by cw_gemm_pack_b */
    float *y;        /* [batch, out[0], out[1], out[2], N] */
    size_t batch, C, N;
    int64_t in[3], out[3], f[3], s[3], d[3], p[3]; /* depth, height, width */
    cw_epilogue ep;                                /* validated by the caller */
    const char *op;                                /* for the out-of-memory message */
} cw_conv_igemm;

/* y = act(conv(x, filter) + bias) with K = f[0]*f[1]*f[2]*C > 0; each
 * element sums k = (kd, ky, kx, ic) in order, exactly as cw_conv_gemm_run
 * would (same bits). Parallel over (pixel tile, column block) tasks, each
 * writing its own outputs: bit-identical for any thread count. */
cw_status cw_conv_igemm_run(const cw_conv_igemm *g);

#endif
