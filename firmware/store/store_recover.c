/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_recover: a database file the kiosk cannot use, found at start (a power cut tore it,
 * the SD card lost blocks, someone put another program's file there, or a newer firmware
 * wrote it). The file is diagnosed before the store opens it and, when its content is the
 * problem, renamed aside with its companions, so a technician can still rescue its counts.
 * What it must not keep is people: its arrivals (friendly names, times) are removed at once
 * (store_recover_scrub); a file that cannot be scrubbed is removed after the day it was
 * moved aside (store_recover_sweep, at every fold). docs/privacy.md.
 * Flow: store_open_recover -> diagnose -> move aside -> scrub -> store_open (fresh file).
 *
 * Never touches a file whose only problem is access (permissions, a read-only directory):
 * those are reported by store_schema_open and the kiosk counts in memory.
 */
#include "store/store_internal.h"

#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_RECOVER_HEADER 100 /* bytes of the SQLite file header */
#define STORE_RECOVER_BUSY_MS 2000

/* Runs a query that yields one integer. Returns an SQLite result code. */
static int store_recover_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(stmt, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* The file's first bytes: is it an SQLite file with a sane header? NULL when it is. */
static const char *store_recover_check_header(int fd, off_t size, char *detail, size_t size_d)
{
    static const char magic[16] = "SQLite format 3"; /* with its NUL: 16 bytes */
    unsigned char head[STORE_RECOVER_HEADER];
    ssize_t got = read(fd, head, sizeof head);
    if (got < (ssize_t)sizeof magic || memcmp(head, magic, sizeof magic) != 0) {
        snprintf(detail, size_d, "it does not start with \"SQLite format 3\" (%lld bytes)",
                 (long long)size);
        return "damaged";
    }
    if (got < (ssize_t)sizeof head) {
        snprintf(detail, size_d, "its header is cut off after %zd of %d bytes", got,
                 STORE_RECOVER_HEADER);
        return "damaged";
    }
    unsigned page = (unsigned)head[16] << 8 | head[17];
    page = page == 1 ? 65536u : page;
    if (page < 512 || (page & (page - 1)) != 0) {
        snprintf(detail, size_d, "its header is torn (page size %u)", page);
        return "damaged";
    }
    if (size % page != 0) {
        snprintf(detail, size_d, "it is cut off (%lld bytes, not a whole number of %u-byte pages)",
                 (long long)size, page);
        return "corrupt";
    }
    return NULL;
}

/* The file as SQLite sees it: whose it is, which version, and PRAGMA integrity_check. */
static const char *store_recover_check_content(const char *path, char *detail, size_t size)
{
    sqlite3 *db = NULL;
    const char *reason = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        goto out_close; /* access, not content: store_schema_open says why */
    }
    sqlite3_busy_timeout(db, STORE_RECOVER_BUSY_MS);
    long long app_id = 0, version = 0, tables = 0, meta = 0;
    rc = store_recover_int(db, "PRAGMA application_id", &app_id);
    if (rc == SQLITE_OK) {
        rc = store_recover_int(db, "PRAGMA user_version", &version);
    }
    if (rc == SQLITE_OK) {
        rc = store_recover_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                               &tables);
    }
    if (rc == SQLITE_OK) {
        rc = store_recover_int(
            db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", &meta);
    }
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
        snprintf(detail, size, "SQLite cannot read it: %s", sqlite3_errmsg(db));
        reason = rc == SQLITE_NOTADB ? "damaged" : "corrupt";
        goto out_close;
    }
    if (rc != SQLITE_OK) {
        goto out_close; /* busy, I/O: not a verdict on the content */
    }
    bool ours = app_id == STORE_APPLICATION_ID;
    bool empty_or_v0 = app_id == 0 && version == 0 && (tables == 0 || meta == 1);
    if (!ours && !empty_or_v0) {
        snprintf(detail, size,
                 "it is not an Oase database (application_id 0x%08llX, user_version %lld, "
                 "%lld tables)",
                 (unsigned long long)app_id & 0xFFFFFFFFull, version, tables);
        reason = "foreign";
        goto out_close;
    }
    if (version > STORE_SCHEMA_VERSION || version < 0) {
        snprintf(detail, size,
                 "it has Oase schema version %lld, this firmware knows versions up to %d", version,
                 STORE_SCHEMA_VERSION);
        reason = "newer";
        goto out_close;
    }
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(3)", -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
    }
    if (rc == SQLITE_ROW) {
        const char *verdict = (const char *)sqlite3_column_text(stmt, 0);
        if (verdict == NULL || strcmp(verdict, "ok") != 0) {
            snprintf(detail, size, "PRAGMA integrity_check: %s", verdict ? verdict : "no answer");
            reason = "corrupt";
        }
    } else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
        snprintf(detail, size, "PRAGMA integrity_check: %s", sqlite3_errmsg(db));
        reason = "corrupt";
    }
    sqlite3_finalize(stmt);
