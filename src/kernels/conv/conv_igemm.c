/* cw_conv_igemm_run: the forward convolution as an indirect GEMM.
 * A task is (tile of MT output pixels, block of NC output channels). It
 * builds the tile's indirection buffer once (4 row pointers per tap per
 * quad of pixels: x + pixel base + tap offset, or a zero row for taps in
 * the padding), then runs the micro-kernel over B panels (outer, so a
 * K x NR panel stays in L1) x pixel quads (inner). The whole K is summed
 * in registers: no K blocks, no partial sums in memory. */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/conv/conv_igemm.h"
#include "kernels/gemm/gemm_driver.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR
#define MT 64  /* output pixels per tile */
#define NC 256 /* output channels per task */
#define ZEROS 256

static const float zeros[ZEROS]; /* the zero row of padding taps when C <= ZEROS */

typedef struct {
    const cw_conv_igemm *g;
    size_t taps, K, M, mt, nc, n_blocks;
    const int64_t *tap;    /* [taps][3]: kd*d0, ky*d1, kx*d2 */
    const int64_t *toff;   /* [taps]: offset in floats of the tap from its pixel's corner */
    const ptrdiff_t *doff; /* toff for the kernel (fits whenever a pixel is inside) */
    int64_t reach[3];      /* (f - 1) * d: the last tap of each dimension */
    const float *zero;     /* C zeros */
    cw_gemm_epilogue ep;
    atomic_int nomem;
} igemm_plan;

/* Fills quad q's pointers at ind + q*taps*4 for the pixels m0 + 4q + i <
 * m0 + mc: when all of the quad's pixels have every tap inside the image,
 * just their 4 corners (qoff[q] = 1: the kernel adds the tap offsets);
 * otherwise 4 pointers per tap, a zero row for taps in the padding. Rows
 * past mc repeat row 0 (computed, never stored). */
static void build_indirection(const igemm_plan *p, size_t m0, size_t mc, const float **ind,
                              unsigned char *qoff) {
    const cw_conv_igemm *g = p->g;
    const size_t taps = p->taps, quads = (mc + MR - 1) / MR;
    size_t pix = m0;
    int64_t ox = (int64_t)(pix % (size_t)g->out[2]);
    pix /= (size_t)g->out[2];
    int64_t oy = (int64_t)(pix % (size_t)g->out[1]);
    pix /= (size_t)g->out[1];
    int64_t od = (int64_t)(pix % (size_t)g->out[0]);
    int64_t b = (int64_t)(pix / (size_t)g->out[0]);
    const int64_t C = (int64_t)g->C;
    for (size_t q = 0; q < quads; q++) {
        int64_t corner[MR], start[MR][3];
        int inside = 1;
        const size_t rows = cw_min_size(MR, mc - q * MR);
        for (size_t i = 0; i < rows; i++) {
            const int64_t bd = od * g->s[0] - g->p[0], by = oy * g->s[1] - g->p[1],
                          bx = ox * g->s[2] - g->p[2];
            start[i][0] = bd, start[i][1] = by, start[i][2] = bx;
            corner[i] = (((b * g->in[0] + bd) * g->in[1] + by) * g->in[2] + bx) * C;
            inside &= bd >= 0 && by >= 0 && bx >= 0 && bd + p->reach[0] < g->in[0] &&
                      by + p->reach[1] < g->in[1] && bx + p->reach[2] < g->in[2];
            if (++ox == g->out[2]) {
                ox = 0;
                if (++oy == g->out[1]) {
                    oy = 0;
                    if (++od == g->out[0]) od = 0, b++;
                }
            }
        }
        for (size_t i = rows; i < MR; i++) {
            corner[i] = corner[0];
            for (int d = 0; d < 3; d++) start[i][d] = start[0][d];
        }
        const float **dst = ind + q * taps * MR;
        qoff[q] = (unsigned char)inside;
        if (inside) {
            for (size_t i = 0; i < MR; i++) dst[i] = g->x + corner[i];
            continue;
        }
        for (size_t i = 0; i < MR; i++)
            for (size_t t = 0; t < taps; t++) {
                const int64_t *k = p->tap + 3 * t;
                const int in = (uint64_t)(start[i][0] + k[0]) < (uint64_t)g->in[0] &&
                               (uint64_t)(start[i][1] + k[1]) < (uint64_t)g->in[1] &&
                               (uint64_t)(start[i][2] + k[2]) < (uint64_t)g->in[2];
                dst[t * MR + i] = in ? g->x + (corner[i] + p->toff[t]) : p->zero;
            }
    }
}

