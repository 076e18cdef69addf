/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * draw_scene: the calm ambient landscape behind the welcome screen. A still sky with a
 * pale sun, then three layers of soft hills and waves in muted sage, sea and sand that
 * drift left at 4, 6 and 12 px/s. Each layer is drawn once with cairo into a texture
 * one horizontal period wider than the area, seamless with that period, so a frame is
 * four SDL_RenderCopy calls with offsets that are a pure function of t_ms.
 *
 * Each texture holds only the rows that can show: the sky down to the lowest point of the
 * far hills, and each layer down to the lowest point of the ridge in front of it, below
 * which that layer is opaque. The picture is the same as with full-height textures (every
 * pixel cut away was painted over), in about half the memory (0.9 MB less at 800x480).
 *
 * Calm by construction (WCAG 2.3.1): the layers differ little in lightness, nothing
 * blinks, the fastest layer needs more than 8 s to come round (the period is at least
 * 128 px and at most 12 px pass a second).
 */
#include <errno.h>
#include <math.h>

#include "core/log.h"
#include "ui/draw_private.h"
#include "ui/palette.h"

#define SCENE_PERIOD_MIN_PX 128 /* fastest layer: 128 px / 12 px/s = 10.7 s cycle */

struct scene_layer_spec {
    double base;           /* mean height of the ridge, fraction of the area height */
    double amplitude;      /* ridge swing either side, fraction of the area height */
    int harmonics[3];      /* whole waves per period, so the ridge is seamless */
    double weights[3];     /* their share of the swing */
    double phases[3];      /* radians */
    SDL_Color top, bottom; /* vertical gradient of the fill */
    int speed_px_per_s;    /* drift to the left; divides 12, so changes coincide */
};

static const struct scene_layer_spec scene_layers[DRAW_SCENE_LAYERS] = {
    {/* far hills, pale sage */
     .base = 0.50,
     .amplitude = 0.10,
     .harmonics = {1, 2, 3},
     .weights = {1.0, 0.45, 0.15},
     .phases = {0.3, 1.9, 4.1},
     .top = {0xCC, 0xDB, 0xD1, 0xFF},
     .bottom = {0xD9, 0xE3, 0xDA, 0xFF},
     .speed_px_per_s = 4},
    {/* the sea, soft blue-green swell */
     .base = 0.66,
     .amplitude = 0.035,
     .harmonics = {2, 3, 5},
     .weights = {1.0, 0.6, 0.3},
     .phases = {2.2, 0.7, 3.3},
     .top = {0xAE, 0xC8, 0xC6, 0xFF},
     .bottom = {0xC2, 0xD6, 0xD2, 0xFF},
     .speed_px_per_s = 6},
    {/* the near dunes, sand */
     .base = 0.84,
     .amplitude = 0.05,
     .harmonics = {1, 2, 4},
     .weights = {1.0, 0.5, 0.2},
     .phases = {4.0, 2.6, 0.9},
     .top = {0xE4, 0xD8, 0xC0, 0xFF},
     .bottom = {0xEC, 0xE3, 0xD1, 0xFF},
     .speed_px_per_s = 12},
};

static const SDL_Color scene_sky_top = {0xDD, 0xE8, 0xE4, 0xFF};
static const SDL_Color scene_sun = {0xF7, 0xEB, 0xD3, 0xFF};

void draw_scene_release(struct draw_scene *scene)
{
    if (scene->sky != NULL) {
        SDL_DestroyTexture(scene->sky);
    }
    for (int i = 0; i < DRAW_SCENE_LAYERS; i++) {
        if (scene->layers[i].texture != NULL) {
            SDL_DestroyTexture(scene->layers[i].texture);
        }
    }
    *scene = (struct draw_scene){0};
}

/*
 * The horizontal period for an area width: the width itself (no repeat visible on
 * screen), at least SCENE_PERIOD_MIN_PX, and small enough that width + period fits in
 * one texture. false when no such period exists.
 */
static bool scene_period(const struct ui_draw *draw, int width, int *period)
{
    int limit = draw_max_texture_w(draw) - width;
    int chosen = width < SCENE_PERIOD_MIN_PX ? SCENE_PERIOD_MIN_PX : width;
    if (chosen > limit) {
        chosen = limit;
    }
    if (chosen < SCENE_PERIOD_MIN_PX) {
        return false;
    }
    *period = chosen;
    return true;
}

static int64_t floor_mod(int64_t value, int64_t modulus)
{
    int64_t rest = value % modulus;
    return rest < 0 ? rest + modulus : rest;
}

