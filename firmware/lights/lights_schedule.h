/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_schedule: which scene the week's timetable puts in force at an instant, and when
 * that changes next. Works in local wall-clock minutes (core/clock.h clock_local(), TZ of
 * the process); never reads the clock itself and never touches hardware.
 *
 * Rule: the entry in force is the last one at or before now in the week (Monday 00:00 ..
 * Sunday 23:59), wrapping to the week's last entry before the first. Two entries on the same
 * day and minute: the later line of the file wins. Daylight-saving days: an entry inside the
 * skipped spring hour (02:00-03:00, Europe/Amsterdam last Sunday of March) takes effect at
 * the jump (03:00); an entry inside the repeated autumn hour takes effect at its first
 * occurrence, the earlier entry returns for the repeated part and it takes effect again.
 */
#ifndef OASE_LIGHTS_SCHEDULE_H
#define OASE_LIGHTS_SCHEDULE_H

#include <stdint.h>

#include "lights/lights_config.h"

#define LIGHTS_WEEK_MINUTES (7 * 1440)

struct lights_schedule_slot {
    int week_minute; /* 0 = Monday 00:00 .. LIGHTS_WEEK_MINUTES - 1 */
    int scene;       /* index into lights_config.scenes */
};

struct lights_schedule {
    struct lights_schedule_slot slots[LIGHTS_MAX_SCHEDULE * 7]; /* sorted, one per minute */
    int count;                                                  /* 0 = no schedule */
};

/* Expands cfg->schedule into per-day slots. Entries naming no known scene are skipped. */
void lights_schedule_build(struct lights_schedule *schedule, const struct lights_config *cfg);

/* Index of the slot in force at ms (UTC), or -1 when the schedule is empty. */
int lights_schedule_slot_at(const struct lights_schedule *schedule, int64_t ms);

/* Scene index in force at ms, or -1 when the schedule is empty. */
int lights_schedule_scene_at(const struct lights_schedule *schedule, int64_t ms);

/*
 * The first instant after ms (UTC ms) at which another slot comes in force (with a single
 * slot: its next weekly occurrence), exact across daylight-saving changes; INT64_MAX when
 * the schedule is empty.
 */
int64_t lights_schedule_next_change_ms(const struct lights_schedule *schedule, int64_t ms);

#endif
