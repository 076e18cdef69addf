/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store: the only code that touches SQLite. It keeps the privacy model of docs/design.md true:
 * answers are added to aggregate counter cells (never a row of their own), arrivals live
 * only for their day and are folded into counters at closing time or midnight. Incidents
 * the host counts are cells too: (day, phase, kind) -> n, no time and no text.
 *
 * Arrivals and answers reach the disk apart (docs/privacy.md). An arrival (friendly name,
 * service, time) is written at once, on its own, so the host sees it. Answers (stress at
 * arrival and departure, whether the word question was answered, stress x actual wait) wait
 * in an in-memory pool (store_pool.c) and are written as one batch once at least k visitors
 * of the same day and moment are pending (store_set_batch_k), as per-day cells whose other
 * keys are coarsened until every group in the batch holds k visitors. No commit, WAL frame
 * or cell therefore tells which arrival gave which answer. The price: answers still pooled
 * when the power goes are lost (at most k-1 of each kind), and fewer than k left at the end
 * of a day are counted as 'withheld', never written.
 *
 * Threading: every write is queued and committed by the store's own thread, one durable
 * transaction each (WAL, synchronous=FULL, secure_delete), so the frame thread never waits
 * for the disk. Callers get a sequence number; store_committed_seq() tells when it is on disk.
 * Never called from the audio callback. All functions may be called from any thread.
 *
 * A transaction that fails is rolled back, logged with SQLite's message and kept for
 * store_last_error(). When the disk refuses it (full, read-only, I/O error, locked, damaged
 * under us) the write and every later one are held in memory, in order, and tried again:
 * after 100, 200, 300 ms, then every 5, 10, 20, 30, 30 ... s, until the disk takes them
 * (store_health() says how many wait and since when). The queue is the bound: when
 * STORE_QUEUE_MAX writes wait, new ones are refused with -EAGAIN and counted as lost
 * (store_health().lost), never dropped silently. A write SQLite refuses for its content
 * (a constraint: a bug, not the disk) is tried STORE_WRITE_ATTEMPTS times and given up: its
 * data is lost, store_failed_writes() grows, and its sequence number still counts as done
 * for store_committed_seq(). store_close() gives held writes one last chance, then they are
 * lost (logged with their number).
 *
 * On disk: PRAGMA application_id = STORE_APPLICATION_ID marks the file as Oase's and
 * PRAGMA user_version holds the schema version; the meta table holds application facts
 * (site, site_id).
 */
#ifndef OASE_STORE_H
#define OASE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/phase.h"
#include "store/store_vocab.h"

struct store;

#define STORE_SCHEMA_VERSION 5
#define STORE_QUEUE_MAX 1024 /* queued writes; past this a write is refused with -EAGAIN */
#define STORE_APPLICATION_ID 0x4F415345 /* "OASE": SQLite header field naming the file's owner */
#define STORE_SITE_SIZE 64              /* site name in meta, with its NUL */
#define STORE_WRITE_ATTEMPTS 4  /* tries before a write refused for its content is given up */
#define STORE_FAILED_SEQS 64    /* given-up writes store_seq_state still names as failed */
#define STORE_BATCH_K_DEFAULT 5 /* visitors a batch of answers mixes at least ([research] k) */
#define STORE_BATCH_K_MIN 3     /* never fewer (docs/design.md: k is never below 3) */
#define STORE_POOL_MAX 2048     /* answers pending in memory; more are refused (counted) */

/* The words the store writes (statuses, outcomes, bands, moments, questions, responses):
 * store/store_vocab.h. */

#define STORE_CONFIG_HASH_SIZE 72    /* "sha256:" + 64 hex digits + NUL */
#define STORE_CODEBOOK_TEXT_SIZE 200 /* a language file's line (LANG_TEXT_MAX) + NUL */

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
    char queue_band[8]; /* people waiting: STORE_QUEUE_BANDS (store_queue_band) */
    char light_band[8]; /* room light level: STORE_LIGHT_BANDS (store_light_band) */
};

/* A visitor checks in: what the host needs to call them, written at once on its own. */
struct store_arrival_in {
    int64_t at_ms;          /* arrival instant (UTC ms) */
    int name_number;        /* from store_next_name_number(); unique for the day */
    char friendly_name[48]; /* "Vlinder 12" */
    char service[32];       /* service id, "" when none configured */
    char wait_message[12];  /* STORE_WAIT_MESSAGE_RANGE, _HOST_KNOWS, or "" (not known) */
    int wait_low_min;       /* the range shown (minutes) with "range"; -1 otherwise */
    int wait_high_min;
};

