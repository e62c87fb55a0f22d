/* Graph ops: the nn family (NHWC only). This file holds the table and what
 * the family's ops share: data_format, the N-H-W-C int lists, TensorFlow's
 * SAME / VALID / EXPLICIT window geometry and the fused_ops epilogue. The
 * convolutions live in nn_conv.c, MatMul in nn_matmul.c, pooling in
 * nn_pool.c. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "graph/ops/gop.h"
#include "kernels/act/act.h"
#include "kernels/gemm/gemm.h"
#include "kernels/pool/pool.h"
#include "kernels/unary/unary.h"

#include "graph/ops/nn_impl.h"

int cw_op_nn_nhwc(cw_gop_ctx *c) {
    const char *format = cw_gop_attr_str(c, "data_format", "NHWC");
    if (strcmp(format, "NHWC"))
        return cw_gop_fail(c, "data_format '%s' is not supported (NHWC only)", format);
    return 0;
}

/* Attribute `name`, a list of 4 (N, H, W, C) with N = C = 1 and H, W >= 1,
 * into hw[2]; an absent or empty optional list gives 1, 1. */
int cw_op_nn_hw(cw_gop_ctx *c, const char *name, int required, int hw[2]) {
    int64_t v[4];
    int n = cw_gop_attr_ints(c, name, v, 4, required);
    if (n < 0) return -1;
    if (n == 0 && !required) {
        hw[0] = hw[1] = 1;
        return 0;
    }
    if (n != 4) return cw_gop_fail(c, "attribute '%s' has %d values, 4 expected (NHWC)", name, n);
    if (v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1 || v[1] > INT32_MAX || v[2] > INT32_MAX)
        return cw_gop_fail(c,
                           "attribute '%s' is [%lld,%lld,%lld,%lld] (batch and channel 1, "
                           "height and width >= 1 expected)",
                           name, (long long)v[0], (long long)v[1], (long long)v[2],
                           (long long)v[3]);
    hw[0] = (int)v[1], hw[1] = (int)v[2];
    return 0;
}

/* Output height / width and top / left padding for input in, window k,
 * strides s and dilations d, as tfjs-core's computeConv2DInfo (TF's rules),
 * with eff = (k - 1) * d + 1:
 *   SAME:     out = ceil(in / s), total pad max(0, (out - 1) * s + eff - in), before = total / 2;
 *   VALID:    out = ceil((in - eff + 1) / s), no padding;
 *   EXPLICIT: explicit_paddings (N, H, W, C pairs; N and C 0),
 *             out = trunc((in + before + after - eff) / s + 1).
 * A negative output size is a problem. */
int cw_op_nn_window(cw_gop_ctx *c, const int32_t in[2], const int k[2], const int s[2],
                    const int d[2], int allow_explicit, int32_t out[2], int pad[2]) {
    const char *padding = cw_gop_attr_str(c, "padding", NULL);
    if (!padding) return cw_gop_fail(c, "attribute 'padding' is missing");
    int same = !strcmp(padding, "SAME"), valid = !strcmp(padding, "VALID");
    int expl = allow_explicit && !strcmp(padding, "EXPLICIT");
    if (!same && !valid && !expl)
        return cw_gop_fail(c, "padding '%s' is not supported (SAME, VALID%s expected)", padding,
                           allow_explicit ? " or EXPLICIT" : "");
    int64_t e[8] = {0};
    if (expl) {
        int n = cw_gop_attr_ints(c, "explicit_paddings", e, 8, 1);
        if (n < 0) return -1;
        if (n != 8 || e[0] || e[1] || e[6] || e[7] || e[2] < 0 || e[3] < 0 || e[4] < 0 ||
            e[5] < 0 || e[2] > INT32_MAX || e[3] > INT32_MAX || e[4] > INT32_MAX ||
            e[5] > INT32_MAX)
            return cw_gop_fail(c, "explicit_paddings must be 8 values >= 0 (before, after for "
                                  "N, H, W, C) with N and C 0");
    }
    for (int i = 0; i < 2; i++) {
        const int64_t eff = (int64_t)(k[i] - 1) * d[i] + 1;
        double o;
        int64_t before = 0;
        if (same) {
            o = ceil((double)in[i] / s[i]);
            int64_t total = ((int64_t)o - 1) * s[i] + eff - in[i];
            before = total > 0 ? total / 2 : 0;
        } else if (valid) {
            o = ceil((double)(in[i] - eff + 1) / s[i]);
        } else {
            before = e[2 + 2 * i];
            o = trunc((double)(in[i] + before + e[3 + 2 * i] - eff) / s[i] + 1);
        }
        if (o < 0 || o > INT32_MAX || before > INT32_MAX)
            return cw_gop_fail(c,
                               "the %dx%d window (dilated %lldx%lld) does not fit the %dx%d "
                               "input with padding %s and strides [%d,%d]",
                               k[0], k[1], (long long)((int64_t)(k[0] - 1) * d[0] + 1),
                               (long long)((int64_t)(k[1] - 1) * d[1] + 1), (int)in[0], (int)in[1],
                               padding, s[0], s[1]);
        out[i] = (int32_t)o, pad[i] = (int)before;
    }
    return 0;
}

