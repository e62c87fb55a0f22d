/* Graph ops: the math family. This file holds the table and the element-wise
 * ops (broadcasting binary ops, BiasAdd, AddN, unary ops, Cast); the reductions,
 * Softmax and TopKV2 live in math_reduce.c.
 *
 * Dtypes follow what tfjs-converter's executors give through tfjs-core: the
 * inputs of a binary op share one dtype (TF's T), comparisons and LogicalAnd
 * give bool, and RealDiv / Div of int32 floor (tfjs-core's div calls floorDiv
 * for two int32 tensors). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/binary/binary.h"
#include "kernels/reduce/reduce.h"
#include "kernels/unary/unary.h"

#include "graph/ops/math_impl.h"

const char *cw_op_math_dtype_name(cw_dtype t) {
    return t == CW_F32 ? "float32" : t == CW_I32 ? "int32" : t == CW_BOOL ? "bool" : "unknown";
}

/* "[2,3,4]" into buf[96] (cut with "..." if it does not fit). */
static const char *shape_str(char *buf, const cw_gvalue *v) {
    size_t len = (size_t)snprintf(buf, 96, "[");
    for (int d = 0; d < v->rank && len < 96; d++)
        len += (size_t)snprintf(buf + len, 96 - len, d ? ",%d" : "%d", (int)v->shape[d]);
    if (len < 96)
        snprintf(buf + len, 96 - len, "]");
    else
        snprintf(buf + 92, 4, "...");
    return buf;
}

/* ---- binary ops: a (op) b with NumPy broadcasting; BiasAdd ---- */

typedef struct {
    cw_binary_op op; /* after the int32 Div -> FloorDiv rule */
    cw_dtype dtype;  /* of both inputs */
    int b_rank;      /* b as the kernel sees it (BiasAdd NCHW: [C, 1, ...]) */
    int32_t b_shape[CW_MAX_RANK];
} binary_params;

/* The broadcast shape of a and b into out (TF rules: right-aligned, equal
 * dimensions or one of them 1); returns its rank, or -1 (problem noted). */
static int broadcast_shape(cw_gop_ctx *c, const cw_gvalue *a, const cw_gvalue *b, int32_t *out) {
    int rank = a->rank > b->rank ? a->rank : b->rank;
    for (int d = 0; d < rank; d++) {
        int ia = d - (rank - a->rank), ib = d - (rank - b->rank);
        int32_t da = ia < 0 ? 1 : a->shape[ia], db = ib < 0 ? 1 : b->shape[ib];
        if (da != db && da != 1 && db != 1) {
            char sa[96], sb[96];
            return cw_gop_fail(c, "shapes %s and %s do not broadcast (%d against %d)",
                               shape_str(sa, a), shape_str(sb, b), (int)da, (int)db);
        }
        out[d] = da == 1 ? db : da;
    }
    return rank;
}

/* BiasAdd(x, bias): bias [C] along the channel axis (last for NHWC, 1 for
 * NCHW); the output has x's shape. */
static int bias_view(cw_gop_ctx *c, binary_params *p, int32_t *out) {
    const cw_gvalue *x = c->in[0], *bias = c->in[1];
    const char *format = cw_gop_attr_str(c, "data_format", "NHWC");
    int nchw = !strcmp(format, "NCHW");
    if (!nchw && strcmp(format, "NHWC"))
        return cw_gop_fail(c, "data_format '%s' is not NHWC or NCHW", format);
    if (x->rank < 2) return cw_gop_fail(c, "the input has rank %d (at least 2)", x->rank);
    int axis = nchw ? 1 : x->rank - 1;
    if (bias->rank != 1 || bias->shape[0] != x->shape[axis]) {
        char sb[96];
        return cw_gop_fail(c, "the bias has shape %s, [%d] expected (%s channels)",
                           shape_str(sb, bias), (int)x->shape[axis], format);
    }
    p->b_rank = x->rank - axis;
    for (int d = 0; d < p->b_rank; d++) p->b_shape[d] = d == 0 ? bias->shape[0] : 1;
    memcpy(out, x->shape, sizeof x->shape);
    return x->rank;
}

