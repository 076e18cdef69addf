/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for screens/rotation: a finger on a turned panel must land on the widget the
 * visitor sees under it. Both kiosk orientations (800x480 landscape, 720x1280 portrait),
 * all four angles, corners, centre, round trips, and the same turn done by SDL's software
 * renderer the way the app does it (SDL_RenderCopyEx with rotation_copy_rect).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <SDL2/SDL.h>

#include "screens/rotation.h"

static const enum rotation all_angles[] = {ROTATION_0, ROTATION_90, ROTATION_180, ROTATION_270};
#define ANGLE_COUNT 4

struct screen_size {
    const char *name;
    int w, h;
};
static const struct screen_size kiosk_sizes[] = {
    {"landscape 800x480", 800, 480},
    {"portrait 720x1280", 720, 1280},
};
#define SIZE_COUNT 2

static void expect_pixel(struct rotation_pixel got, int x, int y, const char *what)
{
    if (got.x != x || got.y != y) {
        fail_msg("%s: got logical (%d, %d), expected (%d, %d)", what, got.x, got.y, x, y);
    }
}

static void test_parse_accepts_the_four_angles_and_nothing_else(void **state)
{
    (void)state;
    enum rotation angle = ROTATION_0;
    assert_int_equal(rotation_parse("90", &angle), 0);
    assert_int_equal(angle, ROTATION_90);
    assert_int_equal(rotation_parse(" 270 ", &angle), 0);
    assert_int_equal(angle, ROTATION_270);
    assert_int_equal(rotation_parse("180", &angle), 0);
    assert_int_equal(angle, ROTATION_180);
    assert_int_equal(rotation_parse("0", &angle), 0);
    assert_int_equal(angle, ROTATION_0);
    const char *refused[] = {"", " ", "45", "-90", "360", "90deg", "ninety", "9 0", "1e2"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        angle = ROTATION_180;
        if (rotation_parse(refused[i], &angle) != -EINVAL || angle != ROTATION_180) {
            fail_msg("\"%s\" was accepted or changed the angle", refused[i]);
        }
    }
    assert_int_equal(rotation_parse(NULL, &angle), -EINVAL);
}

/*
 * Where each corner of the output (the panel as mounted) lands on the logical screen.
 * Written out by hand from the picture turned clockwise: with 90 the logical top edge runs
 * down the output's right side, so the output's top-right corner is the logical top-left.
 */
static void test_output_corners_land_on_the_matching_logical_corners(void **state)
{
    (void)state;
    static const double corner[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}}; /* TL TR BR BL */
    /* For each angle, the logical corner (0 = left/top, 1 = right/bottom) of each output
     * corner in the order above. */
    static const int expected[ANGLE_COUNT][4][2] = {
        {{0, 0}, {1, 0}, {1, 1}, {0, 1}}, /* 0: unchanged */
        {{0, 1}, {0, 0}, {1, 0}, {1, 1}}, /* 90 */
        {{1, 1}, {0, 1}, {0, 0}, {1, 0}}, /* 180 */
        {{1, 0}, {1, 1}, {0, 1}, {0, 0}}, /* 270 */
    };
    for (int s = 0; s < SIZE_COUNT; s++) {
        int w = kiosk_sizes[s].w, h = kiosk_sizes[s].h;
        for (int a = 0; a < ANGLE_COUNT; a++) {
            for (int c = 0; c < 4; c++) {
                char what[96];
                snprintf(what, sizeof what, "%s, %d degrees, output corner %d", kiosk_sizes[s].name,
                         (int)all_angles[a], c);
                struct rotation_pixel got =
                    rotation_touch_to_logical(all_angles[a], corner[c][0], corner[c][1], w, h);
                expect_pixel(got, expected[a][c][0] ? w - 1 : 0, expected[a][c][1] ? h - 1 : 0,
                             what);
            }
        }
    }
}

static void test_the_centre_stays_the_centre_at_every_angle(void **state)
{
    (void)state;
    for (int s = 0; s < SIZE_COUNT; s++) {
        for (int a = 0; a < ANGLE_COUNT; a++) {
            struct rotation_pixel got = rotation_touch_to_logical(
                all_angles[a], 0.5, 0.5, kiosk_sizes[s].w, kiosk_sizes[s].h);
            expect_pixel(got, kiosk_sizes[s].w / 2, kiosk_sizes[s].h / 2, kiosk_sizes[s].name);
        }
    }
}

/* The official 7" display (800x480) hung upside down: a finger near the panel's top-left
 * is near the logical bottom-right, where the picture's bottom-right corner is shown. */
