/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_api: the public calls that record and read the room's day: arrivals, answers into
 * the pool, check-ins, departures, statuses, incidents, claims, the fold, the experiment's
 * days, the codebook, the site and this boot's clock mark; and the reads of today's mirror. Each
 * queues an operation for the writer thread (store.c) or reads the mirror under the store's lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/store_internal.h"

static void store_clock_mark_queue_locked(struct store *store);

/* Copies a caller's string into a field, cut to fit (NULL becomes ""). */
void store_copy_text(char *field, size_t size, const char *text)
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
void store_clock_mark_moved_locked(struct store *store, int64_t step_ms)
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
void store_describe_day(struct store *store, int64_t now_ms, const char *day)
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
