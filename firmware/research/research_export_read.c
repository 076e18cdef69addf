/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_read: the reading step of research_export (see research_export.h). Opens
 * each database with SQLITE_OPEN_READONLY inside one read transaction (a consistent snapshot
 * while the kiosk keeps writing), checks its schema, turns every counter row into a cell,
 * and settles which whole weeks may be exported.
 */
#include "research/research_export_internal.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "research/research_period.h"
#include "store/store.h"

static int export_column_text(struct export_build *build, sqlite3_stmt *stmt, int column,
                              struct export_column_cache *cache, uint32_t *id)
{
    const char *text = (const char *)sqlite3_column_text(stmt, column);
    int length = sqlite3_column_bytes(stmt, column);
    if (text == NULL) {
        text = "";
        length = 0;
    }
    if (cache->length == length && memcmp(cache->text, text, (size_t)length) == 0) {
        *id = cache->id;
        return 0;
    }
    int rc = texts_intern(build->dataset->texts, text, (size_t)length, id);
    if (rc == 0 && (size_t)length < sizeof cache->text) {
        memcpy(cache->text, text, (size_t)length);
        cache->length = length;
        cache->id = *id;
    }
    return rc;
}

/* Base name of path without a trailing ".db", as a site name. */
static void export_site_from_path(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t length = strlen(base);
    if (length > 3 && strcmp(base + length - 3, ".db") == 0) {
        length -= 3;
    }
    length = length < size - 1 ? length : size - 1;
    memcpy(out, base, length);
    out[length] = '\0';
}

/* Runs a query that yields one integer into *value. Returns an SQLite result code. */
static int export_query_int(sqlite3 *db, const char *sql, long long *value)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *value = sqlite3_column_int64(stmt, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* A message for an SQLite failure on path, and the errno it maps to. */
static int export_sqlite_fail(struct export_build *build, sqlite3 *db, int rc, const char *path,
                              const char *doing)
{
    int busy_ms = build->options->busy_timeout_ms > 0 ? build->options->busy_timeout_ms
                                                      : RESEARCH_BUSY_TIMEOUT_MS;
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return export_fail(build, -EBUSY,
                           "%s: locked by another program for more than %d ms while %s: try "
                           "again, or stop the program that holds it",
                           path, busy_ms, doing);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return export_fail(build, -EPROTO,
                           "%s: not an SQLite database, or damaged (%s): give the kiosk's "
                           "database file (for a damaged one: sqlite3 %s .recover)",
                           path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), path);
    case SQLITE_NOMEM:
        return export_fail(build, -ENOMEM, "%s: out of memory while %s", path, doing);
    default:
        return export_fail(build, -EIO, "%s: cannot read while %s: %s", path, doing,
                           db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
}

/*
 * The site's random id and k from meta: site_id names the kiosk whatever its
 * display name, research_k is the k its answers were batched and are published with.
 * A missing site_id makes the database its own site; a missing research_k means the
 * kiosk's [research] k (HTTP export) or RESEARCH_K_DEFAULT.
 */
static int export_read_site_meta(struct export_build *build, sqlite3 *db, const char *path,
                                 struct research_site *site)
{
    site->site_id[0] = '\0';
    site->k = build->options->site_k > 0 ? build->options->site_k : RESEARCH_K_DEFAULT;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(
        db, "SELECT key, value FROM meta WHERE key IN ('site_id', 'research_k')", -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "reading the site id");
    }
    int result = 0;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(stmt, 0);
        const char *value = (const char *)sqlite3_column_text(stmt, 1);
        if (key == NULL || value == NULL) {
            continue;
        }
        if (strcmp(key, "site_id") == 0) {
            snprintf(site->site_id, sizeof site->site_id, "%s", value);
            continue;
        }
        char *end = NULL;
        long k = strtol(value, &end, 10);
        if (end == value || *end != '\0' || k < RESEARCH_K_MIN || k > 1000) {
            result = export_fail(build, -EPROTO,
                                 "%s: meta research_k = \"%.20s\": accepted: a whole number "
                                 "from %d to 1000; the file is damaged",
                                 path, value, RESEARCH_K_MIN);
        } else {
            site->k = (int)k;
        }
    }
    if (result == 0 && rc != SQLITE_DONE) {
        result = export_sqlite_fail(build, db, rc, path, "reading the site id");
    }
    sqlite3_finalize(stmt);
    return result;
}

