/* A layers-model (Keras Sequential or Functional config, as TF.js's
 * model.save and tensorflowjs_converter write it) read as the TF op nodes
 * that compute it, so the planner and the graph ops run it as they run a
 * graph-model.
 *
 * Each call of a layer becomes a short chain of nodes named "<call>/<op>"
 * that ends in an Identity named after the call (the layer's name for its
 * first call): the names predict() reports. Weights become Consts named as
 * in the manifest ("conv2d_1/kernel"); the small constants a chain needs
 * (axes, paddings, shapes) are literal weights. What a chain needs from its
 * input's shape (Flatten's batch size, UpSampling2D's size) is computed by
 * Shape nodes, which the planner folds. The chains are plain (Conv2D,
 * BiasAdd, Relu); the planner fuses them. */
#include <stdarg.h>
#include <stdio.h>

#include "graph/graph_def_json.h"

#define MAX_ATTRS 8

typedef struct {
    const char *node; /* NULL: not computed (a problem was noted) */
    int index;
} lref;

typedef struct {
    cw_graph_parser *ps;
    size_t node_cap, weight_cap, n_manifest;
    unsigned char *made; /* per manifest weight: its Const node exists */
    const char *layer;   /* the layer being read */
    const char *cls;     /* its class */
    const char *scope;   /* its call's name */
} layers;

static const lref NONE_REF = {NULL, 0};

