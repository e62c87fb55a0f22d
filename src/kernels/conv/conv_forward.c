/* cw_conv_forward_f32: validation, the 1x1 GEMM shortcut, and the im2col
 * packing of the implicit GEMM (conv_gemm.c) for NDHWC convolution. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/conv/conv_forward.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/gemm/gemm.h"

#define MR CW_GEMM_MR

typedef struct {
    const float *x;
    float *y;
    size_t C, N;
    int64_t in[3], out[3], f[3], s[3], d[3], p[3];
} fwd_ctx;

/* im2col straight into the micro-kernel's panel: row i is output pixel m+i,
 * column k is tap (kd, ky, kx) = k / C, channel k % C. A tap's channels are
 * one contiguous run of x, or zeros when the tap falls in the padding. */
static void fwd_pack(const void *vctx, size_t group, size_t m, size_t mr, size_t k0, size_t kc,
                     float *panel) {
    const fwd_ctx *c = vctx;
    (void)group;
    const size_t C = c->C, kend = k0 + kc;
    const size_t F1 = (size_t)c->f[1], F2 = (size_t)c->f[2];
    for (size_t i = 0; i < MR; i++) {
        float *dst = panel + i;
        if (i >= mr) {
            for (size_t k = 0; k < kc; k++) dst[k * MR] = 0.0f;
            continue;
        }
        size_t pix = m + i;
        const int64_t ox = (int64_t)(pix % (size_t)c->out[2]);
        pix /= (size_t)c->out[2];
        const int64_t oy = (int64_t)(pix % (size_t)c->out[1]);
        pix /= (size_t)c->out[1];
        const int64_t od = (int64_t)(pix % (size_t)c->out[0]);
        const size_t b = pix / (size_t)c->out[0];
        const int64_t bd = od * c->s[0] - c->p[0], by = oy * c->s[1] - c->p[1],
                      bx = ox * c->s[2] - c->p[2];
        size_t tap = k0 / C, ic = k0 % C;
        size_t kx = tap % F2, ky = (tap / F2) % F1, kd = tap / (F2 * F1);
        for (size_t k = k0; k < kend;) {
            const size_t len = C - ic < kend - k ? C - ic : kend - k;
            const int64_t id = bd + (int64_t)kd * c->d[0], iy = by + (int64_t)ky * c->d[1],
                          ix = bx + (int64_t)kx * c->d[2];
            if ((uint64_t)id < (uint64_t)c->in[0] && (uint64_t)iy < (uint64_t)c->in[1] &&
                (uint64_t)ix < (uint64_t)c->in[2]) {
                const float *src =
                    c->x +
                    (((b * (size_t)c->in[0] + (size_t)id) * (size_t)c->in[1] + (size_t)iy) *
                         (size_t)c->in[2] +
                     (size_t)ix) *
                        C +
                    ic;
                for (size_t j = 0; j < len; j++) dst[j * MR] = src[j];
            } else {
                for (size_t j = 0; j < len; j++) dst[j * MR] = 0.0f;
            }
            dst += len * MR;
            k += len;
            ic = 0;
            if (++kx == F2) {
                kx = 0;
                if (++ky == F1) ky = 0, kd++;
            }
        }
    }
}

static float *fwd_row(const void *vctx, size_t group, size_t m) {
    const fwd_ctx *c = vctx;
    (void)group;
    return c->y + m * c->N;
}

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

static cw_status check_epilogue(const cw_epilogue *ep, int OC, const char *op) {
    if ((int)ep->act < CW_ACT_LINEAR || (int)ep->act > CW_ACT_SIGMOID)
        return cw_error(CW_ERR_INVALID, "%s: unknown activation %d", op, (int)ep->act);
    if (ep->bias_len != 0 && ep->bias_len != 1 && ep->bias_len != OC)
        return cw_error(CW_ERR_INVALID,
                        "%s: bias length %d, expected 0, 1 or the %d output channels", op,
                        ep->bias_len, OC);
    if (ep->bias_len > 0 && !ep->bias) return cw_error(CW_ERR_INVALID, "%s: bias is NULL", op);
    if (ep->act == CW_ACT_PRELU) {
        if (ep->prelu_len != 1 && ep->prelu_len != OC)
            return cw_error(CW_ERR_INVALID,
                            "%s: prelu weights length %d, expected 1 or the %d output channels", op,
                            ep->prelu_len, OC);
        if (!ep->prelu) return cw_error(CW_ERR_INVALID, "%s: prelu weights are NULL", op);
    }
    return CW_OK;
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
    cw_status s = check_epilogue(&a->ep, a->out_c, op);
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

    const int pointwise = a->filter[0] == 1 && a->filter[1] == 1 && a->filter[2] == 1 &&
                          a->stride[0] == 1 && a->stride[1] == 1 && a->stride[2] == 1 &&
                          a->pad[0] == 0 && a->pad[1] == 0 && a->pad[2] == 0 &&
                          a->out[0] == a->in[0] && a->out[1] == a->in[1] && a->out[2] == a->in[2];
    if (pointwise && K > 0 && M <= INT_MAX) {
        cw_matmul_args g;
        memset(&g, 0, sizeof g);
        g.batch = 1, g.M = (int)M, g.N = (int)N, g.K = (int)K;
        g.A = a->x, g.B = a->filter_data, g.packed_b = a->packed_filter;
        g.C = a->y, g.ep = a->ep;
        s = cw_matmul_f32(&g);
        if (s == CW_OK) return CW_OK;
        char msg[256];
        snprintf(msg, sizeof msg, "%s", cw_error_message());
        return cw_error(s, "%s: %s", op, msg);
    }

    fwd_ctx c;
    c.x = a->x, c.y = a->y, c.C = (size_t)a->in_c, c.N = N;
    for (int i = 0; i < 3; i++) {
        c.in[i] = a->in[i], c.out[i] = a->out[i], c.f[i] = a->filter[i];
        c.s[i] = a->stride[i], c.d[i] = a->dilation[i], c.p[i] = a->pad[i];
    }
    float *scratch = NULL;
    const float *pb = a->packed_filter;
    if (K > 0 && !pb) {
        scratch = cw_alloc(cw_gemm_packed_b_floats((int)K, (int)N) * sizeof(float));
        if (!scratch) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
        cw_conv_pack_b(K, N, a->filter_data, scratch);
        pb = scratch;
    }
    cw_conv_group grp = {M, K, pb};
    cw_conv_gemm g;
    memset(&g, 0, sizeof g);
    g.ngroups = 1, g.groups = &grp, g.N = N;
    g.ctx = &c, g.pack = fwd_pack, g.row = fwd_row, g.direct = 1;
    g.ep = a->ep, g.op = op;
    s = cw_conv_gemm_run(&g);
    cw_free(scratch);
    return s;
}
