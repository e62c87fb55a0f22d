#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const unsigned char *x;
    const int32_t *indices;
    unsigned char *out;
    size_t outer, axis_dim, n_indices, row; /* row: bytes of one inner slice */
} gather_job;

/* One task index = one output row out[b, o, j, :]. */
static void gather_rows(void *ctx, size_t begin, size_t end) {
    const gather_job *job = ctx;
    for (size_t q = begin; q < end; q++) {
        size_t j = q % job->n_indices, bo = q / job->n_indices, b = bo / job->outer;
        size_t idx = (size_t)job->indices[b * job->n_indices + j];
        memcpy(job->out + q * job->row, job->x + (bo * job->axis_dim + idx) * job->row, job->row);
    }
}

cw_status cw_gather(int elem_size, const void *x, int outer, int axis_dim, int inner,
                    const int32_t *indices, int n_indices, int batch, void *out) {
    if (elem_size != 1 && elem_size != 4)
        return cw_error(CW_ERR_INVALID, "GatherV2: element size %d is not 1 or 4", elem_size);
    if (batch < 0 || outer < 0 || axis_dim < 0 || inner < 0 || n_indices < 0)
        return cw_error(CW_ERR_INVALID,
                        "GatherV2: sizes batch %d, outer %d, axis %d, inner %d, indices %d must "
                        "be >= 0",
                        batch, outer, axis_dim, inner, n_indices);
    size_t n_idx = (size_t)batch * (size_t)n_indices;
    for (size_t i = 0; i < n_idx; i++) {
        if (indices[i] < 0 || indices[i] >= axis_dim)
            return cw_error(CW_ERR_INVALID, "GatherV2: the index value %d is not in [0, %d]",
                            (int)indices[i], axis_dim - 1);
    }
    size_t rows = (size_t)batch * (size_t)outer * (size_t)n_indices;
    if (rows == 0 || inner == 0) return CW_OK;
    gather_job job = {x,
                      indices,
                      out,
                      (size_t)outer,
                      (size_t)axis_dim,
                      (size_t)n_indices,
                      (size_t)inner * (size_t)elem_size};
    size_t grain = job.row >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / job.row;
    cw_parallel_for(rows, grain, gather_rows, &job);
    return CW_OK;
}
