/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * layout_access: the parts of every visitor screen's layout that make it usable for people
 * who read little or see poorly: type sizes in millimetres of the real panel (one size per
 * role, a larger scale on request), the speak and large-text controls at the top end corner,
 * and the staff gesture's area, which no visitor control overlaps. Pure geometry, like
 * layout.c, which calls it after placing a screen's own widgets.
 */
#include "screens/layout.h"

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define ACCESS_CAP_EM 0.714        /* Noto Sans: capital height per em (1 px of size = 1 em) */
#define ACCESS_DEFAULT_PX_MM 5.188 /* the 7" panel: 800 px over 154.2 mm */
#define ACCESS_LARGE_FACTOR 1.3    /* the large-text scale */
#define ACCESS_TARGET_MM 11.0      /* side of the speak and large-text squares (>= 9 mm) */
#define ACCESS_GAP_MM 2.4          /* between them and anything else (>= 2 mm) */

/* Capital height per role in mm, normal scale. Body text: ADA 703.5.5's 4.8 mm minimum. */
static const double role_cap_mm[TYPE_COUNT] = {
    [TYPE_TITLE] = 6.0, [TYPE_BODY] = 4.8,  [TYPE_BUTTON] = 4.8,
    [TYPE_NAME] = 7.5,  [TYPE_SCORE] = 5.6,
};

static double px_mm(double px_per_mm)
{
    return px_per_mm > 0.5 ? px_per_mm : ACCESS_DEFAULT_PX_MM;
}

int layout_type_px_at(enum layout_type role, double px_per_mm, double scale)
{
    if ((int)role < 0 || role >= TYPE_COUNT) {
        role = TYPE_BODY;
    }
    scale = scale < 1.0 ? 1.0 : scale > ACCESS_LARGE_FACTOR ? ACCESS_LARGE_FACTOR : scale;
    double mm = role_cap_mm[role] * scale;
    return (int)ceil(mm * px_mm(px_per_mm) / ACCESS_CAP_EM - 1e-9);
}

int layout_type_px(enum layout_type role, double px_per_mm, bool large_text)
{
    return layout_type_px_at(role, px_per_mm, large_text ? ACCESS_LARGE_FACTOR : 1.0);
}

/* The scale the input asks for (layout_build fills text_scale; 0: from large_text). */
static double input_scale(const struct layout_input *in)
{
    return in->text_scale > 0 ? in->text_scale : in->large_text ? ACCESS_LARGE_FACTOR : 1.0;
}

double layout_cap_mm(int px, double px_per_mm)
{
    return px * ACCESS_CAP_EM / px_mm(px_per_mm);
}

static int mm_px(double mm, double px_per_mm)
{
    return (int)ceil(mm * px_mm(px_per_mm));
}

static void shift_below(struct layout *l, int from_y, int delta);
static int reserve_bottom(struct layout *l);

/* The height a text block needs (layout_input.measure; a negative answer means a word of
 * it is wider than the width and would be broken: the height is its size). */
static int measured(const struct layout_input *in, enum layout_block block, int px, int width)
{
    int h = in->measure(in->measure_ctx, block, px, width);
    return h < 0 ? -h : h;
}

/* Keeps a text block gap pixels away from zone: moved down (with all below it) when that
 * costs little height, else narrowed symmetrically. */
static void keep_clear(struct layout *l, SDL_Rect *block, SDL_Rect zone, int gap)
{
    if (block->w <= 0) {
        return;
    }
    SDL_Rect grown = {zone.x - gap, zone.y - gap, zone.w + 2 * gap, zone.h + 2 * gap};
    if (!SDL_HasIntersection(block, &grown)) {
        return;
    }
    int below = grown.y + grown.h - block->y;
    int cut = block->x + block->w - grown.x;
    /* In portrait, height is plenty: a title narrowed by a quarter moves down instead. */
    bool title = l->portrait && block == &l->title && cut * 2 > block->w / 4;
    if (below <= 32 || title || cut * 2 >= block->w) {
        shift_below(l, block->y, below);
    } else {
        block->x += cut;
        block->w -= 2 * cut;
    }
}

