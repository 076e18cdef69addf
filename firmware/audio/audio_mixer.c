/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_mixer: see audio_mixer.h. SDL audio thread (or audio_render offline) -> here ->
 * audio_synth / music ring -> crossfade -> level -> limiter -> device buffer.
 */
#include "audio/audio_mixer.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define MIXER_SILENT_MDB INT32_MIN

static uint64_t pack_level(int32_t mdb, uint32_t fade_ms)
{
    return (uint64_t)(uint32_t)mdb << 32 | fade_ms;
}

static float db_to_gain(double db)
{
    return (float)pow(10.0, db / 20.0);
}

int audio_mixer_init(struct audio_mixer *mixer, int sample_rate, uint32_t seed,
                     enum audio_source source, double source_fade_seconds,
                     struct audio_ring *music_ring)
{
    memset(mixer, 0, sizeof *mixer);
    if (sample_rate < 8000 || sample_rate > 192000 || (int)source < 0 ||
        source >= AUDIO_SOURCE_COUNT) {
        return -EINVAL;
    }
    mixer->sample_rate = sample_rate;
    mixer->music = music_ring;
    for (int kind = AUDIO_SOURCE_SEA; kind <= AUDIO_SOURCE_FOREST; kind++) {
        audio_synth_init(&mixer->synths[kind], (enum audio_source)kind, seed, sample_rate);
    }
    mixer->silent = true;
    mixer->level_db = AUDIO_FADE_FLOOR_DB;
    mixer->gain = 0.0f;
    mixer->source = source;
    mixer->next_source = -1;
    mixer->cross_frames = (int64_t)(source_fade_seconds * sample_rate);
    if (mixer->cross_frames < 1) {
        mixer->cross_frames = 1;
    }
    mixer->level_seen = pack_level(MIXER_SILENT_MDB, 0);
    atomic_init(&mixer->controls.level_request, mixer->level_seen);
    atomic_init(&mixer->controls.source_request, (int)source);
    atomic_init(&mixer->controls.level_now_mdb, MIXER_SILENT_MDB);
    atomic_init(&mixer->controls.source_now, (int)source);
    atomic_init(&mixer->controls.underruns, 0);
    mixer->speech_track = -1;
    mixer->duck = 1.0f;
    return 0;
}

void audio_mixer_set_speech(struct audio_mixer *mixer, struct audio_speech_feed *feed)
{
    mixer->speech = feed;
    mixer->speech_serial = feed ? atomic_load_explicit(&feed->serial, memory_order_acquire) : 0;
    mixer->speech_track = -1;
}

void audio_mixer_request_level(struct audio_mixer *mixer, bool silent, double db,
                               double fade_seconds)
{
    int32_t mdb = MIXER_SILENT_MDB;
    if (!silent) {
        double clamped = db < AUDIO_FADE_FLOOR_DB ? AUDIO_FADE_FLOOR_DB : db > 0.0 ? 0.0 : db;
        mdb = (int32_t)lround(clamped * 1000.0);
    }
    double ms = fade_seconds * 1000.0;
    uint32_t fade_ms = ms <= 0.0 ? 0u : ms >= 3.6e6 ? 3600000u : (uint32_t)lround(ms);
    atomic_store_explicit(&mixer->controls.level_request, pack_level(mdb, fade_ms),
                          memory_order_release);
}

void audio_mixer_request_source(struct audio_mixer *mixer, enum audio_source source)
{
    if ((int)source >= 0 && source < AUDIO_SOURCE_COUNT) {
        atomic_store_explicit(&mixer->controls.source_request, (int)source, memory_order_release);
    }
}

void audio_mixer_observe(struct audio_mixer *mixer, struct audio_mixer_view *view)
{
    int32_t mdb = atomic_load_explicit(&mixer->controls.level_now_mdb, memory_order_acquire);
    view->silent = mdb == MIXER_SILENT_MDB;
    view->level_db = view->silent ? AUDIO_FADE_FLOOR_DB : mdb / 1000.0;
    view->source =
        (enum audio_source)atomic_load_explicit(&mixer->controls.source_now, memory_order_acquire);
    view->underruns = atomic_load_explicit(&mixer->controls.underruns, memory_order_relaxed);
}

