/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of timezone: which zone the kiosk runs in, and that an unknown zone or a missing
 * database (tzdata not installed) is refused with a message instead of becoming UTC.
 * Needs tzdata (Europe/Amsterdam), as the DST tests of the schedule and the replay do.
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
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "config/config.h"
#include "core/timezone.h"

/* A folder of its own per test, removed by teardown. */
struct scratch {
    char dir[64];
};

static int setup_scratch(void **state)
{
    struct scratch *scratch = calloc(1, sizeof *scratch);
    assert_non_null(scratch);
    snprintf(scratch->dir, sizeof scratch->dir, "/tmp/oase-test-tz.XXXXXX");
    assert_non_null(mkdtemp(scratch->dir));
    unsetenv("TZDIR");
    *state = scratch;
    return 0;
}

static int teardown_scratch(void **state)
{
    struct scratch *scratch = *state;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", scratch->dir);
    assert_int_equal(system(command), 0);
    free(scratch);
    unsetenv("TZDIR");
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

static void test_known_zone_rule_and_utc_are_accepted(void **state)
{
    (void)state;
    char why[512] = "";
    assert_int_equal(timezone_check("Europe/Amsterdam", why, sizeof why), 0);
    assert_int_equal(timezone_check(":Europe/Amsterdam", why, sizeof why), 0);
    assert_int_equal(timezone_check("CET-1CEST,M3.5.0,M10.5.0/3", why, sizeof why), 0);
    assert_int_equal(timezone_check("UTC0", why, sizeof why), 0);
    assert_int_equal(timezone_check("<+03>-3", why, sizeof why), 0);
    assert_int_equal(timezone_check("UTC", why, sizeof why), 0);
    assert_int_equal(timezone_check("/usr/share/zoneinfo/Europe/Amsterdam", why, sizeof why), 0);
}

static void test_unknown_zone_is_refused_naming_the_file(void **state)
{
    (void)state;
    char why[512] = "";
    assert_int_equal(timezone_check("Europe/Amsterdm", why, sizeof why), -ENOENT);
    assert_non_null(strstr(why, "\"Europe/Amsterdm\" is unknown"));
    assert_non_null(strstr(why, "/usr/share/zoneinfo/Europe/Amsterdm"));
    assert_non_null(strstr(why, "Europe/Amsterdam")); /* an example of what is accepted */
}

static void test_names_that_are_not_zones_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "../../etc/passwd", "Europe/../../etc/passwd", "Europe//Amsterdam", "Europe/Amster dam", "",
        "Europe/",          "/nonexistent/zone"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[512] = "";
        int rc = timezone_check(bad[i], why, sizeof why);
        if (rc == 0) {
            fail_msg("\"%s\" was accepted as a time zone", bad[i]);
        }
        assert_true(rc == -EINVAL || rc == -ENOENT);
        assert_non_null(strstr(why, bad[i]));
    }
}

static void test_missing_database_says_install_tzdata(void **state)
{
    struct scratch *scratch = *state;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/zoneinfo", scratch->dir);
    setenv("TZDIR", missing, 1);
    char why[512] = "";
    assert_int_equal(timezone_check("Europe/Amsterdam", why, sizeof why), -ENOENT);
    assert_non_null(strstr(why, "install tzdata"));
    assert_non_null(strstr(why, missing));
}

static void test_a_file_that_is_not_a_zone_is_refused(void **state)
{
    struct scratch *scratch = *state;
    char path[128];
    setenv("TZDIR", scratch->dir, 1);
    snprintf(path, sizeof path, "%s/Fake", scratch->dir);
    write_file(path, "not a zone\n");
    char why[512] = "";
    assert_int_equal(timezone_check("Fake", why, sizeof why), -EINVAL);
    assert_non_null(strstr(why, "not a time-zone file"));
}

