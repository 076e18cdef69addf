/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for research_report: the before/after report is computed from published rows only,
 * its counts are sums of published counts (never below k), its statistics are those of the
 * published cells, it compares the right phases, cautions about small samples in Dutch and
 * English, and writes PDF, SVG, PNG and JSON files. Data: a kiosk on simulated days
 * (test_research_kiosk.h) with calmer answers and shorter waits after the redesign.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "core/log.h"
#include "research/research_export.h"
#include "research/research_report.h"
#include "unit/test_research_util.h"
#include "unit/store_fixture.h"
#include "unit/test_research_kiosk.h"

struct fixture {
    char dir[64];
    char path[128];
    struct phase_list phases;
    uint64_t seed;
};

static int setup(void **state)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, "/tmp/oase-report-XXXXXX");
    snprintf(fixture->path, sizeof fixture->path, "%s/oase.db", fixture->dir);
    store_fixture_add_phases(&fixture->phases, 2);
    fixture->seed = 20260105;
    *state = fixture;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fixture = *state;
    store_fixture_remove_dir(fixture->dir);
    free(fixture);
    return 0;
}

/* Seven weeks before the redesign and seven after: calmer answers, shorter waits, fewer
 * incidents after. per_hour visitors an hour on weekdays, 9 to 13. */
static void redesign_site(struct fixture *fixture, int per_hour)
{
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    struct kiosk_profile before = {per_hour, 4, 5, 15, 10, 25, 40, 2};
    struct kiosk_profile after = {per_hour, 2, 5, 10, 5, 15, 40, 1};
    kiosk_weeks(store, "2026-01-05", "2026-02-22", before, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-19", after, &fixture->seed);
    for (int week = 0; week < 7; week++) {
        char date[RESEARCH_DATE_SIZE];
        int32_t day = 0;
        assert_int_equal(research_day_parse("2026-01-06", &day), 0);
        research_day_format(day + 7 * week, date);
        for (int i = 0; i < (week < 6 ? 3 : 5); i++) { /* pools of two weeks, then one */
            assert_true(store_incident(store, kiosk_at(date, 10, i), "verbal") > 0);
        }
        research_day_format(day + 56 + 7 * week, date);
        /* one a week after, then five: the quiet weeks close their pool of k = 5 (a pool
           still open at the end is not published, docs/research.md) */
        for (int i = 0; i < (week < 5 ? 1 : 5); i++) {
            assert_true(store_incident(store, kiosk_at(date, 10, i), "verbal") > 0);
        }
    }
    store_flush(store);
    store_close(store);
}

static struct research_dataset *build(struct fixture *fixture)
{
    const char *paths[] = {fixture->path};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 1, .today = "2026-06-01", .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    if (research_dataset_build(&options, &dataset, err, sizeof err) != 0) {
        fail_msg("research_dataset_build: %s", err);
    }
    return dataset;
}

static struct research_report *compute(const struct research_dataset *dataset, const char *a,
                                       const char *b)
{
    char err[512] = "";
    struct research_report *report = NULL;
    if (research_report_compute(dataset, a, b, &report, err, sizeof err) != 0) {
        fail_msg("research_report_compute: %s", err);
    }
    return report;
}

static const char *series_text(const struct research_dataset *dataset, int table,
                               const struct research_row *row, int part)
{
    return research_dataset_text(dataset, dataset->tables[table].series[row->series].text[part]);
}

static void test_report_counts_are_sums_of_published_rows(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 3);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    assert_int_equal(report->phase_count, 2);
    assert_string_equal(report->phases[0].name, "baseline"); /* by start date, not by name */
    assert_string_equal(report->phases[1].name, "after");
    for (size_t p = 0; p < report->phase_count; p++) {
        int64_t arrivals = 0, completed = 0, stress = 0, skipped = 0, hidden = 0, incidents = 0;
        for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
            const struct research_kanon_result *rows = &dataset->tables[t].published;
            for (size_t r = 0; r < rows->row_count; r++) {
                const struct research_row *row = &rows->rows[r];
                if (strcmp(series_text(dataset, t, row, 1), report->phases[p].name) != 0) {
                    continue;
                }
                if (t == RESEARCH_ARRIVALS) {
                    arrivals += row->n;
                } else if (t == RESEARCH_INCIDENTS) {
                    incidents += row->n;
                } else if (t == RESEARCH_JOURNEYS &&
                           strcmp(series_text(dataset, t, row, 2), "arrival") == 0 &&
                           strcmp(series_text(dataset, t, row, 3), "completed") == 0) {
                    completed += row->n;
                } else if (t == RESEARCH_ANSWERS &&
                           strcmp(series_text(dataset, t, row, 2), "arrival") == 0) {
                    char answer[32];
                    research_row_key_text(dataset, RESEARCH_ANSWERS, row, 0, answer, sizeof answer);
                    if (row->note == RESEARCH_NOTE_REMAINDER) {
                        hidden += row->n;
                    } else if (strcmp(answer, "skip") == 0) {
                        skipped += row->n;
                    } else {
                        stress += row->n;
                    }
                }
            }
        }
        const struct research_report_phase *phase = &report->phases[p];
        assert_true(arrivals > 0 && stress > 0 && incidents > 0);
        assert_int_equal(phase->arrivals, arrivals);
        assert_int_equal(phase->completed[RESEARCH_AT_ARRIVAL], completed);
        assert_int_equal(phase->stress[RESEARCH_AT_ARRIVAL].summary.n, stress);
        assert_int_equal(phase->stress[RESEARCH_AT_ARRIVAL].skipped, skipped);
        assert_int_equal(phase->stress[RESEARCH_AT_ARRIVAL].hidden, hidden);
        assert_int_equal(phase->incidents, incidents);
        assert_true(fabs(phase->response_rate_completed - (double)stress / (double)completed) <
                    1e-12);
        assert_true(fabs(phase->incidents_per_100 - 100.0 * (double)incidents / (double)arrivals) <
                    1e-12);
    }
    research_report_free(report);
    research_dataset_free(dataset);
}

