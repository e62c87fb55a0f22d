/* cw_conv2d_backprop_input_f32: dx as a gather GEMM per output phase.
 *
 * dx pixel (iy, ix) receives tap ky from dy row oy = (iy + pad_top - ky*dh) / sh
 * only when that division is exact, i.e. when ky*dh - pad_top = iy (mod sh).
 * So the pixels of one phase (iy mod sh, ix mod sw) = (ry, rx) all use the
 * same taps: each phase is one GEMM [pixels, taps*out_c] x [taps*out_c, in_c]
 * with B = the filter's taps of that phase, transposed per tap, and A the
 * dy values those taps read (zero past dy's border). Strided transposed
 * convolutions thus never multiply the zeros a dilated dy would contain. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/conv_geometry.h"
#include "core/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/gemm/gemm.h"

#define OP "Conv2DBackpropInput"
#define MR CW_GEMM_MR
#define NR CW_GEMM_NR

typedef struct {
    const cw_conv2d_backprop_input_args *g;
    size_t IC, OC, panels;
    int64_t sh, sw, dh, dw, pt, pl;
    size_t phases_x;         /* phases per row of the phase grid: min(sw, in_w) */
    const int *ty, *tx;      /* taps of every phase, grouped by phase */
    const size_t *ty0, *tyn; /* phase ry: taps ty[ty0[ry] .. ty0[ry] + tyn[ry]) */
    const size_t *tx0, *txn;
    const cw_conv_group *groups;
    float *packed; /* all groups' B, group i at groups[i].pb */
} bwd_ctx;

/* The dx pixel of row m of phase group gi. */
static void bwd_pixel(const bwd_ctx *c, size_t gi, size_t m, size_t *b, int64_t *iy, int64_t *ix) {
    const cw_conv2d_backprop_input_args *g = c->g;
    const size_t ry = gi / c->phases_x, rx = gi % c->phases_x;
    const size_t ph = ((size_t)g->in_h - ry + (size_t)c->sh - 1) / (size_t)c->sh;
    const size_t pw = ((size_t)g->in_w - rx + (size_t)c->sw - 1) / (size_t)c->sw;
    *b = m / (ph * pw);
    const size_t r = m % (ph * pw);
    *iy = (int64_t)ry + (int64_t)(r / pw) * c->sh;
    *ix = (int64_t)rx + (int64_t)(r % pw) * c->sw;
}

static void bwd_pack(const void *vctx, size_t gi, size_t m, size_t mr, size_t k0, size_t kc,
                     float *panel) {
    const bwd_ctx *c = vctx;
    const cw_conv2d_backprop_input_args *g = c->g;
    const size_t OC = c->OC, kend = k0 + kc;
    const size_t ry = gi / c->phases_x, rx = gi % c->phases_x;
    const int *kys = c->ty + c->ty0[ry], *kxs = c->tx + c->tx0[rx];
    const size_t nx = c->txn[rx];
    for (size_t i = 0; i < MR; i++) {
        float *dst = panel + i;
        if (i >= mr) {
            for (size_t k = 0; k < kc; k++) dst[k * MR] = 0.0f;
            continue;
        }
        size_t b;
        int64_t iy, ix;
        bwd_pixel(c, gi, m + i, &b, &iy, &ix);
        const size_t t = k0 / OC;
        size_t oc = k0 % OC, ay = t / nx, ax = t % nx;
        for (size_t k = k0; k < kend;) {
            const size_t len = OC - oc < kend - k ? OC - oc : kend - k;
            /* exact divisions: the phase holds only taps that land on the stride grid */
            const int64_t oy = (iy + c->pt - (int64_t)kys[ay] * c->dh) / c->sh;
            const int64_t ox = (ix + c->pl - (int64_t)kxs[ax] * c->dw) / c->sw;
            if ((uint64_t)oy < (uint64_t)g->out_h && (uint64_t)ox < (uint64_t)g->out_w) {
                const float *src =
                    g->dy +
                    ((b * (size_t)g->out_h + (size_t)oy) * (size_t)g->out_w + (size_t)ox) * OC + oc;
                for (size_t j = 0; j < len; j++) dst[j * MR] = src[j];
            } else {
                for (size_t j = 0; j < len; j++) dst[j * MR] = 0.0f;
            }
            dst += len * MR;
            k += len;
            oc = 0;
            if (++ax == nx) ax = 0, ay++;
        }
    }
}

