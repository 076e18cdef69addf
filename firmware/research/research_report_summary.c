/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_summary: the report's summary in plain Dutch and English (see
 * research_report.h): what changed between the compared phases, in words a manager reads,
 * with the ranges k-anonymity left kept as ranges.
 */
#include "research/research_report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"

/* ---- the summary in plain language --------------------------------------------------- */

void research_report_text_append(char *buf, size_t size, size_t *used, const char *fmt,
                                 va_list args)
{
    if (*used + 1 >= size) {
        return;
    }
    int length = vsnprintf(buf + *used, size - *used, fmt, args);
    if (length > 0) {
        *used += (size_t)length;
        *used = *used < size ? *used : size - 1;
    }
}

void report_say(struct report_text *text, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    research_report_text_append(text->buf, text->size, &text->used, fmt, args);
    va_end(args);
}

/* A number for people: decimals digits, a decimal comma in Dutch, "n/a" for no number. */
static const char *report_number(char *buf, size_t size, double value, int decimals, bool dutch)
{
    if (!isfinite(value)) {
        snprintf(buf, size, "%s", dutch ? "n.v.t." : "n/a");
        return buf;
    }
    snprintf(buf, size, "%.*f", decimals, value);
    if (strcmp(buf, "-0") == 0 || strcmp(buf, "-0.0") == 0 || strcmp(buf, "-0.00") == 0) {
        memmove(buf, buf + 1, strlen(buf));
    }
    for (char *c = buf; dutch && *c != '\0'; c++) {
        *c = *c == '.' ? ',' : *c;
    }
    return buf;
}

