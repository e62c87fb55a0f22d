/* The math family of graph ops: infer() shapes, dtypes and problems, run()
 * against references written as plain loops. */
#include "test_gop_util.h"

/* infer() and run() succeed; the output has dtype and shape. */
static void infer_run(harness *h, const char *op, cw_attr *attrs, size_t n_attrs, cw_gvalue **in,
                      size_t n_in, cw_dtype dtype, int rank, const int32_t *shape) {
    if (infer(h, op, attrs, n_attrs, in, n_in) != 0)
        fail_msg("%s: infer failed: %s", op, cw_problems_text(&h->problems));
    assert_int_equal(h->out[0].dtype, dtype);
    assert_int_equal(h->out[0].rank, rank);
    for (int d = 0; d < rank; d++)
        if (h->out[0].shape[d] != shape[d])
            fail_msg("%s: dimension %d is %d, expected %d", op, d, (int)h->out[0].shape[d],
                     (int)shape[d]);
    assert_int_equal(run(h), CW_OK);
}

static void assert_bools(const uint8_t *got, const uint8_t *want, size_t n, const char *what) {
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("%s: element %zu is %d, expected %d", what, i, got[i], want[i]);
}

/* Offset in an operand of shape[rank] of output element i (NumPy rules). */
static size_t bcast_at(const int32_t *shape, int rank, const int32_t *out, int out_rank, size_t i) {
    size_t off = 0, stride = 1;
    for (int d = out_rank - 1; d >= 0; d--) {
        size_t idx = i % (size_t)out[d];
        i /= (size_t)out[d];
        int j = d - (out_rank - rank);
        if (j < 0) continue;
        if (shape[j] != 1) off += idx * stride;
        stride *= (size_t)shape[j];
    }
    return off;
}

static float fa[512], fb[512], fwant[512];
static int32_t ia[512], ib[512], iwant[512];

/* ---- binary ops ---- */

static double ref_f32(const char *op, double x, double y) {
    if (!strcmp(op, "Add") || !strcmp(op, "AddV2")) return x + y;
    if (!strcmp(op, "Sub")) return x - y;
    if (!strcmp(op, "Mul")) return x * y;
    if (!strcmp(op, "RealDiv") || !strcmp(op, "Div")) return x / y;
    if (!strcmp(op, "Maximum")) return x > y ? x : y;
    if (!strcmp(op, "Minimum")) return x < y ? x : y;
    if (!strcmp(op, "SquaredDifference")) return (x - y) * (x - y);
    if (!strcmp(op, "Pow")) return pow(fabs(x), y);
    fail_msg("no reference for %s", op);
    return 0;
}

static void binary_float_ops_broadcast_like_an_index_loop(void **state) {
    (void)state;
    static const char *const ops[] = {"Add",     "AddV2",   "Sub",     "Mul", "Div",
                                      "RealDiv", "Maximum", "Minimum", "Pow", "SquaredDifference"};
    const int32_t as[3] = {2, 3, 4}, bs[2] = {3, 1}, os[3] = {2, 3, 4};
    test_fill(fa, 24, 1, -2.0f, 2.0f);
    test_fill(fb, 3, 2, 0.5f, 2.0f);
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        /* Pow and SquaredDifference round more than once in float */
        int pow_op = !strcmp(ops[k], "Pow") || !strcmp(ops[k], "SquaredDifference");
        float base[24];
        for (int i = 0; i < 24; i++) base[i] = !strcmp(ops[k], "Pow") ? fabsf(fa[i]) : fa[i];
        harness h;
        cw_gvalue a = value(CW_F32, 3, as, base, 0), b = value(CW_F32, 2, bs, fb, 0);
        cw_gvalue *in[] = {&a, &b};
        infer_run(&h, ops[k], NULL, 0, in, 2, CW_F32, 3, os);
        for (size_t i = 0; i < 24; i++)
            fwant[i] = (float)ref_f32(ops[k], base[bcast_at(as, 3, os, 3, i)],
                                      fb[bcast_at(bs, 2, os, 3, i)]);
        test_assert_close(h.out[0].data, fwant, 24, 0.0f, pow_op ? 1e-6f : 0.0f, ops[k]);
        release(&h);
    }
    /* a rank-0 operand against a rank-2 one, b first */
    harness h;
    float two = 2.0f;
    cw_gvalue s = value(CW_F32, 0, NULL, &two, 0), m = value(CW_F32, 2, SHAPE(2, 3), fa, 0);
    cw_gvalue *in[] = {&s, &m};
    infer_run(&h, "Sub", NULL, 0, in, 2, CW_F32, 2, SHAPE(2, 3));
    for (int i = 0; i < 6; i++) fwant[i] = 2.0f - fa[i];
    test_assert_close(h.out[0].data, fwant, 6, 0.0f, 0.0f, "Sub scalar");
    release(&h);
}

