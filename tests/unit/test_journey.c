/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of the visitor's journey (kiosk/journey.c) through a recording sink. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kiosk/journey.h"

struct record {
    int checkins, answers, departures, abandoned, names, service_changes;
    struct store_checkin last_checkin; /* the arrival, then its answers */
    int last_service;
    int last_word; /* enum store_word_response of the last answers */
    int last_departure_answer;
    char last_abandoned_screen[24];
    char last_abandoned_moment[16];
    char language[8];
    bool give_range; /* the sink records "usually 5 to 15 minutes" as the message shown */
    int helps;       /* help requests told to the host */
    bool closed;     /* the office is closed ([hours]) */
    int still_there; /* still-there sounds asked for */
    int lefts;       /* leaving visitors who named themselves */
    char left_word[16];
    int left_number;
    int departures_when_left; /* departure answers handed over before the name: must be 0 */
};

static int rec_next_name(void *ctx, int64_t now_ms, char *name, size_t size)
{
    (void)now_ms;
    struct record *r = ctx;
    r->names++;
    snprintf(name, size, "Vlinder %d", r->names);
    return r->names;
}

static int64_t rec_arrive(void *ctx, struct store_arrival_in *a, int service)
{
    struct record *r = ctx;
    r->checkins++;
    if (r->give_range) {
        snprintf(a->wait_message, sizeof a->wait_message, "%s", STORE_WAIT_MESSAGE_RANGE);
        a->wait_low_min = 5;
        a->wait_high_min = 15;
    }
    memset(&r->last_checkin, 0, sizeof r->last_checkin);
    r->last_checkin.name_number = a->name_number;
    snprintf(r->last_checkin.friendly_name, sizeof r->last_checkin.friendly_name, "%s",
             a->friendly_name);
    r->last_checkin.stress_answer = JOURNEY_NO_ANSWER;
    r->last_service = service;
    return r->checkins + r->departures + r->abandoned;
}

static void rec_change_service(void *ctx, int name_number, int64_t at_ms, int service)
{
    (void)name_number;
    (void)at_ms;
    struct record *r = ctx;
    r->service_changes++;
    r->last_service = service;
}

static void rec_wants_word(void *ctx, int name_number, int64_t at_ms)
{
    (void)at_ms;
    struct record *r = ctx;
    assert_int_equal(name_number, r->last_checkin.name_number);
    r->last_checkin.wants_word = true;
}

static void rec_answers(void *ctx, int64_t at_ms, int name_number, int service, int stress,
                        enum store_word_response word)
{
    (void)at_ms;
    (void)service;
    struct record *r = ctx;
    assert_int_equal(name_number, r->last_checkin.name_number);
    r->answers++;
    r->last_checkin.stress_asked = stress != STORE_SCALE_NOT_ASKED;
    r->last_checkin.stress_answer = stress;
    r->last_checkin.word_asked = word != STORE_WORD_NOT_ASKED;
    r->last_word = (int)word;
}

static void rec_departure(void *ctx, int64_t at_ms, int answer)
{
    (void)at_ms;
    struct record *r = ctx;
    r->departures++;
    r->last_departure_answer = answer;
}

static int64_t rec_abandoned(void *ctx, int64_t at_ms, const char *moment, const char *screen,
                             int service)
{
    (void)at_ms;
    (void)service;
    struct record *r = ctx;
    r->abandoned++;
    snprintf(r->last_abandoned_screen, sizeof r->last_abandoned_screen, "%s", screen);
    snprintf(r->last_abandoned_moment, sizeof r->last_abandoned_moment, "%s", moment);
    return 1;
}

static void rec_language(void *ctx, const char *code)
{
    struct record *r = ctx;
    snprintf(r->language, sizeof r->language, "%s", code);
}

static void rec_help(void *ctx, int64_t at_ms)
{
    (void)at_ms;
    struct record *r = ctx;
    r->helps++;
}

static bool rec_is_open(void *ctx, int64_t at_ms)
{
    (void)at_ms;
    const struct record *r = ctx;
    return !r->closed;
}

