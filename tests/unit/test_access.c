/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the accessibility parts outside audio and layout: texts read aloud
 * (lang_speech, ".speech" keys, the vocalised Arabic in assets/lang/ar.lang) and the
 * panel's physical width ([display] width_mm) that type sizes are computed from.
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

#include "config/config.h"
#include "i18n/lang.h"

static void quiet(void *ctx, const char *message)
{
    int *count = ctx;
    (*count)++;
    fprintf(stderr, "  (reported) %s\n", message);
}

/* text without Arabic vowel marks (U+064B..U+0652, U+0670): 2-byte UTF-8 D9 8B..D9 92, D9 B0 */
static void strip_marks(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c && n + 1 < size; c++) {
        if (c[0] == 0xD9 && c[1] && ((c[1] >= 0x8B && c[1] <= 0x92) || c[1] == 0xB0)) {
            c++;
            continue;
        }
        out[n++] = (char)*c;
    }
    out[n] = '\0';
}

static void test_vocalised_arabic_says_the_words_shown(void **state)
{
    (void)state;
    const char *codes[] = {"nl", "ar", "en"};
    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open("assets/lang", codes, 3, quiet, &problems, &problems, err, sizeof err);
    assert_non_null(set);
    assert_int_equal(problems, 0); /* .speech keys are known keys, not "unknown key" */
    const struct lang *ar = lang_get(set, "ar"), *en = lang_get(set, "en");
    int vocalised = 0;
    for (int key = 0; key < LANG_KEY_COUNT; key++) {
        const char *shown = lang_text(ar, (enum lang_key)key);
        const char *spoken = lang_speech(ar, (enum lang_key)key);
        if (spoken == shown) {
            continue;
        }
        vocalised++;
        char a[512], b[512];
        strip_marks(spoken, a, sizeof a);
        strip_marks(shown, b, sizeof b);
        if (strcmp(a, b) != 0) {
            fail_msg(
                "ar.lang: the .speech text of key %d is not the shown text with marks:\n  %s\n  %s",
                key, spoken, shown);
        }
        assert_true(strlen(spoken) > strlen(shown)); /* it does carry marks */
    }
    assert_true(vocalised >= 5);
    /* Without a .speech text, speech reads what is shown; never another language's. */
    for (int key = 0; key < LANG_KEY_COUNT; key++) {
        assert_ptr_equal(lang_speech(en, (enum lang_key)key), lang_text(en, (enum lang_key)key));
    }
    lang_close(set);
}

static void test_a_speech_key_for_an_unknown_text_is_reported(void **state)
{
    (void)state;
    char dir[] = "/tmp/oase-test-access.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/nl.lang", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "lang.name = Nederlands\nwelcome.title = Welkom.\nwelcome.title.speech = Welkom!\n"
               "nothing.here.speech = x\n");
    fclose(f);
    int problems = 0;
    char err[256];
    struct lang_set *set = lang_open(dir, NULL, 0, quiet, &problems, &problems, err, sizeof err);
    assert_non_null(set);
    const struct lang *nl = lang_get(set, "nl");
    assert_string_equal(lang_speech(nl, K_WELCOME_TITLE), "Welkom!");
    assert_string_equal(lang_text(nl, K_WELCOME_TITLE), "Welkom.");
    /* one line for the unknown key, one for the missing texts */
    assert_int_equal(problems, 2);
    lang_close(set);
    unlink(path);
    rmdir(dir);
}

static int load(const char *text, struct oase_config *config)
{
    struct config_problems problems = {0};
    int count = 0;
    config_defaults(config);
    assert_int_equal(
        config_load_buffer(config, "test.conf", text, strlen(text), quiet, &count, &problems), 0);
    return problems.errors + problems.warnings;
}

static void test_width_mm_follows_the_panel_or_the_file(void **state)
{
    (void)state;
    struct oase_config *c = malloc(sizeof *c);
    assert_non_null(c);
    assert_int_equal(load("[kiosk]\norientation = landscape\n", c), 0);
    assert_true(c->width_mm > 154.1 && c->width_mm < 154.3); /* the 7" panel */
    assert_int_equal(load("[kiosk]\norientation = portrait\n", c), 0);
    assert_true(c->width_mm > 87.4 && c->width_mm < 87.6); /* Touch Display 2 */
    assert_int_equal(load("[display]\nwidth_mm = 476.6\n", c), 0);
    assert_true(c->width_mm > 476.5 && c->width_mm < 476.7);
    assert_int_equal(load("[display]\nwidth_mm = auto\n", c), 0);
    assert_true(c->width_mm > 154.1 && c->width_mm < 154.3);
    assert_int_equal(load("[display]\nwidth_mm = 5\n", c), 1); /* refused, named */
    assert_true(c->width_mm > 154.1 && c->width_mm < 154.3);
    assert_int_equal(load("[display]\nwidth_mm = wide\n", c), 1);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocalised_arabic_says_the_words_shown),
        cmocka_unit_test(test_a_speech_key_for_an_unknown_text_is_reported),
        cmocka_unit_test(test_width_mm_follows_the_panel_or_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
