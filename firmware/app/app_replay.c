/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_replay: drives the kiosk from a replay script (kiosk/replay.h) on simulated time.
 * Taps go through the same pointer path as a finger; waits step the clock through every
 * timeout, closing time and midnight in order, so a script can cover days in a second.
 */
#include "app/app_internal.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define STEP_MAX_MS 60000 /* the store checks closing time and midnight at least this often */
#define DEFAULT_PACE_MS 600

int app_replay_load(struct app *app, const char *path)
{
    char err[512];
    if (replay_load(&app->script, path, err, sizeof err) != 0) {
        log_msg(LOG_ERROR, "%s", err);
        return -1;
    }
    int64_t start = app->script.start_ms;
    if (start == 0) {
        start = clock_now_ms(&app->clock) / 60000 * 60000;
    }
    clock_init_simulated(&app->clock, start);
    clock_set_uptime(&app->clock, app->script.uptime_ms); /* 0: the default */
    app->pace_ms = DEFAULT_PACE_MS;
    return 0;
}

/* Moves simulated time to target, handling every deadline on the way in order. */
static void advance_to(struct app *app, int64_t target)
{
    for (;;) {
        int64_t now = clock_now_ms(&app->clock);
        app_tick(app, now);
        if (now >= target) {
            break;
        }
        int64_t next = app_next_tick_ms(app, now);
        int64_t step = now + STEP_MAX_MS;
        next = next < step ? next : step;
        next = next < target ? next : target;
        clock_advance(&app->clock, next > now ? next - now : 1);
        app_supervise_pass(app); /* the replay's loop went round */
    }
}

/* Lets the store catch up and draws the frame, as a person would see it. */
static void settle(struct app *app)
{
    store_flush(app->store);
    app_update_layout(app);
    if (app->dirty) {
        app_draw(app);
    }
}

/* real-wait: real time passes with the loop alive, as in the live loop (test-only). */
static void real_wait(struct app *app, int64_t ms)
{
    Uint64 start = SDL_GetTicks64(), last = start;
    for (;;) {
        Uint64 now = SDL_GetTicks64();
        advance_to(app, clock_now_ms(&app->clock) + (int64_t)(now - last));
        last = now;
        app->dirty = true; /* a frame each round, like the calm scene's animation */
        settle(app);
        if (now - start >= (Uint64)ms || app_stop_requested(app)) {
            break;
        }
        SDL_Delay(10);
    }
}

static void list_widgets(const struct layout *layout, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < layout->count && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", layout->widgets[i].id);
        if (n < 0) {
            break;
        }
        used += (size_t)n;
    }
}

static void tap_at(struct app *app, int x, int y)
{
    app_pointer_down(app, x, y, 0);
    settle(app); /* the pressed state is a frame of its own, as on the screen */
    app_pointer_up(app, x, y, 0);
}

/* Resident memory from /proc/self/status, in kB. */
struct memory_kb {
    long rss;  /* VmRSS: what the soak judges */
    long hwm;  /* VmHWM: the peak */
    long anon; /* RssAnon: heap, stacks, anonymous maps */
    long file; /* RssFile: mapped files (fonts, libraries, SQLite's -shm) */
};

/*
 * Reads VmRSS, VmHWM, RssAnon and RssFile. Returns 0, or -errno when the file cannot be
 * read (no /proc) or lacks a line; *out is unchanged then.
 */
static int read_memory_kb(struct memory_kb *out)
{
    static const char *const keys[] = {"VmRSS:", "VmHWM:", "RssAnon:", "RssFile:"};
    FILE *file = fopen("/proc/self/status", "r");
    if (!file) {
        return -errno;
    }
    long values[4] = {-1, -1, -1, -1};
    char line[256];
    while (fgets(line, sizeof line, file)) {
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            size_t n = strlen(keys[i]);
            if (strncmp(line, keys[i], n) == 0) {
                values[i] = strtol(line + n, NULL, 10);
            }
        }
    }
    fclose(file);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (values[i] < 0) {
            return -ENODATA;
        }
    }
    *out = (struct memory_kb){values[0], values[1], values[2], values[3]};
    return 0;
}

/*
 * The memory line a soak run reads, e.g.
 * "memory: 2026-03-09 17:05 rss_kb=42908 hwm_kb=43000 anon_kb=30000 file_kb=12908 heap_kb=9000"
 * heap_kb: bytes malloc has handed out and not got back (glibc's mallinfo2: every arena and
 * the blocks it mapped on their own);
 * -1 where the C library cannot tell.
 */
