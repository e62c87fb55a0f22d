/* cw_complex_binary: validation, broadcast planning and the row loops.
 *
 * The output is walked as rows of its innermost (collapsed) dimension; within
 * a row each operand is either contiguous (stride 1) or one broadcast value
 * (stride 0). A missing imaginary part reads as +0, exactly what casting a
 * real tensor to complex64 gives on tfjs-backend-cpu. */
#include "core/alloc.h"
#include "core/parallel.h"
#include "core/shape.h"
#include "kernels/complex/complex.h"

/* Elements per parallel task. */
#define CW_COMPLEX_GRAIN 8192

static const char *const op_names[CW_COMPLEX_OP_COUNT] = {"Add", "Sub", "Multiply"};

typedef struct {
    cw_complex_op op;
    const float *ar, *ai, *br, *bi;
    float *out_r, *out_i;
    int rank;
    size_t d[CW_MAX_RANK], sa[CW_MAX_RANK], sb[CW_MAX_RANK];
} complex_plan;

/* One row piece: n outputs at o, operands at element offsets a, b with
 * strides sa, sb in {0, 1}. */
static void complex_row(const complex_plan *p, size_t a, size_t sa, size_t b, size_t sb, size_t o,
                        size_t n) {
    const float *ar = p->ar + a, *br = p->br + b;
    const float *ai = p->ai ? p->ai + a : NULL, *bi = p->bi ? p->bi + b : NULL;
    float *out_r = p->out_r + o, *out_i = p->out_i + o;
    for (size_t i = 0; i < n; i++) {
        float xr = ar[i * sa], xi = ai ? ai[i * sa] : 0.0f;
        float yr = br[i * sb], yi = bi ? bi[i * sb] : 0.0f;
        switch (p->op) {
        case CW_COMPLEX_ADD:
            out_r[i] = xr + yr;
            out_i[i] = xi + yi;
            break;
        case CW_COMPLEX_SUB:
            out_r[i] = xr - yr;
            out_i[i] = xi - yi;
            break;
        default:
            out_r[i] = (float)((double)xr * yr - (double)xi * yi);
            out_i[i] = (float)((double)xr * yi + (double)xi * yr);
            break;
        }
    }
}

/* Output elements [begin, end). */
static void complex_range(void *ctx, size_t begin, size_t end) {
    const complex_plan *p = ctx;
    const int last = p->rank - 1;
    const size_t len = p->d[last], isa = p->sa[last], isb = p->sb[last];
    size_t idx[CW_MAX_RANK];
    size_t col = begin % len, oa, ob;
    cw_shape_broadcast_seek(begin / len, last, p->d, p->sa, p->sb, idx, &oa, &ob);
    for (size_t pos = begin; pos < end;) {
        size_t n = len - col < end - pos ? len - col : end - pos;
        complex_row(p, oa + col * isa, isa, ob + col * isb, isb, pos, n);
        pos += n;
        col = 0;
        cw_shape_broadcast_next(last, p->d, p->sa, p->sb, idx, &oa, &ob);
    }
}

static int shape_ok(const int32_t *shape, int rank) {
    if (rank < 0 || rank > CW_MAX_RANK || (rank > 0 && shape == NULL)) return 0;
    for (int i = 0; i < rank; i++)
        if (shape[i] < 0) return 0;
    return 1;
}

static int32_t dim_at(const int32_t *shape, int rank, int out_rank, int i) {
    int j = i - (out_rank - rank);
    return j < 0 ? 1 : shape[j];
}

cw_status cw_complex_binary(cw_complex_op op, const float *a_re, const float *a_im,
                            const int32_t *a_shape, int a_rank, const float *b_re,
                            const float *b_im, const int32_t *b_shape, int b_rank, float *out_re,
                            float *out_im, const int32_t *out_shape, int out_rank) {
    if ((unsigned)op >= CW_COMPLEX_OP_COUNT)
        return cw_error(CW_ERR_INVALID, "complex: unknown op code %d", (int)op);
    const char *name = op_names[op];
    if (!shape_ok(a_shape, a_rank) || !shape_ok(b_shape, b_rank) || !shape_ok(out_shape, out_rank))
        return cw_error(CW_ERR_INVALID,
                        "%s: ranks %d, %d, %d must be in [0, %d] with non-negative dims", name,
                        a_rank, b_rank, out_rank, CW_MAX_RANK);
    if (out_rank < a_rank || out_rank < b_rank)
        return cw_error(CW_ERR_INVALID, "%s: output rank %d is below the input ranks %d and %d",
                        name, out_rank, a_rank, b_rank);
    size_t n = 1;
    int overflow = 0;
    for (int i = 0; i < out_rank; i++) {
        int32_t da = dim_at(a_shape, a_rank, out_rank, i);
        int32_t db = dim_at(b_shape, b_rank, out_rank, i);
        if ((da != db && da != 1 && db != 1) || out_shape[i] != (da == 1 ? db : da))
            return cw_error(CW_ERR_INVALID,
                            "%s: dimension %d of the inputs (%d and %d) does not broadcast to %d",
                            name, i, (int)da, (int)db, (int)out_shape[i]);
        size_t m = cw_mul_size(n, (size_t)out_shape[i]);
        if (m == 0 && n != 0 && out_shape[i] != 0) overflow = 1;
        n = m;
    }
    if (overflow || (n != 0 && cw_mul_size(n, sizeof(float)) == 0))
        return cw_error(CW_ERR_NOMEM, "%s: output of %d dims is too large", name, out_rank);
    if (n == 0) return CW_OK;
    if (a_re == NULL || b_re == NULL || out_re == NULL || out_im == NULL)
        return cw_error(CW_ERR_INVALID, "%s: NULL data pointer", name);

    complex_plan p = {
        .op = op, .ar = a_re, .ai = a_im, .br = b_re, .bi = b_im, .out_r = out_re, .out_i = out_im};
    p.rank = cw_shape_collapse_broadcast(a_shape, a_rank, b_shape, b_rank, out_shape, out_rank, p.d,
                                         p.sa, p.sb);
    cw_parallel_for(n, CW_COMPLEX_GRAIN, complex_range, &p);
    return CW_OK;
}
