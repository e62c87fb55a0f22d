/* The nn family of graph ops (Conv2D, depthwise, MatMul, pooling and their
 * fused forms): infer() shapes and problems, run() against direct loops. */
#include "test_gop_util.h"

static float xs[4096], ws[4096], bias[64], alphas[64], want[8192];

/* ---- references ---- */

/* a == b ignoring ASCII case (fused_ops are matched so). */
static int word_eq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if ((*a | 0x20) != (*b | 0x20)) return 0;
    return *a == *b;
}

static float ref_act(float v, int oc, const char *act, float alpha) {
    if (!act) return v;
    if (word_eq(act, "Relu")) return v > 0 ? v : 0;
    if (word_eq(act, "Relu6")) return v < 0 ? 0 : v > 6 ? 6 : v;
    if (word_eq(act, "Elu")) return v >= 0 ? v : expf(v) - 1;
    if (word_eq(act, "LeakyRelu")) return v < 0 ? alpha * v : v;
    if (word_eq(act, "Prelu")) return v < 0 ? alphas[oc] * v : v;
    if (word_eq(act, "Sigmoid")) return 1 / (1 + expf(-v));
    if (word_eq(act, "Tanh")) return tanhf(v);
    fail_msg("unknown activation %s", act);
    return 0;
}

/* Output size and leading pad of one axis, TF's rules written out. */
static int ref_out(int in, int k, int s, int d, const char *padding, int before, int after,
                   int *pad) {
    int eff = (k - 1) * d + 1;
    if (!strcmp(padding, "SAME")) {
        int out = (in + s - 1) / s, total = (out - 1) * s + eff - in;
        *pad = total > 0 ? total / 2 : 0;
        return out;
    }
    int explicit_pads = !strcmp(padding, "EXPLICIT");
    *pad = explicit_pads ? before : 0;
    int padded = in + (explicit_pads ? before + after : 0);
    return padded >= eff ? (padded - eff) / s + 1 : 0;
}

/* ---- convolutions ---- */

typedef struct {
    const char *op; /* Conv2D, _FusedConv2D, DepthwiseConv2dNative, ... */
    int n, h, w, c; /* x */
    int fh, fw, m;  /* filter; m: out channels, or the depthwise multiplier */
    int sh, sw, dh, dw;
    const char *padding;
    int pads[4];          /* EXPLICIT: top, bottom, left, right */
    const char *fused[2]; /* "BiasAdd" and / or an activation */
    float alpha;          /* LeakyRelu */
    int oh, ow;           /* the output size TF gives, written by hand */
} conv_case;

