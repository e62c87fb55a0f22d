/* Graph ops of the shape family that make new tensors: ResizeBilinear,
 * ResizeNearestNeighbor, SparseToDense, Fill, ZerosLike, OnesLike, Shape. */
#include <string.h>

#include "graph/ops/shape_impl.h"
#include "kernels/image/image.h"
#include "kernels/layout/layout.h"

/* ---- ResizeBilinear / ResizeNearestNeighbor(images NHWC, size [h, w]) ---- */

typedef struct {
    int out_h, out_w, align_corners, half_pixel_centers;
} resize_params;

static int resize_infer(cw_gop_ctx *c, int bilinear) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    if (x->rank != 4) return cw_gop_fail(c, "the images must have rank 4 (NHWC), not %d", x->rank);
    if (bilinear && x->dtype != CW_F32) return cw_gop_fail(c, "the images must be float32");
    int64_t size[2];
    int n = cw_op_shape_ints(c, 1, size, 2);
    if (n < 0) return -1;
    if (n != 2 || size[0] < 0 || size[1] < 0 || size[0] > INT32_MAX || size[1] > INT32_MAX)
        return cw_gop_fail(c, "the size (input 1) must be two non-negative integers");
    resize_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->out_h = (int)size[0], p->out_w = (int)size[1];
    p->align_corners = cw_gop_attr_bool(c, "align_corners", 0);
    p->half_pixel_centers = cw_gop_attr_bool(c, "half_pixel_centers", 0);
    if (p->align_corners && p->half_pixel_centers)
        return cw_gop_fail(c, "align_corners and half_pixel_centers cannot both be true");
    int32_t shape[4] = {x->shape[0], p->out_h, p->out_w, x->shape[3]};
    if (cw_gvalue_set(c, c->out[0], x->dtype, 4, shape) < 0) return -1;
    if (c->out[0]->size > 0 && (x->shape[1] == 0 || x->shape[2] == 0))
        return cw_gop_fail(c, "cannot resize an empty %dx%d image", (int)x->shape[1],
                           (int)x->shape[2]);
    c->params = p;
    return 0;
}

int cw_op_shape_resize_bilinear_infer(cw_gop_ctx *c) { return resize_infer(c, 1); }
int cw_op_shape_resize_nearest_infer(cw_gop_ctx *c) { return resize_infer(c, 0); }

cw_status cw_op_shape_resize_bilinear_run(cw_gop_ctx *c) {
    const resize_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_image_resize_bilinear_f32(x->data, x->shape[0], x->shape[1], x->shape[2], x->shape[3],
                                        p->out_h, p->out_w, p->align_corners, p->half_pixel_centers,
                                        c->out[0]->data);
}

cw_status cw_op_shape_resize_nearest_run(cw_gop_ctx *c) {
    const resize_params *p = c->params;
    const cw_gvalue *x = c->in[0];
    return cw_image_resize_nearest(cw_op_shape_elem(x), x->data, x->shape[0], x->shape[1],
                                   x->shape[2], x->shape[3], p->out_h, p->out_w, p->align_corners,
                                   p->half_pixel_centers, c->out[0]->data);
}

/* ---- SparseToDense(indices, output_shape, values, default_value) ---- */

typedef struct {
    int n, ndims;      /* indices: n rows of ndims coordinates */
    int values_scalar; /* one value for every index */
} sparse_params;

int cw_op_shape_sparse_to_dense_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 4, 4) < 0) return -1;
    const cw_gvalue *idx = c->in[0], *val = c->in[2], *dflt = c->in[3];
    if (idx->dtype != CW_I32) return cw_gop_fail(c, "the indices (input 0) must be int32");
    if (idx->rank > 2)
        return cw_gop_fail(c, "the indices (input 0) have rank %d (at most 2)", idx->rank);
    int n = idx->rank > 0 ? idx->shape[0] : 1, ndims = idx->rank > 1 ? idx->shape[1] : 1;
    int64_t want[CW_MAX_RANK];
    int rank = cw_op_shape_ints(c, 1, want, CW_MAX_RANK);
    if (rank < 0) return -1;
    if (rank != ndims)
        return cw_gop_fail(c, "output_shape has %d values, the indices %d coordinates", rank,
                           ndims);
    int32_t shape[CW_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        if (want[d] < 0 || want[d] > INT32_MAX)
            return cw_gop_fail(c, "output_shape[%d] is %lld", d, (long long)want[d]);
        shape[d] = (int32_t)want[d];
    }
    if (val->rank > 1 || (val->rank == 1 && val->shape[0] != n))
        return cw_gop_fail(c, "the values (input 2) must be a scalar or hold %d values", n);
    if (dflt->size != 1 || dflt->dtype != val->dtype)
        return cw_gop_fail(c, "the default value (input 3) must be one value of the values' dtype");
    sparse_params *p = cw_gop_alloc(c, sizeof *p);
    if (!p) return cw_gop_fail(c, "out of memory");
    p->n = n, p->ndims = ndims, p->values_scalar = val->rank == 0;
    c->params = p;
    return cw_gvalue_set(c, c->out[0], val->dtype, rank, shape);
}

