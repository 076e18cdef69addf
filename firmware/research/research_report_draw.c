/*
 * research_report_draw: the report on paper (see research_report.h). Cairo draws A4 pages in
 * points: page 1 the summary in Dutch and English and the tables, page 2 the charts
 * (distribution per phase, weekly trend with the phase change marked, waiting times),
 * page 3 the sites when there are several. PDF gets one page each; SVG and PNG stack them.
 * Colours come from the kiosk's palette (DESIGN.md "Look and feel"); text is Noto Sans.
 */
#include "research/research_report.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "research/research_period.h"
#include "ui/palette.h"

#define DRAW_PAGE_WIDTH 595.28 /* A4 in points */
#define DRAW_PAGE_HEIGHT 841.89
#define DRAW_MARGIN 44.0
#define DRAW_CONTENT (DRAW_PAGE_WIDTH - 2 * DRAW_MARGIN)
#define DRAW_PNG_SCALE 2.0 /* 144 dpi: readable on a screen */
#define DRAW_FONT "Noto Sans"

/* Phase colours: the kiosk's deep sage and sea first, then warm tones that print apart. */
static const unsigned draw_phase_colours[] = {0x2F6B5E, 0x3F6E8C, 0xB8692E, 0x7A5C8C,
                                              0x8C7A3F, 0x5A6A70, 0x9C4F5B, 0x3F8C86};
#define DRAW_GRID 0xDDD6C8
#define DRAW_RULE 0xB9B1A2

enum draw_align { DRAW_LEFT, DRAW_RIGHT, DRAW_CENTRE };

static void draw_colour(cairo_t *cr, unsigned rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                          (rgb & 0xFF) / 255.0, alpha);
}

static void draw_palette(cairo_t *cr, SDL_Color colour)
{
    cairo_set_source_rgb(cr, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
}

static unsigned draw_phase_colour(int phase)
{
    size_t count = sizeof draw_phase_colours / sizeof draw_phase_colours[0];
    return draw_phase_colours[(size_t)(phase < 0 ? 0 : phase) % count];
}

static void draw_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, DRAW_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double draw_text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    return extents.x_advance;
}

/* Text with its baseline at y, aligned at x. */
static void draw_text(cairo_t *cr, double x, double y, enum draw_align align, const char *text)
{
    double width = draw_text_width(cr, text);
    double left = align == DRAW_LEFT ? x : align == DRAW_RIGHT ? x - width : x - width / 2;
    cairo_move_to(cr, left, y);
    cairo_show_text(cr, text);
}

/* Text cut with "..." to fit width. */
static void draw_text_fit(cairo_t *cr, double x, double y, double width, enum draw_align align,
                          const char *text)
{
    char fitted[256];
    snprintf(fitted, sizeof fitted, "%s", text);
    size_t length = strlen(fitted);
    while (length > 1 && draw_text_width(cr, fitted) > width) {
        length--;
        while (length > 0 && (fitted[length] & 0xC0) == 0x80) {
            length--; /* never cut inside a UTF-8 character */
        }
        snprintf(fitted + length, sizeof fitted - length, "...");
    }
    draw_text(cr, x, y, align, fitted);
}

/* Wraps text at spaces into lines of at most width; returns the y below the last line. */
static double draw_paragraph(cairo_t *cr, double x, double y, double width, double line_height,
                             const char *text)
{
    char line[512] = "";
    const char *word = text;
    while (*word != '\0') {
        while (*word == ' ') {
            word++;
        }
        const char *end = word;
        while (*end != '\0' && *end != ' ') {
            end++;
        }
        if (end == word) {
            break;
        }
        char candidate[512];
        int length = snprintf(candidate, sizeof candidate, "%s%s%.*s", line, line[0] ? " " : "",
                              (int)(end - word), word);
        if (length > 0 && (size_t)length < sizeof candidate &&
            (line[0] == '\0' || draw_text_width(cr, candidate) <= width)) {
            snprintf(line, sizeof line, "%s", candidate);
        } else {
            draw_text(cr, x, y, DRAW_LEFT, line);
            y += line_height;
            snprintf(line, sizeof line, "%.*s", (int)(end - word), word);
        }
        word = end;
    }
    if (line[0] != '\0') {
        draw_text(cr, x, y, DRAW_LEFT, line);
        y += line_height;
    }
    return y;
}

static double draw_heading(cairo_t *cr, double y, const char *text)
{
    draw_font(cr, 11.5, true);
    draw_palette(cr, PALETTE_INK);
    draw_text(cr, DRAW_MARGIN, y, DRAW_LEFT, text);
    return y + 15;
}

/* ---- tables --------------------------------------------------------------------------- */

#define DRAW_TABLE_COLUMNS 12
#define DRAW_CELL 72

struct draw_table {
    int columns;
    double widths[DRAW_TABLE_COLUMNS];
    enum draw_align aligns[DRAW_TABLE_COLUMNS];
    const char *header[DRAW_TABLE_COLUMNS];
    char (*cells)[DRAW_TABLE_COLUMNS][DRAW_CELL];
    int rows;
};

static double draw_table(cairo_t *cr, double y, const struct draw_table *table)
{
    const double row_height = 14, pad = 4;
    double width = 0;
    bool two_lines = false;
    for (int c = 0; c < table->columns; c++) {
        width += table->widths[c];
        two_lines = two_lines || strchr(table->header[c], '\n') != NULL;
    }
    double header_height = two_lines ? 25 : 16;
    draw_palette(cr, PALETTE_PANEL);
    cairo_rectangle(cr, DRAW_MARGIN, y, width, header_height);
    cairo_fill(cr);
    draw_font(cr, 7.1, true);
    draw_palette(cr, PALETTE_INK);
    double x = DRAW_MARGIN;
    for (int c = 0; c < table->columns; c++) {
        double anchor = table->aligns[c] == DRAW_RIGHT ? x + table->widths[c] - pad : x + pad;
        const char *text = table->header[c];
        const char *line_break = strchr(text, '\n');
        char first[DRAW_CELL];
        snprintf(first, sizeof first, "%.*s",
                 (int)(line_break ? line_break - text : (long)strlen(text)), text);
        draw_text_fit(cr, anchor, y + 11, table->widths[c] - 2 * pad, table->aligns[c], first);
        if (line_break != NULL) {
            draw_text_fit(cr, anchor, y + 20, table->widths[c] - 2 * pad, table->aligns[c],
                          line_break + 1);
        }
        x += table->widths[c];
    }
    y += header_height;
    draw_font(cr, 7.6, false);
    for (int r = 0; r < table->rows; r++) {
        if (r % 2 == 1) {
            draw_colour(cr, 0xF4F1EA, 1); /* warm paper: every other row */
            cairo_rectangle(cr, DRAW_MARGIN, y, width, row_height);
            cairo_fill(cr);
        }
        draw_palette(cr, PALETTE_INK);
        x = DRAW_MARGIN;
        for (int c = 0; c < table->columns; c++) {
            double anchor = table->aligns[c] == DRAW_RIGHT ? x + table->widths[c] - pad : x + pad;
            draw_text_fit(cr, anchor, y + 10, table->widths[c] - 2 * pad, table->aligns[c],
                          table->cells[r][c]);
            x += table->widths[c];
        }
        y += row_height;
    }
    draw_colour(cr, DRAW_RULE, 1);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, DRAW_MARGIN, y + 0.5);
    cairo_line_to(cr, DRAW_MARGIN + width, y + 0.5);
    cairo_stroke(cr);
    return y + 30;
}

