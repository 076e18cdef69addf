/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_infer: see research_infer.h. Small dense linear algebra (4 x 4) written out here;
 * the t distribution through the regularised incomplete beta function (continued fraction,
 * modified Lentz; Press et al., Numerical Recipes, 3rd ed., 6.4).
 */
#include "research/research_infer.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define INFER_CF_ITERATIONS 300
#define INFER_CF_EPSILON 1e-15
#define INFER_TINY 1e-300

static double infer_beta_fraction(double x, double a, double b)
{
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    d = fabs(d) < INFER_TINY ? INFER_TINY : d;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= INFER_CF_ITERATIONS; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = fabs(d) < INFER_TINY ? INFER_TINY : d;
        c = 1.0 + aa / c;
        c = fabs(c) < INFER_TINY ? INFER_TINY : c;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = fabs(d) < INFER_TINY ? INFER_TINY : d;
        c = 1.0 + aa / c;
        c = fabs(c) < INFER_TINY ? INFER_TINY : c;
        d = 1.0 / d;
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < INFER_CF_EPSILON) {
            break;
        }
    }
    return h;
}

double research_incomplete_beta(double x, double a, double b)
{
    if (!(x > 0)) {
        return 0;
    }
    if (!(x < 1)) {
        return 1;
    }
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return front * infer_beta_fraction(x, a, b) / a;
    }
    return 1.0 - front * infer_beta_fraction(1.0 - x, b, a) / b;
}

double research_t_two_sided_p(double t, double df)
{
    if (!isfinite(t)) {
        return isnan(t) ? NAN : 0;
    }
    if (isinf(df)) {
        return erfc(fabs(t) / sqrt(2.0));
    }
    if (!(df > 0)) {
        return NAN;
    }
    double p = research_incomplete_beta(df / (df + t * t), df / 2.0, 0.5);
    return p > 1 ? 1 : p;
}

double research_t_quantile(double probability, double df)
{
    if (!(probability > 0 && probability < 1)) {
        return NAN;
    }
    if (probability == 0.5) {
        return 0;
    }
    double tail = probability < 0.5 ? probability : 1 - probability; /* P(T <= -q) */
    double low = 0, high = 1;
    while (research_t_two_sided_p(high, df) / 2 > tail && high < 1e12) {
        high *= 2;
    }
    for (int i = 0; i < 200 && high - low > 1e-13 * high; i++) {
        double middle = (low + high) / 2;
        if (research_t_two_sided_p(middle, df) / 2 > tail) {
            low = middle;
        } else {
            high = middle;
        }
    }
    double q = (low + high) / 2;
    return probability < 0.5 ? -q : q;
}

static void infer_finish(struct research_estimate *out, double alpha)
{
    out->statistic = out->se > 0 ? out->estimate / out->se : NAN;
    out->p = research_t_two_sided_p(out->statistic, out->df);
    double q = research_t_quantile(1 - alpha / 2, out->df);
    out->ci_low = out->estimate - q * out->se;
    out->ci_high = out->estimate + q * out->se;
}

/* Mean and sample variance of count finite values. Returns false if one is not finite. */
static bool infer_moments(const double *values, size_t count, double *mean, double *variance)
{
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(values[i])) {
            return false;
        }
        sum += values[i];
    }
    *mean = sum / (double)count;
    double squares = 0;
    for (size_t i = 0; i < count; i++) {
        squares += (values[i] - *mean) * (values[i] - *mean);
    }
    *variance = count > 1 ? squares / (double)(count - 1) : NAN;
    return true;
}

static bool infer_alpha_valid(double alpha)
{
    return alpha > 0 && alpha < 1;
}

int research_infer_did(const double *const groups[4], const size_t counts[4], double alpha,
                       struct research_estimate *out)
{
    double mean[4], variance[4], se2 = 0, denominator = 0;
    if (!infer_alpha_valid(alpha)) {
        return -EINVAL;
    }
    for (int g = 0; g < 4; g++) {
        if (counts[g] < 2 || groups[g] == NULL ||
            !infer_moments(groups[g], counts[g], &mean[g], &variance[g])) {
            return -EINVAL;
        }
        double part = variance[g] / (double)counts[g];
        se2 += part;
        denominator += part * part / (double)(counts[g] - 1);
    }
    if (!(se2 > 0)) {
        return -EINVAL;
    }
    *out = (struct research_estimate){0};
    out->estimate = (mean[1] - mean[0]) - (mean[3] - mean[2]);
    out->se = sqrt(se2);
    out->df = se2 * se2 / denominator;
    infer_finish(out, alpha);
    return 0;
}

