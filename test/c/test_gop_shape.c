/* The shape family of graph ops: infer() shapes and problems, run() against
 * references written as plain loops. */
#include "test_gop_util.h"

static float xs[4096], want[4096];

static void fill_seq(float *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (float)i * 0.5f - 3.0f;
}

/* ---- aliases ---- */

static void aliases_infer_reshape_expand_dims_and_squeeze_shapes(void **state) {
    (void)state;
    harness h;
    cw_gvalue x = value(CW_F32, 3, SHAPE(2, 3, 4), NULL, 0);
    cw_gvalue sh = cints(1, SHAPE(2), (const int32_t[]){4, -1});
    cw_gvalue *in[] = {&x, &sh};
    assert_int_equal(infer(&h, "Reshape", NULL, 0, in, 2), 0);
    assert_true(h.op->flags & CW_OP_ALIAS);
    assert_shape(&h.out[0], 2, SHAPE(4, 6));
    assert_int_equal(h.out[0].dtype, CW_F32);
    release(&h);

    cw_gvalue b = value(CW_BOOL, 2, SHAPE(2, 3), NULL, 0);
    cw_gvalue axis = cints(0, NULL, (const int32_t[]){-1});
    cw_gvalue *in2[] = {&b, &axis};
    assert_int_equal(infer(&h, "ExpandDims", NULL, 0, in2, 2), 0);
    assert_true(h.op->flags & CW_OP_ALIAS);
    assert_shape(&h.out[0], 3, SHAPE(2, 3, 1));
    assert_int_equal(h.out[0].dtype, CW_BOOL);
    release(&h);

    cw_gvalue s = value(CW_I32, 4, SHAPE(1, 3, 1, 2), NULL, 0);
    cw_gvalue *in3[] = {&s};
    int64_t dims[] = {-2};
    cw_attr attrs[] = {attr_ints("squeeze_dims", dims, 1)};
    assert_int_equal(infer(&h, "Squeeze", attrs, 1, in3, 1), 0);
    assert_true(h.op->flags & CW_OP_ALIAS);
    assert_shape(&h.out[0], 3, SHAPE(1, 3, 2));
    release(&h);
    cw_attr none[] = {attr_ints("squeeze_dims", dims, 0)};
    assert_int_equal(infer(&h, "Squeeze", none, 1, in3, 1), 0);
    assert_shape(&h.out[0], 2, SHAPE(3, 2));
    release(&h);

    assert_int_equal(infer(&h, "Identity", NULL, 0, in3, 1), 0);
    assert_true(h.op->flags & CW_OP_ALIAS);
    assert_shape(&h.out[0], 4, SHAPE(1, 3, 1, 2));
    release(&h);
}

static void bad_shapes_and_perms_are_problems_naming_the_node(void **state) {
    (void)state;
    harness h;
    cw_gvalue x = value(CW_F32, 2, SHAPE(2, 3), NULL, 0);
    cw_gvalue live = value(CW_I32, 1, SHAPE(2), (const int32_t[]){3, 2}, 0);
    cw_gvalue *in[] = {&x, &live};
    assert_problem(&h, infer(&h, "Reshape", NULL, 0, in, 2), "must be a constant");
    cw_gvalue bad = cints(1, SHAPE(2), (const int32_t[]){4, 2});
    in[1] = &bad;
    assert_problem(&h, infer(&h, "Reshape", NULL, 0, in, 2), "holds 8 elements, the input 6");
    cw_gvalue two = cints(1, SHAPE(2), (const int32_t[]){-1, -1});
    in[1] = &two;
    assert_problem(&h, infer(&h, "Reshape", NULL, 0, in, 2), "more than one -1");
    cw_gvalue odd = cints(1, SHAPE(2), (const int32_t[]){4, -1});
    in[1] = &odd;
    assert_problem(&h, infer(&h, "Reshape", NULL, 0, in, 2), "-1");

    cw_gvalue perm = cints(1, SHAPE(2), (const int32_t[]){1, 1});
    in[1] = &perm;
    assert_problem(&h, infer(&h, "Transpose", NULL, 0, in, 2), "not a permutation");
    cw_gvalue short_perm = cints(1, SHAPE(1), (const int32_t[]){0});
    in[1] = &short_perm;
    assert_problem(&h, infer(&h, "Transpose", NULL, 0, in, 2), "rank 2");
    assert_problem(&h, infer(&h, "Transpose", NULL, 0, in, 1), "1 input(s) given");
}

