/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * text: see text.h. Screens call ui_text_draw every frame; the calm animation redraws whole
 * screens, so everything expensive is cached:
 *   layouts  (text, size, bold, direction, wrap width) -> lines of runs   [text_layout.c]
 *   textures (run bytes, font file, size, script, direction) -> SDL_Texture, rendered white
 *            and tinted with SDL_SetTextureColorMod, so a colour change costs nothing
 *   fonts    (font file, size) -> TTF_Font, opened on first use
 * All three are bounded and evict the least recently used entry. A frame whose strings are
 * all cached makes no SDL2_ttf call.
 */
#include "ui/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL_ttf.h>

#include "core/log.h"
#include "core/utf8.h"
#include "ui/text_layout.h"

/* Open (file, size) pairs, least recently used closed first. Each costs about 170 KB (the
 * FreeType face, HarfBuzz's copies of the shaping tables, SDL2_ttf's glyph cache); the
 * welcome screen alone tries 11 sizes while fitting its texts. 8 instead of 16 saves 2.7 MB
 * of peak memory for about 0.3 ms more on the first frame of a screen whose layouts are not
 * cached (fonts reopened); frames with cached text open none. */
#define TEXT_MAX_FONTS 8
#define TEXT_MAX_TEXTURES 256
/* Byte budget of the rendered runs (LRU; white ARGB, 4 bytes a pixel). At 800x480 one visitor
 * journey in one language (welcome to checked-in) needs about 1.5 MB, the welcome screen
 * 0.35 MB: 4 MB keeps the current language and the one before; a visitor in a third
 * language gets each screen's text rendered again once (a few ms on its first frame). The
 * earlier 24 MB budget filled up with the friendly names of a day's visitors (11.8 MB after
 * the 100-journey replay of make bench). */
#define TEXT_TEXTURE_BUDGET_BYTES ((size_t)4 * 1024 * 1024)
#define TEXT_MAX_LAYOUTS 64
#define TEXT_MIN_SIZE_PX 4
#define TEXT_MAX_SIZE_PX 400
#define TEXT_PATH_MAX 1024

enum text_font_file { FONT_REGULAR, FONT_BOLD, FONT_ARABIC, FONT_ARABIC_BOLD, FONT_FILE_COUNT };

struct text_font {
    TTF_Font *font; /* NULL: free slot */
    int file;       /* enum text_font_file */
    int size_px;
    uint64_t last_used;
    int ascent_px;
    int height_px;
    int line_skip_px;
};

struct text_texture {
    SDL_Texture *texture; /* NULL: free slot */
    uint64_t hash;        /* of the key fields below */
    char *bytes;          /* the run's UTF-8, NUL-terminated */
    size_t length;
    int file;
    int size_px;
    int script;
    bool rtl;
    int width_px;
    int height_px;
    int top_overflow_px; /* rows above the font's ascent (tall marks), estimated */
    size_t pixel_bytes;
    uint64_t last_used;
};

/* Vertical metrics of a laid-out block, from the fonts its runs use. */
struct text_metrics {
    int ascent_px;    /* baseline below the top of a line */
    int line_box_px;  /* ascent + the deepest descent */
    int line_skip_px; /* the fonts' own line height */
    int file_ascent_px[FONT_FILE_COUNT];
};

struct text_layout_entry {
    struct ui_text_layout *layout; /* NULL: free slot */
    uint64_t hash;
    char *key; /* the input bytes this layout was made from */
    size_t key_length;
    int size_px;
    bool bold;
    bool rtl;
    int wrap_px;
    struct text_metrics metrics;
    uint64_t last_used;
};

struct ui_text {
    SDL_Renderer *renderer;
    char paths[FONT_FILE_COUNT][TEXT_PATH_MAX];
    bool ttf_initialised_here; /* TTF_Quit in close only then */
    uint64_t clock;            /* ticks for least-recently-used eviction */
    struct text_font fonts[TEXT_MAX_FONTS];
    struct text_texture textures[TEXT_MAX_TEXTURES];
    size_t texture_bytes;
    struct text_layout_entry layouts[TEXT_MAX_LAYOUTS];
    struct ui_text_stats stats;
    char last_warning[256]; /* a failure that repeats every frame is logged once */
    char arabic_missing[TEXT_PATH_MAX + 160]; /* why the Arabic font is not there, "" = it is */
};

