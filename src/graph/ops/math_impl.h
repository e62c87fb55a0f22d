/* What the math family's files share (math.c holds the table and the
 * element-wise ops, math_reduce.c the reductions, Softmax and TopKV2). */
#ifndef CW_GRAPH_OPS_MATH_IMPL_H
#define CW_GRAPH_OPS_MATH_IMPL_H

#include "graph/ops/gop.h"

const char *cw_op_math_dtype_name(cw_dtype t);
int cw_op_math_reduce_infer(cw_gop_ctx *c);
cw_status cw_op_math_reduce_run(cw_gop_ctx *c);
int cw_op_math_softmax_infer(cw_gop_ctx *c);
cw_status cw_op_math_softmax_run(cw_gop_ctx *c);
size_t cw_op_math_topk_outputs(const cw_node_def *node);
int cw_op_math_topk_infer(cw_gop_ctx *c);
cw_status cw_op_math_topk_run(cw_gop_ctx *c);

#endif
