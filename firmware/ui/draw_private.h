/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * draw_private: what draw.c (cache, shapes), draw_pictograms.c (the drawings) and
 * draw_scene.c (the calm landscape) share. Not for other modules: they use draw.h.
 */
#ifndef OASE_DRAW_PRIVATE_H
#define OASE_DRAW_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>
#include <cairo.h>

#include "ui/draw.h"

#define DRAW_CACHE_ENTRIES 128 /* LRU bound on cached textures */
/* Byte budget of the cache's pixel memory (LRU). Every visitor screen in all six languages
 * needs about 0.45 MB at 800x480 (nine-slice rounded rectangles and pictograms, measured over
 * make bench's 100-journey replay); 2 MB keeps that with room for larger panels. */
#define DRAW_CACHE_BYTES (2u * 1024u * 1024u)
#define DRAW_UNKNOWN_NAMES_LOGGED 16 /* distinct unknown pictograms reported */
#define DRAW_SCENE_LAYERS 3          /* moving layers in front of the sky */

enum draw_kind { DRAW_KIND_ROUND_RECT = 1, DRAW_KIND_PICTOGRAM = 2 };

/* What a cached texture shows; all fields 32-bit, so no padding to compare. */
struct draw_key {
    int32_t kind;      /* enum draw_kind */
    int32_t w, h;      /* texture size in px */
    int32_t radius;    /* round rect corner radius (clamped), else 0 */
    int32_t border_px; /* round rect border width (clamped), else 0 */
    int32_t pictogram; /* pictogram index, else -1 */
    uint32_t fill;     /* RGBA packed: round rect fill */
    uint32_t border;   /* round rect border (0 when border_px is 0) */
    uint32_t ink;      /* pictogram ink */
};

struct draw_cache_entry {
    struct draw_key key;
    SDL_Texture *texture; /* NULL: the slot is free */
    uint64_t last_used;   /* draw->use_clock at the last hit or insert */
    size_t bytes;         /* w * h * 4 */
    uint32_t *lines;      /* round rect: middle column then middle row (straight-alpha
                             0xAARRGGBB), for the bands between the corners; else NULL */
};

struct draw_scene_layer {
    SDL_Texture *texture; /* (area w + period) x height, seamless with period */
    int top_px;           /* where the texture starts below the area's top */
    int height_px;
};

struct draw_scene {
    int area_w, area_h; /* size the textures were made for; 0 = none */
    bool failed;        /* the textures could not be made for this size */
    SDL_Texture *sky;   /* area w x the rows above the far hills, still */
    struct draw_scene_layer layers[DRAW_SCENE_LAYERS];
};

struct ui_draw {
    SDL_Renderer *renderer;
    int max_texture_w, max_texture_h; /* from SDL_GetRendererInfo; 0 = no limit */
    struct draw_cache_entry cache[DRAW_CACHE_ENTRIES];
    uint64_t use_clock; /* ticks on every cache use, for LRU */
    struct ui_draw_stats stats;
    uint32_t unknown_logged[DRAW_UNKNOWN_NAMES_LOGGED]; /* FNV-1a hashes of names logged */
    int unknown_logged_count;
    bool scene_failure_logged;
    struct draw_scene scene;
};

/*
 * Turns a cairo ARGB32 surface (premultiplied) into a static ARGB8888 texture with
 * straight alpha and SDL_BLENDMODE_BLEND. Counts one cairo render. NULL on failure
 * (logged by the caller).
 */
SDL_Texture *draw_texture_from_cairo(struct ui_draw *draw, cairo_surface_t *surface);

/* Largest side a texture may have in each direction (the renderer's limit, or 16384). */
int draw_max_texture_w(const struct ui_draw *draw);
int draw_max_texture_h(const struct ui_draw *draw);

/* Sets cairo's source to colour, alpha included. */
void draw_cairo_set_colour(cairo_t *cr, SDL_Color colour);

/* Pictograms (draw_pictograms.c). */
int draw_pictogram_index(const char *name); /* -1 when unknown or NULL */
int draw_pictogram_question_index(void);
/* Paints pictogram index on cr in a size x size square at the origin, in ink. */
void draw_pictogram_paint(cairo_t *cr, int index, double size, SDL_Color ink);

/* Scene (draw_scene.c). */
void draw_scene_release(struct draw_scene *scene);

#endif