/* a (op) b, or BiasAdd(x, bias) when bias_add is set. */
static int binary_infer_as(cw_gop_ctx *c, int bias_add) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const cw_gvalue *a = c->in[0], *b = c->in[1];
    if (a->dtype != b->dtype)
        return cw_gop_fail(c, "the inputs are %s and %s (one dtype expected)",
                           cw_op_math_dtype_name(a->dtype), cw_op_math_dtype_name(b->dtype));
    cw_binary_op op = (cw_binary_op)c->op->code;
    int logical = op == CW_BINARY_LOGICAL_AND;
    int compare = op >= CW_BINARY_EQUAL && op <= CW_BINARY_GREATER_EQUAL;
    if (logical ? a->dtype != CW_BOOL : !compare && a->dtype == CW_BOOL)
        return cw_gop_fail(c, "%s inputs are not supported (%s expected)",
                           cw_op_math_dtype_name(a->dtype), logical ? "bool" : "float32 or int32");
    if (op == CW_BINARY_DIV && a->dtype == CW_I32) op = CW_BINARY_FLOOR_DIV;
    binary_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->op = op, p->dtype = a->dtype;
    int32_t shape[CW_MAX_RANK];
    int rank;
    if (bias_add) {
        rank = bias_view(c, p, shape);
    } else {
        p->b_rank = b->rank;
        memcpy(p->b_shape, b->shape, sizeof b->shape);
        rank = broadcast_shape(c, a, b, shape);
    }
    if (rank < 0) return -1;
    c->params = p;
    return cw_gvalue_set(c, c->out[0], cw_binary_out_dtype(op, a->dtype), rank, shape);
}

static int binary_infer(cw_gop_ctx *c) { return binary_infer_as(c, 0); }
static int bias_add_infer(cw_gop_ctx *c) { return binary_infer_as(c, 1); }

static cw_status binary_run(cw_gop_ctx *c) {
    const binary_params *p = c->params;
    const cw_gvalue *a = c->in[0];
    cw_gvalue *y = c->out[0];
    return cw_binary(p->op, p->dtype, a->data, a->shape, a->rank, c->in[1]->data, p->b_shape,
                     p->b_rank, y->data, y->shape, y->rank);
}

/* ---- AddN(x_0, ..., x_n-1): the sum of inputs of one shape and dtype (no
 * broadcasting, as tfjs-core's addN), with the backend's cw_add_n ---- */

static int add_n_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, INT_MAX) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    if (x->dtype != CW_F32 && x->dtype != CW_I32)
        return cw_gop_fail(c, "%s inputs are not supported (float32 or int32 expected)",
                           cw_op_math_dtype_name(x->dtype));
    for (size_t i = 1; i < c->n_in; i++) {
        const cw_gvalue *v = c->in[i];
        char sv[96], sx[96];
        if (v->dtype != x->dtype)
            return cw_gop_fail(c, "input %zu is %s, input 0 %s (one dtype expected)", i,
                               cw_op_math_dtype_name(v->dtype), cw_op_math_dtype_name(x->dtype));
        if (v->rank != x->rank || memcmp(v->shape, x->shape, (size_t)x->rank * sizeof x->shape[0]))
            return cw_gop_fail(c, "input %zu has shape %s, input 0 %s (one shape expected)", i,
                               shape_str(sv, v), shape_str(sx, x));
    }
    /* the kernel's list of input pointers, filled at each run */
    if (!(c->params = cw_gop_alloc(c, c->n_in * sizeof(void *))))
        return cw_gop_fail(c, "out of memory");
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, x->shape);
}

static cw_status add_n_run(cw_gop_ctx *c) {
    const void **data = c->params;
    for (size_t i = 0; i < c->n_in; i++) data[i] = c->in[i]->data;
    cw_gvalue *y = c->out[0];
    return cw_add_n(y->dtype, data, (int)c->n_in, y->data, y->size);
}

/* ---- unary ops ---- */

typedef struct {
    cw_unary_op op;
    float alpha; /* LeakyRelu */
} unary_params;

