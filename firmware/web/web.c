/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web: see web.h. This file holds the server's lifecycle, the routing of each request
 * (method, path, session, CSRF), the page's files and the mailbox to the main loop.
 * Flow: MHD thread -> web_handle() -> web_route_*() -> store / web_api / mailbox;
 * main loop -> web_poll() -> lights, and the room's state back for the next answers.
 */
#include "web/web.h"

#include "audio/audio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/ratelog.h"
#include "web/web_api.h"
#include "web/web_auth.h"
#include "web/web_deadline.h"
#include "web/web_rate.h"
#include "web/web_research.h"

#define WEB_BODY_MAX 4096          /* the largest request body accepted (413 beyond) */
#define WEB_ASSET_MAX (512 * 1024) /* the largest page file read at start */
#define WEB_PEM_MAX (64 * 1024)    /* the largest certificate or key file */
#define WEB_MAILBOX_MAX 16         /* light requests waiting for web_poll() */
#define WEB_ARRIVALS_MAX 1024      /* today's arrivals shown (the store keeps as many) */
/* Connections at once (one thread each, WEB_THREAD_STACK of address space, little of it
 * touched). Sized so 15 addresses at the per-client limit still leave room for the desks. */
#define WEB_CONNECTIONS_MAX 256
#define WEB_CONNECTIONS_PER_CLIENT 16 /* a browser opens at most 6 to one server */
#define WEB_IDLE_TIMEOUT_S 15         /* an idle connection is closed (the page polls every 1 s) */
/* TLS 1.2 and 1.3 only, AEAD suites with forward secrecy only (GnuTLS priority string). */
#define WEB_TLS_PRIORITIES                                                                         \
    "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:"         \
    "+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-RSA:-DHE-RSA"
#define WEB_HSTS "max-age=31536000"
#define WEB_SERVER_NICE 5 /* the server's threads run this far below the kiosk's (visitor loop) */
#define WEB_THREAD_STACK (512 * 1024)
#define WEB_COOKIE "oase_session"
#define WEB_CSRF_HEADER "X-CSRF-Token"

/* The page's files, read once at web_open and served from memory. */
enum web_asset_id { ASSET_INDEX, ASSET_LOGIN, ASSET_APP_JS, ASSET_LOGIN_JS, ASSET_STYLE, ASSETS };

static const struct {
    const char *file;
    const char *type;
    bool public; /* reachable without a session */
} web_assets[ASSETS] = {
    [ASSET_INDEX] = {"index.html", "text/html; charset=utf-8", false},
    [ASSET_LOGIN] = {"login.html", "text/html; charset=utf-8", true},
    [ASSET_APP_JS] = {"app.js", "text/javascript; charset=utf-8", false},
    [ASSET_LOGIN_JS] = {"login.js", "text/javascript; charset=utf-8", true},
    [ASSET_STYLE] = {"style.css", "text/css; charset=utf-8", true},
};

/* URL paths of the files; anything else is an API route or 404 (no path is ever joined). */
static const struct {
    const char *path;
    enum web_asset_id asset;
} web_asset_paths[] = {
    {"/", ASSET_INDEX},           {"/index.html", ASSET_INDEX}, {"/login", ASSET_LOGIN},
    {"/login.html", ASSET_LOGIN}, {"/app.js", ASSET_APP_JS},    {"/login.js", ASSET_LOGIN_JS},
    {"/style.css", ASSET_STYLE},
};

enum web_request_kind {
    WEB_REQUEST_SCENE,          /* override with scene until the next scheduled change */
    WEB_REQUEST_SCHEDULE,       /* back to the schedule */
    WEB_REQUEST_SOUND,          /* sound source `scene` (sea, rain, forest, music, off); fades */
    WEB_REQUEST_VOLUME,         /* sound level volume_db until the next scheduled change; fades */
    WEB_REQUEST_SOUND_SCHEDULE, /* sound level back to the schedule */
};

/* In memory only, for today's page: who claimed a visitor, when a desk marked one. */
struct web_claim {
    char day[11];                      /* local day of the arrival's number; "" = free */
    int number;                        /* today's arrival number */
    char session[WEB_AUTH_TOKEN_SIZE]; /* the claiming desk's session (never shown) */
    int64_t since_ms;                  /* kiosk time */
};

struct web_mark {
    char day[11];
    int number;
    int64_t marked_ms; /* kiosk time of the last status change from a desk */
};

struct web_request {
    enum web_request_kind kind;
    char scene[LIGHTS_NAME_MAX]; /* scene, or sound source */
    double volume_db;
};

struct web {
    struct web_config cfg;
    struct web_context ctx;
    struct MHD_Daemon *daemon;
    struct web_auth *auth;
    bool research_on; /* [research] token_hash set; else /research/export is off */
    struct web_token_hash research_token; /* its SHA-256 */
    struct ratelog research_log;          /* wrong tokens, logged once a day per kind */
    struct web_rate *rate;                /* new connections per address (accept policy) */
    struct web_deadline *deadline;        /* a deadline for a whole request (slow senders) */
    bool tls;
    int port;
    char *assets[ASSETS]; /* file contents */
    size_t asset_sizes[ASSETS];
    char *tls_cert_pem;
    char *tls_key_pem;

