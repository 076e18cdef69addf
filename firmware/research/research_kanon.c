/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_kanon: see research_kanon.h for the rule. This file walks each series week by
 * week through the tree week -> day -> part of the day -> hour, keeping the finest level
 * whose counts are all >= k, and publishes what remains with ranges, a remainder and pools.
 * Work buffers grow on demand and belong to one research_kanon_run call.
 */
#include "research/research_kanon.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "research/research_period.h"

/* A count per key, aggregated over a period. */
struct kanon_item {
    uint32_t key;
    int64_t n;
};

/* A candidate for publication inside one period: a key, or a range of an ordered scale. */
struct kanon_segment {
    int32_t group; /* -1: nominal */
    int32_t lo_position, hi_position;
    uint32_t lo_key, hi_key;
    int64_t n;
    bool hidden; /* goes into the remainder */
};

/* The period being published. */
struct kanon_period {
    uint32_t series;
    enum research_level level;
    int32_t first_day, last_day;
    int32_t time_of_day;
    int32_t pool;
};

struct kanon {
    int k;
    const struct research_key_order *keys;
    size_t key_count;
    struct research_kanon_result *out;
    size_t row_capacity, pool_capacity;
    struct kanon_item *items; /* scratch: one period's counts per key */
    size_t item_capacity;
    struct kanon_segment *segments; /* scratch: one period's candidates */
    size_t segment_capacity;
    struct kanon_item *pool_items; /* counts of the current series' too-quiet weeks */
    size_t pool_item_count, pool_item_capacity;
    int32_t *pool_mondays;
    size_t pool_monday_count, pool_monday_capacity;
    const struct research_kanon_ladder *ladder; /* NULL: keys are never coarsened */
    const struct research_kanon_daily *daily;   /* NULL: no day is asked for on its own */
    struct research_cell *week_cells;           /* scratch: one week's cells at one level */
    size_t week_cell_capacity;
};

/* Makes room for need elements of size bytes in *buffer. Returns 0 or -ENOMEM. */
static int kanon_reserve(void **buffer, size_t *capacity, size_t need, size_t size)
{
    return buf_reserve(buffer, capacity, need, size, RESEARCH_ARRAY_BYTES_MAX) == 0 ? 0 : -ENOMEM;
}

static int kanon_compare_cells(const void *a, const void *b)
{
    const struct research_cell *x = a, *y = b;
    if (x->series != y->series) {
        return x->series < y->series ? -1 : 1;
    }
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    if (x->hour != y->hour) {
        return x->hour < y->hour ? -1 : 1;
    }
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return 0;
}

