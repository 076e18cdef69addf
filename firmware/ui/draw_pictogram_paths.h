/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * draw_pictogram_paths: the grid, the stroke and the small path helpers every pictogram is
 * drawn with, shared by draw_pictograms.c (the signage and the table) and draw_emblems.c
 * (the nature emblems). Only those two include this.
 */
#ifndef OASE_DRAW_PICTOGRAM_PATHS_H
#define OASE_DRAW_PICTOGRAM_PATHS_H

#include <math.h>
#include <stddef.h>

#include <cairo.h>

#define GRID 24.0
#define STROKE 2.0

typedef void (*pictogram_fn)(cairo_t *cr);

static inline void line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static inline void ring(cairo_t *cr, double cx, double cy, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    cairo_stroke(cr);
}

static inline void dot(cairo_t *cr, double cx, double cy, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    cairo_fill(cr);
}

static inline void path_round_box(cairo_t *cr, double x0, double y0, double x1, double y1, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x1 - r, y0 + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x1 - r, y1 - r, r, 0, M_PI / 2);
    cairo_arc(cr, x0 + r, y1 - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* Clears the current path plus a margin around it, so what is drawn next reads in front. */
static inline void erase_path(cairo_t *cr, double margin)
{
    cairo_save(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, STROKE + 2 * margin);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Two strokes from tip back along -direction, spread +-40 degrees: an open arrowhead. */
static inline void arrow_head(cairo_t *cr, double tip_x, double tip_y, double dir_x, double dir_y,
                              double length)
{
    double norm = hypot(dir_x, dir_y);
    double back_x = -dir_x / norm, back_y = -dir_y / norm;
    double spread = 40.0 * M_PI / 180.0;
    double c = cos(spread), s = sin(spread);
    cairo_move_to(cr, tip_x + length * (back_x * c - back_y * s),
                  tip_y + length * (back_x * s + back_y * c));
    cairo_line_to(cr, tip_x, tip_y);
    cairo_line_to(cr, tip_x + length * (back_x * c + back_y * s),
                  tip_y + length * (-back_x * s + back_y * c));
    cairo_stroke(cr);
}

/* A walking figure facing right, feet on y = 21. */
static inline void walker(cairo_t *cr, double x)
{
    dot(cr, x + 1.2, 4.4, 2.3);
    cairo_move_to(cr, x + 0.6, 8.6);
    cairo_line_to(cr, x - 0.6, 14.0);
    cairo_line_to(cr, x - 3.2, 20.6);
    cairo_stroke(cr);
    cairo_move_to(cr, x - 0.6, 14.0);
    cairo_line_to(cr, x + 2.2, 17.0);
    cairo_line_to(cr, x + 2.4, 20.8);
    cairo_stroke(cr);
    cairo_move_to(cr, x - 2.8, 12.4);
    cairo_line_to(cr, x + 0.4, 9.4);
    cairo_line_to(cr, x + 3.4, 12.0);
    cairo_stroke(cr);
}

/* The nature emblems: draw_emblems.c */
void pictogram_butterfly(cairo_t *cr);
void pictogram_heron(cairo_t *cr);
void pictogram_leaf(cairo_t *cr);
void pictogram_shell(cairo_t *cr);
void pictogram_acorn(cairo_t *cr);
void pictogram_fern(cairo_t *cr);
void pictogram_willow(cairo_t *cr);
void pictogram_robin(cairo_t *cr);
void pictogram_pebble(cairo_t *cr);
void pictogram_moss(cairo_t *cr);
void pictogram_dune(cairo_t *cr);
void pictogram_brook(cairo_t *cr);
void pictogram_swallow(cairo_t *cr);
void pictogram_clover(cairo_t *cr);
void pictogram_birch(cairo_t *cr);
void pictogram_tulip(cairo_t *cr);
void pictogram_hedgehog(cairo_t *cr);
void pictogram_reed(cairo_t *cr);
void pictogram_starling(cairo_t *cr);
void pictogram_lily(cairo_t *cr);
void pictogram_swan(cairo_t *cr);
void pictogram_maple(cairo_t *cr);
void pictogram_pine(cairo_t *cr);
void pictogram_sea_wave(cairo_t *cr);
void pictogram_star(cairo_t *cr);
void pictogram_dolphin(cairo_t *cr);
void pictogram_cherry(cairo_t *cr);

#endif /* OASE_DRAW_PICTOGRAM_PATHS_H */
