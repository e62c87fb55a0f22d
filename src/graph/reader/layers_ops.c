/* The layers-model reader's layer classes: each call of a Keras layer as
 * the TF op nodes that compute it (plain chains: Conv2D, BiasAdd, Relu; the
 * planner fuses them). */
#include <stdio.h>

#include "graph/reader/layers.h"

/* op(x, the layer's weight) with the config's window (kernel_size,
 * strides, padding, dilation_rate). */
static cw_layer_ref windowed(cw_layers *L, const cJSON *cfg, cw_layer_ref x, const char *weight,
                             const char *suffix, const char *op) {
    cw_layer_window w;
    if (cw_layer_read_window(L, cfg, "kernel_size", 1, "strides", &w) < 0) return CW_LAYER_REF_NONE;
    cw_layer_ref in[2] = {x, cw_layer_weight(L, weight, NULL)};
    cw_node_def *n = cw_layer_emit(L, suffix, op, in, 2);
    cw_layer_window_attrs(L, n, &w, 1);
    return cw_layer_ref_of(n);
}

static cw_layer_ref conv2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    if (cw_layer_cfg_num(L, cfg, "groups", 1) != 1) {
        cw_layer_fail(L, "grouped convolution (groups != 1) is not supported");
        return CW_LAYER_REF_NONE;
    }
    cw_layer_ref y = windowed(L, cfg, x, "kernel", "Conv2D", "Conv2D");
    return cw_layer_bias_activation_out(L, cfg, y);
}

static cw_layer_ref depthwise2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    cw_layer_ref y = windowed(L, cfg, x, "depthwise_kernel", "depthwise", "DepthwiseConv2dNative");
    return cw_layer_bias_activation_out(L, cfg, y);
}

/* The depthwise convolution, then a 1x1 one (pointwise_kernel). */
static cw_layer_ref separable2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    cw_layer_ref in[2] = {
        windowed(L, cfg, x, "depthwise_kernel", "depthwise", "DepthwiseConv2dNative"),
        cw_layer_weight(L, "pointwise_kernel", NULL)};
    const cw_layer_window one = {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID"};
    cw_node_def *n = cw_layer_emit(L, "pointwise", "Conv2D", in, 2);
    cw_layer_window_attrs(L, n, &one, 1);
    return cw_layer_bias_activation_out(L, cfg, cw_layer_ref_of(n));
}

static cw_layer_ref dense(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    cw_layer_ref in[2] = {x, cw_layer_weight(L, "kernel", NULL)};
    return cw_layer_bias_activation_out(
        L, cfg, cw_layer_ref_of(cw_layer_emit(L, "MatMul", "MatMul", in, 2)));
}

static cw_layer_ref pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x, const char *op) {
    cw_layer_window w;
    if (cw_layer_read_window(L, cfg, "pool_size", 2, "strides", &w) < 0) return CW_LAYER_REF_NONE;
    cw_node_def *n = cw_layer_emit(L, op, op, &x, 1);
    cw_layer_add_ints(L, n, "ksize", CW_ATTR_INTS, w.ksize, 4);
    cw_layer_window_attrs(L, n, &w, 0);
    return cw_layer_out(L, cw_layer_ref_of(n));
}

static cw_layer_ref max_pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    return pool2d(L, cfg, x, "MaxPool");
}

static cw_layer_ref avg_pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    return pool2d(L, cfg, x, "AvgPool");
}

static cw_layer_ref global_pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x, const char *op) {
    if (cw_layer_channels_last(L, cfg) < 0) return CW_LAYER_REF_NONE;
    const int32_t hw[2] = {1, 2};
    cw_layer_ref in[2] = {x, cw_layer_ints(L, "axes", hw, 2)};
    cw_node_def *n = cw_layer_emit(L, op, op, in, 2);
    cw_node_add_int(n, "keep_dims", CW_ATTR_BOOL, cw_cfg_bool(cfg, "keepdims", 0));
    return cw_layer_out(L, cw_layer_ref_of(n));
}

static cw_layer_ref global_avg_pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    return global_pool2d(L, cfg, x, "Mean");
}

static cw_layer_ref global_max_pool2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    return global_pool2d(L, cfg, x, "Max");
}

