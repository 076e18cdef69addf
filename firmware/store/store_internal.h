/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_internal: what the store's files share and nothing outside firmware/store/ may use.
 *   store.c         lifecycle, the write queue and its thread, the public calls
 *   store_schema.c  opening the file safely, refusing foreign files, migrations
 *   store_sql.c     the SQL of each queued operation, the fold, loading the mirror
 *   store_mirror.c  today's arrivals, name counter and waiting times in memory
 *   store_pool.c    answers waiting in memory until k visitors can be written as one batch
 *   store_recover.c a damaged or foreign file found at start: diagnosis and moving aside
 */
#ifndef OASE_STORE_INTERNAL_H
#define OASE_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/phase.h"
#include "store/store.h"

#define STORE_DAY_SIZE 11     /* "YYYY-MM-DD" + NUL */
#define STORE_MIRROR_MAX 1024 /* unfolded arrivals the host page can see; more are kept on disk */
#define STORE_WAIT_SAMPLES_MAX 1024 /* collected waiting times of today kept for the estimate */

/* ---- store_schema.c ---- */

/*
 * Opens path for the store: creates it with mode 0600 when missing, refuses files that are
 * not SQLite, foreign SQLite files and newer schemas (message in err, file untouched; a file
 * created by this call is removed again), tightens an existing file to 0600, creates or
 * upgrades the schema in one transaction, then sets WAL, synchronous=FULL, busy_timeout.
 * Returns the connection, or NULL with a message in err.
 */
sqlite3 *store_schema_open(const char *path, char *err, size_t err_size);

/*
 * The SQL of the migration step from_version -> from_version + 1, as store_schema_open runs
 * it (for test fixtures that build an older or a bare database); NULL outside
 * 0..STORE_SCHEMA_VERSION - 1.
 */
const char *store_schema_migration_sql(int from_version);

/* ---- store_pool.c ---- */

/* The pools of answers: each (day, kind) is written as one batch once it holds k. */
enum store_pool_kind {
    STORE_POOL_ARRIVAL,     /* what an arrived visitor answered */
    STORE_POOL_DEPARTURE,   /* the departure tap */
    STORE_POOL_STRESS_WAIT, /* stress band x actual wait band, at collection */
    STORE_POOL_KINDS
};

/* One visitor's answers (or one stress x wait pair) waiting for a batch. */
struct store_pool_item {
    char day[STORE_DAY_SIZE];
    enum store_pool_kind kind;
    char service[32];              /* arrival: a quasi-identifier, coarsened last */
    struct store_context context;  /* arrival, departure: quasi-identifiers */
    int stress_answer;             /* 0..10 or STORE_SCALE_* (arrival, departure) */
    enum store_word_response word; /* arrival */
    char stress_band[8];           /* stress x wait */
    char wait_band[8];             /* stress x wait: a quasi-identifier ("any" when coarsened) */
};

struct store_pool {
    struct store_pool_item *items; /* STORE_POOL_MAX slots, owned; no order is kept */
    int count;
};

/*
 * One batch taken from a pool: at least k items of one day and kind, generalised so that
 * every group of items with the same quasi-identifiers holds at least k, and sorted by
 * their whole key (the arrival order is gone). withheld: the items were not written but
 * counted (count only; items holds nothing).
 */
struct store_batch {
    char day[STORE_DAY_SIZE];
    enum store_pool_kind kind;
    bool withheld;
    int count;
    struct store_pool_item items[]; /* count of them, or none when withheld */
};

/* Allocates the slots. Returns 0 or -ENOMEM. */
int store_pool_init(struct store_pool *pool);

/* Clears (explicit_bzero) and frees the slots. Safe on a zeroed pool. */
void store_pool_free(struct store_pool *pool);

/* Adds a copy of item. Returns 0, or -EAGAIN when STORE_POOL_MAX items wait. */
int store_pool_add(struct store_pool *pool, const struct store_pool_item *item);

