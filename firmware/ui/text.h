/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * text: draws UTF-8 text with SDL2_ttf (HarfBuzz shaping) in every kiosk language.
 * Owns the fonts and a bounded cache of rendered lines. Bidi: each line is split into
 * directional runs with libfribidi, Arabic runs are shaped right to left with the Arabic
 * font, and the runs are placed in visual order, so "الساعة 10:30" keeps its digits.
 * Frame thread only.
 */
#ifndef OASE_TEXT_H
#define OASE_TEXT_H

#include <stdbool.h>

#include <SDL2/SDL.h>

struct ui_text;

struct ui_text_fonts {
    const char *regular;     /* Noto Sans Regular */
    const char *bold;        /* Noto Sans Bold (NULL: regular is used) */
    const char *arabic;      /* Noto Sans Arabic Regular */
    const char *arabic_bold; /* Noto Sans Arabic Bold (NULL: arabic is used) */
};

enum ui_align {
    UI_ALIGN_START, /* left in a left-to-right paragraph, right in a right-to-left one */
    UI_ALIGN_CENTER,
    UI_ALIGN_END,
};

enum ui_valign { UI_VALIGN_TOP, UI_VALIGN_MIDDLE, UI_VALIGN_BOTTOM };

struct ui_text_style {
    int size_px; /* pixel size of the font */
    bool bold;
    SDL_Color color;
    enum ui_align align;
    enum ui_valign valign;
    bool rtl;             /* paragraph direction: true for Arabic (base direction RTL) */
    int line_spacing_pct; /* 0 = the font's own line height; 120 = 1.2x */
};

/*
 * Opens the fonts (sizes are opened lazily). Returns NULL with a message in err
 * naming the font file when the regular or bold font cannot be opened. A missing Arabic
 * font is no failure: it is replaced by the regular one (which has no Arabic letters) and
 * ui_text_arabic_missing() says why, so the caller can hide the Arabic language.
 */
struct ui_text *ui_text_open(SDL_Renderer *renderer, const struct ui_text_fonts *fonts, char *err,
                             size_t err_size);
/* "" when the Arabic fonts opened, else the reason (file and SDL_ttf's message). */
const char *ui_text_arabic_missing(const struct ui_text *text);

void ui_text_close(struct ui_text *text);

/*
 * Draws utf8 word-wrapped inside box, aligned as style says. Text that does not fit is
 * cut at the last whole line that fits (never drawn outside box). Returns the height of
 * the lines drawn in px; 0 when nothing can be drawn (size outside 4..400 px, a font that
 * cannot be opened: logged once). Only the first 4 KiB of utf8 are drawn.
 */
int ui_text_draw(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                 SDL_Rect box);

/*
 * Height the text would take wrapped to width (0 or less: no wrapping), and the width of its
 * widest line. 0 and *out_width 0 on the failures of ui_text_draw.
 */
int ui_text_measure(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                    int width, int *out_width);

/*
 * The largest size between min_px and style->size_px at which utf8 fits box (wrapped)
 * without breaking a word; failing that, the largest at which it fits with a word broken;
 * min_px if none does.
 */
int ui_text_fit(struct ui_text *text, const char *utf8, const struct ui_text_style *style,
                SDL_Rect box, int min_px);

/* Drops cached textures (after a renderer reset). */
void ui_text_flush_cache(struct ui_text *text);

/* What the caches saved, for tests and benchmarks. */
struct ui_text_stats {
    unsigned long ttf_calls;     /* calls into SDL2_ttf: open, size, render, glyph lookups */
    unsigned long runs_rendered; /* run textures made (cache misses) */
    unsigned long runs_reused;   /* run textures found in the cache */
    unsigned long layouts_built; /* wrap + bidi passes (layout cache misses) */
    int textures_cached;
    size_t texture_bytes; /* their pixel memory now */
    int fonts_open;
};

/* A copy of the counters; all zero for NULL. */
struct ui_text_stats ui_text_stats(const struct ui_text *text);

#endif
