/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw: the report on paper (see research_report.h). Cairo draws A4 pages in
 * points: page 1 the summary in Dutch and English and the tables, page 2 the charts
 * (distribution per phase, weekly trend with the phase change marked, waiting times),
 * page 3 the sites when there are several. PDF gets one page each; SVG and PNG stack them.
 * Colours come from the kiosk's palette (docs/design.md "Look and feel"); text is Noto Sans.
 * This file holds the primitives, the page plan and the output; the pages are drawn in
 * research_report_draw_summary.c, _charts.c and _schema3.c.
 */
#include "research/research_report_draw.h"

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

/* Phase colours: the kiosk's deep sage and sea first, then warm tones that print apart. */
static const unsigned draw_phase_colours[] = {0x2F6B5E, 0x3F6E8C, 0xB8692E, 0x7A5C8C,
                                              0x8C7A3F, 0x5A6A70, 0x9C4F5B, 0x3F8C86};

void draw_colour(cairo_t *cr, unsigned rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                          (rgb & 0xFF) / 255.0, alpha);
}

void draw_palette(cairo_t *cr, SDL_Color colour)
{
    cairo_set_source_rgb(cr, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
}

unsigned draw_phase_colour(int phase)
{
    size_t count = sizeof draw_phase_colours / sizeof draw_phase_colours[0];
    return draw_phase_colours[(size_t)(phase < 0 ? 0 : phase) % count];
}

void draw_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, DRAW_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double draw_text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    return extents.x_advance;
}

/* Text with its baseline at y, aligned at x. */
void draw_text(cairo_t *cr, double x, double y, enum draw_align align, const char *text)
{
    double width = draw_text_width(cr, text);
    double left = align == DRAW_LEFT ? x : align == DRAW_RIGHT ? x - width : x - width / 2;
    cairo_move_to(cr, left, y);
    cairo_show_text(cr, text);
}

/* Text cut with "..." to fit width. */
void draw_text_fit(cairo_t *cr, double x, double y, double width, enum draw_align align,
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
double draw_paragraph(cairo_t *cr, double x, double y, double width, double line_height,
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

double draw_heading(cairo_t *cr, double y, const char *text)
{
    draw_font(cr, 11.5, true);
    draw_palette(cr, PALETTE_INK);
    draw_text(cr, DRAW_MARGIN, y, DRAW_LEFT, text);
    return y + 15;
}

double draw_table(cairo_t *cr, double y, const struct draw_table *table)
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

void draw_number(char *buf, double value, int decimals)
{
    if (!isfinite(value)) {
        snprintf(buf, DRAW_CELL, "-");
    } else {
        snprintf(buf, DRAW_CELL, "%.*f", decimals, value);
    }
}

/* A value, or "low-high" when a range allows no single value; "60+" style when open. */
void draw_range(char *buf, double low, double high, int decimals)
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

void draw_count(char *buf, int64_t value)
{
    snprintf(buf, DRAW_CELL, "%lld", (long long)value);
}

enum draw_page_kind {
    PAGE_SUMMARY,
    PAGE_EVALUATION,
    PAGE_RANDOMISED,
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
    if (report->randomised.present) {
        kinds[count++] = PAGE_RANDOMISED;
    }
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
    case PAGE_RANDOMISED:
        draw_page_randomised(cr, report);
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
