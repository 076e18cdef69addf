/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for research_kanon: what a researcher may see of aggregate counts. Every published
 * number is at least k, finer periods survive only whole, small counts become ranges or a
 * remainder, quiet weeks are pooled or suppressed, and no sum or difference of published
 * numbers gives a hidden count below k (checked against an attacker who solves linear
 * equations: test_research_util.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_kanon.h"
#include "research/research_period.h"
#include "unit/test_research_util.h"

/* Keys 0..10: the stress scale (one ordered group); 11 "skip", 12 and 13: nominal others. */
#define KEY_SKIP 11
#define KEY_A 12
#define KEY_B 13
#define KEY_COUNT 14
static struct research_key_order keys[KEY_COUNT];

#define MAX_CELLS 4096
struct input {
    struct research_cell cells[MAX_CELLS];
    size_t count;
};

static int setup(void **state)
{
    for (int i = 0; i <= 10; i++) {
        keys[i] = (struct research_key_order){.group = 0, .position = i};
    }
    keys[KEY_SKIP] = keys[KEY_A] = keys[KEY_B] = (struct research_key_order){.group = -1};
    struct input *input = calloc(1, sizeof *input);
    assert_non_null(input);
    *state = input;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static int32_t day_of(const char *date)
{
    int32_t day = 0;
    assert_int_equal(research_day_parse(date, &day), 0);
    return day;
}

static void add(struct input *input, uint32_t series, const char *date, int hour, uint32_t key,
                int64_t n)
{
    assert_true(input->count < MAX_CELLS);
    input->cells[input->count++] = (struct research_cell){
        .series = series, .day = day_of(date), .hour = hour, .key = key, .n = n};
}

static void run(struct input *input, int k, struct research_kanon_result *out)
{
    assert_int_equal(research_kanon_run(input->cells, input->count, keys, KEY_COUNT, k, out), 0);
}

/* The row publishing key (or the range starting at it) at level, or NULL. */
static const struct research_row *find(const struct research_kanon_result *out,
                                       enum research_level level, enum research_note note,
                                       uint32_t key)
{
    for (size_t i = 0; i < out->row_count; i++) {
        const struct research_row *row = &out->rows[i];
        if (row->level == level && row->note == note &&
            (note == RESEARCH_NOTE_REMAINDER || note == RESEARCH_NOTE_SUPPRESSED ||
             row->key == key)) {
            return row;
        }
    }
    return NULL;
}

static void test_busy_hours_are_published_hour_by_hour(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-02", 9, 5, 6);
    add(input, 0, "2026-03-02", 9, 6, 5);
    add(input, 0, "2026-03-02", 10, 5, 7);
    add(input, 0, "2026-03-02", 14, KEY_SKIP, 5);
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 4);
    for (size_t i = 0; i < out.row_count; i++) {
        assert_int_equal(out.rows[i].level, RESEARCH_LEVEL_HOUR);
        assert_int_equal(out.rows[i].note, RESEARCH_NOTE_CELL);
    }
    assert_int_equal(out.rows[0].time_of_day, 9);
    assert_int_equal(out.rows[0].n, 6);
    assert_int_equal(out.rows[2].time_of_day, 10);
    assert_int_equal(out.rows[3].time_of_day, 14);
    assert_int_equal(out.rows[3].key, KEY_SKIP);
    research_kanon_free(&out);
}

static void test_a_quiet_hour_makes_its_part_of_day_one_period(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-02", 9, 5, 6);
    add(input, 0, "2026-03-02", 10, 5, 2); /* the quiet hour */
    add(input, 0, "2026-03-02", 13, 6, 5);
    add(input, 0, "2026-03-02", 14, 6, 5);
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 3);
    const struct research_row *morning =
        find(&out, RESEARCH_LEVEL_PART_OF_DAY, RESEARCH_NOTE_CELL, 5);
    assert_non_null(morning);
    assert_int_equal(morning->n, 8);
    assert_int_equal(morning->time_of_day, RESEARCH_MORNING);
    assert_int_equal(out.rows[1].level, RESEARCH_LEVEL_HOUR); /* the afternoon keeps its hours */
    assert_int_equal(out.rows[1].time_of_day, 13);
    assert_int_equal(out.rows[2].time_of_day, 14);
    research_kanon_free(&out);
}

