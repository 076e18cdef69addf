/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_split: the split tables of research_export (responses, stress_waits,
 * wait_messages, and the answers by room context): each splits a row another table already
 * publishes, shown whole with every part >= k or not at all (docs/research.md, "Splits").
 * The arrivals lose their wants_word split where the answers publish a remainder.
 */
#include "research/research_export_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"
#include "store/store.h"

/* ---- split tables ------------------------------------------------------------------------ */

struct split_builder {
    struct research_dataset *dataset;
    struct export_tuples series, keys;
    struct research_row *rows;
    size_t count, capacity;
};

static int split_emit(struct split_builder *split, const struct research_tuple *series,
                      const struct research_tuple *key, const struct research_row *parent,
                      enum research_note note, int64_t n)
{
    uint32_t series_id = 0, key_id = 0;
    int rc = tuples_intern(&split->series, series, &series_id);
    if (rc == 0) {
        rc = tuples_intern(&split->keys, key, &key_id);
    }
    if (rc == 0) {
        rc = export_grow((void **)&split->rows, &split->capacity, split->count + 1,
                         sizeof split->rows[0]);
    }
    if (rc != 0) {
        return rc;
    }
    struct research_row row = *parent;
    row.series = series_id;
    row.key = key_id;
    row.key_last = key_id;
    row.note = note;
    row.n = note == RESEARCH_NOTE_SUPPRESSED ? 0 : n;
    split->rows[split->count++] = row;
    return 0;
}

/* Moves a finished split into the dataset; pools are copied from the parent. */
static int split_finish(struct split_builder *split, enum research_table_id table,
                        enum research_table_id parent, size_t unsplit)
{
    struct research_dataset *dataset = split->dataset;
    struct research_table *target = &dataset->tables[table];
    const struct research_kanon_result *from = &dataset->tables[parent].published;
    target->parent = (int)parent;
    target->unsplit = unsplit;
    target->series = split->series.items;
    target->series_count = split->series.count;
    target->keys = split->keys.items;
    target->key_count = split->keys.count;
    free(split->series.slots);
    free(split->keys.slots);
    target->key_order = calloc(split->keys.count + 1, sizeof target->key_order[0]);
    target->published.rows = split->rows;
    target->published.row_count = split->count;
    if (target->key_order == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < split->keys.count; i++) {
        target->key_order[i] = (struct research_key_order){.group = -1, .position = 0};
    }
    if (from->pool_count > 0 && table != RESEARCH_RESPONSES) {
        target->published.pools = calloc(from->pool_count, sizeof target->published.pools[0]);
        if (target->published.pools == NULL) {
            return -ENOMEM;
        }
        target->published.pool_count = from->pool_count;
        for (size_t p = 0; p < from->pool_count; p++) {
            struct research_pool *pool = &target->published.pools[p];
            pool->series = from->pools[p].series;
            pool->mondays = malloc(from->pools[p].count * sizeof pool->mondays[0]);
            if (pool->mondays == NULL) {
                return -ENOMEM;
            }
            memcpy(pool->mondays, from->pools[p].mondays,
                   from->pools[p].count * sizeof pool->mondays[0]);
            pool->count = from->pools[p].count;
        }
    }
    return 0;
}

/* Does the published row's period (of a table with pools out) hold day and hour? */
static bool export_period_holds(const struct research_kanon_result *out,
                                const struct research_row *row, int32_t day, int32_t hour)
{
    if (row->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (research_week_monday(day) == pool->mondays[w]) {
                return true;
            }
        }
        return false;
    }
    if (day < row->first_day || day > row->last_day) {
        return false;
    }
    if (row->level == RESEARCH_LEVEL_HOUR) {
        return hour == row->time_of_day;
    }
    if (row->level == RESEARCH_LEVEL_PART_OF_DAY) {
        return hour >= 0 && (int)research_part_of_hour(hour) == row->time_of_day;
    }
    return true;
}