static void binary_int32_mul_and_add_broadcast_both_operands(void **state) {
    (void)state;
    const int32_t as[3] = {2, 1, 4}, bs[2] = {3, 1}, os[3] = {2, 3, 4};
    for (int i = 0; i < 8; i++) ia[i] = i * 7 - 20;
    for (int i = 0; i < 3; i++) ib[i] = 3 - 4 * i;
    const char *ops[] = {"Mul", "Add"};
    for (int k = 0; k < 2; k++) {
        harness h;
        cw_gvalue a = value(CW_I32, 3, as, ia, 0), b = value(CW_I32, 2, bs, ib, 0);
        cw_gvalue *in[] = {&a, &b};
        infer_run(&h, ops[k], NULL, 0, in, 2, CW_I32, 3, os);
        for (size_t i = 0; i < 24; i++) {
            int32_t x = ia[bcast_at(as, 3, os, 3, i)], y = ib[bcast_at(bs, 2, os, 3, i)];
            iwant[i] = k == 0 ? x * y : x + y;
        }
        assert_ints(h.out[0].data, iwant, 24, ops[k]);
        release(&h);
    }
}

static void floor_div_and_floor_mod_round_toward_minus_infinity(void **state) {
    (void)state;
    const int32_t x[6] = {7, -7, 7, -7, 9, -1}, y[2] = {2, -3};
    const int32_t xs[2] = {3, 2}, ys[1] = {2};
    /* FloorDiv, and RealDiv of int32 as tfjs-core's div gives it: floored */
    const char *divs[] = {"FloorDiv", "RealDiv", "FloorMod"};
    for (int k = 0; k < 3; k++) {
        harness h;
        cw_gvalue a = value(CW_I32, 2, xs, x, 0), b = value(CW_I32, 1, ys, y, 0);
        cw_gvalue *in[] = {&a, &b};
        infer_run(&h, divs[k], NULL, 0, in, 2, CW_I32, 2, xs);
        for (int i = 0; i < 6; i++) {
            double q = floor((double)x[i] / y[i % 2]);
            iwant[i] = k < 2 ? (int32_t)q : x[i] - (int32_t)q * y[i % 2];
        }
        assert_ints(h.out[0].data, iwant, 6, divs[k]);
        release(&h);
    }
    float fx[6], fy[2] = {2.0f, -3.0f};
    for (int i = 0; i < 6; i++) fx[i] = (float)x[i] + 0.5f;
    for (int k = 0; k < 3; k += 2) {
        harness h;
        cw_gvalue a = value(CW_F32, 2, xs, fx, 0), b = value(CW_F32, 1, ys, fy, 0);
        cw_gvalue *in[] = {&a, &b};
        infer_run(&h, divs[k], NULL, 0, in, 2, CW_F32, 2, xs);
        for (int i = 0; i < 6; i++) {
            double q = floor((double)fx[i] / fy[i % 2]);
            fwant[i] = k == 0 ? (float)q : (float)(fx[i] - q * fy[i % 2]);
        }
        test_assert_close(h.out[0].data, fwant, 6, 1e-6f, 0.0f, divs[k]);
        release(&h);
    }
}