/* Answers of a 0..10 question as the journey hands them over. */
#define STORE_SCALE_SKIPPED (-1)   /* "skip this question" */
#define STORE_SCALE_ABANDONED (-2) /* shown or not reached: the visitor walked away */
#define STORE_SCALE_NOT_ASKED (-3) /* switched off in the config */

/* The word question's outcome: yes or no is shown to the host on the arrival, not here. */
enum store_word_response {
    STORE_WORD_NOT_ASKED,
    STORE_WORD_ANSWERED,
    STORE_WORD_ABANDONED,
};

/* What one arrived visitor answered after checking in: goes to the pool, never with the
 * arrival. name_number links it (in memory only) to the arrival for stress x wait. */
struct store_answers {
    int64_t at_ms;                 /* when the questions ended (the day of the cells) */
    int name_number;               /* the arrival's; 0: none (no stress x wait link) */
    char service[32];              /* the arrival's service (coarsened when needed) */
    int stress_answer;             /* 0..10, or STORE_SCALE_* */
    enum store_word_response word; /* the word question */
    struct store_context context;  /* room conditions when answered */
};

/*
 * A whole check-in as older callers and tests record it: the arrival (at once) and the
 * answers (into the pool). stress_answer -1 = skipped; stress_asked false = not asked.
 */
struct store_checkin {
    int64_t at_ms;
    int name_number;
    char friendly_name[48];
    char service[32];
    bool wants_word;
    bool stress_asked;
    int stress_answer;
    struct store_context context;
    bool word_asked;
    char wait_message[12];
    int wait_low_min;
    int wait_high_min;
};

