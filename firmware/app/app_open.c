/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_open: the set-up app_run does before the loop: languages, the display and its turn,
 * the drawing context, the backlight, the store and the host's web server (tried again while
 * its port is busy).
 */
#include "app/app_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/dblock.h"
#include "core/log.h"
#include "core/perms.h"
#include "ui/draw.h"
#include "ui/text.h"

/* --- set-up and tear-down ------------------------------------------------------------ */

/* The web threads wake the main loop when a host asked for something. */
static void wake_main_loop(void *ctx)
{
    (void)ctx;
    SDL_Event event = {.type = SDL_USEREVENT};
    SDL_PushEvent(&event);
}

/* Starts the host page; the kiosk runs on without it when it is off or cannot start. */
void open_web(struct app *app)
{
    char err[512] = "";
    const struct app_options *options = app->options;
    struct web_context ctx = {
        .store = app->store,
        .lights = app->lights,
        .audio = app->audio,
        .kiosk = {.site = app->config->site,
                  .ask_stress = app->config->ask_stress,
                  .services = app->config->services,
                  .service_count = app->config->service_count},
        .langs = app->langs,
        .assets_dir = app->config->assets_dir,
        .db_path = options->db_path ? options->db_path : app->config->db_path,
        .wake = wake_main_loop,
        .clock_state = &app->clock_state,
    };
    app->web = web_open(&app->config->web, &ctx, err, sizeof err);
    int64_t mono = clock_mono_ms(&app->clock);
    if (app->web) {
        if (app->web_retry_pause_ms > 0) {
            log_msg(LOG_INFO, "host page: listening now, after %d tries", app->web_tries);
        }
        app->web_retry_at_ms = 0;
        return;
    }
    if (!err[0]) {
        return; /* off by choice */
    }
    app->web_tries++;
    if (strstr(err, WEB_ERR_LISTEN) == NULL) {
        log_msg(LOG_WARN, "%s; the kiosk runs on without the host page", err);
        return; /* the config or a file: trying again changes nothing */
    }
    /* A busy port (the previous kiosk's socket, another program): try again, 1, 2, 4 ...
     * WEB_RETRY_MAX_MS apart; said at the first try and when the pause reaches its maximum. */
    int pause = app->web_retry_pause_ms;
    pause = pause == 0 ? WEB_RETRY_FIRST_MS : pause * 2;
    pause = pause < WEB_RETRY_MAX_MS ? pause : WEB_RETRY_MAX_MS;
    if (app->web_retry_pause_ms == 0 ||
        (pause == WEB_RETRY_MAX_MS && app->web_retry_pause_ms != pause)) {
        log_msg(LOG_WARN, "%s; trying again in %d s%s", err, pause / 1000,
                pause == WEB_RETRY_MAX_MS ? " and then every minute (said once)"
                                          : ", then less often");
    }
    app->web_retry_pause_ms = pause;
    app->web_retry_at_ms = mono + pause;
}

/* The host page's port was busy at start: try again when due (live runs only). */
void retry_web(struct app *app, int64_t mono_ms)
{
    if (app->web || app->web_retry_at_ms == 0 || mono_ms < app->web_retry_at_ms) {
        return;
    }
    open_web(app);
}

static void report_line(void *ctx, const char *message)
{
    (void)ctx;
    log_msg(LOG_WARN, "%s", message);
}

/*
 * On a turned panel: the texture the logical screen is drawn into (finish_frame copies it
 * turned onto the output). Without target textures the picture is drawn unturned, and
 * touches are taken unturned too, so taps still land where things are drawn.
 */
static void open_turned_target(struct app *app)
{
    const struct oase_config *c = app->config;
    if (app->rotation == ROTATION_0) {
        return;
    }
    if (SDL_RenderTargetSupported(app->renderer)) {
        app->turned = SDL_CreateTexture(app->renderer, SDL_PIXELFORMAT_ARGB8888,
                                        SDL_TEXTUREACCESS_TARGET, c->width, c->height);
    }
    if (!app->turned || SDL_SetRenderTarget(app->renderer, app->turned) != 0) {
        log_msg(LOG_WARN,
                "display.rotation = %d: this renderer cannot draw into a texture (%s); "
                "the picture is not turned",
                (int)app->rotation, SDL_GetError());
        if (app->turned) {
            SDL_DestroyTexture(app->turned);
            app->turned = NULL;
        }
        app->rotation = ROTATION_0;
        app->output_w = c->width;
        app->output_h = c->height;
        SDL_RenderSetLogicalSize(app->renderer, c->width, c->height);
        return;
    }
    SDL_SetTextureScaleMode(app->turned, SDL_ScaleModeLinear); /* smooth when the panel scales */
    log_msg(LOG_INFO, "display: %dx%d turned %d degrees onto a %dx%d output", c->width, c->height,
            (int)app->rotation, app->output_w, app->output_h);
}

