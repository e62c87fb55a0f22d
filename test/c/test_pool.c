#include "test_util.h"

#include <limits.h>
#include <string.h>

#include "cw.h"

/* ---- geometry as tfjs-core's computePool2DInfo / computePool3DInfo ---- */

enum { PAD_VALID, PAD_SAME, PAD_EXPLICIT };

/* Fills axis i of g; explicit pads are pb / pa. Returns the output size. */
static int set_axis(cw_pool_geom *g, int i, int in, int f, int s, int dil, int kind, int pb,
                    int pa) {
    const int eff = (f - 1) * dil + 1;
    int out;
    g->in[i] = in, g->filter[i] = f, g->stride[i] = s, g->dilation[i] = dil;
    if (kind == PAD_VALID) {
        out = (int)ceil((double)(in - eff + 1) / s);
        pb = pa = 0;
    } else if (kind == PAD_SAME) {
        out = (in + s - 1) / s;
        int total = (out - 1) * s + eff - in;
        if (total < 0) total = 0;
        pb = total / 2, pa = total - pb;
    } else {
        out = (int)floor((double)(in + pb + pa - eff) / s + 1);
    }
    g->pad_before[i] = pb, g->pad_after[i] = pa, g->out[i] = out;
    return out;
}

static cw_pool_geom geom2d(int batch, int C) {
    cw_pool_geom g;
    memset(&g, 0, sizeof g);
    g.batch = batch, g.channels = C;
    set_axis(&g, 0, 1, 1, 1, 1, PAD_VALID, 0, 0);
    return g;
}

static size_t out_size(const cw_pool_geom *g) {
    return (size_t)g->batch * (size_t)g->out[0] * (size_t)g->out[1] * (size_t)g->out[2] *
           (size_t)g->channels;
}

static size_t in_size(const cw_pool_geom *g) {
    return (size_t)g->batch * (size_t)g->in[0] * (size_t)g->in[1] * (size_t)g->in[2] *
           (size_t)g->channels;
}

/* ---- reference: tfjs-backend-cpu's pool / pool3d / maxPoolPositions loops ---- */

static void ref_pool(int is_max, int empty_zero, const cw_pool_geom *g, const float *x, float *y,
                     int32_t *idx, cw_pool_index mode) {
    const int C = g->channels, eff_w = (g->filter[2] - 1) * g->dilation[2] + 1;
    const size_t n = (size_t)g->batch * g->out[0] * g->out[1] * g->out[2] * (size_t)C;
    for (size_t o = 0; o < n; o++) {
        size_t r = o;
        const int c = (int)(r % (size_t)C), ow = (int)((r /= (size_t)C) % (size_t)g->out[2]);
        const int oh = (int)((r /= (size_t)g->out[2]) % (size_t)g->out[1]);
        const int od = (int)((r /= (size_t)g->out[1]) % (size_t)g->out[0]);
        const int b = (int)(r / (size_t)g->out[0]);
        double m = -INFINITY, s = 0;
        int cnt = 0, pos = -1;
        for (int kd = 0; kd < g->filter[0]; kd++) {
            const int id = od * g->stride[0] - g->pad_before[0] + kd * g->dilation[0];
            for (int kh = 0; kh < g->filter[1]; kh++) {
                const int ih = oh * g->stride[1] - g->pad_before[1] + kh * g->dilation[1];
                for (int kw = 0; kw < g->filter[2]; kw++) {
                    const int iw = ow * g->stride[2] - g->pad_before[2] + kw * g->dilation[2];
                    if (id < 0 || id >= g->in[0] || ih < 0 || ih >= g->in[1] || iw < 0 ||
                        iw >= g->in[2])
                        continue;
                    const double v =
                        x[((((size_t)b * g->in[0] + id) * g->in[1] + ih) * g->in[2] + iw) * C + c];
                    if (v > m) {
                        m = v;
                        pos = mode == CW_POOL_INDEX_WINDOW
                                  ? kh * g->dilation[1] * eff_w + kw * g->dilation[2]
                                  : (((mode == CW_POOL_INDEX_FLAT ? 0 : b) * g->in[1] + ih) *
                                         g->in[2] +
                                     iw) * C +
                                        c;
                    }
                    s += v;
                    cnt++;
                }
            }
        }
        if (y) y[o] = is_max ? (float)m : cnt ? (float)(s / cnt) : empty_zero ? 0.0f : NAN;
        if (idx) idx[o] = pos;
    }
}

