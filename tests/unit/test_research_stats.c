/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for research_stats against values worked out by hand (the working is in the
 * comments; square roots and erfc from a calculator), including ties and unequal groups.
 * The Mann-Whitney figures follow the usual large-sample formulas, as in scipy.stats.
 * mannwhitneyu(method="asymptotic", use_continuity=True): U from mid-ranks, variance
 * n_a n_b / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))), z with 0.5 continuity correction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "research/research_stats.h"
#include "unit/test_research_util.h"

#define CELLS(...) ((const struct research_value_count[]){__VA_ARGS__})
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void test_summary_of_cells_matches_hand_computation(void **state)
{
    (void)state;
    /* 0, 0, 5, 5, 5, 10: mean 25/6; median (5 + 5) / 2; sum of squares 175 - 6 (25/6)^2 =
     * 70.8333, sd = sqrt(70.8333 / 5) = sqrt(85/6) = 3.763863 */
    const struct research_value_count cells[] = {{5, 3}, {0, 2}, {10, 1}};
    struct research_summary summary;
    assert_int_equal(research_stats_summary(cells, COUNT(cells), &summary), 0);
    assert_int_equal(summary.n, 6);
    assert_true(fabs(summary.mean - 25.0 / 6.0) < 1e-12);
    assert_true(fabs(summary.median - 5.0) < 1e-12);
    assert_true(fabs(summary.sd - 3.763863263545405) < 1e-9);
}

static void test_median_of_an_even_count_is_the_mean_of_the_middle_two(void **state)
{
    (void)state;
    const struct research_value_count cells[] = {{4, 1}, {1, 1}, {3, 1}, {2, 1}};
    struct research_summary summary;
    assert_int_equal(research_stats_summary(cells, COUNT(cells), &summary), 0);
    assert_true(fabs(summary.median - 2.5) < 1e-12);
    /* equal values given twice count together: 7 once and 7 twice is 7 three times */
    const struct research_value_count repeated[] = {{7, 1}, {1, 1}, {7, 2}};
    assert_int_equal(research_stats_summary(repeated, COUNT(repeated), &summary), 0);
    assert_true(fabs(summary.median - 7.0) < 1e-12);
}

static void test_summary_of_nothing_has_no_mean_and_one_value_no_sd(void **state)
{
    (void)state;
    struct research_summary summary;
    assert_int_equal(research_stats_summary(NULL, 0, &summary), 0);
    assert_int_equal(summary.n, 0);
    assert_true(isnan(summary.mean) && isnan(summary.median) && isnan(summary.sd));
    assert_int_equal(research_stats_summary(CELLS({3, 1}), 1, &summary), 0);
    assert_true(summary.mean == 3 && isnan(summary.sd));
    assert_int_equal(research_stats_summary(CELLS({NAN, 1}), 1, &summary), -EINVAL);
    assert_int_equal(research_stats_summary(CELLS({1, -1}), 1, &summary), -EINVAL);
}

/*
 * A = {1, 2, 2, 3}, B = {2, 3, 4, 4, 5}: ties across groups, unequal sizes.
 * Pooled, sorted: 1(A) 2(A A B) 3(A B) 4(B B) 5(B), N = 9; mid-ranks 1, 3, 5.5, 7.5, 9.
 * R_A = 1 + 3 + 3 + 5.5 = 12.5, U_A = 12.5 - 4*5/2 = 2.5
 * R_B = 3 + 5.5 + 7.5 + 7.5 + 9 = 32.5, U_B = 32.5 - 5*6/2 = 17.5 (U_A + U_B = 20 = 4*5)
 * Pair check of U_A: A=1 wins none; each A=2 ties B=2 (0.5 each); A=3 beats 2, ties 3: 2.5.
 * Ties: t = 3, 2, 2: sum(t^3 - t) = 24 + 6 + 6 = 36; N(N-1) = 72.
 * var = 20/12 (10 - 36/72) = 15.8333, sd = 3.979112; mean 10.
 * z = (17.5 - 10 - 0.5) / 3.979112 = 1.759186; p = erfc(z / sqrt 2) = 0.078546.
 * rank-biserial (17.5 - 2.5) / 20 = 0.75. Pairs B > A: 16, B < A: 1, ties 3: delta 15/20.
 */
