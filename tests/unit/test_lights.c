/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the lights core as the host page and the staff menu use it: host override until
 * the next scheduled change, the light test, the scene list and the status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "lights/lights.h"

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
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

static struct lights_status status_of(const struct lights *lights)
{
    struct lights_status status;
    lights_status(lights, &status);
    return status;
}

/* Default config: Mon-Fri 08:00 welcome (70), 16:00 quiet (35), 17:00 closed (0). */
static struct lights *open_default(int64_t now)
{
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    struct lights *lights = lights_open(&cfg, now);
    assert_non_null(lights);
    return lights;
}

static void test_override_holds_until_the_next_scheduled_change(void **state)
{
    (void)state;
    int64_t ten = local("2026-06-01 10:00"), four = local("2026-06-01 16:00");
    struct lights *lights = open_default(ten);
    assert_int_equal(lights_override_scene(lights, "closed", ten + 60000), 0);
    struct lights_status st = status_of(lights);
    assert_true(st.override_active);
    assert_string_equal(st.scene, "closed");
    assert_true(st.override_until_ms == four);
    lights_tick(lights, four - 1);
    assert_true(status_of(lights).channels[0].level == 0);
    assert_true(status_of(lights).override_active);
    assert_true(lights_next_deadline_ms(lights, four - 1) == four);
    lights_tick(lights, four);
    st = status_of(lights);
    assert_false(st.override_active);
    assert_string_equal(st.scene, "quiet");
    lights_tick(lights, four + 20000);
    assert_true(status_of(lights).channels[0].level == 35);
    lights_close(lights);
}

/* NTP steps the clock ten minutes on in the middle of the 20 s fade from welcome (70) to
 * quiet (35): the fade goes on where it was instead of jumping to its end. */
static void test_a_clock_step_neither_ends_nor_restarts_a_fade(void **state)
{
    (void)state;
    int64_t four = local("2026-06-01 16:00");
    struct lights *lights = open_default(four - 60000);
    lights_tick(lights, four - 30000);
    lights_tick(lights, four);
    lights_tick(lights, four + 5000);
    double quarter = status_of(lights).channels[0].level;
    assert_true(quarter < 70 && quarter > 35);
    lights_clock_stepped(lights, 600000);
    lights_tick(lights, four + 600000 + 6000);
    double later = status_of(lights).channels[0].level;
    assert_true(later < quarter && later > 35); /* moved on a little, not at the end */
    lights_tick(lights, four + 600000 + 20000);
    assert_true(status_of(lights).channels[0].level == 35);
    lights_close(lights);
}

static void test_override_of_an_unknown_scene_changes_nothing(void **state)
{
    (void)state;
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = open_default(ten);
    assert_int_equal(lights_override_scene(lights, "disco", ten), -ENOENT);
    assert_int_equal(lights_override_scene(lights, NULL, ten), -ENOENT);
    struct lights_status st = status_of(lights);
    assert_false(st.override_active);
    assert_string_equal(st.scene, "welcome");
    assert_true(st.channels[0].target == 70);
    lights_close(lights);
}

static void test_ending_the_override_returns_to_the_schedule(void **state)
{
    (void)state;
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = open_default(ten);
    lights_tick(lights, ten + 20000);
    lights_override_scene(lights, "quiet", ten + 30000);
    lights_tick(lights, ten + 50000);
    assert_true(status_of(lights).channels[0].level == 35);
    lights_override_end(lights, ten + 60000);
    assert_false(status_of(lights).override_active);
    assert_string_equal(status_of(lights).scene, "welcome");
    lights_tick(lights, ten + 80000);
    assert_true(status_of(lights).channels[0].level == 70);
    lights_close(lights);
}

static void test_scene_names_are_listed_in_config_order(void **state)
{
    (void)state;
    struct lights *lights = open_default(local("2026-06-01 10:00"));
    assert_string_equal(lights_scene_name(lights, 0), "welcome");
    assert_string_equal(lights_scene_name(lights, 1), "quiet");
    assert_string_equal(lights_scene_name(lights, 2), "closed");
    assert_null(lights_scene_name(lights, 3));
    assert_null(lights_scene_name(lights, -1));
    lights_close(lights);
}

