/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * draw_emblems: the nature emblems among the pictograms (the butterfly, the heron ... and
 * the nature words of the friendly names, firmware/i18n/nature_words.h), in the same style
 * and on the same grid as the signage (draw_pictogram_paths.h); draw_pictograms.c holds the
 * table that names them.
 */
#include <math.h>

#include "ui/draw_pictogram_paths.h"

static void butterfly_wings(cairo_t *cr)
{
    cairo_move_to(cr, 11.0, 10.5);
    cairo_curve_to(cr, 8.5, 4.0, 2.5, 2.0, 2.5, 7.0);
    cairo_curve_to(cr, 2.5, 10.5, 5.5, 12.5, 11.0, 12.5);
    cairo_stroke(cr);
    cairo_move_to(cr, 11.0, 13.5);
    cairo_curve_to(cr, 6.0, 13.5, 3.5, 16.5, 5.0, 19.5);
    cairo_curve_to(cr, 6.5, 21.5, 10.0, 19.0, 11.0, 15.5);
    cairo_stroke(cr);
    cairo_move_to(cr, 11.5, 8.0);
    cairo_curve_to(cr, 11.0, 6.0, 10.0, 4.5, 8.5, 3.2);
    cairo_stroke(cr);
}

void pictogram_butterfly(cairo_t *cr)
{
    line(cr, 12.0, 8.5, 12.0, 18.0);
    butterfly_wings(cr);
    cairo_save(cr);
    cairo_translate(cr, GRID, 0);
    cairo_scale(cr, -1, 1);
    butterfly_wings(cr);
    cairo_restore(cr);
}

void pictogram_heron(cairo_t *cr)
{
    /* A heron standing in shallow water, facing left. */
    dot(cr, 8.0, 4.5, 1.8);
    line(cr, 6.5, 5.0, 2.5, 6.5);
    cairo_move_to(cr, 9.2, 5.2);
    cairo_curve_to(cr, 12.0, 7.0, 6.0, 9.0, 9.5, 12.5);
    cairo_curve_to(cr, 12.5, 10.0, 18.0, 10.5, 21.0, 15.0);
    cairo_curve_to(cr, 17.0, 16.5, 12.0, 16.0, 9.5, 12.5);
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 13.5, 15.8, 13.5, 21.0);
    line(cr, 15.5, 16.0, 16.5, 21.0);
    line(cr, 9.5, 21.5, 20.5, 21.5);
}

void pictogram_leaf(cairo_t *cr)
{
    cairo_move_to(cr, 5.0, 19.0);
    cairo_curve_to(cr, 3.5, 10.0, 10.0, 3.5, 20.5, 3.5);
    cairo_curve_to(cr, 20.5, 14.0, 14.0, 20.5, 5.0, 19.0);
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 2.5, 21.5, 14.0, 10.0);
}

void pictogram_shell(cairo_t *cr)
{
    /* A scallop: a fan with a scalloped rim, ribs from the hinge, and two small ears. */
    cairo_move_to(cr, 10.0, 17.5);
    cairo_line_to(cr, 2.5, 10.5);
    cairo_curve_to(cr, 2.0, 8.0, 4.0, 5.5, 5.5, 6.5);
    cairo_curve_to(cr, 6.5, 4.0, 9.0, 2.8, 10.5, 4.2);
    cairo_curve_to(cr, 11.5, 2.5, 12.5, 2.5, 13.5, 4.2);
    cairo_curve_to(cr, 15.0, 2.8, 17.5, 4.0, 18.5, 6.5);
    cairo_curve_to(cr, 20.0, 5.5, 22.0, 8.0, 21.5, 10.5);
    cairo_line_to(cr, 14.0, 17.5);
    cairo_stroke(cr);
    line(cr, 12.0, 16.5, 12.0, 6.5);
    line(cr, 11.0, 16.5, 7.5, 8.5);
    line(cr, 13.0, 16.5, 16.5, 8.5);
    cairo_move_to(cr, 10.0, 17.5);
    cairo_line_to(cr, 7.5, 21.0);
    cairo_line_to(cr, 16.5, 21.0);
    cairo_line_to(cr, 14.0, 17.5);
    cairo_close_path(cr);
    cairo_stroke(cr);
}

