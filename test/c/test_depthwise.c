#include "test_util.h"

#include <string.h>

#include "cw.h"
#include "test_threads.h"

/* The plain loop: taps ky then kx ascending from 0, padded taps skipped,
 * float sums as the kernel does them, then bias and the activation. With
 * SSE2 or scalar floats (no FMA) the kernel must give the same bits. */
static float ref_act(float v, const cw_epilogue *ep, int oc) {
    switch (ep->act) {
    case CW_ACT_RELU:
        return v < 0.0f ? 0.0f : v;
    case CW_ACT_RELU6:
        return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    case CW_ACT_ELU:
        return v >= 0.0f ? v : expm1f(v);
    case CW_ACT_LEAKYRELU:
        return v < 0.0f ? ep->alpha * v : v;
    case CW_ACT_PRELU:
        return v < 0.0f ? v * ep->prelu[ep->prelu_len == 1 ? 0 : oc] : v;
    case CW_ACT_SIGMOID:
        return 1.0f / (1.0f + expf(-v));
    default:
        return v;
    }
}

static void ref_depthwise(const cw_depthwise_args *g, float *y) {
    const int C = g->in_c, M = g->multiplier, OC = C * M;
    for (int b = 0; b < g->batch; b++)
        for (int oy = 0; oy < g->out_h; oy++)
            for (int ox = 0; ox < g->out_w; ox++)
                for (int c = 0; c < C; c++)
                    for (int m = 0; m < M; m++) {
                        const int oc = c * M + m;
                        float acc = 0.0f;
                        for (int ky = 0; ky < g->filter_h; ky++) {
                            const int iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                            if (iy < 0 || iy >= g->in_h) continue;
                            for (int kx = 0; kx < g->filter_w; kx++) {
                                const int ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                                if (ix < 0 || ix >= g->in_w) continue;
                                acc += g->x[(((size_t)b * g->in_h + iy) * g->in_w + ix) * C + c] *
                                       g->filter[((size_t)ky * g->filter_w + kx) * OC + oc];
                            }
                        }
                        if (g->ep.bias_len) acc += g->ep.bias[g->ep.bias_len == 1 ? 0 : oc];
                        y[(((size_t)b * g->out_h + oy) * g->out_w + ox) * OC + oc] =
                            ref_act(acc, &g->ep, oc);
                    }
}

static size_t out_floats(const cw_depthwise_args *g) {
    return (size_t)g->batch * g->out_h * g->out_w * g->in_c * g->multiplier;
}

#define DESCRIBE_FMT                                                                               \
    "(b=%d %dx%dx%d k=%dx%d M=%d s=%dx%d d=%dx%d pad=%d,%d out=%dx%d act=%d bias=%d)"
#define DESCRIBE(g)                                                                                \
    (g).batch, (g).in_h, (g).in_w, (g).in_c, (g).filter_h, (g).filter_w, (g).multiplier,           \
        (g).stride_h, (g).stride_w, (g).dilation_h, (g).dilation_w, (g).pad_top, (g).pad_left,     \
        (g).out_h, (g).out_w, (int)(g).ep.act, (g).ep.bias_len

/* Runs the kernel on g and compares with the reference: same bits, except
 * elu / sigmoid (library exp) within 1e-6 relative. */
static void check_depthwise(cw_depthwise_args g, const char *what) {
    const size_t n = out_floats(&g);
    float *got = malloc((n + 1) * sizeof(float)), *want = malloc((n + 1) * sizeof(float));
    for (size_t i = 0; i < n; i++) got[i] = NAN;
    g.y = got;
    ref_depthwise(&g, want);
    cw_status s = cw_depthwise_conv2d_f32(&g);
    if (s != CW_OK) fail_msg("%s: status %d: %s", what, (int)s, cw_error_message());
    const int exact = g.ep.act != CW_ACT_ELU && g.ep.act != CW_ACT_SIGMOID;
    for (size_t i = 0; i < n; i++) {
        const int ok = exact ? memcmp(&got[i], &want[i], sizeof(float)) == 0
                             : fabsf(got[i] - want[i]) <= 1e-6f + 1e-6f * fabsf(want[i]);
        if (!ok)
            fail_msg("%s " DESCRIBE_FMT ": element %zu is %.9g, expected %.9g", what, DESCRIBE(g),
                     i, (double)got[i], (double)want[i]);
    }
    free(got);
    free(want);
}

typedef enum { PAD_SAME, PAD_VALID, PAD_EXPLICIT } pad_kind;

