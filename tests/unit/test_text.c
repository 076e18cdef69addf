/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for ui/text: every test draws with a software renderer into an 800x480 ARGB surface
 * (the kiosk's screen size) and reads the pixels back. Black text on white; "ink" is a pixel
 * noticeably darker than white.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "ui/text.h"

#define FONT_DIR "/usr/share/fonts/truetype/noto/"
#define SCREEN_W 800
#define SCREEN_H 480
#define INK_THRESHOLD 40

static const struct ui_text_fonts noto = {
    .regular = FONT_DIR "NotoSans-Regular.ttf",
    .bold = FONT_DIR "NotoSans-Bold.ttf",
    .arabic = FONT_DIR "NotoSansArabic-Regular.ttf",
    .arabic_bold = FONT_DIR "NotoSansArabic-Bold.ttf",
};

struct fixture {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    struct ui_text *text;
};

/* A block of darkness values (255 - darkest channel) cut out of the surface. */
struct patch {
    int w, h;
    unsigned char *dark;
};

static const SDL_Color black = {0, 0, 0, 0xFF};

static struct ui_text_style style(int size_px, bool rtl, enum ui_align align)
{
    return (struct ui_text_style){
        .size_px = size_px, .color = black, .align = align, .valign = UI_VALIGN_TOP, .rtl = rtl};
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->surface =
        SDL_CreateRGBSurfaceWithFormat(0, SCREEN_W, SCREEN_H, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(f->surface);
    f->renderer = SDL_CreateSoftwareRenderer(f->surface);
    assert_non_null(f->renderer);
    char err[512];
    f->text = ui_text_open(f->renderer, &noto, err, sizeof err);
    if (!f->text) {
        fail_msg("ui_text_open: %s", err);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ui_text_close(f->text);
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    free(f);
    return 0;
}

static void clear(struct fixture *f)
{
    SDL_SetRenderDrawColor(f->renderer, 0xFF, 0xFF, 0xFF, 0xFF);
    SDL_RenderClear(f->renderer);
    SDL_RenderFlush(f->renderer);
}

static int draw(struct fixture *f, const char *utf8, struct ui_text_style s, SDL_Rect box)
{
    int height = ui_text_draw(f->text, utf8, &s, box);
    SDL_RenderFlush(f->renderer);
    return height;
}

static Uint32 pixel(const SDL_Surface *surface, int x, int y)
{
    const Uint8 *row = (const Uint8 *)surface->pixels + (size_t)y * (size_t)surface->pitch;
    return ((const Uint32 *)row)[x];
}

static int darkness(const SDL_Surface *surface, int x, int y)
{
    Uint32 p = pixel(surface, x, y);
    int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
    int lowest = SDL_min(r, SDL_min(g, b));
    return 255 - lowest;
}

/* Number of ink pixels in area, and their bounding box in *bounds (w = 0 when none). */
static int ink_in(const SDL_Surface *surface, SDL_Rect area, SDL_Rect *bounds)
{
    int count = 0, min_x = INT32_MAX, min_y = INT32_MAX, max_x = -1, max_y = -1;
    for (int y = area.y; y < area.y + area.h; y++) {
        for (int x = area.x; x < area.x + area.w; x++) {
            if (darkness(surface, x, y) > INK_THRESHOLD) {
                count++;
                min_x = SDL_min(min_x, x), max_x = SDL_max(max_x, x);
                min_y = SDL_min(min_y, y), max_y = SDL_max(max_y, y);
            }
        }
    }
    if (bounds) {
        *bounds = count ? (SDL_Rect){min_x, min_y, max_x - min_x + 1, max_y - min_y + 1}
                        : (SDL_Rect){0, 0, 0, 0};
    }
    return count;
}

static int ink_outside(const SDL_Surface *surface, SDL_Rect box)
{
    int count = 0;
    for (int y = 0; y < surface->h; y++) {
        for (int x = 0; x < surface->w; x++) {
            SDL_Point point = {x, y};
            if (!SDL_PointInRect(&point, &box) && darkness(surface, x, y) > INK_THRESHOLD) {
                count++;
            }
        }
    }
    return count;
}

/* Columns inside the ink's bounding box that carry no ink at all (gaps between letters). */
static int empty_columns(const SDL_Surface *surface, SDL_Rect bounds)
{
    int empty = 0;
    for (int x = bounds.x; x < bounds.x + bounds.w; x++) {
        int ink = 0;
        for (int y = bounds.y; y < bounds.y + bounds.h; y++) {
            ink += darkness(surface, x, y) > INK_THRESHOLD;
        }
        empty += ink == 0;
    }
    return empty;
}

static struct patch cut_patch(const SDL_Surface *surface, SDL_Rect area)
{
    struct patch p = {area.w, area.h, malloc((size_t)area.w * (size_t)area.h)};
    assert_non_null(p.dark);
    for (int y = 0; y < area.h; y++) {
        for (int x = 0; x < area.w; x++) {
            p.dark[y * area.w + x] = (unsigned char)darkness(surface, area.x + x, area.y + y);
        }
    }
    return p;
}

/* Where in area the patch matches best (smallest sum of absolute differences). */
static long best_match(const SDL_Surface *surface, SDL_Rect area, const struct patch *p,
                       SDL_Point *where)
{
    long best = -1;
    for (int y = area.y; y + p->h <= area.y + area.h; y++) {
        for (int x = area.x; x + p->w <= area.x + area.w; x++) {
            long sum = 0;
            for (int py = 0; py < p->h && (best < 0 || sum < best); py++) {
                for (int px = 0; px < p->w; px++) {
                    sum += labs((long)darkness(surface, x + px, y + py) - p->dark[py * p->w + px]);
                }
            }
            if (best < 0 || sum < best) {
                best = sum;
                *where = (SDL_Point){x, y};
            }
        }
    }
    return best;
}

static long patch_total(const struct patch *p)
{
    long total = 0;
    for (int i = 0; i < p->w * p->h; i++) {
        total += p->dark[i];
    }
    return total;
}

static void test_arabic_paragraph_starts_at_the_right_edge(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {100, 40, 600, 120};
    SDL_Rect left_half = {box.x, box.y, box.w / 2, box.h};
    SDL_Rect bounds;

    clear(f);
    assert_true(draw(f, "مرحبا بكم", style(32, true, UI_ALIGN_START), box) > 0);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_true(bounds.x + bounds.w >= box.x + box.w - 6);
    assert_int_equal(ink_in(f->surface, left_half, NULL), 0);

    /* The same alignment in a left-to-right paragraph starts at the left edge. */
    clear(f);
    draw(f, "Welkom", style(32, false, UI_ALIGN_START), box);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_true(bounds.x <= box.x + 6);
    assert_int_equal(
        ink_in(f->surface, (SDL_Rect){box.x + box.w / 2, box.y, box.w / 2, box.h}, NULL), 0);
}

static void test_arabic_digits_keep_their_order(void **state)
{
    struct fixture *f = *state;
    SDL_Rect mixed_box = {0, 0, SCREEN_W, 110};
    SDL_Rect digits_box = {0, 200, SCREEN_W, 100};
    SDL_Rect reversed_box = {0, 340, SCREEN_W, 100};
    SDL_Rect mixed_ink, digits_ink, reversed_ink;

    clear(f);
    draw(f, "الساعة 10:30", style(40, true, UI_ALIGN_START), mixed_box);
    draw(f, "10:30", style(40, false, UI_ALIGN_START), digits_box);
    draw(f, "03:01", style(40, false, UI_ALIGN_START), reversed_box);
    assert_true(ink_in(f->surface, mixed_box, &mixed_ink) > 0);
    assert_true(ink_in(f->surface, digits_box, &digits_ink) > 0);
    assert_true(ink_in(f->surface, reversed_box, &reversed_ink) > 0);

    struct patch digits = cut_patch(f->surface, digits_ink);
    struct patch reversed = cut_patch(f->surface, reversed_ink);
    SDL_Point at = {0, 0}, reversed_at = {0, 0};
    long difference = best_match(f->surface, mixed_ink, &digits, &at);
    long reversed_difference = best_match(f->surface, mixed_ink, &reversed, &reversed_at);

    /* "10:30" appears pixel for pixel in the mixed line; "03:01" nowhere near. */
    assert_true(difference >= 0 && difference <= patch_total(&digits) / 50);
    assert_true(reversed_difference > patch_total(&reversed) / 5);

    /* The number is the left end of the line; the Arabic word lies to its right. */
    assert_true(at.x - mixed_ink.x <= 1);
    SDL_Rect right_of_digits = {at.x + digits.w + 1, mixed_box.y,
                                mixed_ink.x + mixed_ink.w - (at.x + digits.w + 1), mixed_box.h};
    assert_true(right_of_digits.w > 40);
    assert_true(ink_in(f->surface, right_of_digits, NULL) > 200);
    free(digits.dark);
    free(reversed.dark);
}

static void test_arabic_letters_are_joined(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {100, 100, 600, 120};
    struct ui_text_style s = style(40, true, UI_ALIGN_START);
    SDL_Rect bounds;

    /* ب ي ت all join: one unbroken stroke along the baseline. */
    clear(f);
    draw(f, "بيت", s, box);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_int_equal(empty_columns(f->surface, bounds), 0);

    /* The same letters in their isolated presentation forms stand apart (the measure works). */
    clear(f);
    draw(f, "ﺏﻱﺕ", s, box);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_true(empty_columns(f->surface, bounds) >= 2);

    /* Joined, the word is much narrower than its letters drawn one by one. */
    int word = 0, letter = 0, letters = 0;
    ui_text_measure(f->text, "بيت", &s, box.w, &word);
    const char *const each[] = {"ب", "ي", "ت"};
    for (size_t i = 0; i < 3; i++) {
        ui_text_measure(f->text, each[i], &s, box.w, &letter);
        assert_true(letter > 0);
        letters += letter;
    }
    assert_true(word > 0);
    assert_true(word * 10 < letters * 8);
}

static void test_long_text_wraps_inside_box_and_never_draws_outside(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {250, 120, 300, 200};
    const char *const texts[] = {
        "Welkom bij het inloopspreekuur. Tik op de knop hieronder om u aan te melden. Een "
        "medewerker komt u zo halen. U hoeft niets mee te nemen.",
        "أهلاً وسهلاً بكم في غرفة الانتظار. اضغط على الزر في الأسفل لتسجيل وصولك. سيأتي "
        "موظف لاستقبالك بعد قليل.",
    };
    for (size_t i = 0; i < 2; i++) {
        SDL_Rect bounds;
        struct ui_text_style s = style(28, i == 1, UI_ALIGN_START);
        clear(f);
        int height = draw(f, texts[i], s, box);
        assert_true(height > 0 && height <= box.h);
        assert_true(ink_in(f->surface, box, &bounds) > 0);
        assert_int_equal(ink_outside(f->surface, box), 0);
        assert_true(bounds.h > 2 * s.size_px); /* more than one line: it wrapped */
        int widest = 0;
        ui_text_measure(f->text, texts[i], &s, box.w, &widest);
        assert_true(widest > 0 && widest <= box.w);
    }
}

static void test_a_word_wider_than_the_box_breaks_between_letters(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {300, 100, 150, 250};
    const char *word = "Schuldhulpverleningsorganisatie";
    struct ui_text_style s = style(28, false, UI_ALIGN_START);
    SDL_Rect bounds;
    int widest = 0;
    int one_line = ui_text_measure(f->text, "S", &s, 0, NULL);

    assert_true(ui_text_measure(f->text, word, &s, box.w, &widest) >= 3 * one_line);
    assert_true(widest > box.w / 2 && widest <= box.w);
    clear(f);
    draw(f, word, s, box);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_int_equal(ink_outside(f->surface, box), 0);
    assert_true(bounds.h > 2 * one_line);
}

static void test_lines_that_do_not_fit_are_not_drawn(void **state)
{
    struct fixture *f = *state;
    struct ui_text_style s = style(28, false, UI_ALIGN_START);
    int line = ui_text_measure(f->text, "Een", &s, 0, NULL);
    assert_int_equal(ui_text_measure(f->text, "Een\nTwee\nDrie", &s, 0, NULL), 3 * line);

    SDL_Rect box = {100, 100, 400, 2 * line + line / 2};
    clear(f);
    assert_int_equal(draw(f, "Een\nTwee\nDrie", s, box), 2 * line);
    SDL_Rect below_two_lines = {box.x, box.y + 2 * line, box.w, box.h - 2 * line};
    assert_true(ink_in(f->surface, (SDL_Rect){box.x, box.y + line, box.w, line}, NULL) > 0);
    assert_int_equal(ink_in(f->surface, below_two_lines, NULL), 0);
    assert_int_equal(ink_outside(f->surface, box), 0);
}

static void test_fit_keeps_words_whole_when_a_smaller_size_allows(void **state)
{
    struct fixture *f = *state;
    /* A language button: two lines fit at 24 px only by breaking "Nederlands". */
    SDL_Rect box = {0, 0, 100, 80};
    struct ui_text_style s = style(24, true, UI_ALIGN_CENTER);
    int size = ui_text_fit(f->text, "Nederlands", &s, box, 12);
    struct ui_text_style fitted = s;
    fitted.size_px = size;
    int one_line_width = 0;
    ui_text_measure(f->text, "Nederlands", &fitted, 0, &one_line_width);
    assert_true(one_line_width <= box.w);
    assert_true(size < 24);
    /* When no size keeps the word whole, it still fits by breaking it. */
    SDL_Rect narrow = {0, 0, 30, 200};
    int broken = ui_text_fit(f->text, "Nederlands", &s, narrow, 12);
    fitted.size_px = broken;
    int widest = 0;
    int height = ui_text_measure(f->text, "Nederlands", &fitted, narrow.w, &widest);
    assert_true(height <= narrow.h && widest <= narrow.w);
}

static void test_fit_shrinks_until_it_fits(void **state)
{
    struct fixture *f = *state;
    const char *text = "Welkom bij het inloopspreekuur van de schuldhulpverlening";
    SDL_Rect box = {0, 0, 400, 90};
    struct ui_text_style s = style(44, false, UI_ALIGN_START);
    int widest = 0;

    int size = ui_text_fit(f->text, text, &s, box, 16);
    assert_true(size < 44 && size >= 16);
    assert_int_equal((44 - size) % 2, 0);

    struct ui_text_style fitted = s;
    fitted.size_px = size;
    int height = ui_text_measure(f->text, text, &fitted, box.w, &widest);
    assert_true(height > 0 && height <= box.h && widest <= box.w);

    /* It is the largest such size: one step up no longer fits. */
    fitted.size_px = size + 2;
    height = ui_text_measure(f->text, text, &fitted, box.w, &widest);
    assert_true(height > box.h || widest > box.w);

    /* Drawn at that size, every line is there and nothing leaves the box. */
    fitted.size_px = size;
    clear(f);
    assert_int_equal(draw(f, text, fitted, box),
                     ui_text_measure(f->text, text, &fitted, box.w, NULL));
    assert_int_equal(ink_outside(f->surface, box), 0);

    /* Short text keeps its size. */
    assert_int_equal(ui_text_fit(f->text, "Ja", &s, box, 16), 44);
}

static void test_center_alignment_is_centered(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {100, 100, 600, 100};
    const char *const texts[] = {"Oase", "مرحبا"};
    for (size_t i = 0; i < 2; i++) {
        SDL_Rect bounds;
        clear(f);
        draw(f, texts[i], style(40, i == 1, UI_ALIGN_CENTER), box);
        assert_true(ink_in(f->surface, box, &bounds) > 0);
        int left = bounds.x - box.x;
        int right = box.x + box.w - (bounds.x + bounds.w);
        assert_true(abs(left - right) <= 2);
        assert_true(left > box.w / 4);
    }
}

static void test_valign_bottom_puts_the_text_at_the_bottom(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {100, 50, 600, 300};
    struct ui_text_style s = style(28, false, UI_ALIGN_START);
    s.valign = UI_VALIGN_BOTTOM;
    SDL_Rect bounds;
    int line = ui_text_measure(f->text, "Welkom", &s, box.w, NULL);

    clear(f);
    draw(f, "Welkom", s, box);
    assert_true(ink_in(f->surface, box, &bounds) > 0);
    assert_true(bounds.y >= box.y + box.h - line);
}

static void test_newline_forces_a_break(void **state)
{
    struct fixture *f = *state;
    struct ui_text_style s = style(28, false, UI_ALIGN_START);
    int one = ui_text_measure(f->text, "Ja", &s, 700, NULL);
    int widest_two = 0, widest_one = 0;
    assert_true(one > 0);
    assert_int_equal(ui_text_measure(f->text, "Ja\nNee", &s, 700, &widest_two), 2 * one);
    ui_text_measure(f->text, "Nee", &s, 700, &widest_one);
    assert_int_equal(widest_two, widest_one);
}

static void test_bad_bytes_and_overlong_text_are_drawn_safely(void **state)
{
    struct fixture *f = *state;
    struct ui_text_style s = style(28, false, UI_ALIGN_START);
    SDL_Rect box = {0, 0, SCREEN_W, SCREEN_H};

    clear(f);
    assert_true(draw(f, "Ja\xff\xc3 nee\x01\xe2\x82", s, box) > 0);
    assert_true(ink_in(f->surface, box, NULL) > 0);

    /* 10 KB of text: cut at 4 KiB, so it measures like its first 4 KiB. */
    size_t length = 10000;
    char *long_text = malloc(length + 1);
    assert_non_null(long_text);
    for (size_t i = 0; i < length; i++) {
        long_text[i] = i % 5 == 4 ? ' ' : 'a';
    }
    long_text[length] = '\0';
    int full = ui_text_measure(f->text, long_text, &s, 700, NULL);
    long_text[4096] = '\0';
    assert_int_equal(full, ui_text_measure(f->text, long_text, &s, 700, NULL));
    assert_true(full > 0);
    clear(f);
    assert_true(draw(f, long_text, s, box) <= box.h);
    free(long_text);
}

static void test_missing_font_gives_clear_error(void **state)
{
    struct fixture *f = *state;
    char dir_template[] = "/tmp/oase-text-XXXXXX";
    char *dir = mkdtemp(dir_template);
    assert_non_null(dir);
    char missing[256], garbage[256], err[512];
    assert_true(snprintf(missing, sizeof missing, "%s/missing.ttf", dir) < (int)sizeof missing);
    assert_true(snprintf(garbage, sizeof garbage, "%s/garbage.ttf", dir) < (int)sizeof garbage);
    FILE *file = fopen(garbage, "w");
    assert_non_null(file);
    fputs("this is not a font\n", file);
    fclose(file);

    struct ui_text_fonts fonts = noto;
    fonts.regular = missing;
    assert_null(ui_text_open(f->renderer, &fonts, err, sizeof err));
    assert_int_equal(strncmp(err, missing, strlen(missing)), 0);
    assert_non_null(strstr(err, ": cannot open font: "));

    /* A missing Arabic font degrades Arabic only: the text opens and says why. */
    fonts = noto;
    fonts.arabic = missing;
    struct ui_text *degraded = ui_text_open(f->renderer, &fonts, err, sizeof err);
    assert_non_null(degraded);
    const char *why = ui_text_arabic_missing(degraded);
    assert_int_equal(strncmp(why, missing, strlen(missing)), 0);
    assert_non_null(strstr(why, ": cannot open font: "));
    ui_text_close(degraded);

    fonts = noto;
    fonts.bold = garbage;
    assert_null(ui_text_open(f->renderer, &fonts, err, sizeof err));
    assert_int_equal(strncmp(err, garbage, strlen(garbage)), 0);
    assert_non_null(strstr(err, ": cannot open font: "));

    unlink(garbage);
    rmdir(dir);
}

static void test_cache_hit_does_not_rerender(void **state)
{
    struct fixture *f = *state;
    SDL_Rect box = {100, 100, 600, 200};
    struct ui_text_style s = style(32, true, UI_ALIGN_START);
    const char *text = "الساعة 10:30 في Oase";
    size_t bytes = (size_t)f->surface->pitch * (size_t)f->surface->h;
    unsigned char *first = malloc(bytes);
    assert_non_null(first);

    clear(f);
    draw(f, text, s, box);
    memcpy(first, f->surface->pixels, bytes);
    struct ui_text_stats before = ui_text_stats(f->text);
    assert_true(before.runs_rendered >= 3); /* Arabic, digits, Latin */

    clear(f);
    draw(f, text, s, box);
    struct ui_text_stats after = ui_text_stats(f->text);
    assert_int_equal(after.ttf_calls, before.ttf_calls);
    assert_int_equal(after.runs_rendered, before.runs_rendered);
    assert_int_equal(after.layouts_built, before.layouts_built);
    assert_true(after.runs_reused >= before.runs_reused + 3);
    assert_memory_equal(first, f->surface->pixels, bytes);

    /* Another colour reuses the same textures and shows the new colour. */
    s.color = (SDL_Color){0xC0, 0, 0, 0xFF};
    clear(f);
    draw(f, text, s, box);
    assert_int_equal(ui_text_stats(f->text).ttf_calls, before.ttf_calls);
    Uint32 reddest = 0;
    for (int y = box.y; y < box.y + box.h; y++) {
        for (int x = box.x; x < box.x + box.w; x++) {
            Uint32 p = pixel(f->surface, x, y);
            if (((p >> 8) & 0xFF) < 0x40) {
                reddest = SDL_max(reddest, (p >> 16) & 0xFF);
            }
        }
    }
    assert_true(reddest >= 0xB0);

    /* After a flush the runs are rendered again (the counter sees real work). */
    ui_text_flush_cache(f->text);
    draw(f, text, s, box);
    assert_true(ui_text_stats(f->text).runs_rendered >= before.runs_rendered + 3);
    free(first);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    log_set_quiet(1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arabic_paragraph_starts_at_the_right_edge, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arabic_digits_keep_their_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arabic_letters_are_joined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_text_wraps_inside_box_and_never_draws_outside,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_word_wider_than_the_box_breaks_between_letters,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_lines_that_do_not_fit_are_not_drawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fit_keeps_words_whole_when_a_smaller_size_allows,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fit_shrinks_until_it_fits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_center_alignment_is_centered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valign_bottom_puts_the_text_at_the_bottom, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newline_forces_a_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bytes_and_overlong_text_are_drawn_safely, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_font_gives_clear_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_hit_does_not_rerender, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return failed;
}
