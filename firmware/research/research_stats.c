/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_stats: see research_stats.h. Everything works on cells, never on a list of
 * observations: a phase with 100 000 answers on a 0-10 scale is eleven cells. Ranks are
 * mid-ranks of tied values; the bootstrap draws one multinomial per resample through
 * conditional binomials, so its cost does not grow with the number of answers.
 */
#include "research/research_stats.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool stats_cells_valid(const struct research_value_count *cells, size_t count)
{
    if (count > 0 && cells == NULL) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (cells[i].n < 0 || !isfinite(cells[i].value)) {
            return false;
        }
    }
    return true;
}

static int64_t stats_total(const struct research_value_count *cells, size_t count)
{
    int64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        total += cells[i].n;
    }
    return total;
}

static int stats_compare_values(const void *a, const void *b)
{
    double x = ((const struct research_value_count *)a)->value;
    double y = ((const struct research_value_count *)b)->value;
    return x < y ? -1 : x > y;
}

/* A sorted copy of cells with equal values merged and empty cells dropped, or NULL. */
static struct research_value_count *stats_sorted(const struct research_value_count *cells,
                                                 size_t count, size_t *sorted_count)
{
    struct research_value_count *sorted = malloc((count > 0 ? count : 1) * sizeof sorted[0]);
    if (sorted == NULL) {
        return NULL;
    }
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (cells[i].n > 0) {
            sorted[kept++] = cells[i];
        }
    }
    qsort(sorted, kept, sizeof sorted[0], stats_compare_values);
    size_t merged = 0;
    for (size_t i = 0; i < kept; i++) {
        if (merged > 0 && sorted[merged - 1].value == sorted[i].value) {
            sorted[merged - 1].n += sorted[i].n;
        } else {
            sorted[merged++] = sorted[i];
        }
    }
    *sorted_count = merged;
    return sorted;
}

/* The value at 1-based position rank of the sorted observations. */
static double stats_value_at(const struct research_value_count *sorted, size_t count, int64_t rank)
{
    int64_t seen = 0;
    for (size_t i = 0; i < count; i++) {
        seen += sorted[i].n;
        if (seen >= rank) {
            return sorted[i].value;
        }
    }
    return count > 0 ? sorted[count - 1].value : NAN;
}

int research_stats_summary(const struct research_value_count *cells, size_t count,
                           struct research_summary *out)
{
    if (!stats_cells_valid(cells, count)) {
        return -EINVAL;
    }
    size_t sorted_count = 0;
    struct research_value_count *sorted = stats_sorted(cells, count, &sorted_count);
    if (sorted == NULL) {
        return -ENOMEM;
    }
    struct research_summary summary = {
        .n = stats_total(sorted, sorted_count), .mean = NAN, .median = NAN, .sd = NAN};
    if (summary.n > 0) {
        double sum = 0;
        for (size_t i = 0; i < sorted_count; i++) {
            sum += sorted[i].value * (double)sorted[i].n;
        }
        summary.mean = sum / (double)summary.n;
        double squares = 0; /* second pass around the mean: no cancellation */
        for (size_t i = 0; i < sorted_count; i++) {
            double deviation = sorted[i].value - summary.mean;
            squares += deviation * deviation * (double)sorted[i].n;
        }
        if (summary.n > 1) {
            summary.sd = sqrt(squares / (double)(summary.n - 1));
        }
        int64_t middle = (summary.n + 1) / 2;
        summary.median = summary.n % 2 == 1 ? stats_value_at(sorted, sorted_count, middle)
                                            : (stats_value_at(sorted, sorted_count, middle) +
                                               stats_value_at(sorted, sorted_count, middle + 1)) /
                                                  2.0;
    }
    free(sorted);
    *out = summary;
    return 0;
}

/* One distinct value of the pooled sample, with how often each group has it. */
struct stats_tie {
    double value;
    int64_t in_a, in_b;
};

static int stats_compare_ties(const void *a, const void *b)
{
    double x = ((const struct stats_tie *)a)->value, y = ((const struct stats_tie *)b)->value;
    return x < y ? -1 : x > y;
}

int research_stats_mann_whitney(const struct research_value_count *a, size_t a_count,
                                const struct research_value_count *b, size_t b_count,
                                struct research_mann_whitney *out)
{
    if (!stats_cells_valid(a, a_count) || !stats_cells_valid(b, b_count)) {
        return -EINVAL;
    }
    int64_t n_a = stats_total(a, a_count), n_b = stats_total(b, b_count);
    if (n_a == 0 || n_b == 0) {
        return -EINVAL;
    }
    struct stats_tie *ties = malloc((a_count + b_count) * sizeof ties[0]);
    if (ties == NULL) {
        return -ENOMEM;
    }
    size_t count = 0;
    for (size_t i = 0; i < a_count; i++) {
        ties[count++] = (struct stats_tie){a[i].value, a[i].n, 0};
    }
    for (size_t i = 0; i < b_count; i++) {
        ties[count++] = (struct stats_tie){b[i].value, 0, b[i].n};
    }
    qsort(ties, count, sizeof ties[0], stats_compare_ties);