static int export_compare_cell_days(const void *a, const void *b)
{
    const struct research_cell *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* The first cell (sorted by day) on or after day. */
static size_t export_first_cell_from(const struct export_table_cells *cells, int32_t day)
{
    size_t low = 0, high = cells->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (cells->cells[middle].day < day) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

static const char *export_text(const struct research_dataset *dataset, uint32_t id)
{
    return research_dataset_text(dataset, id);
}

static int export_intern(struct research_dataset *dataset, const char *text, uint32_t *id)
{
    return texts_intern(dataset->texts, text, strlen(text), id);
}

/* Does a database of the site with text number site record table (schema 3)? */
static bool export_site_has(const struct research_dataset *dataset, uint32_t site,
                            enum research_table_id table)
{
    for (size_t s = 0; s < dataset->site_count; s++) {
        if (dataset->sites[s].has_table[table] &&
            strcmp(dataset->sites[s].name, research_dataset_text(dataset, site)) == 0) {
            return true;
        }
    }
    return false;
}

/* Up to this many parts a split row can have (message x within, or services). */
#define SPLIT_PARTS 64

struct split_part {
    uint32_t a, b; /* text numbers: stress band; message and within; service */
    int64_t n;
};

static size_t split_add(struct split_part *parts, size_t count, uint32_t a, uint32_t b, int64_t n)
{
    for (size_t i = 0; i < count; i++) {
        if (parts[i].a == a && parts[i].b == b) {
            parts[i].n += n;
            return count;
        }
    }
    if (count < SPLIT_PARTS) {
        parts[count] = (struct split_part){a, b, n};
        return count + 1;
    }
    return count; /* more parts than a kiosk has: left out, so the split fails its check */
}

static int export_stress_index(const char *band)
{
    static const char *const bands[] = {STORE_STRESS_BAND_LOW, STORE_STRESS_BAND_MID,
                                        STORE_STRESS_BAND_HIGH};
    for (int i = 0; i < 3; i++) {
        if (strcmp(bands[i], band) == 0) {
            return i;
        }
    }
    return -1;
}

/* One day's arrival stress answers of a band (0-2) or skips (3), or collected waits (4), of a
   site and phase: what an attacker could set against a stress split. */
struct stress_side {
    int32_t day;
    uint32_t site, phase;
    int slot;
    int64_t n;
};

static int export_compare_sides(const void *a, const void *b)
{
    const struct stress_side *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* The answers and collected waits as sides, sorted by day (*sides NULL when there are none).
   Returns 0 or -ENOMEM. */
static int export_stress_sides_collect(const struct export_build *build, struct stress_side **sides,
                                       size_t *count)
{
    const struct research_dataset *dataset = build->dataset;
    const struct export_table_cells *answers = &build->tables[RESEARCH_ANSWERS];
    const struct export_table_cells *waits = &build->tables[RESEARCH_WAITS];
    *sides = NULL;
    *count = 0;
    if (answers->count + waits->count == 0) {
        return 0;
    }
    struct stress_side *out = calloc(answers->count + waits->count, sizeof out[0]);
    if (out == NULL) {
        return -ENOMEM;
    }
    size_t n = 0;
    const struct research_table *table = &dataset->tables[RESEARCH_ANSWERS];
    for (size_t c = 0; c < answers->count; c++) {
        const struct research_cell *cell = &answers->cells[c];
        const struct research_tuple *series = &table->series[cell->series];
        if (strcmp(export_text(dataset, series->text[2]), STORE_MOMENT_ARRIVAL) != 0 ||
            strcmp(export_text(dataset, series->text[3]), STORE_QUESTION_STRESS) != 0) {
            continue;
        }
        const char *answer = export_text(dataset, table->keys[cell->key].text[0]);
        int slot = strcmp(answer, STORE_ANSWER_SKIP) == 0 ? 3 : -1;
        if (slot < 0 && answer[0] >= '0' && answer[0] <= '9') {
            const char *band = store_stress_band((int)strtol(answer, NULL, 10)); /* "0".."10" */
            slot = band != NULL ? export_stress_index(band) : -1;
        }
        if (slot >= 0) {
            out[n++] =
                (struct stress_side){cell->day, series->text[0], series->text[1], slot, cell->n};
        }
    }
    table = &dataset->tables[RESEARCH_WAITS];
    for (size_t c = 0; c < waits->count; c++) {
        const struct research_cell *cell = &waits->cells[c];
        const struct research_tuple *series = &table->series[cell->series];
        if (strcmp(export_text(dataset, table->keys[cell->key].text[0]), "collected") == 0) {
            out[n++] =
                (struct stress_side){cell->day, series->text[0], series->text[1], 4, cell->n};
        }
    }
    qsort(out, n, sizeof out[0], export_compare_sides);
    *sides = out;
    *count = n;
    return 0;
}

/*
 * In the period of waits row, for site and phase (parent): the arrival stress answers per
 * band and the skips (answered[0..3]) and the collected waits. The answers table may show a
 * band exactly (cells or ranges inside it), so a band's answers minus the split's part of it
 * are the answers of visitors nobody fetched, and skips minus "none" their skips.
 */
static void export_stress_sides(const struct research_kanon_result *waits,
                                const struct stress_side *sides, size_t count,
                                const struct research_row *row, const struct research_tuple *parent,
                                int64_t answered[4], int64_t *collected)
{
    memset(answered, 0, 4 * sizeof answered[0]);
    *collected = 0;
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (sides[middle].day < row->first_day) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    for (size_t i = low; i < count && sides[i].day <= row->last_day; i++) {
        const struct stress_side *side = &sides[i];
        if (side->site != parent->text[0] || side->phase != parent->text[1] ||
            !export_period_holds(waits, row, side->day, -1)) {
            continue;
        }
        if (side->slot < 4) {
            answered[side->slot] += side->n;
        } else {
            *collected += side->n;
        }
    }
}

/*
 * stress_waits: each published row of collected waits (a band or a range of bands, a day,
 * week or pool) split by the stress band its visitors gave on arrival, plus "none" (fetched
 * without a stress answer, or a link lost to a power cut). The partitions tried, finest
 * first: the three bands; 0-6 and 7-10; 0-3 and 4-10; 0-10; each with "none". Every part
 * must be 0 or at least k, else the row gets one suppressed split row.
 */
int export_split_stress(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_STRESS_WAITS];
    const struct research_table *waits = &dataset->tables[RESEARCH_WAITS];
    struct split_builder split = {.dataset = dataset};
    static const unsigned partitions[4][4] = {
        {1, 2, 4, 8}, {3, 4, 8, 0}, {1, 6, 8, 0}, {7, 8, 0, 0}};
    static const char *const labels[16] = {[1] = STORE_STRESS_BAND_LOW,
                                           [2] = STORE_STRESS_BAND_MID,
                                           [4] = STORE_STRESS_BAND_HIGH,
                                           [3] = "0-6",
                                           [6] = "4-10",
                                           [7] = "0-10",
                                           [8] = "none"};
    size_t unsplit = 0, side_count = 0;
    struct stress_side *sides = NULL;
    int rc = export_stress_sides_collect(build, &sides, &side_count);
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    for (size_t r = 0; r < waits->published.row_count && rc == 0; r++) {
        const struct research_row *row = &waits->published.rows[r];
        int first = 0, last = 0;
        if ((row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) ||
            research_row_wait_bands(dataset, RESEARCH_WAITS, row, &first, &last) != 0) {
            continue;
        }
        const struct research_tuple *parent = &waits->series[row->series];
        if (!export_site_has(dataset, parent->text[0], RESEARCH_STRESS_WAITS)) {
            continue; /* not recorded there (schema 2) */
        }
        int64_t sums[4] = {0, 0, 0, 0};
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int band = export_wait_band_index(export_text(dataset, key->text[1]));
            int stress = export_stress_index(export_text(dataset, key->text[0]));
            if (series->text[0] == parent->text[0] && series->text[1] == parent->text[1] &&
                export_period_holds(&waits->published, row, cell->day, cell->hour) &&
                band >= first && band <= last && stress >= 0) {
                sums[stress] += cell->n;
            }
        }
        sums[3] = row->n - sums[0] - sums[1] - sums[2];
        int64_t answered[4], collected = 0, pairs[4] = {0, 0, 0, 0};
        export_stress_sides(&waits->published, sides, side_count, row, parent, answered,
                            &collected);
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            int stress =
                export_stress_index(export_text(dataset, raw->keys.items[cell->key].text[0]));
            if (series->text[0] == parent->text[0] && series->text[1] == parent->text[1] &&
                export_period_holds(&waits->published, row, cell->day, cell->hour) && stress >= 0) {
                pairs[stress] += cell->n;
            }
        }
        pairs[3] = collected - pairs[0] - pairs[1] - pairs[2]; /* fetched without an answer */
        char wait_label[64];
        research_row_key_text(dataset, RESEARCH_WAITS, row, 1, wait_label, sizeof wait_label);
        struct research_tuple series = {{parent->text[0], parent->text[1], 0, 0, 0, 0}};
        struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
        rc = export_intern(dataset, wait_label, &key.text[1]);
        rc = rc ? rc : export_intern(dataset, research_wait_band_name(first), &key.text[2]);
        rc = rc ? rc : export_intern(dataset, research_wait_band_name(last), &key.text[3]);
        int chosen = -1;
        for (int p = 0; p < 4 && chosen < 0 && sums[3] >= 0; p++) {
            bool safe = true;
            for (int g = 0; g < 4 && partitions[p][g] != 0; g++) {
                int64_t n = 0, unfetched = 0;
                for (int part = 0; part < 4; part++) {
                    n += partitions[p][g] & (1u << part) ? sums[part] : 0;
                    unfetched += partitions[p][g] & (1u << part) ? answered[part] - pairs[part] : 0;
                }
                /* the part, and what the answers leave of its bands: visitors nobody fetched */
                safe = safe && (n == 0 || n >= dataset->k) &&
                       (unfetched <= 0 || unfetched >= dataset->k);
            }
            chosen = safe ? p : -1;
        }
        if (chosen < 0) {
            key.text[0] = 0;
            rc = rc ? rc : split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            unsplit++;
            continue;
        }
        for (int g = 0; g < 4 && partitions[chosen][g] != 0 && rc == 0; g++) {
            unsigned mask = partitions[chosen][g];
            int64_t n = 0;
            for (int part = 0; part < 4; part++) {
                n += mask & (1u << part) ? sums[part] : 0;
            }
            if (n == 0) {
                continue;
            }
            rc = export_intern(dataset, labels[mask], &key.text[0]);
            bool merged = mask == 3 || mask == 6 || mask == 7;
            rc = rc ? rc
                    : split_emit(&split, &series, &key, row,
                                 merged ? RESEARCH_NOTE_RANGE : RESEARCH_NOTE_CELL, n);
        }
    }
    free(sides);
    int finished = split_finish(&split, RESEARCH_STRESS_WAITS, RESEARCH_WAITS, unsplit);
    return rc ? rc : finished;
}