/* Checks that db is an Oase database this code can read; fills site. */
static int export_check_database(struct export_build *build, sqlite3 *db, const char *path,
                                 struct research_site *site)
{
    long long application_id = 0, version = 0, codebook = 0;
    int rc = export_query_int(db, "PRAGMA application_id", &application_id);
    if (rc == SQLITE_OK) {
        rc = export_query_int(db, "PRAGMA user_version", &version);
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == SQLITE_OK; t++) {
        long long present = 0;
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
                 export_tables[t].source);
        rc = export_query_int(db, sql, &present);
        site->has_table[t] = present > 0;
    }
    if (rc == SQLITE_OK) {
        rc = export_query_int(db,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name IN ('codebook', 'phase_configs')",
                              &codebook);
    }
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "checking what the file is");
    }
    if (application_id != STORE_APPLICATION_ID) {
        return export_fail(build, -EPROTO,
                           "%s: not an Oase database (application_id 0x%08llX; a kiosk database "
                           "has 0x%08X): give the file the kiosk writes (--db of oase)",
                           path, (unsigned long long)application_id & 0xFFFFFFFFull,
                           STORE_APPLICATION_ID);
    }
    if (version > RESEARCH_SCHEMA_MAX) {
        return export_fail(build, -EPROTO,
                           "%s: schema version %lld is newer than this program knows (it reads "
                           "versions %d to %d): use the oase-export of the firmware that wrote it",
                           path, version, RESEARCH_SCHEMA_MIN, RESEARCH_SCHEMA_MAX);
    }
    if (version < RESEARCH_SCHEMA_MIN) {
        return export_fail(build, -EPROTO,
                           "%s: schema version %lld has no counters yet (this program reads "
                           "versions %d to %d): let the kiosk open it once, or give another file",
                           path, version, RESEARCH_SCHEMA_MIN, RESEARCH_SCHEMA_MAX);
    }
    site->schema_version = (int)version;
    site->has_incidents = site->has_table[RESEARCH_INCIDENTS];
    site->has_codebook = codebook == 2;
    if (version < RESEARCH_SCHEMA_V3) { /* a v2 file never has v3 tables, whatever it holds */
        for (int t = RESEARCH_RESPONSES; t < RESEARCH_TABLE_COUNT; t++) {
            site->has_table[t] = false;
        }
        site->has_codebook = false;
    }
    const char *slash = strrchr(path, '/');
    snprintf(site->source, sizeof site->source, "%s", slash ? slash + 1 : path);

    rc = export_read_site_meta(build, db, path, site);
    if (rc != 0) {
        return rc;
    }
    if (build->options->site != NULL && build->options->site[0] != '\0') {
        snprintf(site->name, sizeof site->name, "%s", build->options->site);
        site->named_by = "--site";
        return 0;
    }
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'site'", -1, &stmt, NULL);
    if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) &&
        sqlite3_column_text(stmt, 0)[0] != '\0') {
        snprintf(site->name, sizeof site->name, "%s", (const char *)sqlite3_column_text(stmt, 0));
        site->named_by = "meta table";
    } else {
        export_site_from_path(path, site->name, sizeof site->name);
        site->named_by = "file name";
    }
    sqlite3_finalize(stmt);
    return 0;
}

