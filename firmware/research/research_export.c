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
    int key_parts; /* 1..5 */
    const char *key_columns[5];
    int context_parts;     /* trailing key parts exported only with_context */
    const char *select_v2; /* schemas before 3, when the columns differ; NULL: select */
    int position_part;     /* the key part that can lie on an ordered scale; -1: none */
};

static const struct export_table_desc export_tables[RESEARCH_TABLE_COUNT] = {
    [RESEARCH_ANSWERS] = {"answers",
                          "answer_counts",
                          "SELECT day, hour, phase, moment, question, answer, scene, light_band, "
                          "sound, queue_band, n FROM answer_counts WHERE day >= ?1 AND day <= ?2",
                          2,
                          {"moment", "question"},
                          5,
                          {"answer", "scene", "light_band", "sound", "queue_band"},
                          4,
                          "SELECT day, hour, phase, moment, question, answer, scene, '', sound, "
                          "queue_band, n FROM answer_counts WHERE day >= ?1 AND day <= ?2",
                          0},
    [RESEARCH_ARRIVALS] = {"arrivals",
                           "arrival_counts",
                           "SELECT day, hour, phase, wants_word, n FROM arrival_counts "
                           "WHERE day >= ?1 AND day <= ?2",
                           0,
                           {NULL, NULL},
                           1,
                           {"wants_word", NULL, NULL, NULL, NULL},
                           0,
                           NULL,
                           -1},
    [RESEARCH_JOURNEYS] = {"journeys",
                           "journey_counts",
                           "SELECT day, hour, phase, moment, outcome, last_screen, n "
                           "FROM journey_counts WHERE day >= ?1 AND day <= ?2",
                           2,
                           {"moment", "outcome"},
                           1,
                           {"last_screen", NULL, NULL, NULL, NULL},
                           0,
                           NULL,
                           -1},
    [RESEARCH_WAITS] = {"waits",
                        "wait_counts",
                        "SELECT day, -1, phase, outcome, wait_band, n FROM wait_counts "
                        "WHERE day >= ?1 AND day <= ?2",
                        0,
                        {NULL, NULL},
                        2,
                        {"outcome", "wait_band", NULL, NULL, NULL},
                        0,
                        NULL,
                        1},
    [RESEARCH_INCIDENTS] = {"incidents",
                            "incident_counts",
                            "SELECT day, -1, phase, kind, n FROM incident_counts "
                            "WHERE day >= ?1 AND day <= ?2",
                            0,
                            {NULL, NULL},
                            1,
                            {"kind", NULL, NULL, NULL, NULL},
                            0,
                            NULL,
                            -1},
    [RESEARCH_RESPONSES] = {"responses",
                            "response_counts",
                            "SELECT day, hour, phase, moment, question, service, response, n "
                            "FROM response_counts WHERE day >= ?1 AND day <= ?2",
                            2,
                            {"moment", "question"},
                            2,
                            {"service", "response", NULL, NULL, NULL},
                            0,
                            NULL,
                            -1},
    [RESEARCH_STRESS_WAITS] = {"stress_waits",
                               "stress_wait_counts",
                               "SELECT day, -1, phase, stress_band, wait_band, n "
                               "FROM stress_wait_counts WHERE day >= ?1 AND day <= ?2",
                               0,
                               {NULL, NULL},
                               2,
                               {"stress_band", "wait_band", NULL, NULL, NULL},
                               0,
                               NULL,
                               -1},
    [RESEARCH_WAIT_MESSAGES] = {"wait_messages",
                                "wait_message_counts",
                                "SELECT day, -1, phase, message, outcome, wait_band, within, n "
                                "FROM wait_message_counts WHERE day >= ?1 AND day <= ?2",
                                0,
                                {NULL, NULL},
                                4,
                                {"message", "outcome", "wait_band", "within", NULL},
                                0,
                                NULL,
                                -1},
};

/* The room context kept at each level of the answers' ladder: scene, light, sound, queue. */
static const bool export_context_kept[RESEARCH_CONTEXT_LEVELS][4] = {
    {true, true, true, true},    /* 0: everything */
    {true, true, true, false},   /* 1: without the queue band */
    {false, true, true, false},  /* 2: light band and sound */
    {false, true, false, false}, /* 3: light band */
    {false, false, false, false} /* 4: none */
};

static bool export_is_split(enum research_table_id table)
{
    return table == RESEARCH_RESPONSES || table == RESEARCH_STRESS_WAITS ||
           table == RESEARCH_WAIT_MESSAGES;
}

/* The store's waiting-time bands (store/store_vocab.h), in order, with their minutes. */
#define EXPORT_WAIT_BAND_ROW(low, high, name) {name, low, high},
static const struct {
    const char *band;
    int low, high; /* high -1: open-ended */
} export_wait_bands[] = {STORE_WAIT_BANDS(EXPORT_WAIT_BAND_ROW)};
#undef EXPORT_WAIT_BAND_ROW
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
    int32_t unfolded_first;  /* the earliest day that still has arrival rows; INT32_MAX: none */
    uint32_t *answer_number; /* interned answers key -> its number; answer_numbered of them */
    size_t answer_numbered;
    bool *context_split; /* per published answers row: split by room context (issue 14) */
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

