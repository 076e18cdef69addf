/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of lights_schedule: the scene in force by weekday and local time, and when it
 * changes next, across weekends, midnight and the daylight-saving days of 2026 in
 * Europe/Amsterdam (29 March: 02:00 -> 03:00; 25 October: 03:00 -> 02:00).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "lights/lights_config.h"
#include "lights/lights_schedule.h"

#define HOUR_MS (3600 * 1000LL)
#define MINUTE_MS (60 * 1000LL)

static int setup_amsterdam(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    return 0;
}

static int64_t local(const char *text)
{
    int64_t ms = 0;
    if (clock_parse_local(text, &ms) != 0) {
        fail_msg("not a local time: %s", text);
    }
    return ms;
}

static int64_t utc(int year, int month, int day, int hour, int minute)
{
    struct tm tm = {.tm_year = year - 1900,
                    .tm_mon = month - 1,
                    .tm_mday = day,
                    .tm_hour = hour,
                    .tm_min = minute};
    return (int64_t)timegm(&tm) * 1000;
}

/* Builds a schedule from [schedule] lines over scenes a, b, c, closed, quiet, welcome. */
static void build(struct lights_schedule *schedule, const char *const lines[][2], int count)
{
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    char why[256];
    const char *scenes[] = {"welcome", "quiet", "closed", "a", "b"};
    for (size_t i = 0; i < sizeof scenes / sizeof scenes[0]; i++) {
        char section[64];
        snprintf(section, sizeof section, "scene.%s", scenes[i]);
        assert_int_equal(lights_config_set(&cfg, section, "*", "1", why, sizeof why), 1);
    }
    for (int i = 0; i < count; i++) {
        if (lights_config_set(&cfg, "schedule", lines[i][0], lines[i][1], why, sizeof why) != 1) {
            fail_msg("schedule line %s = %s: %s", lines[i][0], lines[i][1], why);
        }
    }
    assert_int_equal(lights_config_check(&cfg, NULL, NULL), 0);
    lights_schedule_build(schedule, &cfg);
}

/* Scene name in force at local time text; scene indices follow build()'s list. */
static const char *scene_at(const struct lights_schedule *schedule, int64_t ms)
{
    static const char *const names[] = {"welcome", "quiet", "closed", "a", "b"};
    int scene = lights_schedule_scene_at(schedule, ms);
    return scene < 0 ? "(none)" : names[scene];
}

static const char *const office[][2] = {
    {"mon-fri", "08:00 welcome, 16:00 quiet, 17:00 closed"},
    {"sat,sun", "00:00 closed"},
};

static void test_weekday_edges_switch_at_the_exact_minute(void **state)
{
    (void)state;
    struct lights_schedule s;
    build(&s, office, 2);
    /* 2026-03-27 is a Friday, 2026-03-30 a Monday. */
    assert_string_equal(scene_at(&s, local("2026-03-27 07:59")), "closed");
    assert_string_equal(scene_at(&s, local("2026-03-27 08:00")), "welcome");
    assert_string_equal(scene_at(&s, local("2026-03-27 15:59") + 59999), "welcome");
    assert_string_equal(scene_at(&s, local("2026-03-27 16:00")), "quiet");
    assert_string_equal(scene_at(&s, local("2026-03-27 17:00")), "closed");
    assert_string_equal(scene_at(&s, local("2026-03-28 12:00")), "closed");
    assert_string_equal(scene_at(&s, local("2026-03-30 07:59")), "closed");
    assert_string_equal(scene_at(&s, local("2026-03-30 08:00")), "welcome");
}

static void test_before_the_first_entry_of_the_week_the_last_one_holds(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"mon", "09:00 welcome"}, {"fri", "18:00 quiet"}};
    build(&s, lines, 2);
    assert_string_equal(scene_at(&s, local("2026-03-30 08:59")), "quiet"); /* Monday */
    assert_string_equal(scene_at(&s, local("2026-03-30 09:00")), "welcome");
    assert_string_equal(scene_at(&s, local("2026-03-29 23:59")), "quiet"); /* Sunday */
}

