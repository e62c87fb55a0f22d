/* cw_pool_f32, cw_pool_max_argmax_f32: validate the geometry, plan, then run
 * one row kernel per (batch, out_d, out_h) row through the pool. */
#include <stdint.h>
#include <stdio.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/pool/pool_ukernel.h"

static const char *op_name(cw_pool_op op) {
    switch (op) {
    case CW_POOL_MAX_2D:
        return "MaxPool";
    case CW_POOL_AVG_2D:
        return "AvgPool";
    case CW_POOL_MAX_3D:
        return "MaxPool3D";
    case CW_POOL_AVG_3D:
        return "AvgPool3D";
    }
    return "Pool";
}

/* "h x w" (2-D) or "d x h x w" (3-D) into buf. */
static const char *dims(char *buf, size_t n, const int *v, int is3d) {
    if (is3d)
        snprintf(buf, n, "%d x %d x %d", v[0], v[1], v[2]);
    else
        snprintf(buf, n, "%d x %d", v[1], v[2]);
    return buf;
}

#define DIMS(v) dims(buf, 48, (v), is3d)
#define DIMS2(v) dims(buf + 48, 48, (v), is3d)

cw_status cw_pool_check_geom(const char *op, const cw_pool_geom *g, int is3d, int eff[3]) {
    char buf[96];
    if (!g) return cw_error(CW_ERR_INVALID, "%s: geometry is NULL", op);
    if (g->batch < 0 || g->channels < 0 || g->in[0] < 0 || g->in[1] < 0 || g->in[2] < 0)
        return cw_error(CW_ERR_INVALID, "%s: negative input shape: batch %d, %s, %d channels", op,
                        g->batch, DIMS(g->in), g->channels);
    if (!is3d && (g->in[0] != 1 || g->filter[0] != 1 || g->stride[0] != 1 || g->dilation[0] != 1 ||
                  g->out[0] != 1 || g->pad_before[0] != 0 || g->pad_after[0] != 0))
        return cw_error(CW_ERR_INVALID, "%s: a 2-D pool needs depth 1 in every depth entry", op);
    for (int i = 0; i < 3; i++) {
        if (g->filter[i] < 1)
            return cw_error(CW_ERR_INVALID, "%s: filter size %s, expected >= 1", op,
                            DIMS(g->filter));
        if (g->stride[i] < 1)
            return cw_error(CW_ERR_INVALID, "%s: strides %s, expected >= 1", op, DIMS(g->stride));
        if (g->dilation[i] < 1)
            return cw_error(CW_ERR_INVALID, "%s: dilations %s, expected >= 1", op,
                            DIMS(g->dilation));
        if (g->pad_before[i] < 0 || g->pad_after[i] < 0)
            return cw_error(CW_ERR_INVALID, "%s: padding before %s after %s, expected >= 0", op,
                            DIMS(g->pad_before), DIMS2(g->pad_after));
    }
    for (int i = 0; i < 3; i++) {
        const int64_t e = (int64_t)(g->filter[i] - 1) * g->dilation[i] + 1;
        const int64_t padded = (int64_t)g->in[i] + g->pad_before[i] + g->pad_after[i];
        if (e > INT32_MAX || padded > INT32_MAX)
            return cw_error(CW_ERR_INVALID, "%s: window or padded input past the int range", op);
        eff[i] = (int)e;
    }
    for (int i = 0; i < 3; i++) {
        /* One output needs its window to fit the padded input; 'ceil' rounding
         * may let the window stick out by up to stride - 1. */
        const int64_t padded = (int64_t)g->in[i] + g->pad_before[i] + g->pad_after[i];
        if (g->out[i] != 0 && eff[i] > padded + g->stride[i] - 1) {
            int p[3];
            for (int k = 0; k < 3; k++)
                p[k] = (int)((int64_t)g->in[k] + g->pad_before[k] + g->pad_after[k]);
            return cw_error(CW_ERR_INVALID, "%s: window %s is larger than the padded input %s", op,
                            DIMS(eff), DIMS2(p));
        }
    }
    for (int i = 0; i < 3; i++) {
        if (g->out[i] < 0)
            return cw_error(CW_ERR_INVALID, "%s: negative output size %s", op, DIMS(g->out));
        if ((int64_t)(g->out[i] > 0 ? g->out[i] - 1 : 0) * g->stride[i] + eff[i] > INT32_MAX)
            return cw_error(CW_ERR_INVALID,
                            "%s: output %s with strides %s reaches past the int "
                            "range",
                            op, DIMS(g->out), DIMS2(g->stride));
    }
    size_t n_in = (size_t)g->batch, n_out = (size_t)g->batch;
    for (int i = 0; i < 3; i++) {
        n_in = cw_mul_size(n_in, (size_t)g->in[i]);
        n_out = cw_mul_size(n_out, (size_t)g->out[i]);
    }
    n_in = cw_mul_size(n_in, (size_t)g->channels);
    n_out = cw_mul_size(n_out, (size_t)g->channels);
    const int in_empty =
        g->batch == 0 || g->channels == 0 || g->in[0] == 0 || g->in[1] == 0 || g->in[2] == 0;
    const int out_empty =
        g->batch == 0 || g->channels == 0 || g->out[0] == 0 || g->out[1] == 0 || g->out[2] == 0;
    if ((!in_empty && !cw_mul_size(n_in, sizeof(float))) ||
        (!out_empty && !cw_mul_size(n_out, sizeof(float))))
        return cw_error(CW_ERR_INVALID, "%s: tensor size overflows", op);
    return CW_OK;
}

