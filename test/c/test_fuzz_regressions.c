/* Models that once made the graph runtime (src/graph/model/) read or
 * write out of bounds or plan wrongly, found by reading the code and each
 * confirmed with an input to scripts/fuzz-graph.sh's load/plan target,
 * reduced to a few nodes: now problems named at load or plan, or a model
 * that plans and runs. */
#include "test_util.h"

#include "graph/model/model.h"
#include "graph/model/model_impl.h"

#define X_ANY_LENGTH                                                                               \
    "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"          \
    "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"-1\"}]}}}}"

static cw_model *load(const char *json, const unsigned char *weights, size_t bytes) {
    cw_model *m = NULL;
    assert_int_equal(cw_model_load(json, strlen(json), weights, &bytes, weights ? 1 : 0, &m),
                     CW_OK);
    return m;
}

/* Plans the model's one input for shape[rank]. */
static cw_status plan_one(cw_model *m, int rank, const int32_t *shape) {
    const int32_t *shapes[] = {shape};
    return cw_model_plan(m, shapes, &rank);
}

static void assert_problem(cw_model *m, const char *text) {
    const char *problems = cw_model_problems(m);
    if (!problems || !strstr(problems, text))
        fail_msg("expected a problem with \"%s\", got: %s", text, problems ? problems : "(none)");
}

/* "r:3" of a one-output node once indexed past the model's values (the
 * plan's liveness table, then cw_model_output). */
static void signature_output_past_a_nodes_outputs_is_a_load_problem(void **state) {
    (void)state;
    cw_model *m = load("{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[" X_ANY_LENGTH
                       ",{\"name\":\"r\",\"op\":\"Relu\",\"input\":[\"x\"]}]},"
                       "\"signature\":{\"outputs\":{\"r:3\":{\"name\":\"r:3\"}}}}",
                       NULL, 0);
    assert_problem(m, "signature output 'r:3' is not an output of that node");
    assert_int_equal(plan_one(m, 1, (const int32_t[]){2}), CW_ERR_INVALID);
    cw_model_free(m);
}

/* Every signature entry naming the Placeholder was once an input of its
 * own, written past the input table when there were more than the nodes. */
static void repeated_signature_inputs_are_one_input(void **state) {
    (void)state;
    cw_model *m = load("{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[" X_ANY_LENGTH
                       ",{\"name\":\"r\",\"op\":\"Relu\",\"input\":[\"x\"]}]},"
                       "\"signature\":{\"inputs\":{\"a\":{\"name\":\"x:0\"},\"b\":{\"name\":\"x\"},"
                       "\"c\":{\"name\":\"x:0\"},\"d\":{\"name\":\"x:0\"}}}}",
                       NULL, 0);
    assert_null(cw_model_problems(m));
    assert_int_equal(cw_model_input_count(m), 1);
    assert_string_equal(cw_model_input_name(m, 0), "x");
    assert_int_equal(plan_one(m, 1, (const int32_t[]){3}), CW_OK);
    const float x[] = {-1.0f, 0.0f, 2.0f}, want[] = {0.0f, 0.0f, 2.0f};
    const void *inputs[] = {x};
    assert_int_equal(cw_model_run(m, inputs), CW_OK);
    assert_memory_equal(cw_model_output(m, 0)->data, want, sizeof want);
    cw_model_free(m);
}

/* A NoOp read as data once let the plan succeed with the reader and the
 * output never computed (an output of no shape and no data). */
static void a_noop_read_as_data_fails_the_plan(void **state) {
    (void)state;
    cw_model *m = load("{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[" X_ANY_LENGTH
                       ",{\"name\":\"n\",\"op\":\"NoOp\"},"
                       "{\"name\":\"r\",\"op\":\"AddV2\",\"input\":[\"x\",\"n\"]}]}}",
                       NULL, 0);
    assert_null(cw_model_problems(m));
    assert_int_equal(plan_one(m, 1, (const int32_t[]){2}), CW_ERR_INVALID);
    assert_problem(m, "node 'n' (NoOp) has no output to read");
    const float x[] = {1.0f, 2.0f};
    const void *inputs[] = {x};
    assert_int_not_equal(cw_model_run(m, inputs), CW_OK);
    cw_model_free(m);
}