static void test_report_shows_no_count_below_k(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 2);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    int k = report->k;
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            const struct research_report_values *values = &phase->stress[m];
            for (int v = 0; v < RESEARCH_REPORT_SCALE; v++) {
                assert_true(values->exact[v] == 0 || values->exact[v] >= k);
            }
            assert_true(values->skipped == 0 || values->skipped >= k);
            assert_true(values->hidden == 0 || values->hidden >= k);
            assert_true(values->in_ranges == 0 || values->in_ranges >= k);
        }
        assert_true(phase->arrivals == 0 || phase->arrivals >= k);
        assert_true(phase->incidents == 0 || phase->incidents >= k);
    }
    for (size_t w = 0; w < report->week_count; w++) {
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            assert_true(report->weeks[w].n[m] == 0 || report->weeks[w].n[m] >= k);
        }
    }
    for (size_t s = 0; s < report->site_row_count; s++) {
        assert_true(report->site_rows[s].responses == 0 || report->site_rows[s].responses >= k);
    }
    research_report_free(report);
    research_dataset_free(dataset);
}

static void test_report_finds_calmer_answers_and_shorter_waits_after_the_redesign(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 3);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    assert_int_equal(report->compare_a, 0);
    assert_int_equal(report->compare_b, 1);
    /* answers were drawn from 4..8 before and 2..6 after: about 2 points lower. The primary
       (by default: an interrupted time series of weekly means) finds it; the answers merged
       into ranges make its estimate an interval, never a midpoint. */
    const struct research_report_test *primary = &report->primary;
    assert_true(primary->available);
    assert_string_equal(primary->design, "interrupted_time_series");
    assert_string_equal(primary->unit, "week");
    assert_int_equal(primary->n_units, 14);
    if (primary->ranged) {
        assert_true(isnan(primary->estimate));
        assert_true(primary->estimate_low < primary->estimate_high);
    } else {
        assert_true(primary->estimate == primary->estimate_low);
        assert_true(primary->estimate == primary->estimate_high);
    }
    assert_true(primary->estimate_high < -1.0 && primary->estimate_low > -3.0);
    assert_true(primary->ci_high < 0 && primary->p < 0.01);
    assert_true(report->comparisons[RESEARCH_MEASURE_STRESS_ARRIVAL].available ==
                (report->phases[0].stress[0].in_ranges + report->phases[1].stress[0].in_ranges ==
                 0)); /* a test on single answers only when no answer is in a range */
    const struct research_report_test *incidents = NULL, *before_after = NULL;
    for (size_t i = 0; i < report->test_count; i++) {
        const struct research_report_test *test = &report->tests[i];
        assert_true(isnan(test->p) || test->adjusted_p >= test->p); /* Holm never lowers p */
        if (test->measure == RESEARCH_MEASURE_INCIDENTS_PER_100) {
            incidents = test;
        }
        if (test->measure == RESEARCH_MEASURE_STRESS_ARRIVAL &&
            strcmp(test->design, "before_after") == 0) {
            before_after = test;
        }
    }
    assert_non_null(incidents);
    assert_true(incidents->available && incidents->estimate < 1); /* 3 a week before, 1 after */
    const struct research_report_phase *a = &report->phases[0], *b = &report->phases[1];
    assert_true(fabs(incidents->estimate - ((double)b->incidents / (double)b->arrivals) /
                                               ((double)a->incidents / (double)a->arrivals)) <
                1e-9);
    assert_false(report->small_sample);
    assert_non_null(strstr(report->summary_en, "Verdict: an effect is shown"));
    assert_non_null(strstr(report->summary_en, "no control site"));
    assert_non_null(strstr(report->summary_nl, "Oordeel: een effect is aangetoond"));
    assert_null(strstr(report->summary_en, "Caution"));

    /* The bounds of the before/after test, recomputed here on their own: each week's mean with
       its ranges at the lowest and at the highest value; the least difference puts the weeks
       after at their highest and those before at their lowest. */
    assert_non_null(before_after);
    double sums[2][2][32], n[2][32];
    int32_t mondays[2][32];
    size_t weeks[2] = {0, 0};
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    for (size_t r = 0; r < answers->published.row_count; r++) {
        const struct research_row *row = &answers->published.rows[r];
        int phase = strcmp(series_text(dataset, RESEARCH_ANSWERS, row, 1), "after") == 0;
        const struct research_key_order *lo = &answers->key_order[row->key];
        const struct research_key_order *hi = &answers->key_order[row->key_last];
        if (row->note == RESEARCH_NOTE_REMAINDER || row->note == RESEARCH_NOTE_SUPPRESSED ||
            row->level == RESEARCH_LEVEL_POOLED_WEEKS || lo->group < 0 ||
            strcmp(series_text(dataset, RESEARCH_ANSWERS, row, 2), "arrival") != 0) {
            continue;
        }
        size_t w = 0;
        while (w < weeks[phase] && mondays[phase][w] != row->first_day) {
            w++;
        }
        if (w == weeks[phase]) {
            assert_true(w < 32);
            mondays[phase][w] = row->first_day;
            sums[phase][0][w] = sums[phase][1][w] = n[phase][w] = 0;
            weeks[phase]++;
        }
        sums[phase][0][w] += lo->position * (double)row->n;
        sums[phase][1][w] += hi->position * (double)row->n;
        n[phase][w] += (double)row->n;
    }
    double means[2][2][32];
    for (int phase = 0; phase < 2; phase++) {
        for (size_t w = 0; w < weeks[phase]; w++) {
            means[phase][0][w] = sums[phase][0][w] / n[phase][w];
            means[phase][1][w] = sums[phase][1][w] / n[phase][w];
        }
    }
    struct research_estimate low, high;
    assert_int_equal(research_infer_welch(means[0][1], weeks[0], means[1][0], weeks[1], 0.05, &low),
                     0);
    assert_int_equal(
        research_infer_welch(means[0][0], weeks[0], means[1][1], weeks[1], 0.05, &high), 0);
    assert_true(fabs(low.estimate - before_after->estimate_low) < 1e-9);
    assert_true(fabs(high.estimate - before_after->estimate_high) < 1e-9);
    assert_true(fabs(low.ci_low - before_after->ci_low) < 1e-9);
    assert_true(fabs(high.ci_high - before_after->ci_high) < 1e-9);
    assert_true(fabs((low.p > high.p ? low.p : high.p) - before_after->p) < 1e-12);
    research_report_free(report);
    research_dataset_free(dataset);
}