#define MAX_ELEMS (2 * 12 * 12 * 17 * 4)
static float xs[MAX_ELEMS], got[MAX_ELEMS + 4], want[MAX_ELEMS];
static int32_t gi[MAX_ELEMS + 4], wi[MAX_ELEMS];

static void describe(char *buf, size_t n, const cw_pool_geom *g) {
    snprintf(buf, n,
             "b%d c%d in %dx%dx%d f %dx%dx%d s %dx%dx%d dil %dx%dx%d pad %d,%d,%d/%d,%d,%d out "
             "%dx%dx%d",
             g->batch, g->channels, g->in[0], g->in[1], g->in[2], g->filter[0], g->filter[1],
             g->filter[2], g->stride[0], g->stride[1], g->stride[2], g->dilation[0], g->dilation[1],
             g->dilation[2], g->pad_before[0], g->pad_before[1], g->pad_before[2], g->pad_after[0],
             g->pad_after[1], g->pad_after[2], g->out[0], g->out[1], g->out[2]);
}

/* Runs op on x and compares with the reference; max must match bit for bit. */
static void check_pool(cw_pool_op op, const cw_pool_geom *g, const float *x) {
    const size_t n = out_size(g);
    const int is_max = op == CW_POOL_MAX_2D || op == CW_POOL_MAX_3D;
    char what[256];
    assert_true(n <= MAX_ELEMS && in_size(g) <= MAX_ELEMS);
    memset(got, 0xAB, (n + 4) * sizeof(float));
    cw_status st = cw_pool_f32(op, g, x, got);
    describe(what, sizeof what, g);
    if (st != CW_OK) fail_msg("op %d %s: %s", op, what, cw_error_message());
    ref_pool(is_max, op == CW_POOL_AVG_3D, g, x, want, NULL, CW_POOL_INDEX_FLAT);
    for (size_t i = 0; i < n; i++) {
        const float a = got[i], w = want[i];
        const int ok = isnan(w)             ? isnan(a)
                       : is_max || isinf(w) ? a == w
                                            : fabsf(a - w) <= 1e-6f + 1e-5f * fabsf(w);
        if (!ok) fail_msg("op %d %s: out[%zu] = %.9g, expected %.9g", op, what, i, a, w);
    }
    uint32_t sentinel;
    memcpy(&sentinel, &got[n], sizeof sentinel);
    assert_int_equal(sentinel, 0xABABABABu);
}

static void check_argmax(const cw_pool_geom *g, const float *x) {
    const size_t n = out_size(g);
    char what[256];
    describe(what, sizeof what, g);
    for (int mode = CW_POOL_INDEX_FLAT; mode <= CW_POOL_INDEX_WINDOW; mode++) {
        memset(gi, 0xAB, (n + 4) * sizeof(int32_t));
        memset(got, 0xAB, (n + 4) * sizeof(float));
        cw_status st = cw_pool_max_argmax_f32(g, (cw_pool_index)mode, x, mode ? NULL : got, gi);
        if (st != CW_OK) fail_msg("argmax %s: %s", what, cw_error_message());
        ref_pool(1, 0, g, x, want, wi, (cw_pool_index)mode);
        for (size_t i = 0; i < n; i++) {
            if (gi[i] != wi[i])
                fail_msg("argmax mode %d %s: idx[%zu] = %d, expected %d", mode, what, i, gi[i],
                         wi[i]);
            if (mode == 0 && !(got[i] == want[i]))
                fail_msg("argmax %s: out[%zu] = %.9g, expected %.9g", what, i, got[i], want[i]);
        }
        assert_int_equal((uint32_t)gi[n], 0xABABABABu);
        if (mode == 0) {
            uint32_t sentinel;
            memcpy(&sentinel, &got[n], sizeof sentinel);
            assert_int_equal(sentinel, 0xABABABABu);
        }
    }
}

