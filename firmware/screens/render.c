/* SPDX-License-Identifier: EUPL-1.2 */
/* render: see render.h. Flow: app -> layout -> render -> ui_text / ui_draw -> SDL. */
#include "screens/render.h"
#include "screens/render_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/hours.h"
#include "core/log.h"
#include "i18n/nature_words.h"
#include "kiosk/names.h"
#include "ui/palette.h"

struct ui_text_style render_style(int px, bool bold, SDL_Color colour, enum ui_align align,
                                  bool rtl)
{
    return (struct ui_text_style){.size_px = px,
                                  .bold = bold,
                                  .color = colour,
                                  .align = align,
                                  .valign = UI_VALIGN_MIDDLE,
                                  .rtl = rtl,
                                  .line_spacing_pct = 0};
}

void render_bind_last_word(const char *text, char *out, size_t size)
{
    snprintf(out, size, "%s", text ? text : "");
    char *space = strrchr(out, ' ');
    size_t length = strlen(out);
    if (space == NULL || space == out || length + 2 > size) {
        return; /* one word, or no room: the title as it is */
    }
    /* Bind only two short words: a unit wider than a line would break inside a word. */
    const char *previous = space;
    while (previous > out && previous[-1] != ' ') {
        previous--;
    }
    if (strstr(previous, "\xC2\xA0") != NULL || (size_t)(out + length - previous) > 20) {
        return; /* already bound (Polish "z pracownikiem"), or too long to keep together */
    }
    /* U+00A0 is two bytes where the space was one: move the last word one byte on. */
    memmove(space + 2, space + 1, (size_t)(out + length - space));
    space[0] = (char)0xC2;
    space[1] = (char)0xA0;
}

static bool words_fit(struct screen_painter *p, const char *text, const struct ui_text_style *s,
                      int width);

/* Draws text fitted into box: shrinks long translations instead of cutting them. */
void render_text_fit(struct screen_painter *p, const char *text, struct ui_text_style s,
                     SDL_Rect box, int min_px)
{
    if (box.w <= 0 || !text || !*text) {
        return;
    }
    s.size_px = ui_text_fit(p->text, text, &s, box, min_px);
    int width = 0;
    int height = ui_text_measure(p->text, text, &s, box.w, &width);
    if (height > box.h || width > box.w || !words_fit(p, text, &s, box.w)) {
        p->clipped++; /* a layout bug (a word broken inside is one too): counted for the
                       * tests, and said once per text */
        if (p->clipped_logged < 8) {
            log_msg(LOG_WARN, "render: \"%.60s\" does not fit %dx%d at %d px", text, box.w, box.h,
                    s.size_px);
            p->clipped_logged++;
        }
    }
    ui_text_draw(p->text, text, &s, box);
}

/* True when no word of text is wider than width at style (a word that is would be broken
 * inside, which a reader takes for two words). */
static bool words_fit(struct screen_painter *p, const char *text, const struct ui_text_style *s,
                      int width)
{
    char word[256];
    for (const char *at = text; *at;) {
        while (*at == ' ' || *at == '\n') {
            at++;
        }
        size_t n = 0;
        while (at[n] && at[n] != ' ' && at[n] != '\n') {
            n++;
        }
        if (n == 0) {
            break;
        }
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), at);
        int widest = 0;
        ui_text_measure(p->text, word, s, 0, &widest);
        if (widest > width) {
            return false;
        }
        at += n;
    }
    return true;
}

/* The screen's title as drawn: its last two words bound (render_bind_last_word) only when
 * the bound pair fits the width at px, else as it is. */
static void title_text(struct screen_painter *p, const struct screen_view *v, int px, int width,
                       char *out, size_t size)
{
    const char *plain = lang_text(v->lang, render_title_key(v));
    render_bind_last_word(plain, out, size);
    struct ui_text_style s =
        render_style(px, true, PALETTE_INK, UI_ALIGN_CENTER, lang_is_rtl(v->lang));
    if (strcmp(out, plain) != 0 && !words_fit(p, out, &s, width)) {
        snprintf(out, size, "%s", plain);
    }
}

