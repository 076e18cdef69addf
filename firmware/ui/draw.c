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

static struct draw_cache_entry *cache_find(struct ui_draw *draw, const struct draw_key *key)
{
    for (int i = 0; i < DRAW_CACHE_ENTRIES; i++) {
        struct draw_cache_entry *entry = &draw->cache[i];
        if (entry->texture != NULL && key_equal(&entry->key, key)) {
            entry->last_used = ++draw->use_clock;
            draw->stats.cache_hits++;
            return entry;
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

/* Takes ownership of texture: it is cached, evicting the least recently used entries.
 * Returns its entry (valid until the next insert or flush). */
static struct draw_cache_entry *cache_insert(struct ui_draw *draw, const struct draw_key *key,
                                             SDL_Texture *texture)
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
            return entry;
        }
    }
    /* unreachable: the loop above freed a slot; reuse the first one to stay safe */
    cache_drop(draw, &draw->cache[0]);
    return cache_insert(draw, key, texture);
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

/* The texture of key, and in *middle the straight-alpha colour of its centre pixel. */
static SDL_Texture *render_round_rect(struct ui_draw *draw, const struct draw_key *key,
                                      SDL_Color fill, SDL_Color border, SDL_Color *middle)
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
    if (texture != NULL) {
        /* Converted in place to straight alpha: the centre is what the middle shows. */
        const uint8_t *row = cairo_image_surface_get_data(surface) +
                             (size_t)(key->h / 2) * (size_t)cairo_image_surface_get_stride(surface);
        uint32_t pixel = ((const uint32_t *)(const void *)row)[key->w / 2];
        *middle = (SDL_Color){(uint8_t)(pixel >> 16), (uint8_t)(pixel >> 8), (uint8_t)pixel,
                              (uint8_t)(pixel >> 24)};
        /* Stretched slices must not blend with their neighbours (GPU renderers filter). */
        SDL_SetTextureScaleMode(texture, SDL_ScaleModeNearest);
    }

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

/*
 * A rounded rectangle is cached as a small nine-slice texture, not at its full size: only
 * the corners (within max(radius, border) of each side) hold curves, and every pixel column
 * between them is the same, as is every row. So a rect wider than 2c + 1 (c = that corner
 * size) is made at width 2c + 1 and its middle column is stretched; the same for the height.
 * The pixels are those of a full-size texture (the path is the same, moved by whole pixels),
 * but a 700x100 button takes 49x49x4 bytes instead of 700x100x4, and buttons of any size
 * with the same corners and colours share one texture. An opaque middle (every kiosk fill)
 * is filled with its own pixel colour without blending, which is also the cheapest blit.
 */
static int slice_side(int length, int corner)
{
    return length > 2 * corner + 1 ? 2 * corner + 1 : length;
}

/* Copies one row band of the nine-slice texture: left corner, stretched middle, right. */
static void copy_slice_row(struct ui_draw *draw, const struct draw_cache_entry *entry,
                           SDL_Rect rect, int src_y, int src_h, int dst_y, int dst_h)
{
    int corner = (entry->key.w - 1) / 2;
    if (entry->key.w == rect.w) { /* not sliced across */
        SDL_Rect src = {0, src_y, entry->key.w, src_h};
        SDL_Rect dst = {rect.x, dst_y, rect.w, dst_h};
        SDL_RenderCopy(draw->renderer, entry->texture, &src, &dst);
        return;
    }
    SDL_Rect src_left = {0, src_y, corner, src_h};
    SDL_Rect dst_left = {rect.x, dst_y, corner, dst_h};
    SDL_Rect src_mid = {corner, src_y, 1, src_h};
    SDL_Rect dst_mid = {rect.x + corner, dst_y, rect.w - 2 * corner, dst_h};
    SDL_Rect src_right = {corner + 1, src_y, corner, src_h};
    SDL_Rect dst_right = {rect.x + rect.w - corner, dst_y, corner, dst_h};
    SDL_RenderCopy(draw->renderer, entry->texture, &src_left, &dst_left);
    SDL_RenderCopy(draw->renderer, entry->texture, &src_mid, &dst_mid);
    SDL_RenderCopy(draw->renderer, entry->texture, &src_right, &dst_right);
}

static void copy_round_rect(struct ui_draw *draw, const struct draw_cache_entry *entry,
                            SDL_Rect rect)
{
    if (entry->key.w == rect.w && entry->key.h == rect.h) {
        SDL_RenderCopy(draw->renderer, entry->texture, NULL, &rect);
        return;
    }
    if (entry->key.h == rect.h) {
        copy_slice_row(draw, entry, rect, 0, rect.h, rect.y, rect.h);
        return;
    }
    int corner = (entry->key.h - 1) / 2;
    copy_slice_row(draw, entry, rect, 0, corner, rect.y, corner);
    copy_slice_row(draw, entry, rect, corner + 1, corner, rect.y + rect.h - corner, corner);
    int corner_w = entry->key.w == rect.w ? 0 : (entry->key.w - 1) / 2;
    SDL_Rect middle = {rect.x + corner_w, rect.y + corner, rect.w - 2 * corner_w,
                       rect.h - 2 * corner};
    if (corner_w > 0) { /* the left and right sides of the middle band */
        SDL_Rect src_left = {0, corner, corner_w, 1};
        SDL_Rect dst_left = {rect.x, middle.y, corner_w, middle.h};
        SDL_Rect src_right = {corner_w + 1, corner, corner_w, 1};
        SDL_Rect dst_right = {rect.x + rect.w - corner_w, middle.y, corner_w, middle.h};
        SDL_RenderCopy(draw->renderer, entry->texture, &src_left, &dst_left);
        SDL_RenderCopy(draw->renderer, entry->texture, &src_right, &dst_right);
    }
    if (entry->middle.a == 255) {
        SDL_Color old;
        SDL_BlendMode old_blend;
        SDL_GetRenderDrawColor(draw->renderer, &old.r, &old.g, &old.b, &old.a);
        SDL_GetRenderDrawBlendMode(draw->renderer, &old_blend);
        SDL_SetRenderDrawBlendMode(draw->renderer, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(draw->renderer, entry->middle.r, entry->middle.g, entry->middle.b,
                               255);
        SDL_RenderFillRect(draw->renderer, &middle);
        SDL_SetRenderDrawColor(draw->renderer, old.r, old.g, old.b, old.a);
        SDL_SetRenderDrawBlendMode(draw->renderer, old_blend);
    } else {
        SDL_Rect src_mid = {corner_w, corner, 1, 1};
        SDL_RenderCopy(draw->renderer, entry->texture, &src_mid, &middle);
    }
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
    int corner = key.radius > key.border_px ? key.radius : key.border_px;
    key.w = slice_side(rect.w, corner);
    key.h = slice_side(rect.h, corner);

    struct draw_cache_entry *entry = cache_find(draw, &key);
    if (entry == NULL && key.w <= draw_max_texture_w(draw) && key.h <= draw_max_texture_h(draw)) {
        SDL_Color middle;
        SDL_Texture *texture = render_round_rect(draw, &key, fill, border, &middle);
        if (texture != NULL) {
            entry = cache_insert(draw, &key, texture);
            entry->middle = middle;
        }
    }
    if (entry == NULL) {
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
    copy_round_rect(draw, entry, rect);
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
    struct draw_cache_entry *entry = cache_find(draw, &key);
    SDL_Texture *texture = entry != NULL ? entry->texture : NULL;
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
