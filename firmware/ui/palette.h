/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * palette: the kiosk's colours (docs/design.md "Look and feel") and the WCAG contrast
 * formula that keeps them readable. Pure functions; no SDL state.
 */
#ifndef OASE_PALETTE_H
#define OASE_PALETTE_H

#include <SDL2/SDL_pixels.h>

#define PALETTE_BACKGROUND ((SDL_Color){0xF4, 0xF1, 0xEA, 0xFF}) /* warm paper */
#define PALETTE_PANEL ((SDL_Color){0xE9, 0xDF, 0xCC, 0xFF})      /* sand */
#define PALETTE_INK ((SDL_Color){0x23, 0x34, 0x3B, 0xFF})        /* text */
#define PALETTE_MUTED ((SDL_Color){0x4E, 0x5D, 0x63, 0xFF})      /* secondary text: 5.2:1 on sand */
#define PALETTE_PRIMARY ((SDL_Color){0x2F, 0x6B, 0x5E, 0xFF})    /* deep sage button */
#define PALETTE_SECONDARY ((SDL_Color){0x3F, 0x6E, 0x8C, 0xFF})  /* sea button */
#define PALETTE_ON_BUTTON ((SDL_Color){0xFF, 0xFF, 0xFF, 0xFF})  /* text on buttons */
#define PALETTE_STRESS_LOW ((SDL_Color){0xCF, 0xE8, 0xE2, 0xFF}) /* tile 0 */
#define PALETTE_STRESS_HIGH ((SDL_Color){0xF6, 0xCF, 0xA8, 0xFF}) /* tile 10 */

/* Tile colour for a stress score 0..10: linear from calm blue-green to warm light orange. */
SDL_Color palette_stress_tile(int score);

/* A darker band colour for the same score, carrying the hue (never used behind text). */
SDL_Color palette_stress_band(int score);

/* The pressed-state shade of a colour (about 12 % darker), shown within one frame of a tap. */
SDL_Color palette_pressed(SDL_Color colour);

/* WCAG 2.x contrast ratio between two opaque colours, 1.0 .. 21.0. */
double palette_contrast(SDL_Color a, SDL_Color b);

#endif
