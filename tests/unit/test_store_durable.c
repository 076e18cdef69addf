/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for the store's durability: a disk that refuses writes (full: SQLite's page limit;
 * read-only: query_only) makes the store hold writes in memory, bounded, and write them when
 * the disk takes them again; a damaged, foreign or newer file found at start is moved aside
 * with its companions and a fresh database is started. Every test works in its own mkdtemp()
 * directory, in Europe/Amsterdam time.
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
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/phase.h"
#include "store/store.h"
#include "store/store_internal.h" /* store_recover_move_aside */
#include "store/store_test.h"
#include "unit/store_fixture.h"

static int setup(void **state)
{
    *state = store_fixture_new("/tmp/oase-durable-XXXXXX", 1);
    return 0;
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

/* ---- helpers ---- */

static struct store *open_recovering(struct store_fixture *fixture)
{
    char err[512] = "";
    struct store *store = store_open_recover(fixture->path, &fixture->phases, -1, err, sizeof err);
    if (store == NULL) {
        fail_msg("store_open_recover: %s", err);
    }
    return store;
}

static void debug_exec(struct store *store, const char *sql)
{
    char err[256] = "";
    if (store_debug_exec(store, sql, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
}

/* Checks in one visitor at minute_of_day on 2026-03-02; returns the sequence number. */
static int64_t check_in_at(struct store *store, int minute, int stress_answer)
{
    char when[32];
    snprintf(when, sizeof when, "2026-03-02 %02d:%02d", minute / 60 % 24, minute % 60);
    int64_t ms = at(when);
    struct store_checkin checkin = {
        .at_ms = ms,
        .name_number = store_next_name_number(store, ms),
        .stress_asked = true,
        .stress_answer = stress_answer,
    };
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder %d",
             checkin.name_number);
    snprintf(checkin.service, sizeof checkin.service, "afspraak");
    return store_checkin(store, &checkin);
}

static void write_bytes(const char *path, const void *bytes, size_t size, off_t offset)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, size, offset), (ssize_t)size);
    close(fd);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The one file in dir whose name starts with prefix and has no "-wal"/"-shm" tail. */
static bool find_aside(const struct store_fixture *fixture, const char *prefix, char *out,
                       size_t size)
{
    DIR *dir = opendir(fixture->dir);
    assert_non_null(dir);
    bool found = false;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        size_t length = strlen(name);
        if (strncmp(name, prefix, strlen(prefix)) == 0 &&
            !(length > 4 &&
              (strcmp(name + length - 4, "-wal") == 0 || strcmp(name + length - 4, "-shm") == 0))) {
            assert_false(found); /* exactly one */
            snprintf(out, size, "%s/%s", fixture->dir, name);
            found = true;
        }
    }
    closedir(dir);
    return found;
}

/* A store database with some check-ins on disk, closed. */
static void make_database(struct store_fixture *fixture, int checkins)
{
    struct store *store = open_recovering(fixture);
    for (int i = 0; i < checkins; i++) {
        assert_true(check_in_at(store, 8 * 60 + i % 600, i % 11) > 0);
    }
    assert_int_equal(store_flush(store), 0);
    store_close(store);
}

/* After recovery: a fresh, working store; the fault names the aside file. */
static void assert_recovered(struct store_fixture *fixture, const char *reason, char *aside,
                             size_t aside_size)
{
    struct store *store = open_recovering(fixture);
    struct store_health health;
    store_health(store, &health);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "oase.db.%s-", reason);
    if (!find_aside(fixture, prefix, aside, aside_size)) {
        fail_msg("no %s* file beside the database; fault: \"%s\"", prefix, health.fault);
    }
    assert_non_null(strstr(health.fault, aside));
    assert_non_null(strstr(health.fault, "moved aside"));
    assert_false(health.in_memory);
    /* The kiosk keeps taking check-ins in the fresh file. */
    assert_true(check_in_at(store, 9 * 60, 4) > 0);
    assert_int_equal(store_flush(store), 0);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    assert_int_equal(query_int(fixture->path, "PRAGMA application_id"), STORE_APPLICATION_ID);
}

/* ---- a disk that refuses writes ---- */

