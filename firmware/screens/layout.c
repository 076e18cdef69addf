/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * layout: see layout.h. Coordinates are written for a left-to-right screen and mirrored
 * at the end for right-to-left languages, so both stay consistent.
 */
#include "screens/layout.h"

#include <stdio.h>
#include <string.h>

#include "i18n/nature_words.h"

static SDL_Rect rect(int x, int y, int w, int h)
{
    return (SDL_Rect){x, y, w, h};
}

void layout_add(struct layout *l, const char *id, SDL_Rect r, enum widget_style style, int value)
{
    if (l->count >= LAYOUT_MAX_WIDGETS) {
        return;
    }
    struct ui_widget *w = &l->widgets[l->count++];
    snprintf(w->id, sizeof w->id, "%s", id);
    w->rect = r;
    w->style = style;
    w->value = value;
}

static int margin(const struct layout *l)
{
    return l->portrait ? 28 : 16;
}

/* Height of the bottom row (back and the ways out): one line of its labels at the scale in
 * force, at least 88 px in portrait and 68 in landscape (so large text never grows it after
 * the rows above were placed against it). */
static int bottom_row_h(const struct layout *l)
{
    int least = l->portrait ? 88 : 68;
    int one = layout_line_px(l, layout_type_px_at(TYPE_BUTTON, l->px_per_mm, l->text_scale)) + 10;
    return one > least ? one : least;
}

#define LAYOUT_TOP_ROW_Y 8    /* the top of speak and large-text in landscape (layout_access.c) */
#define LAYOUT_TOP_BACK_W 320 /* back in the top row before it narrows to its label */

/* Landscape large text beside skip: back and the ways out stand in one compact row at the
 * top start corner (across from speak and large-text), so skip has the whole bottom row
 * for its label on one line and the title the whole width below the top row. */
static bool ways_out_on_top(const struct layout *l, bool beside_skip)
{
    return beside_skip && !l->portrait && l->large_text;
}

/* Where a title starts: under the top row (ways_out_on_top), else at y. */
static int below_top_row(const struct layout *l, bool beside_skip, int y)
{
    int top = LAYOUT_TOP_ROW_Y + bottom_row_h(l) + 2; /* the title's leading is white already */
    return ways_out_on_top(l, beside_skip) && y < top ? top : y;
}

/* Back button at the bottom start corner, used by every question screen (in the top row
 * with the ways out where they stand there: add_way_out). */
static void add_back(struct layout *l, bool beside_skip)
{
    int m = margin(l), h = bottom_row_h(l);
    int y = ways_out_on_top(l, beside_skip) ? LAYOUT_TOP_ROW_Y : l->height - m - h;
    int w = l->portrait ? 240 : y == LAYOUT_TOP_ROW_Y ? LAYOUT_TOP_BACK_W : 190;
    layout_add(l, "back", rect(m, y, w, h), WIDGET_QUIET, 0);
}

/*
 * The ways out of every question screen (journey.h): restart, language and help, in the
 * bottom row between back and the end of the screen (or skip, in landscape), 2.4 mm apart
 * like every target. Where the row is narrow they are pictograms only (render shows a label
 * when it fits; speech reads it). Each stays a full target. Landscape large text beside
 * skip: in the top row after back (ways_out_on_top).
 */