static void test_mann_whitney_with_ties_and_unequal_groups(void **state)
{
    (void)state;
    const struct research_value_count a[] = {{1, 1}, {2, 2}, {3, 1}};
    const struct research_value_count b[] = {{2, 1}, {3, 1}, {4, 2}, {5, 1}};
    struct research_mann_whitney result;
    assert_int_equal(research_stats_mann_whitney(a, COUNT(a), b, COUNT(b), &result), 0);
    assert_true(fabs(result.u_a - 2.5) < 1e-12);
    assert_true(fabs(result.u_b - 17.5) < 1e-12);
    assert_true(fabs(result.mean_u - 10) < 1e-12);
    assert_true(fabs(result.sd_u - 3.9791121287711073) < 1e-9);
    assert_true(fabs(result.z - 1.759186414825121) < 1e-9);
    assert_true(fabs(result.p_two_sided - 0.0785458509511907) < 1e-9);
    assert_true(fabs(result.rank_biserial - 0.75) < 1e-12);
    assert_true(fabs(research_stats_cliffs_delta(a, COUNT(a), b, COUNT(b)) - 0.75) < 1e-12);

    /* The other way round: U swap, z and the effect sizes change sign, p stays. */
    struct research_mann_whitney swapped;
    assert_int_equal(research_stats_mann_whitney(b, COUNT(b), a, COUNT(a), &swapped), 0);
    assert_true(fabs(swapped.u_b - 2.5) < 1e-12);
    assert_true(fabs(swapped.z + 1.759186414825121) < 1e-9);
    assert_true(fabs(swapped.p_two_sided - result.p_two_sided) < 1e-12);
    assert_true(fabs(swapped.rank_biserial + 0.75) < 1e-12);
}

/*
 * A = {1, 1, 1}, B = {2, 2, 2, 2}: complete separation, two tie groups.
 * U_B = 12, U_A = 0; sum(t^3 - t) = 24 + 60 = 84, N(N-1) = 42; var = 12/12 (8 - 2) = 6.
 * z = (12 - 6 - 0.5) / sqrt 6 = 2.245366; p = 0.024745. Effect sizes 1.
 */
static void test_mann_whitney_of_separated_groups(void **state)
{
    (void)state;
    struct research_mann_whitney result;
    assert_int_equal(research_stats_mann_whitney(CELLS({1, 3}), 1, CELLS({2, 4}), 1, &result), 0);
    assert_true(fabs(result.u_b - 12) < 1e-12 && fabs(result.u_a) < 1e-12);
    assert_true(fabs(result.sd_u - 2.449489742783178) < 1e-9);
    assert_true(fabs(result.z - 2.2453655975512468) < 1e-9);
    assert_true(fabs(result.p_two_sided - 0.02474467204639896) < 1e-9);
    assert_true(fabs(result.rank_biserial - 1) < 1e-12);
}

static void test_mann_whitney_of_identical_groups_finds_nothing(void **state)
{
    (void)state;
    const struct research_value_count same[] = {{3, 4}, {6, 2}};
    struct research_mann_whitney result;
    assert_int_equal(research_stats_mann_whitney(same, 2, same, 2, &result), 0);
    assert_true(fabs(result.u_a - result.u_b) < 1e-12);
    assert_true(result.z == 0 && result.p_two_sided == 1 && result.rank_biserial == 0);
    /* every value the same: no spread at all, no test (sd 0), p = 1 */
    assert_int_equal(research_stats_mann_whitney(CELLS({5, 3}), 1, CELLS({5, 9}), 1, &result), 0);
    assert_true(result.sd_u == 0 && result.p_two_sided == 1);
    /* an empty group is refused */
    assert_int_equal(research_stats_mann_whitney(CELLS({5, 0}), 1, CELLS({5, 9}), 1, &result),
                     -EINVAL);
}

static void test_rank_biserial_from_ranks_equals_cliffs_delta_from_pairs(void **state)
{
    (void)state;
    /* Two different computations of the same quantity (Kerby 2014): ranks vs. pair counts. */
    uint64_t seed = 42;
    for (int trial = 0; trial < 50; trial++) {
        struct research_value_count a[11], b[11];
        for (int v = 0; v <= 10; v++) {
            a[v] = (struct research_value_count){v, (int64_t)(research_test_random(&seed) % 30)};
            b[v] = (struct research_value_count){v, (int64_t)(research_test_random(&seed) % 30)};
        }
        struct research_mann_whitney result;
        assert_int_equal(research_stats_mann_whitney(a, 11, b, 11, &result), 0);
        double delta = research_stats_cliffs_delta(a, 11, b, 11);
        assert_true(fabs(result.rank_biserial - delta) < 1e-9);
    }
}