static void rec_still_there(void *ctx, int64_t at_ms)
{
    (void)at_ms;
    struct record *r = ctx;
    r->still_there++;
}

static void rec_left(void *ctx, int64_t at_ms, const char *word_id, int number)
{
    (void)at_ms;
    struct record *r = ctx;
    r->lefts++;
    snprintf(r->left_word, sizeof r->left_word, "%s", word_id);
    r->left_number = number;
    r->departures_when_left = r->departures;
}

struct fixture {
    struct journey journey;
    struct record record;
    int64_t now;
};

static struct journey_settings default_settings(void)
{
    struct journey_settings s = {.service_count = 4,
                                 .ask_stress = true,
                                 .ask_word = true,
                                 .departure_tap = true,
                                 .inactivity_ms = 30000,
                                 .checked_in_ms = 20000};
    snprintf(s.default_language, sizeof s.default_language, "nl");
    return s;
}

static void start(struct fixture *f, const struct journey_settings *s)
{
    memset(f, 0, sizeof *f);
    f->now = 1000000;
    struct journey_sink sink = {.ctx = &f->record,
                                .next_name = rec_next_name,
                                .arrive = rec_arrive,
                                .change_service = rec_change_service,
                                .wants_word = rec_wants_word,
                                .answers = rec_answers,
                                .departure = rec_departure,
                                .left = rec_left,
                                .abandoned = rec_abandoned,
                                .language = rec_language,
                                .help = rec_help,
                                .is_open = rec_is_open,
                                .still_there = rec_still_there};
    journey_init(&f->journey, s, &sink, f->now);
}

/* A calm visitor: taps JOURNEY_GUARD_MS + 600 ms after the screen appeared. */
static int tap(struct fixture *f, const char *id)
{
    f->now += JOURNEY_GUARD_MS + 600;
    return journey_tap(&f->journey, id, f->now);
}

/* A calm visitor's taps, one after the other (tap() each), up to NULL. */
static void taps(struct fixture *f, ...)
{
    va_list ids;
    va_start(ids, f);
    for (const char *id = va_arg(ids, const char *); id != NULL; id = va_arg(ids, const char *)) {
        tap(f, id);
    }
    va_end(ids);
}

static void test_full_checkin_walks_every_screen_in_order(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(tap(&f, "checkin"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_SERVICE);
    assert_int_equal(tap(&f, "service:2"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_STRESS);
    assert_int_equal(tap(&f, "score:7"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WORD);
    assert_int_equal(tap(&f, "word:yes"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_CHECKED_IN);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.last_service, 1);
    assert_true(f.record.last_checkin.stress_asked);
    assert_int_equal(f.record.last_checkin.stress_answer, 7);
    assert_true(f.record.last_checkin.wants_word);
    assert_string_equal(f.journey.friendly_name, "Vlinder 1");
    assert_int_equal(f.record.abandoned, 0);
}

static void test_checked_in_screen_shows_the_waiting_message_recorded(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    f.record.give_range = true;
    taps(&f, "checkin", "service:1", "score:4", "word:no", NULL);
    assert_true(f.record.last_checkin.word_asked);
    assert_true(f.journey.wait_range_shown);
    assert_int_equal(f.journey.wait_low_min, 5);
    assert_int_equal(f.journey.wait_high_min, 15);

    /* The next visitor, with no range recorded, sees "the host knows you are here". */
    tap(&f, "ok");
    assert_false(f.journey.wait_range_shown);
    f.record.give_range = false;
    taps(&f, "checkin", "service:1", "skip", "word:no", NULL);
    assert_int_equal(journey_current(&f.journey), SCREEN_CHECKED_IN);
    assert_false(f.journey.wait_range_shown);
}

static void test_skip_never_counts_a_score(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "checkin");
    tap(&f, "service:1");
    assert_int_equal(tap(&f, "skip"), 1);
    tap(&f, "word:no");
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, JOURNEY_SKIPPED);
    assert_true(f.record.last_checkin.stress_asked);
    assert_false(f.record.last_checkin.wants_word);
}

static void test_single_service_skips_the_service_screen(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    s.service_count = 1;
    start(&f, &s);
    tap(&f, "checkin");
    assert_int_equal(journey_current(&f.journey), SCREEN_STRESS);
    tap(&f, "score:0");
    tap(&f, "word:no");
    assert_int_equal(f.record.last_service, 0);
}

static void test_questions_switched_off_make_a_one_tap_checkin(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    s.service_count = 1;
    s.ask_stress = false;
    s.ask_word = false;
    start(&f, &s);
    tap(&f, "checkin");
    assert_int_equal(journey_current(&f.journey), SCREEN_CHECKED_IN);
    assert_int_equal(f.record.checkins, 1);
    assert_false(f.record.last_checkin.stress_asked);
    assert_false(f.record.last_checkin.word_asked);
}

static void test_choosing_the_service_checks_in_at_once(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "checkin");
    assert_int_equal(f.record.checkins, 0);
    tap(&f, "service:3");
    assert_int_equal(journey_current(&f.journey), SCREEN_STRESS);
    assert_int_equal(f.record.checkins, 1); /* on the host's list before any question */
    assert_int_equal(f.record.last_service, 2);
    assert_int_equal(f.record.answers, 0); /* nothing answered yet, nothing handed over */
}

