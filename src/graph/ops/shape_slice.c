/* Graph ops of the shape family that cut: StridedSlice, Slice, Split, SplitV. */
#include <string.h>

#include "graph/ops/shape_impl.h"
#include "kernels/layout/layout.h"

/* ---- StridedSlice(x, begin, end, strides) ----
 * TensorFlow's semantics as tfjs-core's slice_util.sliceInfo computes them:
 * the sparse spec (one entry per begin value, with ellipsis and new axes) is
 * made dense (one entry per input dimension), each dimension is made
 * explicit and bounds-checked, and the output shape drops shrunk dimensions
 * and gains the new axes. */

#define SPARSE_MAX (2 * CW_MAX_RANK) /* entries of begin / end / strides */
#define NEW_AXIS (-2)
#define SHRINK_AXIS (-1)

typedef struct {
    int32_t begin[CW_MAX_RANK], strides[CW_MAX_RANK];
    int32_t dense_shape[CW_MAX_RANK]; /* the slice over the input's rank */
} strided_params;

typedef struct {
    int64_t begin[CW_MAX_RANK], end[CW_MAX_RANK], strides[CW_MAX_RANK];
    int64_t begin_mask, end_mask, shrink_mask;
    int gather[SPARSE_MAX + CW_MAX_RANK]; /* per output dim: dense dim, NEW_AXIS or SHRINK_AXIS */
    int n_gather;
} dense_spec;

/* The sparse spec (n entries) into a dense one over rank dimensions. */
static int dense_from_sparse(cw_gop_ctx *c, const int64_t *sb, const int64_t *se, const int64_t *ss,
                             int n, int rank, dense_spec *d) {
    int64_t bmask = cw_gop_attr_int(c, "begin_mask", 0), emask = cw_gop_attr_int(c, "end_mask", 0);
    int64_t ellipsis = cw_gop_attr_int(c, "ellipsis_mask", 0);
    int64_t newax = cw_gop_attr_int(c, "new_axis_mask", 0);
    int64_t shrink = cw_gop_attr_int(c, "shrink_axis_mask", 0);
    if (ellipsis & (ellipsis - 1)) return cw_gop_fail(c, "ellipsis_mask has more than one bit");
    int seen = 0, add_after = 0;
    for (int i = 0; i < n; i++) {
        if (seen && (newax >> i & 1)) add_after++;
        if (ellipsis >> i & 1) seen = 1;
    }
    int dims = n;
    if (!seen) ellipsis |= (int64_t)1 << dims++; /* an implicit ellipsis at the end */
    memset(d, 0, sizeof *d);
    int full = 0;
    for (int i = 0; i < dims; i++) {
        if (ellipsis >> i & 1) {
            int next = rank - (dims - i) + 1 + add_after;
            if (next > rank) next = rank;
            for (; full < next; full++) {
                d->strides[full] = 1;
                d->begin_mask |= (int64_t)1 << full, d->end_mask |= (int64_t)1 << full;
                d->gather[d->n_gather++] = full;
            }
        } else if (newax >> i & 1) {
            d->gather[d->n_gather++] = NEW_AXIS;
        } else {
            if (full == rank)
                return cw_gop_fail(c, "the slice has more dimensions than the input's %d", rank);
            d->begin[full] = sb[i], d->end[full] = se[i], d->strides[full] = ss[i];
            if (bmask >> i & 1) d->begin_mask |= (int64_t)1 << full;
            if (emask >> i & 1) d->end_mask |= (int64_t)1 << full;
            if (shrink >> i & 1) {
                d->gather[d->n_gather++] = SHRINK_AXIS;
                d->shrink_mask |= (int64_t)1 << full;
            } else {
                d->gather[d->n_gather++] = full;
            }
            full++;
        }
    }
    if (full != rank)
        return cw_gop_fail(c, "the slice covers %d of the input's %d dimensions", full, rank);
    return 0;
}

/* slice_util's canonical(): a masked bound becomes the end of the valid
 * range in the stride's direction, any other is wrapped and clamped. */
static int64_t canonical(int64_t v, int is_end, int64_t stride, int64_t dim, int masked) {
    int64_t lo = stride > 0 ? 0 : -1, hi = stride > 0 ? dim : dim - 1;
    if (masked) return (stride > 0) == is_end ? hi : lo;
    int64_t fwd = v < 0 ? dim + v : v;
    return fwd < lo ? lo : fwd > hi ? hi : fwd;
}

