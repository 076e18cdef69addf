/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_sql: the SQL behind each queued write, run on the writer thread only, one
 * transaction per operation. Flow: store_checkin() etc. -> queue -> writer -> here -> disk.
 *
 * Every count is an upsert into an aggregate cell (n = n + 1). The phase of a count is the
 * phase in force on the local day of its event; answer cells know the hour, never the minute.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* Day, hour and phase of an event: the whole of its time an answer cell may know. */
struct store_event {
    char day[STORE_DAY_SIZE];
    int hour;
    const char *phase;
};

static void store_event_at(const struct store_sql *sql, int64_t at_ms, struct store_event *event)
{
    struct oase_localtime local;
    clock_local(at_ms, &local);
    snprintf(event->day, sizeof event->day, "%s", local.date);
    event->hour = local.hour;
    event->phase = phase_for_date(sql->phases, event->day);
}

/* A batch's cells know the day, never the hour (hour -1). */
static void store_event_of_day(const struct store_sql *sql, const char *day,
                               struct store_event *event)
{
    snprintf(event->day, sizeof event->day, "%s", day);
    event->hour = -1;
    event->phase = phase_for_date(sql->phases, event->day);
}

const char *store_sql_wait_band(int64_t wait_ms)
{
#define STORE_WAIT_BAND_ROW(low, high, name) {high, name},
    static const struct {
        int below_minutes; /* -1: the last band, no upper end */
        const char *band;
    } bands[] = {STORE_WAIT_BANDS(STORE_WAIT_BAND_ROW)};
#undef STORE_WAIT_BAND_ROW
    int64_t minutes = wait_ms > 0 ? wait_ms / 60000 : 0;
    size_t i = 0;
    while (i + 1 < sizeof bands / sizeof bands[0] && minutes >= bands[i].below_minutes) {
        i++;
    }
    return bands[i].band;
}

/*
 * Steps a statement that returns no rows, then resets it and clears its bindings. Bind
 * results are not checked one by one: a failed bind leaves NULL, which every NOT NULL
 * column refuses here, so the failure still surfaces with SQLite's message.
 */
static int store_sql_step_done(sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    sqlite3_bind_text(stmt, index, text ? text : "", -1, SQLITE_STATIC);
}

static int store_count_answer(struct store_sql *sql, const struct store_event *event,
                              const char *moment, const char *question, int answer,
                              const struct store_context *context)
{
    char answer_text[12]; /* "skip" or an int */
    if (answer < 0) {
        snprintf(answer_text, sizeof answer_text, "%s", STORE_ANSWER_SKIP);
    } else {
        snprintf(answer_text, sizeof answer_text, "%d", answer);
    }
    sqlite3_stmt *stmt = sql->upsert_answer;
    store_bind_text(stmt, 1, event->day);
    sqlite3_bind_int(stmt, 2, event->hour);
    store_bind_text(stmt, 3, event->phase);
    store_bind_text(stmt, 4, moment);
    store_bind_text(stmt, 5, question);
    store_bind_text(stmt, 6, answer_text);
    store_bind_text(stmt, 7, context->scene);
    store_bind_text(stmt, 8, context->sound);
    store_bind_text(stmt, 9, context->queue_band);
    store_bind_text(stmt, 10, context->light_band);
    return store_sql_step_done(stmt);
}

/* One response-rate denominator: what happened to question in one completed journey. */
static int store_count_response(struct store_sql *sql, const struct store_event *event,
                                const char *moment, const char *service, const char *question,
                                const char *response)
{
    sqlite3_stmt *stmt = sql->upsert_response;
    store_bind_text(stmt, 1, event->day);
    sqlite3_bind_int(stmt, 2, event->hour);
    store_bind_text(stmt, 3, event->phase);
    store_bind_text(stmt, 4, moment);
    store_bind_text(stmt, 5, service);
    store_bind_text(stmt, 6, question);
    store_bind_text(stmt, 7, response);
    return store_sql_step_done(stmt);
}

/* What happened to a 0..10 question (an answer or STORE_SCALE_*). */
static const char *store_scale_response(int answer)
{
    switch (answer) {
    case STORE_SCALE_NOT_ASKED:
        return STORE_RESPONSE_NOT_ASKED;
    case STORE_SCALE_ABANDONED:
        return STORE_RESPONSE_ABANDONED;
    case STORE_SCALE_SKIPPED:
        return STORE_RESPONSE_SKIPPED;
    default:
        return STORE_RESPONSE_ANSWERED;
    }
}

static const char *store_word_response_name(enum store_word_response word)
{
    switch (word) {
    case STORE_WORD_ANSWERED:
        return STORE_RESPONSE_ANSWERED;
    case STORE_WORD_ABANDONED:
        return STORE_RESPONSE_ABANDONED;
    case STORE_WORD_NOT_ASKED:
        break;
    }
    return STORE_RESPONSE_NOT_ASKED;
}

