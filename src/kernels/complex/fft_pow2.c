/* Radix-2 decimation-in-time transforms for power-of-two lengths.
 *
 * The float row keeps real and imaginary parts in separate arrays, so a
 * butterfly stage with half-size h >= 4 runs four butterflies per vector
 * operation with contiguous twiddles (tw[h .. 2h)). The vector body and the
 * scalar tail evaluate the same float expressions (no fused multiply-add),
 * so a result never depends on where the vector loop stops. Twiddles are
 * computed in double and rounded once. */
#include <math.h>

#include "kernels/complex/fft_internal.h"
#include "simd/vec.h"

static const double two_pi = 6.283185307179586476925286766559;

static void bit_reverse_table(size_t n, uint32_t *rev) {
    int bits = 0;
    while (((size_t)1 << bits) < n) bits++;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = 0;
        for (int b = 0; b < bits; b++) r |= (uint32_t)((i >> b) & 1u) << (bits - 1 - b);
        rev[i] = r;
    }
}

void cw_fft_pow2_tables_f32(size_t n, int inverse, float *tw_re, float *tw_im, uint32_t *rev) {
    const double sign = inverse ? 1.0 : -1.0;
    tw_re[0] = 1.0f;
    tw_im[0] = 0.0f;
    for (size_t h = 1; h < n; h *= 2) {
        for (size_t j = 0; j < h; j++) {
            double a = two_pi * (double)j / (double)(2 * h);
            tw_re[h + j] = (float)cos(a);
            tw_im[h + j] = (float)(sign * sin(a));
        }
    }
    bit_reverse_table(n, rev);
}

void cw_fft_pow2_tables_f64(size_t n, int inverse, double *tw, uint32_t *rev) {
    const double sign = inverse ? 1.0 : -1.0;
    tw[0] = 1.0;
    tw[1] = 0.0;
    for (size_t h = 1; h < n; h *= 2) {
        for (size_t j = 0; j < h; j++) {
            double a = two_pi * (double)j / (double)(2 * h);
            tw[2 * (h + j)] = cos(a);
            tw[2 * (h + j) + 1] = sign * sin(a);
        }
    }
    bit_reverse_table(n, rev);
}

void cw_fft_pow2_row_f32(size_t n, const float *tw_re, const float *tw_im, const uint32_t *rev,
                         const float *in_re, const float *in_im, float *out_re, float *out_im) {
    for (size_t i = 0; i < n; i++) {
        out_re[rev[i]] = in_re[i];
        out_im[rev[i]] = in_im[i];
    }
    for (size_t h = 1; h < n; h *= 2) {
        const float *wr = tw_re + h, *wi = tw_im + h;
        for (size_t s = 0; s < n; s += 2 * h) {
            float *ur = out_re + s, *ui = out_im + s, *vr = ur + h, *vi = ui + h;
            size_t j = 0;
            for (; j + CW_VEC_LANES <= h; j += CW_VEC_LANES) {
                cw_v4f c = cw_v4f_load(wr + j), d = cw_v4f_load(wi + j);
                cw_v4f xr = cw_v4f_load(vr + j), xi = cw_v4f_load(vi + j);
                cw_v4f tr = cw_v4f_sub(cw_v4f_mul(c, xr), cw_v4f_mul(d, xi));
                cw_v4f ti = cw_v4f_add(cw_v4f_mul(c, xi), cw_v4f_mul(d, xr));
                cw_v4f ar = cw_v4f_load(ur + j), ai = cw_v4f_load(ui + j);
                cw_v4f_store(vr + j, cw_v4f_sub(ar, tr));
                cw_v4f_store(vi + j, cw_v4f_sub(ai, ti));
                cw_v4f_store(ur + j, cw_v4f_add(ar, tr));
                cw_v4f_store(ui + j, cw_v4f_add(ai, ti));
            }
            for (; j < h; j++) {
                float c = wr[j], d = wi[j], xr = vr[j], xi = vi[j];
                float tr = c * xr - d * xi, ti = c * xi + d * xr;
                float ar = ur[j], ai = ui[j];
                vr[j] = ar - tr;
                vi[j] = ai - ti;
                ur[j] = ar + tr;
                ui[j] = ai + ti;
            }
        }
    }
}

void cw_fft_pow2_f64(double *x, size_t n, const double *tw, const uint32_t *rev) {
    for (size_t i = 0; i < n; i++) {
        size_t r = rev[i];
        if (i < r) {
            double t0 = x[2 * i], t1 = x[2 * i + 1];
            x[2 * i] = x[2 * r];
            x[2 * i + 1] = x[2 * r + 1];
            x[2 * r] = t0;
            x[2 * r + 1] = t1;
        }
    }
    for (size_t h = 1; h < n; h *= 2) {
        const double *w = tw + 2 * h;
        for (size_t s = 0; s < n; s += 2 * h) {
            double *u = x + 2 * s, *v = u + 2 * h;
            for (size_t j = 0; j < h; j++) {
                double c = w[2 * j], d = w[2 * j + 1], xr = v[2 * j], xi = v[2 * j + 1];
                double tr = c * xr - d * xi, ti = c * xi + d * xr;
                double ar = u[2 * j], ai = u[2 * j + 1];
                v[2 * j] = ar - tr;
                v[2 * j + 1] = ai - ti;
                u[2 * j] = ar + tr;
                u[2 * j + 1] = ai + ti;
            }
        }
    }
}
