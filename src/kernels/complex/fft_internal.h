/* Internal to the complex family: the transforms cw_fft is built from.
 *
 * Radix-2 tables for a power-of-two length n: twiddles at tw[h + j] =
 * exp(sign * 2 pi i j / (2h)) for the stage of half-size h (h = 1, 2, 4, ...,
 * n/2; j < h), sign -1 forward and +1 inverse; rev[i] = i with its log2(n)
 * bits reversed. Row kernels never allocate and never fail. */
#ifndef CW_KERNELS_COMPLEX_FFT_INTERNAL_H
#define CW_KERNELS_COMPLEX_FFT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Float tables (n floats each for tw_re / tw_im, n entries of rev). */
void cw_fft_pow2_tables_f32(size_t n, int inverse, float *tw_re, float *tw_im, uint32_t *rev);

/* out = unscaled transform of one row of n (a power of two) values: bit
 * reversal copy, then log2(n) butterfly stages, 4 lanes at a time from
 * h = 4 on. out must not overlap in. */
void cw_fft_pow2_row_f32(size_t n, const float *tw_re, const float *tw_im, const uint32_t *rev,
                         const float *in_re, const float *in_im, float *out_re, float *out_im);

/* Double tables: tw holds n interleaved complex values (re, im). */
void cw_fft_pow2_tables_f64(size_t n, int inverse, double *tw, uint32_t *rev);

/* In-place unscaled transform of n (a power of two) interleaved complex
 * doubles x[2i] + i x[2i+1]. */
void cw_fft_pow2_f64(double *x, size_t n, const double *tw, const uint32_t *rev);

/* Any length n, in double: a direct sum below CW_FFT_DIRECT_MAX, Bluestein's
 * chirp-z convolution through a power-of-two transform of size m >= 2n - 1
 * otherwise. */
#define CW_FFT_DIRECT_MAX 32

typedef struct {
    size_t n, m; /* m = 0 for the direct sum */
    int inverse;
    double *w;      /* direct: n roots exp(sign 2 pi i k / n); Bluestein: n chirp
                       values exp(sign pi i k^2 / n); interleaved */
    double *filter; /* Bluestein: forward transform of the conjugate chirp, m values */
    double *tw;     /* Bluestein: forward size-m radix-2 twiddles */
    uint32_t *rev;
} cw_fft_any_plan;

cw_status cw_fft_any_plan_init(cw_fft_any_plan *p, size_t n, int inverse);
void cw_fft_any_plan_free(cw_fft_any_plan *p);

/* Doubles of scratch one row needs. */
size_t cw_fft_any_scratch(const cw_fft_any_plan *p);

/* One row, scaled by 1/n when inverse, rounded once to float. */
void cw_fft_any_row(const cw_fft_any_plan *p, double *scratch, const float *in_re,
                    const float *in_im, float *out_re, float *out_im);

#endif
