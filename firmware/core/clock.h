/*
 * clock: kiosk time. Wall-clock time in a normal run; simulated time in a replay, so a
 * script can cross closing time and midnight in milliseconds. Every module asks this
 * clock (or is handed a time by its caller); none calls time() itself.
 */
#ifndef OASE_CLOCK_H
#define OASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct oase_clock {
    bool simulated; /* true in replays: time moves only by clock_advance() */
    int64_t sim_ms; /* simulated UTC milliseconds since the epoch */
};

/* Local calendar view of an instant, in the process's time zone (TZ). */
struct oase_localtime {
    int year, month, day;     /* 2026, 1..12, 1..31 */
    int hour, minute, second; /* 0..23, 0..59, 0..60 */
    int weekday;              /* 0 = Monday .. 6 = Sunday */
    int minute_of_day;        /* hour * 60 + minute */
    char date[11];            /* "YYYY-MM-DD" */
};

/* A real clock (simulated = false) or a simulated one starting at start_ms. */
void clock_init_real(struct oase_clock *clock);
void clock_init_simulated(struct oase_clock *clock, int64_t start_ms);

/* Now, in UTC milliseconds since the epoch. */
int64_t clock_now_ms(const struct oase_clock *clock);

/* Moves a simulated clock forward; a real clock ignores it. */
void clock_advance(struct oase_clock *clock, int64_t ms);

/* Converts an instant to local calendar fields. Never fails for instants after 1970. */
void clock_local(int64_t ms, struct oase_localtime *out);

/*
 * Parses "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local time) into UTC milliseconds.
 * Returns 0 on success, -EINVAL when the text is not such a date or the date does not
 * exist (2026-02-30); *out_ms is unchanged on failure.
 */
int clock_parse_local(const char *text, int64_t *out_ms);

/* Milliseconds until the next local midnight after ms (handles DST days of 23 or 25 h). */
int64_t clock_ms_until_midnight(int64_t ms);

#endif
