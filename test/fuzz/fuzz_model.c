/* libFuzzer target: load, plan and run (src/graph/model/) of any
 * model.json, graph-model or layers-model, with weights and input shapes
 * from the fuzz input. Nothing may crash, leak or read out of bounds (built
 * with ASan and UBSan by scripts/fuzz-graph.sh); beyond that:
 * - a model with load problems refuses to plan, and so does one whose
 *   weight bytes do not match its manifest;
 * - a model's inputs are distinct nodes;
 * - a plan that fails names a problem, and a run after it is refused;
 * - a plan that succeeds has no problems and lays out its arena so that no
 *   intermediate is written over one still to be read (checked on the
 *   model's internals, model_impl.h), and every output it gives has a size
 *   equal to the product of its shape and readable data after a run;
 * - two runs give the same outputs though the arena is filled with other
 *   bytes before each (no step reads what it did not write).
 *
 * Input: a 7-byte header, W weight bytes, then model.json.
 *   byte 0: bits 0-2 the rank of inputs of unknown rank ((b & 7) % 5);
 *           bit 5: group 0 is given one byte short; bit 6: plan and run a
 *           second time with every header dim one larger, then plan the
 *           same shapes again (a no-op) and run; bit 7: the header dims
 *           replace the declared ones too (shapes the plan may reject);
 *   bytes 1-4: the dims that fill unknown ones (b % 9, so 0 to 8);
 *   bytes 5-6: W, little-endian (at most 4096), bytes cycled to fill every
 *           weight group.
 * Small models only: weights above 256 KB, inputs above 4096 values or
 * plans whose arena exceeds 64 MB are not run. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/model/model.h"
#include "graph/model/model_impl.h"
#include "graph/reader/graph_def.h"

#define HEADER 7
#define MAX_GROUPS 16
#define MAX_WEIGHT_BYTES ((size_t)256 << 10)
#define MAX_INPUT_VALUES 4096
#define MAX_INPUTS 4
#define MAX_ARENA_BYTES ((size_t)64 << 20)

#define FLAG_SHORT_GROUP 0x20
#define FLAG_REPLAN 0x40
#define FLAG_OVERRIDE_DIMS 0x80

typedef struct {
    size_t n;
    int ranks[MAX_INPUTS];
    int32_t dims[MAX_INPUTS][8];
    const int32_t *shapes[MAX_INPUTS];
    void *bufs[MAX_INPUTS];
} fuzz_inputs;

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

/* Input shapes: declared dims kept (unless overridden), unknown ones from
 * the header plus bump. Returns -1 when an input is too large to run. */
static int choose_shapes(const cw_model *m, const uint8_t *hdr, int bump, fuzz_inputs *in) {
    for (size_t i = 0; i < in->n; i++) {
        int declared = cw_model_input_rank(m, i), r = declared;
        if (r < 0 || r > 8) r = (hdr[0] & 7) % 5;
        size_t values = 1;
        for (int d = 0; d < r; d++) {
            int64_t dim =
                declared == r && !(hdr[0] & FLAG_OVERRIDE_DIMS) ? cw_model_input_dim(m, i, d) : -1;
            if (dim < 0) dim = (hdr[1 + d % 4] + bump) % 9;
            if (dim > MAX_INPUT_VALUES) return -1;
            in->dims[i][d] = (int32_t)dim;
            values *= (size_t)dim;
            if (values > MAX_INPUT_VALUES) return -1;
        }
        in->shapes[i] = in->dims[i], in->ranks[i] = r;
    }
    return 0;
}

/* Input buffers of the chosen shapes holding small values of each input's
 * dtype (floats, small ints, bools). Returns -1 when out of memory. */
static int fill_inputs(const cw_model *m, const uint8_t *hdr, fuzz_inputs *in) {
    for (size_t i = 0; i < in->n; i++) {
        size_t values = 1;
        for (int d = 0; d < in->ranks[i]; d++) values *= (size_t)in->dims[i][d];
        free(in->bufs[i]);
        float *b = in->bufs[i] = malloc(values * sizeof(float) + 4);
        if (!b) return -1;
        for (size_t v = 0; v < values; v++) {
            int32_t q = (int32_t)((v * 7 + hdr[0]) % 5);
            if (cw_model_input_dtype(m, i) == CW_F32)
                b[v] = (float)q - 2.0f;
            else if (cw_model_input_dtype(m, i) == CW_I32)
                memcpy(&b[v], &q, 4);
            else
                ((uint8_t *)b)[v] = (uint8_t)(q & 1);
        }
    }
    return 0;
}

/* Every output's shape matches its size and its bytes can be read; returns
 * a hash of them all. */
static uint64_t check_outputs(const cw_model *m) {
    uint64_t hash = 14695981039346656037u;
    for (size_t o = 0; o < cw_model_output_count(m); o++) {
        const cw_gvalue *v = cw_model_output(m, o);
        if (!v || v->rank < 0 || v->rank > CW_MAX_RANK) abort();
        size_t size = 1;
        for (int d = 0; d < v->rank; d++) size *= (size_t)v->shape[d];
        if (size != v->size || (size && !v->data)) abort();
        const unsigned char *bytes = v->data;
        size_t n = size * cw_dtype_size(v->dtype);
        for (size_t b = 0; b < n; b++) hash = (hash ^ bytes[b]) * 1099511628211u;
    }
    return hash;
}

