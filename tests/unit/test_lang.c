/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for lang: the shipped language files (run from the repository root, they read
 * assets/lang) and the loader's promises: Dutch fallback per key, never a raw key, every
 * problem reported with file and line, placeholders filled without printf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n/lang.h"
#include "i18n/nature_words.h"

#define SHIPPED_DIR "assets/lang"
#define CAPTURE_MAX 64
#define CAPTURE_TEXT_MAX 1100
#define SCAN_KEYS_MAX 256
#define SCAN_KEY_LEN 64
#define FILE_TEXT_MAX 8192

static const char *const SHIPPED_CODES[] = {"nl", "en", "ar", "tr", "pl", "uk"};
#define SHIPPED_COUNT ((int)(sizeof SHIPPED_CODES / sizeof SHIPPED_CODES[0]))

static const char *const KEY_NAMES[LANG_KEY_COUNT] = {
#define TEST_KEY_NAME(id, key) [K_##id] = key,
    LANG_KEYS(TEST_KEY_NAME)
#undef TEST_KEY_NAME
};

/* ---- messages the loader reports ---- */

struct capture {
    char text[CAPTURE_MAX][CAPTURE_TEXT_MAX];
    int count;
};

static void capture_report(void *ctx, const char *message)
{
    struct capture *capture = ctx;
    if (capture->count < CAPTURE_MAX)
        snprintf(capture->text[capture->count], CAPTURE_TEXT_MAX, "%s", message);
    capture->count++;
}

/* How many captured messages contain every one of the (NULL-terminated) needles. */
static int capture_count_with(const struct capture *capture, const char *const needles[])
{
    int matches = 0;
    int stored = capture->count < CAPTURE_MAX ? capture->count : CAPTURE_MAX;
    for (int i = 0; i < stored; i++) {
        bool all = true;
        for (int n = 0; needles[n] != NULL; n++)
            all = all && strstr(capture->text[i], needles[n]) != NULL;
        if (all)
            matches++;
    }
    return matches;
}

#define capture_matches(capture, ...)                                                              \
    capture_count_with((capture), (const char *const[]){__VA_ARGS__, NULL})

static void capture_print(const struct capture *capture)
{
    int stored = capture->count < CAPTURE_MAX ? capture->count : CAPTURE_MAX;
    for (int i = 0; i < stored; i++)
        print_message("  reported: %s\n", capture->text[i]);
}

/* ---- a temporary language directory ---- */

struct tmpdir {
    char path[64];
};

static struct tmpdir tmpdir_make(void)
{
    struct tmpdir dir;
    snprintf(dir.path, sizeof dir.path, "/tmp/oase-lang-XXXXXX");
    assert_non_null(mkdtemp(dir.path));
    return dir;
}

static void tmpdir_remove(struct tmpdir *dir)
{
    DIR *listing = opendir(dir->path);
    assert_non_null(listing);
    for (struct dirent *entry = readdir(listing); entry != NULL; entry = readdir(listing)) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char path[256];
        assert_true(snprintf(path, sizeof path, "%s/%s", dir->path, entry->d_name) <
                    (int)sizeof path);
        if (unlink(path) != 0)
            assert_int_equal(rmdir(path), 0);
    }
    closedir(listing);
    assert_int_equal(rmdir(dir->path), 0);
}

static void write_file(const struct tmpdir *dir, const char *name, const char *text, size_t len)
{
    char path[256];
    assert_true(snprintf(path, sizeof path, "%s/%s", dir->path, name) < (int)sizeof path);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, len, file), len);
    assert_int_equal(fclose(file), 0);
}

/* A text file built line by line, counting lines so tests can name them. */
struct text {
    char buf[FILE_TEXT_MAX];
    size_t len;
    int lines;
};

__attribute__((format(printf, 2, 3))) static int text_line(struct text *text, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(text->buf + text->len, sizeof text->buf - text->len, fmt, args);
    va_end(args);
    assert_true(n >= 0 && (size_t)n + 1 < sizeof text->buf - text->len);
    text->len += (size_t)n;
    text->buf[text->len++] = '\n';
    text->buf[text->len] = '\0';
    return ++text->lines;
}

