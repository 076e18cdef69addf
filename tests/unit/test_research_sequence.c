/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests that any sequence of exports is as safe as one. An attacker asks for many
 * exports of the same kiosk databases - other from/to windows, k at or above the site's,
 * with and without room context, one database alone and several merged - and adds and
 * subtracts everything published (a linear span over the hidden counts, test_research_util.h).
 * No count between 1 and k - 1 of one answer (or one incident kind) in one hour, day or week,
 * of one database, may be in that span. The databases are made with the store's own schema
 * and filled with counter cells directly, so the tests do not depend on how the kiosk batches
 * its writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_period.h"
#include "store/store.h"
#include "unit/store_fixture.h"
#include "unit/test_research_util.h"
#include "unit/test_research_kiosk.h"
#include "test_numbers.h"

#define TODAY "2026-06-01" /* a Monday: every week before it is over */
#define SEQ_DBS 3
#define SEQ_BASES 4096
#define SEQ_TEXT 24

struct seq_fixture {
    char dir[64];
    char paths[SEQ_DBS][128];
    struct phase_list phases;
};

static int setup(void **state)
{
    struct seq_fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, "/tmp/oase-sequence-XXXXXX");
    for (int i = 0; i < SEQ_DBS; i++) {
        snprintf(fixture->paths[i], sizeof fixture->paths[i], "%s/site%d.db", fixture->dir, i);
    }
    store_fixture_add_phases(&fixture->phases, 1);
    *state = fixture;
    return 0;
}

static int teardown(void **state)
{
    struct seq_fixture *fixture = *state;
    store_fixture_remove_dir(fixture->dir);
    free(fixture);
    return 0;
}

/* ---- making databases ------------------------------------------------------------------- */

/* A kiosk database with the store's schema, named site, with site_id (NULL: none). */
static sqlite3 *seq_make_db(struct seq_fixture *fixture, int index, const char *site,
                            const char *site_id)
{
    char err[512] = "";
    struct store *store = store_open(fixture->paths[index], &fixture->phases, -1, err, sizeof err);
    if (store == NULL) {
        fail_msg("store_open: %s", err);
    }
    store_close(store);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fixture->paths[index], &db), SQLITE_OK);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value) VALUES ('site', '%s')",
             site);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM meta WHERE key = 'site_id'", NULL, NULL, NULL),
                     SQLITE_OK);
    if (site_id != NULL) {
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO meta(key, value) VALUES ('site_id', '%s')", site_id);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void seq_close_db(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* n stress answers on arrival at day (a date) and hour, in a room with scene and queue band. */
static void seq_answers(sqlite3 *db, const char *date, int hour, const char *answer,
                        const char *scene, const char *queue_band, int n)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO answer_counts(day, hour, phase, moment, question, answer, scene, "
             "light_band, sound, queue_band, n) VALUES ('%s', %d, 'baseline', 'arrival', "
             "'stress', '%s', '%s', 'dim', 'birds', '%s', %d) ON CONFLICT DO UPDATE SET "
             "n = n + excluded.n",
             date, hour, answer, scene, queue_band, n);
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fail_msg("%s: %s", sql, message);
    }
}