/* What the layout callbacks need to reach the right fonts. */
struct measure_context {
    struct ui_text *text;
    int size_px;
    bool bold;
};

static const char *const script_names[] = {"Latn", "Cyrl", "Arab"};

static void warn_once(struct ui_text *text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn_once(struct ui_text *text, const char *fmt, ...)
{
    char message[sizeof text->last_warning];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    if (strcmp(message, text->last_warning) == 0) {
        return;
    }
    memcpy(text->last_warning, message, sizeof message);
    log_msg(LOG_WARN, "%s", message);
}

static uint64_t hash_bytes(uint64_t hash, const void *data, size_t length)
{
    const unsigned char *bytes = data;
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    }
    return hash;
}

static uint64_t hash_int(uint64_t hash, int value)
{
    return hash_bytes(hash, &value, sizeof value);
}

#define HASH_SEED 0xcbf29ce484222325ull

static int font_file_for(enum ui_text_face face, bool bold)
{
    if (face == UI_TEXT_FACE_ARABIC) {
        return bold ? FONT_ARABIC_BOLD : FONT_ARABIC;
    }
    return bold ? FONT_BOLD : FONT_REGULAR;
}

/* The font for (file, size), opened if needed; NULL (logged) if it cannot be opened. */
static struct text_font *font_get(struct ui_text *text, int file, int size_px)
{
    struct text_font *slot = &text->fonts[0];
    for (int i = 0; i < TEXT_MAX_FONTS; i++) {
        struct text_font *font = &text->fonts[i];
        if (font->font && font->file == file && font->size_px == size_px) {
            font->last_used = ++text->clock;
            return font;
        }
        if (slot->font && (!font->font || font->last_used < slot->last_used)) {
            slot = font;
        }
    }
    if (slot->font) {
        TTF_CloseFont(slot->font);
        slot->font = NULL;
        text->stats.fonts_open--;
    }
    text->stats.ttf_calls++;
    TTF_Font *font = TTF_OpenFont(text->paths[file], size_px);
    if (!font) {
        warn_once(text, "%s: cannot open font at %d px: %s", text->paths[file], size_px,
                  TTF_GetError());
        return NULL;
    }
    TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
    TTF_SetFontKerning(font, 1);
    *slot = (struct text_font){
        .font = font,
        .file = file,
        .size_px = size_px,
        .last_used = ++text->clock,
        .ascent_px = TTF_FontAscent(font),
        .height_px = TTF_FontHeight(font),
        .line_skip_px = TTF_FontLineSkip(font),
    };
    text->stats.fonts_open++;
    return slot;
}

