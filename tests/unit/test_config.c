/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * test_config: the kiosk's settings file. What a technician relies on: the shipped file
 * is clean and shows the defaults; every mistake is named with file, line, key, value and
 * what is accepted, and never silently changes another setting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

#define SHIPPED_CONFIG "config/oase.conf" /* tests run from the repository root */
#define MESSAGES_MAX 32

/* Collects report messages for one test. */
struct captured {
    char messages[MESSAGES_MAX][1024];
    int count;
};

static void capture(void *ctx, const char *message)
{
    struct captured *captured = ctx;
    if (captured->count < MESSAGES_MAX) {
        snprintf(captured->messages[captured->count], sizeof captured->messages[0], "%s", message);
    }
    captured->count++;
}

/* True when one captured message holds every one of pieces (NULL-terminated). */
static bool message_with_all(const struct captured *captured, const char *const pieces[])
{
    for (int i = 0; i < captured->count && i < MESSAGES_MAX; i++) {
        bool all = true;
        for (int p = 0; pieces[p] != NULL; p++) {
            if (strstr(captured->messages[i], pieces[p]) == NULL) {
                all = false;
            }
        }
        if (all) {
            return true;
        }
    }
    return false;
}
#define message_with(captured, ...)                                                                \
    message_with_all((captured), (const char *const[]){__VA_ARGS__, NULL})

static void print_messages(const struct captured *captured)
{
    for (int i = 0; i < captured->count && i < MESSAGES_MAX; i++) {
        print_message("  report: %s\n", captured->messages[i]);
    }
}

/* A temporary directory per test, holding bad.conf. */
struct scratch {
    char dir[64];
    char path[128];
};

static int scratch_setup(void **state)
{
    struct scratch *scratch = calloc(1, sizeof *scratch);
    if (scratch == NULL) {
        return -1;
    }
    snprintf(scratch->dir, sizeof scratch->dir, "/tmp/oase-config-XXXXXX");
    if (mkdtemp(scratch->dir) == NULL) {
        free(scratch);
        return -1;
    }
    snprintf(scratch->path, sizeof scratch->path, "%s/bad.conf", scratch->dir);
    *state = scratch;
    return 0;
}

static int scratch_teardown(void **state)
{
    struct scratch *scratch = *state;
    unlink(scratch->path);
    rmdir(scratch->dir);
    free(scratch);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    assert_int_equal(fputs(text, file) >= 0, 1);
    assert_int_equal(fclose(file), 0);
}

/* Writes text to the scratch file and loads it over the defaults. */
static int load_text(struct scratch *scratch, const char *text, struct oase_config *config,
                     struct captured *captured, struct config_problems *problems)
{
    write_file(scratch->path, text);
    config_defaults(config);
    memset(captured, 0, sizeof *captured);
    int rc = config_load(config, scratch->path, capture, captured, problems);
    print_messages(captured);
    return rc;
}

