/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_harness: the kiosk without a screen, for the real-browser test of the host page
 * (tests/web/run.sh). Opens the config, languages, store, (simulated) lights and the web
 * server exactly as the kiosk does, plays the main loop in real time (web_poll, lights,
 * store) and reads commands on stdin:
 *
 *   replay FILE     drives the visitor's journey from a replay script, in real time
 *   quit            closes everything and exits
 *
 * It prints "listening PORT" once the server runs, "checkin NAME" at each check-in, and
 * "replayed FILE" or "replay failed: ..." after each script.
 *
 *   web_harness --config FILE --db FILE --passphrase TEXT [--assets DIR] [--port N]
 *               [--tls-cert PEM --tls-key PEM]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "config/config.h"
#include "core/log.h"
#include "i18n/lang.h"
#include "kiosk/journey.h"
#include "kiosk/names.h"
#include "kiosk/replay.h"
#include "lights/lights.h"
#include "store/store.h"
#include "audio/audio.h"
#include "web/web.h"
#include "web/web_auth.h"

#define LOOP_MS 50
#define PACE_MAX_MS 700 /* a replay's pace and waits, in real time, capped */
#define WAIT_MAX_MS 1500

struct harness {
    struct oase_config config;
    struct oase_clock clock;
    struct lang_set *langs;
    const struct lang *nl;
    struct store *store;
    struct lights *lights;
    struct audio *audio; /* offline: the state the page shows and controls, no device */
    struct web *web;
    struct journey journey;
};

static int sink_next_name(void *ctx, int64_t now_ms, char *name, size_t size)
{
    struct harness *harness = ctx;
    int number = store_next_name_number(harness->store, now_ms);
    names_format(number, harness->nl, name, size);
    return number;
}

static const char *harness_service(const struct harness *harness, int service_index)
{
    return service_index >= 0 && service_index < harness->config.service_count
               ? harness->config.services[service_index].id
               : "";
}

static int64_t sink_arrive(void *ctx, struct store_arrival_in *arrival, int service_index)
{
    struct harness *harness = ctx;
    snprintf(arrival->service, sizeof arrival->service, "%s",
             harness_service(harness, service_index));
    int64_t seq = store_arrive(harness->store, arrival);
    printf("checkin %s\n", arrival->friendly_name); /* the test times the page from here */
    fflush(stdout);
    return seq;
}

static void sink_change_service(void *ctx, int name_number, int64_t at_ms, int service_index)
{
    struct harness *harness = ctx;
    store_change_service(harness->store, name_number, at_ms,
                         harness_service(harness, service_index));
}

static void sink_wants_word(void *ctx, int name_number, int64_t at_ms)
{
    struct harness *harness = ctx;
    store_wants_word(harness->store, name_number, at_ms);
}

static void sink_answers(void *ctx, int64_t at_ms, int name_number, int service_index,
                         int stress_answer, enum store_word_response word)
{
    struct harness *harness = ctx;
    struct store_answers answers = {
        .at_ms = at_ms, .name_number = name_number, .stress_answer = stress_answer, .word = word};
    snprintf(answers.service, sizeof answers.service, "%s",
             harness_service(harness, service_index));
    store_answer(harness->store, &answers);
}

static void sink_departure(void *ctx, int64_t at_ms, int answer)
{
    struct harness *harness = ctx;
    store_departure(harness->store, at_ms, answer, NULL);
}

static int64_t sink_abandoned(void *ctx, int64_t at_ms, const char *moment, const char *screen,
                              int service_index)
{
    struct harness *harness = ctx;
    (void)service_index;
    return store_abandoned(harness->store, at_ms, moment, screen, "");
}

/* One pass of the main loop: what app_tick does for these modules. */
static void tick(struct harness *harness)
{
    int64_t now = clock_now_ms(&harness->clock);
    journey_tick(&harness->journey, now);
    lights_tick(harness->lights, now);
    audio_tick(harness->audio, now);
    store_tick(harness->store, now);
    web_poll(harness->web, now);
}

/* Lets real time pass while the main loop keeps running. */
static void run_for(struct harness *harness, int64_t ms)
{
    int64_t end = clock_now_ms(&harness->clock) + ms;
    for (;;) {
        tick(harness);
        int64_t left = end - clock_now_ms(&harness->clock);
        if (left <= 0) {
            return;
        }
        struct timespec pause = {.tv_nsec = (left < LOOP_MS ? left : LOOP_MS) * 1000000L};
        nanosleep(&pause, NULL);
    }
}