static float *bwd_row(const void *vctx, size_t gi, size_t m) {
    const bwd_ctx *c = vctx;
    size_t b;
    int64_t iy, ix;
    bwd_pixel(c, gi, m, &b, &iy, &ix);
    return c->g->dx +
           ((b * (size_t)c->g->in_h + (size_t)iy) * (size_t)c->g->in_w + (size_t)ix) * c->IC;
}

/* B of phase group gi, packed: row k = (tap (ay, ax), oc), column ic holds
 * filter[ky][kx][ic][oc]; columns past in_c zero. */
static void bwd_pack_groups(void *vctx, size_t begin, size_t end) {
    const bwd_ctx *c = vctx;
    const cw_conv2d_backprop_input_args *g = c->g;
    const size_t IC = c->IC, OC = c->OC;
    for (size_t gi = begin; gi < end; gi++) {
        const cw_conv_group *grp = &c->groups[gi];
        if (grp->K == 0) continue;
        const size_t ry = gi / c->phases_x, rx = gi % c->phases_x;
        const size_t ny = c->tyn[ry], nx = c->txn[rx];
        float *out = (float *)grp->pb;
        for (size_t pp = 0; pp < c->panels; pp++)
            for (size_t ay = 0; ay < ny; ay++)
                for (size_t ax = 0; ax < nx; ax++) {
                    const size_t tap = (size_t)c->ty[c->ty0[ry] + ay] * (size_t)g->filter_w +
                                       (size_t)c->tx[c->tx0[rx] + ax];
                    const float *w = g->filter + tap * IC * OC;
                    for (size_t oc = 0; oc < OC; oc++, out += NR)
                        for (size_t j = 0; j < NR; j++) {
                            const size_t ic = pp * NR + j;
                            out[j] = ic < IC ? w[ic * OC + oc] : 0.0f;
                        }
                }
    }
}

/* Sorts taps 0..f-1 by phase ((k*dil - pad) mod stride), keeping those of
 * the first `phases` phases: taps[start[r] .. start[r] + count[r]) is phase r. */
static void taps_by_phase(int f, int64_t dil, int64_t pad, int64_t stride, size_t phases, int *taps,
                          size_t *start, size_t *count) {
    for (size_t r = 0; r < phases; r++) count[r] = 0;
    for (int k = 0; k < f; k++) {
        const size_t r = (size_t)((((int64_t)k * dil - pad) % stride + stride) % stride);
        if (r < phases) count[r]++;
    }
    size_t at = 0;
    for (size_t r = 0; r < phases; r++) start[r] = at, at += count[r], count[r] = 0;
    for (int k = 0; k < f; k++) {
        const size_t r = (size_t)((((int64_t)k * dil - pad) % stride + stride) % stride);
        if (r < phases) taps[start[r] + count[r]++] = k;
    }
}

static cw_status check_args(const cw_conv2d_backprop_input_args *g) {
    cw_conv_geometry geo = CW_CONV_GEOMETRY_2D(g, g->out_c);
    geo.in_name = "dx", geo.out_name = "dy";
    cw_status s = cw_conv_geometry_check(&geo, OP);
    if (s != CW_OK) return s;
    /* the filter packed per phase: in_c padded to panels */
    const size_t panels = ((size_t)g->in_c + NR - 1) / NR;
    if (g->in_c && g->out_c &&
        !cw_mul_size(cw_mul_size(cw_mul_size(panels, NR),
                                 (size_t)g->filter_h * g->filter_w * (size_t)g->out_c),
                     sizeof(float)))
        return cw_error(CW_ERR_INVALID, OP ": packed filter [%d, %d, %d, %d] overflows",
                        g->filter_h, g->filter_w, g->in_c, g->out_c);
    return CW_OK;
}

