#include "test_gemm_util.h"

#include <string.h>

#include "core/conv_geometry.h"
#include "cw.h"
#include "test_threads.h"

enum { PAD_SAME = 0, PAD_VALID = 1, PAD_EXPLICIT = 2 }; /* test_out_and_pad modes */

/* ---- forward (3-D reference; 2-D is depth 1) ------------------------------------------- */

static size_t y_floats(const cw_conv3d_args *g) {
    return (size_t)g->batch * g->out_d * g->out_h * g->out_w * g->out_c;
}

static void ref_conv3d(const cw_conv3d_args *g, float *y, double *scale) {
    const int C = g->in_c, OC = g->out_c;
    size_t o = 0;
    for (int b = 0; b < g->batch; b++)
        for (int od = 0; od < g->out_d; od++)
            for (int oy = 0; oy < g->out_h; oy++)
                for (int ox = 0; ox < g->out_w; ox++)
                    for (int oc = 0; oc < OC; oc++, o++) {
                        double s = 0, a = 0;
                        for (int kd = 0; kd < g->filter_d; kd++)
                            for (int ky = 0; ky < g->filter_h; ky++)
                                for (int kx = 0; kx < g->filter_w; kx++) {
                                    int id = od * g->stride_d - g->pad_front + kd * g->dilation_d;
                                    int iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                                    int ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                                    if (id < 0 || id >= g->in_d || iy < 0 || iy >= g->in_h ||
                                        ix < 0 || ix >= g->in_w)
                                        continue;
                                    for (int c = 0; c < C; c++) {
                                        double xv =
                                            g->x[((((size_t)b * g->in_d + id) * g->in_h + iy) *
                                                      g->in_w +
                                                  ix) *
                                                     C +
                                                 c];
                                        double wv = g->filter[((((size_t)kd * g->filter_h + ky) *
                                                                    g->filter_w +
                                                                kx) *
                                                                   C +
                                                               c) *
                                                                  OC +
                                                              oc];
                                        s += xv * wv;
                                        a += fabs(xv * wv);
                                    }
                                }
                        if (g->ep.bias_len) s += g->ep.bias[g->ep.bias_len == 1 ? 0 : oc];
                        y[o] = (float)ref_act(s, &g->ep, oc);
                        scale[o] = a;
                    }
}

static void assert_near(const float *got, const float *want, const double *scale, size_t n,
                        const char *what, const char *shape) {
    for (size_t i = 0; i < n; i++) {
        double tol = 1e-4 * fabs(want[i]) + 2e-6 * scale[i] + 1e-6;
        if (!(fabs((double)got[i] - want[i]) <= tol))
            fail_msg("%s (%s): element %zu is %.9g, expected %.9g", what, shape, i, (double)got[i],
                     (double)want[i]);
    }
}

static void describe3(const cw_conv3d_args *g, char *buf, size_t n) {
    snprintf(buf, n,
             "b%d x %dx%dx%dx%d -> %dx%dx%dx%d filter %dx%dx%d stride %d,%d,%d dil %d,%d,%d "
             "pad %d,%d,%d act %d bias %d",
             g->batch, g->in_d, g->in_h, g->in_w, g->in_c, g->out_d, g->out_h, g->out_w, g->out_c,
             g->filter_d, g->filter_h, g->filter_w, g->stride_d, g->stride_h, g->stride_w,
             g->dilation_d, g->dilation_h, g->dilation_w, g->pad_front, g->pad_top, g->pad_left,
             (int)g->ep.act, g->ep.bias_len);
}

static cw_conv2d_args as_2d(const cw_conv3d_args *g) {
    cw_conv2d_args a = {g->batch,    g->in_h,       g->in_w,          g->in_c,     g->out_h,
                        g->out_w,    g->out_c,      g->filter_h,      g->filter_w, g->stride_h,
                        g->stride_w, g->dilation_h, g->dilation_w,    g->pad_top,  g->pad_left,
                        g->x,        g->filter,     g->packed_filter, g->y,        g->ep};
    return a;
}

/* Runs the convolution (2-D when depth is 1 and two_d) and checks it against the reference. */
static void check_conv(cw_conv3d_args g, int two_d, const char *what) {
    const size_t n = y_floats(&g);
    float *got = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    double *scale = malloc((n + 1) * sizeof(double));
    for (size_t i = 0; i < n; i++) got[i] = NAN;
    ref_conv3d(&g, want, scale);
    g.y = got;
    char shape[256];
    describe3(&g, shape, sizeof shape);
    cw_status s;
    if (two_d) {
        cw_conv2d_args a = as_2d(&g);
        s = cw_conv2d_f32(&a);
    } else {
        s = cw_conv3d_f32(&g);
    }
    if (s != CW_OK) fail_msg("%s (%s): status %d: %s", what, shape, (int)s, cw_error_message());
    assert_near(got, want, scale, n, what, shape);
    free(got);
    free(want);
    free(scale);
}