static void test_shipped_config_loads_clean_and_matches_defaults(void **state)
{
    (void)state;
    struct oase_config defaults, loaded;
    struct captured captured = {0};
    struct config_problems problems = {-1, -1};
    config_defaults(&defaults);
    config_defaults(&loaded);
    /* start from different values, so matching values prove the file sets them */
    loaded.inactivity_seconds = 99;
    loaded.closing_minute = -1;
    loaded.calm_animation = false;
    loaded.service_count = 1;
    snprintf(loaded.site, sizeof loaded.site, "elsewhere");
    snprintf(loaded.db_path, sizeof loaded.db_path, "/tmp/other.db");
    loaded.width = 1;
    loaded.rotation = ROTATION_270;
    loaded.brightness_closed_percent = 77;
    loaded.closed_scene[0] = '\0';

    assert_int_equal(config_load(&loaded, SHIPPED_CONFIG, capture, &captured, &problems), 0);
    print_messages(&captured);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(problems.warnings, 0);
    assert_int_equal(captured.count, 0);

    assert_string_equal(loaded.site, defaults.site);
    assert_string_equal(loaded.default_language, defaults.default_language);
    assert_int_equal(loaded.language_count, defaults.language_count);
    for (int i = 0; i < defaults.language_count; i++) {
        assert_string_equal(loaded.languages[i], defaults.languages[i]);
    }
    assert_int_equal(loaded.orientation, defaults.orientation);
    assert_int_equal(loaded.width, defaults.width);
    assert_int_equal(loaded.height, defaults.height);
    assert_int_equal(loaded.inactivity_seconds, defaults.inactivity_seconds);
    assert_int_equal(loaded.checked_in_seconds, defaults.checked_in_seconds);
    assert_int_equal(loaded.calm_animation, defaults.calm_animation);
    assert_int_equal(loaded.ask_stress, defaults.ask_stress);
    assert_int_equal(loaded.ask_word, defaults.ask_word);
    assert_int_equal(loaded.departure_tap, defaults.departure_tap);
    assert_int_equal(loaded.closing_minute, defaults.closing_minute);
    assert_int_equal(loaded.wait_estimate_min_samples, defaults.wait_estimate_min_samples);
    assert_int_equal(loaded.service_count, defaults.service_count);
    for (int i = 0; i < defaults.service_count; i++) {
        assert_string_equal(loaded.services[i].id, defaults.services[i].id);
        assert_string_equal(loaded.services[i].label, defaults.services[i].label);
        assert_string_equal(loaded.services[i].icon, defaults.services[i].icon);
    }
    assert_int_equal(loaded.phases.count, defaults.phases.count);
    assert_string_equal(loaded.font_path, defaults.font_path);
    assert_string_equal(loaded.font_bold_path, defaults.font_bold_path);
    assert_string_equal(loaded.font_arabic_path, defaults.font_arabic_path);
    assert_string_equal(loaded.font_arabic_bold_path, defaults.font_arabic_bold_path);
    assert_string_equal(loaded.assets_dir, defaults.assets_dir);
    assert_string_equal(loaded.db_path, defaults.db_path);
    assert_int_equal(loaded.rotation, defaults.rotation);
    assert_string_equal(loaded.backlight, defaults.backlight);
    assert_int_equal(loaded.brightness_percent, defaults.brightness_percent);
    assert_int_equal(loaded.brightness_closed_percent, defaults.brightness_closed_percent);
    assert_string_equal(loaded.closed_scene, defaults.closed_scene);
}

static void test_defaults_are_the_documented_values(void **state)
{
    (void)state;
    struct oase_config config;
    config_defaults(&config);
    assert_string_equal(config.site, "oase");
    assert_string_equal(config.default_language, "nl");
    assert_int_equal(config.width, 800);
    assert_int_equal(config.height, 480);
    assert_int_equal(config.inactivity_seconds, 30);
    assert_int_equal(config.checked_in_seconds, 20);
    assert_true(config.calm_animation && config.ask_stress && config.ask_word);
    assert_false(config.departure_tap);
    assert_int_equal(config.closing_minute, 17 * 60);
    assert_int_equal(config.wait_estimate_min_samples, 5);
    assert_int_equal(config.service_count, 4);
    assert_string_equal(config.services[1].label, "Werk en inkomen");
    assert_string_equal(config.services[2].icon, "care");
    assert_int_equal(config.phases.count, 0);
    assert_string_equal(config.db_path, "/var/lib/oase/oase.db");
    assert_non_null(config_service(&config, "weetniet"));
    assert_null(config_service(&config, "nope"));
}

static void test_bad_value_keeps_default_and_names_file_line_key_value_range(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[kiosk]\n"
                       "checked_in_seconds = 40\n"
                       "inactivity_seconds = 5000\n"
                       "wait_estimate_min_samples = 7x\n"
                       "calm_animation = maybe\n"
                       "closing_time = 24:00\n"
                       "site = 0123456789012345678901234567890123456789012345678901234567890123\n"
                       "checked_in_seconds = 99999999999999999999\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_true(
        message_with(&captured, "bad.conf:3:", "kiosk.inactivity_seconds", "5000", "10..600"));
    assert_true(
        message_with(&captured, "bad.conf:4:", "kiosk.wait_estimate_min_samples", "7x", "3..1000"));
    assert_true(
        message_with(&captured, "bad.conf:5:", "kiosk.calm_animation", "maybe", "on or off"));
    assert_true(message_with(&captured, "bad.conf:6:", "kiosk.closing_time", "24:00", "23:59"));
    assert_true(message_with(&captured, "bad.conf:7:", "kiosk.site", "1..63 bytes"));
    assert_true(message_with(&captured, "bad.conf:8:", "kiosk.checked_in_seconds", "5..120"));
    assert_int_equal(problems.errors, 6);
    assert_int_equal(problems.warnings, 1); /* checked_in_seconds set twice */
    assert_true(message_with(&captured, "bad.conf:8:", "first on line 2"));
    /* bad values keep what was there: the defaults, or the earlier good line */
    assert_int_equal(config.inactivity_seconds, 30);
    assert_int_equal(config.wait_estimate_min_samples, 5);
    assert_true(config.calm_animation);
    assert_int_equal(config.closing_minute, 17 * 60);
    assert_string_equal(config.site, "oase");
    assert_int_equal(config.checked_in_seconds, 40);
}

