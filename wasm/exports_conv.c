/* Convolution exports: Conv2D, FusedConv2D, Conv2DBackpropInput, Conv3D and
 * the filter gradients. dims and pads: see CWASM_SET_CONV_2D. */
#include <emscripten.h>

#include "cw.h"
#include "exports_args.h"

/* y = act(conv2d(x, filter) + bias); see cw_conv2d_f32. x [batch, in_h, in_w,
 * in_c], filter [filter_h, filter_w, in_c, out_c] (or packed_filter from
 * cwasm_gemm_pack_b_batch with K = filter_h*filter_w*in_c, N = out_c; 0 =
 * none), y [batch, out_h, out_w, out_c]; ep and alpha: see cwasm_epilogue.
 * Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv2d(const int32_t *dims, const int32_t *pads, const float *x,
                                      const float *filter, const float *packed_filter, float *y,
                                      const int32_t *ep, float alpha) {
    cw_conv2d_args g = {0};
    CWASM_SET_CONV_2D(g, dims, pads, out_c);
    g.x = x, g.filter = filter, g.packed_filter = packed_filter, g.y = y;
    g.ep = cwasm_epilogue(ep, alpha);
    return (int)cw_conv2d_f32(&g);
}

/* dx [batch, in_h, in_w, in_c] from dy [batch, out_h, out_w, out_c] and filter
 * [filter_h, filter_w, in_c, out_c]; see cw_conv2d_backprop_input_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv2d_backprop_input(const int32_t *dims, const int32_t *pads,
                                                     const float *dy, const float *filter,
                                                     float *dx) {
    cw_conv2d_backprop_input_args g = {0};
    CWASM_SET_CONV_2D(g, dims, pads, out_c);
    g.dy = dy, g.filter = filter, g.dx = dx;
    return (int)cw_conv2d_backprop_input_f32(&g);
}

/* y = conv3d(x, filter), NDHWC. See cw_conv3d_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv3d(const int32_t *dims, const int32_t *pads, const float *x,
                                      const float *filter, const float *packed_filter, float *y) {
    cw_conv3d_args g = {0};
    CWASM_SET_CONV_3D(g, dims, pads);
    g.x = x, g.filter = filter, g.packed_filter = packed_filter, g.y = y;
    return (int)cw_conv3d_f32(&g);
}

/* dw = the filter gradient of conv3d (two_d = 0) or conv2d (two_d = 1),
 * NDHWC / NHWC, with out_* the shape of dy. See
 * cw_conv3d_backprop_filter_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv_backprop_filter(int two_d, const int32_t *dims,
                                                    const int32_t *pads, const float *x,
                                                    const float *dy, float *dw) {
    cw_conv3d_backprop_filter_args g = {0};
    CWASM_SET_CONV_3D(g, dims, pads);
    g.x = x, g.dy = dy, g.dw = dw;
    return (int)(two_d ? cw_conv2d_backprop_filter_f32(&g) : cw_conv3d_backprop_filter_f32(&g));
}

/* dx = the input gradient of conv3d (NDHWC), with in_* the shape of dx and
 * out_* that of dy. See cw_conv3d_backprop_input_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv3d_backprop_input(const int32_t *dims, const int32_t *pads,
                                                     const float *dy, const float *filter,
                                                     float *dx) {
    cw_conv3d_backprop_input_args g = {0};
    CWASM_SET_CONV_3D(g, dims, pads);
    g.dy = dy, g.filter = filter, g.dx = dx;
    return (int)cw_conv3d_backprop_input_f32(&g);
}