cw_status cw_conv2d_backprop_input_f32(const cw_conv2d_backprop_input_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, OP ": args is NULL");
    cw_status s = check_args(g);
    if (s != CW_OK) return s;
    if (g->batch == 0 || g->in_h == 0 || g->in_w == 0 || g->in_c == 0) return CW_OK;
    if (!g->dx) return cw_error(CW_ERR_INVALID, OP ": dx is NULL");
    const int has_dy = g->out_h > 0 && g->out_w > 0 && g->out_c > 0;
    if (has_dy && !g->dy) return cw_error(CW_ERR_INVALID, OP ": dy is NULL");
    if (g->out_c > 0 && !g->filter) return cw_error(CW_ERR_INVALID, OP ": filter is NULL");

    bwd_ctx c;
    memset(&c, 0, sizeof c);
    c.g = g;
    c.IC = (size_t)g->in_c, c.OC = (size_t)g->out_c;
    c.panels = (c.IC + NR - 1) / NR;
    c.sh = g->stride_h, c.sw = g->stride_w, c.dh = g->dilation_h, c.dw = g->dilation_w;
    c.pt = g->pad_top, c.pl = g->pad_left;
    const size_t py = g->stride_h < g->in_h ? (size_t)g->stride_h : (size_t)g->in_h;
    const size_t px = g->stride_w < g->in_w ? (size_t)g->stride_w : (size_t)g->in_w;
    c.phases_x = px;
    const size_t ngroups = py * px;

    int *taps = cw_alloc(((size_t)g->filter_h + (size_t)g->filter_w) * sizeof(int));
    size_t *idx = cw_alloc(4 * (py + px) * sizeof(size_t));
    cw_conv_group *groups = cw_alloc(ngroups * sizeof(cw_conv_group));
    float *packed = NULL;
    if (!taps || !idx || !groups) {
        s = cw_error(CW_ERR_NOMEM, OP ": out of memory");
        goto end;
    }
    c.ty = taps, c.tx = taps + g->filter_h;
    c.ty0 = idx, c.tyn = idx + py, c.tx0 = idx + 2 * py, c.txn = idx + 2 * py + px;
    taps_by_phase(g->filter_h, c.dh, c.pt, c.sh, py, taps, idx, idx + py);
    taps_by_phase(g->filter_w, c.dw, c.pl, c.sw, px, taps + g->filter_h, idx + 2 * py,
                  idx + 2 * py + px);

    size_t total = 0;
    for (size_t gi = 0; gi < ngroups; gi++) {
        const size_t ry = gi / px, rx = gi % px;
        const size_t ph = ((size_t)g->in_h - ry + (size_t)c.sh - 1) / (size_t)c.sh;
        const size_t pw = ((size_t)g->in_w - rx + (size_t)c.sw - 1) / (size_t)c.sw;
        groups[gi].M = (size_t)g->batch * ph * pw;
        groups[gi].K = has_dy ? c.tyn[ry] * c.txn[rx] * c.OC : 0;
        total += groups[gi].K;
    }
    if (total) {
        packed = cw_alloc(total * c.panels * NR * sizeof(float));
        if (!packed) {
            s = cw_error(CW_ERR_NOMEM, OP ": out of memory");
            goto end;
        }
    }
    size_t at = 0;
    for (size_t gi = 0; gi < ngroups; gi++) {
        groups[gi].pb = groups[gi].K ? packed + at : NULL;
        at += groups[gi].K * c.panels * NR;
    }
    c.groups = groups, c.packed = packed;
    if (total) cw_parallel_for(ngroups, 1, bwd_pack_groups, &c);

    cw_conv_gemm run;
    memset(&run, 0, sizeof run);
    run.ngroups = ngroups, run.groups = groups, run.N = c.IC;
    run.ctx = &c, run.pack = bwd_pack, run.row = bwd_row;
    run.direct = g->stride_h == 1 && g->stride_w == 1;
    run.op = OP;
    s = cw_conv_gemm_run(&run);
end:
    cw_free(taps);
    cw_free(idx);
    cw_free(groups);
    cw_free(packed);
    return s;
}
