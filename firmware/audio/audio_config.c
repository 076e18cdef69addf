/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_config: see audio_config.h. Config file -> config/config.c -> here, key by key;
 * audio_open() later reads the finished struct.
 */
#include "core/week.h"
#include "core/why.h"
#include "audio/audio_config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define WEEKDAYS 0x1fu
#define WEEKEND 0x60u

static const char *const audio_source_names[AUDIO_SOURCE_COUNT] = {
    [AUDIO_SOURCE_OFF] = "off",       [AUDIO_SOURCE_SEA] = "sea",     [AUDIO_SOURCE_RAIN] = "rain",
    [AUDIO_SOURCE_FOREST] = "forest", [AUDIO_SOURCE_MUSIC] = "music",
};

static const char schedule_accepted[] =
    "accepted: DAYS = HH:MM LEVEL[, HH:MM LEVEL...], DAYS like *, mon-fri or sat,sun; "
    "times 00:00..23:59; LEVEL -60..-6 (dBFS), on (= volume_db) or off";

const char *audio_source_name(enum audio_source source)
{
    if ((int)source < 0 || source >= AUDIO_SOURCE_COUNT) {
        return "?";
    }
    return audio_source_names[source];
}

int audio_source_from_name(const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < AUDIO_SOURCE_COUNT; i++) {
        if (strcasecmp(name, audio_source_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static void add_default_entry(struct audio_config *cfg, unsigned days, int minute,
                              enum audio_level_kind kind, double db)
{
    struct audio_schedule_entry *entry = &cfg->schedule[cfg->schedule_count++];
    entry->days = days;
    entry->minute_of_day = minute;
    entry->kind = kind;
    entry->db = db;
}

void audio_config_defaults(struct audio_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->source = AUDIO_SOURCE_SEA;
    cfg->seed_auto = true;
    cfg->seed = 0;
    cfg->cap_dbfs = -20.0;
    cfg->volume_db = -26.0;
    cfg->fade_seconds = 5.0;
    cfg->schedule_fade_seconds = 30.0;
    cfg->crossfade_seconds = 6.0;
    cfg->music_dir[0] = '\0';
    cfg->speech_db = -20.0;
    cfg->speech_duck_db = 12.0;
    snprintf(cfg->speech_program, sizeof cfg->speech_program, "espeak-ng");
    /* mon-fri = 08:00 -32, 08:30 on, 16:30 -32, 17:00 off; sat,sun = 00:00 off */
    add_default_entry(cfg, WEEKDAYS, 8 * 60, AUDIO_LEVEL_DB, -32.0);
    add_default_entry(cfg, WEEKDAYS, 8 * 60 + 30, AUDIO_LEVEL_ON, 0.0);
    add_default_entry(cfg, WEEKDAYS, 16 * 60 + 30, AUDIO_LEVEL_DB, -32.0);
    add_default_entry(cfg, WEEKDAYS, 17 * 60, AUDIO_LEVEL_OFF, 0.0);
    add_default_entry(cfg, WEEKEND, 0, AUDIO_LEVEL_OFF, 0.0);
    cfg->file_schedule = false;
}

/* A finite number, optionally followed by "dB" or "dBFS"; nothing else. */
static bool parse_db(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || errno != 0 || !isfinite(value)) {
        return false;
    }
    while (*end == ' ') {
        end++;
    }
    if (strcasecmp(end, "db") == 0 || strcasecmp(end, "dbfs") == 0) {
        end += strlen(end);
    }
    if (*end != '\0') {
        return false;
    }
    *out = value;
    return true;
}

static int set_db(double *field, const char *value, double min, double max, const char *unit,
                  char *why, size_t why_size)
{
    double db;
    if (!parse_db(value, &db) || db < min || db > max) {
        why_set(why, why_size, "accepted: %g..%g %s", min, max, unit);
        return -1;
    }
    *field = db;
    return 1;
}

static int set_seconds(double *field, const char *value, double min, double max, char *why,
                       size_t why_size)
{
    char *end = NULL;
    errno = 0;
    double seconds = strtod(value, &end);
    if (end == value || *end != '\0' || errno != 0 || !isfinite(seconds) || seconds < min ||
        seconds > max) {
        why_set(why, why_size, "accepted: %g..%g seconds", min, max);
        return -1;
    }
    *field = seconds;
    return 1;
}

static int set_seed(struct audio_config *cfg, const char *value, char *why, size_t why_size)
{
    if (strcasecmp(value, "auto") == 0) {
        cfg->seed_auto = true;
        return 1;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long seed = strtoull(value, &end, 10);
    if (value[0] == '-' || end == value || *end != '\0' || errno != 0 || seed > UINT32_MAX) {
        why_set(why, why_size, "accepted: auto, or a whole number 0..4294967295");
        return -1;
    }
    cfg->seed_auto = false;
    cfg->seed = (uint32_t)seed;
    return 1;
}

static int set_music_dir(struct audio_config *cfg, const char *value, char *why, size_t why_size)
{
    if (strcasecmp(value, "none") == 0 || value[0] == '\0') {
        cfg->music_dir[0] = '\0';
        return 1;
    }
    size_t len = strlen(value);
    if (len >= sizeof cfg->music_dir) {
        why_set(why, why_size, "accepted: none, or a folder path of 1 to %zu bytes",
                sizeof cfg->music_dir - 1);
        return -1;
    }
    memcpy(cfg->music_dir, value, len + 1);
    return 1;
}

static int set_general(struct audio_config *cfg, const char *key, const char *value, char *why,
                       size_t why_size)
{
    if (strcmp(key, "source") == 0) {
        int source = audio_source_from_name(value);
        if (source < 0) {
            why_set(why, why_size, "accepted: sea, rain, forest, music or off");
            return -1;
        }
        cfg->source = (enum audio_source)source;
        return 1;
    }
    if (strcmp(key, "seed") == 0) {
        return set_seed(cfg, value, why, why_size);
    }
    if (strcmp(key, "cap_dbfs") == 0) {
        return set_db(&cfg->cap_dbfs, value, AUDIO_LEVEL_MIN_DB, AUDIO_CAP_MAX_DB,
                      "dBFS (never louder than -6)", why, why_size);
    }
    if (strcmp(key, "volume_db") == 0) {
        return set_db(&cfg->volume_db, value, AUDIO_LEVEL_MIN_DB, AUDIO_CAP_MAX_DB,
                      "dBFS (played at most at cap_dbfs)", why, why_size);
    }
    if (strcmp(key, "fade_seconds") == 0) {
        return set_seconds(&cfg->fade_seconds, value, 0.5, 600.0, why, why_size);
    }
    if (strcmp(key, "schedule_fade_seconds") == 0) {
        return set_seconds(&cfg->schedule_fade_seconds, value, 0.5, 3600.0, why, why_size);
    }
    if (strcmp(key, "crossfade_seconds") == 0) {
        return set_seconds(&cfg->crossfade_seconds, value, 0.5, 60.0, why, why_size);
    }
    if (strcmp(key, "music_dir") == 0) {
        return set_music_dir(cfg, value, why, why_size);
    }
    if (strcmp(key, "speech_db") == 0) {
        return set_db(&cfg->speech_db, value, AUDIO_LEVEL_MIN_DB, AUDIO_CAP_MAX_DB,
                      "dBFS (played at most at cap_dbfs)", why, why_size);
    }
    if (strcmp(key, "speech_duck_db") == 0) {
        return set_db(&cfg->speech_duck_db, value, 0.0, 40.0, "dB (0 = not lowered)", why,
                      why_size);
    }
    if (strcmp(key, "speech_program") == 0) {
        size_t len = strlen(value);
        if (len == 0 || len >= sizeof cfg->speech_program) {
            why_set(why, why_size, "accepted: none, or a program name or path of 1 to 255 bytes");
            return -1;
        }
        snprintf(cfg->speech_program, sizeof cfg->speech_program, "%s",
                 strcmp(value, "none") == 0 ? "" : value);
        return 1;
    }
    why_set(why, why_size,
            "unknown key; accepted: source, seed, cap_dbfs, volume_db, fade_seconds, "
            "schedule_fade_seconds, crossfade_seconds, music_dir, speech_db, speech_duck_db, "
            "speech_program");
    return -1;
}

/* "-26", "-26dB", "on", "off" (the text between a time and the next ',' or the end). */
static bool parse_level(const char *text, size_t len, struct audio_schedule_entry *entry)
{
    char level[32];
    if (len == 0 || len >= sizeof level) {
        return false;
    }
    memcpy(level, text, len);
    level[len] = '\0';
    if (strcasecmp(level, "on") == 0) {
        entry->kind = AUDIO_LEVEL_ON;
        return true;
    }
    if (strcasecmp(level, "off") == 0) {
        entry->kind = AUDIO_LEVEL_OFF;
        return true;
    }
    double db;
    if (!parse_db(level, &db) || db < AUDIO_LEVEL_MIN_DB || db > AUDIO_CAP_MAX_DB) {
        return false;
    }
    entry->kind = AUDIO_LEVEL_DB;
    entry->db = db;
    return true;
}

/* key "mon-fri", value "08:00 -32, 08:30 on, 17:00 off"; all or nothing. */
static int set_schedule(struct audio_config *cfg, const char *key, const char *value, char *why,
                        size_t why_size)
{
    unsigned days;
    if (!week_parse_days(key, &days)) {
        why_set(why, why_size, "days not understood; %s", schedule_accepted);
        return -1;
    }
    struct audio_schedule_entry parsed[AUDIO_SCHEDULE_MAX];
    int count = 0;
    const char *p = value, *level;
    size_t level_len;
    struct audio_schedule_entry entry = {.days = days};
    int more;
    while ((more = week_next_entry(&p, &entry.minute_of_day, &level, &level_len)) == 1) {
        if (!parse_level(level, level_len, &entry)) {
            why_set(why, why_size, "level not understood; %s", schedule_accepted);
            return -1;
        }
        if (count >= AUDIO_SCHEDULE_MAX) {
            why_set(why, why_size, "at most %d schedule entries", AUDIO_SCHEDULE_MAX);
            return -1;
        }
        parsed[count++] = entry;
    }
    if (more < 0 || count == 0) {
        why_set(why, why_size, "%s", schedule_accepted);
        return -1;
    }
    int base = cfg->file_schedule ? cfg->schedule_count : 0;
    if (base + count > AUDIO_SCHEDULE_MAX) {
        why_set(why, why_size, "at most %d entries in [audio.schedule]", AUDIO_SCHEDULE_MAX);
        return -1;
    }
    memcpy(&cfg->schedule[base], parsed, (size_t)count * sizeof parsed[0]);
    cfg->schedule_count = base + count;
    cfg->file_schedule = true;
    return 1;
}

int audio_config_set(struct audio_config *cfg, const char *section, const char *key,
                     const char *value, char *why, size_t why_size)
{
    why_set(why, why_size, "%s", "");
    if (section == NULL) {
        return 0;
    }
    if (strcmp(section, "audio") == 0) {
        return key == NULL || value == NULL ? 1 : set_general(cfg, key, value, why, why_size);
    }
    if (strcmp(section, "audio.schedule") == 0) {
        return key == NULL || value == NULL ? 1 : set_schedule(cfg, key, value, why, why_size);
    }
    return 0;
}

static void report_line(audio_report_fn report, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report_line(audio_report_fn report, void *ctx, const char *fmt, ...)
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

int audio_config_check(struct audio_config *cfg, audio_report_fn report, void *ctx)
{
    int errors = 0;
    if (cfg->source == AUDIO_SOURCE_MUSIC && cfg->music_dir[0] == '\0') {
        report_line(report, ctx,
                    "[audio] source = music needs music_dir = FOLDER of .wav files; sea plays "
                    "instead");
        cfg->source = AUDIO_SOURCE_SEA;
        errors++;
    }
    if (cfg->volume_db > cfg->cap_dbfs) {
        report_line(report, ctx,
                    "warning: [audio] volume_db = %g is above cap_dbfs = %g: it plays at %g",
                    cfg->volume_db, cfg->cap_dbfs, cfg->cap_dbfs);
    }
    for (int i = 0; i < cfg->schedule_count; i++) {
        const struct audio_schedule_entry *entry = &cfg->schedule[i];
        if (entry->kind == AUDIO_LEVEL_DB && entry->db > cfg->cap_dbfs) {
            report_line(report, ctx,
                        "warning: [audio.schedule] %02d:%02d %g is above cap_dbfs = %g: it "
                        "plays at %g",
                        entry->minute_of_day / 60, entry->minute_of_day % 60, entry->db,
                        cfg->cap_dbfs, cfg->cap_dbfs);
        }
    }
    if (cfg->music_dir[0] != '\0') {
        struct stat st;
        const char *problem = NULL;
        if (stat(cfg->music_dir, &st) != 0 || access(cfg->music_dir, R_OK | X_OK) != 0) {
            problem = strerror(errno);
        } else if (!S_ISDIR(st.st_mode)) {
            problem = "not a folder";
        }
        if (problem != NULL) {
            report_line(report, ctx,
                        "warning: [audio] music_dir = %s: %s; music stays silent until the "
                        "folder is there",
                        cfg->music_dir, problem);
        }
    }
    return errors;
}