static void comparisons_and_logical_and_give_bool(void **state) {
    (void)state;
    static const char *const ops[] = {"Equal",        "NotEqual", "Greater",
                                      "GreaterEqual", "Less",     "LessEqual"};
    const float x[6] = {1, 2, 3, 3, 2, 1}, y[3] = {1, 3, 2};
    uint8_t want[6];
    for (int k = 0; k < 6; k++) {
        for (int dt = 0; dt < 2; dt++) {
            int32_t xi[6], yi[3];
            for (int i = 0; i < 6; i++) xi[i] = (int32_t)x[i];
            for (int i = 0; i < 3; i++) yi[i] = (int32_t)y[i];
            cw_dtype t = dt ? CW_I32 : CW_F32;
            harness h;
            cw_gvalue a = value(t, 2, SHAPE(2, 3), dt ? (void *)xi : (void *)x, 0);
            cw_gvalue b = value(t, 1, SHAPE(3), dt ? (void *)yi : (void *)y, 0);
            cw_gvalue *in[] = {&a, &b};
            infer_run(&h, ops[k], NULL, 0, in, 2, CW_BOOL, 2, SHAPE(2, 3));
            for (int i = 0; i < 6; i++) {
                float p = x[i], q = y[i % 3];
                int r[6] = {p == q, p != q, p > q, p >= q, p < q, p <= q};
                want[i] = (uint8_t)r[k];
            }
            assert_bools(h.out[0].data, want, 6, ops[k]);
            release(&h);
        }
    }
    const uint8_t p[4] = {0, 1, 1, 0}, q[2] = {1, 0};
    harness h;
    cw_gvalue a = value(CW_BOOL, 2, SHAPE(2, 2), p, 0), b = value(CW_BOOL, 2, SHAPE(2, 1), q, 0);
    cw_gvalue *in[] = {&a, &b};
    infer_run(&h, "LogicalAnd", NULL, 0, in, 2, CW_BOOL, 2, SHAPE(2, 2));
    assert_bools(h.out[0].data, (const uint8_t[]){0, 1, 0, 0}, 4, "LogicalAnd");
    release(&h);
}

static void add_n_sums_any_count_of_inputs_of_one_shape(void **state) {
    (void)state;
    const int32_t shape[3] = {2, 3, 5};
    static float f[4][30];
    static int32_t i32[3][30];
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 30; j++) f[k][j] = (float)(j * (k + 1)) * 0.25f - (float)k;
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 30; j++) i32[k][j] = k == 0 ? INT32_MAX - j : j * 3 + 40 * k - 50;
    for (size_t n = 1; n <= 4; n++) {
        harness h;
        cw_gvalue v[4], *in[4];
        for (size_t k = 0; k < n; k++) v[k] = value(CW_F32, 3, shape, f[k], 0), in[k] = &v[k];
        infer_run(&h, "AddN", NULL, 0, in, n, CW_F32, 3, shape);
        for (int j = 0; j < 30; j++) {
            float sum = 0.0f;
            for (size_t k = 0; k < n; k++) sum += f[k][j];
            fwant[j] = sum;
        }
        test_assert_close(h.out[0].data, fwant, 30, 0.0f, 0.0f, "AddN float32");
        release(&h);
    }
    /* int32 wraps modulo 2^32 like Int32Array (input 0 starts at INT32_MAX) */
    harness h;
    cw_gvalue v[3], *in[3];
    for (int k = 0; k < 3; k++) v[k] = value(CW_I32, 3, shape, i32[k], 0), in[k] = &v[k];
    infer_run(&h, "AddN", NULL, 0, in, 3, CW_I32, 3, shape);
    for (int j = 0; j < 30; j++)
        iwant[j] = (int32_t)((uint32_t)i32[0][j] + (uint32_t)i32[1][j] + (uint32_t)i32[2][j]);
    assert_ints(h.out[0].data, iwant, 30, "AddN int32");
    release(&h);
}

static void bias_add_adds_along_the_channel_axis(void **state) {
    (void)state;
    test_fill(fa, 24, 3, -1.0f, 1.0f);
    const float bias[3] = {10.0f, 20.0f, 30.0f};
    harness h;
    cw_gvalue x = value(CW_F32, 4, SHAPE(2, 2, 2, 3), fa, 0);
    cw_gvalue b = value(CW_F32, 1, SHAPE(3), bias, 0);
    cw_gvalue *in[] = {&x, &b};
    infer_run(&h, "BiasAdd", NULL, 0, in, 2, CW_F32, 4, SHAPE(2, 2, 2, 3));
    for (int i = 0; i < 24; i++) fwant[i] = fa[i] + bias[i % 3];
    test_assert_close(h.out[0].data, fwant, 24, 0.0f, 0.0f, "BiasAdd NHWC");
    release(&h);

    cw_attr nchw = {.name = "data_format", .kind = CW_ATTR_STRING, .s = "NCHW", .s_len = 4};
    cw_gvalue xc = value(CW_F32, 4, SHAPE(2, 3, 2, 2), fa, 0);
    in[0] = &xc;
    infer_run(&h, "BiasAdd", &nchw, 1, in, 2, CW_F32, 4, SHAPE(2, 3, 2, 2));
    for (int i = 0; i < 24; i++) fwant[i] = fa[i] + bias[(i / 4) % 3];
    test_assert_close(h.out[0].data, fwant, 24, 0.0f, 0.0f, "BiasAdd NCHW");
    release(&h);

    cw_gvalue wrong = value(CW_F32, 1, SHAPE(2), bias, 0);
    in[0] = &x, in[1] = &wrong;
    assert_problem(&h, infer(&h, "BiasAdd", NULL, 0, in, 2), "[3] expected");
}

