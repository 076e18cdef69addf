/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Helpers for the research tests: an attacker's view of published numbers. Include after
 * cmocka.h.
 *
 * Each published number is a sum of hidden base counts (a 0/1 vector over them); facts the
 * attacker knows for free (an arrival's check-in is also a completed journey) are vectors
 * whose sum is 0. Everything the attacker can compute exactly by adding and subtracting is
 * the linear span of those vectors; research_span_contains() says whether a target sum (the
 * count of one answer in one hour, say) lies in it. Incremental Gaussian elimination with
 * partial pivoting on small dense matrices: fine for test-sized data.
 */
#ifndef OASE_TEST_RESEARCH_UTIL_H
#define OASE_TEST_RESEARCH_UTIL_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_export.h"
#include "research/research_kanon.h"
#include "research/research_period.h"

struct research_span {
    size_t width;    /* number of base counts */
    double *rows;    /* basis rows, width each */
    size_t *pivots;  /* pivot column of each basis row */
    size_t count;    /* basis rows so far */
    size_t capacity; /* rows allocated */
    double *scratch; /* one row */
};

static inline void research_span_init(struct research_span *span, size_t width)
{
    memset(span, 0, sizeof *span);
    span->width = width;
    span->scratch = calloc(width > 0 ? width : 1, sizeof(double));
}

static inline void research_span_free(struct research_span *span)
{
    free(span->rows);
    free(span->pivots);
    free(span->scratch);
    memset(span, 0, sizeof *span);
}

/* Reduces v (width entries) by the basis, in place; returns its largest remaining entry. */
static inline double research_span_reduce(const struct research_span *span, double *v)
{
    for (size_t r = 0; r < span->count; r++) {
        double factor = v[span->pivots[r]];
        if (factor != 0.0) {
            const double *row = span->rows + r * span->width;
            for (size_t c = 0; c < span->width; c++) {
                v[c] -= factor * row[c];
            }
        }
    }
    double largest = 0.0;
    for (size_t c = 0; c < span->width; c++) {
        largest = fabs(v[c]) > largest ? fabs(v[c]) : largest;
    }
    return largest;
}

/* Adds a known sum (a published number or a known relation) to what the attacker has. */
static inline void research_span_add(struct research_span *span, const double *vector)
{
    double *v = span->scratch;
    memcpy(v, vector, span->width * sizeof(double));
    if (research_span_reduce(span, v) < 1e-9) {
        return; /* nothing new */
    }
    size_t pivot = 0;
    for (size_t c = 1; c < span->width; c++) {
        pivot = fabs(v[c]) > fabs(v[pivot]) ? c : pivot;
    }
    double scale = v[pivot];
    for (size_t c = 0; c < span->width; c++) {
        v[c] /= scale;
    }
    if (span->count == span->capacity) {
        span->capacity = span->capacity ? span->capacity * 2 : 64;
        span->rows = realloc(span->rows, span->capacity * span->width * sizeof(double));
        span->pivots = realloc(span->pivots, span->capacity * sizeof(size_t));
    }
    memcpy(span->rows + span->count * span->width, v, span->width * sizeof(double));
    span->pivots[span->count++] = pivot;
}

/* True when the attacker can compute the sum of vector exactly. */
static inline bool research_span_contains(const struct research_span *span, const double *vector)
{
    double *v = span->scratch;
    memcpy(v, vector, span->width * sizeof(double));
    return research_span_reduce(span, v) < 1e-9;
}

/* A small deterministic generator for test data (splitmix64). */
static inline uint64_t research_test_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ---- which hidden counts a published row adds up ----------------------------------------- */

/* One published table as the attacker sees it. */
struct research_test_table {
    const struct research_kanon_result *published;
    const struct research_key_order *keys;
    /* optional: coarser keys (research_kanon_ladder), ladder_levels x key_count */
    const uint32_t *ladder;
    size_t ladder_levels, key_count;
    /* optional: marginal classes to attack, marginal_count per key (key * count + i): every
       group of keys with one class is a target (the answers with one light band, say) */
    const uint64_t *marginals;
    size_t marginal_count;
    /* optional: which hidden counts row r holds, for tables whose rows are not kanon's */
    bool (*row_holds)(const struct research_test_table *table, size_t r,
                      const struct research_cell *cell);
    const void *context;
};

/* One hidden count: a cell of the table it was counted in. */
struct research_test_base {
    size_t table;
    struct research_cell cell;
};

static inline bool research_test_same_period(const struct research_row *a,
                                             const struct research_row *b)
{
    return a->series == b->series && a->level == b->level && a->first_day == b->first_day &&
           a->last_day == b->last_day && a->time_of_day == b->time_of_day && a->pool == b->pool;
}

static inline bool research_test_period_holds(const struct research_kanon_result *out,
                                              const struct research_row *row,
                                              const struct research_cell *cell)
{
    if (cell->series != row->series) {
        return false;
    }
    if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (research_week_monday(cell->day) == pool->mondays[w]) {
                return true;
            }
        }
        return false;
    }
    if (cell->day < row->first_day || cell->day > row->last_day) {
        return false;
    }
    if (row->level == RESEARCH_LEVEL_HOUR) {
        return cell->hour == row->time_of_day;
    }
    if (row->level == RESEARCH_LEVEL_PART_OF_DAY) {
        return (int)research_part_of_hour(cell->hour) == row->time_of_day;
    }
    return true;
}