/*
 * wait_messages: each published waits row (collected in a band or range, no-shows, never
 * marked) split by the waiting message its visitors saw and, for "range", whether the wait
 * was below, within or above the range shown; "none" are arrivals without a recorded
 * message. Tried: message and within; message alone; else suppressed.
 */
int export_split_messages(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_WAIT_MESSAGES];
    const struct research_table *waits = &dataset->tables[RESEARCH_WAITS];
    struct split_builder split = {.dataset = dataset};
    size_t unsplit = 0;
    uint32_t any = 0, none = 0, not_applicable = 0, empty = 0;
    int rc = export_intern(dataset, RESEARCH_ANY, &any);
    rc = rc ? rc : export_intern(dataset, "none", &none);
    rc = rc ? rc : export_intern(dataset, "n/a", &not_applicable);
    rc = rc ? rc : export_intern(dataset, "", &empty);
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    for (size_t r = 0; r < waits->published.row_count && rc == 0; r++) {
        const struct research_row *row = &waits->published.rows[r];
        if (row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) {
            continue;
        }
        const struct research_tuple *parent = &waits->series[row->series];
        if (!export_site_has(dataset, parent->text[0], RESEARCH_WAIT_MESSAGES)) {
            continue; /* not recorded there (schema 2) */
        }
        uint32_t outcome = waits->keys[row->key].text[0];
        int first = -1, last = -1;
        bool banded = research_row_wait_bands(dataset, RESEARCH_WAITS, row, &first, &last) == 0;
        struct split_part parts[SPLIT_PARTS];
        size_t part_count = 0;
        int64_t shown = 0;
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int band = export_wait_band_index(export_text(dataset, key->text[2]));
            if (series->text[0] == parent->text[0] && series->text[1] == parent->text[1] &&
                key->text[1] == outcome &&
                export_period_holds(&waits->published, row, cell->day, cell->hour) &&
                (!banded || (band >= first && band <= last))) {
                part_count = split_add(parts, part_count, key->text[0], key->text[3], cell->n);
                shown += cell->n;
            }
        }
        int64_t unrecorded = row->n - shown;
        char wait_label[64];
        research_row_key_text(dataset, RESEARCH_WAITS, row, 1, wait_label, sizeof wait_label);
        struct research_tuple series = {{parent->text[0], parent->text[1], 0, 0, 0, 0}};
        struct research_tuple key = {{0, outcome, 0, 0, empty, empty}};
        rc = export_intern(dataset, wait_label, &key.text[2]);
        if (banded) {
            rc = rc ? rc : export_intern(dataset, research_wait_band_name(first), &key.text[4]);
            rc = rc ? rc : export_intern(dataset, research_wait_band_name(last), &key.text[5]);
        }
        bool done = unrecorded < 0;
        for (int level = 0; level < 2 && !done && rc == 0; level++) {
            struct split_part merged[SPLIT_PARTS];
            size_t merged_count = 0;
            for (size_t i = 0; i < part_count; i++) {
                merged_count = split_add(merged, merged_count, parts[i].a,
                                         level == 0 ? parts[i].b : any, parts[i].n);
            }
            bool safe = unrecorded == 0 || unrecorded >= dataset->k;
            for (size_t i = 0; i < merged_count; i++) {
                safe = safe && merged[i].n >= dataset->k;
            }
            if (!safe) {
                continue;
            }
            for (size_t i = 0; i < merged_count && rc == 0; i++) {
                key.text[0] = merged[i].a;
                key.text[3] = merged[i].b;
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_CELL, merged[i].n);
            }
            if (unrecorded > 0 && rc == 0) {
                key.text[0] = none;
                key.text[3] = not_applicable;
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_CELL, unrecorded);
            }
            done = true;
        }
        if (!done && rc == 0) {
            key.text[0] = empty;
            key.text[3] = empty;
            rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            unsplit++;
        }
    }
    int finished = split_finish(&split, RESEARCH_WAIT_MESSAGES, RESEARCH_WAITS, unsplit);
    return rc ? rc : finished;
}

