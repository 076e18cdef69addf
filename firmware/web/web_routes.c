/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_routes: the routes of the host page (state, arrivals, claims, help, incidents, the
 * room, health, the page's files) and of the research download, and the GET and POST tables
 * that pick one.
 */
#include "web/web_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/ratelog.h"
#include "web/web_api.h"
#include "web/web_auth.h"
#include "web/web_research.h"

/* URL paths of the files; anything else is an API route or 404 (no path is ever joined). */
static const struct {
    const char *path;
    enum web_asset_id asset;
} web_asset_paths[] = {
    {"/", ASSET_INDEX},           {"/index.html", ASSET_INDEX}, {"/login", ASSET_LOGIN},
    {"/login.html", ASSET_LOGIN}, {"/app.js", ASSET_APP_JS},    {"/login.js", ASSET_LOGIN_JS},
    {"/style.css", ASSET_STYLE},
};

static void web_disk_health(const struct web *web, struct web_health *health)
{
    const char *path = web->ctx.db_path;
    if (path == NULL || path[0] == '\0' || strcmp(path, ":memory:") == 0) {
        return;
    }
    char folder[PATH_MAX];
    int length = snprintf(folder, sizeof folder, "%s", path);
    if (length < 0 || (size_t)length >= sizeof folder) {
        return;
    }
    char *slash = strrchr(folder, '/');
    if (slash == NULL) {
        snprintf(folder, sizeof folder, ".");
    } else if (slash == folder) {
        folder[1] = '\0'; /* "/oase.db" lives in "/" */
    } else {
        *slash = '\0';
    }
    struct statvfs disk;
    if (statvfs(folder, &disk) != 0 || disk.f_blocks == 0) {
        return;
    }
    unsigned long long free_bytes = (unsigned long long)disk.f_bavail * disk.f_frsize;
    health->disk_known = true;
    health->disk_free_mb = (long long)(free_bytes / (1024 * 1024));
    health->disk_free_percent = (int)((unsigned long long)disk.f_bavail * 100 / disk.f_blocks);
}

/* The local day of a kiosk instant, "YYYY-MM-DD". */
static void web_day(int64_t ms, char day[11])
{
    struct oase_localtime local;
    clock_local(ms, &local);
    snprintf(day, 11, "%s", local.date);
}

static size_t web_slot(int number)
{
    return (size_t)((unsigned)number % WEB_ARRIVALS_MAX);
}

/* Claims and marks of the arrivals shown, for the session asking (lock held). */
static void web_fill_extras(struct web *web, const struct store_arrival *arrivals, int count,
                            const char *session_id, struct web_arrival_extra *extras)
{
    for (int i = 0; i < count; i++) {
        char day[11];
        web_day(arrivals[i].arrived_ms, day);
        const struct web_claim *claim = &web->claims[web_slot(arrivals[i].name_number)];
        const struct web_mark *mark = &web->marks[web_slot(arrivals[i].name_number)];
        if (claim->number == arrivals[i].name_number && strcmp(claim->day, day) == 0) {
            extras[i].claimed = true;
            extras[i].claimed_by_me =
                session_id != NULL && web_auth_token_equal(claim->session, session_id);
            extras[i].claimed_ms = claim->since_ms;
        }
        if (mark->number == arrivals[i].name_number && strcmp(mark->day, day) == 0) {
            extras[i].marked_ms = mark->marked_ms;
        }
    }
}

/* FNV-1a: the state's ETag (a change of any byte changes it, with near certainty). */
static uint64_t web_fnv1a(const char *data, size_t size)
{
    uint64_t hash = 14695981039346656037ULL;
    for (size_t i = 0; i < size; i++) {
        hash ^= (unsigned char)data[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

static enum MHD_Result web_route_state(struct web *web, struct MHD_Connection *connection,
                                       const char *session_id)
{
    struct store_arrival *arrivals = calloc(WEB_ARRIVALS_MAX, sizeof *arrivals);
    struct web_arrival_extra *extras = calloc(WEB_ARRIVALS_MAX, sizeof *extras);
    struct web_room *room = malloc(sizeof *room);
    struct web_health *health = calloc(1, sizeof *health);
    if (arrivals == NULL || extras == NULL || room == NULL || health == NULL) {
        free(arrivals);
        free(extras);
        free(room);
        free(health);
        return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "memory");
    }
    struct store *store = web->ctx.store;
    struct web_api_view view = {
        .now_ms = web_kiosk_now(web),
        .arrivals = arrivals,
        .extras = extras,
        .kiosk = &web->ctx.kiosk,
        .langs = web->ctx.langs,
        .k = web->cfg.stress_min_answers,
        .room = room,
        .health = health,
    };
    view.arrival_count = store_arrivals(store, arrivals, WEB_ARRIVALS_MAX);
    struct store_today today;
    store_today(store, view.now_ms, &today);
    view.today = &today;
    struct store_health data;
    store_health(store, &data);
    snprintf(health->database_error, sizeof health->database_error, "%s", data.last_error);
    health->failed_writes = (long long)data.failed_writes;
    snprintf(health->database_fault, sizeof health->database_fault, "%s", data.fault);
    health->database_in_memory = data.in_memory;
    health->unsaved = data.holding;
    health->unsaved_since_ms = data.unsaved_since_ms;
    health->held_writes = data.held;
    health->lost_writes = (long long)data.lost;
    health->answers_pooled = data.pooled;
    health->answers_withheld = (long long)data.withheld;
    health->answers_refused = (long long)data.pool_refused;
    int clock_state = web->ctx.clock_state ? *web->ctx.clock_state : WEB_CLOCK_OK;
    health->clock_problem = clock_state == WEB_CLOCK_STALE      ? "stale"
                            : clock_state == WEB_CLOCK_UNSYNCED ? "unsynced"
                                                                : "";
    web_disk_health(web, health);

    pthread_mutex_lock(&web->lock);
    *room = web->room;
    web_fill_extras(web, arrivals, view.arrival_count, session_id, extras);
    view.help_requests = web->help_requests;
    view.stress_mean_shown =
        web_stress_mean(today.stress_answers, today.stress_sum, web->cfg.stress_min_answers,
                        &view.stress_mean, &view.stress_mean_answers);
    pthread_mutex_unlock(&web->lock);

    struct web_json json;
    web_json_init(&json, WEB_API_JSON_MAX);
    enum MHD_Result result;
    if (web_api_state(&json, &view) != 0) {
        result = web_reply_error(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "too_large");
    } else {
        /* The page asks every second: an unchanged state is 304 with no body. */
        char etag[24];
        snprintf(etag, sizeof etag, "\"%016llx\"",
                 (unsigned long long)web_fnv1a(json.data, strlen(json.data)));
        struct web_header tag = {"ETag", etag};
        const char *given =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
        result =
            given != NULL && strcmp(given, etag) == 0
                ? web_reply(connection, MHD_HTTP_NOT_MODIFIED, "application/json; charset=utf-8",
                            "", 0, MHD_RESPMEM_PERSISTENT, &tag, 1)
                : web_reply_json(connection, MHD_HTTP_OK, json.data, &tag, 1);
    }
    web_json_free(&json);
    free(extras);
    free(arrivals);
    free(room);
    free(health);
    return result;
}

/* The status of today's arrival number, or -ENOENT. */
static int web_arrival_status(struct store *store, int number, enum store_arrival_status *out)
{
    struct store_arrival *arrivals = calloc(WEB_ARRIVALS_MAX, sizeof *arrivals);
    if (arrivals == NULL) {
        return -ENOMEM;
    }
    int count = store_arrivals(store, arrivals, WEB_ARRIVALS_MAX);
    int result = -ENOENT;
    for (int i = 0; i < count; i++) {
        if (arrivals[i].name_number == number) {
            *out = arrivals[i].status; /* the latest day's, as store_set_status picks */
            result = 0;
        }
    }
    free(arrivals);
    return result;
}

static enum MHD_Result web_route_arrival(struct web *web, struct MHD_Connection *connection,
                                         const struct web_upload *upload)
{
    char number_text[16];
    char status_text[16];
    long number = 0;
    enum store_arrival_status status;
    if (web_form_get(upload->body, upload->length, "number", number_text, sizeof number_text) !=
            1 ||
        web_form_get(upload->body, upload->length, "status", status_text, sizeof status_text) !=
            1 ||
        web_api_parse_int(number_text, 1, INT_MAX, &number) != 0 ||
        web_api_parse_status(status_text, &status) != 0) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "bad_request");
    }
    enum store_arrival_status current;
    int found = web_arrival_status(web->ctx.store, (int)number, &current);
    if (found == -ENOENT) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_such_arrival");
    }
    if (found == 0 && current == status) {
        return web_reply_ok(connection, MHD_HTTP_OK); /* a double tap changes nothing */
    }
    int64_t now = web_kiosk_now(web);
    int64_t seq = store_set_status(web->ctx.store, (int)number, status, now);
    if (seq == -ENOENT) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_such_arrival");
    }
    if (seq < 0) {
        return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "busy");
    }
    char day[11];
    web_day(now, day);
    pthread_mutex_lock(&web->lock);
    struct web_mark *mark = &web->marks[web_slot((int)number)];
    snprintf(mark->day, sizeof mark->day, "%s", day);
    mark->number = (int)number;
    mark->marked_ms = now;
    struct web_claim *claim = &web->claims[web_slot((int)number)];
    int64_t claimed_ms = -1; /* how long it was claimed before this mark; -1: not claimed */
    if (claim->number == (int)number) {
        claimed_ms =
            strcmp(claim->day, day) == 0 && now >= claim->since_ms ? now - claim->since_ms : -1;
        memset(claim, 0, sizeof *claim); /* collected, gone or back: a claim starts over */
    }
    pthread_mutex_unlock(&web->lock);
    if (status != ARRIVAL_WAITING) {
        /* For the evaluation, only as counts (claim_counts, at the fold). */
        store_note_claim(web->ctx.store, (int)number, now, claimed_ms);
    }
    return web_reply_ok(connection, MHD_HTTP_OK);
}

