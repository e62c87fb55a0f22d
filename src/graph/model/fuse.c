/* Rewrites at load, before any plan, that let one kernel call do the work of
 * several nodes (the model's outputs are unchanged up to rounding):
 * - a batch norm (FusedBatchNorm*, inference) after a convolution or matmul
 *   with a constant filter: folded into that filter and its bias;
 * - a BiasAdd, or an Add of a per-channel constant, after one: its bias;
 * - an activation (Relu, Relu6, Elu, LeakyRelu, Sigmoid, Tanh) after one:
 *   its epilogue.
 * The convolution becomes its fused op (_FusedConv2D, FusedDepthwiseConv2dNative,
 * _FusedMatMul) and the folded node an Identity of its input, so every name
 * stays valid. A node is folded only when the path from the convolution to
 * it is read by nothing else and is no graph output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/model/model_impl.h"

typedef struct {
    cw_model *m;
    int32_t *reads; /* per node: inputs reading it, +1 for each graph output it is */
} fuser;

static const struct {
    const char *plain, *fused;
} LINEAR_OPS[] = {{"Conv2D", "_FusedConv2D"},
                  {"DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"},
                  {"MatMul", "_FusedMatMul"}};

static const char *const ACTIVATIONS[] = {"Relu", "Relu6", "Elu", "LeakyRelu", "Sigmoid", "Tanh"};

static int is_op(const cw_node_def *d, const char *op) { return !strcmp(d->op, op); }

/* The LINEAR_OPS row of d's op (plain or fused), or -1. */
static int linear_kind(const cw_node_def *d) {
    for (int i = 0; i < 3; i++)
        if (is_op(d, LINEAR_OPS[i].plain) || is_op(d, LINEAR_OPS[i].fused)) return i;
    return -1;
}

/* d's fused_ops: whether it has a bias and an activation; -1 if they are
 * not a list of strings (the op will report it). */
static int fused_state(const cw_node_def *d, int *bias, int *act) {
    const cw_attr *a = cw_node_attr(d, "fused_ops");
    *bias = *act = 0;
    if (!a) return 0;
    if (a->kind != CW_ATTR_STRINGS) return -1;
    for (size_t i = 0; i < a->count; i++) {
        if (i == 0 && !strcmp(a->strs[0], "BiasAdd"))
            *bias = 1;
        else
            *act = 1; /* an activation, Prelu or anything else: nothing is added after it */
    }
    return 0;
}

/* The float32 data of a Const node read only as expected, else NULL. */
static float *const_f32(const fuser *f, int32_t k, size_t count, int32_t max_reads) {
    const cw_graph_def *g = f->m->def;
    if (k < 0 || !is_op(&g->nodes[k], "Const") || g->nodes[k].weight < 0) return NULL;
    const cw_weight_def *w = &g->weights[g->nodes[k].weight];
    if (w->dtype != CW_F32 || (count && w->count != count) || f->reads[k] > max_reads) return NULL;
    return f->m->weights[k];
}

/* The linear op whose output 0 node d's input i is, through Identities,
 * each on the path (and the op) read once; -1 if there is none. */
static int32_t linear_before(const fuser *f, const cw_node_def *d, size_t i) {
    const cw_graph_def *g = f->m->def;
    const cw_input *in = &d->inputs[i];
    int32_t p = in->producer;
    while (p >= 0 && in->index == 0 && f->reads[p] == 1) {
        const cw_node_def *n = &g->nodes[p];
        if (linear_kind(n) >= 0) return p;
        if (!is_op(n, "Identity") || n->n_inputs != 1) return -1;
        in = &n->inputs[0];
        p = in->producer;
    }
    return -1;
}

/* The op's output channels from its constant filter (input 1), 0 when the
 * filter is not a constant; *filter its data when it may be rewritten (read
 * only by p, channels last: not a transposed matmul), else NULL. */
static size_t out_channels(const fuser *f, const cw_node_def *p, float **filter) {
    const cw_graph_def *g = f->m->def;
    int32_t k = p->n_inputs >= 2 ? p->inputs[1].producer : -1;
    *filter = NULL;
    if (k < 0 || !is_op(&g->nodes[k], "Const") || g->nodes[k].weight < 0) return 0;
    const cw_weight_def *w = &g->weights[g->nodes[k].weight];
    const cw_attr *tb = cw_node_attr(p, "transpose_b");
    int kind = linear_kind(p), transposed = kind == 2 && tb && tb->i;
    size_t n = 0;
    if (kind < 2 && w->rank == 4) n = (size_t)(kind == 0 ? w->shape[3] : w->shape[2] * w->shape[3]);
    if (kind == 2 && w->rank == 2) n = (size_t)w->shape[transposed ? 0 : 1];
    if (n && !transposed) *filter = const_f32(f, k, 0, 1);
    return n;
}

