/* The 4x8 indirect-GEMM micro-kernel: the register tile of
 * cw_f32_gemm_4x8_simd (eight cw_v4f accumulators, one load-splat of A per
 * row and two loads of B per k) and its store, with A read through four row
 * pointers per filter tap instead of a packed panel. Copies specialised for
 * 1..4 input channels let the compiler unroll the channel loop: with one
 * channel the tap loop is the whole k loop. */
#include <assert.h>

#include "kernels/gemm/gemm_ukernel.h"
#include "simd/vec.h"

static CW_ALWAYS_INLINE void igemm_tile(size_t taps, const size_t C, const float *const *ind,
                                        const ptrdiff_t *off, const float *b, float *c, size_t ldc,
                                        int mr, int nr, const cw_gemm_store *st) {
    cw_v4f c00 = cw_v4f_zero(), c01 = c00, c10 = c00, c11 = c00;
    cw_v4f c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const float *r0 = ind[0], *r1 = ind[1], *r2 = ind[2], *r3 = ind[3];
    for (size_t t = 0; t < taps; t++) {
        const float *a0, *a1, *a2, *a3;
        if (off) {
            const ptrdiff_t o = off[t];
            a0 = r0 + o, a1 = r1 + o, a2 = r2 + o, a3 = r3 + o;
        } else {
            a0 = ind[4 * t], a1 = ind[4 * t + 1], a2 = ind[4 * t + 2], a3 = ind[4 * t + 3];
        }
        for (size_t ic = 0; ic < C; ic++, b += 8) {
            const cw_v4f b0 = cw_v4f_load(b), b1 = cw_v4f_load(b + 4);
            cw_v4f av = cw_v4f_splat(a0[ic]);
            c00 = cw_v4f_madd(c00, av, b0);
            c01 = cw_v4f_madd(c01, av, b1);
            av = cw_v4f_splat(a1[ic]);
            c10 = cw_v4f_madd(c10, av, b0);
            c11 = cw_v4f_madd(c11, av, b1);
            av = cw_v4f_splat(a2[ic]);
            c20 = cw_v4f_madd(c20, av, b0);
            c21 = cw_v4f_madd(c21, av, b1);
            av = cw_v4f_splat(a3[ic]);
            c30 = cw_v4f_madd(c30, av, b0);
            c31 = cw_v4f_madd(c31, av, b1);
        }
    }
    cw_v4f acc[4][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    float tile[4 * 8];
    cw_f32_gemm_store_4x8(4, acc, c, ldc, mr, nr, st, tile);
}

/* off is a compile-time NULL or not after inlining: two loops per C. */
static CW_ALWAYS_INLINE void igemm_by_c(size_t taps, size_t C, const float *const *ind,
                                        const ptrdiff_t *off, const float *b, float *c, size_t ldc,
                                        int mr, int nr, const cw_gemm_store *st) {
    switch (C) {
    case 1:
        igemm_tile(taps, 1, ind, off, b, c, ldc, mr, nr, st);
        break;
    case 2:
        igemm_tile(taps, 2, ind, off, b, c, ldc, mr, nr, st);
        break;
    case 3:
        igemm_tile(taps, 3, ind, off, b, c, ldc, mr, nr, st);
        break;
    case 4:
        igemm_tile(taps, 4, ind, off, b, c, ldc, mr, nr, st);
        break;
    default:
        igemm_tile(taps, C, ind, off, b, c, ldc, mr, nr, st);
        break;
    }
}

void cw_f32_igemm_4x8_simd(size_t taps, size_t C, const float *const *ind, const ptrdiff_t *off,
                           const float *b, float *c, size_t ldc, int mr, int nr,
                           const cw_gemm_store *st) {
    assert(mr >= 1 && mr <= 4 && nr >= 1 && nr <= 8 && st && st->final);
    if (off)
        igemm_by_c(taps, C, ind, off, b, c, ldc, mr, nr, st);
    else
        igemm_by_c(taps, C, ind, NULL, b, c, ldc, mr, nr, st);
}
