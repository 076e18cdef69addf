/*
 * store: see store.h. This file holds the lifecycle, the bounded write queue and its writer
 * thread, and the public calls. Flow: screen -> store_checkin() -> queue (and the in-memory
 * mirror, at once) -> writer thread -> store_sql_run() -> disk -> store_committed_seq().
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

#define STORE_RETRY_PAUSE_MS 100 /* pause after failed attempt k: k * this */

struct store {
    char path[PATH_MAX];             /* for messages */
    const struct phase_list *phases; /* owned by the caller, outlives the store */
    int closing_minute;              /* minutes after midnight; -1 = fold only at midnight */
    sqlite3 *db;                     /* used by the writer thread only once it runs */
    struct store_sql sql;            /* prepared statements of db */
    pthread_t writer;

    pthread_mutex_t lock;                  /* guards every field below */
    pthread_cond_t queue_changed;          /* an op was queued, or stopping was set */
    pthread_cond_t op_done;                /* done_seq grew */
    struct store_op *queue;                /* ring of STORE_QUEUE_MAX; an op leaves it once done */
    int queue_head;                        /* index of the oldest op (the one being written) */
    int queue_count;                       /* ops queued, including the one being written */
    int64_t last_seq;                      /* sequence number of the newest queued op */
    int64_t done_seq;                      /* newest op committed or given up */
    int64_t failed_writes;                 /* ops given up after STORE_WRITE_ATTEMPTS */
    bool stopping;                         /* store_close: accept nothing, drain, exit */
    char last_error[512];                  /* the writer's last failure, "" = none */
    char tick_day[STORE_DAY_SIZE];         /* day of the last store_tick ("" = none yet) */
    char closing_fold_day[STORE_DAY_SIZE]; /* day whose closing fold was queued */
    struct store_mirror mirror;            /* what the frame thread reads */
};

static const char *store_op_name(enum store_op_kind kind)
{
    switch (kind) {
    case STORE_OP_CHECKIN:
        return "check-in";
    case STORE_OP_DEPARTURE:
        return "departure answer";
    case STORE_OP_ABANDONED:
        return "abandoned journey";
    case STORE_OP_STATUS:
        return "arrival status";
    case STORE_OP_FOLD:
        return "fold of arrivals into counts";
    case STORE_OP_INCIDENT:
        return "incident count";
    case STORE_OP_SITE:
        return "site name";
    }
    return "write";
}

static void store_sleep_ms(int ms)
{
    struct timespec pause = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
}

/* Writes one op, retrying with a growing pause. Returns true when it was committed. */
static bool store_write_with_retries(struct store *store, const struct store_op *op)
{
    for (int attempt = 1; attempt <= STORE_WRITE_ATTEMPTS; attempt++) {
        char sqlite_message[256] = "";
        int rc = store_sql_run(&store->sql, op, sqlite_message, sizeof sqlite_message);
        if (rc == SQLITE_OK) {
            return true;
        }
        bool last = attempt == STORE_WRITE_ATTEMPTS;
        char message[sizeof store->last_error];
        int length =
            snprintf(message, sizeof message, "%s: %s %lld not written: %s (attempt %d of %d%s)",
                     store->path, store_op_name(op->kind), (long long)op->seq, sqlite_message,
                     attempt, STORE_WRITE_ATTEMPTS,
                     last ? "; given up: check free space and the file's owner" : "; will retry");
        if (length < 0) {
            snprintf(message, sizeof message, "%s not written", store_op_name(op->kind));
        } /* a message cut to fit still names the file, the write and SQLite's reason */
        pthread_mutex_lock(&store->lock);
        memcpy(store->last_error, message, sizeof message);
        pthread_mutex_unlock(&store->lock);
        log_msg(last ? LOG_ERROR : LOG_WARN, "%s", message);
        if (!last) {
            store_sleep_ms(STORE_RETRY_PAUSE_MS * attempt);
        }
    }
    return false;
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

        pthread_mutex_lock(&store->lock);
        store->queue_head = (store->queue_head + 1) % STORE_QUEUE_MAX;
        store->queue_count--;
        store->done_seq = op.seq;
        if (!written) {
            store->failed_writes++;
        }
        pthread_cond_broadcast(&store->op_done);
    }
    pthread_mutex_unlock(&store->lock);
    return NULL;
}