int cw_op_shape_strided_slice_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 4, 4) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t sb[SPARSE_MAX], se[SPARSE_MAX], ss[SPARSE_MAX];
    int nb = cw_op_shape_ints(c, 1, sb, SPARSE_MAX), ne = cw_op_shape_ints(c, 2, se, SPARSE_MAX);
    int ns = cw_op_shape_ints(c, 3, ss, SPARSE_MAX);
    if (nb < 0 || ne < 0 || ns < 0) return -1;
    if (nb != ne || nb != ns)
        return cw_gop_fail(c, "begin, end and strides have %d, %d and %d values", nb, ne, ns);
    dense_spec d;
    if (dense_from_sparse(c, sb, se, ss, nb, x->rank, &d) < 0) return -1;
    strided_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    for (int i = 0; i < x->rank; i++) {
        int64_t stride = d.strides[i], dim = x->shape[i], b, e;
        if (stride == 0) return cw_gop_fail(c, "the stride of dimension %d is 0", i);
        if (stride < INT32_MIN || stride > INT32_MAX)
            return cw_gop_fail(c, "the stride of dimension %d is too large", i);
        if (d.shrink_mask >> i & 1) {
            if (stride < 0)
                return cw_gop_fail(c, "dimension %d is shrunk with a negative stride", i);
            b = d.begin[i] < 0 ? dim + d.begin[i] : d.begin[i];
            if (b < 0 || b >= dim)
                return cw_gop_fail(c, "index %lld is outside dimension %d of size %lld",
                                   (long long)d.begin[i], i, (long long)dim);
            e = b + 1;
        } else {
            b = canonical(d.begin[i], 0, stride, dim, (int)(d.begin_mask >> i & 1));
            e = canonical(d.end[i], 1, stride, dim, (int)(d.end_mask >> i & 1));
        }
        int64_t len = e - b, size = 0;
        if (len != 0 && (len < 0) == (stride < 0)) size = len / stride + (len % stride != 0);
        p->begin[i] = (int32_t)b, p->strides[i] = (int32_t)stride;
        p->dense_shape[i] = (int32_t)size;
    }
    int32_t shape[SPARSE_MAX + CW_MAX_RANK];
    int rank = 0;
    for (int k = 0; k < d.n_gather; k++) {
        if (d.gather[k] >= 0)
            shape[rank++] = p->dense_shape[d.gather[k]];
        else if (d.gather[k] == NEW_AXIS)
            shape[rank++] = 1;
    }
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, rank, shape);
}

cw_status cw_op_shape_strided_slice_run(cw_gop_ctx *c) {
    const strided_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_strided_slice(cw_op_shape_elem(x), x->data, x->shape, x->rank, p->begin, p->strides,
                            c->out[0]->data, p->dense_shape);
}

/* ---- Slice(x, begin, size) ---- */

typedef struct {
    int32_t begin[CW_MAX_RANK], size[CW_MAX_RANK];
} slice_params;

int cw_op_shape_slice_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 3, 3) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t begin[CW_MAX_RANK], size[CW_MAX_RANK];
    int nb = cw_op_shape_ints(c, 1, begin, CW_MAX_RANK),
        ns = cw_op_shape_ints(c, 2, size, CW_MAX_RANK);
    if (nb < 0 || ns < 0) return -1;
    if (nb != x->rank || ns != x->rank)
        return cw_gop_fail(c, "begin and size have %d and %d values for an input of rank %d", nb,
                           ns, x->rank);
    slice_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    for (int d = 0; d < x->rank; d++) {
        int64_t b = begin[d], s = size[d] == -1 ? x->shape[d] - b : size[d];
        if (b < 0 || b > x->shape[d] || s < 0 || b + s > x->shape[d])
            return cw_gop_fail(c, "begin %lld and size %lld do not fit dimension %d of size %d",
                               (long long)b, (long long)size[d], d, (int)x->shape[d]);
        p->begin[d] = (int32_t)b, p->size[d] = (int32_t)s;
    }
    c->params = p;
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, p->size);
}

cw_status cw_op_shape_slice_run(cw_gop_ctx *c) {
    const slice_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_slice(cw_op_shape_elem(x), x->data, x->shape, x->rank, p->begin, p->size,
                    c->out[0]->data);
}

/* ---- Split(axis, x), SplitV(x, size_splits, axis) ---- */

typedef struct {
    int axis, n;
    int32_t *sizes; /* n parts along axis */
} split_params;

size_t cw_op_shape_split_outputs(const cw_node_def *node) {
    const cw_attr *a = cw_node_attr(node, "num_split");
    return a && a->kind == CW_ATTR_INT && a->i >= 1 && a->i <= 65536 ? (size_t)a->i : 1;
}