cw_status cw_op_shape_sparse_to_dense_run(cw_gop_ctx *c) {
    const sparse_params *p = c->params;
    const cw_gvalue *y = c->out[0];
    const int32_t *idx = c->in[0]->data;
    const unsigned char *val = c->in[2]->data;
    unsigned char *out = y->data;
    size_t es = cw_dtype_size(y->dtype);
    cw_status st = cw_fill((int)es, c->in[3]->data, y->size, out);
    if (st != CW_OK) return st;
    for (int i = 0; i < p->n; i++) {
        size_t flat = 0;
        for (int k = 0; k < p->ndims; k++) {
            int32_t j = idx[(size_t)i * (size_t)p->ndims + (size_t)k];
            if (j < 0 || j >= y->shape[k])
                return cw_error(CW_ERR_INVALID,
                                "SparseToDense (%s): index %d of row %d is outside [0, %d)",
                                c->node->name, (int)j, i, (int)y->shape[k]);
            flat = flat * (size_t)y->shape[k] + (size_t)j;
        }
        memcpy(out + flat * es, val + (p->values_scalar ? 0 : (size_t)i * es), es);
    }
    return CW_OK;
}

/* ---- Fill(dims, value), ZerosLike(x), OnesLike(x), Shape(x) ---- */

int cw_op_shape_fill_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 2, 2) < 0) return -1;
    int64_t dims[CW_MAX_RANK];
    int rank = cw_op_shape_ints(c, 0, dims, CW_MAX_RANK);
    if (rank < 0) return -1;
    int32_t shape[CW_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        if (dims[d] < 0 || dims[d] > INT32_MAX)
            return cw_gop_fail(c, "dimension %d of dims is %lld", d, (long long)dims[d]);
        shape[d] = (int32_t)dims[d];
    }
    if (c->in[1]->size != 1) return cw_gop_fail(c, "the value (input 1) must be a scalar");
    return cw_gvalue_set(c, c->out[0], c->in[1]->dtype, rank, shape);
}

cw_status cw_op_shape_fill_run(cw_gop_ctx *c) {
    const cw_gvalue *y = c->out[0];
    return cw_fill(cw_op_shape_elem(y), c->in[1]->data, y->size, y->data);
}

static int like_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    const cw_gvalue *x = c->in[0];
    return cw_gvalue_set(c, c->out[0], x->dtype, x->rank, x->shape);
}

static cw_status like_run(cw_gop_ctx *c, int one) {
    const cw_gvalue *y = c->out[0];
    float f = (float)one;
    int32_t i = one;
    unsigned char b = (unsigned char)one;
    const void *v = y->dtype == CW_F32   ? (const void *)&f
                    : y->dtype == CW_I32 ? (const void *)&i
                                         : &b;
    return cw_fill(cw_op_shape_elem(y), v, y->size, y->data);
}

int cw_op_shape_zeros_like_infer(cw_gop_ctx *c) { return like_infer(c); }
int cw_op_shape_ones_like_infer(cw_gop_ctx *c) { return like_infer(c); }
cw_status cw_op_shape_zeros_like_run(cw_gop_ctx *c) { return like_run(c, 0); }
cw_status cw_op_shape_ones_like_run(cw_gop_ctx *c) { return like_run(c, 1); }

/* The output is known from infer on (the input's shape); run writes it. */
int cw_op_shape_shape_infer(cw_gop_ctx *c) {
    if (cw_gop_inputs(c, 1, 1) < 0) return -1;
    int32_t rank = c->in[0]->rank;
    return cw_gvalue_set(c, c->out[0], CW_I32, 1, &rank);
}

cw_status cw_op_shape_shape_run(cw_gop_ctx *c) {
    const cw_gvalue *x = c->in[0];
    if (x->rank > 0) memcpy(c->out[0]->data, x->shape, (size_t)x->rank * sizeof(int32_t));
    return CW_OK;
}