static int store_count_journey(struct store_sql *sql, const struct store_event *event,
                               const char *moment, const char *outcome, const char *last_screen,
                               const char *service)
{
    sqlite3_stmt *stmt = sql->upsert_journey;
    store_bind_text(stmt, 1, event->day);
    sqlite3_bind_int(stmt, 2, event->hour);
    store_bind_text(stmt, 3, event->phase);
    store_bind_text(stmt, 4, moment);
    store_bind_text(stmt, 5, outcome);
    store_bind_text(stmt, 6, last_screen);
    store_bind_text(stmt, 7, service);
    return store_sql_step_done(stmt);
}

/* The arrival on its own: the row the host sees and the completed check-in (per hour, as
 * the arrival row itself says). Nothing the visitor answers is written here. */
static int store_sql_arrive(struct store_sql *sql, const struct store_arrival_in *arrival)
{
    struct store_event event;
    store_event_at(sql, arrival->at_ms, &event);

    sqlite3_stmt *stmt = sql->insert_arrival;
    store_bind_text(stmt, 1, event.day);
    sqlite3_bind_int(stmt, 2, arrival->name_number);
    store_bind_text(stmt, 3, arrival->friendly_name);
    store_bind_text(stmt, 4, arrival->service);
    sqlite3_bind_int64(stmt, 5, arrival->at_ms);
    sqlite3_bind_int(stmt, 6, 0);
    store_bind_text(stmt, 7, arrival->wait_message);
    sqlite3_bind_int(stmt, 8, arrival->wait_low_min);
    sqlite3_bind_int(stmt, 9, arrival->wait_high_min);
    int rc = store_sql_step_done(stmt);
    if (rc != SQLITE_OK) {
        return rc;
    }
    stmt = sql->upsert_name_counter;
    store_bind_text(stmt, 1, event.day);
    sqlite3_bind_int(stmt, 2, arrival->name_number);
    rc = store_sql_step_done(stmt);
    if (rc != SQLITE_OK) {
        return rc;
    }
    return store_count_journey(sql, &event, STORE_MOMENT_ARRIVAL, "completed", "",
                               arrival->service);
}

/* The service or the word wish of an arrival changed (no row: folded already, nothing). */
static int store_sql_arrival_update(struct store_sql *sql, const struct store_op *op)
{
    bool service = op->kind == STORE_OP_SERVICE;
    sqlite3_stmt *stmt = service ? sql->update_service : sql->update_wants_word;
    store_bind_text(stmt, 1, op->u.arrival.day);
    sqlite3_bind_int(stmt, 2, op->u.arrival.name_number);
    if (service) {
        store_bind_text(stmt, 3, op->u.arrival.service);
    }
    return store_sql_step_done(stmt);
}

/* One visitor's arrival answers, as generalised in its batch. */
static int store_sql_arrival_answers(struct store_sql *sql, const struct store_event *event,
                                     const struct store_pool_item *item)
{
    int rc = SQLITE_OK;
    if (item->stress_answer >= 0 || item->stress_answer == STORE_SCALE_SKIPPED) {
        rc = store_count_answer(sql, event, STORE_MOMENT_ARRIVAL, STORE_QUESTION_STRESS,
                                item->stress_answer, &item->context);
    }
    if (rc == SQLITE_OK) {
        rc = store_count_response(sql, event, STORE_MOMENT_ARRIVAL, item->service,
                                  STORE_QUESTION_STRESS, store_scale_response(item->stress_answer));
    }
    if (rc == SQLITE_OK) {
        rc = store_count_response(sql, event, STORE_MOMENT_ARRIVAL, item->service,
                                  STORE_QUESTION_WORD, store_word_response_name(item->word));
    }
    return rc;
}

/* One departure tap, as generalised in its batch. */
static int store_sql_departure_answers(struct store_sql *sql, const struct store_event *event,
                                       const struct store_pool_item *item)
{
    bool abandoned = item->stress_answer == STORE_SCALE_ABANDONED;
    int rc = SQLITE_OK;
    if (!abandoned) {
        rc = store_count_answer(sql, event, STORE_MOMENT_DEPARTURE, STORE_QUESTION_STRESS,
                                item->stress_answer, &item->context);
    }
    if (rc == SQLITE_OK) {
        rc = store_count_response(sql, event, STORE_MOMENT_DEPARTURE, "", STORE_QUESTION_STRESS,
                                  store_scale_response(item->stress_answer));
    }
    if (rc == SQLITE_OK) {
        rc = store_count_response(sql, event, STORE_MOMENT_DEPARTURE, "", STORE_QUESTION_WORD,
                                  STORE_RESPONSE_NOT_ASKED);
    }
    /* No journey_counts row: that table is per hour, a batch knows only its day. The
     * departure's outcome is the response above (answered, skipped or abandoned). */
    return rc;
}

static int store_sql_stress_wait(struct store_sql *sql, const struct store_event *event,
                                 const struct store_pool_item *item)
{
    sqlite3_stmt *stmt = sql->upsert_stress_wait;
    store_bind_text(stmt, 1, event->day);
    store_bind_text(stmt, 2, event->phase);
    store_bind_text(stmt, 3, item->stress_band);
    store_bind_text(stmt, 4, item->wait_band);
    return store_sql_step_done(stmt);
}

