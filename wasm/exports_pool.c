/* Pool family exports: MaxPool, AvgPool, MaxPool3D, AvgPool3D, MaxPoolWithArgmax. */
#include <emscripten.h>

#include "cw.h"

/* geom points at 23 ints: batch, channels, then seven (depth, height,
 * width) triples: in, filter, stride, dilation, pad_before, pad_after, out.
 * 2-D pools pass depth 1 (pads 0). */
static cw_pool_geom geom_of(const int32_t *geom) {
    cw_pool_geom g;
    g.batch = geom[0], g.channels = geom[1];
    for (int i = 0; i < 3; i++) {
        g.in[i] = geom[2 + i], g.filter[i] = geom[5 + i], g.stride[i] = geom[8 + i];
        g.dilation[i] = geom[11 + i], g.pad_before[i] = geom[14 + i];
        g.pad_after[i] = geom[17 + i], g.out[i] = geom[20 + i];
    }
    return g;
}

/* y = max or mean pool of x; op is a cw_pool_op. x [batch, in_d, in_h, in_w,
 * channels], y [batch, out_d, out_h, out_w, channels]. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_pool(int op, const int32_t *geom, const float *x, float *y) {
    const cw_pool_geom g = geom_of(geom);
    return (int)cw_pool_f32((cw_pool_op)op, &g, x, y);
}

/* MaxPoolWithArgmax: y as cwasm_pool(MAX_2D) and idx the position of each
 * maximum; mode is a cw_pool_index. y may be 0. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_max_pool_with_argmax(int mode, const int32_t *geom, const float *x,
                                                    float *y, int32_t *idx) {
    const cw_pool_geom g = geom_of(geom);
    return (int)cw_pool_max_argmax_f32(&g, (cw_pool_index)mode, x, y, idx);
}

/* dx of pool op `op` (a cw_pool_op naming the forward pool) from dy, with
 * the forward input x (max pooling; may be 0 for avg). See cw_pool_grad_f32. */
EMSCRIPTEN_KEEPALIVE int cwasm_pool_grad(int op, const int32_t *geom, const float *x,
                                         const float *dy, float *dx) {
    const cw_pool_geom g = geom_of(geom);
    return (int)cw_pool_grad_f32((cw_pool_op)op, &g, x, dy, dx);
}
