#include "test_util.h"

#include <string.h>

#include "core/parallel.h"
#include "kernels/layout/layout.h"

/* ---- helpers: bytes, shapes, references by plain index arithmetic ---- */

static uint32_t rng(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static int rng_in(uint32_t *s, int lo, int hi) {
    return lo + (int)(rng(s) % (uint32_t)(hi - lo + 1));
}

static void fill_bytes(unsigned char *p, size_t n, uint32_t seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)rng(&seed);
}

static size_t numel(const int32_t *shape, int rank) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)shape[i];
    return n;
}

static void unravel(size_t flat, const int32_t *shape, int rank, int32_t *idx) {
    for (int d = rank - 1; d >= 0; d--) {
        idx[d] = (int32_t)(flat % (size_t)shape[d]);
        flat /= (size_t)shape[d];
    }
}

static size_t ravel(const int32_t *idx, const int32_t *shape, int rank) {
    size_t f = 0;
    for (int d = 0; d < rank; d++) f = f * (size_t)shape[d] + (size_t)idx[d];
    return f;
}

static void copy_elem(unsigned char *dst, size_t i, const unsigned char *src, size_t j, int es) {
    memcpy(dst + i * (size_t)es, src + j * (size_t)es, (size_t)es);
}

static void assert_same(const void *got, const void *want, size_t n, int es, const char *what) {
    const unsigned char *g = got, *w = want;
    for (size_t i = 0; i < n * (size_t)es; i++) {
        if (g[i] != w[i])
            fail_msg("%s (elem_size %d): element %zu differs (byte %u, expected %u)", what, es,
                     i / (size_t)es, g[i], w[i]);
    }
}

static void assert_error(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (strstr(cw_error_message(), needle) == NULL)
        fail_msg("error message \"%s\" does not contain \"%s\"", cw_error_message(), needle);
}

/* A random shape of the given rank with extents in [lo, hi]. */
static void random_shape(uint32_t *s, int32_t *shape, int rank, int lo, int hi) {
    for (int d = 0; d < rank; d++) shape[d] = rng_in(s, lo, hi);
}

#define BUF (1 << 23)
static unsigned char xbuf[BUF], got[BUF], want[BUF];

static void ref_transpose(int es, const unsigned char *x, const int32_t *shape, int rank,
                          const int32_t *perm, unsigned char *out) {
    int32_t oshape[8], oi[8], ii[8];
    for (int k = 0; k < rank; k++) oshape[k] = shape[perm[k]];
    size_t n = numel(shape, rank);
    for (size_t f = 0; f < n; f++) {
        unravel(f, oshape, rank, oi);
        for (int k = 0; k < rank; k++) ii[perm[k]] = oi[k];
        copy_elem(out, f, x, ravel(ii, shape, rank), es);
    }
}

static void ref_strided(int es, const unsigned char *x, const int32_t *shape, int rank,
                        const int32_t *begin, const int32_t *stride, const int32_t *oshape,
                        unsigned char *out);

static void check_transpose(int es, const int32_t *shape, int rank, const int32_t *perm,
                            uint32_t seed) {
    size_t n = numel(shape, rank);
    fill_bytes(xbuf, n * (size_t)es, seed);
    memset(got, 0xAB, n * (size_t)es + 8);
    ref_transpose(es, xbuf, shape, rank, perm, want);
    assert_int_equal(cw_transpose(es, xbuf, shape, rank, perm, got), CW_OK);
    assert_same(got, want, n, es, "cw_transpose");
    assert_int_equal(got[n * (size_t)es], 0xAB); /* nothing written past the end */
}

/* Heap's algorithm would do; rank <= 4 here, so nested next-permutation. */
static int next_perm(int32_t *p, int n) {
    int i = n - 2;
    while (i >= 0 && p[i] > p[i + 1]) i--;
    if (i < 0) return 0;
    int j = n - 1;
    while (p[j] < p[i]) j--;
    int32_t t = p[i];
    p[i] = p[j];
    p[j] = t;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return 1;
}

/* ---- transpose ---- */

