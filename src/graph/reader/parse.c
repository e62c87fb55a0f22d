/* cw_graph_def_parse: model.json (graph-model or layers-model) -> cw_graph_def. */
#include <limits.h>

#include "graph/reader/json.h"

static cw_tf_type tf_type(const char *s) {
    static const struct {
        const char *name;
        cw_tf_type t;
    } names[] = {{"DT_FLOAT", CW_TF_FLOAT}, {"DT_INT32", CW_TF_INT32},   {"DT_BOOL", CW_TF_BOOL},
                 {"DT_INT64", CW_TF_INT64}, {"DT_STRING", CW_TF_STRING}, {"DT_HALF", CW_TF_HALF},
                 {"DT_UINT8", CW_TF_UINT8}, {"DT_DOUBLE", CW_TF_DOUBLE}};
    if (!s) return CW_TF_UNKNOWN;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) return names[i].t;
    return CW_TF_OTHER;
}

static const char *decode_b64(cw_graph_parser *ps, const char *node, const char *attr,
                              const char *in, size_t *len) {
    size_t n = strlen(in);
    unsigned char *out = cw_arena_alloc(ps->a, n / 4 * 3 + 4);
    if (!out) return NULL;
    size_t m = cw_base64_decode(in, n, out);
    if (m == SIZE_MAX) {
        cw_problems_add(ps->p, "node '%s': attribute '%s' is not valid base64", node, attr);
        m = 0;
    }
    out[m] = '\0';
    *len = m;
    return (const char *)out;
}

/* Reads a list of JSON ints into ints[]; returns the count, problems noted. */
static size_t read_ints(cw_graph_parser *ps, const char *node, const char *attr, const cJSON *arr,
                        int64_t **ints) {
    size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
    *ints = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(int64_t));
    if (!*ints) return 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        int ok;
        (*ints)[k++] = cw_json_int(v, &ok);
        if (!ok)
            cw_problems_add(ps->p, "node '%s': attribute '%s' holds a non-integer", node, attr);
    }
    return k;
}

static void read_shape(cw_graph_parser *ps, const char *node, const char *attr, const cJSON *shape,
                       cw_attr *out) {
    out->kind = CW_ATTR_SHAPE;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "unknownRank"))) {
        out->i = 1;
        return;
    }
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(shape, "dim");
    size_t n = cJSON_IsArray(dims) ? (size_t)cJSON_GetArraySize(dims) : 0;
    out->ints = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(int64_t));
    if (!out->ints) return;
    const cJSON *d;
    size_t k = 0;
    if (n) cJSON_ArrayForEach(d, dims) {
            int ok = 1;
            const cJSON *size = cJSON_GetObjectItemCaseSensitive(d, "size");
            out->ints[k] = size ? cw_json_int(size, &ok) : -1; /* size omitted: 0 in proto3 JSON */
            if (!size) out->ints[k] = 0;
            if (!ok || out->ints[k] < -1)
                cw_problems_add(ps->p, "node '%s': attribute '%s' has a bad dimension", node, attr);
            k++;
        }
    out->count = k;
}

