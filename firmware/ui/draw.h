/*
 * draw: shapes, pictograms and the calm ambient animation, drawn anti-aliased with cairo
 * into textures that are cached and copied with the SDL renderer. Pictograms sit beside
 * words for people who read little. Frame thread only.
 */
#ifndef OASE_DRAW_H
#define OASE_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL2/SDL.h>

struct ui_draw;

/*
 * Pictogram names (also used for services in the config's icon key):
 *   checkin (person walking to a door), leave (person leaving through a door),
 *   money, work, home, care (heart in hands), question, family, letter,
 *   chat (speech bubbles), yes (check mark), no (a calm hand / "no thanks"),
 *   skip (arrow past a dot), back (arrow back), coffee (cup), seat (chair),
 *   clock, calm_face, tense_face, butterfly, heron, leaf, shell, acorn, fern.
 */
bool ui_draw_pictogram_known(const char *name);

/* NULL if the renderer cannot make textures. */
struct ui_draw *ui_draw_open(SDL_Renderer *renderer);
void ui_draw_close(struct ui_draw *draw);

/* A filled rounded rectangle, with an optional border (border_px 0 = none). */
void ui_draw_round_rect(struct ui_draw *draw, SDL_Rect rect, int radius, SDL_Color fill,
                        SDL_Color border, int border_px);

/* A pictogram centred in box (square, side = the smaller of w and h), stroked in ink. */
void ui_draw_pictogram(struct ui_draw *draw, const char *name, SDL_Rect box, SDL_Color ink);

/*
 * The calm ambient scene (slow soft waves / hills in muted sage and sand) filling area
 * at time t_ms. One cycle lasts at least 8 s, no flashing; cheap per frame (layers are
 * rendered once and moved). With animate false it draws the still picture of t = 0.
 */
void ui_draw_calm_scene(struct ui_draw *draw, SDL_Rect area, int64_t t_ms, bool animate);

/* Drops cached textures (after a renderer reset). */
void ui_draw_flush_cache(struct ui_draw *draw);

#endif
