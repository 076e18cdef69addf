/*
 * layout: where every widget and text block of each screen sits, for 800x480 landscape
 * and 720x1280 portrait (and sizes in between). Pure geometry: no drawing, no SDL
 * rendering, so tests can check touch-target sizes and overlaps, and replays can tap
 * a widget by id. Right-to-left languages get the mirror image.
 */
#ifndef OASE_LAYOUT_H
#define OASE_LAYOUT_H

#include <stdbool.h>

#include <SDL2/SDL_rect.h>

#include "kiosk/journey.h"

#define LAYOUT_MAX_WIDGETS 32
#define LAYOUT_MIN_TARGET_PX 64 /* smallest touch target side */

enum widget_style {
    WIDGET_PRIMARY,   /* deep sage button: the main action */
    WIDGET_SECONDARY, /* sea button: an equal choice */
    WIDGET_QUIET,     /* outlined: back, skip, leave */
    WIDGET_TILE,      /* sand tile with pictogram and label (services) */
    WIDGET_SCORE,     /* 0-10 stress tile */
    WIDGET_LANGUAGE,  /* a language named in its own script */
    WIDGET_KEY,       /* a key of the staff PIN pad */
};

struct ui_widget {
    char id[24];   /* stable id: checkin, service:2, score:7, lang:ar, ... */
    SDL_Rect rect; /* touch area, logical pixels */
    enum widget_style style;
    int value; /* service index (0-based), score, or language index */
};

struct layout {
    int width, height;
    bool portrait, rtl;
    struct ui_widget widgets[LAYOUT_MAX_WIDGETS];
    int count;
    /* Text blocks (w = 0 when the screen has none). */
    SDL_Rect title, body, note, clock, name_panel, anchor_low, anchor_high, scene;
    int title_px, body_px; /* font sizes */
};

struct layout_input {
    enum journey_screen screen;
    int width, height;
    bool rtl;
    int service_count;
    int language_count;              /* language buttons on the welcome screen */
    const char (*language_codes)[8]; /* their codes, in button order */
    bool departure_tap;
};

/* Fills out for one screen. Never fails; widgets that do not apply are left out. */
void layout_build(struct layout *out, const struct layout_input *in);

/* Input for the staff screens (kiosk/staff.h): the PIN pad and the menu. */
struct layout_staff_input {
    int staff_screen; /* enum staff_screen: STAFF_PIN or STAFF_MENU */
    int width, height;
    int scene_count; /* light scenes offered in the menu (at most 6 are shown) */
    const char (*scene_names)[32];
};

/* Fills out for a staff screen: pin:0..9, pin:clear, pin:ok, close; scene:NAME,
 * scene:schedule, light:test. Text blocks: title, note (pad message), body (menu facts). */
void layout_build_staff(struct layout *out, const struct layout_staff_input *in);

/* Appends a widget (for the layout files); past LAYOUT_MAX_WIDGETS it is left out. */
void layout_add(struct layout *l, const char *id, SDL_Rect r, enum widget_style style, int value);

/* The widget with this id, or NULL. */
const struct ui_widget *layout_find(const struct layout *layout, const char *id);

/* The widget under a point, or NULL. */
const struct ui_widget *layout_hit(const struct layout *layout, int x, int y);

#endif