static void transpose_matches_reference_for_every_perm_of_rank_3_and_4(void **state) {
    (void)state;
    static const int32_t shapes[][4] = {{3, 5, 7, 0}, {2, 1, 9, 0}, {3, 0, 2, 0},
                                        {2, 3, 5, 7}, {3, 1, 5, 2}, {4, 9, 1, 33}};
    for (int es = 1; es <= 4; es += 3) {
        for (int s = 0; s < 6; s++) {
            int rank = s < 3 ? 3 : 4;
            int32_t perm[4] = {0, 1, 2, 3};
            do check_transpose(es, shapes[s], rank, perm, (uint32_t)(s * 31 + es));
            while (next_perm(perm, rank));
        }
    }
}

static void transpose_matches_reference_on_random_shapes_of_rank_0_to_8(void **state) {
    (void)state;
    uint32_t s = 7;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 8; rank++) {
            for (int trial = 0; trial < 12; trial++) {
                int32_t shape[8], perm[8];
                random_shape(&s, shape, rank, 1, rank > 6 ? 3 : 5);
                for (int k = 0; k < rank; k++) perm[k] = k;
                for (int k = rank - 1; k > 0; k--) {
                    int j = rng_in(&s, 0, k);
                    int32_t t = perm[k];
                    perm[k] = perm[j];
                    perm[j] = t;
                }
                check_transpose(es, shape, rank, perm, s);
            }
        }
    }
}

static void transpose_of_matrices_around_the_block_size_matches_reference(void **state) {
    (void)state;
    static const int sizes[] = {1, 2, 3, 4, 5, 7, 9, 15, 16, 17, 31, 32, 33, 65, 129};
    int32_t perm2[2] = {1, 0}, perm3[3] = {0, 2, 1};
    for (int es = 1; es <= 4; es += 3) {
        for (int a = 0; a < 15; a++) {
            for (int b = 0; b < 15; b += 2) {
                int32_t shape[2] = {sizes[a], sizes[b]};
                check_transpose(es, shape, 2, perm2, (uint32_t)(a * 100 + b));
            }
        }
        int32_t big[2] = {301, 517}; /* many parallel tasks */
        check_transpose(es, big, 2, perm2, 3);
        int32_t batched[3] = {3, 65, 33};
        check_transpose(es, batched, 3, perm3, 4);
    }
}

static void transpose_and_reverse_of_long_rows_match_reference(void **state) {
    (void)state;
    int32_t shape[3] = {45, 3, 70}, rshape[2] = {3, 1001}, mask[2] = {1, 1};
    for (int es = 1; es <= 4; es += 3) {
        int32_t perm[3] = {0, 1, 2};
        do check_transpose(es, shape, 3, perm, (uint32_t)(perm[0] * 9 + perm[1]));
        while (next_perm(perm, 3));
        int32_t begin[2] = {2, 1000}, stride[2] = {-1, -1};
        fill_bytes(xbuf, 3003 * (size_t)es, 5);
        ref_strided(es, xbuf, rshape, 2, begin, stride, rshape, want);
        assert_int_equal(cw_reverse(es, xbuf, rshape, 2, mask, got), CW_OK);
        assert_same(got, want, 3003, es, "cw_reverse of long rows");
    }
}

