/* Depthwise convolution gradients: against reference loops in double,
 * against finite differences of the forward depthwise convolution, across
 * thread counts, and on bad arguments. */
#include "test_util.h"

#include "cw.h"
#include "test_threads.h"

enum { PAD_SAME = 0, PAD_VALID = 1, PAD_EXPLICIT = 2 }; /* test_out_and_pad modes */

static cw_depthwise_grad_args problem(int batch, int h, int w, int c, int fh, int fw, int mult,
                                      int s, int dil, int mode) {
    cw_depthwise_grad_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.in_h = h, g.in_w = w, g.in_c = c;
    g.filter_h = fh, g.filter_w = fw, g.multiplier = mult;
    g.stride_h = g.stride_w = s, g.dilation_h = g.dilation_w = dil;
    test_out_and_pad(h, fh, s, dil, mode, &g.out_h, &g.pad_top);
    test_out_and_pad(w, fw, s, dil, mode, &g.out_w, &g.pad_left);
    return g;
}

static size_t x_n(const cw_depthwise_grad_args *g) {
    return (size_t)g->batch * g->in_h * g->in_w * g->in_c;
}
static size_t y_n(const cw_depthwise_grad_args *g) {
    return (size_t)g->batch * g->out_h * g->out_w * g->in_c * g->multiplier;
}
static size_t w_n(const cw_depthwise_grad_args *g) {
    return (size_t)g->filter_h * g->filter_w * g->in_c * g->multiplier;
}