static void test_upside_down_panel_mirrors_both_axes(void **state)
{
    (void)state;
    struct rotation_pixel got =
        rotation_touch_to_logical(ROTATION_180, (10 + 0.5) / 800, (20 + 0.5) / 480, 800, 480);
    expect_pixel(got, 800 - 1 - 10, 480 - 1 - 20, "finger at panel pixel (10, 20)");
}

/* A landscape kiosk (800x480) on a portrait panel (480x800) turned 90 degrees clockwise:
 * panel pixel (px, py) shows logical (py, 479 - px). */
static void test_quarter_turn_maps_panel_pixels_exactly(void **state)
{
    (void)state;
    const int panel_w = 480, panel_h = 800;
    const int samples[][2] = {{0, 0}, {100, 50}, {479, 799}, {240, 400}, {3, 797}};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        int px = samples[i][0], py = samples[i][1];
        struct rotation_pixel got = rotation_touch_to_logical(ROTATION_90, (px + 0.5) / panel_w,
                                                              (py + 0.5) / panel_h, 800, 480);
        expect_pixel(got, py, 479 - px, "90 degrees, panel pixel");
        got = rotation_touch_to_logical(ROTATION_270, (px + 0.5) / panel_w, (py + 0.5) / panel_h,
                                        800, 480);
        expect_pixel(got, 799 - py, px, "270 degrees, panel pixel");
    }
}

static void test_every_logical_pixel_survives_the_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < SIZE_COUNT; s++) {
        int w = kiosk_sizes[s].w, h = kiosk_sizes[s].h;
        for (int a = 0; a < ANGLE_COUNT; a++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    struct rotation_point shown =
                        rotation_logical_to_output(all_angles[a], x, y, w, h);
                    struct rotation_pixel back =
                        rotation_touch_to_logical(all_angles[a], shown.x, shown.y, w, h);
                    if (back.x != x || back.y != y) {
                        fail_msg("%s, %d degrees: (%d, %d) came back as (%d, %d)",
                                 kiosk_sizes[s].name, (int)all_angles[a], x, y, back.x, back.y);
                    }
                }
            }
        }
    }
}

/* Every pixel of the output maps to its own logical pixel: nothing on screen is
 * unreachable and no two panel pixels fight over one widget pixel. */
static void test_output_pixels_and_logical_pixels_pair_one_to_one(void **state)
{
    (void)state;
    const int w = 8, h = 6; /* small and uneven on purpose */
    for (int a = 0; a < ANGLE_COUNT; a++) {
        int ow, oh;
        rotation_output_size(all_angles[a], w, h, &ow, &oh);
        int hits[6][8] = {{0}};
        for (int py = 0; py < oh; py++) {
            for (int px = 0; px < ow; px++) {
                struct rotation_pixel p = rotation_touch_to_logical(all_angles[a], (px + 0.5) / ow,
                                                                    (py + 0.5) / oh, w, h);
                hits[p.y][p.x]++;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (hits[y][x] != 1) {
                    fail_msg("%d degrees: logical (%d, %d) hit %d times", (int)all_angles[a], x, y,
                             hits[y][x]);
                }
            }
        }
    }
}

static void test_output_size_swaps_for_a_quarter_turn(void **state)
{
    (void)state;
    int ow = 0, oh = 0;
    rotation_output_size(ROTATION_0, 800, 480, &ow, &oh);
    assert_true(ow == 800 && oh == 480);
    rotation_output_size(ROTATION_180, 720, 1280, &ow, &oh);
    assert_true(ow == 720 && oh == 1280);
    rotation_output_size(ROTATION_90, 800, 480, &ow, &oh);
    assert_true(ow == 480 && oh == 800);
    rotation_output_size(ROTATION_270, 720, 1280, &ow, &oh);
    assert_true(ow == 1280 && oh == 720);
}

static void test_touches_off_the_edge_or_garbage_clamp_to_the_edge(void **state)
{
    (void)state;
    expect_pixel(rotation_touch_to_logical(ROTATION_0, -0.2, 1.7, 800, 480), 0, 479,
                 "outside the output");
    expect_pixel(rotation_touch_to_logical(ROTATION_0, NAN, 0.5, 800, 480), 0, 240, "NaN");
    expect_pixel(rotation_touch_to_logical(ROTATION_90, 2.0, -1.0, 800, 480), 0, 0,
                 "outside, 90 degrees");
    /* an angle the config can never produce is treated as 0, not as garbage */
    expect_pixel(rotation_touch_to_logical((enum rotation)45, 0.25, 0.75, 800, 480), 200, 360,
                 "unknown angle");
}

/* --- the app's way of turning the picture, with SDL's software renderer ---------------- */

static Uint32 marker_colour(int i)
{
    return 0xFF000000u | (Uint32)(0x20 + 0x30 * (i % 5)) << 16 | (Uint32)(0x40 + 0x20 * i) << 8 |
           0xC0u;
}

