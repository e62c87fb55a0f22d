#include "kernels/layout/layout.h"

/* Serial by design: each element is the previous one plus step, rounded to
 * the output type, which is what tfjs-backend-cpu computes. */
cw_status cw_range_f32(float start, float step, int n, float *out) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "Range: element count %d is negative", n);
    float v = start;
    for (int i = 0; i < n; i++) {
        out[i] = v;
        v += step;
    }
    return CW_OK;
}

cw_status cw_range_i32(int32_t start, int32_t step, int n, int32_t *out) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "Range: element count %d is negative", n);
    uint32_t v = (uint32_t)start;
    for (int i = 0; i < n; i++) {
        out[i] = (int32_t)v;
        v += (uint32_t)step;
    }
    return CW_OK;
}