/* Every static key as "Dutch text N", except the key to leave out (may be NULL). */
static void text_all_dutch(struct text *text, const char *leave_out)
{
    text_line(text, "# test file");
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (leave_out != NULL && strcmp(KEY_NAMES[i], leave_out) == 0)
            continue;
        if (i == K_DONE_WAIT_RANGE)
            text_line(text, "%s = Wacht {min} tot {max} minuten.", KEY_NAMES[i]);
        else
            text_line(text, "%s = Dutch text %d", KEY_NAMES[i], i);
    }
}

static void write_text(const struct tmpdir *dir, const char *name, const struct text *text)
{
    write_file(dir, name, text->buf, text->len);
}

/* ---- an independent scan of a shipped file's keys (not the loader under test) ---- */

struct keys {
    char key[SCAN_KEYS_MAX][SCAN_KEY_LEN];
    int count;
};

static void keys_scan(const char *code, struct keys *keys)
{
    char path[128];
    snprintf(path, sizeof path, SHIPPED_DIR "/%s.lang", code);
    FILE *file = fopen(path, "r");
    if (file == NULL)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    char line[512];
    keys->count = 0;
    while (fgets(line, sizeof line, file) != NULL) {
        char *start = line + strspn(line, " \t");
        char *equals = strchr(start, '=');
        if (*start == '#' || equals == NULL)
            continue;
        char *end = equals;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        assert_true(keys->count < SCAN_KEYS_MAX && end - start < SCAN_KEY_LEN);
        snprintf(keys->key[keys->count++], SCAN_KEY_LEN, "%.*s", (int)(end - start), start);
    }
    fclose(file);
}

static bool keys_has(const struct keys *keys, const char *key)
{
    for (int i = 0; i < keys->count; i++) {
        if (strcmp(keys->key[i], key) == 0)
            return true;
    }
    return false;
}

static bool is_static_key(const char *key)
{
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (strcmp(KEY_NAMES[i], key) == 0)
            return true;
    }
    return false;
}

static struct lang_set *open_shipped(struct capture *capture, int *problems)
{
    char err[512] = "";
    struct lang_set *set = lang_open(SHIPPED_DIR, SHIPPED_CODES, SHIPPED_COUNT, capture_report,
                                     capture, problems, err, sizeof err);
    if (set == NULL)
        fail_msg("lang_open(" SHIPPED_DIR "): %s", err);
    return set;
}

/* Decodes one UTF-8 code point at *p (assumed valid) and advances *p. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t point;
    int follow;
    if (s[0] < 0x80) {
        point = s[0];
        follow = 0;
    } else if (s[0] < 0xE0) {
        point = s[0] & 0x1Fu;
        follow = 1;
    } else if (s[0] < 0xF0) {
        point = s[0] & 0x0Fu;
        follow = 2;
    } else {
        point = s[0] & 0x07u;
        follow = 3;
    }
    for (int i = 1; i <= follow; i++)
        point = (point << 6) | (s[i] & 0x3Fu);
    *p = s + follow + 1;
    return point;
}

static int letters_in_range(const char *text, uint32_t low, uint32_t high)
{
    int count = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p != '\0') {
        uint32_t point = next_code_point(&p);
        if (point >= low && point <= high)
            count++;
    }
    return count;
}

/* ---- tests ---- */

static void test_every_language_file_is_complete(void **state)
{
    (void)state;
    struct keys *nl = calloc(1, sizeof *nl);
    struct keys *other = calloc(1, sizeof *other);
    assert_non_null(nl);
    assert_non_null(other);
    int missing = 0;

    keys_scan("nl", nl);
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (!keys_has(nl, KEY_NAMES[i])) {
            print_message("nl.lang lacks %s\n", KEY_NAMES[i]);
            missing++;
        }
    }
    for (int c = 1; c < SHIPPED_COUNT; c++) {
        keys_scan(SHIPPED_CODES[c], other);
        for (int i = 0; i < LANG_KEY_COUNT; i++) {
            if (!keys_has(other, KEY_NAMES[i])) {
                print_message("%s.lang lacks %s\n", SHIPPED_CODES[c], KEY_NAMES[i]);
                missing++;
            }
        }
        for (int i = 0; i < nl->count; i++) {
            if (!is_static_key(nl->key[i]) && !keys_has(other, nl->key[i])) {
                print_message("%s.lang lacks %s (nl.lang has it)\n", SHIPPED_CODES[c], nl->key[i]);
                missing++;
            }
        }
    }
    assert_int_equal(missing, 0);

    /* The loader agrees: the shipped files load without a single problem. */
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = -1;
    struct lang_set *set = open_shipped(capture, &problems);
    capture_print(capture);
    assert_int_equal(problems, 0);
    assert_int_equal(lang_count(set), SHIPPED_COUNT);
    lang_close(set);
    free(capture);
    free(other);
    free(nl);
}