/* Rewrites p as its fused op with fused_ops [BiasAdd if bias] [act if act],
 * num_args = bias (+ leakyrelu_alpha). Returns -1 when out of memory. */
static int set_fused(fuser *f, cw_node_def *p, int bias, const char *act, double alpha) {
    cw_arena *a = &f->m->def->arena;
    cw_attr *attrs = cw_arena_alloc(a, (p->n_attrs + 3) * sizeof(cw_attr));
    const char **ops = cw_arena_alloc(a, 2 * sizeof(char *));
    if (!attrs || !ops) return -1;
    size_t n = 0, k = 0;
    for (size_t i = 0; i < p->n_attrs; i++) {
        const char *name = p->attrs[i].name;
        if (strcmp(name, "fused_ops") && strcmp(name, "num_args") &&
            strcmp(name, "leakyrelu_alpha"))
            attrs[n++] = p->attrs[i];
    }
    if (bias) ops[k++] = "BiasAdd";
    if (act) ops[k++] = act;
    attrs[n++] = (cw_attr){.name = "fused_ops", .kind = CW_ATTR_STRINGS, .count = k, .strs = ops};
    attrs[n++] = (cw_attr){.name = "num_args", .kind = CW_ATTR_INT, .i = bias};
    if (act && !strcmp(act, "LeakyRelu"))
        attrs[n++] = (cw_attr){.name = "leakyrelu_alpha", .kind = CW_ATTR_FLOAT, .f = alpha};
    p->attrs = attrs;
    p->n_attrs = n;
    p->op = LINEAR_OPS[linear_kind(p)].fused;
    return 0;
}

/* Gives p the bias input `bias` (p has none yet). */
static int add_bias_input(fuser *f, cw_node_def *p, const cw_input *bias) {
    cw_input *in = cw_arena_alloc(&f->m->def->arena, 3 * sizeof(cw_input));
    if (!in) return -1;
    in[0] = p->inputs[0], in[1] = p->inputs[1], in[2] = *bias;
    p->inputs = in;
    p->n_inputs = 3;
    return 0;
}

/* d (folded away) becomes an Identity of its input i. */
static void make_identity(cw_node_def *d, size_t i) {
    d->inputs[0] = d->inputs[i];
    d->n_inputs = 1;
    d->op = "Identity";
}

/* FusedBatchNorm(p(x), scale, offset, mean, variance): the filter scaled by
 * a = scale / sqrt(variance + epsilon) per output channel, the bias
 * (p's or zero) replaced by (bias - mean) * a + offset. */
static int fold_batch_norm(fuser *f, cw_node_def *d) {
    cw_graph_def *g = f->m->def;
    const cw_attr *train = cw_node_attr(d, "is_training"), *eps = cw_node_attr(d, "epsilon");
    const cw_attr *axis = cw_node_attr(d, "axis");
    if (d->n_inputs != 5 || (train && train->i)) return 0;
    int32_t pk = linear_before(f, d, 0);
    if (pk < 0) return 0;
    cw_node_def *p = &g->nodes[pk];
    /* the last axis: -1, or 3 after a convolution (NHWC) */
    if (axis && axis->i != -1 && !(axis->i == 3 && linear_kind(p) < 2)) return 0;
    int bias, act;
    float *filter;
    size_t n = out_channels(f, p, &filter);
    if (!n || !filter || fused_state(p, &bias, &act) < 0 || act) return 0;
    const float *scale = const_f32(f, d->inputs[1].producer, n, INT32_MAX);
    const float *mean = const_f32(f, d->inputs[3].producer, n, INT32_MAX);
    const float *var = const_f32(f, d->inputs[4].producer, n, INT32_MAX);
    if (bias && p->n_inputs != 3) return 0;
    /* the new bias is written over p's bias, or over the offset when p has none */
    int32_t out_k = bias ? p->inputs[2].producer : d->inputs[2].producer;
    float *out = const_f32(f, out_k, n, 1);
    const float *offset = const_f32(f, d->inputs[2].producer, n, INT32_MAX);
    if (!scale || !mean || !var || !out || !offset) return 0;
    double epsilon = eps && eps->kind == CW_ATTR_FLOAT ? eps->f : 1e-3;
    size_t count = g->weights[g->nodes[p->inputs[1].producer].weight].count;
    double *a = malloc(n * sizeof(double));
    if (!a) return -1;
    for (size_t c = 0; c < n; c++) a[c] = (double)scale[c] / sqrt((double)var[c] + epsilon);
    for (size_t i = 0; i < count; i++) filter[i] = (float)((double)filter[i] * a[i % n]);
    for (size_t c = 0; c < n; c++) {
        double b = bias ? (double)out[c] : 0.0;
        out[c] = (float)((b - (double)mean[c]) * a[c] + (double)offset[c]);
    }
    free(a);
    if (!bias && add_bias_input(f, p, &d->inputs[2])) return -1;
    if (set_fused(f, p, 1, NULL, 0)) return -1;
    make_identity(d, 0);
    return 0;
}

