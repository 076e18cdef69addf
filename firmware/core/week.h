/*
 * week: the day-and-time words shared by every schedule in oase.conf ([schedule] of the
 * lights, [audio.schedule] of the sound): day sets like "*", "mon-fri", "sat,sun" or
 * "fri-mon" (wraps), and times "8:00" / "08:00". Pure parsing; no clock, no state.
 */
#ifndef OASE_WEEK_H
#define OASE_WEEK_H

#include <stdbool.h>

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

#endif