/* Output size and top/left padding as TF.js computes them. */
static void set_padding(cw_depthwise_args *g, pad_kind kind) {
    const int ekh = (g->filter_h - 1) * g->dilation_h + 1,
              ekw = (g->filter_w - 1) * g->dilation_w + 1;
    if (kind == PAD_SAME) {
        g->out_h = (g->in_h + g->stride_h - 1) / g->stride_h;
        g->out_w = (g->in_w + g->stride_w - 1) / g->stride_w;
        int ph = (g->out_h - 1) * g->stride_h + ekh - g->in_h;
        int pw = (g->out_w - 1) * g->stride_w + ekw - g->in_w;
        g->pad_top = ph > 0 ? ph / 2 : 0;
        g->pad_left = pw > 0 ? pw / 2 : 0;
    } else if (kind == PAD_VALID) {
        g->pad_top = g->pad_left = 0;
        g->out_h = g->in_h >= ekh ? (g->in_h - ekh) / g->stride_h + 1 : 0;
        g->out_w = g->in_w >= ekw ? (g->in_w - ekw) / g->stride_w + 1 : 0;
    } else { /* top 1, bottom 2, left 2, right 0 */
        g->pad_top = 1, g->pad_left = 2;
        int h = g->in_h + 3 - ekh, w = g->in_w + 2 - ekw;
        g->out_h = h >= 0 ? h / g->stride_h + 1 : 0;
        g->out_w = w >= 0 ? w / g->stride_w + 1 : 0;
    }
}

static cw_depthwise_args make_args(int batch, int h, int w, int c, int kh, int kw, int mult, int sh,
                                   int sw, int dh, int dw, pad_kind pad, uint32_t seed) {
    cw_depthwise_args g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.in_h = h, g.in_w = w, g.in_c = c;
    g.filter_h = kh, g.filter_w = kw, g.multiplier = mult;
    g.stride_h = sh, g.stride_w = sw, g.dilation_h = dh, g.dilation_w = dw;
    set_padding(&g, pad);
    const size_t nx = (size_t)batch * h * w * c, nf = (size_t)kh * kw * c * mult;
    float *x = malloc((nx + 1) * sizeof(float)), *f = malloc((nf + 1) * sizeof(float));
    test_fill(x, nx, seed, -1.0f, 1.0f);
    test_fill(f, nf, seed + 7, -1.0f, 1.0f);
    g.x = x, g.filter = f;
    return g;
}

static void free_args(cw_depthwise_args *g) {
    free((void *)g->x);
    free((void *)g->filter);
}

static const int channels[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33};
#define NCHANNELS (int)(sizeof channels / sizeof channels[0])
static const int windows[][2] = {{1, 1}, {3, 3}, {5, 5}, {2, 3}};

