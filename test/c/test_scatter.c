#include "test_util.h"

#include <string.h>

#include "core/shape.h"
#include "kernels/scatter/scatter.h"

/* ---- helpers and the reference: tfjs-backend-cpu's scatterImpl as a plain loop ---- */

static uint32_t rng(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static int rng_in(uint32_t *s, int lo, int hi) {
    return lo + (int)(rng(s) % (uint32_t)(hi - lo + 1));
}

static size_t numel(const int32_t *shape, int rank) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)shape[i];
    return n;
}

static size_t esize(cw_dtype t) { return t == CW_BOOL ? 1 : 4; }

/* Random element values of the dtype (floats with a fraction, so sums round). */
static void fill_values(cw_dtype t, void *p, size_t n, uint32_t seed) {
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        if (t == CW_F32)
            ((float *)p)[i] = test_rand(&s, -4.f, 4.f);
        else if (t == CW_I32)
            ((int32_t *)p)[i] = (int32_t)rng(&s) - (1 << 23);
        else
            ((unsigned char *)p)[i] = (unsigned char)(rng(&s) & 1);
    }
}

/* out must already hold the default values; sum selects ScatterNd's +=. */
static int ref_scatter(cw_dtype t, const int32_t *indices, int n, int slice_rank,
                       const void *updates, int scalar, const int32_t *shape, int rank, int sum,
                       void *out) {
    size_t out_size = numel(shape, rank);
    if (out_size == 0) return 1;
    size_t slice = numel(shape + slice_rank, rank - slice_rank);
    size_t slots = out_size / slice;
    for (int i = 0; i < n; i++) {
        double flat = 0, stride = 1;
        for (int j = slice_rank - 1; j >= 0; j--) {
            flat += (double)indices[i * slice_rank + j] * stride;
            stride *= shape[j];
        }
        if (flat < 0 || flat >= (double)slots) return 0;
        size_t o = (size_t)flat * slice;
        for (size_t k = 0; k < slice; k++) {
            size_t u = scalar ? 0 : (size_t)i * slice + k;
            if (t == CW_F32) {
                float *d = (float *)out + o + k;
                float v = ((const float *)updates)[u];
                *d = sum ? *d + v : v;
            } else if (t == CW_I32) {
                int32_t *d = (int32_t *)out + o + k;
                int32_t v = ((const int32_t *)updates)[u];
                *d = sum ? (int32_t)((uint32_t)*d + (uint32_t)v) : v;
            } else {
                unsigned char *d = (unsigned char *)out + o + k;
                unsigned char v = ((const unsigned char *)updates)[u];
                *d = sum ? (unsigned char)(*d + v) : v;
            }
        }
    }
    return 1;
}

static void assert_same_bytes(const void *got, const void *want, size_t bytes, const char *what) {
    const unsigned char *g = got, *w = want;
    for (size_t i = 0; i < bytes; i++) {
        if (g[i] != w[i]) fail_msg("%s: byte %zu is %u, expected %u", what, i, g[i], w[i]);
    }
}

static void assert_error(cw_status st, const char *needle) {
    assert_int_equal(st, CW_ERR_INVALID);
    if (strstr(cw_error_message(), needle) == NULL)
        fail_msg("error message \"%s\" does not contain \"%s\"", cw_error_message(), needle);
}

#define BUF (1 << 20)
static unsigned char tensor[BUF], updates[BUF], got[BUF + 64], want[BUF];
static int32_t indices[1 << 16];

static const cw_dtype DTYPES[3] = {CW_F32, CW_I32, CW_BOOL};

typedef struct {
    int32_t shape[CW_MAX_RANK];
    int rank, slice_rank, n;
    size_t out_size, slice;
} scatter_case;

/* A random case: small leading (indexed) dims so rows repeat, trailing dims
 * sweeping sizes around the vector width. Indices are in range per dimension. */
static void random_case(uint32_t *s, scatter_case *c) {
    static const int trailing[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33};
    do {
        c->rank = rng_in(s, 1, 5);
        c->slice_rank = rng_in(s, 0, c->rank);
        for (int d = 0; d < c->rank; d++)
            c->shape[d] = d < c->slice_rank ? rng_in(s, 1, 4) : trailing[rng_in(s, 0, 13)];
        c->out_size = numel(c->shape, c->rank);
        c->slice = numel(c->shape + c->slice_rank, c->rank - c->slice_rank);
        c->n = rng_in(s, 0, 40);
    } while (c->out_size > 20000 || (size_t)c->n * c->slice > 20000);
    for (int i = 0; i < c->n; i++)
        for (int j = 0; j < c->slice_rank; j++)
            indices[i * c->slice_rank + j] = rng_in(s, 0, c->shape[j] - 1);
}

