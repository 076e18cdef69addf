/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_design: the evaluation of a report (docs/design.md "Evaluation
 * model"). Units are days (or weeks that were published only as a whole week), never single
 * answers; the declared primary test comes first, every other test is exploratory with a
 * Holm-adjusted p. A range made by k-anonymity is never a midpoint: every estimate is
 * computed under the two extreme assignments the ranges allow (each unit at its lowest or
 * highest, chosen by the sign of its weight in the estimate, which is linear in the unit
 * values) and reported as bounds, with p under the less favourable of the two (1 when the
 * ranges allow no difference at all). The estimates are research_report_design_estimate.c,
 * the verdict in words research_report_design_verdict.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"
#include "research/research_report_design.h"

#define DESIGN_LONG_WAIT 30 /* minutes: the waiting-time tests compare the share this long */
#define DESIGN_MEASURES 3   /* stress on arrival, on leaving, waiting time: explored on units */

const char *research_measure_outcome(enum research_measure measure)
{
    static const enum evaluation_outcome outcomes[RESEARCH_MEASURES] = {
        EVALUATION_STRESS_ARRIVAL,      EVALUATION_STRESS_DEPARTURE,
        EVALUATION_WAIT_MINUTES,        EVALUATION_INCIDENTS,
        EVALUATION_STRESS_ARRIVAL_HIGH, EVALUATION_STRESS_DEPARTURE_HIGH};
    return measure < RESEARCH_MEASURES ? evaluation_outcome_name(outcomes[measure]) : "";
}

static int design_phase_index(const struct research_report *report, const char *name)
{
    for (size_t p = 0; p < report->phase_count; p++) {
        if (strcmp(report->phases[p].name, name) == 0) {
            return (int)p;
        }
    }
    return -1;
}

__attribute__((format(printf, 2, 3))) void design_warn(struct research_report_test *test,
                                                       const char *fmt, ...)
{
    if (test->warning_count >= RESEARCH_REPORT_TEST_WARNINGS) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(test->warnings[test->warning_count++], RESEARCH_NOTE_MAX, fmt, args);
    va_end(args);
}

/* A refusal whose one argument is the measure's name: English and Dutch names in their reasons. */
static void design_refuse_measure(struct research_report_test *test, const char *fmt,
                                  enum research_measure measure)
{
    test->available = false;
    research_reason_measure(test->reason, test->reason_nl, fmt, measure);
}

__attribute__((format(printf, 2, 3))) void design_refuse(struct research_report_test *test,
                                                         const char *fmt, ...)
{
    test->available = false;
    va_list args;
    va_start(args, fmt);
    research_reason_vformat(test->reason, test->reason_nl, fmt, args);
    va_end(args);
}

/* ---- units ------------------------------------------------------------------------------ */

static int design_add_unit(struct research_report *report, size_t *capacity,
                           const struct research_report_unit *unit)
{
    for (size_t i = 0; i < report->unit_count; i++) {
        struct research_report_unit *u = &report->units[i];
        if (u->measure == unit->measure && u->site == unit->site && u->phase == unit->phase &&
            u->first_day == unit->first_day && u->last_day == unit->last_day) {
            u->n += unit->n;
            u->low += unit->low;
            u->high += unit->high;
            return 0;
        }
    }
    if (report->unit_count == *capacity) {
        size_t bigger_capacity = *capacity ? *capacity * 2 : 256;
        struct research_report_unit *bigger =
            realloc(report->units, bigger_capacity * sizeof report->units[0]);
        if (bigger == NULL) {
            return -ENOMEM;
        }
        report->units = bigger;
        *capacity = bigger_capacity;
    }
    report->units[report->unit_count++] = *unit;
    return 0;
}

/* A stress answer or a range of them (positions first..last) as the share at or above the cut,
   in %, at its low and high end: exact (0 or 100) unless the range straddles the cut. */
static void design_share_ends(int32_t first, int32_t last, double *low, double *high)
{
    *low = first >= RESEARCH_STRESS_CUT ? 100 : 0;
    *high = last >= RESEARCH_STRESS_CUT ? 100 : 0;
}

/* The answers and waits rows as units (a stress row twice: as its answers and as the share at or
   above the cut); rows of pooled quiet weeks are counted as left out. */
static int design_collect_units(const struct research_dataset *dataset,
                                struct research_report *report, int64_t left_out[RESEARCH_MEASURES])
{
    size_t capacity = 0;
    static const enum research_table_id tables[] = {RESEARCH_ANSWERS, RESEARCH_WAITS};
    for (size_t t = 0; t < 2; t++) {
        const struct research_table *table = &dataset->tables[tables[t]];
        for (size_t r = 0; r < table->published.row_count; r++) {
            const struct research_row *row = &table->published.rows[r];
            if (row->note == RESEARCH_NOTE_SUPPRESSED || row->note == RESEARCH_NOTE_REMAINDER) {
                continue;
            }
            const struct research_tuple *series = &table->series[row->series];
            int phase = design_phase_index(report, research_dataset_text(dataset, series->text[1]));
            const struct research_key_order *first = &table->key_order[row->key];
            const struct research_key_order *last = &table->key_order[row->key_last];
            if (phase < 0 || first->group < 0) {
                continue;
            }
            struct research_report_unit unit = {.site = series->text[0], .phase = phase};
            double low = 0, high = 0;
            bool share = false;
            if (tables[t] == RESEARCH_ANSWERS) {
                const char *moment = research_dataset_text(dataset, series->text[2]);
                const char *question = research_dataset_text(dataset, series->text[3]);
                if (strcmp(question, STORE_QUESTION_STRESS) != 0) {
                    continue;
                }
                if (strcmp(moment, STORE_MOMENT_ARRIVAL) == 0) {
                    unit.measure = RESEARCH_MEASURE_STRESS_ARRIVAL;
                } else if (strcmp(moment, STORE_MOMENT_DEPARTURE) == 0) {
                    unit.measure = RESEARCH_MEASURE_STRESS_DEPARTURE;
                } else {
                    continue;
                }
                low = first->position;
                high = last->position;
                share = true;
            } else {
                int low_minutes = 0, high_minutes = 0;
                if (research_wait_band_minutes(
                        research_dataset_text(dataset, table->keys[row->key].text[1]),
                        research_dataset_text(dataset, table->keys[row->key_last].text[1]),
                        &low_minutes, &high_minutes) != 0) {
                    continue; /* no-shows and arrivals never marked have no waiting time */
                }
                /* The share waiting DESIGN_LONG_WAIT minutes or more, in %: a mean of minutes
                   has no upper bound once anyone is in "60+"; this share is exact wherever a
                   band does not straddle the threshold, and an interval (0..100) where one
                   does. */
                unit.measure = RESEARCH_MEASURE_WAIT_MINUTES;
                low = low_minutes >= DESIGN_LONG_WAIT ? 100 : 0;
                high = high_minutes >= 0 && high_minutes <= DESIGN_LONG_WAIT ? 0 : 100;
            }
            enum research_measure share_measure = unit.measure == RESEARCH_MEASURE_STRESS_ARRIVAL
                                                      ? RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH
                                                      : RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH;
            if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
                left_out[unit.measure] += row->n;
                left_out[share_measure] += share ? row->n : 0;
                continue;
            }
            unit.control = evaluation_is_control(&report->evaluation,
                                                 research_dataset_text(dataset, series->text[0]));
            unit.first_day = row->first_day; /* an hour or part of the day: its day */
            unit.last_day = row->last_day;
            unit.n = row->n;
            unit.low = low * (double)row->n;
            unit.high = high * (double)row->n;
            int rc = design_add_unit(report, &capacity, &unit);
            if (rc == 0 && share) {
                unit.measure = share_measure;
                design_share_ends(first->position, last->position, &low, &high);
                unit.low = low * (double)row->n;
                unit.high = high * (double)row->n;
                rc = design_add_unit(report, &capacity, &unit);
            }
            if (rc != 0) {
                return rc;
            }
            report->has_control = report->has_control || unit.control;
        }
    }
    return 0;
}