/* Both gradients by the definition (a scatter over every output), in double. */
static void reference(const cw_depthwise_grad_args *g, double *dx, double *dw) {
    memset(dx, 0, (x_n(g) + 1) * sizeof(double));
    memset(dw, 0, (w_n(g) + 1) * sizeof(double));
    const int C = g->in_c, M = g->multiplier;
    for (int b = 0; b < g->batch; b++)
        for (int oy = 0; oy < g->out_h; oy++)
            for (int ox = 0; ox < g->out_w; ox++)
                for (int ky = 0; ky < g->filter_h; ky++)
                    for (int kx = 0; kx < g->filter_w; kx++) {
                        const int iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                        const int ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
                        for (int c = 0; c < C; c++)
                            for (int m = 0; m < M; m++) {
                                const size_t yi =
                                    (((size_t)b * g->out_h + oy) * g->out_w + ox) * C * M + c * M +
                                    m;
                                const size_t xi =
                                    (((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c;
                                const size_t wi = (((size_t)ky * g->filter_w + kx) * C + c) * M + m;
                                dx[xi] += (double)g->dy[yi] * g->filter[wi];
                                dw[wi] += (double)g->dy[yi] * g->x[xi];
                            }
                    }
}

static void compare(const float *got, const double *want, size_t n, double scale, const char *what,
                    const cw_depthwise_grad_args *g) {
    for (size_t i = 0; i < n; i++)
        if (!(fabs(got[i] - want[i]) <= 1e-5 * scale + 1e-5 * fabs(want[i])))
            fail_msg("%s: x %dx%dx%dx%d filter %dx%dx%d stride %d dil %d pad %d,%d: [%zu] = %.9g, "
                     "expected %.9g",
                     what, g->batch, g->in_h, g->in_w, g->in_c, g->filter_h, g->filter_w,
                     g->multiplier, g->stride_h, g->dilation_h, g->pad_top, g->pad_left, i,
                     (double)got[i], want[i]);
}

/* Runs both kernels on fresh data, checks them, returns dx and dw (caller frees). */
static void check_one(cw_depthwise_grad_args g, uint32_t seed, float **dx_out, float **dw_out) {
    const size_t nx = x_n(&g), ny = y_n(&g), nw = w_n(&g);
    float *x = malloc((nx + 1) * sizeof(float)), *dy = malloc((ny + 1) * sizeof(float));
    float *w = malloc((nw + 1) * sizeof(float));
    float *dx = malloc((nx + 1) * sizeof(float)), *dw = malloc((nw + 1) * sizeof(float));
    test_fill(x, nx, seed, -1.0f, 1.0f);
    test_fill(dy, ny, seed + 1, -1.0f, 1.0f);
    test_fill(w, nw, seed + 2, -1.0f, 1.0f);
    for (size_t i = 0; i < nx; i++) dx[i] = NAN;
    for (size_t i = 0; i < nw; i++) dw[i] = NAN;
    g.x = x, g.dy = dy, g.filter = w, g.dx = dx, g.dw = dw;
    assert_int_equal(cw_depthwise_backprop_input_f32(&g), CW_OK);
    assert_int_equal(cw_depthwise_backprop_filter_f32(&g), CW_OK);
    double *rdx = malloc((nx + 1) * sizeof(double)), *rdw = malloc((nw + 1) * sizeof(double));
    reference(&g, rdx, rdw);
    compare(dx, rdx, nx, (double)g.filter_h * g.filter_w * g.multiplier, "dx", &g);
    compare(dw, rdw, nw, (double)g.batch * g.out_h * g.out_w, "dw", &g);
    free(x), free(dy), free(w), free(rdx), free(rdw);
    if (dx_out)
        *dx_out = dx;
    else
        free(dx);
    if (dw_out)
        *dw_out = dw;
    else
        free(dw);
}

static void test_depthwise_gradients_match_the_reference_for_every_geometry(void **state) {
    (void)state;
    const int sizes[][4] = {{1, 5, 5, 1}, {2, 7, 6, 3}, {1, 9, 4, 8}, {2, 6, 11, 13}, {1, 1, 1, 5}};
    const int filters[][3] = {{1, 1, 1}, {3, 3, 1}, {3, 3, 2}, {2, 4, 3}, {5, 5, 1}};
    uint32_t seed = 1;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t fi = 0; fi < sizeof filters / sizeof filters[0]; fi++)
            for (int s = 1; s <= 2; s++)
                for (int dil = 1; dil <= 2; dil++)
                    for (int mode = 0; mode < 3; mode++) {
                        const int *z = sizes[si], *f = filters[fi];
                        check_one(problem(z[0], z[1], z[2], z[3], f[0], f[1], f[2], s, dil, mode),
                                  seed += 3, NULL, NULL);
                    }
}

/* sum(depthwise(x, w) * dy) in double through cw_depthwise_conv2d_f32. */
static double loss(const cw_depthwise_grad_args *g, const float *x, const float *w, float *y) {
    cw_depthwise_args f;
    memset(&f, 0, sizeof f);
    f.batch = g->batch, f.in_h = g->in_h, f.in_w = g->in_w, f.in_c = g->in_c;
    f.filter_h = g->filter_h, f.filter_w = g->filter_w, f.multiplier = g->multiplier;
    f.out_h = g->out_h, f.out_w = g->out_w, f.stride_h = g->stride_h, f.stride_w = g->stride_w;
    f.dilation_h = g->dilation_h, f.dilation_w = g->dilation_w;
    f.pad_top = g->pad_top, f.pad_left = g->pad_left;
    f.x = x, f.filter = w, f.y = y;
    assert_int_equal(cw_depthwise_conv2d_f32(&f), CW_OK);
    double s = 0;
    for (size_t i = 0; i < y_n(g); i++) s += (double)y[i] * g->dy[i];
    return s;
}

static void fd_check(float *v, size_t n, const float *grad, const char *what,
                     const cw_depthwise_grad_args *g, const float *x, const float *w, float *y) {
    const float eps = 0.05f;
    for (size_t i = 0; i < n; i++) {
        const float keep = v[i];
        v[i] = keep + eps;
        const double up = loss(g, x, w, y);
        v[i] = keep - eps;
        const double down = loss(g, x, w, y);
        v[i] = keep;
        const double numeric = (up - down) / (2.0 * eps);
        if (!(fabs(numeric - grad[i]) <= 1e-3 * fabs(numeric) + 2e-4))
            fail_msg("%s[%zu] = %.7g, finite difference %.7g", what, i, (double)grad[i], numeric);
    }
}

static void test_depthwise_gradients_equal_finite_differences_of_the_forward(void **state) {
    (void)state;
    const cw_depthwise_grad_args cases[] = {
        problem(2, 6, 7, 3, 3, 3, 1, 1, 1, PAD_SAME),
        problem(1, 9, 8, 4, 3, 3, 1, 2, 1, PAD_SAME),
        problem(1, 7, 7, 2, 3, 2, 2, 1, 2, PAD_EXPLICIT),
        problem(2, 5, 6, 5, 2, 2, 3, 2, 1, PAD_VALID),
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        cw_depthwise_grad_args g = cases[t];
        const size_t nx = x_n(&g), ny = y_n(&g), nw = w_n(&g);
        float *x = malloc(nx * sizeof(float)), *dy = malloc(ny * sizeof(float));
        float *w = malloc(nw * sizeof(float)), *dx = malloc(nx * sizeof(float));
        float *dw = malloc(nw * sizeof(float)), *y = malloc((ny + 1) * sizeof(float));
        test_fill(x, nx, 40 + (uint32_t)t, -1.0f, 1.0f);
        test_fill(dy, ny, 50 + (uint32_t)t, -1.0f, 1.0f);
        test_fill(w, nw, 60 + (uint32_t)t, -1.0f, 1.0f);
        g.x = x, g.dy = dy, g.filter = w, g.dx = dx, g.dw = dw;
        assert_int_equal(cw_depthwise_backprop_input_f32(&g), CW_OK);
        assert_int_equal(cw_depthwise_backprop_filter_f32(&g), CW_OK);
        fd_check(x, nx, dx, "dx", &g, x, w, y);
        fd_check(w, nw, dw, "dw", &g, x, w, y);
        free(x), free(dy), free(w), free(dx), free(dw), free(y);
    }
}

/* The thread test's case (test_threads.h): dx then dw of one problem. */
static size_t thread_case(int i, float *out, int check) {
    (void)i, (void)check; /* check_one always compares with the reference */
    const cw_depthwise_grad_args g = problem(4, 30, 28, 130, 3, 3, 1, 2, 1, PAD_SAME);
    const size_t nx = x_n(&g), nw = w_n(&g);
    if (out) {
        float *dx, *dw;
        check_one(g, 9, &dx, &dw);
        memcpy(out, dx, nx * sizeof(float));
        memcpy(out + nx, dw, nw * sizeof(float));
        free(dx), free(dw);
    }
    return nx + nw;
}

static test_threads threads = {thread_case, 1, {NULL}};
TEST_THREADS_GROUP(threads)

static void test_depthwise_gradients_are_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    test_threads_compare(&threads);
}

static void test_bad_depthwise_gradient_arguments_are_errors_naming_the_kernel(void **state) {
    (void)state;
    float buf[64] = {0};
    cw_depthwise_grad_args g = problem(1, 4, 4, 1, 3, 3, 1, 1, 1, PAD_VALID);
    g.x = g.dy = g.filter = buf, g.dx = g.dw = buf;
    g.stride_w = 0;
    assert_int_equal(cw_depthwise_backprop_input_f32(&g), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "DepthwiseConv2dNativeBackpropInput"));
    g.stride_w = 1, g.multiplier = 0;
    assert_int_equal(cw_depthwise_backprop_filter_f32(&g), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "DepthwiseConv2dNativeBackpropFilter"));
    g.multiplier = 1, g.dw = NULL;
    assert_int_equal(cw_depthwise_backprop_filter_f32(&g), CW_ERR_INVALID);
    g.dx = NULL;
    assert_int_equal(cw_depthwise_backprop_input_f32(&g), CW_ERR_INVALID);
    assert_int_equal(cw_depthwise_backprop_input_f32(NULL), CW_ERR_INVALID);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depthwise_gradients_match_the_reference_for_every_geometry),
        cmocka_unit_test(test_depthwise_gradients_equal_finite_differences_of_the_forward),
        cmocka_unit_test(test_depthwise_gradients_are_bit_identical_for_any_thread_count),
        cmocka_unit_test(test_bad_depthwise_gradient_arguments_are_errors_naming_the_kernel),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
