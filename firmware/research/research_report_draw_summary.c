/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw_summary: the report's first pages (see research_report_draw.h): the
 * title, the summary in Dutch and English, the tables per phase, the method, the evaluation
 * page with its tests, and the warnings.
 */
#include "research/research_report_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"

/* ---- page 1: summary and tables -------------------------------------------------------- */

static double draw_title(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 14;
    draw_font(cr, 19, true);
    draw_palette(cr, PALETTE_PRIMARY);
    /* A randomised room compares conditions over the same weeks, not a before and an after. */
    draw_text(cr, DRAW_MARGIN, y, DRAW_LEFT,
              report->evaluation.design == EVALUATION_RANDOMISED
                  ? "Oase: een gerandomiseerde proef  /  a randomised trial"
                  : "Oase: voor en na  /  before and after");
    y += 17;
    draw_font(cr, 8.5, false);
    draw_palette(cr, PALETTE_MUTED);
    char first[RESEARCH_DATE_SIZE] = "", last[RESEARCH_DATE_SIZE] = "", line[512];
    if (report->first_day <= report->last_day) {
        research_day_format(report->first_day, first);
        research_day_format(report->last_day, last);
    }
    snprintf(line, sizeof line, "%s", report->sites);
    draw_text_fit(cr, DRAW_MARGIN, y, DRAW_CONTENT, DRAW_LEFT, line);
    y += 12;
    if (report->first_day > report->last_day) {
        snprintf(line, sizeof line,
                 "no finished week with data yet  |  every count at least k = %d", report->k);
    } else if (report->compare_a >= 0) {
        snprintf(line, sizeof line,
                 "%s to %s  |  every count at least k = %d  |  compared: %s -> %s", first, last,
                 report->k, report->phases[report->compare_a].name,
                 report->phases[report->compare_b].name);
    } else {
        snprintf(line, sizeof line, "%s to %s  |  every count at least k = %d  |  no comparison",
                 first, last, report->k);
    }
    draw_text_fit(cr, DRAW_MARGIN, y, DRAW_CONTENT, DRAW_LEFT, line);
    y += 8;
    draw_colour(cr, DRAW_RULE, 1);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, DRAW_MARGIN, y);
    cairo_line_to(cr, DRAW_MARGIN + DRAW_CONTENT, y);
    cairo_stroke(cr);
    return y + 20;
}

static double draw_summaries(cairo_t *cr, const struct research_report *report, double y)
{
    y = draw_heading(cr, y, "Samenvatting");
    draw_font(cr, 9.5, false);
    draw_palette(cr, PALETTE_INK);
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 13, report->summary_nl) + 8;
    y = draw_heading(cr, y, "Summary");
    draw_font(cr, 9.5, false);
    draw_palette(cr, PALETTE_INK);
    return draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 13, report->summary_en) + 10;
}