static void draw_number(char *buf, double value, int decimals)
{
    if (!isfinite(value)) {
        snprintf(buf, DRAW_CELL, "-");
    } else {
        snprintf(buf, DRAW_CELL, "%.*f", decimals, value);
    }
}

/* A value, or "low-high" when a range allows no single value; "60+" style when open. */
static void draw_range(char *buf, double low, double high, int decimals)
{
    if (!isfinite(low)) {
        snprintf(buf, DRAW_CELL, "-");
    } else if (isinf(high)) {
        snprintf(buf, DRAW_CELL, "%.*f+", decimals, low);
    } else if (!isfinite(high) || fabs(high - low) < 0.5 * pow(10, -decimals)) {
        snprintf(buf, DRAW_CELL, "%.*f", decimals, low);
    } else {
        snprintf(buf, DRAW_CELL, "%.*f-%.*f", decimals, low, decimals, high);
    }
}

static void draw_count(char *buf, int64_t value)
{
    snprintf(buf, DRAW_CELL, "%lld", (long long)value);
}

/* ---- page 1: summary and tables -------------------------------------------------------- */

static double draw_title(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 14;
    draw_font(cr, 19, true);
    draw_palette(cr, PALETTE_PRIMARY);
    draw_text(cr, DRAW_MARGIN, y, DRAW_LEFT, "Oase: voor en na  /  before and after");
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
    static const char *const names[RESEARCH_MEASURES] = {"stress on arrival", "stress on leaving",
                                                         "% waiting 30+ min", "incidents per 100"};
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
             "change), Newey-West standard errors (never below ordinary least squares), t with "
             "n - 4 df; refused below 3 weeks a side, a warning below 8. Before/after: Welch's t "
             "on day (week) means. Controlled: difference in differences of day means against "
             "the control sites, Welch-Satterthwaite df. Waiting time: the share waiting 30 "
             "minutes or more (bands have no single value, 60+ has no upper end). Incidents: "
             "Poisson rate ratio with arrivals as exposure. Exploratory tests: Holm-adjusted p. "
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
static void draw_page_evaluation(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 10;
    y = draw_heading(cr, y, "Evaluation / Evaluatie: the declared primary outcome first");
    if (report->compare_a < 0) {
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
    for (size_t i = 0; i <= report->test_count; i++) {
        const struct research_report_test *test = i == 0 ? &report->primary : &report->tests[i - 1];
        if (!test->available) {
            char line[RESEARCH_NOTE_MAX + 96];
            snprintf(line, sizeof line, "%s, %s: refused: %s", draw_outcome_short(test->measure),
                     draw_design_short(test), test->reason);
            y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5, line);
        }
    }
    draw_method(cr, report, y + 12);
}

/* A prominent box: the measure changed within a phase (research_report_eval.c). */
static double draw_warnings(cairo_t *cr, const struct research_report *report, double y,
                            size_t most)
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

static void draw_page_summary(cairo_t *cr, const struct research_report *report)
{
    double y = draw_title(cr, report);
    y = draw_warnings(cr, report, y, 1);
    y = draw_summaries(cr, report, y);
    draw_phase_tables(cr, report, y);
}

/* ---- charts ------------------------------------------------------------------------------ */

/* A step for the y axis that gives 4 to 6 gridlines up to at least top. */
static double draw_nice_step(double top)
{
    static const double steps[] = {1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (top / steps[i] <= 5) {
            return steps[i];
        }
    }
    return ceil(top / 5);
}

/* A chart's frame: title, y gridlines with labels; returns the y-axis maximum. */
static double draw_axes(cairo_t *cr, double x, double y, double width, double height, double top,
                        const char *unit)
{
    double step = draw_nice_step(top > 0 ? top : 1);
    double y_max = ceil((top > 0 ? top : 1) / step) * step;
    draw_font(cr, 7, false);
    cairo_set_line_width(cr, 0.5);
    for (double tick = 0; tick <= y_max + 1e-9; tick += step) {
        double ty = y + height - tick / y_max * height;
        draw_colour(cr, DRAW_GRID, 1);
        cairo_move_to(cr, x, ty);
        cairo_line_to(cr, x + width, ty);
        cairo_stroke(cr);
        draw_palette(cr, PALETTE_MUTED);
        char label[32];
        snprintf(label, sizeof label, "%g%s", tick, unit);
        draw_text(cr, x - 4, ty + 2.5, DRAW_RIGHT, label);
    }
    return y_max;
}

static void draw_legend(cairo_t *cr, const struct research_report *report, double x, double y,
                        const char *extra)
{
    draw_font(cr, 7.5, false);
    for (size_t p = 0; p < report->phase_count; p++) {
        draw_colour(cr, draw_phase_colour((int)p), 1);
        cairo_rectangle(cr, x, y - 7, 9, 9);
        cairo_fill(cr);
        draw_palette(cr, PALETTE_INK);
        draw_text(cr, x + 12, y, DRAW_LEFT, report->phases[p].name);
        x += 18 + draw_text_width(cr, report->phases[p].name);
    }
    if (extra != NULL) {
        draw_colour(cr, draw_phase_colour(0), 0.35);
        cairo_rectangle(cr, x + 4, y - 7, 9, 9);
        cairo_fill(cr);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, x + 16, y, DRAW_LEFT, extra);
    }
}

/* Shares (%) of one phase's values per scale step, exact and spread, into out. */
static double draw_shares(const struct research_report_values *values, int steps,
                          double exact[RESEARCH_REPORT_SCALE], double spread[RESEARCH_REPORT_SCALE])
{
    double total = 0, top = 0;
    for (int s = 0; s < steps; s++) {
        total += values->exact[s] + values->spread[s];
    }
    for (int s = 0; s < steps; s++) {
        exact[s] = total > 0 ? 100 * values->exact[s] / total : 0;
        spread[s] = total > 0 ? 100 * values->spread[s] / total : 0;
        top = exact[s] + spread[s] > top ? exact[s] + spread[s] : top;
    }
    return top;
}

/* Grouped bars: one group per scale step, one bar per phase. */
static void draw_bars(cairo_t *cr, const struct research_report *report, double x, double y,
                      double width, double height, const char *title, int steps,
                      const char *const *labels, bool wait)
{
    draw_font(cr, 9, true);
    draw_palette(cr, PALETTE_INK);
    draw_text(cr, x - 24, y - 8, DRAW_LEFT, title);
    double exact[RESEARCH_REPORT_PHASES][RESEARCH_REPORT_SCALE];
    double spread[RESEARCH_REPORT_PHASES][RESEARCH_REPORT_SCALE];
    double top = 0;
    int moment = strstr(title, "leaving") ? RESEARCH_AT_DEPARTURE : RESEARCH_AT_ARRIVAL;
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_values *values =
            wait ? &report->phases[p].wait : &report->phases[p].stress[moment];
        double phase_top = draw_shares(values, steps, exact[p], spread[p]);
        top = phase_top > top ? phase_top : top;
    }
    double y_max = draw_axes(cr, x, y, width, height, top, "%");
    double group = width / steps;
    double bar = (group * 0.8) / (report->phase_count ? (double)report->phase_count : 1);
    for (int s = 0; s < steps; s++) {
        double left = x + s * group + group * 0.1;
        for (size_t p = 0; p < report->phase_count; p++) {
            double bx = left + p * bar;
            double exact_h = exact[p][s] / y_max * height;
            double spread_h = spread[p][s] / y_max * height;
            draw_colour(cr, draw_phase_colour((int)p), 1);
            cairo_rectangle(cr, bx, y + height - exact_h, bar * 0.92, exact_h);
            cairo_fill(cr);
            draw_colour(cr, draw_phase_colour((int)p), 0.35);
            cairo_rectangle(cr, bx, y + height - exact_h - spread_h, bar * 0.92, spread_h);
            cairo_fill(cr);
        }
        draw_font(cr, 7.5, false);
        draw_palette(cr, PALETTE_INK);
        draw_text(cr, x + s * group + group / 2, y + height + 10, DRAW_CENTRE, labels[s]);
    }
}

