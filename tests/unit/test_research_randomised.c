/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * test_research_randomised: a randomised room from the kiosk's database to the report. Eight
 * weeks of kiosk-written days, each day's condition drawn by the kiosk's rule and recorded in
 * experiment_days; the export carries the allocation; the report with [evaluation] design =
 * randomised makes the randomisation test its primary (day as the unit). What a reviewer relies
 * on: a real step is found, no step gives "no effect shown", and the figures equal an
 * independent Python implementation (tests/tools/randomised_oracle.py: the allocation re-drawn
 * from the seed, the estimate, the exact permutation p by enumeration, the interval).
 * At realistic volume (about 36 answers a day) the export publishes an experiment day's stress
 * answers only as day ranges that never cross the cut (RESEARCH_STRESS_CUT; docs/research.md "A
 * randomised room" and the k rule's daily form): the day mean is an interval, the share of answers
 * at or above it exact. Those tests publish the kiosk's days that way
 * (publish_days_split_at_the_cut: each side of the cut one range, the widest case) or go through
 * the export's own daily form, and declare the share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
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

/* How busy the experiment's days are and how widely answers spread. */
struct day_volume {
    int per_hour; /* visitors an hour, 9 to 13 */
    int span;     /* a day's answers: span neighbouring values, the lowest set by the day's level */
    int shift;    /* added to every answer */
};

/* Busy days where nobody skips: every day's cells reach k, so the answers are published per day
 * (a quieter day makes its week one period: docs/research.md). */
#define BUSY_DAYS ((struct day_volume){10, 2, 0})
/* About 36 answers a day over five values around the cut (RESEARCH_STRESS_CUT, so both sides of
 * a day usually hold k): published only as ranges split at the cut. */
#define REALISTIC_DAYS ((struct day_volume){9, 5, RESEARCH_STRESS_CUT - 4})

/*
 * The weekdays of 2026-01-05 .. 2026-03-01 (eight weeks) as the kiosk runs an experiment with
 * conditions "gewoon" (reference) and "rustig": each day's condition from the allocation of
 * allocation_seed, recorded as the kiosk records it, and answers around 4.5 (plus day noise),
 * effect lower under "rustig" (REALISTIC_DAYS: five values from two below the cut, so a step of 1
 * moves the share at or above the cut from about 60 % to 40 %).
 */
static void randomised_weeks(const char *path, struct fixture *fixture, uint64_t allocation_seed,
                             double effect, struct day_volume volume)
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
            int lowest =
                (int)floor(level + noise + dither - 0.5) - (volume.span - 1) / 2 + volume.shift;
            struct kiosk_profile profile = {volume.per_hour, lowest, volume.span, 0, 4, 12, 0, 0};
            kiosk_day(store, day, &profile, &fixture->seed);
        }
        char next_date[RESEARCH_DATE_SIZE];
        research_day_format(day + 1, next_date);
        store_tick(store, kiosk_at(next_date, 0, 30)); /* midnight: fold, leftovers withheld */
        store_flush(store);
    }
    store_close(store);
}

static struct research_dataset *dataset_of(const char *path)
{
    const char *paths[] = {path};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 1, .today = "2026-08-01", .busy_timeout_ms = 100};
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), 0);
    return dataset;
}

/* The report of dataset with [evaluation] design = randomised and primary = outcome. */
static struct research_report *report_declaring(const struct research_dataset *dataset,
                                                enum evaluation_outcome outcome)
{
    struct evaluation_config evaluation;
    evaluation_config_defaults(&evaluation);
    evaluation.declared = true;
    evaluation.design = EVALUATION_RANDOMISED;
    evaluation.primary = outcome;
    char err[512] = "";
    struct research_report *report = NULL;
    if (research_report_compute_evaluation(dataset, NULL, NULL, &evaluation, &report, err,
                                           sizeof err) != 0) {
        fail_msg("report: %s", err);
    }
    return report;
}

static struct research_report *report_of(const char *path, struct research_dataset **dataset)
{
    *dataset = dataset_of(path);
    return report_declaring(*dataset, EVALUATION_STRESS_ARRIVAL);
}