static void seq_incidents(sqlite3 *db, const char *date, const char *kind, int n)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO incident_counts(day, phase, kind, n) VALUES ('%s', 'baseline', '%s', "
             "%d) ON CONFLICT DO UPDATE SET n = n + excluded.n",
             date, kind, n);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void seq_waits(sqlite3 *db, const char *date, const char *outcome, const char *band, int n)
{
    char sql[320];
    snprintf(sql, sizeof sql,
             "INSERT INTO wait_counts(day, phase, service, outcome, wait_band, n) VALUES ('%s', "
             "'baseline', '', '%s', '%s', %d) ON CONFLICT DO UPDATE SET n = n + excluded.n",
             date, outcome, band, n);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void seq_claims(sqlite3 *db, const char *date, const char *outcome, const char *band, int n)
{
    char sql[320];
    snprintf(sql, sizeof sql,
             "INSERT INTO claim_counts(day, phase, outcome, band, n) VALUES ('%s', 'baseline', "
             "'%s', '%s', %d) ON CONFLICT DO UPDATE SET n = n + excluded.n",
             date, outcome, band, n);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void seq_arrivals(sqlite3 *db, const char *date, int hour, int wants_word, int n)
{
    char sql[320];
    snprintf(sql, sizeof sql,
             "INSERT INTO arrival_counts(day, hour, phase, service, wants_word, n) VALUES ('%s', "
             "%d, 'baseline', '', %d, %d) ON CONFLICT DO UPDATE SET n = n + excluded.n",
             date, hour, wants_word, n);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* The date of weekday (0 Monday) of ISO week 2026-Wweek. */
static void seq_date(int week, int weekday, char out[RESEARCH_DATE_SIZE])
{
    int32_t monday = 0;
    assert_int_equal(research_day_parse("2026-01-05", &monday), 0); /* Monday of W02 */
    research_day_format(monday + (week - 2) * 7 + weekday, out);
}

/* ---- the attacker ----------------------------------------------------------------------- */

/* One hidden count: a cell of answer_counts or incident_counts of one database. */
struct seq_base {
    int db;
    enum research_table_id table;
    char site[SEQ_TEXT];
    int32_t day, hour;
    char key[5][SEQ_TEXT]; /* answer, scene, light band, sound, queue band; or kind */
    int64_t n;
};

struct seq_attacker {
    struct seq_base bases[SEQ_BASES];
    size_t base_count;
    struct research_span span;
    bool span_ready;
    int k;
    size_t exports, rows;
};

static int seq_read_base(void *argument, int columns, char **values, char **names)
{
    (void)names;
    struct seq_attacker *attacker = argument;
    assert_true(attacker->base_count < SEQ_BASES);
    struct seq_base *base = &attacker->bases[attacker->base_count];
    assert_int_equal(research_day_parse(values[0], &base->day), 0);
    base->hour = (int)test_number(values[1]);
    for (int part = 0; part + 3 < columns; part++) {
        snprintf(base->key[part], SEQ_TEXT, "%s", values[2 + part]);
    }
    base->n = test_number(values[columns - 1]);
    attacker->base_count++;
    return 0;
}

/* Reads every hidden count of database index (site name site) into the attacker's bases. */
static void seq_read_bases(struct seq_attacker *attacker, const struct seq_fixture *fixture,
                           int index, const char *site)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->paths[index], &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    static const struct {
        enum research_table_id table;
        const char *sql;
    } queries[] = {
        {RESEARCH_ANSWERS, "SELECT day, hour, answer, scene, light_band, sound, queue_band, n "
                           "FROM answer_counts"},
        {RESEARCH_INCIDENTS, "SELECT day, -1, kind, n FROM incident_counts"},
        {RESEARCH_WAITS, "SELECT day, -1, outcome, wait_band, n FROM wait_counts"},
        {RESEARCH_CLAIMS, "SELECT day, -1, outcome, band, n FROM claim_counts"},
        {RESEARCH_ARRIVALS, "SELECT day, hour, wants_word, n FROM arrival_counts"},
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        size_t first = attacker->base_count;
        assert_int_equal(sqlite3_exec(db, queries[q].sql, seq_read_base, attacker, NULL),
                         SQLITE_OK);
        for (size_t b = first; b < attacker->base_count; b++) {
            attacker->bases[b].db = index;
            attacker->bases[b].table = queries[q].table;
            snprintf(attacker->bases[b].site, SEQ_TEXT, "%s", site);
        }
    }
    sqlite3_close(db);
}

/* The place of a value on its table's ordered scale (stress 0-10, waiting and claim bands),
   or -1. */
static int seq_scale_value(enum research_table_id table, const char *text)
{
    static const char *const claim_bands[] = {"0-2", "2-5", "5-15", "15+"};
    if (table == RESEARCH_CLAIMS) {
        for (int i = 0; i < 4; i++) {
            if (strcmp(claim_bands[i], text) == 0) {
                return i;
            }
        }
        return -1;
    }
    static const char *const bands[] = {"0-5",   "5-10",  "10-15", "15-20",
                                        "20-30", "30-45", "45-60", "60+"};
    if (table == RESEARCH_WAITS) {
        for (int i = 0; i < 8; i++) {
            if (strcmp(bands[i], text) == 0) {
                return i;
            }
        }
        return -1;
    }
    return text[0] >= '0' && text[0] <= '9' ? (int)test_number(text) : -1;
}

/* Does the key of a published row (key first .. last) hold the base's key? */
static bool seq_key_holds(const struct research_dataset *dataset, enum research_table_id table,
                          const struct research_row *row, const struct seq_base *base)
{
    const struct research_table *data = &dataset->tables[table];
    const struct research_tuple *first = &data->keys[row->key];
    const struct research_tuple *last = &data->keys[row->key_last];
    bool banded = table == RESEARCH_WAITS || table == RESEARCH_CLAIMS;
    int parts = table == RESEARCH_ANSWERS ? 5 : banded ? 2 : 1;
    int scale_part = banded ? 1 : 0;
    bool range = row->note == RESEARCH_NOTE_RANGE ||
                 (row->note == RESEARCH_NOTE_SUPPRESSED && row->key != row->key_last);
    for (int part = 0; part < parts; part++) {
        const char *low = research_dataset_text(dataset, first->text[part]);
        const char *high = research_dataset_text(dataset, last->text[part]);
        if ((part > 0 && low[0] == '\0') || strcmp(low, RESEARCH_ANY) == 0) {
            continue; /* room context not exported, or coarsened away */
        }
        if (range && part == scale_part && strcmp(low, high) != 0) {
            int value = seq_scale_value(table, base->key[part]);
            if (value < 0 || value < seq_scale_value(table, low) ||
                value > seq_scale_value(table, high)) {
                return false;
            }
            continue;
        }
        if (strcmp(low, base->key[part]) != 0) {
            return false;
        }
    }
    return true;
}

static bool seq_period_holds(const struct research_dataset *dataset, enum research_table_id table,
                             const struct research_row *row, const struct seq_base *base)
{
    const struct research_kanon_result *out = &dataset->tables[table].published;
    if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (pool->mondays[w] == research_week_monday(base->day)) {
                return true;
            }
        }
        return false;
    }
    if (base->day < row->first_day || base->day > row->last_day) {
        return false;
    }
    if (row->level == RESEARCH_LEVEL_HOUR) {
        return base->hour == row->time_of_day;
    }
    if (row->level == RESEARCH_LEVEL_PART_OF_DAY) {
        return base->hour >= 0 && (int)research_part_of_hour(base->hour) == row->time_of_day;
    }
    return true;
}

static bool seq_same_period(const struct research_row *a, const struct research_row *b)
{
    return a->series == b->series && a->level == b->level && a->first_day == b->first_day &&
           a->last_day == b->last_day && a->time_of_day == b->time_of_day && a->pool == b->pool;
}

