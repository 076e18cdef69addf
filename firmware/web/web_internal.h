/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_internal: what the files of web share and nothing outside them may use: the server's
 * state (struct web), its limits, the page's files and the helpers one file lends another.
 * The server's lifecycle and each request's way in (web.c), replies, clients and sessions
 * (web_reply.c), the routes of the host page and the research download (web_routes.c).
 */
#ifndef OASE_WEB_INTERNAL_H
#define OASE_WEB_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ratelog.h"
#include "web/web.h"
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

struct web_asset {
    const char *file;
    const char *type;
    bool public; /* reachable without a session */
};
extern const struct web_asset web_assets[ASSETS]; /* web.c */

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

/* --- answers ------------------------------------------------------------------------- */

struct web_header {
    const char *name;
    const char *value;
};

/* Lent by web_reply.c. */
int64_t web_monotonic_ms(const struct web *web);
int64_t web_kiosk_now(struct web *web);
enum MHD_Result web_reply_response(struct MHD_Connection *connection, unsigned status,
                                   const char *type, struct MHD_Response *response,
                                   const struct web_header *extra, int extra_count);
enum MHD_Result web_reply(struct MHD_Connection *connection, unsigned status, const char *type,
                          const void *body, size_t size, enum MHD_ResponseMemoryMode mode,
                          const struct web_header *extra, int extra_count);
enum MHD_Result web_reply_json(struct MHD_Connection *connection, unsigned status, const char *json,
                               const struct web_header *extra, int extra_count);
enum MHD_Result web_reply_error(struct MHD_Connection *connection, unsigned status,
                                const char *code);
enum MHD_Result web_reply_ok(struct MHD_Connection *connection, unsigned status);
void web_client_key(const struct web *web, struct MHD_Connection *connection, char *out,
                    size_t size);
bool web_host_allowed(const struct web *web, const char *host);
bool web_session(struct web *web, struct MHD_Connection *connection,
                 char session_id[WEB_AUTH_TOKEN_SIZE], char csrf[WEB_AUTH_TOKEN_SIZE]);
bool web_same_origin(struct web *web, struct MHD_Connection *connection);
bool web_is_form(struct MHD_Connection *connection, const struct web_upload *upload);
enum MHD_Result web_route_login(struct web *web, struct MHD_Connection *connection,
                                const struct web_upload *upload);
enum MHD_Result web_route_logout(struct web *web, struct MHD_Connection *connection,
                                 const char *session_id);
enum MHD_Result web_route_session(struct web *web, struct MHD_Connection *connection,
                                  const char *csrf);

/* Lent by web_routes.c. */
enum MHD_Result web_route_get(struct web *web, struct MHD_Connection *connection, const char *url);
enum MHD_Result web_route_post(struct web *web, struct MHD_Connection *connection, const char *url,
                               const struct web_upload *upload);

#endif /* OASE_WEB_INTERNAL_H */