/*
 * POST /api/claim number=N&claim=1|0: "ik haal deze" for a waiting visitor, shown to every
 * desk with the time; in memory only. Another desk's claim is not taken over (409); only the
 * claiming desk releases it, and a status change ends it.
 */
static enum MHD_Result web_route_claim(struct web *web, struct MHD_Connection *connection,
                                       const struct web_upload *upload, const char *session_id)
{
    char number_text[16];
    char claim_text[4];
    long number = 0;
    if (web_form_get(upload->body, upload->length, "number", number_text, sizeof number_text) !=
            1 ||
        web_form_get(upload->body, upload->length, "claim", claim_text, sizeof claim_text) != 1 ||
        web_api_parse_int(number_text, 1, INT_MAX, &number) != 0 ||
        (strcmp(claim_text, "1") != 0 && strcmp(claim_text, "0") != 0)) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "bad_request");
    }
    enum store_arrival_status current;
    int found = web_arrival_status(web->ctx.store, (int)number, &current);
    if (found == -ENOENT) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_such_arrival");
    }
    if (found != 0 || current != ARRIVAL_WAITING) {
        return web_reply_error(connection, MHD_HTTP_CONFLICT, "not_waiting");
    }
    int64_t now = web_kiosk_now(web);
    char day[11];
    web_day(now, day);
    bool take = claim_text[0] == '1';
    unsigned status = MHD_HTTP_OK;
    pthread_mutex_lock(&web->lock);
    struct web_claim *claim = &web->claims[web_slot((int)number)];
    bool held = claim->number == (int)number && strcmp(claim->day, day) == 0;
    bool mine = held && web_auth_token_equal(claim->session, session_id);
    if (held && !mine) {
        status = MHD_HTTP_CONFLICT;
    } else if (take && !mine) {
        snprintf(claim->day, sizeof claim->day, "%s", day);
        claim->number = (int)number;
        memcpy(claim->session, session_id, sizeof claim->session);
        claim->since_ms = now;
    } else if (!take && mine) {
        memset(claim, 0, sizeof *claim);
    }
    pthread_mutex_unlock(&web->lock);
    return status == MHD_HTTP_OK ? web_reply_ok(connection, status)
                                 : web_reply_error(connection, status, "claimed");
}