float audio_mixer_limit(float x)
{
    float magnitude = fabsf(x);
    if (magnitude <= AUDIO_LIMIT_KNEE) {
        return x;
    }
    if (isnan(x)) {
        return 0.0f;
    }
    const float range = AUDIO_LIMIT_CEILING - AUDIO_LIMIT_KNEE;
    float bent = AUDIO_LIMIT_KNEE + range * tanhf((magnitude - AUDIO_LIMIT_KNEE) / range);
    if (bent >= AUDIO_LIMIT_CEILING) { /* tanhf rounds to 1 for large inputs */
        bent = nextafterf(AUDIO_LIMIT_CEILING, 0.0f);
    }
    return copysignf(bent, x);
}

/* Starts a fade when the control thread asked for a new level. */
static void take_level_request(struct audio_mixer *mixer)
{
    uint64_t request = atomic_load_explicit(&mixer->controls.level_request, memory_order_acquire);
    if (request == mixer->level_seen) {
        return;
    }
    mixer->level_seen = request;
    int32_t mdb = (int32_t)(uint32_t)(request >> 32);
    uint32_t fade_ms = (uint32_t)request;
    if (mdb == MIXER_SILENT_MDB && mixer->silent) {
        mixer->fade_pos = mixer->fade_frames; /* silent already: stays silent */
        return;
    }
    mixer->fade_from_db = mixer->silent ? AUDIO_FADE_FLOOR_DB : mixer->level_db;
    mixer->fade_to_silent = mdb == MIXER_SILENT_MDB;
    mixer->fade_to_db = mixer->fade_to_silent ? AUDIO_FADE_FLOOR_DB : mdb / 1000.0;
    mixer->fade_frames = (int64_t)fade_ms * mixer->sample_rate / 1000;
    mixer->fade_pos = 0;
    if (mixer->fade_frames < 1) {
        mixer->fade_frames = 1; /* at once, but still ramped over one block */
    }
    mixer->silent = false;
    mixer->level_db = mixer->fade_from_db;
}

/* Moves the level fade on by frames; returns the linear gain at the new position. */
static float advance_level(struct audio_mixer *mixer, int frames)
{
    if (mixer->fade_pos < mixer->fade_frames) {
        mixer->fade_pos += frames;
        if (mixer->fade_pos >= mixer->fade_frames) {
            mixer->level_db = mixer->fade_to_db;
            mixer->silent = mixer->fade_to_silent;
        } else {
            double p = (double)mixer->fade_pos / (double)mixer->fade_frames;
            mixer->level_db = mixer->fade_from_db + (mixer->fade_to_db - mixer->fade_from_db) * p;
        }
    }
    return mixer->silent ? 0.0f : db_to_gain(mixer->level_db);
}

/* Music from the ring, with a short fade whenever the ring runs dry (never a hard cut). */
static void render_music(struct audio_mixer *mixer, float *out, int frames)
{
    size_t got = 0;
    float target = 0.0f;
    if (mixer->music != NULL) {
        size_t ready = audio_ring_readable(mixer->music);
        if (ready >= (size_t)frames + AUDIO_MUSIC_RAMP_FRAMES) {
            target = 1.0f;
        } else if (mixer->music_gain >= 1.0f) {
            atomic_fetch_add_explicit(&mixer->controls.underruns, 1, memory_order_relaxed);
        }
        got = audio_ring_read(mixer->music, out, (size_t)frames);
    }
    memset(out + 2 * got, 0, sizeof *out * 2 * ((size_t)frames - got));
    float gain = mixer->music_gain;
    if (gain == target && gain == 1.0f) {
        return;
    }
    float step = (float)frames / AUDIO_MUSIC_RAMP_FRAMES;
    float end = target > gain ? fminf(gain + step, 1.0f) : fmaxf(gain - step, 0.0f);
    for (int i = 0; i < frames; i++) {
        float g = gain + (end - gain) * (float)(i + 1) / (float)frames;
        out[2 * i] *= g;
        out[2 * i + 1] *= g;
    }
    mixer->music_gain = end;
}

