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
    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    return (x->after > y->after) - (x->after < y->after); /* a shared week: before first */
}

/* Solves a x = b for the symmetric positive definite ITS_K x ITS_K a (Cholesky), and gives
   log det a. false: not positive definite. */
static bool infer_cholesky_solve(const double a[ITS_K][ITS_K], const double b[ITS_K],
                                 double x[ITS_K], double *log_det)
{
    double l[ITS_K][ITS_K] = {{0}};
    *log_det = 0;
    for (int i = 0; i < ITS_K; i++) {
        for (int j = 0; j <= i; j++) {
            double sum = a[i][j];
            for (int k = 0; k < j; k++) {
                sum -= l[i][k] * l[j][k];
            }
            if (i == j) {
                if (!(sum > 1e-12)) {
                    return false;
                }
                l[i][i] = sqrt(sum);
                *log_det += 2 * log(l[i][i]);
            } else {
                l[i][j] = sum / l[j][j];
            }
        }
    }
    double z[ITS_K];
    for (int i = 0; i < ITS_K; i++) {
        double sum = b[i];
        for (int k = 0; k < i; k++) {
            sum -= l[i][k] * z[k];
        }
        z[i] = sum / l[i][i];
    }
    for (int i = ITS_K - 1; i >= 0; i--) {
        double sum = z[i];
        for (int k = i + 1; k < ITS_K; k++) {
            sum -= l[k][i] * x[k];
        }
        x[i] = sum / l[i][i];
    }
    return true;
}

/* The AR(1) correlation across gap steps (most gaps are one week: no pow). */
static double infer_ar1_step(double rho, double gap)
{
    return gap == 1.0 ? rho : pow(rho, gap);
}

/*
 * The restricted (REML) negative log-likelihood, profiled over the variance, of the
 * regression y = x b + e with e an AR(1) series of correlation rho per step of ar_time
 * (corr(e_i, e_j) = rho^|ar_time_i - ar_time_j|): with z the decorrelated series (z_0 = e_0,
 * z_i = (e_i - f e_{i-1}) / sqrt(1 - f^2), f = rho^(ar_time_i - ar_time_{i-1})),
 * 0.5 (log |R| + log |Z'Z| + (n - k) log RSS_z). *scale: RSS_z / (n - k), the variance of e.
 * NAN when the fit is singular.
 */
static double infer_ar1_reml(const double (*x)[ITS_K], const double *y, const double *ar_time,
                             size_t count, double rho, double *scale)
{
    double ztz[ITS_K][ITS_K] = {{0}}, zty[ITS_K] = {0}, log_det_r = 0;
    for (int pass = 0; pass < 2; pass++) {
        double rss = 0, beta[ITS_K], log_det_a = 0;
        if (pass == 1 &&
            !infer_cholesky_solve((const double(*)[ITS_K])ztz, zty, beta, &log_det_a)) {
            return NAN;
        }
        for (size_t i = 0; i < count; i++) {
            double f = i == 0 ? 0 : infer_ar1_step(rho, ar_time[i] - ar_time[i - 1]);
            double s = sqrt(1 - f * f), zx[ITS_K], zy = (y[i] - (i ? f * y[i - 1] : 0)) / s;
            for (int r = 0; r < ITS_K; r++) {
                zx[r] = (x[i][r] - (i ? f * x[i - 1][r] : 0)) / s;
            }
            if (pass == 0) {
                log_det_r += log(1 - f * f);
                for (int r = 0; r < ITS_K; r++) {
                    zty[r] += zx[r] * zy;
                    for (int c = 0; c < ITS_K; c++) {
                        ztz[r][c] += zx[r] * zx[c];
                    }
                }
            } else {
                double fitted = 0;
                for (int r = 0; r < ITS_K; r++) {
                    fitted += zx[r] * beta[r];
                }
                rss += (zy - fitted) * (zy - fitted);
            }
        }
        if (pass == 1) {
            *scale = rss / (double)(count - ITS_K);
            return 0.5 * (log_det_r + log_det_a + (double)(count - ITS_K) * log(rss));
        }
    }
    return NAN;
}

/* rho in [0, INFER_RHO_MAX] that minimises infer_ar1_reml: a grid, then golden section
   around its best point. */
#define INFER_RHO_MAX 0.99
#define INFER_RHO_GRID 20

