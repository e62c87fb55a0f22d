/* Scan family: cumulative sum and product along the middle axis of a
 * canonical [outer, n, inner] view. */
#ifndef CW_KERNELS_SCAN_SCAN_H
#define CW_KERNELS_SCAN_SCAN_H

#include "core/dtype.h"
#include "core/status.h"

/* Stable values: the JS side passes them as plain ints. */
typedef enum { CW_SCAN_CUMSUM = 0, CW_SCAN_CUMPROD = 1 } cw_scan_op;

/* out[o, j, i] = x[o, p_0, i] (op) ... (op) x[o, p_j, i] over the axis
 * positions p_0, p_1, ... in scan order: 0, 1, .. n-1, or n-1, .., 0 when
 * reverse != 0. exclusive != 0 shifts by one: the first position gets the
 * identity (0 or 1) and position j combines the elements before it.
 * x and out are row-major [outer, n, inner], dtype CW_F32 or CW_I32 for both
 * (caller owns; out may equal x). As tfjs-backend-cpu, each step is
 * x[p_j] op out[p_{j-1}] rounded to the output type: f32 is float arithmetic,
 * i32 sums wrap modulo 2^32 and i32 products are JS's: the double product
 * (rounded beyond 2^53) wrapped modulo 2^32.
 * Vectorised over inner; parallel over (outer, blocks of inner); every
 * element's arithmetic is fixed, so results are identical for any thread
 * count. */
cw_status cw_scan(cw_scan_op op, cw_dtype dtype, const void *x, int outer, int n, int inner,
                  int exclusive, int reverse, void *out);

#endif
