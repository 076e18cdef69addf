/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of screen geometry (screens/layout.c) and colours (ui/palette.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kiosk/staff.h"
#include "screens/layout.h"
#include "screens/render.h"
#include "ui/palette.h"

static const char codes[6][8] = {"nl", "en", "ar", "tr", "pl", "uk"};

static void build(struct layout *l, enum journey_screen screen, int w, int h, bool rtl,
                  int services)
{
    struct layout_input in = {.screen = screen,
                              .width = w,
                              .height = h,
                              .rtl = rtl,
                              .service_count = services,
                              .language_count = 6,
                              .language_codes = codes,
                              .departure_tap = true};
    layout_build(l, &in);
}

static const int sizes[][2] = {{800, 480}, {720, 1280}};

static void test_every_touch_target_is_at_least_64px_and_on_screen(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        for (int screen = 0; screen < SCREEN_COUNT; screen++) {
            for (int services = 1; services <= 6; services++) {
                struct layout l;
                build(&l, screen, sizes[s][0], sizes[s][1], false, services);
                for (int i = 0; i < l.count; i++) {
                    SDL_Rect r = l.widgets[i].rect;
                    int min = l.widgets[i].style == WIDGET_SCORE ? LAYOUT_MIN_SCORE_PX
                                                                 : LAYOUT_MIN_TARGET_PX;
                    if (r.w < min || r.h < min || r.x < 0 || r.y < 0 || r.x + r.w > l.width ||
                        r.y + r.h > l.height) {
                        fail_msg("%dx%d %s: %s is %dx%d at %d,%d", l.width, l.height,
                                 journey_screen_name(screen), l.widgets[i].id, r.w, r.h, r.x, r.y);
                    }
                }
            }
        }
    }
}

static void test_touch_targets_never_overlap(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        for (int screen = 0; screen < SCREEN_COUNT; screen++) {
            struct layout l;
            build(&l, screen, sizes[s][0], sizes[s][1], false, 6);
            for (int i = 0; i < l.count; i++) {
                for (int j = i + 1; j < l.count; j++) {
                    if (SDL_HasIntersection(&l.widgets[i].rect, &l.widgets[j].rect)) {
                        fail_msg("%dx%d %s: %s overlaps %s", l.width, l.height,
                                 journey_screen_name(screen), l.widgets[i].id, l.widgets[j].id);
                    }
                }
            }
        }
    }
}

static void test_every_question_screen_has_restart_language_and_help(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        for (int screen = 0; screen < SCREEN_COUNT; screen++) {
            struct layout l;
            build(&l, screen, sizes[s][0], sizes[s][1], s == 0, 6);
            const char *ids[] = {"restart", "language", "help"};
            for (size_t i = 0; i < 3; i++) {
                bool present = layout_find(&l, ids[i]) != NULL;
                if (present != journey_is_question(screen) && strcmp(ids[i], "restart") != 0) {
                    fail_msg("%dx%d %s: %s %s", l.width, l.height, journey_screen_name(screen),
                             ids[i], present ? "where there is no question" : "missing");
                }
                if (journey_is_question(screen) && !present) {
                    fail_msg("%dx%d %s: %s missing", l.width, l.height, journey_screen_name(screen),
                             ids[i]);
                }
            }
        }
    }
    struct layout l; /* still-there: a big "yes" */
    build(&l, SCREEN_STILL_THERE, 800, 480, false, 4);
    const struct ui_widget *yes = layout_find(&l, "yes");
    assert_non_null(yes);
    assert_true(yes->rect.w >= 300 && yes->rect.h >= 120);
}

