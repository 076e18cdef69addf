/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_synth: see audio_synth.h. Mixer (audio callback) -> here, one block at a time.
 *
 * How each stays at unit RMS without measuring itself:
 * - white noise from the PRNG has unit variance (uniform, times sqrt 3);
 * - a one-pole low-pass y += a (x - y) passes a/(2-a) of white noise's power, a cascade of
 *   two passes a^4 (1+p^2)/(1-p^2)^3 (p = 1-a); static filter chains are measured once from
 *   their impulse response; each is divided out;
 * - a swell envelope f + d sin^2(pi t/T) has the mean square f^2 + f d + 3/8 d^2 over its
 *   swell; a slow drift 1 + sum m_i sin(...) has 1 + sum m_i^2 / 2; each is divided out;
 * - drops and bird calls are random events whose expected power is computed from their
 *   distributions and given a fixed share of the total.
 * Envelopes and filter coefficients change at a control rate (every 32 frames) and the
 * gain is ramped linearly between control points, so nothing steps.
 */
#include "audio/audio_synth.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define SYNTH_CONTROL_FRAMES 32
#define SYNTH_TWO_PI 6.283185307179586

/* sea */
#define SEA_FLOOR 0.30      /* envelope between swells, relative to a swell's peak */
#define SEA_SWELL_MIN_S 6.0 /* swell period range */
#define SEA_SWELL_MAX_S 12.0
#define SEA_PEAK_MIN 0.70       /* swell heights */
#define SEA_DARK_HZ 180.0       /* cutoff between swells */
#define SEA_BRIGHT_MIN_HZ 900.0 /* cutoff at a swell's crest, range */
#define SEA_BRIGHT_MAX_HZ 2600.0

/* rain */
#define RAIN_HIGHPASS_HZ 600.0
#define RAIN_LOWPASS_HZ 7500.0
#define RAIN_DRIFT_DEPTH_1 0.15
#define RAIN_DRIFT_DEPTH_2 0.10
#define RAIN_DROP_SHARE 0.06 /* of the power */
#define RAIN_DROPS_PER_S 8.0
#define RAIN_DROP_MIN_HZ 1500.0
#define RAIN_DROP_MAX_HZ 4500.0
#define RAIN_DROP_MIN_TAU_S 0.005
#define RAIN_DROP_MAX_TAU_S 0.016
#define RAIN_DROP_MIN_DB (-6.0)
#define RAIN_ATTACK_S 0.0015

/* forest */
#define WIND_MIN_HZ 250.0
#define WIND_MAX_HZ 900.0
#define BIRD_SCALE 1.5      /* chirp amplitude, relative to the wind's RMS */
#define BIRD_CALL_MIN_S 8.0 /* between calls: rare */
#define BIRD_CALL_MAX_S 24.0
#define BIRD_CHIRPS_MIN 2
#define BIRD_CHIRPS_MAX 4
#define BIRD_CHIRP_MIN_S 0.07
#define BIRD_CHIRP_MAX_S 0.15
#define BIRD_GAP_MIN_S 0.06
#define BIRD_GAP_MAX_S 0.14
#define BIRD_MIN_HZ 2600.0
#define BIRD_MAX_HZ 4200.0
#define BIRD_AMP_MIN 0.6

static const double gust_depth[3] = {0.30, 0.20, 0.15};
static const double gust_period_s[3] = {7.0, 11.0, 17.0};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t prng_next(struct audio_prng *prng)
{
    uint64_t x = prng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    prng->state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, 1). */
static double prng_unit(struct audio_prng *prng)
{
    return (double)(prng_next(prng) >> 11) * (1.0 / 9007199254740992.0);
}

static double prng_range(struct audio_prng *prng, double lo, double hi)
{
    return lo + (hi - lo) * prng_unit(prng);
}

/* Log-uniform in [lo, hi): equal chances per octave. */
static double prng_log_range(struct audio_prng *prng, double lo, double hi)
{
    return lo * exp(log(hi / lo) * prng_unit(prng));
}

