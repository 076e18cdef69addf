/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw_randomised: the report's page on a randomised room (research_report.h,
 * struct research_report_randomised): per condition the days, the mean of the day means, the
 * difference to the reference with its interval and randomisation p, then how the days were
 * allocated and analysed, and the warnings. Drawn only when the export holds experiment days.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"
#include "research/research_report_draw.h"

/* Is the outcome a share in % (a day's figure 0..100) rather than a mean on the 0-10 scale? */
static bool draw_randomised_share(const struct research_report_randomised *section)
{
    return section->measure == RESEARCH_MEASURE_WAIT_MINUTES ||
           RESEARCH_MEASURE_IS_STRESS_SHARE(section->measure);
}

/* Each day's mean by date, coloured by its condition: the allocation and the outcome at a glance.
 */
/* Condition c's marker at (x, y): a disc, a square, a triangle, a diamond, then again, so the
   conditions differ in shape as well as colour (a reader who cannot tell the colours apart). */
static void draw_condition_marker(cairo_t *cr, int c, double x, double y, double r)
{
    cairo_new_path(cr);
    switch (c % 4) {
    case 0:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case 1:
        cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
        break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.1, y + r * 0.8);
        cairo_line_to(cr, x - r * 1.1, y + r * 0.8);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y - r * 1.3);
        cairo_line_to(cr, x + r * 1.1, y);
        cairo_line_to(cr, x, y + r * 1.3);
        cairo_line_to(cr, x - r * 1.1, y);
        cairo_close_path(cr);
        break;
    }
    cairo_fill(cr);
}

static double draw_days_chart(cairo_t *cr, const struct research_report_randomised *section,
                              double y)
{
    int32_t first = INT32_MAX, last = INT32_MIN;
    double low = 0, high = 10;
    for (size_t i = 0; i < section->day_count; i++) {
        first = section->days[i].day < first ? section->days[i].day : first;
        last = section->days[i].day > last ? section->days[i].day : last;
    }
    bool share = draw_randomised_share(section);
    if (share) {
        high = 100; /* a share in %: waiting 30 minutes or more, stress at or above the cut */
    }
    if (section->day_count == 0) {
        return y;
    }
    y = draw_heading(cr, y,
                     share ? "Day shares (%) by date and condition (whiskers: ranges)"
                           : "Day means by date and condition (whiskers: ranges)");
    const double left = DRAW_MARGIN + 28, width = DRAW_CONTENT - 28, height = 170;
    double span = last > first ? (double)(last - first) : 1.0;
    draw_font(cr, 7, false);
    for (int tick = 0; tick <= 5; tick++) {
        double value = low + (high - low) * tick / 5.0, at = y + height - height * tick / 5.0;
        draw_colour(cr, DRAW_GRID, 1);
        cairo_move_to(cr, left, at);
        cairo_line_to(cr, left + width, at);
        cairo_stroke(cr);
        char label[16];
        snprintf(label, sizeof label, "%.0f", value);
        draw_palette(cr, PALETTE_MUTED);
        draw_text(cr, left - 4, at + 2.5, DRAW_RIGHT, label);
    }
    for (size_t i = 0; i < section->day_count; i++) {
        const struct research_randomised_day *day = &section->days[i];
        double mean_low = day->mean, mean_high = section->days_high[i].mean;
        if (!isfinite(mean_low)) {
            continue;
        }
        double x = left + 4 + (width - 8) * (double)(day->day - first) / span;
        double y_low = y + height - height * (mean_low - low) / (high - low);
        double y_high = y + height - height * (fmin(mean_high, high) - low) / (high - low);
        draw_colour(cr, draw_phase_colour(day->condition), 1);
        if (y_high < y_low - 0.5) {
            cairo_move_to(cr, x, y_low);
            cairo_line_to(cr, x, y_high);
            cairo_stroke(cr);
        }
        draw_condition_marker(cr, day->condition, x, y_low, 2.6); /* a new path: no line from
                                                                     the last label */
    }
    double key = y + height + 16;
    char date[RESEARCH_DATE_SIZE];
    draw_palette(cr, PALETTE_MUTED);
    research_day_format(first, date);
    draw_text(cr, left, key - 4, DRAW_LEFT, date);
    research_day_format(last, date);
    draw_text(cr, left + width, key - 4, DRAW_RIGHT, date);
    double x = left + width / 3;
    for (int c = 0; c < section->condition_count; c++) {
        draw_colour(cr, draw_phase_colour(c), 1);
        draw_condition_marker(cr, c, x, key - 6.5, 3);
        draw_palette(cr, PALETTE_INK);
        draw_text(cr, x + 6, key - 4, DRAW_LEFT, section->conditions[c]);
        x += draw_text_width(cr, section->conditions[c]) + 24;
    }
    return key + 14;
}

