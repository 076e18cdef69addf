/*
 * journey: see journey.h. Flow: event (tap id, time) -> journey -> sink (store).
 * Screens that are switched off in the settings are simply never entered.
 */
#include "kiosk/journey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const screen_names[SCREEN_COUNT] = {
    [SCREEN_WELCOME] = "welcome", [SCREEN_SERVICE] = "service",       [SCREEN_STRESS] = "stress",
    [SCREEN_WORD] = "word",       [SCREEN_CHECKED_IN] = "checked-in", [SCREEN_LEAVE] = "leave",
    [SCREEN_GOODBYE] = "goodbye",
};

const char *journey_screen_name(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT ? screen_names[screen] : "unknown";
}

int journey_screen_from_name(const char *name)
{
    for (int i = 0; i < SCREEN_COUNT; i++) {
        if (strcmp(screen_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static void show(struct journey *journey, enum journey_screen screen, int64_t now_ms)
{
    journey->screen = screen;
    journey->screen_since_ms = now_ms;
    journey->generation++;
}

/* A fresh journey for the next visitor, in the default language. */
static void reset(struct journey *journey, int64_t now_ms)
{
    journey->service_index = -1;
    journey->stress_answer = JOURNEY_NO_ANSWER;
    journey->wants_word = false;
    journey->recorded = false;
    journey->answered = false;
    journey->record_seq = 0;
    journey->name_number = 0;
    journey->friendly_name[0] = '\0';
    journey->wait_range_shown = false;
    journey->wait_low_min = -1;
    journey->wait_high_min = -1;
    if (strcmp(journey->language, journey->settings.default_language) != 0) {
        snprintf(journey->language, sizeof journey->language, "%s",
                 journey->settings.default_language);
        if (journey->sink.language) {
            journey->sink.language(journey->sink.ctx, journey->language);
        }
    }
    show(journey, SCREEN_WELCOME, now_ms);
}

void journey_init(struct journey *journey, const struct journey_settings *settings,
                  const struct journey_sink *sink, int64_t now_ms)
{
    memset(journey, 0, sizeof *journey);
    journey->settings = *settings;
    journey->sink = *sink;
    snprintf(journey->language, sizeof journey->language, "%s", settings->default_language);
    journey->last_touch_ms = now_ms;
    reset(journey, now_ms);
}

static bool in_check_in(enum journey_screen screen)
{
    return screen == SCREEN_SERVICE || screen == SCREEN_STRESS || screen == SCREEN_WORD;
}

/* The checked-in visitor's answers, handed over once; word_outcome for the word question. */
static void hand_over_answers(struct journey *journey, int64_t now_ms, int stress_answer,
                              enum store_word_response word_outcome)
{
    if (!journey->recorded || journey->answered || journey->screen == SCREEN_LEAVE) {
        return;
    }
    journey->answered = true;
    const struct journey_settings *s = &journey->settings;
    journey->sink.answers(journey->sink.ctx, now_ms, journey->name_number, journey->service_index,
                          s->ask_stress ? stress_answer : STORE_SCALE_NOT_ASKED,
                          s->ask_word ? word_outcome : STORE_WORD_NOT_ASKED);
}

/*
 * The visitor left the screen unfinished (timeout, or back from the first screen). Before
 * the check-in: an abandoned journey. After it: the check-in stands, the questions not
 * answered count as abandoned. A departure left unanswered is an abandoned departure.
 */
static void abandon(struct journey *journey, int64_t now_ms)
{
    if (journey->screen == SCREEN_LEAVE) {
        journey->sink.departure(journey->sink.ctx, now_ms, STORE_SCALE_ABANDONED);
    } else if (journey->recorded) {
        bool stress_done =
            journey->screen == SCREEN_WORD && journey->stress_answer != JOURNEY_NO_ANSWER;
        hand_over_answers(journey, now_ms,
                          stress_done ? journey->stress_answer : STORE_SCALE_ABANDONED,
                          STORE_WORD_ABANDONED);
    } else {
        journey->sink.abandoned(journey->sink.ctx, now_ms, STORE_MOMENT_ARRIVAL,
                                journey_screen_name(journey->screen), journey->service_index);
    }
    reset(journey, now_ms);
}

/* Checks the visitor in (once): the service is known. A later change of service is passed on. */
static void check_in(struct journey *journey, int64_t now_ms)
{
    if (journey->recorded) {
        if (journey->service_index != journey->recorded_service) {
            journey->sink.change_service(journey->sink.ctx, journey->name_number, now_ms,
                                         journey->service_index);
            journey->recorded_service = journey->service_index;
        }
        return;
    }
    struct store_arrival_in arrival = {.at_ms = now_ms};
    arrival.name_number = journey->sink.next_name(journey->sink.ctx, now_ms, arrival.friendly_name,
                                                  sizeof arrival.friendly_name);
    /* The sink fills in the service id and the waiting message; it knows the configuration. */
    journey->record_seq = journey->sink.arrive(journey->sink.ctx, &arrival, journey->service_index);
    journey->recorded = true;
    journey->recorded_service = journey->service_index;
    journey->name_number = arrival.name_number;
    journey->wait_range_shown = strcmp(arrival.wait_message, STORE_WAIT_MESSAGE_RANGE) == 0;
    journey->wait_low_min = journey->wait_range_shown ? arrival.wait_low_min : -1;
    journey->wait_high_min = journey->wait_range_shown ? arrival.wait_high_min : -1;
    snprintf(journey->friendly_name, sizeof journey->friendly_name, "%s", arrival.friendly_name);
}

/* The questions are done: hands the answers over and shows the checked-in screen. */
static void complete_checkin(struct journey *journey, int64_t now_ms)
{
    check_in(journey, now_ms);
    hand_over_answers(journey, now_ms,
                      journey->stress_answer >= 0 ? journey->stress_answer : JOURNEY_SKIPPED,
                      STORE_WORD_ANSWERED);
    show(journey, SCREEN_CHECKED_IN, now_ms);
}

/* The screen after `from` in the check-in flow, skipping those switched off. */
static void advance(struct journey *journey, enum journey_screen from, int64_t now_ms)
{
    const struct journey_settings *s = &journey->settings;
    if (from < SCREEN_SERVICE && s->service_count > 1) {
        show(journey, SCREEN_SERVICE, now_ms);
        return;
    }
    if (from < SCREEN_SERVICE) {
        journey->service_index = s->service_count == 1 ? 0 : -1;
    }
    if (from <= SCREEN_SERVICE) {
        check_in(journey, now_ms); /* the service is known: the visitor is checked in */
    }
    if (from < SCREEN_STRESS && s->ask_stress) {
        show(journey, SCREEN_STRESS, now_ms);
        return;
    }
    if (from < SCREEN_WORD && s->ask_word) {
        show(journey, SCREEN_WORD, now_ms);
        return;
    }
    complete_checkin(journey, now_ms);
}

/* The screen before the current one in the check-in flow, or welcome. */
static void go_back(struct journey *journey, int64_t now_ms)
{
    const struct journey_settings *s = &journey->settings;
    switch (journey->screen) {
    case SCREEN_WORD:
        if (s->ask_stress) {
            journey->stress_answer = JOURNEY_NO_ANSWER;
            show(journey, SCREEN_STRESS, now_ms);
            return;
        }
        /* fall through */
    case SCREEN_STRESS:
        if (s->service_count > 1) {
            journey->service_index = -1;
            show(journey, SCREEN_SERVICE, now_ms);
            return;
        }
        /* fall through */
    default:
        abandon(journey, now_ms);
    }
}

/* Parses "prefix:N" with N in [min, max]; returns N or -1. */
static int id_number(const char *id, const char *prefix, int min, int max)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0 || id[n] == '\0') {
        return -1;
    }
    char *end;
    long value = strtol(id + n, &end, 10);
    if (*end != '\0' || value < min || value > max) {
        return -1;
    }
    return (int)value;
}

static int tap_welcome(struct journey *journey, const char *id, int64_t now_ms)
{
    if (strcmp(id, "checkin") == 0) {
        advance(journey, SCREEN_WELCOME, now_ms);
        return 1;
    }
    if (strcmp(id, "leave") == 0 && journey->settings.departure_tap) {
        show(journey, SCREEN_LEAVE, now_ms);
        return 1;
    }
    if (strncmp(id, "lang:", 5) == 0 && strlen(id + 5) < sizeof journey->language &&
        strcmp(id + 5, journey->language) != 0) {
        snprintf(journey->language, sizeof journey->language, "%s", id + 5);
        if (journey->sink.language) {
            journey->sink.language(journey->sink.ctx, journey->language);
        }
        journey->generation++;
        return 1;
    }
    return 0;
}

/* Score or skip on a 0-10 screen: returns the answer, or JOURNEY_NO_ANSWER. */
static int scale_answer(const char *id)
{
    if (strcmp(id, "skip") == 0) {
        return JOURNEY_SKIPPED;
    }
    int score = id_number(id, "score:", 0, 10);
    return score >= 0 ? score : JOURNEY_NO_ANSWER;
}

int journey_tap(struct journey *journey, const char *id, int64_t now_ms)
{
    journey_touch(journey, now_ms);
    if (now_ms - journey->screen_since_ms < JOURNEY_GUARD_MS) {
        return 0; /* the tail of a double tap meant for the previous screen */
    }
    if (strcmp(id, "back") == 0 &&
        (in_check_in(journey->screen) || journey->screen == SCREEN_LEAVE)) {
        go_back(journey, now_ms);
        return 1;
    }
    int answer;
    switch (journey->screen) {
    case SCREEN_WELCOME:
        return tap_welcome(journey, id, now_ms);
    case SCREEN_SERVICE: {
        int service = id_number(id, "service:", 1, journey->settings.service_count);
        if (service < 0) {
            return 0;
        }
        journey->service_index = service - 1;
        advance(journey, SCREEN_SERVICE, now_ms);
        return 1;
    }
    case SCREEN_STRESS:
        answer = scale_answer(id);
        if (answer == JOURNEY_NO_ANSWER) {
            return 0;
        }
        journey->stress_answer = answer;
        advance(journey, SCREEN_STRESS, now_ms);
        return 1;
    case SCREEN_WORD:
        if (strcmp(id, "word:yes") != 0 && strcmp(id, "word:no") != 0) {
            return 0;
        }
        journey->wants_word = strcmp(id, "word:yes") == 0;
        if (journey->wants_word && journey->recorded) {
            journey->sink.wants_word(journey->sink.ctx, journey->name_number, now_ms);
        }
        advance(journey, SCREEN_WORD, now_ms);
        return 1;
    case SCREEN_CHECKED_IN:
    case SCREEN_GOODBYE:
        if (strcmp(id, "ok") != 0) {
            return 0;
        }
        reset(journey, now_ms);
        return 1;
    case SCREEN_LEAVE:
        answer = scale_answer(id);
        if (answer == JOURNEY_NO_ANSWER || journey->recorded) {
            return 0;
        }
        journey->sink.departure(journey->sink.ctx, now_ms, answer);
        journey->recorded = true;
        journey->record_seq = 0; /* pooled: no write of its own to acknowledge */
        show(journey, SCREEN_GOODBYE, now_ms);
        return 1;
    default:
        return 0;
    }
}

void journey_touch(struct journey *journey, int64_t now_ms)
{
    if (now_ms > journey->last_touch_ms) {
        journey->last_touch_ms = now_ms;
    }
}

int64_t journey_next_deadline_ms(const struct journey *journey)
{
    int64_t since = journey->screen_since_ms > journey->last_touch_ms ? journey->screen_since_ms
                                                                      : journey->last_touch_ms;
    switch (journey->screen) {
    case SCREEN_WELCOME:
        return INT64_MAX;
    case SCREEN_CHECKED_IN:
        return journey->screen_since_ms + journey->settings.checked_in_ms;
    case SCREEN_GOODBYE:
        return journey->screen_since_ms + JOURNEY_GOODBYE_MS;
    default:
        return since + journey->settings.inactivity_ms;
    }
}

int journey_tick(struct journey *journey, int64_t now_ms)
{
    if (now_ms < journey_next_deadline_ms(journey)) {
        return 0;
    }
    if (in_check_in(journey->screen) || journey->screen == SCREEN_LEAVE) {
        abandon(journey, now_ms);
    } else {
        reset(journey, now_ms);
    }
    return 1;
}
