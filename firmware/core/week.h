/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * week: the day-and-time words shared by every schedule in oase.conf ([schedule] of the
 * lights, [audio.schedule] of the sound): day sets like "*", "mon-fri", "sat,sun" or
 * "fri-mon" (wraps), and times "8:00" / "08:00". Pure parsing; no clock, no state.
 */
#ifndef OASE_WEEK_H
#define OASE_WEEK_H

#include <stdbool.h>
#include <stddef.h>

#define WEEK_ALL_DAYS 0x7fu /* bit 0 = Monday .. bit 6 = Sunday (clock_local's weekday) */

/* Three-letter names, Monday first. */
extern const char *const week_day_names[7];

/* Parses a day set into bits; false (out unchanged) when a word is not a day. */
bool week_parse_days(const char *text, unsigned *out);

/*
 * Parses "H:MM" or "HH:MM" (00:00..23:59) at the start of text into the minute of the day;
 * *end points past it. False (outputs unchanged) when text does not start with such a time.
 */
bool week_parse_time(const char *text, int *minute_of_day, const char **end);

/*
 * Walks a schedule list "HH:MM WORD, HH:MM WORD ...": parses the entry at *text into its
 * minute of the day and its word (the text after the time up to the next ',' or the end,
 * blanks trimmed; not NUL-terminated) and moves *text past the entry and its comma.
 * Returns 1 for an entry, 0 at the end of the list (also for an empty list: the caller
 * decides whether that is allowed), -1 when the entry does not start with a time and a
 * blank, its word is empty, or a comma ends the list.
 */
int week_next_entry(const char **text, int *minute_of_day, const char **word, size_t *word_len);

#endif
