/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * clock: kiosk time. Wall-clock time in a normal run; simulated time in a replay, so a
 * script can cross closing time and midnight in milliseconds. Every module asks this
 * clock (or is handed a time by its caller); none calls time() itself.
 */
#ifndef OASE_CLOCK_H
#define OASE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct oase_clock {
    bool simulated;      /* true in replays: time moves only by clock_advance() */
    int64_t sim_ms;      /* simulated UTC milliseconds since the epoch */
    int64_t sim_mono_ms; /* simulated milliseconds since boot (clock_mono_ms) */
    int64_t sim_boot_ms; /* simulated boot instant (its boot id; a step leaves it alone) */
};

/*
 * Watches the wall clock against the monotonic one: a change of their difference by more
 * than CLOCK_STEP_MIN_MS is a step (NTP setting a stale clock right, an admin's date -s).
 * Slewing (at most 0.5 ms a second) never adds up to a step between two looks.
 */
#define CLOCK_STEP_MIN_MS 2000
struct clock_watch {
    bool started;          /* the first look was taken */
    int64_t offset_ms;     /* wall - monotonic at the last look */
    int64_t epoch_wall_ms; /* wall time (old clock) since which offset_ms holds */
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

/*
 * Milliseconds since boot, never stepped (CLOCK_BOOTTIME: it counts a suspend too). Every
 * duration is measured on it: the tap guard, timeouts, waits, lockouts, sessions, fades.
 * The wall clock (clock_now_ms) is only for labels and calendar days.
 */
int64_t clock_mono_ms(const struct oase_clock *clock);

/* Moves a simulated clock forward (wall and monotonic); a real clock ignores it. */
void clock_advance(struct oase_clock *clock, int64_t ms);

/*
 * Steps a simulated wall clock by ms (either sign) while monotonic time goes on, as NTP or
 * `date -s` steps a real one (replay `clock-step`, tests); a real clock ignores it.
 */
void clock_step(struct oase_clock *clock, int64_t ms);

/* Simulated only: the kiosk started uptime_ms after the machine booted (a restart of the
 * process in the same boot, as the replay's start line can say). */
void clock_set_uptime(struct oase_clock *clock, int64_t uptime_ms);

/*
 * This boot's identity: the kernel's boot_id (/proc/sys/kernel/random/boot_id), which a
 * restart of the process keeps and a reboot changes; simulated: "sim-" and the simulated boot
 * instant. Returns 0, or -errno with out "" when the kernel does not say.
 */
#define CLOCK_BOOT_ID_SIZE 40
int clock_boot_id(const struct oase_clock *clock, char *out, size_t size);

/*
 * True when the kernel says the wall clock is not synchronised (adjtimex: STA_UNSYNC or
 * TIME_ERROR; no NTP has set it since boot). A simulated clock is always synchronised.
 */
bool clock_kernel_unsynced(const struct oase_clock *clock);

/*
 * Looks at the clock pair. Returns the step in ms (new wall - old wall beyond the
 * monotonic time that passed) when there was one since the last look, else 0. On a step,
 * *since_ms gets the wall time, on the old clock, since which the old offset held (boot,
 * or the previous step): what was dated on the old clock since then is off by the step.
 * The first look assumes the offset has held since boot (mono_ms ago).
 */
/*
 * Starts the watch on a known offset (wall - monotonic) that has held since boot: the
 * offset an earlier run of the kiosk saw in this boot, so the first look sees a step the
 * clock took while the kiosk was not running.
 */
void clock_watch_start(struct clock_watch *watch, int64_t offset_ms);

int64_t clock_watch_look(struct clock_watch *watch, int64_t wall_ms, int64_t mono_ms,
                         int64_t *since_ms);

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
