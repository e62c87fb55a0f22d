/* A harness shared by the graph-op tests (cmocka): one node, its inputs and
 * outputs, a context; constructors for values and attributes. */
#ifndef CW_TEST_GOP_UTIL_H
#define CW_TEST_GOP_UTIL_H

#include "test_util.h"

#include "graph/ops/gop.h"

#define SHAPE(...) ((const int32_t[]){__VA_ARGS__})
#define TEST_GOP_MAX_OUT 8

typedef struct {
    cw_arena arena;
    cw_problems problems;
    cw_node_def node;
    cw_gvalue out[TEST_GOP_MAX_OUT];
    cw_gvalue *out_ptrs[TEST_GOP_MAX_OUT];
    cw_gop_ctx ctx;
    const cw_gop *op;
} harness;

/* A value of dtype and shape[rank]; data is borrowed (may be NULL for infer). */
static inline cw_gvalue value(cw_dtype dtype, int rank, const int32_t *shape, const void *data,
                              int is_const) {
    cw_gvalue v;
    memset(&v, 0, sizeof v);
    v.dtype = dtype, v.rank = rank, v.size = 1, v.data = (void *)data, v.is_const = is_const;
    for (int d = 0; d < rank; d++) v.shape[d] = shape[d], v.size *= (size_t)shape[d];
    return v;
}

/* A constant int32 value. */
static inline cw_gvalue cints(int rank, const int32_t *shape, const int32_t *data) {
    return value(CW_I32, rank, shape, data, 1);
}

static inline cw_attr attr_bool(const char *name, int b) {
    return (cw_attr){.name = name, .kind = CW_ATTR_BOOL, .i = b};
}

static inline cw_attr attr_int(const char *name, int64_t i) {
    return (cw_attr){.name = name, .kind = CW_ATTR_INT, .i = i};
}

static inline cw_attr attr_float(const char *name, double f) {
    return (cw_attr){.name = name, .kind = CW_ATTR_FLOAT, .f = f};
}

static inline cw_attr attr_type(const char *name, cw_tf_type t) {
    return (cw_attr){.name = name, .kind = CW_ATTR_TYPE, .i = t};
}

static inline cw_attr attr_str(const char *name, const char *s) {
    return (cw_attr){.name = name, .kind = CW_ATTR_STRING, .s = s, .s_len = strlen(s)};
}

static inline cw_attr attr_strs(const char *name, const char **strs, size_t count) {
    return (cw_attr){.name = name, .kind = CW_ATTR_STRINGS, .strs = strs, .count = count};
}

static inline cw_attr attr_ints(const char *name, int64_t *ints, size_t count) {
    return (cw_attr){.name = name, .kind = CW_ATTR_INTS, .ints = ints, .count = count};
}

/* Sets up op (node "n1") on inputs in[n_in], with as many outputs as the op
 * declares, and returns infer(). */
static inline int infer(harness *h, const char *op, cw_attr *attrs, size_t n_attrs, cw_gvalue **in,
                        size_t n_in) {
    memset(h, 0, sizeof *h);
    h->node.name = "n1", h->node.op = op, h->node.attrs = attrs, h->node.n_attrs = n_attrs;
    h->node.weight = -1;
    h->op = cw_gop_find(op);
    if (!h->op) fail_msg("op %s is not registered", op);
    size_t n_out = h->op->outputs ? h->op->outputs(&h->node) : 1;
    assert_true(n_out <= TEST_GOP_MAX_OUT);
    for (size_t i = 0; i < n_out; i++) h->out_ptrs[i] = &h->out[i];
    h->ctx.op = h->op, h->ctx.node = &h->node, h->ctx.in = in, h->ctx.n_in = n_in;
    h->ctx.out = h->out_ptrs, h->ctx.n_out = n_out;
    h->ctx.arena = &h->arena, h->ctx.problems = &h->problems;
    return h->op->infer(&h->ctx);
}

/* Gives every output a buffer (poisoned) and calls run(). */
static inline cw_status run(harness *h) {
    assert_false(h->op->flags & CW_OP_ALIAS);
    for (size_t i = 0; i < h->ctx.n_out; i++) {
        size_t bytes = h->out[i].size * cw_dtype_size(h->out[i].dtype);
        h->out[i].data = malloc(bytes + 1);
        memset(h->out[i].data, 0xCD, bytes + 1);
    }
    return h->op->run(&h->ctx);
}

/* Frees the output buffers, the arena and the problems. */
static inline void release(harness *h) {
    for (size_t i = 0; i < h->ctx.n_out; i++) free(h->out[i].data);
    cw_arena_free(&h->arena);
    cw_problems_free(&h->problems);
}

static inline void assert_shape(const cw_gvalue *v, int rank, const int32_t *shape) {
    assert_int_equal(v->rank, rank);
    for (int d = 0; d < rank; d++)
        if (v->shape[d] != shape[d])
            fail_msg("dimension %d is %d, expected %d", d, (int)v->shape[d], (int)shape[d]);
}

static inline void assert_ints(const int32_t *got, const int32_t *want, size_t n,
                               const char *what) {
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("%s: element %zu is %d, expected %d", what, i, (int)got[i], (int)want[i]);
}

/* infer() failed and the problem names the node and contains needle; then
 * releases h. */
static inline void assert_problem(harness *h, int rc, const char *needle) {
    assert_int_equal(rc, -1);
    const char *text = cw_problems_text(&h->problems);
    assert_non_null(text);
    if (!strstr(text, "node 'n1'") || !strstr(text, needle))
        fail_msg("problem \"%s\" does not name node 'n1' or contain \"%s\"", text, needle);
    release(h);
}

#endif
