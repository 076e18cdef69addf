/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * text_layout: see text_layout.h. Called by ui/text when a string is drawn or measured for
 * the first time at a size and width; the result is cached there, so this runs once per
 * string, not once per frame.
 *
 * Order of work: clean and decode the bytes, then per paragraph: bidi levels (libfribidi),
 * a face and script per character, greedy wrap in logical order, and per line the runs
 * (maximal stretches of one level, face and script) reordered to visual order (UAX #9 L2).
 */
#include "ui/text_layout.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#define REPLACEMENT_CHARACTER 0xFFFDu

enum char_class { CLASS_NEUTRAL, CLASS_MARK, CLASS_LATIN, CLASS_CYRILLIC, CLASS_ARABIC };

/* Working state of one build; every array has one entry per decoded character. */
struct build {
    const struct ui_text_measurer *measurer;
    struct ui_text_layout *layout;
    bool rtl;          /* paragraph direction */
    int wrap_width_px; /* <= 0: no wrapping */
    int char_count;
    FriBidiChar *chars;
    int *byte_offsets; /* char_count + 1 entries, into layout->text */
    FriBidiCharType *types;
    FriBidiBracketType *brackets;
    FriBidiLevel *levels;
    signed char *faces;       /* enum ui_text_face, -1 while undecided */
    signed char *scripts;     /* enum ui_text_script */
    unsigned char *classes;   /* enum char_class */
    FriBidiLevel *run_levels; /* scratch for reordering one line's runs */
    char *scratch;            /* NUL-terminated copy of the piece being measured */
    int runs_capacity;
};

static bool is_arabic_script(uint32_t c)
{
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
           (c >= 0x0870 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF);
}

static bool is_cyrillic_script(uint32_t c)
{
    return (c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
           (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F);
}

/* Decodes one UTF-8 sequence of at most `available` bytes; *length gets the bytes used. */
static uint32_t decode_utf8(const unsigned char *s, size_t available, size_t *length)
{
    uint32_t c = utf8_decode(s, available, length);
    return c == UTF8_INVALID ? REPLACEMENT_CHARACTER : c;
}

static size_t encode_utf8(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Length of the prefix of utf8 that is laid out: at most UI_TEXT_MAX_BYTES, whole characters. */
static size_t input_length(const char *utf8, bool *cut)
{
    size_t length = strnlen(utf8, UI_TEXT_MAX_BYTES + 1);
    *cut = length > UI_TEXT_MAX_BYTES;
    if (!*cut) {
        return length;
    }
    length = UI_TEXT_MAX_BYTES;
    /* Back off continuation bytes so the cut never splits a character. */
    while (length > 0 && ((unsigned char)utf8[length] & 0xC0) == 0x80) {
        length--;
    }
    return length;
}

/* Decodes and cleans the input into layout->text, chars and byte_offsets. */
static int decode_input(struct build *b, const char *utf8)
{
    bool cut;
    size_t length = input_length(utf8, &cut);
    b->layout->input_cut = cut;
    /* A replaced byte grows to 3 bytes (U+FFFD); nothing else grows. */
    b->layout->text = malloc(length * 3 + 1);
    b->chars = malloc((length + 1) * sizeof *b->chars);
    b->byte_offsets = malloc((length + 1) * sizeof *b->byte_offsets);
    if (!b->layout->text || !b->chars || !b->byte_offsets) {
        return -1;
    }
    const unsigned char *in = (const unsigned char *)utf8;
    size_t in_pos = 0;
    size_t out_pos = 0;
    int count = 0;
    while (in_pos < length) {
        size_t used;
        uint32_t c = decode_utf8(in + in_pos, length - in_pos, &used);
        in_pos += used;
        if (c == '\t') {
            c = ' ';
        } else if ((c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F)) {
            continue; /* control characters draw nothing */
        }
        b->chars[count] = c;
        b->byte_offsets[count] = (int)out_pos;
        out_pos += encode_utf8(c, b->layout->text + out_pos);
        count++;
    }
    b->byte_offsets[count] = (int)out_pos;
    b->layout->text[out_pos] = '\0';
    b->char_count = count;
    return 0;
}

static int allocate_work(struct build *b)
{
    size_t n = (size_t)b->char_count + 1;
    size_t text_bytes = (size_t)b->byte_offsets[b->char_count] + 1;
    b->types = malloc(n * sizeof *b->types);
    b->brackets = malloc(n * sizeof *b->brackets);
    b->levels = malloc(n * sizeof *b->levels);
    b->faces = malloc(n);
    b->scripts = malloc(n);
    b->classes = malloc(n);
    b->run_levels = malloc(n * sizeof *b->run_levels);
    b->scratch = malloc(text_bytes);
    b->runs_capacity = b->char_count > 0 ? b->char_count : 1;
    b->layout->runs = malloc((size_t)b->runs_capacity * sizeof *b->layout->runs);
    b->layout->lines = malloc(UI_TEXT_MAX_LINES * sizeof *b->layout->lines);
    if (!b->types || !b->brackets || !b->levels || !b->faces || !b->scripts || !b->classes ||
        !b->run_levels || !b->scratch || !b->layout->runs || !b->layout->lines) {
        return -1;
    }
    return 0;
}

static void free_work(struct build *b)
{
    free(b->chars);
    free(b->byte_offsets);
    free(b->types);
    free(b->brackets);
    free(b->levels);
    free(b->faces);
    free(b->scripts);
    free(b->classes);
    free(b->run_levels);
    free(b->scratch);
}

/* Bidi levels of the paragraph [start, end) in its requested base direction. */
static void resolve_levels(struct build *b, int start, int end)
{
    int length = end - start;
    FriBidiLevel base_level = b->rtl ? 1 : 0;
    if (length == 0) {
        return;
    }
    fribidi_get_bidi_types(b->chars + start, length, b->types + start);
    fribidi_get_bracket_types(b->chars + start, length, b->types + start, b->brackets + start);
    FriBidiParType direction = b->rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(b->types + start, b->brackets + start, length,
                                            &direction, b->levels + start) == 0) {
        /* Out of memory inside fribidi: draw in paragraph order rather than not at all. */
        memset(b->levels + start, base_level, (size_t)length);
    }
}

static void set_face(struct build *b, int i, enum ui_text_face face, enum ui_text_script script)
{
    b->faces[i] = (signed char)face;
    b->scripts[i] = (signed char)script;
}

static void copy_face(struct build *b, int to, int from)
{
    b->faces[to] = b->faces[from];
    b->scripts[to] = b->scripts[from];
}

/*
 * Letters decide their face (Arabic script: Noto Sans Arabic; else Noto Sans, Cyrillic or
 * Latin script). Marks, digits, spaces and punctuation follow their neighbour at the same
 * bidi level, and move to the other face when theirs has no glyph for them (Noto Sans
 * Arabic has no "(" or "?").
 */
static void assign_faces(struct build *b, int start, int end)
{
    for (int i = start; i < end; i++) {
        uint32_t c = b->chars[i];
        b->faces[i] = -1;
        if (is_arabic_script(c)) {
            b->classes[i] = CLASS_ARABIC;
            set_face(b, i, UI_TEXT_FACE_ARABIC, UI_TEXT_SCRIPT_ARAB);
        } else if (b->types[i] == FRIBIDI_TYPE_NSM) {
            b->classes[i] = CLASS_MARK;
        } else if (FRIBIDI_IS_LETTER(b->types[i])) {
            bool cyrillic = is_cyrillic_script(c);
            b->classes[i] = cyrillic ? CLASS_CYRILLIC : CLASS_LATIN;
            set_face(b, i, UI_TEXT_FACE_LATIN,
                     cyrillic ? UI_TEXT_SCRIPT_CYRL : UI_TEXT_SCRIPT_LATN);
        } else {
            b->classes[i] = CLASS_NEUTRAL;
        }
    }
    for (int i = start + 1; i < end; i++) {
        if (b->faces[i] < 0 && b->faces[i - 1] >= 0 && b->levels[i] == b->levels[i - 1]) {
            copy_face(b, i, i - 1);
        }
    }
    for (int i = end - 2; i >= start; i--) {
        if (b->faces[i] < 0 && b->faces[i + 1] >= 0 && b->levels[i] == b->levels[i + 1]) {
            copy_face(b, i, i + 1);
        }
    }
    for (int i = start; i < end; i++) {
        if (b->faces[i] < 0) {
            set_face(b, i, UI_TEXT_FACE_LATIN, UI_TEXT_SCRIPT_LATN);
        }
        if (b->classes[i] != CLASS_NEUTRAL || b->chars[i] == ' ') {
            continue;
        }
        enum ui_text_face face = (enum ui_text_face)b->faces[i];
        enum ui_text_face other =
            face == UI_TEXT_FACE_LATIN ? UI_TEXT_FACE_ARABIC : UI_TEXT_FACE_LATIN;
        const struct ui_text_measurer *m = b->measurer;
        if (!m->has_glyph(m->context, face, b->chars[i]) &&
            m->has_glyph(m->context, other, b->chars[i])) {
            set_face(b, i, other,
                     other == UI_TEXT_FACE_ARABIC ? UI_TEXT_SCRIPT_ARAB : UI_TEXT_SCRIPT_LATN);
        }
    }
}

static bool starts_new_run(const struct build *b, int i)
{
    return b->levels[i] != b->levels[i - 1] || b->faces[i] != b->faces[i - 1] ||
           b->scripts[i] != b->scripts[i - 1];
}

/* Width in px of the characters [start, end) of one run; negative on failure. */
static int piece_width(struct build *b, int start, int end)
{
    int from = b->byte_offsets[start];
    int bytes = b->byte_offsets[end] - from;
    memcpy(b->scratch, b->layout->text + from, (size_t)bytes);
    b->scratch[bytes] = '\0';
    const struct ui_text_measurer *m = b->measurer;
    return m->width_px(m->context, b->scratch, (enum ui_text_face)b->faces[start],
                       (enum ui_text_script)b->scripts[start], (b->levels[start] & 1) != 0);
}

/* Width in px of the characters [start, end) as one line; negative on failure. */
static int range_width(struct build *b, int start, int end)
{
    int total = 0;
    int run_start = start;
    for (int i = start + 1; i <= end; i++) {
        if (i == end || starts_new_run(b, i)) {
            int width = piece_width(b, run_start, i);
            if (width < 0) {
                return -1;
            }
            total += width;
            run_start = i;
        }
    }
    return total;
}

static void reverse_runs(struct build *b, struct ui_text_run *runs, int from, int to)
{
    for (to--; from < to; from++, to--) {
        struct ui_text_run run = runs[from];
        runs[from] = runs[to];
        runs[to] = run;
        FriBidiLevel level = b->run_levels[from];
        b->run_levels[from] = b->run_levels[to];
        b->run_levels[to] = level;
    }
}

/* UAX #9 rule L2: from the highest level down to the lowest odd one, reverse every stretch
 * of runs at that level or higher. */
static void reorder_visually(struct build *b, struct ui_text_run *runs, int count)
{
    FriBidiLevel highest = 0;
    FriBidiLevel lowest_odd = 127;
    for (int i = 0; i < count; i++) {
        FriBidiLevel level = b->run_levels[i];
        if (level > highest) {
            highest = level;
        }
        if ((level & 1) && level < lowest_odd) {
            lowest_odd = level;
        }
    }
    for (int level = highest; level >= lowest_odd; level--) {
        int i = 0;
        while (i < count) {
            if (b->run_levels[i] < level) {
                i++;
                continue;
            }
            int j = i;
            while (j < count && b->run_levels[j] >= level) {
                j++;
            }
            reverse_runs(b, runs, i, j);
            i = j;
        }
    }
}

/* Appends the line [start, end) (no trailing spaces) with its runs in visual order. */
static int emit_line(struct build *b, int start, int end)
{
    struct ui_text_layout *layout = b->layout;
    if (layout->line_count >= UI_TEXT_MAX_LINES) {
        layout->lines_cut = true;
        return 0;
    }
    struct ui_text_line *line = &layout->lines[layout->line_count];
    line->first_run = layout->run_count;
    line->run_count = 0;
    line->width_px = 0;
    struct ui_text_run *runs = layout->runs + layout->run_count;
    int run_start = start;
    for (int i = start + 1; i <= end; i++) {
        if (i < end && !starts_new_run(b, i)) {
            continue;
        }
        if (layout->run_count + line->run_count >= b->runs_capacity) {
            return -1; /* cannot happen: a run holds at least one character */
        }
        int width = piece_width(b, run_start, i);
        if (width < 0) {
            return -1;
        }
        struct ui_text_run *run = &runs[line->run_count];
        run->byte_offset = (uint16_t)b->byte_offsets[run_start];
        run->byte_length = (uint16_t)(b->byte_offsets[i] - b->byte_offsets[run_start]);
        run->face = (uint8_t)b->faces[run_start];
        run->script = (uint8_t)b->scripts[run_start];
        run->rtl = (b->levels[run_start] & 1) != 0;
        run->width_px = width;
        b->run_levels[line->run_count] = b->levels[run_start];
        layout->faces_used |= 1u << run->face;
        line->width_px += width;
        line->run_count++;
        run_start = i;
    }
    reorder_visually(b, runs, line->run_count);
    layout->run_count += line->run_count;
    layout->line_count++;
    if (line->width_px > layout->widest_px) {
        layout->widest_px = line->width_px;
    }
    return 0;
}

static bool fits(const struct build *b, int width_px)
{
    return b->wrap_width_px <= 0 || width_px <= b->wrap_width_px;
}

/*
 * The end of the first line piece of a word [word_start, word_end) that is wider than the
 * line: the longest prefix that fits (at least one character), never splitting a character
 * from its combining marks. Negative on failure.
 */
static int break_word(struct build *b, int line_start, int word_start, int word_end)
{
    int low = word_start + 1; /* always taken, even if it does not fit */
    int high = word_end - 1;  /* the whole word is known not to fit */
    int best = low;
    while (low <= high) {
        int middle = low + (high - low) / 2;
        int width = range_width(b, line_start, middle);
        if (width < 0) {
            return -1;
        }
        if (fits(b, width)) {
            best = middle;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    while (best < word_end && b->classes[best] == CLASS_MARK) {
        best++;
    }
    return best;
}

/* Greedy wrap of the paragraph [start, end): spaces are break points, a word wider than the
 * line is broken between characters. */
static int wrap_paragraph(struct build *b, int start, int end)
{
    int position = start;
    bool first_line = true;
    while (position < end || first_line) {
        int line_start = position;
        int line_end = position;
        int cursor = position;
        for (;;) {
            int word_start = cursor;
            while (word_start < end && b->chars[word_start] == ' ') {
                word_start++;
            }
            if (word_start == end) {
                break;
            }
            int word_end = word_start;
            while (word_end < end && b->chars[word_end] != ' ') {
                word_end++;
            }
            int width = range_width(b, line_start, word_end);
            if (width < 0) {
                return -1;
            }
            if (fits(b, width)) {
                line_end = word_end;
                cursor = word_end;
                continue;
            }
            if (line_end == line_start) {
                b->layout->word_broken = true;
                line_end = break_word(b, line_start, word_start, word_end);
                if (line_end < 0) {
                    return -1;
                }
            }
            break;
        }
        if (line_end == line_start && !first_line) {
            break; /* only spaces were left */
        }
        if (emit_line(b, line_start, line_end) != 0) {
            return -1;
        }
        if (b->layout->lines_cut) {
            return 0; /* no room for more lines: stop measuring */
        }
        first_line = false;
        position = line_end;
        while (position < end && b->chars[position] == ' ') {
            position++;
        }
        if (line_end == line_start) {
            break; /* an empty or all-space paragraph is one empty line */
        }
    }
    return 0;
}

struct ui_text_layout *ui_text_layout_build(const char *utf8, bool rtl, int wrap_width_px,
                                            const struct ui_text_measurer *measurer)
{
    struct build b = {.measurer = measurer, .rtl = rtl, .wrap_width_px = wrap_width_px};
    b.layout = calloc(1, sizeof *b.layout);
    if (!b.layout) {
        return NULL;
    }
    if (decode_input(&b, utf8) != 0 || allocate_work(&b) != 0) {
        goto out_free_layout;
    }
    int paragraph_start = 0;
    for (int i = 0; i <= b.char_count; i++) {
        bool at_end = i == b.char_count;
        if (!at_end && b.chars[i] != '\n') {
            continue;
        }
        /* Text ending in "\n" has no empty paragraph after it; empty text has no lines. */
        if (at_end && paragraph_start == i) {
            break;
        }
        resolve_levels(&b, paragraph_start, i);
        assign_faces(&b, paragraph_start, i);
        if (wrap_paragraph(&b, paragraph_start, i) != 0) {
            goto out_free_layout;
        }
        if (b.layout->lines_cut) {
            break;
        }
        paragraph_start = i + 1;
    }
    free_work(&b);
    return b.layout;

out_free_layout:
    free_work(&b);
    ui_text_layout_free(b.layout);
    return NULL;
}

void ui_text_layout_free(struct ui_text_layout *layout)
{
    if (!layout) {
        return;
    }
    free(layout->text);
    free(layout->lines);
    free(layout->runs);
    free(layout);
}
