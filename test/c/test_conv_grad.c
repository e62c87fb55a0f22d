/* Convolution filter gradients (Conv2DBackpropFilter, Conv3DBackpropFilterV2):
 * against a plain reference loop in double, against finite differences of
 * the forward convolution, across thread counts, and on bad arguments. */
#include "test_gemm_util.h"

#include "cw.h"
#include "test_threads.h"

enum { PAD_SAME = 0, PAD_VALID = 1, PAD_EXPLICIT = 2 }; /* test_out_and_pad modes */

static size_t x_floats(const cw_conv3d_backprop_filter_args *g) {
    return (size_t)g->batch * g->in_d * g->in_h * g->in_w * g->in_c;
}
static size_t dy_floats(const cw_conv3d_backprop_filter_args *g) {
    return (size_t)g->batch * g->out_d * g->out_h * g->out_w * g->out_c;
}
static size_t dw_floats(const cw_conv3d_backprop_filter_args *g) {
    return (size_t)g->filter_d * g->filter_h * g->filter_w * g->in_c * g->out_c;
}

/* The gradient by its definition, in double; scale[j] = sum of |terms|. */
static void ref_backprop_filter(const cw_conv3d_backprop_filter_args *g, double *dw,
                                double *scale) {
    const size_t n = dw_floats(g);
    for (size_t j = 0; j < n; j++) dw[j] = 0, scale[j] = 0;
    const int C = g->in_c, OC = g->out_c;
    for (int b = 0; b < g->batch; b++)
        for (int od = 0; od < g->out_d; od++)
            for (int oy = 0; oy < g->out_h; oy++)
                for (int ox = 0; ox < g->out_w; ox++) {
                    const float *d =
                        g->dy +
                        ((((size_t)b * g->out_d + od) * g->out_h + oy) * g->out_w + ox) * OC;
                    for (int kd = 0; kd < g->filter_d; kd++)
                        for (int ky = 0; ky < g->filter_h; ky++)
                            for (int kx = 0; kx < g->filter_w; kx++) {
                                const int id = od * g->stride_d - g->pad_front + kd * g->dilation_d;
                                const int iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                                const int ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                                if (id < 0 || id >= g->in_d || iy < 0 || iy >= g->in_h || ix < 0 ||
                                    ix >= g->in_w)
                                    continue;
                                const float *xv =
                                    g->x +
                                    ((((size_t)b * g->in_d + id) * g->in_h + iy) * g->in_w + ix) *
                                        C;
                                const size_t tap =
                                    ((size_t)kd * g->filter_h + ky) * g->filter_w + kx;
                                for (int c = 0; c < C; c++)
                                    for (int oc = 0; oc < OC; oc++) {
                                        const double t = (double)xv[c] * d[oc];
                                        dw[(tap * C + c) * OC + oc] += t;
                                        scale[(tap * C + c) * OC + oc] += fabs(t);
                                    }
                            }
                }
}

/* A problem: x [batch, d, h, w, c] with a filter and padding modes per axis. */
static cw_conv3d_backprop_filter_args problem(int batch, int d, int h, int w, int c, int oc, int fd,
                                              int fh, int fw, int s, int dil, int mode) {
    cw_conv3d_backprop_filter_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.in_d = d, g.in_h = h, g.in_w = w, g.in_c = c, g.out_c = oc;
    g.filter_d = fd, g.filter_h = fh, g.filter_w = fw;
    g.stride_d = d > 1 ? s : 1, g.stride_h = s, g.stride_w = s;
    g.dilation_d = d > 1 ? dil : 1, g.dilation_h = dil, g.dilation_w = dil;
    test_out_and_pad(d, fd, g.stride_d, g.dilation_d, d > 1 ? mode : PAD_VALID, &g.out_d,
                     &g.pad_front);
    test_out_and_pad(h, fh, s, dil, mode, &g.out_h, &g.pad_top);
    test_out_and_pad(w, fw, s, dil, mode, &g.out_w, &g.pad_left);
    return g;
}

/* Runs the kernel (2-D entry when depth is 1) on fresh data and checks it
 * against the reference; returns the result (caller frees). */