/*
 * The site's random id and k from meta (issue 14): site_id names the kiosk whatever its
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
    int key_parts = desc->key_parts; /* room context always: one view per block (issue 14) */
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
        if (!site->has_table[table]) {
            continue;
        }
        result = export_read_table(build, db, path, (enum research_table_id)table, site_text,
                                   site->schema_version, from_text, to_text);
    }
    if (result == 0 && site->has_codebook) {
        result = export_read_codebook(build, db, path, site_text);
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
    /* Every week up to cap is published (blocks come from the whole history, issue 14);
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
    for (int part = 1; part < RESEARCH_TUPLE_PARTS; part++) {
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
    int position = export_tables[context->table].position_part;
    for (int part = 0; part < RESEARCH_TUPLE_PARTS; part++) {
        int order = part == position
                        ? 0
                        : export_compare_texts(context->dataset, x->text[part], y->text[part]);
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
    for (int part = 0; part < RESEARCH_TUPLE_PARTS; part++) {
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
                   strcmp(research_dataset_text(dataset, keys[i].text[0]),
                          STORE_OUTCOME_COLLECTED) == 0) {
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

/* The key tuple with the room dimensions that level drops set to "any". */
static struct research_tuple export_context_at(const struct research_tuple *key, int level,
                                               uint32_t any)
{
    struct research_tuple coarser = *key;
    for (int dimension = 0; dimension < 4; dimension++) {
        if (!export_context_kept[level][dimension]) {
            coarser.text[1 + dimension] = any;
        }
    }
    return coarser;
}

/* Answers with context: adds the coarser keys of every key (before numbering). */
static int export_context_keys(struct export_build *build, uint32_t *any)
{
    struct export_table_cells *source = &build->tables[RESEARCH_ANSWERS];
    int rc = texts_intern(build->dataset->texts, RESEARCH_ANY, strlen(RESEARCH_ANY), any);
    size_t original = source->keys.count;
    for (size_t i = 0; i < original && rc == 0; i++) {
        for (int level = 1; level < RESEARCH_CONTEXT_LEVELS && rc == 0; level++) {
            struct research_tuple coarser = export_context_at(&source->keys.items[i], level, *any);
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &coarser, &id);
        }
    }
    /* every answer in every room context (coarsened or not): a range of answers split by
       room context needs its first and last answer in that context as keys */
    size_t with_levels = source->keys.count;
    uint32_t *answers = malloc((original + 1) * sizeof answers[0]);
    size_t answer_count = 0;
    if (rc == 0 && answers == NULL) {
        rc = -ENOMEM;
    }
    for (size_t i = 0; i < original && rc == 0; i++) {
        bool seen = false;
        for (size_t a = 0; a < answer_count && !seen; a++) {
            seen = answers[a] == source->keys.items[i].text[0];
        }
        if (!seen) {
            answers[answer_count++] = source->keys.items[i].text[0];
        }
    }
    for (size_t i = 0; i < with_levels && rc == 0; i++) {
        for (size_t a = 0; a < answer_count && rc == 0; a++) {
            struct research_tuple combined = source->keys.items[i];
            combined.text[0] = answers[a];
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &combined, &id);
        }
    }
    free(answers);
    return rc;
}

/* Answers with context: the ladder over the numbered keys. */
static int export_context_ladder(struct export_build *build, uint32_t any)
{
    struct export_table_cells *source = &build->tables[RESEARCH_ANSWERS];
    struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    size_t count = target->key_count;
    target->ladder =
        malloc((count ? count : 1) * RESEARCH_CONTEXT_LEVELS * sizeof target->ladder[0]);
    uint32_t *number = malloc((source->keys.count + 1) * sizeof number[0]);
    if (target->ladder == NULL || number == NULL) {
        free(number);
        return -ENOMEM;
    }
    int rc = 0;
    for (size_t i = 0; i < count; i++) { /* the numbered keys are the interned ones, reordered */
        uint32_t id = 0;
        rc = tuples_intern(&source->keys, &target->keys[i], &id);
        if (rc != 0) {
            break;
        }
        number[id] = (uint32_t)i;
    }
    for (size_t i = 0; i < count && rc == 0; i++) {
        for (int level = 0; level < RESEARCH_CONTEXT_LEVELS && rc == 0; level++) {
            struct research_tuple coarser = export_context_at(&target->keys[i], level, any);
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &coarser, &id);
            target->ladder[(size_t)level * count + i] = rc == 0 ? number[id] : 0;
        }
    }
    build->answer_number = number; /* for export_split_context */
    build->answer_numbered = source->keys.count;
    return rc;
}

/* ---- split tables ------------------------------------------------------------------------ */

struct split_builder {
    struct research_dataset *dataset;
    struct export_tuples series, keys;
    struct research_row *rows;
    size_t count, capacity;
};

static int split_emit(struct split_builder *split, const struct research_tuple *series,
                      const struct research_tuple *key, const struct research_row *parent,
                      enum research_note note, int64_t n)
{
    uint32_t series_id = 0, key_id = 0;
    int rc = tuples_intern(&split->series, series, &series_id);
    if (rc == 0) {
        rc = tuples_intern(&split->keys, key, &key_id);
    }
    if (rc == 0) {
        rc = export_grow((void **)&split->rows, &split->capacity, split->count + 1,
                         sizeof split->rows[0]);
    }
    if (rc != 0) {
        return rc;
    }
    struct research_row row = *parent;
    row.series = series_id;
    row.key = key_id;
    row.key_last = key_id;
    row.note = note;
    row.n = note == RESEARCH_NOTE_SUPPRESSED ? 0 : n;
    split->rows[split->count++] = row;
    return 0;
}

/* Moves a finished split into the dataset; pools are copied from the parent. */
static int split_finish(struct split_builder *split, enum research_table_id table,
                        enum research_table_id parent, size_t unsplit)
{
    struct research_dataset *dataset = split->dataset;
    struct research_table *target = &dataset->tables[table];
    const struct research_kanon_result *from = &dataset->tables[parent].published;
    target->parent = (int)parent;
    target->unsplit = unsplit;
    target->series = split->series.items;
    target->series_count = split->series.count;
    target->keys = split->keys.items;
    target->key_count = split->keys.count;
    free(split->series.slots);
    free(split->keys.slots);
    target->key_order = calloc(split->keys.count + 1, sizeof target->key_order[0]);
    target->published.rows = split->rows;
    target->published.row_count = split->count;
    if (target->key_order == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < split->keys.count; i++) {
        target->key_order[i] = (struct research_key_order){.group = -1, .position = 0};
    }
    if (from->pool_count > 0 && table != RESEARCH_RESPONSES) {
        target->published.pools = calloc(from->pool_count, sizeof target->published.pools[0]);
        if (target->published.pools == NULL) {
            return -ENOMEM;
        }
        target->published.pool_count = from->pool_count;
        for (size_t p = 0; p < from->pool_count; p++) {
            struct research_pool *pool = &target->published.pools[p];
            pool->series = from->pools[p].series;
            pool->mondays = malloc(from->pools[p].count * sizeof pool->mondays[0]);
            if (pool->mondays == NULL) {
                return -ENOMEM;
            }
            memcpy(pool->mondays, from->pools[p].mondays,
                   from->pools[p].count * sizeof pool->mondays[0]);
            pool->count = from->pools[p].count;
        }
    }
    return 0;
}

/* Does the published row's period (of a table with pools out) hold day and hour? */
static bool export_period_holds(const struct research_kanon_result *out,
                                const struct research_row *row, int32_t day, int32_t hour)
{
    if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (research_week_monday(day) == pool->mondays[w]) {
                return true;
            }
        }
        return false;
    }
    if (day < row->first_day || day > row->last_day) {
        return false;
    }
    if (row->level == RESEARCH_LEVEL_HOUR) {
        return hour == row->time_of_day;
    }
    if (row->level == RESEARCH_LEVEL_PART_OF_DAY) {
        return hour >= 0 && (int)research_part_of_hour(hour) == row->time_of_day;
    }
    return true;
}