    /* Mid-ranks: a value shared by t observations after r smaller ones gets r + (t + 1) / 2. */
    double rank_sum_b = 0, tie_term = 0, below = 0;
    for (size_t i = 0; i < count;) {
        size_t j = i;
        double in_a = 0, in_b = 0;
        while (j < count && ties[j].value == ties[i].value) {
            in_a += (double)ties[j].in_a;
            in_b += (double)ties[j].in_b;
            j++;
        }
        double t = in_a + in_b;
        rank_sum_b += in_b * (below + (t + 1) / 2);
        tie_term += t * t * t - t;
        below += t;
        i = j;
    }
    free(ties);

    double na = (double)n_a, nb = (double)n_b, n = na + nb;
    struct research_mann_whitney result = {0};
    result.u_b = rank_sum_b - nb * (nb + 1) / 2;
    result.u_a = na * nb - result.u_b;
    result.mean_u = na * nb / 2;
    double variance = na * nb / 12 * ((n + 1) - tie_term / (n * (n - 1)));
    result.sd_u = variance > 0 ? sqrt(variance) : 0;
    result.rank_biserial = (result.u_b - result.u_a) / (na * nb);
    result.z = 0;
    result.p_two_sided = 1;
    if (result.sd_u > 0) {
        double distance = fabs(result.u_b - result.mean_u) - 0.5; /* continuity correction */
        distance = distance > 0 ? distance : 0;
        result.z = (result.u_b >= result.mean_u ? distance : -distance) / result.sd_u;
        result.p_two_sided = erfc(fabs(result.z) / sqrt(2.0));
        result.p_two_sided = result.p_two_sided < 1 ? result.p_two_sided : 1;
    }
    *out = result;
    return 0;
}

double research_stats_cliffs_delta(const struct research_value_count *a, size_t a_count,
                                   const struct research_value_count *b, size_t b_count)
{
    if (!stats_cells_valid(a, a_count) || !stats_cells_valid(b, b_count)) {
        return NAN;
    }
    int64_t n_a = stats_total(a, a_count), n_b = stats_total(b, b_count);
    if (n_a == 0 || n_b == 0) {
        return NAN;
    }
    double b_higher = 0, b_lower = 0;
    for (size_t i = 0; i < a_count; i++) {
        for (size_t j = 0; j < b_count; j++) {
            double pairs = (double)a[i].n * (double)b[j].n;
            if (b[j].value > a[i].value) {
                b_higher += pairs;
            } else if (b[j].value < a[i].value) {
                b_lower += pairs;
            }
        }
    }
    return (b_higher - b_lower) / ((double)n_a * (double)n_b);
}

void research_random_seed(struct research_random *random, uint64_t seed)
{
    random->state = seed;
}

