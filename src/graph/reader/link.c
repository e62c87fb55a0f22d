/* Linking and checking a parsed graph: names, inputs, weights, ops, cycles. */
#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "graph/reader/json.h"

/* Const, Placeholder and NoOp are the planner's own; the rest are graph ops. */
int cw_graph_op_known(const char *op) {
    return !strcmp(op, "Const") || !strcmp(op, "Placeholder") || !strcmp(op, "NoOp") ||
           cw_gop_find(op) != NULL;
}

static uint32_t hash_name(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int32_t cw_graph_def_find(const cw_graph_def *g, const char *name) {
    if (!g->index) return -1;
    size_t mask = g->index_cap - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        int32_t k = g->index[i];
        if (k < 0) return -1;
        if (!strcmp(g->nodes[k].name, name)) return k;
    }
}

const cw_attr *cw_node_attr(const cw_node_def *n, const char *name) {
    for (size_t i = 0; i < n->n_attrs; i++)
        if (!strcmp(n->attrs[i].name, name)) return &n->attrs[i];
    return NULL;
}

static void build_index(cw_graph_def *g) {
    size_t cap = 16;
    while (cap < 2 * g->n_nodes) cap *= 2;
    g->index = cw_arena_alloc(&g->arena, cap * sizeof(int32_t));
    if (!g->index) return;
    memset(g->index, 0xff, cap * sizeof(int32_t));
    g->index_cap = cap;
    for (size_t k = 0; k < g->n_nodes; k++) {
        const char *name = g->nodes[k].name;
        if (!name[0]) continue;
        size_t i = hash_name(name) & (cap - 1);
        for (; g->index[i] >= 0; i = (i + 1) & (cap - 1)) {
            if (!strcmp(g->nodes[g->index[i]].name, name)) break;
        }
        if (g->index[i] >= 0)
            cw_problems_add(&g->problems, "node '%s' is defined twice", name);
        else
            g->index[i] = (int32_t)k;
    }
}

static void resolve_inputs(cw_graph_def *g) {
    for (size_t k = 0; k < g->n_nodes; k++) {
        cw_node_def *n = &g->nodes[k];
        for (size_t i = 0; i < n->n_inputs; i++) {
            cw_input *in = &n->inputs[i];
            in->producer = cw_graph_def_find(g, in->node);
            if (in->producer < 0 && in->node[0])
                cw_problems_add(&g->problems, "node '%s': input '%s' names no node", n->name,
                                in->node);
        }
        for (size_t i = 0; i < n->n_controls; i++)
            if (cw_graph_def_find(g, n->controls[i]) < 0)
                cw_problems_add(&g->problems, "node '%s': control input '^%s' names no node",
                                n->name, n->controls[i]);
    }
}

static void resolve_signature(cw_graph_def *g, cw_input *list, size_t n, const char *what) {
    for (size_t i = 0; i < n; i++) {
        list[i].producer = cw_graph_def_find(g, list[i].node);
        if (list[i].producer < 0)
            cw_problems_add(&g->problems, "signature %s '%s' names no node", what, list[i].node);
    }
}

static void match_weights(cw_graph_def *g) {
    for (size_t w = 0; w < g->n_weights; w++) {
        int32_t k = cw_graph_def_find(g, g->weights[w].name);
        if (k >= 0 && !strcmp(g->nodes[k].op, "Const")) g->nodes[k].weight = (int32_t)w;
        /* weights naming no Const are unused, as in TF.js */
    }
    for (size_t k = 0; k < g->n_nodes; k++) {
        const cw_node_def *n = &g->nodes[k];
        if (!strcmp(n->op, "Const") && n->weight < 0 && n->name[0])
            cw_problems_add(&g->problems, "Const '%s' has no weight in the weights manifest",
                            n->name);
    }
}