static int export_compare_cell_days(const void *a, const void *b)
{
    const struct research_cell *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* The first cell (sorted by day) on or after day. */
static size_t export_first_cell_from(const struct export_table_cells *cells, int32_t day)
{
    size_t low = 0, high = cells->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (cells->cells[middle].day < day) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

static const char *export_text(const struct research_dataset *dataset, uint32_t id)
{
    return research_dataset_text(dataset, id);
}

static int export_intern(struct research_dataset *dataset, const char *text, uint32_t *id)
{
    return texts_intern(dataset->texts, text, strlen(text), id);
}

/* Does a database of the site with text number site record table (schema 3)? */
static bool export_site_has(const struct research_dataset *dataset, uint32_t site,
                            enum research_table_id table)
{
    for (size_t s = 0; s < dataset->site_count; s++) {
        if (dataset->sites[s].has_table[table] &&
            strcmp(dataset->sites[s].name, research_dataset_text(dataset, site)) == 0) {
            return true;
        }
    }
    return false;
}

/* Up to this many parts a split row can have (message x within, or services). */
#define SPLIT_PARTS 64

struct split_part {
    uint32_t a, b; /* text numbers: stress band; message and within; service */
    int64_t n;
};

static size_t split_add(struct split_part *parts, size_t count, uint32_t a, uint32_t b, int64_t n)
{
    for (size_t i = 0; i < count; i++) {
        if (parts[i].a == a && parts[i].b == b) {
            parts[i].n += n;
            return count;
        }
    }
    if (count < SPLIT_PARTS) {
        parts[count] = (struct split_part){a, b, n};
        return count + 1;
    }
    return count; /* more parts than a kiosk has: left out, so the split fails its check */
}

static int export_stress_index(const char *band)
{
    static const char *const bands[] = {STORE_STRESS_BAND_LOW, STORE_STRESS_BAND_MID,
                                        STORE_STRESS_BAND_HIGH};
    for (int i = 0; i < 3; i++) {
        if (strcmp(bands[i], band) == 0) {
            return i;
        }
    }
    return -1;
}

/*
 * stress_waits: each published row of collected waits (a band or a range of bands, a day,
 * week or pool) split by the stress band its visitors gave on arrival, plus "none" (fetched
 * without a stress answer, or a link lost to a power cut). The partitions tried, finest
 * first: the three bands; 0-6 and 7-10; 0-3 and 4-10; 0-10; each with "none". Every part
 * must be 0 or at least k, else the row gets one suppressed split row.
 */
static int export_split_stress(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_STRESS_WAITS];
    const struct research_table *waits = &dataset->tables[RESEARCH_WAITS];
    struct split_builder split = {.dataset = dataset};
    static const unsigned partitions[4][4] = {
        {1, 2, 4, 8}, {3, 4, 8, 0}, {1, 6, 8, 0}, {7, 8, 0, 0}};
    static const char *const labels[16] = {[1] = STORE_STRESS_BAND_LOW,
                                           [2] = STORE_STRESS_BAND_MID,
                                           [4] = STORE_STRESS_BAND_HIGH,
                                           [3] = "0-6",
                                           [6] = "4-10",
                                           [7] = "0-10",
                                           [8] = "none"};
    size_t unsplit = 0;
    int rc = 0;
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    for (size_t r = 0; r < waits->published.row_count && rc == 0; r++) {
        const struct research_row *row = &waits->published.rows[r];
        int first = 0, last = 0;
        if ((row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) ||
            research_row_wait_bands(dataset, RESEARCH_WAITS, row, &first, &last) != 0) {
            continue;
        }
        const struct research_tuple *parent = &waits->series[row->series];
        if (!export_site_has(dataset, parent->text[0], RESEARCH_STRESS_WAITS)) {
            continue; /* not recorded there (schema 2) */
        }
        int64_t sums[4] = {0, 0, 0, 0};
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int band = export_wait_band_index(export_text(dataset, key->text[1]));
            int stress = export_stress_index(export_text(dataset, key->text[0]));
            if (series->text[0] == parent->text[0] && series->text[1] == parent->text[1] &&
                export_period_holds(&waits->published, row, cell->day, cell->hour) &&
                band >= first && band <= last && stress >= 0) {
                sums[stress] += cell->n;
            }
        }
        sums[3] = row->n - sums[0] - sums[1] - sums[2];
        char wait_label[64];
        research_row_key_text(dataset, RESEARCH_WAITS, row, 1, wait_label, sizeof wait_label);
        struct research_tuple series = {{parent->text[0], parent->text[1], 0, 0, 0, 0}};
        struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
        rc = export_intern(dataset, wait_label, &key.text[1]);
        rc = rc ? rc : export_intern(dataset, research_wait_band_name(first), &key.text[2]);
        rc = rc ? rc : export_intern(dataset, research_wait_band_name(last), &key.text[3]);
        int chosen = -1;
        for (int p = 0; p < 4 && chosen < 0 && sums[3] >= 0; p++) {
            bool safe = true;
            for (int g = 0; g < 4 && partitions[p][g] != 0; g++) {
                int64_t n = 0;
                for (int part = 0; part < 4; part++) {
                    n += partitions[p][g] & (1u << part) ? sums[part] : 0;
                }
                safe = safe && (n == 0 || n >= dataset->k);
            }
            chosen = safe ? p : -1;
        }
        if (chosen < 0) {
            key.text[0] = 0;
            rc = rc ? rc : split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            unsplit++;
            continue;
        }
        for (int g = 0; g < 4 && partitions[chosen][g] != 0 && rc == 0; g++) {
            unsigned mask = partitions[chosen][g];
            int64_t n = 0;
            for (int part = 0; part < 4; part++) {
                n += mask & (1u << part) ? sums[part] : 0;
            }
            if (n == 0) {
                continue;
            }
            rc = export_intern(dataset, labels[mask], &key.text[0]);
            bool merged = mask == 3 || mask == 6 || mask == 7;
            rc = rc ? rc
                    : split_emit(&split, &series, &key, row,
                                 merged ? RESEARCH_NOTE_RANGE : RESEARCH_NOTE_CELL, n);
        }
    }
    int finished = split_finish(&split, RESEARCH_STRESS_WAITS, RESEARCH_WAITS, unsplit);
    return rc ? rc : finished;
}

/*
 * wait_messages: each published waits row (collected in a band or range, no-shows, never
 * marked) split by the waiting message its visitors saw and, for "range", whether the wait
 * was below, within or above the range shown; "none" are arrivals without a recorded
 * message. Tried: message and within; message alone; else suppressed.
 */
