/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio: see audio.h. Main loop -> audio_tick / audio_set_* (this file, main thread) ->
 * audio_mixer requests (atomics) -> SDL audio callback -> audio_mixer_render().
 */
#include "audio/audio.h"

#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio_mixer.h"
#include "audio/audio_playlist.h"
#include "audio/audio_ring.h"
#include "audio/audio_schedule.h"
#include "audio/audio_speech.h"
#include "core/clock.h"
#include "audio/audio_alsa_log.h"
#include "core/log.h"

#define AUDIO_RING_SECONDS 3        /* music decoded ahead */
#define AUDIO_MUSIC_START_SECONDS 1 /* decoded before music is faded in */
#define AUDIO_SLOT_UNSET (-2)       /* no schedule slot applied yet */
#define AUDIO_LOADING_TICK_MS 100
#define AUDIO_RETRY_MS 30000 /* a missing or removed sound device is looked for again */

struct audio {
    struct audio_config cfg;
    struct audio_schedule schedule;
    uint32_t seed;

    bool offline;          /* audio_open_offline(): the caller renders */
    bool engine_ready;     /* mixer (and ring, playlist) prepared */
    bool device_ok;        /* an SDL device is open and running */
    bool sdl_audio_inited; /* we hold a reference on SDL's audio subsystem */
    SDL_AudioDeviceID device;
    int sample_rate;

    struct audio_mixer mixer;        /* shared with the callback through its atomics */
    struct audio_ring ring;          /* music: loader thread -> callback */
    struct audio_playlist *playlist; /* NULL without music_dir */
    struct audio_speech *speech;     /* screens read aloud (never NULL after audio_new) */

    /* main-thread state */
    enum audio_source requested;
    bool music_pending;   /* music asked for, waiting for the first decoded second */
    int slot;             /* schedule slot in force, -1 = no schedule */
    bool override_active; /* the host's level holds until the slot changes */
    bool target_silent;
    double target_db;
    int64_t next_change_ms;
    int64_t retry_ms; /* kiosk time of the next attempt to open a missing device */
    char last_error[AUDIO_ERROR_MAX];
};

