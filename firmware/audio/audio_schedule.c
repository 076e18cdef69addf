/* SPDX-License-Identifier: EUPL-1.2 */
/* audio_schedule: see audio_schedule.h. Config -> here at audio_open -> audio_tick lookups. */
#include "audio/audio_schedule.h"

#include <stdlib.h>

void audio_schedule_build(struct audio_schedule *schedule, const struct audio_config *cfg)
{
    struct audio_schedule_slot raw[AUDIO_SCHEDULE_MAX * 7]; /* in file order */
    int count = 0;
    for (int i = 0; i < cfg->schedule_count && i < AUDIO_SCHEDULE_MAX; i++) {
        const struct audio_schedule_entry *entry = &cfg->schedule[i];
        for (int day = 0; day < 7; day++) {
            if ((entry->days & (1u << day)) == 0) {
                continue;
            }
            raw[count].week_minute = day * 1440 + entry->minute_of_day;
            raw[count].silent = entry->kind == AUDIO_LEVEL_OFF;
            raw[count].db = entry->kind == AUDIO_LEVEL_ON ? cfg->volume_db : entry->db;
            count++;
        }
    }
    /* Insertion sort by minute: at most 224 items, and stable, so file order is kept. */
    for (int i = 1; i < count; i++) {
        for (int j = i; j > 0 && raw[j - 1].week_minute > raw[j].week_minute; j--) {
            struct audio_schedule_slot tmp = raw[j - 1];
            raw[j - 1] = raw[j];
            raw[j] = tmp;
        }
    }
    schedule->count = 0;
    for (int i = 0; i < count; i++) {
        int n = schedule->count;
        if (n > 0 && schedule->slots[n - 1].week_minute == raw[i].week_minute) {
            schedule->slots[n - 1] = raw[i]; /* the later line wins */
        } else {
            schedule->slots[schedule->count++] = raw[i];
        }
    }
}

int audio_schedule_find(const struct audio_schedule *schedule, int week_minute)
{
    if (schedule->count == 0) {
        return -1;
    }
    int found = schedule->count - 1; /* before the week's first slot: the last one, wrapped */
    for (int i = 0; i < schedule->count; i++) {
        if (schedule->slots[i].week_minute <= week_minute) {
            found = i;
        } else {
            break;
        }
    }
    return found;
}

int audio_schedule_minutes_to_next(const struct audio_schedule *schedule, int week_minute)
{
    if (schedule->count == 0) {
        return -1;
    }
    for (int i = 0; i < schedule->count; i++) {
        if (schedule->slots[i].week_minute > week_minute) {
            return schedule->slots[i].week_minute - week_minute;
        }
    }
    return AUDIO_WEEK_MINUTES - week_minute + schedule->slots[0].week_minute;
}
