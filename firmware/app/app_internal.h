/* SPDX-License-Identifier: EUPL-1.2 */
/* app_internal: state shared by the app's files (app.c, app_replay.c, app_screenshot.c). */
#ifndef OASE_APP_INTERNAL_H
#define OASE_APP_INTERNAL_H

#include <SDL2/SDL.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/liveness.h"
#include "core/notify.h"
#include "core/presence.h"
#include "i18n/lang.h"
#include "audio/audio.h"
#include "kiosk/journey.h"
#include "kiosk/replay.h"
#include "kiosk/staff.h"
#include "experiment/experiment.h"
#include "lights/lights.h"
#include "screens/layout.h"
#include "screens/backlight.h"
#include "screens/render.h"
#include "screens/rotation.h"
#include "store/store.h"
#include "web/web.h"

struct app {
    const struct oase_config *config;
    struct screen_kiosk screen_kiosk; /* the screens' part of config (services, hours) */
    const struct app_options *options;
    struct oase_clock clock;
    struct lang_set *langs;
    const struct lang *lang;      /* the visitor's current language */
    const struct lang *host_lang; /* nl */
    char language_codes[LANG_MAX][8];
    int language_count;
    struct store *store;
    struct lights *lights;        /* room light: schedule, fades, drivers (sim without GPIO) */
    struct audio *audio;          /* room sound: soundscapes or music, schedule, cap */
    struct web *web;              /* the host's arrivals page (own threads), NULL when off */
    struct experiment experiment; /* [experiment]: a randomised room's condition by day */
    struct journey journey;

    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Surface *surface;   /* headless render target */
    SDL_Texture *turned;    /* the logical screen, drawn here and copied turned onto a panel
                               mounted at [display] rotation; NULL when nothing turns */
    enum rotation rotation; /* the turn in force (0 when headless or without target textures) */
    int output_w, output_h; /* the output's size in logical pixels: width and height swapped
                               for 90 and 270 */
    struct backlight *backlight; /* the screen's brightness; NULL without one (HDMI, headless) */
    bool backlight_failed;       /* the last write failed (logged once) */
    int64_t touched_ms;          /* kiosk time of the last touch: a dimmed screen wakes up */
    struct screen_painter painter;

    struct layout layout;
    unsigned layout_generation; /* journey generation the layout was built for */
    char pressed_id[24];        /* widget under a finger that is down, "" if none */
    SDL_FingerID pressed_finger;
    bool dirty;         /* something changed: draw a frame */
    bool blocking_wait; /* the video driver really sleeps in SDL_WaitEventTimeout */
    int64_t last_store_tick_ms;
    bool shot_taken[2][SCREEN_COUNT + 2][LANG_MAX]; /* [large text] visitor screens, then staff
                                                       pad and menu */
    struct staff staff;                             /* the hidden staff menu */
    struct layout staff_layout;                     /* its layout while open */
    unsigned staff_layout_generation;
    int64_t hold_started_ms;            /* a finger on the staff corner since; 0 = none */
    struct store_arrival arrivals[256]; /* scratch for the staff menu's numbers */

    struct notify *notify;    /* systemd's notify socket (no-op when not under systemd) */
    struct liveness liveness; /* whether the loop and the store keep up: watchdog pings */
    bool ready_sent;          /* READY=1 went out with the first frame */
    struct presence touch;    /* the touchscreen, reported once when missing or back */
    int64_t touch_checked_ms; /* monotonic ms of the last look at the touch devices */

    int64_t ack_wait_seq;     /* record the checked-in screen waits for (its commit) */
    int64_t failed_alert_seq; /* record whose loss the desks were alerted to (once) */
    uint64_t ack_wait_since;  /* SDL ticks (real time) when that wait began */
    int64_t acked_seq;        /* last record the screen acknowledged (--ack-log written) */
    FILE *ack_log;            /* --ack-log: one line per acknowledgement, NULL = none */

    struct replay_script script; /* --replay: the checked script */
    int64_t pace_ms;             /* simulated time before each replayed tap */

    unsigned trimmed_generation;    /* layout generation after which malloc_trim last ran */
    struct clock_watch clock_watch; /* steps of the wall clock against the monotonic one */
    char clock_note[128];           /* "" or why the clock is not to be trusted (staff menu) */
    bool clock_unsynced;            /* the kernel says: not synchronised (adjtimex) */
    _Atomic int clock_state;        /* WEB_CLOCK_*: what the host page's health view shows */
    int64_t clock_sync_looked_ms;   /* monotonic time of the last look at the sync state */
    int db_lock;                    /* dblock on "<db>.lock" while the kiosk runs; -1 = none */
    int64_t web_retry_at_ms; /* monotonic time of the next try of a busy web port; 0 = none */
    int web_retry_pause_ms;  /* the pause before that try (doubles up to a minute) */
    int web_tries;           /* tries so far */

    /* speech, large text and the long press (app_access.c) */
    bool large_text;       /* the visitor chose the larger type scale */
    int access_screen;     /* the journey screen speech and large text last saw */
    int64_t long_press_ms; /* monotonic: a finger down outside the staff area since; 0 = none */
    FILE *audio_file;      /* --audio-file: the speaker's output, NULL = none */
    int64_t audio_file_ms; /* kiosk time written up to */
    uint64_t audio_file_frames;          /* frames written */
    bool speech_failed_logged;           /* a failed speak was logged once */
    struct speech_button *speech_button; /* [speech] button_line; NULL = none */
    int departures_handed; /* departure answers given to the store (the touch storm's check) */
};