static void transpose_rejects_a_bad_perm_a_bad_rank_and_a_bad_element_size(void **state) {
    (void)state;
    int32_t shape[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, perm[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    int32_t dup[3] = {0, 2, 0}, big[3] = {0, 3, 1};
    assert_error(cw_transpose(4, xbuf, shape, 3, dup, got), "Transpose: perm repeats axis 0");
    assert_error(cw_transpose(4, xbuf, shape, 3, big, got), "Transpose: perm[1] = 3");
    assert_error(cw_transpose(4, xbuf, shape, 9, perm, got), "Transpose: rank 9");
    assert_error(cw_transpose(2, xbuf, shape, 3, perm, got), "Transpose: element size 2");
    int32_t neg[2] = {2, -1};
    assert_error(cw_transpose(4, xbuf, neg, 2, perm, got), "Transpose: dimension 1");
}

/* ---- slice, strided slice, reverse ---- */

static void ref_strided(int es, const unsigned char *x, const int32_t *shape, int rank,
                        const int32_t *begin, const int32_t *stride, const int32_t *oshape,
                        unsigned char *out) {
    int32_t oi[8], ii[8];
    size_t n = numel(oshape, rank);
    for (size_t f = 0; f < n; f++) {
        unravel(f, oshape, rank, oi);
        for (int d = 0; d < rank; d++) ii[d] = begin[d] + oi[d] * stride[d];
        copy_elem(out, f, x, ravel(ii, shape, rank), es);
    }
}

static void slice_matches_reference_on_random_windows_of_rank_0_to_6(void **state) {
    (void)state;
    uint32_t s = 11;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 6; rank++) {
            for (int trial = 0; trial < 20; trial++) {
                int32_t shape[8], begin[8], size[8], ones[8];
                random_shape(&s, shape, rank, 1, 7);
                for (int d = 0; d < rank; d++) {
                    begin[d] = rng_in(&s, 0, shape[d]);
                    size[d] = rng_in(&s, trial == 0 ? 0 : 1, shape[d] - begin[d]);
                    if (begin[d] == shape[d]) size[d] = 0;
                    ones[d] = 1;
                }
                fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
                ref_strided(es, xbuf, shape, rank, begin, ones, size, want);
                assert_int_equal(cw_slice(es, xbuf, shape, rank, begin, size, got), CW_OK);
                assert_same(got, want, numel(size, rank), es, "cw_slice");
            }
        }
    }
    int32_t shape[2] = {4, 5}, begin[2] = {1, 3}, size[2] = {2, 3};
    assert_error(cw_slice(4, xbuf, shape, 2, begin, size, got),
                 "Slice: begin 3 and size 3 do not fit in dimension 1 of size 5");
}

static void strided_slice_matches_reference_with_negative_strides(void **state) {
    (void)state;
    uint32_t s = 13;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 6; rank++) {
            for (int trial = 0; trial < 30; trial++) {
                int32_t shape[8], begin[8], stride[8], oshape[8];
                random_shape(&s, shape, rank, 1, 7);
                for (int d = 0; d < rank; d++) {
                    int st = rng_in(&s, 1, 3) * (rng(&s) & 1 ? -1 : 1);
                    int a = st < 0 ? -st : st;
                    int maxn = (shape[d] + a - 1) / a;
                    int n = rng_in(&s, trial == 0 ? 0 : 1, maxn);
                    int span = n > 0 ? (n - 1) * a : 0;
                    begin[d] = st > 0 ? rng_in(&s, 0, shape[d] - 1 - span)
                                      : rng_in(&s, span, shape[d] - 1);
                    stride[d] = st;
                    oshape[d] = n;
                }
                fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
                ref_strided(es, xbuf, shape, rank, begin, stride, oshape, want);
                assert_int_equal(
                    cw_strided_slice(es, xbuf, shape, rank, begin, stride, got, oshape), CW_OK);
                assert_same(got, want, numel(oshape, rank), es, "cw_strided_slice");
            }
        }
    }
}

static void strided_slice_rejects_reads_outside_the_input_and_zero_strides(void **state) {
    (void)state;
    int32_t shape[2] = {4, 5}, begin[2] = {0, 1}, stride[2] = {1, -1}, oshape[2] = {4, 3};
    assert_error(cw_strided_slice(4, xbuf, shape, 2, begin, stride, got, oshape),
                 "StridedSlice: dimension 1 reads [1, -1] outside [0, 5)");
    int32_t zero[2] = {1, 0};
    assert_error(cw_strided_slice(4, xbuf, shape, 2, begin, zero, got, oshape),
                 "StridedSlice: stride of dimension 1 is 0");
    int32_t empty[2] = {0, 3}, far[2] = {99, 99};
    assert_int_equal(cw_strided_slice(4, xbuf, shape, 2, far, stride, got, empty), CW_OK);
}

