#include "kernels/layout/layout_view.h"

#include <assert.h>

#include "core/parallel.h"

/* Tile edge of the blocked transpose: 32 x 32 four-byte elements are 4 KiB
 * read and 4 KiB written, well inside L1 on every target. */
#define CW_LAYOUT_BLOCK 32

cw_status cw_layout_check(const char *op, int elem_size, const int32_t *shape, int rank) {
    if (elem_size != 1 && elem_size != 4)
        return cw_error(CW_ERR_INVALID, "%s: element size %d is not 1 or 4", op, elem_size);
    if (rank < 0 || rank > CW_MAX_RANK)
        return cw_error(CW_ERR_INVALID, "%s: rank %d is not in [0, %d]", op, rank, CW_MAX_RANK);
    for (int d = 0; d < rank; d++) {
        if (shape[d] < 0)
            return cw_error(CW_ERR_INVALID, "%s: dimension %d of the input is %d (negative)", op, d,
                            (int)shape[d]);
    }
    return CW_OK;
}

/* Drops unit axes and merges axis k into k+1 when stepping k equals walking
 * all of k+1, so e.g. a slice that keeps whole rows becomes one long row. */
static void view_simplify(cw_layout_view *v) {
    cw_layout_view s;
    s.rank = 0;
    for (int k = 0; k < v->rank; k++) {
        if (v->shape[k] == 1) continue;
        if (s.rank > 0) {
            int j = s.rank - 1;
            if (s.stride[j] == v->stride[k] * (ptrdiff_t)v->shape[k]) {
                s.shape[j] *= v->shape[k];
                s.stride[j] = v->stride[k];
                continue;
            }
        }
        s.shape[s.rank] = v->shape[k];
        s.stride[s.rank] = v->stride[k];
        s.rank++;
    }
    *v = s;
}

/* Input offset (elements) of flat outer index q over axes [0, naxes). */
static ptrdiff_t view_offset(const cw_layout_view *v, int naxes, size_t q, int32_t *idx) {
    ptrdiff_t off = 0;
    for (int k = naxes - 1; k >= 0; k--) {
        idx[k] = (int32_t)(q % (size_t)v->shape[k]);
        q /= (size_t)v->shape[k];
        off += (ptrdiff_t)idx[k] * v->stride[k];
    }
    return off;
}

/* Advances the odometer idx over axes [0, naxes) and its offset. */
static ptrdiff_t view_next(const cw_layout_view *v, int naxes, int32_t *idx, ptrdiff_t off) {
    for (int k = naxes - 1; k >= 0; k--) {
        off += v->stride[k];
        if (++idx[k] < v->shape[k]) return off;
        off -= (ptrdiff_t)v->shape[k] * v->stride[k];
        idx[k] = 0;
    }
    return off;
}

typedef struct {
    const unsigned char *src;
    unsigned char *out;
    const cw_layout_view *v;
    int elem_size;
    int outer_axes; /* axes enumerated by the task index */
    size_t row;     /* output elements per task index */
} copy_job;

static void gather_row(unsigned char *dst, const unsigned char *src, size_t n, ptrdiff_t stride,
                       int elem_size) {
    if (elem_size == 1) {
        for (size_t j = 0; j < n; j++) dst[j] = src[(ptrdiff_t)j * stride];
    } else {
        for (size_t j = 0; j < n; j++) memcpy(dst + 4 * j, src + 4 * (ptrdiff_t)j * stride, 4);
    }
}

/* One task index = one output row of the last axis. */
static void copy_rows(void *ctx, size_t begin, size_t end) {
    const copy_job *job = ctx;
    const cw_layout_view *v = job->v;
    int32_t idx[CW_LAYOUT_VIEW_MAX];
    ptrdiff_t off = view_offset(v, job->outer_axes, begin, idx);
    ptrdiff_t inner_stride = v->stride[v->rank - 1];
    size_t es = (size_t)job->elem_size, row_bytes = job->row * es;
    for (size_t q = begin; q < end; q++) {
        const unsigned char *s = job->src + off * (ptrdiff_t)es;
        unsigned char *d = job->out + q * row_bytes;
        if (inner_stride == 1)
            memcpy(d, s, row_bytes);
        else
            gather_row(d, s, job->row, inner_stride, job->elem_size);
        off = view_next(v, job->outer_axes, idx, off);
    }
}

/* One task index = CW_LAYOUT_BLOCK rows of axis rank-2 (input stride 1) of
 * one outer index; the rows are walked in square tiles over the last axis. */
static void copy_blocked(void *ctx, size_t begin, size_t end) {
    const copy_job *job = ctx;
    const cw_layout_view *v = job->v;
    int r = v->rank;
    size_t rows = (size_t)v->shape[r - 2], cols = (size_t)v->shape[r - 1];
    size_t nblk = (rows + CW_LAYOUT_BLOCK - 1) / CW_LAYOUT_BLOCK;
    ptrdiff_t cs = v->stride[r - 1];
    size_t es = (size_t)job->elem_size;
    int32_t idx[CW_LAYOUT_VIEW_MAX];
    for (size_t t = begin; t < end; t++) {
        size_t o = t / nblk, i0 = (t % nblk) * CW_LAYOUT_BLOCK;
        size_t i1 = i0 + CW_LAYOUT_BLOCK < rows ? i0 + CW_LAYOUT_BLOCK : rows;
        ptrdiff_t base = view_offset(v, r - 2, o, idx);
        unsigned char *dst = job->out + o * rows * cols * es;
        for (size_t j0 = 0; j0 < cols; j0 += CW_LAYOUT_BLOCK) {
            size_t j1 = j0 + CW_LAYOUT_BLOCK < cols ? j0 + CW_LAYOUT_BLOCK : cols;
            for (size_t i = i0; i < i1; i++) {
                const unsigned char *s =
                    job->src + (base + (ptrdiff_t)i + (ptrdiff_t)j0 * cs) * (ptrdiff_t)es;
                gather_row(dst + (i * cols + j0) * es, s, j1 - j0, cs, job->elem_size);
            }
        }
    }
}

void cw_layout_view_copy(int elem_size, const void *src, cw_layout_view v, void *out) {
    assert(elem_size == 1 || elem_size == 4);
    for (int k = 0; k < v.rank; k++) {
        if (v.shape[k] == 0) return;
    }
    view_simplify(&v);
    if (v.rank == 0) {
        memcpy(out, src, (size_t)elem_size);
        return;
    }
    int r = v.rank;
    copy_job job = {src, out, &v, elem_size, r - 1, (size_t)v.shape[r - 1]};
    if (r >= 2 && v.stride[r - 2] == 1 && v.stride[r - 1] != 0 && v.shape[r - 1] >= 4) {
        size_t outer = 1;
        for (int k = 0; k < r - 2; k++) outer *= (size_t)v.shape[k];
        size_t rows = (size_t)v.shape[r - 2];
        size_t nblk = (rows + CW_LAYOUT_BLOCK - 1) / CW_LAYOUT_BLOCK;
        size_t task_bytes = (size_t)CW_LAYOUT_BLOCK * (size_t)v.shape[r - 1] * (size_t)elem_size;
        size_t grain = task_bytes >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / task_bytes;
        cw_parallel_for(outer * nblk, grain, copy_blocked, &job);
        return;
    }
    size_t outer = 1;
    for (int k = 0; k < r - 1; k++) outer *= (size_t)v.shape[k];
    size_t row_bytes = job.row * (size_t)elem_size;
    size_t grain = row_bytes >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / row_bytes;
    cw_parallel_for(outer, grain, copy_rows, &job);
}