/* POST /api/help seen=1: a desk has seen the kiosk's help requests; the count starts over. */
static enum MHD_Result web_route_help(struct web *web, struct MHD_Connection *connection,
                                      const struct web_upload *upload)
{
    char seen[4];
    if (web_form_get(upload->body, upload->length, "seen", seen, sizeof seen) != 1 ||
        strcmp(seen, "1") != 0) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "bad_request");
    }
    pthread_mutex_lock(&web->lock);
    web->help_requests = 0;
    pthread_mutex_unlock(&web->lock);
    return web_reply_ok(connection, MHD_HTTP_OK);
}

static enum MHD_Result web_route_incident(struct web *web, struct MHD_Connection *connection,
                                          const struct web_upload *upload)
{
    char kind[16];
    if (web_form_get(upload->body, upload->length, "kind", kind, sizeof kind) != 1) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "bad_request");
    }
    int64_t seq = store_incident(web->ctx.store, web_kiosk_now(web), kind);
    if (seq == -EINVAL) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "unknown_kind");
    }
    if (seq < 0) {
        return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "busy");
    }
    log_msg(LOG_INFO, "host page: an incident counted (%s)", kind);
    return web_reply_ok(connection, MHD_HTTP_OK);
}

/* Leaves a request for the main loop. Returns 0 or -EAGAIN when the mailbox is full. */
static int web_post_request(struct web *web, const struct web_request *request)
{
    pthread_mutex_lock(&web->lock);
    int result = -EAGAIN;
    if (web->mailbox_count < WEB_MAILBOX_MAX) {
        web->mailbox[web->mailbox_count++] = *request;
        result = 0;
    }
    pthread_mutex_unlock(&web->lock);
    if (result == 0 && web->ctx.wake != NULL) {
        web->ctx.wake(web->ctx.wake_ctx);
    }
    return result;
}

