/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights: see lights.h. main loop -> lights_tick() -> (test > override > schedule) picks the
 * target levels -> lights_fade moves towards them -> lights_curve -> each channel's driver.
 */
#include "lights/lights.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "lights/lights_curve.h"
#include "lights/lights_driver.h"
#include "lights/lights_drivers.h"
#include "lights/lights_fade.h"
#include "lights/lights_gpio.h"
#include "lights/lights_schedule.h"

#define LIGHTS_RETRY_MS 1000   /* after a failed GPIO write, tick again this soon */
#define LIGHTS_REOPEN_MS 60000 /* a channel without its hardware looks for it this often */

struct lights_channel {
    struct lights_channel_config cfg; /* copy of its [light.NAME] section */
    struct lights_driver *driver;     /* never NULL once open */
    bool degraded;                    /* runs as sim because the hardware was missing */
    int64_t reopen_ms;                /* degraded: kiosk time of the next look for it */
    char problem[LIGHTS_PROBLEM_MAX]; /* why degraded / last write error */
    bool write_failing;               /* a write error was logged and not yet recovered */
    double safe_level;                /* L* written by lights_close() */
    double output;                    /* last output pushed, 0..1 */
};

struct lights {
    struct lights_channel channels[LIGHTS_MAX_CHANNELS];
    int channel_count;

    char scene_names[LIGHTS_MAX_SCENES][LIGHTS_NAME_MAX];
    double scene_levels[LIGHTS_MAX_SCENES][LIGHTS_MAX_CHANNELS]; /* L* per scene and channel */
    int scene_count;

    struct lights_schedule schedule;
    int64_t next_change_ms;   /* cached lights_schedule_next_change_ms() */
    int64_t schedule_eval_ms; /* when the cache was computed */
    int scheduled_scene;      /* scene the schedule puts in force; -1 = none */

    int condition_scene; /* a randomised room's scene standing in for the schedule's; -1 = none */

    bool override_active;
    int override_scene;
    int64_t override_start_ms;
    int64_t override_until_ms;

    bool test_active;
    double test_levels[LIGHTS_MAX_CHANNELS];
    int64_t test_start_ms;
    int64_t test_until_ms;

    int64_t fade_ms;         /* [lights] fade_seconds in ms */
    int pwm_hz;              /* [lights] pwm_hz, for a channel opened later */
    bool pwm_realtime;       /* [lights] pwm_realtime, likewise */
    struct lights_fade fade; /* from current levels to the wanted targets */
    double levels[LIGHTS_MAX_CHANNELS];
    bool announced; /* the end of the current fade was logged */
    int64_t last_tick_ms;
};

static void log_config_problem(void *ctx, const char *message)
{
    (void)ctx;
    log_msg(LOG_WARN, "lights config: %s", message);
}