    pthread_mutex_t lock;   /* guards every field below */
    char mhd_message[256];  /* libmicrohttpd's last message (why a start failed) */
    struct ratelog mhd_log; /* libmicrohttpd's messages, each kind once a day */
    struct web_room room;
    bool kiosk_known;      /* web_poll() has run */
    int64_t kiosk_now_ms;  /* kiosk time at the last web_poll() */
    int64_t kiosk_mono_ms; /* monotonic time at the last web_poll() */
    struct web_request mailbox[WEB_MAILBOX_MAX];
    int mailbox_count;
    struct web_claim claims[WEB_ARRIVALS_MAX]; /* slot number % WEB_ARRIVALS_MAX */
    struct web_mark marks[WEB_ARRIVALS_MAX];   /* likewise */
    int help_requests;                         /* open help requests from the kiosk */
    char hostname[128];                        /* this machine's name, accepted as Host */
};

/* A request's body while it arrives (one per request, freed by web_request_done). */
struct web_upload {
    size_t length;
    bool too_large;
    char body[WEB_BODY_MAX + 1];
};

/* --- time ------------------------------------------------------------------------------ */

static int64_t web_monotonic_ms(const struct web *web)
{
    if (web->ctx.monotonic_ms != NULL) {
        return web->ctx.monotonic_ms(web->ctx.clock_ctx);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Kiosk time now, from the last web_poll() (the kiosk may run on simulated time). */
static int64_t web_kiosk_now(struct web *web)
{
    int64_t mono = web_monotonic_ms(web);
    pthread_mutex_lock(&web->lock);
    bool known = web->kiosk_known;
    int64_t now = web->kiosk_now_ms + (mono - web->kiosk_mono_ms);
    pthread_mutex_unlock(&web->lock);
    if (!known) {
        struct oase_clock real;
        clock_init_real(&real);
        now = clock_now_ms(&real);
    }
    return now;
}

/* --- answers ------------------------------------------------------------------------- */

struct web_header {
    const char *name;
    const char *value;
};

/*
 * Queues an answer with the headers every answer carries: nothing from elsewhere may run,
 * frame or sniff anything here, and nothing is cached (the page is live, the desk PC shared).
 */
static enum MHD_Result web_reply_response(struct MHD_Connection *connection, unsigned status,
                                          const char *type, struct MHD_Response *response,
                                          const struct web_header *extra, int extra_count)
{
    if (response == NULL) {
        return MHD_NO;
    }
    static const struct web_header always[] = {
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    };
    bool ok = MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES;
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) {
        ok = ok && MHD_add_response_header(response, always[i].name, always[i].value) == MHD_YES;
    }
    for (int i = 0; i < extra_count; i++) {
        ok = ok && MHD_add_response_header(response, extra[i].name, extra[i].value) == MHD_YES;
    }
    /* Over TLS: browsers keep to HTTPS for this host from now on. */
    if (MHD_get_connection_info(connection, MHD_CONNECTION_INFO_PROTOCOL) != NULL) {
        ok = ok &&
             MHD_add_response_header(response, "Strict-Transport-Security", WEB_HSTS) == MHD_YES;
    }
    enum MHD_Result result = ok ? MHD_queue_response(connection, status, response) : MHD_NO;
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result web_reply(struct MHD_Connection *connection, unsigned status,
                                 const char *type, const void *body, size_t size,
                                 enum MHD_ResponseMemoryMode mode, const struct web_header *extra,
                                 int extra_count)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(size, (void *)(uintptr_t)body, mode);
    return web_reply_response(connection, status, type, response, extra, extra_count);
}

static enum MHD_Result web_reply_json(struct MHD_Connection *connection, unsigned status,
                                      const char *json, const struct web_header *extra,
                                      int extra_count)
{
    return web_reply(connection, status, "application/json; charset=utf-8", json, strlen(json),
                     MHD_RESPMEM_MUST_COPY, extra, extra_count);
}

/* {"error":"code"}: the page shows its own words for each code. */
static enum MHD_Result web_reply_error(struct MHD_Connection *connection, unsigned status,
                                       const char *code)
{
    char json[96];
    snprintf(json, sizeof json, "{\"error\":\"%s\"}", code);
    return web_reply_json(connection, status, json, NULL, 0);
}

static enum MHD_Result web_reply_ok(struct MHD_Connection *connection, unsigned status)
{
    return web_reply_json(connection, status, "{\"ok\":true}", NULL, 0);
}

/* --- sessions ------------------------------------------------------------------------ */

static void web_client_address(struct MHD_Connection *connection, char *out, size_t size)
{
    snprintf(out, size, "unknown");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) {
        return;
    }
    const struct sockaddr *address = info->client_addr;
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)address)->sin_addr, out,
                  (socklen_t)size);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)address)->sin6_addr, out,
                  (socklen_t)size);
    }
}

/*
 * The client's address for the pauses after wrong passphrases: the peer, or, when the peer
 * is the configured reverse proxy, the last address its X-Forwarded-For names (the one the
 * proxy itself added; earlier entries come from the client and prove nothing).
 */
static void web_client_key(const struct web *web, struct MHD_Connection *connection, char *out,
                           size_t size)
{
    web_client_address(connection, out, size);
    if (web->cfg.trusted_proxy[0] == '\0' || strcmp(out, web->cfg.trusted_proxy) != 0) {
        return;
    }
    const char *forwarded =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Forwarded-For");
    if (forwarded == NULL) {
        return;
    }
    const char *last = strrchr(forwarded, ',');
    last = last ? last + 1 : forwarded;
    last += strspn(last, " ");
    char candidate[64];
    snprintf(candidate, sizeof candidate, "%.*s", (int)strcspn(last, " "), last);
    unsigned char binary[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, candidate, binary) == 1 || inet_pton(AF_INET6, candidate, binary) == 1) {
        snprintf(out, size, "%s", candidate);
    }
}

