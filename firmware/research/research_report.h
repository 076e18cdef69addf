/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report: the before/after comparison a researcher reads. Per phase: responses,
 * response rates, the distribution, mean, median and SD of the 0-10 stress answers (arrival
 * and departure side by side), waiting times and incidents per 100 arrivals; between two
 * phases a Mann-Whitney U test, effect sizes and a bootstrap interval; a weekly trend; a
 * plain-language summary in Dutch and English; charts as PDF, SVG or PNG
 * (research_report_draw.c).
 *
 * It is computed from a published dataset only (research_export, the same k rule), never
 * from a database: every count it shows is a sum of published counts, and every statistic
 * is a function of what a researcher could download. Flow: research_dataset_build ->
 * research_report_compute -> research_report_render / research_report_write_json.
 */
#ifndef OASE_RESEARCH_REPORT_H
#define OASE_RESEARCH_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "research/evaluation_config.h"
#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_infer.h"
#include "research/research_randomised.h"
#include "research/research_stats.h"

#define RESEARCH_REPORT_SMALL_SAMPLE 30 /* fewer answers in a phase: the summary cautions */
#define RESEARCH_REPORT_PHASES 8
#define RESEARCH_REPORT_SCALE 11                         /* stress answers 0..10 */
#define RESEARCH_REPORT_WAIT_BANDS STORE_WAIT_BAND_COUNT /* the store's, 0-5 .. 60+ */
#define RESEARCH_REPORT_TEXT 4096
#define RESEARCH_REPORT_STRESS_BANDS 4 /* 0-3, 4-6, 7-10 and "none" (no stress answer) */
#define RESEARCH_REPORT_MESSAGES 3     /* waiting message: range, host_knows, none recorded */
#define RESEARCH_REPORT_SERVICES 12    /* services shown per phase; more go under "*" */
#define RESEARCH_REPORT_WARNINGS 16
#define RESEARCH_REPORT_CAUTION_RATE 0.5    /* a response rate below: the summary cautions */
#define RESEARCH_REPORT_CAUTION_SPREAD 0.05 /* rates of compared phases this far apart: too */
#define RESEARCH_REPORT_TAU_SMALL 50 /* fewer visitors in the table: a small-sample caution */

#define RESEARCH_REPORT_TESTS 22        /* exploratory tests after the primary */
#define RESEARCH_REPORT_TEST_WARNINGS 6 /* warnings kept per test */
#define RESEARCH_ITS_MIN_POINTS 3       /* weeks a segment needs at all (EPOC) */
#define RESEARCH_ITS_GOOD_POINTS 8      /* fewer weeks in a segment: a warning */

enum research_moment_index { RESEARCH_AT_ARRIVAL, RESEARCH_AT_DEPARTURE, RESEARCH_MOMENTS };

/* The measures compared between two phases, in the order of enum evaluation_outcome. */
enum research_measure {
    RESEARCH_MEASURE_STRESS_ARRIVAL,
    RESEARCH_MEASURE_STRESS_DEPARTURE,
    RESEARCH_MEASURE_WAIT_MINUTES,
    RESEARCH_MEASURE_INCIDENTS_PER_100, /* each arrival 100 with an incident, else 0 */
    /* each stress answer 100 when RESEARCH_STRESS_CUT (research_kanon.h: the cut the export's
       daily ranges never cross) or higher, else 0: the share in %; tested
       only when declared as the primary (the exploratory battery stays as it was) */
    RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH,
    RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH,
    RESEARCH_MEASURES
};
_Static_assert((int)RESEARCH_MEASURES == (int)EVALUATION_OUTCOMES &&
                   (int)RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH ==
                       (int)EVALUATION_STRESS_ARRIVAL_HIGH &&
                   (int)RESEARCH_MEASURE_INCIDENTS_PER_100 == (int)EVALUATION_INCIDENTS,
               "a declared outcome is its measure: keep the two enums in one order");

/* Is measure a share of stress answers at or above the cut (..._HIGH)? */
#define RESEARCH_MEASURE_IS_STRESS_SHARE(measure)                                                  \
    ((measure) == RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH ||                                          \
     (measure) == RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH)