static void fail(layers *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void fail(layers *L, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cw_problems_add(L->ps->p, "layer '%s' (%s): %s", L->layer, L->cls, msg);
}

/* Room for one more element in an arena array of *cap (copied when full). */
static int grow(layers *L, void **arr, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = cw_arena_alloc(L->ps->a, ncap * elem);
    if (!p) return -1;
    if (n) memcpy(p, *arr, n * elem);
    *arr = p, *cap = ncap;
    return 0;
}

static const char *scoped(layers *L, const char *suffix) {
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
static cw_node_def *emit_named(layers *L, const char *name, const char *op, const lref *in,
                               size_t n_in) {
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
    n->attrs = cw_arena_alloc(L->ps->a, MAX_ATTRS * sizeof(cw_attr));
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

static cw_node_def *emit(layers *L, const char *suffix, const char *op, const lref *in,
                         size_t n_in) {
    return emit_named(L, scoped(L, suffix), op, in, n_in);
}

static lref ref(const cw_node_def *n) { return n ? (lref){n->name, 0} : NONE_REF; }

static cw_attr *attr(cw_node_def *n, const char *name, cw_attr_kind kind) {
    if (!n || n->n_attrs == MAX_ATTRS) return NULL;
    cw_attr *a = &n->attrs[n->n_attrs++];
    a->name = name;
    a->kind = kind;
    return a;
}

static void attr_int(cw_node_def *n, const char *name, cw_attr_kind kind, int64_t i) {
    cw_attr *a = attr(n, name, kind);
    if (a) a->i = i;
}

static void attr_float(cw_node_def *n, const char *name, double f) {
    cw_attr *a = attr(n, name, CW_ATTR_FLOAT);
    if (a) a->f = f;
}

static void attr_str(cw_node_def *n, const char *name, const char *s) {
    cw_attr *a = attr(n, name, CW_ATTR_STRING);
    if (a) a->s = s, a->s_len = strlen(s);
}

static void attr_ints(layers *L, cw_node_def *n, const char *name, cw_attr_kind kind,
                      const int64_t *v, size_t count) {
    cw_attr *a = attr(n, name, kind);
    if (!a) return;
    a->ints = cw_arena_alloc(L->ps->a, (count ? count : 1) * sizeof(int64_t));
    if (!a->ints) return;
    if (count) memcpy(a->ints, v, count * sizeof(int64_t));
    a->count = count;
}

/* A Const whose values (count of dtype, shape[rank]) are in the model
 * description itself: a literal weight named as the node. */
static lref literal(layers *L, const char *suffix, cw_dtype dtype, const void *data, size_t rank,
                    const int64_t *shape) {
    cw_graph_def *g = L->ps->g;
    size_t count = 1;
    for (size_t d = 0; d < rank; d++) count *= (size_t)shape[d];
    if (grow(L, (void **)&g->weights, &L->weight_cap, g->n_weights, sizeof(cw_weight_def)))
        return NONE_REF;
    void *values = cw_arena_alloc(L->ps->a, (count ? count : 1) * cw_dtype_size(dtype));
    int64_t *dims = cw_arena_alloc(L->ps->a, (rank ? rank : 1) * sizeof(int64_t));
    cw_node_def *n = emit(L, suffix, "Const", NULL, 0);
    if (!values || !dims || !n) return NONE_REF;
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
    return ref(n);
}

static lref ints(layers *L, const char *suffix, const int32_t *v, int64_t count) {
    return literal(L, suffix, CW_I32, v, 1, &count);
}

/* The layer's weight "<layer>/<name>" (or a manifest name ending in
 * "/<layer>/<name>") as a Const named as in the manifest; *count (if given)
 * its elements. Notes a problem when the manifest has none. */
static lref weight(layers *L, const char *name, size_t *count) {
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
        if (!L->made[w] && !emit_named(L, full, "Const", NULL, 0)) return NONE_REF;
        L->made[w] = 1;
        return (lref){full, 0};
    }
    fail(L, "weight '%s/%s' is not in the weights manifest", L->layer, name);
    return NONE_REF;
}

/* ---- config values ---- */

static const cJSON *item(const cJSON *o, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A number (all n the same) or a list of n numbers; absent or null: dflt. */
static int cfg_ints(layers *L, const cJSON *cfg, const char *key, int64_t *out, int n,
                    int64_t dflt) {
    const cJSON *v = item(cfg, key);
    int ok = 1;
    if (!v || cJSON_IsNull(v)) {
        for (int i = 0; i < n; i++) out[i] = dflt;
    } else if (cJSON_IsNumber(v)) {
        int64_t x = json_int(v, &ok);
        for (int i = 0; i < n; i++) out[i] = x;
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == n) {
        for (int i = 0; i < n && ok; i++) out[i] = json_int(cJSON_GetArrayItem(v, i), &ok);
    } else {
        ok = 0;
    }
    for (int i = 0; i < n && ok; i++) ok = out[i] >= -1 && out[i] <= INT32_MAX;
    if (!ok) fail(L, "'%s' is not a number or a list of %d numbers", key, n);
    return ok ? 0 : -1;
}

static double cfg_num(layers *L, const cJSON *cfg, const char *key, double dflt) {
    const cJSON *v = item(cfg, key);
    if (!v || cJSON_IsNull(v)) return dflt;
    int ok;
    double x = json_float(v, &ok);
    if (!ok) fail(L, "'%s' is not a number", key);
    return x;
}

static const char *cfg_str(const cJSON *cfg, const char *key, const char *dflt) {
    const char *s = json_string(cfg, key);
    return s ? s : dflt;
}

static int cfg_bool(const cJSON *cfg, const char *key, int dflt) {
    const cJSON *v = item(cfg, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

static int channels_last(layers *L, const cJSON *cfg) {
    const char *f = cfg_str(cfg, "data_format", "channels_last");
    if (!strcmp(f, "channels_last")) return 0;
    fail(L, "data_format '%s' is not supported (channels_last only)", f);
    return -1;
}

/* strides and dilations as [1, h, w, 1], padding as "SAME" / "VALID". */
typedef struct {
    int64_t strides[4], dilations[4], ksize[4];
    const char *padding;
} window;

static int read_window(layers *L, const cJSON *cfg, const char *size_key, int64_t size_dflt,
                       const char *stride_key, window *w) {
    int64_t k[2], s[2], d[2];
    if (channels_last(L, cfg) < 0 || cfg_ints(L, cfg, size_key, k, 2, size_dflt) < 0 ||
        cfg_ints(L, cfg, stride_key, s, 2, size_key[0] == 'p' ? k[0] : 1) < 0 ||
        cfg_ints(L, cfg, "dilation_rate", d, 2, 1) < 0)
        return -1;
    if (size_key[0] == 'p' && (!item(cfg, stride_key) || cJSON_IsNull(item(cfg, stride_key))))
        s[0] = k[0], s[1] = k[1]; /* pooling: strides default to the pool size */
    for (int i = 0; i < 2; i++) {
        if (k[i] < 1 || s[i] < 1 || d[i] < 1) {
            fail(L, "sizes, strides and dilations must be at least 1");
            return -1;
        }
        w->ksize[i + 1] = k[i], w->strides[i + 1] = s[i], w->dilations[i + 1] = d[i];
    }
    w->ksize[0] = w->ksize[3] = w->strides[0] = w->strides[3] = 1;
    w->dilations[0] = w->dilations[3] = 1;
    const char *pad = cfg_str(cfg, "padding", "valid");
    if (!strcmp(pad, "valid")) {
        w->padding = "VALID";
    } else if (!strcmp(pad, "same")) {
        w->padding = "SAME";
    } else {
        fail(L, "padding '%s' is not supported (valid or same)", pad);
        return -1;
    }
    return 0;
}

static void window_attrs(layers *L, cw_node_def *n, const window *w, int dilations) {
    attr_ints(L, n, "strides", CW_ATTR_INTS, w->strides, 4);
    attr_str(n, "padding", w->padding);
    if (dilations) attr_ints(L, n, "dilations", CW_ATTR_INTS, w->dilations, 4);
    attr_str(n, "data_format", "NHWC");
}

/* ---- activations, bias ---- */

static lref unary(layers *L, const char *op, lref x) { return ref(emit(L, op, op, &x, 1)); }

/* A Keras activation name applied to x. */
static lref activation(layers *L, const char *name, lref x) {
    static const struct {
        const char *keras, *op;
    } map[] = {{"relu", "Relu"},         {"relu6", "Relu6"},     {"sigmoid", "Sigmoid"},
               {"tanh", "Tanh"},         {"elu", "Elu"},         {"selu", "Selu"},
               {"softplus", "Softplus"}, {"softmax", "Softmax"}, {"exponential", "Exp"}};
    if (!name || !strcmp(name, "linear")) return x;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(name, map[i].keras)) return unary(L, map[i].op, x);
    if (!strcmp(name, "swish")) {
        lref in[2] = {x, unary(L, "Sigmoid", x)};
        return ref(emit(L, "Mul", "Mul", in, 2));
    }
    fail(L,
         "activation '%s' is not supported (linear, relu, relu6, sigmoid, tanh, elu, selu, "
         "softplus, softmax, exponential, swish)",
         name);
    return NONE_REF;
}

/* The use_bias bias and the activation of a Conv2D, DepthwiseConv2D,
 * SeparableConv2D or Dense layer, then the call's Identity. */
static lref bias_activation_out(layers *L, const cJSON *cfg, lref y) {
    if (cfg_bool(cfg, "use_bias", 1)) {
        lref in[2] = {y, weight(L, "bias", NULL)};
        cw_node_def *n = emit(L, "BiasAdd", "BiasAdd", in, 2);
        attr_str(n, "data_format", "NHWC");
        y = ref(n);
    }
    y = activation(L, cfg_str(cfg, "activation", "linear"), y);
    return ref(emit(L, NULL, "Identity", &y, 1));
}

static lref out(layers *L, lref y) { return ref(emit(L, NULL, "Identity", &y, 1)); }

/* ---- the layers ---- */

static lref conv2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    window w;
    if (read_window(L, cfg, "kernel_size", 1, "strides", &w) < 0) return NONE_REF;
    if (cfg_num(L, cfg, "groups", 1) != 1) {
        fail(L, "grouped convolution (groups != 1) is not supported");
        return NONE_REF;
    }
    lref in[2] = {x[0], weight(L, "kernel", NULL)};
    cw_node_def *n = emit(L, "Conv2D", "Conv2D", in, 2);
    window_attrs(L, n, &w, 1);
    return bias_activation_out(L, cfg, ref(n));
}

static lref depthwise2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    window w;
    if (read_window(L, cfg, "kernel_size", 1, "strides", &w) < 0) return NONE_REF;
    lref in[2] = {x[0], weight(L, "depthwise_kernel", NULL)};
    cw_node_def *n = emit(L, "depthwise", "DepthwiseConv2dNative", in, 2);
    window_attrs(L, n, &w, 1);
    return bias_activation_out(L, cfg, ref(n));
}

static lref separable2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    window w;
    if (read_window(L, cfg, "kernel_size", 1, "strides", &w) < 0) return NONE_REF;
    lref in[2] = {x[0], weight(L, "depthwise_kernel", NULL)};
    cw_node_def *n = emit(L, "depthwise", "DepthwiseConv2dNative", in, 2);
    window_attrs(L, n, &w, 1);
    window one = {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID"};
    lref in2[2] = {ref(n), weight(L, "pointwise_kernel", NULL)};
    n = emit(L, "pointwise", "Conv2D", in2, 2);
    window_attrs(L, n, &one, 1);
    return bias_activation_out(L, cfg, ref(n));
}

static lref dense(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    lref in[2] = {x[0], weight(L, "kernel", NULL)};
    return bias_activation_out(L, cfg, ref(emit(L, "MatMul", "MatMul", in, 2)));
}

static lref pool2d(layers *L, const cJSON *cfg, const lref *x, const char *op) {
    window w;
    if (read_window(L, cfg, "pool_size", 2, "strides", &w) < 0) return NONE_REF;
    cw_node_def *n = emit(L, op, op, x, 1);
    attr_ints(L, n, "ksize", CW_ATTR_INTS, w.ksize, 4);
    window_attrs(L, n, &w, 0);
    return out(L, ref(n));
}

static lref max_pool2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    return pool2d(L, cfg, x, "MaxPool");
}

static lref avg_pool2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    return pool2d(L, cfg, x, "AvgPool");
}