static double draw_phase_tables(cairo_t *cr, const struct research_report *report, double y)
{
    char cells[RESEARCH_REPORT_PHASES * RESEARCH_MOMENTS][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table visits = {
        .columns = 10,
        .widths = {60, 52, 52, 42, 44, 56, 52, 50, 50, 49},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "From", "To", "Arrivals", "Check-ins", "Answered %\nof check-ins",
                   "Answered %\nof arrivals", "Abandoned\ncheck-ins", "Median\nwait (min)",
                   "Incidents\nper 100"},
        .cells = cells,
    };
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        char(*row)[DRAW_CELL] = cells[visits.rows++];
        snprintf(row[0], DRAW_CELL, "%s", phase->name);
        research_day_format(phase->first_day, row[1]);
        research_day_format(phase->last_day, row[2]);
        draw_count(row[3], phase->arrivals);
        draw_count(row[4], phase->completed[RESEARCH_AT_ARRIVAL]);
        draw_number(row[5], 100 * phase->response_rate_completed, 0);
        draw_number(row[6], 100 * phase->response_rate_arrivals, 0);
        draw_count(row[7], phase->abandoned);
        draw_range(row[8], phase->wait.summary_low.median, phase->wait.summary_high.median, 0);
        if (!report->incidents_counted) {
            snprintf(row[9], DRAW_CELL, "-"); /* no incident table */
        } else if (phase->incidents_hidden_weeks == 0 && phase->incidents == 0) {
            snprintf(row[9], DRAW_CELL, "none"); /* none logged: not a rate of 0.0 */
        } else if (phase->incidents_hidden_weeks > 0 && phase->incidents == 0) {
            snprintf(row[9], DRAW_CELL, "hidden");      /* fewer than k */
        } else if (phase->incidents_hidden_weeks > 0) { /* some weeks hidden: a lower bound */
            snprintf(row[9], DRAW_CELL, "\u2265 %.1f", phase->incidents_per_100);
        } else {
            draw_number(row[9], phase->incidents_per_100, 1);
        }
    }
    y = draw_heading(cr, y, "Visits per phase");
    y = draw_table(cr, y, &visits);

    struct draw_table stress = {
        .columns = 10,
        .widths = {66, 48, 44, 64, 44, 36, 44, 42, 54, 65},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Moment", "Answers\n0-10", "Mean\n(bounds)", "Median", "SD", "Skipped",
                   "Hidden", "Of which\nin ranges", "Completed\njourneys"},
        .cells = cells,
    };
    memset(cells, 0, sizeof cells);
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            const struct research_report_values *values = &phase->stress[m];
            if (m == RESEARCH_AT_DEPARTURE && values->summary.n == 0 && values->skipped == 0 &&
                values->hidden == 0) {
                continue; /* no departure tap at this site */
            }
            char(*row)[DRAW_CELL] = cells[stress.rows++];
            snprintf(row[0], DRAW_CELL, "%s", m == 0 ? phase->name : "");
            snprintf(row[1], DRAW_CELL, "%s", m == 0 ? "arrival" : "leaving");
            draw_count(row[2], values->summary.n);
            draw_range(row[3], values->summary_low.mean, values->summary_high.mean, 2);
            draw_range(row[4], values->summary_low.median, values->summary_high.median, 1);
            draw_number(row[5], values->summary.sd, 2); /* ranges: no SD, "-" */
            draw_count(row[6], values->skipped);
            draw_count(row[7], values->hidden);
            draw_count(row[8], values->in_ranges);
            draw_count(row[9], phase->completed[m]);
        }
    }
    y = draw_heading(cr, y, "Stress answers (0-10), on arrival and on leaving");
    return draw_table(cr, y, &stress);
}

static const char *draw_outcome_short(enum research_measure measure)
{
    static const char *const names[RESEARCH_MEASURES] = {
        "stress on arrival",
        "stress on leaving",
        "% waiting 30+ min",
        "incidents per 100",
        "% stress " EVALUATION_STRESS_CUT_TEXT "+ arrival",
        "% stress " EVALUATION_STRESS_CUT_TEXT "+ leaving"};
    return measure < RESEARCH_MEASURES ? names[measure] : "";
}

static const char *draw_design_short(const struct research_report_test *test)
{
    if (strcmp(test->design, "interrupted_time_series") == 0) {
        return strcmp(test->term, "slope_change") == 0 ? "time series: slope" : "time series: step";
    }
    if (strcmp(test->design, "controlled") == 0) {
        return "controlled (DiD)";
    }
    if (strcmp(test->design, "before_after_by_site") == 0) {
        return "before/after by site";
    }
    if (strcmp(test->design, "randomised") == 0) {
        return "randomised (by day)";
    }
    return strcmp(test->design, "rate_ratio") == 0 ? "rate ratio" : "before/after";
}

static void draw_p(char *buf, double p)
{
    if (!isfinite(p)) {
        snprintf(buf, DRAW_CELL, "-");
    } else if (p < 0.001) {
        snprintf(buf, DRAW_CELL, "< 0.001");
    } else {
        snprintf(buf, DRAW_CELL, "%.3f", p);
    }
}

static void draw_bound(char *buf, size_t size, double value)
{
    if (isinf(value)) {
        snprintf(buf, size, "%s", value < 0 ? "-inf" : "+inf");
    } else {
        snprintf(buf, size, "%.2f", value);
    }
}

static void draw_test_row(char (*row)[DRAW_CELL], const struct research_report_test *test,
                          bool primary)
{
    snprintf(row[0], DRAW_CELL, "%s%s", primary ? "PRIMARY: " : "",
             draw_outcome_short(test->measure));
    snprintf(row[1], DRAW_CELL, "%s", draw_design_short(test));
    snprintf(row[2], DRAW_CELL, "%.*s", (int)strcspn(test->unit, " "), test->unit);
    if (!test->available) {
        snprintf(row[4], DRAW_CELL, "refused (below)");
        return;
    }
    snprintf(row[3], DRAW_CELL, "%zu", test->n_units);
    char low[24], high[24];
    if (test->ranged) {
        draw_bound(low, sizeof low, test->estimate_low);
        draw_bound(high, sizeof high, test->estimate_high);
        snprintf(row[4], DRAW_CELL, "%s to %s", low, high);
    } else {
        draw_bound(row[4], DRAW_CELL, test->estimate);
    }
    draw_bound(low, sizeof low, test->ci_low);
    draw_bound(high, sizeof high, test->ci_high);
    snprintf(row[5], DRAW_CELL, "%s to %s", low, high);
    draw_p(row[6], test->p);
    if (primary) {
        snprintf(row[7], DRAW_CELL, "(declared)");
    } else {
        draw_p(row[7], test->adjusted_p);
    }
}