static void test_light_test_shows_its_level_over_any_scene_until_ended(void **state)
{
    (void)state;
    int64_t evening = local("2026-06-01 20:00"); /* closed: dark */
    struct lights *lights = open_default(evening);
    assert_int_equal(lights_test_level(lights, NULL, 100, evening), 0);
    lights_tick(lights, evening + LIGHTS_TEST_FADE_MS);
    struct lights_status st = status_of(lights);
    assert_true(st.test_active);
    assert_true(st.channels[0].level == 100);
    lights_override_scene(lights, "quiet", evening + 2000); /* the test still wins */
    lights_tick(lights, evening + 30000);
    assert_true(status_of(lights).channels[0].level == 100);
    lights_test_end(lights, evening + 40000);
    lights_tick(lights, evening + 40000 + 20000);
    st = status_of(lights);
    assert_false(st.test_active);
    assert_true(st.channels[0].level == 35); /* back to the host's override */
    lights_close(lights);
}

static void test_forgotten_light_test_ends_by_itself(void **state)
{
    (void)state;
    int64_t evening = local("2026-06-01 20:00");
    struct lights *lights = open_default(evening);
    lights_test_level(lights, "room", 80, evening);
    assert_true(lights_next_deadline_ms(lights, evening + 5000) <=
                evening + LIGHTS_TEST_TIMEOUT_MS);
    lights_tick(lights, evening + LIGHTS_TEST_TIMEOUT_MS);
    assert_false(status_of(lights).test_active);
    lights_tick(lights, evening + LIGHTS_TEST_TIMEOUT_MS + 20000);
    assert_true(status_of(lights).channels[0].level == 0);
    lights_close(lights);
}

static void test_light_test_rejects_unknown_channel_and_bad_level(void **state)
{
    (void)state;
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = open_default(ten);
    assert_int_equal(lights_test_level(lights, "hall", 50, ten), -ENOENT);
    assert_int_equal(lights_test_level(lights, NULL, 101, ten), -EINVAL);
    assert_int_equal(lights_test_level(lights, NULL, -1, ten), -EINVAL);
    assert_false(status_of(lights).test_active);
    lights_close(lights);
}

static void test_status_names_each_channel_and_its_driver(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    char why[128];
    lights_config_set(&cfg, "light.warm", "min_percent", "10", why, sizeof why);
    lights_config_set(&cfg, "light.cool", "driver", "sim", why, sizeof why);
    lights_config_set(&cfg, "scene.day", "*", "100", why, sizeof why);
    lights_config_set(&cfg, "schedule", "*", "00:00 day", why, sizeof why);
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, ten);
    lights_tick(lights, ten + 10000);
    struct lights_status st = status_of(lights);
    assert_int_equal(st.channel_count, 2);
    assert_string_equal(st.channels[0].name, "warm");
    assert_string_equal(st.channels[0].driver, "sim");
    assert_false(st.channels[0].degraded);
    assert_string_equal(st.channels[0].problem, "");
    assert_true(st.fading);
    assert_true(st.channels[0].target == 100);
    /* L* 50 -> 18.42 % luminance, in 10..100 % output: 26.6 % */
    assert_in_range((long)(st.channels[0].output_percent * 10), 265, 267);
    assert_in_range((long)(st.channels[1].output_percent * 10), 184, 184);
    assert_true(st.next_change_ms == local("2026-06-02 00:00")); /* every midnight */
    lights_close(lights);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_override_holds_until_the_next_scheduled_change),
        cmocka_unit_test(test_a_clock_step_neither_ends_nor_restarts_a_fade),
        cmocka_unit_test(test_override_of_an_unknown_scene_changes_nothing),
        cmocka_unit_test(test_ending_the_override_returns_to_the_schedule),
        cmocka_unit_test(test_scene_names_are_listed_in_config_order),
        cmocka_unit_test(test_light_test_shows_its_level_over_any_scene_until_ended),
        cmocka_unit_test(test_forgotten_light_test_ends_by_itself),
        cmocka_unit_test(test_light_test_rejects_unknown_channel_and_bad_level),
        cmocka_unit_test(test_status_names_each_channel_and_its_driver),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