static lref global_pool2d(layers *L, const cJSON *cfg, const lref *x, const char *op) {
    if (channels_last(L, cfg) < 0) return NONE_REF;
    const int32_t hw[2] = {1, 2};
    lref in[2] = {x[0], ints(L, "axes", hw, 2)};
    cw_node_def *n = emit(L, op, op, in, 2);
    attr_int(n, "keep_dims", CW_ATTR_BOOL, cfg_bool(cfg, "keepdims", 0));
    return out(L, ref(n));
}

static lref global_avg_pool2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    return global_pool2d(L, cfg, x, "Mean");
}

static lref global_max_pool2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    return global_pool2d(L, cfg, x, "Max");
}

/* Dimensions [begin, end) of x's shape, computed by nodes the planner folds. */
static lref shape_slice(layers *L, lref x, int32_t begin, int32_t end, const char *name) {
    const int32_t b = begin, e = end, one = 1;
    lref shape = ref(emit(L, "Shape", "Shape", &x, 1));
    lref in[4] = {shape, ints(L, "begin", &b, 1), ints(L, "end", &e, 1),
                  ints(L, "stride", &one, 1)};
    return ref(emit(L, name, "StridedSlice", in, 4));
}

/* x reshaped to [batch, rest...] (rest may hold one -1). */
static lref reshape_batch(layers *L, lref x, const int32_t *rest, int64_t n_rest) {
    const int32_t zero = 0;
    lref in[3] = {shape_slice(L, x, 0, 1, "batch"), ints(L, "rest", rest, n_rest),
                  literal(L, "axis", CW_I32, &zero, 0, NULL)};
    lref shape = ref(emit(L, "shape", "ConcatV2", in, 3));
    lref r[2] = {x, shape};
    return out(L, ref(emit(L, "Reshape", "Reshape", r, 2)));
}

