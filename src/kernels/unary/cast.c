/* cw_cast: element conversion between f32, i32 and bool (Cast kernel). */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/unary/unary_impl.h"

typedef struct {
    cw_dtype from, to;
    const uint8_t *x;
    uint8_t *y;
} cast_job;

static inline double load_as_f64(cw_dtype t, const uint8_t *x, size_t i) {
    switch (t) {
    case CW_F32:
        return ((const float *)x)[i];
    case CW_I32:
        return ((const int32_t *)x)[i];
    default:
        return x[i] ? 1.0 : 0.0;
    }
}

/* Element i of x converted and stored into y. Every source value is exact in
 * a double, so one path through double serves all nine pairs. */
static inline void cast_one(const cast_job *j, size_t i) {
    double v = load_as_f64(j->from, j->x, i);
    switch (j->to) {
    case CW_F32:
        ((float *)j->y)[i] = (float)v;
        break;
    case CW_I32:
        ((int32_t *)j->y)[i] = cw_js_toint32(v);
        break;
    default:
        j->y[i] = v != 0.0 ? 1 : 0;
        break; /* NaN != 0 */
    }
}

static void cast_range(void *ctx, size_t begin, size_t end) {
    const cast_job *j = (const cast_job *)ctx;
    if (j->from == CW_F32 && j->to == CW_I32) {
        /* The common case without the generic ToInt32 detour. */
        const float *x = (const float *)j->x;
        int32_t *y = (int32_t *)j->y;
        for (size_t i = begin; i < end; i++) {
            float v = x[i];
            y[i] = (v > -2147483904.0f && v < 2147483648.0f) ? (int32_t)v : cw_js_toint32(v);
        }
        return;
    }
    for (size_t i = begin; i < end; i++) cast_one(j, i);
}

cw_status cw_cast(cw_dtype from, const void *x, cw_dtype to, void *y, size_t n) {
    if (from != CW_F32 && from != CW_I32 && from != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "Cast: source dtype %d is not f32 (0), i32 (1) or bool (2)",
                        (int)from);
    if (to != CW_F32 && to != CW_I32 && to != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "Cast: target dtype %d is not f32 (0), i32 (1) or bool (2)",
                        (int)to);
    if (n == 0) return CW_OK;
    if (!x || !y) return cw_error(CW_ERR_INVALID, "Cast: x or y is NULL for %zu elements", n);
    if (cw_mul_size(n, sizeof(float)) == 0)
        return cw_error(CW_ERR_INVALID, "Cast: %zu elements overflow the address space", n);

    size_t in_bytes = n * cw_dtype_size(from), out_bytes = n * cw_dtype_size(to);
    if (from == to) {
        if (x != y) memmove(y, x, in_bytes);
        return CW_OK;
    }
    cast_job job = {from, to, (const uint8_t *)x, (uint8_t *)y};
    uintptr_t px = (uintptr_t)x, py = (uintptr_t)y;
    int overlap = px < py + out_bytes && py < px + in_bytes;
    if (overlap && in_bytes != out_bytes) {
        /* In place with different element sizes: narrowing is safe front to
         * back, widening (bool -> 4 bytes) back to front, both serially. */
        if (out_bytes < in_bytes) {
            cast_range(&job, 0, n);
        } else {
            for (size_t i = n; i-- > 0;) cast_one(&job, i);
        }
        return CW_OK;
    }
    cw_parallel_for(n, 16384, cast_range, &job);
    return CW_OK;
}
