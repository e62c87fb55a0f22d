/* The op registry and the helpers graph ops share. */
#include "graph/ops/gop.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

const cw_gop *cw_gop_find(const char *name) {
    const struct {
        const cw_gop *ops;
        const size_t *count;
    } families[] = {{cw_gops_nn, &cw_gops_nn_count},
                    {cw_gops_math, &cw_gops_math_count},
                    {cw_gops_shape, &cw_gops_shape_count}};
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (size_t i = 0; i < *families[f].count; i++)
            if (!strcmp(families[f].ops[i].name, name)) return &families[f].ops[i];
    return NULL;
}

int cw_gop_fail(cw_gop_ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cw_problems_add_about(c->problems, "node", c->node->name, c->node->op, fmt, ap);
    va_end(ap);
    return -1;
}

void *cw_gop_alloc(cw_gop_ctx *c, size_t bytes) { return cw_arena_alloc(c->arena, bytes); }

int cw_gvalue_set(cw_gop_ctx *c, cw_gvalue *v, cw_dtype dtype, int rank, const int32_t *shape) {
    if (rank < 0 || rank > CW_MAX_RANK)
        return cw_gop_fail(c, "an output of rank %d (at most %d)", rank, CW_MAX_RANK);
    size_t size = 1;
    for (int i = 0; i < rank; i++) {
        if (shape[i] < 0) return cw_gop_fail(c, "an output dimension is %d", (int)shape[i]);
        if (shape[i] > 0 && size > ((size_t)1 << 30) / (size_t)shape[i])
            return cw_gop_fail(c, "an output of more than 2^30 elements");
        size *= (size_t)shape[i];
        v->shape[i] = shape[i];
    }
    v->dtype = dtype, v->rank = rank, v->size = size;
    return 0;
}

int64_t cw_gop_attr_int(const cw_gop_ctx *c, const char *name, int64_t dflt) {
    const cw_attr *a = cw_node_attr(c->node, name);
    return a && (a->kind == CW_ATTR_INT || a->kind == CW_ATTR_BOOL) ? a->i : dflt;
}

double cw_gop_attr_float(const cw_gop_ctx *c, const char *name, double dflt) {
    const cw_attr *a = cw_node_attr(c->node, name);
    if (a && a->kind == CW_ATTR_FLOAT) return a->f;
    if (a && a->kind == CW_ATTR_INT) return (double)a->i;
    return dflt;
}

int cw_gop_attr_bool(const cw_gop_ctx *c, const char *name, int dflt) {
    const cw_attr *a = cw_node_attr(c->node, name);
    return a && a->kind == CW_ATTR_BOOL ? (int)a->i : dflt;
}

const char *cw_gop_attr_str(const cw_gop_ctx *c, const char *name, const char *dflt) {
    const cw_attr *a = cw_node_attr(c->node, name);
    return a && a->kind == CW_ATTR_STRING && a->s ? a->s : dflt;
}

int cw_gop_attr_ints(cw_gop_ctx *c, const char *name, int64_t *out, int max, int required) {
    const cw_attr *a = cw_node_attr(c->node, name);
    if (!a) return required ? cw_gop_fail(c, "attribute '%s' is missing", name) : 0;
    if (a->kind != CW_ATTR_INTS)
        return cw_gop_fail(c, "attribute '%s' is not a list of ints", name);
    if (a->count > (size_t)max)
        return cw_gop_fail(c, "attribute '%s' has %zu values (at most %d)", name, a->count, max);
    for (size_t i = 0; i < a->count; i++) out[i] = a->ints[i];
    return (int)a->count;
}

int cw_gop_const_ints(cw_gop_ctx *c, size_t i, int64_t *out, size_t max) {
    if (i >= c->n_in) return cw_gop_fail(c, "input %zu is missing", i);
    const cw_gvalue *v = c->in[i];
    if (!v->is_const || (!v->data && v->size))
        return cw_gop_fail(c, "input %zu must be a constant known when the model loads", i);
    if (v->size > max)
        return cw_gop_fail(c, "input %zu has %zu values (at most %zu)", i, v->size, max);
    for (size_t k = 0; k < v->size; k++) {
        if (v->dtype == CW_I32) {
            out[k] = ((const int32_t *)v->data)[k];
        } else if (v->dtype == CW_BOOL) {
            out[k] = ((const uint8_t *)v->data)[k];
        } else {
            float f = ((const float *)v->data)[k];
            if (!(f == floorf(f)) || fabsf(f) > 2147483647.0f)
                return cw_gop_fail(c, "input %zu holds %g where an integer is needed", i,
                                   (double)f);
            out[k] = (int64_t)f;
        }
    }
    return (int)v->size;
}

int cw_gop_inputs(cw_gop_ctx *c, size_t lo, size_t hi) {
    if (c->n_in >= lo && c->n_in <= hi) return 0;
    if (lo == hi) return cw_gop_fail(c, "%zu input(s) given, %zu expected", c->n_in, lo);
    return cw_gop_fail(c, "%zu input(s) given, %zu to %zu expected", c->n_in, lo, hi);
}