void layout_access_finish(struct layout *l, const struct layout_input *in)
{
    reserve_bottom(l); /* texts made room for these controls move nothing at the bottom */
    l->large_text = in->large_text;
    l->text_scale = input_scale(in);
    for (int role = 0; role < TYPE_COUNT; role++) {
        l->type_px[role] = layout_type_px_at((enum layout_type)role, in->px_per_mm, l->text_scale);
    }
    /* The numbers 0-10 keep their size in large text: at 5.6 mm they are larger than the
     * body text already, and larger they need a third row of tiles in portrait and take
     * the room the question and its anchors need to grow. */
    l->type_px[TYPE_SCORE] = layout_type_px_at(TYPE_SCORE, in->px_per_mm, 1.0);
    l->title_px = l->type_px[TYPE_TITLE];
    l->body_px = l->type_px[TYPE_BODY];
    l->note_px = in->note_scale > 0 ? layout_type_px_at(TYPE_BODY, in->px_per_mm, in->note_scale)
                                    : l->body_px;

    int side = mm_px(ACCESS_TARGET_MM, in->px_per_mm);
    if (side < LAYOUT_MIN_TARGET_PX) {
        side = LAYOUT_MIN_TARGET_PX;
    }
    int gap = mm_px(ACCESS_GAP_MM, in->px_per_mm);
    int top = l->portrait ? 20 : 8;
    int end = l->width - (l->portrait ? 28 : 12);
    int controls = in->speech ? 2 : 1;
    SDL_Rect zone = {end - controls * side - (controls - 1) * gap, top,
                     controls * side + (controls - 1) * gap, side};
    if (in->speech) {
        layout_add(l, "speak", (SDL_Rect){zone.x, top, side, side}, WIDGET_ACCESS, 0);
    }
    layout_add(l, "large-text", (SDL_Rect){end - side, top, side, side}, WIDGET_ACCESS,
               in->large_text ? 1 : 0);

    /* The clock sits between "Ik ga weg" and the controls; titles and notes keep clear. */
    if (l->clock.w > 0) {
        const struct ui_widget *leave = layout_find(l, "leave");
        int from = leave ? leave->rect.x + leave->rect.w + gap : gap;
        int to = zone.x - gap;
        l->clock.w = to - from < 200 ? to - from : 200;
        l->clock.x = from + (to - from - l->clock.w) / 2;
        l->clock.y = top;
        l->clock.h = side;
    }
    SDL_Rect *blocks[] = {&l->title, &l->body, &l->note, &l->name_panel};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        keep_clear(l, blocks[i], zone, gap);
    }
}

/* True when r overlaps no widget (with gap pixels around each). */
static bool free_of_widgets(const struct layout *l, SDL_Rect r, int gap)
{
    for (int i = 0; i < l->count; i++) {
        SDL_Rect w = l->widgets[i].rect;
        SDL_Rect grown = {w.x - gap, w.y - gap, w.w + 2 * gap, w.h + 2 * gap};
        if (SDL_HasIntersection(&r, &grown)) {
            return false;
        }
    }
    return true;
}

void layout_access_staff_area(struct layout *l)
{
    l->staff_area = (SDL_Rect){0, 0, 0, 0};
    if (l->scene.w <= 0 || layout_find(l, "checkin") == NULL) {
        return; /* the welcome screen only (it has the check-in button and the scene) */
    }
    /* The left edge at half height (the staff's, not the visitor's: never mirrored), or
     * the nearest free spot above or below it. */
    int side = LAYOUT_MIN_TARGET_PX, gap = mm_px(ACCESS_GAP_MM, 0);
    int middle = (l->height - side) / 2;
    for (int step = 0; step * gap < l->height; step++) {
        for (int sign = 1; sign >= -1; sign -= 2) {
            int y = middle + sign * step * gap;
            SDL_Rect r = {0, y, side, side};
            if (y >= 0 && y + side <= l->height && free_of_widgets(l, r, gap)) {
                l->staff_area = r;
                return;
            }
        }
    }
}

/* --- reflow: text blocks grow to their words, targets give way ------------------------ */

static int bottom_of(SDL_Rect r)
{
    return r.y + r.h;
}

/* Moves every widget and text block that starts at or below from_y down by delta (the
 * scene, a background, stays). */
static bool reserved(const struct layout *l, int i)
{
    return (l->reserved >> i) & 1UL;
}

static void shift_below(struct layout *l, int from_y, int delta)
{
    for (int i = 0; i < l->count; i++) {
        if (l->widgets[i].rect.y >= from_y && !reserved(l, i)) {
            l->widgets[i].rect.y += delta;
        }
    }
    SDL_Rect *blocks[] = {&l->title,      &l->body,       &l->note,       &l->clock,
                          &l->name_panel, &l->anchor_low, &l->anchor_high};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        if (blocks[i]->w > 0 && blocks[i]->y >= from_y) {
            blocks[i]->y += delta;
        }
    }
}

