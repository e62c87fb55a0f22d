/* cw_binary: validation, broadcast planning and the parallel row driver.
 *
 * The output is walked as rows of its innermost (collapsed) dimension; in a
 * row each operand is either contiguous or one broadcast value, so one row
 * kernel call covers the same-shape case (one long row), the scalar-operand
 * case and the general case alike. */
#include <stdio.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "core/shape.h"
#include "kernels/binary/binary_rows.h"

/* Elements per parallel task: large enough to hide the dispatch. */
#define CW_BINARY_GRAIN 16384

static const char *const op_names[CW_BINARY_OP_COUNT] = {
    "Add",        "Sub",       "Multiply",   "RealDiv",           "FloorDiv", "Mod",
    "Maximum",    "Minimum",   "Pow",        "SquaredDifference", "Atan2",    "Prelu",
    "Equal",      "NotEqual",  "Less",       "LessEqual",         "Greater",  "GreaterEqual",
    "LogicalAnd", "LogicalOr", "LogicalXor", "BitwiseAnd"};

const char *cw_binary_op_name(cw_binary_op op) {
    return (unsigned)op < CW_BINARY_OP_COUNT ? op_names[op] : "?";
}

static int is_compare(cw_binary_op op) {
    return op >= CW_BINARY_EQUAL && op <= CW_BINARY_GREATER_EQUAL;
}

static int is_logical(cw_binary_op op) {
    return op >= CW_BINARY_LOGICAL_AND && op <= CW_BINARY_LOGICAL_XOR;
}

cw_dtype cw_binary_out_dtype(cw_binary_op op, cw_dtype in_dtype) {
    return is_compare(op) || is_logical(op) ? CW_BOOL : in_dtype;
}

static cw_binary_row_fn row_for(cw_binary_op op, cw_dtype dt) {
    if (is_logical(op)) return dt == CW_BOOL ? cw_binary_row_logical(op) : NULL;
    if (is_compare(op)) return cw_binary_row_compare(op, dt);
    if (dt == CW_F32) return cw_binary_row_f32(op);
    if (dt == CW_I32) return cw_binary_row_i32(op);
    return NULL;
}

static const char *dtype_name(cw_dtype dt) {
    switch (dt) {
    case CW_F32:
        return "float32";
    case CW_I32:
        return "int32";
    case CW_BOOL:
        return "bool";
    default:
        return "unknown";
    }
}

/* "[3,1,5]" into buf (truncated with "..." if it does not fit). */
static const char *shape_str(char *buf, size_t cap, const int32_t *shape, int rank) {
    size_t len = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < rank && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, i ? ",%d" : "%d", (int)shape[i]);
    if (len < cap)
        snprintf(buf + len, cap - len, "]");
    else
        snprintf(buf + cap - 4, 4, "...");
    return buf;
}

/* Extent of dimension i of an output of rank out_rank, seen from a
 * right-aligned operand of rank rank (1 where the operand has no dimension). */
static int32_t dim_at(const int32_t *shape, int rank, int out_rank, int i) {
    int j = i - (out_rank - rank);
    return j < 0 ? 1 : shape[j];
}

static cw_status shape_error(cw_binary_op op, const char *what, const int32_t *a_shape, int a_rank,
                             const int32_t *b_shape, int b_rank, const int32_t *out_shape,
                             int out_rank) {
    char sa[96], sb[96], so[96];
    return cw_error(CW_ERR_INVALID, "%s: shapes %s and %s %s %s", cw_binary_op_name(op),
                    shape_str(sa, sizeof sa, a_shape, a_rank),
                    shape_str(sb, sizeof sb, b_shape, b_rank), what,
                    shape_str(so, sizeof so, out_shape, out_rank));
}

static int rank_ok(const int32_t *shape, int rank) {
    if (rank < 0 || rank > CW_MAX_RANK || (rank > 0 && shape == NULL)) return 0;
    for (int i = 0; i < rank; i++)
        if (shape[i] < 0) return 0;
    return 1;
}

/* The collapsed iteration space: out dims d[0..rank) with element strides of
 * a and b; the innermost strides are 0 or 1. */