/* Is base part of the number published in row r of table (an export of the dbs in mask)? */
static bool seq_row_holds(const struct research_dataset *dataset, enum research_table_id table,
                          size_t r, unsigned mask, const struct seq_base *base)
{
    const struct research_table *data = &dataset->tables[table];
    const struct research_row *row = &data->published.rows[r];
    const char *site = research_dataset_text(dataset, data->series[row->series].text[0]);
    if (base->table != table || !(mask & (1u << base->db)) || strcmp(site, base->site) != 0 ||
        !seq_period_holds(dataset, table, row, base)) {
        return false;
    }
    if (row->note != RESEARCH_NOTE_REMAINDER) {
        return seq_key_holds(dataset, table, row, base);
    }
    for (size_t i = 0; i < data->published.row_count; i++) {
        const struct research_row *other = &data->published.rows[i];
        /* a sibling shown without its number (k above the site's) still covers its keys */
        if (i != r && other->note != RESEARCH_NOTE_REMAINDER && seq_same_period(other, row) &&
            seq_key_holds(dataset, table, other, base)) {
            return false;
        }
    }
    return true;
}

/* Everything one export publishes (of the databases in mask) goes into the attacker's span. */
static void seq_learn(struct seq_attacker *attacker, const struct research_dataset *dataset,
                      unsigned mask)
{
    if (!attacker->span_ready) {
        research_span_init(&attacker->span, attacker->base_count);
        attacker->span_ready = true;
    }
    double *vector = calloc(attacker->base_count + 1, sizeof(double));
    assert_non_null(vector);
    static const enum research_table_id tables[] = {
        RESEARCH_ANSWERS, RESEARCH_INCIDENTS, RESEARCH_WAITS, RESEARCH_ARRIVALS, RESEARCH_CLAIMS};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct research_kanon_result *out = &dataset->tables[tables[t]].published;
        for (size_t r = 0; r < out->row_count; r++) {
            if (out->rows[r].note == RESEARCH_NOTE_SUPPRESSED) {
                continue;
            }
            int64_t sum = 0;
            for (size_t b = 0; b < attacker->base_count; b++) {
                bool in = seq_row_holds(dataset, tables[t], r, mask, &attacker->bases[b]);
                vector[b] = in ? 1.0 : 0.0;
                sum += in ? attacker->bases[b].n : 0;
            }
            if (sum != out->rows[r].n) {
                fail_msg("%s row %zu publishes %lld but the attacker's reading holds %lld",
                         research_table_name(tables[t]), r, (long long)out->rows[r].n,
                         (long long)sum);
            }
            assert_true(out->rows[r].n >= attacker->k);
            research_span_add(&attacker->span, vector);
            attacker->rows++;
        }
    }
    attacker->exports++;
    free(vector);
}

/*
 * Fails when a count between 1 and k - 1 of one database - one answer (or all answers) in
 * one hour, day or week; one incident kind (or all) in one day or week - is in the span.
 * Returns how many small counts were tried.
 */
static int seq_assert_nothing_below_k(struct seq_attacker *attacker)
{
    double *vector = calloc(attacker->base_count + 1, sizeof(double));
    assert_non_null(vector);
    int tried = 0;
    for (size_t b = 0; b < attacker->base_count; b++) {
        const struct seq_base *base = &attacker->bases[b];
        for (int level = base->hour < 0 ? 1 : 0; level < 3; level++) { /* hour, day, week */
            for (int kind = 0; kind < 4; kind++) { /* answer; all; answer x queue; cell */
                bool all_keys = kind == 1;
                int64_t sum = 0;
                for (size_t o = 0; o < attacker->base_count; o++) {
                    const struct seq_base *other = &attacker->bases[o];
                    bool in = other->db == base->db && other->table == base->table &&
                              (all_keys || strcmp(other->key[0], base->key[0]) == 0);
                    in = in && (kind < 2 || strcmp(other->key[4], base->key[4]) == 0);
                    for (int part = 1; part < 4 && kind == 3; part++) {
                        in = in && strcmp(other->key[part], base->key[part]) == 0;
                    }
                    in = in && (level == 2 ? research_week_monday(other->day) ==
                                                 research_week_monday(base->day)
                                           : other->day == base->day);
                    in = in && (level != 0 || other->hour == base->hour);
                    vector[o] = in ? 1.0 : 0.0;
                    sum += in ? other->n : 0;
                }
                if (sum <= 0 || sum >= attacker->k) {
                    continue;
                }
                tried++;
                if (research_span_contains(&attacker->span, vector)) {
                    char date[RESEARCH_DATE_SIZE];
                    research_day_format(base->day, date);
                    fail_msg("after %zu exports (%zu rows) the attacker knows that database %d "
                             "has %lld %s%s in the %s of %s (hour %d), below k = %d",
                             attacker->exports, attacker->rows, base->db, (long long)sum,
                             research_table_name(base->table),
                             kind == 1   ? ""
                             : kind == 0 ? " of one key"
                                         : " of one key and queue band",
                             level == 0   ? "hour"
                             : level == 1 ? "day"
                                          : "week",
                             date, base->hour, attacker->k);
                }
            }
        }
    }
    free(vector);
    return tried;
}

static void seq_attacker_free(struct seq_attacker *attacker)
{
    if (attacker->span_ready) {
        research_span_free(&attacker->span);
    }
    free(attacker);
}

/* One export; NULL with err filled when it is refused. */
static struct research_dataset *seq_export(const struct seq_fixture *fixture, unsigned mask,
                                           const char *from, const char *to, int k, bool context,
                                           char *err, size_t err_size)
{
    const char *paths[SEQ_DBS];
    size_t count = 0;
    for (int i = 0; i < SEQ_DBS; i++) {
        if (mask & (1u << i)) {
            paths[count++] = fixture->paths[i];
        }
    }
    struct research_export_options options = {.db_paths = paths,
                                              .db_count = count,
                                              .from = from,
                                              .to = to,
                                              .k = k,
                                              .with_context = context,
                                              .today = TODAY,
                                              .busy_timeout_ms = 100};
    struct research_dataset *dataset = NULL;
    err[0] = '\0';
    if (research_dataset_build(&options, &dataset, err, err_size) != 0) {
        return NULL;
    }
    return dataset;
}