/* Answers left in the pool at a day's end: only how many, as 'withheld' responses. */
static int store_sql_withheld(struct store_sql *sql, const struct store_event *event,
                              const struct store_batch *batch)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < batch->count && rc == SQLITE_OK; i++) {
        switch (batch->kind) {
        case STORE_POOL_ARRIVAL:
            rc = store_count_response(sql, event, STORE_MOMENT_ARRIVAL, "", STORE_QUESTION_STRESS,
                                      STORE_RESPONSE_WITHHELD);
            if (rc == SQLITE_OK) {
                rc = store_count_response(sql, event, STORE_MOMENT_ARRIVAL, "", STORE_QUESTION_WORD,
                                          STORE_RESPONSE_WITHHELD);
            }
            break;
        case STORE_POOL_DEPARTURE:
            rc = store_count_response(sql, event, STORE_MOMENT_DEPARTURE, "", STORE_QUESTION_STRESS,
                                      STORE_RESPONSE_WITHHELD);
            break;
        default: /* stress x wait pairs are no responses: store_health counts them */
            break;
        }
    }
    return rc;
}

/* A batch of at least k visitors' answers, in its (sorted) order, as per-day cells. */
static int store_sql_batch(struct store_sql *sql, const struct store_batch *batch)
{
    struct store_event event;
    store_event_of_day(sql, batch->day, &event);
    if (batch->withheld) {
        return store_sql_withheld(sql, &event, batch);
    }
    int rc = SQLITE_OK;
    for (int i = 0; i < batch->count && rc == SQLITE_OK; i++) {
        switch (batch->kind) {
        case STORE_POOL_ARRIVAL:
            rc = store_sql_arrival_answers(sql, &event, &batch->items[i]);
            break;
        case STORE_POOL_DEPARTURE:
            rc = store_sql_departure_answers(sql, &event, &batch->items[i]);
            break;
        case STORE_POOL_STRESS_WAIT:
            rc = store_sql_stress_wait(sql, &event, &batch->items[i]);
            break;
        case STORE_POOL_KINDS:
            break;
        }
    }
    return rc;
}

static int store_sql_abandoned(struct store_sql *sql, const struct store_op *op)
{
    struct store_event event;
    store_event_at(sql, op->at_ms, &event);
    return store_count_journey(sql, &event, op->u.abandoned.moment, "abandoned",
                               op->u.abandoned.last_screen, op->u.abandoned.service);
}

static int store_sql_status(struct store_sql *sql, const struct store_op *op)
{
    bool collected = op->u.status.status == ARRIVAL_COLLECTED;
    sqlite3_stmt *stmt = sql->update_status;
    store_bind_text(stmt, 1, op->u.status.day);
    sqlite3_bind_int(stmt, 2, op->u.status.name_number);
    store_bind_text(stmt, 3, store_status_name(op->u.status.status));
    sqlite3_bind_int64(stmt, 4, collected ? op->at_ms : 0);
    return store_sql_step_done(stmt); /* no row (already folded): nothing to do */
}

/* Where an actual wait fell against the range shown: "below", "within", "above". */
static const char *store_within(int64_t wait_ms, int low_min, int high_min)
{
    if (wait_ms < (int64_t)low_min * 60000) {
        return STORE_WITHIN_BELOW;
    }
    return wait_ms <= (int64_t)high_min * 60000 ? STORE_WITHIN_WITHIN : STORE_WITHIN_ABOVE;
}