static void test_config_beats_tz_which_beats_the_system_file(void **state)
{
    (void)state;
    struct timezone_choice choice;
    char why[512] = "";
    assert_int_equal(timezone_choose("Europe/London", "Asia/Tokyo",
                                     "/usr/share/zoneinfo/America/New_York", &choice, why,
                                     sizeof why),
                     0);
    assert_string_equal(choice.name, "Europe/London");
    assert_string_equal(choice.source, "kiosk.timezone");
    assert_int_equal(timezone_choose("", "Asia/Tokyo", "/usr/share/zoneinfo/America/New_York",
                                     &choice, why, sizeof why),
                     0);
    assert_string_equal(choice.name, "Asia/Tokyo");
    assert_string_equal(choice.source, "TZ");
    assert_int_equal(
        timezone_choose("", NULL, "/usr/share/zoneinfo/America/New_York", &choice, why, sizeof why),
        0);
    assert_string_equal(choice.source, "/usr/share/zoneinfo/America/New_York");
    assert_non_null(strstr(choice.shown, "America/New_York"));
}

static void test_an_unknown_configured_zone_is_not_replaced_by_tz(void **state)
{
    (void)state;
    struct timezone_choice choice;
    char why[512] = "";
    assert_int_equal(timezone_choose("Europe/Amsterdm", "Europe/Amsterdam", "/etc/localtime",
                                     &choice, why, sizeof why),
                     -ENOENT);
    assert_non_null(strstr(why, "kiosk.timezone = Europe/Amsterdm"));
    assert_int_equal(
        timezone_choose("", "Nowhere/Land", "/etc/localtime", &choice, why, sizeof why), -ENOENT);
    assert_non_null(strstr(why, "TZ=Nowhere/Land"));
}

static void test_no_zone_at_all_is_refused_with_how_to_set_one(void **state)
{
    struct scratch *scratch = *state;
    char system_file[128];
    snprintf(system_file, sizeof system_file, "%s/localtime", scratch->dir);
    struct timezone_choice choice;
    char why[512] = "";
    assert_int_equal(timezone_choose("", "", system_file, &choice, why, sizeof why), -ENOENT);
    assert_non_null(strstr(why, "TZ is not set"));
    assert_non_null(strstr(why, system_file));
    assert_non_null(strstr(why, "timezone = Europe/Amsterdam"));
    assert_non_null(strstr(why, "timedatectl set-timezone"));
}

static void test_system_file_pointing_to_a_removed_zone_is_refused(void **state)
{
    struct scratch *scratch = *state;
    char system_file[128];
    snprintf(system_file, sizeof system_file, "%s/localtime", scratch->dir);
    assert_int_equal(symlink("/usr/share/zoneinfo/Europe/Atlantis", system_file), 0);
    struct timezone_choice choice;
    char why[512] = "";
    assert_int_equal(timezone_choose("", NULL, system_file, &choice, why, sizeof why), -ENOENT);
    assert_non_null(strstr(why, "points to /usr/share/zoneinfo/Europe/Atlantis"));
    assert_non_null(strstr(why, "install tzdata"));
}

static void test_system_file_link_gives_the_zone_name(void **state)
{
    struct scratch *scratch = *state;
    char system_file[128];
    snprintf(system_file, sizeof system_file, "%s/localtime", scratch->dir);
    assert_int_equal(symlink("/usr/share/zoneinfo/Europe/Amsterdam", system_file), 0);
    struct timezone_choice choice;
    char why[512] = "";
    assert_int_equal(timezone_choose("", NULL, system_file, &choice, why, sizeof why), 0);
    char expected[256];
    snprintf(expected, sizeof expected, "Europe/Amsterdam (from %s)", system_file);
    assert_string_equal(choice.shown, expected);
    assert_string_equal(choice.name, system_file); /* not /etc/localtime: TZ names the file */
}

/* After apply, local times are the zone's: 2026-03-29 01:30 UTC is 03:30 in Amsterdam (the
 * clocks went forward at 01:00 UTC), and 10:30 in Tokyo. */
