/* Norm family exports: FusedBatchNorm, LRN, LRNGrad. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_batch_norm(const float *x, int n, const float *mean, int mean_len,
                                          const float *variance, int variance_len,
                                          const float *offset, int offset_len, const float *scale,
                                          int scale_len, float epsilon, float *out) {
    return cw_norm_batch_norm_f32(x, (size_t)n, mean, mean_len, variance, variance_len, offset,
                                  offset_len, scale, scale_len, epsilon, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_lrn(const float *x, int rows, int channels, int depth_radius,
                                   float bias, float alpha, float beta, float *out) {
    return cw_norm_lrn_f32(x, (size_t)rows, channels, depth_radius, bias, alpha, beta, out);
}

/* LRNGrad: the parameters stay doubles, as the cpu backend computes in them. */
EMSCRIPTEN_KEEPALIVE int cwasm_lrn_grad(const float *x, const float *y, const float *dy, int rows,
                                        int channels, int depth_radius, double bias, double alpha,
                                        double beta, float *dx) {
    if (rows < 0) return cw_error(CW_ERR_INVALID, "LRNGrad: negative row count %d", rows);
    return cw_norm_lrn_grad_f32(x, y, dy, (size_t)rows, channels, depth_radius, bias, alpha, beta,
                                dx);
}