/* ---- unary ops and Cast ---- */

static double ref_relu6(double x) { return x < 0 ? 0 : x > 6 ? 6 : x; }
static double ref_relu(double x) { return x < 0 ? 0 : x; }
static double ref_elu(double x) { return x >= 0 ? x : expm1(x); }
static double ref_selu(double x) {
    const double scale = 1.0507009873554804934193349852946;
    const double alpha = 1.6732632423543772848170429916717;
    return x >= 0 ? scale * x : scale * alpha * expm1(x);
}
static double ref_sigmoid(double x) { return 1 / (1 + exp(-x)); }
static double ref_rsqrt(double x) { return 1 / sqrt(x); }
static double ref_square(double x) { return x * x; }
static double ref_neg(double x) { return -x; }
static double ref_sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
static double ref_reciprocal(double x) { return 1 / x; }
static double ref_softplus(double x) { return log1p(exp(x)); }

static void unary_ops_match_reference_functions(void **state) {
    (void)state;
    static const struct {
        const char *name;
        double (*f)(double);
        int positive; /* defined on x > 0 only */
    } ops[] = {{"Relu", ref_relu, 0},
               {"Relu6", ref_relu6, 0},
               {"Elu", ref_elu, 0},
               {"Selu", ref_selu, 0},
               {"Sigmoid", ref_sigmoid, 0},
               {"Tanh", tanh, 0},
               {"Exp", exp, 0},
               {"Log", log, 1},
               {"Sqrt", sqrt, 1},
               {"Rsqrt", ref_rsqrt, 1},
               {"Square", ref_square, 0},
               {"Neg", ref_neg, 0},
               {"Abs", fabs, 0},
               {"Floor", floor, 0},
               {"Ceil", ceil, 0},
               {"Round", nearbyint, 0},
               {"Sign", ref_sign, 0},
               {"Reciprocal", ref_reciprocal, 0},
               {"Softplus", ref_softplus, 0},
               {"Sin", sin, 0},
               {"Cos", cos, 0}};
    test_fill(fa, 40, 4, -8.0f, 8.0f);
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        float x[40];
        for (int i = 0; i < 40; i++) x[i] = ops[k].positive ? fabsf(fa[i]) + 0.01f : fa[i];
        harness h;
        cw_gvalue v = value(CW_F32, 2, SHAPE(5, 8), x, 0);
        cw_gvalue *in[] = {&v};
        infer_run(&h, ops[k].name, NULL, 0, in, 1, CW_F32, 2, SHAPE(5, 8));
        for (int i = 0; i < 40; i++) fwant[i] = (float)ops[k].f(x[i]);
        test_assert_close(h.out[0].data, fwant, 40, 1e-6f, 2e-6f, ops[k].name);
        release(&h);
    }
    /* int32 stays int32 (Neg); Exp of int32 gives float32 */
    const int32_t xi[4] = {-2, 0, 3, 5};
    harness h;
    cw_gvalue v = value(CW_I32, 1, SHAPE(4), xi, 0);
    cw_gvalue *in[] = {&v};
    infer_run(&h, "Neg", NULL, 0, in, 1, CW_I32, 1, SHAPE(4));
    assert_ints(h.out[0].data, (const int32_t[]){2, 0, -3, -5}, 4, "Neg int32");
    release(&h);
    infer_run(&h, "Exp", NULL, 0, in, 1, CW_F32, 1, SHAPE(4));
    release(&h);
}