static void test_apply_makes_local_time_follow_the_zone(void **state)
{
    (void)state;
    const int64_t instant_ms = 1774747800000LL; /* 2026-03-29 01:30:00 UTC */
    struct timezone_choice choice;
    char why[512] = "";
    struct oase_localtime local;

    assert_int_equal(
        timezone_choose("Europe/Amsterdam", NULL, "/etc/localtime", &choice, why, sizeof why), 0);
    assert_int_equal(timezone_apply(&choice), 0);
    assert_string_equal(getenv("TZ"), "Europe/Amsterdam");
    clock_local(instant_ms, &local);
    assert_int_equal(local.hour, 3);
    assert_int_equal(local.minute, 30);

    assert_int_equal(timezone_choose("", "Asia/Tokyo", "/etc/localtime", &choice, why, sizeof why),
                     0);
    assert_int_equal(timezone_apply(&choice), 0);
    clock_local(instant_ms, &local);
    assert_int_equal(local.hour, 10);
}

static void report_into(void *ctx, const char *message)
{
    char *out = ctx;
    size_t used = strlen(out);
    snprintf(out + used, 2048 - used, "%s\n", message);
}

static void test_config_reports_an_unknown_zone_and_keeps_it(void **state)
{
    (void)state;
    static struct oase_config config;
    config_defaults(&config);
    assert_string_equal(config.timezone, "");
    static const char text[] = "[kiosk]\nsite = test\ntimezone = Europe/Amsterdm\n";
    char messages[2048] = "";
    struct config_problems problems = {0};
    assert_int_equal(config_load_buffer(&config, "t.conf", text, sizeof text - 1, report_into,
                                        messages, &problems),
                     0);
    assert_int_equal(problems.errors, 1);
    assert_non_null(strstr(messages, "t.conf:3: kiosk.timezone = Europe/Amsterdm: "));
    /* kept, so the kiosk refuses it at start rather than falling back to another zone */
    assert_string_equal(config.timezone, "Europe/Amsterdm");
}

static void test_config_accepts_a_known_zone_and_an_empty_one(void **state)
{
    (void)state;
    static struct oase_config config;
    config_defaults(&config);
    static const char known[] = "[kiosk]\ntimezone = Europe/Amsterdam\n";
    struct config_problems problems = {0};
    assert_int_equal(
        config_load_buffer(&config, "t.conf", known, sizeof known - 1, NULL, NULL, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_string_equal(config.timezone, "Europe/Amsterdam");
    static const char empty[] = "[kiosk]\ntimezone =\n";
    assert_int_equal(
        config_load_buffer(&config, "t.conf", empty, sizeof empty - 1, NULL, NULL, &problems), 0);
    assert_int_equal(problems.errors, 0);
    assert_string_equal(config.timezone, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_zone_rule_and_utc_are_accepted),
        cmocka_unit_test(test_unknown_zone_is_refused_naming_the_file),
        cmocka_unit_test(test_names_that_are_not_zones_are_refused),
        cmocka_unit_test_setup_teardown(test_missing_database_says_install_tzdata, setup_scratch,
                                        teardown_scratch),
        cmocka_unit_test_setup_teardown(test_a_file_that_is_not_a_zone_is_refused, setup_scratch,
                                        teardown_scratch),
        cmocka_unit_test(test_config_beats_tz_which_beats_the_system_file),
        cmocka_unit_test(test_an_unknown_configured_zone_is_not_replaced_by_tz),
        cmocka_unit_test_setup_teardown(test_no_zone_at_all_is_refused_with_how_to_set_one,
                                        setup_scratch, teardown_scratch),
        cmocka_unit_test_setup_teardown(test_system_file_pointing_to_a_removed_zone_is_refused,
                                        setup_scratch, teardown_scratch),
        cmocka_unit_test_setup_teardown(test_system_file_link_gives_the_zone_name, setup_scratch,
                                        teardown_scratch),
        cmocka_unit_test(test_apply_makes_local_time_follow_the_zone),
        cmocka_unit_test(test_config_reports_an_unknown_zone_and_keeps_it),
        cmocka_unit_test(test_config_accepts_a_known_zone_and_an_empty_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
