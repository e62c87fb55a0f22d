/* Image family exports: resize (and its gradients), crop-and-resize, flip, projective
 * transform. */
#include <emscripten.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE int cwasm_resize_bilinear(const float *x, int batch, int in_h, int in_w,
                                               int channels, int out_h, int out_w,
                                               int align_corners, int half_pixel_centers,
                                               float *out) {
    return cw_image_resize_bilinear_f32(x, batch, in_h, in_w, channels, out_h, out_w, align_corners,
                                        half_pixel_centers, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_resize_nearest(int elem_size, const void *x, int batch, int in_h,
                                              int in_w, int channels, int out_h, int out_w,
                                              int align_corners, int half_pixel_centers,
                                              void *out) {
    return cw_image_resize_nearest(elem_size, x, batch, in_h, in_w, channels, out_h, out_w,
                                   align_corners, half_pixel_centers, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_crop_and_resize(const float *image, int batch, int height, int width,
                                               int channels, const float *boxes,
                                               const int32_t *box_ind, int num_boxes, int crop_h,
                                               int crop_w, int method, float extrapolation_value,
                                               float *out) {
    return cw_image_crop_and_resize_f32(image, batch, height, width, channels, boxes, box_ind,
                                        num_boxes, crop_h, crop_w, (cw_image_interp)method,
                                        extrapolation_value, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_flip_left_right(int elem_size, const void *x, int batch, int height,
                                               int width, int channels, void *out) {
    return cw_image_flip_left_right(elem_size, x, batch, height, width, channels, out);
}

EMSCRIPTEN_KEEPALIVE int cwasm_transform(int dtype, const void *image, int batch, int height,
                                         int width, int channels, const float *transforms,
                                         int n_transforms, int interpolation, int fill_mode,
                                         float fill_value, int out_h, int out_w, void *out) {
    return cw_image_transform((cw_dtype)dtype, image, batch, height, width, channels, transforms,
                              n_transforms, (cw_image_interp)interpolation,
                              (cw_image_fill)fill_mode, fill_value, out_h, out_w, out);
}

/* ResizeBilinearGrad (bilinear != 0) or ResizeNearestNeighborGrad: dx
 * [batch, in_h, in_w, channels] from dy [batch, out_h, out_w, channels]. */
EMSCRIPTEN_KEEPALIVE int cwasm_resize_grad(int bilinear, const float *dy, int batch, int in_h,
                                           int in_w, int channels, int out_h, int out_w,
                                           int align_corners, int half_pixel_centers, float *dx) {
    return bilinear
               ? cw_image_resize_bilinear_grad_f32(dy, batch, in_h, in_w, channels, out_h, out_w,
                                                   align_corners, half_pixel_centers, dx)
               : cw_image_resize_nearest_grad_f32(dy, batch, in_h, in_w, channels, out_h, out_w,
                                                  align_corners, half_pixel_centers, dx);
}