static void add_way_out(struct layout *l, bool beside_skip)
{
    const char *ids[] = {"restart", "language", "help"};
    int m = margin(l), gap = (int)(2.4 * l->px_per_mm + 0.99);
    if (ways_out_on_top(l, beside_skip)) { /* after back (add_back), pictograms only */
        int x0 = m + LAYOUT_TOP_BACK_W + gap, h = bottom_row_h(l);
        for (int i = 0; i < 3; i++) {
            layout_add(l, ids[i],
                       rect(x0 + i * (LAYOUT_MIN_TARGET_PX + gap), LAYOUT_TOP_ROW_Y,
                            LAYOUT_MIN_TARGET_PX, h),
                       WIDGET_QUIET, i);
        }
        return;
    }
    int h = bottom_row_h(l), back_w = l->portrait ? 240 : 190;
    int x0 = m + back_w + gap;
    int x1 = l->width - m - (beside_skip && !l->portrait ? 300 + gap : 0);
    int w = (x1 - x0 - 2 * gap) / 3;
    /* Portrait: back may widen to its label, in large text more (the ways out are
     * pictograms there anyway, still 9.7 mm wide). */
    int widest = l->portrait ? (l->large_text ? 80 : 104) : 160;
    if (w > widest) {
        w = widest;
    }
    bool narrow = beside_skip && !l->portrait;
    if (narrow) { /* the least room: skip may widen towards them (its label must fit) */
        w = LAYOUT_MIN_TARGET_PX;
        gap = (int)(2.0 * l->px_per_mm + 0.99); /* 2 mm: the least the rule allows */
        x0 = m + back_w + gap;
    }
    int y = l->height - m - h;
    for (int i = 0; i < 3; i++) {
        int x = narrow ? x0 + i * (w + gap) : x1 - (3 - i) * w - (2 - i) * gap;
        layout_add(l, ids[i], rect(x, y, w, h), WIDGET_QUIET, i);
    }
}

/* Landscape skip at the bottom end corner, w x h; in large text across the whole bottom row
 * (back and the ways out are on top: ways_out_on_top), closer to the edge (the top row
 * took height). */
static void add_landscape_skip(struct layout *l, int w, int h)
{
    int m = margin(l);
    if (ways_out_on_top(l, true)) {
        h = bottom_row_h(l);
        layout_add(l, "skip", rect(m, l->height - 8 - h, l->width - 2 * m, h), WIDGET_QUIET, 0);
    } else {
        layout_add(l, "skip", rect(l->width - m - w, l->height - m - h, w, h), WIDGET_QUIET, 0);
    }
}

static void welcome(struct layout *l, const struct layout_input *in)
{
    int W = l->width, H = l->height, m = margin(l);
    l->clock = rect(W - m - 170, m, 170, 48);
    if (in->departure_tap) {
        layout_add(l, "leave", rect(m, m, l->portrait ? 260 : 220, l->portrait ? 80 : 64),
                   WIDGET_QUIET, 0);
    }
    /* Rows of three (landscape) or two (portrait): every language name at the one button
     * size. */
    int lang_rows = l->portrait ? (in->language_count + 1) / 2 : in->language_count > 3 ? 2 : 1;
    int lang_h = l->portrait ? 84 : 64, gap = (int)(2.4 * l->px_per_mm + 0.5);
    int per_row = (in->language_count + lang_rows - 1) / lang_rows;
    int lang_top = H - m - lang_rows * lang_h - (lang_rows - 1) * gap;
    l->scene = rect(0, l->portrait ? H - 520 : H - 190, W, l->portrait ? 520 : 190);
    if (l->portrait) {
        l->title = rect(m, 150, W - 2 * m, 220);
        l->body = rect(m, 380, W - 2 * m, 80);
        layout_add(l, "checkin", rect((W - 560) / 2, 480, 560, 150), WIDGET_PRIMARY, 0);
    } else {
        l->title = rect(m, 70, W - 2 * m, 70);
        l->body = rect(m, 142, W - 2 * m, 40);
        layout_add(l, "checkin", rect((W - 420) / 2, 196, 420, 100), WIDGET_PRIMARY, 0);
    }
    l->title_px = l->portrait ? 60 : 46;
    l->body_px = l->portrait ? 34 : 28;
    for (int i = 0; i < in->language_count; i++) {
        int row = i / per_row, col = i % per_row;
        int in_row = row == lang_rows - 1 ? in->language_count - row * per_row : per_row;
        int w = (W - 2 * m - (per_row - 1) * gap) / per_row;
        if (w > 340) {
            w = 340;
        }
        int row_width = in_row * w + (in_row - 1) * gap;
        int x = (W - row_width) / 2 + col * (w + gap);
        char id[24];
        snprintf(id, sizeof id, "lang:%s", in->language_codes[i]);
        layout_add(l, id, rect(x, lang_top + row * (lang_h + gap), w, lang_h), WIDGET_LANGUAGE, i);
    }
}