static void leaky_relu_takes_alpha_with_default_0_2(void **state) {
    (void)state;
    const float x[4] = {-2.0f, -0.5f, 0.0f, 3.0f};
    harness h;
    cw_gvalue v = value(CW_F32, 1, SHAPE(4), x, 0);
    cw_gvalue *in[] = {&v};
    cw_attr alpha = {.name = "alpha", .kind = CW_ATTR_FLOAT, .f = 0.1};
    infer_run(&h, "LeakyRelu", &alpha, 1, in, 1, CW_F32, 1, SHAPE(4));
    for (int i = 0; i < 4; i++) fwant[i] = x[i] < 0 ? 0.1f * x[i] : x[i];
    test_assert_close(h.out[0].data, fwant, 4, 0.0f, 1e-7f, "LeakyRelu 0.1");
    release(&h);
    infer_run(&h, "LeakyRelu", NULL, 0, in, 1, CW_F32, 1, SHAPE(4));
    for (int i = 0; i < 4; i++) fwant[i] = x[i] < 0 ? 0.2f * x[i] : x[i];
    test_assert_close(h.out[0].data, fwant, 4, 0.0f, 1e-7f, "LeakyRelu default");
    release(&h);
}

static void cast_converts_to_dst_t(void **state) {
    (void)state;
    const float x[5] = {-2.7f, -0.0f, 0.4f, 1.5f, 3.9f};
    harness h;
    cw_gvalue v = value(CW_F32, 1, SHAPE(5), x, 0);
    cw_gvalue *in[] = {&v};
    const cw_tf_type ints[2] = {CW_TF_INT32, CW_TF_INT64};
    for (int k = 0; k < 2; k++) {
        cw_attr to = attr_type("DstT", ints[k]);
        infer_run(&h, "Cast", &to, 1, in, 1, CW_I32, 1, SHAPE(5));
        assert_ints(h.out[0].data, (const int32_t[]){-2, 0, 0, 1, 3}, 5, "Cast to int32");
        release(&h);
    }
    cw_attr to_bool = attr_type("DstT", CW_TF_BOOL);
    infer_run(&h, "Cast", &to_bool, 1, in, 1, CW_BOOL, 1, SHAPE(5));
    assert_bools(h.out[0].data, (const uint8_t[]){1, 0, 1, 1, 1}, 5, "Cast to bool");
    release(&h);

    const int32_t xi[3] = {-3, 0, 16777217};
    cw_gvalue vi = value(CW_I32, 1, SHAPE(3), xi, 0);
    in[0] = &vi;
    cw_attr to_float = attr_type("DstT", CW_TF_FLOAT);
    infer_run(&h, "Cast", &to_float, 1, in, 1, CW_F32, 1, SHAPE(3));
    test_assert_close(h.out[0].data, (const float[]){-3.0f, 0.0f, 16777216.0f}, 3, 0, 0, "Cast");
    release(&h);

    assert_problem(&h, infer(&h, "Cast", NULL, 0, in, 1), "DstT");
    cw_attr to_string = attr_type("DstT", CW_TF_STRING);
    assert_problem(&h, infer(&h, "Cast", &to_string, 1, in, 1), "DT_STRING");
}

/* ---- Softmax and reductions ---- */

static void softmax_over_the_last_axis_is_exp_over_sum(void **state) {
    (void)state;
    test_fill(fa, 21, 5, -4.0f, 4.0f);
    harness h;
    cw_gvalue v = value(CW_F32, 3, SHAPE(3, 1, 7), fa, 0);
    cw_gvalue *in[] = {&v};
    infer_run(&h, "Softmax", NULL, 0, in, 1, CW_F32, 3, SHAPE(3, 1, 7));
    for (int r = 0; r < 3; r++) {
        double sum = 0;
        for (int j = 0; j < 7; j++) sum += exp(fa[r * 7 + j]);
        for (int j = 0; j < 7; j++) fwant[r * 7 + j] = (float)(exp(fa[r * 7 + j]) / sum);
    }
    test_assert_close(h.out[0].data, fwant, 21, 1e-7f, 1e-5f, "Softmax");
    release(&h);
}

/* want[kept] = op over the reduced axes (mask) of x[dims[0..rank)]: a loop
 * over every input element, its output index from the kept coordinates. */