/* Published values of one measure in one phase. */
struct research_report_values {
    /* (value, n) with every range at its lowest (low) and at its highest value (high): a
       range is never a midpoint; the two are equal when nothing was merged */
    struct research_value_count *low, *high;
    size_t low_count, high_count;
    struct research_summary summary; /* n; mean, median, sd only when no range (else NAN) */
    struct research_summary summary_low, summary_high; /* the two extreme assignments */
    double exact[RESEARCH_REPORT_SCALE];  /* per scale step: published as that value alone */
    double spread[RESEARCH_REPORT_SCALE]; /* per scale step: ranges spread evenly (charts) */
    int64_t in_ranges;                    /* observations published only as part of a range */
    int64_t skipped;                      /* answers "skip" (stress) */
    int64_t hidden;                       /* in remainders: value unknown, not in the statistics */
    bool open_ended;                      /* waits: some in "60+" (no upper bound) */
};

/*
 * Counts on the waiting-time bands as published: bands[first][last] holds rows that cover
 * bands first..last (first == last: one band). Nothing is spread over a range.
 */
struct research_report_wait_bands {
    int64_t bands[RESEARCH_REPORT_WAIT_BANDS][RESEARCH_REPORT_WAIT_BANDS];
    int64_t total;
};

/*
 * Stress band x waiting-time band of the visitors fetched by a host, on the finest bands
 * that every published row of the phase agrees on (so a merged range is never split).
 */
struct research_report_crosstab {
    bool recorded; /* some site of the phase counts it (schema 3) */
    /* as published: [stress first][stress last] (3 = none) x waiting bands */
    struct research_report_wait_bands published[RESEARCH_REPORT_STRESS_BANDS]
                                               [RESEARCH_REPORT_STRESS_BANDS];
    int stress_groups; /* stress categories of the table: bands stress_first..stress_last */
    int stress_first[3], stress_last[3];
    int wait_groups; /* waiting categories: bands wait_first..wait_last */
    int wait_first[RESEARCH_REPORT_WAIT_BANDS], wait_last[RESEARCH_REPORT_WAIT_BANDS];
    int64_t n[RESEARCH_REPORT_STRESS_BANDS][RESEARCH_REPORT_WAIT_BANDS]; /* row 3: none */
    int64_t with_stress;                                                 /* visitors in rows 0..2 */
    int64_t unsplit_rows;  /* published wait rows whose stress split is not shown */
    int64_t merged_stress; /* visitors published only with merged stress bands: left out */
    double tau_b;          /* Kendall's tau-b on the table without "none"; NAN: undefined */
};

/* One waiting message ("range", "host_knows", "none") in one phase. */
struct research_report_message {
    int64_t shown;      /* arrivals that saw it (published splits) */
    int64_t outcome[4]; /* collected, no_show, not_marked, left */
    int64_t within[4];  /* collected "range" arrivals: below, within, above, not split */
    struct research_report_wait_bands waits; /* collected: waiting-time bands */
};

/* Response-rate denominators of the stress question on arrival (schema 3). */
struct research_report_responses {
    bool recorded;
    int64_t answered, skipped, not_asked; /* in split periods only; not asked: where >= k */
    int64_t by_part[4][2]; /* answered, skipped per part of the day (hour or part rows) */
    int64_t coarser[2];    /* answered, skipped published only per day or week */
    char services[RESEARCH_REPORT_SERVICES][32];
    int64_t by_service[RESEARCH_REPORT_SERVICES][2];
    size_t service_count;
    int64_t unsplit;      /* periods whose split by service is not shown */
    double rate_checkins; /* stress answers 0-10 (answers table) / completed check-ins; NAN */
    double rate_started;  /* the same / (completed + abandoned check-ins); NAN */
};

/* Desks' claims of one phase (the claims table), from published rows only. */
#define RESEARCH_CLAIM_BANDS 4 /* 0-2, 2-5, 5-15, 15+ minutes from the claim to the mark */
struct research_report_claims {
    bool recorded;                       /* the claims table has published rows */
    int64_t claimed, unclaimed;          /* collected visitors, claimed first or not */
    int64_t bands[RESEARCH_CLAIM_BANDS]; /* collected and claimed, by band (exact cells) */
    int64_t ranged;                      /* collected and claimed, in merged band ranges */
    int64_t unknown;                     /* collected, in a remainder: claimed or not unknown */
    int hidden;                          /* suppressed rows (fewer than k) */
};