static lref flatten(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    if (channels_last(L, cfg) < 0) return NONE_REF;
    const int32_t all = -1;
    return reshape_batch(L, x[0], &all, 1);
}

static lref reshape(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    const cJSON *t = item(cfg, "target_shape");
    int32_t dims[CW_GRAPH_MAX_RANK];
    int n = cJSON_IsArray(t) ? cJSON_GetArraySize(t) : -1, ok = n >= 0 && n < CW_GRAPH_MAX_RANK;
    for (int i = 0; ok && i < n; i++) {
        const cJSON *d = cJSON_GetArrayItem(t, i);
        int64_t v = cJSON_IsNull(d) ? -1 : json_int(d, &ok);
        ok = ok && v >= -1 && v <= INT32_MAX;
        dims[i] = (int32_t)v;
    }
    if (!ok) {
        fail(L, "target_shape is not a list of at most %d sizes", CW_GRAPH_MAX_RANK - 1);
        return NONE_REF;
    }
    return reshape_batch(L, x[0], dims, n);
}

static lref identity(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg, (void)n_x;
    return out(L, x[0]);
}

static lref batch_norm(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    int64_t axis;
    if (cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return NONE_REF;
    size_t c = 0;
    lref mean = weight(L, "moving_mean", &c), var = weight(L, "moving_variance", NULL);
    if (!mean.node) return NONE_REF;
    int64_t dims = (int64_t)c;
    float *fill = cw_arena_alloc(L->ps->a, (c ? c : 1) * sizeof(float));
    if (!fill) return NONE_REF;
    lref gamma, beta;
    if (cfg_bool(cfg, "scale", 1)) {
        gamma = weight(L, "gamma", NULL);
    } else {
        for (size_t i = 0; i < c; i++) fill[i] = 1.0f;
        gamma = literal(L, "gamma", CW_F32, fill, 1, &dims);
    }
    if (cfg_bool(cfg, "center", 1)) {
        beta = weight(L, "beta", NULL);
    } else {
        memset(fill, 0, c * sizeof(float));
        beta = literal(L, "beta", CW_F32, fill, 1, &dims);
    }
    lref in[5] = {x[0], gamma, beta, mean, var};
    cw_node_def *n = emit(L, "FusedBatchNormV3", "FusedBatchNormV3", in, 5);
    attr_float(n, "epsilon", cfg_num(L, cfg, "epsilon", 1e-3));
    attr_str(n, "data_format", "NHWC");
    attr_int(n, "is_training", CW_ATTR_BOOL, 0);
    attr_int(n, "axis", CW_ATTR_INT, axis); /* the planner checks it is the last */
    return out(L, ref(n));
}

static lref activation_layer(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    return out(L, activation(L, cfg_str(cfg, "activation", "linear"), x[0]));
}

static lref relu_layer(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    const cJSON *max = item(cfg, "max_value");
    double slope = cfg_num(L, cfg, "negative_slope", 0),
           threshold = cfg_num(L, cfg, "threshold", 0);
    double cap = max && !cJSON_IsNull(max) ? cfg_num(L, cfg, "max_value", 0) : -1;
    if (threshold != 0 || (slope != 0 && cap >= 0) || (max && !cJSON_IsNull(max) && cap < 0)) {
        fail(L, "only max_value (>= 0) or negative_slope, without threshold, is supported");
        return NONE_REF;
    }
    if (slope != 0) {
        cw_node_def *n = emit(L, "LeakyRelu", "LeakyRelu", x, 1);
        attr_float(n, "alpha", slope);
        return out(L, ref(n));
    }
    if (cap == 6) return out(L, unary(L, "Relu6", x[0]));
    lref y = unary(L, "Relu", x[0]);
    if (cap < 0) return out(L, y);
    const float c = (float)cap;
    lref in[2] = {y, literal(L, "max_value", CW_F32, &c, 0, NULL)};
    return out(L, ref(emit(L, "Minimum", "Minimum", in, 2)));
}

static lref leaky_relu(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    cw_node_def *n = emit(L, "LeakyRelu", "LeakyRelu", x, 1);
    attr_float(n, "alpha", cfg_num(L, cfg, "alpha", 0.3));
    return out(L, ref(n));
}

static lref softmax_layer(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    int64_t axis;
    if (cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return NONE_REF;
    if (axis != -1) {
        fail(L, "axis %lld is not supported (-1 only)", (long long)axis);
        return NONE_REF;
    }
    return out(L, unary(L, "Softmax", x[0]));
}

static lref elu_layer(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    if (cfg_num(L, cfg, "alpha", 1) != 1) {
        fail(L, "alpha other than 1 is not supported");
        return NONE_REF;
    }
    return out(L, unary(L, "Elu", x[0]));
}

/* Add, Subtract, Multiply, Maximum, Minimum, Average: op applied in turn. */
static lref merge(layers *L, const lref *x, size_t n_x, const char *op) {
    if (n_x < 2) {
        fail(L, "%zu input(s), at least 2 expected", n_x);
        return NONE_REF;
    }
    lref y = x[0];
    for (size_t i = 1; i < n_x; i++) {
        char name[32];
        snprintf(name, sizeof name, i == 1 ? "%s" : "%s_%zu", op, i - 1);
        lref in[2] = {y, x[i]};
        y = ref(emit(L, cw_arena_strdup(L->ps->a, name), op, in, 2));
    }
    return y;
}

static lref add(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    return out(L, merge(L, x, n_x, "AddV2"));
}

static lref subtract(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    if (n_x != 2) {
        fail(L, "%zu input(s), 2 expected", n_x);
        return NONE_REF;
    }
    return out(L, merge(L, x, n_x, "Sub"));
}

static lref multiply(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    return out(L, merge(L, x, n_x, "Mul"));
}

static lref maximum(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    return out(L, merge(L, x, n_x, "Maximum"));
}

static lref minimum(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    return out(L, merge(L, x, n_x, "Minimum"));
}

static lref average(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)cfg;
    const float inv = 1.0f / (float)(n_x ? n_x : 1);
    lref in[2] = {merge(L, x, n_x, "AddV2"), literal(L, "inv_n", CW_F32, &inv, 0, NULL)};
    return out(L, ref(emit(L, "Mul", "Mul", in, 2)));
}

static lref concatenate(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    int64_t axis;
    if (cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return NONE_REF;
    lref *in = cw_arena_alloc(L->ps->a, (n_x + 1) * sizeof(lref));
    if (!in) return NONE_REF;
    memcpy(in, x, n_x * sizeof(lref));
    const int32_t a = (int32_t)axis;
    in[n_x] = literal(L, "axis", CW_I32, &a, 0, NULL);
    cw_node_def *n = emit(L, "ConcatV2", "ConcatV2", in, n_x + 1);
    attr_int(n, "N", CW_ATTR_INT, (int64_t)n_x);
    return out(L, ref(n));
}

/* ZeroPadding2D's padding: p, [h, w] or [[top, bottom], [left, right]]. */
static lref zero_padding2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    if (channels_last(L, cfg) < 0) return NONE_REF;
    const cJSON *p = item(cfg, "padding");
    int64_t tb[2] = {1, 1}, lr[2] = {1, 1};
    int ok = 1;
    if (cJSON_IsArray(p) && cJSON_GetArraySize(p) == 2 && cJSON_IsArray(cJSON_GetArrayItem(p, 0))) {
        const cJSON *h = cJSON_GetArrayItem(p, 0), *w = cJSON_GetArrayItem(p, 1);
        ok = cJSON_IsArray(w) && cJSON_GetArraySize(h) == 2 && cJSON_GetArraySize(w) == 2;
        for (int i = 0; ok && i < 2; i++) {
            int ok2;
            tb[i] = json_int(cJSON_GetArrayItem(h, i), &ok);
            lr[i] = json_int(cJSON_GetArrayItem(w, i), &ok2);
            ok = ok && ok2;
        }
    } else {
        int64_t hw[2];
        ok = cfg_ints(L, cfg, "padding", hw, 2, 1) == 0;
        tb[0] = tb[1] = hw[0], lr[0] = lr[1] = hw[1];
    }
    for (int i = 0; ok && i < 2; i++)
        ok = tb[i] >= 0 && lr[i] >= 0 && tb[i] < INT32_MAX && lr[i] < INT32_MAX;
    if (!ok) {
        fail(L, "padding is not p, [h, w] or [[top, bottom], [left, right]] of sizes >= 0");
        return NONE_REF;
    }
    const int32_t pads[8] = {0, 0, (int32_t)tb[0], (int32_t)tb[1], (int32_t)lr[0], (int32_t)lr[1],
                             0, 0};
    const int64_t shape[2] = {4, 2};
    lref in[2] = {x[0], literal(L, "paddings", CW_I32, pads, 2, shape)};
    return out(L, ref(emit(L, "Pad", "Pad", in, 2)));
}

static lref up_sampling2d(layers *L, const cJSON *cfg, const lref *x, size_t n_x) {
    (void)n_x;
    int64_t size[2];
    if (channels_last(L, cfg) < 0 || cfg_ints(L, cfg, "size", size, 2, 2) < 0) return NONE_REF;
    const char *how = cfg_str(cfg, "interpolation", "nearest");
    const char *op = !strcmp(how, "nearest")    ? "ResizeNearestNeighbor"
                     : !strcmp(how, "bilinear") ? "ResizeBilinear"
                                                : NULL;
    if (!op || size[0] < 1 || size[1] < 1) {
        fail(L,
             "interpolation '%s' with size [%lld, %lld] is not supported (nearest or bilinear, "
             "sizes >= 1)",
             how, (long long)size[0], (long long)size[1]);
        return NONE_REF;
    }
    const int32_t by[2] = {(int32_t)size[0], (int32_t)size[1]};
    lref hw[2] = {shape_slice(L, x[0], 1, 3, "hw"), ints(L, "factor", by, 2)};
    lref in[2] = {x[0], ref(emit(L, "size", "Mul", hw, 2))};
    cw_node_def *n = emit(L, op, op, in, 2);
    attr_int(n, "align_corners", CW_ATTR_BOOL, 0);
    attr_int(n, "half_pixel_centers", CW_ATTR_BOOL, 0);
    return out(L, ref(n));
}

typedef lref (*layer_fn)(layers *L, const cJSON *cfg, const lref *x, size_t n_x);

static const struct {
    const char *cls;
    layer_fn fn;
    int merges; /* takes a list of inputs */
} LAYERS[] = {
    {"Conv2D", conv2d, 0},
    {"DepthwiseConv2D", depthwise2d, 0},
    {"SeparableConv2D", separable2d, 0},
    {"Dense", dense, 0},
    {"MaxPooling2D", max_pool2d, 0},
    {"AveragePooling2D", avg_pool2d, 0},
    {"GlobalAveragePooling2D", global_avg_pool2d, 0},
    {"GlobalMaxPooling2D", global_max_pool2d, 0},
    {"Flatten", flatten, 0},
    {"Reshape", reshape, 0},
    {"Dropout", identity, 0},
    {"SpatialDropout2D", identity, 0},
    {"GaussianNoise", identity, 0},
    {"GaussianDropout", identity, 0},
    {"AlphaDropout", identity, 0},
    {"BatchNormalization", batch_norm, 0},
    {"Activation", activation_layer, 0},
    {"ReLU", relu_layer, 0},
    {"LeakyReLU", leaky_relu, 0},
    {"Softmax", softmax_layer, 0},
    {"ELU", elu_layer, 0},
    {"Add", add, 1},
    {"Subtract", subtract, 1},
    {"Multiply", multiply, 1},
    {"Maximum", maximum, 1},
    {"Minimum", minimum, 1},
    {"Average", average, 1},
    {"Concatenate", concatenate, 1},
    {"ZeroPadding2D", zero_padding2d, 0},
    {"UpSampling2D", up_sampling2d, 0},
};

/* A Placeholder for an InputLayer (or a Sequential's first layer) config. */
static lref placeholder(layers *L, const char *name, const cJSON *cfg) {
    const cJSON *shape = item(cfg, "batch_input_shape");
    if (!shape) shape = item(cfg, "batch_shape");
    int n = cJSON_IsArray(shape) ? cJSON_GetArraySize(shape) : -1,
        ok = n >= 1 && n <= CW_GRAPH_MAX_RANK;
    int64_t dims[CW_GRAPH_MAX_RANK];
    for (int i = 0; ok && i < n; i++) {
        const cJSON *d = cJSON_GetArrayItem(shape, i);
        dims[i] = cJSON_IsNull(d) ? -1 : json_int(d, &ok);
        ok = ok && dims[i] >= -1 && dims[i] <= INT32_MAX;
    }
    if (!ok) {
        fail(L, "batch_input_shape is not a list of 1 to %d sizes (null for any)",
             CW_GRAPH_MAX_RANK);
        return NONE_REF;
    }
    const char *dtype = cfg_str(cfg, "dtype", "float32");
    cw_tf_type t = !strcmp(dtype, "float32") ? CW_TF_FLOAT
                   : !strcmp(dtype, "int32") ? CW_TF_INT32
                   : !strcmp(dtype, "bool")  ? CW_TF_BOOL
                                             : CW_TF_UNKNOWN;
    if (t == CW_TF_UNKNOWN) {
        fail(L, "input dtype '%s' is not supported (float32, int32, bool)", dtype);
        return NONE_REF;
    }
    cw_node_def *p = emit_named(L, name, "Placeholder", NULL, 0);
    attr_ints(L, p, "shape", CW_ATTR_SHAPE, dims, (size_t)n);
    attr_int(p, "dtype", CW_ATTR_TYPE, t);
    return ref(p);
}

/* One call of layer (class cls, config cfg) on x[n_x], named name. */
static lref call_layer(layers *L, const char *name, const char *cls, const cJSON *cfg,
                       const lref *x, size_t n_x) {
    L->cls = cls;
    L->scope = name;
    for (size_t i = 0; i < sizeof LAYERS / sizeof LAYERS[0]; i++) {
        if (strcmp(cls, LAYERS[i].cls) != 0) continue;
        if (!LAYERS[i].merges && n_x != 1) {
            fail(L, "%zu inputs, 1 expected", n_x);
            return NONE_REF;
        }
        for (size_t k = 0; k < n_x; k++)
            if (!x[k].node) return NONE_REF;
        return LAYERS[i].fn(L, cfg, x, n_x);
    }
    fail(L, "this layer class is not supported");
    return NONE_REF;
}

/* The layer's name, copied (node names outlive the JSON); NULL if none. */
static const char *layer_name(layers *L, const cJSON *j) {
    const char *name = json_string(j, "name");
    if (!name) name = json_string(item(j, "config"), "name");
    return name ? cw_arena_strdup(L->ps->a, name) : NULL;
}

static int add_signature(layers *L, cw_input **list, size_t *n, lref r) {
    cw_input *grown = cw_arena_alloc(L->ps->a, (*n + 1) * sizeof(cw_input));
    if (!grown || !r.node) return -1;
    if (*n) memcpy(grown, *list, *n * sizeof(cw_input));
    grown[*n].node = r.node;
    grown[*n].index = r.index;
    grown[*n].producer = -1;
    *list = grown;
    (*n)++;
    return 0;
}

static void sequential(layers *L, const cJSON *list) {
    cw_graph_def *g = L->ps->g;
    lref x = NONE_REF;
    size_t i = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, list) {
        const char *cls = json_string(j, "class_name"), *name = layer_name(L, j);
        const cJSON *cfg = item(j, "config");
        L->layer = name ? name : "";
        L->cls = cls ? cls : "";
        if (!cls || !name || !cJSON_IsObject(cfg)) {
            cw_problems_add(L->ps->p, "layers-model: layer #%zu needs class_name, name and config",
                            i);
            return;
        }
        if (i++ == 0) {
            int input = !strcmp(cls, "InputLayer");
            char *in_name = cw_arena_alloc(L->ps->a, strlen(name) + 7);
            if (!in_name) return;
            strcpy(in_name, name);
            if (!input) strcat(in_name, "_input");
            x = placeholder(L, in_name, cfg);
            add_signature(L, &g->sig_inputs, &g->n_sig_inputs, x);
            if (input) continue;
        }
        x = call_layer(L, name, cls, cfg, &x, 1);
        if (L->ps->a->failed) return;
    }
    if (i == 0) cw_problems_add(L->ps->p, "layers-model: the Sequential model has no layers");
    add_signature(L, &g->sig_outputs, &g->n_sig_outputs, x);
}

