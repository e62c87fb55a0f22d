/* Image kernels of TF.js, NHWC: ResizeBilinear, ResizeNearestNeighbor,
 * CropAndResize, FlipLeftRight, Transform.
 *
 * Semantics follow tfjs-backend-cpu: source coordinates are computed in
 * double precision exactly as its loops do (so the same source pixels are
 * picked), the blend itself runs in float32, vectorised over channels.
 * Every entry point is parallel over (batch or box x output rows); each
 * output row is computed by one task, so results do not depend on the thread
 * count. The caller owns all buffers. */
#ifndef CW_KERNELS_IMAGE_IMAGE_H
#define CW_KERNELS_IMAGE_IMAGE_H

#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* Interpolation of CropAndResize and Transform. */
typedef enum { CW_IMAGE_BILINEAR = 0, CW_IMAGE_NEAREST = 1 } cw_image_interp;

/* Fill mode of Transform for points outside the image. */
typedef enum {
    CW_IMAGE_FILL_CONSTANT = 0, /* fill_value */
    CW_IMAGE_FILL_REFLECT = 1,  /* dcba|abcd|dcba */
    CW_IMAGE_FILL_WRAP = 2,     /* abcd|abcd|abcd */
    CW_IMAGE_FILL_NEAREST = 3   /* aaaa|abcd|dddd */
} cw_image_fill;

/* out[b][r][c][:] = bilinear sample of x[b] ([in_h, in_w, channels]) at the
 * source point of output pixel (r, c) for an [out_h, out_w] output, with
 * TF's align_corners / half_pixel_centers coordinate rules. Serial loop:
 * for b, for r: row(b, r). Scratch: about one output's worth of floats. */
cw_status cw_image_resize_bilinear_f32(const float *x, int batch, int in_h, int in_w, int channels,
                                       int out_h, int out_w, int align_corners,
                                       int half_pixel_centers, float *out);

/* out[b][r][c][:] = x[b][src_row(r)][src_col(c)][:], elements of elem_size
 * bytes (any dtype). Serial loop: for b, for r: row(b, r). */
cw_status cw_image_resize_nearest(int elem_size, const void *x, int batch, int in_h, int in_w,
                                  int channels, int out_h, int out_w, int align_corners,
                                  int half_pixel_centers, void *out);

/* out[k] ([crop_h, crop_w, channels]) = the box boxes[k] = (y1, x1, y2, x2),
 * normalised coordinates, of image[box_ind[k]] resampled with `method`;
 * samples outside the image are extrapolation_value. A box_ind >= batch
 * leaves its output zero (as tfjs-backend-cpu); a negative one is an error.
 * Serial loop: for k, for y: row(k, y). */
cw_status cw_image_crop_and_resize_f32(const float *image, int batch, int height, int width,
                                       int channels, const float *boxes, const int32_t *box_ind,
                                       int num_boxes, int crop_h, int crop_w,
                                       cw_image_interp method, float extrapolation_value,
                                       float *out);

/* out[b][r][c][:] = x[b][r][width - 1 - c][:], elements of elem_size bytes.
 * Serial loop: for b, for r: row(b, r). */
cw_status cw_image_flip_left_right(int elem_size, const void *x, int batch, int height, int width,
                                   int channels, void *out);

/* Projective transform: out[b][y][x][:] = image[b] sampled at
 * ((t0 x + t1 y + t2) / p, (t3 x + t4 y + t5) / p), p = t6 x + t7 y + 1, with
 * t = transforms[n_transforms == 1 ? 0 : b] (8 floats each), the point mapped
 * by fill_mode and read with `interpolation`; fill_value outside. dtype
 * CW_F32 (blend in float32) or CW_I32 (computed in double, stored with JS
 * ToInt32 conversion, as tfjs-backend-cpu's Int32Array does). Every batch
 * is transformed. Serial loop: for b, for y: row(b, y). */
cw_status cw_image_transform(cw_dtype dtype, const void *image, int batch, int height, int width,
                             int channels, const float *transforms, int n_transforms,
                             cw_image_interp interpolation, cw_image_fill fill_mode,
                             float fill_value, int out_h, int out_w, void *out);

/* ResizeBilinearGrad: dx [batch, in_h, in_w, channels] (the images' shape)
 * from dy [batch, out_h, out_w, channels]: each dy element is spread over the
 * four source pixels of its sample with the bilinear weights. Without
 * half_pixel_centers this is tfjs-backend-cpu's loop exactly (weights in
 * double, each update of dx rounded to float32 in cpu's order); with it, the
 * derivative of cw_image_resize_bilinear_f32's half-pixel sampling (cpu
 * ignores the flag there). Serial loop: for b, for dx row: row(b, row). */
cw_status cw_image_resize_bilinear_grad_f32(const float *dy, int batch, int in_h, int in_w,
                                            int channels, int out_h, int out_w, int align_corners,
                                            int half_pixel_centers, float *dx);

/* ResizeNearestNeighborGrad: dx[b][y][x][:] = the sum, in double, of the dy
 * elements whose nearest source pixel (as cw_image_resize_nearest picks it,
 * half_pixel_centers included) is (y, x), in row-major dy order. Serial loop:
 * for b, for dx row: row(b, row). */
cw_status cw_image_resize_nearest_grad_f32(const float *dy, int batch, int in_h, int in_w,
                                           int channels, int out_h, int out_w, int align_corners,
                                           int half_pixel_centers, float *dx);

#endif
