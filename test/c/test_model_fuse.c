/* The load-time rewrites of fuse.c: a batch norm folded into the
 * convolution before it, a bias add and an activation into its epilogue,
 * each checked against plain loops over the unfused graph, and the cases
 * where nothing may be folded (the convolution's output read elsewhere). */
#include "test_util.h"

#include "graph/model/model_impl.h"

/* x [1, 5, 4, 2] -> Conv2D(filter [3, 3, 2, 3], SAME) -> conv
 * -> FusedBatchNormV3(scale, offset, mean, variance) -> bn -> Relu -> relu;
 * v [2, 4] -> MatMul(w [4, 3]) -> mm -> AddV2(b [3], mm) -> add -> Relu6 -> r6. */
static const char *const fuse_json =
    "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
    "{\"name\":\"x\",\"op\":\"Placeholder\"},{\"name\":\"v\",\"op\":\"Placeholder\"},"
    "{\"name\":\"filter\",\"op\":\"Const\"},{\"name\":\"scale\",\"op\":\"Const\"},"
    "{\"name\":\"offset\",\"op\":\"Const\"},{\"name\":\"mean\",\"op\":\"Const\"},"
    "{\"name\":\"variance\",\"op\":\"Const\"},{\"name\":\"w\",\"op\":\"Const\"},"
    "{\"name\":\"b\",\"op\":\"Const\"},"
    "{\"name\":\"conv\",\"op\":\"Conv2D\",\"input\":[\"x\",\"filter\"],\"attr\":{"
    "\"strides\":{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}},\"padding\":{\"s\":\"U0FNRQ==\"}}},"
    "{\"name\":\"bn\",\"op\":\"FusedBatchNormV3\",\"input\":[\"conv\",\"scale\",\"offset\","
    "\"mean\",\"variance\"],\"attr\":{\"epsilon\":{\"f\":0.001}}},"
    "{\"name\":\"relu\",\"op\":\"Relu\",\"input\":[\"bn\"]},"
    "{\"name\":\"mm\",\"op\":\"MatMul\",\"input\":[\"v\",\"w\"]},"
    "{\"name\":\"add\",\"op\":\"AddV2\",\"input\":[\"b\",\"mm\"]},"
    "{\"name\":\"r6\",\"op\":\"Relu6\",\"input\":[\"add\"]}%s]},"
    "\"signature\":{\"outputs\":{\"a\":{\"name\":\"relu:0\"},\"b\":{\"name\":\"r6:0\"}%s}},"
    "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
    "{\"name\":\"filter\",\"shape\":[3,3,2,3],\"dtype\":\"float32\"},"
    "{\"name\":\"scale\",\"shape\":[3],\"dtype\":\"float32\"},"
    "{\"name\":\"offset\",\"shape\":[3],\"dtype\":\"float32\"},"
    "{\"name\":\"mean\",\"shape\":[3],\"dtype\":\"float32\"},"
    "{\"name\":\"variance\",\"shape\":[3],\"dtype\":\"float32\"},"
    "{\"name\":\"w\",\"shape\":[4,3],\"dtype\":\"float32\"},"
    "{\"name\":\"b\",\"shape\":[3],\"dtype\":\"float32\"}]}]}";

enum { H = 5, W = 4, CI = 2, CO = 3, N_WEIGHTS = 54 + 4 * 3 + 12 + 3 };

typedef struct {
    float w[N_WEIGHTS]; /* filter, scale, offset, mean, variance, w, b */
    float x[H * W * CI], v[8];
} fuse_data;

static void fill(fuse_data *d) {
    test_fill(d->w, N_WEIGHTS, 7, -1.0f, 1.0f);
    for (int c = 0; c < CO; c++) d->w[54 + 12 + c] = 0.5f + (float)c; /* variance > 0 */
    test_fill(d->x, H * W * CI, 8, -1.0f, 1.0f);
    test_fill(d->v, 8, 9, -2.0f, 2.0f);
}

/* The unfused graph as plain loops: relu(bn(conv(x))) and relu6(b + v w). */
static void reference(const fuse_data *d, float *relu, float *r6) {
    const float *f = d->w, *scale = f + 54, *offset = scale + 3, *mean = offset + 3;
    const float *var = mean + 3, *w = var + 3, *b = w + 12;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int o = 0; o < CO; o++) {
                double s = 0;
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) {
                        int iy = y + ky - 1, ix = x + kx - 1;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                        for (int i = 0; i < CI; i++)
                            s += (double)d->x[(iy * W + ix) * CI + i] *
                                 f[((ky * 3 + kx) * CI + i) * CO + o];
                    }
                double v = (s - mean[o]) * scale[o] / sqrt(var[o] + 0.001) + offset[o];
                relu[(y * W + x) * CO + o] = (float)(v > 0 ? v : 0);
            }
    for (int r = 0; r < 2; r++)
        for (int o = 0; o < 3; o++) {
            double s = b[o];
            for (int k = 0; k < 4; k++) s += (double)d->v[r * 4 + k] * w[k * 3 + o];
            r6[r * 3 + o] = (float)(s < 0 ? 0 : s > 6 ? 6 : s);
        }
}

