/* SPDX-License-Identifier: EUPL-1.2 */
/* phase: see phase.h. Dates compare as strings because they are all "YYYY-MM-DD". */
#include "core/phase.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int phase_add(struct phase_list *list, const char *name, const char *start_date)
{
    if (list->count >= PHASE_MAX) {
        return -ENOSPC;
    }
    for (int i = 0; i < list->count; i++) {
        if (strcmp(list->items[i].name, name) == 0 ||
            strcmp(list->items[i].start, start_date) == 0) {
            return -EEXIST;
        }
    }
    int at = list->count;
    while (at > 0 && strcmp(list->items[at - 1].start, start_date) > 0) {
        list->items[at] = list->items[at - 1];
        at--;
    }
    snprintf(list->items[at].name, sizeof list->items[at].name, "%s", name);
    snprintf(list->items[at].start, sizeof list->items[at].start, "%s", start_date);
    list->count++;
    return 0;
}

const char *phase_for_date(const struct phase_list *list, const char *date)
{
    const char *found = PHASE_NONE;
    for (int i = 0; i < list->count; i++) {
        if (strcmp(list->items[i].start, date) <= 0) {
            found = list->items[i].name;
        }
    }
    return found;
}
