/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * render_access: draws the speak and large-text controls (layout_access.c places them).
 * Both are quiet outlined squares with a pictogram and no words: they sit on every screen
 * and must not compete with the screen's one question. Flow: render.c -> here -> ui_draw.
 */
#include <string.h>

#include "screens/render_internal.h"
#include "ui/palette.h"

void render_access_widget(struct screen_painter *p, const struct screen_view *v,
                          const struct ui_widget *w)
{
    bool pressed = v->pressed_id && strcmp(v->pressed_id, w->id) == 0;
    bool selected = w->value != 0; /* large-text while the large scale is on */
    SDL_Rect r = w->rect;
    SDL_Color fill = selected ? PALETTE_PRIMARY : PALETTE_BACKGROUND;
    SDL_Color ink = selected ? PALETTE_ON_BUTTON : PALETTE_INK;
    ui_draw_round_rect(p->draw, r, r.h / 4, pressed ? palette_pressed(fill) : fill,
                       selected ? PALETTE_PRIMARY : PALETTE_MUTED, selected ? 0 : 2);
    int side = r.h * 70 / 100;
    SDL_Rect icon = {r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
    ui_draw_pictogram(p->draw, w->id, icon, ink);
}
