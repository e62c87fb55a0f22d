/* cw_topk: per-row Floyd-Rivest selection and a run-merging sort, both over
 * an index array, with tfjs-backend-cpu's comparison semantics. */
#include "kernels/sort/sort.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"

/* Results of cpu's comparePair(a, b): the sign of b.value - a.value (in
 * double), or of a.index - b.index when the values are equal. UNORDERED is
 * the NaN difference (a NaN, or two equal infinities): in JS it is neither
 * < 0, > 0 nor === 0, and Array.prototype.sort reads it as 0. */
enum { CMP_LT = -1, CMP_EQ = 0, CMP_GT = 1, CMP_UNORDERED = 2 };

static inline int cmp_pair(const double *v, int32_t a, int32_t b) {
    double d = v[b] - v[a];
    if (d > 0) return CMP_GT;
    if (d < 0) return CMP_LT;
    if (d != d) return CMP_UNORDERED;
    return a < b ? CMP_LT : (a > b ? CMP_GT : CMP_EQ);
}

static inline void swap_i32(int32_t *a, ptrdiff_t i, ptrdiff_t j) {
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static inline double sign_of(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : x); }

/* Rearranges a[left..right] so a[k] holds the element of rank k and no
 * element before it compares greater: Floyd-Rivest with the constants cpu
 * uses (sample when the range exceeds 600), so the resulting partition order
 * is the same. The bounds checks in the scans never fire on inputs the JS
 * version accepts; they keep memory safe on any input. */
static void select_rank(const double *v, int32_t *a, ptrdiff_t k, ptrdiff_t left, ptrdiff_t right) {
    while (right > left) {
        if (right - left > 600) {
            double n = (double)(right - left + 1);
            double i = (double)(k - left + 1);
            double z = log(n);
            double s = 0.5 * exp(2 * z / 3);
            double sd = 0.5 * sqrt(z * s * (n - s) / n) * sign_of(i - n / 2);
            double lo = floor((double)k - i * s / n + sd);
            double hi = floor((double)k + (n - i) * s / n + sd);
            ptrdiff_t new_left = lo > (double)left ? (ptrdiff_t)lo : left;
            ptrdiff_t new_right = hi < (double)right ? (ptrdiff_t)hi : right;
            select_rank(v, a, k, new_left, new_right);
        }
        const int32_t t = a[k];
        ptrdiff_t i = left, j = right;
        swap_i32(a, left, k);
        if (cmp_pair(v, a[right], t) == CMP_GT) swap_i32(a, left, right);
        while (i < j) {
            swap_i32(a, i, j);
            i++;
            j--;
            while (i < right && cmp_pair(v, a[i], t) == CMP_LT) i++;
            while (j > left && cmp_pair(v, a[j], t) == CMP_GT) j--;
        }
        if (cmp_pair(v, a[left], t) == CMP_EQ) {
            swap_i32(a, left, j);
        } else {
            j++;
            swap_i32(a, j, right);
        }
        if (j <= k) left = j + 1;
        if (k <= j) right = j - 1;
    }
}

/* ---- sort: V8's TimSort structure (runs, binary insertion, merge stack),
 * without galloping; for a consistent comparator any stable sort gives the
 * same result, and for NaN rows of < 64 elements this is exactly V8's path. */

static inline int sort_less(const double *v, int32_t a, int32_t b) {
    return cmp_pair(v, a, b) == CMP_LT; /* "order < 0"; UNORDERED reads as 0 */
}

