/* cw_arena: a bump allocator for everything a loaded model description owns
 * (names, attribute values, shapes), freed at once with the model. */
#ifndef CW_GRAPH_READER_ARENA_H
#define CW_GRAPH_READER_ARENA_H

#include <stddef.h>

typedef struct cw_arena_chunk cw_arena_chunk;

typedef struct {
    cw_arena_chunk *head; /* newest chunk first */
    int failed;           /* an allocation failed: the owner reports NOMEM */
} cw_arena;

/* bytes of zeroed memory aligned to 8, or NULL (and failed set). */
void *cw_arena_alloc(cw_arena *a, size_t bytes);
/* A NUL-terminated copy of len bytes of s (s may hold NULs). */
char *cw_arena_strndup(cw_arena *a, const char *s, size_t len);
char *cw_arena_strdup(cw_arena *a, const char *s);
void cw_arena_free(cw_arena *a);

#endif
