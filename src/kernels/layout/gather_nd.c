#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const unsigned char *x;
    const int32_t *indices;
    unsigned char *out;
    int depth;
    size_t row;                     /* bytes of one slice */
    ptrdiff_t strides[CW_MAX_RANK]; /* in slices, per indexed dimension */
} gather_nd_job;

/* One task index = one output slice. */
static void gather_nd_slices(void *ctx, size_t begin, size_t end) {
    const gather_nd_job *job = ctx;
    for (size_t s = begin; s < end; s++) {
        const int32_t *ix = job->indices + s * (size_t)job->depth;
        ptrdiff_t off = 0;
        for (int k = 0; k < job->depth; k++) off += (ptrdiff_t)ix[k] * job->strides[k];
        memcpy(job->out + s * job->row, job->x + (size_t)off * job->row, job->row);
    }
}

cw_status cw_gather_nd(int elem_size, const void *x, const int32_t *x_shape, int x_rank,
                       const int32_t *indices, int n_slices, int index_depth, int slice_size,
                       void *out) {
    cw_status st = cw_layout_check("GatherNd", elem_size, x_shape, x_rank);
    if (st != CW_OK) return st;
    if (index_depth < 0 || index_depth > x_rank)
        return cw_error(CW_ERR_INVALID, "GatherNd: index depth %d is not in [0, %d]", index_depth,
                        x_rank);
    if (n_slices < 0)
        return cw_error(CW_ERR_INVALID, "GatherNd: slice count %d is negative", n_slices);
    int64_t want = 1;
    for (int d = index_depth; d < x_rank; d++) want *= x_shape[d];
    if (slice_size < 0 || want != slice_size)
        return cw_error(CW_ERR_INVALID,
                        "GatherNd: slice size %d does not match the %lld elements of x's "
                        "trailing %d dimensions",
                        slice_size, (long long)want, x_rank - index_depth);
    for (size_t s = 0; s < (size_t)n_slices; s++) {
        for (int k = 0; k < index_depth; k++) {
            int32_t v = indices[s * (size_t)index_depth + (size_t)k];
            if (v < 0 || v >= x_shape[k])
                return cw_error(CW_ERR_INVALID,
                                "GatherNd: index [%zu, %d] = %d is not in [0, %d] (dimension %d "
                                "of x)",
                                s, k, (int)v, (int)x_shape[k] - 1, k);
        }
    }
    if (n_slices == 0 || slice_size == 0) return CW_OK;
    gather_nd_job job;
    job.x = x;
    job.indices = indices;
    job.out = out;
    job.depth = index_depth;
    job.row = (size_t)slice_size * (size_t)elem_size;
    cw_layout_strides(x_shape, index_depth, job.strides);
    size_t grain = job.row >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / job.row;
    cw_parallel_for((size_t)n_slices, grain, gather_nd_slices, &job);
    return CW_OK;
}
