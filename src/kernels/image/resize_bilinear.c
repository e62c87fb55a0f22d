#include "kernels/image/image.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "kernels/image/image_util.h"

/* Separable: each source row the output needs is first interpolated along x
 * once (phase 1), then output rows blend two such rows (phase 2). The
 * arithmetic is the cpu loop's own (top = lerp along x of the floor row,
 * bottom = of the ceil row, out = lerp(top, bottom)), only shared. */

typedef struct {
    const float *x;
    float *out;
    int in_h, in_w, channels, out_h, out_w, n_used;
    const int32_t *col_lo, *col_hi; /* source column of each output column */
    const float *col_frac;
    const int32_t *row_lo, *row_hi; /* slot (in hbuf) of each output row's rows */
    const float *row_frac;
    const int32_t *used; /* source row of each slot */
    float *hbuf;         /* [batch, n_used, out_w * channels] */
} bilinear_ctx;

/* The source coordinate rule of tfjs-backend-cpu's ResizeBilinear. */
static void source_coord(int i, double ratio, int half_pixel, int in_len, int32_t *lo, int32_t *hi,
                         float *frac) {
    double src = half_pixel ? ratio * (i + 0.5) - 0.5 : ratio * i;
    double fl = floor(src);
    if (fl < 0) fl = 0;
    *frac = (float)(src - fl);
    double ce = ceil(src);
    if (ce > in_len - 1) ce = in_len - 1;
    /* Never taken for finite ratios; keeps the indices in range regardless. */
    if (fl > in_len - 1) fl = in_len - 1;
    if (ce < 0) ce = 0;
    *lo = (int32_t)fl;
    *hi = (int32_t)ce;
}

static void horizontal_rows(void *p, size_t begin, size_t end) {
    const bilinear_ctx *c = (const bilinear_ctx *)p;
    size_t ch = (size_t)c->channels, row = (size_t)c->out_w * ch;
    for (size_t t = begin; t < end; t++) {
        size_t b = t / (size_t)c->n_used, s = t % (size_t)c->n_used;
        const float *src =
            c->x + ((b * (size_t)c->in_h + (size_t)c->used[s]) * (size_t)c->in_w) * ch;
        float *dst = c->hbuf + t * row;
        for (int j = 0; j < c->out_w; j++) {
            cw_image_lerp_f32(src + (size_t)c->col_lo[j] * ch, src + (size_t)c->col_hi[j] * ch,
                              c->col_frac[j], ch, dst + (size_t)j * ch);
        }
    }
}

static void vertical_rows(void *p, size_t begin, size_t end) {
    const bilinear_ctx *c = (const bilinear_ctx *)p;
    size_t row = (size_t)c->out_w * (size_t)c->channels;
    for (size_t t = begin; t < end; t++) {
        size_t b = t / (size_t)c->out_h, r = t % (size_t)c->out_h;
        const float *h = c->hbuf + b * (size_t)c->n_used * row;
        cw_image_lerp_f32(h + (size_t)c->row_lo[r] * row, h + (size_t)c->row_hi[r] * row,
                          c->row_frac[r], row, c->out + t * row);
    }
}

cw_status cw_image_resize_bilinear_f32(const float *x, int batch, int in_h, int in_w, int channels,
                                       int out_h, int out_w, int align_corners,
                                       int half_pixel_centers, float *out) {
    static const char *op = "ResizeBilinear";
    size_t n_out = 0;
    double ratio_h = 0.0, ratio_w = 0.0;
    cw_status st =
        cw_image_resize_plan(op, batch, in_h, in_w, channels, out_h, out_w, align_corners,
                             half_pixel_centers, &n_out, &ratio_h, &ratio_w);
    if (st != CW_OK || n_out == 0) return st;

    /* One block: cols (lo, hi, frac), rows (lo, hi, frac), slot map, used. */
    size_t ints = 2 * (size_t)out_w + 2 * (size_t)out_h + 2 * (size_t)in_h;
    size_t floats = (size_t)out_w + (size_t)out_h;
    int32_t *iblk = (int32_t *)cw_alloc((ints + floats) * sizeof(int32_t));
    if (iblk == NULL) return cw_error(CW_ERR_NOMEM, "%s: out of memory", op);
    int32_t *col_lo = iblk, *col_hi = col_lo + out_w, *row_lo = col_hi + out_w;
    int32_t *row_hi = row_lo + out_h, *slot = row_hi + out_h, *used = slot + in_h;
    float *col_frac = (float *)(used + in_h), *row_frac = col_frac + out_w;

    for (int j = 0; j < out_w; j++)
        source_coord(j, ratio_w, half_pixel_centers, in_w, &col_lo[j], &col_hi[j], &col_frac[j]);
    for (int i = 0; i < in_h; i++) slot[i] = -1;
    int n_used = 0;
    for (int r = 0; r < out_h; r++) {
        source_coord(r, ratio_h, half_pixel_centers, in_h, &row_lo[r], &row_hi[r], &row_frac[r]);
        if (slot[row_lo[r]] < 0) slot[row_lo[r]] = 1;
        if (slot[row_hi[r]] < 0) slot[row_hi[r]] = 1;
    }
    for (int i = 0; i < in_h; i++) {
        if (slot[i] > 0) {
            slot[i] = n_used;
            used[n_used++] = i;
        }
    }
    for (int r = 0; r < out_h; r++) {
        row_lo[r] = slot[row_lo[r]];
        row_hi[r] = slot[row_hi[r]];
    }

    size_t row = (size_t)out_w * (size_t)channels;
    size_t hrows = (size_t)batch * (size_t)n_used;
    size_t hbytes = cw_mul_size(cw_mul_size(hrows, row), sizeof(float));
    float *hbuf = hbytes ? (float *)cw_alloc(hbytes) : NULL;
    if (hbuf == NULL) {
        cw_free(iblk);
        return cw_error(CW_ERR_NOMEM, "%s: out of memory for %zu scratch rows", op, hrows);
    }
    bilinear_ctx c = {x,      out,    in_h,     in_w,   channels, out_h,    out_w, n_used,
                      col_lo, col_hi, col_frac, row_lo, row_hi,   row_frac, used,  hbuf};
    cw_parallel_for(hrows, cw_image_row_grain(row), horizontal_rows, &c);
    cw_parallel_for((size_t)batch * (size_t)out_h, cw_image_row_grain(row), vertical_rows, &c);
    cw_free(hbuf);
    cw_free(iblk);
    return CW_OK;
}
