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

#endif