static int replay(struct harness *harness, const char *path, char *err, size_t err_size)
{
    struct replay_script script;
    if (replay_load(&script, path, err, err_size) != 0) {
        return -1;
    }
    int64_t pace = 600;
    int result = 0;
    for (size_t i = 0; i < script.count && result == 0; i++) {
        const struct replay_command *cmd = &script.commands[i];
        switch (cmd->op) {
        case REPLAY_TAP:
            run_for(harness, pace < PACE_MAX_MS ? pace : PACE_MAX_MS);
            journey_touch(&harness->journey, clock_now_ms(&harness->clock));
            if (journey_tap(&harness->journey, cmd->id, clock_now_ms(&harness->clock)) != 1) {
                snprintf(err, err_size, "%s:%d: tap %s did nothing on the %s screen", script.path,
                         cmd->line, cmd->id,
                         journey_screen_name(journey_current(&harness->journey)));
                result = -1;
            }
            break;
        case REPLAY_WAIT:
            run_for(harness, cmd->ms < WAIT_MAX_MS ? cmd->ms : WAIT_MAX_MS);
            break;
        case REPLAY_PACE:
            pace = cmd->ms;
            break;
        case REPLAY_EXPECT: {
            const char *showing = journey_screen_name(journey_current(&harness->journey));
            if (strcmp(showing, cmd->id) != 0) {
                snprintf(err, err_size, "%s:%d: expect-screen %s: the kiosk shows %s", script.path,
                         cmd->line, cmd->id, showing);
                result = -1;
            }
            break;
        }
        case REPLAY_HOST:
            store_set_status(harness->store, (int)cmd->ms,
                             strcmp(cmd->id, "collected") == 0 ? ARRIVAL_COLLECTED
                             : strcmp(cmd->id, "no-show") == 0 ? ARRIVAL_NO_SHOW
                                                               : ARRIVAL_WAITING,
                             clock_now_ms(&harness->clock));
            break;
        case REPLAY_TAP_AT:
        case REPLAY_HOLD:
        case REPLAY_STORM:
        case REPLAY_CHECKIN_DEFAULT:
            snprintf(err, err_size, "%s:%d: the harness has no screen: use tap ID", script.path,
                     cmd->line);
            result = -1;
            break;
        case REPLAY_REAL_WAIT:
        case REPLAY_STALL:
        case REPLAY_ADVANCE_TO:
        case REPLAY_MEMORY:
        case REPLAY_CLOCK_STEP:
            snprintf(err, err_size,
                     "%s:%d: real-wait, stall, advance-to, clock-step and memory are for the "
                     "kiosk's own tests (watchdog, soak, clock)",
                     script.path, cmd->line);
            result = -1;
            break;
        }
    }
    replay_free(&script);
    return result;
}

