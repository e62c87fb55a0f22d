/* Grayscale morphology: Dilation2D and its gradients. */
#ifndef CW_KERNELS_MORPH_MORPH_H
#define CW_KERNELS_MORPH_MORPH_H

#include "core/status.h"

typedef struct {
    int batch, in_h, in_w, channels;
    int filter_h, filter_w;
    int out_h, out_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_top, pad_left;
} cw_dilation2d_geom;

/* y[b, oy, ox, c] = max over the window taps inside x of
 * x[b, oy*sh - pad_top + i*dh, ox*sw - pad_left + j*dw, c] + filter[i, j, c];
 * NHWC x and y, filter [filter_h, filter_w, channels]. A window with no tap
 * inside x gives -9007199254740991 (as float), as TF.js does. Parallel over
 * (batch x output rows); equals the serial loop. */
cw_status cw_dilation2d_f32(const cw_dilation2d_geom *g, const float *x, const float *filter,
                            float *y);

/* The gradients of cw_dilation2d_f32 from dy [batch, out_h, out_w, channels]:
 * each dy element goes to the tap that won its window, the first strict
 * maximum of x + filter (compared in double) in row-major tap order, as
 * tfjs-backend-cpu; a window without a winner sends it to its clamped corner
 * (input) or to tap (0, 0) (filter). Sums are in double in output order,
 * rounded to float32 once.
 * Input: dx [batch, in_h, in_w, channels], parallel over input rows.
 * Filter: dfilter [filter_h, filter_w, channels], parallel over channels.
 * Both first find the winners in parallel over output rows; scratch: two
 * int32 per dy element and a double per gradient element. */
cw_status cw_dilation2d_backprop_input_f32(const cw_dilation2d_geom *g, const float *x,
                                           const float *filter, const float *dy, float *dx);
cw_status cw_dilation2d_backprop_filter_f32(const cw_dilation2d_geom *g, const float *x,
                                            const float *filter, const float *dy, float *dfilter);

/* Internal to the family: the taps k in [*k0, *k1) of a window whose tap k
 * reads input position start + k * dilation, keeping those inside [0, in)
 * (dilation >= 1; an empty range has *k0 >= *k1). */
static inline void cw_dilation2d_taps(int start, int dilation, int filter, int in, int *k0,
                                      int *k1) {
    *k0 = start < 0 ? (-start + dilation - 1) / dilation : 0;
    const int last = in - 1 - start; /* taps need start + k * dilation <= in - 1 */
    *k1 = last < 0 ? 0 : (last / dilation < filter - 1 ? last / dilation + 1 : filter);
}

#endif
