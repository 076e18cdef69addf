/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_schedule: see lights_schedule.h. lights_tick() asks it for the scene in force and
 * caches the next change, so an idle kiosk wakes only when the light has to move.
 */
#include "lights/lights_schedule.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

#define DAY_MINUTES 1440

struct expanded_slot {
    int week_minute;
    int scene;
    int order; /* position in the file: the later wins a tie */
};

static int compare_slots(const void *a, const void *b)
{
    const struct expanded_slot *x = a, *y = b;
    if (x->week_minute != y->week_minute) {
        return x->week_minute < y->week_minute ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

void lights_schedule_build(struct lights_schedule *schedule, const struct lights_config *cfg)
{
    struct expanded_slot expanded[LIGHTS_MAX_SCHEDULE * 7] = {{0}};
    int n = 0;
    for (int i = 0; i < cfg->schedule_count; i++) {
        const struct lights_schedule_entry *entry = &cfg->schedule[i];
        int scene = -1;
        for (int s = 0; s < cfg->scene_count; s++) {
            if (strcmp(cfg->scenes[s].name, entry->scene) == 0) {
                scene = s;
            }
        }
        if (scene < 0) {
            continue;
        }
        for (int day = 0; day < 7; day++) {
            if (entry->days & (1u << day)) {
                expanded[n++] = (struct expanded_slot){
                    .week_minute = day * DAY_MINUTES + entry->minute_of_day,
                    .scene = scene,
                    .order = i,
                };
            }
        }
    }
    qsort(expanded, (size_t)n, sizeof expanded[0], compare_slots);
    schedule->count = 0;
    for (int i = 0; i < n; i++) {
        int last = schedule->count - 1;
        if (last >= 0 && schedule->slots[last].week_minute == expanded[i].week_minute) {
            schedule->slots[last].scene = expanded[i].scene; /* same minute: later line wins */
            continue;
        }
        schedule->slots[schedule->count++] = (struct lights_schedule_slot){
            .week_minute = expanded[i].week_minute,
            .scene = expanded[i].scene,
        };
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = floor_div(year, 400);
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

/* Local time at ms, and its offset from UTC in seconds (e.g. 3600 for CET). */
static int64_t local_offset_s(int64_t ms, struct oase_localtime *lt)
{
    clock_local(ms, lt);
    int64_t local_s = days_from_civil(lt->year, lt->month, lt->day) * 86400 + lt->hour * 3600 +
                      lt->minute * 60 + lt->second;
    return local_s - floor_div(ms, 1000);
}

static int slot_for_week_minute(const struct lights_schedule *schedule, int week_minute)
{
    int lo = 0, hi = schedule->count; /* first slot after week_minute, by bisection */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (schedule->slots[mid].week_minute <= week_minute) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo > 0 ? lo - 1 : schedule->count - 1; /* before the first: the week's last */
}

int lights_schedule_slot_at(const struct lights_schedule *schedule, int64_t ms)
{
    if (schedule->count == 0) {
        return -1;
    }
    struct oase_localtime lt;
    clock_local(ms, &lt);
    return slot_for_week_minute(schedule, lt.weekday * DAY_MINUTES + lt.minute_of_day);
}

int lights_schedule_scene_at(const struct lights_schedule *schedule, int64_t ms)
{
    int slot = lights_schedule_slot_at(schedule, ms);
    return slot < 0 ? -1 : schedule->slots[slot].scene;
}

int64_t lights_schedule_next_change_ms(const struct lights_schedule *schedule, int64_t ms)
{
    if (schedule->count == 0) {
        return INT64_MAX;
    }
    int64_t t = ms;
    /*
     * Within one UTC offset local time runs with UTC, so the next slot is plain arithmetic.
     * When the offset differs at the candidate, a daylight-saving change lies between: find
     * it to the second, see whether the jump itself changes the slot, and go on from there.
     */
    for (int transitions = 0; transitions < 4; transitions++) {
        struct oase_localtime lt, lt_candidate;
        int64_t offset = local_offset_s(t, &lt);
        int week_minute = lt.weekday * DAY_MINUTES + lt.minute_of_day;
        int current = slot_for_week_minute(schedule, week_minute);
        int next = (current + 1) % schedule->count;
        int delta_minutes =
            (schedule->slots[next].week_minute - week_minute + LIGHTS_WEEK_MINUTES) %
            LIGHTS_WEEK_MINUTES;
        if (delta_minutes == 0) {
            delta_minutes = LIGHTS_WEEK_MINUTES;
        }
        int64_t minute_start = t - (int64_t)lt.second * 1000 - (t - floor_div(t, 1000) * 1000);
        int64_t candidate = minute_start + (int64_t)delta_minutes * 60000;
        if (local_offset_s(candidate, &lt_candidate) == offset) {
            return candidate;
        }
        int64_t lo = floor_div(t, 1000), hi = floor_div(candidate, 1000);
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (local_offset_s(mid * 1000, &lt_candidate) == offset) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int64_t jump = hi * 1000;
        if (jump > ms && lights_schedule_slot_at(schedule, jump) !=
                             lights_schedule_slot_at(schedule, jump - 1000)) {
            return jump;
        }
        t = jump > t ? jump : t + 1000;
    }
    return t;
}
