/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_schema: opens the database file without harming anything that is not Oase's, and
 * brings an Oase file to STORE_SCHEMA_VERSION. Flow: store_open -> here -> writer thread.
 *
 * Versions live in the SQLite header: PRAGMA application_id = STORE_APPLICATION_ID says the
 * file is Oase's, PRAGMA user_version is the schema version. Version 0 is a brand-new empty
 * file or the pre-release layout that had only the meta table (and no application_id).
 * store_migrations[v] takes a file from version v to v + 1, all steps in one transaction;
 * a new schema version is one more entry in that array.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define STORE_BUSY_TIMEOUT_MS 2000 /* another process (oase-export) may hold the lock briefly */

/*
 * Every column is NOT NULL: a bind that failed would leave NULL, and the write then fails
 * loudly instead of storing a hole. The answer tables have no column finer than the hour
 * and nothing an arrival row also has except day and service: no answer can be joined to
 * a person (docs/design.md, privacy model).
 */
static const char *const store_migrations[] = {
    /* 0 -> 1: aggregate counter cells, today's arrivals, the friendly-name counter. */
    "CREATE TABLE IF NOT EXISTS meta("
    "  key TEXT NOT NULL PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"
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
    "CREATE TABLE name_counter("
    "  day TEXT NOT NULL PRIMARY KEY,"
    "  last_number INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    /* 1 -> 2: incidents the host counts, per day, phase and kind (no time, no free text). */
    "CREATE TABLE incident_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('verbal', 'physical', 'other')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, kind)"
    ") WITHOUT ROWID;",
    /* 2 -> 3: answer cells gain the light level band (part of the key, so the
     * table is rebuilt; old rows get ''), response-rate denominators, stress x actual wait
     * (counted at collection; the link lives only in memory), the waiting message shown per
     * arrival and its outcome, the codebook of wordings and the config hash per phase. */
    "CREATE TABLE answer_counts_v3("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL, question TEXT NOT NULL,"
    "  answer TEXT NOT NULL, scene TEXT NOT NULL, light_band TEXT NOT NULL, sound TEXT NOT NULL,"
    "  queue_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, question, answer, scene, light_band, sound,"
    "    queue_band)"
    ") WITHOUT ROWID;"
    "INSERT INTO answer_counts_v3 SELECT day, hour, phase, moment, question, answer, scene, '',"
    "  sound, queue_band, n FROM answer_counts;"
    "DROP TABLE answer_counts;"
    "ALTER TABLE answer_counts_v3 RENAME TO answer_counts;"
    "CREATE TABLE response_counts("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL, service TEXT NOT NULL, question TEXT NOT NULL,"
    "  response TEXT NOT NULL CHECK (response IN ('answered', 'skipped', 'not_asked')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, service, question, response)"
    ") WITHOUT ROWID;"
    "CREATE TABLE stress_wait_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  stress_band TEXT NOT NULL CHECK (stress_band IN ('0-3', '4-6', '7-10')),"
    "  wait_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, stress_band, wait_band)"
    ") WITHOUT ROWID;"
    "CREATE TABLE wait_message_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  message TEXT NOT NULL CHECK (message IN ('range', 'host_knows')),"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('collected', 'no_show', 'not_marked')),"
    "  wait_band TEXT NOT NULL,"
    "  within TEXT NOT NULL CHECK (within IN ('below', 'within', 'above', 'n/a')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, message, outcome, wait_band, within)"
    ") WITHOUT ROWID;"
    "ALTER TABLE arrivals ADD COLUMN wait_message TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE arrivals ADD COLUMN wait_low_min INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE arrivals ADD COLUMN wait_high_min INTEGER NOT NULL DEFAULT -1;"
    "CREATE TABLE codebook("
    "  item TEXT NOT NULL, lang TEXT NOT NULL, version INTEGER NOT NULL CHECK (version > 0),"
    "  text TEXT NOT NULL, first_day TEXT NOT NULL, last_day TEXT NOT NULL,"
    "  PRIMARY KEY (item, lang, version)"
    ") WITHOUT ROWID;"
    "CREATE TABLE phase_configs("
    "  phase TEXT NOT NULL, config_hash TEXT NOT NULL,"
    "  first_day TEXT NOT NULL, last_day TEXT NOT NULL,"
    "  PRIMARY KEY (phase, config_hash)"
    ") WITHOUT ROWID;",
    /* 3 -> 4: answers are written in batches of k visitors as per-day cells (hour -1), apart
     * from the arrivals (docs/privacy.md), and older answer and response cells are summed
     * into per-day cells too (one granularity per table, and no hour to join an arrival
     * on); a question can be abandoned after checking in, and
     * answers left over at a day's end are counted as withheld. The site gets a random id so
     * exports can refuse to merge a database with itself. */
    "CREATE TABLE answer_counts_v4("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN -1 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL, question TEXT NOT NULL,"
    "  answer TEXT NOT NULL, scene TEXT NOT NULL, light_band TEXT NOT NULL, sound TEXT NOT NULL,"
    "  queue_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, question, answer, scene, light_band, sound,"
    "    queue_band)"
    ") WITHOUT ROWID;"
    "INSERT INTO answer_counts_v4 SELECT day, -1, phase, moment, question, answer, scene,"
    "  light_band, sound, queue_band, sum(n) FROM answer_counts"
    "  GROUP BY day, phase, moment, question, answer, scene, light_band, sound, queue_band;"
    "DROP TABLE answer_counts;"
    "ALTER TABLE answer_counts_v4 RENAME TO answer_counts;"
    "CREATE TABLE response_counts_v4("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN -1 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL, service TEXT NOT NULL, question TEXT NOT NULL,"
    "  response TEXT NOT NULL CHECK (response IN ('answered', 'skipped', 'not_asked',"
    "    'abandoned', 'withheld')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, service, question, response)"
    ") WITHOUT ROWID;"
    "INSERT INTO response_counts_v4 SELECT day, -1, phase, moment, service, question, response,"
    "  sum(n) FROM response_counts GROUP BY day, phase, moment, service, question, response;"
    "DROP TABLE response_counts;"
    "ALTER TABLE response_counts_v4 RENAME TO response_counts;"
    "CREATE TABLE journey_counts_v4("
    "  day TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN -1 AND 23),"
    "  phase TEXT NOT NULL, moment TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned')),"
    "  last_screen TEXT NOT NULL, service TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, hour, phase, moment, outcome, last_screen, service)"
    ") WITHOUT ROWID;"
    "INSERT INTO journey_counts_v4 SELECT day, hour, phase, moment, outcome, last_screen,"
    "  service, n FROM journey_counts;"
    "DROP TABLE journey_counts;"
    "ALTER TABLE journey_counts_v4 RENAME TO journey_counts;"
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('site_id', lower(hex(randomblob(16))));",
    /* 4 -> 5: a visitor can tell the kiosk they left ("Ik ga weg"): the arrival gets status
     * 'left' and the fold counts its wait with outcome 'left'. SQLite cannot change a CHECK
     * constraint in place, so the three tables are rebuilt with their rows. */
    "CREATE TABLE arrivals_v5("
    "  day TEXT NOT NULL, name_number INTEGER NOT NULL CHECK (name_number > 0),"
    "  friendly_name TEXT NOT NULL, service TEXT NOT NULL, arrived_ms INTEGER NOT NULL,"
    "  wants_word INTEGER NOT NULL CHECK (wants_word IN (0, 1)),"
    "  status TEXT NOT NULL CHECK (status IN ('waiting', 'collected', 'no_show', 'left')),"
    "  collected_ms INTEGER NOT NULL,"
    "  wait_message TEXT NOT NULL DEFAULT '',"
    "  wait_low_min INTEGER NOT NULL DEFAULT -1,"
    "  wait_high_min INTEGER NOT NULL DEFAULT -1,"
    "  PRIMARY KEY (day, name_number)"
    ") WITHOUT ROWID;"
    "INSERT INTO arrivals_v5 SELECT day, name_number, friendly_name, service, arrived_ms,"
    "  wants_word, status, collected_ms, wait_message, wait_low_min, wait_high_min FROM arrivals;"
    "DROP TABLE arrivals;"
    "ALTER TABLE arrivals_v5 RENAME TO arrivals;"
    "CREATE TABLE wait_counts_v5("
    "  day TEXT NOT NULL, phase TEXT NOT NULL, service TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('collected', 'no_show', 'not_marked', 'left')),"
    "  wait_band TEXT NOT NULL, n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, service, outcome, wait_band)"
    ") WITHOUT ROWID;"
    "INSERT INTO wait_counts_v5 SELECT day, phase, service, outcome, wait_band, n"
    "  FROM wait_counts;"
    "DROP TABLE wait_counts;"
    "ALTER TABLE wait_counts_v5 RENAME TO wait_counts;"
    "CREATE TABLE wait_message_counts_v5("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  message TEXT NOT NULL CHECK (message IN ('range', 'host_knows')),"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('collected', 'no_show', 'not_marked', 'left')),"
    "  wait_band TEXT NOT NULL,"
    "  within TEXT NOT NULL CHECK (within IN ('below', 'within', 'above', 'n/a')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, message, outcome, wait_band, within)"
    ") WITHOUT ROWID;"
    "INSERT INTO wait_message_counts_v5 SELECT day, phase, message, outcome, wait_band, within, n"
    "  FROM wait_message_counts;"
    "DROP TABLE wait_message_counts;"
    "ALTER TABLE wait_message_counts_v5 RENAME TO wait_message_counts;"
    /* experiment: the randomised room's allocation per day: the condition applied (the first
     * application wins), its block and slot of the seeded allocation, the seed (text: it may
     * pass SQLite's integer range), the config hash, and how often a host changed the scene
     * or the sound that day. One row per day, no person. */
    "CREATE TABLE experiment_days("
    "  day TEXT PRIMARY KEY NOT NULL, experiment TEXT NOT NULL, condition TEXT NOT NULL,"
    "  block INTEGER NOT NULL CHECK (block >= 0), slot INTEGER NOT NULL CHECK (slot >= 0),"
    "  seed TEXT NOT NULL, config_hash TEXT NOT NULL,"
    "  overrides INTEGER NOT NULL DEFAULT 0 CHECK (overrides >= 0)"
    ") WITHOUT ROWID;"
    /* claims: the host desk's claim aggregates (add the CREATE TABLE here) */
    /* Arrivals marked by a desk, per day: claimed first ("Ik haal deze") and how long from
     * the claim to the mark, or not claimed. Counted at the fold; never a row per visitor. */
    "CREATE TABLE IF NOT EXISTS claim_counts("
    "  day TEXT NOT NULL, phase TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('collected', 'no_show')),"
    "  band TEXT NOT NULL CHECK (band IN ('unclaimed', '0-2', '2-5', '5-15', '15+')),"
    "  n INTEGER NOT NULL CHECK (n > 0),"
    "  PRIMARY KEY (day, phase, outcome, band)"
    ") WITHOUT ROWID;"
    "",
};

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] == STORE_SCHEMA_VERSION,
               "one migration step per schema version");