/* HarfBuzz shapes Arabic only when told the direction and script (platform notes §7). */
static void set_shaping(struct ui_text *text, TTF_Font *font, int script, bool rtl)
{
    text->stats.ttf_calls += 2;
    TTF_SetFontDirection(font, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(font, script_names[script]);
}

static int measure_width(void *context, const char *utf8, enum ui_text_face face,
                         enum ui_text_script script, bool rtl)
{
    struct measure_context *measure = context;
    struct ui_text *text = measure->text;
    struct text_font *font = font_get(text, font_file_for(face, measure->bold), measure->size_px);
    if (!font) {
        return -1;
    }
    set_shaping(text, font->font, script, rtl);
    int width = 0;
    text->stats.ttf_calls++;
    if (TTF_SizeUTF8(font->font, utf8, &width, NULL) != 0) {
        warn_once(text, "text: cannot measure \"%.40s\" at %d px: %s", utf8, measure->size_px,
                  TTF_GetError());
        return -1;
    }
    return width;
}

static bool has_glyph(void *context, enum ui_text_face face, uint32_t codepoint)
{
    struct measure_context *measure = context;
    struct ui_text *text = measure->text;
    struct text_font *font = font_get(text, font_file_for(face, measure->bold), measure->size_px);
    if (!font) {
        return false;
    }
    text->stats.ttf_calls++;
    return TTF_GlyphIsProvided32(font->font, codepoint) != 0;
}

static int compute_metrics(struct ui_text *text, const struct ui_text_layout *layout, int size_px,
                           bool bold, bool rtl, struct text_metrics *metrics)
{
    unsigned faces = layout->faces_used;
    if (faces == 0) {
        faces = 1u << (rtl ? UI_TEXT_FACE_ARABIC : UI_TEXT_FACE_LATIN); /* empty lines */
    }
    *metrics = (struct text_metrics){0};
    int descent_px = 0;
    for (int face = UI_TEXT_FACE_LATIN; face <= UI_TEXT_FACE_ARABIC; face++) {
        if (!(faces & (1u << face))) {
            continue;
        }
        int file = font_file_for((enum ui_text_face)face, bold);
        struct text_font *font = font_get(text, file, size_px);
        if (!font) {
            return -1;
        }
        metrics->file_ascent_px[file] = font->ascent_px;
        int ascent = font->ascent_px, descent = font->height_px - font->ascent_px;
        int skip = font->line_skip_px;
        if (face == UI_TEXT_FACE_ARABIC) {
            /* Noto Sans Arabic reserves room for stacked marks that kiosk texts never use:
             * at 40 px its line is 85 px against 55 px for Noto Sans, and an Arabic title
             * would not fit where the Dutch one does. Its letters with their usual marks
             * stay within 3/4 of the ascent and 3/5 of the descent (measured with
             * TTF_GlyphMetrics32); the box clips anything taller. */
            ascent = ascent * 3 / 4;
            descent = descent * 3 / 5;
            skip = ascent + descent;
        }
        metrics->ascent_px = SDL_max(metrics->ascent_px, ascent);
        descent_px = SDL_max(descent_px, descent);
        metrics->line_skip_px = SDL_max(metrics->line_skip_px, skip);
    }
    metrics->line_box_px = metrics->ascent_px + descent_px;
    return 0;
}

static void layout_entry_clear(struct text_layout_entry *entry)
{
    ui_text_layout_free(entry->layout);
    free(entry->key);
    *entry = (struct text_layout_entry){0};
}

/* The cached layout of utf8 for this style and wrap width, built if needed; NULL (logged) on
 * a bad size, a font that cannot be opened or lack of memory. */
static struct text_layout_entry *layout_get(struct ui_text *text, const char *utf8,
                                            const struct ui_text_style *style, int wrap_px)
{
    int size_px = style->size_px;
    if (size_px < TEXT_MIN_SIZE_PX || size_px > TEXT_MAX_SIZE_PX) {
        warn_once(text, "text: size_px = %d: must be between %d and %d", size_px, TEXT_MIN_SIZE_PX,
                  TEXT_MAX_SIZE_PX);
        return NULL;
    }
    bool bold = style->bold;
    bool rtl = style->rtl;
    if (wrap_px < 0) {
        wrap_px = 0;
    }
    size_t key_length = strnlen(utf8, UI_TEXT_MAX_BYTES + 1);
    uint64_t hash = hash_bytes(HASH_SEED, utf8, key_length);
    hash = hash_int(hash_int(hash_int(hash_int(hash, size_px), bold), rtl), wrap_px);

    struct text_layout_entry *slot = &text->layouts[0];
    for (int i = 0; i < TEXT_MAX_LAYOUTS; i++) {
        struct text_layout_entry *entry = &text->layouts[i];
        if (entry->layout && entry->hash == hash && entry->key_length == key_length &&
            entry->size_px == size_px && entry->bold == bold && entry->rtl == rtl &&
            entry->wrap_px == wrap_px && memcmp(entry->key, utf8, key_length) == 0) {
            entry->last_used = ++text->clock;
            return entry;
        }
        if (slot->layout && (!entry->layout || entry->last_used < slot->last_used)) {
            slot = entry;
        }
    }

    struct measure_context context = {.text = text, .size_px = size_px, .bold = bold};
    struct ui_text_measurer measurer = {
        .context = &context, .width_px = measure_width, .has_glyph = has_glyph};
    text->stats.layouts_built++;
    struct ui_text_layout *layout = ui_text_layout_build(utf8, rtl, wrap_px, &measurer);
    if (!layout) {
        warn_once(text, "text: cannot lay out \"%.40s\" at %d px: out of memory or no font", utf8,
                  size_px);
        return NULL;
    }
    if (layout->input_cut) {
        log_msg(LOG_WARN, "text: \"%.40s...\" is longer than %d bytes: the rest is not drawn", utf8,
                UI_TEXT_MAX_BYTES);
    }
    if (layout->lines_cut) {
        log_msg(LOG_WARN, "text: \"%.40s...\" wraps to more than %d lines: the rest is not drawn",
                utf8, UI_TEXT_MAX_LINES);
    }
    struct text_metrics metrics;
    char *key = malloc(key_length + 1);
    if (!key || compute_metrics(text, layout, size_px, bold, rtl, &metrics) != 0) {
        free(key);
        ui_text_layout_free(layout);
        return NULL;
    }
    memcpy(key, utf8, key_length);
    key[key_length] = '\0';
    layout_entry_clear(slot);
    *slot = (struct text_layout_entry){
        .layout = layout,
        .hash = hash,
        .key = key,
        .key_length = key_length,
        .size_px = size_px,
        .bold = bold,
        .rtl = rtl,
        .wrap_px = wrap_px,
        .metrics = metrics,
        .last_used = ++text->clock,
    };
    return slot;
}

static void texture_clear(struct ui_text *text, struct text_texture *entry)
{
    if (entry->texture) {
        SDL_DestroyTexture(entry->texture);
        text->texture_bytes -= entry->pixel_bytes;
        text->stats.textures_cached--;
    }
    free(entry->bytes);
    *entry = (struct text_texture){0};
}

/* Next code point of valid UTF-8 (layouts hold only valid UTF-8). */
static uint32_t next_codepoint(const unsigned char **s)
{
    size_t length;
    uint32_t c = utf8_decode(*s, 4, &length); /* stops at the NUL */
    *s += length;
    return c == UTF8_INVALID ? UTF8_REPLACEMENT : c;
}

/*
 * SDL2_ttf makes the surface taller than the font when a glyph reaches above the ascent
 * (or below the descent) and then moves the baseline down by the overflow above. It does
 * not say which, so estimate the overflow above from the glyphs' own tops.
 */
static int top_overflow(struct ui_text *text, const struct text_font *font, const char *utf8,
                        int surface_height)
{
    int extra = surface_height - font->height_px;
    if (extra <= 0) {
        return 0;
    }
    int highest = font->ascent_px;
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        int top = 0;
        text->stats.ttf_calls++;
        if (TTF_GlyphMetrics32(font->font, next_codepoint(&s), NULL, NULL, NULL, &top, NULL) == 0) {
            highest = SDL_max(highest, top);
        }
    }
    return SDL_min(highest - font->ascent_px, extra);
}