static void ref_reduce(const float *x, const int32_t *dims, int rank, const int *mask, char op,
                       double *want, size_t n_out) {
    size_t size = 1, count = 1;
    for (int d = 0; d < rank; d++) size *= (size_t)dims[d];
    for (size_t o = 0; o < n_out; o++) want[o] = op == '*' ? 1 : op == '+' || op == 'm' ? 0 : NAN;
    for (size_t i = 0; i < size; i++) {
        size_t rest = i, o = 0, stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            size_t idx = rest % (size_t)dims[d];
            rest /= (size_t)dims[d];
            if (mask[d]) continue;
            o += idx * stride;
            stride *= (size_t)dims[d];
        }
        double v = x[i];
        if (op == '+' || op == 'm')
            want[o] += v;
        else if (op == '*')
            want[o] *= v;
        else if (op == '>')
            want[o] = isnan(want[o]) || v > want[o] ? v : want[o];
        else
            want[o] = isnan(want[o]) || v < want[o] ? v : want[o];
    }
    for (int d = 0; d < rank; d++)
        if (mask[d]) count *= (size_t)dims[d];
    if (op == 'm')
        for (size_t o = 0; o < n_out; o++) want[o] /= (double)count;
}

static void mean_over_axes_keeps_or_drops_the_reduced_dims(void **state) {
    (void)state;
    const int32_t dims[4] = {2, 3, 4, 5};
    test_fill(fa, 120, 6, -3.0f, 3.0f);
    double want[120];
    harness h;
    cw_gvalue x = value(CW_F32, 4, dims, fa, 0);
    cw_gvalue axes = cints(1, SHAPE(2), (const int32_t[]){1, 2});
    cw_gvalue *in[] = {&x, &axes};
    cw_attr keep = attr_bool("keep_dims", 1);
    infer_run(&h, "Mean", &keep, 1, in, 2, CW_F32, 4, SHAPE(2, 1, 1, 5));
    ref_reduce(fa, dims, 4, (const int[]){0, 1, 1, 0}, 'm', want, 10);
    for (int i = 0; i < 10; i++) fwant[i] = (float)want[i];
    test_assert_close(h.out[0].data, fwant, 10, 1e-6f, 1e-6f, "Mean {1,2}");
    release(&h);

    cw_gvalue last = cints(1, SHAPE(1), (const int32_t[]){-1});
    in[1] = &last;
    cw_attr drop = attr_bool("keep_dims", 0);
    infer_run(&h, "Mean", &drop, 1, in, 2, CW_F32, 3, SHAPE(2, 3, 4));
    ref_reduce(fa, dims, 4, (const int[]){0, 0, 0, 1}, 'm', want, 24);
    for (int i = 0; i < 24; i++) fwant[i] = (float)want[i];
    test_assert_close(h.out[0].data, fwant, 24, 1e-6f, 1e-6f, "Mean {-1}");
    release(&h);

    /* Mean of int32 is float32, as TF.js gives it */
    const int32_t xi[4] = {1, 2, 4, 4};
    cw_gvalue vi = value(CW_I32, 2, SHAPE(2, 2), xi, 0);
    cw_gvalue zero = cints(0, NULL, (const int32_t[]){0});
    cw_gvalue *in2[] = {&vi, &zero};
    infer_run(&h, "Mean", NULL, 0, in2, 2, CW_F32, 1, SHAPE(2));
    test_assert_close(h.out[0].data, (const float[]){2.5f, 3.0f}, 2, 0, 0, "Mean int32");
    release(&h);
}

