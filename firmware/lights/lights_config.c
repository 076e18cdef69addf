/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_config: see lights_config.h. Config file -> config/config.c -> here, key by key;
 * lights_open() later reads the finished struct.
 */
#include "core/ini_value.h"
#include "core/week.h"
#include "core/why.h"
#include "lights/lights_config.h"
#include "lights/lights_drivers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MINUTES_PER_DAY 1440

/* Copies src into dst when it fits; returns false (dst untouched) when it does not. */
static bool copy_text(char *dst, size_t dst_size, const char *src)
{
    int n = snprintf(dst, dst_size, "%s", src);
    return n >= 0 && (size_t)n < dst_size;
}

static void channel_defaults(struct lights_channel_config *channel, const char *name)
{
    memset(channel, 0, sizeof *channel);
    copy_text(channel->name, sizeof channel->name, name);
    channel->driver = lights_driver_default();
    channel->min_percent = 0;
    channel->max_percent = 100;
    channel->threshold_percent = 50;
    channel->hysteresis_percent = 5;
    channel->steps = 100;
    channel->pwm_hz = 0;
    channel->safe_level = -1;
}

static void add_default_scene(struct lights_config *cfg, const char *name, double lightness)
{
    struct lights_scene_config *scene = &cfg->scenes[cfg->scene_count++];
    memset(scene, 0, sizeof *scene);
    copy_text(scene->name, sizeof scene->name, name);
    copy_text(scene->levels[0].channel, sizeof scene->levels[0].channel, LIGHTS_ALL_CHANNELS);
    scene->levels[0].lightness = lightness;
    scene->level_count = 1;
}

static void add_default_entry(struct lights_config *cfg, unsigned days, int minute,
                              const char *scene)
{
    struct lights_schedule_entry *entry = &cfg->schedule[cfg->schedule_count++];
    entry->days = days;
    entry->minute_of_day = minute;
    copy_text(entry->scene, sizeof entry->scene, scene);
}

void lights_config_defaults(struct lights_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->fade_seconds = 20;
    cfg->safe_level = 0;
    cfg->pwm_hz = 200;
    cfg->pwm_realtime = true;

    channel_defaults(&cfg->channels[0], "room");
    cfg->channel_count = 1;

    add_default_scene(cfg, "welcome", 70);
    add_default_scene(cfg, "quiet", 35);
    add_default_scene(cfg, "closed", 0);

    const unsigned weekdays = 0x1fu, weekend = 0x60u;
    add_default_entry(cfg, weekdays, 8 * 60, "welcome");
    add_default_entry(cfg, weekdays, 16 * 60, "quiet");
    add_default_entry(cfg, weekdays, 17 * 60, "closed");
    add_default_entry(cfg, weekend, 0, "closed");
}

/* Channel and scene names: 1..31 of [a-z0-9_-]. */
static bool valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= LIGHTS_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

/* GPIO line names and chip labels: printable, no spaces. */
static bool valid_token(const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n == 0 || n >= max) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (!isgraph(c)) {
            return false;
        }
    }
    return true;
}

static const char schedule_accepted[] =
    "accepted: DAYS = HH:MM SCENE[, HH:MM SCENE...], DAYS like *, mon-fri or sat,sun; "
    "times 00:00..23:59";

/* value "08:00 welcome, 16:00 quiet" for the days in key; all or nothing. */
static int set_schedule(struct lights_config *cfg, const char *key, const char *value, char *why,
                        size_t why_size)
{
    unsigned days;
    if (!week_parse_days(key, &days)) {
        why_set(why, why_size, "days not understood; %s", schedule_accepted);
        return -1;
    }
    struct lights_schedule_entry parsed[LIGHTS_MAX_SCHEDULE];
    int count = 0;
    const char *p = value, *name;
    size_t name_len;
    struct lights_schedule_entry entry = {.days = days};
    int more;
    while ((more = week_next_entry(&p, &entry.minute_of_day, &name, &name_len)) == 1) {
        if (name_len >= sizeof entry.scene) {
            why_set(why, why_size, "scene name longer than %d characters; %s", LIGHTS_NAME_MAX - 1,
                    schedule_accepted);
            return -1;
        }
        memcpy(entry.scene, name, name_len);
        entry.scene[name_len] = '\0';
        if (!valid_name(entry.scene)) {
            why_set(why, why_size, "scene names use a-z, 0-9, _ and -; %s", schedule_accepted);
            return -1;
        }
        if (count >= LIGHTS_MAX_SCHEDULE) {
            why_set(why, why_size, "at most %d schedule entries", LIGHTS_MAX_SCHEDULE);
            return -1;
        }
        parsed[count++] = entry;
    }
    if (more < 0 || count == 0) {
        why_set(why, why_size, "%s", schedule_accepted);
        return -1;
    }
    int base = cfg->file_schedule ? cfg->schedule_count : 0;
    if (base + count > LIGHTS_MAX_SCHEDULE) {
        why_set(why, why_size, "at most %d schedule entries in [schedule]", LIGHTS_MAX_SCHEDULE);
        return -1;
    }
    memcpy(&cfg->schedule[base], parsed, (size_t)count * sizeof parsed[0]);
    cfg->schedule_count = base + count;
    cfg->file_schedule = true;
    return 1;
}

