/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export: the researchers' view of one or more kiosk databases. It opens each
 * database read-only (safe while the kiosk writes: WAL readers never block the writer),
 * numbers its counter cells, has research_kanon make them safe to publish, and writes the
 * result as CSV or JSON to any FILE*: a file, stdout, or open_memstream() for the web
 * module's researcher download. It never writes to a database, never reads today's
 * arrivals (only which days still have some), and never outputs a number that
 * research_kanon did not publish. Column meanings: docs/research.md.
 *
 * Flow: store tables -> research_dataset_build (here and research_kanon) ->
 * research_export_write (CSV/JSON) or research_report (statistics and charts).
 */
#ifndef OASE_RESEARCH_EXPORT_H
#define OASE_RESEARCH_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "research/research_kanon.h"
#include "store/store.h"

#define RESEARCH_SITE_MAX 64           /* bytes of a site name, with its NUL */
#define RESEARCH_NOTE_MAX 240          /* bytes of one note */
#define RESEARCH_NOTES 16              /* notes kept per export */
#define RESEARCH_MAX_CELLS (16u << 20) /* input cells per export: about 400 MB at most */
#define RESEARCH_BUSY_TIMEOUT_MS 5000  /* how long to wait for a database another program locks */
#define RESEARCH_SCHEMA_MIN 1          /* the oldest kiosk schema with counters */
#define RESEARCH_SCHEMA_MAX 5          /* the newest kiosk schema this code reads */
#define RESEARCH_SCHEMA_V3 3 /* light band, responses, stress x wait, messages, codebook */
#define RESEARCH_SCHEMA_V4 4 /* answers in batches as per-day cells (hour -1), withheld */
#define RESEARCH_SCHEMA_V5 5 /* arrivals can be 'left'; waits with outcome 'left' */

/* The research code reads exactly the schemas the store writes. */
_Static_assert(RESEARCH_SCHEMA_MAX == STORE_SCHEMA_VERSION,
               "oase-export must read the schema the kiosk writes: update research_export.c");
#define RESEARCH_ANY "any" /* a room dimension coarsened away (answers with context) */
#define RESEARCH_TUPLE_PARTS 6
#define RESEARCH_CONTEXT_LEVELS 5 /* full room context .. none: see research_context_level_name */

enum research_format {
    RESEARCH_FORMAT_CSV,
    RESEARCH_FORMAT_JSON,
};

/* The exported tables, in output order. */
enum research_table_id {
    RESEARCH_ANSWERS,   /* answer_counts: moment, question -> answer (+ room context) */
    RESEARCH_ARRIVALS,  /* arrival_counts: -> wants_word */
    RESEARCH_JOURNEYS,  /* journey_counts: moment, outcome -> last_screen */
    RESEARCH_WAITS,     /* wait_counts: -> outcome, wait_band (per day) */
    RESEARCH_INCIDENTS, /* incident_counts, when the database has it: -> kind (per day) */
    /* Schema 3. These three are published as splits of rows another table already
       publishes (research_table.parent): a split is shown whole, with every part >= k, or
       not at all, so it adds no total and no difference that was not public. */
    RESEARCH_RESPONSES,     /* response_counts: moment, question -> service, response */
    RESEARCH_STRESS_WAITS,  /* stress_wait_counts: a collected waits row split by stress band */
    RESEARCH_WAIT_MESSAGES, /* wait_message_counts: a waits row split by message (and within) */
    /* Schema 5. Desks' claims, per day: -> outcome, claim_band (the minutes from a claim to
       the mark lie on an ordered scale; "unclaimed" is nominal). Never by hour or room. */
    RESEARCH_CLAIMS,
    RESEARCH_TABLE_COUNT
};

