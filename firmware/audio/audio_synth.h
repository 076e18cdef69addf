/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_synth: the generated soundscapes, sea, rain and forest. No asset files: a seeded
 * PRNG, one-pole filters, resonators and envelopes, so nothing loops and nothing clicks at
 * a loop point (there is none). The same seed and sample rate give the same samples.
 *
 * Every soundscape is normalised to an RMS of 1.0 per channel over the long run (swells,
 * gusts and drops included, from the filters' exact noise gains and the envelopes' exact
 * mean squares), so the mixer's gain alone sets the level in dBFS. Peaks reach about 4-5.
 *
 * Runs in the audio callback: audio_synth_render() never allocates, locks or does I/O.
 */
#ifndef OASE_AUDIO_SYNTH_H
#define OASE_AUDIO_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include "audio/audio_config.h"

#define AUDIO_SYNTH_DROPS 8 /* rain drops sounding at once, at most */

struct audio_prng {
    uint64_t state; /* xorshift64*, never 0 */
};

/* One-pole low-pass state: y += a * (x - y). */
struct audio_onepole {
    float a, y;
};

struct audio_drop {
    bool active;
    float y1, y2; /* resonator state */
    float b1, b2; /* y = b1 * y1 - b2 * y2 */
    float gain_left, gain_right;
    int attack_left;  /* frames of soft attack still to go */
    int attack_total; /* frames of the attack */
    int frames_left;  /* until it is inaudible */
};

struct audio_synth {
    enum audio_source kind; /* sea, rain or forest */
    int sample_rate;
    struct audio_prng prng;
    int64_t frame;      /* frames rendered so far */
    float control_gain; /* envelope * normaliser at the end of the last control block */
    float control_a;    /* filter coefficient at the end of the last control block */

    /* sea: one swell after another, each with a unit mean-square envelope */
    struct audio_onepole sea_filter[2];
    int64_t swell_frames, swell_pos; /* length and position of the current swell */
    double swell_peak, swell_bright; /* this swell's height and brightest cutoff (Hz) */

    /* rain: band-limited noise bed with a slow drift, plus sparse resonant drops */
    struct audio_onepole rain_high[2], rain_low[2]; /* high-pass (via low-pass) and low-pass */
    float rain_bed_norm;                            /* 1 / RMS of the filtered bed */
    double drift_phase[2], drift_step[2];           /* two slow sines (radians/frame) */
    float drop_scale;                               /* drop amplitude for their power share */
    int64_t next_drop;                              /* frame of the next drop */
    struct audio_drop drops[AUDIO_SYNTH_DROPS];

    /* forest: gusty two-pole low-passed wind, with rare soft bird calls */
    struct audio_onepole wind[2][2];
    double gust_phase[3], gust_step[3];
    float wind_weight;               /* wind share of the power */
    float bird_scale;                /* bird amplitude */
    int64_t next_call;               /* frame the next call starts */
    int chirps_left;                 /* chirps still to come in this call */
    int64_t chirp_pos, chirp_frames; /* position and length of the sounding chirp */
    int64_t chirp_gap;               /* frames of silence before the next chirp */
    double chirp_phase, chirp_f0, chirp_f1;
    float chirp_amp, call_left, call_right;
};

/*
 * Prepares kind (AUDIO_SOURCE_SEA, _RAIN or _FOREST) at sample_rate (8000..192000) from
 * seed. Returns 0 or -EINVAL (any other kind or rate; synth then renders silence).
 */
int audio_synth_init(struct audio_synth *synth, enum audio_source kind, uint32_t seed,
                     int sample_rate);

/* Writes frames stereo frames (interleaved) of the soundscape, continuing where it was. */
void audio_synth_render(struct audio_synth *synth, float *stereo, int frames);

#endif
