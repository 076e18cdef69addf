/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_randomised: the report's section on a randomised room ([experiment]). The
 * export's experiment_days say which condition ran on which day of which site, with its block
 * and slot of the seeded allocation; the day units (research_report_design.c) give each day's
 * mean of the outcome. research_randomised re-draws the allocation with the kiosk's own rule
 * (experiment_alloc) for p-values and intervals. With [evaluation] design = randomised the
 * comparison of the second condition with the first (the reference) is the primary.
 * Like the rest of the report it reads only published rows: a range stays a range (both ends
 * analysed), a day published only inside a week is left out and counted. With ranges, each
 * comparison's bounds put its condition's days at one end and the reference's at the other
 * (randomised_bounds): a difference is lowest when the first is low and the second high.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/experiment_alloc.h"
#include "research/research_period.h"
#include "research/research_report.h"

#define RANDOMISED_SEEDS_MAX 64 /* seed groups (sites with seeds of their own) */

__attribute__((format(printf, 2, 3))) static void
randomised_warn(struct research_report_randomised *section, const char *fmt, ...)
{
    if (section->warning_count >= RESEARCH_REPORT_TEST_WARNINGS) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(section->warnings[section->warning_count++], RESEARCH_NOTE_MAX, fmt, args);
    va_end(args);
}

__attribute__((format(printf, 2, 3))) static void
randomised_refuse(struct research_report_randomised *section, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    research_reason_vformat(section->reason, section->reason_nl, fmt, args);
    va_end(args);
    section->available = false;
}

/* Work space: the experiment's rows of the export and their day figures. */
struct randomised_work {
    const struct research_experiment_day **rows;
    size_t count;
    int *group, *condition;
    struct research_randomised_day *low, *high;
    char seeds[RANDOMISED_SEEDS_MAX][24];
    int seed_count;
};

static void randomised_work_free(struct randomised_work *work)
{
    free(work->rows);
    free(work->group);
    free(work->condition);
    free(work->low);
    free(work->high);
}

/*
 * Condition names -> indexes of the allocation: the seed of each row re-draws the allocation
 * (experiment_alloc_redraw) and the recorded name must always meet the same index. Returns 0,
 * or -EINVAL (refused, reason set) when the record does not follow its seed.
 */
static int randomised_indexes(struct randomised_work *work,
                              struct research_report_randomised *section)
{
    char names[EXPERIMENT_CONDITIONS_MAX + 1][32];
    int name_count = 0;
    for (size_t i = 0; i < work->count; i++) {
        int n = 0;
        while (n < name_count && strcmp(names[n], work->rows[i]->condition) != 0) {
            n++;
        }
        if (n == name_count) {
            if (name_count == EXPERIMENT_CONDITIONS_MAX) {
                randomised_refuse(section, "more than %d conditions were recorded",
                                  EXPERIMENT_CONDITIONS_MAX);
                return -EINVAL;
            }
            snprintf(names[name_count++], sizeof names[0], "%s", work->rows[i]->condition);
        }
    }
    if (name_count < 2) {
        randomised_refuse(section, "only one condition (%s) has run so far: nothing to compare",
                          names[0]);
        return -EINVAL;
    }
    for (int c = 0; c < EXPERIMENT_CONDITIONS_MAX; c++) {
        section->conditions[c][0] = '\0';
    }
    for (int g = 0; g < work->seed_count; g++) {
        char *end = NULL;
        unsigned long long seed = strtoull(work->seeds[g], &end, 10);
        for (size_t i = 0; i < work->count; i++) {
            if (work->group[i] != g) {
                continue;
            }
            int index = 0;
            int block = work->rows[i]->block, slot = work->rows[i]->slot;
            if (end == work->seeds[g] || *end != '\0' ||
                experiment_alloc_redraw(seed, name_count, &block, &slot, 1, &index) != 0) {
                randomised_refuse(section,
                                  "the allocation of %s cannot be re-drawn from seed %s (block "
                                  "%d, slot %d): the record does not follow the rule",
                                  work->rows[i]->condition, work->seeds[g], block, slot);
                return -EINVAL;
            }
            char *name = section->conditions[index];
            if (name[0] != '\0' && strcmp(name, work->rows[i]->condition) != 0) {
                randomised_refuse(section,
                                  "the recorded conditions do not follow seed %s (%s and %s on "
                                  "the same place of the allocation): the analysis would not "
                                  "match the design",
                                  work->seeds[g], name, work->rows[i]->condition);
                return -EINVAL;
            }
            snprintf(name, 32, "%s", work->rows[i]->condition);
            work->condition[i] = index;
        }
    }
    for (int c = 0; c < name_count; c++) {
        if (section->conditions[c][0] == '\0') {
            randomised_refuse(section, "the recorded days do not show every condition's place "
                                       "in the allocation: too few days so far");
            return -EINVAL;
        }
    }
    section->condition_count = name_count;
    return 0;
}