struct research_report_phase {
    char name[PHASE_NAME_MAX];
    int32_t first_day, last_day; /* days of its published rows */
    int64_t arrivals;            /* published arrivals */
    int64_t completed[RESEARCH_MOMENTS];
    int64_t abandoned; /* abandoned check-in journeys */
    struct research_report_values stress[RESEARCH_MOMENTS];
    struct research_report_values wait; /* minutes; exact/spread per band */
    int64_t incidents;                  /* published incidents */
    int incidents_hidden_weeks;         /* weeks whose incidents (fewer than k) are not published */
    double response_rate_completed;     /* stress answers (0-10) / completed check-ins; NAN */
    double response_rate_arrivals;      /* stress answers (0-10) / arrivals; NAN */
    double incidents_per_100;           /* NAN without incident counts or arrivals */
    struct research_report_crosstab stress_wait;
    struct research_report_message messages[RESEARCH_REPORT_MESSAGES];
    bool messages_recorded;
    int64_t messages_unsplit; /* published wait rows whose message split is not shown */
    bool outcome_unsplit[4];  /* per outcome (collected, no-show, not marked, left): some of
                                 its wait rows are not split by message (counted nowhere) */
    struct research_report_responses responses;
    struct research_report_claims claims;
};

/* One wording of the codebook, or one configuration of a phase (for the appendix). */
struct research_report_wording {
    char site[RESEARCH_SITE_MAX];
    char item[64];
    char lang[16];
    int version; /* 0: a phase configuration (item holds the phase) */
    char *text;  /* the wording, or the config hash */
    int32_t first_day, last_day;
};

struct research_report_comparison {
    bool available;
    char reason[RESEARCH_NOTE_MAX]; /* why not, when not available */
    struct research_summary a, b;
    struct research_mann_whitney test;
    double cliffs_delta;
    struct research_bootstrap interval; /* of mean(B) - mean(A) */
};

/* One ISO week of the trend: all sites together. */
struct research_report_week {
    int32_t monday;
    int phase; /* index into phases with most answers that week, -1 */
    int64_t n[RESEARCH_MOMENTS];
    double mean[RESEARCH_MOMENTS]; /* NAN without answers, or when some were in ranges */
    double mean_low[RESEARCH_MOMENTS], mean_high[RESEARCH_MOMENTS]; /* ranges at either end */
    int64_t completed; /* completed check-ins of the week (response rate) */
};

/* One unit of analysis: a day of one site (or a week its counts were published for only as
   a whole), for one measure; its answers summed at their lowest and highest values. */
struct research_report_unit {
    enum research_measure measure;
    uint32_t site; /* text number of the site name */
    bool control;  /* a declared control site */
    int phase;
    int32_t first_day, last_day;
    int64_t n;
    double low, high; /* sums; high is INFINITY with a "60+" wait */
};

/* One test of the evaluation: the primary, or an exploratory one. */
struct research_report_test {
    enum research_measure measure;
    const char *outcome; /* "stress_arrival" ... (evaluation_outcome_name) */
    const char *design;  /* "interrupted_time_series", "before_after", "controlled",
                            "before_after_by_site", "rate_ratio" */
    const char *term;    /* "level_change", "slope_change", "difference", ... */
    char unit[64];       /* "week", "day", "day (2 weeks only as a whole week)", "phase" */
    bool available;
    char reason[RESEARCH_NOTE_MAX];    /* why not, in plain words */
    char reason_nl[RESEARCH_NOTE_MAX]; /* the same in Dutch ("" when only English) */
    bool ranged;                       /* ranges made the estimate an interval */
    double estimate;                   /* NAN when ranged (then the bounds below) */
    double estimate_low, estimate_high;
    double ci_low, ci_high; /* with ranges: the outer ends of the two extreme fits */
    double p;               /* with ranges: the larger of the two extremes, 1 when 0 is allowed */
    double adjusted_p;      /* Holm over the exploratory tests; NAN for the primary */
    size_t n_units;
    char warnings[RESEARCH_REPORT_TEST_WARNINGS][RESEARCH_NOTE_MAX];
    size_t warning_count;
    /* the points behind the estimate (JSON "units", recomputed with statsmodels) */
    double *unit_t, *unit_y, *unit_high; /* unit_high: with ranges (unit_y is then the low) */
    int *unit_group;
    double *unit_exposure; /* rate ratio: each unit's arrivals / 100 (unit_y: its incidents) */
    size_t unit_count;
    double t0; /* interrupted time series: the first week (index) after */
    int lags;
    bool has_fit;         /* interrupted time series, exact: the fitted segments (charts) */
    double fit[4];        /* b0 + b1 t + b2 after + b3 (t - t0) after */
    int32_t first_monday; /* t = (monday - first_monday) / 7 */
};

