/* cw_cast: element conversion between f32, i32 and bool (Cast kernel). */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/unary/unary_impl.h"
#include "simd/vec.h"

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

/* Vector loops for the six converting pairs; every conversion is exact or
 * one IEEE rounding, so the scalar tail gives the same bits. Processing is
 * front to back, 4 elements loaded before 4 stored: in place narrowing (4 ->
 * 1 byte) is safe. Returns the first index left for the scalar loop. */
static size_t cast_range_v4(const cast_job *j, size_t begin, size_t end) {
    const cw_v4i izero = cw_v4i_splat(0), ione = cw_v4i_splat(1);
    const cw_v4f one = cw_v4f_splat(1.0f);
    size_t i = begin;
    if (j->from == CW_F32) {
        const float *x = (const float *)j->x;
        if (j->to == CW_I32) {
            int32_t *y = (int32_t *)j->y;
            const cw_v4f lo = cw_v4f_splat(-2147483904.0f), hi = cw_v4f_splat(2147483648.0f);
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES) {
                cw_v4f v = cw_v4f_load(x + i);
                if (cw_v4m_all(cw_v4m_and(cw_v4f_gt(v, lo), cw_v4f_lt(v, hi)))) {
                    cw_v4i_store(y + i, cw_v4f_to_v4i(v));
                } else { /* NaN, inf or beyond int32: ToInt32 wraps */
                    for (size_t k = i; k < i + CW_VEC_LANES; k++) y[k] = cw_js_toint32(x[k]);
                }
            }
        } else { /* bool: x != 0, NaN counts as 1 */
            uint8_t *y = j->y;
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES) {
                cw_v4m z = cw_v4f_eq(cw_v4f_load(x + i), cw_v4f_zero());
                cw_v4i_store_u8(y + i, cw_v4i_add(cw_v4m_as_v4i(z), ione));
            }
        }
    } else if (j->from == CW_I32) {
        const int32_t *x = (const int32_t *)j->x;
        if (j->to == CW_F32) {
            float *y = (float *)j->y;
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES)
                cw_v4f_store(y + i, cw_v4i_to_v4f(cw_v4i_load(x + i)));
        } else {
            uint8_t *y = j->y;
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES)
                cw_v4i_store_u8(y + i, cw_v4i_add(cw_v4i_eq(cw_v4i_load(x + i), izero), ione));
        }
    } else {
        const uint8_t *x = j->x;
        if (j->to == CW_F32) {
            float *y = (float *)j->y;
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES) {
                cw_v4i z = cw_v4i_eq(cw_v4i_load_u8(x + i), izero);
                cw_v4f_store(y + i, cw_v4f_clear(cw_v4i_as_v4m(z), one));
            }
        } else {
            int32_t *y = (int32_t *)j->y;
            for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES) {
                cw_v4i z = cw_v4i_eq(cw_v4i_load_u8(x + i), izero);
                cw_v4i_store(y + i, cw_v4i_add(z, ione));
            }
        }
    }
    return i;
}

static void cast_range(void *ctx, size_t begin, size_t end) {
    const cast_job *j = (const cast_job *)ctx;
    for (size_t i = cast_range_v4(j, begin, end); i < end; i++) cast_one(j, i);
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
