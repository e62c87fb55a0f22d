/* Scan family exports: cumulative sum / product over [outer, n, inner]. */
#include <emscripten.h>

#include "cw.h"

/* op: 0 = cumsum, 1 = cumprod (cw_scan_op); dtype: 0 = float32, 1 = int32. */
EMSCRIPTEN_KEEPALIVE int cwasm_scan(int op, int dtype, const void *x, int outer, int n, int inner,
                                    int exclusive, int reverse, void *out) {
    return cw_scan((cw_scan_op)op, (cw_dtype)dtype, x, outer, n, inner, exclusive, reverse, out);
}
