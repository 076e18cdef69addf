/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app: see app.h. Flow: SDL event -> app_pointer_* -> journey -> store (queued) and a
 * redraw; the loop sleeps until the next input, timeout or animation step.
 */
#include "app/app_internal.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include "core/dblock.h"
#include "core/log.h"
#include "core/perms.h"
#include "kiosk/names.h"
#include "ui/draw.h"
#include "ui/text.h"

#define STORE_TICK_MS 1000
#define COMMIT_POLL_MS 5        /* while a check-in waits for its commit */
#define ACK_BOUND_MS 2000       /* the longest a visitor waits for it (then: held in memory) */
#define ANIMATION_FRAME_MS 100  /* the calm scene at most 10 frames a second */
#define WEB_RETRY_FIRST_MS 1000 /* a busy web port is tried again after 1, 2, 4 ... s */
#define WEB_RETRY_MAX_MS 60000

/*
 * SIGHUP (an administrator's reload habit) ends the kiosk the clean way, as SIGTERM does:
 * the store commits what is queued, the lights go to their safe level, and systemd
 * (Restart=always) starts it again with the config as it is on disk now. Decided over an
 * in-place reload: every module gets its part of the config at open; a restart re-checks
 * the whole file and takes under a second (docs/deploy.md, "Signals").
 */
static volatile sig_atomic_t stop_signal;

static void note_stop_signal(int signal_number)
{
    stop_signal = signal_number;
}

bool app_stop_requested(const struct app *app)
{
    (void)app;
    return stop_signal != 0;
}

static void catch_hangup(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGHUP, &action, NULL);
}

/* --- the journey's sink: records go to the store ------------------------------------ */

/*
 * The journey runs on monotonic time (its guard and timeouts); what it hands the sink is
 * dated here on the wall clock, the only clock for calendar days and hours.
 */
static int sink_next_name(void *ctx, int64_t mono_ms, char *name, size_t size)
{
    struct app *app = ctx;
    (void)mono_ms;
    int number = store_next_name_number(app->store, clock_now_ms(&app->clock));
    names_format(number, app->host_lang, name, size);
    return number;
}

static void fill_context(struct app *app, struct store_context *context)
{
    memset(context, 0, sizeof *context);
    struct lights_status lights;
    lights_status(app->lights, &lights);
    snprintf(context->scene, sizeof context->scene, "%s", lights.scene);
    struct audio_status sound;
    audio_status(app->audio, &sound);
    snprintf(context->sound, sizeof context->sound, "%s", sound.silent ? "off" : sound.source);
    if (lights.channel_count > 0) { /* the mean level over channels, as the host page shows */
        double level = 0;
        for (int i = 0; i < lights.channel_count; i++) {
            level += lights.channels[i].level;
        }
        level /= lights.channel_count;
        snprintf(context->light_band, sizeof context->light_band, "%s",
                 store_light_band((int)(level + 0.5)));
    }
    int waiting = store_waiting_count(app->store);
    snprintf(context->queue_band, sizeof context->queue_band, "%s", store_queue_band(waiting));
}

static const char *service_id(const struct app *app, int service_index)
{
    return service_index >= 0 && service_index < app->config->service_count
               ? app->config->services[service_index].id
               : "";
}

static int64_t sink_arrive(void *ctx, struct store_arrival_in *arrival, int service_index)
{
    struct app *app = ctx;
    arrival->at_ms = clock_now_ms(&app->clock); /* the journey runs on monotonic time */
    snprintf(arrival->service, sizeof arrival->service, "%s", service_id(app, service_index));
    /* The message the checked-in screen will show (journey keeps it): a range of today's
     * collected waits once there are enough, else "the host knows you are here". */
    int low = -1, high = -1;
    bool range = store_wait_range(app->store, app->config->wait_estimate_min_samples, &low, &high);
    snprintf(arrival->wait_message, sizeof arrival->wait_message, "%s",
             range ? STORE_WAIT_MESSAGE_RANGE : STORE_WAIT_MESSAGE_HOST_KNOWS);
    arrival->wait_low_min = range ? low : -1;
    arrival->wait_high_min = range ? high : -1;
    int64_t seq = store_arrive(app->store, arrival);
    if (seq < 0) {
        log_msg(LOG_ERROR, "check-in %s could not be queued for the database (%s)",
                arrival->friendly_name, strerror((int)-seq));
    }
    return seq;
}

static void sink_change_service(void *ctx, int name_number, int64_t mono_ms, int service_index)
{
    struct app *app = ctx;
    (void)mono_ms;
    store_change_service(app->store, name_number, clock_now_ms(&app->clock),
                         service_id(app, service_index));
}

static void sink_wants_word(void *ctx, int name_number, int64_t mono_ms)
{
    struct app *app = ctx;
    (void)mono_ms;
    store_wants_word(app->store, name_number, clock_now_ms(&app->clock));
}

/* Answers go to the store's pool; a refusal is counted there (store_health), and no log
 * line names the visitor together with anything they answered. */
static void sink_answers(void *ctx, int64_t mono_ms, int name_number, int service_index,
                         int stress_answer, enum store_word_response word)
{
    struct app *app = ctx;
    (void)mono_ms;
    struct store_answers answers = {.at_ms = clock_now_ms(&app->clock),
                                    .name_number = name_number,
                                    .stress_answer = stress_answer,
                                    .word = word};
    snprintf(answers.service, sizeof answers.service, "%s", service_id(app, service_index));
    fill_context(app, &answers.context);
    store_answer(app->store, &answers);
}