const char *store_schema_migration_sql(int from_version)
{
    if (from_version < 0 || from_version >= STORE_SCHEMA_VERSION) {
        return NULL;
    }
    return store_migrations[from_version];
}

/* Messages for people: a cut-off message is still better than none, so truncation is fine. */
__attribute__((format(printf, 3, 4))) static void store_schema_fail(char *err, size_t err_size,
                                                                    const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, err_size, fmt, args);
    va_end(args);
}

/*
 * Creates path with mode 0600 when it does not exist (*created = true), or checks that an
 * existing file is empty or starts like an SQLite database. Returns 0 or -errno.
 */
static int store_schema_check_file(const char *path, bool *created, char *err, size_t err_size)
{
    static const char sqlite_magic[16] = "SQLite format 3"; /* with its NUL: 16 bytes */
    *created = false;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        *created = true;
        close(fd);
        return 0;
    }
    if (errno != EEXIST) {
        int error = errno;
        store_schema_fail(err, err_size,
                          "cannot create the database %s: %s (the directory must exist and be "
                          "writable by the service user)",
                          path, strerror(error));
        return -error;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        store_schema_fail(err, err_size,
                          "cannot open the database %s: %s (the service user needs read and "
                          "write access)",
                          path, strerror(error));
        return -error;
    }
    int result = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        result = -errno;
        store_schema_fail(err, err_size, "cannot stat the database %s: %s", path,
                          strerror(-result));
        goto out_close;
    }
    if (!S_ISREG(st.st_mode)) {
        result = -EINVAL;
        store_schema_fail(err, err_size, "%s is not a regular file: give the store a file path",
                          path);
        goto out_close;
    }
    if (st.st_size == 0) {
        goto out_close; /* an empty file becomes a new database */
    }
    char head[sizeof sqlite_magic];
    ssize_t got = read(fd, head, sizeof head);
    if (got != (ssize_t)sizeof head || memcmp(head, sqlite_magic, sizeof head) != 0) {
        result = -EINVAL;
        store_schema_fail(err, err_size,
                          "%s is not an SQLite database (it does not start with \"SQLite format "
                          "3\"); it was left untouched: give the store a file of its own",
                          path);
    }
