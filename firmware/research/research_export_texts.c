/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_texts: interned texts and numbered tuples for research_export (see
 * research_export_internal.h). Every text of a dataset is stored once and named by its
 * number; series and keys are tuples of such numbers, numbered the same way.
 */
#include "research/research_export_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* ---- interned texts ------------------------------------------------------------------- */
static uint64_t export_hash(const void *data, size_t length)
{
    const unsigned char *bytes = data;
    uint64_t hash = 0xCBF29CE484222325ull; /* FNV-1a */
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ bytes[i]) * 0x100000001B3ull;
    }
    return hash;
}

int export_grow(void **buffer, size_t *capacity, size_t need, size_t size)
{
    return buf_reserve(buffer, capacity, need, size, RESEARCH_ARRAY_BYTES_MAX) == 0 ? 0 : -ENOMEM;
}

/* Rebuilds a slot table of twice the size for count items, hashing each with hash_of. */
static int export_rehash(uint32_t **slots, size_t *slot_capacity, size_t count,
                         uint64_t (*hash_of)(const void *items, size_t index), const void *items)
{
    size_t capacity = *slot_capacity ? *slot_capacity * 2 : 64;
    uint32_t *fresh = calloc(capacity, sizeof fresh[0]);
    if (fresh == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        size_t slot = (size_t)hash_of(items, i) & (capacity - 1);
        while (fresh[slot] != 0) {
            slot = (slot + 1) & (capacity - 1);
        }
        fresh[slot] = (uint32_t)i + 1;
    }
    free(*slots);
    *slots = fresh;
    *slot_capacity = capacity;
    return 0;
}

static uint64_t export_text_hash_at(const void *items, size_t index)
{
    const char *text = ((char *const *)items)[index];
    return export_hash(text, strlen(text));
}

int texts_intern(struct research_texts *texts, const char *text, size_t length, uint32_t *id)
{
    if (texts->slot_capacity == 0 || (texts->count + 1) * 2 > texts->slot_capacity) {
        int rc = export_rehash(&texts->slots, &texts->slot_capacity, texts->count,
                               export_text_hash_at, texts->items);
        if (rc != 0) {
            return rc;
        }
    }
    size_t mask = texts->slot_capacity - 1;
    size_t slot = (size_t)export_hash(text, length) & mask;
    while (texts->slots[slot] != 0) {
        const char *known = texts->items[texts->slots[slot] - 1];
        if (strncmp(known, text, length) == 0 && known[length] == '\0') {
            *id = texts->slots[slot] - 1;
            return 0;
        }
        slot = (slot + 1) & mask;
    }
    if (texts->count >= UINT32_MAX - 1) {
        return -E2BIG;
    }
    int rc = export_grow((void **)&texts->items, &texts->capacity, texts->count + 1,
                         sizeof texts->items[0]);
    char *copy = rc == 0 ? malloc(length + 1) : NULL;
    if (copy == NULL) {
        return -ENOMEM;
    }
    memcpy(copy, text, length);
    copy[length] = '\0';
    texts->items[texts->count] = copy;
    texts->slots[slot] = (uint32_t)texts->count + 1;
    *id = (uint32_t)texts->count++;
    return 0;
}

void texts_free(struct research_texts *texts)
{
    if (texts == NULL) {
        return;
    }
    for (size_t i = 0; i < texts->count; i++) {
        free(texts->items[i]);
    }
    free(texts->items);
    free(texts->slots);
    free(texts);
}
static uint64_t export_tuple_hash_at(const void *items, size_t index)
{
    const struct research_tuple *tuple = &((const struct research_tuple *)items)[index];
    return export_hash(tuple->text, sizeof tuple->text);
}

int tuples_intern(struct export_tuples *tuples, const struct research_tuple *tuple, uint32_t *id)
{
    if (tuples->slot_capacity == 0 || (tuples->count + 1) * 2 > tuples->slot_capacity) {
        int rc = export_rehash(&tuples->slots, &tuples->slot_capacity, tuples->count,
                               export_tuple_hash_at, tuples->items);
        if (rc != 0) {
            return rc;
        }
    }
    size_t mask = tuples->slot_capacity - 1;
    size_t slot = (size_t)export_hash(tuple->text, sizeof tuple->text) & mask;
    while (tuples->slots[slot] != 0) {
        if (memcmp(&tuples->items[tuples->slots[slot] - 1], tuple, sizeof *tuple) == 0) {
            *id = tuples->slots[slot] - 1;
            return 0;
        }
        slot = (slot + 1) & mask;
    }
    int rc = export_grow((void **)&tuples->items, &tuples->capacity, tuples->count + 1,
                         sizeof tuples->items[0]);
    if (rc != 0) {
        return rc;
    }
    tuples->items[tuples->count] = *tuple;
    tuples->slots[slot] = (uint32_t)tuples->count + 1;
    *id = (uint32_t)tuples->count++;
    return 0;
}