/* The least space kept between stacked things: 2 mm (targets need it between them). */
#define REFLOW_GAP mm_px(2.0, l->px_per_mm)

/* The top of the highest widget or text block starting at or below from_y (INT32_MAX: none). */
static int next_top(const struct layout *l, int from_y)
{
    int top = INT32_MAX;
    for (int i = 0; i < l->count; i++) {
        int y = l->widgets[i].rect.y;
        top = y >= from_y && y < top && !reserved(l, i) ? y : top;
    }
    const SDL_Rect *blocks[] = {&l->title,      &l->body,       &l->note,       &l->clock,
                                &l->name_panel, &l->anchor_low, &l->anchor_high};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        int y = blocks[i]->y;
        top = blocks[i]->w > 0 && y >= from_y && y < top ? y : top;
    }
    return top;
}

/* A block grew from old_bottom to new_bottom: what lies below moves down only as far as it
 * must to keep REFLOW_GAP (white space is used first). */
static void push_clear(struct layout *l, int old_bottom, int new_bottom)
{
    int top = next_top(l, old_bottom);
    if (top == INT32_MAX) {
        return;
    }
    int delta = new_bottom + REFLOW_GAP - top;
    if (delta > 0) {
        shift_below(l, old_bottom, delta);
    }
}

/* The first y at or after cursor that nothing starting above it still covers (with
 * REFLOW_GAP below it): a tall title that began above the top band's bottom, a row. */
static int settle_cursor(const struct layout *l, int cursor)
{
    const SDL_Rect *blocks[] = {&l->title,      &l->body,        &l->note, &l->name_panel,
                                &l->anchor_low, &l->anchor_high, &l->clock};
    for (bool moved = true; moved;) {
        moved = false;
        for (int i = 0; i < l->count; i++) {
            SDL_Rect r = l->widgets[i].rect;
            if (r.y < cursor && bottom_of(r) + REFLOW_GAP > cursor) {
                cursor = bottom_of(r) + REFLOW_GAP;
                moved = true;
            }
        }
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
            if (blocks[i]->w > 0 && blocks[i]->y < cursor &&
                bottom_of(*blocks[i]) + REFLOW_GAP > cursor) {
                cursor = bottom_of(*blocks[i]) + REFLOW_GAP;
                moved = true;
            }
        }
    }
    return cursor;
}

/* Takes up to want px of white space out between the stacked rows below from_y, top down;
 * returns what it took. */
static int close_gaps(struct layout *l, int from_y, int want)
{
    int cursor = settle_cursor(l, from_y);
    int taken = 0;
    while (taken < want) {
        int top = next_top(l, cursor);
        if (top == INT32_MAX) {
            break;
        }
        /* The row starting at top: everything whose top is within it, and its bottom. */
        int row_bottom = top;
        for (int i = 0; i < l->count; i++) {
            SDL_Rect r = l->widgets[i].rect;
            if (r.y >= top && r.y <= row_bottom && !reserved(l, i)) {
                row_bottom = bottom_of(r) > row_bottom ? bottom_of(r) : row_bottom;
            }
        }
        const SDL_Rect *blocks[] = {&l->title,      &l->body,       &l->note,
                                    &l->name_panel, &l->anchor_low, &l->anchor_high};
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
            if (blocks[i]->w > 0 && blocks[i]->y >= top && blocks[i]->y <= row_bottom) {
                row_bottom =
                    bottom_of(*blocks[i]) > row_bottom ? bottom_of(*blocks[i]) : row_bottom;
            }
        }
        int spare = top - cursor;
        if (spare > 0) {
            int take = spare < want - taken ? spare : want - taken;
            shift_below(l, top, -take);
            taken += take;
            row_bottom -= take;
        }
        cursor = settle_cursor(l, row_bottom + 1);
    }
    return taken;
}

static void grow_block(struct layout *l, const struct layout_input *in, SDL_Rect *box,
                       enum layout_block block, int px)
{
    if (box->w <= 0) {
        return;
    }
    int need = measured(in, block, px, box->w);
    if (need > box->h) {
        int old_bottom = bottom_of(*box);
        box->h = need;
        push_clear(l, old_bottom, bottom_of(*box));
    }
}