/* True when name (length bytes, no port) is one of the comma- or space-separated list. */
static bool web_name_in_list(const char *list, const char *name, size_t length)
{
    const char *p = list;
    while (*p != '\0') {
        p += strspn(p, ", ");
        size_t item = strcspn(p, ", ");
        if (item == 0) {
            break;
        }
        if (item == length && strncasecmp(p, name, length) == 0) {
            return true;
        }
        p += item;
    }
    return false;
}

/*
 * DNS rebinding: a page from elsewhere whose name now points at the kiosk sends its own
 * name as Host. Accepted: IP literals (v4, [v6]), localhost, this machine's name (and
 * name.local), web.allowed_hosts and the host of web.public_origin; any port.
 */
static bool web_host_allowed(const struct web *web, const char *host)
{
    if (host == NULL || host[0] == '\0' || strlen(host) > 260) {
        return false;
    }
    char name[264];
    if (host[0] == '[') {
        const char *end = strchr(host, ']');
        if (end == NULL || (end[1] != '\0' && end[1] != ':')) {
            return false;
        }
        snprintf(name, sizeof name, "%.*s", (int)(end - host - 1), host + 1);
        unsigned char v6[sizeof(struct in6_addr)];
        return inet_pton(AF_INET6, name, v6) == 1;
    }
    size_t length = strcspn(host, ":");
    if (host[length] == ':' &&
        strspn(host + length + 1, "0123456789") != strlen(host + length + 1)) {
        return false;
    }
    snprintf(name, sizeof name, "%.*s", (int)length, host);
    unsigned char v4[sizeof(struct in_addr)];
    if (inet_pton(AF_INET, name, v4) == 1 || strcasecmp(name, "localhost") == 0) {
        return true;
    }
    if (web->hostname[0] != '\0') {
        size_t own = strlen(web->hostname);
        if (strcasecmp(name, web->hostname) == 0 ||
            (length == own + 6 && strncasecmp(name, web->hostname, own) == 0 &&
             strcasecmp(name + own, ".local") == 0)) {
            return true;
        }
    }
    if (web_name_in_list(web->cfg.allowed_hosts, name, length)) {
        return true;
    }
    const char *origin = web->cfg.public_origin;
    const char *origin_host = strstr(origin, "://");
    if (origin_host != NULL) {
        origin_host += 3;
        size_t origin_length = strcspn(origin_host, ":/");
        return origin_length == length && strncasecmp(origin_host, name, length) == 0;
    }
    return false;
}

/* The session's id (cookie) and CSRF token when the request carries a live session. */
static bool web_session(struct web *web, struct MHD_Connection *connection,
                        char session_id[WEB_AUTH_TOKEN_SIZE], char csrf[WEB_AUTH_TOKEN_SIZE])
{
    const char *cookie = MHD_lookup_connection_value(connection, MHD_COOKIE_KIND, WEB_COOKIE);
    if (cookie == NULL || strlen(cookie) != WEB_AUTH_TOKEN_SIZE - 1) {
        return false;
    }
    if (!web_auth_session(web->auth, cookie, web_monotonic_ms(web), csrf)) {
        return false;
    }
    memcpy(session_id, cookie, WEB_AUTH_TOKEN_SIZE);
    return true;
}

/*
 * A change may only come from this page: the Origin (when the browser sends one) must be
 * this server, and the body must be a form.
 */
static bool web_same_origin(struct web *web, struct MHD_Connection *connection)
{
    const char *origin = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Origin");
    if (origin == NULL) {
        return true; /* not a browser's cross-site request: the CSRF token still decides */
    }
    if (web->cfg.public_origin[0] != '\0' && strcmp(origin, web->cfg.public_origin) == 0) {
        return true; /* the page as the browser sees it through the reverse proxy */
    }
    const char *host = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Host");
    if (host == NULL) {
        return false;
    }
    char expected[300];
    int length = snprintf(expected, sizeof expected, "%s://%s", web->tls ? "https" : "http", host);
    return length > 0 && (size_t)length < sizeof expected && strcmp(origin, expected) == 0;
}

static bool web_is_form(struct MHD_Connection *connection, const struct web_upload *upload)
{
    static const char form[] = "application/x-www-form-urlencoded";
    const char *type =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type == NULL) {
        return upload->length == 0;
    }
    return strncasecmp(type, form, sizeof form - 1) == 0 &&
           (type[sizeof form - 1] == '\0' || type[sizeof form - 1] == ';');
}

/* --- routes -------------------------------------------------------------------------- */

