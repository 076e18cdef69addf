/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_infer: known values of the t distribution, Welch, the rate ratio and
 * Holm, and a seeded simulation study of the primary method (segmented regression on weekly
 * means, standard errors the largest of Newey-West, OLS and AR(1) by REML): its
 * false-positive rate with day-to-day noise, a slow trend and weeks that hang together, and
 * its power on a known step; and one of the incidents rate ratio when incidents cluster. The
 * figures are printed (docs/research.md quotes them); statsmodels / scipy agreement is
 * tests/tools/stats_oracle.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "research/research_infer.h"
#include "research/research_stats.h"

static void test_t_distribution_matches_tables(void **state)
{
    (void)state;
    /* two-sided p of t = 2.228 with 10 df is 0.05; 1.96 with normal is 0.05 */
    assert_true(fabs(research_t_two_sided_p(2.228138852, 10) - 0.05) < 1e-8);
    assert_true(fabs(research_t_two_sided_p(1.959963985, INFINITY) - 0.05) < 1e-8);
    assert_true(fabs(research_t_quantile(0.975, 4) - 2.776445105) < 1e-8);
    assert_true(fabs(research_t_quantile(0.025, 30) + 2.042272456) < 1e-8);
    assert_true(research_t_two_sided_p(0, 5) == 1);
}

static void test_welch_rate_ratio_and_holm_by_hand(void **state)
{
    (void)state;
    const double p[] = {0.01, 0.04, NAN, 0.03};
    double adjusted[4];
    research_infer_holm(p, 4, adjusted);
    assert_true(fabs(adjusted[0] - 0.03) < 1e-12); /* 3 x 0.01 */
    assert_true(fabs(adjusted[3] - 0.06) < 1e-12); /* 2 x 0.03 */
    assert_true(fabs(adjusted[1] - 0.06) < 1e-12); /* 1 x 0.04, but never below the last */
    assert_true(isnan(adjusted[2]));
    const double a[] = {5, 6, 7}, b[] = {3, 4, 5, 6};
    struct research_estimate e;
    assert_int_equal(research_infer_welch(a, 3, b, 4, 0.05, &e), 0);
    assert_true(fabs(e.estimate - (-1.5)) < 1e-12);
    /* var a 1, var b 1.6667: se^2 = 1/3 + 0.41667 = 0.75 */
    assert_true(fabs(e.se - sqrt(0.75)) < 1e-12);
    assert_int_equal(research_infer_welch(a, 1, b, 4, 0.05, &e), -EINVAL);
    const double flat[] = {4, 4, 4};
    assert_int_equal(research_infer_welch(flat, 3, flat, 3, 0.05, &e), -EINVAL);

    /* One unit a phase: the plain Poisson Wald interval. */
    const int64_t totals[] = {20, 10};
    const double ten[] = {10, 10, 10, 10};
    const int one_each[] = {0, 1};
    struct research_rate_ratio rr;
    assert_int_equal(research_infer_rate_ratio(totals, ten, one_each, 2, 0.05, &rr), 0);
    assert_true(fabs(rr.ratio.estimate - 0.5) < 1e-12);
    assert_true(fabs(rr.ratio.se - sqrt(1.0 / 20 + 1.0 / 10)) < 1e-12);
    assert_true(isinf(rr.ratio.df) && isnan(rr.dispersion));
    assert_true(rr.ratio.ci_low < 0.5 && rr.ratio.ci_high > 0.5 && rr.ratio.ci_high < 1.1);
    const int64_t none[] = {0, 10};
    assert_int_equal(research_infer_rate_ratio(none, ten, one_each, 2, 0.05, &rr), -EINVAL);
    const double no_exposure[] = {10, 0};
    assert_int_equal(research_infer_rate_ratio(totals, no_exposure, one_each, 2, 0.05, &rr),
                     -EINVAL);
}