static bool flexible(const struct ui_widget *w)
{
    return w->style == WIDGET_TILE || w->style == WIDGET_SCORE || w->style == WIDGET_PRIMARY ||
           w->style == WIDGET_SECONDARY || w->style == WIDGET_NATURE || w->style == WIDGET_KEY;
}

/* The least height a flexible target keeps: one line of its label (tiles and buttons) and
 * LAYOUT_MIN_TARGET_PX. */
int layout_line_px(const struct layout *l, int px)
{
    return (px * (l->rtl ? 162 : 137) + 99) / 100; /* Noto Sans 1.36 em, Noto Sans Arabic more */
}

static int least_height(const struct layout *l, const struct layout_input *in,
                        const struct ui_widget *w)
{
    if (w->style == WIDGET_NATURE) { /* a pictogram alone: as small as a 0-10 tile may be */
        return LAYOUT_MIN_SCORE_PX;
    }
    int px = w->style == WIDGET_SCORE ? l->type_px[TYPE_SCORE] : l->type_px[TYPE_BUTTON];
    int lines = w->style == WIDGET_TILE ? 2 : 1;        /* a service name may take two lines */
    if (w->style == WIDGET_TILE && in->measure_label) { /* one, when it fits beside its picture */
        int label = in->measure_label(in->measure_ctx, w, px);
        lines = label > 0 && label <= w->rect.w - w->rect.w / 6 - 36 ? 1 : 2;
    }
    if (w->style == WIDGET_SCORE) { /* digits: no descenders, so 1.1 em and the band */
        int score = px * 110 / 100 + 24;
        return score > LAYOUT_MIN_TARGET_PX ? score : LAYOUT_MIN_TARGET_PX;
    }
    int line = lines * layout_line_px(l, px) + 16;
    return line > LAYOUT_MIN_TARGET_PX ? line : LAYOUT_MIN_TARGET_PX;
}

/* Labelled buttons grow to their label on one line (render_button's padding and icon),
 * from the side they are anchored to; language buttons all to the widest, in place. */