static void test_missing_key_falls_back_to_dutch_never_raw_key(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct text *en = calloc(1, sizeof *en);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(en);
    assert_non_null(capture);

    text_all_dutch(nl, "common.moment"); /* missing in every language */
    text_line(nl, "nature.heron = Reiger");
    write_text(&dir, "nl.lang", nl);
    text_line(en, "lang.name = English");
    text_line(en, "welcome.title = Welcome.");
    write_text(&dir, "en.lang", en);

    const char *codes[] = {"en"};
    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, codes, 1, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    const struct lang *english = lang_get(set, "en");
    const struct lang *dutch = lang_get(set, "nl");
    assert_non_null(english);
    assert_non_null(dutch);

    assert_string_equal(lang_text(english, K_WELCOME_TITLE), "Welcome.");
    assert_string_equal(lang_text(english, K_DONE_OK), lang_text(dutch, K_DONE_OK));
    char expected[32];
    snprintf(expected, sizeof expected, "Dutch text %d", (int)K_DONE_OK);
    assert_string_equal(lang_text(english, K_DONE_OK), expected);
    assert_string_equal(lang_text(english, K_COMMON_MOMENT), "");
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        const char *text = lang_text(english, (enum lang_key)i);
        assert_non_null(text);
        assert_string_not_equal(text, KEY_NAMES[i]);
    }
    assert_string_equal(lang_lookup(english, "nature.heron"), "Reiger");
    assert_null(lang_lookup(english, "nature.nothing"));
    assert_null(lang_lookup(english, "common.moment"));

    /* Each language's gaps in one message naming the file and the keys. */
    capture_print(capture);
    assert_int_equal(capture_matches(capture, "en.lang", "missing"), 1);
    assert_int_equal(capture_matches(capture, "en.lang", "missing", "done.ok", "nature.heron"), 1);
    assert_int_equal(capture_matches(capture, "nl.lang", "missing", "common.moment"), 1);
    assert_int_equal(problems, 2);

    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(en);
    free(nl);
}

static void test_arabic_is_right_to_left_and_others_left_to_right(void **state)
{
    (void)state;
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = 0;
    struct lang_set *set = open_shipped(capture, &problems);
    for (int c = 0; c < SHIPPED_COUNT; c++) {
        const struct lang *lang = lang_get(set, SHIPPED_CODES[c]);
        assert_non_null(lang);
        assert_int_equal(lang_is_rtl(lang), strcmp(SHIPPED_CODES[c], "ar") == 0);
        assert_string_equal(lang_lookup(lang, "lang.direction"),
                            strcmp(SHIPPED_CODES[c], "ar") == 0 ? "rtl" : "ltr");
    }
    lang_close(set);
    free(capture);
}

static void test_native_names_in_own_script(void **state)
{
    (void)state;
    static const char *const names[] = {"Nederlands", "English", "العربية",
                                        "Türkçe",     "Polski",  "Українська"};
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = 0;
    struct lang_set *set = open_shipped(capture, &problems);
    for (int c = 0; c < SHIPPED_COUNT; c++) {
        const struct lang *lang = lang_get(set, SHIPPED_CODES[c]);
        assert_string_equal(lang_text(lang, K_LANG_NAME), names[c]);
    }
    const char *arabic = lang_text(lang_get(set, "ar"), K_LANG_NAME);
    const char *ukrainian = lang_text(lang_get(set, "uk"), K_LANG_NAME);
    assert_int_equal(letters_in_range(arabic, 0x0600, 0x06FF), 7);
    assert_int_equal(letters_in_range(arabic, 'A', 'z'), 0);
    assert_int_equal(letters_in_range(ukrainian, 0x0400, 0x04FF), 10);
    assert_int_equal(letters_in_range(ukrainian, 'A', 'z'), 0);
    lang_close(set);
    free(capture);
}

