/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of fades: scene changes take fade_seconds, move in perceptual (L*) steps too small
 * to see, keep several channels together, and never jump when interrupted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "lights/lights.h"
#include "lights/lights_fade.h"

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

static double level_of(const struct lights *lights, int channel)
{
    struct lights_status status;
    lights_status(lights, &status);
    return status.channels[channel].level;
}

static void set_ok(struct lights_config *cfg, const char *section, const char *key,
                   const char *value)
{
    char why[256];
    if (lights_config_set(cfg, section, key, value, why, sizeof why) != 1) {
        fail_msg("%s.%s = %s: %s", section, key, value, why);
    }
}

/* One sim channel, scene "full" (100) in force all week; fade of fade_seconds. */
static void full_config(struct lights_config *cfg, const char *fade_seconds)
{
    lights_config_defaults(cfg);
    set_ok(cfg, "lights", "fade_seconds", fade_seconds);
    set_ok(cfg, "scene.full", "*", "100");
    set_ok(cfg, "scene.off", "*", "0");
    set_ok(cfg, "schedule", "*", "00:00 full");
}

static void test_fade_takes_the_configured_time(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg); /* Monday 10:00: welcome (70) over 20 s */
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    assert_non_null(lights);
    assert_true(level_of(lights, 0) == 0);
    lights_tick(lights, t0 + 10000);
    assert_true(fabs(level_of(lights, 0) - 35) < 1e-9);
    lights_tick(lights, t0 + 19999);
    assert_true(level_of(lights, 0) < 70);
    assert_true(level_of(lights, 0) > 69.9);
    lights_tick(lights, t0 + 20000);
    assert_true(level_of(lights, 0) == 70);
    struct lights_status status;
    lights_status(lights, &status);
    assert_false(status.fading);
    assert_string_equal(status.scene, "welcome");
    lights_close(lights);
}

static void test_steps_at_60_hz_stay_far_below_one_lightness_unit(void **state)
{
    (void)state;
    struct lights_config cfg;
    full_config(&cfg, "20");
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    double previous = level_of(lights, 0), largest = 0;
    int64_t longest_frame = 0, last = t0;
    for (int frame = 1; frame <= 60 * 21; frame++) {
        int64_t now = t0 + (int64_t)llround(frame * 1000.0 / 60.0);
        lights_tick(lights, now);
        double level = level_of(lights, 0);
        largest = fmax(largest, fabs(level - previous));
        longest_frame = now - last > longest_frame ? now - last : longest_frame;
        previous = level;
        last = now;
    }
    assert_true(previous == 100);
    assert_true(largest <= 1.0);
    assert_true(largest <= 100.0 * (double)longest_frame / 20000.0 + 1e-9); /* 0.085 L* */
    lights_close(lights);
}

static void test_step_bound_holds_for_every_tick_rate_and_fade(void **state)
{
    (void)state;
    const int fades_s[] = {1, 5, 20, 60, 600};
    const double rates_hz[] = {10, 20, 30, 60, 144};
    for (size_t f = 0; f < sizeof fades_s / sizeof fades_s[0]; f++) {
        for (size_t r = 0; r < sizeof rates_hz / sizeof rates_hz[0]; r++) {
            struct lights_fade fade;
            double from[2] = {0, 100}, to[2] = {100, 30}, out[2];
            lights_fade_init(&fade, 2, from, 0);
            lights_fade_start(&fade, from, to, 0, fades_s[f] * 1000LL);
            double previous[2] = {0, 100}, largest = 0;
            double dt_ms = 1000.0 / rates_hz[r];
            for (int i = 1; i * dt_ms <= fades_s[f] * 1000.0 + 2 * dt_ms; i++) {
                lights_fade_levels(&fade, (int64_t)(i * dt_ms), out);
                for (int c = 0; c < 2; c++) {
                    largest = fmax(largest, fabs(out[c] - previous[c]));
                    previous[c] = out[c];
                }
            }
            double bound = 100.0 * (dt_ms + 1) / (fades_s[f] * 1000.0);
            if (largest > bound + 1e-9) {
                fail_msg("fade %d s at %g Hz: step %.4f L* above the bound %.4f", fades_s[f],
                         rates_hz[r], largest, bound);
            }
            assert_true(previous[0] == 100 && previous[1] == 30);
        }
    }
}