static void reductions_over_non_contiguous_axes_match_a_loop(void **state) {
    (void)state;
    const int32_t dims[4] = {3, 4, 5, 2};
    const int mask[4] = {1, 0, 1, 0};
    test_fill(fa, 120, 7, -2.0f, 2.0f);
    double want[8];
    harness h;
    cw_gvalue x = value(CW_F32, 4, dims, fa, 0);
    /* axis 0 given twice (0 and -4): reduced once */
    cw_gvalue axes = cints(1, SHAPE(3), (const int32_t[]){2, 0, -4});
    cw_gvalue *in[] = {&x, &axes};
    infer_run(&h, "Sum", NULL, 0, in, 2, CW_F32, 2, SHAPE(4, 2));
    ref_reduce(fa, dims, 4, mask, '+', want, 8);
    for (int i = 0; i < 8; i++) fwant[i] = (float)want[i];
    test_assert_close(h.out[0].data, fwant, 8, 1e-5f, 1e-6f, "Sum {0,2}");
    release(&h);

    const char *ops[] = {"Max", "Min", "Prod"};
    const char sym[] = {'>', '<', '*'};
    cw_attr keep = attr_bool("keep_dims", 1);
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 120; i++) ia[i] = (i * 37) % 11 - 5;
        for (int i = 0; i < 120; i++) fb[i] = k == 2 ? (float)(abs(ia[i]) % 2 + 1) : (float)ia[i];
        for (int i = 0; i < 120; i++) ia[i] = (int32_t)fb[i];
        cw_gvalue xi = value(CW_I32, 4, dims, ia, 0);
        in[0] = &xi;
        infer_run(&h, ops[k], &keep, 1, in, 2, CW_I32, 4, SHAPE(1, 4, 1, 2));
        ref_reduce(fb, dims, 4, mask, sym[k], want, 8);
        for (int i = 0; i < 8; i++) iwant[i] = (int32_t)want[i];
        assert_ints(h.out[0].data, iwant, 8, ops[k]);
        release(&h);
    }

    uint8_t b[6] = {1, 1, 0, 1, 0, 0};
    cw_gvalue xb = value(CW_BOOL, 2, SHAPE(3, 2), b, 0);
    cw_gvalue one = cints(0, NULL, (const int32_t[]){1});
    cw_gvalue *in2[] = {&xb, &one};
    infer_run(&h, "All", NULL, 0, in2, 2, CW_BOOL, 1, SHAPE(3));
    assert_bools(h.out[0].data, (const uint8_t[]){1, 0, 0}, 3, "All");
    release(&h);
    infer_run(&h, "Any", NULL, 0, in2, 2, CW_BOOL, 1, SHAPE(3));
    assert_bools(h.out[0].data, (const uint8_t[]){1, 1, 0}, 3, "Any");
    release(&h);
}

/* ---- TopKV2 ---- */

static void topk_v2_gives_the_largest_values_and_their_indices(void **state) {
    (void)state;
    /* ties: the lower index comes first */
    const float x[12] = {1, 5, 3, 5, 0, 2, -1, -3, 7, 7, 7, -2};
    harness h;
    cw_gvalue v = value(CW_F32, 2, SHAPE(2, 6), x, 0);
    cw_gvalue k = cints(0, NULL, (const int32_t[]){3});
    cw_gvalue *in[] = {&v, &k};
    infer_run(&h, "TopKV2", NULL, 0, in, 2, CW_F32, 2, SHAPE(2, 3));
    assert_int_equal(h.ctx.n_out, 2);
    assert_int_equal(h.out[1].dtype, CW_I32);
    assert_int_equal(h.out[1].rank, 2);
    assert_int_equal(h.out[1].shape[1], 3);
    int32_t idx[6];
    for (int r = 0; r < 2; r++) {
        int used[6] = {0};
        for (int j = 0; j < 3; j++) {
            int best = -1;
            for (int i = 0; i < 6; i++)
                if (!used[i] && (best < 0 || x[r * 6 + i] > x[r * 6 + best])) best = i;
            used[best] = 1;
            idx[r * 3 + j] = best;
            fwant[r * 3 + j] = x[r * 6 + best];
        }
    }
    test_assert_close(h.out[0].data, fwant, 6, 0, 0, "TopKV2 values");
    assert_ints(h.out[1].data, idx, 6, "TopKV2 indices");
    release(&h);

    const int32_t xi[5] = {4, -1, 9, 4, 2};
    cw_gvalue vi = value(CW_I32, 1, SHAPE(5), xi, 0);
    cw_gvalue two = cints(1, SHAPE(1), (const int32_t[]){2});
    cw_gvalue *in2[] = {&vi, &two};
    infer_run(&h, "TopKV2", NULL, 0, in2, 2, CW_I32, 1, SHAPE(2));
    assert_ints(h.out[0].data, (const int32_t[]){9, 4}, 2, "TopKV2 int32 values");
    assert_ints(h.out[1].data, (const int32_t[]){2, 0}, 2, "TopKV2 int32 indices");
    release(&h);
}