static void depthwise_matches_reference_on_channel_window_stride_and_padding_sweeps(void **state) {
    (void)state;
    uint32_t seed = 1;
    for (int ci = 0; ci < NCHANNELS; ci++)
        for (int mult = 1; mult <= 3; mult++)
            for (int wi = 0; wi < 4; wi++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                        for (int pad = PAD_SAME; pad <= PAD_EXPLICIT; pad++) {
                            const int batch = 1 + (int)(seed & 1);
                            const int h = 5 + (int)(seed % 5), w = 7 + (int)(seed % 4);
                            cw_depthwise_args g =
                                make_args(batch, h, w, channels[ci], windows[wi][0], windows[wi][1],
                                          mult, s, s == 3 ? 2 : s, d, d, (pad_kind)pad, seed++);
                            check_depthwise(g, "sweep");
                            free_args(&g);
                        }
}

/* A k x k window, multiplier 1, stride 1 and 2 over n images hw[i] and nch
 * channel counts ch[c], every padding mode, then an explicit padding of
 * k - 1 rows and k columns: border pixels only, some with no taps at all. */
static void check_fast_path(int k, const int (*hw)[2], int n, const int *ch, int nch, uint32_t seed,
                            const char *what) {
    char wide[64];
    snprintf(wide, sizeof wide, "%s, wide padding", what);
    for (int s = 1; s <= 2; s++)
        for (int i = 0; i < n; i++)
            for (int ci = 0; ci < nch; ci++)
                for (int pad = PAD_SAME; pad <= PAD_EXPLICIT; pad++) {
                    cw_depthwise_args g = make_args(1 + (i & 1), hw[i][0], hw[i][1], ch[ci], k, k,
                                                    1, s, s, 1, 1, (pad_kind)pad, seed++);
                    check_depthwise(g, what);
                    g.pad_top = k - 1, g.pad_left = k;
                    g.out_h = (g.in_h + 2 * (k - 1) - k) / s + 1;
                    g.out_w = (g.in_w + 2 * k - k) / s + 1;
                    check_depthwise(g, wide);
                    free_args(&g);
                }
}

/* 3x3: images narrower than a vector, single rows and columns. */
static void depthwise_3x3_fast_paths_match_reference_on_small_and_odd_images(void **state) {
    (void)state;
    static const int hw[][2] = {{1, 1}, {1, 3}, {3, 1}, {1, 7}, {2, 2}, {3, 3},  {3, 4},
                                {4, 3}, {5, 2}, {2, 5}, {6, 9}, {9, 6}, {7, 13}, {16, 17}};
    check_fast_path(3, hw, 14, channels, NCHANNELS, 500, "3x3 fast path");
}

/* 5x5: sizes around the pixel groups (1..5 interior pixels, odd
 * remainders), channels around the vector width, rows that miss top or
 * bottom taps. */
static void depthwise_5x5_fast_paths_match_reference_on_small_and_odd_images(void **state) {
    (void)state;
    static const int hw[][2] = {{1, 1}, {1, 5}, {5, 1}, {2, 7},  {4, 4},  {5, 5},  {5, 6},
                                {6, 5}, {5, 8}, {7, 9}, {8, 11}, {9, 13}, {11, 7}, {16, 17}};
    static const int ch[] = {1, 3, 4, 5, 8, 9, 15, 16, 17, 31, 32, 33};
    check_fast_path(5, hw, 14, ch, 12, 1500, "5x5 fast path");
}

/* The 3x3 / 5x5 pixel groups on long rows: every remainder of the group
 * size, with bias and relu6 in registers. */
static void depthwise_fast_paths_match_reference_on_every_group_remainder(void **state) {
    (void)state;
    uint32_t seed = 2500;
    for (int k = 3; k <= 5; k += 2)
        for (int s = 1; s <= 2; s++)
            for (int w = 9; w <= 17; w++)
                for (int c = 7; c <= 9; c++) {
                    cw_depthwise_args g =
                        make_args(1, 6, w, c, k, k, 1, s, s, 1, 1, PAD_VALID, seed++);
                    float bias[9];
                    test_fill(bias, 9, seed, -1.0f, 1.0f);
                    g.ep.bias = bias, g.ep.bias_len = c, g.ep.act = CW_ACT_RELU6;
                    check_depthwise(g, "group remainder");
                    free_args(&g);
                }
}

/* Multiplier > 1: one to five filters per channel (the 2, 3, 4-wide
 * accumulator groups and the leftover ones), channels around the vector
 * width, strides, dilations, paddings. */
static void depthwise_multiplier_path_matches_reference(void **state) {
    (void)state;
    static const int ch[] = {1, 3, 4, 5, 8, 9, 16, 17};
    uint32_t seed = 3500;
    for (int mult = 2; mult <= 9; mult += (mult < 5 ? 1 : 4))
        for (int ci = 0; ci < 8; ci++)
            for (int k = 1; k <= 5; k += 2)
                for (int s = 1; s <= 2; s++)
                    for (int d = 1; d <= 2; d++)
                        for (int pad = PAD_SAME; pad <= PAD_EXPLICIT; pad++) {
                            if (s > 1 && d > 1) continue;
                            const int batch = 1 + (int)(seed & 1);
                            cw_depthwise_args g = make_args(batch, 6, 7, ch[ci], k, k, mult, s, s,
                                                            d, d, (pad_kind)pad, seed++);
                            check_depthwise(g, "multiplier");
                            free_args(&g);
                        }
}

static void depthwise_applies_every_epilogue(void **state) {
    (void)state;
    /* M=2 5x5, 3x3 s1, 3x3 s2, channel tails, 5x5 s1 / s2, M=4 3x3, M=5 */
    static const int shapes[][6] = {{7, 9, 5, 5, 2, 1}, {8, 8, 17, 3, 1, 1}, {9, 7, 9, 3, 1, 2},
                                    {4, 5, 4, 3, 1, 1}, {9, 11, 9, 5, 1, 1}, {11, 9, 6, 5, 1, 2},
                                    {6, 7, 5, 3, 4, 1}, {5, 6, 4, 3, 5, 2}};
    for (int s = 0; s < 8; s++)
        for (int act = CW_ACT_LINEAR; act <= CW_ACT_SIGMOID; act++)
            for (int bl = 0; bl < 3; bl++)
                for (int pl = 0; pl < 2; pl++) {
                    if (pl && act != CW_ACT_PRELU) continue;
                    const int *sh = shapes[s];
                    cw_depthwise_args g =
                        make_args(2, sh[0], sh[1], sh[2], sh[3], sh[3], sh[4], sh[5], sh[5], 1, 1,
                                  PAD_SAME, 900u + (uint32_t)s);
                    const int OC = sh[2] * sh[4];
                    float *bias = malloc(OC * sizeof(float)), *w = malloc(OC * sizeof(float));
                    test_fill(bias, OC, 77, -3.0f, 7.0f); /* spreads values over relu6's range */
                    test_fill(w, OC, 78, 0.0f, 1.0f);
                    g.ep.bias = bl ? bias : NULL;
                    g.ep.bias_len = bl == 0 ? 0 : (bl == 1 ? 1 : OC);
                    g.ep.act = (cw_act)act;
                    g.ep.alpha = 0.3f;
                    if (act == CW_ACT_PRELU) g.ep.prelu = w, g.ep.prelu_len = pl ? OC : 1;
                    check_depthwise(g, "epilogue");
                    free(bias);
                    free(w);
                    free_args(&g);
                }
}

static void depthwise_with_no_valid_taps_gives_activation_of_bias(void **state) {
    (void)state;
    /* an empty image with padding: every output is act(bias) */
    float bias[3] = {-1.0f, 2.0f, 9.0f}, f[27], y[2 * 2 * 3];
    test_fill(f, 27, 5, -1.0f, 1.0f);
    cw_depthwise_args g;
    memset(&g, 0, sizeof g);
    g.batch = 1, g.in_h = 0, g.in_w = 0, g.in_c = 3, g.filter_h = 3, g.filter_w = 3;
    g.multiplier = 1, g.out_h = 2, g.out_w = 2, g.stride_h = g.stride_w = 1;
    g.dilation_h = g.dilation_w = 1, g.pad_top = g.pad_left = 1;
    g.filter = f, g.y = y, g.ep.bias = bias, g.ep.bias_len = 3, g.ep.act = CW_ACT_RELU6;
    assert_int_equal(cw_depthwise_conv2d_f32(&g), CW_OK);
    for (int i = 0; i < 4; i++) {
        assert_true(y[i * 3] == 0.0f);
        assert_true(y[i * 3 + 1] == 2.0f);
        assert_true(y[i * 3 + 2] == 6.0f);
    }
}

static void depthwise_relu_propagates_nan(void **state) {
    (void)state;
    for (int i = 0; i < 4; i++) { /* scalar tail and vector lanes; 3x3 and 5x5 */
        const int c = i & 1 ? 5 : 1, k = i < 2 ? 3 : 5;
        cw_depthwise_args g = make_args(1, 6, 6, c, k, k, 1, 1, 1, 1, 1, PAD_SAME, 42);
        ((float *)g.x)[(2 * 6 + 2) * c] = NAN;
        for (int act = CW_ACT_RELU; act <= CW_ACT_RELU6; act++) {
            g.ep.act = (cw_act)act;
            check_depthwise(g, "nan");
        }
        free_args(&g);
    }
}

static void expect_invalid(const cw_depthwise_args *g, const char *needle) {
    cw_error(CW_OK, "%s", "");
    assert_int_equal(cw_depthwise_conv2d_f32(g), CW_ERR_INVALID);
    const char *msg = cw_error_message();
    if (!strstr(msg, "DepthwiseConv2dNative: ") || !strstr(msg, needle))
        fail_msg("message \"%s\" does not mention \"%s\"", msg, needle);
}

static void depthwise_rejects_bad_arguments(void **state) {
    (void)state;
    cw_depthwise_args ok = make_args(1, 5, 5, 3, 3, 3, 2, 1, 1, 1, 1, PAD_SAME, 3);
    float y[5 * 5 * 6], bias[6] = {0};
    ok.y = y;
    assert_int_equal(cw_depthwise_conv2d_f32(&ok), CW_OK);
    cw_depthwise_args g;
    assert_int_equal(cw_depthwise_conv2d_f32(NULL), CW_ERR_INVALID);
    g = ok, g.batch = -1;
    expect_invalid(&g, "negative input shape");
    g = ok, g.in_c = -2;
    expect_invalid(&g, "negative input shape");
    g = ok, g.out_w = -1;
    expect_invalid(&g, "negative output shape");
    g = ok, g.filter_h = 0;
    expect_invalid(&g, "filter size 0 x 3");
    g = ok, g.multiplier = 0;
    expect_invalid(&g, "multiplier 0");
    g = ok, g.stride_w = 0;
    expect_invalid(&g, "strides 1 x 0");
    g = ok, g.dilation_h = -1;
    expect_invalid(&g, "dilations -1 x 1");
    g = ok, g.pad_left = -1;
    expect_invalid(&g, "padding");
    g = ok, g.ep.act = (cw_act)9;
    expect_invalid(&g, "unknown activation 9");
    g = ok, g.ep.bias = bias, g.ep.bias_len = 3;
    expect_invalid(&g, "bias length 3");
    g = ok, g.ep.bias_len = 6;
    expect_invalid(&g, "bias is NULL");
    g = ok, g.ep.act = CW_ACT_PRELU;
    expect_invalid(&g, "prelu weights length 0");
    g = ok, g.ep.act = CW_ACT_PRELU, g.ep.prelu_len = 6;
    expect_invalid(&g, "prelu weights are NULL");
    g = ok, g.x = NULL;
    expect_invalid(&g, "x is NULL");
    g = ok, g.filter = NULL;
    expect_invalid(&g, "filter is NULL");
    g = ok, g.y = NULL;
    expect_invalid(&g, "y is NULL");
    g = ok, g.in_c = INT32_MAX, g.multiplier = 2;
    expect_invalid(&g, "overflows");
    g = ok, g.batch = INT32_MAX, g.out_h = INT32_MAX, g.out_w = INT32_MAX;
    expect_invalid(&g, "overflows");
    g = ok, g.out_w = INT32_MAX / 2, g.stride_w = 3;
    expect_invalid(&g, "int range");
    g = ok, g.filter_w = 3, g.dilation_w = INT32_MAX;
    expect_invalid(&g, "int range");
    /* empty outputs are fine with nothing to read or write */
    g = ok, g.batch = 0, g.x = NULL, g.y = NULL;
    assert_int_equal(cw_depthwise_conv2d_f32(&g), CW_OK);
    g = ok, g.out_h = 0, g.y = NULL;
    assert_int_equal(cw_depthwise_conv2d_f32(&g), CW_OK);
    g = ok, g.in_c = 0, g.x = NULL, g.filter = NULL, g.y = NULL;
    assert_int_equal(cw_depthwise_conv2d_f32(&g), CW_OK);
    free_args(&ok);
}

/* The thread test's cases (test_threads.h): every row kernel, ELU after. */
static const int thread_shapes[][8] = {{2, 33, 31, 17, 3, 1, 1, 1}, {1, 40, 41, 32, 3, 1, 2, 1},
                                       {3, 20, 19, 5, 5, 3, 1, 2},  {2, 30, 29, 19, 5, 1, 1, 1},
                                       {1, 31, 33, 12, 5, 1, 2, 1}, {2, 21, 22, 9, 3, 4, 1, 1}};

static size_t thread_case(int s, float *out, int check) {
    const int *sh = thread_shapes[s];
    cw_depthwise_args g = make_args(sh[0], sh[1], sh[2], sh[3], sh[4], sh[4], sh[5], sh[6], sh[6],
                                    sh[7], sh[7], PAD_SAME, 700u + (uint32_t)s);
    g.ep.act = CW_ACT_ELU;
    const size_t n = out_floats(&g);
    if (out) {
        g.y = out;
        assert_int_equal(cw_depthwise_conv2d_f32(&g), CW_OK);
        if (check) check_depthwise(g, "threads");
    }
    free_args(&g);
    return n;
}

static test_threads threads = {thread_case, 6, {NULL}};
TEST_THREADS_GROUP(threads)

static void depthwise_is_bit_identical_for_any_thread_count(void **state) {
    (void)state;
    test_threads_compare(&threads);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depthwise_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(depthwise_matches_reference_on_channel_window_stride_and_padding_sweeps),
        cmocka_unit_test(depthwise_3x3_fast_paths_match_reference_on_small_and_odd_images),
        cmocka_unit_test(depthwise_5x5_fast_paths_match_reference_on_small_and_odd_images),
        cmocka_unit_test(depthwise_fast_paths_match_reference_on_every_group_remainder),
        cmocka_unit_test(depthwise_multiplier_path_matches_reference),
        cmocka_unit_test(depthwise_applies_every_epilogue),
        cmocka_unit_test(depthwise_with_no_valid_taps_gives_activation_of_bias),
        cmocka_unit_test(depthwise_relu_propagates_nan),
        cmocka_unit_test(depthwise_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