static void test_small_samples_bring_a_caution_in_both_languages(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    struct kiosk_profile quiet = {2, 3, 4, 10, 5, 10, 0, 0};
    kiosk_weeks(store, "2026-02-23", "2026-02-24", quiet, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-03-03", quiet, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    assert_true(report->small_sample);
    assert_non_null(strstr(report->summary_en, "Caution: a phase has fewer than 30 answers"));
    assert_non_null(strstr(report->summary_nl, "Let op: een fase heeft minder dan 30"));
    research_report_free(report);
    research_dataset_free(dataset);
}

static const struct research_report_test *find_test(const struct research_report *report,
                                                    enum research_measure measure,
                                                    const char *design, const char *term);

static void test_named_phases_are_compared_and_unknown_ones_refused(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 2);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, "after", "baseline");
    assert_string_equal(report->phases[report->compare_a].name, "after");
    assert_false(report->primary.available); /* a time series only runs forward */
    assert_non_null(strstr(report->primary.reason, "earlier phase"));
    const struct research_report_test *before_after =
        find_test(report, RESEARCH_MEASURE_STRESS_ARRIVAL, "before_after", "difference");
    assert_true(before_after->estimate_low > 0); /* after -> baseline: stress went up */
    research_report_free(report);
    char err[512] = "";
    assert_int_equal(
        research_report_compute(dataset, "baseline", "redesign", &report, err, sizeof err),
        -EINVAL);
    assert_null(report);
    assert_non_null(strstr(err, "baseline, after")); /* the phases that do have data */
    research_dataset_free(dataset);
}