static int kanon_compare_items(const void *a, const void *b)
{
    const struct kanon_item *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int kanon_compare_segments(const void *a, const void *b)
{
    const struct kanon_segment *x = a, *y = b;
    if (x->group != y->group) {
        return x->group < y->group ? -1 : 1;
    }
    return x->lo_position < y->lo_position ? -1 : x->lo_position > y->lo_position;
}

static int kanon_emit(struct kanon *kn, const struct kanon_period *period, enum research_note note,
                      uint32_t key, uint32_t key_last, int64_t n)
{
    struct research_kanon_result *out = kn->out;
    int rc = kanon_reserve((void **)&out->rows, &kn->row_capacity, out->row_count + 1,
                           sizeof out->rows[0]);
    if (rc != 0) {
        return rc;
    }
    out->rows[out->row_count++] = (struct research_row){
        .series = period->series,
        .level = period->level,
        .first_day = period->first_day,
        .last_day = period->last_day,
        .time_of_day = period->time_of_day,
        .pool = period->pool,
        .note = note,
        .key = key,
        .key_last = key_last,
        .n = n,
    };
    return 0;
}

/* Sums items with the same key (sorting them first). Returns the new count. */
static size_t kanon_merge_items(struct kanon_item *items, size_t count)
{
    if (count == 0) {
        return 0;
    }
    qsort(items, count, sizeof items[0], kanon_compare_items);
    size_t kept = 0;
    for (size_t i = 1; i < count; i++) {
        if (items[i].key == items[kept].key) {
            items[kept].n += items[i].n; /* bounded: run() refused sums that could overflow */
        } else {
            items[++kept] = items[i];
        }
    }
    return kept + 1;
}

/* Counts per key of cells[begin, end) into kn->items. Returns 0 or -ENOMEM. */
static int kanon_aggregate(struct kanon *kn, const struct research_cell *cells, size_t begin,
                           size_t end, size_t *count)
{
    int rc =
        kanon_reserve((void **)&kn->items, &kn->item_capacity, end - begin, sizeof kn->items[0]);
    if (rc != 0) {
        return rc;
    }
    for (size_t i = begin; i < end; i++) {
        kn->items[i - begin] = (struct kanon_item){.key = cells[i].key, .n = cells[i].n};
    }
    *count = kanon_merge_items(kn->items, end - begin);
    return 0;
}

/* True when every count is >= k; *total gets their sum. */
static bool kanon_all_at_least_k(const struct kanon *kn, const struct kanon_item *items,
                                 size_t count, int64_t *total)
{
    bool all = true;
    *total = 0;
    for (size_t i = 0; i < count; i++) {
        all = all && items[i].n >= kn->k;
        *total += items[i].n;
    }
    return all;
}

/* Cells of one hour or one day: each key appears once, so they are their own items. */
static bool kanon_cells_at_least_k(const struct kanon *kn, const struct research_cell *cells,
                                   size_t begin, size_t end)
{
    for (size_t i = begin; i < end; i++) {
        if (cells[i].n < kn->k) {
            return false;
        }
    }
    return true;
}

static int kanon_emit_cells(struct kanon *kn, const struct kanon_period *period,
                            const struct research_cell *cells, size_t begin, size_t end)
{
    for (size_t i = begin; i < end; i++) {
        int rc = kanon_emit(kn, period, RESEARCH_NOTE_CELL, cells[i].key, cells[i].key, cells[i].n);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int kanon_emit_items(struct kanon *kn, const struct kanon_period *period,
                            const struct kanon_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int rc = kanon_emit(kn, period, RESEARCH_NOTE_CELL, items[i].key, items[i].key, items[i].n);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/*
 * Keys of the period that no published segment covers: an observer knows only that their
 * counts add up to the remainder (and, when nothing was moved there on purpose, that each
 * is below k). Only the period's own keys count: keys seen elsewhere in the series would
 * make the answer depend on which other weeks an export holds (every export of a
 * week must publish it the same way), and fewer unknown keys only hide more.
 */
static size_t kanon_unknown_keys(const struct kanon *kn, const struct kanon_item *items,
                                 size_t item_count, const struct kanon_segment *segments,
                                 size_t count)
{
    size_t unknown = 0;
    for (size_t d = 0; d < item_count; d++) {
        const struct research_key_order *order = &kn->keys[items[d].key];
        bool covered = false;
        for (size_t s = 0; s < count && !covered; s++) {
            const struct kanon_segment *segment = &segments[s];
            if (segment->hidden) {
                continue;
            }
            if (order->group < 0) {
                covered = segment->group < 0 && segment->lo_key == items[d].key;
            } else {
                covered = segment->group == order->group &&
                          segment->lo_position <= order->position &&
                          order->position <= segment->hi_position;
            }
        }
        unknown += covered ? 0 : 1;
    }
    return unknown;
}

/* Merges small segments of each ordered scale with a neighbour until all hold k. */
static void kanon_merge_ranges(const struct kanon *kn, struct kanon_segment *segments,
                               size_t *count)
{
    for (;;) {
        size_t smallest = SIZE_MAX;
        for (size_t i = 0; i < *count; i++) {
            if (segments[i].group >= 0 && !segments[i].hidden && segments[i].n < kn->k &&
                (smallest == SIZE_MAX || segments[i].n < segments[smallest].n)) {
                smallest = i;
            }
        }
        if (smallest == SIZE_MAX) {
            return;
        }
        int32_t group = segments[smallest].group;
        bool has_left = smallest > 0 && segments[smallest - 1].group == group;
        bool has_right = smallest + 1 < *count && segments[smallest + 1].group == group;
        if (!has_left && !has_right) {
            segments[smallest].hidden = true; /* the whole scale is below k */
            continue;
        }
        bool take_left =
            has_left && (!has_right || segments[smallest - 1].n <= segments[smallest + 1].n);
        size_t left = take_left ? smallest - 1 : smallest;
        size_t right = left + 1;
        segments[left].hi_position = segments[right].hi_position;
        segments[left].hi_key = segments[right].hi_key;
        segments[left].n += segments[right].n;
        memmove(&segments[right], &segments[right + 1], (*count - right - 1) * sizeof segments[0]);
        (*count)--;
    }
}

/*
 * The ordered items as segments in kn->segments, sorted and merged into ranges of at least k
 * where a scale allows (kanon_merge_ranges); *count gets their number. With split_at_cut each
 * side of the daily form's cut is a scale of its own, so no range crosses it (the groups are
 * then renumbered: 2 * group + side). Returns 0 or -ENOMEM.
 */
static int kanon_ranges(struct kanon *kn, const struct kanon_item *items, size_t item_count,
                        bool split_at_cut, size_t *count)
{
    int rc = kanon_reserve((void **)&kn->segments, &kn->segment_capacity, item_count,
                           sizeof kn->segments[0]);
    if (rc != 0) {
        return rc;
    }
    struct kanon_segment *segments = kn->segments;
    size_t ordinal = 0;
    for (size_t i = 0; i < item_count; i++) {
        const struct research_key_order *order = &kn->keys[items[i].key];
        if (order->group < 0) {
            continue;
        }
        int32_t group = order->group;
        if (split_at_cut) {
            group = group * 2 + (order->position >= kn->daily->cut_position ? 1 : 0);
        }
        segments[ordinal++] = (struct kanon_segment){
            .group = group,
            .lo_position = order->position,
            .hi_position = order->position,
            .lo_key = items[i].key,
            .hi_key = items[i].key,
            .n = items[i].n,
        };
    }
    qsort(segments, ordinal, sizeof segments[0], kanon_compare_segments);
    kanon_merge_ranges(kn, segments, &ordinal);
    *count = ordinal;
    return 0;
}

/*
 * Publishes one period whose counts are not all >= k (total >= k): ranges, then the
 * remainder with complementary suppression. Returns 0, 1 when no safe form exists (every
 * count hidden and still determined: the caller suppresses the period; with ranges_only,
 * whenever a count would go into a remainder), or -ENOMEM.
 */
static int kanon_publish(struct kanon *kn, const struct kanon_period *period,
                         const struct kanon_item *items, size_t item_count, bool ranges_only)
{
    size_t ordinal = 0;
    int rc = kanon_ranges(kn, items, item_count, false, &ordinal);
    if (rc != 0) {
        return rc;
    }
    struct kanon_segment *segments = kn->segments; /* ordered scales first, nominal keys after */
    size_t count = ordinal;
    for (size_t i = 0; i < item_count; i++) {
        if (kn->keys[items[i].key].group < 0) {
            segments[count++] = (struct kanon_segment){
                .group = -1,
                .lo_key = items[i].key,
                .hi_key = items[i].key,
                .n = items[i].n,
                .hidden = items[i].n < kn->k,
            };
        }
    }

    int64_t hidden = 0;
    for (size_t i = 0; i < count; i++) {
        hidden += segments[i].hidden ? segments[i].n : 0;
    }
    if (ranges_only && hidden > 0) {
        return 1;
    }
    bool moved = false;
    while (hidden > 0) {
        bool determined = hidden < kn->k;
        if (!determined && !moved) {
            size_t unknown = kanon_unknown_keys(kn, items, item_count, segments, count);
            determined = hidden >= (int64_t)(kn->k - 1) * (int64_t)unknown;
        }
        if (!determined) {
            break;
        }
        size_t smallest = SIZE_MAX;
        for (size_t i = 0; i < count; i++) {
            if (!segments[i].hidden &&
                (smallest == SIZE_MAX || segments[i].n <= segments[smallest].n)) {
                smallest = i;
            }
        }
        if (smallest == SIZE_MAX) {
            return 1;
        }
        segments[smallest].hidden = true;
        hidden += segments[smallest].n;
        moved = true;
    }

    for (size_t i = 0; i < count; i++) {
        const struct kanon_segment *segment = &segments[i];
        if (segment->hidden) {
            continue;
        }
        enum research_note note =
            segment->lo_key == segment->hi_key ? RESEARCH_NOTE_CELL : RESEARCH_NOTE_RANGE;
        rc = kanon_emit(kn, period, note, segment->lo_key, segment->hi_key, segment->n);
        if (rc != 0) {
            return rc;
        }
    }
    return hidden > 0 ? kanon_emit(kn, period, RESEARCH_NOTE_REMAINDER, 0, 0, hidden) : 0;
}

/* Keeps the hours of one part of the day, or the part as one period, or fails (*pass). */
static int kanon_part(struct kanon *kn, const struct research_cell *cells, size_t begin, size_t end,
                      bool *pass)
{
    size_t mark = kn->out->row_count;
    int32_t day = cells[begin].day;
    bool hours_pass = true;
    for (size_t b = begin; b < end && hours_pass;) {
        size_t e = b;
        while (e < end && cells[e].hour == cells[b].hour) {
            e++;
        }
        hours_pass = kanon_cells_at_least_k(kn, cells, b, e);
        if (hours_pass) {
            struct kanon_period hour = {
                cells[b].series, RESEARCH_LEVEL_HOUR, day, day, cells[b].hour, -1};
            int rc = kanon_emit_cells(kn, &hour, cells, b, e);
            if (rc != 0) {
                return rc;
            }
        }
        b = e;
    }
    *pass = true;
    if (hours_pass) {
        return 0;
    }
    kn->out->row_count = mark;
    size_t count = 0;
    int rc = kanon_aggregate(kn, cells, begin, end, &count);
    if (rc != 0) {
        return rc;
    }
    int64_t total = 0;
    if (!kanon_all_at_least_k(kn, kn->items, count, &total)) {
        *pass = false;
        return 0;
    }
    struct kanon_period part = {cells[begin].series,
                                RESEARCH_LEVEL_PART_OF_DAY,
                                day,
                                day,
                                (int32_t)research_part_of_hour(cells[begin].hour),
                                -1};
    return kanon_emit_items(kn, &part, kn->items, count);
}

/* Keeps the parts (or hours) of one day, or the day as one period, or fails (*pass). */
static int kanon_day(struct kanon *kn, const struct research_cell *cells, size_t begin, size_t end,
                     bool *pass)
{
    int32_t day = cells[begin].day;
    struct kanon_period whole_day = {cells[begin].series, RESEARCH_LEVEL_DAY, day, day, -1, -1};
    if (cells[begin].hour < 0) { /* a table counted per day: the day is the finest level */
        *pass = kanon_cells_at_least_k(kn, cells, begin, end);
        return *pass ? kanon_emit_cells(kn, &whole_day, cells, begin, end) : 0;
    }
    size_t mark = kn->out->row_count;
    bool parts_pass = true;
    for (size_t b = begin; b < end && parts_pass;) {
        size_t e = b;
        enum research_part_of_day part = research_part_of_hour(cells[b].hour);
        while (e < end && research_part_of_hour(cells[e].hour) == part) {
            e++;
        }
        int rc = kanon_part(kn, cells, b, e, &parts_pass);
        if (rc != 0) {
            return rc;
        }
        b = e;
    }
    *pass = true;
    if (parts_pass) {
        return 0;
    }
    kn->out->row_count = mark;
    size_t count = 0;
    int rc = kanon_aggregate(kn, cells, begin, end, &count);
    if (rc != 0) {
        return rc;
    }
    int64_t total = 0;
    if (!kanon_all_at_least_k(kn, kn->items, count, &total)) {
        *pass = false;
        return 0;
    }
    return kanon_emit_items(kn, &whole_day, kn->items, count);
}

/* Does the week of monday in series hold a day listed for the daily form? */
static bool kanon_week_listed(const struct kanon *kn, uint32_t series, int32_t monday)
{
    const struct research_kanon_daily *daily = kn->daily;
    size_t lo = 0, hi = daily == NULL ? 0 : daily->count;
    while (lo < hi) { /* the first listed day at or after (series, monday) */
        size_t mid = lo + (hi - lo) / 2;
        const struct research_series_day *d = &daily->days[mid];
        if (d->series < series || (d->series == series && d->day < monday)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return daily != NULL && lo < daily->count && daily->days[lo].series == series &&
           daily->days[lo].day <= monday + 6;
}

/*
 * One day of a week in the daily form, whole or not at all: its ordered counts as ranges of at
 * least k that never cross the cut, its nominal counts (skip) as cells of at least k. Sets
 * *ordered when the day has ordered counts, and *pass (rows emitted) or not (nothing emitted).
 * Returns 0 or -ENOMEM.
 */
static int kanon_daily_day(struct kanon *kn, const struct research_cell *cells, size_t begin,
                           size_t end, bool *ordered, bool *pass)
{
    size_t count = 0, ordinal = 0;
    int rc = kanon_aggregate(kn, cells, begin, end, &count);
    rc = rc ? rc : kanon_ranges(kn, kn->items, count, true, &ordinal);
    if (rc != 0) {
        return rc;
    }
    *ordered = ordinal > 0;
    *pass = true;
    for (size_t i = 0; i < ordinal; i++) {
        *pass = *pass && !kn->segments[i].hidden; /* a side of the cut below k */
    }
    for (size_t i = 0; i < count; i++) {
        *pass = *pass && (kn->keys[kn->items[i].key].group >= 0 || kn->items[i].n >= kn->k);
    }
    int32_t day = cells[begin].day;
    struct kanon_period period = {cells[begin].series, RESEARCH_LEVEL_DAY, day, day, -1, -1};
    for (size_t i = 0; i < ordinal && *pass && rc == 0; i++) {
        const struct kanon_segment *segment = &kn->segments[i];
        enum research_note note =
            segment->lo_key == segment->hi_key ? RESEARCH_NOTE_CELL : RESEARCH_NOTE_RANGE;
        rc = kanon_emit(kn, &period, note, segment->lo_key, segment->hi_key, segment->n);
    }
    for (size_t i = 0; i < count && *pass && rc == 0; i++) {
        if (kn->keys[kn->items[i].key].group < 0) {
            rc = kanon_emit(kn, &period, RESEARCH_NOTE_CELL, kn->items[i].key, kn->items[i].key,
                            kn->items[i].n);
        }
    }
    return rc;
}

/*
 * A week in the daily form (research_kanon_daily): each day on its own, whole - its ordered
 * counts in ranges that keep the cut and its nominal counts (skip) as cells, every number at
 * least k - or suppressed whole. Nothing of a day is published for the week: a day's answers
 * and skips together are known from its check-ins (batches of k, docs/privacy.md), so skips
 * of the week next to a day's exact answers would give the day's skips, and next to a
 * suppressed day its answers. *published is false (nothing emitted) when fewer than half of
 * the week's days with ordered answers have a safe form: then the week forms keep more of it.
 */
static int kanon_daily(struct kanon *kn, const struct research_cell *cells, size_t begin,
                       size_t end, bool *published)
{
    size_t mark = kn->out->row_count;
    size_t days = 0, passed = 0;
    *published = false;
    for (size_t b = begin; b < end;) {
        size_t e = b;
        while (e < end && cells[e].day == cells[b].day) {
            e++;
        }
        bool ordered = false, pass = false;
        int rc = kanon_daily_day(kn, cells, b, e, &ordered, &pass);
        if (rc == 0 && !pass) {
            struct kanon_period day = {
                cells[b].series, RESEARCH_LEVEL_DAY, cells[b].day, cells[b].day, -1, -1};
            rc = kanon_emit(kn, &day, RESEARCH_NOTE_SUPPRESSED, 0, 0, 0);
        }
        if (rc != 0) {
            return rc;
        }
        days += ordered ? 1 : 0;
        passed += ordered && pass ? 1 : 0;
        b = e;
    }
    if (passed == 0 || 2 * passed < days) {
        kn->out->row_count = mark;
        return 0;
    }
    *published = true;
    return 0;
}

static int kanon_pool_add(struct kanon *kn, const struct research_cell *cells, size_t begin,
                          size_t end, int32_t monday)
{
    int rc = kanon_reserve((void **)&kn->pool_items, &kn->pool_item_capacity,
                           kn->pool_item_count + (end - begin), sizeof kn->pool_items[0]);
    if (rc == 0) {
        rc = kanon_reserve((void **)&kn->pool_mondays, &kn->pool_monday_capacity,
                           kn->pool_monday_count + 1, sizeof kn->pool_mondays[0]);
    }
    if (rc != 0) {
        return rc;
    }
    for (size_t i = begin; i < end; i++) {
        kn->pool_items[kn->pool_item_count++] =
            (struct kanon_item){.key = cells[i].key, .n = cells[i].n};
    }
    kn->pool_mondays[kn->pool_monday_count++] = monday;
    return 0;
}

static int kanon_pool_close(struct kanon *kn, uint32_t series);

/*
 * One ISO week of one series, cells[begin, end), at one level of keys. When not final, a
 * week that needs a remainder or a pool is left unpublished (*published false).
 */
static int kanon_week_at(struct kanon *kn, const struct research_cell *cells, size_t begin,
                         size_t end, bool final, bool *published)
{
    *published = true;
    int32_t monday = research_week_monday(cells[begin].day);
    size_t mark = kn->out->row_count;
    bool days_pass = true;
    for (size_t b = begin; b < end && days_pass;) {
        size_t e = b;
        while (e < end && cells[e].day == cells[b].day) {
            e++;
        }
        int rc = kanon_day(kn, cells, b, e, &days_pass);
        if (rc != 0) {
            return rc;
        }
        b = e;
    }
    if (days_pass) {
        return 0;
    }
    kn->out->row_count = mark;
    if (kanon_week_listed(kn, cells[begin].series, monday)) {
        bool daily = false;
        int rc = kanon_daily(kn, cells, begin, end, &daily);
        if (rc != 0 || daily) {
            return rc;
        }
    }
    size_t count = 0;
    int rc = kanon_aggregate(kn, cells, begin, end, &count);
    if (rc != 0) {
        return rc;
    }
    struct kanon_period week = {
        cells[begin].series, RESEARCH_LEVEL_WEEK, monday, monday + 6, -1, -1};
    int64_t total = 0;
    if (kanon_all_at_least_k(kn, kn->items, count, &total)) {
        return kanon_emit_items(kn, &week, kn->items, count);
    }
    if (total >= kn->k) {
        rc = kanon_publish(kn, &week, kn->items, count, !final);
        if (rc <= 0) {
            return rc;
        }
        kn->out->row_count = mark; /* no safe form: pooled like a quiet week */
    }
    if (!final) {
        *published = false;
        return 0;
    }
    rc = kanon_pool_add(kn, cells, begin, end, monday);
    return rc != 0 ? rc : kanon_pool_close(kn, cells[begin].series);
}

/* One ISO week of one series: cells[begin, end), level by level when there is a ladder. */
static int kanon_week(struct kanon *kn, const struct research_cell *cells, size_t begin, size_t end)
{
    bool published = false;
    if (kn->ladder == NULL) {
        return kanon_week_at(kn, cells, begin, end, true, &published);
    }
    int rc = kanon_reserve((void **)&kn->week_cells, &kn->week_cell_capacity, end - begin,
                           sizeof kn->week_cells[0]);
    for (size_t level = 0; rc == 0 && level < kn->ladder->level_count; level++) {
        const uint32_t *map = kn->ladder->map + level * kn->key_count;
        for (size_t i = begin; i < end; i++) {
            kn->week_cells[i - begin] = cells[i];
            kn->week_cells[i - begin].key = map[cells[i].key];
        }
        qsort(kn->week_cells, end - begin, sizeof kn->week_cells[0], kanon_compare_cells);
        size_t kept = 0;
        for (size_t i = 0; i < end - begin; i++) {
            if (kept > 0 &&
                kanon_compare_cells(&kn->week_cells[kept - 1], &kn->week_cells[i]) == 0) {
                kn->week_cells[kept - 1].n += kn->week_cells[i].n;
            } else {
                kn->week_cells[kept++] = kn->week_cells[i];
            }
        }
        rc = kanon_week_at(kn, kn->week_cells, 0, kept, level + 1 == kn->ladder->level_count,
                           &published);
        if (published) {
            break;
        }
    }
    return rc;
}

/*
 * Closes the series' open pool of quiet weeks when it can be published: at least k in all
 * and a safe form (blocks are formed from the first week forward and a closed
 * block never changes, whatever weeks later exports hold). Otherwise it stays open and
 * nothing is emitted. Returns 0 or -ENOMEM.
 */
static int kanon_pool_close(struct kanon *kn, uint32_t series)
{
    size_t count = kanon_merge_items(kn->pool_items, kn->pool_item_count);
    kn->pool_item_count = count;
    int64_t total = 0;
    bool all = kanon_all_at_least_k(kn, kn->pool_items, count, &total);
    if (kn->pool_monday_count == 0 || total < kn->k) {
        return 0;
    }
    struct research_kanon_result *out = kn->out;
    size_t mark = out->row_count;
    int rc = kanon_reserve((void **)&out->pools, &kn->pool_capacity, out->pool_count + 1,
                           sizeof out->pools[0]);
    int32_t *mondays = rc == 0 ? malloc(kn->pool_monday_count * sizeof mondays[0]) : NULL;
    if (mondays == NULL) {
        return -ENOMEM;
    }
    memcpy(mondays, kn->pool_mondays, kn->pool_monday_count * sizeof mondays[0]);
    out->pools[out->pool_count] = (struct research_pool){
        .series = series, .mondays = mondays, .count = kn->pool_monday_count};
    struct kanon_period pool = {series,     RESEARCH_LEVEL_POOLED_WEEKS,
                                mondays[0], mondays[kn->pool_monday_count - 1] + 6,
                                -1,         (int32_t)out->pool_count};
    out->pool_count++;
    rc = all ? kanon_emit_items(kn, &pool, kn->pool_items, count)
             : kanon_publish(kn, &pool, kn->pool_items, count, false);
    if (rc == 1) { /* no safe form yet: take the pool back, it stays open */
        out->row_count = mark;
        out->pool_count--;
        free(out->pools[out->pool_count].mondays);
        return 0;
    }
    if (rc == 0) {
        kn->pool_item_count = 0;
        kn->pool_monday_count = 0;
    }
    return rc;
}

/*
 * The series ends with an open pool (the incomplete last block): its weeks are listed as
 * suppressed, without numbers, until later weeks close it. Then empties the pool.
 */
static int kanon_pool_end(struct kanon *kn, uint32_t series)
{
    int rc = 0;
    for (size_t w = 0; rc == 0 && w < kn->pool_monday_count; w++) {
        int32_t monday = kn->pool_mondays[w];
        struct kanon_period week = {series, RESEARCH_LEVEL_WEEK, monday, monday + 6, -1, -1};
        rc = kanon_emit(kn, &week, RESEARCH_NOTE_SUPPRESSED, 0, 0, 0);
    }
    kn->pool_item_count = 0;
    kn->pool_monday_count = 0;
    return rc;
}

/* Checks the input and sums duplicate cells. Returns the new count, or -EINVAL. */
static long long kanon_prepare(struct research_cell *cells, size_t count, size_t key_count)
{
    if (count == 0) {
        return 0; /* an empty table (cells may be NULL) */
    }
    bool per_day = cells[0].hour < 0;
    for (size_t i = 0; i < count; i++) {
        const struct research_cell *cell = &cells[i];
        if (cell->key >= key_count || cell->n <= 0 || cell->day < 0 || cell->hour > 23 ||
            cell->hour < -1 || (cell->hour < 0) != per_day) {
            return -EINVAL;
        }
    }
    qsort(cells, count, sizeof cells[0], kanon_compare_cells);
    size_t kept = 0;
    int64_t series_total = 0;
    for (size_t i = 0; i < count; i++) {
        if (kept > 0 && kanon_compare_cells(&cells[kept - 1], &cells[i]) == 0) {
            cells[kept - 1].n += cells[i].n;
        } else {
            if (kept > 0 && cells[kept - 1].series != cells[i].series) {
                series_total = 0;
            }
            cells[kept++] = cells[i];
        }
        /* every sum made later is within one series: bound the series total */
        if (cells[i].n > INT64_MAX / 4 - series_total) {
            return -EINVAL;
        }
        series_total += cells[i].n;
    }
    return (long long)kept;
}

static int kanon_run(struct research_cell *cells, size_t count,
                     const struct research_key_order *keys, size_t key_count,
                     const struct research_kanon_ladder *ladder,
                     const struct research_kanon_daily *daily, int k,
                     struct research_kanon_result *out);

int research_kanon_run(struct research_cell *cells, size_t count,
                       const struct research_key_order *keys, size_t key_count, int k,
                       struct research_kanon_result *out)
{
    return research_kanon_run_ladder(cells, count, keys, key_count, NULL, k, out);
}

int research_kanon_run_ladder(struct research_cell *cells, size_t count,
                              const struct research_key_order *keys, size_t key_count,
                              const struct research_kanon_ladder *ladder, int k,
                              struct research_kanon_result *out)
{
    return kanon_run(cells, count, keys, key_count, ladder, NULL, k, out);
}

int research_kanon_run_daily(struct research_cell *cells, size_t count,
                             const struct research_key_order *keys, size_t key_count,
                             const struct research_kanon_daily *daily, int k,
                             struct research_kanon_result *out)
{
    return kanon_run(cells, count, keys, key_count, NULL, daily, k, out);
}

static int kanon_run(struct research_cell *cells, size_t count,
                     const struct research_key_order *keys, size_t key_count,
                     const struct research_kanon_ladder *ladder,
                     const struct research_kanon_daily *daily, int k,
                     struct research_kanon_result *out)
{
    *out = (struct research_kanon_result){0};
    if (k < RESEARCH_K_MIN || (count > 0 && (cells == NULL || keys == NULL))) {
        return -EINVAL;
    }
    if (daily != NULL) {
        for (size_t i = 0; i < daily->count; i++) {
            const struct research_series_day *d = &daily->days[i];
            if (i > 0 &&
                (d[-1].series > d->series || (d[-1].series == d->series && d[-1].day > d->day))) {
                return -EINVAL;
            }
        }
    }
    if (ladder != NULL) {
        if (ladder->level_count == 0 || ladder->map == NULL ||
            ladder->level_count > SIZE_MAX / (key_count ? key_count : 1)) {
            return -EINVAL;
        }
        for (size_t i = 0; i < ladder->level_count * key_count; i++) {
            if (ladder->map[i] >= key_count) {
                return -EINVAL;
            }
        }
    }
    long long prepared = kanon_prepare(cells, count, key_count);
    if (prepared < 0) {
        return (int)prepared;
    }
    count = (size_t)prepared;
    struct kanon kn = {
        .k = k, .keys = keys, .key_count = key_count, .out = out, .ladder = ladder, .daily = daily};
    int rc = 0;
    for (size_t series_begin = 0; series_begin < count && rc == 0;) {
        size_t series_end = series_begin;
        while (series_end < count && cells[series_end].series == cells[series_begin].series) {
            series_end++;
        }
        for (size_t b = series_begin; b < series_end && rc == 0;) {
            size_t e = b;
            int32_t monday = research_week_monday(cells[b].day);
            while (e < series_end && research_week_monday(cells[e].day) == monday) {
                e++;
            }
            rc = kanon_week(&kn, cells, b, e);
            b = e;
        }
        if (rc == 0) {
            rc = kanon_pool_end(&kn, cells[series_begin].series);
        }
        series_begin = series_end;
    }
    free(kn.items);
    free(kn.segments);
    free(kn.pool_items);
    free(kn.pool_mondays);
    free(kn.week_cells);
    if (rc != 0) {
        research_kanon_free(out);
    }
    return rc;
}

void research_kanon_free(struct research_kanon_result *result)
{
    if (result == NULL) {
        return;
    }
    for (size_t i = 0; i < result->pool_count; i++) {
        free(result->pools[i].mondays);
    }
    free(result->pools);
    free(result->rows);
    *result = (struct research_kanon_result){0};
}
