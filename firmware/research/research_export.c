/*
 * research_export: reading side (see research_export.h). Opens each database with
 * SQLITE_OPEN_READONLY inside one read transaction (a consistent snapshot while the kiosk
 * keeps writing), turns every counter row into a numbered research_cell, decides which
 * whole weeks may be exported, and runs research_kanon per table. Writing CSV and JSON is
 * research_export_write.c.
 */
#include "research/research_export.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "research/research_period.h"
#include "store/store.h"

/* How each store table becomes an exported table. */
struct export_table_desc {
    const char *name;
    const char *source; /* the store's table */
    const char *select; /* day, hour (or -1), phase, series parts, key parts, n */
    int series_parts;   /* series columns after site and phase (0..2) */
    const char *series_columns[2];
    int key_parts; /* 1..4 */
    const char *key_columns[4];
    int context_parts; /* trailing key parts exported only with_context */
};

static const struct export_table_desc export_tables[RESEARCH_TABLE_COUNT] = {
    [RESEARCH_ANSWERS] = {"answers",
                          "answer_counts",
                          "SELECT day, hour, phase, moment, question, answer, scene, sound, "
                          "queue_band, n FROM answer_counts WHERE day >= ?1 AND day <= ?2",
                          2,
                          {"moment", "question"},
                          4,
                          {"answer", "scene", "sound", "queue_band"},
                          3},
    [RESEARCH_ARRIVALS] = {"arrivals",
                           "arrival_counts",
                           "SELECT day, hour, phase, wants_word, n FROM arrival_counts "
                           "WHERE day >= ?1 AND day <= ?2",
                           0,
                           {NULL, NULL},
                           1,
                           {"wants_word", NULL, NULL, NULL},
                           0},
    [RESEARCH_JOURNEYS] = {"journeys",
                           "journey_counts",
                           "SELECT day, hour, phase, moment, outcome, last_screen, n "
                           "FROM journey_counts WHERE day >= ?1 AND day <= ?2",
                           2,
                           {"moment", "outcome"},
                           1,
                           {"last_screen", NULL, NULL, NULL},
                           0},
    [RESEARCH_WAITS] = {"waits",
                        "wait_counts",
                        "SELECT day, -1, phase, outcome, wait_band, n FROM wait_counts "
                        "WHERE day >= ?1 AND day <= ?2",
                        0,
                        {NULL, NULL},
                        2,
                        {"outcome", "wait_band", NULL, NULL},
                        0},
    [RESEARCH_INCIDENTS] = {"incidents",
                            "incident_counts",
                            "SELECT day, -1, phase, kind, n FROM incident_counts "
                            "WHERE day >= ?1 AND day <= ?2",
                            0,
                            {NULL, NULL},
                            1,
                            {"kind", NULL, NULL, NULL},
                            0},
};

/* The store's waiting-time bands (firmware/store/store_sql.c), in order, with their minutes. */
static const struct {
    const char *band;
    int low, high; /* high -1: open-ended */
} export_wait_bands[] = {{"0-5", 0, 5},     {"5-10", 5, 10},   {"10-15", 10, 15}, {"15-20", 15, 20},
                         {"20-30", 20, 30}, {"30-45", 30, 45}, {"45-60", 45, 60}, {"60+", 60, -1}};
#define EXPORT_WAIT_BANDS (sizeof export_wait_bands / sizeof export_wait_bands[0])

/* ---- interned texts ------------------------------------------------------------------- */

struct research_texts {
    char **items;
    size_t count, capacity;
    uint32_t *slots; /* open addressing: item number + 1, 0 = empty */
    size_t slot_capacity;
};

static uint64_t export_hash(const void *data, size_t length)
{
    const unsigned char *bytes = data;
    uint64_t hash = 0xCBF29CE484222325ull; /* FNV-1a */
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ bytes[i]) * 0x100000001B3ull;
    }
    return hash;
}

