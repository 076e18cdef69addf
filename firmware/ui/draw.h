/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * draw: shapes, pictograms and the calm ambient animation, drawn anti-aliased with cairo
 * into textures that are cached and copied with the SDL renderer. Pictograms sit beside
 * words for people who read little. Frame thread only.
 *
 * Owns every texture it makes (a bounded LRU cache plus the scene's layers); never
 * changes the renderer's target, draw colour or clip. Cairo works only on a cache miss.
 */
#ifndef OASE_DRAW_H
#define OASE_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

struct ui_draw;

/*
 * Pictogram names (also used for services in the config's icon key):
 *   checkin (person walking to a door), leave (person leaving through a door),
 *   money, work, home, care (heart in hands), question, family, letter,
 *   chat (speech bubbles), yes (check mark), no (a calm hand / "no thanks"),
 *   skip (arrow past a dot), back (arrow back), coffee (cup), seat (chair),
 *   clock, calm_face, tense_face, butterfly, heron, leaf, shell, acorn, fern,
 *   speak (loudspeaker), large-text (a small and a large A), wave-hand (a tilted hand
 *   waving goodbye: "Ik ga weg"), and one for every other nature word of the friendly
 *   names (i18n/nature_words.h): willow, robin, pebble, moss, dune, brook, swallow,
 *   clover, birch, tulip, hedgehog, reed, starling, lily, swan, maple, pine, wave, star,
 *   dolphin, cherry, restart (circle arrow), language (globe), help (person with a
 *   raised hand).
 * Names are exact and case-sensitive. false for NULL.
 */
bool ui_draw_pictogram_known(const char *name);

/*
 * The index-th pictogram name (0-based, in the order above), or NULL past the last one.
 * For messages that list what is accepted, and for tools that show every pictogram.
 */
const char *ui_draw_pictogram_name(size_t index);

/* NULL if the renderer cannot make textures (or renderer is NULL, or out of memory). */
struct ui_draw *ui_draw_open(SDL_Renderer *renderer);
/* Frees every texture and the struct. NULL does nothing. */
void ui_draw_close(struct ui_draw *draw);

/*
 * A filled rounded rectangle, with an optional border (border_px 0 = none) drawn inside
 * rect. radius is clamped to half the shorter side. Colours are straight (not
 * premultiplied) alpha. Nothing is drawn for an empty rect; if no texture can be made a
 * plain rectangle in fill is drawn instead.
 */
void ui_draw_round_rect(struct ui_draw *draw, SDL_Rect rect, int radius, SDL_Color fill,
                        SDL_Color border, int border_px);

/*
 * A pictogram centred in box (square, side = the smaller of w and h), stroked in ink with
 * a line about 1/12 of the side. An unknown or NULL name draws "question" and is logged
 * once per name (the first 16 distinct unknown names). Nothing is drawn for a side < 8 px
 * or when no texture can be made.
 */
void ui_draw_pictogram(struct ui_draw *draw, const char *name, SDL_Rect box, SDL_Color ink);

/*
 * The same pictogram, flipped left to right when mirrored is true: arrows such as back
 * and skip point the reading direction in right-to-left languages. Same cache entry.
 */
void ui_draw_pictogram_mirrored(struct ui_draw *draw, const char *name, SDL_Rect box, SDL_Color ink,
                                bool mirrored);

/*
 * The calm ambient scene (slow soft waves / hills in muted sage and sand) filling area
 * at time t_ms. One cycle lasts at least 8 s, no flashing; cheap per frame (layers are
 * rendered once and moved). With animate false it draws the still picture of t = 0.
 * The picture is a pure function of (area size, t_ms): the same time draws the same
 * pixels. Layers are made for one area size at a time (about 10 ms with cairo at
 * 800x480, then about 0.5 ms a frame on the software renderer), so keep one scene size.
 * If the layers cannot be made, area is filled with the paper colour (logged once).
 */
void ui_draw_calm_scene(struct ui_draw *draw, SDL_Rect area, int64_t t_ms, bool animate);

/*
 * The first time after t_ms (always > t_ms) at which the animated scene in area looks
 * different by at least one pixel; until then the frame of t_ms is still correct. The
 * main loop can sleep until this instant instead of redrawing every frame (about 12
 * changes a second). INT64_MAX when the scene never changes (empty area) and for a NULL
 * draw.
 */
int64_t ui_draw_scene_next_change_ms(const struct ui_draw *draw, SDL_Rect area, int64_t t_ms);

/*
 * The shortest cycle of the scene in area: the least time after which any one moving
 * layer shows the same picture again (its horizontal period divided by its speed).
 * Always >= 8000 by design (docs/design.md: one cycle >= 8 s). INT64_MAX for an empty area or
 * a NULL draw.
 */
int64_t ui_draw_scene_cycle_ms(const struct ui_draw *draw, SDL_Rect area);

/* Drops cached textures (after a renderer reset). NULL does nothing. */
void ui_draw_flush_cache(struct ui_draw *draw);

/* What the cache did so far: for tests and benchmarks. */
struct ui_draw_stats {
    uint64_t cairo_renders; /* textures drawn with cairo: cache misses and scene layers */
    uint64_t cache_hits;    /* shapes and pictograms copied from a cached texture */
    int cached_textures;    /* textures in the LRU cache now (<= 128) */
    size_t cached_bytes;    /* their pixel memory now */
};

/* Copies the counters into *out. Zeroes *out for a NULL draw. */
void ui_draw_get_stats(const struct ui_draw *draw, struct ui_draw_stats *out);

#endif
