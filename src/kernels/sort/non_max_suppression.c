/* cw_non_max_suppression: tfjs-core's nonMaxSuppressionImpl_ in C, with the
 * same double arithmetic and the same candidate order, so selections and
 * soft-NMS scores match tfjs-backend-cpu. */
#include "kernels/sort/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

typedef struct {
    double score;
    int32_t box;
    int32_t suppress_begin; /* selected boxes before this index were already applied */
} candidate;

/* tfjs' ascendingComparator: by score, and for equal scores the larger box
 * index first, so popping from the end yields the lower index first. */
static int ascending(const candidate *a, const candidate *b) {
    double d = a->score - b->score;
    if (d < 0) return -1;
    if (d > 0) return 1;
    if (a->score == b->score) return (b->box > a->box) - (b->box < a->box);
    return 0;
}

static int ascending_qsort(const void *a, const void *b) {
    return ascending((const candidate *)a, (const candidate *)b);
}

/* Math.min / Math.max: NaN if either argument is NaN. */
static inline double js_min(double a, double b) {
    return (a != a || b != b) ? NAN : (a < b ? a : b);
}
static inline double js_max(double a, double b) {
    return (a != a || b != b) ? NAN : (a > b ? a : b);
}

static double intersection_over_union(const float *boxes, int32_t i, int32_t j) {
    const float *bi = boxes + (size_t)i * 4, *bj = boxes + (size_t)j * 4;
    double ymin_i = js_min(bi[0], bi[2]), xmin_i = js_min(bi[1], bi[3]);
    double ymax_i = js_max(bi[0], bi[2]), xmax_i = js_max(bi[1], bi[3]);
    double ymin_j = js_min(bj[0], bj[2]), xmin_j = js_min(bj[1], bj[3]);
    double ymax_j = js_max(bj[0], bj[2]), xmax_j = js_max(bj[1], bj[3]);
    double area_i = (ymax_i - ymin_i) * (xmax_i - xmin_i);
    double area_j = (ymax_j - ymin_j) * (xmax_j - xmin_j);
    if (area_i <= 0 || area_j <= 0) return 0.0;
    double iymin = js_max(ymin_i, ymin_j), ixmin = js_max(xmin_i, xmin_j);
    double iymax = js_min(ymax_i, ymax_j), ixmax = js_min(xmax_i, xmax_j);
    double inter = js_max(iymax - iymin, 0.0) * js_max(ixmax - ixmin, 0.0);
    return inter / (area_i + area_j - inter);
}

/* Inserts c into the ascending list[0..*len) at the leftmost position not
 * before an equal element (tfjs' binaryInsert). */
static void binary_insert(candidate *list, int *len, candidate c) {
    int left = 0, right = *len;
    while (left < right) {
        int mid = left + ((right - left) >> 1);
        if (ascending(&c, &list[mid]) > 0)
            left = mid + 1;
        else
            right = mid;
    }
    memmove(list + left + 1, list + left, (size_t)(*len - left) * sizeof *list);
    list[left] = c;
    (*len)++;
}

cw_status cw_non_max_suppression(const float *boxes, const float *scores, int n,
                                 int max_output_size, double iou_threshold, double score_threshold,
                                 double soft_nms_sigma, int pad_to_max, int32_t *selected_indices,
                                 float *selected_scores, int *valid_outputs) {
    static const char op[] = "NonMaxSuppression";
    if (!valid_outputs) return cw_error(CW_ERR_INVALID, "%s: valid_outputs is NULL", op);
    *valid_outputs = 0;
    if (n < 0) return cw_error(CW_ERR_INVALID, "%s: box count %d must be >= 0", op, n);
    if (max_output_size < 0) {
        return cw_error(CW_ERR_INVALID, "%s: maxOutputSize %d must be >= 0", op, max_output_size);
    }
    if (!(iou_threshold >= 0.0 && iou_threshold <= 1.0)) {
        return cw_error(CW_ERR_INVALID, "%s: iouThreshold %g must be in [0, 1]", op, iou_threshold);
    }
    if (n > 0 && (!boxes || !scores)) {
        return cw_error(CW_ERR_INVALID, "%s: boxes or scores is NULL", op);
    }
    if (max_output_size > 0 && !selected_indices) {
        return cw_error(CW_ERR_INVALID, "%s: selected_indices is NULL", op);
    }
    if (n > INT32_MAX / 4) return cw_error(CW_ERR_INVALID, "%s: box count %d overflows", op, n);

    candidate *list = (candidate *)cw_alloc(cw_mul_size((size_t)n, sizeof(candidate)));
    if (!list) return cw_error(CW_ERR_NOMEM, "%s: cannot allocate scratch for %d boxes", op, n);
    int len = 0;
    for (int i = 0; i < n; i++) {
        if ((double)scores[i] > score_threshold) {
            candidate c = {(double)scores[i], i, 0};
            list[len++] = c;
        }
    }
    /* A strict total order (box indices differ), so any sort gives tfjs' order. */
    qsort(list, (size_t)len, sizeof *list, ascending_qsort);

    const double scale = soft_nms_sigma > 0 ? (-0.5 / soft_nms_sigma) : 0.0;
    int count = 0;
    while (count < max_output_size && len > 0) {
        candidate c = list[--len];
        const double original = c.score;
        if (original < score_threshold) break;
        int ignore = 0;
        for (int j = count - 1; j >= c.suppress_begin; j--) {
            double iou = intersection_over_union(boxes, c.box, selected_indices[j]);
            if (iou >= iou_threshold) {
                ignore = 1;
                break;
            }
            double weight = iou <= iou_threshold ? exp(scale * iou * iou) : 0.0;
            c.score = c.score * weight;
            if (c.score <= score_threshold) break;
        }
        c.suppress_begin = count;
        if (ignore) continue;
        if (c.score == original) {
            selected_indices[count] = c.box;
            if (selected_scores) selected_scores[count] = (float)c.score;
            count++;
        } else if (c.score > score_threshold) {
            binary_insert(list, &len, c);
        }
    }
    cw_free(list);
    if (pad_to_max) {
        for (int i = count; i < max_output_size; i++) {
            selected_indices[i] = 0;
            if (selected_scores) selected_scores[i] = 0.0f;
        }
    }
    *valid_outputs = count;
    return CW_OK;
}