static void services(struct layout *l, const struct layout_input *in)
{
    int W = l->width, H = l->height, m = margin(l), n = in->service_count;
    int cols = l->portrait ? (n <= 4 ? 1 : 2) : (n == 4 ? 2 : n < 3 ? n : 3);
    if (cols < 1) {
        cols = 1;
    }
    int rows = (n + cols - 1) / cols;
    int gap = l->portrait ? 20 : 14;
    l->title = rect(m, l->portrait ? 80 : 18, W - 2 * m, l->portrait ? 150 : 64);
    l->title_px = l->portrait ? 56 : 44;
    int top = l->title.y + l->title.h + (l->portrait ? 30 : 10);
    int bottom = H - m - (l->portrait ? 88 : 68) - gap;
    int tile_w = (W - 2 * m - (cols - 1) * gap) / cols;
    int tile_h = (bottom - top - (rows - 1) * gap) / (rows ? rows : 1);
    if (tile_h > (l->portrait ? 260 : 170)) {
        tile_h = l->portrait ? 260 : 170;
    }
    for (int i = 0; i < n; i++) {
        char id[24];
        snprintf(id, sizeof id, "service:%d", i + 1);
        layout_add(l, id,
                   rect(m + (i % cols) * (tile_w + gap), top + (i / cols) * (tile_h + gap), tile_w,
                        tile_h),
                   WIDGET_TILE, i);
    }
    add_back(l, false);
    add_way_out(l, false);
}

/* Landscape large text: the low anchor ("Geen stress") as narrow as its one line (not
 * under a quarter of the scale), so the high one ("Heel veel stress") has the rest for one
 * line too; half of the scale each without a measure. */
static int low_anchor_w(const struct layout *l, const struct layout_input *in, int half)
{
    if (!in->measure) {
        return half;
    }
    int px = layout_type_px_at(TYPE_BODY, l->px_per_mm, in->text_scale);
    int line = layout_line_px(l, px), w = half;
    for (int narrower = half - 8; narrower >= half / 2; narrower -= 8) {
        int need = in->measure(in->measure_ctx, BLOCK_ANCHOR_LOW, px, narrower);
        if (need < 0 || need > line) {
            break;
        }
        w = narrower;
    }
    return w;
}

/* The 0-10 scale shared by the stress question and the departure question: one row in
 * landscape; in portrait two rows (0-5, 6-10), or three (0-3, 4-7, 8-10) with wider tiles
 * when "10" at the score size does not fit a sixth of the width (large text); tiles >= 9 mm
 * with gaps >= 2 mm, the whole scale always shown. */