static void test_a_single_phase_gives_a_report_without_comparison(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-01-18", KIOSK_DEFAULT, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    assert_int_equal(report->compare_a, -1);
    assert_false(report->comparisons[RESEARCH_MEASURE_STRESS_ARRIVAL].available);
    assert_non_null(strstr(report->summary_en, "no before/after comparison yet"));
    char out[160], err[256];
    snprintf(out, sizeof out, "%s/one.pdf", fixture->dir);
    assert_int_equal(research_report_render(report, out, err, sizeof err), 0);
    research_report_free(report);
    research_dataset_free(dataset);
}

/* The first bytes of a file, and its size. */
static size_t file_head(const char *path, unsigned char *head, size_t size)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    size_t got = fread(head, 1, size, file);
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fclose(file);
    assert_int_equal(got, size);
    return (size_t)length;
}

static void test_report_files_are_written_with_the_right_magic_bytes(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 2);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    static const struct {
        const char *name;
        const char *magic;
        size_t magic_size;
    } files[] = {{"report.pdf", "%PDF-", 5},
                 {"report.svg", "<?xml", 5},
                 {"report.png", "\x89PNG\r\n\x1a\n", 8}};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[160], err[256] = "";
        snprintf(path, sizeof path, "%s/%s", fixture->dir, files[f].name);
        assert_int_equal(research_report_render(report, path, err, sizeof err), 0);
        unsigned char head[8];
        size_t size = file_head(path, head, files[f].magic_size);
        assert_true(size > 4000);
        assert_memory_equal(head, files[f].magic, files[f].magic_size);
    }
    char path[160], err[256] = "";
    snprintf(path, sizeof path, "%s/report.txt", fixture->dir);
    assert_int_equal(research_report_render(report, path, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, ".pdf, .svg or .png"));

    char *json = NULL;
    size_t json_size = 0;
    FILE *out = open_memstream(&json, &json_size);
    assert_int_equal(research_report_write_json(report, out), 0);
    fclose(out);
    if (getenv("OASE_REPORT_JSON") != NULL) { /* for a look by hand */
        FILE *copy = fopen(getenv("OASE_REPORT_JSON"), "w");
        if (copy != NULL) {
            fputs(json, copy);
            fclose(copy);
        }
    }
    assert_non_null(strstr(json, "\"format\": \"oase-research-report\""));
    assert_non_null(strstr(json, "\"primary\": {\"outcome\": \"stress_arrival\", \"design\": "
                                 "\"interrupted_time_series\""));
    assert_non_null(strstr(json, "\"adjusted_p\": "));
    assert_non_null(strstr(json, "\"n_units\": 14"));
    assert_non_null(strstr(json, "\"warnings\": [\""));
    assert_non_null(strstr(json, "\"a\": \"baseline\", \"b\": \"after\""));
    free(json);
    research_report_free(report);
    research_dataset_free(dataset);
}

/* Weekdays from first to last; stress answers drift: answer_low on day d is drawn so that its
 * mean is start + per_week * weeks since first (a smooth trend, no step anywhere). */
static void drifting_weeks(struct store *store, const char *first, const char *last, double start,
                           double per_week, int32_t origin, uint64_t *seed)
{
    int32_t from = 0, to = 0;
    assert_int_equal(research_day_parse(first, &from), 0);
    assert_int_equal(research_day_parse(last, &to), 0);
    for (int32_t day = from; day <= to; day++) {
        if (research_day_weekday(day) < 5) {
            double target = start + per_week * (day - origin) / 7.0;
            double dither = (double)(research_test_random(seed) % 1000) / 1000.0;
            struct kiosk_profile profile = {4, (int)floor(target + dither), 3, 10, 4, 12, 0, 0};
            kiosk_day(store, day, &profile, seed);
        }
        char next[RESEARCH_DATE_SIZE];
        research_day_format(day + 1, next);
        store_tick(store, kiosk_at(next, 0, 30)); /* midnight: fold, leftovers withheld */
        store_flush(store);
    }
}

static const struct research_report_test *find_test(const struct research_report *report,
                                                    enum research_measure measure,
                                                    const char *design, const char *term)
{
    for (size_t i = 0; i < report->test_count; i++) {
        const struct research_report_test *test = &report->tests[i];
        if (test->measure == measure && strcmp(test->design, design) == 0 &&
            strcmp(test->term, term) == 0) {
            return test;
        }
    }
    return NULL;
}

