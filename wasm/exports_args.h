/* The argument arrays of the wasm exports. An export whose geometry would
 * take more than a few ints takes it as int32 arrays in wasm memory (the JS
 * side writes them with backend.i32), and a fused epilogue as one array plus
 * alpha; these fill the kernels' argument structs from them. */
#ifndef CWASM_EXPORTS_ARGS_H
#define CWASM_EXPORTS_ARGS_H

#include <stdint.h>

#include "cw.h"

/* Convolution geometry, 2-D and 3-D alike: dims points at 18 ints (batch,
 * in_d, in_h, in_w, in_c, out_d, out_h, out_w, out_c, filter_d, filter_h,
 * filter_w, stride_d, stride_h, stride_w, dilation_d, dilation_h,
 * dilation_w), pads at 3 (front, top, left). 2-D convolutions pass depth 1
 * (in, out, filter, stride, dilation) and pad front 0. dims[8] is the
 * filter's last dimension: out_c, or the channel multiplier of a depthwise
 * convolution (then `last` names the field that takes it). */
#define CWASM_SET_CONV_2D(g, dims, pads, last)                                                     \
    do {                                                                                           \
        (g).batch = (dims)[0], (g).in_h = (dims)[2], (g).in_w = (dims)[3], (g).in_c = (dims)[4];   \
        (g).out_h = (dims)[6], (g).out_w = (dims)[7], (g).last = (dims)[8];                        \
        (g).filter_h = (dims)[10], (g).filter_w = (dims)[11];                                      \
        (g).stride_h = (dims)[13], (g).stride_w = (dims)[14];                                      \
        (g).dilation_h = (dims)[16], (g).dilation_w = (dims)[17];                                  \
        (g).pad_top = (pads)[1], (g).pad_left = (pads)[2];                                         \
    } while (0)

#define CWASM_SET_CONV_3D(g, dims, pads)                                                           \
    do {                                                                                           \
        CWASM_SET_CONV_2D(g, dims, pads, out_c);                                                   \
        (g).in_d = (dims)[1], (g).out_d = (dims)[5], (g).filter_d = (dims)[9];                     \
        (g).stride_d = (dims)[12], (g).dilation_d = (dims)[15], (g).pad_front = (pads)[0];         \
    } while (0)

/* The three shapes of a broadcasting export in one array: the ranks of a,
 * b and out, then a's dims, b's dims and out's dims. */
typedef struct {
    const int32_t *a, *b, *out;
    int a_rank, b_rank, out_rank;
} cwasm_shapes3;

static inline cwasm_shapes3 cwasm_shapes3_of(const int32_t *shapes) {
    cwasm_shapes3 s;
    s.a_rank = shapes[0], s.b_rank = shapes[1], s.out_rank = shapes[2];
    s.a = shapes + 3;
    s.b = s.a + (s.a_rank > 0 ? s.a_rank : 0);
    s.out = s.b + (s.b_rank > 0 ? s.b_rank : 0);
    return s;
}

/* A fused epilogue from ep, 5 ints (bias pointer, bias length, cw_act, prelu
 * pointer, prelu length), and alpha (the leakyrelu slope). */
static inline cw_epilogue cwasm_epilogue(const int32_t *ep, float alpha) {
    cw_epilogue e = {0};
    e.bias = (const float *)(uintptr_t)(uint32_t)ep[0], e.bias_len = ep[1];
    e.act = (cw_act)ep[2], e.alpha = alpha;
    e.prelu = (const float *)(uintptr_t)(uint32_t)ep[3], e.prelu_len = ep[4];
    return e;
}

#endif
