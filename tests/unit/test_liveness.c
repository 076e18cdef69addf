/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the watchdog's health rule: pings only while the main loop goes round and the
 * store's writer keeps up; an idle writer is healthy however long it idles. Also the
 * presence bookkeeping (the touchscreen reported once when missing, once when back).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/liveness.h"
#include "core/presence.h"

#define STUCK_MS 60000
#define GAP_MS 5000

static void test_a_loop_that_stops_going_round_is_not_ok(void **state)
{
    (void)state;
    struct liveness l;
    liveness_init(&l, 1000, STUCK_MS);
    assert_true(liveness_ok(&l, 1000 + GAP_MS, GAP_MS));
    assert_false(liveness_ok(&l, 1000 + GAP_MS + 1, GAP_MS));
    liveness_loop_pass(&l, 9000);
    assert_true(liveness_ok(&l, 9000 + GAP_MS, GAP_MS));
}

static void test_an_idle_writer_is_never_stuck(void **state)
{
    (void)state;
    struct liveness l;
    liveness_init(&l, 0, STUCK_MS);
    for (int64_t t = 0; t <= 10 * STUCK_MS; t += 1000) {
        liveness_loop_pass(&l, t);
        liveness_store(&l, t, 42, 42); /* everything queued is committed */
        assert_true(liveness_ok(&l, t, GAP_MS));
    }
}

static void test_a_writer_that_commits_nothing_while_writes_wait_is_stuck(void **state)
{
    (void)state;
    struct liveness l;
    liveness_init(&l, 0, STUCK_MS);
    liveness_store(&l, 0, 5, 5);
    int64_t t = 1000;
    for (; t <= STUCK_MS; t += 1000) {
        liveness_loop_pass(&l, t);
        liveness_store(&l, t, 6, 5); /* one write waits, nothing moves */
        assert_true(liveness_ok(&l, t, GAP_MS));
    }
    liveness_loop_pass(&l, t);
    liveness_store(&l, t, 6, 5);
    assert_true(liveness_store_stuck(&l, t));
    assert_false(liveness_ok(&l, t, GAP_MS));
    liveness_store(&l, t + 1, 6, 6); /* it caught up: healthy again */
    assert_true(liveness_ok(&l, t + 1, GAP_MS));
}

static void test_a_slow_writer_that_moves_on_is_not_stuck(void **state)
{
    (void)state;
    struct liveness l;
    liveness_init(&l, 0, STUCK_MS);
    int64_t committed = 0;
    for (int64_t t = 0; t <= 5 * STUCK_MS; t += STUCK_MS / 2) {
        liveness_loop_pass(&l, t);
        liveness_store(&l, t, committed + 100, committed); /* a backlog, but it moves */
        assert_false(liveness_store_stuck(&l, t));
        committed++;
    }
}

static void test_touchscreen_is_reported_once_missing_and_once_back(void **state)
{
    (void)state;
    struct presence p;
    presence_init(&p);
    assert_int_equal(presence_update(&p, true), PRESENCE_SAME); /* there at start: quiet */
    assert_int_equal(presence_update(&p, true), PRESENCE_SAME);
    assert_int_equal(presence_update(&p, false), PRESENCE_MISSING);
    assert_int_equal(presence_update(&p, false), PRESENCE_SAME);
    assert_int_equal(presence_update(&p, true), PRESENCE_BACK);
    presence_init(&p);
    assert_int_equal(presence_update(&p, false), PRESENCE_MISSING); /* none at start */
    assert_int_equal(presence_update(&p, false), PRESENCE_SAME);
    assert_int_equal(presence_update(&p, true), PRESENCE_BACK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_loop_that_stops_going_round_is_not_ok),
        cmocka_unit_test(test_an_idle_writer_is_never_stuck),
        cmocka_unit_test(test_a_writer_that_commits_nothing_while_writes_wait_is_stuck),
        cmocka_unit_test(test_a_slow_writer_that_moves_on_is_not_stuck),
        cmocka_unit_test(test_touchscreen_is_reported_once_missing_and_once_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
