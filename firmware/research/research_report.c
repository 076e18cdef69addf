/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report: the figures of the report (see research_report.h); its plain-language
 * summary is research_report_summary.c, its JSON research_report_json.c. Only published rows of a
 * research_dataset are read: a range is kept as an interval (its lowest and its highest value,
 * never a midpoint), a remainder is counted as hidden (its values are unknown), a suppressed week
 * is left out. The evaluation (units, primary test, exploratory tests) is research_report_design.c;
 * drawing is research_report_draw.c.
 */
#include "research/research_report_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"

#define REPORT_OPEN_BAND_LOW 60 /* "60+": the one waiting band without an upper end */

const char *research_measure_name(enum research_measure measure)
{
    switch (measure) {
    case RESEARCH_MEASURE_STRESS_ARRIVAL:
        return "stress on arrival (0-10)";
    case RESEARCH_MEASURE_STRESS_DEPARTURE:
        return "stress on leaving (0-10)";
    case RESEARCH_MEASURE_WAIT_MINUTES:
        return "waiting time (minutes)";
    case RESEARCH_MEASURE_INCIDENTS_PER_100:
        return "incidents per 100 arrivals";
    case RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH:
        return "share with stress " EVALUATION_STRESS_CUT_TEXT " or higher on arrival (%)";
    case RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH:
        return "share with stress " EVALUATION_STRESS_CUT_TEXT " or higher on leaving (%)";
    case RESEARCH_MEASURES:
        break;
    }
    return "";
}

enum research_moment_index research_measure_moment(enum research_measure measure)
{
    switch (measure) {
    case RESEARCH_MEASURE_STRESS_ARRIVAL:
    case RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH:
        return RESEARCH_AT_ARRIVAL;
    case RESEARCH_MEASURE_STRESS_DEPARTURE:
    case RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH:
        return RESEARCH_AT_DEPARTURE;
    case RESEARCH_MEASURE_WAIT_MINUTES:
    case RESEARCH_MEASURE_INCIDENTS_PER_100:
    case RESEARCH_MEASURES:
        break;
    }
    return RESEARCH_MOMENTS;
}

const char *research_measure_name_nl(enum research_measure measure)
{
    switch (measure) {
    case RESEARCH_MEASURE_STRESS_ARRIVAL:
        return "stress bij aankomst (0-10)";
    case RESEARCH_MEASURE_STRESS_DEPARTURE:
        return "stress bij vertrek (0-10)";
    case RESEARCH_MEASURE_WAIT_MINUTES:
        return "wachttijd (minuten)";
    case RESEARCH_MEASURE_INCIDENTS_PER_100:
        return "incidenten per 100 aankomsten";
    case RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH:
        return "aandeel met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij aankomst (%)";
    case RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH:
        return "aandeel met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij vertrek (%)";
    case RESEARCH_MEASURES:
        break;
    }
    return "";
}

/* ---- accumulating published rows --------------------------------------------------------- */

static int report_add_cell(struct research_value_count **cells, size_t *count, double value,
                           int64_t n)
{
    for (size_t i = 0; i < *count; i++) {
        if ((*cells)[i].value == value) {
            (*cells)[i].n += n;
            return 0;
        }
    }
    struct research_value_count *bigger = realloc(*cells, (*count + 1) * sizeof(*cells)[0]);
    if (bigger == NULL) {
        return -ENOMEM;
    }
    *cells = bigger;
    (*cells)[(*count)++] = (struct research_value_count){value, n};
    return 0;
}

/* n observations somewhere in low..high: kept at both ends (an open end: only its low end). */
static int report_add_value(struct research_report_values *values, double low, double high,
                            int64_t n)
{
    if (!isfinite(high)) {
        values->open_ended = true;
        high = low; /* the "high" cells of an open band are its lower bound: shown as "at least" */
    }
    int rc = report_add_cell(&values->low, &values->low_count, low, n);
    return rc != 0 ? rc : report_add_cell(&values->high, &values->high_count, high, n);
}

/* Adds n observations on scale steps first..last (one step: exact; more: a range) whose
   values lie in low..high. */
