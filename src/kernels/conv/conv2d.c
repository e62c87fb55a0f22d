/* cw_conv2d_f32: a 3-D convolution of depth 1 (conv_forward.c). */
#include "kernels/conv/conv.h"
#include "kernels/conv/conv_forward.h"

cw_status cw_conv2d_f32(const cw_conv2d_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, "Conv2D: args is NULL");
    cw_conv_nd_args a = {
        .batch = g->batch,
        .in_c = g->in_c,
        .out_c = g->out_c,
        .in = {1, g->in_h, g->in_w},
        .out = {1, g->out_h, g->out_w},
        .filter = {1, g->filter_h, g->filter_w},
        .stride = {1, g->stride_h, g->stride_w},
        .dilation = {1, g->dilation_h, g->dilation_w},
        .pad = {0, g->pad_top, g->pad_left},
        .x = g->x,
        .filter_data = g->filter,
        .packed_filter = g->packed_filter,
        .y = g->y,
        .ep = g->ep,
    };
    return cw_conv_forward_f32(&a, "Conv2D", 2);
}