static void check_conv(const conv_case *k, int filter_const) {
    const int dw = strstr(k->op, "Depthwise") != NULL, OC = dw ? k->c * k->m : k->m;
    int pt, pl;
    const int oh = ref_out(k->h, k->fh, k->sh, k->dh, k->padding, k->pads[0], k->pads[1], &pt);
    const int ow = ref_out(k->w, k->fw, k->sw, k->dw, k->padding, k->pads[2], k->pads[3], &pl);
    assert_int_equal(oh, k->oh);
    assert_int_equal(ow, k->ow);
    test_fill(xs, (size_t)k->n * k->h * k->w * k->c, 1, -1, 1);
    test_fill(ws, (size_t)k->fh * k->fw * k->c * k->m, 2, -1, 1);
    test_fill(bias, (size_t)OC, 3, -2, 2);
    test_fill(alphas, (size_t)OC, 4, 0, 0.5f);
    int has_bias = k->fused[0] && word_eq(k->fused[0], "BiasAdd");
    const char *act = k->fused[has_bias];
    int has_prelu = act && word_eq(act, "Prelu");

    cw_gvalue x = value(CW_F32, 4, (const int32_t[]){k->n, k->h, k->w, k->c}, xs, 0);
    cw_gvalue f = value(CW_F32, 4, (const int32_t[]){k->fh, k->fw, k->c, k->m}, ws, filter_const);
    cw_gvalue b = value(CW_F32, 1, (const int32_t[]){OC}, bias, 1);
    cw_gvalue a = value(CW_F32, 3, (const int32_t[]){1, 1, OC}, alphas, 1);
    cw_gvalue *in[4] = {&x, &f, &b, &a};
    if (!has_bias) in[2] = &a;
    int64_t strides[4] = {1, k->sh, k->sw, 1}, dil[4] = {1, k->dh, k->dw, 1};
    int64_t expl[8] = {0, 0, k->pads[0], k->pads[1], k->pads[2], k->pads[3], 0, 0};
    const char *fused[2] = {k->fused[0], k->fused[1]};
    size_t n_fused = (fused[0] != NULL) + (fused[1] != NULL);
    cw_attr attrs[] = {attr_ints("strides", strides, 4),
                       attr_ints("dilations", dil, 4),
                       attr_str("padding", k->padding),
                       attr_ints("explicit_paddings", expl, 8),
                       attr_str("data_format", "NHWC"),
                       attr_strs("fused_ops", fused, n_fused),
                       attr_int("num_args", has_bias + has_prelu),
                       attr_float("leakyrelu_alpha", k->alpha)};
    harness h;
    if (infer(&h, k->op, attrs, 8, in, 2 + (size_t)has_bias + (size_t)has_prelu) != 0)
        fail_msg("%s: %s", k->op, cw_problems_text(&h.problems));
    assert_shape(&h.out[0], 4, (const int32_t[]){k->n, oh, ow, OC});
    assert_int_equal(h.out[0].dtype, CW_F32);
    assert_int_equal(run(&h), CW_OK);

    size_t o = 0;
    for (int bi = 0; bi < k->n; bi++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int oc = 0; oc < OC; oc++, o++) {
                    double s = 0;
                    for (int ky = 0; ky < k->fh; ky++)
                        for (int kx = 0; kx < k->fw; kx++) {
                            int iy = oy * k->sh - pt + ky * k->dh,
                                ix = ox * k->sw - pl + kx * k->dw;
                            if (iy < 0 || iy >= k->h || ix < 0 || ix >= k->w) continue;
                            const float *px = xs + (((size_t)bi * k->h + iy) * k->w + ix) * k->c;
                            const float *pw = ws + ((size_t)ky * k->fw + kx) * k->c * k->m;
                            if (dw)
                                s += (double)px[oc / k->m] * pw[oc];
                            else
                                for (int ic = 0; ic < k->c; ic++)
                                    s += (double)px[ic] * pw[(size_t)ic * k->m + oc];
                        }
                    want[o] = ref_act((float)s + (has_bias ? bias[oc] : 0), oc, act, k->alpha);
                }
    test_assert_close(h.out[0].data, want, o, 1e-5f, 1e-5f, k->op);
    release(&h);
}