static bool draw_has_departures(const struct research_report *report)
{
    for (size_t p = 0; p < report->phase_count; p++) {
        if (report->phases[p].stress[RESEARCH_AT_DEPARTURE].summary.n > 0) {
            return true;
        }
    }
    return false;
}

static double draw_distribution_chart(cairo_t *cr, const struct research_report *report, double y)
{
    static const char *const labels[RESEARCH_REPORT_SCALE] = {"0", "1", "2", "3", "4", "5",
                                                              "6", "7", "8", "9", "10"};
    y = draw_heading(cr, y, "Stress answers per phase (share of each phase's answers)");
    draw_legend(cr, report, DRAW_MARGIN, y + 2,
                "lighter: answers known only as a range (8-10), drawn spread over it: exact values "
                "unknown");
    y += 28;
    double height = 150, x = DRAW_MARGIN + 24;
    if (draw_has_departures(report)) {
        double width = (DRAW_CONTENT - 24 - 36) / 2;
        draw_bars(cr, report, x, y, width, height, "On arrival", RESEARCH_REPORT_SCALE, labels,
                  false);
        draw_bars(cr, report, x + width + 36, y, width, height, "On leaving", RESEARCH_REPORT_SCALE,
                  labels, false);
    } else {
        draw_bars(cr, report, x, y, DRAW_CONTENT - 24, height, "On arrival", RESEARCH_REPORT_SCALE,
                  labels, false);
    }
    return y + height + 34;
}

