#include "kernels/act/act.h"

#include "kernels/act/exp_v4f.h"
#include "simd/vec.h"

/* y[i] = VEXPR(v) in place, 4 lanes at a time; the tail runs through the same
 * vector code on a padded copy, so a row's bits do not depend on where it
 * starts or ends. */
#define ACT_MAP_V4F(VEXPR)                                                                         \
    do {                                                                                           \
        for (; i + CW_VEC_LANES <= n; i += CW_VEC_LANES) {                                         \
            cw_v4f v = cw_v4f_load(y + i);                                                         \
            cw_v4f_store(y + i, (VEXPR));                                                          \
        }                                                                                          \
        if (i < n) {                                                                               \
            float buf[CW_VEC_LANES] = {0};                                                         \
            for (size_t k = i; k < n; k++) buf[k - i] = y[k];                                      \
            cw_v4f v = cw_v4f_load(buf);                                                           \
            cw_v4f_store(buf, (VEXPR));                                                            \
            for (size_t k = i; k < n; k++) y[k] = buf[k - i];                                      \
        }                                                                                          \
    } while (0)

void cw_act_apply(float *y, size_t n, cw_act act, float alpha) {
    size_t i = 0;
    switch (act) {
    case CW_ACT_LINEAR:
    case CW_ACT_PRELU:
        return;
    case CW_ACT_RELU: {
        cw_v4f z = cw_v4f_zero();
        /* max(z, y) returns y when y is NaN: NaN stays NaN, as in TF.js. */
        for (; i + 4 <= n; i += 4) cw_v4f_store(y + i, cw_v4f_max(z, cw_v4f_load(y + i)));
        for (; i < n; i++) y[i] = y[i] < 0.0f ? 0.0f : y[i];
        return;
    }
    case CW_ACT_RELU6: {
        cw_v4f z = cw_v4f_zero(), six = cw_v4f_splat(6.0f);
        for (; i + 4 <= n; i += 4)
            cw_v4f_store(y + i, cw_v4f_min(six, cw_v4f_max(z, cw_v4f_load(y + i))));
        for (; i < n; i++) y[i] = y[i] < 0.0f ? 0.0f : (y[i] > 6.0f ? 6.0f : y[i]);
        return;
    }
    case CW_ACT_ELU: {
        cw_v4f z = cw_v4f_zero();
        ACT_MAP_V4F(cw_v4f_select(cw_v4f_ge(v, z), v, cw_v4f_expm1_neg(v)));
        return;
    }
    case CW_ACT_LEAKYRELU:
        for (; i < n; i++) y[i] = y[i] < 0.0f ? alpha * y[i] : y[i];
        return;
    case CW_ACT_SIGMOID:
        ACT_MAP_V4F(cw_v4f_sigmoid(v));
        return;
    }
}

void cw_act_apply_row(float *y, size_t n, size_t col0, const cw_epilogue *ep) {
    if (ep->bias_len == 1) {
        for (size_t i = 0; i < n; i++) y[i] += ep->bias[0];
    } else if (ep->bias_len > 1) {
        for (size_t i = 0; i < n; i++) y[i] += ep->bias[col0 + i];
    }
    if (ep->act == CW_ACT_PRELU) {
        for (size_t i = 0; i < n; i++) {
            float w = ep->prelu_len == 1 ? ep->prelu[0] : ep->prelu[col0 + i];
            if (y[i] < 0.0f) y[i] *= w;
        }
        return;
    }
    cw_act_apply(y, n, ep->act, ep->alpha);
}
