/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_design_estimate: the estimate of one test of the evaluation under both
 * extreme assignments its ranges allow (see research_report_design.c): Welch, difference in
 * differences, the interrupted time series' level and slope, and the sites pooled.
 */
#include "research/research_report_design.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- estimates under both extreme assignments ------------------------------------------- */

static void infer_finish_normal(struct research_estimate *out, double alpha);

/* Welch per site, combined with inverse-variance weights (a fixed-effect meta-analysis of
   the sites' differences); normal reference. Sites without 2 units a side are left out. */
static int design_fit_by_site(const struct design_points *points, const double *y,
                              struct research_estimate *out)
{
    int sites = 0;
    for (size_t i = 0; i < points->count; i++) {
        sites = points->group[i] / 2 + 1 > sites ? points->group[i] / 2 + 1 : sites;
    }
    double *values = malloc((points->count ? points->count : 1) * sizeof values[0]);
    if (values == NULL) {
        return -ENOMEM;
    }
    double weights = 0, weighted = 0;
    int used = 0;
    for (int site = 0; site < sites; site++) {
        size_t counts[2] = {0, 0};
        for (int side = 0; side < 2; side++) {
            for (size_t i = 0; i < points->count; i++) {
                if (points->group[i] == 2 * site + side) {
                    counts[side]++;
                }
            }
        }
        size_t filled = 0;
        for (int side = 0; side < 2; side++) {
            for (size_t i = 0; i < points->count; i++) {
                if (points->group[i] == 2 * site + side) {
                    values[filled++] = y[i];
                }
            }
        }
        struct research_estimate e;
        if (research_infer_welch(values, counts[0], values + counts[0], counts[1], points->alpha,
                                 &e) != 0) {
            continue;
        }
        weights += 1 / (e.se * e.se);
        weighted += e.estimate / (e.se * e.se);
        used++;
    }
    free(values);
    if (used < 2) {
        return -EINVAL;
    }
    *out = (struct research_estimate){0};
    out->estimate = weighted / weights;
    out->se = sqrt(1 / weights);
    out->df = INFINITY;
    infer_finish_normal(out, points->alpha);
    return 0;
}

static int design_fit(const struct design_points *points, const double *y,
                      struct research_estimate *out, int *lags)
{
    if (points->kind == KIND_BY_SITE) {
        return design_fit_by_site(points, y, out);
    }
    if (points->kind == KIND_ITS_LEVEL || points->kind == KIND_ITS_SLOPE) {
        struct research_its its;
        int rc = research_infer_its(points->t, y, points->group, points->count, points->t0, -1,
                                    points->alpha, &its);
        if (rc == 0) {
            *out = points->kind == KIND_ITS_LEVEL ? its.level : its.slope;
            *lags = its.lags;
        }
        return rc;
    }
    double *sorted = malloc((points->count ? points->count : 1) * sizeof sorted[0]);
    if (sorted == NULL) {
        return -ENOMEM;
    }
    int groups = points->kind == KIND_WELCH ? 2 : 4;
    const double *starts[4] = {NULL, NULL, NULL, NULL};
    size_t counts[4] = {0, 0, 0, 0}, used = 0;
    for (int g = 0; g < groups; g++) {
        starts[g] = sorted + used;
        for (size_t i = 0; i < points->count; i++) {
            if (points->group[i] == g) {
                sorted[used++] = y[i];
                counts[g]++;
            }
        }
    }
    int rc = groups == 2 ? research_infer_welch(starts[0], counts[0], starts[1], counts[1],
                                                points->alpha, out)
                         : research_infer_did(starts, counts, points->alpha, out);
    free(sorted);
    return rc;
}

/* Fills statistic, p and interval of an estimate with a normal reference. */
static void infer_finish_normal(struct research_estimate *out, double alpha)
{
    out->statistic = out->estimate / out->se;
    out->p = research_t_two_sided_p(out->statistic, INFINITY);
    double q = research_t_quantile(1 - alpha / 2, INFINITY);
    out->ci_low = out->estimate - q * out->se;
    out->ci_high = out->estimate + q * out->se;
}