static double draw_trend_chart(cairo_t *cr, const struct research_report *report, double y)
{
    y = draw_heading(cr, y, "Weekly mean stress, all sites (line: on arrival; dashed: on leaving)");
    double x = DRAW_MARGIN + 24, width = DRAW_CONTENT - 24, height = 170;
    y += 10;
    if (report->week_count == 0) {
        draw_font(cr, 9, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, x, y + 20, DRAW_LEFT, "No week has enough answers to be shown on its own.");
        return y + 40;
    }
    draw_axes(cr, x, y, width, height, 10, "");
    int32_t first = report->weeks[0].monday;
    int span = (report->weeks[report->week_count - 1].monday - first) / 7 + 1;
    double step = width / span;
    int64_t most = 1;
    for (size_t w = 0; w < report->week_count; w++) {
        most = report->weeks[w].n[0] > most ? report->weeks[w].n[0] : most;
    }
    for (size_t w = 0; w < report->week_count; w++) { /* answers per week: faint bars */
        const struct research_report_week *week = &report->weeks[w];
        double cx = x + ((week->monday - first) / 7 + 0.5) * step;
        double bar_h = (double)week->n[0] / (double)most * height * 0.28;
        draw_colour(cr, draw_phase_colour(week->phase), 0.16);
        cairo_rectangle(cr, cx - step * 0.35, y + height - bar_h, step * 0.7, bar_h);
        cairo_fill(cr);
    }
    for (size_t w = 1; w < report->week_count; w++) { /* the phase change */
        if (report->weeks[w].phase == report->weeks[w - 1].phase || report->weeks[w].phase < 0) {
            continue;
        }
        double cx = x + ((report->weeks[w].monday - first) / 7) * step;
        double dashes[] = {3, 2};
        cairo_set_dash(cr, dashes, 2, 0);
        draw_palette(cr, PALETTE_INK);
        cairo_set_line_width(cr, 0.9);
        cairo_move_to(cr, cx, y - 4);
        cairo_line_to(cr, cx, y + height);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        draw_font(cr, 7.5, true);
        draw_text(cr, cx + 3, y + 4, DRAW_LEFT, report->phases[report->weeks[w].phase].name);
    }
    for (size_t w = 0; w < report->week_count; w++) { /* weeks with merged answers: bounds */
        for (int m = 0; m < RESEARCH_MOMENTS; m++) {
            const struct research_report_week *week = &report->weeks[w];
            if (isfinite(week->mean[m]) || !isfinite(week->mean_low[m]) ||
                !isfinite(week->mean_high[m])) {
                continue;
            }
            double cx = x + ((week->monday - first) / 7 + 0.5) * step;
            double top_y = y + height - week->mean_high[m] / 10 * height;
            double bottom_y = y + height - week->mean_low[m] / 10 * height;
            draw_palette(cr, PALETTE_INK);
            cairo_set_line_width(cr, m == RESEARCH_AT_ARRIVAL ? 2.2 : 1.2);
            cairo_move_to(cr, cx + (m == RESEARCH_AT_ARRIVAL ? -1.5 : 1.5), top_y);
            cairo_line_to(cr, cx + (m == RESEARCH_AT_ARRIVAL ? -1.5 : 1.5), bottom_y);
            cairo_stroke(cr);
        }
    }
    const struct research_report_test *primary = &report->primary;
    if (primary->has_fit && primary->measure <= RESEARCH_MEASURE_STRESS_DEPARTURE &&
        !report->has_control) { /* the fitted segments of the time series */
        double t_first = (double)(primary->first_monday - first) / 7.0;
        double t0 = primary->t0;
        double t_last =
            (double)(report->weeks[report->week_count - 1].monday - first) / 7.0 - t_first;
        draw_colour(cr, 0xB8692E, 1);
        cairo_set_line_width(cr, 1.2);
        for (int side = 0; side < 2; side++) {
            double from = side ? t0 : 0, to = side ? t_last : t0 - 1;
            for (int end = 0; end < 2; end++) {
                double t = end ? to : from;
                double value = primary->fit[0] + primary->fit[1] * t +
                               (side ? primary->fit[2] + primary->fit[3] * (t - t0) : 0);
                double cx = x + (t + t_first + 0.5) * step;
                double cy = y + height - value / 10 * height;
                if (end == 0) {
                    cairo_move_to(cr, cx, cy);
                } else {
                    cairo_line_to(cr, cx, cy);
                }
            }
            cairo_stroke(cr);
        }
    }
    for (int m = RESEARCH_MOMENTS - 1; m >= 0; m--) {
        double dashes[] = {4, 2.5};
        cairo_set_dash(cr, m == RESEARCH_AT_DEPARTURE ? dashes : NULL,
                       m == RESEARCH_AT_DEPARTURE ? 2 : 0, 0);
        cairo_set_line_width(cr, m == RESEARCH_AT_ARRIVAL ? 1.4 : 1.0);
        bool drawing = false;
        int32_t previous = 0;
        for (size_t w = 0; w < report->week_count; w++) {
            const struct research_report_week *week = &report->weeks[w];
            if (!isfinite(week->mean[m])) {
                continue;
            }
            double cx = x + ((week->monday - first) / 7 + 0.5) * step;
            double cy = y + height - week->mean[m] / 10 * height;
            draw_palette(cr, PALETTE_INK);
            if (drawing && week->monday - previous == 7) {
                cairo_line_to(cr, cx, cy);
            } else {
                cairo_stroke(cr);
                cairo_move_to(cr, cx, cy);
            }
            drawing = true;
            previous = week->monday;
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t w = 0; w < report->week_count && m == RESEARCH_AT_ARRIVAL; w++) {
            const struct research_report_week *week = &report->weeks[w];
            if (!isfinite(week->mean[m])) {
                continue;
            }
            double cx = x + ((week->monday - first) / 7 + 0.5) * step;
            double cy = y + height - week->mean[m] / 10 * height;
            draw_colour(cr, draw_phase_colour(week->phase), 1);
            cairo_arc(cr, cx, cy, span > 60 ? 1.6 : 2.6, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    }
    int every = span / 12 + 1; /* at most about 12 week labels */
    draw_font(cr, 7, false);
    draw_palette(cr, PALETTE_MUTED);
    char shown_year[5] = "";
    for (int i = 0; i < span; i += every) {
        char label[RESEARCH_WEEK_SIZE];
        research_week_label(first + 7 * i, label);
        bool new_year = strncmp(label, shown_year, 4) != 0; /* the year when it changes */
        snprintf(shown_year, sizeof shown_year, "%.4s", label);
        draw_text(cr, x + (i + 0.5) * step, y + height + 10, DRAW_CENTRE,
                  new_year ? label : label + 5);
    }
    char note[320];
    snprintf(note, sizeof note,
             "faint bars: answers per week (highest %lld); dark bars: bounds where answers were "
             "merged into ranges%s%s",
             (long long)most,
             primary->has_fit && !report->has_control ? "; orange: the fitted time series" : "",
             report->pooled_answers > 0 ? "; quiet weeks published together are not shown" : "");
    draw_text(cr, x + width, y + height + 22, DRAW_RIGHT, note);
    return y + height + 40;
}

static double draw_wait_chart(cairo_t *cr, const struct research_report *report, double y)
{
#define DRAW_WAIT_BAND_NAME(low, high, name) name,
    static const char *const labels[RESEARCH_REPORT_WAIT_BANDS] = {
        STORE_WAIT_BANDS(DRAW_WAIT_BAND_NAME)};
#undef DRAW_WAIT_BAND_NAME
    y = draw_heading(cr, y,
                     "Waiting time per phase (minutes; share of visitors fetched by a host)");
    y += 18;
    double height = 120;
    draw_bars(cr, report, DRAW_MARGIN + 24, y, DRAW_CONTENT - 24, height, "",
              RESEARCH_REPORT_WAIT_BANDS, labels, true);
    return y + height + 30;
}

static void draw_page_charts(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 10;
    y = draw_distribution_chart(cr, report, y);
    y = draw_trend_chart(cr, report, y);
    draw_wait_chart(cr, report, y);
}

static void draw_page_sites(cairo_t *cr, const struct research_report *report)
{
    enum { SITE_ROWS_PER_PAGE = 48 };
    char cells[SITE_ROWS_PER_PAGE][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table table = {
        .columns = 6,
        .widths = {150, 90, 60, 70, 60, 77},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Site", "Phase", "Answers", "Check-ins", "Answered %", "Mean stress"},
        .cells = cells,
    };
    for (size_t s = 0; s < report->site_row_count && table.rows < SITE_ROWS_PER_PAGE; s++) {
        const struct research_report_site *site = &report->site_rows[s];
        char(*row)[DRAW_CELL] = cells[table.rows++];
        snprintf(row[0], DRAW_CELL, "%.60s%s", site->site,
                 evaluation_is_control(&report->evaluation, site->site) ? " (control)" : "");
        snprintf(row[1], DRAW_CELL, "%s", report->phases[site->phase].name);
        draw_count(row[2], site->responses);
        draw_count(row[3], site->completed);
        draw_number(row[4],
                    site->completed > 0 ? 100.0 * (double)site->responses / (double)site->completed
                                        : NAN,
                    0);
        draw_range(row[5], site->mean_low, site->mean_high, 2); /* bounds with ranges */
    }
    double y = draw_heading(cr, DRAW_MARGIN + 10, "Per site (stress on arrival)");
    draw_table(cr, y, &table);
}

/* ---- schema 3 pages: responses, stress x waiting time, waiting messages, codebook ---------- */

static const char *const draw_part_names[4] = {"night", "morning", "afternoon", "evening"};

static double draw_not_recorded(cairo_t *cr, double y, const char *what)
{
    draw_font(cr, 8.5, false);
    draw_palette(cr, PALETTE_MUTED);
    char line[256];
    snprintf(line, sizeof line,
             "%s: not recorded in this database (schema 2; it needs kiosk firmware with schema 3).",
             what);
    draw_text_fit(cr, DRAW_MARGIN, y, DRAW_CONTENT, DRAW_LEFT, line);
    return y + 24;
}

static void draw_share(char *buf, int64_t part, int64_t whole)
{
    if (whole <= 0) {
        snprintf(buf, DRAW_CELL, "-");
    } else {
        snprintf(buf, DRAW_CELL, "%.0f%% of %lld", 100.0 * (double)part / (double)whole,
                 (long long)whole);
    }
}

static double draw_response_tables(cairo_t *cr, const struct research_report *report, double y)
{
    char cells[RESEARCH_REPORT_PHASES * RESEARCH_REPORT_SERVICES][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table rates = {
        .columns = 9,
        .widths = {66, 50, 56, 52, 46, 46, 46, 72, 73},
        .aligns = {DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Check-ins", "Abandoned\ncheck-ins", "Answered\n0-10", "Skipped",
                   "Hidden", "Not asked", "Answered %\nof check-ins", "Answered % of\nstarted"},
        .cells = cells,
    };
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        const struct research_report_responses *responses = &phase->responses;
        char(*row)[DRAW_CELL] = cells[rates.rows++];
        snprintf(row[0], DRAW_CELL, "%s", phase->name);
        draw_count(row[1], phase->completed[RESEARCH_AT_ARRIVAL]);
        draw_count(row[2], phase->abandoned);
        draw_count(row[3], phase->stress[RESEARCH_AT_ARRIVAL].summary.n);
        draw_count(row[4], phase->stress[RESEARCH_AT_ARRIVAL].skipped);
        draw_count(row[5], phase->stress[RESEARCH_AT_ARRIVAL].hidden);
        draw_count(row[6], responses->not_asked);
        draw_number(row[7], 100 * responses->rate_checkins, 0);
        draw_number(row[8], 100 * responses->rate_started, 0);
    }
    y = draw_heading(cr, y, "Response rates: the stress question on arrival");
    y = draw_table(cr, y, &rates) - 16;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    y = draw_paragraph(
            cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
            "Answered, skipped and hidden as in the stress table (hidden: in remainders, "
            "answer or skip unknown); not asked where at least k. Started = completed "
            "plus abandoned check-ins. The two tables below use the response counts, "
            "split by part of the day and by service only in periods the export could "
            "split (no hidden answers): shares of those asked there.") +
        14;

    struct draw_table parts = {
        .columns = 6,
        .widths = {70, 80, 80, 80, 80, 117},
        .aligns = {DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Night\n0-6", "Morning\n6-12", "Afternoon\n12-18", "Evening\n18-24",
                   "Only per day\nor week"},
        .cells = cells,
    };
    memset(cells, 0, sizeof cells);
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_responses *responses = &report->phases[p].responses;
        char(*row)[DRAW_CELL] = cells[parts.rows++];
        snprintf(row[0], DRAW_CELL, "%s", report->phases[p].name);
        for (int part = 0; part < 4; part++) {
            draw_share(row[1 + part], responses->by_part[part][0],
                       responses->by_part[part][0] + responses->by_part[part][1]);
        }
        draw_share(row[5], responses->coarser[0], responses->coarser[0] + responses->coarser[1]);
    }
    (void)draw_part_names;
    bool per_part = false; /* answers written per day (schema 4) have no part of the day */
    for (size_t p = 0; p < report->phase_count; p++) {
        for (int part = 0; part < 4; part++) {
            per_part = per_part || report->phases[p].responses.by_part[part][0] +
                                           report->phases[p].responses.by_part[part][1] >
                                       0;
        }
    }
    if (per_part) { /* an empty table is left out */
        y = draw_heading(cr, y, "Answered % of those asked, per part of the day");
        y = draw_table(cr, y, &parts);
    }

    struct draw_table services = {
        .columns = 5,
        .widths = {70, 150, 70, 70, 147},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Service (* = the rest)", "Answered", "Skipped", "Answered % of asked"},
        .cells = cells,
    };
    memset(cells, 0, sizeof cells);
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_responses *responses = &report->phases[p].responses;
        for (size_t s = 0; s < responses->service_count; s++) {
            char(*row)[DRAW_CELL] = cells[services.rows++];
            snprintf(row[0], DRAW_CELL, "%s", s == 0 ? report->phases[p].name : "");
            snprintf(row[1], DRAW_CELL, "%s", responses->services[s]);
            draw_count(row[2], responses->by_service[s][0]);
            draw_count(row[3], responses->by_service[s][1]);
            if (strcmp(responses->services[s], "*") == 0) {
                snprintf(row[4], DRAW_CELL, "-"); /* the rest of each split: not one group */
            } else {
                draw_share(row[4], responses->by_service[s][0],
                           responses->by_service[s][0] + responses->by_service[s][1]);
            }
        }
    }
    y = draw_heading(cr, y, "Answered % of those asked, per service");
    y = draw_table(cr, y, &services) - 16;
    if (report->self_selection) {
        draw_font(cr, 8.2, true);
        draw_colour(cr, 0x7A3A12, 1);
        y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 10.5,
                           "Caution, self-selection: a response rate is below 50 % or the "
                           "compared phases differ by 10 points or more. Visitors who answer may "
                           "differ from those who do not, so a difference in stress may partly "
                           "be a difference in who answered.");
    }
    return y + 14;
}