/*
 * The clock stepped from from_day to to_day: pending items of from_day become to_day's (they
 * were all given in this run; none is linked to an arrival, so all of the day move).
 * Returns how many moved.
 */
int store_pool_redate_day(struct store_pool *pool, const char *from_day, const char *to_day);

/* Items pending of kind (-1: any kind). */
int store_pool_count(const struct store_pool *pool, int kind);

/*
 * Takes every item of the first (day, kind) that has at least k of them, generalised and
 * sorted (see struct store_batch), and clears their slots. Returns NULL when no (day, kind)
 * has k, or when out of memory (the items stay). Free with store_batch_free.
 * Stress x wait pairs of today (and later) are never taken: a pair exists only for a
 * collected visitor who answered, so a batch that left when the k-th pair came would follow
 * the "collected" commit of that visitor and tell that they answered. They leave at the first
 * tick of a later day, a moment the clock chooses (today NULL: any day is taken).
 */
struct store_batch *store_pool_take_batch(struct store_pool *pool, int k, const char *today);

/*
 * Takes the items of one (day, kind) of a day before today (today NULL: of any day) as a
 * withheld batch: only their number survives. NULL when there is none (or out of memory).
 */
struct store_batch *store_pool_take_withheld(struct store_pool *pool, const char *today);

/* Clears (explicit_bzero) and frees a batch. NULL is allowed. */
void store_batch_free(struct store_batch *batch);

/* ---- store_sql.c ---- */

enum store_op_kind {
    STORE_OP_ARRIVE,     /* an arrival, on its own */
    STORE_OP_SERVICE,    /* the arrival's service changed */
    STORE_OP_WANTS_WORD, /* the arrival asked for a word */
    STORE_OP_BATCH,      /* a batch of answers (or the number withheld) */
    STORE_OP_ABANDONED,
    STORE_OP_STATUS,
    STORE_OP_FOLD,
    STORE_OP_INCIDENT,
    STORE_OP_CODEBOOK,            /* one wording in use on a day */
    STORE_OP_PHASE_CONFIG,        /* the config hash in force on a day */
    STORE_OP_SITE,                /* the site's name in meta (for exports) */
    STORE_OP_RESEARCH_K,          /* the site's k in meta, written once (for exports) */
    STORE_OP_REDATE,              /* the wall clock stepped: arrivals dated on the old clock move */
    STORE_OP_EXPERIMENT_DAY,      /* a randomised room's condition applied on a day */
    STORE_OP_EXPERIMENT_OVERRIDE, /* a host changed the room during an experiment day */
    STORE_OP_CLAIMS,              /* one claim_counts cell, added at a fold */
    STORE_OP_CLOCK_MARK,          /* meta clock_boot: this boot's clock and first arrival */
};

/* meta clock_boot: "BOOT_ID OFFSET_MS DAY FIRST" (store_clock_boot in store.h). */
#define STORE_CLOCK_MARK_SIZE 96

/* Arrivals of one day a clock step re-dates: numbers first..last, all of this run. */
#define STORE_REDATE_RANGES 4
struct store_redate_range {
    char day[STORE_DAY_SIZE];
    int first, last;
};

/* One queued write, with its data copied in (never a pointer to the caller's memory; a
 * batch is owned by the op and freed by the writer once it is done with it). */