static void
conv2d_matches_direct_loops_for_same_valid_strides_dilation_and_explicit_pads(void **state) {
    (void)state;
    const conv_case cases[] = {
        {"Conv2D", 2, 7, 6, 3, 3, 2, 5, 1, 1, 1, 1, "SAME", {0}, {0}, 0, 7, 6},
        {"Conv2D", 2, 7, 6, 3, 3, 2, 5, 1, 1, 1, 1, "VALID", {0}, {0}, 0, 5, 5},
        {"Conv2D", 1, 7, 6, 3, 3, 3, 4, 2, 2, 1, 1, "SAME", {0}, {0}, 0, 4, 3},
        {"Conv2D", 1, 8, 7, 2, 3, 3, 4, 2, 3, 1, 1, "SAME", {0}, {0}, 0, 4, 3},
        {"Conv2D", 1, 7, 6, 3, 3, 3, 4, 2, 2, 1, 1, "VALID", {0}, {0}, 0, 3, 2},
        {"Conv2D", 1, 9, 8, 3, 3, 2, 3, 1, 1, 2, 2, "SAME", {0}, {0}, 0, 9, 8},
        {"Conv2D", 1, 9, 8, 3, 3, 2, 3, 1, 1, 2, 3, "VALID", {0}, {0}, 0, 5, 5},
        {"Conv2D", 1, 7, 6, 3, 3, 3, 5, 2, 1, 1, 1, "EXPLICIT", {1, 2, 2, 0}, {0}, 0, 4, 6},
        {"Conv2D", 1, 5, 5, 9, 1, 1, 11, 1, 1, 1, 1, "VALID", {0}, {0}, 0, 5, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_conv(&cases[i], 1);
        check_conv(&cases[i], 0);
    }
}

static void fused_conv2d_applies_bias_then_relu6_leakyrelu_prelu_or_tanh(void **state) {
    (void)state;
    const conv_case cases[] = {
        {"_FusedConv2D", 1, 7, 6, 3, 3, 3, 5, 2, 2, 1, 1, "SAME", {0}, {"BiasAdd", NULL}, 0, 4, 3},
        {"_FusedConv2D",
         1,
         7,
         6,
         3,
         3,
         3,
         5,
         1,
         1,
         1,
         1,
         "SAME",
         {0},
         {"BiasAdd", "Relu6"},
         0,
         7,
         6},
        {"_FusedConv2D",
         2,
         6,
         5,
         2,
         2,
         3,
         9,
         1,
         1,
         2,
         1,
         "VALID",
         {0},
         {"BiasAdd", "LeakyRelu"},
         0.3f,
         4,
         3},
        {"_FusedConv2D",
         1,
         5,
         6,
         3,
         3,
         3,
         4,
         1,
         1,
         1,
         1,
         "SAME",
         {0},
         {"BiasAdd", "Prelu"},
         0,
         5,
         6},
        {"_FusedConv2D", 1, 5, 6, 3, 3, 3, 4, 1, 1, 1, 1, "SAME", {0}, {"Prelu", NULL}, 0, 5, 6},
        {"_FusedConv2D",
         1,
         5,
         6,
         3,
         3,
         3,
         4,
         1,
         2,
         1,
         1,
         "VALID",
         {0},
         {"BiasAdd", "Tanh"},
         0,
         3,
         2},
        {"_FusedConv2D",
         1,
         5,
         6,
         3,
         3,
         3,
         4,
         1,
         1,
         1,
         1,
         "SAME",
         {0},
         {"biasadd", "sigmoid"},
         0,
         5,
         6},
        {"_FusedConv2D", 1, 5, 6, 3, 1, 1, 4, 1, 1, 1, 1, "SAME", {0}, {"BiasAdd", "Elu"}, 0, 5, 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_conv(&cases[i], 1);
}

static void depthwise_conv2d_matches_direct_loops_with_multiplier_and_fused_bias(void **state) {
    (void)state;
    const conv_case cases[] = {
        {"DepthwiseConv2dNative", 2, 7, 6, 5, 3, 3, 1, 1, 1, 1, 1, "SAME", {0}, {0}, 0, 7, 6},
        {"DepthwiseConv2dNative", 1, 7, 6, 3, 3, 3, 2, 2, 2, 1, 1, "SAME", {0}, {0}, 0, 4, 3},
        {"DepthwiseConv2dNative", 1, 9, 8, 4, 3, 3, 1, 1, 1, 2, 2, "VALID", {0}, {0}, 0, 5, 4},
        {"DepthwiseConv2dNative", 1, 6, 7, 3, 5, 5, 1, 2, 2, 1, 1, "SAME", {0}, {0}, 0, 3, 4},
        {"DepthwiseConv2dNative",
         1,
         6,
         7,
         3,
         2,
         3,
         2,
         1,
         2,
         1,
         1,
         "EXPLICIT",
         {0, 1, 2, 2},
         {0},
         0,
         6,
         5},
        {"FusedDepthwiseConv2dNative",
         1,
         7,
         6,
         6,
         3,
         3,
         1,
         1,
         1,
         1,
         1,
         "SAME",
         {0},
         {"BiasAdd", "Relu6"},
         0,
         7,
         6},
        {"FusedDepthwiseConv2dNative",
         1,
         7,
         6,
         3,
         3,
         3,
         3,
         2,
         2,
         1,
         1,
         "VALID",
         {0},
         {"BiasAdd", "LeakyRelu"},
         0.1f,
         3,
         2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_conv(&cases[i], 1);
}

/* ---- MatMul ---- */

static void check_matmul(const char *op, int M, int N, int K, int ta, int tb, const char *act,
                         int b_const) {
    test_fill(xs, (size_t)M * K, 5, -1, 1);
    test_fill(ws, (size_t)K * N, 6, -1, 1);
    test_fill(bias, (size_t)N, 7, -1, 1);
    cw_gvalue a = value(CW_F32, 2, ta ? (const int32_t[]){K, M} : (const int32_t[]){M, K}, xs, 0);
    cw_gvalue b =
        value(CW_F32, 2, tb ? (const int32_t[]){N, K} : (const int32_t[]){K, N}, ws, b_const);
    cw_gvalue bv = value(CW_F32, 1, (const int32_t[]){N}, bias, 1);
    cw_gvalue *in[] = {&a, &b, &bv};
    const char *fused[2] = {"BiasAdd", act};
    int fused_op = op[0] == '_';
    cw_attr attrs[] = {attr_bool("transpose_a", ta), attr_bool("transpose_b", tb),
                       attr_strs("fused_ops", fused, act ? 2 : 1), attr_int("num_args", 1),
                       attr_float("leakyrelu_alpha", 0.25)};
    harness h;
    if (infer(&h, op, attrs, fused_op ? 5 : 2, in, fused_op ? 3 : 2) != 0)
        fail_msg("%s: %s", op, cw_problems_text(&h.problems));
    assert_shape(&h.out[0], 2, (const int32_t[]){M, N});
    assert_int_equal(h.out[0].dtype, CW_F32);
    assert_int_equal(run(&h), CW_OK);
    for (int m = 0; m < M; m++)
        for (int n = 0; n < N; n++) {
            double s = 0;
            for (int k = 0; k < K; k++)
                s += (double)xs[ta ? k * M + m : m * K + k] * ws[tb ? n * K + k : k * N + n];
            float v = (float)s;
            want[m * N + n] = fused_op ? ref_act(v + bias[n], n, act, 0.25f) : v;
        }
    test_assert_close(h.out[0].data, want, (size_t)M * N, 1e-5f, 1e-5f, op);
    release(&h);
}

static void matmul_matches_loops_with_transposes_and_fused_bias_activation(void **state) {
    (void)state;
    for (int t = 0; t < 4; t++) {
        check_matmul("MatMul", 5, 11, 7, t & 1, t >> 1, NULL, 1);
        check_matmul("MatMul", 9, 3, 13, t & 1, t >> 1, NULL, 0);
    }
    check_matmul("MatMul", 1, 17, 1, 0, 0, NULL, 1);
    check_matmul("_FusedMatMul", 6, 10, 5, 0, 1, NULL, 1);
    check_matmul("_FusedMatMul", 6, 10, 5, 0, 1, "Relu", 1);
    check_matmul("_FusedMatMul", 7, 9, 4, 1, 0, "LeakyRelu", 0);
    check_matmul("_FusedMatMul", 3, 9, 8, 0, 0, "Tanh", 1);
}

/* ---- pooling ---- */

static void check_pool(const char *op, int n, int H, int W, int C, int kh, int kw, int sh, int sw,
                       const char *padding, int oh_want, int ow_want) {
    test_fill(xs, (size_t)n * H * W * C, 8, -1, 1);
    cw_gvalue x = value(CW_F32, 4, (const int32_t[]){n, H, W, C}, xs, 0);
    cw_gvalue *in[] = {&x};
    int64_t ksize[4] = {1, kh, kw, 1}, strides[4] = {1, sh, sw, 1};
    cw_attr attrs[] = {attr_ints("ksize", ksize, 4), attr_ints("strides", strides, 4),
                       attr_str("padding", padding), attr_str("data_format", "NHWC")};
    harness h;
    if (infer(&h, op, attrs, 4, in, 1) != 0) fail_msg("%s: %s", op, cw_problems_text(&h.problems));
    int pt, pl, oh = ref_out(H, kh, sh, 1, padding, 0, 0, &pt);
    int ow = ref_out(W, kw, sw, 1, padding, 0, 0, &pl);
    assert_int_equal(oh, oh_want);
    assert_int_equal(ow, ow_want);
    assert_shape(&h.out[0], 4, (const int32_t[]){n, oh, ow, C});
    assert_int_equal(h.out[0].dtype, CW_F32);
    assert_int_equal(run(&h), CW_OK);
    size_t o = 0;
    for (int b = 0; b < n; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int c = 0; c < C; c++, o++) {
                    float mx = -INFINITY, sum = 0;
                    int count = 0;
                    for (int iy = oy * sh - pt; iy < oy * sh - pt + kh; iy++)
                        for (int ix = ox * sw - pl; ix < ox * sw - pl + kw; ix++) {
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                            float v = xs[(((size_t)b * H + iy) * W + ix) * C + c];
                            mx = v > mx ? v : mx, sum += v, count++;
                        }
                    want[o] = !strcmp(op, "MaxPool") ? mx : sum / (float)count;
                }
    test_assert_close(h.out[0].data, want, o, 1e-6f, 1e-5f, op);
    release(&h);
}

static void max_and_avg_pool_match_loops_for_same_and_valid(void **state) {
    (void)state;
    const char *ops[2] = {"MaxPool", "AvgPool"};
    for (int i = 0; i < 2; i++) {
        check_pool(ops[i], 2, 7, 6, 3, 3, 3, 2, 2, "SAME", 4, 3);
        check_pool(ops[i], 2, 7, 6, 3, 3, 3, 2, 2, "VALID", 3, 2);
        check_pool(ops[i], 1, 8, 9, 5, 2, 3, 2, 1, "SAME", 4, 9);
        check_pool(ops[i], 1, 8, 9, 5, 3, 2, 3, 2, "VALID", 2, 4);
        check_pool(ops[i], 1, 5, 4, 2, 1, 1, 1, 1, "VALID", 5, 4);
    }
}

/* ---- problems ---- */

static void bad_inputs_and_attributes_are_problems_naming_the_node(void **state) {
    (void)state;
    harness h;
    cw_gvalue x = value(CW_F32, 4, (const int32_t[]){1, 5, 5, 3}, NULL, 0);
    cw_gvalue f = value(CW_F32, 4, (const int32_t[]){3, 3, 4, 2}, NULL, 1);
    cw_gvalue f3 = value(CW_F32, 4, (const int32_t[]){3, 3, 3, 2}, NULL, 1);
    cw_gvalue b = value(CW_F32, 1, (const int32_t[]){2}, NULL, 1);
    cw_gvalue b5 = value(CW_F32, 1, (const int32_t[]){5}, NULL, 1);
    cw_gvalue *in[] = {&x, &f, &b};
    int64_t strides[4] = {1, 1, 1, 1}, bad_strides[4] = {2, 1, 1, 1};
    const char *bn[1] = {"FusedBatchNorm"}, *bias_relu[2] = {"BiasAdd", "Relu"};
    cw_attr attrs[] = {attr_ints("strides", strides, 4), attr_str("padding", "SAME"),
                       attr_str("data_format", "NHWC"), attr_strs("fused_ops", bias_relu, 2)};
    assert_problem(&h, infer(&h, "Conv2D", attrs, 3, in, 2),
                   "filter depth 4 does not match "
                   "input depth 3");
    in[1] = &f3;
    attrs[2] = attr_str("data_format", "NCHW");
    assert_problem(&h, infer(&h, "Conv2D", attrs, 3, in, 2), "NCHW");
    attrs[2] = attr_str("data_format", "NHWC");
    assert_problem(&h, infer(&h, "DepthwiseConv2dNative", attrs, 3, in, 1), "1 input(s)");
    attrs[0] = attr_ints("strides", bad_strides, 4);
    assert_problem(&h, infer(&h, "Conv2D", attrs, 3, in, 2), "strides");
    attrs[0] = attr_ints("strides", strides, 4);
    attrs[1] = attr_str("padding", "EXPLICIT");
    assert_problem(&h, infer(&h, "Conv2D", attrs, 3, in, 2), "explicit_paddings");
    attrs[1] = attr_str("padding", "SAME");
    attrs[3] = attr_strs("fused_ops", bn, 1);
    assert_problem(&h, infer(&h, "_FusedConv2D", attrs, 4, in, 3), "FusedBatchNorm");
    attrs[3] = attr_strs("fused_ops", bias_relu, 2);
    assert_problem(&h, infer(&h, "_FusedConv2D", attrs, 4, in, 2), "2 input(s) given, 3");
    in[2] = &b5;
    assert_problem(&h, infer(&h, "_FusedConv2D", attrs, 4, in, 3), "bias (input 2) has 5");
    in[2] = &b;
    assert_int_equal(infer(&h, "_FusedConv2D", attrs, 4, in, 3), 0);
    release(&h);

    cw_gvalue big = value(CW_F32, 4, (const int32_t[]){5, 5, 3, 2}, NULL, 1);
    cw_gvalue *in2[] = {&x, &big};
    attrs[1] = attr_str("padding", "VALID");
    x.shape[1] = 3;
    assert_problem(&h, infer(&h, "Conv2D", attrs, 3, in2, 2), "does not fit");

    cw_gvalue m1 = value(CW_F32, 2, (const int32_t[]){3, 4}, NULL, 0);
    cw_gvalue m2 = value(CW_F32, 2, (const int32_t[]){5, 2}, NULL, 1);
    cw_gvalue *in3[] = {&m1, &m2};
    assert_problem(&h, infer(&h, "MatMul", NULL, 0, in3, 2), "inner dimensions 4 and 5");
    m1.dtype = CW_I32;
    assert_problem(&h, infer(&h, "MatMul", NULL, 0, in3, 2), "float32");

    int64_t ksize[4] = {1, 2, 2, 1};
    cw_attr pool[] = {attr_ints("ksize", ksize, 4), attr_ints("strides", strides, 4),
                      attr_str("padding", "EXPLICIT")};
    cw_gvalue *in4[] = {&x};
    assert_problem(&h, infer(&h, "MaxPool", pool, 3, in4, 1), "padding 'EXPLICIT'");
    assert_problem(&h, infer(&h, "AvgPool", pool, 1, in4, 1), "'strides' is missing");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            conv2d_matches_direct_loops_for_same_valid_strides_dilation_and_explicit_pads),
        cmocka_unit_test(fused_conv2d_applies_bias_then_relu6_leakyrelu_prelu_or_tanh),
        cmocka_unit_test(depthwise_conv2d_matches_direct_loops_with_multiplier_and_fused_bias),
        cmocka_unit_test(matmul_matches_loops_with_transposes_and_fused_bias_activation),
        cmocka_unit_test(max_and_avg_pool_match_loops_for_same_and_valid),
        cmocka_unit_test(bad_inputs_and_attributes_are_problems_naming_the_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
