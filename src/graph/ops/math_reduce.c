/* Graph ops of the math family that work along axes: the reductions Mean,
 * Sum, Max, Min, Prod, All and Any over constant axes, Softmax and TopKV2
 * over the last axis. math.c holds the table. */
#include <string.h>

#include "core/alloc.h"
#include "graph/ops/gop.h"
#include "kernels/layout/layout.h"
#include "kernels/reduce/reduce.h"
#include "kernels/sort/sort.h"

#include "graph/ops/math_impl.h"

/* Product of shape[axes[lo..hi)] (axes NULL: of shape[lo..hi)). A product
 * over only part of an empty tensor may exceed int: it is capped, and then
 * never used, as the data and the output are empty. */
static int prod(const int32_t *shape, const int32_t *axes, int lo, int hi) {
    int64_t n = 1;
    for (int i = lo; i < hi; i++) {
        int32_t dim = shape[axes ? axes[i] : i];
        if (dim == 0) return 0;
        n *= dim;
        if (n > INT32_MAX) n = INT32_MAX;
    }
    return (int)n;
}

/* ---- Mean, Sum, Max, Min, Prod, All, Any (x, axes) ---- */

/* As js/kernels/reduce.js plans it, so both give the same bits: reduced axes
 * that are adjacent reduce in place as [outer, reduce, inner]; others are
 * first transposed to [kept axes..., reduced axes...] and reduce as
 * [kept, reduced, 1]. */
typedef struct {
    cw_reduce_op op;
    int outer, reduce, inner;
    int transpose;
    int32_t perm[CW_MAX_RANK];
} reduce_params;

/* The reduced axes of x (input 1, wrapped and deduplicated) into mask;
 * returns their count, or -1 (problem noted). */
static int reduce_axes(cw_gop_ctx *c, int rank, int *mask) {
    int64_t axes[4 * CW_MAX_RANK];
    int n = cw_gop_const_ints(c, 1, axes, 4 * CW_MAX_RANK);
    if (n < 0) return -1;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (axes[i] < -rank || axes[i] >= rank)
            return cw_gop_fail(c, "axis %lld is outside [%d, %d) for an input of rank %d",
                               (long long)axes[i], -rank, rank, rank);
        int a = (int)(axes[i] < 0 ? axes[i] + rank : axes[i]);
        count += !mask[a];
        mask[a] = 1;
    }
    return count;
}

int cw_op_math_reduce_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    cw_reduce_op op = (cw_reduce_op)c->op->code;
    const cw_gvalue *x = c->in[0];
    int logical = op == CW_REDUCE_ALL || op == CW_REDUCE_ANY;
    if (logical ? x->dtype != CW_BOOL : x->dtype == CW_BOOL)
        return cw_gop_fail(c, "%s input is not supported (%s expected)",
                           cw_op_math_dtype_name(x->dtype), logical ? "bool" : "float32 or int32");
    int mask[CW_MAX_RANK] = {0};
    int count = reduce_axes(c, x->rank, mask);
    if (count < 0) return -1;
    reduce_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->op = op;
    int keep = cw_gop_attr_bool(c, "keep_dims", 0);
    int32_t shape[CW_MAX_RANK];
    int rank = 0, first = -1, last = -1, n_kept = 0;
    for (int d = 0; d < x->rank; d++) {
        if (!mask[d]) p->perm[n_kept++] = d;
        if (mask[d] && first < 0) first = d;
        if (mask[d]) last = d;
        if (!mask[d] || keep) shape[rank++] = mask[d] ? 1 : x->shape[d];
    }
    if (count == 0) {
        p->outer = (int)x->size, p->reduce = 1, p->inner = 1;
    } else if (last - first + 1 == count) {
        p->outer = prod(x->shape, NULL, 0, first);
        p->reduce = prod(x->shape, NULL, first, last + 1);
        p->inner = prod(x->shape, NULL, last + 1, x->rank);
    } else {
        p->transpose = 1;
        for (int d = 0, j = n_kept; d < x->rank; d++)
            if (mask[d]) p->perm[j++] = d;
        p->outer = prod(x->shape, p->perm, 0, n_kept);
        p->reduce = prod(x->shape, p->perm, n_kept, x->rank);
        p->inner = 1;
    }
    c->params = p;
    /* As TF.js: Mean gives float32 (int32 inputs too), All / Any bool. */
    cw_dtype out = op == CW_REDUCE_MEAN ? CW_F32 : x->dtype;
    return cw_gvalue_set(c, c->out[0], out, rank, shape);
}

