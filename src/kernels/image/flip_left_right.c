#include "kernels/image/image.h"

#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

typedef struct {
    const unsigned char *x;
    unsigned char *out;
    int width;
    size_t pixel; /* bytes of one pixel */
} flip_ctx;

static void flip_rows(void *p, size_t begin, size_t end) {
    const flip_ctx *c = (const flip_ctx *)p;
    size_t pix = c->pixel, row = (size_t)c->width * pix;
    for (size_t t = begin; t < end; t++) {
        const unsigned char *src = c->x + t * row;
        unsigned char *dst = c->out + t * row;
        if (pix == 4) {
            for (int j = 0; j < c->width; j++)
                memcpy(dst + (size_t)j * 4, src + (size_t)(c->width - 1 - j) * 4, 4);
        } else {
            for (int j = 0; j < c->width; j++)
                memcpy(dst + (size_t)j * pix, src + (size_t)(c->width - 1 - j) * pix, pix);
        }
    }
}

cw_status cw_image_flip_left_right(int elem_size, const void *x, int batch, int height, int width,
                                   int channels, void *out) {
    static const char *op = "FlipLeftRight";
    size_t n = 0;
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
        return cw_error(CW_ERR_INVALID, "%s: element size %d is not 1, 2, 4 or 8", op, elem_size);
    cw_status st = cw_image_check_shape(op, "image", batch, height, width, channels, &n);
    if (st != CW_OK) return st;
    if (n == 0) return CW_OK;
    if (x == out) return cw_error(CW_ERR_INVALID, "%s: cannot flip in place", op);
    flip_ctx c = {(const unsigned char *)x, (unsigned char *)out, width,
                  (size_t)channels * (size_t)elem_size};
    cw_parallel_for((size_t)batch * (size_t)height,
                    cw_image_row_grain((size_t)width * (size_t)channels), flip_rows, &c);
    return CW_OK;
}