/* ---- the tests -------------------------------------------------------------------------- */

static void design_start(struct research_report_test *test, enum research_measure measure,
                         const char *design, const char *term)
{
    *test = (struct research_report_test){.measure = measure,
                                          .outcome = research_measure_outcome(measure),
                                          .design = design,
                                          .term = term,
                                          .estimate = NAN,
                                          .estimate_low = NAN,
                                          .estimate_high = NAN,
                                          .ci_low = NAN,
                                          .ci_high = NAN,
                                          .p = NAN,
                                          .adjusted_p = NAN};
}

static double design_alpha(const struct research_report *report)
{
    return report->evaluation.alpha;
}

struct design_work {
    const struct research_dataset *dataset;
    double *t, *low, *high;
    int *group;
    size_t capacity;
    int64_t left_out[RESEARCH_MEASURES];
    int64_t ranged_answers[RESEARCH_MEASURES], answers[RESEARCH_MEASURES];
};

static int design_reserve(struct design_work *work, size_t count)
{
    if (count <= work->capacity) {
        return 0;
    }
    double *t = realloc(work->t, count * sizeof t[0]);
    if (t != NULL) {
        work->t = t;
    }
    double *low = realloc(work->low, count * sizeof low[0]);
    if (low != NULL) {
        work->low = low;
    }
    double *high = realloc(work->high, count * sizeof high[0]);
    if (high != NULL) {
        work->high = high;
    }
    int *group = realloc(work->group, count * sizeof group[0]);
    if (group != NULL) {
        work->group = group;
    }
    if (t == NULL || low == NULL || high == NULL || group == NULL) {
        return -ENOMEM;
    }
    work->capacity = count;
    return 0;
}