out_close:
    sqlite3_close(db); /* NULL is a no-op */
    return reason;
}

const char *store_recover_diagnose(const char *path, char *detail, size_t detail_size)
{
    detail[0] = '\0';
    if (strcmp(path, ":memory:") == 0) {
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return NULL; /* missing (a new file is made) or not readable (reported on open) */
    }
    struct stat st;
    const char *reason = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        close(fd); /* not a file to move, or an empty file that becomes a database */
        return NULL;
    }
    reason = store_recover_check_header(fd, st.st_size, detail, detail_size);
    close(fd);
    if (reason == NULL) {
        reason = store_recover_check_content(path, detail, detail_size);
    }
    for (char *c = detail; *c; c++) {
        *c = *c == '\n' ? ' ' : *c; /* integrity_check lists lines: one line for the log */
    }
    return reason;
}

/* Renames from to to unless to exists. Returns 0, -EEXIST, or -errno of rename. */
static int store_recover_rename(const char *from, const char *to)
{
    struct stat st;
    if (lstat(to, &st) == 0) {
        return -EEXIST;
    }
    return rename(from, to) == 0 ? 0 : -errno;
}

int store_recover_move_aside(const char *path, const char *reason, time_t now_s, char *aside,
                             size_t aside_size, char *err, size_t err_size)
{
    static const char *const companions[] = {"-wal", "-shm", "-journal"};
    struct tm local;
    char stamp[32];
    if (localtime_r(&now_s, &local) == NULL ||
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &local) == 0) {
        snprintf(stamp, sizeof stamp, "%lld", (long long)now_s);
    }
    char base[PATH_MAX];
    int rc = -EEXIST;
    for (int n = 1; n < 100 && rc == -EEXIST; n++) {
        int length = n == 1 ? snprintf(base, sizeof base, "%s.%s-%s", path, reason, stamp)
                            : snprintf(base, sizeof base, "%s.%s-%s.%d", path, reason, stamp, n);
        if (length < 0 || (size_t)length + sizeof "-journal" > sizeof base) {
            snprintf(err, err_size, "%s: path too long to move the file aside", path);
            return -ENAMETOOLONG;
        }
        rc = store_recover_rename(path, base);
    }
    if (rc != 0) {
        snprintf(err, err_size,
                 "cannot move %s aside as %s: %s (the directory must be writable "
                 "by the service user)",
                 path, base, strerror(-rc));
        return rc;
    }
    snprintf(aside, aside_size, "%s", base);
    for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
        char from[PATH_MAX], to[PATH_MAX];
        int from_length = snprintf(from, sizeof from, "%s%s", path, companions[i]);
        int to_length = snprintf(to, sizeof to, "%s%s", base, companions[i]);
        if (from_length < 0 || (size_t)from_length >= sizeof from || to_length < 0 ||
            (size_t)to_length >= sizeof to) {
            continue; /* checked above: both fit */
        }
        if (rename(from, to) != 0 && errno != ENOENT) {
            /* A stale -wal beside a fresh database would be replayed into it: never keep it. */
            int error = errno;
            snprintf(err, err_size, "moved %s aside as %s, but not %s: %s", path, base, from,
                     strerror(error));
            return -error;
        }
    }
    return 0;
}

bool store_recover_scrubbable(const char *reason)
{
    /* "damaged": SQLite cannot read it (opening it could discard its -wal, which a
     * technician may need); "foreign": not Oase's, holds none of its arrivals. */
    return strcmp(reason, "corrupt") == 0 || strcmp(reason, "newer") == 0;
}