/* ---- data movement ---- */

static void transpose_4d_matches_an_index_loop(void **state) {
    (void)state;
    harness h;
    const int32_t d[4] = {2, 3, 4, 5}, perm[4] = {2, 0, 3, 1};
    fill_seq(xs, 120);
    cw_gvalue x = value(CW_F32, 4, d, xs, 0);
    cw_gvalue p = cints(1, SHAPE(4), perm);
    cw_gvalue *in[] = {&x, &p};
    assert_int_equal(infer(&h, "Transpose", NULL, 0, in, 2), 0);
    assert_shape(&h.out[0], 4, SHAPE(4, 2, 5, 3));
    assert_int_equal(run(&h), CW_OK);
    size_t o = 0;
    int i[4];
    for (i[2] = 0; i[2] < 4; i[2]++)
        for (i[0] = 0; i[0] < 2; i[0]++)
            for (i[3] = 0; i[3] < 5; i[3]++)
                for (i[1] = 0; i[1] < 3; i[1]++)
                    want[o++] = xs[((i[0] * 3 + i[1]) * 4 + i[2]) * 5 + i[3]];
    test_assert_close(h.out[0].data, want, 120, 0, 0, "Transpose");
    release(&h);
}

static void pad_and_pad_v2_put_the_input_at_the_leading_pads(void **state) {
    (void)state;
    harness h;
    fill_seq(xs, 6);
    cw_gvalue x = value(CW_F32, 2, SHAPE(2, 3), xs, 0);
    cw_gvalue pads = cints(2, SHAPE(2, 2), (const int32_t[]){1, 0, 2, 1});
    const float seven = 7.5f;
    cw_gvalue v = value(CW_F32, 0, NULL, &seven, 1);
    cw_gvalue *in[] = {&x, &pads, &v};
    for (int v2 = 0; v2 < 2; v2++) {
        assert_int_equal(infer(&h, v2 ? "PadV2" : "Pad", NULL, 0, in, v2 ? 3 : 2), 0);
        assert_shape(&h.out[0], 2, SHAPE(3, 6));
        assert_int_equal(run(&h), CW_OK);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 6; c++) {
                int in_x = r >= 1 && c >= 2 && c < 5;
                want[r * 6 + c] = in_x ? xs[(r - 1) * 3 + c - 2] : v2 ? seven : 0.0f;
            }
        test_assert_close(h.out[0].data, want, 18, 0, 0, v2 ? "PadV2" : "Pad");
        release(&h);
    }
    cw_gvalue neg = cints(2, SHAPE(2, 2), (const int32_t[]){1, 0, -1, 1});
    in[1] = &neg;
    assert_problem(&h, infer(&h, "Pad", NULL, 0, in, 2), "negative");
}

/* ConcatV2 of three inputs [2, k_i, 3] on axis 1 and [2, 3, k_i] on -1. */
static void concat_v2_joins_three_inputs_on_axis_1_and_minus_1(void **state) {
    (void)state;
    static float a[3][64];
    for (int t = 0; t < 3; t++)
        for (int i = 0; i < 64; i++) a[t][i] = (float)(100 * t + i);
    for (int last = 0; last < 2; last++) {
        harness h;
        const int k[3] = {1, 2, 4};
        cw_gvalue v[3];
        for (int t = 0; t < 3; t++)
            v[t] = value(CW_F32, 3, last ? SHAPE(2, 3, k[t]) : SHAPE(2, k[t], 3), a[t], 0);
        cw_gvalue axis = cints(0, NULL, last ? (const int32_t[]){-1} : (const int32_t[]){1});
        cw_gvalue *in[] = {&v[0], &v[1], &v[2], &axis};
        cw_attr attrs[] = {attr_int("N", 3)};
        assert_int_equal(infer(&h, "ConcatV2", attrs, 1, in, 4), 0);
        assert_shape(&h.out[0], 3, last ? SHAPE(2, 3, 7) : SHAPE(2, 7, 3));
        assert_int_equal(run(&h), CW_OK);
        size_t o = 0;
        if (last) {
            for (int b = 0; b < 2; b++)
                for (int r = 0; r < 3; r++)
                    for (int t = 0; t < 3; t++)
                        for (int j = 0; j < k[t]; j++) want[o++] = a[t][(b * 3 + r) * k[t] + j];
        } else {
            for (int b = 0; b < 2; b++)
                for (int t = 0; t < 3; t++)
                    for (int j = 0; j < k[t]; j++)
                        for (int c = 0; c < 3; c++) want[o++] = a[t][(b * k[t] + j) * 3 + c];
        }
        test_assert_close(h.out[0].data, want, 42, 0, 0, "ConcatV2");
        release(&h);
    }
}