static int report_add_scale(struct research_report_values *values, int first, int last, double low,
                            double high, int64_t n)
{
    if (first == last) {
        if (first >= 0 && first < RESEARCH_REPORT_SCALE) {
            values->exact[first] += (double)n;
        }
    } else {
        values->in_ranges += n;
        for (int step = first; step <= last; step++) {
            if (step >= 0 && step < RESEARCH_REPORT_SCALE) {
                values->spread[step] += (double)n / (last - first + 1);
            }
        }
    }
    return report_add_value(values, low, high, n);
}

static int report_phase_index(const struct research_report *report, const char *name)
{
    for (size_t p = 0; p < report->phase_count; p++) {
        if (strcmp(report->phases[p].name, name) == 0) {
            return (int)p;
        }
    }
    return -1;
}

static const char *report_series_text(const struct research_dataset *dataset,
                                      enum research_table_id table, const struct research_row *row,
                                      int part)
{
    return research_dataset_text(dataset, dataset->tables[table].series[row->series].text[part]);
}

static const char *report_key_text(const struct research_dataset *dataset,
                                   enum research_table_id table, uint32_t key, int part)
{
    return research_dataset_text(dataset, dataset->tables[table].keys[key].text[part]);
}

/* Pass 1: the phases, in order of their first published day. */
static void report_collect_phases(const struct research_dataset *dataset,
                                  struct research_report *report)
{
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        const struct research_kanon_result *rows = &dataset->tables[t].published;
        for (size_t r = 0; r < rows->row_count; r++) {
            const struct research_row *row = &rows->rows[r];
            if (row->note == RESEARCH_NOTE_SUPPRESSED) {
                continue;
            }
            const char *name = report_series_text(dataset, (enum research_table_id)t, row, 1);
            int p = report_phase_index(report, name);
            if (p < 0 && report->phase_count < RESEARCH_REPORT_PHASES) {
                p = (int)report->phase_count++;
                struct research_report_phase *phase = &report->phases[p];
                snprintf(phase->name, sizeof phase->name, "%s", name);
                phase->first_day = row->first_day;
                phase->last_day = row->last_day;
            }
            if (p >= 0) {
                struct research_report_phase *phase = &report->phases[p];
                phase->first_day =
                    row->first_day < phase->first_day ? row->first_day : phase->first_day;
                phase->last_day = row->last_day > phase->last_day ? row->last_day : phase->last_day;
            }
        }
    }
    for (size_t i = 1; i < report->phase_count; i++) { /* insertion sort by first day */
        struct research_report_phase moving = report->phases[i];
        size_t j = i;
        while (j > 0 && report->phases[j - 1].first_day > moving.first_day) {
            report->phases[j] = report->phases[j - 1];
            j--;
        }
        report->phases[j] = moving;
    }
}

static struct research_report_week *report_week(struct research_report *report, int32_t monday,
                                                int64_t (**by_phase)[RESEARCH_REPORT_PHASES])
{
    for (size_t w = 0; w < report->week_count; w++) {
        if (report->weeks[w].monday == monday) {
            return &report->weeks[w];
        }
    }
    struct research_report_week *bigger =
        realloc(report->weeks, (report->week_count + 1) * sizeof report->weeks[0]);
    if (bigger == NULL) {
        return NULL;
    }
    report->weeks = bigger;
    int64_t(*counts)[RESEARCH_REPORT_PHASES] =
        realloc(*by_phase, (report->week_count + 1) * sizeof counts[0]);
    if (counts == NULL) {
        return NULL;
    }
    *by_phase = counts;
    memset(counts[report->week_count], 0, sizeof counts[0]);
    struct research_report_week *week = &report->weeks[report->week_count++];
    *week = (struct research_report_week){.monday = monday, .phase = -1};
    for (int m = 0; m < RESEARCH_MOMENTS; m++) {
        week->mean_low[m] = week->mean_high[m] = 0; /* running sums until report_finish */
    }
    return week;
}