static void report(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "web_harness: %s\n", message);
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *db_path = NULL, *assets = "assets", *passphrase = NULL;
    const char *tls_cert = "", *tls_key = "";
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--config") == 0) {
            config_path = argv[i + 1];
        } else if (strcmp(argv[i], "--db") == 0) {
            db_path = argv[i + 1];
        } else if (strcmp(argv[i], "--assets") == 0) {
            assets = argv[i + 1];
        } else if (strcmp(argv[i], "--passphrase") == 0) {
            passphrase = argv[i + 1];
        } else if (strcmp(argv[i], "--tls-cert") == 0) {
            tls_cert = argv[i + 1];
        } else if (strcmp(argv[i], "--tls-key") == 0) {
            tls_key = argv[i + 1];
        } else if (strcmp(argv[i], "--port") == 0) {
            char *end = NULL;
            long value = strtol(argv[i + 1], &end, 10);
            if (end == argv[i + 1] || *end != '\0' || value < 0 || value > 65535) {
                fprintf(stderr, "web_harness: --port %s: must be a port number 0..65535\n",
                        argv[i + 1]);
                return 2;
            }
            port = (int)value;
        }
    }
    if (config_path == NULL || db_path == NULL || passphrase == NULL) {
        fprintf(stderr, "usage: web_harness --config FILE --db FILE --passphrase TEXT "
                        "[--assets DIR] [--port N]\n");
        return 2;
    }
    static struct harness storage;
    struct harness *harness = &storage;
    log_set_quiet(0);
    clock_init_real(&harness->clock);
    config_defaults(&harness->config);
    struct config_problems problems = {0};
    if (config_load(&harness->config, config_path, report, NULL, &problems) != 0 ||
        problems.errors > 0) {
        return 2;
    }
    char err[1024];
    const char *codes[CONFIG_MAX_LANGUAGES];
    for (int i = 0; i < harness->config.language_count; i++) {
        codes[i] = harness->config.languages[i];
    }
    char lang_dir[512];
    snprintf(lang_dir, sizeof lang_dir, "%s/lang", assets);
    int lang_problems = 0;
    harness->langs = lang_open(lang_dir, codes, harness->config.language_count, report, NULL,
                               &lang_problems, err, sizeof err);
    if (harness->langs == NULL) {
        fprintf(stderr, "web_harness: %s\n", err);
        return 2;
    }
    harness->nl = lang_get(harness->langs, "nl");
    harness->store = store_open(db_path, &harness->config.phases, harness->config.closing_minute,
                                err, sizeof err);
    if (harness->store == NULL) {
        fprintf(stderr, "web_harness: %s\n", err);
        return 2;
    }
    int64_t now = clock_now_ms(&harness->clock);
    harness->lights = lights_open(&harness->config.lights, now);
    harness->audio = audio_open_offline(&harness->config.audio, now, 48000);

    /* The config's [web] and [research] (the researcher's download), with the harness's own
     * port, address, TLS files and passphrase. */
    struct web_config web_config = harness->config.web;
    web_config.port = port;
    snprintf(web_config.bind_address, sizeof web_config.bind_address, "127.0.0.1");
    snprintf(web_config.tls_cert, sizeof web_config.tls_cert, "%s", tls_cert);
    snprintf(web_config.tls_key, sizeof web_config.tls_key, "%s", tls_key);
    if (web_auth_hash_passphrase(passphrase, strlen(passphrase), WEB_HASH_ITERATIONS_DEFAULT,
                                 web_config.passphrase_hash,
                                 sizeof web_config.passphrase_hash) != 0) {
        fprintf(stderr, "web_harness: cannot hash the passphrase (8..256 bytes)\n");
        return 2;
    }
    struct web_context ctx = {
        .store = harness->store,
        .lights = harness->lights,
        .audio = harness->audio,
        .kiosk = {.site = harness->config.site,
                  .ask_stress = harness->config.ask_stress,
                  .services = harness->config.services,
                  .service_count = harness->config.service_count},
        .langs = harness->langs,
        .assets_dir = assets,
        .db_path = db_path,
    };
    harness->web = web_open(&web_config, &ctx, err, sizeof err);
    if (harness->web == NULL) {
        fprintf(stderr, "web_harness: %s\n", err);
        return 2;
    }
    struct journey_settings settings = {
        .service_count = harness->config.service_count,
        .ask_stress = harness->config.ask_stress,
        .ask_word = harness->config.ask_word,
        .departure_tap = harness->config.departure_tap,
        .inactivity_ms = harness->config.inactivity_seconds * 1000,
        .checked_in_ms = harness->config.checked_in_seconds * 1000,
    };
    snprintf(settings.default_language, sizeof settings.default_language, "nl");
    struct journey_sink sink = {.ctx = harness,
                                .next_name = sink_next_name,
                                .arrive = sink_arrive,
                                .change_service = sink_change_service,
                                .wants_word = sink_wants_word,
                                .answers = sink_answers,
                                .departure = sink_departure,
                                .abandoned = sink_abandoned};
    journey_init(&harness->journey, &settings, &sink, now);
    printf("listening %d\n", web_port(harness->web));
    fflush(stdout);

    char line[300];
    bool running = true;
    while (running) {
        tick(harness);
        struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
        if (poll(&input, 1, LOOP_MS) <= 0) {
            continue;
        }
        if (fgets(line, sizeof line, stdin) == NULL) {
            break; /* the test ended */
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "replay ", 7) == 0) {
            if (replay(harness, line + 7, err, sizeof err) == 0) {
                printf("replayed %s\n", line + 7);
            } else {
                printf("replay failed: %s\n", err);
            }
            fflush(stdout);
        } else if (strcmp(line, "quit") == 0) {
            running = false;
        }
    }
    web_close(harness->web);
    audio_close(harness->audio);
    lights_close(harness->lights);
    store_close(harness->store);
    lang_close(harness->langs);
    return 0;
}
