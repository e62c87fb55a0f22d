/* Pooling gradients (MaxPoolGrad, AvgPoolGrad and the 3-D forms): bit for bit
 * against a plain scatter loop in double, against finite differences of the
 * forward pool, across thread counts, and on bad arguments. */
#include "test_util.h"

#include "cw.h"

enum { PAD_SAME = 0, PAD_VALID = 1, PAD_EXPLICIT = 2 }; /* padding modes */

static void out_and_pad(int in, int k, int stride, int mode, int *out, int *before, int *after) {
    if (mode == PAD_SAME) {
        *out = (in + stride - 1) / stride;
        const int total = (*out - 1) * stride + k - in;
        *before = total > 0 ? total / 2 : 0;
        *after = total > 0 ? total - *before : 0;
    } else if (mode == PAD_VALID) {
        *out = in >= k ? (in - k) / stride + 1 : 0;
        *before = *after = 0;
    } else { /* explicit: 1 before, 1 after */
        *before = *after = 1;
        *out = in + 2 >= k ? (in + 2 - k) / stride + 1 : 0;
    }
}

/* A geometry: input [batch, d, h, w, c], window fd x fh x fw, one stride and padding mode. */
static cw_pool_geom geom(int batch, int d, int h, int w, int c, int fd, int fh, int fw, int s,
                         int mode) {
    cw_pool_geom g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.channels = c;
    const int in[3] = {d, h, w}, f[3] = {fd, fh, fw};
    for (int i = 0; i < 3; i++) {
        g.in[i] = in[i], g.filter[i] = f[i], g.dilation[i] = 1;
        g.stride[i] = i == 0 && d == 1 && fd == 1 ? 1 : s;
        out_and_pad(in[i], f[i], g.stride[i], i == 0 && d == 1 && fd == 1 ? PAD_VALID : mode,
                    &g.out[i], &g.pad_before[i], &g.pad_after[i]);
    }
    return g;
}

static size_t in_n(const cw_pool_geom *g) {
    return (size_t)g->batch * g->in[0] * g->in[1] * g->in[2] * g->channels;
}
static size_t out_n(const cw_pool_geom *g) {
    return (size_t)g->batch * g->out[0] * g->out[1] * g->out[2] * g->channels;
}

/* The definition: every output in ascending order adds its dy to the input
 * its maximum came from (max) or to every valid tap (avg), in double. */
static void ref_grad(int is_max, const cw_pool_geom *g, const float *x, const float *dy,
                     float *dx) {
    /* tfjs-backend-cpu: 2-D keeps the first maximum (>), 3-D the last (>=) */
    const int last = !(g->in[0] == 1 && g->filter[0] == 1);
    const size_t n = in_n(g);
    double *acc = calloc(n + 1, sizeof(double));
    const int C = g->channels;
    size_t o = 0;
    for (int b = 0; b < g->batch; b++)
        for (int od = 0; od < g->out[0]; od++)
            for (int oh = 0; oh < g->out[1]; oh++)
                for (int ow = 0; ow < g->out[2]; ow++)
                    for (int c = 0; c < C; c++, o++) {
                        float best = -INFINITY;
                        long arg = -1;
                        for (int kd = 0; kd < g->filter[0]; kd++)
                            for (int kh = 0; kh < g->filter[1]; kh++)
                                for (int kw = 0; kw < g->filter[2]; kw++) {
                                    const int z = od * g->stride[0] - g->pad_before[0] + kd;
                                    const int y = oh * g->stride[1] - g->pad_before[1] + kh;
                                    const int xx = ow * g->stride[2] - g->pad_before[2] + kw;
                                    if (z < 0 || z >= g->in[0] || y < 0 || y >= g->in[1] ||
                                        xx < 0 || xx >= g->in[2])
                                        continue;
                                    const long i =
                                        ((((long)b * g->in[0] + z) * g->in[1] + y) * g->in[2] +
                                         xx) *
                                            C +
                                        c;
                                    if (!is_max)
                                        acc[i] += dy[o];
                                    else if (last ? x[i] >= best : x[i] > best)
                                        best = x[i], arg = i;
                                }
                        if (is_max && arg >= 0) acc[arg] += dy[o];
                    }
    const double scale = 1.0 / ((double)g->filter[0] * g->filter[1] * g->filter[2]);
    for (size_t i = 0; i < n; i++) dx[i] = (float)(is_max ? acc[i] : acc[i] * scale);
    free(acc);
}

static cw_pool_op op_of(int is_max, const cw_pool_geom *g) {
    const int is3d = !(g->in[0] == 1 && g->filter[0] == 1);
    return is_max ? (is3d ? CW_POOL_MAX_3D : CW_POOL_MAX_2D)
                  : (is3d ? CW_POOL_AVG_3D : CW_POOL_AVG_2D);
}