/* A label for waiting bands first..last: "10-15", "15-30", "45+". */
static void draw_band_label(char *buf, size_t size, int first, int last)
{
    int low = 0, high = 0;
    if (research_wait_band_minutes(research_wait_band_name(first), research_wait_band_name(last),
                                   &low, &high) != 0) {
        snprintf(buf, size, "?");
    } else if (high < 0) {
        snprintf(buf, size, "%d+", low);
    } else {
        snprintf(buf, size, "%d-%d", low, high);
    }
}

static void draw_stress_label(char *buf, size_t size, const struct research_report_crosstab *table,
                              int group)
{
    static const int lows[] = {0, 4, 7}, highs[] = {3, 6, 10};
    if (group == 3) {
        snprintf(buf, size, "no stress answer");
    } else {
        snprintf(buf, size, "%d-%d", lows[table->stress_first[group]],
                 highs[table->stress_last[group]]);
    }
}

/* Waiting-band colours: light (short) to deep (long). */
static unsigned draw_wait_colour(int band)
{
    static const unsigned colours[RESEARCH_REPORT_WAIT_BANDS] = {
        0xDCEBE5, 0xB9D7CC, 0x93C0B2, 0x6FA797, 0x4E8C7C, 0x3A7466, 0x2A5A4F, 0x1B3F37};
    return colours[band < 0 ? 0 : band % RESEARCH_REPORT_WAIT_BANDS];
}

/* One horizontal bar of shares: counts n[0..groups-1] coloured by their first band. */
static void draw_share_bar(cairo_t *cr, double x, double y, double width, double height,
                           const int64_t *n, const int *first, const int *last, int groups)
{
    int64_t total = 0;
    for (int g = 0; g < groups; g++) {
        total += n[g];
    }
    if (total <= 0) {
        return;
    }
    double left = x;
    for (int g = 0; g < groups; g++) {
        double w = width * (double)n[g] / (double)total;
        if (w <= 0) {
            continue;
        }
        draw_colour(cr, draw_wait_colour((first[g] + last[g]) / 2), 1);
        cairo_rectangle(cr, left, y, w, height);
        cairo_fill(cr);
        if (w > 26) {
            char label[32];
            snprintf(label, sizeof label, "%.0f%%", 100.0 * (double)n[g] / (double)total);
            draw_font(cr, 6.8, false);
            cairo_set_source_rgb(cr, (first[g] + last[g]) / 2 >= 4 ? 1 : 0.14,
                                 (first[g] + last[g]) / 2 >= 4 ? 1 : 0.2,
                                 (first[g] + last[g]) / 2 >= 4 ? 1 : 0.23);
            draw_text(cr, left + w / 2, y + height / 2 + 2.4, DRAW_CENTRE, label);
        }
        left += w;
    }
}

static double draw_wait_legend(cairo_t *cr, double y)
{
    draw_font(cr, 7.2, false);
    double x = DRAW_MARGIN;
    draw_palette(cr, PALETTE_MUTED);
    draw_text(cr, x, y, DRAW_LEFT, "waited (minutes):");
    x += 66;
    for (int band = 0; band < RESEARCH_REPORT_WAIT_BANDS; band++) {
        draw_colour(cr, draw_wait_colour(band), 1);
        cairo_rectangle(cr, x, y - 7, 9, 9);
        cairo_fill(cr);
        draw_palette(cr, PALETTE_INK);
        draw_text(cr, x + 12, y, DRAW_LEFT, research_wait_band_name(band));
        x += 18 + draw_text_width(cr, research_wait_band_name(band));
    }
    return y + 14;
}

/* Words for tau-b: only direction and rough strength; the bands allow no more. */
static const char *draw_tau_words(double tau)
{
    if (!isfinite(tau)) {
        return "cannot be computed (fewer than two bands on an axis)";
    }
    double size = fabs(tau);
    if (size < 0.1) {
        return "no clear relation between stress and waiting time";
    }
    if (tau > 0) {
        return size < 0.3 ? "a weak tendency: more stressed visitors waited longer"
                          : "a moderate tendency: more stressed visitors waited longer";
    }
    return size < 0.3 ? "a weak tendency: more stressed visitors waited shorter"
                      : "a moderate tendency: more stressed visitors waited shorter";
}

