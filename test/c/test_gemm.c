#include "test_gemm_util.h"

#include <string.h>

#include "cw.h"
#include "test_threads.h"

/* Plain triple loop in double, then the epilogue in double. */
static void ref_matmul(const cw_matmul_args *g, float *C, double *scale) {
    const int M = g->M, N = g->N, K = g->K;
    for (int b = 0; b < g->batch; b++) {
        const float *A = g->A ? g->A + (size_t)(g->a_index ? g->a_index[b] : b) * M * K : NULL;
        const float *B = g->B ? g->B + (size_t)(g->b_index ? g->b_index[b] : b) * K * N : NULL;
        for (int m = 0; m < M; m++) {
            for (int n = 0; n < N; n++) {
                double s = 0, abs_s = 0;
                for (int k = 0; k < K; k++) {
                    double a = g->transpose_a ? A[k * M + m] : A[m * K + k];
                    double w = g->transpose_b ? B[n * K + k] : B[k * N + n];
                    s += a * w;
                    abs_s += fabs(a * w);
                }
                if (g->ep.bias_len) s += g->ep.bias[g->ep.bias_len == 1 ? 0 : n];
                size_t o = ((size_t)b * M + m) * N + n;
                C[o] = (float)ref_act(s, &g->ep, n);
                if (scale) scale[o] = abs_s;
            }
        }
    }
}

/* Runs cw_matmul_f32 and compares with the reference: |err| <= 1e-4*|want|
 * plus 1e-6 * sum |a*b| (rounding of the float sum). */
static void check_matmul(cw_matmul_args g, const char *what) {
    size_t n = (size_t)g.batch * g.M * g.N;
    float *got = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    double *scale = malloc((n + 1) * sizeof(double));
    for (size_t i = 0; i < n; i++) got[i] = NAN;
    g.C = got;
    ref_matmul(&g, want, scale);
    cw_status s = cw_matmul_f32(&g);
    if (s != CW_OK) fail_msg("%s: status %d: %s", what, (int)s, cw_error_message());
    for (size_t i = 0; i < n; i++) {
        double tol = 1e-4 * fabs(want[i]) + 2e-6 * scale[i] + 1e-6;
        if (!(fabs((double)got[i] - want[i]) <= tol))
            fail_msg("%s (batch=%d M=%d N=%d K=%d ta=%d tb=%d act=%d bias_len=%d): element %zu "
                     "is %.9g, expected %.9g",
                     what, g.batch, g.M, g.N, g.K, g.transpose_a, g.transpose_b, (int)g.ep.act,
                     g.ep.bias_len, i, (double)got[i], (double)want[i]);
    }
    free(got);
    free(want);
    free(scale);
}

static cw_matmul_args make_args(int batch, int M, int N, int K, int ta, int tb, uint32_t seed) {
    cw_matmul_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.M = M, g.N = N, g.K = K;
    g.transpose_a = ta, g.transpose_b = tb;
    g.A = rand_floats((size_t)batch * M * K, seed);
    g.B = rand_floats((size_t)batch * K * N, seed + 1);
    return g;
}

static void free_args(cw_matmul_args *g) {
    free((void *)g->A);
    free((void *)g->B);
}

static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33};
#define NSIZES (int)(sizeof sizes / sizeof sizes[0])

static void matmul_matches_reference_on_sizes_around_the_tile(void **state) {
    (void)state;
    static const int ks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33};
    for (int mi = 0; mi < NSIZES; mi++)
        for (int ni = 0; ni < NSIZES; ni++)
            for (int ki = 0; ki < 12; ki++)
                for (int t = 0; t < 4; t++) {
                    cw_matmul_args g = make_args(1, sizes[mi], sizes[ni], ks[ki], t & 1, t >> 1,
                                                 (uint32_t)(mi * 1000 + ni * 10 + ki));
                    check_matmul(g, "sweep");
                    free_args(&g);
                }
}

static void matmul_handles_k_larger_than_the_cache_block(void **state) {
    (void)state;
    /* {3, 20, 4500}: M <= MR with B packed (transposed B) runs K in blocks
     * of 16 KC = 4096, so this one takes two. */
    static const int shapes[][3] = {{5, 17, 300}, {33, 9, 600},  {1, 40, 257}, {70, 70, 513},
                                    {4, 8, 256},  {17, 3, 1000}, {3, 20, 4500}};
    for (int s = 0; s < 7; s++)
        for (int t = 0; t < 4; t++) {
            cw_matmul_args g = make_args(1, shapes[s][0], shapes[s][1], shapes[s][2], t & 1, t >> 1,
                                         100u + (uint32_t)s);
            check_matmul(g, "large K");
            free_args(&g);
        }
}