static struct research_report_site *report_site(struct research_report *report, const char *site,
                                                int phase)
{
    for (size_t s = 0; s < report->site_row_count; s++) {
        struct research_report_site *row = &report->site_rows[s];
        if (row->phase == phase && strcmp(row->site, site) == 0) {
            return row;
        }
    }
    struct research_report_site *bigger =
        realloc(report->site_rows, (report->site_row_count + 1) * sizeof report->site_rows[0]);
    if (bigger == NULL) {
        return NULL;
    }
    report->site_rows = bigger;
    struct research_report_site *row = &report->site_rows[report->site_row_count++];
    *row = (struct research_report_site){.phase = phase};
    snprintf(row->site, sizeof row->site, "%s", site);
    row->mean_low = row->mean_high = 0; /* running sums until the end */
    return row;
}

/* Accumulation state that is not part of the report. */
struct report_work {
    int64_t (*week_by_phase)[RESEARCH_REPORT_PHASES]; /* arrival answers per week and phase */
};

static int report_answer_row(const struct research_dataset *dataset, struct research_report *report,
                             struct report_work *work, const struct research_row *row, int p)
{
    const char *moment = report_series_text(dataset, RESEARCH_ANSWERS, row, 2);
    const char *question = report_series_text(dataset, RESEARCH_ANSWERS, row, 3);
    int m = strcmp(moment, STORE_MOMENT_ARRIVAL) == 0     ? RESEARCH_AT_ARRIVAL
            : strcmp(moment, STORE_MOMENT_DEPARTURE) == 0 ? RESEARCH_AT_DEPARTURE
                                                          : -1;
    if (m < 0 || strcmp(question, STORE_QUESTION_STRESS) != 0) {
        return 0;
    }
    struct research_report_values *values = &report->phases[p].stress[m];
    if (row->note == RESEARCH_NOTE_REMAINDER) {
        values->hidden += row->n;
        return 0;
    }
    const struct research_key_order *first = &dataset->tables[RESEARCH_ANSWERS].key_order[row->key];
    const struct research_key_order *last =
        &dataset->tables[RESEARCH_ANSWERS].key_order[row->key_last];
    if (first->group < 0) {
        if (strcmp(report_key_text(dataset, RESEARCH_ANSWERS, row->key, 0), STORE_ANSWER_SKIP) ==
            0) {
            values->skipped += row->n;
        } else {
            values->hidden += row->n; /* a word this report does not know */
        }
        return 0;
    }
    double low = first->position, high = last->position;
    int rc = report_add_scale(values, first->position, last->position, low, high, row->n);
    if (rc != 0) {
        return rc;
    }
    if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        report->pooled_answers += m == RESEARCH_AT_ARRIVAL ? row->n : 0;
    } else {
        struct research_report_week *week =
            report_week(report, research_week_monday(row->first_day), &work->week_by_phase);
        if (week == NULL) {
            return -ENOMEM;
        }
        week->n[m] += row->n;
        week->mean_low[m] += low * (double)row->n;
        week->mean_high[m] += high * (double)row->n;
        if (m == RESEARCH_AT_ARRIVAL) {
            work->week_by_phase[week - report->weeks][p] += row->n;
        }
    }
    if (m == RESEARCH_AT_ARRIVAL) {
        struct research_report_site *site =
            report_site(report, report_series_text(dataset, RESEARCH_ANSWERS, row, 0), p);
        if (site == NULL) {
            return -ENOMEM;
        }
        site->responses += row->n;
        site->mean_low += low * (double)row->n;
        site->mean_high += high * (double)row->n;
    }
    return 0;
}

static int report_wait_row(const struct research_dataset *dataset, struct research_report *report,
                           const struct research_row *row, int p)
{
    struct research_report_values *values = &report->phases[p].wait;
    if (row->note == RESEARCH_NOTE_REMAINDER) {
        values->hidden += row->n;
        return 0;
    }
    const struct research_key_order *first = &dataset->tables[RESEARCH_WAITS].key_order[row->key];
    const struct research_key_order *last =
        &dataset->tables[RESEARCH_WAITS].key_order[row->key_last];
    int low = 0, high = 0;
    if (first->group < 0 ||
        research_wait_band_minutes(report_key_text(dataset, RESEARCH_WAITS, row->key, 1),
                                   report_key_text(dataset, RESEARCH_WAITS, row->key_last, 1), &low,
                                   &high) != 0) {
        return 0; /* no-shows and arrivals never marked have no waiting time */
    }
    /* every band is an interval of minutes: kept at both ends; "60+" has no upper end */
    return report_add_scale(values, first->position, last->position, low,
                            high < 0 ? INFINITY : high, row->n);
}

