/* cw_parallel_for against its contract (core/parallel.h): every index visited
 * exactly once and done when the call returns, even in many small jobs in a
 * row; the same chunks for every pool size; a nested call, or a call from
 * another thread while the pool is busy, run serially on their own thread.
 *
 * The pool is started once per process, so each test runs in a child process
 * (fork) that starts a pool of the size it needs: the tests do not depend on
 * their order or on each other. A child reports failures on stderr and in its
 * exit status (cmocka's asserts belong to the parent). */
#include "test_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/parallel.h"

/* Runs body in a child process with a pool of `threads`; fails unless the
 * pool has that size and body returns 0 within a minute (a deadlock fails). */
static void run_in_child(int threads, int (*body)(void)) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(60);
        int got = cw_threads_init(threads);
        if (got != threads) {
            fprintf(stderr, "cw_threads_init(%d) started %d threads\n", threads, got);
            _exit(2);
        }
        _exit(body() == 0 ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- every index once, in many small jobs ---- */

typedef struct {
    unsigned char *visits;
    size_t slow_every; /* chunks starting at a multiple of this spin a little */
} visit_ctx;

static void visit(void *p, size_t begin, size_t end) {
    visit_ctx *c = p;
    if (c->slow_every && begin % c->slow_every == 0) {
        volatile unsigned spin = 0;
        for (unsigned k = 0; k < 2000; k++) spin += k;
    }
    for (size_t i = begin; i < end; i++) c->visits[i]++;
}

/* Each job's context lives on the caller's stack and dies when the call
 * returns: no chunk may run twice, still be running, or be left in an old
 * job while the next one is set up. */
static int many_small_jobs(void) {
    enum { MAX_N = 97 };
    unsigned char visits[MAX_N];
    for (unsigned job = 0; job < 200000; job++) {
        const size_t n = 2 + job % (MAX_N - 1), grain = 1 + job % 5;
        visit_ctx c = {visits, job % 3 ? 0 : 3};
        memset(visits, 0, sizeof visits);
        cw_parallel_for(n, grain, visit, &c);
        for (size_t i = 0; i < n; i++) {
            if (visits[i] != 1) {
                fprintf(stderr, "job %u (n %zu, grain %zu): index %zu visited %u times\n", job, n,
                        grain, i, visits[i]);
                return 1;
            }
        }
        /* The context dies here; a worker still using it would fail the next job. */
        memset(&c, 0xff, sizeof c);
    }
    return 0;
}

static void every_index_once_in_many_small_jobs(void **state) {
    (void)state;
    run_in_child(4, many_small_jobs);
}

/* ---- the chunks ---- */

enum { MAX_CHUNKS = 64 };

typedef struct {
    size_t grain;
    atomic_int calls[MAX_CHUNKS]; /* calls that began at chunk k's start */
    size_t end[MAX_CHUNKS];       /* the end of chunk k's call */
    atomic_int misplaced;         /* calls that began elsewhere */
} chunk_log;

static void log_chunk(void *p, size_t begin, size_t end) {
    chunk_log *c = p;
    size_t k = begin / c->grain;
    if (begin % c->grain != 0 || k >= MAX_CHUNKS) {
        atomic_fetch_add(&c->misplaced, 1);
        return;
    }
    c->end[k] = end;
    atomic_fetch_add(&c->calls[k], 1);
}

/* Whether cw_parallel_for(n, grain) called fn once on each chunk
 * [k * grain, min((k + 1) * grain, n)) when `chunked`, else once on [0, n). */
static int check_split(size_t n, size_t grain, int chunked) {
    chunk_log c = {.grain = grain};
    cw_parallel_for(n, grain, log_chunk, &c);
    size_t chunks = chunked ? (n + grain - 1) / grain : 1;
    int bad = atomic_load(&c.misplaced);
    for (size_t k = 0; k < MAX_CHUNKS; k++) {
        size_t want_end = !chunked ? n : (k + 1) * grain < n ? (k + 1) * grain : n;
        int calls = atomic_load(&c.calls[k]);
        if (k < chunks ? calls != 1 || c.end[k] != want_end : calls != 0) bad++;
    }
    if (bad) {
        fprintf(stderr, "n %zu, grain %zu on %d threads: not the expected %s\n", n, grain,
                cw_threads_count(), chunked ? "chunks" : "single range");
    }
    return bad;
}

static const size_t split_cases[][2] = {{1, 1},   {7, 7},   {8, 3},   {64, 1},
                                        {100, 7}, {250, 4}, {255, 64}};

static int splits_in_chunks(void) {
    int bad = 0;
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        size_t n = split_cases[i][0], grain = split_cases[i][1];
        bad += check_split(n, grain, n > grain);
    }
    return bad;
}