/*
 * Splits total by service into what may be shown: services with at least k on their own,
 * the rest together as "*" when that is at least k; a rest below k takes the smallest shown
 * service with it. Emits the rows; returns 0 or -ENOMEM.
 */
static int export_split_services(struct split_builder *split, const struct research_tuple *series,
                                 uint32_t response, const struct split_part *parts, size_t count,
                                 const struct research_row *parent, uint32_t star)
{
    bool shown[SPLIT_PARTS];
    int64_t rest = 0;
    for (size_t i = 0; i < count; i++) {
        shown[i] = parts[i].n >= split->dataset->k;
        rest += shown[i] ? 0 : parts[i].n;
    }
    while (rest > 0 && rest < split->dataset->k) {
        size_t smallest = SIZE_MAX;
        for (size_t i = 0; i < count; i++) {
            if (shown[i] && (smallest == SIZE_MAX || parts[i].n < parts[smallest].n)) {
                smallest = i;
            }
        }
        if (smallest == SIZE_MAX) {
            break; /* cannot happen: the total is at least k */
        }
        shown[smallest] = false;
        rest += parts[smallest].n;
    }
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (shown[i]) {
            struct research_tuple key = {{parts[i].a, response, 0, 0, 0, 0}};
            rc = split_emit(split, series, &key, parent, RESEARCH_NOTE_CELL, parts[i].n);
        }
    }
    if (rest > 0 && rc == 0) {
        struct research_tuple key = {{star, response, 0, 0, 0, 0}};
        rc = split_emit(split, series, &key, parent, RESEARCH_NOTE_REMAINDER, rest);
    }
    return rc;
}