/* A published claims row of the collected outcome: claimed first or not, and how long. */
static void report_claim_row(const struct research_dataset *dataset,
                             struct research_report_claims *claims, const struct research_row *row)
{
    claims->recorded = true;
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
        claims->hidden++;
        return;
    }
    if (row->note == RESEARCH_NOTE_REMAINDER) {
        claims->unknown += row->n;
        return;
    }
    if (strcmp(report_key_text(dataset, RESEARCH_CLAIMS, row->key, 0), STORE_OUTCOME_COLLECTED) !=
        0) {
        return; /* no-shows: a claim that was not fetched, not part of the share */
    }
    const struct research_key_order *first = &dataset->tables[RESEARCH_CLAIMS].key_order[row->key];
    if (first->group < 0) {
        claims->unclaimed += row->n; /* "unclaimed" is nominal: never in a range */
        return;
    }
    claims->claimed += row->n;
    if (row->key != row->key_last || first->position >= RESEARCH_CLAIM_BANDS) {
        claims->ranged += row->n;
        return;
    }
    claims->bands[first->position] += row->n;
}

/* Pass 2: every published row into its phase. */
static int report_accumulate(const struct research_dataset *dataset, struct research_report *report,
                             struct report_work *work)
{
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        const struct research_kanon_result *rows = &dataset->tables[t].published;
        for (size_t r = 0; r < rows->row_count; r++) {
            const struct research_row *row = &rows->rows[r];
            int p = report_phase_index(
                report, report_series_text(dataset, (enum research_table_id)t, row, 1));
            if (p >= 0 && row->note == RESEARCH_NOTE_SUPPRESSED && t == RESEARCH_INCIDENTS) {
                report->phases[p].incidents_hidden_weeks++;
            }
            if (p >= 0 && t == RESEARCH_CLAIMS) {
                report_claim_row(dataset, &report->phases[p].claims, row);
                continue;
            }
            if (row->note == RESEARCH_NOTE_SUPPRESSED || p < 0) {
                continue;
            }
            struct research_report_phase *phase = &report->phases[p];
            int rc = 0;
            switch ((enum research_table_id)t) {
            case RESEARCH_ANSWERS:
                rc = report_answer_row(dataset, report, work, row, p);
                break;
            case RESEARCH_ARRIVALS:
                phase->arrivals += row->n;
                break;
            case RESEARCH_JOURNEYS: {
                const char *moment = report_series_text(dataset, RESEARCH_JOURNEYS, row, 2);
                const char *outcome = report_series_text(dataset, RESEARCH_JOURNEYS, row, 3);
                bool arrival = strcmp(moment, STORE_MOMENT_ARRIVAL) == 0;
                if (strcmp(outcome, "completed") == 0) {
                    phase->completed[arrival ? RESEARCH_AT_ARRIVAL : RESEARCH_AT_DEPARTURE] +=
                        row->n;
                    if (arrival && row->level != RESEARCH_LEVEL_POOLED_WEEKS) {
                        struct research_report_week *week = report_week(
                            report, research_week_monday(row->first_day), &work->week_by_phase);
                        if (week == NULL) {
                            return -ENOMEM;
                        }
                        week->completed += row->n;
                    }
                    if (arrival) {
                        struct research_report_site *site = report_site(
                            report, report_series_text(dataset, RESEARCH_JOURNEYS, row, 0), p);
                        if (site == NULL) {
                            return -ENOMEM;
                        }
                        site->completed += row->n;
                    }
                } else if (arrival) {
                    phase->abandoned += row->n;
                }
                break;
            }
            case RESEARCH_WAITS:
                rc = report_wait_row(dataset, report, row, p);
                break;
            case RESEARCH_INCIDENTS:
                phase->incidents += row->n;
                break;
            case RESEARCH_RESPONSES: /* research_report_eval.c */
            case RESEARCH_STRESS_WAITS:
            case RESEARCH_WAIT_MESSAGES:
            case RESEARCH_CLAIMS: /* report_claim_row, above */
            case RESEARCH_TABLE_COUNT:
                break;
            }
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}

static int report_compare_weeks(const void *a, const void *b)
{
    const struct research_report_week *x = a, *y = b;
    return x->monday < y->monday ? -1 : x->monday > y->monday;
}

static int report_compare_sites(const void *a, const void *b)
{
    const struct research_report_site *x = a, *y = b;
    int order = strcmp(x->site, y->site);
    return order != 0 ? order : (x->phase > y->phase) - (x->phase < y->phase);
}

/* Sums become means; each week gets the phase with most of its arrival answers. */
static void report_finish(struct research_report *report, struct report_work *work)
{
    for (size_t w = 0; w < report->week_count; w++) {
        struct research_report_week *week = &report->weeks[w];
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            double n = (double)week->n[m];
            week->mean_low[m] = week->n[m] > 0 ? week->mean_low[m] / n : NAN;
            week->mean_high[m] = week->n[m] > 0 ? week->mean_high[m] / n : NAN;
            week->mean[m] = week->mean_low[m] == week->mean_high[m] ? week->mean_low[m] : NAN;
        }
        int64_t most = 0;
        for (size_t p = 0; p < report->phase_count; p++) {
            if (work->week_by_phase[w][p] > most) {
                most = work->week_by_phase[w][p];
                week->phase = (int)p;
            }
        }
    }
    if (report->week_count > 0) {
        qsort(report->weeks, report->week_count, sizeof report->weeks[0], report_compare_weeks);
    }
    for (size_t s = 0; s < report->site_row_count; s++) {
        struct research_report_site *site = &report->site_rows[s];
        double n = (double)site->responses;
        site->mean_low = site->responses > 0 ? site->mean_low / n : NAN;
        site->mean_high = site->responses > 0 ? site->mean_high / n : NAN;
        site->mean = site->mean_low == site->mean_high ? site->mean_low : NAN;
    }
    if (report->site_row_count > 0) {
        qsort(report->site_rows, report->site_row_count, sizeof report->site_rows[0],
              report_compare_sites);
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        struct research_report_phase *phase = &report->phases[p];
        for (int m = 0; m <= RESEARCH_MOMENTS; m++) {
            struct research_report_values *values =
                m < RESEARCH_MOMENTS ? &phase->stress[m] : &phase->wait;
            research_stats_summary(values->low, values->low_count, &values->summary_low);
            research_stats_summary(values->high, values->high_count, &values->summary_high);
            values->summary = values->summary_low;
            if (values->in_ranges > 0 || values->open_ended || m == RESEARCH_MOMENTS) {
                /* a range (and every waiting band) has no single value: bounds only */
                values->summary.mean = values->summary.median = values->summary.sd = NAN;
            }
            if (values->open_ended) { /* "60+": the upper bounds are open */
                values->summary_high.mean = values->summary_high.sd = INFINITY;
                if (values->summary_high.median >= REPORT_OPEN_BAND_LOW) {
                    values->summary_high.median = INFINITY;
                }
            }
        }
        int64_t responses = phase->stress[RESEARCH_AT_ARRIVAL].summary.n;
        phase->response_rate_completed =
            phase->completed[RESEARCH_AT_ARRIVAL] > 0
                ? (double)responses / (double)phase->completed[RESEARCH_AT_ARRIVAL]
                : NAN;
        phase->response_rate_arrivals =
            phase->arrivals > 0 ? (double)responses / (double)phase->arrivals : NAN;
        phase->incidents_per_100 = report->incidents_counted && phase->arrivals > 0
                                       ? 100.0 * (double)phase->incidents / (double)phase->arrivals
                                       : NAN;
    }
}

