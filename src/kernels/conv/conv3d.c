/* cw_conv3d_f32: NDHWC convolution (conv_forward.c). */
#include "kernels/conv/conv.h"
#include "kernels/conv/conv_forward.h"

cw_status cw_conv3d_f32(const cw_conv3d_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, "Conv3D: args is NULL");
    cw_conv_nd_args a = {
        .batch = g->batch,
        .in_c = g->in_c,
        .out_c = g->out_c,
        .in = {g->in_d, g->in_h, g->in_w},
        .out = {g->out_d, g->out_h, g->out_w},
        .filter = {g->filter_d, g->filter_h, g->filter_w},
        .stride = {g->stride_d, g->stride_h, g->stride_w},
        .dilation = {g->dilation_d, g->dilation_h, g->dilation_w},
        .pad = {g->pad_front, g->pad_top, g->pad_left},
        .x = g->x,
        .filter_data = g->filter,
        .packed_filter = g->packed_filter,
        .y = g->y,
        .ep = g->ep,
    };
    return cw_conv_forward_f32(&a, "Conv3D", 3);
}
