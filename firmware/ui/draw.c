/*
 * draw: see draw.h. This file holds the texture cache, the cairo-to-SDL conversion and
 * the rounded rectangle; pictograms are drawn in draw_pictograms.c, the calm scene in
 * draw_scene.c. Screens call it while they build a frame: screen -> ui_draw -> renderer.
 */
#include "ui/draw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "ui/draw_private.h"

#define DRAW_TEXTURE_SIDE_FALLBACK 16384 /* when the renderer reports no limit */
#define DRAW_PICTOGRAM_MIN_PX 8

static uint32_t pack_colour(SDL_Color colour)
{
    return (uint32_t)colour.r << 24 | (uint32_t)colour.g << 16 | (uint32_t)colour.b << 8 | colour.a;
}

static bool key_equal(const struct draw_key *a, const struct draw_key *b)
{
    return a->kind == b->kind && a->w == b->w && a->h == b->h && a->radius == b->radius &&
           a->border_px == b->border_px && a->pictogram == b->pictogram && a->fill == b->fill &&
           a->border == b->border && a->ink == b->ink;
}

int draw_max_texture_w(const struct ui_draw *draw)
{
    return draw->max_texture_w > 0 ? draw->max_texture_w : DRAW_TEXTURE_SIDE_FALLBACK;
}

int draw_max_texture_h(const struct ui_draw *draw)
{
    return draw->max_texture_h > 0 ? draw->max_texture_h : DRAW_TEXTURE_SIDE_FALLBACK;
}

void draw_cairo_set_colour(cairo_t *cr, SDL_Color colour)
{
    cairo_set_source_rgba(cr, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0,
                          colour.a / 255.0);
}

/*
 * Cairo keeps premultiplied alpha; SDL_BLENDMODE_BLEND expects straight alpha, and the
 * software renderer supports no custom (premultiplied) blend mode. So the pixels are
 * un-premultiplied here, once per texture. Both formats are native-endian 0xAARRGGBB.
 */
static void unpremultiply(uint8_t *data, int width, int height, int stride)
{
    for (int y = 0; y < height; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++) {
            uint32_t pixel = row[x];
            uint32_t alpha = pixel >> 24;
            if (alpha == 0) {
                row[x] = 0;
                continue;
            }
            if (alpha == 255) {
                continue;
            }
            uint32_t red = (((pixel >> 16) & 0xFF) * 255 + alpha / 2) / alpha;
            uint32_t green = (((pixel >> 8) & 0xFF) * 255 + alpha / 2) / alpha;
            uint32_t blue = ((pixel & 0xFF) * 255 + alpha / 2) / alpha;
            red = red > 255 ? 255 : red;
            green = green > 255 ? 255 : green;
            blue = blue > 255 ? 255 : blue;
            row[x] = alpha << 24 | red << 16 | green << 8 | blue;
        }
    }
}

SDL_Texture *draw_texture_from_cairo(struct ui_draw *draw, cairo_surface_t *surface)
{
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        return NULL;
    }
    cairo_surface_flush(surface);
    int width = cairo_image_surface_get_width(surface);
    int height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    uint8_t *data = cairo_image_surface_get_data(surface);
    if (data == NULL || width <= 0 || height <= 0) {
        return NULL;
    }
    unpremultiply(data, width, height, stride);
    cairo_surface_mark_dirty(surface);
    draw->stats.cairo_renders++;

    SDL_Texture *texture = SDL_CreateTexture(draw->renderer, SDL_PIXELFORMAT_ARGB8888,
                                             SDL_TEXTUREACCESS_STATIC, width, height);
    if (texture == NULL) {
        return NULL;
    }
    if (SDL_UpdateTexture(texture, NULL, data, stride) != 0 ||
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND) != 0) {
        SDL_DestroyTexture(texture);
        return NULL;
    }
    return texture;
}

struct ui_draw *ui_draw_open(SDL_Renderer *renderer)
{
    if (renderer == NULL) {
        return NULL;
    }
    struct ui_draw *draw = calloc(1, sizeof *draw);
    if (draw == NULL) {
        return NULL;
    }
    draw->renderer = renderer;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(renderer, &info) == 0) {
        draw->max_texture_w = info.max_texture_width;
        draw->max_texture_h = info.max_texture_height;
    }
    /* A renderer that cannot make one small blending texture cannot draw anything here. */
    SDL_Texture *probe =
        SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, 1, 1);
    if (probe == NULL) {
        log_msg(LOG_ERROR, "draw: the renderer cannot make textures: %s", SDL_GetError());
        goto out_free;
    }
    SDL_DestroyTexture(probe);
    return draw;