static int export_split_messages(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_WAIT_MESSAGES];
    const struct research_table *waits = &dataset->tables[RESEARCH_WAITS];
    struct split_builder split = {.dataset = dataset};
    size_t unsplit = 0;
    uint32_t any = 0, none = 0, not_applicable = 0, empty = 0;
    int rc = export_intern(dataset, RESEARCH_ANY, &any);
    rc = rc ? rc : export_intern(dataset, "none", &none);
    rc = rc ? rc : export_intern(dataset, "n/a", &not_applicable);
    rc = rc ? rc : export_intern(dataset, "", &empty);
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    for (size_t r = 0; r < waits->published.row_count && rc == 0; r++) {
        const struct research_row *row = &waits->published.rows[r];
        if (row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) {
            continue;
        }
        const struct research_tuple *parent = &waits->series[row->series];
        if (!export_site_has(dataset, parent->text[0], RESEARCH_WAIT_MESSAGES)) {
            continue; /* not recorded there (schema 2) */
        }
        uint32_t outcome = waits->keys[row->key].text[0];
        int first = -1, last = -1;
        bool banded = research_row_wait_bands(dataset, RESEARCH_WAITS, row, &first, &last) == 0;
        struct split_part parts[SPLIT_PARTS];
        size_t part_count = 0;
        int64_t shown = 0;
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int band = export_wait_band_index(export_text(dataset, key->text[2]));
            if (series->text[0] == parent->text[0] && series->text[1] == parent->text[1] &&
                key->text[1] == outcome &&
                export_period_holds(&waits->published, row, cell->day, cell->hour) &&
                (!banded || (band >= first && band <= last))) {
                part_count = split_add(parts, part_count, key->text[0], key->text[3], cell->n);
                shown += cell->n;
            }
        }
        int64_t unrecorded = row->n - shown;
        char wait_label[64];
        research_row_key_text(dataset, RESEARCH_WAITS, row, 1, wait_label, sizeof wait_label);
        struct research_tuple series = {{parent->text[0], parent->text[1], 0, 0, 0, 0}};
        struct research_tuple key = {{0, outcome, 0, 0, empty, empty}};
        rc = export_intern(dataset, wait_label, &key.text[2]);
        if (banded) {
            rc = rc ? rc : export_intern(dataset, research_wait_band_name(first), &key.text[4]);
            rc = rc ? rc : export_intern(dataset, research_wait_band_name(last), &key.text[5]);
        }
        bool done = unrecorded < 0;
        for (int level = 0; level < 2 && !done && rc == 0; level++) {
            struct split_part merged[SPLIT_PARTS];
            size_t merged_count = 0;
            for (size_t i = 0; i < part_count; i++) {
                merged_count = split_add(merged, merged_count, parts[i].a,
                                         level == 0 ? parts[i].b : any, parts[i].n);
            }
            bool safe = unrecorded == 0 || unrecorded >= dataset->k;
            for (size_t i = 0; i < merged_count; i++) {
                safe = safe && merged[i].n >= dataset->k;
            }
            if (!safe) {
                continue;
            }
            for (size_t i = 0; i < merged_count && rc == 0; i++) {
                key.text[0] = merged[i].a;
                key.text[3] = merged[i].b;
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_CELL, merged[i].n);
            }
            if (unrecorded > 0 && rc == 0) {
                key.text[0] = none;
                key.text[3] = not_applicable;
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_CELL, unrecorded);
            }
            done = true;
        }
        if (!done && rc == 0) {
            key.text[0] = empty;
            key.text[3] = empty;
            rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            unsplit++;
        }
    }
    int finished = split_finish(&split, RESEARCH_WAIT_MESSAGES, RESEARCH_WAITS, unsplit);
    return rc ? rc : finished;
}

/*
 * Splits total by service into what may be shown: services with at least k on their own,
 * the rest together as "*" when that is at least k; a rest below k takes the smallest shown
 * service with it. Emits the rows; returns 0 or -ENOMEM.
 */
static int export_split_services(struct split_builder *split, const struct research_tuple *series,
                                 uint32_t response, const struct split_part *parts, size_t count,
                                 const struct research_row *parent, uint32_t star)
{
    bool shown[SPLIT_PARTS];
    int64_t rest = 0;
    for (size_t i = 0; i < count; i++) {
        shown[i] = parts[i].n >= split->dataset->k;
        rest += shown[i] ? 0 : parts[i].n;
    }
    while (rest > 0 && rest < split->dataset->k) {
        size_t smallest = SIZE_MAX;
        for (size_t i = 0; i < count; i++) {
            if (shown[i] && (smallest == SIZE_MAX || parts[i].n < parts[smallest].n)) {
                smallest = i;
            }
        }
        if (smallest == SIZE_MAX) {
            break; /* cannot happen: the total is at least k */
        }
        shown[smallest] = false;
        rest += parts[smallest].n;
    }
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (shown[i]) {
            struct research_tuple key = {{parts[i].a, response, 0, 0, 0, 0}};
            rc = split_emit(split, series, &key, parent, RESEARCH_NOTE_CELL, parts[i].n);
        }
    }
    if (rest > 0 && rc == 0) {
        struct research_tuple key = {{star, response, 0, 0, 0, 0}};
        rc = split_emit(split, series, &key, parent, RESEARCH_NOTE_REMAINDER, rest);
    }
    return rc;
}

static bool export_same_period(const struct research_row *a, const struct research_row *b)
{
    return a->series == b->series && a->level == b->level && a->first_day == b->first_day &&
           a->last_day == b->last_day && a->time_of_day == b->time_of_day && a->pool == b->pool;
}

/*
 * responses: answered and skipped per service, for every published period of the answers
 * (same series) that has no remainder: there the answered and skipped totals are public
 * already, and only the split by service is new ("*" = the services not shown on their
 * own). Not asked: per published period of completed journeys, shown when at least k.
 * Pooled weeks, periods with a remainder, periods whose answers keep room context and counts
 * that disagree with the answers are not split (counted in unsplit): the room context and the
 * service are two splits of the same check-ins, and with the per-hour totals an attacker who
 * knows which cells are non-zero could play one against the other (docs/research.md).
 */
