#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const int32_t *indices;
    int32_t depth;
    unsigned char on[4], off[4];
    unsigned char *out;
} one_hot_job;

/* One task index = one output row. */
static void one_hot_rows(void *ctx, size_t begin, size_t end) {
    const one_hot_job *job = ctx;
    size_t row = (size_t)job->depth * 4;
    for (size_t i = begin; i < end; i++) {
        unsigned char *dst = job->out + i * row;
        cw_layout_fill(dst, job->off, (size_t)job->depth, 4);
        int32_t c = job->indices[i];
        if (c >= 0 && c < job->depth) memcpy(dst + (size_t)c * 4, job->on, 4);
    }
}

cw_status cw_one_hot(const int32_t *indices, int n, int depth, float on, float off, int out_i32,
                     void *out) {
    if (n < 0 || depth < 0)
        return cw_error(CW_ERR_INVALID, "OneHot: count %d and depth %d must be >= 0", n, depth);
    if (n == 0 || depth == 0) return CW_OK;
    one_hot_job job = {indices, depth, {0}, {0}, out};
    if (out_i32) {
        int32_t a = (int32_t)on, b = (int32_t)off;
        memcpy(job.on, &a, 4);
        memcpy(job.off, &b, 4);
    } else {
        memcpy(job.on, &on, 4);
        memcpy(job.off, &off, 4);
    }
    size_t row = (size_t)depth * 4;
    size_t grain = row >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / row;
    cw_parallel_for((size_t)n, grain, one_hot_rows, &job);
    return CW_OK;
}