/* A 2-D problem (depth 1) with TF.js padding `mode`; x and filter are random. */
static cw_conv3d_args make_2d(int batch, int h, int w, int c, int oc, int kh, int kw, int sh,
                              int sw, int dh, int dw, int mode, uint32_t seed) {
    cw_conv3d_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.in_d = 1, g.in_h = h, g.in_w = w, g.in_c = c, g.out_c = oc;
    g.filter_d = 1, g.filter_h = kh, g.filter_w = kw;
    g.stride_d = 1, g.stride_h = sh, g.stride_w = sw;
    g.dilation_d = 1, g.dilation_h = dh, g.dilation_w = dw;
    g.out_d = 1;
    test_out_and_pad(h, kh, sh, dh, mode, &g.out_h, &g.pad_top);
    test_out_and_pad(w, kw, sw, dw, mode, &g.out_w, &g.pad_left);
    g.x = rand_floats((size_t)batch * h * w * c, seed);
    g.filter = rand_floats((size_t)kh * kw * c * oc, seed + 7);
    return g;
}

static void free_args(cw_conv3d_args *g) {
    free((void *)g->x);
    free((void *)g->filter);
}

static const int channels[] = {1, 2, 3, 4, 5, 8, 9, 16, 17};

static void conv2d_matches_reference_over_channels_kernels_strides_dilations_and_pads(void **st) {
    (void)st;
    static const int kernels[][2] = {{1, 1}, {3, 3}, {5, 5}, {2, 8}, {1, 3}};
    static const int sd[][4] = {
        {1, 1, 1, 1}, {2, 2, 1, 1}, {3, 2, 1, 1}, {1, 1, 2, 2}, {2, 1, 1, 2}};
    int runs = 0;
    for (int ci = 0; ci < 9; ci++)
        for (int oi = 0; oi < 2; oi++) {
            const int c = channels[ci], oc = channels[oi ? (ci * 5 + 3) % 9 : (ci + 1) % 9];
            for (int ki = 0; ki < 5; ki++)
                for (int si = 0; si < 5; si++)
                    for (int mode = 0; mode < 3; mode++) {
                        const int batch = 1 + (ci + ki) % 2;
                        const int h = 7 + (ci % 3), w = 9 - (ki % 2) * 2;
                        cw_conv3d_args g = make_2d(batch, h, w, c, oc, kernels[ki][0],
                                                   kernels[ki][1], sd[si][0], sd[si][1], sd[si][2],
                                                   sd[si][3], mode, (uint32_t)(runs * 13 + 1));
                        if (g.out_h > 0 && g.out_w > 0) check_conv(g, 1, "sweep");
                        free_args(&g);
                        runs++;
                    }
        }
}

static void conv2d_matches_reference_on_large_depth_many_pixels_and_wide_outputs(void **st) {
    (void)st;
    /* K = 9 * 64 = 576 spans three K blocks; 437 pixels span several tiles;
     * 300 output channels span two column blocks. */
    static const int shapes[][8] = {{2, 23, 19, 64, 70, 3, 1, PAD_SAME},
                                    {1, 11, 13, 30, 300, 3, 2, PAD_VALID},
                                    {1, 17, 17, 40, 33, 5, 1, PAD_EXPLICIT},
                                    {3, 9, 8, 7, 9, 1, 2, PAD_SAME},
                                    {1, 1, 1, 300, 17, 1, 1, PAD_VALID}};
    for (int s = 0; s < 5; s++) {
        const int *v = shapes[s];
        cw_conv3d_args g = make_2d(v[0], v[1], v[2], v[3], v[4], v[5], v[5], v[6], v[6], 1, 1, v[7],
                                   50u + (uint32_t)s);
        check_conv(g, 1, "large");
        free_args(&g);
    }
}

