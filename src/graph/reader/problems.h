/* cw_problems: every problem found while loading a model, one per line, so
 * they are reported all at once instead of the first only. */
#ifndef CW_GRAPH_READER_PROBLEMS_H
#define CW_GRAPH_READER_PROBLEMS_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *text; /* NUL-terminated lines, or NULL when there is none */
    size_t len, cap;
    size_t count;
    int nomem;
} cw_problems;

/* Appends one printf-style line (the text is capped at 64 KiB in all; later
 * problems are counted, and the last line says how many were left out). */
void cw_problems_add(cw_problems *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends "<kind> '<name>' (<what>): " and fmt's text, the line that names
 * the node or layer a problem is about (cw_gop_fail, cw_layer_fail). */
void cw_problems_add_about(cw_problems *p, const char *kind, const char *name, const char *what,
                           const char *fmt, va_list ap);
/* The text with the count of left-out lines appended; stays owned by p. */
const char *cw_problems_text(cw_problems *p);
void cw_problems_free(cw_problems *p);

#endif
