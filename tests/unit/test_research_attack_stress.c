/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * An attack found while attacking the daily form (test_research_attack_daily.c), older than it:
 * the answers against the stress x wait split. The kiosk is the real store
 * (test_research_kiosk.h): visitors check in, the store ticks after each (batches of exactly k
 * leave the pool), days are folded at midnight. The attacker reads only what one export
 * publishes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_kanon.h"
#include "research/research_period.h"
#include "store/store.h"
#include "unit/test_research_util.h"
#include "unit/store_fixture.h"
#include "unit/test_research_kiosk.h"

#define TODAY "2026-06-01" /* a Monday: every week before it is over */
#define K 5                /* the store's default k: batches of 5 */

static int setup(void **state)
{
    *state = store_fixture_new("/tmp/oase-attack-stress-XXXXXX", 1);
    return 0;
}

/* The randomised room ran on Monday to Friday of the week of 2 March. */
static void attack_experiment_days(const char *path)
{
    kiosk_experiment_days(path, "2026-03-02", 5);
}

static struct research_dataset *attack_export_on(const struct store_fixture *fixture,
                                                 bool with_context, const char *today)
{
    return kiosk_export(fixture->path, with_context, today);
}

static struct research_dataset *attack_export(const struct store_fixture *fixture,
                                              bool with_context)
{
    return attack_export_on(fixture, with_context, TODAY);
}

/* Is series s of table t (site, phase, part 2, part 3) the arrival moment's part3 series? */
static bool attack_series(const struct research_dataset *dataset, enum research_table_id t,
                          uint32_t s, const char *part2, const char *part3)
{
    const struct research_tuple *series = &dataset->tables[t].series[s];
    return strcmp(research_dataset_text(dataset, series->text[2]), part2) == 0 &&
           strcmp(research_dataset_text(dataset, series->text[3]), part3) == 0;
}

/* The stress x wait split's band of a stress value: 0 (0-3), 1 (4-6), 2 (7-10). */
static int attack_band(int32_t position)
{
    return position <= 3 ? 0 : position <= 6 ? 1 : 2;
}

/*
 * Attack 3 (not the daily form's: older, found while attacking it). The answers publish a
 * day's (or week's) stress values exactly wherever a cell or range lies inside one band of the
 * stress x wait split (0-3, 4-6, 7-10); the split publishes the fetched visitors' answers by
 * those bands. All of the day's answers reached the disk (20 check-ins, batches of exactly k),
 * so answers minus fetched, per band, is the answers of visitors nobody fetched: here 1 no-show
 * answered 0-3 and 4 answered 4-6, both below k - stress answers tied to an arrival's outcome.
 * docs/research.md says no other table cuts a split's part; the answers do. Monday: ten answer
 * 2, ten answer 6 (every value at k: the day is shown as cells); visitors 0 (a 2) and 1, 3, 5,
 * 7 (6s) are no-shows. The daily form shows more days exactly per side, so more such days.
 */
static void test_answer_cells_minus_the_stress_split_give_answers_of_no_shows(void **state)
{
    struct store_fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    int32_t monday = 0;
    assert_int_equal(research_day_parse("2026-03-02", &monday), 0);
    for (int d = 0; d < 7; d++) {
        char date[RESEARCH_DATE_SIZE], next[RESEARCH_DATE_SIZE];
        research_day_format(monday + d, date);
        research_day_format(monday + d + 1, next);
        for (int i = 0; i < 20 && d == 0; i++) {
            int64_t arrived = kiosk_at(date, 9 + i / 5, (i % 5) * 12);
            bool no_show = i == 0 || i == 1 || i == 3 || i == 5 || i == 7;
            kiosk_visit(store, arrived, i % 2 ? 6 : 2, no_show ? -1 : 10, "calm");
            store_tick(store, arrived + 60000);
        }
        store_tick(store, kiosk_at(next, 0, 30));
        store_flush(store);
    }
    store_close(store);
    attack_experiment_days(fixture->path);
    static const int64_t truth[3] = {1, 4, 0}; /* no-shows' answers per band */
    int leaks = 0;
    for (int context = 0; context < 2; context++) {
        struct research_dataset *dataset = attack_export(fixture, context == 1);
        int64_t answered[3] = {0, 0, 0}, fetched[3] = {0, 0, 0};
        bool exact[3] = {true, true, true}, split[3] = {false, false, false};
        const struct research_table *table = &dataset->tables[RESEARCH_ANSWERS];
        for (size_t r = 0; r < table->published.row_count; r++) {
            const struct research_row *row = &table->published.rows[r];
            if (row->first_day < monday || row->last_day > monday + 6 ||
                !attack_series(dataset, RESEARCH_ANSWERS, row->series, STORE_MOMENT_ARRIVAL,
                               STORE_QUESTION_STRESS) ||
                row->note == RESEARCH_NOTE_SUPPRESSED || table->key_order[row->key].group < 0) {
                continue;
            }
            int lo = attack_band(table->key_order[row->key].position);
            int hi = attack_band(table->key_order[row->key_last].position);
            for (int band = lo; band <= hi; band++) {
                exact[band] = exact[band] && lo == hi && row->note != RESEARCH_NOTE_REMAINDER;
            }
            answered[lo] += lo == hi ? row->n : 0;
        }
        const struct research_table *stress = &dataset->tables[RESEARCH_STRESS_WAITS];
        for (size_t r = 0; r < stress->published.row_count; r++) {
            const struct research_row *row = &stress->published.rows[r];
            char band[32];
            research_row_key_text(dataset, RESEARCH_STRESS_WAITS, row, 0, band, sizeof band);
            int b = strcmp(band, "0-3") == 0    ? 0
                    : strcmp(band, "4-6") == 0  ? 1
                    : strcmp(band, "7-10") == 0 ? 2
                                                : -1;
            if (b >= 0 && row->note != RESEARCH_NOTE_SUPPRESSED && row->first_day >= monday &&
                row->last_day <= monday + 6) {
                fetched[b] += row->n;
                split[b] = true;
            }
        }
        for (int b = 0; b < 3; b++) {
            if (!exact[b] || !split[b]) {
                continue;
            }
            int64_t not_fetched = answered[b] - fetched[b];
            assert_int_equal(not_fetched, truth[b]); /* the attacker is right */
            if (not_fetched > 0 && not_fetched < K) {
                print_error("with%s context the attacker knows that %lld visitors who answered "
                            "in stress band %d were not fetched on Monday: below k = %d\n",
                            context ? "" : "out", (long long)not_fetched, b, K);
                leaks++;
            }
        }
        research_dataset_free(dataset);
    }
    assert_int_equal(leaks, 0);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_answer_cells_minus_the_stress_split_give_answers_of_no_shows, setup,
            store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