static void test_good_values_are_read(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "\xEF\xBB\xBF[kiosk]\r\n"
                       "  site = \"Oase Noord\" ; the north office\r\n"
                       "calm_animation = No\n"
                       "    departure_tap = 1\n" /* indented: a key, not a continuation */
                       "closing_time = none\n"
                       "inactivity_seconds = +600\n"
                       "languages = tr, nl,en\n"
                       "default_language = tr\n"
                       "[store]\n"
                       "db_path = /srv/oase/o.db\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(problems.warnings, 0);
    assert_string_equal(config.site, "Oase Noord");
    assert_false(config.calm_animation);
    assert_true(config.departure_tap);
    assert_int_equal(config.closing_minute, -1);
    assert_int_equal(config.inactivity_seconds, 600);
    assert_int_equal(config.language_count, 3);
    assert_string_equal(config.languages[0], "tr");
    assert_string_equal(config.languages[2], "en");
    assert_string_equal(config.default_language, "tr");
    assert_string_equal(config.db_path, "/srv/oase/o.db");
}

static void test_unknown_key_is_a_warning_not_an_error(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[kiosk]\n"
                       "inactivty_seconds = 45\n"
                       "inactivity_seconds = 45\n"
                       "[kiosks]\n"
                       "site = x\n"
                       "[audio]\n"
                       "volume_db = -20\n"
                       "[light.desk]\n"
                       "gpio = 17\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(problems.warnings, 3);
    assert_true(
        message_with(&captured, "bad.conf:2:", "unknown key kiosk.inactivty_seconds (ignored)"));
    assert_true(message_with(&captured, "bad.conf:4:", "unknown section [kiosks]"));
    /* Sections of other modules are checked by them and reported the same way. */
    assert_true(message_with(&captured, "bad.conf:9:", "unknown key light.desk.gpio (ignored)"));
    assert_int_equal(config.inactivity_seconds, 45);
    assert_string_equal(config.site, "oase"); /* [kiosks] is not [kiosk] */
}

static void test_malformed_lines_are_errors_with_their_line(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[kiosk]\n"
                       "inactivity_seconds 45\n"
                       "[display\n"
                       "assets_dir = elsewhere\n"
                       "[kiosk]\n"
                       "checked_in_seconds = 30\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 2);
    assert_true(message_with(&captured, "bad.conf:2:", "inactivity_seconds 45", "key = value"));
    assert_true(message_with(&captured, "bad.conf:3:", "[display"));
    assert_true(message_with(&captured, "bad.conf:5:", "[kiosk] appears again"));
    assert_string_equal(config.assets_dir, "assets"); /* keys under a broken header skipped */
    assert_int_equal(config.checked_in_seconds, 30);  /* and the next good header counts */
}

static void test_services_in_file_order_and_limit_of_six(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[services]\n"
                       "zorg = Zorg en hulp\n"
                       "geld = Geld\n"
                       "geld.icon = money\n"
                       "wonen = Wonen\n"
                       "wonen.icon = house\n"
                       "brief = Een brief\n"
                       "gezin = Gezin\n"
                       "anders = Iets anders\n"
                       "zevende = Zevende\n"
                       "Bad_Id = Label\n"
                       "nergens.icon = chat\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(config.service_count, 6);
    const char *order[] = {"zorg", "geld", "wonen", "brief", "gezin", "anders"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(config.services[i].id, order[i]);
    }
    assert_string_equal(config.services[0].label, "Zorg en hulp");
    assert_string_equal(config.services[1].icon, "money");
    assert_string_equal(config.services[2].icon, "question"); /* "house" refused */
    assert_null(config_service(&config, "schuldhulp"));       /* defaults replaced */
    assert_null(config_service(&config, "zevende"));
    assert_true(
        message_with(&captured, "bad.conf:6:", "services.wonen.icon = house", "money", "chat"));
    assert_true(message_with(&captured, "bad.conf:10:", "services.zevende", "at most 6"));
    assert_true(message_with(&captured, "bad.conf:11:", "services.Bad_Id", "a-z 0-9"));
    assert_true(message_with(&captured, "bad.conf:12:", "services.nergens.icon"));
    assert_int_equal(problems.errors, 4);
}