static void test_walking_away_at_a_question_keeps_the_checkin(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "checkin");
    tap(&f, "service:3");
    assert_int_equal(journey_tick(&f.journey, f.now + 29999), 0);
    assert_int_equal(journey_current(&f.journey), SCREEN_STRESS);
    assert_int_equal(journey_tick(&f.journey, f.now + 30000), 1);
    /* "Bent u er nog?" first, for JOURNEY_STILL_THERE_MS (at least 10 s), softly sounded. */
    assert_int_equal(journey_current(&f.journey), SCREEN_STILL_THERE);
    assert_int_equal(f.record.still_there, 1);
    assert_int_equal(f.record.answers, 0);
    assert_true(JOURNEY_STILL_THERE_MS >= 10000);
    assert_int_equal(journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS - 1), 0);
    assert_int_equal(journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.abandoned, 0); /* not an abandoned journey: they checked in */
    assert_int_equal(f.record.answers, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, STORE_SCALE_ABANDONED);
    assert_int_equal(f.record.last_word, STORE_WORD_ABANDONED);
}

static void test_walking_away_at_the_word_question_keeps_the_stress_answer(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    taps(&f, "checkin", "service:2", "score:6", NULL);
    journey_tick(&f.journey, f.now + 30000);
    journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.answers, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, 6);
    assert_int_equal(f.record.last_word, STORE_WORD_ABANDONED);
}

static void test_timeout_before_the_service_counts_abandoned_and_no_checkin(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "checkin");
    assert_int_equal(journey_tick(&f.journey, f.now + 30000), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_STILL_THERE);
    assert_int_equal(journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.abandoned, 1);
    assert_string_equal(f.record.last_abandoned_screen, "service");
    assert_string_equal(f.record.last_abandoned_moment, "arrival");
    assert_int_equal(f.record.checkins, 0);
}

static void test_back_to_the_service_changes_the_checkin_not_a_second_one(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    taps(&f, "checkin", "service:1", "back", NULL);
    assert_int_equal(journey_current(&f.journey), SCREEN_SERVICE);
    tap(&f, "service:4");
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.service_changes, 1);
    assert_int_equal(f.record.last_service, 3);
    assert_int_equal(f.record.names, 1);
}

static void test_touch_keeps_a_question_open(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "checkin");
    journey_touch(&f.journey, f.now + 20000);
    assert_int_equal(journey_tick(&f.journey, f.now + 40000), 0);
    assert_int_equal(journey_tick(&f.journey, f.now + 50000), 1);
}