/* Two independent unit-variance white samples (uniform, so never a wild outlier). */
static inline void white_pair(struct audio_prng *prng, float *left, float *right)
{
    uint64_t r = prng_next(prng);
    const float scale = 1.7320508f / 2147483648.0f; /* sqrt(3) / 2^31 */
    *left = (float)(int32_t)(uint32_t)(r >> 32) * scale;
    *right = (float)(int32_t)(uint32_t)r * scale;
}

static double onepole_coefficient(double cutoff_hz, int sample_rate)
{
    return 1.0 - exp(-SYNTH_TWO_PI * cutoff_hz / sample_rate);
}

/* Power a one-pole low-pass passes of unit white noise. */
static double onepole_noise_gain(double a)
{
    return a / (2.0 - a);
}

/* Power two cascaded identical one-poles pass of unit white noise. */
static double twopole_noise_gain(double a)
{
    double q = (1.0 - a) * (1.0 - a);
    return a * a * a * a * (1.0 + q) / ((1.0 - q) * (1.0 - q) * (1.0 - q));
}

/* ---- sea ---------------------------------------------------------------------------- */

static void sea_new_swell(struct audio_synth *s)
{
    s->swell_frames =
        (int64_t)(prng_range(&s->prng, SEA_SWELL_MIN_S, SEA_SWELL_MAX_S) * s->sample_rate);
    s->swell_pos = 0;
    s->swell_peak = prng_range(&s->prng, SEA_PEAK_MIN, 1.0);
    s->swell_bright = prng_log_range(&s->prng, SEA_BRIGHT_MIN_HZ, SEA_BRIGHT_MAX_HZ);
    if (s->swell_bright > 0.4 * s->sample_rate) {
        s->swell_bright = 0.4 * s->sample_rate;
    }
}

/* Envelope (unit mean square over the swell) and cutoff at position pos of the swell. */
static void sea_control(const struct audio_synth *s, int64_t pos, double *gain, double *a)
{
    double shape = sin(M_PI * (double)pos / (double)s->swell_frames);
    shape *= shape;
    double floor = SEA_FLOOR, depth = s->swell_peak - SEA_FLOOR;
    double mean_square = floor * floor + floor * depth + 0.375 * depth * depth;
    double envelope = (floor + depth * shape) / sqrt(mean_square);
    double cutoff = SEA_DARK_HZ + (s->swell_bright - SEA_DARK_HZ) * shape;
    *a = onepole_coefficient(cutoff, s->sample_rate);
    *gain = envelope / sqrt(onepole_noise_gain(*a));
}

static void sea_render(struct audio_synth *s, float *out, int frames)
{
    while (frames > 0) {
        int n = frames < SYNTH_CONTROL_FRAMES ? frames : SYNTH_CONTROL_FRAMES;
        if (s->swell_frames - s->swell_pos < n) {
            n = (int)(s->swell_frames - s->swell_pos);
        }
        double gain_end, a_end;
        sea_control(s, s->swell_pos + n, &gain_end, &a_end);
        float gain = s->control_gain, step = ((float)gain_end - gain) / (float)n;
        float a = (float)a_end;
        struct audio_onepole *fl = &s->sea_filter[0], *fr = &s->sea_filter[1];
        for (int i = 0; i < n; i++) {
            float wl, wr;
            white_pair(&s->prng, &wl, &wr);
            fl->y += a * (wl - fl->y);
            fr->y += a * (wr - fr->y);
            gain += step;
            out[2 * i] = fl->y * gain;
            out[2 * i + 1] = fr->y * gain;
        }
        s->control_gain = (float)gain_end;
        s->swell_pos += n;
        if (s->swell_pos >= s->swell_frames) {
            sea_new_swell(s); /* both swells are at the floor here: the gain carries on */
        }
        out += 2 * n;
        frames -= n;
    }
}

/* ---- rain --------------------------------------------------------------------------- */