/* A sound request: source=NAME, volume_db=N or sound_schedule=1. 0, or an HTTP status. */
static int web_parse_sound(const struct web_upload *upload, struct web_request *request)
{
    static const char *const sources[] = {"sea", "rain", "forest", "music", "off"};
    char volume[16], schedule[8];
    int source_found =
        web_form_get(upload->body, upload->length, "source", request->scene, sizeof request->scene);
    int volume_found =
        web_form_get(upload->body, upload->length, "volume_db", volume, sizeof volume);
    int schedule_found =
        web_form_get(upload->body, upload->length, "sound_schedule", schedule, sizeof schedule);
    if (source_found < 0 || volume_found < 0 || schedule_found < 0 ||
        source_found + volume_found + schedule_found != 1) {
        return MHD_HTTP_BAD_REQUEST;
    }
    if (schedule_found == 1) {
        request->kind = WEB_REQUEST_SOUND_SCHEDULE;
        return 0;
    }
    if (volume_found == 1) {
        char *end;
        errno = 0;
        double db = strtod(volume, &end);
        if (errno != 0 || end == volume || *end != '\0' || !(db >= -60.0 && db <= 0.0)) {
            return MHD_HTTP_BAD_REQUEST;
        }
        request->kind = WEB_REQUEST_VOLUME;
        request->volume_db = db;
        return 0;
    }
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        if (strcmp(request->scene, sources[i]) == 0) {
            request->kind = WEB_REQUEST_SOUND;
            return 0;
        }
    }
    return MHD_HTTP_NOT_FOUND;
}

static enum MHD_Result web_route_room(struct web *web, struct MHD_Connection *connection,
                                      const struct web_upload *upload)
{
    struct web_request request = {.kind = WEB_REQUEST_SCENE};
    char probe[LIGHTS_NAME_MAX];
    bool sound =
        web_form_get(upload->body, upload->length, "source", probe, sizeof probe) == 1 ||
        web_form_get(upload->body, upload->length, "volume_db", probe, sizeof probe) == 1 ||
        web_form_get(upload->body, upload->length, "sound_schedule", probe, sizeof probe) == 1;
    if (sound) {
        if (web->ctx.audio == NULL) {
            return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_audio");
        }
        int status = web_parse_sound(upload, &request);
        if (status != 0) {
            return web_reply_error(connection, (unsigned)status,
                                   status == MHD_HTTP_NOT_FOUND ? "no_such_source" : "bad_request");
        }
    } else {
        if (web->ctx.lights == NULL) {
            return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_lights");
        }
        char schedule[8];
        int scene_found = web_form_get(upload->body, upload->length, "scene", request.scene,
                                       sizeof request.scene);
        int schedule_found =
            web_form_get(upload->body, upload->length, "schedule", schedule, sizeof schedule);
        if (scene_found < 0 || schedule_found < 0 || scene_found + schedule_found != 1) {
            return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "bad_request");
        }
        if (schedule_found == 1) {
            request.kind = WEB_REQUEST_SCHEDULE;
            request.scene[0] = '\0';
        } else {
            bool known = false;
            pthread_mutex_lock(&web->lock);
            for (int i = 0; i < web->room.scene_count; i++) {
                known = known || strcmp(web->room.scenes[i], request.scene) == 0;
            }
            pthread_mutex_unlock(&web->lock);
            if (!known) {
                return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "no_such_scene");
            }
        }
    }
    if (web_post_request(web, &request) != 0) {
        return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "busy");
    }
    return web_reply_ok(connection, MHD_HTTP_ACCEPTED);
}

