/* Convolution exports: Conv2D, FusedConv2D, Conv2DBackpropInput, Conv3D. */
#include <emscripten.h>

#include "cw.h"

/* Fills the 3-D geometry fields that cw_conv3d_args and the 3-D gradient
 * args share from 18 dims (batch, in_d, in_h, in_w, in_c, out_d, out_h,
 * out_w, out_c, filter_d, filter_h, filter_w, stride_d, stride_h, stride_w,
 * dilation_d, dilation_h, dilation_w) and 3 pads (front, top, left). */
#define SET_GEOMETRY_3D(g, dims, pads)                                                              \
    do {                                                                                           \
        (g).batch = (dims)[0], (g).in_d = (dims)[1], (g).in_h = (dims)[2], (g).in_w = (dims)[3];   \
        (g).in_c = (dims)[4], (g).out_d = (dims)[5], (g).out_h = (dims)[6], (g).out_w = (dims)[7]; \
        (g).out_c = (dims)[8], (g).filter_d = (dims)[9], (g).filter_h = (dims)[10];                \
        (g).filter_w = (dims)[11], (g).stride_d = (dims)[12], (g).stride_h = (dims)[13];           \
        (g).stride_w = (dims)[14], (g).dilation_d = (dims)[15], (g).dilation_h = (dims)[16];       \
        (g).dilation_w = (dims)[17], (g).pad_front = (pads)[0], (g).pad_top = (pads)[1];           \
        (g).pad_left = (pads)[2];                                                                  \
    } while (0)

/* y = act(conv2d(x, filter) + bias); see cw_conv2d_f32. x [batch, in_h, in_w,
 * in_c], filter [filter_h, filter_w, in_c, out_c] (or packed_filter from
 * cwasm_gemm_pack_b_batch with K = filter_h*filter_w*in_c, N = out_c; 0 = none),
 * y [batch, out_h, out_w, out_c]; act is a cw_act code. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv2d(int batch, int in_h, int in_w, int in_c, int out_h, int out_w,
                                      int out_c, int filter_h, int filter_w, int stride_h,
                                      int stride_w, int dilation_h, int dilation_w, int pad_top,
                                      int pad_left, const float *x, const float *filter,
                                      const float *packed_filter, float *y, const float *bias,
                                      int bias_len, int act, float alpha, const float *prelu,
                                      int prelu_len) {
    cw_conv2d_args g = {0};
    g.batch = batch, g.in_h = in_h, g.in_w = in_w, g.in_c = in_c;
    g.out_h = out_h, g.out_w = out_w, g.out_c = out_c;
    g.filter_h = filter_h, g.filter_w = filter_w;
    g.stride_h = stride_h, g.stride_w = stride_w;
    g.dilation_h = dilation_h, g.dilation_w = dilation_w;
    g.pad_top = pad_top, g.pad_left = pad_left;
    g.x = x, g.filter = filter, g.packed_filter = packed_filter, g.y = y;
    g.ep.bias = bias, g.ep.bias_len = bias_len;
    g.ep.act = (cw_act)act, g.ep.alpha = alpha;
    g.ep.prelu = prelu, g.ep.prelu_len = prelu_len;
    return (int)cw_conv2d_f32(&g);
}

/* dx [batch, in_h, in_w, in_c] from dy [batch, out_h, out_w, out_c] and filter
 * [filter_h, filter_w, in_c, out_c]; see cw_conv2d_backprop_input_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv2d_backprop_input(int batch, int in_h, int in_w, int in_c,
                                                     int out_h, int out_w, int out_c, int filter_h,
                                                     int filter_w, int stride_h, int stride_w,
                                                     int dilation_h, int dilation_w, int pad_top,
                                                     int pad_left, const float *dy,
                                                     const float *filter, float *dx) {
    cw_conv2d_backprop_input_args g = {0};
    g.batch = batch, g.in_h = in_h, g.in_w = in_w, g.in_c = in_c;
    g.out_h = out_h, g.out_w = out_w, g.out_c = out_c;
    g.filter_h = filter_h, g.filter_w = filter_w;
    g.stride_h = stride_h, g.stride_w = stride_w;
    g.dilation_h = dilation_h, g.dilation_w = dilation_w;
    g.pad_top = pad_top, g.pad_left = pad_left;
    g.dy = dy, g.filter = filter, g.dx = dx;
    return (int)cw_conv2d_backprop_input_f32(&g);
}

/* y = conv3d(x, filter), NDHWC. dims points at 18 ints: batch, in_d, in_h,
 * in_w, in_c, out_d, out_h, out_w, out_c, filter_d, filter_h, filter_w,
 * stride_d, stride_h, stride_w, dilation_d, dilation_h, dilation_w; pads
 * at 3: front, top, left. See cw_conv3d_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv3d(const int32_t *dims, const int32_t *pads, const float *x,
                                      const float *filter, const float *packed_filter, float *y) {
    cw_conv3d_args g = {0};
    SET_GEOMETRY_3D(g, dims, pads);
    g.x = x, g.filter = filter, g.packed_filter = packed_filter, g.y = y;
    return (int)cw_conv3d_f32(&g);
}

/* dw = the filter gradient of conv3d (two_d = 0) or conv2d (two_d = 1:
 * depth sizes 1), NDHWC / NHWC. dims and pads as for cwasm_conv3d, with
 * out_* the shape of dy. See cw_conv3d_backprop_filter_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv_backprop_filter(int two_d, const int32_t *dims,
                                                    const int32_t *pads, const float *x,
                                                    const float *dy, float *dw) {
    cw_conv3d_backprop_filter_args g = {0};
    SET_GEOMETRY_3D(g, dims, pads);
    g.x = x, g.dy = dy, g.dw = dw;
    return (int)(two_d ? cw_conv2d_backprop_filter_f32(&g) : cw_conv3d_backprop_filter_f32(&g));
}

/* dx = the input gradient of conv3d (NDHWC); dims and pads as for
 * cwasm_conv3d with in_* the shape of dx and out_* that of dy. See
 * cw_conv3d_backprop_input_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_conv3d_backprop_input(const int32_t *dims, const int32_t *pads,
                                                     const float *dy, const float *filter,
                                                     float *dx) {
    cw_conv3d_backprop_input_args g = {0};
    SET_GEOMETRY_3D(g, dims, pads);
    g.dy = dy, g.filter = filter, g.dx = dx;
    return (int)cw_conv3d_backprop_input_f32(&g);
}