/* Exports and learns; the export must not be refused. */
static void seq_learn_export(struct seq_attacker *attacker, const struct seq_fixture *fixture,
                             unsigned mask, const char *from, const char *to, int k, bool context)
{
    char err[512];
    struct research_dataset *dataset =
        seq_export(fixture, mask, from, to, k, context, err, sizeof err);
    if (dataset == NULL) {
        fail_msg("export refused: %s", err);
    }
    seq_learn(attacker, dataset, mask);
    research_dataset_free(dataset);
}

static struct seq_attacker *seq_attacker_new(int k)
{
    struct seq_attacker *attacker = calloc(1, sizeof *attacker);
    assert_non_null(attacker);
    attacker->k = k;
    return attacker;
}

/* ---- the linking attacks --------------------------------------------------------------- */

/*
 * Quiet weeks W10 (3 answers), W11 (2) and W12 (one 9): an export to the end of W12 and one to
 * the end of W11 must not give away W12's single answer.
 */
static void test_exports_with_another_to_date_do_not_subtract(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    char date[RESEARCH_DATE_SIZE];
    seq_date(10, 1, date);
    seq_answers(db, date, 10, "4", "calm", "0-2", 2);
    seq_answers(db, date, 11, "5", "calm", "0-2", 1);
    seq_date(11, 2, date);
    seq_answers(db, date, 10, "7", "calm", "0-2", 2);
    seq_date(12, 3, date);
    seq_answers(db, date, 10, "9", "calm", "0-2", 1);
    seq_close_db(db);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    char to[RESEARCH_DATE_SIZE];
    for (int week = 10; week <= 14; week++) {
        seq_date(week, 6, to);
        seq_learn_export(attacker, fixture, 1, "2026-03-02", to, 5, false);
    }
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, false);
    assert_true(seq_assert_nothing_below_k(attacker) > 0);
    seq_attacker_free(attacker);
}

/* Weekly incident counts below k must not come out of windows shifted by one week. */
static void test_shifted_windows_do_not_give_weekly_incidents(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    char date[RESEARCH_DATE_SIZE];
    for (int week = 10; week <= 17; week++) {
        seq_date(week, week % 5, date);
        seq_incidents(db, date, "verbal", 1 + week % 3);
        seq_answers(db, date, 10, "5", "calm", "0-2", 6);
    }
    seq_close_db(db);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    char from[RESEARCH_DATE_SIZE], to[RESEARCH_DATE_SIZE];
    for (int first = 9; first <= 14; first++) {
        seq_date(first, 0, from);
        seq_date(first + 2, 6, to);
        seq_learn_export(attacker, fixture, 1, from, to, 5, false);
    }
    assert_true(seq_assert_nothing_below_k(attacker) > 0);
    seq_attacker_free(attacker);
}

/*
 * One week, two queue bands, one answer in the second: the exports without and with room
 * context together must not give that answer away (a hand-made case; the randomised test
 * below is the one that found the leak in the per-week ladder).
 */
static void test_context_and_no_context_do_not_subtract(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    char date[RESEARCH_DATE_SIZE];
    seq_date(10, 1, date);
    seq_answers(db, date, 9, "5", "calm", "0-2", 4);
    seq_answers(db, date, 9, "5", "calm", "3-5", 1);
    seq_answers(db, date, 10, "5", "calm", "0-2", 5);
    seq_answers(db, date, 11, "6", "calm", "0-2", 5);
    seq_close_db(db);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, false);
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, true);
    assert_true(seq_assert_nothing_below_k(attacker) >= 0);
    /* the base of one band, on its own: one answer 5 with queue band 3-5 */
    double *vector = calloc(attacker->base_count, sizeof(double));
    assert_non_null(vector);
    for (size_t b = 0; b < attacker->base_count; b++) {
        vector[b] = strcmp(attacker->bases[b].key[4], "3-5") == 0 ? 1.0 : 0.0;
    }
    assert_false(research_span_contains(&attacker->span, vector));
    free(vector);
    seq_attacker_free(attacker);
}

/* k = 5, 6, 7 ... of the same weeks must not subtract. */
static void test_k_sweep_does_not_subtract(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    char date[RESEARCH_DATE_SIZE];
    seq_date(10, 1, date);
    seq_answers(db, date, 9, "5", "calm", "0-2", 5);
    seq_answers(db, date, 9, "6", "calm", "0-2", 1);
    seq_date(10, 2, date);
    seq_answers(db, date, 9, "5", "calm", "0-2", 6);
    seq_date(11, 2, date);
    seq_answers(db, date, 9, "3", "calm", "0-2", 6);
    seq_answers(db, date, 9, "4", "calm", "0-2", 1);
    seq_close_db(db);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    for (int k = 5; k <= 9; k++) {
        char err[512];
        struct research_dataset *dataset =
            seq_export(fixture, 1, NULL, NULL, k, false, err, sizeof err);
        if (dataset != NULL) { /* a refusal is safe too */
            seq_learn(attacker, dataset, 1);
            research_dataset_free(dataset);
        }
    }
    seq_assert_nothing_below_k(attacker);
    seq_attacker_free(attacker);
}

/*
 * Two databases that name the same site: exported alone and merged, they must not give each
 * other's small cells. The merge is refused with a message that names both files.
 */
