/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * render_speech: the words the speak control reads (screen_speech_text in render.h). Built
 * from the same texts the screen draws, so what is heard is what is shown (EN 301 549
 * 5.1.3). Flow: app (speak) -> here -> audio_speak() -> espeak-ng.
 */
#include <stdio.h>
#include <string.h>

#include "kiosk/names.h"
#include "screens/render.h"
#include "screens/render_internal.h"

struct speech_buf {
    char *out;
    size_t size, len;
    bool full;
};

/* Appends text with &, <, > and " escaped for SSML; all or nothing. */
static void put_escaped(struct speech_buf *b, const char *text)
{
    if (b->full) {
        return;
    }
    size_t start = b->len;
    for (const char *c = text; *c; c++) {
        const char *piece = *c == '&'   ? "&amp;"
                            : *c == '<' ? "&lt;"
                            : *c == '>' ? "&gt;"
                            : *c == '"' ? "&quot;"
                                        : NULL;
        char one[2] = {*c, '\0'};
        const char *add = piece ? piece : one;
        size_t n = strlen(add);
        if (b->len + n + 1 > b->size) {
            b->len = start; /* cut at the last whole piece */
            b->out[b->len] = '\0';
            b->full = true;
            return;
        }
        memcpy(b->out + b->len, add, n);
        b->len += n;
    }
    b->out[b->len] = '\0';
}

static void put_raw(struct speech_buf *b, const char *markup)
{
    size_t n = strlen(markup);
    if (b->full || b->len + n + 1 > b->size) {
        b->full = true;
        return;
    }
    memcpy(b->out + b->len, markup, n + 1);
    b->len += n;
}

/* One sentence-like piece: a pause follows it, so labels do not run into each other. */
static void put_piece(struct speech_buf *b, const char *text)
{
    if (!text || !*text) {
        return;
    }
    put_escaped(b, text);
    put_raw(b, "<break time=\"350ms\"/>\n");
}

/* The ".speech" variant of a text the screen shows (found by the text's own pointer). */
static const char *spoken(const struct screen_view *v, const char *shown)
{
    for (int key = 0; key < LANG_KEY_COUNT; key++) {
        if (lang_text(v->lang, (enum lang_key)key) == shown) {
            return lang_speech(v->lang, (enum lang_key)key);
        }
    }
    for (int i = 0; i < v->kiosk->service_count; i++) {
        char key[48];
        snprintf(key, sizeof key, "service.%s", v->kiosk->services[i].id);
        if (lang_lookup(v->lang, key) == shown) {
            return lang_speech_lookup(v->lang, key);
        }
    }
    return shown;
}

static void put_key(struct speech_buf *b, const struct screen_view *v, enum lang_key key)
{
    put_piece(b, lang_speech(v->lang, key));
}

static void put_checked_in(struct speech_buf *b, const struct screen_view *v)
{
    const struct journey *j = v->journey;
    if (v->record_failed) {
        put_key(b, v, K_DONE_FAILED_DESK);
        return;
    }
    if (!v->record_committed) {
        put_key(b, v, K_COMMON_MOMENT);
        return;
    }
    /* The title ("Wij roepen u met deze naam.") was read: the name as the host will call it. */
    put_raw(b, "<voice xml:lang=\"nl\">");
    put_escaped(b, j->friendly_name);
    put_raw(b, "</voice><break time=\"350ms\"/>\n");
    if (v->lang != v->host_lang && j->name_number > 0) {
        char own[64];
        names_format(j->name_number, v->lang, own, sizeof own);
        if (strcmp(own, j->friendly_name) != 0) {
            put_piece(b, own);
        }
    }
    if (j->wants_word) { /* as drawn: one sentence under the name */
        put_key(b, v, K_DONE_WORD);
        return;
    }
    char wait[256];
    if (v->have_wait_range &&
        lang_format_range(lang_speech(v->lang, K_DONE_WAIT_RANGE), v->wait_low_min,
                          v->wait_high_min, wait, sizeof wait) == 0) {
        put_piece(b, wait);
    } else {
        put_key(b, v, K_DONE_WAIT_UNKNOWN);
    }
}

size_t screen_speech_text(const struct screen_view *v, char *out, size_t size)
{
    if (size < 64) {
        if (size > 0) {
            out[0] = '\0';
        }
        return 0;
    }
    /* The closing tag's room is kept back until the end. */
    struct speech_buf b = {.out = out, .size = size - 16, .len = 0, .full = false};
    out[0] = '\0';
    put_raw(&b, "<speak>\n");
    enum journey_screen screen = journey_current(v->journey);
    put_key(&b, v, render_title_key(v));
    switch (screen) {
    case SCREEN_WELCOME:
        put_key(&b, v, K_WELCOME_HINT);
        break;
    case SCREEN_STRESS:
    case SCREEN_LEAVE: {
        char anchor[LANG_TEXT_MAX + 8];
        snprintf(anchor, sizeof anchor, "0: %s", lang_speech(v->lang, K_STRESS_LOW));
        put_piece(&b, anchor);
        snprintf(anchor, sizeof anchor, "10: %s", lang_speech(v->lang, K_STRESS_HIGH));
        put_piece(&b, anchor);
        put_key(&b, v, K_STRESS_ANONYMOUS);
        break;
    }
    case SCREEN_CHECKED_IN:
        put_checked_in(&b, v);
        break;
    case SCREEN_STILL_THERE:
        put_key(&b, v, K_STILL_NOTE);
        break;
    case SCREEN_LEAVE_NUMBER: { /* the name so far; the digit keys are not read one by one */
        char name[96];
        render_leave_name_text(v, name, sizeof name);
        put_piece(&b, name);
        break;
    }
    case SCREEN_CLOSED: {
        char closed[512];
        render_closed_text(v, closed, sizeof closed);
        put_piece(&b, closed);
        put_piece(&b, v->kiosk->hours->phone);
        break;
    }
    default:
        break;
    }
    const struct layout *l = v->layout;
    for (int i = 0; i < l->count; i++) {
        const struct ui_widget *w = &l->widgets[i];
        if (w->style == WIDGET_SCORE || w->style == WIDGET_LANGUAGE || w->style == WIDGET_ACCESS ||
            strncmp(w->id, "digit:", 6) == 0) {
            continue; /* numbers are read with the anchors; languages name themselves */
        }
        const char *label, *picto;
        render_widget_content(v, w, &label, &picto);
        put_piece(&b, spoken(v, label));
    }
    b.size = size;
    b.full = false;
    put_raw(&b, "</speak>\n");
    return b.len;
}
