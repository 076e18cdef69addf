/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for the store's evaluation depth (schema 3): the migration from schema 2,
 * the light band of answer cells, response-rate denominators, stress x actual wait (the
 * link lives only in memory: never in a table, the file's bytes or the log), the honest
 * waiting message and its outcome, the codebook and the config hash per phase.
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
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/phase.h"
#include "store/store.h"
#include "unit/store_fixture.h"

static int setup(void **state)
{
    *state = store_fixture_new("/tmp/oase-eval-XXXXXX", 2);
    return 0;
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

/* ---- helpers ---- */

/* How often needle occurs in the file's bytes. */
static int file_count(const char *path, const char *needle)
{
    size_t size = 0;
    char *bytes = read_bytes(path, &size);
    int count = 0;
    for (const char *from = bytes, *hit;
         (hit = memmem(from, size - (size_t)(from - bytes), needle, strlen(needle))) != NULL;
         from = hit + 1) {
        count++;
    }
    free(bytes);
    return count;
}

/* Whether any stretch of chunk bytes (a page, or a WAL frame) holds both strings. */
static bool file_chunk_holds_both(const char *path, size_t chunk, const char *one,
                                  const char *other)
{
    size_t size = 0;
    char *bytes = read_bytes(path, &size);
    bool both = false;
    for (size_t offset = 0; offset < size && !both; offset += chunk / 2) {
        size_t length = size - offset < chunk ? size - offset : chunk;
        both = memmem(bytes + offset, length, one, strlen(one)) != NULL &&
               memmem(bytes + offset, length, other, strlen(other)) != NULL;
    }
    free(bytes);
    return both;
}

/* A check-in as the kiosk makes it; returns its friendly-name number. */
static int check_in_with(struct store *store, const char *local_time, const char *service,
                         bool stress_asked, int stress_answer, const char *wait_message, int low,
                         int high)
{
    int64_t ms = at(local_time);
    struct store_checkin checkin = {
        .at_ms = ms,
        .name_number = store_next_name_number(store, ms),
        .stress_asked = stress_asked,
        .stress_answer = stress_answer,
        .word_asked = true,
        .wait_low_min = low,
        .wait_high_min = high,
    };
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder %d",
             checkin.name_number);
    snprintf(checkin.service, sizeof checkin.service, "%s", service);
    snprintf(checkin.wait_message, sizeof checkin.wait_message, "%s", wait_message);
    snprintf(checkin.context.scene, sizeof checkin.context.scene, "morning");
    snprintf(checkin.context.light_band, sizeof checkin.context.light_band, "mid");
    assert_true(store_checkin(store, &checkin) > 0);
    return checkin.name_number;
}

static int check_in(struct store *store, const char *local_time, int stress_answer)
{
    return check_in_with(store, local_time, "werk", true, stress_answer,
                         STORE_WAIT_MESSAGE_HOST_KNOWS, -1, -1);
}

static void collect(struct store *store, int number, const char *local_time)
{
    assert_true(store_set_status(store, number, ARRIVAL_COLLECTED, at(local_time)) > 0);
}

/* Captures stderr (where log_msg writes) into a file while a test runs. */
struct log_capture {
    int saved_fd;
    char path[160];
};

static void log_capture_start(struct log_capture *capture, const struct store_fixture *fixture)
{
    snprintf(capture->path, sizeof capture->path, "%s/log.txt", fixture->dir);
    fflush(stderr);
    capture->saved_fd = dup(STDERR_FILENO);
    assert_true(capture->saved_fd >= 0);
    int fd = open(capture->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    close(fd);
    log_set_quiet(0); /* information lines too */
}

static void log_capture_stop(struct log_capture *capture)
{
    fflush(stderr);
    assert_true(dup2(capture->saved_fd, STDERR_FILENO) >= 0);
    close(capture->saved_fd);
    log_set_quiet(1);
}

/* ---- migration ---- */

/* The schema 2 layout exactly as an older kiosk created it, with data in it. */
static const char *const schema_2_with_data =
    "CREATE TABLE meta(key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE answer_counts("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL, question TEXT NOT NULL,"
    "  answer TEXT NOT NULL, scene TEXT NOT NULL, sound TEXT NOT NULL,"
    "  queue_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, question, answer, scene, sound, queue_band)"
    ") WITHOUT ROWID;"
    "CREATE TABLE journey_counts("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned')),"
    "  last_screen TEXT NOT NULL, service TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, outcome, last_screen, service)"
    ") WITHOUT ROWID;"
    "CREATE TABLE arrival_counts("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  phase TEXT NOT NULL, service TEXT NOT NULL,"
    "  wants_word INTEGER NOT NULL CHECK (wants_word IN (0, 1)),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, service, wants_word)"
    ") WITHOUT ROWID;"
    "CREATE TABLE wait_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL, service TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('collected', 'no_show', 'not_marked')),"
    "  wait_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, service, outcome, wait_band)"
    ") WITHOUT ROWID;"
    "CREATE TABLE arrivals("
    "  day TEXT NOT NULL, name_number INTEGER NOT NULL CHECK (name_number > 0),"
    "  friendly_name TEXT NOT NULL, service TEXT NOT NULL, arrived_ms INTEGER NOT NULL,"
    "  wants_word INTEGER NOT NULL CHECK (wants_word IN (0, 1)),"
    "  status TEXT NOT NULL CHECK (status IN ('waiting', 'collected', 'no_show')),"
    "  collected_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (day, name_number)"
    ") WITHOUT ROWID;"
    "CREATE TABLE name_counter(day TEXT NOT NULL PRIMARY KEY, last_number INTEGER NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE incident_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('verbal', 'physical', 'other')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, kind)"
    ") WITHOUT ROWID;"
    "INSERT INTO answer_counts VALUES ('2026-03-02', 9, 'after', 'arrival', 'stress', '6',"
    "  'morning', 'sea', '0-2', 4), ('2026-03-02', 10, 'after', 'arrival', 'stress', 'skip',"
    "  'morning', 'sea', '3-5', 1);"
    "INSERT INTO journey_counts VALUES ('2026-03-02', 9, 'after', 'arrival', 'completed', '',"
    "  'werk', 5);"
    "INSERT INTO wait_counts VALUES ('2026-03-01', 'baseline', 'werk', 'collected', '5-10', 3);"
    "INSERT INTO incident_counts VALUES ('2026-03-02', 'after', 'verbal', 1);"
    /* 2026-03-02 09:00 Amsterdam = 08:00 UTC, waiting */
    "INSERT INTO arrivals VALUES ('2026-03-02', 1, 'Vlinder 1', 'werk', 1772438400000, 0,"
    "  'waiting', 0);"
    "INSERT INTO name_counter VALUES ('2026-03-02', 1);"
    "PRAGMA application_id = 1329681221; PRAGMA user_version = 2;";

static void test_schema_2_database_with_data_upgrades_keeping_every_row(void **state)
{
    struct store_fixture *fixture = *state;
    exec_sql(fixture->path, schema_2_with_data);

    struct store *store = open_store(fixture, -1);
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    char rows[1024];
    query_rows(fixture->path,
               "SELECT answer, scene, light_band, sound, queue_band, n FROM answer_counts "
               "ORDER BY hour",
               rows, sizeof rows);
    assert_string_equal(rows, "6|morning||sea|0-2|4;skip|morning||sea|3-5|1");
    assert_int_equal(query_int(fixture->path, "SELECT n FROM journey_counts"), 5);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts"), 3);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM incident_counts"), 1);
    query_rows(fixture->path,
               "SELECT friendly_name, wait_message, wait_low_min, wait_high_min FROM arrivals",
               rows, sizeof rows);
    assert_string_equal(rows, "Vlinder 1||-1|-1");
    for (const char *const *table =
             (const char *const[]){"response_counts", "stress_wait_counts", "wait_message_counts",
                                   "codebook", "phase_configs", NULL};
         *table != NULL; table++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", *table);
        assert_int_equal(query_int(fixture->path, sql), 0);
    }

    /* The old arrival is still the host's, and is folded without a message count. */
    struct store_arrival arrivals[4];
    assert_int_equal(store_arrivals(store, arrivals, 4), 1);
    assert_string_equal(arrivals[0].friendly_name, "Vlinder 1");
    assert_int_equal(check_in(store, "2026-03-02 09:30", 6), 2); /* the counter survived */
    collect(store, 1, "2026-03-02 09:40");
    assert_true(store_fold(store, at("2026-03-03 08:00")) > 0);
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT n FROM wait_counts WHERE day = '2026-03-02' "
                                              "AND outcome = 'collected'"),
                     1);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM wait_message_counts"), 1);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM stress_wait_counts"), 0);
    store_close(store);
}