/* Validates the axis (a constant input) and num_split; allocates params. */
static split_params *split_plan(cw_gop_ctx *c, size_t x_in, size_t axis_in) {
    const cw_gvalue *x = c->in[x_in];
    int64_t axis = 0, num = cw_gop_attr_int(c, "num_split", -1);
    if (cw_op_shape_scalar(c, axis_in, "the axis", &axis) < 0) return NULL;
    if (x->rank == 0) {
        cw_gop_fail(c, "cannot split a scalar");
        return NULL;
    }
    int a = cw_op_shape_axis(c, axis, x->rank, "the axis");
    if (a < 0) return NULL;
    if (num < 1 || (size_t)num != c->n_out) {
        cw_gop_fail(c, "num_split %lld does not match %zu outputs", (long long)num, c->n_out);
        return NULL;
    }
    split_params *p = cw_gop_alloc(c, sizeof *p + (size_t)num * sizeof(int32_t));
    if (!p) {
        cw_gop_fail(c, "out of memory");
        return NULL;
    }
    p->axis = a, p->n = (int)num;
    p->sizes = (int32_t *)(p + 1);
    return p;
}

/* Sets every output's shape from p->sizes. */
static int split_outputs(cw_gop_ctx *c, const cw_gvalue *x, split_params *p) {
    int32_t shape[CW_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    for (int k = 0; k < p->n; k++) {
        shape[p->axis] = p->sizes[k];
        if (cw_gvalue_set(c, c->out[k], x->dtype, x->rank, shape) < 0) return -1;
    }
    c->params = p;
    return 0;
}

int cw_op_shape_split_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    split_params *p = split_plan(c, 1, 0);
    if (!p) return -1;
    const cw_gvalue *x = c->in[1];
    int32_t dim = x->shape[p->axis];
    if (dim % p->n != 0)
        return cw_gop_fail(c, "dimension %d of size %d does not split into %d equal parts", p->axis,
                           (int)dim, p->n);
    for (int k = 0; k < p->n; k++) p->sizes[k] = dim / p->n;
    return split_outputs(c, x, p);
}

int cw_op_shape_split_v_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 3, 3) < 0) return -1;
    split_params *p = split_plan(c, 0, 2);
    if (!p) return -1;
    const cw_gvalue *x = c->in[0];
    int64_t *want = cw_gop_alloc(c, (size_t)p->n * sizeof *want);
    if (!want) return cw_gop_fail(c, "out of memory");
    int n = cw_op_shape_ints(c, 1, want, (size_t)p->n);
    if (n < 0) return -1;
    if (n != p->n) return cw_gop_fail(c, "size_splits has %d values for %d outputs", n, p->n);
    int unknown = -1;
    int64_t total = 0, dim = x->shape[p->axis];
    for (int k = 0; k < n; k++) {
        if (want[k] == -1) {
            if (unknown >= 0) return cw_gop_fail(c, "size_splits has more than one -1");
            unknown = k;
        } else if (want[k] < 0 || want[k] > dim) {
            return cw_gop_fail(c, "size_splits[%d] is %lld", k, (long long)want[k]);
        } else {
            total += want[k];
            p->sizes[k] = (int32_t)want[k];
        }
    }
    if (unknown >= 0 && total <= dim) p->sizes[unknown] = (int32_t)(dim - total), total = dim;
    if (total != dim)
        return cw_gop_fail(c, "size_splits add up to %lld, dimension %d has size %lld",
                           (long long)total, p->axis, (long long)dim);
    return split_outputs(c, x, p);
}

/* Output k is the slice of x at offset sum(sizes[0..k)) along the axis. */
static cw_status split_run(cw_gop_ctx *c, const cw_gvalue *x) {
    const split_params *p = c->params;
    int32_t begin[CW_MAX_RANK] = {0}, size[CW_MAX_RANK];
    memcpy(size, x->shape, sizeof size);
    for (int k = 0; k < p->n; k++) {
        size[p->axis] = p->sizes[k];
        cw_status st =
            cw_slice(cw_op_shape_elem(x), x->data, x->shape, x->rank, begin, size, c->out[k]->data);
        if (st != CW_OK) return st;
        begin[p->axis] += p->sizes[k];
    }
    return CW_OK;
}

cw_status cw_op_shape_split_run(cw_gop_ctx *c) { return split_run(c, c->in[1]); }

cw_status cw_op_shape_split_v_run(cw_gop_ctx *c) { return split_run(c, c->in[0]); }