static void sink_departure(void *ctx, int64_t mono_ms, int answer)
{
    struct app *app = ctx;
    (void)mono_ms;
    struct store_context context;
    fill_context(app, &context);
    if (store_departure(app->store, clock_now_ms(&app->clock), answer, &context) == 0) {
        app->departures_handed++;
    }
}

/*
 * A leaving visitor named themselves (word and number): when that is the name of one of
 * today's arrivals still waiting, the host page shows them as left. The word must be the
 * number's own, so a mistyped or guessed number marks nobody (1 in 25 by chance, and the
 * host can undo it). Its own write, before the departure question is asked; no log line,
 * nothing back to the screen, whether the name was found or not (docs/privacy.md).
 */
static void sink_left(void *ctx, int64_t mono_ms, const char *word_id, int number)
{
    struct app *app = ctx;
    (void)mono_ms;
    if (number < 1 || strcmp(names_word_id(number), word_id) != 0) {
        return;
    }
    int64_t seq = store_leave(app->store, number, clock_now_ms(&app->clock));
    if (seq < 0 && seq != -ENOENT) {
        log_msg(LOG_WARN, "a departure could not be queued for the database (%s)",
                strerror((int)-seq));
    }
}

static int64_t sink_abandoned(void *ctx, int64_t mono_ms, const char *moment, const char *screen,
                              int service_index)
{
    struct app *app = ctx;
    (void)mono_ms;
    return store_abandoned(app->store, clock_now_ms(&app->clock), moment, screen,
                           service_id(app, service_index));
}

/* Help from a question screen: every desk on the host page is alerted (help_requests)
 * until one marks it seen; no text, no screen, no answer goes with it. */
static void sink_help(void *ctx, int64_t at_ms)
{
    struct app *app = ctx;
    (void)at_ms;
    web_help_request(app->web);
    log_msg(LOG_INFO, "Hulp gevraagd bij de kiosk");
}

static bool sink_is_open(void *ctx, int64_t at_ms)
{
    struct app *app = ctx;
    (void)at_ms; /* the journey runs on monotonic time: opening hours are wall-clock time */
    struct oase_localtime local;
    clock_local(clock_now_ms(&app->clock), &local);
    return hours_is_open(&app->config->hours, &local);
}

/* "Bent u er nog?" is shown and softly said, in the visitor's language, at the speech level
 * (docs/access.md); without espeak-ng it is only shown. */
static void sink_still_there(void *ctx, int64_t at_ms)
{
    (void)at_ms;
    app_access_speak(ctx);
}

static void sink_language(void *ctx, const char *code)
{
    struct app *app = ctx;
    const struct lang *lang = lang_get(app->langs, code);
    app->lang = lang ? lang : app->host_lang;
    app->layout_generation = ~app->journey.generation; /* force a new layout */
    app->dirty = true;
}

static void retry_web(struct app *app, int64_t mono_ms);

/* --- input and time ------------------------------------------------------------------ */

void app_update_layout(struct app *app)
{
    if (app->layout_generation == app->journey.generation) {
        return;
    }
    app_access_screen_changed(app); /* speech stops; large text ends with the journey */
    struct layout_input in = {
        .screen = journey_current(&app->journey),
        .width = app->config->width,
        .height = app->config->height,
        .rtl = lang_is_rtl(app->lang),
        .service_count = app->config->service_count,
        .language_count = app->language_count,
        .language_codes = (const char(*)[8])app->language_codes,
        .departure_tap = app->config->departure_tap,
        .speech = audio_can_speak(app->audio),
        .large_text = app->large_text,
        .px_per_mm = app->config->width / app->config->width_mm,
        .measure = app_access_measure,
        .measure_ctx = app,
        .measure_label = app_access_measure_label,
        .measure_label_height = app_access_label_fits,
    };
    layout_build(&app->layout, &in);
    if (app->large_text) { /* the scale at which this screen fits (layout_build) */
        log_msg(LOG_INFO, "layout: %s in large text at %.2f", app_screen_name(app),
                app->layout.text_scale);
    }
    app->layout_generation = app->journey.generation;
    app->pressed_id[0] = '\0';
    app->dirty = true;
}

static bool staff_open_now(const struct app *app)
{
    return app->staff.screen != STAFF_CLOSED;
}

const struct layout *app_current_layout(struct app *app)
{
    if (!staff_open_now(app)) {
        app_update_layout(app);
        return &app->layout;
    }
    if (app->staff_layout_generation != app->staff.generation || app->staff_layout.count == 0) {
        char names[LIGHTS_MAX_SCENES][32];
        int count = 0;
        for (const char *name;
             count < LIGHTS_MAX_SCENES && (name = lights_scene_name(app->lights, count)) != NULL;) {
            snprintf(names[count++], sizeof names[0], "%s", name);
        }
        struct layout_staff_input in = {.staff_screen = app->staff.screen,
                                        .width = app->config->width,
                                        .height = app->config->height,
                                        .scene_count = count,
                                        .scene_names = (const char(*)[32])names};
        layout_build_staff(&app->staff_layout, &in);
        app->staff_layout_generation = app->staff.generation;
    }
    return &app->staff_layout;
}

const char *app_screen_name(const struct app *app)
{
    switch (app->staff.screen) {
    case STAFF_PIN:
        return "staff-pin";
    case STAFF_MENU:
        return "staff-menu";
    case STAFF_CLOSED:
    default:
        return journey_screen_name(journey_current(&app->journey));
    }
}