static enum MHD_Result web_route_login(struct web *web, struct MHD_Connection *connection,
                                       const struct web_upload *upload)
{
    char passphrase[WEB_AUTH_PASSPHRASE_MAX + 1];
    int found =
        web_form_get(upload->body, upload->length, "passphrase", passphrase, sizeof passphrase);
    if (found == 0) {
        return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, "no_passphrase");
    }
    if (found < 0) {
        /* Malformed or longer than any passphrase: wrong, and counted as such below. */
        passphrase[0] = '\0';
    }
    char address[64];
    web_client_key(web, connection, address, sizeof address);
    char session_id[WEB_AUTH_TOKEN_SIZE];
    int64_t retry_ms = 0;
    enum web_login_result result =
        web_auth_login(web->auth, address, passphrase, found < 0 ? 0 : strlen(passphrase),
                       web_monotonic_ms(web), session_id, &retry_ms);
    explicit_bzero(passphrase, sizeof passphrase);

    char retry_text[24];
    long long retry_s = (retry_ms + 999) / 1000;
    snprintf(retry_text, sizeof retry_text, "%lld", retry_s);
    struct web_header retry_header = {"Retry-After", retry_text};
    char json[96];
    switch (result) {
    case WEB_LOGIN_OK: {
        char cookie[128];
        snprintf(cookie, sizeof cookie, WEB_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
                 session_id, web->tls ? "; Secure" : "");
        struct web_header set_cookie = {"Set-Cookie", cookie};
        log_msg(LOG_INFO, "host page: logged in from %s", address);
        return web_reply_json(connection, MHD_HTTP_OK, "{\"ok\":true}", &set_cookie, 1);
    }
    case WEB_LOGIN_WRONG:
        log_msg(LOG_WARN, "host page: wrong passphrase from %s; next try in %lld s", address,
                retry_s);
        snprintf(json, sizeof json, "{\"error\":\"wrong\",\"retry_after\":%lld}", retry_s);
        return web_reply_json(connection, MHD_HTTP_UNAUTHORIZED, json, &retry_header, 1);
    case WEB_LOGIN_WAIT:
        snprintf(json, sizeof json, "{\"error\":\"wait\",\"retry_after\":%lld}", retry_s);
        return web_reply_json(connection, MHD_HTTP_TOO_MANY_REQUESTS, json, &retry_header, 1);
    case WEB_LOGIN_FULL:
        log_msg(LOG_WARN,
                "host page: login from %s refused: %d desks are logged in (a desk "
                "that logs out makes room)",
                address, WEB_AUTH_SESSIONS_MAX);
        return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "sessions_full");
    case WEB_LOGIN_ERROR:
        break;
    }
    log_msg(LOG_ERROR, "host page: cannot check a passphrase (no random numbers or no hash)");
    return web_reply_error(connection, MHD_HTTP_SERVICE_UNAVAILABLE, "try_again");
}

static enum MHD_Result web_route_logout(struct web *web, struct MHD_Connection *connection,
                                        const char *session_id)
{
    web_auth_logout(web->auth, session_id);
    struct web_header clear = {"Set-Cookie", WEB_COOKIE "=; Path=/; Max-Age=0; HttpOnly; "
                                                        "SameSite=Strict"};
    return web_reply_json(connection, MHD_HTTP_OK, "{\"ok\":true}", &clear, 1);
}

static enum MHD_Result web_route_session(struct web *web, struct MHD_Connection *connection,
                                         const char *csrf)
{
    struct web_json json;
    web_json_init(&json, 4096);
    web_json_begin_object(&json, NULL);
    web_json_string(&json, "csrf", csrf);
    web_json_string(&json, "language", web->cfg.language);
    web_json_string(&json, "site", web->ctx.kiosk.site);
    web_json_bool(&json, "ask_stress", web->ctx.kiosk.ask_stress);
    web_json_bool(&json, "lights", web->ctx.lights != NULL);
    web_json_int(&json, "wait_attention_minutes", web->cfg.wait_attention_minutes);
    web_json_int(&json, "wait_long_minutes", web->cfg.wait_long_minutes);
    web_json_end_object(&json);
    enum MHD_Result result =
        web_json_done(&json) ? web_reply_json(connection, MHD_HTTP_OK, json.data, NULL, 0)
                             : web_reply_error(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "json");
    web_json_free(&json);
    return result;
}

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

static enum MHD_Result web_route_get(struct web *web, struct MHD_Connection *connection,
                                     const char *url)
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

static enum MHD_Result web_route_post(struct web *web, struct MHD_Connection *connection,
                                      const char *url, const struct web_upload *upload)
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

/* The headers that decide where a body ends, counted. */
struct web_framing {
    int content_lengths;
    int transfer_encodings;
    bool folded; /* a value with a line break or tab left from an obsolete folded line */
};

static enum MHD_Result web_count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    (void)kind;
    struct web_framing *framing = cls;
    /* A prefix, not the whole name: libmicrohttpd 0.9.75 appends a folded line to the name
     * ("Transfer-Encoding:\r\n chunked" arrives as "Transfer-Encodingchunked"). */
    static const char length[] = MHD_HTTP_HEADER_CONTENT_LENGTH;
    static const char encoding[] = MHD_HTTP_HEADER_TRANSFER_ENCODING;
    if (strncasecmp(key, length, sizeof length - 1) == 0) {
        framing->content_lengths++;
        framing->folded = framing->folded || key[sizeof length - 1] != '\0';
    } else if (strncasecmp(key, encoding, sizeof encoding - 1) == 0) {
        framing->transfer_encodings++;
    }
    if (strpbrk(key, " \t\r\n") != NULL || (value != NULL && strpbrk(value, "\r\n\t") != NULL)) {
        framing->folded = true;
    }
    return MHD_YES;
}

/*
 * Request smuggling through a proxy needs a body whose end two parsers see differently:
 * refuse Content-Length with Transfer-Encoding, any Transfer-Encoding, more than one
 * Content-Length, and a name or value with a line break or tab. libmicrohttpd 0.9.75 joins
 * an obsolete folded line onto the header's name before we see it, so a folded line is
 * caught where it could change the framing: a name that starts as Transfer-Encoding or
 * Content-Length (any Transfer-Encoding is refused; Content-Length must be the whole name).
 * A folded line of another header reaches us as an odd name and changes nothing.
 * NULL or the reason.
 */