/* ---- room conditions ---- */

static void test_light_band_is_coarse_with_exact_bounds(void **state)
{
    (void)state;
    assert_string_equal(store_light_band(0), "off");
    assert_string_equal(store_light_band(-3), "off");
    assert_string_equal(store_light_band(1), "low");
    assert_string_equal(store_light_band(40), "low");
    assert_string_equal(store_light_band(41), "mid");
    assert_string_equal(store_light_band(75), "mid");
    assert_string_equal(store_light_band(76), "high");
    assert_string_equal(store_light_band(100), "high");
    assert_string_equal(store_light_band(130), "high");
}

static void test_answer_cells_carry_the_light_band(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    struct store_context dim = {.light_band = "low"};
    for (int i = 0; i < 3; i++) {
        check_in(store, "2026-03-02 09:10", 5);
        assert_true(store_departure(store, at("2026-03-02 10:00"), 2, &dim) == 0);
    }
    tick_and_flush(store, "2026-03-02 10:01");
    char rows[512];
    query_rows(fixture->path,
               "SELECT moment, answer, light_band, n FROM answer_counts ORDER BY moment", rows,
               sizeof rows);
    assert_string_equal(rows, "arrival|5|mid|3;departure|2|low|3");
    store_close(store);
}

/* ---- response-rate denominators ---- */

