/* Internal to the depthwise family: the per-call plan and the row kernels.
 * Row kernels never allocate and never fail; the entry point validated. */
#ifndef CW_KERNELS_DEPTHWISE_DEPTHWISE_UKERNEL_H
#define CW_KERNELS_DEPTHWISE_DEPTHWISE_UKERNEL_H

#include <stddef.h>

#include "core/conv_geometry.h"
#include "kernels/depthwise/depthwise.h"
#include "kernels/gemm/gemm_ukernel.h"
#include "simd/vec.h"

typedef struct {
    const cw_depthwise_args *g;
    int C, M, OC;      /* input channels, multiplier, output channels */
    size_t x_row;      /* floats per input row: in_w * C */
    size_t x_image;    /* floats per input image: in_h * in_w * C */
    size_t y_row;      /* floats per output row: out_w * OC */
    const float *bias; /* NULL, or bias_len (1 or OC) floats */
    int bias_len;
    cw_gemm_clamp clamp; /* relu / relu6 done in registers before the store */
    const float *packed; /* the filter as cw_dw_pack lays it out, or NULL */
} cw_dw_plan;

/* Checks the channel multiplier (>= 1, in_c * multiplier an int), then
 * `geo` (CW_CONV_GEOMETRY_2D of the arguments) with in_c * multiplier output
 * channels and a [filter_h, filter_w, in_c, multiplier] filter. */
cw_status cw_dw_geometry_check(cw_conv_geometry geo, int multiplier, const char *op);

/* Floats cw_dw_pack writes: per block of 4 input channels, T = filter_h *
 * filter_w taps and a bias, M vectors each; multiplier 1: C / 4 blocks
 * (channels past the last full vector are read from the filter itself);
 * multiplier M > 1: ceil(C / 4) blocks. */
size_t cw_dw_packed_floats(const cw_depthwise_args *g);

/* Lays the filter (and bias) out block by block so the vector loops read
 * one contiguous 4-float vector per tap:
 *   M = 1: block cb, tap t, lane l = filter[t][4cb + l]
 *   M > 1: block cb, tap t, vector m, lane l = filter[t][4cb + l][m]
 *          (input channels 4cb + l, output channels (4cb + l) * M + m;
 *          lanes past C are zero)
 * and after the T taps of a block its bias vector(s) (0 without a bias). */
void cw_dw_pack(const cw_dw_plan *p, float *packed);

/* The bias of output channels [oc, oc + 4) (only when p->bias). */
static inline cw_v4f cw_dw_bias4(const cw_dw_plan *p, int oc) {
    return p->bias_len == 1 ? cw_v4f_splat(p->bias[0]) : cw_v4f_load(p->bias + oc);
}

/* The register clamp of the GEMM store (NaN passes through). */
static inline cw_v4f cw_dw_clamp4(const cw_dw_plan *p, cw_v4f acc) {
    return cw_f32_clamp4(acc, p->clamp);
}

/* acc + bias, then the clamp: the store-side epilogue. */
static inline cw_v4f cw_dw_finish4(const cw_dw_plan *p, cw_v4f acc, int oc) {
    if (p->bias) acc = cw_v4f_add(acc, cw_dw_bias4(p, oc));
    return cw_dw_clamp4(p, acc);
}

static inline float cw_dw_finish1(const cw_dw_plan *p, float acc, int oc) {
    if (p->bias) acc += p->bias[p->bias_len == 1 ? 0 : oc];
    if (p->clamp != CW_GEMM_CLAMP_NONE) acc = acc < 0.0f ? 0.0f : acc;
    if (p->clamp == CW_GEMM_CLAMP_RELU6) acc = acc > 6.0f ? 6.0f : acc;
    return acc;
}

/* Output channels [oc0, oc1) of one output pixel whose window starts at input
 * (iy0, ix0) of image xb, over the valid taps ky in [ky0, ky1), kx in
 * [kx0, kx1): sums, bias and clamp, stored to y[oc0..oc1). */
void cw_dw_pixel(const cw_dw_plan *p, const float *xb, int iy0, int ky0, int ky1, int ix0, int kx0,
                 int kx1, float *y, int oc0, int oc1);

/* Valid taps [*k0, *k1) of a window starting at i0 with dilation d over
 * extent n (positions i0 + k*d in [0, n)). */
void cw_dw_taps(int i0, int k, int d, int n, int *k0, int *k1);

/* One output row (b, oy): any window, stride, dilation, multiplier. */
void cw_dw_row_general(const cw_dw_plan *p, int b, int oy);

/* One output row (b, oy) of a 3x3 or 5x5 window, dilation 1, multiplier 1,
 * stride 1 or 2 (p->packed set): border pixels through cw_dw_pixel, the
 * interior several pixels at a time over the packed filter. */
void cw_dw_row_3x3s1(const cw_dw_plan *p, int b, int oy);
void cw_dw_row_3x3s2(const cw_dw_plan *p, int b, int oy);
void cw_dw_row_5x5s1(const cw_dw_plan *p, int b, int oy);
void cw_dw_row_5x5s2(const cw_dw_plan *p, int b, int oy);

/* One output row (b, oy), multiplier > 1, any window, stride, dilation
 * (p->packed set): four input channels per vector, contiguous loads of the
 * input and of the packed filter, each input vector feeding the M
 * accumulators of its taps. */
void cw_dw_row_mn(const cw_dw_plan *p, int b, int oy);

#endif