static int export_grow(void **buffer, size_t *capacity, size_t need, size_t size)
{
    if (need <= *capacity) {
        return 0;
    }
    size_t grown = *capacity < 16 ? 16 : *capacity;
    while (grown < need) {
        grown *= 2;
    }
    if (grown > SIZE_MAX / size) {
        return -ENOMEM;
    }
    void *bigger = realloc(*buffer, grown * size);
    if (bigger == NULL) {
        return -ENOMEM;
    }
    *buffer = bigger;
    *capacity = grown;
    return 0;
}

/* Rebuilds a slot table of twice the size for count items, hashing each with hash_of. */
static int export_rehash(uint32_t **slots, size_t *slot_capacity, size_t count,
                         uint64_t (*hash_of)(const void *items, size_t index), const void *items)
{
    size_t capacity = *slot_capacity ? *slot_capacity * 2 : 64;
    uint32_t *fresh = calloc(capacity, sizeof fresh[0]);
    if (fresh == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        size_t slot = (size_t)hash_of(items, i) & (capacity - 1);
        while (fresh[slot] != 0) {
            slot = (slot + 1) & (capacity - 1);
        }
        fresh[slot] = (uint32_t)i + 1;
    }
    free(*slots);
    *slots = fresh;
    *slot_capacity = capacity;
    return 0;
}

static uint64_t export_text_hash_at(const void *items, size_t index)
{
    const char *text = ((char *const *)items)[index];
    return export_hash(text, strlen(text));
}

static int texts_intern(struct research_texts *texts, const char *text, size_t length, uint32_t *id)
{
    if (texts->slot_capacity == 0 || (texts->count + 1) * 2 > texts->slot_capacity) {
        int rc = export_rehash(&texts->slots, &texts->slot_capacity, texts->count,
                               export_text_hash_at, texts->items);
        if (rc != 0) {
            return rc;
        }
    }
    size_t mask = texts->slot_capacity - 1;
    size_t slot = (size_t)export_hash(text, length) & mask;
    while (texts->slots[slot] != 0) {
        const char *known = texts->items[texts->slots[slot] - 1];
        if (strncmp(known, text, length) == 0 && known[length] == '\0') {
            *id = texts->slots[slot] - 1;
            return 0;
        }
        slot = (slot + 1) & mask;
    }
    if (texts->count >= UINT32_MAX - 1) {
        return -E2BIG;
    }
    int rc = export_grow((void **)&texts->items, &texts->capacity, texts->count + 1,
                         sizeof texts->items[0]);
    char *copy = rc == 0 ? malloc(length + 1) : NULL;
    if (copy == NULL) {
        return -ENOMEM;
    }
    memcpy(copy, text, length);
    copy[length] = '\0';
    texts->items[texts->count] = copy;
    texts->slots[slot] = (uint32_t)texts->count + 1;
    *id = (uint32_t)texts->count++;
    return 0;
}

static void texts_free(struct research_texts *texts)
{
    if (texts == NULL) {
        return;
    }
    for (size_t i = 0; i < texts->count; i++) {
        free(texts->items[i]);
    }
    free(texts->items);
    free(texts->slots);
    free(texts);
}

/* ---- numbered tuples (series and keys of one table) -------------------------------------- */

struct export_tuples {
    struct research_tuple *items;
    size_t count, capacity;
    uint32_t *slots;
    size_t slot_capacity;
};

static uint64_t export_tuple_hash_at(const void *items, size_t index)
{
    const struct research_tuple *tuple = &((const struct research_tuple *)items)[index];
    return export_hash(tuple->text, sizeof tuple->text);
}

static int tuples_intern(struct export_tuples *tuples, const struct research_tuple *tuple,
                         uint32_t *id)
{
    if (tuples->slot_capacity == 0 || (tuples->count + 1) * 2 > tuples->slot_capacity) {
        int rc = export_rehash(&tuples->slots, &tuples->slot_capacity, tuples->count,
                               export_tuple_hash_at, tuples->items);
        if (rc != 0) {
            return rc;
        }
    }
    size_t mask = tuples->slot_capacity - 1;
    size_t slot = (size_t)export_hash(tuple->text, sizeof tuple->text) & mask;
    while (tuples->slots[slot] != 0) {
        if (memcmp(&tuples->items[tuples->slots[slot] - 1], tuple, sizeof *tuple) == 0) {
            *id = tuples->slots[slot] - 1;
            return 0;
        }
        slot = (slot + 1) & mask;
    }
    int rc = export_grow((void **)&tuples->items, &tuples->capacity, tuples->count + 1,
                         sizeof tuples->items[0]);
    if (rc != 0) {
        return rc;
    }
    tuples->items[tuples->count] = *tuple;
    tuples->slots[slot] = (uint32_t)tuples->count + 1;
    *id = (uint32_t)tuples->count++;
    return 0;
}