static inline bool research_test_key_holds_one(const struct research_key_order *keys,
                                               const struct research_row *row, uint32_t key)
{
    if (row->note == RESEARCH_NOTE_CELL) {
        return key == row->key;
    }
    if (row->note == RESEARCH_NOTE_RANGE) {
        return keys[key].group >= 0 && keys[key].group == keys[row->key].group &&
               keys[key].position >= keys[row->key].position &&
               keys[key].position <= keys[row->key_last].position;
    }
    return false;
}

/* Does row hold base key (at some level of the table's ladder)? */
static inline bool research_test_key_holds(const struct research_test_table *table,
                                           const struct research_row *row, uint32_t key)
{
    if (table->ladder == NULL) {
        return research_test_key_holds_one(table->keys, row, key);
    }
    for (size_t level = 0; level < table->ladder_levels; level++) {
        if (research_test_key_holds_one(table->keys, row,
                                        table->ladder[level * table->key_count + key])) {
            return true;
        }
    }
    return false;
}

/* Is cell part of the number published in row r (a remainder: keys no sibling row holds)? */
static inline bool research_test_row_holds(const struct research_test_table *table, size_t r,
                                           const struct research_cell *cell)
{
    const struct research_kanon_result *out = table->published;
    const struct research_row *row = &out->rows[r];
    if (table->row_holds != NULL) {
        return row->note != RESEARCH_NOTE_SUPPRESSED && table->row_holds(table, r, cell);
    }
    if (row->note == RESEARCH_NOTE_SUPPRESSED || !research_test_period_holds(out, row, cell)) {
        return false;
    }
    if (row->note != RESEARCH_NOTE_REMAINDER) {
        return research_test_key_holds(table, row, cell->key);
    }
    for (size_t i = 0; i < out->row_count; i++) {
        if (i != r && research_test_same_period(&out->rows[i], row) &&
            research_test_key_holds(table, &out->rows[i], cell->key)) {
            return false;
        }
    }
    return true;
}

/* The period node of a cell at one level, as one comparable number. */
static inline int64_t research_test_node(const struct research_cell *cell,
                                         enum research_level level)
{
    switch (level) {
    case RESEARCH_LEVEL_HOUR:
        return (int64_t)cell->day * 24 + cell->hour;
    case RESEARCH_LEVEL_PART_OF_DAY:
        return (int64_t)cell->day * 4 + research_part_of_hour(cell->hour);
    case RESEARCH_LEVEL_DAY:
        return cell->day;
    default:
        return research_week_monday(cell->day);
    }
}