/* Carries out what the staff menu asked for. */
static void staff_act(struct app *app, enum staff_action action, const char *scene, int64_t now)
{
    switch (action) {
    case STAFF_ACTION_SCENE:
        if (lights_override_scene(app->lights, scene, now) == 0) {
            log_msg(LOG_INFO, "staff menu: light scene %s until the next scheduled change", scene);
        }
        break;
    case STAFF_ACTION_SCHEDULE:
        lights_override_end(app->lights, now);
        break;
    case STAFF_ACTION_TEST_LIGHT:
        lights_test_level(app->lights, NULL, 100.0, now);
        log_msg(LOG_INFO, "staff menu: light test at full level");
        break;
    case STAFF_ACTION_NEXT_SOUND: {
        static const char *const sources[] = {"sea", "rain", "forest", "music", "off"};
        struct audio_status sound;
        audio_status(app->audio, &sound);
        size_t next = 0;
        for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
            if (strcmp(sound.requested, sources[i]) == 0) {
                next = (i + 1) % (sizeof sources / sizeof sources[0]);
            }
        }
        if (audio_set_source(app->audio, sources[next]) == -ENOENT) { /* no music folder */
            next = (next + 1) % (sizeof sources / sizeof sources[0]);
            audio_set_source(app->audio, sources[next]);
        }
        log_msg(LOG_INFO, "staff menu: sound %s", sources[next]);
        break;
    }
    case STAFF_ACTION_TEST_SOUND:
        audio_set_volume_db(app->audio, app->config->audio.volume_db);
        log_msg(LOG_INFO, "staff menu: sound on at %.0f dB until the next scheduled change",
                app->config->audio.volume_db);
        break;
    case STAFF_ACTION_NONE:
        break;
    }
}

void app_pointer_down(struct app *app, int x, int y, SDL_FingerID finger)
{
    int64_t now = clock_mono_ms(&app->clock);
    app->touched_ms = now;
    journey_touch(&app->journey, now);
    if (app->pressed_id[0]) {
        return; /* a second finger while one is down: ignored */
    }
    app_access_catch_up(app, clock_now_ms(&app->clock)); /* the --audio-file runs on kiosk time */
    SDL_Point at = {x, y};
    if (!staff_open_now(app) && journey_current(&app->journey) == SCREEN_WELCOME &&
        SDL_PointInRect(&at, &app->layout.staff_area)) {
        app->hold_started_ms = now; /* may become the staff gesture (app_tick) */
    } else if (!staff_open_now(app)) {
        app->long_press_ms = now; /* may become the long press that reads the screen */
    }
    const struct ui_widget *hit = layout_hit(app_current_layout(app), x, y);
    if (hit) {
        snprintf(app->pressed_id, sizeof app->pressed_id, "%s", hit->id);
        app->pressed_finger = finger;
        app->dirty = true; /* the pressed state shows in the very next frame */
    }
}

void app_pointer_up(struct app *app, int x, int y, SDL_FingerID finger)
{
    app->hold_started_ms = 0;
    app->long_press_ms = 0;
    if (!app->pressed_id[0] || finger != app->pressed_finger) {
        return;
    }
    int64_t now = clock_mono_ms(&app->clock);
    app_access_catch_up(app, clock_now_ms(&app->clock)); /* the --audio-file runs on kiosk time */
    const struct ui_widget *hit = layout_hit(app_current_layout(app), x, y);
    char id[sizeof app->pressed_id];
    snprintf(id, sizeof id, "%s", app->pressed_id);
    app->pressed_id[0] = '\0';
    app->dirty = true;
    if (hit && strcmp(hit->id, id) == 0 && staff_open_now(app)) {
        char scene[LIGHTS_NAME_MAX];
        staff_act(app, staff_tap(&app->staff, id, now, scene, sizeof scene), scene,
                  clock_now_ms(&app->clock));
    } else if (hit && strcmp(hit->id, id) == 0) { /* released where it was pressed: a tap */
        if (!app_access_tap(app, id, now)) {
            journey_tap(&app->journey, id, now);
        }
        app_update_layout(app);
    }
}

/*
 * The screen's brightness: [display] brightness_closed while the light scene in force is
 * [display] closed_scene (the schedule's closed hours, or a host's choice) and nobody has
 * touched the screen for inactivity_seconds; [display] brightness otherwise. Cheap to call
 * every tick: the backlight only writes when the level changes.
 */
static void update_backlight(struct app *app, int64_t now_ms)
{
    if (!app->backlight) {
        return;
    }
    const struct oase_config *c = app->config;
    struct lights_status lights;
    lights_status(app->lights, &lights);
    bool closed = c->closed_scene[0] && strcmp(lights.scene, c->closed_scene) == 0;
    bool idle = now_ms - app->touched_ms >= (int64_t)c->inactivity_seconds * 1000;
    int percent = closed && idle ? c->brightness_closed_percent : c->brightness_percent;
    char why[512];
    if (backlight_set_percent(app->backlight, percent, why, sizeof why) != 0) {
        if (!app->backlight_failed) {
            log_msg(LOG_WARN, "backlight: %s; the screen keeps its brightness", why);
        }
        app->backlight_failed = true;
    } else if (app->backlight_failed) {
        log_msg(LOG_INFO, "backlight: %s works again", backlight_name(app->backlight));
        app->backlight_failed = false;
    }
}

/* A randomised room: the day's condition during opening hours; the host page sees it. */
static void experiment_room_tick(struct app *app, int64_t now_ms)
{
    if (!app->experiment.config.declared) {
        return;
    }
    struct oase_localtime local;
    clock_local(now_ms, &local);
    experiment_tick(&app->experiment, &local, hours_is_open(&app->config->hours, &local),
                    app->lights, app->audio, app->store, now_ms);
    if (app->web) {
        struct experiment_status status;
        experiment_status(&app->experiment, &status);
        web_set_experiment(app->web, &status);
    }
}