/* The day's mean of measure at site (low and high ends), from the day units. */
static void randomised_day_mean(const struct research_report *report,
                                const struct research_experiment_day *row,
                                enum research_measure measure, double *low, double *high,
                                bool *week_only)
{
    int64_t n = 0;
    double sum_low = 0, sum_high = 0;
    *week_only = false;
    for (size_t u = 0; u < report->unit_count; u++) {
        const struct research_report_unit *unit = &report->units[u];
        if (unit->measure != measure || unit->site != row->site || unit->first_day > row->day ||
            unit->last_day < row->day) {
            continue;
        }
        if (unit->first_day != unit->last_day) {
            *week_only = true; /* published only for a whole week: no day of its own */
            continue;
        }
        n += unit->n;
        sum_low += unit->low;
        sum_high += unit->high;
    }
    *low = n > 0 ? sum_low / (double)n : NAN;
    *high = n > 0 ? sum_high / (double)n : NAN;
}

/* Did the export suppress the answers of row's day at the measure's moment (the daily form:
   too few on a side of the cut, or too few skips)? */
static bool randomised_day_suppressed(const struct research_dataset *dataset,
                                      const struct research_experiment_day *row,
                                      enum research_measure measure)
{
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    const char *moment = research_measure_moment(measure) == RESEARCH_AT_DEPARTURE
                             ? STORE_MOMENT_DEPARTURE
                             : STORE_MOMENT_ARRIVAL;
    for (size_t r = 0; r < answers->published.row_count; r++) {
        const struct research_row *published = &answers->published.rows[r];
        const struct research_tuple *series = &answers->series[published->series];
        if (published->note == RESEARCH_NOTE_SUPPRESSED && published->level == RESEARCH_LEVEL_DAY &&
            published->first_day == row->day && series->text[0] == row->site &&
            strcmp(research_dataset_text(dataset, series->text[2]), moment) == 0) {
            return true;
        }
    }
    return false;
}

static int randomised_collect(const struct research_dataset *dataset, struct randomised_work *work,
                              struct research_report_randomised *section)
{
    size_t total = dataset->experiment_day_count;
    work->rows = calloc(total, sizeof *work->rows);
    work->group = calloc(total, sizeof *work->group);
    work->condition = calloc(total, sizeof *work->condition);
    work->low = calloc(total, sizeof *work->low);
    work->high = calloc(total, sizeof *work->high);
    if (work->rows == NULL || work->group == NULL || work->condition == NULL || work->low == NULL ||
        work->high == NULL) {
        return -ENOMEM;
    }
    snprintf(section->experiment, sizeof section->experiment, "%s",
             dataset->experiment_days[0].experiment);
    int other = 0;
    for (size_t i = 0; i < total; i++) {
        const struct research_experiment_day *row = &dataset->experiment_days[i];
        if (strcmp(row->experiment, section->experiment) != 0) {
            other++;
            continue;
        }
        int g = 0;
        while (g < work->seed_count && strcmp(work->seeds[g], row->seed) != 0) {
            g++;
        }
        if (g == work->seed_count) {
            if (g == RANDOMISED_SEEDS_MAX) {
                other++;
                continue;
            }
            snprintf(work->seeds[work->seed_count++], sizeof work->seeds[0], "%s", row->seed);
        }
        work->group[work->count] = g;
        work->rows[work->count++] = row;
        section->overrides += row->overrides;
        section->days_overridden += row->overrides > 0;
    }
    section->days_recorded = (int)work->count;
    section->seeds = work->seed_count;
    for (int g = 0; g < work->seed_count && g < 8; g++) {
        snprintf(section->seed_texts[g], sizeof section->seed_texts[g], "%s", work->seeds[g]);
    }
    if (other > 0) {
        randomised_warn(section,
                        "%d days of another experiment than %s are in the export: left out "
                        "(export one experiment at a time)",
                        other, section->experiment);
    }
    return 0;
}

