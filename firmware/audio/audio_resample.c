/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_resample: see audio_resample.h. audio_wav (file rate) -> here -> loader's crossfade
 * -> ring (device rate).
 */
#include "audio/audio_resample.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RESAMPLE_ZERO_CROSSINGS 16 /* each side of the kernel's centre */
#define RESAMPLE_KAISER_BETA 8.6   /* about -85 dB stop band */
#define RESAMPLE_CUTOFF 0.95       /* of the lower Nyquist frequency: a small guard band */
#define RESAMPLE_BLOCK_FRAMES 4096 /* input frames the history takes at once */
#define RESAMPLE_RATE_MIN 1000
#define RESAMPLE_RATE_MAX 384000

int64_t audio_resample_output_frames(int64_t input_frames, int in_rate, int out_rate)
{
    if (in_rate == out_rate) {
        return input_frames;
    }
    return (input_frames * out_rate + in_rate - 1) / in_rate;
}

/* Zeroth-order modified Bessel function of the first kind (series; converges fast). */
static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, half = x / 2.0;
    for (int k = 1; k < 50; k++) {
        term *= (half / k) * (half / k);
        sum += term;
        if (term < sum * 1e-12) {
            break;
        }
    }
    return sum;
}

/* The low-pass kernel at x input frames from the output instant. */
static double kernel(double x, double cutoff, int radius)
{
    double u = x / radius;
    if (u <= -1.0 || u >= 1.0) {
        return 0.0;
    }
    double arg = M_PI * cutoff * x;
    double sinc = fabs(arg) < 1e-9 ? 1.0 : sin(arg) / arg;
    double window =
        bessel_i0(RESAMPLE_KAISER_BETA * sqrt(1.0 - u * u)) / bessel_i0(RESAMPLE_KAISER_BETA);
    return cutoff * sinc * window;
}

int audio_resample_init(struct audio_resampler *rs, int in_rate, int out_rate)
{
    memset(rs, 0, sizeof *rs);
    if (in_rate < RESAMPLE_RATE_MIN || in_rate > RESAMPLE_RATE_MAX ||
        out_rate < RESAMPLE_RATE_MIN || out_rate > RESAMPLE_RATE_MAX) {
        return -EINVAL;
    }
    rs->in_rate = in_rate;
    rs->out_rate = out_rate;
    rs->bypass = in_rate == out_rate;
    if (!rs->bypass) {
        double cutoff = RESAMPLE_CUTOFF * (out_rate < in_rate ? (double)out_rate / in_rate : 1.0);
        rs->radius = (int)ceil(RESAMPLE_ZERO_CROSSINGS / cutoff);
        int taps = 2 * rs->radius;
        rs->table = malloc(sizeof *rs->table * (size_t)taps * (AUDIO_RESAMPLE_PHASES + 1));
        if (rs->table == NULL) {
            return -ENOMEM;
        }
        for (int q = 0; q <= AUDIO_RESAMPLE_PHASES; q++) {
            float *row = rs->table + (size_t)q * (size_t)taps;
            double frac = (double)q / AUDIO_RESAMPLE_PHASES, sum = 0.0;
            for (int m = 0; m < taps; m++) {
                double c = kernel(m - rs->radius + 1 - frac, cutoff, rs->radius);
                row[m] = (float)c;
                sum += c;
            }
            for (int m = 0; m < taps; m++) { /* unity gain at DC for every phase */
                row[m] = (float)(row[m] / sum);
            }
        }
    }
    /* radius frames stay free for the zero padding audio_resample_end() appends. */
    rs->history_capacity = RESAMPLE_BLOCK_FRAMES + 3 * rs->radius + 2;
    rs->history = malloc(sizeof *rs->history * 2 * (size_t)rs->history_capacity);
    if (rs->history == NULL) {
        audio_resample_free(rs);
        return -ENOMEM;
    }
    audio_resample_reset(rs);
    return 0;
}

void audio_resample_free(struct audio_resampler *rs)
{
    free(rs->table);
    free(rs->history);
    rs->table = NULL;
    rs->history = NULL;
}

