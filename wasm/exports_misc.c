/* Misc family exports: LinSpace, Diag, SearchSorted, Bincount /
 * DenseBincount, Multinomial. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_linspace(double start, double stop, int num, float *out) {
    return (int)cw_linspace_f32(start, stop, num, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_diag(int elem_size, const void *x, int n, void *out) {
    if (elem_size < 1 || n < 0) return cw_error(CW_ERR_INVALID, "Diag: bad size");
    return (int)cw_diag((size_t)elem_size, x, (size_t)n, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_search_sorted(const float *sorted, const float *values, int batch,
                                             int n, int m, int right, int32_t *out) {
    return (int)cw_search_sorted_f32(sorted, values, batch, n, m, right, out);
}

/* dense = 1: DenseBincount (names errors so), else Bincount. w may be 0.
 * dims: 4 ints, rows, cols, size, binary_output. */
EMSCRIPTEN_KEEPALIVE int cwasm_bincount(int dense, const int32_t *x, const void *w, int w_dtype,
                                        const int32_t *dims, void *out) {
    const int rows = dims[0], cols = dims[1];
    if (rows < 0 || cols < 0) return cw_error(CW_ERR_INVALID, "Bincount: negative shape");
    return (int)cw_bincount(dense ? "DenseBincount" : "Bincount", x, (size_t)rows, (size_t)cols, w,
                            (cw_dtype)w_dtype, dims[2], dims[3], out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_multinomial(const float *probs, int batch, int events, int samples,
                                           double seed, int32_t *out) {
    return (int)cw_multinomial_f32(probs, batch, events, samples, seed, out);
}
