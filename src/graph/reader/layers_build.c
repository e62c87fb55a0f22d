/* The layers-model reader's builder: nodes, attributes, literal and
 * manifest weights for a layer call, and the Keras config readers
 * (layers.h). */
#include <stdarg.h>

#include "graph/reader/layers.h"

void cw_layer_fail(cw_layers *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cw_problems_add_about(L->ps->p, "layer", L->layer, L->cls, fmt, ap);
    va_end(ap);
}

/* Room for one more element in an arena array of *cap (copied when full). */
static int grow(cw_layers *L, void **arr, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = cw_arena_alloc(L->ps->a, ncap * elem);
    if (!p) return -1;
    if (n) memcpy(p, *arr, n * elem);
    *arr = p, *cap = ncap;
    return 0;
}

static const char *scoped(cw_layers *L, const char *suffix) {
    if (!suffix) return L->scope;
    size_t a = strlen(L->scope), b = strlen(suffix);
    char *s = cw_arena_alloc(L->ps->a, a + b + 2);
    if (!s) return NULL;
    memcpy(s, L->scope, a);
    s[a] = '/';
    memcpy(s + a + 1, suffix, b + 1);
    return s;
}

/* A node named name reading in[n_in]; NULL when an input was not computed
 * (its problem is noted) or out of memory. The pointer is valid until the
 * next node is added. */
cw_node_def *cw_layer_emit_named(cw_layers *L, const char *name, const char *op,
                                 const cw_layer_ref *in, size_t n_in) {
    cw_graph_def *g = L->ps->g;
    for (size_t i = 0; i < n_in; i++)
        if (!in[i].node) return NULL;
    if (!name || grow(L, (void **)&g->nodes, &L->node_cap, g->n_nodes, sizeof(cw_node_def)))
        return NULL;
    cw_node_def *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof *n);
    n->weight = -1;
    n->name = name;
    n->op = op;
    n->inputs = cw_arena_alloc(L->ps->a, (n_in ? n_in : 1) * sizeof(cw_input));
    n->attrs = cw_arena_alloc(L->ps->a, CW_LAYER_MAX_ATTRS * sizeof(cw_attr));
    if (!n->inputs || !n->attrs) return NULL;
    for (size_t i = 0; i < n_in; i++) {
        n->inputs[i].node = in[i].node;
        n->inputs[i].index = in[i].index;
        n->inputs[i].producer = -1;
    }
    n->n_inputs = n_in;
    g->n_nodes++;
    return n;
}

cw_node_def *cw_layer_emit(cw_layers *L, const char *suffix, const char *op, const cw_layer_ref *in,
                           size_t n_in) {
    return cw_layer_emit_named(L, scoped(L, suffix), op, in, n_in);
}

void cw_layer_add_ints(cw_layers *L, cw_node_def *n, const char *name, cw_attr_kind kind,
                       const int64_t *v, size_t count) {
    cw_attr *a = cw_node_add_attr(n, name, kind);
    if (!a) return;
    a->ints = cw_arena_alloc(L->ps->a, (count ? count : 1) * sizeof(int64_t));
    if (!a->ints) return;
    if (count) memcpy(a->ints, v, count * sizeof(int64_t));
    a->count = count;
}

/* A Const whose values (count of dtype, shape[rank]) are in the model
 * description itself: a literal weight named as the node. */
cw_layer_ref cw_layer_literal(cw_layers *L, const char *suffix, cw_dtype dtype, const void *data,
                              size_t rank, const int64_t *shape) {
    cw_graph_def *g = L->ps->g;
    size_t count = 1;
    for (size_t d = 0; d < rank; d++) count *= (size_t)shape[d];
    if (grow(L, (void **)&g->weights, &L->weight_cap, g->n_weights, sizeof(cw_weight_def)))
        return CW_LAYER_REF_NONE;
    void *values = cw_arena_alloc(L->ps->a, (count ? count : 1) * cw_dtype_size(dtype));
    int64_t *dims = cw_arena_alloc(L->ps->a, (rank ? rank : 1) * sizeof(int64_t));
    cw_node_def *n = cw_layer_emit(L, suffix, "Const", NULL, 0);
    if (!values || !dims || !n) return CW_LAYER_REF_NONE;
    memcpy(values, data, count * cw_dtype_size(dtype));
    if (rank) memcpy(dims, shape, rank * sizeof(int64_t));
    cw_weight_def *w = &g->weights[g->n_weights++];
    memset(w, 0, sizeof *w);
    w->name = n->name;
    w->dtype = dtype;
    w->store = CW_STORE_LITERAL;
    w->literal = values;
    w->rank = rank;
    w->shape = dims;
    w->count = count;
    return cw_layer_ref_of(n);
}

