/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * contrast_check: reads kiosk screenshots (PNG) with the rectangles the kiosk wrote beside
 * them (PNG.rects, app_screenshot.c) and measures, from the pixels, what WCAG 2.x asks:
 * every text >= 4.5:1 against its real background (the most common colour of its box;
 * the text is its pixel of highest contrast to it) and every control edge >= 3:1 against
 * what surrounds it (the highest contrast on a short line across each side's middle, to
 * the pixel just outside). Also fails when the frame had clipped text. Prints one line per
 * failure and "N passed, N failed".
 *
 *   contrast_check FILE.png...
 */
#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rgb {
    int r, g, b;
};

static double channel(int v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double contrast(struct rgb a, struct rgb b)
{
    double la = 0.2126 * channel(a.r) + 0.7152 * channel(a.g) + 0.0722 * channel(a.b);
    double lb = 0.2126 * channel(b.r) + 0.7152 * channel(b.g) + 0.0722 * channel(b.b);
    return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

struct image {
    unsigned char *data;
    int w, h, stride;
};

static struct rgb at(const struct image *im, int x, int y)
{
    x = x < 0 ? 0 : x >= im->w ? im->w - 1 : x;
    y = y < 0 ? 0 : y >= im->h ? im->h - 1 : y;
    uint32_t p = *(const uint32_t *)(const void *)(im->data + y * im->stride + 4 * x);
    return (struct rgb){(int)(p >> 16 & 0xFF), (int)(p >> 8 & 0xFF), (int)(p & 0xFF)};
}

/* The most common colour in the box (its background), and the contrast of the pixel that
 * stands out most from it (its text or pictogram). */
static double text_contrast(const struct image *im, int x0, int y0, int w, int h)
{
    enum { SLOTS = 4096 };
    static uint32_t keys[SLOTS];
    static int counts[SLOTS];
    memset(counts, 0, sizeof counts);
    int best = -1;
    for (int y = y0; y < y0 + h; y++) {
        for (int x = x0; x < x0 + w; x++) {
            struct rgb c = at(im, x, y);
            uint32_t key = (uint32_t)(c.r << 16 | c.g << 8 | c.b);
            uint32_t slot = (key * 2654435761u) % SLOTS;
            while (counts[slot] && keys[slot] != key) {
                slot = (slot + 1) % SLOTS;
            }
            keys[slot] = key;
            counts[slot]++;
            if (best < 0 || counts[slot] > counts[best]) {
                best = (int)slot;
            }
        }
    }
    if (best < 0) {
        return 21.0;
    }
    struct rgb bg = {(int)(keys[best] >> 16), (int)(keys[best] >> 8 & 0xFF),
                     (int)(keys[best] & 0xFF)};
    double most = 1.0;
    for (int y = y0; y < y0 + h; y++) {
        for (int x = x0; x < x0 + w; x++) {
            double c = contrast(at(im, x, y), bg);
            most = c > most ? c : most;
        }
    }
    return most;
}

/* How visible one side of a control is: at a quarter, half and three quarters of the
 * side, the highest contrast on a line from 1 px outside to 6 px inside against the pixel
 * 3 px outside; the median of the three (a letter of a nearby text does not decide it). */
static double edge_contrast(const struct image *im, int x0, int y0, int along_x, int along_y,
                            int dx, int dy)
{
    double c[3];
    for (int k = 0; k < 3; k++) {
        int ox = x0 + along_x * (k + 1) / 4, oy = y0 + along_y * (k + 1) / 4;
        struct rgb outside = at(im, ox - 3 * dx, oy - 3 * dy);
        c[k] = 1.0;
        for (int i = -1; i <= 6; i++) {
            double v = contrast(at(im, ox + i * dx, oy + i * dy), outside);
            c[k] = v > c[k] ? v : c[k];
        }
    }
    double lo = fmin(c[0], fmin(c[1], c[2])), hi = fmax(c[0], fmax(c[1], c[2]));
    return c[0] + c[1] + c[2] - lo - hi;
}

static int passed, failed;

static void check(bool ok, const char *png, const char *what, const char *id, double value,
                  double need)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: %s %s is %.2f:1, needs %.1f:1\n", png, what, id, value, need);
    }
}

