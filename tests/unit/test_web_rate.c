/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for web_rate: new connections per client address (token buckets). Time is handed in,
 * so the rates are checked exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "web/web_rate.h"

static struct sockaddr_in v4(const char *text)
{
    struct sockaddr_in address = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, text, &address.sin_addr), 1);
    return address;
}

static int allowed_in_a_row(struct web_rate *rate, const struct sockaddr *address, int tries,
                            int64_t now_ms)
{
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
        allowed += web_rate_allow(rate, address, now_ms);
    }
    return allowed;
}

static void test_a_burst_is_cut_and_the_rate_refills(void **state)
{
    (void)state;
    struct web_rate *rate = web_rate_open();
    assert_non_null(rate);
    struct sockaddr_in flood = v4("192.0.2.66");
    assert_int_equal(allowed_in_a_row(rate, (struct sockaddr *)&flood, 5000, 1000), WEB_RATE_BURST);
    /* Half a second later: half a second's worth. */
    assert_int_equal(allowed_in_a_row(rate, (struct sockaddr *)&flood, 5000, 1500),
                     WEB_RATE_PER_SECOND / 2);
    /* Another address is not held up. */
    struct sockaddr_in desk = v4("192.0.2.7");
    assert_true(web_rate_allow(rate, (struct sockaddr *)&desk, 1500));
    /* A quiet while fills the bucket up again, never beyond the burst. */
    assert_int_equal(allowed_in_a_row(rate, (struct sockaddr *)&flood, 5000, 100000),
                     WEB_RATE_BURST);
    web_rate_close(rate);
}

static void test_ipv6_addresses_in_one_prefix_share_a_bucket(void **state)
{
    (void)state;
    struct web_rate *rate = web_rate_open();
    struct sockaddr_in6 a = {.sin6_family = AF_INET6}, b = {.sin6_family = AF_INET6},
                        other = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "2001:db8:1:2::1", &a.sin6_addr);
    inet_pton(AF_INET6, "2001:db8:1:2::2", &b.sin6_addr);
    inet_pton(AF_INET6, "2001:db8:1:3::1", &other.sin6_addr);
    assert_int_equal(allowed_in_a_row(rate, (struct sockaddr *)&a, WEB_RATE_BURST, 1000),
                     WEB_RATE_BURST);
    assert_false(web_rate_allow(rate, (struct sockaddr *)&b, 1000));
    assert_true(web_rate_allow(rate, (struct sockaddr *)&other, 1000));
    web_rate_close(rate);
}

static void test_many_addresses_do_not_reset_a_flooding_one(void **state)
{
    (void)state;
    struct web_rate *rate = web_rate_open();
    struct sockaddr_in flood = v4("198.51.100.1");
    assert_int_equal(allowed_in_a_row(rate, (struct sockaddr *)&flood, 5000, 1000), WEB_RATE_BURST);
    /* Thousands of other addresses, one connection each: the calm ones make room, the empty
       bucket of the flooding one stays empty. */
    for (int i = 0; i < 4 * WEB_RATE_SLOTS; i++) {
        char text[32];
        snprintf(text, sizeof text, "10.%d.%d.%d", i / 65536, (i / 256) % 256, i % 256);
        struct sockaddr_in other = v4(text);
        web_rate_allow(rate, (struct sockaddr *)&other, 1000);
    }
    assert_false(web_rate_allow(rate, (struct sockaddr *)&flood, 1000));
    web_rate_close(rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_burst_is_cut_and_the_rate_refills),
        cmocka_unit_test(test_ipv6_addresses_in_one_prefix_share_a_bucket),
        cmocka_unit_test(test_many_addresses_do_not_reset_a_flooding_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
