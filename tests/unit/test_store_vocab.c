/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for store_vocab: the words in databases and exports keep their exact spelling and
 * their band bounds (a changed word would split a year of counts in two), and a status
 * survives the trip to its word and back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_vocab.h"

static void test_stress_bands_keep_their_bounds_and_spelling(void **state)
{
    (void)state;
    assert_string_equal(store_stress_band(0), "0-3");
    assert_string_equal(store_stress_band(3), "0-3");
    assert_string_equal(store_stress_band(4), "4-6");
    assert_string_equal(store_stress_band(6), "4-6");
    assert_string_equal(store_stress_band(7), "7-10");
    assert_string_equal(store_stress_band(10), "7-10");
    assert_null(store_stress_band(-1));
    assert_null(store_stress_band(11));
}

static void test_queue_bands_keep_their_bounds_and_spelling(void **state)
{
    (void)state;
    assert_string_equal(store_queue_band(-2), "0-2");
    assert_string_equal(store_queue_band(0), "0-2");
    assert_string_equal(store_queue_band(2), "0-2");
    assert_string_equal(store_queue_band(3), "3-5");
    assert_string_equal(store_queue_band(5), "3-5");
    assert_string_equal(store_queue_band(6), "6+");
    assert_string_equal(store_queue_band(400), "6+");
}

static void test_wait_bands_keep_their_bounds_and_spelling(void **state)
{
    (void)state;
    static const struct {
        int64_t minutes_x10;
        const char *band;
    } cases[] = {{-10, "0-5"},   {0, "0-5"},     {49, "0-5"},    {50, "5-10"},   {99, "5-10"},
                 {100, "10-15"}, {150, "15-20"}, {199, "15-20"}, {200, "20-30"}, {300, "30-45"},
                 {449, "30-45"}, {450, "45-60"}, {599, "45-60"}, {600, "60+"},   {6000, "60+"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(store_sql_wait_band(cases[i].minutes_x10 * 6000), cases[i].band);
    }
}

static void test_a_status_survives_its_word_and_back(void **state)
{
    (void)state;
    assert_string_equal(store_status_name(ARRIVAL_WAITING), "waiting");
    assert_string_equal(store_status_name(ARRIVAL_COLLECTED), "collected");
    assert_string_equal(store_status_name(ARRIVAL_NO_SHOW), "no_show");
    assert_string_equal(store_status_name(ARRIVAL_LEFT), "left");
    enum store_arrival_status all[] = {ARRIVAL_WAITING, ARRIVAL_COLLECTED, ARRIVAL_NO_SHOW,
                                       ARRIVAL_LEFT};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        enum store_arrival_status back = ARRIVAL_WAITING;
        assert_int_equal(store_status_parse(store_status_name(all[i]), &back), 0);
        assert_int_equal(back, all[i]);
    }
    enum store_arrival_status kept = ARRIVAL_COLLECTED;
    assert_int_equal(store_status_parse("no-show", &kept), -EINVAL);
    assert_int_equal(store_status_parse(NULL, &kept), -EINVAL);
    assert_int_equal(kept, ARRIVAL_COLLECTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress_bands_keep_their_bounds_and_spelling),
        cmocka_unit_test(test_queue_bands_keep_their_bounds_and_spelling),
        cmocka_unit_test(test_wait_bands_keep_their_bounds_and_spelling),
        cmocka_unit_test(test_a_status_survives_its_word_and_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
