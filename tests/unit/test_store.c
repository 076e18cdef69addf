/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for store: the privacy model (answers are cells, never rows), the fold of arrivals
 * at closing time and midnight, friendly-name numbers, waiting-time estimates, the file's
 * safety (mode 0600, foreign files refused untouched, schema versions) and the write queue.
 * Every test works on its own database in a mkdtemp() directory, in Europe/Amsterdam time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/phase.h"
#include "store/store.h"
#include "unit/store_fixture.h"

static int setup(void **state)
{
    *state = store_fixture_new("/tmp/oase-store-XXXXXX", 2);
    return 0;
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

/* ---- helpers ---- */

static mode_t file_mode(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Checks in one visitor with the next friendly-name number; returns that number. */
static int check_in(struct store *store, const char *local_time, const char *service,
                    int stress_answer, bool wants_word)
{
    int64_t ms = at(local_time);
    struct store_checkin checkin = {
        .at_ms = ms,
        .name_number = store_next_name_number(store, ms),
        .wants_word = wants_word,
        .stress_asked = true,
        .stress_answer = stress_answer,
    };
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder %d",
             checkin.name_number);
    snprintf(checkin.service, sizeof checkin.service, "%s", service);
    snprintf(checkin.context.scene, sizeof checkin.context.scene, "morning");
    assert_true(store_checkin(store, &checkin) > 0);
    return checkin.name_number;
}

static bool table_has_column(sqlite3 *db, const char *table, const char *column)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'",
             table, column);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    bool found = sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
    return found;
}

/* ---- privacy: answers are cells ---- */

static void test_checkin_counts_answer_into_cell_not_row(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    for (int i = 0; i < STORE_BATCH_K_DEFAULT; i++) {
        char when[32];
        snprintf(when, sizeof when, "2026-03-02 09:%02d", 15 + i * 5);
        check_in(store, when, "schulden", 7, i % 2 == 1);
    }
    tick_and_flush(store, "2026-03-02 09:50");

    /* One per-day cell (hour -1): the batch of k answers knows no hour. */
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 1);
    assert_int_equal(query_int(fixture->path,
                               "SELECT n FROM answer_counts WHERE day = '2026-03-02' AND hour = -1 "
                               "AND phase = 'after' AND moment = 'arrival' AND question = "
                               "'stress' AND answer = '7' AND scene = 'morning'"),
                     STORE_BATCH_K_DEFAULT);
    assert_int_equal(query_int(fixture->path,
                               "SELECT sum(n) FROM journey_counts WHERE moment = 'arrival' AND "
                               "outcome = 'completed' AND service = 'schulden'"),
                     STORE_BATCH_K_DEFAULT);

    /* No table can hold a name (or arrival number) and a score side by side, and the
     * answer table knows no time finer than the hour. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1,
                                        &tables, NULL),
                     SQLITE_OK);
    int table_count = 0;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        bool has_person = table_has_column(db, table, "friendly_name") ||
                          table_has_column(db, table, "name_number");
        bool has_score = table_has_column(db, table, "answer");
        if (has_person && has_score) {
            fail_msg("table %s links a person to a score", table);
        }
        table_count++;
    }
    sqlite3_finalize(tables);
    assert_true(table_count >= 7);
    assert_true(table_has_column(db, "answer_counts", "answer"));
    assert_true(table_has_column(db, "arrivals", "friendly_name"));
    assert_false(table_has_column(db, "answer_counts", "arrived_ms"));
    assert_false(table_has_column(db, "answer_counts", "minute"));
    sqlite3_close(db);
    store_close(store);
}

static void test_skip_counts_skip_never_a_score(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    for (int i = 0; i < 3; i++) {
        check_in(store, "2026-03-02 09:15", "", -1, false);
        assert_true(store_departure(store, at("2026-03-02 10:30"), -1, NULL) == 0);
    }

    /* A visitor who was not asked (stress question off) adds no answer at all. */
    int64_t ms = at("2026-03-02 11:00");
    for (int i = 0; i < 3; i++) {
        struct store_checkin not_asked = {.at_ms = ms,
                                          .name_number = store_next_name_number(store, ms)};
        assert_true(store_checkin(store, &not_asked) > 0);
    }
    tick_and_flush(store, "2026-03-02 11:01");

    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts "
                                              "WHERE answer <> 'skip'"),
                     0);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM answer_counts WHERE answer = 'skip' "
                                              "AND moment = 'arrival'"),
                     3);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM answer_counts WHERE answer = 'skip' "
                                              "AND moment = 'departure'"),
                     3);
    /* Six check-ins; a departure is a pooled answer, not a journey row with an hour. */
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM journey_counts "
                                              "WHERE outcome = 'completed'"),
                     6);
    /* Out-of-range scores are refused, not stored. */
    assert_int_equal(store_departure(store, ms, 11, NULL), -EINVAL);
    assert_int_equal(store_departure(store, ms, -4, NULL), -EINVAL);
    store_close(store);
}

static void test_abandoned_counts_journey_and_no_arrival(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    assert_true(store_abandoned(store, at("2026-03-02 09:15"), STORE_MOMENT_ARRIVAL, "stress",
                                "schulden") > 0);
    assert_true(store_abandoned(store, at("2026-03-02 09:50"), STORE_MOMENT_ARRIVAL, "stress",
                                "schulden") > 0);
    store_flush(store);

    assert_int_equal(query_int(fixture->path,
                               "SELECT n FROM journey_counts WHERE outcome = 'abandoned' AND "
                               "last_screen = 'stress' AND service = 'schulden' AND hour = 9"),
                     2);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 0);
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 0);
    assert_int_equal(store_waiting_count(store), 0);
    store_close(store);
}

