/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for buf, the one growable buffer: it grows to hold what is asked, never past its
 * cap (even for a request near SIZE_MAX that would overflow a product), and a refused
 * request leaves the array and what it held as they were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "core/buf.h"

static void test_it_grows_to_hold_what_is_asked_and_keeps_the_contents(void **state)
{
    (void)state;
    int *items = NULL;
    size_t capacity = 0;
    for (size_t i = 0; i < 1000; i++) {
        assert_int_equal(buf_reserve((void **)&items, &capacity, i + 1, sizeof items[0], 4096), 0);
        assert_true(capacity >= i + 1);
        items[i] = (int)i;
    }
    for (size_t i = 0; i < 1000; i++) {
        assert_int_equal(items[i], (int)i);
    }
    assert_true(capacity * sizeof items[0] <= 4096); /* doubling is clipped at the cap */
    free(items);
}

static void test_past_the_cap_it_refuses_and_changes_nothing(void **state)
{
    (void)state;
    char *bytes = NULL;
    size_t capacity = 0;
    assert_int_equal(buf_reserve((void **)&bytes, &capacity, 100, 1, 100), 0);
    bytes[99] = 'x';
    char *before = bytes;
    size_t capacity_before = capacity;
    assert_int_equal(buf_reserve((void **)&bytes, &capacity, 101, 1, 100), -E2BIG);
    assert_ptr_equal(bytes, before);
    assert_int_equal(capacity, capacity_before);
    assert_int_equal(bytes[99], 'x');
    /* need * size would overflow: refused by the cap, not wrapped around */
    assert_int_equal(buf_reserve((void **)&bytes, &capacity, SIZE_MAX / 2, 8, SIZE_MAX), -E2BIG);
    assert_int_equal(capacity, capacity_before);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_it_grows_to_hold_what_is_asked_and_keeps_the_contents),
        cmocka_unit_test(test_past_the_cap_it_refuses_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