static double draw_crosstab(cairo_t *cr, const struct research_report *report, size_t p, double y)
{
    const struct research_report_crosstab *table = &report->phases[p].stress_wait;
    /* Fetched visitors per column as the waits table publishes them: those the stress split
       could not show are the difference; a 0 in such a column is not known to be 0. */
    int64_t fetched[RESEARCH_REPORT_WAIT_BANDS] = {0}, split[RESEARCH_REPORT_WAIT_BANDS] = {0};
    int64_t not_split = 0, fetched_all = 0;
    const struct research_report_values *waits = &report->phases[p].wait;
    for (int g = 0; g < table->wait_groups; g++) {
        int low = 0, high = 0, next_low = 0, ignored = 0;
        research_wait_band_minutes(research_wait_band_name(table->wait_first[g]),
                                   research_wait_band_name(table->wait_first[g]), &low, &ignored);
        research_wait_band_minutes(research_wait_band_name(table->wait_last[g]),
                                   research_wait_band_name(table->wait_last[g]), &next_low, &high);
        for (size_t i = 0; i < waits->low_count; i++) {
            double value = waits->low[i].value;
            if (value >= low && (high < 0 || value < high)) {
                fetched[g] += waits->low[i].n;
            }
        }
        for (int r = 0; r < 4; r++) {
            split[g] += table->n[r][g];
        }
        not_split += fetched[g] > split[g] ? fetched[g] - split[g] : 0;
        fetched_all += fetched[g];
    }
    char cells[5][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table grid = {.columns = 2 + table->wait_groups, .cells = cells};
    char headers[DRAW_TABLE_COLUMNS][DRAW_CELL];
    grid.header[0] = "Stress";
    grid.widths[0] = 76;
    grid.aligns[0] = DRAW_LEFT;
    double column = (DRAW_CONTENT - 76 - 50) / (table->wait_groups > 0 ? table->wait_groups : 1);
    for (int g = 0; g < table->wait_groups; g++) {
        char band[32];
        draw_band_label(band, sizeof band, table->wait_first[g], table->wait_last[g]);
        snprintf(headers[g], DRAW_CELL, "%s min", band);
        grid.header[1 + g] = headers[g];
        grid.widths[1 + g] = column;
        grid.aligns[1 + g] = DRAW_RIGHT;
    }
    grid.header[1 + table->wait_groups] = "All";
    grid.widths[1 + table->wait_groups] = 50;
    grid.aligns[1 + table->wait_groups] = DRAW_RIGHT;
    for (int r = 0; r < 4; r++) {
        if (r < 3 && r >= table->stress_groups) {
            continue;
        }
        int64_t total = 0;
        for (int g = 0; g < table->wait_groups; g++) {
            total += table->n[r][g];
        }
        if (total == 0) {
            continue;
        }
        char(*row)[DRAW_CELL] = cells[grid.rows++];
        draw_stress_label(row[0], DRAW_CELL, table, r);
        for (int g = 0; g < table->wait_groups; g++) {
            if (table->n[r][g] == 0 && fetched[g] > split[g]) {
                snprintf(row[1 + g], DRAW_CELL, "?"); /* not a known zero */
            } else {
                draw_count(row[1 + g], table->n[r][g]);
            }
        }
        draw_count(row[1 + table->wait_groups], total);
    }
    if (grid.rows > 0 && not_split > 0) {
        char(*row)[DRAW_CELL] = cells[grid.rows++];
        snprintf(row[0], DRAW_CELL, "not split");
        for (int g = 0; g < table->wait_groups; g++) {
            draw_count(row[1 + g], fetched[g] > split[g] ? fetched[g] - split[g] : 0);
        }
        draw_count(row[1 + table->wait_groups], not_split);
    }
    char heading[160];
    snprintf(heading, sizeof heading,
             "%s: stress on arrival x actual waiting time (fetched visitors)",
             report->phases[p].name);
    y = draw_heading(cr, y, heading);
    if (grid.rows == 0) {
        draw_font(cr, 8.5, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, DRAW_MARGIN, y + 4, DRAW_LEFT,
                  "No split could be shown (each part needs at least k visitors).");
        return y + 22;
    }
    y = draw_table(cr, y, &grid) - 16;
    /* the chart: one bar per stress band, the shares of its waiting bands */
    for (int r = 0; r < 4; r++) {
        if ((r < 3 && r >= table->stress_groups)) {
            continue;
        }
        int64_t total = 0;
        for (int g = 0; g < table->wait_groups; g++) {
            total += table->n[r][g];
        }
        if (total == 0) {
            continue;
        }
        char label[32];
        draw_stress_label(label, sizeof label, table, r);
        draw_font(cr, 7.6, false);
        draw_palette(cr, PALETTE_INK);
        draw_text(cr, DRAW_MARGIN + 70, y + 8, DRAW_RIGHT, label);
        draw_share_bar(cr, DRAW_MARGIN + 76, y, DRAW_CONTENT - 76, 11, table->n[r],
                       table->wait_first, table->wait_last, table->wait_groups);
        y += 14;
    }
    draw_font(cr, 7.6, false);
    draw_palette(cr, PALETTE_INK);
    char line[600], left_out[160] = "";
    if (not_split > 0) {
        snprintf(left_out, sizeof left_out,
                 "; %lld of %lld fetched visitors could not be split by stress (too few in their "
                 "period) and are left out: \"?\" marks a 0 that is not known to be 0",
                 (long long)not_split, (long long)fetched_all);
    }
    snprintf(line, sizeof line,
             "In plain words: %s (Kendall's tau-b %s%.2f on the bands above, %lld visitors with a "
             "stress answer%s%s).%s",
             draw_tau_words(table->tau_b), table->tau_b >= 0 ? "" : "-", fabs(table->tau_b),
             (long long)table->with_stress,
             not_split > 0             ? left_out
             : table->unsplit_rows > 0 ? "; some waits could not be split and are left out"
                                       : "",
             table->merged_stress > 0 ? "; visitors published only with merged stress bands are "
                                        "left out"
                                      : "",
             table->with_stress < RESEARCH_REPORT_TAU_SMALL
                 ? " Few visitors: treat this as a hint, not a finding."
                 : " A tendency on coarse bands, not a cause.");
    if (!isfinite(table->tau_b)) {
        snprintf(line, sizeof line, "In plain words: the relation %s.",
                 draw_tau_words(table->tau_b));
    }
    y = draw_paragraph(cr, DRAW_MARGIN, y + 6, DRAW_CONTENT, 10, line);
    return y + 14;
}

static void draw_page_responses(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 10;
    if (!report->schema3) {
        y = draw_heading(cr, y, "Response rates, stress and waiting time");
        draw_not_recorded(cr, y, "Response denominators and stress x waiting time");
        return;
    }
    y = draw_response_tables(cr, report, y);
    /* per week: answered % of completed check-ins (weeks with both published) */
    char text[RESEARCH_REPORT_TEXT] = "";
    size_t used = 0;
    for (size_t w = 0; w < report->week_count && used < sizeof text; w++) {
        const struct research_report_week *week = &report->weeks[w];
        if (week->completed <= 0 || week->n[RESEARCH_AT_ARRIVAL] <= 0) {
            continue;
        }
        char label[RESEARCH_WEEK_SIZE];
        research_week_label(week->monday, label);
        int length =
            snprintf(text + used, sizeof text - used, "%s%s %.0f%% of %lld", used ? ";  " : "",
                     label, 100.0 * (double)week->n[RESEARCH_AT_ARRIVAL] / (double)week->completed,
                     (long long)week->completed);
        used += length > 0 ? (size_t)length : 0;
    }
    if (used > 0 && y < DRAW_PAGE_HEIGHT - 80) {
        y = draw_heading(cr, y, "Answered % of check-ins, per week");
        draw_font(cr, 7.8, false);
        draw_palette(cr, PALETTE_INK);
        draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 10.5, text);
    }
}

