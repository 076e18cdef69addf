/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_randomised: randomisation inference for a randomised room ([experiment]), day as the
 * unit. Pure: gets one mean per day with the day's recorded (condition, block, slot) and
 * re-draws allocations with the kiosk's own rule (experiment_alloc). No I/O.
 *
 * Per condition c against the reference (condition 0), on the days that ran one of the two:
 *   estimate  mean of the day means under c - mean of the day means under the reference;
 *   p         share of re-drawn allocations whose |difference| reaches the observed one,
 *             (1 + hits) / (1 + draws); a re-draw is the allocation rule restricted to the
 *             pair (in each block the pair's days get a random permutation of the two), which
 *             for two conditions is the kiosk's rule itself;
 *   CI        every shift delta the same test does not reject at alpha, under the model of a
 *             constant additive effect (inverting the permutation test, Hodges-Lehmann style).
 * With three or more conditions also one global p (global_p): whether the conditions differ at
 * all, before any condition is compared with the reference.
 * Redraw seeds come from a fixed report seed, so a report is reproducible to the digit.
 */
#ifndef OASE_RESEARCH_RANDOMISED_H
#define OASE_RESEARCH_RANDOMISED_H

#include <stddef.h>
#include <stdint.h>

#include "experiment/experiment_alloc.h"

#define RESEARCH_RANDOMISED_DRAWS 10000        /* re-drawn allocations per comparison */
#define RESEARCH_RANDOMISED_SEED 0x4F415345ull /* "OASE": the report's fixed redraw seed */

/* One day of the experiment with its outcome. */
struct research_randomised_day {
    int32_t day;
    int group;                  /* days drawn from one seed share their blocks' permutations
                                   (two sites with one seed); another seed: another group */
    int condition, block, slot; /* as recorded by the kiosk (experiment_days) */
    double mean;                /* the day's mean outcome; NAN: no answers that day (left out) */
};

/* One condition's figures; comparisons against the reference (condition 0). */
struct research_randomised_condition {
    int days;               /* days with an outcome */
    double mean;            /* mean of the day means */
    double estimate;        /* mean - the reference's mean (NAN for the reference) */
    double p;               /* randomisation p, two-sided */
    double ci_low, ci_high; /* 1 - alpha interval by test inversion; NAN when it has no bound */
};

struct research_randomised {
    int condition_count;
    int draws;
    double alpha;
    double global_p; /* with three or more conditions: any difference among them at all (the
                        spread of the condition means of day means, sum of days x squared
                        distance to the mean of all days, against re-drawn allocations of all
                        conditions); with two, the comparison's p; NAN without two conditions
                        with two days each */
    struct research_randomised_condition conditions[EXPERIMENT_CONDITIONS_MAX];
};

/*
 * Analyses count days of condition_count conditions with draws re-draws from seed. Returns 0,
 * or -EINVAL (condition_count out of 2..EXPERIMENT_CONDITIONS_MAX, a day's condition, block or
 * slot out of range, draws < 1) or -ENOMEM. A comparison with fewer than 2 days in either
 * condition gets NAN figures (not enough days to say anything).
 */
int research_randomised_infer(const struct research_randomised_day *days, size_t count,
                              int condition_count, int draws, uint64_t seed, double alpha,
                              struct research_randomised *out);

#endif