static void design_range_warning(const struct research_report *report,
                                 const struct design_work *work, struct research_report_test *test)
{
    int m = (int)test->measure;
    if (!test->ranged || m == RESEARCH_MEASURE_INCIDENTS_PER_100) {
        return;
    }
    if (RESEARCH_MEASURE_IS_STRESS_SHARE(test->measure)) {
        design_warn(test, "some answers were published only in ranges across the cut: the share "
                          "of answers " EVALUATION_STRESS_CUT_TEXT " or higher is given as bounds");
        return;
    }
    if (test->measure == RESEARCH_MEASURE_WAIT_MINUTES) {
        design_warn(test, "some waiting-time bands were merged across 30 minutes: the share "
                          "waiting 30 minutes or more is given as bounds");
        return;
    }
    (void)report;
    design_warn(test,
                "%lld of %lld answers were published only as ranges (k-anonymity): the estimate "
                "is given as bounds (lowest and highest the ranges allow), p under the less "
                "favourable of the two",
                (long long)work->ranged_answers[m], (long long)work->answers[m]);
}

/* Units of measure of the treated (or all) sites in the compared phases into work. */
static int design_unit_points(const struct research_report *report, struct design_work *work,
                              enum research_measure measure, bool with_control, size_t *count,
                              int *days, int *weeks)
{
    int rc = design_reserve(work, report->unit_count ? report->unit_count : 1);
    if (rc != 0) {
        return rc;
    }
    *count = 0;
    *days = *weeks = 0;
    for (size_t i = 0; i < report->unit_count; i++) {
        const struct research_report_unit *unit = &report->units[i];
        if (unit->measure != measure || (unit->control && !with_control) || unit->n == 0 ||
            (unit->phase != report->compare_a && unit->phase != report->compare_b)) {
            continue;
        }
        int after = unit->phase == report->compare_b;
        work->t[*count] = unit->first_day;
        work->low[*count] = unit->low / (double)unit->n;
        work->high[*count] = unit->high / (double)unit->n;
        work->group[*count] = unit->control ? 2 + after : after;
        (*count)++;
        *(unit->first_day == unit->last_day ? days : weeks) += 1;
    }
    return 0;
}

static void design_unit_label(struct research_report_test *test, int days, int weeks)
{
    if (weeks == 0) {
        snprintf(test->unit, sizeof test->unit, "day");
    } else if (days == 0) {
        snprintf(test->unit, sizeof test->unit, "week");
    } else {
        snprintf(test->unit, sizeof test->unit, "day (%d weeks only as a whole week)", weeks);
    }
}

/*
 * The prologue every test on units shares: starts test for measure, gathers the units of
 * the compared phases (with the control sites' when with_control) into work, *count of
 * them, and names what a unit is. On failure (-ENOMEM) work is unchanged in size.
 */
static int design_begin_on_units(const struct research_report *report, struct design_work *work,
                                 enum research_measure measure, bool with_control,
                                 const char *design, const char *term,
                                 struct research_report_test *test, size_t *count)
{
    design_start(test, measure, design, term);
    int days = 0, weeks = 0;
    int rc = design_unit_points(report, work, measure, with_control, count, &days, &weeks);
    if (rc != 0) {
        return rc;
    }
    design_unit_label(test, days, weeks);
    return 0;
}

static int design_before_after(struct research_report *report, struct design_work *work,
                               enum research_measure measure, struct research_report_test *test)
{
    size_t count = 0;
    int rc = design_begin_on_units(report, work, measure, false, "before_after", "difference", test,
                                   &count);
    if (rc != 0) {
        return rc;
    }
    struct design_points points = {KIND_WELCH, count,       work->t, work->low,
                                   work->high, work->group, 0,       design_alpha(report),
                                   -1};
    size_t per_group[2] = {0, 0};
    for (size_t i = 0; i < count; i++) {
        per_group[work->group[i]]++;
    }
    if (per_group[0] < 2 || per_group[1] < 2) {
        design_refuse(test, "fewer than 2 days (or weeks) with answers in %s",
                      per_group[0] < 2 ? report->phases[report->compare_a].name
                                       : report->phases[report->compare_b].name);
        return 0;
    }
    rc = design_estimate(&points, test);
    if (rc == 0 && test->available) {
        design_range_warning(report, work, test);
        design_warn(test, "no control site and no time series: a trend or a season could "
                          "explain a difference between the phases");
    }
    return rc;
}