static void test_disk_full_holds_checkins_and_writes_them_when_space_returns(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_recovering(fixture);
    assert_true(check_in_at(store, 8 * 60, 5) > 0);
    assert_int_equal(store_flush(store), 0);

    /* The database may not grow by a single page: the disk is full. */
    debug_exec(store, "PRAGMA max_page_count = 1");
    const int visitors = 300; /* far more than fit in the pages the file has */
    int64_t first_refused_seq = 0;
    int64_t last = 0;
    for (int i = 1; i <= visitors; i++) {
        last = check_in_at(store, 8 * 60 + i, i % 11);
        assert_true(last > 0); /* the visitor flow never sees the full disk */
    }
    assert_int_equal(store_flush(store), -EIO);
    struct store_health health;
    store_health(store, &health);
    assert_true(health.holding);
    assert_true(health.held > 0 && health.held <= visitors);
    assert_true(health.unsaved_since_ms >= at("2026-03-02 08:01"));
    assert_non_null(strstr(health.last_error, "full"));
    assert_int_equal(health.lost, 0);
    assert_int_equal(store_seq_state(store, last), STORE_SEQ_HELD);
    first_refused_seq = store_committed_seq(store) + 1;
    assert_true(first_refused_seq <= last);
    int arrivals_today = store_waiting_count(store); /* the host sees everyone */
    assert_int_equal(arrivals_today, visitors + 1);

    /* Space returns: everything held is written, in order, and the fault clears. */
    debug_exec(store, "PRAGMA max_page_count = 1073741823");
    assert_int_equal(store_flush(store), 0);
    store_health(store, &health);
    assert_false(health.holding);
    assert_int_equal(health.held, 0);
    assert_string_equal(health.last_error, "");
    assert_int_equal(store_seq_state(store, last), STORE_SEQ_COMMITTED);
    assert_int_equal(store_failed_writes(store), 0);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), visitors + 1);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM journey_counts WHERE "
                                              "moment = 'arrival' AND outcome = 'completed'"),
                     visitors + 1);
    /* Every answer is accounted for: written in batches of k, the rest withheld at close. */
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM response_counts WHERE "
                                              "moment = 'arrival' AND question = 'stress'"),
                     visitors + 1);
}

static void test_read_only_disk_holds_writes_and_recovers(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_recovering(fixture);
    debug_exec(store, "PRAGMA query_only = 1"); /* every write is refused as read-only */
    int64_t seq = check_in_at(store, 10 * 60, 7);
    assert_true(seq > 0);
    assert_true(store_departure(store, at("2026-03-02 10:30"), 3, NULL) == 0);
    assert_int_equal(store_flush(store), -EIO);
    assert_int_equal(store_seq_state(store, seq), STORE_SEQ_HELD);
    struct store_health health;
    store_health(store, &health);
    assert_true(health.holding);
    assert_int_equal(health.held, 1); /* the departure answer waits in the pool, not the queue */
    assert_int_equal(health.pooled, 2);
    assert_int_equal(health.unsaved_since_ms, at("2026-03-02 10:00"));
    assert_non_null(strstr(health.last_error, fixture->path));
    assert_non_null(strstr(health.last_error, "wait in memory"));
    assert_int_equal(store_committed_seq(store), 0);
    /* The writer keeps trying (the watchdog counts that as life, not as a stuck writer). */
    int64_t tried = health.attempts_failed;
    assert_true(tried >= 1);
    assert_int_equal(store_flush(store), -EIO);
    store_health(store, &health);
    assert_true(health.attempts_failed > tried);

    debug_exec(store, "PRAGMA query_only = 0");
    assert_int_equal(store_flush(store), 0);
    assert_int_equal(store_seq_state(store, seq), STORE_SEQ_COMMITTED);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    /* One answer of each kind, fewer than k: withheld at close, never written. */
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM answer_counts"), 0);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM response_counts WHERE "
                                              "response = 'withheld' AND question = 'stress'"),
                     2);
}