cw_layer_ref cw_layer_ints(cw_layers *L, const char *suffix, const int32_t *v, int64_t count) {
    return cw_layer_literal(L, suffix, CW_I32, v, 1, &count);
}

/* The layer's weight "<layer>/<name>" (or a manifest name ending in
 * "/<layer>/<name>") as a Const named as in the manifest; *count (if given)
 * its elements. Notes a problem when the manifest has none. */
cw_layer_ref cw_layer_weight(cw_layers *L, const char *name, size_t *count) {
    cw_graph_def *g = L->ps->g;
    size_t ll = strlen(L->layer), nl = strlen(name);
    for (size_t w = 0; w < L->n_manifest; w++) {
        const char *full = g->weights[w].name;
        size_t fl = strlen(full);
        if (fl < ll + 1 + nl) continue;
        const char *tail = full + fl - (ll + 1 + nl);
        if ((tail != full && tail[-1] != '/') || strncmp(tail, L->layer, ll) != 0 ||
            tail[ll] != '/' || strcmp(tail + ll + 1, name) != 0)
            continue;
        if (count) *count = g->weights[w].count;
        if (!L->made[w] && !cw_layer_emit_named(L, full, "Const", NULL, 0))
            return CW_LAYER_REF_NONE;
        L->made[w] = 1;
        return (cw_layer_ref){full, 0};
    }
    cw_layer_fail(L, "weight '%s/%s' is not in the weights manifest", L->layer, name);
    return CW_LAYER_REF_NONE;
}

/* ---- config values ---- */

/* A number (all n the same) or a list of n numbers; absent or null: dflt. */
int cw_layer_cfg_ints(cw_layers *L, const cJSON *cfg, const char *key, int64_t *out, int n,
                      int64_t dflt) {
    const cJSON *v = cw_json_item(cfg, key);
    int ok = 1;
    if (!v || cJSON_IsNull(v)) {
        for (int i = 0; i < n; i++) out[i] = dflt;
    } else if (cJSON_IsNumber(v)) {
        int64_t x = cw_json_int(v, &ok);
        for (int i = 0; i < n; i++) out[i] = x;
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == n) {
        for (int i = 0; i < n && ok; i++) out[i] = cw_json_int(cJSON_GetArrayItem(v, i), &ok);
    } else {
        ok = 0;
    }
    for (int i = 0; i < n && ok; i++) ok = out[i] >= -1 && out[i] <= INT32_MAX;
    if (!ok) cw_layer_fail(L, "'%s' is not a number or a list of %d numbers", key, n);
    return ok ? 0 : -1;
}

double cw_layer_cfg_num(cw_layers *L, const cJSON *cfg, const char *key, double dflt) {
    const cJSON *v = cw_json_item(cfg, key);
    if (!v || cJSON_IsNull(v)) return dflt;
    int ok;
    double x = cw_json_float(v, &ok);
    if (!ok) cw_layer_fail(L, "'%s' is not a number", key);
    return x;
}

int cw_layer_channels_last(cw_layers *L, const cJSON *cfg) {
    const char *f = cw_cfg_str(cfg, "data_format", "channels_last");
    if (!strcmp(f, "channels_last")) return 0;
    cw_layer_fail(L, "data_format '%s' is not supported (channels_last only)", f);
    return -1;
}

