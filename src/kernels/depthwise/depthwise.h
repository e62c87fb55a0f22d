/* Depthwise 2-D convolution: DepthwiseConv2dNative and FusedDepthwiseConv2D
 * of TF.js, NHWC float32.
 *
 * Input channel c is convolved with `multiplier` filters of its own; output
 * channel c * multiplier + m holds the result of filter m. */
#ifndef CW_KERNELS_DEPTHWISE_DEPTHWISE_H
#define CW_KERNELS_DEPTHWISE_DEPTHWISE_H

#include "core/status.h"
#include "kernels/act/act.h"

typedef struct {
    int batch, in_h, in_w, in_c;
    int filter_h, filter_w, multiplier;
    int out_h, out_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_top, pad_left; /* bottom / right padding follow from out_h / out_w */
    const float *x;        /* [batch, in_h, in_w, in_c] */
    const float *filter;   /* [filter_h, filter_w, in_c, multiplier] (TF.js layout) */
    float *y;              /* [batch, out_h, out_w, in_c * multiplier], caller-owned */
    cw_epilogue ep;        /* y = act(sum + bias[oc]); bias / prelu: 0, 1 or OC entries */
} cw_depthwise_args;

/* y[b][oy][ox][c*M+m] = act(bias[c*M+m] + sum over ky, kx of
 *     x[b][oy*stride_h - pad_top + ky*dilation_h][ox*stride_w - pad_left + kx*dilation_w][c]
 *     * filter[ky][kx][c][m])
 * where taps outside the image are skipped. The sum runs ky ascending, then kx
 * ascending, for every element and every code path (fast paths included),
 * so results are bit-identical for any thread count. Parallel over
 * (batch x output rows); the serial loop is `for b, for oy: row(b, oy)`.
 * Allocates (and frees) one packed copy of the filter and bias for the 3x3 /
 * 5x5 and multiplier > 1 paths; CW_ERR_NOMEM when that fails. */
cw_status cw_depthwise_conv2d_f32(const cw_depthwise_args *args);

typedef struct {
    int batch, in_h, in_w, in_c;
    int filter_h, filter_w, multiplier;
    int out_h, out_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_top, pad_left;
    const float *x;      /* [batch, in_h, in_w, in_c]: for the filter gradient */
    const float *filter; /* [filter_h, filter_w, in_c, multiplier]: for the input gradient */
    const float *dy;     /* [batch, out_h, out_w, in_c * multiplier] */
    float *dx;           /* [batch, in_h, in_w, in_c], caller-owned: the input gradient */
    float *dw;           /* [filter_h, filter_w, in_c, multiplier], caller-owned */
} cw_depthwise_grad_args;

/* dx[b][iy][ix][c] = sum over ky, kx (ascending), m of
 *     dy[b][oy][ox][c*M+m] * filter[ky][kx][c][m]
 * over the outputs with oy*stride_h - pad_top + ky*dilation_h = iy and
 * ox*stride_w - pad_left + kx*dilation_w = ix. Parallel over (batch x in_h)
 * rows, each written by one task: bit-identical for any thread count. */
cw_status cw_depthwise_backprop_input_f32(const cw_depthwise_grad_args *args);

/* dw[ky][kx][c][m] = sum over b, oy, ox (in that order) of
 *     x[b][oy*stride_h - pad_top + ky*dilation_h][ox*stride_w - pad_left + kx*dilation_w][c]
 *     * dy[b][oy][ox][c*M+m]   (taps outside x skipped).
 * Parallel over (tap x 64-channel block), each entry summed by one task in
 * that order: bit-identical for any thread count. Allocates nothing. */
cw_status cw_depthwise_backprop_filter_f32(const cw_depthwise_grad_args *args);

#endif