static void widen_to_labels(struct layout *l, const struct layout_input *in)
{
    int m = l->portrait ? 28 : 12;
    int line_h = layout_line_px(l, l->type_px[TYPE_BUTTON]) + 10;
    /* Language buttons: rows re-placed from the bottom at the height their names need (at
     * the normal size, which large text keeps for them: each name is read by the people of
     * its language, and six at the large size leave no room for the question; some are
     * Arabic, so Arabic line height). */
    int lang_px = layout_type_px(TYPE_BUTTON, l->px_per_mm, false);
    int lang_line = (lang_px * 162 + 99) / 100 + 6;
    int lang_h = 0, lang_bottom = 0, lang_gap = (int)(2.4 * l->px_per_mm + 0.5);
    for (int i = 0; i < l->count; i++) {
        const struct ui_widget *w = &l->widgets[i];
        if (w->style == WIDGET_LANGUAGE) {
            lang_h = w->rect.h;
            lang_bottom = w->rect.y + w->rect.h > lang_bottom ? w->rect.y + w->rect.h : lang_bottom;
        }
    }
    if (lang_h > 0 && lang_line > lang_h) {
        for (int i = 0; i < l->count; i++) {
            struct ui_widget *w = &l->widgets[i];
            if (w->style == WIDGET_LANGUAGE) {
                int rows_below = (lang_bottom - w->rect.y - w->rect.h) / (lang_h + lang_gap);
                w->rect.h = lang_line;
                w->rect.y = lang_bottom - lang_line - rows_below * (lang_line + lang_gap);
            }
        }
    }
    /* Back is no wider than its label needs: the ways out right after it move along, and
     * skip at the other end has that room to keep its label on one line. */
    for (int i = 0; i < l->count; i++) {
        struct ui_widget *back = &l->widgets[i];
        if (strcmp(back->id, "back") != 0) {
            continue;
        }
        int label = in->measure_label(in->measure_ctx, back, l->type_px[TYPE_BUTTON]);
        int h = back->rect.h > line_h ? back->rect.h : line_h; /* as tall as it will be */
        int pad = LAYOUT_BUTTON_PAD(h), side = h - 2 * pad;
        side = side > 72 ? 72 : side;
        int need = label + side + 3 * pad + 8;
        need = need > LAYOUT_MIN_TARGET_PX ? need : LAYOUT_MIN_TARGET_PX;
        if (label <= 0 || need == back->rect.w) {
            break;
        }
        /* Wider only as far as the ways out can move along (skip at the far end keeps the
         * room it needs for a label on two lines). */
        int freed = back->rect.w - need;
        if (freed < 0) {
            int room = 0;
            for (int j = 0; j < l->count; j++) {
                const struct ui_widget *o = &l->widgets[j];
                if (strcmp(o->id, "skip") == 0 && o->rect.y == back->rect.y) {
                    room = o->rect.x - l->width / 2; /* skip's half of the row stays its own */
                }
            }
            if (room <= 0 || -freed > room) {
                break;
            }
        }
        back->rect.w = need;
        for (int j = 0; j < l->count; j++) {
            struct ui_widget *o = &l->widgets[j];
            bool way_out = strcmp(o->id, "restart") == 0 || strcmp(o->id, "language") == 0 ||
                           strcmp(o->id, "help") == 0;
            bool top_row = back->rect.y < l->height / 2; /* landscape large text (layout.c) */
            if (way_out && o->rect.y == back->rect.y && o->rect.x > back->rect.x &&
                (o->rect.x < l->width / 2 || top_row)) {
                o->rect.x -= freed;
            }
        }
        break;
    }
    for (int i = 0; i < l->count; i++) {
        struct ui_widget *w = &l->widgets[i];
        if (w->style != WIDGET_QUIET && w->style != WIDGET_PRIMARY &&
            w->style != WIDGET_SECONDARY) {
            continue;
        }
        if (w->rect.h < line_h) { /* taller, away from the screen edge it sits on */
            if (w->rect.y + w->rect.h >= l->height - (l->portrait ? 28 : 16) - 2) {
                w->rect.y -= line_h - w->rect.h;
            }
            w->rect.h = line_h;
        }
        int label = in->measure_label(in->measure_ctx, w, l->type_px[TYPE_BUTTON]);
        if (label <= 0) {
            continue;
        }
        int pad = LAYOUT_BUTTON_PAD(w->rect.h), side = w->rect.h - 2 * pad;
        side = side > 72 ? 72 : side;
        int need = label + side + 3 * pad + 8;
        if (need <= w->rect.w) {
            continue;
        }
        /* Room to grow: up to the screen's margins and the neighbours in the same row. */
        int left = m, right = l->width - m, gap = (int)(2.4 * l->px_per_mm + 0.5);
        for (int j = 0; j < l->count; j++) {
            SDL_Rect o = l->widgets[j].rect;
            if (j == i || o.y >= w->rect.y + w->rect.h || o.y + o.h <= w->rect.y) {
                continue;
            }
            if (o.x + o.w <= w->rect.x && o.x + o.w + gap > left) {
                left = o.x + o.w + gap;
            }
            if (o.x >= w->rect.x + w->rect.w && o.x - gap < right) {
                right = o.x - gap;
            }
        }
        int grow = need - w->rect.w, centre = w->rect.x + w->rect.w / 2;
        if (abs(centre - l->width / 2) < 8) {
            w->rect.x -= grow / 2;
        } else if (centre > l->width / 2) {
            w->rect.x -= grow;
        }
        w->rect.w = need;
        w->rect.x = w->rect.x < left ? left : w->rect.x;
        if (w->rect.x + w->rect.w > right) {
            w->rect.w = right - w->rect.x;
            int two = 2 * layout_line_px(l, l->type_px[TYPE_BUTTON]) + 10; /* it wraps */
            if (w->rect.y + w->rect.h >= l->height - (l->portrait ? 28 : 16) - 2) {
                w->rect.y -= two - w->rect.h > 0 ? two - w->rect.h : 0;
            }
            w->rect.h = w->rect.h > two ? w->rect.h : two;
        }
    }
}

/* A title narrowed on both sides beside the speak and large-text controls (keep_clear, to
 * stay centred) that would end lower than the same title beside them on one side only, or
 * across the whole width below them, takes the place where it ends highest. */
