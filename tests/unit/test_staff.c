/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of the hidden staff menu's state (kiosk/staff.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kiosk/staff.h"

static void type(struct staff *s, const char *digits, int64_t now)
{
    char scene[32];
    for (const char *d = digits; *d; d++) {
        char id[8] = "pin:x";
        id[4] = *d;
        staff_tap(s, id, now, scene, sizeof scene);
    }
    staff_tap(s, "pin:ok", now, scene, sizeof scene);
}

static void test_no_pin_keeps_the_menu_closed(void **state)
{
    (void)state;
    struct staff s;
    staff_init(&s, "", 60000);
    assert_int_equal(staff_open(&s, 0), -EPERM);
    assert_int_equal(s.screen, STAFF_CLOSED);
}

static void test_right_pin_opens_the_menu(void **state)
{
    (void)state;
    struct staff s;
    staff_init(&s, "2468", 60000);
    assert_int_equal(staff_open(&s, 1000), 0);
    assert_int_equal(s.screen, STAFF_PIN);
    type(&s, "2468", 2000);
    assert_int_equal(s.screen, STAFF_MENU);
}

static void test_wrong_pins_are_slowed_down_more_each_time(void **state)
{
    (void)state;
    struct staff s;
    staff_init(&s, "2468", 600000);
    staff_open(&s, 0);
    type(&s, "1111", 1000);
    assert_int_equal(s.screen, STAFF_PIN);
    assert_true(s.wrong);
    assert_true(staff_locked(&s, 1999));
    assert_false(staff_locked(&s, 2000));
    /* While locked even the right PIN is refused. */
    type(&s, "2468", 1500);
    assert_int_equal(s.screen, STAFF_PIN);
    type(&s, "2222", 3000); /* second failure: 2 s */
    assert_true(staff_locked(&s, 4999));
    assert_false(staff_locked(&s, 5000));
    for (int i = 0; i < 10; i++) {
        type(&s, "0000", 100000 + i * 70000);
    }
    /* Capped at a minute, never locked for good. */
    assert_false(staff_locked(&s, 100000 + 9 * 70000 + STAFF_LOCK_MAX_MS));
    type(&s, "2468", 100000 + 9 * 70000 + STAFF_LOCK_MAX_MS);
    assert_int_equal(s.screen, STAFF_MENU);
    assert_int_equal(s.failures, 0);
}

static void test_a_longer_or_shorter_pin_is_wrong(void **state)
{
    (void)state;
    struct staff s;
    staff_init(&s, "2468", 60000);
    staff_open(&s, 0);
    type(&s, "24680", 100);
    assert_int_equal(s.screen, STAFF_PIN);
    type(&s, "246", 5000);
    assert_int_equal(s.screen, STAFF_PIN);
}

static void test_menu_actions_reach_the_app(void **state)
{
    (void)state;
    struct staff s;
    char scene[32] = "";
    staff_init(&s, "2468", 60000);
    staff_open(&s, 0);
    type(&s, "2468", 10);
    assert_int_equal(staff_tap(&s, "scene:quiet", 20, scene, sizeof scene), STAFF_ACTION_SCENE);
    assert_string_equal(scene, "quiet");
    assert_int_equal(staff_tap(&s, "scene:schedule", 30, scene, sizeof scene),
                     STAFF_ACTION_SCHEDULE);
    assert_int_equal(staff_tap(&s, "light:test", 40, scene, sizeof scene), STAFF_ACTION_TEST_LIGHT);
    /* Menu ids do nothing on the pad. */
    staff_tap(&s, "close", 50, scene, sizeof scene);
    staff_open(&s, 60);
    assert_int_equal(staff_tap(&s, "scene:quiet", 70, scene, sizeof scene), STAFF_ACTION_NONE);
}

static void test_menu_closes_itself_when_untouched(void **state)
{
    (void)state;
    struct staff s;
    char scene[32];
    staff_init(&s, "2468", 60000);
    staff_open(&s, 0);
    type(&s, "2468", 1000);
    staff_tap(&s, "light:test", 30000, scene, sizeof scene);
    assert_int_equal(staff_tick(&s, 89999), 0);
    assert_int_equal(staff_tick(&s, 90000), 1);
    assert_int_equal(s.screen, STAFF_CLOSED);
    assert_int_equal(staff_next_deadline_ms(&s), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_pin_keeps_the_menu_closed),
        cmocka_unit_test(test_right_pin_opens_the_menu),
        cmocka_unit_test(test_wrong_pins_are_slowed_down_more_each_time),
        cmocka_unit_test(test_a_longer_or_shorter_pin_is_wrong),
        cmocka_unit_test(test_menu_actions_reach_the_app),
        cmocka_unit_test(test_menu_closes_itself_when_untouched),
    };
    return cmocka_run_group_tests_name("staff", tests, NULL, NULL);
}