/* The label and pictogram a widget shows. */
static void widget_content(const struct screen_view *v, const struct ui_widget *w,
                           const char **label, const char **picto)
{
    *label = "";
    *picto = NULL;
    const struct lang *l = v->lang;
    if (render_staff_label(w->id, label, picto)) {
        return;
    }
    if (strcmp(w->id, "checkin") == 0) {
        *label = lang_text(l, K_WELCOME_CHECKIN);
        *picto = "checkin";
    } else if (strcmp(w->id, "leave") == 0) {
        *label = lang_text(l, K_WELCOME_LEAVE);
        *picto = "wave-hand";                /* its own sign, not the check-in door mirrored */
    } else if (strcmp(w->id, "skip") == 0) { /* skipping the name is no question skipped */
        enum journey_screen screen = journey_current(v->journey);
        bool name = screen == SCREEN_LEAVE_NAME || screen == SCREEN_LEAVE_NUMBER;
        *label = lang_text(l, name ? K_LEAVE_SKIP : K_STRESS_SKIP);
        *picto = "skip";
    } else if (strcmp(w->id, "back") == 0) {
        *label = lang_text(l, K_COMMON_BACK);
        *picto = "back";
    } else if (strcmp(w->id, "delete") == 0) {
        *label = lang_text(l, K_LEAVE_DELETE);
    } else if (strncmp(w->id, "digit:", 6) == 0) {
        *label = w->id + 6;
    } else if (w->style == WIDGET_NATURE) { /* drawn as its pictogram; speech reads the word */
        char key[48];
        snprintf(key, sizeof key, "nature.%s", w->id + 7);
        const char *word = lang_lookup(l, key);
        *label = word ? word : w->id + 7;
        *picto = screen_nature_pictogram(w->id + 7);
    } else if (strcmp(w->id, "word:yes") == 0) {
        *label = lang_text(l, K_WORD_YES);
        *picto = "chat";
    } else if (strcmp(w->id, "word:no") == 0) {
        *label = lang_text(l, K_WORD_NO);
        *picto = "no";
    } else if (strcmp(w->id, "ok") == 0) {
        bool help = journey_current(v->journey) == SCREEN_HELP;
        *label = lang_text(l, help ? K_HELP_BACK : K_DONE_OK);
        *picto = "yes";
    } else if (strcmp(w->id, "restart") == 0) {
        *label = lang_text(l, K_COMMON_RESTART);
        *picto = "restart";
    } else if (strcmp(w->id, "language") == 0) {
        *label = lang_text(l, K_COMMON_LANGUAGE);
        *picto = "language";
    } else if (strcmp(w->id, "help") == 0) {
        *label = lang_text(l, K_COMMON_HELP);
        *picto = "help";
    } else if (strcmp(w->id, "yes") == 0) {
        *label = lang_text(l, K_STILL_YES);
        *picto = "yes";
    } else if (w->style == WIDGET_TILE && w->value < v->kiosk->service_count) {
        const struct service *service = &v->kiosk->services[w->value];
        char key[48];
        snprintf(key, sizeof key, "service.%s", service->id);
        const char *translated = lang_lookup(l, key);
        *label = translated ? translated : service->label;
        *picto = service->icon;
    } else if (w->style == WIDGET_LANGUAGE) {
        const struct lang *button_lang = lang_get(v->langs, w->id + 5);
        *label = button_lang ? lang_text(button_lang, K_LANG_NAME) : w->id + 5;
    }
}

/* restart, language and help: the ways out of a question screen (layout.c add_way_out). */
static bool is_way_out(const struct ui_widget *w)
{
    return strcmp(w->id, "restart") == 0 || strcmp(w->id, "language") == 0 ||
           strcmp(w->id, "help") == 0;
}

/* A button: rounded body, pictogram at the start side, label beside it. */
void render_button(struct screen_painter *p, const struct screen_view *v, const struct ui_widget *w,
                   SDL_Color fill, SDL_Color ink, SDL_Color border, int border_px, int text_px)
{
    bool language = w->style == WIDGET_LANGUAGE;
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    ui_draw_round_rect(p->draw, r, r.h / 4 < 24 ? r.h / 4 : 24,
                       pressed ? palette_pressed(fill) : fill, border, border_px);
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    bool rtl = v->layout->rtl;
    /* Right-to-left text in a language button needs its own direction. */
    if (w->style == WIDGET_LANGUAGE) {
        const struct lang *button_lang = lang_get(v->langs, w->id + 5);
        rtl = button_lang && lang_is_rtl(button_lang);
    }
    int pad = language ? 6 : LAYOUT_BUTTON_PAD(r.h); /* language names need the whole width */
    SDL_Rect text_box = {r.x + pad, r.y + 4, r.w - 2 * pad, r.h - 8};
    if (picto && *picto) {
        int side = r.h - 2 * pad;
        if (side > 72) {
            side = 72;
        }
        SDL_Rect icon = {r.x + pad, r.y + (r.h - side) / 2, side, side};
        if (v->layout->rtl) {
            icon.x = r.x + r.w - pad - side;
        }
        text_box.w -= side + pad;
        if (!v->layout->rtl) {
            text_box.x += side + pad;
        }
        if (is_way_out(w)) { /* the label only where it fits at its size, else the pictogram */
            struct ui_text_style fit =
                render_style(text_px, true, ink, UI_ALIGN_CENTER, v->layout->rtl);
            int widest = 0;
            int high = ui_text_measure(p->text, label, &fit, text_box.w, &widest);
            if (text_box.w < 56 || widest > text_box.w || high > text_box.h) {
                icon.x = r.x + (r.w - side) / 2;
                label = "";
            }
        }
        /* Arrows follow the reading direction; people and objects stay as drawn. */
        bool arrow = strcmp(picto, "back") == 0 || strcmp(picto, "skip") == 0 ||
                     strcmp(picto, "restart") == 0;
        ui_draw_pictogram_mirrored(p->draw, picto, icon, ink, arrow && v->layout->rtl);
    }
    render_text_fit(p, label, render_style(text_px, !language, ink, UI_ALIGN_CENTER, rtl), text_box,
                    w->style == WIDGET_KEY ? 18 : text_px); /* one size per role */
}