/* The key of the stress answer at scale position value (it exists: some visitor gave it). */
static uint32_t stress_key(const struct research_table *table, int32_t group, int value)
{
    for (uint32_t k = 0; k < table->key_count; k++) {
        if (table->key_order[k].group == group && table->key_order[k].position == value) {
            return k;
        }
    }
    fail_msg("no key for stress answer %d", value);
    return 0;
}

/*
 * What the export publishes for experiment days at realistic volume: each day's stress answers on
 * arrival in at most two day rows, one below the cut and one from the cut up, so no range crosses
 * it, every row >= k. Replaces the published arrival stress rows of the dataset by such rows made
 * from the kiosk's counts in db (test set-up; nobody skips in these data). A day with fewer than k
 * answers on one side is left out here (the export publishes such a day only in its week).
 */
static void publish_days_split_at_the_cut(struct research_dataset *dataset, const char *db)
{
    struct research_table *table = &dataset->tables[RESEARCH_ANSWERS];
    struct research_kanon_result *published = &table->published;
    size_t kept = 0;
    uint32_t series = UINT32_MAX;
    int32_t group = -1;
    for (size_t r = 0; r < published->row_count; r++) {
        const struct research_row *row = &published->rows[r];
        const struct research_tuple *tuple = &table->series[row->series];
        if (strcmp(research_dataset_text(dataset, tuple->text[2]), STORE_MOMENT_ARRIVAL) == 0 &&
            strcmp(research_dataset_text(dataset, tuple->text[3]), STORE_QUESTION_STRESS) == 0) {
            series = row->series;
            if (row->note == RESEARCH_NOTE_CELL || row->note == RESEARCH_NOTE_RANGE) {
                group = table->key_order[row->key].group >= 0 ? table->key_order[row->key].group
                                                              : group;
            }
            continue;
        }
        published->rows[kept++] = *row;
    }
    assert_true(series != UINT32_MAX && group >= 0);
    sqlite3 *handle = NULL;
    assert_int_equal(sqlite3_open_v2(db, &handle, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(handle,
                           "SELECT day, CAST(answer AS INTEGER) >= " EVALUATION_STRESS_CUT_TEXT
                           ", MIN(CAST(answer AS INTEGER)), "
                           "MAX(CAST(answer AS INTEGER)), SUM(n) FROM answer_counts WHERE moment = "
                           "'arrival' AND question = 'stress' AND answer != 'skip' GROUP BY 1, 2 "
                           "ORDER BY 1, 2",
                           -1, &statement, NULL),
        SQLITE_OK);
    struct research_row day_rows[2];
    size_t day_row_count = 0;
    bool below_k = false;
    for (int step = sqlite3_step(statement);; step = sqlite3_step(statement)) {
        int32_t day = INT32_MIN;
        if (step == SQLITE_ROW) {
            assert_int_equal(
                research_day_parse((const char *)sqlite3_column_text(statement, 0), &day), 0);
        }
        if (day_row_count > 0 && day != day_rows[0].first_day) { /* the day before is complete */
            struct research_row *bigger =
                realloc(published->rows, (kept + day_row_count) * sizeof published->rows[0]);
            assert_non_null(bigger);
            published->rows = bigger;
            for (size_t i = 0; i < day_row_count && !below_k; i++) {
                published->rows[kept++] = day_rows[i];
            }
            day_row_count = 0;
            below_k = false;
        }
        if (step != SQLITE_ROW) {
            break;
        }
        uint32_t first = stress_key(table, group, sqlite3_column_int(statement, 2));
        uint32_t last = stress_key(table, group, sqlite3_column_int(statement, 3));
        int64_t n = sqlite3_column_int64(statement, 4);
        below_k = below_k || n < dataset->k;
        day_rows[day_row_count++] =
            (struct research_row){.series = series,
                                  .level = RESEARCH_LEVEL_DAY,
                                  .first_day = day,
                                  .last_day = day,
                                  .time_of_day = -1,
                                  .pool = -1,
                                  .note = first == last ? RESEARCH_NOTE_CELL : RESEARCH_NOTE_RANGE,
                                  .key = first,
                                  .key_last = last,
                                  .n = n};
    }
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    published->row_count = kept;
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
    randomised_weeks(db, fixture, 20260105, 1.0, BUSY_DAYS);
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
    assert_false(report->randomised.share_advised); /* busy days: exact day means */
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
    randomised_weeks(db, fixture, 777, 0.0, BUSY_DAYS);
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

static void write_export_json(const struct research_dataset *dataset, const char *path)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    assert_int_equal(research_export_write(dataset, RESEARCH_FORMAT_JSON, out), 0);
    assert_int_equal(fclose(out), 0);
}

/* The oracle on report (and on the day units it recomputes from the export). */
static void assert_oracle_agrees(const char *export_json, const char *report_json)
{
    char command[512];
    snprintf(command, sizeof command, "/usr/bin/python3 %s --export %s %s", ORACLE_SCRIPT,
             export_json, report_json);
    assert_int_equal(system(command), 0);
}

/* The kiosk's eight weeks at about 36 answers a day, published as day ranges split at the cut. */
static struct research_dataset *realistic_split_days(struct fixture *fixture, const char *db,
                                                     uint64_t allocation_seed, double effect)
{
    randomised_weeks(db, fixture, allocation_seed, effect, REALISTIC_DAYS);
    struct research_dataset *dataset = dataset_of(db);
    publish_days_split_at_the_cut(dataset, db);
    return dataset;
}

/* The declared share of answers at or above the cut: exact per day, a step of about 20 percentage
 * points found, in the words a manager reads, and equal to the oracle (which recomputes every
 * day's share from the export). */
static void test_a_step_in_the_share_at_or_above_the_cut_is_found_on_split_days(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], export_json[128];
    snprintf(db, sizeof db, "%s/zuid.db", fixture->dir);
    snprintf(json, sizeof json, "%s/share.json", fixture->dir);
    snprintf(export_json, sizeof export_json, "%s/export.json", fixture->dir);
    struct research_dataset *dataset = realistic_split_days(fixture, db, 20260105, 1.0);
    struct research_report *report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL_HIGH);
    const struct research_report_test *primary = &report->primary;
    print_message("  share step: %s, estimate %.2f pp [%.2f, %.2f], p %.4f, %zu days\n",
                  primary->available ? "available" : primary->reason, primary->estimate,
                  primary->ci_low, primary->ci_high, primary->p, primary->n_units);
    assert_true(primary->available);
    assert_false(primary->ranged); /* no range crosses the cut: every day's share is exact */
    assert_string_equal(primary->outcome, "stress_arrival_high");
    assert_string_equal(primary->design, "randomised");
    assert_string_equal(primary->unit, "day");
    assert_true(primary->n_units >= 36); /* a day with fewer than k on one side: left out */
    assert_true(primary->estimate < -10 && primary->estimate > -30); /* percentage points */
    assert_true(primary->p < 0.05);
    assert_true(primary->ci_high < 0);
    assert_non_null(strstr(report->verdict_en,
                           "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT
                           " or higher"));
    assert_non_null(strstr(report->verdict_en, "percentage points"));
    assert_non_null(strstr(report->verdict_en, "an effect is shown"));
    assert_non_null(strstr(report->verdict_nl,
                           "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger"));
    assert_non_null(strstr(report->verdict_nl, "procentpunt"));
    assert_non_null(strstr(report->verdict_nl, "een effect is aangetoond"));
    assert_false(report->randomised.share_advised);
    /* the battery stays as it was: no exploratory test of a share */
    for (size_t i = 0; i < report->test_count; i++) {
        assert_false(RESEARCH_MEASURE_IS_STRESS_SHARE(report->tests[i].measure));
    }
    write_json(report, json);
    write_export_json(dataset, export_json);
    char pdf[160], err[256] = "";
    snprintf(pdf, sizeof pdf, "%s/share.pdf", fixture->dir); /* the page of day shares draws */
    assert_int_equal(research_report_render(report, pdf, err, sizeof err), 0);
    research_report_free(report);
    research_dataset_free(dataset);
    assert_oracle_agrees(export_json, json);
}

