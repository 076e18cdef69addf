/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for utf8, the one decoder the config, language files, text layout, drawing and the
 * host page's JSON share: every well-formed sequence decodes to its code point; overlong
 * forms, surrogates, code points past U+10FFFF, stray continuation bytes and cut sequences
 * are refused one byte at a time, and nothing past a NUL is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/utf8.h"

static void test_well_formed_sequences_decode_to_their_code_points(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        uint32_t code;
        size_t length;
    } cases[] = {
        {"A", 0x41, 1},
        {"\x7f", 0x7f, 1},
        {"\xc2\x80", 0x80, 2},
        {"\xc3\xa9", 0xe9, 2},
        {"\xdf\xbf", 0x7ff, 2},
        {"\xe0\xa0\x80", 0x800, 3},
        {"\xd8\xa7", 0x627, 2},
        {"\xed\x9f\xbf", 0xd7ff, 3},
        {"\xee\x80\x80", 0xe000, 3},
        {"\xef\xbf\xbd", 0xfffd, 3},
        {"\xf0\x90\x80\x80", 0x10000, 4},
        {"\xf4\x8f\xbf\xbf", 0x10ffff, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t length = 0;
        const unsigned char *s = (const unsigned char *)cases[i].bytes;
        assert_int_equal(utf8_decode(s, strlen(cases[i].bytes), &length), cases[i].code);
        assert_int_equal(length, cases[i].length);
        assert_true(utf8_valid(cases[i].bytes, strlen(cases[i].bytes)));
    }
}

static void test_malformed_sequences_are_refused_one_byte_at_a_time(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* a continuation byte alone */
        "\xc0\xaf",         /* overlong '/' */
        "\xc1\xbf",         /* overlong */
        "\xe0\x80\xaf",     /* overlong '/' in three bytes */
        "\xf0\x80\x80\xaf", /* overlong in four */
        "\xed\xa0\x80",     /* U+D800, a surrogate */
        "\xed\xbf\xbf",     /* U+DFFF */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", /* no such lead byte */
        "\xff",
        "\xc3",         /* cut */
        "\xe2\x82",     /* cut */
        "\xe2\x28\xa1", /* a continuation missing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t length = 9;
        assert_int_equal(utf8_decode((const unsigned char *)bad[i], strlen(bad[i]), &length),
                         UTF8_INVALID);
        assert_int_equal(length, 1);
        assert_false(utf8_valid(bad[i], strlen(bad[i])));
    }
}

static void test_decoding_stops_at_a_nul_and_at_the_available_bytes(void **state)
{
    (void)state;
    /* A NUL where a continuation should be: refused without looking further. */
    static const unsigned char cut[] = {0xe2, 0x00, 0x82, 0xac};
    size_t length = 0;
    assert_int_equal(utf8_decode(cut, sizeof cut, &length), UTF8_INVALID);
    assert_int_equal(length, 1);
    static const unsigned char euro[] = {0xe2, 0x82, 0xac};
    assert_int_equal(utf8_decode(euro, 2, &length), UTF8_INVALID); /* only 2 may be read */
    assert_int_equal(utf8_decode(euro, 3, &length), 0x20ac);
    assert_int_equal(length, 3);
    assert_false(utf8_valid("a\0b", 3)); /* a NUL inside is not text */
    assert_true(utf8_valid("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed_sequences_decode_to_their_code_points),
        cmocka_unit_test(test_malformed_sequences_are_refused_one_byte_at_a_time),
        cmocka_unit_test(test_decoding_stops_at_a_nul_and_at_the_available_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