static void test_every_completed_journey_counts_each_question_once(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 4);
    check_in_with(store, "2026-03-02 09:10", "werk", true, 4, "", -1, -1);  /* answered */
    check_in_with(store, "2026-03-02 09:20", "werk", true, -1, "", -1, -1); /* skipped */
    check_in_with(store, "2026-03-02 10:05", "wmo", false, -1, "", -1, -1); /* switched off */
    int64_t ms = at("2026-03-02 10:30");
    struct store_checkin no_word = {.at_ms = ms, .name_number = store_next_name_number(store, ms)};
    snprintf(no_word.service, sizeof no_word.service, "wmo");
    assert_true(store_checkin(store, &no_word) > 0); /* neither question shown */
    assert_true(store_departure(store, at("2026-03-02 11:00"), 3, NULL) == 0);
    assert_true(store_departure(store, at("2026-03-02 11:05"), -1, NULL) == 0);
    assert_true(store_departure(store, at("2026-03-02 11:06"), 5, NULL) == 0);
    assert_true(store_departure(store, at("2026-03-02 11:07"), STORE_SCALE_ABANDONED, NULL) == 0);
    assert_true(store_abandoned(store, at("2026-03-02 11:10"), STORE_MOMENT_ARRIVAL, "service",
                                "werk") > 0);
    tick_and_flush(store, "2026-03-02 11:11");

    /* One batch of four per moment, per day (hour -1); two visitors per service is fewer than
     * k, so the batch left the service out. */
    char rows[1024];
    query_rows(fixture->path,
               "SELECT hour, moment, service, question, response, n FROM response_counts "
               "ORDER BY moment, hour, service, question, response",
               rows, sizeof rows);
    assert_string_equal(rows, "-1|arrival||stress|answered|1;"
                              "-1|arrival||stress|not_asked|2;"
                              "-1|arrival||stress|skipped|1;"
                              "-1|arrival||word|answered|3;"
                              "-1|arrival||word|not_asked|1;"
                              "-1|departure||stress|abandoned|1;"
                              "-1|departure||stress|answered|2;"
                              "-1|departure||stress|skipped|1;"
                              "-1|departure||word|not_asked|4");
    /* A journey left before checking in is no denominator row; it is in journey_counts,
     * with its hour and service (no answer, no arrival). */
    query_rows(fixture->path,
               "SELECT hour, last_screen, service, n FROM journey_counts WHERE outcome = "
               "'abandoned'",
               rows, sizeof rows);
    assert_string_equal(rows, "11|service|werk|1");
    store_close(store);
}