/* Distinct unknown ops, each with its count and first node, on one line each. */
static void check_ops(cw_graph_def *g) {
    for (size_t k = 0; k < g->n_nodes; k++) {
        const char *op = g->nodes[k].op;
        if (!op[0] || cw_graph_op_known(op)) continue;
        size_t first = k, count = 0;
        for (size_t j = 0; j < g->n_nodes; j++) {
            if (strcmp(g->nodes[j].op, op) != 0) continue;
            if (j < first) first = j;
            count++;
        }
        if (first == k)
            cw_problems_add(&g->problems, "op '%s' is not supported (%zu node(s), first '%s')", op,
                            count, g->nodes[k].name);
    }
}

/* The producer of node d's dependency i: its data inputs, then its control
 * inputs; -1 if it names no node. */
static int32_t dependency(const cw_graph_def *g, const cw_node_def *d, size_t i) {
    return i < d->n_inputs ? d->inputs[i].producer
                           : cw_graph_def_find(g, d->controls[i - d->n_inputs]);
}

/* Kahn's algorithm over data and control inputs; what is left is in cycles. */
static void order_nodes(cw_graph_def *g) {
    size_t n = g->n_nodes;
    int32_t *pending = cw_arena_alloc(&g->arena, (n ? n : 1) * sizeof(int32_t));
    int32_t *users_start = cw_arena_alloc(&g->arena, (n + 1) * sizeof(int32_t));
    g->order = cw_arena_alloc(&g->arena, (n ? n : 1) * sizeof(int32_t));
    if (!pending || !users_start || !g->order) return;
    size_t edges = 0;
    for (size_t k = 0; k < n; k++) edges += g->nodes[k].n_inputs + g->nodes[k].n_controls;
    int32_t *users = cw_arena_alloc(&g->arena, (edges ? edges : 1) * sizeof(int32_t));
    if (!users) return;
    /* users of each producer in CSR form */
    for (size_t k = 0; k < n; k++) {
        const cw_node_def *d = &g->nodes[k];
        for (size_t i = 0; i < d->n_inputs + d->n_controls; i++) {
            int32_t p = dependency(g, d, i);
            if (p < 0) continue;
            users_start[p + 1]++;
            pending[k]++;
        }
    }
    for (size_t k = 0; k < n; k++) users_start[k + 1] += users_start[k];
    int32_t *fill = cw_arena_alloc(&g->arena, (n ? n : 1) * sizeof(int32_t));
    if (!fill) return;
    for (size_t k = 0; k < n; k++) {
        const cw_node_def *d = &g->nodes[k];
        for (size_t i = 0; i < d->n_inputs + d->n_controls; i++) {
            int32_t p = dependency(g, d, i);
            if (p >= 0) users[users_start[p] + fill[p]++] = (int32_t)k;
        }
    }
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < n; k++)
        if (pending[k] == 0) g->order[tail++] = (int32_t)k;
    while (head < tail) {
        int32_t p = g->order[head++];
        for (int32_t u = users_start[p]; u < users_start[p + 1]; u++)
            if (--pending[users[u]] == 0) g->order[tail++] = users[u];
    }
    g->n_order = tail;
    if (tail < n) {
        size_t first = 0;
        while (pending[first] == 0) first++;
        cw_problems_add(&g->problems,
                        "the graph has a cycle: %zu node(s) are in a cycle of inputs or "
                        "depend on one, among them '%s'",
                        n - tail, g->nodes[first].name);
    }
}

void cw_graph_def_link(cw_graph_def *g) {
    build_index(g);
    if (!g->index) return;
    resolve_inputs(g);
    resolve_signature(g, g->sig_inputs, g->n_sig_inputs, "input");
    resolve_signature(g, g->sig_outputs, g->n_sig_outputs, "output");
    match_weights(g);
    check_ops(g);
    order_nodes(g);
}

size_t cw_base64_decode(const char *in, size_t len, unsigned char *out) {
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=') {
            pad++;
            continue;
        } else
            return SIZE_MAX;
        if (pad) return SIZE_MAX; /* data after padding */
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (pad > 2 || bits >= 6) return SIZE_MAX;
    return n;
}