static void conv2d_pointwise_matches_reference_and_accepts_a_packed_filter(void **st) {
    (void)st;
    static const int shapes[][4] = {{1, 1, 1, 1}, {2, 13, 11, 9}, {1, 40, 40, 17}, {3, 5, 7, 33}};
    for (int s = 0; s < 4; s++) {
        const int *v = shapes[s];
        for (int oc = 1; oc <= 20; oc += 19) {
            for (int general = 0; general < 2; general++) {
                /* general: a 1x1 stride-2 conv skips pixels */
                cw_conv3d_args g = make_2d(v[0], v[1], v[2], v[3], oc, 1, 1, 1 + general,
                                           1 + general, 1, 1, PAD_VALID, 90u + (uint32_t)s);
                check_conv(g, 1, general ? "1x1 stride 2" : "pointwise");
                const int K = v[3];
                float *packed = malloc(cw_gemm_packed_b_floats(K, oc) * sizeof(float));
                cw_gemm_pack_b(K, oc, g.filter, 0, packed);
                const size_t n = y_floats(&g);
                float *y1 = malloc(n * sizeof(float)), *y2 = malloc(n * sizeof(float));
                cw_conv2d_args a = as_2d(&g);
                a.y = y1;
                assert_int_equal(cw_conv2d_f32(&a), CW_OK);
                a.y = y2, a.packed_filter = packed, a.filter = NULL;
                assert_int_equal(cw_conv2d_f32(&a), CW_OK);
                assert_memory_equal(y1, y2, n * sizeof(float));
                free(y1);
                free(y2);
                free(packed);
                free_args(&g);
            }
        }
    }
}

static void conv2d_applies_every_epilogue(void **st) {
    (void)st;
    float bias[17], prelu[17];
    test_fill(bias, 17, 5, -2.0f, 6.0f);
    test_fill(prelu, 17, 6, 0.0f, 1.0f);
    for (int general = 0; general < 2; general++)
        for (int act = CW_ACT_LINEAR; act <= CW_ACT_SIGMOID; act++)
            for (int bl = 0; bl < 3; bl++)
                for (int pl = 0; pl < (act == CW_ACT_PRELU ? 2 : 1); pl++) {
                    cw_conv3d_args g =
                        make_2d(2, 9, 7, 5, 17, general ? 3 : 1, general ? 3 : 1, 1, 1, 1, 1,
                                general ? PAD_SAME : PAD_VALID, (uint32_t)(act * 10 + bl));
                    g.ep.act = (cw_act)act, g.ep.alpha = 0.2f;
                    g.ep.bias = bias, g.ep.bias_len = bl == 0 ? 0 : (bl == 1 ? 1 : 17);
                    if (act == CW_ACT_PRELU) g.ep.prelu = prelu, g.ep.prelu_len = pl ? 17 : 1;
                    check_conv(g, 1, "epilogue");
                    free_args(&g);
                }
}

static void conv2d_with_no_input_depth_or_no_valid_taps_gives_activation_of_bias(void **st) {
    (void)st;
    float bias[3] = {-1.0f, 0.5f, 7.0f};
    cw_conv3d_args g = make_2d(2, 4, 5, 0, 3, 3, 3, 1, 1, 1, 1, PAD_SAME, 1);
    g.ep.bias = bias, g.ep.bias_len = 3, g.ep.act = CW_ACT_RELU6;
    check_conv(g, 1, "in_c 0");
    free_args(&g);
    /* a 1x1 image with pad 3 and a 2x2 filter: the corner outputs see only padding */
    g = make_2d(1, 1, 1, 4, 3, 2, 2, 1, 1, 1, 1, PAD_VALID, 2);
    g.pad_top = g.pad_left = 3, g.out_h = g.out_w = 5;
    g.ep.bias = bias, g.ep.bias_len = 3, g.ep.act = CW_ACT_SIGMOID;
    check_conv(g, 1, "padding only");
    free_args(&g);
    /* empty outputs need no pointers */
    cw_conv2d_args a = {0};
    a.batch = 0, a.in_h = a.in_w = a.in_c = a.out_h = a.out_w = a.out_c = 3;
    a.filter_h = a.filter_w = a.stride_h = a.stride_w = a.dilation_h = a.dilation_w = 1;
    assert_int_equal(cw_conv2d_f32(&a), CW_OK);
}