static void test_tap_burst_makes_one_checkin(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    s.service_count = 1;
    s.ask_word = false;
    start(&f, &s);
    tap(&f, "checkin");
    assert_int_equal(tap(&f, "score:5"), 1);
    /* The rest of a burst lands in the guard time of the checked-in screen. */
    for (int i = 0; i < 20; i++) {
        f.now += 15;
        journey_tap(&f.journey, "ok", f.now);
        journey_tap(&f.journey, "score:5", f.now);
        journey_tap(&f.journey, "checkin", f.now);
    }
    assert_int_equal(journey_current(&f.journey), SCREEN_CHECKED_IN);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.names, 1);
}

static void test_double_tap_does_not_answer_the_next_question(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    taps(&f, "checkin", "service:1", "score:9", NULL);
    /* The second tap of a double tap on "9" falls where "yes" is on the next screen. */
    assert_int_equal(journey_tap(&f.journey, "word:yes", f.now + 120), 0);
    assert_int_equal(journey_current(&f.journey), SCREEN_WORD);
    assert_int_equal(f.record.answers, 0);
    assert_false(f.record.last_checkin.wants_word);
}

static void test_back_returns_and_from_first_question_abandons(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    taps(&f, "checkin", "service:1", "back", NULL);
    assert_int_equal(journey_current(&f.journey), SCREEN_SERVICE);
    tap(&f, "back");
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    /* Checked in at the service: leaving keeps the check-in, the questions count as left. */
    assert_int_equal(f.record.abandoned, 0);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, STORE_SCALE_ABANDONED);
}

static void test_ids_of_other_screens_are_ignored(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    assert_int_equal(tap(&f, "score:3"), 0);
    assert_int_equal(tap(&f, "service:1"), 0);
    tap(&f, "checkin");
    assert_int_equal(tap(&f, "service:5"), 0); /* only 4 configured */
    assert_int_equal(tap(&f, "service:0"), 0);
    assert_int_equal(tap(&f, "word:yes"), 0);
    assert_int_equal(journey_current(&f.journey), SCREEN_SERVICE);
}

static void test_checked_in_returns_to_welcome_by_itself(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    s.service_count = 1;
    start(&f, &s);
    taps(&f, "checkin", "skip", "word:no", NULL);
    assert_int_equal(journey_current(&f.journey), SCREEN_CHECKED_IN);
    assert_int_equal(journey_tick(&f.journey, f.now + 20000), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.abandoned, 0); /* a finished journey is not abandoned */
}

static void test_departure_counts_answer_with_departure_moment(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "leave");
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE_NAME);
    tap(&f, "skip"); /* the name is optional */
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE);
    tap(&f, "score:2");
    assert_int_equal(journey_current(&f.journey), SCREEN_GOODBYE);
    assert_int_equal(f.record.departures, 1);
    assert_int_equal(f.record.last_departure_answer, 2);
    assert_int_equal(f.record.checkins, 0);
    journey_tick(&f.journey, f.now + JOURNEY_GOODBYE_MS);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
}

static void test_departure_button_absent_when_switched_off(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    s.departure_tap = false;
    start(&f, &s);
    assert_int_equal(tap(&f, "leave"), 0);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
}

static void test_abandoned_departure_is_counted_as_departure(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "leave");
    journey_tick(&f.journey, f.now + 30000);
    journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS);
    assert_int_equal(f.record.abandoned, 0);
    assert_int_equal(f.record.departures, 1); /* into the departure pool, as abandoned */
    assert_int_equal(f.record.last_departure_answer, STORE_SCALE_ABANDONED);
}

/* "Ik ga weg" with the name: the word's pictogram, then its number; the sink hears who
 * left before the departure question is shown, and the answer comes after, on its own. */