static void test_no_semicolons_or_overlong_lines_in_shipped_files(void **state)
{
    (void)state;
    int bad = 0;
    for (int c = 0; c < SHIPPED_COUNT; c++) {
        char path[128];
        snprintf(path, sizeof path, SHIPPED_DIR "/%s.lang", SHIPPED_CODES[c]);
        FILE *file = fopen(path, "rb");
        assert_non_null(file);
        char line[1024];
        int number = 0;
        while (fgets(line, sizeof line, file) != NULL) {
            number++;
            size_t len = strcspn(line, "\r\n");
            if (len > LANG_TEXT_MAX) {
                print_message("%s:%d: %zu bytes, at most %d\n", path, number, len, LANG_TEXT_MAX);
                bad++;
            }
            if (strchr(line, ';') != NULL) {
                print_message("%s:%d: holds ';'\n", path, number);
                bad++;
            }
        }
        fclose(file);
    }
    assert_int_equal(bad, 0);
}

static void test_bad_placeholder_is_reported(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(capture);

    text_line(nl, "# placeholders");
    int line_unknown = text_line(nl, "welcome.title = Hallo {naam}, welkom.");
    int line_misplaced = text_line(nl, "done.ok = Klaar over {min}");
    int line_half = text_line(nl, "done.wait_range = Het duurt {min} minuten.");
    int line_open = text_line(nl, "nature.heron = Reiger {");
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (i != K_WELCOME_TITLE && i != K_DONE_OK && i != K_DONE_WAIT_RANGE)
            text_line(nl, "%s = Tekst %d", KEY_NAMES[i], i);
    }
    write_text(&dir, "nl.lang", nl);

    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, NULL, 0, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);

    char where[64];
    snprintf(where, sizeof where, "nl.lang:%d:", line_unknown);
    assert_int_equal(capture_matches(capture, where, "{naam}"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_misplaced);
    assert_int_equal(capture_matches(capture, where, "done.ok", "{min}"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_half);
    assert_int_equal(capture_matches(capture, where, "done.wait_range", "{max}"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_open);
    assert_int_equal(capture_matches(capture, where, "nature.heron", "'{'"), 1);
    assert_int_equal(problems, 4);

    /* The text is still shown as written: nothing is interpreted. */
    assert_string_equal(lang_text(lang_get(set, "nl"), K_WELCOME_TITLE), "Hallo {naam}, welkom.");
    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(nl);
}

static void test_broken_utf8_and_control_characters_are_reported_and_dutch_is_shown(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct text *en = calloc(1, sizeof *en);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(en);
    assert_non_null(capture);
    text_all_dutch(nl, NULL);
    write_text(&dir, "nl.lang", nl);

    text_all_dutch(en, NULL); /* complete, then five broken lines override keys */
    int cut = text_line(en, "welcome.title = Welcome \xC3");
    int overlong = text_line(en, "done.ok = \xC0\xAF ok");
    int surrogate = text_line(en, "common.moment = \xED\xA0\x80");
    int beyond = text_line(en, "nature.heron = Heron \xF4\x90\x80\x80");
    int escape = text_line(en, "welcome.checkin = \x1b[2J\x1b[31mCheck in");
    write_text(&dir, "en.lang", en);

    const char *codes[] = {"en"};
    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, codes, 1, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);
    const int broken[] = {cut, overlong, surrogate, beyond};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char where[64];
        snprintf(where, sizeof where, "en.lang:%d:", broken[i]);
        assert_int_equal(capture_matches(capture, where, "UTF-8"), 1);
    }
    char where[64];
    snprintf(where, sizeof where, "en.lang:%d:", escape);
    assert_int_equal(capture_matches(capture, where, "control character 0x1b"), 1);
    assert_int_equal(problems, 5);
    for (int i = 0; i < capture->count; i++) {
        assert_null(strchr(capture->text[i], 0x1b)); /* nothing quoted to a terminal */
    }

    /* The broken lines are ignored: the earlier English text or the Dutch one shows. */
    const struct lang *english = lang_get(set, "en");
    char expected[32];
    snprintf(expected, sizeof expected, "Dutch text %d", (int)K_WELCOME_TITLE);
    assert_string_equal(lang_text(english, K_WELCOME_TITLE), expected);
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        const char *text = lang_text(english, (enum lang_key)i);
        for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
            assert_true(*c >= 0x20 && *c != 0x7f && *c != 0xc0 && *c != 0xed);
        }
    }
    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(en);
    free(nl);
}

