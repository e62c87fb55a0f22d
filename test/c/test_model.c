/* The graph runtime's planner and executor (src/graph/model/) on small
 * graph-models built from shape ops: shapes inferred, constants folded,
 * intermediates sharing one arena by liveness, re-planning on a new input
 * shape, and plan-time problems named. */
#include "test_util.h"

#include "graph/model/model.h"

/* x [n, 2, 3] -> Transpose(perm [0, 2, 1]) -> t [n, 3, 2] -> Reshape [-1, 6]
 * -> r; ConcatV2(r, r, axis 1) -> c [n, 12]; Identity(c) -> out.
 * k = Transpose(kc, perm) with kc constant [2, 3]: folded at plan time and
 * an output itself. */
static const char *const model_json =
    "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
    "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
    "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"},{\"size\":\"2\"},{\"size\":\"3\"}]}}}},"
    "{\"name\":\"perm\",\"op\":\"Const\"},{\"name\":\"perm2\",\"op\":\"Const\"},"
    "{\"name\":\"shape\",\"op\":\"Const\"},{\"name\":\"axis\",\"op\":\"Const\"},"
    "{\"name\":\"kc\",\"op\":\"Const\"},"
    "{\"name\":\"t\",\"op\":\"Transpose\",\"input\":[\"x\",\"perm\"]},"
    "{\"name\":\"r\",\"op\":\"Reshape\",\"input\":[\"t\",\"shape\"]},"
    "{\"name\":\"c\",\"op\":\"ConcatV2\",\"input\":[\"r\",\"r\",\"axis\"]},"
    "{\"name\":\"out\",\"op\":\"Identity\",\"input\":[\"c\"]},"
    "{\"name\":\"k\",\"op\":\"Transpose\",\"input\":[\"kc\",\"perm2\"]}]},"
    "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
    "{\"name\":\"perm\",\"shape\":[3],\"dtype\":\"int32\"},"
    "{\"name\":\"perm2\",\"shape\":[2],\"dtype\":\"int32\"},"
    "{\"name\":\"shape\",\"shape\":[2],\"dtype\":\"int32\"},"
    "{\"name\":\"axis\",\"shape\":[],\"dtype\":\"int32\"},"
    "{\"name\":\"kc\",\"shape\":[2,3],\"dtype\":\"float32\",\"quantization\":"
    "{\"dtype\":\"uint8\",\"min\":-1,\"scale\":0.5}}]}]}";

static cw_model *load(void) {
    unsigned char w[12 + 8 + 8 + 4 + 6];
    const int32_t ints[] = {0, 2, 1, 1, 0, -1, 6, 1};
    memcpy(w, ints, sizeof ints);
    const unsigned char q[] = {0, 1, 2, 3, 4, 5}; /* kc = -1 + q / 2 */
    memcpy(w + sizeof ints, q, sizeof q);
    size_t bytes = sizeof w;
    cw_model *m = NULL;
    assert_int_equal(cw_model_load(model_json, strlen(model_json), w, &bytes, 1, &m), CW_OK);
    const char *problems = cw_model_problems(m);
    if (problems) fail_msg("%s", problems);
    return m;
}

static void model_plans_folds_and_runs_a_graph(void **state) {
    (void)state;
    cw_model *m = load();
    assert_int_equal(cw_model_input_count(m), 1);
    assert_string_equal(cw_model_input_name(m, 0), "x");
    assert_int_equal(cw_model_input_rank(m, 0), 3);
    assert_int_equal(cw_model_input_dim(m, 0, 0), -1);
    assert_int_equal(cw_model_output_count(m), 2); /* the sinks: out and k */
    assert_string_equal(cw_model_output_name(m, 0), "out");
    assert_string_equal(cw_model_output_name(m, 1), "k");
    for (int n = 1; n <= 3; n += 2) { /* a second plan for another batch */
        const int32_t shape[] = {n, 2, 3};
        const int32_t *shapes[] = {shape};
        const int ranks[] = {3};
        assert_int_equal(cw_model_plan(m, shapes, ranks), CW_OK);
        float x[18];
        for (int i = 0; i < 6 * n; i++) x[i] = (float)i;
        const void *inputs[] = {x};
        assert_int_equal(cw_model_run(m, inputs), CW_OK);
        const cw_gvalue *out = cw_model_output(m, 0);
        assert_int_equal(out->rank, 2);
        assert_int_equal(out->shape[0], n);
        assert_int_equal(out->shape[1], 12);
        const float *o = out->data;
        for (int b = 0; b < n; b++)
            for (int j = 0; j < 12; j++) {
                int jj = j % 6, i3 = jj / 2, i2 = jj % 2; /* t[b][i3][i2] = x[b][i2][i3] */
                assert_true(o[b * 12 + j] == x[b * 6 + i2 * 3 + i3]);
            }
        const cw_gvalue *k = cw_model_output(m, 1);
        assert_true(k->is_const);
        assert_int_equal(k->shape[0], 3);
        const float want_k[] = {-1.0f, 0.5f, -0.5f, 1.0f, 0.0f, 1.5f};
        assert_memory_equal(k->data, want_k, sizeof want_k);
        /* t and c are intermediates: the arena holds them, no more */
        assert_true(cw_model_arena_bytes(m) >= (size_t)(6 + 12) * (size_t)n * 4);
        assert_true(cw_model_arena_bytes(m) <= (size_t)(6 + 12) * (size_t)n * 4 + 2 * 64);
    }
    cw_model_free(m);
}

static void model_names_plan_problems(void **state) {
    (void)state;
    cw_model *m = load();
    const int32_t shape[] = {1, 3, 2};
    const int32_t *shapes[] = {shape};
    const int ranks[] = {3};
    assert_int_equal(cw_model_plan(m, shapes, ranks), CW_ERR_INVALID);
    assert_non_null(strstr(cw_error_message(), "input 'x': dimension 1 is 3, the model expects 2"));
    const void *inputs[] = {NULL};
    assert_int_equal(cw_model_run(m, inputs), CW_ERR_INVALID); /* no plan */
    const int bad_rank[] = {2};
    assert_int_equal(cw_model_plan(m, shapes, bad_rank), CW_ERR_INVALID);
    assert_non_null(strstr(cw_model_problems(m), "rank 2 given, 3 expected"));
    const int32_t good[] = {2, 2, 3};
    const int32_t *ok[] = {good};
    assert_int_equal(cw_model_plan(m, ok, ranks), CW_OK); /* a good plan after bad ones */
    assert_null(cw_model_problems(m));
    cw_model_free(m);
}

static void model_with_load_problems_never_plans(void **state) {
    (void)state;
    const char *json = "{\"modelTopology\":{\"node\":[{\"name\":\"x\",\"op\":\"Placeholder\"},"
                       "{\"name\":\"y\",\"op\":\"Frobnicate\",\"input\":[\"x\"]}]}}";
    cw_model *m = NULL;
    assert_int_equal(cw_model_load(json, strlen(json), NULL, NULL, 0, &m), CW_OK);
    assert_non_null(strstr(cw_model_problems(m), "op 'Frobnicate' is not supported"));
    const int32_t shape[] = {1};
    const int32_t *shapes[] = {shape};
    const int ranks[] = {1};
    assert_int_equal(cw_model_plan(m, shapes, ranks), CW_ERR_INVALID);
    cw_model_free(m);
    /* shard bytes that do not match */
    unsigned char w[4] = {0};
    size_t bytes = 3;
    assert_int_equal(cw_model_load(model_json, strlen(model_json), w, &bytes, 1, &m), CW_OK);
    assert_non_null(strstr(cw_model_problems(m), "hold 3 bytes, the manifest's weights need 38"));
    cw_model_free(m);
}

/* An output that later steps no longer read keeps its buffer: t is read by
 * the concat only, and the slice after it (c[:, 1:33], as large as t) must not take
 * t's block. */
static void model_outputs_outlive_later_steps(void **state) {
    (void)state;
    const char *json =
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
        "{\"name\":\"x\",\"op\":\"Placeholder\"},"
        "{\"name\":\"perm\",\"op\":\"Const\"},{\"name\":\"axis\",\"op\":\"Const\"},"
        "{\"name\":\"begin\",\"op\":\"Const\"},{\"name\":\"size\",\"op\":\"Const\"},"
        "{\"name\":\"t\",\"op\":\"Transpose\",\"input\":[\"x\",\"perm\"]},"
        "{\"name\":\"c\",\"op\":\"ConcatV2\",\"input\":[\"t\",\"t\",\"axis\"]},"
        "{\"name\":\"s\",\"op\":\"Slice\",\"input\":[\"c\",\"begin\",\"size\"]}]},"
        "\"signature\":{\"outputs\":{\"a\":{\"name\":\"t:0\"},\"b\":{\"name\":\"s:0\"}}},"
        "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
        "{\"name\":\"perm\",\"shape\":[2],\"dtype\":\"int32\"},"
        "{\"name\":\"axis\",\"shape\":[],\"dtype\":\"int32\"},"
        "{\"name\":\"begin\",\"shape\":[2],\"dtype\":\"int32\"},"
        "{\"name\":\"size\",\"shape\":[2],\"dtype\":\"int32\"}]}]}";
    const int32_t w[] = {1, 0, 1, 0, 1, -1, 32}; /* perm, axis, begin, size [-1, 32] */
    size_t bytes = sizeof w;
    cw_model *m = NULL;
    assert_int_equal(cw_model_load(json, strlen(json), (const unsigned char *)w, &bytes, 1, &m),
                     CW_OK);
    const char *problems = cw_model_problems(m);
    if (problems) fail_msg("%s", problems);
    assert_string_equal(cw_model_output_name(m, 0), "t");
    const int32_t shape[] = {32, 16}; /* t [16, 32]: 2 KB, c [16, 64], s [16, 32] */
    const int32_t *shapes[] = {shape};
    const int ranks[] = {2};
    assert_int_equal(cw_model_plan(m, shapes, ranks), CW_OK);
    float x[512];
    for (int i = 0; i < 512; i++) x[i] = (float)(i + 1);
    const void *inputs[] = {x};
    assert_int_equal(cw_model_run(m, inputs), CW_OK);
    const float *t = cw_model_output(m, 0)->data, *sl = cw_model_output(m, 1)->data;
    for (int r = 0; r < 16; r++)
        for (int k = 0; k < 32; k++) {
            assert_true(t[r * 32 + k] == x[k * 16 + r]);
            assert_true(sl[r * 32 + k] == x[((k + 1) % 32) * 16 + r]);
        }
    cw_model_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_plans_folds_and_runs_a_graph),
        cmocka_unit_test(model_names_plan_problems),
        cmocka_unit_test(model_with_load_problems_never_plans),
        cmocka_unit_test(model_outputs_outlive_later_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
