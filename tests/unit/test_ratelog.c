/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for ratelog: a message repeated on every retry is logged once, then its count once a
 * day; different messages are followed apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/ratelog.h"

static void test_a_repeated_message_passes_once_then_daily_with_its_count(void **state)
{
    (void)state;
    static struct ratelog log = RATELOG_INIT;
    long long held = -1;
    assert_true(ratelog_pass(&log, "Server reached connection limit", 1000, &held));
    assert_int_equal(held, 0);
    for (int i = 0; i < 3759; i++) { /* 3,759 times in 8 minutes */
        assert_false(ratelog_pass(&log, "Server reached connection limit", 1000 + i * 120, &held));
    }
    assert_true(
        ratelog_pass(&log, "Server reached connection limit", 1000 + RATELOG_PERIOD_MS, &held));
    assert_int_equal(held, 3759);
    assert_false(
        ratelog_pass(&log, "Server reached connection limit", 1001 + RATELOG_PERIOD_MS, &held));
}

static void test_other_messages_are_followed_apart(void **state)
{
    (void)state;
    static struct ratelog log = RATELOG_INIT;
    long long held;
    assert_true(ratelog_pass(&log, "confmisc.c:855", 0, &held));
    assert_true(ratelog_pass(&log, "pcm.c:2666", 0, &held));
    assert_false(ratelog_pass(&log, "confmisc.c:855", 30000, &held));
    assert_false(ratelog_pass(&log, "pcm.c:2666", 30000, &held));
    /* More kinds than slots: the least recent is forgotten, and logged again when it comes. */
    char key[32];
    for (int i = 0; i < RATELOG_SLOTS; i++) {
        snprintf(key, sizeof key, "kind %d", i);
        assert_true(ratelog_pass(&log, key, 40000 + i, &held));
    }
    assert_true(ratelog_pass(&log, "confmisc.c:855", 50000, &held));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_repeated_message_passes_once_then_daily_with_its_count),
        cmocka_unit_test(test_other_messages_are_followed_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
