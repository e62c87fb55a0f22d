/* Reduce family exports: reductions over [outer, reduce, inner], softmax. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_reduce(int op, int dtype, const void *x, int outer, int reduce,
                                      int inner, void *out) {
    return cw_reduce((cw_reduce_op)op, (cw_dtype)dtype, x, outer, reduce, inner, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_softmax(const float *x, float *out, int rows, int cols) {
    return cw_softmax_f32(x, out, rows, cols);
}

EMSCRIPTEN_KEEPALIVE int cwasm_log_softmax(const float *x, float *out, int rows, int cols) {
    return cw_log_softmax_f32(x, out, rows, cols);
}
