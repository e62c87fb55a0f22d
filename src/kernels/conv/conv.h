/* Convolution: Conv2D, FusedConv2D, Conv2DBackpropInput and Conv3D of TF.js,
 * channels-last float32, on the packed GEMM (src/kernels/gemm).
 *
 * Filters have the TF.js layout [fh, fw, in_c, out_c] ([fd, fh, fw, in_c,
 * out_c] for 3-D), which is exactly a row-major [K, N] GEMM matrix with
 * K = fh*fw*in_c and N = out_c; it may be passed pre-packed by
 * cw_gemm_pack_b(K, N, filter, 0, packed). */
#ifndef CW_KERNELS_CONV_CONV_H
#define CW_KERNELS_CONV_CONV_H

#include "core/status.h"
#include "kernels/act/act.h"

typedef struct {
    int batch, in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int filter_h, filter_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_top, pad_left;      /* bottom / right padding follow from out_h / out_w */
    const float *x;             /* [batch, in_h, in_w, in_c] */
    const float *filter;        /* [filter_h, filter_w, in_c, out_c]; may be NULL if packed */
    const float *packed_filter; /* optional: cw_gemm_pack_b(fh*fw*in_c, out_c, filter, 0, .) */
    float *y;                   /* [batch, out_h, out_w, out_c], caller-owned */
    cw_epilogue ep;             /* y = act(sum + bias[oc]); bias / prelu: 0, 1 or out_c entries */
} cw_conv2d_args;

/* y[b][oy][ox][oc] = act(bias[oc] + sum over ky, kx, ic of
 *     x[b][oy*stride_h - pad_top + ky*dilation_h][ox*stride_w - pad_left + kx*dilation_w][ic]
 *     * filter[ky][kx][ic][oc])
 * with taps outside the image taken as zero. Runs as an indirect GEMM
 * [batch*out_h*out_w, K] x [K, out_c]: the micro-kernel reads each pixel's
 * taps straight from x through pointers (a zero row for padding), with no
 * im2col copy; scratch is O(64 pixels x taps) per task. The sum runs
 * k = (ky, kx, ic) in order for every element with the arithmetic of the
 * GEMM micro-kernel, so results are bit-identical for any thread count (and
 * to cw_matmul_f32 on the im2col matrix). Parallel over (pixel tile,
 * output-channel block) tasks. */
cw_status cw_conv2d_f32(const cw_conv2d_args *args);

typedef struct {
    int batch, in_h, in_w, in_c; /* dx: the convolution's input */
    int out_h, out_w, out_c;     /* dy: the convolution's output */
    int filter_h, filter_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_top, pad_left;
    const float *dy;     /* [batch, out_h, out_w, out_c] */
    const float *filter; /* [filter_h, filter_w, in_c, out_c] */
    float *dx;           /* [batch, in_h, in_w, in_c], caller-owned, fully written */
} cw_conv2d_backprop_input_args;

/* The gradient of cw_conv2d_f32 with respect to x (= the forward of a
 * transposed convolution):
 *   dx[b][iy][ix][ic] = sum over ky, kx, oc with iy = oy*stride_h - pad_top + ky*dilation_h,
 *                       ix = ox*stride_w - pad_left + kx*dilation_w, 0 <= oy < out_h,
 *                       0 <= ox < out_w of dy[b][oy][ox][oc] * filter[ky][kx][ic][oc].
 * Split by output phase (iy mod stride_h, ix mod stride_w): each phase is a
 * gather GEMM over only the taps that reach it (no multiplications by
 * inserted zeros), tiled like cw_conv2d_f32. Every dx element is written by
 * exactly one task with a fixed k order: race-free and bit-identical for any
 * thread count. Packs the filter into scratch (filter-sized). */
cw_status cw_conv2d_backprop_input_f32(const cw_conv2d_backprop_input_args *args);