/* Expected drop power per channel before drop_scale (see the file comment). */
static double rain_drop_power(void)
{
    double lo = pow(10.0, RAIN_DROP_MIN_DB / 10.0);
    double mean_amp_sq = (1.0 - lo) / (-RAIN_DROP_MIN_DB / 10.0 * log(10.0));
    double mean_tau = (RAIN_DROP_MIN_TAU_S + RAIN_DROP_MAX_TAU_S) / 2.0;
    /* energy A^2 tau fs / 4 per drop, half of it per channel on average (pan), times rate */
    return RAIN_DROPS_PER_S * mean_amp_sq * mean_tau / 4.0 / 2.0;
}

static void rain_schedule_drop(struct audio_synth *s)
{
    double wait_s = -log(1.0 - prng_unit(&s->prng)) / RAIN_DROPS_PER_S;
    s->next_drop = s->frame + 1 + (int64_t)(wait_s * s->sample_rate);
}

static void rain_start_drop(struct audio_synth *s)
{
    struct audio_drop *drop = NULL;
    for (int i = 0; i < AUDIO_SYNTH_DROPS; i++) {
        if (!s->drops[i].active) {
            drop = &s->drops[i];
            break;
        }
    }
    /* Draw every value even when no slot is free, so the sequence stays seed-determined. */
    double hz = prng_log_range(&s->prng, RAIN_DROP_MIN_HZ, RAIN_DROP_MAX_HZ);
    double tau = prng_range(&s->prng, RAIN_DROP_MIN_TAU_S, RAIN_DROP_MAX_TAU_S);
    double amp = pow(10.0, prng_range(&s->prng, RAIN_DROP_MIN_DB, 0.0) / 20.0) * s->drop_scale;
    double pan = prng_range(&s->prng, 0.1, 0.9) * M_PI / 2.0;
    if (drop == NULL) {
        return;
    }
    if (hz > 0.42 * s->sample_rate) {
        hz = 0.42 * s->sample_rate;
    }
    double omega = SYNTH_TWO_PI * hz / s->sample_rate;
    double r = exp(-1.0 / (tau * s->sample_rate));
    drop->active = true;
    drop->b1 = (float)(2.0 * r * cos(omega));
    drop->b2 = (float)(r * r);
    drop->y1 = 0.0f;
    drop->y2 = (float)(-amp * sin(omega) / r); /* so the output is amp r^n sin(omega n) */
    drop->gain_left = (float)cos(pan);
    drop->gain_right = (float)sin(pan);
    drop->attack_total = (int)(RAIN_ATTACK_S * s->sample_rate) + 1;
    drop->attack_left = drop->attack_total;
    drop->frames_left = (int)(6.9 * tau * s->sample_rate); /* until -60 dB */
}

/* Drift gain (unit mean square) at frame. */
static double rain_drift(const struct audio_synth *s, int64_t frame)
{
    double d = 1.0 + RAIN_DRIFT_DEPTH_1 * sin(s->drift_phase[0] + s->drift_step[0] * frame) +
               RAIN_DRIFT_DEPTH_2 * sin(s->drift_phase[1] + s->drift_step[1] * frame);
    double mean_square =
        1.0 +
        (RAIN_DRIFT_DEPTH_1 * RAIN_DRIFT_DEPTH_1 + RAIN_DRIFT_DEPTH_2 * RAIN_DRIFT_DEPTH_2) / 2;
    return d / sqrt(mean_square);
}