/* ---- ScatterNd ---- */

static void scatter_nd_sums_duplicates_like_the_reference_for_every_dtype(void **state) {
    (void)state;
    uint32_t s = 11;
    for (int trial = 0; trial < 300; trial++) {
        scatter_case c;
        random_case(&s, &c);
        cw_dtype t = DTYPES[trial % 3];
        size_t es = esize(t), nu = (size_t)c.n * c.slice;
        fill_values(t, updates, nu, (uint32_t)trial);
        memset(want, 0, c.out_size * es);
        assert_true(
            ref_scatter(t, indices, c.n, c.slice_rank, updates, 0, c.shape, c.rank, 1, want));
        memset(got, 0xAB, c.out_size * es + 8);
        assert_int_equal(
            cw_scatter_nd(t, indices, c.n, c.slice_rank, updates, (int)nu, c.shape, c.rank, got),
            CW_OK);
        assert_same_bytes(got, want, c.out_size * es, "cw_scatter_nd");
        assert_int_equal(got[c.out_size * es], 0xAB); /* nothing written past the end */
    }
}

static void scatter_nd_wraps_int32_sums_and_counts_bool_duplicates_like_typed_arrays(void **state) {
    (void)state;
    const int32_t shape[1] = {2}, idx[3] = {1, 1, 1};
    const int32_t big[3] = {INT32_MAX, 1, 5};
    int32_t out[2];
    assert_int_equal(cw_scatter_nd(CW_I32, idx, 3, 1, big, 3, shape, 1, out), CW_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], INT32_MIN + 5);
    const unsigned char yes[3] = {1, 1, 0};
    unsigned char b[2];
    assert_int_equal(cw_scatter_nd(CW_BOOL, idx, 3, 1, yes, 3, shape, 1, b), CW_OK);
    assert_int_equal(b[0], 0);
    assert_int_equal(b[1], 2); /* cpu's Uint8Array holds 1 + 1 */
    const float f[3] = {1e8f, 1.f, -1e8f};
    float fo[2];
    assert_int_equal(cw_scatter_nd(CW_F32, idx, 3, 1, f, 3, shape, 1, fo), CW_OK);
    assert_true(fo[1] == 0.f); /* (1e8 + 1) rounds to 1e8 in float32, in row order */
}

/* ---- TensorScatterUpdate ---- */

static void
tensor_scatter_update_keeps_the_last_duplicate_and_the_rest_of_the_tensor(void **state) {
    (void)state;
    uint32_t s = 23;
    for (int trial = 0; trial < 300; trial++) {
        scatter_case c;
        random_case(&s, &c);
        cw_dtype t = DTYPES[trial % 3];
        size_t es = esize(t), nu = (size_t)c.n * c.slice;
        int scalar = trial % 7 == 3;
        fill_values(t, tensor, c.out_size, (uint32_t)trial + 1000);
        fill_values(t, updates, scalar ? 1 : nu, (uint32_t)trial);
        memcpy(want, tensor, c.out_size * es);
        assert_true(
            ref_scatter(t, indices, c.n, c.slice_rank, updates, scalar, c.shape, c.rank, 0, want));
        memset(got, 0xAB, c.out_size * es + 8);
        assert_int_equal(cw_tensor_scatter_update(t, tensor, indices, c.n, c.slice_rank, updates,
                                                  scalar ? 1 : (int)nu, scalar, c.shape, c.rank,
                                                  got),
                         CW_OK);
        assert_same_bytes(got, want, c.out_size * es, "cw_tensor_scatter_update");
        assert_int_equal(got[c.out_size * es], 0xAB);
        /* in place: tensor and out are the same buffer */
        assert_int_equal(cw_tensor_scatter_update(t, tensor, indices, c.n, c.slice_rank, updates,
                                                  scalar ? 1 : (int)nu, scalar, c.shape, c.rank,
                                                  tensor),
                         CW_OK);
        assert_same_bytes(tensor, want, c.out_size * es, "cw_tensor_scatter_update in place");
    }
}

/* ---- SparseToDense ---- */

