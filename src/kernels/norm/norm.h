/* Normalisation kernels of TF.js: FusedBatchNorm (inference form) and LRN. */
#ifndef CW_KERNELS_NORM_NORM_H
#define CW_KERNELS_NORM_NORM_H

#include <stddef.h>

#include "core/status.h"

/* out[i] = offset[i % offset_len]
 *        + (x[i] - mean[i % mean_len]) * scale[i % scale_len]
 *          / sqrt(variance[i % variance_len] + epsilon)   for i in [0, n),
 * the parameter broadcast of tfjs-backend-cpu (lengths 1 or the last
 * dimension in practice; any positive length works). offset / scale may be
 * NULL with length 0, meaning 0 / 1. float32; x and out may alias.
 * Parallel over element blocks; each element is computed the same way for
 * any split. Scratch: three floats per element of one parameter period. */
cw_status cw_norm_batch_norm_f32(const float *x, size_t n, const float *mean, int mean_len,
                                 const float *variance, int variance_len, const float *offset,
                                 int offset_len, const float *scale, int scale_len, float epsilon,
                                 float *out);

/* Local response normalisation along the last axis of [rows, channels]:
 * out[r][c] = x[r][c] * (bias + alpha * sum of x[r][j]^2 over
 *             j in [c - depth_radius, c + depth_radius] ∩ [0, channels))^-beta,
 * the sum and the power in double as tfjs-backend-cpu does. Parallel over
 * rows (serial loop: for r: row(r)). x and out must not alias. */
cw_status cw_norm_lrn_f32(const float *x, size_t rows, int channels, int depth_radius, float bias,
                          float alpha, float beta, float *out);

/* LRNGrad along the last axis of [rows, channels], from x, y = LRN(x) and dy:
 * with N_o = bias + alpha * (sum of x^2 over channel o's window),
 * dx[k] = sum over the channels o whose window holds k of
 *         dy[o] * ([k == o] * N_o^-beta - 2 * alpha * beta * x[k] * y[o] / N_o),
 * every term in double and dx updated in float32 in ascending o, exactly as
 * tfjs-backend-cpu does (so the parameters are doubles). Parallel over rows
 * (serial loop: for r: row(r)); dx must not alias an input. */
cw_status cw_norm_lrn_grad_f32(const float *x, const float *y, const float *dy, size_t rows,
                               int channels, int depth_radius, double bias, double alpha,
                               double beta, float *dx);

#endif
