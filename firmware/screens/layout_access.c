/*
 * layout_access: the parts of every visitor screen's layout that make it usable for people
 * who read little or see poorly: type sizes in millimetres of the real panel (one size per
 * role, a larger scale on request), the speak and large-text controls at the top end corner,
 * and the staff gesture's area, which no visitor control overlaps. Pure geometry, like
 * layout.c, which calls it after placing a screen's own widgets.
 */
#include "screens/layout.h"

#include <math.h>

#define ACCESS_CAP_EM 0.714        /* Noto Sans: capital height per em (1 px of size = 1 em) */
#define ACCESS_DEFAULT_PX_MM 5.188 /* the 7" panel: 800 px over 154.2 mm */
#define ACCESS_LARGE_FACTOR 1.3    /* the large-text scale */
#define ACCESS_TARGET_MM 11.0      /* side of the speak and large-text squares (>= 9 mm) */
#define ACCESS_GAP_MM 2.4          /* between them and anything else (>= 2 mm) */
#define ACCESS_STAFF_MM 18.0       /* side of the staff area */

/* Capital height per role in mm, normal scale. Body text: ADA 703.5.5's 4.8 mm minimum. */
static const double role_cap_mm[TYPE_COUNT] = {
    [TYPE_TITLE] = 6.0, [TYPE_BODY] = 4.8,  [TYPE_BUTTON] = 4.8,
    [TYPE_NAME] = 9.0,  [TYPE_SCORE] = 5.6,
};

static double px_mm(double px_per_mm)
{
    return px_per_mm > 0.5 ? px_per_mm : ACCESS_DEFAULT_PX_MM;
}

int layout_type_px(enum layout_type role, double px_per_mm, bool large_text)
{
    if ((int)role < 0 || role >= TYPE_COUNT) {
        role = TYPE_BODY;
    }
    double mm = role_cap_mm[role] * (large_text ? ACCESS_LARGE_FACTOR : 1.0);
    return (int)ceil(mm * px_mm(px_per_mm) / ACCESS_CAP_EM);
}

double layout_cap_mm(int px, double px_per_mm)
{
    return px * ACCESS_CAP_EM / px_mm(px_per_mm);
}

static int mm_px(double mm, double px_per_mm)
{
    return (int)ceil(mm * px_mm(px_per_mm));
}

/* Narrows a text block symmetrically so that it keeps gap pixels away from zone. */
static void keep_clear(SDL_Rect *block, SDL_Rect zone, int gap)
{
    if (block->w <= 0) {
        return;
    }
    SDL_Rect grown = {zone.x - gap, zone.y - gap, zone.w + 2 * gap, zone.h + 2 * gap};
    if (!SDL_HasIntersection(block, &grown)) {
        return;
    }
    int cut = block->x + block->w - grown.x;
    if (cut > 0 && cut * 2 < block->w) {
        block->x += cut;
        block->w -= 2 * cut;
    } else { /* too narrow to share the row: move below the zone */
        int below = grown.y + grown.h - block->y;
        block->y += below;
        block->h -= below;
    }
}

void layout_access_finish(struct layout *l, const struct layout_input *in)
{
    l->large_text = in->large_text;
    for (int role = 0; role < TYPE_COUNT; role++) {
        l->type_px[role] = layout_type_px((enum layout_type)role, in->px_per_mm, in->large_text);
    }
    l->title_px = l->type_px[TYPE_TITLE];
    l->body_px = l->type_px[TYPE_BODY];

    int side = mm_px(ACCESS_TARGET_MM, in->px_per_mm);
    int gap = mm_px(ACCESS_GAP_MM, in->px_per_mm);
    int top = l->portrait ? 20 : 8;
    int end = l->width - (l->portrait ? 28 : 12);
    int controls = in->speech ? 2 : 1;
    SDL_Rect zone = {end - controls * side - (controls - 1) * gap, top,
                     controls * side + (controls - 1) * gap, side};
    if (in->speech) {
        layout_add(l, "speak", (SDL_Rect){zone.x, top, side, side}, WIDGET_ACCESS, 0);
    }
    layout_add(l, "large-text", (SDL_Rect){end - side, top, side, side}, WIDGET_ACCESS,
               in->large_text ? 1 : 0);

    /* The clock sits between "Ik ga weg" and the controls; titles and notes keep clear. */
    if (l->clock.w > 0) {
        const struct ui_widget *leave = layout_find(l, "leave");
        int from = leave ? leave->rect.x + leave->rect.w + gap : gap;
        int to = zone.x - gap;
        l->clock.w = to - from < 200 ? to - from : 200;
        l->clock.x = from + (to - from - l->clock.w) / 2;
        l->clock.y = top;
        l->clock.h = side;
    }
    SDL_Rect *blocks[] = {&l->title, &l->body, &l->note, &l->name_panel};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        keep_clear(blocks[i], zone, gap);
    }
}

/* True when r overlaps no widget (with gap pixels around each). */
static bool free_of_widgets(const struct layout *l, SDL_Rect r, int gap)
{
    for (int i = 0; i < l->count; i++) {
        SDL_Rect w = l->widgets[i].rect;
        SDL_Rect grown = {w.x - gap, w.y - gap, w.w + 2 * gap, w.h + 2 * gap};
        if (SDL_HasIntersection(&r, &grown)) {
            return false;
        }
    }
    return true;
}

void layout_access_staff_area(struct layout *l)
{
    l->staff_area = (SDL_Rect){0, 0, 0, 0};
    if (l->scene.w <= 0 || layout_find(l, "checkin") == NULL) {
        return; /* the welcome screen only (it has the check-in button and the scene) */
    }
    /* The bottom-left corner of the picture, above the language buttons; always on the
     * left (it is the staff's, not the visitor's reading direction). */
    int side = mm_px(ACCESS_STAFF_MM, 0), gap = mm_px(ACCESS_GAP_MM, 0);
    int bottom = l->height;
    for (int i = 0; i < l->count; i++) {
        if (l->widgets[i].style == WIDGET_LANGUAGE && l->widgets[i].rect.y < bottom) {
            bottom = l->widgets[i].rect.y;
        }
    }
    for (int y = bottom - gap - side; y >= l->scene.y; y -= gap) {
        SDL_Rect r = {0, y, side, side};
        if (free_of_widgets(l, r, gap)) {
            l->staff_area = r;
            return;
        }
    }
}
