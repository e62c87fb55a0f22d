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
#include <stdio.h>

#include "graph/reader/layers.h"

/* A Placeholder for an InputLayer (or a Sequential's first layer) config. */
static cw_layer_ref placeholder(cw_layers *L, const char *name, const cJSON *cfg) {
    const cJSON *shape = cw_json_item(cfg, "batch_input_shape");
    if (!shape) shape = cw_json_item(cfg, "batch_shape");
    int n = cJSON_IsArray(shape) ? cJSON_GetArraySize(shape) : -1, ok = n >= 1 && n <= CW_MAX_RANK;
    int64_t dims[CW_MAX_RANK];
    for (int i = 0; ok && i < n; i++) {
        const cJSON *d = cJSON_GetArrayItem(shape, i);
        dims[i] = cJSON_IsNull(d) ? -1 : cw_json_int(d, &ok);
        ok = ok && dims[i] >= -1 && dims[i] <= INT32_MAX;
    }
    if (!ok) {
        cw_layer_fail(L, "batch_input_shape is not a list of 1 to %d sizes (null for any)",
                      CW_MAX_RANK);
        return CW_LAYER_REF_NONE;
    }
    const char *dtype = cw_cfg_str(cfg, "dtype", "float32");
    cw_tf_type t = !strcmp(dtype, "float32") ? CW_TF_FLOAT
                   : !strcmp(dtype, "int32") ? CW_TF_INT32
                   : !strcmp(dtype, "bool")  ? CW_TF_BOOL
                                             : CW_TF_UNKNOWN;
    if (t == CW_TF_UNKNOWN) {
        cw_layer_fail(L, "input dtype '%s' is not supported (float32, int32, bool)", dtype);
        return CW_LAYER_REF_NONE;
    }
    cw_node_def *p = cw_layer_emit_named(L, name, "Placeholder", NULL, 0);
    cw_layer_add_ints(L, p, "shape", CW_ATTR_SHAPE, dims, (size_t)n);
    cw_node_add_int(p, "dtype", CW_ATTR_TYPE, t);
    return cw_layer_ref_of(p);
}

/* The layer's name, copied (node names outlive the JSON); NULL if none. */
static const char *layer_name(cw_layers *L, const cJSON *j) {
    const char *name = cw_json_string(j, "name");
    if (!name) name = cw_json_string(cw_json_item(j, "config"), "name");
    return name ? cw_arena_strdup(L->ps->a, name) : NULL;
}

static int add_signature(cw_layers *L, cw_input **list, size_t *n, cw_layer_ref r) {
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

static void sequential(cw_layers *L, const cJSON *list) {
    cw_graph_def *g = L->ps->g;
    cw_layer_ref x = CW_LAYER_REF_NONE;
    size_t i = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, list) {
        const char *cls = cw_json_string(j, "class_name"), *name = layer_name(L, j);
        const cJSON *cfg = cw_json_item(j, "config");
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
        x = cw_layer_call(L, name, cls, cfg, &x, 1);
        if (L->ps->a->failed) return;
    }
    if (i == 0) cw_problems_add(L->ps->p, "layers-model: the Sequential model has no layers");
    add_signature(L, &g->sig_outputs, &g->n_sig_outputs, x);
}