struct research_export_options {
    const char *const *db_paths; /* one database per site (two of one site are added up) */
    size_t db_count;
    const char *site;    /* NULL: the meta table's "site", else the file name without .db;
                            only with one database */
    const char *from;    /* "YYYY-MM-DD" or NULL; widened to its week's Monday, then only
                            published blocks wholly inside from..to are shown */
    const char *to;      /* "YYYY-MM-DD" or NULL; widened to its week's Sunday */
    int k;               /* 0: the site's k; below the site's k is refused; above it only
                            suppresses published rows below k (docs/research.md, Sequences) */
    int site_k;          /* 0: meta "research_k" of the database, else RESEARCH_K_DEFAULT;
                            the kiosk's HTTP export gives its [research] k (meta still wins) */
    bool k_at_least;     /* a k below the site's is raised to it instead of refused (the
                            kiosk's HTTP export: its configured k is a minimum) */
    bool with_context;   /* answers also per scene, light band, sound and queue band */
    const char *today;   /* NULL: the local date now; only weeks that ended before it */
    int busy_timeout_ms; /* 0: RESEARCH_BUSY_TIMEOUT_MS */
};

/*
 * Up to six text numbers (research_dataset_text) that name a series or a key. Keys of split
 * tables carry the merged labels they are written with and, after the written parts, the
 * first and last waiting-time band they cover (research_split_wait_bands).
 */
struct research_tuple {
    uint32_t text[RESEARCH_TUPLE_PARTS];
};

struct research_site {
    char name[RESEARCH_SITE_MAX];
    char source[RESEARCH_NOTE_MAX];  /* the database's file name (no directory) */
    const char *named_by;            /* "--site", "meta table" or "file name" */
    char site_id[RESEARCH_SITE_MAX]; /* meta "site_id"; "" when the database has none */
    int k;                           /* the site's k: meta "research_k", else the default */
    int schema_version;
    bool has_incidents;                   /* the database has an incident_counts table */
    bool has_table[RESEARCH_TABLE_COUNT]; /* the database has the table's store table */
    bool has_codebook;                    /* schema 3: codebook and phase_configs */
};

/* The exact wording of one question or answer label in one language (schema 3). */
struct research_codebook_entry {
    uint32_t site, item, lang, text; /* text numbers */
    int version;
    int32_t first_day, last_day; /* the days this wording was shown */
};

/* The configuration in force in one phase of one site (schema 3). */
struct research_phase_config {
    uint32_t site, phase, hash; /* hash: "sha256:..." */
    int32_t first_day, last_day;
};

/* One exported table: what its series and keys are called, and its published rows. */
struct research_table {
    struct research_tuple *series; /* text[0] site, [1] phase, [2] and [3] per table */
    size_t series_count;
    struct research_tuple *keys; /* the key columns of the table, in order */
    struct research_key_order *key_order;
    size_t key_count;
    struct research_kanon_result published;
    uint32_t *ladder; /* answers: RESEARCH_CONTEXT_LEVELS x key_count (room context split,
                         made for every export); other tables NULL */
    int parent;       /* split tables: the table whose rows are split; else -1 */
    size_t unsplit;   /* split tables: parent rows whose split is not shown (too few);
                         arrivals: weeks shown without wants_word (their answers hide some) */
};

/*
 * One day of a randomised room (experiment_days, schema 5): which condition ran, its place in
 * the seeded allocation and how often a host overrode it. About the room, never a person.
 */
struct research_experiment_day {
    uint32_t site; /* text number of the site name */
    int32_t day;
    char experiment[32], condition[32];
    int block, slot, overrides;
    char seed[24];
    char config_hash[72];
};

struct research_texts; /* interned strings: research_export_internal.h */

struct research_dataset {
    int k;      /* the k asked for: rows below it are suppressed */
    int site_k; /* the k every block is published with (the sites' k) */
    bool with_context;
    int32_t first_day, last_day; /* the window: whole ISO weeks; first > last when none. Rows
                                    are blocks wholly inside it (pools may skip weeks) */
    struct research_site *sites;
    size_t site_count;
    char notes[RESEARCH_NOTES][RESEARCH_NOTE_MAX]; /* what was widened or left out, and why */
    size_t note_count;
    struct research_table tables[RESEARCH_TABLE_COUNT];
    struct research_codebook_entry *codebook; /* by site, item, lang, version */
    size_t codebook_count;
    struct research_phase_config *phase_configs; /* by site, phase, first day */
    size_t phase_config_count;
    struct research_experiment_day
        *experiment_days; /* by site, day (research_export_experiment.c) */
    size_t experiment_day_count;
    struct research_texts *texts;
};