static void place_title(struct layout *l, const struct layout_input *in)
{
    int m = l->portrait ? 28 : 16, zone_x = l->width, zone_bottom = 0;
    for (int i = 0; i < l->count; i++) {
        if (l->widgets[i].style == WIDGET_ACCESS) {
            zone_x = l->widgets[i].rect.x < zone_x ? l->widgets[i].rect.x : zone_x;
            zone_bottom = bottom_of(l->widgets[i].rect);
        }
    }
    if (l->title.w <= 0 || zone_bottom == 0 || l->title.x <= m || l->title.y >= zone_bottom) {
        return;
    }
    int px = l->type_px[TYPE_TITLE], gap = mm_px(ACCESS_GAP_MM, in->px_per_mm);
    SDL_Rect best = l->title;
    best.h = measured(in, BLOCK_TITLE, px, l->title.w);
    SDL_Rect side = {m, l->title.y, zone_x - gap - m, 0};
    side.h = measured(in, BLOCK_TITLE, px, side.w);
    SDL_Rect below = {m, zone_bottom + gap, l->width - 2 * m, 0};
    below.h = measured(in, BLOCK_TITLE, px, below.w);
    if (bottom_of(side) < bottom_of(best)) {
        best = side;
    }
    if (bottom_of(below) < bottom_of(best)) {
        best = below;
    }
    if (best.x != l->title.x || best.w != l->title.w) {
        int old_bottom = bottom_of(l->title);
        best.h = best.h > l->title.h ? best.h : l->title.h;
        l->title = best;
        push_clear(l, old_bottom, bottom_of(l->title));
    }
}

/*
 * Marks the bottom controls as reserved (back, skip, the ways out, the language rows: the
 * controls on the bottom edge and the rows of buttons stacked just above them) and returns
 * how far the rest may reach: their top less REFLOW_GAP, or the screen's bottom margin.
 */
static int reserve_bottom(struct layout *l)
{
    int edge = l->height - (l->portrait ? 28 : 16) - 4;
    int band = INT32_MAX;
    l->reserved = 0;
    for (int i = 0; i < l->count; i++) {
        if (bottom_of(l->widgets[i].rect) >= edge && l->widgets[i].style != WIDGET_TILE &&
            l->widgets[i].style != WIDGET_SCORE) {
            l->reserved |= 1UL << i;
            band = l->widgets[i].rect.y < band ? l->widgets[i].rect.y : band;
        }
    }
    for (bool grew = band != INT32_MAX; grew;) {
        grew = false;
        for (int i = 0; i < l->count; i++) {
            const struct ui_widget *w = &l->widgets[i];
            bool button_row = w->style == WIDGET_QUIET || w->style == WIDGET_LANGUAGE;
            if (!reserved(l, i) && button_row && bottom_of(w->rect) >= band - 24) {
                l->reserved |= 1UL << i;
                band = w->rect.y < band ? w->rect.y : band;
                grew = true;
            }
        }
    }
    /* >= 2 mm between a target and the bottom controls */
    return band == INT32_MAX ? l->height - (l->portrait ? 28 : 8) : band - REFLOW_GAP;
}

static void grow_blocks(struct layout *l, const struct layout_input *in)
{
    place_title(l, in);
    grow_block(l, in, &l->title, BLOCK_TITLE, l->type_px[TYPE_TITLE]);
    grow_block(l, in, &l->body, BLOCK_BODY, l->type_px[TYPE_BODY]);
    if (l->anchor_low.w > 0) { /* the two anchors share a row: the taller decides */
        int low = measured(in, BLOCK_ANCHOR_LOW, l->body_px, l->anchor_low.w);
        int high = measured(in, BLOCK_ANCHOR_HIGH, l->body_px, l->anchor_high.w);
        int need = low > high ? low : high;
        if (l->anchor_low.y == l->anchor_high.y && need > l->anchor_low.h) {
            int old_bottom = bottom_of(l->anchor_low);
            l->anchor_low.h = l->anchor_high.h = need;
            push_clear(l, old_bottom, bottom_of(l->anchor_low));
        } else {
            grow_block(l, in, &l->anchor_low, BLOCK_ANCHOR_LOW, l->body_px);
            grow_block(l, in, &l->anchor_high, BLOCK_ANCHOR_HIGH, l->body_px);
        }
    }
    grow_block(l, in, &l->note, BLOCK_NOTE, l->note_px);
    if (l->name_panel.w > 0) { /* the panel's intro line may wrap: the panel grows */
        int line = layout_line_px(l, l->body_px);
        int need = measured(in, BLOCK_NAME_INTRO, l->body_px, l->name_panel.w - 24);
        l->name_intro_h = need; /* 0: no intro in the panel (it is the title) */
        if (need > line) {
            int old_bottom = bottom_of(l->name_panel);
            l->name_panel.h += need - line;
            push_clear(l, old_bottom, bottom_of(l->name_panel));
        }
        /* The row for the name's word in the visitor's language: not needed when there is
         * no such word (a Dutch visitor) or when it fits beside the name. */
        int name_px = l->type_px[TYPE_NAME], name_line = (name_px * 137 + 99) / 100;
        int own = measured(in, BLOCK_NAME_OWN, name_px, l->name_panel.w - name_line - 36);
        if (own <= name_line) {
            int old_bottom = bottom_of(l->name_panel);
            l->own_beside = own > 0;
            l->name_panel.h -= line;
            shift_below(l, old_bottom, -line);
        }
    }
}

