/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_kanon: turns aggregate count cells into cells that are safe to hand to a
 * researcher (k-anonymity, docs/design.md "Privacy model"). It sees only numbers: callers hand it
 * numbered series and keys, research_export gives them names. It never reads a database and
 * never publishes a number below k. Flow: store tables -> research_export (reads, numbers)
 * -> here -> research_export (CSV/JSON) and research_report.
 *
 * The rule, per series (one site, phase, moment and question, say) and per ISO week:
 *  1. Finest first. An hour is published on its own when every count in it is at least k.
 *     The hours of a part of the day are published only all together, otherwise the part
 *     of the day is one period; the same for the parts of a day and the days of a week.
 *  2. A week whose counts still are not all >= k becomes one period. In it a small count on
 *     an ordered scale (stress 0-10, waiting-time bands) is merged with its smaller
 *     neighbour into a range ("8-10") until every range holds k; small counts that cannot
 *     be merged go into one remainder ("*"). A remainder below k, or one whose hidden counts
 *     could be worked out from their upper bound of k-1 each, takes the smallest published
 *     count with it (complementary suppression).
 *     (Before this, a week holding a day listed for the daily form, below, tries that form.)
 *  3. Weeks with fewer than k counts in all (or no safe form) are pooled per series, from
 *     the first week forward: a pool closes as soon as it holds k and has a safe form, the
 *     next quiet week opens a new one; a pool still open at the end is suppressed (its weeks
 *     are listed, without numbers). A week's rows depend only on its own counts and a pool
 *     only on the weeks before it, so a later call with more weeks repeats them.
 * So every published number is >= k, and the periods and keys of the published rows of a
 * series never overlap: adding and subtracting published numbers only ever gives sums of
 * published numbers (>= k) or 0, never a hidden count.
 */
#ifndef OASE_RESEARCH_KANON_H
#define OASE_RESEARCH_KANON_H

#include <stddef.h>
#include <stdint.h>

/* Bytes one growing array of the export or of k-anonymity may take (core/buf.h's cap) */
#define RESEARCH_ARRAY_BYTES_MAX ((size_t)512 << 20)

#define RESEARCH_K_DEFAULT 5
#define RESEARCH_K_MIN 3 /* docs/design.md: k is configurable, never below 3 */

/* The period a published row covers, finest first. */
enum research_level {
    RESEARCH_LEVEL_HOUR,
    RESEARCH_LEVEL_PART_OF_DAY,
    RESEARCH_LEVEL_DAY,
    RESEARCH_LEVEL_WEEK,
    RESEARCH_LEVEL_POOLED_WEEKS, /* the too-quiet weeks of a series together */
};

/* What a published row is. */
enum research_note {
    RESEARCH_NOTE_CELL,       /* one key's count */
    RESEARCH_NOTE_RANGE,      /* neighbouring keys of an ordered scale, key .. key_last */
    RESEARCH_NOTE_REMAINDER,  /* the keys of the period not published on their own */
    RESEARCH_NOTE_SUPPRESSED, /* a week with a count below k that could not be pooled, or the
                                 ordered counts of a day of a week in the daily form that have
                                 no safe form; n = 0 */
};

/* One input cell: n people (answers, arrivals ...) counted under key in an hour or a day. */
struct research_cell {
    uint32_t series; /* the caller's series number: different series never share a row */
    int32_t day;     /* days since 1970-01-01 (research_day_parse) */
    int32_t hour;    /* 0..23, or -1 when the table counts per day */
    uint32_t key;    /* the caller's key number, < key_count */
    int64_t n;       /* > 0 */
};

/* How a key may be merged: keys with the same group >= 0 form an ordered scale. */
struct research_key_order {
    int32_t group;    /* -1: nominal (never merged into a range) */
    int32_t position; /* place on the group's scale */
};

/* One published row. Rows come by series, then period, then key; in each series the pooled
 * and suppressed weeks come last. */
struct research_row {
    uint32_t series;
    enum research_level level;
    int32_t first_day, last_day; /* the period's calendar span (a week: Monday..Sunday) */
    int32_t time_of_day;         /* the hour (HOUR) or research_part_of_day (PART_OF_DAY); -1 */
    int32_t pool;                /* POOLED_WEEKS: index into the result's pools; else -1 */
    enum research_note note;
    uint32_t key;      /* CELL: the key; RANGE: its first key; otherwise 0 */
    uint32_t key_last; /* RANGE: its last key; CELL: = key; otherwise 0 */
    int64_t n;         /* >= k; 0 for SUPPRESSED */
};

