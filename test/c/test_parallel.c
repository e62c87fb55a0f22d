/* cw_parallel_for under stress: many small jobs in a row, each with its
 * context on the caller's stack, must each visit every index exactly once and
 * be complete when the call returns (no chunk run twice, none still running,
 * no worker left in an old job while the next one is set up). */
#include "test_util.h"

#include "core/parallel.h"

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

static void every_index_once_in_many_small_jobs(void **state) {
    (void)state;
    assert_true(cw_threads_init(4) >= 2);
    enum { MAX_N = 97 };
    unsigned char visits[MAX_N];
    for (unsigned job = 0; job < 200000; job++) {
        const size_t n = 2 + job % (MAX_N - 1), grain = 1 + job % 5;
        visit_ctx c = {visits, job % 3 ? 0 : 3};
        memset(visits, 0, sizeof visits);
        cw_parallel_for(n, grain, visit, &c);
        for (size_t i = 0; i < n; i++) {
            if (visits[i] != 1) fail_msg("job %u (n %zu, grain %zu): index %zu visited %u times", job, n, grain, i, visits[i]);
        }
        /* The context dies here; a worker still using it would fail the next job. */
        memset(&c, 0xff, sizeof c);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_index_once_in_many_small_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
