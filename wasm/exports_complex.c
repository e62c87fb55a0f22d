/* Complex family exports: complex64 arithmetic, magnitude, layout
 * conversion and the FFT. */
#include <emscripten.h>

#include "cw.h"
#include "exports_args.h"

/* shapes: see cwasm_shapes3_of. */
EMSCRIPTEN_KEEPALIVE int cwasm_complex_binary(int op, const float *a_re, const float *a_im,
                                              const float *b_re, const float *b_im, float *out_re,
                                              float *out_im, const int32_t *shapes) {
    const cwasm_shapes3 s = cwasm_shapes3_of(shapes);
    return cw_complex_binary((cw_complex_op)op, a_re, a_im, s.a, s.a_rank, b_re, b_im, s.b,
                             s.b_rank, out_re, out_im, s.out, s.out_rank);
}

EMSCRIPTEN_KEEPALIVE int cwasm_complex_abs(const float *re, const float *im, float *out, int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "ComplexAbs: negative size %d", n);
    return cw_complex_abs(re, im, out, (size_t)n);
}

EMSCRIPTEN_KEEPALIVE int cwasm_complex_interleave(const float *re, const float *im, float *out,
                                                  int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "complex interleave: negative size %d", n);
    return cw_complex_interleave(re, im, out, (size_t)n);
}

EMSCRIPTEN_KEEPALIVE int cwasm_complex_split(const float *in, float *re, float *im, int n) {
    if (n < 0) return cw_error(CW_ERR_INVALID, "complex split: negative size %d", n);
    return cw_complex_split(in, re, im, (size_t)n);
}

EMSCRIPTEN_KEEPALIVE int cwasm_fft(const float *in_re, const float *in_im, float *out_re,
                                   float *out_im, int batch, int n, int inverse) {
    if (batch < 0 || n < 0)
        return cw_error(CW_ERR_INVALID, "%s: negative size (%d rows of %d)",
                        inverse ? "IFFT" : "FFT", batch, n);
    return cw_fft(in_re, in_im, out_re, out_im, (size_t)batch, (size_t)n, inverse);
}