/* Pixels the layer has drifted at t_ms, in [0, period): a pure function of t_ms. */
static int scene_offset(int64_t t_ms, int speed_px_per_s, int period)
{
    /* After period * 1000 ms every layer has moved a whole number of periods. */
    int64_t within = floor_mod(t_ms, (int64_t)period * 1000);
    return (int)((within * speed_px_per_s / 1000) % period);
}

static double ridge_y(const struct scene_layer_spec *spec, double x, int period, int height)
{
    double sum = 0, total = 0;
    for (int k = 0; k < 3; k++) {
        sum += spec->weights[k] * sin(2 * M_PI * spec->harmonics[k] * x / period + spec->phases[k]);
        total += spec->weights[k];
    }
    return height * (spec->base + spec->amplitude * sum / total);
}

static void set_gradient(cairo_t *cr, double y0, double y1, SDL_Color top, SDL_Color bottom)
{
    cairo_pattern_t *gradient = cairo_pattern_create_linear(0, y0, 0, y1);
    cairo_pattern_add_color_stop_rgb(gradient, 0, top.r / 255.0, top.g / 255.0, top.b / 255.0);
    cairo_pattern_add_color_stop_rgb(gradient, 1, bottom.r / 255.0, bottom.g / 255.0,
                                     bottom.b / 255.0);
    cairo_set_source(cr, gradient);
    cairo_pattern_destroy(gradient);
}

/* The first row below which the layer's fill is opaque everywhere (its lowest ridge point
 * plus the anti-aliased row and one for rounding), at most height. */
static int below_ridge(const struct scene_layer_spec *spec, int height)
{
    int row = (int)ceil(height * (spec->base + spec->amplitude)) + 2;
    return row < height ? row : height;
}

/* The sky's rows: down to where the far hills cover it. */
static int sky_rows(int height)
{
    return below_ridge(&scene_layers[0], height);
}

static SDL_Texture *render_sky(struct ui_draw *draw, int width, int height)
{
    SDL_Texture *texture = NULL;
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, sky_rows(height));
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        goto out_destroy_cairo;
    }
    set_gradient(cr, 0, height * 0.6, scene_sky_top, PALETTE_BACKGROUND);
    cairo_paint(cr);

    /* A pale sun with a faint halo: warmer than the sky, barely lighter. */
    double sun_x = width * 0.76, sun_y = height * 0.30;
    double sun_r = (width < height ? width : height) * 0.085;
    cairo_pattern_t *halo =
        cairo_pattern_create_radial(sun_x, sun_y, sun_r, sun_x, sun_y, sun_r * 2.4);
    cairo_pattern_add_color_stop_rgba(halo, 0, scene_sun.r / 255.0, scene_sun.g / 255.0,
                                      scene_sun.b / 255.0, 0.55);
    cairo_pattern_add_color_stop_rgba(halo, 1, scene_sun.r / 255.0, scene_sun.g / 255.0,
                                      scene_sun.b / 255.0, 0.0);
    cairo_set_source(cr, halo);
    cairo_paint(cr);
    cairo_pattern_destroy(halo);
    cairo_arc(cr, sun_x, sun_y, sun_r, 0, 2 * M_PI);
    draw_cairo_set_colour(cr, scene_sun);
    cairo_fill(cr);
    texture = draw_texture_from_cairo(draw, surface);

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

static SDL_Texture *render_layer(struct ui_draw *draw, int index, int width, int height, int period,
                                 struct draw_scene_layer *layer)
{
    const struct scene_layer_spec *spec = &scene_layers[index];
    int top = (int)floor(height * (spec->base - spec->amplitude)) - 2;
    top = top < 0 ? 0 : top;
    /* the layer in front is opaque below its own lowest ridge point */
    int bottom =
        index + 1 < DRAW_SCENE_LAYERS ? below_ridge(&scene_layers[index + 1], height) : height;
    bottom = bottom > top ? bottom : height;
    layer->top_px = top;
    layer->height_px = bottom - top;
    int texture_w = width + period;

    SDL_Texture *texture = NULL;
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, texture_w, layer->height_px);
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        goto out_destroy_cairo;
    }
    cairo_translate(cr, 0, -top);
    /* One vertex per pixel column: x and x + period get the same ridge and coverage. */
    cairo_move_to(cr, 0, height);
    for (int x = 0; x <= texture_w; x++) {
        cairo_line_to(cr, x, ridge_y(spec, x, period, height));
    }
    cairo_line_to(cr, texture_w, height);
    cairo_close_path(cr);
    set_gradient(cr, top, height, spec->top, spec->bottom);
    cairo_fill(cr);
    texture = draw_texture_from_cairo(draw, surface);

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

