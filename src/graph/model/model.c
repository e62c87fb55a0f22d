#include "graph/model/model_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "graph/reader/weights.h"

static size_t out_count(const cw_gop *op, const cw_node_def *n) {
    return op && op->outputs ? op->outputs(n) : 1;
}

/* Decodes every Const's weight from the shard bytes. */
static int decode_weights(cw_model *m, const unsigned char *weights) {
    cw_graph_def *g = m->def;
    size_t *group_start = calloc(g->n_groups + 1, sizeof(size_t));
    if (!group_start) return -1;
    for (size_t i = 0; i < g->n_groups; i++)
        group_start[i + 1] = group_start[i] + g->groups[i].bytes;
    for (size_t k = 0; k < g->n_nodes; k++) {
        const cw_node_def *n = &g->nodes[k];
        if (n->weight < 0) continue;
        const cw_weight_def *w = &g->weights[n->weight];
        m->weights[k] = cw_alloc(w->count * cw_dtype_size(w->dtype) + 16);
        if (!m->weights[k]) {
            free(group_start);
            return -1;
        }
        const unsigned char *src =
            w->store == CW_STORE_LITERAL ? NULL : weights + group_start[w->group] + w->offset;
        cw_weight_decode(w, src, m->weights[k]);
    }
    free(group_start);
    return 0;
}

/* Adds Placeholder k to the inputs unless it is one already. */
static void add_input(cw_model *m, int32_t k) {
    size_t j = 0;
    while (j < m->n_inputs && m->inputs[j] != k) j++;
    if (j == m->n_inputs) m->inputs[m->n_inputs++] = k;
}

static void find_io(cw_model *m) {
    cw_graph_def *g = m->def;
    for (size_t i = 0; i < g->n_sig_inputs; i++)
        if (g->sig_inputs[i].producer >= 0 &&
            !strcmp(g->nodes[g->sig_inputs[i].producer].op, "Placeholder"))
            add_input(m, g->sig_inputs[i].producer);
    for (size_t k = 0; k < g->n_nodes; k++)
        if (!strcmp(g->nodes[k].op, "Placeholder")) add_input(m, (int32_t)k);
    if (g->n_sig_outputs) {
        m->outputs = g->sig_outputs;
        m->n_outputs = g->n_sig_outputs;
        return;
    }
    /* sinks: nodes no data input reads */
    unsigned char *read = calloc(g->n_nodes + 1, 1);
    m->outputs = cw_arena_alloc(&g->arena, (g->n_nodes + 1) * sizeof(cw_input));
    if (!read || !m->outputs) {
        free(read);
        return;
    }
    for (size_t k = 0; k < g->n_nodes; k++)
        for (size_t i = 0; i < g->nodes[k].n_inputs; i++)
            if (g->nodes[k].inputs[i].producer >= 0) read[g->nodes[k].inputs[i].producer] = 1;
    for (size_t k = 0; k < g->n_nodes; k++) {
        const char *op = g->nodes[k].op;
        if (read[k] || !strcmp(op, "Const") || !strcmp(op, "NoOp")) continue;
        m->outputs[m->n_outputs].node = g->nodes[k].name;
        m->outputs[m->n_outputs].index = 0;
        m->outputs[m->n_outputs++].producer = (int32_t)k;
    }
    free(read);
}

