/* Elementwise binary ops with NumPy / TF.js broadcasting, AddN and Select.
 *
 * Semantics follow tfjs-backend-cpu: each element is computed as the JS
 * expression on the input values and stored into the output typed array, so
 * int32 results wrap like Int32Array stores (Infinity and NaN become 0) and
 * Maximum / Minimum propagate NaN. */
#ifndef CW_KERNELS_BINARY_BINARY_H
#define CW_KERNELS_BINARY_BINARY_H

#include <stddef.h>
#include <stdint.h>

#include "core/dtype.h"
#include "core/status.h"

/* Op codes: the values are part of the wasm ABI and never change. */
typedef enum {
    CW_BINARY_ADD = 0,
    CW_BINARY_SUB = 1,
    CW_BINARY_MUL = 2,                /* Multiply */
    CW_BINARY_DIV = 3,                /* RealDiv */
    CW_BINARY_FLOOR_DIV = 4,          /* floor(a / b) */
    CW_BINARY_MOD = 5,                /* result has the sign of b */
    CW_BINARY_MAXIMUM = 6,            /* NaN if either is NaN */
    CW_BINARY_MINIMUM = 7,            /* NaN if either is NaN */
    CW_BINARY_POW = 8,                /* Math.pow */
    CW_BINARY_SQUARED_DIFFERENCE = 9, /* (a - b)^2 */
    CW_BINARY_ATAN2 = 10,             /* atan2(a, b) */
    CW_BINARY_PRELU = 11,             /* a < 0 ? b * a : a  (b = alpha) */
    CW_BINARY_EQUAL = 12,
    CW_BINARY_NOT_EQUAL = 13,
    CW_BINARY_LESS = 14,
    CW_BINARY_LESS_EQUAL = 15,
    CW_BINARY_GREATER = 16,
    CW_BINARY_GREATER_EQUAL = 17,
    CW_BINARY_LOGICAL_AND = 18,
    CW_BINARY_LOGICAL_OR = 19,
    CW_BINARY_LOGICAL_XOR = 20,
    CW_BINARY_BITWISE_AND = 21, /* a & b, int32 only */
    CW_BINARY_OP_COUNT = 22
} cw_binary_op;

/* Name of op as TF.js spells its kernel ("Add", "RealDiv", ...); "?" if unknown. */
const char *cw_binary_op_name(cw_binary_op op);

/* Output dtype of op on in_dtype inputs: comparisons and logical ops give
 * CW_BOOL, the arithmetic ops (ADD..PRELU) give in_dtype. */
cw_dtype cw_binary_out_dtype(cw_binary_op op, cw_dtype in_dtype);

/* out = op(a, b) with broadcasting. a, b are row-major arrays of in_dtype;
 * out (caller-owned) has out_shape, which must be the broadcast of a_shape and
 * b_shape (right-aligned; out_rank may exceed both ranks with leading 1s).
 * dtypes: arithmetic ops take CW_F32 or CW_I32; comparisons take CW_F32,
 * CW_I32 or CW_BOOL; logical ops take CW_BOOL. out may equal a or b when that
 * input has the output's shape. Parallel over output elements; equals
 *   for (i = 0; i < size(out_shape); i++) out[i] = op(a[ia(i)], b[ib(i)]). */
cw_status cw_binary(cw_binary_op op, cw_dtype in_dtype, const void *a, const int32_t *a_shape,
                    int a_rank, const void *b, const int32_t *b_shape, int b_rank, void *out,
                    const int32_t *out_shape, int out_rank);

/* out[i] = ((0 + in[0][i]) + in[1][i]) + ... for i in [0, n), count >= 1
 * arrays of dtype CW_F32 or CW_I32 (int32 wraps). out may be one of the inputs. */
cw_status cw_add_n(cw_dtype dtype, const void *const *inputs, int count, void *out, size_t n);

/* out[i] = cond[c(i)] ? t[i] : e[i] for i in [0, n), any dtype. Either
 * cond_n == n (c(i) = i) or cond_n is the first dimension of t and
 * c(i) = i / (n / cond_n): each cond value selects a whole row. */
cw_status cw_select(cw_dtype dtype, const uint8_t *cond, size_t cond_n, const void *t,
                    const void *e, void *out, size_t n);

#endif