static int geom_out_empty(const cw_pool_geom *g) {
    return g->batch == 0 || g->channels == 0 || g->out[0] == 0 || g->out[1] == 0 || g->out[2] == 0;
}

static int geom_in_empty(const cw_pool_geom *g) {
    return g->batch == 0 || g->channels == 0 || g->in[0] == 0 || g->in[1] == 0 || g->in[2] == 0;
}

static void plan_init(cw_pool_plan *p, const cw_pool_geom *g, const int eff[3], const float *x) {
    p->g = g;
    p->x = x;
    p->C = g->channels;
    for (int i = 0; i < 3; i++) p->eff[i] = eff[i];
    p->xs[3] = (size_t)g->channels;
    p->xs[2] = (size_t)g->in[2] * p->xs[3];
    p->xs[1] = (size_t)g->in[1] * p->xs[2];
    p->xs[0] = (size_t)g->in[0] * p->xs[1];
    p->y_row = (size_t)g->out[2] * (size_t)g->channels;
    p->y = NULL, p->idx = NULL;
    p->mode = CW_POOL_INDEX_FLAT;
    p->empty_zero = 0;
}

typedef struct {
    cw_pool_plan plan;
    void (*row)(const cw_pool_plan *p, size_t r);
} pool_job;

static void pool_rows(void *ctx, size_t begin, size_t end) {
    const pool_job *j = ctx;
    for (size_t r = begin; r < end; r++) j->row(&j->plan, r);
}

/* about 32k taps per task; the split never changes a result */
static void run(pool_job *j) {
    const cw_pool_geom *g = j->plan.g;
    const size_t rows = (size_t)g->batch * (size_t)g->out[0] * (size_t)g->out[1];
    size_t work = j->plan.y_row;
    for (int i = 0; i < 3; i++) work = cw_mul_size(work, (size_t)g->filter[i]);
    const size_t grain = work >= 32768 || work == 0 ? 1 : 32768 / work;
    cw_parallel_for(rows, grain, pool_rows, j);
}

cw_status cw_pool_f32(cw_pool_op op, const cw_pool_geom *g, const float *x, float *y) {
    if ((int)op < CW_POOL_MAX_2D || (int)op > CW_POOL_AVG_3D)
        return cw_error(CW_ERR_INVALID, "Pool: unknown op %d", (int)op);
    const char *name = op_name(op);
    const int is3d = op == CW_POOL_MAX_3D || op == CW_POOL_AVG_3D;
    int eff[3];
    cw_status s = cw_pool_check_geom(name, g, is3d, eff);
    if (s != CW_OK) return s;
    if (geom_out_empty(g)) return CW_OK;
    if (!y) return cw_error(CW_ERR_INVALID, "%s: y is NULL", name);
    if (!geom_in_empty(g) && !x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", name);

    pool_job j;
    plan_init(&j.plan, g, eff, x);
    j.plan.y = y;
    j.plan.empty_zero = op == CW_POOL_AVG_3D; /* cpu: 2-D count 0 -> 0 / 0, 3-D max(count, 1) */
    j.row = op == CW_POOL_MAX_2D || op == CW_POOL_MAX_3D ? cw_pool_row_max : cw_pool_row_avg;
    if (op == CW_POOL_MAX_2D && g->dilation[1] == 1 && g->dilation[2] == 1 && !geom_in_empty(g))
        j.row = cw_pool_row_max2d;
    run(&j);
    return CW_OK;
}

cw_status cw_pool_max_argmax_f32(const cw_pool_geom *g, cw_pool_index mode, const float *x,
                                 float *y, int32_t *idx) {
    static const char *name = "MaxPoolWithArgmax";
    if ((int)mode < CW_POOL_INDEX_FLAT || (int)mode > CW_POOL_INDEX_WINDOW)
        return cw_error(CW_ERR_INVALID, "%s: unknown index mode %d", name, (int)mode);
    int eff[3];
    cw_status s = cw_pool_check_geom(name, g, 0, eff);
    if (s != CW_OK) return s;
    if ((int64_t)eff[1] * eff[2] > (1 << 24))
        return cw_error(CW_ERR_UNSUPPORTED, "%s: window %d x %d has more than 2^24 positions", name,
                        eff[1], eff[2]);
    const int64_t flat = (int64_t)g->in[1] * g->in[2] * g->channels *
                         (mode == CW_POOL_INDEX_FLAT_BATCH ? g->batch : 1);
    if (mode != CW_POOL_INDEX_WINDOW && flat > INT32_MAX)
        return cw_error(CW_ERR_UNSUPPORTED, "%s: input positions past the int32 range", name);
    if (geom_out_empty(g)) return CW_OK;
    if (!idx) return cw_error(CW_ERR_INVALID, "%s: indices output is NULL", name);
    if (!geom_in_empty(g) && !x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", name);

    pool_job j;
    plan_init(&j.plan, g, eff, x);
    j.plan.y = y;
    j.plan.idx = idx;
    j.plan.mode = mode;
    j.row = cw_pool_row_argmax;
    run(&j);
    return CW_OK;
}
