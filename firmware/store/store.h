/*
 * store: the only code that touches SQLite. It keeps the privacy model of DESIGN.md true:
 * answers are added to aggregate counter cells (never a row of their own), arrivals live
 * only for their day and are folded into counters at closing time or midnight. Incidents
 * the host counts are cells too: (day, phase, kind) -> n, no time and no text.
 *
 * Threading: every write is queued and committed by the store's own thread, one durable
 * transaction each (WAL, synchronous=FULL), so the frame thread never waits for the disk.
 * Callers get a sequence number; store_committed_seq() tells when it is on disk.
 * Never called from the audio callback. All functions may be called from any thread.
 *
 * A transaction that fails (disk full, locked by another process) is rolled back, logged
 * with SQLite's message, kept for store_last_error(), and tried again up to
 * STORE_WRITE_ATTEMPTS times with a growing pause (100, 200, 300 ms). After the last attempt
 * it is given up: its data is lost, store_failed_writes() grows, and its sequence number
 * still counts as done for store_committed_seq() and store_flush(), so nothing waits forever.
 *
 * On disk: PRAGMA application_id = STORE_APPLICATION_ID marks the file as Oase's and
 * PRAGMA user_version holds the schema version; the meta table holds application facts.
 */
#ifndef OASE_STORE_H
#define OASE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/phase.h"

struct store;

#define STORE_SCHEMA_VERSION 2
#define STORE_QUEUE_MAX 1024 /* queued writes; past this a write is refused with -EAGAIN */
#define STORE_APPLICATION_ID 0x4F415345 /* "OASE": SQLite header field naming the file's owner */
#define STORE_WRITE_ATTEMPTS 4          /* tries per transaction before it is given up */
#define STORE_SITE_MAX 64               /* bytes of a site name, with its NUL */

/* Moments and questions as stored (research vocabulary, language-independent). */
#define STORE_MOMENT_ARRIVAL "arrival"
#define STORE_MOMENT_DEPARTURE "departure"
#define STORE_QUESTION_STRESS "stress"
#define STORE_QUESTION_WORD "word"
#define STORE_ANSWER_SKIP "skip"

/* Incidents a host may count (no free text): the kind column of incident_counts. */
enum store_incident_kind {
    STORE_INCIDENT_VERBAL,   /* "verbal": verbal aggression */
    STORE_INCIDENT_PHYSICAL, /* "physical": physical aggression */
    STORE_INCIDENT_OTHER,    /* "other" */
    STORE_INCIDENT_KINDS
};

/* Room conditions at the time of an answer: dimensions of the answer cells. "" = unknown. */
struct store_context {
    char scene[32];     /* light scene name (LIGHTS_NAME_MAX) */
    char sound[32];     /* sound source */
    char queue_band[8]; /* people waiting: "0-2", "3-5", "6+" */
};

/* One completed check-in: an arrival for the host plus the visitor's anonymous answers. */
struct store_checkin {
    int64_t at_ms;          /* arrival instant (UTC ms) */
    int name_number;        /* from store_next_name_number(); unique for the day */
    char friendly_name[48]; /* "Vlinder 12" */
    char service[32];       /* service id, "" when none configured */
    bool wants_word;        /* asked for a word with someone */
    bool stress_asked;      /* the stress question was shown */
    int stress_answer;      /* 0..10, or -1 when skipped */
    struct store_context context;
};

/* Arrival status as the host sets it. */
enum store_arrival_status {
    ARRIVAL_WAITING,
    ARRIVAL_COLLECTED, /* the host fetched them: waiting time counted */
    ARRIVAL_NO_SHOW,
};

/* Today's arrival as the host sees it. */
struct store_arrival {
    int name_number;
    char friendly_name[48];
    char service[32];
    int64_t arrived_ms;
    int64_t collected_ms; /* 0 unless collected */
    bool wants_word;
    enum store_arrival_status status;
};

/*
 * Opens (creating or upgrading) the database at path, with mode 0600, and starts the
 * writer thread. phases must outlive the store. closing_minute is minutes after local
 * midnight when the day's arrivals are folded (-1: only at midnight).
 * Returns NULL with a message in err when the file cannot be opened, is not an Oase
 * database, or has a newer schema; nothing is changed on disk then.
 * Arrivals of earlier days found in the file (the kiosk was off over midnight) are folded
 * by the first store_tick(), which is the first moment the store knows the kiosk's date.
 */
struct store *store_open(const char *path, const struct phase_list *phases, int closing_minute,
                         char *err, size_t err_size);

/* Commits everything queued, stops the thread, closes the database. NULL is allowed. */
void store_close(struct store *store);

/*
 * Writers. Each queues one transaction and returns its sequence number (> 0), or
 * -EAGAIN when the queue is full or the store is closing, -EINVAL when an argument is out of
 * range (NULL, answer not -1..10); nothing is queued then and the caller reports it.
 * Strings longer than their field in the structs above are cut to fit.
 */