struct store_op {
    enum store_op_kind kind;
    int64_t seq;   /* sequence number handed to the caller */
    int64_t at_ms; /* event instant; for a fold: now */
    union {
        struct store_arrival_in arrive;
        struct {
            char day[STORE_DAY_SIZE]; /* the arrival's day: the row's key with name_number */
            int name_number;
            char service[32]; /* STORE_OP_SERVICE */
        } arrival;            /* STORE_OP_SERVICE, STORE_OP_WANTS_WORD */
        struct store_batch *batch;
        struct {
            char moment[16];
            char last_screen[32];
            char service[32];
        } abandoned;
        struct {
            char day[STORE_DAY_SIZE]; /* the arrival's day: the row's key with name_number */
            int name_number;
            enum store_arrival_status status;
        } status;
        struct {
            char today[STORE_DAY_SIZE]; /* days before this are folded */
            bool include_today;         /* past closing time: today's marked arrivals too */
        } fold;
        struct {
            enum store_incident_kind kind;
        } incident;
        struct {
            char day[STORE_DAY_SIZE];
            struct store_codebook_entry entry;
        } codebook;
        struct {
            char day[STORE_DAY_SIZE];
            char config_hash[STORE_CONFIG_HASH_SIZE];
        } phase_config;
        struct {
            char name[STORE_SITE_SIZE];
        } site;
        int research_k;
        char clock_mark[STORE_CLOCK_MARK_SIZE]; /* STORE_OP_CLOCK_MARK: meta's value */
        struct store_experiment_day experiment; /* STORE_OP_EXPERIMENT_DAY, _OVERRIDE (day) */
        struct {
            char day[STORE_DAY_SIZE];
            char outcome[12]; /* "collected", "no_show" */
            char band[12];    /* store_claim_band() */
            int n;
        } claims;
        struct {
            int64_t since_ms;               /* arrivals at or after this (old clock) */
            int64_t step_ms;                /* move by this */
            char floor_day[STORE_DAY_SIZE]; /* never into a day before this (folded) */
            int range_count;                /* which arrivals: this run's, by day and number */
            struct store_redate_range ranges[STORE_REDATE_RANGES];
        } redate;
    } u;
};

/* Prepared statements of the writer connection, made once in store_sql_prepare(). */
struct store_sql {
    sqlite3 *db;
    const struct phase_list *phases;
    sqlite3_stmt *insert_arrival;
    sqlite3_stmt *upsert_name_counter;
    sqlite3_stmt *upsert_answer;
    sqlite3_stmt *upsert_journey;
    sqlite3_stmt *update_status;
    sqlite3_stmt *select_foldable;
    sqlite3_stmt *upsert_arrival_count;
    sqlite3_stmt *upsert_wait_count;
    sqlite3_stmt *delete_foldable;
    sqlite3_stmt *delete_old_name_counters;
    sqlite3_stmt *upsert_incident;
    sqlite3_stmt *upsert_response;
    sqlite3_stmt *upsert_stress_wait;
    sqlite3_stmt *upsert_wait_message;
    sqlite3_stmt *upsert_claims;
    sqlite3_stmt *select_codebook_latest;
    sqlite3_stmt *insert_codebook;
    sqlite3_stmt *update_codebook_days;
    sqlite3_stmt *upsert_phase_config;
    sqlite3_stmt *insert_experiment_day;
    sqlite3_stmt *count_experiment_override;
    sqlite3_stmt *upsert_site;
    sqlite3_stmt *update_service;
    sqlite3_stmt *update_wants_word;
    sqlite3_stmt *insert_research_k;
};

/* Prepares every statement. Returns 0, or -EIO with SQLite's message in err (none kept). */
int store_sql_prepare(struct store_sql *sql, sqlite3 *db, const struct phase_list *phases,
                      char *err, size_t err_size);

/* Finalizes the statements (the connection stays open). Safe on a zeroed struct. */
void store_sql_finalize(struct store_sql *sql);

/*
 * Runs op as one BEGIN IMMEDIATE ... COMMIT. Returns SQLITE_OK, or the SQLite error code
 * with the transaction rolled back and SQLite's message in err.
 */
int store_sql_run(struct store_sql *sql, const struct store_op *op, char *err, size_t err_size);

/* The wait band of a collected arrival: "0-5" .. "60+" (minutes, lower bound inclusive). */
const char *store_sql_wait_band(int64_t wait_ms);

/* ---- store_mirror.c (callers hold the store's lock) ---- */