static void matmul_matches_reference_across_row_and_column_blocks(void **state) {
    (void)state;
    static const int shapes[][4] = {
        {1, 130, 600, 31}, {2, 67, 263, 20}, {3, 200, 9, 64}, {1, 256, 257, 300}, {5, 3, 513, 7}};
    for (int s = 0; s < 5; s++)
        for (int t = 0; t < 4; t++) {
            cw_matmul_args g = make_args(shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3],
                                         t & 1, t >> 1, 200u + (uint32_t)s);
            check_matmul(g, "blocks");
            free_args(&g);
        }
}

static void matmul_broadcasts_batches_with_a_and_b_index(void **state) {
    (void)state;
    /* 6 outputs from 2 A and 3 B matrices, as BatchMatMul [2,1] x [1,3]. */
    const int32_t ai[6] = {0, 0, 0, 1, 1, 1}, bi[6] = {0, 1, 2, 0, 1, 2};
    const int32_t one[6] = {0, 0, 0, 0, 0, 0};
    static const int shapes[][3] = {{3, 5, 7}, {1, 9, 16}, {20, 17, 33}, {40, 24, 8}};
    for (int s = 0; s < 4; s++)
        for (int t = 0; t < 4; t++) {
            cw_matmul_args g = make_args(6, shapes[s][0], shapes[s][1], shapes[s][2], t & 1, t >> 1,
                                         300u + (uint32_t)s);
            g.a_index = ai, g.b_index = bi, g.a_count = 2, g.b_count = 3;
            check_matmul(g, "broadcast a and b");
            g.a_index = NULL, g.b_index = one, g.a_count = 0, g.b_count = 0;
            check_matmul(g, "one shared B");
            g.a_index = one, g.b_index = NULL;
            check_matmul(g, "one shared A");
            free_args(&g);
        }
}

static void matmul_with_packed_b_equals_packing_internally(void **state) {
    (void)state;
    static const int shapes[][4] = {
        {2, 1, 9, 17}, {3, 5, 24, 300}, {2, 64, 33, 70}, {1, 40, 7, 3}, {2, 3, 8, 600}};
    for (int s = 0; s < 5; s++)
        for (int tb = 0; tb < 2; tb++) {
            cw_matmul_args g = make_args(shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3],
                                         s & 1, tb, 400u + (uint32_t)s);
            const int K = g.K, N = g.N;
            size_t per = cw_gemm_packed_b_floats(K, N);
            assert_int_equal(per, (size_t)((N + CW_GEMM_NR - 1) / CW_GEMM_NR) * CW_GEMM_NR * K);
            float *packed = malloc(per * g.batch * sizeof(float));
            for (int b = 0; b < g.batch; b++)
                cw_gemm_pack_b(K, N, g.B + (size_t)b * K * N, tb, packed + b * per);
            size_t n = (size_t)g.batch * g.M * N;
            float *c1 = malloc(n * sizeof(float)), *c2 = malloc(n * sizeof(float));
            g.C = c1;
            assert_int_equal(cw_matmul_f32(&g), CW_OK);
            g.C = c2;
            g.packed_b = packed;
            const float *raw = g.B;
            g.B = NULL;
            assert_int_equal(cw_matmul_f32(&g), CW_OK);
            assert_memory_equal(c1, c2, n * sizeof(float));
            g.B = raw;
            check_matmul(g, "packed_b");
            free(packed);
            free(c1);
            free(c2);
            free_args(&g);
        }
}

static void pack_b_writes_zero_padded_panels(void **state) {
    (void)state;
    const int K = 3, N = 11;
    float B[33], Bt[33];
    for (int k = 0; k < K; k++)
        for (int n = 0; n < N; n++) B[k * N + n] = Bt[n * K + k] = (float)(k * 100 + n);
    size_t per = cw_gemm_packed_b_floats(K, N);
    assert_int_equal(per, 2 * 8 * 3);
    float p1[48], p2[48];
    cw_gemm_pack_b(K, N, B, 0, p1);
    cw_gemm_pack_b(K, N, Bt, 1, p2);
    assert_memory_equal(p1, p2, sizeof p1);
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < K; k++)
            for (int j = 0; j < 8; j++) {
                int n = p * 8 + j;
                float want = n < N ? (float)(k * 100 + n) : 0.0f;
                assert_true(p1[p * K * 8 + k * 8 + j] == want);
            }
    assert_int_equal(cw_gemm_packed_b_floats(0, 5), 0);
    assert_int_equal(cw_gemm_packed_b_floats(5, -1), 0);
}