static ptrdiff_t min_run_length(ptrdiff_t n) {
    ptrdiff_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* Length of the run starting at lo (strictly descending runs are reversed). */
static ptrdiff_t count_and_make_run(const double *v, int32_t *a, ptrdiff_t lo, ptrdiff_t hi) {
    if (lo + 1 == hi) return 1;
    ptrdiff_t len = 2;
    const int descending = sort_less(v, a[lo + 1], a[lo]);
    for (ptrdiff_t i = lo + 2; i < hi; i++) {
        int lt = sort_less(v, a[i], a[i - 1]);
        if (descending ? !lt : lt) break;
        len++;
    }
    if (descending) {
        for (ptrdiff_t i = lo, j = lo + len - 1; i < j; i++, j--) swap_i32(a, i, j);
    }
    return len;
}

/* a[lo..start) is sorted; inserts a[start..hi) one by one (binary search,
 * after equal elements). */
static void binary_insertion_sort(const double *v, int32_t *a, ptrdiff_t lo, ptrdiff_t start,
                                  ptrdiff_t hi) {
    if (start == lo) start++;
    for (; start < hi; start++) {
        const int32_t pivot = a[start];
        ptrdiff_t l = lo, r = start;
        while (l < r) {
            ptrdiff_t mid = l + ((r - l) >> 1);
            if (sort_less(v, pivot, a[mid]))
                r = mid;
            else
                l = mid + 1;
        }
        memmove(a + l + 1, a + l, (size_t)(start - l) * sizeof *a);
        a[l] = pivot;
    }
}

/* Stable merge of the adjacent runs a[lo..mid) and a[mid..hi). */
static void merge_runs(const double *v, int32_t *a, int32_t *tmp, ptrdiff_t lo, ptrdiff_t mid,
                       ptrdiff_t hi) {
    ptrdiff_t na = mid - lo, i = 0, j = mid, o = lo;
    memcpy(tmp, a + lo, (size_t)na * sizeof *a);
    while (i < na && j < hi) a[o++] = sort_less(v, a[j], tmp[i]) ? a[j++] : tmp[i++];
    while (i < na) a[o++] = tmp[i++];
}

#define MAX_RUNS 85 /* enough for any 2^64 elements under the run invariants */

typedef struct {
    ptrdiff_t base[MAX_RUNS], len[MAX_RUNS];
    int size;
} run_stack;

static void merge_at(const double *v, int32_t *a, int32_t *tmp, run_stack *s, int i) {
    merge_runs(v, a, tmp, s->base[i], s->base[i + 1], s->base[i + 1] + s->len[i + 1]);
    s->len[i] += s->len[i + 1];
    for (int r = i + 1; r + 1 < s->size; r++) {
        s->base[r] = s->base[r + 1];
        s->len[r] = s->len[r + 1];
    }
    s->size--;
}

static int invariant_holds(const run_stack *s, int n) {
    return n < 2 || s->len[n - 2] > s->len[n - 1] + s->len[n];
}

static void merge_collapse(const double *v, int32_t *a, int32_t *tmp, run_stack *s) {
    while (s->size > 1) {
        int n = s->size - 2;
        if (!invariant_holds(s, n + 1) || !invariant_holds(s, n)) {
            if (n > 0 && s->len[n - 1] < s->len[n + 1]) n--;
            merge_at(v, a, tmp, s, n);
        } else if (s->len[n] <= s->len[n + 1]) {
            merge_at(v, a, tmp, s, n);
        } else {
            break;
        }
    }
}

static void sort_pairs(const double *v, int32_t *a, int32_t *tmp, ptrdiff_t n) {
    if (n < 2) return;
    run_stack s;
    s.size = 0;
    const ptrdiff_t min_run = min_run_length(n);
    ptrdiff_t lo = 0;
    while (lo < n) {
        ptrdiff_t len = count_and_make_run(v, a, lo, n);
        if (len < min_run) {
            ptrdiff_t forced = n - lo < min_run ? n - lo : min_run;
            binary_insertion_sort(v, a, lo, lo + len, lo + forced);
            len = forced;
        }
        s.base[s.size] = lo;
        s.len[s.size] = len;
        s.size++;
        merge_collapse(v, a, tmp, &s);
        lo += len;
    }
    while (s.size > 1) {
        int i = s.size - 2;
        if (i > 0 && s.len[i - 1] < s.len[i + 1]) i--;
        merge_at(v, a, tmp, &s, i);
    }
}

/* ---- the kernel ---- */

typedef struct {
    cw_dtype dtype;
    const char *x;
    char *values;
    int32_t *indices;
    size_t n, k, grain;
    int sorted;
    char *scratch; /* per chunk: double v[n], int32 a[n], int32 tmp[n] */
} topk_job;

static void topk_rows(void *ctx, size_t begin, size_t end) {
    const topk_job *j = (const topk_job *)ctx;
    const size_t n = j->n, k = j->k;
    char *base = j->scratch + (begin / j->grain) * n * 16;
    double *v = (double *)base;
    int32_t *a = (int32_t *)(base + n * 8), *tmp = (int32_t *)(base + n * 12);
    for (size_t r = begin; r < end; r++) {
        const char *row = j->x + r * n * 4;
        if (j->dtype == CW_F32) {
            const float *xf = (const float *)row;
            for (size_t i = 0; i < n; i++) v[i] = (double)xf[i];
        } else {
            const int32_t *xi = (const int32_t *)row;
            for (size_t i = 0; i < n; i++) v[i] = (double)xi[i];
        }
        for (size_t i = 0; i < n; i++) a[i] = (int32_t)i;
        if (k < n) select_rank(v, a, (ptrdiff_t)k, 0, (ptrdiff_t)n - 1);
        if (j->sorted) sort_pairs(v, a, tmp, (ptrdiff_t)k);
        char *vo = j->values + r * k * 4;
        int32_t *io = j->indices + r * k;
        for (size_t i = 0; i < k; i++) {
            memcpy(vo + i * 4, row + (size_t)a[i] * 4, 4); /* the bits of x, NaN payload too */
            io[i] = a[i];
        }
    }
}

cw_status cw_topk(cw_dtype dtype, const void *x, int rows, int n, int k, int sorted, void *values,
                  int32_t *indices) {
    if (dtype != CW_F32 && dtype != CW_I32) {
        return cw_error(CW_ERR_INVALID, "TopK: x must be float32 or int32, got dtype %d",
                        (int)dtype);
    }
    if (rows < 0 || n < 0) {
        return cw_error(CW_ERR_INVALID, "TopK: rows (%d) and row length (%d) must be >= 0", rows,
                        n);
    }
    if (k < 0 || k > n) {
        return cw_error(CW_ERR_INVALID, "TopK: k (%d) must be in [0, %d], the last dimension", k,
                        n);
    }
    if (rows == 0 || k == 0) return CW_OK;
    if (cw_mul_size((size_t)rows, (size_t)n) > (size_t)INT32_MAX * 4) {
        return cw_error(CW_ERR_INVALID, "TopK: size overflow");
    }
    if (!x) return cw_error(CW_ERR_INVALID, "TopK: x is NULL");
    if (!values || !indices) return cw_error(CW_ERR_INVALID, "TopK: an output is NULL");

    /* At most 16 chunks, fewer for long rows, so scratch stays near 1M elements. */
    size_t max_chunks = (size_t)(1 << 20) / (size_t)n;
    if (max_chunks > 16) max_chunks = 16;
    if (max_chunks < 1) max_chunks = 1;
    size_t grain = ((size_t)rows + max_chunks - 1) / max_chunks;
    size_t chunks = ((size_t)rows + grain - 1) / grain;
    size_t bytes = cw_mul_size(cw_mul_size(chunks, (size_t)n), 16);
    char *scratch = bytes ? (char *)cw_alloc(bytes) : NULL;
    if (!scratch)
        return cw_error(CW_ERR_NOMEM, "TopK: cannot allocate %zu bytes of scratch", bytes);

    topk_job job = {dtype,     (const char *)x, (char *)values, indices, (size_t)n,
                    (size_t)k, grain,           sorted != 0,    scratch};
    cw_parallel_for((size_t)rows, grain, topk_rows, &job);
    cw_free(scratch);
    return CW_OK;
}
