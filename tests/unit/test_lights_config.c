/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of lights_config: the [lights], [light.NAME], [scene.NAME] and [schedule] sections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lights/lights_config.h"

struct reports {
    int count;
    char last[512];
    char all[4096];
};

static void collect(void *ctx, const char *message)
{
    struct reports *r = ctx;
    r->count++;
    snprintf(r->last, sizeof r->last, "%s", message);
    size_t used = strlen(r->all);
    snprintf(r->all + used, sizeof r->all - used, "%s\n", message);
}

static int set(struct lights_config *cfg, const char *section, const char *key, const char *value)
{
    char why[256];
    return lights_config_set(cfg, section, key, value, why, sizeof why);
}

static void test_defaults_give_one_simulated_room_with_opening_hours(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(cfg.fade_seconds, 20);
    assert_int_equal(cfg.channel_count, 1);
    assert_string_equal(cfg.channels[0].name, "room");
    assert_string_equal(lights_driver_name(cfg.channels[0].driver), "sim");
    assert_int_equal(cfg.scene_count, 3);
    assert_string_equal(cfg.scenes[0].name, "welcome");
    assert_true(cfg.scenes[0].levels[0].lightness == 70);
    assert_true(cfg.scenes[1].levels[0].lightness == 35);
    assert_true(cfg.scenes[2].levels[0].lightness == 0);
    assert_true(cfg.schedule_count > 0);
    struct reports r = {0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 0);
    assert_int_equal(r.count, 0);
}

static void test_other_sections_are_left_to_the_config_module(void **state)
{
    (void)state;
    struct lights_config cfg, before;
    lights_config_defaults(&cfg);
    before = cfg;
    assert_int_equal(set(&cfg, "kiosk", "site", "x"), 0);
    assert_int_equal(set(&cfg, "lightsx", "fade_seconds", "3"), 0);
    assert_int_equal(set(&cfg, "scenes", "a", "3"), 0);
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_bad_fade_keeps_the_default_and_says_what_is_accepted(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    char why[256];
    assert_int_equal(lights_config_set(&cfg, "lights", "fade_seconds", "-3", why, sizeof why), -1);
    assert_non_null(strstr(why, "0..600"));
    assert_int_equal(lights_config_set(&cfg, "lights", "fade_seconds", "601", why, sizeof why), -1);
    assert_int_equal(lights_config_set(&cfg, "lights", "fade_seconds", "2x", why, sizeof why), -1);
    assert_int_equal(cfg.fade_seconds, 20);
    assert_int_equal(lights_config_set(&cfg, "lights", "fade_seconds", "45", why, sizeof why), 1);
    assert_int_equal(cfg.fade_seconds, 45);
    assert_int_equal(lights_config_set(&cfg, "lights", "pwm_hz", "10", why, sizeof why), -1);
    assert_non_null(strstr(why, "50..2000"));
    assert_int_equal(lights_config_set(&cfg, "lights", "colour", "red", why, sizeof why), -1);
    assert_non_null(strstr(why, "unknown key"));
}

static void test_first_light_section_replaces_the_default_channel(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "light.warm", "driver", "gpio-pwm"), 1);
    assert_int_equal(set(&cfg, "light.warm", "line", "GPIO18"), 1);
    assert_int_equal(set(&cfg, "light.cool", "driver", "gpio-digipot"), 1);
    assert_int_equal(set(&cfg, "light.cool", "cs", "GPIO5"), 1);
    assert_int_equal(set(&cfg, "light.cool", "active_low", "yes"), 1);
    assert_int_equal(cfg.channel_count, 2);
    assert_string_equal(cfg.channels[0].name, "warm");
    assert_string_equal(cfg.channels[0].line, "GPIO18");
    assert_string_equal(lights_driver_name(cfg.channels[1].driver), "gpio-digipot");
    assert_true(cfg.channels[1].active_low);
    assert_int_equal(set(&cfg, "light.cool", "driver", "dmx"), -1);
    assert_string_equal(lights_driver_name(cfg.channels[1].driver), "gpio-digipot");
    assert_int_equal(set(&cfg, "light.Cool", "driver", "sim"), -1); /* names are lower case */
    assert_int_equal(set(&cfg, "light.cool", "line", "GPIO 5"), -1);
    assert_int_equal(set(&cfg, "light.cool", "min_percent", "101"), -1);
}

static void test_new_section_call_without_key_registers_the_channel(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "light.desk", NULL, NULL), 1);
    assert_int_equal(cfg.channel_count, 1);
    assert_string_equal(cfg.channels[0].name, "desk");
}

static void test_scene_levels_accept_lightness_and_a_star_for_every_channel(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "scene.evening", "*", "20"), 1);
    assert_int_equal(set(&cfg, "scene.evening", "room", "42.5"), 1);
    assert_int_equal(set(&cfg, "scene.evening", "room", "101"), -1);
    assert_int_equal(cfg.scene_count, 1); /* the default scenes were replaced */
    assert_int_equal(cfg.scenes[0].level_count, 2);
    assert_true(cfg.scenes[0].levels[1].lightness == 42.5);
}

static void test_schedule_line_lists_times_and_scenes_for_a_set_of_days(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "schedule", "mon-fri", "08:00 welcome, 16:30 quiet,17:00 closed"),
                     1);
    assert_int_equal(set(&cfg, "schedule", "sat,sun", "0:00 closed"), 1);
    assert_int_equal(set(&cfg, "schedule", "fri-mon", "12:00 quiet"), 1);
    assert_int_equal(set(&cfg, "schedule", "*", "23:59 closed"), 1);
    assert_int_equal(cfg.schedule_count, 6);
    assert_int_equal(cfg.schedule[0].days, 0x1f);
    assert_int_equal(cfg.schedule[0].minute_of_day, 8 * 60);
    assert_string_equal(cfg.schedule[1].scene, "quiet");
    assert_int_equal(cfg.schedule[1].minute_of_day, 16 * 60 + 30);
    assert_int_equal(cfg.schedule[3].days, 0x60);
    assert_int_equal(cfg.schedule[3].minute_of_day, 0);
    assert_int_equal(cfg.schedule[4].days, 0x71); /* fri, sat, sun, mon */
    assert_int_equal(cfg.schedule[5].days, 0x7f);
}