static void test_leaving_visitor_names_themselves_before_the_departure_question(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    tap(&f, "leave");
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE_NAME);
    assert_int_equal(tap(&f, "nature:nonsense"), 0);
    assert_int_equal(tap(&f, "nature:heron"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE_NUMBER);
    assert_int_equal(tap(&f, "ok"), 0);      /* no number yet */
    assert_int_equal(tap(&f, "digit:0"), 0); /* numbers start at 1 */
    assert_int_equal(tap(&f, "digit:1"), 1);
    assert_int_equal(tap(&f, "digit:5"), 1);
    assert_int_equal(tap(&f, "digit:9"), 1);
    assert_int_equal(tap(&f, "delete"), 1);
    assert_int_equal(tap(&f, "digit:2"), 1);
    assert_int_equal(tap(&f, "digit:7"), 0); /* three digits at most */
    assert_string_equal(f.journey.leave_digits, "152");
    assert_int_equal(tap(&f, "back"), 1); /* another word */
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE_NAME);
    assert_int_equal(tap(&f, "nature:heron"), 1);
    assert_string_equal(f.journey.leave_digits, "");
    tap(&f, "digit:2");
    assert_int_equal(f.record.lefts, 0);
    assert_int_equal(tap(&f, "ok"), 1);
    assert_int_equal(f.record.lefts, 1);
    assert_string_equal(f.record.left_word, "heron");
    assert_int_equal(f.record.left_number, 2);
    assert_int_equal(f.record.departures_when_left, 0);
    assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE);
    tap(&f, "score:3");
    assert_int_equal(f.record.departures, 1);
    assert_int_equal(f.record.last_departure_answer, 3);
    assert_int_equal(f.record.lefts, 1); /* the answer carries no name */
    assert_int_equal(journey_current(&f.journey), SCREEN_GOODBYE);
    assert_int_equal(f.record.checkins, 0);
}

/* Skipping the name, on either screen, tells the sink nothing. */
static void test_leaving_without_a_name_tells_nobody(void **state)
{
    (void)state;
    for (int on_number = 0; on_number < 2; on_number++) {
        struct fixture f;
        struct journey_settings s = default_settings();
        start(&f, &s);
        tap(&f, "leave");
        if (on_number) {
            tap(&f, "nature:swan");
            tap(&f, "digit:4");
        }
        assert_int_equal(tap(&f, "skip"), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_LEAVE);
        tap(&f, "skip");
        assert_int_equal(f.record.lefts, 0);
        assert_int_equal(f.record.departures, 1);
        assert_int_equal(f.record.last_departure_answer, JOURNEY_SKIPPED);
    }
}

static void test_language_resets_for_the_next_visitor(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    assert_int_equal(tap(&f, "lang:ar"), 1);
    assert_string_equal(f.journey.language, "ar");
    assert_string_equal(f.record.language, "ar");
    tap(&f, "checkin");
    journey_tick(&f.journey, f.now + 30000);
    journey_tick(&f.journey, f.now + 30000 + JOURNEY_STILL_THERE_MS);
    assert_string_equal(f.journey.language, "nl");
    assert_string_equal(f.record.language, "nl");
}

/* Brings a fresh journey to a question screen by its name; departure via "leave". */
static void reach(struct fixture *f, enum journey_screen screen)
{
    if (screen == SCREEN_LEAVE || screen == SCREEN_LEAVE_NAME || screen == SCREEN_LEAVE_NUMBER) {
        tap(f, "leave");
        if (screen == SCREEN_LEAVE) {
            tap(f, "skip");
        } else if (screen == SCREEN_LEAVE_NUMBER) {
            tap(f, "nature:heron");
        }
        return;
    }
    tap(f, "checkin");
    if (screen == SCREEN_SERVICE) {
        return;
    }
    tap(f, "service:2");
    if (screen == SCREEN_STRESS) {
        return;
    }
    tap(f, "score:4");
}

static const enum journey_screen question_screens[] = {SCREEN_SERVICE,    SCREEN_STRESS,
                                                       SCREEN_WORD,       SCREEN_LEAVE,
                                                       SCREEN_LEAVE_NAME, SCREEN_LEAVE_NUMBER};

static void test_still_there_yes_returns_to_the_same_question_with_full_time(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof question_screens / sizeof question_screens[0]; i++) {
        struct fixture f;
        struct journey_settings s = default_settings();
        start(&f, &s);
        reach(&f, question_screens[i]);
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
        f.now += 30000;
        assert_int_equal(journey_tick(&f.journey, f.now), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_STILL_THERE);
        assert_int_equal(tap(&f, "yes"), 1);
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
        /* "Ja" extends: a whole inactivity time again before the next still-there. */
        assert_int_equal(journey_tick(&f.journey, f.now + 29999), 0);
        assert_int_equal(journey_tick(&f.journey, f.now + 30000), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_STILL_THERE);
        assert_int_equal(f.record.abandoned, 0);
    }
}