/* ---- the host's view ---- */

static void test_checkin_shows_arrival_to_host_at_once(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int late = check_in(store, "2026-03-02 09:40", "uitkering", 3, false);
    int early = check_in(store, "2026-03-02 09:15", "schulden", 5, true);

    /* No flush: the mirror answers before the disk does. */
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 2);
    assert_int_equal(arrivals[0].name_number, early); /* sorted by arrival */
    assert_string_equal(arrivals[0].service, "schulden");
    assert_true(arrivals[0].wants_word);
    assert_int_equal(arrivals[1].name_number, late);
    assert_int_equal(store_waiting_count(store), 2);

    assert_true(store_set_status(store, early, ARRIVAL_COLLECTED, at("2026-03-02 09:30")) > 0);
    assert_int_equal(store_waiting_count(store), 1);
    assert_int_equal(store_set_status(store, 99, ARRIVAL_COLLECTED, at("2026-03-02 09:30")),
                     -ENOENT);

    /* The same number twice on one day is refused. */
    struct store_checkin again = {.at_ms = at("2026-03-02 10:00"), .name_number = early};
    assert_int_equal(store_checkin(store, &again), -EEXIST);

    store_flush(store);
    char status[16];
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM arrivals WHERE name_number = %d", early);
    query_text(fixture->path, sql, status, sizeof status);
    assert_string_equal(status, "collected");
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 2);
    store_close(store);
}

static void test_friendly_numbers_unique_per_day_and_survive_reopen(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, 17 * 60);
    int64_t morning = at("2026-03-02 09:15");
    int first = store_next_name_number(store, morning);
    int second = store_next_name_number(store, morning); /* before any commit */
    assert_int_equal(first, 1);
    assert_int_equal(second, 2);
    struct store_checkin checkin = {.at_ms = morning, .name_number = first};
    assert_true(store_checkin(store, &checkin) > 0);
    checkin.name_number = second;
    assert_true(store_checkin(store, &checkin) > 0);
    store_close(store);

    store = open_store(fixture, 17 * 60);
    int third = check_in(store, "2026-03-02 10:00", "", 4, false);
    assert_int_equal(third, 3);
    store_tick(store, at("2026-03-02 17:30")); /* those still waiting stay on the list */
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 3);
    assert_int_equal(store_next_name_number(store, at("2026-03-02 17:45")), 4);
    store_close(store);

    store = open_store(fixture, 17 * 60);
    int after_restart = store_next_name_number(store, at("2026-03-02 18:00"));
    assert_true(after_restart > third);
    assert_int_equal(store_next_name_number(store, at("2026-03-03 08:00")), 1);
    store_close(store);
}

/* ---- the fold ---- */

static void test_fold_at_midnight_deletes_arrivals_keeps_counts(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_tick(store, at("2026-03-02 09:00"));
    int collected = check_in(store, "2026-03-02 09:15", "schulden", 6, true);
    check_in(store, "2026-03-02 10:20", "schulden", 6, false);
    int no_show = check_in(store, "2026-03-02 10:25", "uitkering", 2, false);
    assert_true(store_set_status(store, collected, ARRIVAL_COLLECTED, at("2026-03-02 09:32")) > 0);
    assert_true(store_set_status(store, no_show, ARRIVAL_NO_SHOW, at("2026-03-02 11:30")) > 0);

    store_tick(store, at("2026-03-02 23:59"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 3);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrival_counts"), 0);

    store_tick(store, at("2026-03-03 00:00"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts "
                                              "WHERE day = '2026-03-02' AND phase = 'after'"),
                     3);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM arrival_counts WHERE hour = 9 AND "
                                              "service = 'schulden' AND wants_word = 1"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM arrival_counts WHERE hour = 10 AND "
                                              "service = 'schulden' AND wants_word = 0"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE outcome = "
                                              "'collected' AND wait_band = '15-20'"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE outcome = "
                                              "'not_marked' AND wait_band = ''"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE outcome = "
                                              "'no_show' AND service = 'uitkering'"),
                     1);
    /* Three answers, fewer than k: never written, only counted as withheld at midnight. */
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM response_counts WHERE "
                                              "question = 'stress' AND response = 'withheld'"),
                     3);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM name_counter "
                                              "WHERE day < '2026-03-03'"),
                     0); /* yesterday's numbers are not needed any more */
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 0);

    /* Idempotent: folding again changes nothing. */
    assert_true(store_fold(store, at("2026-03-03 00:05")) > 0);
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts"), 3);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM wait_counts"), 3);
    store_close(store);
}

