/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for ui/draw: rounded rectangles, pictograms and the calm scene, drawn with SDL's
 * software renderer onto an SDL_Surface and checked pixel by pixel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL2/SDL.h>
#include <cairo.h>

#include "core/log.h"
#include "ui/draw.h"
#include "ui/palette.h"

static const char *const documented_names[] = {
    "checkin",  "leave",     "money",      "work",      "home",   "care",  "question", "family",
    "letter",   "chat",      "yes",        "no",        "skip",   "back",  "coffee",   "seat",
    "clock",    "calm_face", "tense_face", "butterfly", "heron",  "leaf",  "shell",    "acorn",
    "fern",     "speak",     "large-text", "wave-hand", "willow", "robin", "pebble",   "moss",
    "dune",     "brook",     "swallow",    "clover",    "birch",  "tulip", "hedgehog", "reed",
    "starling", "lily",      "swan",       "maple",     "pine",   "wave",  "star",     "dolphin",
    "cherry",   "restart",   "language",   "help",
};
#define DOCUMENTED_COUNT (sizeof documented_names / sizeof documented_names[0])

struct canvas {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    struct ui_draw *draw;
    SDL_Color background;
};

static struct canvas *canvas_open(int width, int height, SDL_Color background)
{
    struct canvas *canvas = calloc(1, sizeof *canvas);
    assert_non_null(canvas);
    canvas->surface =
        SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(canvas->surface);
    canvas->renderer = SDL_CreateSoftwareRenderer(canvas->surface);
    assert_non_null(canvas->renderer);
    canvas->draw = ui_draw_open(canvas->renderer);
    assert_non_null(canvas->draw);
    canvas->background = background;
    return canvas;
}

static void canvas_clear(struct canvas *canvas)
{
    SDL_Color bg = canvas->background;
    SDL_SetRenderDrawColor(canvas->renderer, bg.r, bg.g, bg.b, bg.a);
    SDL_RenderClear(canvas->renderer);
}

static void canvas_close(struct canvas *canvas)
{
    ui_draw_close(canvas->draw);
    SDL_DestroyRenderer(canvas->renderer);
    SDL_FreeSurface(canvas->surface);
    free(canvas);
}

static SDL_Color pixel_at(const SDL_Surface *surface, int x, int y)
{
    const uint32_t *row =
        (const uint32_t *)(const void *)((const uint8_t *)surface->pixels + y * surface->pitch);
    uint32_t value = row[x];
    return (SDL_Color){(Uint8)(value >> 16), (Uint8)(value >> 8), (Uint8)value,
                       (Uint8)(value >> 24)};
}

static bool colour_near(SDL_Color a, SDL_Color b, int tolerance)
{
    return abs(a.r - b.r) <= tolerance && abs(a.g - b.g) <= tolerance &&
           abs(a.b - b.b) <= tolerance;
}

/* A copy of the surface's pixels, for comparing frames. Caller frees. */
static uint32_t *snapshot(const SDL_Surface *surface)
{
    uint32_t *copy = malloc((size_t)surface->w * (size_t)surface->h * 4);
    assert_non_null(copy);
    for (int y = 0; y < surface->h; y++) {
        memcpy(copy + (size_t)y * (size_t)surface->w,
               (const uint8_t *)surface->pixels + y * surface->pitch, (size_t)surface->w * 4);
    }
    return copy;
}

static uint32_t *scene_frame(struct canvas *canvas, int64_t t_ms)
{
    canvas_clear(canvas);
    SDL_Rect area = {0, 0, canvas->surface->w, canvas->surface->h};
    ui_draw_calm_scene(canvas->draw, area, t_ms, true);
    return snapshot(canvas->surface);
}

static bool frames_equal(const uint32_t *a, const uint32_t *b, size_t count)
{
    return memcmp(a, b, count * 4) == 0;
}

/* Share of pixels that differ by more than 2 levels in some channel. */
static double changed_fraction(const uint32_t *a, const uint32_t *b, size_t count)
{
    size_t changed = 0;
    for (size_t i = 0; i < count; i++) {
        for (int shift = 0; shift < 24; shift += 8) {
            int da = (int)((a[i] >> shift) & 0xFF), db = (int)((b[i] >> shift) & 0xFF);
            if (abs(da - db) > 2) {
                changed++;
                break;
            }
        }
    }
    return (double)changed / (double)count;
}