int cw_layer_read_window(cw_layers *L, const cJSON *cfg, const char *size_key, int64_t size_dflt,
                         const char *stride_key, cw_layer_window *w) {
    int64_t k[2], s[2], d[2];
    if (cw_layer_channels_last(L, cfg) < 0 ||
        cw_layer_cfg_ints(L, cfg, size_key, k, 2, size_dflt) < 0 ||
        cw_layer_cfg_ints(L, cfg, stride_key, s, 2, size_key[0] == 'p' ? k[0] : 1) < 0 ||
        cw_layer_cfg_ints(L, cfg, "dilation_rate", d, 2, 1) < 0)
        return -1;
    if (size_key[0] == 'p' &&
        (!cw_json_item(cfg, stride_key) || cJSON_IsNull(cw_json_item(cfg, stride_key))))
        s[0] = k[0], s[1] = k[1]; /* pooling: strides default to the pool size */
    for (int i = 0; i < 2; i++) {
        if (k[i] < 1 || s[i] < 1 || d[i] < 1) {
            cw_layer_fail(L, "sizes, strides and dilations must be at least 1");
            return -1;
        }
        w->ksize[i + 1] = k[i], w->strides[i + 1] = s[i], w->dilations[i + 1] = d[i];
    }
    w->ksize[0] = w->ksize[3] = w->strides[0] = w->strides[3] = 1;
    w->dilations[0] = w->dilations[3] = 1;
    const char *pad = cw_cfg_str(cfg, "padding", "valid");
    if (!strcmp(pad, "valid")) {
        w->padding = "VALID";
    } else if (!strcmp(pad, "same")) {
        w->padding = "SAME";
    } else {
        cw_layer_fail(L, "padding '%s' is not supported (valid or same)", pad);
        return -1;
    }
    return 0;
}

void cw_layer_window_attrs(cw_layers *L, cw_node_def *n, const cw_layer_window *w, int dilations) {
    cw_layer_add_ints(L, n, "strides", CW_ATTR_INTS, w->strides, 4);
    cw_node_add_str(n, "padding", w->padding);
    if (dilations) cw_layer_add_ints(L, n, "dilations", CW_ATTR_INTS, w->dilations, 4);
    cw_node_add_str(n, "data_format", "NHWC");
}

/* ---- activations, bias ---- */

cw_layer_ref cw_layer_unary(cw_layers *L, const char *op, cw_layer_ref x) {
    return cw_layer_ref_of(cw_layer_emit(L, op, op, &x, 1));
}

/* A Keras activation name applied to x. */
cw_layer_ref cw_layer_activation(cw_layers *L, const char *name, cw_layer_ref x) {
    static const struct {
        const char *keras, *op;
    } map[] = {{"relu", "Relu"},         {"relu6", "Relu6"},     {"sigmoid", "Sigmoid"},
               {"tanh", "Tanh"},         {"elu", "Elu"},         {"selu", "Selu"},
               {"softplus", "Softplus"}, {"softmax", "Softmax"}, {"exponential", "Exp"}};
    if (!name || !strcmp(name, "linear")) return x;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(name, map[i].keras)) return cw_layer_unary(L, map[i].op, x);
    if (!strcmp(name, "swish")) {
        cw_layer_ref in[2] = {x, cw_layer_unary(L, "Sigmoid", x)};
        return cw_layer_ref_of(cw_layer_emit(L, "Mul", "Mul", in, 2));
    }
    cw_layer_fail(
        L,
        "activation '%s' is not supported (linear, relu, relu6, sigmoid, tanh, elu, selu, "
        "softplus, softmax, exponential, swish)",
        name);
    return CW_LAYER_REF_NONE;
}

/* The use_bias bias and the activation of a Conv2D, DepthwiseConv2D,
 * SeparableConv2D or Dense layer, then the call's Identity. */
cw_layer_ref cw_layer_bias_activation_out(cw_layers *L, const cJSON *cfg, cw_layer_ref y) {
    if (cw_cfg_bool(cfg, "use_bias", 1)) {
        cw_layer_ref in[2] = {y, cw_layer_weight(L, "bias", NULL)};
        cw_node_def *n = cw_layer_emit(L, "BiasAdd", "BiasAdd", in, 2);
        cw_node_add_str(n, "data_format", "NHWC");
        y = cw_layer_ref_of(n);
    }
    y = cw_layer_activation(L, cw_cfg_str(cfg, "activation", "linear"), y);
    return cw_layer_ref_of(cw_layer_emit(L, NULL, "Identity", &y, 1));
}

cw_layer_ref cw_layer_out(cw_layers *L, cw_layer_ref y) {
    return cw_layer_ref_of(cw_layer_emit(L, NULL, "Identity", &y, 1));
}
