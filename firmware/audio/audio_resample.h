/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_resample: converts a stereo float stream from a file's sample rate to the device's,
 * streaming, with a Kaiser-windowed sinc (16 zero crossings each side, beta 8.6, cutoff
 * 0.95 of the lower Nyquist frequency, 256 interpolated phases). Chosen over linear or
 * cubic interpolation because music from 8 to 192 kHz must neither alias when brought
 * down (96 -> 48 kHz) nor image when brought up (8 -> 48 kHz); the cost (about 34 taps
 * per frame at 44.1 -> 48 kHz) is paid in the loader thread, not the audio callback.
 * Equal rates pass through unchanged.
 *
 * Output frame n is the input at time n * in_rate / out_rate (exact integer phase, no
 * drift), so N input frames give exactly ceil(N * out_rate / in_rate) output frames.
 * Allocates only in audio_resample_init(); used by the loader thread only.
 */
#ifndef OASE_AUDIO_RESAMPLE_H
#define OASE_AUDIO_RESAMPLE_H

#include <stdbool.h>
#include <stdint.h>

struct audio_resampler {
    int in_rate, out_rate;
    bool bypass;          /* equal rates: frames are copied */
    int radius;           /* kernel half-width in input frames; taps = 2 * radius */
    float *table;         /* (AUDIO_RESAMPLE_PHASES + 1) rows of 2 * radius coefficients */
    float *history;       /* stereo input frames not yet fully used */
    int history_capacity; /* frames */
    int history_len;      /* frames held */
    int64_t history_base; /* input index of history[0] (negative at the start) */
    int64_t position;     /* input index at or before the next output frame */
    int64_t phase;        /* 0..out_rate-1: the next output is at position + phase/out_rate */
    int64_t input_total;  /* frames pushed, including none of the padding */
    bool ended;           /* audio_resample_end() was called */
};

#define AUDIO_RESAMPLE_PHASES 256

/* Output frames that input_frames frames at in_rate give at out_rate. */
int64_t audio_resample_output_frames(int64_t input_frames, int in_rate, int out_rate);

/*
 * Prepares a conversion from in_rate to out_rate (both 1000..384000 Hz). Returns 0,
 * -EINVAL for a rate out of range, or -ENOMEM (rs is then safe to free).
 */
int audio_resample_init(struct audio_resampler *rs, int in_rate, int out_rate);

/* Frees the tables. Safe after a failed init. */
void audio_resample_free(struct audio_resampler *rs);

/* Forgets all input and output: ready for the same stream from its start. */
void audio_resample_reset(struct audio_resampler *rs);

/* Input frames audio_resample_push() accepts now (0 until some output is pulled). */
int audio_resample_space(struct audio_resampler *rs);

/* Appends frames stereo input frames; frames must not exceed audio_resample_space(). */
void audio_resample_push(struct audio_resampler *rs, const float *stereo, int frames);

/* No more input: the stream's tail can now be pulled. */
void audio_resample_end(struct audio_resampler *rs);

/*
 * Writes up to frames output frames; returns how many (0 when more input is needed, or
 * at the end of the stream after audio_resample_end()).
 */
int audio_resample_pull(struct audio_resampler *rs, float *stereo, int frames);

/* True once every output frame of an ended stream has been pulled. */
bool audio_resample_finished(const struct audio_resampler *rs);

#endif