/* Sites pooled: the before/after difference within each changed site, combined. */
static int design_by_site(struct research_report *report, struct design_work *work,
                          enum research_measure measure, struct research_report_test *test)
{
    size_t count = 0;
    int rc = design_begin_on_units(report, work, measure, false, "before_after_by_site",
                                   "difference", test, &count);
    if (rc != 0) {
        return rc;
    }
    uint32_t sites[RESEARCH_REPORT_TESTS * 4];
    int site_count = 0;
    for (size_t i = 0, u = 0; u < report->unit_count && i < count; u++) {
        const struct research_report_unit *unit = &report->units[u];
        if (unit->measure != measure || unit->control || unit->n == 0 ||
            (unit->phase != report->compare_a && unit->phase != report->compare_b)) {
            continue;
        }
        int s = 0;
        while (s < site_count && sites[s] != unit->site) {
            s++;
        }
        if (s == site_count && site_count < (int)(sizeof sites / sizeof sites[0])) {
            sites[site_count++] = unit->site;
        }
        work->group[i] = 2 * s + work->group[i]; /* the same order as design_unit_points */
        i++;
    }
    struct design_points points = {
        KIND_BY_SITE,         count, work->t, work->low, work->high, work->group, 0,
        design_alpha(report), -1};
    rc = design_estimate(&points, test);
    if (rc == 0 && !test->available) {
        design_refuse(test, "fewer than 2 changed sites with 2 days (or weeks) a side");
    } else if (rc == 0) {
        design_range_warning(report, work, test);
        design_warn(test, "each site compared with itself, then combined (inverse-variance "
                          "weights): differences between sites do not count as an effect");
    }
    return rc;
}

static int design_controlled(struct research_report *report, struct design_work *work,
                             enum research_measure measure, struct research_report_test *test)
{
    size_t count = 0;
    int rc = design_begin_on_units(report, work, measure, true, "controlled",
                                   "difference_in_differences", test, &count);
    if (rc != 0) {
        return rc;
    }
    if (!report->has_control) {
        design_refuse(test, report->evaluation.control_count > 0
                                ? "the declared control sites have no data in these databases"
                                : "no control site declared ([evaluation] control_sites)");
        return 0;
    }
    size_t per_group[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < count; i++) {
        per_group[work->group[i]]++;
    }
    for (int g = 0; g < 4; g++) {
        if (per_group[g] < 2) {
            static const char *const names[] = {
                "the changed sites before", "the changed sites after", "the control sites before",
                "the control sites after"};
            design_refuse(test, "fewer than 2 days (or weeks) with answers in %s", names[g]);
            return 0;
        }
    }
    struct design_points points = {
        KIND_DID, count, work->t, work->low, work->high, work->group, 0, design_alpha(report), -1};
    rc = design_estimate(&points, test);
    if (rc == 0 && test->available) {
        design_range_warning(report, work, test);
        size_t treated = 0, control = 0;
        for (size_t s = 0; s < report->site_row_count; s++) {
            const struct research_report_site *site = &report->site_rows[s];
            if (site->phase == report->compare_a) {
                *(evaluation_is_control(&report->evaluation, site->site) ? &control : &treated) +=
                    1;
            }
        }
        if (treated < 2 || control < 2) {
            design_warn(test,
                        "%zu changed and %zu control site(s): a controlled design needs at least "
                        "2 sites per arm (Cochrane EPOC); one site's own events can decide the "
                        "result",
                        treated, control);
        }
    }
    return rc;
}

/* Weekly means of the treated sites, and the segmented regression on them. */
static int design_its(struct research_report *report, struct design_work *work,
                      enum research_measure measure, bool slope, struct research_report_test *test)
{
    design_start(test, measure, "interrupted_time_series", slope ? "slope_change" : "level_change");
    snprintf(test->unit, sizeof test->unit, "week");
    if (report->phases[report->compare_a].first_day > report->phases[report->compare_b].first_day) {
        design_refuse(test, "a time series runs forward: compare the earlier phase (A) with the "
                            "later one (B)");
        return 0;
    }
    size_t count = 0;
    int days = 0, weeks = 0;
    int rc = design_unit_points(report, work, measure, false, &count, &days, &weeks);
    if (rc != 0) {
        return rc;
    }
    /* Units into weeks: sums of n, low and high per Monday (in place, first come first). */
    int32_t *mondays = malloc((count ? count : 1) * sizeof mondays[0]);
    double *n = malloc((count ? count : 1) * sizeof n[0]);
    if (mondays == NULL || n == NULL) {
        free(mondays);
        free(n);
        return -ENOMEM;
    }
    size_t week_count = 0;
    for (size_t u = 0; u < report->unit_count; u++) {
        const struct research_report_unit *unit = &report->units[u];
        if (unit->measure != measure || unit->control || unit->n == 0 ||
            (unit->phase != report->compare_a && unit->phase != report->compare_b)) {
            continue;
        }
        int32_t monday = research_week_monday(unit->first_day);
        int after = unit->phase == report->compare_b;
        size_t w = 0;
        while (w < week_count && (mondays[w] != monday || work->group[w] != after)) {
            w++;
        }
        if (w == week_count) {
            mondays[w] = monday;
            work->group[w] = after;
            work->low[w] = work->high[w] = n[w] = 0;
            week_count++;
        }
        work->low[w] += unit->low;
        work->high[w] += unit->high;
        n[w] += (double)unit->n;
    }
    int32_t first_monday = week_count ? mondays[0] : 0;
    for (size_t w = 0; w < week_count; w++) {
        first_monday = mondays[w] < first_monday ? mondays[w] : first_monday;
    }
    size_t segment[2] = {0, 0};
    double t0 = INFINITY;
    for (size_t w = 0; w < week_count; w++) {
        work->low[w] /= n[w];
        work->high[w] /= n[w];
        work->t[w] = (double)(mondays[w] - first_monday) / 7.0;
        segment[work->group[w]]++;
        if (work->group[w] == 1 && work->t[w] < t0) {
            t0 = work->t[w];
        }
    }
    free(mondays);
    free(n);
    test->n_units = week_count;
    if (segment[0] < RESEARCH_ITS_MIN_POINTS || segment[1] < RESEARCH_ITS_MIN_POINTS) {
        design_refuse(test,
                      "an interrupted time series needs at least %d weeks with answers on each "
                      "side; there are %zu before and %zu after",
                      RESEARCH_ITS_MIN_POINTS, segment[0], segment[1]);
        return 0;
    }
    struct design_points points = {slope ? KIND_ITS_SLOPE : KIND_ITS_LEVEL,
                                   week_count,
                                   work->t,
                                   work->low,
                                   work->high,
                                   work->group,
                                   t0,
                                   design_alpha(report),
                                   -1};
    rc = design_estimate(&points, test);
    struct research_its its;
    if (rc == 0 && test->available && !test->ranged &&
        research_infer_its(work->t, work->low, work->group, week_count, t0, -1, points.alpha,
                           &its) == 0) {
        test->has_fit = true;
        test->fit[0] = its.b0;
        test->fit[1] = its.b1;
        test->fit[2] = its.level.estimate;
        test->fit[3] = its.slope.estimate;
        test->first_monday = first_monday;
    }
    if (rc == 0 && test->available) {
        design_range_warning(report, work, test);
        if (segment[0] < RESEARCH_ITS_GOOD_POINTS || segment[1] < RESEARCH_ITS_GOOD_POINTS) {
            design_warn(test,
                        "only %zu weeks before and %zu after: with fewer than %d on a side the "
                        "trend and its autocorrelation are poorly known",
                        segment[0], segment[1], RESEARCH_ITS_GOOD_POINTS);
        }
        if (!report->has_control) {
            design_warn(test, "no control site: the time series allows for a steady trend, not "
                              "for something else that changed at the same time");
        }
    }
    return rc;
}