static double channel_linear(uint32_t value)
{
    double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG relative luminance of an 0xAARRGGBB pixel, 0 .. 1. */
static double luminance(uint32_t pixel)
{
    return 0.2126 * channel_linear((pixel >> 16) & 0xFF) +
           0.7152 * channel_linear((pixel >> 8) & 0xFF) + 0.0722 * channel_linear(pixel & 0xFF);
}

static const SDL_Color white = {0xFF, 0xFF, 0xFF, 0xFF};
static const SDL_Color none = {0, 0, 0, 0};

static void test_open_and_close_are_null_safe(void **state)
{
    (void)state;
    assert_null(ui_draw_open(NULL));
    ui_draw_close(NULL);
    ui_draw_flush_cache(NULL);
    ui_draw_round_rect(NULL, (SDL_Rect){0, 0, 10, 10}, 3, white, white, 0);
    ui_draw_pictogram(NULL, "home", (SDL_Rect){0, 0, 48, 48}, white);
    ui_draw_calm_scene(NULL, (SDL_Rect){0, 0, 10, 10}, 0, true);
    assert_true(ui_draw_scene_next_change_ms(NULL, (SDL_Rect){0, 0, 10, 10}, 0) == INT64_MAX);
    struct ui_draw_stats stats = {.cairo_renders = 7};
    ui_draw_get_stats(NULL, &stats);
    assert_int_equal(stats.cairo_renders, 0);
}

static void test_round_rect_fills_inside_and_leaves_corners(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(200, 120, PALETTE_BACKGROUND);
    canvas_clear(canvas);
    ui_draw_round_rect(canvas->draw, (SDL_Rect){20, 10, 160, 100}, 30, PALETTE_PRIMARY, none, 0);

    SDL_Surface *s = canvas->surface;
    assert_true(colour_near(pixel_at(s, 20, 10), PALETTE_BACKGROUND, 0));   /* corner */
    assert_true(colour_near(pixel_at(s, 24, 14), PALETTE_BACKGROUND, 0));   /* still outside */
    assert_true(colour_near(pixel_at(s, 179, 109), PALETTE_BACKGROUND, 0)); /* far corner */
    assert_true(colour_near(pixel_at(s, 100, 60), PALETTE_PRIMARY, 1));     /* centre */
    assert_true(colour_near(pixel_at(s, 100, 10), PALETTE_PRIMARY, 1));     /* top edge */
    assert_true(colour_near(pixel_at(s, 20, 60), PALETTE_PRIMARY, 1));      /* left edge */
    assert_true(colour_near(pixel_at(s, 19, 60), PALETTE_BACKGROUND, 0));   /* outside */
    assert_true(colour_near(pixel_at(s, 100, 110), PALETTE_BACKGROUND, 0)); /* below */
    canvas_close(canvas);
}

static void test_round_rect_border_is_drawn_inside_the_rect(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(200, 120, PALETTE_BACKGROUND);
    canvas_clear(canvas);
    ui_draw_round_rect(canvas->draw, (SDL_Rect){20, 10, 160, 100}, 16, PALETTE_PANEL, PALETTE_MUTED,
                       4);
    SDL_Surface *s = canvas->surface;
    assert_true(colour_near(pixel_at(s, 100, 9), PALETTE_BACKGROUND, 0));
    assert_true(colour_near(pixel_at(s, 100, 10), PALETTE_MUTED, 1));
    assert_true(colour_near(pixel_at(s, 100, 13), PALETTE_MUTED, 1));
    assert_true(colour_near(pixel_at(s, 100, 15), PALETTE_PANEL, 1));
    assert_true(colour_near(pixel_at(s, 100, 60), PALETTE_PANEL, 1));
    canvas_close(canvas);
}

static void test_round_rect_translucent_fill_blends_with_straight_alpha(void **state)
{
    (void)state;
    /* Premultiplied pixels passed to SDL as straight alpha would come out too dark. */
    struct canvas *canvas = canvas_open(100, 100, (SDL_Color){0, 0, 0, 0xFF});
    canvas_clear(canvas);
    SDL_Color veil = {200, 100, 50, 128};
    ui_draw_round_rect(canvas->draw, (SDL_Rect){10, 10, 80, 80}, 20, veil, none, 0);
    assert_true(colour_near(pixel_at(canvas->surface, 50, 50), (SDL_Color){100, 50, 25, 255}, 2));
    /* An anti-aliased corner pixel keeps the hue: red stays about twice green. */
    int checked = 0;
    for (int x = 10; x < 30; x++) {
        SDL_Color p = pixel_at(canvas->surface, x, 14);
        if (p.r > 20 && p.r < 95) {
            assert_true(abs(p.r - 2 * p.g) <= 4);
            checked++;
        }
    }
    assert_true(checked > 0);
    canvas_close(canvas);
}

static void test_round_rect_cache_hit_does_no_cairo_work(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(200, 120, PALETTE_BACKGROUND);
    struct ui_draw_stats before, after;
    SDL_Rect rect = {10, 10, 120, 60};
    ui_draw_round_rect(canvas->draw, rect, 12, PALETTE_PRIMARY, none, 0);
    ui_draw_get_stats(canvas->draw, &before);
    assert_int_equal(before.cairo_renders, 1);

    rect.x = 40; /* position is not part of the key */
    ui_draw_round_rect(canvas->draw, rect, 12, PALETTE_PRIMARY, none, 0);
    ui_draw_round_rect(canvas->draw, rect, 12, PALETTE_PRIMARY, PALETTE_INK, 0);
    ui_draw_get_stats(canvas->draw, &after);
    assert_int_equal(after.cairo_renders, before.cairo_renders);
    assert_int_equal(after.cache_hits, before.cache_hits + 2);

    ui_draw_round_rect(canvas->draw, rect, 12, PALETTE_SECONDARY, none, 0);
    ui_draw_round_rect(canvas->draw, rect, 12, PALETTE_PRIMARY, PALETTE_INK, 2);
    ui_draw_get_stats(canvas->draw, &after);
    assert_int_equal(after.cairo_renders, before.cairo_renders + 2);
    canvas_close(canvas);
}

/* The path of draw.c's rounded rectangle, drawn here at full size as the reference. */
static void reference_round_rect(cairo_t *cr, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, w - r, r, r, -M_PI / 2, 0);
    cairo_arc(cr, w - r, h - r, r, 0, M_PI / 2);
    cairo_arc(cr, r, h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, r, r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void test_round_rect_any_size_matches_a_full_size_drawing(void **state)
{
    (void)state;
    /* A button is cached as a small nine-slice texture; on screen it must look exactly as
     * if cairo had drawn it at its full size (corners, border and middle). */
    const int w = 420, h = 130, radius = 24, border = 3;
    struct canvas *canvas = canvas_open(w + 20, h + 20, PALETTE_BACKGROUND);
    canvas_clear(canvas);
    ui_draw_round_rect(canvas->draw, (SDL_Rect){10, 10, w, h}, radius, PALETTE_PANEL,
                       PALETTE_PRIMARY, border);

    cairo_surface_t *ref = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(ref);
    reference_round_rect(cr, w, h, radius);
    cairo_set_source_rgb(cr, PALETTE_PRIMARY.r / 255.0, PALETTE_PRIMARY.g / 255.0,
                         PALETTE_PRIMARY.b / 255.0);
    cairo_fill(cr);
    cairo_translate(cr, border, border);
    reference_round_rect(cr, w - 2 * border, h - 2 * border, radius - border);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgb(cr, PALETTE_PANEL.r / 255.0, PALETTE_PANEL.g / 255.0,
                         PALETTE_PANEL.b / 255.0);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(ref);
    const uint8_t *data = cairo_image_surface_get_data(ref);
    int stride = cairo_image_surface_get_stride(ref);
    int worst = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint32_t p = ((const uint32_t *)(const void *)(data + (size_t)y * stride))[x];
            int a = (int)(p >> 24);
            SDL_Color bg = PALETTE_BACKGROUND;
            /* premultiplied source over the opaque background */
            int want[3] = {(int)((p >> 16) & 0xFF) + bg.r * (255 - a) / 255,
                           (int)((p >> 8) & 0xFF) + bg.g * (255 - a) / 255,
                           (int)(p & 0xFF) + bg.b * (255 - a) / 255};
            SDL_Color got = pixel_at(canvas->surface, 10 + x, 10 + y);
            int diff[3] = {abs(got.r - want[0]), abs(got.g - want[1]), abs(got.b - want[2])};
            for (int c = 0; c < 3; c++) {
                worst = diff[c] > worst ? diff[c] : worst;
            }
        }
    }
    cairo_surface_destroy(ref);
    assert_true(worst <= 2); /* rounding of the two alpha conversions, nothing more */
    canvas_close(canvas);
}

