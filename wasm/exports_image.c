/* Image family exports: resize (and its gradients), crop-and-resize, flip, projective
 * transform. */
#include <emscripten.h>

#include "cw.h"

/* The resize exports' dims: 8 ints, batch, in_h, in_w, channels, out_h,
 * out_w, align_corners, half_pixel_centers. */
EMSCRIPTEN_KEEPALIVE int cwasm_resize_bilinear(const int32_t *dims, const float *x, float *out) {
    return cw_image_resize_bilinear_f32(x, dims[0], dims[1], dims[2], dims[3], dims[4], dims[5],
                                        dims[6], dims[7], out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_resize_nearest(int elem_size, const int32_t *dims, const void *x,
                                              void *out) {
    return cw_image_resize_nearest(elem_size, x, dims[0], dims[1], dims[2], dims[3], dims[4],
                                   dims[5], dims[6], dims[7], out);
}

/* ResizeBilinearGrad (bilinear != 0) or ResizeNearestNeighborGrad: dx
 * [batch, in_h, in_w, channels] from dy [batch, out_h, out_w, channels];
 * dims as for the resizes. */
EMSCRIPTEN_KEEPALIVE int cwasm_resize_grad(int bilinear, const int32_t *dims, const float *dy,
                                           float *dx) {
    return bilinear ? cw_image_resize_bilinear_grad_f32(dy, dims[0], dims[1], dims[2], dims[3],
                                                        dims[4], dims[5], dims[6], dims[7], dx)
                    : cw_image_resize_nearest_grad_f32(dy, dims[0], dims[1], dims[2], dims[3],
                                                       dims[4], dims[5], dims[6], dims[7], dx);
}

/* dims: 8 ints, batch, height, width, channels, num_boxes, crop_h, crop_w,
 * method (a cw_image_interp). */
EMSCRIPTEN_KEEPALIVE int cwasm_crop_and_resize(const int32_t *dims, const float *image,
                                               const float *boxes, const int32_t *box_ind,
                                               float extrapolation_value, float *out) {
    return cw_image_crop_and_resize_f32(image, dims[0], dims[1], dims[2], dims[3], boxes, box_ind,
                                        dims[4], dims[5], dims[6], (cw_image_interp)dims[7],
                                        extrapolation_value, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_flip_left_right(int elem_size, const void *x, int batch, int height,
                                               int width, int channels, void *out) {
    return cw_image_flip_left_right(elem_size, x, batch, height, width, channels, out);
}

/* dims: 9 ints, batch, height, width, channels, n_transforms, interpolation
 * (a cw_image_interp), fill_mode (a cw_image_fill), out_h, out_w. */
EMSCRIPTEN_KEEPALIVE int cwasm_transform(int dtype, const int32_t *dims, const void *image,
                                         const float *transforms, float fill_value, void *out) {
    return cw_image_transform((cw_dtype)dtype, image, dims[0], dims[1], dims[2], dims[3],
                              transforms, dims[4], (cw_image_interp)dims[5], (cw_image_fill)dims[6],
                              fill_value, dims[7], dims[8], out);
}