static void rain_render(struct audio_synth *s, float *out, int frames)
{
    float bed_weight = (float)sqrt(1.0 - RAIN_DROP_SHARE) * s->rain_bed_norm;
    while (frames > 0) {
        int n = frames < SYNTH_CONTROL_FRAMES ? frames : SYNTH_CONTROL_FRAMES;
        float gain_end = bed_weight * (float)rain_drift(s, s->frame + n);
        float gain = s->control_gain, step = (gain_end - gain) / (float)n;
        float ah = s->rain_high[0].a, al = s->rain_low[0].a;
        for (int i = 0; i < n; i++) {
            float wl, wr;
            white_pair(&s->prng, &wl, &wr);
            s->rain_high[0].y += ah * (wl - s->rain_high[0].y);
            s->rain_high[1].y += ah * (wr - s->rain_high[1].y);
            s->rain_low[0].y += al * ((wl - s->rain_high[0].y) - s->rain_low[0].y);
            s->rain_low[1].y += al * ((wr - s->rain_high[1].y) - s->rain_low[1].y);
            gain += step;
            out[2 * i] = s->rain_low[0].y * gain;
            out[2 * i + 1] = s->rain_low[1].y * gain;
        }
        s->control_gain = gain_end;
        /* Drops: started at their frame, summed over the block. */
        for (int i = 0; i < n; i++) {
            if (s->frame + i == s->next_drop) {
                rain_start_drop(s);
                rain_schedule_drop(s);
            }
            for (int d = 0; d < AUDIO_SYNTH_DROPS; d++) {
                struct audio_drop *drop = &s->drops[d];
                if (!drop->active) {
                    continue;
                }
                float y = drop->b1 * drop->y1 - drop->b2 * drop->y2;
                drop->y2 = drop->y1;
                drop->y1 = y;
                if (drop->attack_left > 0) {
                    float t = 1.0f - (float)drop->attack_left / (float)drop->attack_total;
                    y *= 0.5f - 0.5f * cosf((float)M_PI * t);
                    drop->attack_left--;
                }
                out[2 * i] += y * drop->gain_left;
                out[2 * i + 1] += y * drop->gain_right;
                if (--drop->frames_left <= 0) {
                    drop->active = false;
                }
            }
        }
        s->frame += n;
        out += 2 * n;
        frames -= n;
    }
}

/* Power of unit white noise through the rain bed's fixed filters, from the impulse response. */
static double rain_bed_power(const struct audio_synth *s)
{
    float ah = s->rain_high[0].a, al = s->rain_low[0].a;
    double high = 0.0, low = 0.0, energy = 0.0;
    for (int n = 0; n < s->sample_rate; n++) { /* one second: both filters long decayed */
        double x = n == 0 ? 1.0 : 0.0;
        high += ah * (x - high);
        low += al * ((x - high) - low);
        energy += low * low;
    }
    return energy;
}

/* ---- forest ------------------------------------------------------------------------- */

/* Expected bird power per channel before BIRD_SCALE^2 (see the file comment). */
static double bird_power(void)
{
    double calls_per_s = 2.0 / (BIRD_CALL_MIN_S + BIRD_CALL_MAX_S);
    double chirps = (BIRD_CHIRPS_MIN + BIRD_CHIRPS_MAX) / 2.0;
    double duration = (BIRD_CHIRP_MIN_S + BIRD_CHIRP_MAX_S) / 2.0;
    double lo = BIRD_AMP_MIN;
    double mean_amp_sq = (1.0 - lo * lo * lo) / (3.0 * (1.0 - lo));
    /* sin^2 averages 1/2, a Hann envelope squared 3/8, the pan halves it per channel */
    return calls_per_s * chirps * duration * mean_amp_sq * 0.5 * 0.375 * 0.5;
}

static double gust(const struct audio_synth *s, int64_t frame)
{
    double g = 1.0;
    for (int i = 0; i < 3; i++) {
        g += gust_depth[i] * sin(s->gust_phase[i] + s->gust_step[i] * frame);
    }
    return g;
}

static void bird_schedule_call(struct audio_synth *s)
{
    s->next_call = s->frame + (int64_t)(prng_range(&s->prng, BIRD_CALL_MIN_S, BIRD_CALL_MAX_S) *
                                        s->sample_rate);
}