static void test_a_lonely_answer_in_a_quiet_hour_is_merged_into_a_range_of_the_week(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-02", 9, 5, 6);
    add(input, 0, "2026-03-02", 10, 5, 6);
    add(input, 0, "2026-03-04", 20, 9, 1); /* one visitor on a quiet Wednesday evening */
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 1);
    const struct research_row *row = &out.rows[0];
    assert_int_equal(row->level, RESEARCH_LEVEL_WEEK);
    assert_int_equal(row->note, RESEARCH_NOTE_RANGE);
    assert_int_equal(row->key, 5);
    assert_int_equal(row->key_last, 9);
    assert_int_equal(row->n, 13);
    assert_int_equal(row->first_day, day_of("2026-03-02"));
    assert_int_equal(row->last_day, day_of("2026-03-08"));
    research_kanon_free(&out);
}

static void test_small_counts_merge_with_their_smaller_neighbour(void **state)
{
    struct input *input = *state;
    /* A week's distribution with thin tails (all in one hour, so nothing finer passes). */
    static const int64_t counts[11] = {1, 2, 4, 6, 8, 10, 9, 8, 6, 4, 2};
    for (int answer = 0; answer <= 10; answer++) {
        add(input, 0, "2026-03-03", 11, (uint32_t)answer, counts[answer]);
    }
    add(input, 0, "2026-03-03", 11, KEY_SKIP, 15);
    struct research_kanon_result out;
    run(input, 5, &out);
    /* 0 (1) joins 1 (2); then 10 (2) joins 9 (4); then 0-1 (3) joins 2 (4). */
    assert_int_equal(out.row_count, 9);
    const struct research_row *low = find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_RANGE, 0);
    assert_non_null(low);
    assert_int_equal(low->key_last, 2);
    assert_int_equal(low->n, 7);
    const struct research_row *high = find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_RANGE, 9);
    assert_non_null(high);
    assert_int_equal(high->key_last, 10);
    assert_int_equal(high->n, 6);
    for (uint32_t answer = 3; answer <= 8; answer++) {
        const struct research_row *single =
            find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, answer);
        assert_non_null(single);
        assert_int_equal(single->n, counts[answer]);
    }
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, KEY_SKIP)->n, 15);
    assert_null(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_REMAINDER, 0));
    research_kanon_free(&out);
}

static void test_a_small_remainder_takes_the_smallest_published_count_with_it(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-03", 11, 5, 20);
    add(input, 0, "2026-03-03", 11, 6, 8);
    add(input, 0, "2026-03-03", 11, KEY_SKIP, 2);
    struct research_kanon_result out;
    run(input, 5, &out);
    /* "skip 2" alone would follow from a total of check-ins: 6 (8) hides with it. */
    assert_int_equal(out.row_count, 2);
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, 5)->n, 20);
    assert_null(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, 6));
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_REMAINDER, 0)->n, 10);
    research_kanon_free(&out);
}

static void test_a_remainder_at_its_upper_bound_takes_another_count(void **state)
{
    struct input *input = *state;
    /* Nominal keys A, B, skip: B and skip hide with 4 each; an observer knowing that each
     * hidden count is at most k - 1 = 4 would read 8 as 4 + 4. */
    add(input, 0, "2026-03-03", 11, KEY_A, 20);
    add(input, 0, "2026-03-03", 11, KEY_B, 4);
    add(input, 0, "2026-03-03", 11, KEY_SKIP, 4);
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 1);
    assert_int_equal(out.rows[0].note, RESEARCH_NOTE_REMAINDER);
    assert_int_equal(out.rows[0].n, 28);
    research_kanon_free(&out);

    /* 4 + 3 = 7 is below the bound 8: B and skip cannot be told apart, A stays. */
    input->count = 0;
    add(input, 0, "2026-03-03", 11, KEY_A, 20);
    add(input, 0, "2026-03-03", 11, KEY_B, 4);
    add(input, 0, "2026-03-03", 11, KEY_SKIP, 3);
    run(input, 5, &out);
    assert_int_equal(out.row_count, 2);
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, KEY_A)->n, 20);
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_REMAINDER, 0)->n, 7);
    research_kanon_free(&out);
}