static void render_source(struct audio_mixer *mixer, int source, float *out, int frames)
{
    switch (source) {
    case AUDIO_SOURCE_SEA:
    case AUDIO_SOURCE_RAIN:
    case AUDIO_SOURCE_FOREST:
        audio_synth_render(&mixer->synths[source], out, frames);
        break;
    case AUDIO_SOURCE_MUSIC:
        render_music(mixer, out, frames);
        break;
    default:
        memset(out, 0, sizeof *out * 2 * (size_t)frames);
        break;
    }
}

/* One block: sources and crossfade into block_a, then the level into out (the limiter
 * comes after speech is added). */
static void render_block(struct audio_mixer *mixer, float *out, int frames)
{
    float gain_start = mixer->gain;
    float gain_end = advance_level(mixer, frames);
    mixer->gain = gain_end;
    if (mixer->next_source >= 0 && gain_start == 0.0f && gain_end == 0.0f) {
        mixer->source = mixer->next_source; /* nobody hears it: change at once */
        mixer->next_source = -1;
    }
    if ((gain_start == 0.0f && gain_end == 0.0f) ||
        (mixer->source == AUDIO_SOURCE_OFF && mixer->next_source < 0)) {
        memset(out, 0, sizeof *out * 2 * (size_t)frames);
        return;
    }
    float *a = mixer->block_a;
    render_source(mixer, mixer->source, a, frames);
    if (mixer->next_source >= 0) {
        float *b = mixer->block_b;
        render_source(mixer, mixer->next_source, b, frames);
        double p0 = (double)mixer->cross_pos / (double)mixer->cross_frames;
        mixer->cross_pos += frames;
        if (mixer->cross_pos > mixer->cross_frames) {
            mixer->cross_pos = mixer->cross_frames;
        }
        double p1 = (double)mixer->cross_pos / (double)mixer->cross_frames;
        /* Equal power: cos/sin keeps the sum of two unrelated sounds at one level. */
        float out0 = (float)cos(p0 * M_PI / 2), out1 = (float)cos(p1 * M_PI / 2);
        float in0 = (float)sin(p0 * M_PI / 2), in1 = (float)sin(p1 * M_PI / 2);
        for (int i = 0; i < frames; i++) {
            float t = (float)(i + 1) / (float)frames;
            float wa = out0 + (out1 - out0) * t, wb = in0 + (in1 - in0) * t;
            a[2 * i] = a[2 * i] * wa + b[2 * i] * wb;
            a[2 * i + 1] = a[2 * i + 1] * wa + b[2 * i + 1] * wb;
        }
        if (mixer->cross_pos >= mixer->cross_frames) {
            mixer->source = mixer->next_source;
            mixer->next_source = -1;
        }
    }
    float step = (gain_end - gain_start) / (float)frames, gain = gain_start;
    for (int i = 0; i < frames; i++) {
        gain += step;
        out[2 * i] = a[2 * i] * gain;
        out[2 * i + 1] = a[2 * i + 1] * gain;
    }
}

/* Takes a new utterance (or a stop) once the one playing has ramped down. */
static void take_speech_request(struct audio_mixer *mixer)
{
    struct audio_speech_feed *feed = mixer->speech;
    uint32_t serial = atomic_load_explicit(&feed->serial, memory_order_seq_cst);
    if (serial == mixer->speech_serial || (mixer->speech_track >= 0 && mixer->speech_env > 0)) {
        return; /* nothing new, or the old one still ramps down first */
    }
    int play = atomic_load_explicit(&feed->play, memory_order_seq_cst);
    atomic_store_explicit(&feed->reading, play, memory_order_seq_cst); /* before any read */
    mixer->speech_serial = serial;
    mixer->speech_track = play;
    mixer->speech_pos = 0.0;
    if (play < 0) {
        atomic_store_explicit(&feed->done_serial, serial, memory_order_release);
    }
}