/* ---- comparisons --------------------------------------------------------------------- */

static int report_compare_cells(struct research_report_comparison *comparison,
                                const struct research_value_count *a, size_t a_count,
                                const struct research_value_count *b, size_t b_count)
{
    research_stats_summary(a, a_count, &comparison->a);
    research_stats_summary(b, b_count, &comparison->b);
    if (comparison->a.n == 0 || comparison->b.n == 0) {
        snprintf(comparison->reason, sizeof comparison->reason,
                 "no published values in one of the phases");
        return 0;
    }
    int rc = research_stats_mann_whitney(a, a_count, b, b_count, &comparison->test);
    if (rc == 0) {
        comparison->cliffs_delta = research_stats_cliffs_delta(a, a_count, b, b_count);
        rc = research_stats_bootstrap_mean_difference(
            a, a_count, b, b_count, RESEARCH_BOOTSTRAP_RESAMPLES, RESEARCH_BOOTSTRAP_SEED,
            &comparison->interval);
    }
    comparison->available = rc == 0;
    return rc;
}

static int report_compare(struct research_report *report)
{
    if (report->compare_a < 0) {
        for (int m = 0; m < RESEARCH_MEASURES; m++) {
            snprintf(report->comparisons[m].reason, sizeof report->comparisons[m].reason,
                     "fewer than two phases with data");
        }
        return 0;
    }
    /* Answer by answer (the wrong unit: answers cluster by day), so only descriptive and
       never the verdict; refused where a range would need a made-up value. */
    const struct research_report_phase *a = &report->phases[report->compare_a];
    const struct research_report_phase *b = &report->phases[report->compare_b];
    for (int m = 0; m < RESEARCH_MOMENTS; m++) {
        struct research_report_comparison *comparison = &report->comparisons[m];
        if (a->stress[m].in_ranges > 0 || b->stress[m].in_ranges > 0) {
            comparison->a = a->stress[m].summary;
            comparison->b = b->stress[m].summary;
            snprintf(comparison->reason, sizeof comparison->reason,
                     "%lld answers were published only as ranges (k-anonymity): a test on single "
                     "answers would need a made-up value for them; see the tests on days and "
                     "weeks, which give bounds",
                     (long long)(a->stress[m].in_ranges + b->stress[m].in_ranges));
            continue;
        }
        int rc = report_compare_cells(comparison, a->stress[m].low, a->stress[m].low_count,
                                      b->stress[m].low, b->stress[m].low_count);
        if (rc != 0) {
            return rc;
        }
    }
    snprintf(report->comparisons[RESEARCH_MEASURE_WAIT_MINUTES].reason, RESEARCH_NOTE_MAX,
             "waiting times are published as bands (0-5, 5-10 ... 60+ minutes), not minutes: "
             "see the tests on days, which give bounds");
    snprintf(report->comparisons[RESEARCH_MEASURE_INCIDENTS_PER_100].reason, RESEARCH_NOTE_MAX,
             "incidents are compared as a rate per 100 arrivals (Poisson rate ratio): see the "
             "tests");
    for (int m = RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH; m < RESEARCH_MEASURES; m++) {
        snprintf(report->comparisons[m].reason, RESEARCH_NOTE_MAX,
                 "the share of answers " EVALUATION_STRESS_CUT_TEXT
                 " or higher is tested on days or weeks, and only when it "
                 "is the declared primary outcome");
    }
    return 0;
}