static void log_memory(struct app *app, const struct replay_command *cmd)
{
    struct oase_localtime local;
    clock_local(clock_now_ms(&app->clock), &local);
    struct memory_kb kb = {0};
    int rc = read_memory_kb(&kb);
    if (rc != 0) {
        log_msg(LOG_WARN, "%s:%d: memory: cannot read /proc/self/status: %s", app->script.path,
                cmd->line, strerror(-rc));
        return;
    }
    long long heap_kb = -1;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    heap_kb = (long long)((info.uordblks + info.hblkhd) / 1024); /* arenas + mmapped blocks */
#endif
    log_msg(LOG_INFO,
            "memory: %s %02d:%02d rss_kb=%ld hwm_kb=%ld anon_kb=%ld file_kb=%ld heap_kb=%lld",
            local.date, local.hour, local.minute, kb.rss, kb.hwm, kb.anon, kb.file, heap_kb);
}

static enum store_arrival_status host_status(const char *word)
{
    return strcmp(word, "collected") == 0 ? ARRIVAL_COLLECTED
           : strcmp(word, "no-show") == 0 ? ARRIVAL_NO_SHOW
                                          : ARRIVAL_WAITING;
}

/* --- touch storm ------------------------------------------------------------------------ */

#define STORM_FINGERS 3     /* fingers that may be down at once */
#define STORM_FRAME_MS 16   /* a frame is drawn at most this often, as on a 60 Hz panel */
#define STORM_STRAY_ID 1000 /* finger ids from here on never went down */

struct storm {
    uint64_t random;
    bool down[STORM_FINGERS];
    float down_x[STORM_FINGERS], down_y[STORM_FINGERS]; /* where each finger went down */
    bool mouse_down;
    long long touches, strays, outside, multi, mouse;
    int most_down;
    int checkins_made, departures_shown;
    int guard_broken; /* taps acted on within JOURNEY_GUARD_MS of their screen appearing */
    int64_t guard_broken_at;
    int invalid; /* moments the screen state was not a valid one */
};

static uint32_t storm_next(struct storm *storm)
{
    /* xorshift64*: a fixed sequence per seed, the same on every machine */
    storm->random ^= storm->random >> 12;
    storm->random ^= storm->random << 25;
    storm->random ^= storm->random >> 27;
    return (uint32_t)((storm->random * 0x2545F4914F6CDD1DULL) >> 32);
}

static float storm_unit(struct storm *storm)
{
    return (float)(storm_next(storm) & 0xffffff) / (float)0x1000000;
}

/*
 * Where the next touch lands, as fractions of the screen (SDL's finger coordinates): mostly
 * on a widget of the screen showing, so journeys really happen; else anywhere, and one in
 * ten outside the screen (-1 .. 2).
 */
static void storm_target(struct app *app, struct storm *storm, float *x, float *y)
{
    const struct layout *layout = app_current_layout(app);
    uint32_t pick = storm_next(storm) % 100;
    if (pick < 60 && layout->count > 0) {
        const struct ui_widget *w = &layout->widgets[storm_next(storm) % (uint32_t)layout->count];
        *x = ((float)w->rect.x + (float)w->rect.w * storm_unit(storm)) / (float)app->config->width;
        *y = ((float)w->rect.y + (float)w->rect.h * storm_unit(storm)) / (float)app->config->height;
    } else if (pick < 90) {
        *x = storm_unit(storm);
        *y = storm_unit(storm);
    } else {
        *x = storm_unit(storm) * 3.0f - 1.0f;
        *y = storm_unit(storm) * 3.0f - 1.0f;
        storm->outside++;
    }
}

/* Sends one event through the app's event path and checks what the journey made of it. */
static void storm_send(struct app *app, struct storm *storm, const SDL_Event *ev)
{
    const struct journey *journey = &app->journey;
    unsigned generation = journey->generation;
    enum journey_screen before = journey_current(journey);
    int name_before = journey->name_number;
    int64_t since = journey->screen_since_ms; /* the journey runs on monotonic time */
    int64_t now = clock_mono_ms(&app->clock);

    app_handle_event(app, ev);

    enum journey_screen after = journey_current(journey);
    if (journey->generation != generation) {
        if (now - since < JOURNEY_GUARD_MS && app->staff.screen == STAFF_CLOSED) {
            storm->guard_broken++;
            storm->guard_broken_at = now - since;
        }
        /* A check-in is made when the visitor gets a name (the service is chosen), whether
         * or not the questions after it end on the checked-in screen (restart, help). */
        if (journey->name_number != 0 && journey->name_number != name_before) {
            storm->checkins_made++;
        }
        if (after == SCREEN_GOODBYE && before != SCREEN_GOODBYE) {
            storm->departures_shown++;
        }
    }
    const struct layout *layout = app_current_layout(app);
    if ((int)after < 0 || after >= SCREEN_COUNT || layout->count <= 0 ||
        app_screen_name(app)[0] == '\0') {
        storm->invalid++;
    }
}