/* The share measure of a stress mean (stress_arrival -> stress_arrival_high). */
static enum research_measure randomised_share_of(enum research_measure measure)
{
    return measure == RESEARCH_MEASURE_STRESS_DEPARTURE ? RESEARCH_MEASURE_STRESS_DEPARTURE_HIGH
                                                        : RESEARCH_MEASURE_STRESS_ARRIVAL_HIGH;
}

/*
 * The inference at the ends the ranges allow (struct research_report_randomised low, high). A
 * difference's bounds are not the differences of all-low and all-high days: the reference
 * enters with a minus sign, so comparison c is lowest with c's days low and the reference's
 * high. Each comparison gets its own two runs (its own reference weight). p is then the larger
 * of the two ends, and 1 at both when the bounds include 0 (the ranges allow no difference at
 * all), as in the other designs. Returns 0, -EINVAL
 * (research_randomised_infer refused the days) or -ENOMEM.
 */
static int randomised_bounds(const struct randomised_work *work, double alpha,
                             struct research_report_randomised *section)
{
    int rc = research_randomised_infer(work->low, work->count, section->condition_count,
                                       RESEARCH_RANDOMISED_DRAWS, RESEARCH_RANDOMISED_SEED, alpha,
                                       &section->low);
    if (rc != 0 || !section->ranged) {
        section->high = section->low;
        return rc;
    }
    rc = research_randomised_infer(work->high, work->count, section->condition_count,
                                   RESEARCH_RANDOMISED_DRAWS, RESEARCH_RANDOMISED_SEED, alpha,
                                   &section->high);
    struct research_randomised_day *mixed = malloc((work->count ? work->count : 1) * sizeof *mixed);
    if (rc == 0 && mixed == NULL) {
        rc = -ENOMEM;
    }
    for (int c = 1; rc == 0 && c < section->condition_count; c++) {
        for (int end = 0; rc == 0 && end < 2; end++) {
            for (size_t i = 0; i < work->count; i++) {
                /* end 0, the lowest difference: c low, the reference high; end 1 the opposite */
                bool at_high = work->low[i].condition == c ? end == 1 : end == 0;
                mixed[i] = at_high ? work->high[i] : work->low[i];
            }
            struct research_randomised result;
            rc = research_randomised_infer(mixed, work->count, section->condition_count,
                                           RESEARCH_RANDOMISED_DRAWS, RESEARCH_RANDOMISED_SEED,
                                           alpha, &result);
            if (rc == 0) {
                (end ? &section->high : &section->low)->conditions[c] = result.conditions[c];
            }
        }
        struct research_randomised_condition *low = &section->low.conditions[c];
        struct research_randomised_condition *high = &section->high.conditions[c];
        if (rc == 0 && low->estimate <= 0 && high->estimate >= 0) {
            low->p = high->p = 1;
        }
    }
    free(mixed);
    return rc;
}

/*
 * A declared stress mean whose bounds include 0 while the day shares at or above the cut are
 * exact (the export splits a day's answers only there): the analysis stays as declared, and a
 * warning names the outcome to declare next time (share_advised; the verdict says it too).
 */
