/* SPDX-License-Identifier: EUPL-1.2 */
/* palette: see palette.h. */
#include "ui/palette.h"

#include <math.h>

static Uint8 mix(Uint8 from, Uint8 to, int step, int steps)
{
    return (Uint8)lround(from + (double)(to - from) * step / steps);
}

SDL_Color palette_stress_tile(int score)
{
    score = score < 0 ? 0 : score > 10 ? 10 : score;
    SDL_Color low = PALETTE_STRESS_LOW, high = PALETTE_STRESS_HIGH;
    return (SDL_Color){mix(low.r, high.r, score, 10), mix(low.g, high.g, score, 10),
                       mix(low.b, high.b, score, 10), 0xFF};
}

SDL_Color palette_stress_band(int score)
{
    /* Mid-tones from docs/design.md: #3F8C86 (calm) to #D98B3A (warm), never red. */
    score = score < 0 ? 0 : score > 10 ? 10 : score;
    return (SDL_Color){mix(0x3F, 0xD9, score, 10), mix(0x8C, 0x8B, score, 10),
                       mix(0x86, 0x3A, score, 10), 0xFF};
}

SDL_Color palette_pressed(SDL_Color colour)
{
    return (SDL_Color){(Uint8)(colour.r * 88 / 100), (Uint8)(colour.g * 88 / 100),
                       (Uint8)(colour.b * 88 / 100), colour.a};
}

static double channel_luminance(Uint8 value)
{
    double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double relative_luminance(SDL_Color c)
{
    return 0.2126 * channel_luminance(c.r) + 0.7152 * channel_luminance(c.g) +
           0.0722 * channel_luminance(c.b);
}

double palette_contrast(SDL_Color a, SDL_Color b)
{
    double la = relative_luminance(a), lb = relative_luminance(b);
    double lighter = la > lb ? la : lb, darker = la > lb ? lb : la;
    return (lighter + 0.05) / (darker + 0.05);
}
