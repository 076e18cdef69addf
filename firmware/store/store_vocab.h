/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_vocab: the words the store writes into the database (statuses, outcomes, bands,
 * moments, questions, responses) and that the export, the report, the host page and the app
 * read back or hand in. Spelled once, here; every module uses these names instead of its own
 * spelling. The strings are in databases and exports already: never change one (a new word
 * is a new name, and a schema migration when a CHECK lists the words).
 * Only constants and X-macro lists: no code, no SQLite.
 */
#ifndef OASE_STORE_VOCAB_H
#define OASE_STORE_VOCAB_H

/* arrivals.status: set by the host (left: by the visitor at the kiosk, schema 5) */
#define STORE_STATUS_WAITING "waiting"
#define STORE_STATUS_COLLECTED "collected"
#define STORE_STATUS_NO_SHOW "no_show"
#define STORE_STATUS_LEFT "left"

/* wait_counts.outcome and wait_message_counts.outcome: what became of a folded arrival */
#define STORE_OUTCOME_COLLECTED STORE_STATUS_COLLECTED /* its wait has a band */
#define STORE_OUTCOME_NO_SHOW STORE_STATUS_NO_SHOW
#define STORE_OUTCOME_LEFT STORE_STATUS_LEFT
#define STORE_OUTCOME_NOT_MARKED "not_marked" /* still waiting at the fold */

/* Moments and questions as stored (research vocabulary, language-independent). */
#define STORE_MOMENT_ARRIVAL "arrival"
#define STORE_MOMENT_DEPARTURE "departure"
#define STORE_QUESTION_STRESS "stress"
#define STORE_QUESTION_WORD "word"
#define STORE_ANSWER_SKIP "skip"

/* What happened to one question of one visitor (response_counts.response). */
#define STORE_RESPONSE_ANSWERED "answered"
#define STORE_RESPONSE_SKIPPED "skipped"
#define STORE_RESPONSE_NOT_ASKED "not_asked"
#define STORE_RESPONSE_ABANDONED "abandoned" /* shown (or not reached), the visitor walked away */
#define STORE_RESPONSE_WITHHELD "withheld"   /* pooled, fewer than k left at the day's end */

/* A generalised key in an answer batch: "any" wait band (stress x wait cells). */
#define STORE_BAND_ANY "any"

/* Which waiting message the checked-in screen showed (arrivals.wait_message). */
#define STORE_WAIT_MESSAGE_RANGE "range"           /* "usually L to H minutes" */
#define STORE_WAIT_MESSAGE_HOST_KNOWS "host_knows" /* "the host knows you are here" */

/* A collected "range" wait against the range shown (wait_message_counts.within). */
#define STORE_WITHIN_BELOW "below"
#define STORE_WITHIN_WITHIN "within"
#define STORE_WITHIN_ABOVE "above"
#define STORE_WITHIN_NONE "n/a" /* not collected, or another message */

/*
 * The bands, lowest first, as X-macro lists: X(low, high, "name"), high -1 for no upper end;
 * both ends inclusive unless the list says otherwise. Expand them into a table where one is needed,
 * e.g. #define BAND(low, high, name) {name, low, high}, static const struct band bands[] =
 * {STORE_WAIT_BANDS(BAND)};
 */

/* A 0..10 stress answer (answer_counts of stress, stress_waits). */
#define STORE_STRESS_BANDS(X) X(0, 3, "0-3") X(4, 6, "4-6") X(7, 10, "7-10")
#define STORE_STRESS_BAND_COUNT 3
#define STORE_STRESS_BAND_LOW "0-3"
#define STORE_STRESS_BAND_MID "4-6"
#define STORE_STRESS_BAND_HIGH "7-10"

/* A collected wait in whole minutes, from arrival to collection: low inclusive, high exclusive
 * (wait_counts.wait_band) */
#define STORE_WAIT_BANDS(X)                                                                        \
    X(0, 5, "0-5")                                                                                 \
    X(5, 10, "5-10")                                                                               \
    X(10, 15, "10-15")                                                                             \
    X(15, 20, "15-20")                                                                             \
    X(20, 30, "20-30")                                                                             \
    X(30, 45, "30-45")                                                                             \
    X(45, 60, "45-60")                                                                             \
    X(60, -1, "60+")
#define STORE_WAIT_BAND_COUNT 8
#define STORE_WAIT_BAND_ONE(low, high, name) +1
_Static_assert(0 STORE_WAIT_BANDS(STORE_WAIT_BAND_ONE) == STORE_WAIT_BAND_COUNT,
               "STORE_WAIT_BAND_COUNT counts STORE_WAIT_BANDS");
_Static_assert(0 STORE_STRESS_BANDS(STORE_WAIT_BAND_ONE) == STORE_STRESS_BAND_COUNT,
               "STORE_STRESS_BAND_COUNT counts STORE_STRESS_BANDS");
#undef STORE_WAIT_BAND_ONE

/* The room light's mean level in percent when an answer was given (answer_counts.light_band) */
#define STORE_LIGHT_BANDS(X) X(0, 0, "off") X(1, 40, "low") X(41, 75, "mid") X(76, -1, "high")

/* Visitors waiting when an answer was given (answer_counts.queue_band) */
#define STORE_QUEUE_BANDS(X) X(0, 2, "0-2") X(3, 5, "3-5") X(6, -1, "6+")

#endif
