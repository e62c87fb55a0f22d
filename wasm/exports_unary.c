/* Unary family exports: element-wise unary ops, Cast and EluGrad. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_unary(int op, int dtype, const void *x, void *y, int n, float alpha,
                                     float beta) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "%s: negative size %d", cw_unary_name(op), n);
    return cw_unary((cw_unary_op)op, (cw_dtype)dtype, x, y, (size_t)n, alpha, beta);
}

EMSCRIPTEN_KEEPALIVE int cwasm_unary_out_dtype(int op, int dtype) {
    return cw_unary_out_dtype(op, dtype);
}

EMSCRIPTEN_KEEPALIVE int cwasm_cast(int from, const void *x, int to, void *y, int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "Cast: negative size %d", n);
    return cw_cast((cw_dtype)from, x, (cw_dtype)to, y, (size_t)n);
}

EMSCRIPTEN_KEEPALIVE int cwasm_elu_grad(const float *dy, const float *y, float *dx, int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "EluGrad: negative size %d", n);
    return cw_unary_elu_grad_f32(dy, y, dx, (size_t)n);
}
