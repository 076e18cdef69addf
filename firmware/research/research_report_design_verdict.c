/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_design_verdict: the evaluation's verdict in plain Dutch and English (see
 * research_report_design.c): what the primary test found, with its bounds and its caveats.
 */
#include "research/research_report_design.h"
#include "research/research_report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the verdict in plain words --------------------------------------------------------- */

static const char *design_number(char *buf, size_t size, double value, int decimals, bool dutch)
{
    if (isinf(value)) {
        snprintf(buf, size, "%s", dutch ? "onbegrensd" : "unbounded");
        return buf;
    }
    snprintf(buf, size, "%.*f", decimals, value);
    if (strspn(buf, "-0.") == strlen(buf) && buf[0] == '-') {
        memmove(buf, buf + 1, strlen(buf));
    }
    for (char *c = buf; dutch && *c != '\0'; c++) {
        *c = *c == '.' ? ',' : *c;
    }
    return buf;
}

static const char *design_alpha_text(char *buf, size_t size, double alpha, bool dutch)
{
    snprintf(buf, size, "%g", alpha);
    for (char *c = buf; dutch && *c != '\0'; c++) {
        *c = *c == '.' ? ',' : *c;
    }
    return buf;
}

static const char *design_outcome_words(enum research_measure measure, bool dutch)
{
    static const char *const english[RESEARCH_MEASURES] = {
        "stress on arrival (0-10)",
        "stress on leaving (0-10)",
        "share waiting 30 minutes or more (%)",
        "incidents per 100 arrivals",
        "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT " or higher on arrival (%)",
        "share of visitors with stress " EVALUATION_STRESS_CUT_TEXT " or higher on leaving (%)"};
    static const char *const dutch_words[RESEARCH_MEASURES] = {
        "stress bij aankomst (0-10)",
        "stress bij vertrek (0-10)",
        "aandeel dat 30 minuten of langer wacht (%)",
        "incidenten per 100 aankomsten",
        "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij aankomst (%)",
        "aandeel bezoekers met stress " EVALUATION_STRESS_CUT_TEXT " of hoger bij vertrek (%)"};
    return measure < RESEARCH_MEASURES ? (dutch ? dutch_words : english)[measure] : "";
}

