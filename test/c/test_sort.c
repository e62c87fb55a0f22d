#include "test_util.h"

#include <limits.h>
#include <string.h>

#include "cw.h"

/* ---- TopK ---- */

/* Reference: the top k of a row by (value descending, index ascending),
 * insertion-sorted; rows without NaN. */
static void ref_topk_sorted(const double *v, int n, int k, int32_t *idx) {
    int32_t order[2048];
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && v[order[j - 1]] < v[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    memcpy(idx, order, (size_t)k * sizeof *idx);
}

static void fill_row_values(double *v, int n, uint32_t *s, int ties) {
    for (int i = 0; i < n; i++) {
        float u = test_rand(s, -4.0f, 4.0f);
        v[i] = ties ? (double)roundf(u) : (double)u;
    }
}

/* Checks cw_topk on [rows, n] against the reference for every k in 0..n. */
static void check_topk(cw_dtype dt, int rows, int n, int ties, uint32_t seed) {
    static double v[64 * 2048];
    static float xf[64 * 2048], vf[64 * 2048 + 1];
    static int32_t xi[64 * 2048], vi[64 * 2048 + 1], idx[64 * 2048 + 1], want[2048];
    uint32_t s = seed;
    fill_row_values(v, rows * n, &s, ties);
    for (int i = 0; i < rows * n; i++) {
        xf[i] = (float)v[i];
        xi[i] = (int32_t)(v[i] * 3);
        if (dt == CW_I32) v[i] = xi[i];
    }
    const void *x = dt == CW_F32 ? (const void *)xf : (const void *)xi;
    void *vals = dt == CW_F32 ? (void *)vf : (void *)vi;
    static int32_t order[64 * 2048];
    for (int r = 0; r < rows; r++) ref_topk_sorted(v + r * n, n, n, order + r * n);
    /* Every k for short rows; around the ends and the middle for long ones. */
    int ks[2100], nk = 0;
    for (int k = 0; k <= n; k++) {
        if (n <= 100 || k < 4 || k > n - 4 || (k > n / 2 - 3 && k < n / 2 + 3) || k % 97 == 0)
            ks[nk++] = k;
    }
    for (int ki = 0; ki < nk; ki++) {
        const int k = ks[ki];
        for (int sorted = 0; sorted < 2; sorted++) {
            idx[rows * k] = -77;
            assert_int_equal(cw_topk(dt, x, rows, n, k, sorted, vals, idx), CW_OK);
            assert_int_equal(idx[rows * k], -77); /* nothing past the output */
            for (int r = 0; r < rows; r++) {
                memcpy(want, order + r * n, (size_t)k * sizeof *want);
                const int32_t *got = idx + r * k;
                if (sorted) {
                    for (int i = 0; i < k; i++) {
                        if (got[i] != want[i])
                            fail_msg("dtype %d [%d, %d] k %d row %d: index %d is %d, expected %d",
                                     dt, rows, n, k, r, i, got[i], want[i]);
                    }
                } else {
                    /* Partition order: the same set of indices. */
                    char seen[2048] = {0};
                    for (int i = 0; i < k; i++) {
                        assert_true(got[i] >= 0 && got[i] < n && !seen[got[i]]);
                        seen[got[i]] = 1;
                    }
                    for (int i = 0; i < k; i++) assert_true(seen[want[i]]);
                }
                for (int i = 0; i < k; i++) {
                    double gv = dt == CW_F32 ? vf[r * k + i] : vi[r * k + i];
                    assert_true(gv == v[r * n + got[i]]);
                }
            }
        }
    }
}

static void topk_matches_reference_for_every_k_and_odd_rows(void **state) {
    (void)state;
    static const int ns[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100};
    for (int a = 0; a < 18; a++) {
        for (int rows = 1; rows <= 5; rows += 2) {
            check_topk(CW_F32, rows, ns[a], 0, 3 + (uint32_t)a);
            check_topk(CW_I32, rows, ns[a], 0, 5 + (uint32_t)a);
        }
    }
}

static void topk_puts_the_lower_index_first_on_ties(void **state) {
    (void)state;
    static const int ns[] = {2, 5, 9, 17, 64, 65, 130, 700};
    for (int a = 0; a < 8; a++) {
        check_topk(CW_F32, 3, ns[a], 1, 11 + (uint32_t)a);
        check_topk(CW_I32, 2, ns[a], 1, 13 + (uint32_t)a);
    }
    float x[6] = {1, 2, 2, 1, 2, 0}, vals[6];
    int32_t idx[6];
    assert_int_equal(cw_topk(CW_F32, x, 1, 6, 4, 1, vals, idx), CW_OK);
    int32_t want[4] = {1, 2, 4, 0};
    assert_memory_equal(idx, want, sizeof want);
}

static void topk_selects_long_rows_like_floyd_rivest(void **state) {
    (void)state;
    /* Rows over 600 take the sampling path; many rows exercise the split. */
    check_topk(CW_F32, 2, 1500, 0, 21);
    check_topk(CW_F32, 1, 2048, 1, 22);
    static float big[40 * 1000], vals[40 * 1000];
    static int32_t idx[40 * 1000];
    test_fill(big, 40 * 1000, 9, -1, 1);
    assert_int_equal(cw_topk(CW_F32, big, 40, 1000, 1000, 1, vals, idx), CW_OK);
    for (int r = 0; r < 40; r++)
        for (int i = 1; i < 1000; i++) assert_true(vals[r * 1000 + i - 1] >= vals[r * 1000 + i]);
}

/* Expected outputs recorded from tfjs-backend-cpu 4.22 (tf.topk). */
typedef struct {
    float x[8];
    int n, k, sorted;
    int32_t idx[8];
} topk_case;

static void topk_places_nan_as_tfjs_cpu_does(void **state) {
    (void)state;
    const float N = NAN;
    static const topk_case cases[] = {
        {{1, N, 3, 2}, 4, 2, 1, {1, 2}},
        {{1, N, 3, 2}, 4, 3, 1, {2, 3, 1}},
        {{1, N, 3, 2}, 4, 4, 1, {0, 1, 2, 3}},
        {{N, 1, 2, 3}, 4, 2, 1, {3, 0}},
        {{N, 1, 2, 3}, 4, 4, 1, {0, 3, 2, 1}},
        {{N, 1, 2, 3}, 4, 4, 0, {0, 1, 2, 3}},
        {{3, 2, 1, N}, 4, 1, 1, {3}},
        {{3, 2, 1, N}, 4, 3, 0, {0, 2, 3}},
        {{N, N, 1}, 3, 2, 1, {0, 1}},
        {{1, N, 1, N, 5}, 5, 4, 1, {3, 4, 1, 0}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 2, 1, {3, 4}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 4, 0, {3, 1, 0, 4}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 5, 0, {4, 1, 0, 3, 5}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 6, 0, {0, 1, 5, 3, 4, 6}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 6, 1, {0, 1, 3, 4, 5, 6}},
        {{5, 4, N, 3, 2, 1, 0}, 7, 7, 1, {0, 1, 2, 3, 4, 5, 6}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const topk_case *t = &cases[c];
        float vals[8];
        int32_t idx[8];
        assert_int_equal(cw_topk(CW_F32, t->x, 1, t->n, t->k, t->sorted, vals, idx), CW_OK);
        for (int i = 0; i < t->k; i++) {
            if (idx[i] != t->idx[i])
                fail_msg("case %zu: index %d is %d, cpu gives %d", c, i, idx[i], t->idx[i]);
            float w = t->x[t->idx[i]];
            assert_true(isnan(w) ? isnan(vals[i]) : vals[i] == w);
        }
    }
}

/* ---- NMS ---- */

static double ref_iou(const float *b, int i, int j) {
    const float *p = b + 4 * i, *q = b + 4 * j;
    double y0 = fmin(p[0], p[2]), x0 = fmin(p[1], p[3]), y1 = fmax(p[0], p[2]),
           x1 = fmax(p[1], p[3]);
    double v0 = fmin(q[0], q[2]), u0 = fmin(q[1], q[3]), v1 = fmax(q[0], q[2]),
           u1 = fmax(q[1], q[3]);
    double a = (y1 - y0) * (x1 - x0), c = (v1 - v0) * (u1 - u0);
    if (a <= 0 || c <= 0) return 0;
    double ih = fmax(fmin(y1, v1) - fmax(y0, v0), 0), iw = fmax(fmin(x1, u1) - fmax(x0, u0), 0);
    return ih * iw / (a + c - ih * iw);
}

/* Eager soft-NMS: pick the best live candidate, then decay or drop the rest. */
static int ref_nms(const float *boxes, const float *scores, int n, int max_out, double iou_t,
                   double score_t, double sigma, int32_t *sel, float *sel_scores) {
    double cur[512];
    int live[512], count = 0;
    for (int i = 0; i < n; i++) {
        cur[i] = scores[i];
        live[i] = scores[i] > score_t;
    }
    while (count < max_out) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (live[i] && (best < 0 || cur[i] > cur[best])) best = i;
        if (best < 0) break;
        live[best] = 0;
        sel[count] = best;
        sel_scores[count++] = (float)cur[best];
        for (int i = 0; i < n; i++) {
            if (!live[i]) continue;
            double iou = ref_iou(boxes, i, best);
            if (iou >= iou_t) {
                live[i] = 0;
                continue;
            }
            if (sigma > 0) cur[i] *= exp(-0.5 / sigma * iou * iou);
            if (cur[i] <= score_t) live[i] = 0;
        }
    }
    return count;
}

static void make_boxes(float *boxes, float *scores, int n, uint32_t seed) {
    uint32_t s = seed;
    for (int i = 0; i < n; i++) {
        float cy = test_rand(&s, 0, 4), cx = test_rand(&s, 0, 4);
        float h = test_rand(&s, 0.2f, 1.5f), w = test_rand(&s, 0.2f, 1.5f);
        int flip = test_rand(&s, 0, 1) < 0.3f;
        boxes[4 * i + 0] = flip ? cy + h : cy;
        boxes[4 * i + 1] = test_rand(&s, 0, 1) < 0.3f ? cx + w : cx;
        boxes[4 * i + 2] = flip ? cy : cy + h;
        boxes[4 * i + 3] = boxes[4 * i + 1] == cx ? cx + w : cx;
        scores[i] = test_rand(&s, 0, 1);
    }
}

static void nms_matches_reference_on_overlapping_and_flipped_boxes(void **state) {
    (void)state;
    static const int ns[] = {0, 1, 2, 3, 5, 8, 17, 60, 200};
    static const double ious[] = {0.0, 0.3, 0.5, 0.7, 1.0};
    static const double sthr[] = {-INFINITY, 0.2, 0.6};
    static const double sigmas[] = {0.0, 0.1, 0.5};
    float boxes[4 * 200], scores[200], gs[201], ws[201];
    int32_t gi[201], wi[201];
    for (int a = 0; a < 9; a++) {
        int n = ns[a];
        make_boxes(boxes, scores, n, 40 + (uint32_t)a);
        for (int mo = 0; mo <= n; mo += (n > 10 ? n / 4 : 1)) {
            for (int b = 0; b < 5; b++)
                for (int c = 0; c < 3; c++)
                    for (int d = 0; d < 3; d++) {
                        int valid = -1;
                        gi[mo] = -77;
                        cw_status st = cw_non_max_suppression(
                            boxes, scores, n, mo, ious[b], sthr[c], sigmas[d], 0, gi, gs, &valid);
                        assert_int_equal(st, CW_OK);
                        assert_int_equal(gi[mo], -77);
                        int want =
                            ref_nms(boxes, scores, n, mo, ious[b], sthr[c], sigmas[d], wi, ws);
                        if (valid != want)
                            fail_msg(
                                "n %d max %d iou %g score %g sigma %g: %d selected, expected %d", n,
                                mo, ious[b], sthr[c], sigmas[d], valid, want);
                        assert_memory_equal(gi, wi, (size_t)valid * sizeof *gi);
                        test_assert_close(gs, ws, (size_t)valid, 1e-6f, 1e-5f, "soft-NMS scores");
                    }
        }
    }
}

static void nms_orders_equal_scores_by_lower_index_and_pads(void **state) {
    (void)state;
    /* Three disjoint boxes with equal scores, one overlapping duplicate. */
    float boxes[16] = {0, 0, 1, 1, 2, 2, 3, 3, 1, 1, 0, 0, 5, 5, 6, 6};
    float scores[4] = {0.5f, 0.5f, 0.9f, 0.5f};
    int32_t sel[6];
    float sc[6];
    int valid;
    assert_int_equal(cw_non_max_suppression(boxes, scores, 4, 4, 0.5, 0.0, 0.0, 0, sel, sc, &valid),
                     CW_OK);
    assert_int_equal(valid, 3);
    int32_t want[3] = {2, 1, 3}; /* box 0 is box 2 flipped: IoU 1 */
    assert_memory_equal(sel, want, sizeof want);
    /* V4 padding: zeros after the valid entries. */
    memset(sel, 0x55, sizeof sel);
    assert_int_equal(
        cw_non_max_suppression(boxes, scores, 4, 4, 0.5, 0.0, 0.0, 1, sel, NULL, &valid), CW_OK);
    assert_int_equal(valid, 3);
    assert_int_equal(sel[3], 0);
    /* maxOutputSize 0: nothing selected, NULL outputs fine. */
    assert_int_equal(
        cw_non_max_suppression(boxes, scores, 4, 0, 0.5, 0.0, 0.0, 1, NULL, NULL, &valid), CW_OK);
    assert_int_equal(valid, 0);
    /* Scores at or below the threshold, and NaN scores, are never candidates;
     * the threshold is a double, so 0.15f (0.150000006) is above 0.15, as in JS. */
    float low[4] = {0.1f, NAN, 0.2f, 0.15f};
    assert_int_equal(cw_non_max_suppression(boxes, low, 4, 4, 0.5, 0.15, 0.0, 0, sel, sc, &valid),
                     CW_OK);
    assert_int_equal(valid, 2);
    assert_int_equal(sel[0], 2);
    assert_int_equal(sel[1], 3);
    assert_int_equal(cw_non_max_suppression(boxes, low, 4, 4, 0.5, 0.15f, 0.0, 0, sel, sc, &valid),
                     CW_OK);
    assert_int_equal(valid, 1);
    /* Zero-area boxes never suppress (IoU 0), even when identical. */
    float flat[8] = {0, 0, 0, 1, 0, 0, 0, 1};
    float two[2] = {0.7f, 0.6f};
    assert_int_equal(
        cw_non_max_suppression(flat, two, 2, 2, 0.5, -INFINITY, 0.0, 0, sel, sc, &valid), CW_OK);
    assert_int_equal(valid, 2);
}

static void expect_invalid(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (!strstr(cw_error_message(), needle))
        fail_msg("message \"%s\" does not mention \"%s\"", cw_error_message(), needle);
}

static void sort_kernels_reject_invalid_arguments_with_a_message(void **state) {
    (void)state;
    float x[8] = {0}, v[8], b[8] = {0};
    int32_t i[8];
    int valid;
    expect_invalid(cw_topk(CW_BOOL, x, 1, 4, 2, 1, v, i), "TopK: x must be float32 or int32");
    expect_invalid(cw_topk(CW_F32, x, 1, 4, 5, 1, v, i), "k (5) must be in [0, 4]");
    expect_invalid(cw_topk(CW_F32, x, 1, 4, -1, 1, v, i), "k (-1)");
    expect_invalid(cw_topk(CW_F32, x, -1, 4, 1, 1, v, i), ">= 0");
    expect_invalid(cw_topk(CW_F32, NULL, 1, 4, 1, 1, v, i), "x is NULL");
    expect_invalid(cw_topk(CW_F32, x, 1, 4, 1, 1, v, NULL), "output is NULL");
    expect_invalid(cw_topk(CW_F32, x, INT_MAX, INT_MAX, 1, 1, v, i), "overflow");
    assert_int_equal(cw_topk(CW_F32, NULL, 0, 4, 2, 1, NULL, NULL), CW_OK);
    assert_int_equal(cw_topk(CW_F32, NULL, 3, 4, 0, 1, NULL, NULL), CW_OK);
    expect_invalid(cw_non_max_suppression(b, x, 2, 1, 1.5, 0, 0, 0, i, v, &valid),
                   "NonMaxSuppression: iouThreshold 1.5 must be in [0, 1]");
    expect_invalid(cw_non_max_suppression(b, x, 2, 1, NAN, 0, 0, 0, i, v, &valid), "iouThreshold");
    expect_invalid(cw_non_max_suppression(b, x, 2, -1, 0.5, 0, 0, 0, i, v, &valid),
                   "maxOutputSize -1");
    expect_invalid(cw_non_max_suppression(b, x, -2, 1, 0.5, 0, 0, 0, i, v, &valid), "box count -2");
    expect_invalid(cw_non_max_suppression(NULL, x, 2, 1, 0.5, 0, 0, 0, i, v, &valid), "NULL");
    expect_invalid(cw_non_max_suppression(b, x, 2, 1, 0.5, 0, 0, 0, NULL, v, &valid),
                   "selected_indices is NULL");
    expect_invalid(cw_non_max_suppression(b, x, 2, 1, 0.5, 0, 0, 0, i, v, NULL), "valid_outputs");
}

int main(void) {
    cw_threads_init(4);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(topk_matches_reference_for_every_k_and_odd_rows),
        cmocka_unit_test(topk_puts_the_lower_index_first_on_ties),
        cmocka_unit_test(topk_selects_long_rows_like_floyd_rivest),
        cmocka_unit_test(topk_places_nan_as_tfjs_cpu_does),
        cmocka_unit_test(nms_matches_reference_on_overlapping_and_flipped_boxes),
        cmocka_unit_test(nms_orders_equal_scores_by_lower_index_and_pads),
        cmocka_unit_test(sort_kernels_reject_invalid_arguments_with_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