/*
 * The attacker: knows every published row of every table (as the sum of the hidden counts
 * it holds) and the relations in constraints (constraint_count rows of base_count numbers,
 * each summing to 0). Fails the test when any count it might want - one key or all keys of
 * one series in one hour, part of the day, day or week - lies between 1 and k - 1 and can
 * be computed exactly. Also checks that every row is exactly the sum of what it holds and
 * at least k. Returns how many small counts were checked.
 */
static inline int research_test_assert_nothing_below_k(const struct research_test_table *tables,
                                                       size_t table_count,
                                                       const struct research_test_base *bases,
                                                       size_t base_count, const double *constraints,
                                                       size_t constraint_count, int k)
{
    struct research_span span;
    research_span_init(&span, base_count);
    double *vector = calloc(base_count ? base_count : 1, sizeof(double));
    assert_non_null(vector);
    for (size_t t = 0; t < table_count; t++) {
        const struct research_kanon_result *out = tables[t].published;
        for (size_t r = 0; r < out->row_count; r++) {
            if (out->rows[r].note == RESEARCH_NOTE_SUPPRESSED) {
                continue;
            }
            int64_t sum = 0;
            for (size_t b = 0; b < base_count; b++) {
                bool in =
                    bases[b].table == t && research_test_row_holds(&tables[t], r, &bases[b].cell);
                vector[b] = in ? 1.0 : 0.0;
                sum += in ? bases[b].cell.n : 0;
            }
            assert_true(out->rows[r].n >= k);
            if (sum != out->rows[r].n) {
                fail_msg("table %zu row %zu publishes %lld but holds %lld", t, r,
                         (long long)out->rows[r].n, (long long)sum);
            }
            research_span_add(&span, vector);
        }
    }
    for (size_t c = 0; c < constraint_count; c++) {
        research_span_add(&span, constraints + c * base_count);
    }

    struct target {
        size_t table;
        uint32_t series;
        int level;
        int64_t node;
        int64_t key;       /* -1: all keys; -2: a marginal class */
        uint64_t marginal; /* key -2: the class */
        size_t which;      /* key -2: which marginal */
    } *seen = NULL;
    size_t seen_count = 0, seen_capacity = 0;
    size_t slot_capacity = 1024;
    size_t *slots = calloc(slot_capacity, sizeof slots[0]); /* seen index + 1; 0 empty */
    assert_non_null(slots);
    int checked = 0;
    for (size_t c = 0; c < base_count; c++) {
        const struct research_cell *cell = &bases[c].cell;
        const struct research_test_table *table = &tables[bases[c].table];
        int finest = cell->hour < 0 ? RESEARCH_LEVEL_DAY : RESEARCH_LEVEL_HOUR;
        for (int level = finest; level <= RESEARCH_LEVEL_WEEK; level++) {
            for (size_t kind = 0; kind < 2 + table->marginal_count; kind++) {
                int64_t node = research_test_node(cell, (enum research_level)level);
                struct target target = {bases[c].table,
                                        cell->series,
                                        level,
                                        node,
                                        kind == 0   ? (int64_t)cell->key
                                        : kind == 1 ? -1
                                                    : -2,
                                        0,
                                        0};
                if (kind >= 2) {
                    target.which = kind - 2;
                    target.marginal =
                        table->marginals[cell->key * table->marginal_count + target.which];
                }
                uint64_t hash = 0xCBF29CE484222325ull;
                const uint64_t parts[] = {
                    target.table,          target.series,        (uint64_t)target.level,
                    (uint64_t)target.node, (uint64_t)target.key, target.marginal,
                    target.which};
                for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
                    hash = (hash ^ parts[i]) * 0x100000001B3ull;
                    hash ^= hash >> 29;
                }
                size_t slot = (size_t)hash & (slot_capacity - 1);
                bool done = false;
                while (slots[slot] != 0 && !done) {
                    const struct target *s = &seen[slots[slot] - 1];
                    done = s->table == target.table && s->series == target.series &&
                           s->level == target.level && s->node == target.node &&
                           s->key == target.key && s->marginal == target.marginal &&
                           s->which == target.which;
                    slot = (slot + 1) & (slot_capacity - 1);
                }
                if (done) {
                    continue;
                }
                if (seen_count == seen_capacity) {
                    seen_capacity = seen_capacity ? seen_capacity * 2 : 256;
                    seen = realloc(seen, seen_capacity * sizeof *seen);
                    assert_non_null(seen);
                }
                seen[seen_count++] = target;
                slots[slot] = seen_count;
                if (seen_count * 2 > slot_capacity) { /* grow and re-insert every target */
                    slot_capacity *= 2;
                    free(slots);
                    slots = calloc(slot_capacity, sizeof slots[0]);
                    assert_non_null(slots);
                    for (size_t i = 0; i < seen_count; i++) {
                        uint64_t h = 0xCBF29CE484222325ull;
                        const uint64_t again[] = {
                            seen[i].table,          seen[i].series,        (uint64_t)seen[i].level,
                            (uint64_t)seen[i].node, (uint64_t)seen[i].key, seen[i].marginal,
                            seen[i].which};
                        for (size_t j = 0; j < sizeof again / sizeof again[0]; j++) {
                            h = (h ^ again[j]) * 0x100000001B3ull;
                            h ^= h >> 29;
                        }
                        size_t at = (size_t)h & (slot_capacity - 1);
                        while (slots[at] != 0) {
                            at = (at + 1) & (slot_capacity - 1);
                        }
                        slots[at] = i + 1;
                    }
                }
                int64_t sum = 0;
                for (size_t o = 0; o < base_count; o++) {
                    const struct research_cell *other = &bases[o].cell;
                    bool in = bases[o].table == bases[c].table && other->series == cell->series &&
                              research_test_node(other, (enum research_level)level) == node;
                    if (in && kind == 0) {
                        in = other->key == cell->key;
                    } else if (in && kind >= 2) {
                        in = table->marginals[other->key * table->marginal_count + target.which] ==
                             target.marginal;
                    }
                    vector[o] = in ? 1.0 : 0.0;
                    sum += in ? other->n : 0;
                }
                if (sum > 0 && sum < k) {
                    checked++;
                    if (research_span_contains(&span, vector)) {
                        fail_msg("a count of %lld (table %zu, series %u, day %d, hour %d, key %u, "
                                 "level %d, target %zu) follows from the published rows",
                                 (long long)sum, bases[c].table, cell->series, cell->day,
                                 cell->hour, cell->key, level, kind);
                    }
                }
            }
        }
    }
    free(seen);
    free(slots);
    free(vector);
    research_span_free(&span);
    return checked;
}

/*
 * The ladder of the arrivals table for the attacker: level 0 each key itself, level 1 the
 * "any" key (a week whose answers are hidden publishes its arrivals under "any", which holds
 * both wants_word). Free the result.
 */
static inline uint32_t *research_test_arrival_any_ladder(const struct research_dataset *dataset)
{
    const struct research_table *arrivals = &dataset->tables[RESEARCH_ARRIVALS];
    uint32_t *ladder = calloc(2 * arrivals->key_count + 1, sizeof ladder[0]);
    assert_non_null(ladder);
    for (size_t key = 0; key < arrivals->key_count; key++) {
        ladder[key] = (uint32_t)key;
        ladder[arrivals->key_count + key] = (uint32_t)key;
        for (size_t any = 0; any < arrivals->key_count; any++) {
            if (strcmp(research_dataset_text(dataset, arrivals->keys[any].text[0]), RESEARCH_ANY) ==
                0) {
                ladder[arrivals->key_count + key] = (uint32_t)any;
            }
        }
    }
    return ladder;
}

#endif
