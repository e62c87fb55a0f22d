/* Aligned scratch allocation that reports failure instead of aborting. */
#ifndef CW_CORE_ALLOC_H
#define CW_CORE_ALLOC_H

#include <stddef.h>

#define CW_ALIGN 16

void *cw_alloc(size_t bytes); /* NULL on failure or bytes == 0 overflowing */
void cw_free(void *p);

/* a * b with overflow check; returns 0 on overflow (callers treat as NOMEM). */
static inline size_t cw_mul_size(size_t a, size_t b) {
    if (a != 0 && b > (size_t)-1 / a) return 0;
    return a * b;
}

#endif
