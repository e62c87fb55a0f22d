/* Row kernels with a bool (uint8 0/1) output: the comparisons over float32,
 * int32 and bool inputs, and the logical ops over bool inputs. Comparisons
 * with NaN are false except NotEqual, as in JS. Logical ops read any nonzero
 * byte as true and always write 0 or 1. */
#include "kernels/binary/binary_rows.h"

#define CW_COMPARE_ROWS(T, sfx)                                                                    \
    CW_BINARY_ROW(row_equal_##sfx, T, uint8_t, x == y)                                             \
    CW_BINARY_ROW(row_not_equal_##sfx, T, uint8_t, x != y)                                         \
    CW_BINARY_ROW(row_less_##sfx, T, uint8_t, x < y)                                               \
    CW_BINARY_ROW(row_less_equal_##sfx, T, uint8_t, x <= y)                                        \
    CW_BINARY_ROW(row_greater_##sfx, T, uint8_t, x > y)                                            \
    CW_BINARY_ROW(row_greater_equal_##sfx, T, uint8_t, x >= y)                                     \
    static cw_binary_row_fn compare_##sfx(cw_binary_op op) {                                       \
        switch (op) {                                                                              \
        case CW_BINARY_EQUAL:                                                                      \
            return row_equal_##sfx;                                                                \
        case CW_BINARY_NOT_EQUAL:                                                                  \
            return row_not_equal_##sfx;                                                            \
        case CW_BINARY_LESS:                                                                       \
            return row_less_##sfx;                                                                 \
        case CW_BINARY_LESS_EQUAL:                                                                 \
            return row_less_equal_##sfx;                                                           \
        case CW_BINARY_GREATER:                                                                    \
            return row_greater_##sfx;                                                              \
        case CW_BINARY_GREATER_EQUAL:                                                              \
            return row_greater_equal_##sfx;                                                        \
        default:                                                                                   \
            return NULL;                                                                           \
        }                                                                                          \
    }

CW_COMPARE_ROWS(float, f32)
CW_COMPARE_ROWS(int32_t, i32)
CW_COMPARE_ROWS(uint8_t, u8)

cw_binary_row_fn cw_binary_row_compare(cw_binary_op op, cw_dtype in_dtype) {
    switch (in_dtype) {
    case CW_F32:
        return compare_f32(op);
    case CW_I32:
        return compare_i32(op);
    case CW_BOOL:
        return compare_u8(op);
    default:
        return NULL;
    }
}

CW_BINARY_ROW(row_logical_and, uint8_t, uint8_t, (x != 0) & (y != 0))
CW_BINARY_ROW(row_logical_or, uint8_t, uint8_t, (x != 0) | (y != 0))
CW_BINARY_ROW(row_logical_xor, uint8_t, uint8_t, (x != 0) ^ (y != 0))

cw_binary_row_fn cw_binary_row_logical(cw_binary_op op) {
    switch (op) {
    case CW_BINARY_LOGICAL_AND:
        return row_logical_and;
    case CW_BINARY_LOGICAL_OR:
        return row_logical_or;
    case CW_BINARY_LOGICAL_XOR:
        return row_logical_xor;
    default:
        return NULL;
    }
}