static cw_model *load_fuse(const char *extra_node, const char *extra_output, const fuse_data *d) {
    char json[4096];
    snprintf(json, sizeof json, fuse_json, extra_node, extra_output);
    size_t bytes = sizeof d->w;
    cw_model *m = NULL;
    assert_int_equal(cw_model_load(json, strlen(json), (const unsigned char *)d->w, &bytes, 1, &m),
                     CW_OK);
    const char *problems = cw_model_problems(m);
    if (problems) fail_msg("%s", problems);
    return m;
}

static const cw_node_def *node(const cw_model *m, const char *name) {
    int32_t k = cw_graph_def_find(m->def, name);
    assert_true(k >= 0);
    return &m->def->nodes[k];
}

static void run(cw_model *m, const fuse_data *d) {
    const int32_t xs[] = {1, H, W, CI}, vs[] = {2, 4};
    const int32_t *shapes[] = {xs, vs};
    const int ranks[] = {4, 2};
    assert_int_equal(cw_model_plan(m, shapes, ranks), CW_OK);
    const void *inputs[] = {d->x, d->v};
    assert_int_equal(cw_model_run(m, inputs), CW_OK);
}

static void fused_ops_are(const cw_node_def *n, const char *first, const char *second) {
    const cw_attr *a = cw_node_attr(n, "fused_ops");
    assert_non_null(a);
    assert_int_equal(a->count, second ? 2 : 1);
    assert_string_equal(a->strs[0], first);
    if (second) assert_string_equal(a->strs[1], second);
}

static void batch_norm_bias_and_activation_fold(void **state) {
    (void)state;
    fuse_data d;
    fill(&d);
    cw_model *m = load_fuse("", "", &d);
    assert_string_equal(node(m, "conv")->op, "_FusedConv2D");
    fused_ops_are(node(m, "conv"), "BiasAdd", "Relu");
    assert_string_equal(node(m, "bn")->op, "Identity");
    assert_string_equal(node(m, "relu")->op, "Identity");
    assert_string_equal(node(m, "mm")->op, "_FusedMatMul");
    fused_ops_are(node(m, "mm"), "BiasAdd", "Relu6");
    assert_string_equal(node(m, "add")->op, "Identity");
    assert_string_equal(node(m, "add")->inputs[0].node, "mm"); /* the constant was input 0 */
    run(m, &d);
    /* two steps run: the fused convolution and the fused matmul */
    size_t running = 0;
    for (size_t s = 0; s < m->n_steps; s++) running += !(m->ops[m->steps[s]]->flags & CW_OP_ALIAS);
    assert_int_equal(running, 2);
    float relu[H * W * CO], r6[6];
    reference(&d, relu, r6);
    test_assert_close(cw_model_output(m, 0)->data, relu, H * W * CO, 1e-5f, 1e-5f, "relu");
    test_assert_close(cw_model_output(m, 1)->data, r6, 6, 1e-5f, 1e-5f, "r6");
    cw_model_free(m);
}

/* conv also read by another node, bn also an output: nothing folds through
 * them, and every output is still right. */
static void nothing_folds_through_a_shared_value(void **state) {
    (void)state;
    fuse_data d;
    fill(&d);
    cw_model *m = load_fuse(",{\"name\":\"neg\",\"op\":\"Neg\",\"input\":[\"conv\"]}",
                            ",\"c\":{\"name\":\"neg:0\"},\"d\":{\"name\":\"add:0\"}", &d);
    assert_string_equal(node(m, "conv")->op, "Conv2D");
    assert_string_equal(node(m, "bn")->op, "FusedBatchNormV3");
    assert_string_equal(node(m, "relu")->op, "Relu");
    /* the bias folds into mm, but add is an output: Relu6 stays */
    assert_string_equal(node(m, "mm")->op, "_FusedMatMul");
    fused_ops_are(node(m, "mm"), "BiasAdd", NULL);
    assert_string_equal(node(m, "r6")->op, "Relu6");
    run(m, &d);
    float relu[H * W * CO], r6[6];
    reference(&d, relu, r6);
    test_assert_close(cw_model_output(m, 0)->data, relu, H * W * CO, 1e-5f, 1e-5f, "relu");
    test_assert_close(cw_model_output(m, 1)->data, r6, 6, 1e-5f, 1e-5f, "r6");
    cw_model_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_norm_bias_and_activation_fold),
        cmocka_unit_test(nothing_folds_through_a_shared_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