/*
 * Watches the wall clock (app_clock.c): a step re-dates this run's arrivals before the
 * store's tick can fold them into the wrong day; a stale clock is reported.
 */
void app_tick(struct app *app, int64_t now_ms)
{
    int64_t mono_ms = clock_mono_ms(&app->clock);
    app_clock_tick(app, now_ms, mono_ms);
    app_access_catch_up(app, now_ms);
    if (app->long_press_ms && mono_ms - app->long_press_ms >= APP_LONG_PRESS_MS) {
        app->long_press_ms = 0;
        app->pressed_id[0] = '\0'; /* the long press reads the screen; it taps nothing */
        app->dirty = true;
        app_access_speak(app);
    }
    app_access_button(app);
    if (journey_tick(&app->journey, mono_ms)) {
        app_update_layout(app);
    }
    lights_tick(app->lights, now_ms);
    audio_tick(app->audio, now_ms);
    experiment_room_tick(app, now_ms);
    if (app->web) {
        web_poll(app->web, now_ms); /* the host's light requests, carried out on this thread */
    }
    retry_web(app, mono_ms);
    if (app->hold_started_ms && mono_ms - app->hold_started_ms >= STAFF_HOLD_MS) {
        app->hold_started_ms = 0;
        if (staff_open(&app->staff, mono_ms) == 0) {
            app->pressed_id[0] = '\0'; /* the held press opens the pad; it taps nothing */
            app->dirty = true;
        } else {
            log_msg(LOG_INFO, "staff menu asked for, but no [staff] pin is set in the config");
        }
    }
    if (staff_tick(&app->staff, mono_ms)) {
        app->dirty = true;
    }
    update_backlight(app, mono_ms);
    if (now_ms - app->last_store_tick_ms >= STORE_TICK_MS || now_ms < app->last_store_tick_ms) {
        store_tick(app->store, now_ms);
        app->last_store_tick_ms = now_ms;
    }
    app_supervise_tick(app); /* watchdog pings only from here: a hung loop sends none */
}

/* A deadline on the monotonic clock, as a wall-clock instant (INT64_MAX stays). */
static int64_t wall_of_mono(int64_t deadline_mono, int64_t now_ms, int64_t mono_ms)
{
    return deadline_mono == INT64_MAX ? INT64_MAX : now_ms + (deadline_mono - mono_ms);
}

int64_t app_next_tick_ms(struct app *app, int64_t now_ms)
{
    int64_t mono_ms = clock_mono_ms(&app->clock);
    int64_t next = wall_of_mono(journey_next_deadline_ms(&app->journey), now_ms, mono_ms);
    int64_t lights_due = lights_next_deadline_ms(app->lights, now_ms);
    int64_t store_due = app->last_store_tick_ms + STORE_TICK_MS;
    next = next < lights_due ? next : lights_due;
    int64_t audio_due = audio_next_deadline_ms(app->audio, now_ms);
    next = next < audio_due ? next : audio_due;
    int64_t staff_due = wall_of_mono(staff_next_deadline_ms(&app->staff), now_ms, mono_ms);
    next = next < staff_due ? next : staff_due;
    if (app->hold_started_ms) {
        int64_t hold_due = wall_of_mono(app->hold_started_ms + STAFF_HOLD_MS, now_ms, mono_ms);
        next = next < hold_due ? next : hold_due;
    }
    if (app->long_press_ms) {
        int64_t press_due = wall_of_mono(app->long_press_ms + APP_LONG_PRESS_MS, now_ms, mono_ms);
        next = next < press_due ? next : press_due;
    }
    return next < store_due ? next : store_due;
}

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
static bool record_shown(struct app *app)
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
static void finish_frame(struct app *app, bool screenshot)
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

/* When the picture must change next without input, on the monotonic clock (INT64_MAX:
 * never): the animation and the wait for a commit are durations; the welcome screen's clock
 * turns at the next wall-clock minute, however far away that is in monotonic time. */
static int64_t next_frame_ms(struct app *app, int64_t now)
{
    int64_t next = INT64_MAX;
    if (app->config->calm_animation && app->layout.scene.w > 0 && !staff_open_now(app)) {
        /* At most ANIMATION_FRAME_MS apart: slow drift needs no more, and each frame is a
         * whole-screen redraw (make bench: 2.0 % of a core at 12 frames a second). */
        next = ui_draw_scene_next_change_ms(app->painter.draw, app->layout.scene, now);
        next = next > now + ANIMATION_FRAME_MS ? next : now + ANIMATION_FRAME_MS;
    }
    if (journey_current(&app->journey) == SCREEN_CHECKED_IN && !record_shown(app)) {
        next = now + COMMIT_POLL_MS;
    }
    if (journey_current(&app->journey) == SCREEN_WELCOME) {
        int64_t wall = clock_now_ms(&app->clock);
        int64_t next_minute = clock_mono_ms(&app->clock) + ((wall / 60000 + 1) * 60000 - wall);
        next = next < next_minute ? next : next_minute;
    }
    return next;
}

/*
 * The logical pixel under a point of the output given as fractions 0..1 of the picture's
 * area. SDL already gives fingers that way (its renderer maps them into the logical
 * viewport, letterbox bars included) and mice in output pixels; the turn of the panel is
 * undone by the one tested transform.
 */
static struct rotation_pixel logical_at(const struct app *app, double output_x, double output_y)
{
    return rotation_touch_to_logical(app->rotation, output_x, output_y, app->config->width,
                                     app->config->height);
}

static struct rotation_pixel mouse_at(const struct app *app, int x, int y)
{
    return logical_at(app, (x + 0.5) / app->output_w, (y + 0.5) / app->output_h);
}

