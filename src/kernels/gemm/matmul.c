/* cw_matmul_f32: validates, packs B if needed, then runs the micro-kernel
 * over (batch, MC-row block, NC-column block) tasks. Inside a task the loops
 * are K blocks (KC) > B panels (NR columns) > A panels (MR rows): one kc x NR
 * B panel stays in L1 while the packed mc x kc A block streams from L2. */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/gemm/gemm_driver.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR
#define KC CW_GEMM_KC
/* MC, NC (and KC in gemm_ukernel.h) can be set with -D for tuning runs of
 * bench/c/bench_gemm.c. */
#ifndef CW_GEMM_MC
#define CW_GEMM_MC 64 /* rows per task: the packed A block (MC x KC) fits L2 */
#endif
#ifndef CW_GEMM_NC
#define CW_GEMM_NC 256 /* columns per task */
#endif
#define MC CW_GEMM_MC
#define NC CW_GEMM_NC
/* Unpacked B is read in place (row stride N) when few rows use it: packing
 * would cost about as much as the multiply. */
#define RAW_B_MAX_ROWS 16

typedef struct {
    const cw_matmul_args *g;
    size_t M, N, K;
    const float *pb;   /* packed B matrices, or NULL: read g->B in place */
    size_t pb_stride;  /* floats per packed B matrix */
    const float *tail; /* in-place mode: the packed last panel of each B (K*NR) */
    size_t mc, nc, m_blocks, n_blocks;
    size_t kc; /* K block */
    cw_gemm_epilogue ep;
    size_t apack_floats;
    atomic_int nomem;
} matmul_plan;

static void matmul_block(const matmul_plan *p, size_t bi, size_t m0, size_t n0, float *apack) {
    const cw_matmul_args *g = p->g;
    const size_t M = p->M, N = p->N, K = p->K;
    const size_t ai = g->a_index ? (size_t)g->a_index[bi] : bi;
    const size_t bj = g->b_index ? (size_t)g->b_index[bi] : bi;
    const float *A = g->A + ai * M * K;
    float *C = g->C + bi * M * N;
    const size_t mc = cw_min_size(p->mc, M - m0), nc = cw_min_size(p->nc, N - n0);
    const size_t p0 = n0 / NR, p1 = (n0 + nc + NR - 1) / NR;
    for (size_t k0 = 0; k0 < K; k0 += p->kc) {
        const size_t kc = cw_min_size(p->kc, K - k0);
        cw_gemm_pack_a(A, g->transpose_a, M, K, m0, mc, k0, kc, apack);
        for (size_t pp = p0; pp < p1; pp++) {
            const size_t n = pp * NR, nr = cw_min_size(NR, N - n);
            const float *b;
            size_t ldb = NR;
            if (p->pb) {
                b = p->pb + bj * p->pb_stride + pp * K * NR + k0 * NR;
            } else if (nr == NR) {
                b = g->B + bj * K * N + k0 * N + n;
                ldb = N;
            } else {
                b = p->tail + bj * K * NR + k0 * NR;
            }
            const cw_gemm_store st = cw_gemm_store_at(&p->ep, n, k0 + kc == K);
            cw_f32_gemm_panel(kc, apack, b, ldb, C + m0 * N + n, N, mc, (int)nr, k0 > 0, &st);
        }
    }
    cw_gemm_post_rows(&p->ep, C + m0 * N + n0, N, mc, nc, n0);
}

static void matmul_tasks(void *ctx, size_t begin, size_t end) {
    matmul_plan *p = ctx;
    float *apack = cw_alloc(p->apack_floats * sizeof(float));
    if (!apack) {
        atomic_store(&p->nomem, 1);
        return;
    }
    const size_t per_batch = p->m_blocks * p->n_blocks;
    for (size_t t = begin; t < end; t++) {
        const size_t bi = t / per_batch, r = t % per_batch;
        matmul_block(p, bi, (r / p->n_blocks) * p->mc, (r % p->n_blocks) * p->nc, apack);
    }
    cw_free(apack);
}

typedef struct {
    size_t K, N, panels, stride, in_stride;
    const float *B;
    int transpose_b;
    float *out;
} pack_job;

static void pack_tasks(void *ctx, size_t begin, size_t end) {
    const pack_job *j = ctx;
    for (size_t t = begin; t < end;) {
        size_t m = t / j->panels, p0 = t % j->panels;
        size_t p1 = cw_min_size(j->panels, p0 + (end - t));
        cw_gemm_pack_b_panels(j->K, j->N, j->B + m * j->in_stride, j->transpose_b, p0, p1,
                              j->out + m * j->stride + p0 * j->K * NR);
        t += p1 - p0;
    }
}

/* C = act(bias) when K == 0. */
static void matmul_k0(const cw_matmul_args *g) {
    const size_t N = (size_t)g->N, rows = (size_t)g->batch * (size_t)g->M;
    float *row0 = g->C;
    cw_gemm_bias_row(&g->ep, row0, N, 0);
    for (size_t r = 1; r < rows; r++) memcpy(g->C + r * N, row0, N * sizeof(float));
}

/* Validates indices; returns the number of matrices used (max index + 1), or 0. */
static size_t check_index(const int32_t *idx, int batch, int count, const char *what) {
    if (!idx) return (size_t)batch;
    const int32_t limit = count > 0 ? count : batch;
    int32_t hi = -1;
    for (int b = 0; b < batch; b++) {
        if (idx[b] < 0 || idx[b] >= limit) {
            cw_error(CW_ERR_INVALID, "matmul: %s[%d] = %d is out of range [0, %d)", what, b,
                     (int)idx[b], (int)limit);
            return 0;
        }
        if (idx[b] > hi) hi = idx[b];
    }
    return (size_t)hi + 1;
}