static void test_round_rect_memory_does_not_grow_with_its_size(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(800, 200, PALETTE_BACKGROUND);
    struct ui_draw_stats stats;
    ui_draw_round_rect(canvas->draw, (SDL_Rect){0, 0, 700, 100}, 24, PALETTE_PRIMARY, none, 0);
    ui_draw_round_rect(canvas->draw, (SDL_Rect){0, 0, 300, 160}, 24, PALETTE_PRIMARY, none, 0);
    ui_draw_get_stats(canvas->draw, &stats);
    assert_int_equal(stats.cairo_renders, 1); /* same corners and colours: one texture */
    assert_int_equal(stats.cached_bytes, 49 * 49 * 4);
    canvas_close(canvas);
}

static void test_cache_stays_bounded_and_flushes(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(400, 300, PALETTE_BACKGROUND);
    struct ui_draw_stats stats;
    for (int i = 0; i < 300; i++) {
        SDL_Color fill = {(Uint8)(i & 0xFF), (Uint8)(i >> 8), 0x40, 0xFF};
        ui_draw_round_rect(canvas->draw, (SDL_Rect){0, 0, 20 + i, 40}, 8, fill, none, 0);
    }
    ui_draw_get_stats(canvas->draw, &stats);
    assert_int_equal(stats.cairo_renders, 300);
    assert_true(stats.cached_textures <= 128);
    assert_true(stats.cached_textures > 0);
    /* The most recent shape is still cached; the first was evicted. */
    ui_draw_round_rect(canvas->draw, (SDL_Rect){0, 0, 20 + 299, 40}, 8,
                       (SDL_Color){299 & 0xFF, 299 >> 8, 0x40, 0xFF}, none, 0);
    ui_draw_round_rect(canvas->draw, (SDL_Rect){0, 0, 20, 40}, 8, (SDL_Color){0, 0, 0x40, 0xFF},
                       none, 0);
    ui_draw_get_stats(canvas->draw, &stats);
    assert_int_equal(stats.cairo_renders, 301);

    ui_draw_flush_cache(canvas->draw);
    ui_draw_get_stats(canvas->draw, &stats);
    assert_int_equal(stats.cached_textures, 0);
    assert_int_equal(stats.cached_bytes, 0);
    canvas_close(canvas);
}