static void test_fold_at_closing_time_then_late_arrival_folded_at_midnight(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, 17 * 60);
    store_tick(store, at("2026-03-02 09:00"));
    check_in(store, "2026-03-02 09:15", "", 5, false);
    store_tick(store, at("2026-03-02 16:59"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);

    store_tick(store, at("2026-03-02 17:00"));
    store_flush(store);
    /* Still waiting at closing: stays on the host's list until marked. */
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrival_counts"), 0);
    assert_int_equal(store_waiting_count(store), 1);
    assert_true(store_set_status(store, 1, ARRIVAL_COLLECTED, at("2026-03-02 17:10")) > 0);
    store_tick(store, at("2026-03-02 17:11")); /* marked after closing: folded */
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts"), 1);

    check_in(store, "2026-03-02 17:20", "", 5, false); /* after closing */
    store_tick(store, at("2026-03-02 17:21"));
    store_tick(store, at("2026-03-02 22:00"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    assert_int_equal(store_waiting_count(store), 1);

    store_tick(store, at("2026-03-03 00:00"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts "
                                              "WHERE day = '2026-03-02'"),
                     2);
    assert_int_equal(store_waiting_count(store), 0);
    store_close(store);
}

static void test_fold_on_open_of_a_previous_day(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    check_in(store, "2026-03-02 09:15", "schulden", 8, false);
    store_close(store); /* the kiosk is switched off over midnight */
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);

    store = open_store(fixture, -1);
    store_tick(store, at("2026-03-03 08:00")); /* the first tick after opening */
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM arrival_counts WHERE day = "
                                              "'2026-03-02' AND hour = 9"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE outcome = "
                                              "'not_marked'"),
                     1);
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 0);
    assert_int_equal(store_next_name_number(store, at("2026-03-03 08:01")), 1);
    store_close(store);
}

static void test_phase_tagging_by_date(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    const char *days[] = {"2026-01-04 10:00", "2026-03-01 10:00", "2026-03-02 10:00"};
    for (int d = 0; d < 3; d++) {
        for (int i = 0; i < 3; i++) {
            check_in(store, days[d], "", 5, false);
        }
        store_tick(store, at(days[d])); /* each day's three answers leave as one batch */
    }
    store_tick(store, at("2026-03-03 08:00"));
    store_flush(store);

    char phase[PHASE_NAME_MAX];
    query_text(fixture->path, "SELECT phase FROM answer_counts WHERE day = '2026-01-04'", phase,
               sizeof phase);
    assert_string_equal(phase, PHASE_NONE);
    query_text(fixture->path, "SELECT phase FROM answer_counts WHERE day = '2026-03-01'", phase,
               sizeof phase);
    assert_string_equal(phase, "baseline");
    query_text(fixture->path, "SELECT phase FROM answer_counts WHERE day = '2026-03-02'", phase,
               sizeof phase);
    assert_string_equal(phase, "after");
    query_text(fixture->path, "SELECT phase FROM arrival_counts WHERE day = '2026-03-01'", phase,
               sizeof phase);
    assert_string_equal(phase, "baseline");
    query_text(fixture->path, "SELECT phase FROM wait_counts WHERE day = '2026-03-02'", phase,
               sizeof phase);
    assert_string_equal(phase, "after");
    assert_int_equal(query_int(fixture->path, "SELECT count(DISTINCT phase) FROM journey_counts"),
                     3);
    store_close(store);
}

/* ---- waiting-time estimate ---- */

static void test_wait_range_needs_min_samples_and_reports_quartiles(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    static const int wait_minutes[] = {20, 3, 40, 8, 12};
    int numbers[5];
    for (int i = 0; i < 5; i++) {
        numbers[i] = check_in(store, "2026-03-02 09:00", "", 5, false);
    }
    int64_t start = at("2026-03-02 09:00");
    int low = -99, high = -99;
    for (int i = 0; i < 4; i++) {
        assert_true(store_set_status(store, numbers[i], ARRIVAL_COLLECTED,
                                     start + (int64_t)wait_minutes[i] * 60000) > 0);
    }
    assert_false(store_wait_range(store, 5, &low, &high));
    assert_int_equal(low, -99); /* unchanged */
    assert_int_equal(high, -99);

    assert_true(store_set_status(store, numbers[4], ARRIVAL_COLLECTED,
                                 start + (int64_t)wait_minutes[4] * 60000) > 0);
    /* Sorted 3, 8, 12, 20, 40: quartiles 8 and 20 minutes, outward to 5 minutes: 5 and 20. */
    assert_true(store_wait_range(store, 5, &low, &high));
    assert_int_equal(low, 5);
    assert_int_equal(high, 20);
    store_close(store);
}

static void test_wait_range_is_a_range_and_only_today(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int64_t start = at("2026-03-02 09:00");
    int numbers[3];
    for (int i = 0; i < 3; i++) {
        numbers[i] = check_in(store, "2026-03-02 09:00", "", 5, false);
        assert_true(store_set_status(store, numbers[i], ARRIVAL_COLLECTED, start + 7 * 60000) > 0);
    }
    int low = -1, high = -1;
    assert_true(store_wait_range(store, 3, &low, &high));
    assert_int_equal(low, 5);
    assert_int_equal(high, 10); /* all 7 minutes: never "between 5 and 5" */

    /* The host undoes one "collected": that sample no longer counts. */
    assert_true(store_set_status(store, numbers[0], ARRIVAL_WAITING, start + 8 * 60000) > 0);
    assert_false(store_wait_range(store, 3, &low, &high));
    assert_true(store_wait_range(store, 2, &low, &high));

    /* The samples survive a reopen of the same day, and a new day starts empty. */
    store_close(store);
    store = open_store(fixture, -1);
    assert_true(store_wait_range(store, 2, &low, &high));
    store_tick(store, at("2026-03-03 08:00"));
    assert_false(store_wait_range(store, 1, &low, &high));
    store_close(store);
}