static void test_next_change_crosses_the_weekend(void **state)
{
    (void)state;
    struct lights_schedule s;
    build(&s, office, 2);
    int64_t friday_five = local("2026-04-10 17:00");
    /* Saturday 00:00 is an entry too (sat,sun 00:00 closed) */
    assert_true(lights_schedule_next_change_ms(&s, friday_five) == local("2026-04-11 00:00"));
    int64_t next = lights_schedule_next_change_ms(&s, local("2026-04-11 00:00"));
    assert_true(next == local("2026-04-12 00:00"));
    next = lights_schedule_next_change_ms(&s, next);
    assert_true(next == local("2026-04-13 08:00"));
    /* From inside a minute the change is still at the minute boundary. */
    assert_true(lights_schedule_next_change_ms(&s, local("2026-04-13 07:59") + 30500) ==
                local("2026-04-13 08:00"));
}

static void test_midnight_entry_takes_over_at_midnight(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "00:00 quiet, 08:00 welcome, 23:30 closed"}};
    build(&s, lines, 1);
    assert_string_equal(scene_at(&s, local("2026-06-02 23:59")), "closed");
    assert_string_equal(scene_at(&s, local("2026-06-03 00:00")), "quiet");
    assert_true(lights_schedule_next_change_ms(&s, local("2026-06-02 23:45")) ==
                local("2026-06-03 00:00"));
    /* Sunday night into Monday: the week wraps. */
    assert_string_equal(scene_at(&s, local("2026-06-08 00:00")), "quiet");
    assert_true(lights_schedule_next_change_ms(&s, local("2026-06-07 23:30")) ==
                local("2026-06-08 00:00"));
}

static void test_same_minute_twice_the_later_line_wins(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "08:00 welcome"}, {"tue", "08:00 quiet"}};
    build(&s, lines, 2);
    assert_string_equal(scene_at(&s, local("2026-06-02 08:00")), "quiet");   /* Tuesday */
    assert_string_equal(scene_at(&s, local("2026-06-03 08:00")), "welcome"); /* Wednesday */
}

static void test_spring_forward_day_keeps_wall_clock_times(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "08:00 welcome, 20:00 closed"}};
    build(&s, lines, 1);
    int64_t saturday_eight_pm = local("2026-03-28 20:00");
    int64_t next = lights_schedule_next_change_ms(&s, saturday_eight_pm);
    assert_true(next == utc(2026, 3, 29, 6, 0)); /* 08:00 CEST */
    assert_true(next - saturday_eight_pm == 11 * HOUR_MS);
    assert_string_equal(scene_at(&s, next - 1), "closed");
    assert_string_equal(scene_at(&s, next), "welcome");
}

static void test_entry_in_the_skipped_hour_takes_effect_at_the_jump(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "01:00 closed"}, {"sun", "02:30 quiet"}};
    build(&s, lines, 2);
    int64_t jump = utc(2026, 3, 29, 1, 0); /* 02:00 CET becomes 03:00 CEST */
    assert_string_equal(scene_at(&s, jump - 1000), "closed");
    assert_string_equal(scene_at(&s, jump), "quiet");
    assert_true(lights_schedule_next_change_ms(&s, utc(2026, 3, 29, 0, 15)) == jump);
}

static void test_fall_back_day_keeps_wall_clock_times(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "08:00 welcome, 20:00 closed"}};
    build(&s, lines, 1);
    int64_t saturday_eight_pm = local("2026-10-24 20:00");
    int64_t next = lights_schedule_next_change_ms(&s, saturday_eight_pm);
    assert_true(next == utc(2026, 10, 25, 7, 0)); /* 08:00 CET */
    assert_true(next - saturday_eight_pm == 13 * HOUR_MS);
    assert_string_equal(scene_at(&s, next - 1), "closed");
    assert_string_equal(scene_at(&s, next), "welcome");
}