static int unary_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    int code = c->op->code;
    const cw_gvalue *x = c->in[0];
    int out = cw_unary_out_dtype(code, x->dtype);
    if (out < 0)
        return cw_gop_fail(c, "%s input is not supported (float32 or int32 expected)",
                           cw_op_math_dtype_name(x->dtype));
    unary_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->op = (cw_unary_op)code;
    if (code == CW_UNARY_LEAKYRELU) p->alpha = (float)cw_gop_attr_float(c, "alpha", 0.2);
    c->params = p;
    return cw_gvalue_set(c, c->out[0], (cw_dtype)out, x->rank, x->shape);
}

static cw_status unary_run(cw_gop_ctx *c) {
    const unary_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_unary(p->op, x->dtype, x->data, c->out[0]->data, x->size, p->alpha, 0.0f);
}

/* ---- Cast(x): DstT as tfjs-converter maps TF types to TF.js dtypes ---- */

static int cast_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    const cw_attr *t = cw_node_attr(c->node, "DstT");
    if (!t || t->kind != CW_ATTR_TYPE)
        return cw_gop_fail(c, "attribute 'DstT' is missing or not a type");
    cw_dtype to;
    switch ((cw_tf_type)t->i) {
    case CW_TF_FLOAT:
    case CW_TF_HALF:
    case CW_TF_DOUBLE:
        to = CW_F32;
        break;
    case CW_TF_INT32:
    case CW_TF_INT64:
    case CW_TF_UINT8:
        to = CW_I32;
        break;
    case CW_TF_BOOL:
        to = CW_BOOL;
        break;
    default:
        return cw_gop_fail(c, "DstT %s is not supported (float, int or bool expected)",
                           t->i == CW_TF_STRING ? "DT_STRING" : "of this type");
    }
    const cw_gvalue *x = c->in[0];
    return cw_gvalue_set(c, c->out[0], to, x->rank, x->shape);
}

static cw_status cast_run(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    cw_gvalue *y = c->out[0];
    return cw_cast(x->dtype, x->data, y->dtype, y->data, x->size);
}

/* ---- the table ---- */

