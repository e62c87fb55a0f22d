/* Planning (shapes, folding, liveness layout) and running a cw_model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "graph/model/model_impl.h"

#define ARENA_ALIGN 64
#define NONE CW_MODEL_NONE

/* Marks the nodes some output needs (through data inputs). */
static unsigned char *needed_nodes(const cw_model *m) {
    const cw_graph_def *g = m->def;
    unsigned char *need = calloc(g->n_nodes + 1, 1);
    int32_t *stack = calloc(g->n_nodes + 1, sizeof(int32_t));
    if (!need || !stack) {
        free(need);
        free(stack);
        return NULL;
    }
    size_t top = 0;
    for (size_t i = 0; i < m->n_outputs; i++) {
        int32_t p = m->outputs[i].producer;
        if (p >= 0 && !need[p]) need[p] = 1, stack[top++] = p;
    }
    while (top) {
        const cw_node_def *d = &g->nodes[stack[--top]];
        for (size_t i = 0; i < d->n_inputs; i++) {
            int32_t p = d->inputs[i].producer;
            if (p >= 0 && !need[p]) need[p] = 1, stack[top++] = p;
        }
    }
    free(stack);
    return need;
}

static size_t root_of(const cw_model *m, size_t v) {
    return m->alias_of[v] == NONE ? v : m->alias_of[v];
}

/* The value node input i reads, or NONE (problem noted). */
static size_t input_value(cw_model *m, const cw_node_def *d, size_t i) {
    const cw_input *in = &d->inputs[i];
    if (in->producer < 0 || (size_t)in->index >= m->n_out[in->producer]) {
        cw_problems_add(&m->def->problems, "node '%s': input '%s:%d' is not an output of that node",
                        d->name, in->node, in->index);
        return NONE;
    }
    return m->first_value[in->producer] + (size_t)in->index;
}

static int set_const(cw_model *m, size_t k) {
    const cw_node_def *d = &m->def->nodes[k];
    const cw_weight_def *w = &m->def->weights[d->weight];
    cw_gvalue *v = &m->values[m->first_value[k]];
    if (w->rank > CW_MAX_RANK) {
        cw_problems_add(&m->def->problems, "Const '%s' has rank %zu (at most %d)", d->name, w->rank,
                        CW_MAX_RANK);
        return -1;
    }
    v->dtype = w->dtype, v->rank = (int)w->rank, v->size = w->count;
    for (size_t i = 0; i < w->rank; i++) v->shape[i] = (int32_t)w->shape[i];
    v->data = m->weights[k], v->is_const = 1;
    return 0;
}

static int set_input(cw_model *m, size_t k, const int32_t *const *shapes, const int *ranks) {
    size_t i = 0;
    while (i < m->n_inputs && m->inputs[i] != (int32_t)k) i++;
    const char *name = m->def->nodes[k].name;
    cw_gvalue *v = &m->values[m->first_value[k]];
    int rank = ranks[i], want = cw_model_input_rank(m, i);
    if (rank < 0 || rank > CW_MAX_RANK || (want >= 0 && rank != want)) {
        cw_problems_add(&m->def->problems, "input '%s': rank %d given, %d expected", name, rank,
                        want);
        return -1;
    }
    size_t size = 1;
    for (int d = 0; d < rank; d++) {
        int64_t dim = cw_model_input_dim(m, i, d);
        if (shapes[i][d] < 0 || (dim >= 0 && dim != shapes[i][d])) {
            cw_problems_add(&m->def->problems,
                            "input '%s': dimension %d is %d, the model expects %lld", name, d,
                            (int)shapes[i][d], (long long)dim);
            return -1;
        }
        v->shape[d] = shapes[i][d];
        size *= (size_t)shapes[i][d];
    }
    v->dtype = cw_model_input_dtype(m, i), v->rank = rank, v->size = size;
    v->data = NULL, v->is_const = 0;
    return 0;
}