static void test_pictogram_list_matches_the_documented_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < DOCUMENTED_COUNT; i++) {
        assert_true(ui_draw_pictogram_known(documented_names[i]));
        assert_string_equal(ui_draw_pictogram_name(i), documented_names[i]);
    }
    assert_null(ui_draw_pictogram_name(DOCUMENTED_COUNT));
    assert_false(ui_draw_pictogram_known(NULL));
    assert_false(ui_draw_pictogram_known(""));
    assert_false(ui_draw_pictogram_known("Home"));
    assert_false(ui_draw_pictogram_known("home "));
}

/* How much of ink a pixel shows over the white background, 0 .. 1, per channel. */
static void ink_share(SDL_Color pixel, SDL_Color ink, double share[3])
{
    share[0] = (255.0 - pixel.r) / (255.0 - ink.r);
    share[1] = (255.0 - pixel.g) / (255.0 - ink.g);
    share[2] = (255.0 - pixel.b) / (255.0 - ink.b);
}

static void test_every_pictogram_draws_ink_inside_its_box_only(void **state)
{
    (void)state;
    const int sizes[] = {48, 97, 160};
    SDL_Color ink = PALETTE_PRIMARY;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int side = sizes[s];
        struct canvas *canvas = canvas_open(side + 40, side + 60, white);
        /* A box taller than wide: the pictogram is a square centred in it. */
        SDL_Rect box = {20, 20, side, side + 20};
        SDL_Rect square = {20, 30, side, side};
        for (size_t n = 0; n < DOCUMENTED_COUNT; n++) {
            canvas_clear(canvas);
            ui_draw_pictogram(canvas->draw, documented_names[n], box, ink);
            int inked = 0;
            for (int y = 0; y < canvas->surface->h; y++) {
                for (int x = 0; x < canvas->surface->w; x++) {
                    SDL_Color p = pixel_at(canvas->surface, x, y);
                    bool inside = x >= square.x && x < square.x + square.w && y >= square.y &&
                                  y < square.y + square.h;
                    if (!inside) {
                        if (!colour_near(p, white, 0)) {
                            fail_msg("%s at %d px: ink outside its box at (%d, %d)",
                                     documented_names[n], side, x, y);
                        }
                        continue;
                    }
                    double share[3];
                    ink_share(p, ink, share);
                    double lo = fmin(share[0], fmin(share[1], share[2]));
                    double hi = fmax(share[0], fmax(share[1], share[2]));
                    if (hi - lo > 0.05 || lo < -0.03 || hi > 1.03) {
                        fail_msg("%s at %d px: (%d, %d) = %d,%d,%d is not a shade of the ink",
                                 documented_names[n], side, x, y, p.r, p.g, p.b);
                    }
                    inked += hi > 0.5;
                }
            }
            /* Bold strokes: at least 6 % of the square carries ink, at most 60 %. */
            if (inked < side * side * 6 / 100 || inked > side * side * 60 / 100) {
                fail_msg("%s at %d px: %d inked pixels of %d", documented_names[n], side, inked,
                         side * side);
            }
            /* The drawing sits in the box, not in a corner of it: ink in every half. */
            int left = 0, right = 0, top = 0, bottom = 0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    SDL_Color p = pixel_at(canvas->surface, square.x + x, square.y + y);
                    if (p.g < 200) {
                        left += x < side / 2;
                        right += x >= side / 2;
                        top += y < side / 2;
                        bottom += y >= side / 2;
                    }
                }
            }
            assert_true(left > 0 && right > 0 && top > 0 && bottom > 0);
        }
        canvas_close(canvas);
    }
}

