/* render: see render.h. Flow: app -> layout -> render -> ui_text / ui_draw -> SDL. */
#include "screens/render.h"
#include "screens/render_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
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

/* Draws text fitted into box: shrinks long translations instead of cutting them. */
void render_text_fit(struct screen_painter *p, const char *text, struct ui_text_style s,
                     SDL_Rect box, int min_px)
{
    if (box.w <= 0 || !text || !*text) {
        return;
    }
    s.size_px = ui_text_fit(p->text, text, &s, box, min_px);
    ui_text_draw(p->text, text, &s, box);
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
        *picto = "leave";
    } else if (strcmp(w->id, "skip") == 0) {
        *label = lang_text(l, K_STRESS_SKIP);
        *picto = "skip";
    } else if (strcmp(w->id, "back") == 0) {
        *label = lang_text(l, K_COMMON_BACK);
        *picto = "back";
    } else if (strcmp(w->id, "word:yes") == 0) {
        *label = lang_text(l, K_WORD_YES);
        *picto = "chat";
    } else if (strcmp(w->id, "word:no") == 0) {
        *label = lang_text(l, K_WORD_NO);
        *picto = "no";
    } else if (strcmp(w->id, "ok") == 0) {
        *label = lang_text(l, K_DONE_OK);
        *picto = "yes";
    } else if (w->style == WIDGET_TILE && w->value < v->config->service_count) {
        const struct config_service *service = &v->config->services[w->value];
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
    int pad = language ? 6 : r.h / 6; /* language names need the whole width */
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
        /* Arrows follow the reading direction; people and objects stay as drawn. */
        bool arrow = strcmp(picto, "back") == 0 || strcmp(picto, "skip") == 0;
        ui_draw_pictogram_mirrored(p->draw, picto, icon, ink, arrow && v->layout->rtl);
        text_box.w -= side + pad;
        if (!v->layout->rtl) {
            text_box.x += side + pad;
        }
    }
    render_text_fit(p, label, render_style(text_px, !language, ink, UI_ALIGN_CENTER, rtl), text_box,
                    language ? 14 : 18);
}

/* A service tile: pictogram above, label below. */
static void draw_tile(struct screen_painter *p, const struct screen_view *v,
                      const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    ui_draw_round_rect(p->draw, r, 22, pressed ? palette_pressed(PALETTE_PANEL) : PALETTE_PANEL,
                       PALETTE_PANEL, 0);
    const char *label, *picto;
    widget_content(v, w, &label, &picto);
    int side = r.h * 45 / 100;
    ui_draw_pictogram(p->draw, picto,
                      (SDL_Rect){r.x + (r.w - side) / 2, r.y + r.h / 10, side, side},
                      PALETTE_PRIMARY);
    SDL_Rect text_box = {r.x + 10, r.y + r.h / 10 + side + 4, r.w - 20, r.h - side - r.h / 10 - 10};
    render_text_fit(p, label,
                    render_style(v->layout->portrait ? 36 : 28, true, PALETTE_INK, UI_ALIGN_CENTER,
                                 v->layout->rtl),
                    text_box, 18);
}

/* A 0-10 tile: light fill, the hue in a band, the number in dark ink. */
static void draw_score(struct screen_painter *p, const struct screen_view *v,
                       const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    SDL_Rect r = w->rect;
    SDL_Rect face = {r.x + 2, r.y, r.w - 4, r.h}; /* visible gap between touching targets */
    SDL_Color fill = palette_stress_tile(w->value);
    ui_draw_round_rect(p->draw, face, 12, pressed ? palette_pressed(fill) : fill, fill, 0);
    SDL_Rect band = {face.x + 8, face.y + face.h - 16, face.w - 16, 8};
    ui_draw_round_rect(p->draw, band, 4, palette_stress_band(w->value),
                       palette_stress_band(w->value), 0);
    char number[4];
    snprintf(number, sizeof number, "%d", w->value);
    SDL_Rect box = {face.x, face.y, face.w, face.h - 20};
    struct ui_text_style s =
        render_style(v->layout->portrait ? 40 : 34, true, PALETTE_INK, UI_ALIGN_CENTER, false);
    ui_text_draw(p->text, number, &s, box);
}

