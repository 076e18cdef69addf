/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of the replay script reader (kiosk/replay.c), the clock and the phases. */
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

#include "core/clock.h"
#include "core/phase.h"
#include "kiosk/replay.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/oase-replay-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/s.replay", dir);
    unlink(path);
    return rmdir(dir);
}

/* Writes text as a script and loads it; returns replay_load's result. */
static int load(const char *text, struct replay_script *script, char *err, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.replay", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return replay_load(script, path, err, size);
}

static void test_valid_script_is_read_in_order(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    int rc = load("# a journey\nstart 2026-03-02 09:00\ntap checkin\n\ntap service:2 # tile\n"
                  "tap-at 400 240\nwait 30000\npace 0\nexpect-screen welcome\nhost 3 collected\n",
                  &s, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_int_equal(s.count, 7);
    assert_int_equal(s.commands[0].op, REPLAY_TAP);
    assert_string_equal(s.commands[1].id, "service:2");
    assert_int_equal(s.commands[1].line, 5);
    assert_int_equal(s.commands[2].x, 400);
    assert_int_equal(s.commands[3].ms, 30000);
    assert_int_equal(s.commands[5].op, REPLAY_EXPECT);
    assert_int_equal(s.commands[6].ms, 3);
    int64_t expected;
    assert_int_equal(clock_parse_local("2026-03-02 09:00", &expected), 0);
    assert_int_equal(s.start_ms, expected);
    replay_free(&s);
}

/* start's UPTIME: how long ago the simulated machine booted (a restart in one boot). */
static void test_start_takes_an_uptime_and_refuses_a_bad_one(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    assert_int_equal(load("start 2026-03-02 16:20 1740\nwait 1\n", &s, err, sizeof err), 0);
    assert_int_equal(s.uptime_ms, 1740000);
    replay_free(&s);
    assert_int_equal(load("start 2026-03-02 16:20\nwait 1\n", &s, err, sizeof err), 0);
    assert_int_equal(s.uptime_ms, 0);
    replay_free(&s);
    assert_int_equal(load("start 2026-03-02 16:20 0\n", &s, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "UPTIME"));
    assert_int_equal(load("start 2026-03-02 16:20 -5\n", &s, err, sizeof err), -EINVAL);
}

static void test_bad_line_names_file_line_and_what_is_accepted(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    assert_int_equal(load("tap checkin\nwait -5\n", &s, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "s.replay:2:"));
    assert_non_null(strstr(err, "wait -5"));
    assert_non_null(strstr(err, "accepted"));
    assert_int_equal(s.count, 0);
    assert_null(s.commands);
}

static void test_malformed_lines_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "dance\n",
        "tap\n",
        "tap a b\n",
        "tap <script>\n",
        "tap-at 10\n",
        "tap-at -1 5\n",
        "wait 12abc\n",
        "wait\n",
        "expect-screen x\n",
        "host 0 collected\n",
        "host 2 eaten\n",
        "tap checkin\nstart 2026-01-01 10:00\n",
        "start 2026-02-30 10:00\n",
        "wait 99999999999999999999\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct replay_script s;
        char err[256] = "";
        if (load(bad[i], &s, err, sizeof err) == 0) {
            fail_msg("accepted: %s", bad[i]);
        }
        assert_non_null(strstr(err, "s.replay:"));
    }
}