/* A randomised room ([experiment]) analysed by randomisation inference, day as the unit. */
struct research_report_randomised {
    bool present;   /* the export holds experiment days */
    bool available; /* analysed; else reason says why not */
    char reason[RESEARCH_NOTE_MAX];
    char reason_nl[RESEARCH_NOTE_MAX];
    char experiment[32];
    enum research_measure measure; /* the declared primary outcome */
    int condition_count;
    char conditions[EXPERIMENT_CONDITIONS_MAX][32]; /* by index in the allocation; 0 = reference */
    int days_run[EXPERIMENT_CONDITIONS_MAX];        /* recorded days per condition */
    bool ranged; /* answers in ranges: low and high below are the two ends */
    /* the two ends the ranges allow. Reference (condition 0): every day at its low (high) end.
       Condition c: its comparison's lowest (highest) difference, c's days at their low (high)
       end and the reference's at their high (low) end. high equals low when nothing was ranged */
    struct research_randomised low, high;
    bool share_advised; /* a stress mean whose bounds include 0 while the day shares at or above
                           RESEARCH_STRESS_CUT are exact: the verdict names the remedy */
    int days_recorded, days_without_outcome, days_week_only;
    int days_suppressed; /* of days_without_outcome: the export's daily form suppressed them
                            (fewer than k answers on a side of the cut, or fewer than k skips) */
    int overrides, days_overridden; /* host changes during experiment days */
    int seeds;                      /* seed groups (sites with their own seed) */
    char seed_texts[8][24];         /* the first seeds, by group (JSON, the oracle) */
    char warnings[RESEARCH_REPORT_TEST_WARNINGS][RESEARCH_NOTE_MAX];
    size_t warning_count;
    struct research_randomised_day *days, *days_high; /* the day units: low and high ends */
    size_t day_count;
};

/* One site in one phase. */
struct research_report_site {
    char site[RESEARCH_SITE_MAX];
    int phase;
    int64_t responses, completed;
    double mean;                /* NAN without answers or with ranges */
    double mean_low, mean_high; /* ranges at their lowest / highest */
};

struct research_report {
    int k;
    int32_t first_day, last_day;
    char sites[RESEARCH_NOTE_MAX]; /* "Zuid, noord" */
    size_t site_count;
    bool incidents_counted; /* some database has an incident table */
    struct research_report_phase phases[RESEARCH_REPORT_PHASES];
    size_t phase_count;
    int compare_a, compare_b; /* phase indexes; -1 when there is no comparison */
    struct research_report_comparison comparisons[RESEARCH_MEASURES];
    struct research_report_week *weeks;
    size_t week_count;
    int64_t pooled_answers; /* arrival answers in pooled weeks: not in the weekly trend */
    struct research_report_site *site_rows;
    size_t site_row_count;
    bool small_sample; /* a compared phase has fewer than RESEARCH_REPORT_SMALL_SAMPLE answers */
    char summary_nl[RESEARCH_REPORT_TEXT];
    char summary_en[RESEARCH_REPORT_TEXT];
    char notes[RESEARCH_NOTES][RESEARCH_NOTE_MAX]; /* from the export */
    size_t note_count;
    bool schema3;                             /* some database records the schema 3 tables */
    bool claims_table;                        /* some database has claim_counts (schema 5) */
    struct research_report_wording *codebook; /* wordings, then phase configurations */
    size_t codebook_count;
    /* "the measure changed on DAY ...": a wording or configuration changed within a phase */
    char warnings[RESEARCH_REPORT_WARNINGS][RESEARCH_NOTE_MAX];
    size_t warning_count;
    bool self_selection; /* a response rate is low or differs between the compared phases */
    /* the evaluation as declared ([evaluation]) and its results */
    struct evaluation_config evaluation;
    struct research_report_unit *units;
    size_t unit_count;
    struct research_report_test primary;
    struct research_report_test tests[RESEARCH_REPORT_TESTS];
    size_t test_count;
    bool has_control; /* a declared control site has data */
    /* the primary's phase difference if non-responders had answered like the lowest /
       highest responders (stress outcomes); NAN when not computed */
    double nonresponse_low, nonresponse_high;
    char verdict_nl[RESEARCH_REPORT_TEXT], verdict_en[RESEARCH_REPORT_TEXT];
    struct research_report_randomised randomised; /* research_report_randomised.c */
};

/*
 * The evaluation (research_report_design.c): units, the declared primary test, exploratory
 * tests with Holm-adjusted p, non-response bounds and the verdict. Called by
 * research_report_compute. Returns 0 or -ENOMEM.
 */
int research_report_compute_design(const struct research_dataset *dataset,
                                   struct research_report *report);

/* Frees what research_report_compute_design allocated. */
void research_report_free_design(struct research_report *report);