struct store_mirror_arrival {
    char day[STORE_DAY_SIZE]; /* local day of arrival: key with arrival.name_number */
    struct store_arrival arrival;
    char stress_band[8]; /* memory only, never on disk or in a log: the band of this arrival's
                            stress answer until collected, no-show or fold; "" = none */
    bool this_run;       /* checked in by this process (not loaded at open): a clock step
                            re-dates only these (store_redate) */
    char claim_band[12]; /* memory only: store_claim_band() of the desk's mark in this run,
                            "" = not known (unmarked, or marked before a restart) */
};

struct store_mirror_wait {
    int name_number; /* which arrival of wait_day it belongs to */
    int64_t wait_ms; /* collected_ms - arrived_ms */
};

/* The latest day's aggregate numbers for the host page (never a single answer). */
struct store_mirror_day {
    char day[STORE_DAY_SIZE]; /* "" = nothing counted yet */
    int checkins;             /* completed arrival journeys */
    int stress_asked;
    int stress_answers; /* answered 0..10 */
    int64_t stress_sum;
    int incidents[STORE_INCIDENT_KINDS];
};

/* What the frame thread reads: the unfolded arrivals on disk, as soon as they are queued. */
struct store_mirror {
    struct store_mirror_arrival arrivals[STORE_MIRROR_MAX]; /* sorted by arrived_ms */
    int arrival_count;
    bool overflow_logged;          /* warned once that arrivals exceeded the mirror */
    char name_day[STORE_DAY_SIZE]; /* day of name_last, "" = none yet */
    int name_last;                 /* highest friendly-name number handed out on name_day */
    char wait_day[STORE_DAY_SIZE]; /* day of the waiting-time samples, "" = none */
    struct store_mirror_wait waits[STORE_WAIT_SAMPLES_MAX];
    int wait_count;
    struct store_mirror_day counts; /* today's numbers (the latest day counted) */
};

/*
 * Adds an arrival of day. Returns 0, -EEXIST when (day, name_number) is already there, or
 * -ENOSPC when the mirror is full (the arrival is then only on disk; logged once).
 */
int store_mirror_add(struct store_mirror *mirror, const char *day,
                     const struct store_arrival *arrival);

/* Index of name_number's arrival on day (day NULL: on its latest day), or -1. */
int store_mirror_find(const struct store_mirror *mirror, const char *day, int name_number);

/*
 * Remembers (in memory only) the stress band of arrival index; NULL or "" remembers none.
 */
void store_mirror_link(struct store_mirror *mirror, int index, const char *stress_band);

/* Copies arrival index's stress band into band ("" when none) and forgets it. */
void store_mirror_unlink(struct store_mirror *mirror, int index, char *band, size_t size);

/* Arrivals holding a stress band link. */
int store_mirror_link_count(const struct store_mirror *mirror);

/* Sets the status of arrival index and keeps the waiting-time samples in step. */
void store_mirror_set_status(struct store_mirror *mirror, int index,
                             enum store_arrival_status status, int64_t at_ms);

/* Drops arrivals (and their links) of days before today, and today's marked ones (collected
 * or no-show) when include_today. */
void store_mirror_fold(struct store_mirror *mirror, const char *today, bool include_today);

/*
 * The wall clock stepped by step_ms: arrivals of this run (this_run) at or after since_ms get
 * arrived_ms (and collected_ms) + step_ms and the day of their new time, unless that day
 * already has their number (they keep their old date then). Arrivals loaded from the file
 * (an earlier run, whose clock may have been right) never move. Fills ranges (at most
 * STORE_REDATE_RANGES, their old days and numbers) for the same change on disk and returns
 * how many ranges; *moved gets how many arrivals moved.
 */
int store_mirror_redate(struct store_mirror *mirror, int64_t since_ms, int64_t step_ms,
                        const char *floor_day, struct store_redate_range *ranges, int *moved);