/* The texture of one run, rendered if needed; NULL (logged) on failure. */
static struct text_texture *texture_get(struct ui_text *text, const char *layout_text,
                                        const struct ui_text_run *run, int size_px, bool bold)
{
    const char *bytes = layout_text + run->byte_offset;
    size_t length = run->byte_length;
    int file = font_file_for((enum ui_text_face)run->face, bold);
    uint64_t hash = hash_bytes(HASH_SEED, bytes, length);
    hash = hash_int(hash_int(hash_int(hash_int(hash, file), size_px), run->script), run->rtl);

    for (int i = 0; i < TEXT_MAX_TEXTURES; i++) {
        struct text_texture *entry = &text->textures[i];
        if (entry->texture && entry->hash == hash && entry->length == length &&
            entry->file == file && entry->size_px == size_px && entry->script == run->script &&
            entry->rtl == run->rtl && memcmp(entry->bytes, bytes, length) == 0) {
            entry->last_used = ++text->clock;
            text->stats.runs_reused++;
            return entry;
        }
    }

    struct text_font *font = font_get(text, file, size_px);
    char *copy = malloc(length + 1);
    if (!font || !copy) {
        free(copy);
        return NULL;
    }
    memcpy(copy, bytes, length);
    copy[length] = '\0';
    set_shaping(text, font->font, run->script, run->rtl);
    text->stats.ttf_calls++;
    SDL_Surface *surface =
        TTF_RenderUTF8_Blended(font->font, copy, (SDL_Color){0xFF, 0xFF, 0xFF, 0xFF});
    if (!surface) {
        warn_once(text, "text: cannot render \"%.40s\" at %d px: %s", copy, size_px,
                  TTF_GetError());
        free(copy);
        return NULL;
    }
    int overflow = top_overflow(text, font, copy, surface->h);
    SDL_Texture *texture = SDL_CreateTextureFromSurface(text->renderer, surface);
    int width = surface->w;
    int height = surface->h;
    SDL_FreeSurface(surface);
    if (!texture) {
        warn_once(text, "text: cannot make a %dx%d texture: %s", width, height, SDL_GetError());
        free(copy);
        return NULL;
    }
    SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    text->stats.runs_rendered++;

    size_t pixel_bytes = (size_t)width * (size_t)height * 4;
    for (;;) {
        struct text_texture *oldest = NULL;
        struct text_texture *free_slot = NULL;
        for (int i = 0; i < TEXT_MAX_TEXTURES; i++) {
            struct text_texture *entry = &text->textures[i];
            if (!entry->texture) {
                free_slot = free_slot ? free_slot : entry;
            } else if (!oldest || entry->last_used < oldest->last_used) {
                oldest = entry;
            }
        }
        bool over_budget = text->texture_bytes + pixel_bytes > TEXT_TEXTURE_BUDGET_BYTES;
        if (free_slot && (!over_budget || !oldest)) {
            *free_slot = (struct text_texture){
                .texture = texture,
                .hash = hash,
                .bytes = copy,
                .length = length,
                .file = file,
                .size_px = size_px,
                .script = run->script,
                .rtl = run->rtl,
                .width_px = width,
                .height_px = height,
                .top_overflow_px = overflow,
                .pixel_bytes = pixel_bytes,
                .last_used = ++text->clock,
            };
            text->texture_bytes += pixel_bytes;
            text->stats.textures_cached++;
            return free_slot;
        }
        texture_clear(text, oldest); /* oldest exists: no free slot or over budget */
    }
}

