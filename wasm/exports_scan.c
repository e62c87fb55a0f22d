/* Scan family exports: cumulative sum / product over [outer, n, inner]. */
#include <emscripten.h>

#include "cw.h"

/* op: a cw_scan_op; dtype: a cw_dtype. dims: 5 ints, outer, n, inner,
 * exclusive, reverse. */
EMSCRIPTEN_KEEPALIVE int cwasm_scan(int op, int dtype, const void *x, const int32_t *dims,
                                    void *out) {
    return cw_scan((cw_scan_op)op, (cw_dtype)dtype, x, dims[0], dims[1], dims[2], dims[3], dims[4],
                   out);
}