static void handle_event(struct app *app, const SDL_Event *ev, bool *running)
{
    struct rotation_pixel at;
    switch (ev->type) {
    case SDL_QUIT:
        *running = false;
        break;
    case SDL_FINGERDOWN:
        at = logical_at(app, ev->tfinger.x, ev->tfinger.y);
        app_pointer_down(app, at.x, at.y, ev->tfinger.fingerId);
        break;
    case SDL_FINGERUP:
        at = logical_at(app, ev->tfinger.x, ev->tfinger.y);
        app_pointer_up(app, at.x, at.y, ev->tfinger.fingerId);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT) {
            at = mouse_at(app, ev->button.x, ev->button.y);
            app_pointer_down(app, at.x, at.y, -1);
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT) {
            at = mouse_at(app, ev->button.x, ev->button.y);
            app_pointer_up(app, at.x, at.y, -1);
        }
        break;
    case SDL_WINDOWEVENT:
    case SDL_RENDER_TARGETS_RESET: /* the GPU lost the turned texture's picture: redraw */
        app->dirty = true;
        break;
    case SDL_KEYDOWN:
        if (ev->key.keysym.sym == SDLK_ESCAPE && !app->options->headless &&
            (ev->key.keysym.mod & KMOD_CTRL)) {
            *running = false; /* Ctrl+Esc closes a development window */
        }
        break;
    default:
        break;
    }
}

void app_handle_event(struct app *app, const SDL_Event *ev)
{
    bool running = true;
    handle_event(app, ev, &running);
}

/*
 * Waits up to timeout_ms for an event. X11, Wayland and the other desktop drivers block in
 * SDL_WaitEventTimeout; KMS/DRM (the Pi console) and the headless driver only poll it every
 * millisecond there (about 940 wake-ups a second, measured by make bench). On those the loop
 * sleeps in steps of POLL_STEP_MS instead: at most 100 wake-ups a second while idle, and a
 * touch is still seen within one 60 Hz frame.
 */
#define POLL_STEP_MS 10

static bool wait_event(struct app *app, SDL_Event *ev, int timeout_ms)
{
    if (app->blocking_wait) {
        return SDL_WaitEventTimeout(ev, timeout_ms) == 1;
    }
    Uint64 until = SDL_GetTicks64() + (Uint64)timeout_ms;
    for (;;) {
        if (SDL_PollEvent(ev)) { /* pumps the input devices, then takes one event */
            return true;
        }
        Uint64 now = SDL_GetTicks64();
        if (now >= until) {
            return false;
        }
        Uint64 left = until - now;
        SDL_Delay(left < POLL_STEP_MS ? (Uint32)left : POLL_STEP_MS);
    }
}

static int run_live(struct app *app)
{
    bool running = true;
    const char *driver = SDL_GetCurrentVideoDriver();
    app->blocking_wait = driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0 ||
                                    strcmp(driver, "windows") == 0 || strcmp(driver, "cocoa") == 0);
    int64_t drawn_ms = clock_mono_ms(&app->clock); /* monotonic time of the frame on screen */
    app->dirty = true; /* the first frame, also where no window event asks for it */
    while (running && !app_stop_requested(app)) {
        int64_t now = clock_now_ms(&app->clock);
        int64_t mono = clock_mono_ms(&app->clock);
        app_tick(app, now);
        int64_t next_frame = next_frame_ms(app, drawn_ms); /* due after the frame shown */
        if (app->dirty || mono >= next_frame) {
            app_draw(app);
            drawn_ms = mono;
            next_frame = next_frame_ms(app, drawn_ms);
        }
        /* Both deadlines as monotonic waits: a clock step never stretches a sleep. */
        int64_t wake = mono + (app_next_tick_ms(app, now) - now);
        wake = wake < next_frame ? wake : next_frame;
        int64_t timeout = wake - clock_mono_ms(&app->clock);
        timeout = timeout < 0 ? 0 : timeout > 1000 ? 1000 : timeout;
        SDL_Event ev;
        if (wait_event(app, &ev, (int)timeout)) {
            handle_event(app, &ev, &running);
            while (SDL_PollEvent(&ev)) {
                handle_event(app, &ev, &running);
            }
        }
        app_supervise_pass(app); /* idle, but alive */
    }
    return 0;
}

/* --- set-up and tear-down ------------------------------------------------------------ */

/* The web threads wake the main loop when a host asked for something. */
static void wake_main_loop(void *ctx)
{
    (void)ctx;
    SDL_Event event = {.type = SDL_USEREVENT};
    SDL_PushEvent(&event);
}