/* BiasAdd(p(x), bias), Add / AddV2 of p(x) and a per-channel constant. */
static int fold_bias(fuser *f, cw_node_def *d) {
    cw_graph_def *g = f->m->def;
    const cw_attr *format = cw_node_attr(d, "data_format");
    if (d->n_inputs != 2 || (format && format->kind == CW_ATTR_STRING && strcmp(format->s, "NHWC")))
        return 0;
    for (size_t i = 0; i < 2; i++) {
        if (i == 0 && is_op(d, "BiasAdd")) continue; /* BiasAdd's bias is input 1 */
        size_t x = 1 - i;
        int32_t pk = linear_before(f, d, x), bk = d->inputs[i].producer;
        if (pk < 0 || d->inputs[i].index != 0) continue;
        cw_node_def *p = &g->nodes[pk];
        int bias, act;
        float *filter;
        size_t n = out_channels(f, p, &filter);
        if (!n || fused_state(p, &bias, &act) < 0 || bias || act || p->n_inputs != 2 ||
            !const_f32(f, bk, n, INT32_MAX))
            continue;
        const cw_weight_def *w = &g->weights[g->nodes[bk].weight];
        int leading_ones = w->rank >= 1;
        for (size_t r = 0; r + 1 < w->rank; r++) leading_ones &= w->shape[r] == 1;
        if (!leading_ones) continue;
        if (add_bias_input(f, p, &d->inputs[i]) || set_fused(f, p, 1, NULL, 0)) return -1;
        make_identity(d, x);
        return 0;
    }
    return 0;
}

static int fold_activation(fuser *f, cw_node_def *d) {
    if (d->n_inputs != 1) return 0;
    int32_t pk = linear_before(f, d, 0);
    if (pk < 0) return 0;
    cw_node_def *p = &f->m->def->nodes[pk];
    int bias, act;
    if (fused_state(p, &bias, &act) < 0 || act || p->n_inputs != (size_t)(2 + bias)) return 0;
    const cw_attr *alpha = cw_node_attr(d, "alpha");
    double a = alpha && alpha->kind == CW_ATTR_FLOAT ? alpha->f : 0.2;
    if (set_fused(f, p, bias, d->op, a)) return -1;
    make_identity(d, 0);
    return 0;
}

int cw_model_fuse(cw_model *m) {
    cw_graph_def *g = m->def;
    fuser f = {m, calloc(g->n_nodes + 1, sizeof(int32_t))};
    if (!f.reads) return -1;
    for (size_t k = 0; k < g->n_nodes; k++)
        for (size_t i = 0; i < g->nodes[k].n_inputs; i++)
            if (g->nodes[k].inputs[i].producer >= 0) f.reads[g->nodes[k].inputs[i].producer]++;
    for (size_t i = 0; i < m->n_outputs; i++)
        if (m->outputs[i].producer >= 0) f.reads[m->outputs[i].producer]++;
    int status = 0;
    for (size_t o = 0; o < g->n_order && status == 0; o++) {
        cw_node_def *d = &g->nodes[g->order[o]];
        if (!strncmp(d->op, "FusedBatchNorm", 14)) {
            status = fold_batch_norm(&f, d);
        } else if (is_op(d, "BiasAdd") || is_op(d, "Add") || is_op(d, "AddV2")) {
            status = fold_bias(&f, d);
        } else {
            for (size_t a = 0; a < sizeof ACTIVATIONS / sizeof ACTIVATIONS[0]; a++)
                if (is_op(d, ACTIVATIONS[a])) status = fold_activation(&f, d);
        }
    }
    free(f.reads);
    return status;
}