/* The same through the kiosk's own export (its daily form of an experiment week): the days come
 * out split at the cut, the share is exact per day and the step is found. */
static void test_the_export_s_daily_form_gives_exact_day_shares(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], export_json[128];
    snprintf(db, sizeof db, "%s/zuid.db", fixture->dir);
    snprintf(json, sizeof json, "%s/daily.json", fixture->dir);
    snprintf(export_json, sizeof export_json, "%s/export-daily.json", fixture->dir);
    randomised_weeks(db, fixture, 20260105, 1.0, REALISTIC_DAYS);
    struct research_dataset *dataset = dataset_of(db);
    struct research_report *report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL_HIGH);
    const struct research_report_test *primary = &report->primary;
    print_message("  daily form: %s, estimate %.2f pp [%.2f, %.2f], p %.4f, %zu days (%d only "
                  "as a week, %d without answers)\n",
                  primary->available ? "available" : primary->reason, primary->estimate,
                  primary->ci_low, primary->ci_high, primary->p, primary->n_units,
                  report->randomised.days_week_only, report->randomised.days_without_outcome);
    assert_true(primary->available);
    assert_false(primary->ranged);
    assert_true(primary->n_units >= 30);
    assert_true(primary->p < 0.05 && primary->ci_high < 0);
    write_json(report, json);
    write_export_json(dataset, export_json);
    research_report_free(report);
    /* the mean on the same export: intervals, and the advice to declare the share */
    report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL);
    print_message("  daily form, mean: %.3f .. %.3f, p %.3f\n", report->primary.estimate_low,
                  report->primary.estimate_high, report->primary.p);
    assert_true(report->primary.ranged);
    research_report_free(report);
    research_dataset_free(dataset);
    assert_oracle_agrees(export_json, json);
}