static void test_quiet_weeks_are_pooled_into_one_period(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-03", 11, 5, 3);
    add(input, 0, "2026-03-17", 11, 5, 3); /* two weeks later */
    add(input, 0, "2026-03-10", 11, 7, 9); /* the week between is busy enough */
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 2);
    const struct research_row *busy = find(&out, RESEARCH_LEVEL_HOUR, RESEARCH_NOTE_CELL, 7);
    assert_non_null(busy);
    const struct research_row *pooled =
        find(&out, RESEARCH_LEVEL_POOLED_WEEKS, RESEARCH_NOTE_CELL, 5);
    assert_non_null(pooled);
    assert_int_equal(pooled->n, 6);
    assert_int_equal(out.pool_count, 1);
    assert_int_equal(out.pools[pooled->pool].count, 2);
    assert_int_equal(out.pools[pooled->pool].mondays[0], day_of("2026-03-02"));
    assert_int_equal(out.pools[pooled->pool].mondays[1], day_of("2026-03-16"));
    research_kanon_free(&out);
}

static void test_a_pool_below_k_is_suppressed_week_by_week(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-03", 11, 5, 1);
    add(input, 0, "2026-03-17", 11, 6, 2);
    add(input, 1, "2026-03-03", 11, 5, 6); /* another series is not affected */
    struct research_kanon_result out;
    run(input, 5, &out);
    int suppressed = 0;
    for (size_t i = 0; i < out.row_count; i++) {
        if (out.rows[i].series == 0) {
            assert_int_equal(out.rows[i].note, RESEARCH_NOTE_SUPPRESSED);
            assert_int_equal(out.rows[i].level, RESEARCH_LEVEL_WEEK);
            assert_int_equal(out.rows[i].n, 0);
            suppressed++;
        } else {
            assert_int_equal(out.rows[i].n, 6);
        }
    }
    assert_int_equal(suppressed, 2);
    assert_int_equal(out.pool_count, 0);
    research_kanon_free(&out);
}

static void test_cells_of_the_same_hour_and_key_are_added_first(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-03", 11, 5, 3); /* two databases of one site */
    add(input, 0, "2026-03-03", 11, 5, 3);
    struct research_kanon_result out;
    run(input, 5, &out);
    assert_int_equal(out.row_count, 1);
    assert_int_equal(out.rows[0].level, RESEARCH_LEVEL_HOUR);
    assert_int_equal(out.rows[0].n, 6);
    research_kanon_free(&out);
}

static void test_tables_counted_per_day_start_at_the_day(void **state)
{
    struct input *input = *state;
    add(input, 0, "2026-03-03", -1, KEY_A, 7);
    add(input, 0, "2026-03-04", -1, KEY_A, 2);
    add(input, 0, "2026-03-04", -1, KEY_B, 6);
    struct research_kanon_result out;
    run(input, 5, &out);
    /* the 4th has a small count, so the week is one period; A (9) and B (6) both hold k */
    assert_int_equal(out.row_count, 2);
    assert_int_equal(out.rows[0].level, RESEARCH_LEVEL_WEEK);
    assert_int_equal(find(&out, RESEARCH_LEVEL_WEEK, RESEARCH_NOTE_CELL, KEY_A)->n, 9);

    research_kanon_free(&out);
    input->count = 0;
    add(input, 0, "2026-03-03", -1, KEY_A, 7);
    run(input, 5, &out);
    assert_int_equal(out.rows[0].level, RESEARCH_LEVEL_DAY);
    research_kanon_free(&out);
}

static void test_bad_input_is_refused(void **state)
{
    struct input *input = *state;
    struct research_kanon_result out;
    add(input, 0, "2026-03-03", 11, 5, 9);
    assert_int_equal(research_kanon_run(input->cells, input->count, keys, KEY_COUNT, 2, &out),
                     -EINVAL);
    assert_int_equal(out.row_count, 0);
    input->cells[0].key = KEY_COUNT;
    assert_int_equal(research_kanon_run(input->cells, input->count, keys, KEY_COUNT, 5, &out),
                     -EINVAL);
    input->cells[0].key = 5;
    input->cells[0].n = 0;
    assert_int_equal(research_kanon_run(input->cells, input->count, keys, KEY_COUNT, 5, &out),
                     -EINVAL);
    input->cells[0].n = 9;
    add(input, 0, "2026-03-03", -1, 5, 9); /* hours and whole days mixed */
    assert_int_equal(research_kanon_run(input->cells, input->count, keys, KEY_COUNT, 5, &out),
                     -EINVAL);
}