static void pack_stacks_equal_shapes_on_a_new_axis(void **state) {
    (void)state;
    harness h;
    const int32_t a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {7, 8, 9, 10, 11, 12};
    cw_gvalue va = value(CW_I32, 2, SHAPE(2, 3), a, 0), vb = value(CW_I32, 2, SHAPE(2, 3), b, 0);
    cw_gvalue *in[] = {&va, &vb};
    cw_attr attrs[] = {attr_int("axis", -2)};
    assert_int_equal(infer(&h, "Pack", attrs, 1, in, 2), 0);
    assert_shape(&h.out[0], 3, SHAPE(2, 2, 3));
    assert_int_equal(run(&h), CW_OK);
    assert_ints(h.out[0].data, (const int32_t[]){1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, 12,
                "Pack");
    release(&h);
}

static void gather_v2_on_axis_1_takes_live_indices_and_checks_them(void **state) {
    (void)state;
    harness h;
    fill_seq(xs, 24);
    int32_t idx[6] = {3, 0, 1, 1, 2, 3};
    cw_gvalue x = value(CW_F32, 3, SHAPE(2, 4, 3), xs, 0);
    cw_gvalue i = value(CW_I32, 2, SHAPE(3, 2), idx, 0);
    cw_gvalue axis = cints(0, NULL, (const int32_t[]){1});
    cw_gvalue *in[] = {&x, &i, &axis};
    assert_int_equal(infer(&h, "GatherV2", NULL, 0, in, 3), 0);
    assert_shape(&h.out[0], 4, SHAPE(2, 3, 2, 3));
    assert_int_equal(run(&h), CW_OK);
    size_t o = 0;
    for (int b = 0; b < 2; b++)
        for (int j = 0; j < 6; j++)
            for (int c = 0; c < 3; c++) want[o++] = xs[(b * 4 + idx[j]) * 3 + c];
    test_assert_close(h.out[0].data, want, 36, 0, 0, "GatherV2");
    idx[4] = 4; /* indices change between plan and run */
    assert_int_equal(h.op->run(&h.ctx), CW_ERR_INVALID);
    release(&h);
    cw_attr attrs[] = {attr_int("batch_dims", 1)};
    assert_problem(&h, infer(&h, "GatherV2", attrs, 1, in, 3), "batch_dims");
}

/* ---- cutting ---- */

static void split_v_infers_the_minus_one_and_split_cuts_equal_parts(void **state) {
    (void)state;
    harness h;
    fill_seq(xs, 30);
    cw_gvalue x = value(CW_F32, 2, SHAPE(3, 10), xs, 0);
    cw_gvalue sizes = cints(1, SHAPE(3), (const int32_t[]){2, -1, 3});
    cw_gvalue axis = cints(0, NULL, (const int32_t[]){-1});
    cw_gvalue *in[] = {&x, &sizes, &axis};
    cw_attr attrs[] = {attr_int("num_split", 3)};
    assert_int_equal(infer(&h, "SplitV", attrs, 1, in, 3), 0);
    assert_int_equal(h.ctx.n_out, 3);
    const int32_t w[3] = {2, 5, 3}, off[3] = {0, 2, 7};
    for (int k = 0; k < 3; k++) assert_shape(&h.out[k], 2, SHAPE(3, w[k]));
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 3; k++) {
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < w[k]; c++) want[r * w[k] + c] = xs[r * 10 + off[k] + c];
        test_assert_close(h.out[k].data, want, (size_t)(3 * w[k]), 0, 0, "SplitV");
    }
    release(&h);

    cw_gvalue axis0 = cints(0, NULL, (const int32_t[]){0});
    cw_gvalue y = value(CW_F32, 2, SHAPE(3, 10), xs, 0);
    cw_gvalue *in2[] = {&axis0, &y};
    assert_int_equal(infer(&h, "Split", attrs, 1, in2, 2), 0);
    assert_int_equal(h.ctx.n_out, 3);
    assert_shape(&h.out[2], 2, SHAPE(1, 10));
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 3; k++) test_assert_close(h.out[k].data, xs + 10 * k, 10, 0, 0, "Split");
    release(&h);
    cw_attr four[] = {attr_int("num_split", 4)};
    assert_int_equal(infer(&h, "Split", four, 1, in2, 2), -1);
    assert_int_equal(h.ctx.n_out, 4);
    release(&h);
}

