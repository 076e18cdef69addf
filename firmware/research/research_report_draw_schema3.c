/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw_schema3: the report's pages for what schema 3 added (see
 * research_report_draw.h): the responses, stress by waiting time, the waiting messages
 * against the waits that followed, and the codebook appendix.
 */
#include "research/research_report_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "research/research_period.h"

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
    bool per_part = false; /* answers written per day (schema 4) have no part of the day */
    bool per_service = false;
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_responses *responses = &report->phases[p].responses;
        for (int part = 0; part < 4; part++) {
            per_part = per_part || responses->by_part[part][0] + responses->by_part[part][1] > 0;
        }
        per_service = per_service || responses->service_count > 0;
    }
    y = draw_heading(cr, y, "Response rates: the stress question on arrival");
    y = draw_table(cr, y, &rates) - 16;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    char note[640];
    snprintf(note, sizeof note,
             "Answered, skipped and hidden as in the stress table (hidden: in remainders, answer "
             "or skip unknown); not asked where at least k. Started = completed plus abandoned "
             "check-ins. %s",
             per_part && per_service
                 ? "The two tables below use the response counts, split by part of the day and "
                   "by service only in periods the export could split (no hidden answers): "
                   "shares of those asked there."
             : per_part || per_service
                 ? "The table below uses the response counts, split only in periods the export "
                   "could split (no hidden answers): shares of those asked there."
                 : "No period could be split by part of the day or by service (a split is "
                   "shown only where no answer is hidden and every part holds at least k): those "
                   "tables are left out.");
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5, note) + 14;

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
    if (services.rows > 0) { /* an empty table is left out */
        y = draw_heading(cr, y, "Answered % of those asked, per service");
        y = draw_table(cr, y, &services) - 16;
    }
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

void draw_page_responses(cairo_t *cr, const struct research_report *report)
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
void draw_page_stress_wait(cairo_t *cr, const struct research_report *report)
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

/* Desks' claims per phase: how many fetched visitors a desk claimed first, and how long
   from the claim to the mark; published cells only ("-" where a band is not published). */
static void draw_claims(cairo_t *cr, const struct research_report *report, double y)
{
    y = draw_heading(cr, y,
                     "Desks' claims: fetched visitors a desk claimed first (\"Ik haal deze\")");
    char cells[RESEARCH_REPORT_PHASES][DRAW_TABLE_COLUMNS][DRAW_CELL];
    memset(cells, 0, sizeof cells);
    struct draw_table table = {
        .columns = 9,
        .widths = {66, 52, 52, 60, 50, 50, 50, 50, 77},
        .aligns = {DRAW_LEFT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT,
                   DRAW_RIGHT, DRAW_RIGHT, DRAW_RIGHT},
        .header = {"Phase", "Fetched", "Claimed\nfirst", "Claimed %", "0-2 min", "2-5 min",
                   "5-15 min", "15+ min", "Claimed, bands\nmerged"},
        .cells = cells,
    };
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_claims *claims = &report->phases[p].claims;
        if (!claims->recorded) {
            continue;
        }
        char(*row)[DRAW_CELL] = cells[table.rows++];
        snprintf(row[0], DRAW_CELL, "%s", report->phases[p].name);
        int64_t fetched = claims->claimed + claims->unclaimed;
        draw_count(row[1], fetched);
        draw_count(row[2], claims->claimed);
        bool whole = claims->hidden == 0 && claims->unknown == 0; /* else the share is biased */
        draw_number(row[3],
                    fetched > 0 && whole ? 100.0 * (double)claims->claimed / (double)fetched : NAN,
                    0);
        if (fetched > 0 && whole) {
            snprintf(row[3] + strlen(row[3]), DRAW_CELL - strlen(row[3]), "%%");
        }
        for (int b = 0; b < RESEARCH_CLAIM_BANDS; b++) {
            if (claims->bands[b] > 0) {
                draw_count(row[4 + b], claims->bands[b]);
            } else {
                snprintf(row[4 + b], DRAW_CELL, "-");
            }
        }
        draw_count(row[8], claims->ranged);
    }
    if (table.rows == 0) {
        draw_font(cr, 8.5, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text_fit(cr, DRAW_MARGIN, y, DRAW_CONTENT, DRAW_LEFT,
                      report->claims_table
                          ? "No desk marked a visitor in the weeks shown: nothing to count."
                          : "Not recorded in this database (kiosk firmware with schema 5 counts "
                            "desks' claims).");
        return;
    }
    y = draw_table(cr, y, &table) - 16;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    draw_paragraph(
        cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
        "Only published cells: a band with fewer than k visitors is merged with its "
        "neighbours (last column) or not shown (\"-\"); fetched visitors in a "
        "remainder or a suppressed cell count nowhere here, and the share is left out "
        "(\"-\") when some are. Claims are counted per day, never per hour or room context.");
}

void draw_page_waiting(cairo_t *cr, const struct research_report *report)
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
            for (int o = 0; o < 3; o++) { /* "-", not 0, where the split was not shown */
                if (message->outcome[o] == 0 && report->phases[p].outcome_unsplit[o]) {
                    snprintf(row[3 + o], DRAW_CELL, "-");
                } else {
                    draw_count(row[3 + o], message->outcome[o]);
                }
            }
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
    if (table.rows == 0) { /* an empty table is left out, and its bars with it */
        draw_font(cr, 8.5, false);
        draw_palette(cr, PALETTE_MUTED);
        draw_text_fit(cr, DRAW_MARGIN, y + 4, DRAW_CONTENT, DRAW_LEFT,
                      "No waiting message was recorded in the weeks shown.");
        draw_claims(cr, report, y + 36);
        return;
    }
    y = draw_table(cr, y, &table) - 16;
    draw_font(cr, 7.4, false);
    draw_palette(cr, PALETTE_MUTED);
    y = draw_paragraph(cr, DRAW_MARGIN, y, DRAW_CONTENT, 9.5,
                       "Shares below / within / above are of the fetched visitors who saw a range "
                       "and whose split could be shown. A message split with a part below k is "
                       "not shown; such rows count nowhere here (\"-\": all of them).") +
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
    y = draw_paragraph(cr, DRAW_MARGIN, y + 8, DRAW_CONTENT, 10,
                       "In plain words: each bar is everyone who saw that message and was fetched; "
                       "darker means a longer actual wait. Compare the bars of one phase to see "
                       "whether the range shown matched the wait that followed.") +
        14;
    draw_claims(cr, report, y);
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

int draw_codebook_pages(const struct research_report *report)
{
    if (!report->schema3) {
        return 1; /* one page that says so */
    }
    size_t pages = (report->codebook_count + DRAW_CODEBOOK_ROWS - 1) / DRAW_CODEBOOK_ROWS;
    return pages > 0 ? (int)pages : 1;
}

void draw_page_codebook(cairo_t *cr, const struct research_report *report, int page)
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