/* Stress x waiting time per phase, on its own page (about 250 points each). */
static void draw_page_stress_wait(cairo_t *cr, const struct research_report *report)
{
    double y = draw_wait_legend(cr, DRAW_MARGIN + 10);
    for (size_t p = 0; p < report->phase_count && y < DRAW_PAGE_HEIGHT - 280; p++) {
        y = draw_crosstab(cr, report, p, y + 6);
    }
}

/* The finest common bands of a set of published band counts: groups and their counts. */
static int draw_refine(const struct research_report_wait_bands *bands, int *first, int *last,
                       int64_t *n)
{
    bool cut[RESEARCH_REPORT_WAIT_BANDS];
    for (int b = 0; b < RESEARCH_REPORT_WAIT_BANDS; b++) {
        cut[b] = true;
    }
    for (int w1 = 0; w1 < RESEARCH_REPORT_WAIT_BANDS; w1++) {
        for (int w2 = w1 + 1; w2 < RESEARCH_REPORT_WAIT_BANDS; w2++) {
            for (int b = w1; b < w2 && bands->bands[w1][w2] > 0; b++) {
                cut[b] = false;
            }
        }
    }
    int groups = 0;
    first[0] = 0;
    for (int b = 0; b < RESEARCH_REPORT_WAIT_BANDS; b++) {
        if (b == RESEARCH_REPORT_WAIT_BANDS - 1 || cut[b]) {
            last[groups] = b;
            n[groups] = 0;
            groups++;
            if (b + 1 < RESEARCH_REPORT_WAIT_BANDS) {
                first[groups] = b + 1;
            }
        }
    }
    for (int w1 = 0; w1 < RESEARCH_REPORT_WAIT_BANDS; w1++) {
        for (int w2 = w1; w2 < RESEARCH_REPORT_WAIT_BANDS; w2++) {
            for (int g = 0; g < groups; g++) {
                n[g] += w1 >= first[g] && w1 <= last[g] ? bands->bands[w1][w2] : 0;
            }
        }
    }
    return groups;
}

static void draw_page_waiting(cairo_t *cr, const struct research_report *report)
{
    static const char *const names[RESEARCH_REPORT_MESSAGES] = {
        "\"usually L to H min\"", "\"the host knows\"", "not recorded"};
    double y = DRAW_MARGIN + 10;
    y = draw_heading(cr, y, "Waiting messages: what visitors were told, and how long they waited");
    if (!report->schema3) {
        draw_not_recorded(cr, y, "Waiting messages");
        return;
    }
    char cells[RESEARCH_REPORT_PHASES * RESEARCH_REPORT_MESSAGES][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table table = {
        .columns = 9,
        .widths = {58, 92, 40, 42, 44, 42, 62, 62, 65},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Message shown", "Shown", "Fetched", "No-show", "Not\nmarked",
                   "Waited less\nthan shown", "Within the\nrange shown", "Longer than\nshown"},
        .cells = cells,
    };
    for (size_t p = 0; p < report->phase_count; p++) {
        for (int m = 0; m < RESEARCH_REPORT_MESSAGES; m++) {
            const struct research_report_message *message = &report->phases[p].messages[m];
            if (message->shown == 0) {
                continue;
            }
            char(*row)[DRAW_CELL] = cells[table.rows++];
            snprintf(row[0], DRAW_CELL, "%s", report->phases[p].name);
            snprintf(row[1], DRAW_CELL, "%s", names[m]);
            draw_count(row[2], message->shown);
            draw_count(row[3], message->outcome[0]);
            draw_count(row[4], message->outcome[1]);
            draw_count(row[5], message->outcome[2]);
            int64_t judged = message->within[0] + message->within[1] + message->within[2];
            for (int w = 0; w < 3 && m == 0; w++) {
                draw_number(row[6 + w],
                            judged > 0 ? 100.0 * (double)message->within[w] / (double)judged : NAN,
                            0);
                if (judged > 0) {
                    snprintf(row[6 + w] + strlen(row[6 + w]), DRAW_CELL - strlen(row[6 + w]), "%%");
                }
            }
        }
    }
    y = draw_table(cr, y, &table) - 16;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
                       "Shares below / within / above are of the fetched visitors who saw a range "
                       "and whose split could be shown. A message split with a part below k is "
                       "not shown; such rows count nowhere here.") +
        10;
    y = draw_heading(cr, y, "Actual waiting time per message (share of the fetched visitors)");
    y = draw_wait_legend(cr, y + 2);
    for (size_t p = 0; p < report->phase_count; p++) {
        for (int m = 0; m < RESEARCH_REPORT_MESSAGES; m++) {
            const struct research_report_message *message = &report->phases[p].messages[m];
            if (message->waits.total == 0) {
                continue;
            }
            int first[RESEARCH_REPORT_WAIT_BANDS], last[RESEARCH_REPORT_WAIT_BANDS];
            int64_t n[RESEARCH_REPORT_WAIT_BANDS];
            int groups = draw_refine(&message->waits, first, last, n);
            char label[96];
            snprintf(label, sizeof label, "%s, %s", report->phases[p].name, names[m]);
            draw_font(cr, 7.4, false);
            draw_palette(cr, PALETTE_INK);
            draw_text_fit(cr, DRAW_MARGIN, y + 8, 150, DRAW_LEFT, label);
            draw_share_bar(cr, DRAW_MARGIN + 156, y, DRAW_CONTENT - 156, 11, n, first, last,
                           groups);
            y += 15;
        }
    }
    draw_font(cr, 7.6, false);
    draw_palette(cr, PALETTE_INK);
    draw_paragraph(cr, DRAW_MARGIN, y + 8, DRAW_CONTENT, 10,
                   "In plain words: each bar is everyone who saw that message and was fetched; "
                   "darker means a longer actual wait. Compare the bars of one phase to see "
                   "whether the range shown matched the wait that followed.");
}

#define DRAW_CODEBOOK_ROWS 46

/*
 * Does text hold right-to-left script (Hebrew, Arabic, Syriac, Thaana ... U+0590-U+08FF,
 * presentation forms U+FB1D-U+FEFF)? Cairo's toy text API neither shapes nor reorders it,
 * so the report names the export instead of printing it wrongly.
 */
static bool draw_is_right_to_left(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if ((c[0] >= 0xD6 && c[0] <= 0xDF) || (c[0] == 0xE0 && c[1] >= 0xA0 && c[1] <= 0xA3) ||
            (c[0] == 0xEF && c[1] >= 0xAC && c[1] <= 0xBB)) {
            return true;
        }
    }
    return false;
}

/* Copies text into a table cell, cut (when longer) at a UTF-8 character boundary. */
static void draw_cell_text(char *cell, const char *text)
{
    size_t length = strlen(text);
    if (length >= DRAW_CELL) {
        length = DRAW_CELL - 1;
        while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80) {
            length--; /* text[length] would be the first byte cut off: never a continuation */
        }
    }
    memcpy(cell, text, length);
    cell[length] = '\0';
}

static int draw_codebook_pages(const struct research_report *report)
{
    if (!report->schema3) {
        return 1; /* one page that says so */
    }
    size_t pages = (report->codebook_count + DRAW_CODEBOOK_ROWS - 1) / DRAW_CODEBOOK_ROWS;
    return pages > 0 ? (int)pages : 1;
}