static void test_same_site_alone_and_merged_do_not_subtract(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *a = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    sqlite3 *b = seq_make_db(fixture, 1, "zuid", NULL);
    char date[RESEARCH_DATE_SIZE];
    seq_date(10, 1, date);
    seq_answers(a, date, 10, "5", "calm", "0-2", 6);
    seq_answers(b, date, 10, "5", "calm", "0-2", 2);
    seq_answers(b, date, 10, "8", "calm", "0-2", 1);
    seq_close_db(a);
    seq_close_db(b);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    seq_read_bases(attacker, fixture, 1, "zuid");
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, false);
    seq_learn_export(attacker, fixture, 2, NULL, NULL, 5, false);
    char err[512];
    struct research_dataset *merged = seq_export(fixture, 3, NULL, NULL, 5, false, err, sizeof err);
    if (merged != NULL) {
        seq_learn(attacker, merged, 3);
        research_dataset_free(merged);
    }
    seq_assert_nothing_below_k(attacker);
    assert_null(merged);
    assert_non_null(strstr(err, "site0.db"));
    assert_non_null(strstr(err, "site1.db"));
    assert_non_null(strstr(err, "zuid"));
    seq_attacker_free(attacker);
}

/* The same site_id twice (a copy of one kiosk's database) is refused, whatever the names. */
static void test_same_site_id_is_refused(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *a = seq_make_db(fixture, 0, "zuid", "00112233445566778899aabbccddeeff");
    sqlite3 *b = seq_make_db(fixture, 1, "noord", "00112233445566778899aabbccddeeff");
    seq_close_db(a);
    seq_close_db(b);
    char err[512];
    assert_null(seq_export(fixture, 3, NULL, NULL, 5, false, err, sizeof err));
    assert_non_null(strstr(err, "00112233445566778899aabbccddeeff"));
    assert_non_null(strstr(err, "site1.db"));
}

/* ---- randomised kiosks and many requests ------------------------------------------------- */

static void seq_random_kiosk(sqlite3 *db, uint64_t *seed, int weeks, int busy_percent,
                             int busy_visits)
{
    static const char *const scenes[] = {"calm", "warm"};
    static const char *const queues[] = {"0-2", "3-5"};
    static const char *const kinds[] = {"verbal", "other"};
    for (int week = 10; week < 10 + weeks; week++) {
        bool busy = (int)(research_test_random(seed) % 100) < busy_percent;
        int visits = busy ? 6 + (int)(research_test_random(seed) % (uint64_t)busy_visits)
                          : (int)(research_test_random(seed) % 4);
        for (int v = 0; v < visits; v++) {
            uint64_t roll = research_test_random(seed);
            char date[RESEARCH_DATE_SIZE];
            seq_date(week, (int)(roll % 5), date);
            char answer[8];
            if ((roll >> 8) % 9 == 0) {
                snprintf(answer, sizeof answer, "skip");
            } else {
                snprintf(answer, sizeof answer, "%d", 3 + (int)((roll >> 12) % 5));
            }
            int hour = 9 + (int)((roll >> 16) % 3);
            seq_answers(db, date, hour, answer, scenes[(roll >> 20) % 2], queues[(roll >> 22) % 2],
                        1);
            seq_arrivals(db, date, hour, (roll >> 30) % 5 == 0, 1);
            static const char *const bands[] = {"0-5", "5-10", "10-15", "20-30", "60+"};
            static const char *const claim_bands[] = {"unclaimed", "0-2", "2-5", "5-15", "15+"};
            const char *outcome = (roll >> 33) % 10 == 0 ? "no_show" : "collected";
            if ((roll >> 33) % 10 == 0) {
                seq_waits(db, date, "no_show", "", 1);
            } else {
                seq_waits(db, date, "collected", bands[(roll >> 36) % 5], 1);
            }
            seq_claims(db, date, outcome, claim_bands[(roll >> 40) % 5], 1);
            if ((roll >> 24) % 4 == 0) {
                seq_incidents(db, date, kinds[(roll >> 28) % 2], 1);
            }
        }
    }
}

/*
 * Randomised multi-week kiosks, two sites (and a third database that names the first site
 * again): every window of whole weeks, shifted by a week at a time, k from the site's up,
 * with and without context, each database alone and the sites merged. Nothing below k.
 */
static void test_many_requests_reveal_nothing_below_k(void **state)
{
    struct seq_fixture *fixture = *state;
    uint64_t seed = 0x5EC0E7CE;
    for (int trial = 0; trial < 3; trial++) {
        sqlite3 *a = seq_make_db(fixture, 0, "zuid", "aa112233445566778899aabbccddeeff");
        sqlite3 *b = seq_make_db(fixture, 1, "noord", "bb112233445566778899aabbccddeeff");
        sqlite3 *c = seq_make_db(fixture, 2, "zuid", NULL);
        assert_int_equal(
            sqlite3_exec(
                a,
                "DELETE FROM answer_counts; DELETE FROM incident_counts; "
                "DELETE FROM wait_counts; DELETE FROM arrival_counts; DELETE FROM claim_counts",
                NULL, NULL, NULL),
            SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(
                b,
                "DELETE FROM answer_counts; DELETE FROM incident_counts; "
                "DELETE FROM wait_counts; DELETE FROM arrival_counts; DELETE FROM claim_counts",
                NULL, NULL, NULL),
            SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(
                c,
                "DELETE FROM answer_counts; DELETE FROM incident_counts; "
                "DELETE FROM wait_counts; DELETE FROM arrival_counts; DELETE FROM claim_counts",
                NULL, NULL, NULL),
            SQLITE_OK);
        seq_random_kiosk(a, &seed, 7, 40, 8);
        seq_random_kiosk(b, &seed, 7, 60, 8);
        seq_random_kiosk(c, &seed, 7, 20, 8);
        seq_close_db(a);
        seq_close_db(b);
        seq_close_db(c);

        struct seq_attacker *attacker = seq_attacker_new(5);
        seq_read_bases(attacker, fixture, 0, "zuid");
        seq_read_bases(attacker, fixture, 1, "noord");
        seq_read_bases(attacker, fixture, 2, "zuid");
        static const unsigned masks[] = {1, 2, 4, 3, 5, 7};
        for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
            for (int first = 9; first <= 17; first += 2) {
                for (int length = 0; length < 4; length++) {
                    char from[RESEARCH_DATE_SIZE], to[RESEARCH_DATE_SIZE], err[512];
                    seq_date(first, 2, from);
                    seq_date(first + length, 3, to);
                    int k = 5 + (first + length) % 3;
                    struct research_dataset *dataset = seq_export(
                        fixture, masks[m], from, to, k, (first + length) % 2 == 0, err, sizeof err);
                    if (dataset != NULL) {
                        seq_learn(attacker, dataset, masks[m]);
                        research_dataset_free(dataset);
                    }
                }
            }
            for (int context = 0; context < 2; context++) {
                char err[512];
                struct research_dataset *dataset =
                    seq_export(fixture, masks[m], NULL, NULL, 5, context, err, sizeof err);
                if (dataset != NULL) {
                    seq_learn(attacker, dataset, masks[m]);
                    research_dataset_free(dataset);
                }
            }
        }
        assert_true(attacker->exports > 20);
        assert_true(seq_assert_nothing_below_k(attacker) > 0);
        seq_attacker_free(attacker);
    }
}