static float *check_one(cw_conv3d_backprop_filter_args g, uint32_t seed) {
    float *x = rand_floats(x_floats(&g), seed), *dy = rand_floats(dy_floats(&g), seed + 1);
    const size_t n = dw_floats(&g);
    float *dw = malloc((n + 1) * sizeof(float));
    double *want = malloc((n + 1) * sizeof(double)), *scale = malloc((n + 1) * sizeof(double));
    for (size_t j = 0; j < n; j++) dw[j] = NAN;
    g.x = x, g.dy = dy, g.dw = dw;
    const cw_status s = g.filter_d == 1 && g.in_d == 1 ? cw_conv2d_backprop_filter_f32(&g)
                                                       : cw_conv3d_backprop_filter_f32(&g);
    if (s != CW_OK) fail_msg("backprop filter failed: %s", cw_error_message());
    ref_backprop_filter(&g, want, scale);
    for (size_t j = 0; j < n; j++) {
        const double tol = 2e-6 * scale[j] + 1e-6;
        if (!(fabs(dw[j] - want[j]) <= tol))
            fail_msg("x %dx%dx%dx%dx%d filter %dx%dx%dx%d stride %d dil %d pad %d,%d: dw[%zu] = "
                     "%.9g, expected %.9g",
                     g.batch, g.in_d, g.in_h, g.in_w, g.in_c, g.filter_d, g.filter_h, g.filter_w,
                     g.out_c, g.stride_h, g.dilation_h, g.pad_top, g.pad_left, j, (double)dw[j],
                     want[j]);
    }
    free(x), free(dy), free(want), free(scale);
    return dw;
}

static void test_conv2d_filter_gradient_matches_the_reference_for_every_geometry(void **state) {
    (void)state;
    const int sizes[][4] = {{1, 5, 5, 1}, {2, 7, 6, 3}, {1, 9, 4, 5}, {3, 4, 11, 2}, {1, 1, 1, 4}};
    const int filters[][3] = {{1, 1, 3}, {3, 3, 8}, {2, 4, 9}, {5, 2, 1}, {3, 1, 17}};
    uint32_t seed = 1;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (size_t fi = 0; fi < sizeof filters / sizeof filters[0]; fi++)
            for (int stride = 1; stride <= 3; stride++)
                for (int dil = 1; dil <= 2; dil++)
                    for (int mode = 0; mode < 3; mode++) {
                        const int *z = sizes[si], *f = filters[fi];
                        cw_conv3d_backprop_filter_args g = problem(
                            z[0], 1, z[1], z[2], z[3], f[2], 1, f[0], f[1], stride, dil, mode);
                        free(check_one(g, seed += 7));
                    }
}

static void test_conv3d_filter_gradient_matches_the_reference(void **state) {
    (void)state;
    uint32_t seed = 100;
    for (int stride = 1; stride <= 2; stride++)
        for (int dil = 1; dil <= 2; dil++)
            for (int mode = 0; mode < 3; mode++) {
                free(check_one(problem(2, 5, 4, 6, 3, 5, 2, 3, 2, stride, dil, mode), seed += 3));
                free(check_one(problem(1, 3, 3, 3, 9, 10, 1, 1, 1, stride, dil, mode), seed += 3));
            }
}

static void test_many_pixels_are_summed_in_chunks_like_the_reference(void **state) {
    (void)state;
    /* > 8192 output pixels: several chunks and the partial-sum pass */
    free(check_one(problem(4, 1, 50, 60, 1, 8, 1, 2, 8, 1, 1, PAD_VALID), 9));
    free(check_one(problem(3, 1, 64, 64, 6, 12, 1, 3, 3, 1, 1, PAD_SAME), 10));
}

/* sum(conv(x, w) * dy) in double, the forward through cw_conv3d_f32. */
static double loss(const cw_conv3d_backprop_filter_args *g, const float *w, float *y) {
    cw_conv3d_args f;
    memset(&f, 0, sizeof f);
    f.batch = g->batch, f.in_d = g->in_d, f.in_h = g->in_h, f.in_w = g->in_w, f.in_c = g->in_c;
    f.out_d = g->out_d, f.out_h = g->out_h, f.out_w = g->out_w, f.out_c = g->out_c;
    f.filter_d = g->filter_d, f.filter_h = g->filter_h, f.filter_w = g->filter_w;
    f.stride_d = g->stride_d, f.stride_h = g->stride_h, f.stride_w = g->stride_w;
    f.dilation_d = g->dilation_d, f.dilation_h = g->dilation_h, f.dilation_w = g->dilation_w;
    f.pad_front = g->pad_front, f.pad_top = g->pad_top, f.pad_left = g->pad_left;
    f.x = g->x, f.filter = w, f.y = y;
    assert_int_equal(cw_conv3d_f32(&f), CW_OK);
    double s = 0;
    for (size_t i = 0; i < dy_floats(g); i++) s += (double)y[i] * g->dy[i];
    return s;
}

