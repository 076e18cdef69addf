/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * journey: see journey.h. Flow: event (tap id, time) -> journey -> sink (store).
 *
 * Two tables say what the journey is. screens[] names every screen and says what kind it
 * is (a question, a screen that ends by itself, an aside of a question), which form draws
 * it and its title. check_in_steps[]
 * is the check-in in order: each step names its screen, whether the settings switch it
 * on, and what a tap on it answers. advance() and go_back() walk that table, so adding a
 * question is one row and its answer function; screens switched off are never entered.
 */
#include "kiosk/journey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/nature_words.h"

/* What a screen is, for timeouts and the ways out. */
enum screen_kind {
    KIND_START,    /* welcome: never times out */
    KIND_QUESTION, /* a question: restart, language, help; still-there before a reset */
    KIND_ASIDE,    /* language picker, help: return to the question they came from */
    KIND_ASK,      /* still-there itself */
    KIND_END,      /* checked-in, goodbye, closed: back to welcome after a while */
};

static const struct {
    const char *name; /* stable: replay scripts, screenshot files, abandoned counts */
    enum screen_kind kind;
    enum journey_form form;
    enum lang_key title;
} screens[SCREEN_COUNT] = {
    [SCREEN_WELCOME] = {"welcome", KIND_START, JOURNEY_FORM_WELCOME, K_WELCOME_TITLE},
    [SCREEN_SERVICE] = {"service", KIND_QUESTION, JOURNEY_FORM_TILES, K_SERVICE_TITLE},
    [SCREEN_STRESS] = {"stress", KIND_QUESTION, JOURNEY_FORM_SCALE, K_STRESS_TITLE},
    [SCREEN_WORD] = {"word", KIND_QUESTION, JOURNEY_FORM_TWO_CHOICES, K_WORD_TITLE},
    /* Two sentences and the name: the title says the name will be called, the body the wait. */
    [SCREEN_CHECKED_IN] = {"checked-in", KIND_END, JOURNEY_FORM_CHECKED_IN, K_DONE_NAME_INTRO},
    [SCREEN_LEAVE] = {"leave", KIND_QUESTION, JOURNEY_FORM_SCALE, K_DEPART_TITLE},
    [SCREEN_GOODBYE] = {"goodbye", KIND_END, JOURNEY_FORM_GOODBYE, K_DEPART_THANKS},
    [SCREEN_CLOSED] = {"closed", KIND_END, JOURNEY_FORM_CLOSED, K_CLOSED_TITLE},
    [SCREEN_STILL_THERE] = {"still-there", KIND_ASK, JOURNEY_FORM_STILL_THERE, K_STILL_TITLE},
    [SCREEN_LANGUAGE] = {"language", KIND_ASIDE, JOURNEY_FORM_LANGUAGES, K_LANGUAGE_TITLE},
    [SCREEN_HELP] = {"help", KIND_ASIDE, JOURNEY_FORM_MESSAGE, K_HELP_TITLE},
    [SCREEN_LEAVE_NAME] = {"leave-name", KIND_QUESTION, JOURNEY_FORM_WORDS, K_LEAVE_NAME_TITLE},
    [SCREEN_LEAVE_NUMBER] = {"leave-number", KIND_QUESTION, JOURNEY_FORM_DIGITS,
                             K_LEAVE_NUMBER_TITLE},
};

enum journey_form journey_screen_form(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT ? screens[screen].form : JOURNEY_FORM_MESSAGE;
}

enum lang_key journey_screen_title(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT ? screens[screen].title : K_WELCOME_TITLE;
}

const char *journey_screen_name(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT ? screens[screen].name : "unknown";
}