/* ---- problems ---- */

static void bad_inputs_are_problems_naming_the_node(void **state) {
    (void)state;
    harness h;
    cw_gvalue a = value(CW_F32, 2, SHAPE(2, 3), fa, 0), b = value(CW_F32, 2, SHAPE(4, 1), fb, 0);
    cw_gvalue *in[] = {&a, &b, &b};
    assert_problem(&h, infer(&h, "Add", NULL, 0, in, 2), "do not broadcast");
    assert_problem(&h, infer(&h, "Mul", NULL, 0, in, 1), "1 input(s) given, 2 expected");
    assert_problem(&h, infer(&h, "Relu", NULL, 0, in, 2), "2 input(s) given, 1 expected");
    cw_gvalue i = value(CW_I32, 2, SHAPE(2, 3), ia, 0);
    in[1] = &i;
    assert_problem(&h, infer(&h, "Sub", NULL, 0, in, 2), "float32 and int32");
    in[1] = &a;
    assert_problem(&h, infer(&h, "LogicalAnd", NULL, 0, in, 2), "bool expected");

    cw_gvalue live = value(CW_I32, 1, SHAPE(1), (const int32_t[]){1}, 0);
    in[1] = &live;
    assert_problem(&h, infer(&h, "Mean", NULL, 0, in, 2), "must be a constant");
    assert_problem(&h, infer(&h, "TopKV2", NULL, 0, in, 2), "must be a constant");
    assert_problem(&h, infer(&h, "Sum", NULL, 0, in, 3), "3 input(s) given, 2 expected");
    cw_gvalue far = cints(1, SHAPE(1), (const int32_t[]){2});
    in[1] = &far;
    assert_problem(&h, infer(&h, "Max", NULL, 0, in, 2), "axis 2 is outside [-2, 2)");
    cw_gvalue big_k = cints(0, NULL, (const int32_t[]){4});
    in[1] = &big_k;
    assert_problem(&h, infer(&h, "TopKV2", NULL, 0, in, 2), "outside [0, 3]");
    in[1] = &far;
    assert_problem(&h, infer(&h, "All", NULL, 0, in, 2), "bool expected");
    in[0] = &i;
    assert_problem(&h, infer(&h, "Softmax", NULL, 0, in, 1), "float32 expected");

    cw_gvalue other = value(CW_F32, 2, SHAPE(3, 2), fb, 0);
    cw_gvalue *sum[] = {&a, &a, &other};
    assert_problem(&h, infer(&h, "AddN", NULL, 0, sum, 0), "0 input(s) given");
    assert_problem(&h, infer(&h, "AddN", NULL, 0, sum, 3),
                   "input 2 has shape [3,2], input 0 [2,3] (one shape expected)");
    sum[1] = &i;
    assert_problem(&h, infer(&h, "AddN", NULL, 0, sum, 2), "input 1 is int32, input 0 float32");
    cw_gvalue flags = value(CW_BOOL, 1, SHAPE(2), (const uint8_t[]){1, 0}, 0);
    sum[0] = &flags;
    assert_problem(&h, infer(&h, "AddN", NULL, 0, sum, 1), "bool inputs are not supported");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binary_float_ops_broadcast_like_an_index_loop),
        cmocka_unit_test(binary_int32_mul_and_add_broadcast_both_operands),
        cmocka_unit_test(floor_div_and_floor_mod_round_toward_minus_infinity),
        cmocka_unit_test(comparisons_and_logical_and_give_bool),
        cmocka_unit_test(add_n_sums_any_count_of_inputs_of_one_shape),
        cmocka_unit_test(bias_add_adds_along_the_channel_axis),
        cmocka_unit_test(unary_ops_match_reference_functions),
        cmocka_unit_test(leaky_relu_takes_alpha_with_default_0_2),
        cmocka_unit_test(cast_converts_to_dst_t),
        cmocka_unit_test(softmax_over_the_last_axis_is_exp_over_sum),
        cmocka_unit_test(mean_over_axes_keeps_or_drops_the_reduced_dims),
        cmocka_unit_test(reductions_over_non_contiguous_axes_match_a_loop),
        cmocka_unit_test(topk_v2_gives_the_largest_values_and_their_indices),
        cmocka_unit_test(bad_inputs_are_problems_naming_the_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