static void test_range_placeholders_filled(void **state)
{
    (void)state;
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = 0;
    struct lang_set *set = open_shipped(capture, &problems);
    char out[256];

    const char *dutch = lang_text(lang_get(set, "nl"), K_DONE_WAIT_RANGE);
    assert_int_equal(lang_format_range(dutch, 5, 15, out, sizeof out), 0);
    assert_string_equal(out, "U wacht meestal 5 tot 15 minuten.");

    /* Arabic's other plural for 3..10 minutes holds both numbers too. */
    const char *few = lang_lookup(lang_get(set, "ar"), "plural.wait_range_3_10");
    assert_non_null(few);
    assert_int_equal(lang_format_range(few, 3, 10, out, sizeof out), 0);
    assert_non_null(strstr(out, "دقائق"));
    assert_null(strchr(out, '{'));

    /* Every shipped language gets both numbers and keeps no placeholder. */
    for (int c = 0; c < SHIPPED_COUNT; c++) {
        const char *text = lang_text(lang_get(set, SHIPPED_CODES[c]), K_DONE_WAIT_RANGE);
        assert_int_equal(lang_format_range(text, 10, 20, out, sizeof out), 0);
        assert_non_null(strstr(out, "10"));
        assert_non_null(strstr(out, "20"));
        assert_null(strchr(out, '{'));
    }

    /* File text is never a format string. */
    assert_int_equal(lang_format_range("%s %n {max}{min}%d", 5, 15, out, sizeof out), 0);
    assert_string_equal(out, "%s %n 155%d");
    assert_int_equal(lang_format_range("{mi {max", 1, 2, out, sizeof out), 0);
    assert_string_equal(out, "{mi {max");

    /* Too small: terminated, a number is never cut, UTF-8 is never cut in two. */
    char small[9];
    memset(small, 'x', sizeof small);
    assert_int_equal(lang_format_range("Wacht {max} min", 1, 15, small, 8), -ENOSPC);
    assert_string_equal(small, "Wacht ");
    assert_int_equal(small[8], 'x');
    assert_int_equal(lang_format_range("Вітаємо", 0, 0, small, 6), -ENOSPC);
    assert_string_equal(small, "Ві");
    assert_int_equal(lang_format_range("x", 0, 0, small, 0), -ENOSPC);
    lang_close(set);
    free(capture);
}

static void test_unreadable_language_is_left_out_with_message(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(capture);
    text_all_dutch(nl, NULL);
    write_text(&dir, "nl.lang", nl);
    char sub[128];
    snprintf(sub, sizeof sub, "%s/en.lang", dir.path);
    assert_int_equal(mkdir(sub, 0700), 0); /* unreadable even for root */

    const char *codes[] = {"en", "xx", "../nl"};
    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, codes, 3, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);
    assert_null(lang_get(set, "en"));
    assert_null(lang_get(set, "xx"));
    assert_int_equal(lang_count(set), 1);
    assert_string_equal(lang_code(lang_at(set, 0)), "nl");
    assert_int_equal(capture_matches(capture, "en.lang", "left out"), 1);
    assert_int_equal(capture_matches(capture, "xx.lang", "No such file", "left out"), 1);
    assert_int_equal(capture_matches(capture, "../nl", "left out"), 1);
    assert_int_equal(problems, 3);
    lang_close(set);

    /* Without nl there is nothing to fall back on: NULL with the reason. */
    snprintf(sub, sizeof sub, "%s/nl.lang", dir.path);
    assert_int_equal(unlink(sub), 0);
    err[0] = '\0';
    set = lang_open(dir.path, codes, 1, capture_report, capture, &problems, err, sizeof err);
    assert_null(set);
    assert_non_null(strstr(err, "nl.lang"));
    assert_non_null(strstr(err, "No such file"));
    tmpdir_remove(&dir);
    free(capture);
    free(nl);
}

