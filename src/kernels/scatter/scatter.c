#include "kernels/scatter/scatter.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"

typedef enum { SCATTER_ASSIGN = 0, SCATTER_ADD = 1 } scatter_mode;

/* One scatter request after validation. */
typedef struct {
    const char *op;
    cw_dtype dtype;
    const int32_t *indices;
    size_t num_updates;
    int slice_rank;
    const unsigned char *updates;
    int updates_scalar;
    const int32_t *shape;
    int rank;
    size_t out_size;   /* elements of the output */
    size_t slice_size; /* elements of one slice */
    size_t n_slots;    /* out_size / slice_size: the slices of the output */
    double strides[CW_MAX_RANK];
} scatter_plan;

/* "a, b, c" of n ints into buf (at most CW_MAX_RANK ints, so never truncated). */
static const char *format_ints(char *buf, size_t cap, const int32_t *v, int n) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, i ? ", %d" : "%d", (int)v[i]);
    return buf;
}

static cw_status plan_scatter(scatter_plan *p, const char *op, cw_dtype dtype,
                              const int32_t *indices, int num_updates, int slice_rank,
                              const void *updates, int updates_size, int updates_scalar,
                              const int32_t *shape, int rank) {
    memset(p, 0, sizeof *p);
    p->op = op;
    if (dtype != CW_F32 && dtype != CW_I32 && dtype != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "%s: dtype %d is not float32, int32 or bool", op,
                        (int)dtype);
    if (rank < 0 || rank > CW_MAX_RANK)
        return cw_error(CW_ERR_INVALID, "%s: output rank %d is not in [0, %d]", op, rank,
                        CW_MAX_RANK);
    if (slice_rank < 0 || slice_rank > rank)
        return cw_error(CW_ERR_INVALID, "%s: index depth %d is not in [0, %d] (the output rank)",
                        op, slice_rank, rank);
    if (num_updates < 0 || updates_size < 0)
        return cw_error(CW_ERR_INVALID, "%s: update count %d and updates size %d must be >= 0", op,
                        num_updates, updates_size);
    int any_zero = 0;
    for (int d = 0; d < rank; d++) {
        if (shape[d] < 0)
            return cw_error(CW_ERR_INVALID, "%s: output dimension %d is negative (%d)", op, d,
                            (int)shape[d]);
        any_zero |= shape[d] == 0;
    }
    size_t out_size = any_zero ? 0 : 1, slice_size = 1;
    for (int d = 0; d < rank && out_size != 0; d++) {
        out_size = cw_mul_size(out_size, (size_t)shape[d]);
        if (d >= slice_rank) slice_size *= (size_t)shape[d];
        if (out_size == 0 || cw_mul_size(out_size, cw_dtype_size(dtype)) == 0)
            return cw_error(CW_ERR_NOMEM, "%s: an output of that shape does not fit in memory", op);
    }
    p->dtype = dtype;
    p->indices = indices;
    p->num_updates = (size_t)num_updates;
    p->slice_rank = slice_rank;
    p->updates = updates;
    p->updates_scalar = updates_scalar != 0;
    p->shape = shape;
    p->rank = rank;
    p->out_size = out_size;
    /* cpu returns the empty output before looking at indices or updates. */
    if (out_size == 0) return CW_OK;
    p->slice_size = slice_size;
    p->n_slots = out_size / slice_size;
    double s = 1;
    for (int j = slice_rank - 1; j >= 0; j--) {
        p->strides[j] = s;
        s *= (double)shape[j];
    }
    if (num_updates == 0) return CW_OK;
    size_t need = p->updates_scalar ? 1 : cw_mul_size(p->num_updates, slice_size);
    if ((need == 0 && slice_size != 0) || need > (size_t)updates_size)
        return cw_error(
            CW_ERR_INVALID, "%s: updates hold %d elements, %d updates of %zu elements need %zu", op,
            updates_size, num_updates, p->updates_scalar ? (size_t)1 : slice_size, need);
    return CW_OK;
}

/* The slot row i addresses, or -1 when it is outside the output. The dot
 * product is taken in doubles, term by term, as cpu's JavaScript does, so an
 * index accepted there is accepted here; the range check bounds every write. */
static ptrdiff_t row_slot(const scatter_plan *p, size_t i) {
    const int32_t *ix = p->indices + i * (size_t)p->slice_rank;
    double flat = 0;
    for (int j = 0; j < p->slice_rank; j++) flat += (double)ix[j] * p->strides[j];
    if (!(flat >= 0 && flat < (double)p->n_slots)) return -1;
    return (ptrdiff_t)flat;
}

