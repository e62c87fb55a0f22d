#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>

/* One message per thread: the only state here, written only on failure. */
static _Thread_local char cw_error_buf[512];

cw_status cw_error(cw_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cw_error_buf, sizeof cw_error_buf, fmt, ap);
    va_end(ap);
    return status;
}

const char *cw_error_message(void) { return cw_error_buf; }