static void read_attr(cw_graph_parser *ps, const char *node, const cJSON *v, cw_attr *out) {
    const char *name = out->name;
    const cJSON *x;
    int ok = 1;
    if ((x = cJSON_GetObjectItemCaseSensitive(v, "i"))) {
        out->kind = CW_ATTR_INT, out->i = cw_json_int(x, &ok);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "f"))) {
        out->kind = CW_ATTR_FLOAT, out->f = cw_json_float(x, &ok);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "b"))) {
        out->kind = CW_ATTR_BOOL, out->i = cJSON_IsTrue(x), ok = cJSON_IsBool(x);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "s"))) {
        out->kind = CW_ATTR_STRING;
        if (cJSON_IsString(x))
            out->s = decode_b64(ps, node, name, x->valuestring, &out->s_len);
        else
            ok = 0;
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "type"))) {
        out->kind = CW_ATTR_TYPE, out->i = tf_type(cJSON_IsString(x) ? x->valuestring : NULL);
        ok = cJSON_IsString(x);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "shape"))) {
        read_shape(ps, node, name, x, out);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(v, "list"))) {
        const cJSON *l;
        if ((l = cJSON_GetObjectItemCaseSensitive(x, "i")) && cJSON_IsArray(l)) {
            out->kind = CW_ATTR_INTS;
            out->count = read_ints(ps, node, name, l, &out->ints);
        } else if ((l = cJSON_GetObjectItemCaseSensitive(x, "f")) && cJSON_IsArray(l)) {
            out->kind = CW_ATTR_FLOATS;
            size_t n = (size_t)cJSON_GetArraySize(l), k = 0;
            out->floats = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(double));
            const cJSON *e;
            if (out->floats) cJSON_ArrayForEach(e, l) {
                    int fok;
                    out->floats[k++] = cw_json_float(e, &fok);
                    ok &= fok;
                }
            out->count = k;
        } else if ((l = cJSON_GetObjectItemCaseSensitive(x, "s")) && cJSON_IsArray(l)) {
            out->kind = CW_ATTR_STRINGS;
            size_t n = (size_t)cJSON_GetArraySize(l), k = 0;
            out->strs = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(char *));
            const cJSON *e;
            if (out->strs) cJSON_ArrayForEach(e, l) {
                    size_t len;
                    if (cJSON_IsString(e))
                        out->strs[k++] = decode_b64(ps, node, name, e->valuestring, &len);
                    else
                        ok = 0;
                }
            out->count = k;
        } else if ((l = cJSON_GetObjectItemCaseSensitive(x, "type")) && cJSON_IsArray(l)) {
            out->kind = CW_ATTR_TYPES;
            size_t n = (size_t)cJSON_GetArraySize(l), k = 0;
            out->ints = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(int64_t));
            const cJSON *e;
            if (out->ints)
                cJSON_ArrayForEach(e, l) out->ints[k++] =
                    tf_type(cJSON_IsString(e) ? e->valuestring : NULL);
            out->count = k;
        } else {
            out->kind = CW_ATTR_INTS; /* an empty list: {"list": {}} */
        }
    } else {
        out->kind = CW_ATTR_OTHER;
    }
    if (!ok) cw_problems_add(ps->p, "node '%s': attribute '%s' has a malformed value", node, name);
}

static void read_input(cw_graph_parser *ps, const char *node, const char *s, cw_input *in) {
    const char *colon = strrchr(s, ':');
    size_t len = strlen(s);
    in->index = 0;
    in->producer = -1;
    if (colon && colon[1]) {
        char *end;
        long idx = strtol(colon + 1, &end, 10);
        if (*end == '\0' && idx >= 0 && idx < INT_MAX) {
            in->index = (int)idx;
            len = (size_t)(colon - s);
        }
    }
    in->node = cw_arena_strndup(ps->a, s, len);
    if (len == 0) cw_problems_add(ps->p, "node '%s': an input has no name", node);
}

static void read_node(cw_graph_parser *ps, const cJSON *j, size_t idx) {
    cw_node_def *n = &ps->g->nodes[idx];
    n->weight = -1;
    const char *name = cw_json_string(j, "name"), *op = cw_json_string(j, "op");
    if (!name || !name[0]) {
        cw_problems_add(ps->p, "node #%zu has no name", idx);
        name = "";
    }
    if (!op || !op[0]) {
        cw_problems_add(ps->p, "node '%s' has no op", name);
        op = "";
    }
    n->name = cw_arena_strdup(ps->a, name);
    n->op = cw_arena_strdup(ps->a, op);
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(j, "input");
    if (inputs && !cJSON_IsArray(inputs)) {
        cw_problems_add(ps->p, "node '%s': 'input' is not a list", name);
        inputs = NULL;
    }
    size_t ni = inputs ? (size_t)cJSON_GetArraySize(inputs) : 0;
    n->inputs = cw_arena_alloc(ps->a, (ni ? ni : 1) * sizeof(cw_input));
    n->controls = cw_arena_alloc(ps->a, (ni ? ni : 1) * sizeof(char *));
    if (!n->inputs || !n->controls) return;
    const cJSON *v;
    if (inputs) cJSON_ArrayForEach(v, inputs) {
            if (!cJSON_IsString(v)) {
                cw_problems_add(ps->p, "node '%s': an input is not a string", name);
            } else if (v->valuestring[0] == '^') {
                n->controls[n->n_controls++] = cw_arena_strdup(ps->a, v->valuestring + 1);
            } else {
                read_input(ps, name, v->valuestring, &n->inputs[n->n_inputs++]);
            }
        }
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(j, "attr");
    if (attrs && !cJSON_IsObject(attrs)) {
        cw_problems_add(ps->p, "node '%s': 'attr' is not an object", name);
        attrs = NULL;
    }
    size_t na = attrs ? (size_t)cJSON_GetArraySize(attrs) : 0;
    n->attrs = cw_arena_alloc(ps->a, (na ? na : 1) * sizeof(cw_attr));
    if (!n->attrs) return;
    if (attrs) cJSON_ArrayForEach(v, attrs) {
            cw_attr *at = &n->attrs[n->n_attrs++];
            at->name = cw_arena_strdup(ps->a, v->string ? v->string : "");
            if (!cJSON_IsObject(v))
                cw_problems_add(ps->p, "node '%s': attribute '%s' is not an object", name,
                                at->name);
            else
                read_attr(ps, name, v, at);
        }
}

