/* cw_conv_geometry_check: see conv_geometry.h. */
#include "core/conv_geometry.h"

#include <stdio.h>

#include "core/alloc.h"

/* "h x w" or "d x h x w" */
static const char *dims(char *buf, size_t n, const int *v, int rank) {
    if (rank == 2)
        snprintf(buf, n, "%d x %d", v[1], v[2]);
    else
        snprintf(buf, n, "%d x %d x %d", v[0], v[1], v[2]);
    return buf;
}

static int any_below(const int *v, int lo) { return v[0] < lo || v[1] < lo || v[2] < lo; }

/* 1 if the product of n factors (all >= 0) in floats fits size_t bytes;
 * a zero factor makes an empty tensor, which always fits. */
static int bytes_fit(const int *v, int n) {
    size_t r = sizeof(float);
    for (int i = 0; i < n; i++)
        if (v[i] == 0) return 1;
    for (int i = 0; i < n; i++) {
        r = cw_mul_size(r, (size_t)v[i]);
        if (r == 0) return 0;
    }
    return 1;
}

/* The message of a shape: "batch 1, 4 x 4, 3 channels". */
static const char *shape(char *buf, size_t n, int batch, const int *v, int c, int rank) {
    char d[64];
    snprintf(buf, n, "batch %d, %s, %d channels", batch, dims(d, sizeof d, v, rank), c);
    return buf;
}

cw_status cw_conv_geometry_check(const cw_conv_geometry *g, const char *op) {
    char b1[128], b2[64];
    const int r = g->rank;
    if (g->batch < 0 || g->in_c < 0 || any_below(g->in, 0))
        return cw_error(CW_ERR_INVALID, "%s: negative %s shape (%s)", op, g->in_name,
                        shape(b1, sizeof b1, g->batch, g->in, g->in_c, r));
    if (g->out_c < 0 || any_below(g->out, 0))
        return cw_error(CW_ERR_INVALID, "%s: negative %s shape (%s)", op, g->out_name,
                        shape(b1, sizeof b1, g->batch, g->out, g->out_c, r));
    if (any_below(g->filter, 1))
        return cw_error(CW_ERR_INVALID,
                        "%s: filter size %s, expected at least 1 in every dimension", op,
                        dims(b1, sizeof b1, g->filter, r));
    if (any_below(g->stride, 1))
        return cw_error(CW_ERR_INVALID, "%s: strides %s, expected >= 1", op,
                        dims(b1, sizeof b1, g->stride, r));
    if (any_below(g->dilation, 1))
        return cw_error(CW_ERR_INVALID, "%s: dilations %s, expected >= 1", op,
                        dims(b1, sizeof b1, g->dilation, r));
    if (any_below(g->pad, 0))
        return cw_error(CW_ERR_INVALID, "%s: padding %s (%s), expected >= 0", op,
                        dims(b1, sizeof b1, g->pad, r),
                        r == 2 ? "top x left" : "front x top x left");
    const int xs[5] = {g->batch, g->in[0], g->in[1], g->in[2], g->in_c};
    const int ys[5] = {g->batch, g->out[0], g->out[1], g->out[2], g->out_c};
    const int fs[5] = {g->filter[0], g->filter[1], g->filter[2], g->filter_c[0], g->filter_c[1]};
    if (!bytes_fit(xs, 5))
        return cw_error(CW_ERR_INVALID, "%s: %s size (%s) overflows", op, g->in_name,
                        shape(b1, sizeof b1, g->batch, g->in, g->in_c, r));
    if (!bytes_fit(ys, 5))
        return cw_error(CW_ERR_INVALID, "%s: %s size (%s) overflows", op, g->out_name,
                        shape(b1, sizeof b1, g->batch, g->out, g->out_c, r));
    if (!bytes_fit(fs, 5))
        return cw_error(CW_ERR_INVALID, "%s: filter size %s x %d x %d overflows", op,
                        dims(b2, sizeof b2, g->filter, r), g->filter_c[0], g->filter_c[1]);
    return CW_OK;
}