/* A slow drift and no redesign effect: the before/after comparison is fooled, the declared
 * interrupted time series is not ("on trend-only data the primary verdict is 'no
 * effect shown'"). */
static void test_trend_only_data_shows_no_effect(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    int32_t origin = 0;
    assert_int_equal(research_day_parse("2026-01-05", &origin), 0);
    drifting_weeks(store, "2026-01-05", "2026-04-26", 2.0, 0.2, origin, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    char err[512] = "";
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    const struct research_report_test *primary = &report->primary;
    print_message("  trend only: level change %.3f .. %.3f, p %.3f\n", primary->estimate_low,
                  primary->estimate_high, primary->p);
    assert_true(primary->available);
    assert_string_equal(primary->design, "interrupted_time_series");
    assert_int_equal(primary->n_units, 16);
    assert_true(primary->p >= 0.05);
    assert_non_null(strstr(report->verdict_en, "Verdict: no effect shown"));
    assert_non_null(strstr(report->verdict_nl, "Oordeel: geen effect aangetoond"));
    assert_non_null(strstr(report->verdict_en, "(declared in advance)"));
    const struct research_report_test *before_after =
        find_test(report, RESEARCH_MEASURE_STRESS_ARRIVAL, "before_after", "difference");
    assert_non_null(before_after);
    assert_true(before_after->estimate_low > 1.0); /* the drift: 1.6 points between the means */
    assert_true(before_after->p < 0.001);          /* ... which a before/after calls an effect */
    research_report_free(report);
    research_dataset_free(dataset);
}

/* Two sites: zuid redesigned (2 points calmer), noord declared as control; both share a
 * change of +1 (the season). The controlled primary removes the season; the pooled tests
 * cannot. */
/* A refused primary says why in the language of the verdict: a manager reading the Dutch
 * verdict gets no English in it. */
static void test_a_refused_primary_says_why_in_dutch_too(void **state)
{
    struct fixture *fixture = *state;
    struct kiosk_profile before = {4, 4, 3, 10, 4, 12, 0, 0};
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-03-01", before, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-26", before, &fixture->seed);
    store_close(store);
    const char *paths[] = {fixture->path};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 1, .today = "2026-06-01", .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), 0);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.design = EVALUATION_CONTROLLED; /* and no control site declared */
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    assert_false(report->primary.available);
    assert_non_null(strstr(report->verdict_en, "no control site declared"));
    assert_non_null(strstr(report->verdict_nl, "geen controlelocatie opgegeven"));
    assert_null(strstr(report->verdict_nl, "no control site"));
    research_report_free(report);
    research_dataset_free(dataset);
}

/* A reason that names a measure names it in the verdict's language: the Dutch verdict of a
 * declared departure stress without departure answers says "stress bij vertrek", not "stress on
 * leaving". */
static void test_a_dutch_reason_names_the_measure_in_dutch(void **state)
{
    struct fixture *fixture = *state;
    struct kiosk_profile nobody_taps_on_leaving = {4, 4, 3, 10, 4, 12, 0, 0};
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-02-01", nobody_taps_on_leaving, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-03-29", nobody_taps_on_leaving, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.primary = EVALUATION_STRESS_DEPARTURE;
    evaluation.design = EVALUATION_BEFORE_AFTER;
    char err[512] = "";
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    assert_false(report->primary.available);
    assert_string_equal(report->primary.reason,
                        "no published stress on leaving (0-10) in the compared phases");
    assert_string_equal(report->primary.reason_nl,
                        "geen gepubliceerde stress bij vertrek (0-10) in de vergeleken fasen");
    assert_null(strstr(report->verdict_nl, "on leaving"));
    research_report_free(report);
    research_dataset_free(dataset);
}

/* A declared share of answers at or above the cut is tested in the declared design (here
 * before/after on days or, quiet as these are, weeks) as the primary, in percentage points; the
 * exploratory battery gets no test of a share. */
