/* cw_unary: validation, output dtype and the parallel split. */
#include "kernels/unary/unary.h"

#include <stdint.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/unary/unary_impl.h"

static const char *const unary_names[CW_UNARY_COUNT] = {
    "Abs",    "Neg",        "Exp",     "Expm1", "Log",      "Log1p",    "Sqrt",       "Rsqrt",
    "Square", "Reciprocal", "Sigmoid", "Tanh",  "Softplus", "Relu",     "Relu6",      "Elu",
    "Selu",   "LeakyRelu",  "Step",    "Sign",  "Floor",    "Ceil",     "Round",      "Sin",
    "Cos",    "Tan",        "Asin",    "Acos",  "Atan",     "Sinh",     "Cosh",       "Asinh",
    "Acosh",  "Atanh",      "Erf",     "IsNan", "IsInf",    "IsFinite", "LogicalNot", "ClipByValue",
};

const char *cw_unary_name(int op) { return op >= 0 && op < CW_UNARY_COUNT ? unary_names[op] : "?"; }

static int is_predicate(int op) {
    return op == CW_UNARY_IS_NAN || op == CW_UNARY_IS_INF || op == CW_UNARY_IS_FINITE ||
           op == CW_UNARY_LOGICAL_NOT;
}

int cw_unary_out_dtype(int op, int in) {
    if (op < 0 || op >= CW_UNARY_COUNT) return -1;
    if (in != CW_F32 && in != CW_I32 && in != CW_BOOL) return -1;
    if (is_predicate(op)) return CW_BOOL;
    if (in == CW_BOOL) return -1;
    if (op == CW_UNARY_EXP || op == CW_UNARY_LEAKYRELU) return CW_F32;
    return in;
}

typedef struct {
    cw_unary_op op;
    cw_dtype in, out;
    const uint8_t *x;
    uint8_t *y;
    float alpha, beta;
} unary_job;

static void unary_range(void *ctx, size_t begin, size_t end) {
    const unary_job *j = (const unary_job *)ctx;
    const void *x = j->x + begin * cw_dtype_size(j->in);
    void *y = j->y + begin * cw_dtype_size(j->out);
    size_t n = end - begin;
    switch (j->in) {
    case CW_F32:
        cw_unary_f32_run(j->op, (const float *)x, y, n, j->alpha, j->beta);
        break;
    case CW_I32:
        cw_unary_i32_run(j->op, (const int32_t *)x, y, n, j->alpha, j->beta);
        break;
    case CW_BOOL:
        cw_unary_bool_run(j->op, (const uint8_t *)x, (uint8_t *)y, n);
        break;
    }
}

/* Ops computed per element through double libm cost ~20x an add, those on
 * the vector exp ~5x: smaller ranges already pay for a task. */
static size_t unary_grain(cw_unary_op op, cw_dtype in) {
    if (in != CW_F32) return 16384;
    switch (op) {
    case CW_UNARY_ABS:
    case CW_UNARY_NEG:
    case CW_UNARY_SQUARE:
    case CW_UNARY_SQRT:
    case CW_UNARY_RSQRT:
    case CW_UNARY_RECIPROCAL:
    case CW_UNARY_RELU:
    case CW_UNARY_RELU6:
    case CW_UNARY_LEAKYRELU:
    case CW_UNARY_STEP:
    case CW_UNARY_SIGN:
    case CW_UNARY_CLIP:
    case CW_UNARY_FLOOR:
    case CW_UNARY_CEIL:
    case CW_UNARY_ROUND:
    case CW_UNARY_IS_NAN:
    case CW_UNARY_IS_INF:
    case CW_UNARY_IS_FINITE:
    case CW_UNARY_LOGICAL_NOT:
        return 16384;
    case CW_UNARY_EXP:
    case CW_UNARY_SIGMOID:
    case CW_UNARY_TANH:
    case CW_UNARY_ELU:
    case CW_UNARY_SELU:
        return 8192;
    default:
        return 2048;
    }
}

static int ranges_overlap(const void *a, size_t abytes, const void *b, size_t bbytes) {
    uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    return pa < pb + bbytes && pb < pa + abytes;
}

cw_status cw_unary(cw_unary_op op, cw_dtype dtype, const void *x, void *y, size_t n, float alpha,
                   float beta) {
    if ((int)op < 0 || (int)op >= CW_UNARY_COUNT)
        return cw_error(CW_ERR_INVALID, "unary: op %d is not a unary op (0..%d)", (int)op,
                        CW_UNARY_COUNT - 1);
    const char *name = unary_names[op];
    if (dtype != CW_F32 && dtype != CW_I32 && dtype != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "%s: dtype %d is not f32 (0), i32 (1) or bool (2)", name,
                        (int)dtype);
    int out = cw_unary_out_dtype(op, dtype);
    if (out < 0)
        return cw_error(CW_ERR_INVALID, "%s: bool input is not supported; cast it to int32 first",
                        name);
    if (n == 0) return CW_OK;
    if (!x || !y) return cw_error(CW_ERR_INVALID, "%s: x or y is NULL for %zu elements", name, n);
    if (cw_mul_size(n, sizeof(float)) == 0)
        return cw_error(CW_ERR_INVALID, "%s: %zu elements overflow the address space", name, n);

    unary_job job = {op, dtype, (cw_dtype)out, (const uint8_t *)x, (uint8_t *)y, alpha, beta};
    size_t in_bytes = n * cw_dtype_size(dtype), out_bytes = n * cw_dtype_size(job.out);
    /* A narrowing in-place op (f32 -> bool) is safe front to back in one
     * range, but a split range would write bytes another range still reads. */
    if (in_bytes != out_bytes && ranges_overlap(x, in_bytes, y, out_bytes)) {
        unary_range(&job, 0, n);
        return CW_OK;
    }
    cw_parallel_for(n, unary_grain(op, dtype), unary_range, &job);
    return CW_OK;
}