static void draw_method(cairo_t *cr, const struct research_report *report, double y)
{
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    char text[1400];
    snprintf(text, sizeof text,
             "Method: only numbers a researcher may download (every count at least k = %d; "
             "docs/research.md). Units are days, or weeks the export published only as a whole "
             "week, never single answers (answers cluster by day). A range made by k-anonymity "
             "is never a midpoint: each estimate is computed with every unit at the lowest and "
             "at the highest value its ranges allow (chosen by the unit's weight in the "
             "estimate) and given as bounds; p is the larger of the two, 1 when the ranges allow "
             "no difference. Time series: segmented regression on weekly means (level and slope "
             "change), standard errors the largest of Newey-West, ordinary least squares and AR(1) "
             "errors (rho by REML), t with n - 5 df; refused below 3 weeks a side, a warning "
             "below 8. Before/after: Welch's t "
             "on day (week) means. Controlled: difference in differences of day means against "
             "the control sites, Welch-Satterthwaite df. Waiting time: the share waiting 30 "
             "minutes or more (bands have no single value, 60+ has no upper end). High stress "
             "(only when declared): the share of answers " EVALUATION_STRESS_CUT_TEXT
             " or higher, in percentage points (the export never merges a day's answers across "
             "this cut). Incidents: "
             "rate ratio with arrivals as exposure on weekly counts, widened by their "
             "overdispersion (quasi-Poisson, t with weeks - 2 df). Exploratory tests: "
             "Holm-adjusted p. "
             "Alpha %g%s.",
             report->k, report->evaluation.alpha,
             report->evaluation.declared ? ", as declared in [evaluation]"
                                         : "; no [evaluation] was declared: defaults");
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5, text);
    for (size_t i = 0; i < report->note_count; i++) {
        char note[RESEARCH_NOTE_MAX + 8];
        snprintf(note, sizeof note, "Note: %s", report->notes[i]);
        y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5, note);
    }
}

