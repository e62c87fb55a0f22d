/* cw_parallel_for: run fn over [0, n) split into contiguous ranges.
 *
 * Equals the serial loop `fn(ctx, 0, n)`: every index is visited exactly once,
 * ranges never overlap, and the call returns when every range is done. fn must
 * compute the same for any split of [0, n) into ranges; grain is the smallest
 * range worth a task. The split:
 *   - on a pool of two or more threads, the chunks
 *     [k * grain, min((k + 1) * grain, n)), each run by whichever thread
 *     (the caller included) claims it: the same chunks for every pool size,
 *     so results are bit-identical for any number of threads;
 *   - otherwise one call fn(ctx, 0, n) on the calling thread: one thread, a
 *     build without threads, n <= grain, or a busy pool (below).
 *
 * One job at a time: the pool runs one call's chunks. A call made while it
 * is busy runs serially on its own thread, whichever thread makes it: a
 * nested call from inside fn, or a call from another thread. It never
 * blocks on the pool, so nested calls cannot deadlock. The kernels call it
 * from one thread (the JS thread in the browser), so in practice only nested
 * calls find the pool busy. */
#ifndef CW_CORE_PARALLEL_H
#define CW_CORE_PARALLEL_H

#include <stddef.h>

typedef void (*cw_range_fn)(void *ctx, size_t begin, size_t end);

void cw_parallel_for(size_t n, size_t grain, cw_range_fn fn, void *ctx);

/* Starts the worker threads (count includes the caller); 1 or a build without
 * threads means serial. Returns the count in use. Call once, before kernels
 * and from the thread that calls them; later calls return the count in use. */
int cw_threads_init(int count);
int cw_threads_count(void);

#endif