static void test_still_there_is_not_pushed_on_by_a_stray_touch(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    reach(&f, SCREEN_STRESS);
    int64_t shown = f.now + 30000;
    journey_tick(&f.journey, shown);
    journey_touch(&f.journey, shown + 5000);
    assert_int_equal(tap(&f, "score:3"), 0); /* the question is not on screen */
    assert_int_equal(journey_tick(&f.journey, shown + JOURNEY_STILL_THERE_MS), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.checkins, 1); /* the check-in stands */
    assert_int_equal(f.record.answers, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, STORE_SCALE_ABANDONED);
}

static void test_restart_on_every_question_screen_starts_over(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof question_screens / sizeof question_screens[0]; i++) {
        struct fixture f;
        struct journey_settings s = default_settings();
        start(&f, &s);
        tap(&f, "lang:pl");
        reach(&f, question_screens[i]);
        assert_int_equal(tap(&f, "restart"), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
        assert_string_equal(f.journey.language, "nl"); /* the next visitor starts fresh */
        switch (question_screens[i]) {
        case SCREEN_SERVICE: /* before the check-in: an abandoned journey */
            assert_int_equal(f.record.abandoned, 1);
            assert_string_equal(f.record.last_abandoned_screen, "service");
            assert_int_equal(f.record.checkins, 0);
            break;
        case SCREEN_LEAVE: /* an abandoned departure answer */
        case SCREEN_LEAVE_NAME:
        case SCREEN_LEAVE_NUMBER:
            assert_int_equal(f.record.lefts, 0);
            assert_int_equal(f.record.departures, 1);
            assert_int_equal(f.record.last_departure_answer, STORE_SCALE_ABANDONED);
            break;
        default: /* after it: the check-in stands, the open questions count as abandoned */
            assert_int_equal(f.record.checkins, 1);
            assert_int_equal(f.record.abandoned, 0);
            assert_int_equal(f.record.answers, 1);
            assert_int_equal(f.record.last_word, STORE_WORD_ABANDONED);
            break;
        }
    }
}

static void test_help_tells_the_host_once_and_returns_to_the_question(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof question_screens / sizeof question_screens[0]; i++) {
        struct fixture f;
        struct journey_settings s = default_settings();
        start(&f, &s);
        reach(&f, question_screens[i]);
        assert_int_equal(tap(&f, "help"), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_HELP);
        assert_int_equal(f.record.helps, 1);
        assert_int_equal(tap(&f, "ok"), 1);
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
        assert_int_equal(tap(&f, "help"), 1); /* asked again: shown again, counted once */
        assert_int_equal(f.record.helps, 1);
        tap(&f, "ok");
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
    }
    struct fixture f; /* the next visitor's help counts again */
    struct journey_settings s = default_settings();
    start(&f, &s);
    reach(&f, SCREEN_STRESS);
    taps(&f, "help", "ok", "restart", NULL);
    reach(&f, SCREEN_STRESS);
    tap(&f, "help");
    assert_int_equal(f.record.helps, 2);
}

static void test_language_choice_on_a_question_keeps_the_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof question_screens / sizeof question_screens[0]; i++) {
        struct fixture f;
        struct journey_settings s = default_settings();
        start(&f, &s);
        reach(&f, question_screens[i]);
        assert_int_equal(tap(&f, "language"), 1);
        assert_int_equal(journey_current(&f.journey), SCREEN_LANGUAGE);
        assert_int_equal(tap(&f, "lang:uk"), 1);
        assert_string_equal(f.record.language, "uk");
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
        tap(&f, "language");
        assert_int_equal(tap(&f, "back"), 1); /* no choice: the same language, same question */
        assert_string_equal(f.journey.language, "uk");
        assert_int_equal(journey_current(&f.journey), question_screens[i]);
        assert_int_equal(f.record.abandoned, 0);
    }
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    reach(&f, SCREEN_WORD);
    taps(&f, "language", "lang:ar", "word:yes", NULL);
    assert_int_equal(f.record.checkins, 1);
    assert_int_equal(f.record.last_service, 1);
    assert_int_equal(f.record.answers, 1);
    assert_int_equal(f.record.last_checkin.stress_answer, 4);
    assert_true(f.record.last_checkin.wants_word);
}

