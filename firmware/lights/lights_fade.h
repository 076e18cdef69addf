/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_fade: moves every channel's lightness from where it is to a new target in a
 * straight line in L* (perceptual), all channels over the same duration so warm and cool
 * strips keep their ratio. Pure arithmetic on times it is given; never reads a clock.
 *
 * Step bound: between two calls at t1 < t2 a level moves at most
 * |target - start| * (t2 - t1) / duration <= 100 L* * (t2 - t1) / duration.
 * Default 20 s fade: 0.083 L* per frame at 60 Hz, 0.25 L* at the 50 ms the main loop is
 * asked for (lights_fade_tick_ms), so no step is visible. A fade of 0 s is one step.
 */
#ifndef OASE_LIGHTS_FADE_H
#define OASE_LIGHTS_FADE_H

#include <stdbool.h>
#include <stdint.h>

#include "lights/lights_config.h"

#define LIGHTS_FADE_STEP_LSTAR 0.25 /* wanted L* per tick; sets lights_fade_tick_ms() */
#define LIGHTS_FADE_TICK_MIN_MS 16  /* never ask for ticks faster than a 60 Hz frame */
#define LIGHTS_FADE_TICK_MAX_MS 50  /* nor slower than 20 Hz while fading */

struct lights_fade {
    int channel_count;
    double from[LIGHTS_MAX_CHANNELS]; /* L* at start_ms */
    double to[LIGHTS_MAX_CHANNELS];   /* L* at start_ms + duration_ms and after */
    int64_t start_ms;                 /* kiosk time the fade began */
    int64_t duration_ms;              /* 0 = jump */
};

/* At rest at levels (channel_count values). */
void lights_fade_init(struct lights_fade *fade, int channel_count, const double *levels,
                      int64_t now_ms);

/* Starts a fade from current to target (both channel_count values) at now_ms. */
void lights_fade_start(struct lights_fade *fade, const double *current, const double *target,
                       int64_t now_ms, int64_t duration_ms);

/*
 * Levels at now_ms into out. Before start_ms (the clock went back) the start levels; at or
 * after the end exactly the targets.
 */
void lights_fade_levels(const struct lights_fade *fade, int64_t now_ms, double *out);

/* True while now_ms is before the end and some channel still has to move. */
bool lights_fade_running(const struct lights_fade *fade, int64_t now_ms);

/* Kiosk time at which every level equals its target. */
int64_t lights_fade_end_ms(const struct lights_fade *fade);

/*
 * Tick interval (ms) that keeps each step near LIGHTS_FADE_STEP_LSTAR, clamped to
 * LIGHTS_FADE_TICK_MIN_MS..LIGHTS_FADE_TICK_MAX_MS.
 */
int64_t lights_fade_tick_ms(const struct lights_fade *fade);

#endif