static void test_a_title_never_ends_with_one_word_alone(void **state)
{
    (void)state;
    char out[64];
    render_bind_last_word("Hoeveel stress voelt u nu?", out, sizeof out);
    assert_string_equal(out, "Hoeveel stress voelt u\xC2\xA0nu?");
    render_bind_last_word("Ja", out, sizeof out);
    assert_string_equal(out, "Ja");
    render_bind_last_word("ab cd", out, 6); /* no room for the second byte */
    assert_string_equal(out, "ab cd");
    render_bind_last_word("z\xC2\xA0pracownikiem porozmawia\xC4\x87 z\xC2\xA0nim?", out,
                          sizeof out); /* already bound: left as it is */
    assert_string_equal(out, "z\xC2\xA0pracownikiem porozmawia\xC4\x87 z\xC2\xA0nim?");
    render_bind_last_word("Wij bellen de ledenadministratie?", out, sizeof out);
    assert_string_equal(out, "Wij bellen de ledenadministratie?"); /* 20+ bytes: free */
    render_bind_last_word(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_stress_scale_has_eleven_tiles_and_skip(void **state)
{
    (void)state;
    struct layout l;
    build(&l, SCREEN_STRESS, 800, 480, false, 4);
    for (int score = 0; score <= 10; score++) {
        char id[16];
        snprintf(id, sizeof id, "score:%d", score);
        assert_non_null(layout_find(&l, id));
    }
    assert_non_null(layout_find(&l, "skip"));
    assert_non_null(layout_find(&l, "back"));
    /* Left to right: 0 first. */
    assert_true(layout_find(&l, "score:0")->rect.x < layout_find(&l, "score:10")->rect.x);
}

static void test_right_to_left_mirrors_the_scale_and_buttons(void **state)
{
    (void)state;
    struct layout ltr, rtl;
    build(&ltr, SCREEN_STRESS, 800, 480, false, 4);
    build(&rtl, SCREEN_STRESS, 800, 480, true, 4);
    assert_true(layout_find(&rtl, "score:0")->rect.x > layout_find(&rtl, "score:10")->rect.x);
    const struct ui_widget *back_ltr = layout_find(&ltr, "back"),
                           *back_rtl = layout_find(&rtl, "back");
    assert_int_equal(back_rtl->rect.x, 800 - back_ltr->rect.x - back_ltr->rect.w);
    assert_true(rtl.anchor_low.x > rtl.anchor_high.x);
}

static void test_welcome_has_checkin_and_every_language(void **state)
{
    (void)state;
    struct layout l;
    build(&l, SCREEN_WELCOME, 720, 1280, false, 4);
    assert_non_null(layout_find(&l, "checkin"));
    assert_non_null(layout_find(&l, "leave"));
    for (int i = 0; i < 6; i++) {
        char id[24];
        snprintf(id, sizeof id, "lang:%.7s", codes[i]);
        assert_non_null(layout_find(&l, id));
    }
}

static void check_targets(const struct layout *l, const char *what)
{
    for (int i = 0; i < l->count; i++) {
        SDL_Rect r = l->widgets[i].rect;
        if (r.w < LAYOUT_MIN_TARGET_PX || r.h < LAYOUT_MIN_TARGET_PX || r.x < 0 || r.y < 0 ||
            r.x + r.w > l->width || r.y + r.h > l->height) {
            fail_msg("%s: %s is %dx%d at %d,%d", what, l->widgets[i].id, r.w, r.h, r.x, r.y);
        }
        for (int j = i + 1; j < l->count; j++) {
            if (SDL_HasIntersection(&r, &l->widgets[j].rect)) {
                fail_msg("%s: %s overlaps %s", what, l->widgets[i].id, l->widgets[j].id);
            }
        }
    }
}

static void test_staff_pad_and_menu_have_big_separate_targets(void **state)
{
    (void)state;
    static const char scenes[6][32] = {"welcome", "quiet", "closed", "evening", "cleaning", "x"};
    for (size_t s = 0; s < 2; s++) {
        for (int scene_count = 0; scene_count <= 6; scene_count++) {
            struct layout l;
            struct layout_staff_input in = {.staff_screen = STAFF_PIN,
                                            .width = sizes[s][0],
                                            .height = sizes[s][1],
                                            .scene_count = scene_count,
                                            .scene_names = scenes};
            layout_build_staff(&l, &in);
            check_targets(&l, "staff pad");
            assert_non_null(layout_find(&l, "pin:0"));
            assert_non_null(layout_find(&l, "pin:ok"));
            assert_non_null(layout_find(&l, "close"));
            in.staff_screen = STAFF_MENU;
            layout_build_staff(&l, &in);
            check_targets(&l, "staff menu");
            assert_non_null(layout_find(&l, "scene:schedule"));
            /* Every label has a size (a 0 drew the staff buttons without words). */
            for (int role = 0; role < TYPE_COUNT; role++) {
                assert_true(l.type_px[role] >= 14);
            }
            assert_int_equal(layout_find(&l, "scene:welcome") != NULL, scene_count > 0);
        }
    }
}

static void test_hit_finds_the_widget_under_a_point(void **state)
{
    (void)state;
    struct layout l;
    build(&l, SCREEN_WORD, 800, 480, false, 4);
    const struct ui_widget *yes = layout_find(&l, "word:yes");
    assert_ptr_equal(layout_hit(&l, yes->rect.x + 5, yes->rect.y + 5), yes);
    assert_null(layout_hit(&l, 2, 2));
}

static void test_text_colours_meet_wcag_aa(void **state)
{
    (void)state;
    assert_true(palette_contrast(PALETTE_INK, PALETTE_BACKGROUND) >= 4.5);
    assert_true(palette_contrast(PALETTE_INK, PALETTE_PANEL) >= 4.5);
    assert_true(palette_contrast(PALETTE_ON_BUTTON, PALETTE_PRIMARY) >= 4.5);
    assert_true(palette_contrast(PALETTE_ON_BUTTON, PALETTE_SECONDARY) >= 4.5);
    assert_true(palette_contrast(PALETTE_MUTED, PALETTE_BACKGROUND) >= 4.5);
    /* Pressed buttons keep their contrast. */
    assert_true(palette_contrast(PALETTE_ON_BUTTON, palette_pressed(PALETTE_PRIMARY)) >= 4.5);
    assert_true(palette_contrast(PALETTE_INK, palette_pressed(PALETTE_PANEL)) >= 4.5);
    /* The formula itself: black on white is 21:1. */
    assert_true(palette_contrast((SDL_Color){0, 0, 0, 255}, (SDL_Color){255, 255, 255, 255}) >
                20.99);
}

/* --- speech, large text, sizes in millimetres, the staff area ------------- */

static void build_access(struct layout *l, enum journey_screen screen, int w, int h, bool rtl,
                         bool speech, bool large)
{
    struct layout_input in = {.screen = screen,
                              .width = w,
                              .height = h,
                              .rtl = rtl,
                              .service_count = 4,
                              .language_count = 6,
                              .language_codes = codes,
                              .departure_tap = true,
                              .speech = speech,
                              .large_text = large,
                              .px_per_mm = w == 800 ? 800 / 154.2 : 720 / 87.5};
    layout_build(l, &in);
}

static void test_speak_and_large_text_are_on_every_visitor_screen(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        for (int screen = 0; screen < SCREEN_COUNT; screen++) {
            struct layout l;
            build_access(&l, screen, sizes[s][0], sizes[s][1], false, true, false);
            if (!layout_find(&l, "speak") || !layout_find(&l, "large-text")) {
                fail_msg("%dx%d %s lacks speak or large-text", l.width, l.height,
                         journey_screen_name(screen));
            }
            build_access(&l, screen, sizes[s][0], sizes[s][1], false, false, false);
            assert_null(layout_find(&l, "speak")); /* no espeak-ng: no control that says nothing */
            assert_non_null(layout_find(&l, "large-text"));
        }
    }
}

static void test_targets_are_9mm_with_2mm_gaps_in_both_scales(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        double px_mm = sizes[s][0] == 800 ? 800 / 154.2 : 720 / 87.5;
        for (int screen = 0; screen < SCREEN_COUNT; screen++) {
            for (int large = 0; large <= 1; large++) {
                struct layout l;
                build_access(&l, screen, sizes[s][0], sizes[s][1], false, true, large);
                for (int i = 0; i < l.count; i++) {
                    SDL_Rect a = l.widgets[i].rect;
                    if (a.w < 9 * px_mm || a.h < 9 * px_mm) {
                        fail_msg("%dx%d %s: %s is %.1f x %.1f mm", l.width, l.height,
                                 journey_screen_name(screen), l.widgets[i].id, a.w / px_mm,
                                 a.h / px_mm);
                    }
                    for (int j = i + 1; j < l.count; j++) {
                        SDL_Rect b = l.widgets[j].rect;
                        int dx = b.x >= a.x + a.w   ? b.x - a.x - a.w
                                 : a.x >= b.x + b.w ? a.x - b.x - b.w
                                                    : 0;
                        int dy = b.y >= a.y + a.h   ? b.y - a.y - a.h
                                 : a.y >= b.y + b.h ? a.y - b.y - b.h
                                                    : 0;
                        int gap = dx > dy ? dx : dy;
                        if (gap < 2 * px_mm) {
                            fail_msg("%dx%d %s: %s and %s are %.1f mm apart", l.width, l.height,
                                     journey_screen_name(screen), l.widgets[i].id, l.widgets[j].id,
                                     gap / px_mm);
                        }
                    }
                }
            }
        }
    }
}

