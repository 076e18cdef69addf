/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment_alloc: which condition of a randomised room runs on which day. Pure functions of
 * (seed, open days, number of conditions): no clock, no I/O, no config. The kiosk draws its
 * plan with them; oase-report re-runs the same rule with other seeds for the permutation
 * distribution, so the rule here is the design and must never change for an existing seed.
 *
 * The rule: the open days of the date range, in order, fall into blocks of condition_count
 * days (the last block may be shorter). Each block gets its own random permutation of the
 * conditions (Fisher-Yates on a SplitMix64 stream seeded by the seed, blocks in order); the
 * day in slot s of a block runs condition perm[s]. Every full block holds each condition once,
 * so the counts never differ by more than one.
 */
#ifndef OASE_EXPERIMENT_ALLOC_H
#define OASE_EXPERIMENT_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/hours.h"

#define EXPERIMENT_CONDITIONS_MAX 6 /* conditions of one experiment */
#define EXPERIMENT_DAYS_MAX 366     /* days in its date range */

/* One day of the plan. day counts days since 1970-01-01 (the local calendar date). */
struct experiment_day {
    int32_t day;   /* days since 1970-01-01 */
    int condition; /* 0 .. condition_count - 1; 0 is the reference */
    int block;     /* which block of condition_count open days */
    int slot;      /* its place in the block, 0 .. condition_count - 1 */
};

/* "YYYY-MM-DD" -> days since 1970-01-01. Returns 0, or -EINVAL for anything else (no 02-30). */
int experiment_day_parse(const char *text, int32_t *day);

/* Days since 1970-01-01 -> "YYYY-MM-DD" (out holds 11 bytes). */
void experiment_day_format(int32_t day, char out[11]);

/* 0 = Monday .. 6 = Sunday. */
int experiment_weekday(int32_t day);

/*
 * The days first_day..last_day (inclusive) on which hours opens at all (a weekday with opening
 * hours, not a closed date); hours NULL: every day. Writes at most max days, in order, and
 * returns how many, or -EINVAL when last_day < first_day or the range is longer than max days.
 */
int experiment_open_days(const struct hours *hours, int32_t first_day, int32_t last_day,
                         int32_t *days, size_t max);

/*
 * The plan: days[i] (in order) get block i / condition_count, slot i % condition_count and
 * the condition the rule above draws for seed. Returns 0, or -EINVAL when condition_count is
 * not 2..EXPERIMENT_CONDITIONS_MAX (out untouched).
 */
int experiment_alloc_plan(uint64_t seed, int condition_count, const int32_t *days, size_t count,
                          struct experiment_day *out);

/*
 * The same rule over recorded (block, slot) pairs, which may leave days out (a day the kiosk
 * was off): blocks 0 .. the largest block get their permutations in order from seed, and
 * entry i gets perm[block[i]][slot[i]]. For seed = the plan's seed this gives the plan's
 * conditions back. Returns 0, or -EINVAL (condition_count out of range, a block below 0 or
 * above EXPERIMENT_DAYS_MAX, a slot outside 0..condition_count - 1; condition untouched).
 */
int experiment_alloc_redraw(uint64_t seed, int condition_count, const int *block, const int *slot,
                            size_t count, int *condition);

/* SplitMix64: the one random stream of the rule (also seeds the report's redraws). */
uint64_t experiment_splitmix64(uint64_t *state);

#endif