static void reverse_matches_reference_for_every_axis_mask(void **state) {
    (void)state;
    uint32_t s = 17;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 6; rank++) {
            int32_t shape[8];
            random_shape(&s, shape, rank, 1, 5);
            if (rank == 3) shape[1] = 0;
            fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
            for (int mask = 0; mask < (1 << rank); mask++) {
                int32_t m[8], begin[8], stride[8];
                for (int d = 0; d < rank; d++) {
                    m[d] = (mask >> d) & 1;
                    begin[d] = m[d] ? shape[d] - 1 : 0;
                    stride[d] = m[d] ? -1 : 1;
                }
                ref_strided(es, xbuf, shape, rank, begin, stride, shape, want);
                assert_int_equal(cw_reverse(es, xbuf, shape, rank, m, got), CW_OK);
                assert_same(got, want, numel(shape, rank), es, "cw_reverse");
            }
        }
    }
}

/* ---- tile, pad, mirror pad ---- */

static void tile_matches_reference_on_rank_0_to_6(void **state) {
    (void)state;
    uint32_t s = 19;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 6; rank++) {
            for (int trial = 0; trial < 10; trial++) {
                int32_t shape[8], reps[8], oshape[8], oi[8], ii[8];
                random_shape(&s, shape, rank, trial == 0 ? 0 : 1, 4);
                random_shape(&s, reps, rank, trial == 1 ? 0 : 1, 3);
                for (int d = 0; d < rank; d++) oshape[d] = shape[d] * reps[d];
                size_t n = numel(oshape, rank);
                fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
                for (size_t f = 0; f < n; f++) {
                    unravel(f, oshape, rank, oi);
                    for (int d = 0; d < rank; d++) ii[d] = oi[d] % shape[d];
                    copy_elem(want, f, xbuf, ravel(ii, shape, rank), es);
                }
                assert_int_equal(cw_tile(es, xbuf, shape, rank, reps, got), CW_OK);
                assert_same(got, want, n, es, "cw_tile");
            }
        }
    }
    int32_t shape[1] = {3}, reps[1] = {-1};
    assert_error(cw_tile(4, xbuf, shape, 1, reps, got), "Tile: reps[0] = -1 is negative");
}

/* mode: 0 constant, 1 reflect, 2 symmetric */
static void ref_pad(int es, const unsigned char *x, const int32_t *shape, int rank,
                    const int32_t *before, const int32_t *after, int mode,
                    const unsigned char *value, unsigned char *out) {
    int32_t oshape[8], oi[8], ii[8];
    for (int d = 0; d < rank; d++) oshape[d] = before[d] + shape[d] + after[d];
    size_t n = numel(oshape, rank);
    for (size_t f = 0; f < n; f++) {
        unravel(f, oshape, rank, oi);
        int inside = 1;
        for (int d = 0; d < rank; d++) {
            int i = oi[d] - before[d], m = shape[d];
            if (mode == 1) i = i < 0 ? -i : (i >= m ? 2 * (m - 1) - i : i);
            if (mode == 2) i = i < 0 ? -1 - i : (i >= m ? 2 * m - 1 - i : i);
            if (i < 0 || i >= m) inside = 0;
            ii[d] = i;
        }
        if (inside)
            copy_elem(out, f, x, ravel(ii, shape, rank), es);
        else
            memcpy(out + f * (size_t)es, value, (size_t)es);
    }
}

static void pad_and_mirror_pad_match_reference_on_rank_0_to_6(void **state) {
    (void)state;
    uint32_t s = 23;
    const unsigned char value[4] = {0x12, 0x34, 0x56, 0x78};
    for (int es = 1; es <= 4; es += 3) {
        for (int mode = 0; mode <= 2; mode++) {
            for (int rank = 0; rank <= 6; rank++) {
                for (int trial = 0; trial < 10; trial++) {
                    int32_t shape[8], before[8], after[8], oshape[8];
                    random_shape(&s, shape, rank, mode == 0 && trial == 0 ? 0 : 1,
                                 rank >= 5 ? 3 : 4);
                    for (int d = 0; d < rank; d++) {
                        int lim = mode == 0 ? 3 : shape[d] - (mode == 1);
                        before[d] = rng_in(&s, 0, lim);
                        after[d] = rng_in(&s, 0, lim);
                        oshape[d] = before[d] + shape[d] + after[d];
                    }
                    fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
                    ref_pad(es, xbuf, shape, rank, before, after, mode, value, want);
                    cw_status st =
                        mode == 0
                            ? cw_pad(es, xbuf, shape, rank, before, after, value, got)
                            : cw_mirror_pad(es, xbuf, shape, rank, before, after, mode == 2, got);
                    assert_int_equal(st, CW_OK);
                    assert_same(got, want, numel(oshape, rank), es,
                                mode == 0 ? "cw_pad" : "cw_mirror_pad");
                }
            }
        }
    }
}

