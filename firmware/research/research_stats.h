/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_stats: descriptive statistics and two-group comparisons computed from aggregate
 * cells (value, n): the only form in which research code ever sees answers, so no score is
 * ever a row here either. Pure functions, no I/O, no global state; the bootstrap takes its
 * seed from the caller. Formulas and references: docs/research.md "Statistics".
 */
#ifndef OASE_RESEARCH_STATS_H
#define OASE_RESEARCH_STATS_H

#include <stddef.h>
#include <stdint.h>

#define RESEARCH_BOOTSTRAP_RESAMPLES 2000
#define RESEARCH_BOOTSTRAP_SEED 0x4F415345u /* "OASE": fixed, so a report can be reproduced */

/* n observations of one value. */
struct research_value_count {
    double value;
    int64_t n;
};

struct research_summary {
    int64_t n;
    double mean;   /* NAN when n = 0 */
    double median; /* middle value, or the mean of the two middle values; NAN when n = 0 */
    double sd;     /* sample standard deviation (n - 1); NAN when n < 2 */
};

/*
 * Summarises cells (any order; equal values may repeat). Returns 0, or -EINVAL (cells NULL
 * with count > 0, an n below 0, a value that is not finite); out is unchanged then.
 */
int research_stats_summary(const struct research_value_count *cells, size_t count,
                           struct research_summary *out);

/* Mann-Whitney U of group A against group B (normal approximation, ties corrected). */
struct research_mann_whitney {
    double u_a, u_b;      /* pairs the group wins plus half the ties; u_a + u_b = n_a n_b */
    double mean_u, sd_u;  /* of U when both groups come from one distribution; sd tie-corrected */
    double z;             /* (u_b - mean_u), 0.5 closer to 0 (continuity), / sd_u; 0 if sd_u = 0 */
    double p_two_sided;   /* 2 (1 - Phi(|z|)), at most 1; 1 when sd_u = 0 */
    double rank_biserial; /* (u_b - u_a) / (n_a n_b) from the rank sums: > 0 when B is higher */
};

/*
 * Compares A and B. Returns 0, or -EINVAL when either group has no observations or a cell
 * is invalid (as in research_stats_summary); out is unchanged then.
 */
int research_stats_mann_whitney(const struct research_value_count *a, size_t a_count,
                                const struct research_value_count *b, size_t b_count,
                                struct research_mann_whitney *out);

/*
 * Cliff's delta, P(B > A) - P(B < A) over all pairs, counted pair by pair (not from ranks);
 * -1 .. 1. NAN when a group is empty or a cell invalid.
 */
double research_stats_cliffs_delta(const struct research_value_count *a, size_t a_count,
                                   const struct research_value_count *b, size_t b_count);

/* Percentile bootstrap of mean(B) - mean(A). */
struct research_bootstrap {
    double difference; /* mean(B) - mean(A) of the data */
    double low, high;  /* 2.5th and 97.5th percentile (nearest rank) of the resampled differences */
    int resamples;
    uint64_t seed;
};

/*
 * Resamples each group with replacement (as a multinomial draw over its cells, which is the
 * same as drawing every observation) resamples times from seed. Returns 0, -EINVAL (a group
 * empty, resamples < 100, an invalid cell) or -ENOMEM; out is unchanged on failure.
 */
int research_stats_bootstrap_mean_difference(const struct research_value_count *a, size_t a_count,
                                             const struct research_value_count *b, size_t b_count,
                                             int resamples, uint64_t seed,
                                             struct research_bootstrap *out);

/*
 * Kendall's tau-b of an ordered rows x columns table of counts (table[r * columns + c], both
 * axes in their natural order): (C - D) / sqrt((n0 - n1)(n0 - n2)) with C and D the
 * concordant and discordant pairs, n0 = N (N - 1) / 2, n1 and n2 the pairs tied on the row and
 * on the column (Kendall 1945; Agresti, Analysis of Ordinal Categorical Data, 2010, 7.1).
 * -1 .. 1; NAN when a count is negative, N < 2, or all counts lie in one row or one column.
 */
double research_stats_kendall_tau_b(const int64_t *table, size_t rows, size_t columns);

/* The generator behind the bootstrap (splitmix64), visible for tests. */
struct research_random {
    uint64_t state;
};

void research_random_seed(struct research_random *random, uint64_t seed);

/* Uniform in (0, 1), never exactly 0 or 1. */
double research_random_uniform(struct research_random *random);

/* Binomial(n, p) draw, exact up to rounding: inversion searching outward from the mode. */
int64_t research_random_binomial(struct research_random *random, int64_t n, double p);

#endif
