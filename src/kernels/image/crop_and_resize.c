#include "kernels/image/image.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

/* Column table entry of one (box, output column): the source columns and
 * weight, or a marker for "outside the image" / "not a number". */
#define COL_OUTSIDE (-1)
#define COL_NAN (-2)

typedef struct {
    int32_t lo, hi;
    float frac;
} crop_col;

typedef struct {
    const float *image, *boxes;
    const int32_t *box_ind;
    float *out;
    int batch, height, width, channels, crop_h, crop_w;
    cw_image_interp method;
    float extrapolation;
    const crop_col *cols; /* [num_boxes, crop_w] */
} crop_ctx;

/* The sample coordinate of output index i along one axis, as the cpu loop. */
static double crop_coord(double a, double b, int len, int crop, int i) {
    if (crop > 1) {
        double scale = (b - a) * (len - 1) / (crop - 1);
        return a * (len - 1) + i * scale;
    }
    return 0.5 * (a + b) * (len - 1);
}

static void crop_rows(void *p, size_t begin, size_t end) {
    const crop_ctx *c = (const crop_ctx *)p;
    size_t ch = (size_t)c->channels, row = (size_t)c->crop_w * ch;
    const float nan = NAN;
    for (size_t t = begin; t < end; t++) {
        size_t k = t / (size_t)c->crop_h;
        int y = (int)(t % (size_t)c->crop_h);
        float *dst = c->out + t * row;
        int32_t bi = c->box_ind[k];
        if (bi >= c->batch) {
            memset(dst, 0, row * sizeof(float));
            continue;
        }
        const float *box = c->boxes + 4 * k;
        double yi = crop_coord(box[0], box[2], c->height, c->crop_h, y);
        if (yi < 0 || yi > c->height - 1) {
            cw_image_fill_f32(dst, row, c->extrapolation);
            continue;
        }
        int row_nan = isnan(yi);
        int top = 0, bot = 0;
        float fy = 0;
        if (!row_nan) {
            double fl = floor(yi);
            top = (int)fl;
            bot = (int)ceil(yi);
            fy = (float)(yi - fl);
            if (c->method == CW_IMAGE_NEAREST) top = (int)cw_image_js_round(yi);
        }
        const float *img = c->image + (size_t)bi * (size_t)c->height * (size_t)c->width * ch;
        const float *rtop = img + (size_t)top * (size_t)c->width * ch;
        const float *rbot = img + (size_t)bot * (size_t)c->width * ch;
        const crop_col *cols = c->cols + k * (size_t)c->crop_w;
        for (int x = 0; x < c->crop_w; x++) {
            float *o = dst + (size_t)x * ch;
            crop_col cc = cols[x];
            if (cc.lo == COL_OUTSIDE) {
                cw_image_fill_f32(o, ch, c->extrapolation);
            } else if (cc.lo == COL_NAN || row_nan) {
                cw_image_fill_f32(o, ch, nan);
            } else if (c->method == CW_IMAGE_NEAREST) {
                memcpy(o, rtop + (size_t)cc.lo * ch, ch * sizeof(float));
            } else {
                cw_image_bilerp_f32(rtop + (size_t)cc.lo * ch, rtop + (size_t)cc.hi * ch,
                                    rbot + (size_t)cc.lo * ch, rbot + (size_t)cc.hi * ch, cc.frac,
                                    fy, ch, o);
            }
        }
    }
}

cw_status cw_image_crop_and_resize_f32(const float *image, int batch, int height, int width,
                                       int channels, const float *boxes, const int32_t *box_ind,
                                       int num_boxes, int crop_h, int crop_w,
                                       cw_image_interp method, float extrapolation_value,
                                       float *out) {
    static const char *op = "CropAndResize";
    size_t n_in = 0, n_out = 0;
    cw_status st = cw_image_check_shape(op, "image", batch, height, width, channels, &n_in);
    if (st != CW_OK) return st;
    if (crop_h < 1 || crop_w < 1) {
        return cw_error(CW_ERR_INVALID, "%s: cropSize must be at least [1, 1], got [%d, %d]", op,
                        crop_h, crop_w);
    }
    st = cw_image_check_shape(op, "output", num_boxes, crop_h, crop_w, channels, &n_out);
    if (st != CW_OK) return st;
    if (method != CW_IMAGE_BILINEAR && method != CW_IMAGE_NEAREST)
        return cw_error(CW_ERR_INVALID, "%s: unknown method %d", op, (int)method);
    for (int k = 0; k < num_boxes; k++) {
        if (box_ind[k] < 0) {
            return cw_error(CW_ERR_INVALID, "%s: boxInd[%d] = %d is negative", op, k,
                            (int)box_ind[k]);
        }
    }
    if (n_out == 0) return CW_OK;

    size_t n_cols = (size_t)num_boxes * (size_t)crop_w;
    crop_col *cols = (crop_col *)cw_alloc(cw_mul_size(n_cols, sizeof(crop_col)));
    if (cols == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    for (int k = 0; k < num_boxes; k++) {
        const float *box = boxes + 4 * (size_t)k;
        for (int x = 0; x < crop_w; x++) {
            crop_col *cc = &cols[(size_t)k * (size_t)crop_w + (size_t)x];
            double xi = crop_coord(box[1], box[3], width, crop_w, x);
            cc->lo = cc->hi = 0;
            cc->frac = 0;
            if (xi < 0 || xi > width - 1) {
                cc->lo = COL_OUTSIDE;
            } else if (isnan(xi)) {
                cc->lo = COL_NAN;
            } else if (method == CW_IMAGE_NEAREST) {
                cc->lo = (int32_t)cw_image_js_round(xi);
            } else {
                double fl = floor(xi);
                cc->lo = (int32_t)fl;
                cc->hi = (int32_t)ceil(xi);
                cc->frac = (float)(xi - fl);
            }
        }
    }
    crop_ctx c = {image, boxes,    box_ind, out,    batch,  height,
                  width, channels, crop_h,  crop_w, method, extrapolation_value,
                  cols};
    cw_parallel_for((size_t)num_boxes * (size_t)crop_h,
                    cw_image_row_grain((size_t)crop_w * (size_t)channels), crop_rows, &c);
    cw_free(cols);
    return CW_OK;
}