/*
 * Reads every database of options and publishes their cells. Returns 0 and *out (free with
 * research_dataset_free), or a negative errno with a message for people in err naming the
 * file and the fix: -EINVAL (k below 3, a date that is not YYYY-MM-DD or does not exist,
 * from after to, --site with several databases, the same file twice), -ENOENT (no such
 * file), -EBUSY (locked longer than the busy timeout), -EPROTO (not an Oase database,
 * damaged, or a newer schema), -E2BIG (more than RESEARCH_MAX_CELLS cells), -EIO, -ENOMEM.
 * No database is changed in any case.
 */
int research_dataset_build(const struct research_export_options *options,
                           struct research_dataset **out, char *err, size_t err_size);

/*
 * research_export_experiment.c: appends the experiment_days rows of db (when it has the table)
 * for site_text to dataset. Returns 0, or -EPROTO (a row that is not a day, a condition or
 * block out of range) / -EIO / -ENOMEM with a message naming path in err.
 */
struct sqlite3;
int research_export_read_experiment(struct sqlite3 *db, const char *path, uint32_t site_text,
                                    struct research_dataset *dataset, char *err, size_t err_size);

/* Keeps the experiment days inside first..last (the export's window). */
void research_export_keep_experiment(struct research_dataset *dataset, int32_t first, int32_t last);

/* Frees a dataset. NULL is allowed. */
void research_dataset_free(struct research_dataset *dataset);

/* The text with number id ("" for an unknown number). */
const char *research_dataset_text(const struct research_dataset *dataset, uint32_t id);

/* "answers", "arrivals", "journeys", "waits", "incidents", "responses", "stress_waits",
   "wait_messages", "claims". */
const char *research_table_name(enum research_table_id table);

/*
 * Names of a table's series parts 2 and 3 and of its key parts (NULL past the end):
 * research_table_series_column(RESEARCH_ANSWERS, 2) is "moment".
 */
const char *research_table_series_column(enum research_table_id table, int part);
const char *research_table_key_column(enum research_table_id table, int part);

/* The key part as published in row: "7", a range "8-10", "*" for a remainder, "" if none. */
void research_row_key_text(const struct research_dataset *dataset, enum research_table_id table,
                           const struct research_row *row, int part, char *buf, size_t size);

/*
 * The minutes a waiting-time band (or a range of bands, first .. last) stands for: *low and
 * *high; "60+" has no upper end (*high = -1). Returns 0, or -EINVAL for an unknown band.
 */
int research_wait_band_minutes(const char *first_band, const char *last_band, int *low, int *high);

/*
 * The level of room context a published answers row keeps (0 full: scene, light band, sound,
 * queue band; 1 without queue band; 2 light band and sound; 3 light band; 4 none), or -1
 * for a row without context (no ladder, a remainder, a suppressed week).
 */
int research_row_context_level(const struct research_dataset *dataset,
                               const struct research_row *row);

/* "scene, light band, sound, queue band", ... "no room context" for levels 0..4. */
const char *research_context_level_name(int level);

/*
 * The waiting-time bands a row of waits, stress_waits or wait_messages covers, as indexes
 * into the store's bands (0 = "0-5" .. 7 = "60+"). Returns 0, or -EINVAL when the row has
 * no waiting time (no-shows, remainders, suppressed splits).
 */
int research_row_wait_bands(const struct research_dataset *dataset, enum research_table_id table,
                            const struct research_row *row, int *first, int *last);

/* The store's waiting-time band with index 0..7 ("0-5" .. "60+"), "" outside. */
const char *research_wait_band_name(int index);

/* "csv" or "json" into *format. Returns 0 or -EINVAL. */
int research_format_parse(const char *text, enum research_format *format);

/* Writes the dataset to out. Returns 0, or -EIO when out reports a write error. */
int research_export_write(const struct research_dataset *dataset, enum research_format format,
                          FILE *out);

/* research_dataset_build, research_export_write and research_dataset_free in one call. */
int research_export_run(const struct research_export_options *options, enum research_format format,
                        FILE *out, char *err, size_t err_size);

#endif
