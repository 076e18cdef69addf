/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_randomised: see research_randomised.h. Export (experiment_days + day means) ->
 * research_report_randomised.c -> here.
 */
#include "research/research_randomised.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* The pair's days and, per draw, the statistic's two linear parts (see randomised_pair). */
struct randomised_pair {
    size_t count;
    double *y;    /* day means */
    int *treated; /* 1: condition c, 0: the reference */
    int *block, *slot, *drawn;
    double *a, *b; /* per draw: diff of y, diff of treated under the drawn labels */
    int draws;
};

/* mean(values | label 1) - mean(values | label 0); NAN when a side is empty. */
static double randomised_diff(const double *values, const int *label, size_t count)
{
    double sum[2] = {0, 0};
    int n[2] = {0, 0};
    for (size_t i = 0; i < count; i++) {
        sum[label[i]] += values[i];
        n[label[i]]++;
    }
    return n[0] > 0 && n[1] > 0 ? sum[1] / n[1] - sum[0] / n[0] : NAN;
}

/*
 * Two-sided p of H0: effect = delta. Under it y - delta * treated is what each day would have
 * shown under the reference; a drawn allocation's statistic on those values is
 * a[d] - delta * b[d], the observed one observed - delta.
 */
static double randomised_p(const struct randomised_pair *pair, double observed, double delta)
{
    double target = fabs(observed - delta) * (1.0 - 1e-12) - 1e-12;
    int hits = 0, used = 0;
    for (int d = 0; d < pair->draws; d++) {
        if (isnan(pair->a[d])) {
            continue; /* a draw that left a side empty says nothing */
        }
        used++;
        hits += fabs(pair->a[d] - delta * pair->b[d]) >= target;
    }
    return (1.0 + hits) / (1.0 + used);
}

/* The bound of the interval on one side: the last delta the test does not reject. */
static double randomised_bound(const struct randomised_pair *pair, double observed, double alpha,
                               double scale, int side)
{
    double inside = observed, outside = observed;
    double step = scale > 0 ? scale : 1.0;
    for (int i = 0; i < 60; i++) {
        outside = observed + side * step;
        if (randomised_p(pair, observed, outside) <= alpha) {
            break;
        }
        inside = outside;
        step *= 2;
        if (i == 59) {
            return NAN; /* never rejected: no bound */
        }
    }
    for (int i = 0; i < 60 && fabs(outside - inside) > 1e-9 * (1.0 + fabs(observed)); i++) {
        double middle = (inside + outside) / 2;
        if (randomised_p(pair, observed, middle) > alpha) {
            inside = middle;
        } else {
            outside = middle;
        }
    }
    return inside;
}

/*
 * Blocks renumbered 0..B-1 in order of appearance, slots replaced by their rank among the
 * pair's slots in the block. Returns 0, or -EINVAL when a block holds the pair in more than
 * two slots (not a recorded allocation) or there are more than EXPERIMENT_DAYS_MAX blocks.
 */
static int randomised_pair_slots(struct randomised_pair *pair)
{
    int keys[EXPERIMENT_DAYS_MAX], slots[EXPERIMENT_DAYS_MAX][2], used[EXPERIMENT_DAYS_MAX];
    int blocks = 0;
    for (size_t i = 0; i < pair->count; i++) {
        int b = 0;
        while (b < blocks && keys[b] != pair->block[i]) {
            b++;
        }
        if (b == blocks) {
            if (blocks == EXPERIMENT_DAYS_MAX) {
                return -EINVAL;
            }
            keys[blocks] = pair->block[i];
            used[blocks++] = 0;
        }
        bool seen = false;
        for (int s = 0; s < used[b]; s++) {
            seen = seen || slots[b][s] == pair->slot[i];
        }
        if (!seen) {
            if (used[b] == 2) {
                return -EINVAL;
            }
            slots[b][used[b]++] = pair->slot[i];
        }
    }
    for (size_t i = 0; i < pair->count; i++) {
        int b = 0;
        while (keys[b] != pair->block[i]) {
            b++;
        }
        int low = used[b] == 2 && slots[b][1] < slots[b][0] ? slots[b][1] : slots[b][0];
        pair->slot[i] = pair->slot[i] == low ? 0 : 1;
        pair->block[i] = b;
    }
    return 0;
}

static void randomised_pair_free(struct randomised_pair *pair)
{
    free(pair->y);
    free(pair->treated);
    free(pair->block);
    free(pair->slot);
    free(pair->drawn);
    free(pair->a);
    free(pair->b);
}

