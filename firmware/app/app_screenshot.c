/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_screenshot: writes the frame just drawn as a PNG (with cairo's PNG writer), once
 * for each screen and language, named <screen>-<lang>-<landscape|portrait>.png, and again
 * with "-large" before ".png" while the visitor chose large text.
 */
#include "app/app_internal.h"

#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

#include "core/log.h"

/* Copies the renderer's pixels into a cairo image (both are 32-bit ARGB, native order). */
static cairo_surface_t *capture(struct app *app)
{
    int w = app->config->width, h = app->config->height;
    cairo_surface_t *image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
        return NULL;
    }
    cairo_surface_flush(image);
    unsigned char *data = cairo_image_surface_get_data(image);
    int stride = cairo_image_surface_get_stride(image);
    int rc;
    if (app->surface) {
        rc = SDL_ConvertPixels(w, h, app->surface->format->format, app->surface->pixels,
                               app->surface->pitch, SDL_PIXELFORMAT_ARGB8888, data, stride);
    } else {
        rc = SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, data, stride);
    }
    cairo_surface_mark_dirty(image);
    if (rc != 0) {
        cairo_surface_destroy(image);
        return NULL;
    }
    return image;
}

/* Beside each PNG, PNG.rects: "widget ID STYLE X Y W H" and "text NAME X Y W H" lines, so
 * tests can measure contrast against each control's and text's real background. */
static void write_rects(struct app *app, const char *png_path)
{
    char path[520];
    if (snprintf(path, sizeof path, "%s.rects", png_path) >= (int)sizeof path) {
        return;
    }
    FILE *out = fopen(path, "we");
    if (!out) {
        log_msg(LOG_WARN, "%s: %s", path, strerror(errno));
        return;
    }
    const struct layout *l = app_current_layout(app);
    for (int i = 0; i < l->count; i++) {
        const struct ui_widget *w = &l->widgets[i];
        fprintf(out, "widget %s %d %d %d %d %d\n", w->id, (int)w->style, w->rect.x, w->rect.y,
                w->rect.w, w->rect.h);
    }
    const struct {
        const char *name;
        SDL_Rect rect;
    } texts[] = {{"title", l->title},
                 {"body", l->body},
                 {"note", l->note},
                 {"anchor_low", l->anchor_low},
                 {"anchor_high", l->anchor_high},
                 {"name_panel", l->name_panel}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i].rect.w > 0 && texts[i].rect.h > 0) {
            fprintf(out, "text %s %d %d %d %d\n", texts[i].name, texts[i].rect.x, texts[i].rect.y,
                    texts[i].rect.w, texts[i].rect.h);
        }
    }
    if (l->staff_area.w > 0) {
        fprintf(out, "staff %d %d %d %d\n", l->staff_area.x, l->staff_area.y, l->staff_area.w,
                l->staff_area.h);
    }
    fprintf(out, "clipped %lu\n", app->painter.clipped);
    if (fclose(out) != 0) {
        log_msg(LOG_WARN, "%s: %s", path, strerror(errno));
    }
}

void app_screenshot(struct app *app)
{
    /* Visitor screens once per language; staff screens (always Dutch) once each. */
    int screen = app->staff.screen != STAFF_CLOSED ? SCREEN_COUNT + (int)app->staff.screen - 1
                                                   : (int)journey_current(&app->journey);
    int lang_index = 0;
    for (int i = 0; i < app->language_count; i++) {
        if (strcmp(app->language_codes[i], lang_code(app->lang)) == 0) {
            lang_index = i;
        }
    }
    if (app->staff.screen != STAFF_CLOSED) {
        lang_index = 0;
    }
    bool large = app->large_text && app->staff.screen == STAFF_CLOSED;
    if (app->shot_taken[large][screen][lang_index]) {
        return;
    }
    app->shot_taken[large][screen][lang_index] = true;
    char path[512];
    int n = snprintf(
        path, sizeof path, "%s/%s-%s-%s%s.png", app->options->screenshots_dir, app_screen_name(app),
        app->staff.screen != STAFF_CLOSED ? "nl" : lang_code(app->lang),
        app->config->height > app->config->width ? "portrait" : "landscape", large ? "-large" : "");
    if (n < 0 || (size_t)n >= sizeof path) {
        log_msg(LOG_WARN, "screenshot path too long in %s", app->options->screenshots_dir);
        return;
    }
    if (mkdir(app->options->screenshots_dir, 0755) != 0 && errno != EEXIST) {
        log_msg(LOG_WARN, "%s: cannot create the screenshot folder: %s",
                app->options->screenshots_dir, strerror(errno));
        return;
    }
    cairo_surface_t *image = capture(app);
    if (!image) {
        log_msg(LOG_WARN, "%s: cannot read the frame: %s", path, SDL_GetError());
        return;
    }
    cairo_status_t status = cairo_surface_write_to_png(image, path);
    if (status != CAIRO_STATUS_SUCCESS) {
        log_msg(LOG_WARN, "%s: cannot write screenshot: %s (does the folder exist?)", path,
                cairo_status_to_string(status));
    }
    cairo_surface_destroy(image);
    write_rects(app, path);
}
