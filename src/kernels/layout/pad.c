#include "kernels/layout/layout.h"

#include "core/parallel.h"
#include "kernels/layout/layout_view.h"

typedef struct {
    const unsigned char *x;
    unsigned char *out;
    int elem_size, rank;
    int mode; /* PAD_CONSTANT, PAD_REFLECT, PAD_SYMMETRIC */
    const void *value;
    int32_t shape[CW_MAX_RANK], before[CW_MAX_RANK], out_shape[CW_MAX_RANK];
    ptrdiff_t strides[CW_MAX_RANK];
} pad_job;

enum { PAD_CONSTANT = 0, PAD_REFLECT = 1, PAD_SYMMETRIC = 2 };

/* Input coordinate of output coordinate c on axis d, or -1 in constant
 * padding. Mirror pads are validated to reach at most one reflection. */
static int32_t pad_source(const pad_job *job, int d, int32_t c) {
    int32_t i = c - job->before[d], n = job->shape[d];
    if (i >= 0 && i < n) return i;
    if (job->mode == PAD_CONSTANT) return -1;
    int sym = job->mode == PAD_SYMMETRIC;
    return i < 0 ? (sym ? -i - 1 : -i) : (sym ? 2 * n - 1 - i : 2 * n - 2 - i);
}

/* One task index = one output row of the last axis. */
static void pad_rows(void *ctx, size_t begin, size_t end) {
    const pad_job *job = ctx;
    int last = job->rank - 1, es = job->elem_size;
    size_t ow = (size_t)job->out_shape[last], w = (size_t)job->shape[last];
    size_t left = (size_t)job->before[last], right = ow - left - w;
    int32_t idx[CW_MAX_RANK];
    size_t q = begin;
    for (int d = last - 1; d >= 0; d--) {
        idx[d] = (int32_t)(q % (size_t)job->out_shape[d]);
        q /= (size_t)job->out_shape[d];
    }
    for (q = begin; q < end; q++) {
        unsigned char *dst = job->out + q * ow * (size_t)es;
        ptrdiff_t off = 0;
        int inside = w > 0;
        for (int d = 0; d < last && inside; d++) {
            int32_t i = pad_source(job, d, idx[d]);
            if (i < 0) inside = 0;
            off += (ptrdiff_t)i * job->strides[d];
        }
        if (!inside) {
            cw_layout_fill(dst, job->value, ow, es);
        } else {
            const unsigned char *src = job->x + off * es;
            if (job->mode == PAD_CONSTANT) {
                cw_layout_fill(dst, job->value, left, es);
                cw_layout_fill(dst + (left + w) * (size_t)es, job->value, right, es);
            } else {
                for (size_t j = 0; j < left; j++)
                    memcpy(dst + j * (size_t)es,
                           src + (size_t)pad_source(job, last, (int32_t)j) * (size_t)es,
                           (size_t)es);
                for (size_t j = left + w; j < ow; j++)
                    memcpy(dst + j * (size_t)es,
                           src + (size_t)pad_source(job, last, (int32_t)j) * (size_t)es,
                           (size_t)es);
            }
            memcpy(dst + left * (size_t)es, src, w * (size_t)es);
        }
        for (int d = last - 1; d >= 0; d--) {
            if (++idx[d] < job->out_shape[d]) break;
            idx[d] = 0;
        }
    }
}

static cw_status pad_run(const char *op, int elem_size, const void *x, const int32_t *shape,
                         int rank, const int32_t *pad_before, const int32_t *pad_after, int mode,
                         const void *value, void *out) {
    cw_status st = cw_layout_check(op, elem_size, shape, rank);
    if (st != CW_OK) return st;
    pad_job job;
    job.x = x;
    job.out = out;
    job.elem_size = elem_size;
    job.rank = rank;
    job.mode = mode;
    job.value = value;
    if (mode == PAD_CONSTANT && value == NULL)
        return cw_error(CW_ERR_INVALID, "%s: the padding value is NULL", op);
    int limit_offset = mode == PAD_REFLECT ? 1 : 0;
    for (int d = 0; d < rank; d++) {
        if (pad_before[d] < 0 || pad_after[d] < 0)
            return cw_error(CW_ERR_INVALID, "%s: paddings of dimension %d are [%d, %d] (negative)",
                            op, d, (int)pad_before[d], (int)pad_after[d]);
        if (mode != PAD_CONSTANT &&
            (pad_before[d] > shape[d] - limit_offset || pad_after[d] > shape[d] - limit_offset))
            return cw_error(CW_ERR_INVALID,
                            "%s: paddings [%d, %d] of dimension %d must be <= %d in %s mode", op,
                            (int)pad_before[d], (int)pad_after[d], d, (int)shape[d] - limit_offset,
                            mode == PAD_REFLECT ? "reflect" : "symmetric");
        int64_t n = (int64_t)pad_before[d] + shape[d] + pad_after[d];
        if (n > INT32_MAX)
            return cw_error(CW_ERR_NOMEM, "%s: output dimension %d (%lld) overflows int32", op, d,
                            (long long)n);
        job.shape[d] = shape[d];
        job.before[d] = pad_before[d];
        job.out_shape[d] = (int32_t)n;
    }
    int overflow;
    size_t total = cw_layout_count(job.out_shape, rank, elem_size, &overflow);
    if (overflow) return cw_error(CW_ERR_NOMEM, "%s: output size overflows", op);
    if (total == 0) return CW_OK;
    if (rank == 0) {
        memcpy(out, x, (size_t)elem_size);
        return CW_OK;
    }
    cw_layout_strides(shape, rank, job.strides);
    size_t row_bytes = (size_t)job.out_shape[rank - 1] * (size_t)elem_size;
    size_t grain = row_bytes >= CW_LAYOUT_TASK_BYTES ? 1 : CW_LAYOUT_TASK_BYTES / row_bytes;
    cw_parallel_for(total / (size_t)job.out_shape[rank - 1], grain, pad_rows, &job);
    return CW_OK;
}

cw_status cw_pad(int elem_size, const void *x, const int32_t *shape, int rank,
                 const int32_t *pad_before, const int32_t *pad_after, const void *value,
                 void *out) {
    return pad_run("PadV2", elem_size, x, shape, rank, pad_before, pad_after, PAD_CONSTANT, value,
                   out);
}

cw_status cw_mirror_pad(int elem_size, const void *x, const int32_t *shape, int rank,
                        const int32_t *pad_before, const int32_t *pad_after, int symmetric,
                        void *out) {
    return pad_run("MirrorPad", elem_size, x, shape, rank, pad_before, pad_after,
                   symmetric ? PAD_SYMMETRIC : PAD_REFLECT, NULL, out);
}
