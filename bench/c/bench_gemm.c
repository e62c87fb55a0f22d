/* GEMM throughput: GFLOPS of cw_matmul_f32 on square sizes, B packed inside
 * the call and B packed ahead of time, checked once against a naive loop.
 * Usage: bench_gemm [threads] [calls]   (also builds with emcc for node).
 * With `calls`: no warm-up and no timing, every configuration up to 256^3
 * runs exactly `calls` times (fixed work for instruction counts:
 * `valgrind --tool=callgrind bench_gemm 1 2`).
 *
 * Each figure is the median over the timed calls of the process CPU time per
 * call (a shared, busy machine preempts long calls, so the best wall time of
 * a 100 ms call says little); with threads > 1 the CPU time sums the threads,
 * so the best wall time is reported instead. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cw.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
/* Node: process CPU time in seconds. */
EM_JS(double, cpu_s, (void), {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1e-6;
});
#else
static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
#endif

static int g_threads = 1;
static int g_calls = 0; /* > 0: fixed number of untimed calls */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static float *rand_matrix(size_t n, unsigned seed) {
    float *p = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)((seed >> 8) & 0xFFFF) / 65536.0f - 0.5f;
    }
    return p;
}

/* Times `reps` calls after one warm-up; returns GFLOPS of the median CPU
 * time per call (single thread) or of the best wall time (threads). */
static double time_matmul(cw_matmul_args *g, int reps) {
    double best = 1e30, cpu[64];
    if (reps > 64) reps = 64;
    if (cw_matmul_f32(g) != CW_OK) {
        fprintf(stderr, "matmul failed: %s\n", cw_error_message());
        exit(1);
    }
    if (g_calls) {
        for (int r = 1; r < g_calls; r++) cw_matmul_f32(g);
        return 0;
    }
    for (int r = 0; r < reps; r++) {
        double c0 = cpu_s(), t0 = now_s();
        cw_matmul_f32(g);
        double t = now_s() - t0;
        cpu[r] = cpu_s() - c0;
        if (t < best) best = t;
    }
    qsort(cpu, (size_t)reps, sizeof cpu[0], cmp_double);
    double med = reps % 2 ? cpu[reps / 2] : 0.5 * (cpu[reps / 2 - 1] + cpu[reps / 2]);
    double t = g_threads > 1 || med <= 0 ? best : med;
    return 2.0 * g->M * g->N * (double)g->K / t * 1e-9;
}

static int check_naive(const cw_matmul_args *g) {
    double worst = 0;
    for (int m = 0; m < g->M; m++)
        for (int n = 0; n < g->N; n++) {
            double s = 0;
            for (int k = 0; k < g->K; k++) s += (double)g->A[m * g->K + k] * g->B[k * g->N + n];
            double e = fabs(s - g->C[m * g->N + n]);
            if (e > worst) worst = e;
        }
    printf("  check vs naive loop (M=N=K=%d): max abs error %.3g %s\n", g->M, worst,
           worst < 1e-3 ? "ok" : "FAIL");
    return worst < 1e-3;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads > 1) threads = cw_threads_init(threads);
    g_threads = threads;
    g_calls = argc > 2 ? atoi(argv[2]) : 0;
    printf("cw gemm bench: vec=%s threads=%d (%s)\n", CW_VEC_NAME, threads,
           threads > 1 ? "best wall time" : "median CPU time per call");
    if (!g_calls) { /* warm up (and let a JIT tier up) before timing anything */
        cw_matmul_args w;
        memset(&w, 0, sizeof w);
        w.batch = 1, w.M = w.N = w.K = 128;
        w.A = rand_matrix(128 * 128, 1);
        w.B = rand_matrix(128 * 128, 2);
        w.C = malloc(128 * 128 * sizeof(float));
        for (double t0 = now_s(); now_s() - t0 < 0.5;) cw_matmul_f32(&w);
        free((void *)w.A);
        free((void *)w.B);
        free(w.C);
    }
    static const int sizes[] = {64, 256, 1024};
    int ok = 1;
    for (int s = 0; s < (g_calls ? 2 : 3); s++) {
        const int n = sizes[s];
        const int reps = n <= 256 ? 50 : 9;
        cw_matmul_args g;
        memset(&g, 0, sizeof g);
        g.batch = 1, g.M = n, g.N = n, g.K = n;
        g.A = rand_matrix((size_t)n * n, 1);
        g.B = rand_matrix((size_t)n * n, 2);
        g.C = malloc((size_t)n * n * sizeof(float));
        double packing = time_matmul(&g, reps);
        float *packed = malloc(cw_gemm_packed_b_floats(n, n) * sizeof(float));
        double pack_s[64] = {0};
        for (int r = 0; r < (g_calls ? 1 : reps); r++) {
            double c0 = cpu_s();
            cw_gemm_pack_b(n, n, g.B, 0, packed);
            pack_s[r] = cpu_s() - c0;
        }
        qsort(pack_s, (size_t)reps, sizeof pack_s[0], cmp_double);
        g.packed_b = packed;
        double prepacked = time_matmul(&g, reps);
        g.ep.act = CW_ACT_RELU;
        double relu = time_matmul(&g, reps);
        g.ep.act = CW_ACT_LINEAR;
        cw_matmul_f32(&g);
        printf("%4d^3: %6.2f GFLOPS (packs B)  %6.2f GFLOPS (B prepacked)  %6.2f (+relu)  "
               "pack B %.3f ms\n",
               n, packing, prepacked, relu, 1e3 * pack_s[reps / 2]);
        if (n == 256) ok &= check_naive(&g);
        free(packed);
        free((void *)g.A);
        free((void *)g.B);
        free(g.C);
    }
    /* matrix-vector and thin shapes (dense layers at batch 1..16) */
    static const int thin[][3] = {
        {1, 1024, 1024}, {4, 1024, 1024}, {16, 1024, 1024}, {64, 1024, 1024}};
    for (int s = 0; s < 4; s++) {
        cw_matmul_args g;
        memset(&g, 0, sizeof g);
        g.batch = 1, g.M = thin[s][0], g.N = thin[s][1], g.K = thin[s][2];
        g.A = rand_matrix((size_t)g.M * g.K, 1);
        g.B = rand_matrix((size_t)g.K * g.N, 2);
        g.C = malloc((size_t)g.M * g.N * sizeof(float));
        double raw = time_matmul(&g, 20);
        float *packed = malloc(cw_gemm_packed_b_floats(g.K, g.N) * sizeof(float));
        cw_gemm_pack_b(g.K, g.N, g.B, 0, packed);
        g.packed_b = packed;
        double pre = time_matmul(&g, 20);
        printf("M=%-3d N=K=1024: %6.2f GFLOPS (B unpacked)  %6.2f GFLOPS (B prepacked)\n", g.M, raw,
               pre);
        free(packed);
        free((void *)g.A);
        free((void *)g.B);
        free(g.C);
    }
    return ok ? 0 : 1;
}
