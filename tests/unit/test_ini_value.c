/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for ini_value, the one reading of numbers and on/off words that every section of
 * oase.conf shares (kiosk, display, lights, web, research, evaluation): the range is kept,
 * the whole text must be the value, and a refused value leaves the setting as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/ini_value.h"

static void test_whole_numbers_in_range_are_read_and_others_refused(void **state)
{
    (void)state;
    int value = 7;
    assert_true(ini_value_int("600", 10, 600, &value));
    assert_int_equal(value, 600);
    assert_true(ini_value_int("+10", 10, 600, &value));
    assert_int_equal(value, 10);
    assert_true(ini_value_int("-3", -5, 5, &value));
    assert_int_equal(value, -3);
    static const char *const bad[] = {
        "601", "9", "", " 20", "20 ", "2o", "0x20", "1e2", "99999999999999999999", "+", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        value = 42;
        assert_false(ini_value_int(bad[i], 10, 600, &value));
        assert_int_equal(value, 42);
    }
}

static void test_decimals_in_range_are_read_and_others_refused(void **state)
{
    (void)state;
    double value = 1.0;
    assert_true(ini_value_double("0.5", 0, 100, &value));
    assert_true(value == 0.5);
    assert_true(ini_value_double(".25", 0, 100, &value));
    assert_true(value == 0.25);
    assert_true(ini_value_double("100", 0, 100, &value));
    static const char *const bad[] = {"100.01", "-0.1", "nan", "inf", "", " 1", "1 ", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        value = 3.0;
        assert_false(ini_value_double(bad[i], 0, 100, &value));
        assert_true(value == 3.0);
    }
}

static void test_on_off_words_in_any_case(void **state)
{
    (void)state;
    static const char *const yes[] = {"on", "ON", "true", "Yes", "1"};
    static const char *const no[] = {"off", "False", "NO", "0"};
    bool flag = false;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        flag = false;
        assert_true(ini_value_bool(yes[i], &flag));
        assert_true(flag);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        flag = true;
        assert_true(ini_value_bool(no[i], &flag));
        assert_false(flag);
    }
    flag = true;
    assert_false(ini_value_bool("aan", &flag)); /* Dutch is for the screens, not the file */
    assert_false(ini_value_bool("", &flag));
    assert_false(ini_value_bool("on ", &flag));
    assert_true(flag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_numbers_in_range_are_read_and_others_refused),
        cmocka_unit_test(test_decimals_in_range_are_read_and_others_refused),
        cmocka_unit_test(test_on_off_words_in_any_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