static int set_general(struct lights_config *cfg, const char *key, const char *value, char *why,
                       size_t why_size)
{
    if (strcmp(key, "fade_seconds") == 0) {
        if (!ini_value_int(value, 0, 600, &cfg->fade_seconds)) {
            why_set(why, why_size, "accepted: 0..600 seconds (whole seconds)");
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "safe_level") == 0) {
        if (!ini_value_double(value, 0, 100, &cfg->safe_level)) {
            why_set(why, why_size, "accepted: 0..100 (lightness L*)");
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "pwm_hz") == 0) {
        if (!ini_value_int(value, 50, 2000, &cfg->pwm_hz)) {
            why_set(why, why_size, "accepted: 50..2000 Hz");
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "pwm_realtime") == 0) {
        if (!ini_value_bool(value, &cfg->pwm_realtime)) {
            why_set(why, why_size, "accepted: yes or no");
            return -1;
        }
        return 1;
    }
    why_set(why, why_size,
            "unknown key; [lights] has fade_seconds, safe_level, pwm_hz, "
            "pwm_realtime");
    return -1;
}

static struct lights_channel_config *find_or_add_channel(struct lights_config *cfg,
                                                         const char *name)
{
    if (!cfg->file_channels) {
        cfg->channel_count = 0;
        cfg->file_channels = true;
    }
    for (int i = 0; i < cfg->channel_count; i++) {
        if (strcmp(cfg->channels[i].name, name) == 0) {
            return &cfg->channels[i];
        }
    }
    if (cfg->channel_count >= LIGHTS_MAX_CHANNELS) {
        return NULL;
    }
    struct lights_channel_config *channel = &cfg->channels[cfg->channel_count++];
    channel_defaults(channel, name);
    return channel;
}

static int set_line_name(char *dst, size_t dst_size, const char *value, char *why, size_t why_size)
{
    if (!valid_token(value, dst_size)) {
        why_set(why, why_size,
                "accepted: a GPIO line name without spaces, at most %zu characters "
                "(e.g. GPIO17; list them with gpioinfo)",
                dst_size - 1);
        return -1;
    }
    copy_text(dst, dst_size, value);
    return 1;
}