/* ---- the attacker ---------------------------------------------------------------------- */

/* Published rows add up to the input exactly once (suppressed weeks aside), and an attacker
 * solving equations learns no count below k (test_research_util.h). */
static void assert_attacker_learns_nothing_below_k(const struct research_cell *cells, size_t count,
                                                   const struct research_kanon_result *out, int k)
{
    struct research_test_table table = {.published = out, .keys = keys};
    struct research_test_base *bases = calloc(count, sizeof bases[0]);
    assert_non_null(bases);
    int64_t total = 0, published = 0, suppressed = 0;
    for (size_t c = 0; c < count; c++) {
        bases[c] = (struct research_test_base){0, cells[c]};
        total += cells[c].n;
        bool held = false, hidden = false;
        for (size_t r = 0; r < out->row_count; r++) {
            const struct research_row *row = &out->rows[r];
            if (row->note == RESEARCH_NOTE_SUPPRESSED) {
                hidden = hidden || research_test_period_holds(out, row, &cells[c]);
            } else if (research_test_row_holds(&table, r, &cells[c])) {
                published += cells[c].n; /* a cell in two rows is counted twice: caught */
                held = true;
            }
        }
        /* a suppressed day of the daily form hides its ordered counts; its skips are in the
           week's row */
        suppressed += hidden && !held ? cells[c].n : 0;
    }
    assert_int_equal(published + suppressed, total); /* nothing lost, nothing counted twice */
    int checked = research_test_assert_nothing_below_k(&table, 1, bases, count, NULL, 0, k);
    assert_true(checked > 0); /* the data did have small counts to protect */
    free(bases);
}

static void test_no_sum_or_difference_of_published_rows_reveals_a_count_below_k(void **state)
{
    struct input *input = *state;
    uint64_t seed = 0x4F415345;
    for (int trial = 0; trial < 20; trial++) {
        input->count = 0;
        int k = 3 + (int)(research_test_random(&seed) % 4);
        int series_count = 1 + (int)(research_test_random(&seed) % 2);
        for (int series = 0; series < series_count; series++) {
            for (int day = 0; day < 21; day++) { /* three weeks from Monday 2026-03-02 */
                char date[RESEARCH_DATE_SIZE];
                research_day_format(day_of("2026-03-02") + day, date);
                int busy = (int)(research_test_random(&seed) % 4); /* 0: closed .. 3: busy */
                for (int hour = 8; hour < 21 && busy > 0; hour++) {
                    for (uint32_t key = 0; key < KEY_B; key++) {
                        uint64_t roll = research_test_random(&seed) % 100;
                        if (roll < (uint64_t)(busy * 4)) {
                            int64_t n = 1 + (int64_t)(research_test_random(&seed) % (busy * 3));
                            add(input, (uint32_t)series, date, hour, key, n);
                        }
                    }
                }
            }
        }
        add(input, 0, "2026-03-18", 20, 9, 1); /* and always one lonely answer */
        struct research_cell *copy = malloc(input->count * sizeof copy[0]);
        assert_non_null(copy);
        memcpy(copy, input->cells, input->count * sizeof copy[0]);
        size_t count = input->count;
        struct research_kanon_result out;
        run(input, k, &out);
        assert_attacker_learns_nothing_below_k(copy, count, &out, k);
        research_kanon_free(&out);
        free(copy);
    }
}

/* ---- the daily form: a randomised room's days, one by one --------------------------------- */

static void run_daily(struct input *input, const struct research_series_day *days, size_t count,
                      int k, struct research_kanon_result *out)
{
    struct research_kanon_daily daily = {
        .days = days, .count = count, .cut_position = RESEARCH_STRESS_CUT};
    assert_int_equal(
        research_kanon_run_daily(input->cells, input->count, keys, KEY_COUNT, &daily, k, out), 0);
}

/* One day of 37 answers spread over the scale: never every value at k, both sides of the cut
   are; 4 and 5 are the smallest, so without the cut they would be one range. */