static void matmul_applies_every_epilogue(void **state) {
    (void)state;
    static const int shapes[][3] = {{1, 1, 1},    {5, 13, 7}, {4, 8, 0},
                                    {9, 17, 300}, {33, 3, 4}, {70, 300, 5}};
    for (int s = 0; s < 6; s++)
        for (int act = CW_ACT_LINEAR; act <= CW_ACT_SIGMOID; act++)
            for (int bl = 0; bl < 3; bl++)
                for (int pl = 0; pl < 2; pl++) {
                    if (pl && act != CW_ACT_PRELU) continue;
                    cw_matmul_args g = make_args(2, shapes[s][0], shapes[s][1], shapes[s][2], s & 1,
                                                 (s >> 1) & 1, 500u + (uint32_t)s);
                    const int N = g.N;
                    float *bias = malloc((N + 1) * sizeof(float));
                    float *w = malloc((N + 1) * sizeof(float));
                    /* a large bias spreads values over relu6's range */
                    test_fill(bias, N, 77, -4.0f, 8.0f);
                    test_fill(w, N, 78, 0.0f, 1.0f);
                    g.ep.bias = bl ? bias : NULL;
                    g.ep.bias_len = bl == 0 ? 0 : (bl == 1 ? 1 : N);
                    g.ep.act = (cw_act)act;
                    g.ep.alpha = 0.3f;
                    if (act == CW_ACT_PRELU) {
                        g.ep.prelu = w;
                        g.ep.prelu_len = pl ? N : 1;
                    }
                    check_matmul(g, "epilogue");
                    free(bias);
                    free(w);
                    free_args(&g);
                }
}

static void matmul_k0_gives_activation_of_bias(void **state) {
    (void)state;
    float bias[5] = {-1.0f, 0.5f, 7.0f, -0.25f, 2.0f}, C[15];
    cw_matmul_args g;
    memset(&g, 0, sizeof g);
    g.batch = 1, g.M = 3, g.N = 5, g.K = 0, g.C = C;
    g.ep.bias = bias, g.ep.bias_len = 5, g.ep.act = CW_ACT_RELU6;
    assert_int_equal(cw_matmul_f32(&g), CW_OK);
    for (int m = 0; m < 3; m++)
        for (int n = 0; n < 5; n++) {
            float b = bias[n];
            assert_true(C[m * 5 + n] == (b < 0 ? 0.0f : (b > 6 ? 6.0f : b)));
        }
    g.ep.bias_len = 0, g.ep.act = CW_ACT_SIGMOID;
    assert_int_equal(cw_matmul_f32(&g), CW_OK);
    for (int i = 0; i < 15; i++) assert_true(C[i] == 0.5f);
}

static void matmul_relu_propagates_nan(void **state) {
    (void)state;
    float A[4] = {NAN, 1, -1, 1}, B[2] = {1, 1}, C[4];
    cw_matmul_args g;
    memset(&g, 0, sizeof g);
    g.batch = 1, g.M = 2, g.N = 1, g.K = 2, g.A = A, g.B = B, g.C = C;
    for (int act = CW_ACT_RELU; act <= CW_ACT_RELU6; act++) {
        g.ep.act = (cw_act)act;
        assert_int_equal(cw_matmul_f32(&g), CW_OK);
        assert_true(isnan(C[0]));
        assert_true(C[1] == 0.0f);
    }
}

static void expect_invalid(const cw_matmul_args *g, const char *needle) {
    cw_error(CW_OK, "%s", "");
    assert_int_equal(cw_matmul_f32(g), CW_ERR_INVALID);
    const char *msg = cw_error_message();
    if (!strstr(msg, "matmul") || !strstr(msg, needle))
        fail_msg("message \"%s\" does not mention \"%s\"", msg, needle);
}

