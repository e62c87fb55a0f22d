/* Pool family exports: MaxPool, AvgPool, MaxPool3D, AvgPool3D, MaxPoolWithArgmax
 * and the four pooling gradients. */
#include <emscripten.h>

#include "cw.h"

/* Each geometry pointer is three ints (depth, height, width); 2-D pools pass
 * depth 1 (pads 0). */
static cw_pool_geom geom_of(int batch, int channels, const int *in, const int *filter,
                            const int *stride, const int *dilation, const int *pad_before,
                            const int *pad_after, const int *out) {
    cw_pool_geom g;
    g.batch = batch, g.channels = channels;
    for (int i = 0; i < 3; i++) {
        g.in[i] = in[i], g.filter[i] = filter[i], g.stride[i] = stride[i];
        g.dilation[i] = dilation[i], g.pad_before[i] = pad_before[i];
        g.pad_after[i] = pad_after[i], g.out[i] = out[i];
    }
    return g;
}

/* y = max or mean pool of x; op is a cw_pool_op. x [batch, in_d, in_h, in_w,
 * channels], y [batch, out_d, out_h, out_w, channels]. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_pool(int op, int batch, int channels, const int *in,
                                    const int *filter, const int *stride, const int *dilation,
                                    const int *pad_before, const int *pad_after, const int *out,
                                    const float *x, float *y) {
    const cw_pool_geom g =
        geom_of(batch, channels, in, filter, stride, dilation, pad_before, pad_after, out);
    return (int)cw_pool_f32((cw_pool_op)op, &g, x, y);
}

/* MaxPoolWithArgmax: y as cwasm_pool(MAX_2D) and idx the position of each
 * maximum; mode is a cw_pool_index. y may be 0. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_max_pool_with_argmax(int mode, int batch, int channels,
                                                    const int *in, const int *filter,
                                                    const int *stride, const int *dilation,
                                                    const int *pad_before, const int *pad_after,
                                                    const int *out, const float *x, float *y,
                                                    int32_t *idx) {
    const cw_pool_geom g =
        geom_of(batch, channels, in, filter, stride, dilation, pad_before, pad_after, out);
    return (int)cw_pool_max_argmax_f32(&g, (cw_pool_index)mode, x, y, idx);
}

/* dx of cwasm_pool's op from dy (x is read by the max ops only); dx
 * [batch, in_d, in_h, in_w, channels]. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_pool_grad(int op, int batch, int channels, const int *in,
                                         const int *filter, const int *stride, const int *dilation,
                                         const int *pad_before, const int *pad_after,
                                         const int *out, const float *x, const float *dy,
                                         float *dx) {
    const cw_pool_geom g =
        geom_of(batch, channels, in, filter, stride, dilation, pad_before, pad_after, out);
    return (int)cw_pool_grad_f32((cw_pool_op)op, &g, x, dy, dx);
}