static void test_no_step_in_the_share_gives_no_effect_shown(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], export_json[128];
    snprintf(db, sizeof db, "%s/noord.db", fixture->dir);
    snprintf(json, sizeof json, "%s/share-null.json", fixture->dir);
    snprintf(export_json, sizeof export_json, "%s/export-null.json", fixture->dir);
    struct research_dataset *dataset = realistic_split_days(fixture, db, 777, 0.0);
    struct research_report *report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL_HIGH);
    const struct research_report_test *primary = &report->primary;
    print_message("  share, no step: estimate %.2f pp [%.2f, %.2f], p %.4f\n", primary->estimate,
                  primary->ci_low, primary->ci_high, primary->p);
    assert_true(primary->available);
    assert_false(primary->ranged);
    assert_true(primary->p >= 0.05);
    assert_true(primary->ci_low < 0 && primary->ci_high > 0);
    assert_non_null(strstr(report->verdict_en, "no effect shown"));
    assert_non_null(strstr(report->verdict_nl, "geen effect aangetoond"));
    write_json(report, json);
    write_export_json(dataset, export_json);
    research_report_free(report);
    research_dataset_free(dataset);
    assert_oracle_agrees(export_json, json);
}

/*
 * A difference's bounds put its condition at one end of the ranges and the reference at the
 * other. On these days (ranges split at the cut, so every day mean is an interval about 1.5
 * points wide) "every day at its low end" and "every day at its high end" both give about -1,
 * while the ranges allow anything from about -2.6 to +0.6: the bounds must hold the whole of it,
 * and p is 1 since the ranges allow no difference at all.
 */
