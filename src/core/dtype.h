/* Element types of tensors held in wasm memory. bool is one byte (0 or 1). */
#ifndef CW_CORE_DTYPE_H
#define CW_CORE_DTYPE_H

#include <stddef.h>

typedef enum { CW_F32 = 0, CW_I32 = 1, CW_BOOL = 2 } cw_dtype;

static inline size_t cw_dtype_size(cw_dtype t) { return t == CW_BOOL ? 1 : 4; }

#endif
