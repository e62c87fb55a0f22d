/* What the nn family's files share (nn*.c): window geometry, the fused_ops
 * epilogue, constant-weight packing and the ops the table in nn.c lists. */
#ifndef CW_GRAPH_OPS_NN_IMPL_H
#define CW_GRAPH_OPS_NN_IMPL_H

#include "graph/ops/gop.h"
#include "kernels/act/act.h"

int cw_op_nn_nhwc(cw_gop_ctx *c);
int cw_op_nn_hw(cw_gop_ctx *c, const char *name, int required, int hw[2]);
int cw_op_nn_window(cw_gop_ctx *c, const int32_t in[2], const int k[2], const int s[2],
                    const int d[2], int allow_explicit, int32_t out[2], int pad[2]);
int cw_op_nn_fused(cw_gop_ctx *c, int fused, int channels, cw_epilogue *ep, int extra[2],
                   int *tanh);
void cw_op_nn_fused_bind(const cw_gop_ctx *c, cw_epilogue *ep, const int extra[2]);
cw_status cw_op_nn_fused_finish(cw_gop_ctx *c, int tanh);
float *cw_op_nn_pack(cw_gop_ctx *c, size_t i, int K, int N, int transpose);
int cw_op_nn_conv_infer(cw_gop_ctx *c);
cw_status cw_op_nn_conv_run(cw_gop_ctx *c);
int cw_op_nn_depthwise_infer(cw_gop_ctx *c);
cw_status cw_op_nn_depthwise_run(cw_gop_ctx *c);
int cw_op_nn_matmul_infer(cw_gop_ctx *c);
cw_status cw_op_nn_matmul_run(cw_gop_ctx *c);
int cw_op_nn_batch_norm_infer(cw_gop_ctx *c);
cw_status cw_op_nn_batch_norm_run(cw_gop_ctx *c);
int cw_op_nn_pool_infer(cw_gop_ctx *c);
cw_status cw_op_nn_pool_run(cw_gop_ctx *c);

#endif
