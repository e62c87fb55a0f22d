/* What the math family's files share (gop_math.c holds the table and the
 * element-wise ops, gop_math_reduce.c the reductions, Softmax and TopKV2). */
#ifndef CW_GRAPH_GOP_MATH_IMPL_H
#define CW_GRAPH_GOP_MATH_IMPL_H

#include "graph/ops/gop.h"

const char *cw_gmath_dtype_name(cw_dtype t);
int cw_gmath_reduce_infer(cw_gop_ctx *c);
cw_status cw_gmath_reduce_run(cw_gop_ctx *c);
int cw_gmath_softmax_infer(cw_gop_ctx *c);
cw_status cw_gmath_softmax_run(cw_gop_ctx *c);
size_t cw_gmath_topk_outputs(const cw_node_def *node);
int cw_gmath_topk_infer(cw_gop_ctx *c);
cw_status cw_gmath_topk_run(cw_gop_ctx *c);

#endif
