/* cw_gop: what one graph op (a TF op of a graph-model node) implements for
 * the standalone runtime, and the helpers ops use.
 *
 * The planner (model/plan.c) gives an op its node, its input values and its output
 * values. infer() runs once per plan (input shapes known; constant inputs'
 * data readable): it checks the inputs, sets every output's dtype and shape
 * with cw_gvalue_set, and may keep precomputed parameters in c->params
 * (allocated with cw_gop_alloc: they live as long as the model). run()
 * computes the outputs from the inputs (data pointers set; outputs never
 * overlap inputs unless the op is an alias). When every input is constant the
 * planner calls run() at plan time (constant folding). Ops never allocate
 * their outputs and never keep pointers to input or output data between
 * calls: data pointers change between plan and run. */
#ifndef CW_GRAPH_OPS_GOP_H
#define CW_GRAPH_OPS_GOP_H

#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/status.h"
#include "graph/reader/graph_def.h"

typedef struct {
    cw_dtype dtype;
    int rank;
    int32_t shape[CW_MAX_RANK];
    size_t size; /* elements, the product of shape (1 for rank 0) */
    void *data;  /* constants: from plan time on; others: at run time */
    int is_const;
} cw_gvalue;

typedef struct cw_gop cw_gop;

typedef struct {
    const cw_gop *op;        /* the table entry: flags, code */
    const cw_node_def *node; /* name, op, attrs (cw_node_attr) */
    cw_gvalue *const *in;    /* data inputs in node order */
    size_t n_in;
    cw_gvalue *const *out;
    size_t n_out;
    void *params; /* the op's own, from infer() to run() */
    cw_arena *arena;
    cw_problems *problems;
} cw_gop_ctx;

/* What the planner and fuser may rely on, instead of an op's name. */
enum {
    /* Output 0 is input 0's data under a new shape (Identity, Reshape,
     * ExpandDims, Squeeze): the planner shares the buffer, run is not called. */
    CW_OP_ALIAS = 1u << 0,
    /* Reads only its inputs' shapes, never their data (Shape): computed at
     * plan time, like a node whose inputs are all constant. */
    CW_OP_SHAPE_ONLY = 1u << 1,
    /* Reads fused_ops and num_args: a bias and an activation after the
     * kernel, as extra inputs (_FusedConv2D, FusedDepthwiseConv2dNative,
     * _FusedMatMul). */
    CW_OP_FUSED_EPILOGUE = 1u << 2,
};

/* One row of an op family's table, written with designated initializers:
 *   {.name = "Relu", .code = CW_UNARY_RELU, .infer = unary_infer, .run = unary_run}
 * Fields left out are 0 / NULL. */
struct cw_gop {
    const char *name; /* TF op name, as in model.json */
    unsigned flags;   /* CW_OP_* */
    /* The kernel's own op code for ops that share infer/run (a cw_binary_op,
     * cw_unary_op, cw_reduce_op, cw_pool_op): read as c->op->code. */
    int code;
    /* Outputs of a node (NULL: one). */
    size_t (*outputs)(const cw_node_def *node);
    /* Returns 0, or -1 after cw_gop_fail. */
    int (*infer)(cw_gop_ctx *c);
    cw_status (*run)(cw_gop_ctx *c);
};

/* The op named name, or NULL. */
const cw_gop *cw_gop_find(const char *name);

/* Notes "node 'NAME' (OP): <message>" as a model problem; returns -1. */
int cw_gop_fail(cw_gop_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Zeroed memory living as long as the model (NULL only when out of memory). */
void *cw_gop_alloc(cw_gop_ctx *c, size_t bytes);

/* Sets dtype and shape (rank <= CW_MAX_RANK, dims >= 0) and size; returns
 * 0, or -1 with a problem noted when the shape is invalid or too large. */
int cw_gvalue_set(cw_gop_ctx *c, cw_gvalue *v, cw_dtype dtype, int rank, const int32_t *shape);

/* Attributes with defaults (an absent or differently typed attribute gives
 * dflt). Strings are the decoded bytes ("SAME", "NHWC"). */
int64_t cw_gop_attr_int(const cw_gop_ctx *c, const char *name, int64_t dflt);
double cw_gop_attr_float(const cw_gop_ctx *c, const char *name, double dflt);
int cw_gop_attr_bool(const cw_gop_ctx *c, const char *name, int dflt);
const char *cw_gop_attr_str(const cw_gop_ctx *c, const char *name, const char *dflt);
/* An int list attribute into out[max]; returns its length, or -1 (problem
 * noted) if absent with required set, not a list of ints, or longer than max. */
int cw_gop_attr_ints(cw_gop_ctx *c, const char *name, int64_t *out, int max, int required);

/* The values of constant input i (int32, bool or float32 with integral
 * values) into out[max]; returns the count, or -1 with a problem noted
 * ("input 2 must be a constant known when the model loads"). */
int cw_gop_const_ints(cw_gop_ctx *c, size_t i, int64_t *out, size_t max);

/* Checks lo <= n_in <= hi; returns 0 or -1 with a problem noted. */
int cw_gop_inputs(cw_gop_ctx *c, size_t lo, size_t hi);

/* The op families (nn, math, shape under ops/), each a table ending at count entries. */
extern const cw_gop cw_gops_nn[];
extern const size_t cw_gops_nn_count;
extern const cw_gop cw_gops_math[];
extern const size_t cw_gops_math_count;
extern const cw_gop cw_gops_shape[];
extern const size_t cw_gops_shape_count;

#endif