#define DISTINCT_PX 64

/* Ink coverage (0 .. 1) of each pictogram at 64 px. */
static void coverage_of(struct canvas *canvas, const char *name, float *coverage)
{
    canvas_clear(canvas);
    ui_draw_pictogram(canvas->draw, name, (SDL_Rect){0, 0, DISTINCT_PX, DISTINCT_PX},
                      (SDL_Color){0, 0, 0, 255});
    for (int y = 0; y < DISTINCT_PX; y++) {
        for (int x = 0; x < DISTINCT_PX; x++) {
            coverage[y * DISTINCT_PX + x] = (255 - pixel_at(canvas->surface, x, y).g) / 255.0f;
        }
    }
}

static void test_pictograms_are_distinct(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(DISTINCT_PX, DISTINCT_PX, white);
    static float coverage[DOCUMENTED_COUNT][DISTINCT_PX * DISTINCT_PX];
    for (size_t n = 0; n < DOCUMENTED_COUNT; n++) {
        coverage_of(canvas, documented_names[n], coverage[n]);
    }
    double closest = 1.0;
    size_t closest_a = 0, closest_b = 0;
    for (size_t a = 0; a < DOCUMENTED_COUNT; a++) {
        for (size_t b = a + 1; b < DOCUMENTED_COUNT; b++) {
            int differ = 0, either = 0;
            for (int i = 0; i < DISTINCT_PX * DISTINCT_PX; i++) {
                either += coverage[a][i] > 0.5f || coverage[b][i] > 0.5f;
                differ += fabsf(coverage[a][i] - coverage[b][i]) > 0.5f;
            }
            double share = (double)differ / either;
            if (share < closest) {
                closest = share;
                closest_a = a;
                closest_b = b;
            }
        }
    }
    /*
     * Of the pixels either drawing inks, at least a fifth must differ between any two
     * (the faces share their outline, as do clock, question and money).
     */
    if (closest < 0.20) {
        fail_msg("%s and %s look alike: only %.0f %% of their ink differs",
                 documented_names[closest_a], documented_names[closest_b], closest * 100);
    }
    print_message("closest pair: %s / %s, %.0f %% of ink differs\n", documented_names[closest_a],
                  documented_names[closest_b], closest * 100);
    canvas_close(canvas);
}