void render_widget(struct screen_painter *p, const struct screen_view *v, const struct ui_widget *w)
{
    int big = v->layout->portrait ? 40 : 32, small = v->layout->portrait ? 30 : 24;
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
    case WIDGET_KEY:
        render_button(p, v, w, PALETTE_PANEL, PALETTE_INK, PALETTE_PANEL, 0, big);
        break;
    case WIDGET_LANGUAGE: {
        bool current = strcmp(w->id + 5, lang_code(v->lang)) == 0;
        render_button(p, v, w, PALETTE_PANEL, PALETTE_INK,
                      current ? PALETTE_PRIMARY : PALETTE_PANEL, current ? 3 : 0, small);
        break;
    }
    }
}

const char *screen_nature_pictogram(const char *word_id)
{
    static const char *const drawn[] = {"butterfly", "heron", "leaf", "shell", "acorn", "fern"};
    for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++) {
        if (strcmp(word_id, drawn[i]) == 0) {
            return drawn[i];
        }
    }
    return "leaf";
}

/* The friendly name in a panel: pictogram, "Vlinder 12", and the word in the visitor's language. */
static void draw_name_panel(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    SDL_Rect panel = l->name_panel;
    ui_draw_round_rect(p->draw, panel, 24, PALETTE_PANEL, PALETTE_PANEL, 0);
    const struct journey *j = v->journey;
    if (!v->record_committed) {
        render_text_fit(p, lang_text(v->lang, K_COMMON_MOMENT),
                        render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        panel, 20);
        return;
    }
    int side = panel.h * 70 / 100;
    SDL_Rect icon = {panel.x + panel.h * 15 / 100, panel.y + (panel.h - side) / 2, side, side};
    if (l->rtl) {
        icon.x = panel.x + panel.w - icon.x + panel.x - side;
    }
    ui_draw_pictogram(p->draw, screen_nature_pictogram(names_word_id(j->name_number)), icon,
                      PALETTE_PRIMARY);
    SDL_Rect text_box = {panel.x + side + panel.h * 25 / 100, panel.y + 6,
                         panel.w - side - panel.h * 40 / 100, panel.h - 12};
    if (l->rtl) {
        text_box.x = panel.x + panel.h * 15 / 100;
    }
    char own[64] = "";
    if (v->lang != v->host_lang) {
        names_format(j->name_number, v->lang, own, sizeof own);
    }
    bool show_own = own[0] && strcmp(own, j->friendly_name) != 0;
    /* Three rows: "Uw naam voor vandaag:", the name, and its word in the visitor's language. */
    int intro_h = text_box.h * 26 / 100, own_h = show_own ? text_box.h * 24 / 100 : 0;
    SDL_Rect intro_box = {text_box.x, text_box.y, text_box.w, intro_h};
    SDL_Rect name_box = {text_box.x, text_box.y + intro_h, text_box.w,
                         text_box.h - intro_h - own_h};
    SDL_Rect own_box = {text_box.x, name_box.y + name_box.h, text_box.w, own_h};
    render_text_fit(
        p, lang_text(v->lang, K_DONE_NAME_INTRO),
        render_style(l->portrait ? 30 : 22, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
        intro_box, 16);
    if (show_own) {
        render_text_fit(
            p, own,
            render_style(l->portrait ? 30 : 22, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
            own_box, 16);
    }
    /* The Dutch name is what the host calls out: always left to right. */
    render_text_fit(p, j->friendly_name,
                    render_style(l->portrait ? 72 : 52, true, PALETTE_INK, UI_ALIGN_CENTER, false),
                    name_box, 28);
}

static void draw_checked_in_body(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    char wait[256];
    const char *wait_text = lang_text(v->lang, K_DONE_WAIT_UNKNOWN);
    if (v->have_wait_range &&
        lang_format_range(lang_text(v->lang, K_DONE_WAIT_RANGE), v->wait_low_min, v->wait_high_min,
                          wait, sizeof wait) == 0) {
        wait_text = wait;
    }
    char body[768];
    snprintf(body, sizeof body, "%s\n%s%s%s", lang_text(v->lang, K_DONE_NEXT), wait_text,
             v->journey->wants_word ? "\n" : "",
             v->journey->wants_word ? lang_text(v->lang, K_DONE_WORD) : "");
    SDL_Rect box = l->body;
    if (!l->portrait) {
        box.w -= 210; /* leave room for the "Klaar" button in the corner */
        if (l->rtl) {
            box.x += 210;
        }
    }
    struct ui_text_style s = render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_START, l->rtl);
    s.valign = UI_VALIGN_TOP;
    s.size_px = ui_text_fit(p->text, body, &s, box, 20);
    ui_text_draw(p->text, body, &s, box);
}

static enum lang_key title_key(enum journey_screen screen)
{
    switch (screen) {
    case SCREEN_SERVICE:
        return K_SERVICE_TITLE;
    case SCREEN_STRESS:
        return K_STRESS_TITLE;
    case SCREEN_WORD:
        return K_WORD_TITLE;
    case SCREEN_CHECKED_IN:
        return K_DONE_TITLE;
    case SCREEN_LEAVE:
        return K_DEPART_TITLE;
    case SCREEN_GOODBYE:
        return K_DEPART_THANKS;
    case SCREEN_WELCOME:
    default:
        return K_WELCOME_TITLE;
    }
}

void screen_draw(struct screen_painter *p, const struct screen_view *v)
{
    const struct layout *l = v->layout;
    SDL_Renderer *r = p->renderer;
    SDL_SetRenderDrawColor(r, PALETTE_BACKGROUND.r, PALETTE_BACKGROUND.g, PALETTE_BACKGROUND.b,
                           0xFF);
    SDL_RenderClear(r);
    if (l->scene.w > 0) {
        ui_draw_calm_scene(p->draw, l->scene, v->mono_ms, v->animate);
    }
    enum journey_screen screen = journey_current(v->journey);
    render_text_fit(p, lang_text(v->lang, title_key(screen)),
                    render_style(l->title_px, true, PALETTE_INK, UI_ALIGN_CENTER, l->rtl), l->title,
                    30);
    if (screen == SCREEN_WELCOME) {
        render_text_fit(p, lang_text(v->lang, K_WELCOME_HINT),
                        render_style(l->body_px, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        l->body, 20);
        struct oase_localtime now;
        clock_local(v->now_ms, &now);
        char clock_text[8];
        snprintf(clock_text, sizeof clock_text, "%02d:%02d", now.hour, now.minute);
        render_text_fit(
            p, clock_text,
            render_style(l->portrait ? 44 : 36, false, PALETTE_MUTED, UI_ALIGN_CENTER, false),
            l->clock, 24);
    }
    if (screen == SCREEN_STRESS || screen == SCREEN_LEAVE) {
        render_text_fit(p, lang_text(v->lang, K_STRESS_LOW),
                        render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_START, l->rtl),
                        l->anchor_low, 18);
        render_text_fit(p, lang_text(v->lang, K_STRESS_HIGH),
                        render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_END, l->rtl),
                        l->anchor_high, 18);
        render_text_fit(p, lang_text(v->lang, K_STRESS_ANONYMOUS),
                        render_style(l->body_px - 2, false, PALETTE_MUTED, UI_ALIGN_CENTER, l->rtl),
                        l->note, 18);
    }
    if (screen == SCREEN_CHECKED_IN) {
        draw_name_panel(p, v);
        draw_checked_in_body(p, v);
    }
    for (int i = 0; i < l->count; i++) {
        render_widget(p, v, &l->widgets[i]);
    }
}