/* Half steps make ties frequent; all values negative when neg. */
static void fill_x(uint32_t seed, int neg) {
    uint32_t s = seed;
    for (int i = 0; i < MAX_ELEMS; i++) {
        float v = roundf(test_rand(&s, -4.0f, 4.0f) * 2.0f) / 2.0f + test_rand(&s, 0, 0.01f);
        xs[i] = neg ? -fabsf(v) - 0.25f : v;
    }
}

static const int channels[] = {1, 2, 3, 4, 5, 8, 9, 17};
static const int windows[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {2, 3}, {3, 1}};

static void pool2d_matches_reference_over_channels_windows_strides_and_pads(void **state) {
    (void)state;
    fill_x(3, 0);
    static const int sizes[][2] = {{5, 7}, {4, 4}, {1, 6}, {9, 8}};
    for (int ci = 0; ci < 8; ci++)
        for (int wi_ = 0; wi_ < 6; wi_++)
            for (int s = 1; s <= 3; s++)
                for (int kind = PAD_VALID; kind <= PAD_EXPLICIT; kind++)
                    for (int si = 0; si < 4; si++)
                        for (int batch = 1; batch <= 2; batch++) {
                            cw_pool_geom g = geom2d(batch, channels[ci]);
                            const int fh = windows[wi_][0], fw = windows[wi_][1];
                            int oh = set_axis(&g, 1, sizes[si][0], fh, s, 1, kind, 1,
                                              fh > 1 ? fh - 1 : 0);
                            int ow = set_axis(&g, 2, sizes[si][1], fw, (s % 3) + 1, 1, kind, 0, 1);
                            if (oh <= 0 || ow <= 0) continue;
                            check_pool(CW_POOL_MAX_2D, &g, xs);
                            check_pool(CW_POOL_AVG_2D, &g, xs);
                            check_argmax(&g, xs);
                        }
}

/* MaxPool 2-D fast rows: 2x2 stride 2, 3x3 stride 1 / 2 and other windows,
 * interior runs of 0..9 pixels (pairs and a leftover), channels around the
 * vector width, every padding; with NaN and infinities mixed in. */
static void max_pool2d_fast_rows_match_reference_around_pixel_pairs_and_vector_width(void **state) {
    (void)state;
    static const int ch[] = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33};
    static const int fs[][2] = {{2, 2}, {3, 1}, {3, 2}, {2, 1}, {4, 3}, {1, 2}};
    for (int nan = 0; nan <= 1; nan++) {
        fill_x(21 + (uint32_t)nan, 0);
        if (nan) {
            uint32_t s = 5;
            for (int i = 0; i < MAX_ELEMS; i++) {
                const float u = test_rand(&s, 0, 1);
                if (u < 0.15f)
                    xs[i] = NAN;
                else if (u < 0.2f)
                    xs[i] = -INFINITY;
            }
        }
        for (int ci = 0; ci < 13; ci++)
            for (int fi = 0; fi < 6; fi++)
                for (int w = 1; w <= 10; w++)
                    for (int kind = PAD_VALID; kind <= PAD_EXPLICIT; kind++) {
                        cw_pool_geom g = geom2d(1 + (w & 1), ch[ci]);
                        const int f = fs[fi][0], s = fs[fi][1];
                        if (w < f && kind == PAD_VALID) continue;
                        int oh = set_axis(&g, 1, 5, f, s, 1, kind, 1, 1);
                        int ow = set_axis(&g, 2, w + f - 1, f, s, 1, kind, f - 1, 1);
                        if (oh <= 0 || ow <= 0 || in_size(&g) > MAX_ELEMS) continue;
                        check_pool(CW_POOL_MAX_2D, &g, xs);
                    }
    }
}

static void pool2d_supports_dilation(void **state) {
    (void)state;
    fill_x(5, 0);
    static const int dil[][2] = {{2, 1}, {1, 2}, {2, 3}};
    for (int ci = 0; ci < 8; ci++)
        for (int d = 0; d < 3; d++)
            for (int kind = PAD_VALID; kind <= PAD_EXPLICIT; kind++) {
                cw_pool_geom g = geom2d(2, channels[ci]);
                int oh = set_axis(&g, 1, 9, 3, 1, dil[d][0], kind, 3, 1);
                int ow = set_axis(&g, 2, 8, 2, 1, dil[d][1], kind, 1, 2);
                if (oh <= 0 || ow <= 0) continue;
                check_pool(CW_POOL_MAX_2D, &g, xs);
                check_pool(CW_POOL_AVG_2D, &g, xs);
                check_argmax(&g, xs);
            }
}

