/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The set-up shared by the store tests (header only): a mkdtemp() directory with oase.db as
 * the database path, the study's phases, a teardown that removes the directory and all in
 * it, the local-time parser at(), SQL helpers that read a closed database directly and a
 * reader of a whole file's bytes.
 * Owns only test scaffolding: never used by the firmware. Every helper fails the running
 * test (cmocka assert / fail_msg) on failure, naming the SQL or the error. Include after
 * cmocka.h.
 */
#ifndef OASE_TEST_STORE_FIXTURE_H
#define OASE_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/phase.h"
#include "store/store.h"

struct store_fixture {
    char dir[64];
    char path[128]; /* dir/oase.db */
    struct phase_list phases;
};

/* Makes a fresh directory from dir_template (ending in XXXXXX) into dir. */
static inline void store_fixture_make_dir(char *dir, size_t size, const char *dir_template)
{
    int n = snprintf(dir, size, "%s", dir_template);
    assert_true(n > 0 && (size_t)n < size);
    assert_non_null(mkdtemp(dir));
}

/* The study the tests run in: phase_count 1 is a baseline from 2026-01-05; 2 adds the
 * redesign ("after") from 2026-03-02. */
static inline void store_fixture_add_phases(struct phase_list *phases, int phase_count)
{
    assert_true(phase_count >= 1 && phase_count <= 2);
    assert_int_equal(phase_add(phases, "baseline", "2026-01-05"), 0);
    if (phase_count == 2) {
        assert_int_equal(phase_add(phases, "after", "2026-03-02"), 0);
    }
}

/* Removes the files in dir (one level: the tests make no subdirectories) and dir itself. */
static inline void store_fixture_remove_dir(const char *path)
{
    DIR *dir = opendir(path);
    if (dir != NULL) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                unlinkat(dirfd(dir), entry->d_name, 0);
            }
        }
        closedir(dir);
    }
    rmdir(path);
}

/* A fixture in a fresh directory with the study's first phase_count phases. Free it with
 * store_fixture_teardown. */
static inline struct store_fixture *store_fixture_new(const char *dir_template, int phase_count)
{
    struct store_fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, dir_template);
    snprintf(fixture->path, sizeof fixture->path, "%s/oase.db", fixture->dir);
    store_fixture_add_phases(&fixture->phases, phase_count);
    return fixture;
}

/* cmocka teardown for a store_fixture: removes its directory and frees it. */
static inline int store_fixture_teardown(void **state)
{
    struct store_fixture *fixture = *state;
    store_fixture_remove_dir(fixture->dir);
    free(fixture);
    return 0;
}

/* ---- helpers ---- */

/* "YYYY-MM-DD HH:MM" kiosk local time as milliseconds. */
static inline int64_t at(const char *local_time)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_local(local_time, &ms), 0);
    return ms;
}

static inline struct store *open_store(struct store_fixture *fixture, int closing_minute)
{
    char err[512] = "";
    struct store *store =
        store_open(fixture->path, &fixture->phases, closing_minute, err, sizeof err);
    if (store == NULL) {
        fail_msg("store_open: %s", err);
    }
    return store;
}

/* The store's tick at local_time (batches of k answers leave the pool), then its writes. */
static inline void tick_and_flush(struct store *store, const char *local_time)
{
    store_tick(store, at(local_time));
    assert_int_equal(store_flush(store), 0);
}

static inline sqlite3_stmt *store_fixture_prepare(const char *path, const char *sql, sqlite3 **db)
{
    *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(*db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(*db));
    }
    return stmt;
}

/* The first integer of the first row, or -1 when there is no row. */
static inline long long query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = store_fixture_prepare(path, sql, &db);
    long long value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

/* The first text of the first row into out ("" when there is no row). */
static inline void query_text(const char *path, const char *sql, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = store_fixture_prepare(path, sql, &db);
    out[0] = '\0';
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL) {
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

/* Every row of a query as "a|b|c" lines joined by ";" into out ("" when no row). */
static inline void query_rows(const char *path, const char *sql, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = store_fixture_prepare(path, sql, &db);
    size_t used = 0;
    out[0] = '\0';
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(stmt); c++) {
            const char *text = (const char *)sqlite3_column_text(stmt, c);
            int n = snprintf(out + used, size - used, "%s%s", c ? "|" : (used ? ";" : ""),
                             text ? text : "NULL");
            assert_true(n >= 0 && (size_t)n < size - used);
            used += (size_t)n;
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

/* Whole file contents ("" when the file does not exist). Caller frees. */
static inline char *read_bytes(const char *path, size_t *size)
{
    *size = 0;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return calloc(1, 1);
    }
    assert_int_equal(fseek(file, 0, SEEK_END), 0);
    long length = ftell(file);
    assert_true(length >= 0);
    rewind(file);
    char *bytes = malloc((size_t)length + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)length, file), (size_t)length);
    bytes[length] = '\0';
    fclose(file);
    *size = (size_t)length;
    return bytes;
}

/* Runs SQL on a closed database, creating the file if need be. */
static inline void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fail_msg("%s: %s", sql, message);
    }
    sqlite3_close(db);
}

/* Runs SQL on a closed database and returns SQLite's result code (0 when it succeeded). */
static inline int exec_sql_rc(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* Holds the database's write lock as another process (an export) might: the store's writer
 * waits. Give it back with release_write_lock. */
static inline sqlite3 *hold_write_lock(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static inline void release_write_lock(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

#endif