/* The evaluation: the verdict, the primary's warnings, every test, refusals, the method. */
void draw_page_evaluation(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 10;
    y = draw_heading(cr, y, "Evaluation / Evaluatie: the declared primary outcome first");
    bool randomised = report->evaluation.design == EVALUATION_RANDOMISED;
    if (report->compare_a < 0 && !randomised) {
        draw_font(cr, 9, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, DRAW_MARGIN, y, DRAW_LEFT, "Not yet: there are not two phases with data.");
        draw_method(cr, report, y + 24);
        return;
    }
    double top = y - 10;
    draw_font(cr, 9.5, true);
    draw_palette(cr, PALETTE_PRIMARY);
    draw_text(cr, DRAW_MARGIN + 10, y, DRAW_LEFT, "Oordeel");
    y += 13;
    draw_font(cr, 9.2, false);
    draw_palette(cr, PALETTE_INK);
    y = draw_paragraph(cr, DRAW_MARGIN + 10, y, DRAW_CONTENT - 10, 12.5, report->verdict_nl) + 6;
    draw_font(cr, 9.5, true);
    draw_palette(cr, PALETTE_PRIMARY);
    draw_text(cr, DRAW_MARGIN + 10, y, DRAW_LEFT, "Verdict");
    y += 13;
    draw_font(cr, 9.2, false);
    draw_palette(cr, PALETTE_INK);
    y = draw_paragraph(cr, DRAW_MARGIN + 10, y, DRAW_CONTENT - 10, 12.5, report->verdict_en);
    draw_palette(cr, PALETTE_PRIMARY);
    cairo_rectangle(cr, DRAW_MARGIN, top, 4, y - top - 6);
    cairo_fill(cr);
    y += 4;
    draw_font(cr, 7.8, false);
    draw_palette(cr, PALETTE_INK);
    for (size_t i = 0; i < report->primary.warning_count; i++) {
        char line[RESEARCH_NOTE_MAX + 16];
        snprintf(line, sizeof line, "Warning: %s", report->primary.warnings[i]);
        y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 10.5, line);
    }
    y += 14;
    if (report->compare_a < 0) { /* a randomised room within one phase: no phase comparison */
        draw_method(cr, report, y);
        return;
    }

    char cells[RESEARCH_REPORT_TESTS + 1][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table table = {
        .columns = 8,
        .widths = {124, 88, 32, 24, 72, 82, 40, 45},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT},
        .header = {"Outcome", "Design", "Unit", "n", "Estimate\n(B - A; ratio)", "95% interval",
                   "p", "Holm p"},
        .cells = cells,
    };
    draw_test_row(cells[table.rows++], &report->primary, true);
    for (size_t i = 0; i < report->test_count; i++) {
        draw_test_row(cells[table.rows++], &report->tests[i], false);
    }
    char heading[160];
    snprintf(heading, sizeof heading, "All tests: A = %s, B = %s",
             report->phases[report->compare_a].name, report->phases[report->compare_b].name);
    y = draw_heading(cr, y, heading);
    y = draw_table(cr, y, &table) - 14;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
                       "Estimates with \"to\" are bounds: answers merged into ranges allow any "
                       "value between them. Rows after the primary are exploratory: read their "
                       "Holm-adjusted p, and each test's warnings in the JSON (\"tests\").");
    /* one line per reason, naming every test it refused (a study with a randomised room can
       refuse the same way eight times, and the method must still fit the page) */
    bool said[RESEARCH_REPORT_TESTS + 1] = {false};
    for (size_t i = 0; i <= report->test_count; i++) {
        const struct research_report_test *test = i == 0 ? &report->primary : &report->tests[i - 1];
        if (test->available || said[i]) {
            continue;
        }
        char line[RESEARCH_NOTE_MAX + 640];
        size_t used = 0;
        for (size_t j = i; j <= report->test_count; j++) {
            const struct research_report_test *other =
                j == 0 ? &report->primary : &report->tests[j - 1];
            if (other->available || said[j] || strcmp(other->reason, test->reason) != 0) {
                continue;
            }
            said[j] = true;
            int n = snprintf(line + used, sizeof line - used, "%s%s, %s", used ? "; " : "",
                             draw_outcome_short(other->measure), draw_design_short(other));
            used = n > 0 && (size_t)n < sizeof line - used ? used + (size_t)n : used;
        }
        snprintf(line + used, sizeof line - used, ": refused: %s", test->reason);
        y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5, line);
    }
    draw_method(cr, report, y + 12);
}

/* A prominent box: the measure changed within a phase (research_report_eval.c). */
double draw_warnings(cairo_t *cr, const struct research_report *report, double y, size_t most)
{
    if (report->warning_count == 0) {
        return y;
    }
    size_t shown = report->warning_count < most ? report->warning_count : most;
    double height = 20 + 10.5 * (double)shown * 2 + (report->warning_count > shown ? 11 : 0);
    draw_colour(cr, 0xFBE3D6, 1);
    cairo_rectangle(cr, DRAW_MARGIN, y - 12, DRAW_CONTENT, height);
    cairo_fill(cr);
    draw_colour(cr, 0xB8692E, 1);
    cairo_rectangle(cr, DRAW_MARGIN, y - 12, 4, height);
    cairo_fill(cr);
    draw_font(cr, 9.5, true);
    draw_colour(cr, 0x7A3A12, 1);
    draw_text(cr, DRAW_MARGIN + 10, y, DRAW_LEFT,
              "Let op / Warning: the measure changed within a phase");
    y += 12;
    draw_font(cr, 7.8, false);
    draw_palette(cr, PALETTE_INK);
    for (size_t i = 0; i < shown; i++) {
        y = draw_paragraph(cr, DRAW_MARGIN + 10, y, DRAW_CONTENT - 20, 10.5, report->warnings[i]);
    }
    if (report->warning_count > shown) {
        char more[96];
        snprintf(more, sizeof more, "... and %zu more: see the appendix (codebook)",
                 report->warning_count - shown);
        draw_text(cr, DRAW_MARGIN + 10, y, DRAW_LEFT, more);
        y += 11;
    }
    return y + 14;
}

void draw_page_summary(cairo_t *cr, const struct research_report *report)
{
    double y = draw_title(cr, report);
    y = draw_warnings(cr, report, y, 1);
    y = draw_summaries(cr, report, y);
    draw_phase_tables(cr, report, y);
}