static void scale(struct layout *l, const struct layout_input *in)
{
    int W = l->width, H = l->height, m = margin(l);
    l->title =
        rect(m, below_top_row(l, true, l->portrait ? 90 : 16), W - 2 * m, l->portrait ? 190 : 110);
    l->title_px = l->portrait ? 56 : 44;
    l->body_px = l->portrait ? 30 : 26;
    int gap = (int)(2.4 * l->px_per_mm + 0.5);
    int per_row = l->portrait ? 6 : 11;
    int side_margin = l->portrait ? m : 10;
    if (l->portrait) {
        int score_px = layout_type_px_at(TYPE_SCORE, l->px_per_mm, 1.0); /* layout_access.c */
        int six = (W - 2 * side_margin - 5 * gap) / 6;
        per_row = score_px * 115 / 100 + 16 <= six ? 6 : 4;
    }
    int rows = (11 + per_row - 1) / per_row;
    int tile_w = (W - 2 * side_margin - (per_row - 1) * gap) / per_row;
    int row_width = per_row * tile_w + (per_row - 1) * gap;
    int x0 = (W - row_width) / 2;
    int tile_h = l->portrait ? (rows > 2 ? 120 : l->large_text ? 84 : 150) : 128;
    int anchor_h = l->portrait ? 80 : 44;
    /* Portrait: each anchor on one line across the scale where it can; landscape: "Heel
     * veel stress" on one line under its half. */
    int anchor_w = l->portrait ? row_width : (row_width - gap) / 2;
    int top = l->portrait ? 300 + anchor_h + 8 : l->title.y + 120;
    for (int score = 0; score <= 10; score++) {
        char id[24];
        snprintf(id, sizeof id, "score:%d", score);
        int row = score / per_row, col = score % per_row;
        layout_add(l, id,
                   rect(x0 + col * (tile_w + gap), top + row * (tile_h + gap), tile_w, tile_h),
                   WIDGET_SCORE, score);
    }
    int bottom = top + rows * tile_h + (rows - 1) * gap;
    if (l->portrait) { /* "no stress" above the 0, "very much" below the 10 */
        l->anchor_low = rect(x0, top - anchor_h - 8, anchor_w, anchor_h);
        l->anchor_high = rect(x0 + row_width - anchor_w, bottom + 8, anchor_w, anchor_h);
    } else {
        l->anchor_low = rect(x0, bottom + 8, anchor_w, anchor_h);
        l->anchor_high = rect(x0 + row_width - anchor_w, bottom + 8, anchor_w, anchor_h);
        if (ways_out_on_top(l, true)) { /* their line spacing is white space already */
            int low_w = low_anchor_w(l, in, anchor_w);
            l->anchor_low = rect(x0, bottom + 2, low_w, anchor_h);
            l->anchor_high = rect(x0 + low_w + gap, bottom + 2, row_width - low_w - gap, anchor_h);
        }
    }
    l->note =
        rect(m, bottom + 8 + anchor_h + (l->portrait ? 16 : 6), W - 2 * m, l->portrait ? 100 : 40);
    int skip_h = l->portrait ? 88 : 68, skip_w = l->portrait ? 420 : 300;
    if (l->portrait && in->text_scale > 1.0) {
        /* Large text: skip across the screen just above the bottom row, as tall as two lines
         * of its label from the start, so it never grows into the row below; the scale and
         * its texts fit above it (or the note gives way: layout_reflow). */
        int button_px = layout_type_px_at(TYPE_BUTTON, l->px_per_mm, in->text_scale);
        int two = 2 * layout_line_px(l, button_px) + 10;
        skip_h = two > skip_h ? two : skip_h;
        if (in->measure_label) { /* one line where its label fits across (render_button) */
            int one = bottom_row_h(l), pad = LAYOUT_BUTTON_PAD(one);
            int side = one - 2 * pad > 72 ? 72 : one - 2 * pad;
            struct ui_widget skip = {
                .id = "skip", .rect = rect(m, 0, W - 2 * m, one), .style = WIDGET_QUIET};
            int label = in->measure_label(in->measure_ctx, &skip, button_px);
            skip_h = label > 0 && label + side + 3 * pad + 8 <= W - 2 * m ? one : skip_h;
        }
        layout_add(l, "skip", rect(m, H - m - bottom_row_h(l) - gap - skip_h, W - 2 * m, skip_h),
                   WIDGET_QUIET, 0);
    } else if (l->portrait) {
        layout_add(l, "skip", rect((W - skip_w) / 2, l->note.y + l->note.h + 16, skip_w, skip_h),
                   WIDGET_QUIET, 0);
    } else {
        add_landscape_skip(l, skip_w, skip_h);
    }
    add_back(l, true);
    add_way_out(l, true);
}

static void word(struct layout *l)
{
    int W = l->width, H = l->height, m = margin(l);
    l->title = rect(m, l->portrait ? 140 : 30, W - 2 * m, l->portrait ? 200 : 110);
    l->title_px = l->portrait ? 56 : 44;
    if (l->portrait) {
        layout_add(l, "word:yes", rect(m + 40, 420, W - 2 * m - 80, 200), WIDGET_SECONDARY, 1);
        layout_add(l, "word:no", rect(m + 40, 660, W - 2 * m - 80, 200), WIDGET_SECONDARY, 0);
    } else {
        int w = (W - 2 * m - 24) / 2;
        layout_add(l, "word:yes", rect(m, 170, w, 170), WIDGET_SECONDARY, 1);
        layout_add(l, "word:no", rect(m + w + 24, 170, w, 170), WIDGET_SECONDARY, 0);
    }
    (void)H;
    add_back(l, false);
    add_way_out(l, false);
}