/* The evaluation's JSON members "primary", "tests" and "nonresponse_bounds". */
void research_report_write_design_json(const struct research_report *report, FILE *out);

/*
 * research_report_randomised.c: the randomised room's section from the export's experiment
 * days and the day units; with [evaluation] design = randomised it becomes the primary and its
 * verdict. Call after research_report_compute_design. Returns 0 or -ENOMEM.
 */
int research_report_compute_randomised(const struct research_dataset *dataset,
                                       struct research_report *report);

/* The JSON member "randomised" (null without experiment days). */
void research_report_write_randomised_json(const struct research_report *report, FILE *out);

/* Frees what research_report_compute_randomised allocated. */
void research_report_free_randomised(struct research_report *report);

/* The measure's outcome name as [evaluation] spells it ("stress_arrival" ...). */
const char *research_measure_outcome(enum research_measure measure);

/*
 * The schema 3 sections of a report: stress x waiting time, waiting messages, response
 * denominators, codebook and its warnings (research_report_eval.c). Called by
 * research_report_compute after the phases are known. Returns 0 or -ENOMEM.
 */
int research_report_compute_eval(const struct research_dataset *dataset,
                                 struct research_report *report);

/*
 * The report's JSON values, for research_report.c and research_report_eval.c: a string with
 * quotes, backslashes and control characters escaped (UTF-8 as is); a number with 6
 * significant digits, null when not finite.
 */
/*
 * Appends printf output to buf (size bytes) at *used, cut to fit: buf stays NUL-terminated
 * and *used never passes size - 1. The report's plain-language texts are written with it.
 */
void research_report_text_append(char *buf, size_t size, size_t *used, const char *fmt,
                                 va_list args);

void research_report_json_string(FILE *out, const char *text);
void research_report_json_number(FILE *out, double value);

/* The schema 3 sections as JSON members (after "sites_by_phase"). */
void research_report_write_eval_json(const struct research_report *report, FILE *out);

/*
 * Computes the report. compare_a and compare_b name the phases to compare (both NULL: the
 * first two by start date, "unphased" left out). Returns 0 and *out (free with
 * research_report_free), -EINVAL with a message in err when a named phase has no data
 * (listing the phases that have), or -ENOMEM.
 */
int research_report_compute(const struct research_dataset *dataset, const char *compare_a,
                            const char *compare_b, struct research_report **out, char *err,
                            size_t err_size);

/* The same, analysed as evaluation declares (NULL: the defaults, marked "not declared"). */
int research_report_compute_evaluation(const struct research_dataset *dataset,
                                       const char *compare_a, const char *compare_b,
                                       const struct evaluation_config *evaluation,
                                       struct research_report **out, char *err, size_t err_size);

void research_report_free(struct research_report *report);

/* Every figure as JSON. Returns 0 or -EIO. */
int research_report_write_json(const struct research_report *report, FILE *out);

/*
 * Draws the report to path: PDF (A4 pages), SVG or PNG (the pages one below the other)
 * chosen by the extension .pdf, .svg or .png. Returns 0, or -EINVAL (another extension) or
 * -EIO (cairo could not write) with a message in err.
 */
int research_report_render(const struct research_report *report, const char *path, char *err,
                           size_t err_size);

/* The label of a phase's comparison measure ("stress on arrival (0-10)" ...), English. */
const char *research_measure_name(enum research_measure measure);
/* The same in Dutch ("stress bij aankomst (0-10)" ...). */
const char *research_measure_name_nl(enum research_measure measure);
/* The moment a stress measure (mean or share) is asked at: RESEARCH_AT_ARRIVAL or
   RESEARCH_AT_DEPARTURE; RESEARCH_MOMENTS for the waiting time and incidents. */
enum research_moment_index research_measure_moment(enum research_measure measure);

/* The Dutch format of a refusal reason's English format, or NULL (research_report_reasons.c);
 * it takes the same arguments in the same order. */
const char *research_reason_nl(const char *en_format);
/* A refusal reason from its English format: en in English, nl in Dutch ("" when the table has
 * no Dutch for the format). Both hold RESEARCH_NOTE_MAX bytes. */
void research_reason_vformat(char *en, char *nl, const char *en_format, va_list args);
/* A refusal reason whose one argument (%s) is a measure: its English name in en, its Dutch name
 * in nl (research_measure_name, research_measure_name_nl). */
void research_reason_measure(char *en, char *nl, const char *en_format,
                             enum research_measure measure);
/* For tests: the table's pairs. */
size_t research_reason_count(void);
void research_reason_pair(size_t index, const char **en, const char **nl);

#endif