/* Incidents per 100 arrivals, B against A: a quasi-Poisson rate ratio on weekly units (the
   units: research_report_design_rate.c), so that clustered incidents widen the interval. */
static int design_rate_ratio(struct research_report *report, const struct design_work *work,
                             struct research_report_test *test)
{
    design_start(test, RESEARCH_MEASURE_INCIDENTS_PER_100, "rate_ratio", "rate_ratio");
    snprintf(test->unit, sizeof test->unit, "week (arrivals as exposure)");
    const struct research_report_phase *a = &report->phases[report->compare_a];
    const struct research_report_phase *b = &report->phases[report->compare_b];
    if (!report->incidents_counted) {
        design_refuse(test, "no incident counts (the databases have no incident table)");
        return 0;
    }
    if (a->incidents_hidden_weeks > 0 || b->incidents_hidden_weeks > 0) {
        design_refuse(test, "too few incidents: some weeks of %s had fewer than k and are hidden",
                      a->incidents_hidden_weeks > 0 ? a->name : b->name);
        return 0;
    }
    struct design_rate_units units;
    int rc = design_incident_units(work->dataset, report, &units);
    if (rc != 0) {
        return rc;
    }
    int64_t events[2] = {0, 0};
    for (size_t i = 0; i < units.count; i++) {
        events[units.group[i]] += units.events[i];
    }
    struct research_rate_ratio rr;
    if (events[0] == 0 || events[1] == 0) {
        design_refuse(test,
                      "no incidents were logged in %s: a rate ratio needs some in both phases",
                      events[0] == 0 ? a->name : b->name);
    } else if (research_infer_rate_ratio(units.events, units.exposure, units.group, units.count,
                                         design_alpha(report), &rr) != 0) {
        design_refuse(test, "no arrivals in one of the phases");
    } else {
        test->available = true;
        test->n_units = units.count;
        test->estimate = test->estimate_low = test->estimate_high = rr.ratio.estimate;
        test->ci_low = rr.ratio.ci_low;
        test->ci_high = rr.ratio.ci_high;
        test->p = rr.ratio.p;
        test->unit_t = malloc((units.count ? units.count : 1) * sizeof test->unit_t[0]);
        test->unit_y = malloc((units.count ? units.count : 1) * sizeof test->unit_y[0]);
        test->unit_group = malloc((units.count ? units.count : 1) * sizeof test->unit_group[0]);
        test->unit_exposure =
            malloc((units.count ? units.count : 1) * sizeof test->unit_exposure[0]);
        if (test->unit_t == NULL || test->unit_y == NULL || test->unit_group == NULL ||
            test->unit_exposure == NULL) {
            rc = -ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < units.count; i++) {
            test->unit_t[i] = units.monday[i];
            test->unit_y[i] = (double)units.events[i];
            test->unit_group[i] = units.group[i];
            test->unit_exposure[i] = units.exposure[i];
        }
        test->unit_count = units.count;
        if (units.pooled > 0) {
            snprintf(test->unit, sizeof test->unit, "week (%d pooled; arrivals as exposure)",
                     units.pooled > 999 ? 999 : (int)units.pooled);
        }
        if (isnan(rr.dispersion)) {
            design_warn(test,
                        "Poisson rate ratio %s / %s, arrivals as exposure, one unit a phase: "
                        "whether incidents cluster cannot be estimated; if they do, the "
                        "interval is too narrow",
                        b->name, a->name);
        } else {
            design_warn(test,
                        "quasi-Poisson rate ratio %s / %s, %zu weeks, arrivals as exposure: "
                        "incidents vary %.2f times as much as Poisson counts (chi2 / df); "
                        "interval widened by that (at least 1), t, %.0f df",
                        b->name, a->name, units.count, rr.dispersion, rr.ratio.df);
        }
        if (units.left_out > 0) {
            design_warn(test, "%lld incidents in weeks without published arrivals are left out",
                        (long long)units.left_out);
        }
    }
out:
    design_incident_units_free(&units);
    return rc;
}