static void randomised_advise_share(const struct research_report *report,
                                    const struct randomised_work *work,
                                    struct research_report_randomised *section)
{
    if (!section->ranged || section->condition_count < 2 ||
        (section->measure != RESEARCH_MEASURE_STRESS_ARRIVAL &&
         section->measure != RESEARCH_MEASURE_STRESS_DEPARTURE)) {
        return;
    }
    const struct research_randomised_condition *low = &section->low.conditions[1];
    const struct research_randomised_condition *high = &section->high.conditions[1];
    if (!(fmin(low->estimate, high->estimate) <= 0 && fmax(low->estimate, high->estimate) >= 0)) {
        return;
    }
    enum research_measure share = randomised_share_of(section->measure);
    int exact = 0;
    for (size_t i = 0; i < work->count; i++) {
        double share_low = NAN, share_high = NAN;
        bool week_only = false;
        randomised_day_mean(report, work->rows[i], share, &share_low, &share_high, &week_only);
        if (isfinite(share_low) && share_low != share_high) {
            return; /* the share would be ranged too: no easy remedy to name */
        }
        exact += isfinite(share_low);
    }
    if (exact < 4) {
        return;
    }
    section->share_advised = true;
    randomised_warn(section,
                    "the day means are only intervals, their bounds include 0 whatever the "
                    "effect; the share of answers " EVALUATION_STRESS_CUT_TEXT
                    " or higher is exact on %d days: declare "
                    "[evaluation] primary = %s before the data come in (analysed as declared)",
                    exact, research_measure_outcome(share));
}

/* The section's figures into the primary test (design = randomised). */
static void randomised_primary(struct research_report *report)
{
    const struct research_report_randomised *section = &report->randomised;
    struct research_report_test *test = &report->primary;
    free(test->unit_t);
    free(test->unit_y);
    free(test->unit_group);
    free(test->unit_high);
    memset(test, 0, sizeof *test);
    test->measure = section->measure;
    test->outcome = evaluation_outcome_name(report->evaluation.primary);
    test->design = "randomised";
    test->term = "difference";
    snprintf(test->unit, sizeof test->unit, "day");
    test->adjusted_p = NAN;
    test->estimate = test->estimate_low = test->estimate_high = NAN;
    test->ci_low = test->ci_high = test->p = NAN;
    test->available = section->available;
    if (!section->available) {
        snprintf(test->reason, sizeof test->reason, "%s", section->reason);
        snprintf(test->reason_nl, sizeof test->reason_nl, "%s", section->reason_nl);
        return;
    }
    const struct research_randomised_condition *low = &section->low.conditions[1];
    const struct research_randomised_condition *high = &section->high.conditions[1];
    test->ranged = section->ranged;
    test->estimate_low = fmin(low->estimate, high->estimate);
    test->estimate_high = fmax(low->estimate, high->estimate);
    test->estimate = section->ranged ? NAN : low->estimate;
    test->ci_low = fmin(low->ci_low, high->ci_low);
    test->ci_high = fmax(low->ci_high, high->ci_high);
    test->p = fmax(low->p, high->p);
    test->n_units = (size_t)(section->low.conditions[0].days + low->days);
    if (!isfinite(test->p)) {
        test->available = false;
        snprintf(test->reason, sizeof test->reason, "fewer than 2 days with answers under %s or %s",
                 section->conditions[0], section->conditions[1]);
        snprintf(test->reason_nl, sizeof test->reason_nl,
                 "minder dan 2 dagen met antwoorden onder %s of %s", section->conditions[0],
                 section->conditions[1]);
    }
    for (size_t i = 0; i < section->warning_count; i++) {
        snprintf(test->warnings[test->warning_count++], RESEARCH_NOTE_MAX, "%s",
                 section->warnings[i]);
    }
}

struct randomised_text {
    char *buf;
    size_t size, used;
};

__attribute__((format(printf, 2, 3))) static void randomised_say(struct randomised_text *text,
                                                                 const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    research_report_text_append(text->buf, text->size, &text->used, fmt, args);
    va_end(args);
}

static const char *randomised_number(char *buf, size_t size, double value, int decimals, bool dutch)
{
    if (!isfinite(value)) {
        return "–";
    }
    snprintf(buf, size, "%.*f", decimals, value);
    for (char *c = buf; dutch && *c != '\0'; c++) {
        *c = *c == '.' ? ',' : *c;
    }
    return buf;
}