/* ---- compute --------------------------------------------------------------------------- */

static int report_choose_phases(struct research_report *report, const char *compare_a,
                                const char *compare_b, char *err, size_t err_size)
{
    report->compare_a = report->compare_b = -1;
    if (compare_a != NULL || compare_b != NULL) {
        int a = compare_a ? report_phase_index(report, compare_a) : -1;
        int b = compare_b ? report_phase_index(report, compare_b) : -1;
        if (a < 0 || b < 0 || a == b) {
            char known[RESEARCH_NOTE_MAX] = "";
            size_t used = 0;
            for (size_t p = 0; p < report->phase_count && used < sizeof known; p++) {
                int length = snprintf(known + used, sizeof known - used, "%s%s", p ? ", " : "",
                                      report->phases[p].name);
                used += length > 0 ? (size_t)length : 0;
            }
            snprintf(err, err_size, "--compare %s %s: give two different phases that have data: %s",
                     compare_a ? compare_a : "?", compare_b ? compare_b : "?",
                     report->phase_count ? known : "(none)");
            return -EINVAL;
        }
        report->compare_a = a;
        report->compare_b = b;
        return 0;
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        if (strcmp(report->phases[p].name, PHASE_NONE) == 0) {
            continue;
        }
        if (report->compare_a < 0) {
            report->compare_a = (int)p;
        } else if (report->compare_b < 0) {
            report->compare_b = (int)p;
        }
    }
    if (report->compare_b < 0) {
        report->compare_a = -1;
    }
    return 0;
}

