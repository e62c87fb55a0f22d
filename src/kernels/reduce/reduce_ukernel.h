/* Reduce micro-kernels (internal to the family).
 *
 * x points at one [reduce, inner] slice (row stride `inner`), out at that
 * slice's output row; a `_cols` kernel computes out[c] for c in [c0, c1).
 * They never allocate and never fail; the caller has validated everything
 * and guarantees reduce >= 1. */
#ifndef CW_KERNELS_REDUCE_REDUCE_UKERNEL_H
#define CW_KERNELS_REDUCE_REDUCE_UKERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/reduce/reduce.h"

/* Elements summed in float before the partial sum is added to a double
 * total: float speed and vector lanes, near-double accuracy for long rows. */
#define CW_REDUCE_BLOCK 256

/* Sum of x[0..n) (contiguous), float blocks flushed into a double. */
double cw_reduce_f32_sum_row(const float *x, size_t n);
/* out[c] = (float)(sum_r x[r*inner + c] / divisor); each column's order of
 * operations is the same whether it lands in a vector lane or the tail. */
void cw_reduce_f32_sum_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            double divisor, float *out);

/* tfjs-backend-cpu max / min of x[0..n), n >= 1: NaN wins. */
float cw_reduce_f32_max_row(const float *x, size_t n);
float cw_reduce_f32_min_row(const float *x, size_t n);
void cw_reduce_f32_max_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            float *out);
void cw_reduce_f32_min_cols(const float *x, size_t reduce, size_t inner, size_t c0, size_t c1,
                            float *out);

/* The scalar kernels: f32 PROD / ARGMAX / ARGMIN, every I32 op, ALL / ANY.
 * out's element type is the op's output type (see cw_reduce). */
void cw_reduce_scalar_cols(cw_reduce_op op, cw_dtype dtype, const void *x, size_t reduce,
                           size_t inner, size_t c0, size_t c1, void *out);

#endif