static const char *web_framing_problem(struct MHD_Connection *connection)
{
    struct web_framing framing = {0};
    MHD_get_connection_values(connection, MHD_HEADER_KIND, web_count_framing, &framing);
    if (framing.content_lengths > 0 && framing.transfer_encodings > 0) {
        return "length_and_chunked";
    }
    if (framing.transfer_encodings > 0) {
        /* The page's forms are small and sent with a length; a chunked body here can only be
         * an attempt to be read differently by a proxy (e.g. "Transfer-Encoding:" folded). */
        return "chunked";
    }
    if (framing.content_lengths > 1 || framing.transfer_encodings > 1) {
        return "two_lengths";
    }
    return framing.folded ? "folded_header" : NULL;
}

/* libmicrohttpd calls this for each request: first with no body, then with pieces, then 0. */
static enum MHD_Result web_handle(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **request_ctx)
{
    (void)version;
    struct web *web = cls;
    struct web_upload *upload = *request_ctx;
    if (upload == NULL) {
        const char *problem = web_framing_problem(connection);
        if (problem != NULL) {
            web_deadline_answering(web->deadline, connection, false);
            return web_reply_error(connection, MHD_HTTP_BAD_REQUEST, problem);
        }
        if (!web_host_allowed(web, MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                               MHD_HTTP_HEADER_HOST))) {
            web_deadline_answering(web->deadline, connection, false);
            return web_reply_error(connection, MHD_HTTP_MISDIRECTED_REQUEST, "host");
        }
        const char *length_text = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                              MHD_HTTP_HEADER_CONTENT_LENGTH);
        long length = 0;
        if (length_text != NULL && web_api_parse_int(length_text, 0, WEB_BODY_MAX, &length) != 0) {
            web_deadline_answering(web->deadline, connection, false);
            return web_reply_error(connection, MHD_HTTP_CONTENT_TOO_LARGE, "too_large");
        }
        upload = calloc(1, sizeof *upload);
        if (upload == NULL) {
            return MHD_NO;
        }
        *request_ctx = upload;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t room = WEB_BODY_MAX - upload->length;
        if (*upload_data_size > room) {
            upload->too_large = true;
        } else {
            memcpy(upload->body + upload->length, upload_data, *upload_data_size);
            upload->length += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    upload->body[upload->length] = '\0';
    /* The whole request is in: from here the answer's deadline runs (a download's is long). */
    web_deadline_answering(web->deadline, connection, strcmp(url, WEB_RESEARCH_PATH) == 0);
    if (upload->too_large) {
        return web_reply_error(connection, MHD_HTTP_CONTENT_TOO_LARGE, "too_large");
    }
    if (strcmp(url, WEB_RESEARCH_PATH) == 0 && strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
        /* A download only: HEAD would run the whole export for nothing. */
        if (!web->research_on) {
            return web_reply_error(connection, MHD_HTTP_NOT_FOUND, "not_found");
        }
        static const char get_only[] = "{\"error\":\"method\"}";
        struct web_header allow_get = {"Allow", "GET"};
        return web_reply(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                         get_only, sizeof get_only - 1, MHD_RESPMEM_PERSISTENT, &allow_get, 1);
    }
    if (strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0) {
        return web_route_get(web, connection, url);
    }
    if (strcmp(method, MHD_HTTP_METHOD_POST) == 0) {
        return web_route_post(web, connection, url, upload);
    }
    static const char refused[] = "{\"error\":\"method\"}";
    struct web_header allow = {"Allow", "GET, HEAD, POST"};
    return web_reply(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                     refused, sizeof refused - 1, MHD_RESPMEM_PERSISTENT, &allow, 1);
}

static void web_request_done(void *cls, struct MHD_Connection *connection, void **request_ctx,
                             enum MHD_RequestTerminationCode why)
{
    struct web *web = cls;
    (void)why;
    web_deadline_completed(web->deadline, connection); /* the next request's deadline */
    struct web_upload *upload = *request_ctx;
    if (upload != NULL) {
        explicit_bzero(upload, sizeof *upload); /* it may have held a passphrase */
        free(upload);
    }
    *request_ctx = NULL;
}

/*
 * URLs are taken literally: every path the page uses is plain ASCII, so "%2e%2e" or "%00"
 * can only be an attempt to reach something else, and stays a path that matches nothing.
 */
static size_t web_keep_escapes(void *cls, struct MHD_Connection *connection, char *text)
{
    (void)cls;
    (void)connection;
    return strlen(text);
}

__attribute__((format(printf, 2, 0))) static void web_mhd_log(void *cls, const char *format,
                                                              va_list args)
{
    struct web *web = cls;
    char message[sizeof web->mhd_message];
    int length = vsnprintf(message, sizeof message, format, args);
    if (length < 0) {
        return;
    }
    size_t end = strlen(message);
    while (end > 0 && (message[end - 1] == '\n' || message[end - 1] == '\r')) {
        message[--end] = '\0';
    }
    pthread_mutex_lock(&web->lock);
    memcpy(web->mhd_message, message, sizeof message);
    pthread_mutex_unlock(&web->lock);
    /* One line per kind of message a day: the connection limit alone said so 3,759 times in
     * 8 minutes under a reload storm. Keyed by the format, not the filled-in text. */
    long long held = 0;
    if (!ratelog_pass(&web->mhd_log, format, ratelog_now_ms(), &held)) {
        return;
    }
    if (held > 0) {
        log_msg(LOG_INFO, "host page (libmicrohttpd): %s (%lld times more since the last report)",
                message, held);
    } else {
        log_msg(LOG_INFO, "host page (libmicrohttpd): %s (repeats are counted, reported daily)",
                message);
    }
}