typedef struct {
    int n;
    int32_t b[3], e[3], s[3];
    int begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_mask;
    int rank;
    int32_t shape[4];
    int32_t db[3], ds[3], dn[3]; /* expected dense begin, stride, size */
} strided_case;

static void strided_slice_follows_tensorflow_masks_shrink_and_negative_strides(void **state) {
    (void)state;
    static const strided_case cases[] = {
        /* x[1:3, -4:-1, :] */
        {3,
         {1, -4, 0},
         {3, -1, 0},
         {1, 1, 1},
         4,
         4,
         0,
         0,
         0,
         3,
         {2, 3, 6},
         {1, 1, 0},
         {1, 1, 1},
         {2, 3, 6}},
        /* x[-2, 1:4] */
        {2, {-2, 1}, {-1, 4}, {1, 1}, 0, 0, 0, 0, 1, 2, {3, 6}, {2, 1, 0}, {1, 1, 1}, {1, 3, 6}},
        /* x[:, ::-2, 1] */
        {3,
         {0, 0, 1},
         {0, 0, 2},
         {1, -2, 1},
         3,
         3,
         0,
         0,
         4,
         2,
         {4, 3},
         {0, 4, 1},
         {1, -2, 1},
         {4, 3, 1}},
        /* x[-1:0:-1] */
        {1, {-1}, {0}, {-1}, 0, 0, 0, 0, 0, 3, {3, 5, 6}, {3, 0, 0}, {-1, 1, 1}, {3, 5, 6}},
        /* x[..., newaxis, 2:] */
        {3,
         {0, 0, 2},
         {0, 0, 0},
         {1, 1, 1},
         0,
         4,
         1,
         2,
         0,
         4,
         {4, 5, 1, 4},
         {0, 0, 2},
         {1, 1, 1},
         {4, 5, 4}},
        /* x[1:9:3, 7:0] (end clamped; an empty range) */
        {2, {1, 7}, {9, 0}, {3, 1}, 0, 0, 0, 0, 0, 3, {1, 0, 6}, {1, 0, 0}, {3, 1, 1}, {1, 0, 6}},
    };
    fill_seq(xs, 120);
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        const strided_case *k = &cases[t];
        harness h;
        cw_gvalue x = value(CW_F32, 3, SHAPE(4, 5, 6), xs, 0);
        cw_gvalue b = cints(1, &k->n, k->b), e = cints(1, &k->n, k->e), s = cints(1, &k->n, k->s);
        cw_gvalue *in[] = {&x, &b, &e, &s};
        cw_attr attrs[] = {attr_int("begin_mask", k->begin_mask), attr_int("end_mask", k->end_mask),
                           attr_int("ellipsis_mask", k->ellipsis_mask),
                           attr_int("new_axis_mask", k->new_axis_mask),
                           attr_int("shrink_axis_mask", k->shrink_mask)};
        if (infer(&h, "StridedSlice", attrs, 5, in, 4) != 0)
            fail_msg("case %zu: %s", t, cw_problems_text(&h.problems));
        assert_shape(&h.out[0], k->rank, k->shape);
        assert_int_equal(run(&h), CW_OK);
        size_t o = 0;
        for (int i = 0; i < k->dn[0]; i++)
            for (int j = 0; j < k->dn[1]; j++)
                for (int l = 0; l < k->dn[2]; l++) {
                    int a = k->db[0] + i * k->ds[0], c = k->db[1] + j * k->ds[1];
                    want[o++] = xs[(a * 5 + c) * 6 + k->db[2] + l * k->ds[2]];
                }
        assert_int_equal(o, h.out[0].size);
        test_assert_close(h.out[0].data, want, o, 0, 0, "StridedSlice");
        release(&h);
    }
}