/* Where a service tile's pictogram and label go: the pictogram above its label when the
 * tile is tall enough; else beside it at the start side; when the label needs more room, a
 * smaller pictogram and tighter padding. Returns true when the label fits its box. */
static bool tile_place(struct screen_painter *p, const char *label,
                       const struct ui_text_style *style, SDL_Rect r, bool rtl, SDL_Rect *icon,
                       SDL_Rect *text_box)
{
    int line = (style->size_px * 137 + 99) / 100;
    int side = r.h * 45 / 100;
    *icon = (SDL_Rect){r.x + (r.w - side) / 2, r.y + r.h / 10, side, side};
    *text_box =
        (SDL_Rect){r.x + 10, r.y + r.h / 10 + side + 4, r.w - 20, r.h - side - r.h / 10 - 10};
    int width = 0;
    if (ui_text_measure(p->text, label, style, text_box->w, &width) <= text_box->h &&
        width <= text_box->w) {
        return true;
    }
    for (int tight = 0; tight < 2; tight++) {
        int pad = tight ? 8 : 12;
        side = r.h - 24 < 2 * line ? r.h - 24 : 2 * line;
        side = side > r.w / 6 ? r.w / 6 : side;
        side = tight && side > line ? line : side;
        *icon = (SDL_Rect){r.x + pad, r.y + (r.h - side) / 2, side, side};
        *text_box = (SDL_Rect){r.x + side + 2 * pad, r.y + 6, r.w - side - 3 * pad, r.h - 12};
        if (rtl) {
            icon->x = r.x + r.w - pad - side;
            text_box->x = r.x + pad;
        }
        width = 0;
        if (ui_text_measure(p->text, label, style, text_box->w, &width) <= text_box->h &&
            width <= text_box->w) {
            return true;
        }
    }
    return false;
}

/* A service tile: pictogram and label (tile_place). */
static void draw_tile(struct screen_painter *p, const struct screen_view *v,
                      const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    /* The sand tile is too close to the paper to see its edge: a muted border (>= 3:1). */
    ui_draw_round_rect(p->draw, r, 22, pressed ? palette_pressed(PALETTE_PANEL) : PALETTE_PANEL,
                       PALETTE_MUTED, 2);
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    int label_px = v->layout->type_px[TYPE_BUTTON];
    struct ui_text_style style =
        render_style(label_px, true, PALETTE_INK, UI_ALIGN_CENTER, v->layout->rtl);
    SDL_Rect icon, text_box;
    tile_place(p, label, &style, r, v->layout->rtl, &icon, &text_box);
    ui_draw_pictogram(p->draw, picto, icon, PALETTE_PRIMARY);
    render_text_fit(p, label, style, text_box, label_px);
}

/* A friendly-name word on leave-name: its pictogram alone on a sand tile (all 25 look
 * alike but for the picture, so no label can tell a name apart by its length). */