static void test_each_malformed_line_names_file_line_and_the_accepted_form(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *line; /* "s.replay:N:" */
        const char *accepted;
    } cases[] = {
        {"tap checkin\ndance now\n", "s.replay:2:", "accepted: start, tap, tap-at, hold, wait"},
        {"tap\n", "s.replay:1:", "accepted: tap ID"},
        {"# c\n\ntap-at 10 x\n", "s.replay:3:", "accepted: tap-at X Y with X and Y in 0..4095"},
        {"tap-at 5000 1\n", "s.replay:1:", "0..4095"},
        {"hold 1 1\n", "s.replay:1:", "accepted: hold X Y MS"},
        {"hold 1 1 600001\n", "s.replay:1:", "0..600000"},
        {"pace -1\n", "s.replay:1:", "accepted: pace MS with MS in 0..3600000"},
        {"wait 1e3\n", "s.replay:1:", "accepted: wait MS"},
        {"expect-screen nowhere\n", "s.replay:1:", "accepted: expect-screen NAME"},
        {"host 1 gone\n", "s.replay:1:", "accepted: host NUMBER collected|no-show|waiting"},
        {"start 2026-03-29 02:30\n", "s.replay:1:", "an existing local time"},
        {"wait 1\nstart 2026-01-01 10:00\n", "s.replay:2:", "start must be the first command"},
        {"storm 60 1000\n", "s.replay:1:", "accepted: storm SECONDS RATE SEED"},
        {"storm 0 1000 1\n", "s.replay:1:", "SECONDS in 1..3600"},
        {"storm 60 10001 1\n", "s.replay:1:", "RATE in 1..10000"},
        {"storm 60 1000 -1\n", "s.replay:1:", "SEED in 0..2147483647"},
        {"tap \x1b[2Jx\n", "s.replay:1:", "\"tap ?[2Jx\""},
        {"tap \xC3\xA9t\xC3\xA9\n", "s.replay:1:", "\"tap ??t??\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct replay_script s;
        char err[512] = "";
        if (load(cases[i].text, &s, err, sizeof err) != -EINVAL) {
            fail_msg("accepted: %s", cases[i].text);
        }
        if (strstr(err, cases[i].line) == NULL || strstr(err, cases[i].accepted) == NULL) {
            fail_msg("%s: the message \"%s\" lacks \"%s\" or \"%s\"", cases[i].text, err,
                     cases[i].line, cases[i].accepted);
        }
        assert_null(strchr(err, '\x1b'));
        assert_int_equal(s.count, 0);
        assert_null(s.commands);
    }
}

static void test_storm_is_read_with_its_duration_rate_and_seed(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    assert_int_equal(load("storm 60 1000 20260303\n", &s, err, sizeof err), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.commands[0].op, REPLAY_STORM);
    assert_int_equal(s.commands[0].ms, 60000);
    assert_int_equal(s.commands[0].rate, 1000);
    assert_int_equal(s.commands[0].seed, 20260303u);
    replay_free(&s);
}

static void test_overlong_line_is_refused(void **state)
{
    (void)state;
    char text[600];
    memset(text, 'a', sizeof text - 2);
    text[sizeof text - 2] = '\n';
    text[sizeof text - 1] = '\0';
    struct replay_script s;
    char err[256] = "";
    assert_int_not_equal(load(text, &s, err, sizeof err), 0);
    assert_non_null(strstr(err, "longer than"));
}

static void test_missing_script_gives_errno_and_path(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    assert_int_equal(replay_load(&s, "/nonexistent/x.replay", err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "/nonexistent/x.replay"));
}

static void test_phase_in_force_follows_start_dates(void **state)
{
    (void)state;
    struct phase_list phases = {0};
    assert_int_equal(phase_add(&phases, "after", "2026-03-02"), 0);
    assert_int_equal(phase_add(&phases, "baseline", "2026-01-05"), 0);
    assert_int_equal(phase_add(&phases, "baseline", "2026-05-01"), -EEXIST);
    assert_string_equal(phase_for_date(&phases, "2026-01-04"), PHASE_NONE);
    assert_string_equal(phase_for_date(&phases, "2026-01-05"), "baseline");
    assert_string_equal(phase_for_date(&phases, "2026-03-01"), "baseline");
    assert_string_equal(phase_for_date(&phases, "2026-03-02"), "after");
    assert_string_equal(phase_for_date(&phases, "2027-01-01"), "after");
}