/* splitmix64 (Steele, Lea and Flood 2014): one 64-bit output per call. */
static uint64_t stats_random_next(struct research_random *random)
{
    uint64_t z = (random->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double research_random_uniform(struct research_random *random)
{
    return ((double)(stats_random_next(random) >> 11) + 0.5) * 0x1.0p-53;
}

int64_t research_random_binomial(struct research_random *random, int64_t n, double p)
{
    if (n <= 0 || !(p > 0)) {
        return 0;
    }
    if (p >= 1) {
        return n;
    }
    /*
     * Inversion works with any fixed order of the outcomes: take u, subtract probabilities
     * in that order, stop when u is used up. Ordering them outward from the mode makes the
     * expected number of steps grow like the standard deviation, not like n.
     */
    double q = 1 - p, odds = p / q;
    int64_t mode = (int64_t)((double)(n + 1) * p);
    mode = mode > n ? n : mode;
    double dn = (double)n, dm = (double)mode;
    double at_mode = exp(lgamma(dn + 1) - lgamma(dm + 1) - lgamma(dn - dm + 1) + dm * log(p) +
                         (dn - dm) * log(q));
    double u = research_random_uniform(random) - at_mode;
    if (u <= 0) {
        return mode;
    }
    int64_t up = mode, down = mode;
    double p_up = at_mode, p_down = at_mode;
    while (up < n || down > 0) {
        if (up < n) {
            p_up *= (dn - (double)up) / ((double)up + 1) * odds;
            up++;
            u -= p_up;
            if (u <= 0) {
                return up;
            }
        }
        if (down > 0) {
            p_down *= (double)down / (dn - (double)down + 1) / odds;
            down--;
            u -= p_down;
            if (u <= 0) {
                return down;
            }
        }
        if (p_up < 1e-300 && p_down < 1e-300) {
            break; /* what is left is rounding */
        }
    }
    return mode;
}

/* Mean of a resample of n_total observations drawn from sorted cells (a multinomial draw). */
static double stats_resampled_mean(struct research_random *random,
                                   const struct research_value_count *cells, size_t count,
                                   int64_t n_total)
{
    int64_t left_to_draw = n_total, mass_left = n_total;
    double sum = 0;
    for (size_t i = 0; i < count && left_to_draw > 0; i++) {
        int64_t drawn = i + 1 == count
                            ? left_to_draw
                            : research_random_binomial(random, left_to_draw,
                                                       (double)cells[i].n / (double)mass_left);
        sum += cells[i].value * (double)drawn;
        left_to_draw -= drawn;
        mass_left -= cells[i].n;
    }
    return sum / (double)n_total;
}

static int stats_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int research_stats_bootstrap_mean_difference(const struct research_value_count *a, size_t a_count,
                                             const struct research_value_count *b, size_t b_count,
                                             int resamples, uint64_t seed,
                                             struct research_bootstrap *out)
{
    if (!stats_cells_valid(a, a_count) || !stats_cells_valid(b, b_count) || resamples < 100) {
        return -EINVAL;
    }
    int64_t n_a = stats_total(a, a_count), n_b = stats_total(b, b_count);
    if (n_a == 0 || n_b == 0) {
        return -EINVAL;
    }
    int rc = -ENOMEM;
    size_t sorted_a_count = 0, sorted_b_count = 0;
    struct research_value_count *sorted_a = stats_sorted(a, a_count, &sorted_a_count);
    struct research_value_count *sorted_b = stats_sorted(b, b_count, &sorted_b_count);
    double *differences = malloc((size_t)resamples * sizeof differences[0]);
    if (sorted_a == NULL || sorted_b == NULL || differences == NULL) {
        goto out_free;
    }
    struct research_summary summary_a, summary_b;
    research_stats_summary(sorted_a, sorted_a_count, &summary_a);
    research_stats_summary(sorted_b, sorted_b_count, &summary_b);
    struct research_random random;
    research_random_seed(&random, seed);
    for (int r = 0; r < resamples; r++) {
        double mean_a = stats_resampled_mean(&random, sorted_a, sorted_a_count, n_a);
        double mean_b = stats_resampled_mean(&random, sorted_b, sorted_b_count, n_b);
        differences[r] = mean_b - mean_a;
    }
    qsort(differences, (size_t)resamples, sizeof differences[0], stats_compare_doubles);
    /* nearest rank: the smallest value with at least p of the resamples at or below it */
    int low_rank = (int)ceil(0.025 * resamples), high_rank = (int)ceil(0.975 * resamples);
    *out = (struct research_bootstrap){
        .difference = summary_b.mean - summary_a.mean,
        .low = differences[low_rank - 1],
        .high = differences[high_rank - 1],
        .resamples = resamples,
        .seed = seed,
    };
    rc = 0;
out_free:
    free(differences);
    free(sorted_b);
    free(sorted_a);
    return rc;
}

double research_stats_kendall_tau_b(const int64_t *table, size_t rows, size_t columns)
{
    if (table == NULL || rows == 0 || columns == 0) {
        return NAN;
    }
    double total = 0, tied_rows = 0, tied_columns = 0, concordant = 0, discordant = 0;
    for (size_t r = 0; r < rows; r++) {
        double row_total = 0;
        for (size_t c = 0; c < columns; c++) {
            int64_t n = table[r * columns + c];
            if (n < 0) {
                return NAN;
            }
            row_total += (double)n;
            for (size_t r2 = r + 1; r2 < rows; r2++) { /* pairs with a later row */
                for (size_t c2 = 0; c2 < columns; c2++) {
                    double pairs = (double)n * (double)table[r2 * columns + c2];
                    concordant += c2 > c ? pairs : 0;
                    discordant += c2 < c ? pairs : 0;
                }
            }
        }
        total += row_total;
        tied_rows += row_total * (row_total - 1) / 2;
    }
    for (size_t c = 0; c < columns; c++) {
        double column_total = 0;
        for (size_t r = 0; r < rows; r++) {
            column_total += (double)table[r * columns + c];
        }
        tied_columns += column_total * (column_total - 1) / 2;
    }
    double pairs = total * (total - 1) / 2;
    double denominator = sqrt((pairs - tied_rows) * (pairs - tied_columns));
    if (total < 2 || !(denominator > 0)) {
        return NAN;
    }
    return (concordant - discordant) / denominator;
}
