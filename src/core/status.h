/* Status codes and the last error message of the C API. */
#ifndef CW_CORE_STATUS_H
#define CW_CORE_STATUS_H

typedef enum {
    CW_OK = 0,
    CW_ERR_INVALID = 1,    /* bad argument: shape, dtype, parameter */
    CW_ERR_NOMEM = 2,      /* an allocation failed or a size overflowed */
    CW_ERR_UNSUPPORTED = 3 /* a valid request this build cannot do */
} cw_status;

/* Records a printf-style message for the calling thread and returns status,
 * so entry points can `return cw_error(CW_ERR_INVALID, "...", ...)`. */
cw_status cw_error(cw_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The message recorded by the last failing call on this thread ("" if none). */
const char *cw_error_message(void);

#endif