static void bird_start_chirp(struct audio_synth *s)
{
    double top = 0.42 * s->sample_rate;
    s->chirp_frames =
        (int64_t)(prng_range(&s->prng, BIRD_CHIRP_MIN_S, BIRD_CHIRP_MAX_S) * s->sample_rate);
    s->chirp_gap = (int64_t)(prng_range(&s->prng, BIRD_GAP_MIN_S, BIRD_GAP_MAX_S) * s->sample_rate);
    s->chirp_f0 = prng_log_range(&s->prng, BIRD_MIN_HZ, BIRD_MAX_HZ);
    s->chirp_f1 = s->chirp_f0 * prng_range(&s->prng, 0.75, 1.3);
    s->chirp_f0 = s->chirp_f0 > top ? top : s->chirp_f0;
    s->chirp_f1 = s->chirp_f1 > top ? top : s->chirp_f1;
    s->chirp_pos = 0;
    s->chirp_phase = 0.0;
    s->chirps_left--;
}

static void bird_start_call(struct audio_synth *s)
{
    s->chirps_left =
        BIRD_CHIRPS_MIN + (int)(prng_unit(&s->prng) * (BIRD_CHIRPS_MAX - BIRD_CHIRPS_MIN + 1));
    s->chirp_amp = (float)(prng_range(&s->prng, BIRD_AMP_MIN, 1.0) * s->bird_scale);
    double pan = prng_range(&s->prng, 0.15, 0.85) * M_PI / 2.0;
    s->call_left = (float)cos(pan);
    s->call_right = (float)sin(pan);
    bird_start_chirp(s);
}

/* Adds the bird sounding at frame s->frame + i (one frame). */
static void bird_frame(struct audio_synth *s, float *out)
{
    if (s->chirp_pos < s->chirp_frames) {
        double t = (double)s->chirp_pos / (double)s->chirp_frames;
        double hz = s->chirp_f0 + (s->chirp_f1 - s->chirp_f0) * t;
        s->chirp_phase += SYNTH_TWO_PI * hz / s->sample_rate;
        if (s->chirp_phase > SYNTH_TWO_PI) {
            s->chirp_phase -= SYNTH_TWO_PI;
        }
        float envelope = (float)sin(M_PI * t);
        float y = s->chirp_amp * envelope * envelope * sinf((float)s->chirp_phase);
        out[0] += y * s->call_left;
        out[1] += y * s->call_right;
        s->chirp_pos++;
        return;
    }
    if (s->chirps_left > 0) {
        if (--s->chirp_gap <= 0) {
            bird_start_chirp(s);
        }
    }
}

static void forest_render(struct audio_synth *s, float *out, int frames)
{
    double gust_mean_square = 1.0;
    for (int i = 0; i < 3; i++) {
        gust_mean_square += gust_depth[i] * gust_depth[i] / 2.0;
    }
    while (frames > 0) {
        int n = frames < SYNTH_CONTROL_FRAMES ? frames : SYNTH_CONTROL_FRAMES;
        double g = gust(s, s->frame + n);
        double strength = (g - 0.35) / 1.3; /* 0..1 over the gust's range */
        strength = strength < 0.0 ? 0.0 : strength > 1.0 ? 1.0 : strength;
        double a = onepole_coefficient(WIND_MIN_HZ + (WIND_MAX_HZ - WIND_MIN_HZ) * strength,
                                       s->sample_rate);
        float gain_end =
            (float)(s->wind_weight * g / sqrt(gust_mean_square) / sqrt(twopole_noise_gain(a)));
        float gain = s->control_gain, step = (gain_end - gain) / (float)n;
        float af = (float)a;
        struct audio_onepole *l = s->wind[0], *r = s->wind[1];
        for (int i = 0; i < n; i++) {
            float wl, wr;
            white_pair(&s->prng, &wl, &wr);
            l[0].y += af * (wl - l[0].y);
            l[1].y += af * (l[0].y - l[1].y);
            r[0].y += af * (wr - r[0].y);
            r[1].y += af * (r[0].y - r[1].y);
            gain += step;
            out[2 * i] = l[1].y * gain;
            out[2 * i + 1] = r[1].y * gain;
        }
        s->control_gain = gain_end;
        for (int i = 0; i < n; i++) {
            if (s->frame + i == s->next_call) {
                bird_start_call(s);
                bird_schedule_call(s);
            }
            bird_frame(s, out + 2 * i);
        }
        s->frame += n;
        out += 2 * n;
        frames -= n;
    }
}