/* ---- stress x actual wait: the link lives only in memory ---- */

/* Every value of every table, as text, for "the link is nowhere on disk" checks. */
static void dump_every_table(const char *path, char *out, size_t size)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    size_t used = 0;
    out[0] = '\0';
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", sqlite3_column_text(tables, 0));
        sqlite3_stmt *rows = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            int n = snprintf(out + used, size - used, "%s:", sqlite3_column_text(tables, 0));
            assert_true(n >= 0 && (size_t)n < size - used);
            used += (size_t)n;
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const char *text = (const char *)sqlite3_column_text(rows, c);
                n = snprintf(out + used, size - used, "[%s]", text ? text : "");
                assert_true(n >= 0 && (size_t)n < size - used);
                used += (size_t)n;
            }
            n = snprintf(out + used, size - used, "\n");
            assert_true(n >= 0 && (size_t)n < size - used);
            used += (size_t)n;
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
}

static void test_stress_link_is_in_no_table_file_or_log_line(void **state)
{
    struct store_fixture *fixture = *state;
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", fixture->path);
    struct log_capture capture;
    log_capture_start(&capture, fixture);

    struct store *store = open_store(fixture, -1);
    store_set_batch_k(store, 3);
    store_flush(store);
    /* Answer 9 is band "7-10": before collection only the schema's CHECK text holds it. */
    int in_schema = file_count(fixture->path, "7-10") + file_count(wal, "7-10");
    int number = check_in(store, "2026-03-02 09:00", 9);
    store_flush(store);
    assert_int_equal(store_open_links(store), 1);
    int others[2] = {check_in(store, "2026-03-02 09:00", 8),
                     check_in(store, "2026-03-02 09:00", 7)};
    store_flush(store);

    static char dump[65536];
    dump_every_table(fixture->path, dump, sizeof dump);
    assert_null(strstr(dump, "7-10"));
    /* The arrival row (name, number) holds no answer; the answer cell holds no name. */
    char rows[512];
    query_rows(fixture->path, "SELECT * FROM arrivals", rows, sizeof rows);
    assert_non_null(strstr(rows, "Vlinder 1"));
    assert_null(strstr(rows, "|9|"));
    assert_null(strstr(dump, "stress_wait_counts:"));
    assert_int_equal(file_count(fixture->path, "7-10") + file_count(wal, "7-10"), in_schema);
    assert_true(file_count(fixture->path, "Vlinder 1") + file_count(wal, "Vlinder 1") > 0);
    /* No page of the file or the WAL (8 KiB windows cover a 4 KiB page wherever it starts)
     * holds the name beside the band. */
    assert_false(file_chunk_holds_both(fixture->path, 8192, "Vlinder 1", "7-10"));
    assert_false(file_chunk_holds_both(wal, 8192, "Vlinder 1", "7-10"));

    /* The collection waits behind a lock, so the writer logs about it while it holds the
     * band: the log names the write, never the band or the arrival's answer. */
    sqlite3 *blocker = hold_write_lock(fixture->path);
    collect(store, number, "2026-03-02 09:22");
    collect(store, others[0], "2026-03-02 09:22");
    collect(store, others[1], "2026-03-02 09:22");
    assert_int_equal(store_open_links(store), 0); /* forgotten once pooled */
    store_tick(store, at("2026-03-03 00:01"));    /* the day is over: its three pairs, one batch */
    char error[512] = "";
    while (error[0] == '\0') {
        struct timespec pause = {.tv_nsec = 20 * 1000000L};
        nanosleep(&pause, NULL);
        store_last_error(store, error, sizeof error);
    }
    release_write_lock(blocker);
    store_flush(store);
    store_close(store);
    log_capture_stop(&capture);

    query_rows(fixture->path,
               "SELECT day, phase, stress_band, wait_band, n FROM stress_wait_counts", rows,
               sizeof rows);
    assert_string_equal(rows, "2026-03-02|after|7-10|20-30|3");
    size_t log_size = 0;
    char *log = read_bytes(capture.path, &log_size);
    assert_non_null(strstr(log, "not written")); /* the capture did see the writer's lines */
    assert_null(strstr(log, "7-10"));
    assert_null(strstr(log, "Vlinder"));
    assert_null(strstr(log, "stress"));
    free(log);
}

