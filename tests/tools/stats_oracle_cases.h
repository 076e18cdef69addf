/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * stats_oracle_cases: seeded inputs and research_infer's results as JSON, for
 * tests/tools/stats_oracle.py to recompute with statsmodels / scipy. Included by
 * tests/unit/test_research_oracle.c.
 */
#ifndef OASE_STATS_ORACLE_CASES_H
#define OASE_STATS_ORACLE_CASES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "research/research_infer.h"
#include "research/research_stats.h"

#define CASES 6

static double oracle_normal(struct research_random *random)
{
    double u = research_random_uniform(random), v = research_random_uniform(random);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static void print_array(FILE *out, const double *values, size_t count)
{
    fputs("[", out);
    for (size_t i = 0; i < count; i++) {
        fprintf(out, "%s%.17g", i ? ", " : "", values[i]);
    }
    fputs("]", out);
}

static void print_estimate(FILE *out, const char *name, const struct research_estimate *e)
{
    fprintf(out,
            "\"%s\": {\"estimate\": %.17g, \"se\": %.17g, \"df\": %.17g, \"p\": %.17g, "
            "\"ci_low\": %.17g, \"ci_high\": %.17g}",
            name, e->estimate, e->se, isinf(e->df) ? -1.0 : e->df, e->p, e->ci_low, e->ci_high);
}

/* Writes the cases as JSON to out. Returns 0, or 1 when a function refused its input. */
static int oracle_write_cases(FILE *out)
{
    struct research_random random;
    research_random_seed(&random, 20261206);
    fprintf(out, "{\"welch\": [");
    for (int c = 0; c < CASES; c++) {
        size_t na = 5 + (size_t)(research_random_uniform(&random) * 40);
        size_t nb = 5 + (size_t)(research_random_uniform(&random) * 40);
        double a[64], b[64];
        for (size_t i = 0; i < na; i++) {
            a[i] = 5 + oracle_normal(&random) * (0.5 + c * 0.2);
        }
        for (size_t i = 0; i < nb; i++) {
            b[i] = 4.6 + oracle_normal(&random);
        }
        struct research_estimate e;
        if (research_infer_welch(a, na, b, nb, 0.05, &e) != 0) {
            return 1;
        }
        fprintf(out, "%s\n {\"a\": ", c ? "," : "");
        print_array(out, a, na);
        fputs(", \"b\": ", out);
        print_array(out, b, nb);
        fputs(", ", out);
        print_estimate(out, "result", &e);
        fputs("}", out);
    }
    fprintf(out, "],\n\"did\": [");
    for (int c = 0; c < CASES; c++) {
        double values[4][40];
        size_t counts[4];
        const double *groups[4];
        fprintf(out, "%s\n {\"groups\": [", c ? "," : "");
        for (int g = 0; g < 4; g++) {
            counts[g] = 4 + (size_t)(research_random_uniform(&random) * 30);
            for (size_t i = 0; i < counts[g]; i++) {
                values[g][i] = 5 + (g == 1 ? -0.5 : 0) + (g % 2 ? -0.2 : 0) +
                               oracle_normal(&random) * (0.6 + 0.1 * g);
            }
            groups[g] = values[g];
            fputs(g ? ", " : "", out);
            print_array(out, values[g], counts[g]);
        }
        struct research_estimate e;
        if (research_infer_did(groups, counts, 0.05, &e) != 0) {
            return 1;
        }
        fputs("], ", out);
        print_estimate(out, "result", &e);
        fputs("}", out);
    }
    fprintf(out, "],\n\"its\": [");
    for (int c = 0; c < CASES; c++) {
        size_t before = 4 + (size_t)c * 3, after = 3 + (size_t)c * 4, n = before + after;
        double t[64], y[64];
        int post[64];
        double level = 0.4 * oracle_normal(&random), previous = 0;
        for (size_t i = 0; i < n; i++) {
            t[i] = (double)i + (c == 3 && i >= before ? 2 : 0); /* a gap of two weeks */
            post[i] = i >= before;
            previous = (c % 2 ? 0.8 : 0.4) * previous +
                       0.3 * oracle_normal(&random); /* autocorrelated noise */
            y[i] = 5 + 0.02 * t[i] + (post[i] ? level - 0.01 * (t[i] - t[before]) : 0) + previous;
        }
        int lags = c % 3 == 0 ? -1 : c % 3;
        struct research_its its;
        if (research_infer_its(t, y, post, n, t[before], lags, 0.05, &its) != 0) {
            return 1;
        }
        fprintf(out, "%s\n {\"t\": ", c ? "," : "");
        print_array(out, t, n);
        fputs(", \"y\": ", out);
        print_array(out, y, n);
        fprintf(out, ", \"t0\": %.17g, \"lags\": %d, ", t[before], its.lags);
        print_estimate(out, "level", &its.level);
        fputs(", ", out);
        print_estimate(out, "slope", &its.slope);
        fprintf(out,
                ", \"se_hac\": [%.17g, %.17g], \"se_ols\": [%.17g, %.17g], \"se_ar\": [%.17g, "
                "%.17g], \"rho\": %.17g",
                its.se_hac[0], its.se_hac[1], its.se_ols[0], its.se_ols[1], its.se_ar[0],
                its.se_ar[1], its.rho);
        fputs("}", out);
    }
    fprintf(out, "],\n\"rate_ratio\": [");
    for (int c = 0; c < CASES; c++) {
        /* weeks of incidents around 2 per 100 arrivals, clustered in some cases; the last
           case has one unit a phase (no dispersion to estimate) */
        size_t n = c == CASES - 1 ? 2 : 4 + (size_t)c * 3;
        int64_t events[32];
        double exposure[32];
        int group[32];
        for (size_t i = 0; i < n; i++) {
            group[i] = i % 2;
            exposure[i] = (100 + floor(research_random_uniform(&random) * 400)) / 100;
            double spread = c % 2 ? exp(0.7 * oracle_normal(&random)) : 1;
            events[i] = (int64_t)floor(2 * exposure[i] * spread * (group[i] ? 0.7 : 1) +
                                       research_random_uniform(&random) * 3);
        }
        struct research_rate_ratio e;
        if (research_infer_rate_ratio(events, exposure, group, n, 0.05, &e) != 0) {
            return 1;
        }
        fprintf(out, "%s\n {\"events\": [", c ? "," : "");
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s%lld", i ? ", " : "", (long long)events[i]);
        }
        fputs("], \"exposure\": ", out);
        print_array(out, exposure, n);
        fputs(", \"group\": [", out);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s%d", i ? ", " : "", group[i]);
        }
        fprintf(out, "], \"dispersion\": %.17g, ", isnan(e.dispersion) ? -1.0 : e.dispersion);
        print_estimate(out, "result", &e.ratio);
        fputs("}", out);
    }
    fprintf(out, "],\n\"holm\": [");
    for (int c = 0; c < CASES; c++) {
        double p[8], adjusted[8];
        size_t n = 2 + (size_t)c;
        for (size_t i = 0; i < n; i++) {
            p[i] = pow(research_random_uniform(&random), 3);
        }
        research_infer_holm(p, n, adjusted);
        fprintf(out, "%s\n {\"p\": ", c ? "," : "");
        print_array(out, p, n);
        fputs(", \"adjusted\": ", out);
        print_array(out, adjusted, n);
        fputs("}", out);
    }
    fprintf(out, "]}\n");
    return 0;
}

#endif
