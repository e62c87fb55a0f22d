/* Internals of the layers-model reader (layers*.c): the builder
 * that adds a layer call's nodes to the graph and the Keras config readers.
 * A node pointer a builder function returns is valid until the next node is
 * added (the node array grows). */
#ifndef CW_GRAPH_READER_LAYERS_H
#define CW_GRAPH_READER_LAYERS_H

#include "graph/reader/json.h"

#define CW_LAYER_MAX_ATTRS 8

/* A tensor: output index of the node named node; node NULL when it was not
 * computed (a problem was noted), which every builder function passes on. */
typedef struct {
    const char *node;
    int index;
} cw_layer_ref;

#define CW_LAYER_REF_NONE ((cw_layer_ref){NULL, 0})

typedef struct {
    cw_graph_parser *ps;
    size_t node_cap, weight_cap, n_manifest;
    unsigned char *made; /* per manifest weight: its Const node exists */
    const char *layer;   /* the layer being read */
    const char *cls;     /* its class */
    const char *scope;   /* its call's name: nodes are "<scope>/<suffix>" */
} cw_layers;

/* strides, dilations and ksize as [1, h, w, 1], padding "SAME" / "VALID". */
typedef struct {
    int64_t strides[4], dilations[4], ksize[4];
    const char *padding;
} cw_layer_window;

/* Notes "layer 'NAME' (CLASS): <message>". */
void cw_layer_fail(cw_layers *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A node reading in[n_in], named name / "<scope>/<suffix>" (suffix NULL:
 * the call's own name); NULL when an input is not computed or out of memory. */
cw_node_def *cw_layer_emit_named(cw_layers *L, const char *name, const char *op,
                                 const cw_layer_ref *in, size_t n_in);
cw_node_def *cw_layer_emit(cw_layers *L, const char *suffix, const char *op, const cw_layer_ref *in,
                           size_t n_in);
void cw_layer_add_ints(cw_layers *L, cw_node_def *n, const char *name, cw_attr_kind kind,
                       const int64_t *v, size_t count);
/* A Const holding count values of dtype (shape[rank]) in the model itself. */
cw_layer_ref cw_layer_literal(cw_layers *L, const char *suffix, cw_dtype dtype, const void *data,
                              size_t rank, const int64_t *shape);
/* A rank-1 int32 literal. */
cw_layer_ref cw_layer_ints(cw_layers *L, const char *suffix, const int32_t *v, int64_t count);
/* The layer's weight "<layer>/<name>" (or a manifest name ending in
 * "/<layer>/<name>") as a Const named as in the manifest; *count (if given)
 * its elements. Notes a problem when the manifest has none. */
cw_layer_ref cw_layer_weight(cw_layers *L, const char *name, size_t *count);

/* Config values: a number (all n the same) or a list of n numbers, absent
 * or null giving dflt; a number; channels_last checked; a conv or pool
 * window. Each notes a problem and returns -1 (or dflt) when malformed. */
int cw_layer_cfg_ints(cw_layers *L, const cJSON *cfg, const char *key, int64_t *out, int n,
                      int64_t dflt);
double cw_layer_cfg_num(cw_layers *L, const cJSON *cfg, const char *key, double dflt);
int cw_layer_channels_last(cw_layers *L, const cJSON *cfg);
int cw_layer_read_window(cw_layers *L, const cJSON *cfg, const char *size_key, int64_t size_dflt,
                         const char *stride_key, cw_layer_window *w);
void cw_layer_window_attrs(cw_layers *L, cw_node_def *n, const cw_layer_window *w, int dilations);

/* op(x); a Keras activation name applied to x; the use_bias bias and the
 * activation of a Conv2D / Dense-like layer then the call's Identity; the
 * call's Identity of y (every call ends in one, named after the call). */
cw_layer_ref cw_layer_unary(cw_layers *L, const char *op, cw_layer_ref x);
cw_layer_ref cw_layer_activation(cw_layers *L, const char *name, cw_layer_ref x);
cw_layer_ref cw_layer_bias_activation_out(cw_layers *L, const cJSON *cfg, cw_layer_ref y);
cw_layer_ref cw_layer_out(cw_layers *L, cw_layer_ref y);

/* layers_ops.c: one call of a layer (class cls, config cfg) on
 * x[n_x], its nodes named after name. */
cw_layer_ref cw_layer_call(cw_layers *L, const char *name, const char *cls, const cJSON *cfg,
                           const cw_layer_ref *x, size_t n_x);

static inline cw_layer_ref cw_layer_ref_of(const cw_node_def *n) {
    return n ? (cw_layer_ref){n->name, 0} : CW_LAYER_REF_NONE;
}

static inline cw_attr *cw_node_add_attr(cw_node_def *n, const char *name, cw_attr_kind kind) {
    if (!n || n->n_attrs == CW_LAYER_MAX_ATTRS) return NULL;
    cw_attr *a = &n->attrs[n->n_attrs++];
    a->name = name;
    a->kind = kind;
    return a;
}

static inline void cw_node_add_int(cw_node_def *n, const char *name, cw_attr_kind kind, int64_t i) {
    cw_attr *a = cw_node_add_attr(n, name, kind);
    if (a) a->i = i;
}

static inline void cw_node_add_float(cw_node_def *n, const char *name, double f) {
    cw_attr *a = cw_node_add_attr(n, name, CW_ATTR_FLOAT);
    if (a) a->f = f;
}

static inline void cw_node_add_str(cw_node_def *n, const char *name, const char *s) {
    cw_attr *a = cw_node_add_attr(n, name, CW_ATTR_STRING);
    if (a) a->s = s, a->s_len = strlen(s);
}

static inline const cJSON *cw_json_item(const cJSON *o, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static inline const char *cw_cfg_str(const cJSON *cfg, const char *key, const char *dflt) {
    const char *s = cw_json_string(cfg, key);
    return s ? s : dflt;
}

static inline int cw_cfg_bool(const cJSON *cfg, const char *key, int dflt) {
    const cJSON *v = cw_json_item(cfg, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

#endif