/*
 * Draws distinct one-pixel markers on a logical texture, turns it onto an output surface
 * with SDL_RenderCopyEx as the app does, and checks each marker shows exactly where
 * rotation_logical_to_output says, and that a touch there maps back to the marker.
 */
static void check_rendered_turn(enum rotation angle, int w, int h)
{
    int ow, oh;
    rotation_output_size(angle, w, h, &ow, &oh);
    SDL_Surface *output = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(output);
    SDL_Renderer *renderer = SDL_CreateSoftwareRenderer(output);
    assert_non_null(renderer);
    SDL_Texture *logical =
        SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    assert_non_null(logical);
    SDL_SetTextureScaleMode(logical, SDL_ScaleModeNearest);
    const int markers[][2] = {{0, 0},     {w - 1, 0},     {w - 1, h - 1},
                              {0, h - 1}, {w / 3, h / 5}, {20, 20}};
    const int marker_count = (int)(sizeof markers / sizeof markers[0]);

    assert_int_equal(SDL_SetRenderTarget(renderer, logical), 0);
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderClear(renderer);
    for (int i = 0; i < marker_count; i++) {
        Uint32 c = marker_colour(i);
        SDL_SetRenderDrawColor(renderer, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, 255);
        SDL_RenderDrawPoint(renderer, markers[i][0], markers[i][1]);
    }
    assert_int_equal(SDL_SetRenderTarget(renderer, NULL), 0);
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderClear(renderer);
    double x, y, dw, dh;
    rotation_copy_rect(angle, w, h, &x, &y, &dw, &dh);
    SDL_FRect dst = {(float)x, (float)y, (float)dw, (float)dh};
    assert_int_equal(
        SDL_RenderCopyExF(renderer, logical, NULL, &dst, (double)angle, NULL, SDL_FLIP_NONE), 0);
    SDL_RenderPresent(renderer);

    const Uint32 *pixels = output->pixels;
    int pitch = output->pitch / 4;
    for (int i = 0; i < marker_count; i++) {
        int found = 0, fx = -1, fy = -1;
        for (int py = 0; py < oh; py++) {
            for (int px = 0; px < ow; px++) {
                if ((pixels[py * pitch + px] | 0xFF000000u) == marker_colour(i)) {
                    found++;
                    fx = px;
                    fy = py;
                }
            }
        }
        if (found != 1) {
            fail_msg("%dx%d at %d degrees: marker at logical (%d, %d) found %d times", w, h,
                     (int)angle, markers[i][0], markers[i][1], found);
        }
        struct rotation_point expected =
            rotation_logical_to_output(angle, markers[i][0], markers[i][1], w, h);
        int ex = (int)floor(expected.x * ow), ey = (int)floor(expected.y * oh);
        if (fx != ex || fy != ey) {
            fail_msg("%dx%d at %d degrees: marker (%d, %d) drawn at output (%d, %d), "
                     "rotation_logical_to_output says (%d, %d)",
                     w, h, (int)angle, markers[i][0], markers[i][1], fx, fy, ex, ey);
        }
        struct rotation_pixel touched =
            rotation_touch_to_logical(angle, (fx + 0.5) / ow, (fy + 0.5) / oh, w, h);
        expect_pixel(touched, markers[i][0], markers[i][1], "a touch on the drawn marker");
    }
    SDL_DestroyTexture(logical);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(output);
}

static void test_a_touch_lands_where_the_renderer_drew_it(void **state)
{
    (void)state;
    for (int s = 0; s < SIZE_COUNT; s++) {
        for (int a = 0; a < ANGLE_COUNT; a++) {
            check_rendered_turn(all_angles[a], kiosk_sizes[s].w, kiosk_sizes[s].h);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_the_four_angles_and_nothing_else),
        cmocka_unit_test(test_output_corners_land_on_the_matching_logical_corners),
        cmocka_unit_test(test_the_centre_stays_the_centre_at_every_angle),
        cmocka_unit_test(test_upside_down_panel_mirrors_both_axes),
        cmocka_unit_test(test_quarter_turn_maps_panel_pixels_exactly),
        cmocka_unit_test(test_every_logical_pixel_survives_the_round_trip),
        cmocka_unit_test(test_output_pixels_and_logical_pixels_pair_one_to_one),
        cmocka_unit_test(test_output_size_swaps_for_a_quarter_turn),
        cmocka_unit_test(test_touches_off_the_edge_or_garbage_clamp_to_the_edge),
        cmocka_unit_test(test_a_touch_lands_where_the_renderer_drew_it),
    };
    return cmocka_run_group_tests_name("rotation", tests, NULL, NULL);
}