/* Non-response: the primary's phase difference if those who gave no score had answered like
   the lowest or the highest responders (stress outcomes only). */
static void design_nonresponse(struct research_report *report)
{
    report->nonresponse_low = report->nonresponse_high = NAN;
    enum research_measure measure = report->primary.measure;
    bool share = RESEARCH_MEASURE_IS_STRESS_SHARE(measure);
    enum research_moment_index moment = research_measure_moment(measure); /* a mean or a share */
    if (moment == RESEARCH_MOMENTS) {
        return;
    }
    const struct research_report_values *values[2] = {
        &report->phases[report->compare_a].stress[moment],
        &report->phases[report->compare_b].stress[moment]};
    int64_t asked[2] = {report->phases[report->compare_a].completed[moment],
                        report->phases[report->compare_b].completed[moment]};
    /* a share: those who gave no score count as all below the cut, or all at or above it */
    double lowest = share ? 0 : INFINITY, highest = share ? 100 : -INFINITY;
    for (int p = 0; p < 2; p++) {
        if (values[p]->summary.n == 0) {
            return;
        }
        for (size_t i = 0; i < values[p]->low_count && !share; i++) {
            lowest = values[p]->low[i].value < lowest ? values[p]->low[i].value : lowest;
        }
        for (size_t i = 0; i < values[p]->high_count && !share; i++) {
            highest = values[p]->high[i].value > highest ? values[p]->high[i].value : highest;
        }
    }
    /* The changed sites only (control sites are not part of the effect): their units and,
       with control sites, their own completed check-ins. */
    double n[2] = {0, 0}, sum_low[2] = {0, 0}, sum_high[2] = {0, 0};
    for (size_t u = 0; u < report->unit_count; u++) {
        const struct research_report_unit *unit = &report->units[u];
        int p = unit->phase == report->compare_a ? 0 : unit->phase == report->compare_b ? 1 : -1;
        if (p < 0 || unit->control || unit->measure != measure) {
            continue;
        }
        n[p] += (double)unit->n;
        sum_low[p] += unit->low;
        sum_high[p] += unit->high;
    }
    if (report->has_control) {
        asked[0] = asked[1] = 0;
        for (size_t s = 0; s < report->site_row_count && moment == RESEARCH_AT_ARRIVAL; s++) {
            const struct research_report_site *site = &report->site_rows[s];
            int p = site->phase == report->compare_a   ? 0
                    : site->phase == report->compare_b ? 1
                                                       : -1;
            if (p >= 0 && !evaluation_is_control(&report->evaluation, site->site)) {
                asked[p] += site->completed;
            }
        }
    }
    double mean_low[2], mean_high[2];
    for (int p = 0; p < 2; p++) {
        if (n[p] == 0 || asked[p] == 0) {
            return;
        }
        double missing = (double)asked[p] > n[p] ? (double)asked[p] - n[p] : 0;
        mean_low[p] = (sum_low[p] + lowest * missing) / (n[p] + missing);
        mean_high[p] = (sum_high[p] + highest * missing) / (n[p] + missing);
    }
    report->nonresponse_low = mean_low[1] - mean_high[0];
    report->nonresponse_high = mean_high[1] - mean_low[0];
}

static void design_free_test(struct research_report_test *test)
{
    free(test->unit_t);
    free(test->unit_y);
    free(test->unit_group);
    free(test->unit_high);
    free(test->unit_exposure);
    test->unit_t = test->unit_y = test->unit_high = test->unit_exposure = NULL;
    test->unit_group = NULL;
}

static int design_treated_sites(const struct research_report *report)
{
    int sites = 0;
    for (size_t s = 0; s < report->site_row_count; s++) {
        const struct research_report_site *site = &report->site_rows[s];
        sites += site->phase == report->compare_b &&
                 !evaluation_is_control(&report->evaluation, site->site);
    }
    return sites;
}

