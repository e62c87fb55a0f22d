/* Reductions over the middle axis of a canonical [outer, reduce, inner] view,
 * and softmax / log-softmax over the last axis. */
#ifndef CW_KERNELS_REDUCE_REDUCE_H
#define CW_KERNELS_REDUCE_REDUCE_H

#include "core/dtype.h"
#include "core/status.h"

/* Stable values: the JS side passes them as plain ints. */
typedef enum {
    CW_REDUCE_SUM = 0,
    CW_REDUCE_MEAN = 1,
    CW_REDUCE_MAX = 2,
    CW_REDUCE_MIN = 3,
    CW_REDUCE_PROD = 4,
    CW_REDUCE_ALL = 5,
    CW_REDUCE_ANY = 6,
    CW_REDUCE_ARGMAX = 7,
    CW_REDUCE_ARGMIN = 8
} cw_reduce_op;

/* out[o, i] = op over r of x[o, r, i], x row-major [outer, reduce, inner],
 * out row-major [outer, inner]; caller owns both buffers.
 *
 *   op               x dtype      out
 *   SUM, MAX, MIN,   F32 | I32    same as x
 *   PROD
 *   MEAN             F32 | I32    F32 (I32 is read as (float)x, as a cast)
 *   ALL, ANY         BOOL         BOOL (uint8 0/1; any nonzero byte is true)
 *   ARGMAX, ARGMIN   F32 | I32    I32 index in [0, reduce), first on ties
 *
 * Semantics follow tfjs-backend-cpu: MAX/MIN propagate NaN; ARGMAX/ARGMIN
 * keep x[0] if it is NaN and otherwise skip NaNs; f32 sums are exact-order
 * float blocks flushed into a double; f32 PROD multiplies in double; I32
 * SUM/PROD wrap modulo 2^32. reduce == 0 gives SUM 0, MEAN 0, PROD 1,
 * MAX/MIN NaN (F32) or 0 (I32), ALL/ANY 0, ARGMAX/ARGMIN 0.
 * Parallel over the outer*inner outputs; each output's arithmetic is fixed,
 * so results are bit-identical for any thread count. */
cw_status cw_reduce(cw_reduce_op op, cw_dtype dtype, const void *x, int outer, int reduce,
                    int inner, void *out);

/* out[r, :] = softmax(logits[r, :]) over the last axis of a row-major
 * [rows, cols] tensor, with the row max subtracted first. out may equal
 * logits. Parallel over rows. */
cw_status cw_softmax_f32(const float *logits, float *out, int rows, int cols);

/* out[r, c] = (x[r, c] - max_r) - log(sum_c exp(x[r, c] - max_r)), as
 * tfjs-core's logSoftmax. out may equal logits. Parallel over rows. */
cw_status cw_log_softmax_f32(const float *logits, float *out, int rows, int cols);

#endif