static void checked_in(struct layout *l, const struct layout_input *in)
{
    int W = l->width, H = l->height, m = margin(l);
    int ok_w = l->portrait ? 300 : 200, ok_h = l->portrait ? 100 : 68;
    int body_px = layout_type_px_at(TYPE_BODY, in->px_per_mm, in->text_scale);
    int name_px = layout_type_px_at(TYPE_NAME, in->px_per_mm, in->text_scale);
    int title_px = layout_type_px_at(TYPE_TITLE, in->px_per_mm, in->text_scale);
    /* The name panel: the name and its word in the visitor's language (the title above it
     * says the name will be called). */
    int panel_h = layout_line_px(l, body_px) + layout_line_px(l, name_px) + 16;
    int top = l->portrait ? 130 : 80;
    l->title = rect(m, top, W - 2 * m, layout_line_px(l, title_px));
    int below = l->title.y + l->title.h + 8;
    l->name_panel = rect(m, below, W - 2 * m, panel_h);
    l->body =
        rect(m, below + panel_h + (l->portrait ? 24 : 8), W - 2 * m, layout_line_px(l, body_px));
    if (l->portrait) {
        layout_add(l, "ok", rect((W - ok_w) / 2, H - m - ok_h, ok_w, ok_h), WIDGET_PRIMARY, 0);
    } else { /* the top start corner: the screen below is all words */
        layout_add(l, "ok", rect(12, 8, ok_w, 64), WIDGET_PRIMARY, 0);
    }
}

static void goodbye(struct layout *l)
{
    int W = l->width, H = l->height, m = margin(l);
    l->title = rect(m, l->portrait ? 300 : 90, W - 2 * m, l->portrait ? 240 : 140);
    l->title_px = l->portrait ? 60 : 48;
    l->scene = rect(0, l->portrait ? H - 520 : H - 190, W, l->portrait ? 520 : 190);
    int ok_w = l->portrait ? 300 : 200, ok_h = l->portrait ? 100 : 68;
    layout_add(l, "ok", rect((W - ok_w) / 2, l->title.y + l->title.h + 20, ok_w, ok_h),
               WIDGET_PRIMARY, 0);
}

/* still-there: the question, a big "yes", and start over. */
static void still_there(struct layout *l)
{
    int W = l->width, H = l->height, m = margin(l);
    l->title = rect(m, l->portrait ? 240 : 40, W - 2 * m, l->portrait ? 160 : 80);
    l->note = rect(m, l->title.y + l->title.h, W - 2 * m, l->portrait ? 80 : 44);
    l->title_px = l->portrait ? 60 : 48;
    l->body_px = l->portrait ? 34 : 28;
    int yes_w = l->portrait ? 460 : 380, yes_h = l->portrait ? 200 : 140;
    layout_add(l, "yes",
               rect((W - yes_w) / 2, l->note.y + l->note.h + (l->portrait ? 60 : 20), yes_w, yes_h),
               WIDGET_PRIMARY, 1);
    int h = l->portrait ? 88 : 68, w = l->portrait ? 360 : 280;
    layout_add(l, "restart", rect((W - w) / 2, H - m - h, w, h), WIDGET_QUIET, 0);
}

/* help: someone is coming; one button back to the question. */
static void help(struct layout *l)
{
    int W = l->width, m = margin(l);
    l->title = rect(m, l->portrait ? 300 : 90, W - 2 * m, l->portrait ? 240 : 140);
    l->title_px = l->portrait ? 60 : 48;
    int w = l->portrait ? 360 : 280, h = l->portrait ? 100 : 68;
    layout_add(l, "ok", rect((W - w) / 2, l->title.y + l->title.h + 30, w, h), WIDGET_PRIMARY, 0);
}