static void conv3d_matches_reference(void **st) {
    (void)st;
    static const int cases[][9] = {/* d h w c oc k stride dil mode */
                                   {5, 6, 7, 3, 4, 3, 1, 1, PAD_SAME},
                                   {4, 5, 5, 2, 9, 2, 2, 1, PAD_VALID},
                                   {6, 5, 4, 5, 3, 3, 1, 2, PAD_EXPLICIT},
                                   {3, 3, 3, 8, 8, 1, 1, 1, PAD_VALID},
                                   {7, 4, 6, 1, 17, 3, 3, 1, PAD_SAME}};
    for (int s = 0; s < 5; s++) {
        const int *v = cases[s];
        cw_conv3d_args g = make_2d(1 + s % 2, v[1], v[2], v[3], v[4], v[5], v[5], v[6], v[6], v[7],
                                   v[7], v[8], 300u + (uint32_t)s);
        free((void *)g.x);
        free((void *)g.filter);
        g.in_d = v[0], g.filter_d = v[5], g.stride_d = v[6], g.dilation_d = v[7];
        test_out_and_pad(v[0], v[5], v[6], v[7], v[8], &g.out_d, &g.pad_front);
        g.x = rand_floats((size_t)g.batch * g.in_d * g.in_h * g.in_w * g.in_c, 400u + (uint32_t)s);
        g.filter = rand_floats((size_t)g.filter_d * g.filter_h * g.filter_w * g.in_c * g.out_c,
                               500u + (uint32_t)s);
        g.ep.act = s % 2 ? CW_ACT_RELU : CW_ACT_ELU;
        check_conv(g, 0, "conv3d");
        free_args(&g);
    }
}

/* Every pixel count around the 4-pixel quads and the 64-pixel tiles,
 * every column count around the 8-column panels, few and many channels,
 * with padding so quads mix pixels inside the image and on its border. */
static void conv2d_indirect_gemm_matches_reference_around_quads_tiles_and_panels(void **st) {
    (void)st;
    static const int widths[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65};
    static const int ocs[] = {1, 3, 7, 8, 9, 15, 16, 17, 33};
    static const int cs[] = {1, 2, 3, 4, 5, 8, 17};
    int runs = 0;
    for (int wi = 0; wi < 17; wi++)
        for (int oi = 0; oi < 9; oi++) {
            const int w = widths[wi], oc = ocs[oi], c = cs[(wi + oi) % 7];
            const int kh = 1 + (wi + oi) % 3, kw = 1 + (wi * 3 + oi) % 4;
            const int mode = runs % 3, h = 1 + (oi + wi) % 3;
            cw_conv3d_args g = make_2d(1 + runs % 2, h, w, c, oc, kh, kw, 1 + runs % 2, 1, 1, 1,
                                       mode, 1000u + (uint32_t)runs);
            if (g.out_h > 0 && g.out_w > 0) check_conv(g, 1, "around tiles");
            free_args(&g);
            runs++;
        }
}

/* The indirect GEMM sums k = (ky, kx, ic) in order with the GEMM
 * micro-kernel's arithmetic and its fused store, so a convolution gives
 * the very bits of cw_matmul_f32 on the im2col matrix (padding as zeros). */
static void conv2d_gives_the_bits_of_matmul_on_im2col_for_every_epilogue(void **st) {
    (void)st;
    float bias[19], prelu[19];
    test_fill(bias, 19, 21, -1.0f, 1.0f);
    test_fill(prelu, 19, 22, 0.0f, 1.0f);
    static const int shapes[][9] = {/* batch h w c oc kh kw stride mode */
                                    {1, 11, 13, 1, 8, 2, 8, 1, PAD_SAME},
                                    {2, 9, 10, 3, 19, 3, 3, 2, PAD_EXPLICIT},
                                    {1, 7, 9, 16, 16, 3, 3, 1, PAD_VALID},
                                    {1, 5, 6, 70, 9, 3, 3, 1, PAD_SAME},
                                    {2, 6, 7, 5, 11, 1, 1, 1, PAD_VALID}};
    for (int s = 0; s < 5; s++)
        for (int act = CW_ACT_LINEAR; act <= CW_ACT_SIGMOID; act++) {
            const int *v = shapes[s];
            cw_conv3d_args g = make_2d(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[7], 1, 1,
                                       v[8], 1500u + (uint32_t)(s * 10 + act));
            g.ep.act = (cw_act)act, g.ep.alpha = 0.1f;
            g.ep.bias = bias, g.ep.bias_len = s % 2 ? v[4] : 1;
            if (act == CW_ACT_PRELU) g.ep.prelu = prelu, g.ep.prelu_len = v[4];
            const int K = v[3] * v[5] * v[6], C = v[3];
            const size_t M = (size_t)g.batch * g.out_h * g.out_w, n = M * (size_t)v[4];
            float *A = calloc(M * (size_t)K + 1, sizeof(float));
            size_t m = 0;
            for (int b = 0; b < g.batch; b++)
                for (int oy = 0; oy < g.out_h; oy++)
                    for (int ox = 0; ox < g.out_w; ox++, m++)
                        for (int ky = 0; ky < v[5]; ky++)
                            for (int kx = 0; kx < v[6]; kx++) {
                                const int iy = oy * v[7] - g.pad_top + ky;
                                const int ix = ox * v[7] - g.pad_left + kx;
                                if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
                                memcpy(A + m * K + (ky * v[6] + kx) * C,
                                       g.x + (((size_t)b * g.in_h + iy) * g.in_w + ix) * C,
                                       (size_t)C * sizeof(float));
                            }
            float *want = malloc(n * sizeof(float)), *got = malloc(n * sizeof(float));
            cw_matmul_args mm;
            memset(&mm, 0, sizeof mm);
            mm.batch = 1, mm.M = (int)M, mm.N = v[4], mm.K = K;
            mm.A = A, mm.B = g.filter, mm.C = want, mm.ep = g.ep;
            assert_int_equal(cw_matmul_f32(&mm), CW_OK);
            cw_conv2d_args a = as_2d(&g);
            a.y = got;
            assert_int_equal(cw_conv2d_f32(&a), CW_OK);
            if (memcmp(got, want, n * sizeof(float)) != 0)
                fail_msg("shape %d act %d: conv and matmul on im2col differ", s, act);
            free(A), free(want), free(got);
            free_args(&g);
        }
}

