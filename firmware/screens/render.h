/*
 * render: draws one kiosk screen from its layout and the journey's state. Knows how each
 * widget style looks (DESIGN.md palette) and which text and pictogram each widget shows.
 * Decides nothing about flow; frame thread only.
 */
#ifndef OASE_RENDER_H
#define OASE_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "core/config.h"
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
};

/* Everything one frame shows. */
struct screen_view {
    const struct layout *layout;
    const struct journey *journey;
    const struct lang *lang;      /* the visitor's language */
    const struct lang *host_lang; /* nl: the language of the friendly name */
    const struct lang_set *langs; /* for the language buttons */
    const struct oase_config *config;
    const char *pressed_id; /* widget drawn pressed, or NULL */
    int64_t now_ms;         /* wall clock: the clock on screen */
    int64_t mono_ms;        /* monotonic: the animation (never jumps with the clock) */
    bool animate;
    bool record_committed; /* on disk, held in memory, or waited long enough: show the name */
    bool have_wait_range;
    int wait_low_min, wait_high_min;
};

void screen_draw(struct screen_painter *painter, const struct screen_view *view);

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

/* The pictogram shown for a friendly name's nature word (falls back to "leaf"). */
const char *screen_nature_pictogram(const char *word_id);

#endif