/* --- lifecycle ----------------------------------------------------------------------- */

/* Reads a whole file of at most max bytes, NUL-terminated. Returns 0 or -errno (-EFBIG). */
static int web_read_file(const char *path, size_t max, char **data, size_t *size)
{
    FILE *file = fopen(path, "rbe");
    if (file == NULL) {
        return -errno;
    }
    char *buffer = malloc(max + 1);
    int result = buffer ? 0 : -ENOMEM;
    size_t length = buffer ? fread(buffer, 1, max + 1, file) : 0;
    if (result == 0 && ferror(file)) {
        result = -EIO;
    } else if (result == 0 && length > max) {
        result = -EFBIG;
    }
    fclose(file);
    if (result != 0) {
        free(buffer);
        return result;
    }
    buffer[length] = '\0';
    *data = buffer;
    *size = length;
    return 0;
}

__attribute__((format(printf, 3, 4))) static void web_fail(char *err, size_t err_size,
                                                           const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, err_size, fmt, args);
    va_end(args);
}

static int web_load_assets(struct web *web, char *err, size_t err_size)
{
    const char *dir = web->ctx.assets_dir ? web->ctx.assets_dir : "assets";
    for (int i = 0; i < ASSETS; i++) {
        char path[PATH_MAX];
        int length = snprintf(path, sizeof path, "%s/web/%s", dir, web_assets[i].file);
        if (length < 0 || (size_t)length >= sizeof path) {
            web_fail(err, err_size, "host page: assets path %s is too long", dir);
            return -ENAMETOOLONG;
        }
        int rc = web_read_file(path, WEB_ASSET_MAX, &web->assets[i], &web->asset_sizes[i]);
        if (rc != 0) {
            web_fail(err, err_size,
                     "host page: cannot read %s: %s (the page's files live in <assets_dir>/web; "
                     "set assets_dir in [display])",
                     path, rc == -EFBIG ? "larger than 512 KiB" : strerror(-rc));
            return rc;
        }
    }
    /* The page speaks the configured language until the host picks one. */
    if (strcmp(web->cfg.language, "nl") != 0) {
        for (int i = 0; i < ASSETS; i++) {
            char *tag = strstr(web->assets[i], "<html lang=\"nl\"");
            if (tag != NULL) {
                memcpy(tag + sizeof "<html lang=\"" - 1, web->cfg.language, 2);
            }
        }
    }
    return 0;
}

static int web_load_tls(struct web *web, char *err, size_t err_size)
{
    bool cert = web->cfg.tls_cert[0] != '\0';
    bool key = web->cfg.tls_key[0] != '\0';
    if (!cert && !key) {
        return 0;
    }
    if (cert != key) {
        web_fail(err, err_size,
                 "host page not started: web.%s is set without web.%s (set both for HTTPS, or "
                 "neither for plain HTTP)",
                 cert ? "tls_cert" : "tls_key", cert ? "tls_key" : "tls_cert");
        return -EINVAL;
    }
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        web_fail(err, err_size,
                 "host page not started: this libmicrohttpd has no TLS; remove web.tls_cert "
                 "and web.tls_key or install Debian's libmicrohttpd12");
        return -ENOTSUP;
    }
    const char *paths[2] = {web->cfg.tls_cert, web->cfg.tls_key};
    char **out[2] = {&web->tls_cert_pem, &web->tls_key_pem};
    for (int i = 0; i < 2; i++) {
        size_t size = 0;
        int rc = web_read_file(paths[i], WEB_PEM_MAX, out[i], &size);
        if (rc != 0) {
            web_fail(err, err_size,
                     "host page not started: cannot read web.%s %s: %s (a PEM file readable by "
                     "the service user)",
                     i == 0 ? "tls_cert" : "tls_key", paths[i],
                     rc == -EFBIG ? "larger than 64 KiB" : strerror(-rc));
            return rc;
        }
    }
    web->tls = true;
    return 0;
}

/* Fills address from cfg->bind_address and port. Returns its length, or 0 when invalid. */
static socklen_t web_bind_address(const struct web_config *cfg, struct sockaddr_storage *address,
                                  bool *ipv6)
{
    memset(address, 0, sizeof *address);
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)address;
    if (inet_pton(AF_INET, cfg->bind_address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->port);
        *ipv6 = false;
        return sizeof *v4;
    }
    if (inet_pton(AF_INET6, cfg->bind_address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->port);
        *ipv6 = true;
        return sizeof *v6;
    }
    return 0;
}

/*
 * Before a connection gets a thread: an address opening connections faster than any browser
 * does (web_rate.h) is closed at once. Real monotonic time, also in tests (the fake clock
 * there moves only the login pauses).
 */
static enum MHD_Result web_accept(void *cls, const struct sockaddr *address, socklen_t length)
{
    (void)length;
    struct web *web = cls;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    return web_rate_allow(web->rate, address, now_ms) ? MHD_YES : MHD_NO;
}

/* MHD_start_daemon's arguments, for a thread of lower priority to call it. */
struct web_starter {
    struct web *web;
    unsigned flags;
    uint16_t port;
    struct MHD_OptionItem *options;
    struct MHD_Daemon *daemon;
};