out_close:
    close(fd);
    return result;
}

/* Runs a query that yields one integer. Returns an SQLite result code. */
static int store_schema_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        return rc;
    }
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(stmt, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* What the file says about itself, read before anything is written. */
struct store_file_facts {
    long long application_id;
    long long user_version;
    long long table_count;
    long long meta_count; /* 1 when a table named meta exists */
};

static int store_schema_read_facts(sqlite3 *db, struct store_file_facts *facts)
{
    int rc = store_schema_int(db, "PRAGMA application_id", &facts->application_id);
    if (rc == SQLITE_OK) {
        rc = store_schema_int(db, "PRAGMA user_version", &facts->user_version);
    }
    if (rc == SQLITE_OK) {
        rc = store_schema_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                              &facts->table_count);
    }
    if (rc == SQLITE_OK) {
        rc = store_schema_int(db,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name = 'meta'",
                              &facts->meta_count);
    }
    return rc;
}

/*
 * Decides whether the file is Oase's and old enough to open. Returns its schema version, or
 * -1 with a message in err.
 */
static int store_schema_accept(const char *path, const struct store_file_facts *facts, char *err,
                               size_t err_size)
{
    bool ours = facts->application_id == STORE_APPLICATION_ID;
    bool empty_or_v0 = facts->application_id == 0 && facts->user_version == 0 &&
                       (facts->table_count == 0 || facts->meta_count == 1);
    if (!ours && !empty_or_v0) {
        store_schema_fail(err, err_size,
                          "%s is not an Oase database (application_id 0x%08llX, user_version "
                          "%lld, %lld tables; Oase uses application_id 0x%08X); it was left "
                          "untouched: give the store a file of its own",
                          path, (unsigned long long)facts->application_id & 0xFFFFFFFFull,
                          facts->user_version, facts->table_count, STORE_APPLICATION_ID);
        return -1;
    }
    if (facts->user_version > STORE_SCHEMA_VERSION || facts->user_version < 0) {
        store_schema_fail(err, err_size,
                          "%s has Oase schema version %lld, but this firmware knows versions "
                          "up to %d; it was left untouched: install the firmware that wrote it",
                          path, facts->user_version, STORE_SCHEMA_VERSION);
        return -1;
    }
    return (int)facts->user_version;
}

