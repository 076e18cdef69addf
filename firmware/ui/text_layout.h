/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * text_layout: the part of ui/text that turns a UTF-8 string into lines of directional runs:
 * clean the bytes, split paragraphs at "\n", resolve bidi levels with libfribidi, pick a font
 * face and script per character, wrap greedily on spaces, and put each line's runs in visual
 * order. It never opens fonts or touches SDL: it measures through the callbacks it is given.
 * Internal to ui/text (text.c is its only caller).
 */
#ifndef OASE_TEXT_LAYOUT_H
#define OASE_TEXT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_TEXT_MAX_BYTES 4096 /* longer input is cut at a character boundary */
#define UI_TEXT_MAX_LINES 256  /* lines beyond this are dropped */

enum ui_text_face { UI_TEXT_FACE_LATIN, UI_TEXT_FACE_ARABIC }; /* Noto Sans, Noto Sans Arabic */
enum ui_text_script { UI_TEXT_SCRIPT_LATN, UI_TEXT_SCRIPT_CYRL, UI_TEXT_SCRIPT_ARAB };

struct ui_text_run {
    uint16_t byte_offset; /* into layout->text */
    uint16_t byte_length; /* > 0 */
    uint8_t face;         /* enum ui_text_face */
    uint8_t script;       /* enum ui_text_script */
    bool rtl;             /* odd bidi level: shaped right to left */
    int width_px;         /* as measured, in pixels */
};

struct ui_text_line {
    int first_run; /* index into layout->runs; runs are in visual order, left to right */
    int run_count; /* 0 for an empty line */
    int width_px;  /* sum of the runs' widths */
};

struct ui_text_layout {
    char *text; /* cleaned, NUL-terminated copy the runs point into */
    struct ui_text_line *lines;
    int line_count;
    struct ui_text_run *runs;
    int run_count;
    int widest_px;       /* the widest line */
    unsigned faces_used; /* bit (1u << face) for every face a run uses */
    bool input_cut;      /* the input was longer than UI_TEXT_MAX_BYTES */
    bool lines_cut;      /* lines beyond UI_TEXT_MAX_LINES were dropped */
    bool word_broken;    /* a word wider than the wrap width was broken between characters */
};

struct ui_text_measurer {
    void *context;
    /* Width in px of utf8 (NUL-terminated, non-empty) shaped as given; negative on failure. */
    int (*width_px)(void *context, const char *utf8, enum ui_text_face face,
                    enum ui_text_script script, bool rtl);
    /* Whether face has a glyph for codepoint (false on failure). */
    bool (*has_glyph)(void *context, enum ui_text_face face, uint32_t codepoint);
};

/*
 * Lays out the first UI_TEXT_MAX_BYTES of utf8 for a paragraph direction (rtl) wrapped to
 * wrap_width_px (0 or less: no wrapping). Invalid UTF-8 becomes U+FFFD, tabs become spaces,
 * other control characters are dropped. Returns NULL when memory runs out or a measurement
 * fails; nothing is left allocated then.
 */
struct ui_text_layout *ui_text_layout_build(const char *utf8, bool rtl, int wrap_width_px,
                                            const struct ui_text_measurer *measurer);

/* Frees a layout from ui_text_layout_build; NULL is ignored. */
void ui_text_layout_free(struct ui_text_layout *layout);

#endif
