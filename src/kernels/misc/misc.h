/* Small numeric kernels of TF.js's long tail: LinSpace, Diag, SearchSorted,
 * Bincount / DenseBincount and Multinomial. Semantics follow
 * tfjs-backend-cpu. */
#ifndef CW_KERNELS_MISC_MISC_H
#define CW_KERNELS_MISC_MISC_H

#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* out[0] = start, out[i] = float(out[i - 1] + (stop - start) / (num - 1)) in
 * double, rounded to float at every step (LinSpace). num >= 1. */
cw_status cw_linspace_f32(double start, double stop, int num, float *out);

/* out [n, n] = 0 except out[i][i] = x[i]; elements of elem_size bytes (Diag). */
cw_status cw_diag(size_t elem_size, const void *x, size_t n, void *out);

/* For each row b < batch and value v = values[b][j] (j < m): the first index i
 * of sorted[b][0..n) with sorted[b][i] >= v (right = 0, "left") or > v
 * (right = 1), n when none (SearchSorted). Parallel over rows. */
cw_status cw_search_sorted_f32(const float *sorted, const float *values, int batch, int n, int m,
                               int right, int32_t *out);

/* Bincount / DenseBincount over rows x cols int32 values x (1-D: rows = 1):
 * out [rows, size] of dtype w_dtype (CW_F32 or CW_I32) zeroed, then for each
 * x[r][c] in [0, size), in order: out[r][x] = 1 if binary_output, else
 * += w[r][c] (w NULL: += 1). Values >= size are skipped; a negative value is
 * an error naming `op`. */
cw_status cw_bincount(const char *op, const int32_t *x, size_t rows, size_t cols, const void *w,
                      cw_dtype w_dtype, int size, int binary_output, void *out);

/* Multinomial: probs [batch, events] (rows of probabilities), out [batch,
 * samples] event indices: each draw u in [0, 1) from a generator seeded by
 * `seed` (restarted for every row, as tfjs-backend-cpu does) picks the first
 * event whose running float32 sum of probabilities exceeds u, else the last
 * event. events >= 2. */
cw_status cw_multinomial_f32(const float *probs, int batch, int events, int samples, double seed,
                             int32_t *out);

#endif