/* ---- the build ------------------------------------------------------------------------- */

/* The last text read from one result column, so repeated values are not hashed again. */
struct export_column_cache {
    char text[64];
    int length; /* -1: nothing cached */
    uint32_t id;
};

struct export_table_cells {
    struct research_cell *cells;
    size_t count, capacity;
    struct export_tuples series, keys;
};

struct export_build {
    const struct research_export_options *options;
    struct research_dataset *dataset;
    struct export_table_cells tables[RESEARCH_TABLE_COUNT];
    size_t total_cells;
    int32_t unfolded_first; /* the earliest day that still has arrival rows; INT32_MAX: none */
    char *err;
    size_t err_size;
};

__attribute__((format(printf, 3, 4))) static int export_fail(struct export_build *build, int rc,
                                                             const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(build->err, build->err_size, fmt, args);
    va_end(args);
    return rc;
}

__attribute__((format(printf, 2, 3))) static void export_note(struct research_dataset *dataset,
                                                              const char *fmt, ...)
{
    if (dataset->note_count >= RESEARCH_NOTES) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(dataset->notes[dataset->note_count++], RESEARCH_NOTE_MAX, fmt, args);
    va_end(args);
}

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

/* Checks that db is an Oase database this code can read; fills site. */
static int export_check_database(struct export_build *build, sqlite3 *db, const char *path,
                                 struct research_site *site)
{
    long long application_id = 0, version = 0, incidents = 0;
    int rc = export_query_int(db, "PRAGMA application_id", &application_id);
    if (rc == SQLITE_OK) {
        rc = export_query_int(db, "PRAGMA user_version", &version);
    }
    if (rc == SQLITE_OK) {
        rc = export_query_int(db,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name = 'incident_counts'",
                              &incidents);
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
    if (version > STORE_SCHEMA_VERSION) {
        return export_fail(build, -EPROTO,
                           "%s: schema version %lld is newer than this program knows (up to %d): "
                           "use the oase-export of the firmware that wrote it",
                           path, version, STORE_SCHEMA_VERSION);
    }
    if (version < 1) {
        return export_fail(build, -EPROTO,
                           "%s: schema version %lld has no counters yet: let the kiosk open it "
                           "once, or give another file",
                           path, version);
    }
    site->schema_version = (int)version;
    site->has_incidents = incidents > 0;
    const char *slash = strrchr(path, '/');
    snprintf(site->source, sizeof site->source, "%s", slash ? slash + 1 : path);

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
                             enum research_table_id table, uint32_t site_text,
                             const char *from_text, const char *to_text)
{
    const struct export_table_desc *desc = &export_tables[table];
    struct export_table_cells *target = &build->tables[table];
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, desc->select, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return export_sqlite_fail(build, db, rc, path, "reading the counters");
    }
    sqlite3_bind_text(stmt, 1, from_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, to_text, -1, SQLITE_STATIC);
    int key_parts = desc->key_parts - (build->options->with_context ? 0 : desc->context_parts);
    int key_column = 3 + desc->series_parts;
    int n_column = key_column + desc->key_parts;
    struct export_column_cache caches[1 + 2 + 4];
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
        struct research_tuple series = {{site_text, 0, 0, 0}};
        struct research_tuple key = {{0, 0, 0, 0}};
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

/* Opens one database read-only and reads its counters inside one read transaction. */
static int export_read_database(struct export_build *build, const char *path,
                                struct research_site *site, const char *from_text,
                                const char *to_text)
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
        if (table == RESEARCH_INCIDENTS && !site->has_incidents) {
            continue;
        }
        result = export_read_table(build, db, path, (enum research_table_id)table, site_text,
                                   from_text, to_text);
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
static int export_option_day(struct export_build *build, const char *option, const char *text,
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
static int export_check_distinct(struct export_build *build)
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
static int export_settle_range(struct export_build *build, int32_t from_day, bool from_given,
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
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct export_table_cells *table = &build->tables[t];
        size_t kept = 0;
        for (size_t i = 0; i < table->count; i++) {
            if (table->cells[i].day >= first && table->cells[i].day <= last) {
                table->cells[kept++] = table->cells[i];
            }
        }
        table->count = kept;
    }
    return 0;
}

/* ---- numbering series and keys in a readable order ------------------------------------ */

struct export_order_context {
    const struct research_dataset *dataset;
    enum research_table_id table;
    const struct research_tuple *tuples;
    const int32_t *phase_first_day; /* per text number; INT32_MAX: not a phase */
    const struct research_key_order *orders;
};

static int export_compare_texts(const struct research_dataset *dataset, uint32_t a, uint32_t b)
{
    return a == b ? 0
                  : strcmp(research_dataset_text(dataset, a), research_dataset_text(dataset, b));
}

/* Series: by site, then phase in order of its first day, then the other parts by name. */
static int export_compare_series(const void *a, const void *b, void *argument)
{
    const struct export_order_context *context = argument;
    const struct research_tuple *x = &context->tuples[*(const uint32_t *)a];
    const struct research_tuple *y = &context->tuples[*(const uint32_t *)b];
    int order = export_compare_texts(context->dataset, x->text[0], y->text[0]);
    if (order != 0) {
        return order;
    }
    int32_t first_x = context->phase_first_day[x->text[1]];
    int32_t first_y = context->phase_first_day[y->text[1]];
    if (first_x != first_y) {
        return first_x < first_y ? -1 : 1;
    }
    for (int part = 1; part < 4; part++) {
        order = export_compare_texts(context->dataset, x->text[part], y->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/*
 * The parts of a key that say which scale it is on: the room context of an answer
 * (scene, sound, queue band), the outcome of a waiting-time band.
 */
static int export_compare_scale(const struct export_order_context *context,
                                const struct research_tuple *x, const struct research_tuple *y)
{
    if (context->table == RESEARCH_WAITS) {
        return export_compare_texts(context->dataset, x->text[0], y->text[0]);
    }
    for (int part = 1; part < 4; part++) {
        int order = export_compare_texts(context->dataset, x->text[part], y->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/* Keys: ordered scales first (by scale, then position), nominal keys after, by name. */
static int export_compare_keys(const void *a, const void *b, void *argument)
{
    const struct export_order_context *context = argument;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const struct research_key_order *x = &context->orders[i], *y = &context->orders[j];
    const struct research_tuple *tx = &context->tuples[i], *ty = &context->tuples[j];
    if ((x->group < 0) != (y->group < 0)) {
        return x->group < 0 ? 1 : -1;
    }
    if (x->group >= 0) {
        int order = export_compare_scale(context, tx, ty);
        if (order != 0) {
            return order;
        }
        if (x->position != y->position) {
            return x->position < y->position ? -1 : 1;
        }
    }
    for (int part = 0; part < 4; part++) {
        int order = export_compare_texts(context->dataset, tx->text[part], ty->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/* Answers 0..100 written as plain digits lie on a scale; anything else is nominal. */
static int export_answer_position(const char *answer)
{
    size_t length = strlen(answer);
    if (length == 0 || length > 3) {
        return -1;
    }
    int value = 0;
    for (size_t i = 0; i < length; i++) {
        if (answer[i] < '0' || answer[i] > '9' || (i == 0 && answer[i] == '0' && length > 1)) {
            return -1;
        }
        value = value * 10 + (answer[i] - '0');
    }
    return value <= 100 ? value : -1;
}

static int export_wait_band_index(const char *band)
{
    for (size_t i = 0; i < EXPORT_WAIT_BANDS; i++) {
        if (strcmp(export_wait_bands[i].band, band) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* The scale (if any) each key of a table lies on; groups are numbered later. */
static void export_key_orders(const struct research_dataset *dataset, enum research_table_id table,
                              const struct research_tuple *keys, size_t count,
                              struct research_key_order *orders)
{
    for (size_t i = 0; i < count; i++) {
        int position = -1;
        if (table == RESEARCH_ANSWERS) {
            position = export_answer_position(research_dataset_text(dataset, keys[i].text[0]));
        } else if (table == RESEARCH_WAITS &&
                   strcmp(research_dataset_text(dataset, keys[i].text[0]), "collected") == 0) {
            position = export_wait_band_index(research_dataset_text(dataset, keys[i].text[1]));
        }
        orders[i] = (struct research_key_order){.group = position >= 0 ? 0 : -1,
                                                .position = position >= 0 ? position : 0};
    }
}

/* Numbers one table's series and keys in sorted order and moves them into the dataset. */
static int export_number_table(struct export_build *build, enum research_table_id table,
                               const int32_t *phase_first_day)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *source = &build->tables[table];
    struct research_table *target = &dataset->tables[table];
    size_t series_count = source->series.count, key_count = source->keys.count;
    uint32_t *series_order = malloc((series_count + 1) * sizeof series_order[0]);
    uint32_t *key_order = malloc((key_count + 1) * sizeof key_order[0]);
    uint32_t *series_number = malloc((series_count + 1) * sizeof series_number[0]);
    uint32_t *key_number = malloc((key_count + 1) * sizeof key_number[0]);
    struct research_key_order *orders = malloc((key_count + 1) * sizeof orders[0]);
    target->series = malloc((series_count + 1) * sizeof target->series[0]);
    target->keys = malloc((key_count + 1) * sizeof target->keys[0]);
    target->key_order = malloc((key_count + 1) * sizeof target->key_order[0]);
    int rc = -ENOMEM;
    if (series_order == NULL || key_order == NULL || series_number == NULL || key_number == NULL ||
        orders == NULL || target->series == NULL || target->keys == NULL ||
        target->key_order == NULL) {
        goto out_free;
    }
    export_key_orders(dataset, table, source->keys.items, key_count, orders);
    for (size_t i = 0; i < series_count; i++) {
        series_order[i] = (uint32_t)i;
    }
    for (size_t i = 0; i < key_count; i++) {
        key_order[i] = (uint32_t)i;
    }
    struct export_order_context context = {dataset, table, source->series.items, phase_first_day,
                                           orders};
    qsort_r(series_order, series_count, sizeof series_order[0], export_compare_series, &context);
    context.tuples = source->keys.items;
    qsort_r(key_order, key_count, sizeof key_order[0], export_compare_keys, &context);

    for (size_t i = 0; i < series_count; i++) {
        series_number[series_order[i]] = (uint32_t)i;
        target->series[i] = source->series.items[series_order[i]];
    }
    int32_t group = -1;
    for (size_t i = 0; i < key_count; i++) {
        uint32_t old = key_order[i];
        key_number[old] = (uint32_t)i;
        target->keys[i] = source->keys.items[old];
        target->key_order[i] = orders[old];
        if (orders[old].group >= 0) { /* a new scale starts where the scale's parts change */
            bool same_scale =
                i > 0 && target->key_order[i - 1].group >= 0 &&
                export_compare_scale(&context, &target->keys[i - 1], &target->keys[i]) == 0;
            group += same_scale ? 0 : 1;
            target->key_order[i].group = group;
        }
    }
    target->series_count = series_count;
    target->key_count = key_count;
    for (size_t i = 0; i < source->count; i++) {
        source->cells[i].series = series_number[source->cells[i].series];
        source->cells[i].key = key_number[source->cells[i].key];
    }
    rc = 0;
out_free:
    free(series_order);
    free(key_order);
    free(series_number);
    free(key_number);
    free(orders);
    return rc;
}

/* Numbers, then publishes every table. */
static int export_publish(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    size_t text_count = dataset->texts->count;
    int32_t *phase_first_day = malloc((text_count + 1) * sizeof phase_first_day[0]);
    if (phase_first_day == NULL) {
        return export_fail(build, -ENOMEM, "out of memory");
    }
    for (size_t i = 0; i <= text_count; i++) {
        phase_first_day[i] = INT32_MAX;
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        const struct export_table_cells *table = &build->tables[t];
        for (size_t i = 0; i < table->count; i++) {
            uint32_t phase = table->series.items[table->cells[i].series].text[1];
            if (table->cells[i].day < phase_first_day[phase]) {
                phase_first_day[phase] = table->cells[i].day;
            }
        }
    }
    int rc = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == 0; t++) {
        rc = export_number_table(build, (enum research_table_id)t, phase_first_day);
        if (rc == 0) {
            struct export_table_cells *table = &build->tables[t];
            struct research_table *target = &dataset->tables[t];
            rc = research_kanon_run(table->cells, table->count, target->key_order,
                                    target->key_count, dataset->k, &target->published);
        }
        if (rc != 0) {
            rc = export_fail(build, rc, "%s: cannot publish the counts: %s", export_tables[t].name,
                             strerror(-rc));
        }
    }
    free(phase_first_day);
    return rc;
}

static void export_free_build(struct export_build *build)
{
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct export_table_cells *table = &build->tables[t];
        free(table->cells);
        free(table->series.items);
        free(table->series.slots);
        free(table->keys.items);
        free(table->keys.slots);
    }
}

int research_dataset_build(const struct research_export_options *options,
                           struct research_dataset **out, char *err, size_t err_size)
{
    *out = NULL;
    struct export_build build = {
        .options = options, .unfolded_first = INT32_MAX, .err = err, .err_size = err_size};
    int k = options->k == 0 ? RESEARCH_K_DEFAULT : options->k;
    if (k < RESEARCH_K_MIN) {
        return export_fail(&build, -EINVAL,
                           "k = %d: must be at least %d (default %d): smaller groups could "
                           "identify a visitor",
                           k, RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
    }
    if (options->db_count == 0 || options->db_paths == NULL) {
        return export_fail(&build, -EINVAL, "no database given: name one or more with --db PATH");
    }
    if (options->site != NULL && options->site[0] != '\0' && options->db_count > 1) {
        return export_fail(&build, -EINVAL,
                           "--site %s names one database, but %zu were given: leave --site out "
                           "(each file's meta table or file name names its site)",
                           options->site, options->db_count);
    }
    int32_t from_day = 0, to_day = 0;
    bool from_given = false, to_given = false;
    int rc = export_option_day(&build, "--from", options->from, &from_day, &from_given);
    if (rc == 0) {
        rc = export_option_day(&build, "--to", options->to, &to_day, &to_given);
    }
    if (rc != 0) {
        return rc;
    }
    if (from_given && to_given && from_day > to_day) {
        return export_fail(&build, -EINVAL, "--from %s is after --to %s: give from <= to",
                           options->from, options->to);
    }
    rc = export_check_distinct(&build);
    if (rc != 0) {
        return rc;
    }

    struct research_dataset *dataset = calloc(1, sizeof *dataset);
    if (dataset != NULL) {
        dataset->texts = calloc(1, sizeof *dataset->texts);
        dataset->sites = calloc(options->db_count, sizeof dataset->sites[0]);
    }
    if (dataset == NULL || dataset->texts == NULL || dataset->sites == NULL) {
        research_dataset_free(dataset);
        return export_fail(&build, -ENOMEM, "out of memory");
    }
    dataset->k = k;
    dataset->with_context = options->with_context;
    build.dataset = dataset;
    uint32_t empty = 0;
    rc = texts_intern(dataset->texts, "", 0, &empty); /* text 0 is "" */

    char from_text[RESEARCH_DATE_SIZE] = "0000-00-00", to_text[RESEARCH_DATE_SIZE] = "9999-99-99";
    if (from_given) {
        research_day_format(research_week_monday(from_day), from_text);
    }
    if (to_given) {
        research_day_format(export_sunday_on_or_before(to_day + 6), to_text);
    }
    for (size_t i = 0; i < options->db_count && rc == 0; i++) {
        rc = export_read_database(&build, options->db_paths[i], &dataset->sites[i], from_text,
                                  to_text);
        dataset->site_count = rc == 0 ? i + 1 : i;
    }
    if (rc == 0) {
        rc = export_settle_range(&build, from_day, from_given, to_day, to_given);
    }
    if (rc == 0) {
        rc = export_publish(&build);
    }
    export_free_build(&build);
    if (rc != 0) {
        research_dataset_free(dataset);
        return rc;
    }
    *out = dataset;
    return 0;
}

void research_dataset_free(struct research_dataset *dataset)
{
    if (dataset == NULL) {
        return;
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct research_table *table = &dataset->tables[t];
        free(table->series);
        free(table->keys);
        free(table->key_order);
        research_kanon_free(&table->published);
    }
    free(dataset->sites);
    texts_free(dataset->texts);
    free(dataset);
}

const char *research_dataset_text(const struct research_dataset *dataset, uint32_t id)
{
    if (dataset == NULL || dataset->texts == NULL || id >= dataset->texts->count) {
        return "";
    }
    return dataset->texts->items[id];
}

const char *research_table_name(enum research_table_id table)
{
    return table < RESEARCH_TABLE_COUNT ? export_tables[table].name : "";
}

const char *research_table_series_column(enum research_table_id table, int part)
{
    if (table >= RESEARCH_TABLE_COUNT || part < 2 ||
        part - 2 >= export_tables[table].series_parts) {
        return NULL;
    }
    return export_tables[table].series_columns[part - 2];
}

const char *research_table_key_column(enum research_table_id table, int part)
{
    if (table >= RESEARCH_TABLE_COUNT || part < 0 || part >= export_tables[table].key_parts) {
        return NULL;
    }
    return export_tables[table].key_columns[part];
}

int research_wait_band_minutes(const char *first_band, const char *last_band, int *low, int *high)
{
    int first = export_wait_band_index(first_band), last = export_wait_band_index(last_band);
    if (first < 0 || last < 0 || last < first) {
        return -EINVAL;
    }
    *low = export_wait_bands[first].low;
    *high = export_wait_bands[last].high;
    return 0;
}

void research_row_key_text(const struct research_dataset *dataset, enum research_table_id table,
                           const struct research_row *row, int part, char *buf, size_t size)
{
    buf[0] = '\0';
    const struct research_table *data = &dataset->tables[table];
    if (row->note == RESEARCH_NOTE_SUPPRESSED || research_table_key_column(table, part) == NULL) {
        return;
    }
    if (row->note == RESEARCH_NOTE_REMAINDER) {
        snprintf(buf, size, "*");
        return;
    }
    const struct research_tuple *first = &data->keys[row->key];
    const struct research_tuple *last = &data->keys[row->key_last];
    const char *text = research_dataset_text(dataset, first->text[part]);
    if (row->note != RESEARCH_NOTE_RANGE || first->text[part] == last->text[part]) {
        snprintf(buf, size, "%s", text);
        return;
    }
    const char *last_text = research_dataset_text(dataset, last->text[part]);
    int low = 0, high = 0;
    if (table == RESEARCH_WAITS && research_wait_band_minutes(text, last_text, &low, &high) == 0) {
        if (high < 0) {
            snprintf(buf, size, "%d+", low);
        } else {
            snprintf(buf, size, "%d-%d", low, high);
        }
        return;
    }
    snprintf(buf, size, "%s-%s", text, last_text);
}

int research_format_parse(const char *text, enum research_format *format)
{
    if (text != NULL && strcmp(text, "csv") == 0) {
        *format = RESEARCH_FORMAT_CSV;
        return 0;
    }
    if (text != NULL && strcmp(text, "json") == 0) {
        *format = RESEARCH_FORMAT_JSON;
        return 0;
    }
    return -EINVAL;
}

int research_export_run(const struct research_export_options *options, enum research_format format,
                        FILE *out, char *err, size_t err_size)
{
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(options, &dataset, err, err_size);
    if (rc != 0) {
        return rc;
    }
    rc = research_export_write(dataset, format, out);
    if (rc != 0) {
        snprintf(err, err_size, "cannot write the export: %s", strerror(-rc));
    }
    research_dataset_free(dataset);
    return rc;
}