/* The language picker of a question screen: every language named in its own script. */
static void language_picker(struct layout *l, const struct layout_input *in)
{
    int W = l->width, H = l->height, m = margin(l);
    l->title = rect(m, l->portrait ? 80 : 16, W - 2 * m, l->portrait ? 120 : 64);
    l->title_px = l->portrait ? 56 : 44;
    int cols = l->portrait ? 2 : 3, gap = l->portrait ? 20 : 14;
    int rows = (in->language_count + cols - 1) / cols;
    int top = l->title.y + l->title.h + (l->portrait ? 30 : 10);
    int bottom = H - m - (l->portrait ? 88 : 68) - gap;
    int w = (W - 2 * m - (cols - 1) * gap) / cols;
    int h = rows ? (bottom - top - (rows - 1) * gap) / rows : 0;
    if (h > (l->portrait ? 160 : 110)) {
        h = l->portrait ? 160 : 110;
    }
    for (int i = 0; i < in->language_count; i++) {
        char id[24];
        snprintf(id, sizeof id, "lang:%s", in->language_codes[i]);
        layout_add(l, id, rect(m + (i % cols) * (w + gap), top + (i / cols) * (h + gap), w, h),
                   WIDGET_LANGUAGE, i);
    }
    add_back(l, false);
}

/* The top of the bottom row (back, the ways out, skip: "Overslaan" is short enough for
 * one line beside them). */
static int bottom_row_top(const struct layout *l)
{
    return l->height - margin(l) - bottom_row_h(l);
}

/* The title of a name screen as tall as its words need where it will stand (the reflow
 * gives it more when it ends up narrower), else two lines: the rows below are placed
 * under it, so they need not give up height unevenly later. */
static SDL_Rect question_title(const struct layout *l, const struct layout_input *in, int y)
{
    int m = margin(l);
    int title_px = layout_type_px_at(TYPE_TITLE, l->px_per_mm, in->text_scale);
    int h = 2 * layout_line_px(l, title_px);
    /* Landscape: the title sits between the speak and large-text squares' mirror images
     * (layout_access.c keeps it clear of them); portrait: below them, across the screen. */
    int width = l->width - 2 * m - (l->portrait || ways_out_on_top(l, true) ? 0 : 2 * 160);
    if (in->measure) {
        int need = in->measure(in->measure_ctx, BLOCK_TITLE, title_px, width);
        h = need < 0 ? -need : need > 0 ? need : h;
    }
    return rect(m, y, l->width - 2 * m, h);
}

/* leave-name: every friendly-name word as its pictogram, always all of them (the screen
 * tells nobody which names are in use): landscape 9 + 8 + 8, portrait five rows of five. */
static void nature_words(struct layout *l, const struct layout_input *in)
{
    int W = l->width, m = margin(l);
    int gap = (int)(2.4 * l->px_per_mm + 0.5);
    l->title = question_title(l, in, below_top_row(l, true, l->portrait ? 110 : 16));
    int cols = l->portrait ? 5 : 9, rows = (NATURE_WORD_COUNT + cols - 1) / cols;
    int top = l->title.y + l->title.h + (l->portrait ? 30 : 8);
    int bottom = bottom_row_top(l) - gap;
    if (l->portrait) {                   /* skip above the bottom row, like the 0-10 screens */
        bottom -= bottom_row_h(l) + gap; /* skip: one line of its label */
    }
    int tile_w = (W - 2 * m - (cols - 1) * gap) / cols;
    int tile_h = (bottom - top - (rows - 1) * gap) / rows;
    tile_h = tile_h > tile_w ? tile_w : tile_h;
    for (int i = 0; i < NATURE_WORD_COUNT; i++) {
        int row = i / cols, col = i % cols;
        int in_row = row == rows - 1 ? NATURE_WORD_COUNT - row * cols : cols;
        int x0 = (W - in_row * tile_w - (in_row - 1) * gap) / 2;
        char id[24];
        snprintf(id, sizeof id, "nature:%s", NATURE_WORDS[i]);
        layout_add(l, id,
                   rect(x0 + col * (tile_w + gap), top + row * (tile_h + gap), tile_w, tile_h),
                   WIDGET_NATURE, i);
    }
    int skip_w = l->portrait ? 420 : 300;
    if (l->portrait) {
        layout_add(l, "skip", rect((W - skip_w) / 2, bottom + gap, skip_w, bottom_row_h(l)),
                   WIDGET_QUIET, 0);
    } else {
        add_landscape_skip(l, skip_w, bottom_row_h(l));
    }
    add_back(l, true);
    add_way_out(l, true);
}