static void *web_starter_thread(void *arg)
{
    struct web_starter *starter = arg;
    /* Threads inherit the nice value of the thread that makes them: every thread of the
     * server (listening, one per connection, the hashing one below them) runs
     * WEB_SERVER_NICE steps below the kiosk, so a flood of requests slows the page, not the
     * visitor's screen. */
    id_t thread_id = (id_t)syscall(SYS_gettid);
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, thread_id);
    int lower = (errno == 0 ? nice_now : 0) + WEB_SERVER_NICE;
    setpriority(PRIO_PROCESS, thread_id, lower > 19 ? 19 : lower);
    starter->daemon =
        MHD_start_daemon(starter->flags, starter->port, web_accept, starter->web, web_handle,
                         starter->web, MHD_OPTION_ARRAY, starter->options, MHD_OPTION_END);
    return NULL;
}

/* Starts the server from a short-lived thread at lower priority; in this one if none starts. */
static struct MHD_Daemon *web_start_daemon_below(struct web_starter *starter)
{
    pthread_t thread;
    if (pthread_create(&thread, NULL, web_starter_thread, starter) != 0) {
        return MHD_start_daemon(starter->flags, starter->port, NULL, NULL, web_handle, starter->web,
                                MHD_OPTION_ARRAY, starter->options, MHD_OPTION_END);
    }
    pthread_join(thread, NULL);
    return starter->daemon;
}

static void web_free(struct web *web)
{
    for (int i = 0; i < ASSETS; i++) {
        free(web->assets[i]);
    }
    if (web->tls_key_pem != NULL) {
        explicit_bzero(web->tls_key_pem, strlen(web->tls_key_pem));
    }
    free(web->tls_key_pem);
    free(web->tls_cert_pem);
    web_auth_close(web->auth);
    web_rate_close(web->rate);
    web_deadline_close(web->deadline); /* after MHD_stop_daemon: no callback runs any more */
    pthread_mutex_destroy(&web->lock);
    pthread_mutex_destroy(&web->mhd_log.lock);
    pthread_mutex_destroy(&web->research_log.lock);
    free(web);
}