void pictogram_acorn(cairo_t *cr)
{
    cairo_move_to(cr, 4.0, 11.0);
    cairo_curve_to(cr, 4.0, 5.5, 20.0, 5.5, 20.0, 11.0);
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 12.0, 7.0, 13.0, 3.0);
    cairo_move_to(cr, 6.0, 11.0);
    cairo_curve_to(cr, 6.0, 16.5, 9.0, 20.0, 12.0, 21.5);
    cairo_curve_to(cr, 15.0, 20.0, 18.0, 16.5, 18.0, 11.0);
    cairo_stroke(cr);
}

/* The fern's arching stem: a cubic Bezier; its point and direction at t in [0, 1]. */
static const double fern_stem[4][2] = {{9.0, 22.0}, {9.0, 13.5}, {12.5, 7.0}, {20.5, 4.5}};

static void fern_point(double t, double *x, double *y, double *dx, double *dy)
{
    const double(*p)[2] = fern_stem;
    double u = 1.0 - t;
    *x = u * u * u * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] +
         t * t * t * p[3][0];
    *y = u * u * u * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] +
         t * t * t * p[3][1];
    *dx = 3 * u * u * (p[1][0] - p[0][0]) + 6 * u * t * (p[2][0] - p[1][0]) +
          3 * t * t * (p[3][0] - p[2][0]);
    *dy = 3 * u * u * (p[1][1] - p[0][1]) + 6 * u * t * (p[2][1] - p[1][1]) +
          3 * t * t * (p[3][1] - p[2][1]);
}

void pictogram_fern(cairo_t *cr)
{
    /* An arching frond: leaflets on both sides, sweeping towards the tip, shrinking. */
    cairo_move_to(cr, fern_stem[0][0], fern_stem[0][1]);
    cairo_curve_to(cr, fern_stem[1][0], fern_stem[1][1], fern_stem[2][0], fern_stem[2][1],
                   fern_stem[3][0], fern_stem[3][1]);
    cairo_stroke(cr);
    for (int i = 0; i < 5; i++) {
        double x, y, dx, dy;
        fern_point(0.14 + 0.16 * i, &x, &y, &dx, &dy);
        double norm = hypot(dx, dy);
        double along_x = dx / norm, along_y = dy / norm; /* towards the tip */
        double length = 6.5 - 1.05 * i;
        for (int side = -1; side <= 1; side += 2) {
            double across_x = -along_y * side, across_y = along_x * side;
            double end_x = x + length * (0.9 * across_x + 0.4 * along_x);
            double end_y = y + length * (0.9 * across_y + 0.4 * along_y);
            cairo_move_to(cr, x, y);
            cairo_curve_to(cr, x + length * 0.5 * across_x, y + length * 0.5 * across_y, end_x,
                           end_y, end_x, end_y);
            cairo_stroke(cr);
        }
    }
}

/* A circle arrow: start over. */
/* --- the friendly names' nature words (firmware/i18n/nature_words.h) -------------- */

static void ellipse(cairo_t *cr, double cx, double cy, double rx, double ry)
{
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, rx, ry);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_stroke(cr);
}

void pictogram_willow(cairo_t *cr)
{
    /* A weeping willow: a short trunk under long hanging branches. */
    line(cr, 12.0, 21.5, 12.0, 9.0);
    line(cr, 8.0, 21.5, 16.0, 21.5);
    cairo_move_to(cr, 12.0, 9.0);
    cairo_curve_to(cr, 12.0, 4.0, 4.0, 3.0, 3.5, 16.0);
    cairo_move_to(cr, 12.0, 9.0);
    cairo_curve_to(cr, 12.0, 4.0, 20.0, 3.0, 20.5, 16.0);
    cairo_move_to(cr, 10.5, 5.0);
    cairo_curve_to(cr, 7.5, 6.5, 7.0, 10.0, 7.5, 17.0);
    cairo_move_to(cr, 13.5, 5.0);
    cairo_curve_to(cr, 16.5, 6.5, 17.0, 10.0, 16.5, 17.0);
    cairo_stroke(cr);
}

