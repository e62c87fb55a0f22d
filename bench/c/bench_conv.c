/* Convolution throughput: milliseconds per call of cw_conv2d_f32, the
 * depthwise convolution and the two Conv2D gradients on layer shapes of
 * small vision models (MobileNet-like, NHWC, batch 1).
 * Usage: bench_conv [threads] [calls]
 *
 * Without `calls`: each case warms up, then reports the median process CPU
 * time per call (the best wall time with threads > 1, as bench_gemm.c).
 * With `calls`: no warm-up and no timing, each case runs exactly `calls`
 * times and the program prints a checksum of the outputs: fixed work, so
 * `valgrind --tool=callgrind bench_conv 1 2` counts the same instructions on
 * every run and two builds can be compared without timing noise. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cw.h"

typedef enum { CONV, DEPTHWISE, BACKPROP_INPUT, BACKPROP_FILTER } op_kind;

typedef struct {
    const char *name;
    op_kind op;
    int hw, in_c, out_c, k, stride; /* square input and filter, SAME padding */
    cw_act act;
} bench_case;

static const bench_case cases[] = {
    {"conv 3x3/2  224x224x3 -> 16 relu6", CONV, 224, 3, 16, 3, 2, CW_ACT_RELU6},
    {"conv 3x3/1   28x28x32 -> 64 relu", CONV, 28, 32, 64, 3, 1, CW_ACT_RELU},
    {"conv 1x1/1   14x14x128 -> 128", CONV, 14, 128, 128, 1, 1, CW_ACT_LINEAR},
    {"conv 1x1/1    7x7x256 -> 21 (odd N)", CONV, 7, 256, 21, 1, 1, CW_ACT_LINEAR},
    {"depthwise 3x3/1 56x56x64 relu6", DEPTHWISE, 56, 64, 64, 3, 1, CW_ACT_RELU6},
    {"conv dx 3x3/2 28x28x32 <- 64", BACKPROP_INPUT, 28, 32, 64, 3, 2, CW_ACT_LINEAR},
    {"conv dw 3x3/1 28x28x32 -> 64", BACKPROP_FILTER, 28, 32, 64, 3, 1, CW_ACT_LINEAR},
};

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static float *rand_floats(size_t n, unsigned seed) {
    float *p = malloc((n ? n : 1) * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)((seed >> 8) & 0xFFFF) / 65536.0f - 0.5f;
    }
    return p;
}

/* Buffers and arguments of one case. */
typedef struct {
    const bench_case *c;
    int out_hw, pad;
    float *x, *w, *bias, *y;
    size_t y_n;
} bench_run;

static void setup(bench_run *r, const bench_case *c) {
    memset(r, 0, sizeof *r);
    r->c = c;
    r->out_hw = (c->hw + c->stride - 1) / c->stride;
    const int total_pad = (r->out_hw - 1) * c->stride + c->k - c->hw;
    r->pad = total_pad > 0 ? total_pad / 2 : 0;
    const size_t in = (size_t)c->hw * c->hw * c->in_c, out = (size_t)r->out_hw * r->out_hw;
    const size_t taps = (size_t)c->k * c->k;
    r->w = rand_floats(taps * c->in_c * (c->op == DEPTHWISE ? 1 : c->out_c), 2);
    r->bias = rand_floats((size_t)c->out_c, 3);
    switch (c->op) {
    case CONV:
    case DEPTHWISE:
        r->x = rand_floats(in, 1), r->y_n = out * c->out_c;
        break;
    case BACKPROP_INPUT: /* x: dy, y: dx */
        r->x = rand_floats(out * c->out_c, 1), r->y_n = in;
        break;
    case BACKPROP_FILTER: /* x: x, w: dy, y: dw */
        free(r->w);
        r->x = rand_floats(in, 1), r->w = rand_floats(out * c->out_c, 2);
        r->y_n = taps * c->in_c * c->out_c;
        break;
    }
    r->y = malloc(r->y_n * sizeof(float));
}