struct web *web_open(const struct web_config *cfg, const struct web_context *ctx, char *err,
                     size_t err_size)
{
    char scratch[8];
    if (err == NULL || err_size == 0) {
        err = scratch;
        err_size = sizeof scratch;
    }
    err[0] = '\0';
    if (cfg == NULL || cfg->port == 0) {
        return NULL; /* switched off: no message */
    }
    if (ctx == NULL || ctx->store == NULL || ctx->kiosk.site == NULL) {
        web_fail(err, err_size, "host page not started: web_open needs a store and a site");
        return NULL;
    }
    struct web_hash hash;
    char why[256];
    if (cfg->passphrase_hash[0] == '\0') {
        web_fail(err, err_size,
                 "host page not started: no web.passphrase_hash in the config (run "
                 "oase-passphrase and paste its line into [web], or set web.port = 0)");
        return NULL;
    }
    if (web_hash_parse(cfg->passphrase_hash, &hash, why, sizeof why) != 0) {
        web_fail(err, err_size, "host page not started: web.passphrase_hash: %s", why);
        return NULL;
    }
    struct web *web = calloc(1, sizeof *web);
    if (web == NULL) {
        web_fail(err, err_size, "host page not started: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&web->lock, NULL) != 0 ||
        pthread_mutex_init(&web->mhd_log.lock, NULL) != 0 ||
        pthread_mutex_init(&web->research_log.lock, NULL) != 0) {
        free(web);
        web_fail(err, err_size, "host page not started: cannot create its lock");
        return NULL;
    }
    web->cfg = *cfg;
    web->ctx = *ctx;
    if (gethostname(web->hostname, sizeof web->hostname) != 0) {
        web->hostname[0] = '\0';
    }
    web->hostname[sizeof web->hostname - 1] = '\0';
    web->auth = web_auth_open(&hash);
    explicit_bzero(&hash, sizeof hash);
    web->rate = web_rate_open();
    web->deadline = web_deadline_open(WEB_DEADLINE_REQUEST_MS);
    if (web->auth == NULL || web->rate == NULL || web->deadline == NULL) {
        web_fail(err, err_size, "host page not started: out of memory");
        goto out_free;
    }
    if (cfg->research_token_hash[0] != '\0') {
        if (web_token_hash_parse(cfg->research_token_hash, &web->research_token, why, sizeof why) !=
            0) {
            web_fail(err, err_size, "host page not started: [research] token_hash: %s", why);
            goto out_free;
        }
        web->research_on = true;
    }
    if (web_load_assets(web, err, err_size) != 0 || web_load_tls(web, err, err_size) != 0) {
        goto out_free;
    }
    for (int i = 0; ctx->lights != NULL && i < LIGHTS_MAX_SCENES; i++) {
        const char *name = lights_scene_name(ctx->lights, i);
        if (name == NULL) {
            break;
        }
        snprintf(web->room.scenes[i], sizeof web->room.scenes[i], "%s", name);
        web->room.scene_count = i + 1;
    }

    struct sockaddr_storage address;
    bool ipv6 = false;
    if (web_bind_address(cfg, &address, &ipv6) == 0) {
        web_fail(err, err_size,
                 "host page not started: web.bind_address %s is not an IPv4 or IPv6 address",
                 cfg->bind_address);
        goto out_free;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG;
    flags |= ipv6 ? MHD_USE_IPv6 : 0;
    flags |= web->tls ? MHD_USE_TLS : 0;
    struct MHD_OptionItem options[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)web_mhd_log, web}, /* first: see its doc */
        {MHD_OPTION_SOCK_ADDR, 0, &address},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)web_request_done, web},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)web_deadline_notify, web->deadline},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)web_keep_escapes, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, WEB_CONNECTIONS_MAX, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, WEB_CONNECTIONS_PER_CLIENT, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, WEB_IDLE_TIMEOUT_S, NULL},
        {MHD_OPTION_THREAD_STACK_SIZE, WEB_THREAD_STACK, NULL},
        {MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL}, /* e.g. no space before a header's colon */
        {web->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, web->tls_cert_pem},
        {web->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, web->tls_key_pem},
        {web->tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0, (void *)WEB_TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    struct web_starter starter = {
        .web = web, .flags = flags, .port = (uint16_t)cfg->port, .options = options};
    web->daemon = web_start_daemon_below(&starter);
    if (web->daemon == NULL) {
        web_fail(err, err_size,
                 "host page not started: " WEB_ERR_LISTEN " %s port %d (%s): another program may "
                 "use the port, or ports below 1024 need privileges; set web.port",
                 cfg->bind_address, cfg->port,
                 web->mhd_message[0] ? web->mhd_message : "libmicrohttpd gave no reason");
        goto out_free;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(web->daemon, MHD_DAEMON_INFO_BIND_PORT);
    web->port = info != NULL && info->port != 0 ? info->port : cfg->port;
    log_msg(LOG_INFO, "host page: %s://%s:%d/", web->tls ? "https" : "http", cfg->bind_address,
            web->port);
    return web;

out_free:
    web_free(web);
    return NULL;
}

void web_close(struct web *web)
{
    if (web == NULL) {
        return;
    }
    MHD_stop_daemon(web->daemon); /* joins every connection thread */
    web_free(web);
}

void web_set_experiment(struct web *web, const struct experiment_status *status)
{
    if (web == NULL || status == NULL) {
        return;
    }
    pthread_mutex_lock(&web->lock);
    web->room.experiment = *status;
    pthread_mutex_unlock(&web->lock);
}

int web_port(const struct web *web)
{
    return web ? web->port : 0;
}

void web_help_request(struct web *web)
{
    if (web == NULL) {
        return;
    }
    pthread_mutex_lock(&web->lock);
    web->help_requests++;
    pthread_mutex_unlock(&web->lock);
}

void web_poll(struct web *web, int64_t now_ms)
{
    if (web == NULL) {
        return;
    }
    struct web_request requests[WEB_MAILBOX_MAX];
    pthread_mutex_lock(&web->lock);
    int count = web->mailbox_count;
    memcpy(requests, web->mailbox, (size_t)count * sizeof requests[0]);
    web->mailbox_count = 0;
    pthread_mutex_unlock(&web->lock);

    struct lights *lights = web->ctx.lights;
    struct audio *audio = web->ctx.audio;
    for (int i = 0; i < count; i++) {
        const struct web_request *r = &requests[i];
        switch (r->kind) {
        case WEB_REQUEST_SOUND:
            if (audio && audio_set_source(audio, r->scene) == 0) {
                log_msg(LOG_INFO, "host page: sound %s", r->scene);
            } else {
                log_msg(LOG_WARN, "host page: sound %s cannot play (no music folder?)", r->scene);
            }
            break;
        case WEB_REQUEST_VOLUME:
            if (audio && audio_set_volume_db(audio, r->volume_db) == 0) {
                log_msg(LOG_INFO, "host page: sound level %.0f dB until the next scheduled change",
                        r->volume_db);
            }
            break;
        case WEB_REQUEST_SOUND_SCHEDULE:
            if (audio) {
                audio_resume_schedule(audio);
                log_msg(LOG_INFO, "host page: sound level back to the schedule");
            }
            break;
        case WEB_REQUEST_SCHEDULE:
            if (lights) {
                lights_override_end(lights, now_ms);
                log_msg(LOG_INFO, "host page: light back to the schedule");
            }
            break;
        case WEB_REQUEST_SCENE:
            if (lights && lights_override_scene(lights, r->scene, now_ms) == 0) {
                log_msg(LOG_INFO, "host page: light scene %s until the next scheduled change",
                        r->scene);
            } else {
                log_msg(LOG_WARN, "host page: light scene %s is not in the config", r->scene);
            }
            break;
        }
    }

    struct lights_status status;
    if (lights != NULL) {
        lights_status(lights, &status);
    }
    struct web_audio_status published = {0};
    if (audio != NULL) { /* the page's sound line, read here on the main loop like the light */
        struct audio_status sound;
        audio_status(audio, &sound);
        published.volume_db = sound.target_silent ? sound.level_db : sound.target_db;
        published.playing = sound.device_ok && !sound.silent;
        snprintf(published.source, sizeof published.source, "%.31s", sound.requested);
        snprintf(published.problem, sizeof published.problem, "%.159s",
                 !sound.device_ok ? "no sound device: the kiosk is silent" : sound.last_error);
    }
    int64_t mono = web_monotonic_ms(web);
    pthread_mutex_lock(&web->lock);
    if (lights != NULL) {
        web->room.lights = status;
        web->room.lights_known = true;
    }
    web->room.audio_known = audio != NULL;
    web->room.audio = published;
    web->kiosk_known = true;
    web->kiosk_now_ms = now_ms;
    web->kiosk_mono_ms = mono;
    pthread_mutex_unlock(&web->lock);
}