/* The plan's arena layout (model_impl.h): no block is placed over another
 * that is still to be read (by a later step, or as a model output) when
 * its step writes it, nor over the step's own inputs. */
static void check_layout(const cw_model *m) {
    size_t nv = m->n_values;
    size_t *def = malloc((nv + 1) * sizeof(size_t)), *last = malloc((nv + 1) * sizeof(size_t));
    if (!def || !last) goto out;
    for (size_t v = 0; v < nv; v++) def[v] = last[v] = CW_MODEL_NONE;
    for (size_t s = 0; s < m->n_steps; s++) {
        const cw_gop_ctx *c = &m->ctx[m->steps[s]];
        for (size_t j = 0; j < c->n_out; j++) def[c->out[j] - m->values] = s;
        for (size_t i = 0; i < c->n_in; i++) {
            size_t v = (size_t)(c->in[i] - m->values);
            size_t r = m->alias_of[v] == CW_MODEL_NONE ? v : m->alias_of[v];
            if (last[r] == CW_MODEL_NONE || last[r] < s) last[r] = s;
        }
    }
    for (size_t i = 0; i < m->n_outputs; i++) {
        size_t v = m->first_value[m->outputs[i].producer] + (size_t)m->outputs[i].index;
        last[m->alias_of[v] == CW_MODEL_NONE ? v : m->alias_of[v]] = m->n_steps;
    }
    for (size_t v = 0; v < nv; v++) {
        if (m->offset[v] == CW_MODEL_NONE) continue;
        if (def[v] == CW_MODEL_NONE) abort(); /* placed, but no step writes it */
        size_t vb = m->values[v].size * cw_dtype_size(m->values[v].dtype);
        if (m->offset[v] + vb > m->arena_bytes) abort();
        for (size_t u = 0; u < nv; u++) {
            if (u == v || m->offset[u] == CW_MODEL_NONE) continue;
            size_t ub = m->values[u].size * cw_dtype_size(m->values[u].dtype);
            int overlap =
                vb && ub && m->offset[u] < m->offset[v] + vb && m->offset[v] < m->offset[u] + ub;
            /* u written before or with v, and read at or after v's step */
            if (overlap && def[u] <= def[v] && last[u] != CW_MODEL_NONE && last[u] >= def[v])
                abort();
        }
    }
out:
    free(def);
    free(last);
}

/* Plans for the chosen shapes and runs when small; 0 when it ran. */
static int plan_and_run(cw_model *m, fuzz_inputs *in, const uint8_t *hdr) {
    cw_status s = cw_model_plan(m, in->shapes, in->ranks);
    if (s != CW_OK) {
        if (s == CW_ERR_NOMEM) return -1;
        if (!cw_model_problems(m)) abort(); /* a failed plan names why */
        if (fill_inputs(m, hdr, in) == 0 && cw_model_run(m, (const void *const *)in->bufs) == CW_OK)
            abort(); /* no run without a plan */
        return -1;
    }
    if (cw_model_problems(m)) abort();
    check_layout(m);
    if (cw_model_arena_bytes(m) > MAX_ARENA_BYTES || fill_inputs(m, hdr, in)) return -1;
    /* Two runs over an arena filled with different bytes give the same
     * outputs: every step writes all of its output before reading it. */
    uint64_t hash[2];
    for (int r = 0; r < 2; r++) {
        memset(m->arena, r ? 0x5a : 0xa5, m->arena_bytes);
        if (cw_model_run(m, (const void *const *)in->bufs) != CW_OK) return -1;
        hash[r] = check_outputs(m);
    }
    if (hash[0] != hash[1]) abort();
    return 0;
}

static void exercise(cw_model *m, const uint8_t *hdr) {
    fuzz_inputs in = {.n = cw_model_input_count(m)};
    for (size_t i = 0; i < in.n; i++) /* each Placeholder is one input */
        for (size_t j = 0; j < i; j++)
            if (!strcmp(cw_model_input_name(m, i), cw_model_input_name(m, j))) abort();
    if (in.n == 0 || in.n > MAX_INPUTS) return;
    if (choose_shapes(m, hdr, 0, &in) == 0 && plan_and_run(m, &in, hdr) == 0 &&
        (hdr[0] & FLAG_REPLAN) && choose_shapes(m, hdr, 1, &in) == 0 &&
        plan_and_run(m, &in, hdr) == 0)
        (void)plan_and_run(m, &in, hdr); /* the same shapes: the plan is kept */
    for (size_t i = 0; i < in.n; i++) free(in.bufs[i]);
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
    int short_group = (data[0] & FLAG_SHORT_GROUP) && n_groups && sizes[0];
    if (short_group) sizes[0]--, total--;
    unsigned char *weights = malloc(total + 1);
    if (!weights) return 0;
    for (size_t i = 0; i < total; i++) weights[i] = w ? seed[i % w] : 0;
    cw_model *m = NULL;
    if (cw_model_load(json, len, weights, sizes, n_groups, &m) == CW_OK) {
        if (!cw_model_problems(m)) {
            if (short_group) abort(); /* the shard check missed it */
            exercise(m, data);
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
