/* SPDX-License-Identifier: EUPL-1.2 */
/* buf: see buf.h. */
#include "core/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define BUF_FIRST_CAPACITY 16 /* elements of the first allocation */

int buf_reserve(void **items, size_t *capacity, size_t need, size_t size, size_t max_bytes)
{
    if (need <= *capacity) {
        return 0;
    }
    if (size == 0 || need > max_bytes / size) {
        return -E2BIG;
    }
    size_t most = max_bytes / size; /* elements the cap allows */
    size_t grown = *capacity < BUF_FIRST_CAPACITY ? BUF_FIRST_CAPACITY : *capacity;
    while (grown < need) {
        grown = grown > most / 2 ? most : grown * 2;
    }
    if (grown > most) {
        grown = most; /* need <= most, so still enough */
    }
    void *bigger = realloc(*items, grown * size);
    if (bigger == NULL) {
        return -ENOMEM;
    }
    *items = bigger;
    *capacity = grown;
    return 0;
}