/* ---- the file ---- */

static void test_database_file_is_owner_only(void **state)
{
    struct store_fixture *fixture = *state;
    mode_t old_mask = umask(022);
    struct store *store = open_store(fixture, -1);
    check_in(store, "2026-03-02 09:15", "", 5, false);
    store_flush(store);
    assert_int_equal(file_mode(fixture->path), 0600);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", fixture->path);
    assert_int_equal(file_mode(wal), 0600);
    store_close(store);

    /* An existing file that others could read is tightened. */
    assert_int_equal(chmod(fixture->path, 0644), 0);
    store = open_store(fixture, -1);
    assert_int_equal(file_mode(fixture->path), 0600);
    store_close(store);
    umask(old_mask);
}

/* store_open must fail on path, with err naming the path and containing expected. */
static void assert_refused_untouched(struct store_fixture *fixture, const char *path,
                                     const char *expected)
{
    size_t size_before = 0, size_after = 0;
    char *before = read_bytes(path, &size_before);
    mode_t mode_before = file_mode(path);
    char err[512] = "";
    struct store *store = store_open(path, &fixture->phases, -1, err, sizeof err);
    assert_null(store);
    if (strstr(err, expected) == NULL || strstr(err, path) == NULL) {
        fail_msg("message \"%s\" should name %s and say \"%s\"", err, path, expected);
    }
    char *after = read_bytes(path, &size_after);
    assert_int_equal(size_after, size_before);
    assert_memory_equal(after, before, size_before);
    assert_int_equal(file_mode(path), mode_before);
    free(before);
    free(after);
}

static void test_foreign_sqlite_file_is_refused_untouched(void **state)
{
    struct store_fixture *fixture = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/notes.db", fixture->dir);
    exec_sql(path, "CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('groceries');");
    assert_int_equal(chmod(path, 0644), 0);
    assert_refused_untouched(fixture, path, "is not an Oase database (application_id");

    snprintf(path, sizeof path, "%s/other-app.db", fixture->dir);
    exec_sql(path, "PRAGMA application_id = 305419896; CREATE TABLE meta(key, value);");
    assert_refused_untouched(fixture, path, "is not an Oase database (application_id 0x12345678");

    snprintf(path, sizeof path, "%s/readme.txt", fixture->dir);
    FILE *text = fopen(path, "w");
    assert_non_null(text);
    fputs("This is not a database, but it is long enough to have a header.\n", text);
    fclose(text);
    assert_refused_untouched(fixture, path, "is not an SQLite database");
}

static void test_newer_schema_is_refused(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    check_in(store, "2026-03-02 09:15", "", 5, false);
    store_close(store);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
    exec_sql(fixture->path, sql);
    char expected[64];
    snprintf(expected, sizeof expected, "schema version %d", STORE_SCHEMA_VERSION + 1);
    assert_refused_untouched(fixture, fixture->path, expected);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
}

static void test_older_schema_is_upgraded(void **state)
{
    struct store_fixture *fixture = *state;
    /* Version 0: the pre-release layout with only the meta table, no application_id. */
    exec_sql(fixture->path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                            "INSERT INTO meta VALUES ('site', 'Gouda');");
    assert_int_equal(query_int(fixture->path, "PRAGMA user_version"), 0);

    struct store *store = open_store(fixture, -1);
    for (int i = 0; i < STORE_BATCH_K_DEFAULT; i++) {
        check_in(store, "2026-03-02 09:15", "", 5, false);
    }
    tick_and_flush(store, "2026-03-02 09:16");
    assert_int_equal(query_int(fixture->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(fixture->path, "PRAGMA application_id"), STORE_APPLICATION_ID);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 1);
    assert_int_equal(query_int(fixture->path, "SELECT length(value) FROM meta WHERE key = "
                                              "'site_id'"),
                     32);
    char site[32];
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'site'", site, sizeof site);
    assert_string_equal(site, "Gouda");
    char journal[16];
    query_text(fixture->path, "PRAGMA journal_mode", journal, sizeof journal);
    assert_string_equal(journal, "wal");
    store_close(store);

    /* Opening the upgraded file again is a plain open. */
    store = open_store(fixture, -1);
    store_close(store);
}

/* ---- the write queue ---- */

static void test_queue_full_returns_eagain(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    sqlite3 *blocker = hold_write_lock(fixture->path);
    int64_t ms = at("2026-03-02 09:15");
    int64_t last = 0;
    for (int i = 0; i < STORE_QUEUE_MAX; i++) {
        last = store_abandoned(store, ms, STORE_MOMENT_ARRIVAL, "welcome", "");
        assert_int_equal(last, i + 1); /* sequence numbers count up from 1 */
    }
    assert_int_equal(store_abandoned(store, ms, STORE_MOMENT_ARRIVAL, "welcome", ""), -EAGAIN);
    assert_true(store_committed_seq(store) < last);
    release_write_lock(blocker);

    store_flush(store);
    assert_int_equal(store_committed_seq(store), last);
    assert_int_equal(store_failed_writes(store), 0);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM journey_counts"), STORE_QUEUE_MAX);
    store_close(store);
}