static void igemm_block(const igemm_plan *p, size_t m0, size_t n0, const float **ind,
                        unsigned char *qoff) {
    const cw_conv_igemm *g = p->g;
    const size_t N = g->N, K = p->K, taps = p->taps;
    const size_t mc = cw_min_size(p->mt, p->M - m0), nc = cw_min_size(p->nc, N - n0);
    build_indirection(p, m0, mc, ind, qoff);
    float *y = g->y + m0 * N;
    const size_t p0 = n0 / NR, p1 = (n0 + nc + NR - 1) / NR;
    for (size_t pp = p0; pp < p1; pp++) {
        const size_t n = pp * NR, nr = cw_min_size(NR, N - n);
        const float *b = g->pb + pp * K * NR;
        const cw_gemm_store st = cw_gemm_store_at(&p->ep, n, 1);
        for (size_t i0 = 0; i0 < mc; i0 += MR)
            cw_f32_igemm_4x8_simd(taps, g->C, ind + (i0 / MR) * taps * MR,
                                  qoff[i0 / MR] ? p->doff : NULL, b, y + i0 * N + n, N,
                                  (int)cw_min_size(MR, mc - i0), (int)nr, &st);
    }
    cw_gemm_post_rows(&p->ep, y + n0, N, mc, nc, n0);
}

static void igemm_tasks(void *ctx, size_t begin, size_t end) {
    igemm_plan *p = ctx;
    const size_t quads = (p->mt + MR - 1) / MR;
    const float **ind = cw_alloc(quads * MR * p->taps * sizeof(float *) + quads);
    if (!ind) {
        atomic_store(&p->nomem, 1);
        return;
    }
    unsigned char *qoff = (unsigned char *)(ind + quads * MR * p->taps);
    for (size_t t = begin; t < end; t++)
        igemm_block(p, (t / p->n_blocks) * p->mt, (t % p->n_blocks) * p->nc, ind, qoff);
    cw_free(ind);
}

cw_status cw_conv_igemm_run(const cw_conv_igemm *g) {
    const size_t N = g->N, C = g->C;
    const size_t taps = (size_t)(g->f[0] * g->f[1] * g->f[2]);
    const size_t M = g->batch * (size_t)(g->out[0] * g->out[1] * g->out[2]);
    if (M == 0 || N == 0) return CW_OK;
    igemm_plan p;
    memset(&p, 0, sizeof p);
    p.g = g, p.taps = taps, p.K = taps * C, p.M = M;
    p.ep = cw_gemm_epilogue_of(&g->ep);
    atomic_init(&p.nomem, 0);
    for (int i = 0; i < 3; i++) p.reach[i] = (g->f[i] - 1) * g->d[i];

    int64_t *tap = cw_alloc(taps * (4 * sizeof(int64_t) + sizeof(ptrdiff_t)));
    float *zero_buf = NULL;
    if (C > ZEROS) zero_buf = cw_alloc(C * sizeof(float));
    if (!tap || (C > ZEROS && !zero_buf)) {
        cw_free(tap);
        cw_free(zero_buf);
        return cw_error(CW_ERR_NOMEM, "%s: out of memory", g->op);
    }
    if (zero_buf) memset(zero_buf, 0, C * sizeof(float));
    p.zero = zero_buf ? zero_buf : zeros;
    int64_t *toff = tap + 3 * taps;
    size_t t = 0;
    for (int64_t kd = 0; kd < g->f[0]; kd++)
        for (int64_t ky = 0; ky < g->f[1]; ky++)
            for (int64_t kx = 0; kx < g->f[2]; kx++, t++) {
                tap[3 * t] = kd * g->d[0], tap[3 * t + 1] = ky * g->d[1];
                tap[3 * t + 2] = kx * g->d[2];
                toff[t] = ((tap[3 * t] * g->in[1] + tap[3 * t + 1]) * g->in[2] + tap[3 * t + 2]) *
                          (int64_t)C;
            }
    ptrdiff_t *doff = (ptrdiff_t *)(toff + taps);
    for (t = 0; t < taps; t++) doff[t] = (ptrdiff_t)toff[t];
    p.tap = tap, p.toff = toff, p.doff = doff;

    const size_t want = cw_gemm_tasks_wanted();
    p.mt = MT, p.nc = NC;
    size_t tasks;
    for (;;) {
        p.n_blocks = (N + p.nc - 1) / p.nc;
        tasks = (M + p.mt - 1) / p.mt * p.n_blocks;
        if (tasks >= want || !cw_gemm_shrink_blocks(&p.mt, &p.nc, M, N)) break;
    }
    const double task_flops = 2.0 * (double)M * (double)p.K * (double)N / (double)tasks;
    cw_parallel_for(tasks, cw_gemm_grain(task_flops, 262144.0), igemm_tasks, &p);
    cw_free(tap);
    cw_free(zero_buf);
    if (atomic_load(&p.nomem)) return cw_error(CW_ERR_NOMEM, "%s: out of memory", g->op);
    return CW_OK;
}