/* Reads one table of db into build->tables[table]. */
static int export_read_table(struct export_build *build, sqlite3 *db, const char *path,
                             enum research_table_id table, uint32_t site_text, int schema_version,
                             const char *from_text, const char *to_text)
{
    const struct export_table_desc *desc = &export_tables[table];
    struct export_table_cells *target = &build->tables[table];
    sqlite3_stmt *stmt = NULL;
    const char *select = desc->select_v2 != NULL && schema_version < RESEARCH_SCHEMA_V3
                             ? desc->select_v2
                             : desc->select;
    int rc = sqlite3_prepare_v2(db, select, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "reading the counters");
    }
    sqlite3_bind_text(stmt, 1, from_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, to_text, -1, SQLITE_STATIC);
    int key_parts = desc->key_parts; /* room context always: one view per block */
    int key_column = 3 + desc->series_parts;
    int n_column = key_column + desc->key_parts;
    struct export_column_cache caches[1 + 2 + 5];
    for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++) {
        caches[i].length = -1;
    }
    char last_day_text[RESEARCH_DATE_SIZE] = "";
    int32_t last_day = 0;
    int result = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *day_text = (const char *)sqlite3_column_text(stmt, 0);
        if (day_text == NULL) {
            day_text = "";
        }
        if (strcmp(day_text, last_day_text) != 0) {
            if (research_day_parse(day_text, &last_day) != 0) {
                result = export_fail(build, -EPROTO,
                                     "%s: %s has the day \"%.20s\", which is not a date: the "
                                     "file is damaged",
                                     path, desc->source, day_text);
                break;
            }
            snprintf(last_day_text, sizeof last_day_text, "%s", day_text);
        }
        struct research_tuple series = {{site_text, 0, 0, 0, 0, 0}};
        struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
        result = export_column_text(build, stmt, 2, &caches[0], &series.text[1]);
        for (int p = 0; p < desc->series_parts && result == 0; p++) {
            result = export_column_text(build, stmt, 3 + p, &caches[1 + p], &series.text[2 + p]);
        }
        for (int p = 0; p < key_parts && result == 0; p++) {
            result = export_column_text(build, stmt, key_column + p, &caches[3 + p], &key.text[p]);
        }
        struct research_cell cell = {.day = last_day,
                                     .hour = sqlite3_column_int(stmt, 1),
                                     .n = sqlite3_column_int64(stmt, n_column)};
        if (result == 0) {
            result = tuples_intern(&target->series, &series, &cell.series);
        }
        if (result == 0) {
            result = tuples_intern(&target->keys, &key, &cell.key);
        }
        if (result != 0) {
            result = export_fail(build, result, "%s: out of memory reading %s", path, desc->source);
            break;
        }
        if (cell.n <= 0 || cell.hour < -1 || cell.hour > 23) {
            result = export_fail(build, -EPROTO,
                                 "%s: %s has a count of %lld at hour %d: the file is damaged", path,
                                 desc->source, (long long)cell.n, cell.hour);
            break;
        }
        if (table == RESEARCH_ANSWERS || table == RESEARCH_RESPONSES) {
            cell.hour = -1; /* answers are published per day at the finest, whatever the schema:
                               schema 4 writes them per day (hour -1), older files per hour, and
                               one rule for both keeps every export of a week the same */
        }
        if (build->total_cells >= RESEARCH_MAX_CELLS) {
            result = export_fail(build, -E2BIG,
                                 "more than %u counter cells in the databases given: export "
                                 "fewer sites or a shorter period (--from, --to)",
                                 RESEARCH_MAX_CELLS);
            break;
        }
        if (export_grow((void **)&target->cells, &target->capacity, target->count + 1,
                        sizeof target->cells[0]) != 0) {
            result =
                export_fail(build, -ENOMEM, "%s: out of memory reading %s", path, desc->source);
            break;
        }
        target->cells[target->count++] = cell;
        build->total_cells++;
    }
    if (result == 0 && rc != SQLITE_DONE) {
        result = export_sqlite_fail(build, db, rc, path, "reading the counters");
    }
    sqlite3_finalize(stmt);
    return result;
}

/* A day column of the codebook tables; -EPROTO with a message when it is not a date. */
static int export_column_day(struct export_build *build, sqlite3_stmt *stmt, int column,
                             const char *path, const char *table, int32_t *day)
{
    const char *text = (const char *)sqlite3_column_text(stmt, column);
    if (text == NULL || research_day_parse(text, day) != 0) {
        return export_fail(build, -EPROTO,
                           "%s: %s has the day \"%.20s\", which is not a date: the file is "
                           "damaged",
                           path, table, text ? text : "");
    }
    return 0;
}

