/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw_charts: the report's charts page (see research_report_draw.h): the
 * distribution per phase, the weekly trend with the phase change marked, the waiting times,
 * and the sites page when there are several.
 */
#include "research/research_report_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "research/research_period.h"

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

void draw_page_charts(cairo_t *cr, const struct research_report *report)
{
    double y = DRAW_MARGIN + 10;
    y = draw_distribution_chart(cr, report, y);
    y = draw_trend_chart(cr, report, y);
    draw_wait_chart(cr, report, y);
}

void draw_page_sites(cairo_t *cr, const struct research_report *report)
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