cw_status cw_op_math_reduce_run(cw_gop_ctx *c) {
    const reduce_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    const void *src = x->data;
    void *scratch = NULL;
    if (p->transpose && x->size > 0) {
        scratch = cw_alloc(x->size * cw_dtype_size(x->dtype));
        if (!scratch)
            return cw_error(CW_ERR_NOMEM, "%s '%s': no memory to transpose %zu elements",
                            c->node->op, c->node->name, x->size);
        cw_status st = cw_transpose((int)cw_dtype_size(x->dtype), x->data, x->shape, x->rank,
                                    p->perm, scratch);
        if (st != CW_OK) {
            cw_free(scratch);
            return st;
        }
        src = scratch;
    }
    cw_status st = cw_reduce(p->op, x->dtype, src, p->outer, p->reduce, p->inner, c->out[0]->data);
    cw_free(scratch);
    return st;
}

/* ---- Softmax(logits) over the last axis ---- */

int cw_op_math_softmax_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    if (x->dtype != CW_F32)
        return cw_gop_fail(c, "%s logits are not supported (float32 expected)",
                           cw_op_math_dtype_name(x->dtype));
    if (x->rank < 1) return cw_gop_fail(c, "the logits are a scalar (rank 1 or more expected)");
    int64_t axis = cw_gop_attr_int(c, "axis", -1); /* set by the layers-model reader */
    if (axis != -1 && axis != x->rank - 1)
        return cw_gop_fail(c, "axis %lld is not the last axis of the logits (rank %d)",
                           (long long)axis, x->rank);
    return cw_gvalue_set(c, c->out[0], CW_F32, x->rank, x->shape);
}

cw_status cw_op_math_softmax_run(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    if (x->size == 0) return CW_OK;
    int cols = x->shape[x->rank - 1];
    return cw_softmax_f32(x->data, c->out[0]->data, (int)(x->size / (size_t)cols), cols);
}

/* ---- TopKV2(x, k): values and int32 indices over the last axis ---- */

typedef struct {
    int k, sorted;
} topk_params;

size_t cw_op_math_topk_outputs(const cw_node_def *node) {
    (void)node;
    return 2;
}

int cw_op_math_topk_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    if (c->n_out != 2) return cw_gop_fail(c, "%zu outputs given, 2 expected", c->n_out);
    const cw_gvalue *x = c->in[0];
    if (x->dtype == CW_BOOL)
        return cw_gop_fail(c, "bool input is not supported (float32 or int32 expected)");
    if (x->rank < 1) return cw_gop_fail(c, "the input is a scalar (rank 1 or more expected)");
    int64_t k[2];
    int n = cw_gop_const_ints(c, 1, k, 2);
    if (n < 0) return -1;
    if (n != 1) return cw_gop_fail(c, "k (input 1) must hold one value, not %d", n);
    int32_t shape[CW_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    int last = x->rank - 1;
    if (k[0] < 0 || k[0] > shape[last])
        return cw_gop_fail(c, "k = %lld is outside [0, %d] (the last dimension)", (long long)k[0],
                           (int)shape[last]);
    topk_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->k = (int)k[0], p->sorted = cw_gop_attr_bool(c, "sorted", 1);
    c->params = p;
    shape[last] = p->k;
    if (cw_gvalue_set(c, c->out[0], x->dtype, x->rank, shape) < 0) return -1;
    return cw_gvalue_set(c, c->out[1], CW_I32, x->rank, shape);
}

cw_status cw_op_math_topk_run(cw_gop_ctx *c) {
    const topk_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    if (x->size == 0) return CW_OK; /* no rows, or k = n = 0 */
    int n = x->shape[x->rank - 1];
    return cw_topk(x->dtype, x->data, (int)(x->size / (size_t)n), n, p->k, p->sorted,
                   c->out[0]->data, c->out[1]->data);
}
