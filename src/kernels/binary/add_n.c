/* cw_add_n: the elementwise sum of count same-shape arrays. */
#include "core/parallel.h"
#include "kernels/binary/binary.h"
#include "simd/vec.h"

#define CW_ADD_N_GRAIN 16384

typedef struct {
    const void *const *inputs;
    int count;
    void *out;
} add_n_ctx;

/* Each group of lanes reads every input before its store, so out may alias
 * any input; sums run input 0 first like the reference's `out += in[k]`. */
static void add_n_f32(void *pctx, size_t begin, size_t end) {
    const add_n_ctx *c = pctx;
    const float *const *in = (const float *const *)c->inputs;
    float *out = c->out;
    size_t i = begin;
    for (; i + CW_VEC_LANES <= end; i += CW_VEC_LANES) {
        cw_v4f acc = cw_v4f_zero();
        for (int k = 0; k < c->count; k++) acc = cw_v4f_add(acc, cw_v4f_load(in[k] + i));
        cw_v4f_store(out + i, acc);
    }
    for (; i < end; i++) {
        float acc = 0.0f;
        for (int k = 0; k < c->count; k++) acc += in[k][i];
        out[i] = acc;
    }
}

/* int32: Int32Array `+=` wraps modulo 2^32. */
static void add_n_i32(void *pctx, size_t begin, size_t end) {
    const add_n_ctx *c = pctx;
    const int32_t *const *in = (const int32_t *const *)c->inputs;
    int32_t *out = c->out;
    for (size_t i = begin; i < end; i++) {
        uint32_t acc = 0;
        for (int k = 0; k < c->count; k++) acc += (uint32_t)in[k][i];
        out[i] = acc >= 0x80000000u ? (int32_t)(acc - 0x80000000u) + INT32_MIN : (int32_t)acc;
    }
}

cw_status cw_add_n(cw_dtype dtype, const void *const *inputs, int count, void *out, size_t n) {
    if (dtype != CW_F32 && dtype != CW_I32)
        return cw_error(CW_ERR_INVALID,
                        "AddN: dtype %d is not supported (expected float32 or int32)", (int)dtype);
    if (count < 1) return cw_error(CW_ERR_INVALID, "AddN: needs at least one input, got %d", count);
    if (n == 0) return CW_OK;
    if (inputs == NULL || out == NULL) return cw_error(CW_ERR_INVALID, "AddN: NULL data pointer");
    for (int k = 0; k < count; k++)
        if (inputs[k] == NULL) return cw_error(CW_ERR_INVALID, "AddN: input %d is NULL", k);
    add_n_ctx c = {inputs, count, out};
    cw_parallel_for(n, CW_ADD_N_GRAIN, dtype == CW_F32 ? add_n_f32 : add_n_i32, &c);
    return CW_OK;
}
