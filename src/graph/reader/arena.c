#include "graph/reader/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes a chunk holds at least. The fuzz build (scripts/fuzz-graph.sh) sets
 * 0: every allocation is then its own malloc block, so AddressSanitizer sees
 * a read or write past its (8-byte rounded) end, which in a shared chunk
 * would land unseen in the next allocation. */
#ifndef CW_ARENA_CHUNK_BYTES
#define CW_ARENA_CHUNK_BYTES 16384
#endif

struct cw_arena_chunk {
    cw_arena_chunk *next;
    size_t used, size;
    _Alignas(8) unsigned char data[];
};

void *cw_arena_alloc(cw_arena *a, size_t bytes) {
    bytes = (bytes + 7) & ~(size_t)7;
    if (bytes == 0) bytes = 8;
    cw_arena_chunk *c = a->head;
    if (!c || c->size - c->used < bytes) {
        size_t size = bytes > CW_ARENA_CHUNK_BYTES ? bytes : CW_ARENA_CHUNK_BYTES;
        if (size > SIZE_MAX - sizeof *c) {
            a->failed = 1;
            return NULL;
        }
        c = malloc(sizeof *c + size);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->used = 0, c->size = size, c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
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