static void storm_finger(struct app *app, struct storm *storm, Uint32 type, SDL_FingerID finger,
                         float x, float y)
{
    SDL_Event ev = {.type = type};
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = finger;
    ev.tfinger.x = x;
    ev.tfinger.y = y;
    ev.tfinger.pressure = 1.0f;
    storm_send(app, storm, &ev);
}

static void storm_mouse(struct app *app, struct storm *storm, Uint32 type, float x, float y,
                        bool from_touch)
{
    SDL_Event ev = {.type = type};
    ev.button.which = from_touch ? SDL_TOUCH_MOUSEID : 0; /* SDL's copy of a touch: ignored */
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.button.clicks = 1;
    ev.button.x = (Sint32)(x * (float)app->output_w);
    ev.button.y = (Sint32)(y * (float)app->output_h);
    storm_send(app, storm, &ev);
}

/* One random touch: a finger down or up, several at once, a stray up, or the mouse. */
static void storm_step(struct app *app, struct storm *storm)
{
    uint32_t kind = storm_next(storm) % 100;
    float x, y;
    storm->touches++;
    if (kind < 70) {
        int f = (int)(storm_next(storm) % STORM_FINGERS);
        if (storm->down[f]) {
            bool same = storm_next(storm) % 5 != 0; /* mostly a tap: up where it went down */
            if (same) {
                x = storm->down_x[f];
                y = storm->down_y[f];
            } else {
                storm_target(app, storm, &x, &y);
            }
            storm->down[f] = false;
            storm_finger(app, storm, SDL_FINGERUP, f, x, y);
        } else {
            storm_target(app, storm, &x, &y);
            storm->down[f] = true;
            storm->down_x[f] = x;
            storm->down_y[f] = y;
            storm_finger(app, storm, SDL_FINGERDOWN, f, x, y);
        }
    } else if (kind < 80) {
        storm_target(app, storm, &x, &y); /* a finger up that never went down */
        storm->strays++;
        storm_finger(app, storm, SDL_FINGERUP, STORM_STRAY_ID + storm_next(storm) % 1000, x, y);
    } else if (kind < 90) {
        storm->multi++; /* every finger that is up goes down in the same instant */
        for (int f = 0; f < STORM_FINGERS; f++) {
            if (!storm->down[f]) {
                storm_target(app, storm, &x, &y);
                storm->down[f] = true;
                storm->down_x[f] = x;
                storm->down_y[f] = y;
                storm_finger(app, storm, SDL_FINGERDOWN, f, x, y);
            }
        }
    } else {
        storm->mouse++;
        bool from_touch = storm_next(storm) % 4 == 0;
        storm_target(app, storm, &x, &y);
        Uint32 type = storm->mouse_down ? SDL_MOUSEBUTTONUP : SDL_MOUSEBUTTONDOWN;
        if (!from_touch) {
            storm->mouse_down = !storm->mouse_down;
        }
        storm_mouse(app, storm, type, x, y, from_touch);
    }
    int down = 0;
    for (int f = 0; f < STORM_FINGERS; f++) {
        down += storm->down[f];
    }
    storm->most_down = down > storm->most_down ? down : storm->most_down;
}

/*
 * Runs a touch storm on simulated time and checks: every check-in shown was counted once
 * in the store (none lost, none double), no tap acted within the guard time of its
 * screen, and the screen stayed a valid one. Returns 0 or 1 (reported with file:line).
 */