/* Randomised kiosks: one export without and one with room context, or a k sweep. */
static void seq_random_views(struct seq_fixture *fixture, bool sweep_k)
{
    uint64_t seed = sweep_k ? 0x5EE9 : 0xC0E7E7;
    for (int trial = 0; trial < 40; trial++) {
        sqlite3 *a = seq_make_db(fixture, 0, "zuid", "aa112233445566778899aabbccddeeff");
        assert_int_equal(
            sqlite3_exec(
                a,
                "DELETE FROM answer_counts; DELETE FROM incident_counts; "
                "DELETE FROM wait_counts; DELETE FROM arrival_counts; DELETE FROM claim_counts",
                NULL, NULL, NULL),
            SQLITE_OK);
        seq_random_kiosk(a, &seed, 4, 70, sweep_k ? 8 : 30);
        seq_close_db(a);
        struct seq_attacker *attacker = seq_attacker_new(5);
        seq_read_bases(attacker, fixture, 0, "zuid");
        for (int view = 0; view < (sweep_k ? 5 : 2); view++) {
            char err[512];
            struct research_dataset *dataset =
                seq_export(fixture, 1, NULL, NULL, sweep_k ? 5 + view : 5,
                           sweep_k ? false : view == 1, err, sizeof err);
            if (dataset != NULL) {
                seq_learn(attacker, dataset, 1);
                research_dataset_free(dataset);
            }
        }
        seq_assert_nothing_below_k(attacker);
        seq_attacker_free(attacker);
    }
}

static void test_random_context_views_do_not_subtract(void **state)
{
    seq_random_views(*state, false);
}

static void test_random_k_sweeps_do_not_subtract(void **state)
{
    seq_random_views(*state, true);
}

/* One export with today's date given (the weeks before it are over). */
static struct research_dataset *seq_export_on(const struct seq_fixture *fixture, const char *today,
                                              const char *from, const char *to)
{
    const char *paths[] = {fixture->paths[0]};
    struct research_export_options options = {.db_paths = paths,
                                              .db_count = 1,
                                              .from = from,
                                              .to = to,
                                              .today = today,
                                              .busy_timeout_ms = 100};
    struct research_dataset *dataset = NULL;
    char err[512] = "";
    if (research_dataset_build(&options, &dataset, err, sizeof err) != 0) {
        fail_msg("export refused: %s", err);
    }
    return dataset;
}

static bool seq_same_row(const struct research_dataset *a, const struct research_row *x,
                         const struct research_dataset *b, const struct research_row *y,
                         enum research_table_id table)
{
    if (x->level != y->level || x->first_day != y->first_day || x->last_day != y->last_day ||
        x->time_of_day != y->time_of_day || x->note != y->note || x->n != y->n) {
        return false;
    }
    for (int part = 0; research_table_key_column(table, part) != NULL; part++) {
        char first[64], second[64];
        research_row_key_text(a, table, x, part, first, sizeof first);
        research_row_key_text(b, table, y, part, second, sizeof second);
        if (strcmp(first, second) != 0) {
            return false;
        }
    }
    return true;
}

/*
 * Today and again next month: every block published in April is published the same way in
 * June (the weeks after it only add blocks), so the two exports together are the June one.
 */
static void test_later_exports_repeat_every_earlier_block(void **state)
{
    struct seq_fixture *fixture = *state;
    uint64_t seed = 0x1A7E5;
    for (int trial = 0; trial < 4; trial++) {
        sqlite3 *db = seq_make_db(fixture, 0, "zuid", "aa112233445566778899aabbccddeeff");
        assert_int_equal(
            sqlite3_exec(
                db,
                "DELETE FROM answer_counts; DELETE FROM incident_counts; "
                "DELETE FROM wait_counts; DELETE FROM arrival_counts; DELETE FROM claim_counts",
                NULL, NULL, NULL),
            SQLITE_OK);
        seq_random_kiosk(db, &seed, 12, 40, 8);
        seq_close_db(db);
        struct research_dataset *early = seq_export_on(fixture, "2026-04-13", NULL, NULL);
        struct research_dataset *late = seq_export_on(fixture, TODAY, NULL, NULL);
        size_t compared = 0;
        for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
            const struct research_kanon_result *a = &early->tables[t].published;
            const struct research_kanon_result *b = &late->tables[t].published;
            for (size_t r = 0; r < a->row_count; r++) {
                if (a->rows[r].note == RESEARCH_NOTE_SUPPRESSED) {
                    continue; /* an open pool, or a split not shown: no number */
                }
                bool found = false;
                for (size_t q = 0; q < b->row_count && !found; q++) {
                    found = seq_same_row(early, &a->rows[r], late, &b->rows[q],
                                         (enum research_table_id)t);
                }
                if (!found) {
                    fail_msg("%s row %zu (n %lld) of the April export is not in the June one",
                             research_table_name((enum research_table_id)t), r,
                             (long long)a->rows[r].n);
                }
                compared++;
            }
        }
        assert_true(compared > 10);
        research_dataset_free(early);
        research_dataset_free(late);
    }
}

