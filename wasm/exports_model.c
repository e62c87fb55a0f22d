/* Standalone runtime exports: load, plan and run a graph-model (src/graph). */
#include <emscripten.h>

#include "graph/model/model.h"

/* The model, or 0 when out of memory (message in cwasm_error_message). */
EMSCRIPTEN_KEEPALIVE cw_model *cwasm_model_load(const char *json, size_t len,
                                                const unsigned char *weights,
                                                const size_t *group_bytes, size_t n_groups) {
    cw_model *m = NULL;
    return cw_model_load(json, len, weights, group_bytes, n_groups, &m) == CW_OK ? m : NULL;
}

EMSCRIPTEN_KEEPALIVE void cwasm_model_free(cw_model *m) { cw_model_free(m); }

EMSCRIPTEN_KEEPALIVE const char *cwasm_model_problems(cw_model *m) { return cw_model_problems(m); }

EMSCRIPTEN_KEEPALIVE int cwasm_model_input_count(const cw_model *m) {
    return (int)cw_model_input_count(m);
}
EMSCRIPTEN_KEEPALIVE const char *cwasm_model_input_name(const cw_model *m, int i) {
    return cw_model_input_name(m, (size_t)i);
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_input_dtype(const cw_model *m, int i) {
    return (int)cw_model_input_dtype(m, (size_t)i);
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_input_rank(const cw_model *m, int i) {
    return cw_model_input_rank(m, (size_t)i);
}
EMSCRIPTEN_KEEPALIVE double cwasm_model_input_dim(const cw_model *m, int i, int d) {
    return (double)cw_model_input_dim(m, (size_t)i, d);
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_output_count(const cw_model *m) {
    return (int)cw_model_output_count(m);
}
EMSCRIPTEN_KEEPALIVE const char *cwasm_model_output_name(const cw_model *m, int i) {
    return cw_model_output_name(m, (size_t)i);
}

/* shapes: every input's dims one after the other; ranks: one per input. */
EMSCRIPTEN_KEEPALIVE int cwasm_model_plan(cw_model *m, const int32_t *shapes, const int *ranks) {
    const int32_t *each[64];
    size_t n = cw_model_input_count(m);
    if (n > 64) return cw_error(CW_ERR_UNSUPPORTED, "model: more than 64 inputs");
    for (size_t i = 0, at = 0; i < n; i++) {
        each[i] = shapes + at;
        at += (size_t)(ranks[i] > 0 ? ranks[i] : 0);
    }
    return cw_model_plan(m, each, ranks);
}

EMSCRIPTEN_KEEPALIVE int cwasm_model_run(cw_model *m, const void *const *inputs) {
    return cw_model_run(m, inputs);
}

EMSCRIPTEN_KEEPALIVE const void *cwasm_model_output_data(const cw_model *m, int i) {
    const cw_gvalue *v = cw_model_output(m, (size_t)i);
    return v ? v->data : NULL;
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_output_dtype(const cw_model *m, int i) {
    const cw_gvalue *v = cw_model_output(m, (size_t)i);
    return v ? (int)v->dtype : -1;
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_output_rank(const cw_model *m, int i) {
    const cw_gvalue *v = cw_model_output(m, (size_t)i);
    return v ? v->rank : -1;
}
EMSCRIPTEN_KEEPALIVE int cwasm_model_output_dim(const cw_model *m, int i, int d) {
    const cw_gvalue *v = cw_model_output(m, (size_t)i);
    return v && d >= 0 && d < v->rank ? v->shape[d] : -1;
}
EMSCRIPTEN_KEEPALIVE double cwasm_model_arena_bytes(const cw_model *m) {
    return (double)cw_model_arena_bytes(m);
}