static void test_oversized_language_file_is_refused_with_message(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(capture);
    text_all_dutch(nl, NULL);
    write_text(&dir, "nl.lang", nl);

    size_t big_size = 64 * 1024 + 1;
    char *big = malloc(big_size);
    assert_non_null(big);
    memset(big, '#', big_size);
    for (size_t i = 79; i < big_size; i += 80)
        big[i] = '\n';
    write_file(&dir, "pl.lang", big, big_size);
    write_file(&dir, "tr.lang", big, big_size - 1); /* exactly the limit: accepted */
    free(big);

    const char *codes[] = {"pl", "tr"};
    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, codes, 2, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);
    assert_null(lang_get(set, "pl"));
    assert_non_null(lang_get(set, "tr"));
    assert_int_equal(capture_matches(capture, "pl.lang", "65537 bytes", "65536"), 1);
    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(nl);
}

static void test_overlong_line_is_reported_with_line_and_length(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(capture);
    text_all_dutch(nl, NULL);
    char long_text[251];
    memset(long_text, 'a', 250);
    long_text[250] = '\0';
    int line_long = text_line(nl, "nature.long = %s", long_text); /* 264 bytes */
    char fits[200];
    memset(fits, 'b', 185);
    fits[185] = '\0';
    text_line(nl, "nature.fits = %s", fits); /* 199 bytes: the most that fits */
    text_line(nl, "nature.after = Na");
    write_text(&dir, "nl.lang", nl);

    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, NULL, 0, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);
    char where[64];
    snprintf(where, sizeof where, "nl.lang:%d:", line_long);
    assert_int_equal(capture_matches(capture, where, "264 bytes", "199"), 1);
    assert_int_equal(problems, 1);
    const struct lang *dutch = lang_get(set, "nl");
    assert_null(lang_lookup(dutch, "nature.long"));
    assert_string_equal(lang_lookup(dutch, "nature.fits"), fits);
    assert_string_equal(lang_lookup(dutch, "nature.after"), "Na");
    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(nl);
}

