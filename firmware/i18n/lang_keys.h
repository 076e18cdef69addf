/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lang_keys: every text the kiosk shows, as an X-macro list (id, key in the .lang files).
 * assets/lang/nl.lang must hold all of them; other languages fall back to nl per key.
 * Texts may hold the placeholders {min} and {max} where the comment says so, nothing else.
 * A language whose grammar needs another form for some numbers may add optional keys
 * "plural.KEY_N_M" (e.g. plural.wait_range_3_10 in Arabic: used when {max} is 3..10).
 */
#ifndef OASE_LANG_KEYS_H
#define OASE_LANG_KEYS_H

#define LANG_KEYS(X)                                                                               \
    X(LANG_NAME, "lang.name")                   /* the language's own name, in its own script */   \
    X(WELCOME_TITLE, "welcome.title")           /* Welkom. Fijn dat u er bent. */                  \
    X(WELCOME_CHECKIN, "welcome.checkin")       /* Aanmelden */                                    \
    X(WELCOME_HINT, "welcome.hint")             /* Heeft u een afspraak? Meld u hier aan. */       \
    X(WELCOME_LEAVE, "welcome.leave")           /* Ik ga weg */                                    \
    X(SERVICE_TITLE, "service.title")           /* Waarvoor komt u? */                             \
    X(STRESS_TITLE, "stress.title")             /* Hoeveel stress voelt u nu? */                   \
    X(STRESS_LOW, "stress.low")                 /* Geen stress */                                  \
    X(STRESS_HIGH, "stress.high")               /* Heel veel stress */                             \
    X(STRESS_ANONYMOUS, "stress.anonymous")     /* Uw antwoord is anoniem. */                      \
    X(STRESS_SKIP, "stress.skip")               /* Dit sla ik over */                              \
    X(WORD_TITLE, "word.title")                 /* Wilt u even met iemand praten? */               \
    X(WORD_YES, "word.yes")                     /* Ja graag */                                     \
    X(WORD_NO, "word.no")                       /* Nee, dank u */                                  \
    X(DONE_NAME_INTRO, "done.name_intro")       /* Wij roepen u met deze naam. (the title) */      \
    X(DONE_WAIT_RANGE, "done.wait_range")       /* Meestal duurt het {min} tot {max} minuten. */   \
    X(DONE_WAIT_UNKNOWN, "done.wait_unknown")   /* De gastvrouw weet dat u er bent. */             \
    X(DONE_WORD, "done.word")                   /* Iemand komt zo even met u praten. */            \
    X(DONE_OK, "done.ok")                       /* Klaar */                                        \
    X(DONE_FAILED, "done.failed")               /* Uw aanmelding is niet gelukt. (the title) */    \
    X(DONE_FAILED_DESK, "done.failed_desk")     /* Wilt u zich even bij de balie melden? */        \
    X(DEPART_TITLE, "depart.title")             /* Hoe voelt u zich nu? */                         \
    X(DEPART_THANKS, "depart.thanks")           /* Dank u wel voor uw bezoek. */                   \
    X(LEAVE_NAME_TITLE, "leave.name_title")     /* Wat is uw naam van vandaag? */                  \
    X(LEAVE_NUMBER_TITLE, "leave.number_title") /* Welk nummer hoort bij uw naam? */               \
    X(LEAVE_SKIP, "leave.skip")                 /* Overslaan */                                    \
    X(LEAVE_DELETE, "leave.delete")             /* Wissen */                                       \
    X(COMMON_BACK, "common.back")               /* Terug */                                        \
    X(COMMON_MOMENT, "common.moment")           /* Een moment... */                                \
    X(COMMON_RESTART, "common.restart")         /* Opnieuw beginnen */                             \
    X(COMMON_LANGUAGE, "common.language")       /* Taal */                                         \
    X(COMMON_HELP, "common.help")               /* Hulp */                                         \
    X(LANGUAGE_TITLE, "language.title")         /* Kies uw taal. */                                \
    X(HELP_TITLE, "help.title")                 /* Er komt zo iemand naar u toe. */                \
    X(HELP_BACK, "help.back")                   /* Verder */                                       \
    X(STILL_TITLE, "still.title")               /* Bent u er nog? */                               \
    X(STILL_NOTE, "still.note")                 /* Tik op Ja, dan gaat u verder. */                \
    X(STILL_YES, "still.yes")                   /* Ja */                                           \
    X(CLOSED_TITLE, "closed.title")             /* Wij zijn nu gesloten. */                        \
    X(CLOSED_OPENS, "closed.opens")             /* Wij zijn weer open: */                          \
    X(CLOSED_CALL, "closed.call")               /* Bellen kan ook: */                              \
    X(DAY_TODAY, "day.today")                   /* vandaag */                                      \
    X(DAY_TOMORROW, "day.tomorrow")             /* morgen */                                       \
    X(DAY_MONDAY, "day.monday")                 /* maandag (then tuesday .. sunday in order) */    \
    X(DAY_TUESDAY, "day.tuesday")                                                                  \
    X(DAY_WEDNESDAY, "day.wednesday")                                                              \
    X(DAY_THURSDAY, "day.thursday")                                                                \
    X(DAY_FRIDAY, "day.friday")                                                                    \
    X(DAY_SATURDAY, "day.saturday")                                                                \
    X(DAY_SUNDAY, "day.sunday")

enum lang_key {
#define LANG_KEY_ENUM(id, key) K_##id,
    LANG_KEYS(LANG_KEY_ENUM)
#undef LANG_KEY_ENUM
        LANG_KEY_COUNT
};

#endif