void layout_reflow(struct layout *l, const struct layout_input *in)
{
    l->reserved = 0;
    if (in->measure_label) {
        widen_to_labels(l, in);
    }
    int limit = reserve_bottom(l);
    if (in->measure) {
        grow_blocks(l, in);
    }

    /* Overflow: take height from rows of flexible targets, top row first, until everything
     * ends above the bottom controls (reserved: they never move). */
    int lowest = 0;
    for (int i = 0; i < l->count; i++) {
        if (!reserved(l, i) && bottom_of(l->widgets[i].rect) > lowest) {
            lowest = bottom_of(l->widgets[i].rect);
        }
    }
    SDL_Rect *blocks[] = {&l->title, &l->body, &l->note, &l->anchor_low, &l->anchor_high};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        if (blocks[i]->w > 0 && bottom_of(*blocks[i]) > lowest) {
            lowest = bottom_of(*blocks[i]);
        }
    }
    int overflow = lowest - limit;
    if (overflow > 0) { /* first the white space below the top band */
        int band = 0;
        for (int i = 0; i < l->count; i++) {
            if (l->widgets[i].style == WIDGET_ACCESS) {
                band = bottom_of(l->widgets[i].rect) + REFLOW_GAP;
            }
        }
        overflow -= close_gaps(l, band, overflow);
    }
    /* In large text the note under the 0-10 scale ("Wij bewaren uw antwoord zonder naam.")
     * gives way first, before the question, its anchors or the numbers would have to stay
     * small: the speak control still reads it. */
    if (overflow > 0 && in->large_text && l->note.w > 0 &&
        journey_screen_form(in->screen) == JOURNEY_FORM_SCALE) {
        int freed = l->note.h + REFLOW_GAP, below = bottom_of(l->note);
        l->note = (SDL_Rect){0, 0, 0, 0};
        shift_below(l, below, -freed);
        overflow -= freed;
    }
    for (int pass = 0; pass < LAYOUT_MAX_WIDGETS && overflow > 0; pass++) {
        /* The highest row whose every flexible target is above its minimum (a row gives
         * only what its fullest target can). */
        int row_y = -1, spare = 0, above = -1;
        for (;;) {
            int next = -1;
            for (int i = 0; i < l->count; i++) {
                const struct ui_widget *w = &l->widgets[i];
                if (flexible(w) && !reserved(l, i) && w->rect.y > above &&
                    (next < 0 || w->rect.y < next)) {
                    next = w->rect.y;
                }
            }
            if (next < 0) {
                break;
            }
            spare = INT32_MAX;
            for (int i = 0; i < l->count; i++) {
                const struct ui_widget *w = &l->widgets[i];
                int give = w->rect.h - least_height(l, in, w);
                if (w->rect.y == next && flexible(w) && give < spare) {
                    spare = give;
                }
            }
            if (spare > 0) {
                row_y = next;
                break;
            }
            above = next;
        }
        if (row_y < 0) {
            break; /* nothing left to give: the renderer reports what is clipped */
        }
        int take = spare < overflow ? spare : overflow;
        if (take <= 0) {
            break;
        }
        int row_bottom = row_y + 1;
        for (int i = 0; i < l->count; i++) {
            if (l->widgets[i].rect.y == row_y && flexible(&l->widgets[i])) {
                l->widgets[i].rect.h -= take;
                row_bottom = bottom_of(l->widgets[i].rect) + take;
            }
        }
        shift_below(l, row_bottom, -take);
        overflow -= take;
    }
    /* The welcome hint repeats what the check-in button says: when the screen is still too
     * full, it goes (the speak control still reads it), and all below it moves up. */
    if (overflow > 0 && in->screen == SCREEN_WELCOME && l->body.w > 0) {
        int freed = l->body.h + REFLOW_GAP, below = bottom_of(l->body);
        l->body = (SDL_Rect){0, 0, 0, 0};
        shift_below(l, below, -freed);
        overflow -= freed;
    }
    /* What still overflows is cut above the bottom controls, where the renderer sees it
     * clipped (and layout_build tries a smaller large-text scale): text gives way, never a
     * control. */
    SDL_Rect *texts[] = {&l->title,      &l->body,        &l->note,
                         &l->anchor_low, &l->anchor_high, &l->name_panel};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i]->w > 0 && bottom_of(*texts[i]) > limit) {
            texts[i]->h = limit - texts[i]->y > 0 ? limit - texts[i]->y : 0;
        }
    }
    for (int i = 0; i < l->count; i++) { /* a flowing control pushed too far: back on screen */
        SDL_Rect *r = &l->widgets[i].rect;
        if (!reserved(l, i) && bottom_of(*r) > limit && r->h < limit) {
            r->y = limit - r->h;
        }
    }
}