static void slice_takes_minus_one_to_the_end(void **state) {
    (void)state;
    harness h;
    fill_seq(xs, 20);
    cw_gvalue x = value(CW_F32, 2, SHAPE(4, 5), xs, 0);
    cw_gvalue b = cints(1, SHAPE(2), (const int32_t[]){1, 2});
    cw_gvalue s = cints(1, SHAPE(2), (const int32_t[]){2, -1});
    cw_gvalue *in[] = {&x, &b, &s};
    assert_int_equal(infer(&h, "Slice", NULL, 0, in, 3), 0);
    assert_shape(&h.out[0], 2, SHAPE(2, 3));
    assert_int_equal(run(&h), CW_OK);
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++) want[r * 3 + c] = xs[(r + 1) * 5 + c + 2];
    test_assert_close(h.out[0].data, want, 6, 0, 0, "Slice");
    release(&h);
}

/* ---- new tensors ---- */

/* TF's half-pixel bilinear resize, as its reference kernel writes it. */
static void ref_resize_half_pixel(const float *x, int n, int ih, int iw, int ch, int oh, int ow,
                                  float *out) {
    float sh = (float)ih / (float)oh, sw = (float)iw / (float)ow;
    for (int b = 0; b < n; b++)
        for (int y = 0; y < oh; y++) {
            float in_y = ((float)y + 0.5f) * sh - 0.5f;
            int y0 = (int)fmaxf(floorf(in_y), 0.0f), y1 = (int)fminf(ceilf(in_y), (float)ih - 1);
            float ly = in_y - floorf(in_y);
            for (int xx = 0; xx < ow; xx++) {
                float in_x = ((float)xx + 0.5f) * sw - 0.5f;
                int x0 = (int)fmaxf(floorf(in_x), 0.0f);
                int x1 = (int)fminf(ceilf(in_x), (float)iw - 1);
                float lx = in_x - floorf(in_x);
                for (int c = 0; c < ch; c++) {
#define AT(r, q) x[(((size_t)b * ih + (r)) * iw + (q)) * ch + c]
                    float top = AT(y0, x0) + (AT(y0, x1) - AT(y0, x0)) * lx;
                    float bot = AT(y1, x0) + (AT(y1, x1) - AT(y1, x0)) * lx;
#undef AT
                    out[(((size_t)b * oh + y) * ow + xx) * ch + c] = top + (bot - top) * ly;
                }
            }
        }
}

static void resize_bilinear_half_pixel_matches_tensorflow_formula(void **state) {
    (void)state;
    static const int sizes[][4] = {{3, 4, 5, 7}, {6, 5, 4, 3}, {2, 2, 2, 2}};
    for (size_t t = 0; t < 3; t++) {
        const int *z = sizes[t];
        harness h;
        test_fill(xs, (size_t)(2 * z[0] * z[1] * 2), 7u + (uint32_t)t, -2.0f, 2.0f);
        cw_gvalue x = value(CW_F32, 4, SHAPE(2, z[0], z[1], 2), xs, 0);
        cw_gvalue size = cints(1, SHAPE(2), (const int32_t[]){z[2], z[3]});
        cw_gvalue *in[] = {&x, &size};
        cw_attr attrs[] = {attr_bool("align_corners", 0), attr_bool("half_pixel_centers", 1)};
        assert_int_equal(infer(&h, "ResizeBilinear", attrs, 2, in, 2), 0);
        assert_shape(&h.out[0], 4, SHAPE(2, z[2], z[3], 2));
        assert_int_equal(run(&h), CW_OK);
        ref_resize_half_pixel(xs, 2, z[0], z[1], 2, z[2], z[3], want);
        test_assert_close(h.out[0].data, want, h.out[0].size, 1e-5f, 1e-5f, "ResizeBilinear");
        release(&h);
    }
}

