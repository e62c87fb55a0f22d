#include "core/parallel.h"

#if defined(CW_THREADS)

#include <pthread.h>
#include <stdatomic.h>

#define CW_MAX_THREADS 64

/* The one thread pool: workers sleep on `wake` until a new job generation,
 * then claim chunks of the job with an atomic counter; the calling thread
 * claims chunks too and spins until every chunk is done.
 *
 * A worker joins a job under the lock (`active`) and leaves it after its last
 * claim; a new job is written only when no worker is still in the previous
 * one. Without that, a late worker's claim could land while the next job's
 * fields and counters were being reset: a chunk run twice, the done count
 * off, and the caller returning (its context gone) while a chunk still ran. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t threads[CW_MAX_THREADS];
    int count;              /* threads in use, caller included */
    atomic_uint generation; /* bumped for each job, under lock */
    atomic_int busy;        /* a call owns the pool: other calls go serial */
    cw_range_fn fn;
    void *ctx;
    size_t n, grain, chunks;
    atomic_size_t next_chunk;
    atomic_size_t done_chunks;
    atomic_int active; /* workers inside run_chunks */
} cw_pool;

static cw_pool pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .count = 1};

static void run_chunks(void) {
    for (;;) {
        size_t c = atomic_fetch_add(&pool.next_chunk, 1);
        if (c >= pool.chunks) break;
        size_t begin = c * pool.grain;
        size_t end = begin + pool.grain < pool.n ? begin + pool.grain : pool.n;
        pool.fn(pool.ctx, begin, end);
        atomic_fetch_add(&pool.done_chunks, 1);
    }
}

/* A worker that finished a job polls for the next one this many times before
 * it sleeps on the condition variable (~0.1-0.3 ms). Kernels of one model
 * follow each other closely, and waking a sleeping thread (futex, in the
 * browser Atomics.wait/notify) takes tens of microseconds, longer than a small
 * kernel's share of work. */
#define CW_SPIN_POLLS 100000

static void *worker_main(void *arg) {
    (void)arg;
    unsigned seen = 0;
    for (;;) {
        for (int i = 0; i < CW_SPIN_POLLS &&
                        atomic_load_explicit(&pool.generation, memory_order_relaxed) == seen;
             i++) {
        }
        pthread_mutex_lock(&pool.lock);
        while (pool.generation == seen) pthread_cond_wait(&pool.wake, &pool.lock);
        seen = pool.generation;
        atomic_fetch_add(&pool.active, 1);
        pthread_mutex_unlock(&pool.lock);
        run_chunks();
        atomic_fetch_sub(&pool.active, 1);
    }
    return NULL;
}

int cw_threads_init(int count) {
    if (pool.count > 1) return pool.count; /* created once */
    if (count < 1) count = 1;
    if (count > CW_MAX_THREADS) count = CW_MAX_THREADS;
    int started = 1;
    for (int i = 1; i < count; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker_main, NULL) != 0) break;
        started++;
    }
    pool.count = started;
    return pool.count;
}

int cw_threads_count(void) { return pool.count; }

void cw_parallel_for(size_t n, size_t grain, cw_range_fn fn, void *ctx) {
    if (n == 0) return;
    if (grain == 0) grain = 1;
    size_t chunks = (n + grain - 1) / grain;
    /* The exchange claims the pool; a call that finds it claimed (nested, or
     * from another thread) runs serially. Acquire pairs with the release
     * below, so this job's set-up follows the last job's end. */
    if (pool.count <= 1 || chunks <= 1 ||
        atomic_exchange_explicit(&pool.busy, 1, memory_order_acquire)) {
        fn(ctx, 0, n);
        return;
    }
    pthread_mutex_lock(&pool.lock);
    /* Workers join only under the lock, so none can join while this waits. */
    while (atomic_load(&pool.active) != 0) {
    }
    pool.busy = 1;
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.grain = grain;
    pool.chunks = chunks;
    atomic_store(&pool.next_chunk, 0);
    atomic_store(&pool.done_chunks, 0);
    atomic_fetch_add(&pool.generation, 1);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    run_chunks();
    while (atomic_load(&pool.done_chunks) < chunks) {
    }
    atomic_store_explicit(&pool.busy, 0, memory_order_release);
}

#else

int cw_threads_init(int count) {
    (void)count;
    return 1;
}

int cw_threads_count(void) { return 1; }

void cw_parallel_for(size_t n, size_t grain, cw_range_fn fn, void *ctx) {
    (void)grain;
    if (n > 0) fn(ctx, 0, n);
}

#endif