static void sparse_to_dense_fills_the_default_and_broadcasts_rank_0_values(void **state) {
    (void)state;
    uint32_t s = 37;
    for (int trial = 0; trial < 300; trial++) {
        /* SparseToDense's own shapes: slice_rank == rank, one value per row. */
        scatter_case c;
        c.rank = rng_in(&s, 0, 4);
        c.slice_rank = c.rank;
        for (int d = 0; d < c.rank; d++) c.shape[d] = rng_in(&s, 1, 9);
        c.out_size = numel(c.shape, c.rank);
        c.n = c.rank == 0 ? 0 : rng_in(&s, 0, 33);
        for (int i = 0; i < c.n; i++)
            for (int j = 0; j < c.rank; j++)
                indices[i * c.rank + j] = rng_in(&s, 0, c.shape[j] - 1);
        cw_dtype t = DTYPES[trial % 3];
        size_t es = esize(t);
        int scalar = trial % 4 == 1;
        unsigned char dflt[4];
        fill_values(t, dflt, 1, (uint32_t)trial + 77);
        fill_values(t, updates, scalar ? 1 : (size_t)c.n, (uint32_t)trial);
        for (size_t i = 0; i < c.out_size; i++) memcpy(want + i * es, dflt, es);
        assert_true(
            ref_scatter(t, indices, c.n, c.rank, updates, scalar, c.shape, c.rank, 0, want));
        memset(got, 0xAB, c.out_size * es + 8);
        assert_int_equal(cw_sparse_to_dense(t, indices, c.n, c.rank, updates, scalar ? 1 : c.n,
                                            scalar, dflt, c.shape, c.rank, got),
                         CW_OK);
        assert_same_bytes(got, want, c.out_size * es, "cw_sparse_to_dense");
        assert_int_equal(got[c.out_size * es], 0xAB);
    }
}

static void sparse_to_dense_with_slices_of_several_elements_writes_whole_slices(void **state) {
    (void)state;
    const int32_t shape[3] = {3, 2, 5}, idx[4] = {2, 1, 0, 0};
    float vals[10], out[30], dflt = -1.f;
    for (int k = 0; k < 10; k++) vals[k] = (float)k;
    assert_int_equal(cw_sparse_to_dense(CW_F32, idx, 2, 2, vals, 10, 0, &dflt, shape, 3, out),
                     CW_OK);
    for (int e = 0; e < 30; e++) {
        float w = e >= 25 ? (float)(e - 25) : e < 5 ? (float)(e + 5) : -1.f;
        assert_true(out[e] == w);
    }
}

/* ---- empty inputs, index checks, bad arguments ---- */

static void empty_updates_give_the_default_and_empty_outputs_ignore_the_indices(void **state) {
    (void)state;
    const int32_t shape[2] = {3, 4}, bad[2] = {9, 9};
    int32_t out[12], t[12], dflt = 7;
    for (int i = 0; i < 12; i++) t[i] = i;
    memset(out, 0x55, sizeof out);
    assert_int_equal(cw_scatter_nd(CW_I32, bad, 0, 2, NULL, 0, shape, 2, out), CW_OK);
    for (int i = 0; i < 12; i++) assert_int_equal(out[i], 0);
    assert_int_equal(cw_tensor_scatter_update(CW_I32, t, bad, 0, 2, NULL, 0, 0, shape, 2, out),
                     CW_OK);
    for (int i = 0; i < 12; i++) assert_int_equal(out[i], i);
    assert_int_equal(cw_sparse_to_dense(CW_I32, bad, 0, 2, NULL, 0, 0, &dflt, shape, 2, out),
                     CW_OK);
    for (int i = 0; i < 12; i++) assert_int_equal(out[i], 7);
    /* output size 0: cpu returns before reading indices or updates */
    const int32_t empty[2] = {3, 0};
    memset(out, 0x55, sizeof out);
    assert_int_equal(cw_scatter_nd(CW_I32, bad, 1, 1, NULL, 0, empty, 2, out), CW_OK);
    assert_int_equal(cw_sparse_to_dense(CW_I32, bad, 1, 2, NULL, 0, 0, &dflt, empty, 2, out),
                     CW_OK);
    assert_int_equal(out[0], 0x55555555);
    /* rank-0 output, no index columns: the default scalar */
    assert_int_equal(cw_sparse_to_dense(CW_I32, bad, 0, 0, NULL, 0, 0, &dflt, shape, 0, out),
                     CW_OK);
    assert_int_equal(out[0], 7);
}

static void only_the_flat_slot_is_checked_like_cpu(void **state) {
    (void)state;
    const int32_t shape[2] = {3, 4};
    const int32_t rows[4] = {0, 5, 2, -1}; /* slot 5 and slot 7 */
    const float v[2] = {1.f, 2.f};
    float out[12];
    assert_int_equal(cw_scatter_nd(CW_F32, rows, 2, 2, v, 2, shape, 2, out), CW_OK);
    for (int i = 0; i < 12; i++) assert_true(out[i] == (i == 5 ? 1.f : i == 7 ? 2.f : 0.f));
}

