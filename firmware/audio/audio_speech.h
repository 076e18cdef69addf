/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_speech: reads a screen's text aloud. The voice is espeak-ng from Debian, run as a
 * separate program (posix_spawn, text on its stdin, a WAV on its stdout): never linked,
 * because espeak-ng is GPL and oase is EUPL-1.2. Owns the child process, the worker thread
 * that reads it, and the speech tracks the mixer plays (audio_mixer.h). A missing
 * espeak-ng degrades: audio_speech_available() is false (the screen hides its speak
 * control), it is logged once, and nothing else changes.
 *
 * Threading: audio_speech_say / _stop / _close run on the main-loop thread only. The worker
 * thread writes one track; the audio callback reads one track. They share only struct
 * audio_speech_feed, through C11 atomics: a track is never written while the mixer may
 * read it (three tracks: the one playing, the one the mixer last said it reads, and a
 * free one that the next utterance is written into).
 *
 * Flow: app (tap on "speak") -> audio_speak() -> audio_speech_say() -> espeak-ng ->
 * worker -> track -> [audio callback] audio_mixer: speech over the ducked room -> limiter.
 */
#ifndef OASE_AUDIO_SPEECH_H
#define OASE_AUDIO_SPEECH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIO_SPEECH_TRACKS 3
#define AUDIO_SPEECH_SECONDS 40     /* the longest utterance kept; the rest is cut */
#define AUDIO_SPEECH_RATE 22050     /* espeak-ng's sample rate (checked in its WAV header) */
#define AUDIO_SPEECH_TEXT_MAX 4096  /* bytes of text one utterance reads */
#define AUDIO_SPEECH_VOICE_MAX 16   /* "nl", "en-gb", ... */
#define AUDIO_SPEECH_REF_DBFS (-20) /* espeak-ng's RMS at amplitude 100, about */

/* One utterance: mono 16-bit samples at AUDIO_SPEECH_RATE. */
struct audio_speech_track {
    int16_t *pcm;          /* capacity samples (allocated at open) */
    size_t capacity;       /* samples */
    _Atomic size_t ready;  /* samples written so far (worker: release; mixer: acquire) */
    _Atomic bool complete; /* the worker wrote its last sample */
};

/* What the mixer and the speech module share; nothing else is shared. */
struct audio_speech_feed {
    struct audio_speech_track tracks[AUDIO_SPEECH_TRACKS];
    _Atomic int play;             /* control: the track to play, -1 = none */
    _Atomic uint32_t serial;      /* control: +1 for every new utterance or stop */
    _Atomic int reading;          /* mixer: the track it may read now, -1 = none */
    _Atomic uint32_t done_serial; /* mixer: the serial of the last utterance it finished */
    _Atomic uint32_t gain_mdb;    /* control: speech level, milli-dB below full scale (positive) */
    _Atomic uint32_t duck_mdb;    /* control: how far the room is lowered while speech plays */
    _Atomic uint64_t heard;       /* mixer: speech samples played so far (tests, bench) */
};

struct audio_speech_options {
    const char *program; /* "espeak-ng" (looked up in PATH) or a path; NULL or "": off */
    bool synchronous;    /* say() returns when the whole utterance is in its track (headless
                            runs: deterministic speech in simulated time) */
    double speech_db;    /* RMS level of speech, dBFS (already bounded by the cap) */
    double duck_db;      /* the room is this much quieter while speech plays (> 0) */
};

struct audio_speech;

/*
 * Finds the program and allocates the tracks. Returns NULL only when out of memory. When
 * the program is not found (or not executable) the handle works and says nothing:
 * audio_speech_available() is false and one warning is logged.
 */
struct audio_speech *audio_speech_open(const struct audio_speech_options *options);

/* The shared part, for the mixer (audio_mixer_set_speech). */
struct audio_speech_feed *audio_speech_feed(struct audio_speech *speech);

/* True when espeak-ng was found and has not failed to start. */
bool audio_speech_available(const struct audio_speech *speech);

/*
 * Reads text aloud with voice (an espeak-ng voice name such as "nl", "en-gb", "ar"),
 * stopping what is being said first (a second tap restarts). Returns 0, -ENOENT without
 * espeak-ng, -EINVAL for an empty text or a voice that is not [a-z-] (nothing changes),
 * or -errno when the program cannot be started (logged once; what played is stopped).
 */
int audio_speech_say(struct audio_speech *speech, const char *voice, const char *text);

/* Stops speech at once (a tap elsewhere, a screen change). Harmless when silent. */
void audio_speech_stop(struct audio_speech *speech);

/* True while an utterance plays or is being made. */
bool audio_speech_speaking(struct audio_speech *speech);

/* Stops the child and the worker and frees everything. NULL is ignored. The mixer must no
 * longer read the feed (close the audio device first). */
void audio_speech_close(struct audio_speech *speech);

/* The espeak-ng voice for a kiosk language code ("en" -> "en-gb"); NULL when none. */
const char *audio_speech_voice(const char *language_code);

#endif
