/* cw_arena (src/graph/arena.h) for the fuzz targets, in place of
 * src/graph/arena.c: every allocation is its own malloc block, so ASan
 * reports a read or write past the end of one (in the bump allocator's
 * chunks it would land in the next allocation unseen). Sizes are rounded up
 * to 8 bytes as the real arena does, so only what overflows there too is
 * reported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"

struct cw_arena_chunk {
    cw_arena_chunk *next;
    _Alignas(16) unsigned char data[];
};

void *cw_arena_alloc(cw_arena *a, size_t bytes) {
    if (bytes > SIZE_MAX - sizeof(cw_arena_chunk) - 8) {
        a->failed = 1;
        return NULL;
    }
    bytes = bytes ? (bytes + 7) & ~(size_t)7 : 8;
    cw_arena_chunk *c = calloc(1, sizeof *c + bytes);
    if (!c) {
        a->failed = 1;
        return NULL;
    }
    c->next = a->head;
    a->head = c;
    return c->data;
}

char *cw_arena_strndup(cw_arena *a, const char *s, size_t len) {
    if (len == SIZE_MAX) {
        a->failed = 1;
        return NULL;
    }
    char *d = cw_arena_alloc(a, len + 1);
    if (d) memcpy(d, s, len);
    return d;
}

char *cw_arena_strdup(cw_arena *a, const char *s) { return cw_arena_strndup(a, s, strlen(s)); }

void cw_arena_free(cw_arena *a) {
    for (cw_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}