static void pool3d_matches_reference(void **state) {
    (void)state;
    fill_x(7, 0);
    static const int f3[][3] = {{1, 1, 1}, {2, 2, 2}, {3, 2, 1}, {1, 3, 3}, {2, 1, 3}};
    for (int ci = 0; ci < 8; ci++)
        for (int fi = 0; fi < 5; fi++)
            for (int s = 1; s <= 2; s++)
                for (int kind = PAD_VALID; kind <= PAD_EXPLICIT; kind++)
                    for (int batch = 1; batch <= 2; batch++) {
                        cw_pool_geom g;
                        memset(&g, 0, sizeof g);
                        g.batch = batch, g.channels = channels[ci];
                        int od = set_axis(&g, 0, 4, f3[fi][0], s, 1, kind, 1, 0);
                        int oh = set_axis(&g, 1, 5, f3[fi][1], 1, 1, kind, 0, 2);
                        int ow = set_axis(&g, 2, 3, f3[fi][2], s + 1, 1, kind, 2, 1);
                        if (od <= 0 || oh <= 0 || ow <= 0) continue;
                        check_pool(CW_POOL_MAX_3D, &g, xs);
                        check_pool(CW_POOL_AVG_3D, &g, xs);
                    }
}

static void max_of_all_negative_windows_is_negative(void **state) {
    (void)state;
    fill_x(9, 1);
    for (int ci = 0; ci < 8; ci++) {
        cw_pool_geom g = geom2d(2, channels[ci]);
        set_axis(&g, 1, 6, 3, 2, 1, PAD_SAME, 0, 0);
        set_axis(&g, 2, 5, 2, 1, 1, PAD_SAME, 0, 0);
        check_pool(CW_POOL_MAX_2D, &g, xs);
        check_argmax(&g, xs);
        memset(got, 0, sizeof(float) * out_size(&g));
        cw_pool_f32(CW_POOL_MAX_2D, &g, xs, got);
        for (size_t i = 0; i < out_size(&g); i++) assert_true(got[i] < 0.0f);
    }
}

static void max_skips_nan_and_avg_propagates_it_like_tfjs_cpu(void **state) {
    (void)state;
    uint32_t s = 13;
    fill_x(11, 0);
    for (int i = 0; i < MAX_ELEMS; i++) {
        float u = test_rand(&s, 0, 1);
        if (u < 0.1f)
            xs[i] = NAN;
        else if (u < 0.2f)
            xs[i] = -INFINITY;
        else if (u < 0.25f)
            xs[i] = INFINITY;
    }
    for (int ci = 0; ci < 8; ci++)
        for (int wi_ = 0; wi_ < 6; wi_++) {
            cw_pool_geom g = geom2d(2, channels[ci]);
            set_axis(&g, 1, 7, windows[wi_][0], 1, 1, PAD_SAME, 0, 0);
            set_axis(&g, 2, 6, windows[wi_][1], 2, 1, PAD_VALID, 0, 0);
            check_pool(CW_POOL_MAX_2D, &g, xs);
            check_pool(CW_POOL_AVG_2D, &g, xs);
            check_argmax(&g, xs);
        }
    /* Explicit: one channel, 2x2 windows over [[1, NaN, 3], [NaN, NaN, NaN]]. */
    float x[6] = {1, NAN, 3, NAN, NAN, NAN}, y[2], a[2];
    int32_t idx[2];
    cw_pool_geom g = geom2d(1, 1);
    set_axis(&g, 1, 2, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 3, 2, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), CW_OK);
    assert_true(y[0] == 1.0f && y[1] == 3.0f);
    cw_pool_f32(CW_POOL_AVG_2D, &g, x, a);
    assert_true(isnan(a[0]) && isnan(a[1]));
    float nan4[4] = {NAN, NAN, NAN, NAN}, y1;
    set_axis(&g, 1, 2, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 2, 2, 1, 1, PAD_VALID, 0, 0);
    cw_pool_f32(CW_POOL_MAX_2D, &g, nan4, &y1);
    assert_true(y1 == -INFINITY); /* an all-NaN window: nothing beats -inf */
    float ninf[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    assert_int_equal(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, ninf, &y1, idx), CW_OK);
    assert_true(y1 == -INFINITY);
    assert_int_equal(idx[0], -1);
}