static void test_services_section_without_usable_lines_keeps_previous(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state, "[services]\nBAD = x\n", &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 2);
    assert_true(message_with(&captured, "bad.conf:1:", "no usable service"));
    assert_int_equal(config.service_count, 4);
    assert_non_null(config_service(&config, "schuldhulp"));
}

static void test_phases_sorted_and_bad_date_rejected(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[phases]\n"
                       "after = 2026-03-02\n"
                       "baseline = 2026-01-05\n"
                       "impossible = 2026-02-30\n"
                       "loose = 2026-1-05\n"
                       "clash = 2026-03-02\n"
                       "unphased = 2027-01-01\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(config.phases.count, 2);
    assert_string_equal(config.phases.items[0].name, "baseline");
    assert_string_equal(config.phases.items[0].start, "2026-01-05");
    assert_string_equal(config.phases.items[1].name, "after");
    assert_true(
        message_with(&captured, "bad.conf:4:", "phases.impossible = 2026-02-30", "YYYY-MM-DD"));
    assert_true(message_with(&captured, "bad.conf:5:", "2026-1-05"));
    assert_true(message_with(&captured, "bad.conf:6:", "after starts then"));
    assert_true(message_with(&captured, "bad.conf:7:", "phases.unphased"));
    assert_int_equal(problems.errors, 4);
    assert_string_equal(phase_for_date(&config.phases, "2026-02-01"), "baseline");
}

static void test_repeated_phase_moves_it_and_warns(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[phases]\n"
                       "baseline = 2026-05-01\n"
                       "after = 2026-03-02\n"
                       "baseline = 2026-01-05\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(problems.warnings, 1);
    assert_true(message_with(&captured, "bad.conf:4:", "first on line 2"));
    assert_int_equal(config.phases.count, 2);
    assert_string_equal(config.phases.items[0].name, "baseline");
    assert_string_equal(config.phases.items[0].start, "2026-01-05");
}