static int find_scene(const struct lights *lights, const char *name)
{
    for (int i = 0; i < lights->scene_count; i++) {
        if (strcmp(lights->scene_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static int find_channel(const struct lights *lights, const char *name)
{
    for (int i = 0; i < lights->channel_count; i++) {
        if (strcmp(lights->channels[i].cfg.name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static void resolve_scenes(struct lights *lights, const struct lights_config *cfg)
{
    lights->scene_count = cfg->scene_count;
    for (int s = 0; s < cfg->scene_count; s++) {
        const struct lights_scene_config *scene = &cfg->scenes[s];
        snprintf(lights->scene_names[s], sizeof lights->scene_names[s], "%s", scene->name);
        double all = 0; /* a channel the scene does not name is off, unless "*" says more */
        for (int i = 0; i < scene->level_count; i++) {
            if (strcmp(scene->levels[i].channel, LIGHTS_ALL_CHANNELS) == 0) {
                all = scene->levels[i].lightness;
            }
        }
        for (int c = 0; c < lights->channel_count; c++) {
            lights->scene_levels[s][c] = all;
        }
        for (int i = 0; i < scene->level_count; i++) {
            int c = find_channel(lights, scene->levels[i].channel);
            if (c >= 0) {
                lights->scene_levels[s][c] = scene->levels[i].lightness;
            }
        }
    }
}

/* The channel's configured hardware driver; NULL with why filled when it cannot be had
 * (and for sim, which has no hardware). */
static struct lights_driver *open_hardware(const struct lights_channel *ch, int pwm_hz,
                                           bool pwm_realtime, bool *realtime_refused, char *why,
                                           size_t why_size)
{
    if (ch->cfg.driver == NULL || ch->cfg.driver->open == NULL) {
        return NULL;
    }
    struct lights_open_env env = {.pwm_hz = pwm_hz, .pwm_realtime = pwm_realtime};
    struct lights_driver *driver = ch->cfg.driver->open(&ch->cfg, &env, why, why_size);
    if (env.realtime_refused) {
        *realtime_refused = true;
    }
    return driver;
}

/* Opens the configured driver, or sim with the reason kept. Returns -ENOMEM only. */
static int open_channel(struct lights_channel *ch, const struct lights_config *cfg,
                        bool *realtime_refused)
{
    char why[LIGHTS_PROBLEM_MAX] = "";
    ch->driver =
        open_hardware(ch, cfg->pwm_hz, cfg->pwm_realtime, realtime_refused, why, sizeof why);
    if (ch->driver == NULL && ch->cfg.driver != NULL && ch->cfg.driver->open != NULL) {
        ch->degraded = true;
        snprintf(ch->problem, sizeof ch->problem, "%s", why);
        log_msg(LOG_WARN,
                "lights: [light.%s] driver = %s: %s; this channel is simulated and the "
                "hardware looked for again every %d s (check [light.%s] in oase.conf and the "
                "wiring)",
                ch->cfg.name, lights_driver_name(ch->cfg.driver), why, LIGHTS_REOPEN_MS / 1000,
                ch->cfg.name);
    }
    if (ch->driver == NULL) {
        ch->driver = lights_sim_open();
    }
    return ch->driver == NULL ? -ENOMEM : 0;
}

static void refresh_schedule(struct lights *lights, int64_t now_ms)
{
    lights->scheduled_scene = lights_schedule_scene_at(&lights->schedule, now_ms);
    if (lights->scheduled_scene < 0 && lights->scene_count > 0) {
        lights->scheduled_scene = 0; /* no schedule: the first scene all week */
    }
    lights->next_change_ms = lights_schedule_next_change_ms(&lights->schedule, now_ms);
    lights->schedule_eval_ms = now_ms;
}

static int scene_in_force(const struct lights *lights)
{
    if (lights->override_active) {
        return lights->override_scene;
    }
    return lights->condition_scene >= 0 ? lights->condition_scene : lights->scheduled_scene;
}

static void wanted_levels(const struct lights *lights, double *out)
{
    int scene = scene_in_force(lights);
    for (int c = 0; c < lights->channel_count; c++) {
        if (lights->test_active) {
            out[c] = lights->test_levels[c];
        } else {
            out[c] = scene >= 0 ? lights->scene_levels[scene][c] : 0;
        }
    }
}

/*
 * A degraded channel looks for its hardware again every LIGHTS_REOPEN_MS (a GPIO chip whose
 * driver loaded late, a HAT plugged in, a line another program let go). Quiet while it is
 * still missing; one line when it is found, and the real driver takes over from the sim.
 */
static void reopen_degraded(struct lights *lights, int64_t now_ms)
{
    for (int c = 0; c < lights->channel_count; c++) {
        struct lights_channel *ch = &lights->channels[c];
        if (!ch->degraded ||
            (now_ms < ch->reopen_ms && ch->reopen_ms - now_ms <= LIGHTS_REOPEN_MS)) {
            continue; /* fine, or not yet (a clock that jumped back far looks at once) */
        }
        ch->reopen_ms = now_ms + LIGHTS_REOPEN_MS;
        char why[LIGHTS_PROBLEM_MAX] = "";
        bool realtime_refused = false;
        struct lights_driver *driver = open_hardware(ch, lights->pwm_hz, lights->pwm_realtime,
                                                     &realtime_refused, why, sizeof why);
        if (driver == NULL) {
            continue;
        }
        lights_driver_close(ch->driver); /* the sim */
        ch->driver = driver;
        ch->degraded = false;
        ch->problem[0] = '\0';
        ch->write_failing = false;
        log_msg(LOG_INFO,
                "lights: [light.%s] driver = %s: the hardware is there now and drives "
                "the light%s",
                ch->cfg.name, lights_driver_name(ch->cfg.driver),
                realtime_refused ? " (the PWM thread at normal priority)" : "");
    }
}

static void push_levels(struct lights *lights)
{
    for (int c = 0; c < lights->channel_count; c++) {
        struct lights_channel *ch = &lights->channels[c];
        double level = lights->levels[c];
        ch->output = lights_curve_output(level, ch->cfg.min_percent, ch->cfg.max_percent);
        int rc = lights_driver_set(ch->driver, level, ch->output);
        if (rc < 0 && !ch->write_failing) {
            ch->write_failing = true;
            snprintf(ch->problem, sizeof ch->problem, "writing a GPIO line failed: %s",
                     strerror(-rc));
            log_msg(LOG_WARN, "lights: [light.%s] %s; retrying every second", ch->cfg.name,
                    ch->problem);
        } else if (rc == 0 && ch->write_failing) {
            ch->write_failing = false;
            ch->problem[0] = '\0';
            log_msg(LOG_INFO, "lights: [light.%s] writes work again", ch->cfg.name);
        }
    }
}

static void announce_levels(const struct lights *lights)
{
    char text[LIGHTS_MAX_CHANNELS * (LIGHTS_NAME_MAX + 16)];
    size_t used = 0;
    text[0] = '\0';
    for (int c = 0; c < lights->channel_count; c++) {
        int n = snprintf(text + used, sizeof text - used, "%s%s %.0f", c ? ", " : "",
                         lights->channels[c].cfg.name, lights->levels[c]);
        if (n < 0 || (size_t)n >= sizeof text - used) {
            break;
        }
        used += (size_t)n;
    }
    int scene = scene_in_force(lights);
    log_msg(LOG_INFO, "lights: %s (L*) - %s%s", text,
            lights->test_active ? "test level"
            : scene >= 0        ? lights->scene_names[scene]
                                : "no scene",
            lights->override_active && !lights->test_active ? ", host override" : "");
}

void lights_tick(struct lights *lights, int64_t now_ms)
{
    bool clock_back = now_ms < lights->last_tick_ms;
    if (clock_back || now_ms >= lights->next_change_ms || now_ms < lights->schedule_eval_ms) {
        refresh_schedule(lights, now_ms);
    }
    if (lights->test_active &&
        (now_ms >= lights->test_until_ms || now_ms < lights->test_start_ms)) {
        lights->test_active = false;
        log_msg(LOG_INFO, "lights: light test ended by itself (time limit or clock change)");
    }
    if (lights->override_active &&
        (now_ms >= lights->override_until_ms || now_ms < lights->override_start_ms)) {
        lights->override_active = false;
        log_msg(LOG_INFO, "lights: host override of scene %s ended; the schedule resumes",
                lights->scene_names[lights->override_scene]);
    }

    if (clock_back) {
        /* Re-anchor at what is shown: a running fade starts again from there, a finished
         * one stays finished (the fade's line would otherwise put an earlier level back). */
        if (lights_fade_running(&lights->fade, lights->last_tick_ms)) {
            double target[LIGHTS_MAX_CHANNELS];
            memcpy(target, lights->fade.to, sizeof target);
            lights_fade_start(&lights->fade, lights->levels, target, now_ms,
                              lights->fade.duration_ms);
        } else {
            lights_fade_init(&lights->fade, lights->channel_count, lights->levels, now_ms);
        }
    }
    double current[LIGHTS_MAX_CHANNELS], wanted[LIGHTS_MAX_CHANNELS];
    lights_fade_levels(&lights->fade, now_ms, current);
    wanted_levels(lights, wanted);
    bool retarget = false;
    for (int c = 0; c < lights->channel_count; c++) {
        retarget = retarget || wanted[c] != lights->fade.to[c];
    }
    if (retarget) {
        lights_fade_start(&lights->fade, current, wanted, now_ms,
                          lights->test_active ? LIGHTS_TEST_FADE_MS : lights->fade_ms);
        lights->announced = false;
    }
    lights_fade_levels(&lights->fade, now_ms, lights->levels);
    reopen_degraded(lights, now_ms);
    push_levels(lights);
    lights->last_tick_ms = now_ms;
    if (!lights->announced && !lights_fade_running(&lights->fade, now_ms)) {
        lights->announced = true;
        announce_levels(lights);
    }
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

void lights_clock_stepped(struct lights *lights, int64_t step_ms)
{
    lights->fade.start_ms += step_ms;
    lights->last_tick_ms += step_ms;
    lights->test_start_ms += step_ms;
    lights->test_until_ms += step_ms;
    lights->override_start_ms += step_ms; /* its end is the schedule's: unchanged */
    for (int i = 0; i < lights->channel_count; i++) {
        lights->channels[i].reopen_ms += step_ms;
    }
}

int64_t lights_next_deadline_ms(const struct lights *lights, int64_t now_ms)
{
    int64_t deadline = lights->next_change_ms;
    if (lights_fade_running(&lights->fade, lights->last_tick_ms)) {
        /* Still moving at the last tick: the next step, or the end (now, if already past). */
        deadline = min64(deadline, min64(now_ms + lights_fade_tick_ms(&lights->fade),
                                         lights_fade_end_ms(&lights->fade)));
    }
    if (lights->override_active) {
        deadline = min64(deadline, lights->override_until_ms);
    }
    if (lights->test_active) {
        deadline = min64(deadline, lights->test_until_ms);
    }
    for (int c = 0; c < lights->channel_count; c++) {
        if (lights->channels[c].write_failing) {
            deadline = min64(deadline, lights->last_tick_ms + LIGHTS_RETRY_MS);
        }
    }
    return deadline < now_ms ? now_ms : deadline;
}

int lights_override_scene(struct lights *lights, const char *scene, int64_t now_ms)
{
    int index = scene != NULL ? find_scene(lights, scene) : -1;
    if (index < 0) {
        return -ENOENT;
    }
    lights->override_active = true;
    lights->override_scene = index;
    lights->override_start_ms = now_ms;
    lights->override_until_ms = lights_schedule_next_change_ms(&lights->schedule, now_ms);
    log_msg(LOG_INFO, "lights: host override: scene %s until the next scheduled change",
            lights->scene_names[index]);
    lights_tick(lights, now_ms);
    return 0;
}

int lights_set_condition_scene(struct lights *lights, const char *scene, int64_t now_ms)
{
    int index = scene != NULL ? find_scene(lights, scene) : -1;
    if (scene != NULL && index < 0) {
        return -ENOENT;
    }
    if (index != lights->condition_scene) {
        lights->condition_scene = index;
        lights_tick(lights, now_ms);
    }
    return 0;
}

void lights_override_end(struct lights *lights, int64_t now_ms)
{
    if (!lights->override_active) {
        return;
    }
    lights->override_active = false;
    log_msg(LOG_INFO, "lights: host override ended; the schedule resumes");
    lights_tick(lights, now_ms);
}

int lights_test_level(struct lights *lights, const char *channel, double lightness, int64_t now_ms)
{
    if (!(lightness >= 0 && lightness <= 100)) {
        return -EINVAL;
    }
    int only = -1;
    if (channel != NULL) {
        only = find_channel(lights, channel);
        if (only < 0) {
            return -ENOENT;
        }
    }
    if (!lights->test_active) {
        for (int c = 0; c < lights->channel_count; c++) {
            lights->test_levels[c] = lights->levels[c];
        }
    }
    for (int c = 0; c < lights->channel_count; c++) {
        if (only < 0 || c == only) {
            lights->test_levels[c] = lightness;
        }
    }
    lights->test_active = true;
    lights->test_start_ms = now_ms;
    lights->test_until_ms = now_ms + LIGHTS_TEST_TIMEOUT_MS;
    lights_tick(lights, now_ms);
    return 0;
}

void lights_test_end(struct lights *lights, int64_t now_ms)
{
    if (!lights->test_active) {
        return;
    }
    lights->test_active = false;
    lights_tick(lights, now_ms);
}

void lights_status(const struct lights *lights, struct lights_status *out)
{
    memset(out, 0, sizeof *out);
    out->channel_count = lights->channel_count;
    for (int c = 0; c < lights->channel_count; c++) {
        const struct lights_channel *ch = &lights->channels[c];
        struct lights_channel_status *st = &out->channels[c];
        snprintf(st->name, sizeof st->name, "%s", ch->cfg.name);
        st->driver = lights_driver_name(ch->cfg.driver);
        st->degraded = ch->degraded;
        snprintf(st->problem, sizeof st->problem, "%s", ch->problem);
        st->level = lights->levels[c];
        st->target = lights->fade.to[c];
        st->output_percent = ch->output * 100.0;
    }
    int scene = scene_in_force(lights);
    if (scene >= 0) {
        snprintf(out->scene, sizeof out->scene, "%s", lights->scene_names[scene]);
    }
    out->override_active = lights->override_active;
    out->condition_active = lights->condition_scene >= 0;
    out->override_until_ms = lights->override_active ? lights->override_until_ms : 0;
    out->test_active = lights->test_active;
    out->fading = lights_fade_running(&lights->fade, lights->last_tick_ms);
    out->next_change_ms = lights->next_change_ms;
}

const char *lights_scene_name(const struct lights *lights, int index)
{
    if (index < 0 || index >= lights->scene_count) {
        return NULL;
    }
    return lights->scene_names[index];
}

static void close_channels(struct lights *lights)
{
    for (int c = 0; c < lights->channel_count; c++) {
        lights_driver_close(lights->channels[c].driver);
        lights->channels[c].driver = NULL;
    }
}

struct lights *lights_open(const struct lights_config *cfg_in, int64_t now_ms)
{
    struct lights *lights = calloc(1, sizeof *lights);
    struct lights_config *cfg = malloc(sizeof *cfg);
    if (lights == NULL || cfg == NULL) {
        goto out_free;
    }
    *cfg = *cfg_in;
    lights->condition_scene = -1;
    if (!cfg->checked) {
        lights_config_check(cfg, log_config_problem, NULL);
    }
    lights->fade_ms = (int64_t)cfg->fade_seconds * 1000;
    lights->pwm_hz = cfg->pwm_hz;
    lights->pwm_realtime = cfg->pwm_realtime;
    bool realtime_refused = false;
    for (int c = 0; c < cfg->channel_count; c++) {
        struct lights_channel *ch = &lights->channels[c];
        ch->cfg = cfg->channels[c];
        ch->safe_level = ch->cfg.safe_level >= 0 ? ch->cfg.safe_level : cfg->safe_level;
        lights->channel_count = c + 1;
        if (open_channel(ch, cfg, &realtime_refused) < 0) {
            goto out_close_channels;
        }
        ch->reopen_ms = now_ms + LIGHTS_REOPEN_MS;
    }
    if (realtime_refused) {
        log_msg(LOG_WARN,
                "lights: the PWM thread may not use real-time priority, so it runs at normal "
                "priority and can flicker under load (allow it with LimitRTPRIO=%d in the "
                "systemd unit, or set [lights] pwm_realtime = no to silence this)",
                LIGHTS_PWM_RT_PRIORITY);
    }
    resolve_scenes(lights, cfg);
    lights_schedule_build(&lights->schedule, cfg);
    free(cfg);
    cfg = NULL;

    double dark[LIGHTS_MAX_CHANNELS] = {0};
    lights_fade_init(&lights->fade, lights->channel_count, dark, now_ms);
    refresh_schedule(lights, now_ms);
    lights->last_tick_ms = now_ms;
    log_msg(LOG_INFO, "lights: %d channel(s), %d scene(s), %d schedule slot(s), GPIO via %s",
            lights->channel_count, lights->scene_count, lights->schedule.count,
            lights_gpio_backend());
    lights_tick(lights, now_ms);
    return lights;

out_close_channels:
    close_channels(lights);
out_free:
    free(cfg);
    free(lights);
    return NULL;
}

void lights_close(struct lights *lights)
{
    if (lights == NULL) {
        return;
    }
    for (int c = 0; c < lights->channel_count; c++) {
        struct lights_channel *ch = &lights->channels[c];
        double output =
            lights_curve_output(ch->safe_level, ch->cfg.min_percent, ch->cfg.max_percent);
        if (lights_driver_set(ch->driver, ch->safe_level, output) < 0) {
            log_msg(LOG_WARN, "lights: [light.%s] could not write its safe level %.0f",
                    ch->cfg.name, ch->safe_level);
        }
    }
    close_channels(lights);
    free(lights);
}