static void test_following_the_deadline_moves_a_quarter_unit_per_tick(void **state)
{
    (void)state;
    struct lights_config cfg;
    full_config(&cfg, "20");
    int64_t now = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, now);
    double previous = level_of(lights, 0), largest = 0;
    int ticks = 0;
    while (level_of(lights, 0) < 100 && ticks < 100000) {
        int64_t deadline = lights_next_deadline_ms(lights, now);
        assert_true(deadline > now); /* never a busy loop */
        assert_true(deadline - now <= LIGHTS_FADE_TICK_MAX_MS);
        now = deadline;
        lights_tick(lights, now);
        largest = fmax(largest, level_of(lights, 0) - previous);
        previous = level_of(lights, 0);
        ticks++;
    }
    assert_true(previous == 100);
    assert_true(largest <= LIGHTS_FADE_STEP_LSTAR + 1e-9);
    assert_in_range(ticks, 390, 410); /* 20 s / 50 ms */
    lights_close(lights);
}

static void test_idle_deadline_is_the_next_scheduled_change(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    lights_tick(lights, t0 + 20000);
    assert_true(lights_next_deadline_ms(lights, t0 + 20000) == local("2026-06-01 16:00"));
    lights_close(lights);
}

static void test_two_channels_fade_together_to_their_own_levels(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.warm", "driver", "sim");
    set_ok(&cfg, "light.cool", "driver", "sim");
    set_ok(&cfg, "scene.day", "warm", "60");
    set_ok(&cfg, "scene.day", "cool", "80");
    set_ok(&cfg, "scene.evening", "warm", "50");
    set_ok(&cfg, "scene.evening", "cool", "10");
    set_ok(&cfg, "schedule", "*", "08:00 day, 16:00 evening");
    int64_t noon = local("2026-06-01 12:00"), four = local("2026-06-01 16:00");
    struct lights *lights = lights_open(&cfg, noon);
    lights_tick(lights, noon + 20000);
    assert_true(level_of(lights, 0) == 60 && level_of(lights, 1) == 80);
    lights_tick(lights, four);
    lights_tick(lights, four + 10000);
    assert_true(fabs(level_of(lights, 0) - 55) < 1e-9);
    assert_true(fabs(level_of(lights, 1) - 45) < 1e-9);
    lights_tick(lights, four + 19999);
    assert_true(level_of(lights, 0) > 50 && level_of(lights, 1) > 10);
    lights_tick(lights, four + 20000);
    assert_true(level_of(lights, 0) == 50 && level_of(lights, 1) == 10);
    lights_close(lights);
}

static void test_change_mid_fade_continues_from_where_the_light_is(void **state)
{
    (void)state;
    struct lights_config cfg;
    full_config(&cfg, "20");
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    lights_tick(lights, t0 + 10000);
    assert_true(fabs(level_of(lights, 0) - 50) < 1e-9);
    assert_int_equal(lights_override_scene(lights, "off", t0 + 10000), 0);
    assert_true(fabs(level_of(lights, 0) - 50) < 1e-9); /* no jump */
    lights_tick(lights, t0 + 10050);
    assert_true(fabs(level_of(lights, 0) - (50 - 50 * 50 / 20000.0)) < 1e-9);
    lights_tick(lights, t0 + 30000);
    assert_true(level_of(lights, 0) == 0);
    lights_close(lights);
}

static void test_zero_fade_switches_in_one_tick(void **state)
{
    (void)state;
    struct lights_config cfg;
    full_config(&cfg, "0");
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    assert_true(level_of(lights, 0) == 100);
    assert_true(lights_next_deadline_ms(lights, t0) > t0);
    lights_close(lights);
}

static void test_clock_going_back_restarts_the_fade_without_a_jump(void **state)
{
    (void)state;
    struct lights_config cfg;
    full_config(&cfg, "20");
    int64_t t0 = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, t0);
    lights_tick(lights, t0 + 10000);
    lights_tick(lights, t0 + 4000); /* e.g. NTP stepped the clock back 6 s */
    assert_true(fabs(level_of(lights, 0) - 50) < 1e-9);
    lights_tick(lights, t0 + 14000);
    assert_true(fabs(level_of(lights, 0) - 75) < 1e-9);
    lights_tick(lights, t0 + 24000);
    assert_true(level_of(lights, 0) == 100);
    lights_tick(lights, t0 + 15000); /* back again, after the fade ended: stays at 100 */
    assert_true(level_of(lights, 0) == 100);
    lights_close(lights);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fade_takes_the_configured_time),
        cmocka_unit_test(test_steps_at_60_hz_stay_far_below_one_lightness_unit),
        cmocka_unit_test(test_step_bound_holds_for_every_tick_rate_and_fade),
        cmocka_unit_test(test_following_the_deadline_moves_a_quarter_unit_per_tick),
        cmocka_unit_test(test_idle_deadline_is_the_next_scheduled_change),
        cmocka_unit_test(test_two_channels_fade_together_to_their_own_levels),
        cmocka_unit_test(test_change_mid_fade_continues_from_where_the_light_is),
        cmocka_unit_test(test_zero_fade_switches_in_one_tick),
        cmocka_unit_test(test_clock_going_back_restarts_the_fade_without_a_jump),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
