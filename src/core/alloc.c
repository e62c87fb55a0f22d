#define _POSIX_C_SOURCE 200112L
#include "core/alloc.h"

#include <stdlib.h>

void *cw_alloc(size_t bytes) {
    if (bytes == 0) bytes = CW_ALIGN;
    void *p = NULL;
    if (posix_memalign(&p, CW_ALIGN, bytes) != 0) return NULL;
    return p;
}

void cw_free(void *p) { free(p); }
