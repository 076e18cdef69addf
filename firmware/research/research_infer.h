/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_infer: the inferential statistics of the evaluation, on units (days or
 * weeks), never on single taps. Welch's t test on unit means, a difference-in-differences of
 * four groups of unit means, segmented regression (interrupted time series) with standard
 * errors robust to autocorrelated weeks (Newey-West, OLS, AR(1) by REML: the largest), a
 * quasi-Poisson rate ratio with exposure, and Holm's adjustment. Pure functions, no I/O; each is
 * checked against statsmodels / scipy in tests/tools/stats_oracle.py. Formulas and references:
 * docs/research.md "Evaluation".
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
    double se_ar[2];                /* of level and slope under AR(1) errors (rho below) */
    double rho;                     /* the errors' AR(1) correlation per week, REML, >= 0 */
    double b0, b1;                  /* intercept and the slope before */
    int lags;                       /* Newey-West lags used */
    size_t before, after;           /* points per segment */
};

/*
 * Fits the segmented regression by OLS on points (t[i], y[i]); after[i] is 0 or 1 and t0 the
 * first time of the second segment. Three standard errors, and the largest is used:
 * Newey-West (Bartlett kernel, lags: -1 chooses floor(4 (n/100)^(2/9)), small-sample factor
 * n / (n - 4)); classical OLS; and the OLS estimate's variance under AR(1) errors, rho by
 * restricted maximum likelihood on [0, 0.99] (one step per week of t; a week in both
 * segments counts as two neighbouring points). The t reference has n - 5 df (rho is
 * estimated). Why: with 10-20 weekly points Newey-West alone gives 17 % false positives at
 * alpha 0.05, and weeks that hang together (AR(1) 0.5) still gave 10 % with Newey-West
 * floored at OLS (tests/unit/test_research_infer.c, docs/research.md). Returns 0, or
 * -EINVAL (fewer than 3 points in a segment, a value not finite, a singular design) or
 * -ENOMEM.
 */
int research_infer_its(const double *t, const double *y, const int *after, size_t count, double t0,
                       int lags, double alpha, struct research_its *out);

/* A rate ratio with the overdispersion it was widened by. */
struct research_rate_ratio {
    struct research_estimate ratio; /* estimate, ci_low, ci_high: the ratio b / a; se and
                                       statistic: of its log; df: t reference (INFINITY when
                                       the dispersion could not be estimated) */
    double pearson_chi2;            /* sum over units of (events - fitted)^2 / fitted */
    double dispersion;              /* pearson_chi2 / (units - 2); NAN with 2 units */
    double scale;                   /* the variance factor used: the dispersion, at least 1 */
    int64_t events[2];              /* events of group 0 (a) and group 1 (b) */
    double exposure[2];
    size_t units[2];
};

/*
 * Rate ratio (b per exposure) / (a per exposure) from per-unit counts (a week of one site,
 * say): events[i] in exposure[i], group[i] 0 (a) or 1 (b). The maximum-likelihood Poisson
 * regression log E(events) = log(exposure) + b0 + b1 group, widened for overdispersion
 * (quasi-Poisson): the variance is multiplied by the Pearson chi2 / (units - 2), never by
 * less than 1, and the interval and p use the t distribution with units - 2 df (as
 * statsmodels' GLM(Poisson, offset).fit(scale, use_t=True)). With one unit per group there
 * is no dispersion to estimate: the plain Poisson Wald interval (normal reference). Returns
 * 0, or -EINVAL when a count is negative, an exposure not above 0, a group not 0 or 1, or a
 * group has no unit or no event (a ratio with a zero count has no finite interval).
 */
int research_infer_rate_ratio(const int64_t *events, const double *exposure, const int *group,
                              size_t count, double alpha, struct research_rate_ratio *out);

/* Holm's step-down adjustment of count p-values (NAN stays NAN and is left out). */
void research_infer_holm(const double *p, size_t count, double *adjusted);

#endif