static void sparse_to_dense_scatters_over_the_default_and_takes_zero_indices(void **state) {
    (void)state;
    harness h;
    const int32_t idx[6] = {0, 1, 2, 3, 1, 0};
    const float vals[3] = {5, 6, 7}, dflt = -1;
    cw_gvalue i = cints(2, SHAPE(3, 2), idx);
    cw_gvalue sh = cints(1, SHAPE(2), (const int32_t[]){3, 4});
    cw_gvalue v = value(CW_F32, 1, SHAPE(3), vals, 1), d = value(CW_F32, 0, NULL, &dflt, 1);
    cw_gvalue *in[] = {&i, &sh, &v, &d};
    assert_int_equal(infer(&h, "SparseToDense", NULL, 0, in, 4), 0);
    assert_shape(&h.out[0], 2, SHAPE(3, 4));
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 12; k++) want[k] = dflt;
    for (int k = 0; k < 3; k++) want[idx[2 * k] * 4 + idx[2 * k + 1]] = vals[k];
    test_assert_close(h.out[0].data, want, 12, 0, 0, "SparseToDense");
    release(&h);

    /* No indices at all: a [0, 1] constant without data, output all default. */
    cw_gvalue none = cints(2, SHAPE(0, 1), NULL), five = cints(1, SHAPE(1), (const int32_t[]){5});
    cw_gvalue nv = value(CW_F32, 1, SHAPE(0), NULL, 1);
    cw_gvalue *in2[] = {&none, &five, &nv, &d};
    assert_int_equal(infer(&h, "SparseToDense", NULL, 0, in2, 4), 0);
    assert_shape(&h.out[0], 1, SHAPE(5));
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 5; k++) want[k] = dflt;
    test_assert_close(h.out[0].data, want, 5, 0, 0, "SparseToDense of nothing");
    release(&h);

    /* A scalar value for 1-D indices; an index past the end is an error. */
    int32_t one_d[3] = {4, 0, 2};
    const int32_t on = 9, off = 0;
    cw_gvalue i1 = cints(1, SHAPE(3), one_d);
    cw_gvalue vs = value(CW_I32, 0, NULL, &on, 1), ds = value(CW_I32, 0, NULL, &off, 1);
    cw_gvalue *in3[] = {&i1, &five, &vs, &ds};
    assert_int_equal(infer(&h, "SparseToDense", NULL, 0, in3, 4), 0);
    assert_int_equal(run(&h), CW_OK);
    assert_ints(h.out[0].data, (const int32_t[]){9, 0, 9, 0, 9}, 5, "SparseToDense 1-D");
    one_d[1] = 5;
    assert_int_equal(h.op->run(&h.ctx), CW_ERR_INVALID);
    release(&h);
}

static void fill_shape_and_zeros_ones_like_make_their_values(void **state) {
    (void)state;
    harness h;
    const float v = 2.5f;
    cw_gvalue dims = cints(1, SHAPE(2), (const int32_t[]){2, 3});
    cw_gvalue val = value(CW_F32, 0, NULL, &v, 0);
    cw_gvalue *in[] = {&dims, &val};
    assert_int_equal(infer(&h, "Fill", NULL, 0, in, 2), 0);
    assert_shape(&h.out[0], 2, SHAPE(2, 3));
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 6; k++) want[k] = v;
    test_assert_close(h.out[0].data, want, 6, 0, 0, "Fill");
    release(&h);

    cw_gvalue x = value(CW_I32, 3, SHAPE(4, 1, 7), NULL, 0);
    cw_gvalue *in1[] = {&x};
    assert_int_equal(infer(&h, "Shape", NULL, 0, in1, 1), 0);
    assert_shape(&h.out[0], 1, SHAPE(3));
    assert_int_equal(h.out[0].dtype, CW_I32);
    assert_int_equal(run(&h), CW_OK);
    assert_ints(h.out[0].data, SHAPE(4, 1, 7), 3, "Shape");
    release(&h);

    assert_int_equal(infer(&h, "OnesLike", NULL, 0, in1, 1), 0);
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 28; k++) assert_int_equal(((int32_t *)h.out[0].data)[k], 1);
    release(&h);
    cw_gvalue f = value(CW_F32, 1, SHAPE(5), NULL, 0);
    cw_gvalue *in2[] = {&f};
    assert_int_equal(infer(&h, "ZerosLike", NULL, 0, in2, 1), 0);
    assert_int_equal(run(&h), CW_OK);
    for (int k = 0; k < 5; k++) want[k] = 0.0f;
    test_assert_close(h.out[0].data, want, 5, 0, 0, "ZerosLike");
    release(&h);
}