static void test_restart_before_collection_loses_the_link_and_counts_nothing(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int number = check_in(store, "2026-03-02 09:00", 2);
    store_close(store); /* the power cut: memory is gone, the arrival is on disk */

    store = open_store(fixture, -1);
    assert_int_equal(store_open_links(store), 0);
    collect(store, number, "2026-03-02 09:12");
    store_flush(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM stress_wait_counts"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals WHERE status = "
                                              "'collected'"),
                     1);
    store_close(store);
}

static void test_no_show_skip_and_fold_count_nothing_and_forget(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int no_show = check_in(store, "2026-03-02 09:00", 5);
    int skipped = check_in(store, "2026-03-02 09:01", -1);
    int left_waiting = check_in(store, "2026-03-02 09:02", 8);
    int undone = check_in(store, "2026-03-02 09:03", 0);
    assert_int_equal(store_open_links(store), 3); /* a skip has no band to remember */

    assert_true(store_set_status(store, no_show, ARRIVAL_NO_SHOW, at("2026-03-02 10:00")) > 0);
    assert_int_equal(store_open_links(store), 2);
    collect(store, no_show, "2026-03-02 10:05"); /* marked by mistake, then collected */
    collect(store, skipped, "2026-03-02 09:30");
    /* Back to waiting keeps the link; the later collection counts it once. */
    assert_true(store_set_status(store, undone, ARRIVAL_WAITING, at("2026-03-02 09:10")) > 0);
    collect(store, undone, "2026-03-02 09:40");
    assert_int_equal(store_open_links(store), 1);
    collect(store, undone, "2026-03-02 09:45"); /* a second tap counts nothing more */

    assert_true(store_fold(store, at("2026-03-03 07:00")) > 0); /* left_waiting folded */
    assert_int_equal(store_open_links(store), 0);
    store_flush(store);
    /* Four arrival answers and one stress x wait pair (the undone one) wait in the pool; the
     * health figure counts the four (pairs are in no figure). */
    struct store_health health;
    store_health(store, &health);
    assert_int_equal(health.pooled, 4);
    (void)left_waiting;
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM stress_wait_counts"), 0);
}

/*
 * The host's attack on the health figures (/api/state answers_pooled, answers_withheld,
 * answers_refused): the host marks a visitor collected and watches the figures. A stress x
 * wait pair is pooled only for a visitor who answered the stress question, so a figure that
 * counts pairs moves by one when, and only when, the visitor just collected had answered.
 * Fails on the main before the fix: answers_pooled went 2 -> 3 for the one who answered.
 */
static void test_health_figures_do_not_tell_whether_a_collected_visitor_answered(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int answered = check_in(store, "2026-03-02 09:00", 8);
    int skipped = check_in(store, "2026-03-02 09:01", -1);
    store_flush(store);
    struct store_health before, after;

    store_health(store, &before);
    collect(store, answered, "2026-03-02 09:20");
    store_health(store, &after);
    int moved_answered = after.pooled - before.pooled;

    store_health(store, &before);
    collect(store, skipped, "2026-03-02 09:21");
    store_health(store, &after);
    int moved_skipped = after.pooled - before.pooled;
    assert_int_equal(moved_answered, moved_skipped);
    assert_int_equal(after.pooled, 2); /* the two arrival answers: one per visitor */

    /* The next day the leftovers are withheld: the figure is the number of visitors, which
     * the arrivals tell anyway, not the number of them who answered. */
    tick_and_flush(store, "2026-03-03 07:00");
    store_health(store, &after);
    assert_int_equal(after.pooled, 0);
    assert_int_equal(after.withheld, 2);
    store_close(store);
}