static void test_unknown_pictogram_falls_back_to_question(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(80, 80, white);
    SDL_Rect box = {8, 8, 64, 64};
    canvas_clear(canvas);
    ui_draw_pictogram(canvas->draw, "question", box, PALETTE_INK);
    uint32_t *question = snapshot(canvas->surface);
    canvas_clear(canvas);
    ui_draw_pictogram(canvas->draw, "home", box, PALETTE_INK);
    uint32_t *home = snapshot(canvas->surface);
    assert_false(frames_equal(question, home, 80 * 80));

    const char *unknown[] = {"unicorn", "", "Question", NULL};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        canvas_clear(canvas);
        ui_draw_pictogram(canvas->draw, unknown[i], box, PALETTE_INK);
        uint32_t *drawn = snapshot(canvas->surface);
        assert_true(frames_equal(drawn, question, 80 * 80));
        free(drawn);
    }
    free(home);
    free(question);
    canvas_close(canvas);
}

/* Counts lines of path that contain needle. */
static int count_lines_with(const char *path, const char *needle)
{
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char line[512];
    int count = 0;
    while (fgets(line, sizeof line, file) != NULL) {
        count += strstr(line, needle) != NULL;
    }
    fclose(file);
    return count;
}

static void test_unknown_pictogram_is_reported_once(void **state)
{
    (void)state;
    char dir[] = "/tmp/oase-test-draw-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[sizeof dir + 16];
    assert_true(snprintf(path, sizeof path, "%s/stderr.txt", dir) < (int)sizeof path);

    struct canvas *canvas = canvas_open(64, 64, white);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    int file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(file >= 0);
    assert_true(dup2(file, STDERR_FILENO) >= 0);
    close(file);
    for (int i = 0; i < 3; i++) {
        ui_draw_pictogram(canvas->draw, "zebra", (SDL_Rect){0, 0, 48, 48}, PALETTE_INK);
    }
    ui_draw_pictogram(canvas->draw, "giraffe", (SDL_Rect){0, 0, 48, 48}, PALETTE_INK);
    ui_draw_pictogram(canvas->draw, "zebra", (SDL_Rect){0, 0, 64, 64}, PALETTE_INK);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);

    assert_int_equal(count_lines_with(path, "\"zebra\""), 1);
    assert_int_equal(count_lines_with(path, "\"giraffe\""), 1);
    assert_int_equal(count_lines_with(path, "question"), 2);
    canvas_close(canvas);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

#define SCENE_W 320
#define SCENE_H 180
#define SCENE_PIXELS ((size_t)SCENE_W * SCENE_H)

static void test_scene_is_deterministic_for_a_time(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    uint32_t *first = scene_frame(canvas, 123456);
    uint32_t *other = scene_frame(canvas, 999);
    uint32_t *again = scene_frame(canvas, 123456);
    assert_false(frames_equal(first, other, SCENE_PIXELS));
    assert_true(frames_equal(first, again, SCENE_PIXELS));

    /* A fresh draw (as after a restart) paints the same picture for the same time. */
    struct canvas *fresh = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    uint32_t *restarted = scene_frame(fresh, 123456);
    assert_true(frames_equal(first, restarted, SCENE_PIXELS));

    /* animate = false is the picture of t = 0, whatever the time. */
    uint32_t *zero = scene_frame(canvas, 0);
    canvas_clear(canvas);
    ui_draw_calm_scene(canvas->draw, (SDL_Rect){0, 0, SCENE_W, SCENE_H}, 77777, false);
    uint32_t *still = snapshot(canvas->surface);
    assert_true(frames_equal(zero, still, SCENE_PIXELS));

    /* The scene is not blank: its top and bottom differ. */
    assert_true(pixel_at(canvas->surface, 5, 5).b != pixel_at(canvas->surface, 5, SCENE_H - 5).b);
    free(first);
    free(other);
    free(again);
    free(restarted);
    free(zero);
    free(still);
    canvas_close(fresh);
    canvas_close(canvas);
}

