/* Packing of A and B into the panel layouts the micro-kernel reads. */
#include "core/alloc.h"
#include "kernels/gemm/gemm_ukernel.h"
#include "simd/vec.h"

#define MR CW_GEMM_MR
#define NR CW_GEMM_NR

size_t cw_gemm_packed_b_floats(int K, int N) {
    if (K <= 0 || N <= 0) return 0;
    size_t panels = ((size_t)N + NR - 1) / NR;
    return cw_mul_size(cw_mul_size(panels, NR), (size_t)K);
}

/* Panels packed together from row-major B: 4 panels = 32 floats = two cache
 * lines of each source row, so every line read is used whole (one panel at a
 * time would use half a line and walk all K rows' pages once per panel). */
#define PACK_GROUP 4

void cw_gemm_pack_b_panels(size_t K, size_t N, const float *B, int transpose_b, size_t p0,
                           size_t p1, float *packed) {
    const size_t full_panels = N / NR;
    for (size_t p = p0; p < p1;) {
        float *out = packed + (p - p0) * K * NR;
        size_t n0 = p * NR;
        size_t nr = N - n0 < NR ? N - n0 : NR;
        if (!transpose_b && nr == NR) {
            size_t g = full_panels - p;
            if (g > p1 - p) g = p1 - p;
            if (g > PACK_GROUP) g = PACK_GROUP;
            const float *src = B + n0;
            for (size_t k = 0; k < K; k++, src += N) {
                for (size_t q = 0; q < g; q++) {
                    float *o = out + q * K * NR + k * NR;
                    cw_v4f_store(o, cw_v4f_load(src + q * NR));
                    cw_v4f_store(o + 4, cw_v4f_load(src + q * NR + 4));
                }
            }
            p += g;
            continue;
        }
        if (!transpose_b) {
            const float *src = B + n0;
            for (size_t k = 0; k < K; k++, src += N, out += NR) {
                size_t j = 0;
                for (; j < nr; j++) out[j] = src[j];
                for (; j < NR; j++) out[j] = 0.0f;
            }
        } else {
            /* B is [N,K]: read each of the nr rows sequentially, scatter with
             * stride NR into the panel (which stays in cache). */
            for (size_t j = 0; j < NR; j++) {
                if (j < nr) {
                    const float *src = B + (n0 + j) * K;
                    for (size_t k = 0; k < K; k++) out[k * NR + j] = src[k];
                } else {
                    for (size_t k = 0; k < K; k++) out[k * NR + j] = 0.0f;
                }
            }
        }
        p++;
    }
}

void cw_gemm_pack_b(int K, int N, const float *B, int transpose_b, float *packed) {
    if (K <= 0 || N <= 0) return;
    size_t panels = ((size_t)N + NR - 1) / NR;
    cw_gemm_pack_b_panels((size_t)K, (size_t)N, B, transpose_b, 0, panels, packed);
}

void cw_gemm_pack_a(const float *A, int transpose_a, size_t M, size_t K, size_t m0, size_t mc,
                    size_t k0, size_t kc, float *out) {
    for (size_t i0 = 0; i0 < mc; i0 += MR, out += kc * MR) {
        size_t mr = mc - i0 < MR ? mc - i0 : MR;
        size_t m = m0 + i0;
        if (transpose_a) {
            /* A is [K,M]: the MR values of one k are contiguous. */
            const float *src = A + k0 * M + m;
            if (mr == MR) {
                for (size_t k = 0; k < kc; k++, src += M)
                    cw_v4f_store(out + k * MR, cw_v4f_load(src));
            } else {
                for (size_t k = 0; k < kc; k++, src += M) {
                    size_t i = 0;
                    for (; i < mr; i++) out[k * MR + i] = src[i];
                    for (; i < MR; i++) out[k * MR + i] = 0.0f;
                }
            }
        } else {
            /* A is [M,K]: interleave MR rows, each read sequentially. */
            if (mr == MR) {
                const float *r0 = A + m * K + k0, *r1 = r0 + K, *r2 = r1 + K, *r3 = r2 + K;
                for (size_t k = 0; k < kc; k++) {
                    out[k * MR + 0] = r0[k];
                    out[k * MR + 1] = r1[k];
                    out[k * MR + 2] = r2[k];
                    out[k * MR + 3] = r3[k];
                }
                continue;
            }
            for (size_t i = 0; i < MR; i++) {
                if (i < mr) {
                    const float *src = A + (m + i) * K + k0;
                    for (size_t k = 0; k < kc; k++) out[k * MR + i] = src[k];
                } else {
                    for (size_t k = 0; k < kc; k++) out[k * MR + i] = 0.0f;
                }
            }
        }
    }
}