static void argmax_indices_follow_include_batch_in_index(void **state) {
    (void)state;
    /* x [2, 2, 2, 1]: maxima at (0,1,0) in batch 0 and (0,0,1) in batch 1. */
    float x[8] = {1, 2, 9, 3, 4, 8, 5, 6}, y[2];
    int32_t idx[2];
    cw_pool_geom g = geom2d(2, 1);
    set_axis(&g, 1, 2, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 2, 2, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, x, y, idx), CW_OK);
    assert_true(y[0] == 9 && y[1] == 8);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT_BATCH, x, y, idx);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 5);
    cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_WINDOW, x, NULL, idx);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    /* Ties: the first tap in window order wins. */
    float t[4] = {7, 7, 7, 7};
    cw_pool_geom h = geom2d(1, 1);
    set_axis(&h, 1, 2, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&h, 2, 2, 2, 1, 1, PAD_VALID, 0, 0);
    cw_pool_max_argmax_f32(&h, CW_POOL_INDEX_FLAT, t, y, idx);
    assert_int_equal(idx[0], 0);
}

static void windows_without_valid_taps_follow_tfjs_cpu(void **state) {
    (void)state;
    /* Explicit pads wider than the window: edge outputs see only padding. */
    float x[4] = {1, 2, 3, 4}, y[64];
    int32_t idx[64];
    cw_pool_geom g = geom2d(1, 1);
    set_axis(&g, 1, 2, 2, 1, 1, PAD_EXPLICIT, 3, 3);
    set_axis(&g, 2, 2, 1, 1, 1, PAD_EXPLICIT, 0, 0);
    check_pool(CW_POOL_MAX_2D, &g, x);
    check_pool(CW_POOL_AVG_2D, &g, x);
    cw_pool_f32(CW_POOL_AVG_2D, &g, x, y);
    assert_true(isnan(y[0])); /* 0 / 0 */
    cw_pool_f32(CW_POOL_MAX_2D, &g, x, y);
    assert_true(y[0] == -INFINITY);
    cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, x, y, idx);
    assert_int_equal(idx[0], -1);
    g.in[0] = 1, g.filter[0] = 1; /* the same as 3-D: mean of nothing is 0 */
    cw_pool_f32(CW_POOL_AVG_3D, &g, x, y);
    assert_true(y[0] == 0.0f);
    check_pool(CW_POOL_AVG_3D, &g, x);
}

static void large_pools_split_across_threads_match_reference(void **state) {
    (void)state;
    fill_x(17, 0);
    cw_pool_geom g = geom2d(2, 17);
    set_axis(&g, 1, 12, 3, 1, 1, PAD_SAME, 0, 0);
    set_axis(&g, 2, 12, 3, 1, 1, PAD_SAME, 0, 0);
    check_pool(CW_POOL_MAX_2D, &g, xs);
    check_pool(CW_POOL_AVG_2D, &g, xs);
    check_argmax(&g, xs);
    /* Twice the same call gives the same bits. */
    static float y2[MAX_ELEMS];
    cw_pool_f32(CW_POOL_AVG_2D, &g, xs, got);
    cw_pool_f32(CW_POOL_AVG_2D, &g, xs, y2);
    assert_memory_equal(got, y2, out_size(&g) * sizeof(float));
}

