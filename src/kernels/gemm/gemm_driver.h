/* The parts of a GEMM driver that cw_matmul_f32 (matmul.c), the convolution
 * GEMMs (conv_gemm.c, conv_igemm.c: conv2d, conv3d and their gradients) and
 * the depthwise convolution share (internal):
 * - the epilogue: validation, and its split into what the micro-kernel's
 *   store does (bias, relu / relu6) and what runs per row afterwards;
 * - the task shape: (row block x column block) tasks for cw_parallel_for,
 *   blocks shrunk until the pool has enough of them, and the grain;
 * - one B panel against a block of packed A panels.
 * Task shapes never change a result: every element sums its k in order. */
#ifndef CW_KERNELS_GEMM_DRIVER_H
#define CW_KERNELS_GEMM_DRIVER_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/parallel.h"
#include "core/status.h"
#include "kernels/act/act.h"
#include "kernels/gemm/gemm_ukernel.h"

static inline size_t cw_min_size(size_t a, size_t b) { return a < b ? a : b; }

/* "N=n" or "the n output channels", for cw_epilogue_check's messages. */
static inline const char *cw_epilogue_cols(char *buf, size_t size, int n, int per_channel) {
    snprintf(buf, size, per_channel ? "the %d output channels" : "N=%d", n);
    return buf;
}

/* Checks an epilogue for n output columns; messages start with `op` and name
 * n as "N=n" (per_channel 0) or "the n output channels" (per_channel 1). */
static inline cw_status cw_epilogue_check(const cw_epilogue *ep, int n, const char *op,
                                          int per_channel) {
    char cols[48];
    if ((int)ep->act < CW_ACT_LINEAR || (int)ep->act > CW_ACT_SIGMOID)
        return cw_error(CW_ERR_INVALID, "%s: unknown activation %d", op, (int)ep->act);
    if (ep->bias_len != 0 && ep->bias_len != 1 && ep->bias_len != n)
        return cw_error(CW_ERR_INVALID, "%s: bias length %d, expected 0, 1 or %s", op, ep->bias_len,
                        cw_epilogue_cols(cols, sizeof cols, n, per_channel));
    if (ep->bias_len > 0 && !ep->bias) return cw_error(CW_ERR_INVALID, "%s: bias is NULL", op);
    if (ep->act == CW_ACT_PRELU) {
        if (ep->prelu_len != 1 && ep->prelu_len != n)
            return cw_error(CW_ERR_INVALID, "%s: prelu weights length %d, expected 1 or %s", op,
                            ep->prelu_len, cw_epilogue_cols(cols, sizeof cols, n, per_channel));
        if (!ep->prelu) return cw_error(CW_ERR_INVALID, "%s: prelu weights are NULL", op);
    }
    return CW_OK;
}

/* A validated cw_epilogue as a driver runs it: bias and `clamp` in the
 * micro-kernel's store, then `post` on each row (post.act is CW_ACT_LINEAR,
 * nothing to do, when the store did it all). */
typedef struct {
    const cw_epilogue *ep;
    cw_gemm_clamp clamp;
    cw_epilogue post;
} cw_gemm_epilogue;

static inline cw_gemm_epilogue cw_gemm_epilogue_of(const cw_epilogue *ep) {
    cw_gemm_epilogue e;
    e.ep = ep;
    e.clamp = ep->act == CW_ACT_RELU    ? CW_GEMM_CLAMP_RELU
              : ep->act == CW_ACT_RELU6 ? CW_GEMM_CLAMP_RELU6
                                        : CW_GEMM_CLAMP_NONE;
    e.post = *ep;
    e.post.bias = NULL, e.post.bias_len = 0; /* added in the store */
    if (e.clamp != CW_GEMM_CLAMP_NONE) e.post.act = CW_ACT_LINEAR;
    return e;
}

/* The store of the tile whose first column is n; final: its last K block. */
static inline cw_gemm_store cw_gemm_store_at(const cw_gemm_epilogue *e, size_t n, int final) {
    cw_gemm_store st = {final, NULL, NULL, e->clamp};
    if (e->ep->bias_len == 1)
        st.bias1 = e->ep->bias;
    else if (e->ep->bias_len > 1)
        st.bias = e->ep->bias + n;
    return st;
}

/* The activation left after the store, on rows [0, rows) of c (row stride
 * ldc), nc columns from output column n0. */
static inline void cw_gemm_post_rows(const cw_gemm_epilogue *e, float *c, size_t ldc, size_t rows,
                                     size_t nc, size_t n0) {
    if (e->post.act == CW_ACT_LINEAR) return;
    for (size_t i = 0; i < rows; i++) cw_act_apply_row(c + i * ldc, nc, n0, &e->post);
}

/* A row of a GEMM with K == 0: act(bias) on the nc columns from column n0. */
static inline void cw_gemm_bias_row(const cw_epilogue *ep, float *r, size_t nc, size_t n0) {
    memset(r, 0, nc * sizeof(float));
    cw_act_apply_row(r, nc, n0, ep);
}

/* Task shape: a driver starts from its largest blocks (mc rows x nc
 * columns) and, while it has fewer tasks than cw_gemm_tasks_wanted(), calls
 * cw_gemm_shrink_blocks, which halves the column block (down to 8 panels),
 * else the row block (down to 4 tiles), and returns 0 when neither can
 * shrink. M and N: the rows and columns the blocks cover. */
static inline size_t cw_gemm_tasks_wanted(void) { return 4 * (size_t)cw_threads_count(); }

static inline int cw_gemm_shrink_blocks(size_t *mc, size_t *nc, size_t M, size_t N) {
    if (*nc > 8 * CW_GEMM_NR && N > *nc / 2) {
        *nc /= 2;
        return 1;
    }
    if (*mc > 4 * CW_GEMM_MR && M > *mc / 2) {
        *mc /= 2;
        return 1;
    }
    return 0;
}

/* The cw_parallel_for grain for tasks of task_flops each: enough tasks to
 * make about `target` flops (64 tasks when a task does no work). */
static inline size_t cw_gemm_grain(double task_flops, double target) {
    if (task_flops >= target) return 1;
    if (task_flops < 1.0) return 64;
    return (size_t)(target / task_flops);
}

/* One B panel (kc rows of NR floats, row stride ldb) against the mc rows of
 * packed A panels at apack (kc x MR each): columns [0, nr) of rows [0, mc)
 * of c. load_c and st as for cw_f32_gemm_4x8_simd. */
static inline void cw_f32_gemm_panel(size_t kc, const float *apack, const float *b, size_t ldb,
                                     float *c, size_t ldc, size_t mc, int nr, int load_c,
                                     const cw_gemm_store *st) {
    for (size_t i0 = 0; i0 < mc; i0 += CW_GEMM_MR)
        cw_f32_gemm_4x8_simd(kc, apack + i0 * kc, b, ldb, c + i0 * ldc, ldc,
                             (int)cw_min_size(CW_GEMM_MR, mc - i0), nr, load_c, st);
}

#endif
