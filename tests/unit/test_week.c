/* SPDX-License-Identifier: EUPL-1.2 */
/* week: the shared day/time words and the "HH:MM WORD, ..." list of every schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/week.h"

/* Walks text and writes "minute=word;" per entry into out; returns the last result. */
static int walk(const char *text, char *out, size_t size)
{
    const char *p = text, *word;
    size_t len;
    int minute, rc;
    out[0] = '\0';
    while ((rc = week_next_entry(&p, &minute, &word, &len)) == 1) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%d=%.*s;", minute, (int)len, word);
    }
    return rc;
}

static void test_schedule_list_gives_each_time_and_word_trimmed(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(walk(" 8:00 welcome ,16:30\tquiet-evening,  23:59 -32 ", out, sizeof out), 0);
    assert_string_equal(out, "480=welcome;990=quiet-evening;1439=-32;");
}

static void test_schedule_list_refuses_a_trailing_comma_or_a_missing_word(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(walk("08:00 calm,", out, sizeof out), -1);
    assert_string_equal(out, "");
    assert_int_equal(walk("08:00 calm, 09:00", out, sizeof out), -1);
    assert_int_equal(walk("08:00 ,09:00 calm", out, sizeof out), -1);
    assert_int_equal(walk("08:00calm", out, sizeof out), -1);
    assert_int_equal(walk("24:00 calm", out, sizeof out), -1);
    assert_int_equal(walk("calm", out, sizeof out), -1);
}

static void test_an_empty_schedule_list_is_the_end_at_once(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(walk("   ", out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_day_sets_wrap_and_combine(void **state)
{
    (void)state;
    unsigned days = 0;
    assert_true(week_parse_days("fri-mon", &days));
    assert_int_equal(days, (1u << 4) | (1u << 5) | (1u << 6) | 1u);
    assert_true(week_parse_days("mon, wed", &days));
    assert_int_equal(days, 1u | (1u << 2));
    days = 99;
    assert_false(week_parse_days("monday", &days));
    assert_int_equal(days, 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_list_gives_each_time_and_word_trimmed),
        cmocka_unit_test(test_schedule_list_refuses_a_trailing_comma_or_a_missing_word),
        cmocka_unit_test(test_an_empty_schedule_list_is_the_end_at_once),
        cmocka_unit_test(test_day_sets_wrap_and_combine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