static void test_a_declared_share_is_tested_as_declared_and_explored_too(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 3); /* answers 4..8 before, 2..6 after: at a cut of 5 80 % and 40 % */
    struct research_dataset *dataset = build(fixture);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.primary = EVALUATION_STRESS_ARRIVAL_HIGH;
    evaluation.design = EVALUATION_BEFORE_AFTER;
    char err[512] = "";
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    const struct research_report_test *primary = &report->primary;
    print_message("  share before/after: %.2f .. %.2f pp, p %.2g, %zu %s\n", primary->estimate_low,
                  primary->estimate_high, primary->p, primary->n_units, primary->unit);
    assert_true(primary->available);
    assert_string_equal(primary->outcome, "stress_arrival_high");
    assert_string_equal(primary->design, "before_after");
    assert_true(strncmp(primary->unit, "day", 3) == 0 || strcmp(primary->unit, "week") == 0);
    assert_true(primary->estimate_low > -55 && primary->estimate_high < -25);
    assert_true(primary->p < 0.001);
    assert_non_null(strstr(report->verdict_en,
                           "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT
                           " or higher"));
    assert_non_null(strstr(report->verdict_en, "in percentage points"));
    assert_non_null(strstr(report->verdict_nl,
                           "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger"));
    /* exploratory: the means' battery, and the share's other designs (its declared one is the
       primary, not repeated) */
    size_t means = 0, shares = 0;
    for (size_t i = 0; i < report->test_count; i++) {
        const struct research_report_test *test = &report->tests[i];
        if (RESEARCH_MEASURE_IS_STRESS_SHARE(test->measure)) {
            assert_string_not_equal(test->design, "before_after");
            shares++;
        } else {
            means++;
        }
    }
    assert_true(shares >= 1);
    assert_non_null(find_test(report, RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH,
                              "interrupted_time_series", "level_change"));
    assert_non_null(
        find_test(report, RESEARCH_MEASURE_STRESS_ARRIVAL, "before_after", "difference"));
    research_report_free(report);
    /* the same data with the mean declared: no share is tested, and the means' battery is the
       same less the mean's own primary */
    evaluation.primary = EVALUATION_STRESS_ARRIVAL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    for (size_t i = 0; i < report->test_count; i++) {
        assert_false(RESEARCH_MEASURE_IS_STRESS_SHARE(report->tests[i].measure));
    }
    assert_int_equal(report->test_count + 1, means);
    research_report_free(report);
    research_dataset_free(dataset);
}

/* The conversions of a printf format in order ("%zu" as "zu"), into out. */
static void format_conversions(const char *format, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = format; *c; c++) {
        if (*c == '%' && c[1] && n + 3 < size) {
            c++;
            if (*c == 'z') {
                out[n++] = *c++;
            }
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

/* Every Dutch reason takes the arguments of its English one: the same conversions in the
 * same order (a mismatch would read the wrong argument). */
static void test_dutch_reasons_take_the_english_arguments(void **state)
{
    (void)state;
    assert_true(research_reason_count() > 0);
    for (size_t i = 0; i < research_reason_count(); i++) {
        const char *en = NULL, *nl = NULL;
        research_reason_pair(i, &en, &nl);
        char a[32], b[32];
        format_conversions(en, a, sizeof a);
        format_conversions(nl, b, sizeof b);
        if (strcmp(a, b) != 0) {
            fail_msg("\"%s\" takes %s, its Dutch \"%s\" takes %s", en, a, nl, b);
        }
        assert_ptr_equal(research_reason_nl(en), nl);
    }
}

static void test_control_site_gives_a_difference_in_differences(void **state)
{
    struct fixture *fixture = *state;
    char noord[160];
    snprintf(noord, sizeof noord, "%s/noord.db", fixture->dir);
    struct kiosk_profile zuid_before = {4, 4, 3, 10, 4, 12, 0, 0};
    struct kiosk_profile zuid_after = {4, 3, 3, 10, 4, 12, 0, 0};
    struct kiosk_profile noord_before = {4, 4, 3, 10, 4, 12, 0, 0};
    struct kiosk_profile noord_after = {4, 5, 3, 10, 4, 12, 0, 0};
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-03-01", zuid_before, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-26", zuid_after, &fixture->seed);
    store_close(store);
    store = kiosk_open(noord, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-03-01", noord_before, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-26", noord_after, &fixture->seed);
    store_close(store);
    const char *paths[] = {fixture->path, noord};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 2, .today = "2026-06-01", .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), 0);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.design = EVALUATION_CONTROLLED;
    evaluation.control_count = 1;
    snprintf(evaluation.control_sites[0], sizeof evaluation.control_sites[0], "noord");
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report,
                                                        err, sizeof err),
                     0);
    assert_true(report->has_control);
    const struct research_report_test *primary = &report->primary;
    print_message("  control site: difference in differences %.3f .. %.3f (CI %.3f .. %.3f), p "
                  "%.2g, %zu units\n",
                  primary->estimate_low, primary->estimate_high, primary->ci_low, primary->ci_high,
                  primary->p, primary->n_units);
    assert_true(primary->available);
    assert_string_equal(primary->design, "controlled");
    assert_string_equal(primary->term, "difference_in_differences");
    /* the true effect is -2: the bounds hold it, and the interval is clear of 0 */
    assert_true(primary->estimate_low <= -1.5 && primary->estimate_high >= -2.5);
    assert_true(primary->ci_high < 0 && primary->p < 0.05);
    bool per_arm = false;
    for (size_t i = 0; i < primary->warning_count; i++) {
        per_arm = per_arm || strstr(primary->warnings[i], "at least 2 sites per arm") != NULL;
    }
    assert_true(per_arm);
    assert_non_null(strstr(report->verdict_en, "with control sites"));
    /* The treated site on its own sees only -1 (the effect plus the season). */
    const struct research_report_test *before_after =
        find_test(report, RESEARCH_MEASURE_STRESS_ARRIVAL, "before_after", "difference");
    assert_non_null(before_after);
    assert_true(before_after->estimate_high > -1.5);
    char pdf[160];
    snprintf(pdf, sizeof pdf, "%s/controlled.pdf",
             getenv("OASE_REPORT_DIR") ? getenv("OASE_REPORT_DIR") : fixture->dir);
    assert_int_equal(research_report_render(report, pdf, err, sizeof err), 0); /* two sites */
    research_report_free(report);
    research_dataset_free(dataset);
}