static int line_step(const struct text_metrics *metrics, int line_spacing_pct)
{
    if (line_spacing_pct <= 0) {
        return metrics->line_skip_px;
    }
    return SDL_max(1, (metrics->line_skip_px * line_spacing_pct + 50) / 100);
}

/* Height of `lines` lines: the last one counts its full glyph box even when lines overlap. */
static int block_height(const struct text_metrics *metrics, int step, int lines)
{
    if (lines <= 0) {
        return 0;
    }
    return (lines - 1) * step + SDL_max(step, metrics->line_box_px);
}

static int line_x(const struct ui_text_style *style, SDL_Rect box, int line_width)
{
    bool to_right = (style->align == UI_ALIGN_START && style->rtl) ||
                    (style->align == UI_ALIGN_END && !style->rtl);
    if (style->align == UI_ALIGN_CENTER) {
        return box.x + (box.w - line_width) / 2;
    }
    return to_right ? box.x + box.w - line_width : box.x;
}

static void draw_line(struct ui_text *text, const struct text_layout_entry *entry,
                      const struct ui_text_line *line, const struct ui_text_style *style, int x,
                      int baseline_y)
{
    const struct ui_text_layout *layout = entry->layout;
    for (int r = 0; r < line->run_count; r++) {
        const struct ui_text_run *run = &layout->runs[line->first_run + r];
        struct text_texture *texture =
            texture_get(text, layout->text, run, entry->size_px, entry->bold);
        if (texture) {
            int file = font_file_for((enum ui_text_face)run->face, entry->bold);
            SDL_Rect target = {
                .x = x,
                .y = baseline_y - entry->metrics.file_ascent_px[file] - texture->top_overflow_px,
                .w = texture->width_px,
                .h = texture->height_px,
            };
            SDL_SetTextureColorMod(texture->texture, style->color.r, style->color.g,
                                   style->color.b);
            SDL_SetTextureAlphaMod(texture->texture, style->color.a);
            SDL_RenderCopy(text->renderer, texture->texture, NULL, &target);
        }
        x += run->width_px;
    }
}

