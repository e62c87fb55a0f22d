#include "test_util.h"

#include <string.h>

#include "cw.h"

enum { PAD_VALID, PAD_SAME, PAD_EXPLICIT };

/* Axis i of g as tfjs-core's computePool2DInfo / computePool3DInfo sets it. */
static void set_axis(cw_pool_geom *g, int i, int in, int f, int s, int dil, int kind, int pb,
                     int pa) {
    const int eff = (f - 1) * dil + 1;
    int out;
    if (kind == PAD_VALID) {
        out = (in - eff + s) / s;
        pb = pa = 0;
    } else if (kind == PAD_SAME) {
        out = (in + s - 1) / s;
        int total = (out - 1) * s + eff - in;
        if (total < 0) total = 0;
        pb = total / 2, pa = total - pb;
    } else {
        out = (in + pb + pa - eff) / s + 1;
    }
    g->in[i] = in, g->filter[i] = f, g->stride[i] = s, g->dilation[i] = dil;
    g->pad_before[i] = pb, g->pad_after[i] = pa, g->out[i] = out;
}

static cw_pool_geom geom(int batch, int C) {
    cw_pool_geom g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.channels = C;
    set_axis(&g, 0, 1, 1, 1, 1, PAD_VALID, 0, 0);
    return g;
}

static size_t count(const cw_pool_geom *g, const int *dims) {
    return (size_t)g->batch * dims[0] * dims[1] * dims[2] * (size_t)g->channels;
}

#define MAX_ELEMS 40000
static float xs[MAX_ELEMS], dys[MAX_ELEMS], got[MAX_ELEMS + 4], want[MAX_ELEMS];
static double acc[MAX_ELEMS];

/* Reference: scatter each dy, in output order, onto its winning tap (max) or
 * onto every valid tap (mean, weight 1 / filter volume), summing in double. */
static void ref_grad(int is_max, int last_wins, const cw_pool_geom *g, const float *x,
                     const float *dy, float *dx) {
    const int C = g->channels;
    const size_t n_in = count(g, g->in), n_out = count(g, g->out);
    for (size_t i = 0; i < n_in; i++) acc[i] = 0;
    for (size_t o = 0; o < n_out; o++) {
        size_t r = o;
        const int c = (int)(r % C), ow = (int)((r /= C) % g->out[2]);
        const int oh = (int)((r /= g->out[2]) % g->out[1]);
        const int od = (int)((r /= g->out[1]) % g->out[0]);
        const int b = (int)(r / g->out[0]);
        float best = -INFINITY;
        long win = -1;
        for (int kd = 0; kd < g->filter[0]; kd++)
            for (int kh = 0; kh < g->filter[1]; kh++)
                for (int kw = 0; kw < g->filter[2]; kw++) {
                    const int id = od * g->stride[0] - g->pad_before[0] + kd * g->dilation[0];
                    const int ih = oh * g->stride[1] - g->pad_before[1] + kh * g->dilation[1];
                    const int iw = ow * g->stride[2] - g->pad_before[2] + kw * g->dilation[2];
                    if (id < 0 || id >= g->in[0] || ih < 0 || ih >= g->in[1] || iw < 0 ||
                        iw >= g->in[2])
                        continue;
                    const long at =
                        (((long)(b * g->in[0] + id) * g->in[1] + ih) * g->in[2] + iw) * C + c;
                    if (!is_max) {
                        acc[at] += dy[o];
                    } else if (x[at] > best || (last_wins && x[at] >= best)) {
                        best = x[at], win = at;
                    }
                }
        if (is_max && win >= 0) acc[win] += dy[o];
    }
    const double scale = is_max ? 1.0 : 1.0 / ((double)g->filter[0] * g->filter[1] * g->filter[2]);
    for (size_t i = 0; i < n_in; i++) dx[i] = (float)(acc[i] * scale);
}

static void check(cw_pool_op op, const cw_pool_geom *g, const char *what) {
    const size_t n_in = count(g, g->in), n_out = count(g, g->out);
    assert_true(n_in <= MAX_ELEMS && n_out <= MAX_ELEMS);
    const int is_max = op == CW_POOL_MAX_2D || op == CW_POOL_MAX_3D;
    memset(got, 0xAB, (n_in + 4) * sizeof(float));
    if (cw_pool_grad_f32(op, g, xs, dys, got) != CW_OK)
        fail_msg("%s: %s", what, cw_error_message());
    ref_grad(is_max, op == CW_POOL_MAX_3D, g, xs, dys, want);
    char buf[160];
    snprintf(buf, sizeof buf, "op %d %s c%d", op, what, g->channels);
    test_assert_close(got, want, n_in, 0, 0, buf);
    uint32_t sentinel;
    memcpy(&sentinel, &got[n_in], sizeof sentinel);
    assert_int_equal(sentinel, 0xABABABABu);
}

