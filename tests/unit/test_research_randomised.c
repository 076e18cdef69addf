/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * test_research_randomised: a randomised room from the kiosk's database to the report. Eight
 * weeks of kiosk-written days, each day's condition drawn by the kiosk's rule and recorded in
 * experiment_days; the export carries the allocation; the report with [evaluation] design =
 * randomised makes the randomisation test its primary (day as the unit). What a reviewer relies
 * on: a real step is found, no step gives "no effect shown", and the figures equal an
 * independent Python implementation (tests/tools/randomised_oracle.py: the allocation re-drawn
 * from the seed, the estimate, the exact permutation p by enumeration, the interval).
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
#include "experiment/experiment_alloc.h"
#include "research/research_export.h"
#include "research/research_report.h"
#include "unit/test_research_util.h"
#include "unit/store_fixture.h"
#include "unit/test_research_kiosk.h"

#define ORACLE_SCRIPT "tests/tools/randomised_oracle.py"
#define HASH "sha256:5555555555555555555555555555555555555555555555555555555555555555"

struct fixture {
    char dir[64];
    struct phase_list phases;
    uint64_t seed;
};

static int setup(void **state)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, "/tmp/oase-randomised-XXXXXX");
    store_fixture_add_phases(&fixture->phases, 1);
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

/*
 * The weekdays of 2026-01-05 .. 2026-03-01 (eight weeks) as the kiosk runs an experiment with
 * conditions "gewoon" (reference) and "rustig": each day's condition from the allocation of
 * allocation_seed, recorded as the kiosk records it, and answers around 4.5 (plus day noise),
 * effect lower under "rustig".
 */
static void randomised_weeks(const char *path, struct fixture *fixture, uint64_t allocation_seed,
                             double effect)
{
    int32_t first = 0, last = 0, days[EXPERIMENT_DAYS_MAX];
    assert_int_equal(research_day_parse("2026-01-05", &first), 0);
    assert_int_equal(research_day_parse("2026-03-01", &last), 0);
    struct hours hours;
    hours_defaults(&hours);
    char why[128];
    assert_int_equal(hours_config_set(&hours, "saturday", "closed", why, sizeof why), 0);
    assert_int_equal(hours_config_set(&hours, "sunday", "closed", why, sizeof why), 0);
    int count = experiment_open_days(&hours, first, last, days, EXPERIMENT_DAYS_MAX);
    assert_int_equal(count, 40);
    struct experiment_day plan[EXPERIMENT_DAYS_MAX];
    assert_int_equal(experiment_alloc_plan(allocation_seed, 2, days, (size_t)count, plan), 0);
    static const char *const names[2] = {"gewoon", "rustig"};
    struct store *store = kiosk_open(path, &fixture->phases);
    int next = 0;
    for (int32_t day = first; day <= last; day++) {
        char date[RESEARCH_DATE_SIZE];
        research_day_format(day, date);
        if (next < count && plan[next].day == day) {
            const struct experiment_day *entry = &plan[next++];
            struct store_experiment_day row = {.block = entry->block, .slot = entry->slot};
            snprintf(row.day, sizeof row.day, "%s", date);
            snprintf(row.experiment, sizeof row.experiment, "licht");
            snprintf(row.condition, sizeof row.condition, "%s", names[entry->condition]);
            snprintf(row.seed, sizeof row.seed, "%llu", (unsigned long long)allocation_seed);
            snprintf(row.config_hash, sizeof row.config_hash, HASH);
            assert_true(store_experiment_day(store, &row) > 0);
            if (entry->block == 3) {
                assert_true(store_experiment_override(store, date) > 0); /* a host's change */
            }
            double level = 4.5 - (entry->condition == 1 ? effect : 0.0);
            double noise = ((double)(research_test_random(&fixture->seed) % 1000) / 1000.0 - 0.5);
            double dither = (double)(research_test_random(&fixture->seed) % 1000) / 1000.0;
            /* Busy days where nobody skips: every day's cells reach k, so the answers are
             * published per day (a quieter day makes its week one period: docs/research.md) */
            struct kiosk_profile profile = {
                10, (int)floor(level + noise + dither - 0.5), 2, 0, 4, 12, 0, 0};
            kiosk_day(store, day, &profile, &fixture->seed);
        }
        char next_date[RESEARCH_DATE_SIZE];
        research_day_format(day + 1, next_date);
        store_tick(store, kiosk_at(next_date, 0, 30)); /* midnight: fold, leftovers withheld */
        store_flush(store);
    }
    store_close(store);
}

static struct research_report *report_of(const char *path, struct research_dataset **dataset)
{
    const char *paths[] = {path};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 1, .today = "2026-08-01", .busy_timeout_ms = 100};
    char err[512] = "";
    assert_int_equal(research_dataset_build(&options, dataset, err, sizeof err), 0);
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.design = EVALUATION_RANDOMISED;
    struct research_report *report = NULL;
    if (research_report_compute_evaluation(*dataset, NULL, NULL, &evaluation, &report, err,
                                           sizeof err) != 0) {
        fail_msg("report: %s", err);
    }
    return report;
}