static void draw_nature(struct screen_painter *p, const struct screen_view *v,
                        const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    ui_draw_round_rect(p->draw, r, 14, pressed ? palette_pressed(PALETTE_PANEL) : PALETTE_PANEL,
                       PALETTE_MUTED, 2);
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    int side = (r.w < r.h ? r.w : r.h) * 70 / 100;
    SDL_Rect icon = {r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
    ui_draw_pictogram(p->draw, picto, icon, PALETTE_PRIMARY);
}

/* The name a leaving visitor typed so far: "<word> <digits>" (the word in the visitor's
 * language, as the checked-in screen showed it beside the name). */
void render_leave_name_text(const struct screen_view *v, char *out, size_t size)
{
    const struct journey *j = v->journey;
    const char *word = j->leave_word >= 0 ? NATURE_WORDS[j->leave_word] : "";
    char key[48];
    snprintf(key, sizeof key, "nature.%s", word);
    const char *shown = *word ? lang_lookup(v->lang, key) : NULL;
    snprintf(out, size, "%s %s", shown ? shown : word, j->leave_digits);
}

/* leave-number: the chosen word's pictogram and the name so far, in the body box. */
static void draw_leave_name(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    SDL_Rect box = l->body;
    if (box.w <= 0 || v->journey->leave_word < 0) {
        return;
    }
    ui_draw_round_rect(p->draw, box, 14, PALETTE_PANEL, PALETTE_PANEL, 0);
    int side = box.h - 16;
    SDL_Rect icon = {l->rtl ? box.x + box.w - 8 - side : box.x + 8, box.y + 8, side, side};
    ui_draw_pictogram(p->draw, screen_nature_pictogram(NATURE_WORDS[v->journey->leave_word]), icon,
                      PALETTE_PRIMARY);
    char name[96];
    render_leave_name_text(v, name, sizeof name);
    SDL_Rect text_box = {l->rtl ? box.x + 8 : box.x + side + 16, box.y, box.w - side - 24, box.h};
    render_text_fit(p, name,
                    render_style(l->type_px[TYPE_NAME], true, PALETTE_INK, UI_ALIGN_START, l->rtl),
                    text_box, l->type_px[TYPE_BODY]);
}

/* A 0-10 tile: light fill, the hue in a band, the number in dark ink. */
static void draw_score(struct screen_painter *p, const struct screen_view *v,
                       const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    SDL_Rect face = {r.x + 2, r.y, r.w - 4, r.h}; /* visible gap between touching targets */
    SDL_Color fill = palette_stress_tile(w->value);
    ui_draw_round_rect(p->draw, face, 12, pressed ? palette_pressed(fill) : fill, PALETTE_MUTED,
                       2); /* light tiles: a muted border carries the edge (>= 3:1) */
    SDL_Rect band = {face.x + 8, face.y + face.h - 16, face.w - 16, 8};
    ui_draw_round_rect(p->draw, band, 4, palette_stress_band(w->value),
                       palette_stress_band(w->value), 0);
    char number[4];
    snprintf(number, sizeof number, "%d", w->value);
    /* The digits have no descenders: a tile shorter than their line (the reflow may give
     * up to 1.1 em and the band, layout_access.c) still shows them, centred above the band. */
    int px = v->layout->type_px[TYPE_SCORE], line = (px * 137 + 99) / 100;
    int above_band = face.h - 20, box_h = above_band > line ? above_band : line;
    SDL_Rect box = {face.x, face.y + (above_band - box_h) / 2, face.w, box_h};
    struct ui_text_style s = render_style(px, true, PALETTE_INK, UI_ALIGN_CENTER, false);
    ui_text_draw(p->text, number, &s, box);
}

void render_widget(struct screen_painter *p, const struct screen_view *v, const struct ui_widget *w)
{
    int big = v->layout->type_px[TYPE_BUTTON], small = big; /* one size for every label */
    switch (w->style) {
    case WIDGET_PRIMARY:
        render_button(p, v, w, PALETTE_PRIMARY, PALETTE_ON_BUTTON, PALETTE_PRIMARY, 0, big);
        break;
    case WIDGET_SECONDARY:
        render_button(p, v, w, PALETTE_SECONDARY, PALETTE_ON_BUTTON, PALETTE_SECONDARY, 0, big);
        break;
    case WIDGET_QUIET:
        render_button(p, v, w, PALETTE_BACKGROUND, PALETTE_INK, PALETTE_MUTED, 2, small);
        break;
    case WIDGET_TILE:
        draw_tile(p, v, w);
        break;
    case WIDGET_SCORE:
        draw_score(p, v, w);
        break;
    case WIDGET_KEY: /* a muted border: the sand key's edge on paper (>= 3:1) */
        render_button(p, v, w, PALETTE_PANEL, PALETTE_INK, PALETTE_MUTED, 2, big);
        break;
    case WIDGET_NATURE:
        draw_nature(p, v, w);
        break;
    case WIDGET_ACCESS:
        render_access_widget(p, v, w);
        break;
    case WIDGET_LANGUAGE: {
        bool current = strcmp(w->id + 5, lang_code(v->lang)) == 0;
        /* Language names keep the normal size in large text (layout_access.c). */
        int lang_px = layout_type_px(TYPE_BUTTON, v->layout->px_per_mm, false);
        render_button(p, v, w, PALETTE_PANEL, PALETTE_INK,
                      current ? PALETTE_PRIMARY : PALETTE_MUTED, current ? 3 : 2, lang_px);
        break;
    }
    }
}

const char *screen_nature_pictogram(const char *word_id)
{
    /* Every nature word has its own drawing, named as the word (draw_pictograms.c). */
    return word_id && ui_draw_pictogram_known(word_id) ? word_id : "leaf";
}

/* The friendly name in a panel: pictogram, "Vlinder 12", and the word in the visitor's language. */
static void draw_name_panel(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    SDL_Rect panel = l->name_panel;
    ui_draw_round_rect(p->draw, panel, 24, PALETTE_PANEL, PALETTE_PANEL, 0);
    const struct journey *j = v->journey;
    if (v->record_failed || !v->record_committed) {
        render_text_fit(p,
                        lang_text(v->lang, v->record_failed ? K_DONE_FAILED_DESK : K_COMMON_MOMENT),
                        render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        panel, l->body_px);
        return;
    }
    /* Rows in line heights of their type: the intro, the name, its word in the visitor's
     * language; the pictogram beside them at the start side. */
    int body_line = layout_line_px(l, l->body_px);
    /* "Uw naam voor vandaag:" across the panel; below it the pictogram beside the name
     * and its word in the visitor's language. */
    int pad = 12;
    char own[64] = "";
    if (v->lang != v->host_lang) {
        names_format(j->name_number, v->lang, own, sizeof own);
    }
    bool show_own = own[0] && strcmp(own, j->friendly_name) != 0;
    /* The intro takes what the layout gave the panel beyond the name and its word (it
     * may wrap: layout_reflow measured it, BLOCK_NAME_INTRO). */
    int intro_h = l->name_intro_h; /* 0: the intro is the screen's title */
    SDL_Rect intro_box = {panel.x + pad, panel.y + 4, panel.w - 2 * pad, intro_h};
    int rest_y = intro_box.y + intro_box.h, rest_h = panel.y + panel.h - 4 - rest_y;
    int name_ltr = (l->type_px[TYPE_NAME] * 137 + 99) / 100; /* the name is Latin script */
    int side = rest_h < name_ltr ? rest_h : name_ltr;
    /* A long name ("Roodborst 12" at the large size) takes the panel's whole width and its
     * pictogram moves down to the row of its word, at that row's height. */
    struct ui_text_style name_style =
        render_style(l->type_px[TYPE_NAME], true, PALETTE_INK, UI_ALIGN_CENTER, false);
    int name_w = 0;
    ui_text_measure(p->text, j->friendly_name, &name_style, 0, &name_w);
    bool beside = name_w <= panel.w - side - 3 * pad;
    SDL_Rect name_box, own_box, icon;
    if (beside && l->own_beside && show_own) { /* one row: pictogram, name, its word */
        struct ui_text_style small =
            render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl);
        int own_w = 0, gap = 32;
        ui_text_measure(p->text, own, &small, 0, &own_w);
        int x = panel.x + side + 2 * pad, w = panel.w - side - 3 * pad;
        if (l->rtl) {
            x = panel.x + pad;
        }
        int start = x + (w - name_w - gap - own_w) / 2;
        icon = (SDL_Rect){panel.x + pad, rest_y + (rest_h - side) / 2, side, side};
        name_box = (SDL_Rect){start, rest_y, name_w, rest_h};
        own_box = (SDL_Rect){start + name_w + gap, rest_y, own_w, rest_h};
        if (l->rtl) { /* the word first, in reading order */
            own_box.x = start;
            name_box.x = start + own_w + gap;
        }
    } else if (beside) {
        icon = (SDL_Rect){panel.x + pad, rest_y + (rest_h - side) / 2, side, side};
        SDL_Rect text_box = {panel.x + side + 2 * pad, rest_y, panel.w - side - 3 * pad, rest_h};
        if (l->rtl) {
            text_box.x = panel.x + pad;
        }
        int shown_own = show_own ? body_line : 0;
        name_box = (SDL_Rect){text_box.x, text_box.y, text_box.w, text_box.h - shown_own};
        own_box = (SDL_Rect){text_box.x, name_box.y + name_box.h, text_box.w, shown_own};
    } else {
        int row = rest_h - name_ltr > body_line ? rest_h - name_ltr : body_line;
        name_box = (SDL_Rect){panel.x + pad, rest_y, panel.w - 2 * pad, rest_h - row};
        side = row - 4;
        icon = (SDL_Rect){panel.x + pad, name_box.y + name_box.h + 2, side, side};
        own_box = (SDL_Rect){panel.x + side + 2 * pad, name_box.y + name_box.h,
                             panel.w - side - 3 * pad, row};
        if (l->rtl) {
            own_box.x = panel.x + pad;
        }
    }
    if (l->rtl) {
        icon.x = panel.x + panel.w - pad - side;
    }
    ui_draw_pictogram(p->draw, screen_nature_pictogram(names_word_id(j->name_number)), icon,
                      PALETTE_PRIMARY);
    if (show_own) {
        render_text_fit(p, own,
                        render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        own_box, l->body_px);
    }
    /* The Dutch name is what the host calls out: always left to right. */
    render_text_fit(p, j->friendly_name, name_style, name_box, l->type_px[TYPE_NAME]);
}