static bool export_same_period(const struct research_row *a, const struct research_row *b)
{
    return a->series == b->series && a->level == b->level && a->first_day == b->first_day &&
           a->last_day == b->last_day && a->time_of_day == b->time_of_day && a->pool == b->pool;
}

/*
 * responses: answered and skipped per service, for every published period of the answers
 * (same series) that has no remainder: there the answered and skipped totals are public
 * already, and only the split by service is new ("*" = the services not shown on their
 * own). Not asked: per published period of completed journeys, shown when at least k.
 * Pooled weeks, periods with a remainder, periods whose answers keep room context and counts
 * that disagree with the answers are not split (counted in unsplit): the room context and the
 * service are two splits of the same check-ins, and with the per-hour totals an attacker who
 * knows which cells are non-zero could play one against the other (docs/research.md).
 */
int export_split_responses(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *raw = &build->tables[RESEARCH_RESPONSES];
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    const struct research_table *journeys = &dataset->tables[RESEARCH_JOURNEYS];
    struct split_builder split = {.dataset = dataset};
    size_t unsplit = 0;
    uint32_t answered = 0, skipped = 0, not_asked = 0, star = 0, completed = 0;
    int rc = export_intern(dataset, STORE_RESPONSE_ANSWERED, &answered);
    rc = rc ? rc : export_intern(dataset, STORE_RESPONSE_SKIPPED, &skipped);
    rc = rc ? rc : export_intern(dataset, STORE_RESPONSE_NOT_ASKED, &not_asked);
    rc = rc ? rc : export_intern(dataset, "*", &star);
    rc = rc ? rc : export_intern(dataset, "completed", &completed);
    if (raw->count > 0) {
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_days);
    }
    if (raw->count == 0) {
        return rc ? rc : split_finish(&split, RESEARCH_RESPONSES, RESEARCH_ANSWERS, 0);
    }
    const struct research_kanon_result *rows = &answers->published;
    for (size_t begin = 0; begin < rows->row_count && rc == 0;) {
        size_t end = begin + 1;
        while (end < rows->row_count && export_same_period(&rows->rows[begin], &rows->rows[end])) {
            end++;
        }
        const struct research_row *row = &rows->rows[begin];
        if (!export_site_has(dataset, answers->series[row->series].text[0], RESEARCH_RESPONSES)) {
            begin = end; /* not recorded there (schema 2) */
            continue;
        }
        bool whole = row->level != RESEARCH_LEVEL_POOLED_WEEKS;
        int64_t totals[2] = {0, 0}; /* answered, skipped: public from the answers */
        for (size_t i = begin; i < end; i++) {
            const struct research_row *member = &rows->rows[i];
            int context = research_row_context_level(dataset, member); /* -1: no ladder */
            whole = whole &&
                    (member->note == RESEARCH_NOTE_CELL || member->note == RESEARCH_NOTE_RANGE) &&
                    (context < 0 || context == RESEARCH_CONTEXT_LEVELS - 1) &&
                    !(build->context_split != NULL && build->context_split[i]);
            bool skip = strcmp(export_text(dataset, answers->keys[member->key].text[0]),
                               STORE_ANSWER_SKIP) == 0;
            totals[skip ? 1 : 0] += member->n;
        }
        const struct research_tuple *parent = &answers->series[row->series];
        struct split_part parts[2][SPLIT_PARTS];
        size_t part_count[2] = {0, 0};
        int64_t sums[2] = {0, 0};
        for (size_t c = export_first_cell_from(raw, row->first_day);
             whole && c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            int status = key->text[1] == answered ? 0 : key->text[1] == skipped ? 1 : -1;
            if (status >= 0 &&
                memcmp(series->text, parent->text, 4 * sizeof parent->text[0]) == 0 &&
                export_period_holds(rows, row, cell->day, cell->hour)) {
                part_count[status] =
                    split_add(parts[status], part_count[status], key->text[0], 0, cell->n);
                sums[status] += cell->n;
            }
        }
        if (!whole || sums[0] != totals[0] || sums[1] != totals[1]) {
            unsplit++;
            if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) { /* says so, without a number */
                struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
                rc = split_emit(&split, parent, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
            }
            begin = end;
            continue;
        }
        struct research_tuple series = *parent;
        for (int status = 0; status < 2 && rc == 0; status++) {
            rc = export_split_services(&split, &series, status == 0 ? answered : skipped,
                                       parts[status], part_count[status], row, star);
        }
        begin = end;
    }
    /* not asked: per period of completed journeys, all services together */
    for (size_t r = 0; r < journeys->published.row_count && rc == 0; r++) {
        const struct research_row *row = &journeys->published.rows[r];
        const struct research_tuple *parent = &journeys->series[row->series];
        if (row->note != RESEARCH_NOTE_CELL || parent->text[3] != completed ||
            row->level == RESEARCH_LEVEL_POOLED_WEEKS ||
            !export_site_has(dataset, parent->text[0], RESEARCH_RESPONSES)) {
            continue;
        }
        struct split_part questions[SPLIT_PARTS];
        size_t question_count = 0;
        for (size_t c = export_first_cell_from(raw, row->first_day);
             c < raw->count && raw->cells[c].day <= row->last_day; c++) {
            const struct research_cell *cell = &raw->cells[c];
            const struct research_tuple *series = &raw->series.items[cell->series];
            const struct research_tuple *key = &raw->keys.items[cell->key];
            if (key->text[1] == not_asked && series->text[0] == parent->text[0] &&
                series->text[1] == parent->text[1] && series->text[2] == parent->text[2] &&
                export_period_holds(&journeys->published, row, cell->day, cell->hour)) {
                question_count = split_add(questions, question_count, series->text[3], 0, cell->n);
            }
        }
        for (size_t q = 0; q < question_count && rc == 0; q++) {
            if (questions[q].n < dataset->k) {
                struct research_tuple series = {
                    {parent->text[0], parent->text[1], parent->text[2], questions[q].a, 0, 0}};
                struct research_tuple key = {{star, not_asked, 0, 0, 0, 0}};
                rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_SUPPRESSED, 0);
                unsplit++;
                continue;
            }
            struct research_tuple series = {
                {parent->text[0], parent->text[1], parent->text[2], questions[q].a, 0, 0}};
            struct research_tuple key = {{star, not_asked, 0, 0, 0, 0}};
            rc = split_emit(&split, &series, &key, row, RESEARCH_NOTE_REMAINDER, questions[q].n);
        }
    }
    int finished = split_finish(&split, RESEARCH_RESPONSES, RESEARCH_ANSWERS, unsplit);
    return rc ? rc : finished;
}

