/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store: see store.h. This file holds the lifecycle, the bounded write queue and its writer
 * thread, and the public calls. Flow: screen -> store_arrive() -> queue (and the in-memory
 * mirror, at once) -> writer thread -> store_sql_run() -> disk -> store_committed_seq();
 * screen -> store_answer() -> pool -> store_tick() -> a batch of >= k -> queue -> disk.
 */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/store_internal.h"
#include "store/store_test.h"

#define STORE_RETRY_PAUSE_MS 100     /* pause after failed attempt k: k * this */
#define STORE_HOLD_PAUSE_MIN_MS 5000 /* then, while the disk refuses: 5, 10, 20, 30 ... s */
#define STORE_HOLD_PAUSE_MAX_MS 30000
#define STORE_HOLD_LOG_EVERY 20 /* while holding, log every 20th attempt (10 min at 30 s) */

/*
 * A boot's clock mark (meta clock_boot): the boot, its clock's offset (wall - boot time) when
 * last known, and the day and number of its first arrival. An arrival written in this boot
 * (by any run of the kiosk) is at or after (day, first); a restart of the process keeps the
 * boot and its offset, so a clock step seen by a later run re-dates them too.
 */
struct store_clock_mark {
    char boot_id[CLOCK_BOOT_ID_SIZE]; /* "" = none */
    int64_t offset_ms;
    char day[STORE_DAY_SIZE]; /* "" = no arrival in this boot yet */
    int first;
    bool this_boot; /* store_clock_boot named this boot (else: as loaded) */
    bool on_disk;   /* this boot's mark is in meta */
};

struct store {
    char path[PATH_MAX];             /* for messages */
    const struct phase_list *phases; /* owned by the caller, outlives the store */
    int closing_minute;              /* minutes after midnight; -1 = fold only at midnight */
    sqlite3 *db;                     /* used by the writer thread only once it runs */
    struct store_sql sql;            /* prepared statements of db */
    pthread_t writer;

    pthread_mutex_t lock;                   /* guards every field below */
    pthread_cond_t queue_changed;           /* an op was queued, or stopping was set */
    pthread_cond_t op_done;                 /* done_seq grew */
    struct store_op *queue;                 /* ring of STORE_QUEUE_MAX; an op leaves it once done */
    int queue_head;                         /* index of the oldest op (the one being written) */
    int queue_count;                        /* ops queued, including the one being written */
    int64_t last_seq;                       /* sequence number of the newest queued op */
    int64_t done_seq;                       /* newest op committed or given up */
    int64_t failed_writes;                  /* ops given up after STORE_WRITE_ATTEMPTS */
    int64_t failed_seqs[STORE_FAILED_SEQS]; /* the latest given-up sequence numbers (ring) */
    int failed_seq_next;                    /* next slot of failed_seqs */
    bool holding;                           /* the disk refused the oldest op: ops wait */
    int64_t hold_attempts;                  /* failed attempts on a refusing disk so far */
    int64_t attempts_failed;                /* every failed attempt since open (never reset) */
    bool retry_now;                         /* store_flush asked for an attempt, no pause */
    int64_t lost;                           /* ops refused because the queue was full */
    bool abandon_rest;                      /* closing on a refusing disk: give up the rest */
    char fault[512];                        /* a file moved aside at start or while running */
    bool stopping;                          /* store_close: accept nothing, drain, exit */
    char last_error[512];                   /* the writer's last failure, "" = none */
    struct store_clock_mark clock_mark;     /* meta clock_boot as loaded, then this boot's */
    char tick_day[STORE_DAY_SIZE];          /* day of the last store_tick ("" = none yet) */
    char closing_fold_day[STORE_DAY_SIZE];  /* day whose closing fold was queued */
    struct store_mirror mirror;             /* what the frame thread reads */
    struct store_codebook_entry *codebook;  /* wording in use (store_set_codebook), owned */
    int codebook_count;
    int codebook_queued;                      /* entries queued for described_day so far */
    bool config_hash_queued;                  /* config_hash queued for described_day */
    char config_hash[STORE_CONFIG_HASH_SIZE]; /* "" = not given */
    char described_day[STORE_DAY_SIZE];       /* day whose codebook and config hash are queued */
    struct store_pool pool;                   /* answers waiting for a batch of batch_k */
    int batch_k;                              /* visitors a batch mixes at least */
    int site_k;                               /* meta research_k when the file has one, else 0 */
    int64_t pool_refused;                     /* answers refused: the pool was full */
    int64_t withheld;                         /* answers counted as withheld since open */
};

static const char *store_op_name(enum store_op_kind kind)
{
    switch (kind) {
    case STORE_OP_ARRIVE:
        return "check-in";
    case STORE_OP_SERVICE:
        return "service of an arrival";
    case STORE_OP_WANTS_WORD:
        return "wish for a word";
    case STORE_OP_BATCH:
        return "batch of answers";
    case STORE_OP_ABANDONED:
        return "abandoned journey";
    case STORE_OP_STATUS:
        return "arrival status";
    case STORE_OP_FOLD:
        return "fold of arrivals into counts";
    case STORE_OP_INCIDENT:
        return "incident count";
    case STORE_OP_CODEBOOK:
        return "codebook wording";
    case STORE_OP_PHASE_CONFIG:
        return "config hash of the phase";
    case STORE_OP_SITE:
        return "site name";
    case STORE_OP_RESEARCH_K:
        return "site's k";
    case STORE_OP_REDATE:
        return "re-dating of arrivals after a clock step";
    case STORE_OP_EXPERIMENT_DAY:
        return "experiment day";
    case STORE_OP_EXPERIMENT_OVERRIDE:
        return "experiment override";
    case STORE_OP_CLAIMS:
        return "claim counts of a fold";
    case STORE_OP_CLOCK_MARK:
        return "clock mark of this boot";
    }
    return "write";
}

/*
 * Failures of the disk or the file, not of the write's content: the write is held and tried
 * again later. Anything else (a constraint, a misuse) would fail the same way every time.
 */
static bool store_disk_refused(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
        return true;
    default:
        return false;
    }
}

/* Pause after failed attempt k: 100, 200, 300 ms, then 5, 10, 20, 30, 30 ... s. */
static int store_retry_pause_ms(int attempt)
{
    if (attempt < STORE_WRITE_ATTEMPTS) {
        return STORE_RETRY_PAUSE_MS * attempt;
    }
    int shift = attempt - STORE_WRITE_ATTEMPTS;
    long pause = (long)STORE_HOLD_PAUSE_MIN_MS << (shift < 4 ? shift : 4);
    return pause < STORE_HOLD_PAUSE_MAX_MS ? (int)pause : STORE_HOLD_PAUSE_MAX_MS;
}