/* What happens now, the wait, and the word if asked: the checked-in screen's body. */
static void checked_in_body_text(const struct screen_view *v, char *body, size_t size)
{
    if (v->record_failed) {
        snprintf(body, size, "%s", ""); /* the title and the panel say it all */
        return;
    }
    char wait[256];
    const char *wait_text = lang_text(v->lang, K_DONE_WAIT_UNKNOWN);
    /* Arabic counts 3..10 minutes with another plural ("دقائق") than 11 and more. */
    const char *few = lang_lookup(v->lang, "plural.wait_range_3_10");
    const char *range = few && v->wait_high_min >= 3 && v->wait_high_min <= 10
                            ? few
                            : lang_text(v->lang, K_DONE_WAIT_RANGE);
    if (v->have_wait_range &&
        lang_format_range(range, v->wait_low_min, v->wait_high_min, wait, sizeof wait) == 0) {
        wait_text = wait;
    }
    /* One sentence under the name (the title is the other): the wait, or for someone who
     * asked for a word that someone comes. The seat and the coffee they will find. */
    snprintf(body, size, "%s",
             v->journey->wants_word ? lang_text(v->lang, K_DONE_WORD) : wait_text);
}

static void draw_checked_in_body(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    char body[768];
    checked_in_body_text(v, body, sizeof body);
    struct ui_text_style s = render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_START, l->rtl);
    s.valign = UI_VALIGN_TOP;
    render_text_fit(p, body, s, l->body, l->body_px);
}

