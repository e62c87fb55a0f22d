/* cw_conv3d_backprop_filter_f32 (and the 2-D form): dW as one GEMM.
 *
 * dW[(kd, ky, kx, ic)][oc] = sum over output pixels p = (b, od, oy, ox) of
 *     x[b][od*sd - pf + kd*dd][oy*sh - pt + ky*dh][ox*sw - pl + kx*dw][ic] * dy[p][oc]
 * is C[M, N] = A[M, P] x B[P, N] with M = taps * in_c, N = out_c and
 * P = the output pixels: A is the transposed im2col matrix, packed on the
 * fly from x one (MR rows x kc pixels) panel at a time, and B is dy itself
 * (row-major [P, out_c]), packed. The pixels are cut into a fixed number of
 * chunks that depends only on the shape; each chunk is a group of
 * cw_conv_gemm_run with its own partial dW, and the partials are added in
 * chunk order, so the result is bit-identical for any thread count while
 * layers with few taps (a 2x8 filter on one channel) still spread over the
 * pool. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/conv_geometry.h"
#include "core/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/gemm/gemm_driver.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR
#define MAX_CHUNKS 8
#define CHUNK_PIXELS 8192 /* at least this many output pixels per chunk */

typedef struct {
    const cw_conv3d_backprop_filter_args *g;
    const char *op;
    size_t M, OC, chunk; /* rows of dW, columns, pixels per chunk (the last may be shorter) */
    float *partial;      /* [chunks][M][OC], or NULL when dW is written directly */
} bpf_ctx;

/* Panel of rows [m, m + mr) (taps x in_c) and pixels [k0, k0 + kc) of chunk gi. */
static void bpf_pack(const void *vctx, size_t gi, size_t m, size_t mr, size_t k0, size_t kc,
                     float *panel) {
    const bpf_ctx *c = vctx;
    const cw_conv3d_backprop_filter_args *g = c->g;
    const size_t IC = (size_t)g->in_c;
    int64_t zd[MR], zy[MR], zx[MR];
    size_t ic[MR];
    for (size_t i = 0; i < mr; i++) {
        const size_t r = m + i, tap = r / IC;
        ic[i] = r % IC;
        const size_t kx = tap % (size_t)g->filter_w, t2 = tap / (size_t)g->filter_w;
        const size_t ky = t2 % (size_t)g->filter_h, kd = t2 / (size_t)g->filter_h;
        zd[i] = (int64_t)kd * g->dilation_d - g->pad_front;
        zy[i] = (int64_t)ky * g->dilation_h - g->pad_top;
        zx[i] = (int64_t)kx * g->dilation_w - g->pad_left;
    }
    /* the first pixel, then step through (b, od, oy, ox) without divisions */
    size_t p = gi * c->chunk + k0;
    size_t ox = p % (size_t)g->out_w;
    p /= (size_t)g->out_w;
    size_t oy = p % (size_t)g->out_h;
    p /= (size_t)g->out_h;
    size_t od = p % (size_t)g->out_d;
    size_t b = p / (size_t)g->out_d;
    const int64_t ID = g->in_d, IH = g->in_h, IW = g->in_w;
    for (size_t k = 0; k < kc; k++) {
        float *dst = panel + k * MR;
        const int64_t bd = (int64_t)od * g->stride_d, by = (int64_t)oy * g->stride_h,
                      bx = (int64_t)ox * g->stride_w;
        const float *xb = g->x + b * (size_t)(ID * IH * IW) * IC;
        size_t i = 0;
        for (; i < mr; i++) {
            const int64_t iz = bd + zd[i], iy = by + zy[i], ix = bx + zx[i];
            dst[i] = (uint64_t)iz < (uint64_t)ID && (uint64_t)iy < (uint64_t)IH &&
                             (uint64_t)ix < (uint64_t)IW
                         ? xb[(size_t)((iz * IH + iy) * IW + ix) * IC + ic[i]]
                         : 0.0f;
        }
        for (; i < MR; i++) dst[i] = 0.0f;
        if (++ox == (size_t)g->out_w) {
            ox = 0;
            if (++oy == (size_t)g->out_h) {
                oy = 0;
                if (++od == (size_t)g->out_d) od = 0, b++;
            }
        }
    }
}

static float *bpf_row(const void *vctx, size_t gi, size_t m) {
    const bpf_ctx *c = vctx;
    if (!c->partial) return c->g->dw + m * c->OC;
    return c->partial + (gi * c->M + m) * c->OC;
}

typedef struct {
    const bpf_ctx *c;
    size_t chunks;
} sum_job;

/* dW[e] = partial[0][e] + partial[1][e] + ..., in chunk order. */
static void sum_partials(void *vctx, size_t begin, size_t end) {
    const sum_job *j = vctx;
    const size_t n = j->c->M * j->c->OC;
    float *dw = j->c->g->dw;
    for (size_t e = begin; e < end; e++) {
        float s = j->c->partial[e];
        for (size_t q = 1; q < j->chunks; q++) s += j->c->partial[q * n + e];
        dw[e] = s;
    }
}

