/* SPDX-License-Identifier: EUPL-1.2 */
/* presence: see presence.h. */
#include "core/presence.h"

void presence_init(struct presence *presence)
{
    presence->state = -1;
}

enum presence_change presence_update(struct presence *presence, bool present)
{
    int before = presence->state;
    presence->state = present ? 1 : 0;
    if (before == (present ? 1 : 0)) {
        return PRESENCE_SAME;
    }
    if (!present) {
        return PRESENCE_MISSING;
    }
    return before == 0 ? PRESENCE_BACK : PRESENCE_SAME; /* present at the first look: quiet */
}