/* Fits the points into test: exact, or bounds under the two extreme assignments. */
int design_estimate(const struct design_points *points, struct research_report_test *test)
{
    size_t n = points->count;
    double *y_min = malloc((n ? n : 1) * sizeof y_min[0]);
    double *y_max = malloc((n ? n : 1) * sizeof y_max[0]);
    double *y_base = malloc((n ? n : 1) * sizeof y_base[0]);
    if (y_min == NULL || y_max == NULL || y_base == NULL) {
        free(y_min);
        free(y_max);
        free(y_base);
        return -ENOMEM;
    }
    bool ranged = false;
    for (size_t i = 0; i < n; i++) {
        ranged = ranged || points->low[i] != points->high[i];
        y_min[i] = y_max[i] = y_base[i] = points->low[i];
    }
    struct research_estimate base, low_fit, high_fit;
    int rc = design_fit(points, y_base, &base, &test->lags);
    if (rc == -ENOMEM) {
        goto done;
    }
    if (rc != 0) {
        design_refuse(test, "too few units with different values for this test");
        rc = 0;
        goto done;
    }
    if (!ranged && !(base.se > 0)) {
        design_refuse(test, "every unit has the same value: there is no variation to test");
        goto done;
    }
    test->available = true;
    test->n_units = n;
    test->unit_t = malloc(n * sizeof test->unit_t[0]);
    test->unit_y = malloc(n * sizeof test->unit_y[0]);
    test->unit_group = malloc(n * sizeof test->unit_group[0]);
    test->unit_high = ranged ? malloc(n * sizeof test->unit_high[0]) : NULL;
    if (test->unit_t == NULL || test->unit_y == NULL || test->unit_group == NULL ||
        (ranged && test->unit_high == NULL)) {
        rc = -ENOMEM;
        goto done;
    }
    memcpy(test->unit_t, points->t, n * sizeof points->t[0]);
    memcpy(test->unit_y, points->low, n * sizeof points->low[0]);
    memcpy(test->unit_group, points->group, n * sizeof points->group[0]);
    if (ranged) {
        memcpy(test->unit_high, points->high, n * sizeof points->high[0]);
    }
    test->unit_count = n;
    test->t0 = points->t0;
    if (!ranged) {
        test->estimate = test->estimate_low = test->estimate_high = base.estimate;
        test->ci_low = base.ci_low;
        test->ci_high = base.ci_high;
        test->p = base.p;
        goto done;
    }
    /* The estimate is linear in y: each unit's weight is the change one more point gives. */
    bool open_low = false, open_high = false;
    for (size_t i = 0; i < n; i++) {
        if (points->low[i] == points->high[i]) {
            continue;
        }
        y_base[i] = points->low[i] + 1;
        struct research_estimate moved;
        int moved_rc = design_fit(points, y_base, &moved, &test->lags);
        y_base[i] = points->low[i];
        double weight = moved_rc == 0 ? moved.estimate - base.estimate : 0;
        weight = fabs(weight) < 1e-9 ? 0 : weight; /* no say in the estimate: low in y_min */
        y_min[i] = weight >= 0 ? points->low[i] : points->high[i];
        y_max[i] = weight >= 0 ? points->high[i] : points->low[i];
        open_low = open_low || (!isfinite(y_min[i]) && weight != 0);
        open_high = open_high || (!isfinite(y_max[i]) && weight != 0);
    }
    int low_rc = open_low ? -EINVAL : design_fit(points, y_min, &low_fit, &test->lags);
    int high_rc = open_high ? -EINVAL : design_fit(points, y_max, &high_fit, &test->lags);
    test->ranged = true;
    test->estimate = NAN;
    test->estimate_low = low_rc == 0 ? low_fit.estimate : -INFINITY;
    test->estimate_high = high_rc == 0 ? high_fit.estimate : INFINITY;
    test->ci_low = low_rc == 0 ? low_fit.ci_low : -INFINITY;
    test->ci_high = high_rc == 0 ? high_fit.ci_high : INFINITY;
    if (test->estimate_low <= 0 && test->estimate_high >= 0) {
        test->p = 1; /* the ranges allow no difference at all */
    } else {
        double p_low = low_rc == 0 ? low_fit.p : 1, p_high = high_rc == 0 ? high_fit.p : 1;
        test->p = p_low > p_high ? p_low : p_high;
    }
    if (open_low || open_high) {
        design_warn(test, "some waits were in \"60+\", which has no upper end: the estimate is "
                          "unbounded on one side");
    }
done:
    free(y_min);
    free(y_max);
    free(y_base);
    return rc;
}
