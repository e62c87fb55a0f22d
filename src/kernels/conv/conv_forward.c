/* cw_conv_forward_f32: validation and planning of the NDHWC forward
 * convolution, which runs as the indirect GEMM of conv_igemm.c. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/conv_geometry.h"
#include "kernels/conv/conv_forward.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/conv/conv_igemm.h"
#include "kernels/gemm/gemm_driver.h"

static int any_below(const int *v, int lo) { return v[0] < lo || v[1] < lo || v[2] < lo; }

static cw_status check_args(const cw_conv_nd_args *a, const char *op, int rank) {
    cw_conv_geometry geo = {
        .rank = rank,
        .batch = a->batch,
        .in_c = a->in_c,
        .out_c = a->out_c,
        .filter_c = {a->in_c, a->out_c},
        .in_name = "input",
        .out_name = "output",
    };
    for (int i = 0; i < 3; i++) {
        geo.in[i] = a->in[i], geo.out[i] = a->out[i], geo.filter[i] = a->filter[i];
        geo.stride[i] = a->stride[i], geo.dilation[i] = a->dilation[i], geo.pad[i] = a->pad[i];
    }
    cw_status s = cw_conv_geometry_check(&geo, op);
    if (s != CW_OK) return s;
    s = cw_epilogue_check(&a->ep, a->out_c, op, 1);
    if (s != CW_OK) return s;
    /* the GEMM's K is an int, and the packed filter pads out_c to panels */
    const int64_t K = (int64_t)a->filter[0] * a->filter[1] * a->filter[2] * a->in_c;
    if (K > INT_MAX)
        return cw_error(CW_ERR_INVALID, "%s: filter taps x %d input channels = %lld overflows int",
                        op, a->in_c, (long long)K);
    if (K > 0 && a->out_c > 0 && !cw_mul_size(cw_gemm_packed_b_floats((int)K, a->out_c), 4))
        return cw_error(CW_ERR_INVALID, "%s: packed filter (%lld x %d) overflows", op, (long long)K,
                        a->out_c);
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
