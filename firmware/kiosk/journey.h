/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * journey: the visitor's path through the kiosk as a state machine, with no SDL and no
 * SQLite: welcome -> service -> stress -> word -> checked in, and the departure tap.
 * It decides what a tap means, when a screen times out and what is counted; the caller
 * (app) draws the screens and hands the records to the store through journey_sink.
 * The check-in questions are one table of steps in journey.c: a new question is a row
 * there and a screen name here (docs/journey.md). A visitor is checked in when the service
 * is chosen: the questions after it are optional and leaving them never undoes the
 * check-in.
 *
 * Rules it keeps (docs/design.md "Add no stress"): one question per screen, skip always
 * possible, and on every question screen three ways out: restart (start over), language
 * (a picker that returns to the same question) and help (the host is told, counted, no
 * text). Before any reset of an unfinished journey the still-there screen asks "Bent u er
 * nog?" for JOURNEY_STILL_THERE_MS; its "yes" returns to the question. Only then the
 * journey goes back to welcome (a journey left before the service is chosen counts as
 * abandoned; questions left after it as abandoned answers). Outside the opening hours
 * "checkin" shows the closed screen and checks nobody in. A burst of taps never makes two
 * check-ins: taps in the first guard_ms after a screen appears are ignored, and a journey
 * records at most one check-in.
 */
#ifndef OASE_JOURNEY_H
#define OASE_JOURNEY_H

#include <stdbool.h>
#include <stdint.h>

#include "i18n/lang_keys.h"
#include "store/store.h"

enum journey_screen {
    SCREEN_WELCOME,
    SCREEN_SERVICE,
    SCREEN_STRESS,
    SCREEN_WORD,
    SCREEN_CHECKED_IN,
    SCREEN_LEAVE,        /* departure: "how do you feel now?" */
    SCREEN_GOODBYE,      /* departure: thank you */
    SCREEN_CLOSED,       /* "checkin" outside the opening hours: when we open, whom to call */
    SCREEN_STILL_THERE,  /* "Bent u er nog?" before a question screen resets */
    SCREEN_LANGUAGE,     /* the language picker of a question screen */
    SCREEN_HELP,         /* "someone is coming": the host was told */
    SCREEN_LEAVE_NAME,   /* departure, optional: the word of today's name (all 25 shown) */
    SCREEN_LEAVE_NUMBER, /* departure, optional: the number of today's name (a digit pad) */
    SCREEN_COUNT
};

/* How a screen looks: layout and render draw a form, not a screen, so a new question that
 * uses an existing form needs no geometry of its own. */
enum journey_form {
    JOURNEY_FORM_WELCOME,
    JOURNEY_FORM_TILES,       /* service:N tiles */
    JOURNEY_FORM_SCALE,       /* score:0..10 and skip, with low/high anchors */
    JOURNEY_FORM_TWO_CHOICES, /* a yes and a no */
    JOURNEY_FORM_CHECKED_IN,  /* the friendly name and what happens next */
    JOURNEY_FORM_GOODBYE,     /* a thank-you over the calm scene */
    JOURNEY_FORM_CLOSED,      /* when we open, whom to call */
    JOURNEY_FORM_STILL_THERE, /* a big yes */
    JOURNEY_FORM_LANGUAGES,   /* every language named in its own script */
    JOURNEY_FORM_MESSAGE,     /* one sentence and ok (help) */
    JOURNEY_FORM_WORDS,       /* nature:ID for every friendly-name word, and skip */
    JOURNEY_FORM_DIGITS,      /* digit:0..9, delete, ok and skip under the name so far */
};

/* The form and the title text of a screen. */
enum journey_form journey_screen_form(enum journey_screen screen);
enum lang_key journey_screen_title(enum journey_screen screen);

/* Stable names used by replay scripts (expect-screen) and screenshot files. */
const char *journey_screen_name(enum journey_screen screen);

/* Parses a name from journey_screen_name; returns -1 when unknown. */
int journey_screen_from_name(const char *name);

#define JOURNEY_GUARD_MS 400    /* taps ignored this long after a screen appears */
#define JOURNEY_GOODBYE_MS 6000 /* the departure thank-you stays this long */
#define JOURNEY_CLOSED_MS 20000 /* the closed screen stays this long untouched */
/* still-there stays this long before the reset (WCAG 2.2.1 asks at least 20 s to react in
 * all; the question screen itself gave inactivity_ms before it). */
#define JOURNEY_STILL_THERE_MS 15000
#define JOURNEY_NO_ANSWER (-2) /* stress question not answered (yet) */
#define JOURNEY_SKIPPED (-1)   /* "Dit sla ik over" */
#define JOURNEY_LEAVE_DIGITS 3 /* the most digits of a name's number the pad takes */

struct journey_settings {
    int service_count; /* 0..6; with 0 or 1 the service screen is skipped */
    bool ask_stress;
    bool ask_word;
    bool departure_tap;
    int inactivity_ms; /* back to welcome (abandoned) after this long untouched */
    int checked_in_ms; /* the checked-in screen stays this long */
    char default_language[8];
};

/*
 * Where the journey's records go; the app connects it to the store. A visitor is checked in
 * (arrive) as soon as the service is chosen, or at "checkin" with one service or none; the
 * questions after that only hand their answers over (answers), once, when the questions
 * end or are left: the check-in stands either way.
 */