static void test_failed_write_is_retried_and_reported(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    char error[512];
    store_last_error(store, error, sizeof error);
    assert_string_equal(error, "");

    sqlite3 *blocker = hold_write_lock(fixture->path);
    check_in(store, "2026-03-02 09:15", "", 9, false);
    /* Wait (without a deadline) until the first attempt has given up on the lock. */
    do {
        struct timespec pause = {.tv_nsec = 20 * 1000000L};
        nanosleep(&pause, NULL);
        store_last_error(store, error, sizeof error);
    } while (error[0] == '\0');
    assert_non_null(strstr(error, fixture->path));
    assert_non_null(strstr(error, "will retry"));
    release_write_lock(blocker);

    store_flush(store);
    assert_int_equal(store_failed_writes(store), 0);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    store_close(store);
}

/* A write SQLite refuses for its content (here: another process wrote the same arrival) is
 * given up after STORE_WRITE_ATTEMPTS; it must never read as committed. */
static void test_given_up_write_is_never_reported_committed(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_flush(store);
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(fixture->path, &other), SQLITE_OK);
    char *message = NULL;
    int rc = sqlite3_exec(other,
                          "INSERT INTO arrivals(day, name_number, friendly_name, service, "
                          "arrived_ms, wants_word, status, collected_ms) VALUES "
                          "('2026-03-02', 1, 'Varen 1', '', 0, 0, 'waiting', 0)",
                          NULL, NULL, &message);
    if (rc != SQLITE_OK) {
        fail_msg("insert of the other kiosk: %s", message);
    }
    sqlite3_close(other);
    int64_t ms = at("2026-03-02 09:15");
    struct store_checkin checkin = {.at_ms = ms, .name_number = 1};
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder 1");
    int64_t seq = store_checkin(store, &checkin);
    assert_true(seq > 0);
    store_flush(store);
    assert_int_equal(store_failed_writes(store), 1);
    assert_int_equal(store_seq_state(store, seq), STORE_SEQ_FAILED);
    int64_t next = store_incident(store, ms, "verbal");
    store_flush(store);
    assert_int_equal(store_seq_state(store, next), STORE_SEQ_COMMITTED);
    store_close(store);
}

/* A stale clock (yesterday 16:01, fake-hwclock's last save) stepped to today 08:31: the
 * arrival this run wrote before the step moves to today with its real age, is not folded
 * into yesterday, and the next visitor of today gets the next number. An arrival of the run
 * before the power cut (16:30 yesterday, later than the stale clock) keeps its date. */
static void test_clock_step_redates_this_runs_arrivals(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    check_in(store, "2026-03-02 15:00", "", 4, false);
    check_in(store, "2026-03-02 16:30", "", 4, false); /* then the power is cut */
    store_close(store);
    store = open_store(fixture, -1); /* the next morning, on yesterday's saved time */
    store_tick(store, at("2026-03-02 16:00"));
    int first = check_in(store, "2026-03-02 16:01", "", 5, false);
    assert_int_equal(first, 3);
    int64_t step = at("2026-03-03 08:31") - at("2026-03-02 16:02");
    assert_true(store_redate(store, at("2026-03-02 15:59"), step, at("2026-03-03 08:31")) > 0);
    store_tick(store, at("2026-03-03 08:31"));
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 1);
    assert_int_equal(arrivals[0].name_number, first);
    assert_true(arrivals[0].arrived_ms == at("2026-03-02 16:01") + step);
    int second = check_in(store, "2026-03-03 08:35", "", 6, false);
    assert_int_equal(second, first + 1);
    /* The answer given before the step waits for today's batch, not yesterday's withheld. */
    store_set_batch_k(store, 3);
    check_in(store, "2026-03-03 08:40", "", 7, false);
    store_tick(store, at("2026-03-03 08:41"));
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE day = "
                                              "'2026-03-03'"),
                     3);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM answer_counts WHERE day = "
                                              "'2026-03-03' AND moment = 'arrival' AND "
                                              "question = 'stress'"),
                     3);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts WHERE day = "
                                              "'2026-03-02'"),
                     2); /* the two arrivals before the power cut, in their own day */
}

/* A restart of the kiosk in the same boot while the clock is still stale: the arrival of the
 * run before the restart follows the step the next run sees, as its own would; after a reboot
 * (another boot id) the old arrival keeps its date: its real age went with the boot time. */
static void test_clock_step_redates_arrivals_of_a_restart_in_this_boot(void **state)
{
    struct store_fixture *fixture = *state;
    int64_t offset = at("2026-03-02 15:51"); /* wall - boot time: booted 15:51 (stale) */
    int64_t step = at("2026-03-03 08:31") - at("2026-03-02 16:20");
    for (int reboot = 0; reboot < 2; reboot++) {
        remove(fixture->path);
        struct store *store = open_store(fixture, -1);
        assert_int_equal(store_clock_boot(store, "boot-a", offset), offset);
        int first = check_in(store, "2026-03-02 16:01", "", 4, false);
        store_close(store);
        store = open_store(fixture, -1); /* the kiosk restarts at 16:20 on the stale clock */
        const char *boot = reboot ? "boot-b" : "boot-a";
        assert_int_equal(store_clock_boot(store, boot, offset), offset);
        store_tick(store, at("2026-03-02 16:20"));
        assert_true(store_redate(store, offset, step, at("2026-03-03 08:31")) > 0);
        store_tick(store, at("2026-03-03 08:31"));
        struct store_arrival arrivals[4];
        int shown = store_arrivals(store, arrivals, 4);
        if (!reboot) {
            assert_int_equal(shown, 1); /* still on the host's list today */
            assert_int_equal(arrivals[0].name_number, first);
            assert_true(arrivals[0].arrived_ms == at("2026-03-02 16:01") + step);
            assert_int_equal(check_in(store, "2026-03-03 08:35", "", 5, false), first + 1);
        }
        store_close(store);
        assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE day = "
                                                  "'2026-03-03' AND name_number = 1"),
                         reboot ? 0 : 1);
    }
    /* A later run of the same boot starts on the stepped offset: no second step. */
    struct store *store = open_store(fixture, -1);
    assert_int_equal(store_clock_boot(store, "boot-b", offset + step), offset + step);
    store_close(store);
}