/* Values on a coarse grid so windows hold ties, and negatives everywhere. */
static void fill_tied(size_t n, uint32_t seed) {
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) xs[i] = floorf(test_rand(&s, -4, 0)) * 0.5f;
    test_fill(dys, MAX_ELEMS, seed + 7, -1, 1);
}

static void pool2d_grads_match_reference_over_windows_strides_pads_and_ties(void **state) {
    (void)state;
    static const int chans[] = {1, 3, 4, 5, 8, 17, 65};
    static const int cases[][6] = {/* in_h, in_w, f, s, kind, pad */
                                   {5, 5, 2, 2, PAD_VALID, 0},    {7, 6, 3, 1, PAD_SAME, 0},
                                   {7, 9, 3, 2, PAD_SAME, 0},     {6, 7, 3, 2, PAD_VALID, 0},
                                   {4, 5, 4, 1, PAD_SAME, 0},     {8, 5, 2, 3, PAD_SAME, 0},
                                   {6, 6, 3, 1, PAD_EXPLICIT, 1}, {5, 7, 3, 2, PAD_EXPLICIT, 2},
                                   {3, 3, 1, 1, PAD_VALID, 0},    {1, 1, 1, 1, PAD_SAME, 0}};
    for (size_t k = 0; k < sizeof chans / sizeof *chans; k++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const int *t = cases[i];
            cw_pool_geom g = geom(2, chans[k]);
            set_axis(&g, 1, t[0], t[2], t[3], 1, t[4], t[5], t[5]);
            set_axis(&g, 2, t[1], t[2], t[3], 1, t[4], t[5], t[5] + 1);
            fill_tied(count(&g, g.in), (uint32_t)(i * 31 + k));
            char what[64];
            snprintf(what, sizeof what, "case %zu", i);
            check(CW_POOL_MAX_2D, &g, what);
            check(CW_POOL_AVG_2D, &g, what);
        }
}

static void pool_grads_support_dilation_and_rectangular_windows(void **state) {
    (void)state;
    cw_pool_geom g = geom(1, 6);
    set_axis(&g, 1, 9, 2, 1, 2, PAD_SAME, 0, 0);
    set_axis(&g, 2, 8, 3, 2, 3, PAD_SAME, 0, 0);
    fill_tied(count(&g, g.in), 5);
    check(CW_POOL_MAX_2D, &g, "dilated");
    check(CW_POOL_AVG_2D, &g, "dilated");
    cw_pool_geom h = geom(2, 3);
    set_axis(&h, 0, 5, 2, 1, 1, PAD_SAME, 0, 0);
    set_axis(&h, 1, 4, 3, 2, 1, PAD_VALID, 0, 0);
    set_axis(&h, 2, 6, 1, 2, 1, PAD_SAME, 0, 0);
    fill_tied(count(&h, h.in), 6);
    check(CW_POOL_MAX_3D, &h, "3d rectangular");
    check(CW_POOL_AVG_3D, &h, "3d rectangular");
}

static void pool3d_grads_match_reference(void **state) {
    (void)state;
    static const int cases[][5] = {/* in, f, s, kind, pad */
                                   {4, 2, 2, PAD_VALID, 0},
                                   {5, 3, 1, PAD_SAME, 0},
                                   {5, 2, 1, PAD_SAME, 0},
                                   {6, 3, 2, PAD_EXPLICIT, 1}};
    for (int C = 1; C <= 9; C += 4)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const int *t = cases[i];
            cw_pool_geom g = geom(2, C);
            for (int a = 0; a < 3; a++) set_axis(&g, a, t[0] + a, t[1], t[2], 1, t[3], t[4], t[4]);
            fill_tied(count(&g, g.in), (uint32_t)(i + 40 * C));
            check(CW_POOL_MAX_3D, &g, "3d");
            check(CW_POOL_AVG_3D, &g, "3d");
        }
}

static void ties_go_to_the_first_tap_in_2d_and_the_last_in_3d(void **state) {
    (void)state;
    cw_pool_geom g = geom(1, 1);
    set_axis(&g, 1, 2, 2, 2, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 2, 2, 2, 1, PAD_VALID, 0, 0);
    const float x[4] = {-3, -3, -3, -3}, dy[1] = {5};
    float dx[4];
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, x, dy, dx), CW_OK);
    assert_true(dx[0] == 5 && dx[1] == 0 && dx[2] == 0 && dx[3] == 0);
    cw_pool_geom h = g;
    set_axis(&h, 0, 1, 1, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_3D, &h, x, dy, dx), CW_OK);
    assert_true(dx[0] == 0 && dx[1] == 0 && dx[2] == 0 && dx[3] == 5);
    /* A window of -inf and NaN: 2-D sends dy nowhere, 3-D to the last -inf. */
    const float y[4] = {-INFINITY, NAN, -INFINITY, NAN};
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, y, dy, dx), CW_OK);
    assert_true(dx[0] == 0 && dx[1] == 0 && dx[2] == 0 && dx[3] == 0);
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_3D, &h, y, dy, dx), CW_OK);
    assert_true(dx[0] == 0 && dx[1] == 0 && dx[2] == 5 && dx[3] == 0);
}

