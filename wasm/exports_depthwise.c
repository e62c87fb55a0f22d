/* Depthwise exports: DepthwiseConv2dNative, FusedDepthwiseConv2D and their
 * gradients. dims and pads: see CWASM_SET_CONV_2D, with dims[8] the channel
 * multiplier (output channels = in_c * multiplier). */
#include <emscripten.h>

#include "cw.h"
#include "exports_args.h"

/* y = act(depthwise(x, filter) + bias); see cw_depthwise_conv2d_f32.
 * x [batch, in_h, in_w, in_c], filter [filter_h, filter_w, in_c, multiplier],
 * y [batch, out_h, out_w, in_c * multiplier]; ep and alpha: see
 * cwasm_epilogue. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_depthwise_conv2d(const int32_t *dims, const int32_t *pads,
                                                const float *x, const float *filter, float *y,
                                                const int32_t *ep, float alpha) {
    cw_depthwise_args g = {0};
    CWASM_SET_CONV_2D(g, dims, pads, multiplier);
    g.x = x, g.filter = filter, g.y = y;
    g.ep = cwasm_epilogue(ep, alpha);
    return (int)cw_depthwise_conv2d_f32(&g);
}

/* The depthwise gradients: which = 0 -> dx (from dy and filter), 1 -> dw
 * (from x and dy). a is the filter (dx) or x (dw); out is dx or dw. */
EMSCRIPTEN_KEEPALIVE int cwasm_depthwise_backprop(int which, const int32_t *dims,
                                                  const int32_t *pads, const float *a,
                                                  const float *dy, float *out) {
    cw_depthwise_grad_args g = {0};
    CWASM_SET_CONV_2D(g, dims, pads, multiplier);
    g.dy = dy;
    if (which == 0) {
        g.filter = a, g.dx = out;
        return (int)cw_depthwise_backprop_input_f32(&g);
    }
    g.x = a, g.dw = out;
    return (int)cw_depthwise_backprop_filter_f32(&g);
}
