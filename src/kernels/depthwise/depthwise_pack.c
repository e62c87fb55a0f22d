/* cw_dw_pack: the filter and bias of one call laid out per 4-lane block, so
 * the vector loops read one contiguous vector per tap at constant offsets. */
#include <string.h>

#include "kernels/depthwise/depthwise_ukernel.h"

static size_t blocks_of(const cw_depthwise_args *g) {
    const size_t C = (size_t)g->in_c;
    return g->multiplier == 1 ? C / CW_VEC_LANES
                              : (C + CW_VEC_LANES - 1) / CW_VEC_LANES * (size_t)g->multiplier;
}

size_t cw_dw_packed_floats(const cw_depthwise_args *g) {
    const size_t T = (size_t)g->filter_h * (size_t)g->filter_w;
    return blocks_of(g) * (T + 1) * CW_VEC_LANES;
}

void cw_dw_pack(const cw_dw_plan *p, float *packed) {
    const cw_depthwise_args *g = p->g;
    const size_t T = (size_t)g->filter_h * (size_t)g->filter_w;
    const int C = p->C, M = p->M;
    const int nc = M == 1 ? C / CW_VEC_LANES : (C + CW_VEC_LANES - 1) / CW_VEC_LANES;
    float *w = packed;
    /* M = 1: [cb][t][lane]; M > 1: [cb][t][m][lane]; t == T holds the bias */
    for (int cb = 0; cb < nc; cb++) {
        for (size_t t = 0; t <= T; t++) {
            for (int m = 0; m < M; m++, w += CW_VEC_LANES) {
                for (int l = 0; l < CW_VEC_LANES; l++) {
                    const int c = cb * CW_VEC_LANES + l, oc = c * M + m;
                    float v = 0.0f;
                    if (c < C && t < T)
                        v = g->filter[(t * (size_t)C + (size_t)c) * (size_t)M + (size_t)m];
                    else if (c < C && p->bias)
                        v = p->bias[p->bias_len == 1 ? 0 : oc];
                    w[l] = v;
                }
            }
        }
    }
}