static int export_compare_cell_weeks(const void *a, const void *b)
{
    const struct research_cell *x = a, *y = b;
    if (x->series != y->series) {
        return x->series < y->series ? -1 : 1;
    }
    return x->day < y->day ? -1 : x->day > y->day;
}

/* Is week (its Monday) of site and phase one in which the answers publish a remainder? */
static bool export_week_has_remainder(const struct research_table *answers, uint32_t site,
                                      uint32_t phase, int32_t monday)
{
    const struct research_kanon_result *out = &answers->published;
    for (size_t r = 0; r < out->row_count; r++) {
        const struct research_row *row = &out->rows[r];
        const struct research_tuple *series = &answers->series[row->series];
        if (row->note != RESEARCH_NOTE_REMAINDER || series->text[0] != site ||
            series->text[1] != phase) {
            continue;
        }
        if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) {
            if (monday >= research_week_monday(row->first_day) && monday <= row->last_day) {
                return true;
            }
            continue;
        }
        const struct research_pool *pool = &out->pools[row->pool];
        for (size_t w = 0; w < pool->count; w++) {
            if (pool->mondays[w] == monday) {
                return true;
            }
        }
    }
    return false;
}

/*
 * Arrivals (before numbering, after the answers are published): in a week of a site and
 * phase whose answers publish a remainder, the arrivals lose their wants_word split (the key
 * becomes "any"). Per-hour totals are known anyway (one arrival per completed check-in), but
 * a second split of the week could tell an attacker who knows which cells are non-zero how
 * much of the remainder were skips (docs/research.md, "Splits").
 */