static int splits_never(void) {
    int bad = 0;
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        bad += check_split(split_cases[i][0], split_cases[i][1], 0);
    }
    return bad;
}

static void chunks_are_the_same_for_every_pool_size(void **state) {
    (void)state;
    for (int threads = 2; threads <= 5; threads++) run_in_child(threads, splits_in_chunks);
}

static void one_thread_runs_one_range(void **state) {
    (void)state;
    run_in_child(1, splits_never);
}

/* ---- calls while the pool is busy ---- */

enum { OUTER = 24, INNER = 40 };

typedef struct {
    unsigned char visits[OUTER][INNER];
    atomic_int bad;
} grid;

typedef struct {
    unsigned char *row;
    pthread_t thread; /* the thread that made the call */
    int calls;
    int bad;
} inner_ctx;

static void inner_range(void *p, size_t begin, size_t end) {
    inner_ctx *c = p;
    c->calls++;
    if (begin != 0 || end != INNER || !pthread_equal(pthread_self(), c->thread)) c->bad++;
    for (size_t j = begin; j < end; j++) c->row[j]++;
}

/* Fills one row with a call of its own; reports unless that call ran as one
 * range on this thread. */
static void fill_row(grid *g, size_t i) {
    inner_ctx c = {g->visits[i], pthread_self(), 0, 0};
    cw_parallel_for(INNER, 1, inner_range, &c);
    if (c.calls != 1 || c.bad) atomic_fetch_add(&g->bad, 1);
}

static void outer_rows(void *p, size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) fill_row(p, i);
}

/* Every cell visited once; an error count otherwise. */
static int grid_errors(grid *g) {
    int bad = atomic_load(&g->bad);
    for (size_t i = 0; i < OUTER; i++) {
        for (size_t j = 0; j < INNER; j++) bad += g->visits[i][j] != 1;
    }
    return bad;
}

static int nested_calls(void) {
    for (int rep = 0; rep < 200; rep++) {
        grid g = {0};
        cw_parallel_for(OUTER, 1, outer_rows, &g);
        if (grid_errors(&g)) {
            fprintf(stderr, "rep %d: a nested call did not run once, serially, on its thread\n",
                    rep);
            return 1;
        }
    }
    return 0;
}

static void nested_call_runs_serially_on_its_thread(void **state) {
    (void)state;
    run_in_child(4, nested_calls);
}

/* A chunk of the busy pool's job starts a thread that fills row 0 with a call
 * of its own and waits for it: that call must not wait for the pool. */
typedef struct {
    grid *g;
} other_thread_arg;

static void *fill_row_0(void *p) {
    fill_row(((other_thread_arg *)p)->g, 0);
    return NULL;
}

static void outer_rows_one_from_another_thread(void *p, size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
        if (i != 0) {
            fill_row(p, i);
            continue;
        }
        other_thread_arg arg = {p};
        pthread_t t;
        if (pthread_create(&t, NULL, fill_row_0, &arg) != 0) {
            atomic_fetch_add(&((grid *)p)->bad, 1);
            continue;
        }
        pthread_join(t, NULL);
    }
}

static int calls_from_another_thread(void) {
    for (int rep = 0; rep < 50; rep++) {
        grid g = {0};
        cw_parallel_for(OUTER, 1, outer_rows_one_from_another_thread, &g);
        if (grid_errors(&g)) {
            fprintf(stderr, "rep %d: another thread's call did not run once, serially\n", rep);
            return 1;
        }
    }
    return 0;
}

static void call_from_another_thread_while_busy_runs_serially(void **state) {
    (void)state;
    run_in_child(4, calls_from_another_thread);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_index_once_in_many_small_jobs),
        cmocka_unit_test(chunks_are_the_same_for_every_pool_size),
        cmocka_unit_test(one_thread_runs_one_range),
        cmocka_unit_test(nested_call_runs_serially_on_its_thread),
        cmocka_unit_test(call_from_another_thread_while_busy_runs_serially),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