/* A k below the site's is refused, naming the k asked for, the site's and what is accepted. */
static void test_k_below_the_sites_k_is_refused(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", NULL);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT OR REPLACE INTO meta(key, value) VALUES ('research_k', "
                                  "'6')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    seq_close_db(db);
    char err[512];
    assert_null(seq_export(fixture, 1, NULL, NULL, 5, false, err, sizeof err));
    assert_non_null(strstr(err, "k = 5 is below the site's k 6"));
    assert_non_null(strstr(err, "accepted: 6 or more"));
    /* the kiosk's own HTTP export takes its configured k as a minimum: meta's 6 wins */
    const char *paths[] = {fixture->paths[0]};
    struct research_export_options kiosk = {.db_paths = paths,
                                            .db_count = 1,
                                            .k = 5,
                                            .site_k = 5,
                                            .k_at_least = true,
                                            .today = TODAY,
                                            .busy_timeout_ms = 100};
    struct research_dataset *raised = NULL;
    assert_int_equal(research_dataset_build(&kiosk, &raised, err, sizeof err), 0);
    assert_int_equal(raised->k, 6);
    assert_int_equal(raised->site_k, 6);
    research_dataset_free(raised);
    struct research_dataset *dataset =
        seq_export(fixture, 1, NULL, NULL, 0, false, err, sizeof err);
    assert_non_null(dataset);
    assert_int_equal(dataset->k, 6);
    assert_int_equal(dataset->site_k, 6);
    research_dataset_free(dataset);

    db = seq_make_db(fixture, 0, "zuid", NULL);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT OR REPLACE INTO meta(key, value) VALUES ('research_k', "
                                  "'two')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    seq_close_db(db);
    assert_null(seq_export(fixture, 1, NULL, NULL, 0, false, err, sizeof err));
    assert_non_null(strstr(err, "site0.db: meta research_k = \"two\": accepted"));
}

/*
 * A window inside a pool of quiet weeks shows none of the pool (it snaps inward) and says
 * so; the busy week inside the window is shown.
 */
static void test_a_window_snaps_inward_to_whole_blocks(void **state)
{
    struct seq_fixture *fixture = *state;
    sqlite3 *db = seq_make_db(fixture, 0, "zuid", NULL);
    char date[RESEARCH_DATE_SIZE];
    seq_date(10, 1, date);
    seq_answers(db, date, 10, "4", "calm", "0-2", 2);
    seq_date(11, 1, date);
    seq_answers(db, date, 10, "6", "calm", "0-2", 9);
    seq_date(12, 1, date);
    seq_answers(db, date, 10, "5", "calm", "0-2", 3);
    seq_close_db(db);
    char err[512], from[RESEARCH_DATE_SIZE], to[RESEARCH_DATE_SIZE];
    seq_date(11, 0, from);
    seq_date(12, 6, to);
    struct research_dataset *dataset = seq_export(fixture, 1, from, to, 0, false, err, sizeof err);
    assert_non_null(dataset);
    const struct research_kanon_result *answers = &dataset->tables[RESEARCH_ANSWERS].published;
    assert_int_equal(answers->row_count, 1); /* W11 alone; the pool W10+W12 reaches outside */
    assert_int_equal(answers->rows[0].n, 9);
    bool said = false;
    for (size_t i = 0; i < dataset->note_count; i++) {
        said = said || strstr(dataset->notes[i], "snaps inward") != NULL;
    }
    assert_true(said);
    research_dataset_free(dataset);
    dataset = seq_export(fixture, 1, NULL, NULL, 0, false, err, sizeof err);
    answers = &dataset->tables[RESEARCH_ANSWERS].published;
    bool pooled = false;
    for (size_t r = 0; r < answers->row_count; r++) {
        pooled = pooled ||
                 (answers->rows[r].level == RESEARCH_LEVEL_POOLED_WEEKS && answers->rows[r].n == 5);
    }
    assert_true(pooled);
    research_dataset_free(dataset);
}

/*
 * A kiosk-written database (schema 4: answers leave the pool in per-day batches of k, the
 * rest withheld; arrivals and waits as the kiosk counts them; a few incidents): windows
 * shifted week by week, with and without context, k from the site's up. Nothing below k.
 */
static void test_kiosk_written_weeks_reveal_nothing_below_k(void **state)
{
    struct seq_fixture *fixture = *state;
    uint64_t seed = 0x0A5E14;
    struct store *store = kiosk_open(fixture->paths[0], &fixture->phases);
    assert_true(store_set_site(store, "zuid") >= 0);
    struct kiosk_profile busy = {2, 3, 6, 10, 4, 20, 30, 2};
    kiosk_weeks(store, "2026-03-02", "2026-03-08", busy, &seed);
    kiosk_weeks(store, "2026-03-16", "2026-03-22", busy, &seed);
    for (int week = 10; week <= 13; week++) {
        char date[RESEARCH_DATE_SIZE];
        seq_date(week, 2, date);
        for (int i = 0; i < week % 3; i++) {
            assert_true(store_incident(store, kiosk_at(date, 10, i), "verbal") > 0);
        }
    }
    store_flush(store);
    store_close(store);

    struct seq_attacker *attacker = seq_attacker_new(5);
    seq_read_bases(attacker, fixture, 0, "zuid");
    for (int first = 9; first <= 13; first++) {
        for (int length = 0; length < 3; length++) {
            char from[RESEARCH_DATE_SIZE], to[RESEARCH_DATE_SIZE];
            seq_date(first, 3, from);
            seq_date(first + length, 4, to);
            seq_learn_export(attacker, fixture, 1, from, to, 5 + length % 2, first % 2 == 0);
        }
    }
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, false);
    seq_learn_export(attacker, fixture, 1, NULL, NULL, 5, true);
    assert_true(attacker->rows > 20);
    assert_true(seq_assert_nothing_below_k(attacker) > 0);
    seq_attacker_free(attacker);
}

