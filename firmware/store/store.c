/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store: see store.h. This file holds the lifecycle, the bounded write queue and its writer
 * thread, the tick, flush and health; the calls that record the day are in store_api.c. Flow:
 * screen -> store_arrive() -> queue (and the in-memory mirror, at once) -> writer thread ->
 * store_sql_run() -> disk -> store_committed_seq(); screen -> store_answer() -> pool ->
 * store_tick() -> a batch of >= k -> queue -> disk.
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
int64_t store_enqueue_locked(struct store *store, struct store_op *op)
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
