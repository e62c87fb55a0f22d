/* Binary family exports: elementwise ops with broadcasting, AddN, Select. */
#include <emscripten.h>

#include "cw.h"
#include "exports_args.h"

/* shapes: see cwasm_shapes3_of. */
EMSCRIPTEN_KEEPALIVE int cwasm_binary(int op, int dtype, const void *a, const void *b, void *out,
                                      const int32_t *shapes) {
    const cwasm_shapes3 s = cwasm_shapes3_of(shapes);
    return cw_binary((cw_binary_op)op, (cw_dtype)dtype, a, s.a, s.a_rank, b, s.b, s.b_rank, out,
                     s.out, s.out_rank);
}

EMSCRIPTEN_KEEPALIVE int cwasm_add_n(int dtype, const void *const *inputs, int count, void *out,
                                     int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "AddN: negative size %d", n);
    return cw_add_n((cw_dtype)dtype, inputs, count, out, (size_t)n);
}

EMSCRIPTEN_KEEPALIVE int cwasm_select(int dtype, const uint8_t *cond, int cond_n, const void *t,
                                      const void *e, void *out, int n) {
    if (n < 0 || cond_n < 0)
        return cw_error(CW_ERR_INVALID, "Select: negative size (%d, %d)", cond_n, n);
    return cw_select((cw_dtype)dtype, cond, (size_t)cond_n, t, e, out, (size_t)n);
}
