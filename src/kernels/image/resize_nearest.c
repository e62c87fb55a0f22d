#include "kernels/image/image.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

typedef struct {
    const unsigned char *x;
    unsigned char *out;
    int in_h, in_w, out_h, out_w;
    size_t pixel;        /* bytes of one pixel (channels * elem_size) */
    const int32_t *cols; /* source column of each output column */
    const int32_t *rows; /* source row of each output row */
} nearest_ctx;

/* The source index rule of tfjs-backend-cpu's ResizeNearestNeighbor. */
static int32_t source_index(int i, double ratio, int align, int half_pixel, int in_len) {
    double src = half_pixel ? ratio * (i + 0.5) : ratio * i;
    double v = align ? cw_image_js_round(src) : floor(src);
    if (v > in_len - 1) v = in_len - 1;
    if (v < 0) v = 0; /* the cpu clamps only for half_pixel, where it can matter */
    return (int32_t)v;
}

static void nearest_rows(void *p, size_t begin, size_t end) {
    const nearest_ctx *c = (const nearest_ctx *)p;
    size_t pix = c->pixel, row = (size_t)c->out_w * pix;
    for (size_t t = begin; t < end; t++) {
        size_t b = t / (size_t)c->out_h, r = t % (size_t)c->out_h;
        unsigned char *dst = c->out + t * row;
        if (r > 0 && t > begin && c->rows[r] == c->rows[r - 1]) {
            memcpy(dst, dst - row, row); /* same source row as the row above */
            continue;
        }
        const unsigned char *src =
            c->x + (b * (size_t)c->in_h + (size_t)c->rows[r]) * (size_t)c->in_w * pix;
        if (pix == 4) {
            for (int j = 0; j < c->out_w; j++)
                memcpy(dst + (size_t)j * 4, src + (size_t)c->cols[j] * 4, 4);
        } else {
            for (int j = 0; j < c->out_w; j++)
                memcpy(dst + (size_t)j * pix, src + (size_t)c->cols[j] * pix, pix);
        }
    }
}

cw_status cw_image_resize_nearest(int elem_size, const void *x, int batch, int in_h, int in_w,
                                  int channels, int out_h, int out_w, int align_corners,
                                  int half_pixel_centers, void *out) {
    static const char *op = "ResizeNearestNeighbor";
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
        return cw_error(CW_ERR_INVALID, "%s: element size %d is not 1, 2, 4 or 8", op, elem_size);
    size_t n_out = 0;
    double ratio_h = 0.0, ratio_w = 0.0;
    cw_status st =
        cw_image_resize_plan(op, batch, in_h, in_w, channels, out_h, out_w, align_corners,
                             half_pixel_centers, &n_out, &ratio_h, &ratio_w);
    if (st != CW_OK || n_out == 0) return st;

    int32_t *cols = (int32_t *)cw_alloc(((size_t)out_w + (size_t)out_h) * sizeof(int32_t));
    if (cols == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    int32_t *rows = cols + out_w;
    for (int j = 0; j < out_w; j++)
        cols[j] = source_index(j, ratio_w, align_corners, half_pixel_centers, in_w);
    for (int r = 0; r < out_h; r++)
        rows[r] = source_index(r, ratio_h, align_corners, half_pixel_centers, in_h);

    size_t pixel = (size_t)channels * (size_t)elem_size;
    nearest_ctx c = {(const unsigned char *)x,
                     (unsigned char *)out,
                     in_h,
                     in_w,
                     out_h,
                     out_w,
                     pixel,
                     cols,
                     rows};
    cw_parallel_for((size_t)batch * (size_t)out_h,
                    cw_image_row_grain((size_t)out_w * (size_t)channels), nearest_rows, &c);
    cw_free(cols);
    return CW_OK;
}
