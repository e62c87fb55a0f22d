/* Graph ops of the nn family: MatMul and _FusedMatMul (2-D, or a of rank > 2
 * over its leading dimensions; float32) on
 * cw_matmul_f32, with the bias and activation in its epilogue. */
#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/gemm/gemm.h"

#include "graph/ops/nn_impl.h"

typedef struct {
    cw_matmul_args a; /* sizes, transposes, packed B, epilogue; data bound at run */
    int extra[2], tanh;
} matmul_params;

/* MatMul(a, b[, bias][, prelu alpha]): [M,K] x [K,N] with transpose_a /
 * transpose_b reading a as [K,M] and b as [N,K]. */
int cw_op_nn_matmul_infer(cw_gop_ctx *c) {
    if (c->n_in < 2) return cw_gop_fail(c, "%zu input(s) given, at least 2 expected", c->n_in);
    const cw_gvalue *a = c->in[0], *b = c->in[1];
    int ta = cw_gop_attr_bool(c, "transpose_a", 0), tb = cw_gop_attr_bool(c, "transpose_b", 0);
    /* a of rank > 2 (a Keras Dense layer on a sequence): [..., K] x [K, N]
     * over the leading dimensions flattened, as tfjs-layers' dense does. */
    int lead = a->rank > 2 && !ta && b->rank == 2;
    if ((a->rank != 2 && !lead) || b->rank != 2)
        return cw_gop_fail(c, "a and b have ranks %d and %d, 2 expected", a->rank, b->rank);
    if (a->dtype != CW_F32 || b->dtype != CW_F32) return cw_gop_fail(c, "a and b must be float32");
    int64_t rows = 1;
    for (int d = 0; d + 1 < a->rank; d++) rows *= a->shape[d];
    int M = lead ? (int)rows : (int)a->shape[ta ? 1 : 0], K = (int)a->shape[ta ? 0 : a->rank - 1];
    int Kb = (int)b->shape[tb ? 1 : 0], N = (int)b->shape[tb ? 0 : 1];
    if (K != Kb)
        return cw_gop_fail(c,
                           "inner dimensions %d and %d of a [%d,%d] and b [%d,%d] do not match "
                           "(transpose_a %d, transpose_b %d)",
                           K, Kb, (int)a->shape[0], (int)a->shape[1], (int)b->shape[0],
                           (int)b->shape[1], ta, tb);
    matmul_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    cw_matmul_args *m = &p->a;
    m->batch = 1, m->M = M, m->N = N, m->K = K;
    m->transpose_a = ta, m->transpose_b = tb, m->a_count = 1, m->b_count = 1;
    if (cw_op_nn_fused(c, (c->op->flags & CW_OP_FUSED_EPILOGUE) != 0, N, &m->ep, p->extra,
                       &p->tanh) < 0)
        return -1;
    m->packed_b = cw_op_nn_pack(c, 1, K, N, tb);
    c->params = p;
    int32_t shape[CW_MAX_RANK] = {M, N};
    if (lead) {
        memcpy(shape, a->shape, (size_t)a->rank * sizeof(int32_t));
        shape[a->rank - 1] = N;
    }
    return cw_gvalue_set(c, c->out[0], CW_F32, lead ? a->rank : 2, shape);
}

cw_status cw_op_nn_matmul_run(cw_gop_ctx *c) {
    const matmul_params *p = c->params;
    if (c->out[0]->size == 0) return CW_OK;
    cw_matmul_args a = p->a;
    a.A = c->in[0]->data, a.B = c->in[1]->data, a.C = c->out[0]->data;
    cw_op_nn_fused_bind(c, &a.ep, p->extra);
    cw_status s = cw_matmul_f32(&a);
    return s != CW_OK ? s : cw_op_nn_fused_finish(c, p->tanh);
}
