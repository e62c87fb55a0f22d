/* Internal to the pool family: the per-call plan and the row kernels.
 * Row kernels never allocate and never fail; the entry points validated. */
#ifndef CW_KERNELS_POOL_POOL_UKERNEL_H
#define CW_KERNELS_POOL_POOL_UKERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/pool/pool.h"

typedef struct {
    const cw_pool_geom *g;
    const float *x;
    float *y;           /* NULL only for argmax without values */
    int32_t *idx;       /* argmax only */
    cw_pool_index mode; /* argmax only */
    int C;
    int eff[3];     /* effective window extent: (filter - 1) * dilation + 1 */
    size_t xs[4];   /* input strides in floats: batch, depth, height, width */
    size_t y_row;   /* floats per output row: out_w * C */
    int empty_zero; /* mean of a window without valid taps: 1 -> 0, 0 -> NaN */
} cw_pool_plan;

/* One output row (b, od, oh): all out_w pixels, all channels. r is the row
 * number ((b * out_d) + od) * out_h + oh. */
void cw_pool_row_max(const cw_pool_plan *p, size_t r);
void cw_pool_row_avg(const cw_pool_plan *p, size_t r);
void cw_pool_row_argmax(const cw_pool_plan *p, size_t r);

/* cw_pool_row_max for a 2-D geometry (depth 1) with dilation 1: the same
 * results, interior pixels without bounds checks. */
void cw_pool_row_max2d(const cw_pool_plan *p, size_t r);

/* Validates a geometry for op (the kernel name in errors); eff receives the
 * effective (dilated) window extent per axis. */
cw_status cw_pool_check_geom(const char *op, const cw_pool_geom *g, int is3d, int eff[3]);

#endif