/* ---- backprop input ------------------------------------------------------------------- */

static void ref_backprop_input(const cw_conv2d_backprop_input_args *g, float *dx, double *scale) {
    const size_t n = (size_t)g->batch * g->in_h * g->in_w * g->in_c;
    double *acc = calloc(n + 1, sizeof(double));
    for (size_t i = 0; i < n; i++) scale[i] = 0;
    for (int b = 0; b < g->batch; b++)
        for (int oy = 0; oy < g->out_h; oy++)
            for (int ox = 0; ox < g->out_w; ox++)
                for (int ky = 0; ky < g->filter_h; ky++)
                    for (int kx = 0; kx < g->filter_w; kx++) {
                        int iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                        int ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
                        for (int ic = 0; ic < g->in_c; ic++)
                            for (int oc = 0; oc < g->out_c; oc++) {
                                double d =
                                    g->dy[(((size_t)b * g->out_h + oy) * g->out_w + ox) * g->out_c +
                                          oc];
                                double w =
                                    g->filter[(((size_t)ky * g->filter_w + kx) * g->in_c + ic) *
                                                  g->out_c +
                                              oc];
                                size_t o =
                                    (((size_t)b * g->in_h + iy) * g->in_w + ix) * g->in_c + ic;
                                acc[o] += d * w;
                                scale[o] += fabs(d * w);
                            }
                    }
    for (size_t i = 0; i < n; i++) dx[i] = (float)acc[i];
    free(acc);
}

/* The gradient problem of the forward problem make_2d(...) would build. */
static cw_conv2d_backprop_input_args make_bwd(int batch, int h, int w, int c, int oc, int kh,
                                              int kw, int sh, int sw, int dh, int dw, int mode,
                                              uint32_t seed) {
    cw_conv2d_backprop_input_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.in_h = h, g.in_w = w, g.in_c = c, g.out_c = oc;
    g.filter_h = kh, g.filter_w = kw, g.stride_h = sh, g.stride_w = sw;
    g.dilation_h = dh, g.dilation_w = dw;
    test_out_and_pad(h, kh, sh, dh, mode, &g.out_h, &g.pad_top);
    test_out_and_pad(w, kw, sw, dw, mode, &g.out_w, &g.pad_left);
    g.dy = rand_floats((size_t)batch * g.out_h * g.out_w * oc, seed);
    g.filter = rand_floats((size_t)kh * kw * c * oc, seed + 3);
    return g;
}

static void check_bwd(cw_conv2d_backprop_input_args g, const char *what) {
    const size_t n = (size_t)g.batch * g.in_h * g.in_w * g.in_c;
    float *got = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    double *scale = malloc((n + 1) * sizeof(double));
    for (size_t i = 0; i < n; i++) got[i] = NAN;
    ref_backprop_input(&g, want, scale);
    g.dx = got;
    char shape[256];
    snprintf(shape, sizeof shape,
             "b%d dx %dx%dx%d dy %dx%dx%d filter %dx%d stride %d,%d dil %d,%d pad %d,%d", g.batch,
             g.in_h, g.in_w, g.in_c, g.out_h, g.out_w, g.out_c, g.filter_h, g.filter_w, g.stride_h,
             g.stride_w, g.dilation_h, g.dilation_w, g.pad_top, g.pad_left);
    cw_status s = cw_conv2d_backprop_input_f32(&g);
    if (s != CW_OK) fail_msg("%s (%s): status %d: %s", what, shape, (int)s, cw_error_message());
    assert_near(got, want, scale, n, what, shape);
    free(got);
    free(want);
    free(scale);
}