static void out_of_range_indices_are_rejected_before_anything_is_written(void **state) {
    (void)state;
    const int32_t shape[2] = {3, 4};
    const int32_t rows[6] = {0, 1, 2, 3, 3, 0}; /* row 2 is slot 12 */
    const float v[3] = {1.f, 2.f, 3.f};
    float out[12], dflt = 1.f;
    for (int i = 0; i < 12; i++) out[i] = -9.f;
    assert_error(cw_scatter_nd(CW_F32, rows, 3, 2, v, 3, shape, 2, out),
                 "ScatterNd: invalid indices: row 2 = [3, 0] does not index into [3, 4]");
    for (int i = 0; i < 12; i++) assert_true(out[i] == -9.f);
    assert_error(cw_tensor_scatter_update(CW_F32, out, rows, 3, 2, v, 3, 0, shape, 2, out),
                 "TensorScatterUpdate: invalid indices: row 2");
    for (int i = 0; i < 12; i++) assert_true(out[i] == -9.f);
    const int32_t neg[2] = {-1, 0};
    assert_error(cw_sparse_to_dense(CW_F32, neg, 1, 2, v, 1, 0, &dflt, shape, 2, out),
                 "SparseToDense: invalid indices: row 0 = [-1, 0]");
    const int32_t huge[2] = {INT32_MAX, INT32_MAX};
    assert_error(cw_scatter_nd(CW_F32, huge, 1, 2, v, 1, shape, 2, out), "row 0");
    for (int i = 0; i < 12; i++) assert_true(out[i] == -9.f);
    const int32_t one[1] = {3};
    const int32_t shape1[1] = {3};
    assert_error(cw_scatter_nd(CW_F32, one, 1, 1, v, 1, shape1, 1, out),
                 "row 0 = [3] does not index into [3]");
}

static void bad_arguments_are_rejected_naming_the_kernel(void **state) {
    (void)state;
    const int32_t shape[9] = {2, 2, 1, 1, 1, 1, 1, 1, 1}, idx[2] = {0, 0};
    const float v[4] = {0};
    float out[8], dflt = 0.f;
    assert_error(cw_scatter_nd((cw_dtype)3, idx, 1, 1, v, 2, shape, 2, out), "ScatterNd: dtype 3");
    assert_error(cw_scatter_nd(CW_F32, idx, 1, 1, v, 2, shape, 9, out), "ScatterNd: output rank 9");
    assert_error(cw_scatter_nd(CW_F32, idx, 1, 3, v, 2, shape, 2, out), "ScatterNd: index depth 3");
    assert_error(cw_scatter_nd(CW_F32, idx, -1, 1, v, 2, shape, 2, out), "ScatterNd: update count");
    const int32_t negshape[2] = {2, -2};
    assert_error(cw_scatter_nd(CW_F32, idx, 1, 1, v, 2, negshape, 2, out),
                 "ScatterNd: output dimension 1 is negative");
    assert_error(cw_scatter_nd(CW_F32, idx, 2, 1, v, 3, shape, 2, out),
                 "ScatterNd: updates hold 3 elements, 2 updates of 2 elements need 4");
    assert_error(cw_tensor_scatter_update(CW_F32, out, idx, 1, 1, v, 0, 1, shape, 2, out),
                 "TensorScatterUpdate: updates hold 0 elements");
    assert_error(cw_sparse_to_dense(CW_BOOL, idx, 2, 2, v, 1, 0, &dflt, shape, 2, out),
                 "SparseToDense: updates hold 1 elements");
    const int32_t vast[4] = {65536, 65536, 65536, 65536};
    assert_int_equal(cw_scatter_nd(CW_F32, idx, 0, 1, v, 0, vast, 4, out), CW_ERR_NOMEM);
    assert_non_null(strstr(cw_error_message(), "ScatterNd: an output of that shape"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scatter_nd_sums_duplicates_like_the_reference_for_every_dtype),
        cmocka_unit_test(scatter_nd_wraps_int32_sums_and_counts_bool_duplicates_like_typed_arrays),
        cmocka_unit_test(tensor_scatter_update_keeps_the_last_duplicate_and_the_rest_of_the_tensor),
        cmocka_unit_test(sparse_to_dense_fills_the_default_and_broadcasts_rank_0_values),
        cmocka_unit_test(sparse_to_dense_with_slices_of_several_elements_writes_whole_slices),
        cmocka_unit_test(empty_updates_give_the_default_and_empty_outputs_ignore_the_indices),
        cmocka_unit_test(only_the_flat_slot_is_checked_like_cpu),
        cmocka_unit_test(out_of_range_indices_are_rejected_before_anything_is_written),
        cmocka_unit_test(bad_arguments_are_rejected_naming_the_kernel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