static cw_status check_indices(const scatter_plan *p) {
    if (p->out_size == 0) return CW_OK;
    for (size_t i = 0; i < p->num_updates; i++) {
        if (row_slot(p, i) >= 0) continue;
        char row[128], shape[128];
        return cw_error(
            CW_ERR_INVALID, "%s: invalid indices: row %zu = [%s] does not index into [%s]", p->op,
            i, format_ints(row, sizeof row, p->indices + i * (size_t)p->slice_rank, p->slice_rank),
            format_ints(shape, sizeof shape, p->shape, p->rank));
    }
    return CW_OK;
}

static void add_slice(cw_dtype dtype, void *dst, const void *src, size_t n) {
    if (dtype == CW_F32) {
        float *d = dst;
        const float *s = src;
        for (size_t k = 0; k < n; k++) d[k] += s[k];
    } else if (dtype == CW_I32) {
        /* Int32Array += wraps modulo 2^32. */
        uint32_t *d = dst;
        const uint32_t *s = src;
        for (size_t k = 0; k < n; k++) d[k] += s[k];
    } else {
        /* bool is a Uint8Array in cpu: true + true stores 2, and wraps at 256. */
        unsigned char *d = dst;
        const unsigned char *s = src;
        for (size_t k = 0; k < n; k++) d[k] = (unsigned char)(d[k] + s[k]);
    }
}

/* Fills n elements of es bytes with the element at value. */
static void fill_elems(unsigned char *dst, size_t n, const void *value, size_t es) {
    if (es == 1) {
        memset(dst, *(const unsigned char *)value, n);
        return;
    }
    for (size_t k = 0; k < n; k++) memcpy(dst + k * es, value, es);
}

/* The serial loop over rows, in order (duplicates: sums in order or last wins). */
static void apply_updates(const scatter_plan *p, scatter_mode mode, unsigned char *out) {
    size_t es = cw_dtype_size(p->dtype);
    size_t row_bytes = p->slice_size * es;
    for (size_t i = 0; i < p->num_updates; i++) {
        unsigned char *dst = out + (size_t)row_slot(p, i) * row_bytes;
        if (p->updates_scalar) {
            fill_elems(dst, p->slice_size, p->updates, es);
        } else if (mode == SCATTER_ADD) {
            add_slice(p->dtype, dst, p->updates + i * row_bytes, p->slice_size);
        } else {
            memcpy(dst, p->updates + i * row_bytes, row_bytes);
        }
    }
}

cw_status cw_scatter_nd(cw_dtype dtype, const int32_t *indices, int num_updates, int slice_rank,
                        const void *updates, int updates_size, const int32_t *shape, int rank,
                        void *out) {
    scatter_plan p;
    cw_status st = plan_scatter(&p, "ScatterNd", dtype, indices, num_updates, slice_rank, updates,
                                updates_size, 0, shape, rank);
    if (st == CW_OK) st = check_indices(&p);
    if (st != CW_OK || p.out_size == 0) return st;
    memset(out, 0, p.out_size * cw_dtype_size(dtype));
    apply_updates(&p, SCATTER_ADD, out);
    return CW_OK;
}

cw_status cw_tensor_scatter_update(cw_dtype dtype, const void *tensor, const int32_t *indices,
                                   int num_updates, int slice_rank, const void *updates,
                                   int updates_size, int updates_scalar, const int32_t *shape,
                                   int rank, void *out) {
    scatter_plan p;
    cw_status st = plan_scatter(&p, "TensorScatterUpdate", dtype, indices, num_updates, slice_rank,
                                updates, updates_size, updates_scalar, shape, rank);
    if (st == CW_OK) st = check_indices(&p);
    if (st != CW_OK || p.out_size == 0) return st;
    if (out != tensor) memmove(out, tensor, p.out_size * cw_dtype_size(dtype));
    apply_updates(&p, SCATTER_ASSIGN, out);
    return CW_OK;
}

cw_status cw_sparse_to_dense(cw_dtype dtype, const int32_t *indices, int num_updates,
                             int slice_rank, const void *values, int values_size, int values_scalar,
                             const void *default_value, const int32_t *shape, int rank, void *out) {
    scatter_plan p;
    cw_status st = plan_scatter(&p, "SparseToDense", dtype, indices, num_updates, slice_rank,
                                values, values_size, values_scalar, shape, rank);
    if (st == CW_OK) st = check_indices(&p);
    if (st != CW_OK || p.out_size == 0) return st;
    fill_elems(out, p.out_size, default_value, cw_dtype_size(dtype));
    apply_updates(&p, SCATTER_ASSIGN, out);
    return CW_OK;
}