typedef struct {
    const char *name, *cls;
    const cJSON *cfg, *inbound;
    size_t calls;
    cw_layer_ref *out;
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
static cw_layer_ref inbound_ref(cw_layers *L, const fn_layer *ls, size_t n, const cJSON *e,
                                int *ready) {
    const cJSON *name = cJSON_GetArrayItem(e, 0);
    int ok1 = 1, ok2 = 1;
    int64_t node = cJSON_GetArraySize(e) > 1 ? cw_json_int(cJSON_GetArrayItem(e, 1), &ok1) : 0;
    int64_t tensor = cJSON_GetArraySize(e) > 2 ? cw_json_int(cJSON_GetArrayItem(e, 2), &ok2) : 0;
    *ready = -1;
    if (!cJSON_IsArray(e) || !cJSON_IsString(name) || !ok1 || !ok2) {
        cw_layer_fail(L, "an inbound node is not [layer name, node index, tensor index, kwargs]");
        return CW_LAYER_REF_NONE;
    }
    size_t k = find_layer(ls, n, name->valuestring);
    if (k == n || node < 0 || (size_t)node >= ls[k].calls) {
        cw_layer_fail(L, "its input '%s' (call %lld) names no layer call", name->valuestring,
                      (long long)node);
        return CW_LAYER_REF_NONE;
    }
    if (tensor != 0) {
        cw_layer_fail(
            L, "its input '%s' reads output %lld: layers with several outputs are not supported",
            name->valuestring, (long long)tensor);
        return CW_LAYER_REF_NONE;
    }
    *ready = ls[k].done[node];
    return ls[k].out[node];
}

/* Reads call c of layer l if its inputs are ready: 1 read, 0 not yet, -1 never. */
static int functional_call(cw_layers *L, fn_layer *ls, size_t n, size_t l, size_t c, int report) {
    fn_layer *f = &ls[l];
    L->layer = f->name, L->cls = f->cls;
    if (!strcmp(f->cls, "InputLayer")) {
        f->out[c] = placeholder(L, f->name, f->cfg);
        return 1;
    }
    const cJSON *node = cJSON_GetArrayItem(f->inbound, (int)c);
    if (cJSON_IsObject(node)) { /* Keras 3: {"args": ..., "kwargs": ...} */
        cw_layer_fail(L, "inbound_nodes in the Keras 3 format are not supported");
        return -1;
    }
    size_t n_in = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 0;
    if (n_in == 0) {
        cw_layer_fail(L, "call %zu has no inputs", c);
        return -1;
    }
    cw_layer_ref *in = cw_arena_alloc(L->ps->a, n_in * sizeof(cw_layer_ref));
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
            if (ready == 0) cw_layer_fail(L, "its inputs form a cycle or never get computed");
            return -1;
        }
    }
    char *name = (char *)f->name;
    if (c > 0) {
        name = cw_arena_alloc(L->ps->a, strlen(f->name) + 32);
        if (!name) return -1;
        sprintf(name, "%s/call_%zu", f->name, c);
    }
    f->out[c] = cw_layer_call(L, name, f->cls, f->cfg, in, n_in);
    return 1;
}

static void functional(cw_layers *L, const cJSON *cfg) {
    cw_graph_def *g = L->ps->g;
    const cJSON *list = cw_json_item(cfg, "layers");
    size_t n = (size_t)cJSON_GetArraySize(list);
    fn_layer *ls = cw_arena_alloc(L->ps->a, (n ? n : 1) * sizeof(fn_layer));
    if (!ls) return;
    const cJSON *j;
    size_t i = 0;
    cJSON_ArrayForEach(j, list) {
        fn_layer *f = &ls[i];
        f->name = layer_name(L, j), f->cls = cw_json_string(j, "class_name");
        f->cfg = cw_json_item(j, "config"), f->inbound = cw_json_item(j, "inbound_nodes");
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
        f->out = cw_arena_alloc(L->ps->a, (f->calls ? f->calls : 1) * sizeof(cw_layer_ref));
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
        const cJSON *io = cw_json_item(cfg, keys[k]);
        if (!cJSON_IsArray(io) || cJSON_GetArraySize(io) == 0) {
            cw_problems_add(L->ps->p, "layers-model: %s is missing or empty", keys[k]);
            continue;
        }
        const cJSON *e;
        cJSON_ArrayForEach(e, io) {
            int ready;
            L->layer = "(model)", L->cls = keys[k];
            cw_layer_ref r = inbound_ref(L, ls, n, e, &ready);
            if (ready == 0)
                cw_layer_fail(L, "'%s' is never computed", cJSON_GetArrayItem(e, 0)->valuestring);
            if (ready > 0)
                add_signature(L, k ? &g->sig_outputs : &g->sig_inputs,
                              k ? &g->n_sig_outputs : &g->n_sig_inputs, r);
        }
    }
}

void cw_graph_read_layers(cw_graph_parser *ps, const cJSON *topology) {
    cw_graph_def *g = ps->g;
    const cJSON *model = cw_json_item(topology, "model_config"); /* converted Keras files */
    if (!model) model = topology;
    const char *cls = cw_json_string(model, "class_name");
    const cJSON *cfg = cw_json_item(model, "config");
    cw_layers L = {ps, 0, g->n_weights, g->n_weights, NULL, "", "", ""};
    L.made = cw_arena_alloc(ps->a, g->n_weights + 1);
    if (!L.made) return;
    if (cls && !strcmp(cls, "Sequential")) {
        const cJSON *list = cJSON_IsArray(cfg) ? cfg : cw_json_item(cfg, "layers");
        if (cJSON_IsArray(list))
            sequential(&L, list);
        else
            cw_problems_add(ps->p, "layers-model: the Sequential config has no list of layers");
    } else if (cls && (!strcmp(cls, "Model") || !strcmp(cls, "Functional"))) {
        if (cJSON_IsArray(cw_json_item(cfg, "layers")))
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