static void test_binomial_draws_have_the_right_mean_and_variance(void **state)
{
    (void)state;
    static const struct {
        int64_t n;
        double p;
    } cases[] = {{50, 0.3}, {7, 0.9}, {100000, 0.42}, {2000000, 0.003}};
    for (size_t c = 0; c < COUNT(cases); c++) {
        struct research_random random;
        research_random_seed(&random, 7 + c);
        double sum = 0, squares = 0;
        const int draws = 20000;
        for (int i = 0; i < draws; i++) {
            int64_t x = research_random_binomial(&random, cases[c].n, cases[c].p);
            assert_true(x >= 0 && x <= cases[c].n);
            sum += (double)x;
            squares += (double)x * (double)x;
        }
        double mean = sum / draws, variance = squares / draws - mean * mean;
        double want_mean = (double)cases[c].n * cases[c].p;
        double want_variance = want_mean * (1 - cases[c].p);
        /* the mean of 20000 draws is within 4 standard errors; the variance within 5 % */
        assert_true(fabs(mean - want_mean) < 4 * sqrt(want_variance / draws));
        assert_true(fabs(variance / want_variance - 1) < 0.05);
    }
    struct research_random random;
    research_random_seed(&random, 1);
    assert_int_equal(research_random_binomial(&random, 10, 0), 0);
    assert_int_equal(research_random_binomial(&random, 10, 1), 10);
}

static void test_bootstrap_of_constant_groups_is_exactly_their_difference(void **state)
{
    (void)state;
    struct research_bootstrap ci;
    assert_int_equal(research_stats_bootstrap_mean_difference(CELLS({3, 40}), 1, CELLS({5, 25}), 1,
                                                              1000, 1, &ci),
                     0);
    assert_true(ci.difference == 2 && ci.low == 2 && ci.high == 2);
}

static void test_bootstrap_interval_matches_the_normal_approximation_for_large_groups(void **state)
{
    (void)state;
    /* A: 0..10, 100 each (mean 5, var 11, n 1100); B: 1..10, 100 each and 0 twice as often.
     * The bootstrap interval of a mean difference of large groups is close to
     * d +- 1.96 sqrt(s_a^2 / n_a + s_b^2 / n_b). */
    struct research_value_count a[11], b[11];
    for (int v = 0; v <= 10; v++) {
        a[v] = (struct research_value_count){v, 100};
        b[v] = (struct research_value_count){v, v == 0 ? 200 : 100};
    }
    struct research_summary sa, sb;
    research_stats_summary(a, 11, &sa);
    research_stats_summary(b, 11, &sb);
    double se = sqrt(sa.sd * sa.sd / (double)sa.n + sb.sd * sb.sd / (double)sb.n);
    struct research_bootstrap ci;
    assert_int_equal(research_stats_bootstrap_mean_difference(
                         a, 11, b, 11, RESEARCH_BOOTSTRAP_RESAMPLES, RESEARCH_BOOTSTRAP_SEED, &ci),
                     0);
    assert_true(fabs(ci.difference - (sb.mean - sa.mean)) < 1e-12);
    assert_true(ci.low < ci.difference && ci.difference < ci.high);
    double width = ci.high - ci.low;
    assert_true(fabs(width / (2 * 1.959964 * se) - 1) < 0.1);
    assert_true(fabs((ci.low + ci.high) / 2 - ci.difference) < 0.1 * width);

    /* the same seed gives the same interval: a report can be reproduced */
    struct research_bootstrap again;
    assert_int_equal(research_stats_bootstrap_mean_difference(a, 11, b, 11,
                                                              RESEARCH_BOOTSTRAP_RESAMPLES,
                                                              RESEARCH_BOOTSTRAP_SEED, &again),
                     0);
    assert_true(again.low == ci.low && again.high == ci.high);
    assert_int_equal(research_stats_bootstrap_mean_difference(a, 11, b, 11, 10, 1, &again),
                     -EINVAL);
}

/* Kendall's tau-b by counting every pair of observations: the independent check. */
static double tau_b_by_pairs(const int64_t *table, int rows, int columns)
{
    int x[64], y[64], n = 0;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++) {
            for (int64_t i = 0; i < table[r * columns + c]; i++) {
                x[n] = r;
                y[n++] = c;
            }
        }
    }
    double concordant = 0, discordant = 0, tied_x = 0, tied_y = 0, pairs = 0;
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            int product = (x[i] - x[j]) * (y[i] - y[j]);
            concordant += product > 0;
            discordant += product < 0;
            tied_x += x[i] == x[j];
            tied_y += y[i] == y[j];
            pairs++;
        }
    }
    return (concordant - discordant) / sqrt((pairs - tied_x) * (pairs - tied_y));
}

