/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * render: draws one kiosk screen from its layout and the journey's state. Knows how each
 * widget style looks (docs/design.md "Look and feel") and which text and pictogram each widget
 * shows. Decides nothing about flow; frame thread only.
 */
#ifndef OASE_RENDER_H
#define OASE_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "core/hours.h"
#include "core/service.h"
#include "i18n/lang.h"
#include "kiosk/journey.h"
#include "kiosk/staff.h"
#include "lights/lights.h"
#include "screens/layout.h"
#include "ui/draw.h"
#include "ui/text.h"

struct screen_painter {
    SDL_Renderer *renderer;
    struct ui_text *text;
    struct ui_draw *draw;
    unsigned long clipped; /* texts of the last frame that did not fit their box (tests: 0) */
    int clipped_logged;    /* of those, logged (the first 8) */
};

/* What the screens show of the kiosk's settings ([services], [hours]); set up once, by the
 * caller, from its config. */
struct screen_kiosk {
    const struct service *services; /* the service tiles, in order */
    int service_count;
    const struct hours *hours; /* opening hours and phone of the closed screen; never NULL */
};

/* Everything one frame shows. */
struct screen_view {
    const struct layout *layout;
    const struct journey *journey;
    const struct lang *lang;      /* the visitor's language */
    const struct lang *host_lang; /* nl: the language of the friendly name */
    const struct lang_set *langs; /* for the language buttons */
    const struct screen_kiosk *kiosk;
    const char *pressed_id; /* widget drawn pressed, or NULL */
    int64_t now_ms;         /* wall clock: the clock on screen */
    int64_t mono_ms;        /* monotonic: the animation (never jumps with the clock) */
    bool animate;
    bool record_committed; /* on disk, held in memory, or waited long enough: show the name */
    bool record_failed;    /* the store gave the check-in up: no name, send them to the desk */
    bool have_wait_range;
    int wait_low_min, wait_high_min;
};

void screen_draw(struct screen_painter *painter, const struct screen_view *view);

/*
 * What the speak control reads for the screen in view, as SSML for espeak-ng (-m): the
 * title, the screen's text, the labels of its controls in reading order, and on the
 * checked-in screen the friendly name (in Dutch, as the host will call it) and the wait.
 * Texts with a ".speech" variant in the language file (vocalised Arabic) are read from it.
 * Writes at most size bytes (cut at a whole piece); returns the length, 0 when empty.
 */
size_t screen_speech_text(const struct screen_view *view, char *out, size_t size);

/*
 * Height in px of a text block's words on the screen in view, at px wrapped to width, as
 * the screen draws them (layout_input.measure: the layout re-flows to fit them). The view
 * needs journey, lang and kiosk; its layout is not used. 0 when the screen has no such text;
 * minus the height when a word is wider than width (it would be broken inside).
 */
int screen_measure_block(struct screen_painter *p, const struct screen_view *v,
                         enum layout_block block, int px, int width);

/* Width in px of a widget's label on one line at px, as drawn (0: no label). */
int screen_measure_label(struct screen_painter *p, const struct screen_view *v,
                         const struct ui_widget *w, int px);

/* True when a widget's label fits it at its one size, as render_widget draws it on
 * v->layout (layout_input.measure_label_height). */
bool screen_label_fits(struct screen_painter *p, const struct screen_view *v,
                       const struct ui_widget *w);

/* What the staff menu shows besides its buttons (kiosk/staff.h). */
struct staff_view {
    const struct layout *layout;
    const struct staff *staff;
    const struct lang *host_lang;
    const char *pressed_id;
    int64_t now_ms;         /* wall clock */
    int64_t mono_ms;        /* monotonic: the pad's lockout */
    const char *clock_note; /* "" or why the clock is not to be trusted */
    int arrivals_today, waiting_now;
    bool have_wait_range;
    int wait_low_min, wait_high_min;
    const struct lights_status *lights;
    const char *sound;       /* "sea at -26 dB", "off (outside opening hours)", ... */
    const char *store_error; /* "" when the database is fine */
    long long failed_writes;
};

/* Draws the staff PIN pad or menu (always in Dutch, the host's language). */
void screen_draw_staff(struct screen_painter *painter, const struct staff_view *view);

/*
 * Copies a title into out with its last space made a no-break space (U+00A0), so a wrapped
 * title never leaves its last word alone on a line. A one-word title, or one with no room
 * for the extra byte, is copied as it is (cut to size like snprintf).
 */
/* leave-number: the name a leaving visitor typed so far, "<word> <digits>", the word in
 * the visitor's language (drawn and read aloud alike). Never fails; cut to size. */
void render_leave_name_text(const struct screen_view *v, char *out, size_t size);

void render_bind_last_word(const char *text, char *out, size_t size);

/* The pictogram shown for a friendly name's nature word (falls back to "leaf"). */
const char *screen_nature_pictogram(const char *word_id);

#endif