/* A batch norm after a _FusedConv2D whose fused_ops name BiasAdd but that
 * has no bias input: folding once read that missing input (past the node's
 * input list) before checking there was one. The read changed no result, so
 * the test makes it fault in any build: after the load, the convolution's
 * input list is moved into an array whose entry past its end names a
 * producer far beyond the node table, and the fuser runs again; reading
 * that entry (g->nodes[INT32_MAX]) would crash. The batch norm is left as
 * it is, and the convolution's own check names the missing bias. */
static void batch_norm_after_a_fused_conv_without_its_bias_input_is_left_alone(void **state) {
    (void)state;
    const char *json =
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
        "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
        "\"shape\":{\"shape\":{\"dim\":[{\"size\":\"1\"},{\"size\":\"3\"},{\"size\":\"3\"},"
        "{\"size\":\"1\"}]}}}},"
        "{\"name\":\"f\",\"op\":\"Const\"},{\"name\":\"s\",\"op\":\"Const\"},"
        "{\"name\":\"o\",\"op\":\"Const\"},{\"name\":\"mu\",\"op\":\"Const\"},"
        "{\"name\":\"v\",\"op\":\"Const\"},"
        "{\"name\":\"c\",\"op\":\"_FusedConv2D\",\"input\":[\"x\",\"f\"],\"attr\":{"
        "\"fused_ops\":{\"list\":{\"s\":[\"Qmlhc0FkZA==\"]}},\"num_args\":{\"i\":\"1\"},"
        "\"strides\":{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}},"
        "\"padding\":{\"s\":\"U0FNRQ==\"}}},"
        "{\"name\":\"bn\",\"op\":\"FusedBatchNormV3\","
        "\"input\":[\"c\",\"s\",\"o\",\"mu\",\"v\"]}]},"
        "\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":["
        "{\"name\":\"f\",\"shape\":[1,1,1,2],\"dtype\":\"float32\"},"
        "{\"name\":\"s\",\"shape\":[2],\"dtype\":\"float32\"},"
        "{\"name\":\"o\",\"shape\":[2],\"dtype\":\"float32\"},"
        "{\"name\":\"mu\",\"shape\":[2],\"dtype\":\"float32\"},"
        "{\"name\":\"v\",\"shape\":[2],\"dtype\":\"float32\"}]}]}";
    float w[10];
    for (int i = 0; i < 10; i++) w[i] = 1.0f;
    cw_model *m = load(json, (const unsigned char *)w, sizeof w);
    assert_null(cw_model_problems(m));
    cw_node_def *c = &m->def->nodes[cw_graph_def_find(m->def, "c")];
    assert_int_equal(c->n_inputs, 2);
    cw_input poisoned[3] = {c->inputs[0], c->inputs[1], {"far", 0, INT32_MAX}};
    c->inputs = poisoned;
    assert_int_equal(cw_model_fuse(m), 0);
    assert_string_equal(m->def->nodes[cw_graph_def_find(m->def, "bn")].op, "FusedBatchNormV3");
    assert_int_equal(plan_one(m, 4, (const int32_t[]){1, 3, 3, 1}), CW_ERR_INVALID);
    assert_problem(m, "node 'c' (_FusedConv2D): 2 input(s) given, 3 expected");
    cw_model_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_output_past_a_nodes_outputs_is_a_load_problem),
        cmocka_unit_test(repeated_signature_inputs_are_one_input),
        cmocka_unit_test(a_noop_read_as_data_fails_the_plan),
        cmocka_unit_test(batch_norm_after_a_fused_conv_without_its_bias_input_is_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
