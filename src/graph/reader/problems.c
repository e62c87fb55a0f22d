#include "graph/reader/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_LIMIT 65536
#define LINE_LIMIT 1024

static void append_line(cw_problems *p, const char *line, size_t n) {
    if (p->len + n + 2 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        while (cap < p->len + n + 2) cap *= 2;
        char *t = realloc(p->text, cap);
        if (!t) {
            p->nomem = 1;
            return;
        }
        p->text = t, p->cap = cap;
    }
    if (p->len) p->text[p->len++] = '\n';
    memcpy(p->text + p->len, line, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static size_t lines_of(const cw_problems *p) {
    if (!p->text) return 0;
    size_t lines = 1;
    for (size_t i = 0; i < p->len; i++) lines += p->text[i] == '\n';
    return lines;
}

void cw_problems_add(cw_problems *p, const char *fmt, ...) {
    p->count++;
    if (p->nomem || p->len >= TEXT_LIMIT) return;
    char line[LINE_LIMIT];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    append_line(p, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void cw_problems_add_about(cw_problems *p, const char *kind, const char *name, const char *what,
                           const char *fmt, va_list ap) {
    char msg[LINE_LIMIT];
    vsnprintf(msg, sizeof msg, fmt, ap);
    cw_problems_add(p, "%s '%s' (%s): %s", kind, name, what, msg);
}

const char *cw_problems_text(cw_problems *p) {
    if (p->count == 0) return NULL;
    if (p->nomem || !p->text) return "out of memory while listing the model's problems";
    size_t lines = lines_of(p);
    if (lines < p->count) {
        char note[64];
        int n = snprintf(note, sizeof note, "... and %zu more problem(s)", p->count - lines);
        append_line(p, note, (size_t)n);
        p->count = lines_of(p); /* the note is added once */
    }
    return p->text;
}

void cw_problems_free(cw_problems *p) {
    free(p->text);
    memset(p, 0, sizeof *p);
}
