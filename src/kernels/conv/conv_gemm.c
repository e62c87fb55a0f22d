/* cw_conv_gemm_run: the GEMM driver of matmul.c with A packed on the fly.
 * A task is (group, tile of MT rows, block of NC columns); inside it the
 * loops are K blocks (KC) > B panels (NR columns) > A panels (MR rows), so a
 * kc x NR B panel stays in L1 while the packed MT x kc im2col tile (64 KiB at
 * most) stays in L2. Scratch is per task range: O(MT * (KC + NC)) floats. */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/conv/conv_gemm.h"
#include "kernels/gemm/gemm_driver.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR
#define KC CW_GEMM_KC
#define MT 64  /* output pixels per tile */
#define NC 256 /* output channels per task */

typedef struct {
    const cw_conv_gemm *g;
    size_t *first_task; /* [ngroups + 1]: tasks of group i are [first_task[i], first_task[i+1]) */
    size_t mt, nc, n_blocks;
    size_t apack_floats, ctile_floats;
    cw_gemm_epilogue ep;
    atomic_int nomem;
} conv_plan;

static void conv_block(const conv_plan *p, size_t gi, size_t m0, size_t n0, float *apack,
                       float *ctile) {
    const cw_conv_gemm *g = p->g;
    const cw_conv_group *grp = &g->groups[gi];
    const size_t N = g->N, K = grp->K;
    const size_t mc = cw_min_size(p->mt, grp->M - m0), nc = cw_min_size(p->nc, N - n0);
    if (K == 0) {
        for (size_t i = 0; i < mc; i++)
            cw_gemm_bias_row(&g->ep, g->row(g->ctx, gi, m0 + i) + n0, nc, n0);
        return;
    }
    float *C;
    size_t ldc;
    if (g->direct) {
        C = g->row(g->ctx, gi, m0) + n0;
        ldc = N;
    } else {
        C = ctile;
        ldc = nc;
    }
    const size_t p0 = n0 / NR, p1 = (n0 + nc + NR - 1) / NR;
    for (size_t k0 = 0; k0 < K; k0 += KC) {
        const size_t kc = cw_min_size(KC, K - k0);
        for (size_t i0 = 0; i0 < mc; i0 += MR)
            g->pack(g->ctx, gi, m0 + i0, cw_min_size(MR, mc - i0), k0, kc, apack + i0 * kc);
        for (size_t pp = p0; pp < p1; pp++) {
            const size_t n = pp * NR, nr = cw_min_size(NR, N - n);
            const float *b = grp->pb + pp * K * NR + k0 * NR;
            const cw_gemm_store st = cw_gemm_store_at(&p->ep, n, k0 + kc == K);
            cw_f32_gemm_panel(kc, apack, b, NR, C + (n - n0), ldc, mc, (int)nr, k0 > 0, &st);
        }
    }
    cw_gemm_post_rows(&p->ep, C, ldc, mc, nc, n0);
    if (!g->direct)
        for (size_t i = 0; i < mc; i++)
            memcpy(g->row(g->ctx, gi, m0 + i) + n0, C + i * ldc, nc * sizeof(float));
}

static void conv_tasks(void *ctx, size_t begin, size_t end) {
    conv_plan *p = ctx;
    const cw_conv_gemm *g = p->g;
    float *scratch = cw_alloc((p->apack_floats + p->ctile_floats) * sizeof(float));
    if (!scratch) {
        atomic_store(&p->nomem, 1);
        return;
    }
    /* first group holding task `begin` (groups without rows hold none) */
    size_t lo = 0, hi = g->ngroups;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->first_task[mid] <= begin)
            lo = mid;
        else
            hi = mid;
    }
    size_t gi = lo;
    for (size_t t = begin; t < end; t++) {
        while (t >= p->first_task[gi + 1]) gi++;
        const size_t r = t - p->first_task[gi];
        conv_block(p, gi, (r / p->n_blocks) * p->mt, (r % p->n_blocks) * p->nc, scratch,
                   scratch + p->apack_floats);
    }
    cw_free(scratch);
}

cw_status cw_conv_gemm_run(const cw_conv_gemm *g) {
    const size_t N = g->N;
    if (N == 0 || g->ngroups == 0) return CW_OK;
    conv_plan p;
    memset(&p, 0, sizeof p);
    p.g = g;
    p.ep = cw_gemm_epilogue_of(&g->ep);
    atomic_init(&p.nomem, 0);
    p.first_task = cw_alloc((g->ngroups + 1) * sizeof(size_t));
    if (!p.first_task) return cw_error(CW_ERR_NOMEM, "%s: out of memory", g->op);

    size_t rows = 0, max_k = 0;
    double flops = 0;
    for (size_t i = 0; i < g->ngroups; i++) {
        rows += g->groups[i].M;
        if (g->groups[i].K > max_k) max_k = g->groups[i].K;
        flops += 2.0 * (double)g->groups[i].M * (double)g->groups[i].K * (double)N;
    }
    const size_t want = cw_gemm_tasks_wanted();
    p.mt = MT, p.nc = NC;
    size_t tasks;
    for (;;) {
        p.n_blocks = (N + p.nc - 1) / p.nc;
        tasks = 0;
        for (size_t i = 0; i < g->ngroups; i++) {
            p.first_task[i] = tasks;
            tasks += (g->groups[i].M + p.mt - 1) / p.mt * p.n_blocks;
        }
        p.first_task[g->ngroups] = tasks;
        if (tasks >= want || !cw_gemm_shrink_blocks(&p.mt, &p.nc, rows, N)) break;
    }
    p.apack_floats = p.mt * cw_min_size(max_k ? max_k : 1, KC);
    p.ctile_floats = g->direct ? 0 : p.mt * cw_min_size(p.nc, N);
    const double task_flops = tasks ? flops / (double)tasks : 0;
    cw_parallel_for(tasks, cw_gemm_grain(task_flops, 1048576.0), conv_tasks, &p);
    cw_free(p.first_task);
    if (atomic_load(&p.nomem)) return cw_error(CW_ERR_NOMEM, "%s: out of memory", g->op);
    return CW_OK;
}

typedef struct {
    size_t K, N;
    const float *B;
    float *out;
} pack_job;

static void pack_tasks(void *ctx, size_t begin, size_t end) {
    const pack_job *j = ctx;
    cw_gemm_pack_b_panels(j->K, j->N, j->B, 0, begin, end, j->out + begin * j->K * NR);
}

void cw_conv_pack_b(size_t K, size_t N, const float *B, float *packed) {
    pack_job j = {K, N, B, packed};
    const size_t panels = (N + NR - 1) / NR;
    const size_t grain = K * NR >= 65536 ? 1 : 65536 / (K * NR);
    cw_parallel_for(panels, grain, pack_tasks, &j);
}
