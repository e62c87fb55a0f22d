/* Shapes: row-major, at most CW_MAX_RANK dimensions, int32 extents. */
#ifndef CW_CORE_SHAPE_H
#define CW_CORE_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#define CW_MAX_RANK 8

/* Number of elements of shape[0..rank); 1 for rank 0. */
static inline size_t cw_shape_size(const int32_t *shape, int rank) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)shape[i];
    return n;
}

/* Row-major strides (in elements) of shape into strides[0..rank). */
static inline void cw_shape_strides(const int32_t *shape, int rank, size_t *strides) {
    size_t s = 1;
    for (int i = rank - 1; i >= 0; i--) {
        strides[i] = s;
        s *= (size_t)shape[i];
    }
}

/* Broadcast strides: the strides of `shape` (rank `rank`, right-aligned)
 * seen from an output of rank `out_rank`; broadcast dimensions get stride 0. */
static inline void cw_shape_broadcast_strides(const int32_t *shape, int rank, int out_rank,
                                              const int32_t *out_shape, size_t *strides) {
    size_t own[CW_MAX_RANK];
    cw_shape_strides(shape, rank, own);
    for (int i = 0; i < out_rank; i++) {
        int j = i - (out_rank - rank);
        strides[i] = (j < 0 || (shape[j] == 1 && out_shape[i] != 1)) ? 0 : own[j];
    }
}

/* The walk of a broadcasting binary op: drops size-1 output dimensions and
 * merges neighbours that both operands walk the same way (both contiguous
 * across the pair, or both broadcast). Writes the collapsed sizes d and the
 * operands' strides sa, sb (in elements) and returns their rank (>= 1: one
 * element is d = {1}, strides 0). */
static inline int cw_shape_collapse_broadcast(const int32_t *a_shape, int a_rank,
                                              const int32_t *b_shape, int b_rank,
                                              const int32_t *out_shape, int out_rank, size_t *d,
                                              size_t *sa, size_t *sb) {
    size_t as[CW_MAX_RANK], bs[CW_MAX_RANK];
    cw_shape_broadcast_strides(a_shape, a_rank, out_rank, out_shape, as);
    cw_shape_broadcast_strides(b_shape, b_rank, out_rank, out_shape, bs);
    int r = 0;
    for (int i = 0; i < out_rank; i++) {
        const size_t n = (size_t)out_shape[i];
        if (n == 1) continue;
        if (r > 0 && sa[r - 1] == as[i] * n && sb[r - 1] == bs[i] * n) {
            d[r - 1] *= n;
            sa[r - 1] = as[i];
            sb[r - 1] = bs[i];
        } else {
            d[r] = n;
            sa[r] = as[i];
            sb[r] = bs[i];
            r++;
        }
    }
    if (r == 0) {
        d[0] = 1;
        sa[0] = sb[0] = 0;
        r = 1;
    }
    return r;
}

/* A walk over the rows of a collapsed broadcast (cw_shape_collapse_broadcast):
 * idx[0..last) is the position in the outer dims d[0..last), *oa and *ob the
 * operands' element offsets of the row's first element. This sets them for
 * row `row`. */
static inline void cw_shape_broadcast_seek(size_t row, int last, const size_t *d, const size_t *sa,
                                           const size_t *sb, size_t *idx, size_t *oa, size_t *ob) {
    *oa = *ob = 0;
    for (int k = last - 1; k >= 0; k--) {
        idx[k] = row % d[k];
        row /= d[k];
        *oa += idx[k] * sa[k];
        *ob += idx[k] * sb[k];
    }
}

/* Steps the walk of cw_shape_broadcast_seek to the next row (an odometer
 * over the outer dims). */
static inline void cw_shape_broadcast_next(int last, const size_t *d, const size_t *sa,
                                           const size_t *sb, size_t *idx, size_t *oa, size_t *ob) {
    for (int k = last - 1; k >= 0; k--) {
        *oa += sa[k];
        *ob += sb[k];
        if (++idx[k] < d[k]) break;
        *oa -= sa[k] * d[k];
        *ob -= sb[k] * d[k];
        idx[k] = 0;
    }
}

#endif
