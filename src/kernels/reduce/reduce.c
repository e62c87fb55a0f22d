/* cw_reduce: validation, the empty case, and the parallel split over
 * outputs. The arithmetic lives in the micro-kernels (reduce_ukernel.h). */
#include "kernels/reduce/reduce.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/reduce/reduce_ukernel.h"

static const char *const op_names[] = {"Sum", "Mean", "Max",    "Min",   "Prod",
                                       "All", "Any",  "ArgMax", "ArgMin"};

static size_t out_elem_size(cw_reduce_op op, cw_dtype dtype) {
    if (op == CW_REDUCE_ALL || op == CW_REDUCE_ANY) return 1;
    (void)dtype;
    return 4; /* f32, i32, or i32 indices */
}

/* What tfjs-backend-cpu produces when the reduced axis is empty. */
static void fill_empty(cw_reduce_op op, cw_dtype dtype, size_t n, void *out) {
    switch (op) {
    case CW_REDUCE_PROD:
        for (size_t i = 0; i < n; i++) {
            if (dtype == CW_F32)
                ((float *)out)[i] = 1.0f;
            else
                ((int32_t *)out)[i] = 1;
        }
        return;
    case CW_REDUCE_MAX:
    case CW_REDUCE_MIN:
        /* cpu reads x[offset] past the end: undefined -> NaN / 0. */
        if (dtype == CW_F32) {
            for (size_t i = 0; i < n; i++) ((float *)out)[i] = NAN;
            return;
        }
        break;
    default:
        break;
    }
    memset(out, 0, n * out_elem_size(op, dtype)); /* 0, 0.0f, false, index 0 */
}

typedef struct {
    cw_reduce_op op;
    cw_dtype dtype;
    const char *x;
    char *out;
    size_t reduce, inner;
} reduce_job;

/* One [reduce, inner] slice, output columns [c0, c1). */
static void reduce_slice(const reduce_job *j, size_t o, size_t c0, size_t c1) {
    const size_t in_size = cw_dtype_size(j->dtype);
    const void *x = j->x + o * j->reduce * j->inner * in_size;
    void *out = j->out + o * j->inner * out_elem_size(j->op, j->dtype);
    const size_t reduce = j->reduce, inner = j->inner;

    if (j->dtype == CW_F32) {
        const float *xf = (const float *)x;
        float *of = (float *)out;
        switch (j->op) {
        case CW_REDUCE_SUM:
        case CW_REDUCE_MEAN: {
            double divisor = j->op == CW_REDUCE_MEAN ? (double)reduce : 1.0;
            if (inner == 1) {
                of[0] = (float)(cw_reduce_f32_sum_row(xf, reduce) / divisor);
            } else {
                cw_reduce_f32_sum_cols(xf, reduce, inner, c0, c1, divisor, of);
            }
            return;
        }
        case CW_REDUCE_MAX:
            if (inner == 1)
                of[0] = cw_reduce_f32_max_row(xf, reduce);
            else
                cw_reduce_f32_max_cols(xf, reduce, inner, c0, c1, of);
            return;
        case CW_REDUCE_MIN:
            if (inner == 1)
                of[0] = cw_reduce_f32_min_row(xf, reduce);
            else
                cw_reduce_f32_min_cols(xf, reduce, inner, c0, c1, of);
            return;
        default:
            break;
        }
    }
    cw_reduce_scalar_cols(j->op, j->dtype, x, reduce, inner, c0, c1, out);
}

/* Serial equivalent: for each output index i in [begin, end), with
 * o = i / inner and c = i % inner, compute out[o, c]. */
static void reduce_range(void *ctx, size_t begin, size_t end) {
    const reduce_job *j = (const reduce_job *)ctx;
    size_t i = begin;
    while (i < end) {
        size_t o = i / j->inner, c0 = i % j->inner;
        size_t c1 = j->inner - c0 < end - i ? j->inner : c0 + (end - i);
        reduce_slice(j, o, c0, c1);
        i += c1 - c0;
    }
}

static cw_status check_args(cw_reduce_op op, cw_dtype dtype, const void *x, int outer, int reduce,
                            int inner, const void *out) {
    if ((int)op < CW_REDUCE_SUM || (int)op > CW_REDUCE_ARGMIN) {
        return cw_error(CW_ERR_INVALID, "reduce: unknown op %d", (int)op);
    }
    const char *name = op_names[op];
    if ((int)dtype < CW_F32 || (int)dtype > CW_BOOL) {
        return cw_error(CW_ERR_INVALID, "reduce %s: unknown dtype %d", name, (int)dtype);
    }
    if (op == CW_REDUCE_ALL || op == CW_REDUCE_ANY) {
        if (dtype != CW_BOOL) {
            return cw_error(CW_ERR_INVALID, "reduce %s: x must be bool, got dtype %d", name,
                            (int)dtype);
        }
    } else if (dtype == CW_BOOL) {
        return cw_error(CW_ERR_INVALID,
                        "reduce %s: x must be float32 or int32, got bool "
                        "(cast it to int32 first)",
                        name);
    }
    if (outer < 0 || reduce < 0 || inner < 0) {
        return cw_error(CW_ERR_INVALID,
                        "reduce %s: sizes must be >= 0, got outer %d, reduce %d, inner %d", name,
                        outer, reduce, inner);
    }
    size_t n_out = cw_mul_size((size_t)outer, (size_t)inner);
    size_t n_in = cw_mul_size(n_out, (size_t)reduce);
    if ((outer && inner && !n_out) || (n_out && reduce && !n_in) ||
        (n_in && !cw_mul_size(n_in, 4))) {
        return cw_error(CW_ERR_INVALID, "reduce %s: %d x %d x %d elements overflow memory", name,
                        outer, reduce, inner);
    }
    if (n_in && !x) return cw_error(CW_ERR_INVALID, "reduce %s: x is NULL", name);
    if (n_out && !out) return cw_error(CW_ERR_INVALID, "reduce %s: out is NULL", name);
    return CW_OK;
}

cw_status cw_reduce(cw_reduce_op op, cw_dtype dtype, const void *x, int outer, int reduce,
                    int inner, void *out) {
    cw_status st = check_args(op, dtype, x, outer, reduce, inner, out);
    if (st != CW_OK) return st;
    size_t n_out = (size_t)outer * (size_t)inner;
    if (n_out == 0) return CW_OK;
    if (reduce == 0) {
        fill_empty(op, dtype, n_out, out);
        return CW_OK;
    }
    reduce_job job = {op, dtype, (const char *)x, (char *)out, (size_t)reduce, (size_t)inner};
    /* About 16K input elements per task; whole 16-column tiles when the
     * columns are vectorised. The split never changes a result. */
    size_t grain = 16384 / (size_t)reduce;
    if (grain < 1) grain = 1;
    if (inner >= 16) grain = (grain + 15) & ~(size_t)15;
    cw_parallel_for(n_out, grain, reduce_range, &job);
    return CW_OK;
}