static int storm_run(struct app *app, const struct replay_script *script,
                     const struct replay_command *cmd)
{
    struct storm storm = {.random = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)cmd->seed << 1)};
    store_flush(app->store);
    struct store_today before;
    store_today(app->store, clock_now_ms(&app->clock), &before);
    int departures_before = app->departures_handed;

    int64_t start = clock_now_ms(&app->clock);
    int64_t total = cmd->ms * cmd->rate / 1000;
    int64_t drawn = start;
    for (int64_t i = 0; i < total; i++) {
        advance_to(app, start + (i * 1000) / cmd->rate); /* timeouts fire on the way */
        storm_step(app, &storm);
        int64_t now = clock_now_ms(&app->clock);
        if (now - drawn >= STORM_FRAME_MS) {
            app_update_layout(app);
            if (app->dirty) {
                app_draw(app);
            }
            drawn = now;
        }
    }
    for (int f = 0; f < STORM_FINGERS; f++) { /* every finger leaves the glass */
        if (storm.down[f]) {
            storm_finger(app, &storm, SDL_FINGERUP, f, storm.down_x[f], storm.down_y[f]);
        }
    }
    if (storm.mouse_down) {
        storm_mouse(app, &storm, SDL_MOUSEBUTTONUP, 0.5f, 0.5f, false);
    }
    advance_to(app, start + cmd->ms);
    settle(app);

    struct store_today after;
    store_today(app->store, clock_now_ms(&app->clock), &after);
    int counted = after.checkins - before.checkins;
    int departures = app->departures_handed - departures_before;
    /* A departure the storm left open is handed over later (its still-there times out). */
    const struct journey *journey = &app->journey;
    enum journey_screen open_screen = journey_current(journey);
    if (!journey_is_question(open_screen) && open_screen != SCREEN_WELCOME &&
        open_screen != SCREEN_GOODBYE && open_screen != SCREEN_CHECKED_IN &&
        open_screen != SCREEN_CLOSED) {
        open_screen = journey->resume_screen; /* still-there, language or help of a question */
    }
    bool departure_open = open_screen == SCREEN_LEAVE || open_screen == SCREEN_LEAVE_NAME ||
                          open_screen == SCREEN_LEAVE_NUMBER;
    departures += departure_open ? 1 : 0;
    log_msg(LOG_INFO,
            "%s:%d: storm: %lld touches in %lld s (%lld with every finger down at once, at most "
            "%d down; %lld ups without a down; %lld outside the screen; %lld mouse): %d "
            "check-ins made and %d departures shown, %d check-ins counted, %d departure "
            "answers handed over (a departure left open counted too)",
            script->path, cmd->line, storm.touches, (long long)(cmd->ms / 1000), storm.multi,
            storm.most_down, storm.strays, storm.outside, storm.mouse, storm.checkins_made,
            storm.departures_shown, counted, departures);
    if (counted != storm.checkins_made) {
        log_msg(LOG_ERROR, "%s:%d: storm: %d check-ins made but %d counted in the store",
                script->path, cmd->line, storm.checkins_made, counted);
        return 1;
    }
    if (storm.guard_broken > 0) {
        log_msg(LOG_ERROR,
                "%s:%d: storm: %d taps acted on within %d ms of their screen (one after %lld ms)",
                script->path, cmd->line, storm.guard_broken, JOURNEY_GUARD_MS,
                (long long)storm.guard_broken_at);
        return 1;
    }
    if (storm.invalid > 0) {
        log_msg(LOG_ERROR, "%s:%d: storm: the screen was in an invalid state %d times",
                script->path, cmd->line, storm.invalid);
        return 1;
    }
    return 0;
}

/*
 * The widget a calm visitor taps on a check-in screen in a default check-in, or NULL: by
 * the screen's form, so a new question needs no line here.
 */
static const struct ui_widget *default_answer(const struct layout *layout,
                                              enum journey_screen screen, int service_number)
{
    char id[24];
    switch (journey_screen_form(screen)) {
    case JOURNEY_FORM_WELCOME:
        return layout_find(layout, "checkin");
    case JOURNEY_FORM_TILES:
        snprintf(id, sizeof id, "service:%d", service_number);
        return layout_find(layout, id);
    case JOURNEY_FORM_SCALE:
        return layout_find(layout, "skip");
    case JOURNEY_FORM_TWO_CHOICES: /* the "no" of the two (value 0) */
        for (int i = 0; i < layout->count; i++) {
            if (layout->widgets[i].style == WIDGET_SECONDARY && layout->widgets[i].value == 0) {
                return &layout->widgets[i];
            }
        }
        return NULL;
    default:
        return NULL;
    }
}

/* checkin-default: taps through a check-in with the default answers (replay.h). */
static int checkin_default(struct app *app, const struct replay_script *script,
                           const struct replay_command *cmd)
{
    for (int step = 0; step < SCREEN_COUNT; step++) {
        enum journey_screen screen = journey_current(&app->journey);
        if (screen == SCREEN_CHECKED_IN) {
            return 0;
        }
        const struct ui_widget *widget =
            default_answer(app_current_layout(app), screen, (int)cmd->ms);
        if (!widget || (step > 0 && screen == SCREEN_WELCOME)) {
            log_msg(LOG_ERROR, "%s:%d: checkin-default: stopped on the %s screen", script->path,
                    cmd->line, app_screen_name(app));
            return -1;
        }
        advance_to(app, clock_now_ms(&app->clock) + app->pace_ms);
        settle(app);
        tap_at(app, widget->rect.x + widget->rect.w / 2, widget->rect.y + widget->rect.h / 2);
    }
    log_msg(LOG_ERROR, "%s:%d: checkin-default: no checked-in screen after %d taps (on %s)",
            script->path, cmd->line, SCREEN_COUNT, app_screen_name(app));
    return -1;
}