int ui_text_draw(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                 SDL_Rect box)
{
    if (!text || !utf8 || !style || box.w <= 0 || box.h <= 0) {
        return 0;
    }
    const struct text_layout_entry *entry = layout_get(text, utf8, style, box.w);
    if (!entry) {
        return 0;
    }
    const struct ui_text_layout *layout = entry->layout;
    int step = line_step(&entry->metrics, style->line_spacing_pct);
    int lines = 0;
    while (lines < layout->line_count && block_height(&entry->metrics, step, lines + 1) <= box.h) {
        lines++;
    }
    int height = block_height(&entry->metrics, step, lines);
    if (lines == 0) {
        return 0;
    }
    int top = box.y;
    if (style->valign == UI_VALIGN_MIDDLE) {
        top += (box.h - height) / 2;
    } else if (style->valign == UI_VALIGN_BOTTOM) {
        top += box.h - height;
    }

    /* Clip to the box (within the caller's clip) so no glyph overhang leaves it. */
    SDL_Rect old_clip = {0};
    bool had_clip = SDL_RenderIsClipEnabled(text->renderer);
    SDL_RenderGetClipRect(text->renderer, &old_clip);
    SDL_Rect clip = box;
    if (had_clip && !SDL_IntersectRect(&box, &old_clip, &clip)) {
        return height; /* nothing of the box is visible */
    }
    SDL_RenderSetClipRect(text->renderer, &clip);
    for (int i = 0; i < lines; i++) {
        const struct ui_text_line *line = &layout->lines[i];
        draw_line(text, entry, line, style, line_x(style, box, line->width_px),
                  top + i * step + entry->metrics.ascent_px);
    }
    SDL_RenderSetClipRect(text->renderer, had_clip ? &old_clip : NULL);
    return height;
}

int ui_text_measure(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                    int width, int *out_width)
{
    if (out_width) {
        *out_width = 0;
    }
    if (!text || !utf8 || !style) {
        return 0;
    }
    const struct text_layout_entry *entry = layout_get(text, utf8, style, width);
    if (!entry) {
        return 0;
    }
    if (out_width) {
        *out_width = entry->layout->widest_px;
    }
    int step = line_step(&entry->metrics, style->line_spacing_pct);
    return block_height(&entry->metrics, step, entry->layout->line_count);
}

int ui_text_fit(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                SDL_Rect box, int min_px)
{
    if (!text || !utf8 || !style) {
        return min_px;
    }
    struct ui_text_style trial = *style;
    int smallest_px = SDL_max(min_px, TEXT_MIN_SIZE_PX);
    /* First choice: the largest size that fits with every word whole ("Nederlands", not
     * "Nederlan" + "ds"); only when none does, a size that fits by breaking a word. */
    int fits_broken = 0;
    for (trial.size_px = style->size_px; trial.size_px >= smallest_px; trial.size_px -= 2) {
        const struct text_layout_entry *entry = layout_get(text, utf8, &trial, box.w);
        if (!entry) {
            continue;
        }
        int step = line_step(&entry->metrics, trial.line_spacing_pct);
        int height = block_height(&entry->metrics, step, entry->layout->line_count);
        if (height <= 0 || height > box.h || entry->layout->widest_px > box.w) {
            continue;
        }
        if (!entry->layout->word_broken) {
            return trial.size_px;
        }
        if (!fits_broken) {
            fits_broken = trial.size_px;
        }
    }
    return fits_broken ? fits_broken : min_px;
}

void ui_text_flush_cache(struct ui_text *text)
{
    if (!text) {
        return;
    }
    for (int i = 0; i < TEXT_MAX_TEXTURES; i++) {
        texture_clear(text, &text->textures[i]);
    }
}

