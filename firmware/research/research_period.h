/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_period: the calendar of the research export: dates as day numbers, ISO weeks,
 * parts of the day and their labels. Pure arithmetic on the Gregorian calendar; it never
 * reads the clock or the time zone (the store's dates and hours are already local).
 */
#ifndef OASE_RESEARCH_PERIOD_H
#define OASE_RESEARCH_PERIOD_H

#include <stdint.h>

#define RESEARCH_DATE_SIZE 11 /* "YYYY-MM-DD" and its NUL */
#define RESEARCH_WEEK_SIZE 9  /* "2026-W10" and its NUL */

/* Parts of the day, the first coarsening of an hour (hours 0-5, 6-11, 12-17, 18-23). */
enum research_part_of_day {
    RESEARCH_NIGHT,
    RESEARCH_MORNING,
    RESEARCH_AFTERNOON,
    RESEARCH_EVENING,
};

/*
 * Parses "YYYY-MM-DD" (exactly that form, a date that exists, years 1970..9999) into days
 * since 1970-01-01. Returns 0, or -EINVAL with *day unchanged.
 */
int research_day_parse(const char *text, int32_t *day);

/* Writes day (>= 0) as "YYYY-MM-DD". */
void research_day_format(int32_t day, char out[RESEARCH_DATE_SIZE]);

/* 0 = Monday .. 6 = Sunday. */
int research_day_weekday(int32_t day);

/* The Monday of the ISO week that holds day. */
int32_t research_week_monday(int32_t day);

/* The ISO 8601 week of day as "2026-W10" (the week-based year can differ from the date's). */
void research_week_label(int32_t day, char out[RESEARCH_WEEK_SIZE]);

/* Part of the day of hour 0..23 (values outside are clamped). */
enum research_part_of_day research_part_of_hour(int hour);

/* "night", "morning", "afternoon", "evening". */
const char *research_part_name(enum research_part_of_day part);

#endif