static enum MHD_Result web_route_health(struct web *web, struct MHD_Connection *connection)
{
    struct store_health data;
    store_health(web->ctx.store, &data);
    bool database_ok = data.last_error[0] == '\0' && data.failed_writes == 0 && !data.holding &&
                       data.lost == 0 && data.fault[0] == '\0' && !data.in_memory;
    return web_reply_json(connection, MHD_HTTP_OK,
                          database_ok ? "{\"ok\":true,\"database_ok\":true}"
                                      : "{\"ok\":true,\"database_ok\":false}",
                          NULL, 0);
}

static enum MHD_Result web_route_asset(struct web *web, struct MHD_Connection *connection,
                                       enum web_asset_id asset, bool signed_in)
{
    if (!web_assets[asset].public && !signed_in) {
        if (asset == ASSET_INDEX) {
            static const char text[] = "Log in first: /login\n";
            struct web_header location = {"Location", "/login"};
            return web_reply(connection, MHD_HTTP_SEE_OTHER, "text/plain; charset=utf-8", text,
                             sizeof text - 1, MHD_RESPMEM_PERSISTENT, &location, 1);
        }
        return web_reply_error(connection, MHD_HTTP_UNAUTHORIZED, "login");
    }
    return web_reply(connection, MHD_HTTP_OK, web_assets[asset].type, web->assets[asset],
                     web->asset_sizes[asset], MHD_RESPMEM_PERSISTENT, NULL, 0);
}

/* One research download on its way: libmicrohttpd owns it from the response on. */
struct web_download {
    struct web_research_stream *stream;
    char address[64]; /* the client, for the log line at its end */
};

#define WEB_DOWNLOAD_BLOCK (32 * 1024) /* bytes handed to libmicrohttpd at a time */

static ssize_t web_download_read(void *cls, uint64_t position, char *buf, size_t max)
{
    (void)position;
    struct web_download *download = cls;
    ssize_t n = web_research_stream_read(download->stream, buf, max);
    return n > 0    ? n
           : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                    : MHD_CONTENT_READER_END_WITH_ERROR; /* no final chunk: incomplete */
}

/* The response is done with (sent, cut, or the client went away). */
static void web_download_done(void *cls)
{
    struct web_download *download = cls;
    bool complete = false;
    size_t sent = web_research_stream_sent(download->stream, &complete);
    if (complete) {
        log_msg(LOG_INFO, "research export: %zu bytes to %s", sent, download->address);
    } else {
        log_msg(LOG_WARN, "research export: stopped after %zu bytes to %s", sent,
                download->address);
    }
    web_research_stream_close(download->stream);
    free(download);
}

static enum MHD_Result web_research_argument(void *cls, enum MHD_ValueKind kind, const char *key,
                                             const char *value)
{
    (void)kind;
    struct web_research_query *query = cls;
    if (query->count < WEB_RESEARCH_PARAMS_MAX) {
        query->keys[query->count] = key;
        query->values[query->count] = value;
        query->count++;
    } else {
        query->dropped++;
    }
    return MHD_YES;
}

/*
 * GET /research/export with "Authorization: Bearer TOKEN": the researcher's download. The
 * token's SHA-256 is compared in constant time with [research] token_hash (no hashing slot,
 * no pause: nobody guesses 256 random bits, and a download never waits behind host logins);
 * it gives no session and opens nothing else; a host session gives no export.
 */
