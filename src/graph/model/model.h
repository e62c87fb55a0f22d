/* cw_model: a TF.js graph-model run entirely in C.
 *
 * Load: model.json is read (graph_def.h), the weights decoded, every op
 * looked up; problems are listed all at once (cw_model_problems). Plan (once
 * per set of input shapes): output shapes inferred node by node, nodes whose
 * inputs are all constant computed right away (constant folding), nodes no
 * output needs dropped, and every other intermediate given a place in one
 * arena by liveness (a buffer is reused once its last reader has run), so a
 * run allocates nothing but the kernels' own scratch. Run: the planned steps
 * in order on the caller's input buffers; outputs stay readable until the
 * next run or plan. */
#ifndef CW_GRAPH_MODEL_MODEL_H
#define CW_GRAPH_MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "graph/ops/gop.h"

typedef struct cw_model cw_model;

/* json: model.json (len bytes, not NUL-terminated). weights: the shards of
 * every manifest group in order, concatenated; group_bytes[i]: the bytes of
 * group i's shards. Returns CW_OK with *out set (a model with problems too:
 * check cw_model_problems before planning), or CW_ERR_NOMEM. */
cw_status cw_model_load(const char *json, size_t len, const unsigned char *weights,
                        const size_t *group_bytes, size_t n_groups, cw_model **out);
void cw_model_free(cw_model *m);

/* Every problem found so far (load and plan), one per line; NULL if none. */
const char *cw_model_problems(cw_model *m);

/* Inputs (the Placeholders, in the signature's order when it has one) and
 * outputs (the signature's, else every node nothing reads). */
size_t cw_model_input_count(const cw_model *m);
const char *cw_model_input_name(const cw_model *m, size_t i);
cw_dtype cw_model_input_dtype(const cw_model *m, size_t i);
/* The declared shape (-1: any); rank -1 when unknown. */
int cw_model_input_rank(const cw_model *m, size_t i);
int64_t cw_model_input_dim(const cw_model *m, size_t i, int d);
size_t cw_model_output_count(const cw_model *m);
const char *cw_model_output_name(const cw_model *m, size_t i);

/* Plans for input i of shape shapes[i] (ranks[i] dims); a no-op when the
 * shapes equal the last plan's. CW_ERR_INVALID when a shape does not fit an
 * input or a node's shape cannot be inferred (the message says which; all of
 * them are in cw_model_problems). */
cw_status cw_model_plan(cw_model *m, const int32_t *const *shapes, const int *ranks);

/* Runs the plan on inputs[i] (the planned dtype and shape). */
cw_status cw_model_run(cw_model *m, const void *const *inputs);

/* Output i of the last plan (shape) and run (data). */
const cw_gvalue *cw_model_output(const cw_model *m, size_t i);

/* Bytes of the intermediate arena of the current plan (what a run needs
 * beyond weights and inputs). */
size_t cw_model_arena_bytes(const cw_model *m);

#endif
