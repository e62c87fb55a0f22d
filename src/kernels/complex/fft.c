/* cw_fft: validation, tables, and the parallel loop over rows.
 *
 * Rows are independent and each is computed by one task with the same code,
 * so results do not depend on the thread count. Power-of-two rows need no
 * scratch (they transform into the output); other lengths get one scratch
 * buffer per task, allocated before the parallel loop so no task can fail. */
#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/complex/complex.h"
#include "kernels/complex/fft_internal.h"
#include "simd/vec.h"

/* Complex values per parallel task for power-of-two rows. */
#define CW_FFT_GRAIN 16384
/* Longest row: keeps Bluestein's 4n-sized buffers within a 32-bit size_t. */
#define CW_FFT_MAX_LENGTH ((size_t)1 << 28)

typedef struct {
    const float *in_re, *in_im;
    float *out_re, *out_im;
    size_t batch, n;
    int inverse;
    const float *tw_re, *tw_im;
    const uint32_t *rev;
    const cw_fft_any_plan *any;
    double *scratch;
    size_t scratch_doubles, tasks;
} fft_ctx;

/* x /= n, four lanes at a time (IEEE division, as tfjs-backend-cpu's RealDiv). */
static void divide_row(float *x, size_t len, float n) {
    const cw_v4f vn = cw_v4f_splat(n);
    size_t i = 0;
    for (; i + CW_VEC_LANES <= len; i += CW_VEC_LANES)
        cw_v4f_store(x + i, cw_v4f_div(cw_v4f_load(x + i), vn));
    for (; i < len; i++) x[i] = x[i] / n;
}

static void pow2_rows(void *ctx, size_t begin, size_t end) {
    const fft_ctx *c = ctx;
    for (size_t b = begin; b < end; b++) {
        size_t o = b * c->n;
        cw_fft_pow2_row_f32(c->n, c->tw_re, c->tw_im, c->rev, c->in_re + o, c->in_im + o,
                            c->out_re + o, c->out_im + o);
        if (c->inverse) {
            divide_row(c->out_re + o, c->n, (float)c->n);
            divide_row(c->out_im + o, c->n, (float)c->n);
        }
    }
}

/* Task t: rows [t * batch / tasks, (t + 1) * batch / tasks) with scratch t. */
static void any_tasks(void *ctx, size_t begin, size_t end) {
    const fft_ctx *c = ctx;
    for (size_t t = begin; t < end; t++) {
        double *scratch = c->scratch + t * c->scratch_doubles;
        size_t r0 = t * c->batch / c->tasks, r1 = (t + 1) * c->batch / c->tasks;
        for (size_t b = r0; b < r1; b++) {
            size_t o = b * c->n;
            cw_fft_any_row(c->any, scratch, c->in_re + o, c->in_im + o, c->out_re + o,
                           c->out_im + o);
        }
    }
}

static cw_status fft_pow2(fft_ctx *c) {
    const size_t n = c->n;
    float *tw_re = cw_alloc(n * sizeof(float)), *tw_im = cw_alloc(n * sizeof(float));
    uint32_t *rev = cw_alloc(n * sizeof(uint32_t));
    cw_status st = CW_OK;
    if (tw_re == NULL || tw_im == NULL || rev == NULL) {
        st = cw_error(CW_ERR_NOMEM, "%s: out of memory for length %zu", c->inverse ? "IFFT" : "FFT",
                      n);
        goto end;
    }
    cw_fft_pow2_tables_f32(n, c->inverse, tw_re, tw_im, rev);
    c->tw_re = tw_re;
    c->tw_im = tw_im;
    c->rev = rev;
    size_t grain = CW_FFT_GRAIN / n;
    cw_parallel_for(c->batch, grain ? grain : 1, pow2_rows, c);
end:
    cw_free(tw_re);
    cw_free(tw_im);
    cw_free(rev);
    return st;
}

static cw_status fft_any(fft_ctx *c) {
    cw_fft_any_plan plan;
    cw_status st = cw_fft_any_plan_init(&plan, c->n, c->inverse);
    if (st != CW_OK) return st;
    size_t threads = (size_t)cw_threads_count();
    c->any = &plan;
    c->tasks = c->batch < threads ? c->batch : threads;
    c->scratch_doubles = cw_fft_any_scratch(&plan);
    size_t bytes = cw_mul_size(cw_mul_size(c->tasks, c->scratch_doubles), sizeof(double));
    c->scratch = bytes ? cw_alloc(bytes) : NULL;
    if (c->scratch == NULL) {
        st = cw_error(CW_ERR_NOMEM, "%s: out of memory for length %zu", c->inverse ? "IFFT" : "FFT",
                      c->n);
    } else {
        cw_parallel_for(c->tasks, 1, any_tasks, c);
    }
    cw_free(c->scratch);
    cw_fft_any_plan_free(&plan);
    return st;
}

cw_status cw_fft(const float *in_re, const float *in_im, float *out_re, float *out_im, size_t batch,
                 size_t n, int inverse) {
    const char *name = inverse ? "IFFT" : "FFT";
    if (batch == 0 || n == 0) return CW_OK;
    if (n > CW_FFT_MAX_LENGTH)
        return cw_error(CW_ERR_INVALID, "%s: length %zu is above the maximum %zu", name, n,
                        CW_FFT_MAX_LENGTH);
    if (cw_mul_size(cw_mul_size(batch, n), 2 * sizeof(float)) == 0)
        return cw_error(CW_ERR_NOMEM, "%s: %zu rows of length %zu are too large", name, batch, n);
    if (in_re == NULL || in_im == NULL || out_re == NULL || out_im == NULL)
        return cw_error(CW_ERR_INVALID, "%s: NULL data pointer", name);
    fft_ctx c = {.in_re = in_re,
                 .in_im = in_im,
                 .out_re = out_re,
                 .out_im = out_im,
                 .batch = batch,
                 .n = n,
                 .inverse = inverse != 0};
    return (n & (n - 1)) == 0 ? fft_pow2(&c) : fft_any(&c);
}
