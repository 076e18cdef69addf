/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web: see web.h. This file holds the server's lifecycle, the way in of each request
 * (method, framing, session, CSRF), the page's files and the mailbox to the main loop;
 * replies and sessions are in web_reply.c, the routes in web_routes.c (web_internal.h).
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
#include "web/web_internal.h"
#include "web/web_rate.h"
#include "web/web_research.h"

const struct web_asset web_assets[ASSETS] = {
    [ASSET_INDEX] = {"index.html", "text/html; charset=utf-8", false},
    [ASSET_LOGIN] = {"login.html", "text/html; charset=utf-8", true},
    [ASSET_APP_JS] = {"app.js", "text/javascript; charset=utf-8", false},
    [ASSET_LOGIN_JS] = {"login.js", "text/javascript; charset=utf-8", true},
    [ASSET_STYLE] = {"style.css", "text/css; charset=utf-8", true},
};

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
