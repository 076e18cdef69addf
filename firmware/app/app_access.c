/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_access: the app's side of speech and large text. A tap on
 * speak (or a long press anywhere) reads the screen aloud in its language; a tap elsewhere
 * or a new screen stops it; large-text switches the type scale until the journey ends.
 * --audio-file writes what the speaker plays, rendered offline in step with kiosk time, so
 * tests can hear speech and the ducked room. Flow: app_pointer_* / app_tick -> here ->
 * screen_speech_text (render_speech.c) -> audio_speak -> espeak-ng.
 */
#include "app/app_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audio/audio_speech.h"
#include "core/log.h"
#include "kiosk/speech_button.h"

#define APP_AUDIO_RATE 48000       /* the offline engine's rate (app.c opens it so) */
#define APP_AUDIO_GAP_MAX_MS 20000 /* a longer wait is written as its first 20 s */
#define APP_AUDIO_CHUNK 1024

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* A 44-byte header for frames mono 16-bit frames at APP_AUDIO_RATE. */
static void wav_header(unsigned char h[44], uint64_t frames)
{
    uint64_t bytes64 = frames * 2;
    uint32_t bytes = bytes64 > 0xFFFFFFD0u ? 0xFFFFFFD0u : (uint32_t)bytes64;
    memcpy(h, "RIFF", 4);
    put_u32(h + 4, 36 + bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_u32(h + 16, 16);
    h[20] = 1; /* PCM */
    h[21] = 0;
    h[22] = 1; /* mono */
    h[23] = 0;
    put_u32(h + 24, APP_AUDIO_RATE);
    put_u32(h + 28, APP_AUDIO_RATE * 2);
    h[32] = 2; /* block align */
    h[33] = 0;
    h[34] = 16; /* bits */
    h[35] = 0;
    memcpy(h + 36, "data", 4);
    put_u32(h + 40, bytes);
}

/* The button's thread wakes the main loop after a press (it may sleep up to a second). */
static void wake_for_button(void *ctx)
{
    (void)ctx;
    SDL_Event event = {.type = SDL_USEREVENT};
    SDL_PushEvent(&event);
}

static void open_speech_button(struct app *app)
{
    const struct oase_config *config = app->config;
    if (config->speech_button_line[0] == '\0') {
        return;
    }
    char why[256];
    app->speech_button =
        speech_button_open(config->speech_button_chip, config->speech_button_line,
                           config->speech_button_active_low, wake_for_button, app, why, sizeof why);
    if (app->speech_button) {
        log_msg(LOG_INFO, "speech button on GPIO line %s: a press reads the screen aloud",
                config->speech_button_line);
    } else {
        log_msg(LOG_WARN, "speech button off: %s", why);
    }
}

void app_access_button(struct app *app)
{
    if (speech_button_take(app->speech_button) > 0) {
        app_access_speak(app); /* from the start, like a second tap on speak */
    }
}

int app_access_open(struct app *app)
{
    const char *path = app->options->audio_file_path;
    if (!path) {
        open_speech_button(app);
        return 0;
    }
    if (!app->options->headless) {
        log_msg(LOG_ERROR, "--audio-file %s: only with --headless (the sound then plays offline)",
                path);
        return -1;
    }
    app->audio_file = fopen(path, "wbe");
    unsigned char header[44];
    wav_header(header, 0);
    if (!app->audio_file || fwrite(header, sizeof header, 1, app->audio_file) != 1) {
        log_msg(LOG_ERROR, "--audio-file %s: %s", path, strerror(errno));
        if (app->audio_file) {
            fclose(app->audio_file);
            app->audio_file = NULL;
        }
        return -1;
    }
    app->audio_file_ms = clock_now_ms(&app->clock);
    app->audio_file_frames = 0;
    open_speech_button(app);
    return 0;
}

void app_access_close(struct app *app)
{
    speech_button_close(app->speech_button);
    app->speech_button = NULL;
    if (!app->audio_file) {
        return;
    }
    app_access_catch_up(app, clock_now_ms(&app->clock));
    unsigned char header[44];
    wav_header(header, app->audio_file_frames);
    if (fseek(app->audio_file, 0, SEEK_SET) != 0 ||
        fwrite(header, sizeof header, 1, app->audio_file) != 1 || fclose(app->audio_file) != 0) {
        log_msg(LOG_WARN, "--audio-file %s: the header could not be finished: %s",
                app->options->audio_file_path, strerror(errno));
    }
    app->audio_file = NULL;
}

void app_access_catch_up(struct app *app, int64_t now_ms)
{
    if (!app->audio_file || now_ms <= app->audio_file_ms) {
        return;
    }
    int64_t gap = now_ms - app->audio_file_ms;
    app->audio_file_ms = now_ms;
    if (gap > APP_AUDIO_GAP_MAX_MS) {
        gap = APP_AUDIO_GAP_MAX_MS;
    }
    int64_t frames = gap * APP_AUDIO_RATE / 1000;
    float stereo[2 * APP_AUDIO_CHUNK];
    int16_t mono[APP_AUDIO_CHUNK];
    while (frames > 0) {
        int n = frames < APP_AUDIO_CHUNK ? (int)frames : APP_AUDIO_CHUNK;
        if (audio_render(app->audio, stereo, n) != 0) {
            return; /* a device handle: nothing to write */
        }
        for (int i = 0; i < n; i++) {
            float m = (stereo[2 * i] + stereo[2 * i + 1]) * 0.5f * 32767.0f;
            mono[i] = (int16_t)(m > 32767.0f ? 32767 : m < -32768.0f ? -32768 : m);
        }
        if (fwrite(mono, sizeof mono[0], (size_t)n, app->audio_file) != (size_t)n) {
            log_msg(LOG_WARN, "--audio-file %s: %s: no more sound is written",
                    app->options->audio_file_path, strerror(errno));
            fclose(app->audio_file);
            app->audio_file = NULL;
            return;
        }
        app->audio_file_frames += (uint64_t)n;
        frames -= n;
    }
}

static void measure_view(struct app *app, struct screen_view *out)
{
    struct screen_view view = {
        .journey = &app->journey,
        .lang = app->lang,
        .host_lang = app->host_lang,
        .langs = app->langs,
        .kiosk = &app->screen_kiosk,
        .now_ms = clock_now_ms(&app->clock), /* the closed screen's "open again" day */
        .have_wait_range = app->journey.wait_range_shown,
        .wait_low_min = app->journey.wait_low_min,
        .wait_high_min = app->journey.wait_high_min,
    };
    *out = view;
}

int app_access_measure(void *ctx, enum layout_block block, int px, int width)
{
    struct app *app = ctx;
    if (!app->painter.text) {
        return 0;
    }
    struct screen_view view;
    measure_view(app, &view);
    return screen_measure_block(&app->painter, &view, block, px, width);
}

int app_access_measure_label(void *ctx, const struct ui_widget *widget, int px)
{
    struct app *app = ctx;
    if (!app->painter.text) {
        return 0;
    }
    struct screen_view view;
    measure_view(app, &view);
    return screen_measure_label(&app->painter, &view, widget, px);
}

bool app_access_label_fits(void *ctx, const struct ui_widget *widget, const struct layout *layout)
{
    struct app *app = ctx;
    if (!app->painter.text) {
        return true;
    }
    struct screen_view view;
    measure_view(app, &view);
    view.layout = layout;
    return screen_label_fits(&app->painter, &view, widget);
}

void app_access_speak(struct app *app)
{
    if (app->staff.screen != STAFF_CLOSED) {
        return; /* the staff menu is the host's, in Dutch, and not read aloud */
    }
    app_update_layout(app);
    struct screen_view view = {
        .layout = &app->layout,
        .journey = &app->journey,
        .lang = app->lang,
        .host_lang = app->host_lang,
        .langs = app->langs,
        .kiosk = &app->screen_kiosk,
        .now_ms = clock_now_ms(&app->clock),
        .record_committed = app_record_shown(app),
        .record_failed = app_record_failed(app),
        .have_wait_range = app->journey.wait_range_shown,
        .wait_low_min = app->journey.wait_low_min,
        .wait_high_min = app->journey.wait_high_min,
    };
    char text[AUDIO_SPEECH_TEXT_MAX];
    if (screen_speech_text(&view, text, sizeof text) == 0) {
        return;
    }
    int rc = audio_speak(app->audio, lang_code(app->lang), text);
    if (rc == 0) {
        log_msg(LOG_INFO, "speech: %s read aloud in %s", app_screen_name(app),
                lang_code(app->lang));
    } else if (!app->speech_failed_logged) {
        log_msg(LOG_WARN, "speech: the %s screen cannot be read aloud in %s: %s",
                app_screen_name(app), lang_code(app->lang), strerror(-rc));
        app->speech_failed_logged = true;
    }
}

bool app_access_tap(struct app *app, const char *id, int64_t now_ms)
{
    (void)now_ms;
    if (strcmp(id, "speak") == 0) {
        app_access_speak(app); /* again: from the start */
        return true;
    }
    audio_speak_stop(app->audio); /* a tap elsewhere interrupts */
    if (strcmp(id, "large-text") == 0) {
        app->large_text = !app->large_text;
        app->layout_generation = ~app->journey.generation; /* a new layout, re-flowed */
        log_msg(LOG_INFO, "large text %s", app->large_text ? "on" : "off");
        return true;
    }
    return false;
}

void app_access_screen_changed(struct app *app)
{
    enum journey_screen screen = journey_current(&app->journey);
    if ((int)screen != app->access_screen) {
        audio_speak_stop(app->audio);
        if (screen == SCREEN_WELCOME && app->access_screen != SCREEN_WELCOME) {
            app->large_text = false; /* the next visitor starts with the normal scale */
        }
        app->access_screen = (int)screen;
    }
}
