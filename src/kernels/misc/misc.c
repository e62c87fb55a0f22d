/* LinSpace, Diag, SearchSorted, Bincount / DenseBincount, Multinomial. */
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "kernels/misc/misc.h"

cw_status cw_linspace_f32(double start, double stop, int num, float *out) {
    if (num < 1) return cw_error(CW_ERR_INVALID, "LinSpace: num %d, expected >= 1", num);
    if (!out) return cw_error(CW_ERR_INVALID, "LinSpace: out is NULL");
    const double step = (stop - start) / (double)(num - 1);
    out[0] = (float)start;
    for (int i = 1; i < num; i++) out[i] = (float)((double)out[i - 1] + step);
    return CW_OK;
}

cw_status cw_diag(size_t elem_size, const void *x, size_t n, void *out) {
    if (elem_size == 0 || elem_size > 8)
        return cw_error(CW_ERR_INVALID, "Diag: element size %zu", elem_size);
    if (n == 0) return CW_OK;
    if (!x || !out) return cw_error(CW_ERR_INVALID, "Diag: x or out is NULL");
    if (!cw_mul_size(cw_mul_size(n, n), elem_size))
        return cw_error(CW_ERR_INVALID, "Diag: %zu x %zu overflows", n, n);
    memset(out, 0, n * n * elem_size);
    for (size_t i = 0; i < n; i++)
        memcpy((char *)out + (i * n + i) * elem_size, (const char *)x + i * elem_size, elem_size);
    return CW_OK;
}

typedef struct {
    const float *sorted, *values;
    int n, m, right;
    int32_t *out;
} search_ctx;

static void search_rows(void *vctx, size_t begin, size_t end) {
    const search_ctx *c = vctx;
    for (size_t b = begin; b < end; b++) {
        const float *s = c->sorted + b * (size_t)c->n;
        for (int j = 0; j < c->m; j++) {
            const float v = c->values[b * (size_t)c->m + (size_t)j];
            int lo = 0, hi = c->n;
            while (lo < hi) {
                const int mid = lo + (hi - lo) / 2;
                if (c->right ? s[mid] <= v : s[mid] < v)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            c->out[b * (size_t)c->m + (size_t)j] = hi;
        }
    }
}

cw_status cw_search_sorted_f32(const float *sorted, const float *values, int batch, int n, int m,
                               int right, int32_t *out) {
    if (batch < 0 || n < 0 || m < 0)
        return cw_error(CW_ERR_INVALID,
                        "SearchSorted: negative size (batch %d, %d sorted, %d values)", batch, n,
                        m);
    if (batch == 0 || m == 0) return CW_OK;
    if ((n > 0 && !sorted) || !values || !out)
        return cw_error(CW_ERR_INVALID, "SearchSorted: a pointer is NULL");
    search_ctx c = {sorted, values, n, m, right != 0, out};
    const size_t work = (size_t)m * 32;
    cw_parallel_for((size_t)batch, work >= 65536 ? 1 : 65536 / work + 1, search_rows, &c);
    return CW_OK;
}

cw_status cw_bincount(const char *op, const int32_t *x, size_t rows, size_t cols, const void *w,
                      cw_dtype w_dtype, int size, int binary_output, void *out) {
    if (size < 0) return cw_error(CW_ERR_INVALID, "%s: size %d, expected >= 0", op, size);
    if (w_dtype != CW_F32 && w_dtype != CW_I32)
        return cw_error(CW_ERR_INVALID, "%s: weights must be float32 or int32", op);
    const size_t n_out = cw_mul_size(rows, (size_t)size);
    if (rows && size && (!n_out || !cw_mul_size(n_out, 4)))
        return cw_error(CW_ERR_INVALID, "%s: output size overflows", op);
    if (n_out && !out) return cw_error(CW_ERR_INVALID, "%s: out is NULL", op);
    if (rows && cols && !x) return cw_error(CW_ERR_INVALID, "%s: x is NULL", op);
    for (size_t i = 0; i < rows * cols; i++)
        if (x[i] < 0)
            return cw_error(CW_ERR_INVALID, "%s: Input x must be non-negative! (got %d)", op,
                            (int)x[i]);
    if (n_out) memset(out, 0, n_out * 4);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            const int32_t v = x[r * cols + c];
            if (v >= size) continue;
            const size_t o = r * (size_t)size + (size_t)v, i = r * cols + c;
            if (w_dtype == CW_F32) {
                float *p = (float *)out + o;
                *p = binary_output ? 1.0f : *p + (w ? ((const float *)w)[i] : 1.0f);
            } else {
                int32_t *p = (int32_t *)out + o;
                *p = binary_output
                         ? 1
                         : (int32_t)((uint32_t)*p + (uint32_t)(w ? ((const int32_t *)w)[i] : 1));
            }
        }
    return CW_OK;
}

/* splitmix64: a small, well-mixed generator; u in [0, 1) from its top 53 bits. */
static uint64_t next_u64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

cw_status cw_multinomial_f32(const float *probs, int batch, int events, int samples, double seed,
                             int32_t *out) {
    if (batch < 0 || samples < 0)
        return cw_error(CW_ERR_INVALID, "Multinomial: negative size (batch %d, %d samples)", batch,
                        samples);
    if (events < 2)
        return cw_error(CW_ERR_INVALID, "Multinomial: %d events, expected at least 2", events);
    if (batch == 0 || samples == 0) return CW_OK;
    if (!probs || !out) return cw_error(CW_ERR_INVALID, "Multinomial: a pointer is NULL");
    float *cdf = cw_alloc((size_t)(events - 1) * sizeof(float));
    if (!cdf) return cw_error(CW_ERR_NOMEM, "Multinomial: out of memory");
    uint64_t bits;
    memcpy(&bits, &seed, sizeof bits);
    for (size_t b = 0; b < (size_t)batch; b++) {
        const float *p = probs + b * (size_t)events;
        cdf[0] = p[0];
        for (int e = 1; e < events - 1; e++) cdf[e] = cdf[e - 1] + p[e];
        uint64_t state = bits;
        for (size_t s = 0; s < (size_t)samples; s++) {
            const double u = (double)(next_u64(&state) >> 11) * (1.0 / 9007199254740992.0);
            int32_t pick = events - 1;
            for (int e = 0; e < events - 1; e++)
                if (u < cdf[e]) {
                    pick = e;
                    break;
                }
            out[b * (size_t)samples + s] = pick;
        }
    }
    cw_free(cdf);
    return CW_OK;
}