static void mirror_pad_reproduces_the_tensorflow_documentation_example(void **state) {
    (void)state;
    const float t[6] = {1, 2, 3, 4, 5, 6};
    const float reflect[28] = {6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1,
                               6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1};
    const float symmetric[28] = {2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2,
                                 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5};
    int32_t shape[2] = {2, 3}, before[2] = {1, 2}, after[2] = {1, 2};
    float out[28];
    assert_int_equal(cw_mirror_pad(4, t, shape, 2, before, after, 0, out), CW_OK);
    test_assert_close(out, reflect, 28, 0, 0, "reflect");
    assert_int_equal(cw_mirror_pad(4, t, shape, 2, before, after, 1, out), CW_OK);
    test_assert_close(out, symmetric, 28, 0, 0, "symmetric");
    int32_t too_far[2] = {2, 0};
    assert_error(cw_mirror_pad(4, t, shape, 2, too_far, after, 0, out),
                 "MirrorPad: paddings [2, 1] of dimension 0 must be <= 1 in reflect mode");
    assert_int_equal(cw_mirror_pad(4, t, shape, 2, too_far, after, 1, out), CW_OK);
    int32_t neg[2] = {0, -1};
    assert_error(cw_pad(4, t, shape, 2, before, neg, t, out), "PadV2: paddings of dimension 1");
}

static void pad_of_an_empty_tensor_is_all_value(void **state) {
    (void)state;
    int32_t shape[2] = {0, 3}, before[2] = {1, 0}, after[2] = {2, 1};
    int32_t v = 42, out[12], expect[12];
    for (int i = 0; i < 12; i++) expect[i] = 42;
    assert_int_equal(cw_pad(4, xbuf, shape, 2, before, after, &v, out), CW_OK);
    assert_same(out, expect, 12, 4, "cw_pad of empty");
}

/* ---- concat ---- */

static void concat_joins_the_rows_of_every_input_in_order(void **state) {
    (void)state;
    uint32_t s = 29;
    for (int es = 1; es <= 4; es += 3) {
        for (int trial = 0; trial < 20; trial++) {
            int count = rng_in(&s, 1, 6), outer = trial == 0 ? 0 : rng_in(&s, 1, 9);
            if (trial == 19) outer = 1501; /* many parallel tasks */
            int32_t inner[6];
            const void *inputs[6];
            size_t off = 0, row = 0;
            for (int i = 0; i < count; i++) {
                inner[i] = rng_in(&s, 0, 40);
                inputs[i] = xbuf + off;
                off += (size_t)inner[i] * (size_t)outer * (size_t)es;
                row += (size_t)inner[i];
            }
            fill_bytes(xbuf, off, s);
            size_t f = 0;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < count; i++)
                    for (int k = 0; k < inner[i]; k++, f++)
                        copy_elem(want, f, inputs[i], (size_t)o * (size_t)inner[i] + (size_t)k, es);
            assert_int_equal(cw_concat(es, inputs, inner, count, outer, got), CW_OK);
            assert_same(got, want, row * (size_t)outer, es, "cw_concat");
        }
    }
    int32_t bad[1] = {-2};
    const void *in[1] = {xbuf};
    assert_error(cw_concat(4, in, bad, 1, 1, got), "Concat: inner size -2 of input 0");
}

/* ---- gather, gather_nd ---- */

