/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_supervise: the kiosk under systemd (Type=notify, WatchdogSec=). READY=1 once the
 * first frame is on screen, a STATUS= line when the screen or a fault changes, WATCHDOG=1
 * from the main loop only while the loop goes round and the store's writer keeps up, and
 * STOPPING=1 at the end. A hung loop sends nothing, so systemd kills and restarts it.
 * Also watches the touchscreen come and go. Without NOTIFY_SOCKET only the touch watch runs.
 */
#include "app/app_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define STORE_STUCK_MS 60000 /* the writer tries at least every ~32 s (30 s pause + busy 2 s) */
#define TOUCH_CHECK_MS 2000  /* how often the touch device count is looked at */

void app_supervise_open(struct app *app)
{
    char why[256];
    presence_init(&app->touch);
    app->notify = notify_open(why, sizeof why);
    if (why[0]) {
        log_msg(LOG_WARN, "systemd: %s", why);
    }
    int64_t now = notify_monotonic_ms();
    liveness_init(&app->liveness, now, STORE_STUCK_MS);
    int64_t timeout = notify_watchdog_timeout_ms(app->notify);
    if (timeout > 0) {
        log_msg(LOG_INFO,
                "systemd: watchdog %lld ms; pinged every %lld ms while the main loop runs and "
                "the database keeps up",
                (long long)timeout, (long long)timeout / 2);
    }
}

/*
 * "welcome screen; database ok" and the faults a technician should see in systemctl
 * status. The store's error is its current one (cleared once the disk takes writes again).
 */
static void compose_status(struct app *app, int64_t now, char *out, size_t size)
{
    char database[240] = "database ok";
    char store_error[200];
    store_last_error(app->store, store_error, sizeof store_error);
    struct store_health data;
    store_health(app->store, &data);
    if (liveness_store_stuck(&app->liveness, now)) {
        snprintf(database, sizeof database, "database writer stuck");
    } else if (data.holding) {
        snprintf(database, sizeof database, "database refuses writes, %d wait in memory: %.150s",
                 data.held, store_error);
    } else if (store_error[0]) {
        snprintf(database, sizeof database, "database, last error: %s", store_error);
    }
    struct audio_status sound;
    audio_status(app->audio, &sound);
    int n = snprintf(out, size, "%s screen; %s%s%s", app_screen_name(app), database,
                     sound.device_ok || app->options->headless ? "" : "; no sound device",
                     app->touch.state == 0 ? "; no touchscreen" : "");
    if (n < 0) {
        snprintf(out, size, "running");
    }
}

static void watch_touch(struct app *app, int64_t now)
{
    if (app->options->headless ||
        (app->touch.state >= 0 && now - app->touch_checked_ms < TOUCH_CHECK_MS)) {
        return;
    }
    app->touch_checked_ms = now;
    int devices = SDL_GetNumTouchDevices();
    switch (presence_update(&app->touch, devices > 0)) {
    case PRESENCE_MISSING:
        log_msg(LOG_WARN,
                "touchscreen: none found (SDL sees no touch device); the kiosk keeps running "
                "and a mouse works; check the cable and that the oase user is in the input "
                "group (ls -l /dev/input)");
        break;
    case PRESENCE_BACK:
        log_msg(LOG_INFO, "touchscreen: found again (%d touch device(s))", devices);
        break;
    case PRESENCE_SAME:
        break;
    }
}

void app_supervise_frame(struct app *app)
{
    if (!app->notify) {
        return;
    }
    liveness_loop_pass(&app->liveness, notify_monotonic_ms());
    if (!app->ready_sent) {
        app->ready_sent = true;
        notify_ready(app->notify); /* no systemd listening: nothing to report to */
    }
}

void app_supervise_pass(struct app *app)
{
    if (app->notify) {
        liveness_loop_pass(&app->liveness, notify_monotonic_ms());
    }
}

void app_supervise_tick(struct app *app)
{
    int64_t now = notify_monotonic_ms();
    watch_touch(app, now);
    if (!notify_enabled(app->notify)) {
        return;
    }
    bool was_stuck = liveness_store_stuck(&app->liveness, now);
    /* A retry on a refusing disk (full, read-only) is progress too: the store reports that
     * fault itself (host page, status line), and a restart would lose the writes it holds in
     * memory without bringing space back. Only a writer that neither commits nor tries is
     * stuck. */
    struct store_health data;
    store_health(app->store, &data);
    liveness_store(&app->liveness, now, store_queued_seq(app->store) + data.attempts_failed,
                   store_committed_seq(app->store) + data.attempts_failed);
    bool stuck = liveness_store_stuck(&app->liveness, now);
    if (stuck && !was_stuck) {
        log_msg(LOG_ERROR,
                "database: the writer has neither committed nor tried anything for %d s while "
                "writes wait; no more watchdog pings, so systemd restarts the kiosk",
                STORE_STUCK_MS / 1000);
    }
    char status[256];
    compose_status(app, now, status, sizeof status);
    notify_status(app->notify, status);
    int64_t timeout = notify_watchdog_timeout_ms(app->notify);
    if (timeout > 0 && app->ready_sent && liveness_ok(&app->liveness, now, timeout / 2)) {
        notify_watchdog(app->notify, now);
    }
}

void app_supervise_close(struct app *app)
{
    if (!app->notify) {
        return;
    }
    notify_status(app->notify, "stopping: writing what is queued");
    notify_stopping(app->notify);
    notify_close(app->notify);
    app->notify = NULL;
}