typedef struct {
    const char *name, *cls;
    const cJSON *cfg, *inbound;
    size_t calls;
    lref *out;
    unsigned char *done;
} fn_layer;

static size_t find_layer(const fn_layer *ls, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ls[i].name, name)) return i;
    return n;
}

/* An inbound entry [layer, node index, tensor index, kwargs] (or the
 * [layer, node, tensor] of input_layers / output_layers) as the call's
 * output; *ready 0 when that call is not read yet, -1 when it can never be. */
static lref inbound_ref(layers *L, const fn_layer *ls, size_t n, const cJSON *e, int *ready) {
    const cJSON *name = cJSON_GetArrayItem(e, 0);
    int ok1 = 1, ok2 = 1;
    int64_t node = cJSON_GetArraySize(e) > 1 ? json_int(cJSON_GetArrayItem(e, 1), &ok1) : 0;
    int64_t tensor = cJSON_GetArraySize(e) > 2 ? json_int(cJSON_GetArrayItem(e, 2), &ok2) : 0;
    *ready = -1;
    if (!cJSON_IsArray(e) || !cJSON_IsString(name) || !ok1 || !ok2) {
        fail(L, "an inbound node is not [layer name, node index, tensor index, kwargs]");
        return NONE_REF;
    }
    size_t k = find_layer(ls, n, name->valuestring);
    if (k == n || node < 0 || (size_t)node >= ls[k].calls) {
        fail(L, "its input '%s' (call %lld) names no layer call", name->valuestring,
             (long long)node);
        return NONE_REF;
    }
    if (tensor != 0) {
        fail(L, "its input '%s' reads output %lld: layers with several outputs are not supported",
             name->valuestring, (long long)tensor);
        return NONE_REF;
    }
    *ready = ls[k].done[node];
    return ls[k].out[node];
}