int export_arrivals_unsplit(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *arrivals = &build->tables[RESEARCH_ARRIVALS];
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    uint32_t any_key = 0;
    bool interned = false;
    size_t weeks = 0;
    int32_t last_monday = INT32_MIN;
    uint32_t last_series = UINT32_MAX;
    bool last_marked = false;
    if (arrivals->count > 0) { /* by series and day: each week's cells together */
        qsort(arrivals->cells, arrivals->count, sizeof arrivals->cells[0],
              export_compare_cell_weeks);
    }
    for (size_t i = 0; i < arrivals->count; i++) {
        struct research_cell *cell = &arrivals->cells[i];
        const struct research_tuple *series = &arrivals->series.items[cell->series];
        int32_t monday = research_week_monday(cell->day);
        if (monday != last_monday || cell->series != last_series) {
            last_marked =
                export_week_has_remainder(answers, series->text[0], series->text[1], monday);
            last_monday = monday;
            last_series = cell->series;
            weeks += last_marked;
        }
        if (!last_marked) {
            continue;
        }
        if (!interned) {
            struct research_tuple key = {{0, 0, 0, 0, 0, 0}};
            int rc = texts_intern(dataset->texts, RESEARCH_ANY, strlen(RESEARCH_ANY), &key.text[0]);
            rc = rc ? rc : tuples_intern(&arrivals->keys, &key, &any_key);
            if (rc != 0) {
                return rc;
            }
            interned = true;
        }
        cell->key = any_key;
    }
    dataset->tables[RESEARCH_ARRIVALS].unsplit = weeks;
    return 0;
}

static int export_compare_series_days(const void *a, const void *b)
{
    const struct research_series_day *x = a, *y = b;
    if (x->series != y->series) {
        return x->series < y->series ? -1 : 1;
    }
    return x->day < y->day ? -1 : x->day > y->day;
}

/*
 * The days of a randomised room, per series of stress answers of the site that ran it: those
 * weeks are published day by day where k allows (research_kanon_daily), since the day is the
 * experiment's unit. Taken from experiment_days, which the kiosk wrote when it applied the
 * day's condition: a fact about the room, fixed once the week is over, never a count.
 */
static int export_daily_days(const struct export_build *build, struct research_kanon_daily *daily)
{
    const struct research_dataset *dataset = build->dataset;
    const struct research_table *target = &dataset->tables[RESEARCH_ANSWERS];
    *daily = (struct research_kanon_daily){.cut_position = RESEARCH_STRESS_CUT};
    size_t capacity = 0;
    struct research_series_day *days = NULL;
    for (size_t s = 0; s < target->series_count; s++) {
        const struct research_tuple *series = &target->series[s];
        if (strcmp(export_text(dataset, series->text[3]), STORE_QUESTION_STRESS) != 0) {
            continue;
        }
        for (size_t i = 0; i < dataset->experiment_day_count; i++) {
            if (dataset->experiment_days[i].site != series->text[0]) {
                continue;
            }
            if (daily->count == capacity) {
                size_t bigger = capacity ? capacity * 2 : 64;
                struct research_series_day *grown = realloc(days, bigger * sizeof days[0]);
                if (grown == NULL) {
                    free(days);
                    return -ENOMEM;
                }
                days = grown;
                capacity = bigger;
            }
            days[daily->count++] = (struct research_series_day){
                .series = (uint32_t)s, .day = dataset->experiment_days[i].day};
        }
    }
    if (daily->count > 0) {
        qsort(days, daily->count, sizeof days[0], export_compare_series_days);
    }
    daily->days = days;
    return 0;
}

/*
 * Answers: published without room context (every key mapped to its "any" form), so an
 * export with and one without --with-context show the same blocks. The cells
 * with their room context stay in build for export_split_context. The weeks of a randomised
 * room are published day by day where they can be (export_daily_days).
 */
int export_publish_answers(struct export_build *build)
{
    struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    const struct export_table_cells *table = &build->tables[RESEARCH_ANSWERS];
    const uint32_t *coarsest = target->ladder + (RESEARCH_CONTEXT_LEVELS - 1) * target->key_count;
    struct research_cell *cells = malloc((table->count + 1) * sizeof cells[0]);
    if (cells == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < table->count; i++) {
        cells[i] = table->cells[i];
        cells[i].key = coarsest[cells[i].key];
    }
    struct research_kanon_daily daily;
    int rc = export_daily_days(build, &daily);
    rc = rc ? rc
            : research_kanon_run_daily(cells, table->count, target->key_order, target->key_count,
                                       &daily, build->dataset->k, &target->published);
    free((void *)daily.days);
    free(cells);
    return rc;
}

/* The number of the answers key with the answer of key and the room context of tuple. */
static int export_answer_key(struct export_build *build, uint32_t key,
                             const struct research_tuple *context, uint32_t *number)
{
    const struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    struct research_tuple combined = *context;
    combined.text[0] = target->keys[key].text[0];
    uint32_t id = 0;
    int rc = tuples_intern(&build->tables[RESEARCH_ANSWERS].keys, &combined, &id);
    if (rc == 0 && id >= build->answer_numbered) {
        return -ENOENT; /* not made by export_context_keys: the row is not split */
    }
    *number = rc == 0 ? build->answer_number[id] : 0;
    return rc;
}