static void
test_filter_gradient_equals_finite_differences_of_the_forward_convolution(void **state) {
    (void)state;
    const int cases[][12] = {
        /* batch d h w c oc fd fh fw stride dil mode */
        {2, 1, 6, 7, 3, 4, 1, 3, 3, 1, 1, PAD_SAME},
        {1, 1, 9, 8, 2, 3, 1, 3, 2, 2, 1, PAD_VALID},
        {2, 1, 7, 7, 2, 2, 1, 2, 3, 1, 2, PAD_EXPLICIT},
        {1, 4, 5, 5, 2, 3, 2, 2, 2, 2, 1, PAD_SAME},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        const int *k = cases[t];
        cw_conv3d_backprop_filter_args g =
            problem(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9], k[10], k[11]);
        float *x = rand_floats(x_floats(&g), 50 + t), *dy = rand_floats(dy_floats(&g), 60 + t);
        g.x = x, g.dy = dy;
        const size_t n = dw_floats(&g);
        float *w = rand_floats(n, 70 + t), *dw = malloc(n * sizeof(float));
        float *y = malloc((dy_floats(&g) + 1) * sizeof(float));
        g.dw = dw;
        assert_int_equal(g.in_d == 1 ? cw_conv2d_backprop_filter_f32(&g)
                                     : cw_conv3d_backprop_filter_f32(&g),
                         CW_OK);
        const float eps = 0.05f;
        for (size_t j = 0; j < n; j++) {
            const float keep = w[j];
            w[j] = keep + eps;
            const double up = loss(&g, w, y);
            w[j] = keep - eps;
            const double down = loss(&g, w, y);
            w[j] = keep;
            const double numeric = (up - down) / (2.0 * eps);
            if (!(fabs(numeric - dw[j]) <= 1e-3 * fabs(numeric) + 2e-4))
                fail_msg("case %zu: dw[%zu] = %.7g, finite difference %.7g", t, j, (double)dw[j],
                         numeric);
        }
        free(x), free(dy), free(w), free(dw), free(y);
    }
}

/* The thread test's cases (test_threads.h): dW of many pixels in chunks. */
static size_t thread_case(int i, float *out, int check) {
    (void)check; /* check_one always compares with the reference */
    const cw_conv3d_backprop_filter_args g =
        i == 0 ? problem(4, 1, 48, 40, 5, 11, 1, 3, 3, 1, 1, PAD_SAME)
               : problem(8, 1, 43, 60, 1, 8, 1, 2, 8, 1, 1, PAD_VALID);
    const size_t n = dw_floats(&g);
    if (out) {
        float *dw = check_one(g, 77 + (uint32_t)i);
        memcpy(out, dw, n * sizeof(float));
        free(dw);
    }
    return n;
}

static test_threads threads = {thread_case, 2, {NULL}};
TEST_THREADS_GROUP(threads)

static void test_filter_gradient_is_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    test_threads_compare(&threads);
}

