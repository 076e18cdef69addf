/*
 * app_replay: drives the kiosk from a replay script (kiosk/replay.h) on simulated time.
 * Taps go through the same pointer path as a finger; waits step the clock through every
 * timeout, closing time and midnight in order, so a script can cover days in a second.
 */
#include "app/app_internal.h"

#include <stdio.h>
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
        if (now - start >= (Uint64)ms) {
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

static enum store_arrival_status host_status(const char *word)
{
    return strcmp(word, "collected") == 0 ? ARRIVAL_COLLECTED
           : strcmp(word, "no-show") == 0 ? ARRIVAL_NO_SHOW
                                          : ARRIVAL_WAITING;
}

int app_replay(struct app *app)
{
    const struct replay_script *script = &app->script;
    settle(app);
    for (size_t i = 0; i < script->count; i++) {
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
        case REPLAY_HOST:
            store_set_status(app->store, (int)cmd->ms, host_status(cmd->id), now);
            break;
        case REPLAY_REAL_WAIT:
            real_wait(app, cmd->ms);
            break;
        case REPLAY_STALL: /* a hung loop: no tick, no frame, so no watchdog ping */
            log_msg(LOG_INFO, "%s:%d: the main loop stalls for %lld ms (test)", script->path,
                    cmd->line, (long long)cmd->ms);
            SDL_Delay((Uint32)cmd->ms);
            break;
        }
        settle(app);
    }
    store_flush(app->store);
    log_msg(LOG_INFO, "%s: %zu commands replayed", script->path, script->count);
    return 0;
}