static void test_duplicate_unknown_and_bad_direction_are_reported_first_text_wins(void **state)
{
    (void)state;
    struct tmpdir dir = tmpdir_make();
    struct text *nl = calloc(1, sizeof *nl);
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(nl);
    assert_non_null(capture);
    text_all_dutch(nl, NULL);
    int line_moss = text_line(nl, "nature.moss = Mos");
    int line_title_again = text_line(nl, "welcome.title = Tweede");
    int line_moss_again = text_line(nl, "nature.moss = Mus");
    int line_unknown = text_line(nl, "welcom.title = Welkom");
    int line_direction = text_line(nl, "lang.direction = sideways");
    int line_semicolon = text_line(nl, "nature.reed = Riet ; kort");
    text_line(nl, "   nature.pine = Den");
    write_text(&dir, "nl.lang", nl);

    int problems = 0;
    char err[256];
    struct lang_set *set =
        lang_open(dir.path, NULL, 0, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    capture_print(capture);
    const struct lang *dutch = lang_get(set, "nl");
    char where[64];
    char first[32];
    snprintf(where, sizeof where, "nl.lang:%d:", line_title_again);
    assert_int_equal(capture_matches(capture, where, "duplicate", "welcome.title"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_moss_again);
    snprintf(first, sizeof first, "line %d", line_moss);
    assert_int_equal(capture_matches(capture, where, "duplicate", "nature.moss", first), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_unknown);
    assert_int_equal(capture_matches(capture, where, "unknown key", "welcom.title"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_direction);
    assert_int_equal(capture_matches(capture, where, "sideways", "ltr or rtl"), 1);
    snprintf(where, sizeof where, "nl.lang:%d:", line_semicolon);
    assert_int_equal(capture_matches(capture, where, "';'"), 1);
    assert_int_equal(problems, 5);

    assert_string_equal(lang_text(dutch, K_WELCOME_TITLE), "Dutch text 1");
    assert_string_equal(lang_lookup(dutch, "nature.moss"), "Mos");
    assert_false(lang_is_rtl(dutch));
    assert_string_equal(lang_lookup(dutch, "nature.pine"), "Den"); /* indented: no continuation */
    lang_close(set);
    tmpdir_remove(&dir);
    free(capture);
    free(nl);
}

static void test_language_order_follows_the_caller_with_dutch_first_when_unlisted(void **state)
{
    (void)state;
    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = 0;
    char err[256];

    const char *unlisted[] = {"ar", "en"};
    struct lang_set *set =
        lang_open(SHIPPED_DIR, unlisted, 2, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    assert_int_equal(lang_count(set), 3);
    assert_string_equal(lang_code(lang_at(set, 0)), "nl");
    assert_string_equal(lang_code(lang_at(set, 1)), "ar");
    assert_string_equal(lang_code(lang_at(set, 2)), "en");
    assert_null(lang_at(set, 3));
    lang_close(set);

    const char *listed[] = {"en", "nl", "en"};
    set = lang_open(SHIPPED_DIR, listed, 3, capture_report, capture, &problems, err, sizeof err);
    assert_non_null(set);
    assert_int_equal(lang_count(set), 2);
    assert_string_equal(lang_code(lang_at(set, 0)), "en");
    assert_string_equal(lang_code(lang_at(set, 1)), "nl");
    assert_int_equal(capture_matches(capture, "language en is listed twice"), 1);
    lang_close(set);
    free(capture);
}

static void test_nature_words_all_translated(void **state)
{
    (void)state;
    assert_true(NATURE_WORD_COUNT >= 24);
    struct keys *keys = calloc(1, sizeof *keys);
    assert_non_null(keys);
    int missing = 0;
    for (int c = 0; c < SHIPPED_COUNT; c++) {
        keys_scan(SHIPPED_CODES[c], keys);
        for (int w = 0; w < NATURE_WORD_COUNT; w++) {
            char key[SCAN_KEY_LEN];
            snprintf(key, sizeof key, "nature.%s", NATURE_WORDS[w]);
            if (!keys_has(keys, key)) {
                print_message("%s.lang lacks %s\n", SHIPPED_CODES[c], key);
                missing++;
            }
        }
        /* and no file has a nature word the names module does not know */
        for (int i = 0; i < keys->count; i++) {
            if (strncmp(keys->key[i], "nature.", 7) != 0)
                continue;
            bool known = false;
            for (int w = 0; w < NATURE_WORD_COUNT; w++)
                known = known || strcmp(keys->key[i] + 7, NATURE_WORDS[w]) == 0;
            if (!known) {
                print_message("%s.lang: %s is not in NATURE_WORDS\n", SHIPPED_CODES[c],
                              keys->key[i]);
                missing++;
            }
        }
    }
    assert_int_equal(missing, 0);

    struct capture *capture = calloc(1, sizeof *capture);
    assert_non_null(capture);
    int problems = 0;
    struct lang_set *set = open_shipped(capture, &problems);
    const struct lang *dutch = lang_get(set, "nl");
    for (int a = 0; a < NATURE_WORD_COUNT; a++) {
        char key_a[SCAN_KEY_LEN];
        snprintf(key_a, sizeof key_a, "nature.%s", NATURE_WORDS[a]);
        const char *word_a = lang_lookup(dutch, key_a);
        assert_non_null(word_a);
        for (int b = a + 1; b < NATURE_WORD_COUNT; b++) {
            char key_b[SCAN_KEY_LEN];
            snprintf(key_b, sizeof key_b, "nature.%s", NATURE_WORDS[b]);
            const char *word_b = lang_lookup(dutch, key_b);
            assert_non_null(word_b);
            if (strcasecmp(word_a, word_b) == 0)
                fail_msg("%s and %s are both \"%s\" in Dutch", key_a, key_b, word_a);
        }
    }
    lang_close(set);
    free(capture);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_language_file_is_complete),
        cmocka_unit_test(test_missing_key_falls_back_to_dutch_never_raw_key),
        cmocka_unit_test(test_arabic_is_right_to_left_and_others_left_to_right),
        cmocka_unit_test(test_native_names_in_own_script),
        cmocka_unit_test(test_no_semicolons_or_overlong_lines_in_shipped_files),
        cmocka_unit_test(test_bad_placeholder_is_reported),
        cmocka_unit_test(test_broken_utf8_and_control_characters_are_reported_and_dutch_is_shown),
        cmocka_unit_test(test_range_placeholders_filled),
        cmocka_unit_test(test_unreadable_language_is_left_out_with_message),
        cmocka_unit_test(test_oversized_language_file_is_refused_with_message),
        cmocka_unit_test(test_overlong_line_is_reported_with_line_and_length),
        cmocka_unit_test(test_duplicate_unknown_and_bad_direction_are_reported_first_text_wins),
        cmocka_unit_test(test_language_order_follows_the_caller_with_dutch_first_when_unlisted),
        cmocka_unit_test(test_nature_words_all_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