/* Reads call c of layer l if its inputs are ready: 1 read, 0 not yet, -1 never. */
static int functional_call(layers *L, fn_layer *ls, size_t n, size_t l, size_t c, int report) {
    fn_layer *f = &ls[l];
    L->layer = f->name, L->cls = f->cls;
    if (!strcmp(f->cls, "InputLayer")) {
        f->out[c] = placeholder(L, f->name, f->cfg);
        return 1;
    }
    const cJSON *node = cJSON_GetArrayItem(f->inbound, (int)c);
    if (cJSON_IsObject(node)) { /* Keras 3: {"args": ..., "kwargs": ...} */
        fail(L, "inbound_nodes in the Keras 3 format are not supported");
        return -1;
    }
    size_t n_in = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 0;
    if (n_in == 0) {
        fail(L, "call %zu has no inputs", c);
        return -1;
    }
    lref *in = cw_arena_alloc(L->ps->a, n_in * sizeof(lref));
    if (!in) return -1;
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, node) {
        int ready;
        cw_problems *keep = L->ps->p;
        cw_problems quiet = {0};
        if (!report) L->ps->p = &quiet; /* problems are reported on the last pass only */
        in[i++] = inbound_ref(L, ls, n, e, &ready);
        L->ps->p = keep;
        cw_problems_free(&quiet);
        if (ready <= 0) {
            if (!report) return 0;
            if (ready == 0) fail(L, "its inputs form a cycle or never get computed");
            return -1;
        }
    }
    char *name = (char *)f->name;
    if (c > 0) {
        name = cw_arena_alloc(L->ps->a, strlen(f->name) + 32);
        if (!name) return -1;
        sprintf(name, "%s/call_%zu", f->name, c);
    }
    f->out[c] = call_layer(L, name, f->cls, f->cfg, in, n_in);
    return 1;
}

