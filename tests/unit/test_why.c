/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for why: the reason a failing function writes for its caller is formatted into the
 * caller's buffer, cut (and terminated) when too long, and nothing is written where there is
 * no buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/why.h"

static void test_reason_is_formatted_into_the_buffer(void **state)
{
    (void)state;
    char why[64] = "old";
    why_set(why, sizeof why, "%s:%d: volume_db %d is not in -60..0", "oase.conf", 12, 7);
    assert_string_equal(why, "oase.conf:12: volume_db 7 is not in -60..0");
}

static void test_reason_too_long_is_cut_and_terminated(void **state)
{
    (void)state;
    char why[8];
    memset(why, 'x', sizeof why);
    why_set(why, sizeof why, "%s", "a reason far longer than eight bytes");
    assert_string_equal(why, "a reaso");
}

static void test_no_buffer_is_left_alone(void **state)
{
    (void)state;
    why_set(NULL, 16, "%s", "nowhere to go");
    char why[4] = "abc";
    why_set(why, 0, "%s", "no room");
    assert_string_equal(why, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_is_formatted_into_the_buffer),
        cmocka_unit_test(test_reason_too_long_is_cut_and_terminated),
        cmocka_unit_test(test_no_buffer_is_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