/*
 * Check-in: inserts the arrival and counts the answers and the completed journey.
 * name_number must be > 0; -EEXIST when that number is already an arrival of that day.
 */
int64_t store_checkin(struct store *store, const struct store_checkin *checkin);

/* Departure tap: counts the answer (0..10 or -1 = skip) and the completed journey. */
int64_t store_departure(struct store *store, int64_t at_ms, int stress_answer,
                        const struct store_context *context);

/* A journey left unfinished (timeout or back): counted, nothing else kept. */
int64_t store_abandoned(struct store *store, int64_t at_ms, const char *moment,
                        const char *last_screen, const char *service);

/*
 * Host actions on today's arrival (name_number): collected (waiting time = at_ms - arrival),
 * no-show, or back to waiting. Unknown numbers are ignored: -ENOENT, nothing queued.
 */
int64_t store_set_status(struct store *store, int name_number, enum store_arrival_status status,
                         int64_t at_ms);

/*
 * The host counts an incident of kind ("verbal", "physical" or "other"; see
 * store_incident_kind_name) at at_ms: one more in the aggregate cell (day, phase, kind),
 * nothing else is kept. -EINVAL for any other kind.
 */
int64_t store_incident(struct store *store, int64_t at_ms, const char *kind);

/*
 * Writes site (the config's [kiosk] site) as the meta table's 'site', which names the
 * database in researchers' exports (oase-export --site still overrides). Call once after
 * store_open; the same name again changes nothing. -EINVAL for NULL, "" or a name of
 * STORE_SITE_MAX bytes or more.
 */
int64_t store_set_site(struct store *store, const char *site);

/* "verbal", "physical", "other" for the kinds above; NULL for anything else. */
const char *store_incident_kind_name(enum store_incident_kind kind);

/*
 * Folds every arrival of a day before now's local date (and, once now is past closing
 * time, today's too) into arrival and waiting-time counters and deletes those rows.
 * Also called by store_tick(). Idempotent.
 */
int64_t store_fold(struct store *store, int64_t now_ms);

/*
 * Call about once a second with kiosk time: runs the fold on the first call after
 * store_open, at closing time (once per day) and when the local date changes. Arrivals
 * made after the closing fold wait for midnight. A fold refused by a full queue is tried
 * again on the next tick.
 */
void store_tick(struct store *store, int64_t now_ms);

/* Highest sequence number whose transaction is durably committed (or given up, see top). */
int64_t store_committed_seq(struct store *store);

/* Blocks until everything queued so far is committed (shutdown, tests, replay end). */
void store_flush(struct store *store);

/*
 * Reads for the screens; answered from memory, never waiting for the disk.
 */

/*
 * Next friendly-name number for the day of now_ms (1, 2, ...); never reused that day, also
 * across restarts and after the closing fold (the numbers of written check-ins are kept on
 * disk; a number handed out but never checked in may be handed out again after a restart).
 */
int store_next_name_number(struct store *store, int64_t now_ms);

/* People checked in today and not yet collected or marked no-show. */
int store_waiting_count(struct store *store);

/*
 * Typical wait today from collected arrivals: when at least min_samples exist, sets
 * *low_min and *high_min to the 25th and 75th percentile in whole minutes (rounded to
 * 5) and returns true; otherwise false and the outputs are unchanged.
 */
bool store_wait_range(struct store *store, int min_samples, int *low_min, int *high_min);

/*
 * Copies up to max of today's arrivals (sorted by arrival) into out; returns how many.
 * For the host page and tests.
 */
int store_arrivals(struct store *store, struct store_arrival *out, int max);

/* Today's numbers for the host, from memory (counted when queued, like the arrivals). */
struct store_today {
    int checkins;           /* completed check-ins today (also after the closing fold) */
    int waiting;            /* today's arrivals not yet collected or marked no-show */
    int no_shows;           /* today's arrivals marked no-show (until the closing fold) */
    int collected;          /* collected today (also after the closing fold) */
    int64_t median_wait_ms; /* median of today's collected waits; -1 when none */
    int stress_asked;       /* check-ins that were shown the stress question */
    int stress_answers;     /* of those, answered 0..10 (not skipped) */
    int64_t stress_sum;     /* sum of those answers: show a mean only for k or more answers */
    int incidents[STORE_INCIDENT_KINDS];
};

/*
 * Fills out with the numbers of the local day of now_ms (all zero, median -1, when nothing
 * was counted that day). Counts written before a restart are read back at store_open.
 * store NULL: out is zeroed.
 */
void store_today(struct store *store, int64_t now_ms, struct store_today *out);

/* Last error the writer met ("" if none): for the health view. Copies into buf. */
void store_last_error(struct store *store, char *buf, size_t size);

/* Transactions given up after STORE_WRITE_ATTEMPTS failures since store_open. */
int64_t store_failed_writes(struct store *store);

#endif
