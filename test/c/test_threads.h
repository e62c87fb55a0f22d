/* Thread tests that do not depend on test order (native kernel tests).
 *
 * The pool can be started only once. So a test binary's group setup calls
 * test_threads_setup, which runs the thread test's cases on one thread and
 * keeps their outputs, then starts the pool of 4 threads that every test of
 * the binary uses; the thread test calls test_threads_compare, which runs the
 * cases again on those 4 threads and asserts the same bits, wherever it runs. */
#ifndef CW_TEST_THREADS_H
#define CW_TEST_THREADS_H

#include "test_util.h"

#include "cw.h"

#define TEST_THREADS_MAX_CASES 8

/* Runs case i, its output written to out; returns the number of output
 * floats (and runs nothing when out is NULL). check: also compare the output
 * with the test's reference. */
typedef size_t (*test_thread_case_fn)(int i, float *out, int check);

typedef struct {
    test_thread_case_fn run;
    int cases;
    float *serial[TEST_THREADS_MAX_CASES];
} test_threads;

static inline int test_threads_setup(test_threads *t) {
    if (cw_threads_count() != 1 || t->cases > TEST_THREADS_MAX_CASES) return -1;
    for (int i = 0; i < t->cases; i++) {
        t->serial[i] = malloc((t->run(i, NULL, 0) + 1) * sizeof(float));
        t->run(i, t->serial[i], 0);
    }
    return cw_threads_init(4) == 4 ? 0 : -1;
}

static inline int test_threads_teardown(test_threads *t) {
    for (int i = 0; i < t->cases; i++) free(t->serial[i]);
    return 0;
}

static inline void test_threads_compare(const test_threads *t) {
    assert_int_equal(cw_threads_count(), 4);
    for (int i = 0; i < t->cases; i++) {
        const size_t n = t->run(i, NULL, 0);
        float *out = malloc((n + 1) * sizeof(float));
        t->run(i, out, 1);
        if (memcmp(out, t->serial[i], n * sizeof(float)) != 0)
            fail_msg("thread case %d: 4 threads give other bits than one", i);
        free(out);
    }
}

/* group_setup and group_teardown for cmocka_run_group_tests over the
 * test_threads `t`. */
#define TEST_THREADS_GROUP(t)                                                                      \
    static int group_setup(void **state) { return (void)state, test_threads_setup(&(t)); }         \
    static int group_teardown(void **state) { return (void)state, test_threads_teardown(&(t)); }

#endif