/*
 * The forensic reader's attack on the stress x wait pairs: a pair is pooled only when a
 * visitor who answered the stress question is collected. If the pairs left as soon as k
 * waited, the commit after a "collected" status commit would add k pairs exactly when the
 * visitor just collected had answered (the k-th pair was theirs), and not when they had
 * skipped: the order of commits in the -wal links that visitor to "answered" and to one of
 * the batch's bands. So the pairs of a day are written at the first tick of a later day, a
 * moment no visitor chooses. Fails on the main before: the 09:31 tick wrote the five pairs.
 */
static void test_stress_wait_pairs_leave_at_no_moment_a_collection_chooses(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int numbers[6];
    for (int i = 0; i < 6; i++) {
        numbers[i] = check_in(store, "2026-03-02 09:00", i == 4 ? -1 : 2 + i);
    }
    tick_and_flush(store, "2026-03-02 09:05"); /* the six arrival answers: one batch */
    for (int i = 0; i < 4; i++) {
        collect(store, numbers[i], "2026-03-02 09:20");
    }
    tick_and_flush(store, "2026-03-02 09:21");
    collect(store, numbers[4], "2026-03-02 09:25"); /* skipped: no pair */
    tick_and_flush(store, "2026-03-02 09:26");
    collect(store, numbers[5], "2026-03-02 09:30"); /* answered: the fifth pair */
    tick_and_flush(store, "2026-03-02 09:31");
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM stress_wait_counts"), 0);
    tick_and_flush(store, "2026-03-02 17:00");
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM stress_wait_counts"), 0);

    tick_and_flush(store, "2026-03-03 07:00"); /* the clock, not a person, writes them */
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM stress_wait_counts WHERE "
                                              "day = '2026-03-02'"),
                     5);
    store_close(store);
}

static void test_stress_bands(void **state)
{
    (void)state;
    assert_string_equal(store_stress_band(0), "0-3");
    assert_string_equal(store_stress_band(3), "0-3");
    assert_string_equal(store_stress_band(4), "4-6");
    assert_string_equal(store_stress_band(6), "4-6");
    assert_string_equal(store_stress_band(7), "7-10");
    assert_string_equal(store_stress_band(10), "7-10");
    assert_null(store_stress_band(-1));
    assert_null(store_stress_band(11));
}

/* ---- the honest waiting message ---- */

/* Checks in and collects one arrival per wait (minutes) on 2026-03-02 from 09:00. */
static void collect_waits(struct store *store, const int *minutes, int count)
{
    int64_t start = at("2026-03-02 09:00");
    for (int i = 0; i < count; i++) {
        int number = check_in(store, "2026-03-02 09:00", -1);
        assert_true(store_set_status(store, number, ARRIVAL_COLLECTED,
                                     start + (int64_t)minutes[i] * 60000) > 0);
    }
}

static void test_wait_range_needs_the_minimum_and_rounds_outward(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    static const int minutes[] = {7, 8, 9, 12, 13};
    collect_waits(store, minutes, 4);
    int low = -1, high = -1;
    assert_false(store_wait_range(store, 5, &low, &high)); /* 4 of 5: not yet */
    assert_true(store_wait_range(store, 4, &low, &high));
    collect_waits(store, minutes + 4, 1);
    /* A no-show and a waiting arrival add no sample. */
    int no_show = check_in(store, "2026-03-02 09:00", -1);
    assert_true(store_set_status(store, no_show, ARRIVAL_NO_SHOW, at("2026-03-02 11:00")) > 0);
    check_in(store, "2026-03-02 09:00", -1);
    assert_false(store_wait_range(store, 6, &low, &high));
    assert_true(store_wait_range(store, 5, &low, &high));
    /* Quartiles 8 and 12 minutes: rounded outward to 5 and 15 (nearest would be 10 to 10). */
    assert_int_equal(low, 5);
    assert_int_equal(high, 15);
    store_close(store);
}

