/* SPDX-License-Identifier: EUPL-1.2 */
/* render_internal: drawing helpers shared by render.c (visitor screens) and render_staff.c. */
#ifndef OASE_RENDER_INTERNAL_H
#define OASE_RENDER_INTERNAL_H

#include "screens/render.h"

struct ui_text_style render_style(int px, bool bold, SDL_Color colour, enum ui_align align,
                                  bool rtl);

/* Draws text fitted into box: shrinks long texts (down to min_px) instead of cutting them. */
void render_text_fit(struct screen_painter *p, const char *text, struct ui_text_style s,
                     SDL_Rect box, int min_px);

/* A button: rounded body, pictogram at the start side, label beside it. */
void render_button(struct screen_painter *p, const struct screen_view *v, const struct ui_widget *w,
                   SDL_Color fill, SDL_Color ink, SDL_Color border, int border_px, int text_px);

/* Any widget in its style. */
void render_widget(struct screen_painter *p, const struct screen_view *v,
                   const struct ui_widget *w);

/* speak and large-text (render_access.c): a pictogram in an outlined square; large-text
 * is drawn selected while the large scale is on. */
void render_access_widget(struct screen_painter *p, const struct screen_view *v,
                          const struct ui_widget *w);

/* The label and pictogram a visitor widget shows (lang texts: pointers into the lang). */
void render_widget_content(const struct screen_view *v, const struct ui_widget *w,
                           const char **label, const char **picto);

/* The text key of a screen's title. */
enum lang_key render_title_key(const struct screen_view *v);

/* Label and pictogram of a staff widget; false when id is not a staff widget. */
bool render_staff_label(const char *id, const char **label, const char **picto);

/* The closed screen's text above the phone number: when we open again, and "call:" when
 * the config has a number (the number itself is drawn and read apart, left to right). */
void render_closed_text(const struct screen_view *v, char *body, size_t size);

#endif