static void gather_matches_reference_with_batch_dims(void **state) {
    (void)state;
    uint32_t s = 31;
    for (int es = 1; es <= 4; es += 3) {
        for (int trial = 0; trial < 30; trial++) {
            int batch = rng_in(&s, 1, 3), outer = rng_in(&s, trial == 0 ? 0 : 1, 4);
            int axis = rng_in(&s, 1, 7), inner = rng_in(&s, 0, 9), n_idx = rng_in(&s, 0, 6);
            if (trial == 29) inner = 5000;
            int32_t idx[18];
            for (int i = 0; i < batch * n_idx; i++) idx[i] = rng_in(&s, 0, axis - 1);
            fill_bytes(xbuf, (size_t)batch * outer * axis * inner * es, s);
            size_t f = 0;
            for (int b = 0; b < batch; b++)
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < n_idx; j++)
                        for (int k = 0; k < inner; k++, f++)
                            copy_elem(
                                want, f, xbuf,
                                (((size_t)b * outer + o) * axis + idx[b * n_idx + j]) * inner + k,
                                es);
            assert_int_equal(cw_gather(es, xbuf, outer, axis, inner, idx, n_idx, batch, got),
                             CW_OK);
            assert_same(got, want, f, es, "cw_gather");
        }
    }
}

static void gather_rejects_an_out_of_range_index_naming_the_bound(void **state) {
    (void)state;
    int32_t idx[3] = {1, 5, 0}, neg[1] = {-1};
    assert_error(cw_gather(4, xbuf, 2, 5, 3, idx, 3, 1, got),
                 "GatherV2: the index value 5 is not in [0, 4]");
    assert_error(cw_gather(4, xbuf, 2, 5, 3, neg, 1, 1, got),
                 "GatherV2: the index value -1 is not in [0, 4]");
}

static void gather_nd_matches_reference_for_every_index_depth(void **state) {
    (void)state;
    uint32_t s = 37;
    for (int es = 1; es <= 4; es += 3) {
        for (int rank = 0; rank <= 6; rank++) {
            for (int depth = 0; depth <= rank; depth++) {
                int32_t shape[8], idx[64 * 8], ii[8];
                random_shape(&s, shape, rank, 1, 5);
                int n = rng_in(&s, 0, 7);
                size_t slice = numel(shape + depth, rank - depth);
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < depth; k++)
                        idx[j * depth + k] = rng_in(&s, 0, shape[k] - 1);
                fill_bytes(xbuf, numel(shape, rank) * (size_t)es, s);
                for (int j = 0; j < n; j++) {
                    for (size_t e = 0; e < slice; e++) {
                        unravel(e, shape + depth, rank - depth, ii + depth);
                        for (int k = 0; k < depth; k++) ii[k] = idx[j * depth + k];
                        copy_elem(want, (size_t)j * slice + e, xbuf, ravel(ii, shape, rank), es);
                    }
                }
                assert_int_equal(
                    cw_gather_nd(es, xbuf, shape, rank, idx, n, depth, (int)slice, got), CW_OK);
                assert_same(got, want, (size_t)n * slice, es, "cw_gather_nd");
            }
        }
    }
}

static void gather_nd_rejects_an_out_of_range_index(void **state) {
    (void)state;
    int32_t shape[3] = {3, 4, 2}, idx[4] = {0, 1, 2, 4};
    assert_error(cw_gather_nd(4, xbuf, shape, 3, idx, 2, 2, 2, got),
                 "GatherNd: index [1, 1] = 4 is not in [0, 3]");
    assert_error(cw_gather_nd(4, xbuf, shape, 3, idx, 1, 2, 3, got), "GatherNd: slice size 3");
    assert_error(cw_gather_nd(4, xbuf, shape, 3, idx, 1, 4, 1, got), "GatherNd: index depth 4");
}

/* ---- one_hot, range, fill ---- */