/* --- fit: what layout_build asks before it settles on a large-text scale --------------- */

static bool on_screen(const struct layout *l, SDL_Rect r)
{
    return r.x >= 0 && r.y >= 0 && r.x + r.w <= l->width && r.y + r.h <= l->height;
}

bool layout_fits(const struct layout *l, const struct layout_input *in)
{
    int gap = mm_px(2.0, l->px_per_mm); /* targets: >= 2 mm apart */
    for (int i = 0; i < l->count; i++) {
        SDL_Rect a = l->widgets[i].rect;
        if (!on_screen(l, a) || a.h < LAYOUT_MIN_TARGET_PX) {
            return false;
        }
        if (l->widgets[i].style == WIDGET_SCORE && l->widgets[i].value == 10 &&
            l->type_px[TYPE_SCORE] * 115 / 100 + 12 > a.w) {
            return false; /* "10" must show whole (its two digits in bold) */
        }
        for (int j = i + 1; j < l->count; j++) {
            SDL_Rect b = l->widgets[j].rect;
            SDL_Rect grown = {b.x - gap, b.y - gap, b.w + 2 * gap, b.h + 2 * gap};
            bool touching_scores =
                l->widgets[i].style == WIDGET_SCORE && l->widgets[j].style == WIDGET_SCORE;
            if (SDL_HasIntersection(&a, touching_scores ? &b : &grown)) {
                return false;
            }
        }
        if (in->measure_label_height && l->widgets[i].style != WIDGET_ACCESS &&
            l->widgets[i].style != WIDGET_SCORE) {
            if (!in->measure_label_height(in->measure_ctx, &l->widgets[i], l)) {
                return false;
            }
        }
    }
    if (!in->measure) {
        return true;
    }
    struct {
        const SDL_Rect *box;
        enum layout_block block;
        int px;
    } texts[] = {
        {&l->title, BLOCK_TITLE, l->type_px[TYPE_TITLE]},
        {&l->body, BLOCK_BODY, l->body_px},
        {&l->note, BLOCK_NOTE, l->note_px},
        {&l->anchor_low, BLOCK_ANCHOR_LOW, l->body_px},
        {&l->anchor_high, BLOCK_ANCHOR_HIGH, l->body_px},
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        SDL_Rect box = *texts[t].box;
        if (box.w <= 0) {
            continue;
        }
        int need = in->measure(in->measure_ctx, texts[t].block, texts[t].px, box.w);
        if (need == 0) {
            continue;
        }
        if (need < 0 || need > box.h || !on_screen(l, box)) { /* < 0: a word broken inside */
            return false;
        }
        for (int i = 0; i < l->count; i++) {
            if (SDL_HasIntersection(&box, &l->widgets[i].rect)) {
                return false;
            }
        }
    }
    if (l->name_panel.w > 0) {
        int name_line = layout_line_px(l, l->type_px[TYPE_NAME]);
        int name_w = l->name_panel.w - 24; /* a long name: the whole width (render.c) */
        if (!on_screen(l, l->name_panel) ||
            measured(in, BLOCK_NAME, l->type_px[TYPE_NAME], name_w) > name_line + 8) {
            return false;
        }
        for (int i = 0; i < l->count; i++) {
            if (SDL_HasIntersection(&l->name_panel, &l->widgets[i].rect)) {
                return false;
            }
        }
    }
    return true;
}