/* Whether a and b are the same ASCII word ignoring case (tfjs-converter
 * lowercases fused_ops). */
static int same_word(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

static const struct {
    const char *name;
    cw_act act;
} activations[] = {{"Relu", CW_ACT_RELU},
                   {"Relu6", CW_ACT_RELU6},
                   {"Elu", CW_ACT_ELU},
                   {"LeakyRelu", CW_ACT_LEAKYRELU},
                   {"Sigmoid", CW_ACT_SIGMOID},
                   {"Prelu", CW_ACT_PRELU},
                   {"Tanh", CW_ACT_LINEAR /* after */}};

/* Extra input i (bias or prelu alpha) as an epilogue vector: float32 with
 * `channels` values (leading dimensions 1) or one value; its length or -1. */
static int extra_len(cw_gop_ctx *c, size_t i, const char *what, int channels) {
    const cw_gvalue *v = c->in[i];
    int leading_ones = 1;
    for (int d = 0; d + 1 < v->rank; d++) leading_ones &= v->shape[d] == 1;
    if (v->dtype != CW_F32) return cw_gop_fail(c, "the %s (input %zu) is not float32", what, i);
    if (v->size == 1) return 1;
    if (v->size == (size_t)channels && leading_ones) return channels;
    return cw_gop_fail(c, "the %s (input %zu) has %zu values, %d expected (one per output channel)",
                       what, i, v->size, channels);
}

/* The epilogue of the node: for a fused op, fused_ops is an optional
 * "BiasAdd" then at most one activation (Relu, Relu6, Elu, LeakyRelu with
 * leakyrelu_alpha, Sigmoid, Tanh, Prelu); the bias, then the prelu alpha,
 * follow inputs 0 and 1 (num_args of them). Checks the input count; sets ep
 * (pointers NULL: bound at run), extra[] (input indices or -1) and *tanh
 * (Tanh runs after the kernel). Returns 0 or -1 (problem noted). */
int cw_op_nn_fused(cw_gop_ctx *c, int fused, int channels, cw_epilogue *ep, int extra[2],
                   int *tanh) {
    memset(ep, 0, sizeof *ep);
    extra[0] = extra[1] = -1, *tanh = 0;
    const cw_attr *ops = fused ? cw_node_attr(c->node, "fused_ops") : NULL;
    if (ops && ops->kind != CW_ATTR_STRINGS)
        return cw_gop_fail(c, "attribute 'fused_ops' is not a list of strings");
    size_t n = ops ? ops->count : 0, at = 0;
    int bias = n > 0 && same_word(ops->strs[0], "BiasAdd"), prelu = 0;
    at += (size_t)bias;
    if (at < n) {
        size_t a = 0, count = sizeof activations / sizeof activations[0];
        while (a < count && !same_word(ops->strs[at], activations[a].name)) a++;
        if (a == count)
            return cw_gop_fail(c,
                               "fused op '%s' is not supported (BiasAdd then Relu, Relu6, Elu, "
                               "LeakyRelu, Sigmoid, Tanh or Prelu expected)",
                               ops->strs[at]);
        ep->act = activations[a].act;
        *tanh = same_word(activations[a].name, "Tanh");
        prelu = ep->act == CW_ACT_PRELU;
        if (ep->act == CW_ACT_LEAKYRELU)
            ep->alpha = (float)cw_gop_attr_float(c, "leakyrelu_alpha", 0.2);
        at++;
    }
    if (at < n)
        return cw_gop_fail(c, "fused op '%s' is not supported after '%s'", ops->strs[at],
                           ops->strs[at - 1]);
    int64_t want = bias + prelu, num_args = cw_gop_attr_int(c, "num_args", want);
    if (num_args != want)
        return cw_gop_fail(c, "num_args is %lld, fused_ops need %lld extra input(s)",
                           (long long)num_args, (long long)want);
    if (cw_gop_inputs(c, 2 + (size_t)want, 2 + (size_t)want) < 0) return -1;
    if (bias) {
        extra[0] = 2;
        if ((ep->bias_len = extra_len(c, 2, "bias", channels)) < 0) return -1;
    }
    if (prelu) {
        extra[1] = 2 + bias;
        if ((ep->prelu_len = extra_len(c, (size_t)extra[1], "prelu alpha", channels)) < 0)
            return -1;
    }
    return 0;
}

/* Points ep at this run's bias and prelu data. */
void cw_op_nn_fused_bind(const cw_gop_ctx *c, cw_epilogue *ep, const int extra[2]) {
    if (extra[0] >= 0) ep->bias = c->in[extra[0]]->data;
    if (extra[1] >= 0) ep->prelu = c->in[extra[1]]->data;
}

/* The activation the kernels' epilogue lacks (Tanh), on output 0 in place. */
cw_status cw_op_nn_fused_finish(cw_gop_ctx *c, int tanh) {
    cw_gvalue *y = c->out[0];
    if (!tanh || y->size == 0) return CW_OK;
    return cw_unary(CW_UNARY_TANH, CW_F32, y->data, y->data, y->size, 0.0f, 0.0f);
}

/* Input i (a KxN matrix, [N,K] when transpose) packed for the GEMM at plan
 * time when it is a constant (weights), in memory the model owns; NULL when
 * it is not constant or empty (the kernel then packs into its own scratch). */
float *cw_op_nn_pack(cw_gop_ctx *c, size_t i, int K, int N, int transpose) {
    const cw_gvalue *w = c->in[i];
    size_t floats = cw_gemm_packed_b_floats(K, N);
    if (!w->is_const || !w->data || floats == 0 || floats > SIZE_MAX / sizeof(float) - 64)
        return NULL;
    uintptr_t p = (uintptr_t)cw_gop_alloc(c, floats * sizeof(float) + 64);
    if (!p) return NULL;
    float *packed = (float *)((p + 63) & ~(uintptr_t)63);
    cw_gemm_pack_b(K, N, w->data, transpose, packed);
    return packed;
}

/* clang-format off */
const cw_gop cw_gops_nn[] = {
    {.name = "Conv2D", .infer = cw_op_nn_conv_infer, .run = cw_op_nn_conv_run},
    {.name = "_FusedConv2D", .flags = CW_OP_FUSED_EPILOGUE,
     .infer = cw_op_nn_conv_infer, .run = cw_op_nn_conv_run},
    {.name = "DepthwiseConv2dNative",
     .infer = cw_op_nn_depthwise_infer, .run = cw_op_nn_depthwise_run},
    {.name = "FusedDepthwiseConv2dNative", .flags = CW_OP_FUSED_EPILOGUE,
     .infer = cw_op_nn_depthwise_infer, .run = cw_op_nn_depthwise_run},
    {.name = "MatMul", .infer = cw_op_nn_matmul_infer, .run = cw_op_nn_matmul_run},
    {.name = "_FusedMatMul", .flags = CW_OP_FUSED_EPILOGUE,
     .infer = cw_op_nn_matmul_infer, .run = cw_op_nn_matmul_run},
    {.name = "MaxPool", .code = CW_POOL_MAX_2D,
     .infer = cw_op_nn_pool_infer, .run = cw_op_nn_pool_run},
    {.name = "AvgPool", .code = CW_POOL_AVG_2D,
     .infer = cw_op_nn_pool_infer, .run = cw_op_nn_pool_run},
    {.name = "FusedBatchNorm", .infer = cw_op_nn_batch_norm_infer, .run = cw_op_nn_batch_norm_run},
    {.name = "FusedBatchNormV2", .infer = cw_op_nn_batch_norm_infer, .run = cw_op_nn_batch_norm_run},
    {.name = "FusedBatchNormV3", .infer = cw_op_nn_batch_norm_infer, .run = cw_op_nn_batch_norm_run},
};
/* clang-format on */
const size_t cw_gops_nn_count = sizeof cw_gops_nn / sizeof cw_gops_nn[0];
