/*
 * Tests for research_config: the [research] section that switches on the researchers'
 * download. What a technician relies on: the download is off until a token hash is set,
 * k is never below 3, and every mistake in the file is named with file:line, key, value and
 * what is accepted (through config_load, as `oase --check-config` prints it) while the
 * setting keeps its previous value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "research/research_config.h"

#define VALID_HASH                                                                                 \
    "pbkdf2-sha256$10000$00112233445566778899aabbccddeeff$"                                        \
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

static int set(struct research_config *cfg, const char *key, const char *value, char *why)
{
    return research_config_set(cfg, "research", key, value, why, 256);
}

static void test_the_download_is_off_by_default_with_k_5(void **state)
{
    (void)state;
    struct research_config cfg;
    research_config_defaults(&cfg);
    assert_string_equal(cfg.token_hash, "");
    assert_int_equal(cfg.k, 5);
    struct oase_config config;
    config_defaults(&config);
    assert_string_equal(config.research.token_hash, "");
    assert_int_equal(config.research.k, 5);
}

static void test_each_key_takes_its_values_and_refuses_others_unchanged(void **state)
{
    (void)state;
    struct research_config cfg;
    research_config_defaults(&cfg);
    char why[256];
    assert_int_equal(set(&cfg, "k", "3", why), 1);
    assert_int_equal(cfg.k, 3);
    assert_int_equal(set(&cfg, "k", "12", why), 1);
    const char *bad_k[] = {"2", "0", "-5", "1001", "5a", "", " 5", "+5"};
    for (size_t i = 0; i < sizeof bad_k / sizeof bad_k[0]; i++) {
        assert_int_equal(set(&cfg, "k", bad_k[i], why), -1);
        assert_non_null(strstr(why, "3..1000"));
        assert_int_equal(cfg.k, 12);
    }

    assert_int_equal(set(&cfg, "token_hash", VALID_HASH, why), 1);
    assert_string_equal(cfg.token_hash, VALID_HASH);
    const char *bad_hashes[] = {"secret-token", "pbkdf2-sha256$10$00$00", ""};
    for (size_t i = 0; i < sizeof bad_hashes / sizeof bad_hashes[0]; i++) {
        assert_int_equal(set(&cfg, "token_hash", bad_hashes[i], why), -1);
        assert_true(strlen(why) > 10);
        assert_string_equal(cfg.token_hash, VALID_HASH);
    }

    assert_int_equal(set(&cfg, "site", "zuid", why), -1);
    assert_non_null(strstr(why, "[kiosk] site"));
    assert_int_equal(set(&cfg, "token", "abc", why), -1);
    assert_non_null(strstr(why, "token_hash, k"));

    /* Other sections are not this module's. */
    assert_int_equal(research_config_set(&cfg, "web", "k", "2", why, sizeof why), 0);
    assert_int_equal(research_config_set(&cfg, "research", NULL, NULL, why, sizeof why), 1);
}

/* Messages config_load reports. */
struct captured {
    char text[8][512];
    int count;
};

static void capture(void *ctx, const char *message)
{
    struct captured *captured = ctx;
    if (captured->count < 8) {
        snprintf(captured->text[captured->count], sizeof captured->text[0], "%s", message);
    }
    captured->count++;
}

static bool captured_with(const struct captured *captured, const char *a, const char *b,
                          const char *c)
{
    for (int i = 0; i < captured->count && i < 8; i++) {
        if (strstr(captured->text[i], a) && strstr(captured->text[i], b) &&
            strstr(captured->text[i], c)) {
            return true;
        }
    }
    return false;
}

static void test_the_config_file_names_bad_research_values_with_their_line(void **state)
{
    (void)state;
    char dir[] = "/tmp/oase-rconfig-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("[research]\n"
          "k = 2\n"
          "token_hash = plain-text-token\n"
          "site = zuid\n"
          "[research]\n"
          "k = 7\n",
          file);
    assert_int_equal(fclose(file), 0);

    struct oase_config config;
    config_defaults(&config);
    struct captured captured = {0};
    struct config_problems problems;
    assert_int_equal(config_load(&config, path, capture, &captured, &problems), 0);
    for (int i = 0; i < captured.count && i < 8; i++) {
        print_message("  report: %s\n", captured.text[i]);
    }
    assert_true(problems.errors >= 2);
    assert_true(captured_with(&captured, "bad.conf:2:", "research.k = 2", "3..1000"));
    assert_true(captured_with(&captured, "bad.conf:3:", "research.token_hash", "plain-text-token"));
    assert_true(captured_with(&captured, "bad.conf:4:", "unknown key research.site", "ignored"));
    assert_string_equal(config.research.token_hash, ""); /* still off */
    assert_int_equal(config.research.k, 7);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_download_is_off_by_default_with_k_5),
        cmocka_unit_test(test_each_key_takes_its_values_and_refuses_others_unchanged),
        cmocka_unit_test(test_the_config_file_names_bad_research_values_with_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
