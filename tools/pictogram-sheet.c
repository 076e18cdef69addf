/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * pictogram-sheet: writes every pictogram (at 160 and 48 px, on paper and on a button),
 * some rounded rectangles and the calm scene at a few times into one PNG, for people to
 * look at before a pictogram or the scene ships. Uses the firmware's own draw module on
 * SDL's software renderer, so the sheet shows exactly what the kiosk draws.
 *
 *   build/pictogram-sheet [out.png]      (default /tmp/pictograms.png)
 */
#include <stdio.h>
#include <stdlib.h>

#include <SDL2/SDL.h>
#include <cairo.h>

#include "ui/draw.h"
#include "ui/palette.h"

#define SHEET_W 1400
#define SHEET_H 2400
#define BIG_PX 160
#define BIG_CELL_W 196
#define BIG_CELL_H 200
#define BIG_PER_ROW 7
#define SMALL_PX 48
#define SMALL_CELL 54

struct label {
    int x, y;
    char text[64];
};

#define LABELS_MAX 64

struct sheet {
    SDL_Renderer *renderer;
    struct ui_draw *draw;
    struct label labels[LABELS_MAX];
    int label_count;
};

static void add_label(struct sheet *sheet, int x, int y, const char *text)
{
    if (sheet->label_count >= LABELS_MAX) {
        return;
    }
    struct label *label = &sheet->labels[sheet->label_count];
    int written = snprintf(label->text, sizeof label->text, "%s", text);
    if (written < 0 || (size_t)written >= sizeof label->text) {
        return;
    }
    label->x = x;
    label->y = y;
    sheet->label_count++;
}

static int pictogram_count(void)
{
    int count = 0;
    while (ui_draw_pictogram_name((size_t)count) != NULL) {
        count++;
    }
    return count;
}

static int draw_pictograms(struct sheet *sheet, int top)
{
    int count = pictogram_count();
    add_label(sheet, 20, top + 16, "Pictograms at 160 px (ink on paper)");
    top += 30;
    for (int i = 0; i < count; i++) {
        int x = 20 + (i % BIG_PER_ROW) * BIG_CELL_W;
        int y = top + (i / BIG_PER_ROW) * BIG_CELL_H;
        SDL_Rect box = {x + (BIG_CELL_W - BIG_PX) / 2 - 8, y, BIG_PX, BIG_PX};
        ui_draw_pictogram(sheet->draw, ui_draw_pictogram_name((size_t)i), box, PALETTE_INK);
        add_label(sheet, box.x, y + BIG_PX + 18, ui_draw_pictogram_name((size_t)i));
    }
    top += ((count + BIG_PER_ROW - 1) / BIG_PER_ROW) * BIG_CELL_H + 10;

    add_label(sheet, 20, top + 16, "48 px on paper, on a sage button, on a stress tile");
    top += 30;
    SDL_Rect band = {14, top + SMALL_CELL - 3, count * SMALL_CELL + 12, SMALL_CELL + 6};
    ui_draw_round_rect(sheet->draw, band, 14, PALETTE_PRIMARY, PALETTE_PRIMARY, 0);
    SDL_Rect tiles = {14, top + 2 * SMALL_CELL + 6, count * SMALL_CELL + 12, SMALL_CELL + 6};
    ui_draw_round_rect(sheet->draw, tiles, 14, palette_stress_tile(3), palette_stress_band(3), 3);
    for (int i = 0; i < count; i++) {
        const char *name = ui_draw_pictogram_name((size_t)i);
        int x = 20 + i * SMALL_CELL;
        ui_draw_pictogram(sheet->draw, name, (SDL_Rect){x, top, SMALL_PX, SMALL_PX}, PALETTE_INK);
        ui_draw_pictogram(sheet->draw, name, (SDL_Rect){x, top + SMALL_CELL, SMALL_PX, SMALL_PX},
                          PALETTE_ON_BUTTON);
        ui_draw_pictogram(sheet->draw, name,
                          (SDL_Rect){x, top + 2 * SMALL_CELL + 9, SMALL_PX, SMALL_PX}, PALETTE_INK);
    }
    return top + 3 * SMALL_CELL + 30;
}

