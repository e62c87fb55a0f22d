/* cw_unary_elu_grad_f32: EluGrad. */
#include "core/parallel.h"
#include "kernels/unary/unary.h"

typedef struct {
    const float *dy, *y;
    float *dx;
} elu_grad_ctx;

static void elu_grad_range(void *p, size_t begin, size_t end) {
    const elu_grad_ctx *c = p;
    /* In double and rounded once, as the cpu's dy * (y + 1) into a
     * Float32Array; dy * 1.0 rounds back to dy, so one branch-free
     * multiply serves both sides. */
    for (size_t i = begin; i < end; i++) {
        const double v = c->y[i];
        c->dx[i] = (float)((double)c->dy[i] * (v >= 0 ? 1.0 : v + 1.0));
    }
}

cw_status cw_unary_elu_grad_f32(const float *dy, const float *y, float *dx, size_t n) {
    if (n == 0) return CW_OK;
    if (!dy || !y || !dx)
        return cw_error(CW_ERR_INVALID, "EluGrad: %s is NULL", !dy ? "dy" : !y ? "y" : "dx");
    elu_grad_ctx c = {dy, y, dx};
    cw_parallel_for(n, 16384, elu_grad_range, &c);
    return CW_OK;
}