static void test_scene_covers_its_whole_area(void **state)
{
    (void)state;
    /* The sky and layer textures keep only the rows that show; nothing behind the scene
     * may show through anywhere, at any size or time. */
    const SDL_Color magenta = {0xFF, 0x00, 0xFF, 0xFF};
    const SDL_Rect areas[] = {{0, 0, 800, 196}, {10, 20, 300, 500}, {0, 0, 130, 40}};
    for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++) {
        SDL_Rect area = areas[a];
        struct canvas *canvas = canvas_open(area.x + area.w, area.y + area.h, magenta);
        for (int64_t t = 0; t < 40000; t += 9973) {
            canvas_clear(canvas);
            ui_draw_calm_scene(canvas->draw, area, t, true);
            for (int y = area.y; y < area.y + area.h; y++) {
                for (int x = area.x; x < area.x + area.w; x++) {
                    SDL_Color p = pixel_at(canvas->surface, x, y);
                    if (p.r > 0xF0 && p.g < 0x20 && p.b > 0xF0) {
                        fail_msg("area %dx%d, t %lld: background shows at (%d, %d)", area.w, area.h,
                                 (long long)t, x, y);
                    }
                }
            }
        }
        canvas_close(canvas);
    }
}

static void test_scene_frames_reuse_layers_without_cairo_work(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    free(scene_frame(canvas, 0));
    struct ui_draw_stats first, later;
    ui_draw_get_stats(canvas->draw, &first);
    assert_true(first.cairo_renders > 0);
    for (int i = 1; i <= 30; i++) {
        free(scene_frame(canvas, i * 333));
    }
    ui_draw_get_stats(canvas->draw, &later);
    assert_int_equal(later.cairo_renders, first.cairo_renders);
    canvas_close(canvas);
}

static void test_scene_changes_slowly(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    const int64_t starts[] = {0, 5000, 86400000};
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        uint32_t *now = scene_frame(canvas, starts[s]);
        uint32_t *soon = scene_frame(canvas, starts[s] + 100);
        uint32_t *later = scene_frame(canvas, starts[s] + 4000);
        double small = changed_fraction(now, soon, SCENE_PIXELS);
        double visible = changed_fraction(now, later, SCENE_PIXELS);
        print_message("t=%lld: %.2f %% of pixels change in 100 ms, %.2f %% in 4 s\n",
                      (long long)starts[s], small * 100, visible * 100);
        assert_true(small < 0.03);
        assert_true(visible > 0.04);
        assert_true(visible > 5 * small);
        free(now);
        free(soon);
        free(later);
    }

    /*
     * No flashing (WCAG 2.3.1): frame to frame at 25 frames a second, the mean relative
     * luminance of every 32 x 30 block moves by less than 0.01 (WCAG counts a flash from
     * 0.10), and the whole picture by less than 0.002.
     */
    uint32_t *previous = scene_frame(canvas, 10000);
    double worst_block = 0, worst_frame = 0;
    for (int64_t t = 10040; t <= 14000; t += 40) {
        uint32_t *frame = scene_frame(canvas, t);
        double frame_change = 0;
        for (int by = 0; by < SCENE_H; by += 30) {
            for (int bx = 0; bx < SCENE_W; bx += 32) {
                double change = 0;
                for (int y = by; y < by + 30; y++) {
                    for (int x = bx; x < bx + 32; x++) {
                        size_t i = (size_t)y * SCENE_W + (size_t)x;
                        change += luminance(frame[i]) - luminance(previous[i]);
                    }
                }
                change /= 32 * 30;
                frame_change += change;
                worst_block = fmax(worst_block, fabs(change));
            }
        }
        worst_frame = fmax(worst_frame, fabs(frame_change / ((SCENE_W / 32) * (SCENE_H / 30))));
        free(previous);
        previous = frame;
    }
    free(previous);
    print_message("largest luminance change frame to frame: block %.4f, frame %.5f\n", worst_block,
                  worst_frame);
    assert_true(worst_block < 0.01);
    assert_true(worst_frame < 0.002);
    canvas_close(canvas);
}

static void test_scene_cycle_is_at_least_8_seconds(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    const SDL_Rect areas[] = {{0, 0, 800, 480}, {0, 0, 720, 400}, {0, 0, 1920, 500},
                              {0, 0, 320, 180}, {0, 0, 100, 60},  {0, 0, 10, 10}};
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        int64_t cycle = ui_draw_scene_cycle_ms(canvas->draw, areas[i]);
        assert_true(cycle >= 8000);
        assert_true(cycle < INT64_MAX);
    }
    assert_true(ui_draw_scene_cycle_ms(canvas->draw, (SDL_Rect){0, 0, 0, 100}) == INT64_MAX);

    /* And in pixels: no time within 8 s shows the picture of t = 0 again. */
    uint32_t *start = scene_frame(canvas, 0);
    for (int64_t t = 250; t < 8000; t += 250) {
        uint32_t *frame = scene_frame(canvas, t);
        assert_false(frames_equal(start, frame, SCENE_PIXELS));
        free(frame);
    }
    free(start);
    canvas_close(canvas);
}