void render_closed_text(const struct screen_view *v, char *body, size_t size)
{
    const struct lang *lang = v->lang;
    size_t used = 0;
    body[0] = '\0';
    struct oase_localtime now;
    clock_local(v->now_ms, &now);
    struct hours_opening next;
    if (hours_next_open(v->kiosk->hours, &now, &next) == 0) {
        enum lang_key day = next.days_ahead == 0   ? K_DAY_TODAY
                            : next.days_ahead == 1 ? K_DAY_TOMORROW
                                                   : (enum lang_key)(K_DAY_MONDAY + next.weekday);
        int n = snprintf(body, size, "%s\n%s %02d:%02d", lang_text(lang, K_CLOSED_OPENS),
                         lang_text(lang, day), next.minute / 60, next.minute % 60);
        used = n > 0 && (size_t)n < size ? (size_t)n : 0;
    }
    if (v->kiosk->hours->phone[0]) {
        snprintf(body + used, size - used, "%s%s", used ? "\n" : "",
                 lang_text(lang, K_CLOSED_CALL));
    }
}

/* closed: "We are open again:" with the day and time, and "You can also call:" the number. */
static void draw_closed_body(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    char body[512];
    render_closed_text(v, body, sizeof body);
    const char *phone = v->kiosk->hours->phone;
    SDL_Rect box = l->body, number = l->body;
    struct ui_text_style phone_style =
        render_style(l->body_px, true, PALETTE_INK, UI_ALIGN_CENTER, false);
    if (phone[0]) { /* the number on its own line below, in bold (measured with the text) */
        int widest = 0;
        number.h = ui_text_measure(p->text, phone, &phone_style, number.w, &widest);
        box.h = l->body.h - number.h;
        number.y = box.y + box.h;
    }
    /* At the body size, never smaller: the layout made the box tall enough (BLOCK_BODY). */
    struct ui_text_style s = render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_CENTER, l->rtl);
    s.valign = UI_VALIGN_BOTTOM;
    render_text_fit(p, body, s, box, l->body_px);
    /* A phone number reads left to right in every language. */
    render_text_fit(p, phone, phone_style, number, l->body_px);
}