static void test_entry_in_the_repeated_hour_comes_twice(void **state)
{
    (void)state;
    struct lights_schedule s;
    const char *const lines[][2] = {{"*", "01:00 closed"}, {"sun", "02:30 quiet"}};
    build(&s, lines, 2);
    int64_t first = utc(2026, 10, 25, 0, 30);  /* 02:30 CEST */
    int64_t back = utc(2026, 10, 25, 1, 0);    /* 03:00 CEST becomes 02:00 CET */
    int64_t second = utc(2026, 10, 25, 1, 30); /* 02:30 CET */
    int64_t t = utc(2026, 10, 24, 23, 30);     /* 01:30 CEST */
    assert_true(lights_schedule_next_change_ms(&s, t) == first);
    assert_string_equal(scene_at(&s, first), "quiet");
    assert_true(lights_schedule_next_change_ms(&s, first) == back);
    assert_string_equal(scene_at(&s, back), "closed");
    assert_true(lights_schedule_next_change_ms(&s, back) == second);
    assert_string_equal(scene_at(&s, second), "quiet");
    assert_true(lights_schedule_next_change_ms(&s, second) == local("2026-10-26 01:00"));
}

static void test_empty_schedule_never_changes(void **state)
{
    (void)state;
    struct lights_schedule s;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    cfg.schedule_count = 0;
    lights_schedule_build(&s, &cfg);
    assert_int_equal(lights_schedule_scene_at(&s, local("2026-06-02 12:00")), -1);
    assert_true(lights_schedule_next_change_ms(&s, local("2026-06-02 12:00")) == INT64_MAX);
}

static void test_every_minute_of_a_dst_week_agrees_with_next_change(void **state)
{
    (void)state;
    /* Walk the week of 25 October minute by minute: the scene may only differ where
     * next_change said it would. */
    struct lights_schedule s;
    const char *const lines[][2] = {{"mon-fri", "08:00 welcome, 12:00 quiet, 17:00 closed"},
                                    {"sun", "02:15 a, 02:45 b, 03:10 closed"}};
    build(&s, lines, 2);
    int64_t t = local("2026-10-22 00:00");
    int64_t end = local("2026-10-29 00:00");
    int64_t next = lights_schedule_next_change_ms(&s, t);
    int slot = lights_schedule_slot_at(&s, t);
    int changes = 0;
    for (t += MINUTE_MS; t < end; t += MINUTE_MS) {
        int now_slot = lights_schedule_slot_at(&s, t);
        if (now_slot != slot) {
            if (t != next) {
                fail_msg("slot changed at %lld but next_change said %lld", (long long)t,
                         (long long)next);
            }
            slot = now_slot;
            changes++;
            next = lights_schedule_next_change_ms(&s, t);
        }
        assert_true(next > t);
    }
    /* Thu 12/17, Fri 8/12/17, Sun 02:15, 02:45, back at 03:00->02:00 (a), 02:15 again... */
    assert_true(changes >= 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday_edges_switch_at_the_exact_minute),
        cmocka_unit_test(test_before_the_first_entry_of_the_week_the_last_one_holds),
        cmocka_unit_test(test_next_change_crosses_the_weekend),
        cmocka_unit_test(test_midnight_entry_takes_over_at_midnight),
        cmocka_unit_test(test_same_minute_twice_the_later_line_wins),
        cmocka_unit_test(test_spring_forward_day_keeps_wall_clock_times),
        cmocka_unit_test(test_entry_in_the_skipped_hour_takes_effect_at_the_jump),
        cmocka_unit_test(test_fall_back_day_keeps_wall_clock_times),
        cmocka_unit_test(test_entry_in_the_repeated_hour_comes_twice),
        cmocka_unit_test(test_empty_schedule_never_changes),
        cmocka_unit_test(test_every_minute_of_a_dst_week_agrees_with_next_change),
    };
    return cmocka_run_group_tests(tests, setup_amsterdam, NULL);
}