/* The self-selection caution fires from a 5-point difference in response rates (the evaluation
 * model: it stayed silent at 10), and the non-response bounds hold the responders' difference. */
static void test_response_rates_apart_by_five_points_bring_the_caution(void **state)
{
    struct fixture *fixture = *state;
    struct kiosk_profile before = {4, 4, 3, 10, 4, 12, 0, 0};
    struct kiosk_profile after = {4, 4, 3, 20, 4, 12, 0, 0}; /* 10 points more skips */
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-03-01", before, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-26", after, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    double rate_a = report->phases[report->compare_a].response_rate_completed;
    double rate_b = report->phases[report->compare_b].response_rate_completed;
    print_message("  response rates %.3f and %.3f; non-response bounds %.2f .. %.2f\n", rate_a,
                  rate_b, report->nonresponse_low, report->nonresponse_high);
    assert_true(fabs(rate_a - rate_b) >= 0.05 && fabs(rate_a - rate_b) < 0.10);
    assert_true(report->self_selection);
    assert_non_null(strstr(report->summary_en, "self-selection"));
    assert_non_null(strstr(report->summary_nl, "zelfselectie"));
    /* the same answers in both phases: the responders' difference is about 0, and the bounds
       (non-responders like the lowest or the highest) lie around it */
    assert_true(report->nonresponse_low < -0.2 && report->nonresponse_high > 0.2);
    assert_non_null(strstr(report->verdict_en, "Had those who gave no score answered"));
    research_report_free(report);
    research_dataset_free(dataset);
}

/*
 * LeakSanitizer (make asan) reads this: fontconfig keeps about 300 bytes for good once cairo
 * has looked up its first font by name; that memory is fontconfig's, not the report's.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* Incidents that come in a bad week: 40 before (30 of them in one week) and 20 after, with the
   same arrivals. The Poisson interval on the phase totals (0.29 to 0.86) called this an effect;
   weeks as units see that incidents vary far more than a Poisson count and widen it past 1. */
static void test_clustered_incidents_widen_the_rate_ratio(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    struct kiosk_profile profile = {3, 4, 5, 15, 10, 25, 0, 0};
    kiosk_weeks(store, "2026-01-05", "2026-02-22", profile, &fixture->seed);
    kiosk_weeks(store, "2026-03-02", "2026-04-19", profile, &fixture->seed);
    static const int per_week[2][7] = {{5, 0, 30, 0, 5, 0, 0}, {5, 5, 5, 5, 0, 0, 0}};
    for (int side = 0; side < 2; side++) {
        for (int week = 0; week < 7; week++) {
            char date[RESEARCH_DATE_SIZE];
            int32_t day = 0;
            assert_int_equal(research_day_parse("2026-01-06", &day), 0);
            research_day_format(day + 56 * side + 7 * week, date);
            for (int i = 0; i < per_week[side][week]; i++) {
                assert_true(store_incident(store, kiosk_at(date, 10, i % 50), "verbal") > 0);
            }
        }
    }
    store_flush(store);
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    const struct research_report_test *incidents = NULL;
    for (size_t i = 0; i < report->test_count; i++) {
        if (report->tests[i].measure == RESEARCH_MEASURE_INCIDENTS_PER_100) {
            incidents = &report->tests[i];
        }
    }
    assert_non_null(incidents);
    assert_true(incidents->available);
    const struct research_report_phase *a = &report->phases[0], *b = &report->phases[1];
    assert_int_equal(a->incidents, 40);
    assert_int_equal(b->incidents, 20);
    print_message("  clustered incidents: ratio %.3f (95 %% CI %.3f .. %.3f), p %.3g, %zu units\n",
                  incidents->estimate, incidents->ci_low, incidents->ci_high, incidents->p,
                  incidents->n_units);
    assert_true(fabs(incidents->estimate - ((double)b->incidents / (double)b->arrivals) /
                                               ((double)a->incidents / (double)a->arrivals)) <
                1e-9);
    assert_true(incidents->ci_high > 1 && incidents->p > 0.05); /* no effect shown */
    assert_true(incidents->n_units >= 4 && incidents->unit_exposure != NULL);
    bool said = false;
    for (size_t i = 0; i < incidents->warning_count; i++) {
        said = said || strstr(incidents->warnings[i], "quasi-Poisson") != NULL;
    }
    assert_true(said); /* the dispersion is reported */
    research_report_free(report);
    research_dataset_free(dataset);
}

