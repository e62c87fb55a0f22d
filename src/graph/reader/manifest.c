/* The weights manifest of model.json: shard groups and each weight's dtype,
 * shape, stored form (quantization) and place in its group's bytes. */
#include "graph/reader/json.h"

/* The weight's stored form and size; problems noted. */
static void read_weight(cw_graph_parser *ps, const cJSON *j, size_t group, size_t *offset,
                        cw_weight_def *w) {
    const char *name = cw_json_string(j, "name"), *dtype = cw_json_string(j, "dtype");
    w->name = cw_arena_strdup(ps->a, name ? name : "");
    w->group = group, w->offset = *offset;
    if (!name) cw_problems_add(ps->p, "weights manifest: a weight has no name");
    name = name ? name : "";
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(j, "shape");
    int bad_shape = !cJSON_IsArray(shape) || cJSON_GetArraySize(shape) > CW_MAX_RANK;
    int64_t count = 1;
    if (!bad_shape) {
        w->rank = (size_t)cJSON_GetArraySize(shape);
        w->shape = cw_arena_alloc(ps->a, (w->rank ? w->rank : 1) * sizeof(int64_t));
        if (!w->shape) return;
        const cJSON *d;
        size_t k = 0;
        cJSON_ArrayForEach(d, shape) {
            int ok;
            int64_t x = cw_json_int(d, &ok);
            if (!ok || x < 0 || (x > 0 && count > CW_GRAPH_MAX_ELEMENTS / x))
                bad_shape = 1;
            else
                count *= x;
            w->shape[k++] = x;
        }
    }
    if (bad_shape) {
        cw_problems_add(ps->p,
                        "weight '%s': shape is not a list of at most %d sizes >= 0 "
                        "(with at most 2^30 elements)",
                        name, CW_MAX_RANK);
        count = 0;
    }
    w->count = (size_t)count;
    size_t elem = 4;
    if (dtype && !strcmp(dtype, "float32"))
        w->dtype = CW_F32, w->store = CW_STORE_F32;
    else if (dtype && !strcmp(dtype, "int32"))
        w->dtype = CW_I32, w->store = CW_STORE_I32;
    else if (dtype && !strcmp(dtype, "bool"))
        w->dtype = CW_BOOL, w->store = CW_STORE_BOOL, elem = 1;
    else
        cw_problems_add(ps->p, "weight '%s': dtype '%s' is not supported (float32, int32, bool)",
                        name, dtype ? dtype : "(none)");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(j, "quantization");
    if (q) {
        const char *qt = cw_json_string(q, "dtype");
        int ok_min = 1, ok_scale = 1;
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(q, "min");
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(q, "scale");
        if (qt && !strcmp(qt, "float16")) {
            w->store = CW_STORE_F16, elem = 2;
        } else if (qt && (!strcmp(qt, "uint8") || !strcmp(qt, "uint16"))) {
            w->store = qt[4] == '8' ? CW_STORE_U8 : CW_STORE_U16, elem = qt[4] == '8' ? 1 : 2;
            w->min = cw_json_float(mn, &ok_min);
            w->scale = cw_json_float(sc, &ok_scale);
            if (!ok_min || !ok_scale)
                cw_problems_add(ps->p, "weight '%s': %s quantization without numeric min and scale",
                                name, qt);
        } else {
            cw_problems_add(ps->p,
                            "weight '%s': quantization dtype '%s' is not supported "
                            "(uint8, uint16, float16)",
                            name, qt ? qt : "(none)");
        }
        if (w->dtype == CW_BOOL && w->store != CW_STORE_BOOL)
            cw_problems_add(ps->p, "weight '%s': a bool weight cannot be quantized", name);
    }
    w->bytes = w->count * elem;
    *offset += w->bytes;
}

void cw_graph_read_manifest(cw_graph_parser *ps, const cJSON *manifest) {
    cw_graph_def *g = ps->g;
    size_t ng = (size_t)cJSON_GetArraySize(manifest), nw = 0;
    const cJSON *grp;
    cJSON_ArrayForEach(grp, manifest) {
        const cJSON *ws = cJSON_GetObjectItemCaseSensitive(grp, "weights");
        nw += cJSON_IsArray(ws) ? (size_t)cJSON_GetArraySize(ws) : 0;
    }
    g->groups = cw_arena_alloc(ps->a, (ng ? ng : 1) * sizeof(cw_weight_group));
    g->weights = cw_arena_alloc(ps->a, (nw ? nw : 1) * sizeof(cw_weight_def));
    if (!g->groups || !g->weights) return;
    cJSON_ArrayForEach(grp, manifest) {
        cw_weight_group *G = &g->groups[g->n_groups];
        const cJSON *paths = cJSON_GetObjectItemCaseSensitive(grp, "paths");
        const cJSON *ws = cJSON_GetObjectItemCaseSensitive(grp, "weights");
        if (!cJSON_IsArray(paths) || !cJSON_IsArray(ws)) {
            cw_problems_add(ps->p, "weights manifest: group %zu needs 'paths' and 'weights' lists",
                            g->n_groups);
            g->n_groups++;
            continue;
        }
        size_t np = (size_t)cJSON_GetArraySize(paths);
        G->paths = cw_arena_alloc(ps->a, (np ? np : 1) * sizeof(char *));
        if (!G->paths) return;
        const cJSON *v;
        cJSON_ArrayForEach(v, paths) {
            if (cJSON_IsString(v))
                G->paths[G->n_paths++] = cw_arena_strdup(ps->a, v->valuestring);
            else
                cw_problems_add(ps->p,
                                "weights manifest: group %zu has a path that is not a string",
                                g->n_groups);
        }
        size_t offset = 0;
        cJSON_ArrayForEach(v, ws)
            read_weight(ps, v, g->n_groups, &offset, &g->weights[g->n_weights++]);
        G->bytes = offset;
        g->n_groups++;
    }
}