void design_verdict(struct research_report *report, bool dutch)
{
    struct report_text text = {dutch ? report->verdict_nl : report->verdict_en,
                               RESEARCH_REPORT_TEXT, 0};
    text.buf[0] = '\0';
    const struct research_report_test *t = &report->primary;
    const char *a = report->phases[report->compare_a].name;
    const char *b = report->phases[report->compare_b].name;
    char x[32], y[32], z[32], w[32];
    report_say(
        &text,
        dutch ? "Hoofduitkomst%s: %s, %s tegen %s. " : "Primary outcome%s: %s, %s against %s. ",
        report->evaluation.declared ? (dutch ? " (vooraf vastgelegd)" : " (declared in advance)")
                                    : (dutch ? " (niet vooraf vastgelegd: verkennend)"
                                             : " (not declared in advance: exploratory)"),
        design_outcome_words(t->measure, dutch), b, a);
    if (!t->available) {
        report_say(&text, dutch ? "Geen oordeel mogelijk: %s. " : "No verdict possible: %s. ",
                   dutch && t->reason_nl[0] ? t->reason_nl : t->reason);
    } else {
        bool ratio = strcmp(t->design, "rate_ratio") == 0;
        const char *method =
            strcmp(t->design, "interrupted_time_series") == 0
                ? (dutch ? "Sprong in een onderbroken tijdreeks van weekgemiddelden"
                         : "Step in an interrupted time series of weekly means")
            : strcmp(t->design, "controlled") == 0
                ? (dutch ? "Verschil-in-verschillen tegen de controlelocaties"
                         : "Difference in differences against the control sites")
            : ratio
                ? (dutch ? "Verhouding van de incidentfrequenties" : "Ratio of the incident rates")
                : (dutch ? "Verschil van dag- of weekgemiddelden"
                         : "Difference of day or week means");
        if (t->ranged) {
            report_say(&text,
                       dutch ? "%s: tussen %s en %s (de samengevoegde antwoorden laten niet meer "
                               "precisie toe; 95%%-interval %s tot %s), "
                             : "%s: between %s and %s (answers merged into ranges allow no more "
                               "precision; 95 %% interval %s to %s), ",
                       method, design_number(x, sizeof x, t->estimate_low, 2, dutch),
                       design_number(y, sizeof y, t->estimate_high, 2, dutch),
                       design_number(z, sizeof z, t->ci_low, 2, dutch),
                       design_number(w, sizeof w, t->ci_high, 2, dutch));
        } else {
            report_say(&text,
                       dutch ? "%s: %s (95%%-interval %s tot %s), "
                             : "%s: %s (95 %% interval %s to %s), ",
                       method, design_number(x, sizeof x, t->estimate, 2, dutch),
                       design_number(y, sizeof y, t->ci_low, 2, dutch),
                       design_number(z, sizeof z, t->ci_high, 2, dutch));
        }
        if (RESEARCH_MEASURE_IS_STRESS_SHARE(t->measure)) {
            report_say(&text, dutch ? "in procentpunten, " : "in percentage points, ");
        }
        report_say(&text, "p %s %s, n = %zu %s. ", t->p < 0.001 ? "<" : "=",
                   design_number(x, sizeof x, t->p < 0.001 ? 0.001 : t->p, 3, dutch), t->n_units,
                   strncmp(t->unit, "week", 4) == 0  ? (dutch ? "weken" : "weeks")
                   : strncmp(t->unit, "day", 3) == 0 ? (dutch ? "dagen" : "days")
                                                     : (dutch ? "fasen" : "phases"));
        bool shown = t->p < report->evaluation.alpha;
        report_say(&text,
                   dutch ? (shown ? "Oordeel: een effect is aangetoond (alfa %s). "
                                  : "Oordeel: geen effect aangetoond (alfa %s). ")
                         : (shown ? "Verdict: an effect is shown (alpha %s). "
                                  : "Verdict: no effect shown (alpha %s). "),
                   design_alpha_text(x, sizeof x, report->evaluation.alpha, dutch));
    }
    if (report->has_control) {
        report_say(&text, dutch
                              ? "Grens van de opzet: met controlelocaties telt wat overal tegelijk "
                                "veranderde niet mee; wat alleen hier veranderde wel. "
                              : "Limits of the design: with control sites, what changed "
                                "everywhere at once is accounted for; what changed only here "
                                "is not. ");
    } else if (strcmp(t->design, "interrupted_time_series") == 0) {
        report_say(&text,
                   dutch ? "Grens van de opzet: geen controlelocatie; de tijdreeks houdt rekening "
                           "met een geleidelijke trend, niet met iets anders dat tegelijk "
                           "veranderde. "
                         : "Limits of the design: no control site; the time series allows for a "
                           "steady trend, not for something else that changed at the same time. ");
    } else {
        report_say(&text, dutch ? "Grens van de opzet: geen controlelocatie: een trend kan dit "
                                  "verklaren. "
                                : "Limits of the design: no control site: a trend could explain "
                                  "this. ");
    }
    if (isfinite(report->nonresponse_low) && isfinite(report->nonresponse_high) &&
        RESEARCH_MEASURE_IS_STRESS_SHARE(t->measure)) {
        report_say(&text,
                   dutch ? "Als wie geen score gaf allemaal onder of allemaal op of boven de "
                           "grens had geantwoord, lag het verschil van de aandelen per fase "
                           "tussen %s en %s procentpunt. "
                         : "Had those who gave no score all answered below, or all at or above "
                           "the cut, the difference of the phase shares would lie between %s "
                           "and %s percentage points. ",
                   design_number(x, sizeof x, report->nonresponse_low, 1, dutch),
                   design_number(y, sizeof y, report->nonresponse_high, 1, dutch));
    } else if (isfinite(report->nonresponse_low) && isfinite(report->nonresponse_high)) {
        report_say(
            &text,
            dutch ? "Als wie geen score gaf net zo had geantwoord als de laagste of de "
                    "hoogste scorers, lag het verschil van de fasegemiddelden tussen %s en %s. "
                  : "Had those who gave no score answered like the lowest or the highest "
                    "responders, the difference of the phase means would lie between %s and %s. ",
            design_number(x, sizeof x, report->nonresponse_low, 2, dutch),
            design_number(y, sizeof y, report->nonresponse_high, 2, dutch));
    }
}