/* Dimensions [begin, end) of x's shape, computed by nodes the planner folds. */
static cw_layer_ref shape_slice(cw_layers *L, cw_layer_ref x, int32_t begin, int32_t end,
                                const char *name) {
    const int32_t b = begin, e = end, one = 1;
    cw_layer_ref shape = cw_layer_ref_of(cw_layer_emit(L, "Shape", "Shape", &x, 1));
    cw_layer_ref in[4] = {shape, cw_layer_ints(L, "begin", &b, 1), cw_layer_ints(L, "end", &e, 1),
                          cw_layer_ints(L, "stride", &one, 1)};
    return cw_layer_ref_of(cw_layer_emit(L, name, "StridedSlice", in, 4));
}

/* x reshaped to [batch, rest...] (rest may hold one -1). */
static cw_layer_ref reshape_batch(cw_layers *L, cw_layer_ref x, const int32_t *rest,
                                  int64_t n_rest) {
    const int32_t zero = 0;
    cw_layer_ref in[3] = {shape_slice(L, x, 0, 1, "batch"), cw_layer_ints(L, "rest", rest, n_rest),
                          cw_layer_literal(L, "axis", CW_I32, &zero, 0, NULL)};
    cw_layer_ref shape = cw_layer_ref_of(cw_layer_emit(L, "shape", "ConcatV2", in, 3));
    cw_layer_ref r[2] = {x, shape};
    return cw_layer_out(L, cw_layer_ref_of(cw_layer_emit(L, "Reshape", "Reshape", r, 2)));
}

static cw_layer_ref flatten(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    if (cw_layer_channels_last(L, cfg) < 0) return CW_LAYER_REF_NONE;
    const int32_t all = -1;
    return reshape_batch(L, x, &all, 1);
}

static cw_layer_ref reshape(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    const cJSON *t = cw_json_item(cfg, "target_shape");
    int32_t dims[CW_MAX_RANK];
    int n = cJSON_IsArray(t) ? cJSON_GetArraySize(t) : -1, ok = n >= 0 && n < CW_MAX_RANK;
    for (int i = 0; ok && i < n; i++) {
        const cJSON *d = cJSON_GetArrayItem(t, i);
        int64_t v = cJSON_IsNull(d) ? -1 : cw_json_int(d, &ok);
        ok = ok && v >= -1 && v <= INT32_MAX;
        dims[i] = (int32_t)v;
    }
    if (!ok) {
        cw_layer_fail(L, "target_shape is not a list of at most %d sizes", CW_MAX_RANK - 1);
        return CW_LAYER_REF_NONE;
    }
    return reshape_batch(L, x, dims, n);
}

static cw_layer_ref identity(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    (void)cfg;
    return cw_layer_out(L, x);
}