/* The same totals in weeks that cluster (2 and 18 incidents in equal weeks) give a wider
   interval: Pearson chi2 = (2 - 10)^2 / 10 + (18 - 10)^2 / 10 = 12.8 on 2 df, dispersion 6.4;
   weeks that vary less than a Poisson count do not narrow it (the factor is at least 1). */
static void test_rate_ratio_widens_for_clustered_weeks(void **state)
{
    (void)state;
    const int64_t clustered[] = {2, 18, 5, 5}, even[] = {10, 10, 5, 5};
    const double ten[] = {10, 10, 10, 10};
    const int group[] = {0, 0, 1, 1};
    struct research_rate_ratio rr, plain;
    assert_int_equal(research_infer_rate_ratio(clustered, ten, group, 4, 0.05, &rr), 0);
    assert_true(fabs(rr.ratio.estimate - 0.5) < 1e-12);
    assert_true(fabs(rr.pearson_chi2 - 12.8) < 1e-12);
    assert_true(fabs(rr.dispersion - 6.4) < 1e-12);
    assert_true(fabs(rr.ratio.se - sqrt(6.4 * (1.0 / 20 + 1.0 / 10))) < 1e-12);
    assert_true(rr.ratio.df == 2);
    assert_true(rr.ratio.ci_high > 1); /* the clustered weeks allow no difference */
    assert_int_equal(research_infer_rate_ratio(even, ten, group, 4, 0.05, &plain), 0);
    assert_true(plain.dispersion == 0 && plain.scale == 1);
    assert_true(fabs(plain.ratio.se - sqrt(1.0 / 20 + 1.0 / 10)) < 1e-12);
    assert_true(plain.ratio.ci_high < rr.ratio.ci_high);
}

static void test_its_refuses_fewer_than_three_points_a_side(void **state)
{
    (void)state;
    double t[] = {0, 1, 2, 3, 4}, y[] = {5, 5.2, 4.9, 4, 4.1};
    int after[] = {0, 0, 0, 1, 1};
    struct research_its its;
    assert_int_equal(research_infer_its(t, y, after, 5, 3, -1, 0.05, &its), -EINVAL);
    double t6[] = {0, 1, 2, 3, 4, 5}, y6[] = {5, 5.2, 4.9, 4, 4.1, 3.8};
    int after6[] = {0, 0, 0, 1, 1, 1};
    assert_int_equal(research_infer_its(t6, y6, after6, 6, 3, -1, 0.05, &its), 0);
    assert_true(its.level.estimate < -0.5);
}

/* ---- the simulation study --------------------------------------------------------------- */

#define SIM_RUNS 1000
#define SIM_WEEKS_A_SIDE 10
#define SIM_DAYS_A_WEEK 5
#define SIM_ANSWERS_A_DAY 12
#define SIM_VISITOR_SD 2.3 /* stress answers of single visitors (field data: SD 2.28) */

struct sim_scenario {
    const char *name;
    double day_sd;  /* day-to-day noise (weather, staffing, queue) */
    double trend;   /* points a week, with no redesign effect */
    double step;    /* the redesign's true effect */
    double week_sd; /* week-to-week noise, autocorrelated with week_ar */
    double week_ar;
};