/* 1 if a*b*c floats are addressable in size_t bytes (factors >= 1). */
static int fits(size_t a, size_t b, size_t c) {
    return cw_mul_size(cw_mul_size(cw_mul_size(a, b), c), sizeof(float)) != 0;
}

cw_status cw_matmul_f32(const cw_matmul_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, "matmul: args is NULL");
    if (g->batch < 0 || g->M < 0 || g->N < 0 || g->K < 0)
        return cw_error(CW_ERR_INVALID, "matmul: negative size (batch=%d M=%d N=%d K=%d)", g->batch,
                        g->M, g->N, g->K);
    if (g->a_count < 0 || g->b_count < 0)
        return cw_error(CW_ERR_INVALID, "matmul: negative matrix count");
    cw_status s = cw_epilogue_check(&g->ep, g->N, "matmul", 0);
    if (s != CW_OK) return s;
    if (g->batch == 0 || g->M == 0 || g->N == 0) return CW_OK;
    const size_t M = (size_t)g->M, N = (size_t)g->N, K = (size_t)g->K;
    if (!g->C) return cw_error(CW_ERR_INVALID, "matmul: C is NULL");
    if (!fits((size_t)g->batch, M, N))
        return cw_error(CW_ERR_INVALID, "matmul: output size %d x %d x %d overflows", g->batch,
                        g->M, g->N);
    size_t na = check_index(g->a_index, g->batch, g->a_count, "a_index");
    if (!na) return CW_ERR_INVALID;
    size_t nb = check_index(g->b_index, g->batch, g->b_count, "b_index");
    if (!nb) return CW_ERR_INVALID;
    if (K == 0) {
        matmul_k0(g);
        return CW_OK;
    }
    if (!g->A) return cw_error(CW_ERR_INVALID, "matmul: A is NULL");
    if (!g->B && !g->packed_b) return cw_error(CW_ERR_INVALID, "matmul: B and packed_b are NULL");
    const size_t pb_stride = cw_gemm_packed_b_floats(g->K, g->N);
    if (!fits(na, M, K) || !fits(nb, K, N) || !pb_stride || !fits(nb, pb_stride, 1))
        return cw_error(CW_ERR_INVALID, "matmul: input size (M=%d N=%d K=%d) overflows", g->M, g->N,
                        g->K);

    matmul_plan p = {0};
    p.g = g;
    p.M = M, p.N = N, p.K = K;
    p.pb = g->packed_b;
    p.pb_stride = pb_stride;
    p.ep = cw_gemm_epilogue_of(&g->ep);
    atomic_init(&p.nomem, 0);

    float *scratch = NULL;
    if (!p.pb) {
        const size_t rows_per_b = M * (size_t)g->batch / nb;
        const int in_place = !g->transpose_b && rows_per_b <= RAW_B_MAX_ROWS;
        pack_job j = {K, N, (N + NR - 1) / NR, pb_stride, K * N, g->B, g->transpose_b, NULL};
        if (in_place) {
            if (N % NR) { /* pack only the last (partial) panel of each B */
                j.stride = K * NR;
                scratch = cw_alloc(nb * K * NR * sizeof(float));
                if (!scratch) return cw_error(CW_ERR_NOMEM, "matmul: out of memory");
                for (size_t m = 0; m < nb; m++)
                    cw_gemm_pack_b_panels(K, N, g->B + m * K * N, 0, j.panels - 1, j.panels,
                                          scratch + m * K * NR);
                p.tail = scratch;
            }
        } else {
            scratch = cw_alloc(nb * pb_stride * sizeof(float));
            if (!scratch) return cw_error(CW_ERR_NOMEM, "matmul: out of memory");
            j.out = scratch;
            cw_parallel_for(nb * j.panels, 16, pack_tasks, &j);
            p.pb = scratch;
        }
    }

    const size_t want = cw_gemm_tasks_wanted();
    p.mc = MC, p.nc = NC;
    for (;;) {
        p.m_blocks = (M + p.mc - 1) / p.mc;
        p.n_blocks = (N + p.nc - 1) / p.nc;
        const size_t tasks = (size_t)g->batch * p.m_blocks * p.n_blocks;
        if (tasks >= want || !cw_gemm_shrink_blocks(&p.mc, &p.nc, M, N)) break;
    }
    const size_t mc = cw_min_size(p.mc, M), nc = cw_min_size(p.nc, N);
    /* K blocks keep a kc x NR B panel in L1 while the A panels of a block
     * reuse it; with a single A panel (M <= MR) nothing reuses it, and one
     * block streams each packed B panel front to back instead of in KC
     * pieces, which measured faster. B read in place (row stride N) keeps
     * its K blocks: one block measured slower there. The block stays at
     * most 16 KC long, so the packed A panel (MR x kc) stays in L2 and each
     * task's scratch is bounded whatever K is. Same sums in the same order
     * either way. */
    p.kc = M <= MR && p.pb ? cw_min_size(K, 16 * (size_t)KC) : KC;
    p.apack_floats = ((mc + MR - 1) / MR) * MR * cw_min_size(K, p.kc);
    const size_t tasks = (size_t)g->batch * p.m_blocks * p.n_blocks;
    const double task_flops = 2.0 * (double)mc * (double)nc * (double)K;
    cw_parallel_for(tasks, cw_gemm_grain(task_flops, 1048576.0), matmul_tasks, &p);
    cw_free(scratch);
    if (atomic_load(&p.nomem)) return cw_error(CW_ERR_NOMEM, "matmul: out of memory");
    return CW_OK;
}
