/* Sort family exports: TopK and non-max suppression. Thresholds are doubles
 * because tfjs compares them as JS numbers (0.1 is not 0.1f). */
#include <emscripten.h>

#include "cw.h"

/* dtype: 0 = float32, 1 = int32 (cw_dtype). */
EMSCRIPTEN_KEEPALIVE int cwasm_topk(int dtype, const void *x, int rows, int n, int k, int sorted,
                                    void *values, int32_t *indices) {
    return cw_topk((cw_dtype)dtype, x, rows, n, k, sorted, values, indices);
}

/* dims: 3 ints, n (boxes), max_output_size, pad_to_max. selected_scores may
 * be 0 (NULL); the count goes to *valid_outputs. */
EMSCRIPTEN_KEEPALIVE int cwasm_non_max_suppression(const float *boxes, const float *scores,
                                                   const int32_t *dims, double iou_threshold,
                                                   double score_threshold, double soft_nms_sigma,
                                                   int32_t *selected_indices,
                                                   float *selected_scores, int *valid_outputs) {
    return cw_non_max_suppression(boxes, scores, dims[0], dims[1], iou_threshold, score_threshold,
                                  soft_nms_sigma, dims[2], selected_indices, selected_scores,
                                  valid_outputs);
}