/* leave-number: the name so far (its pictogram, its word, the digits) above a digit pad
 * that reads 1-2-3 from the left in every language, like a telephone's. Landscape: delete
 * and ok beside the name, the digits in one row of ten; portrait: three columns, delete
 * and 0 in the fourth row, ok across the fifth. */
static void number_pad(struct layout *l, const struct layout_input *in)
{
    int W = l->width, m = margin(l);
    int gap = (int)(2.4 * l->px_per_mm + 0.5);
    l->title = question_title(l, in, below_top_row(l, true, l->portrait ? 110 : 16));
    int top = l->title.y + l->title.h + (l->portrait ? 30 : 8);
    int bottom = bottom_row_top(l) - gap;
    if (l->portrait) {
        bottom -= bottom_row_h(l) + gap;
        l->body = rect(m, top, W - 2 * m, 96);
        int key_top = top + 96 + 20;
        int key_w = (W - 2 * m - 2 * gap) / 3, key_h = (bottom - key_top - 4 * gap) / 5;
        key_h = key_h > 130 ? 130 : key_h;
        const char *keys[] = {"digit:1", "digit:2", "digit:3", "digit:4", "digit:5", "digit:6",
                              "digit:7", "digit:8", "digit:9", "delete",  "digit:0"};
        for (int i = 0; i < 11; i++) {
            layout_add(
                l, keys[i],
                rect(m + (i % 3) * (key_w + gap), key_top + (i / 3) * (key_h + gap), key_w, key_h),
                WIDGET_KEY, i);
        }
        layout_add(l, "ok", rect(m, key_top + 4 * (key_h + gap), W - 2 * m, key_h), WIDGET_PRIMARY,
                   0);
        layout_add(l, "skip", rect((W - 420) / 2, bottom + gap, 420, bottom_row_h(l)), WIDGET_QUIET,
                   0);
    } else {
        int row_h = (bottom - top - gap) / 2;
        int ok_w = 260, delete_w = 160; /* "Gotowe" beside its tick; "Wissen" */
        l->body = rect(m, top, W - 2 * m - ok_w - delete_w - 2 * gap, row_h);
        layout_add(l, "delete", rect(W - m - ok_w - gap - delete_w, top, delete_w, row_h),
                   WIDGET_KEY, 10);
        layout_add(l, "ok", rect(W - m - ok_w, top, ok_w, row_h), WIDGET_PRIMARY, 0);
        int key_w = (W - 2 * m - 9 * gap) / 10; /* one row of ten: 12.7 mm each */
        for (int i = 0; i < 10; i++) {
            char id[24];
            snprintf(id, sizeof id, "digit:%d", (i + 1) % 10);
            layout_add(l, id, rect(m + i * (key_w + gap), top + row_h + gap, key_w, row_h),
                       WIDGET_KEY, (i + 1) % 10);
        }
        add_landscape_skip(l, 300, bottom_row_h(l));
    }
    add_back(l, true);
    add_way_out(l, true);
}

/* closed: when the office opens and whom to call (render fills body), and ok. */
static void closed(struct layout *l)
{
    int W = l->width, H = l->height, m = margin(l);
    l->scene = rect(0, l->portrait ? H - 420 : H - 120, W, l->portrait ? 420 : 120);
    l->title = rect(m, l->portrait ? 120 : 16, W - 2 * m, l->portrait ? 140 : 64);
    l->body = rect(m + 20, l->title.y + l->title.h + 10, W - 2 * m - 40, l->portrait ? 340 : 230);
    l->title_px = l->portrait ? 56 : 44;
    l->body_px = l->portrait ? 40 : 30;
    int w = l->portrait ? 300 : 200, h = l->portrait ? 100 : 68;
    layout_add(l, "ok", rect(W - m - w, l->body.y + l->body.h + 10, w, h), WIDGET_PRIMARY, 0);
}

static void mirror(SDL_Rect *r, int width)
{
    if (r->w > 0) {
        r->x = width - r->x - r->w;
    }
}