/* Reads the codebook and the phase configurations of one database (schema 3). */
static int export_read_codebook(struct export_build *build, sqlite3 *db, const char *path,
                                uint32_t site_text)
{
    struct research_dataset *dataset = build->dataset;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT item, lang, version, text, first_day, last_day FROM "
                                "codebook ORDER BY item, lang, version",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "reading the codebook");
    }
    int result = 0;
    size_t capacity = dataset->codebook_count;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct research_codebook_entry entry = {.site = site_text,
                                                .version = sqlite3_column_int(stmt, 2)};
        struct export_column_cache cache = {.length = -1};
        result = export_column_text(build, stmt, 0, &cache, &entry.item);
        cache.length = -1;
        result = result ? result : export_column_text(build, stmt, 1, &cache, &entry.lang);
        cache.length = -1;
        result = result ? result : export_column_text(build, stmt, 3, &cache, &entry.text);
        result =
            result ? result : export_column_day(build, stmt, 4, path, "codebook", &entry.first_day);
        result =
            result ? result : export_column_day(build, stmt, 5, path, "codebook", &entry.last_day);
        if (result == 0) {
            result = export_grow((void **)&dataset->codebook, &capacity,
                                 dataset->codebook_count + 1, sizeof dataset->codebook[0]);
        }
        if (result == 0) {
            dataset->codebook[dataset->codebook_count++] = entry;
        }
    }
    if (result == 0 && rc != SQLITE_DONE) {
        result = export_sqlite_fail(build, db, rc, path, "reading the codebook");
    }
    sqlite3_finalize(stmt);
    if (result != 0) {
        return result;
    }
    rc = sqlite3_prepare_v2(db,
                            "SELECT phase, config_hash, first_day, last_day FROM phase_configs "
                            "ORDER BY first_day, phase",
                            -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "reading the phase configurations");
    }
    capacity = dataset->phase_config_count;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct research_phase_config config = {.site = site_text};
        struct export_column_cache cache = {.length = -1};
        result = export_column_text(build, stmt, 0, &cache, &config.phase);
        cache.length = -1;
        result = result ? result : export_column_text(build, stmt, 1, &cache, &config.hash);
        result = result
                     ? result
                     : export_column_day(build, stmt, 2, path, "phase_configs", &config.first_day);
        result = result
                     ? result
                     : export_column_day(build, stmt, 3, path, "phase_configs", &config.last_day);
        if (result == 0) {
            result = export_grow((void **)&dataset->phase_configs, &capacity,
                                 dataset->phase_config_count + 1, sizeof dataset->phase_configs[0]);
        }
        if (result == 0) {
            dataset->phase_configs[dataset->phase_config_count++] = config;
        }
    }
    if (result == 0 && rc != SQLITE_DONE) {
        result = export_sqlite_fail(build, db, rc, path, "reading the phase configurations");
    }
    sqlite3_finalize(stmt);
    return result;
}

/* Opens one database read-only and reads its counters inside one read transaction. */
int export_read_database(struct export_build *build, const char *path, struct research_site *site,
                         const char *from_text, const char *to_text)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int error = errno;
        return export_fail(build, error == ENOENT ? -ENOENT : -error,
                           "%s: %s: give the path of a kiosk database (--db)", path,
                           strerror(error));
    }
    if (!S_ISREG(st.st_mode)) {
        return export_fail(build, -EINVAL, "%s: not a regular file: give a kiosk database (--db)",
                           path);
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int result = export_fail(build, -EIO, "%s: cannot open read-only: %s", path,
                                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return result;
    }
    sqlite3_busy_timeout(db, build->options->busy_timeout_ms > 0 ? build->options->busy_timeout_ms
                                                                 : RESEARCH_BUSY_TIMEOUT_MS);
    int result = 0;
    rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one snapshot for every table */
    if (rc != SQLITE_OK) {
        result = export_sqlite_fail(build, db, rc, path, "starting to read");
        goto out_close;
    }
    result = export_check_database(build, db, path, site);
    if (result != 0) {
        goto out_rollback;
    }
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(db, "SELECT min(day) FROM arrivals", -1, &stmt, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int32_t day = 0;
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        if (text != NULL && research_day_parse(text, &day) == 0 && day < build->unfolded_first) {
            build->unfolded_first = day;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK) {
        result = export_sqlite_fail(build, db, rc, path, "looking for unfolded days");
        goto out_rollback;
    }
    uint32_t site_text = 0;
    result = texts_intern(build->dataset->texts, site->name, strlen(site->name), &site_text);
    for (int table = 0; table < RESEARCH_TABLE_COUNT && result == 0; table++) {
        if (!site->has_table[table]) {
            continue;
        }
        result = export_read_table(build, db, path, (enum research_table_id)table, site_text,
                                   site->schema_version, from_text, to_text);
    }
    if (result == 0 && site->has_codebook) {
        result = export_read_codebook(build, db, path, site_text);
    }
    if (result == 0 && site->schema_version >= RESEARCH_SCHEMA_V5) {
        char why[RESEARCH_NOTE_MAX] = "";
        result =
            research_export_read_experiment(db, path, site_text, build->dataset, why, sizeof why);
        result = result ? export_fail(build, result, "%s", why) : 0;
    }
out_rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL); /* ends the read; nothing was written */
out_close:
    sqlite3_close(db);
    return result;
}

static int32_t export_sunday_on_or_before(int32_t day)
{
    return day - (research_day_weekday(day) + 1) % 7;
}

/* Parses an option date; "" and NULL mean none (*given false). */
int export_option_day(struct export_build *build, const char *option, const char *text,
                      int32_t *day, bool *given)
{
    *given = text != NULL && text[0] != '\0';
    if (*given && research_day_parse(text, day) != 0) {
        return export_fail(build, -EINVAL,
                           "%s %s: not a date: give YYYY-MM-DD, a day that exists, from "
                           "1970-01-01 on",
                           option, text);
    }
    return 0;
}

