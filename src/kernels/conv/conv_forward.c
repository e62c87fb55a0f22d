/* cw_conv_forward_f32: validation and planning of the NDHWC forward
 * convolution, which runs as the indirect GEMM of conv_igemm.c. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/conv/conv_forward.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/conv/conv_igemm.h"
#include "kernels/gemm/gemm_driver.h"

/* "h x w" or "d x h x w" */
static const char *dims(char *buf, size_t n, const int *v, int rank) {
    if (rank == 2)
        snprintf(buf, n, "%d x %d", v[1], v[2]);
    else
        snprintf(buf, n, "%d x %d x %d", v[0], v[1], v[2]);
    return buf;
}

static int any_below(const int *v, int lo) { return v[0] < lo || v[1] < lo || v[2] < lo; }

/* Floats of the product of n factors (all >= 0), or 0 if its byte count overflows. */
static size_t floats_of(const int *v, int n) {
    size_t r = 1;
    for (int i = 0; i < n; i++) {
        r = cw_mul_size(r, (size_t)v[i]);
        if (r == 0) return 0;
    }
    return cw_mul_size(r, sizeof(float)) ? r : 0;
}

static cw_status check_args(const cw_conv_nd_args *a, const char *op, int rank) {
    char b1[64], b2[64];
    if (a->batch < 0 || a->in_c < 0 || any_below(a->in, 0))
        return cw_error(CW_ERR_INVALID, "%s: negative input shape (batch %d, %s, %d channels)", op,
                        a->batch, dims(b1, sizeof b1, a->in, rank), a->in_c);
    if (a->out_c < 0 || any_below(a->out, 0))
        return cw_error(CW_ERR_INVALID, "%s: negative output shape (%s, %d channels)", op,
                        dims(b1, sizeof b1, a->out, rank), a->out_c);
    if (any_below(a->filter, 1))
        return cw_error(CW_ERR_INVALID,
                        "%s: filter size %s, expected at least 1 in every dimension", op,
                        dims(b1, sizeof b1, a->filter, rank));
    if (any_below(a->stride, 1))
        return cw_error(CW_ERR_INVALID, "%s: strides %s, expected >= 1", op,
                        dims(b1, sizeof b1, a->stride, rank));
    if (any_below(a->dilation, 1))
        return cw_error(CW_ERR_INVALID, "%s: dilations %s, expected >= 1", op,
                        dims(b1, sizeof b1, a->dilation, rank));
    if (any_below(a->pad, 0))
        return cw_error(CW_ERR_INVALID, "%s: padding %s (%s), expected >= 0", op,
                        dims(b1, sizeof b1, a->pad, rank),
                        rank == 2 ? "top x left" : "front x top x left");
    cw_status s = cw_epilogue_check(&a->ep, a->out_c, op, 1);
    if (s != CW_OK) return s;
    const int xs[5] = {a->batch, a->in[0], a->in[1], a->in[2], a->in_c};
    const int ys[5] = {a->batch, a->out[0], a->out[1], a->out[2], a->out_c};
    const int fs[5] = {a->filter[0], a->filter[1], a->filter[2], a->in_c, a->out_c};
    if (a->batch && a->out_c && !any_below(a->out, 1) && !floats_of(ys, 5))
        return cw_error(CW_ERR_INVALID, "%s: output size (batch %d, %s, %d channels) overflows", op,
                        a->batch, dims(b1, sizeof b1, a->out, rank), a->out_c);
    if (a->batch && a->in_c && !any_below(a->in, 1) && !floats_of(xs, 5))
        return cw_error(CW_ERR_INVALID, "%s: input size (batch %d, %s, %d channels) overflows", op,
                        a->batch, dims(b1, sizeof b1, a->in, rank), a->in_c);
    const int64_t K = (int64_t)a->filter[0] * a->filter[1] * a->filter[2] * a->in_c;
    if (K > INT_MAX || (a->in_c && a->out_c && !floats_of(fs, 5)) ||
        (K > 0 && a->out_c > 0 && !cw_mul_size(cw_gemm_packed_b_floats((int)K, a->out_c), 4)))
        return cw_error(CW_ERR_INVALID, "%s: filter size %s x %d x %d overflows", op,
                        dims(b2, sizeof b2, a->filter, rank), a->in_c, a->out_c);
    return CW_OK;
}

cw_status cw_conv_forward_f32(const cw_conv_nd_args *a, const char *op, int rank) {
    if (!a) return cw_error(CW_ERR_INVALID, "%s: args is NULL", op);
    cw_status s = check_args(a, op, rank);
    if (s != CW_OK) return s;
    const size_t M = (size_t)a->batch * (size_t)a->out[0] * (size_t)a->out[1] * (size_t)a->out[2];
    const size_t N = (size_t)a->out_c;
    const size_t K = (size_t)a->filter[0] * a->filter[1] * a->filter[2] * (size_t)a->in_c;
    if (M == 0 || N == 0) return CW_OK;
    if (!a->y) return cw_error(CW_ERR_INVALID, "%s: y is NULL", op);
    const int has_input = a->batch > 0 && a->in_c > 0 && !any_below(a->in, 1);
    if (K > 0 && !a->filter_data && !a->packed_filter)
        return cw_error(CW_ERR_INVALID, "%s: filter and packed filter are NULL", op);
    if (has_input && K > 0 && !a->x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", op);

    if (K == 0) { /* no taps: every pixel is act(bias) */
        for (size_t m = 0; m < M; m++) cw_gemm_bias_row(&a->ep, a->y + m * N, N, 0);
        return CW_OK;
    }
    float *scratch = NULL;
    const float *pb = a->packed_filter;
    if (!pb) {
        scratch = cw_alloc(cw_gemm_packed_b_floats((int)K, (int)N) * sizeof(float));
        if (!scratch) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
        cw_conv_pack_b(K, N, a->filter_data, scratch);
        pb = scratch;
    }
    /* Every convolution runs as the indirect GEMM (conv_igemm.c), 1x1 ones
     * included: reading A through pixel pointers costs less than copying it
     * into panels (im2col) or packing it for cw_matmul_f32. */
    cw_conv_igemm ig;
    memset(&ig, 0, sizeof ig);
    ig.x = a->x, ig.pb = pb, ig.y = a->y;
    ig.batch = (size_t)a->batch, ig.C = (size_t)a->in_c, ig.N = N;
    for (int i = 0; i < 3; i++) {
        ig.in[i] = a->in[i], ig.out[i] = a->out[i], ig.f[i] = a->filter[i];
        ig.s[i] = a->stride[i], ig.d[i] = a->dilation[i], ig.p[i] = a->pad[i];
    }
    ig.ep = a->ep, ig.op = op;
    s = cw_conv_igemm_run(&ig);
    cw_free(scratch);
    return s;
}