/* signature.inputs / outputs: {key: {"name": "node:0", ...}} in file order. */
static void read_signature(cw_graph_parser *ps, const cJSON *map, cw_input **out, size_t *n) {
    if (!cJSON_IsObject(map)) return;
    size_t count = (size_t)cJSON_GetArraySize(map);
    *out = cw_arena_alloc(ps->a, (count ? count : 1) * sizeof(cw_input));
    if (!*out) return;
    const cJSON *v;
    cJSON_ArrayForEach(v, map) {
        const char *name = cw_json_string(v, "name");
        if (!name) name = v->string;
        if (name) read_input(ps, "signature", name, &(*out)[(*n)++]);
    }
}

static void parse_root(cw_graph_parser *ps, const cJSON *root) {
    cw_graph_def *g = ps->g;
    const char *format = cw_json_string(root, "format");
    const cJSON *topo = cJSON_GetObjectItemCaseSensitive(root, "modelTopology");
    if (format && strcmp(format, "graph-model") != 0 && strcmp(format, "layers-model") != 0) {
        cw_problems_add(ps->p, "model.json: format '%s' is not 'graph-model' or 'layers-model'",
                        format);
        return;
    }
    const cJSON *manifest = cJSON_GetObjectItemCaseSensitive(root, "weightsManifest");
    if (manifest && !cJSON_IsArray(manifest))
        cw_problems_add(ps->p, "model.json: weightsManifest is not a list");
    else if (manifest)
        cw_graph_read_manifest(ps, manifest);
    if (ps->a->failed) return;
    /* A layers-model says so, or (older files) has a Keras config: a class_name. */
    if ((format && !strcmp(format, "layers-model")) ||
        (!format && (cJSON_GetObjectItemCaseSensitive(topo, "class_name") ||
                     cJSON_GetObjectItemCaseSensitive(topo, "model_config")))) {
        cw_graph_read_layers(ps, topo);
        return;
    }
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(topo, "node");
    if (!cJSON_IsArray(nodes)) {
        cw_problems_add(ps->p, "model.json: modelTopology.node (the graph's node list) is missing");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(nodes);
    g->nodes = cw_arena_alloc(ps->a, (n ? n : 1) * sizeof(cw_node_def));
    if (!g->nodes) return;
    const cJSON *j;
    cJSON_ArrayForEach(j, nodes) {
        if (!cJSON_IsObject(j)) {
            cw_problems_add(ps->p, "node #%zu is not an object", g->n_nodes);
            g->nodes[g->n_nodes].name = g->nodes[g->n_nodes].op = "";
            g->nodes[g->n_nodes++].weight = -1;
            continue;
        }
        read_node(ps, j, g->n_nodes++);
        if (ps->a->failed) return;
    }
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(root, "signature");
    read_signature(ps, cJSON_GetObjectItemCaseSensitive(sig, "inputs"), &g->sig_inputs,
                   &g->n_sig_inputs);
    read_signature(ps, cJSON_GetObjectItemCaseSensitive(sig, "outputs"), &g->sig_outputs,
                   &g->n_sig_outputs);
}

cw_status cw_graph_def_parse(const char *json, size_t len, cw_graph_def **out) {
    *out = NULL;
    cw_graph_def *g = calloc(1, sizeof *g);
    if (!g) return cw_error(CW_ERR_NOMEM, "model.json: out of memory");
    cw_graph_parser ps = {g, &g->arena, &g->problems};
    const char *end = NULL;
    cJSON *root = json ? cJSON_ParseWithLengthOpts(json, len, &end, 0) : NULL;
    if (!root) {
        size_t at = end && json && end >= json ? (size_t)(end - json) : 0;
        cw_problems_add(&g->problems, "model.json is not valid JSON (stopped at byte %zu of %zu)",
                        at, len);
    } else if (!cJSON_IsObject(root)) {
        cw_problems_add(&g->problems, "model.json: the top level is not an object");
    } else {
        parse_root(&ps, root);
    }
    cJSON_Delete(root);
    if (!g->arena.failed && g->nodes) cw_graph_def_link(g);
    if (g->arena.failed) {
        cw_graph_def_free(g);
        return cw_error(CW_ERR_NOMEM, "model.json: out of memory");
    }
    *out = g;
    return CW_OK;
}

void cw_graph_def_free(cw_graph_def *g) {
    if (!g) return;
    cw_arena_free(&g->arena);
    cw_problems_free(&g->problems);
    free(g);
}

const char *cw_graph_def_problems(cw_graph_def *g) { return cw_problems_text(&g->problems); }
