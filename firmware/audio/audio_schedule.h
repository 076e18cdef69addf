/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_schedule: which level the week's timetable ([audio.schedule]) puts in force at a
 * local wall-clock minute, and when that changes next. Pure computation: never reads the
 * clock (the caller passes local weekday and minute from core/clock.h clock_local()),
 * never touches SDL or the log.
 *
 * Rule (the same as the lights' schedule): the entry in force is the last one at or before
 * now in the week (Monday 00:00 .. Sunday 23:59), wrapping to the week's last entry before
 * the first. Two entries on the same day and minute: the later line of the file wins.
 */
#ifndef OASE_AUDIO_SCHEDULE_H
#define OASE_AUDIO_SCHEDULE_H

#include <stdbool.h>

#include "audio/audio_config.h"

#define AUDIO_WEEK_MINUTES (7 * 1440)

struct audio_schedule_slot {
    int week_minute; /* 0 = Monday 00:00 .. AUDIO_WEEK_MINUTES - 1 */
    bool silent;     /* "off" */
    double db;       /* level when not silent, before the cap */
};

struct audio_schedule {
    struct audio_schedule_slot slots[AUDIO_SCHEDULE_MAX * 7]; /* sorted, one per minute */
    int count;                                                /* 0 = no schedule */
};

/* Expands cfg's entries into week slots; "on" becomes cfg->volume_db. Cannot fail. */
void audio_schedule_build(struct audio_schedule *schedule, const struct audio_config *cfg);

/*
 * Index of the slot in force at week_minute (weekday * 1440 + minute_of_day, weekday
 * 0 = Monday), or -1 when the schedule is empty.
 */
int audio_schedule_find(const struct audio_schedule *schedule, int week_minute);

/*
 * Minutes from week_minute until the next slot starts (1..AUDIO_WEEK_MINUTES), or -1 when
 * the schedule is empty.
 */
int audio_schedule_minutes_to_next(const struct audio_schedule *schedule, int week_minute);

#endif
