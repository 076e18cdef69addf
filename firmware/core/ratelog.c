/* SPDX-License-Identifier: EUPL-1.2 */
/* ratelog: see ratelog.h. */
#include "core/ratelog.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool ratelog_pass(struct ratelog *log, const char *key, int64_t now_ms, long long *held_back)
{
    char wanted[RATELOG_KEY_MAX];
    snprintf(wanted, sizeof wanted, "%s", key ? key : "");
    bool pass = false;
    pthread_mutex_lock(&log->lock);
    struct ratelog_slot *slot = NULL, *oldest = &log->slots[0];
    for (int i = 0; i < RATELOG_SLOTS && slot == NULL; i++) {
        struct ratelog_slot *s = &log->slots[i];
        if (s->key[0] != '\0' && strcmp(s->key, wanted) == 0) {
            slot = s;
        } else if (s->key[0] == '\0' ||
                   (oldest->key[0] != '\0' && s->since_ms < oldest->since_ms)) {
            oldest = s; /* a free slot, or the least recently logged */
        }
    }
    if (slot == NULL) {
        slot = oldest;
        memcpy(slot->key, wanted, sizeof wanted);
        slot->since_ms = now_ms;
        slot->held = 0;
        *held_back = 0;
        pass = true;
    } else if (now_ms - slot->since_ms >= RATELOG_PERIOD_MS) {
        *held_back = slot->held;
        slot->since_ms = now_ms;
        slot->held = 0;
        pass = true;
    } else {
        slot->held++;
    }
    pthread_mutex_unlock(&log->lock);
    return pass;
}

int64_t ratelog_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}
