/* Transforms of any length, in double.
 *
 * Short rows use the direct sum with roots indexed by (j * k) mod n. Longer
 * rows use Bluestein's identity jk = (j^2 + k^2 - (k - j)^2) / 2:
 *   X[k] = c[k] * sum_j (x[j] c[j]) conj(c[k - j]),  c[k] = exp(sign pi i k^2 / n),
 * a convolution done as a product of size-m power-of-two transforms
 * (m >= 2n - 1, so the cyclic convolution does not wrap onto used outputs).
 * The chirp angle uses k^2 mod 2n in integers, keeping it exact for large k. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/complex/fft_internal.h"

static const double pi = 3.14159265358979323846264338327950;

void cw_fft_any_plan_free(cw_fft_any_plan *p) {
    cw_free(p->w);
    cw_free(p->filter);
    cw_free(p->tw);
    cw_free(p->rev);
    p->w = p->filter = p->tw = NULL;
    p->rev = NULL;
}

static void *alloc_array(size_t count, size_t size) {
    size_t bytes = cw_mul_size(count, size);
    return bytes == 0 ? NULL : cw_alloc(bytes);
}

cw_status cw_fft_any_plan_init(cw_fft_any_plan *p, size_t n, int inverse) {
    memset(p, 0, sizeof *p);
    p->n = n;
    p->inverse = inverse;
    const double sign = inverse ? 1.0 : -1.0;
    if (n < CW_FFT_DIRECT_MAX) {
        p->w = alloc_array(2 * n, sizeof(double));
        if (p->w == NULL) return cw_error(CW_ERR_NOMEM, "FFT: out of memory for length %zu", n);
        for (size_t k = 0; k < n; k++) {
            double a = 2.0 * pi * (double)k / (double)n;
            p->w[2 * k] = cos(a);
            p->w[2 * k + 1] = sign * sin(a);
        }
        return CW_OK;
    }
    size_t m = 1;
    while (m < 2 * n - 1) m *= 2;
    p->m = m;
    p->w = alloc_array(2 * n, sizeof(double));
    p->filter = alloc_array(2 * m, sizeof(double));
    p->tw = alloc_array(2 * m, sizeof(double));
    p->rev = alloc_array(m, sizeof(uint32_t));
    if (p->w == NULL || p->filter == NULL || p->tw == NULL || p->rev == NULL) {
        cw_fft_any_plan_free(p);
        return cw_error(CW_ERR_NOMEM, "FFT: out of memory for length %zu", n);
    }
    for (size_t k = 0; k < n; k++) {
        uint64_t q = ((uint64_t)k * k) % (2 * (uint64_t)n);
        double a = pi * (double)q / (double)n;
        p->w[2 * k] = cos(a);
        p->w[2 * k + 1] = sign * sin(a);
    }
    /* The filter conj(c[l]) at l and at m - l (negative l wraps). */
    memset(p->filter, 0, 2 * m * sizeof(double));
    for (size_t k = 0; k < n; k++) {
        p->filter[2 * k] = p->w[2 * k];
        p->filter[2 * k + 1] = -p->w[2 * k + 1];
        if (k > 0) {
            p->filter[2 * (m - k)] = p->w[2 * k];
            p->filter[2 * (m - k) + 1] = -p->w[2 * k + 1];
        }
    }
    cw_fft_pow2_tables_f64(m, 0, p->tw, p->rev);
    cw_fft_pow2_f64(p->filter, m, p->tw, p->rev);
    return CW_OK;
}

size_t cw_fft_any_scratch(const cw_fft_any_plan *p) { return p->m ? 2 * p->m : 1; }

static void direct_row(const cw_fft_any_plan *p, const float *in_re, const float *in_im,
                       float *out_re, float *out_im) {
    const size_t n = p->n;
    for (size_t k = 0; k < n; k++) {
        double sr = 0.0, si = 0.0;
        size_t idx = 0; /* (j * k) mod n */
        for (size_t j = 0; j < n; j++) {
            double c = p->w[2 * idx], d = p->w[2 * idx + 1], xr = in_re[j], xi = in_im[j];
            sr += xr * c - xi * d;
            si += xr * d + xi * c;
            idx += k;
            if (idx >= n) idx -= n;
        }
        if (p->inverse) {
            sr /= (double)n;
            si /= (double)n;
        }
        out_re[k] = (float)sr;
        out_im[k] = (float)si;
    }
}

static void bluestein_row(const cw_fft_any_plan *p, double *y, const float *in_re,
                          const float *in_im, float *out_re, float *out_im) {
    const size_t n = p->n, m = p->m;
    const double *c = p->w, *f = p->filter;
    for (size_t j = 0; j < n; j++) {
        double xr = in_re[j], xi = in_im[j];
        y[2 * j] = xr * c[2 * j] - xi * c[2 * j + 1];
        y[2 * j + 1] = xr * c[2 * j + 1] + xi * c[2 * j];
    }
    memset(y + 2 * n, 0, 2 * (m - n) * sizeof(double));
    cw_fft_pow2_f64(y, m, p->tw, p->rev);
    /* Product with the filter, conjugated: the forward transform of the
     * conjugate is the conjugate of m times the inverse transform. */
    for (size_t k = 0; k < m; k++) {
        double a = y[2 * k], b = y[2 * k + 1], g = f[2 * k], h = f[2 * k + 1];
        y[2 * k] = a * g - b * h;
        y[2 * k + 1] = -(a * h + b * g);
    }
    cw_fft_pow2_f64(y, m, p->tw, p->rev);
    const double scale = p->inverse ? 1.0 / ((double)m * (double)n) : 1.0 / (double)m;
    for (size_t k = 0; k < n; k++) {
        double vr = y[2 * k] * scale, vi = -y[2 * k + 1] * scale;
        out_re[k] = (float)(vr * c[2 * k] - vi * c[2 * k + 1]);
        out_im[k] = (float)(vr * c[2 * k + 1] + vi * c[2 * k]);
    }
}

void cw_fft_any_row(const cw_fft_any_plan *p, double *scratch, const float *in_re,
                    const float *in_im, float *out_re, float *out_im) {
    if (p->m == 0)
        direct_row(p, in_re, in_im, out_re, out_im);
    else
        bluestein_row(p, scratch, in_re, in_im, out_re, out_im);
}