int app_replay(struct app *app)
{
    const struct replay_script *script = &app->script;
    settle(app);
    for (size_t i = 0; i < script->count && !app_stop_requested(app); i++) {
        const struct replay_command *cmd = &script->commands[i];
        int64_t now = clock_now_ms(&app->clock);
        switch (cmd->op) {
        case REPLAY_TAP: {
            advance_to(app, now + app->pace_ms);
            settle(app);
            const struct layout *layout = app_current_layout(app);
            const struct ui_widget *widget = layout_find(layout, cmd->id);
            if (!widget) {
                char ids[512];
                list_widgets(layout, ids, sizeof ids);
                log_msg(LOG_ERROR, "%s:%d: tap %s: no such widget on the %s screen (it has: %s)",
                        script->path, cmd->line, cmd->id, app_screen_name(app), ids);
                return 1;
            }
            tap_at(app, widget->rect.x + widget->rect.w / 2, widget->rect.y + widget->rect.h / 2);
            break;
        }
        case REPLAY_CHECKIN_DEFAULT:
            if (checkin_default(app, script, cmd) != 0) {
                return 1;
            }
            break;
        case REPLAY_TAP_AT:
            advance_to(app, now + app->pace_ms);
            settle(app);
            tap_at(app, cmd->x, cmd->y);
            break;
        case REPLAY_WAIT:
            advance_to(app, now + cmd->ms);
            break;
        case REPLAY_HOLD: /* a finger held down, e.g. on the staff corner */
            advance_to(app, now + app->pace_ms);
            settle(app);
            app_pointer_down(app, cmd->x, cmd->y, 0);
            advance_to(app, clock_now_ms(&app->clock) + cmd->ms);
            settle(app);
            app_pointer_up(app, cmd->x, cmd->y, 0);
            break;
        case REPLAY_PACE:
            app->pace_ms = cmd->ms;
            break;
        case REPLAY_EXPECT: {
            const char *showing = app_screen_name(app);
            if (strcmp(showing, cmd->id) != 0) {
                log_msg(LOG_ERROR, "%s:%d: expect-screen %s: the kiosk shows %s", script->path,
                        cmd->line, cmd->id, showing);
                return 1;
            }
            break;
        }
        case REPLAY_ADVANCE_TO:
            if (cmd->ms < now) {
                struct oase_localtime local;
                clock_local(now, &local);
                log_msg(LOG_ERROR,
                        "%s:%d: advance-to: the kiosk's time is already %s %02d:%02d, past it "
                        "(accepted: a local time not before the kiosk's time)",
                        script->path, cmd->line, local.date, local.hour, local.minute);
                return 1;
            }
            advance_to(app, cmd->ms);
            break;
        case REPLAY_MEMORY:
            log_memory(app, cmd);
            break;
        case REPLAY_CLOCK_STEP: /* the wall clock jumps; monotonic time goes on */
            clock_step(&app->clock, cmd->ms);
            app_tick(app, clock_now_ms(&app->clock));
            break;
        case REPLAY_HOST: {
            /* The host page acknowledges a mark once it is queued; a replay once it is on disk. */
            int64_t seq = store_set_status(app->store, (int)cmd->ms, host_status(cmd->id), now);
            store_flush(app->store);
            char what[48];
            snprintf(what, sizeof what, "host %d %s", (int)cmd->ms, cmd->id);
            app_ack(app, what, seq);
            break;
        }
        case REPLAY_REAL_WAIT:
            real_wait(app, cmd->ms);
            break;
        case REPLAY_STALL: /* a hung loop: no tick, no frame, so no watchdog ping */
            log_msg(LOG_INFO, "%s:%d: the main loop stalls for %lld ms (test)", script->path,
                    cmd->line, (long long)cmd->ms);
            SDL_Delay((Uint32)cmd->ms);
            break;
        case REPLAY_STORM:
            if (storm_run(app, script, cmd) != 0) {
                return 1;
            }
            break;
        }
        settle(app);
    }
    store_flush(app->store);
    log_msg(LOG_INFO, "%s: %zu commands replayed", script->path, script->count);
    return 0;
}