int open_display(struct app *app)
{
    const struct oase_config *c = app->config;
    /* Headless has no panel to be mounted turned: screenshots and replays stay logical. */
    app->rotation = app->options->headless ? ROTATION_0 : c->rotation;
    rotation_output_size(app->rotation, c->width, c->height, &app->output_w, &app->output_h);
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* touch arrives as finger events only */
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    if (app->options->headless) {
        /* dummy video + a software renderer on a surface: no EGL/Mesa (platform-notes §7) */
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log_msg(LOG_ERROR,
                "cannot start the display: %s (on a desktop, check DISPLAY; on a "
                "Pi console, check the video and input groups)",
                SDL_GetError());
        return -1;
    }
    if (app->options->headless) {
        app->surface =
            SDL_CreateRGBSurfaceWithFormat(0, c->width, c->height, 32, SDL_PIXELFORMAT_ARGB8888);
        app->renderer = app->surface ? SDL_CreateSoftwareRenderer(app->surface) : NULL;
    } else {
        const char *driver = SDL_GetCurrentVideoDriver();
        bool console = driver && strcmp(driver, "KMSDRM") == 0;
        Uint32 flags = console ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
        app->window = SDL_CreateWindow("Oase", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                       app->output_w, app->output_h, flags);
        if (app->window) {
            app->renderer = SDL_CreateRenderer(
                app->window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
            if (!app->renderer) { /* e.g. KMS/DRM without GLES: fall back to software */
                log_msg(LOG_WARN, "no accelerated renderer (%s); drawing in software",
                        SDL_GetError());
                app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
            }
        }
        if (console) {
            SDL_ShowCursor(SDL_DISABLE);
        }
    }
    if (!app->renderer) {
        log_msg(LOG_ERROR, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    SDL_RenderSetLogicalSize(app->renderer, app->output_w, app->output_h);
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
    open_turned_target(app);
    return 0;
}

/* The screen's backlight, when there is one; never on a headless run (tests, CI). */
void open_backlight(struct app *app)
{
    const char *name = app->config->backlight;
    if (app->options->headless || strcmp(name, "off") == 0) {
        return;
    }
    char why[512];
    app->backlight = backlight_open(NULL, name, why, sizeof why);
    if (!app->backlight) {
        log_msg(strcmp(name, "auto") == 0 ? LOG_INFO : LOG_WARN,
                "backlight: %s; the screen keeps its own brightness", why);
        return;
    }
    log_msg(LOG_INFO, "backlight: %s (0..%d)", backlight_name(app->backlight),
            backlight_max(app->backlight));
}

/*
 * Without its font a right-to-left language (Arabic) would show empty boxes: its button is
 * hidden and a visitor's screen falls back to the host's language. Logged once, at start.
 */
static void hide_right_to_left(struct app *app, const char *why)
{
    int kept = 0;
    char hidden[64] = "";
    size_t used = 0;
    for (int i = 0; i < app->language_count; i++) {
        const struct lang *lang = lang_get(app->langs, app->language_codes[i]);
        if (lang && lang_is_rtl(lang)) {
            int n = snprintf(hidden + used, sizeof hidden - used, "%s%s", used ? " " : "",
                             app->language_codes[i]);
            used += n > 0 && (size_t)n < sizeof hidden - used ? (size_t)n : 0;
            continue;
        }
        memmove(app->language_codes[kept++], app->language_codes[i], 8);
    }
    app->language_count = kept;
    if (lang_is_rtl(app->lang)) {
        app->lang = app->host_lang;
    }
    log_msg(LOG_WARN,
            "%s; the language button(s) %s are hidden until the font is there "
            "(Debian: fonts-noto-core; [display] font_arabic)",
            why, hidden[0] ? hidden : "-");
}

int open_ui(struct app *app)
{
    const struct oase_config *c = app->config;
    char err[512];
    struct ui_text_fonts fonts = {c->font_path, c->font_bold_path, c->font_arabic_path,
                                  c->font_arabic_bold_path};
    app->painter.renderer = app->renderer;
    app->painter.text = ui_text_open(app->renderer, &fonts, err, sizeof err);
    if (!app->painter.text) {
        log_msg(LOG_ERROR, "%s (set the fonts in [display] of %s; Debian: fonts-noto-core)", err,
                app->options->config_path ? app->options->config_path : "the config");
        return -1;
    }
    const char *arabic_missing = ui_text_arabic_missing(app->painter.text);
    if (arabic_missing[0]) {
        hide_right_to_left(app, arabic_missing);
    }
    app->painter.draw = ui_draw_open(app->renderer);
    if (!app->painter.draw) {
        log_msg(LOG_ERROR, "cannot prepare drawing: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

int open_languages(struct app *app)
{
    const struct oase_config *c = app->config;
    char dir[CONFIG_PATH_MAX + 8], err[512];
    snprintf(dir, sizeof dir, "%s/lang", c->assets_dir);
    const char *codes[CONFIG_MAX_LANGUAGES];
    for (int i = 0; i < c->language_count; i++) {
        codes[i] = c->languages[i];
    }
    int problems = 0;
    app->langs =
        lang_open(dir, codes, c->language_count, report_line, NULL, &problems, err, sizeof err);
    if (!app->langs) {
        log_msg(LOG_ERROR,
                "%s (the language files are looked for in %s/lang: set assets_dir in "
                "[display] of %s)",
                err, c->assets_dir,
                app->options->config_path ? app->options->config_path : "the config");
        return -1;
    }
    app->host_lang = lang_get(app->langs, LANG_FALLBACK);
    app->lang = lang_get(app->langs, c->default_language);
    if (!app->lang) {
        app->lang = app->host_lang;
    }
    app->language_count = 0;
    for (int i = 0; i < lang_count(app->langs) && i < LANG_MAX; i++) {
        snprintf(app->language_codes[app->language_count++], 8, "%s",
                 lang_code(lang_at(app->langs, i)));
    }
    return 0;
}

/* Says once at start when a file with secrets or visitor data is open to every user. */
void warn_if_readable(const char *path, const char *holds)
{
    char why[2 * CONFIG_PATH_MAX + 160];
    int rc = perms_readable_by_others(path, why, sizeof why);
    if (rc > 0) {
        log_msg(LOG_WARN, "%s; it holds %s (SECURITY.md)", why, holds);
    } else if (rc < 0) {
        log_msg(LOG_WARN, "%s", why);
    }
}

/*
 * Opens the database; a damaged or foreign file is moved aside and a fresh one started
 * (store_open_recover). Only when not even a fresh file can be made does the kiosk count in
 * memory, so it still takes check-ins.
 */
int open_store(struct app *app)
{
    const char *path = app->options->db_path ? app->options->db_path : app->config->db_path;
    char err[512];
    if (strcmp(path, ":memory:") != 0) {
        app->db_lock = dblock_take(path, err, sizeof err);
        if (app->db_lock == -EWOULDBLOCK) {
            log_msg(LOG_ERROR, "%s", err);
            return -1; /* never a second writer, not even in memory: it would count twice */
        }
        if (app->db_lock < 0) {
            log_msg(LOG_WARN, "%s; going on without the lock", err);
        }
    }
    app->store = store_open_recover(path, &app->config->phases, app->config->closing_minute, err,
                                    sizeof err);
    if (app->store) {
        store_set_batch_k(app->store, app->config->web.research_k);
        warn_if_readable(path, "today's arrivals (friendly names, services) and the counts");
        if (app->config->web.site[0] != '\0' &&
            store_set_site(app->store, app->config->web.site) < 0) {
            log_msg(LOG_WARN, "site name %s not written to the database", app->config->web.site);
        }
        return 0;
    }
    log_msg(LOG_ERROR, "%s; counting in memory only until the kiosk restarts", err);
    app->store =
        store_open(":memory:", &app->config->phases, app->config->closing_minute, err, sizeof err);
    if (!app->store) {
        log_msg(LOG_ERROR, "cannot count even in memory: %s", err);
        return -1;
    }
    store_set_batch_k(app->store, app->config->web.research_k);
    return 0;
}