static int set_channel_key(struct lights_channel_config *ch, const char *key, const char *value,
                           char *why, size_t why_size)
{
    struct lights_channel_config c = *ch; /* edited copy: ch changes only when valid */
    if (strcmp(key, "driver") == 0) {
        const struct lights_driver_info *driver = lights_driver_find(value);
        if (driver != NULL) {
            ch->driver = driver;
            return 1;
        }
        char names[128];
        lights_driver_names(names, sizeof names);
        why_set(why, why_size, "accepted: %s", names);
        return -1;
    } else if (strcmp(key, "chip") == 0) {
        if (!valid_token(value, sizeof c.chip)) {
            why_set(why, why_size,
                    "accepted: a GPIO chip label without spaces (gpiodetect "
                    "shows labels in brackets), or leave the key out");
            return -1;
        }
        copy_text(c.chip, sizeof c.chip, value);
    } else if (strcmp(key, "line") == 0) {
        if (set_line_name(c.line, sizeof c.line, value, why, why_size) < 0) {
            return -1;
        }
    } else if (strcmp(key, "cs") == 0) {
        if (set_line_name(c.cs_line, sizeof c.cs_line, value, why, why_size) < 0) {
            return -1;
        }
    } else if (strcmp(key, "inc") == 0) {
        if (set_line_name(c.inc_line, sizeof c.inc_line, value, why, why_size) < 0) {
            return -1;
        }
    } else if (strcmp(key, "ud") == 0) {
        if (set_line_name(c.ud_line, sizeof c.ud_line, value, why, why_size) < 0) {
            return -1;
        }
    } else if (strcmp(key, "active_low") == 0) {
        if (!ini_value_bool(value, &c.active_low)) {
            why_set(why, why_size, "accepted: yes or no");
            return -1;
        }
    } else if (strcmp(key, "min_percent") == 0) {
        if (!ini_value_double(value, 0, 100, &c.min_percent)) {
            why_set(why, why_size, "accepted: 0..100 (percent of full output)");
            return -1;
        }
    } else if (strcmp(key, "max_percent") == 0) {
        if (!ini_value_double(value, 1, 100, &c.max_percent)) {
            why_set(why, why_size, "accepted: 1..100 (percent of full output)");
            return -1;
        }
    } else if (strcmp(key, "threshold_percent") == 0) {
        if (!ini_value_double(value, 1, 100, &c.threshold_percent)) {
            why_set(why, why_size, "accepted: 1..100 (lightness L* at which the relay closes)");
            return -1;
        }
    } else if (strcmp(key, "hysteresis_percent") == 0) {
        if (!ini_value_double(value, 0, 50, &c.hysteresis_percent)) {
            why_set(why, why_size, "accepted: 0..50 (L* below the threshold before it opens)");
            return -1;
        }
    } else if (strcmp(key, "steps") == 0) {
        if (!ini_value_int(value, 2, 1024, &c.steps)) {
            why_set(why, why_size, "accepted: 2..1024 wiper taps (X9C102/103/104: 100)");
            return -1;
        }
    } else if (strcmp(key, "pwm_hz") == 0) {
        if (!ini_value_int(value, 50, 2000, &c.pwm_hz)) {
            why_set(why, why_size, "accepted: 50..2000 Hz");
            return -1;
        }
    } else if (strcmp(key, "safe_level") == 0) {
        if (!ini_value_double(value, 0, 100, &c.safe_level)) {
            why_set(why, why_size, "accepted: 0..100 (lightness L*)");
            return -1;
        }
    } else {
        why_set(why, why_size,
                "unknown key; [light.NAME] has driver, chip, line, cs, inc, ud, active_low, "
                "min_percent, max_percent, threshold_percent, hysteresis_percent, steps, "
                "pwm_hz, safe_level");
        return -1;
    }
    *ch = c;
    return 1;
}

static int set_channel(struct lights_config *cfg, const char *name, const char *key,
                       const char *value, char *why, size_t why_size)
{
    if (!valid_name(name)) {
        why_set(why, why_size,
                "accepted: channel names of a-z, 0-9, _ and -, at most %d characters",
                LIGHTS_NAME_MAX - 1);
        return -1;
    }
    struct lights_channel_config *channel = find_or_add_channel(cfg, name);
    if (channel == NULL) {
        why_set(why, why_size, "at most %d [light.NAME] channels", LIGHTS_MAX_CHANNELS);
        return -1;
    }
    if (key == NULL || value == NULL) {
        return 1;
    }
    return set_channel_key(channel, key, value, why, why_size);
}

static int set_scene(struct lights_config *cfg, const char *name, const char *key,
                     const char *value, char *why, size_t why_size)
{
    if (!valid_name(name)) {
        why_set(why, why_size, "accepted: scene names of a-z, 0-9, _ and -, at most %d characters",
                LIGHTS_NAME_MAX - 1);
        return -1;
    }
    if (!cfg->file_scenes) {
        cfg->scene_count = 0;
        cfg->file_scenes = true;
    }
    struct lights_scene_config *scene = NULL;
    for (int i = 0; i < cfg->scene_count; i++) {
        if (strcmp(cfg->scenes[i].name, name) == 0) {
            scene = &cfg->scenes[i];
        }
    }
    if (scene == NULL) {
        if (cfg->scene_count >= LIGHTS_MAX_SCENES) {
            why_set(why, why_size, "at most %d [scene.NAME] sections", LIGHTS_MAX_SCENES);
            return -1;
        }
        scene = &cfg->scenes[cfg->scene_count++];
        memset(scene, 0, sizeof *scene);
        copy_text(scene->name, sizeof scene->name, name);
    }
    if (key == NULL || value == NULL) {
        return 1;
    }
    if (strcmp(key, LIGHTS_ALL_CHANNELS) != 0 && !valid_name(key)) {
        why_set(why, why_size, "accepted: a channel name (a-z, 0-9, _, -) or * as the key");
        return -1;
    }
    double lightness;
    if (!ini_value_double(value, 0, 100, &lightness)) {
        why_set(why, why_size, "accepted: 0..100 (perceived lightness L*; 0 = off)");
        return -1;
    }
    for (int i = 0; i < scene->level_count; i++) {
        if (strcmp(scene->levels[i].channel, key) == 0) {
            scene->levels[i].lightness = lightness;
            return 1;
        }
    }
    if (scene->level_count >= LIGHTS_MAX_CHANNELS + 1) {
        why_set(why, why_size, "at most %d channels and * in one scene", LIGHTS_MAX_CHANNELS);
        return -1;
    }
    struct lights_scene_level *level = &scene->levels[scene->level_count++];
    copy_text(level->channel, sizeof level->channel, key);
    level->lightness = lightness;
    return 1;
}

