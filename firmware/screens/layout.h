/* SPDX-License-Identifier: EUPL-1.2 */
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

#define LAYOUT_MAX_WIDGETS 40   /* leave-name: 25 words, skip, back, 3 ways out, speak, large */
#define LAYOUT_MIN_TARGET_PX 64 /* smallest touch target side */
#define LAYOUT_MIN_SCORE_PX                                                                        \
    56 /* the 0-10 tiles in one landscape row: 11 tiles with 2 mm                                  \
          gaps fit 800 px only at 60 px (11.6 mm, above 9 mm) */

/* The padding of a labelled button around its pictogram and label (render_button): a sixth
 * of its height, at most 12 px, so a button wrapped to two lines keeps its label's room. */
#define LAYOUT_BUTTON_PAD(h) ((h) / 6 < 12 ? (h) / 6 : 12)

enum widget_style {
    WIDGET_PRIMARY,   /* deep sage button: the main action */
    WIDGET_SECONDARY, /* sea button: an equal choice */
    WIDGET_QUIET,     /* outlined: back, skip, leave */
    WIDGET_TILE,      /* sand tile with pictogram and label (services) */
    WIDGET_SCORE,     /* 0-10 stress tile */
    WIDGET_LANGUAGE,  /* a language named in its own script */
    WIDGET_KEY,       /* a key of the staff PIN pad */
    WIDGET_ACCESS,    /* speak or large-text: a pictogram in an outlined square */
    WIDGET_NATURE,    /* a friendly-name word as its pictogram alone (speech reads the word) */
};

/* Type roles: one size per role on a screen (layout_access.c computes them in millimetres). */
enum layout_type {
    TYPE_TITLE,  /* the screen's question or message */
    TYPE_BODY,   /* hints, notes, anchors, the waiting message: read by every visitor */
    TYPE_BUTTON, /* labels on buttons, tiles and language buttons */
    TYPE_NAME,   /* the friendly name */
    TYPE_SCORE,  /* the numbers 0-10 */
    TYPE_COUNT
};

struct ui_widget {
    char id[24];   /* stable id: checkin, service:2, score:7, lang:ar, nature:heron, ... */
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
    int title_px, body_px;   /* font sizes (= type_px[TYPE_TITLE], [TYPE_BODY]) */
    int type_px[TYPE_COUNT]; /* font size of each role, from [display] width_mm */
    bool large_text;         /* the larger type scale is in force */
    double text_scale;       /* 1.0, or in large text the largest <= 1.3 at which it fits */
    int note_px;             /* the explanatory note: body size, or smaller in large text */
    int name_intro_h;        /* height of the name panel's intro (0: one body line) */
    bool own_beside;         /* the name's word in the visitor's language beside the name */
    double px_per_mm;        /* of the panel (the input's, or the 7" panel's) */
    SDL_Rect staff_area;     /* welcome: the 3 s hold that opens the staff menu; w = 0 none */
    unsigned long reserved;  /* reflow: bit i set = widget i is a bottom control, never moved */
};

/* Text blocks whose height depends on the words (layout_input.measure). */
enum layout_block {
    BLOCK_TITLE,
    BLOCK_BODY,
    BLOCK_NOTE,
    BLOCK_ANCHOR_LOW,
    BLOCK_ANCHOR_HIGH,
    BLOCK_NAME_INTRO, /* the name panel's first line ("Wij roepen u met deze naam."): may wrap */
    BLOCK_NAME,       /* the friendly name itself (bold, left to right): must stay one line */
    BLOCK_NAME_OWN,   /* the name and its word in the visitor's language on one row (0: no word) */
};

/* Height in px that a block's text on this screen takes at px, wrapped to width; 0 when
 * the screen has no such text; negative (minus the height) when one of its words is wider
 * than width and would be broken inside. */
typedef int (*layout_measure_fn)(void *ctx, enum layout_block block, int px, int width);

struct layout_input {
    enum journey_screen screen;
    int width, height;
    bool rtl;
    int service_count;
    int language_count;              /* language buttons on the welcome screen */
    const char (*language_codes)[8]; /* their codes, in button order */
    bool departure_tap;
    bool speech;               /* espeak-ng is there: the speak control is shown */
    bool large_text;           /* the visitor chose the larger type scale */
    double text_scale;         /* layout_build's own: 0 = 1.3 in large text, else 1.0 */
    double note_scale;         /* layout_build's own: 0 = text_scale */
    double px_per_mm;          /* logical pixels per millimetre of the panel; 0: the 7" panel's */
    layout_measure_fn measure; /* NULL: text blocks keep their drawn-in heights */
    void *measure_ctx;
    /* Width in px of a widget's label on one line at px (0: no label); NULL: widgets keep
     * their drawn-in widths. */
    int (*measure_label)(void *ctx, const struct ui_widget *widget, int px);
    /* True when a widget's label fits it as drawn on layout (NULL: not checked). */
    bool (*measure_label_height)(void *ctx, const struct ui_widget *widget,
                                 const struct layout *layout);
};

/* Fills out for one screen. Never fails; widgets that do not apply are left out. */
void layout_build(struct layout *out, const struct layout_input *in);

/*
 * The type size of a role, from its capital height in millimetres (normal or large scale),
 * px_per_mm and Noto Sans's capital height (0.714 em). Never fails.
 */
int layout_type_px(enum layout_type role, double px_per_mm, bool large_text);

/* The type size of a role at a scale (1.0 normal, up to 1.3 in large text). */
int layout_type_px_at(enum layout_type role, double px_per_mm, double scale);

/*
 * True when the screen fits: every widget wholly on the screen, no two widgets overlap
 * (with a 2 mm gap), every measured text block holds its words and lies under no widget,
 * every label fits its widget. layout_build uses it to pick the large-text scale.
 */
bool layout_fits(const struct layout *l, const struct layout_input *in);

/* Height of one line of text at px in this layout's script (Arabic lines are taller). */
int layout_line_px(const struct layout *l, int px);

/* Capital height in mm of a font of px pixels at px_per_mm (the tests' ruler). */
double layout_cap_mm(int px, double px_per_mm);

/*
 * Called by layout_build after a screen is placed (before mirroring): every text block
 * that needs more height at its type size gets it and what lies below moves down; when the
 * screen then overflows, the flexible targets (tiles, big buttons) give up height down to
 * LAYOUT_MIN_TARGET_PX, so nothing is clipped while it can be avoided.
 */
void layout_reflow(struct layout *l, const struct layout_input *in);

/* Called by layout_build: type sizes, the speak and large-text controls at the top end
 * corner of every visitor screen (texts there made narrower), and the staff area. */
void layout_access_finish(struct layout *l, const struct layout_input *in);
void layout_access_staff_area(struct layout *l);

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