/* The 2-D geometry of a case, as designated initializers of any of the
 * 2-D argument structs (they share these field names). */
#define GEOMETRY_2D                                                                                \
    .batch = 1, .in_h = c->hw, .in_w = c->hw, .in_c = c->in_c, .out_h = o, .out_w = o,             \
    .filter_h = c->k, .filter_w = c->k, .stride_h = c->stride, .stride_w = c->stride,              \
    .dilation_h = 1, .dilation_w = 1, .pad_top = r->pad, .pad_left = r->pad

static cw_status run_once(const bench_run *r) {
    const bench_case *c = r->c;
    const int o = r->out_hw;
    const cw_epilogue ep = {.act = c->act, .bias = r->bias, .bias_len = c->out_c};
    switch (c->op) {
    case CONV: {
        const cw_conv2d_args a = {GEOMETRY_2D,    .out_c = c->out_c, .x = r->x,
                                  .filter = r->w, .y = r->y,         .ep = ep};
        return cw_conv2d_f32(&a);
    }
    case DEPTHWISE: {
        const cw_depthwise_args a = {GEOMETRY_2D,    .multiplier = 1, .x = r->x,
                                     .filter = r->w, .y = r->y,       .ep = ep};
        return cw_depthwise_conv2d_f32(&a);
    }
    case BACKPROP_INPUT: {
        const cw_conv2d_backprop_input_args a = {GEOMETRY_2D, .out_c = c->out_c, .dy = r->x,
                                                 .filter = r->w, .dx = r->y};
        return cw_conv2d_backprop_input_f32(&a);
    }
    case BACKPROP_FILTER: {
        cw_conv3d_backprop_filter_args a;
        memset(&a, 0, sizeof a);
        a.batch = 1, a.in_d = 1, a.in_h = a.in_w = c->hw, a.in_c = c->in_c;
        a.out_d = 1, a.out_h = a.out_w = o, a.out_c = c->out_c;
        a.filter_d = 1, a.filter_h = a.filter_w = c->k;
        a.stride_d = 1, a.stride_h = a.stride_w = c->stride;
        a.dilation_d = a.dilation_h = a.dilation_w = 1;
        a.pad_top = a.pad_left = r->pad;
        a.x = r->x, a.dy = r->w, a.dw = r->y;
        return cw_conv2d_backprop_filter_f32(&a);
    }
    }
    return CW_ERR_INVALID;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    const int calls = argc > 2 ? atoi(argv[2]) : 0;
    if (threads > 1) threads = cw_threads_init(threads);
    printf("cw conv bench: vec=%s threads=%d (%s)\n", CW_VEC_NAME, threads,
           calls         ? "fixed calls, untimed"
           : threads > 1 ? "best wall time"
                         : "median CPU time per call");
    double checksum = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bench_run r;
        setup(&r, &cases[i]);
        if (run_once(&r) != CW_OK) {
            fprintf(stderr, "%s failed: %s\n", cases[i].name, cw_error_message());
            return 1;
        }
        if (calls) {
            for (int n = 1; n < calls; n++) run_once(&r);
            double s = 0;
            for (size_t e = 0; e < r.y_n; e++) s += r.y[e];
            checksum += s;
            printf("%-40s sum %.6g\n", cases[i].name, s);
        } else {
            for (double t0 = clock_s(CLOCK_MONOTONIC); clock_s(CLOCK_MONOTONIC) - t0 < 0.2;)
                run_once(&r);
            double cpu[31], best = 1e30;
            for (int n = 0; n < 31; n++) {
                const double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
                run_once(&r);
                const double t = clock_s(CLOCK_MONOTONIC) - t0;
                cpu[n] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
                if (t < best) best = t;
            }
            qsort(cpu, 31, sizeof cpu[0], cmp_double);
            printf("%-40s %8.3f ms\n", cases[i].name, 1e3 * (threads > 1 ? best : cpu[15]));
        }
        free(r.x), free(r.w), free(r.bias), free(r.y);
    }
    if (calls) printf("checksum %.9g\n", checksum);
    return 0;
}