static void one_hot_writes_on_at_the_index_and_off_elsewhere(void **state) {
    (void)state;
    int32_t idx[5] = {2, 0, -1, 3, 1};
    float f[20], fw[20];
    int32_t i32[20], iw[20];
    for (int r = 0; r < 5; r++) {
        for (int c = 0; c < 4; c++) {
            fw[r * 4 + c] = c == idx[r] ? 1.5f : -0.25f;
            iw[r * 4 + c] = c == idx[r] ? 7 : -2;
        }
    }
    assert_int_equal(cw_one_hot(idx, 5, 3, 1.5f, -0.25f, 0, f), CW_OK); /* depth 3: 3 is off */
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 3; c++) assert_true(f[r * 3 + c] == (c == idx[r] ? 1.5f : -0.25f));
    assert_int_equal(cw_one_hot(idx, 5, 4, 1.5f, -0.25f, 0, f), CW_OK);
    test_assert_close(f, fw, 20, 0, 0, "cw_one_hot f32");
    assert_int_equal(cw_one_hot(idx, 5, 4, 7.0f, -2.0f, 1, i32), CW_OK);
    assert_same(i32, iw, 20, 4, "cw_one_hot i32");
    assert_int_equal(cw_one_hot(idx, 0, 4, 1, 0, 0, f), CW_OK);
    assert_error(cw_one_hot(idx, 5, -1, 1, 0, 0, f), "OneHot: count 5 and depth -1");
}

static void range_accumulates_the_step_like_tfjs_cpu(void **state) {
    (void)state;
    float f[100];
    assert_int_equal(cw_range_f32(0.5f, 0.1f, 100, f), CW_OK);
    float acc = 0.5f;
    for (int i = 0; i < 100; i++, acc += 0.1f) assert_true(f[i] == acc);
    int32_t v[7];
    assert_int_equal(cw_range_i32(5, -3, 7, v), CW_OK);
    for (int i = 0; i < 7; i++) assert_int_equal(v[i], 5 - 3 * i);
    assert_int_equal(cw_range_i32(0, 1, 0, v), CW_OK);
    assert_error(cw_range_f32(0, 1, -1, f), "Range: element count -1");
}

static void fill_repeats_the_value_for_both_element_sizes(void **state) {
    (void)state;
    const size_t sizes[] = {0, 1, 3, 17, 100003};
    for (int es = 1; es <= 4; es += 3) {
        const unsigned char value[4] = {0xDE, 0xAD, 0xBE, 0xEF};
        for (int t = 0; t < 5; t++) {
            size_t n = sizes[t];
            for (size_t i = 0; i < n; i++) memcpy(want + i * (size_t)es, value, (size_t)es);
            memset(got, 0, n * (size_t)es + 4);
            assert_int_equal(cw_fill(es, value, n, got), CW_OK);
            assert_same(got, want, n, es, "cw_fill");
            assert_int_equal(got[n * (size_t)es], 0);
        }
    }
    assert_error(cw_fill(8, xbuf, 1, got), "Fill: element size 8");
}

/* ---- unsorted segment sum ---- */

static void unsorted_segment_sum_matches_reference_and_skips_out_of_range_ids(void **state) {
    (void)state;
    uint32_t s = 41;
    static float xf[64 * 300], of[9 * 300], wf[9 * 300];
    static int32_t xi[64 * 300], oi[9 * 300], wi[9 * 300];
    int32_t ids[64];
    const int cols[] = {0, 1, 3, 17, 300};
    for (int t = 0; t < 5; t++) {
        int rows = t == 0 ? 0 : 64, row = cols[t], segs = 7;
        for (int r = 0; r < rows; r++) ids[r] = rng_in(&s, -1, segs); /* -1 and 7 are skipped */
        test_fill(xf, (size_t)rows * row, (uint32_t)t, -10, 10);
        for (int i = 0; i < rows * row; i++) xi[i] = (int32_t)rng(&s) - (1 << 23);
        memset(wf, 0, sizeof wf);
        memset(wi, 0, sizeof wi);
        for (int r = 0; r < rows; r++) {
            if (ids[r] < 0 || ids[r] >= segs) continue;
            for (int c = 0; c < row; c++) {
                wf[ids[r] * row + c] += xf[r * row + c];
                wi[ids[r] * row + c] += xi[r * row + c];
            }
        }
        memset(of, 0xFF, sizeof of);
        memset(oi, 0xFF, sizeof oi);
        assert_int_equal(cw_unsorted_segment_sum(CW_F32, xf, rows, row, ids, segs, of), CW_OK);
        assert_same(of, wf, (size_t)segs * row, 4, "segment sum f32 (bit-exact)");
        assert_int_equal(cw_unsorted_segment_sum(CW_I32, xi, rows, row, ids, segs, oi), CW_OK);
        assert_same(oi, wi, (size_t)segs * row, 4, "segment sum i32");
    }
    assert_error(cw_unsorted_segment_sum(CW_BOOL, xf, 1, 1, ids, 1, of),
                 "UnsortedSegmentSum: dtype 2");
}