int research_infer_welch(const double *a, size_t a_count, const double *b, size_t b_count,
                         double alpha, struct research_estimate *out)
{
    double mean_a, mean_b, var_a, var_b;
    if (a_count < 2 || b_count < 2 || a == NULL || b == NULL || !infer_alpha_valid(alpha) ||
        !infer_moments(a, a_count, &mean_a, &var_a) ||
        !infer_moments(b, b_count, &mean_b, &var_b)) {
        return -EINVAL;
    }
    double part_a = var_a / (double)a_count, part_b = var_b / (double)b_count;
    double se2 = part_a + part_b;
    if (!(se2 > 0)) {
        return -EINVAL;
    }
    *out = (struct research_estimate){0};
    out->estimate = mean_b - mean_a;
    out->se = sqrt(se2);
    out->df = se2 * se2 /
              (part_a * part_a / (double)(a_count - 1) + part_b * part_b / (double)(b_count - 1));
    infer_finish(out, alpha);
    return 0;
}

#define ITS_K 4

/* Inverts the k x k matrix m in place (Gauss-Jordan, partial pivoting). false: singular. */
static bool infer_invert(double m[ITS_K][ITS_K])
{
    double inverse[ITS_K][ITS_K] = {{0}};
    for (int i = 0; i < ITS_K; i++) {
        inverse[i][i] = 1;
    }
    for (int column = 0; column < ITS_K; column++) {
        int pivot = column;
        for (int row = column + 1; row < ITS_K; row++) {
            pivot = fabs(m[row][column]) > fabs(m[pivot][column]) ? row : pivot;
        }
        if (fabs(m[pivot][column]) < 1e-12) {
            return false;
        }
        for (int c = 0; c < ITS_K; c++) {
            double swap = m[column][c];
            m[column][c] = m[pivot][c];
            m[pivot][c] = swap;
            swap = inverse[column][c];
            inverse[column][c] = inverse[pivot][c];
            inverse[pivot][c] = swap;
        }
        double scale = m[column][column];
        for (int c = 0; c < ITS_K; c++) {
            m[column][c] /= scale;
            inverse[column][c] /= scale;
        }
        for (int row = 0; row < ITS_K; row++) {
            if (row == column) {
                continue;
            }
            double factor = m[row][column];
            for (int c = 0; c < ITS_K; c++) {
                m[row][c] -= factor * m[column][c];
                inverse[row][c] -= factor * inverse[column][c];
            }
        }
    }
    memcpy(m, inverse, sizeof inverse);
    return true;
}

struct infer_point {
    double t, y;
    int after;
};

static int infer_compare_points(const void *a, const void *b)
{
    const struct infer_point *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

int research_infer_its(const double *t, const double *y, const int *after, size_t count, double t0,
                       int lags, double alpha, struct research_its *out)
{
    if (t == NULL || y == NULL || after == NULL || !infer_alpha_valid(alpha) || !isfinite(t0)) {
        return -EINVAL;
    }
    size_t before_count = 0, after_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(t[i]) || !isfinite(y[i])) {
            return -EINVAL;
        }
        *(after[i] ? &after_count : &before_count) += 1;
    }
    if (before_count < 3 || after_count < 3) {
        return -EINVAL;
    }
    struct infer_point *points = malloc(count * sizeof points[0]);
    double(*x)[ITS_K] = malloc(count * sizeof x[0]);
    double *residual = malloc(count * sizeof residual[0]);
    if (points == NULL || x == NULL || residual == NULL) {
        free(points);
        free(x);
        free(residual);
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        points[i] = (struct infer_point){t[i], y[i], after[i] != 0};
    }
    qsort(points, count, sizeof points[0], infer_compare_points); /* HAC needs time order */
    double xtx[ITS_K][ITS_K] = {{0}}, xty[ITS_K] = {0};
    for (size_t i = 0; i < count; i++) {
        double d = points[i].after;
        x[i][0] = 1;
        x[i][1] = points[i].t;
        x[i][2] = d;
        x[i][3] = d * (points[i].t - t0);
        for (int r = 0; r < ITS_K; r++) {
            xty[r] += x[i][r] * points[i].y;
            for (int c = 0; c < ITS_K; c++) {
                xtx[r][c] += x[i][r] * x[i][c];
            }
        }
    }
    int rc = 0;
    if (!infer_invert(xtx)) {
        rc = -EINVAL;
        goto done;
    }
    double beta[ITS_K] = {0};
    for (int r = 0; r < ITS_K; r++) {
        for (int c = 0; c < ITS_K; c++) {
            beta[r] += xtx[r][c] * xty[c];
        }
    }
    for (size_t i = 0; i < count; i++) {
        double fitted = 0;
        for (int c = 0; c < ITS_K; c++) {
            fitted += x[i][c] * beta[c];
        }
        residual[i] = points[i].y - fitted;
    }
    if (lags < 0) {
        lags = (int)floor(4.0 * pow((double)count / 100.0, 2.0 / 9.0));
    }
    lags = lags > (int)count - 1 ? (int)count - 1 : lags;
    double meat[ITS_K][ITS_K] = {{0}};
    for (int lag = 0; lag <= lags; lag++) {
        double weight = lag == 0 ? 1.0 : 1.0 - (double)lag / (double)(lags + 1);
        for (size_t i = (size_t)lag; i < count; i++) {
            double u = residual[i] * residual[i - (size_t)lag] * weight;
            for (int r = 0; r < ITS_K; r++) {
                for (int c = 0; c < ITS_K; c++) {
                    double term = x[i][r] * x[i - (size_t)lag][c];
                    if (lag > 0) {
                        term += x[i - (size_t)lag][r] * x[i][c];
                    }
                    meat[r][c] += u * term;
                }
            }
        }
    }
    double half[ITS_K][ITS_K] = {{0}}, cov[ITS_K][ITS_K] = {{0}};
    for (int r = 0; r < ITS_K; r++) {
        for (int c = 0; c < ITS_K; c++) {
            for (int j = 0; j < ITS_K; j++) {
                half[r][c] += xtx[r][j] * meat[j][c];
            }
        }
    }
    double correction = (double)count / (double)(count - ITS_K);
    for (int r = 0; r < ITS_K; r++) {
        for (int c = 0; c < ITS_K; c++) {
            for (int j = 0; j < ITS_K; j++) {
                cov[r][c] += half[r][j] * xtx[j][c];
            }
            cov[r][c] *= correction;
        }
    }
    *out = (struct research_its){.b0 = beta[0], .b1 = beta[1], .lags = lags};
    out->before = before_count;
    out->after = after_count;
    double squares = 0;
    for (size_t i = 0; i < count; i++) {
        squares += residual[i] * residual[i];
    }
    double sigma2 = squares / (double)(count - ITS_K);
    struct research_estimate *targets[2] = {&out->level, &out->slope};
    for (int j = 0; j < 2; j++) {
        targets[j]->estimate = beta[2 + j];
        out->se_hac[j] = sqrt(cov[2 + j][2 + j] > 0 ? cov[2 + j][2 + j] : 0);
        out->se_ols[j] = sqrt(sigma2 * xtx[2 + j][2 + j] > 0 ? sigma2 * xtx[2 + j][2 + j] : 0);
        targets[j]->se = out->se_hac[j] > out->se_ols[j] ? out->se_hac[j] : out->se_ols[j];
        targets[j]->df = (double)(count - ITS_K);
        infer_finish(targets[j], alpha);
    }