static void test_memory_bound_refuses_new_writes_and_counts_each_loss(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_recovering(fixture);
    debug_exec(store, "PRAGMA query_only = 1");
    int64_t ms = at("2026-03-02 11:00");
    for (int i = 0; i < STORE_QUEUE_MAX; i++) {
        assert_true(store_abandoned(store, ms, STORE_MOMENT_ARRIVAL, "stress", "") > 0);
    }
    assert_int_equal(store_abandoned(store, ms, STORE_MOMENT_ARRIVAL, "stress", ""), -EAGAIN);
    assert_int_equal(store_incident(store, ms, "verbal"), -EAGAIN);
    assert_int_equal(store_seq_state(store, -EAGAIN), STORE_SEQ_REFUSED);
    struct store_health health;
    store_health(store, &health);
    assert_int_equal(health.held, STORE_QUEUE_MAX);
    assert_int_equal(health.lost, 2); /* never dropped silently */

    debug_exec(store, "PRAGMA query_only = 0");
    assert_int_equal(store_flush(store), 0);
    store_health(store, &health);
    assert_int_equal(health.held, 0);
    assert_int_equal(health.lost, 2); /* a loss stays on the health view until restart */
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM journey_counts"),
                     STORE_QUEUE_MAX);
}

static void test_closing_while_the_disk_refuses_returns_and_leaves_a_sound_file(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_recovering(fixture);
    assert_true(check_in_at(store, 8 * 60, 1) > 0);
    assert_int_equal(store_flush(store), 0);
    debug_exec(store, "PRAGMA query_only = 1");
    for (int i = 0; i < 20; i++) {
        assert_true(check_in_at(store, 9 * 60 + i, 2) > 0);
    }
    assert_int_equal(store_flush(store), -EIO);
    /* What is lost is said, with the check-ins' numbers (the host can call them by name). */
    char log_path[160];
    snprintf(log_path, sizeof log_path, "%s/log.txt", fixture->dir);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    store_close(store); /* must not wait for a disk that does not come back */
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char logged[4096] = "";
    FILE *log_file = fopen(log_path, "r");
    assert_non_null(log_file);
    size_t got = fread(logged, 1, sizeof logged - 1, log_file);
    logged[got] = '\0';
    fclose(log_file);
    if (strstr(logged, "20 of them check-ins (numbers 2, 3, 4,") == NULL) {
        fail_msg("the loss at close does not name the check-ins: %s", logged);
    }
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    char verdict[16] = "";
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    snprintf(verdict, sizeof verdict, "%s", (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    assert_string_equal(verdict, "ok");
}

static void test_file_damaged_while_running_is_moved_aside_and_counting_goes_on(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = open_recovering(fixture);
    for (int i = 0; i < 300; i++) {
        assert_true(check_in_at(store, 8 * 60 + i, i % 11) > 0);
    }
    assert_int_equal(store_flush(store), 0);
    debug_exec(store, "PRAGMA wal_checkpoint(TRUNCATE)"); /* everything in the main file */
    struct stat st;
    assert_int_equal(stat(fixture->path, &st), 0);
    unsigned char scribble[4000];
    memset(scribble, 0x5a, sizeof scribble);
    for (off_t page = 1; page < st.st_size / 4096; page++) { /* all but the header page */
        write_bytes(fixture->path, scribble, sizeof scribble, page * 4096 + 8);
    }
    debug_exec(store, "PRAGMA shrink_memory"); /* the next write reads the damaged pages */

    int64_t seq = check_in_at(store, 14 * 60, 6);
    assert_true(seq > 0);
    assert_int_equal(store_flush(store), 0);
    assert_int_equal(store_seq_state(store, seq), STORE_SEQ_COMMITTED);
    struct store_health health;
    store_health(store, &health);
    char aside[256];
    assert_true(find_aside(fixture, "oase.db.corrupt-", aside, sizeof aside));
    assert_non_null(strstr(health.fault, "while running"));
    assert_non_null(strstr(health.fault, aside));
    assert_false(health.holding);
    assert_int_equal(store_waiting_count(store), 301); /* the host still sees everyone */
    /* The file moved aside keeps no person: the rows it could still give are gone. */
    assert_non_null(strstr(health.fault, "removed"));
    sqlite3 *moved = NULL;
    if (sqlite3_open_v2(aside, &moved, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *rows = NULL;
        if (sqlite3_prepare_v2(moved, "SELECT count(*) FROM arrivals", -1, &rows, NULL) ==
                SQLITE_OK &&
            sqlite3_step(rows) == SQLITE_ROW) {
            assert_int_equal(sqlite3_column_int(rows, 0), 0);
        }
        sqlite3_finalize(rows);
    }
    sqlite3_close(moved);
    store_close(store);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 1);
    assert_int_equal(query_int(fixture->path, "SELECT sum(n) FROM response_counts WHERE "
                                              "question = 'stress'"),
                     301); /* pooled in memory, not in either file: withheld at close */
}

/* ---- files found at start ---- */

static void test_sound_database_is_opened_and_nothing_is_moved(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 12);
    struct store *store = open_recovering(fixture);
    struct store_health health;
    store_health(store, &health);
    assert_string_equal(health.fault, "");
    store_close(store);
    char aside[256];
    assert_false(find_aside(fixture, "oase.db.", aside, sizeof aside));
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM arrivals"), 12);
}

static void test_random_bytes_are_moved_aside_and_a_fresh_database_started(void **state)
{
    struct store_fixture *fixture = *state;
    unsigned char noise[8192];
    unsigned seed = 8;
    for (size_t i = 0; i < sizeof noise; i++) {
        seed = seed * 1103515245u + 12345u;
        noise[i] = (unsigned char)(seed >> 16);
    }
    write_bytes(fixture->path, noise, sizeof noise, 0);
    char aside[256];
    assert_recovered(fixture, "damaged", aside, sizeof aside);
    /* Never deleted: the bytes are all there under the new name. */
    FILE *file = fopen(aside, "rb");
    assert_non_null(file);
    unsigned char kept[sizeof noise + 1];
    assert_int_equal(fread(kept, 1, sizeof kept, file), sizeof noise);
    fclose(file);
    assert_memory_equal(kept, noise, sizeof noise);
}

static void test_torn_header_is_moved_aside(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 3);
    static const unsigned char torn[24] = {0x03, 0x03, 0xff, 0x00, 0xde, 0xad};
    write_bytes(fixture->path, torn, sizeof torn, 16); /* page size and what follows */
    char aside[256];
    assert_recovered(fixture, "damaged", aside, sizeof aside);
}