/* A later day has begun: yesterday's waiting times no longer describe today. */
void store_mirror_new_day(struct store_mirror *mirror, const char *day);

/* Reserves and returns the next friendly-name number for day. */
int store_mirror_next_name(struct store_mirror *mirror, const char *day);

/* Records that number was used on day (a check-in or a loaded counter). */
void store_mirror_note_name(struct store_mirror *mirror, const char *day, int number);

int store_mirror_waiting_count(const struct store_mirror *mirror);

/* Whether an arrival of day is marked collected or no-show (a closing fold has work). */
bool store_mirror_has_marked(const struct store_mirror *mirror, const char *day);

/* See store_wait_range() in store.h. */
bool store_mirror_wait_range(const struct store_mirror *mirror, int min_samples, int *low_min,
                             int *high_min);

/*
 * Today's numbers: a check-in, a written batch of arrival answers (answered and skipped
 * stress answers, and the sum of the answered), or an incident. A later day starts the
 * counts afresh; an earlier day (clock set back) is not counted in memory (the disk still
 * counts it).
 */
void store_mirror_note_checkin(struct store_mirror *mirror, const char *day);
void store_mirror_note_stress(struct store_mirror *mirror, const char *day, int asked, int answers,
                              int64_t sum);
void store_mirror_note_incident(struct store_mirror *mirror, const char *day,
                                enum store_incident_kind kind);

/* See store_today() in store.h; day is today's local date. */
void store_mirror_today(const struct store_mirror *mirror, const char *day,
                        struct store_today *out);

/* Copies up to max arrivals in arrival order; returns how many. */
int store_mirror_copy(const struct store_mirror *mirror, struct store_arrival *out, int max);

/*
 * Fills an empty mirror from the arrivals and name_counter tables, and the numbers of the
 * latest counted day from journey_counts, answer_counts and incident_counts (at store_open,
 * before the writer thread starts). Returns 0, or -EIO with SQLite's message in err.
 */
int store_sql_load_mirror(sqlite3 *db, struct store_mirror *mirror, char *err, size_t err_size);

/* ---- store_recover.c ---- */

/*
 * Looks at the file at path before the store opens it. Returns NULL when it may be opened
 * (missing, empty, an Oase file that passes PRAGMA integrity_check, or a problem that is not
 * the file's content, such as permissions: store_schema_open reports those). Otherwise the
 * reason it must be moved aside ("damaged", "corrupt", "foreign", "newer") with what was
 * found in detail.
 */
const char *store_recover_diagnose(const char *path, char *detail, size_t detail_size);

/*
 * Renames path and its -wal, -shm and -journal to "<path>.<reason>-<YYYYMMDDTHHMMSS>" (local
 * time of now_s; ".2", ".3" ... appended when that name exists). The new name of the main
 * file goes to aside. Returns 0, or -errno with a message in err (nothing moved when the
 * main file could not be).
 */
int store_recover_move_aside(const char *path, const char *reason, time_t now_s, char *aside,
                             size_t aside_size, char *err, size_t err_size);

/*
 * Removes the arrivals (and friendly-name counters) of a file moved aside, with
 * secure_delete, and checkpoints its -wal away. A file without those tables has nothing to
 * remove. Returns 0, or -EIO with a message in err (damaged beyond SQLite's reach).
 */
int store_recover_scrub(const char *aside, char *err, size_t err_size);

/* Whether a file moved aside for reason can be scrubbed ("corrupt", "newer"); "damaged"
 * files are not opened (it could discard their -wal), "foreign" ones hold no arrivals. */
bool store_recover_scrubbable(const char *reason);

/*
 * Every file moved aside from path ("<path>.<reason>-YYYYMMDDTHHMMSS", not "foreign") is
 * scrubbed again; one that cannot be, moved aside before today ("YYYY-MM-DD"), is removed
 * with its companions and logged. Returns how many were removed.
 */
int store_recover_sweep(const char *path, const char *today);

#endif
