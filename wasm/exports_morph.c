/* Morphology exports: Dilation2D and its gradients. */
#include <emscripten.h>

#include "cw.h"

/* geom: batch, in_h, in_w, channels, filter_h, filter_w, out_h, out_w,
 * stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left. */
EMSCRIPTEN_KEEPALIVE int cwasm_dilation2d(const int32_t *geom, const float *x, const float *filter,
                                          float *y) {
    cw_dilation2d_geom g = {geom[0], geom[1], geom[2], geom[3],  geom[4],  geom[5],  geom[6],
                            geom[7], geom[8], geom[9], geom[10], geom[11], geom[12], geom[13]};
    return cw_dilation2d_f32(&g, x, filter, y);
}

/* Dilation2DBackpropInput (for_filter 0: out is dx, x's shape) or
 * Dilation2DBackpropFilter (1: out is the filter's shape); geom as above. */
EMSCRIPTEN_KEEPALIVE int cwasm_dilation2d_backprop(int for_filter, const int32_t *geom,
                                                   const float *x, const float *filter,
                                                   const float *dy, float *out) {
    cw_dilation2d_geom g = {geom[0], geom[1], geom[2], geom[3],  geom[4],  geom[5],  geom[6],
                            geom[7], geom[8], geom[9], geom[10], geom[11], geom[12], geom[13]};
    return for_filter ? cw_dilation2d_backprop_filter_f32(&g, x, filter, dy, out)
                      : cw_dilation2d_backprop_input_f32(&g, x, filter, dy, out);
}
