/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_infer: the inferential statistics of the evaluation, on units (days or
 * weeks), never on single taps. Welch's t test on unit means, a difference-in-differences of
 * four groups of unit means, segmented regression (interrupted time series) with Newey-West
 * standard errors, a Poisson rate ratio with exposure, and Holm's adjustment. Pure functions,
 * no I/O; each is checked against statsmodels / scipy in tests/tools/stats_oracle.py.
 * Formulas and references: docs/research.md "Evaluation".
 */
#ifndef OASE_RESEARCH_INFER_H
#define OASE_RESEARCH_INFER_H

#include <stddef.h>
#include <stdint.h>

/* One estimate with its 95 % (or 1 - alpha) interval and two-sided p. */
struct research_estimate {
    double estimate;
    double se;
    double df; /* degrees of freedom of the t reference; INFINITY: normal */
    double statistic;
    double p;
    double ci_low, ci_high;
};

/* Student's t: P(|T| >= |t|) with df degrees of freedom (df = INFINITY: normal). */
double research_t_two_sided_p(double t, double df);

/* The t quantile q with P(T <= q) = probability (0 < probability < 1). */
double research_t_quantile(double probability, double df);

/* Regularised incomplete beta I_x(a, b), 0 <= x <= 1. */
double research_incomplete_beta(double x, double a, double b);

/*
 * Welch's t test of mean(b) - mean(a) on unit values (day means, say). alpha sets the
 * interval (0.05: 95 %). Returns 0, or -EINVAL when a group has fewer than 2 units, a value
 * is not finite, or both variances are 0.
 */
int research_infer_welch(const double *a, size_t a_count, const double *b, size_t b_count,
                         double alpha, struct research_estimate *out);

/*
 * Difference in differences of unit means, (mean(treated after) - mean(treated before)) -
 * (mean(control after) - mean(control before)), standard error from the four groups' own
 * variances (equal to OLS with HC2 errors on the saturated model), Welch-Satterthwaite df.
 * groups[0..3]: treated before, treated after, control before, control after. Returns 0 or
 * -EINVAL (a group with fewer than 2 units, a value not finite, no variance).
 */
int research_infer_did(const double *const groups[4], const size_t counts[4], double alpha,
                       struct research_estimate *out);

/* Segmented regression y = b0 + b1 t + b2 after + b3 (t - t0) after. */
struct research_its {
    struct research_estimate level; /* b2: the step at the interruption */
    struct research_estimate slope; /* b3: the change of slope per time unit */
    double se_hac[2], se_ols[2];    /* of level and slope: Newey-West and classical OLS */
    double b0, b1;                  /* intercept and the slope before */
    int lags;                       /* Newey-West lags used */
    size_t before, after;           /* points per segment */
};

/*
 * Fits the segmented regression by OLS on points (t[i], y[i]); after[i] is 0 or 1 and t0 the
 * first time of the second segment. Standard errors: Newey-West (Bartlett kernel, lags:
 * -1 chooses floor(4 (n/100)^(2/9))), with the small-sample factor n / (n - 4), but never
 * below the classical OLS standard error (with 10-20 weekly points Newey-West alone is far
 * too small: 17 % false positives at alpha 0.05 in tests/unit/test_research_infer.c); t
 * reference with n - 4 df. Returns 0, or -EINVAL (fewer than 3 points in a segment, a value not
 * finite, a singular design) or -ENOMEM.
 */
int research_infer_its(const double *t, const double *y, const int *after, size_t count, double t0,
                       int lags, double alpha, struct research_its *out);

/*
 * Poisson rate ratio (b per exposure) / (a per exposure) with its Wald interval on the log
 * scale (the maximum-likelihood fit of a Poisson regression with log(exposure) as offset and
 * one group indicator). Returns 0, or -EINVAL when a count is 0 or negative or an exposure
 * is not above 0 (a ratio with a zero count has no finite interval).
 */
int research_infer_rate_ratio(int64_t events_a, double exposure_a, int64_t events_b,
                              double exposure_b, double alpha, struct research_estimate *out);

/* Holm's step-down adjustment of count p-values (NAN stays NAN and is left out). */
void research_infer_holm(const double *p, size_t count, double *adjusted);

#endif