/* ---- common ------------------------------------------------------------------------- */

int audio_synth_init(struct audio_synth *synth, enum audio_source kind, uint32_t seed,
                     int sample_rate)
{
    memset(synth, 0, sizeof *synth);
    synth->kind = AUDIO_SOURCE_OFF;
    if ((kind != AUDIO_SOURCE_SEA && kind != AUDIO_SOURCE_RAIN && kind != AUDIO_SOURCE_FOREST) ||
        sample_rate < 8000 || sample_rate > 192000) {
        return -EINVAL;
    }
    synth->kind = kind;
    synth->sample_rate = sample_rate;
    uint64_t mix = ((uint64_t)seed << 8) ^ (uint64_t)kind;
    synth->prng.state = splitmix64(&mix) | 1u; /* xorshift must never hold 0 */
    struct audio_synth *s = synth;
    switch (kind) {
    case AUDIO_SOURCE_SEA: {
        sea_new_swell(s);
        double gain, a;
        sea_control(s, 0, &gain, &a);
        s->control_gain = (float)gain;
        break;
    }
    case AUDIO_SOURCE_RAIN: {
        for (int c = 0; c < 2; c++) {
            s->rain_high[c].a = (float)onepole_coefficient(RAIN_HIGHPASS_HZ, sample_rate);
            double low_hz =
                RAIN_LOWPASS_HZ < 0.45 * sample_rate ? RAIN_LOWPASS_HZ : 0.45 * sample_rate;
            s->rain_low[c].a = (float)onepole_coefficient(low_hz, sample_rate);
        }
        s->rain_bed_norm = (float)(1.0 / sqrt(rain_bed_power(s)));
        for (int i = 0; i < 2; i++) {
            double period = (i == 0 ? 11.0 : 17.0) * prng_range(&s->prng, 0.8, 1.25);
            s->drift_step[i] = SYNTH_TWO_PI / (period * sample_rate);
            s->drift_phase[i] = prng_range(&s->prng, 0.0, SYNTH_TWO_PI);
        }
        s->drop_scale = (float)sqrt(RAIN_DROP_SHARE / rain_drop_power());
        s->control_gain =
            (float)(sqrt(1.0 - RAIN_DROP_SHARE) * s->rain_bed_norm * rain_drift(s, 0));
        rain_schedule_drop(s);
        break;
    }
    default: { /* forest */
        for (int i = 0; i < 3; i++) {
            double period = gust_period_s[i] * prng_range(&s->prng, 0.8, 1.25);
            s->gust_step[i] = SYNTH_TWO_PI / (period * sample_rate);
            s->gust_phase[i] = prng_range(&s->prng, 0.0, SYNTH_TWO_PI);
        }
        double birds = bird_power() * BIRD_SCALE * BIRD_SCALE;
        s->bird_scale = (float)BIRD_SCALE;
        s->wind_weight = (float)sqrt(1.0 - birds);
        s->control_gain = 0.0f; /* the first block ramps in from silence */
        s->chirp_pos = s->chirp_frames = 0;
        bird_schedule_call(s);
        break;
    }
    }
    return 0;
}

void audio_synth_render(struct audio_synth *synth, float *stereo, int frames)
{
    switch (synth->kind) {
    case AUDIO_SOURCE_SEA:
        sea_render(synth, stereo, frames);
        break;
    case AUDIO_SOURCE_RAIN:
        rain_render(synth, stereo, frames);
        break;
    case AUDIO_SOURCE_FOREST:
        forest_render(synth, stereo, frames);
        break;
    default:
        memset(stereo, 0, sizeof *stereo * 2 * (size_t)frames);
        break;
    }
}
