#include "test_util.h"

#include <string.h>

#include "cw.h"

#define BUF 40000
static float xs[BUF], fs[4096], dys[BUF], got[BUF + 4], want[BUF], ys[BUF];

/* tfjs-backend-cpu's scatter: per output and channel, the first strict
 * maximum of x + filter in double, its dy added to that input pixel and to
 * that filter tap, summed in double and rounded at the end. */
static double sx[BUF], sf[4096];

static void ref_backprop(const cw_dilation2d_geom *g, const float *x, const float *f,
                         const float *dy, float *dx, float *df) {
    const int C = g->channels;
    const size_t n_in = (size_t)g->batch * g->in_h * g->in_w * C;
    const size_t n_f = (size_t)g->filter_h * g->filter_w * C;
    for (size_t i = 0; i < n_in; i++) sx[i] = 0;
    for (size_t i = 0; i < n_f; i++) sf[i] = 0;
    for (int b = 0; b < g->batch; b++)
        for (int oy = 0; oy < g->out_h; oy++)
            for (int ox = 0; ox < g->out_w; ox++)
                for (int c = 0; c < C; c++) {
                    const int y0 = oy * g->stride_h - g->pad_top;
                    const int x0 = ox * g->stride_w - g->pad_left;
                    double best = -9007199254740991.0;
                    int hy = y0 < 0 ? 0 : y0, hx = x0 < 0 ? 0 : x0, ti = 0, tj = 0;
                    for (int i = 0; i < g->filter_h; i++)
                        for (int j = 0; j < g->filter_w; j++) {
                            const int iy = y0 + i * g->dilation_h, ix = x0 + j * g->dilation_w;
                            if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
                            const double v =
                                (double)x[(((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c] +
                                (double)f[((size_t)i * g->filter_w + j) * C + c];
                            if (v > best) best = v, hy = iy, hx = ix, ti = i, tj = j;
                        }
                    const float d = dy[(((size_t)b * g->out_h + oy) * g->out_w + ox) * C + c];
                    /* a window wholly past the image has no pixel to take it */
                    if (hy < g->in_h && hx < g->in_w)
                        sx[(((size_t)b * g->in_h + hy) * g->in_w + hx) * C + c] += d;
                    sf[((size_t)ti * g->filter_w + tj) * C + c] += d;
                }
    for (size_t i = 0; i < n_in; i++) dx[i] = (float)sx[i];
    for (size_t i = 0; i < n_f; i++) df[i] = (float)sf[i];
}

static int out_size(int in, int k, int s, int d, int pad_total) {
    return (in + pad_total - ((k - 1) * d + 1)) / s + 1;
}

static void check(const cw_dilation2d_geom *g, const char *what) {
    static float wdf[4096];
    const size_t n_in = (size_t)g->batch * g->in_h * g->in_w * g->channels;
    const size_t n_f = (size_t)g->filter_h * g->filter_w * g->channels;
    ref_backprop(g, xs, fs, dys, want, wdf);
    memset(got, 0xAB, (n_in + 4) * sizeof(float));
    if (cw_dilation2d_backprop_input_f32(g, xs, fs, dys, got) != CW_OK)
        fail_msg("%s: %s", what, cw_error_message());
    test_assert_close(got, want, n_in, 0, 0, what);
    uint32_t sentinel;
    memcpy(&sentinel, &got[n_in], sizeof sentinel);
    assert_int_equal(sentinel, 0xABABABABu);
    memset(got, 0xAB, (n_f + 4) * sizeof(float));
    if (cw_dilation2d_backprop_filter_f32(g, xs, fs, dys, got) != CW_OK)
        fail_msg("%s: %s", what, cw_error_message());
    test_assert_close(got, wdf, n_f, 0, 0, what);
    memcpy(&sentinel, &got[n_f], sizeof sentinel);
    assert_int_equal(sentinel, 0xABABABABu);
}

static void dilation2d_backprops_match_reference_over_windows_strides_pads_and_ties(void **state) {
    (void)state;
    static const int chans[] = {1, 3, 4, 5, 9, 17};
    for (size_t ci = 0; ci < sizeof chans / sizeof *chans; ci++)
        for (int k = 1; k <= 3; k++)
            for (int s = 1; s <= 2; s++)
                for (int d = 1; d <= 2; d++)
                    for (int pad = 0; pad <= 3; pad++) {
                        cw_dilation2d_geom g = {2, 7, 6, chans[ci], k, k + 1,   0,
                                                0, s, s, d,         d, pad / 2, pad - pad / 2};
                        g.out_h = out_size(g.in_h, g.filter_h, s, d, pad);
                        g.out_w = out_size(g.in_w, g.filter_w, s, d, pad);
                        const size_t n = (size_t)g.batch * g.in_h * g.in_w * g.channels;
                        /* a coarse grid gives ties between taps */
                        uint32_t st = (uint32_t)(ci * 100 + k * 10 + s * 4 + d * 2 + pad);
                        for (size_t i = 0; i < n; i++) xs[i] = floorf(test_rand(&st, -3, 3));
                        for (int i = 0; i < k * (k + 1) * chans[ci]; i++)
                            fs[i] = floorf(test_rand(&st, -2, 2));
                        test_fill(dys, BUF, st, -1, 1);
                        char what[96];
                        snprintf(what, sizeof what, "c%d k%d s%d d%d pad%d", chans[ci], k, s, d,
                                 pad);
                        check(&g, what);
                    }
}

static void
dilation2d_backprops_of_large_inputs_split_across_threads_match_reference(void **state) {
    (void)state;
    cw_dilation2d_geom g = {2, 31, 29, 20, 3, 3, 0, 0, 1, 1, 1, 1, 1, 1};
    g.out_h = out_size(g.in_h, 3, 1, 1, 2), g.out_w = out_size(g.in_w, 3, 1, 1, 2);
    test_fill(xs, (size_t)2 * 31 * 29 * 20, 1, -1, 1);
    test_fill(fs, 9 * 20, 2, -1, 1);
    test_fill(dys, BUF, 3, -1, 1);
    check(&g, "large");
}

/* Central differences of sum(dilation(x, f) * dy) against both gradients. */
static void dilation2d_backprops_equal_finite_differences_of_the_forward(void **state) {
    (void)state;
    cw_dilation2d_geom g = {2, 5, 4, 2, 2, 3, 0, 0, 1, 2, 1, 1, 0, 1};
    g.out_h = out_size(5, 2, 1, 1, 1), g.out_w = out_size(4, 3, 2, 1, 2);
    const size_t n_in = 2 * 5 * 4 * 2, n_f = 2 * 3 * 2, n_out = 2 * (size_t)g.out_h * g.out_w * 2;
    /* x on a 0.1 grid, filter on a 0.01 grid with fewer than 10 taps:
     * every x + filter is distinct by at least 0.01 */
    for (size_t i = 0; i < n_in; i++) xs[i] = 0.1f * (float)((i * 17 + 3) % n_in);
    for (size_t i = 0; i < n_f; i++) fs[i] = 0.01f * (float)((i * 5 + 1) % n_f / 2);
    test_fill(dys, n_out, 8, -1, 1);
    float dx[128], df[16], num[128];
    assert_true(n_in <= 128 && n_f <= 16);
    assert_int_equal(cw_dilation2d_backprop_input_f32(&g, xs, fs, dys, dx), CW_OK);
    assert_int_equal(cw_dilation2d_backprop_filter_f32(&g, xs, fs, dys, df), CW_OK);
    const float e = 0.002f;
    for (int which = 0; which < 2; which++) {
        float *v = which ? fs : xs;
        const size_t n = which ? n_f : n_in;
        for (size_t i = 0; i < n; i++) {
            double l[2];
            for (int side = 0; side < 2; side++) {
                const float keep = v[i];
                v[i] = keep + (side ? -e : e);
                assert_int_equal(cw_dilation2d_f32(&g, xs, fs, ys), CW_OK);
                v[i] = keep;
                l[side] = 0;
                for (size_t o = 0; o < n_out; o++) l[side] += (double)ys[o] * dys[o];
            }
            num[i] = (float)((l[0] - l[1]) / (2.0 * e));
        }
        test_assert_close(which ? df : dx, num, n, 2e-3f, 1e-3f,
                          which ? "filter finite difference" : "input finite difference");
    }
}

static void dilation2d_backprops_reject_bad_arguments_with_a_message(void **state) {
    (void)state;
    cw_dilation2d_geom g = {1, 4, 4, 1, 2, 2, 3, 3, 1, 0, 1, 1, 0, 0};
    assert_int_equal(cw_dilation2d_backprop_input_f32(&g, xs, fs, dys, got), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Dilation2DBackpropInput: filter 2 x 2"));
    g.stride_w = 1;
    assert_int_equal(cw_dilation2d_backprop_filter_f32(&g, xs, NULL, dys, got), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Dilation2DBackpropFilter: filter is NULL"));
    assert_int_equal(cw_dilation2d_backprop_filter_f32(NULL, xs, fs, dys, got), CW_ERR_INVALID);
    g.batch = 0; /* an empty batch: a zero filter gradient */
    got[0] = 5;
    assert_int_equal(cw_dilation2d_backprop_filter_f32(&g, NULL, NULL, NULL, got), CW_OK);
    assert_true(got[0] == 0);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dilation2d_backprops_match_reference_over_windows_strides_pads_and_ties),
        cmocka_unit_test(dilation2d_backprops_of_large_inputs_split_across_threads_match_reference),
        cmocka_unit_test(dilation2d_backprops_equal_finite_differences_of_the_forward),
        cmocka_unit_test(dilation2d_backprops_reject_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
