/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_number: numbers the series and keys of each read table in a readable
 * order (phases by their first day, scales in their order, the rest by text) and builds the
 * answers' ladder of room context, for research_export (see research_export_internal.h).
 */
#include "research/research_export_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbering series and keys in a readable order ------------------------------------ */

struct export_order_context {
    const struct research_dataset *dataset;
    enum research_table_id table;
    const struct research_tuple *tuples;
    const int32_t *phase_first_day; /* per text number; INT32_MAX: not a phase */
    const struct research_key_order *orders;
};

static int export_compare_texts(const struct research_dataset *dataset, uint32_t a, uint32_t b)
{
    return a == b ? 0
                  : strcmp(research_dataset_text(dataset, a), research_dataset_text(dataset, b));
}

/* Series: by site, then phase in order of its first day, then the other parts by name. */
static int export_compare_series(const void *a, const void *b, void *argument)
{
    const struct export_order_context *context = argument;
    const struct research_tuple *x = &context->tuples[*(const uint32_t *)a];
    const struct research_tuple *y = &context->tuples[*(const uint32_t *)b];
    int order = export_compare_texts(context->dataset, x->text[0], y->text[0]);
    if (order != 0) {
        return order;
    }
    int32_t first_x = context->phase_first_day[x->text[1]];
    int32_t first_y = context->phase_first_day[y->text[1]];
    if (first_x != first_y) {
        return first_x < first_y ? -1 : 1;
    }
    for (int part = 1; part < RESEARCH_TUPLE_PARTS; part++) {
        order = export_compare_texts(context->dataset, x->text[part], y->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/*
 * The parts of a key that say which scale it is on: the room context of an answer
 * (scene, sound, queue band), the outcome of a waiting-time band.
 */
static int export_compare_scale(const struct export_order_context *context,
                                const struct research_tuple *x, const struct research_tuple *y)
{
    int position = export_tables[context->table].position_part;
    for (int part = 0; part < RESEARCH_TUPLE_PARTS; part++) {
        int order = part == position
                        ? 0
                        : export_compare_texts(context->dataset, x->text[part], y->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/* Keys: ordered scales first (by scale, then position), nominal keys after, by name. */
static int export_compare_keys(const void *a, const void *b, void *argument)
{
    const struct export_order_context *context = argument;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const struct research_key_order *x = &context->orders[i], *y = &context->orders[j];
    const struct research_tuple *tx = &context->tuples[i], *ty = &context->tuples[j];
    if ((x->group < 0) != (y->group < 0)) {
        return x->group < 0 ? 1 : -1;
    }
    if (x->group >= 0) {
        int order = export_compare_scale(context, tx, ty);
        if (order != 0) {
            return order;
        }
        if (x->position != y->position) {
            return x->position < y->position ? -1 : 1;
        }
    }
    for (int part = 0; part < RESEARCH_TUPLE_PARTS; part++) {
        int order = export_compare_texts(context->dataset, tx->text[part], ty->text[part]);
        if (order != 0) {
            return order;
        }
    }
    return 0;
}

/* Answers 0..100 written as plain digits lie on a scale; anything else is nominal. */
static int export_answer_position(const char *answer)
{
    size_t length = strlen(answer);
    if (length == 0 || length > 3) {
        return -1;
    }
    int value = 0;
    for (size_t i = 0; i < length; i++) {
        if (answer[i] < '0' || answer[i] > '9' || (i == 0 && answer[i] == '0' && length > 1)) {
            return -1;
        }
        value = value * 10 + (answer[i] - '0');
    }
    return value <= 100 ? value : -1;
}
/* The scale (if any) each key of a table lies on; groups are numbered later. */
static void export_key_orders(const struct research_dataset *dataset, enum research_table_id table,
                              const struct research_tuple *keys, size_t count,
                              struct research_key_order *orders)
{
    for (size_t i = 0; i < count; i++) {
        int position = -1;
        if (table == RESEARCH_ANSWERS) {
            position = export_answer_position(research_dataset_text(dataset, keys[i].text[0]));
        } else if (table == RESEARCH_WAITS &&
                   strcmp(research_dataset_text(dataset, keys[i].text[0]),
                          STORE_OUTCOME_COLLECTED) == 0) {
            position = export_wait_band_index(research_dataset_text(dataset, keys[i].text[1]));
        } else if (table == RESEARCH_CLAIMS) { /* one scale per outcome; "unclaimed" nominal */
            position = export_claim_band_index(research_dataset_text(dataset, keys[i].text[1]));
        }
        orders[i] = (struct research_key_order){.group = position >= 0 ? 0 : -1,
                                                .position = position >= 0 ? position : 0};
    }
}

/* Numbers one table's series and keys in sorted order and moves them into the dataset. */
int export_number_table(struct export_build *build, enum research_table_id table,
                        const int32_t *phase_first_day)
{
    struct research_dataset *dataset = build->dataset;
    struct export_table_cells *source = &build->tables[table];
    struct research_table *target = &dataset->tables[table];
    size_t series_count = source->series.count, key_count = source->keys.count;
    uint32_t *series_order = malloc((series_count + 1) * sizeof series_order[0]);
    uint32_t *key_order = malloc((key_count + 1) * sizeof key_order[0]);
    uint32_t *series_number = malloc((series_count + 1) * sizeof series_number[0]);
    uint32_t *key_number = malloc((key_count + 1) * sizeof key_number[0]);
    struct research_key_order *orders = malloc((key_count + 1) * sizeof orders[0]);
    target->series = malloc((series_count + 1) * sizeof target->series[0]);
    target->keys = malloc((key_count + 1) * sizeof target->keys[0]);
    target->key_order = malloc((key_count + 1) * sizeof target->key_order[0]);
    int rc = -ENOMEM;
    if (series_order == NULL || key_order == NULL || series_number == NULL || key_number == NULL ||
        orders == NULL || target->series == NULL || target->keys == NULL ||
        target->key_order == NULL) {
        goto out_free;
    }
    export_key_orders(dataset, table, source->keys.items, key_count, orders);
    for (size_t i = 0; i < series_count; i++) {
        series_order[i] = (uint32_t)i;
    }
    for (size_t i = 0; i < key_count; i++) {
        key_order[i] = (uint32_t)i;
    }
    struct export_order_context context = {dataset, table, source->series.items, phase_first_day,
                                           orders};
    qsort_r(series_order, series_count, sizeof series_order[0], export_compare_series, &context);
    context.tuples = source->keys.items;
    qsort_r(key_order, key_count, sizeof key_order[0], export_compare_keys, &context);

    for (size_t i = 0; i < series_count; i++) {
        series_number[series_order[i]] = (uint32_t)i;
        target->series[i] = source->series.items[series_order[i]];
    }
    int32_t group = -1;
    for (size_t i = 0; i < key_count; i++) {
        uint32_t old = key_order[i];
        key_number[old] = (uint32_t)i;
        target->keys[i] = source->keys.items[old];
        target->key_order[i] = orders[old];
        if (orders[old].group >= 0) { /* a new scale starts where the scale's parts change */
            bool same_scale =
                i > 0 && target->key_order[i - 1].group >= 0 &&
                export_compare_scale(&context, &target->keys[i - 1], &target->keys[i]) == 0;
            group += same_scale ? 0 : 1;
            target->key_order[i].group = group;
        }
    }
    target->series_count = series_count;
    target->key_count = key_count;
    for (size_t i = 0; i < source->count; i++) {
        source->cells[i].series = series_number[source->cells[i].series];
        source->cells[i].key = key_number[source->cells[i].key];
    }
    rc = 0;
out_free:
    free(series_order);
    free(key_order);
    free(series_number);
    free(key_number);
    free(orders);
    return rc;
}

/* The key tuple with the room dimensions that level drops set to "any". */
static struct research_tuple export_context_at(const struct research_tuple *key, int level,
                                               uint32_t any)
{
    struct research_tuple coarser = *key;
    for (int dimension = 0; dimension < 4; dimension++) {
        if (!export_context_kept[level][dimension]) {
            coarser.text[1 + dimension] = any;
        }
    }
    return coarser;
}

/* Answers with context: adds the coarser keys of every key (before numbering). */
int export_context_keys(struct export_build *build, uint32_t *any)
{
    struct export_table_cells *source = &build->tables[RESEARCH_ANSWERS];
    int rc = texts_intern(build->dataset->texts, RESEARCH_ANY, strlen(RESEARCH_ANY), any);
    size_t original = source->keys.count;
    for (size_t i = 0; i < original && rc == 0; i++) {
        for (int level = 1; level < RESEARCH_CONTEXT_LEVELS && rc == 0; level++) {
            struct research_tuple coarser = export_context_at(&source->keys.items[i], level, *any);
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &coarser, &id);
        }
    }
    /* every answer in every room context (coarsened or not): a range of answers split by
       room context needs its first and last answer in that context as keys */
    size_t with_levels = source->keys.count;
    uint32_t *answers = malloc((original + 1) * sizeof answers[0]);
    size_t answer_count = 0;
    if (rc == 0 && answers == NULL) {
        rc = -ENOMEM;
    }
    for (size_t i = 0; i < original && rc == 0; i++) {
        bool seen = false;
        for (size_t a = 0; a < answer_count && !seen; a++) {
            seen = answers[a] == source->keys.items[i].text[0];
        }
        if (!seen) {
            answers[answer_count++] = source->keys.items[i].text[0];
        }
    }
    for (size_t i = 0; i < with_levels && rc == 0; i++) {
        for (size_t a = 0; a < answer_count && rc == 0; a++) {
            struct research_tuple combined = source->keys.items[i];
            combined.text[0] = answers[a];
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &combined, &id);
        }
    }
    free(answers);
    return rc;
}

/* Answers with context: the ladder over the numbered keys. */
int export_context_ladder(struct export_build *build, uint32_t any)
{
    struct export_table_cells *source = &build->tables[RESEARCH_ANSWERS];
    struct research_table *target = &build->dataset->tables[RESEARCH_ANSWERS];
    size_t count = target->key_count;
    target->ladder =
        malloc((count ? count : 1) * RESEARCH_CONTEXT_LEVELS * sizeof target->ladder[0]);
    uint32_t *number = malloc((source->keys.count + 1) * sizeof number[0]);
    if (target->ladder == NULL || number == NULL) {
        free(number);
        return -ENOMEM;
    }
    int rc = 0;
    for (size_t i = 0; i < count; i++) { /* the numbered keys are the interned ones, reordered */
        uint32_t id = 0;
        rc = tuples_intern(&source->keys, &target->keys[i], &id);
        if (rc != 0) {
            break;
        }
        number[id] = (uint32_t)i;
    }
    for (size_t i = 0; i < count && rc == 0; i++) {
        for (int level = 0; level < RESEARCH_CONTEXT_LEVELS && rc == 0; level++) {
            struct research_tuple coarser = export_context_at(&target->keys[i], level, any);
            uint32_t id = 0;
            rc = tuples_intern(&source->keys, &coarser, &id);
            target->ladder[(size_t)level * count + i] = rc == 0 ? number[id] : 0;
        }
    }
    build->answer_number = number; /* for export_split_context */
    build->answer_numbered = source->keys.count;
    return rc;
}