static void free_bwd(cw_conv2d_backprop_input_args *g) {
    free((void *)g->dy);
    free((void *)g->filter);
}

static void backprop_input_matches_reference_over_strides_dilations_kernels_and_pads(void **st) {
    (void)st;
    static const int kernels[][2] = {{1, 1}, {3, 3}, {5, 5}, {2, 8}, {4, 1}};
    static const int sd[][4] = {{1, 1, 1, 1}, {2, 2, 1, 1}, {3, 2, 1, 1},
                                {1, 1, 2, 2}, {2, 3, 1, 2}, {3, 3, 1, 1}};
    int runs = 0;
    for (int ci = 0; ci < 9; ci += 2)
        for (int ki = 0; ki < 5; ki++)
            for (int si = 0; si < 6; si++)
                for (int mode = 0; mode < 3; mode++) {
                    const int c = channels[ci], oc = channels[(ci * 5 + ki + 3) % 9];
                    const int batch = 1 + (ki + si) % 2;
                    const int h = 7 + (ci % 3), w = 9 - (ki % 2) * 2;
                    cw_conv2d_backprop_input_args g =
                        make_bwd(batch, h, w, c, oc, kernels[ki][0], kernels[ki][1], sd[si][0],
                                 sd[si][1], sd[si][2], sd[si][3], mode, (uint32_t)(runs * 7 + 3));
                    if (g.out_h > 0 && g.out_w > 0) check_bwd(g, "backprop sweep");
                    free_bwd(&g);
                    runs++;
                }
}

static void backprop_input_handles_deep_wide_and_phase_without_taps(void **st) {
    (void)st;
    /* 64 dy channels x 9 taps spans K blocks; 300 dx channels span column
     * blocks; stride 3 over a 2x2 filter leaves phases no tap reaches. */
    static const int v[][8] = {{2, 21, 17, 20, 64, 3, 1, PAD_SAME},
                               {1, 9, 11, 300, 7, 3, 2, PAD_SAME},
                               {1, 13, 10, 5, 6, 2, 3, PAD_VALID},
                               {2, 8, 8, 3, 4, 1, 3, PAD_VALID},
                               {1, 30, 30, 16, 16, 4, 2, PAD_SAME}};
    for (int s = 0; s < 5; s++) {
        cw_conv2d_backprop_input_args g =
            make_bwd(v[s][0], v[s][1], v[s][2], v[s][3], v[s][4], v[s][5], v[s][5], v[s][6],
                     v[s][6], 1, 1, v[s][7], 60u + (uint32_t)s);
        check_bwd(g, "backprop large");
        free_bwd(&g);
    }
    /* dy without channels: dx is all zeros */
    cw_conv2d_backprop_input_args g = make_bwd(1, 5, 5, 3, 0, 3, 3, 2, 2, 1, 1, PAD_SAME, 9);
    check_bwd(g, "no dy channels");
    free_bwd(&g);
}

/* ---- threads and bad arguments --------------------------------------------------------- */

/* Few-channel shapes of the indirect GEMM (the speech and MNIST convnets'
 * first layers, padding on every side, a 1x1) for the thread test. */
static const int thread_shapes[][9] = {/* batch h w c oc kh kw stride mode */
                                       {1, 43, 40, 1, 8, 2, 8, 1, PAD_VALID},
                                       {3, 28, 28, 1, 16, 3, 3, 1, PAD_SAME},
                                       {2, 21, 30, 8, 32, 2, 4, 1, PAD_EXPLICIT},
                                       {2, 17, 19, 3, 13, 3, 3, 2, PAD_SAME},
                                       {2, 15, 9, 33, 20, 1, 1, 1, PAD_VALID}};

enum { NSHAPES = sizeof thread_shapes / sizeof thread_shapes[0] };
static float thread_bias[32];

/* Case i of the thread test (test_threads.h): the shapes above, then a deep
 * 3x3 with ELU (i = NSHAPES) and an input gradient (i = NSHAPES + 1). */