static void test_wait_range_on_multiples_of_five_stays_and_is_today_only(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    static const int minutes[] = {10, 10, 12, 15, 15};
    collect_waits(store, minutes, 5);
    int low = -1, high = -1;
    assert_true(store_wait_range(store, 5, &low, &high));
    assert_int_equal(low, 10); /* exactly 10: not widened to 5 */
    assert_int_equal(high, 15);
    store_tick(store, at("2026-03-03 08:00"));
    assert_false(store_wait_range(store, 1, &low, &high)); /* yesterday's waits say nothing */
    store_close(store);
}

static void test_waiting_message_is_kept_with_the_arrival_and_folded_with_outcome(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    const char *range = STORE_WAIT_MESSAGE_RANGE, *host = STORE_WAIT_MESSAGE_HOST_KNOWS;
    int below = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, range, 5, 15);
    int low_edge = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, range, 5, 15);
    int high_edge = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, range, 5, 15);
    int above = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, range, 5, 15);
    int host_collected = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, host, -1, -1);
    int no_show = check_in_with(store, "2026-03-02 09:00", "werk", true, 3, range, 5, 15);
    check_in_with(store, "2026-03-02 09:00", "werk", true, 3, host, -1, -1); /* not marked */
    store_flush(store);
    char rows[1024];
    query_rows(fixture->path,
               "SELECT DISTINCT wait_message, wait_low_min, wait_high_min FROM arrivals "
               "ORDER BY wait_message",
               rows, sizeof rows);
    assert_string_equal(rows, "host_knows|-1|-1;range|5|15");

    collect(store, below, "2026-03-02 09:04");
    collect(store, low_edge, "2026-03-02 09:05");
    collect(store, high_edge, "2026-03-02 09:15");
    collect(store, above, "2026-03-02 09:16");
    collect(store, host_collected, "2026-03-02 09:25");
    assert_true(store_set_status(store, no_show, ARRIVAL_NO_SHOW, at("2026-03-02 10:00")) > 0);
    assert_true(store_fold(store, at("2026-03-03 07:00")) > 0);
    store_flush(store);
    query_rows(fixture->path,
               "SELECT message, outcome, wait_band, within, n FROM wait_message_counts "
               "ORDER BY message, outcome, wait_band, within",
               rows, sizeof rows);
    assert_string_equal(rows, "host_knows|collected|20-30|n/a|1;"
                              "host_knows|not_marked||n/a|1;"
                              "range|collected|0-5|below|1;"
                              "range|collected|15-20|above|1;"
                              "range|collected|15-20|within|1;"
                              "range|collected|5-10|within|1;"
                              "range|no_show||n/a|1");
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM wait_counts"), 7);
    store_close(store);
}

static void test_a_bad_waiting_message_is_refused(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    int64_t ms = at("2026-03-02 09:00");
    struct store_checkin checkin = {.at_ms = ms, .name_number = 1, .wait_message = "soon"};
    assert_int_equal(store_checkin(store, &checkin), -EINVAL);
    snprintf(checkin.wait_message, sizeof checkin.wait_message, "%s", STORE_WAIT_MESSAGE_RANGE);
    checkin.wait_low_min = 15;
    checkin.wait_high_min = 10;
    assert_int_equal(store_checkin(store, &checkin), -EINVAL);
    checkin.wait_high_min = 20;
    assert_true(store_checkin(store, &checkin) > 0);
    store_close(store);
}

/* ---- codebook and config hash ---- */