static void build_once(struct layout *out, const struct layout_input *in)
{
    memset(out, 0, sizeof *out);
    out->width = in->width;
    out->height = in->height;
    out->portrait = in->height > in->width;
    out->rtl = in->rtl;
    out->large_text = in->large_text; /* the forms may make room for larger labels */
    out->text_scale = in->text_scale > 0 ? in->text_scale : 1.0;
    out->title_px = 44;
    out->body_px = 28;
    out->px_per_mm = in->px_per_mm > 0.5 ? in->px_per_mm : 800 / 154.2;
    switch (journey_screen_form(in->screen)) {
    case JOURNEY_FORM_WELCOME:
        welcome(out, in);
        break;
    case JOURNEY_FORM_TILES:
        services(out, in);
        break;
    case JOURNEY_FORM_SCALE:
        scale(out, in);
        break;
    case JOURNEY_FORM_TWO_CHOICES:
        word(out);
        break;
    case JOURNEY_FORM_CHECKED_IN:
        checked_in(out, in);
        break;
    case JOURNEY_FORM_STILL_THERE:
        still_there(out);
        break;
    case JOURNEY_FORM_MESSAGE:
        help(out);
        break;
    case JOURNEY_FORM_LANGUAGES:
        language_picker(out, in);
        break;
    case JOURNEY_FORM_CLOSED:
        closed(out);
        break;
    case JOURNEY_FORM_GOODBYE:
        goodbye(out);
        break;
    case JOURNEY_FORM_WORDS:
        nature_words(out, in);
        break;
    case JOURNEY_FORM_DIGITS:
        number_pad(out, in);
        break;
    }
    layout_access_finish(out, in);
    layout_reflow(out, in);
    if (in->rtl) {
        for (int i = 0; i < out->count; i++) {
            if (strncmp(out->widgets[i].id, "digit:", 6) != 0) { /* a pad reads 1-2-3 */
                mirror(&out->widgets[i].rect, out->width);
            }
        }
        SDL_Rect *blocks[] = {&out->title,      &out->body,       &out->note,        &out->clock,
                              &out->name_panel, &out->anchor_low, &out->anchor_high, &out->scene};
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
            mirror(blocks[i], out->width);
        }
    }
    layout_access_staff_area(out);
}

/*
 * Large text is the largest scale <= 1.3 at which the screen fits (the explanatory note may
 * stay at the normal size first), never below the normal scale: the controls keep their
 * place and the words give way, never the other way round.
 */
void layout_build(struct layout *out, const struct layout_input *in)
{
    struct layout_input at = *in;
    at.text_scale = in->large_text ? 1.3 : 1.0;
    at.note_scale = at.text_scale;
    build_once(out, &at);
    if (!in->large_text || layout_fits(out, &at)) {
        return;
    }
    /* The scales 1.0, 1.05, ... 1.3 (steps 0..6): the largest that fits with the note at
     * the normal size, found by halving (a few layouts, not fourteen: this runs on every
     * screen change); then its note at that scale too if it still fits. */
    int low = 0, high = 5; /* step 6 (1.3) with the note at 1.0 is tried first */
    at.text_scale = 1.3;
    at.note_scale = 1.0;
    build_once(out, &at);
    if (layout_fits(out, &at)) {
        low = 6;
    } else {
        while (low < high) { /* invariant: step low fits (step 0 is the normal scale) */
            int mid = (low + high + 1) / 2;
            at.text_scale = 1.0 + 0.05 * mid;
            build_once(out, &at);
            if (layout_fits(out, &at)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
    }
    at.text_scale = 1.0 + 0.05 * low;
    at.note_scale = at.text_scale;
    build_once(out, &at);
    if (low > 0 && !layout_fits(out, &at)) {
        at.note_scale = 1.0;
        build_once(out, &at);
    }
}

const struct ui_widget *layout_find(const struct layout *layout, const char *id)
{
    for (int i = 0; i < layout->count; i++) {
        if (strcmp(layout->widgets[i].id, id) == 0) {
            return &layout->widgets[i];
        }
    }
    return NULL;
}

const struct ui_widget *layout_hit(const struct layout *layout, int x, int y)
{
    SDL_Point point = {x, y};
    for (int i = 0; i < layout->count; i++) {
        if (SDL_PointInRect(&point, &layout->widgets[i].rect)) {
            return &layout->widgets[i];
        }
    }
    return NULL;
}