static int design_all_tests(struct research_report *report, struct design_work *work)
{
    struct research_report_test all[RESEARCH_REPORT_TESTS + 2]; /* 3 x 5 + 1 + 5 + a primary */
    size_t count = 0;
    int rc = 0;
    for (int m = 0; m < DESIGN_MEASURES && rc == 0; m++) {
        if (work->answers[m] == 0) {
            continue; /* nothing measured (no departure tap): no test, no empty section */
        }
        enum research_measure measure = (enum research_measure)m;
        rc = design_its(report, work, measure, false, &all[count++]);
        if (rc == 0) {
            rc = design_its(report, work, measure, true, &all[count++]);
        }
        if (rc == 0) {
            rc = design_before_after(report, work, measure, &all[count++]);
        }
        if (rc == 0 && design_treated_sites(report) > 1) {
            rc = design_by_site(report, work, measure, &all[count++]);
        }
        if (rc == 0 &&
            (report->has_control || report->evaluation.design == EVALUATION_CONTROLLED)) {
            rc = design_controlled(report, work, measure, &all[count++]);
        }
    }
    if (rc == 0) {
        rc = design_rate_ratio(report, work, &all[count++]);
    }
    /* The declared primary: its outcome and design (incidents: the rate ratio). */
    const char *outcome = evaluation_outcome_name(report->evaluation.primary);
    const char *design = report->evaluation.primary == EVALUATION_INCIDENTS
                             ? "rate_ratio"
                             : evaluation_design_name(report->evaluation.design);
    enum research_measure declared = (enum research_measure)report->evaluation.primary;
    if (rc == 0 && RESEARCH_MEASURE_IS_STRESS_SHARE(declared) && work->answers[declared] > 0) {
        /* A declared share gets the means' battery too: the test of its declared design is the
           primary (randomised: research_report_randomised.c), the others are exploratory. Where
           a randomised room's weeks are published day by day the share is exact and the means
           are wide bounds, so these are the exploratory tests that can say something. A share
           that is not declared is not tested: the battery of a declared mean stays as it was. */
        rc = design_its(report, work, declared, false, &all[count++]);
        if (rc == 0) {
            rc = design_its(report, work, declared, true, &all[count++]);
        }
        if (rc == 0) {
            rc = design_before_after(report, work, declared, &all[count++]);
        }
        if (rc == 0 && design_treated_sites(report) > 1) {
            rc = design_by_site(report, work, declared, &all[count++]);
        }
        if (rc == 0 &&
            (report->has_control || report->evaluation.design == EVALUATION_CONTROLLED)) {
            rc = design_controlled(report, work, declared, &all[count++]);
        }
    }
    size_t primary = count;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(all[i].outcome, outcome) == 0 && strcmp(all[i].design, design) == 0 &&
            strcmp(all[i].term, "slope_change") != 0) {
            primary = i;
            break;
        }
    }
    if (primary == count) { /* the outcome has no data at all: an empty, refused primary */
        design_start(&all[count], declared, design, "difference");
        design_refuse_measure(&all[count], "no published %s in the compared phases", declared);
        count++;
    }
    report->primary = all[primary];
    if (!report->evaluation.declared) {
        design_warn(&report->primary,
                    "the design was not declared in advance ([evaluation] in the config): this "
                    "primary is the default and should be read as exploratory");
    }
    for (size_t i = 0; i < count; i++) {
        if (i == primary) {
            continue;
        }
        if (report->test_count < RESEARCH_REPORT_TESTS) {
            report->tests[report->test_count++] = all[i];
        } else {
            design_free_test(&all[i]);
        }
    }
    double p[RESEARCH_REPORT_TESTS], adjusted[RESEARCH_REPORT_TESTS];
    for (size_t i = 0; i < report->test_count; i++) {
        p[i] = report->tests[i].available ? report->tests[i].p : NAN;
    }
    research_infer_holm(p, report->test_count, adjusted);
    for (size_t i = 0; i < report->test_count; i++) {
        report->tests[i].adjusted_p = adjusted[i];
    }
    return rc;
}