static void empty_outputs_touch_nothing(void **state) {
    (void)state;
    cw_pool_geom g = geom2d(0, 3);
    set_axis(&g, 1, 4, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&g, 2, 4, 2, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(cw_pool_f32(CW_POOL_MAX_2D, &g, NULL, NULL), CW_OK);
    g.batch = 1;
    g.channels = 0;
    assert_int_equal(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, NULL, NULL, NULL), CW_OK);
    /* 'valid' with a window one larger than the input: an empty output, as cpu. */
    g.channels = 2;
    set_axis(&g, 1, 3, 4, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(g.out[1], 0);
    assert_int_equal(cw_pool_f32(CW_POOL_AVG_2D, &g, NULL, NULL), CW_OK);
}

static void expect_invalid(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (!strstr(cw_error_message(), needle))
        fail_msg("message \"%s\" does not mention \"%s\"", cw_error_message(), needle);
}

static void pool_rejects_invalid_arguments_with_a_message(void **state) {
    (void)state;
    float x[64] = {0}, y[64];
    int32_t idx[64];
    cw_pool_geom ok = geom2d(1, 2);
    set_axis(&ok, 1, 4, 2, 1, 1, PAD_VALID, 0, 0);
    set_axis(&ok, 2, 4, 2, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(cw_pool_f32(CW_POOL_MAX_2D, &ok, x, y), CW_OK);
    cw_pool_geom g = ok;
    expect_invalid(cw_pool_f32((cw_pool_op)7, &g, x, y), "unknown op 7");
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, NULL, x, y), "MaxPool: geometry is NULL");
    g.stride[1] = 0;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "MaxPool: strides 0 x 1, expected >= 1");
    g = ok, g.filter[2] = 0;
    expect_invalid(cw_pool_f32(CW_POOL_AVG_2D, &g, x, y), "AvgPool: filter size 2 x 0");
    g = ok, g.dilation[1] = -1;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "dilations");
    g = ok, g.pad_before[1] = -1;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "padding");
    g = ok, g.channels = -2;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "negative input shape");
    /* A window larger than the padded input ('valid', filter 5 on 3 rows). */
    g = ok;
    set_axis(&g, 1, 3, 5, 1, 1, PAD_VALID, 0, 0);
    assert_int_equal(g.out[1], -1);
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y),
                   "MaxPool: window 5 x 2 is larger than the padded input 3 x 4");
    g = ok, g.filter[1] = 6, g.out[1] = 1;
    expect_invalid(cw_pool_f32(CW_POOL_AVG_2D, &g, x, y), "larger than the padded input");
    g = ok, g.out[2] = -3;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "negative output size");
    g = ok, g.in[0] = 2;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "depth 1");
    g = ok;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_3D, &g, NULL, y), "MaxPool3D: x is NULL");
    expect_invalid(cw_pool_f32(CW_POOL_AVG_3D, &g, x, NULL), "AvgPool3D: y is NULL");
    g.batch = INT_MAX, g.channels = INT_MAX, g.in[1] = INT_MAX / 2, g.out[1] = INT_MAX / 2;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "overflow");
    g = ok, g.stride[2] = INT_MAX, g.out[2] = 3;
    expect_invalid(cw_pool_f32(CW_POOL_MAX_2D, &g, x, y), "int range");
    g = ok;
    expect_invalid(cw_pool_max_argmax_f32(&g, (cw_pool_index)5, x, y, idx), "unknown index mode");
    expect_invalid(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, x, y, NULL),
                   "MaxPoolWithArgmax: indices output is NULL");
    g.stride[1] = 0;
    expect_invalid(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, x, y, idx),
                   "MaxPoolWithArgmax: strides");
    /* A 3-D geometry is refused by the 2-D argmax. */
    g = ok, g.in[0] = 2, g.filter[0] = 2;
    expect_invalid(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT, x, y, idx), "depth 1");
    g = ok, g.batch = 1 << 16, g.in[1] = 1 << 8, g.in[2] = 1 << 8, g.out[1] = 1, g.out[2] = 1;
    assert_int_equal(cw_pool_max_argmax_f32(&g, CW_POOL_INDEX_FLAT_BATCH, x, y, idx),
                     CW_ERR_UNSUPPORTED);
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool2d_matches_reference_over_channels_windows_strides_and_pads),
        cmocka_unit_test(max_pool2d_fast_rows_match_reference_around_pixel_pairs_and_vector_width),
        cmocka_unit_test(pool2d_supports_dilation),
        cmocka_unit_test(pool3d_matches_reference),
        cmocka_unit_test(max_of_all_negative_windows_is_negative),
        cmocka_unit_test(max_skips_nan_and_avg_propagates_it_like_tfjs_cpu),
        cmocka_unit_test(argmax_indices_follow_include_batch_in_index),
        cmocka_unit_test(windows_without_valid_taps_follow_tfjs_cpu),
        cmocka_unit_test(large_pools_split_across_threads_match_reference),
        cmocka_unit_test(empty_outputs_touch_nothing),
        cmocka_unit_test(pool_rejects_invalid_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