static void matmul_rejects_bad_arguments(void **state) {
    (void)state;
    float A[6] = {0}, B[6] = {0}, C[9], bias[3] = {0};
    const int32_t bad_index[2] = {0, 2}, neg_index[2] = {-1, 0};
    cw_matmul_args ok;
    memset(&ok, 0, sizeof ok);
    ok.batch = 1, ok.M = 3, ok.N = 3, ok.K = 2, ok.A = A, ok.B = B, ok.C = C;
    assert_int_equal(cw_matmul_f32(&ok), CW_OK);
    cw_matmul_args g;
    assert_int_equal(cw_matmul_f32(NULL), CW_ERR_INVALID);
    g = ok, g.M = -1;
    expect_invalid(&g, "negative");
    g = ok, g.K = -3;
    expect_invalid(&g, "negative");
    g = ok, g.batch = -1;
    expect_invalid(&g, "negative");
    g = ok, g.ep.bias = bias, g.ep.bias_len = 2;
    expect_invalid(&g, "bias length");
    g = ok, g.ep.bias_len = 3;
    expect_invalid(&g, "bias is NULL");
    g = ok, g.ep.act = (cw_act)42;
    expect_invalid(&g, "activation");
    g = ok, g.ep.act = CW_ACT_PRELU;
    expect_invalid(&g, "prelu");
    g = ok, g.ep.act = CW_ACT_PRELU, g.ep.prelu_len = 3;
    expect_invalid(&g, "prelu");
    g = ok, g.A = NULL;
    expect_invalid(&g, "A is NULL");
    g = ok, g.B = NULL;
    expect_invalid(&g, "B and packed_b");
    g = ok, g.C = NULL;
    expect_invalid(&g, "C is NULL");
    g = ok, g.batch = 2, g.a_index = bad_index;
    expect_invalid(&g, "a_index[1]");
    g = ok, g.batch = 2, g.b_index = neg_index;
    expect_invalid(&g, "b_index[0]");
    g = ok, g.batch = 2, g.b_index = bad_index, g.b_count = 2;
    expect_invalid(&g, "b_index[1]");
    /* sizes whose byte counts overflow size_t even on 64-bit hosts */
    g = ok, g.batch = 4, g.M = INT32_MAX, g.N = INT32_MAX;
    expect_invalid(&g, "overflows");
    g = ok, g.batch = 4, g.K = INT32_MAX, g.N = INT32_MAX;
    expect_invalid(&g, "overflows");
    /* empty outputs are fine, even with nothing to read or write */
    g = ok, g.M = 0, g.A = NULL, g.B = NULL, g.C = NULL;
    assert_int_equal(cw_matmul_f32(&g), CW_OK);
    g = ok, g.batch = 0, g.C = NULL;
    assert_int_equal(cw_matmul_f32(&g), CW_OK);
}

/* The thread test's cases (test_threads.h): shapes that split into many
 * tasks, one with transposed A. */
static const int thread_shapes[][4] = {{1, 130, 270, 600}, {3, 17, 33, 300}, {1, 4, 1000, 64}};

static size_t thread_case(int s, float *out, int check) {
    cw_matmul_args g = make_args(thread_shapes[s][0], thread_shapes[s][1], thread_shapes[s][2],
                                 thread_shapes[s][3], s & 1, 0, 600u + (uint32_t)s);
    const size_t n = (size_t)g.batch * g.M * g.N;
    if (out) {
        g.C = out;
        assert_int_equal(cw_matmul_f32(&g), CW_OK);
        if (check) check_matmul(g, "threads");
    }
    free_args(&g);
    return n;
}

static test_threads threads = {thread_case, 3, {NULL}};
TEST_THREADS_GROUP(threads)

static void matmul_is_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    test_threads_compare(&threads);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pack_b_writes_zero_padded_panels),
        cmocka_unit_test(matmul_matches_reference_on_sizes_around_the_tile),
        cmocka_unit_test(matmul_handles_k_larger_than_the_cache_block),
        cmocka_unit_test(matmul_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(matmul_matches_reference_across_row_and_column_blocks),
        cmocka_unit_test(matmul_broadcasts_batches_with_a_and_b_index),
        cmocka_unit_test(matmul_with_packed_b_equals_packing_internally),
        cmocka_unit_test(matmul_applies_every_epilogue),
        cmocka_unit_test(matmul_k0_gives_activation_of_bias),
        cmocka_unit_test(matmul_relu_propagates_nan),
        cmocka_unit_test(matmul_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