/* Waits ms, or less when store_flush or store_close asks (lock held). */
static void store_pause_locked(struct store *store, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!store->stopping && !store->retry_now) {
        if (pthread_cond_timedwait(&store->queue_changed, &store->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    store->retry_now = false;
}

/* The disk took a write again after refusing: say so once, clear the fault (lock held). */
static void store_note_written_locked(struct store *store, const struct store_op *op)
{
    if (!store->holding) {
        return;
    }
    log_msg(LOG_INFO,
            "%s: the disk takes writes again (%s %lld written after %lld failed "
            "attempts); the %d writes waiting in memory follow",
            store->path, store_op_name(op->kind), (long long)op->seq,
            (long long)store->hold_attempts, store->queue_count - 1);
    store->holding = false;
    store->hold_attempts = 0;
    store->last_error[0] = '\0';
}

/*
 * Opens path afresh for the writer after the file was moved aside (or when that failed
 * before). Writer thread only. Returns true when store->db is usable again.
 */
static bool store_reopen(struct store *store, char *err, size_t err_size)
{
    sqlite3 *db = store_schema_open(store->path, err, err_size);
    if (db == NULL) {
        return false;
    }
    if (store_sql_prepare(&store->sql, db, store->phases, err, err_size) != 0) {
        store_sql_finalize(&store->sql);
        sqlite3_close(db);
        return false;
    }
    pthread_mutex_lock(&store->lock);
    store->db = db;
    pthread_mutex_unlock(&store->lock);
    return true;
}

/*
 * The file turned out damaged while running (SQLITE_CORRUPT or SQLITE_NOTADB on a write).
 * Writer thread only, lock not held. When store_recover_diagnose confirms it, the
 * connection is closed, the file moved aside as at start, and a fresh one opened: the held
 * writes go there. Today's earlier arrivals stay in the moved file (the host still sees
 * them: the mirror keeps them). Returns true when a fresh file is in use; false leaves the
 * connection as it was, and the writes stay held.
 */
static bool store_recover_running(struct store *store)
{
    char detail[256];
    const char *reason = store_recover_diagnose(store->path, detail, sizeof detail);
    if (reason == NULL) {
        return false; /* not confirmed: perhaps the disk, not the file */
    }
    char aside[PATH_MAX], err[512];
    store_sql_finalize(&store->sql);
    pthread_mutex_lock(&store->lock);
    sqlite3 *old = store->db;
    store->db = NULL;
    pthread_mutex_unlock(&store->lock);
    sqlite3_close(old);
    if (store_recover_move_aside(store->path, reason, time(NULL), aside, sizeof aside, err,
                                 sizeof err) != 0) {
        log_msg(LOG_ERROR, "%s: %s while running; %s; the writes wait in memory", store->path,
                detail, err);
        store_reopen(store, err, sizeof err); /* back to the damaged file: writes stay held */
        return false;
    }
    char scrub_err[512] = "";
    bool scrubbed = store_recover_scrubbable(reason) &&
                    store_recover_scrub(aside, scrub_err, sizeof scrub_err) == 0;
    bool fresh = store_reopen(store, err, sizeof err);
    char fault[sizeof store->fault];
    int length = snprintf(
        fault, sizeof fault,
        "%s became unusable while running (%s): moved aside as %s (it "
        "holds the counts so far; %s)%s%s",
        store->path, detail, aside,
        scrubbed ? "its arrivals removed" : "it may hold friendly names: removed after its day",
        fresh ? ", a fresh database was started" : "; no fresh one: ", fresh ? "" : err);
    if (length < 0) {
        snprintf(fault, sizeof fault, "the database became unusable while running: moved aside");
    }
    log_msg(LOG_ERROR, "%s", fault);
    pthread_mutex_lock(&store->lock);
    memcpy(store->fault, fault, sizeof fault);
    pthread_mutex_unlock(&store->lock);
    return fresh;
}

/*
 * Counts the check-ins waiting in the queue (lock held) and lists their friendly-name
 * numbers in names (" (numbers 3, 4, ...)", cut to fit; "" when none).
 */
static int store_lost_checkins_locked(struct store *store, char *names, size_t size)
{
    int count = 0;
    size_t used = 0;
    names[0] = '\0';
    for (int i = 0; i < store->queue_count; i++) {
        const struct store_op *queued = &store->queue[(store->queue_head + i) % STORE_QUEUE_MAX];
        if (queued->kind != STORE_OP_ARRIVE) {
            continue;
        }
        int n = snprintf(names + used, used < size ? size - used : 0, "%s%d",
                         count == 0 ? " (numbers " : ", ", queued->u.arrive.name_number);
        used += n > 0 ? (size_t)n : 0;
        count++;
    }
    if (count > 0 && used + 2 <= size) {
        names[used] = ')';
        names[used + 1] = '\0';
    } else if (count > 0 && size >= 5) {
        memcpy(names + size - 5, "...)", 5); /* cut: still says it goes on */
    }
    return count;
}

/*
 * Writes one op. A disk that refuses it makes the store hold it (and everything after it)
 * and try again with a growing pause, as long as it takes; a write refused for its content
 * is given up after STORE_WRITE_ATTEMPTS. Returns true when it was committed.
 */
static bool store_write_with_retries(struct store *store, const struct store_op *op)
{
    for (int attempt = 1;; attempt++) {
        char sqlite_message[256] = "";
        pthread_mutex_lock(&store->lock);
        bool abandon = store->abandon_rest;
        bool closed = store->db == NULL; /* moved aside, no fresh file yet */
        pthread_mutex_unlock(&store->lock);
        if (closed && !abandon) {
            closed = !store_reopen(store, sqlite_message, sizeof sqlite_message);
        }
        int rc = abandon  ? SQLITE_ABORT
                 : closed ? SQLITE_CANTOPEN
                          : store_sql_run(&store->sql, op, sqlite_message, sizeof sqlite_message);
        if (((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) &&
            store_recover_running(store)) {
            rc = store_sql_run(&store->sql, op, sqlite_message, sizeof sqlite_message);
        }
        pthread_mutex_lock(&store->lock);
        if (rc == SQLITE_OK) {
            store_note_written_locked(store, op);
            pthread_mutex_unlock(&store->lock);
            return true;
        }
        if (abandon) {
            pthread_mutex_unlock(&store->lock);
            return false;
        }
        store->attempts_failed++;
        bool refused = store_disk_refused(rc);
        bool give_up = refused
                           ? store->stopping && (store->holding || attempt >= STORE_WRITE_ATTEMPTS)
                           : attempt >= STORE_WRITE_ATTEMPTS;
        if (refused && !give_up) {
            store->holding = true; /* this op and all after it wait in memory */
            store->hold_attempts++;
            pthread_cond_broadcast(&store->op_done); /* store_flush stops waiting */
        }
        char message[sizeof store->last_error];
        int length;
        if (give_up && refused) {
            char names[160];
            int checkins = store_lost_checkins_locked(store, names, sizeof names);
            length = snprintf(message, sizeof message,
                              "%s: %s %lld not written: %s; closing: it and the %d writes "
                              "after it in memory are lost, %d of them check-ins%s",
                              store->path, store_op_name(op->kind), (long long)op->seq,
                              sqlite_message, store->queue_count - 1, checkins, names);
            store->abandon_rest = true;
        } else if (give_up) {
            length = snprintf(message, sizeof message,
                              "%s: %s %lld not written: %s (attempt %d of %d; given up: the "
                              "database refuses its content)",
                              store->path, store_op_name(op->kind), (long long)op->seq,
                              sqlite_message, attempt, STORE_WRITE_ATTEMPTS);
        } else if (refused) {
            length = snprintf(message, sizeof message,
                              "%s: %s %lld not written: %s (attempt %d; it and %d more wait in "
                              "memory, will retry: check free space and the file's owner)",
                              store->path, store_op_name(op->kind), (long long)op->seq,
                              sqlite_message, attempt, store->queue_count - 1);
        } else {
            length = snprintf(message, sizeof message,
                              "%s: %s %lld not written: %s (attempt %d of %d; will retry)",
                              store->path, store_op_name(op->kind), (long long)op->seq,
                              sqlite_message, attempt, STORE_WRITE_ATTEMPTS);
        }
        if (length < 0) {
            snprintf(message, sizeof message, "%s not written", store_op_name(op->kind));
        } /* a message cut to fit still names the file, the write and SQLite's reason */
        memcpy(store->last_error, message, sizeof message);
        if (give_up || attempt <= STORE_WRITE_ATTEMPTS || attempt % STORE_HOLD_LOG_EVERY == 0) {
            log_msg(give_up || attempt == STORE_WRITE_ATTEMPTS ? LOG_ERROR : LOG_WARN, "%s",
                    message);
        }
        if (give_up) {
            pthread_mutex_unlock(&store->lock);
            return false;
        }
        store_pause_locked(store, store_retry_pause_ms(attempt));
        pthread_mutex_unlock(&store->lock);
    }
}

/* The writer thread: takes the oldest op, writes it, marks it done; drains before exit. */
static void *store_writer_main(void *arg)
{
    struct store *store = arg;
    pthread_mutex_lock(&store->lock);
    for (;;) {
        while (store->queue_count == 0 && !store->stopping) {
            pthread_cond_wait(&store->queue_changed, &store->lock);
        }
        if (store->queue_count == 0) {
            break; /* stopping, and everything is written */
        }
        struct store_op op = store->queue[store->queue_head];
        pthread_mutex_unlock(&store->lock);

        bool written = store_write_with_retries(store, &op);
        if (op.kind == STORE_OP_BATCH) {
            store_batch_free(op.u.batch); /* written or lost: its answers leave memory */
        } else if (op.kind == STORE_OP_FOLD && strcmp(store->path, ":memory:") != 0) {
            store_recover_sweep(store->path, op.u.fold.today); /* no person kept aside */
        }

        pthread_mutex_lock(&store->lock);
        memset(&store->queue[store->queue_head], 0, sizeof op); /* no answer lingers in memory */
        store->queue_head = (store->queue_head + 1) % STORE_QUEUE_MAX;
        store->queue_count--;
        store->done_seq = op.seq;
        if (!written) {
            store->failed_writes++;
            store->failed_seqs[store->failed_seq_next] = op.seq;
            store->failed_seq_next = (store->failed_seq_next + 1) % STORE_FAILED_SEQS;
        }
        explicit_bzero(&op, sizeof op); /* a dead store the compiler must keep */
        pthread_cond_broadcast(&store->op_done);
    }
    pthread_mutex_unlock(&store->lock);
    return NULL;
}

/* Queues a copy of op (lock held). Returns its sequence number or -EAGAIN. */
static int64_t store_enqueue_locked(struct store *store, struct store_op *op)
{
    if (store->stopping) {
        return -EAGAIN;
    }
    if (store->queue_count >= STORE_QUEUE_MAX) {
        if (store->lost++ == 0) {
            log_msg(LOG_ERROR,
                    "%s: %d writes wait in memory, the most it holds: new ones are "
                    "refused and counted as lost until the disk takes writes again",
                    store->path, STORE_QUEUE_MAX);
        }
        return -EAGAIN;
    }
    op->seq = ++store->last_seq;
    int slot = (store->queue_head + store->queue_count) % STORE_QUEUE_MAX;
    store->queue[slot] = *op;
    store->queue_count++;
    pthread_cond_signal(&store->queue_changed);
    return op->seq;
}

static void store_clock_mark_queue_locked(struct store *store);
static void store_clock_mark_moved_locked(struct store *store, int64_t step_ms);

/* meta clock_boot of an open database into mark; a missing or garbled one leaves it empty. */
static void store_read_clock_mark(sqlite3 *db, struct store_clock_mark *mark)
{
    memset(mark, 0, sizeof *mark);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'clock_boot'", -1, &stmt,
                           NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        char boot_id[CLOCK_BOOT_ID_SIZE], day[STORE_DAY_SIZE];
        long long offset = 0;
        int first = 0;
        if (text != NULL && sscanf(text, "%39s %lld %10s %d", boot_id, &offset, day, &first) == 4 &&
            strlen(day) == 10 && first >= 0) {
            snprintf(mark->boot_id, sizeof mark->boot_id, "%s", boot_id);
            snprintf(mark->day, sizeof mark->day, "%s", strcmp(day, "-") ? day : "");
            mark->offset_ms = offset;
            mark->first = first;
        } else if (text != NULL) {
            log_msg(LOG_WARN,
                    "meta clock_boot \"%.60s\" is not \"BOOT_ID OFFSET_MS YYYY-MM-DD FIRST\": "
                    "ignored (a clock step re-dates only this run's arrivals)",
                    text);
        }
    }
    sqlite3_finalize(stmt);
}

/* meta research_k of an open database, or 0 when it has none (or it is not a number). */
static int store_read_site_k(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int k = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'research_k'", -1, &stmt,
                           NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        char *end = NULL;
        long value = text != NULL ? strtol(text, &end, 10) : 0;
        k = text != NULL && end != text && *end == '\0' && value <= INT_MAX ? (int)value : 0;
    }
    sqlite3_finalize(stmt);
    return k >= STORE_BATCH_K_MIN && k <= STORE_POOL_MAX / 2 ? k : 0;
}

struct store *store_open(const char *path, const struct phase_list *phases, int closing_minute,
                         char *err, size_t err_size)
{
    char scratch[8];
    if (err == NULL || err_size == 0) {
        err = scratch;
        err_size = sizeof scratch;
    }
    err[0] = '\0';
    if (path == NULL || phases == NULL) {
        snprintf(err, err_size, "store_open: no database path or no phase list given");
        return NULL;
    }
    if (closing_minute < -1 || closing_minute >= 24 * 60) {
        snprintf(err, err_size,
                 "closing minute %d: must be -1 (fold only at midnight) or 0..1439 (minutes "
                 "after midnight)",
                 closing_minute);
        return NULL;
    }
    struct store *store = calloc(1, sizeof *store);
    if (store == NULL) {
        snprintf(err, err_size, "%s: out of memory for the store", path);
        return NULL;
    }
    int length = snprintf(store->path, sizeof store->path, "%s", path);
    if (length < 0 || (size_t)length >= sizeof store->path) {
        snprintf(err, err_size, "database path too long (%zu bytes, at most %zu)", strlen(path),
                 sizeof store->path - 1);
        goto out_free_store;
    }
    store->phases = phases;
    store->closing_minute = closing_minute;
    store->batch_k = STORE_BATCH_K_DEFAULT;
    store->queue = calloc(STORE_QUEUE_MAX, sizeof *store->queue);
    if (store->queue == NULL || store_pool_init(&store->pool) != 0) {
        snprintf(err, err_size, "%s: out of memory for the write queue", path);
        goto out_free_queue;
    }
    store->db = store_schema_open(path, err, err_size);
    if (store->db == NULL) {
        goto out_free_queue;
    }
    if (store_sql_prepare(&store->sql, store->db, phases, err, err_size) != 0) {
        goto out_close_db;
    }
    if (store_sql_load_mirror(store->db, &store->mirror, err, err_size) != 0) {
        goto out_finalize;
    }
    store->site_k = store_read_site_k(store->db);
    store_read_clock_mark(store->db, &store->clock_mark);
    int rc = pthread_mutex_init(&store->lock, NULL);
    if (rc != 0) {
        snprintf(err, err_size, "%s: cannot create the store's lock", path);
        goto out_finalize;
    }
    pthread_condattr_t monotonic; /* the writer's pauses must not jump with the wall clock */
    if (pthread_condattr_init(&monotonic) != 0) {
        snprintf(err, err_size, "%s: cannot create the store's condition", path);
        goto out_destroy_lock;
    }
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    rc = pthread_cond_init(&store->queue_changed, &monotonic);
    pthread_condattr_destroy(&monotonic);
    if (rc != 0) {
        snprintf(err, err_size, "%s: cannot create the store's condition", path);
        goto out_destroy_lock;
    }
    if (pthread_cond_init(&store->op_done, NULL) != 0) {
        snprintf(err, err_size, "%s: cannot create the store's condition", path);
        goto out_destroy_queue_changed;
    }
    rc = pthread_create(&store->writer, NULL, store_writer_main, store);
    if (rc != 0) {
        snprintf(err, err_size, "%s: cannot start the writer thread: %s", path, strerror(rc));
        goto out_destroy_op_done;
    }
    return store;

out_destroy_op_done:
    pthread_cond_destroy(&store->op_done);
out_destroy_queue_changed:
    pthread_cond_destroy(&store->queue_changed);
out_destroy_lock:
    pthread_mutex_destroy(&store->lock);
out_finalize:
    store_sql_finalize(&store->sql);
out_close_db:
    sqlite3_close(store->db);
out_free_queue:
    store_pool_free(&store->pool);
    free(store->queue);
out_free_store:
    free(store);
    return NULL;
}

/* Queues a batch taken from the pool (lock held); a full queue loses it, counted. */
static void store_enqueue_batch_locked(struct store *store, struct store_batch *batch,
                                       int64_t at_ms)
{
    struct store_op op = {.kind = STORE_OP_BATCH, .at_ms = at_ms};
    op.u.batch = batch;
    /* Withheld stress x wait pairs are in no figure: their number is how many of the few
     * collected since the last batch had answered (store_health). */
    bool counted = !(batch->withheld && batch->kind == STORE_POOL_STRESS_WAIT);
    if (batch->withheld && counted) {
        store->withheld += batch->count;
    }
    if (store_enqueue_locked(store, &op) < 0 && counted) {
        store->pool_refused += batch->count;
        store_batch_free(batch);
    }
}

void store_close(struct store *store)
{
    if (store == NULL) {
        return;
    }
    pthread_mutex_lock(&store->lock);
    /* Answers still pooled cannot be written without telling whose they are: counted. */
    struct store_batch *batch;
    while ((batch = store_pool_take_withheld(&store->pool, NULL)) != NULL) {
        store_enqueue_batch_locked(store, batch, 0);
    }
    store->stopping = true;
    pthread_cond_signal(&store->queue_changed);
    pthread_mutex_unlock(&store->lock);
    pthread_join(store->writer, NULL);

    store_sql_finalize(&store->sql);
    int rc = sqlite3_close(store->db);
    if (rc != SQLITE_OK) {
        log_msg(LOG_WARN, "%s: closing the database: %s", store->path, sqlite3_errstr(rc));
    }
    pthread_cond_destroy(&store->op_done);
    pthread_cond_destroy(&store->queue_changed);
    pthread_mutex_destroy(&store->lock);
    free(store->codebook);
    store_pool_free(&store->pool);
    memset(&store->mirror, 0, sizeof store->mirror); /* the open links end here */
    free(store->queue);
    free(store);
}

/* Copies a caller's string into a field, cut to fit (NULL becomes ""). */
static void store_copy_text(char *field, size_t size, const char *text)
{
    snprintf(field, size, "%s", text ? text : "");
}

/* The caller's fixed arrays may lack their NUL; copying through "%.*s" bounds the read. */
static void store_copy_array(char *field, size_t size, const char *array)
{
    snprintf(field, size, "%.*s", (int)(size - 1), array);
}

static void store_copy_context(struct store_context *to, const struct store_context *from)
{
    if (from == NULL) {
        memset(to, 0, sizeof *to);
        return;
    }
    store_copy_array(to->scene, sizeof to->scene, from->scene);
    store_copy_array(to->sound, sizeof to->sound, from->sound);
    store_copy_array(to->queue_band, sizeof to->queue_band, from->queue_band);
    store_copy_array(to->light_band, sizeof to->light_band, from->light_band);
}

int64_t store_arrive(struct store *store, const struct store_arrival_in *in)
{
    if (store == NULL || in == NULL || in->name_number <= 0) {
        return -EINVAL;
    }
    char wait_message[sizeof in->wait_message];
    store_copy_array(wait_message, sizeof wait_message, in->wait_message);
    bool range = strcmp(wait_message, STORE_WAIT_MESSAGE_RANGE) == 0;
    if ((range && (in->wait_low_min < 0 || in->wait_high_min < in->wait_low_min)) ||
        (!range && wait_message[0] != '\0' &&
         strcmp(wait_message, STORE_WAIT_MESSAGE_HOST_KNOWS) != 0)) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_ARRIVE, .at_ms = in->at_ms};
    struct store_arrival_in *copy = &op.u.arrive;
    copy->at_ms = in->at_ms;
    copy->name_number = in->name_number;
    store_copy_array(copy->friendly_name, sizeof copy->friendly_name, in->friendly_name);
    store_copy_array(copy->service, sizeof copy->service, in->service);
    store_copy_text(copy->wait_message, sizeof copy->wait_message, wait_message);
    copy->wait_low_min = range ? in->wait_low_min : -1;
    copy->wait_high_min = range ? in->wait_high_min : -1;

    struct oase_localtime local;
    clock_local(in->at_ms, &local);
    struct store_arrival arrival = {
        .name_number = copy->name_number,
        .arrived_ms = copy->at_ms,
        .status = ARRIVAL_WAITING,
    };
    store_copy_text(arrival.friendly_name, sizeof arrival.friendly_name, copy->friendly_name);
    store_copy_text(arrival.service, sizeof arrival.service, copy->service);

    pthread_mutex_lock(&store->lock);
    int64_t seq = -EEXIST;
    if (store_mirror_find(&store->mirror, local.date, copy->name_number) < 0) {
        seq = store_enqueue_locked(store, &op);
    }
    if (seq > 0) {
        store_mirror_new_day(&store->mirror, local.date);
        store_mirror_add(&store->mirror, local.date, &arrival); /* full: on disk only */
        int added = store_mirror_find(&store->mirror, local.date, copy->name_number);
        if (added >= 0) {
            store->mirror.arrivals[added].this_run = true; /* a clock step may re-date it */
        }
        struct store_clock_mark *mark = &store->clock_mark;
        if (mark->this_boot && !mark->on_disk) { /* this boot's first arrival: mark it */
            snprintf(mark->day, sizeof mark->day, "%s", local.date);
            mark->first = copy->name_number;
            store_clock_mark_queue_locked(store);
        }
        store_mirror_note_name(&store->mirror, local.date, copy->name_number);
        store_mirror_note_checkin(&store->mirror, local.date);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

/* Queues this boot's clock mark as it is now (lock held); a full queue leaves it off disk. */
static void store_clock_mark_queue_locked(struct store *store)
{
    struct store_clock_mark *mark = &store->clock_mark;
    struct store_op op = {.kind = STORE_OP_CLOCK_MARK};
    snprintf(op.u.clock_mark, sizeof op.u.clock_mark, "%s %lld %s %d", mark->boot_id,
             (long long)mark->offset_ms, mark->day[0] ? mark->day : "0000-00-00", mark->first);
    mark->on_disk = mark->day[0] != '\0' && store_enqueue_locked(store, &op) > 0;
}

/* The clock stepped: this boot's offset moves with it, and its first arrival may have moved
 * to another day (lock held). */
static void store_clock_mark_moved_locked(struct store *store, int64_t step_ms)
{
    struct store_clock_mark *mark = &store->clock_mark;
    mark->offset_ms += step_ms;
    for (int i = 0; i < store->mirror.arrival_count; i++) {
        const struct store_mirror_arrival *entry = &store->mirror.arrivals[i];
        int order = strcmp(entry->day, mark->day);
        if (entry->this_run &&
            (order < 0 || (order == 0 && entry->arrival.name_number < mark->first))) {
            snprintf(mark->day, sizeof mark->day, "%s", entry->day);
            mark->first = entry->arrival.name_number;
        }
    }
    if (mark->on_disk) {
        store_clock_mark_queue_locked(store);
    }
}

int64_t store_clock_boot(struct store *store, const char *boot_id, int64_t offset_ms)
{
    if (store == NULL || boot_id == NULL || boot_id[0] == '\0' ||
        strlen(boot_id) >= CLOCK_BOOT_ID_SIZE || strchr(boot_id, ' ') != NULL) {
        return offset_ms; /* no boot known: a step re-dates only this run's arrivals */
    }
    pthread_mutex_lock(&store->lock);
    struct store_clock_mark *mark = &store->clock_mark;
    int64_t known = offset_ms;
    if (strcmp(mark->boot_id, boot_id) == 0 && mark->day[0] != '\0') {
        int earlier = 0;
        for (int i = 0; i < store->mirror.arrival_count; i++) {
            struct store_mirror_arrival *entry = &store->mirror.arrivals[i];
            int order = strcmp(entry->day, mark->day);
            if (order > 0 || (order == 0 && entry->arrival.name_number >= mark->first)) {
                entry->this_run = true; /* written in this boot: a step re-dates it */
                earlier++;
            }
        }
        known = mark->offset_ms;
        mark->on_disk = true;
        if (earlier > 0) {
            log_msg(LOG_INFO,
                    "%s: %d arrivals of an earlier run in this boot (from %s number %d) follow a "
                    "clock step like this run's (docs/clock.md)",
                    store->path, earlier, mark->day, mark->first);
        }
    } else {
        memset(mark, 0, sizeof *mark);
        snprintf(mark->boot_id, sizeof mark->boot_id, "%s", boot_id);
        mark->offset_ms = offset_ms;
    }
    mark->this_boot = true;
    pthread_mutex_unlock(&store->lock);
    return known;
}

/* Index of today's (else the latest) arrival name_number in the mirror (lock held). */
static int store_find_arrival_locked(struct store *store, int name_number, int64_t at_ms)
{
    struct oase_localtime local;
    clock_local(at_ms, &local);
    int index = store_mirror_find(&store->mirror, local.date, name_number);
    return index >= 0 ? index : store_mirror_find(&store->mirror, NULL, name_number);
}

/* Queues a change of arrival name_number (service, or word wish) and mirrors it. */
static int64_t store_update_arrival(struct store *store, enum store_op_kind kind, int name_number,
                                    int64_t at_ms, const char *service)
{
    if (store == NULL || name_number <= 0) {
        return -EINVAL;
    }
    struct store_op op = {.kind = kind, .at_ms = at_ms};
    op.u.arrival.name_number = name_number;
    store_copy_text(op.u.arrival.service, sizeof op.u.arrival.service, service);
    pthread_mutex_lock(&store->lock);
    int index = store_find_arrival_locked(store, name_number, at_ms);
    int64_t seq = -ENOENT;
    if (index >= 0) {
        struct store_mirror_arrival *entry = &store->mirror.arrivals[index];
        store_copy_text(op.u.arrival.day, sizeof op.u.arrival.day, entry->day);
        seq = store_enqueue_locked(store, &op);
        if (seq > 0 && kind == STORE_OP_SERVICE) {
            store_copy_text(entry->arrival.service, sizeof entry->arrival.service,
                            op.u.arrival.service);
        } else if (seq > 0) {
            entry->arrival.wants_word = true;
        }
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int64_t store_change_service(struct store *store, int name_number, int64_t at_ms,
                             const char *service)
{
    return store_update_arrival(store, STORE_OP_SERVICE, name_number, at_ms, service);
}

int64_t store_wants_word(struct store *store, int name_number, int64_t at_ms)
{
    return store_update_arrival(store, STORE_OP_WANTS_WORD, name_number, at_ms, NULL);
}

/* Puts item into the pool (lock held). Returns 0 or -EAGAIN (counted). */
static int store_pool_locked(struct store *store, const struct store_pool_item *item)
{
    if (store->stopping) {
        return -EAGAIN;
    }
    int rc = store_pool_add(&store->pool, item);
    if (rc < 0 && item->kind == STORE_POOL_STRESS_WAIT) {
        return rc; /* counted in no figure: it would tell that this visitor answered */
    }
    if (rc < 0 && store->pool_refused++ == 0) {
        log_msg(LOG_ERROR,
                "%s: %d answers wait for a batch, the most the pool holds: new ones are "
                "refused and counted",
                store->path, STORE_POOL_MAX);
    }
    return rc;
}

static bool store_scale_valid(int answer)
{
    return (answer >= 0 && answer <= 10) || answer == STORE_SCALE_SKIPPED ||
           answer == STORE_SCALE_ABANDONED || answer == STORE_SCALE_NOT_ASKED;
}

int store_answer(struct store *store, const struct store_answers *answers)
{
    if (store == NULL || answers == NULL || !store_scale_valid(answers->stress_answer) ||
        (unsigned)answers->word > STORE_WORD_ABANDONED) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(answers->at_ms, &local);
    struct store_pool_item item = {
        .kind = STORE_POOL_ARRIVAL, .stress_answer = answers->stress_answer, .word = answers->word};
    store_copy_text(item.day, sizeof item.day, local.date);
    store_copy_array(item.service, sizeof item.service, answers->service);
    store_copy_context(&item.context, &answers->context);
    pthread_mutex_lock(&store->lock);
    int rc = store_pool_locked(store, &item);
    const char *band = store_stress_band(answers->stress_answer);
    if (rc == 0 && band != NULL && answers->name_number > 0) {
        int index = store_find_arrival_locked(store, answers->name_number, answers->at_ms);
        if (index >= 0) {
            store_mirror_link(&store->mirror, index, band);
        }
    }
    pthread_mutex_unlock(&store->lock);
    explicit_bzero(&item, sizeof item);
    return rc;
}

int64_t store_checkin(struct store *store, const struct store_checkin *checkin)
{
    if (store == NULL || checkin == NULL ||
        (checkin->stress_asked && (checkin->stress_answer < -1 || checkin->stress_answer > 10))) {
        return -EINVAL;
    }
    struct store_arrival_in arrival = {.at_ms = checkin->at_ms,
                                       .name_number = checkin->name_number,
                                       .wait_low_min = checkin->wait_low_min,
                                       .wait_high_min = checkin->wait_high_min};
    store_copy_array(arrival.friendly_name, sizeof arrival.friendly_name, checkin->friendly_name);
    store_copy_array(arrival.service, sizeof arrival.service, checkin->service);
    store_copy_array(arrival.wait_message, sizeof arrival.wait_message, checkin->wait_message);
    int64_t seq = store_arrive(store, &arrival);
    if (seq <= 0) {
        return seq;
    }
    if (checkin->wants_word) {
        store_wants_word(store, checkin->name_number, checkin->at_ms);
    }
    struct store_answers answers = {
        .at_ms = checkin->at_ms,
        .name_number = checkin->name_number,
        .stress_answer = checkin->stress_asked ? checkin->stress_answer : STORE_SCALE_NOT_ASKED,
        .word = checkin->word_asked ? STORE_WORD_ANSWERED : STORE_WORD_NOT_ASKED,
        .context = checkin->context,
    };
    store_copy_array(answers.service, sizeof answers.service, checkin->service);
    store_answer(store, &answers);
    explicit_bzero(&answers, sizeof answers);
    return seq;
}

int store_departure(struct store *store, int64_t at_ms, int stress_answer,
                    const struct store_context *context)
{
    if (store == NULL || (stress_answer < STORE_SCALE_ABANDONED || stress_answer > 10)) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(at_ms, &local);
    struct store_pool_item item = {.kind = STORE_POOL_DEPARTURE, .stress_answer = stress_answer};
    store_copy_text(item.day, sizeof item.day, local.date);
    store_copy_context(&item.context, context);
    pthread_mutex_lock(&store->lock);
    int rc = store_pool_locked(store, &item);
    pthread_mutex_unlock(&store->lock);
    explicit_bzero(&item, sizeof item);
    return rc;
}

void store_set_batch_k(struct store *store, int k)
{
    if (store == NULL) {
        return;
    }
    k = k < STORE_BATCH_K_MIN ? STORE_BATCH_K_MIN : k;
    k = k > STORE_POOL_MAX / 2 ? STORE_POOL_MAX / 2 : k;
    pthread_mutex_lock(&store->lock);
    if (store->site_k == 0) {
        /* The first k is the site's for good: its exports' blocks are made with it. */
        struct store_op op = {.kind = STORE_OP_RESEARCH_K, .u.research_k = k};
        if (store_enqueue_locked(store, &op) > 0) {
            store->site_k = k;
        }
    } else if (k != store->site_k) {
        log_msg(LOG_WARN,
                "%s: [research] k = %d, but this site's exports are made with k = %d (meta "
                "research_k, fixed at its first start): answers are batched with the larger",
                store->path, k, store->site_k);
    }
    store->batch_k = k > store->site_k ? k : store->site_k;
    pthread_mutex_unlock(&store->lock);
}

int64_t store_abandoned(struct store *store, int64_t at_ms, const char *moment,
                        const char *last_screen, const char *service)
{
    if (store == NULL || moment == NULL || moment[0] == '\0') {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_ABANDONED, .at_ms = at_ms};
    store_copy_text(op.u.abandoned.moment, sizeof op.u.abandoned.moment, moment);
    store_copy_text(op.u.abandoned.last_screen, sizeof op.u.abandoned.last_screen, last_screen);
    store_copy_text(op.u.abandoned.service, sizeof op.u.abandoned.service, service);
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    pthread_mutex_unlock(&store->lock);
    return seq;
}

/* store_set_status and store_leave; only_waiting: the arrival must be today's and still
 * waiting, checked under the same lock as the change (a host's mark in between wins). */
static int64_t set_status(struct store *store, int name_number, enum store_arrival_status status,
                          int64_t at_ms, bool only_waiting)
{
    if (store == NULL || (status != ARRIVAL_WAITING && status != ARRIVAL_COLLECTED &&
                          status != ARRIVAL_NO_SHOW && status != ARRIVAL_LEFT)) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(at_ms, &local);
    struct store_op op = {.kind = STORE_OP_STATUS, .at_ms = at_ms};
    op.u.status.name_number = name_number;
    op.u.status.status = status;

    pthread_mutex_lock(&store->lock);
    int index = store_mirror_find(&store->mirror, local.date, name_number);
    if (index < 0 && !only_waiting) {
        index = store_mirror_find(&store->mirror, NULL, name_number); /* e.g. after midnight */
    }
    if (index >= 0 && only_waiting &&
        store->mirror.arrivals[index].arrival.status != ARRIVAL_WAITING) {
        index = -1;
    }
    int64_t seq = -ENOENT;
    if (index >= 0) {
        const struct store_mirror_arrival *entry = &store->mirror.arrivals[index];
        store_copy_text(op.u.status.day, sizeof op.u.status.day, entry->day);
        seq = store_enqueue_locked(store, &op);
    }
    if (seq > 0) {
        if (status != ARRIVAL_WAITING) {
            struct store_pool_item item = {.kind = STORE_POOL_STRESS_WAIT};
            store_mirror_unlink(&store->mirror, index, item.stress_band, sizeof item.stress_band);
            if (status == ARRIVAL_COLLECTED && item.stress_band[0] != '\0') {
                /* Stress x actual wait: a pair for the pool; the link itself ends here. */
                const struct store_mirror_arrival *entry = &store->mirror.arrivals[index];
                store_copy_text(item.day, sizeof item.day, entry->day);
                store_copy_text(item.wait_band, sizeof item.wait_band,
                                store_sql_wait_band(at_ms - entry->arrival.arrived_ms));
                store_pool_locked(store, &item);
            }
            explicit_bzero(&item, sizeof item);
        }
        store_mirror_set_status(&store->mirror, index, status, at_ms);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int64_t store_set_status(struct store *store, int name_number, enum store_arrival_status status,
                         int64_t at_ms)
{
    return set_status(store, name_number, status, at_ms, false);
}

int64_t store_leave(struct store *store, int name_number, int64_t at_ms)
{
    return set_status(store, name_number, ARRIVAL_LEFT, at_ms, true);
}

const char *store_incident_kind_name(enum store_incident_kind kind)
{
    switch (kind) {
    case STORE_INCIDENT_VERBAL:
        return "verbal";
    case STORE_INCIDENT_PHYSICAL:
        return "physical";
    case STORE_INCIDENT_OTHER:
        return "other";
    case STORE_INCIDENT_KINDS:
        break;
    }
    return NULL;
}

int64_t store_incident(struct store *store, int64_t at_ms, const char *kind)
{
    if (store == NULL || kind == NULL) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_INCIDENT, .at_ms = at_ms};
    int found = -1;
    for (int i = 0; i < STORE_INCIDENT_KINDS; i++) {
        if (strcmp(kind, store_incident_kind_name((enum store_incident_kind)i)) == 0) {
            found = i;
        }
    }
    if (found < 0) {
        return -EINVAL;
    }
    op.u.incident.kind = (enum store_incident_kind)found;
    struct oase_localtime local;
    clock_local(at_ms, &local);
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    if (seq > 0) {
        store_mirror_note_incident(&store->mirror, local.date, op.u.incident.kind);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

const char *store_claim_band(int64_t claimed_ms)
{
    if (claimed_ms < 0) {
        return "unclaimed";
    }
    int64_t minutes = claimed_ms / 60000;
    return minutes < 2 ? "0-2" : minutes < 5 ? "2-5" : minutes < 15 ? "5-15" : "15+";
}

int store_note_claim(struct store *store, int name_number, int64_t at_ms, int64_t claimed_ms)
{
    if (store == NULL) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(at_ms, &local);
    int result = -ENOENT;
    pthread_mutex_lock(&store->lock);
    int index = store_mirror_find(&store->mirror, local.date, name_number);
    if (index < 0) {
        index = store_mirror_find(&store->mirror, NULL, name_number); /* e.g. after midnight */
    }
    if (index >= 0) {
        struct store_mirror_arrival *entry = &store->mirror.arrivals[index];
        if (entry->arrival.status == ARRIVAL_COLLECTED ||
            entry->arrival.status == ARRIVAL_NO_SHOW) {
            store_copy_text(entry->claim_band, sizeof entry->claim_band,
                            store_claim_band(claimed_ms));
            result = 0;
        }
    }
    pthread_mutex_unlock(&store->lock);
    return result;
}

/*
 * Queues the claim_counts cells of the arrivals the fold takes out of the mirror (their
 * claim bands are in memory only), summed per day, outcome and band (lock held). Arrivals
 * marked before a restart have no band and are not counted.
 */
static void store_fold_claims_locked(struct store *store, const char *today, bool include_today,
                                     int64_t now_ms)
{
    struct store_op cell = {.kind = STORE_OP_CLAIMS, .at_ms = now_ms};
    /* One pass per distinct cell: a fold holds a day or two of arrivals, a handful of cells. */
    bool *done = calloc((size_t)store->mirror.arrival_count + 1, sizeof *done);
    if (done == NULL) {
        return; /* the claim counts of this fold are lost; the fold itself goes on */
    }
    for (int i = 0; i < store->mirror.arrival_count; i++) {
        const struct store_mirror_arrival *first = &store->mirror.arrivals[i];
        int order = strcmp(first->day, today);
        bool marked = first->arrival.status != ARRIVAL_WAITING;
        bool folded = order < 0 || (include_today && order == 0 && marked);
        if (done[i] || !folded || first->claim_band[0] == '\0') {
            continue;
        }
        bool collected = first->arrival.status == ARRIVAL_COLLECTED;
        store_copy_text(cell.u.claims.day, sizeof cell.u.claims.day, first->day);
        store_copy_text(cell.u.claims.outcome, sizeof cell.u.claims.outcome,
                        collected ? "collected" : "no_show");
        store_copy_text(cell.u.claims.band, sizeof cell.u.claims.band, first->claim_band);
        cell.u.claims.n = 0;
        for (int j = i; j < store->mirror.arrival_count; j++) {
            const struct store_mirror_arrival *other = &store->mirror.arrivals[j];
            if (!done[j] && strcmp(other->day, first->day) == 0 &&
                (other->arrival.status == ARRIVAL_COLLECTED) == collected &&
                strcmp(other->claim_band, first->claim_band) == 0) {
                done[j] = true;
                cell.u.claims.n++;
            }
        }
        store_enqueue_locked(store, &cell); /* a full queue loses it, counted as lost */
    }
    free(done);
}

int64_t store_fold(struct store *store, int64_t now_ms)
{
    if (store == NULL) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(now_ms, &local);
    struct store_op op = {.kind = STORE_OP_FOLD, .at_ms = now_ms};
    store_copy_text(op.u.fold.today, sizeof op.u.fold.today, local.date);
    op.u.fold.include_today =
        store->closing_minute >= 0 && local.minute_of_day >= store->closing_minute;

    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    if (seq > 0) {
        store_fold_claims_locked(store, op.u.fold.today, op.u.fold.include_today, now_ms);
        store_mirror_fold(&store->mirror, op.u.fold.today, op.u.fold.include_today);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

static int64_t store_experiment_op(struct store *store, struct store_op *op)
{
    if (strlen(op->u.experiment.day) != 10 || op->u.experiment.day[4] != '-' ||
        op->u.experiment.day[7] != '-') {
        return -EINVAL;
    }
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, op);
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int64_t store_experiment_day(struct store *store, const struct store_experiment_day *day)
{
    if (store == NULL || day == NULL) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_EXPERIMENT_DAY};
    op.u.experiment = *day;
    return store_experiment_op(store, &op);
}

int64_t store_experiment_override(struct store *store, const char *day)
{
    if (store == NULL || day == NULL) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_EXPERIMENT_OVERRIDE};
    store_copy_text(op.u.experiment.day, sizeof op.u.experiment.day, day);
    return store_experiment_op(store, &op);
}

/*
 * Queues the codebook and the config hash for day once per day (and again after they were
 * set). A full queue stops it where it was; the next tick goes on from there.
 */
static void store_describe_day(struct store *store, int64_t now_ms, const char *day)
{
    pthread_mutex_lock(&store->lock);
    if (strcmp(store->described_day, day) == 0) {
        goto out_unlock;
    }
    if (store->config_hash[0] != '\0' && !store->config_hash_queued) {
        struct store_op op = {.kind = STORE_OP_PHASE_CONFIG, .at_ms = now_ms};
        store_copy_text(op.u.phase_config.day, sizeof op.u.phase_config.day, day);
        store_copy_text(op.u.phase_config.config_hash, sizeof op.u.phase_config.config_hash,
                        store->config_hash);
        if (store_enqueue_locked(store, &op) < 0) {
            goto out_unlock;
        }
        store->config_hash_queued = true;
    }
    while (store->codebook_queued < store->codebook_count) {
        struct store_op op = {.kind = STORE_OP_CODEBOOK, .at_ms = now_ms};
        store_copy_text(op.u.codebook.day, sizeof op.u.codebook.day, day);
        op.u.codebook.entry = store->codebook[store->codebook_queued];
        if (store_enqueue_locked(store, &op) < 0) {
            goto out_unlock;
        }
        store->codebook_queued++;
    }
    store_copy_text(store->described_day, sizeof store->described_day, day);
    store->codebook_queued = 0;
    store->config_hash_queued = false;
out_unlock:
    pthread_mutex_unlock(&store->lock);
}

int store_set_codebook(struct store *store, const struct store_codebook_entry *entries, int count)
{
    if (store == NULL || count < 0 || (entries == NULL && count > 0)) {
        return -EINVAL;
    }
    struct store_codebook_entry *copy = NULL;
    if (count > 0) {
        copy = calloc((size_t)count, sizeof *copy);
        if (copy == NULL) {
            return -ENOMEM;
        }
    }
    for (int i = 0; i < count; i++) {
        store_copy_array(copy[i].item, sizeof copy[i].item, entries[i].item);
        store_copy_array(copy[i].lang, sizeof copy[i].lang, entries[i].lang);
        store_copy_array(copy[i].text, sizeof copy[i].text, entries[i].text);
    }
    pthread_mutex_lock(&store->lock);
    struct store_codebook_entry *old = store->codebook;
    store->codebook = copy;
    store->codebook_count = count;
    store->codebook_queued = 0;
    store->config_hash_queued = false;
    store->described_day[0] = '\0'; /* the next tick queues everything for its day */
    pthread_mutex_unlock(&store->lock);
    free(old);
    return 0;
}

int store_set_config_hash(struct store *store, const char *config_hash)
{
    if (store == NULL || config_hash == NULL || config_hash[0] == '\0' ||
        strlen(config_hash) >= sizeof store->config_hash) {
        return -EINVAL;
    }
    pthread_mutex_lock(&store->lock);
    store_copy_text(store->config_hash, sizeof store->config_hash, config_hash);
    store->codebook_queued = 0;
    store->config_hash_queued = false;
    store->described_day[0] = '\0';
    pthread_mutex_unlock(&store->lock);
    return 0;
}

int64_t store_set_site(struct store *store, const char *site)
{
    if (store == NULL || site == NULL || site[0] == '\0' || strlen(site) >= STORE_SITE_SIZE) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_SITE};
    store_copy_text(op.u.site.name, sizeof op.u.site.name, site);
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int store_open_links(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int count = store_mirror_link_count(&store->mirror);
    pthread_mutex_unlock(&store->lock);
    return count;
}

void store_tick(struct store *store, int64_t now_ms)
{
    if (store == NULL) {
        return;
    }
    struct oase_localtime local;
    clock_local(now_ms, &local);
    bool past_closing = store->closing_minute >= 0 && local.minute_of_day >= store->closing_minute;

    pthread_mutex_lock(&store->lock);
    char previous_tick_day[STORE_DAY_SIZE];
    char previous_closing_day[STORE_DAY_SIZE];
    store_copy_text(previous_tick_day, sizeof previous_tick_day, store->tick_day);
    store_copy_text(previous_closing_day, sizeof previous_closing_day, store->closing_fold_day);
    bool fold = false;
    /* The store's day only goes forward: a clock set back across midnight is no day change
     * (nothing folds, nothing is un-folded) until the clock passes the store's day. */
    bool behind = store->tick_day[0] != '\0' && strcmp(local.date, store->tick_day) < 0;
    if (!behind && strcmp(store->tick_day, local.date) != 0) {
        fold = true; /* first tick after open, or midnight passed */
        store_copy_text(store->tick_day, sizeof store->tick_day, local.date);
    }
    if (!behind && past_closing && strcmp(store->closing_fold_day, local.date) != 0) {
        fold = true;
        store_copy_text(store->closing_fold_day, sizeof store->closing_fold_day, local.date);
    }
    if (!behind && past_closing && store_mirror_has_marked(&store->mirror, local.date)) {
        fold = true; /* a visitor who waited past closing was marked: off the list */
    }
    store_mirror_new_day(&store->mirror, local.date);
    /* Answers: every (day, kind) with k pending leaves as one batch (stress x wait pairs
     * only once their day is over); what is left of an earlier day can never be mixed with
     * k of its own day any more: withheld. */
    struct store_batch *batch;
    while ((batch = store_pool_take_batch(&store->pool, store->batch_k, local.date)) != NULL) {
        if (batch->kind == STORE_POOL_ARRIVAL) {
            int asked = 0, answers = 0;
            int64_t sum = 0;
            for (int i = 0; i < batch->count; i++) {
                int answer = batch->items[i].stress_answer;
                asked += answer >= 0 || answer == STORE_SCALE_SKIPPED;
                answers += answer >= 0;
                sum += answer >= 0 ? answer : 0;
            }
            store_mirror_note_stress(&store->mirror, batch->day, asked, answers, sum);
        }
        store_enqueue_batch_locked(store, batch, now_ms);
    }
    while ((batch = store_pool_take_withheld(&store->pool, local.date)) != NULL) {
        store_enqueue_batch_locked(store, batch, now_ms);
    }
    pthread_mutex_unlock(&store->lock);

    store_describe_day(store, now_ms, local.date);
    if (fold && store_fold(store, now_ms) < 0) {
        /* Queue full: forget that this tick folded, so the next one tries again. */
        pthread_mutex_lock(&store->lock);
        store_copy_text(store->tick_day, sizeof store->tick_day, previous_tick_day);
        store_copy_text(store->closing_fold_day, sizeof store->closing_fold_day,
                        previous_closing_day);
        pthread_mutex_unlock(&store->lock);
    }
}

int64_t store_committed_seq(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int64_t done = store->done_seq;
    pthread_mutex_unlock(&store->lock);
    return done;
}

int64_t store_queued_seq(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int64_t queued = store->last_seq;
    pthread_mutex_unlock(&store->lock);
    return queued;
}

int store_flush(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int64_t target = store->last_seq;
    int64_t attempts = store->hold_attempts;
    if (store->holding) {
        store->retry_now = true; /* one attempt now rather than after the pause */
        pthread_cond_broadcast(&store->queue_changed);
    }
    while (store->done_seq < target && !(store->holding && store->hold_attempts > attempts)) {
        pthread_cond_wait(&store->op_done, &store->lock);
    }
    int result = store->done_seq >= target ? 0 : -EIO;
    pthread_mutex_unlock(&store->lock);
    return result;
}

int store_next_name_number(struct store *store, int64_t now_ms)
{
    if (store == NULL) {
        return 0;
    }
    struct oase_localtime local;
    clock_local(now_ms, &local);
    pthread_mutex_lock(&store->lock);
    int number = store_mirror_next_name(&store->mirror, local.date);
    pthread_mutex_unlock(&store->lock);
    return number;
}

int store_waiting_count(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int waiting = store_mirror_waiting_count(&store->mirror);
    pthread_mutex_unlock(&store->lock);
    return waiting;
}

bool store_wait_range(struct store *store, int min_samples, int *low_min, int *high_min)
{
    if (store == NULL || low_min == NULL || high_min == NULL) {
        return false;
    }
    pthread_mutex_lock(&store->lock);
    bool known = store_mirror_wait_range(&store->mirror, min_samples, low_min, high_min);
    pthread_mutex_unlock(&store->lock);
    return known;
}

int store_arrivals(struct store *store, struct store_arrival *out, int max)
{
    if (store == NULL || out == NULL || max <= 0) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int count = store_mirror_copy(&store->mirror, out, max);
    pthread_mutex_unlock(&store->lock);
    return count;
}

void store_today(struct store *store, int64_t now_ms, struct store_today *out)
{
    if (out == NULL) {
        return;
    }
    if (store == NULL) {
        memset(out, 0, sizeof *out);
        out->median_wait_ms = -1;
        return;
    }
    struct oase_localtime local;
    clock_local(now_ms, &local);
    pthread_mutex_lock(&store->lock);
    store_mirror_today(&store->mirror, local.date, out);
    pthread_mutex_unlock(&store->lock);
}

void store_last_error(struct store *store, char *buf, size_t size)
{
    if (buf == NULL || size == 0) {
        return;
    }
    if (store == NULL) {
        buf[0] = '\0';
        return;
    }
    pthread_mutex_lock(&store->lock);
    snprintf(buf, size, "%s", store->last_error);
    pthread_mutex_unlock(&store->lock);
}

int64_t store_failed_writes(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    pthread_mutex_lock(&store->lock);
    int64_t failed = store->failed_writes;
    pthread_mutex_unlock(&store->lock);
    return failed;
}

struct store *store_open_recover(const char *path, const struct phase_list *phases,
                                 int closing_minute, char *err, size_t err_size)
{
    char scratch[8];
    if (err == NULL || err_size == 0) {
        err = scratch;
        err_size = sizeof scratch;
    }
    if (path == NULL) {
        return store_open(path, phases, closing_minute, err, err_size); /* says what is wrong */
    }
    char detail[256];
    char fault[sizeof((struct store *)0)->fault] = "";
    const char *reason = store_recover_diagnose(path, detail, sizeof detail);
    if (reason != NULL) {
        char aside[PATH_MAX];
        if (store_recover_move_aside(path, reason, time(NULL), aside, sizeof aside, err,
                                     err_size) != 0) {
            log_msg(LOG_ERROR, "%s: %s; %s", path, detail, err);
            return NULL;
        }
        char scrub_err[512] = "";
        bool scrubbed = strcmp(reason, "foreign") == 0 ||
                        (store_recover_scrubbable(reason) &&
                         store_recover_scrub(aside, scrub_err, sizeof scrub_err) == 0);
        int length = snprintf(fault, sizeof fault,
                              "%s was unusable (%s): moved aside as %s (%s), a fresh database "
                              "was started",
                              path, detail, aside,
                              scrubbed ? "its arrivals removed, its counts kept"
                                       : "it may hold friendly names: removed after its day");
        if (length < 0) {
            snprintf(fault, sizeof fault, "%s was unusable: moved aside", path);
        }
        log_msg(LOG_ERROR, "%s", fault);
    }
    struct store *store = store_open(path, phases, closing_minute, err, err_size);
    if (store != NULL && fault[0]) {
        pthread_mutex_lock(&store->lock);
        memcpy(store->fault, fault, sizeof fault);
        pthread_mutex_unlock(&store->lock);
    }
    return store;
}

void store_health(struct store *store, struct store_health *out)
{
    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof *out);
    if (store == NULL) {
        return;
    }
    pthread_mutex_lock(&store->lock);
    out->in_memory = strcmp(store->path, ":memory:") == 0;
    out->holding = store->holding;
    out->held = store->queue_count;
    out->unsaved_since_ms =
        store->holding && store->queue_count > 0 ? store->queue[store->queue_head].at_ms : 0;
    out->lost = store->lost;
    out->failed_writes = store->failed_writes;
    out->attempts_failed = store->attempts_failed;
    /* One arrival and one departure item per visitor whatever they answered; a stress x wait
     * pair exists only for a visitor who answered, so counting pairs would tell the host, at
     * the "collected" mark, whether that visitor answered. */
    out->pooled = store_pool_count(&store->pool, STORE_POOL_ARRIVAL) +
                  store_pool_count(&store->pool, STORE_POOL_DEPARTURE);
    out->pool_refused = store->pool_refused;
    out->withheld = store->withheld;
    memcpy(out->fault, store->fault, sizeof out->fault);
    memcpy(out->last_error, store->last_error, sizeof out->last_error);
    pthread_mutex_unlock(&store->lock);
}

enum store_seq_state store_seq_state(struct store *store, int64_t seq)
{
    if (store == NULL || seq <= 0) {
        return STORE_SEQ_REFUSED;
    }
    pthread_mutex_lock(&store->lock);
    enum store_seq_state state = store->done_seq >= seq ? STORE_SEQ_COMMITTED
                                 : store->holding       ? STORE_SEQ_HELD
                                                        : STORE_SEQ_PENDING;
    for (int i = 0; state == STORE_SEQ_COMMITTED && i < STORE_FAILED_SEQS; i++) {
        if (store->failed_seqs[i] == seq) {
            state = STORE_SEQ_FAILED; /* done, but given up: never "committed" */
        }
    }
    pthread_mutex_unlock(&store->lock);
    return state;
}

int store_debug_exec(struct store *store, const char *sql, char *err, size_t err_size)
{
    if (store == NULL || sql == NULL) {
        snprintf(err, err_size, "store_debug_exec: no store or no SQL");
        return -EINVAL;
    }
    pthread_mutex_lock(&store->lock);
    sqlite3 *db = store->db; /* the writer swaps it only when it moves a damaged file aside */
    pthread_mutex_unlock(&store->lock);
    if (db == NULL) {
        snprintf(err, err_size, "%s: no database open", store->path);
        return -EIO;
    }
    char *message = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &message); /* FULLMUTEX: serialised */
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", sql, message ? message : sqlite3_errstr(rc));
        sqlite3_free(message);
        return -EIO;
    }
    return 0;
}

int64_t store_redate(struct store *store, int64_t since_ms, int64_t step_ms, int64_t now_ms)
{
    if (store == NULL || step_ms == 0) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_REDATE, .at_ms = since_ms};
    op.u.redate.since_ms = since_ms;
    op.u.redate.step_ms = step_ms;
    pthread_mutex_lock(&store->lock);
    int moved = 0;
    store_copy_text(op.u.redate.floor_day, sizeof op.u.redate.floor_day, store->tick_day);
    op.u.redate.range_count = store_mirror_redate(
        &store->mirror, since_ms, step_ms, op.u.redate.floor_day, op.u.redate.ranges, &moved);
    int64_t seq = store_enqueue_locked(store, &op);
    struct oase_localtime before, after;
    clock_local(now_ms - step_ms, &before);
    clock_local(now_ms, &after);
    int answers = seq > 0 && strcmp(before.date, after.date) != 0 &&
                          strcmp(after.date, store->tick_day) >= 0 /* never into a folded day */
                      ? store_pool_redate_day(&store->pool, before.date, after.date)
                      : 0;
    if (answers > 0) {
        log_msg(LOG_INFO, "%s: %d answers waiting for a batch move from %s to %s with the clock",
                store->path, answers, before.date, after.date);
    }
    if (seq > 0 && store->clock_mark.this_boot) {
        store_clock_mark_moved_locked(store, step_ms);
    }
    if (seq > 0) {
        if (moved > 0) {
            log_msg(LOG_WARN,
                    "%s: the clock stepped %+lld s: %d arrivals of this boot re-dated by it",
                    store->path, (long long)(step_ms / 1000), moved);
        }
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int64_t store_newest_ms(struct store *store)
{
    if (store == NULL) {
        return 0;
    }
    int64_t newest = 0;
    pthread_mutex_lock(&store->lock);
    for (int i = 0; i < store->mirror.arrival_count; i++) {
        int64_t at = store->mirror.arrivals[i].arrival.arrived_ms;
        newest = at > newest ? at : newest;
    }
    char day[STORE_DAY_SIZE];
    store_copy_text(day, sizeof day, store->mirror.counts.day);
    pthread_mutex_unlock(&store->lock);
    int64_t day_start = 0;
    if (day[0] != '\0' && clock_parse_local(day, &day_start) == 0 && day_start > newest) {
        newest = day_start;
    }
    return newest;
}