static cw_layer_ref batch_norm(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    int64_t axis;
    if (cw_layer_cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return CW_LAYER_REF_NONE;
    size_t c = 0;
    cw_layer_ref mean = cw_layer_weight(L, "moving_mean", &c),
                 var = cw_layer_weight(L, "moving_variance", NULL);
    if (!mean.node) return CW_LAYER_REF_NONE;
    int64_t dims = (int64_t)c;
    float *fill = cw_arena_alloc(L->ps->a, (c ? c : 1) * sizeof(float));
    if (!fill) return CW_LAYER_REF_NONE;
    cw_layer_ref gamma, beta;
    if (cw_cfg_bool(cfg, "scale", 1)) {
        gamma = cw_layer_weight(L, "gamma", NULL);
    } else {
        for (size_t i = 0; i < c; i++) fill[i] = 1.0f;
        gamma = cw_layer_literal(L, "gamma", CW_F32, fill, 1, &dims);
    }
    if (cw_cfg_bool(cfg, "center", 1)) {
        beta = cw_layer_weight(L, "beta", NULL);
    } else {
        memset(fill, 0, c * sizeof(float));
        beta = cw_layer_literal(L, "beta", CW_F32, fill, 1, &dims);
    }
    cw_layer_ref in[5] = {x, gamma, beta, mean, var};
    cw_node_def *n = cw_layer_emit(L, "FusedBatchNormV3", "FusedBatchNormV3", in, 5);
    cw_node_add_float(n, "epsilon", cw_layer_cfg_num(L, cfg, "epsilon", 1e-3));
    cw_node_add_str(n, "data_format", "NHWC");
    cw_node_add_int(n, "is_training", CW_ATTR_BOOL, 0);
    cw_node_add_int(n, "axis", CW_ATTR_INT, axis); /* the planner checks it is the last */
    return cw_layer_out(L, cw_layer_ref_of(n));
}

static cw_layer_ref activation_layer(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    return cw_layer_out(L, cw_layer_activation(L, cw_cfg_str(cfg, "activation", "linear"), x));
}

static cw_layer_ref relu_layer(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    const cJSON *max = cw_json_item(cfg, "max_value");
    double slope = cw_layer_cfg_num(L, cfg, "negative_slope", 0),
           threshold = cw_layer_cfg_num(L, cfg, "threshold", 0);
    double cap = max && !cJSON_IsNull(max) ? cw_layer_cfg_num(L, cfg, "max_value", 0) : -1;
    if (threshold != 0 || (slope != 0 && cap >= 0) || (max && !cJSON_IsNull(max) && cap < 0)) {
        cw_layer_fail(L,
                      "only max_value (>= 0) or negative_slope, without threshold, is supported");
        return CW_LAYER_REF_NONE;
    }
    if (slope != 0) {
        cw_node_def *n = cw_layer_emit(L, "LeakyRelu", "LeakyRelu", &x, 1);
        cw_node_add_float(n, "alpha", slope);
        return cw_layer_out(L, cw_layer_ref_of(n));
    }
    if (cap == 6) return cw_layer_out(L, cw_layer_unary(L, "Relu6", x));
    cw_layer_ref y = cw_layer_unary(L, "Relu", x);
    if (cap < 0) return cw_layer_out(L, y);
    const float c = (float)cap;
    cw_layer_ref in[2] = {y, cw_layer_literal(L, "max_value", CW_F32, &c, 0, NULL)};
    return cw_layer_out(L, cw_layer_ref_of(cw_layer_emit(L, "Minimum", "Minimum", in, 2)));
}

static cw_layer_ref leaky_relu(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    cw_node_def *n = cw_layer_emit(L, "LeakyRelu", "LeakyRelu", &x, 1);
    cw_node_add_float(n, "alpha", cw_layer_cfg_num(L, cfg, "alpha", 0.3));
    return cw_layer_out(L, cw_layer_ref_of(n));
}

static cw_layer_ref softmax_layer(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    int64_t axis;
    if (cw_layer_cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return CW_LAYER_REF_NONE;
    cw_node_def *n = cw_layer_emit(L, "Softmax", "Softmax", &x, 1);
    cw_node_add_int(n, "axis", CW_ATTR_INT, axis); /* the op checks it is the last */
    return cw_layer_out(L, cw_layer_ref_of(n));
}

static cw_layer_ref elu_layer(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    if (cw_layer_cfg_num(L, cfg, "alpha", 1) != 1) {
        cw_layer_fail(L, "alpha other than 1 is not supported");
        return CW_LAYER_REF_NONE;
    }
    return cw_layer_out(L, cw_layer_unary(L, "Elu", x));
}

/* x[0] op x[1] op ... op x[n - 1]: Add, Subtract, Multiply, Maximum, Minimum,
 * Average's sum. */
static cw_layer_ref merge(cw_layers *L, const cw_layer_ref *x, size_t n, const char *op) {
    if (n < 2) {
        cw_layer_fail(L, "%zu input(s), at least 2 expected", n);
        return CW_LAYER_REF_NONE;
    }
    cw_layer_ref y = x[0];
    for (size_t i = 1; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, i == 1 ? "%s" : "%s_%zu", op, i - 1);
        cw_layer_ref in[2] = {y, x[i]};
        y = cw_layer_ref_of(cw_layer_emit(L, cw_arena_strdup(L->ps->a, name), op, in, 2));
    }
    return y;
}

static cw_layer_ref average(cw_layers *L, const cJSON *cfg, const cw_layer_ref *x, size_t n) {
    (void)cfg;
    const float inv = 1.0f / (float)(n ? n : 1);
    cw_layer_ref in[2] = {merge(L, x, n, "AddV2"),
                          cw_layer_literal(L, "inv_n", CW_F32, &inv, 0, NULL)};
    return cw_layer_out(L, cw_layer_ref_of(cw_layer_emit(L, "Mul", "Mul", in, 2)));
}

static cw_layer_ref concatenate(cw_layers *L, const cJSON *cfg, const cw_layer_ref *x, size_t n) {
    int64_t axis;
    if (cw_layer_cfg_ints(L, cfg, "axis", &axis, 1, -1) < 0) return CW_LAYER_REF_NONE;
    cw_layer_ref *in = cw_arena_alloc(L->ps->a, (n + 1) * sizeof(cw_layer_ref));
    if (!in) return CW_LAYER_REF_NONE;
    memcpy(in, x, n * sizeof(cw_layer_ref));
    const int32_t a = (int32_t)axis;
    in[n] = cw_layer_literal(L, "axis", CW_I32, &a, 0, NULL);
    cw_node_def *node = cw_layer_emit(L, "ConcatV2", "ConcatV2", in, n + 1);
    cw_node_add_int(node, "N", CW_ATTR_INT, (int64_t)n);
    return cw_layer_out(L, cw_layer_ref_of(node));
}

/* ZeroPadding2D's padding: p, [h, w] or [[top, bottom], [left, right]]. */
static cw_layer_ref zero_padding2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    if (cw_layer_channels_last(L, cfg) < 0) return CW_LAYER_REF_NONE;
    const cJSON *p = cw_json_item(cfg, "padding");
    int64_t tb[2] = {1, 1}, lr[2] = {1, 1};
    int ok = 1;
    if (cJSON_IsArray(p) && cJSON_GetArraySize(p) == 2 && cJSON_IsArray(cJSON_GetArrayItem(p, 0))) {
        const cJSON *h = cJSON_GetArrayItem(p, 0), *w = cJSON_GetArrayItem(p, 1);
        ok = cJSON_IsArray(w) && cJSON_GetArraySize(h) == 2 && cJSON_GetArraySize(w) == 2;
        for (int i = 0; ok && i < 2; i++) {
            int ok2;
            tb[i] = cw_json_int(cJSON_GetArrayItem(h, i), &ok);
            lr[i] = cw_json_int(cJSON_GetArrayItem(w, i), &ok2);
            ok = ok && ok2;
        }
    } else {
        int64_t hw[2];
        ok = cw_layer_cfg_ints(L, cfg, "padding", hw, 2, 1) == 0;
        tb[0] = tb[1] = hw[0], lr[0] = lr[1] = hw[1];
    }
    for (int i = 0; ok && i < 2; i++)
        ok = tb[i] >= 0 && lr[i] >= 0 && tb[i] < INT32_MAX && lr[i] < INT32_MAX;
    if (!ok) {
        cw_layer_fail(L,
                      "padding is not p, [h, w] or [[top, bottom], [left, right]] of sizes >= 0");
        return CW_LAYER_REF_NONE;
    }
    const int32_t pads[8] = {0, 0, (int32_t)tb[0], (int32_t)tb[1], (int32_t)lr[0], (int32_t)lr[1],
                             0, 0};
    const int64_t shape[2] = {4, 2};
    cw_layer_ref in[2] = {x, cw_layer_literal(L, "paddings", CW_I32, pads, 2, shape)};
    return cw_layer_out(L, cw_layer_ref_of(cw_layer_emit(L, "Pad", "Pad", in, 2)));
}