struct journey_sink {
    void *ctx;
    /* Reserves today's next friendly name into name; returns its number (> 0). */
    int (*next_name)(void *ctx, int64_t now_ms, char *name, size_t size);
    /* Records the arrival; the sink fills in the service (from service_index, -1 none) and
     * the waiting message the checked-in screen will show. Returns the store's seq. */
    int64_t (*arrive)(void *ctx, struct store_arrival_in *arrival, int service_index);
    /* The checked-in visitor went back and chose another service. */
    void (*change_service)(void *ctx, int name_number, int64_t at_ms, int service_index);
    /* The checked-in visitor asked for a word with someone (the host sees it). */
    void (*wants_word)(void *ctx, int name_number, int64_t at_ms);
    /* The answers of a checked-in visitor: stress 0..10 or STORE_SCALE_*, the word
     * question's outcome. The sink adds the room context and service. */
    void (*answers)(void *ctx, int64_t at_ms, int name_number, int service_index, int stress_answer,
                    enum store_word_response word);
    /* A leaving visitor said who they are: word_id (nature_words.h) and number. The sink
     * marks today's waiting arrival of that name as left, if there is one; nothing comes
     * back, so the screen never tells whether the name exists. Called before the departure
     * question is shown, never with its answer. May be NULL. */
    void (*left)(void *ctx, int64_t at_ms, const char *word_id, int number);
    /* The departure answer (0..10, STORE_SCALE_SKIPPED or STORE_SCALE_ABANDONED). */
    void (*departure)(void *ctx, int64_t at_ms, int stress_answer);
    /* A journey left before checking in (welcome or service screen). */
    int64_t (*abandoned)(void *ctx, int64_t at_ms, const char *moment, const char *last_screen,
                         int service_index);
    /* Language of the next screens changed (lang:xx); may be NULL. */
    void (*language)(void *ctx, const char *code);
    /* The visitor asked for help on a question screen (at most once a journey): tell the
     * host, count it, no text. May be NULL. */
    void (*help)(void *ctx, int64_t at_ms);
    /* Whether the office is open now ([hours], by the wall clock: at_ms is the journey's
     * monotonic time); NULL: always open. */
    bool (*is_open)(void *ctx, int64_t at_ms);
    /* still-there appeared: a soft sound may call the visitor back. May be NULL. */
    void (*still_there)(void *ctx, int64_t at_ms);
};

struct journey {
    struct journey_settings settings;
    struct journey_sink sink;
    enum journey_screen screen;
    int64_t screen_since_ms; /* when the current screen appeared */
    int64_t last_touch_ms;   /* last finger or mouse contact, acted on or not */
    char language[8];        /* current language code */
    int service_index;       /* 0-based, -1 none chosen */
    int stress_answer;       /* 0..10, JOURNEY_SKIPPED or JOURNEY_NO_ANSWER */
    bool wants_word;
    bool help_asked; /* help was sent this journey (counted once) */
    /* The question screen that still-there, language and help return to. */
    enum journey_screen resume_screen;
    bool recorded;        /* this journey's check-in or departure answer is recorded */
    bool answered;        /* the check-in's answers were handed over (once) */
    int64_t record_seq;   /* store sequence of the arrival (for "acknowledged"); 0 departure */
    int name_number;      /* friendly name of the check-in, 0 = none */
    int recorded_service; /* service_index the arrival was recorded with */
    char friendly_name[48];
    int leave_word;                              /* departure: NATURE_WORDS index, -1 none */
    char leave_digits[JOURNEY_LEAVE_DIGITS + 1]; /* departure: the number typed so far */
    unsigned generation; /* increases on every screen change (redraw trigger) */
    /* The waiting message recorded with the check-in: the checked-in screen shows exactly
     * this, so what is counted is what the visitor saw. */
    bool wait_range_shown; /* "usually L to H minutes"; false: "the host knows you are here" */
    int wait_low_min, wait_high_min;
};

void journey_init(struct journey *journey, const struct journey_settings *settings,
                  const struct journey_sink *sink, int64_t now_ms);

/*
 * A tap on the widget with this id (see README "Widget ids"): checkin, leave,
 * service:N (1-based), score:N, skip, word:yes, word:no, lang:CODE, back, ok, and on every
 * question screen restart, language and help; yes on still-there; nature:WORD on
 * leave-name, digit:N and delete on leave-number.
 * Returns 1 when it changed something, 0 when it was ignored (guard time, an id that
 * is not on the current screen).
 */
int journey_tap(struct journey *journey, const char *widget_id, int64_t now_ms);

/* Any touch, acted on or not: keeps the screen from timing out. */
void journey_touch(struct journey *journey, int64_t now_ms);

/* Applies timeouts. Returns 1 when the screen changed. */
int journey_tick(struct journey *journey, int64_t now_ms);

/* The next instant journey_tick has something to do (INT64_MAX: nothing). */
int64_t journey_next_deadline_ms(const struct journey *journey);

/* Whether screen is a question of the check-in or departure (it shows the ways out). */
bool journey_is_question(enum journey_screen screen);

/* The screen to draw. */
static inline enum journey_screen journey_current(const struct journey *journey)
{
    return journey->screen;
}

#endif
