/* GEMM exports: MatMul, BatchMatMul, _FusedMatMul and B packing. */
#include <emscripten.h>
#include <limits.h>

#include "cw.h"
#include "exports_args.h"

/* C[b] = act(op(A[a_index[b]]) x op(B[b_index[b]]) + bias); see cw_matmul_f32.
 * dims points at 6 ints: batch, M, N, K, transpose_a, transpose_b. packed_b
 * (or 0) replaces B; ep and alpha: see cwasm_epilogue. Returns a cw_status. */
EMSCRIPTEN_KEEPALIVE int cwasm_matmul(const int32_t *dims, const int32_t *a_index,
                                      const int32_t *b_index, const float *A, const float *B,
                                      const float *packed_b, float *C, const int32_t *ep,
                                      float alpha) {
    cw_matmul_args g = {0};
    g.batch = dims[0], g.a_index = a_index, g.b_index = b_index;
    g.M = dims[1], g.N = dims[2], g.K = dims[3];
    g.A = A, g.transpose_a = dims[4];
    g.B = B, g.transpose_b = dims[5], g.packed_b = packed_b;
    g.C = C;
    g.ep = cwasm_epilogue(ep, alpha);
    return (int)cw_matmul_f32(&g);
}

/* Floats of one packed KxN B matrix; -1 if it does not fit an int. */
EMSCRIPTEN_KEEPALIVE int cwasm_gemm_packed_b_floats(int K, int N) {
    size_t n = cw_gemm_packed_b_floats(K, N);
    if (K > 0 && N > 0 && (n == 0 || n > (size_t)INT_MAX)) return -1;
    return (int)n;
}

/* Packs nb matrices of B (stride K*N) into packed (stride packed_b_floats). */
EMSCRIPTEN_KEEPALIVE void cwasm_gemm_pack_b_batch(int nb, int K, int N, const float *B,
                                                  int transpose_b, float *packed) {
    const size_t in = (size_t)K * (size_t)N, out = cw_gemm_packed_b_floats(K, N);
    for (int b = 0; b < nb && out; b++)
        cw_gemm_pack_b(K, N, B + b * in, transpose_b, packed + b * out);
}