/* Makes the sky and layer textures for an area size; 0 or -ENOMEM / -ERANGE. */
static int scene_build(struct ui_draw *draw, int width, int height)
{
    struct draw_scene *scene = &draw->scene;
    draw_scene_release(scene);
    scene->area_w = width;
    scene->area_h = height;
    int period;
    if (!scene_period(draw, width, &period) || height > draw_max_texture_h(draw)) {
        scene->failed = true;
        return -ERANGE;
    }
    scene->sky = render_sky(draw, width, height);
    if (scene->sky == NULL) {
        goto out_release;
    }
    for (int i = 0; i < DRAW_SCENE_LAYERS; i++) {
        scene->layers[i].texture = render_layer(draw, i, width, height, period, &scene->layers[i]);
        if (scene->layers[i].texture == NULL) {
            goto out_release;
        }
    }
    return 0;

out_release:
    draw_scene_release(scene);
    scene->area_w = width;
    scene->area_h = height;
    scene->failed = true;
    return -ENOMEM;
}

void ui_draw_calm_scene(struct ui_draw *draw, SDL_Rect area, int64_t t_ms, bool animate)
{
    if (draw == NULL || area.w <= 0 || area.h <= 0) {
        return;
    }
    struct draw_scene *scene = &draw->scene;
    if (scene->area_w != area.w || scene->area_h != area.h) {
        int rc = scene_build(draw, area.w, area.h);
        if (rc != 0 && !draw->scene_failure_logged) {
            draw->scene_failure_logged = true;
            log_msg(LOG_WARN,
                    "draw: calm scene %dx%d: cannot make its textures (%s; renderer limit "
                    "%dx%d px); filling the area with the paper colour instead",
                    area.w, area.h, rc == -ERANGE ? "too large" : SDL_GetError(),
                    draw_max_texture_w(draw), draw_max_texture_h(draw));
        }
    }
    if (scene->failed) {
        SDL_Color old;
        SDL_GetRenderDrawColor(draw->renderer, &old.r, &old.g, &old.b, &old.a);
        SDL_Color paper = PALETTE_BACKGROUND;
        SDL_SetRenderDrawColor(draw->renderer, paper.r, paper.g, paper.b, paper.a);
        SDL_RenderFillRect(draw->renderer, &area);
        SDL_SetRenderDrawColor(draw->renderer, old.r, old.g, old.b, old.a);
        return;
    }
    int period;
    if (!scene_period(draw, area.w, &period)) {
        return; /* cannot happen: the build above succeeded with the same width */
    }
    int64_t t = animate ? t_ms : 0;
    SDL_Rect sky = {area.x, area.y, area.w, sky_rows(area.h)};
    SDL_RenderCopy(draw->renderer, scene->sky, NULL, &sky);
    for (int i = 0; i < DRAW_SCENE_LAYERS; i++) {
        const struct draw_scene_layer *layer = &scene->layers[i];
        SDL_Rect src = {scene_offset(t, scene_layers[i].speed_px_per_s, period), 0, area.w,
                        layer->height_px};
        SDL_Rect dst = {area.x, area.y + layer->top_px, area.w, layer->height_px};
        SDL_RenderCopy(draw->renderer, layer->texture, &src, &dst);
    }
}

int64_t ui_draw_scene_next_change_ms(const struct ui_draw *draw, SDL_Rect area, int64_t t_ms)
{
    int period;
    if (draw == NULL || area.w <= 0 || area.h <= 0 || !scene_period(draw, area.w, &period) ||
        t_ms > INT64_MAX - 2000) {
        return INT64_MAX;
    }
    if (t_ms < INT64_MIN + 2000) {
        return t_ms + 1; /* no kiosk clock says this; answer safely without overflow */
    }
    /* Every layer moves a whole number of pixels each second, so work within one second. */
    int64_t second = t_ms - floor_mod(t_ms, 1000);
    int64_t into = t_ms - second;
    int64_t next = INT64_MAX;
    for (int i = 0; i < DRAW_SCENE_LAYERS; i++) {
        int64_t speed = scene_layers[i].speed_px_per_s;
        int64_t pixel = into * speed / 1000 + 1;                  /* the next whole pixel */
        int64_t at = second + (pixel * 1000 + speed - 1) / speed; /* first ms it is reached */
        next = at < next ? at : next;
    }
    return next;
}

int64_t ui_draw_scene_cycle_ms(const struct ui_draw *draw, SDL_Rect area)
{
    int period;
    if (draw == NULL || area.w <= 0 || area.h <= 0 || !scene_period(draw, area.w, &period)) {
        return INT64_MAX;
    }
    int64_t shortest = INT64_MAX;
    for (int i = 0; i < DRAW_SCENE_LAYERS; i++) {
        int64_t speed = scene_layers[i].speed_px_per_s;
        int64_t cycle = ((int64_t)period * 1000 + speed - 1) / speed;
        shortest = cycle < shortest ? cycle : shortest;
    }
    return shortest;
}
