#include "kernels/layout/layout.h"

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const unsigned char *const *inputs;
    const size_t *bytes;  /* per input: bytes of one row */
    const size_t *starts; /* per input: byte offset inside an output row */
    size_t count, out_row;
    unsigned char *out;
} concat_job;

/* One task index = one (outer row, input) piece, in output order. */
static void concat_pieces(void *ctx, size_t begin, size_t end) {
    const concat_job *job = ctx;
    for (size_t p = begin; p < end; p++) {
        size_t o = p / job->count, i = p % job->count;
        size_t n = job->bytes[i];
        if (n > 0) memcpy(job->out + o * job->out_row + job->starts[i], job->inputs[i] + o * n, n);
    }
}

cw_status cw_concat(int elem_size, const void *const *inputs, const int32_t *inner_sizes, int count,
                    int outer, void *out) {
    if (elem_size != 1 && elem_size != 4)
        return cw_error(CW_ERR_INVALID, "Concat: element size %d is not 1 or 4", elem_size);
    if (count < 0 || outer < 0)
        return cw_error(CW_ERR_INVALID, "Concat: count %d and outer %d must be >= 0", count, outer);
    if (count == 0 || outer == 0) return CW_OK;
    size_t *buf = cw_alloc(2 * (size_t)count * sizeof(size_t));
    if (!buf) return cw_error(CW_ERR_NOMEM, "Concat: no memory for %d inputs", count);
    concat_job job = {
        (const unsigned char *const *)inputs, buf, buf + count, (size_t)count, 0, out};
    size_t row = 0;
    for (int i = 0; i < count; i++) {
        if (inner_sizes[i] < 0) {
            cw_free(buf);
            return cw_error(CW_ERR_INVALID, "Concat: inner size %d of input %d is negative",
                            (int)inner_sizes[i], i);
        }
        if (inner_sizes[i] > 0 && inputs[i] == NULL) {
            cw_free(buf);
            return cw_error(CW_ERR_INVALID, "Concat: input %d is NULL", i);
        }
        buf[i] = (size_t)inner_sizes[i] * (size_t)elem_size;
        buf[count + i] = row;
        row += buf[i];
        if (row < buf[i] || (row > 0 && cw_mul_size(row, (size_t)outer) == 0)) {
            cw_free(buf);
            return cw_error(CW_ERR_NOMEM, "Concat: output size overflows");
        }
    }
    job.out_row = row;
    if (row > 0) {
        size_t avg = row / (size_t)count + 1;
        size_t grain = avg >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / avg;
        cw_parallel_for((size_t)outer * (size_t)count, grain, concat_pieces, &job);
    }
    cw_free(buf);
    return CW_OK;
}
