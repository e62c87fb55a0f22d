/* Graph ops of the shape family that move data: Transpose, Pad, PadV2,
 * MirrorPad, ConcatV2, Pack, GatherV2. */
#include <string.h>

#include "core/alloc.h"
#include "graph/ops/shape_impl.h"
#include "kernels/layout/layout.h"

/* ---- Transpose(x, perm) ---- */

typedef struct {
    int32_t perm[CW_MAX_RANK];
} transpose_params;

int cw_op_shape_transpose_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t perm[CW_MAX_RANK];
    int n = cw_op_shape_ints(c, 1, perm, CW_MAX_RANK);
    if (n < 0) return -1;
    if (n != x->rank)
        return cw_gop_fail(c, "perm has %d values for an input of rank %d", n, x->rank);
    transpose_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    int seen[CW_MAX_RANK] = {0};
    int32_t shape[CW_MAX_RANK];
    for (int k = 0; k < n; k++) {
        if (perm[k] < 0 || perm[k] >= n || seen[perm[k]]++)
            return cw_gop_fail(c, "perm is not a permutation of [0, %d): value %lld at %d", n,
                               (long long)perm[k], k);
        p->perm[k] = (int32_t)perm[k];
        shape[k] = x->shape[perm[k]];
    }
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, n, shape);
}

cw_status cw_op_shape_transpose_run(cw_gop_ctx *c) {
    const transpose_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_transpose(cw_op_shape_elem(x), x->data, x->shape, x->rank, p->perm, c->out[0]->data);
}

/* ---- Pad(x, paddings), PadV2(x, paddings, value), MirrorPad ---- */

typedef struct {
    int32_t before[CW_MAX_RANK], after[CW_MAX_RANK];
    unsigned char value[4]; /* PadV2's value, zero for Pad */
    int symmetric;          /* MirrorPad */
} pad_params;

/* The paddings [rank, 2] into a new pad_params, or NULL (problem noted). */
static pad_params *pad_plan(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    int64_t pads[2 * CW_MAX_RANK];
    int n = cw_op_shape_ints(c, 1, pads, 2 * CW_MAX_RANK);
    if (n < 0) return NULL;
    if (n != 2 * x->rank) {
        cw_gop_fail(c, "paddings has %d values for an input of rank %d ([%d, 2] expected)", n,
                    x->rank, x->rank);
        return NULL;
    }
    pad_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) {
        cw_gop_fail(c, "out of memory");
        return NULL;
    }
    int32_t shape[CW_MAX_RANK];
    for (int d = 0; d < x->rank; d++) {
        int64_t lo = pads[2 * d], hi = pads[2 * d + 1];
        if (lo < 0 || hi < 0 || lo + hi + x->shape[d] > INT32_MAX) {
            cw_gop_fail(c, "paddings [%lld, %lld] of dimension %d are negative or too large",
                        (long long)lo, (long long)hi, d);
            return NULL;
        }
        p->before[d] = (int32_t)lo, p->after[d] = (int32_t)hi;
        shape[d] = (int32_t)(lo + hi + x->shape[d]);
    }
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, shape) < 0 ? NULL : p;
}

int cw_op_shape_pad_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 3) < 0) return -1;
    pad_params *p = pad_plan(c);
    if (!p) return -1;
    if (c->n_in == 3) {
        const cw_gvalue *v = c->in[2];
        if (!v->is_const || !v->data || v->size != 1)
            return cw_gop_fail(c, "the pad value (input 2) must be a constant scalar");
        if (v->dtype != c->in[0]->dtype)
            return cw_gop_fail(c, "the pad value's dtype differs from the input's");
        memcpy(p->value, v->data, cw_dtype_size(v->dtype));
    }
    c->params = p;
    return 0;
}

cw_status cw_op_shape_pad_run(cw_gop_ctx *c) {
    const pad_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_pad(cw_op_shape_elem(x), x->data, x->shape, x->rank, p->before, p->after, p->value,
                  c->out[0]->data);
}

int cw_op_shape_mirror_pad_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const char *mode = cw_gop_attr_str(c, "mode", "REFLECT");
    int symmetric = !strcmp(mode, "SYMMETRIC");
    if (!symmetric && strcmp(mode, "REFLECT"))
        return cw_gop_fail(c, "mode '%s' is not REFLECT or SYMMETRIC", mode);
    pad_params *p = pad_plan(c);
    if (!p) return -1;
    const cw_gvalue *x = c->in[0];
    for (int d = 0; d < x->rank; d++) {
        int32_t most = symmetric ? x->shape[d] : x->shape[d] - 1;
        if (p->before[d] > most || p->after[d] > most)
            return cw_gop_fail(c, "paddings of dimension %d exceed %d (%s, size %d)", d, (int)most,
                               mode, (int)x->shape[d]);
    }
    p->symmetric = symmetric;
    c->params = p;
    return 0;
}

cw_status cw_op_shape_mirror_pad_run(cw_gop_ctx *c) {
    const pad_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_mirror_pad(cw_op_shape_elem(x), x->data, x->shape, x->rank, p->before, p->after,
                         p->symmetric, c->out[0]->data);
}

/* ---- ConcatV2(x_0 .. x_{n-1}, axis), Pack(x_0 .. x_{n-1}) ---- */

typedef struct {
    int axis; /* ConcatV2: the axis of the inputs; Pack: of the output */
    int n;    /* data inputs */
} concat_params;

/* Viewed as [outer, inner_i] rows (inner_i = prod(x_i shape[axis..]), the
 * same for Pack's output axis): out row o is the rows o of all inputs. */
