/* The f32 GEMM micro-kernel: a 4x8 tile held in eight cw_v4f accumulators
 * (two vectors per row), one load-splat of A per row and two loads of B per
 * k. 8 accumulators + 2 B vectors + 1 A splat + 1 product fit the 16
 * registers of SSE2 and the 15 xmm registers V8 allocates for wasm SIMD128
 * (larger tiles, 6x8, 5x8 or 4x12, spill there and measured slower).
 * Tiles with fewer rows (M < 4, the last rows of M) run a copy specialised
 * for their row count instead of computing zero rows: M=1 (inference) does
 * a quarter of the work. Every element is summed k = 0..kc-1 with the same
 * add(c, mul(a, b)) whatever the row count, so results do not depend on
 * where a row falls. Bias and relu/relu6 are fused into the store of the
 * last K block (cw_f32_gemm_store_4x8, shared with the indirect kernel). */
#include <assert.h>

#include "kernels/gemm/gemm_ukernel.h"
#include "simd/vec.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR
_Static_assert(CW_GEMM_MR == 4 && CW_GEMM_NR == 8, "the kernel is written for 4x8 tiles");

/* One tile of R rows (R constant after inlining, so the loops over rows
 * unroll and the accumulators live in registers). */
static CW_ALWAYS_INLINE void tile_rows(const int R, size_t kc, const float *a, const float *b,
                                       size_t ldb, float *c, size_t ldc, int nr, int load_c,
                                       const cw_gemm_store *st) {
    const int full = nr == NR;
    float tile[MR * NR]; /* edge columns of c go through here */
    cw_v4f acc[MR][2];
    if (load_c) {
        const float *src = c;
        size_t lds = ldc;
        if (!full) {
            for (int i = 0; i < R; i++)
                for (int j = 0; j < NR; j++) tile[i * NR + j] = j < nr ? c[i * ldc + j] : 0.0f;
            src = tile;
            lds = NR;
        }
        for (int i = 0; i < R; i++) {
            acc[i][0] = cw_v4f_load(src + i * lds);
            acc[i][1] = cw_v4f_load(src + i * lds + 4);
        }
    } else {
        for (int i = 0; i < R; i++) acc[i][0] = acc[i][1] = cw_v4f_zero();
    }
    for (size_t k = 0; k < kc; k++) {
        const cw_v4f b0 = cw_v4f_load(b), b1 = cw_v4f_load(b + 4);
        for (int i = 0; i < R; i++) {
            const cw_v4f av = cw_v4f_splat(a[i]); /* v128.load32_splat in wasm */
            acc[i][0] = cw_v4f_madd(acc[i][0], av, b0);
            acc[i][1] = cw_v4f_madd(acc[i][1], av, b1);
        }
        a += MR;
        b += ldb;
    }
    cw_f32_gemm_store_4x8(R, acc, c, ldc, R, nr, st, tile);
}

void cw_f32_gemm_4x8_simd(size_t kc, const float *a, const float *b, size_t ldb, float *c,
                          size_t ldc, int mr, int nr, int load_c, const cw_gemm_store *st) {
    assert(mr >= 1 && mr <= MR && nr >= 1 && nr <= NR);
    switch (mr) {
    case 1:
        tile_rows(1, kc, a, b, ldb, c, ldc, nr, load_c, st);
        break;
    case 2:
        tile_rows(2, kc, a, b, ldb, c, ldc, nr, load_c, st);
        break;
    case 3:
        tile_rows(3, kc, a, b, ldb, c, ldc, nr, load_c, st);
        break;
    default:
        tile_rows(MR, kc, a, b, ldb, c, ldc, nr, load_c, st);
        break;
    }
}
