/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_clock: keeps the kiosk's facts straight when the wall clock is wrong or jumps. A Pi
 * has no real-time clock: it boots on the last saved time (fake-hwclock) until NTP steps it.
 * Durations never use the wall clock (clock_mono_ms); this file watches the wall clock for
 * steps and for being stale, re-dates this run's arrivals on a step (store_redate) before
 * the store's tick may fold them, and keeps a note for the staff menu and the log.
 * docs/clock.md says what happens to an arrival written under a stale clock.
 */
#include "app/app_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define CLOCK_SYNC_LOOK_MS 60000 /* how often the kernel's sync state is read */
#define CLOCK_STALE_SLACK_MS 60000

static void app_clock_set_note(struct app *app, const char *note)
{
    if (strcmp(app->clock_note, note) == 0) {
        return;
    }
    if (note[0] != '\0') {
        log_msg(LOG_WARN, "clock: %s", note);
    } else {
        log_msg(LOG_INFO, "clock: synchronised again; times and days are to be trusted");
    }
    snprintf(app->clock_note, sizeof app->clock_note, "%s", note);
    app->dirty = true;
}

/* Stale: before the newest thing the database knows, or the kernel has never synced it. */
static void app_clock_judge(struct app *app, int64_t now_ms)
{
    int64_t newest = store_newest_ms(app->store);
    char note[sizeof app->clock_note] = "";
    int state = WEB_CLOCK_OK;
    if (newest > 0 && now_ms + CLOCK_STALE_SLACK_MS < newest) {
        state = WEB_CLOCK_STALE;
        struct oase_localtime local;
        clock_local(newest, &local);
        snprintf(note, sizeof note,
                 "klok niet gelijk: de klok loopt achter, het nieuwste gegeven is van %s %02d:%02d",
                 local.date, local.hour, local.minute);
    } else if (app->clock_unsynced) {
        state = WEB_CLOCK_UNSYNCED;
        snprintf(note, sizeof note, "klok niet gelijk: nog niet gesynchroniseerd (NTP)");
    }
    app->clock_state = state;
    app_clock_set_note(app, note);
}

void app_clock_tick(struct app *app, int64_t now_ms, int64_t mono_ms)
{
    bool first = !app->clock_watch.started;
    if (first) {
        /* An earlier run in this boot may have written arrivals on a stale clock, and the
         * clock may have stepped while the kiosk was down: start on that run's offset. */
        char boot_id[CLOCK_BOOT_ID_SIZE];
        int rc = clock_boot_id(&app->clock, boot_id, sizeof boot_id);
        if (rc < 0) {
            log_msg(LOG_WARN,
                    "clock: /proc/sys/kernel/random/boot_id unreadable (%s): a clock step "
                    "re-dates only this run's arrivals",
                    strerror(-rc));
        }
        clock_watch_start(&app->clock_watch,
                          store_clock_boot(app->store, boot_id, now_ms - mono_ms));
    }
    int64_t since_ms = 0;
    int64_t step_ms = clock_watch_look(&app->clock_watch, now_ms, mono_ms, &since_ms);
    if (step_ms != 0) {
        struct oase_localtime from, to;
        clock_local(now_ms - step_ms, &from);
        clock_local(now_ms, &to);
        log_msg(LOG_WARN,
                "clock: stepped %+lld s (%s %02d:%02d -> %s %02d:%02d); arrivals of this boot "
                "are re-dated by their real age (docs/clock.md)",
                (long long)(step_ms / 1000), from.date, from.hour, from.minute, to.date, to.hour,
                to.minute);
        lights_clock_stepped(app->lights, step_ms); /* a fade goes on where it was */
        if (store_redate(app->store, since_ms, step_ms, now_ms) < 0) {
            log_msg(LOG_ERROR, "clock: the re-dating of arrivals could not be queued");
        }
        app->dirty = true; /* the clock on screen */
    }
    bool look = first || step_ms != 0 || mono_ms - app->clock_sync_looked_ms >= CLOCK_SYNC_LOOK_MS;
    if (look) {
        app->clock_sync_looked_ms = mono_ms;
        app->clock_unsynced = clock_kernel_unsynced(&app->clock);
        app_clock_judge(app, now_ms);
    }
}
