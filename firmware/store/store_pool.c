/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_pool: answers waiting in memory until they can be written without telling whose
 * they are. Flow: store_answer() -> pool -> store_tick() takes a batch of >= k -> writer.
 *
 * A batch holds every pending item of one day and kind, at least k of them. Before it
 * leaves the pool its quasi-identifiers (what an arrival row or the room's schedule also
 * tells: the service, the room context, the wait band) are coarsened, one dimension at a
 * time and for the whole batch, until every group of items that share them holds at least
 * k; the last step leaves none, and the batch itself holds k. The items are then sorted by
 * their whole key, so nothing in the batch keeps the order in which visitors came.
 * The argument that this is enough: docs/privacy.md.
 */
#include "store/store_internal.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A quasi-identifier of an item: where it lives and what "coarsened" writes there. */
struct pool_dimension {
    size_t offset;
    size_t size;
    const char *coarse;
};

#define POOL_DIM(field, coarse)                                                                    \
    {                                                                                              \
        offsetof(struct store_pool_item, field), sizeof((struct store_pool_item *)0)->field,       \
            coarse                                                                                 \
    }

/* Coarsened in this order: the finest, most time-revealing dimensions first. */
static const struct pool_dimension arrival_dims[] = {
    POOL_DIM(context.queue_band, ""),
    POOL_DIM(context.light_band, ""),
    POOL_DIM(context.sound, ""),
    POOL_DIM(context.scene, ""),
    POOL_DIM(service, ""),
};
static const struct pool_dimension departure_dims[] = {
    POOL_DIM(context.queue_band, ""),
    POOL_DIM(context.light_band, ""),
    POOL_DIM(context.sound, ""),
    POOL_DIM(context.scene, ""),
};
static const struct pool_dimension stress_wait_dims[] = {
    POOL_DIM(wait_band, STORE_BAND_ANY),
};

static const struct {
    const struct pool_dimension *dims;
    size_t count;
} pool_dims[STORE_POOL_KINDS] = {
    [STORE_POOL_ARRIVAL] = {arrival_dims, sizeof arrival_dims / sizeof arrival_dims[0]},
    [STORE_POOL_DEPARTURE] = {departure_dims, sizeof departure_dims / sizeof departure_dims[0]},
    [STORE_POOL_STRESS_WAIT] = {stress_wait_dims,
                                sizeof stress_wait_dims / sizeof stress_wait_dims[0]},
};

int store_pool_init(struct store_pool *pool)
{
    pool->count = 0;
    pool->items = calloc(STORE_POOL_MAX, sizeof *pool->items);
    return pool->items ? 0 : -ENOMEM;
}

void store_pool_free(struct store_pool *pool)
{
    if (pool->items != NULL) {
        explicit_bzero(pool->items, STORE_POOL_MAX * sizeof *pool->items);
        free(pool->items);
    }
    pool->items = NULL;
    pool->count = 0;
}

int store_pool_add(struct store_pool *pool, const struct store_pool_item *item)
{
    if (pool->items == NULL || pool->count >= STORE_POOL_MAX ||
        (unsigned)item->kind >= STORE_POOL_KINDS) {
        return -EAGAIN;
    }
    pool->items[pool->count++] = *item;
    return 0;
}

int store_pool_count(const struct store_pool *pool, int kind)
{
    int count = 0;
    for (int i = 0; i < pool->count; i++) {
        count += kind < 0 || (int)pool->items[i].kind == kind;
    }
    return count;
}

/* Compares the dimensions from `first` on (the ones not yet coarsened). */
static int pool_compare_dims(const struct store_pool_item *a, const struct store_pool_item *b,
                             const struct pool_dimension *dims, size_t first, size_t count)
{
    for (size_t d = first; d < count; d++) {
        int c = strncmp((const char *)a + dims[d].offset, (const char *)b + dims[d].offset,
                        dims[d].size);
        if (c != 0) {
            return c;
        }
    }
    return 0;
}

/* The whole key of an item: its dimensions, then its answers. Gives the batch its order. */
static int pool_compare_items(const void *x, const void *y)
{
    const struct store_pool_item *a = x, *b = y;
    int c = pool_compare_dims(a, b, pool_dims[a->kind].dims, 0, pool_dims[a->kind].count);
    if (c != 0) {
        return c;
    }
    if (a->stress_answer != b->stress_answer) {
        return a->stress_answer < b->stress_answer ? -1 : 1;
    }
    if (a->word != b->word) {
        return a->word < b->word ? -1 : 1;
    }
    return strncmp(a->stress_band, b->stress_band, sizeof a->stress_band);
}

/* Sorting context for the group check (qsort has none: the dims are fixed per kind). */
struct pool_group_order {
    const struct pool_dimension *dims;
    size_t first, count;
};