static void test_bad_filter_gradient_arguments_are_errors_naming_the_kernel(void **state) {
    (void)state;
    float buf[64] = {0};
    cw_conv3d_backprop_filter_args g = problem(1, 1, 4, 4, 1, 1, 1, 3, 3, 1, 1, PAD_VALID);
    g.x = buf, g.dy = buf, g.dw = buf;
    g.stride_h = 0;
    assert_int_equal(cw_conv2d_backprop_filter_f32(&g), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Conv2DBackpropFilter"));
    assert_non_null(strstr(cw_error_message(), "strides"));
    g.stride_h = 1, g.filter_w = 0;
    assert_int_equal(cw_conv3d_backprop_filter_f32(&g), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Conv3DBackpropFilterV2"));
    g.filter_w = 3, g.in_c = -1;
    assert_int_equal(cw_conv2d_backprop_filter_f32(&g), CW_ERR_INVALID);
    g.in_c = 1, g.dw = NULL;
    assert_int_equal(cw_conv2d_backprop_filter_f32(&g), CW_ERR_INVALID);
    assert_int_equal(cw_conv2d_backprop_filter_f32(NULL), CW_ERR_INVALID);
}

/* ---- Conv3DBackpropInputV2 --------------------------------------------------------------- */

static void test_conv3d_input_gradient_matches_the_reference_and_finite_differences(void **state) {
    (void)state;
    const int cases[][12] = {
        {2, 4, 5, 6, 3, 4, 2, 3, 2, 1, 1, PAD_SAME},
        {1, 5, 5, 5, 2, 3, 3, 3, 3, 2, 1, PAD_VALID},
        {2, 3, 6, 4, 4, 2, 1, 2, 3, 2, 2, PAD_EXPLICIT},
        {1, 9, 9, 9, 1, 5, 3, 3, 3, 1, 1, PAD_SAME},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        const int *k = cases[t];
        const cw_conv3d_backprop_filter_args p =
            problem(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9], k[10], k[11]);
        cw_conv3d_backprop_input_args g;
        memset(&g, 0, sizeof g);
        g.batch = p.batch, g.in_d = p.in_d, g.in_h = p.in_h, g.in_w = p.in_w, g.in_c = p.in_c;
        g.out_d = p.out_d, g.out_h = p.out_h, g.out_w = p.out_w, g.out_c = p.out_c;
        g.filter_d = p.filter_d, g.filter_h = p.filter_h, g.filter_w = p.filter_w;
        g.stride_d = p.stride_d, g.stride_h = p.stride_h, g.stride_w = p.stride_w;
        g.dilation_d = p.dilation_d, g.dilation_h = p.dilation_h, g.dilation_w = p.dilation_w;
        g.pad_front = p.pad_front, g.pad_top = p.pad_top, g.pad_left = p.pad_left;
        const size_t nx = x_floats(&p), ny = dy_floats(&p), nw = dw_floats(&p);
        float *dy = rand_floats(ny, 80 + t), *w = rand_floats(nw, 90 + t);
        float *dx = malloc((nx + 1) * sizeof(float)), *x = calloc(nx + 1, sizeof(float));
        float *y = malloc((ny + 1) * sizeof(float));
        for (size_t i = 0; i < nx; i++) dx[i] = NAN;
        g.dy = dy, g.filter = w, g.dx = dx;
        assert_int_equal(cw_conv3d_backprop_input_f32(&g), CW_OK);
        /* dx[i] = d/dx_i sum(conv(x, w) * dy): the convolution is linear in x,
         * so the forward pass at the unit vector e_i gives it exactly (a
         * finite difference with step 1 from x = 0) */
        cw_conv3d_backprop_filter_args q = p;
        q.x = x, q.dy = dy;
        for (size_t i = 0; i < nx; i++) {
            x[i] = 1.0f;
            const double unit = loss(&q, w, y);
            x[i] = 0.0f;
            if (!(fabs(unit - dx[i]) <= 1e-4 * fabs(unit) + 1e-5))
                fail_msg("case %zu: dx[%zu] = %.7g, expected %.7g", t, i, (double)dx[i], unit);
        }
        free(dy), free(w), free(dx), free(x), free(y);
    }
    cw_conv3d_backprop_input_args bad;
    memset(&bad, 0, sizeof bad);
    bad.filter_d = bad.filter_h = bad.filter_w = 1, bad.stride_d = bad.stride_h = 1;
    bad.dilation_d = bad.dilation_h = bad.dilation_w = 1;
    assert_int_equal(cw_conv3d_backprop_input_f32(&bad), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Conv3DBackpropInputV2"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv2d_filter_gradient_matches_the_reference_for_every_geometry),
        cmocka_unit_test(test_conv3d_filter_gradient_matches_the_reference),
        cmocka_unit_test(test_many_pixels_are_summed_in_chunks_like_the_reference),
        cmocka_unit_test(test_filter_gradient_equals_finite_differences_of_the_forward_convolution),
        cmocka_unit_test(test_filter_gradient_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(test_bad_filter_gradient_arguments_are_errors_naming_the_kernel),
        cmocka_unit_test(test_conv3d_input_gradient_matches_the_reference_and_finite_differences),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