/* ---- argument checks shared by every shape-taking kernel ---- */

static void every_shape_kernel_rejects_rank_above_8_and_element_size_2(void **state) {
    (void)state;
    int32_t shape[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, zeros[9] = {0},
            ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    int32_t v = 0;
    assert_error(cw_slice(4, xbuf, shape, 9, zeros, ones, got), "Slice: rank 9 is not in [0, 8]");
    assert_error(cw_strided_slice(4, xbuf, shape, 9, zeros, ones, got, ones),
                 "StridedSlice: rank 9");
    assert_error(cw_tile(4, xbuf, shape, 9, ones, got), "Tile: rank 9");
    assert_error(cw_pad(4, xbuf, shape, 9, zeros, zeros, &v, got), "PadV2: rank 9");
    assert_error(cw_mirror_pad(4, xbuf, shape, 9, zeros, zeros, 1, got), "MirrorPad: rank 9");
    assert_error(cw_reverse(4, xbuf, shape, 9, zeros, got), "Reverse: rank 9");
    assert_error(cw_gather_nd(4, xbuf, shape, 9, zeros, 1, 1, 1, got), "GatherNd: rank 9");
    assert_error(cw_slice(2, xbuf, shape, 1, zeros, ones, got), "Slice: element size 2");
    assert_error(cw_gather(2, xbuf, 1, 1, 1, zeros, 1, 1, got), "GatherV2: element size 2");
    const void *in[1] = {xbuf};
    assert_error(cw_concat(0, in, ones, 1, 1, got), "Concat: element size 0");
}

int main(void) {
    cw_threads_init(4); /* exercise the parallel split */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transpose_matches_reference_for_every_perm_of_rank_3_and_4),
        cmocka_unit_test(transpose_matches_reference_on_random_shapes_of_rank_0_to_8),
        cmocka_unit_test(transpose_of_matrices_around_the_block_size_matches_reference),
        cmocka_unit_test(transpose_and_reverse_of_long_rows_match_reference),
        cmocka_unit_test(transpose_rejects_a_bad_perm_a_bad_rank_and_a_bad_element_size),
        cmocka_unit_test(slice_matches_reference_on_random_windows_of_rank_0_to_6),
        cmocka_unit_test(strided_slice_matches_reference_with_negative_strides),
        cmocka_unit_test(strided_slice_rejects_reads_outside_the_input_and_zero_strides),
        cmocka_unit_test(reverse_matches_reference_for_every_axis_mask),
        cmocka_unit_test(tile_matches_reference_on_rank_0_to_6),
        cmocka_unit_test(pad_and_mirror_pad_match_reference_on_rank_0_to_6),
        cmocka_unit_test(mirror_pad_reproduces_the_tensorflow_documentation_example),
        cmocka_unit_test(pad_of_an_empty_tensor_is_all_value),
        cmocka_unit_test(concat_joins_the_rows_of_every_input_in_order),
        cmocka_unit_test(gather_matches_reference_with_batch_dims),
        cmocka_unit_test(gather_rejects_an_out_of_range_index_naming_the_bound),
        cmocka_unit_test(gather_nd_matches_reference_for_every_index_depth),
        cmocka_unit_test(gather_nd_rejects_an_out_of_range_index),
        cmocka_unit_test(one_hot_writes_on_at_the_index_and_off_elsewhere),
        cmocka_unit_test(range_accumulates_the_step_like_tfjs_cpu),
        cmocka_unit_test(fill_repeats_the_value_for_both_element_sizes),
        cmocka_unit_test(unsorted_segment_sum_matches_reference_and_skips_out_of_range_ids),
        cmocka_unit_test(every_shape_kernel_rejects_rank_above_8_and_element_size_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