void pictogram_robin(cairo_t *cr)
{
    /* A round little bird with a red breast (filled), facing right. */
    ring(cr, 11.0, 12.5, 7.0);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 11.0, 12.5, 7.0, -0.6, 1.4);
    cairo_close_path(cr);
    cairo_fill(cr);
    dot(cr, 12.0, 9.0, 1.0);
    line(cr, 17.8, 9.5, 21.5, 10.0); /* beak */
    line(cr, 4.5, 15.5, 2.0, 18.5);  /* tail */
    line(cr, 9.5, 19.5, 9.0, 22.0);
    line(cr, 12.5, 19.5, 13.0, 22.0);
}

void pictogram_pebble(cairo_t *cr)
{
    /* Three smooth stones stacked. */
    ellipse(cr, 12.0, 18.5, 8.5, 3.0);
    ellipse(cr, 12.0, 12.0, 5.5, 2.6);
    ellipse(cr, 12.0, 6.2, 3.2, 2.0);
}

void pictogram_moss(cairo_t *cr)
{
    /* A low cushion with tiny sprouts. */
    cairo_move_to(cr, 2.0, 20.5);
    cairo_curve_to(cr, 3.0, 14.0, 21.0, 14.0, 22.0, 20.5);
    cairo_close_path(cr);
    cairo_stroke(cr);
    const double sprouts[5][3] = {{6.0, 16.0, 10.5},
                                  {9.5, 15.0, 7.5},
                                  {12.5, 14.8, 5.5},
                                  {15.5, 15.0, 8.0},
                                  {18.5, 16.0, 11.0}};
    for (int i = 0; i < 5; i++) {
        line(cr, sprouts[i][0], sprouts[i][1], sprouts[i][0], sprouts[i][2]);
        dot(cr, sprouts[i][0], sprouts[i][2], 1.4);
    }
}

void pictogram_dune(cairo_t *cr)
{
    /* Two sand hills, a tuft of grass and the sun. */
    cairo_move_to(cr, 2.0, 20.0);
    cairo_curve_to(cr, 6.0, 11.0, 10.0, 11.0, 15.0, 20.0);
    cairo_move_to(cr, 10.5, 15.0);
    cairo_curve_to(cr, 14.0, 9.0, 18.0, 9.0, 22.0, 17.0);
    cairo_stroke(cr);
    line(cr, 2.0, 21.5, 22.0, 21.5);
    line(cr, 7.5, 13.5, 6.5, 9.5);
    line(cr, 8.5, 13.0, 9.5, 9.0);
    ring(cr, 18.5, 4.5, 2.5);
}

static void water_line(cairo_t *cr, double y, double from, double to)
{
    double step = (to - from) / 2;
    cairo_move_to(cr, from, y);
    for (int i = 0; i < 2; i++) {
        double x = from + i * step;
        cairo_curve_to(cr, x + step * 0.3, y - 2.5, x + step * 0.7, y + 2.5, x + step, y);
    }
    cairo_stroke(cr);
}

void pictogram_brook(cairo_t *cr)
{
    /* A brook running between two stones. */
    water_line(cr, 7.0, 2.0, 22.0);
    water_line(cr, 12.5, 2.0, 22.0);
    water_line(cr, 18.0, 2.0, 22.0);
}

void pictogram_swallow(cairo_t *cr)
{
    /* A swallow in flight: wide wings and a forked tail. */
    cairo_move_to(cr, 2.0, 6.0);
    cairo_curve_to(cr, 6.0, 7.0, 9.5, 9.0, 12.0, 12.0);
    cairo_curve_to(cr, 14.5, 9.0, 18.0, 7.0, 22.0, 6.0);
    cairo_stroke(cr);
    dot(cr, 12.0, 10.5, 1.8);
    line(cr, 12.0, 12.0, 12.0, 16.0);
    line(cr, 12.0, 16.0, 9.0, 21.5);
    line(cr, 12.0, 16.0, 15.0, 21.5);
}