static void test_type_sizes_give_capitals_of_at_least_4_8_mm(void **state)
{
    (void)state;
    const double panels[] = {800 / 154.2, 720 / 87.5, 1920 / 476.0};
    for (size_t p = 0; p < sizeof panels / sizeof panels[0]; p++) {
        for (int role = 0; role < TYPE_COUNT; role++) {
            int normal = layout_type_px(role, panels[p], false);
            int large = layout_type_px(role, panels[p], true);
            assert_true(layout_cap_mm(normal, panels[p]) >= 4.8);
            assert_true(large > normal); /* the large scale is larger for every role */
        }
        assert_true(layout_type_px(TYPE_TITLE, panels[p], false) >
                    layout_type_px(TYPE_BODY, panels[p], false));
    }
    /* The 7" panel: about 35 px for body text (26 px capitals, as docs/design.md says). */
    assert_int_equal(layout_type_px(TYPE_BODY, 800 / 154.2, false), 35);
}

static void test_staff_area_overlaps_no_visitor_control(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        for (int rtl = 0; rtl <= 1; rtl++) {
            for (int large = 0; large <= 1; large++) {
                struct layout l;
                build_access(&l, SCREEN_WELCOME, sizes[s][0], sizes[s][1], rtl, true, large);
                if (l.staff_area.w < 64 || l.staff_area.h < 64) {
                    fail_msg("%dx%d rtl=%d large=%d: staff area %dx%d", l.width, l.height, rtl,
                             large, l.staff_area.w, l.staff_area.h);
                }
                for (int i = 0; i < l.count; i++) {
                    if (SDL_HasIntersection(&l.staff_area, &l.widgets[i].rect)) {
                        fail_msg("%dx%d rtl=%d: the staff area overlaps %s", l.width, l.height, rtl,
                                 l.widgets[i].id);
                    }
                }
            }
        }
        for (int screen = 1; screen < SCREEN_COUNT; screen++) {
            struct layout l;
            build_access(&l, screen, sizes[s][0], sizes[s][1], false, true, false);
            assert_int_equal(l.staff_area.w, 0); /* only on the welcome screen */
        }
    }
}