/* d/dx of sum(pool(x) * dy) by central differences, against the kernel. */
static void finite_difference(cw_pool_op op, const cw_pool_geom *g) {
    const size_t n_in = count(g, g->in), n_out = count(g, g->out);
    assert_true(n_in <= 512 && n_out <= 512);
    float x[512], y[512], dy[512], dx[512], num[512];
    /* distinct values 0.05 apart, so a 0.01 step never changes a winner */
    for (size_t i = 0; i < n_in; i++) x[i] = 0.05f * (float)((i * 37 + 11) % n_in) - 3.0f;
    test_fill(dy, n_out, 99, -1, 1);
    assert_int_equal(cw_pool_grad_f32(op, g, x, dy, dx), CW_OK);
    const float e = 0.01f;
    for (size_t i = 0; i < n_in; i++) {
        double l[2];
        for (int side = 0; side < 2; side++) {
            const float keep = x[i];
            x[i] = keep + (side ? -e : e);
            assert_int_equal(cw_pool_f32(op, g, x, y), CW_OK);
            x[i] = keep;
            l[side] = 0;
            for (size_t o = 0; o < n_out; o++) l[side] += (double)y[o] * dy[o];
        }
        num[i] = (float)((l[0] - l[1]) / (2.0 * e));
    }
    test_assert_close(dx, num, n_in, 2e-3f, 1e-3f, "finite difference");
}

static void pool_grads_equal_finite_differences_of_the_forward_pools(void **state) {
    (void)state;
    cw_pool_geom g = geom(2, 3);
    set_axis(&g, 1, 6, 3, 2, 1, PAD_SAME, 0, 0);
    set_axis(&g, 2, 5, 2, 1, 1, PAD_SAME, 0, 0);
    finite_difference(CW_POOL_MAX_2D, &g);
    /* the mean's divisor is the filter volume: equal to the derivative
     * wherever no window is cut by padding */
    set_axis(&g, 1, 6, 3, 1, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 5, 2, 2, 1, PAD_VALID, 0, 0);
    finite_difference(CW_POOL_AVG_2D, &g);
    cw_pool_geom h = geom(1, 2);
    for (int a = 0; a < 3; a++) set_axis(&h, a, 4 + a % 2, 2, 1 + a % 2, 1, PAD_SAME, 0, 0);
    finite_difference(CW_POOL_MAX_3D, &h);
    for (int a = 0; a < 3; a++) set_axis(&h, a, 4 + a % 2, 2, 1 + a % 2, 1, PAD_VALID, 0, 0);
    finite_difference(CW_POOL_AVG_3D, &h);
}

static void large_grads_split_across_threads_match_reference(void **state) {
    (void)state;
    cw_pool_geom g = geom(3, 32);
    set_axis(&g, 1, 19, 3, 2, 1, PAD_SAME, 0, 0);
    set_axis(&g, 2, 21, 3, 2, 1, PAD_SAME, 0, 0);
    fill_tied(count(&g, g.in), 77);
    check(CW_POOL_MAX_2D, &g, "large");
    check(CW_POOL_AVG_2D, &g, "large");
}

static void pool_grads_reject_invalid_arguments_with_a_message(void **state) {
    (void)state;
    cw_pool_geom g = geom(1, 1);
    set_axis(&g, 1, 4, 2, 2, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 4, 2, 2, 1, PAD_VALID, 0, 0);
    float x[16] = {0}, dy[4] = {0}, dx[16];
    g.stride[1] = 0;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, x, dy, dx), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "MaxPoolGrad"));
    g.stride[1] = 2;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_AVG_2D, &g, x, NULL, dx), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "AvgPoolGrad: dy"));
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_3D, &g, NULL, dy, dx), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "MaxPool3DGrad: x"));
    g.in[0] = 2;
    assert_int_equal(cw_pool_grad_f32(CW_POOL_AVG_2D, &g, x, dy, dx), CW_ERR_INVALID);
    assert_int_equal(cw_pool_grad_f32((cw_pool_op)9, &g, x, dy, dx), CW_ERR_INVALID);
    g.in[0] = 1, g.batch = 0; /* empty: nothing to do */
    assert_int_equal(cw_pool_grad_f32(CW_POOL_MAX_2D, &g, NULL, NULL, NULL), CW_OK);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool2d_grads_match_reference_over_windows_strides_pads_and_ties),
        cmocka_unit_test(pool_grads_support_dilation_and_rectangular_windows),
        cmocka_unit_test(pool3d_grads_match_reference),
        cmocka_unit_test(ties_go_to_the_first_tap_in_2d_and_the_last_in_3d),
        cmocka_unit_test(pool_grads_equal_finite_differences_of_the_forward_pools),
        cmocka_unit_test(large_grads_split_across_threads_match_reference),
        cmocka_unit_test(pool_grads_reject_invalid_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