void report_summarise(struct research_report *report, bool dutch)
{
    struct report_text text = {dutch ? report->summary_nl : report->summary_en,
                               RESEARCH_REPORT_TEXT, 0};
    text.buf[0] = '\0';
    char first[RESEARCH_DATE_SIZE] = "", last[RESEARCH_DATE_SIZE] = "", x[32], y[32];
    if (report->first_day <= report->last_day) {
        research_day_format(report->first_day, first);
        research_day_format(report->last_day, last);
    }
    if (report->first_day > report->last_day) {
        report_say(&text,
                   dutch ? "Oase-rapport voor %s: nog geen afgelopen week met gegevens. "
                         : "Oase report for %s: no finished week with data yet. ",
                   report->sites);
        return;
    }
    report_say(&text,
               dutch ? "Oase-rapport voor %s, %s tot en met %s. Elk getal telt minstens %d mensen. "
                     : "Oase report for %s, %s to %s. Every number counts at least %d people. ",
               report->sites, first, last, report->k);
    if (report->warning_count > 0) {
        report_say(&text,
                   dutch ? "LET OP: de meting veranderde binnen een fase (%zu keer, zie de "
                           "waarschuwingen): resultaten van voor en na zijn misschien niet "
                           "vergelijkbaar. "
                         : "WARNING: the measure changed within a phase (%zu times, see the "
                           "warnings): results before and after may not be comparable. ",
                   report->warning_count);
    }
    if (report->evaluation.design == EVALUATION_RANDOMISED) {
        /* a randomised room compares conditions day by day, within one phase or several */
        report_say(&text, "%s", dutch ? report->verdict_nl : report->verdict_en);
        return;
    }
    if (report->compare_a < 0) {
        report_say(&text, dutch ? "Er zijn nog geen twee fasen met gegevens: er is nog geen "
                                  "voor-en-navergelijking. "
                                : "There are not yet two phases with data: no before/after "
                                  "comparison yet. ");
        return;
    }
    const struct research_report_phase *a = &report->phases[report->compare_a];
    const struct research_report_phase *b = &report->phases[report->compare_b];
    report_say(&text, "%s", dutch ? report->verdict_nl : report->verdict_en);
    for (int m = 0; m < RESEARCH_MOMENTS; m++) {
        const struct research_report_values *va = &a->stress[m], *vb = &b->stress[m];
        if (va->summary.n == 0 && vb->summary.n == 0) {
            continue; /* not measured (no departure tap): not mentioned */
        }
        char z[32], w[32];
        const char *what = m == RESEARCH_AT_ARRIVAL
                               ? (dutch ? "Stress bij aankomst (0-10)" : "Stress on arrival (0-10)")
                               : (dutch ? "Stress bij vertrek (0-10)" : "Stress on leaving (0-10)");
        if (va->in_ranges == 0 && vb->in_ranges == 0) {
            report_say(&text,
                       dutch ? "%s: gemiddeld %s in %s (n = %lld) en %s in %s (n = %lld). "
                             : "%s: mean %s in %s (n = %lld) and %s in %s (n = %lld). ",
                       what, report_number(x, sizeof x, va->summary.mean, 1, dutch), a->name,
                       (long long)va->summary.n,
                       report_number(y, sizeof y, vb->summary.mean, 1, dutch), b->name,
                       (long long)vb->summary.n);
        } else {
            report_say(&text,
                       dutch ? "%s: gemiddeld tussen %s en %s in %s (n = %lld) en tussen %s en %s "
                               "in %s (n = %lld); samengevoegde antwoorden geven grenzen, geen "
                               "enkel getal. "
                             : "%s: mean between %s and %s in %s (n = %lld) and between %s and %s "
                               "in %s (n = %lld); answers merged into ranges give bounds, not "
                               "one number. ",
                       what, report_number(x, sizeof x, va->summary_low.mean, 1, dutch),
                       report_number(y, sizeof y, va->summary_high.mean, 1, dutch), a->name,
                       (long long)va->summary.n,
                       report_number(z, sizeof z, vb->summary_low.mean, 1, dutch),
                       report_number(w, sizeof w, vb->summary_high.mean, 1, dutch), b->name,
                       (long long)vb->summary.n);
        }
    }
    report_say(&text,
               dutch ? "%s%% en %s%% van de aanmeldingen gaf een score. "
                     : "%s %% and %s %% of check-ins gave a score. ",
               report_number(x, sizeof x, 100 * a->response_rate_completed, 0, dutch),
               report_number(y, sizeof y, 100 * b->response_rate_completed, 0, dutch));
    if (a->wait.summary.n > 0 && b->wait.summary.n > 0) {
        char z[32], w[32];
        report_say(&text,
                   dutch ? "Wachttijd: de mediaan ligt tussen %s en %s minuten in %s en tussen %s "
                           "en %s minuten in %s (gepubliceerd in banden). "
                         : "Waiting time: the median lies between %s and %s minutes in %s and "
                           "between %s and %s minutes in %s (published in bands). ",
                   report_number(x, sizeof x, a->wait.summary_low.median, 0, dutch),
                   report_number(y, sizeof y, a->wait.summary_high.median, 0, dutch), a->name,
                   report_number(z, sizeof z, b->wait.summary_low.median, 0, dutch),
                   report_number(w, sizeof w, b->wait.summary_high.median, 0, dutch), b->name);
    }
    if (report->incidents_counted && a->incidents_hidden_weeks == 0 &&
        b->incidents_hidden_weeks == 0 && a->incidents == 0 && b->incidents == 0) {
        report_say(&text, dutch ? "Er zijn geen incidenten geregistreerd. "
                                : "No incidents were logged. ");
    } else if (report->incidents_counted && a->incidents_hidden_weeks == 0 &&
               b->incidents_hidden_weeks == 0) {
        report_say(&text,
                   dutch ? "Incidenten: %s en %s per 100 aankomsten. "
                         : "Incidents: %s and %s per 100 arrivals. ",
                   report_number(x, sizeof x, a->incidents_per_100, 1, dutch),
                   report_number(y, sizeof y, b->incidents_per_100, 1, dutch));
    } else if (report->incidents_counted) {
        report_say(&text,
                   dutch ? "Incidenten: te weinig om per fase te tonen (minder dan %d in een "
                           "periode blijft verborgen). "
                         : "Incidents: too few to show per phase (fewer than %d in a period "
                           "stay hidden). ",
                   report->k);
    }
    int64_t hidden = a->stress[0].hidden + b->stress[0].hidden;
    int64_t shown = a->stress[0].summary.n + b->stress[0].summary.n + a->stress[0].skipped +
                    b->stress[0].skipped;
    if (hidden > 0) {
        report_say(&text,
                   dutch ? "%lld antwoorden (%s%%) zijn verborgen om bezoekers te beschermen en "
                           "tellen niet mee. "
                         : "%lld answers (%s %%) are hidden to protect visitors and are not "
                           "counted. ",
                   (long long)hidden,
                   report_number(x, sizeof x, 100.0 * (double)hidden / (double)(hidden + shown), 0,
                                 dutch));
    }
    if (report->self_selection) {
        report_say(&text,
                   dutch ? "Let op zelfselectie: het responspercentage is laag of verschilt tussen "
                           "de fasen; wie een score geeft, lijkt misschien niet op wie dat niet "
                           "doet. "
                         : "Caution, self-selection: the response rate is low or differs between "
                           "the phases; those who give a score may differ from those who do not. ");
    }
    if (report->small_sample) {
        report_say(&text,
                   dutch ? "Let op: een fase heeft minder dan %d antwoorden. Zie de uitkomst als "
                           "een eerste aanwijzing, niet als bewijs."
                         : "Caution: a phase has fewer than %d answers. Treat the result as a "
                           "first indication, not as proof.",
                   RESEARCH_REPORT_SMALL_SAMPLE);
    }
}