/* Do all groups of items sharing dimensions first..count-1 hold at least k? items sorted. */
static bool pool_groups_hold_k(const struct store_pool_item *items, int n,
                               const struct pool_group_order *order, int k)
{
    for (int begin = 0; begin < n;) {
        int end = begin + 1;
        while (end < n && pool_compare_dims(&items[begin], &items[end], order->dims, order->first,
                                            order->count) == 0) {
            end++;
        }
        if (end - begin < k) {
            return false;
        }
        begin = end;
    }
    return true;
}

/* Coarsens dimensions of the batch, finest first, until every group holds k. */
static void pool_generalise(struct store_batch *batch, int k)
{
    const struct pool_dimension *dims = pool_dims[batch->kind].dims;
    size_t count = pool_dims[batch->kind].count;
    for (size_t first = 0; first < count; first++) {
        /* Sorting by the whole key sorts by every dimension, so groups are runs. */
        qsort(batch->items, (size_t)batch->count, sizeof batch->items[0], pool_compare_items);
        struct pool_group_order order = {dims, first, count};
        if (pool_groups_hold_k(batch->items, batch->count, &order, k)) {
            return;
        }
        for (int i = 0; i < batch->count; i++) {
            char *field = (char *)&batch->items[i] + dims[first].offset;
            snprintf(field, dims[first].size, "%s", dims[first].coarse);
        }
    }
    /* Every dimension coarsened: one group, the batch, which holds k. */
    assert(batch->count >= k);
    qsort(batch->items, (size_t)batch->count, sizeof batch->items[0], pool_compare_items);
}

/* Moves the items of (day, kind) out of the pool into a new batch (count known). */
static struct store_batch *pool_take(struct store_pool *pool, const char *day,
                                     enum store_pool_kind kind, int count, bool withheld)
{
    size_t items = withheld ? 0 : (size_t)count;
    struct store_batch *batch = calloc(1, sizeof *batch + items * sizeof batch->items[0]);
    if (batch == NULL) {
        return NULL;
    }
    snprintf(batch->day, sizeof batch->day, "%s", day);
    batch->kind = kind;
    batch->withheld = withheld;
    int kept = 0;
    for (int i = 0; i < pool->count; i++) {
        struct store_pool_item *item = &pool->items[i];
        if (item->kind == kind && strcmp(item->day, batch->day) == 0) {
            if (!withheld) {
                assert((size_t)batch->count < items); /* count was counted: more overflows */
                batch->items[batch->count] = *item;
            }
            batch->count++;
            continue;
        }
        if (kept != i) {
            pool->items[kept] = *item;
        }
        kept++;
    }
    explicit_bzero(&pool->items[kept], (size_t)(pool->count - kept) * sizeof pool->items[0]);
    pool->count = kept;
    return batch;
}

/* Items of the same day and kind as items[index]. */
static int pool_count_like(const struct store_pool *pool, int index)
{
    const struct store_pool_item *like = &pool->items[index];
    int count = 0;
    for (int i = 0; i < pool->count; i++) {
        count += pool->items[i].kind == like->kind && strcmp(pool->items[i].day, like->day) == 0;
    }
    return count;
}

struct store_batch *store_pool_take_batch(struct store_pool *pool, int k, const char *today)
{
    for (int i = 0; i < pool->count; i++) {
        if (pool->items[i].kind == STORE_POOL_STRESS_WAIT && today != NULL &&
            strcmp(pool->items[i].day, today) >= 0) {
            continue; /* pairs of today wait for the clock: see store_pool_take_batch */
        }
        int count = pool_count_like(pool, i);
        if (count >= k) {
            char day[STORE_DAY_SIZE];
            snprintf(day, sizeof day, "%s", pool->items[i].day);
            struct store_batch *batch = pool_take(pool, day, pool->items[i].kind, count, false);
            if (batch != NULL) {
                pool_generalise(batch, k);
            }
            return batch;
        }
    }
    return NULL;
}

struct store_batch *store_pool_take_withheld(struct store_pool *pool, const char *today)
{
    for (int i = 0; i < pool->count; i++) {
        if (today == NULL || strcmp(pool->items[i].day, today) < 0) {
            char day[STORE_DAY_SIZE];
            snprintf(day, sizeof day, "%s", pool->items[i].day);
            return pool_take(pool, day, pool->items[i].kind, pool_count_like(pool, i), true);
        }
    }
    return NULL;
}

void store_batch_free(struct store_batch *batch)
{
    if (batch == NULL) {
        return;
    }
    explicit_bzero(batch->items,
                   (size_t)(batch->withheld ? 0 : batch->count) * sizeof batch->items[0]);
    free(batch);
}

int store_pool_redate_day(struct store_pool *pool, const char *from_day, const char *to_day)
{
    int moved = 0;
    for (int i = 0; i < pool->count; i++) {
        if (strcmp(pool->items[i].day, from_day) == 0) {
            snprintf(pool->items[i].day, sizeof pool->items[i].day, "%s", to_day);
            moved++;
        }
    }
    return moved;
}