/* Runs the migrations from the file's version to STORE_SCHEMA_VERSION in one transaction. */
static int store_schema_migrate(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    char *sqlite_message = NULL;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &sqlite_message);
    if (rc != SQLITE_OK) {
        goto out_message;
    }
    /* Read again inside the transaction: another process may have upgraded meanwhile. */
    long long version = 0;
    rc = store_schema_int(db, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK) {
        goto out_rollback;
    }
    for (long long step = version; step < STORE_SCHEMA_VERSION; step++) {
        rc = sqlite3_exec(db, store_migrations[step], NULL, NULL, &sqlite_message);
        if (rc != SQLITE_OK) {
            goto out_rollback;
        }
    }
    char pragmas[96];
    int length =
        snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
                 STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
    if (length < 0 || (size_t)length >= sizeof pragmas) {
        rc = SQLITE_INTERNAL;
        goto out_rollback;
    }
    rc = sqlite3_exec(db, pragmas, NULL, NULL, &sqlite_message);
    if (rc != SQLITE_OK) {
        goto out_rollback;
    }
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &sqlite_message);
    if (rc != SQLITE_OK) {
        goto out_rollback;
    }
    if (version < STORE_SCHEMA_VERSION) {
        log_msg(LOG_INFO, "%s: database schema %lld -> %d", path, version, STORE_SCHEMA_VERSION);
    }
    return 0;