static void add_spread_day(struct input *input, uint32_t series, const char *date)
{
    static const int64_t spread[11] = {5, 5, 5, 5, 2, 2, 4, 3, 2, 3, 1};
    for (uint32_t key = 0; key <= 10; key++) {
        add(input, series, date, -1, key, spread[key]);
    }
    add(input, series, date, -1, KEY_SKIP, 6);
}

static void test_listed_days_are_published_one_by_one_in_ranges_that_keep_the_cut(void **state)
{
    struct input *input = *state;
    static const char *const dates[] = {"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05",
                                        "2026-03-06"};
    for (int d = 0; d < 5; d++) {
        add_spread_day(input, 0, dates[d]);
    }
    /* unlisted, the week is one period */
    struct research_cell copy[64];
    memcpy(copy, input->cells, input->count * sizeof copy[0]);
    size_t count = input->count;
    struct research_kanon_result out;
    run(input, 5, &out);
    for (size_t r = 0; r < out.row_count; r++) {
        assert_int_equal(out.rows[r].level, RESEARCH_LEVEL_WEEK);
    }
    research_kanon_free(&out);
    /* listed: every day on its own; on each side of the cut the ranges add up to the day's
       answers there, every range holds k and none crosses the cut */
    struct research_series_day days[5];
    for (int d = 0; d < 5; d++) {
        days[d] = (struct research_series_day){0, day_of(dates[d])};
    }
    memcpy(input->cells, copy, count * sizeof copy[0]);
    input->count = count;
    run_daily(input, days, 5, 5, &out);
    int64_t below[5] = {0}, above[5] = {0}, skips = 0;
    for (size_t r = 0; r < out.row_count; r++) {
        const struct research_row *row = &out.rows[r];
        assert_true(row->n >= 5);
        if (row->key == KEY_SKIP) { /* the skips of the week: one row */
            assert_int_equal(row->level, RESEARCH_LEVEL_WEEK);
            skips += row->n;
            continue;
        }
        assert_int_equal(row->level, RESEARCH_LEVEL_DAY);
        assert_int_equal(row->first_day, row->last_day);
        int d = row->first_day - days[0].day;
        assert_true(d >= 0 && d < 5);
        assert_true(row->note == RESEARCH_NOTE_CELL || row->note == RESEARCH_NOTE_RANGE);
        assert_true(row->key_last < RESEARCH_STRESS_CUT || row->key >= RESEARCH_STRESS_CUT);
        (row->key < RESEARCH_STRESS_CUT ? below : above)[d] += row->n;
    }
    for (int d = 0; d < 5; d++) {
        assert_int_equal(below[d], 5 + 5 + 5 + 5 + 2);
        assert_int_equal(above[d], 2 + 4 + 3 + 2 + 3 + 1);
    }
    assert_int_equal(skips, 5 * 6);
    assert_attacker_learns_nothing_below_k(copy, count, &out, 5);
    research_kanon_free(&out);
}

static void
test_a_listed_day_short_on_one_side_is_suppressed_and_a_short_week_stays_whole(void **state)
{
    struct input *input = *state;
    add_spread_day(input, 0, "2026-03-02");
    add_spread_day(input, 0, "2026-03-03");
    add(input, 0, "2026-03-04", -1, 2, 4); /* 4 below the cut: no safe form */
    for (uint32_t key = RESEARCH_STRESS_CUT; key <= 10; key++) {
        add(input, 0, "2026-03-04", -1, key, 3);
    }
    struct research_series_day days[] = {
        {0, day_of("2026-03-02")}, {0, day_of("2026-03-03")}, {0, day_of("2026-03-04")}};
    struct research_cell copy[64];
    memcpy(copy, input->cells, input->count * sizeof copy[0]);
    size_t count = input->count;
    struct research_kanon_result out;
    run_daily(input, days, 3, 5, &out);
    const struct research_row *suppressed =
        find(&out, RESEARCH_LEVEL_DAY, RESEARCH_NOTE_SUPPRESSED, 0);
    assert_non_null(suppressed);
    assert_int_equal(suppressed->first_day, day_of("2026-03-04"));
    assert_int_equal(suppressed->n, 0);
    assert_attacker_learns_nothing_below_k(copy, count, &out, 5);
    research_kanon_free(&out);
    /* two of three days without a safe form: the week keeps all its answers together */
    input->count = 0;
    add_spread_day(input, 0, "2026-03-02");
    for (int d = 3; d <= 4; d++) {
        char date[RESEARCH_DATE_SIZE];
        snprintf(date, sizeof date, "2026-03-0%d", d);
        add(input, 0, date, -1, 1, 2);
        add(input, 0, date, -1, 7, 9);
    }
    run_daily(input, days, 3, 5, &out);
    for (size_t r = 0; r < out.row_count; r++) {
        assert_int_equal(out.rows[r].level, RESEARCH_LEVEL_WEEK);
    }
    research_kanon_free(&out);
}