void audio_resample_reset(struct audio_resampler *rs)
{
    /* The kernel of output 0 reaches radius - 1 frames before the first input: zeros. */
    int lead = rs->bypass ? 0 : rs->radius - 1;
    memset(rs->history, 0, sizeof *rs->history * 2 * (size_t)lead);
    rs->history_len = lead;
    rs->history_base = -lead;
    rs->position = 0;
    rs->phase = 0;
    rs->input_total = 0;
    rs->ended = false;
}

/* Drops the frames no later output needs. */
static void compact(struct audio_resampler *rs)
{
    int64_t keep_from = rs->bypass ? rs->position : rs->position - rs->radius + 1;
    int64_t drop = keep_from - rs->history_base;
    if (drop <= 0) {
        return;
    }
    if (drop > rs->history_len) {
        drop = rs->history_len;
    }
    memmove(rs->history, rs->history + 2 * drop,
            sizeof *rs->history * 2 * (size_t)(rs->history_len - drop));
    rs->history_len -= (int)drop;
    rs->history_base += drop;
}

int audio_resample_space(struct audio_resampler *rs)
{
    if (rs->ended) {
        return 0;
    }
    compact(rs);
    int space = rs->history_capacity - rs->radius - rs->history_len;
    return space > 0 ? space : 0;
}

void audio_resample_push(struct audio_resampler *rs, const float *stereo, int frames)
{
    int space = audio_resample_space(rs);
    if (frames > space) {
        frames = space; /* a caller bug; dropping input is better than overrunning memory */
    }
    memcpy(rs->history + 2 * rs->history_len, stereo, sizeof *stereo * 2 * (size_t)frames);
    rs->history_len += frames;
    rs->input_total += frames;
}

void audio_resample_end(struct audio_resampler *rs)
{
    if (rs->ended) {
        return;
    }
    compact(rs);
    /* The kernels of the last outputs reach radius frames past the end: zeros. */
    memset(rs->history + 2 * rs->history_len, 0, sizeof *rs->history * 2 * (size_t)rs->radius);
    rs->history_len += rs->radius;
    rs->ended = true;
}

bool audio_resample_finished(const struct audio_resampler *rs)
{
    return rs->ended && rs->position >= rs->input_total;
}

int audio_resample_pull(struct audio_resampler *rs, float *stereo, int frames)
{
    int done = 0;
    int64_t held_end = rs->history_base + rs->history_len; /* first index not held */
    if (rs->bypass) {
        while (done < frames && rs->position < held_end && rs->position < rs->input_total) {
            const float *x = rs->history + 2 * (rs->position - rs->history_base);
            stereo[2 * done] = x[0];
            stereo[2 * done + 1] = x[1];
            rs->position++;
            done++;
        }
        return done;
    }
    int taps = 2 * rs->radius;
    while (done < frames) {
        if (rs->position >= rs->input_total && rs->ended) {
            break;
        }
        if (rs->position + rs->radius >= held_end) {
            break; /* the kernel needs input not pushed yet */
        }
        const float *x = rs->history + 2 * (rs->position - rs->radius + 1 - rs->history_base);
        int64_t scaled = rs->phase * AUDIO_RESAMPLE_PHASES;
        int row = (int)(scaled / rs->out_rate);
        float weight = (float)(scaled - (int64_t)row * rs->out_rate) / (float)rs->out_rate;
        const float *a = rs->table + (size_t)row * (size_t)taps;
        const float *b = a + taps;
        float left = 0.0f, right = 0.0f;
        for (int m = 0; m < taps; m++) {
            float c = a[m] + weight * (b[m] - a[m]);
            left += c * x[2 * m];
            right += c * x[2 * m + 1];
        }
        stereo[2 * done] = left;
        stereo[2 * done + 1] = right;
        done++;
        rs->phase += rs->in_rate;
        rs->position += rs->phase / rs->out_rate;
        rs->phase %= rs->out_rate;
    }
    return done;
}
