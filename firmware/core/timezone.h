/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * timezone: which time zone the kiosk runs in, checked before anything reads the clock.
 * Opening hours, light and sound schedules and calendar days are local times, so an unknown
 * or missing zone must stop the kiosk with a message instead of letting the C library fall
 * back to UTC without a word (it does that for TZ=Europe/Amsterdam when tzdata is missing).
 * Order: [kiosk] timezone of the config, else TZ of the environment, else /etc/localtime.
 * Never exits; main decides (the kiosk refuses to start, --check-config counts an error).
 */
#ifndef OASE_TIMEZONE_H
#define OASE_TIMEZONE_H

#include <stddef.h>

#define TIMEZONE_NAME_MAX 64                       /* longest zone name or TZ rule, with its NUL */
#define TIMEZONE_DEFAULT_DIR "/usr/share/zoneinfo" /* tzdata's; TZDIR overrides, as in glibc */
#define TIMEZONE_SYSTEM_FILE "/etc/localtime"      /* the system's zone (timedatectl sets it) */

/* The zone chosen, and where from (for the log and --check-config). */
struct timezone_choice {
    char name[TIMEZONE_NAME_MAX]; /* the TZ to set: "Europe/Amsterdam", a rule; "" = unset */
    const char *source; /* "kiosk.timezone", "TZ", or the system_file given (static text) */
    char shown[TIMEZONE_NAME_MAX + 48]; /* for people: "Europe/Amsterdam (from kiosk.timezone)" */
};

/*
 * Checks that name (a leading ':' is allowed, as TZ allows it) is a zone of the time-zone
 * database ("Europe/Amsterdam": a TZif file under TZDIR or TIMEZONE_DEFAULT_DIR), a POSIX TZ
 * rule with an offset ("CET-1CEST,M3.5.0,M10.5.0/3", "UTC0"), "UTC", or the absolute path of
 * a TZif file. Returns 0, or
 * -EINVAL (not a zone name), -ENOENT (no such zone, or no database: tzdata not installed)
 * with a sentence for people in why (naming the zone, the file and the fix).
 */
int timezone_check(const char *name, char *why, size_t why_size);

/*
 * Chooses the zone: configured (the config's kiosk.timezone; "" = none), else tz_env (the TZ
 * environment variable; NULL or "" = unset), else the file system_file (/etc/localtime).
 * Each is checked with timezone_check; the system file must be a TZif file (a symbolic link
 * to a missing zone is refused). Returns 0 with *choice filled, or -EINVAL / -ENOENT with
 * why saying what is wrong and how to set a zone; *choice is then undefined.
 */
int timezone_choose(const char *configured, const char *tz_env, const char *system_file,
                    struct timezone_choice *choice, char *why, size_t why_size);

/* timezone_choose with getenv("TZ") and TIMEZONE_SYSTEM_FILE. */
int timezone_choose_here(const char *configured, struct timezone_choice *choice, char *why,
                         size_t why_size);

/*
 * Makes the chosen zone the process's: sets TZ to choice->name (unsets it for
 * TIMEZONE_SYSTEM_FILE, the C library's default; another system_file is set as its path) and
 * calls tzset(). Call before any thread starts (setenv is not thread-safe).
 * Returns 0, or -errno when TZ could not be set.
 */
int timezone_apply(const struct timezone_choice *choice);

#endif
