/* Complex numbers held as two float32 arrays (real parts, imaginary parts),
 * the layout TF.js backends keep complex64 tensors in: elementwise Add, Sub,
 * Multiply with broadcasting, the magnitude, conversion to and from the
 * interleaved [re0, im0, re1, im1, ...] form, and the discrete Fourier
 * transform along the innermost dimension.
 *
 * Semantics follow tfjs-backend-cpu: products are formed in double and
 * rounded once to float, magnitudes are Math.hypot rounded to float. */
#ifndef CW_KERNELS_COMPLEX_COMPLEX_H
#define CW_KERNELS_COMPLEX_COMPLEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Op codes: the values are part of the wasm ABI and never change. */
typedef enum {
    CW_COMPLEX_ADD = 0,
    CW_COMPLEX_SUB = 1,
    CW_COMPLEX_MUL = 2, /* (ar*br - ai*bi) + i (ar*bi + ai*br), in double */
    CW_COMPLEX_OP_COUNT = 3
} cw_complex_op;

/* (out_re, out_im) = op(a, b) with NumPy / TF.js broadcasting: out_shape must
 * be the broadcast of a_shape and b_shape. a_im or b_im may be NULL for an
 * operand with a zero imaginary part (a real tensor). Outputs are caller-owned
 * and must not overlap the inputs. Parallel over output elements; equals
 *   for (i = 0; i < size(out_shape); i++) out[i] = op(a[ia(i)], b[ib(i)]). */
cw_status cw_complex_binary(cw_complex_op op, const float *a_re, const float *a_im,
                            const int32_t *a_shape, int a_rank, const float *b_re,
                            const float *b_im, const int32_t *b_shape, int b_rank, float *out_re,
                            float *out_im, const int32_t *out_shape, int out_rank);

/* out[i] = |re[i] + i im[i]| (Math.hypot: +Inf if either part is infinite,
 * no overflow or underflow in between), i in [0, n). */
cw_status cw_complex_abs(const float *re, const float *im, float *out, size_t n);

/* out[2i] = re[i], out[2i+1] = im[i] for i in [0, n). */
cw_status cw_complex_interleave(const float *re, const float *im, float *out, size_t n);

/* re[i] = in[2i], im[i] = in[2i+1] for i in [0, n). */
cw_status cw_complex_split(const float *in, float *re, float *im, size_t n);

/* The discrete Fourier transform of each of the batch rows of n complex
 * values (row b at in_re + b*n, in_im + b*n) into out_re / out_im:
 *   X[k] = sum_j x[j] exp(-2 pi i jk / n)             (inverse == 0)
 *   x[k] = (1/n) sum_j X[j] exp(+2 pi i jk / n)        (inverse != 0).
 * Power-of-two n: radix-2 in float32 with twiddles rounded from double;
 * other n: in double (a direct sum for small n, Bluestein's chirp-z
 * convolution through power-of-two transforms otherwise), rounded once.
 * O(n log n) per row (the direct sum only below 32). Outputs must not overlap
 * the inputs. Rows run in parallel; each row's result is independent of the
 * thread count. */
cw_status cw_fft(const float *in_re, const float *in_im, float *out_re, float *out_im, size_t batch,
                 size_t n, int inverse);

#endif
