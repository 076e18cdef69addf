/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_api: see web_api.h. web.c (a request) -> here -> web_json -> the answer's body.
 */
#include "web/web_api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

bool web_stress_mean(int answers, int64_t sum, int k, double *mean, int *shown_answers)
{
    if (k <= 0 || answers < k) {
        return false;
    }
    *mean = (double)sum / answers;
    *shown_answers = answers;
    return true;
}

const char *web_api_status_name(enum store_arrival_status status)
{
    return store_status_name(status);
}

int web_api_parse_status(const char *text, enum store_arrival_status *out)
{
    enum store_arrival_status status;
    /* 'left' is the visitor's word at the kiosk, never a host's mark */
    if (store_status_parse(text, &status) != 0 || status == ARRIVAL_LEFT) {
        return -EINVAL;
    }
    *out = status;
    return 0;
}

int web_api_parse_int(const char *text, long min, long max, long *out)
{
    if (text == NULL || text[0] == '\0' || strlen(text) > 18) {
        return -EINVAL;
    }
    long value = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9') {
            return -EINVAL;
        }
        value = value * 10 + (*c - '0');
    }
    if (value < min || value > max) {
        return -EINVAL;
    }
    *out = value;
    return 0;
}

static int web_form_hex(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/*
 * Decodes text[0..length) into out (out_size bytes with the NUL). Returns the decoded
 * length, or -EINVAL for a bad escape, a NUL byte or a result that does not fit (out is
 * then "").
 */
static int web_form_decode(const char *text, size_t length, char *out, size_t out_size)
{
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        int byte = (unsigned char)text[i];
        if (byte == '+') {
            byte = ' ';
        } else if (byte == '%') {
            if (i + 2 >= length) {
                goto out_invalid; /* "%" or "%4" at the end */
            }
            int high = web_form_hex(text[i + 1]);
            int low = web_form_hex(text[i + 2]);
            if (high < 0 || low < 0) {
                goto out_invalid;
            }
            byte = high * 16 + low;
            i += 2;
        }
        if (byte == 0 || used + 1 >= out_size) {
            goto out_invalid;
        }
        out[used++] = (char)byte;
    }
    out[used] = '\0';
    return (int)used;

out_invalid:
    out[0] = '\0';
    return -EINVAL;
}

int web_form_get(const char *body, size_t length, const char *name, char *out, size_t out_size)
{
    if (out_size == 0) {
        return -EINVAL;
    }
    out[0] = '\0';
    if (memchr(body, '\0', length) != NULL) {
        return -EINVAL;
    }
    size_t start = 0;
    while (start < length) {
        const char *pair = body + start;
        const char *amp = memchr(pair, '&', length - start);
        size_t pair_length = amp ? (size_t)(amp - pair) : length - start;
        start += pair_length + 1;
        if (pair_length == 0) {
            continue; /* "a=1&&b=2" */
        }
        const char *equals = memchr(pair, '=', pair_length);
        size_t name_length = equals ? (size_t)(equals - pair) : pair_length;
        char decoded_name[64];
        if (web_form_decode(pair, name_length, decoded_name, sizeof decoded_name) < 0) {
            return -EINVAL;
        }
        if (strcmp(decoded_name, name) != 0) {
            continue;
        }
        if (equals == NULL) {
            return 1; /* "name" alone: an empty value */
        }
        const char *value = equals + 1;
        size_t value_length = pair_length - name_length - 1;
        return web_form_decode(value, value_length, out, out_size) < 0 ? -EINVAL : 1;
    }
    return 0;
}

/* "HH:MM" of a kiosk instant, local time. */
static void web_api_clock(int64_t ms, char out[6])
{
    struct oase_localtime local;
    clock_local(ms, &local);
    unsigned hour = (unsigned)local.hour % 24u;
    unsigned minute = (unsigned)local.minute % 60u;
    snprintf(out, 6, "%02u:%02u", hour, minute);
}

/* The service's label in lang (code), falling back to nl, then the config label, the id. */
static const char *web_api_service_label(const struct web_api_view *view, const char *id,
                                         const char *code)
{
    if (id[0] == '\0') {
        return "";
    }
    if (view->langs != NULL) {
        char key[64];
        int length = snprintf(key, sizeof key, "service.%s", id);
        const struct lang *lang = lang_get(view->langs, code);
        if (lang == NULL) {
            lang = lang_get(view->langs, "nl");
        }
        const char *text =
            lang && length > 0 && (size_t)length < sizeof key ? lang_lookup(lang, key) : NULL;
        if (text != NULL && text[0] != '\0') {
            return text;
        }
    }
    const struct service *service =
        service_find(view->kiosk->services, view->kiosk->service_count, id);
    return service ? service->label : id;
}

static void web_api_clock_or_null(struct web_json *json, const char *key, int64_t ms);