/* Runs the kernel on x (or fresh values) and compares bit for bit with the reference. */
static void check(int is_max, cw_pool_geom g, const float *x_in, uint32_t seed) {
    const size_t n = in_n(&g), m = out_n(&g);
    float *x = malloc((n + 1) * sizeof(float)), *dy = malloc((m + 1) * sizeof(float));
    if (x_in)
        memcpy(x, x_in, n * sizeof(float));
    else
        test_fill(x, n, seed, -1.0f, 1.0f);
    test_fill(dy, m, seed + 1, -1.0f, 1.0f);
    float *got = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    for (size_t i = 0; i < n; i++) got[i] = NAN;
    assert_int_equal(cw_pool_grad_f32(op_of(is_max, &g), &g, x, dy, got), CW_OK);
    ref_grad(is_max, &g, x, dy, want);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&got[i], &want[i], sizeof(float)))
            fail_msg("%s in %dx%dx%dx%dx%d window %dx%dx%d stride %d pad %d: dx[%zu] = %.9g, "
                     "expected %.9g",
                     is_max ? "max" : "avg", g.batch, g.in[0], g.in[1], g.in[2], g.channels,
                     g.filter[0], g.filter[1], g.filter[2], g.stride[1], g.pad_before[1], i,
                     (double)got[i], (double)want[i]);
    free(x), free(dy), free(got), free(want);
}

static void test_2d_pool_gradients_equal_the_definition_for_every_geometry(void **state) {
    (void)state;
    const int sizes[][4] = {{1, 5, 5, 1}, {2, 7, 6, 3}, {1, 9, 4, 5}, {2, 4, 11, 8}, {1, 1, 1, 17}};
    const int windows[][2] = {{1, 1}, {2, 2}, {3, 3}, {2, 4}, {5, 1}};
    uint32_t seed = 1;
    for (int is_max = 0; is_max <= 1; is_max++)
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
            for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++)
                for (int s = 1; s <= 3; s++)
                    for (int mode = 0; mode < 3; mode++) {
                        const int *z = sizes[si], *w = windows[wi];
                        if (mode == PAD_VALID && (w[0] > z[1] || w[1] > z[2])) continue;
                        check(is_max, geom(z[0], 1, z[1], z[2], z[3], 1, w[0], w[1], s, mode), NULL,
                              seed += 5);
                    }
}

static void test_3d_pool_gradients_equal_the_definition(void **state) {
    (void)state;
    uint32_t seed = 500;
    for (int is_max = 0; is_max <= 1; is_max++)
        for (int s = 1; s <= 2; s++)
            for (int mode = 0; mode < 3; mode++) {
                check(is_max, geom(2, 5, 4, 6, 3, 2, 3, 2, s, mode), NULL, seed += 3);
                check(is_max, geom(1, 3, 3, 3, 6, 3, 3, 3, s, mode), NULL, seed += 3);
            }
}

static void test_max_gradient_goes_to_the_first_maximum_and_skips_empty_windows(void **state) {
    (void)state;
    /* ties, an all-negative image, -inf and NaN windows, overlapping windows */
    const cw_pool_geom g = geom(1, 1, 4, 4, 2, 1, 3, 3, 1, PAD_SAME);
    float x[32];
    for (int i = 0; i < 32; i++) x[i] = 0.5f;
    check(1, g, x, 7); /* every tap ties: the first in window order wins */
    for (int i = 0; i < 32; i++) x[i] = -3.0f - (float)(i % 5);
    check(1, g, x, 8); /* all negative: padding is not a zero that could win */
    for (int i = 0; i < 32; i++) x[i] = (i % 3) ? -INFINITY : NAN;
    check(1, g, x, 9); /* no tap beats -inf: no gradient anywhere */
    const cw_pool_geom g3 = geom(1, 3, 4, 4, 2, 2, 2, 2, 1, PAD_SAME);
    float x3[96];
    for (int i = 0; i < 96; i++) x3[i] = (i % 4) ? 0.5f : -INFINITY;
    check(1, g3, x3, 10); /* 3-D: the last of the tied maxima wins */
    float *dx = malloc(32 * sizeof(float)), dy[32];
    test_fill(dy, 32, 3, -1.0f, 1.0f);
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, x, dy, dx), CW_OK);
    for (int i = 0; i < 32; i++) assert_true(dx[i] == 0.0f);
    free(dx);
}

/* sum(pool(x) * dy) in double through cw_pool_f32. */
static double loss(cw_pool_op fwd, const cw_pool_geom *g, const float *x, const float *dy,
                   float *y) {
    assert_int_equal(cw_pool_f32(fwd, g, x, y), CW_OK);
    double s = 0;
    for (size_t i = 0; i < out_n(g); i++) s += (double)y[i] * dy[i];
    return s;
}

