/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_draw (internal): the page geometry and the drawing primitives the files
 * that draw the report on paper share (research_report_draw*.c). Nothing outside them
 * includes this; the report's interface is research_report.h.
 */
#ifndef OASE_RESEARCH_REPORT_DRAW_H
#define OASE_RESEARCH_REPORT_DRAW_H

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

#include "research/research_report.h"
#include "ui/palette.h"

#define DRAW_PAGE_WIDTH 595.28 /* A4 in points */
#define DRAW_PAGE_HEIGHT 841.89
#define DRAW_MARGIN 44.0
#define DRAW_CONTENT (DRAW_PAGE_WIDTH - 2 * DRAW_MARGIN)
#define DRAW_PNG_SCALE 2.0 /* 144 dpi: readable on a screen */
#define DRAW_FONT "Noto Sans"
#define DRAW_GRID 0xDDD6C8
#define DRAW_RULE 0xB9B1A2

enum draw_align { DRAW_LEFT, DRAW_RIGHT, DRAW_CENTRE };
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

/* research_report_draw_summary.c */
void draw_page_evaluation(cairo_t *cr, const struct research_report *report);
double draw_warnings(cairo_t *cr, const struct research_report *report, double y, size_t most);
void draw_page_summary(cairo_t *cr, const struct research_report *report);

/* research_report_draw_randomised.c */
void draw_page_randomised(cairo_t *cr, const struct research_report *report);
/* research_report_draw_charts.c */
void draw_page_charts(cairo_t *cr, const struct research_report *report);
void draw_page_sites(cairo_t *cr, const struct research_report *report);

/* research_report_draw_schema3.c */
void draw_page_responses(cairo_t *cr, const struct research_report *report);
void draw_page_stress_wait(cairo_t *cr, const struct research_report *report);
void draw_page_waiting(cairo_t *cr, const struct research_report *report);
int draw_codebook_pages(const struct research_report *report);
void draw_page_codebook(cairo_t *cr, const struct research_report *report, int page);

/* research_report_draw.c */
void draw_colour(cairo_t *cr, unsigned rgb, double alpha);
void draw_palette(cairo_t *cr, SDL_Color colour);
unsigned draw_phase_colour(int phase);
void draw_font(cairo_t *cr, double size, bool bold);
double draw_text_width(cairo_t *cr, const char *text);
void draw_text(cairo_t *cr, double x, double y, enum draw_align align, const char *text);
void draw_text_fit(cairo_t *cr, double x, double y, double width, enum draw_align align,
                   const char *text);
double draw_paragraph(cairo_t *cr, double x, double y, double width, double line_height,
                      const char *text);
double draw_heading(cairo_t *cr, double y, const char *text);
double draw_table(cairo_t *cr, double y, const struct draw_table *table);
void draw_number(char *buf, double value, int decimals);
void draw_range(char *buf, double low, double high, int decimals);
void draw_count(char *buf, int64_t value);

#endif /* OASE_RESEARCH_REPORT_DRAW_H */