static void test_closed_office_checks_nobody_in(void **state)
{
    (void)state;
    struct fixture f;
    struct journey_settings s = default_settings();
    start(&f, &s);
    f.record.closed = true;
    assert_int_equal(tap(&f, "checkin"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_CLOSED);
    assert_int_equal(tap(&f, "service:1"), 0);
    assert_int_equal(tap(&f, "ok"), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    tap(&f, "checkin");
    f.now += JOURNEY_CLOSED_MS;
    assert_int_equal(journey_tick(&f.journey, f.now), 1);
    assert_int_equal(journey_current(&f.journey), SCREEN_WELCOME);
    assert_int_equal(f.record.checkins + f.record.names + f.record.abandoned, 0);
    f.record.closed = false;
    tap(&f, "checkin");
    assert_int_equal(journey_current(&f.journey), SCREEN_SERVICE);
}

static void test_screen_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < SCREEN_COUNT; i++) {
        assert_int_equal(journey_screen_from_name(journey_screen_name(i)), i);
    }
    assert_int_equal(journey_screen_from_name("nope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_checkin_walks_every_screen_in_order),
        cmocka_unit_test(test_skip_never_counts_a_score),
        cmocka_unit_test(test_checked_in_screen_shows_the_waiting_message_recorded),
        cmocka_unit_test(test_single_service_skips_the_service_screen),
        cmocka_unit_test(test_questions_switched_off_make_a_one_tap_checkin),
        cmocka_unit_test(test_choosing_the_service_checks_in_at_once),
        cmocka_unit_test(test_walking_away_at_a_question_keeps_the_checkin),
        cmocka_unit_test(test_walking_away_at_the_word_question_keeps_the_stress_answer),
        cmocka_unit_test(test_timeout_before_the_service_counts_abandoned_and_no_checkin),
        cmocka_unit_test(test_back_to_the_service_changes_the_checkin_not_a_second_one),
        cmocka_unit_test(test_touch_keeps_a_question_open),
        cmocka_unit_test(test_tap_burst_makes_one_checkin),
        cmocka_unit_test(test_double_tap_does_not_answer_the_next_question),
        cmocka_unit_test(test_back_returns_and_from_first_question_abandons),
        cmocka_unit_test(test_ids_of_other_screens_are_ignored),
        cmocka_unit_test(test_checked_in_returns_to_welcome_by_itself),
        cmocka_unit_test(test_departure_counts_answer_with_departure_moment),
        cmocka_unit_test(test_departure_button_absent_when_switched_off),
        cmocka_unit_test(test_abandoned_departure_is_counted_as_departure),
        cmocka_unit_test(test_language_resets_for_the_next_visitor),
        cmocka_unit_test(test_screen_names_round_trip),
        cmocka_unit_test(test_still_there_yes_returns_to_the_same_question_with_full_time),
        cmocka_unit_test(test_still_there_is_not_pushed_on_by_a_stray_touch),
        cmocka_unit_test(test_restart_on_every_question_screen_starts_over),
        cmocka_unit_test(test_help_tells_the_host_once_and_returns_to_the_question),
        cmocka_unit_test(test_leaving_visitor_names_themselves_before_the_departure_question),
        cmocka_unit_test(test_leaving_without_a_name_tells_nobody),
        cmocka_unit_test(test_language_choice_on_a_question_keeps_the_answers),
        cmocka_unit_test(test_closed_office_checks_nobody_in),
    };
    return cmocka_run_group_tests_name("journey", tests, NULL, NULL);
}