static void functional(layers *L, const cJSON *cfg) {
    cw_graph_def *g = L->ps->g;
    const cJSON *list = item(cfg, "layers");
    size_t n = (size_t)cJSON_GetArraySize(list);
    fn_layer *ls = cw_arena_alloc(L->ps->a, (n ? n : 1) * sizeof(fn_layer));
    if (!ls) return;
    const cJSON *j;
    size_t i = 0;
    cJSON_ArrayForEach(j, list) {
        fn_layer *f = &ls[i];
        f->name = layer_name(L, j), f->cls = json_string(j, "class_name");
        f->cfg = item(j, "config"), f->inbound = item(j, "inbound_nodes");
        if (!f->name || !f->cls || !cJSON_IsObject(f->cfg) ||
            (f->inbound && !cJSON_IsArray(f->inbound))) {
            cw_problems_add(L->ps->p,
                            "layers-model: layer #%zu needs name, class_name, config and a list of "
                            "inbound_nodes",
                            i);
            return;
        }
        f->calls = f->inbound ? (size_t)cJSON_GetArraySize(f->inbound) : 0;
        if (!strcmp(f->cls, "InputLayer")) f->calls = 1;
        if (find_layer(ls, i, f->name) < i) {
            cw_problems_add(L->ps->p, "layers-model: two layers are named '%s'", f->name);
            return;
        }
        f->out = cw_arena_alloc(L->ps->a, (f->calls ? f->calls : 1) * sizeof(lref));
        f->done = cw_arena_alloc(L->ps->a, f->calls ? f->calls : 1);
        if (!f->out || !f->done) return;
        i++;
    }
    /* Calls in any order: read each once its inputs are; what is left at
     * the end is reported (its inputs never computed or in a cycle). */
    for (int progress = 1, report = 0; progress || !report;) {
        if (!progress) report = 1;
        progress = 0;
        for (size_t l = 0; l < n; l++)
            for (size_t c = 0; c < ls[l].calls; c++) {
                if (ls[l].done[c]) continue;
                int r = functional_call(L, ls, n, l, c, report);
                if (r != 0) ls[l].done[c] = 1, progress = r > 0;
                if (L->ps->a->failed) return;
            }
        if (report) break;
    }
    const char *keys[2] = {"input_layers", "output_layers"};
    for (int k = 0; k < 2; k++) {
        const cJSON *io = item(cfg, keys[k]);
        if (!cJSON_IsArray(io) || cJSON_GetArraySize(io) == 0) {
            cw_problems_add(L->ps->p, "layers-model: %s is missing or empty", keys[k]);
            continue;
        }
        const cJSON *e;
        cJSON_ArrayForEach(e, io) {
            int ready;
            L->layer = "(model)", L->cls = keys[k];
            lref r = inbound_ref(L, ls, n, e, &ready);
            if (ready > 0)
                add_signature(L, k ? &g->sig_outputs : &g->sig_inputs,
                              k ? &g->n_sig_outputs : &g->n_sig_inputs, r);
        }
    }
}