out_rollback:
    store_schema_fail(err, err_size, "%s: cannot create or upgrade the schema to version %d: %s",
                      path, STORE_SCHEMA_VERSION,
                      sqlite_message ? sqlite_message : sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_free(sqlite_message);
    return -EIO;
out_message:
    store_schema_fail(err, err_size, "%s: cannot start the schema transaction: %s", path,
                      sqlite_message ? sqlite_message : sqlite3_errmsg(db));
    sqlite3_free(sqlite_message);
    return -EIO;
}

/* Connection settings; journal_mode persists in the file, the others per connection. */
static int store_schema_configure(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(stmt, 0);
        if (mode == NULL || strcmp(mode, "wal") != 0) {
            log_msg(LOG_WARN,
                    "%s: journal_mode is %s, not wal (the file system may not support shared "
                    "memory); writes stay durable but slower",
                    path, mode ? mode : "unknown");
        }
    }
    sqlite3_finalize(stmt);
    char *sqlite_message = NULL;
    rc = sqlite3_exec(db,
                      "PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF; "
                      "PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;",
                      NULL, NULL, &sqlite_message);
    if (rc != SQLITE_OK) {
        store_schema_fail(err, err_size, "%s: cannot configure the connection: %s", path,
                          sqlite_message ? sqlite_message : sqlite3_errmsg(db));
        sqlite3_free(sqlite_message);
        return -EIO;
    }
    return 0;
}

/* The database and its companions (-wal, -shm, -journal) are for the service user only. */
static void store_schema_tighten_modes(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char name[PATH_MAX];
        int length = snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        if (length < 0 || (size_t)length >= sizeof name) {
            continue; /* store_open already refused paths this long */
        }
        if (chmod(name, 0600) != 0 && errno != ENOENT) {
            log_msg(LOG_WARN, "%s: cannot set mode 0600: %s (other users may read it)", name,
                    strerror(errno));
        }
    }
}

/* Removes a database this call created, so a failed open leaves the disk as it was. */
static void store_schema_remove_created(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char name[PATH_MAX];
        int length = snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        if (length >= 0 && (size_t)length < sizeof name) {
            unlink(name);
        }
    }
}

sqlite3 *store_schema_open(const char *path, char *err, size_t err_size)
{
    if (strlen(path) + sizeof "-journal" > PATH_MAX) {
        store_schema_fail(err, err_size, "database path too long (%zu bytes, at most %d)",
                          strlen(path), PATH_MAX - (int)sizeof "-journal");
        return NULL;
    }
    bool created = false;
    bool in_memory = strcmp(path, ":memory:") == 0; /* SQLite's name: no file is made */
    if (!in_memory && store_schema_check_file(path, &created, err, err_size) != 0) {
        return NULL;
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        store_schema_fail(err, err_size, "cannot open the database %s: %s", path,
                          db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto out_close_db;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);

    struct store_file_facts facts = {0};
    rc = store_schema_read_facts(db, &facts);
    if (rc == SQLITE_NOTADB) {
        store_schema_fail(err, err_size,
                          "%s is not an SQLite database (%s); it was left untouched: give the "
                          "store a file of its own",
                          path, sqlite3_errmsg(db));
        goto out_close_db;
    }
    if (rc != SQLITE_OK) {
        store_schema_fail(err, err_size, "cannot read the database %s: %s", path,
                          sqlite3_errmsg(db));
        goto out_close_db;
    }
    if (store_schema_accept(path, &facts, err, err_size) < 0) {
        goto out_close_db;
    }
    store_schema_tighten_modes(path);
    if (store_schema_migrate(db, path, err, err_size) != 0) {
        goto out_close_db;
    }
    if (store_schema_configure(db, path, err, err_size) != 0) {
        goto out_close_db;
    }
    store_schema_tighten_modes(path); /* the -wal and -shm that WAL mode just made */
    return db;

out_close_db:
    sqlite3_close(db); /* NULL is a no-op */
    if (created) {
        store_schema_remove_created(path);
    }
    return NULL;
}
