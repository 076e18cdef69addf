/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * rotation: see rotation.h. Works in fractions of the screen (0..1) so the same formulas
 * serve a finger (already a fraction), a mouse in output pixels and any panel resolution;
 * only the last step turns a fraction into a logical pixel.
 */
#include "screens/rotation.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int rotation_parse(const char *text, enum rotation *out)
{
    if (!text) {
        return -EINVAL;
    }
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    char *end = NULL;
    errno = 0;
    long degrees = strtol(text, &end, 10);
    if (end == text || errno != 0) {
        return -EINVAL;
    }
    while (*end == ' ' || *end == '\t') {
        end++;
    }
    if (*end != '\0') {
        return -EINVAL;
    }
    switch (degrees) {
    case 0:
    case 90:
    case 180:
    case 270:
        *out = (enum rotation)degrees;
        return 0;
    default:
        return -EINVAL;
    }
}

static double clamp_unit(double v)
{
    if (!(v > 0.0)) { /* also NaN */
        return 0.0;
    }
    return v < 1.0 ? v : 1.0;
}

/* A fraction of a side of n pixels -> the pixel it falls in, 0..n-1. */
static int to_pixel(double fraction, int n)
{
    int p = (int)floor(fraction * n);
    if (p < 0) {
        return 0;
    }
    return p < n ? p : n - 1;
}

struct rotation_pixel rotation_touch_to_logical(enum rotation angle, double output_x,
                                                double output_y, int logical_w, int logical_h)
{
    double p = clamp_unit(output_x), q = clamp_unit(output_y);
    double u, v; /* the same point as fractions of the logical screen */
    switch (angle) {
    case ROTATION_90: /* logical (u, v) shows at output (1 - v, u) */
        u = q;
        v = 1.0 - p;
        break;
    case ROTATION_180: /* at (1 - u, 1 - v) */
        u = 1.0 - p;
        v = 1.0 - q;
        break;
    case ROTATION_270: /* at (v, 1 - u) */
        u = 1.0 - q;
        v = p;
        break;
    case ROTATION_0:
    default:
        u = p;
        v = q;
        break;
    }
    struct rotation_pixel pixel = {to_pixel(u, logical_w), to_pixel(v, logical_h)};
    return pixel;
}

struct rotation_point rotation_logical_to_output(enum rotation angle, int x, int y, int logical_w,
                                                 int logical_h)
{
    x = x < 0 ? 0 : x >= logical_w ? logical_w - 1 : x;
    y = y < 0 ? 0 : y >= logical_h ? logical_h - 1 : y;
    double u = (x + 0.5) / logical_w, v = (y + 0.5) / logical_h;
    struct rotation_point point;
    switch (angle) {
    case ROTATION_90:
        point.x = 1.0 - v;
        point.y = u;
        break;
    case ROTATION_180:
        point.x = 1.0 - u;
        point.y = 1.0 - v;
        break;
    case ROTATION_270:
        point.x = v;
        point.y = 1.0 - u;
        break;
    case ROTATION_0:
    default:
        point.x = u;
        point.y = v;
        break;
    }
    return point;
}

static int is_quarter_turn(enum rotation angle)
{
    return angle == ROTATION_90 || angle == ROTATION_270;
}

void rotation_output_size(enum rotation angle, int logical_w, int logical_h, int *output_w,
                          int *output_h)
{
    *output_w = is_quarter_turn(angle) ? logical_h : logical_w;
    *output_h = is_quarter_turn(angle) ? logical_w : logical_h;
}

void rotation_copy_rect(enum rotation angle, int logical_w, int logical_h, double *x, double *y,
                        double *w, double *h)
{
    int output_w, output_h;
    rotation_output_size(angle, logical_w, logical_h, &output_w, &output_h);
    *w = logical_w;
    *h = logical_h;
    *x = (output_w - logical_w) / 2.0;
    *y = (output_h - logical_h) / 2.0;
}