void pictogram_clover(cairo_t *cr)
{
    /* Three round leaves on a curved stem. */
    ring(cr, 12.0, 6.5, 3.8);
    ring(cr, 7.2, 13.0, 3.8);
    ring(cr, 16.8, 13.0, 3.8);
    cairo_move_to(cr, 12.0, 12.0);
    cairo_curve_to(cr, 12.0, 16.0, 13.0, 19.0, 15.5, 22.0);
    cairo_stroke(cr);
}

void pictogram_birch(cairo_t *cr)
{
    /* A young birch: a slim trunk, light branches with small leaves. */
    line(cr, 12.0, 22.0, 12.0, 2.5);
    line(cr, 12.0, 8.5, 17.0, 4.5);
    line(cr, 12.0, 12.5, 6.5, 8.5);
    line(cr, 12.0, 16.5, 17.5, 13.0);
    ellipse(cr, 19.0, 3.8, 2.0, 1.5);
    ellipse(cr, 4.8, 7.8, 2.0, 1.5);
    ellipse(cr, 19.5, 12.2, 2.0, 1.5);
    line(cr, 8.0, 22.0, 16.0, 22.0);
}

void pictogram_tulip(cairo_t *cr)
{
    /* A tulip: a cup with three points, a stem and a leaf. */
    cairo_move_to(cr, 7.0, 4.0);
    cairo_line_to(cr, 9.5, 7.5);
    cairo_line_to(cr, 12.0, 3.0);
    cairo_line_to(cr, 14.5, 7.5);
    cairo_line_to(cr, 17.0, 4.0);
    cairo_curve_to(cr, 17.5, 11.0, 15.5, 14.0, 12.0, 14.0);
    cairo_curve_to(cr, 8.5, 14.0, 6.5, 11.0, 7.0, 4.0);
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 12.0, 14.0, 12.0, 22.0);
    cairo_move_to(cr, 12.0, 21.0);
    cairo_curve_to(cr, 8.0, 20.5, 5.5, 18.0, 5.5, 15.0);
    cairo_curve_to(cr, 9.0, 15.5, 11.5, 18.0, 12.0, 21.0);
    cairo_stroke(cr);
}

void pictogram_hedgehog(cairo_t *cr)
{
    /* A hedgehog walking right: a spiky back, a pointed nose. */
    cairo_move_to(cr, 3.0, 18.5);
    cairo_line_to(cr, 3.5, 15.0);
    const double spikes[][2] = {{2.5, 11.5}, {5.5, 12.0}, {6.0, 8.0},   {8.5, 10.0}, {10.5, 6.5},
                                {12.0, 9.5}, {15.0, 7.0}, {15.5, 10.5}, {18.0, 10.0}};
    for (size_t i = 0; i < sizeof spikes / sizeof spikes[0]; i++) {
        cairo_line_to(cr, spikes[i][0], spikes[i][1]);
    }
    cairo_curve_to(cr, 20.0, 12.0, 21.5, 14.5, 22.0, 16.5);
    cairo_curve_to(cr, 20.0, 18.5, 12.0, 18.5, 3.0, 18.5);
    cairo_stroke(cr);
    dot(cr, 18.5, 13.5, 1.0);
    line(cr, 7.0, 18.5, 7.0, 21.0);
    line(cr, 15.0, 18.5, 15.0, 21.0);
}

void pictogram_reed(cairo_t *cr)
{
    /* Reed mace: two stems with soft brown heads (filled), a long leaf. */
    line(cr, 9.0, 22.0, 9.0, 4.0);
    line(cr, 15.0, 22.0, 15.5, 6.5);
    path_round_box(cr, 7.2, 6.0, 10.8, 13.0, 1.8);
    cairo_fill(cr);
    path_round_box(cr, 13.7, 8.5, 17.3, 15.0, 1.8);
    cairo_fill(cr);
    cairo_move_to(cr, 12.0, 22.0);
    cairo_curve_to(cr, 12.0, 15.0, 18.0, 9.0, 21.5, 7.0);
    cairo_move_to(cr, 6.0, 22.0);
    cairo_curve_to(cr, 5.5, 17.0, 4.0, 14.0, 2.5, 12.0);
    cairo_stroke(cr);
}