/* Infers node k; folds it when its inputs are all constant; else a step. */
static int plan_node(cw_model *m, size_t k, unsigned char *valid) {
    const cw_node_def *d = &m->def->nodes[k];
    const cw_gop *op = m->ops[k];
    cw_gop_ctx *c = &m->ctx[k];
    memset(c, 0, sizeof *c);
    c->op = op, c->node = d, c->arena = &m->plan_arena, c->problems = &m->def->problems;
    cw_gvalue **in = cw_arena_alloc(&m->plan_arena, (d->n_inputs + 1) * sizeof(cw_gvalue *));
    cw_gvalue **out = cw_arena_alloc(&m->plan_arena, (m->n_out[k] + 1) * sizeof(cw_gvalue *));
    if (!in || !out) return -1;
    int all_const = 1;
    for (size_t i = 0; i < d->n_inputs; i++) {
        size_t v = input_value(m, d, i);
        if (v == NONE || !valid[v]) return -1; /* its own problem is already listed */
        in[i] = &m->values[v];
        all_const &= in[i]->is_const;
    }
    for (size_t j = 0; j < m->n_out[k]; j++) {
        out[j] = &m->values[m->first_value[k] + j];
        memset(out[j], 0, sizeof *out[j]);
    }
    c->in = in, c->n_in = d->n_inputs, c->out = out, c->n_out = m->n_out[k];
    if (op->infer(c) != 0) return -1;
    if (op->flags & CW_OP_ALIAS) {
        size_t src = input_value(m, d, 0);
        m->alias_of[m->first_value[k]] = root_of(m, src);
        out[0]->data = in[0]->data, out[0]->is_const = in[0]->is_const;
    } else if (all_const || (op->flags & CW_OP_SHAPE_ONLY)) {
        for (size_t j = 0; j < c->n_out; j++) {
            out[j]->data =
                cw_arena_alloc(&m->plan_arena, out[j]->size * cw_dtype_size(out[j]->dtype) + 16);
            if (!out[j]->data) return -1;
            out[j]->is_const = 1;
        }
        if (op->run(c) != CW_OK) {
            cw_problems_add(&m->def->problems, "node '%s' (%s), folded at load: %s", d->name, d->op,
                            cw_error_message());
            return -1;
        }
    } else {
        m->steps[m->n_steps++] = (int32_t)k;
    }
    for (size_t j = 0; j < c->n_out; j++) valid[m->first_value[k] + j] = 1;
    return 0;
}