static double infer_ar1_rho(const double (*x)[ITS_K], const double *y, const double *ar_time,
                            size_t count)
{
    double scale, best_rho = 0, best = infer_ar1_reml(x, y, ar_time, count, 0, &scale);
    for (int g = 1; g <= INFER_RHO_GRID; g++) {
        double rho = INFER_RHO_MAX * g / INFER_RHO_GRID;
        double value = infer_ar1_reml(x, y, ar_time, count, rho, &scale);
        if (value < best) {
            best = value;
            best_rho = rho;
        }
    }
    double step = INFER_RHO_MAX / INFER_RHO_GRID;
    double low = best_rho - step > 0 ? best_rho - step : 0;
    double high = best_rho + step < INFER_RHO_MAX ? best_rho + step : INFER_RHO_MAX;
    const double golden = (sqrt(5.0) - 1) / 2;
    double a = high - golden * (high - low), b = low + golden * (high - low);
    double fa = infer_ar1_reml(x, y, ar_time, count, a, &scale);
    double fb = infer_ar1_reml(x, y, ar_time, count, b, &scale);
    for (int i = 0; i < 100 && high - low > 1e-12; i++) {
        if (fa < fb) {
            high = b;
            b = a;
            fb = fa;
            a = high - golden * (high - low);
            fa = infer_ar1_reml(x, y, ar_time, count, a, &scale);
        } else {
            low = a;
            a = b;
            fa = fb;
            b = low + golden * (high - low);
            fb = infer_ar1_reml(x, y, ar_time, count, b, &scale);
        }
    }
    double rho = (low + high) / 2;
    return infer_ar1_reml(x, y, ar_time, count, rho, &scale) <= best ? rho : best_rho;
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
    double *sorted_y = malloc(count * sizeof sorted_y[0]);
    double *ar_time = malloc(count * sizeof ar_time[0]);
    double(*rx)[ITS_K] = malloc(count * sizeof rx[0]);
    if (points == NULL || x == NULL || residual == NULL || sorted_y == NULL || ar_time == NULL ||
        rx == NULL) {
        free(points);
        free(x);
        free(residual);
        free(sorted_y);
        free(ar_time);
        free(rx);
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        points[i] = (struct infer_point){t[i], y[i], after[i] != 0};
    }
    qsort(points, count, sizeof points[0], infer_compare_points); /* HAC needs time order */
    for (size_t i = 0; i < count; i++) {
        /* the AR(1) clock: weeks apart, a week in both segments (a phase that starts
           mid-week) as two neighbouring points */
        double gap = i == 0 ? 0 : points[i].t - points[i - 1].t;
        ar_time[i] = i == 0 ? 0 : ar_time[i - 1] + (gap > 1 ? gap : 1);
        sorted_y[i] = points[i].y;
    }
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
    /* AR(1) errors, rho by REML (at least 0): the OLS estimate's variance
       (X'X)^-1 X' scale R X (X'X)^-1 with R_ij = rho^|ar_time_i - ar_time_j|. */
    double scale = NAN;
    out->rho = infer_ar1_rho((const double(*)[ITS_K])x, sorted_y, ar_time, count);
    if (isnan(infer_ar1_reml((const double(*)[ITS_K])x, sorted_y, ar_time, count, out->rho,
                             &scale))) {
        rc = -EINVAL;
        goto done;
    }
    /* X'RX in O(n) by the AR(1) recursions: (R X)_i = forward_i + backward_i - x_i with
       forward_i = x_i + f_i forward_(i-1) and backward_i = x_i + f_(i+1) backward_(i+1), f_i
       the correlation of point i with point i - 1. */
    double xrx[ITS_K][ITS_K] = {{0}}, running[ITS_K] = {0};
    for (size_t i = 0; i < count; i++) {
        double f = i == 0 ? 0 : infer_ar1_step(out->rho, ar_time[i] - ar_time[i - 1]);
        for (int r = 0; r < ITS_K; r++) {
            running[r] = x[i][r] + f * running[r];
            rx[i][r] = running[r];
        }
    }
    for (size_t i = count; i-- > 0;) {
        double f = i + 1 == count ? 0 : infer_ar1_step(out->rho, ar_time[i + 1] - ar_time[i]);
        for (int r = 0; r < ITS_K; r++) {
            running[r] = x[i][r] + f * running[r];
            rx[i][r] += running[r] - x[i][r];
        }
        for (int r = 0; r < ITS_K; r++) {
            for (int c = 0; c < ITS_K; c++) {
                xrx[r][c] += x[i][r] * rx[i][c];
            }
        }
    }
    double cov_ar[2] = {0, 0};
    for (int j = 0; j < 2; j++) {
        for (int r = 0; r < ITS_K; r++) {
            for (int c = 0; c < ITS_K; c++) {
                cov_ar[j] += xtx[2 + j][r] * xrx[r][c] * xtx[c][2 + j];
            }
        }
        cov_ar[j] *= scale;
    }
    struct research_estimate *targets[2] = {&out->level, &out->slope};
    for (int j = 0; j < 2; j++) {
        targets[j]->estimate = beta[2 + j];
        out->se_hac[j] = sqrt(cov[2 + j][2 + j] > 0 ? cov[2 + j][2 + j] : 0);
        out->se_ols[j] = sqrt(sigma2 * xtx[2 + j][2 + j] > 0 ? sigma2 * xtx[2 + j][2 + j] : 0);
        out->se_ar[j] = sqrt(cov_ar[j] > 0 ? cov_ar[j] : 0);
        double se = out->se_hac[j] > out->se_ols[j] ? out->se_hac[j] : out->se_ols[j];
        targets[j]->se = out->se_ar[j] > se ? out->se_ar[j] : se;
        targets[j]->df = (double)(count - ITS_K - 1); /* rho is estimated too */
        infer_finish(targets[j], alpha);
    }
done:
    free(points);
    free(x);
    free(residual);
    free(sorted_y);
    free(ar_time);
    free(rx);
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
