/* Core exports: errors, threads, build facts. */
#include <emscripten.h>
#include <malloc.h>

#include "cw.h"

EMSCRIPTEN_KEEPALIVE const char *cwasm_error_message(void) { return cw_error_message(); }

EMSCRIPTEN_KEEPALIVE int cwasm_threads_init(int count) { return cw_threads_init(count); }

EMSCRIPTEN_KEEPALIVE int cwasm_threads_count(void) { return cw_threads_count(); }

EMSCRIPTEN_KEEPALIVE const char *cwasm_vec_name(void) { return CW_VEC_NAME; }

/* Bytes of the wasm heap handed out by malloc and not yet freed. */
EMSCRIPTEN_KEEPALIVE double cwasm_heap_in_use(void) { return (double)mallinfo().uordblks; }