static void test_clock_local_and_midnight_across_dst(void **state)
{
    (void)state;
    int64_t ms;
    /* TZ=Europe/Amsterdam (tests/run_unit.sh): 2026-03-29 has 23 hours. */
    assert_int_equal(clock_parse_local("2026-03-29 00:00", &ms), 0);
    assert_int_equal(clock_ms_until_midnight(ms), 23LL * 3600 * 1000);
    assert_int_equal(clock_parse_local("2026-10-25 00:00", &ms), 0);
    assert_int_equal(clock_ms_until_midnight(ms), 25LL * 3600 * 1000);
    struct oase_localtime t;
    assert_int_equal(clock_parse_local("2026-03-02 09:15", &ms), 0);
    clock_local(ms, &t);
    assert_string_equal(t.date, "2026-03-02");
    assert_int_equal(t.weekday, 0); /* Monday */
    assert_int_equal(t.minute_of_day, 9 * 60 + 15);
    assert_int_equal(clock_parse_local("2026-02-30", &ms), -EINVAL);
    assert_int_equal(clock_parse_local("2026-03-02 9:15", &ms), -EINVAL);
    assert_int_equal(clock_parse_local(" 2026-1-05", &ms), -EINVAL);
}

static void test_simulated_clock_moves_only_when_told(void **state)
{
    (void)state;
    struct oase_clock c;
    clock_init_simulated(&c, 5000);
    assert_int_equal(clock_now_ms(&c), 5000);
    clock_advance(&c, 250);
    assert_int_equal(clock_now_ms(&c), 5250);
    clock_advance(&c, -100);
    assert_int_equal(clock_now_ms(&c), 5250);
}

static void test_advance_to_is_read_as_a_local_instant_and_memory_takes_no_argument(void **state)
{
    (void)state;
    struct replay_script s;
    char err[256] = "";
    int rc =
        load("start 2026-03-28 16:00\nadvance-to 2026-03-30 08:30\nmemory\n", &s, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.commands[0].op, REPLAY_ADVANCE_TO);
    int64_t expected;
    /* across the DST change of 2026-03-29: a local time, not start + 40.5 hours */
    assert_int_equal(clock_parse_local("2026-03-30 08:30", &expected), 0);
    assert_int_equal(s.commands[0].ms, expected);
    assert_int_equal(s.commands[0].ms - s.start_ms, (40LL * 60 + 30 - 60) * 60 * 1000);
    assert_int_equal(s.commands[1].op, REPLAY_MEMORY);
    assert_int_equal(s.commands[1].line, 3);
    replay_free(&s);
}

static void test_bad_advance_to_and_memory_lines_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "advance-to 2026-03-02\n",         "advance-to 2026-02-30 10:00\n",
        "advance-to tomorrow 10:00\n",     "advance-to 2026-03-02 25:00\n",
        "advance-to 2026-03-02 10:00 x\n", "memory now\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct replay_script s;
        char err[256] = "";
        if (load(bad[i], &s, err, sizeof err) == 0) {
            fail_msg("accepted: %s", bad[i]);
        }
        assert_non_null(strstr(err, "s.replay:1:"));
        assert_non_null(strstr(err, "accepted"));
    }
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_script_is_read_in_order),
        cmocka_unit_test(test_start_takes_an_uptime_and_refuses_a_bad_one),
        cmocka_unit_test(test_bad_line_names_file_line_and_what_is_accepted),
        cmocka_unit_test(test_malformed_lines_are_refused),
        cmocka_unit_test(test_each_malformed_line_names_file_line_and_the_accepted_form),
        cmocka_unit_test(test_storm_is_read_with_its_duration_rate_and_seed),
        cmocka_unit_test(test_overlong_line_is_refused),
        cmocka_unit_test(test_missing_script_gives_errno_and_path),
        cmocka_unit_test(test_phase_in_force_follows_start_dates),
        cmocka_unit_test(test_clock_local_and_midnight_across_dst),
        cmocka_unit_test(test_simulated_clock_moves_only_when_told),
        cmocka_unit_test(test_advance_to_is_read_as_a_local_instant_and_memory_takes_no_argument),
        cmocka_unit_test(test_bad_advance_to_and_memory_lines_are_refused),
    };
    return cmocka_run_group_tests_name("replay", tests, make_dir, remove_dir);
}
