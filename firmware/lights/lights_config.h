/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_config: the lights sections of oase.conf ([lights], [light.NAME], [scene.NAME],
 * [schedule]) parsed into a plain struct. Owns the syntax and the range of every value;
 * never touches hardware, the clock or the log. The config module (config/config.c) hands it
 * each key of those sections and prefixes its messages with file:line and section.key.
 *
 * Defaults (lights_config_defaults) describe a kiosk without GPIO: one simulated channel
 * "room", scenes welcome 70 / quiet 35 / closed 0 and an opening-hours schedule. The first
 * [light.*] section replaces the default channel, the first [scene.*] the default scenes,
 * the first [schedule] entry the default schedule; the rest stays.
 */
#ifndef OASE_LIGHTS_CONFIG_H
#define OASE_LIGHTS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define LIGHTS_MAX_CHANNELS 8
#define LIGHTS_MAX_SCENES 16
#define LIGHTS_MAX_SCHEDULE 64 /* "HH:MM scene" entries, each with its set of days */
#define LIGHTS_NAME_MAX 32     /* channel and scene names, [a-z0-9_-], with the NUL */
#define LIGHTS_LINE_NAME_MAX 32
#define LIGHTS_CHIP_LABEL_MAX 64

#define LIGHTS_ALL_CHANNELS "*" /* in a scene: the level of every channel not named */

/* A row of the driver table (lights_drivers.c): sim (no hardware, the default), gpio-pwm
 * (software PWM on one line), gpio-digipot (X9C on cs/inc/ud), gpio-relay (one on/off line). */
struct lights_driver_info;

struct lights_channel_config {
    char name[LIGHTS_NAME_MAX];              /* from [light.NAME] */
    const struct lights_driver_info *driver; /* driver = NAME; sim by default */
    char chip[LIGHTS_CHIP_LABEL_MAX];        /* chip label; "" = search every chip */
    char line[LIGHTS_LINE_NAME_MAX];         /* gpio-pwm, gpio-relay: line name, e.g. GPIO17 */
    char cs_line[LIGHTS_LINE_NAME_MAX];      /* gpio-digipot: X9C pin 7 (CS, active low) */
    char inc_line[LIGHTS_LINE_NAME_MAX];     /* gpio-digipot: X9C pin 1 (INC) */
    char ud_line[LIGHTS_LINE_NAME_MAX];      /* gpio-digipot: X9C pin 2 (U/D) */
    bool active_low;                         /* every line of this channel is inverted */
    double min_percent;        /* output (duty/wiper) at the dimmest non-zero level: 0 */
    double max_percent;        /* output at L* 100: 100 */
    double threshold_percent;  /* gpio-relay: on at or above this L*: 50 */
    double hysteresis_percent; /* gpio-relay: off only below threshold - this: 5 */
    int steps;                 /* gpio-digipot: wiper taps, X9C = 100 */
    int pwm_hz;                /* gpio-pwm: 0 = [lights] pwm_hz */
    double safe_level;         /* L* on exit; -1 = [lights] safe_level */
};

struct lights_scene_level {
    char channel[LIGHTS_NAME_MAX]; /* channel name or LIGHTS_ALL_CHANNELS */
    double lightness;              /* CIE L*, 0..100 */
};

struct lights_scene_config {
    char name[LIGHTS_NAME_MAX];
    struct lights_scene_level levels[LIGHTS_MAX_CHANNELS + 1];
    int level_count;
};

struct lights_schedule_entry {
    unsigned days;     /* bit 0 = Monday .. bit 6 = Sunday */
    int minute_of_day; /* 0..1439, local time */
    char scene[LIGHTS_NAME_MAX];
};

struct lights_config {
    /* [lights] */
    int fade_seconds;  /* 20, accepted 0..600: duration of every scene change */
    double safe_level; /* 0, accepted 0..100 (L*): level written on exit */
    int pwm_hz;        /* 200, accepted 50..2000 */
    bool pwm_realtime; /* yes: ask SCHED_FIFO for PWM threads */

    struct lights_channel_config channels[LIGHTS_MAX_CHANNELS];
    int channel_count;
    struct lights_scene_config scenes[LIGHTS_MAX_SCENES];
    int scene_count;
    struct lights_schedule_entry schedule[LIGHTS_MAX_SCHEDULE];
    int schedule_count;

    bool file_channels; /* a [light.*] section replaced the default channel */
    bool file_scenes;   /* a [scene.*] section replaced the default scenes */
    bool file_schedule; /* a [schedule] entry replaced the default schedule */
    bool checked;       /* lights_config_check() has run (lights_open() runs it otherwise) */
};

/* Receives one message line (same shape as config/config.h's config_report_fn). */
typedef void (*lights_report_fn)(void *ctx, const char *message);

/* Fills cfg with the documented defaults (see config/oase.conf (the lights sections)). Cannot fail.
 */
void lights_config_defaults(struct lights_config *cfg);

/*
 * Applies one key of an INI section. Returns 1 when the section belongs to lights and the
 * value was valid and stored; 0 when the section is not a lights section (cfg untouched);
 * -1 when the key is unknown or the value invalid: cfg is unchanged and why holds what is
 * accepted (e.g. "accepted: 0..600 seconds"), without file, line or value. key and value
 * may be NULL (inih's new-section call): the section is then only registered.
 */
int lights_config_set(struct lights_config *cfg, const char *section, const char *key,
                      const char *value, char *why, size_t why_size);

/*
 * Checks what needs the whole file: names a scene or the schedule refers to, min below
 * max, the lines each driver needs, a line used twice. A broken item is reported through
 * report (may be NULL) and removed or repaired (a schedule entry naming no scene is
 * dropped, a channel without its lines becomes sim) so lights_open never sees it.
 * Returns the number of errors; warnings (a channel a scene leaves off) are reported but
 * not counted. Safe to call more than once.
 */
int lights_config_check(struct lights_config *cfg, lights_report_fn report, void *ctx);

/* The driver's name as `driver =` takes it ("sim" for NULL); lights_drivers.c. */
const char *lights_driver_name(const struct lights_driver_info *driver);
/* The driver of a channel that names none (sim); lights_drivers.c. */
const struct lights_driver_info *lights_driver_default(void);

#endif