static void test_stress_tiles_readable_and_never_alarm_red(void **state)
{
    (void)state;
    for (int score = 0; score <= 10; score++) {
        SDL_Color tile = palette_stress_tile(score);
        /* The starting palette said 8.9:1; the WCAG formula gives 8.86:1 for tile 10, still far
         * above 4.5. */
        assert_true(palette_contrast(PALETTE_INK, tile) >= 8.8);
        assert_true(palette_contrast(PALETTE_INK, palette_pressed(tile)) >= 4.5);
        SDL_Color band = palette_stress_band(score);
        /* Red dominant with little green would read as alarm: green stays above 0x80. */
        assert_true(tile.g >= 0xC0 && band.g >= 0x80);
    }
    SDL_Color first = palette_stress_tile(0), last = palette_stress_tile(10);
    assert_int_equal(first.r, 0xCF);
    assert_int_equal(last.r, 0xF6);
}

/* --- fit: large text adapts, the bottom controls stay ---------------- */

/* A stand-in for the renderer's measure: every block is one line of px * 1.37
 * px, a title two; at 50 px and more (large text above 1.1 on the 7" panel) four. */
static int fake_measure(void *ctx, enum layout_block block, int px, int width)
{
    (void)ctx;
    (void)width;
    int line = (px * 137 + 99) / 100;
    if (block == BLOCK_TITLE) {
        return (px >= 50 ? 4 : 2) * line;
    }
    return line;
}