/* Condition c against the reference. Returns 0 or -ENOMEM. */
static int randomised_compare(const struct research_randomised_day *days, size_t count, int c,
                              int draws, uint64_t seed, double alpha,
                              struct research_randomised_condition *out)
{
    struct randomised_pair pair = {.draws = draws};
    int rc = -ENOMEM;
    pair.y = calloc(count + 1, sizeof *pair.y);
    pair.treated = calloc(count + 1, sizeof *pair.treated);
    pair.block = calloc(count + 1, sizeof *pair.block);
    pair.slot = calloc(count + 1, sizeof *pair.slot);
    pair.drawn = calloc(count + 1, sizeof *pair.drawn);
    pair.a = calloc((size_t)draws, sizeof *pair.a);
    pair.b = calloc((size_t)draws, sizeof *pair.b);
    if (pair.y == NULL || pair.treated == NULL || pair.block == NULL || pair.slot == NULL ||
        pair.drawn == NULL || pair.a == NULL || pair.b == NULL) {
        goto out_free;
    }
    /* The pair's days. A block (of a seed group) holds the pair in two slots; its days get the
     * rank of their slot among those (0 or 1), and the blocks are numbered densely. */
    for (size_t i = 0; i < count; i++) {
        const struct research_randomised_day *day = &days[i];
        if (isnan(day->mean) || (day->condition != 0 && day->condition != c)) {
            continue;
        }
        pair.y[pair.count] = day->mean;
        pair.treated[pair.count] = day->condition == c;
        pair.block[pair.count] = day->group * EXPERIMENT_DAYS_MAX + day->block;
        pair.slot[pair.count] = day->slot;
        pair.count++;
    }
    if (randomised_pair_slots(&pair) != 0) {
        rc = -EINVAL;
        goto out_free;
    }
    int n_treated = 0;
    for (size_t i = 0; i < pair.count; i++) {
        n_treated += pair.treated[i];
    }
    rc = 0;
    if (n_treated < 2 || (int)pair.count - n_treated < 2) {
        goto out_free; /* figures stay NAN */
    }
    double observed = randomised_diff(pair.y, pair.treated, pair.count);
    double *as_double = calloc(pair.count, sizeof *as_double);
    if (as_double == NULL) {
        rc = -ENOMEM;
        goto out_free;
    }
    for (size_t i = 0; i < pair.count; i++) {
        as_double[i] = pair.treated[i];
    }
    uint64_t stream = seed ^ (uint64_t)c * 0x9E3779B97F4A7C15ull;
    for (int d = 0; d < draws; d++) {
        uint64_t draw_seed = experiment_splitmix64(&stream);
        experiment_alloc_redraw(draw_seed, 2, pair.block, pair.slot, pair.count, pair.drawn);
        pair.a[d] = randomised_diff(pair.y, pair.drawn, pair.count);
        pair.b[d] = randomised_diff(as_double, pair.drawn, pair.count);
    }
    free(as_double);
    double spread = 0;
    for (size_t i = 0; i < pair.count; i++) {
        spread += fabs(pair.y[i] - observed);
    }
    spread = spread / (double)pair.count + 1e-6;
    out->estimate = observed;
    out->p = randomised_p(&pair, observed, 0.0);
    out->ci_low = randomised_bound(&pair, observed, alpha, spread / 4, -1);
    out->ci_high = randomised_bound(&pair, observed, alpha, spread / 4, +1);
out_free:
    randomised_pair_free(&pair);
    return rc;
}

/* Sum over conditions of days x (condition mean - mean of all days)^2; NAN with fewer than two
   conditions that have days. */
static double randomised_spread(const double *y, const int *condition, size_t count,
                                int condition_count)
{
    double sum[EXPERIMENT_CONDITIONS_MAX] = {0}, all = 0;
    int n[EXPERIMENT_CONDITIONS_MAX] = {0}, present = 0;
    for (size_t i = 0; i < count; i++) {
        sum[condition[i]] += y[i];
        n[condition[i]]++;
        all += y[i];
    }
    double mean = count > 0 ? all / (double)count : NAN, spread = 0;
    for (int c = 0; c < condition_count; c++) {
        if (n[c] > 0) {
            double d = sum[c] / n[c] - mean;
            spread += n[c] * d * d;
            present++;
        }
    }
    return present >= 2 ? spread : NAN;
}

