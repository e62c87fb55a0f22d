/* Depthwise exports: DepthwiseConv2dNative and FusedDepthwiseConv2D. */
#include <emscripten.h>

#include "cw.h"

/* y = act(depthwise(x, filter) + bias); see cw_depthwise_conv2d_f32.
 * x [batch, in_h, in_w, in_c], filter [filter_h, filter_w, in_c, multiplier],
 * y [batch, out_h, out_w, in_c * multiplier]; act is a cw_act code.
 * Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_depthwise_conv2d(int batch, int in_h, int in_w, int in_c,
                                                int filter_h, int filter_w, int multiplier,
                                                int out_h, int out_w, int stride_h, int stride_w,
                                                int dilation_h, int dilation_w, int pad_top,
                                                int pad_left, const float *x, const float *filter,
                                                float *y, const float *bias, int bias_len, int act,
                                                float alpha, const float *prelu, int prelu_len) {
    cw_depthwise_args g = {0};
    g.batch = batch, g.in_h = in_h, g.in_w = in_w, g.in_c = in_c;
    g.filter_h = filter_h, g.filter_w = filter_w, g.multiplier = multiplier;
    g.out_h = out_h, g.out_w = out_w;
    g.stride_h = stride_h, g.stride_w = stride_w;
    g.dilation_h = dilation_h, g.dilation_w = dilation_w;
    g.pad_top = pad_top, g.pad_left = pad_left;
    g.x = x, g.filter = filter, g.y = y;
    g.ep.bias = bias, g.ep.bias_len = bias_len;
    g.ep.act = (cw_act)act, g.ep.alpha = alpha;
    g.ep.prelu = prelu, g.ep.prelu_len = prelu_len;
    return (int)cw_depthwise_conv2d_f32(&g);
}

/* The depthwise gradients: which = 0 -> dx (from dy and filter), 1 -> dw
 * (from x and dy). dims points at 15 ints: batch, in_h, in_w, in_c,
 * filter_h, filter_w, multiplier, out_h, out_w, stride_h, stride_w,
 * dilation_h, dilation_w, pad_top, pad_left. a is the filter (dx) or x
 * (dw); out is dx or dw. */
EMSCRIPTEN_KEEPALIVE int cwasm_depthwise_backprop(int which, const int32_t *dims, const float *a,
                                                  const float *dy, float *out) {
    cw_depthwise_grad_args g = {0};
    g.batch = dims[0], g.in_h = dims[1], g.in_w = dims[2], g.in_c = dims[3];
    g.filter_h = dims[4], g.filter_w = dims[5], g.multiplier = dims[6];
    g.out_h = dims[7], g.out_w = dims[8];
    g.stride_h = dims[9], g.stride_w = dims[10];
    g.dilation_h = dims[11], g.dilation_w = dims[12];
    g.pad_top = dims[13], g.pad_left = dims[14];
    g.dy = dy;
    if (which == 0) {
        g.filter = a, g.dx = out;
        return (int)cw_depthwise_backprop_input_f32(&g);
    }
    g.x = a, g.dw = out;
    return (int)cw_depthwise_backprop_filter_f32(&g);
}
