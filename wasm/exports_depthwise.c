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
