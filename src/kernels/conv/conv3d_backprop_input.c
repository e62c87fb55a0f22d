/* cw_conv3d_backprop_input_f32: dx of Conv3D as GEMM tiles and a col2im.
 *
 * For a tile of TILE output pixels of one image, cols[p][(kd, ky, kx, ic)] =
 * sum over oc of dy[p][oc] * filter[kd][ky][kx][ic][oc] is one GEMM
 * [TILE, out_c] x [out_c, taps * in_c] (the filter packed once, transposed);
 * each column is then added into the dx pixel that tap reads. Images, tiles,
 * pixels and taps go in order, so every dx element receives its terms in a
 * fixed order; the GEMM inside is parallel over its own tiles (each column's
 * dot product in fixed order), so results do not depend on the thread
 * count. Scratch: the packed filter and one TILE x taps * in_c tile. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/conv_geometry.h"
#include "kernels/conv/conv.h"
#include "kernels/gemm/gemm.h"

#define OP "Conv3DBackpropInputV2"
#define TILE 256

static cw_status check_args(const cw_conv3d_backprop_input_args *g) {
    const cw_conv_geometry geo = CW_CONV_GEOMETRY_3D(g, 3, "dx", "dy");
    cw_status s = cw_conv_geometry_check(&geo, OP);
    if (s != CW_OK) return s;
    /* sizes go through cw_matmul_f32's int arguments; scratch holds a tile */
    const size_t products[][5] = {
        {(size_t)g->batch, (size_t)g->in_d, (size_t)g->in_h, (size_t)g->in_w, (size_t)g->in_c},
        {(size_t)g->batch, (size_t)g->out_d, (size_t)g->out_h, (size_t)g->out_w, (size_t)g->out_c},
        {(size_t)g->filter_d, (size_t)g->filter_h, (size_t)g->filter_w, (size_t)g->in_c,
         (size_t)g->out_c + 8},
        {(size_t)g->filter_d, (size_t)g->filter_h, (size_t)g->filter_w, (size_t)g->in_c, TILE},
    };
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++) {
        size_t n = sizeof(float);
        for (int j = 0; j < 5 && n; j++)
            if (products[i][j]) n = cw_mul_size(n, products[i][j]);
        if (!n || n > (size_t)INT32_MAX * sizeof(float))
            return cw_error(CW_ERR_INVALID, OP ": sizes overflow the int range of the GEMM");
    }
    return CW_OK;
}

cw_status cw_conv3d_backprop_input_f32(const cw_conv3d_backprop_input_args *g) {
    if (!g) return cw_error(CW_ERR_INVALID, OP ": args is NULL");
    cw_status s = check_args(g);
    if (s != CW_OK) return s;
    const size_t IC = (size_t)g->in_c, OC = (size_t)g->out_c;
    const size_t dx_n = (size_t)g->batch * (size_t)g->in_d * (size_t)g->in_h * (size_t)g->in_w * IC;
    if (dx_n == 0) return CW_OK;
    if (!g->dx) return cw_error(CW_ERR_INVALID, OP ": dx is NULL");
    memset(g->dx, 0, dx_n * sizeof(float));
    const size_t pixels = (size_t)g->out_d * (size_t)g->out_h * (size_t)g->out_w;
    if (pixels == 0 || OC == 0) return CW_OK;
    if (!g->dy || !g->filter) return cw_error(CW_ERR_INVALID, OP ": dy or filter is NULL");

    const size_t taps = (size_t)g->filter_d * (size_t)g->filter_h * (size_t)g->filter_w;
    const size_t K = taps * IC; /* columns of a tile */
    float *packed = cw_alloc(cw_gemm_packed_b_floats((int)OC, (int)K) * sizeof(float));
    float *cols = cw_alloc(TILE * K * sizeof(float));
    if (!packed || !cols) {
        s = cw_error(CW_ERR_NOMEM, OP ": out of memory");
        goto end;
    }
    /* B[oc][k] = filter[k][oc]: the filter read as [K, OC], transposed */
    cw_gemm_pack_b((int)OC, (int)K, g->filter, 1, packed);
    const size_t in_plane = (size_t)g->in_h * (size_t)g->in_w;
    for (size_t b = 0; b < (size_t)g->batch && s == CW_OK; b++) {
        float *dxb = g->dx + b * (size_t)g->in_d * in_plane * IC;
        for (size_t p0 = 0; p0 < pixels; p0 += TILE) {
            const size_t np = pixels - p0 < TILE ? pixels - p0 : TILE;
            cw_matmul_args mm;
            memset(&mm, 0, sizeof mm);
            mm.batch = 1, mm.M = (int)np, mm.N = (int)K, mm.K = (int)OC;
            mm.A = g->dy + (b * pixels + p0) * OC;
            mm.packed_b = packed;
            mm.C = cols;
            s = cw_matmul_f32(&mm);
            if (s != CW_OK) break;
            for (size_t i = 0; i < np; i++) {
                const size_t p = p0 + i;
                const int64_t ox = (int64_t)(p % (size_t)g->out_w);
                const int64_t oy = (int64_t)(p / (size_t)g->out_w % (size_t)g->out_h);
                const int64_t od = (int64_t)(p / (size_t)g->out_w / (size_t)g->out_h);
                const float *row = cols + i * K;
                size_t t = 0;
                for (int64_t kd = 0; kd < g->filter_d; kd++) {
                    const int64_t iz = od * g->stride_d - g->pad_front + kd * g->dilation_d;
                    for (int64_t ky = 0; ky < g->filter_h; ky++) {
                        const int64_t iy = oy * g->stride_h - g->pad_top + ky * g->dilation_h;
                        for (int64_t kx = 0; kx < g->filter_w; kx++, t++) {
                            const int64_t ix = ox * g->stride_w - g->pad_left + kx * g->dilation_w;
                            if (iz < 0 || iz >= g->in_d || iy < 0 || iy >= g->in_h || ix < 0 ||
                                ix >= g->in_w)
                                continue;
                            float *d = dxb + ((size_t)iz * in_plane + (size_t)iy * (size_t)g->in_w +
                                              (size_t)ix) *
                                                 IC;
                            const float *c = row + t * IC;
                            for (size_t ic = 0; ic < IC; ic++) d[ic] += c[ic];
                        }
                    }
                }
            }
        }
    }
end:
    cw_free(packed);
    cw_free(cols);
    return s;
}