static size_t thread_case(int i, float *out, int check) {
    if (i == NSHAPES + 1) {
        cw_conv2d_backprop_input_args b =
            make_bwd(2, 31, 29, 19, 37, 3, 3, 2, 2, 1, 1, PAD_SAME, 78);
        const size_t n = (size_t)b.batch * b.in_h * b.in_w * b.in_c;
        if (out) {
            b.dx = out;
            assert_int_equal(cw_conv2d_backprop_input_f32(&b), CW_OK);
            if (check) check_bwd(b, "threads");
        }
        free_bwd(&b);
        return n;
    }
    cw_conv3d_args f;
    if (i == NSHAPES) {
        f = make_2d(2, 31, 29, 19, 37, 3, 3, 1, 1, 1, 1, PAD_SAME, 77);
        f.ep.act = CW_ACT_ELU;
    } else {
        const int *v = thread_shapes[i];
        test_fill(thread_bias, 32, 11, -0.5f, 0.5f);
        f = make_2d(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[7], 1, 1, v[8],
                    700u + (uint32_t)i);
        f.ep.bias = thread_bias, f.ep.bias_len = v[4];
        f.ep.act = i % 2 ? CW_ACT_RELU : CW_ACT_SIGMOID;
    }
    const size_t n = y_floats(&f);
    if (out) {
        cw_conv2d_args a = as_2d(&f);
        a.y = out;
        assert_int_equal(cw_conv2d_f32(&a), CW_OK);
        if (check) check_conv(f, 1, i < NSHAPES ? "threads, few channels" : "threads");
    }
    free_args(&f);
    return n;
}

static test_threads threads = {thread_case, NSHAPES + 2, {NULL}};
TEST_THREADS_GROUP(threads)

static void conv_is_bit_identical_for_any_thread_count(void **st) {
    (void)st;
    test_threads_compare(&threads);
}

static void expect_invalid(cw_status s, const char *prefix, const char *what) {
    if (s != CW_ERR_INVALID) fail_msg("%s: status %d, expected CW_ERR_INVALID", what, (int)s);
    if (strncmp(cw_error_message(), prefix, strlen(prefix)) != 0)
        fail_msg("%s: message '%s' does not start with '%s'", what, cw_error_message(), prefix);
}

