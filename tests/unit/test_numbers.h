/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * test_numbers: the number a text starts with, for the unit tests (lint bans atoi and its
 * kin: they turn "x" into 0 without a word). Include after cmocka.h.
 */
#ifndef OASE_TEST_NUMBERS_H
#define OASE_TEST_NUMBERS_H

#include <errno.h>
#include <stdlib.h>

/* The decimal whole number text starts with ("10-15" -> 10, "7\n" -> 7, "-1" -> -1); fails
   the test, naming text, when it starts with no number or one out of range. */
static inline long long test_number(const char *text)
{
    char *end = NULL;
    errno = 0;
    long long value = text != NULL ? strtoll(text, &end, 10) : 0;
    if (text == NULL || end == text || errno != 0) {
        fail_msg("expected a number, got \"%s\"", text != NULL ? text : "(null)");
    }
    return value;
}

#endif /* OASE_TEST_NUMBERS_H */