static void set_error(struct audio *audio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(struct audio *audio, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(audio->last_error, sizeof audio->last_error, fmt, args);
    va_end(args);
    if (n < 0) {
        audio->last_error[0] = '\0';
    }
}

static void audio_sdl_callback(void *userdata, Uint8 *stream, int len)
{
    struct audio *audio = userdata;
    audio_mixer_render(&audio->mixer, (float *)(void *)stream, len / (int)(2 * sizeof(float)));
}

/* Sends a level to the mixer, bounded by the floor and the cap. */
static void request_level(struct audio *audio, bool silent, double db, double fade_seconds)
{
    if (db > audio->cfg.cap_dbfs) {
        db = audio->cfg.cap_dbfs;
    }
    if (db < AUDIO_LEVEL_MIN_DB) {
        db = AUDIO_LEVEL_MIN_DB;
    }
    audio->target_silent = silent;
    audio->target_db = db;
    if (audio->engine_ready) {
        audio_mixer_request_level(&audio->mixer, silent, db, fade_seconds);
    }
}

/* The level the schedule puts in force (volume_db when there is no schedule). */
static void request_scheduled_level(struct audio *audio, double fade_seconds)
{
    if (audio->slot < 0) {
        request_level(audio, false, audio->cfg.volume_db, fade_seconds);
        return;
    }
    const struct audio_schedule_slot *slot = &audio->schedule.slots[audio->slot];
    request_level(audio, slot->silent, slot->db, fade_seconds);
}

static void follow_schedule(struct audio *audio, int64_t now_ms)
{
    struct oase_localtime local;
    clock_local(now_ms, &local);
    int week_minute = local.weekday * 1440 + local.minute_of_day;
    int slot = audio_schedule_find(&audio->schedule, week_minute);
    int minutes = audio_schedule_minutes_to_next(&audio->schedule, week_minute);
    audio->next_change_ms =
        minutes < 0 ? INT64_MAX : now_ms - now_ms % 60000 + (int64_t)minutes * 60000;
    if (slot == audio->slot) {
        return;
    }
    bool first = audio->slot == AUDIO_SLOT_UNSET;
    audio->slot = slot;
    audio->override_active = false;
    request_scheduled_level(audio,
                            first ? audio->cfg.fade_seconds : audio->cfg.schedule_fade_seconds);
}

/* Music starts in the mixer once a second of it is decoded (or nothing can be). */
static void start_music_when_ready(struct audio *audio)
{
    if (!audio->music_pending || !audio->engine_ready || audio->playlist == NULL) {
        return;
    }
    if (audio->offline) {
        audio_playlist_pump(audio->playlist);
    }
    size_t ready_frames = (size_t)audio->sample_rate * AUDIO_MUSIC_START_SECONDS;
    if (audio_playlist_ready(audio->playlist, ready_frames)) {
        audio_mixer_request_source(&audio->mixer, AUDIO_SOURCE_MUSIC);
        audio->music_pending = false;
    }
}

static int choose_source(struct audio *audio, enum audio_source source)
{
    if (source == AUDIO_SOURCE_MUSIC && audio->cfg.music_dir[0] == '\0') {
        set_error(audio, "music: no music_dir is set in [audio]; another source plays");
        return -ENOENT;
    }
    audio->requested = source;
    audio->music_pending = false;
    if (!audio->engine_ready) {
        return 0;
    }
    if (source == AUDIO_SOURCE_MUSIC && audio->playlist != NULL) {
        audio_playlist_set_wanted(audio->playlist, true);
        audio->music_pending = true;
        start_music_when_ready(audio);
    } else {
        audio_mixer_request_source(&audio->mixer, source);
    }
    return 0;
}

/* Prepares ring, playlist and mixer at sample_rate. Returns 0 or -ENOMEM / -EINVAL; on
 * failure nothing is left allocated. */
static int engine_init(struct audio *audio, int sample_rate, bool threaded)
{
    if (sample_rate < 8000 || sample_rate > 192000) {
        return -EINVAL;
    }
    audio->sample_rate = sample_rate;
    struct audio_ring *music = NULL;
    if (audio->cfg.music_dir[0] != '\0') {
        int rc = audio_ring_init(&audio->ring, (size_t)sample_rate * AUDIO_RING_SECONDS);
        if (rc != 0) {
            return rc;
        }
        struct audio_playlist_options options = {
            .dir = audio->cfg.music_dir,
            .sample_rate = sample_rate,
            .seed = audio->seed,
            .crossfade_seconds = audio->cfg.crossfade_seconds,
            .cap_db = audio->cfg.cap_dbfs,
            .threaded = threaded,
        };
        audio->playlist = audio_playlist_open(&options, &audio->ring);
        if (audio->playlist == NULL) {
            audio_ring_free(&audio->ring);
            return -ENOMEM;
        }
        music = &audio->ring;
    }
    /* The first source plays from the start (the level fades in from silence anyway);
     * music joins once decoded. */
    enum audio_source first =
        audio->requested == AUDIO_SOURCE_MUSIC ? AUDIO_SOURCE_OFF : audio->requested;
    audio_mixer_init(&audio->mixer, sample_rate, audio->seed, first, audio->cfg.fade_seconds,
                     music); /* cannot fail: rate and source checked above */
    audio_mixer_set_speech(&audio->mixer, audio_speech_feed(audio->speech));
    audio->engine_ready = true;
    return 0;
}

static struct audio *audio_new(const struct audio_config *cfg, int64_t now_ms, bool offline)
{
    struct audio *audio = calloc(1, sizeof *audio);
    if (audio == NULL) {
        return NULL;
    }
    audio->cfg = *cfg;
    if (audio->cfg.cap_dbfs > AUDIO_CAP_MAX_DB) {
        audio->cfg.cap_dbfs = AUDIO_CAP_MAX_DB; /* the cap's own cap, whatever the caller */
    }
    /* Speech has its own level, bounded by the same cap as the room. */
    struct audio_speech_options speech = {
        .program = audio->cfg.speech_program,
        .synchronous = offline,
        .speech_db =
            audio->cfg.speech_db < audio->cfg.cap_dbfs ? audio->cfg.speech_db : audio->cfg.cap_dbfs,
        .duck_db = audio->cfg.speech_duck_db,
    };
    audio->speech = audio_speech_open(&speech);
    if (audio->speech == NULL) {
        free(audio);
        return NULL;
    }
    audio->offline = offline;
    audio_schedule_build(&audio->schedule, &audio->cfg);
    audio->seed =
        cfg->seed_auto ? (uint32_t)((uint64_t)now_ms ^ ((uint64_t)now_ms >> 32)) : cfg->seed;
    audio->requested = cfg->source;
    audio->slot = AUDIO_SLOT_UNSET;
    audio->target_silent = true;
    audio->target_db = AUDIO_LEVEL_MIN_DB;
    audio->next_change_ms = INT64_MAX;
    return audio;
}

/* After the engine is ready (or is known to be missing): first level and source. */
static void audio_start(struct audio *audio, int64_t now_ms)
{
    follow_schedule(audio, now_ms);
    if (audio->requested == AUDIO_SOURCE_MUSIC && choose_source(audio, AUDIO_SOURCE_MUSIC) != 0) {
        audio->requested = AUDIO_SOURCE_OFF;
        log_msg(LOG_WARN, "audio: source = music but no music_dir is set in [audio]: silent");
    }
}

/*
 * Opens SDL's audio and the default device: 48 kHz (or what the device offers) the first
 * time, the engine's rate when it already runs (SDL converts). Prepares the engine on the
 * first success and sends it the level and source asked for meanwhile. Returns 0, -ENODEV
 * with the reason in last_error (nothing held), or -ENOMEM (nothing held either).
 */
static int open_device(struct audio *audio)
{
    audio_alsa_log_quiet(); /* libasound's lines through the log, once a day each */
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        set_error(
            audio,
            "no audio device: the kiosk runs silently (SDL: %s); aplay -l lists the sound cards",
            SDL_GetError());
        return -ENODEV;
    }
    audio->sdl_audio_inited = true;
    SDL_AudioSpec want, have;
    SDL_zero(want);
    want.freq = audio->engine_ready ? audio->sample_rate : AUDIO_DEVICE_RATE;
    want.format = AUDIO_F32SYS;
    want.channels = 2;
    want.samples = AUDIO_DEVICE_FRAMES;
    want.callback = audio_sdl_callback;
    want.userdata = audio;
    int changes = audio->engine_ready ? 0 : SDL_AUDIO_ALLOW_FREQUENCY_CHANGE;
    audio->device = SDL_OpenAudioDevice(NULL, 0, &want, &have, changes);
    int rc = -ENODEV;
    if (audio->device == 0) {
        set_error(
            audio,
            "no audio device: the kiosk runs silently (SDL: %s); aplay -l lists the sound cards",
            SDL_GetError());
        goto out_quit_sdl;
    }
    if (!audio->engine_ready) {
        rc = engine_init(audio, have.freq, true);
        if (rc != 0) {
            if (rc != -ENOMEM) {
                set_error(audio,
                          "no audio device: the kiosk runs silently (the device offers %d Hz)",
                          have.freq);
                rc = -ENODEV;
            }
            goto out_close_device;
        }
        /* What was asked while there was no engine: the level (fading in from silence) and
         * the source (music starts once decoded). */
        audio_mixer_request_level(&audio->mixer, audio->target_silent, audio->target_db,
                                  audio->cfg.fade_seconds);
        if (audio->requested == AUDIO_SOURCE_MUSIC) {
            choose_source(audio, AUDIO_SOURCE_MUSIC); /* the mixer began with "off" */
        }
    }
    audio->device_ok = true;
    audio->last_error[0] = '\0';
    SDL_PauseAudioDevice(audio->device, 0);
    return 0;

out_close_device:
    SDL_CloseAudioDevice(audio->device);
    audio->device = 0;
out_quit_sdl:
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    audio->sdl_audio_inited = false;
    return rc;
}