static void conv_rejects_bad_arguments(void **st) {
    (void)st;
    float y[4 * 4 * 2 * 2], bias[2] = {0, 0};
    cw_conv3d_args f = make_2d(1, 4, 4, 3, 2, 3, 3, 1, 1, 1, 1, PAD_SAME, 5);
    f.y = y;
    cw_conv2d_args ok = as_2d(&f), a;
    assert_int_equal(cw_conv2d_f32(&ok), CW_OK);
    assert_int_equal(cw_conv2d_f32(NULL), CW_ERR_INVALID);
#define BAD(field, value)                                                                          \
    a = ok, a.field = value;                                                                       \
    expect_invalid(cw_conv2d_f32(&a), "Conv2D: ", #field " = " #value)
    BAD(stride_h, 0);
    BAD(stride_w, -1);
    BAD(dilation_h, 0);
    BAD(dilation_w, -2);
    BAD(filter_h, 0);
    BAD(batch, -1);
    BAD(in_c, -3);
    BAD(out_w, -1);
    BAD(pad_top, -1);
    BAD(y, NULL);
    BAD(x, NULL);
    BAD(filter, NULL);
    BAD(ep.act, (cw_act)42);
    BAD(ep.bias_len, 3);
    BAD(ep.bias_len, 2); /* with a NULL bias */
    a = ok, a.ep.act = CW_ACT_PRELU, a.ep.prelu = bias, a.ep.prelu_len = 5;
    expect_invalid(cw_conv2d_f32(&a), "Conv2D: ", "prelu length 5");
    a = ok, a.ep.act = CW_ACT_PRELU, a.ep.prelu_len = 1;
    expect_invalid(cw_conv2d_f32(&a), "Conv2D: ", "prelu NULL");
    a = ok, a.batch = 1 << 20, a.out_h = a.out_w = 1 << 14, a.out_c = 1 << 30;
    expect_invalid(cw_conv2d_f32(&a), "Conv2D: ", "output overflow");
    a = ok, a.filter_h = a.filter_w = 1 << 12, a.in_c = 1 << 12;
    expect_invalid(cw_conv2d_f32(&a), "Conv2D: ", "filter overflow");
#undef BAD
    cw_conv3d_args t = f;
    t.stride_d = 0;
    expect_invalid(cw_conv3d_f32(&t), "Conv3D: ", "conv3d stride 0");

    float dx[4 * 4 * 3];
    cw_conv2d_backprop_input_args bok = make_bwd(1, 4, 4, 3, 2, 3, 3, 2, 2, 1, 1, PAD_SAME, 6), b;
    bok.dx = dx;
    assert_int_equal(cw_conv2d_backprop_input_f32(&bok), CW_OK);
    assert_int_equal(cw_conv2d_backprop_input_f32(NULL), CW_ERR_INVALID);
#define BAD(field, value)                                                                          \
    b = bok, b.field = value;                                                                      \
    expect_invalid(cw_conv2d_backprop_input_f32(&b), "Conv2DBackpropInput: ", #field " = " #value)
    BAD(stride_h, 0);
    BAD(dilation_w, 0);
    BAD(filter_w, 0);
    BAD(in_h, -1);
    BAD(out_c, -1);
    BAD(pad_left, -4);
    BAD(dx, NULL);
    BAD(dy, NULL);
    BAD(filter, NULL);
#undef BAD
    b = bok, b.batch = 1 << 20, b.in_h = b.in_w = 1 << 14, b.in_c = 1 << 30;
    expect_invalid(cw_conv2d_backprop_input_f32(&b), "Conv2DBackpropInput: ", "dx overflow");
    free_args(&f);
    free_bwd(&bok);
}

static void expect_geometry_error(const cw_conv_geometry *g, const char *message) {
    cw_error(CW_OK, "%s", "");
    assert_int_equal(cw_conv_geometry_check(g, "Op"), CW_ERR_INVALID);
    if (strcmp(cw_error_message(), message) != 0)
        fail_msg("message '%s', expected '%s'", cw_error_message(), message);
}

static void conv_geometry_check_names_the_first_problem(void **st) {
    (void)st;
    const cw_conv_geometry ok = cw_conv_geometry_2d(2, 9, 8, 3, 5, 4, 6, 3, 2, 2, 2, 1, 1, 1, 0);
    assert_int_equal(cw_conv_geometry_check(&ok, "Op"), CW_OK);
    cw_conv_geometry g = ok;
    g.in[2] = -8;
    expect_geometry_error(&g, "Op: negative input shape (batch 2, 9 x -8, 3 channels)");
    g = ok, g.out_c = -6, g.out_name = "dy";
    expect_geometry_error(&g, "Op: negative dy shape (batch 2, 5 x 4, -6 channels)");
    g = ok, g.filter[1] = 0;
    expect_geometry_error(&g, "Op: filter size 0 x 2, expected at least 1 in every dimension");
    g = ok, g.stride[2] = 0;
    expect_geometry_error(&g, "Op: strides 2 x 0, expected >= 1");
    g = ok, g.dilation[1] = -1;
    expect_geometry_error(&g, "Op: dilations -1 x 1, expected >= 1");
    g = ok, g.pad[2] = -1;
    expect_geometry_error(&g, "Op: padding 1 x -1 (top x left), expected >= 0");
    g = ok, g.rank = 3, g.stride[0] = 0;
    expect_geometry_error(&g, "Op: strides 0 x 2 x 2, expected >= 1");
    g = ok, g.rank = 3, g.pad[0] = -2;
    expect_geometry_error(&g, "Op: padding -2 x 1 x 0 (front x top x left), expected >= 0");
    /* sizes in bytes past size_t, whatever its width; empty tensors never overflow */
    const int big = 1 << 30;
    g = ok, g.in[1] = g.in[2] = g.in_c = big;
    expect_geometry_error(&g, "Op: input size (batch 2, 1073741824 x 1073741824, 1073741824 "
                              "channels) overflows");
    g.batch = 0;
    assert_int_equal(cw_conv_geometry_check(&g, "Op"), CW_OK);
    g = ok, g.out[1] = g.out[2] = g.out_c = big;
    expect_geometry_error(&g, "Op: output size (batch 2, 1073741824 x 1073741824, 1073741824 "
                              "channels) overflows");
    g = ok, g.filter[1] = g.filter[2] = g.filter_c[0] = big;
    expect_geometry_error(&g, "Op: filter size 1073741824 x 1073741824 x 1073741824 x 6 "
                              "overflows");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(conv2d_matches_reference_over_channels_kernels_strides_dilations_and_pads),
        cmocka_unit_test(conv2d_matches_reference_on_large_depth_many_pixels_and_wide_outputs),
        cmocka_unit_test(conv2d_pointwise_matches_reference_and_accepts_a_packed_filter),
        cmocka_unit_test(conv2d_applies_every_epilogue),
        cmocka_unit_test(conv2d_indirect_gemm_matches_reference_around_quads_tiles_and_panels),
        cmocka_unit_test(conv2d_gives_the_bits_of_matmul_on_im2col_for_every_epilogue),
        cmocka_unit_test(conv2d_with_no_input_depth_or_no_valid_taps_gives_activation_of_bias),
        cmocka_unit_test(conv3d_matches_reference),
        cmocka_unit_test(backprop_input_matches_reference_over_strides_dilations_kernels_and_pads),
        cmocka_unit_test(backprop_input_handles_deep_wide_and_phase_without_taps),
        cmocka_unit_test(conv_rejects_bad_arguments),
        cmocka_unit_test(conv_geometry_check_names_the_first_problem),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
