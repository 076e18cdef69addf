/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A schema 3 (or 2) kiosk database for the research tests: the store's own migration steps
 * (store_schema_migration_sql), application_id 0x4F415345 and the user_version, then counter
 * cells added with raw SQL the way the store adds them (one +1 per visitor), so a test can
 * place every cell where it wants. Include after cmocka.h.
 */
#ifndef OASE_TEST_RESEARCH_V3_H
#define OASE_TEST_RESEARCH_V3_H

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"
#include "store/store_internal.h"
#include "test_numbers.h"

struct v3_db {
    sqlite3 *db;
    int version;          /* 2 or 3 */
    sqlite3_stmt *add[7]; /* answer, journey, arrival, wait, response, stress_wait, message */
};

enum { V3_ANSWER, V3_JOURNEY, V3_ARRIVAL, V3_WAIT, V3_RESPONSE, V3_STRESS_WAIT, V3_MESSAGE };

static inline void v3_exec(sqlite3 *db, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fail_msg("%s: %s", sql, message);
    }
}

/* Creates a schema 3 (or, version 2, a schema 2) database at path (which must not exist). */
static inline void v3_open_version(struct v3_db *v3, const char *path, int version)
{
    static const char *const inserts[7] = {
        "INSERT INTO answer_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO journey_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO arrival_counts VALUES (?1, ?2, ?3, ?4, ?5, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO wait_counts VALUES (?1, ?2, ?3, ?4, ?5, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO response_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO stress_wait_counts VALUES (?1, ?2, ?3, ?4, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
        "INSERT INTO wait_message_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1",
    };
    memset(v3, 0, sizeof *v3);
    v3->version = version;
    assert_int_equal(
        sqlite3_open_v2(path, &v3->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
        SQLITE_OK);
    /* The store's own migration steps: the schema the kiosk writes, not a copy of it. */
    v3_exec(v3->db, "PRAGMA application_id = 1329681221;"); /* 0x4F415345 */
    for (int step = 0; step < version; step++) {
        v3_exec(v3->db, store_schema_migration_sql(step));
    }
    char user_version[40];
    snprintf(user_version, sizeof user_version, "PRAGMA user_version = %d;", version);
    v3_exec(v3->db, user_version);
    v3_exec(v3->db, "BEGIN");
    for (int i = 0; i < 7; i++) {
        if (version < 3 && i >= V3_RESPONSE) {
            continue; /* schema 2 has no such table */
        }
        const char *sql = inserts[i];
        if (version < 3 && i == V3_ANSWER) { /* schema 2: no light band */
            sql = "INSERT INTO answer_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10, 1) "
                  "ON CONFLICT DO UPDATE SET n = n + 1";
        }
        assert_int_equal(sqlite3_prepare_v2(v3->db, sql, -1, &v3->add[i], NULL), SQLITE_OK);
    }
}

static inline void v3_open(struct v3_db *v3, const char *path)
{
    v3_open_version(v3, path, 3);
}

static inline void v3_close(struct v3_db *v3)
{
    for (int i = 0; i < 7; i++) {
        sqlite3_finalize(v3->add[i]);
    }
    v3_exec(v3->db, "COMMIT");
    sqlite3_close(v3->db);
}

/* Adds 1 to a cell: texts[] bound in order, an entry "#N" binds the integer N. */
static inline void v3_add(struct v3_db *v3, int table, const char *const *texts, int count)
{
    sqlite3_stmt *stmt = v3->add[table];
    if (stmt == NULL) {
        return; /* a schema 3 table in a schema 2 database */
    }
    for (int i = 0; i < count; i++) {
        if (texts[i][0] == '#') {
            sqlite3_bind_int(stmt, i + 1, (int)test_number(texts[i] + 1));
        } else {
            sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_TRANSIENT);
        }
    }
    assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_reset(stmt);
}

/* The store's waiting-time band of minutes (store_sql_wait_band). */
static inline const char *v3_wait_band(int minutes)
{
    static const int upper[] = {5, 10, 15, 20, 30, 45, 60};
    static const char *const bands[] = {"0-5",   "5-10",  "10-15", "15-20",
                                        "20-30", "30-45", "45-60", "60+"};
    for (int i = 0; i < 7; i++) {
        if (minutes < upper[i]) {
            return bands[i];
        }
    }
    return bands[7];
}

/* One visitor of a schema 3 kiosk, counted in every table the way the store counts them. */
struct v3_visitor {
    const char *date, *phase, *service;
    int hour;
    int answer; /* 0..10, -1 skipped, -2 not asked */
    const char *scene, *light, *sound, *queue;
    int wait;       /* minutes until collected; -1 no-show */
    bool range;     /* the screen showed "usually low to high minutes" */
    int low, high;  /* that range */
    bool link_lost; /* a power cut lost the stress-wait link */
};

static inline void v3_visit(struct v3_db *v3, const struct v3_visitor *v)
{
    char hour[8], answer[8], wants[8];
    snprintf(hour, sizeof hour, "#%d", v->hour);
    snprintf(answer, sizeof answer, "%d", v->answer);
    snprintf(wants, sizeof wants, "#%d", v->answer >= 8 ? 1 : 0);
    const char *arrival[] = {v->date, hour, v->phase, v->service, wants};
    v3_add(v3, V3_ARRIVAL, arrival, 5);
    const char *journey[] = {v->date, hour, v->phase, "arrival", "completed", "", v->service};
    v3_add(v3, V3_JOURNEY, journey, 7);
    if (v->answer >= -1) {
        const char *cell[] = {
            v->date,  hour,     v->phase, "arrival", "stress", v->answer >= 0 ? answer : "skip",
            v->scene, v->light, v->sound, v->queue};
        v3_add(v3, V3_ANSWER, cell, 10);
    }
    const char *response[] = {v->date,
                              hour,
                              v->phase,
                              "arrival",
                              v->service,
                              "stress",
                              v->answer >= 0    ? "answered"
                              : v->answer == -1 ? "skipped"
                                                : "not_asked"};
    v3_add(v3, V3_RESPONSE, response, 7);
    const char *band = v->wait >= 0 ? v3_wait_band(v->wait) : "";
    const char *outcome = v->wait >= 0 ? "collected" : "no_show";
    const char *wait[] = {v->date, v->phase, v->service, outcome, band};
    v3_add(v3, V3_WAIT, wait, 5);
    if (v->answer >= 0 && v->wait >= 0 && !v->link_lost) {
        const char *stress = v->answer <= 3 ? "0-3" : v->answer <= 6 ? "4-6" : "7-10";
        const char *cell[] = {v->date, v->phase, stress, band};
        v3_add(v3, V3_STRESS_WAIT, cell, 4);
    }
    const char *within = "n/a";
    if (v->range && v->wait >= 0) {
        within = v->wait < v->low ? "below" : v->wait > v->high ? "above" : "within";
    }
    const char *message[] = {v->date, v->phase, v->range ? "range" : "host_knows",
                             outcome, band,     within};
    v3_add(v3, V3_MESSAGE, message, 6);
}

static inline void v3_codebook(struct v3_db *v3, const char *item, const char *lang, int version,
                               const char *text, const char *first, const char *last)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "INSERT INTO codebook VALUES ('%s', '%s', %d, '%s', '%s', '%s')",
             item, lang, version, text, first, last);
    v3_exec(v3->db, sql);
}

static inline void v3_phase_config(struct v3_db *v3, const char *phase, const char *hash,
                                   const char *first, const char *last)
{
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO phase_configs VALUES ('%s', '%s', '%s', '%s')", phase,
             hash, first, last);
    v3_exec(v3->db, sql);
}

#endif
