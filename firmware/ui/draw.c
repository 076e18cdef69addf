/* SPDX-License-Identifier: EUPL-1.2 */
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
    free(entry->lines);
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

/*
 * The texture of key. In *lines (malloc'd, NULL if out of memory) its middle column, top to
 * bottom, then its middle row, left to right: straight-alpha 0xAARRGGBB pixels.
 */
static SDL_Texture *render_round_rect(struct ui_draw *draw, const struct draw_key *key,
                                      SDL_Color fill, SDL_Color border, uint32_t **lines)
{
    *lines = NULL;
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
    if (texture == NULL) {
        goto out_destroy_cairo;
    }
    /* Stretched slices must not blend with their neighbours (GPU renderers filter). */
    SDL_SetTextureScaleMode(texture, SDL_ScaleModeNearest);
    *lines = malloc(((size_t)key->h + (size_t)key->w) * sizeof **lines);
    if (*lines != NULL) { /* the surface now holds straight alpha (converted in place) */
        const uint8_t *data = cairo_image_surface_get_data(surface);
        size_t stride = (size_t)cairo_image_surface_get_stride(surface);
        for (int y = 0; y < key->h; y++) {
            (*lines)[y] = ((const uint32_t *)(const void *)(data + y * stride))[key->w / 2];
        }
        const uint32_t *middle_row = (const uint32_t *)(const void *)(data + (key->h / 2) * stride);
        memcpy(*lines + key->h, middle_row, (size_t)key->w * sizeof **lines);
    }

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return texture;
}

/*
 * A rounded rectangle is cached as a small nine-slice texture, not at its full size: only
 * the corners (within c = max(radius, border) of each side) hold curves; every pixel column
 * between them is the same, as is every row. So a rect wider than 2c + 1 is made 2c + 1
 * wide; the same for the height. On screen the corners are copied as they are, and the
 * bands between them are filled with the colours of the texture's middle column or row,
 * one rectangle per run of equal opaque pixels (a border and a fill: two), which is what a
 * full-size texture would have put there, and cheaper than blending it. A band that is not
 * opaque (a translucent fill) is copied stretched from its one-pixel line instead. The
 * pixels are those of a full-size texture (the path is the same, moved by whole pixels),
 * but a 700x100 button takes 49x49x4 bytes instead of 700x100x4, and buttons of any size
 * with the same corners and colours share one texture.
 */
static int slice_side(int length, int corner)
{
    return length > 2 * corner + 1 ? 2 * corner + 1 : length;
}

/*
 * Fills dst with runs of count pixels laid along y (along_y) or x, each run stretched over
 * the other direction; a single pixel fills all of dst. false (nothing drawn) when a pixel
 * is not opaque.
 */
static bool fill_runs(struct ui_draw *draw, const uint32_t *pixels, int count, bool along_y,
                      SDL_Rect dst)
{
    for (int i = 0; i < count; i++) {
        if (pixels[i] >> 24 != 0xFF) {
            return false;
        }
    }
    SDL_Color old;
    SDL_BlendMode old_blend;
    SDL_GetRenderDrawColor(draw->renderer, &old.r, &old.g, &old.b, &old.a);
    SDL_GetRenderDrawBlendMode(draw->renderer, &old_blend);
    SDL_SetRenderDrawBlendMode(draw->renderer, SDL_BLENDMODE_NONE);
    for (int start = 0, end; start < count; start = end) {
        for (end = start + 1; end < count && pixels[end] == pixels[start]; end++) {
        }
        uint32_t p = pixels[start];
        SDL_SetRenderDrawColor(draw->renderer, (Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 0xFF);
        SDL_Rect run = count == 1 ? dst /* one pixel stretched both ways: the middle */
                       : along_y  ? (SDL_Rect){dst.x, dst.y + start, dst.w, end - start}
                                  : (SDL_Rect){dst.x + start, dst.y, end - start, dst.h};
        SDL_RenderFillRect(draw->renderer, &run);
    }
    SDL_SetRenderDrawColor(draw->renderer, old.r, old.g, old.b, old.a);
    SDL_SetRenderDrawBlendMode(draw->renderer, old_blend);
    return true;
}

/* One of the nine parts: src of the texture onto dst. A part stretched along x is a run of
 * the middle column's pixels (rows src.y ..), one stretched along y of the middle row's. */
static void copy_part(struct ui_draw *draw, const struct draw_cache_entry *entry, SDL_Rect src,
                      SDL_Rect dst)
{
    if (src.w <= 0 || src.h <= 0 || dst.w <= 0 || dst.h <= 0) {
        return;
    }
    bool stretched_x = src.w != dst.w, stretched_y = src.h != dst.h;
    const uint32_t *column = entry->lines;
    const uint32_t *row = entry->lines != NULL ? entry->lines + entry->key.h : NULL;
    if (entry->lines != NULL && stretched_x && stretched_y) {
        if (fill_runs(draw, column + src.y, 1, true, dst)) {
            return;
        }
    } else if (entry->lines != NULL && stretched_x) {
        if (fill_runs(draw, column + src.y, src.h, true, dst)) {
            return;
        }
    } else if (entry->lines != NULL && stretched_y) {
        if (fill_runs(draw, row + src.x, src.w, false, dst)) {
            return;
        }
    }
    SDL_RenderCopy(draw->renderer, entry->texture, &src, &dst);
}

static void copy_round_rect(struct ui_draw *draw, const struct draw_cache_entry *entry,
                            SDL_Rect rect)
{
    int tw = entry->key.w, th = entry->key.h;
    if (tw == rect.w && th == rect.h) {
        SDL_RenderCopy(draw->renderer, entry->texture, NULL, &rect);
        return;
    }
    /* Per axis: a corner size (0 when not sliced: the whole side is one part). */
    int cx = tw == rect.w ? 0 : (tw - 1) / 2;
    int cy = th == rect.h ? 0 : (th - 1) / 2;
    int src_x[3] = {0, cx, tw - cx}, src_w[3] = {cx, tw - 2 * cx, cx};
    int dst_x[3] = {rect.x, rect.x + cx, rect.x + rect.w - cx},
        dst_w[3] = {cx, rect.w - 2 * cx, cx};
    int src_y[3] = {0, cy, th - cy}, src_h[3] = {cy, th - 2 * cy, cy};
    int dst_y[3] = {rect.y, rect.y + cy, rect.y + rect.h - cy},
        dst_h[3] = {cy, rect.h - 2 * cy, cy};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            copy_part(draw, entry, (SDL_Rect){src_x[j], src_y[i], src_w[j], src_h[i]},
                      (SDL_Rect){dst_x[j], dst_y[i], dst_w[j], dst_h[i]});
        }
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
        uint32_t *lines;
        SDL_Texture *texture = render_round_rect(draw, &key, fill, border, &lines);
        if (texture != NULL) {
            entry = cache_insert(draw, &key, texture);
            entry->lines = lines; /* NULL: the bands are copied stretched */
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