int store_recover_scrub(const char *aside, char *err, size_t err_size)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(aside, &db, SQLITE_OPEN_READWRITE, NULL);
    long long tables = 0;
    if (rc == SQLITE_OK) {
        rc = store_recover_int(db,
                               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name IN ('arrivals', 'name_counter')",
                               &tables);
    }
    if (rc == SQLITE_OK && tables > 0) {
        /* secure_delete zeroes the rows' bytes in their pages; the checkpoint takes them out
         * of the -wal, and closing the last connection removes it. */
        rc = sqlite3_exec(db,
                          "PRAGMA secure_delete = ON; DELETE FROM arrivals; "
                          "DELETE FROM name_counter; PRAGMA wal_checkpoint(TRUNCATE);",
                          NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s: cannot remove its arrivals: %s", aside,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK) {
        rc = SQLITE_BUSY;
        snprintf(err, err_size, "%s: cannot close it after removing its arrivals", aside);
    }
    return rc == SQLITE_OK ? 0 : -EIO;
}

/* The local date "YYYY-MM-DD" encoded in an aside name "<base>.<reason>-YYYYMMDDTHHMMSS...". */
static bool store_recover_aside_day(const char *name, size_t base_length, char *reason,
                                    size_t reason_size, char *day, size_t day_size)
{
    const char *rest = name + base_length;
    if (rest[0] != '.') {
        return false;
    }
    const char *dash = strchr(rest + 1, '-');
    size_t reason_length = dash ? (size_t)(dash - rest - 1) : 0;
    if (dash == NULL || reason_length == 0 || reason_length >= reason_size ||
        strlen(dash + 1) < 15 || dash[9] != 'T') {
        return false;
    }
    for (int i = 1; i <= 8; i++) {
        if (dash[i] < '0' || dash[i] > '9') {
            return false;
        }
    }
    static const char *const companions[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
        size_t length = strlen(name), suffix = strlen(companions[i]);
        if (length > suffix && strcmp(name + length - suffix, companions[i]) == 0) {
            return false;
        }
    }
    memcpy(reason, rest + 1, reason_length);
    reason[reason_length] = '\0';
    snprintf(day, day_size, "%.4s-%.2s-%.2s", dash + 1, dash + 5, dash + 7);
    return true;
}

int store_recover_sweep(const char *path, const char *today)
{
    char directory[PATH_MAX];
    snprintf(directory, sizeof directory, "%s", path);
    char *slash = strrchr(directory, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(directory, sizeof directory, ".");
    }
    DIR *dir = opendir(directory);
    if (dir == NULL) {
        return 0;
    }
    size_t base_length = strlen(base);
    int removed = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        char reason[16], day[16];
        if (strncmp(entry->d_name, base, base_length) != 0 ||
            !store_recover_aside_day(entry->d_name, base_length, reason, sizeof reason, day,
                                     sizeof day) ||
            strcmp(reason, "foreign") == 0) { /* not Oase's: holds none of its arrivals */
            continue;
        }
        char aside[PATH_MAX], err[PATH_MAX + 128];
        if (snprintf(aside, sizeof aside, "%s/%s", directory, entry->d_name) >= (int)sizeof aside) {
            continue;
        }
        if (!store_recover_scrubbable(reason)) {
            snprintf(err, sizeof err, "%s: SQLite cannot read it to remove its arrivals", aside);
        } else if (store_recover_scrub(aside, err, sizeof err) == 0) {
            continue;
        }
        if (today != NULL && strcmp(day, today) >= 0) {
            log_msg(LOG_WARN,
                    "%s; it may hold today's friendly names: it is removed at the end "
                    "of the day unless its counts are rescued before",
                    err);
            continue;
        }
        static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            char file[PATH_MAX + 16];
            snprintf(file, sizeof file, "%s%s", aside, suffixes[i]);
            if (unlink(file) == 0 && i == 0) {
                removed++;
            }
        }
        log_msg(LOG_ERROR,
                "%s; removed: a database moved aside on %s may hold that day's friendly names "
                "and is never kept past its day (docs/privacy.md)",
                err, day);
    }
    closedir(dir);
    return removed;
}
