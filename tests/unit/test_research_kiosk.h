/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A kiosk on simulated days for the research tests: visitors check in through the store
 * API (store_checkin, store_set_status, store_departure, store_abandoned), the store ticks
 * as the kiosk's loop does (answers leave the pool in batches of k), days are folded as at
 * midnight, and the database ends up as a real kiosk leaves it. Include after cmocka.h
 * and test_research_util.h.
 */
#ifndef OASE_TEST_RESEARCH_KIOSK_H
#define OASE_TEST_RESEARCH_KIOSK_H

#include <sqlite3.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_period.h"
#include "store/store.h"

/* How a simulated site behaves in one stretch of days. */
struct kiosk_profile {
    int per_hour;   /* visitors in each hour from 9 to 12 on weekdays */
    int answer_low; /* answers are answer_low .. answer_low + answer_span - 1 */
    int answer_span;
    int skip_percent; /* visitors who skip the question */
    int wait_low;     /* minutes until the host fetches them */
    int wait_span;
    int departure_percent; /* visitors who tap "how do you feel now?" when leaving */
    int departure_drop;    /* their departure answer is this much lower */
};

#define KIOSK_DEFAULT ((struct kiosk_profile){3, 3, 5, 10, 4, 12, 33, 2})

static inline int64_t kiosk_at(const char *date, int hour, int minute)
{
    char text[32];
    snprintf(text, sizeof text, "%s %02d:%02d", date, hour, minute);
    int64_t ms = 0;
    assert_int_equal(clock_parse_local(text, &ms), 0);
    return ms;
}

static inline struct store *kiosk_open(const char *path, const struct phase_list *phases)
{
    char err[512] = "";
    struct store *store = store_open(path, phases, -1, err, sizeof err);
    if (store == NULL) {
        fail_msg("store_open: %s", err);
    }
    return store;
}

/* One visitor: check-in with answer (-1 skip), then collected after wait_min or (-1) a no-show. */
static inline int kiosk_visit(struct store *store, int64_t arrived_ms, int answer, int wait_min,
                              const char *scene)
{
    struct store_checkin checkin = {
        .at_ms = arrived_ms,
        .name_number = store_next_name_number(store, arrived_ms),
        .stress_asked = true,
        .stress_answer = answer,
        .wants_word = answer >= 8,
    };
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder %d",
             checkin.name_number);
    snprintf(checkin.context.scene, sizeof checkin.context.scene, "%s", scene);
    snprintf(checkin.context.queue_band, sizeof checkin.context.queue_band, "0-2");
    assert_true(store_checkin(store, &checkin) > 0);
    if (wait_min >= 0) {
        assert_true(store_set_status(store, checkin.name_number, ARRIVAL_COLLECTED,
                                     arrived_ms + wait_min * 60000LL) > 0);
    } else {
        assert_true(store_set_status(store, checkin.name_number, ARRIVAL_NO_SHOW,
                                     arrived_ms + 3600000LL) > 0);
    }
    return checkin.name_number;
}

/* A working day: profile->per_hour visitors in each hour from 9 to 12. */
static inline void kiosk_day(struct store *store, int32_t day, const struct kiosk_profile *profile,
                             uint64_t *seed)
{
    char date[RESEARCH_DATE_SIZE];
    research_day_format(day, date);
    for (int hour = 9; hour < 13; hour++) {
        for (int i = 0; i < profile->per_hour; i++) {
            uint64_t roll = research_test_random(seed);
            int answer = (int)(roll % 100) < profile->skip_percent
                             ? -1
                             : profile->answer_low + (int)((roll >> 8) % profile->answer_span);
            int wait_min = (roll >> 16) % 13 == 0
                               ? -1
                               : profile->wait_low + (int)((roll >> 20) % profile->wait_span);
            int64_t arrived = kiosk_at(date, hour, i * (60 / profile->per_hour));
            kiosk_visit(store, arrived, answer, wait_min, i % 2 ? "warm" : "calm");
            if ((int)((roll >> 28) % 100) < profile->departure_percent) {
                int after = answer < 0 ? 3 : answer - profile->departure_drop;
                after = after < 0 ? 0 : after;
                assert_true(store_departure(store, arrived + 45 * 60000LL, after,
                                            &(struct store_context){0}) == 0);
            }
            if ((roll >> 36) % 7 == 0) {
                assert_true(store_abandoned(store, arrived + 60000, STORE_MOMENT_ARRIVAL,
                                            "question", "") > 0);
            }
            store_tick(store, arrived + 60000); /* as the kiosk: batches of k leave the pool */
        }
    }
}

/* Weekdays from first to last (inclusive), each day folded as at the following midnight. */
static inline void kiosk_weeks(struct store *store, const char *first, const char *last,
                               struct kiosk_profile profile, uint64_t *seed)
{
    int32_t from = 0, to = 0;
    assert_int_equal(research_day_parse(first, &from), 0);
    assert_int_equal(research_day_parse(last, &to), 0);
    for (int32_t day = from; day <= to; day++) {
        if (research_day_weekday(day) < 5) {
            kiosk_day(store, day, &profile, seed);
        }
        char next[RESEARCH_DATE_SIZE];
        research_day_format(day + 1, next);
        store_tick(store, kiosk_at(next, 0, 30)); /* midnight: fold, leftovers withheld */
        store_flush(store);                       /* a day at a time: the write queue never fills */
    }
}

/* Runs SQL on a closed database (test set-up only: the kiosk never does this). */
static inline void kiosk_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fail_msg("%s: %s", sql, message);
    }
    sqlite3_close(db);
}

/* A randomised room on days days from first (a date): conditions helder and rustig in turn,
   blocks of two, seed 7, as experiment_days holds them. */
static inline void kiosk_experiment_days(const char *path, const char *first, int days)
{
    for (int d = 0; d < days; d++) {
        char sql[320];
        snprintf(sql, sizeof sql,
                 "INSERT INTO experiment_days(day, experiment, condition, block, slot, seed, "
                 "config_hash) VALUES (date('%s', '+%d days'), 'licht', '%s', %d, %d, '7', 'h')",
                 first, d, d % 2 ? "rustig" : "helder", d / 2, d % 2);
        kiosk_sql(path, sql);
    }
}

/* The export of the database at path as a researcher gets it on today; fails the test when
   it is refused. */
static inline struct research_dataset *kiosk_export(const char *path, bool with_context,
                                                    const char *today)
{
    const char *paths[] = {path};
    struct research_export_options options = {.db_paths = paths,
                                              .db_count = 1,
                                              .today = today,
                                              .with_context = with_context,
                                              .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    if (research_dataset_build(&options, &dataset, err, sizeof err) != 0) {
        fail_msg("research_dataset_build: %s", err);
    }
    return dataset;
}

#endif