int research_report_compute(const struct research_dataset *dataset, const char *compare_a,
                            const char *compare_b, struct research_report **out, char *err,
                            size_t err_size)
{
    return research_report_compute_evaluation(dataset, compare_a, compare_b, NULL, out, err,
                                              err_size);
}

int research_report_compute_evaluation(const struct research_dataset *dataset,
                                       const char *compare_a, const char *compare_b,
                                       const struct evaluation_config *evaluation,
                                       struct research_report **out, char *err, size_t err_size)
{
    *out = NULL;
    struct research_report *report = calloc(1, sizeof *report);
    if (report == NULL) {
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    if (evaluation != NULL) {
        report->evaluation = *evaluation;
    } else {
        evaluation_config_defaults(&report->evaluation);
    }
    report->k = dataset->k;
    report->first_day = dataset->first_day;
    report->last_day = dataset->last_day;
    report->site_count = dataset->site_count;
    size_t used = 0;
    for (size_t s = 0; s < dataset->site_count; s++) {
        bool seen = false;
        for (size_t t = 0; t < s && !seen; t++) {
            seen = strcmp(dataset->sites[t].name, dataset->sites[s].name) == 0;
        }
        report->incidents_counted = report->incidents_counted || dataset->sites[s].has_incidents;
        if (!seen && used < sizeof report->sites) {
            int length = snprintf(report->sites + used, sizeof report->sites - used, "%s%s",
                                  used ? ", " : "", dataset->sites[s].name);
            used += length > 0 ? (size_t)length : 0;
        }
    }
    for (size_t i = 0; i < dataset->note_count; i++) {
        snprintf(report->notes[i], sizeof report->notes[i], "%s", dataset->notes[i]);
    }
    report->note_count = dataset->note_count;

    struct report_work work = {0};
    report_collect_phases(dataset, report);
    int rc = report_accumulate(dataset, report, &work);
    if (rc == 0) {
        report_finish(report, &work);
        rc = report_choose_phases(report, compare_a, compare_b, err, err_size);
    }
    if (rc == 0) {
        rc = report_compare(report);
    }
    if (rc == 0) {
        rc = research_report_compute_eval(dataset, report);
    }
    if (rc == 0) {
        rc = research_report_compute_design(dataset, report);
    }
    if (rc == 0) {
        rc = research_report_compute_randomised(dataset, report);
    }
    free(work.week_by_phase);
    if (rc != 0) {
        if (rc == -ENOMEM) {
            snprintf(err, err_size, "out of memory");
        }
        research_report_free(report);
        return rc;
    }
    if (report->compare_a >= 0) {
        int64_t n_a = report->phases[report->compare_a].stress[0].summary.n;
        int64_t n_b = report->phases[report->compare_b].stress[0].summary.n;
        report->small_sample =
            n_a < RESEARCH_REPORT_SMALL_SAMPLE || n_b < RESEARCH_REPORT_SMALL_SAMPLE;
    }
    report_summarise(report, true);
    report_summarise(report, false);
    *out = report;
    return 0;
}

void research_report_free(struct research_report *report)
{
    if (report == NULL) {
        return;
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            free(report->phases[p].stress[m].low);
            free(report->phases[p].stress[m].high);
        }
        free(report->phases[p].wait.low);
        free(report->phases[p].wait.high);
    }
    for (size_t i = 0; i < report->codebook_count; i++) {
        free(report->codebook[i].text);
    }
    free(report->codebook);
    research_report_free_design(report);
    research_report_free_randomised(report);
    free(report->weeks);
    free(report->site_rows);
    free(report);
}