static int export_split_responses(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_RESPONSES];
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    const struct research_table *journeys = &dataset->tables[RESEARCH_JOURNEYS];
    struct split_builder split = {.dataset = dataset};
    size_t unsplit = 0;
    uint32_t answered = 0, skipped = 0, not_asked = 0, star = 0, completed = 0;
    int rc = export_intern(dataset, STORE_RESPONSE_ANSWERED, &answered);
    rc = rc ? rc : export_intern(dataset, STORE_RESPONSE_SKIPPED, &skipped);
    rc = rc ? rc : export_intern(dataset, STORE_RESPONSE_NOT_ASKED, &not_asked);
    rc = rc ? rc : export_intern(dataset, "*", &star);
    rc = rc ? rc : export_intern(dataset, "completed", &completed);
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    if (raw->count == 0) {
        return rc ? rc : split_finish(&split, RESEARCH_RESPONSES, RESEARCH_ANSWERS, 0);
    }
    const struct research_kanon_result *rows = &answers->published;
    for (size_t begin = 0; begin < rows->row_count && rc == 0;) {
        size_t end = begin + 1;
        while (end < rows->row_count && export_same_period(&rows->rows[begin], &rows->rows[end])) {
            end++;
        }
        const struct research_row *row = &rows->rows[begin];
        if (!export_site_has(dataset, answers->series[row->series].text[0], RESEARCH_RESPONSES)) {
            begin = end; /* not recorded there (schema 2) */
            continue;
        }
        bool whole = row->level != RESEARCH_LEVEL_POOLED_WEEKS;
        int64_t totals[2] = {0, 0}; /* answered, skipped: public from the answers */
        for (size_t i = begin; i < end; i++) {
            const struct research_row *member = &rows->rows[i];
            int context = research_row_context_level(dataset, member); /* -1: no ladder */
            whole = whole &&
                    (member->note == RESEARCH_NOTE_CELL || member->note == RESEARCH_NOTE_RANGE) &&
                    (context < 0 || context == RESEARCH_CONTEXT_LEVELS - 1) &&
                    !(build->context_split != NULL && build->context_split[i]);
            bool skip = strcmp(export_text(dataset, answers->keys[member->key].text[0]),
                               STORE_ANSWER_SKIP) == 0;
            totals[skip ? 1 : 0] += member->n;
        }
        const struct research_tuple *parent = &answers->series[row->series];
        struct split_part parts[2][SPLIT_PARTS];
        size_t part_count[2] = {0, 0};
        int64_t sums[2] = {0, 0};
        for (size_t c = export_first_cell_from(raw, row->first_day);
             whole && c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int status = key->text[1] == answered ? 0 : key->text[1] == skipped ? 1 : -1;
            if (status >= 0 &&
                memcmp(series->text, parent->text, 4 * sizeof parent->text[0]) == 0 &&
                export_period_holds(rows, row, cell->day, cell->hour)) {
                part_count[status] =
                    split_add(parts[status], part_count[status], key->text[0], 0, cell->n);
                sums[status] += cell->n;
            }
        }
        if (!whole || sums[0] != totals[0] || sums[1] != totals[1]) {
            unsplit++;
            if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) { /* says so, without a number */
                struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
                rc = split_emit(&split, parent, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            }
            begin = end;
            continue;
        }
        struct research_tuple series = *parent;
        for (int status = 0; status < 2 && rc == 0; status++) {
            rc = export_split_services(&split, &series, status == 0 ? answered : skipped,
                                       parts[status], part_count[status], row, star);
        }
        begin = end;
    }
    /* not asked: per period of completed journeys, all services together */
    for (size_t r = 0; r < journeys->published.row_count && rc == 0; r++) {
        const struct research_row *row = &journeys->published.rows[r];
        const struct research_tuple *parent = &journeys->series[row->series];
        if (row->note != RESEARCH_NOTE_CELL || parent->text[3] != completed ||
            row->level == RESEARCH_LEVEL_POOLED_WEEKS ||
            !export_site_has(dataset, parent->text[0], RESEARCH_RESPONSES)) {
            continue;
        }
        struct split_part questions[SPLIT_PARTS];
        size_t question_count = 0;
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            if (key->text[1] == not_asked && series->text[0] == parent->text[0] &&
                series->text[1] == parent->text[1] && series->text[2] == parent->text[2] &&
                export_period_holds(&journeys->published, row, cell->day, cell->hour)) {
                question_count = split_add(questions, question_count, series->text[3], 0, cell->n);
            }
        }
        for (size_t q = 0; q < question_count && rc == 0; q++) {
            if (questions[q].n < dataset->k) {
                struct research_tuple series = {
                    {parent->text[0], parent->text[1], parent->text[2], questions[q].a, 0, 0}};
                struct research_tuple key = {{star, not_asked, 0, 0, 0, 0}};
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
                unsplit++;
                continue;
            }
            struct research_tuple series = {
                {parent->text[0], parent->text[1], parent->text[2], questions[q].a, 0, 0}};
            struct research_tuple key = {{star, not_asked, 0, 0, 0, 0}};
            rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_REMAINDER, questions[q].n);
        }
    }
    int finished = split_finish(&split, RESEARCH_RESPONSES, RESEARCH_ANSWERS, unsplit);
    return rc ? rc : finished;
}

static int export_compare_cell_weeks(const void *a, const void *b)
{
    const struct research_cell *x = a, *y = b;
    if (x->series != y->series) {
        return x->series < y->series ? -1 : 1;
    }
    return x->day < y->day ? -1 : x->day > y->day;
}

/* Is week (its Monday) of site and phase one in which the answers publish a remainder? */
static bool export_week_has_remainder(const struct research_table *answers, uint32_t site,
                                      uint32_t phase, int32_t monday)
{
    const struct research_kanon_result *out = &answers->published;
    for (size_t r = 0; r < out->row_count; r++) {
        const struct research_row *row = &out->rows[r];
        const struct research_tuple *series = &answers->series[row->series];
        if (row->note != RESEARCH_NOTE_REMAINDER || series->text[0] != site ||
            series->text[1] != phase) {
            continue;
        }
        if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) {
            if (monday >= research_week_monday(row->first_day) && monday <= row->last_day) {
                return true;
            }
            continue;
        }
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (pool->mondays[w] == monday) {
                return true;
            }
        }
    }
    return false;
}

/*
 * Arrivals (before numbering, after the answers are published): in a week of a site and
 * phase whose answers publish a remainder, the arrivals lose their wants_word split (the key
 * becomes "any"). Per-hour totals are known anyway (one arrival per completed check-in), but
 * a second split of the week could tell an attacker who knows which cells are non-zero how
 * much of the remainder were skips (docs/research.md, "Splits").
 */