static void web_api_arrivals(struct web_json *json, const struct web_api_view *view)
{
    web_json_begin_array(json, "arrivals");
    for (int i = 0; i < view->arrival_count; i++) {
        const struct store_arrival *arrival = &view->arrivals[i];
        char arrived[6];
        web_api_clock(arrival->arrived_ms, arrived);
        web_json_begin_object(json, NULL);
        web_json_int(json, "number", arrival->name_number);
        web_json_string(json, "name", arrival->friendly_name);
        web_json_string(json, "service", arrival->service);
        web_json_begin_object(json, "service_label");
        web_json_string(json, "nl", web_api_service_label(view, arrival->service, "nl"));
        web_json_string(json, "en", web_api_service_label(view, arrival->service, "en"));
        web_json_end_object(json);
        web_json_string(json, "arrived", arrived);
        web_json_bool(json, "wants_word", arrival->wants_word);
        web_json_string(json, "status", web_api_status_name(arrival->status));
        int64_t until = arrival->status == ARRIVAL_COLLECTED ? arrival->collected_ms
                        : arrival->status == ARRIVAL_WAITING ? view->now_ms
                                                             : 0;
        if (until == 0) {
            web_json_null(json, "minutes");
        } else {
            int64_t waited = until - arrival->arrived_ms;
            web_json_int(json, "minutes", waited > 0 ? waited / 60000 : 0);
        }
        const struct web_arrival_extra *extra = view->extras ? &view->extras[i] : NULL;
        bool claimed = extra && extra->claimed && arrival->status == ARRIVAL_WAITING;
        web_json_bool(json, "claimed", claimed);
        web_json_bool(json, "claimed_by_me", claimed && extra->claimed_by_me);
        web_api_clock_or_null(json, "claimed_at", claimed ? extra->claimed_ms : 0);
        /* When a desk marked it (for the done list's order); collected also from the store. */
        int64_t marked = extra && extra->marked_ms > 0          ? extra->marked_ms
                         : arrival->status == ARRIVAL_COLLECTED ? arrival->collected_ms
                                                                : 0;
        if (arrival->status == ARRIVAL_WAITING || marked <= 0) {
            web_json_null(json, "marked_ms");
        } else {
            web_json_int(json, "marked_ms", marked);
        }
        web_api_clock_or_null(json, "marked", arrival->status == ARRIVAL_WAITING ? 0 : marked);
        web_json_end_object(json);
    }
    web_json_end_array(json);
}

static void web_api_today(struct web_json *json, const struct web_api_view *view)
{
    const struct store_today *today = view->today;
    web_json_begin_object(json, "today");
    web_json_int(json, "checkins", today->checkins);
    web_json_int(json, STORE_STATUS_WAITING, today->waiting);
    web_json_int(json, STORE_STATUS_COLLECTED, today->collected);
    web_json_int(json, "no_shows", today->no_shows);
    if (today->median_wait_ms >= 0) {
        web_json_int(json, "median_wait_minutes", (today->median_wait_ms + 30000) / 60000);
    } else {
        web_json_null(json, "median_wait_minutes");
    }
    /* Of the written answers (whole batches), the share not skipped: moves only by batches. */
    if (view->kiosk->ask_stress && today->stress_asked > 0) {
        web_json_int(json, "response_percent",
                     (today->stress_answers * 100LL + today->stress_asked / 2) /
                         today->stress_asked);
    } else {
        web_json_null(json, "response_percent");
    }
    web_json_int(json, "stress_answers", today->stress_answers);
    web_json_int(json, "k", view->k);
    if (view->stress_mean_shown) {
        web_json_fixed(json, "stress_mean", view->stress_mean, 1);
        web_json_int(json, "stress_mean_answers", view->stress_mean_answers);
    } else {
        web_json_null(json, "stress_mean");
        web_json_null(json, "stress_mean_answers");
    }
    web_json_begin_object(json, "incidents");
    for (int kind = 0; kind < STORE_INCIDENT_KINDS; kind++) {
        web_json_int(json, store_incident_kind_name((enum store_incident_kind)kind),
                     today->incidents[kind]);
    }
    web_json_end_object(json);
    web_json_end_object(json);
}

static void web_api_clock_or_null(struct web_json *json, const char *key, int64_t ms)
{
    if (ms == INT64_MAX || ms <= 0) {
        web_json_null(json, key);
        return;
    }
    char text[6];
    web_api_clock(ms, text);
    web_json_string(json, key, text);
}

static void web_api_room(struct web_json *json, const struct web_api_view *view)
{
    const struct web_room *room = view->room;
    web_json_begin_object(json, "room");
    web_json_bool(json, "lights_known", room->lights_known);
    if (room->lights_known) {
        const struct lights_status *lights = &room->lights;
        double level = 0;
        for (int i = 0; i < lights->channel_count; i++) {
            level += lights->channels[i].level;
        }
        level = lights->channel_count > 0 ? level / lights->channel_count : 0;
        web_json_string(json, "scene", lights->scene);
        web_json_int(json, "level", (long long)(level + 0.5));
        web_json_bool(json, "override", lights->override_active);
        web_api_clock_or_null(json, "override_until",
                              lights->override_active ? lights->override_until_ms : 0);
        web_api_clock_or_null(json, "next_change", lights->next_change_ms);
        web_json_bool(json, "fading", lights->fading);
        web_json_bool(json, "test", lights->test_active);
        web_json_begin_array(json, "scenes");
        for (int i = 0; i < room->scene_count; i++) {
            web_json_string(json, NULL, room->scenes[i]);
        }
        web_json_end_array(json);
    }
    /* The sound line and controls appear when the kiosk has sound (web_poll reads it). */
    if (room->audio_known) {
        web_json_begin_object(json, "audio");
        web_json_string(json, "source", room->audio.source);
        web_json_fixed(json, "volume_db", room->audio.volume_db, 1);
        web_json_bool(json, "playing", room->audio.playing);
        web_json_end_object(json);
    } else {
        web_json_null(json, "audio");
    }
    web_json_end_object(json);
}

