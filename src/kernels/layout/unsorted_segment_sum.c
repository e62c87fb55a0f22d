#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const void *x;
    const int32_t *ids;
    void *out;
    size_t n_rows, row_size;
    int32_t num_segments;
} segment_job;

/* One task index = one column; a task walks every row in order, so each
 * output element is summed in row order whatever the split. */
static void segment_sum_f32(void *ctx, size_t begin, size_t end) {
    const segment_job *job = ctx;
    const float *x = job->x;
    float *out = job->out;
    for (size_t r = 0; r < job->n_rows; r++) {
        int32_t s = job->ids[r];
        if (s < 0 || s >= job->num_segments) continue;
        const float *src = x + r * job->row_size;
        float *dst = out + (size_t)s * job->row_size;
        for (size_t c = begin; c < end; c++) dst[c] += src[c];
    }
}

static void segment_sum_i32(void *ctx, size_t begin, size_t end) {
    const segment_job *job = ctx;
    const int32_t *x = job->x;
    int32_t *out = job->out;
    for (size_t r = 0; r < job->n_rows; r++) {
        int32_t s = job->ids[r];
        if (s < 0 || s >= job->num_segments) continue;
        const int32_t *src = x + r * job->row_size;
        int32_t *dst = out + (size_t)s * job->row_size;
        for (size_t c = begin; c < end; c++)
            dst[c] = (int32_t)((uint32_t)dst[c] + (uint32_t)src[c]);
    }
}

cw_status cw_unsorted_segment_sum(cw_dtype dtype, const void *x, int n_rows, int row_size,
                                  const int32_t *segment_ids, int num_segments, void *out) {
    if (dtype != CW_F32 && dtype != CW_I32)
        return cw_error(CW_ERR_INVALID, "UnsortedSegmentSum: dtype %d is not float32 or int32",
                        (int)dtype);
    if (n_rows < 0 || row_size < 0 || num_segments < 0)
        return cw_error(CW_ERR_INVALID,
                        "UnsortedSegmentSum: rows %d, row size %d and segments %d must be >= 0",
                        n_rows, row_size, num_segments);
    size_t out_n = (size_t)num_segments * (size_t)row_size;
    if (out_n == 0) return CW_OK;
    memset(out, 0, out_n * 4);
    if (n_rows == 0) return CW_OK;
    segment_job job = {x, segment_ids, out, (size_t)n_rows, (size_t)row_size, num_segments};
    /* A task should touch about CW_LAYOUT_TASK_BYTES of x; narrower column
     * strips than 16 floats would share cache lines between threads. */
    size_t per_col = (size_t)n_rows * 4;
    size_t grain = per_col >= CW_LAYOUT_TASK_BYTES ? 16 : CW_LAYOUT_TASK_BYTES / per_col;
    if (grain < 16) grain = 16;
    cw_parallel_for((size_t)row_size, grain, dtype == CW_F32 ? segment_sum_f32 : segment_sum_i32,
                    &job);
    return CW_OK;
}