/*
 * The global p over all conditions: the recorded (group, block) numbered densely, slots as
 * recorded, each draw the kiosk's rule over every condition. NAN when fewer than two conditions
 * have two days, or the blocks are too many to re-draw. Returns 0 or -ENOMEM.
 */
static int randomised_global(const struct research_randomised_day *days, size_t count,
                             int condition_count, int draws, uint64_t seed, double *p)
{
    *p = NAN;
    double *y = calloc(count + 1, sizeof *y);
    int *keys = calloc(count + 1, sizeof *keys);
    int *block = calloc(count + 1, sizeof *block), *slot = calloc(count + 1, sizeof *slot);
    int *condition = calloc(count + 1, sizeof *condition);
    int *drawn = calloc(count + 1, sizeof *drawn);
    int rc = -ENOMEM;
    if (y == NULL || keys == NULL || block == NULL || slot == NULL || condition == NULL ||
        drawn == NULL) {
        goto out_free;
    }
    rc = 0;
    size_t used = 0;
    int blocks = 0, n[EXPERIMENT_CONDITIONS_MAX] = {0};
    for (size_t i = 0; i < count; i++) {
        if (isnan(days[i].mean)) {
            continue;
        }
        int key = days[i].group * EXPERIMENT_DAYS_MAX + days[i].block, b = 0;
        while (b < blocks && keys[b] != key) {
            b++;
        }
        if (b == blocks) {
            keys[blocks++] = key;
        }
        if (b >= EXPERIMENT_DAYS_MAX) {
            goto out_free; /* more blocks than one allocation can hold: no global p */
        }
        y[used] = days[i].mean;
        block[used] = b;
        slot[used] = days[i].slot;
        condition[used] = days[i].condition;
        n[days[i].condition]++;
        used++;
    }
    int with_days = 0;
    for (int c = 0; c < condition_count; c++) {
        with_days += n[c] >= 2;
    }
    double observed = randomised_spread(y, condition, used, condition_count);
    if (with_days < 2 || isnan(observed)) {
        goto out_free;
    }
    uint64_t stream = seed ^ 0xC2B2AE3D27D4EB4Full;
    int hits = 0, counted = 0;
    for (int d = 0; d < draws; d++) {
        uint64_t draw_seed = experiment_splitmix64(&stream);
        if (experiment_alloc_redraw(draw_seed, condition_count, block, slot, used, drawn) != 0) {
            goto out_free;
        }
        double spread = randomised_spread(y, drawn, used, condition_count);
        if (!isnan(spread)) {
            counted++;
            hits += spread >= observed * (1.0 - 1e-12) - 1e-12;
        }
    }
    *p = (1.0 + hits) / (1.0 + counted);
out_free:
    free(y);
    free(keys);
    free(block);
    free(slot);
    free(condition);
    free(drawn);
    return rc;
}

int research_randomised_infer(const struct research_randomised_day *days, size_t count,
                              int condition_count, int draws, uint64_t seed, double alpha,
                              struct research_randomised *out)
{
    if (condition_count < 2 || condition_count > EXPERIMENT_CONDITIONS_MAX || draws < 1 ||
        !(alpha > 0 && alpha < 1)) {
        return -EINVAL;
    }
    for (size_t i = 0; i < count; i++) {
        if (days[i].condition < 0 || days[i].condition >= condition_count || days[i].group < 0 ||
            days[i].group > 64 || days[i].block < 0 || days[i].block >= EXPERIMENT_DAYS_MAX ||
            days[i].slot < 0 || days[i].slot >= condition_count) {
            return -EINVAL;
        }
    }
    out->condition_count = condition_count;
    out->draws = draws;
    out->alpha = alpha;
    for (int c = 0; c < condition_count; c++) {
        struct research_randomised_condition *condition = &out->conditions[c];
        double sum = 0;
        condition->days = 0;
        for (size_t i = 0; i < count; i++) {
            if (days[i].condition == c && !isnan(days[i].mean)) {
                sum += days[i].mean;
                condition->days++;
            }
        }
        condition->mean = condition->days > 0 ? sum / condition->days : NAN;
        condition->estimate = condition->p = condition->ci_low = condition->ci_high = NAN;
    }
    for (int c = 1; c < condition_count; c++) {
        int rc = randomised_compare(days, count, c, draws, seed, alpha, &out->conditions[c]);
        if (rc != 0) {
            return rc;
        }
    }
    if (condition_count == 2) {
        out->global_p = out->conditions[1].p;
        return 0;
    }
    return randomised_global(days, count, condition_count, draws, seed, &out->global_p);
}
