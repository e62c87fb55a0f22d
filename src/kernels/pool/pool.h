/* Pooling: MaxPool, AvgPool, MaxPool3D, AvgPool3D and MaxPoolWithArgmax of
 * TF.js, float32, channels last (NHWC, NDHWC), forward.
 *
 * One geometry describes 2-D and 3-D pooling: index 0 of every triple is depth,
 * 1 height, 2 width; 2-D pooling has depth 1 everywhere (in, filter, stride,
 * dilation, out = 1; pads 0). Window taps of output o along one axis sit at
 * input positions o * stride - pad_before + k * dilation, k in [0, filter);
 * taps outside the input are skipped (padding takes no part in max or mean). */
#ifndef CW_KERNELS_POOL_POOL_H
#define CW_KERNELS_POOL_POOL_H

#include <stdint.h>

#include "core/status.h"

typedef enum {
    CW_POOL_MAX_2D = 0, /* MaxPool */
    CW_POOL_AVG_2D = 1, /* AvgPool */
    CW_POOL_MAX_3D = 2, /* MaxPool3D */
    CW_POOL_AVG_3D = 3  /* AvgPool3D */
} cw_pool_op;

/* What MaxPoolWithArgmax writes for the maximum of output (b, oy, ox, c) found
 * at input (b, iy, ix, c), window tap (iy - corner_y, ix - corner_x). */
typedef enum {
    CW_POOL_INDEX_FLAT = 0,       /* (iy * in_w + ix) * C + c  (includeBatchInIndex false) */
    CW_POOL_INDEX_FLAT_BATCH = 1, /* ((b * in_h + iy) * in_w + ix) * C + c */
    CW_POOL_INDEX_WINDOW = 2      /* wy * effective_filter_w + wx: MaxPoolGrad's position */
} cw_pool_index;

typedef struct {
    int batch, channels;
    int in[3];         /* input depth, height, width */
    int filter[3];     /* window extent in taps */
    int stride[3];     /* >= 1 */
    int dilation[3];   /* >= 1; TF.js pooling kernels always pass 1 */
    int pad_before[3]; /* front, top, left */
    int pad_after[3];  /* back, bottom, right (only validated) */
    int out[3];        /* output depth, height, width */
} cw_pool_geom;

/* y[b][od][oh][ow][c] = max or mean over the valid taps of x[b][.][.][.][c].
 * x [batch, in_d, in_h, in_w, C], y [batch, out_d, out_h, out_w, C], both
 * caller-owned. As tfjs-backend-cpu: max starts at -inf and takes x only when
 * x > max, so NaN inputs are skipped (an all-NaN or all-padding window gives
 * -inf); mean divides the sum by the number of valid taps, and a window with
 * none gives 0 / 0 = NaN in 2-D, 0 in 3-D. Sums run depth, height, width
 * ascending in float for every channel. Parallel over (batch x out_d x out_h)
 * rows; the serial loop is `for b, od, oh: row(b, od, oh)`; results do not
 * depend on the thread count. Allocates nothing. */
cw_status cw_pool_f32(cw_pool_op op, const cw_pool_geom *g, const float *x, float *y);

/* MaxPoolWithArgmax (2-D: g->in[0] == 1 and so on): y as cw_pool_f32 with
 * CW_POOL_MAX_2D, and idx[b][oy][ox][c] the position of that maximum in the
 * form `mode` says: the first tap in window order (height, then width) that
 * holds it, or -1 when no tap beats -inf (all -inf, NaN or padding). y may be
 * NULL (indices only, as MaxPoolGrad needs). Same threading contract. */
cw_status cw_pool_max_argmax_f32(const cw_pool_geom *g, cw_pool_index mode, const float *x,
                                 float *y, int32_t *idx);

/* The gradients of cw_pool_f32 (MaxPoolGrad, AvgPoolGrad, MaxPool3DGrad,
 * AvgPool3DGrad, by op): dx [batch, in_d, in_h, in_w, C] from dy [batch,
 * out_d, out_h, out_w, C]; x (the pooled input) is read by the max ops only.
 * As tfjs-backend-cpu: each dy goes to the tap that won its window, the first
 * strict maximum in window order for 2-D, the last maximum (>=) for 3-D, and
 * nowhere when no tap beats -inf (2-D); the mean ops spread dy * 1 / (filter
 * volume) over every valid tap, so windows cut by padding count the padding
 * (the cpu divisor, not the derivative of the forward mean there). Each dx is
 * the sum in double of its contributions in ascending output order, rounded
 * once. Parallel over (batch x in_d x in_h) input rows (max first finds the
 * winners over output rows); the serial loop is `for b, id, ih: row(b, id,
 * ih)`. Scratch: one int32 per dy element for the max ops. */
cw_status cw_pool_grad_f32(cw_pool_op op, const cw_pool_geom *g, const float *x, const float *dy,
                           float *dx);

#endif
