/**
 * The C enum values the JS side passes to (or reads from) the wasm exports,
 * named as in C: each export `cw_<name>` mirrors the C `typedef enum {...}
 * cw_<name>;` whose header is named beside it, constant for constant.
 * scripts/check-codes.mjs (run by scripts/build.sh and by
 * test/js/codes.test.mjs) fails when a value here differs from its header,
 * or a constant is missing on either side. (The PURE marks let bundles drop
 * the tables they do not use.)
 */

/** cw_status (src/core/status.h). */
export const cw_status = /* @__PURE__ */ Object.freeze({
  CW_OK: 0, CW_ERR_INVALID: 1, CW_ERR_NOMEM: 2, CW_ERR_UNSUPPORTED: 3,
});

/** cw_dtype (src/core/dtype.h). */
export const cw_dtype = /* @__PURE__ */ Object.freeze({
  CW_F32: 0, CW_I32: 1, CW_BOOL: 2,
});

/** cw_act (src/kernels/act/act.h). */
export const cw_act = /* @__PURE__ */ Object.freeze({
  CW_ACT_LINEAR: 0, CW_ACT_RELU: 1, CW_ACT_RELU6: 2, CW_ACT_ELU: 3, CW_ACT_LEAKYRELU: 4,
  CW_ACT_PRELU: 5, CW_ACT_SIGMOID: 6,
});

/** cw_binary_op (src/kernels/binary/binary.h). */
export const cw_binary_op = /* @__PURE__ */ Object.freeze({
  CW_BINARY_ADD: 0, CW_BINARY_SUB: 1, CW_BINARY_MUL: 2, CW_BINARY_DIV: 3, CW_BINARY_FLOOR_DIV: 4,
  CW_BINARY_MOD: 5, CW_BINARY_MAXIMUM: 6, CW_BINARY_MINIMUM: 7, CW_BINARY_POW: 8,
  CW_BINARY_SQUARED_DIFFERENCE: 9, CW_BINARY_ATAN2: 10, CW_BINARY_PRELU: 11, CW_BINARY_EQUAL: 12,
  CW_BINARY_NOT_EQUAL: 13, CW_BINARY_LESS: 14, CW_BINARY_LESS_EQUAL: 15, CW_BINARY_GREATER: 16,
  CW_BINARY_GREATER_EQUAL: 17, CW_BINARY_LOGICAL_AND: 18, CW_BINARY_LOGICAL_OR: 19,
  CW_BINARY_LOGICAL_XOR: 20, CW_BINARY_BITWISE_AND: 21, CW_BINARY_OP_COUNT: 22,
});

/** cw_unary_op (src/kernels/unary/unary.h). */
export const cw_unary_op = /* @__PURE__ */ Object.freeze({
  CW_UNARY_ABS: 0, CW_UNARY_NEG: 1, CW_UNARY_EXP: 2, CW_UNARY_EXPM1: 3, CW_UNARY_LOG: 4,
  CW_UNARY_LOG1P: 5, CW_UNARY_SQRT: 6, CW_UNARY_RSQRT: 7, CW_UNARY_SQUARE: 8,
  CW_UNARY_RECIPROCAL: 9, CW_UNARY_SIGMOID: 10, CW_UNARY_TANH: 11, CW_UNARY_SOFTPLUS: 12,
  CW_UNARY_RELU: 13, CW_UNARY_RELU6: 14, CW_UNARY_ELU: 15, CW_UNARY_SELU: 16,
  CW_UNARY_LEAKYRELU: 17, CW_UNARY_STEP: 18, CW_UNARY_SIGN: 19, CW_UNARY_FLOOR: 20,
  CW_UNARY_CEIL: 21, CW_UNARY_ROUND: 22, CW_UNARY_SIN: 23, CW_UNARY_COS: 24, CW_UNARY_TAN: 25,
  CW_UNARY_ASIN: 26, CW_UNARY_ACOS: 27, CW_UNARY_ATAN: 28, CW_UNARY_SINH: 29, CW_UNARY_COSH: 30,
  CW_UNARY_ASINH: 31, CW_UNARY_ACOSH: 32, CW_UNARY_ATANH: 33, CW_UNARY_ERF: 34, CW_UNARY_IS_NAN: 35,
  CW_UNARY_IS_INF: 36, CW_UNARY_IS_FINITE: 37, CW_UNARY_LOGICAL_NOT: 38, CW_UNARY_CLIP: 39,
  CW_UNARY_COUNT: 40,
});

/** cw_reduce_op (src/kernels/reduce/reduce.h). */
export const cw_reduce_op = /* @__PURE__ */ Object.freeze({
  CW_REDUCE_SUM: 0, CW_REDUCE_MEAN: 1, CW_REDUCE_MAX: 2, CW_REDUCE_MIN: 3, CW_REDUCE_PROD: 4,
  CW_REDUCE_ALL: 5, CW_REDUCE_ANY: 6, CW_REDUCE_ARGMAX: 7, CW_REDUCE_ARGMIN: 8,
});

/** cw_scan_op (src/kernels/scan/scan.h). */
export const cw_scan_op = /* @__PURE__ */ Object.freeze({
  CW_SCAN_CUMSUM: 0, CW_SCAN_CUMPROD: 1,
});

/** cw_complex_op (src/kernels/complex/complex.h). */
export const cw_complex_op = /* @__PURE__ */ Object.freeze({
  CW_COMPLEX_ADD: 0, CW_COMPLEX_SUB: 1, CW_COMPLEX_MUL: 2, CW_COMPLEX_OP_COUNT: 3,
});

/** cw_pool_op (src/kernels/pool/pool.h). */
export const cw_pool_op = /* @__PURE__ */ Object.freeze({
  CW_POOL_MAX_2D: 0, CW_POOL_AVG_2D: 1, CW_POOL_MAX_3D: 2, CW_POOL_AVG_3D: 3,
});

/** cw_pool_index (src/kernels/pool/pool.h). */
export const cw_pool_index = /* @__PURE__ */ Object.freeze({
  CW_POOL_INDEX_FLAT: 0, CW_POOL_INDEX_FLAT_BATCH: 1, CW_POOL_INDEX_WINDOW: 2,
});

/** cw_image_interp (src/kernels/image/image.h). */
export const cw_image_interp = /* @__PURE__ */ Object.freeze({
  CW_IMAGE_BILINEAR: 0, CW_IMAGE_NEAREST: 1,
});

/** cw_image_fill (src/kernels/image/image.h). */
export const cw_image_fill = /* @__PURE__ */ Object.freeze({
  CW_IMAGE_FILL_CONSTANT: 0, CW_IMAGE_FILL_REFLECT: 1, CW_IMAGE_FILL_WRAP: 2,
  CW_IMAGE_FILL_NEAREST: 3,
});

/** tfjs dtype name -> cw_dtype code, for the dtypes held in wasm memory. */
export const DTYPE_CODE = /* @__PURE__ */ Object.freeze({
  float32: cw_dtype.CW_F32, int32: cw_dtype.CW_I32, bool: cw_dtype.CW_BOOL,
});

/** cw_dtype code -> tfjs dtype name. */
export const DTYPE_NAME = /* @__PURE__ */ Object.freeze({
  [cw_dtype.CW_F32]: 'float32', [cw_dtype.CW_I32]: 'int32', [cw_dtype.CW_BOOL]: 'bool',
});