/* The device went away (unplugged, driver gone): stop using it and look again later. */
static void lose_device(struct audio *audio, int64_t now_ms)
{
    SDL_CloseAudioDevice(audio->device); /* returns after the last callback */
    audio->device = 0;
    audio->device_ok = false;
    if (audio->sdl_audio_inited) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        audio->sdl_audio_inited = false;
    }
    set_error(audio,
              "the sound device was removed: the kiosk runs silently and looks for it "
              "again every %d s",
              AUDIO_RETRY_MS / 1000);
    log_msg(LOG_WARN, "audio: %s", audio->last_error);
    audio->retry_ms = now_ms + AUDIO_RETRY_MS;
}

/* Device handles: notices a removed device, and opens a missing one when it is due. */
static void watch_device(struct audio *audio, int64_t now_ms)
{
    if (audio->offline) {
        return;
    }
    if (audio->device_ok) {
        if (SDL_GetAudioDeviceStatus(audio->device) == SDL_AUDIO_STOPPED) {
            lose_device(audio, now_ms);
        }
        return;
    }
    if (now_ms < audio->retry_ms && audio->retry_ms - now_ms <= AUDIO_RETRY_MS) {
        return; /* not yet (a clock that jumped back far tries at once) */
    }
    audio->retry_ms = now_ms + AUDIO_RETRY_MS;
    char before[AUDIO_ERROR_MAX];
    snprintf(before, sizeof before, "%s", audio->last_error);
    if (open_device(audio) == 0) {
        log_msg(LOG_INFO, "audio: a sound device is back (%d Hz); the sound plays again",
                audio->sample_rate);
    } else {
        snprintf(audio->last_error, sizeof audio->last_error, "%s", before); /* said once */
    }
}