static void write_json(const struct research_report *report, const char *path)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    assert_int_equal(research_report_write_json(report, out), 0);
    assert_int_equal(fclose(out), 0);
}

static void test_a_real_step_is_found_and_equals_the_python_oracle(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], command[512];
    snprintf(db, sizeof db, "%s/zuid.db", fixture->dir);
    snprintf(json, sizeof json, "%s/step.json", fixture->dir);
    randomised_weeks(db, fixture, 20260105, 1.0);
    struct research_dataset *dataset = NULL;
    struct research_report *report = report_of(db, &dataset);
    assert_int_equal(dataset->experiment_day_count, 40);
    const struct research_report_test *primary = &report->primary;
    print_message("  step: %s, estimate %.3f [%.3f, %.3f] (bounds %.3f..%.3f), p %.4f, %zu days\n",
                  primary->available ? "available" : primary->reason, primary->estimate,
                  primary->ci_low, primary->ci_high, primary->estimate_low, primary->estimate_high,
                  primary->p, primary->n_units);
    assert_true(primary->available);
    assert_string_equal(primary->design, "randomised");
    assert_string_equal(primary->unit, "day");
    assert_string_equal(primary->outcome, "stress_arrival");
    assert_true(primary->p < 0.05);
    assert_true(primary->ci_high < 0);
    assert_true(primary->estimate_low < -0.5 && primary->estimate_high > -1.5);
    assert_int_equal(report->randomised.overrides, 2);
    assert_string_equal(report->randomised.conditions[0], "gewoon");
    assert_non_null(strstr(report->verdict_nl, "een effect is aangetoond"));
    assert_non_null(strstr(report->verdict_en, "randomised experiment"));
    /* one phase, randomised: page 1's summary gives the randomised verdict, no before/after */
    assert_non_null(strstr(report->summary_en, "randomised experiment"));
    assert_non_null(strstr(report->summary_nl, "een effect is aangetoond"));
    assert_null(strstr(report->summary_en, "before/after"));
    assert_null(strstr(report->summary_nl, "voor-en-na"));
    write_json(report, json);
    /* The export carries the allocation, one row a day. */
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_int_equal(research_export_write(dataset, RESEARCH_FORMAT_CSV, out), 0);
    fclose(out);
    assert_non_null(strstr(text, "experiment_days,zuid,,day,2026-01-05,"));
    free(text);
    out = open_memstream(&text, &size);
    assert_int_equal(research_export_write(dataset, RESEARCH_FORMAT_JSON, out), 0);
    fclose(out);
    assert_non_null(strstr(text, "\"experiment_days\": ["));
    assert_non_null(strstr(text, "\"seed\": \"20260105\""));
    free(text);
    research_report_free(report);
    research_dataset_free(dataset);
    if (access(ORACLE_SCRIPT, R_OK) != 0) {
        fail_msg("%s not found: run from the repository root (make test does)", ORACLE_SCRIPT);
    }
    snprintf(command, sizeof command, "/usr/bin/python3 %s %s", ORACLE_SCRIPT, json);
    assert_int_equal(system(command), 0);
}

static void test_no_step_gives_no_effect_shown(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], command[512];
    snprintf(db, sizeof db, "%s/noord.db", fixture->dir);
    snprintf(json, sizeof json, "%s/null.json", fixture->dir);
    randomised_weeks(db, fixture, 777, 0.0);
    struct research_dataset *dataset = NULL;
    struct research_report *report = report_of(db, &dataset);
    const struct research_report_test *primary = &report->primary;
    print_message("  no step: estimate %.3f [%.3f, %.3f], p %.4f\n", primary->estimate,
                  primary->ci_low, primary->ci_high, primary->p);
    assert_true(primary->available);
    assert_true(primary->p >= 0.05);
    assert_true(primary->ci_low < 0 && primary->ci_high > 0);
    assert_non_null(strstr(report->verdict_en, "no effect shown"));
    write_json(report, json);
    research_report_free(report);
    research_dataset_free(dataset);
    snprintf(command, sizeof command, "/usr/bin/python3 %s %s", ORACLE_SCRIPT, json);
    assert_int_equal(system(command), 0);
}

static void test_without_an_experiment_the_randomised_primary_says_why(void **state)
{
    struct fixture *fixture = *state;
    char db[128];
    snprintf(db, sizeof db, "%s/plain.db", fixture->dir);
    struct store *store = kiosk_open(db, &fixture->phases);
    kiosk_weeks(store, "2026-01-05", "2026-01-18", KIOSK_DEFAULT, &fixture->seed);
    store_close(store);
    struct research_dataset *dataset = NULL;
    struct research_report *report = report_of(db, &dataset);
    assert_false(report->primary.available);
    assert_non_null(strstr(report->primary.reason, "no experiment days"));
    assert_false(report->randomised.present);
    research_report_free(report);
    research_dataset_free(dataset);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_real_step_is_found_and_equals_the_python_oracle,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_step_gives_no_effect_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_an_experiment_the_randomised_primary_says_why,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
