/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_config: the [audio] and [audio.schedule] sections of oase.conf parsed into a plain
 * struct. Owns the syntax and the accepted range of every audio value; never touches SDL,
 * files, the clock or the log. The config module (config/config.c) hands it each key of those
 * sections and prefixes its messages with file:line and section.key = value.
 *
 * Levels are dB of the output's RMS relative to full scale: 20*log10(RMS of the samples,
 * full scale = 1.0), per channel. -26 means an RMS of 0.050. Nothing plays above cap_dbfs.
 *
 * Defaults (audio_config_defaults) describe a kiosk that plays the generated sea at
 * -26 dBFS on weekdays 08:00-17:00, quieter in the first and last half hour, silent
 * otherwise. The first [audio.schedule] line replaces the default schedule.
 */
#ifndef OASE_AUDIO_CONFIG_H
#define OASE_AUDIO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIO_SCHEDULE_MAX 32 /* "HH:MM LEVEL" entries, each with its set of days */
#define AUDIO_PATH_MAX 256
#define AUDIO_LEVEL_MIN_DB (-60.0) /* quietest level a host or the file may set */
#define AUDIO_CAP_MAX_DB (-6.0)    /* the cap itself can never be set above this */

enum audio_source {
    AUDIO_SOURCE_OFF,    /* silence */
    AUDIO_SOURCE_SEA,    /* slow swells of filtered noise */
    AUDIO_SOURCE_RAIN,   /* soft broadband rain with sparse drops */
    AUDIO_SOURCE_FOREST, /* wind with rare soft bird calls */
    AUDIO_SOURCE_MUSIC,  /* WAV files from music_dir, shuffled, crossfaded */
    AUDIO_SOURCE_COUNT,
};

enum audio_level_kind {
    AUDIO_LEVEL_DB,  /* db holds the level in dBFS */
    AUDIO_LEVEL_ON,  /* the [audio] volume_db */
    AUDIO_LEVEL_OFF, /* silence */
};

struct audio_schedule_entry {
    unsigned days;              /* bit 0 = Monday .. bit 6 = Sunday */
    int minute_of_day;          /* 0..1439, local time */
    enum audio_level_kind kind; /* a number, "on" or "off" */
    double db;                  /* AUDIO_LEVEL_DB: -60..-6 (played at most at the cap) */
};

struct audio_config {
    /* [audio] */
    enum audio_source source;            /* sea: what plays at start */
    bool seed_auto;                      /* yes: a new seed from the start time */
    uint32_t seed;                       /* soundscape and shuffle seed when !seed_auto */
    double cap_dbfs;                     /* -20, accepted -60..-6: nothing plays louder */
    double volume_db;                    /* -26, accepted -60..-6: the level "on" means */
    double fade_seconds;                 /* 5, accepted 0.5..600: host and source changes */
    double schedule_fade_seconds;        /* 30, accepted 0.5..3600: scheduled changes */
    double crossfade_seconds;            /* 6, accepted 0.5..60: between music tracks */
    char music_dir[AUDIO_PATH_MAX];      /* "" (none): folder of .wav files */
    double speech_db;                    /* -20, accepted -60..-6: speech, played at most at
                                            cap_dbfs */
    double speech_duck_db;               /* 12, accepted 0..40: the room is this much quieter
                                            while speech plays */
    char speech_program[AUDIO_PATH_MAX]; /* "espeak-ng"; "" (none): no speech */

    /* [audio.schedule] DAYS = HH:MM LEVEL[, HH:MM LEVEL...] */
    struct audio_schedule_entry schedule[AUDIO_SCHEDULE_MAX];
    int schedule_count; /* 0 = volume_db all day, every day */
    bool file_schedule; /* an [audio.schedule] line replaced the default schedule */
};

/* Fills cfg with the documented defaults (config/oase.conf (the audio sections)). Cannot fail. */
void audio_config_defaults(struct audio_config *cfg);

/*
 * Applies one key of an INI section. Returns 1 when the section is [audio] or
 * [audio.schedule] and the value was valid and stored; 0 when the section is not an audio
 * section (cfg untouched); -1 when the key is unknown or the value invalid: cfg is
 * unchanged and why holds what is accepted (e.g. "accepted: -60..-6 dBFS"), without file,
 * line or value. key and value may be NULL (a new-section call): the section is then only
 * recognised. why may be NULL.
 */
int audio_config_set(struct audio_config *cfg, const char *section, const char *key,
                     const char *value, char *why, size_t why_size);

/* Receives one message line (same shape as config/config.h's config_report_fn). */
typedef void (*audio_report_fn)(void *ctx, const char *message);

/*
 * Checks what needs more than one key, once the file is read: source = music without a
 * music_dir (an error: music_dir is left empty and the source becomes sea), a volume_db or
 * schedule level above cap_dbfs (a warning: it plays at the cap), a music_dir that is not
 * a readable folder now (a warning: the kiosk looks again whenever music is asked for; the
 * folder may be a mount that is not there yet). Each message goes through report (may be
 * NULL) without file or line, e.g. "[audio] volume_db = -10 is above cap_dbfs = -20: it
 * plays at -20". Returns the number of errors (warnings are not counted).
 */
int audio_config_check(struct audio_config *cfg, audio_report_fn report, void *ctx);

/* "off", "sea", "rain", "forest", "music"; "?" for an out-of-range value. */
const char *audio_source_name(enum audio_source source);

/* The source named name, or -1 when there is none. */
int audio_source_from_name(const char *name);

#endif