/* Counts one arrival row into arrival_counts and wait_counts. */
static int store_fold_row(struct store_sql *sql, sqlite3_stmt *row)
{
    char day[STORE_DAY_SIZE];
    char service[sizeof((struct store_checkin *)0)->service];
    char status[16];
    const char *text = (const char *)sqlite3_column_text(row, 0);
    snprintf(day, sizeof day, "%s", text ? text : "");
    text = (const char *)sqlite3_column_text(row, 1);
    snprintf(service, sizeof service, "%s", text ? text : "");
    int64_t arrived_ms = sqlite3_column_int64(row, 2);
    int wants_word = sqlite3_column_int(row, 3) ? 1 : 0;
    text = (const char *)sqlite3_column_text(row, 4);
    snprintf(status, sizeof status, "%s", text ? text : "");
    int64_t collected_ms = sqlite3_column_int64(row, 5);
    char wait_message[16];
    text = (const char *)sqlite3_column_text(row, 6);
    snprintf(wait_message, sizeof wait_message, "%s", text ? text : "");
    int wait_low_min = sqlite3_column_int(row, 7);
    int wait_high_min = sqlite3_column_int(row, 8);

    const char *phase = phase_for_date(sql->phases, day);
    struct oase_localtime local;
    clock_local(arrived_ms, &local);

    sqlite3_stmt *stmt = sql->upsert_arrival_count;
    store_bind_text(stmt, 1, day);
    sqlite3_bind_int(stmt, 2, local.hour);
    store_bind_text(stmt, 3, phase);
    store_bind_text(stmt, 4, service);
    sqlite3_bind_int(stmt, 5, wants_word);
    int rc = store_sql_step_done(stmt);
    if (rc != SQLITE_OK) {
        return rc;
    }

    const char *outcome = STORE_OUTCOME_NOT_MARKED;
    const char *band = "";
    if (strcmp(status, STORE_STATUS_COLLECTED) == 0) {
        outcome = STORE_OUTCOME_COLLECTED;
        band = store_sql_wait_band(collected_ms - arrived_ms);
    } else if (strcmp(status, STORE_STATUS_NO_SHOW) == 0) {
        outcome = STORE_OUTCOME_NO_SHOW;
    } else if (strcmp(status, STORE_STATUS_LEFT) == 0) {
        outcome = STORE_OUTCOME_LEFT; /* they told the kiosk: no wait to count, as with a no-show */
    }
    stmt = sql->upsert_wait_count;
    store_bind_text(stmt, 1, day);
    store_bind_text(stmt, 2, phase);
    store_bind_text(stmt, 3, service);
    store_bind_text(stmt, 4, outcome);
    store_bind_text(stmt, 5, band);
    rc = store_sql_step_done(stmt);
    bool range = strcmp(wait_message, STORE_WAIT_MESSAGE_RANGE) == 0;
    if (rc != SQLITE_OK || (!range && strcmp(wait_message, STORE_WAIT_MESSAGE_HOST_KNOWS) != 0)) {
        return rc; /* arrivals from before schema 3 do not know their message */
    }
    const char *within = STORE_WITHIN_NONE;
    if (range && strcmp(outcome, STORE_OUTCOME_COLLECTED) == 0) {
        within = store_within(collected_ms - arrived_ms, wait_low_min, wait_high_min);
    }
    stmt = sql->upsert_wait_message;
    store_bind_text(stmt, 1, day);
    store_bind_text(stmt, 2, phase);
    store_bind_text(stmt, 3, wait_message);
    store_bind_text(stmt, 4, outcome);
    store_bind_text(stmt, 5, band);
    store_bind_text(stmt, 6, within);
    return store_sql_step_done(stmt);
}

static int store_sql_fold(struct store_sql *sql, const struct store_op *op)
{
    const char *today = op->u.fold.today;
    int include_today = op->u.fold.include_today ? 1 : 0;
    sqlite3_stmt *select = sql->select_foldable;
    store_bind_text(select, 1, today);
    sqlite3_bind_int(select, 2, include_today);
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
        rc = store_fold_row(sql, select);
        if (rc != SQLITE_OK) {
            break;
        }
    }
    sqlite3_reset(select);
    sqlite3_clear_bindings(select);
    if (rc != SQLITE_DONE) {
        return rc;
    }
    sqlite3_stmt *stmt = sql->delete_foldable;
    store_bind_text(stmt, 1, today);
    sqlite3_bind_int(stmt, 2, include_today);
    rc = store_sql_step_done(stmt);
    if (rc != SQLITE_OK) {
        return rc;
    }
    /* Counters of past days are no longer needed; today's stays for late arrivals. */
    stmt = sql->delete_old_name_counters;
    store_bind_text(stmt, 1, today);
    return store_sql_step_done(stmt);
}

/* One claim_counts cell of a fold: n more arrivals of the day with this outcome and band. */
static int store_sql_claims(struct store_sql *sql, const struct store_op *op)
{
    sqlite3_stmt *stmt = sql->upsert_claims;
    store_bind_text(stmt, 1, op->u.claims.day);
    store_bind_text(stmt, 2, phase_for_date(sql->phases, op->u.claims.day));
    store_bind_text(stmt, 3, op->u.claims.outcome);
    store_bind_text(stmt, 4, op->u.claims.band);
    sqlite3_bind_int(stmt, 5, op->u.claims.n);
    return store_sql_step_done(stmt);
}

static int store_sql_incident(struct store_sql *sql, const struct store_op *op)
{
    struct store_event event;
    store_event_at(sql, op->at_ms, &event);
    sqlite3_stmt *stmt = sql->upsert_incident;
    store_bind_text(stmt, 1, event.day);
    store_bind_text(stmt, 2, event.phase);
    store_bind_text(stmt, 3, store_incident_kind_name(op->u.incident.kind));
    return store_sql_step_done(stmt);
}

/* A wording in use on a day: a new version when it differs from the latest, else that
 * version's days widen to include the day. */