/* Desks' claims: the report JSON carries the figures of the PDF's claims table. Weekdays of
   two weeks a phase, 6 fetched visitors a day: 4 claimed by a desk 1 minute before the mark
   ("0-2"), 2 not claimed; per week 20 and 10, published per week (a day's 4 is below k). */
static void test_report_json_carries_the_claims_table(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    static const char *const mondays[] = {"2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09"};
    for (int week = 0; week < 4; week++) {
        int32_t monday = 0;
        assert_int_equal(research_day_parse(mondays[week], &monday), 0);
        for (int32_t day = monday; day < monday + 5; day++) {
            char date[RESEARCH_DATE_SIZE], next[RESEARCH_DATE_SIZE];
            research_day_format(day, date);
            for (int i = 0; i < 6; i++) {
                int64_t arrived = kiosk_at(date, 10, 5 * i);
                int name = kiosk_visit(store, arrived, 5, 10, "");
                /* the desk's mark says whether it claimed first (< 0: not claimed) */
                assert_int_equal(
                    store_note_claim(store, name, arrived + 600000, i < 4 ? 60000 : -1), 0);
            }
            research_day_format(day + 1, next);
            store_tick(store, kiosk_at(next, 0, 30)); /* midnight: the day's claims fold */
            store_flush(store);
        }
    }
    store_close(store);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, NULL, NULL);
    char *json = NULL;
    size_t json_size = 0;
    FILE *out = open_memstream(&json, &json_size);
    assert_int_equal(research_report_write_json(report, out), 0);
    fclose(out);
    for (size_t p = 0; p < 2; p++) { /* the PDF's figures: research_report_draw_schema3.c */
        const struct research_report_claims *claims = &report->phases[p].claims;
        assert_true(claims->recorded);
        assert_int_equal(claims->claimed, 40);
        assert_int_equal(claims->unclaimed, 20);
        assert_int_equal(claims->bands[0], 40);
        char expected[400];
        snprintf(expected, sizeof expected,
                 "{\"phase\": \"%s\", \"fetched\": 60, \"claimed_first\": 40, "
                 "\"claimed_share\": 0.666667, \"bands\": {\"0-2\": 40, \"2-5\": null, "
                 "\"5-15\": null, \"15+\": null}, \"claimed_in_merged_bands\": 0, "
                 "\"unclaimed\": 20, \"in_remainder\": 0, \"suppressed_rows\": 0}",
                 report->phases[p].name);
        if (strstr(json, expected) == NULL) {
            fail_msg("the report JSON lacks %s:\n%s", expected, strstr(json, "\"claims\""));
        }
    }
    assert_non_null(strstr(json, "\"claims\": {\"recorded\": true, \"phases\": [\n"));
    free(json);
    research_report_free(report);
    research_dataset_free(dataset);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report_counts_are_sums_of_published_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_shows_no_count_below_k, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_report_finds_calmer_answers_and_shorter_waits_after_the_redesign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_samples_bring_a_caution_in_both_languages, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_named_phases_are_compared_and_unknown_ones_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_single_phase_gives_a_report_without_comparison,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_files_are_written_with_the_right_magic_bytes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_trend_only_data_shows_no_effect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_response_rates_apart_by_five_points_bring_the_caution,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_refused_primary_says_why_in_dutch_too, setup,
                                        teardown),
        cmocka_unit_test(test_dutch_reasons_take_the_english_arguments),
        cmocka_unit_test_setup_teardown(test_a_dutch_reason_names_the_measure_in_dutch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_declared_share_is_tested_as_declared_and_explored_too, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_json_carries_the_claims_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clustered_incidents_widen_the_rate_ratio, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_control_site_gives_a_difference_in_differences, setup,
                                        teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* cairo's font caches, so leak checkers see only ours */
    return failed;
}