out_free:
    free(draw);
    return NULL;
}

static void cache_drop(struct ui_draw *draw, struct draw_cache_entry *entry)
{
    if (entry->texture == NULL) {
        return;
    }
    SDL_DestroyTexture(entry->texture);
    draw->stats.cached_textures--;
    draw->stats.cached_bytes -= entry->bytes;
    memset(entry, 0, sizeof *entry);
}

void ui_draw_flush_cache(struct ui_draw *draw)
{
    if (draw == NULL) {
        return;
    }
    for (int i = 0; i < DRAW_CACHE_ENTRIES; i++) {
        cache_drop(draw, &draw->cache[i]);
    }
    draw_scene_release(&draw->scene);
}

void ui_draw_close(struct ui_draw *draw)
{
    if (draw == NULL) {
        return;
    }
    ui_draw_flush_cache(draw);
    free(draw);
}

void ui_draw_get_stats(const struct ui_draw *draw, struct ui_draw_stats *out)
{
    if (out == NULL) {
        return;
    }
    if (draw == NULL) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = draw->stats;
}

static SDL_Texture *cache_find(struct ui_draw *draw, const struct draw_key *key)
{
    for (int i = 0; i < DRAW_CACHE_ENTRIES; i++) {
        struct draw_cache_entry *entry = &draw->cache[i];
        if (entry->texture != NULL && key_equal(&entry->key, key)) {
            entry->last_used = ++draw->use_clock;
            draw->stats.cache_hits++;
            return entry->texture;
        }
    }
    return NULL;
}

/* The least recently used entry, or NULL when the cache is empty. */
static struct draw_cache_entry *cache_oldest(struct ui_draw *draw)
{
    struct draw_cache_entry *oldest = NULL;
    for (int i = 0; i < DRAW_CACHE_ENTRIES; i++) {
        struct draw_cache_entry *entry = &draw->cache[i];
        if (entry->texture != NULL && (oldest == NULL || entry->last_used < oldest->last_used)) {
            oldest = entry;
        }
    }
    return oldest;
}

/* Takes ownership of texture: it is cached, evicting the least recently used entries. */
static void cache_insert(struct ui_draw *draw, const struct draw_key *key, SDL_Texture *texture)
{
    size_t bytes = (size_t)key->w * (size_t)key->h * 4u;
    while (
        draw->stats.cached_textures >= DRAW_CACHE_ENTRIES ||
        (draw->stats.cached_textures > 0 && draw->stats.cached_bytes + bytes > DRAW_CACHE_BYTES)) {
        cache_drop(draw, cache_oldest(draw));
    }
    for (int i = 0; i < DRAW_CACHE_ENTRIES; i++) {
        struct draw_cache_entry *entry = &draw->cache[i];
        if (entry->texture == NULL) {
            entry->key = *key;
            entry->texture = texture;
            entry->bytes = bytes;
            entry->last_used = ++draw->use_clock;
            draw->stats.cached_textures++;
            draw->stats.cached_bytes += bytes;
            return;
        }
    }
    SDL_DestroyTexture(texture); /* unreachable: the loop above freed a slot */
}

static void path_round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static SDL_Texture *render_round_rect(struct ui_draw *draw, const struct draw_key *key,
                                      SDL_Color fill, SDL_Color border)
{
    SDL_Texture *texture = NULL;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, key->w, key->h);
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        goto out_destroy_cairo;
    }
    if (key->border_px > 0) {
        /* The ring in border colour, then the inside replaced (not blended) with fill. */
        path_round_rect(cr, 0, 0, key->w, key->h, key->radius);
        draw_cairo_set_colour(cr, border);
        cairo_fill(cr);
        double inset = key->border_px;
        double inner_radius = key->radius > inset ? key->radius - inset : 0;
        path_round_rect(cr, inset, inset, key->w - 2 * inset, key->h - 2 * inset, inner_radius);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    } else {
        path_round_rect(cr, 0, 0, key->w, key->h, key->radius);
    }
    draw_cairo_set_colour(cr, fill);
    cairo_fill(cr);
    texture = draw_texture_from_cairo(draw, surface);

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