void pictogram_starling(cairo_t *cr)
{
    /* A starling on a branch, with its speckles. */
    cairo_move_to(cr, 4.0, 15.5);
    cairo_curve_to(cr, 6.0, 9.0, 12.0, 7.0, 15.0, 6.5);
    cairo_curve_to(cr, 17.5, 6.0, 19.0, 7.5, 19.0, 9.5);
    cairo_line_to(cr, 22.0, 10.5);
    cairo_line_to(cr, 18.5, 11.5);
    cairo_curve_to(cr, 17.0, 15.5, 12.0, 17.0, 8.0, 16.0);
    cairo_line_to(cr, 2.5, 19.0);
    cairo_stroke(cr);
    dot(cr, 16.8, 8.8, 0.9);
    dot(cr, 10.0, 12.0, 0.8);
    dot(cr, 13.0, 12.5, 0.8);
    dot(cr, 11.5, 14.5, 0.8);
    line(cr, 6.0, 20.5, 21.0, 20.5);
    line(cr, 11.5, 16.5, 11.5, 20.5);
}

void pictogram_lily(cairo_t *cr)
{
    /* A water lily on the water: three pointed petals. */
    cairo_move_to(cr, 12.0, 16.5);
    cairo_curve_to(cr, 8.5, 12.5, 9.0, 8.0, 12.0, 4.0);
    cairo_curve_to(cr, 15.0, 8.0, 15.5, 12.5, 12.0, 16.5);
    cairo_close_path(cr);
    cairo_move_to(cr, 12.0, 16.5);
    cairo_curve_to(cr, 7.0, 16.5, 4.0, 13.5, 2.5, 9.5);
    cairo_curve_to(cr, 6.5, 10.0, 9.5, 12.0, 12.0, 16.5);
    cairo_move_to(cr, 12.0, 16.5);
    cairo_curve_to(cr, 17.0, 16.5, 20.0, 13.5, 21.5, 9.5);
    cairo_curve_to(cr, 17.5, 10.0, 14.5, 12.0, 12.0, 16.5);
    cairo_stroke(cr);
    water_line(cr, 20.0, 2.0, 22.0);
}

void pictogram_swan(cairo_t *cr)
{
    /* A swan on the water, its neck in an S. */
    cairo_move_to(cr, 10.0, 15.0);
    cairo_curve_to(cr, 5.0, 11.0, 6.5, 4.0, 10.0, 4.0);
    cairo_curve_to(cr, 12.0, 4.0, 13.0, 5.5, 13.0, 6.5);
    cairo_line_to(cr, 15.5, 8.0);
    cairo_stroke(cr);
    cairo_move_to(cr, 10.0, 15.0);
    cairo_curve_to(cr, 4.0, 14.0, 3.5, 18.5, 8.0, 19.0);
    cairo_line_to(cr, 17.0, 19.0);
    cairo_curve_to(cr, 20.0, 18.5, 21.5, 15.5, 21.5, 12.0);
    cairo_curve_to(cr, 18.0, 15.0, 14.0, 15.5, 10.0, 15.0);
    cairo_stroke(cr);
    dot(cr, 10.5, 6.0, 0.8);
    water_line(cr, 21.5, 2.0, 22.0);
}

void pictogram_maple(cairo_t *cr)
{
    /* A maple leaf: five pointed lobes and a stem. */
    const double points[][2] = {
        {12.0, 2.0},  {13.8, 6.5},  {17.5, 4.5},  {16.8, 9.0},  {21.8, 8.5},  {19.0, 12.5},
        {20.5, 14.0}, {14.5, 15.0}, {14.0, 17.5}, {12.0, 16.5}, {10.0, 17.5}, {9.5, 15.0},
        {3.5, 14.0},  {5.0, 12.5},  {2.2, 8.5},   {7.2, 9.0},   {6.5, 4.5},   {10.2, 6.5}};
    cairo_move_to(cr, points[0][0], points[0][1]);
    for (size_t i = 1; i < sizeof points / sizeof points[0]; i++) {
        cairo_line_to(cr, points[i][0], points[i][1]);
    }
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 12.0, 16.5, 12.0, 22.0);
}