struct ui_text_stats ui_text_stats(const struct ui_text *text)
{
    if (!text) {
        return (struct ui_text_stats){0};
    }
    struct ui_text_stats stats = text->stats;
    stats.texture_bytes = text->texture_bytes;
    return stats;
}

static int copy_path(char *to, const char *path, const char *fallback, const char *name, char *err,
                     size_t err_size)
{
    if (!path) {
        path = fallback;
    }
    if (!path || !*path) {
        snprintf(err, err_size, "fonts.%s: no font file given: name a .ttf file", name);
        return -EINVAL;
    }
    int written = snprintf(to, TEXT_PATH_MAX, "%s", path);
    if (written < 0 || written >= TEXT_PATH_MAX) {
        snprintf(err, err_size, "fonts.%s: path is %zu bytes long: at most %d are accepted", name,
                 strlen(path), TEXT_PATH_MAX - 1);
        return -ENAMETOOLONG;
    }
    return 0;
}

struct ui_text *ui_text_open(SDL_Renderer *renderer, const struct ui_text_fonts *fonts, char *err,
                             size_t err_size)
{
    char ignored[8];
    if (!err || err_size == 0) {
        err = ignored;
        err_size = sizeof ignored;
    }
    err[0] = '\0';
    if (!renderer || !fonts) {
        snprintf(err, err_size, "ui_text_open: no renderer or no font list");
        return NULL;
    }
    struct ui_text *text = calloc(1, sizeof *text);
    if (!text) {
        snprintf(err, err_size, "ui_text_open: out of memory");
        return NULL;
    }
    text->renderer = renderer;
    if (copy_path(text->paths[FONT_REGULAR], fonts->regular, NULL, "regular", err, err_size) ||
        copy_path(text->paths[FONT_BOLD], fonts->bold, fonts->regular, "bold", err, err_size) ||
        copy_path(text->paths[FONT_ARABIC], fonts->arabic, NULL, "arabic", err, err_size) ||
        copy_path(text->paths[FONT_ARABIC_BOLD], fonts->arabic_bold, fonts->arabic, "arabic_bold",
                  err, err_size)) {
        goto out_free_text;
    }
    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            snprintf(err, err_size, "SDL2_ttf: cannot initialise: %s", TTF_GetError());
            goto out_free_text;
        }
        text->ttf_initialised_here = true;
    }
    /* Open every file once now, so a wrong path is reported at start-up, not mid-visit. */
    for (int file = 0; file < FONT_FILE_COUNT; file++) {
        TTF_Font *font = TTF_OpenFont(text->paths[file], 16);
        if (!font && (file == FONT_ARABIC || file == FONT_ARABIC_BOLD)) {
            /* One script's font missing degrades that script only: the caller hides it. */
            if (!text->arabic_missing[0]) {
                snprintf(text->arabic_missing, sizeof text->arabic_missing,
                         "%s: cannot open font: %s", text->paths[file], TTF_GetError());
            }
            memcpy(text->paths[file], text->paths[file == FONT_ARABIC ? FONT_REGULAR : FONT_BOLD],
                   TEXT_PATH_MAX);
            font = TTF_OpenFont(text->paths[file], 16);
        }
        if (!font) {
            snprintf(err, err_size, "%s: cannot open font: %s", text->paths[file], TTF_GetError());
            goto out_quit_ttf;
        }
        TTF_CloseFont(font);
    }
    return text;

out_quit_ttf:
    if (text->ttf_initialised_here) {
        TTF_Quit();
    }
out_free_text:
    free(text);
    return NULL;
}

const char *ui_text_arabic_missing(const struct ui_text *text)
{
    return text ? text->arabic_missing : "";
}

void ui_text_close(struct ui_text *text)
{
    if (!text) {
        return;
    }
    ui_text_flush_cache(text);
    for (int i = 0; i < TEXT_MAX_LAYOUTS; i++) {
        layout_entry_clear(&text->layouts[i]);
    }
    for (int i = 0; i < TEXT_MAX_FONTS; i++) {
        if (text->fonts[i].font) {
            TTF_CloseFont(text->fonts[i].font);
        }
    }
    if (text->ttf_initialised_here) {
        TTF_Quit();
    }
    free(text);
}