struct audio *audio_open(const struct audio_config *cfg, int64_t now_ms)
{
    struct audio *audio = audio_new(cfg, now_ms, false);
    if (audio == NULL) {
        return NULL;
    }
    /* The level in force before the device starts: its first callback already fades in. */
    follow_schedule(audio, now_ms);
    int rc = open_device(audio);
    if (rc == -ENOMEM) {
        audio_speech_close(audio->speech);
        free(audio);
        return NULL;
    }
    if (rc != 0) {
        log_msg(LOG_WARN, "%s; looking for one again every %d s", audio->last_error,
                AUDIO_RETRY_MS / 1000);
        audio->retry_ms = now_ms + AUDIO_RETRY_MS;
    }
    audio_start(audio, now_ms);
    return audio;
}

struct audio *audio_open_offline(const struct audio_config *cfg, int64_t now_ms, int sample_rate)
{
    if (sample_rate < 8000 || sample_rate > 192000) {
        return NULL;
    }
    struct audio *audio = audio_new(cfg, now_ms, true);
    if (audio == NULL) {
        return NULL;
    }
    if (engine_init(audio, sample_rate, false) != 0) {
        audio_speech_close(audio->speech);
        free(audio);
        return NULL;
    }
    audio_start(audio, now_ms);
    return audio;
}

int audio_render(struct audio *audio, float *stereo, int frames)
{
    if (!audio->offline) {
        return -EBUSY;
    }
    if (audio->playlist != NULL) {
        audio_playlist_pump(audio->playlist);
    }
    audio_mixer_render(&audio->mixer, stereo, frames);
    return 0;
}

void audio_tick(struct audio *audio, int64_t now_ms)
{
    watch_device(audio, now_ms);
    follow_schedule(audio, now_ms);
    start_music_when_ready(audio);
}