/*
 * A randomised room (experiment_days on the weekdays of weeks 11 and 12): its stress answers
 * are published day by day in ranges that keep the cut (research_kanon_daily). Busy and quiet
 * days, answers over the whole scale, two sites; every window, k from the site's up, with and
 * without context, each site alone and merged. Nothing below k, and the daily form was used.
 */
static void seq_experiment_kiosk(sqlite3 *db, uint64_t *seed)
{
    static const char *const scenes[] = {"calm", "warm"};
    static const char *const queues[] = {"0-2", "3-5"};
    for (int week = 10; week <= 13; week++) {
        for (int weekday = 0; weekday < 5; weekday++) {
            char date[RESEARCH_DATE_SIZE];
            seq_date(week, weekday, date);
            if (week == 11 || week == 12) {
                char sql[320];
                snprintf(sql, sizeof sql,
                         "INSERT INTO experiment_days(day, experiment, condition, block, slot, "
                         "seed, config_hash) VALUES ('%s', 'licht', '%s', %d, %d, '42', 'h')",
                         date, weekday % 2 ? "rustig" : "helder", (week * 5 + weekday) / 2,
                         weekday % 2);
                assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
            }
            int visits = 4 + (int)(research_test_random(seed) % 44);
            for (int v = 0; v < visits; v++) {
                uint64_t roll = research_test_random(seed);
                char answer[8];
                if ((roll >> 8) % 5 == 0) {
                    snprintf(answer, sizeof answer, "skip");
                } else {
                    snprintf(answer, sizeof answer, "%d", (int)((roll >> 12) % 11));
                }
                int hour = 9 + (int)((roll >> 16) % 2);
                seq_answers(db, date, hour, answer, scenes[(roll >> 20) % 2],
                            queues[(roll >> 22) % 2], 1);
                seq_arrivals(db, date, hour, (roll >> 30) % 5 == 0, 1);
            }
        }
    }
}

static void test_a_randomised_rooms_days_reveal_nothing_below_k(void **state)
{
    struct seq_fixture *fixture = *state;
    uint64_t seed = 0xDA7A;
    size_t day_ranges = 0;
    for (int trial = 0; trial < 2; trial++) {
        sqlite3 *a = seq_make_db(fixture, 0, "zuid", "aa112233445566778899aabbccddeeff");
        sqlite3 *b = seq_make_db(fixture, 1, "noord", "bb112233445566778899aabbccddeeff");
        for (int i = 0; i < 2; i++) {
            assert_int_equal(sqlite3_exec(i ? b : a,
                                          "DELETE FROM answer_counts; DELETE FROM arrival_counts; "
                                          "DELETE FROM experiment_days",
                                          NULL, NULL, NULL),
                             SQLITE_OK);
        }
        seq_experiment_kiosk(a, &seed);
        seq_experiment_kiosk(b, &seed);
        seq_close_db(a);
        seq_close_db(b);
        struct seq_attacker *attacker = seq_attacker_new(5);
        seq_read_bases(attacker, fixture, 0, "zuid");
        seq_read_bases(attacker, fixture, 1, "noord");
        static const unsigned masks[] = {1, 2, 3};
        for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
            for (int first = 10; first <= 13; first++) {
                for (int length = 0; length < 3; length++) {
                    char from[RESEARCH_DATE_SIZE], to[RESEARCH_DATE_SIZE], err[512];
                    seq_date(first, 2, from);
                    seq_date(first + length, 3, to);
                    struct research_dataset *dataset =
                        seq_export(fixture, masks[m], from, to, 5 + length % 2,
                                   (first + length) % 2 == 0, err, sizeof err);
                    if (dataset == NULL) {
                        fail_msg("export refused: %s", err);
                    }
                    const struct research_kanon_result *answers =
                        &dataset->tables[RESEARCH_ANSWERS].published;
                    for (size_t r = 0; r < answers->row_count; r++) {
                        day_ranges += answers->rows[r].level == RESEARCH_LEVEL_DAY &&
                                      answers->rows[r].note == RESEARCH_NOTE_RANGE;
                    }
                    seq_learn(attacker, dataset, masks[m]);
                    research_dataset_free(dataset);
                }
            }
        }
        assert_true(seq_assert_nothing_below_k(attacker) > 0);
        seq_attacker_free(attacker);
    }
    assert_true(day_ranges > 50); /* the days were published one by one, in ranges */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exports_with_another_to_date_do_not_subtract, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shifted_windows_do_not_give_weekly_incidents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_context_and_no_context_do_not_subtract, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_k_sweep_does_not_subtract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_site_alone_and_merged_do_not_subtract, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_same_site_id_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_context_views_do_not_subtract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_k_sweeps_do_not_subtract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_requests_reveal_nothing_below_k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_later_exports_repeat_every_earlier_block, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_k_below_the_sites_k_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_window_snaps_inward_to_whole_blocks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kiosk_written_weeks_reveal_nothing_below_k, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_randomised_rooms_days_reveal_nothing_below_k, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