/* Midnight and a clock step after closing. The clock ran 40 minutes ahead: at "00:05" the day
 * changed (a fold of the day before, once), a visitor checked in, then NTP set the clock back
 * to 23:25 of the day before. That is no day change backwards: nothing folds or un-folds, the
 * visitor keeps the new day and stays on the list, and when the clock passes midnight again
 * nothing folds a second time; the next real midnight folds the visitor once into their day. */
static void test_clock_step_back_across_midnight_folds_no_day_twice(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, 17 * 60);
    check_in(store, "2026-03-02 16:00", "", 4, false);
    store_tick(store, at("2026-03-02 17:30")); /* closing: the waiting visitor stays listed */
    store_tick(store, at("2026-03-03 00:05")); /* midnight (clock ahead): 03-02 folds */
    int late = check_in(store, "2026-03-03 00:06", "", 5, false);
    int64_t step = -40 * 60000;
    assert_true(store_redate(store, at("2026-03-02 23:00"), step, at("2026-03-02 23:27")) > 0);
    store_tick(store, at("2026-03-02 23:27"));
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 1);
    assert_int_equal(arrivals[0].name_number, late);
    store_tick(store, at("2026-03-03 00:01")); /* the same midnight again: no second fold */
    assert_int_equal(store_arrivals(store, arrivals, 4), 1);
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE day = "
                                              "'2026-03-03'"),
                     1);
    store_tick(store, at("2026-03-04 00:01")); /* the next real day change: fold once */
    assert_int_equal(store_arrivals(store, arrivals, 4), 0);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts WHERE day = "
                                              "'2026-03-02'"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts WHERE day = "
                                              "'2026-03-03'"),
                     1);
}

/* A step forward across midnight (the clock was behind) is a real day change: the day before
 * folds once, and a visitor of the stale evening moves to the new day with their real age. */
static void test_clock_step_forward_across_midnight_folds_once(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, 17 * 60);
    check_in(store, "2026-03-02 16:00", "", 4, false);
    store_tick(store, at("2026-03-02 23:40"));
    int stale = check_in(store, "2026-03-02 23:50", "", 5, false);
    int64_t step = 30 * 60000;
    assert_true(store_redate(store, at("2026-03-02 23:00"), step, at("2026-03-03 00:22")) > 0);
    store_tick(store, at("2026-03-03 00:22"));
    store_tick(store, at("2026-03-03 00:23"));
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 1);
    assert_int_equal(arrivals[0].name_number, stale);
    assert_true(arrivals[0].arrived_ms == at("2026-03-03 00:20"));
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM arrival_counts WHERE day = "
                                              "'2026-03-02'"),
                     1);
}

/* ---- the host's numbers and incidents ---- */

static void test_incident_counts_per_day_phase_and_kind_only(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    assert_true(store_incident(store, at("2026-03-02 10:05"), "verbal") > 0);
    assert_true(store_incident(store, at("2026-03-02 14:40"), "verbal") > 0);
    assert_true(store_incident(store, at("2026-02-27 11:00"), "physical") > 0);
    assert_int_equal(store_incident(store, at("2026-03-02 10:05"), "shouting"), -EINVAL);
    assert_int_equal(store_incident(store, at("2026-03-02 10:05"), ""), -EINVAL);
    assert_int_equal(store_incident(store, at("2026-03-02 10:05"), NULL), -EINVAL);
    store_flush(store);

    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM incident_counts"), 2);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM incident_counts WHERE day = "
                                              "'2026-03-02' AND phase = 'after' AND kind = "
                                              "'verbal'"),
                     2);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM incident_counts WHERE day = "
                                              "'2026-02-27' AND phase = 'baseline' AND kind = "
                                              "'physical'"),
                     1);
    /* An incident is a count, never an event with a time or a text. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_false(table_has_column(db, "incident_counts", "hour"));
    assert_false(table_has_column(db, "incident_counts", "at_ms"));
    sqlite3_close(db);

    struct store_today today;
    store_today(store, at("2026-03-02 15:00"), &today);
    assert_int_equal(today.incidents[STORE_INCIDENT_VERBAL], 2);
    assert_int_equal(today.incidents[STORE_INCIDENT_PHYSICAL], 0);
    store_close(store);
}

static void test_the_first_k_is_the_sites_and_batches_never_use_a_smaller_one(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 4);
    store_flush(store);
    store_close(store);
    char k[16];
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'research_k'", k, sizeof k);
    assert_string_equal(k, "4");

    /* A smaller k later: meta keeps 4, and four answers are still needed for a batch. */
    store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    for (int i = 0; i < 3; i++) {
        check_in(store, "2026-03-02 09:00", "", 6, false);
    }
    tick_and_flush(store, "2026-03-02 09:01");
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 0);
    check_in(store, "2026-03-02 09:02", "", 6, false);
    tick_and_flush(store, "2026-03-02 09:03");
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM answer_counts"), 4);
    store_close(store);
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'research_k'", k, sizeof k);
    assert_string_equal(k, "4");
}

