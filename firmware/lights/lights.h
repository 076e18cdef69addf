/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights: the room's light. Owns the light channels, their drivers (sim, gpio-pwm,
 * gpio-digipot, gpio-relay), the weekly schedule of scenes, the host's override, the staff
 * menu's light test and the slow perceptual fades between them. Time is kiosk time
 * (core/clock.h, possibly simulated), handed in by the caller; lights never reads a clock
 * for the schedule. Never blocks the visitor flow on hardware: a missing chip or line turns
 * that channel into a simulated one, reported once in the log and in lights_status().
 *
 * Threading: every function here is called from the main-loop thread only (a web or host
 * thread passes its request through the main loop). Only the gpio-pwm driver runs a thread
 * of its own; what it shares is described in lights_driver.h.
 *
 * Flow: main loop -> lights_tick(now) -> schedule/override/test -> lights_fade ->
 * lights_curve (L* -> output) -> driver -> lights_gpio -> libgpiod.
 */
#ifndef OASE_LIGHTS_H
#define OASE_LIGHTS_H

#include <stdbool.h>
#include <stdint.h>

#include "lights/lights_config.h"

#define LIGHTS_TEST_FADE_MS 1000            /* "test the lights" moves within a second */
#define LIGHTS_TEST_TIMEOUT_MS (10 * 60000) /* a forgotten test ends by itself */
#define LIGHTS_PROBLEM_MAX 192

struct lights;

struct lights_channel_status {
    char name[LIGHTS_NAME_MAX];
    const char *driver;               /* configured driver: "sim", "gpio-pwm", ... */
    bool degraded;                    /* its hardware was not found: simulated instead */
    char problem[LIGHTS_PROBLEM_MAX]; /* why degraded, or the last write error; "" = fine */
    double level;                     /* lightness now, L* 0..100 */
    double target;                    /* lightness the current fade ends at */
    double output_percent;            /* what the driver drives: PWM duty / wiper, 0..100 */
};

struct lights_status {
    int channel_count;
    struct lights_channel_status channels[LIGHTS_MAX_CHANNELS];
    char scene[LIGHTS_NAME_MAX]; /* scene in force (override or schedule); "" = none */
    bool override_active;        /* the host chose the scene */
    bool condition_active;       /* a randomised room's condition stands in for the schedule */
    int64_t override_until_ms;   /* when the schedule takes over again; INT64_MAX = never */
    bool test_active;            /* the staff menu's test level is shown instead */
    bool fading;                 /* a fade is under way */
    int64_t next_change_ms;      /* next scheduled change; INT64_MAX = none */
};

/*
 * Opens every channel of cfg (copied; cfg may be freed afterwards), starting dark and
 * fading to the scene in force at now_ms over fade_seconds. A channel whose chip or lines
 * are missing, busy or not permitted runs as sim: one log line says which line and what to
 * do, and lights_status() shows it as degraded. lights_tick() looks for its hardware again
 * every 60 s of kiosk time, quietly; when found, one log line, and the real driver takes
 * over at the level shown. Runs lights_config_check() (reporting to
 * the log) when the config module has not. Returns NULL only when out of memory.
 */
struct lights *lights_open(const struct lights_config *cfg, int64_t now_ms);

/*
 * Advances the schedule, the override and test expiry and the fades to now_ms and pushes
 * the levels to the drivers. Call it at lights_next_deadline_ms() or sooner; calling it more
 * often is harmless. A clock that goes back restarts a running fade from the current level.
 * A GPIO write error is logged once per channel and shown in its status; it never stops.
 */
void lights_tick(struct lights *lights, int64_t now_ms);

/*
 * The wall clock stepped by step_ms (app_clock.c saw it against the monotonic clock): the
 * durations in flight (a fade, a light test, a missing channel's next look) move with it,
 * so a fade neither jumps to its end nor starts again. The schedule and a host override
 * (until the next scheduled change) stay on the calendar. Call before the next lights_tick.
 */
void lights_clock_stepped(struct lights *lights, int64_t step_ms);

/*
 * Kiosk time at which lights_tick() must run next: during a fade every 16..50 ms (steps of
 * about 0.25 L*) and at its end, otherwise at the next schedule change or override/test
 * expiry. INT64_MAX when nothing will ever change by itself. Never earlier than now_ms.
 */
int64_t lights_next_deadline_ms(const struct lights *lights, int64_t now_ms);

/*
 * The host's choice: fades to scene and keeps it until the next scheduled change (the
 * schedule then resumes). Returns 0, or -ENOENT when there is no such scene (nothing
 * changes).
 */
int lights_override_scene(struct lights *lights, const char *scene, int64_t now_ms);

/*
 * A randomised room's condition ([experiment]): scene stands in for the schedule's scene until
 * it is set to NULL (the schedule again). A host override still wins, until the next scheduled
 * change as always. Fades when the scene in force changes. Returns 0, or -ENOENT when there is
 * no such scene (nothing changes).
 */
int lights_set_condition_scene(struct lights *lights, const char *scene, int64_t now_ms);

/* Back to the schedule now (fading). No effect without an override. */
void lights_override_end(struct lights *lights, int64_t now_ms);

/*
 * The staff menu's "test the lights": fades channel (NULL = every channel) to lightness
 * (L* 0..100) within LIGHTS_TEST_FADE_MS and holds it, over any scene, until
 * lights_test_end() or LIGHTS_TEST_TIMEOUT_MS. Other channels keep their test level or, in
 * a new test, their current level. Returns 0, -ENOENT for an unknown channel or -EINVAL
 * for a level outside 0..100 (nothing changes).
 */
int lights_test_level(struct lights *lights, const char *channel, double lightness, int64_t now_ms);

/* Ends the test: back to the override or the schedule, fading. */
void lights_test_end(struct lights *lights, int64_t now_ms);

/* State as of the last lights_tick() (or call), for the host page and the staff view. */
void lights_status(const struct lights *lights, struct lights_status *out);

/* Scene names in config order, for a host's list: NULL when index is past the end. */
const char *lights_scene_name(const struct lights *lights, int index);

/*
 * Writes each channel's safe level ([light.NAME] safe_level, else [lights] safe_level)
 * at once, without a fade, then stops the PWM threads and releases the lines. A gpio-pwm
 * line is left steady high or low (whichever is nearer the safe output). NULL is ignored.
 */
void lights_close(struct lights *lights);

#endif
