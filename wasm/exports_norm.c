/* Norm family exports: FusedBatchNorm, LRN, LRNGrad. */
#include <emscripten.h>

#include "cw.h"

/* lens: 5 ints, the element counts of x, mean, variance, offset, scale. */
EMSCRIPTEN_KEEPALIVE int cwasm_batch_norm(const float *x, const float *mean, const float *variance,
                                          const float *offset, const float *scale,
                                          const int32_t *lens, float epsilon, float *out) {
    return cw_norm_batch_norm_f32(x, (size_t)lens[0], mean, lens[1], variance, lens[2], offset,
                                  lens[3], scale, lens[4], epsilon, out);
}

/* The LRN exports' dims: 3 ints, rows, channels, depth_radius. */
EMSCRIPTEN_KEEPALIVE int cwasm_lrn(const float *x, const int32_t *dims, float bias, float alpha,
                                   float beta, float *out) {
    return cw_norm_lrn_f32(x, (size_t)dims[0], dims[1], dims[2], bias, alpha, beta, out);
}

/* LRNGrad: the parameters stay doubles, as the cpu backend computes in them. */
EMSCRIPTEN_KEEPALIVE int cwasm_lrn_grad(const float *x, const float *y, const float *dy,
                                        const int32_t *dims, double bias, double alpha, double beta,
                                        float *dx) {
    const int rows = dims[0];
    if (rows < 0) return cw_error(CW_ERR_INVALID, "LRNGrad: negative row count %d", rows);
    return cw_norm_lrn_grad_f32(x, y, dy, (size_t)rows, dims[1], dims[2], bias, alpha, beta, dx);
}