static void test_overlong_line_reported(void **state)
{
    char text[600];
    char long_value[241];
    memset(long_value, 'a', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    /* "site = " (7) + 233 letters = 240 bytes; the next line must keep its own number */
    int n =
        snprintf(text, sizeof text, "[kiosk]\nsite = %s\ninactivity_seconds = 3\n", long_value + 7);
    assert_true(n > 0 && (size_t)n < sizeof text);
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state, text, &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_true(message_with(&captured, "bad.conf:2: line is 240 bytes long; at most 199 are "
                                        "accepted"));
    assert_true(message_with(&captured, "bad.conf:3:", "kiosk.inactivity_seconds"));
    assert_int_equal(problems.errors, 2);
    assert_string_equal(config.site, "oase"); /* no silently split half-value */
}

static void test_line_of_199_bytes_is_accepted(void **state)
{
    char text[600];
    char path[200];
    /* "db_path = " (10) + 189 = 199 bytes */
    memset(path, 'p', 189);
    path[0] = '/';
    path[189] = '\0';
    int n = snprintf(text, sizeof text, "[store]\ndb_path = %s\r\n", path);
    assert_true(n > 0 && (size_t)n < sizeof text);
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    assert_int_equal(load_text(*state, text, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_string_equal(config.db_path, path);
}

static void test_missing_file_returns_error(void **state)
{
    struct scratch *scratch = *state;
    struct oase_config config;
    struct captured captured = {0};
    struct config_problems problems = {0, 0};
    config_defaults(&config);
    config.inactivity_seconds = 77;
    int rc = config_load(&config, scratch->path, capture, &captured, &problems);
    assert_int_equal(rc, -ENOENT);
    assert_int_equal(problems.errors, 1);
    assert_int_equal(captured.count, 0); /* the caller reports it */
    assert_int_equal(config.inactivity_seconds, 77);

    /* a directory opens but cannot be read: also an error, config unchanged */
    rc = config_load(&config, scratch->dir, capture, &captured, &problems);
    assert_int_equal(rc, -EISDIR);
    assert_int_equal(config.inactivity_seconds, 77);
}

/* A power cut while the file was saved: 0 bytes, or a last line cut off. Refused with a
 * message, the config unchanged (the kiosk never runs on defaults in its place). */
static void test_cut_or_empty_file_is_refused(void **state)
{
    struct oase_config config;
    struct captured captured = {0};
    struct config_problems problems = {0, 0};
    assert_int_equal(load_text(*state, "", &config, &captured, &problems), -ENODATA);
    assert_int_equal(problems.errors, 1);
    assert_int_equal(captured.count, 1);
    assert_non_null(strstr(captured.messages[0], "the file is empty"));
    assert_int_equal(
        load_text(*state, "[kiosk]\ninactivity_seconds = 45\n[ser", &config, &captured, &problems),
        -EBADMSG);
    assert_int_not_equal(config.inactivity_seconds, 45); /* nothing of the cut file taken */
    assert_non_null(strstr(captured.messages[0], "does not end in a newline"));
}

static void test_portrait_orientation_sets_720x1280(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state, "[display]\nwidth = auto\n[kiosk]\norientation = portrait\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(config.orientation, ORIENTATION_PORTRAIT);
    assert_int_equal(config.width, 720);
    assert_int_equal(config.height, 1280);

    rc = load_text(*state, "[kiosk]\norientation = sideways\n[display]\nheight = 600\n", &config,
                   &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 1);
    assert_true(message_with(&captured, "bad.conf:2:", "sideways", "portrait"));
    assert_int_equal(config.orientation, ORIENTATION_LANDSCAPE);
    assert_int_equal(config.width, 800);
    assert_int_equal(config.height, 600); /* an explicit size wins */
}

static void test_display_rotation_backlight_and_dimming_keys(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[display]\nrotation = 180\nbacklight = 10-0045\nbrightness = 90\n"
                       "brightness_closed = 0\nclosed_scene = quiet\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(config.rotation, ROTATION_180);
    assert_string_equal(config.backlight, "10-0045");
    assert_int_equal(config.brightness_percent, 90);
    assert_int_equal(config.brightness_closed_percent, 0);
    assert_string_equal(config.closed_scene, "quiet");

    rc = load_text(*state,
                   "[display]\nrotation = 45\nbacklight = ../etc\nbrightness = 0\n"
                   "closed_scene = nowhere\n",
                   &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 4);
    assert_true(
        message_with(&captured, "bad.conf:2:", "display.rotation = 45", "0, 90, 180 or 270"));
    assert_true(message_with(&captured, "bad.conf:3:", "display.backlight", "auto, off"));
    assert_true(message_with(&captured, "bad.conf:4:", "display.brightness = 0", "1..100"));
    assert_true(message_with(&captured, "bad.conf:5:", "closed_scene = nowhere", "[scene.NAME]"));
    assert_int_equal(config.rotation, ROTATION_0);
    assert_string_equal(config.backlight, "auto");
    assert_int_equal(config.brightness_percent, 100);
    assert_string_equal(config.closed_scene, ""); /* a scene that does not exist: never dim */

    rc = load_text(*state, "[display]\nclosed_scene = none\nbacklight = off\n", &config, &captured,
                   &problems);
    assert_int_equal(problems.errors, 0);
    assert_string_equal(config.closed_scene, "");
    assert_string_equal(config.backlight, "off");
}

static void test_default_language_must_be_listed(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    int rc = load_text(*state,
                       "[kiosk]\n"
                       "default_language = fr\n"
                       "languages = ar en\n",
                       &config, &captured, &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 1);
    assert_true(message_with(&captured, "bad.conf:2:", "kiosk.default_language = fr", "ar en"));
    assert_string_equal(config.default_language, "ar"); /* the first listed language */

    rc = load_text(*state, "[kiosk]\nlanguages = nl en nl\nlanguages = NL\n", &config, &captured,
                   &problems);
    assert_int_equal(rc, 0);
    assert_int_equal(problems.errors, 2);
    assert_int_equal(config.language_count, 6); /* both lists refused: defaults kept */
    assert_string_equal(config.default_language, "nl");
}

/* Vectors from sha256sum over the same bytes: the hash is of the file, not of the settings. */
static void test_config_hash_is_sha256_of_the_file_bytes(void **state)
{
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    assert_int_equal(load_text(*state, "[kiosk]\nsite = hash\n", &config, &captured, &problems), 0);
    assert_string_equal(config.config_hash,
                        "sha256:8b856a490ec31a7b6c54e024dbc02e0ad37b5f1d4025edc793198bf2155cb174");

    /* One blank more: the same settings, other bytes, another hash. */
    assert_int_equal(load_text(*state, "[kiosk]\nsite = hash \n", &config, &captured, &problems),
                     0);
    assert_string_equal(config.site, "hash");
    assert_string_equal(config.config_hash,
                        "sha256:dd1ea20147b8fb168a7c4d8698d44c22c73630d0ffe118115f3784dd77caa8ea");

    /* A line too long for inih is reported, but its bytes are in the hash. (A last line
     * without its newline is refused: test_cut_or_empty_file_is_refused.) */
    char text[400];
    char comment[301];
    memset(comment, 'x', 300);
    comment[300] = '\0';
    snprintf(text, sizeof text, "[kiosk]\nsite = hash\n# %s\nsite = tail\n", comment);
    assert_int_equal(load_text(*state, text, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 1);
    assert_string_equal(config.config_hash,
                        "sha256:11cb809f58f5a6beeab5b5943bbc9f57e0f17d069dd93c6447711179aa5c14c5");
}

/* Loads size bytes from memory, as config_load_buffer names them "bad.conf". */
static int load_bytes(const char *text, size_t size, struct oase_config *config,
                      struct captured *captured, struct config_problems *problems)
{
    config_defaults(config);
    memset(captured, 0, sizeof *captured);
    int rc = config_load_buffer(config, "bad.conf", text, size, capture, captured, problems);
    print_messages(captured);
    return rc;
}

static void test_broken_utf8_control_characters_and_nul_keep_the_default(void **state)
{
    (void)state;
    static const char text[] = "[kiosk]\n"
                               "site = caf\xC3\n"               /* 2: cut sequence */
                               "[display]\n"                    /* 3 */
                               "assets_dir = /x\xED\xA0\x80y\n" /* 4: a UTF-16 surrogate */
                               "backlight = \xC0\xAF\n"         /* 5: overlong '/' */
                               "[staff]\n"                      /* 6 */
                               "pin = 12\0"
                               "34\n"                             /* 7: a NUL byte */
                               "[services]\n"                     /* 8 */
                               "schuldhulp = Schuld\xFFhulp\n"    /* 9: not UTF-8 at all */
                               "werk = Werk\x1b[31m en inkomen\n" /* 10: a terminal escape */
                               "wmo = Wmo\n";                     /* 11 */
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    assert_int_equal(load_bytes(text, sizeof text - 1, &config, &captured, &problems), 0);
    assert_true(message_with(&captured, "bad.conf:2:", "kiosk.site", "UTF-8"));
    assert_true(message_with(&captured, "bad.conf:4:", "display.assets_dir", "UTF-8"));
    assert_true(message_with(&captured, "bad.conf:5:", "display.backlight"));
    assert_true(message_with(&captured, "bad.conf:7:", "NUL", "UTF-8"));
    assert_true(message_with(&captured, "bad.conf:9:"));
    assert_true(message_with(&captured, "bad.conf:10:"));
    assert_int_equal(problems.errors, 6);
    /* The messages quote the values, but print no escape and no broken UTF-8 on a terminal. */
    for (int i = 0; i < captured.count && i < MESSAGES_MAX; i++) {
        const unsigned char *m = (const unsigned char *)captured.messages[i];
        for (; *m != '\0'; m++) {
            if (*m < 0x20 || *m == 0x7f || *m == 0xff || *m == 0xc0 || *m == 0xed) {
                fail_msg("message %d holds byte 0x%02x: %s", i, *m, captured.messages[i]);
            }
        }
    }
    assert_true(message_with(&captured, "bad.conf:10:", "Werk?[31m en inkomen"));
    assert_true(message_with(&captured, "bad.conf:2:", "caf?:"));
    assert_string_equal(config.site, "oase");
    assert_string_equal(config.assets_dir, "assets");
    assert_string_equal(config.backlight, "auto");
    assert_string_equal(config.staff_pin, ""); /* the staff menu stays closed */
    assert_int_equal(config.service_count, 1); /* only the clean line is a service */
    assert_string_equal(config.services[0].id, "wmo");
}

/* [evaluation]: the declared design; a bad value names file:line, keeps the default. */
static void test_evaluation_section_is_read_and_bad_values_named(void **state)
{
    (void)state;
    static const char good[] = "[evaluation]\n"
                               "primary = wait_minutes\n"
                               "design = controlled\n"
                               "alpha = 0.01\n"
                               "control_sites = noord, west\n";
    struct oase_config config;
    struct captured captured;
    struct config_problems problems;
    assert_int_equal(load_bytes(good, sizeof good - 1, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_true(config.evaluation.declared);
    assert_int_equal(config.evaluation.primary, EVALUATION_WAIT_MINUTES);
    assert_int_equal(config.evaluation.design, EVALUATION_CONTROLLED);
    assert_true(config.evaluation.alpha > 0.0099 && config.evaluation.alpha < 0.0101);
    assert_int_equal(config.evaluation.control_count, 2);
    assert_string_equal(config.evaluation.control_sites[1], "west");
    assert_true(evaluation_is_control(&config.evaluation, "noord"));
    assert_false(evaluation_is_control(&config.evaluation, "zuid"));

    static const char bad[] = "[evaluation]\n"
                              "primary = happiness\n"  /* 2 */
                              "design = randomized\n"  /* 3 */
                              "alpha = 0.5\n"          /* 4 */
                              "control_sites = a, a\n" /* 5 */
                              "colour = blue\n";       /* 6 */
    assert_int_equal(load_bytes(bad, sizeof bad - 1, &config, &captured, &problems), 0);
    assert_true(
        message_with(&captured, "bad.conf:2:", "evaluation.primary = happiness", "stress_arrival"));
    assert_true(message_with(&captured, "bad.conf:2:", "stress_arrival_high",
                             "stress_departure_high")); /* the shares are offered too */
    assert_true(message_with(&captured, "bad.conf:3:", "evaluation.design", "before_after"));
    assert_true(message_with(&captured, "bad.conf:4:", "evaluation.alpha = 0.5", "0.001 to 0.2"));
    assert_true(message_with(&captured, "bad.conf:5:", "control_sites", "different"));
    assert_true(message_with(&captured, "bad.conf:6:", "colour"));
    assert_int_equal(problems.errors, 4);
    assert_int_equal(config.evaluation.primary, EVALUATION_STRESS_ARRIVAL); /* defaults kept */
    assert_int_equal(config.evaluation.design, EVALUATION_ITS);
    assert_true(config.evaluation.alpha == 0.05);

    /* the share of answers at or above the cut, on arrival or on leaving */
    static const char share[] =
        "[evaluation]\nprimary = stress_arrival_high\ndesign = before_after\n";
    assert_int_equal(load_bytes(share, sizeof share - 1, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(config.evaluation.primary, EVALUATION_STRESS_ARRIVAL_HIGH);
    assert_string_equal(evaluation_outcome_name(config.evaluation.primary), "stress_arrival_high");
    static const char leaving[] = "[evaluation]\nprimary = stress_departure_high\n";
    assert_int_equal(load_bytes(leaving, sizeof leaving - 1, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_int_equal(config.evaluation.primary, EVALUATION_STRESS_DEPARTURE_HIGH);

    static const char lonely[] = "[evaluation]\ndesign = controlled\n";
    assert_int_equal(load_bytes(lonely, sizeof lonely - 1, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 1);
    assert_true(message_with(&captured, "control_sites"));

    /* randomised compares the conditions of a randomised room: without one it cannot be */
    static const char alone[] = "[evaluation]\nprimary = wait_minutes\ndesign = randomised\n";
    assert_int_equal(load_bytes(alone, sizeof alone - 1, &config, &captured, &problems), 0);
    assert_int_equal(problems.errors, 1);
    assert_true(
        message_with(&captured, "bad.conf:3:", "evaluation.design = randomised", "[experiment]"));
}

static void test_buffer_and_file_load_alike(void **state)
{
    struct scratch *scratch = *state;
    static const char text[] = "[kiosk]\n"
                               "inactivity_seconds = 5000\n"
                               "languages = nl en ar\n"
                               "orientation = portrait\n"
                               "[display]\n"
                               "rotation = 45\n"
                               "[nonsense]\n"
                               "key = value\n"
                               "[services]\n"
                               "schuldhulp = Schuldhulp\n";
    struct oase_config from_file, from_buffer;
    struct captured *file_messages = calloc(1, sizeof *file_messages);
    struct captured *buffer_messages = calloc(1, sizeof *buffer_messages);
    assert_non_null(file_messages);
    assert_non_null(buffer_messages);
    struct config_problems file_problems, buffer_problems;
    assert_int_equal(load_text(scratch, text, &from_file, file_messages, &file_problems), 0);
    assert_int_equal(
        load_bytes(text, sizeof text - 1, &from_buffer, buffer_messages, &buffer_problems), 0);
    assert_int_equal(file_problems.errors, buffer_problems.errors);
    assert_int_equal(file_problems.warnings, buffer_problems.warnings);
    assert_int_equal(file_messages->count, buffer_messages->count);
    for (int i = 0; i < file_messages->count && i < MESSAGES_MAX; i++) {
        /* the same message, but for the file's name */
        const char *after_file = strstr(file_messages->messages[i], "bad.conf");
        assert_non_null(after_file);
        assert_string_equal(after_file, buffer_messages->messages[i]);
    }
    assert_int_equal(from_file.inactivity_seconds, from_buffer.inactivity_seconds);
    assert_int_equal(from_file.language_count, 3);
    assert_int_equal(from_buffer.language_count, 3);
    assert_int_equal(from_buffer.height, 1280);
    assert_int_equal(from_buffer.service_count, 1);
    assert_string_equal(from_file.config_hash, from_buffer.config_hash); /* the same bytes read */

    /* An empty text changes nothing and is no problem. */
    struct config_problems none;
    assert_int_equal(load_bytes("", 0, &from_buffer, buffer_messages, &none), 0);
    assert_int_equal(none.errors + none.warnings, 0);
    assert_int_equal(from_buffer.service_count, 4);
    free(file_messages);
    free(buffer_messages);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_config_loads_clean_and_matches_defaults),
        cmocka_unit_test(test_defaults_are_the_documented_values),
        cmocka_unit_test(test_evaluation_section_is_read_and_bad_values_named),
#define SCRATCH_TEST(name) cmocka_unit_test_setup_teardown(name, scratch_setup, scratch_teardown)
        SCRATCH_TEST(test_bad_value_keeps_default_and_names_file_line_key_value_range),
        SCRATCH_TEST(test_cut_or_empty_file_is_refused),
        SCRATCH_TEST(test_good_values_are_read),
        SCRATCH_TEST(test_unknown_key_is_a_warning_not_an_error),
        SCRATCH_TEST(test_malformed_lines_are_errors_with_their_line),
        SCRATCH_TEST(test_services_in_file_order_and_limit_of_six),
        SCRATCH_TEST(test_services_section_without_usable_lines_keeps_previous),
        SCRATCH_TEST(test_phases_sorted_and_bad_date_rejected),
        SCRATCH_TEST(test_repeated_phase_moves_it_and_warns),
        SCRATCH_TEST(test_overlong_line_reported),
        SCRATCH_TEST(test_line_of_199_bytes_is_accepted),
        SCRATCH_TEST(test_missing_file_returns_error),
        SCRATCH_TEST(test_portrait_orientation_sets_720x1280),
        SCRATCH_TEST(test_default_language_must_be_listed),
        SCRATCH_TEST(test_display_rotation_backlight_and_dimming_keys),
        SCRATCH_TEST(test_broken_utf8_control_characters_and_nul_keep_the_default),
        SCRATCH_TEST(test_buffer_and_file_load_alike),
        SCRATCH_TEST(test_config_hash_is_sha256_of_the_file_bytes),
#undef SCRATCH_TEST
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
