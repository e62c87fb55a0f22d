/* The forward convolution behind cw_conv2d_f32 and cw_conv3d_f32 (internal):
 * three spatial dimensions (depth, height, width); 2-D is depth 1. */
#ifndef CW_KERNELS_CONV_CONV_FORWARD_H
#define CW_KERNELS_CONV_CONV_FORWARD_H

#include "core/status.h"
#include "kernels/act/act.h"

typedef struct {
    int batch, in_c, out_c;
    int in[3], out[3], filter[3]; /* depth, height, width */
    int stride[3], dilation[3], pad[3];
    const float *x, *filter_data, *packed_filter;
    float *y;
    cw_epilogue ep;
} cw_conv_nd_args;

/* Validates (messages start with `op`; `rank` 2 or 3 picks how shapes are
 * printed), then runs the convolution as documented for cw_conv3d_f32. */
cw_status cw_conv_forward_f32(const cw_conv_nd_args *a, const char *op, int rank);

#endif
