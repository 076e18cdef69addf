/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * hours: the office's opening hours per weekday, its closed dates and the phone number a
 * visitor may call, from the config's [hours] section. Pure: no clock of its own, no SDL.
 * The journey asks hours_is_open before it checks anyone in; the closed screen shows
 * hours_next_open and the phone. Without an [hours] section the office is always open
 * (the kiosk checks in at any time, as before [hours] existed).
 */
#ifndef OASE_HOURS_H
#define OASE_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/clock.h"

#define HOURS_MAX_CLOSED_DATES 64
#define HOURS_PHONE_MAX 32

struct hours {
    /* Per weekday (0 = Monday .. 6 = Sunday): open from open_minute up to close_minute
     * (minutes after midnight, 0..1440); open_minute == close_minute: closed that day. */
    int open_minute[7];
    int close_minute[7];
    char closed_dates[HOURS_MAX_CLOSED_DATES][11]; /* "YYYY-MM-DD": closed the whole day */
    int closed_date_count;
    char phone[HOURS_PHONE_MAX]; /* "020 123 45 67"; "" = the closed screen names none */
};

/* Always open, no closed dates, no phone. */
void hours_defaults(struct hours *hours);

/*
 * One key of [hours]: monday..sunday = "HH:MM-HH:MM" (end 24:00 allowed) or "closed";
 * closed_dates = dates "YYYY-MM-DD" separated by spaces or commas; phone = digits, spaces,
 * '+', '-', '(' and ')'. Returns 0, -ENOENT for
 * an unknown key (why starts "unknown key"), -EINVAL for a bad value (why says what is accepted);
 * hours is unchanged then.
 */
int hours_config_set(struct hours *hours, const char *key, const char *value, char *why,
                     size_t why_size);

/* Whether the office is open at this local time. */
bool hours_is_open(const struct hours *hours, const struct oase_localtime *now);

/* When it opens next after now (strictly later, within 366 days). */
struct hours_opening {
    int days_ahead; /* 0 = later today, 1 = tomorrow, ... */
    int weekday;    /* 0 = Monday .. 6 = Sunday */
    int minute;     /* minutes after midnight */
};

/* Fills next and returns 0, or returns -ENOENT when it never opens (all days closed). */
int hours_next_open(const struct hours *hours, const struct oase_localtime *now,
                    struct hours_opening *next);

#endif
