/* The model's internals, shared by model.c (load) and plan.c (plan,
 * layout, run). */
#ifndef CW_GRAPH_MODEL_MODEL_IMPL_H
#define CW_GRAPH_MODEL_MODEL_IMPL_H

#include "graph/model/model.h"

#define CW_MODEL_NONE ((size_t)-1)

struct cw_model {
    cw_graph_def *def;
    size_t *first_value; /* per node: its first output's value index */
    size_t *n_out;       /* per node */
    const cw_gop **ops;  /* per node; NULL for Const, Placeholder, NoOp */
    cw_gop_ctx *ctx;     /* per node */
    cw_gvalue *values;
    size_t n_values;
    void **weights;  /* per node: decoded Const data (malloc), or NULL */
    int32_t *inputs; /* Placeholder nodes */
    size_t n_inputs;
    cw_input *outputs;
    size_t n_outputs;
    /* the plan */
    int planned;
    int32_t **plan_shapes; /* per input: the shape planned for */
    int *plan_ranks;
    cw_arena plan_arena; /* op params, folded constants' data */
    size_t *alias_of;    /* per value: the value whose buffer it shares, or NONE */
    size_t *offset;      /* per value: arena offset, or NONE */
    int32_t *steps;      /* nodes run at run time, in order */
    size_t n_steps;
    unsigned char *arena;
    size_t arena_bytes;
    int load_failed; /* problems at load: no plan can run */
};

/* fuse.c: batch norms, biases and activations folded into the
 * convolution or matmul before them (load time, after the weights are
 * decoded and the outputs known). Returns 0, or -1 when out of memory. */
int cw_model_fuse(cw_model *m);

#endif