static int export_arrivals_unsplit(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *arrivals = &build->tables[RESEARCH_ARRIVALS];
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    uint32_t any_key = 0;
    bool interned = false;
    size_t weeks = 0;
    int32_t last_monday = INT32_MIN;
    uint32_t last_series = UINT32_MAX;
    bool last_marked = false;
    if (arrivals->count > 0) { /* by series and day: each week's cells together */
        qsort(arrivals->cells, arrivals->count, sizeof arrivals->cells[0],
              export_compare_cell_weeks);
    }
    for (size_t i = 0; i < arrivals->count; i++) {
        struct research_cell *cell = &arrivals->cells[i];
        const struct research_tuple *series = &arrivals->series.items[cell->series];
        int32_t monday = research_week_monday(cell->day);
        if (monday != last_monday || cell->series != last_series) {
            last_marked =
                export_week_has_remainder(answers, series->text[0], series->text[1], monday);
            last_monday = monday;
            last_series = cell->series;
            weeks += last_marked;
        }
        if (!last_marked) {
            continue;
        }
        if (!interned) {
            struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
            int rc = texts_intern(dataset->texts, RESEARCH_ANY, strlen(RESEARCH_ANY), &key.text[0]);
            rc = rc ? rc : tuples_intern(&arrivals->keys, &key, &any_key);
            if (rc != 0) {
                return rc;
            }
            interned = true;
        }
        cell->key = any_key;
    }
    dataset->tables[RESEARCH_ARRIVALS].unsplit = weeks;
    return 0;
}

/*
 * Answers: published without room context (every key mapped to its "any" form), so an
 * export with and one without --with-context show the same blocks (issue 14). The cells
 * with their room context stay in build for export_split_context.
 */
static int export_publish_answers(struct export_build *build)
{
    struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    const struct export_table_cells *table = &build->tables[RESEARCH_ANSWERS];
    const uint32_t *coarsest = target->ladder + (RESEARCH_CONTEXT_LEVELS - 1) * target->key_count;
    struct research_cell *cells = malloc((table->count + 1) * sizeof cells[0]);
    if (cells == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < table->count; i++) {
        cells[i] = table->cells[i];
        cells[i].key = coarsest[cells[i].key];
    }
    int rc = research_kanon_run(cells, table->count, target->key_order, target->key_count,
                                build->dataset->k, &target->published);
    free(cells);
    return rc;
}

/* The number of the answers key with the answer of key and the room context of tuple. */
static int export_answer_key(struct export_build *build, uint32_t key,
                             const struct research_tuple *context, uint32_t *number)
{
    const struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    struct research_tuple combined = *context;
    combined.text[0] = target->keys[key].text[0];
    uint32_t id = 0;
    int rc = tuples_intern(&build->tables[RESEARCH_ANSWERS].keys, &combined, &id);
    if (rc == 0 && id >= build->answer_numbered) {
        return -ENOENT; /* not made by export_context_keys: the row is not split */
    }
    *number = rc == 0 ? build->answer_number[id] : 0;
    return rc;
}

/*
 * Room context as a split of the published answers rows (issue 14: one view per block).
 * Each row (an answer or a range, in its period) is split by the room context its answers
 * were given in, at the finest level of the ladder where every part holds at least k; a row
 * with no such level keeps no context. The split is made for every export, with or without
 * --with-context (build->context_split says which rows have one, so the responses never split
 * the same rows a second way); into *parts go the rows as an export with context shows them.
 */
/* The first cell (sorted by series, then day) of series on or after day. */
static size_t export_first_series_cell(const struct export_table_cells *cells, uint32_t series,
                                       int32_t day)
{
    size_t low = 0, high = cells->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const struct research_cell *cell = &cells->cells[middle];
        if (cell->series < series || (cell->series == series && cell->day < day)) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

static int export_split_context(struct export_build *build, struct research_kanon_result *parts)
{
    struct research_dataset *dataset = build->dataset;
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    const struct research_kanon_result *published = &answers->published;
    struct export_table_cells *raw = &build->tables[RESEARCH_ANSWERS];
    size_t key_count = answers->key_count, capacity = 0;
    const uint32_t *coarsest = answers->ladder + (RESEARCH_CONTEXT_LEVELS - 1) * key_count;
    build->context_split = calloc(published->row_count + 1, sizeof build->context_split[0]);
    if (build->context_split == NULL) {
        return -ENOMEM;
    }
    if (raw->count > 0) { /* by series, then day: a row's cells are one run */
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_weeks);
    }
    struct context_part {
        uint32_t key; /* a key of the part at the level: its room context */
        int64_t n;
    } found[SPLIT_PARTS];
    int rc = 0;
    for (size_t r = 0; r < published->row_count && rc == 0; r++) {
        const struct research_row *row = &published->rows[r];
        int level = -1;
        size_t found_count = 0;
        for (int tried = 0; tried < RESEARCH_CONTEXT_LEVELS - 1 && level < 0; tried++) {
            if (row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) {
                break;
            }
            const uint32_t *map = answers->ladder + (size_t)tried * key_count;
            const struct research_key_order *low = &answers->key_order[row->key];
            const struct research_key_order *high = &answers->key_order[row->key_last];
            found_count = 0;
            bool fits = true;
            for (size_t c = export_first_series_cell(raw, row->series, row->first_day);
                 fits && c < raw->count && raw->cells[c].series == row->series &&
                 raw->cells[c].day <= row->last_day;
                 c++) {
                const struct research_cell *cell = &raw->cells[c];
                uint32_t plain = coarsest[cell->key];
                const struct research_key_order *order = &answers->key_order[plain];
                bool held = row->note == RESEARCH_NOTE_CELL
                                ? plain == row->key
                                : order->group >= 0 && order->group == low->group &&
                                      order->position >= low->position &&
                                      order->position <= high->position;
                if (cell->series != row->series || !held ||
                    !export_period_holds(published, row, cell->day, cell->hour)) {
                    continue;
                }
                const struct research_tuple *mine = &answers->keys[map[cell->key]];
                size_t f = 0;
                while (f < found_count && memcmp(&answers->keys[found[f].key].text[1],
                                                 &mine->text[1], 4 * sizeof mine->text[0]) != 0) {
                    f++;
                }
                if (f == found_count) {
                    fits = found_count < SPLIT_PARTS;
                    if (fits) {
                        found[found_count++] = (struct context_part){map[cell->key], 0};
                    }
                }
                if (fits) {
                    found[f].n += cell->n;
                }
            }
            for (size_t f = 0; fits && f < found_count; f++) {
                fits = found[f].n >= dataset->k;
            }
            level = fits && found_count > 0 ? tried : -1;
        }
        size_t need = parts->row_count + (level >= 0 ? found_count : 1);
        rc = export_grow((void **)&parts->rows, &capacity, need, sizeof parts->rows[0]);
        if (rc != 0) {
            break;
        }
        if (level < 0) {
            parts->rows[parts->row_count++] = *row;
            continue;
        }
        build->context_split[r] = true;
        for (size_t f = 0; f < found_count && rc == 0; f++) {
            struct research_row part = *row;
            const struct research_tuple *context = &answers->keys[found[f].key];
            rc = export_answer_key(build, row->key, context, &part.key);
            rc = rc ? rc : export_answer_key(build, row->key_last, context, &part.key_last);
            part.n = found[f].n;
            parts->rows[parts->row_count++] = part;
        }
        if (rc == -ENOENT) { /* cannot happen: every combination was interned */
            return -EPROTO;
        }
    }
    return rc;
}