/* a*b*c*d*e as size_t (zero factors allowed), SIZE_MAX when it overflows. */
static size_t mul5(int a, int b, int c, int d, int e) {
    const int f[5] = {a, b, c, d, e};
    size_t n = 1;
    for (int i = 0; i < 5; i++) {
        if (f[i] == 0) return 0;
        n = cw_mul_size(n, (size_t)f[i]);
        if (!n) return SIZE_MAX;
    }
    return cw_mul_size(n, sizeof(float)) ? n : SIZE_MAX;
}

static cw_status check_args(const cw_conv3d_backprop_filter_args *g, const char *op, int rank) {
    const cw_conv_geometry geo = CW_CONV_GEOMETRY_3D(g, rank, "x", "dy");
    cw_status s = cw_conv_geometry_check(&geo, op);
    if (s != CW_OK) return s;
    /* the packed dy and the partial sums must be addressable too */
    const size_t p_n = mul5(g->batch, g->out_d, g->out_h, g->out_w, 1);
    const size_t oc_padded = ((size_t)g->out_c + NR - 1) / NR * NR;
    const size_t m_n = mul5(g->filter_d, g->filter_h, g->filter_w, g->in_c, g->out_c);
    if (!cw_mul_size(cw_mul_size(p_n ? p_n : 1, oc_padded ? oc_padded : 1), sizeof(float)) ||
        !cw_mul_size(m_n ? m_n : 1, MAX_CHUNKS * sizeof(float)))
        return cw_error(CW_ERR_INVALID, "%s: scratch for %zu pixels x %zu channels overflows", op,
                        p_n, oc_padded);
    return CW_OK;
}

static cw_status backprop_filter(const cw_conv3d_backprop_filter_args *g, const char *op,
                                 int rank) {
    if (!g) return cw_error(CW_ERR_INVALID, "%s: args is NULL", op);
    cw_status s = check_args(g, op, rank);
    if (s != CW_OK) return s;
    const size_t taps = (size_t)g->filter_d * (size_t)g->filter_h * (size_t)g->filter_w;
    const size_t M = taps * (size_t)g->in_c, OC = (size_t)g->out_c;
    if (M == 0 || OC == 0) return CW_OK;
    if (!g->dw) return cw_error(CW_ERR_INVALID, "%s: dw is NULL", op);
    const size_t P = (size_t)g->batch * (size_t)g->out_d * (size_t)g->out_h * (size_t)g->out_w;
    if (P == 0) {
        memset(g->dw, 0, M * OC * sizeof(float));
        return CW_OK;
    }
    if (!g->x || !g->dy) return cw_error(CW_ERR_INVALID, "%s: x or dy is NULL", op);

    bpf_ctx c;
    memset(&c, 0, sizeof c);
    c.g = g, c.op = op, c.M = M, c.OC = OC;
    size_t chunks = cw_min_size(MAX_CHUNKS, (P + CHUNK_PIXELS - 1) / CHUNK_PIXELS);
    c.chunk = (P + chunks - 1) / chunks;
    chunks = (P + c.chunk - 1) / c.chunk;
    const size_t panels = (OC + NR - 1) / NR;

    cw_conv_group groups[MAX_CHUNKS];
    float *packed = cw_alloc(P * panels * NR * sizeof(float));
    float *partial = chunks > 1 ? cw_alloc(chunks * M * OC * sizeof(float)) : NULL;
    if (!packed || (chunks > 1 && !partial)) {
        s = cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
        goto end;
    }
    c.partial = partial;
    for (size_t q = 0; q < chunks; q++) {
        const size_t p0 = q * c.chunk, len = cw_min_size(c.chunk, P - p0);
        groups[q].M = M;
        groups[q].K = len;
        groups[q].pb = packed + p0 * panels * NR;
        cw_conv_pack_b(len, OC, g->dy + p0 * OC, packed + p0 * panels * NR);
    }
    cw_conv_gemm run;
    memset(&run, 0, sizeof run);
    run.ngroups = chunks, run.groups = groups, run.N = OC;
    run.ctx = &c, run.pack = bpf_pack, run.row = bpf_row;
    run.direct = 1;
    run.op = op;
    s = cw_conv_gemm_run(&run);
    if (s == CW_OK && partial) {
        sum_job j = {&c, chunks};
        cw_parallel_for(M * OC, 4096, sum_partials, &j);
    }
end:
    cw_free(packed);
    cw_free(partial);
    return s;
}

cw_status cw_conv3d_backprop_filter_f32(const cw_conv3d_backprop_filter_args *args) {
    return backprop_filter(args, "Conv3DBackpropFilterV2", 3);
}

cw_status cw_conv2d_backprop_filter_f32(const cw_conv3d_backprop_filter_args *args) {
    return backprop_filter(args, "Conv2DBackpropFilter", 2);
}