#define APP_LONG_PRESS_MS 1500 /* a finger held this long anywhere reads the screen aloud */

/* --audio-file: opens the WAV (0, or -1 after logging why). No-op without the option. The
 * speech button ([speech] button_line) too: when it cannot be had, one log line says why
 * and the kiosk runs without it. */
int app_access_open(struct app *app);
/* Finishes the WAV's header and closes it. */
void app_access_close(struct app *app);
/* --audio-file: renders and writes the speaker's output up to now_ms (at most
 * APP_AUDIO_GAP_MAX_MS of a longer silence of input). No-op without the option. */
void app_access_catch_up(struct app *app, int64_t now_ms);
/* A press of the speech button since the last tick reads the screen aloud, as speak does. */
void app_access_button(struct app *app);

/* A tap on speak or large-text: acts and returns true; any other id: stops speech (a tap
 * elsewhere interrupts) and returns false. */
bool app_access_tap(struct app *app, const char *id, int64_t now_ms);
/* Reads the screen on show aloud in its language (speak, long press). */
void app_access_speak(struct app *app);
/* A new screen (or language): speech of the old one stops; large text ends with a journey. */
void app_access_screen_changed(struct app *app);
/* layout_measure_fn for the visitor's screen: the words as render.c draws them. */
int app_access_measure(void *ctx, enum layout_block block, int px, int width);
int app_access_measure_label(void *ctx, const struct ui_widget *widget, int px);
bool app_access_label_fits(void *ctx, const struct ui_widget *widget, const struct layout *layout);

/* Whether the checked-in screen shows the name yet (app.c's record_shown). */
bool app_record_shown(struct app *app);
bool app_record_failed(struct app *app);

/*
 * Hands the store the exact wording of every question and answer label in every loaded
 * language (the codebook) and the config file's hash; call after the languages and the
 * store are open, and again whenever the languages are reloaded. Problems are logged; the
 * kiosk runs on without a codebook.
 */
void app_describe_instrument(struct app *app);

/* Rebuilds the layout when the screen or language changed. */
void app_update_layout(struct app *app);

/* The layout on screen now: the staff pad or menu when open, else the visitor's screen. */
const struct layout *app_current_layout(struct app *app);

/* The name of what is on screen now (journey screen names, or staff-pin / staff-menu). */
const char *app_screen_name(const struct app *app);

/* Pointer input in logical pixels, from touch, mouse or replay. */
void app_pointer_down(struct app *app, int x, int y, SDL_FingerID finger);
void app_pointer_up(struct app *app, int x, int y, SDL_FingerID finger);

/* One input event as the live loop handles it (fingers, mouse); a quit request is ignored. */
void app_handle_event(struct app *app, const SDL_Event *ev);

/*
 * Watches the wall clock against the monotonic one (app_clock.c): on a step, re-dates this
 * run's arrivals (store_redate); sets clock_note while the clock is stale or unsynced.
 * Called first in every app_tick, before the store's tick.
 */
void app_clock_tick(struct app *app, int64_t now_ms, int64_t mono_ms);

/* True when a signal asked the live loop to end (SIGHUP). */
bool app_stop_requested(const struct app *app);

/* Timeouts, the store's clock and the lights' fades work at kiosk time now
 * (now_ms: wall clock; durations are measured on clock_mono_ms inside). */
void app_tick(struct app *app, int64_t now_ms);

/* The next instant app_tick has work to do without input. */
int64_t app_next_tick_ms(struct app *app, int64_t now_ms);

/* Draws a frame and presents it (and writes a screenshot when asked). */
void app_draw(struct app *app);

/*
 * Loads and checks the replay script and starts the simulated clock at its start time.
 * Returns 0, or -1 after reporting the script's first bad line.
 */
int app_replay_load(struct app *app, const char *path);

/* Runs the loaded script to its end; returns the exit status (0, or 1 on a failure). */
int app_replay(struct app *app);

/*
 * The kiosk under systemd (app_supervise.c). open reads NOTIFY_SOCKET (no-op without it);
 * frame: a frame was presented (READY=1 the first time); pass: the loop woke from a wait;
 * tick (from app_tick): the touch watch, STATUS=, and WATCHDOG=1 while healthy;
 * close: STOPPING=1. None can fail in a way the kiosk must handle.
 */
void app_supervise_open(struct app *app);
void app_supervise_frame(struct app *app);
void app_supervise_pass(struct app *app);
void app_supervise_tick(struct app *app);
void app_supervise_close(struct app *app);

/*
 * --ack-log: appends "ack WHAT STATE" (STATE: committed, held, pending or refused, see
 * store_seq_state) with the kiosk time and flushes it to the kernel at once, so a line
 * survives a kill of the process. No-op without --ack-log.
 */
void app_ack(struct app *app, const char *what, int64_t seq);

/* Writes the frame just drawn as DIR/<screen>-<lang>-<orientation>.png once per combination. */
void app_screenshot(struct app *app);

#endif
