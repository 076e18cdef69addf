/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * layout_staff: geometry of the staff PIN pad and menu (see layout.h). Staff screens are
 * always left to right: they are shown in the host's language (Dutch).
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/staff.h"
#include "screens/layout.h"

static void pin_pad(struct layout *l)
{
    int W = l->width, H = l->height, m = l->portrait ? 28 : 16;
    int key_w = l->portrait ? 170 : 110, key_h = l->portrait ? 120 : 76;
    int gap = l->portrait ? 16 : 10;
    int pad_w = 3 * key_w + 2 * gap;
    int x0 = (W - pad_w) / 2, y0 = l->portrait ? 360 : 120;
    l->title = (SDL_Rect){m, l->portrait ? 100 : 8, W - 2 * m, l->portrait ? 100 : 48};
    l->body = (SDL_Rect){x0, l->portrait ? 230 : 60, pad_w, l->portrait ? 100 : 54};
    l->note = l->portrait ? (SDL_Rect){m, y0 + 4 * key_h + 3 * gap + 30, W - 2 * m, 90}
                          : (SDL_Rect){x0 + pad_w + 16, 180, W - x0 - pad_w - 16 - m, 160};
    static const char *const keys[12] = {"1", "2", "3", "4",     "5", "6",
                                         "7", "8", "9", "clear", "0", "ok"};
    for (int i = 0; i < 12; i++) {
        char id[24];
        snprintf(id, sizeof id, "pin:%s", keys[i]);
        SDL_Rect r = {x0 + (i % 3) * (key_w + gap), y0 + (i / 3) * (key_h + gap), key_w, key_h};
        layout_add(l, id, r, strcmp(keys[i], "ok") == 0 ? WIDGET_PRIMARY : WIDGET_KEY, i);
    }
    int close_h = l->portrait ? 88 : 68;
    layout_add(l, "close", (SDL_Rect){m, H - m - close_h, l->portrait ? 240 : 190, close_h},
               WIDGET_QUIET, 0);
}

static void menu(struct layout *l, const struct layout_staff_input *in)
{
    int W = l->width, H = l->height, m = l->portrait ? 28 : 16;
    int close_h = l->portrait ? 88 : 68;
    l->title = (SDL_Rect){m, l->portrait ? 40 : 8, W - 2 * m, l->portrait ? 80 : 48};
    int button_h = l->portrait ? 96 : 66, gap = l->portrait ? 16 : 8;
    int cols = 3;
    int scenes = in->scene_count < 6 ? in->scene_count : 6;
    SDL_Rect room;
    if (l->portrait) {
        l->body = (SDL_Rect){m, 140, W - 2 * m, 420};
        room = (SDL_Rect){m, 580, W - 2 * m, 0};
    } else {
        l->body = (SDL_Rect){m, 64, 360, H - 64 - m - close_h - 8};
        room = (SDL_Rect){m + 360 + 12, 64, W - 2 * m - 360 - 12, 0};
    }
    l->note = (SDL_Rect){room.x, room.y, room.w, l->portrait ? 50 : 36}; /* "Licht: ..." */
    int top = room.y + l->note.h + 4;
    int scene_w = (room.w - (cols - 1) * gap) / cols, half_w = (room.w - gap) / 2;
    for (int i = 0; i < scenes; i++) {
        char id[24];
        snprintf(id, sizeof id, "scene:%.17s", in->scene_names[i]);
        layout_add(l, id,
                   (SDL_Rect){room.x + (i % cols) * (scene_w + gap),
                              top + (i / cols) * (button_h + gap), scene_w, button_h},
                   WIDGET_SECONDARY, i);
    }
    int row = top + ((scenes + cols - 1) / cols) * (button_h + gap);
    layout_add(l, "scene:schedule", (SDL_Rect){room.x, row, half_w, button_h}, WIDGET_QUIET, 0);
    layout_add(l, "light:test", (SDL_Rect){room.x + half_w + gap, row, half_w, button_h},
               WIDGET_QUIET, 0);
    row += button_h + gap;
    layout_add(l, "sound:next", (SDL_Rect){room.x, row, half_w, button_h}, WIDGET_QUIET, 0);
    layout_add(l, "sound:test", (SDL_Rect){room.x + half_w + gap, row, half_w, button_h},
               WIDGET_QUIET, 0);
    layout_add(l, "close", (SDL_Rect){m, H - m - close_h, l->portrait ? 240 : 190, close_h},
               WIDGET_QUIET, 0);
}

void layout_build_staff(struct layout *out, const struct layout_staff_input *in)
{
    memset(out, 0, sizeof *out);
    out->width = in->width;
    out->height = in->height;
    out->portrait = in->height > in->width;
    out->title_px = out->portrait ? 48 : 34;
    out->body_px = out->portrait ? 30 : 22;
    /* Host-facing, in Dutch: one size for every role but the title (render_widget reads
     * type_px; left at 0 the buttons had no labels). */
    for (int role = 0; role < TYPE_COUNT; role++) {
        out->type_px[role] = role == TYPE_TITLE ? out->title_px : out->body_px;
    }
    if (in->staff_screen == STAFF_PIN) {
        pin_pad(out);
    } else {
        menu(out, in);
    }
}
