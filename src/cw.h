/* cwasm: the public C API.
 *
 * Kernels take raw pointers to row-major (NHWC) data, shapes and plain
 * parameters. They never allocate tensors and never call out; scratch memory
 * is taken and returned within the call. Entry points return cw_status; on
 * failure cw_error_message() says what was wrong. */
#ifndef CW_H
#define CW_H

#include "core/dtype.h"
#include "core/parallel.h"
#include "core/shape.h"
#include "core/status.h"
#include "kernels/act/act.h"
#include "kernels/binary/binary.h"
#include "kernels/complex/complex.h"
#include "kernels/conv/conv.h"
#include "kernels/depthwise/depthwise.h"
#include "kernels/gemm/gemm.h"
#include "kernels/image/image.h"
#include "kernels/layout/layout.h"
#include "kernels/misc/misc.h"
#include "kernels/morph/morph.h"
#include "kernels/norm/norm.h"
#include "kernels/pool/pool.h"
#include "kernels/reduce/reduce.h"
#include "kernels/scan/scan.h"
#include "kernels/scatter/scatter.h"
#include "kernels/sort/sort.h"
#include "kernels/unary/unary.h"
#include "simd/vec.h"

#endif
