/* libFuzzer target: load, plan and run (src/graph/model*.c) of any
 * model.json, graph-model or layers-model, with weights and input shapes
 * from the fuzz input. Nothing may crash, leak or read out of bounds (built
 * with ASan and UBSan by scripts/fuzz-graph.sh); a model with problems must
 * refuse to plan, a plan that fails must name a problem.
 *
 * Input: byte 0 the fallback input rank (1 + b % 4), bytes 1-4 the dims
 * that fill unknown ones (1 + b % 6), bytes 5-6 the count W of weight bytes
 * that follow (little-endian, at most 4096), then W bytes that are cycled
 * to fill every weight group, then model.json. Small models only: weights
 * above 1 MB, inputs above 4096 values or plans whose arena exceeds 64 MB
 * are not run. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph_def.h"
#include "graph/model.h"

#define HEADER 7
#define MAX_GROUPS 16
#define MAX_WEIGHT_BYTES ((size_t)1 << 20)
#define MAX_INPUT_VALUES 4096
#define MAX_INPUTS 4

/* The group byte counts model.json's manifest asks for; -1 if unusable. */
static int group_sizes(const char *json, size_t len, size_t *sizes, size_t *n, size_t *total) {
    cw_graph_def *g = NULL;
    if (cw_graph_def_parse(json, len, &g) != CW_OK) return -1;
    int ok = g->n_groups <= MAX_GROUPS;
    *n = ok ? g->n_groups : 0, *total = 0;
    for (size_t i = 0; i < *n; i++) {
        sizes[i] = g->groups[i].bytes;
        *total += sizes[i];
        ok &= sizes[i] <= MAX_WEIGHT_BYTES && *total <= MAX_WEIGHT_BYTES;
    }
    cw_graph_def_free(g);
    return ok ? 0 : -1;
}

static void plan_and_run(cw_model *m, const uint8_t *hdr) {
    size_t n = cw_model_input_count(m);
    if (n == 0 || n > MAX_INPUTS) return;
    int32_t dims[MAX_INPUTS][8];
    const int32_t *shapes[MAX_INPUTS];
    int ranks[MAX_INPUTS];
    void *bufs[MAX_INPUTS] = {0};
    for (size_t i = 0; i < n; i++) {
        int r = cw_model_input_rank(m, i);
        if (r < 0 || r > 8) r = 1 + hdr[0] % 4;
        size_t values = 1;
        for (int d = 0; d < r; d++) {
            int64_t dim = cw_model_input_rank(m, i) == r ? cw_model_input_dim(m, i, d) : -1;
            if (dim < 0) dim = 1 + hdr[1 + d % 4] % 6;
            if (dim > MAX_INPUT_VALUES) return;
            dims[i][d] = (int32_t)dim;
            values *= (size_t)dim;
            if (values > MAX_INPUT_VALUES) return;
        }
        shapes[i] = dims[i], ranks[i] = r;
    }
    cw_status s = cw_model_plan(m, shapes, ranks);
    if (s != CW_OK) {
        if (!cw_model_problems(m) && s != CW_ERR_NOMEM) abort(); /* a failed plan names why */
        return;
    }
    if (cw_model_arena_bytes(m) > ((size_t)64 << 20)) return;
    for (size_t i = 0; i < n; i++) {
        size_t values = 1;
        for (int d = 0; d < ranks[i]; d++) values *= (size_t)dims[i][d];
        float *b = malloc(values * sizeof(float) + 4);
        if (!b) goto out;
        /* small values of every dtype's width: floats, small ints, bools */
        for (size_t v = 0; v < values; v++) {
            int32_t q = (int32_t)((v * 7 + hdr[0]) % 5);
            if (cw_model_input_dtype(m, i) == CW_F32)
                b[v] = (float)q - 2.0f;
            else if (cw_model_input_dtype(m, i) == CW_I32)
                memcpy(&b[v], &q, 4);
            else
                ((uint8_t *)b)[v] = (uint8_t)(q & 1);
        }
        bufs[i] = b;
    }
    (void)cw_model_run(m, (const void *const *)bufs);
    for (size_t o = 0; o < cw_model_output_count(m); o++) (void)cw_model_output(m, o);
out:
    for (size_t i = 0; i < n; i++) free(bufs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < HEADER) return 0;
    size_t w = (size_t)(data[5] | data[6] << 8) % 4097;
    if (w > size - HEADER) w = size - HEADER;
    const uint8_t *seed = data + HEADER;
    const char *json = (const char *)data + HEADER + w;
    size_t len = size - HEADER - w;
    size_t sizes[MAX_GROUPS], n_groups, total;
    if (group_sizes(json, len, sizes, &n_groups, &total) < 0) return 0;
    unsigned char *weights = malloc(total + 1);
    if (!weights) return 0;
    for (size_t i = 0; i < total; i++) weights[i] = w ? seed[i % w] : 0;
    cw_model *m = NULL;
    if (cw_model_load(json, len, weights, sizes, n_groups, &m) == CW_OK) {
        if (!cw_model_problems(m)) {
            plan_and_run(m, data);
        } else {
            const int32_t one[1] = {1};
            const int32_t *shapes[1] = {one};
            const int ranks[1] = {1};
            if (cw_model_input_count(m) == 1 && cw_model_plan(m, shapes, ranks) == CW_OK)
                abort(); /* a model with load problems never plans */
        }
        cw_model_free(m);
    }
    free(weights);
    return 0;
}
