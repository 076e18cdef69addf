/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * render_staff: the staff PIN pad and menu (see render.h). Host-facing, so its words are
 * Dutch constants here rather than visitor texts in assets/lang (docs/decisions.md).
 */
#include <stdio.h>
#include <string.h>

#include "screens/render_internal.h"
#include "ui/palette.h"

static const struct {
    const char *id, *label, *picto;
} staff_labels[] = {
    {"pin:clear", "Wissen", NULL},      {"pin:ok", "OK", NULL},
    {"close", "Sluiten", "back"},       {"scene:schedule", "Schema", "clock"},
    {"light:test", "Test licht", NULL}, {"sound:next", "Ander geluid", NULL},
    {"sound:test", "Geluid aan", NULL},
};

bool render_staff_label(const char *id, const char **label, const char **picto)
{
    for (size_t i = 0; i < sizeof staff_labels / sizeof staff_labels[0]; i++) {
        if (strcmp(id, staff_labels[i].id) == 0) {
            *label = staff_labels[i].label;
            *picto = staff_labels[i].picto;
            return true;
        }
    }
    if (strncmp(id, "pin:", 4) == 0 || strncmp(id, "scene:", 6) == 0) {
        *label = strchr(id, ':') + 1; /* a digit, or the scene's name from the config */
        *picto = NULL;
        return true;
    }
    return false;
}

static void draw_pad(struct screen_painter *p, const struct staff_view *v)
{
    const struct layout *l = v->layout;
    render_text_fit(p, "Personeel: typ de pincode",
                    render_style(l->title_px, true, PALETTE_INK, UI_ALIGN_CENTER, false), l->title,
                    20);
    static const char dot[] = "\u25CF"; /* a filled circle per digit typed, 3 bytes */
    char dots[3 * STAFF_PIN_MAX + 1] = "";
    size_t digits = strlen(v->staff->entered);
    for (size_t i = 0; i < digits && i < STAFF_PIN_MAX; i++) {
        memcpy(dots + 3 * i, dot, 3);
        dots[3 * i + 3] = '\0';
    }
    ui_draw_round_rect(p->draw, l->body, 12, PALETTE_PANEL, PALETTE_PANEL, 0);
    render_text_fit(p, dots,
                    render_style(l->body_px + 8, true, PALETTE_INK, UI_ALIGN_CENTER, false),
                    l->body, 14);
    const char *note = NULL;
    if (staff_locked(v->staff, v->mono_ms)) {
        note = "Onjuiste pincode. Even wachten en opnieuw proberen.";
    } else if (v->staff->wrong) {
        note = "Onjuiste pincode. Probeer het opnieuw.";
    }
    if (note) {
        render_text_fit(p, note,
                        render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_CENTER, false),
                        l->note, 16);
    }
}

static void draw_facts(struct screen_painter *p, const struct staff_view *v)
{
    const struct layout *l = v->layout;
    char wait[64] = "nog te weinig gegevens";
    if (v->have_wait_range) {
        snprintf(wait, sizeof wait, "%d tot %d minuten", v->wait_low_min, v->wait_high_min);
    }
    char light[512] = "";
    size_t used = 0;
    for (int i = 0; i < v->lights->channel_count && used < sizeof light; i++) {
        const struct lights_channel_status *c = &v->lights->channels[i];
        int n = snprintf(light + used, sizeof light - used, "\n  %s: %.0f %% (%s%s)", c->name,
                         c->level, c->driver, c->degraded ? ", zonder hardware" : "");
        used += n > 0 ? (size_t)n : 0;
    }
    char facts[1024];
    snprintf(
        facts, sizeof facts,
        "Vandaag\n  Aangemeld: %d\n  Wachtend: %d\n  Gebruikelijke wachttijd: %s\n"
        "Licht%s\nGeluid: %s\nDatabase: %s%s%s%s",
        v->arrivals_today, v->waiting_now, wait, light, v->sound,
        v->store_error[0] ? v->store_error : "in orde", v->failed_writes ? " (schrijffouten)" : "",
        v->clock_note && v->clock_note[0] ? "\nKlok: " : "", v->clock_note ? v->clock_note : "");
    struct ui_text_style s = render_style(l->body_px, false, PALETTE_INK, UI_ALIGN_START, false);
    s.valign = UI_VALIGN_TOP;
    s.size_px = ui_text_fit(p->text, facts, &s, l->body, 14);
    ui_text_draw(p->text, facts, &s, l->body);
    char scene[96];
    snprintf(scene, sizeof scene, "Licht: %s%s", v->lights->scene[0] ? v->lights->scene : "-",
             v->lights->override_active ? " (met de hand)" : " (schema)");
    render_text_fit(p, scene, render_style(l->body_px, true, PALETTE_INK, UI_ALIGN_START, false),
                    l->note, 14);
}

void screen_draw_staff(struct screen_painter *p, const struct staff_view *v)
{
    SDL_SetRenderDrawColor(p->renderer, PALETTE_BACKGROUND.r, PALETTE_BACKGROUND.g,
                           PALETTE_BACKGROUND.b, 0xFF);
    SDL_RenderClear(p->renderer);
    if (v->staff->screen == STAFF_PIN) {
        draw_pad(p, v);
    } else {
        render_text_fit(p, "Personeel",
                        render_style(v->layout->title_px, true, PALETTE_INK, UI_ALIGN_START, false),
                        v->layout->title, 20);
        draw_facts(p, v);
    }
    /* Widgets reuse the visitor styles; a view in the host's language, left to right. */
    struct screen_view widgets = {.layout = v->layout,
                                  .lang = v->host_lang,
                                  .host_lang = v->host_lang,
                                  .pressed_id = v->pressed_id,
                                  .now_ms = v->now_ms,
                                  .mono_ms = v->mono_ms};
    for (int i = 0; i < v->layout->count; i++) {
        render_widget(p, &widgets, &v->layout->widgets[i]);
    }
}