done:
    free(points);
    free(x);
    free(residual);
    return rc;
}

int research_infer_rate_ratio(const int64_t *events, const double *exposure, const int *group,
                              size_t count, double alpha, struct research_rate_ratio *out)
{
    if (events == NULL || exposure == NULL || group == NULL || !infer_alpha_valid(alpha)) {
        return -EINVAL;
    }
    *out = (struct research_rate_ratio){.dispersion = NAN};
    for (size_t i = 0; i < count; i++) {
        if (events[i] < 0 || !(exposure[i] > 0) || !isfinite(exposure[i]) ||
            (group[i] != 0 && group[i] != 1)) {
            return -EINVAL;
        }
        out->events[group[i]] += events[i];
        out->exposure[group[i]] += exposure[i];
        out->units[group[i]]++;
    }
    if (out->events[0] == 0 || out->events[1] == 0) {
        return -EINVAL;
    }
    /* The fit of a Poisson regression with one indicator: each group's rate is its total. */
    double rate[2] = {(double)out->events[0] / out->exposure[0],
                      (double)out->events[1] / out->exposure[1]};
    for (size_t i = 0; i < count; i++) {
        double fitted = rate[group[i]] * exposure[i];
        out->pearson_chi2 += ((double)events[i] - fitted) * ((double)events[i] - fitted) / fitted;
    }
    double df = (double)count - 2;
    out->scale = 1;
    struct research_estimate *e = &out->ratio;
    e->df = INFINITY;
    if (df >= 1) {
        out->dispersion = out->pearson_chi2 / df;
        out->scale = out->dispersion > 1 ? out->dispersion : 1;
        e->df = df;
    }
    double log_ratio = log(rate[1] / rate[0]);
    e->se = sqrt(out->scale * (1.0 / (double)out->events[0] + 1.0 / (double)out->events[1]));
    e->statistic = log_ratio / e->se;
    e->p = research_t_two_sided_p(e->statistic, e->df);
    double q = research_t_quantile(1 - alpha / 2, e->df);
    e->estimate = exp(log_ratio);
    e->ci_low = exp(log_ratio - q * e->se);
    e->ci_high = exp(log_ratio + q * e->se);
    return 0;
}

void research_infer_holm(const double *p, size_t count, double *adjusted)
{
    size_t valid = 0;
    for (size_t i = 0; i < count; i++) {
        valid += isfinite(p[i]) ? 1 : 0;
        adjusted[i] = NAN;
    }
    double running = 0;
    for (size_t step = 0; step < valid; step++) { /* smallest not yet adjusted, each time */
        size_t best = count;
        for (size_t i = 0; i < count; i++) {
            if (isfinite(p[i]) && isnan(adjusted[i]) && (best == count || p[i] < p[best])) {
                best = i;
            }
        }
        double value = (double)(valid - step) * p[best];
        running = value > running ? value : running;
        adjusted[best] = running < 1 ? running : 1;
    }
}