static cw_layer_ref up_sampling2d(cw_layers *L, const cJSON *cfg, cw_layer_ref x) {
    int64_t size[2];
    if (cw_layer_channels_last(L, cfg) < 0 || cw_layer_cfg_ints(L, cfg, "size", size, 2, 2) < 0)
        return CW_LAYER_REF_NONE;
    const char *how = cw_cfg_str(cfg, "interpolation", "nearest");
    const char *op = !strcmp(how, "nearest")    ? "ResizeNearestNeighbor"
                     : !strcmp(how, "bilinear") ? "ResizeBilinear"
                                                : NULL;
    if (!op || size[0] < 1 || size[1] < 1) {
        cw_layer_fail(
            L,
            "interpolation '%s' with size [%lld, %lld] is not supported (nearest or bilinear, "
            "sizes >= 1)",
            how, (long long)size[0], (long long)size[1]);
        return CW_LAYER_REF_NONE;
    }
    const int32_t by[2] = {(int32_t)size[0], (int32_t)size[1]};
    cw_layer_ref hw[2] = {shape_slice(L, x, 1, 3, "hw"), cw_layer_ints(L, "factor", by, 2)};
    cw_layer_ref in[2] = {x, cw_layer_ref_of(cw_layer_emit(L, "size", "Mul", hw, 2))};
    cw_node_def *n = cw_layer_emit(L, op, op, in, 2);
    cw_node_add_int(n, "align_corners", CW_ATTR_BOOL, 0);
    cw_node_add_int(n, "half_pixel_centers", CW_ATTR_BOOL, 0);
    return cw_layer_out(L, cw_layer_ref_of(n));
}

