#include "test_util.h"

#include "cw.h"

static void ref_dilation(const cw_dilation2d_geom *g, const float *x, const float *f, float *y) {
    for (int b = 0; b < g->batch; b++)
        for (int oy = 0; oy < g->out_h; oy++)
            for (int ox = 0; ox < g->out_w; ox++)
                for (int c = 0; c < g->channels; c++) {
                    double best = -9007199254740991.0;
                    for (int i = 0; i < g->filter_h; i++)
                        for (int j = 0; j < g->filter_w; j++) {
                            int iy = oy * g->stride_h - g->pad_top + i * g->dilation_h;
                            int ix = ox * g->stride_w - g->pad_left + j * g->dilation_w;
                            if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
                            double v =
                                (double)x[((b * g->in_h + iy) * g->in_w + ix) * g->channels + c] +
                                (double)f[(i * g->filter_w + j) * g->channels + c];
                            if (v > best) best = v;
                        }
                    y[((b * g->out_h + oy) * g->out_w + ox) * g->channels + c] = (float)best;
                }
}

static int out_size(int in, int k, int s, int d, int pad_total) {
    int eff = (k - 1) * d + 1;
    return (in + pad_total - eff) / s + 1;
}

static void dilation2d_matches_reference_over_channels_windows_strides_and_padding(void **state) {
    (void)state;
    const int channels[] = {1, 2, 3, 4, 5, 8, 9};
    int cases = 0;
    for (size_t ci = 0; ci < sizeof channels / sizeof *channels; ci++)
        for (int k = 1; k <= 3; k++)
            for (int s = 1; s <= 2; s++)
                for (int d = 1; d <= 2; d++)
                    for (int pad = 0; pad <= 2; pad++) {
                        cw_dilation2d_geom g = {2, 7, 6,       channels[ci], k, k + 1, 0, 0, s, s,
                                                d, d, pad / 2, pad - pad / 2};
                        g.out_h = out_size(g.in_h, g.filter_h, s, d, pad);
                        g.out_w = out_size(g.in_w, g.filter_w, s, d, pad);
                        if (g.out_h <= 0 || g.out_w <= 0) continue;
                        size_t xn = (size_t)g.batch * g.in_h * g.in_w * g.channels;
                        size_t fn = (size_t)g.filter_h * g.filter_w * g.channels;
                        size_t yn = (size_t)g.batch * g.out_h * g.out_w * g.channels;
                        float *x = malloc(xn * 4), *f = malloc(fn * 4), *y = malloc(yn * 4),
                              *want = malloc(yn * 4);
                        test_fill(x, xn, 11 + (uint32_t)cases, -3, 3);
                        test_fill(f, fn, 12 + (uint32_t)cases, -1, 1);
                        ref_dilation(&g, x, f, want);
                        assert_int_equal(cw_dilation2d_f32(&g, x, f, y), CW_OK);
                        test_assert_close(y, want, yn, 0, 0, "cw_dilation2d_f32");
                        free(x), free(f), free(y), free(want);
                        cases++;
                    }
    assert_true(cases > 100);
}

static void dilation2d_window_outside_the_image_gives_the_tfjs_initial_value(void **state) {
    (void)state;
    cw_dilation2d_geom g = {1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 0, 1};
    float x = 5, f = 1, y[3];
    assert_int_equal(cw_dilation2d_f32(&g, &x, &f, y), CW_OK);
    assert_true(y[0] == -9007199254740991.0f);
    assert_true(y[1] == 6.0f);
    assert_true(y[2] == -9007199254740991.0f);
}

static void dilation2d_rejects_bad_arguments_with_a_message(void **state) {
    (void)state;
    float x = 0, f = 0, y = 0;
    cw_dilation2d_geom g = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0};
    assert_int_equal(cw_dilation2d_f32(&g, &x, &f, &y), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "Dilation2D: strides 0 x 1"));
    g.stride_h = 1;
    g.dilation_w = 0;
    assert_int_equal(cw_dilation2d_f32(&g, &x, &f, &y), CW_ERR_INVALID);
    g.dilation_w = 1;
    g.filter_h = 0;
    assert_int_equal(cw_dilation2d_f32(&g, &x, &f, &y), CW_ERR_INVALID);
    g.filter_h = 1;
    assert_int_equal(cw_dilation2d_f32(&g, NULL, &f, &y), CW_ERR_INVALID);
    assert_int_equal(cw_dilation2d_f32(NULL, &x, &f, &y), CW_ERR_INVALID);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dilation2d_matches_reference_over_channels_windows_strides_and_padding),
        cmocka_unit_test(dilation2d_window_outside_the_image_gives_the_tfjs_initial_value),
        cmocka_unit_test(dilation2d_rejects_bad_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
