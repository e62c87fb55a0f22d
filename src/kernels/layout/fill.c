#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const void *value;
    int elem_size;
    unsigned char *out;
} fill_job;

static void fill_range(void *ctx, size_t begin, size_t end) {
    const fill_job *job = ctx;
    cw_layout_fill(job->out + begin * (size_t)job->elem_size, job->value, end - begin,
                   job->elem_size);
}

cw_status cw_fill(int elem_size, const void *value, size_t n, void *out) {
    if (elem_size != 1 && elem_size != 4)
        return cw_error(CW_ERR_INVALID, "Fill: element size %d is not 1 or 4", elem_size);
    if (n == 0) return CW_OK;
    if (value == NULL) return cw_error(CW_ERR_INVALID, "Fill: the value is NULL");
    fill_job job = {value, elem_size, out};
    cw_parallel_for(n, CW_LAYOUT_TASK_BYTES * 4 / (size_t)elem_size, fill_range, &job);
    return CW_OK;
}
