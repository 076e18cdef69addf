/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * presence: whether a device that may come and go (the touchscreen) is there, so the kiosk
 * reports its absence once and its return once, instead of every time it looks. Only
 * bookkeeping: the caller finds out and logs.
 */
#ifndef OASE_PRESENCE_H
#define OASE_PRESENCE_H

#include <stdbool.h>

enum presence_change {
    PRESENCE_SAME,    /* nothing new to report */
    PRESENCE_MISSING, /* not there at the first look, or gone since the last one */
    PRESENCE_BACK,    /* there again after it was reported missing */
};

struct presence {
    int state; /* -1 = not looked yet, 0 = missing, 1 = present */
};

/* Not looked at yet. Cannot fail. */
void presence_init(struct presence *presence);

/* Records what the caller saw now and says what changed. Cannot fail. */
enum presence_change presence_update(struct presence *presence, bool present);

#endif
