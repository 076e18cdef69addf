/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for web_config: the [web] section's defaults, what each key accepts (and that a
 * refused value leaves the setting alone), the check of a half TLS pair, and the
 * [research] section of the researcher's download.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "web/web_config.h"
#include "web/web_hash.h"

/* The researcher token's hash as oase-passphrase --new-token prints it (SHA-256 of a token). */
#define VALID_TOKEN_HASH "sha256$5f0c1d8e2a7b4c3d9e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f"
/* The shape oase-passphrase prints; parsing never needs the passphrase behind it. */
#define VALID_HASH                                                                                 \
    "pbkdf2-sha256$10000$00112233445566778899aabbccddeeff$"                                        \
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

static int set(struct web_config *cfg, const char *key, const char *value, char *why)
{
    return web_config_set(cfg, "web", key, value, why, 256);
}

static void test_defaults_listen_on_8080_with_no_passphrase(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    assert_int_equal(cfg.port, 8080);
    assert_string_equal(cfg.bind_address, "0.0.0.0");
    assert_string_equal(cfg.passphrase_hash, "");
    assert_string_equal(cfg.tls_cert, "");
    assert_string_equal(cfg.language, "nl");
    assert_int_equal(cfg.stress_min_answers, 5);
}

static void test_each_key_takes_its_values_and_refuses_others_unchanged(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    char why[256];
    assert_int_equal(set(&cfg, "port", "0", why), 1);
    assert_int_equal(cfg.port, 0);
    assert_int_equal(set(&cfg, "port", "8443", why), 1);
    /* A number reads as in every other section (core/ini_value.h): a sign may lead it. */
    assert_int_equal(set(&cfg, "port", "+8443", why), 1);
    assert_int_equal(cfg.port, 8443);
    const char *bad_ports[] = {"65536", "-1", "80a", "", " 80", "+", "80 "};
    for (size_t i = 0; i < sizeof bad_ports / sizeof bad_ports[0]; i++) {
        assert_int_equal(set(&cfg, "port", bad_ports[i], why), -1);
        assert_non_null(strstr(why, "0..65535"));
        assert_int_equal(cfg.port, 8443);
    }

    assert_int_equal(set(&cfg, "bind_address", "127.0.0.1", why), 1);
    assert_int_equal(set(&cfg, "bind_address", "::", why), 1);
    assert_string_equal(cfg.bind_address, "::");
    assert_int_equal(set(&cfg, "bind_address", "kiosk.local", why), -1);
    assert_int_equal(set(&cfg, "bind_address", "300.1.1.1", why), -1);
    assert_string_equal(cfg.bind_address, "::");

    assert_int_equal(set(&cfg, "passphrase_hash", VALID_HASH, why), 1);
    assert_string_equal(cfg.passphrase_hash, VALID_HASH);
    const char *bad_hashes[] = {
        "rustig blauw water", /* a passphrase itself is never accepted */
        "pbkdf2-sha256$10000$00112233445566778899aabbccddeeff",
        "pbkdf2-sha256$9$00112233445566778899aabbccddeeff$"
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "pbkdf2-sha1$10000$00112233445566778899aabbccddeeff$"
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "pbkdf2-sha256$10000$00112233445566778899aabbccddeefg$"
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        VALID_HASH "0",
    };
    for (size_t i = 0; i < sizeof bad_hashes / sizeof bad_hashes[0]; i++) {
        if (set(&cfg, "passphrase_hash", bad_hashes[i], why) != -1) {
            fail_msg("accepted %s", bad_hashes[i]);
        }
        assert_non_null(strstr(why, "oase-passphrase"));
        assert_string_equal(cfg.passphrase_hash, VALID_HASH);
    }

    assert_int_equal(set(&cfg, "tls_cert", "/etc/oase/host.pem", why), 1);
    assert_string_equal(cfg.tls_cert, "/etc/oase/host.pem");
    assert_int_equal(set(&cfg, "tls_key", "", why), -1);
    assert_int_equal(set(&cfg, "language", "en", why), 1);
    assert_string_equal(cfg.language, "en");
    assert_int_equal(set(&cfg, "language", "de", why), -1);
    assert_string_equal(cfg.language, "en");
    assert_int_equal(set(&cfg, "stress_min_answers", "10", why), 1);
    assert_int_equal(set(&cfg, "stress_min_answers", "2", why), -1); /* k is never below 3 */
    assert_int_equal(cfg.stress_min_answers, 10);

    assert_int_equal(set(&cfg, "passphrase", "rustig blauw water", why), -1);
    assert_non_null(strstr(why, "passphrase_hash"));
}

static void test_other_sections_are_not_web(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    char why[256];
    assert_int_equal(web_config_set(&cfg, "lights", "port", "1", why, sizeof why), 0);
    assert_int_equal(web_config_set(&cfg, "webx", "port", "1", why, sizeof why), 0);
    assert_int_equal(web_config_set(&cfg, NULL, "port", "1", why, sizeof why), 0);
    assert_int_equal(cfg.port, 8080);
    assert_int_equal(web_config_set(&cfg, "web", NULL, NULL, why, sizeof why), 1);
}

static void collect(void *ctx, const char *message)
{
    snprintf(ctx, 256, "%s", message);
}

static void test_half_a_tls_pair_is_an_error(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    char message[256] = "";
    assert_int_equal(web_config_check(&cfg, collect, message), 0);
    snprintf(cfg.tls_key, sizeof cfg.tls_key, "/etc/oase/host.key");
    assert_int_equal(web_config_check(&cfg, collect, message), 1);
    assert_non_null(strstr(message, "web.tls_key is set without web.tls_cert"));
    assert_string_equal(cfg.tls_key, "/etc/oase/host.key"); /* web_open refuses; no quiet HTTP */
    snprintf(cfg.tls_cert, sizeof cfg.tls_cert, "/etc/oase/host.pem");
    assert_int_equal(web_config_check(&cfg, NULL, NULL), 0);
}