/* Queues a copy of op (lock held). Returns its sequence number or -EAGAIN. */
static int64_t store_enqueue_locked(struct store *store, struct store_op *op)
{
    if (store->stopping || store->queue_count >= STORE_QUEUE_MAX) {
        return -EAGAIN;
    }
    op->seq = ++store->last_seq;
    int slot = (store->queue_head + store->queue_count) % STORE_QUEUE_MAX;
    store->queue[slot] = *op;
    store->queue_count++;
    pthread_cond_signal(&store->queue_changed);
    return op->seq;
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
    store->queue = calloc(STORE_QUEUE_MAX, sizeof *store->queue);
    if (store->queue == NULL) {
        snprintf(err, err_size, "%s: out of memory for the write queue", path);
        goto out_free_store;
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
    if (pthread_mutex_init(&store->lock, NULL) != 0) {
        snprintf(err, err_size, "%s: cannot create the store's lock", path);
        goto out_finalize;
    }
    if (pthread_cond_init(&store->queue_changed, NULL) != 0) {
        snprintf(err, err_size, "%s: cannot create the store's condition", path);
        goto out_destroy_lock;
    }
    if (pthread_cond_init(&store->op_done, NULL) != 0) {
        snprintf(err, err_size, "%s: cannot create the store's condition", path);
        goto out_destroy_queue_changed;
    }
    int rc = pthread_create(&store->writer, NULL, store_writer_main, store);
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
    free(store->queue);
out_free_store:
    free(store);
    return NULL;
}

void store_close(struct store *store)
{
    if (store == NULL) {
        return;
    }
    pthread_mutex_lock(&store->lock);
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
}

int64_t store_checkin(struct store *store, const struct store_checkin *checkin)
{
    if (store == NULL || checkin == NULL || checkin->name_number <= 0 ||
        (checkin->stress_asked && (checkin->stress_answer < -1 || checkin->stress_answer > 10))) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_CHECKIN, .at_ms = checkin->at_ms};
    struct store_checkin *copy = &op.u.checkin;
    copy->at_ms = checkin->at_ms;
    copy->name_number = checkin->name_number;
    store_copy_array(copy->friendly_name, sizeof copy->friendly_name, checkin->friendly_name);
    store_copy_array(copy->service, sizeof copy->service, checkin->service);
    copy->wants_word = checkin->wants_word;
    copy->stress_asked = checkin->stress_asked;
    copy->stress_answer = checkin->stress_asked ? checkin->stress_answer : -1;
    store_copy_context(&copy->context, &checkin->context);

    struct oase_localtime local;
    clock_local(checkin->at_ms, &local);
    struct store_arrival arrival = {
        .name_number = copy->name_number,
        .arrived_ms = copy->at_ms,
        .wants_word = copy->wants_word,
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
        store_mirror_note_name(&store->mirror, local.date, copy->name_number);
        store_mirror_note_checkin(&store->mirror, local.date, copy->stress_asked,
                                  copy->stress_answer);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
}

int64_t store_departure(struct store *store, int64_t at_ms, int stress_answer,
                        const struct store_context *context)
{
    if (store == NULL || stress_answer < -1 || stress_answer > 10) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_DEPARTURE, .at_ms = at_ms};
    op.u.departure.stress_answer = stress_answer;
    store_copy_context(&op.u.departure.context, context);
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    pthread_mutex_unlock(&store->lock);
    return seq;
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

int64_t store_set_status(struct store *store, int name_number, enum store_arrival_status status,
                         int64_t at_ms)
{
    if (store == NULL ||
        (status != ARRIVAL_WAITING && status != ARRIVAL_COLLECTED && status != ARRIVAL_NO_SHOW)) {
        return -EINVAL;
    }
    struct oase_localtime local;
    clock_local(at_ms, &local);
    struct store_op op = {.kind = STORE_OP_STATUS, .at_ms = at_ms};
    op.u.status.name_number = name_number;
    op.u.status.status = status;

    pthread_mutex_lock(&store->lock);
    int index = store_mirror_find(&store->mirror, local.date, name_number);
    if (index < 0) {
        index = store_mirror_find(&store->mirror, NULL, name_number); /* e.g. after midnight */
    }
    int64_t seq = -ENOENT;
    if (index >= 0) {
        store_copy_text(op.u.status.day, sizeof op.u.status.day, store->mirror.arrivals[index].day);
        seq = store_enqueue_locked(store, &op);
    }
    if (seq > 0) {
        store_mirror_set_status(&store->mirror, index, status, at_ms);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
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
        store_mirror_fold(&store->mirror, op.u.fold.today, op.u.fold.include_today);
    }
    pthread_mutex_unlock(&store->lock);
    return seq;
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
    if (strcmp(store->tick_day, local.date) != 0) {
        fold = true; /* first tick after open, or midnight passed */
        store_copy_text(store->tick_day, sizeof store->tick_day, local.date);
    }
    if (past_closing && strcmp(store->closing_fold_day, local.date) != 0) {
        fold = true;
        store_copy_text(store->closing_fold_day, sizeof store->closing_fold_day, local.date);
    }
    store_mirror_new_day(&store->mirror, local.date);
    pthread_mutex_unlock(&store->lock);

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

void store_flush(struct store *store)
{
    if (store == NULL) {
        return;
    }
    pthread_mutex_lock(&store->lock);
    int64_t target = store->last_seq;
    while (store->done_seq < target) {
        pthread_cond_wait(&store->op_done, &store->lock);
    }
    pthread_mutex_unlock(&store->lock);
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

int64_t store_set_site(struct store *store, const char *site)
{
    if (store == NULL || site == NULL || site[0] == '\0' || strlen(site) >= STORE_SITE_MAX) {
        return -EINVAL;
    }
    struct store_op op = {.kind = STORE_OP_SITE};
    store_copy_text(op.u.site, sizeof op.u.site, site);
    pthread_mutex_lock(&store->lock);
    int64_t seq = store_enqueue_locked(store, &op);
    pthread_mutex_unlock(&store->lock);
    return seq;
}