/*
 * Room context as a split of the published answers rows (one view per block).
 * Each row (an answer or a range, in its period) is split by the room context its answers
 * were given in, at the finest level of the ladder where every part holds at least k; a row
 * with no such level keeps no context. The split is made for every export, with or without
 * --with-context (build->context_split says which rows have one, so the responses never split
 * the same rows a second way); into *parts go the rows as an export with context shows them.
 */
/* The first cell (sorted by series, then day) of series on or after day. */
static size_t export_first_series_cell(const struct export_table_cells *cells, uint32_t series,
                                       int32_t day)
{
    size_t low = 0, high = cells->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const struct research_cell *cell = &cells->cells[middle];
        if (cell->series < series || (cell->series == series && cell->day < day)) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

int export_split_context(struct export_build *build, struct research_kanon_result *parts)
{
    struct research_dataset *dataset = build->dataset;
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    const struct research_kanon_result *published = &answers->published;
    struct export_table_cells *raw = &build->tables[RESEARCH_ANSWERS];
    size_t key_count = answers->key_count, capacity = 0;
    const uint32_t *coarsest = answers->ladder + (RESEARCH_CONTEXT_LEVELS - 1) * key_count;
    build->context_split = calloc(published->row_count + 1, sizeof build->context_split[0]);
    if (build->context_split == NULL) {
        return -ENOMEM;
    }
    if (raw->count > 0) { /* by series, then day: a row's cells are one run */
        qsort(raw->cells, raw->count, sizeof raw->cells[0], export_compare_cell_weeks);
    }
    struct context_part {
        uint32_t key; /* a key of the part at the level: its room context */
        int64_t n;
    } found[SPLIT_PARTS];
    int rc = 0;
    for (size_t r = 0; r < published->row_count && rc == 0; r++) {
        const struct research_row *row = &published->rows[r];
        int level = -1;
        size_t found_count = 0;
        for (int tried = 0; tried < RESEARCH_CONTEXT_LEVELS - 1 && level < 0; tried++) {
            if (row->note != RESEARCH_NOTE_CELL && row->note != RESEARCH_NOTE_RANGE) {
                break;
            }
            const uint32_t *map = answers->ladder + (size_t)tried * key_count;
            const struct research_key_order *low = &answers->key_order[row->key];
            const struct research_key_order *high = &answers->key_order[row->key_last];
            found_count = 0;
            bool fits = true;
            for (size_t c = export_first_series_cell(raw, row->series, row->first_day);
                 fits && c < raw->count && raw->cells[c].series == row->series &&
                 raw->cells[c].day <= row->last_day;
                 c++) {
                const struct research_cell *cell = &raw->cells[c];
                uint32_t plain = coarsest[cell->key];
                const struct research_key_order *order = &answers->key_order[plain];
                bool held = row->note == RESEARCH_NOTE_CELL
                                ? plain == row->key
                                : order->group >= 0 && order->group == low->group &&
                                      order->position >= low->position &&
                                      order->position <= high->position;
                if (cell->series != row->series || !held ||
                    !export_period_holds(published, row, cell->day, cell->hour)) {
                    continue;
                }
                const struct research_tuple *mine = &answers->keys[map[cell->key]];
                size_t f = 0;
                while (f < found_count && memcmp(&answers->keys[found[f].key].text[1],
                                                 &mine->text[1], 4 * sizeof mine->text[0]) != 0) {
                    f++;
                }
                if (f == found_count) {
                    fits = found_count < SPLIT_PARTS;
                    if (fits) {
                        found[found_count++] = (struct context_part){map[cell->key], 0};
                    }
                }
                if (fits) {
                    found[f].n += cell->n;
                }
            }
            for (size_t f = 0; fits && f < found_count; f++) {
                fits = found[f].n >= dataset->k;
            }
            level = fits && found_count > 0 ? tried : -1;
        }
        size_t need = parts->row_count + (level >= 0 ? found_count : 1);
        rc = export_grow((void **)&parts->rows, &capacity, need, sizeof parts->rows[0]);
        if (rc != 0) {
            break;
        }
        if (level < 0) {
            parts->rows[parts->row_count++] = *row;
            continue;
        }
        build->context_split[r] = true;
        for (size_t f = 0; f < found_count && rc == 0; f++) {
            struct research_row part = *row;
            const struct research_tuple *context = &answers->keys[found[f].key];
            rc = export_answer_key(build, row->key, context, &part.key);
            rc = rc ? rc : export_answer_key(build, row->key_last, context, &part.key_last);
            part.n = found[f].n;
            parts->rows[parts->row_count++] = part;
        }
        if (rc == -ENOENT) { /* cannot happen: every combination was interned */
            return -EPROTO;
        }
    }
    return rc;
}