int lights_config_set(struct lights_config *cfg, const char *section, const char *key,
                      const char *value, char *why, size_t why_size)
{
    why_set(why, why_size, "%s", "");
    if (section == NULL) {
        return 0;
    }
    cfg->checked = false; /* harmless for other sections: they never reach lights_open */
    if (strcmp(section, "lights") == 0) {
        return key == NULL || value == NULL ? 1 : set_general(cfg, key, value, why, why_size);
    }
    if (strncmp(section, "light.", 6) == 0) {
        return set_channel(cfg, section + 6, key, value, why, why_size);
    }
    if (strncmp(section, "scene.", 6) == 0) {
        return set_scene(cfg, section + 6, key, value, why, why_size);
    }
    if (strcmp(section, "schedule") == 0) {
        return key == NULL || value == NULL ? 1 : set_schedule(cfg, key, value, why, why_size);
    }
    return 0;
}

static void report_line(lights_report_fn report, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_line(lights_report_fn report, void *ctx, const char *fmt, ...)
{
    if (report == NULL) {
        return;
    }
    char message[512];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    if (n >= 0) {
        report(ctx, message);
    }
}

static int channel_index(const struct lights_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->channel_count; i++) {
        if (strcmp(cfg->channels[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static int scene_index(const struct lights_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->scene_count; i++) {
        if (strcmp(cfg->scenes[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

/* The value of a channel's line key (the keys a driver row names), "" for another key. */
static const char *channel_line_value(const struct lights_channel_config *ch, const char *key)
{
    if (strcmp(key, "line") == 0) {
        return ch->line;
    } else if (strcmp(key, "cs") == 0) {
        return ch->cs_line;
    } else if (strcmp(key, "inc") == 0) {
        return ch->inc_line;
    } else if (strcmp(key, "ud") == 0) {
        return ch->ud_line;
    }
    return "";
}

/* The lines a channel's driver needs, with their key names; returns how many. */
static int channel_lines(const struct lights_channel_config *ch,
                         const char *lines[LIGHTS_DRIVER_MAX_LINES],
                         const char *keys[LIGHTS_DRIVER_MAX_LINES])
{
    int n = lights_driver_line_count(ch->driver);
    for (int i = 0; i < n; i++) {
        keys[i] = ch->driver->line_keys[i];
        lines[i] = channel_line_value(ch, keys[i]);
    }
    return n;
}

static int check_channels(struct lights_config *cfg, lights_report_fn report, void *ctx)
{
    int errors = 0;
    for (int i = 0; i < cfg->channel_count; i++) {
        struct lights_channel_config *ch = &cfg->channels[i];
        if (ch->min_percent >= ch->max_percent) {
            report_line(report, ctx,
                        "[light.%s] min_percent = %g, max_percent = %g: min_percent must be "
                        "below max_percent; using 0 and 100",
                        ch->name, ch->min_percent, ch->max_percent);
            ch->min_percent = 0;
            ch->max_percent = 100;
            errors++;
        }
        const char *lines[LIGHTS_DRIVER_MAX_LINES], *keys[LIGHTS_DRIVER_MAX_LINES];
        int n = channel_lines(ch, lines, keys);
        bool broken = false;
        for (int k = 0; k < n && !broken; k++) {
            if (lines[k][0] == '\0') {
                report_line(report, ctx,
                            "[light.%s] driver = %s needs %s = <GPIO line name>; the channel "
                            "is simulated",
                            ch->name, lights_driver_name(ch->driver), keys[k]);
                broken = true;
                continue;
            }
            /* A line may serve one purpose only: in this channel or any earlier one. */
            for (int j = 0; j <= i && !broken; j++) {
                const struct lights_channel_config *other = &cfg->channels[j];
                const char *other_lines[LIGHTS_DRIVER_MAX_LINES];
                const char *other_keys[LIGHTS_DRIVER_MAX_LINES];
                int m = channel_lines(other, other_lines, other_keys);
                for (int o = 0; o < m; o++) {
                    if ((j == i && o >= k) || strcmp(other->chip, ch->chip) != 0 ||
                        strcmp(other_lines[o], lines[k]) != 0) {
                        continue;
                    }
                    report_line(report, ctx,
                                "[light.%s] %s = %s: line already used by [light.%s] %s; the "
                                "channel is simulated",
                                ch->name, keys[k], lines[k], other->name, other_keys[o]);
                    broken = true;
                    break;
                }
            }
        }
        if (broken) {
            ch->driver = lights_driver_default();
            errors++;
        }
    }
    return errors;
}

static void channel_list(const struct lights_config *cfg, char *out, size_t out_size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < cfg->channel_count; i++) {
        int n = snprintf(out + used, out_size - used, "%s%s", i ? ", " : "", cfg->channels[i].name);
        if (n < 0 || (size_t)n >= out_size - used) {
            return;
        }
        used += (size_t)n;
    }
}

static int check_scenes(struct lights_config *cfg, lights_report_fn report, void *ctx)
{
    int errors = 0;
    char channels[LIGHTS_MAX_CHANNELS * (LIGHTS_NAME_MAX + 2)];
    channel_list(cfg, channels, sizeof channels);
    for (int s = 0; s < cfg->scene_count; s++) {
        struct lights_scene_config *scene = &cfg->scenes[s];
        bool has_all = false;
        for (int i = 0; i < scene->level_count;) {
            struct lights_scene_level *level = &scene->levels[i];
            if (strcmp(level->channel, LIGHTS_ALL_CHANNELS) == 0) {
                has_all = true;
                i++;
                continue;
            }
            if (channel_index(cfg, level->channel) >= 0) {
                i++;
                continue;
            }
            report_line(report, ctx,
                        "[scene.%s] %s = %g: there is no [light.%s] section (channels: %s)",
                        scene->name, level->channel, level->lightness, level->channel, channels);
            errors++;
            memmove(level, level + 1, (size_t)(scene->level_count - i - 1) * sizeof *level);
            scene->level_count--;
        }
        for (int c = 0; c < cfg->channel_count && !has_all; c++) {
            bool named = false;
            for (int i = 0; i < scene->level_count; i++) {
                named = named || strcmp(scene->levels[i].channel, cfg->channels[c].name) == 0;
            }
            if (!named) {
                report_line(report, ctx,
                            "warning: [scene.%s] does not name channel %s: it is off in this "
                            "scene (add %s = 0..100, or * = 0..100 for every channel)",
                            scene->name, cfg->channels[c].name, cfg->channels[c].name);
            }
        }
    }
    return errors;
}

static int check_schedule(struct lights_config *cfg, lights_report_fn report, void *ctx)
{
    int errors = 0;
    char scenes[LIGHTS_MAX_SCENES * (LIGHTS_NAME_MAX + 2)];
    size_t used = 0;
    scenes[0] = '\0';
    for (int i = 0; i < cfg->scene_count; i++) {
        int n = snprintf(scenes + used, sizeof scenes - used, "%s%s", i ? ", " : "",
                         cfg->scenes[i].name);
        if (n < 0 || (size_t)n >= sizeof scenes - used) {
            break;
        }
        used += (size_t)n;
    }
    for (int i = 0; i < cfg->schedule_count;) {
        struct lights_schedule_entry *entry = &cfg->schedule[i];
        if (scene_index(cfg, entry->scene) >= 0 && entry->days != 0) {
            i++;
            continue;
        }
        if (cfg->file_schedule) {
            report_line(report, ctx,
                        "[schedule] %02d:%02d %s: there is no [scene.%s] section (scenes: %s); "
                        "entry ignored",
                        entry->minute_of_day / 60, entry->minute_of_day % 60, entry->scene,
                        entry->scene, scenes);
        } else {
            report_line(report, ctx,
                        "the default schedule uses scene %s at %02d:%02d, which the [scene.*] "
                        "sections do not define (scenes: %s): write a [schedule] section",
                        entry->scene, entry->minute_of_day / 60, entry->minute_of_day % 60, scenes);
        }
        errors++;
        memmove(entry, entry + 1, (size_t)(cfg->schedule_count - i - 1) * sizeof *entry);
        cfg->schedule_count--;
    }
    return errors;
}

int lights_config_check(struct lights_config *cfg, lights_report_fn report, void *ctx)
{
    int errors = check_channels(cfg, report, ctx);
    errors += check_scenes(cfg, report, ctx);
    errors += check_schedule(cfg, report, ctx);
    cfg->checked = true;
    return errors;
}