static void test_kendall_tau_b_on_bands_matches_hand_worked_values(void **state)
{
    (void)state;
    /* 2 x 2 [[3, 1], [1, 3]]: C = 3 * 3 = 9, D = 1 * 1 = 1, N = 8, n0 = 28, rows 4 + 4 and
     * columns 4 + 4 tie 6 + 6 = 12 pairs each: (9 - 1) / sqrt(16 * 16) = 0.5 (the phi
     * coefficient, as tau-b is for 2 x 2) */
    const int64_t square[] = {3, 1, 1, 3};
    assert_true(fabs(research_stats_kendall_tau_b(square, 2, 2) - 0.5) < 1e-12);
    /* 2 x 3 [[2, 1, 0], [0, 1, 2]]: C = 2 (1 + 2) + 1 * 2 = 8, D = 1 * 0 + 0 = 0, N = 6,
     * n0 = 15, row ties 3 + 3 = 6, column ties 1 + 1 + 1 = 3: 8 / sqrt(9 * 12) = 0.7698004 */
    const int64_t wide[] = {2, 1, 0, 0, 1, 2};
    assert_true(fabs(research_stats_kendall_tau_b(wide, 2, 3) - 8 / sqrt(108)) < 1e-12);
    assert_true(fabs(8 / sqrt(108) - 0.769800358919501) < 1e-12);
    /* 3 x 3 [[2, 1, 0], [1, 2, 1], [0, 1, 2]]: C = 2*6 + 1*3 + 1*3 + 2*2 = 22, D = 1*1 + 1*1 =
     * 2, N = 10, n0 = 45, rows and columns 3, 4, 3 tie 3 + 6 + 3 = 12: 20 / 33 */
    const int64_t ordered[] = {2, 1, 0, 1, 2, 1, 0, 1, 2};
    assert_true(fabs(research_stats_kendall_tau_b(ordered, 3, 3) - 20.0 / 33.0) < 1e-12);
    /* reversed columns: the same strength, negative */
    const int64_t reversed[] = {0, 1, 2, 1, 2, 1, 2, 1, 0};
    assert_true(fabs(research_stats_kendall_tau_b(reversed, 3, 3) + 20.0 / 33.0) < 1e-12);
    /* and every case agrees with counting the pairs one by one */
    assert_true(fabs(research_stats_kendall_tau_b(wide, 2, 3) - tau_b_by_pairs(wide, 2, 3)) <
                1e-12);
    assert_true(fabs(research_stats_kendall_tau_b(ordered, 3, 3) - tau_b_by_pairs(ordered, 3, 3)) <
                1e-12);
    const int64_t uneven[] = {5, 0, 3, 1, 4, 2, 0, 2, 6, 1, 1, 2};
    assert_true(fabs(research_stats_kendall_tau_b(uneven, 3, 4) - tau_b_by_pairs(uneven, 3, 4)) <
                1e-12);
}

static void test_kendall_tau_b_is_undefined_without_two_categories_on_each_axis(void **state)
{
    (void)state;
    const int64_t one_row[] = {3, 4, 5};
    assert_true(isnan(research_stats_kendall_tau_b(one_row, 1, 3)));
    const int64_t one_column_used[] = {3, 0, 4, 0};
    assert_true(isnan(research_stats_kendall_tau_b(one_column_used, 2, 2)));
    const int64_t single[] = {1, 0, 0, 0};
    assert_true(isnan(research_stats_kendall_tau_b(single, 2, 2)));
    const int64_t negative[] = {3, -1, 1, 3};
    assert_true(isnan(research_stats_kendall_tau_b(negative, 2, 2)));
    assert_true(isnan(research_stats_kendall_tau_b(NULL, 2, 2)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_of_cells_matches_hand_computation),
        cmocka_unit_test(test_median_of_an_even_count_is_the_mean_of_the_middle_two),
        cmocka_unit_test(test_summary_of_nothing_has_no_mean_and_one_value_no_sd),
        cmocka_unit_test(test_mann_whitney_with_ties_and_unequal_groups),
        cmocka_unit_test(test_mann_whitney_of_separated_groups),
        cmocka_unit_test(test_mann_whitney_of_identical_groups_finds_nothing),
        cmocka_unit_test(test_rank_biserial_from_ranks_equals_cliffs_delta_from_pairs),
        cmocka_unit_test(test_binomial_draws_have_the_right_mean_and_variance),
        cmocka_unit_test(test_bootstrap_of_constant_groups_is_exactly_their_difference),
        cmocka_unit_test(test_bootstrap_interval_matches_the_normal_approximation_for_large_groups),
        cmocka_unit_test(test_kendall_tau_b_on_bands_matches_hand_worked_values),
        cmocka_unit_test(test_kendall_tau_b_is_undefined_without_two_categories_on_each_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
