/* Fused activations, as TF.js names them for _FusedMatMul / FusedConv2D. */
#ifndef CW_KERNELS_ACT_ACT_H
#define CW_KERNELS_ACT_ACT_H

#include <stddef.h>

typedef enum {
    CW_ACT_LINEAR = 0,
    CW_ACT_RELU = 1,
    CW_ACT_RELU6 = 2,
    CW_ACT_ELU = 3,
    CW_ACT_LEAKYRELU = 4, /* alpha */
    CW_ACT_PRELU = 5,     /* per-channel weights */
    CW_ACT_SIGMOID = 6
} cw_act;

/* Epilogue applied to a row-major [rows, cols] output block after its sums:
 * y = act(y + bias[col]).  bias / prelu are NULL or have `cols` entries
 * (a length-1 vector is applied to every column when *_len == 1). */
typedef struct {
    const float *bias;
    int bias_len; /* 0, 1 or cols */
    cw_act act;
    float alpha; /* leakyrelu slope */
    const float *prelu;
    int prelu_len; /* 0, 1 or cols */
} cw_epilogue;

/* Applies ep to y[0..n) whose first element is column col0 of the output. */
void cw_act_apply_row(float *y, size_t n, size_t col0, const cw_epilogue *ep);

/* y[i] = act(y[i]) for i in [0, n): the activations that need no channel. */
void cw_act_apply(float *y, size_t n, cw_act act, float alpha);

#endif
