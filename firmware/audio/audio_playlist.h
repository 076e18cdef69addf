/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_playlist: the organisation's music. Scans music_dir for .wav files, plays them in
 * a shuffled order (reshuffled, and the folder rescanned, after each round; never the same
 * file twice in a row when there are two or more), decodes and converts each to the
 * device's rate and stereo, evens out their loudness, and crossfades from one to the next
 * (equal power, crossfade_seconds, no gap). The result goes into a lock-free ring that the
 * audio callback reads (audio_ring.h).
 *
 * Loudness: each file is measured once (RMS and peak over the whole file, read ahead in
 * slices while the previous file plays, cached by name, size and time) and scaled so its RMS
 * is 1.0 like the soundscapes', but never so far that its peak, at the level cap, would reach
 * the limiter's knee; a quiet file is raised by at most 40 dB.
 *
 * A file that cannot be played (see audio_wav.h) is skipped with one log line naming it and
 * the reason, and not tried again until it changes. Memory stays bounded: one decode block
 * and one resampler per open file, at most two files open.
 *
 * Threading: with a loader thread (the kiosk), all decoding happens there; the control
 * thread only calls audio_playlist_set_wanted(), audio_playlist_status() and
 * audio_playlist_close(). Offline (tests, the bench), there is no thread and the caller
 * fills the ring with audio_playlist_pump() before each render.
 */
#ifndef OASE_AUDIO_PLAYLIST_H
#define OASE_AUDIO_PLAYLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio/audio_ring.h"

#define AUDIO_PLAYLIST_MAX_FILES 1000
#define AUDIO_PLAYLIST_ERROR_MAX 320
#define AUDIO_PLAYLIST_NAME_MAX 256 /* file names longer than this are not played */

struct audio_playlist;

struct audio_playlist_status {
    int files;                                 /* .wav files found in the last scan */
    int skipped;                               /* files refused so far (each counted once) */
    char track[AUDIO_PLAYLIST_NAME_MAX];       /* file being decoded now; "" = none */
    char last_error[AUDIO_PLAYLIST_ERROR_MAX]; /* the last problem, "" = none */
};

struct audio_playlist_options {
    const char *dir;          /* the music folder */
    int sample_rate;          /* the device's rate: everything is converted to it */
    uint32_t seed;            /* shuffle order */
    double crossfade_seconds; /* between files */
    double cap_db;            /* level cap: bounds the loudness boost (see above) */
    bool threaded;            /* true: a loader thread; false: audio_playlist_pump() */
};

/*
 * Prepares the playlist writing into ring (which must outlive it). Nothing is read until
 * audio_playlist_set_wanted(true). Returns NULL when out of memory or when the thread
 * cannot be started (nothing is left allocated or running).
 */
struct audio_playlist *audio_playlist_open(const struct audio_playlist_options *options,
                                           struct audio_ring *ring);

/* Starts (or pauses, keeping its place) decoding into the ring. Never blocks for long. */
void audio_playlist_set_wanted(struct audio_playlist *playlist, bool wanted);

/*
 * Offline only: fills the ring as far as it goes (when wanted). Returns true when the ring
 * holds music or more is coming, false when the folder has nothing playable.
 */
bool audio_playlist_pump(struct audio_playlist *playlist);

/* True when the ring holds at least min_frames or nothing playable is left. */
bool audio_playlist_ready(struct audio_playlist *playlist, size_t min_frames);

/* Counts and the last problem, for the host page. Any thread. */
void audio_playlist_status(struct audio_playlist *playlist, struct audio_playlist_status *out);

/* Stops the loader thread (waits for it), closes files, frees everything. NULL is ignored. */
void audio_playlist_close(struct audio_playlist *playlist);

#endif