int64_t audio_next_deadline_ms(const struct audio *audio, int64_t now_ms)
{
    if (audio->music_pending) {
        return now_ms + AUDIO_LOADING_TICK_MS;
    }
    int64_t minute = now_ms - now_ms % 60000 + 60000; /* where the schedule moves */
    if (!audio->offline && !audio->device_ok && audio->retry_ms < minute) {
        return audio->retry_ms > now_ms ? audio->retry_ms : now_ms; /* a missing device */
    }
    return minute;
}

int audio_set_source(struct audio *audio, const char *source)
{
    int kind = audio_source_from_name(source);
    if (kind < 0) {
        return -EINVAL;
    }
    return choose_source(audio, (enum audio_source)kind);
}

int audio_set_volume_db(struct audio *audio, double db)
{
    if (!isfinite(db)) {
        return -EINVAL;
    }
    audio->override_active = audio->schedule.count > 0;
    request_level(audio, false, db, audio->cfg.fade_seconds);
    return 0;
}

void audio_resume_schedule(struct audio *audio)
{
    if (!audio->override_active) {
        return;
    }
    audio->override_active = false;
    request_scheduled_level(audio, audio->cfg.fade_seconds);
}

int audio_speak(struct audio *audio, const char *language_code, const char *text)
{
    const char *voice = audio_speech_voice(language_code);
    if (voice == NULL) {
        return -EINVAL;
    }
    return audio_speech_say(audio->speech, voice, text);
}

void audio_speak_stop(struct audio *audio)
{
    audio_speech_stop(audio->speech);
}

bool audio_speaking(struct audio *audio)
{
    return audio_speech_speaking(audio->speech);
}

bool audio_can_speak(const struct audio *audio)
{
    return audio_speech_available(audio->speech);
}

uint64_t audio_speech_heard(struct audio *audio)
{
    return atomic_load(&audio_speech_feed(audio->speech)->heard);
}

static void copy_name(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

void audio_status(struct audio *audio, struct audio_status *out)
{
    memset(out, 0, sizeof *out);
    out->device_ok = audio->device_ok;
    out->sample_rate = audio->engine_ready ? audio->sample_rate : 0;
    copy_name(out->requested, sizeof out->requested, audio_source_name(audio->requested));
    out->silent = true;
    out->level_db = AUDIO_FADE_FLOOR_DB;
    copy_name(out->source, sizeof out->source, "off");
    if (audio->engine_ready) {
        struct audio_mixer_view view;
        audio_mixer_observe(&audio->mixer, &view);
        out->silent = view.silent;
        out->level_db = view.level_db;
        out->underruns = view.underruns;
        copy_name(out->source, sizeof out->source, audio_source_name(view.source));
    }
    out->target_silent = audio->target_silent;
    out->target_db = audio->target_db;
    out->cap_db = audio->cfg.cap_dbfs;
    out->override_active = audio->override_active;
    out->next_change_ms = audio->next_change_ms;
    copy_name(out->last_error, sizeof out->last_error, audio->last_error);
    if (audio->playlist != NULL) {
        struct audio_playlist_status music;
        audio_playlist_status(audio->playlist, &music);
        out->music_files = music.files;
        out->music_skipped = music.skipped;
        copy_name(out->track, sizeof out->track, music.track);
        if (music.last_error[0] != '\0') {
            copy_name(out->last_error, sizeof out->last_error, music.last_error);
        }
    }
}

void audio_close(struct audio *audio)
{
    if (audio == NULL) {
        return;
    }
    if (audio->device != 0) {
        SDL_CloseAudioDevice(audio->device); /* returns after the last callback */
    }
    audio_playlist_close(audio->playlist);
    audio_ring_free(&audio->ring);
    audio_speech_close(audio->speech); /* after the device: the callback reads its tracks */
    if (audio->sdl_audio_inited) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    free(audio);
}