/* Arrival status as the host sets it. */
enum store_arrival_status {
    ARRIVAL_WAITING,
    ARRIVAL_COLLECTED, /* the host fetched them: waiting time counted */
    ARRIVAL_NO_SHOW,
    ARRIVAL_LEFT, /* the visitor told the kiosk they left ("Ik ga weg" with their name) */
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

/* The exact wording of one question or answer label in one language (the codebook). */
struct store_codebook_entry {
    char item[48]; /* language-file key: "stress.title", "service.schuldhulp", ... */
    char lang[8];  /* language code: "nl", "en", ... */
    char text[STORE_CODEBOOK_TEXT_SIZE];
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
 * A visitor checked in (the service is chosen): inserts the arrival and counts the completed
 * check-in (journey_counts), nothing the visitor answered. name_number must be > 0; -EEXIST
 * when that number is already an arrival of that day.
 */
int64_t store_arrive(struct store *store, const struct store_arrival_in *arrival);

/*
 * The visitor chose another service after checking in (back on the first question): the
 * arrival's service changes. -ENOENT when name_number is no arrival of that day.
 */
int64_t store_change_service(struct store *store, int name_number, int64_t at_ms,
                             const char *service);

/*
 * The visitor asked for a word with someone: the host sees it on the arrival (operational,
 * like the name; not an anonymous answer). -ENOENT as above.
 */
int64_t store_wants_word(struct store *store, int name_number, int64_t at_ms);

/*
 * The answers of an arrived visitor go into the pool (memory only) and reach the disk in a
 * batch with at least k-1 other visitors of that day (at a later store_tick). Returns 0, or
 * -EINVAL (answer out of range), -EAGAIN (store closing, or STORE_POOL_MAX answers pending:
 * counted in store_health().pool_refused). When the visitor answered the stress question,
 * the store remembers the answer's band for the arrival in memory only (stress x wait).
 */
int store_answer(struct store *store, const struct store_answers *answers);

/* store_arrive, store_wants_word and store_answer in one call. Returns the arrival's seq. */
int64_t store_checkin(struct store *store, const struct store_checkin *checkin);

/*
 * Departure tap: the answer (0..10, -1 skipped, STORE_SCALE_ABANDONED) goes into the
 * departure pool, as store_answer does. Returns 0 or a negative errno as store_answer.
 */
int store_departure(struct store *store, int64_t at_ms, int stress_answer,
                    const struct store_context *context);

/* A journey left before checking in (welcome or service screen): counted at once. */
int64_t store_abandoned(struct store *store, int64_t at_ms, const char *moment,
                        const char *last_screen, const char *service);

/*
 * k of the answer batches ([research] k): at least STORE_BATCH_K_MIN (smaller values are
 * raised), at most STORE_POOL_MAX / 2. The first k a database gets is written into its
 * meta as research_k and stays the site's k (oase-export makes its blocks with it); a later
 * different k is logged and batches use the larger of the two. Call once after store_open,
 * before visitors come; default STORE_BATCH_K_DEFAULT.
 */
void store_set_batch_k(struct store *store, int k);

/*
 * Host actions on today's arrival (name_number): collected (waiting time = at_ms - arrival),
 * no-show, or back to waiting. Unknown numbers are ignored: -ENOENT, nothing queued.
 * When the visitor answered the stress question, the store remembers the answer's band for
 * that arrival in memory only (never on disk, never in the log); marking it collected puts
 * one (stress band, wait band) item into the stress x wait pool, written in batches of k
 * like the answers, and forgets the link; no-show and the fold forget it without a count.
 * A restart forgets all open links. An undo after collection does not take the count back.
 */
int64_t store_set_status(struct store *store, int name_number, enum store_arrival_status status,
                         int64_t at_ms);

/*
 * A leaving visitor gave their name at the kiosk: today's arrival name_number, when it is
 * still waiting, becomes left (the host page shows it; the host can undo it like any mark).
 * Its own write, like store_set_status; it carries no answer. -ENOENT (nothing queued) when
 * the number is no arrival of today or is not waiting.
 */
int64_t store_leave(struct store *store, int name_number, int64_t at_ms);

/*
 * The claim of a desk's mark: today's arrival name_number, just marked collected or no-show
 * by a desk at at_ms (store_set_status), had been claimed ("Ik haal deze") claimed_ms before
 * (claimed_ms < 0: not claimed). Kept in memory only, as a band (store_claim_band); the fold
 * adds it to claim_counts(day, phase, outcome, band, n), never a row per visitor and never a
 * time. A later status change (undo) forgets it; so does a restart (the claim itself lives in
 * the host page's memory). -ENOENT when the arrival is not marked collected or no-show.
 */
int store_note_claim(struct store *store, int name_number, int64_t at_ms, int64_t claimed_ms);

/* The band of claim_counts for claimed_ms (< 0: "unclaimed"; else minutes "0-2", "2-5",
 * "5-15", "15+"). Never NULL. */
const char *store_claim_band(int64_t claimed_ms);

/*
 * The host counts an incident of kind ("verbal", "physical" or "other"; see
 * store_incident_kind_name) at at_ms: one more in the aggregate cell (day, phase, kind),
 * nothing else is kept. -EINVAL for any other kind.
 */
int64_t store_incident(struct store *store, int64_t at_ms, const char *kind);

/*
 * Names the site in the meta table (key "site"), so exports of this database carry it
 * (oase-export --site still overrides). -EINVAL for NULL, "" or a name of STORE_SITE_SIZE
 * bytes or more.
 */
int64_t store_set_site(struct store *store, const char *site);

/* "verbal", "physical", "other" for the kinds above; NULL for anything else. */
const char *store_incident_kind_name(enum store_incident_kind kind);

/*
 * Folds every arrival of a day before now's local date (and, once now is past closing
 * time, today's that the host has marked collected or no-show: visitors still waiting stay
 * on the host's list until they are marked or the day ends) into arrival and waiting-time
 * counters and deletes those rows (secure_delete), then truncates the WAL. Answers still
 * pooled for a day before today are counted as withheld. Also called by store_tick().
 * Idempotent.
 */
int64_t store_fold(struct store *store, int64_t now_ms);

/*
 * Call about once a second with kiosk time: writes every pool of k or more pending answers
 * as one batch, runs the fold on the first call after store_open, at closing time, after
 * closing whenever the host marked a visitor, and when the local date changes. A fold
 * refused by a full queue is tried again on the next tick.
 */
void store_tick(struct store *store, int64_t now_ms);

/*
 * The wording in use: copies count entries (replacing earlier ones) and queues them, at the
 * next store_tick() and at the first tick of every later day, into the codebook table: a new
 * version when an item's text in a language differs from its latest version, else that
 * version's last_day moves forward. Returns 0, -EINVAL (NULL, count < 0), or -ENOMEM
 * (nothing changed). Writes never happen on the caller's thread.
 */
int store_set_codebook(struct store *store, const struct store_codebook_entry *entries, int count);

/*
 * The configuration in force ("sha256:<hex>" of its file's bytes): queued like the codebook
 * into phase_configs for the phase in force on each day the kiosk runs. -EINVAL when
 * config_hash is NULL, empty or too long.
 */
int store_set_config_hash(struct store *store, const char *config_hash);

/*
 * A randomised room ([experiment]) on one day: the condition applied, its place in the
 * allocation (block, slot) and the config hash. One row per day, never about a person.
 */
struct store_experiment_day {
    char day[11];        /* "YYYY-MM-DD" */
    char experiment[32]; /* experiment.name */
    char condition[32];  /* the condition's name */
    int block, slot;     /* as experiment_alloc drew them */
    char seed[24];       /* experiment.seed, decimal: anyone can re-draw the plan */
    char config_hash[STORE_CONFIG_HASH_SIZE];
};

/*
 * Records the day's condition into experiment_days when it is first applied: a later call for
 * the same day (a restart) changes nothing. Returns the write's seq, or -EINVAL (NULL, a day
 * that is no date), -EAGAIN (queue full).
 */
int64_t store_experiment_day(struct store *store, const struct store_experiment_day *day);

/*
 * A host changed the light scene or the sound while day's condition ran: overrides + 1 in
 * experiment_days (nothing when the day has no row). Returns the seq or a negative errno.
 */
int64_t store_experiment_override(struct store *store, const char *day);

/* The light band of a room light level in percent (0..100): "off" (0), "low" (1-40),
 * "mid" (41-75), "high" (76-100); values outside are clamped. (store_vocab.c) */
const char *store_light_band(int level_percent);

/* The band of a 0..10 stress answer: "0-3", "4-6", "7-10"; NULL for anything else. */
const char *store_stress_band(int stress_answer);

/* The queue band of this many visitors waiting: "0-2", "3-5", "6+" (below 0 counts as 0). */
const char *store_queue_band(int waiting);

/* The word of an arrival status as stored and shown ("waiting", "collected", "no_show",
 * "left"). */
const char *store_status_name(enum store_arrival_status status);

/* The status a stored word names. Returns 0, or -EINVAL (out unchanged) for any other text. */
int store_status_parse(const char *text, enum store_arrival_status *out);

/*
 * Arrivals that still hold an in-memory link to their stress band (not yet collected,
 * marked no-show or folded). For tests and the health view; never says which.
 */
int store_open_links(struct store *store);

/* Highest sequence number whose transaction is durably committed (or given up, see top). */
int64_t store_committed_seq(struct store *store);

/*
 * Sequence number of the newest write queued (0 before the first). Everything up to
 * store_committed_seq() is done; a gap that does not shrink means the writer is stuck (the
 * systemd watchdog uses this). NULL: 0.
 */
int64_t store_queued_seq(struct store *store);

/*
 * Blocks until everything queued so far is committed (shutdown, tests, replay end) and
 * returns 0. When writes are held (the disk refuses them) it asks for one more attempt at
 * once and returns -EIO when that attempt fails too: the writes stay held, nothing waits
 * for the disk to come back.
 */
int store_flush(struct store *store);

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
 * Typical wait today from today's collected arrivals only: when at least min_samples exist,
 * sets *low_min to the 25th percentile rounded down to 5 minutes and *high_min to the 75th
 * rounded up to 5 (outward: the range never claims less spread than the waits had; at
 * least 5 minutes wide) and returns true; otherwise false and the outputs are unchanged.
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
    /* Stress figures count only answers already written in batches of k or more: they
     * never move with one visitor's answer or skip and are the same after a restart. */
    int stress_asked;   /* written arrival answers: answered, skipped or abandoned */
    int stress_answers; /* of those, answered 0..10 */
    int64_t stress_sum; /* sum of those answers */
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

/*
 * Like store_open, for the kiosk: a file that is damaged (not SQLite, a torn header,
 * PRAGMA integrity_check failing), not Oase's, or of a newer schema is moved aside as
 * "<path>.<reason>-<YYYYMMDDTHHMMSS>" with its -wal, -shm and -journal (never deleted;
 * reason: damaged, corrupt, foreign, newer), logged once, and a fresh database is started in
 * its place; store_health().fault says so until the kiosk restarts. The writer does the same
 * when a write meets SQLITE_CORRUPT and the diagnosis confirms it: the held writes then go
 * into the fresh file (the moved one keeps the counts so far). Returns NULL with a
 * message in err when even a fresh file cannot be made (directory missing or read-only,
 * permissions); the file is then left as it was.
 */
struct store *store_open_recover(const char *path, const struct phase_list *phases,
                                 int closing_minute, char *err, size_t err_size);

/* What the host's health view shows about the data. */
struct store_health {
    bool in_memory;           /* the store is ":memory:": nothing survives a restart */
    bool holding;             /* the disk refuses writes: they wait in memory */
    int held;                 /* writes in memory not yet on disk (also while not holding) */
    int64_t unsaved_since_ms; /* when holding: event time of the oldest write not on disk */
    int64_t lost;             /* refused since open because STORE_QUEUE_MAX writes waited */
    int64_t failed_writes;    /* store_failed_writes() */
    int64_t attempts_failed;  /* failed attempts since open: grows while the writer retries */
    /* The three answer figures count arrival and departure answers only (one per visitor,
     * answered or not); stress x wait pairs, one per collected visitor who answered, are in
     * none of them, so no figure moves with whether the visitor just collected answered. */
    int pooled;           /* answers in memory waiting for a batch of k (lost on a power cut) */
    int64_t pool_refused; /* answers refused because STORE_POOL_MAX were pending */
    int64_t withheld;     /* answers not written since open: fewer than k left at a day's end */
    char fault[512];      /* a file moved aside at start or while running, "" = nothing */
    char last_error[512]; /* the writer's current problem, "" = none (cleared on success) */
};

/* Fills out (zeroed for a NULL store). */
void store_health(struct store *store, struct store_health *out);

/* Where a sequence number stands, for the screen that acknowledges it. */
enum store_seq_state {
    STORE_SEQ_REFUSED,   /* seq <= 0: never queued (queue full, invalid) */
    STORE_SEQ_PENDING,   /* queued, the writer is at it */
    STORE_SEQ_HELD,      /* queued behind a write the disk refuses: waits in memory */
    STORE_SEQ_COMMITTED, /* on disk */
    STORE_SEQ_FAILED,    /* given up after STORE_WRITE_ATTEMPTS (or lost at close): not on
                            disk. Only the latest STORE_FAILED_SEQS are told apart; an older
                            one reads as committed. */
};
enum store_seq_state store_seq_state(struct store *store, int64_t seq);

/*
 * The wall clock stepped by step_ms (NTP set a stale clock right, date -s): arrivals this
 * process checked in on the old clock, at or after since_ms, move by the step and to the day of
 * their new time, on screen at once and on disk in one queued write, so visitors already checked in
 * stay on the host's list and are counted in the hour they really came. Their friendly names stay;
 * one whose number is taken on the new day keeps its old date. Answers still waiting for a
 * batch (all given in this run) move from the day of now_ms - step_ms to the day of now_ms;
 * answers already written stay in their cells (cells mix visitors: they cannot be moved). Returns
 * the sequence number, -EINVAL (no store, step 0) or -EAGAIN (queue full).
 */
int64_t store_redate(struct store *store, int64_t since_ms, int64_t step_ms, int64_t now_ms);

/*
 * Names the machine's boot (clock_boot_id) and the wall clock's offset (wall - boot time)
 * at the kiosk's start. The first arrival of a boot writes a mark (meta clock_boot: the boot,
 * the offset, the arrival's day and number), kept up to date by store_redate. When a later
 * run of the kiosk starts in the same boot, the arrivals that boot wrote are re-dated by a
 * step like this run's, and the offset of the mark is returned: the clock watch starts on it,
 * so a step taken while the kiosk was down is seen at once. Otherwise returns offset_ms.
 * After a reboot the mark names another boot: the old arrivals keep their date (their real
 * age is lost with the boot time). docs/clock.md.
 */
int64_t store_clock_boot(struct store *store, const char *boot_id, int64_t offset_ms);

/*
 * The newest instant the store knows of: the latest arrival not yet folded, or the start of
 * the latest day with counts. A wall clock before it is stale. 0 when nothing is known.
 */
int64_t store_newest_ms(struct store *store);

#endif
