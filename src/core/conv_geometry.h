/* The geometry of a convolution, checked the same way by every convolution
 * kernel: Conv2D, Conv3D, their input and filter gradients, and the
 * depthwise convolution and its gradients. */
#ifndef CW_CORE_CONV_GEOMETRY_H
#define CW_CORE_CONV_GEOMETRY_H

#include "core/status.h"

typedef struct {
    int rank; /* spatial dimensions messages name: 2 (height, width) or 3 */
    int batch;
    int in[3], in_c;   /* the convolution's input (x, or dx for an input gradient) */
    int out[3], out_c; /* its output (y, or dy for a gradient) */
    int filter[3];     /* depth, height, width; a 2-D convolution has depth 1 */
    int filter_c[2];   /* the filter's last two dimensions (>= 0): in_c x out_c,
                          or in_c x multiplier for a depthwise filter */
    int stride[3], dilation[3];
    int pad[3];                     /* front, top, left; the far sides follow from out */
    const char *in_name, *out_name; /* "input" / "output", "dx" / "dy"... for messages */
} cw_conv_geometry;

/* CW_OK, or CW_ERR_INVALID with a message starting "<op>: " naming the first
 * problem: a negative size, a filter dimension below 1, a stride or dilation
 * below 1, a negative padding, or an input, output or filter whose size in
 * bytes overflows size_t (empty tensors never overflow). The output size is
 * the caller's: the far-side padding is implied by it, so any output size is
 * consistent with the input. Window positions (out - 1) * stride +
 * (filter - 1) * dilation always fit in int64_t. */
cw_status cw_conv_geometry_check(const cw_conv_geometry *g, const char *op);

/* A 2-D geometry (depth 1, stride and dilation 1, no padding in depth). */
static inline cw_conv_geometry cw_conv_geometry_2d(int batch, int in_h, int in_w, int in_c,
                                                   int out_h, int out_w, int out_c, int filter_h,
                                                   int filter_w, int stride_h, int stride_w,
                                                   int dilation_h, int dilation_w, int pad_top,
                                                   int pad_left) {
    cw_conv_geometry g = {
        .rank = 2,
        .batch = batch,
        .in = {1, in_h, in_w},
        .in_c = in_c,
        .out = {1, out_h, out_w},
        .out_c = out_c,
        .filter = {1, filter_h, filter_w},
        .filter_c = {in_c, out_c},
        .stride = {1, stride_h, stride_w},
        .dilation = {1, dilation_h, dilation_w},
        .pad = {0, pad_top, pad_left},
        .in_name = "input",
        .out_name = "output",
    };
    return g;
}

/* The geometry of an argument struct `a` with the field names the 2-D
 * convolution structs share (batch, in_h, in_w, in_c, out_h, out_w,
 * filter_h, filter_w, stride_h ... pad_left), with out_c output channels. */
#define CW_CONV_GEOMETRY_2D(a, out_c)                                                              \
    cw_conv_geometry_2d((a)->batch, (a)->in_h, (a)->in_w, (a)->in_c, (a)->out_h, (a)->out_w,       \
                        (out_c), (a)->filter_h, (a)->filter_w, (a)->stride_h, (a)->stride_w,       \
                        (a)->dilation_h, (a)->dilation_w, (a)->pad_top, (a)->pad_left)

/* The same for the 3-D structs' field names (batch, in_d ... out_c, filter_d
 * ... pad_left), `rank` 2 or 3 for messages, the tensors named in / out. */
#define CW_CONV_GEOMETRY_3D(a, rank_, in_, out_)                                                   \
    ((cw_conv_geometry){.rank = (rank_),                                                           \
                        .batch = (a)->batch,                                                       \
                        .in = {(a)->in_d, (a)->in_h, (a)->in_w},                                   \
                        .in_c = (a)->in_c,                                                         \
                        .out = {(a)->out_d, (a)->out_h, (a)->out_w},                               \
                        .out_c = (a)->out_c,                                                       \
                        .filter = {(a)->filter_d, (a)->filter_h, (a)->filter_w},                   \
                        .filter_c = {(a)->in_c, (a)->out_c},                                       \
                        .stride = {(a)->stride_d, (a)->stride_h, (a)->stride_w},                   \
                        .dilation = {(a)->dilation_d, (a)->dilation_h, (a)->dilation_w},           \
                        .pad = {(a)->pad_front, (a)->pad_top, (a)->pad_left},                      \
                        .in_name = (in_),                                                          \
                        .out_name = (out_)})

#endif