cw_status cw_model_load(const char *json, size_t len, const unsigned char *weights,
                        const size_t *group_bytes, size_t n_groups, cw_model **out) {
    *out = NULL;
    cw_model *m = calloc(1, sizeof *m);
    if (!m) return cw_error(CW_ERR_NOMEM, "model: out of memory");
    cw_status s = cw_graph_def_parse(json, len, &m->def);
    if (s != CW_OK) {
        free(m);
        return s;
    }
    cw_graph_def *g = m->def;
    size_t n = g->n_nodes;
    m->first_value = calloc(n + 1, sizeof(size_t));
    m->n_out = calloc(n + 1, sizeof(size_t));
    m->ops = calloc(n + 1, sizeof(cw_gop *));
    m->ctx = calloc(n + 1, sizeof(cw_gop_ctx));
    m->weights = calloc(n + 1, sizeof(void *));
    m->inputs = calloc(n + 1, sizeof(int32_t));
    if (!m->first_value || !m->n_out || !m->ops || !m->ctx || !m->weights || !m->inputs) goto nomem;
    find_io(m);
    if (g->arena.failed) goto nomem;
    if (!cw_graph_def_problems(g) && cw_graph_weights_check(g, group_bytes, n_groups) == 0 &&
        (decode_weights(m, weights) || cw_model_fuse(m) || g->arena.failed))
        goto nomem;
    for (size_t k = 0; k < n; k++) {
        const cw_node_def *d = &g->nodes[k];
        m->ops[k] = cw_gop_find(d->op);
        m->n_out[k] = out_count(m->ops[k], d);
        m->first_value[k] = m->n_values;
        m->n_values += m->n_out[k];
    }
    for (size_t i = 0; i < m->n_outputs; i++) {
        const cw_input *o = &m->outputs[i];
        if (o->producer >= 0 && (size_t)o->index >= m->n_out[o->producer])
            cw_problems_add(&g->problems, "signature output '%s:%d' is not an output of that node",
                            o->node, o->index);
    }
    m->values = calloc(m->n_values + 1, sizeof(cw_gvalue));
    m->alias_of = calloc(m->n_values + 1, sizeof(size_t));
    m->offset = calloc(m->n_values + 1, sizeof(size_t));
    m->steps = calloc(n + 1, sizeof(int32_t));
    if (!m->values || !m->alias_of || !m->offset || !m->steps) goto nomem;
    m->plan_shapes = calloc(m->n_inputs + 1, sizeof(int32_t *));
    m->plan_ranks = calloc(m->n_inputs + 1, sizeof(int));
    if (!m->plan_shapes || !m->plan_ranks) goto nomem;
    for (size_t i = 0; i < m->n_inputs; i++) {
        m->plan_shapes[i] = calloc(CW_MAX_RANK, sizeof(int32_t));
        if (!m->plan_shapes[i]) goto nomem;
    }
    m->load_failed = cw_model_problems(m) != NULL;
    *out = m;
    return CW_OK;
nomem:
    cw_model_free(m);
    return cw_error(CW_ERR_NOMEM, "model: out of memory");
}

void cw_model_free(cw_model *m) {
    if (!m) return;
    if (m->weights)
        for (size_t k = 0; k < m->def->n_nodes; k++) cw_free(m->weights[k]);
    if (m->plan_shapes)
        for (size_t i = 0; i < m->n_inputs; i++) free(m->plan_shapes[i]);
    free(m->plan_shapes);
    free(m->plan_ranks);
    cw_arena_free(&m->plan_arena);
    cw_free(m->arena);
    free(m->first_value);
    free(m->n_out);
    free(m->ops);
    free(m->ctx);
    free(m->weights);
    free(m->inputs);
    free(m->values);
    free(m->alias_of);
    free(m->offset);
    free(m->steps);
    cw_graph_def_free(m->def);
    free(m);
}

const char *cw_model_problems(cw_model *m) { return cw_graph_def_problems(m->def); }

size_t cw_model_input_count(const cw_model *m) { return m->n_inputs; }
const char *cw_model_input_name(const cw_model *m, size_t i) {
    return i < m->n_inputs ? m->def->nodes[m->inputs[i]].name : NULL;
}

static const cw_attr *input_shape_attr(const cw_model *m, size_t i) {
    const cw_attr *a = cw_node_attr(&m->def->nodes[m->inputs[i]], "shape");
    return a && a->kind == CW_ATTR_SHAPE && !a->i ? a : NULL;
}

cw_dtype cw_model_input_dtype(const cw_model *m, size_t i) {
    const cw_attr *a = i < m->n_inputs ? cw_node_attr(&m->def->nodes[m->inputs[i]], "dtype") : NULL;
    if (a && a->kind == CW_ATTR_TYPE && (a->i == CW_TF_INT32 || a->i == CW_TF_INT64)) return CW_I32;
    if (a && a->kind == CW_ATTR_TYPE && a->i == CW_TF_BOOL) return CW_BOOL;
    return CW_F32;
}

int cw_model_input_rank(const cw_model *m, size_t i) {
    const cw_attr *a = i < m->n_inputs ? input_shape_attr(m, i) : NULL;
    return a ? (int)a->count : -1;
}

int64_t cw_model_input_dim(const cw_model *m, size_t i, int d) {
    const cw_attr *a = i < m->n_inputs ? input_shape_attr(m, i) : NULL;
    return a && d >= 0 && (size_t)d < a->count ? a->ints[d] : -1;
}

size_t cw_model_output_count(const cw_model *m) { return m->n_outputs; }
const char *cw_model_output_name(const cw_model *m, size_t i) {
    return i < m->n_outputs ? m->outputs[i].node : NULL;
}

size_t cw_model_arena_bytes(const cw_model *m) { return m->arena_bytes; }

const cw_gvalue *cw_model_output(const cw_model *m, size_t i) {
    if (i >= m->n_outputs || !m->planned) return NULL;
    const cw_input *o = &m->outputs[i];
    return &m->values[m->first_value[o->producer] + (size_t)o->index];
}