static void mirror_pad_and_nearest_resize_match_small_examples(void **state) {
    (void)state;
    harness h;
    const int32_t x[3] = {1, 2, 3};
    cw_gvalue vx = value(CW_I32, 1, SHAPE(3), x, 0);
    cw_gvalue pads = cints(2, SHAPE(1, 2), (const int32_t[]){2, 1});
    cw_gvalue *in[] = {&vx, &pads};
    cw_attr reflect = {.name = "mode", .kind = CW_ATTR_STRING, .s = "REFLECT", .s_len = 7};
    assert_int_equal(infer(&h, "MirrorPad", &reflect, 1, in, 2), 0);
    assert_shape(&h.out[0], 1, SHAPE(6));
    assert_int_equal(run(&h), CW_OK);
    assert_ints(h.out[0].data, (const int32_t[]){3, 2, 1, 2, 3, 2}, 6, "MirrorPad");
    release(&h);
    cw_gvalue wide = cints(2, SHAPE(1, 2), (const int32_t[]){3, 0});
    in[1] = &wide;
    assert_problem(&h, infer(&h, "MirrorPad", &reflect, 1, in, 2), "exceed");

    const int32_t img[4] = {1, 2, 3, 4};
    cw_gvalue vi = value(CW_I32, 4, SHAPE(1, 2, 2, 1), img, 0);
    cw_gvalue size = cints(1, SHAPE(2), (const int32_t[]){4, 4});
    cw_gvalue *in2[] = {&vi, &size};
    assert_int_equal(infer(&h, "ResizeNearestNeighbor", NULL, 0, in2, 2), 0);
    assert_shape(&h.out[0], 4, SHAPE(1, 4, 4, 1));
    assert_int_equal(h.out[0].dtype, CW_I32);
    assert_int_equal(run(&h), CW_OK);
    int32_t w[16];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) w[r * 4 + c] = img[(r / 2) * 2 + c / 2];
    assert_ints(h.out[0].data, w, 16, "ResizeNearestNeighbor");
    release(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aliases_infer_reshape_expand_dims_and_squeeze_shapes),
        cmocka_unit_test(bad_shapes_and_perms_are_problems_naming_the_node),
        cmocka_unit_test(transpose_4d_matches_an_index_loop),
        cmocka_unit_test(pad_and_pad_v2_put_the_input_at_the_leading_pads),
        cmocka_unit_test(concat_v2_joins_three_inputs_on_axis_1_and_minus_1),
        cmocka_unit_test(pack_stacks_equal_shapes_on_a_new_axis),
        cmocka_unit_test(gather_v2_on_axis_1_takes_live_indices_and_checks_them),
        cmocka_unit_test(split_v_infers_the_minus_one_and_split_cuts_equal_parts),
        cmocka_unit_test(strided_slice_follows_tensorflow_masks_shrink_and_negative_strides),
        cmocka_unit_test(slice_takes_minus_one_to_the_end),
        cmocka_unit_test(resize_bilinear_half_pixel_matches_tensorflow_formula),
        cmocka_unit_test(sparse_to_dense_scatters_over_the_default_and_takes_zero_indices),
        cmocka_unit_test(fill_shape_and_zeros_ones_like_make_their_values),
        cmocka_unit_test(mirror_pad_and_nearest_resize_match_small_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