static void check_png(const char *png)
{
    cairo_surface_t *surface = cairo_image_surface_create_from_png(png);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        printf("FAIL %s: cannot read it\n", png);
        failed++;
        return;
    }
    struct image im = {
        cairo_image_surface_get_data(surface), cairo_image_surface_get_width(surface),
        cairo_image_surface_get_height(surface), cairo_image_surface_get_stride(surface)};
    char path[1024];
    snprintf(path, sizeof path, "%s.rects", png);
    FILE *in = fopen(path, "r");
    if (!in) {
        printf("FAIL %s: no %s\n", png, path);
        failed++;
        cairo_surface_destroy(surface);
        return;
    }
    char line[256];
    int widgets = 0, rects[64][4];
    char ids[64][64];
    while (fgets(line, sizeof line, in)) {
        char id[64];
        int style, x, y, w, h;
        unsigned long clipped;
        if (sscanf(line, "widget %63s %d %d %d %d %d", id, &style, &x, &y, &w, &h) == 6) {
            if (widgets < 64) {
                snprintf(ids[widgets], sizeof ids[0], "%s", id);
                rects[widgets][0] = x, rects[widgets][1] = y, rects[widgets][2] = w;
                rects[widgets][3] = h;
                widgets++;
            }
            bool inside = x >= 0 && y >= 0 && x + w <= im.w && y + h <= im.h;
            check(inside, png, "control off the screen", id, 0, 0);
            if (!inside) {
                continue;
            }
            int inset = h / 5 > 4 ? h / 5 : 4;
            double t = text_contrast(&im, x + inset, y + inset, w - 2 * inset, h - 2 * inset);
            check(t >= 4.5, png, "text on control", id, t, 4.5);
            double e = fmin(fmin(edge_contrast(&im, x, y, 0, h, 1, 0),
                                 edge_contrast(&im, x + w - 1, y, 0, h, -1, 0)),
                            fmin(edge_contrast(&im, x, y, w, 0, 0, 1),
                                 edge_contrast(&im, x, y + h - 1, w, 0, 0, -1)));
            check(e >= 3.0, png, "edge of control", id, e, 3.0);
        } else if (sscanf(line, "text %63s %d %d %d %d", id, &x, &y, &w, &h) == 5) {
            check(y + h <= im.h && x >= 0 && x + w <= im.w, png, "text off the screen", id, 0, 0);
            for (int k = 0; k < widgets; k++) { /* .rects lists the widgets first */
                bool apart = x + w <= rects[k][0] || rects[k][0] + rects[k][2] <= x ||
                             y + h <= rects[k][1] || rects[k][1] + rects[k][3] <= y;
                check(apart, png, "text under a control", id, 0, 0);
            }
            double t = text_contrast(&im, x, y, w, h);
            if (t > 1.05) { /* a box with no words drawn has nothing to read */
                check(t >= 4.5, png, "text", id, t, 4.5);
            }
        } else if (sscanf(line, "clipped %lu", &clipped) == 1) {
            check(clipped == 0, png, "clipped texts", "count", (double)clipped, 0);
        }
    }
    fclose(in);
    /* Targets >= 9 mm with >= 2 mm between them (docs/design.md), in millimetres of the panel the
     * screenshot was made for: the 7" panel (800 px over 154.2 mm) or Touch Display 2 in
     * portrait (720 px over 87.5 mm). Values in mm (printed where the ratio would be). */
    double px_mm = im.w == 720 ? 720 / 87.5 : 800 / 154.2;
    for (int i = 0; i < widgets; i++) {
        double side = fmin(rects[i][2], rects[i][3]) / px_mm;
        check(side >= 9.0, png, "target under 9 mm", ids[i], side, 9.0);
        for (int j = i + 1; j < widgets; j++) {
            int dx =
                rects[j][0] >= rects[i][0] + rects[i][2]   ? rects[j][0] - rects[i][0] - rects[i][2]
                : rects[i][0] >= rects[j][0] + rects[j][2] ? rects[i][0] - rects[j][0] - rects[j][2]
                                                           : 0;
            int dy =
                rects[j][1] >= rects[i][1] + rects[i][3]   ? rects[j][1] - rects[i][1] - rects[i][3]
                : rects[i][1] >= rects[j][1] + rects[j][3] ? rects[i][1] - rects[j][1] - rects[j][3]
                                                           : 0;
            double gap = (dx > dy ? dx : dy) / px_mm;
            check(gap >= 2.0, png, "targets under 2 mm apart", ids[i], gap, 2.0);
        }
    }
    cairo_surface_destroy(surface);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        check_png(argv[i]);
    }
    printf("contrast: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