/* Starts the host page; the kiosk runs on without it when it is off or cannot start. */
static void open_web(struct app *app)
{
    char err[512] = "";
    const struct app_options *options = app->options;
    struct web_context ctx = {
        .store = app->store,
        .lights = app->lights,
        .audio = app->audio,
        .kiosk = {.site = app->config->site,
                  .ask_stress = app->config->ask_stress,
                  .services = app->config->services,
                  .service_count = app->config->service_count},
        .langs = app->langs,
        .assets_dir = app->config->assets_dir,
        .db_path = options->db_path ? options->db_path : app->config->db_path,
        .wake = wake_main_loop,
        .clock_state = &app->clock_state,
    };
    app->web = web_open(&app->config->web, &ctx, err, sizeof err);
    int64_t mono = clock_mono_ms(&app->clock);
    if (app->web) {
        if (app->web_retry_pause_ms > 0) {
            log_msg(LOG_INFO, "host page: listening now, after %d tries", app->web_tries);
        }
        app->web_retry_at_ms = 0;
        return;
    }
    if (!err[0]) {
        return; /* off by choice */
    }
    app->web_tries++;
    if (strstr(err, WEB_ERR_LISTEN) == NULL) {
        log_msg(LOG_WARN, "%s; the kiosk runs on without the host page", err);
        return; /* the config or a file: trying again changes nothing */
    }
    /* A busy port (the previous kiosk's socket, another program): try again, 1, 2, 4 ...
     * WEB_RETRY_MAX_MS apart; said at the first try and when the pause reaches its maximum. */
    int pause = app->web_retry_pause_ms;
    pause = pause == 0 ? WEB_RETRY_FIRST_MS : pause * 2;
    pause = pause < WEB_RETRY_MAX_MS ? pause : WEB_RETRY_MAX_MS;
    if (app->web_retry_pause_ms == 0 ||
        (pause == WEB_RETRY_MAX_MS && app->web_retry_pause_ms != pause)) {
        log_msg(LOG_WARN, "%s; trying again in %d s%s", err, pause / 1000,
                pause == WEB_RETRY_MAX_MS ? " and then every minute (said once)"
                                          : ", then less often");
    }
    app->web_retry_pause_ms = pause;
    app->web_retry_at_ms = mono + pause;
}

/* The host page's port was busy at start: try again when due (live runs only). */
static void retry_web(struct app *app, int64_t mono_ms)
{
    if (app->web || app->web_retry_at_ms == 0 || mono_ms < app->web_retry_at_ms) {
        return;
    }
    open_web(app);
}

static void report_line(void *ctx, const char *message)
{
    (void)ctx;
    log_msg(LOG_WARN, "%s", message);
}

/*
 * On a turned panel: the texture the logical screen is drawn into (finish_frame copies it
 * turned onto the output). Without target textures the picture is drawn unturned, and
 * touches are taken unturned too, so taps still land where things are drawn.
 */
static void open_turned_target(struct app *app)
{
    const struct oase_config *c = app->config;
    if (app->rotation == ROTATION_0) {
        return;
    }
    if (SDL_RenderTargetSupported(app->renderer)) {
        app->turned = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888,
                                        SDL_TEXTUREACCESS_TARGET, c->width, c->height);
    }
    if (!app->turned || SDL_SetRenderTarget(app->renderer, app->turned) != 0) {
        log_msg(LOG_WARN,
                "display.rotation = %d: this renderer cannot draw into a texture (%s); "
                "the picture is not turned",
                (int)app->rotation, SDL_GetError());
        if (app->turned) {
            SDL_DestroyTexture(app->turned);
            app->turned = NULL;
        }
        app->rotation = ROTATION_0;
        app->output_w = c->width;
        app->output_h = c->height;
        SDL_RenderSetLogicalSize(app->renderer, c->width, c->height);
        return;
    }
    SDL_SetTextureScaleMode(app->turned, SDL_ScaleModeLinear); /* smooth when the panel scales */
    log_msg(LOG_INFO, "display: %dx%d turned %d degrees onto a %dx%d output", c->width, c->height,
            (int)app->rotation, app->output_w, app->output_h);
}

