/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_draw: one frame of the kiosk (the journey's screen, the staff menu over it) and what it
 * acknowledges: whether a check-in's name may be shown yet, and the --ack-log lines.
 */
#include "app/app_internal.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>

#include "core/log.h"

/* --- drawing ------------------------------------------------------------------------- */

static const char *seq_state_name(enum store_seq_state state)
{
    switch (state) {
    case STORE_SEQ_COMMITTED:
        return "committed";
    case STORE_SEQ_FAILED:
        return "lost"; /* given up: never acknowledged as committed */
    case STORE_SEQ_HELD:
        return "held";
    case STORE_SEQ_PENDING:
        return "pending";
    case STORE_SEQ_REFUSED:
        break;
    }
    return "refused";
}

void app_ack(struct app *app, const char *what, int64_t seq)
{
    if (!app->ack_log) {
        return;
    }
    struct oase_localtime local;
    clock_local(clock_now_ms(&app->clock), &local);
    fprintf(app->ack_log, "ack %s %02d:%02d %s %s\n", local.date, local.hour, local.minute, what,
            seq_state_name(store_seq_state(app->store, seq)));
    fflush(app->ack_log);
}

/*
 * Whether the checked-in screen may show the friendly name: once its check-in is on disk,
 * at once when the disk refuses writes (it is held in memory and written when the disk is
 * back), and after ACK_BOUND_MS of real time in any case: a slow or failing disk never
 * leaves a visitor standing at "Een moment...". docs/decisions.md: "acknowledged".
 */
bool record_shown(struct app *app)
{
    int64_t seq = app->journey.record_seq;
    if (store_seq_state(app->store, seq) != STORE_SEQ_PENDING) {
        return true;
    }
    if (app->ack_wait_seq != seq) {
        app->ack_wait_seq = seq;
        app->ack_wait_since = SDL_GetTicks64();
    }
    return SDL_GetTicks64() - app->ack_wait_since >= ACK_BOUND_MS;
}

/*
 * Whether the store gave this journey's check-in up (STORE_SEQ_FAILED, after its retries):
 * the checked-in screen then shows no name but sends the visitor to the desk, and every desk
 * is alerted once, as for the help button. The ack-log says "lost".
 */
bool app_record_failed(struct app *app)
{
    const struct journey *j = &app->journey;
    if (!j->recorded || j->record_seq <= 0 ||
        store_seq_state(app->store, j->record_seq) != STORE_SEQ_FAILED) {
        return false;
    }
    if (app->failed_alert_seq != j->record_seq) {
        app->failed_alert_seq = j->record_seq;
        web_help_request(app->web);
        log_msg(LOG_WARN,
                "een aanmelding is niet opgeslagen: de bezoeker is naar de balie gestuurd");
    }
    return true;
}

/* Logs what the screen just acknowledged (--ack-log): a check-in's name, a departure's thanks. */
static void note_acknowledged(struct app *app, bool name_shown)
{
    const struct journey *j = &app->journey;
    enum journey_screen screen = journey_current(j);
    /* A departure answer goes to the pool (written with k others): nothing to acknowledge. */
    if (j->record_seq == app->acked_seq || !j->recorded || j->record_seq <= 0 ||
        !(screen == SCREEN_CHECKED_IN && name_shown)) {
        return;
    }
    app->acked_seq = j->record_seq;
    char what[96];
    snprintf(what, sizeof what, "checkin %d", j->name_number);
    app_ack(app, what, j->record_seq);
}

static void draw_staff(struct app *app)
{
    struct lights_status lights;
    lights_status(app->lights, &lights);
    char store_error[256];
    store_last_error(app->store, store_error, sizeof store_error);
    struct audio_status audio;
    audio_status(app->audio, &audio);
    char sound[160];
    if (!audio.device_ok) {
        snprintf(sound, sizeof sound, "%s, geen geluidskaart (stil)", audio.requested);
    } else if (audio.silent && audio.target_silent) {
        snprintf(sound, sizeof sound, "%s, stil (buiten de tijden)", audio.requested);
    } else {
        snprintf(sound, sizeof sound, "%s, %.0f dB", audio.source,
                 audio.target_silent ? audio.level_db : audio.target_db);
    }
    struct staff_view view = {
        .layout = app_current_layout(app),
        .staff = &app->staff,
        .host_lang = app->host_lang,
        .pressed_id = app->pressed_id[0] ? app->pressed_id : NULL,
        .now_ms = clock_now_ms(&app->clock),
        .mono_ms = clock_mono_ms(&app->clock),
        .clock_note = app->clock_note,
        .arrivals_today = store_arrivals(app->store, app->arrivals,
                                         (int)(sizeof app->arrivals / sizeof app->arrivals[0])),
        .waiting_now = store_waiting_count(app->store),
        .lights = &lights,
        .sound = sound,
        .store_error = store_error,
        .failed_writes = (long long)store_failed_writes(app->store),
    };
    view.have_wait_range = store_wait_range(app->store, app->config->wait_estimate_min_samples,
                                            &view.wait_low_min, &view.wait_high_min);
    screen_draw_staff(&app->painter, &view);
}

/*
 * Ends a frame: the screenshot (when asked) from the logical picture, then, on a turned
 * panel, the logical texture copied onto the output turned by the rotation, and present.
 */
void finish_frame(struct app *app, bool screenshot)
{
    if (screenshot) {
        app_screenshot(app); /* reads the render target: the unturned logical screen */
    }
    if (app->turned) {
        SDL_SetRenderTarget(app->renderer, NULL);
        SDL_SetRenderDrawColor(app->renderer, 0, 0, 0, 255);
        SDL_RenderClear(app->renderer);
        double x, y, w, h;
        rotation_copy_rect(app->rotation, app->config->width, app->config->height, &x, &y, &w, &h);
        SDL_FRect dst = {(float)x, (float)y, (float)w, (float)h};
        SDL_RenderCopyExF(app->renderer, app->turned, NULL, &dst, (double)app->rotation, NULL,
                          SDL_FLIP_NONE);
    }
    SDL_RenderPresent(app->renderer);
    app_supervise_frame(app); /* READY=1 with the first frame */
    if (app->turned) {
        SDL_SetRenderTarget(app->renderer, app->turned); /* the next frame draws here */
    }
    app->dirty = false;
}

void app_draw(struct app *app)
{
    if (staff_open_now(app)) {
        draw_staff(app);
        finish_frame(app, app->options->screenshots_dir && !app->pressed_id[0]);
        return;
    }
    app_update_layout(app);
    struct screen_view view = {
        .layout = &app->layout,
        .journey = &app->journey,
        .lang = app->lang,
        .host_lang = app->host_lang,
        .langs = app->langs,
        .kiosk = &app->screen_kiosk,
        .pressed_id = app->pressed_id[0] ? app->pressed_id : NULL,
        .now_ms = clock_now_ms(&app->clock),
        .mono_ms = clock_mono_ms(&app->clock),
        .animate = app->config->calm_animation,
        .record_committed = record_shown(app),
        .record_failed = app_record_failed(app),
        .have_wait_range = app->journey.wait_range_shown, /* as recorded with the check-in */
        .wait_low_min = app->journey.wait_low_min,
        .wait_high_min = app->journey.wait_high_min,
    };
    screen_draw(&app->painter, &view);
    note_acknowledged(app, view.record_committed);
    finish_frame(app,
                 app->options->screenshots_dir && !app->pressed_id[0] && view.record_committed);
    if (app->trimmed_generation != app->layout_generation) {
        /* The new screen is on the glass: give the kernel back the pages the old one freed
         * (evicted textures, layout and cairo scratch). glibc keeps freed memory inside its
         * heap otherwise; this lowers the 100-journey peak by 1.1 MB for about 0.1 ms a
         * screen change, after the frame, so no tap waits for it. */
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        app->trimmed_generation = app->layout_generation;
    }
}

bool app_record_shown(struct app *app)
{
    return record_shown(app);
}
