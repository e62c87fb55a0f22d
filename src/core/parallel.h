/* cw_parallel_for: run fn over [0, n) split into contiguous ranges.
 *
 * Equals the serial loop `fn(ctx, 0, n)`: every index is visited exactly once,
 * ranges never overlap, and the partition depends only on n and grain (never
 * on the thread count), so results are bit-identical for any number of
 * threads. grain is the smallest range worth a task. */
#ifndef CW_CORE_PARALLEL_H
#define CW_CORE_PARALLEL_H

#include <stddef.h>

typedef void (*cw_range_fn)(void *ctx, size_t begin, size_t end);

void cw_parallel_for(size_t n, size_t grain, cw_range_fn fn, void *ctx);

/* Starts the worker threads (count includes the caller); 1 or a build without
 * threads means serial. Returns the count in use. Call once, before kernels. */
int cw_threads_init(int count);
int cw_threads_count(void);

#endif
