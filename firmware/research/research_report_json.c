/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_json: the report's figures as JSON (see research_report.h): the phases,
 * the comparisons, the weeks, the sites and the evaluation, with every range as its lowest
 * and its highest value.
 */
#include "research/research_report_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"

/* ---- JSON ------------------------------------------------------------------------------- */

void research_report_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            fprintf(out, "\\%c", *c);
        } else if (*c < 0x20) {
            fprintf(out, "\\u%04x", *c);
        } else {
            fputc(*c, out);
        }
    }
    fputc('"', out);
}

void research_report_json_number(FILE *out, double value)
{
    if (isfinite(value)) {
        fprintf(out, "%.6g", value);
    } else {
        fputs("null", out);
    }
}

static void report_json_summary(FILE *out, const struct research_summary *summary)
{
    fprintf(out, "{\"n\": %lld, \"mean\": ", (long long)summary->n);
    research_report_json_number(out, summary->mean);
    fputs(", \"median\": ", out);
    research_report_json_number(out, summary->median);
    fputs(", \"sd\": ", out);
    research_report_json_number(out, summary->sd);
    fputs("}", out);
}

static void report_json_values(FILE *out, const struct research_report_values *values)
{
    fputs("{\"summary\": ", out);
    report_json_summary(out, &values->summary);
    fputs(", \"summary_low\": ", out); /* every range at its lowest value */
    report_json_summary(out, &values->summary_low);
    fputs(", \"summary_high\": ", out); /* at its highest; null: open ("60+") */
    report_json_summary(out, &values->summary_high);
    fprintf(out, ", \"in_ranges\": %lld, \"open_ended\": %s, \"skipped\": %lld, \"hidden\": %lld",
            (long long)values->in_ranges, values->open_ended ? "true" : "false",
            (long long)values->skipped, (long long)values->hidden);
    const char *names[2] = {"values_low", "values_high"};
    const struct research_value_count *cells[2] = {values->low, values->high};
    size_t counts[2] = {values->low_count, values->high_count};
    for (int side = 0; side < 2; side++) {
        fprintf(out, ", \"%s\": [", names[side]);
        for (size_t i = 0; i < counts[side]; i++) {
            fputs(i ? ", [" : "[", out);
            research_report_json_number(out, cells[side][i].value);
            fprintf(out, ", %lld]", (long long)cells[side][i].n);
        }
        fputs("]", out);
    }
    fputs("}", out);
}

/* Desks' claims per phase, the figures of the PDF's claims table (published cells only):
   fetched, claimed first, the share (null where part of the phase is in a remainder or
   suppressed), each band (null: not published on its own) and the claimed visitors in
   merged bands; then what the share leaves out. */
static void report_json_claims(FILE *out, const struct research_report *report)
{
    static const int band_first_minute[RESEARCH_CLAIM_BANDS] = {0, 2, 5, 15};
    fprintf(out, ",\n  \"claims\": {\"recorded\": %s, \"phases\": [",
            report->claims_table ? "true" : "false");
    size_t shown = 0;
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_claims *claims = &report->phases[p].claims;
        if (!claims->recorded) {
            continue;
        }
        int64_t fetched = claims->claimed + claims->unclaimed;
        bool whole = claims->hidden == 0 && claims->unknown == 0;
        fputs(shown++ ? ",\n    {\"phase\": " : "\n    {\"phase\": ", out);
        research_report_json_string(out, report->phases[p].name);
        fprintf(out, ", \"fetched\": %lld, \"claimed_first\": %lld, \"claimed_share\": ",
                (long long)fetched, (long long)claims->claimed);
        research_report_json_number(
            out, fetched > 0 && whole ? (double)claims->claimed / (double)fetched : NAN);
        fputs(", \"bands\": {", out);
        for (int b = 0; b < RESEARCH_CLAIM_BANDS; b++) {
            fputs(b ? ", " : "", out);
            research_report_json_string(
                out, store_claim_band((int64_t)band_first_minute[b] * 60 * 1000));
            if (claims->bands[b] > 0) {
                fprintf(out, ": %lld", (long long)claims->bands[b]);
            } else {
                fputs(": null", out);
            }
        }
        fprintf(out,
                "}, \"claimed_in_merged_bands\": %lld, \"unclaimed\": %lld, "
                "\"in_remainder\": %lld, \"suppressed_rows\": %d}",
                (long long)claims->ranged, (long long)claims->unclaimed, (long long)claims->unknown,
                claims->hidden);
    }
    fputs(shown ? "\n  ]}" : "]}", out);
}

