/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of the opening hours (core/hours.c): what the closed screen and the journey rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/hours.h"

/* A local time from "YYYY-MM-DD HH:MM" (TZ is set in main). */
static struct oase_localtime at(const char *text)
{
    int64_t ms;
    assert_int_equal(clock_parse_local(text, &ms), 0);
    struct oase_localtime local;
    clock_local(ms, &local);
    return local;
}

/* Monday to Thursday 08:30-17:00, Friday 08:30-12:30, weekend closed, Christmas closed. */
static void office(struct hours *h)
{
    hours_defaults(h);
    char why[256];
    const char *days[] = {"monday", "tuesday", "wednesday", "thursday"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(hours_config_set(h, days[i], "08:30-17:00", why, sizeof why), 0);
    }
    assert_int_equal(hours_config_set(h, "friday", "08:30-12:30", why, sizeof why), 0);
    assert_int_equal(hours_config_set(h, "saturday", "closed", why, sizeof why), 0);
    assert_int_equal(hours_config_set(h, "sunday", "closed", why, sizeof why), 0);
    assert_int_equal(hours_config_set(h, "closed_dates", "2026-12-25, 2026-12-28", why, sizeof why),
                     0);
    assert_int_equal(hours_config_set(h, "phone", "+31 20 123 45 67", why, sizeof why), 0);
}

static void test_without_hours_the_office_is_always_open(void **state)
{
    (void)state;
    struct hours h;
    hours_defaults(&h);
    struct oase_localtime sunday_night = at("2026-03-08 23:59");
    assert_true(hours_is_open(&h, &sunday_night));
    struct oase_localtime midnight = at("2026-03-09 00:00");
    assert_true(hours_is_open(&h, &midnight));
    assert_string_equal(h.phone, "");
}

static void test_open_only_inside_the_day_hours(void **state)
{
    (void)state;
    struct hours h;
    office(&h);
    const struct {
        const char *when;
        bool open;
    } cases[] = {
        {"2026-03-02 08:29", false}, {"2026-03-02 08:30", true},  {"2026-03-02 16:59", true},
        {"2026-03-02 17:00", false}, {"2026-03-02 19:30", false}, {"2026-03-06 12:29", true},
        {"2026-03-06 12:30", false}, {"2026-03-07 10:00", false}, {"2026-03-08 11:00", false},
        {"2026-12-25 10:00", false}, {"2026-12-24 10:00", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct oase_localtime t = at(cases[i].when);
        if (hours_is_open(&h, &t) != cases[i].open) {
            fail_msg("%s: expected %s", cases[i].when, cases[i].open ? "open" : "closed");
        }
    }
}

static void test_next_opening_names_the_day_and_time(void **state)
{
    (void)state;
    struct hours h;
    office(&h);
    struct hours_opening next;
    struct oase_localtime evening = at("2026-03-02 19:30"); /* Monday */
    assert_int_equal(hours_next_open(&h, &evening, &next), 0);
    assert_int_equal(next.days_ahead, 1);
    assert_int_equal(next.weekday, 1);
    assert_int_equal(next.minute, 8 * 60 + 30);
    struct oase_localtime early = at("2026-03-03 07:10");
    assert_int_equal(hours_next_open(&h, &early, &next), 0);
    assert_int_equal(next.days_ahead, 0);
    struct oase_localtime sunday = at("2026-03-08 11:00");
    assert_int_equal(hours_next_open(&h, &sunday, &next), 0);
    assert_int_equal(next.days_ahead, 1);
    assert_int_equal(next.weekday, 0);
    struct oase_localtime friday = at("2026-03-06 13:00");
    assert_int_equal(hours_next_open(&h, &friday, &next), 0);
    assert_int_equal(next.days_ahead, 3); /* Monday */
    /* Christmas on Friday, the 28th (Monday) closed too: Tuesday 29 December. */
    struct oase_localtime christmas_eve = at("2026-12-24 18:00");
    assert_int_equal(hours_next_open(&h, &christmas_eve, &next), 0);
    assert_int_equal(next.days_ahead, 5);
    assert_int_equal(next.weekday, 1);
}

static void test_never_open_has_no_next_opening(void **state)
{
    (void)state;
    struct hours h;
    hours_defaults(&h);
    char why[256];
    const char *days[] = {"monday", "tuesday",  "wednesday", "thursday",
                          "friday", "saturday", "sunday"};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(hours_config_set(&h, days[i], "closed", why, sizeof why), 0);
    }
    struct hours_opening next;
    struct oase_localtime t = at("2026-03-02 10:00");
    assert_false(hours_is_open(&h, &t));
    assert_int_equal(hours_next_open(&h, &t, &next), -ENOENT);
}

static void test_bad_values_are_refused_and_change_nothing(void **state)
{
    (void)state;
    struct hours h;
    office(&h);
    struct hours before = h;
    char why[256];
    const char *bad_days[] = {"17:00-08:30", "8:30-17:00",  "08:30", "08:30-24:01",
                              "25:00-26:00", "08:60-17:00", "open",  ""};
    for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++) {
        why[0] = '\0';
        assert_int_equal(hours_config_set(&h, "monday", bad_days[i], why, sizeof why), -EINVAL);
        assert_non_null(strstr(why, "HH:MM-HH:MM"));
    }
    assert_int_equal(hours_config_set(&h, "closed_dates", "2026-02-30", why, sizeof why), -EINVAL);
    assert_int_equal(hours_config_set(&h, "closed_dates", "2026-12-25 tomorrow", why, sizeof why),
                     -EINVAL);
    assert_int_equal(hours_config_set(&h, "phone", "call us", why, sizeof why), -EINVAL);
    assert_int_equal(hours_config_set(&h, "phone", "+-()", why, sizeof why), -EINVAL);
    assert_memory_equal(&h, &before, sizeof h);
    assert_int_equal(hours_config_set(&h, "opening", "08:00", why, sizeof why), -ENOENT);
    assert_int_equal(strncmp(why, "unknown key", 11), 0);
    assert_int_equal(hours_config_set(&h, "monday", "00:00-24:00", why, sizeof why), 0);
    struct oase_localtime late = at("2026-03-02 23:59");
    assert_true(hours_is_open(&h, &late));
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_hours_the_office_is_always_open),
        cmocka_unit_test(test_open_only_inside_the_day_hours),
        cmocka_unit_test(test_next_opening_names_the_day_and_time),
        cmocka_unit_test(test_never_open_has_no_next_opening),
        cmocka_unit_test(test_bad_values_are_refused_and_change_nothing),
    };
    return cmocka_run_group_tests_name("hours", tests, NULL, NULL);
}