int journey_screen_from_name(const char *name)
{
    for (int i = 0; i < SCREEN_COUNT; i++) {
        if (strcmp(screens[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

bool journey_is_question(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT && screens[screen].kind == KIND_QUESTION;
}

static enum screen_kind kind_of(enum journey_screen screen)
{
    return (unsigned)screen < SCREEN_COUNT ? screens[screen].kind : KIND_END;
}

static void show(struct journey *journey, enum journey_screen screen, int64_t now_ms)
{
    journey->screen = screen;
    journey->screen_since_ms = now_ms;
    journey->generation++;
}

static void set_language(struct journey *journey, const char *code)
{
    snprintf(journey->language, sizeof journey->language, "%s", code);
    if (journey->sink.language) {
        journey->sink.language(journey->sink.ctx, journey->language);
    }
    journey->generation++;
}

/* A fresh journey for the next visitor, in the default language. */
static void reset(struct journey *journey, int64_t now_ms)
{
    journey->service_index = -1;
    journey->stress_answer = JOURNEY_NO_ANSWER;
    journey->wants_word = false;
    journey->help_asked = false;
    journey->resume_screen = SCREEN_WELCOME;
    journey->recorded = false;
    journey->answered = false;
    journey->record_seq = 0;
    journey->name_number = 0;
    journey->friendly_name[0] = '\0';
    journey->leave_word = -1;
    journey->leave_digits[0] = '\0';
    journey->wait_range_shown = false;
    journey->wait_low_min = -1;
    journey->wait_high_min = -1;
    if (strcmp(journey->language, journey->settings.default_language) != 0) {
        set_language(journey, journey->settings.default_language);
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

/* The question a screen belongs to: itself, or the one an aside or still-there came from. */
static enum journey_screen question_of(const struct journey *journey)
{
    return journey_is_question(journey->screen) ? journey->screen : journey->resume_screen;
}

/* Whether a question screen belongs to the departure ("Ik ga weg"), not the check-in. */
static bool is_departure(enum journey_screen screen)
{
    return screen == SCREEN_LEAVE || screen == SCREEN_LEAVE_NAME || screen == SCREEN_LEAVE_NUMBER;
}

/* The checked-in visitor's answers, handed over once; word_outcome for the word question. */
static void hand_over_answers(struct journey *journey, int64_t now_ms, int stress_answer,
                              enum store_word_response word_outcome)
{
    if (!journey->recorded || journey->answered || is_departure(question_of(journey))) {
        return;
    }
    journey->answered = true;
    const struct journey_settings *s = &journey->settings;
    journey->sink.answers(journey->sink.ctx, now_ms, journey->name_number, journey->service_index,
                          s->ask_stress ? stress_answer : STORE_SCALE_NOT_ASKED,
                          s->ask_word ? word_outcome : STORE_WORD_NOT_ASKED);
}

/*
 * The visitor left the question unfinished (still-there unanswered, restart, or back from
 * the first question). Before the check-in: an abandoned journey, counted on its question.
 * After it: the check-in stands, the questions not answered count as abandoned. A departure
 * left unanswered is an abandoned departure. Then back to welcome.
 */
static void abandon(struct journey *journey, int64_t now_ms)
{
    enum journey_screen question = question_of(journey);
    if (is_departure(question)) { /* the name may be given: the answer is still pooled */
        journey->sink.departure(journey->sink.ctx, now_ms, STORE_SCALE_ABANDONED);
    } else if (journey->recorded) {
        bool stress_done = question == SCREEN_WORD && journey->stress_answer != JOURNEY_NO_ANSWER;
        hand_over_answers(journey, now_ms,
                          stress_done ? journey->stress_answer : STORE_SCALE_ABANDONED,
                          STORE_WORD_ABANDONED);
    } else {
        journey->sink.abandoned(journey->sink.ctx, now_ms, STORE_MOMENT_ARRIVAL,
                                journey_screen_name(question), journey->service_index);
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

/* Score or skip on a 0-10 screen: returns the answer, or JOURNEY_NO_ANSWER. */
static int scale_answer(const char *id)
{
    if (strcmp(id, "skip") == 0) {
        return JOURNEY_SKIPPED;
    }
    int score = id_number(id, "score:", 0, 10);
    return score >= 0 ? score : JOURNEY_NO_ANSWER;
}

/* --- the check-in, one row per question ----------------------------------------------- */

static bool service_on(const struct journey_settings *s)
{
    return s->service_count > 1;
}

static bool stress_on(const struct journey_settings *s)
{
    return s->ask_stress;
}

static bool word_on(const struct journey_settings *s)
{
    return s->ask_word;
}

/* Each returns true when id answered the question (and keeps the answer, and tells the
 * sink what the host must see at once). */
static bool service_answer(struct journey *journey, const char *id, int64_t now_ms)
{
    (void)now_ms;
    int service = id_number(id, "service:", 1, journey->settings.service_count);
    if (service < 0) {
        return false;
    }
    journey->service_index = service - 1;
    return true;
}

static bool stress_answer(struct journey *journey, const char *id, int64_t now_ms)
{
    (void)now_ms;
    int answer = scale_answer(id);
    if (answer == JOURNEY_NO_ANSWER) {
        return false;
    }
    journey->stress_answer = answer;
    return true;
}

static bool word_answer(struct journey *journey, const char *id, int64_t now_ms)
{
    if (strcmp(id, "word:yes") != 0 && strcmp(id, "word:no") != 0) {
        return false;
    }
    journey->wants_word = strcmp(id, "word:yes") == 0;
    if (journey->wants_word && journey->recorded) {
        journey->sink.wants_word(journey->sink.ctx, journey->name_number, now_ms);
    }
    return true;
}

/* Each forgets the answer when the visitor goes back to the question. */
static void service_clear(struct journey *journey)
{
    journey->service_index = -1;
}

static void stress_clear(struct journey *journey)
{
    journey->stress_answer = JOURNEY_NO_ANSWER;
}

static void word_clear(struct journey *journey)
{
    journey->wants_word = false;
}

static const struct journey_step {
    enum journey_screen screen;
    bool (*on)(const struct journey_settings *settings);
    bool (*answer)(struct journey *journey, const char *id, int64_t now_ms);
    void (*clear)(struct journey *journey);
} check_in_steps[] = {
    {SCREEN_SERVICE, service_on, service_answer, service_clear},
    {SCREEN_STRESS, stress_on, stress_answer, stress_clear},
    {SCREEN_WORD, word_on, word_answer, word_clear},
};

#define STEP_COUNT ((int)(sizeof check_in_steps / sizeof check_in_steps[0]))

/* The step of a screen, or -1 when the screen is not a check-in question. */
static int step_of(enum journey_screen screen)
{
    for (int i = 0; i < STEP_COUNT; i++) {
        if (check_in_steps[i].screen == screen) {
            return i;
        }
    }
    return -1;
}

/* Shows the first step after `after` that is switched on, or completes the check-in. */
static void advance(struct journey *journey, int after, int64_t now_ms)
{
    if (after < 0) {
        /* One service: chosen without asking; none: no service. */
        journey->service_index = journey->settings.service_count == 1 ? 0 : -1;
    }
    int service_step = step_of(SCREEN_SERVICE);
    if (after >= service_step || !check_in_steps[service_step].on(&journey->settings)) {
        check_in(journey, now_ms); /* the service is known: the visitor is checked in */
    }
    for (int i = after + 1; i < STEP_COUNT; i++) {
        if (check_in_steps[i].on(&journey->settings)) {
            show(journey, check_in_steps[i].screen, now_ms);
            return;
        }
    }
    complete_checkin(journey, now_ms);
}

/* The step before the current one that is switched on (its answer forgotten), or welcome. */
static void go_back(struct journey *journey, int64_t now_ms)
{
    for (int i = step_of(journey->screen) - 1; i >= 0; i--) {
        if (check_in_steps[i].on(&journey->settings)) {
            check_in_steps[i].clear(journey);
            show(journey, check_in_steps[i].screen, now_ms);
            return;
        }
    }
    abandon(journey, now_ms);
}

/* --- taps ------------------------------------------------------------------------------ */

static bool is_language_tap(const struct journey *journey, const char *id)
{
    return strncmp(id, "lang:", 5) == 0 && id[5] != '\0' &&
           strlen(id + 5) < sizeof journey->language;
}

static int tap_welcome(struct journey *journey, const char *id, int64_t now_ms)
{
    if (strcmp(id, "checkin") == 0) {
        if (journey->sink.is_open && !journey->sink.is_open(journey->sink.ctx, now_ms)) {
            show(journey, SCREEN_CLOSED, now_ms); /* nobody is checked in while closed */
        } else {
            advance(journey, -1, now_ms);
        }
        return 1;
    }
    if (strcmp(id, "leave") == 0 && journey->settings.departure_tap) {
        /* Who is leaving first (optional), then the question: so the host's "left" is
         * written before the answer exists (docs/privacy.md). */
        show(journey, journey->sink.left ? SCREEN_LEAVE_NAME : SCREEN_LEAVE, now_ms);
        return 1;
    }
    if (is_language_tap(journey, id) && strcmp(id + 5, journey->language) != 0) {
        set_language(journey, id + 5);
        return 1;
    }
    return 0;
}

/* restart, language and help: the same on every question screen. Returns 1 when id was one. */
static int tap_way_out(struct journey *journey, const char *id, int64_t now_ms)
{
    if (strcmp(id, "restart") == 0) {
        abandon(journey, now_ms);
        return 1;
    }
    if (strcmp(id, "language") == 0) {
        journey->resume_screen = journey->screen;
        show(journey, SCREEN_LANGUAGE, now_ms);
        return 1;
    }
    if (strcmp(id, "help") == 0) {
        if (!journey->help_asked && journey->sink.help) {
            journey->sink.help(journey->sink.ctx, now_ms);
        }
        journey->help_asked = true; /* a second tap shows the screen again, counts nothing */
        journey->resume_screen = journey->screen;
        show(journey, SCREEN_HELP, now_ms);
        return 1;
    }
    return 0;
}

/* The departure question: one answer, recorded once, then thank you. */
static int tap_leave(struct journey *journey, const char *id, int64_t now_ms)
{
    int answer = scale_answer(id);
    if (answer == JOURNEY_NO_ANSWER || journey->recorded) {
        return 0;
    }
    journey->sink.departure(journey->sink.ctx, now_ms, answer);
    journey->recorded = true;
    journey->record_seq = 0; /* pooled: no write of its own to acknowledge */
    show(journey, SCREEN_GOODBYE, now_ms);
    return 1;
}

/* The word of today's name: all 25 are always shown, so the screen tells nobody who is
 * here. skip goes on to the departure question. */
static int tap_leave_name(struct journey *journey, const char *id, int64_t now_ms)
{
    if (strcmp(id, "skip") == 0) {
        show(journey, SCREEN_LEAVE, now_ms);
        return 1;
    }
    if (strncmp(id, "nature:", 7) != 0) {
        return 0;
    }
    for (int i = 0; i < NATURE_WORD_COUNT; i++) {
        if (strcmp(id + 7, NATURE_WORDS[i]) == 0) {
            journey->leave_word = i;
            journey->leave_digits[0] = '\0';
            show(journey, SCREEN_LEAVE_NUMBER, now_ms);
            return 1;
        }
    }
    return 0;
}

/* The number of today's name on a digit pad. ok tells the sink (which marks the arrival
 * left when the name is one of today's waiting visitors) and goes on to the departure
 * question either way: nothing on the screen tells whether the name was found. */
static int tap_leave_number(struct journey *journey, const char *id, int64_t now_ms)
{
    size_t typed = strlen(journey->leave_digits);
    int digit = id_number(id, "digit:", 0, 9);
    if (digit >= 0) {
        if (typed >= JOURNEY_LEAVE_DIGITS || (typed == 0 && digit == 0)) {
            return 0; /* numbers start at 1 and have at most three digits */
        }
        journey->leave_digits[typed] = (char)('0' + digit);
        journey->leave_digits[typed + 1] = '\0';
        journey->generation++;
        return 1;
    }
    if (strcmp(id, "delete") == 0) {
        if (typed == 0) {
            return 0;
        }
        journey->leave_digits[typed - 1] = '\0';
        journey->generation++;
        return 1;
    }
    if (strcmp(id, "ok") == 0) {
        if (typed == 0 || journey->leave_word < 0) {
            return 0;
        }
        /* Only digits reach leave_digits, at most JOURNEY_LEAVE_DIGITS of them. */
        int number = (int)strtol(journey->leave_digits, NULL, 10);
        journey->sink.left(journey->sink.ctx, now_ms, NATURE_WORDS[journey->leave_word], number);
        show(journey, SCREEN_LEAVE, now_ms);
        return 1;
    }
    if (strcmp(id, "skip") == 0) {
        show(journey, SCREEN_LEAVE, now_ms);
        return 1;
    }
    return 0;
}

int journey_tap(struct journey *journey, const char *id, int64_t now_ms)
{
    journey_touch(journey, now_ms);
    if (now_ms - journey->screen_since_ms < JOURNEY_GUARD_MS) {
        return 0; /* the tail of a double tap meant for the previous screen */
    }
    enum journey_screen screen = journey->screen;
    switch (kind_of(screen)) {
    case KIND_START:
        return tap_welcome(journey, id, now_ms);
    case KIND_QUESTION: {
        if (tap_way_out(journey, id, now_ms)) {
            return 1;
        }
        if (strcmp(id, "back") == 0) {
            if (screen == SCREEN_LEAVE_NUMBER) { /* another word */
                show(journey, SCREEN_LEAVE_NAME, now_ms);
            } else {
                go_back(journey, now_ms);
            }
            return 1;
        }
        if (screen == SCREEN_LEAVE) {
            return tap_leave(journey, id, now_ms);
        }
        if (screen == SCREEN_LEAVE_NAME) {
            return tap_leave_name(journey, id, now_ms);
        }
        if (screen == SCREEN_LEAVE_NUMBER) {
            return tap_leave_number(journey, id, now_ms);
        }
        int step = step_of(screen);
        if (step < 0 || !check_in_steps[step].answer(journey, id, now_ms)) {
            return 0;
        }
        advance(journey, step, now_ms);
        return 1;
    }
    case KIND_ASIDE:
        if (screen == SCREEN_LANGUAGE && is_language_tap(journey, id)) {
            if (strcmp(id + 5, journey->language) != 0) {
                set_language(journey, id + 5);
            }
        } else if (strcmp(id, screen == SCREEN_LANGUAGE ? "back" : "ok") != 0) {
            return 0;
        }
        show(journey, journey->resume_screen, now_ms);
        return 1;
    case KIND_ASK:
        if (strcmp(id, "yes") == 0) {
            show(journey, journey->resume_screen, now_ms);
            return 1;
        }
        if (strcmp(id, "restart") == 0) {
            abandon(journey, now_ms);
            return 1;
        }
        return 0;
    case KIND_END:
        if (strcmp(id, "ok") != 0) {
            return 0;
        }
        reset(journey, now_ms);
        return 1;
    }
    return 0;
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
    case SCREEN_CLOSED:
        return since + JOURNEY_CLOSED_MS;
    case SCREEN_STILL_THERE:
        /* Only "yes" or restart end it early: a stray touch does not push the reset on. */
        return journey->screen_since_ms + JOURNEY_STILL_THERE_MS;
    default:
        return since + journey->settings.inactivity_ms;
    }
}

int journey_tick(struct journey *journey, int64_t now_ms)
{
    if (now_ms < journey_next_deadline_ms(journey)) {
        return 0;
    }
    switch (kind_of(journey->screen)) {
    case KIND_QUESTION:
    case KIND_ASIDE:
        if (journey_is_question(journey->screen)) {
            journey->resume_screen = journey->screen;
        }
        show(journey, SCREEN_STILL_THERE, now_ms);
        if (journey->sink.still_there) {
            journey->sink.still_there(journey->sink.ctx, now_ms);
        }
        break;
    case KIND_ASK:
        abandon(journey, now_ms);
        break;
    default:
        reset(journey, now_ms);
    }
    return 1;
}
