/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio: the room's sound. Owns the SDL audio device, the generated soundscapes (sea,
 * rain, forest), the music playlist, the master level with its cap, its slow fades and its
 * weekly schedule, and the host's choices of source and level. Time is kiosk time
 * (core/clock.h, possibly simulated), handed in by the caller; audio never reads a clock
 * for the schedule. A missing sound card never stops the kiosk: it runs silently and says
 * so once, looks for a device again every 30 s and plays again when one appears.
 *
 * Threading: every function here is called from the main-loop thread only (a web or host
 * thread passes its request through the main loop). Two more threads run inside: SDL's
 * audio callback, which only renders (audio_mixer.h: no allocation, no blocking lock, no
 * file I/O; parameters reach it through C11 atomics), and the music loader, which decodes
 * files ahead into a lock-free ring (audio_playlist.h).
 *
 * Flow: main loop -> audio_tick(now) -> schedule / host override -> level request ->
 * [audio callback] audio_mixer: soundscape or music ring -> crossfade -> level -> limiter.
 *
 * Levels are dB of the output RMS relative to full scale (audio_config.h); the cap
 * (cap_dbfs, at most -6) bounds every level a host, the schedule or the file can ask for,
 * and the limiter keeps every sample below -1 dBFS.
 */
#ifndef OASE_AUDIO_H
#define OASE_AUDIO_H

#include <stdbool.h>
#include <stdint.h>

#include "audio/audio_config.h"

#define AUDIO_DEVICE_RATE 48000  /* asked of the device; another rate it offers is used */
#define AUDIO_DEVICE_FRAMES 2048 /* frames per callback: about 43 ms at 48 kHz */
#define AUDIO_ERROR_MAX 320
#define AUDIO_SOURCE_NAME_MAX 16

struct audio;

struct audio_status {
    bool device_ok;                        /* a sound device plays; false: the kiosk is silent */
    int sample_rate;                       /* Hz of the device (or offline render); 0 = none */
    char source[AUDIO_SOURCE_NAME_MAX];    /* playing, or fading in: "sea", ..., "off" */
    char requested[AUDIO_SOURCE_NAME_MAX]; /* last asked for (music may still be loading) */
    bool silent;                           /* the level is at silence now */
    double level_db;                       /* level now, when !silent */
    bool target_silent;                    /* the level is going to silence */
    double target_db;                      /* where the level is going, when !target_silent */
    double cap_db;                         /* nothing plays louder */
    bool override_active;             /* the host's level holds until the next scheduled change */
    int64_t next_change_ms;           /* next scheduled change, kiosk time; INT64_MAX = none */
    uint32_t underruns;               /* times the music ran dry while heard (should stay 0) */
    int music_files;                  /* .wav files in music_dir at the last scan */
    int music_skipped;                /* files refused (each logged once) */
    char track[256];                  /* music file being decoded; "" = none */
    char last_error[AUDIO_ERROR_MAX]; /* the last problem, for the host page; "" = none */
};

/*
 * Opens the sound device (SDL audio, 48 kHz stereo float, or the rate the device offers)
 * and starts the level from silence, fading to what the schedule (or volume_db) puts in
 * force at now_ms over fade_seconds. cfg is copied. Without a usable device it logs once
 * "no audio device: the kiosk runs silently" with SDL's reason and returns a handle on
 * which every call works and nothing sounds. Returns NULL only when out of memory.
 * audio_tick() then opens a device every 30 s of kiosk time until one works (logged once
 * when it does), and notices a device that goes away while playing (unplugged: logged
 * once, silent, looked for again every 30 s).
 */
struct audio *audio_open(const struct audio_config *cfg, int64_t now_ms);

/*
 * The same engine without a device, for tests and the bench: nothing plays until the
 * caller renders with audio_render(), and music files are decoded in the caller's thread
 * (deterministic). sample_rate 8000..192000. Returns NULL when out of memory or for a
 * rate out of range.
 */
struct audio *audio_open_offline(const struct audio_config *cfg, int64_t now_ms, int sample_rate);

/*
 * Offline handles only: renders frames interleaved stereo float frames through the mixer
 * the SDL callback uses. Returns 0, or -EBUSY on a device handle (its callback renders).
 */
int audio_render(struct audio *audio, float *stereo, int frames);

/*
 * Follows the schedule at now_ms: when a new entry comes into force it ends the host's
 * override and fades (schedule_fade_seconds) to the entry's level. Also starts music once
 * enough is decoded. Call it at audio_next_deadline_ms() or sooner; more often is harmless.
 */
void audio_tick(struct audio *audio, int64_t now_ms);

/* Kiosk time at which audio_tick() must run next (the next minute; 100 ms while music
 * loads). Never earlier than now_ms. */
int64_t audio_next_deadline_ms(const struct audio *audio, int64_t now_ms);

/*
 * Crossfades (fade_seconds) to source: "sea", "rain", "forest", "music" or "off".
 * Music starts once its first file is decoded. Returns 0, -EINVAL for an unknown name or
 * -ENOENT for music without a music_dir (nothing changes).
 */
int audio_set_source(struct audio *audio, const char *source);

/*
 * The host's level: fades (fade_seconds) to db, clamped to AUDIO_LEVEL_MIN_DB..cap_dbfs,
 * and holds it until the next scheduled change. Returns 0, or -EINVAL when db is not a
 * number (nothing changes).
 */
int audio_set_volume_db(struct audio *audio, double db);

/* Ends the host's level override: back to the schedule's level, fading. */
void audio_resume_schedule(struct audio *audio);

/*
 * Reads text aloud in the language with this kiosk code (nl, en, ar, tr, pl, uk) through
 * espeak-ng (audio_speech.h): over the room, which is lowered while it speaks, at
 * [audio] speech_db (at most the cap), also when the room is silent. What was being said
 * stops first (a second tap restarts). Offline handles make the whole utterance before
 * returning (deterministic in simulated time). Returns 0, -ENOENT without espeak-ng,
 * -EINVAL for an unknown language or an empty text, -errno when it cannot be started.
 */
int audio_speak(struct audio *audio, const char *language_code, const char *text);

/* Stops speech at once (a tap elsewhere, a new screen). Harmless when nothing is said. */
void audio_speak_stop(struct audio *audio);

/* True while speech plays (or is being made). */
bool audio_speaking(struct audio *audio);

/* True when espeak-ng was found: the screens offer the speak control. */
bool audio_can_speak(const struct audio *audio);

/* Speech samples played so far (tests and the bench: the first sound). */
uint64_t audio_speech_heard(struct audio *audio);

/* What plays and why, for the host page and the staff menu. */
void audio_status(struct audio *audio, struct audio_status *out);

/* Stops the device (the callback has returned when this does), the loader thread, and
 * frees everything. NULL is ignored. */
void audio_close(struct audio *audio);

#endif