/* 0.05 as "0.05" (Dutch "0,05"), 0.001 as "0.001": as many decimals as it has. */
static const char *randomised_alpha(char *buf, size_t size, double alpha, bool dutch)
{
    snprintf(buf, size, "%g", alpha);
    for (char *c = buf; dutch && *c != '\0'; c++) {
        *c = *c == '.' ? ',' : *c;
    }
    return buf;
}

static const char *randomised_outcome_words(enum research_measure measure, bool dutch)
{
    static const char *const words[2][RESEARCH_MEASURES] = {
        {"stress at arrival (0-10)", "stress at departure (0-10)",
         "share waiting 30 minutes or more (%)", "incidents per 100 arrivals",
         "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT " or higher at arrival (%)",
         "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT " or higher at departure (%)"},
        {"stress bij aankomst (0-10)", "stress bij vertrek (0-10)",
         "aandeel dat 30 minuten of langer wacht (%)", "incidenten per 100 aankomsten",
         "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij aankomst (%)",
         "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij vertrek (%)"}};
    return measure < RESEARCH_MEASURES ? words[dutch][measure] : "";
}

/* The verdict of a randomised primary, in plain words. */
static void randomised_verdict(struct research_report *report, bool dutch)
{
    const struct research_report_randomised *section = &report->randomised;
    const struct research_report_test *test = &report->primary;
    struct randomised_text text = {dutch ? report->verdict_nl : report->verdict_en,
                                   RESEARCH_REPORT_TEXT, 0};
    text.buf[0] = '\0';
    char x[32], y[32], z[32], w[32];
    randomised_say(&text,
                   dutch ? "Hoofduitkomst%s: %s in een gerandomiseerd experiment (%s), conditie "
                           "%s tegen %s, dag als eenheid. "
                         : "Primary outcome%s: %s in a randomised experiment (%s), condition %s "
                           "against %s, day as the unit. ",
                   report->evaluation.declared
                       ? (dutch ? " (vooraf vastgelegd)" : " (declared in advance)")
                       : (dutch ? " (niet vooraf vastgelegd: verkennend)"
                                : " (not declared in advance: exploratory)"),
                   randomised_outcome_words(section->measure, dutch), section->experiment,
                   section->conditions[1][0] ? section->conditions[1] : "?",
                   section->conditions[0][0] ? section->conditions[0] : "?");
    bool share = section->measure == RESEARCH_MEASURE_WAIT_MINUTES ||
                 RESEARCH_MEASURE_IS_STRESS_SHARE(section->measure);
    const char *what =
        share ? (dutch ? "Verschil van de dagaandelen" : "Difference of the day shares")
              : (dutch ? "Verschil van de daggemiddelden" : "Difference of the day means");
    const char *points = share ? (dutch ? " procentpunt" : " percentage points") : "";
    int decimals = share ? 1 : 2;
    if (!test->available) {
        randomised_say(&text, dutch ? "Geen oordeel mogelijk: %s. " : "No verdict possible: %s. ",
                       dutch && test->reason_nl[0] ? test->reason_nl : test->reason);
    } else {
        if (test->ranged) {
            randomised_say(&text,
                           dutch ? "%s: tussen %s en %s%s (samengevoegde antwoorden; 95%%-interval "
                                   "%s tot %s), "
                                 : "%s: between %s and %s%s (answers merged into ranges; 95 %% "
                                   "interval %s to %s), ",
                           what,
                           randomised_number(x, sizeof x, test->estimate_low, decimals, dutch),
                           randomised_number(y, sizeof y, test->estimate_high, decimals, dutch),
                           points, randomised_number(z, sizeof z, test->ci_low, decimals, dutch),
                           randomised_number(w, sizeof w, test->ci_high, decimals, dutch));
        } else {
            randomised_say(&text,
                           dutch ? "%s: %s%s (95%%-interval %s tot %s), "
                                 : "%s: %s%s (95 %% interval %s to %s), ",
                           what, randomised_number(x, sizeof x, test->estimate, decimals, dutch),
                           points, randomised_number(y, sizeof y, test->ci_low, decimals, dutch),
                           randomised_number(z, sizeof z, test->ci_high, decimals, dutch));
        }
        randomised_say(&text,
                       dutch ? "p %s %s (randomisatietoets, %d keer opnieuw geloot), n = %zu "
                               "dagen. "
                             : "p %s %s (randomisation test, %d re-drawn allocations), n = %zu "
                               "days. ",
                       test->p < 0.001 ? "<" : "=",
                       randomised_number(x, sizeof x, test->p < 0.001 ? 0.001 : test->p, 3, dutch),
                       section->low.draws, test->n_units);
        bool shown = test->p < report->evaluation.alpha;
        randomised_say(&text,
                       dutch ? (shown ? "Oordeel: een effect is aangetoond (alfa %s). "
                                      : "Oordeel: geen effect aangetoond (alfa %s). ")
                             : (shown ? "Verdict: an effect is shown (alpha %s). "
                                      : "Verdict: no effect shown (alpha %s). "),
                       randomised_alpha(x, sizeof x, report->evaluation.alpha, dutch));
        if (section->condition_count > 2 && !test->ranged && isfinite(section->low.global_p)) {
            randomised_say(
                &text,
                dutch ? "Alle %d condities samen (een toets vooraf, voor elke "
                        "vergelijking met %s): p %s %s. "
                      : "All %d conditions together (one test first, before any "
                        "comparison with %s): p %s %s. ",
                section->condition_count, section->conditions[0],
                section->low.global_p < 0.001 ? "<" : "=",
                randomised_number(x, sizeof x,
                                  section->low.global_p < 0.001 ? 0.001 : section->low.global_p, 3,
                                  dutch));
        }
    }
    if (section->share_advised) {
        randomised_say(
            &text,
            dutch ? "Let op: de antwoorden van een dag zijn alleen als bereiken gepubliceerd "
                    "(k-anonimiteit), dus het daggemiddelde is een interval en de grenzen omvatten "
                    "0, hoe groot een effect ook is; het aandeel antwoorden "
                    "van " EVALUATION_STRESS_CUT_TEXT " of hoger is per "
                    "dag wel exact. Leg voor een volgend experiment, voordat de gegevens "
                    "binnenkomen, [evaluation] primary = %s vast. Deze analyse volgt de vooraf "
                    "vastgelegde uitkomst. "
                  : "Note: a day's answers are published only as ranges (k-anonymity), so the "
                    "day mean is an interval and its bounds include 0 whatever the effect; the "
                    "share of answers " EVALUATION_STRESS_CUT_TEXT
                    " or higher is exact per day. For a next experiment, "
                    "declare [evaluation] primary = %s before the data come in. This analysis "
                    "keeps the declared outcome. ",
            research_measure_outcome(randomised_share_of(section->measure)));
    }
    randomised_say(&text,
                   dutch ? "Grens van de opzet: de condities zijn per dag door loting toegewezen, "
                           "dus een trend of seizoen verklaart een verschil niet; wat op een dag "
                           "toevallig samenvalt (drukte, weer) zit in de onzekerheid. Het geldt "
                           "voor deze ruimte in deze periode. "
                         : "Limits of the design: the conditions were allocated to days by lot, "
                           "so a trend or season does not explain a difference; what happens to "
                           "fall on a day (queues, weather) is in the uncertainty. It holds for "
                           "this room in this period. ");
    if (section->overrides > 0) {
        randomised_say(&text,
                       dutch ? "Hosts pasten de ruimte %d keer aan op %d dagen (voor de "
                               "veiligheid toegestaan); die dagen tellen mee in hun toegewezen "
                               "conditie. "
                             : "Hosts changed the room %d times on %d days (allowed, for "
                               "safety); those days count in their allocated condition. ",
                       section->overrides, section->days_overridden);
    }
}

int research_report_compute_randomised(const struct research_dataset *dataset,
                                       struct research_report *report)
{
    struct research_report_randomised *section = &report->randomised;
    memset(section, 0, sizeof *section);
    bool primary = report->evaluation.design == EVALUATION_RANDOMISED;
    section->measure = (enum research_measure)report->evaluation.primary;
    if (dataset->experiment_day_count == 0) {
        if (primary) {
            randomised_refuse(section, "the export holds no experiment days: the kiosk ran no "
                                       "[experiment] in this period");
            randomised_primary(report);
            randomised_verdict(report, true);
            randomised_verdict(report, false);
        }
        return 0;
    }
    section->present = true;
    section->available = true;
    struct randomised_work work = {0};
    int rc = randomised_collect(dataset, &work, section);
    if (rc != 0) {
        goto out_free;
    }
    if (section->measure == RESEARCH_MEASURE_INCIDENTS_PER_100) {
        randomised_refuse(section, "incidents are counted per day without arrivals per "
                                   "condition: choose a stress outcome or the wait as primary");
    } else if (randomised_indexes(&work, section) == 0) {
        for (size_t i = 0; i < work.count; i++) {
            const struct research_experiment_day *row = work.rows[i];
            double low = NAN, high = NAN;
            bool week_only = false;
            randomised_day_mean(report, row, section->measure, &low, &high, &week_only);
            section->days_week_only += week_only && isnan(low);
            section->days_without_outcome += !week_only && isnan(low);
            section->days_suppressed += !week_only && isnan(low) &&
                                        randomised_day_suppressed(dataset, row, section->measure);
            section->days_run[work.condition[i]]++;
            struct research_randomised_day day = {.day = row->day,
                                                  .group = work.group[i],
                                                  .condition = work.condition[i],
                                                  .block = row->block,
                                                  .slot = row->slot,
                                                  .mean = low};
            work.low[i] = day;
            day.mean = high;
            work.high[i] = day;
            section->ranged = section->ranged || (isfinite(low) && low != high);
        }
        rc = randomised_bounds(&work, report->evaluation.alpha, section);
        if (rc == 0 && primary) {
            randomised_advise_share(report, &work, section);
        }
        if (rc == -EINVAL) {
            randomised_refuse(section, "the recorded blocks hold a condition twice: the "
                                       "allocation is not the kiosk's rule");
            rc = 0;
        }
        if (section->days_week_only > 0) {
            randomised_warn(section,
                            "%d experiment days were published only as part of a whole week "
                            "(too few answers for a day of their own): they are left out",
                            section->days_week_only);
        }
        if (section->days_suppressed > 0) {
            randomised_warn(section,
                            "%d experiment days had fewer than k answers on one side of the cut "
                            "at %d, or fewer than k skips: the export suppressed them "
                            "(k-anonymity); left out",
                            section->days_suppressed, RESEARCH_STRESS_CUT);
        }
        if (section->days_without_outcome > section->days_suppressed) {
            randomised_warn(section, "%d experiment days have no published answers: left out",
                            section->days_without_outcome - section->days_suppressed);
        }
        if (section->condition_count > 2 && section->ranged) {
            randomised_warn(section,
                            "with answers in ranges the test over all %d conditions "
                            "together is not computed (no bounds for it)",
                            section->condition_count);
        }
        if (section->overrides > 0) {
            randomised_warn(section,
                            "a host changed the room %d times on %d experiment days: analysed "
                            "as allocated (intention to treat)",
                            section->overrides, section->days_overridden);
        }
    }
    section->days = work.low; /* the units behind the figures (JSON "days", the oracle) */
    section->days_high = work.high;
    section->day_count = work.count;
    work.low = work.high = NULL;
    if (rc == 0 && primary) {
        randomised_primary(report);
        randomised_verdict(report, true);
        randomised_verdict(report, false);
    }
out_free:
    randomised_work_free(&work);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void randomised_json_condition(FILE *out, const struct research_report_randomised *section,
                                      int c)
{
    const struct research_randomised_condition *low = &section->low.conditions[c];
    const struct research_randomised_condition *high = &section->high.conditions[c];
    fputs(c ? ",\n      {\"name\": " : "\n      {\"name\": ", out);
    research_report_json_string(out, section->conditions[c]);
    fprintf(out, ", \"days_run\": %d, \"days\": %d, \"mean\": ", section->days_run[c], low->days);
    research_report_json_number(out, section->ranged ? NAN : low->mean);
    fputs(", \"mean_bounds\": [", out);
    research_report_json_number(out, fmin(low->mean, high->mean));
    fputs(", ", out);
    research_report_json_number(out, fmax(low->mean, high->mean));
    fputs("], \"estimate\": ", out);
    research_report_json_number(out, section->ranged ? NAN : low->estimate);
    fputs(", \"estimate_bounds\": [", out);
    research_report_json_number(out, fmin(low->estimate, high->estimate));
    fputs(", ", out);
    research_report_json_number(out, fmax(low->estimate, high->estimate));
    fputs("], \"ci_low\": ", out);
    research_report_json_number(out, fmin(low->ci_low, high->ci_low));
    fputs(", \"ci_high\": ", out);
    research_report_json_number(out, fmax(low->ci_high, high->ci_high));
    fputs(", \"p\": ", out);
    research_report_json_number(out, fmax(low->p, high->p));
    fputs("}", out);
}

void research_report_write_randomised_json(const struct research_report *report, FILE *out)
{
    const struct research_report_randomised *section = &report->randomised;
    if (!section->present) {
        fputs(",\n  \"randomised\": null", out);
        return;
    }
    fputs(",\n  \"randomised\": {\"experiment\": ", out);
    research_report_json_string(out, section->experiment);
    fputs(", \"outcome\": ", out);
    research_report_json_string(out, research_measure_outcome(section->measure));
    fprintf(out,
            ", \"unit\": \"day\", \"method\": \"randomisation inference: the allocation rule "
            "re-drawn with other seeds; interval by inverting the test (constant shift)\", "
            "\"draws\": %d, \"redraw_seed\": %llu, \"stress_cut\": %d, \"available\": %s",
            RESEARCH_RANDOMISED_DRAWS, (unsigned long long)RESEARCH_RANDOMISED_SEED,
            RESEARCH_STRESS_CUT, section->available ? "true" : "false");
    if (!section->available) {
        fputs(", \"reason\": ", out);
        research_report_json_string(out, section->reason);
    }
    fprintf(out,
            ", \"ranged\": %s, \"days_recorded\": %d, \"days_without_outcome\": %d, "
            "\"days_suppressed\": %d, \"days_week_only\": %d, \"overrides\": %d, "
            "\"days_overridden\": %d, \"seeds\": %d, \"global_p\": ",
            section->ranged ? "true" : "false", section->days_recorded,
            section->days_without_outcome, section->days_suppressed, section->days_week_only,
            section->overrides, section->days_overridden, section->seeds);
    research_report_json_number(out, section->available && !section->ranged ? section->low.global_p
                                                                            : NAN);
    fputs(", \"warnings\": [", out);
    for (size_t i = 0; i < section->warning_count; i++) {
        fputs(i ? ", " : "", out);
        research_report_json_string(out, section->warnings[i]);
    }
    fputs("], \"seed_by_group\": [", out);
    for (int g = 0; g < section->seeds && g < 8; g++) {
        fputs(g ? ", " : "", out);
        research_report_json_string(out, section->seed_texts[g]);
    }
    fputs("], \"conditions\": [", out);
    for (int c = 0; section->available && c < section->condition_count; c++) {
        randomised_json_condition(out, section, c);
    }
    fputs(section->available && section->condition_count ? "\n    ]" : "]", out);
    fputs(", \"days\": [", out);
    for (size_t i = 0; section->available && i < section->day_count; i++) {
        const struct research_randomised_day *day = &section->days[i];
        char date[RESEARCH_DATE_SIZE];
        research_day_format(day->day, date);
        fprintf(out,
                "%s{\"day\": \"%s\", \"group\": %d, \"condition\": %d, \"block\": %d, "
                "\"slot\": %d, \"low\": ",
                i ? ",\n      " : "\n      ", date, day->group, day->condition, day->block,
                day->slot);
        research_report_json_number(out, day->mean);
        fputs(", \"high\": ", out);
        research_report_json_number(out, section->days_high[i].mean);
        fputs("}", out);
    }
    fputs(section->available && section->day_count ? "\n    ]}" : "]}", out);
}

void research_report_free_randomised(struct research_report *report)
{
    free(report->randomised.days);
    free(report->randomised.days_high);
    report->randomised.days = report->randomised.days_high = NULL;
    report->randomised.day_count = 0;
}