/* Numbers, then publishes every table; split tables last, from their parents' rows. */
static int export_publish(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    uint32_t any = 0;
    int rc = export_context_keys(build, &any);
    if (rc != 0) {
        return export_fail(build, rc, "out of memory");
    }
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
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == 0; t++) {
        dataset->tables[t].parent = -1;
        if (export_is_split((enum research_table_id)t)) {
            continue;
        }
        if (t == RESEARCH_ARRIVALS) { /* the answers (table 0) are published by now */
            rc = export_arrivals_unsplit(build);
        }
        rc = rc ? rc : export_number_table(build, (enum research_table_id)t, phase_first_day);
        struct research_table *target = &dataset->tables[t];
        if (rc == 0 && t == RESEARCH_ANSWERS) {
            rc = export_context_ladder(build, any);
            rc = rc ? rc : export_publish_answers(build);
        } else if (rc == 0) {
            struct export_table_cells *table = &build->tables[t];
            rc = research_kanon_run(table->cells, table->count, target->key_order,
                                    target->key_count, dataset->k, &target->published);
        }
        if (rc != 0) {
            rc = export_fail(build, rc, "%s: cannot publish the counts: %s", export_tables[t].name,
                             strerror(-rc));
        }
    }
    free(phase_first_day);
    if (rc == 0) {
        rc = export_split_stress(build);
        rc = rc ? rc : export_split_messages(build);
        struct research_kanon_result parts = {0};
        rc = rc ? rc : export_split_context(build, &parts);
        rc = rc ? rc : export_split_responses(build);
        if (rc == 0 && dataset->with_context) { /* the parts replace the rows they split */
            struct research_kanon_result *answers = &dataset->tables[RESEARCH_ANSWERS].published;
            free(answers->rows);
            answers->rows = parts.rows;
            answers->row_count = parts.row_count;
        } else {
            free(parts.rows);
        }
        if (rc != 0) {
            rc = export_fail(build, rc, "cannot split the counts: %s", strerror(-rc));
        }
    }
    return rc;
}

/*
 * One database per site, one k for all (issue 14): two databases with the same site_id are
 * copies of one kiosk, two with the same site name would be added up, and an export of one
 * alone next to the two together would give away the other's small counts. The sites' k
 * becomes the k every block is published with; *k (0: that k) below it is refused.
 */
static int export_check_sites(struct export_build *build, int *k)
{
    struct research_dataset *dataset = build->dataset;
    for (size_t i = 0; i < dataset->site_count; i++) {
        const struct research_site *a = &dataset->sites[i];
        for (size_t j = i + 1; j < dataset->site_count; j++) {
            const struct research_site *b = &dataset->sites[j];
            if (a->site_id[0] != '\0' && strcmp(a->site_id, b->site_id) == 0) {
                return export_fail(build, -EINVAL,
                                   "%s and %s have the same site_id %s: they are copies of one "
                                   "kiosk's database; export the newest alone",
                                   a->source, b->source, a->site_id);
            }
            if (strcmp(a->name, b->name) == 0) {
                return export_fail(
                    build, -EINVAL,
                    "%s and %s both name the site \"%s\": one database per site (adding two "
                    "up next to an export of one alone would give away the other's small "
                    "counts); export them one by one, or give the kiosks different site names",
                    a->source, b->source, a->name);
            }
            if (a->k != b->k) {
                return export_fail(build, -EINVAL,
                                   "%s has k %d and %s has k %d: sites are merged only with the "
                                   "same k; export them one by one",
                                   a->source, a->k, b->source, b->k);
            }
        }
    }
    int site_k = dataset->site_count > 0 ? dataset->sites[0].k : RESEARCH_K_DEFAULT;
    if (*k == 0 || (*k < site_k && build->options->k_at_least)) {
        *k = site_k;
    }
    if (*k < site_k) {
        return export_fail(build, -EINVAL,
                           "k = %d is below the site's k %d (%s): accepted: %d or more (a smaller "
                           "k next to the site's would give away counts below it)",
                           *k, site_k, dataset->site_count > 0 ? dataset->sites[0].source : "",
                           site_k);
    }
    dataset->k = site_k;
    dataset->site_k = site_k;
    return 0;
}

/* Is the published row's period wholly inside first..last? */
static bool export_row_inside(const struct research_kanon_result *out,
                              const struct research_row *row, int32_t first, int32_t last)
{
    if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) {
        return row->first_day >= first && row->last_day <= last;
    }
    const struct research_pool *pool = &out->pools[row->pool];
    return pool->count > 0 && pool->mondays[0] >= first &&
           pool->mondays[pool->count - 1] + 6 <= last;
}

/* Arrivals: the weeks inside the window shown only as totals (key "any"). */
static void export_count_arrival_totals(struct research_dataset *dataset)
{
    struct research_table *arrivals = &dataset->tables[RESEARCH_ARRIVALS];
    size_t weeks = 0;
    uint32_t last_series = UINT32_MAX;
    int32_t last_monday = INT32_MIN;
    for (size_t r = 0; r < arrivals->published.row_count; r++) {
        const struct research_row *row = &arrivals->published.rows[r];
        if (row->note == RESEARCH_NOTE_SUPPRESSED || row->note == RESEARCH_NOTE_REMAINDER ||
            row->level == RESEARCH_LEVEL_POOLED_WEEKS || row->key >= arrivals->key_count ||
            strcmp(research_dataset_text(dataset, arrivals->keys[row->key].text[0]),
                   RESEARCH_ANY) != 0) {
            continue;
        }
        int32_t monday = research_week_monday(row->first_day);
        if (row->series != last_series || monday != last_monday) {
            weeks++;
            last_series = row->series;
            last_monday = monday;
        }
    }
    arrivals->unsplit = weeks;
}

/*
 * Windows snap inward: of the blocks published from the whole history, only those wholly
 * inside the window are shown (issue 14). A pool of quiet weeks that reaches outside is left
 * out, and a note says so.
 */