/* clang-format off */
const cw_gop cw_gops_math[] = {
    {.name = "Add", .code = CW_BINARY_ADD, .infer = binary_infer, .run = binary_run},
    {.name = "AddV2", .code = CW_BINARY_ADD, .infer = binary_infer, .run = binary_run},
    {.name = "BiasAdd", .code = CW_BINARY_ADD, .infer = bias_add_infer, .run = binary_run},
    {.name = "Sub", .code = CW_BINARY_SUB, .infer = binary_infer, .run = binary_run},
    {.name = "Mul", .code = CW_BINARY_MUL, .infer = binary_infer, .run = binary_run},
    {.name = "RealDiv", .code = CW_BINARY_DIV, .infer = binary_infer, .run = binary_run},
    {.name = "Div", .code = CW_BINARY_DIV, .infer = binary_infer, .run = binary_run},
    {.name = "FloorDiv", .code = CW_BINARY_FLOOR_DIV, .infer = binary_infer, .run = binary_run},
    {.name = "FloorMod", .code = CW_BINARY_MOD, .infer = binary_infer, .run = binary_run},
    {.name = "Maximum", .code = CW_BINARY_MAXIMUM, .infer = binary_infer, .run = binary_run},
    {.name = "Minimum", .code = CW_BINARY_MINIMUM, .infer = binary_infer, .run = binary_run},
    {.name = "Pow", .code = CW_BINARY_POW, .infer = binary_infer, .run = binary_run},
    {.name = "SquaredDifference", .code = CW_BINARY_SQUARED_DIFFERENCE, .infer = binary_infer, .run = binary_run},
    {.name = "Equal", .code = CW_BINARY_EQUAL, .infer = binary_infer, .run = binary_run},
    {.name = "NotEqual", .code = CW_BINARY_NOT_EQUAL, .infer = binary_infer, .run = binary_run},
    {.name = "Greater", .code = CW_BINARY_GREATER, .infer = binary_infer, .run = binary_run},
    {.name = "GreaterEqual", .code = CW_BINARY_GREATER_EQUAL, .infer = binary_infer, .run = binary_run},
    {.name = "Less", .code = CW_BINARY_LESS, .infer = binary_infer, .run = binary_run},
    {.name = "LessEqual", .code = CW_BINARY_LESS_EQUAL, .infer = binary_infer, .run = binary_run},
    {.name = "LogicalAnd", .code = CW_BINARY_LOGICAL_AND, .infer = binary_infer, .run = binary_run},
    {.name = "Relu", .code = CW_UNARY_RELU, .infer = unary_infer, .run = unary_run},
    {.name = "Relu6", .code = CW_UNARY_RELU6, .infer = unary_infer, .run = unary_run},
    {.name = "Elu", .code = CW_UNARY_ELU, .infer = unary_infer, .run = unary_run},
    {.name = "Selu", .code = CW_UNARY_SELU, .infer = unary_infer, .run = unary_run},
    {.name = "LeakyRelu", .code = CW_UNARY_LEAKYRELU, .infer = unary_infer, .run = unary_run},
    {.name = "Sigmoid", .code = CW_UNARY_SIGMOID, .infer = unary_infer, .run = unary_run},
    {.name = "Tanh", .code = CW_UNARY_TANH, .infer = unary_infer, .run = unary_run},
    {.name = "Exp", .code = CW_UNARY_EXP, .infer = unary_infer, .run = unary_run},
    {.name = "Log", .code = CW_UNARY_LOG, .infer = unary_infer, .run = unary_run},
    {.name = "Sqrt", .code = CW_UNARY_SQRT, .infer = unary_infer, .run = unary_run},
    {.name = "Rsqrt", .code = CW_UNARY_RSQRT, .infer = unary_infer, .run = unary_run},
    {.name = "Square", .code = CW_UNARY_SQUARE, .infer = unary_infer, .run = unary_run},
    {.name = "Neg", .code = CW_UNARY_NEG, .infer = unary_infer, .run = unary_run},
    {.name = "Abs", .code = CW_UNARY_ABS, .infer = unary_infer, .run = unary_run},
    {.name = "Floor", .code = CW_UNARY_FLOOR, .infer = unary_infer, .run = unary_run},
    {.name = "Ceil", .code = CW_UNARY_CEIL, .infer = unary_infer, .run = unary_run},
    {.name = "Round", .code = CW_UNARY_ROUND, .infer = unary_infer, .run = unary_run},
    {.name = "Sign", .code = CW_UNARY_SIGN, .infer = unary_infer, .run = unary_run},
    {.name = "Reciprocal", .code = CW_UNARY_RECIPROCAL, .infer = unary_infer, .run = unary_run},
    {.name = "Softplus", .code = CW_UNARY_SOFTPLUS, .infer = unary_infer, .run = unary_run},
    {.name = "Sin", .code = CW_UNARY_SIN, .infer = unary_infer, .run = unary_run},
    {.name = "Cos", .code = CW_UNARY_COS, .infer = unary_infer, .run = unary_run},
    {.name = "AddN", .infer = add_n_infer, .run = add_n_run},
    {.name = "Cast", .infer = cast_infer, .run = cast_run},
    {.name = "Softmax", .infer = cw_op_math_softmax_infer, .run = cw_op_math_softmax_run},
    {.name = "Mean", .code = CW_REDUCE_MEAN,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "Sum", .code = CW_REDUCE_SUM,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "Max", .code = CW_REDUCE_MAX,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "Min", .code = CW_REDUCE_MIN,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "Prod", .code = CW_REDUCE_PROD,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "All", .code = CW_REDUCE_ALL,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "Any", .code = CW_REDUCE_ANY,
     .infer = cw_op_math_reduce_infer, .run = cw_op_math_reduce_run},
    {.name = "TopKV2", .outputs = cw_op_math_topk_outputs,
     .infer = cw_op_math_topk_infer, .run = cw_op_math_topk_run},
};
/* clang-format on */
const size_t cw_gops_math_count = sizeof cw_gops_math / sizeof cw_gops_math[0];