static void draw_page_codebook(cairo_t *cr, const struct research_report *report, int page)
{
    double y = DRAW_MARGIN + 10;
    y = draw_heading(cr, y,
                     page == 0 ? "Appendix: codebook (exact wording) and configuration per phase"
                               : "Appendix: codebook (continued)");
    if (!report->schema3) {
        draw_not_recorded(cr, y, "The codebook and the configuration per phase");
        return;
    }
    if (page == 0) {
        y = draw_warnings(cr, report, y + 8, RESEARCH_REPORT_WARNINGS);
    }
    char cells[DRAW_CODEBOOK_ROWS][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table table = {
        .columns = 7,
        .widths = {44, 92, 26, 24, 211, 55, 55},
        .aligns = {DRAW_LEFT, DRAW_LEFT, DRAW_LEFT, DRAW_RIGHT, DRAW_LEFT, DRAW_LEFT, DRAW_LEFT},
        .header = {"Site", "Item / phase", "Lang", "Ver.", "Wording / config hash", "First day",
                   "Last day"},
        .cells = cells,
    };
    size_t from = (size_t)page * DRAW_CODEBOOK_ROWS;
    for (size_t i = from; i < report->codebook_count && table.rows < DRAW_CODEBOOK_ROWS; i++) {
        const struct research_report_wording *wording = &report->codebook[i];
        char(*row)[DRAW_CELL] = cells[table.rows++];
        draw_cell_text(row[0], wording->site);
        char item[DRAW_CELL + 8];
        snprintf(item, sizeof item, "%s%s", wording->version > 0 ? "" : "phase ", wording->item);
        draw_cell_text(row[1], item);
        snprintf(row[2], DRAW_CELL, "%s", wording->version > 0 ? wording->lang : "");
        if (wording->version > 0) {
            snprintf(row[3], DRAW_CELL, "%d", wording->version);
        }
        draw_cell_text(row[4], draw_is_right_to_left(wording->text)
                                   ? "(right-to-left script: see the export or the JSON)"
                                   : wording->text);
        research_day_format(wording->first_day, row[5]);
        research_day_format(wording->last_day, row[6]);
    }
    if (table.rows == 0) {
        draw_font(cr, 8.5, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, DRAW_MARGIN, y + 4, DRAW_LEFT,
                  "No wording was recorded in the exported weeks.");
        return;
    }
    y = draw_table(cr, y, &table) - 16;
    draw_font(cr, 7.2, false);
    draw_palette(cr, PALETTE_MUTED);
    draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
                   "Long wordings are cut here; the export (CSV codebook rows, JSON \"codebook\") "
                   "and the report's JSON hold them whole.");
}

enum draw_page_kind {
    PAGE_SUMMARY,
    PAGE_EVALUATION,
    PAGE_CHARTS,
    PAGE_SITES,
    PAGE_RESPONSES,
    PAGE_STRESS_WAIT,
    PAGE_WAITING,
    PAGE_CODEBOOK
};

/* The pages in order; the codebook appendix takes as many pages as it needs. */
static int draw_page_plan(const struct research_report *report, enum draw_page_kind *kinds,
                          int *codebook_first, int capacity)
{
    int count = 0;
    kinds[count++] = PAGE_SUMMARY;
    kinds[count++] = PAGE_EVALUATION;
    kinds[count++] = PAGE_CHARTS;
    if (report->site_count > 1) {
        kinds[count++] = PAGE_SITES;
    }
    kinds[count++] = PAGE_RESPONSES;
    if (report->schema3) {
        kinds[count++] = PAGE_STRESS_WAIT;
    }
    kinds[count++] = PAGE_WAITING;
    int appendix = draw_codebook_pages(report);
    for (int i = 0; i < appendix && count < capacity; i++) {
        codebook_first[count] = i;
        kinds[count++] = PAGE_CODEBOOK;
    }
    return count;
}

#define DRAW_MAX_PAGES 64

static int draw_page_count(const struct research_report *report)
{
    enum draw_page_kind kinds[DRAW_MAX_PAGES];
    int first[DRAW_MAX_PAGES];
    return draw_page_plan(report, kinds, first, DRAW_MAX_PAGES);
}

static void draw_page(cairo_t *cr, const struct research_report *report, int page)
{
    enum draw_page_kind kinds[DRAW_MAX_PAGES];
    int appendix_page[DRAW_MAX_PAGES];
    int count = draw_page_plan(report, kinds, appendix_page, DRAW_MAX_PAGES);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, DRAW_PAGE_WIDTH, DRAW_PAGE_HEIGHT);
    cairo_fill(cr);
    switch (page < count ? kinds[page] : PAGE_SUMMARY) {
    case PAGE_SUMMARY:
        draw_page_summary(cr, report);
        break;
    case PAGE_EVALUATION:
        draw_page_evaluation(cr, report);
        break;
    case PAGE_CHARTS:
        draw_page_charts(cr, report);
        break;
    case PAGE_SITES:
        draw_page_sites(cr, report);
        break;
    case PAGE_RESPONSES:
        draw_page_responses(cr, report);
        break;
    case PAGE_STRESS_WAIT:
        draw_page_stress_wait(cr, report);
        break;
    case PAGE_WAITING:
        draw_page_waiting(cr, report);
        break;
    case PAGE_CODEBOOK:
        draw_page_codebook(cr, report, appendix_page[page]);
        break;
    }
    char footer[64];
    snprintf(footer, sizeof footer, "Oase research report  -  %d / %d", page + 1,
             draw_page_count(report));
    draw_font(cr, 7, false);
    draw_palette(cr, PALETTE_MUTED);
    draw_text(cr, DRAW_PAGE_WIDTH - DRAW_MARGIN, DRAW_PAGE_HEIGHT - 22, DRAW_RIGHT, footer);
}

static bool draw_has_suffix(const char *path, const char *suffix)
{
    size_t length = strlen(path), suffix_length = strlen(suffix);
    return length > suffix_length && strcasecmp(path + length - suffix_length, suffix) == 0;
}

int research_report_render(const struct research_report *report, const char *path, char *err,
                           size_t err_size)
{
    int pages = draw_page_count(report);
    bool pdf = draw_has_suffix(path, ".pdf"), svg = draw_has_suffix(path, ".svg");
    bool png = draw_has_suffix(path, ".png");
    if (!pdf && !svg && !png) {
        snprintf(err, err_size, "--out %s: give a file name ending in .pdf, .svg or .png", path);
        return -EINVAL;
    }
    double height = pdf ? DRAW_PAGE_HEIGHT : DRAW_PAGE_HEIGHT * pages;
    cairo_surface_t *surface =
        pdf   ? cairo_pdf_surface_create(path, DRAW_PAGE_WIDTH, height)
        : svg ? cairo_svg_surface_create(path, DRAW_PAGE_WIDTH, height)
              : cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                           (int)ceil(DRAW_PAGE_WIDTH * DRAW_PNG_SCALE),
                                           (int)ceil(height * DRAW_PNG_SCALE));
    cairo_t *cr = cairo_create(surface);
    if (png) {
        cairo_scale(cr, DRAW_PNG_SCALE, DRAW_PNG_SCALE);
    }
    for (int page = 0; page < pages; page++) {
        cairo_save(cr);
        if (!pdf) {
            cairo_translate(cr, 0, page * DRAW_PAGE_HEIGHT);
        }
        draw_page(cr, report, page);
        cairo_restore(cr);
        if (pdf) {
            cairo_show_page(cr);
        }
    }
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS && png) {
        status = cairo_surface_write_to_png(surface, path);
    }
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        snprintf(err, err_size, "%s: cannot write the report: %s", path,
                 cairo_status_to_string(status));
        return -EIO;
    }
    return 0;
}
