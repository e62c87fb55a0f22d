/* Internals shared by the graph-model reader's files: the parse state and
 * typed reads of cJSON values. */
#ifndef CW_GRAPH_READER_JSON_H
#define CW_GRAPH_READER_JSON_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "graph/reader/graph_def.h"

/* Weights and shapes beyond this many elements are refused (wasm32 memory). */
#define CW_GRAPH_MAX_ELEMENTS ((int64_t)1 << 30)

typedef struct {
    cw_graph_def *g;
    cw_arena *a;
    cw_problems *p;
} cw_graph_parser;

static inline const char *cw_json_string(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An int64 written as a JSON string ("3") or number; 0 with *ok = 0 if not. */
static inline int64_t cw_json_int(const cJSON *v, int *ok) {
    *ok = 1;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(int64_t)d) return (int64_t)d;
    } else if (cJSON_IsString(v) && v->valuestring[0]) {
        char *end;
        long long x = strtoll(v->valuestring, &end, 10);
        if (*end == '\0') return (int64_t)x;
    }
    *ok = 0;
    return 0;
}

static inline double cw_json_float(const cJSON *v, int *ok) {
    *ok = 1;
    if (cJSON_IsNumber(v)) return v->valuedouble;
    if (cJSON_IsString(v)) { /* "NaN", "Infinity", "-Infinity" */
        const char *s = v->valuestring;
        if (!strcmp(s, "NaN")) return (double)NAN;
        if (!strcmp(s, "Infinity")) return (double)INFINITY;
        if (!strcmp(s, "-Infinity")) return -(double)INFINITY;
    }
    *ok = 0;
    return 0;
}

/* link.c: inputs resolved, weights matched, ops and cycles checked. */
void cw_graph_def_link(cw_graph_def *g);

/* layers.c: a layers-model's modelTopology -> nodes and signature
 * (after the manifest is read: weights are found by name). */
void cw_graph_read_layers(cw_graph_parser *ps, const cJSON *topology);

/* manifest.c: weightsManifest -> groups and weights. */
void cw_graph_read_manifest(cw_graph_parser *ps, const cJSON *manifest);

#endif