static int store_sql_codebook(struct store_sql *sql, const struct store_op *op)
{
    const struct store_codebook_entry *entry = &op->u.codebook.entry;
    const char *day = op->u.codebook.day;
    sqlite3_stmt *select = sql->select_codebook_latest;
    store_bind_text(select, 1, entry->item);
    store_bind_text(select, 2, entry->lang);
    int version = 0;
    bool same = false;
    int rc = sqlite3_step(select);
    if (rc == SQLITE_ROW) {
        version = sqlite3_column_int(select, 0);
        const char *text = (const char *)sqlite3_column_text(select, 1);
        same = text != NULL && strcmp(text, entry->text) == 0;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(select);
    sqlite3_clear_bindings(select);
    if (rc != SQLITE_DONE) {
        return rc;
    }
    sqlite3_stmt *stmt = same ? sql->update_codebook_days : sql->insert_codebook;
    store_bind_text(stmt, 1, entry->item);
    store_bind_text(stmt, 2, entry->lang);
    sqlite3_bind_int(stmt, 3, same ? version : version + 1);
    store_bind_text(stmt, 4, day);
    if (!same) {
        store_bind_text(stmt, 5, entry->text);
    }
    return store_sql_step_done(stmt);
}

static int store_sql_phase_config(struct store_sql *sql, const struct store_op *op)
{
    const char *day = op->u.phase_config.day;
    sqlite3_stmt *stmt = sql->upsert_phase_config;
    store_bind_text(stmt, 1, phase_for_date(sql->phases, day));
    store_bind_text(stmt, 2, op->u.phase_config.config_hash);
    store_bind_text(stmt, 3, day);
    return store_sql_step_done(stmt);
}

static int store_sql_experiment(struct store_sql *sql, const struct store_op *op)
{
    const struct store_experiment_day *day = &op->u.experiment;
    sqlite3_stmt *stmt = sql->insert_experiment_day;
    store_bind_text(stmt, 1, day->day);
    store_bind_text(stmt, 2, day->experiment);
    store_bind_text(stmt, 3, day->condition);
    sqlite3_bind_int(stmt, 4, day->block);
    sqlite3_bind_int(stmt, 5, day->slot);
    store_bind_text(stmt, 6, day->config_hash);
    store_bind_text(stmt, 7, day->seed);
    return store_sql_step_done(stmt);
}

static int store_sql_site(struct store_sql *sql, const struct store_op *op)
{
    store_bind_text(sql->upsert_site, 1, op->u.site.name);
    return store_sql_step_done(sql->upsert_site);
}

/*
 * The wall clock stepped: this run's arrivals dated on the old clock (the op's day and number
 * ranges, at or after since_ms) get their time moved by the step and the day of the new
 * time, as store_mirror_redate does. An arrival whose number is taken on the new day keeps
 * its date (UPDATE OR IGNORE).
 */
static int store_sql_redate(struct store_sql *sql, const struct store_op *op)
{
    enum { REDATE_MAX = STORE_MIRROR_MAX };
    static struct {
        char day[STORE_DAY_SIZE];
        int name_number;
        int64_t arrived_ms;
    } rows[REDATE_MAX]; /* the writer thread only */
    sqlite3_stmt *select = NULL, *update = NULL;
    int rc = sqlite3_prepare_v2(sql->db,
                                "SELECT day, name_number, arrived_ms FROM arrivals "
                                "WHERE arrived_ms >= ?1 AND day = ?2 AND name_number BETWEEN ?3 "
                                "AND ?4 ORDER BY arrived_ms",
                                -1, &select, NULL);
    int count = 0;
    for (int r = 0; rc == SQLITE_OK && r < op->u.redate.range_count; r++) {
        const struct store_redate_range *range = &op->u.redate.ranges[r];
        sqlite3_bind_int64(select, 1, op->u.redate.since_ms);
        store_bind_text(select, 2, range->day);
        sqlite3_bind_int(select, 3, range->first);
        sqlite3_bind_int(select, 4, range->last);
        while ((rc = sqlite3_step(select)) == SQLITE_ROW && count < REDATE_MAX) {
            const unsigned char *day = sqlite3_column_text(select, 0);
            snprintf(rows[count].day, sizeof rows[count].day, "%s", day ? (const char *)day : "");
            rows[count].name_number = sqlite3_column_int(select, 1);
            rows[count].arrived_ms = sqlite3_column_int64(select, 2);
            count++;
        }
        rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
        sqlite3_reset(select);
        sqlite3_clear_bindings(select);
    }
    sqlite3_finalize(select);
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(
            sql->db,
            "UPDATE OR IGNORE arrivals SET day = ?1, arrived_ms = arrived_ms + ?2,"
            " collected_ms = CASE WHEN collected_ms > 0 THEN collected_ms + ?2"
            " ELSE collected_ms END WHERE day = ?3 AND name_number = ?4",
            -1, &update, NULL);
    }
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        struct store_event event;
        store_event_at(sql, rows[i].arrived_ms + op->u.redate.step_ms, &event);
        if (strcmp(event.day, op->u.redate.floor_day) < 0) {
            continue; /* not into a day already folded: it keeps its date */
        }
        store_bind_text(update, 1, event.day);
        sqlite3_bind_int64(update, 2, op->u.redate.step_ms);
        store_bind_text(update, 3, rows[i].day);
        sqlite3_bind_int(update, 4, rows[i].name_number);
        rc = store_sql_step_done(update);
        if (rc == SQLITE_OK) {
            store_bind_text(sql->upsert_name_counter, 1, event.day);
            sqlite3_bind_int(sql->upsert_name_counter, 2, rows[i].name_number);
            rc = store_sql_step_done(sql->upsert_name_counter);
        }
    }
    sqlite3_finalize(update);
    memset(rows, 0, sizeof rows[0] * (size_t)count);
    return rc;
}