static void test_today_numbers_follow_checkins_and_host_marks(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, 17 * 60);
    store_set_batch_k(store, 3);
    int first = check_in(store, "2026-03-02 09:00", "schulden", 4, false);
    int second = check_in(store, "2026-03-02 09:10", "schulden", -1, true);
    check_in(store, "2026-03-01 16:00", "", 2, false); /* yesterday: not today's */

    /* The stress figures do not move with one visitor's answer or skip: only with a batch. */
    struct store_today today;
    store_today(store, at("2026-03-02 09:15"), &today);
    assert_int_equal(today.checkins, 2);
    assert_int_equal(today.stress_asked, 0);
    assert_int_equal(today.stress_answers, 0);
    store_tick(store, at("2026-03-02 09:15"));
    store_today(store, at("2026-03-02 09:15"), &today);
    assert_int_equal(today.stress_asked, 0);
    int third = check_in(store, "2026-03-02 09:20", "", 8, false);
    store_tick(store, at("2026-03-02 09:21")); /* three pending: one batch */

    store_today(store, at("2026-03-02 09:30"), &today);
    assert_int_equal(today.checkins, 3);
    assert_int_equal(today.waiting, 3);
    assert_int_equal(today.stress_asked, 3);
    assert_int_equal(today.stress_answers, 2);
    assert_int_equal(today.stress_sum, 12);
    assert_int_equal(today.median_wait_ms, -1);

    assert_true(store_set_status(store, first, ARRIVAL_COLLECTED, at("2026-03-02 09:10")) > 0);
    assert_true(store_set_status(store, second, ARRIVAL_COLLECTED, at("2026-03-02 09:40")) > 0);
    assert_true(store_set_status(store, third, ARRIVAL_NO_SHOW, at("2026-03-02 10:00")) > 0);
    store_today(store, at("2026-03-02 10:00"), &today);
    assert_int_equal(today.waiting, 0);
    assert_int_equal(today.collected, 2);
    assert_int_equal(today.no_shows, 1);
    assert_int_equal(today.median_wait_ms, 20 * 60000); /* (10 + 30) / 2 minutes */

    /* The host's undo: back to waiting takes the wait out of the numbers. */
    assert_true(store_set_status(store, second, ARRIVAL_WAITING, at("2026-03-02 10:01")) > 0);
    assert_true(store_set_status(store, third, ARRIVAL_WAITING, at("2026-03-02 10:01")) > 0);
    store_today(store, at("2026-03-02 10:01"), &today);
    assert_int_equal(today.waiting, 2);
    assert_int_equal(today.collected, 1);
    assert_int_equal(today.no_shows, 0);
    assert_int_equal(today.median_wait_ms, 10 * 60000);
    store_flush(store);
    store_close(store);

    /* After a restart the day's numbers come back from the aggregate cells. */
    store = open_store(fixture, 17 * 60);
    store_today(store, at("2026-03-02 10:05"), &today);
    assert_int_equal(today.checkins, 3);
    assert_int_equal(today.stress_asked, 3);
    assert_int_equal(today.stress_answers, 2);
    assert_int_equal(today.stress_sum, 12);
    assert_int_equal(today.waiting, 2);

    /* Another day starts from zero. */
    store_today(store, at("2026-03-03 08:00"), &today);
    assert_int_equal(today.checkins, 0);
    assert_int_equal(today.stress_answers, 0);
    store_close(store);
}