static void test_research_keys_take_a_hash_k_of_3_or_more_and_a_plain_site(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    char why[256];
    assert_string_equal(cfg.research_token_hash, ""); /* no hash: the download is off */
    assert_int_equal(cfg.research_k, 5);
    assert_string_equal(cfg.site, "");

    assert_int_equal(
        web_config_set(&cfg, "research", "token_hash", VALID_TOKEN_HASH, why, sizeof why), 1);
    assert_string_equal(cfg.research_token_hash, VALID_TOKEN_HASH);
    assert_string_equal(cfg.passphrase_hash, ""); /* the host's passphrase is another key */
    assert_int_equal(
        web_config_set(&cfg, "research", "token_hash", "secret-token-1234", why, sizeof why),
        -1); /* a token itself is never accepted: only its hash */
    assert_non_null(strstr(why, "sha256$"));
    const char *bad_hashes[] = {"sha256$", "sha256$00ff", VALID_TOKEN_HASH "0",
                                "sha256$" /* */
                                "zz0c1d8e2a7b4c3d9e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f"};
    for (size_t i = 0; i < sizeof bad_hashes / sizeof bad_hashes[0]; i++) {
        assert_int_equal(
            web_config_set(&cfg, "research", "token_hash", bad_hashes[i], why, sizeof why), -1);
    }
    /* The old slow hash of a 192-bit token: refused, saying how to make a new token. */
    assert_int_equal(web_config_set(&cfg, "research", "token_hash", VALID_HASH, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "oase-passphrase --new-token"));
    assert_string_equal(cfg.research_token_hash, VALID_TOKEN_HASH);

    assert_int_equal(web_config_set(&cfg, "research", "k", "3", why, sizeof why), 1);
    assert_int_equal(cfg.research_k, 3);
    const char *bad_k[] = {"2", "0", "-5", "five", "", "1001"};
    for (size_t i = 0; i < sizeof bad_k / sizeof bad_k[0]; i++) {
        assert_int_equal(web_config_set(&cfg, "research", "k", bad_k[i], why, sizeof why), -1);
        assert_non_null(strstr(why, "3..1000"));
        assert_int_equal(cfg.research_k, 3);
    }

    assert_int_equal(web_config_set(&cfg, "research", "site", "Den Haag-zuid_2", why, sizeof why),
                     1);
    assert_string_equal(cfg.site, "Den Haag-zuid_2");
    const char *bad_sites[] = {
        "",       "zuid/noord",
        "a\"b",   "zuid;rm",
        "../etc", "0123456789012345678901234567890123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof bad_sites / sizeof bad_sites[0]; i++) {
        if (web_config_set(&cfg, "research", "site", bad_sites[i], why, sizeof why) != -1) {
            fail_msg("accepted site %s", bad_sites[i]);
        }
        assert_non_null(strstr(why, "letters, digits"));
        assert_string_equal(cfg.site, "Den Haag-zuid_2");
    }

    assert_int_equal(web_config_set(&cfg, "research", "port", "80", why, sizeof why), -1);
    assert_non_null(strstr(why, "unknown key"));
    assert_int_equal(web_config_set(&cfg, "web", "k", "5", why, sizeof why), -1); /* not [web]'s */
}

static void test_proxy_hosts_and_wait_thresholds_are_checked(void **state)
{
    (void)state;
    struct web_config cfg;
    web_config_defaults(&cfg);
    char why[256];
    assert_int_equal(cfg.wait_attention_minutes, 15);
    assert_int_equal(cfg.wait_long_minutes, 30);
    assert_int_equal(set(&cfg, "allowed_hosts", "oase.local, balie.example.org", why), 1);
    assert_string_equal(cfg.allowed_hosts, "oase.local, balie.example.org");
    assert_int_equal(set(&cfg, "allowed_hosts", "evil.example/x", why), -1);
    assert_non_null(strstr(why, "host names"));
    assert_int_equal(set(&cfg, "public_origin", "https://oase.example.org", why), 1);
    assert_int_equal(set(&cfg, "public_origin", "https://oase.example.org:8443", why), 1);
    assert_int_equal(set(&cfg, "public_origin", "https://oase.example.org/page", why), -1);
    assert_int_equal(set(&cfg, "public_origin", "ftp://oase.example.org", why), -1);
    assert_string_equal(cfg.public_origin, "https://oase.example.org:8443");
    assert_int_equal(set(&cfg, "trusted_proxy", "127.0.0.1", why), 1);
    assert_int_equal(set(&cfg, "trusted_proxy", "proxy.local", why), -1);
    assert_int_equal(set(&cfg, "wait_attention_minutes", "10", why), 1);
    assert_int_equal(set(&cfg, "wait_long_minutes", "0", why), -1);
    assert_int_equal(set(&cfg, "wait_long_minutes", "10", why), 1);
    assert_int_equal(web_config_check(&cfg, NULL, NULL), 1); /* long must be above attention */
    assert_int_equal(set(&cfg, "wait_long_minutes", "20", why), 1);
    assert_int_equal(web_config_check(&cfg, NULL, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxy_hosts_and_wait_thresholds_are_checked),
        cmocka_unit_test(test_defaults_listen_on_8080_with_no_passphrase),
        cmocka_unit_test(test_each_key_takes_its_values_and_refuses_others_unchanged),
        cmocka_unit_test(test_other_sections_are_not_web),
        cmocka_unit_test(test_half_a_tls_pair_is_an_error),
        cmocka_unit_test(test_research_keys_take_a_hash_k_of_3_or_more_and_a_plain_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