/* Adds speech to one block of the room's sound and lowers the room while it plays. */
static void mix_speech(struct audio_mixer *mixer, float *out, int frames)
{
    struct audio_speech_feed *feed = mixer->speech;
    if (feed == NULL) {
        return;
    }
    take_speech_request(mixer);
    if (mixer->speech_track < 0 && mixer->duck >= 1.0f) {
        return;
    }
    bool switching =
        atomic_load_explicit(&feed->serial, memory_order_relaxed) != mixer->speech_serial;
    const struct audio_speech_track *track =
        mixer->speech_track >= 0 ? &feed->tracks[mixer->speech_track] : NULL;
    bool complete = track && atomic_load_explicit(&track->complete, memory_order_acquire);
    size_t ready = track ? atomic_load_explicit(&track->ready, memory_order_acquire) : 0;
    double step = (double)AUDIO_SPEECH_RATE / mixer->sample_rate;
    float edge = 1000.0f / ((float)AUDIO_SPEECH_EDGE_MS * (float)mixer->sample_rate);
    float down = 1.0f - expf(-1000.0f / ((float)AUDIO_DUCK_DOWN_MS * (float)mixer->sample_rate));
    float up = 1.0f - expf(-1000.0f / ((float)AUDIO_DUCK_UP_MS * (float)mixer->sample_rate));
    float duck_to =
        db_to_gain(-(double)atomic_load_explicit(&feed->duck_mdb, memory_order_relaxed) / 1000.0);
    float gain =
        db_to_gain(-(double)atomic_load_explicit(&feed->gain_mdb, memory_order_relaxed) / 1000.0 -
                   AUDIO_SPEECH_REF_DBFS);
    uint64_t heard = 0;
    for (int i = 0; i < frames; i++) {
        float sample = 0.0f;
        if (track) {
            size_t at = (size_t)mixer->speech_pos;
            if (at + 1 < ready) {
                float frac = (float)(mixer->speech_pos - (double)at);
                sample =
                    ((float)track->pcm[at] * (1.0f - frac) + (float)track->pcm[at + 1] * frac) /
                    32768.0f;
                mixer->speech_pos += step;
                heard++;
            } else if (complete) { /* the end of the utterance */
                atomic_store_explicit(&feed->done_serial, mixer->speech_serial,
                                      memory_order_release);
                atomic_store_explicit(&feed->reading, -1, memory_order_seq_cst);
                mixer->speech_track = -1;
                track = NULL;
            } /* else: espeak-ng is still making it: wait */
        }
        float env_to = track && !switching ? 1.0f : 0.0f;
        mixer->speech_env = env_to > mixer->speech_env ? fminf(mixer->speech_env + edge, 1.0f)
                                                       : fmaxf(mixer->speech_env - edge, 0.0f);
        float target = track ? duck_to : 1.0f;
        mixer->duck += (target - mixer->duck) * (target < mixer->duck ? down : up);
        if (!track && mixer->duck > 0.9999f) {
            mixer->duck = 1.0f;
        }
        float voice = sample * mixer->speech_env * gain;
        out[2 * i] = out[2 * i] * mixer->duck + voice;
        out[2 * i + 1] = out[2 * i + 1] * mixer->duck + voice;
    }
    if (heard) {
        atomic_fetch_add_explicit(&feed->heard, heard, memory_order_relaxed);
    }
}

void audio_mixer_render(struct audio_mixer *mixer, float *stereo, int frames)
{
    take_level_request(mixer);
    int requested = atomic_load_explicit(&mixer->controls.source_request, memory_order_acquire);
    while (frames > 0) {
        if (mixer->next_source < 0 && requested != mixer->source) {
            mixer->next_source = requested;
            mixer->cross_pos = 0;
        }
        int n = frames < AUDIO_MIXER_BLOCK ? frames : AUDIO_MIXER_BLOCK;
        render_block(mixer, stereo, n);
        mix_speech(mixer, stereo, n);
        for (int i = 0; i < 2 * n; i++) {
            stereo[i] = audio_mixer_limit(stereo[i]);
        }
        stereo += 2 * n;
        frames -= n;
    }
    int32_t mdb = mixer->silent ? MIXER_SILENT_MDB : (int32_t)lround(mixer->level_db * 1000.0);
    atomic_store_explicit(&mixer->controls.level_now_mdb, mdb, memory_order_release);
    int now = mixer->next_source >= 0 ? mixer->next_source : mixer->source;
    atomic_store_explicit(&mixer->controls.source_now, now, memory_order_release);
}