static void test_pool_gradients_equal_finite_differences_of_the_forward_pool(void **state) {
    (void)state;
    /* max on distinct values 0.01 apart (a step of 0.002 moves no maximum);
     * avg with 'valid' windows, where every window is whole (tfjs divides the
     * gradient by the whole window's size, the forward by the valid taps) */
    const cw_pool_geom cases[] = {
        geom(2, 1, 6, 7, 3, 1, 3, 3, 2, PAD_SAME),
        geom(1, 1, 9, 8, 2, 1, 2, 2, 2, PAD_VALID),
        geom(1, 1, 7, 7, 2, 1, 3, 2, 1, PAD_VALID),
        geom(1, 4, 5, 5, 2, 2, 2, 2, 1, PAD_VALID),
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++)
        for (int is_max = 0; is_max <= 1; is_max++) {
            const cw_pool_geom *g = &cases[t];
            if (!is_max && g->pad_before[0] + g->pad_before[1] + g->pad_before[2] +
                                   g->pad_after[0] + g->pad_after[1] + g->pad_after[2] >
                               0)
                continue;
            const size_t n = in_n(g), m = out_n(g);
            float *x = malloc(n * sizeof(float)), *dy = malloc(m * sizeof(float));
            float *dx = malloc(n * sizeof(float)), *y = malloc((m + 1) * sizeof(float));
            uint32_t r = 11 + (uint32_t)t;
            for (size_t i = 0; i < n; i++) x[i] = 0.01f * (float)i;
            for (size_t i = n; i > 1; i--) { /* shuffle */
                r = r * 1664525u + 1013904223u;
                const size_t j = (r >> 8) % i;
                const float tmp = x[i - 1];
                x[i - 1] = x[j], x[j] = tmp;
            }
            test_fill(dy, m, 20 + (uint32_t)t, -1.0f, 1.0f);
            const cw_pool_op op = op_of(is_max, g);
            assert_int_equal(cw_pool_grad_f32(op, g, x, dy, dx), CW_OK);
            const float eps = 0.002f;
            for (size_t i = 0; i < n; i++) {
                const float keep = x[i];
                x[i] = keep + eps;
                const double up = loss(op, g, x, dy, y);
                x[i] = keep - eps;
                const double down = loss(op, g, x, dy, y);
                x[i] = keep;
                const double numeric = (up - down) / (2.0 * eps);
                if (!(fabs(numeric - dx[i]) <= 2e-3 * fabs(numeric) + 2e-3))
                    fail_msg("case %zu %s: dx[%zu] = %.7g, finite difference %.7g", t,
                             is_max ? "max" : "avg", i, (double)dx[i], numeric);
            }
            free(x), free(dy), free(dx), free(y);
        }
}

static void test_pool_gradients_are_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    const cw_pool_geom g = geom(4, 1, 40, 36, 24, 1, 3, 3, 2, PAD_SAME);
    const size_t n = in_n(&g), m = out_n(&g);
    float *x = malloc(n * sizeof(float)), *dy = malloc(m * sizeof(float));
    float *one = malloc(n * sizeof(float)), *four = malloc(n * sizeof(float));
    test_fill(x, n, 5, -1.0f, 1.0f);
    test_fill(dy, m, 6, -1.0f, 1.0f);
    for (int is_max = 0; is_max <= 1; is_max++) {
        /* the pool is created once: the first pass may still be single-threaded */
        assert_int_equal(cw_pool_grad_f32(op_of(is_max, &g), &g, x, dy, one), CW_OK);
        assert_true(cw_threads_init(4) >= 1);
        assert_int_equal(cw_pool_grad_f32(op_of(is_max, &g), &g, x, dy, four), CW_OK);
        assert_memory_equal(one, four, n * sizeof(float));
    }
    free(x), free(dy), free(one), free(four);
}

static void test_bad_pool_gradient_arguments_are_errors_naming_the_kernel(void **state) {
    (void)state;
    float buf[64] = {0};
    cw_pool_geom g = geom(1, 1, 4, 4, 1, 1, 2, 2, 2, PAD_VALID);
    g.stride[1] = 0;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, buf, buf, buf), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "MaxPoolGrad"));
    g.stride[1] = 2, g.filter[2] = 0;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_AVG_2D, &g, buf, buf, buf), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "AvgPoolGrad"));
    g.filter[2] = 2;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, NULL, buf, buf), CW_ERR_INVALID);
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, buf, buf, NULL), CW_ERR_INVALID);
    assert_int_equal(cw_pool_grad_f32((cw_pool_op)9, &g, buf, buf, buf), CW_ERR_INVALID);
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_3D, NULL, buf, buf, buf), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "MaxPool3DGrad"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2d_pool_gradients_equal_the_definition_for_every_geometry),
        cmocka_unit_test(test_3d_pool_gradients_equal_the_definition),
        cmocka_unit_test(test_max_gradient_goes_to_the_first_maximum_and_skips_empty_windows),
        cmocka_unit_test(test_pool_gradients_equal_finite_differences_of_the_forward_pool),
        cmocka_unit_test(test_pool_gradients_are_bit_identical_for_any_thread_count),
        cmocka_unit_test(test_bad_pool_gradient_arguments_are_errors_naming_the_kernel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