static void test_scene_wraps_round_its_period_without_a_jump(void **state)
{
    (void)state;
    /* At 320 px wide the period is 320 px: the 12 px/s layer comes round at 26667 ms. */
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    int64_t wrap = (SCENE_W * 1000 + 11) / 12;
    uint32_t *before = scene_frame(canvas, wrap - 1);
    uint32_t *after = scene_frame(canvas, wrap);
    uint32_t *step_before = scene_frame(canvas, 5000 - 1);
    uint32_t *step_after = scene_frame(canvas, 5000);
    double at_wrap = changed_fraction(before, after, SCENE_PIXELS);
    double ordinary = changed_fraction(step_before, step_after, SCENE_PIXELS);
    print_message("one-pixel step: %.2f %% at the wrap, %.2f %% elsewhere\n", at_wrap * 100,
                  ordinary * 100);
    assert_true(at_wrap > 0);
    assert_true(at_wrap < 0.03);
    free(before);
    free(after);
    free(step_before);
    free(step_after);
    canvas_close(canvas);
}

static void test_next_change_is_in_the_future(void **state)
{
    (void)state;
    struct canvas *canvas = canvas_open(SCENE_W, SCENE_H, PALETTE_BACKGROUND);
    SDL_Rect area = {0, 0, SCENE_W, SCENE_H};
    const int64_t times[] = {0, 1, 83, 84, 999, 1000, 123457, 1767225600123LL, -5001};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        int64_t t = times[i];
        int64_t next = ui_draw_scene_next_change_ms(canvas->draw, area, t);
        assert_true(next > t);
        assert_true(next - t <= 1000);
        uint32_t *now = scene_frame(canvas, t);
        uint32_t *just_before = scene_frame(canvas, next - 1);
        uint32_t *changed = scene_frame(canvas, next);
        assert_true(frames_equal(now, just_before, SCENE_PIXELS));
        assert_false(frames_equal(now, changed, SCENE_PIXELS));
        free(now);
        free(just_before);
        free(changed);
    }
    assert_true(ui_draw_scene_next_change_ms(canvas->draw, (SDL_Rect){0, 0, 0, 0}, 0) == INT64_MAX);
    canvas_close(canvas);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    log_set_quiet(1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "test_draw: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_and_close_are_null_safe),
        cmocka_unit_test(test_round_rect_fills_inside_and_leaves_corners),
        cmocka_unit_test(test_round_rect_border_is_drawn_inside_the_rect),
        cmocka_unit_test(test_round_rect_translucent_fill_blends_with_straight_alpha),
        cmocka_unit_test(test_round_rect_cache_hit_does_no_cairo_work),
        cmocka_unit_test(test_round_rect_any_size_matches_a_full_size_drawing),
        cmocka_unit_test(test_round_rect_memory_does_not_grow_with_its_size),
        cmocka_unit_test(test_cache_stays_bounded_and_flushes),
        cmocka_unit_test(test_pictogram_list_matches_the_documented_names),
        cmocka_unit_test(test_every_pictogram_draws_ink_inside_its_box_only),
        cmocka_unit_test(test_pictograms_are_distinct),
        cmocka_unit_test(test_unknown_pictogram_falls_back_to_question),
        cmocka_unit_test(test_unknown_pictogram_is_reported_once),
        cmocka_unit_test(test_scene_is_deterministic_for_a_time),
        cmocka_unit_test(test_scene_covers_its_whole_area),
        cmocka_unit_test(test_scene_frames_reuse_layers_without_cairo_work),
        cmocka_unit_test(test_scene_changes_slowly),
        cmocka_unit_test(test_scene_cycle_is_at_least_8_seconds),
        cmocka_unit_test(test_scene_wraps_round_its_period_without_a_jump),
        cmocka_unit_test(test_next_change_is_in_the_future),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return failed;
}