static void test_unlisted_series_and_weeks_keep_the_usual_forms(void **state)
{
    struct input *input = *state;
    add_spread_day(input, 0, "2026-03-02");
    add_spread_day(input, 1, "2026-03-02"); /* another series, not listed */
    add_spread_day(input, 0, "2026-03-09"); /* the next week, not listed */
    struct research_series_day days[] = {{0, day_of("2026-03-03")}}; /* a day without answers */
    struct research_kanon_result out;
    run_daily(input, days, 1, 5, &out);
    size_t daily = 0;
    for (size_t r = 0; r < out.row_count; r++) {
        const struct research_row *row = &out.rows[r];
        bool listed_week = row->series == 0 && row->first_day < day_of("2026-03-09");
        bool daily_row = listed_week && row->key != KEY_SKIP;
        assert_int_equal(row->level, daily_row ? RESEARCH_LEVEL_DAY : RESEARCH_LEVEL_WEEK);
        daily += daily_row;
    }
    assert_true(daily > 0);
    research_kanon_free(&out);
    /* the listed days must be sorted */
    struct research_series_day unsorted[] = {{1, 10}, {0, 20}};
    struct research_kanon_daily bad = {.days = unsorted, .count = 2, .cut_position = 4};
    assert_int_equal(
        research_kanon_run_daily(input->cells, input->count, keys, KEY_COUNT, &bad, 5, &out),
        -EINVAL);
}

/* Random weeks, some listed: whatever the form, no sum or difference gives a count below k. */
static void test_the_daily_form_reveals_no_count_below_k(void **state)
{
    struct input *input = *state;
    uint64_t seed = 0xDA11;
    size_t daily_rows = 0;
    for (int trial = 0; trial < 30; trial++) {
        input->count = 0;
        int k = 3 + (int)(research_test_random(&seed) % 4);
        struct research_series_day days[21];
        size_t listed = 0;
        for (int day = 0; day < 21; day++) {
            char date[RESEARCH_DATE_SIZE];
            research_day_format(day_of("2026-03-02") + day, date);
            int busy = (int)(research_test_random(&seed) % 4);
            for (uint32_t key = 0; key < KEY_B && busy > 0; key++) {
                if (research_test_random(&seed) % 100 < (uint64_t)(busy * 25)) {
                    add(input, 0, date, -1, key,
                        1 + (int64_t)(research_test_random(&seed) % (uint64_t)(busy * 3)));
                }
            }
            if (research_test_random(&seed) % 3 != 0) {
                days[listed++] = (struct research_series_day){0, day_of("2026-03-02") + day};
            }
        }
        struct research_cell *copy = malloc(input->count * sizeof copy[0]);
        assert_non_null(copy);
        memcpy(copy, input->cells, input->count * sizeof copy[0]);
        size_t count = input->count;
        struct research_kanon_result out;
        run_daily(input, days, listed, k, &out);
        for (size_t r = 0; r < out.row_count; r++) {
            daily_rows +=
                out.rows[r].level == RESEARCH_LEVEL_DAY && out.rows[r].note == RESEARCH_NOTE_RANGE;
        }
        assert_attacker_learns_nothing_below_k(copy, count, &out, k);
        research_kanon_free(&out);
        free(copy);
    }
    assert_true(daily_rows > 20); /* the form was tried, not only the usual ones */
}

/*
 * The room context of an answer as a ladder: keys (answer a, light l) = a * 3 + l with light
 * 0 low, 1 mid, 2 any; level 0 keeps the light, level 1 maps every light to "any".
 */