int research_report_compute_design(const struct research_dataset *dataset,
                                   struct research_report *report)
{
    report->primary.outcome = evaluation_outcome_name(report->evaluation.primary);
    report->primary.design = evaluation_design_name(report->evaluation.design);
    report->primary.term = "";
    report->nonresponse_low = report->nonresponse_high = NAN;
    struct design_work work = {.dataset = dataset};
    int rc = design_collect_units(dataset, report, work.left_out);
    if (rc != 0 || report->compare_a < 0) {
        if (rc == 0) {
            design_refuse(&report->primary, "fewer than two phases with data");
        }
        return rc;
    }
    for (int m = 0; m < RESEARCH_MEASURES; m++) {
        if (m == RESEARCH_MEASURE_INCIDENTS_PER_100) {
            continue; /* a rate per phase, not units */
        }
        enum research_moment_index moment = research_measure_moment((enum research_measure)m);
        for (int side = 0; side < 2; side++) {
            const struct research_report_phase *phase =
                &report->phases[side ? report->compare_b : report->compare_a];
            const struct research_report_values *values =
                moment < RESEARCH_MOMENTS ? &phase->stress[moment] : &phase->wait;
            work.answers[m] += values->summary.n;
            work.ranged_answers[m] += values->in_ranges;
        }
    }
    rc = design_all_tests(report, &work);
    if (rc == 0) {
        for (int m = 0; m < RESEARCH_MEASURES; m++) {
            if (work.left_out[m] > 0 && report->primary.measure == (enum research_measure)m) {
                design_warn(&report->primary,
                            "%lld answers of quiet weeks were published only pooled over several "
                            "weeks: they are not in this test",
                            (long long)work.left_out[m]);
            }
        }
        design_nonresponse(report);
        design_verdict(report, true);
        design_verdict(report, false);
    }
    free(work.t);
    free(work.low);
    free(work.high);
    free(work.group);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void design_json_test(FILE *out, const struct research_report_test *test, bool primary)
{
    fputs("{\"outcome\": ", out);
    research_report_json_string(out, test->outcome);
    fputs(", \"design\": ", out);
    research_report_json_string(out, test->design);
    fputs(", \"term\": ", out);
    research_report_json_string(out, test->term);
    fputs(", \"unit\": ", out);
    research_report_json_string(out, test->unit);
    fprintf(out, ", \"available\": %s", test->available ? "true" : "false");
    if (!test->available) {
        fputs(", \"reason\": ", out);
        research_report_json_string(out, test->reason);
    }
    fputs(", \"estimate\": ", out);
    research_report_json_number(out, test->estimate);
    fputs(", \"estimate_bounds\": [", out);
    research_report_json_number(out, test->estimate_low);
    fputs(", ", out);
    research_report_json_number(out, test->estimate_high);
    fputs("], \"ci_low\": ", out);
    research_report_json_number(out, test->ci_low);
    fputs(", \"ci_high\": ", out);
    research_report_json_number(out, test->ci_high);
    fputs(", \"p\": ", out);
    research_report_json_number(out, test->p);
    if (!primary) {
        fputs(", \"adjusted_p\": ", out);
        research_report_json_number(out, test->adjusted_p);
    }
    fprintf(out, ", \"n_units\": %zu, \"ranged\": %s, \"warnings\": [", test->n_units,
            test->ranged ? "true" : "false");
    for (size_t i = 0; i < test->warning_count; i++) {
        fputs(i ? ", " : "", out);
        research_report_json_string(out, test->warnings[i]);
    }
    fputs("]", out);
    if (test->unit_count > 0) {
        if (strcmp(test->design, "interrupted_time_series") == 0) {
            fprintf(out, ", \"t0\": %.17g, \"lags\": %d", test->t0, test->lags);
        }
        fputs(", \"units\": [", out);
        for (size_t i = 0; i < test->unit_count; i++) {
            fprintf(out, "%s{\"t\": %.17g, ", i ? ", " : "", test->unit_t[i]);
            if (test->unit_high != NULL) {
                fputs("\"low\": ", out);
                research_report_json_number(out, test->unit_y[i]);
                fputs(", \"high\": ", out);
                research_report_json_number(out, test->unit_high[i]); /* null: "60+" */
            } else {
                fprintf(out, "\"y\": %.17g", test->unit_y[i]);
            }
            if (test->unit_exposure != NULL) {
                fprintf(out, ", \"exposure\": %.17g", test->unit_exposure[i]);
            }
            fprintf(out, ", \"group\": %d}", test->unit_group[i]);
        }
        fputs("]", out);
    }
    fputs("}", out);
}

void research_report_write_design_json(const struct research_report *report, FILE *out)
{
    fputs(",\n  \"evaluation_declared\": ", out);
    fputs(report->evaluation.declared ? "true" : "false", out);
    fputs(", \"alpha\": ", out);
    research_report_json_number(out, report->evaluation.alpha);
    fputs(", \"control_sites\": [", out);
    for (int i = 0; i < report->evaluation.control_count; i++) {
        fputs(i ? ", " : "", out);
        research_report_json_string(out, report->evaluation.control_sites[i]);
    }
    fputs("],\n  \"verdict\": {\"nl\": ", out);
    research_report_json_string(out, report->verdict_nl);
    fputs(", \"en\": ", out);
    research_report_json_string(out, report->verdict_en);
    fputs("},\n  \"primary\": ", out);
    design_json_test(out, &report->primary, true);
    fputs(",\n  \"tests\": [", out);
    for (size_t i = 0; i < report->test_count; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        design_json_test(out, &report->tests[i], false);
    }
    fputs(report->test_count ? "\n  ]" : "]", out);
    fputs(",\n  \"nonresponse_bounds\": [", out);
    research_report_json_number(out, report->nonresponse_low);
    fputs(", ", out);
    research_report_json_number(out, report->nonresponse_high);
    fputs("]", out);
}

void research_report_free_design(struct research_report *report)
{
    design_free_test(&report->primary);
    for (size_t i = 0; i < report->test_count; i++) {
        design_free_test(&report->tests[i]);
    }
    free(report->units);
}