int research_report_write_json(const struct research_report *report, FILE *out)
{
    char first[RESEARCH_DATE_SIZE] = "", last[RESEARCH_DATE_SIZE] = "";
    if (report->first_day <= report->last_day) {
        research_day_format(report->first_day, first);
        research_day_format(report->last_day, last);
    }
    fprintf(out, "{\n  \"format\": \"oase-research-report\",\n  \"version\": 1,\n  \"k\": %d,\n",
            report->k);
    fputs("  \"first_day\": ", out);
    research_report_json_string(out, first);
    fputs(",\n  \"last_day\": ", out);
    research_report_json_string(out, last);
    fputs(",\n  \"sites\": ", out);
    research_report_json_string(out, report->sites);
    fputs(",\n  \"summary\": {\"nl\": ", out);
    research_report_json_string(out, report->summary_nl);
    fputs(", \"en\": ", out);
    research_report_json_string(out, report->summary_en);
    fputs("},\n  \"phases\": [", out);
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        research_day_format(phase->first_day, first);
        research_day_format(phase->last_day, last);
        fprintf(out, "%s\n    {\"name\": ", p ? "," : "");
        research_report_json_string(out, phase->name);
        fprintf(out,
                ", \"first_day\": \"%s\", \"last_day\": \"%s\", \"arrivals\": %lld, "
                "\"completed_checkins\": %lld, \"completed_departures\": %lld, "
                "\"abandoned_checkins\": %lld, \"incidents\": %lld, \"incident_weeks_hidden\": %d,"
                "\n     \"response_rate_completed\": ",
                first, last, (long long)phase->arrivals,
                (long long)phase->completed[RESEARCH_AT_ARRIVAL],
                (long long)phase->completed[RESEARCH_AT_DEPARTURE], (long long)phase->abandoned,
                (long long)phase->incidents, phase->incidents_hidden_weeks);
        research_report_json_number(out, phase->response_rate_completed);
        fputs(", \"response_rate_arrivals\": ", out);
        research_report_json_number(out, phase->response_rate_arrivals);
        fputs(", \"incidents_per_100_arrivals\": ", out);
        research_report_json_number(out, phase->incidents_per_100);
        fputs(",\n     \"stress_arrival\": ", out);
        report_json_values(out, &phase->stress[RESEARCH_AT_ARRIVAL]);
        fputs(",\n     \"stress_departure\": ", out);
        report_json_values(out, &phase->stress[RESEARCH_AT_DEPARTURE]);
        fputs(",\n     \"wait_minutes\": ", out);
        report_json_values(out, &phase->wait);
        fputs("}", out);
    }
    fputs("\n  ],\n  \"comparison\": ", out);
    if (report->compare_a < 0) {
        fputs("null", out);
    } else {
        fputs("{\"a\": ", out);
        research_report_json_string(out, report->phases[report->compare_a].name);
        fputs(", \"b\": ", out);
        research_report_json_string(out, report->phases[report->compare_b].name);
        fprintf(out, ", \"bootstrap_resamples\": %d, \"bootstrap_seed\": %u,",
                RESEARCH_BOOTSTRAP_RESAMPLES, RESEARCH_BOOTSTRAP_SEED);
        for (int m = 0; m < RESEARCH_MEASURES; m++) {
            const struct research_report_comparison *c = &report->comparisons[m];
            fprintf(out, "%s\n    ", m ? "," : "");
            research_report_json_string(out, research_measure_name((enum research_measure)m));
            fputs(": ", out);
            if (!c->available) {
                fputs("{\"available\": false, \"reason\": ", out);
                research_report_json_string(out, c->reason);
                fputs("}", out);
                continue;
            }
            fputs("{\"available\": true, \"a\": ", out);
            report_json_summary(out, &c->a);
            fputs(", \"b\": ", out);
            report_json_summary(out, &c->b);
            fprintf(out, ", \"mann_whitney_u_a\": %.6g, \"mann_whitney_u_b\": %.6g, \"z\": ",
                    c->test.u_a, c->test.u_b);
            research_report_json_number(out, c->test.z);
            fputs(", \"p_two_sided\": ", out);
            research_report_json_number(out, c->test.p_two_sided);
            fputs(", \"rank_biserial\": ", out);
            research_report_json_number(out, c->test.rank_biserial);
            fputs(", \"cliffs_delta\": ", out);
            research_report_json_number(out, c->cliffs_delta);
            fputs(", \"mean_difference\": ", out);
            research_report_json_number(out, c->interval.difference);
            fputs(", \"ci95_low\": ", out);
            research_report_json_number(out, c->interval.low);
            fputs(", \"ci95_high\": ", out);
            research_report_json_number(out, c->interval.high);
            fputs("}", out);
        }
        fputs("\n  }", out);
    }
    fputs(",\n  \"weeks\": [", out);
    for (size_t w = 0; w < report->week_count; w++) {
        const struct research_report_week *week = &report->weeks[w];
        char label[RESEARCH_WEEK_SIZE];
        research_week_label(week->monday, label);
        fprintf(out, "%s\n    {\"week\": \"%s\", \"phase\": ", w ? "," : "", label);
        research_report_json_string(out, week->phase >= 0 ? report->phases[week->phase].name : "");
        fprintf(out, ", \"arrival_n\": %lld, \"arrival_mean\": ",
                (long long)week->n[RESEARCH_AT_ARRIVAL]);
        research_report_json_number(out, week->mean[RESEARCH_AT_ARRIVAL]);
        fprintf(out, ", \"departure_n\": %lld, \"departure_mean\": ",
                (long long)week->n[RESEARCH_AT_DEPARTURE]);
        research_report_json_number(out, week->mean[RESEARCH_AT_DEPARTURE]);
        static const char *const moments[RESEARCH_MOMENTS] = {STORE_MOMENT_ARRIVAL,
                                                              STORE_MOMENT_DEPARTURE};
        for (int m = 0; m < RESEARCH_MOMENTS; m++) { /* null mean: bounds only (ranges) */
            fprintf(out, ", \"%s_mean_low\": ", moments[m]);
            research_report_json_number(out, week->mean_low[m]);
            fprintf(out, ", \"%s_mean_high\": ", moments[m]);
            research_report_json_number(out, week->mean_high[m]);
        }
        fprintf(out,
                ", \"completed_checkins\": %lld, \"response_rate\": ", (long long)week->completed);
        research_report_json_number(out, week->completed > 0
                                             ? (double)week->n[RESEARCH_AT_ARRIVAL] /
                                                   (double)week->completed
                                             : NAN);
        fputs("}", out);
    }
    fprintf(out, "\n  ],\n  \"pooled_arrival_answers\": %lld,\n  \"sites_by_phase\": [",
            (long long)report->pooled_answers);
    for (size_t s = 0; s < report->site_row_count; s++) {
        const struct research_report_site *site = &report->site_rows[s];
        fputs(s ? ",\n    {\"site\": " : "\n    {\"site\": ", out);
        research_report_json_string(out, site->site);
        fputs(", \"phase\": ", out);
        research_report_json_string(out, report->phases[site->phase].name);
        fprintf(out, ", \"responses\": %lld, \"completed_checkins\": %lld, \"mean\": ",
                (long long)site->responses, (long long)site->completed);
        research_report_json_number(out, site->mean);
        fputs(", \"mean_low\": ", out);
        research_report_json_number(out, site->mean_low);
        fputs(", \"mean_high\": ", out);
        research_report_json_number(out, site->mean_high);
        fprintf(out, ", \"control\": %s",
                evaluation_is_control(&report->evaluation, site->site) ? "true" : "false");
        fputs("}", out);
    }
    fputs("\n  ],\n  \"notes\": [", out);
    for (size_t i = 0; i < report->note_count; i++) {
        fputs(i ? ", " : "", out);
        research_report_json_string(out, report->notes[i]);
    }
    fputs("]", out);
    report_json_claims(out, report);
    research_report_write_eval_json(report, out);
    research_report_write_design_json(report, out);
    research_report_write_randomised_json(report, out);
    fputs("\n}\n", out);
    return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}
