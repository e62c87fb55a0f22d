/* Softmax and log-softmax over the last axis, one row per task index. */
#include <math.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/reduce/reduce.h"
#include "kernels/reduce/reduce_ukernel.h"
#include "simd/vec.h"

typedef struct {
    const float *x;
    float *y;
    size_t cols;
    int log;
} softmax_job;

/* Subtracting the row max (NaN if the row has one, as tfjs) keeps every
 * exp() in (0, 1], so large logits cannot overflow. Reads of x[i] happen
 * before the write of y[i], so x == y is fine. */
static void softmax_row(const float *x, float *y, size_t n) {
    float m = cw_reduce_f32_max_row(x, n);
    for (size_t i = 0; i < n; i++) y[i] = expf(x[i] - m);
    float sum = (float)cw_reduce_f32_sum_row(y, n);
    cw_v4f s = cw_v4f_splat(sum);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) cw_v4f_store(y + i, cw_v4f_div(cw_v4f_load(y + i), s));
    for (; i < n; i++) y[i] /= sum;
}

/* tfjs-core: (x - max) - log(sum(exp(x - max))), the sum taken over the
 * float32 exps. */
static void log_softmax_row(const float *x, float *y, size_t n) {
    float m = cw_reduce_f32_max_row(x, n);
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        float d = x[i] - m;
        y[i] = d;
        s += (double)expf(d);
    }
    float ls = logf((float)s);
    cw_v4f vls = cw_v4f_splat(ls);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) cw_v4f_store(y + i, cw_v4f_sub(cw_v4f_load(y + i), vls));
    for (; i < n; i++) y[i] -= ls;
}

static void softmax_range(void *ctx, size_t begin, size_t end) {
    const softmax_job *j = (const softmax_job *)ctx;
    for (size_t r = begin; r < end; r++) {
        const float *x = j->x + r * j->cols;
        float *y = j->y + r * j->cols;
        if (j->log)
            log_softmax_row(x, y, j->cols);
        else
            softmax_row(x, y, j->cols);
    }
}

static cw_status softmax_run(const char *name, const float *logits, float *out, int rows, int cols,
                             int log) {
    if (rows < 0 || cols < 0) {
        return cw_error(CW_ERR_INVALID, "%s: rows and cols must be >= 0, got %d x %d", name, rows,
                        cols);
    }
    size_t n = cw_mul_size((size_t)rows, (size_t)cols);
    if (rows && cols && (!n || !cw_mul_size(n, sizeof(float)))) {
        return cw_error(CW_ERR_INVALID, "%s: %d x %d elements overflow memory", name, rows, cols);
    }
    if (n == 0) return CW_OK;
    if (!logits) return cw_error(CW_ERR_INVALID, "%s: logits is NULL", name);
    if (!out) return cw_error(CW_ERR_INVALID, "%s: out is NULL", name);
    softmax_job job = {logits, out, (size_t)cols, log};
    size_t grain = 8192 / (size_t)cols;
    cw_parallel_for((size_t)rows, grain ? grain : 1, softmax_range, &job);
    return CW_OK;
}

cw_status cw_softmax_f32(const float *logits, float *out, int rows, int cols) {
    return softmax_run("Softmax", logits, out, rows, cols, 0);
}

cw_status cw_log_softmax_f32(const float *logits, float *out, int rows, int cols) {
    return softmax_run("LogSoftmax", logits, out, rows, cols, 1);
}