static void test_truncated_database_is_moved_aside(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 400); /* many pages */
    struct stat st;
    assert_int_equal(stat(fixture->path, &st), 0);
    assert_true(st.st_size >= 4 * 4096);
    assert_int_equal(truncate(fixture->path, st.st_size / 2 / 4096 * 4096), 0); /* whole pages */
    char aside[256];
    assert_recovered(fixture, "corrupt", aside, sizeof aside);
}

static void test_failing_integrity_check_is_moved_aside(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 400);
    struct stat st;
    assert_int_equal(stat(fixture->path, &st), 0);
    long long pages = st.st_size / 4096;
    assert_true(pages >= 4);
    /* Scribble over the middle of a page of the b-trees: the header stays intact. */
    unsigned char scribble[1024];
    memset(scribble, 0x5a, sizeof scribble);
    write_bytes(fixture->path, scribble, sizeof scribble, (off_t)(pages - 2) * 4096 + 8);
    char aside[256];
    assert_recovered(fixture, "corrupt", aside, sizeof aside);
}

static void test_foreign_database_is_moved_aside_readable(void **state)
{
    struct store_fixture *fixture = *state;
    exec_sql(fixture->path, "PRAGMA journal_mode = WAL; CREATE TABLE notes(text TEXT); "
                            "INSERT INTO notes VALUES ('groceries');");
    char aside[256];
    assert_recovered(fixture, "foreign", aside, sizeof aside);
    assert_int_equal(query_int(aside, "SELECT count(*) FROM notes"), 1); /* still readable */
}