void pictogram_pine(cairo_t *cr)
{
    /* A pine tree: three tiers and a trunk. */
    cairo_move_to(cr, 12.0, 2.0);
    cairo_line_to(cr, 7.0, 8.5);
    cairo_line_to(cr, 9.5, 8.5);
    cairo_line_to(cr, 5.0, 13.5);
    cairo_line_to(cr, 8.0, 13.5);
    cairo_line_to(cr, 3.5, 18.0);
    cairo_line_to(cr, 20.5, 18.0);
    cairo_line_to(cr, 16.0, 13.5);
    cairo_line_to(cr, 19.0, 13.5);
    cairo_line_to(cr, 14.5, 8.5);
    cairo_line_to(cr, 17.0, 8.5);
    cairo_close_path(cr);
    cairo_stroke(cr);
    line(cr, 12.0, 18.0, 12.0, 22.0);
}

void pictogram_sea_wave(cairo_t *cr)
{
    /* One wave curling over, and the sea under it. */
    cairo_move_to(cr, 2.0, 17.5);
    cairo_curve_to(cr, 6.5, 17.5, 8.0, 5.0, 15.0, 5.0);
    cairo_curve_to(cr, 19.5, 5.0, 21.5, 9.0, 19.5, 11.5);
    cairo_curve_to(cr, 17.5, 13.5, 14.0, 11.5, 15.5, 9.0);
    cairo_stroke(cr);
    water_line(cr, 21.0, 2.0, 22.0);
}

void pictogram_star(cairo_t *cr)
{
    /* A five-pointed star. */
    cairo_move_to(cr, 12.0, 2.0);
    for (int i = 1; i < 10; i++) {
        double angle = -M_PI / 2 + i * M_PI / 5;
        double radius = i % 2 ? 4.3 : 10.2;
        cairo_line_to(cr, 12.0 + radius * cos(angle), 12.8 + radius * sin(angle));
    }
    cairo_close_path(cr);
    cairo_stroke(cr);
}

void pictogram_dolphin(cairo_t *cr)
{
    /* A dolphin leaping to the right over a wave. */
    cairo_move_to(cr, 3.0, 18.0);
    cairo_curve_to(cr, 5.0, 10.0, 13.0, 6.0, 18.5, 9.0);
    cairo_line_to(cr, 22.0, 10.5);
    cairo_line_to(cr, 18.5, 11.5);
    cairo_curve_to(cr, 13.0, 11.0, 8.0, 14.0, 5.5, 18.0);
    cairo_stroke(cr);
    cairo_move_to(cr, 3.0, 18.0);
    cairo_line_to(cr, 1.5, 21.0);
    cairo_move_to(cr, 5.5, 18.0);
    cairo_line_to(cr, 7.0, 21.0);
    cairo_stroke(cr);
    cairo_move_to(cr, 10.5, 7.3);
    cairo_line_to(cr, 9.5, 3.5);
    cairo_line_to(cr, 13.5, 6.3);
    cairo_stroke(cr);
    dot(cr, 17.0, 9.6, 0.8);
    water_line(cr, 21.5, 9.0, 22.0);
}

void pictogram_cherry(cairo_t *cr)
{
    /* Two cherries on their stems, with a leaf. */
    ring(cr, 7.0, 17.5, 4.0);
    ring(cr, 17.0, 18.0, 3.8);
    cairo_move_to(cr, 7.0, 13.5);
    cairo_curve_to(cr, 9.0, 8.5, 12.0, 5.0, 14.5, 3.5);
    cairo_move_to(cr, 17.0, 14.2);
    cairo_curve_to(cr, 16.5, 10.0, 15.5, 6.0, 14.5, 3.5);
    cairo_stroke(cr);
    cairo_move_to(cr, 14.5, 3.5);
    cairo_curve_to(cr, 17.0, 1.5, 21.0, 2.5, 22.0, 5.0);
    cairo_curve_to(cr, 19.0, 6.5, 16.0, 6.0, 14.5, 3.5);
    cairo_stroke(cr);
}
