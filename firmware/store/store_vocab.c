/* SPDX-License-Identifier: EUPL-1.2 */
/* store_vocab: see store_vocab.h; the words of values the store is handed or hands out. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "store/store.h"
#include "store/store_vocab.h"

struct store_band {
    int low, high; /* inclusive; high -1: no upper end */
    const char *name;
};

#define STORE_BAND_ROW(low, high, name) {low, high, name},

/* The band of the list holding value; values below the first band count as its lowest. */
static const char *store_band_of(const struct store_band *bands, size_t count, int value)
{
    for (size_t i = 0; i < count; i++) {
        if (bands[i].high < 0 || value <= bands[i].high) {
            return bands[i].name;
        }
    }
    return bands[count - 1].name;
}

const char *store_light_band(int level_percent)
{
    static const struct store_band bands[] = {STORE_LIGHT_BANDS(STORE_BAND_ROW)};
    return store_band_of(bands, sizeof bands / sizeof bands[0], level_percent);
}

const char *store_stress_band(int stress_answer)
{
    static const struct store_band bands[] = {STORE_STRESS_BANDS(STORE_BAND_ROW)};
    if (stress_answer < 0 || stress_answer > 10) {
        return NULL;
    }
    return store_band_of(bands, sizeof bands / sizeof bands[0], stress_answer);
}

const char *store_queue_band(int waiting)
{
    static const struct store_band bands[] = {STORE_QUEUE_BANDS(STORE_BAND_ROW)};
    return store_band_of(bands, sizeof bands / sizeof bands[0], waiting);
}

const char *store_status_name(enum store_arrival_status status)
{
    switch (status) {
    case ARRIVAL_COLLECTED:
        return STORE_STATUS_COLLECTED;
    case ARRIVAL_NO_SHOW:
        return STORE_STATUS_NO_SHOW;
    case ARRIVAL_LEFT:
        return STORE_STATUS_LEFT;
    case ARRIVAL_WAITING:
        break;
    }
    return STORE_STATUS_WAITING;
}

int store_status_parse(const char *text, enum store_arrival_status *out)
{
    static const enum store_arrival_status all[] = {ARRIVAL_WAITING, ARRIVAL_COLLECTED,
                                                    ARRIVAL_NO_SHOW, ARRIVAL_LEFT};
    for (size_t i = 0; text != NULL && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(text, store_status_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return -EINVAL;
}
