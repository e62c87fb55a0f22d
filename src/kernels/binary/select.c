/* cw_select: out = cond ? t : e, elementwise or by rows of t. */
#include <string.h>

#include "core/parallel.h"
#include "kernels/binary/binary.h"

#define CW_SELECT_GRAIN 16384

typedef struct {
    const uint8_t *cond;
    const uint8_t *t, *e;
    uint8_t *out;
    size_t row;  /* elements per cond value */
    size_t size; /* bytes per element */
} select_ctx;

/* Copies whole elements as bits, so NaN payloads and -0 pass unchanged. */
static void select_elementwise(void *pctx, size_t begin, size_t end) {
    const select_ctx *c = pctx;
    if (c->size == 4) {
        const uint32_t *t = (const uint32_t *)(const void *)c->t;
        const uint32_t *e = (const uint32_t *)(const void *)c->e;
        uint32_t *o = (uint32_t *)(void *)c->out;
        for (size_t i = begin; i < end; i++) o[i] = c->cond[i] ? t[i] : e[i];
    } else {
        for (size_t i = begin; i < end; i++) c->out[i] = c->cond[i] ? c->t[i] : c->e[i];
    }
}

static void select_rows(void *pctx, size_t begin, size_t end) {
    const select_ctx *c = pctx;
    size_t i = begin;
    while (i < end) {
        size_t r = i / c->row;
        size_t stop = (r + 1) * c->row < end ? (r + 1) * c->row : end;
        const uint8_t *src = c->cond[r] ? c->t : c->e;
        if (src + i * c->size != c->out + i * c->size)
            memmove(c->out + i * c->size, src + i * c->size, (stop - i) * c->size);
        i = stop;
    }
}

cw_status cw_select(cw_dtype dtype, const uint8_t *cond, size_t cond_n, const void *t,
                    const void *e, void *out, size_t n) {
    if (dtype != CW_F32 && dtype != CW_I32 && dtype != CW_BOOL)
        return cw_error(CW_ERR_INVALID, "Select: unknown dtype %d", (int)dtype);
    if (cond_n != n && (cond_n == 0 || n % cond_n != 0))
        return cw_error(CW_ERR_INVALID,
                        "Select: condition of %zu elements matches neither t's %zu elements "
                        "nor its first dimension",
                        cond_n, n);
    if (n == 0) return CW_OK;
    if (cond == NULL || t == NULL || e == NULL || out == NULL)
        return cw_error(CW_ERR_INVALID, "Select: NULL data pointer");
    select_ctx c = {cond, t, e, out, n / cond_n, cw_dtype_size(dtype)};
    cw_parallel_for(n, CW_SELECT_GRAIN, cond_n == n ? select_elementwise : select_rows, &c);
    return CW_OK;
}