static int draw_shapes(struct sheet *sheet, int top)
{
    add_label(sheet, 20, top + 16, "Rounded rectangles: buttons, a panel, a translucent veil");
    top += 30;
    SDL_Color none = {0, 0, 0, 0};
    ui_draw_round_rect(sheet->draw, (SDL_Rect){20, top, 300, 88}, 24, PALETTE_PRIMARY, none, 0);
    ui_draw_pictogram(sheet->draw, "checkin", (SDL_Rect){36, top + 12, 64, 64}, PALETTE_ON_BUTTON);
    ui_draw_round_rect(sheet->draw, (SDL_Rect){340, top, 300, 88}, 44, PALETTE_SECONDARY, none, 0);
    ui_draw_pictogram(sheet->draw, "chat", (SDL_Rect){360, top + 12, 64, 64}, PALETTE_ON_BUTTON);
    ui_draw_round_rect(sheet->draw, (SDL_Rect){660, top, 300, 88}, 16, PALETTE_PANEL, PALETTE_MUTED,
                       3);
    ui_draw_pictogram(sheet->draw, "coffee", (SDL_Rect){676, top + 12, 64, 64}, PALETTE_INK);
    ui_draw_round_rect(sheet->draw, (SDL_Rect){980, top, 300, 88}, 20,
                       (SDL_Color){0x23, 0x34, 0x3B, 0x60}, PALETTE_PRIMARY, 4);
    return top + 110;
}

static int draw_scenes(struct sheet *sheet, int top)
{
    add_label(sheet, 20, top + 16,
              "Calm scene 800x480 at t = 0; right: t = 4 s, 8 s, 30 s at 250x150");
    top += 30;
    ui_draw_calm_scene(sheet->draw, (SDL_Rect){20, top, 800, 480}, 0, true);
    const int64_t times_ms[] = {4000, 8000, 30000};
    for (int i = 0; i < 3; i++) {
        ui_draw_calm_scene(sheet->draw, (SDL_Rect){860, top + i * 164, 250, 150}, times_ms[i],
                           true);
    }
    return top + 490;
}

/* Writes the renderer's surface, with the labels on it, as a PNG. 0 or -1. */
static int write_png(struct sheet *sheet, SDL_Surface *surface, const char *path)
{
    int rc = -1;
    cairo_surface_t *image = cairo_image_surface_create_for_data(
        surface->pixels, CAIRO_FORMAT_ARGB32, surface->w, surface->h, surface->pitch);
    cairo_t *cr = cairo_create(image);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        goto out_destroy_cairo;
    }
    cairo_select_font_face(cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 15);
    cairo_set_source_rgb(cr, 0x5A / 255.0, 0x6A / 255.0, 0x70 / 255.0);
    for (int i = 0; i < sheet->label_count; i++) {
        cairo_move_to(cr, sheet->labels[i].x, sheet->labels[i].y);
        cairo_show_text(cr, sheet->labels[i].text);
    }
    cairo_surface_flush(image);
    if (cairo_surface_write_to_png(image, path) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "pictogram-sheet: cannot write %s\n", path);
        goto out_destroy_cairo;
    }
    rc = 0;

out_destroy_cairo:
    cairo_destroy(cr);
    cairo_surface_destroy(image);
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/tmp/pictograms.png";
    int rc = EXIT_FAILURE;
    struct sheet sheet = {0};

    SDL_Surface *surface =
        SDL_CreateRGBSurfaceWithFormat(0, SHEET_W, SHEET_H, 32, SDL_PIXELFORMAT_ARGB8888);
    if (surface == NULL) {
        fprintf(stderr, "pictogram-sheet: no surface: %s\n", SDL_GetError());
        return EXIT_FAILURE;
    }
    sheet.renderer = SDL_CreateSoftwareRenderer(surface);
    if (sheet.renderer == NULL) {
        fprintf(stderr, "pictogram-sheet: no software renderer: %s\n", SDL_GetError());
        goto out_free_surface;
    }
    sheet.draw = ui_draw_open(sheet.renderer);
    if (sheet.draw == NULL) {
        goto out_destroy_renderer;
    }
    SDL_Color paper = PALETTE_BACKGROUND;
    SDL_SetRenderDrawColor(sheet.renderer, paper.r, paper.g, paper.b, 0xFF);
    SDL_RenderClear(sheet.renderer);

    int top = 10;
    top = draw_pictograms(&sheet, top);
    top = draw_shapes(&sheet, top);
    top = draw_scenes(&sheet, top);
    SDL_RenderPresent(sheet.renderer);
    if (top > SHEET_H) {
        fprintf(stderr, "pictogram-sheet: layout needs %d px, sheet has %d\n", top, SHEET_H);
    }
    if (write_png(&sheet, surface, path) == 0) {
        printf("pictogram-sheet: wrote %s (%dx%d)\n", path, SHEET_W, SHEET_H);
        rc = EXIT_SUCCESS;
    }

    ui_draw_close(sheet.draw);
out_destroy_renderer:
    SDL_DestroyRenderer(sheet.renderer);
out_free_surface:
    SDL_FreeSurface(surface);
    cairo_debug_reset_static_data(); /* frees cairo's font caches, so leak checkers stay quiet */
    return rc;
}