static void test_a_difference_is_bounded_with_the_reference_at_the_other_end(void **state)
{
    struct fixture *fixture = *state;
    char db[128], json[128], export_json[128];
    snprintf(db, sizeof db, "%s/west.db", fixture->dir);
    snprintf(json, sizeof json, "%s/bounds.json", fixture->dir);
    snprintf(export_json, sizeof export_json, "%s/export-bounds.json", fixture->dir);
    struct research_dataset *dataset = realistic_split_days(fixture, db, 20260105, 1.0);
    struct research_report *report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL);
    const struct research_report_randomised *section = &report->randomised;
    const struct research_report_test *primary = &report->primary;
    assert_true(primary->available);
    assert_true(section->ranged);
    double sum_low[2] = {0, 0}, sum_high[2] = {0, 0};
    int days[2] = {0, 0};
    for (size_t i = 0; i < section->day_count; i++) {
        int c = section->days[i].condition;
        if (isfinite(section->days[i].mean)) {
            sum_low[c] += section->days[i].mean;
            sum_high[c] += section->days_high[i].mean;
            days[c]++;
        }
    }
    assert_true(days[0] >= 2 && days[1] >= 2);
    double all_low = sum_low[1] / days[1] - sum_low[0] / days[0];
    double all_high = sum_high[1] / days[1] - sum_high[0] / days[0];
    double lowest = sum_low[1] / days[1] - sum_high[0] / days[0];  /* rustig low, gewoon high */
    double highest = sum_high[1] / days[1] - sum_low[0] / days[0]; /* and the other way */
    print_message("  all low %.3f, all high %.3f; the ranges allow %.3f .. %.3f; report %.3f .. "
                  "%.3f, p %.3f\n",
                  all_low, all_high, lowest, highest, primary->estimate_low, primary->estimate_high,
                  primary->p);
    assert_true(lowest < fmin(all_low, all_high) - 0.5); /* the case the old bounds missed */
    assert_true(highest > fmax(all_low, all_high) + 0.5);
    assert_true(fabs(primary->estimate_low - lowest) < 1e-9);
    assert_true(fabs(primary->estimate_high - highest) < 1e-9);
    assert_true(primary->ci_low <= lowest && primary->ci_high >= highest);
    assert_true(lowest < 0 && highest > 0);
    assert_true(primary->p == 1.0);
    assert_non_null(strstr(report->verdict_en, "no effect shown"));
    write_json(report, json);
    write_export_json(dataset, export_json);
    research_report_free(report);
    research_dataset_free(dataset);
    assert_oracle_agrees(export_json, json);
}

/* A declared stress mean that the published ranges make hopeless stays the primary (analysed as
 * declared), and the report names the remedy in both languages: declare the share next time. */
static void test_a_hopeless_mean_names_the_share_to_declare_next_time(void **state)
{
    struct fixture *fixture = *state;
    char db[128];
    snprintf(db, sizeof db, "%s/oost.db", fixture->dir);
    struct research_dataset *dataset = realistic_split_days(fixture, db, 20260105, 1.0);
    struct research_report *report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL);
    const struct research_report_test *primary = &report->primary;
    assert_string_equal(primary->outcome, "stress_arrival"); /* not switched */
    assert_true(report->randomised.share_advised);
    bool warned = false;
    for (size_t i = 0; i < primary->warning_count; i++) {
        warned = warned || strstr(primary->warnings[i], "primary = stress_arrival_high") != NULL;
    }
    assert_true(warned);
    assert_non_null(strstr(report->verdict_en, "declare [evaluation] primary = stress_arrival_high "
                                               "before the data come in"));
    assert_non_null(strstr(report->verdict_nl, "[evaluation] primary = stress_arrival_high vast"));
    assert_non_null(strstr(report->verdict_nl, "volgt de vooraf vastgelegde uitkomst"));
    research_report_free(report);
    /* the share declared on the same days: exact, and the step is shown */
    report = report_declaring(dataset, EVALUATION_STRESS_ARRIVAL_HIGH);
    assert_false(report->primary.ranged);
    assert_true(report->primary.p < 0.05);
    research_report_free(report);
    research_dataset_free(dataset);
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

/*
 * LeakSanitizer (make asan) reads this: fontconfig keeps some memory for good once cairo has
 * looked up its first font by name (the share test draws its PDF); it is not the report's.
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
        cmocka_unit_test_setup_teardown(test_a_real_step_is_found_and_equals_the_python_oracle,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_step_gives_no_effect_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_step_in_the_share_at_or_above_the_cut_is_found_on_split_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_export_s_daily_form_gives_exact_day_shares, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_step_in_the_share_gives_no_effect_shown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_difference_is_bounded_with_the_reference_at_the_other_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_hopeless_mean_names_the_share_to_declare_next_time,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_an_experiment_the_randomised_primary_says_why,
                                        setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* cairo's font caches, so leak checkers see only ours */
    return failed;
}