static double sim_normal(struct research_random *random)
{
    double u = research_random_uniform(random), v = research_random_uniform(random);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* One answer on the 0-10 scale around mean. */
static int sim_answer(struct research_random *random, double mean)
{
    long value = lround(mean + SIM_VISITOR_SD * sim_normal(random));
    return (int)(value < 0 ? 0 : value > 10 ? 10 : value);
}

struct sim_result {
    double its_rejections, day_welch_rejections, tap_rejections;
    double its_newey_west_rejections; /* the earlier errors: Newey-West floored at OLS, n - 4 df */
};

static struct sim_result sim_run(const struct sim_scenario *scenario, uint64_t seed)
{
    struct research_random random;
    research_random_seed(&random, seed);
    int its_hits = 0, welch_hits = 0, tap_hits = 0, newey_west_hits = 0;
    enum { WEEKS = 2 * SIM_WEEKS_A_SIDE, DAYS = WEEKS * SIM_DAYS_A_WEEK };
    for (int run = 0; run < SIM_RUNS; run++) {
        double t[WEEKS], y[WEEKS], day_mean[DAYS];
        int after[WEEKS];
        struct research_value_count taps[2][11] = {{{0}}};
        for (int side = 0; side < 2; side++) {
            for (int v = 0; v < 11; v++) {
                taps[side][v].value = v;
            }
        }
        double week_effect = 0;
        for (int week = 0; week < WEEKS; week++) {
            double sum = 0;
            week_effect = scenario->week_ar * week_effect + scenario->week_sd * sim_normal(&random);
            after[week] = week >= SIM_WEEKS_A_SIDE;
            for (int d = 0; d < SIM_DAYS_A_WEEK; d++) {
                double mean = 5.5 + scenario->trend * (week + d / 7.0) +
                              (after[week] ? scenario->step : 0) + week_effect +
                              scenario->day_sd * sim_normal(&random);
                double day_sum = 0;
                for (int i = 0; i < SIM_ANSWERS_A_DAY; i++) {
                    int answer = sim_answer(&random, mean);
                    day_sum += answer;
                    taps[after[week]][answer].n++;
                }
                day_mean[week * SIM_DAYS_A_WEEK + d] = day_sum / SIM_ANSWERS_A_DAY;
                sum += day_sum;
            }
            t[week] = week;
            y[week] = sum / (SIM_DAYS_A_WEEK * SIM_ANSWERS_A_DAY);
        }
        struct research_its its;
        assert_int_equal(research_infer_its(t, y, after, WEEKS, SIM_WEEKS_A_SIDE, -1, 0.05, &its),
                         0);
        its_hits += its.level.p < 0.05;
        double se_newey_west = its.se_hac[0] > its.se_ols[0] ? its.se_hac[0] : its.se_ols[0];
        newey_west_hits +=
            research_t_two_sided_p(its.level.estimate / se_newey_west, WEEKS - 4) < 0.05;
        struct research_estimate welch;
        int half = DAYS / 2;
        assert_int_equal(research_infer_welch(day_mean, (size_t)half, day_mean + half, (size_t)half,
                                              0.05, &welch),
                         0);
        welch_hits += welch.p < 0.05;
        struct research_mann_whitney test;
        assert_int_equal(research_stats_mann_whitney(taps[0], 11, taps[1], 11, &test), 0);
        tap_hits += test.p_two_sided < 0.05;
    }
    struct sim_result result = {(double)its_hits / SIM_RUNS, (double)welch_hits / SIM_RUNS,
                                (double)tap_hits / SIM_RUNS, (double)newey_west_hits / SIM_RUNS};
    printf("  simulation %-46s  interrupted time series %5.1f %% (Newey-West floored at OLS "
           "%5.1f %%)   day-mean t test %5.1f %%   tap-level Mann-Whitney %5.1f %%\n",
           scenario->name, 100 * result.its_rejections, 100 * result.its_newey_west_rejections,
           100 * result.day_welch_rejections, 100 * result.tap_rejections);
    return result;
}

static void test_primary_method_keeps_false_positives_at_alpha_and_finds_a_step(void **state)
{
    (void)state;
    printf("  %d runs each; %d weeks a side, %d days a week, %d answers a day, visitor SD %.1f\n",
           SIM_RUNS, SIM_WEEKS_A_SIDE, SIM_DAYS_A_WEEK, SIM_ANSWERS_A_DAY, SIM_VISITOR_SD);
    static const struct sim_scenario no_effect_day_05 = {"no effect, day SD 0.5", 0.5, 0, 0, 0, 0};
    static const struct sim_scenario no_effect_day_08 = {"no effect, day SD 0.8", 0.8, 0, 0, 0, 0};
    static const struct sim_scenario trend = {
        "no effect, trend 0.08/week, day SD 0.5", 0.5, 0.08, 0, 0, 0};
    static const struct sim_scenario weeks = {
        "no effect, weeks AR(1) 0.5 SD 0.3, day SD 0.5", 0.5, 0, 0, 0.3, 0.5};
    static const struct sim_scenario strong = {
        "no effect, weeks AR(1) 0.7 SD 0.3, day SD 0.5", 0.5, 0, 0, 0.3, 0.7};
    static const struct sim_scenario step = {"step -1.0, day SD 0.5", 0.5, 0, -1.0, 0, 0};
    static const struct sim_scenario small_step = {"step -0.5, day SD 0.5", 0.5, 0, -0.5, 0, 0};
    struct sim_result quiet = sim_run(&no_effect_day_05, 1);
    struct sim_result noisy = sim_run(&no_effect_day_08, 2);
    struct sim_result drift = sim_run(&trend, 3);
    struct sim_result correlated = sim_run(&weeks, 6);
    struct sim_result very_correlated = sim_run(&strong, 7);
    struct sim_result found = sim_run(&step, 4);
    struct sim_result small = sim_run(&small_step, 5);
    /* The primary method: at most 6 % false positives in every null scenario ... */
    assert_true(quiet.its_rejections <= 0.06);
    assert_true(noisy.its_rejections <= 0.06);
    assert_true(drift.its_rejections <= 0.06);
    /* ... close to it when weeks hang together (a season, a staffing spell): AR(1) errors
       by REML; Newey-West floored at OLS gave 10.1 % here, and no method on 20 weekly points
       holds alpha exactly (docs/research.md) ... */
    assert_true(correlated.its_rejections <= 0.075);
    assert_true(very_correlated.its_rejections < very_correlated.its_newey_west_rejections);
    /* ... and it finds a step of one point seven times in ten (the price of the AR(1)
       errors: 80 % with Newey-West floored at OLS). */
    assert_true(found.its_rejections >= 0.70);
    assert_true(small.its_rejections > quiet.its_rejections);
    /* Why it is the primary: taps as units see effects that are not there, and a plain
       before/after on day means is fooled by a trend. */
    assert_true(noisy.tap_rejections > 0.10);
    assert_true(drift.day_welch_rejections > 0.5);
}

/* ---- incidents that cluster ------------------------------------------------------------- */

#define SIM_INCIDENT_RUNS 2000
#define SIM_INCIDENT_WEEKS 10     /* a side */
#define SIM_INCIDENTS_PER_100 2.0 /* about 6 a week */
#define SIM_INCIDENT_ARRIVALS 300 /* a week, +- 50 */

static int64_t sim_poisson(struct research_random *random, double mean)
{
    double limit = exp(-mean), product = research_random_uniform(random);
    int64_t count = 0;
    while (product > limit) {
        product *= research_random_uniform(random);
        count++;
    }
    return count;
}

/* Share of runs whose 95 % interval excludes the true ratio (false positives when ratio is 1),
   for the Poisson interval on the phase totals and the quasi-Poisson one on weeks. Each
   week's rate is multiplied by exp(cluster_sd Z - cluster_sd^2 / 2) (mean 1): a bad week. */
static void sim_incidents(double cluster_sd, double ratio, uint64_t seed, double *totals_rate,
                          double *weeks_rate)
{
    struct research_random random;
    research_random_seed(&random, seed);
    int totals_hits = 0, weeks_hits = 0, totals_found = 0, weeks_found = 0;
    enum { UNITS = 2 * SIM_INCIDENT_WEEKS };
    for (int run = 0; run < SIM_INCIDENT_RUNS; run++) {
        int64_t events[UNITS], total[2] = {0, 0};
        double exposure[UNITS], total_exposure[2] = {0, 0};
        int group[UNITS];
        const int phases[2] = {0, 1};
        for (int u = 0; u < UNITS; u++) {
            group[u] = u >= SIM_INCIDENT_WEEKS;
            exposure[u] =
                (SIM_INCIDENT_ARRIVALS - 50 + floor(100 * research_random_uniform(&random))) / 100;
            double factor = exp(cluster_sd * sim_normal(&random) - cluster_sd * cluster_sd / 2);
            double mean = SIM_INCIDENTS_PER_100 * exposure[u] * factor * (group[u] ? ratio : 1.0);
            events[u] = sim_poisson(&random, mean);
            total[group[u]] += events[u];
            total_exposure[group[u]] += exposure[u];
        }
        struct research_rate_ratio on_totals, on_weeks;
        if (research_infer_rate_ratio(total, total_exposure, phases, 2, 0.05, &on_totals) != 0 ||
            research_infer_rate_ratio(events, exposure, group, UNITS, 0.05, &on_weeks) != 0) {
            continue; /* a phase without incidents: refused, counts as no finding */
        }
        totals_hits += on_totals.ratio.ci_low > ratio || on_totals.ratio.ci_high < ratio;
        weeks_hits += on_weeks.ratio.ci_low > ratio || on_weeks.ratio.ci_high < ratio;
        totals_found += on_totals.ratio.p < 0.05;
        weeks_found += on_weeks.ratio.p < 0.05;
    }
    *totals_rate = (double)totals_hits / SIM_INCIDENT_RUNS;
    *weeks_rate = (double)weeks_hits / SIM_INCIDENT_RUNS;
    printf("  incidents, week factor SD %.1f, true ratio %.1f: interval misses the truth: "
           "Poisson on totals %5.1f %%, quasi-Poisson on weeks %5.1f %% (p < 0.05: %5.1f %%, "
           "%5.1f %%)\n",
           cluster_sd, ratio, 100 * *totals_rate, 100 * *weeks_rate,
           100.0 * totals_found / SIM_INCIDENT_RUNS, 100.0 * weeks_found / SIM_INCIDENT_RUNS);
}

static void test_rate_ratio_holds_alpha_when_incidents_cluster(void **state)
{
    (void)state;
    printf("  %d runs each; %d weeks a side of %d +- 50 arrivals, %.0f incidents per 100\n",
           SIM_INCIDENT_RUNS, SIM_INCIDENT_WEEKS, SIM_INCIDENT_ARRIVALS, SIM_INCIDENTS_PER_100);
    double totals_rate, weeks_rate;
    sim_incidents(0.0, 1.0, 11, &totals_rate, &weeks_rate); /* Poisson weeks: both hold */
    assert_true(totals_rate <= 0.065 && weeks_rate <= 0.065);
    sim_incidents(0.5, 1.0, 12, &totals_rate, &weeks_rate);
    assert_true(totals_rate > 0.10); /* the old interval: too narrow */
    assert_true(weeks_rate <= 0.065);
    sim_incidents(0.8, 1.0, 13, &totals_rate, &weeks_rate);
    assert_true(totals_rate > 0.15);
    assert_true(weeks_rate <= 0.065);
    sim_incidents(0.5, 0.7, 14, &totals_rate, &weeks_rate); /* coverage under a real change */
    assert_true(weeks_rate <= 0.065);
    sim_incidents(0.0, 0.5, 15, &totals_rate, &weeks_rate); /* power: printed */
    sim_incidents(0.5, 0.5, 16, &totals_rate, &weeks_rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_distribution_matches_tables),
        cmocka_unit_test(test_welch_rate_ratio_and_holm_by_hand),
        cmocka_unit_test(test_rate_ratio_widens_for_clustered_weeks),
        cmocka_unit_test(test_its_refuses_fewer_than_three_points_a_side),
        cmocka_unit_test(test_primary_method_keeps_false_positives_at_alpha_and_finds_a_step),
        cmocka_unit_test(test_rate_ratio_holds_alpha_when_incidents_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