static enum MHD_Result web_route_research(struct web *web, struct MHD_Connection *connection)
{
    if (!web->research_on) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "not_found");
    }
    const char *authorization =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    static const char bearer[] = "Bearer "; /* the scheme in any case (RFC 9110) */
    const char *token = "";
    if (authorization != NULL && strncasecmp(authorization, bearer, sizeof bearer - 1) == 0) {
        token = authorization + sizeof bearer - 1;
    }
    char address[64];
    web_client_key(web, connection, address, sizeof address);
    if (!web_auth_research_token_check(&web->research_token, token,
                                       strnlen(token, WEB_TOKEN_LENGTH + 1))) {
        long long held = 0;
        if (ratelog_pass(&web->research_log, "wrong token", ratelog_now_ms(), &held)) {
            log_msg(LOG_WARN,
                    "research export: wrong or missing token from %s (%lld more held back)",
                    address, held);
        }
        struct web_header challenge = {"WWW-Authenticate", "Bearer realm=\"oase-research\""};
        return web_reply_json(connection, MHD_HTTP_UNAUTHORIZED, "{\"error\":\"token\"}",
                              &challenge, 1);
    }
    struct web_research_query query = {0};
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, web_research_argument, &query);
    struct web_research_reply reply;
    web_research_export(&web->cfg, web->ctx.db_path, &query, WEB_RESEARCH_BODY_MAX, &reply);
    if (reply.stream == NULL) {
        if (reply.body == NULL) {
            return MHD_NO;
        }
        return web_reply(connection, reply.status, reply.type, reply.body, reply.size,
                         MHD_RESPMEM_MUST_FREE, NULL, 0);
    }
    struct web_download *download = calloc(1, sizeof *download);
    if (download == NULL) {
        web_research_stream_close(reply.stream);
        return MHD_NO;
    }
    download->stream = reply.stream;
    snprintf(download->address, sizeof download->address, "%s", address);
    /* Chunked, a block at a time as the client takes it; the export is never held whole. */
    struct MHD_Response *response = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, WEB_DOWNLOAD_BLOCK, web_download_read, download, web_download_done);
    if (response == NULL) {
        web_download_done(download);
        return MHD_NO;
    }
    struct web_header disposition = {"Content-Disposition", reply.disposition};
    return web_reply_response(connection, reply.status, reply.type, response, &disposition, 1);
}

enum MHD_Result web_route_get(struct web *web, struct MHD_Connection *connection, const char *url)
{
    if (strcmp(url, "/health") == 0) {
        return web_route_health(web, connection);
    }
    if (strcmp(url, WEB_RESEARCH_PATH) == 0) {
        return web_route_research(web, connection);
    }
    char session_id[WEB_AUTH_TOKEN_SIZE];
    char csrf[WEB_AUTH_TOKEN_SIZE];
    bool signed_in = web_session(web, connection, session_id, csrf);
    for (size_t i = 0; i < sizeof web_asset_paths / sizeof web_asset_paths[0]; i++) {
        if (strcmp(url, web_asset_paths[i].path) == 0) {
            return web_route_asset(web, connection, web_asset_paths[i].asset, signed_in);
        }
    }
    bool api_session = strcmp(url, "/api/session") == 0;
    bool api_state = strcmp(url, "/api/state") == 0;
    if (!api_session && !api_state) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "not_found");
    }
    if (!signed_in) {
        return web_reply_error(connection, MHD_HTTP_UNAUTHORIZED, "login");
    }
    return api_session ? web_route_session(web, connection, csrf)
                       : web_route_state(web, connection, session_id);
}

enum MHD_Result web_route_post(struct web *web, struct MHD_Connection *connection, const char *url,
                               const struct web_upload *upload)
{
    static const char *const routes[] = {"/api/login",    "/api/logout", "/api/arrival",
                                         "/api/incident", "/api/room",   "/api/claim",
                                         "/api/help"};
    bool known = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        known = known || strcmp(url, routes[i]) == 0;
    }
    if (!known) {
        return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "not_found");
    }
    if (!web_same_origin(web, connection)) {
        return web_reply_error(connection, MHD_HTTP_FORBIDDEN, "origin");
    }
    if (!web_is_form(connection, upload)) {
        return web_reply_error(connection, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "form_expected");
    }
    if (strcmp(url, "/api/login") == 0) {
        return web_route_login(web, connection, upload);
    }
    char session_id[WEB_AUTH_TOKEN_SIZE];
    char csrf[WEB_AUTH_TOKEN_SIZE];
    if (!web_session(web, connection, session_id, csrf)) {
        return web_reply_error(connection, MHD_HTTP_UNAUTHORIZED, "login");
    }
    const char *given = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, WEB_CSRF_HEADER);
    if (!web_auth_token_equal(csrf, given)) {
        return web_reply_error(connection, MHD_HTTP_FORBIDDEN, "csrf");
    }
    if (strcmp(url, "/api/logout") == 0) {
        return web_route_logout(web, connection, session_id);
    }
    if (strcmp(url, "/api/arrival") == 0) {
        return web_route_arrival(web, connection, upload);
    }
    if (strcmp(url, "/api/incident") == 0) {
        return web_route_incident(web, connection, upload);
    }
    if (strcmp(url, "/api/claim") == 0) {
        return web_route_claim(web, connection, upload, session_id);
    }
    if (strcmp(url, "/api/help") == 0) {
        return web_route_help(web, connection, upload);
    }
    return web_route_room(web, connection, upload);
}
