/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_reply: the replies every route sends (security headers, JSON, errors), who the client
 * is (address, rate key, Host, Origin) and the desk's sessions (log in, log out, session).
 */
#include "web/web_internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "web/web_auth.h"

/* --- time ------------------------------------------------------------------------------ */

int64_t web_monotonic_ms(const struct web *web)
{
    if (web->ctx.monotonic_ms != NULL) {
        return web->ctx.monotonic_ms(web->ctx.clock_ctx);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Kiosk time now, from the last web_poll() (the kiosk may run on simulated time). */
int64_t web_kiosk_now(struct web *web)
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

/*
 * Queues an answer with the headers every answer carries: nothing from elsewhere may run,
 * frame or sniff anything here, and nothing is cached (the page is live, the desk PC shared).
 */
enum MHD_Result web_reply_response(struct MHD_Connection *connection, unsigned status,
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

enum MHD_Result web_reply(struct MHD_Connection *connection, unsigned status, const char *type,
                          const void *body, size_t size, enum MHD_ResponseMemoryMode mode,
                          const struct web_header *extra, int extra_count)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(size, (void *)(uintptr_t)body, mode);
    return web_reply_response(connection, status, type, response, extra, extra_count);
}

enum MHD_Result web_reply_json(struct MHD_Connection *connection, unsigned status, const char *json,
                               const struct web_header *extra, int extra_count)
{
    return web_reply(connection, status, "application/json; charset=utf-8", json, strlen(json),
                     MHD_RESPMEM_MUST_COPY, extra, extra_count);
}

/* {"error":"code"}: the page shows its own words for each code. */
enum MHD_Result web_reply_error(struct MHD_Connection *connection, unsigned status,
                                const char *code)
{
    char json[96];
    snprintf(json, sizeof json, "{\"error\":\"%s\"}", code);
    return web_reply_json(connection, status, json, NULL, 0);
}

enum MHD_Result web_reply_ok(struct MHD_Connection *connection, unsigned status)
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
void web_client_key(const struct web *web, struct MHD_Connection *connection, char *out,
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
bool web_host_allowed(const struct web *web, const char *host)
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
bool web_session(struct web *web, struct MHD_Connection *connection,
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
bool web_same_origin(struct web *web, struct MHD_Connection *connection)
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

bool web_is_form(struct MHD_Connection *connection, const struct web_upload *upload)
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

enum MHD_Result web_route_login(struct web *web, struct MHD_Connection *connection,
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

enum MHD_Result web_route_logout(struct web *web, struct MHD_Connection *connection,
                                 const char *session_id)
{
    web_auth_logout(web->auth, session_id);
    struct web_header clear = {"Set-Cookie", WEB_COOKIE "=; Path=/; Max-Age=0; HttpOnly; "
                                                        "SameSite=Strict"};
    return web_reply_json(connection, MHD_HTTP_OK, "{\"ok\":true}", &clear, 1);
}

enum MHD_Result web_route_session(struct web *web, struct MHD_Connection *connection,
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