static void test_damaged_database_goes_aside_with_its_wal_and_shm(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 3);
    static const char junk[] = "frames of a log that belongs to the damaged file";
    char wal[160], shm[160];
    snprintf(wal, sizeof wal, "%s-wal", fixture->path);
    snprintf(shm, sizeof shm, "%s-shm", fixture->path);
    write_bytes(wal, junk, sizeof junk, 0);
    write_bytes(shm, junk, sizeof junk, 0);
    static const unsigned char torn[16] = "SQLite farmat 3";
    write_bytes(fixture->path, torn, sizeof torn, 0);
    char aside[256];
    assert_recovered(fixture, "damaged", aside, sizeof aside);
    char aside_wal[300], aside_shm[300];
    snprintf(aside_wal, sizeof aside_wal, "%s-wal", aside);
    snprintf(aside_shm, sizeof aside_shm, "%s-shm", aside);
    assert_true(exists(aside_wal)); /* a stale log beside a fresh file would be replayed */
    assert_true(exists(aside_shm));
}

static void test_newer_schema_is_moved_aside(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 2);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
    exec_sql(fixture->path, sql);
    char aside[256];
    assert_recovered(fixture, "newer", aside, sizeof aside);
    /* Its counts stay for a technician; its arrivals (friendly names, times) do not. On the
     * previous main both arrivals and their names stayed in the file for good. */
    assert_int_equal(query_int(aside, "SELECT count(*) FROM arrivals"), 0);
    assert_true(query_int(aside, "SELECT count(*) FROM journey_counts") > 0);
    size_t size = 0;
    char *bytes = read_bytes(aside, &size);
    assert_null(memmem(bytes, size, "Vlinder", 7));
    free(bytes);
}

static void test_an_aside_file_that_cannot_be_scrubbed_is_removed_after_its_day(void **state)
{
    struct store_fixture *fixture = *state;
    make_database(fixture, 3);
    static const unsigned char torn[16] = "SQLite farmat 3";
    write_bytes(fixture->path, torn, sizeof torn, 0);
    char aside[256];
    assert_recovered(fixture, "damaged", aside, sizeof aside);
    struct store *store = open_recovering(fixture);
    store_tick(store, at("2026-03-02 08:00")); /* a fold on a day before the move: kept */
    assert_int_equal(store_flush(store), 0);
    assert_true(exists(aside));
    store_tick(store, at("2099-03-03 08:00")); /* a later day's fold: it may hold names */
    assert_int_equal(store_flush(store), 0);
    store_close(store);
    assert_false(exists(aside));
}

static void test_two_faults_in_one_second_keep_both_files(void **state)
{
    struct store_fixture *fixture = *state;
    static const char junk[] = "not a database, twice";
    time_t now = time(NULL);
    char first[256] = "", second[256] = "", err[256] = "";
    write_bytes(fixture->path, junk, sizeof junk, 0);
    assert_int_equal(store_recover_move_aside(fixture->path, "damaged", now, first, sizeof first,
                                              err, sizeof err),
                     0);
    write_bytes(fixture->path, junk, sizeof junk, 0);
    assert_int_equal(store_recover_move_aside(fixture->path, "damaged", now, second, sizeof second,
                                              err, sizeof err),
                     0);
    assert_string_not_equal(first, second);
    assert_true(exists(first));
    assert_true(exists(second));
}

static void test_missing_directory_is_refused_and_nothing_is_made(void **state)
{
    struct store_fixture *fixture = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/no-such-dir/oase.db", fixture->dir);
    char err[512] = "";
    struct store *store = store_open_recover(path, &fixture->phases, -1, err, sizeof err);
    assert_null(store);
    assert_non_null(strstr(err, path));
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_disk_full_holds_checkins_and_writes_them_when_space_returns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_disk_holds_writes_and_recovers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_memory_bound_refuses_new_writes_and_counts_each_loss,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_closing_while_the_disk_refuses_returns_and_leaves_a_sound_file, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_file_damaged_while_running_is_moved_aside_and_counting_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sound_database_is_opened_and_nothing_is_moved, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_random_bytes_are_moved_aside_and_a_fresh_database_started, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_header_is_moved_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_database_is_moved_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_integrity_check_is_moved_aside, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_database_is_moved_aside_readable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_damaged_database_goes_aside_with_its_wal_and_shm,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_moved_aside, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_an_aside_file_that_cannot_be_scrubbed_is_removed_after_its_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_faults_in_one_second_keep_both_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory_is_refused_and_nothing_is_made,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
