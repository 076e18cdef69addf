/* SPDX-License-Identifier: EUPL-1.2 */
/* lights_fade: see lights_fade.h. lights_tick() -> here -> levels -> lights_curve -> drivers. */
#include "lights/lights_fade.h"

#include <math.h>
#include <string.h>

void lights_fade_init(struct lights_fade *fade, int channel_count, const double *levels,
                      int64_t now_ms)
{
    memset(fade, 0, sizeof *fade);
    fade->channel_count = channel_count;
    for (int i = 0; i < channel_count; i++) {
        fade->from[i] = fade->to[i] = levels[i];
    }
    fade->start_ms = now_ms;
    fade->duration_ms = 0;
}

void lights_fade_start(struct lights_fade *fade, const double *current, const double *target,
                       int64_t now_ms, int64_t duration_ms)
{
    for (int i = 0; i < fade->channel_count; i++) {
        fade->from[i] = current[i];
        fade->to[i] = target[i];
    }
    fade->start_ms = now_ms;
    fade->duration_ms = duration_ms > 0 ? duration_ms : 0;
}

void lights_fade_levels(const struct lights_fade *fade, int64_t now_ms, double *out)
{
    int64_t elapsed = now_ms - fade->start_ms;
    for (int i = 0; i < fade->channel_count; i++) {
        if (elapsed >= fade->duration_ms) {
            out[i] = fade->to[i];
        } else if (elapsed <= 0) {
            out[i] = fade->from[i];
        } else {
            double progress = (double)elapsed / (double)fade->duration_ms;
            out[i] = fade->from[i] + (fade->to[i] - fade->from[i]) * progress;
        }
    }
}

bool lights_fade_running(const struct lights_fade *fade, int64_t now_ms)
{
    if (now_ms >= lights_fade_end_ms(fade)) {
        return false;
    }
    for (int i = 0; i < fade->channel_count; i++) {
        if (fade->from[i] != fade->to[i]) {
            return true;
        }
    }
    return false;
}

int64_t lights_fade_end_ms(const struct lights_fade *fade)
{
    return fade->start_ms + fade->duration_ms;
}

int64_t lights_fade_tick_ms(const struct lights_fade *fade)
{
    double widest = 0;
    for (int i = 0; i < fade->channel_count; i++) {
        widest = fmax(widest, fabs(fade->to[i] - fade->from[i]));
    }
    if (widest <= 0) {
        return LIGHTS_FADE_TICK_MAX_MS;
    }
    double interval = (double)fade->duration_ms * LIGHTS_FADE_STEP_LSTAR / widest;
    if (interval < LIGHTS_FADE_TICK_MIN_MS) {
        return LIGHTS_FADE_TICK_MIN_MS;
    }
    if (interval > LIGHTS_FADE_TICK_MAX_MS) {
        return LIGHTS_FADE_TICK_MAX_MS;
    }
    return (int64_t)interval;
}
