/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_mixer: everything the audio callback does, and nothing else. Renders the current
 * source (a soundscape or the music ring), crossfades to a newly requested source
 * (equal power, fade_seconds), applies the master level with its slow fade (linear in dB)
 * and a soft limiter, and publishes what it is doing.
 *
 * Threading: audio_mixer_render() runs in the audio callback (or, offline, in the caller's
 * thread) and never allocates, locks, sleeps or touches a file. The control thread talks
 * to it only through the C11 atomics in struct audio_mixer_controls: it writes requests
 * with audio_mixer_request_*() and reads what is playing with audio_mixer_observe(); every
 * other field belongs to the rendering thread alone.
 *
 * Limiter: samples up to AUDIO_LIMIT_KNEE pass unchanged; above it a tanh curve bends them
 * smoothly (slope 1 at the knee, no corner) towards AUDIO_LIMIT_CEILING, which no output
 * sample can reach: the output peak stays below -1 dBFS whatever comes in. No look-ahead,
 * no gain state, so it adds no latency and cannot pump.
 */
#ifndef OASE_AUDIO_MIXER_H
#define OASE_AUDIO_MIXER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "audio/audio_config.h"
#include "audio/audio_ring.h"
#include "audio/audio_speech.h"
#include "audio/audio_synth.h"

#define AUDIO_MIXER_BLOCK 64        /* frames per control step of gains and fades */
#define AUDIO_FADE_FLOOR_DB (-70.0) /* fades to or from silence pass through here */
#define AUDIO_LIMIT_KNEE 0.6f       /* -4.4 dBFS: louder samples are bent */
#define AUDIO_LIMIT_CEILING 0.85f   /* -1.4 dBFS: never reached */
#define AUDIO_MUSIC_RAMP_FRAMES 512 /* music fades this fast when its ring runs dry */
#define AUDIO_SPEECH_EDGE_MS 5      /* speech starts and stops with a ramp this long */
#define AUDIO_DUCK_DOWN_MS 60       /* the room gets quieter this fast when speech starts */
#define AUDIO_DUCK_UP_MS 600        /* and comes back this slowly when it ends */

/* Shared between the control thread and the rendering thread; nothing else is. */
struct audio_mixer_controls {
    _Atomic uint64_t level_request; /* packed target (mdB, INT32_MIN = silent) and fade ms */
    _Atomic int source_request;     /* enum audio_source */
    _Atomic int32_t level_now_mdb;  /* published: level now, INT32_MIN = silent */
    _Atomic int source_now;         /* published: the source playing or fading in */
    _Atomic uint32_t underruns;     /* published: times the music ring ran dry while heard */
};

/* What audio_mixer_observe() reports. */
struct audio_mixer_view {
    bool silent;     /* the level is at silence (gain exactly 0) */
    double level_db; /* level now when !silent */
    enum audio_source source;
    uint32_t underruns;
};

struct audio_mixer {
    struct audio_mixer_controls controls;
    int sample_rate;
    struct audio_synth synths[AUDIO_SOURCE_COUNT]; /* [SEA], [RAIN], [FOREST] used */
    struct audio_ring *music;                      /* decoded music, or NULL: none */

    /* level (rendering thread) */
    uint64_t level_seen; /* the last level_request acted on */
    bool silent;         /* gain is exactly 0 */
    double level_db;     /* when !silent */
    double fade_from_db, fade_to_db;
    bool fade_to_silent;
    int64_t fade_pos, fade_frames; /* fade_pos >= fade_frames: no fade running */
    float gain;                    /* linear gain at the end of the last block */

    /* sources (rendering thread) */
    int source;      /* playing */
    int next_source; /* fading in, or -1 */
    int64_t cross_pos, cross_frames;

    float music_gain; /* de-click ramp for a dry music ring, 0..1 */
    float block_a[2 * AUDIO_MIXER_BLOCK], block_b[2 * AUDIO_MIXER_BLOCK];
    /* speech over the room (rendering thread; the feed's atomics are shared) */
    struct audio_speech_feed *speech; /* NULL: no speech */
    uint32_t speech_serial;           /* the feed's serial last acted on */
    int speech_track;                 /* track playing, -1 = none */
    double speech_pos;                /* position in it, in speech samples */
    float speech_env;                 /* 0..1 ramp against clicks */
    float duck;                       /* gain of the room now: 1 = not lowered */
};

/*
 * Prepares the mixer at sample_rate (8000..192000) with the soundscapes seeded from seed,
 * source playing from the start (the level starts silent: request one to fade in), source
 * changes crossfading over source_fade_seconds, and music read from music_ring (NULL: the
 * music source is silent). Returns 0 or -EINVAL for a rate out of range.
 */
int audio_mixer_init(struct audio_mixer *mixer, int sample_rate, uint32_t seed,
                     enum audio_source source, double source_fade_seconds,
                     struct audio_ring *music_ring);

/* Connects the speech tracks (audio_speech.h) before rendering starts; NULL: none. Speech
 * plays over the room at its own level, also when the room is silent, and lowers the room
 * by the feed's duck_mdb while it plays. */
void audio_mixer_set_speech(struct audio_mixer *mixer, struct audio_speech_feed *feed);

/* Control thread: fade to db (or to silence) over fade_seconds, starting from wherever the
 * level is when the rendering thread sees the request. Never blocks. */
void audio_mixer_request_level(struct audio_mixer *mixer, bool silent, double db,
                               double fade_seconds);

/* Control thread: crossfade to source (a running crossfade finishes first). Never blocks. */
void audio_mixer_request_source(struct audio_mixer *mixer, enum audio_source source);

/* Any thread: what the rendering thread last published. */
void audio_mixer_observe(struct audio_mixer *mixer, struct audio_mixer_view *view);

/*
 * Rendering thread: writes frames interleaved stereo float frames. Reads the requests once
 * per call. Real time safe: no allocation, lock, sleep or I/O.
 */
void audio_mixer_render(struct audio_mixer *mixer, float *stereo, int frames);

/* The limiter alone (for tests and the bench): x bent as described above. */
float audio_mixer_limit(float x);

#endif