/* This boot's clock mark (store_clock_boot): one meta row, replaced. */
static int store_sql_clock_mark(struct store_sql *sql, const struct store_op *op)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(sql->db,
                                "INSERT INTO meta(key, value) VALUES ('clock_boot', ?1) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        store_bind_text(stmt, 1, op->u.clock_mark);
        rc = store_sql_step_done(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int store_sql_run(struct store_sql *sql, const struct store_op *op, char *err, size_t err_size)
{
    int rc = sqlite3_exec(sql->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s", sqlite3_errmsg(sql->db));
        return rc;
    }
    switch (op->kind) {
    case STORE_OP_ARRIVE:
        rc = store_sql_arrive(sql, &op->u.arrive);
        break;
    case STORE_OP_SERVICE:
    case STORE_OP_WANTS_WORD:
        rc = store_sql_arrival_update(sql, op);
        break;
    case STORE_OP_BATCH:
        rc = store_sql_batch(sql, op->u.batch);
        break;
    case STORE_OP_ABANDONED:
        rc = store_sql_abandoned(sql, op);
        break;
    case STORE_OP_STATUS:
        rc = store_sql_status(sql, op);
        break;
    case STORE_OP_FOLD:
        rc = store_sql_fold(sql, op);
        break;
    case STORE_OP_INCIDENT:
        rc = store_sql_incident(sql, op);
        break;
    case STORE_OP_CODEBOOK:
        rc = store_sql_codebook(sql, op);
        break;
    case STORE_OP_PHASE_CONFIG:
        rc = store_sql_phase_config(sql, op);
        break;
    case STORE_OP_SITE:
        rc = store_sql_site(sql, op);
        break;
    case STORE_OP_RESEARCH_K:
        sqlite3_bind_int(sql->insert_research_k, 1, op->u.research_k);
        rc = store_sql_step_done(sql->insert_research_k);
        break;
    case STORE_OP_REDATE:
        rc = store_sql_redate(sql, op);
        break;
    case STORE_OP_CLOCK_MARK:
        rc = store_sql_clock_mark(sql, op);
        break;
    case STORE_OP_EXPERIMENT_DAY:
        rc = store_sql_experiment(sql, op);
        break;
    case STORE_OP_EXPERIMENT_OVERRIDE:
        store_bind_text(sql->count_experiment_override, 1, op->u.experiment.day);
        rc = store_sql_step_done(sql->count_experiment_override);
        break;
    case STORE_OP_CLAIMS:
        rc = store_sql_claims(sql, op);
        break;
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(sql->db, "COMMIT", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK && op->kind == STORE_OP_FOLD) {
        /* The folded rows' old pages are zeroed in the file (secure_delete); their copies in
         * the WAL go too. A reader holding a snapshot makes this busy: the next fold tries
         * again. */
        sqlite3_wal_checkpoint_v2(sql->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s", sqlite3_errmsg(sql->db));
        if (!sqlite3_get_autocommit(sql->db)) {
            sqlite3_exec(sql->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    return rc;
}

int store_sql_prepare(struct store_sql *sql, sqlite3 *db, const struct phase_list *phases,
                      char *err, size_t err_size)
{
    const struct {
        sqlite3_stmt **stmt;
        const char *text;
    } statements[] = {
        {&sql->insert_arrival,
         "INSERT INTO arrivals(day, name_number, friendly_name, service, arrived_ms, "
         "wants_word, status, collected_ms, wait_message, wait_low_min, wait_high_min) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting', 0, ?7, ?8, ?9)"},
        {&sql->upsert_name_counter,
         "INSERT INTO name_counter(day, last_number) VALUES (?1, ?2) ON CONFLICT(day) "
         "DO UPDATE SET last_number = max(last_number, excluded.last_number)"},
        {&sql->upsert_answer,
         "INSERT INTO answer_counts(day, hour, phase, moment, question, answer, scene, sound, "
         "queue_band, light_band, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) "
         "ON CONFLICT(day, hour, phase, moment, question, answer, scene, light_band, sound, "
         "queue_band) DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_journey,
         "INSERT INTO journey_counts(day, hour, phase, moment, outcome, last_screen, service, "
         "n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
         "ON CONFLICT(day, hour, phase, moment, outcome, last_screen, service) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->update_status,
         "UPDATE arrivals SET status = ?3, collected_ms = ?4 WHERE day = ?1 AND name_number = ?2"},
        {&sql->select_foldable,
         "SELECT day, service, arrived_ms, wants_word, status, collected_ms, wait_message, "
         "wait_low_min, wait_high_min FROM arrivals "
         "WHERE day < ?1 OR (?2 AND day = ?1 AND status != 'waiting')"},
        {&sql->upsert_arrival_count,
         "INSERT INTO arrival_counts(day, hour, phase, service, wants_word, n) "
         "VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT(day, hour, phase, service, wants_word) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_wait_count,
         "INSERT INTO wait_counts(day, phase, service, outcome, wait_band, n) "
         "VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT(day, phase, service, outcome, wait_band) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->delete_foldable, "DELETE FROM arrivals "
                                "WHERE day < ?1 OR (?2 AND day = ?1 AND status != 'waiting')"},
        {&sql->delete_old_name_counters, "DELETE FROM name_counter WHERE day < ?1"},
        {&sql->upsert_incident,
         "INSERT INTO incident_counts(day, phase, kind, n) VALUES (?1, ?2, ?3, 1) "
         "ON CONFLICT(day, phase, kind) DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_response,
         "INSERT INTO response_counts(day, hour, phase, moment, service, question, response, n) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1) "
         "ON CONFLICT(day, hour, phase, moment, service, question, response) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_stress_wait,
         "INSERT INTO stress_wait_counts(day, phase, stress_band, wait_band, n) "
         "VALUES (?1, ?2, ?3, ?4, 1) ON CONFLICT(day, phase, stress_band, wait_band) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_wait_message,
         "INSERT INTO wait_message_counts(day, phase, message, outcome, wait_band, within, n) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) "
         "ON CONFLICT(day, phase, message, outcome, wait_band, within) "
         "DO UPDATE SET n = n + excluded.n"},
        {&sql->upsert_claims,
         "INSERT INTO claim_counts(day, phase, outcome, band, n) VALUES (?1, ?2, ?3, ?4, ?5) "
         "ON CONFLICT(day, phase, outcome, band) DO UPDATE SET n = n + excluded.n"},
        {&sql->select_codebook_latest,
         "SELECT version, text FROM codebook WHERE item = ?1 AND lang = ?2 "
         "ORDER BY version DESC LIMIT 1"},
        {&sql->insert_codebook,
         "INSERT INTO codebook(item, lang, version, text, first_day, last_day) "
         "VALUES (?1, ?2, ?3, ?5, ?4, ?4)"},
        {&sql->update_codebook_days,
         "UPDATE codebook SET first_day = min(first_day, ?4), last_day = max(last_day, ?4) "
         "WHERE item = ?1 AND lang = ?2 AND version = ?3"},
        {&sql->upsert_phase_config,
         "INSERT INTO phase_configs(phase, config_hash, first_day, last_day) "
         "VALUES (?1, ?2, ?3, ?3) ON CONFLICT(phase, config_hash) DO UPDATE SET "
         "first_day = min(first_day, excluded.first_day), "
         "last_day = max(last_day, excluded.last_day)"},
        /* never a day before one already recorded: a clock set back must not add a day to a
           week that is over (the export's blocks of a finished week depend on these rows) */
        {&sql->insert_experiment_day,
         "INSERT INTO experiment_days(day, experiment, condition, block, slot, seed, "
         "config_hash, overrides) SELECT ?1, ?2, ?3, ?4, ?5, ?7, ?6, 0 "
         "WHERE NOT EXISTS (SELECT 1 FROM experiment_days WHERE day > ?1) "
         "ON CONFLICT(day) DO NOTHING"},
        {&sql->count_experiment_override,
         "UPDATE experiment_days SET overrides = overrides + 1 WHERE day = ?1"},
        {&sql->upsert_site, "INSERT INTO meta(key, value) VALUES ('site', ?1) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"},
        {&sql->update_service,
         "UPDATE arrivals SET service = ?3 WHERE day = ?1 AND name_number = ?2"},
        {&sql->update_wants_word,
         "UPDATE arrivals SET wants_word = 1 WHERE day = ?1 AND name_number = ?2"},
        {&sql->insert_research_k,
         "INSERT OR IGNORE INTO meta(key, value) VALUES ('research_k', CAST(?1 AS TEXT))"},
    };
    memset(sql, 0, sizeof *sql);
    sql->db = db;
    sql->phases = phases;
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
        int rc = sqlite3_prepare_v3(db, statements[i].text, -1, SQLITE_PREPARE_PERSISTENT,
                                    statements[i].stmt, NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, err_size, "cannot prepare a store statement: %s", sqlite3_errmsg(db));
            store_sql_finalize(sql);
            return -EIO;
        }
    }
    return 0;
}

void store_sql_finalize(struct store_sql *sql)
{
    sqlite3_stmt **all[] = {
        &sql->insert_arrival,
        &sql->upsert_name_counter,
        &sql->upsert_answer,
        &sql->upsert_journey,
        &sql->update_status,
        &sql->select_foldable,
        &sql->upsert_arrival_count,
        &sql->upsert_wait_count,
        &sql->delete_foldable,
        &sql->delete_old_name_counters,
        &sql->upsert_incident,
        &sql->upsert_response,
        &sql->upsert_stress_wait,
        &sql->upsert_wait_message,
        &sql->select_codebook_latest,
        &sql->insert_codebook,
        &sql->update_codebook_days,
        &sql->upsert_phase_config,
        &sql->insert_experiment_day,
        &sql->count_experiment_override,
        &sql->upsert_site,
        &sql->update_service,
        &sql->update_wants_word,
        &sql->insert_research_k,
        &sql->upsert_claims,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]); /* NULL is a no-op */
        *all[i] = NULL;
    }
}

/*
 * The host page's numbers of the latest day anything was counted on, read back from the
 * aggregate cells (the kiosk restarted during the day). Returns 0 or -EIO.
 */
static int store_sql_load_day_counts(sqlite3 *db, struct store_mirror *mirror, char *err,
                                     size_t err_size)
{
    static const char *const latest_day_sql =
        "SELECT max(day) FROM (SELECT max(day) AS day FROM journey_counts WHERE moment = "
        "'arrival' AND outcome = 'completed' UNION ALL SELECT max(day) FROM incident_counts)";
    /* Each row: what (0 check-ins, 1 stress answer, 2 incident), the answer or kind, n. */
    static const char *const counts_sql =
        "SELECT 0, '', sum(n) FROM journey_counts WHERE day = ?1 AND moment = 'arrival' AND "
        "outcome = 'completed' "
        "UNION ALL SELECT 1, answer, sum(n) FROM answer_counts WHERE day = ?1 AND moment = "
        "'arrival' AND question = 'stress' GROUP BY answer "
        "UNION ALL SELECT 2, kind, sum(n) FROM incident_counts WHERE day = ?1 GROUP BY kind";
    sqlite3_stmt *stmt = NULL;
    char day[STORE_DAY_SIZE] = "";
    int rc = sqlite3_prepare_v2(db, latest_day_sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        goto out_error;
    }
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL) {
        snprintf(day, sizeof day, "%s", (const char *)sqlite3_column_text(stmt, 0));
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        goto out_error;
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (day[0] == '\0') {
        return 0; /* nothing counted yet */
    }
    rc = sqlite3_prepare_v2(db, counts_sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        goto out_error;
    }
    sqlite3_bind_text(stmt, 1, day, -1, SQLITE_STATIC);
    struct store_mirror_day *counts = &mirror->counts;
    memset(counts, 0, sizeof *counts);
    snprintf(counts->day, sizeof counts->day, "%s", day);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int what = sqlite3_column_int(stmt, 0);
        const char *text = (const char *)sqlite3_column_text(stmt, 1);
        int n = sqlite3_column_int(stmt, 2);
        text = text ? text : "";
        if (what == 0) {
            counts->checkins = n;
        } else if (what == 1) {
            counts->stress_asked += n;
            if (strcmp(text, STORE_ANSWER_SKIP) != 0) {
                counts->stress_answers += n;
                char *end = NULL;
                long stress = strtol(text, &end, 10);
                counts->stress_sum += end != text && *end == '\0' ? (int64_t)stress * n : 0;
            }
        } else {
            for (int kind = 0; kind < STORE_INCIDENT_KINDS; kind++) {
                if (strcmp(text, store_incident_kind_name((enum store_incident_kind)kind)) == 0) {
                    counts->incidents[kind] += n;
                }
            }
        }
    }
    if (rc != SQLITE_DONE) {
        goto out_error;
    }
    sqlite3_finalize(stmt);
    return 0;

out_error:
    snprintf(err, err_size, "cannot read today's numbers: %s", sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return -EIO;
}

int store_sql_load_mirror(sqlite3 *db, struct store_mirror *mirror, char *err, size_t err_size)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT day, name_number, friendly_name, service, arrived_ms, "
                                "wants_word, status, collected_ms FROM arrivals "
                                "ORDER BY arrived_ms, day, name_number",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        goto out_error;
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        char day[STORE_DAY_SIZE];
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        snprintf(day, sizeof day, "%s", text ? text : "");
        struct store_arrival arrival = {.name_number = sqlite3_column_int(stmt, 1)};
        text = (const char *)sqlite3_column_text(stmt, 2);
        snprintf(arrival.friendly_name, sizeof arrival.friendly_name, "%s", text ? text : "");
        text = (const char *)sqlite3_column_text(stmt, 3);
        snprintf(arrival.service, sizeof arrival.service, "%s", text ? text : "");
        arrival.arrived_ms = sqlite3_column_int64(stmt, 4);
        arrival.wants_word = sqlite3_column_int(stmt, 5) != 0;
        enum store_arrival_status status = ARRIVAL_WAITING; /* any other word: still waiting */
        (void)store_status_parse((const char *)sqlite3_column_text(stmt, 6), &status);
        int64_t collected_ms = sqlite3_column_int64(stmt, 7);
        store_mirror_note_name(mirror, day, arrival.name_number);
        if (store_mirror_add(mirror, day, &arrival) == 0) {
            store_mirror_set_status(mirror, store_mirror_find(mirror, day, arrival.name_number),
                                    status, collected_ms);
        }
    }
    if (rc != SQLITE_DONE) {
        goto out_error;
    }
    sqlite3_finalize(stmt);
    rc = sqlite3_prepare_v2(db, "SELECT day, last_number FROM name_counter", -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        goto out_error;
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *day = (const char *)sqlite3_column_text(stmt, 0);
        store_mirror_note_name(mirror, day ? day : "", sqlite3_column_int(stmt, 1));
    }
    if (rc != SQLITE_DONE) {
        goto out_error;
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    return store_sql_load_day_counts(db, mirror, err, err_size);

out_error:
    snprintf(err, err_size, "cannot read today's arrivals: %s", sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return -EIO;
}