typedef struct {
    int batch, in_d, in_h, in_w, in_c;
    int out_d, out_h, out_w, out_c;
    int filter_d, filter_h, filter_w;
    int stride_d, stride_h, stride_w;
    int dilation_d, dilation_h, dilation_w;
    int pad_front, pad_top, pad_left;
    const float *x;      /* [batch, in_d, in_h, in_w, in_c] */
    const float *filter; /* [filter_d, filter_h, filter_w, in_c, out_c]; may be NULL if packed */
    const float *packed_filter; /* optional: cw_gemm_pack_b(fd*fh*fw*in_c, out_c, filter, 0, .) */
    float *y;                   /* [batch, out_d, out_h, out_w, out_c], caller-owned */
    cw_epilogue ep;
} cw_conv3d_args;

/* cw_conv2d_f32 with a depth dimension (NDHWC): the sum runs over
 * (kd, ky, kx, ic) in order; same tiling, threading and determinism. */
cw_status cw_conv3d_f32(const cw_conv3d_args *args);

typedef struct {
    int batch, in_d, in_h, in_w, in_c; /* x */
    int out_d, out_h, out_w, out_c;    /* dy */
    int filter_d, filter_h, filter_w;  /* dw: [filter_d, filter_h, filter_w, in_c, out_c] */
    int stride_d, stride_h, stride_w;
    int dilation_d, dilation_h, dilation_w;
    int pad_front, pad_top, pad_left;
    const float *x;  /* [batch, in_d, in_h, in_w, in_c] */
    const float *dy; /* [batch, out_d, out_h, out_w, out_c] */
    float *dw;       /* caller-owned, fully written */
} cw_conv3d_backprop_filter_args;

/* The gradient of cw_conv3d_f32 with respect to the filter:
 *   dw[kd][ky][kx][ic][oc] = sum over b, od, oy, ox of dy[b][od][oy][ox][oc] *
 *       x[b][od*stride_d - pad_front + kd*dilation_d][oy*stride_h - pad_top + ky*dilation_h]
 *        [ox*stride_w - pad_left + kx*dilation_w][ic]   (taps outside x are zero).
 * One GEMM [taps*in_c, pixels] x [pixels, out_c] with the transposed im2col
 * packed on the fly from x (no im2col copy); dy is packed (dy-sized scratch).
 * The pixels are summed in at most 8 chunks fixed by the shape, the chunks'
 * partial sums added in order: bit-identical for any thread count. */
cw_status cw_conv3d_backprop_filter_f32(const cw_conv3d_backprop_filter_args *args);

/* The same for Conv2D (NHWC): in_d = out_d = filter_d = 1 and depth stride,
 * dilation 1, pad_front 0; errors name Conv2DBackpropFilter. */
cw_status cw_conv2d_backprop_filter_f32(const cw_conv3d_backprop_filter_args *args);

typedef struct {
    int batch, in_d, in_h, in_w, in_c; /* dx: the convolution's input */
    int out_d, out_h, out_w, out_c;    /* dy: the convolution's output */
    int filter_d, filter_h, filter_w;
    int stride_d, stride_h, stride_w;
    int dilation_d, dilation_h, dilation_w;
    int pad_front, pad_top, pad_left;
    const float *dy;     /* [batch, out_d, out_h, out_w, out_c] */
    const float *filter; /* [filter_d, filter_h, filter_w, in_c, out_c] */
    float *dx;           /* [batch, in_d, in_h, in_w, in_c], caller-owned, fully written */
} cw_conv3d_backprop_input_args;

/* The gradient of cw_conv3d_f32 with respect to x (Conv3DBackpropInputV2):
 *   dx[b][iz][iy][ix][ic] = sum over the outputs (od, oy, ox) and taps
 *       (kd, ky, kx) that read it of dy[b][od][oy][ox][oc] * filter[kd][ky][kx][ic][oc].
 * GEMM tiles of 256 output pixels times the transposed filter, each tile's
 * columns added into dx in a fixed order (col2im): results do not depend on
 * the thread count. Scratch: the packed filter and one tile. */
cw_status cw_conv3d_backprop_input_f32(const cw_conv3d_backprop_input_args *args);

#endif