static void test_large_text_takes_the_largest_scale_that_fits(void **state)
{
    (void)state;
    struct layout_input in = {.screen = SCREEN_STRESS,
                              .width = 800,
                              .height = 480,
                              .service_count = 4,
                              .language_count = 6,
                              .language_codes = codes,
                              .speech = true,
                              .large_text = true,
                              .px_per_mm = 800 / 154.2,
                              .measure = fake_measure};
    struct layout l;
    layout_build(&l, &in);
    assert_true(l.large_text);
    assert_true(l.text_scale >= 1.0 && l.text_scale < 1.3); /* 1.3 cannot fit four lines */
    assert_true(layout_fits(&l, &in));
    assert_true(l.type_px[TYPE_BODY] >= layout_type_px(TYPE_BODY, in.px_per_mm, false));
    for (int i = 0; i < l.count; i++) { /* all eleven tiles, skip and back on the screen */
        SDL_Rect r = l.widgets[i].rect;
        assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= 800 && r.y + r.h <= 480);
    }
    assert_non_null(layout_find(&l, "score:10"));
    in.large_text = false; /* normal text is never made smaller */
    layout_build(&l, &in);
    assert_true(l.text_scale == 1.0);
}

static void test_bottom_controls_never_move_for_text(void **state)
{
    (void)state;
    for (size_t s = 0; s < 2; s++) {
        struct layout plain, measured;
        struct layout_input in = {.screen = SCREEN_SERVICE,
                                  .width = sizes[s][0],
                                  .height = sizes[s][1],
                                  .service_count = 4,
                                  .language_count = 6,
                                  .language_codes = codes,
                                  .speech = true,
                                  .px_per_mm = sizes[s][0] == 800 ? 800 / 154.2 : 720 / 87.5};
        layout_build(&plain, &in);
        in.measure = fake_measure; /* a taller title: the tiles give way, back stays */
        layout_build(&measured, &in);
        const struct ui_widget *a = layout_find(&plain, "back"),
                               *b = layout_find(&measured, "back");
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->rect.y, b->rect.y);
        assert_int_equal(a->rect.y + a->rect.h, sizes[s][1] - (s ? 28 : 16));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_touch_target_is_at_least_64px_and_on_screen),
        cmocka_unit_test(test_touch_targets_never_overlap),
        cmocka_unit_test(test_every_question_screen_has_restart_language_and_help),
        cmocka_unit_test(test_a_title_never_ends_with_one_word_alone),
        cmocka_unit_test(test_stress_scale_has_eleven_tiles_and_skip),
        cmocka_unit_test(test_right_to_left_mirrors_the_scale_and_buttons),
        cmocka_unit_test(test_welcome_has_checkin_and_every_language),
        cmocka_unit_test(test_hit_finds_the_widget_under_a_point),
        cmocka_unit_test(test_staff_pad_and_menu_have_big_separate_targets),
        cmocka_unit_test(test_text_colours_meet_wcag_aa),
        cmocka_unit_test(test_stress_tiles_readable_and_never_alarm_red),
        cmocka_unit_test(test_speak_and_large_text_are_on_every_visitor_screen),
        cmocka_unit_test(test_targets_are_9mm_with_2mm_gaps_in_both_scales),
        cmocka_unit_test(test_type_sizes_give_capitals_of_at_least_4_8_mm),
        cmocka_unit_test(test_staff_area_overlaps_no_visitor_control),
        cmocka_unit_test(test_large_text_takes_the_largest_scale_that_fits),
        cmocka_unit_test(test_bottom_controls_never_move_for_text),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