static int open_display(struct app *app)
{
    const struct oase_config *c = app->config;
    /* Headless has no panel to be mounted turned: screenshots and replays stay logical. */
    app->rotation = app->options->headless ? ROTATION_0 : c->rotation;
    rotation_output_size(app->rotation, c->width, c->height, &app->output_w, &app->output_h);
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* touch arrives as finger events only */
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    if (app->options->headless) {
        /* dummy video + a software renderer on a surface: no EGL/Mesa (platform-notes §7) */
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log_msg(LOG_ERROR,
                "cannot start the display: %s (on a desktop, check DISPLAY; on a "
                "Pi console, check the video and input groups)",
                SDL_GetError());
        return -1;
    }
    if (app->options->headless) {
        app->surface =
            SDL_CreateRGBSurfaceWithFormat(0, c->width, c->height, 32, SDL_PIXELFORMAT_ARGB8888);
        app->renderer = app->surface ? SDL_CreateSoftwareRenderer(app->surface) : NULL;
    } else {
        const char *driver = SDL_GetCurrentVideoDriver();
        bool console = driver && strcmp(driver, "KMSDRM") == 0;
        Uint32 flags = console ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
        app->window = SDL_CreateWindow("Oase", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                       app->output_w, app->output_h, flags);
        if (app->window) {
            app->renderer = SDL_CreateRenderer(
                app->window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
            if (!app->renderer) { /* e.g. KMS/DRM without GLES: fall back to software */
                log_msg(LOG_WARN, "no accelerated renderer (%s); drawing in software",
                        SDL_GetError());
                app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
            }
        }
        if (console) {
            SDL_ShowCursor(SDL_DISABLE);
        }
    }
    if (!app->renderer) {
        log_msg(LOG_ERROR, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    SDL_RenderSetLogicalSize(app->renderer, app->output_w, app->output_h);
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
    open_turned_target(app);
    return 0;
}

/* The screen's backlight, when there is one; never on a headless run (tests, CI). */
static void open_backlight(struct app *app)
{
    const char *name = app->config->backlight;
    if (app->options->headless || strcmp(name, "off") == 0) {
        return;
    }
    char why[512];
    app->backlight = backlight_open(NULL, name, why, sizeof why);
    if (!app->backlight) {
        log_msg(strcmp(name, "auto") == 0 ? LOG_INFO : LOG_WARN,
                "backlight: %s; the screen keeps its own brightness", why);
        return;
    }
    log_msg(LOG_INFO, "backlight: %s (0..%d)", backlight_name(app->backlight),
            backlight_max(app->backlight));
}

/*
 * Without its font a right-to-left language (Arabic) would show empty boxes: its button is
 * hidden and a visitor's screen falls back to the host's language. Logged once, at start.
 */
static void hide_right_to_left(struct app *app, const char *why)
{
    int kept = 0;
    char hidden[64] = "";
    size_t used = 0;
    for (int i = 0; i < app->language_count; i++) {
        const struct lang *lang = lang_get(app->langs, app->language_codes[i]);
        if (lang && lang_is_rtl(lang)) {
            int n = snprintf(hidden + used, sizeof hidden - used, "%s%s", used ? " " : "",
                             app->language_codes[i]);
            used += n > 0 && (size_t)n < sizeof hidden - used ? (size_t)n : 0;
            continue;
        }
        memmove(app->language_codes[kept++], app->language_codes[i], 8);
    }
    app->language_count = kept;
    if (lang_is_rtl(app->lang)) {
        app->lang = app->host_lang;
    }
    log_msg(LOG_WARN,
            "%s; the language button(s) %s are hidden until the font is there "
            "(Debian: fonts-noto-core; [display] font_arabic)",
            why, hidden[0] ? hidden : "-");
}

static int open_ui(struct app *app)
{
    const struct oase_config *c = app->config;
    char err[512];
    struct ui_text_fonts fonts = {c->font_path, c->font_bold_path, c->font_arabic_path,
                                  c->font_arabic_bold_path};
    app->painter.renderer = app->renderer;
    app->painter.text = ui_text_open(app->renderer, &fonts, err, sizeof err);
    if (!app->painter.text) {
        log_msg(LOG_ERROR, "%s (set the fonts in [display] of %s; Debian: fonts-noto-core)", err,
                app->options->config_path ? app->options->config_path : "the config");
        return -1;
    }
    const char *arabic_missing = ui_text_arabic_missing(app->painter.text);
    if (arabic_missing[0]) {
        hide_right_to_left(app, arabic_missing);
    }
    app->painter.draw = ui_draw_open(app->renderer);
    if (!app->painter.draw) {
        log_msg(LOG_ERROR, "cannot prepare drawing: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

static int open_languages(struct app *app)
{
    const struct oase_config *c = app->config;
    char dir[CONFIG_PATH_MAX + 8], err[512];
    snprintf(dir, sizeof dir, "%s/lang", c->assets_dir);
    const char *codes[CONFIG_MAX_LANGUAGES];
    for (int i = 0; i < c->language_count; i++) {
        codes[i] = c->languages[i];
    }
    int problems = 0;
    app->langs =
        lang_open(dir, codes, c->language_count, report_line, NULL, &problems, err, sizeof err);
    if (!app->langs) {
        log_msg(LOG_ERROR,
                "%s (the language files are looked for in %s/lang: set assets_dir in "
                "[display] of %s)",
                err, c->assets_dir,
                app->options->config_path ? app->options->config_path : "the config");
        return -1;
    }
    app->host_lang = lang_get(app->langs, LANG_FALLBACK);
    app->lang = lang_get(app->langs, c->default_language);
    if (!app->lang) {
        app->lang = app->host_lang;
    }
    app->language_count = 0;
    for (int i = 0; i < lang_count(app->langs) && i < LANG_MAX; i++) {
        snprintf(app->language_codes[app->language_count++], 8, "%s",
                 lang_code(lang_at(app->langs, i)));
    }
    return 0;
}

/* Says once at start when a file with secrets or visitor data is open to every user. */
static void warn_if_readable(const char *path, const char *holds)
{
    char why[2 * CONFIG_PATH_MAX + 160];
    int rc = perms_readable_by_others(path, why, sizeof why);
    if (rc > 0) {
        log_msg(LOG_WARN, "%s; it holds %s (SECURITY.md)", why, holds);
    } else if (rc < 0) {
        log_msg(LOG_WARN, "%s", why);
    }
}

/*
 * Opens the database; a damaged or foreign file is moved aside and a fresh one started
 * (store_open_recover). Only when not even a fresh file can be made does the kiosk count in
 * memory, so it still takes check-ins.
 */
static int open_store(struct app *app)
{
    const char *path = app->options->db_path ? app->options->db_path : app->config->db_path;
    char err[512];
    if (strcmp(path, ":memory:") != 0) {
        app->db_lock = dblock_take(path, err, sizeof err);
        if (app->db_lock == -EWOULDBLOCK) {
            log_msg(LOG_ERROR, "%s", err);
            return -1; /* never a second writer, not even in memory: it would count twice */
        }
        if (app->db_lock < 0) {
            log_msg(LOG_WARN, "%s; going on without the lock", err);
        }
    }
    app->store = store_open_recover(path, &app->config->phases, app->config->closing_minute, err,
                                    sizeof err);
    if (app->store) {
        store_set_batch_k(app->store, app->config->web.research_k);
        warn_if_readable(path, "today's arrivals (friendly names, services) and the counts");
        if (app->config->web.site[0] != '\0' &&
            store_set_site(app->store, app->config->web.site) < 0) {
            log_msg(LOG_WARN, "site name %s not written to the database", app->config->web.site);
        }
        return 0;
    }
    log_msg(LOG_ERROR, "%s; counting in memory only until the kiosk restarts", err);
    app->store =
        store_open(":memory:", &app->config->phases, app->config->closing_minute, err, sizeof err);
    if (!app->store) {
        log_msg(LOG_ERROR, "cannot count even in memory: %s", err);
        return -1;
    }
    store_set_batch_k(app->store, app->config->web.research_k);
    return 0;
}

int app_run(const struct oase_config *config, const struct app_options *options)
{
    static struct app app_storage; /* large; one per process */
    struct app *app = &app_storage;
    memset(app, 0, sizeof *app);
    app->db_lock = -1;
    app->config = config;
    app->screen_kiosk = (struct screen_kiosk){
        .services = config->services,
        .service_count = config->service_count,
        .hours = &config->hours,
    };
    app->options = options;
    int status = 2;
    clock_init_real(&app->clock);
    catch_hangup();
    if (options->replay_path && app_replay_load(app, options->replay_path) != 0) {
        return 1;
    }
    app_supervise_open(app);
    if (options->config_path && (config->staff_pin[0] || config->web.passphrase_hash[0] ||
                                 config->web.research_token_hash[0])) {
        warn_if_readable(options->config_path, "the staff PIN or the host passphrase hash");
    }
    if (open_languages(app) != 0) {
        goto out;
    }
    /* Nothing below writes to the SD card before the display and the fonts are up: a kiosk
     * that cannot draw and is started again and again (Restart=always) never opens the
     * database, so never syncs it (docs/deploy.md). */
    app->lights = lights_open(&config->lights, clock_now_ms(&app->clock));
    if (!app->lights) {
        log_msg(LOG_ERROR, "out of memory opening the lights");
        goto out_close_languages;
    }
    /* Headless means no sound device, unless a test asks for one (SDL_AUDIODRIVER=disk);
     * --audio-file renders the sound offline, in step with the kiosk's (simulated) time. */
    app->audio = options->headless && (!getenv("SDL_AUDIODRIVER") || options->audio_file_path)
                     ? audio_open_offline(&config->audio, clock_now_ms(&app->clock), 48000)
                     : audio_open(&config->audio, clock_now_ms(&app->clock));
    if (!app->audio) {
        log_msg(LOG_ERROR, "out of memory opening the sound");
        goto out_close_lights;
    }
    if (app_access_open(app) != 0) {
        goto out_close_audio;
    }
    if (open_display(app) != 0 || open_ui(app) != 0) {
        goto out_close_display;
    }
    if (open_store(app) != 0) {
        goto out_close_display;
    }
    if (options->ack_log_path) {
        app->ack_log = fopen(options->ack_log_path, "ae");
        if (!app->ack_log) {
            log_msg(LOG_ERROR, "--ack-log %s: %s", options->ack_log_path, strerror(errno));
            goto out_close_display;
        }
    }
    app_describe_instrument(app); /* codebook and config hash, queued for the store */
    experiment_init(&app->experiment, &config->experiment, &config->hours, config->config_hash,
                    config->audio.source);
    open_backlight(app);
    if (!options->replay_path) { /* replays run on simulated time: no live page */
        open_web(app);
    }
    struct journey_settings settings = {
        .service_count = config->service_count,
        .ask_stress = config->ask_stress,
        .ask_word = config->ask_word,
        .departure_tap = config->departure_tap,
        .inactivity_ms = config->inactivity_seconds * 1000,
        .checked_in_ms = config->checked_in_seconds * 1000,
    };
    snprintf(settings.default_language, sizeof settings.default_language, "%s",
             lang_code(app->lang));
    struct journey_sink sink = {
        .ctx = app,
        .next_name = sink_next_name,
        .arrive = sink_arrive,
        .change_service = sink_change_service,
        .wants_word = sink_wants_word,
        .answers = sink_answers,
        .departure = sink_departure,
        .left = sink_left,
        .abandoned = sink_abandoned,
        .language = sink_language,
        .help = sink_help,
        .is_open = sink_is_open,
        .still_there = sink_still_there,
    };
    journey_init(&app->journey, &settings, &sink, clock_mono_ms(&app->clock));
    staff_init(&app->staff, config->staff_pin, config->staff_close_seconds * 1000);
    app->layout_generation = ~app->journey.generation;
    log_msg(LOG_INFO, "ready: %dx%d, %d languages, %d services", config->width, config->height,
            app->language_count, config->service_count);
    status = options->replay_path ? app_replay(app) : run_live(app);
    if (stop_signal) {
        log_msg(LOG_INFO,
                "%s: closing cleanly (the database gets what is queued, the lights their safe "
                "level); systemd starts the kiosk again with the config as it is now",
                strsignal(stop_signal));
    }
    app_supervise_close(app); /* STOPPING=1 before the slow part: the store's last commits */

out_close_display:
    web_close(app->web); /* before the lights and the store it uses */
    /* the screen back to full brightness: the console stays readable after the kiosk */
    if (app->backlight) {
        char why[512];
        backlight_set_percent(app->backlight, app->config->brightness_percent, why, sizeof why);
        backlight_close(app->backlight);
    }
    ui_draw_close(app->painter.draw);
    ui_text_close(app->painter.text);
    if (app->turned) {
        SDL_DestroyTexture(app->turned);
    }
    if (app->renderer) {
        SDL_DestroyRenderer(app->renderer);
    }
    if (app->surface) {
        SDL_FreeSurface(app->surface);
    }
    if (app->window) {
        SDL_DestroyWindow(app->window);
    }
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    app_access_close(app);
out_close_audio:
    audio_close(app->audio);
    store_close(app->store); /* commits everything queued: nothing acknowledged is lost */
    dblock_release(app->db_lock);
    if (app->ack_log) {
        fclose(app->ack_log);
    }
out_close_lights:
    lights_close(app->lights); /* each channel to its safe level */
out_close_languages:
    lang_close(app->langs);
out:
    app_supervise_close(app); /* when the kiosk could not start */
    replay_free(&app->script);
    return status;
}

bool app_record_shown(struct app *app)
{
    return record_shown(app);
}