static void test_bad_schedule_line_adds_nothing(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "schedule", "mon", "08:00 welcome"), 1);
    char why[256];
    const char *bad[][2] = {
        {"mon", "08:00 welcome, 24:00 closed"},
        {"mon", "8 welcome"},
        {"mon", "08:00"},
        {"mon", "08:60 welcome"},
        {"maandag", "08:00 a"},
        {"mon-", "08:00 a"},
        {"mon", "08:00 Welcome"},
        {"mon", "08:00 a b"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = lights_config_set(&cfg, "schedule", bad[i][0], bad[i][1], why, sizeof why);
        if (rc != -1) {
            fail_msg("accepted %s = %s", bad[i][0], bad[i][1]);
        }
        assert_true(strlen(why) > 0);
    }
    assert_int_equal(cfg.schedule_count, 1);
}

static void test_check_drops_what_names_nothing_and_reports_it(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set(&cfg, "light.warm", "driver", "sim");
    set(&cfg, "scene.day", "warm", "60");
    set(&cfg, "scene.day", "cool", "60");
    set(&cfg, "scene.night", "*", "0");
    set(&cfg, "schedule", "*", "08:00 day, 20:00 nigth, 21:00 night");
    struct reports r = {0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 2);
    assert_non_null(strstr(r.all, "[scene.day] cool = 60: there is no [light.cool] section"));
    assert_non_null(strstr(r.all, "nigth"));
    assert_int_equal(cfg.scenes[0].level_count, 1);
    assert_int_equal(cfg.schedule_count, 2);
    assert_string_equal(cfg.schedule[1].scene, "night");
    r = (struct reports){0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 0); /* repaired: nothing left */
}

static void test_check_turns_a_driver_without_its_lines_into_sim(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set(&cfg, "light.a", "driver", "gpio-digipot");
    set(&cfg, "light.a", "cs", "GPIO5");
    set(&cfg, "light.a", "inc", "GPIO6");
    set(&cfg, "light.a", "ud", "GPIO13");
    set(&cfg, "light.d", "driver", "gpio-digipot");
    set(&cfg, "light.d", "cs", "GPIO7");
    set(&cfg, "light.d", "inc", "GPIO8");
    set(&cfg, "light.b", "driver", "gpio-relay");
    set(&cfg, "light.b", "line", "GPIO6");
    set(&cfg, "light.c", "driver", "gpio-pwm");
    set(&cfg, "light.c", "line", "GPIO18");
    set(&cfg, "light.c", "min_percent", "60");
    set(&cfg, "light.c", "max_percent", "40");
    set(&cfg, "scene.x", "*", "50");
    set(&cfg, "schedule", "*", "00:00 x");
    struct reports r = {0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 3);
    assert_non_null(strstr(r.all, "[light.d] driver = gpio-digipot needs ud = "));
    assert_non_null(strstr(r.all, "[light.b] line = GPIO6: line already used by [light.a] inc"));
    assert_non_null(strstr(r.all, "min_percent must be below max_percent"));
    assert_string_equal(lights_driver_name(cfg.channels[0].driver),
                        "gpio-digipot");                                    /* a keeps its lines */
    assert_string_equal(lights_driver_name(cfg.channels[1].driver), "sim"); /* d */
    assert_string_equal(lights_driver_name(cfg.channels[2].driver), "sim"); /* b */
    assert_string_equal(lights_driver_name(cfg.channels[3].driver), "gpio-pwm"); /* c */
    assert_true(cfg.channels[3].min_percent == 0 && cfg.channels[3].max_percent == 100);
}

static void test_check_warns_when_a_scene_leaves_a_channel_off(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set(&cfg, "light.warm", "driver", "sim");
    set(&cfg, "light.cool", "driver", "sim");
    set(&cfg, "scene.day", "warm", "60");
    struct reports r = {0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 4); /* default schedule: 4 lines */
    assert_non_null(strstr(r.all, "the default schedule uses scene welcome at 08:00"));
    set(&cfg, "schedule", "*", "00:00 day");
    r = (struct reports){0};
    assert_int_equal(lights_config_check(&cfg, collect, &r), 0);
    assert_int_equal(r.count, 1);
    assert_non_null(strstr(r.last, "warning: [scene.day] does not name channel cool"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_give_one_simulated_room_with_opening_hours),
        cmocka_unit_test(test_other_sections_are_left_to_the_config_module),
        cmocka_unit_test(test_bad_fade_keeps_the_default_and_says_what_is_accepted),
        cmocka_unit_test(test_first_light_section_replaces_the_default_channel),
        cmocka_unit_test(test_new_section_call_without_key_registers_the_channel),
        cmocka_unit_test(test_scene_levels_accept_lightness_and_a_star_for_every_channel),
        cmocka_unit_test(test_schedule_line_lists_times_and_scenes_for_a_set_of_days),
        cmocka_unit_test(test_bad_schedule_line_adds_nothing),
        cmocka_unit_test(test_check_drops_what_names_nothing_and_reports_it),
        cmocka_unit_test(test_check_turns_a_driver_without_its_lines_into_sim),
        cmocka_unit_test(test_check_warns_when_a_scene_leaves_a_channel_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