static int export_today(struct export_build *build, int32_t *today)
{
    bool given = false;
    int rc = export_option_day(build, "today", build->options->today, today, &given);
    if (rc != 0 || given) {
        return rc;
    }
    struct oase_clock clock;
    clock_init_real(&clock);
    struct oase_localtime local;
    clock_local(clock_now_ms(&clock), &local);
    return research_day_parse(local.date, today) == 0
               ? 0
               : export_fail(build, -EIO, "the system date %s is not usable", local.date);
}

/* Refuses the same file given twice (its counts would be added twice). */
int export_check_distinct(struct export_build *build)
{
    const struct research_export_options *options = build->options;
    for (size_t i = 0; i < options->db_count; i++) {
        struct stat a;
        if (stat(options->db_paths[i], &a) != 0) {
            continue; /* reported when it is read */
        }
        for (size_t j = i + 1; j < options->db_count; j++) {
            struct stat b;
            if (stat(options->db_paths[j], &b) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino) {
                return export_fail(build, -EINVAL,
                                   "%s and %s are the same file: give each database once",
                                   options->db_paths[i], options->db_paths[j]);
            }
        }
    }
    return 0;
}

/* Decides the exported weeks and drops cells outside them. */
int export_settle_range(struct export_build *build, int32_t from_day, bool from_given,
                        int32_t to_day, bool to_given)
{
    struct research_dataset *dataset = build->dataset;
    int32_t today = 0;
    int rc = export_today(build, &today);
    if (rc != 0) {
        return rc;
    }
    char text[RESEARCH_DATE_SIZE], other[RESEARCH_DATE_SIZE];
    int32_t limit = today;
    bool unfolded = build->unfolded_first < today;
    if (unfolded) {
        limit = build->unfolded_first;
    }
    int32_t cap = export_sunday_on_or_before(limit - 1);
    int32_t earliest = INT32_MAX, latest = INT32_MIN;
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        for (size_t i = 0; i < build->tables[t].count; i++) {
            int32_t day = build->tables[t].cells[i].day;
            earliest = day < earliest ? day : earliest;
            latest = day > latest ? day : latest;
        }
    }
    int32_t first = from_given ? research_week_monday(from_day)
                               : (earliest == INT32_MAX ? cap + 1 : research_week_monday(earliest));
    int32_t last = to_given              ? export_sunday_on_or_before(to_day + 6)
                   : latest == INT32_MIN ? cap
                                         : export_sunday_on_or_before(latest + 6);
    if (from_given && first != from_day) {
        research_day_format(from_day, text);
        research_day_format(first, other);
        export_note(dataset, "--from %s widened to Monday %s: the export holds whole ISO weeks",
                    text, other);
    }
    if (to_given && last != to_day) {
        research_day_format(to_day, text);
        research_day_format(last, other);
        export_note(dataset, "--to %s widened to Sunday %s: the export holds whole ISO weeks", text,
                    other);
    }
    if (last > cap) {
        research_day_format(cap + 1, text);
        research_day_format(limit, other);
        if (unfolded) {
            export_note(dataset,
                        "days from %s on are left out: %s still has arrivals that are not yet "
                        "counted (the kiosk folds them at closing time), so its week is not final",
                        text, other);
        } else {
            export_note(dataset,
                        "days from %s on are left out: the week of today (%s) is not over, and "
                        "an export of a growing week could be compared with a later one",
                        text, other);
        }
        last = cap;
    }
    dataset->first_day = first;
    dataset->last_day = last;
    size_t kept_entries = 0; /* wordings and configurations in use during the export */
    for (size_t i = 0; i < dataset->codebook_count; i++) {
        if (dataset->codebook[i].last_day >= first && dataset->codebook[i].first_day <= last) {
            dataset->codebook[kept_entries++] = dataset->codebook[i];
        }
    }
    dataset->codebook_count = kept_entries;
    kept_entries = 0;
    for (size_t i = 0; i < dataset->phase_config_count; i++) {
        if (dataset->phase_configs[i].last_day >= first &&
            dataset->phase_configs[i].first_day <= last) {
            dataset->phase_configs[kept_entries++] = dataset->phase_configs[i];
        }
    }
    dataset->phase_config_count = kept_entries;
    /* Every week up to cap is published (blocks come from the whole history);
       export_keep_window shows the blocks inside first..last afterwards. */
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct export_table_cells *table = &build->tables[t];
        size_t kept = 0;
        for (size_t i = 0; i < table->count; i++) {
            if (table->cells[i].day <= cap) {
                table->cells[kept++] = table->cells[i];
            }
        }
        table->count = kept;
    }
    return 0;
}