/* Bytes of v's block in the arena (rounded up to ARENA_ALIGN). */
static size_t block_bytes(const cw_gvalue *v) {
    return (v->size * cw_dtype_size(v->dtype) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/* Offsets in one arena: a value's block is free again once the last step
 * reading it (through any alias) has run; first fit, else the arena grows. */
static int layout(cw_model *m) {
    size_t nv = m->n_values;
    size_t *last = malloc((nv + 1) * sizeof(size_t));
    size_t *order = malloc((nv + 1) * sizeof(size_t)); /* placed values */
    if (!last || !order) {
        free(last);
        free(order);
        return -1;
    }
    for (size_t v = 0; v < nv; v++) last[v] = 0, m->offset[v] = NONE;
    for (size_t s = 0; s < m->n_steps; s++) {
        const cw_gop_ctx *c = &m->ctx[m->steps[s]];
        for (size_t i = 0; i < c->n_in; i++) {
            size_t r = root_of(m, (size_t)(c->in[i] - m->values));
            if (last[r] < s) last[r] = s;
        }
    }
    for (size_t i = 0; i < m->n_outputs; i++) { /* outputs outlive every step */
        const cw_input *o = &m->outputs[i];
        last[root_of(m, m->first_value[o->producer] + (size_t)o->index)] = m->n_steps;
    }
    size_t placed = 0, end = 0;
    for (size_t s = 0; s < m->n_steps; s++) {
        const cw_gop_ctx *c = &m->ctx[m->steps[s]];
        for (size_t j = 0; j < c->n_out; j++) {
            size_t v = (size_t)(c->out[j] - m->values);
            size_t bytes = block_bytes(c->out[j]);
            if (last[v] < s) last[v] = s; /* written, so alive during its step */
            /* lowest offset not overlapping a block still alive at step s */
            size_t at = 0;
            for (int moved = 1; moved;) {
                moved = 0;
                for (size_t p = 0; p < placed; p++) {
                    size_t u = order[p];
                    if (last[u] < s) continue;
                    size_t ub = block_bytes(&m->values[u]);
                    if (at < m->offset[u] + ub && m->offset[u] < at + bytes)
                        at = m->offset[u] + ub, moved = 1;
                }
            }
            m->offset[v] = at;
            order[placed++] = v;
            if (at + bytes > end) end = at + bytes;
        }
    }
    free(last);
    free(order);
    m->arena_bytes = end;
    m->arena = cw_alloc(end ? end : ARENA_ALIGN);
    if (!m->arena) return -1;
    for (size_t v = 0; v < nv; v++)
        if (m->offset[v] != NONE) m->values[v].data = m->arena + m->offset[v];
    return 0;
}

static int same_shapes(const cw_model *m, const int32_t *const *shapes, const int *ranks) {
    if (!m->planned) return 0;
    for (size_t i = 0; i < m->n_inputs; i++) {
        if (ranks[i] != m->plan_ranks[i]) return 0;
        for (int d = 0; d < ranks[i]; d++)
            if (shapes[i][d] != m->plan_shapes[i][d]) return 0;
    }
    return 1;
}

/* The status for the problems listed, with their first line as message. */
static cw_status fail_with_problems(cw_model *m) {
    const char *text = cw_model_problems(m);
    if (m->def->problems.nomem) return cw_error(CW_ERR_NOMEM, "model: out of memory");
    size_t len = strcspn(text, "\n");
    return cw_error(CW_ERR_INVALID, "%.*s%s", (int)(len < 400 ? len : 400), text,
                    text[len] ? " (and more: see the model's problems)" : "");
}

cw_status cw_model_plan(cw_model *m, const int32_t *const *shapes, const int *ranks) {
    if (m->load_failed) return fail_with_problems(m);
    if (same_shapes(m, shapes, ranks)) return CW_OK;
    /* a new plan: the last one's problems, params, folded data and arena go */
    cw_problems_free(&m->def->problems);
    cw_arena_free(&m->plan_arena);
    cw_free(m->arena);
    m->arena = NULL, m->arena_bytes = 0, m->planned = 0, m->n_steps = 0;
    unsigned char *need = needed_nodes(m);
    unsigned char *valid = calloc(m->n_values + 1, 1);
    if (!need || !valid) {
        free(need);
        free(valid);
        return cw_error(CW_ERR_NOMEM, "model: out of memory");
    }
    for (size_t v = 0; v < m->n_values; v++) m->alias_of[v] = NONE;
    for (size_t i = 0; i < m->def->n_order; i++) {
        size_t k = (size_t)m->def->order[i];
        if (!need[k]) continue;
        const char *op = m->def->nodes[k].op;
        int r;
        if (!strcmp(op, "Const"))
            r = set_const(m, k);
        else if (!strcmp(op, "Placeholder"))
            r = set_input(m, k, shapes, ranks);
        else if (m->ops[k])
            r = plan_node(m, k, valid);
        else { /* NoOp (an unknown op is listed at load) */
            cw_problems_add(&m->def->problems, "node '%s' (%s) has no output to read",
                            m->def->nodes[k].name, op);
            r = -1;
        }
        if (r == 0) valid[m->first_value[k]] = 1;
        if (m->plan_arena.failed) break;
    }
    free(need);
    free(valid);
    if (m->plan_arena.failed) return cw_error(CW_ERR_NOMEM, "model: out of memory while planning");
    if (cw_model_problems(m)) return fail_with_problems(m);
    if (layout(m) != 0) return cw_error(CW_ERR_NOMEM, "model: out of memory for the arena");
    for (size_t i = 0; i < m->n_inputs; i++) {
        m->plan_ranks[i] = ranks[i];
        for (int d = 0; d < ranks[i]; d++) m->plan_shapes[i][d] = shapes[i][d];
    }
    m->planned = 1;
    return CW_OK;
}

cw_status cw_model_run(cw_model *m, const void *const *inputs) {
    if (!m->planned) return cw_error(CW_ERR_INVALID, "model: run before a successful plan");
    for (size_t i = 0; i < m->n_inputs; i++)
        m->values[m->first_value[m->inputs[i]]].data = (void *)inputs[i];
    for (size_t i = 0; i < m->def->n_order; i++) {
        size_t k = (size_t)m->def->order[i];
        for (size_t j = 0; j < m->n_out[k]; j++) {
            size_t v = m->first_value[k] + j;
            if (m->alias_of[v] != NONE) m->values[v].data = m->values[m->alias_of[v]].data;
        }
    }
    for (size_t s = 0; s < m->n_steps; s++) {
        cw_gop_ctx *c = &m->ctx[m->steps[s]];
        cw_status st = m->ops[m->steps[s]]->run(c);
        if (st != CW_OK) {
            char msg[400];
            snprintf(msg, sizeof msg, "%s", cw_error_message());
            return cw_error(st, "node '%s' (%s): %s", c->node->name, c->node->op, msg);
        }
    }
    return CW_OK;
}