typedef struct {
    cw_binary_row_fn row;
    const uint8_t *a, *b;
    uint8_t *out;
    size_t in_size, out_size; /* bytes per element */
    int rank;
    size_t d[CW_MAX_RANK], sa[CW_MAX_RANK], sb[CW_MAX_RANK];
} binary_plan;

/* Output elements [begin, end): row kernel calls over pieces of rows. */
static void binary_range(void *ctx, size_t begin, size_t end) {
    const binary_plan *p = ctx;
    const int last = p->rank - 1;
    const size_t len = p->d[last], isa = p->sa[last], isb = p->sb[last];
    size_t idx[CW_MAX_RANK];
    size_t col = begin % len, oa, ob;
    cw_shape_broadcast_seek(begin / len, last, p->d, p->sa, p->sb, idx, &oa, &ob);
    size_t pos = begin;
    while (pos < end) {
        size_t n = len - col < end - pos ? len - col : end - pos;
        p->row(p->a + (oa + col * isa) * p->in_size, isa, p->b + (ob + col * isb) * p->in_size, isb,
               p->out + pos * p->out_size, n);
        pos += n;
        col = 0;
        cw_shape_broadcast_next(last, p->d, p->sa, p->sb, idx, &oa, &ob);
    }
}

cw_status cw_binary(cw_binary_op op, cw_dtype in_dtype, const void *a, const int32_t *a_shape,
                    int a_rank, const void *b, const int32_t *b_shape, int b_rank, void *out,
                    const int32_t *out_shape, int out_rank) {
    if ((unsigned)op >= CW_BINARY_OP_COUNT)
        return cw_error(CW_ERR_INVALID, "binary: unknown op code %d", (int)op);
    const char *name = cw_binary_op_name(op);
    if (in_dtype != CW_F32 && in_dtype != CW_I32 && in_dtype != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "%s: unknown dtype %d", name, (int)in_dtype);
    binary_plan p;
    p.row = row_for(op, in_dtype);
    if (p.row == NULL)
        return cw_error(CW_ERR_INVALID, "%s: inputs of dtype %s are not supported%s", name,
                        dtype_name(in_dtype),
                        is_logical(op) ? " (expected bool)" : " (expected float32 or int32)");
    if (!rank_ok(a_shape, a_rank) || !rank_ok(b_shape, b_rank) || !rank_ok(out_shape, out_rank))
        return cw_error(CW_ERR_INVALID,
                        "%s: ranks %d, %d, %d must be in [0, %d] with non-negative dims", name,
                        a_rank, b_rank, out_rank, CW_MAX_RANK);
    if (out_rank < a_rank || out_rank < b_rank)
        return shape_error(op, "need a rank of at least theirs, got", a_shape, a_rank, b_shape,
                           b_rank, out_shape, out_rank);
    size_t n = 1;
    int overflow = 0;
    for (int i = 0; i < out_rank; i++) {
        int32_t da = dim_at(a_shape, a_rank, out_rank, i);
        int32_t db = dim_at(b_shape, b_rank, out_rank, i);
        int32_t want = da == 1 ? db : da;
        if ((da != db && da != 1 && db != 1) || out_shape[i] != want)
            return shape_error(op, "do not broadcast to", a_shape, a_rank, b_shape, b_rank,
                               out_shape, out_rank);
        size_t m = cw_mul_size(n, (size_t)out_shape[i]);
        if (m == 0 && n != 0 && out_shape[i] != 0) overflow = 1;
        n = m;
    }
    if (overflow || (n != 0 && cw_mul_size(n, 4) == 0))
        return cw_error(CW_ERR_NOMEM, "%s: output of %d dims is too large", name, out_rank);
    if (n == 0) return CW_OK;
    if (a == NULL || b == NULL || out == NULL)
        return cw_error(CW_ERR_INVALID, "%s: NULL data pointer", name);

    p.rank = cw_shape_collapse_broadcast(a_shape, a_rank, b_shape, b_rank, out_shape, out_rank, p.d,
                                         p.sa, p.sb);
    p.a = a;
    p.b = b;
    p.out = out;
    p.in_size = cw_dtype_size(in_dtype);
    p.out_size = cw_dtype_size(cw_binary_out_dtype(op, in_dtype));
    cw_parallel_for(n, CW_BINARY_GRAIN, binary_range, &p);
    return CW_OK;
}