/* The weeks (their Mondays, ascending) pooled into one period of a series. */
struct research_pool {
    uint32_t series;
    int32_t *mondays;
    size_t count;
};

struct research_kanon_result {
    struct research_row *rows;
    size_t row_count;
    struct research_pool *pools;
    size_t pool_count;
};

/*
 * Coarser keys for a table whose keys have several dimensions (an answer and the room it was
 * given in). map[level * key_count + key] is the key that key becomes at level, for levels
 * 0 .. level_count - 1, finest first (level 0 usually keeps every dimension, the last keeps
 * none but the answer); every mapped key is itself a key of the table. With a ladder, each
 * week of a series is tried level by level: at a level the week is walked through the
 * calendar tree (step 1) and, failing that, published as one period when every count, after
 * merging neighbours of an ordered scale into ranges, is at least k. The first level that
 * works is used for the whole week; if none does, the last level goes through steps 2 and 3
 * (remainder, complementary suppression, pools). So a week's published rows are one
 * partition of its counts, and the proof above holds unchanged.
 */
struct research_kanon_ladder {
    const uint32_t *map;
    size_t level_count; /* >= 1 */
};

/*
 * Days a researcher needs one by one (the days of a randomised room's experiment, whose unit of
 * analysis is the day). A week of a series that holds such a day and whose days are not all
 * published as cells (step 1) is tried in the daily form before step 2: each day on its own,
 * its counts on an ordered scale merged into ranges of neighbouring keys of at least k, no range
 * holding positions on both sides of cut_position (so the share of answers at or above the cut
 * is exact per day), nothing in a remainder; a day with no such form is suppressed (listed,
 * without numbers). The week's nominal keys (skip) are one row each for the whole week, each at
 * least k. The week takes the daily form when its nominal rows hold k and at least half of its
 * days with answers have a form, else it goes on to step 2. Which days are listed comes from
 * the room's recorded allocation, never from counts, so a week's rows still depend only on the
 * week, never overlap (days x ordered keys, week x nominal keys), every number is >= k, and the
 * proof holds. days is sorted by series, then day.
 */
struct research_series_day {
    uint32_t series;
    int32_t day;
};

struct research_kanon_daily {
    const struct research_series_day *days;
    size_t count;
    int32_t cut_position;
};

/* The share of stress answers at or above this value is what a randomised room compares per day:
   the middle of the 0-10 scale, fixed before any data (docs/decisions.md). */
#define RESEARCH_STRESS_CUT 5

/*
 * Publishes cells under the rule above. Sorts cells in place and sums cells with equal
 * (series, day, hour, key) (several databases of one site). keys[key] describes each key
 * number. Within one call, hours must be all -1 or all 0..23.
 * Returns 0 and fills out (free with research_kanon_free), or -EINVAL (k below
 * RESEARCH_K_MIN, a key number >= key_count, n <= 0, day < 0, hour out of range or mixed,
 * a sum overflowing) or -ENOMEM; out is then empty.
 */
int research_kanon_run(struct research_cell *cells, size_t count,
                       const struct research_key_order *keys, size_t key_count, int k,
                       struct research_kanon_result *out);

/*
 * research_kanon_run with a ladder of coarser keys (NULL: none). Fails like it, and with
 * -EINVAL when a mapped key is >= key_count or level_count is 0.
 */
int research_kanon_run_ladder(struct research_cell *cells, size_t count,
                              const struct research_key_order *keys, size_t key_count,
                              const struct research_kanon_ladder *ladder, int k,
                              struct research_kanon_result *out);

/*
 * research_kanon_run with days published one by one where daily lists them (NULL: none). Fails
 * like it, and with -EINVAL when daily's days are not sorted.
 */
int research_kanon_run_daily(struct research_cell *cells, size_t count,
                             const struct research_key_order *keys, size_t key_count,
                             const struct research_kanon_daily *daily, int k,
                             struct research_kanon_result *out);

/* Frees what research_kanon_run filled in and empties it. NULL is allowed. */
void research_kanon_free(struct research_kanon_result *result);

#endif