static int export_keep_window(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    size_t outside_pools = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct research_kanon_result *out = &dataset->tables[t].published;
        const struct research_kanon_result *periods =
            dataset->tables[t].parent >= 0 ? &dataset->tables[dataset->tables[t].parent].published
                                           : out;
        size_t kept = 0;
        for (size_t r = 0; r < out->row_count; r++) {
            const struct research_row *row = &out->rows[r];
            if (export_row_inside(periods, row, dataset->first_day, dataset->last_day)) {
                out->rows[kept++] = *row;
                continue;
            }
            if (row->level == RESEARCH_LEVEL_POOLED_WEEKS && t == RESEARCH_ANSWERS &&
                (r == 0 || out->rows[r - 1].pool != row->pool)) {
                const struct research_pool *pool = &periods->pools[row->pool];
                outside_pools += pool->mondays[0] <= dataset->last_day &&
                                 pool->mondays[pool->count - 1] + 6 >= dataset->first_day;
            }
        }
        out->row_count = kept;
        if (dataset->tables[t].parent >= 0) { /* rows not split: those inside the window */
            size_t unsplit = 0;
            for (size_t r = 0; r < kept; r++) {
                unsplit += out->rows[r].note == RESEARCH_NOTE_SUPPRESSED;
            }
            dataset->tables[t].unsplit = unsplit;
        }
    }
    export_count_arrival_totals(dataset);
    if (outside_pools > 0) {
        export_note(dataset,
                    "answers: %zu pooled block(s) of quiet weeks reach outside --from/--to and are "
                    "left out: a window shows only whole published blocks (it snaps inward); "
                    "widen the window to see them",
                    outside_pools);
    }
    return 0;
}

/*
 * A k above the sites' k only hides: every row below it is shown suppressed (no number).
 * The blocks themselves are those of the sites' k, so exports with other k add nothing
 * (docs/research.md, Sequences).
 */
static void export_raise_k(struct research_dataset *dataset, int k)
{
    size_t hidden = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT && k > dataset->site_k; t++) {
        struct research_kanon_result *out = &dataset->tables[t].published;
        for (size_t r = 0; r < out->row_count; r++) {
            if (out->rows[r].note != RESEARCH_NOTE_SUPPRESSED && out->rows[r].n < k) {
                out->rows[r].note = RESEARCH_NOTE_SUPPRESSED;
                out->rows[r].n = 0;
                hidden++;
            }
        }
    }
    if (hidden > 0) {
        export_note(dataset,
                    "k = %d is above the site's k %d: %zu published rows below %d are shown "
                    "without their number",
                    k, dataset->site_k, hidden, k);
    }
    dataset->k = k;
}

static void export_free_build(struct export_build *build)
{
    free(build->answer_number);
    free(build->context_split);
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
    int k = options->k;
    if (k != 0 && k < RESEARCH_K_MIN) {
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
    dataset->with_context = options->with_context;
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        dataset->tables[t].parent = -1;
    }
    build.dataset = dataset;
    uint32_t empty = 0;
    rc = texts_intern(dataset->texts, "", 0, &empty); /* text 0 is "" */

    /* The whole history, whatever the window: blocks never depend on the request. */
    const char *from_text = "0000-00-00", *to_text = "9999-99-99";
    for (size_t i = 0; i < options->db_count && rc == 0; i++) {
        rc = export_read_database(&build, options->db_paths[i], &dataset->sites[i], from_text,
                                  to_text);
        dataset->site_count = rc == 0 ? i + 1 : i;
    }
    if (rc == 0) {
        rc = export_check_sites(&build, &k);
    }
    if (rc == 0) {
        rc = export_settle_range(&build, from_day, from_given, to_day, to_given);
    }
    if (rc == 0) {
        rc = export_publish(&build);
    }
    if (rc == 0) {
        rc = export_keep_window(&build);
    }
    if (rc == 0) {
        export_raise_k(dataset, k);
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
        free(table->ladder);
        research_kanon_free(&table->published);
    }
    free(dataset->codebook);
    free(dataset->phase_configs);
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
    if (research_table_key_column(table, part) == NULL) {
        return;
    }
    if (data->parent >= 0) { /* a split: its keys hold the labels as written */
        snprintf(buf, size, "%s", research_dataset_text(dataset, data->keys[row->key].text[part]));
        return;
    }
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
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

int research_row_context_level(const struct research_dataset *dataset,
                               const struct research_row *row)
{
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    if (answers->ladder == NULL || row->note == RESEARCH_NOTE_REMAINDER ||
        row->note == RESEARCH_NOTE_SUPPRESSED || row->key >= answers->key_count) {
        return -1;
    }
    const struct research_tuple *key = &answers->keys[row->key];
    for (int level = 0; level < RESEARCH_CONTEXT_LEVELS; level++) { /* which dimensions are kept */
        bool same = true;
        for (int dimension = 0; dimension < 4; dimension++) {
            bool any =
                strcmp(research_dataset_text(dataset, key->text[1 + dimension]), RESEARCH_ANY) == 0;
            same = same && export_context_kept[level][dimension] == !any;
        }
        if (same) {
            return level;
        }
    }
    return -1;
}

const char *research_context_level_name(int level)
{
    static const char *const names[RESEARCH_CONTEXT_LEVELS] = {
        "scene, light band, sound and queue band", "scene, light band and sound",
        "light band and sound", "light band", "no room context"};
    return level >= 0 && level < RESEARCH_CONTEXT_LEVELS ? names[level] : "";
}

const char *research_wait_band_name(int index)
{
    return index >= 0 && index < (int)EXPORT_WAIT_BANDS ? export_wait_bands[index].band : "";
}

int research_row_wait_bands(const struct research_dataset *dataset, enum research_table_id table,
                            const struct research_row *row, int *first, int *last)
{
    const struct research_table *data = &dataset->tables[table];
    if (row->note == RESEARCH_NOTE_REMAINDER || row->key >= data->key_count ||
        row->key_last >= data->key_count) {
        return -EINVAL;
    }
    const struct research_tuple *low = &data->keys[row->key], *high = &data->keys[row->key_last];
    int from = -1, to = -1;
    if (table == RESEARCH_WAITS && row->note != RESEARCH_NOTE_SUPPRESSED &&
        strcmp(research_dataset_text(dataset, low->text[0]), STORE_OUTCOME_COLLECTED) == 0) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[1]));
        to = export_wait_band_index(research_dataset_text(dataset, high->text[1]));
    } else if (table == RESEARCH_STRESS_WAITS) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[2]));
        to = export_wait_band_index(research_dataset_text(dataset, low->text[3]));
    } else if (table == RESEARCH_WAIT_MESSAGES) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[4]));
        to = export_wait_band_index(research_dataset_text(dataset, low->text[5]));
    }
    if (from < 0 || to < from) {
        return -EINVAL;
    }
    *first = from;
    *last = to;
    return 0;
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