void ui_draw_round_rect(struct ui_draw *draw, SDL_Rect rect, int radius, SDL_Color fill,
                        SDL_Color border, int border_px)
{
    if (draw == NULL || rect.w <= 0 || rect.h <= 0) {
        return;
    }
    int shorter = rect.w < rect.h ? rect.w : rect.h;
    struct draw_key key = {
        .kind = DRAW_KIND_ROUND_RECT,
        .w = rect.w,
        .h = rect.h,
        .radius = radius < 0             ? 0
                  : radius > shorter / 2 ? shorter / 2
                                         : radius,
        .border_px = border_px < 0             ? 0
                     : border_px > shorter / 2 ? shorter / 2
                                               : border_px,
        .pictogram = -1,
        .fill = pack_colour(fill),
    };
    key.border = key.border_px > 0 ? pack_colour(border) : 0;

    SDL_Texture *texture = cache_find(draw, &key);
    if (texture == NULL && rect.w <= draw_max_texture_w(draw) &&
        rect.h <= draw_max_texture_h(draw)) {
        texture = render_round_rect(draw, &key, fill, border);
        if (texture != NULL) {
            cache_insert(draw, &key, texture);
        }
    }
    if (texture == NULL) {
        /* Degrade to square corners rather than leave a hole in the screen. */
        SDL_Color old;
        SDL_BlendMode old_blend;
        SDL_GetRenderDrawColor(draw->renderer, &old.r, &old.g, &old.b, &old.a);
        SDL_GetRenderDrawBlendMode(draw->renderer, &old_blend);
        SDL_SetRenderDrawBlendMode(draw->renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(draw->renderer, fill.r, fill.g, fill.b, fill.a);
        SDL_RenderFillRect(draw->renderer, &rect);
        SDL_SetRenderDrawColor(draw->renderer, old.r, old.g, old.b, old.a);
        SDL_SetRenderDrawBlendMode(draw->renderer, old_blend);
        return;
    }
    SDL_RenderCopy(draw->renderer, texture, NULL, &rect);
}

static uint32_t name_hash(const char *name)
{
    uint32_t hash = 2166136261u;
    for (const char *c = name; *c != '\0'; c++) {
        hash = (hash ^ (uint8_t)*c) * 16777619u;
    }
    return hash;
}

/* Logs an unknown pictogram name the first time it is seen (bounded set of names). */
static void report_unknown(struct ui_draw *draw, const char *name)
{
    uint32_t hash = name == NULL ? 0 : name_hash(name);
    for (int i = 0; i < draw->unknown_logged_count; i++) {
        if (draw->unknown_logged[i] == hash) {
            return;
        }
    }
    if (draw->unknown_logged_count >= DRAW_UNKNOWN_NAMES_LOGGED) {
        return;
    }
    draw->unknown_logged[draw->unknown_logged_count++] = hash;
    log_msg(LOG_WARN,
            "draw: pictogram \"%.40s\" does not exist; drawing \"question\" instead "
            "(names are listed in firmware/ui/draw.h)",
            name == NULL ? "(null)" : name);
}

static SDL_Texture *render_pictogram(struct ui_draw *draw, const struct draw_key *key,
                                     SDL_Color ink)
{
    SDL_Texture *texture = NULL;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, key->w, key->h);
    cairo_t *cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        goto out_destroy_cairo;
    }
    draw_pictogram_paint(cr, key->pictogram, key->w, ink);
    texture = draw_texture_from_cairo(draw, surface);

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

void ui_draw_pictogram(struct ui_draw *draw, const char *name, SDL_Rect box, SDL_Color ink)
{
    ui_draw_pictogram_mirrored(draw, name, box, ink, false);
}

void ui_draw_pictogram_mirrored(struct ui_draw *draw, const char *name, SDL_Rect box, SDL_Color ink,
                                bool mirrored)
{
    if (draw == NULL) {
        return;
    }
    int index = draw_pictogram_index(name);
    if (index < 0) {
        report_unknown(draw, name);
        index = draw_pictogram_question_index();
    }
    int side = box.w < box.h ? box.w : box.h;
    if (side < DRAW_PICTOGRAM_MIN_PX || side > draw_max_texture_w(draw) ||
        side > draw_max_texture_h(draw)) {
        return;
    }
    struct draw_key key = {
        .kind = DRAW_KIND_PICTOGRAM,
        .w = side,
        .h = side,
        .pictogram = index,
        .ink = pack_colour(ink),
    };
    SDL_Texture *texture = cache_find(draw, &key);
    if (texture == NULL) {
        texture = render_pictogram(draw, &key, ink);
        if (texture == NULL) {
            return;
        }
        cache_insert(draw, &key, texture);
    }
    SDL_Rect dst = {box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side};
    SDL_RenderCopyEx(draw->renderer, texture, NULL, &dst, 0.0, NULL,
                     mirrored ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
}