static cw_status concat_rows(cw_gop_ctx *c, int n, int axis) {
    const void *ptr_buf[16];
    int32_t inner_buf[16];
    const void **ptrs = ptr_buf;
    int32_t *inner = inner_buf;
    void *heap = NULL;
    if (n > 16) {
        heap = cw_alloc((size_t)n * (sizeof *ptrs + sizeof *inner));
        if (!heap) return cw_error(CW_ERR_NOMEM, "%s: no memory for %d inputs", c->node->op, n);
        ptrs = heap;
        inner = (int32_t *)(ptrs + n);
    }
    for (int i = 0; i < n; i++) {
        const cw_gvalue *x = c->in[i];
        ptrs[i] = x->data;
        inner[i] = (int32_t)cw_op_shape_prod(x->shape, axis, x->rank);
    }
    const cw_gvalue *y = c->out[0];
    int outer = (int)cw_op_shape_prod(y->shape, 0, axis);
    cw_status st = cw_concat(cw_op_shape_elem(y), ptrs, inner, n, outer, y->data);
    cw_free(heap);
    return st;
}

/* Checks inputs [0, n) have input 0's dtype, rank and (but for skip) dims. */
static int same_inputs(cw_gop_ctx *c, int n, int skip) {
    const cw_gvalue *a = c->in[0];
    for (int i = 1; i < n; i++) {
        const cw_gvalue *b = c->in[i];
        if (b->dtype != a->dtype || b->rank != a->rank)
            return cw_gop_fail(c, "input %d differs from input 0 in dtype or rank", i);
        for (int d = 0; d < a->rank; d++)
            if (d != skip && b->shape[d] != a->shape[d])
                return cw_gop_fail(c, "dimension %d of input %d is %d, of input 0 %d", d, i,
                                   (int)b->shape[d], (int)a->shape[d]);
    }
    return 0;
}

int cw_op_shape_concat_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, (size_t)INT32_MAX) < 0) return -1;
    int n = (int)c->n_in - 1;
    int64_t axis = 0;
    if (cw_op_shape_scalar(c, (size_t)n, "the axis", &axis) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    if (x->rank == 0) return cw_gop_fail(c, "cannot concatenate scalars");
    int a = cw_op_shape_axis(c, axis, x->rank, "the axis");
    if (a < 0 || same_inputs(c, n, a) < 0) return -1;
    int32_t shape[CW_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    int64_t total = 0;
    for (int i = 0; i < n; i++) total += c->in[i]->shape[a];
    if (total > INT32_MAX) return cw_gop_fail(c, "the output dimension is too large");
    shape[a] = (int32_t)total;
    concat_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->axis = a, p->n = n;
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, shape);
}

cw_status cw_op_shape_concat_run(cw_gop_ctx *c) {
    const concat_params *p = c->params;
    return concat_rows(c, p->n, p->axis);
}

int cw_op_shape_pack_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, (size_t)INT32_MAX) < 0) return -1;
    int n = (int)c->n_in;
    const cw_gvalue *x = c->in[0];
    if (x->rank + 1 > CW_MAX_RANK)
        return cw_gop_fail(c, "inputs of rank %d cannot be stacked", x->rank);
    int a = cw_op_shape_axis(c, cw_gop_attr_int(c, "axis", 0), x->rank + 1, "the axis");
    if (a < 0 || same_inputs(c, n, -1) < 0) return -1;
    int32_t shape[CW_MAX_RANK];
    for (int d = 0, k = 0; d <= x->rank; d++) shape[d] = d == a ? (int32_t)n : x->shape[k++];
    concat_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->axis = a, p->n = n;
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank + 1, shape);
}

cw_status cw_op_shape_pack_run(cw_gop_ctx *c) {
    const concat_params *p = c->params;
    return concat_rows(c, p->n, p->axis);
}

/* ---- GatherV2(params, indices, axis) ---- */

typedef struct {
    int outer, axis_dim, inner, n_indices;
} gather_params;

int cw_op_shape_gather_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 3, 3) < 0) return -1;
    const cw_gvalue *x = c->in[0], *idx = c->in[1];
    if (cw_gop_attr_int(c, "batch_dims", 0) != 0)
        return cw_gop_fail(c, "batch_dims %lld is not supported (only 0)",
                           (long long)cw_gop_attr_int(c, "batch_dims", 0));
    if (idx->dtype != CW_I32) return cw_gop_fail(c, "the indices (input 1) must be int32");
    int64_t axis = 0;
    if (cw_op_shape_scalar(c, 2, "the axis", &axis) < 0) return -1;
    if (x->rank == 0) return cw_gop_fail(c, "cannot gather from a scalar");
    int a = cw_op_shape_axis(c, axis, x->rank, "the axis");
    if (a < 0) return -1;
    int rank = x->rank - 1 + idx->rank;
    if (rank > CW_MAX_RANK) return cw_gop_fail(c, "the output would have rank %d", rank);
    int32_t shape[CW_MAX_RANK];
    int r = 0;
    for (int d = 0; d < a; d++) shape[r++] = x->shape[d];
    for (int d = 0; d < idx->rank; d++) shape[r++] = idx->shape[d];
    for (int d = a + 1; d < x->rank; d++) shape[r++] = x->shape[d];
    gather_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->outer = (int)cw_op_shape_prod(x->shape, 0, a);
    p->axis_dim = x->shape[a];
    p->inner = (int)cw_op_shape_prod(x->shape, a + 1, x->rank);
    p->n_indices = (int)idx->size;
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, rank, shape);
}

cw_status cw_op_shape_gather_run(cw_gop_ctx *c) {
    const gather_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_gather(cw_op_shape_elem(x), x->data, p->outer, p->axis_dim, p->inner, c->in[1]->data,
                     p->n_indices, 1, c->out[0]->data);
}