static void test_codebook_versions_a_changed_wording_and_moves_days_forward(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    struct store_codebook_entry book[] = {
        {"stress.title", "nl", "Hoeveel stress voelt u nu?"},
        {"stress.title", "en", "How much stress do you feel right now?"},
        {"word.yes", "nl", "Ja graag"},
    };
    assert_int_equal(store_set_codebook(store, book, 3), 0);
    store_tick(store, at("2026-03-02 08:00"));
    store_tick(store, at("2026-03-02 12:00")); /* the same day: nothing again */
    store_tick(store, at("2026-03-03 08:00"));
    store_flush(store);
    char rows[1024];
    query_rows(fixture->path,
               "SELECT item, lang, version, first_day, last_day FROM codebook ORDER BY item, lang",
               rows, sizeof rows);
    assert_string_equal(rows, "stress.title|en|1|2026-03-02|2026-03-03;"
                              "stress.title|nl|1|2026-03-02|2026-03-03;"
                              "word.yes|nl|1|2026-03-02|2026-03-03");

    /* A restart on 03-05 with a new Dutch wording: version 2 from that day; the rest go on. */
    store_close(store);
    store = open_store(fixture, -1);
    snprintf(book[0].text, sizeof book[0].text, "Hoeveel spanning voelt u nu?");
    assert_int_equal(store_set_codebook(store, book, 3), 0);
    store_tick(store, at("2026-03-05 08:00"));
    store_flush(store);
    query_rows(fixture->path,
               "SELECT item, lang, version, text, first_day, last_day FROM codebook "
               "ORDER BY item, lang, version",
               rows, sizeof rows);
    assert_string_equal(rows,
                        "stress.title|en|1|How much stress do you feel right now?|2026-03-02|"
                        "2026-03-05;"
                        "stress.title|nl|1|Hoeveel stress voelt u nu?|2026-03-02|2026-03-03;"
                        "stress.title|nl|2|Hoeveel spanning voelt u nu?|2026-03-05|2026-03-05;"
                        "word.yes|nl|1|Ja graag|2026-03-02|2026-03-05");
    assert_int_equal(store_set_codebook(store, NULL, -1), -EINVAL);
    store_close(store);
}

static void test_config_hash_is_kept_per_phase_with_its_days(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_store(fixture, -1);
    assert_int_equal(store_set_config_hash(store, "sha256:aaaa"), 0);
    store_tick(store, at("2026-02-27 08:00"));
    store_tick(store, at("2026-03-01 08:00"));
    store_tick(store, at("2026-03-02 08:00"));                        /* the after phase begins */
    assert_int_equal(store_set_config_hash(store, "sha256:bbbb"), 0); /* edited the same day */
    store_tick(store, at("2026-03-02 09:00"));
    store_tick(store, at("2026-03-04 08:00"));
    store_flush(store);
    char rows[512];
    query_rows(fixture->path,
               "SELECT phase, config_hash, first_day, last_day FROM phase_configs "
               "ORDER BY first_day, config_hash",
               rows, sizeof rows);
    assert_string_equal(rows, "baseline|sha256:aaaa|2026-02-27|2026-03-01;"
                              "after|sha256:aaaa|2026-03-02|2026-03-02;"
                              "after|sha256:bbbb|2026-03-02|2026-03-04");
    assert_int_equal(store_set_config_hash(store, ""), -EINVAL);
    store_close(store);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_schema_2_database_with_data_upgrades_keeping_every_row),
        cmocka_unit_test(test_light_band_is_coarse_with_exact_bounds),
        TEST(test_answer_cells_carry_the_light_band),
        TEST(test_every_completed_journey_counts_each_question_once),
        TEST(test_stress_link_is_in_no_table_file_or_log_line),
        TEST(test_restart_before_collection_loses_the_link_and_counts_nothing),
        TEST(test_no_show_skip_and_fold_count_nothing_and_forget),
        TEST(test_health_figures_do_not_tell_whether_a_collected_visitor_answered),
        TEST(test_stress_wait_pairs_leave_at_no_moment_a_collection_chooses),
        cmocka_unit_test(test_stress_bands),
        TEST(test_wait_range_needs_the_minimum_and_rounds_outward),
        TEST(test_wait_range_on_multiples_of_five_stays_and_is_today_only),
        TEST(test_waiting_message_is_kept_with_the_arrival_and_folded_with_outcome),
        TEST(test_a_bad_waiting_message_is_refused),
        TEST(test_codebook_versions_a_changed_wording_and_moves_days_forward),
        TEST(test_config_hash_is_kept_per_phase_with_its_days),
    };
#undef TEST
    return cmocka_run_group_tests(tests, NULL, NULL);
}