/* "experiment": {name, condition, day_index, days, overrides_today, in_force}, or null. */
static void web_api_experiment(struct web_json *json, const struct web_room *room)
{
    const struct experiment_status *experiment = &room->experiment;
    if (!experiment->declared) {
        web_json_null(json, "experiment");
        return;
    }
    web_json_begin_object(json, "experiment");
    web_json_string(json, "name", experiment->name);
    if (experiment->running) {
        web_json_string(json, "condition", experiment->condition);
        web_json_int(json, "day_index", experiment->day_index);
    } else {
        web_json_null(json, "condition");
        web_json_null(json, "day_index");
    }
    web_json_int(json, "days", experiment->days);
    web_json_int(json, "overrides_today", experiment->overrides_today);
    web_json_bool(json, "in_force", experiment->applied);
    web_json_end_object(json);
}

static void web_api_health(struct web_json *json, const struct web_api_view *view)
{
    const struct web_room *room = view->room;
    const struct web_health *health = view->health;
    web_json_begin_object(json, "health");
    web_json_begin_array(json, "lights");
    for (int i = 0; room->lights_known && i < room->lights.channel_count; i++) {
        const struct lights_channel_status *channel = &room->lights.channels[i];
        web_json_begin_object(json, NULL);
        web_json_string(json, "name", channel->name);
        web_json_string(json, "driver", channel->driver ? channel->driver : "");
        web_json_bool(json, "degraded", channel->degraded);
        web_json_string(json, "problem", channel->problem);
        web_json_end_object(json);
    }
    web_json_end_array(json);
    if (room->audio_known) {
        web_json_begin_object(json, "audio");
        web_json_string(json, "problem", room->audio.problem);
        web_json_end_object(json);
    } else {
        web_json_null(json, "audio");
    }
    if (health->disk_known) {
        web_json_int(json, "disk_free_mb", health->disk_free_mb);
        web_json_int(json, "disk_free_percent", health->disk_free_percent);
    } else {
        web_json_null(json, "disk_free_mb");
        web_json_null(json, "disk_free_percent");
    }
    web_json_string(json, "database_error", health->database_error);
    web_json_int(json, "failed_writes", health->failed_writes);
    web_json_string(json, "database_fault", health->database_fault);
    web_json_bool(json, "database_in_memory", health->database_in_memory);
    if (health->unsaved) {
        web_api_clock_or_null(json, "unsaved_since", health->unsaved_since_ms);
    } else {
        web_json_null(json, "unsaved_since");
    }
    web_json_int(json, "held_writes", health->held_writes);
    web_json_int(json, "lost_writes", health->lost_writes);
    /* Answers wait for k others before they are written (docs/privacy.md): how many wait
     * now (lost on a power cut), how many were withheld or refused since the start. */
    web_json_int(json, "answers_pooled", health->answers_pooled);
    web_json_int(json, "answers_withheld", health->answers_withheld);
    web_json_int(json, "answers_refused", health->answers_refused);
    web_json_string(json, "clock_problem", health->clock_problem ? health->clock_problem : "");
    web_json_end_object(json);
}

int web_api_state(struct web_json *json, const struct web_api_view *view)
{
    struct oase_localtime local;
    clock_local(view->now_ms, &local);
    char now[6];
    web_api_clock(view->now_ms, now);
    web_json_begin_object(json, NULL);
    web_json_string(json, "date", local.date);
    web_json_string(json, "now", now);
    web_api_arrivals(json, view);
    int64_t longest = -1;
    for (int i = 0; i < view->arrival_count; i++) {
        const struct store_arrival *arrival = &view->arrivals[i];
        if (arrival->status == ARRIVAL_WAITING && view->now_ms - arrival->arrived_ms > longest) {
            longest = view->now_ms - arrival->arrived_ms;
        }
    }
    if (longest < 0) {
        web_json_null(json, "longest_wait_minutes");
    } else {
        web_json_int(json, "longest_wait_minutes", longest / 60000);
    }
    web_json_int(json, "help_requests", view->help_requests);
    web_api_today(json, view);
    web_api_room(json, view);
    web_api_experiment(json, view->room);
    web_api_health(json, view);
    web_json_end_object(json);
    return web_json_done(json) ? 0 : -ENOMEM;
}