typedef cw_layer_ref (*layer_fn)(cw_layers *L, const cJSON *cfg, cw_layer_ref x);
typedef cw_layer_ref (*merge_fn)(cw_layers *L, const cJSON *cfg, const cw_layer_ref *x, size_t n);

/* Each class is one of: a layer of one input (one), an element-wise merge
 * of two or more inputs applied in turn (op; exactly_two for Subtract), a
 * layer of a list of inputs (many). */
static const struct {
    const char *cls;
    layer_fn one;
    const char *op;
    int exactly_two;
    merge_fn many;
} LAYERS[] = {
    {.cls = "Conv2D", .one = conv2d},
    {.cls = "DepthwiseConv2D", .one = depthwise2d},
    {.cls = "SeparableConv2D", .one = separable2d},
    {.cls = "Dense", .one = dense},
    {.cls = "MaxPooling2D", .one = max_pool2d},
    {.cls = "AveragePooling2D", .one = avg_pool2d},
    {.cls = "GlobalAveragePooling2D", .one = global_avg_pool2d},
    {.cls = "GlobalMaxPooling2D", .one = global_max_pool2d},
    {.cls = "Flatten", .one = flatten},
    {.cls = "Reshape", .one = reshape},
    {.cls = "Dropout", .one = identity},
    {.cls = "SpatialDropout2D", .one = identity},
    {.cls = "GaussianNoise", .one = identity},
    {.cls = "GaussianDropout", .one = identity},
    {.cls = "AlphaDropout", .one = identity},
    {.cls = "BatchNormalization", .one = batch_norm},
    {.cls = "Activation", .one = activation_layer},
    {.cls = "ReLU", .one = relu_layer},
    {.cls = "LeakyReLU", .one = leaky_relu},
    {.cls = "Softmax", .one = softmax_layer},
    {.cls = "ELU", .one = elu_layer},
    {.cls = "Add", .op = "AddV2"},
    {.cls = "Subtract", .op = "Sub", .exactly_two = 1},
    {.cls = "Multiply", .op = "Mul"},
    {.cls = "Maximum", .op = "Maximum"},
    {.cls = "Minimum", .op = "Minimum"},
    {.cls = "Average", .many = average},
    {.cls = "Concatenate", .many = concatenate},
    {.cls = "ZeroPadding2D", .one = zero_padding2d},
    {.cls = "UpSampling2D", .one = up_sampling2d},
};

/* One call of layer (class cls, config cfg) on x[n_x], named name. */
cw_layer_ref cw_layer_call(cw_layers *L, const char *name, const char *cls, const cJSON *cfg,
                           const cw_layer_ref *x, size_t n_x) {
    L->cls = cls;
    L->scope = name;
    for (size_t i = 0; i < sizeof LAYERS / sizeof LAYERS[0]; i++) {
        if (strcmp(cls, LAYERS[i].cls) != 0) continue;
        /* inputs not computed (their problems noted) still let this
         * layer's own config and weights be checked */
        if (LAYERS[i].many) return LAYERS[i].many(L, cfg, x, n_x);
        if (LAYERS[i].op) {
            if (LAYERS[i].exactly_two && n_x != 2) {
                cw_layer_fail(L, "%zu input(s), 2 expected", n_x);
                return CW_LAYER_REF_NONE;
            }
            return cw_layer_out(L, merge(L, x, n_x, LAYERS[i].op));
        }
        if (n_x != 1) {
            cw_layer_fail(L, "%zu inputs, 1 expected", n_x);
            return CW_LAYER_REF_NONE;
        }
        return LAYERS[i].one(L, cfg, x[0]);
    }
    cw_layer_fail(L, "this layer class is not supported");
    return CW_LAYER_REF_NONE;
}