void draw_page_randomised(cairo_t *cr, const struct research_report *report)
{
    const struct research_report_randomised *section = &report->randomised;
    char heading[128];
    snprintf(heading, sizeof heading, "A randomised room: experiment %s (day as the unit)",
             section->experiment);
    double y = draw_heading(cr, DRAW_MARGIN + 10, heading);
    char text[RESEARCH_REPORT_TEXT];
    snprintf(text, sizeof text,
             "Outcome: %s, %s. The kiosk drew each open day's condition by lot in blocks (every "
             "block of %d open days holds each condition once) and recorded %d days (%d seed%s). "
             "Difference: %s against the reference %s. p: share of %d "
             "allocations re-drawn with the kiosk's rule that differ at least as much. Interval: "
             "the shifts that test does not reject (alpha %.3g). Days without answers of their "
             "own: %d; published only as a week: %d. Host overrides: %d on %d days (analysed "
             "as allocated).",
             research_measure_outcome(section->measure), research_measure_name(section->measure),
             section->condition_count, section->days_recorded, section->seeds,
             section->seeds == 1 ? "" : "s",
             draw_randomised_share(section) ? "mean of the day shares, in percentage points"
                                            : "mean of the day means",
             section->condition_count > 0 ? section->conditions[0] : "-", RESEARCH_RANDOMISED_DRAWS,
             report->evaluation.alpha, section->days_without_outcome, section->days_week_only,
             section->overrides, section->days_overridden);
    draw_font(cr, 8.5, false);
    draw_palette(cr, PALETTE_INK);
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 11.5, text) + 8;
    if (!section->available) {
        draw_font(cr, 9, true);
        snprintf(text, sizeof text, "Not analysed: %s.", section->reason);
        draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 12, text);
        return;
    }
    char cells[EXPERIMENT_CONDITIONS_MAX][DRAW_TABLE_COLUMNS][DRAW_CELL];
    struct draw_table table = {
        .columns = 7,
        .widths = {112, 56, 62, 70, 76, 70, 61},
        .aligns = {DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT},
        .header = {"Condition", "Days run", "With answers", "Mean of days", "Difference",
                   "95 % interval", "p"},
        .cells = cells,
    };
    for (int c = 0; c < section->condition_count; c++) {
        const struct research_randomised_condition *low = &section->low.conditions[c];
        const struct research_randomised_condition *high = &section->high.conditions[c];
        char(*row)[DRAW_CELL] = cells[table.rows++];
        snprintf(row[0], DRAW_CELL, "%.40s%s", section->conditions[c],
                 c == 0 ? " (reference)" : "");
        draw_count(row[1], section->days_run[c]);
        draw_count(row[2], low->days);
        int decimals = draw_randomised_share(section) ? 1 : 2;
        draw_range(row[3], fmin(low->mean, high->mean), fmax(low->mean, high->mean), decimals);
        if (c == 0) {
            snprintf(row[4], DRAW_CELL, "-");
            snprintf(row[5], DRAW_CELL, "-");
            snprintf(row[6], DRAW_CELL, "-");
            continue;
        }
        draw_range(row[4], fmin(low->estimate, high->estimate), fmax(low->estimate, high->estimate),
                   decimals);
        char from[DRAW_CELL], to[DRAW_CELL];
        draw_number(from, fmin(low->ci_low, high->ci_low), decimals);
        draw_number(to, fmax(low->ci_high, high->ci_high), decimals);
        snprintf(row[5], DRAW_CELL, "%.20s to %.20s", from, to);
        double p = fmax(low->p, high->p);
        if (p < 0.001) {
            snprintf(row[6], DRAW_CELL, "< 0.001");
        } else {
            draw_number(row[6], p, 3);
        }
    }
    y = draw_table(cr, y, &table) + 16;
    y = draw_days_chart(cr, section, y) + 6;
    for (size_t i = 0; i < section->warning_count && y < DRAW_PAGE_HEIGHT - 80; i++) {
        draw_font(cr, 8, false);
        draw_palette(cr, PALETTE_MUTED);
        snprintf(text, sizeof text, "Note: %s.", section->warnings[i]);
        y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 10.5, text) + 4;
    }
    if (section->ranged && y < DRAW_PAGE_HEIGHT - 80) {
        draw_font(cr, 8, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 10.5,
                       "Some answers were published only as ranges (k): each figure is given "
                       "from its lowest to its highest possible value (a difference: its "
                       "condition at one end, the reference at the other), p under the less "
                       "favourable end, 1 when the ranges allow no difference.");
    }
}