void screen_draw(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    SDL_Renderer *r = p->renderer;
    p->clipped = 0; /* counted per frame */
    SDL_SetRenderDrawColor(r, PALETTE_BACKGROUND.r, PALETTE_BACKGROUND.g, PALETTE_BACKGROUND.b,
                           0xFF);
    SDL_RenderClear(r);
    if (l->scene.w > 0) {
        ui_draw_calm_scene(p->draw, l->scene, v->mono_ms, v->animate);
    }
    enum journey_screen screen = journey_current(v->journey);
    enum journey_form form = journey_screen_form(screen);
    char title[512];
    title_text(p, v, l->title_px, l->title.w, title, sizeof title);
    render_text_fit(p, title, render_style(l->title_px, true, PALETTE_INK, UI_ALIGN_CENTER, l->rtl),
                    l->title, l->title_px);
    if (form == JOURNEY_FORM_WELCOME) {
        render_text_fit(p, lang_text(v->lang, K_WELCOME_HINT),
                        render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        l->body, l->body_px);
        struct oase_localtime now;
        clock_local(v->now_ms, &now);
        char clock_text[8];
        snprintf(clock_text, sizeof clock_text, "%02d:%02d", now.hour, now.minute);
        render_text_fit(p, clock_text,
                        render_style(layout_type_px(TYPE_BODY, l->px_per_mm, false), false,
                                     PALETTE_MUTED, UI_ALIGN_CENTER, false),
                        l->clock, layout_type_px(TYPE_BODY, l->px_per_mm, false));
    }
    if (form == JOURNEY_FORM_SCALE) {
        render_text_fit(p, lang_text(v->lang, K_STRESS_LOW),
                        render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_START, l->rtl),
                        l->anchor_low, l->body_px);
        render_text_fit(p, lang_text(v->lang, K_STRESS_HIGH),
                        render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_END, l->rtl),
                        l->anchor_high, l->body_px);
        render_text_fit(p, lang_text(v->lang, K_STRESS_ANONYMOUS),
                        render_style(l->note_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        l->note, l->note_px);
    }
    if (form == JOURNEY_FORM_CHECKED_IN) {
        draw_name_panel(p, v);
        draw_checked_in_body(p, v);
    }
    if (form == JOURNEY_FORM_STILL_THERE) {
        render_text_fit(p, lang_text(v->lang, K_STILL_NOTE),
                        render_style(l->note_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        l->note, l->note_px);
    }
    if (form == JOURNEY_FORM_CLOSED) {
        draw_closed_body(p, v);
    }
    if (form == JOURNEY_FORM_DIGITS) {
        draw_leave_name(p, v);
    }
    for (int i = 0; i < l->count; i++) {
        render_widget(p, v, &l->widgets[i]);
    }
}

/* For render_speech.c: the label and pictogram of a widget, and the key of a screen's
 * title, exactly as drawn. */
void render_widget_content(const struct screen_view *v, const struct ui_widget *w,
                           const char **label, const char **picto)
{
    widget_content(v, w, label, picto);
}

enum lang_key render_title_key(const struct screen_view *v)
{
    enum journey_screen screen = journey_current(v->journey);
    /* A check-in the store gave up is never shown as done: no name, the desk instead. */
    if (screen == SCREEN_CHECKED_IN && v->record_failed) {
        return K_DONE_FAILED;
    }
    return journey_screen_title(screen);
}

