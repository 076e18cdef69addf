/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for clock: the monotonic clock goes on while a simulated wall clock steps, and the
 * watch tells a step (NTP, date -s) from slewing, with the time since which the old clock held.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/clock.h"

static void test_a_step_moves_the_wall_clock_and_not_the_monotonic_one(void **state)
{
    (void)state;
    struct oase_clock clock;
    clock_init_simulated(&clock, 1772463660000); /* 2026-03-02 16:01 in Amsterdam */
    int64_t mono = clock_mono_ms(&clock);
    clock_step(&clock, -600000);
    assert_int_equal(clock_now_ms(&clock), 1772463660000 - 600000);
    assert_int_equal(clock_mono_ms(&clock), mono);
    clock_advance(&clock, 1500);
    assert_int_equal(clock_now_ms(&clock), 1772463660000 - 600000 + 1500);
    assert_int_equal(clock_mono_ms(&clock), mono + 1500);
}

static void test_the_watch_sees_steps_and_follows_slewing(void **state)
{
    (void)state;
    struct clock_watch watch = {0};
    int64_t since = -1;
    /* Booted 600 s ago; the wall clock says 10:00 (36000000 on a toy axis). */
    assert_int_equal(clock_watch_look(&watch, 36000000, 600000, &since), 0);
    assert_int_equal(since, -1);
    /* One second on both clocks, plus 1.5 s of slewing: no step. */
    assert_int_equal(clock_watch_look(&watch, 36002500, 601000, &since), 0);
    /* NTP steps the clock 16 hours forward. */
    assert_int_equal(clock_watch_look(&watch, 36002500 + 57600000 + 1000, 602000, &since),
                     57600000);
    assert_int_equal(since, 36000000 - 600000); /* the old clock held since boot */
    /* Set back ten minutes: a step of its own, the old clock held since the last step. */
    int64_t now = 36002500 + 57600000 + 1000;
    assert_int_equal(clock_watch_look(&watch, now + 1000 - 600000, 603000, &since), -600000);
    assert_int_equal(since, now);
}

/* A restart of the kiosk in the same boot keeps the boot id; the watch started on the
 * earlier run's offset sees a step the clock took while the kiosk was down. */
static void test_a_restart_in_one_boot_keeps_its_id_and_sees_a_step_taken_meanwhile(void **state)
{
    (void)state;
    struct oase_clock first, second, reboot;
    clock_init_simulated(&first, 1772463660000); /* 16:01, booted 10 minutes before */
    clock_init_simulated(&second, 1772463660000 + 19 * 60000);
    clock_set_uptime(&second, 29 * 60000); /* 16:20, the same boot */
    clock_init_simulated(&reboot, 1772463660000 + 19 * 60000);
    char a[CLOCK_BOOT_ID_SIZE], b[CLOCK_BOOT_ID_SIZE], c[CLOCK_BOOT_ID_SIZE];
    assert_int_equal(clock_boot_id(&first, a, sizeof a), 0);
    assert_int_equal(clock_boot_id(&second, b, sizeof b), 0);
    assert_int_equal(clock_boot_id(&reboot, c, sizeof c), 0);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    clock_step(&second, 58260000); /* NTP while the kiosk was down: the boot id stays */
    assert_int_equal(clock_boot_id(&second, b, sizeof b), 0);
    assert_string_equal(a, b);
    struct clock_watch watch = {0};
    int64_t offset = clock_now_ms(&first) - clock_mono_ms(&first);
    clock_watch_start(&watch, offset);
    int64_t since = -1;
    assert_int_equal(
        clock_watch_look(&watch, clock_now_ms(&second), clock_mono_ms(&second), &since), 58260000);
    assert_int_equal(since, offset); /* the boot, on the old clock */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_step_moves_the_wall_clock_and_not_the_monotonic_one),
        cmocka_unit_test(test_the_watch_sees_steps_and_follows_slewing),
        cmocka_unit_test(test_a_restart_in_one_boot_keeps_its_id_and_sees_a_step_taken_meanwhile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