void cw_graph_read_layers(cw_graph_parser *ps, const cJSON *topology) {
    cw_graph_def *g = ps->g;
    const cJSON *model = item(topology, "model_config"); /* converted Keras files */
    if (!model) model = topology;
    const char *cls = json_string(model, "class_name");
    const cJSON *cfg = item(model, "config");
    layers L = {ps, 0, g->n_weights, g->n_weights, NULL, "", "", ""};
    L.made = cw_arena_alloc(ps->a, g->n_weights + 1);
    if (!L.made) return;
    if (cls && !strcmp(cls, "Sequential")) {
        const cJSON *list = cJSON_IsArray(cfg) ? cfg : item(cfg, "layers");
        if (cJSON_IsArray(list))
            sequential(&L, list);
        else
            cw_problems_add(ps->p, "layers-model: the Sequential config has no list of layers");
    } else if (cls && (!strcmp(cls, "Model") || !strcmp(cls, "Functional"))) {
        if (cJSON_IsArray(item(cfg, "layers")))
            functional(&L, cfg);
        else
            cw_problems_add(ps->p, "layers-model: the %s config has no list of layers", cls);
    } else {
        cw_problems_add(ps->p,
                        "layers-model: modelTopology is not a Sequential, Model or Functional "
                        "config (class_name '%s')",
                        cls ? cls : "(none)");
    }
    if (!g->nodes) g->nodes = cw_arena_alloc(ps->a, sizeof(cw_node_def));
}