int screen_measure_block(struct screen_painter *p, const struct screen_view *v,
                         enum layout_block block, int px, int width)
{
    enum journey_screen screen = journey_current(v->journey);
    char buf[768];
    const char *text = NULL;
    bool bold = false;
    switch (block) {
    case BLOCK_TITLE: /* as drawn: its last two words bound */
        title_text(p, v, px, width, buf, sizeof buf);
        text = buf;
        bold = true;
        break;
    case BLOCK_BODY:
        if (screen == SCREEN_WELCOME) {
            text = lang_text(v->lang, K_WELCOME_HINT);
        } else if (screen == SCREEN_CHECKED_IN) {
            checked_in_body_text(v, buf, sizeof buf);
            text = buf;
        } else if (screen == SCREEN_CLOSED) { /* the text and the phone number below it */
            render_closed_text(v, buf, sizeof buf);
            if (v->kiosk->hours->phone[0]) {
                size_t used = strlen(buf);
                snprintf(buf + used, sizeof buf - used, "\n%s", v->kiosk->hours->phone);
            }
            text = buf;
        }
        break;
    case BLOCK_NOTE:
        text = journey_screen_form(screen) == JOURNEY_FORM_SCALE
                   ? lang_text(v->lang, K_STRESS_ANONYMOUS)
               : screen == SCREEN_STILL_THERE ? lang_text(v->lang, K_STILL_NOTE)
                                              : NULL;
        break;
    case BLOCK_ANCHOR_LOW:
        text = lang_text(v->lang, K_STRESS_LOW);
        break;
    case BLOCK_ANCHOR_HIGH:
        text = lang_text(v->lang, K_STRESS_HIGH);
        break;
    case BLOCK_NAME_INTRO:
        text = NULL; /* the intro is the checked-in screen's title now */
        break;
    case BLOCK_NAME_OWN: /* the name and its word side by side (not dealt yet: the widest) */
        if (screen == SCREEN_CHECKED_IN && v->lang != v->host_lang) {
            struct ui_text_style big = render_style(px, true, PALETTE_INK, UI_ALIGN_START, false);
            struct ui_text_style small = render_style(px * 48 / 75 + 1, false, PALETTE_INK,
                                                      UI_ALIGN_START, lang_is_rtl(v->lang));
            int line = (px * 137 + 99) / 100, widest_row = 0;
            int first = v->journey->name_number > 0 ? v->journey->name_number : 975;
            int last = v->journey->name_number > 0 ? first : 999;
            for (int number = first; number <= last; number++) {
                char name[64], own[64];
                names_format(number, v->host_lang, name, sizeof name);
                names_format(number, v->lang, own, sizeof own);
                int name_w = 0, own_w = 0;
                ui_text_measure(p->text, name, &big, 0, &name_w);
                ui_text_measure(p->text, own, &small, 0, &own_w);
                widest_row = name_w + 32 + own_w > widest_row ? name_w + 32 + own_w : widest_row;
            }
            return widest_row <= width ? line : 2 * line;
        }
        break;
    case BLOCK_NAME: /* the name (before it is dealt: the widest, a word with three digits) */
        if (screen == SCREEN_CHECKED_IN) {
            struct ui_text_style s = render_style(px, true, PALETTE_INK, UI_ALIGN_START, false);
            int tallest = 0;
            int first = v->journey->name_number > 0 ? v->journey->name_number : 975;
            int last = v->journey->name_number > 0 ? first : 999;
            for (int number = first; number <= last; number++) {
                char name[64];
                names_format(number, v->host_lang, name, sizeof name);
                int widest = 0, h = ui_text_measure(p->text, name, &s, width, &widest);
                tallest = h > tallest ? h : tallest;
            }
            return tallest;
        }
        break;
    }
    if (!text || !*text) {
        return 0;
    }
    struct ui_text_style s = render_style(px, bold, PALETTE_INK, UI_ALIGN_START,
                                          block != BLOCK_NAME && lang_is_rtl(v->lang));
    int widest = 0;
    int height = ui_text_measure(p->text, text, &s, width, &widest);
    return words_fit(p, text, &s, width) ? height : -height; /* < 0: a word broken inside */
}

int screen_measure_label(struct screen_painter *p, const struct screen_view *v,
                         const struct ui_widget *w, int px)
{
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    if (!label || !*label || is_way_out(w) || w->style == WIDGET_NATURE) {
        return 0; /* the ways out never widen: a pictogram where their label does not fit */
    }
    struct ui_text_style s = render_style(px, w->style != WIDGET_LANGUAGE, PALETTE_INK,
                                          UI_ALIGN_START, lang_is_rtl(v->lang));
    int widest = 0;
    ui_text_measure(p->text, label, &s, 0, &widest);
    return widest;
}

/* The text box render_button or draw_tile gives a widget's label (see them), and its size. */
bool screen_label_fits(struct screen_painter *p, const struct screen_view *v,
                       const struct ui_widget *w)
{
    const struct layout *l = v->layout;
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    if (!label || !*label || w->style == WIDGET_SCORE || w->style == WIDGET_ACCESS ||
        w->style == WIDGET_NATURE || is_way_out(w)) {
        return true; /* the ways out show their pictogram alone where the label does not fit */
    }
    SDL_Rect r = w->rect;
    bool language = w->style == WIDGET_LANGUAGE;
    bool rtl = l->rtl;
    int px = l->type_px[TYPE_BUTTON];
    SDL_Rect box;
    if (w->style == WIDGET_TILE) {
        struct ui_text_style s = render_style(px, true, PALETTE_INK, UI_ALIGN_CENTER, rtl);
        SDL_Rect icon, text_box;
        return tile_place(p, label, &s, r, rtl, &icon, &text_box) &&
               words_fit(p, label, &s, text_box.w);
    }
    if (language) {
        const struct lang *button_lang = lang_get(v->langs, w->id + 5);
        rtl = button_lang && lang_is_rtl(button_lang);
        px = layout_type_px(TYPE_BUTTON, l->px_per_mm, false);
    }
    int pad = language ? 6 : LAYOUT_BUTTON_PAD(r.h);
    box = (SDL_Rect){0, 0, r.w - 2 * pad, r.h - 8};
    if (picto && *picto) {
        int side = r.h - 2 * pad;
        side = side > 72 ? 72 : side;
        box.w -= side + pad;
    }
    struct ui_text_style s = render_style(px, !language, PALETTE_INK, UI_ALIGN_CENTER, rtl);
    int width = 0;
    return box.w > 0 && ui_text_measure(p->text, label, &s, box.w, &width) <= box.h &&
           width <= box.w && words_fit(p, label, &s, box.w);
}
