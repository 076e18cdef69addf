/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * staff: the hidden staff menu on the kiosk. A finger held on the top-left corner of the
 * welcome screen opens a PIN pad; the right PIN opens the menu (today's numbers, health,
 * the room's light with a test). Wrong PINs make the pad wait longer each time; the menu
 * closes itself when untouched. Pure state: the app draws it and carries out its actions.
 * Never counts anything: staff taps are not visitors.
 */
#ifndef OASE_STAFF_H
#define OASE_STAFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STAFF_HOLD_MS 3000 /* how long the corner must be held */
#define STAFF_CORNER_PX 96 /* the corner's side, logical pixels */
#define STAFF_PIN_MAX 8
#define STAFF_LOCK_MAX_MS 60000

enum staff_screen { STAFF_CLOSED, STAFF_PIN, STAFF_MENU };

enum staff_action {
    STAFF_ACTION_NONE,
    STAFF_ACTION_SCENE,      /* override the light with scene `scene` until the next change */
    STAFF_ACTION_SCHEDULE,   /* end the override: back to the schedule */
    STAFF_ACTION_TEST_LIGHT, /* show the light test level */
    STAFF_ACTION_NEXT_SOUND, /* the next sound source: sea, rain, forest, music, off */
    STAFF_ACTION_TEST_SOUND, /* sound on at the normal level until the next scheduled change */
};

struct staff {
    char pin[STAFF_PIN_MAX + 1]; /* "" = the menu is off */
    int close_ms;                /* untouched this long: closes */
    enum staff_screen screen;
    char entered[STAFF_PIN_MAX + 1]; /* digits typed so far */
    int failures;                    /* wrong PINs since the last right one */
    int64_t locked_until_ms;         /* the pad ignores digits until then */
    int64_t last_touch_ms;
    bool wrong;          /* the last PIN was wrong (shown until the next digit) */
    unsigned generation; /* increases whenever the picture must change */
};

void staff_init(struct staff *staff, const char *pin, int close_ms);

/* Opens the PIN pad (after the held corner). Returns 0, or -EPERM when no PIN is set. */
int staff_open(struct staff *staff, int64_t now_ms);

/*
 * A tap on a staff widget: pin:0..pin:9, pin:clear, pin:ok, close, scene:NAME,
 * scene:schedule, light:test, sound:next, sound:test. Returns the action for the app (the scene
 * name is copied to scene, up to scene_size), STAFF_ACTION_NONE for taps that only change the pad
 * or menu.
 */
enum staff_action staff_tap(struct staff *staff, const char *id, int64_t now_ms, char *scene,
                            size_t scene_size);

/* Closes the pad or menu when untouched for close_ms. Returns 1 when it closed. */
int staff_tick(struct staff *staff, int64_t now_ms);

/* When staff_tick has work next (INT64_MAX when closed). */
int64_t staff_next_deadline_ms(const struct staff *staff);

/* True while the pad refuses digits after wrong PINs. */
bool staff_locked(const struct staff *staff, int64_t now_ms);

#endif