static void ladder_keys(struct research_key_order orders[9], uint32_t map[18])
{
    for (uint32_t a = 0; a < 3; a++) {
        for (uint32_t l = 0; l < 3; l++) {
            orders[a * 3 + l] =
                (struct research_key_order){.group = (int32_t)l, .position = (int32_t)a};
            map[a * 3 + l] = a * 3 + l;     /* level 0: as it is */
            map[9 + a * 3 + l] = a * 3 + 2; /* level 1: light "any" */
        }
    }
}

static void
test_the_room_context_is_kept_down_to_the_week_and_dropped_before_a_remainder(void **state)
{
    struct input *input = *state;
    struct research_key_order orders[9];
    uint32_t map[18];
    ladder_keys(orders, map);
    /* week 1: a busy hour, every count 5: hour by hour, light kept */
    add(input, 0, "2026-03-02", 9, 0 * 3 + 0, 5);
    add(input, 0, "2026-03-02", 9, 0 * 3 + 1, 5);
    /* week 2: 3 + 3 on two days: only the week holds k per light: a week row, light kept */
    add(input, 0, "2026-03-09", 9, 1 * 3 + 0, 3);
    add(input, 0, "2026-03-09", 9, 1 * 3 + 1, 3);
    add(input, 0, "2026-03-10", 9, 1 * 3 + 0, 3);
    add(input, 0, "2026-03-10", 9, 1 * 3 + 1, 3);
    /* week 3: 3 low and 4 mid in one hour: no light level holds k, the hour without light does */
    add(input, 0, "2026-03-16", 9, 2 * 3 + 0, 3);
    add(input, 0, "2026-03-16", 9, 2 * 3 + 1, 4);
    struct research_kanon_ladder ladder = {map, 2};
    struct research_kanon_result out;
    assert_int_equal(
        research_kanon_run_ladder(input->cells, input->count, orders, 9, &ladder, 5, &out), 0);
    assert_int_equal(out.row_count, 5);
    assert_int_equal(out.rows[0].level, RESEARCH_LEVEL_HOUR);
    assert_int_equal(out.rows[0].key, 0 * 3 + 0);
    assert_int_equal(out.rows[1].key, 0 * 3 + 1);
    assert_int_equal(out.rows[2].level, RESEARCH_LEVEL_WEEK);
    assert_int_equal(out.rows[2].key, 1 * 3 + 0);
    assert_int_equal(out.rows[2].n, 6);
    assert_int_equal(out.rows[3].level, RESEARCH_LEVEL_WEEK);
    assert_int_equal(out.rows[3].key, 1 * 3 + 1);
    assert_int_equal(out.rows[4].level, RESEARCH_LEVEL_HOUR);
    assert_int_equal(out.rows[4].key, 2 * 3 + 2); /* answer 2, light any */
    assert_int_equal(out.rows[4].n, 7);
    for (size_t r = 0; r < out.row_count; r++) {
        assert_true(out.rows[r].n >= 5);
        assert_int_equal(out.rows[r].note, RESEARCH_NOTE_CELL);
    }
    research_kanon_free(&out);
    /* a mapped key out of range is refused */
    map[3] = 9;
    input->count = 0;
    add(input, 0, "2026-03-02", 9, 0, 5);
    assert_int_equal(
        research_kanon_run_ladder(input->cells, input->count, orders, 9, &ladder, 5, &out),
        -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_busy_hours_are_published_hour_by_hour, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_quiet_hour_makes_its_part_of_day_one_period, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_lonely_answer_in_a_quiet_hour_is_merged_into_a_range_of_the_week, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_small_counts_merge_with_their_smaller_neighbour, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_small_remainder_takes_the_smallest_published_count_with_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_remainder_at_its_upper_bound_takes_another_count,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_weeks_are_pooled_into_one_period, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_pool_below_k_is_suppressed_week_by_week, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cells_of_the_same_hour_and_key_are_added_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tables_counted_per_day_start_at_the_day, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_no_sum_or_difference_of_published_rows_reveals_a_count_below_k, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_the_room_context_is_kept_down_to_the_week_and_dropped_before_a_remainder, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_listed_days_are_published_one_by_one_in_ranges_that_keep_the_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_listed_day_short_on_one_side_is_suppressed_and_a_short_week_stays_whole, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_unlisted_series_and_weeks_keep_the_usual_forms, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_daily_form_reveals_no_count_below_k, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
