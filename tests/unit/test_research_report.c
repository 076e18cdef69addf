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
    const struct research_report_comparison *stress =
        &report->comparisons[RESEARCH_MEASURE_STRESS_ARRIVAL];
    assert_true(stress->available);
    /* answers were drawn from 4..8 before and 2..6 after: about 2 points lower */
    assert_true(stress->interval.difference < -1.5 && stress->interval.difference > -2.5);
    assert_true(stress->interval.high < 0);
    assert_true(stress->test.p_two_sided < 0.001);
    assert_true(stress->cliffs_delta < -0.33);
    assert_true(report->comparisons[RESEARCH_MEASURE_WAIT_MINUTES].interval.difference < 0);
    const struct research_report_comparison *incidents =
        &report->comparisons[RESEARCH_MEASURE_INCIDENTS_PER_100];
    assert_true(incidents->available);
    assert_true(incidents->b.mean < incidents->a.mean);
    assert_true(report->comparisons[RESEARCH_MEASURE_STRESS_DEPARTURE].available);
    assert_false(report->small_sample);
    assert_non_null(strstr(report->summary_en, "Stress on arrival (0-10): mean"));
    assert_non_null(strstr(report->summary_en, "unlikely to be chance"));
    assert_non_null(strstr(report->summary_nl, "Stress bij aankomst"));
    assert_non_null(strstr(report->summary_nl, "waarschijnlijk geen toeval"));
    assert_null(strstr(report->summary_en, "Caution"));
    char comma[16]; /* the Dutch summary writes decimals with a comma */
    snprintf(comma, sizeof comma, "gemiddeld %d,", (int)stress->a.mean);
    assert_non_null(strstr(report->summary_nl, comma));

    /* The statistics are those of the published cells, recomputed here on their own. */
    struct research_value_count cells[2][64];
    size_t counts[2] = {0, 0};
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    for (size_t r = 0; r < answers->published.row_count; r++) {
        const struct research_row *row = &answers->published.rows[r];
        int phase = strcmp(series_text(dataset, RESEARCH_ANSWERS, row, 1), "after") == 0;
        const struct research_key_order *lo = &answers->key_order[row->key];
        const struct research_key_order *hi = &answers->key_order[row->key_last];
        if (row->note == RESEARCH_NOTE_REMAINDER || row->note == RESEARCH_NOTE_SUPPRESSED ||
            lo->group < 0 || strcmp(series_text(dataset, RESEARCH_ANSWERS, row, 2), "arrival")) {
            continue;
        }
        assert_true(counts[phase] < 64);
        cells[phase][counts[phase]++] =
            (struct research_value_count){(lo->position + hi->position) / 2.0, row->n};
    }
    struct research_mann_whitney test;
    assert_int_equal(research_stats_mann_whitney(cells[0], counts[0], cells[1], counts[1], &test),
                     0);
    assert_true(fabs(test.u_b - stress->test.u_b) < 1e-6);
    assert_true(fabs(test.p_two_sided - stress->test.p_two_sided) < 1e-12);
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

static void test_named_phases_are_compared_and_unknown_ones_refused(void **state)
{
    struct fixture *fixture = *state;
    redesign_site(fixture, 2);
    struct research_dataset *dataset = build(fixture);
    struct research_report *report = compute(dataset, "after", "baseline");
    assert_string_equal(report->phases[report->compare_a].name, "after");
    assert_true(report->comparisons[RESEARCH_MEASURE_STRESS_ARRIVAL].interval.difference > 0);
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
    assert_non_null(strstr(json, "\"format\": \"oase-research-report\""));
    assert_non_null(strstr(json, "\"p_two_sided\": "));
    assert_non_null(strstr(json, "\"cliffs_delta\": "));
    assert_non_null(strstr(json, "\"ci95_low\": "));
    assert_non_null(strstr(json, "\"a\": \"baseline\", \"b\": \"after\""));
    free(json);
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
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* cairo's font caches, so leak checkers see only ours */
    return failed;
}
