/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The evaluation's statistics against statsmodels / scipy: seeded cases of every
 * function of research_infer, and reports computed from kiosk-written databases (two sites,
 * eight weeks a side, day-to-day noise, a control site) whose primary and exploratory tests are
 * recomputed by tests/tools/stats_oracle.py from the units the report lists. Needs
 * /usr/bin/python3 with python3-statsmodels and python3-scipy (make deps installs them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "research/research_export.h"
#include "research/research_report.h"
#include "tools/stats_oracle_cases.h"
#include "unit/test_research_util.h"
#include "unit/store_fixture.h"
#include "unit/test_research_kiosk.h"

#define ORACLE_SCRIPT "tests/tools/stats_oracle.py"

struct fixture {
    char dir[64];
    struct phase_list phases;
    uint64_t seed;
};

static int setup(void **state)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, "/tmp/oase-oracle-XXXXXX");
    store_fixture_add_phases(&fixture->phases, 2);
    fixture->seed = 20261206;
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

/* Weekdays of first..last with the day's answers around level (+ day noise, dithered). */
static void noisy_weeks(struct store *store, const char *first, const char *last, double level,
                        uint64_t *seed)
{
    int32_t from = 0, to = 0;
    assert_int_equal(research_day_parse(first, &from), 0);
    assert_int_equal(research_day_parse(last, &to), 0);
    for (int32_t day = from; day <= to; day++) {
        if (research_day_weekday(day) < 5) {
            double noise = ((double)(research_test_random(seed) % 1000) / 1000.0 - 0.5) * 0.8;
            double dither = (double)(research_test_random(seed) % 1000) / 1000.0;
            struct kiosk_profile profile = {6, (int)floor(level + noise + dither), 3, 10, 4, 12, 0,
                                            0};
            kiosk_day(store, day, &profile, seed);
        }
        char next[RESEARCH_DATE_SIZE];
        research_day_format(day + 1, next);
        store_tick(store, kiosk_at(next, 0, 30)); /* midnight: fold, leftovers withheld */
        store_flush(store);
    }
}

static void write_report(const char *const *paths, size_t count,
                         const struct evaluation_config *evaluation, const char *json_path)
{
    struct research_export_options options = {
        .db_paths = paths, .db_count = count, .today = "2026-08-01", .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), 0);
    struct research_report *report = NULL;
    assert_int_equal(research_report_compute_evaluation(dataset, NULL, NULL, evaluation, &report,
                                                        err, sizeof err),
                     0);
    assert_true(report->primary.available);
    print_message("  %s: primary %s %s, %s\n", json_path, report->primary.design,
                  report->primary.term, report->primary.ranged ? "bounds (ranges)" : "exact");
    FILE *out = fopen(json_path, "w");
    assert_non_null(out);
    assert_int_equal(research_report_write_json(report, out), 0);
    assert_int_equal(fclose(out), 0);
    research_report_free(report);
    research_dataset_free(dataset);
}

static void test_statistics_equal_statsmodels_and_scipy(void **state)
{
    struct fixture *fixture = *state;
    if (access(ORACLE_SCRIPT, R_OK) != 0) {
        fail_msg("%s not found: run from the repository root (make test does)", ORACLE_SCRIPT);
    }
    char cases[128], zuid[128], noord[128], controlled[128], series[128], command[1024];
    snprintf(cases, sizeof cases, "%s/cases.json", fixture->dir);
    snprintf(zuid, sizeof zuid, "%s/zuid.db", fixture->dir);
    snprintf(noord, sizeof noord, "%s/noord.db", fixture->dir);
    snprintf(controlled, sizeof controlled, "%s/controlled.json", fixture->dir);
    snprintf(series, sizeof series, "%s/series.json", fixture->dir);
    FILE *out = fopen(cases, "w");
    assert_non_null(out);
    assert_int_equal(oracle_write_cases(out), 0);
    assert_int_equal(fclose(out), 0);

    /* Eight weeks a side at two sites; zuid 1 point calmer after, noord (control) unchanged. */
    struct store *store = kiosk_open(zuid, &fixture->phases);
    noisy_weeks(store, "2026-01-05", "2026-03-01", 4.0, &fixture->seed);
    noisy_weeks(store, "2026-03-02", "2026-04-26", 3.0, &fixture->seed);
    /* Incidents a week, clustered (a bad week before, a quiet spell after): the rate ratio's
       weekly units, pooled where a week has fewer than k. */
    static const int incidents[16] = {6, 5, 14, 5, 7, 5, 9, 6, 5, 6, 2, 3, 5, 8, 5, 5};
    for (int week = 0; week < 16; week++) {
        char date[RESEARCH_DATE_SIZE];
        int32_t day = 0;
        assert_int_equal(research_day_parse("2026-01-06", &day), 0);
        research_day_format(day + 7 * week, date);
        for (int i = 0; i < incidents[week]; i++) {
            assert_true(store_incident(store, kiosk_at(date, 10, i), "verbal") > 0);
        }
    }
    store_flush(store);
    store_close(store);
    store = kiosk_open(noord, &fixture->phases);
    noisy_weeks(store, "2026-01-05", "2026-03-01", 4.0, &fixture->seed);
    noisy_weeks(store, "2026-03-02", "2026-04-26", 4.0, &fixture->seed);
    store_close(store);

    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    const char *one[] = {zuid};
    write_report(one, 1, &evaluation, series); /* interrupted time series, one site */
    evaluation.design = EVALUATION_CONTROLLED;
    evaluation.control_count = 1;
    snprintf(evaluation.control_sites[0], sizeof evaluation.control_sites[0], "noord");
    const char *both[] = {zuid, noord};
    write_report(both, 2, &evaluation, controlled);

    snprintf(command, sizeof command, "/usr/bin/python3 %s %s %s %s", ORACLE_SCRIPT, cases, series,
             controlled);
    int status = system(command);
    assert_int_equal(status, 0);
}

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
        cmocka_unit_test_setup_teardown(test_statistics_equal_statsmodels_and_scipy, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