static void test_version_1_file_gains_incident_counts(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    check_in(store, "2026-03-02 09:15", "", 5, false);
    store_close(store);
    /* Make it the version 1 layout again, as an older kiosk left it. */
    exec_sql(fixture->path,
             "DROP TABLE incident_counts; DROP TABLE response_counts; "
             "DROP TABLE stress_wait_counts; DROP TABLE wait_message_counts; "
             "DROP TABLE codebook; DROP TABLE phase_configs; DROP TABLE experiment_days; "
             "ALTER TABLE arrivals DROP COLUMN wait_message; "
             "ALTER TABLE arrivals DROP COLUMN wait_low_min; "
             "ALTER TABLE arrivals DROP COLUMN wait_high_min; "
             "CREATE TABLE answer_counts_v1 AS SELECT day, hour, phase, moment, question, answer, "
             "scene, sound, queue_band, n FROM answer_counts; DROP TABLE answer_counts; "
             "ALTER TABLE answer_counts_v1 RENAME TO answer_counts; PRAGMA user_version = 1;");

    store = open_store(fixture, -1);
    assert_int_equal(query_int(fixture->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_true(store_incident(store, at("2026-03-02 11:00"), "other") > 0);
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM incident_counts WHERE kind = 'other'"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    store_close(store);
}

static void test_version_4_file_keeps_its_arrivals_and_accepts_left(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    check_in(store, "2026-03-02 09:15", "", 5, false);
    store_close(store);
    /* Put back the version 4 constraint, which knew no 'left'. */
    exec_sql(fixture->path,
             "CREATE TABLE a4 AS SELECT * FROM arrivals; DROP TABLE arrivals; "
             "CREATE TABLE arrivals(day TEXT NOT NULL, name_number INTEGER NOT NULL, "
             "friendly_name TEXT NOT NULL, service TEXT NOT NULL, arrived_ms INTEGER NOT NULL, "
             "wants_word INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('waiting', "
             "'collected', 'no_show')), collected_ms INTEGER NOT NULL, wait_message TEXT NOT NULL "
             "DEFAULT '', wait_low_min INTEGER NOT NULL DEFAULT -1, wait_high_min INTEGER NOT NULL "
             "DEFAULT -1, PRIMARY KEY (day, name_number)) WITHOUT ROWID; "
             "INSERT INTO arrivals SELECT * FROM a4; DROP TABLE a4; DROP TABLE experiment_days; "
             "PRAGMA user_version = 4;");
    assert_int_not_equal(exec_sql_rc(fixture->path, "UPDATE arrivals SET status = 'left'"), 0);

    store = open_store(fixture, -1);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    assert_int_equal(exec_sql_rc(fixture->path, "UPDATE arrivals SET status = 'left'"), 0);
    assert_int_equal(
        query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE status = 'left'"), 1);
}

/* "Ik ga weg" with the visitor's name: only a waiting arrival of today becomes left, the
 * host's own mark is never overwritten, the host can undo it, and the fold counts the wait
 * as 'left' with no band (nobody was collected). */
static void test_leave_marks_only_a_waiting_arrival_and_folds_as_left(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_tick(store, at("2026-03-02 09:00"));
    int leaving = check_in(store, "2026-03-02 09:15", "schulden", 6, false);
    int collected = check_in(store, "2026-03-02 09:20", "schulden", 4, false);
    assert_true(store_set_status(store, collected, ARRIVAL_COLLECTED, at("2026-03-02 09:40")) > 0);

    assert_int_equal(store_leave(store, collected, at("2026-03-02 09:50")), -ENOENT);
    assert_int_equal(store_leave(store, 99, at("2026-03-02 09:50")), -ENOENT);
    assert_true(store_leave(store, leaving, at("2026-03-02 09:50")) > 0);
    assert_int_equal(store_leave(store, leaving, at("2026-03-02 09:51")), -ENOENT); /* once */
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(arrivals[i].status,
                         arrivals[i].name_number == leaving ? ARRIVAL_LEFT : ARRIVAL_COLLECTED);
    }
    assert_int_equal(store_waiting_count(store), 0);
    store_flush(store);
    assert_int_equal(
        query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE status = 'left'"), 1);

    /* The host undoes it (a guess at someone else's name), and the visitor really leaves. */
    assert_true(store_set_status(store, leaving, ARRIVAL_WAITING, at("2026-03-02 09:55")) > 0);
    assert_int_equal(store_waiting_count(store), 1);
    assert_true(store_leave(store, leaving, at("2026-03-02 10:05")) > 0);

    store_tick(store, at("2026-03-03 00:00"));
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE outcome = 'left' "
                                              "AND wait_band = ''"),
                     1);
    store_close(store);
}

static void test_site_name_goes_into_meta_and_a_new_name_replaces_it(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    char site[STORE_SITE_SIZE + 8];
    store_flush(store);
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'site'", site, sizeof site);
    assert_string_equal(site, ""); /* not configured: exports fall back to the file name */

    assert_true(store_set_site(store, "zuid") > 0);
    store_flush(store);
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'site'", site, sizeof site);
    assert_string_equal(site, "zuid");
    assert_int_equal(store_set_site(store, ""), -EINVAL);
    assert_int_equal(store_set_site(store, NULL), -EINVAL);
    char long_name[STORE_SITE_SIZE + 1];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(store_set_site(store, long_name), -EINVAL);
    store_close(store);

    store = open_store(fixture, -1); /* a renamed site: the next start writes the new name */
    assert_true(store_set_site(store, "zuid-2") > 0);
    store_close(store);
    query_text(fixture->path, "SELECT value FROM meta WHERE key = 'site'", site, sizeof site);
    assert_string_equal(site, "zuid-2");
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM meta WHERE key = 'site'"), 1);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_checkin_counts_answer_into_cell_not_row, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_skip_counts_skip_never_a_score, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abandoned_counts_journey_and_no_arrival, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_checkin_shows_arrival_to_host_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_friendly_numbers_unique_per_day_and_survive_reopen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fold_at_midnight_deletes_arrivals_keeps_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_fold_at_closing_time_then_late_arrival_folded_at_midnight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fold_on_open_of_a_previous_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phase_tagging_by_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_range_needs_min_samples_and_reports_quartiles,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_range_is_a_range_and_only_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_file_is_owner_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_sqlite_file_is_refused_untouched, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_schema_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_full_returns_eagain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_is_retried_and_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_given_up_write_is_never_reported_committed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clock_step_redates_arrivals_of_a_restart_in_this_boot,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_step_back_across_midnight_folds_no_day_twice,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_step_forward_across_midnight_folds_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clock_step_redates_this_runs_arrivals, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incident_counts_per_day_phase_and_kind_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_the_first_k_is_the_sites_and_batches_never_use_a_smaller_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_today_numbers_follow_checkins_and_host_marks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_version_1_file_gains_incident_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_4_file_keeps_its_arrivals_and_accepts_left,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_leave_marks_only_a_waiting_arrival_and_folds_as_left,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_site_name_goes_into_meta_and_a_new_name_replaces_it,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
