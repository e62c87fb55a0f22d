/* Sort family: TopK along the last axis and non-max suppression of boxes.
 *
 * Both follow tfjs-backend-cpu / tfjs-core bit for bit where the reference is
 * deterministic: TopK partitions with the same Floyd-Rivest selection and
 * orders with the same comparator (larger value first, lower index first on
 * ties); NMS runs tfjs-core's non_max_suppression_impl in double precision.
 * Every entry point returns CW_OK or CW_ERR_INVALID / CW_ERR_NOMEM with
 * cw_error_message() set; caller owns every buffer. */
#ifndef CW_KERNELS_SORT_SORT_H
#define CW_KERNELS_SORT_SORT_H

#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* TopK over the rows of x, row-major [rows, n] (dtype CW_F32 or CW_I32):
 * values [rows, k] (dtype of x) and indices [rows, k] (int32), 0 <= k <= n.
 * As tfjs-backend-cpu's topKImpl: when k < n the row is partitioned by
 * Floyd-Rivest selection (values[0..k) are then in partition order, which is
 * what sorted == 0 returns); sorted != 0 then orders them by value
 * descending, lower index first on ties. Comparisons are those of cpu's
 * `b.value - a.value` in double, so a NaN (or equal infinities) compares as
 * neither smaller, larger nor equal in the selection and as equal in the
 * sort, reproducing cpu's placement of NaN (exactly for k < 64; larger
 * sorted runs may place NaNs differently from V8's galloping merge).
 * Parallel over rows; each row's result does not depend on the split. */
cw_status cw_topk(cw_dtype dtype, const void *x, int rows, int n, int k, int sorted, void *values,
                  int32_t *indices);

/* Non-max suppression (tfjs-core's nonMaxSuppressionImpl_, V3/V4/V5):
 * boxes [n, 4] as (y1, x1, y2, x2) with corners in either order, scores [n].
 * Candidates are the boxes with score > score_threshold, visited by score
 * descending, lower index first on ties; a candidate is dropped when its IoU
 * with an already selected box is >= iou_threshold, and with
 * soft_nms_sigma > 0 its score is scaled by exp(-0.5 / sigma * iou^2) per
 * selected box (re-queued while above score_threshold). Arithmetic is double,
 * as in JS. Writes up to max_output_size entries: selected_indices (int32)
 * and, if not NULL, selected_scores (the final scores, as float); their count
 * goes to *valid_outputs. pad_to_max != 0 zero-fills both up to
 * max_output_size (NonMaxSuppressionV4). Serial; scratch O(n). */
cw_status cw_non_max_suppression(const float *boxes, const float *scores, int n,
                                 int max_output_size, double iou_threshold, double score_threshold,
                                 double soft_nms_sigma, int pad_to_max, int32_t *selected_indices,
                                 float *selected_scores, int *valid_outputs);

#endif
