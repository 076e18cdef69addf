/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web: the host's arrivals page, served by the kiosk itself on the local network with
 * libmicrohttpd, in threads of its own (one per connection), so the visitor screen never
 * waits for it. Owns the HTTP server, the login (web_auth), the JSON answers (web_api),
 * the page's files from <assets>/web/ and a mailbox for what only the main loop may do.
 * Never touches the lights from its own threads (lights are not thread-safe): a light
 * request waits in the mailbox until the main loop calls web_poll(). The store is called
 * directly (its functions may be called from any thread).
 *
 * Reachable without a session: the login page (with its script and style sheet), the login
 * itself and GET /health. Everything else needs the session cookie; every POST also needs
 * the session's CSRF token in the X-CSRF-Token header. Apart from all that, GET
 * /research/export (web_research.h) takes only the researcher's bearer token of [research]
 * token_hash: no session opens it, and the token opens nothing else (404 without a hash).
 *
 * The server's threads run WEB_SERVER_NICE (web.c) steps below the thread that calls
 * web_open, so a flood of requests slows the page, never the visitor's screen.
 *
 * Flow: browser -> MHD thread -> web.c (route, session, CSRF) -> web_api (JSON) / store
 * (status, incident) / mailbox -> web_poll() on the main loop -> lights.
 */
#ifndef OASE_WEB_H
#define OASE_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/service.h"
#include "experiment/experiment.h"
#include "i18n/lang.h"
#include "lights/lights.h"
#include "store/store.h"
#include "web/web_config.h"

struct web;

/* What the page shows of the kiosk's settings; the strings and services must outlive the web. */
struct web_kiosk {
    const char *site;               /* [kiosk] site: the site name the page shows; never NULL */
    bool ask_stress;                /* the stress question is asked: show today's stress */
    const struct service *services; /* [services], for their labels */
    int service_count;
};

/* What the page works with; everything here must outlive the web. */
struct audio;

struct web_context {
    struct store *store;          /* required: arrivals, status changes, today's numbers */
    struct lights *lights;        /* NULL: no room light shown; used in web_poll() only */
    struct audio *audio;          /* NULL: no sound controls; used in web_poll() only */
    struct web_kiosk kiosk;       /* required: site, services and their labels, ask_stress */
    const struct lang_set *langs; /* NULL: service labels from kiosk.services only */
    const char *assets_dir;       /* the page's files are read from <assets_dir>/web/ */
    const char *db_path;          /* for the disk-space line of the health view; may be NULL */
    /* Called from a web thread after a request was posted for web_poll(), so the main loop
     * can wake at once (e.g. SDL_PushEvent); NULL: the next regular web_poll() handles it. */
    void (*wake)(void *wake_ctx);
    void *wake_ctx;
    /* Tests only: a monotonic clock in ms for sessions and login delays. NULL in the kiosk
     * (CLOCK_MONOTONIC). */
    int64_t (*monotonic_ms)(void *clock_ctx);
    void *clock_ctx;
    /* The kiosk's clock is not to be trusted (app_clock.c), for the health view: points at
     * a WEB_CLOCK_* value the main loop keeps; NULL: not shown. Read from web threads. */
    const _Atomic int *clock_state;
};

#define WEB_CLOCK_OK 0
#define WEB_CLOCK_UNSYNCED 1 /* the kernel says: not synchronised (no NTP yet) */
#define WEB_CLOCK_STALE 2    /* before the newest thing the database knows */

/*
 * Starts the server on cfg->bind_address:cfg->port with its own threads (TLS when
 * cfg->tls_cert and tls_key are set). Reads the page's files once, here.
 * Returns NULL with err[0] == '\0' when cfg->port is 0 (the page is off by choice), and
 * NULL with a message in err when it cannot start: no passphrase hash, a file missing, TLS
 * half-configured or unreadable, the port in use. The kiosk keeps running without it.
 * When it could not listen (the port busy, e.g. the old kiosk's socket still closing), err
 * contains WEB_ERR_LISTEN: worth trying again later.
 */
#define WEB_ERR_LISTEN "cannot listen on"
struct web *web_open(const struct web_config *cfg, const struct web_context *ctx, char *err,
                     size_t err_size);

/* Stops the server (waits for its threads) and frees everything. NULL is allowed. */
void web_close(struct web *web);

/*
 * Main loop only, about once a second or after the wake callback: carries out the light
 * requests posted by the page (override a scene, back to the schedule) and publishes the
 * room's state and the kiosk time (possibly simulated) for the page's next answers.
 * Never blocks on the network. NULL is allowed.
 */
void web_poll(struct web *web, int64_t now_ms);

/*
 * A visitor asked for help at the kiosk ("hulp gevraagd bij de kiosk"): the page's
 * help_requests count goes up by one and every desk is alerted, until a desk marks them
 * seen (POST /api/help). Any thread; NULL is allowed.
 */
void web_help_request(struct web *web);

/*
 * A randomised room's state for the page (room and health views); the main loop calls it each
 * tick while an [experiment] is configured. NULL web is ignored.
 */
void web_set_experiment(struct web *web, const struct experiment_status *status);

/* The TCP port the server listens on (for the log and tests); 0 when web is NULL. */
int web_port(const struct web *web);

/* The sound as the page shows it; web_poll() reads it from web_context.audio. */
struct web_audio_status {
    char source[32];  /* "sea", "rain", "forest", "music", "off" */
    double volume_db; /* level now or where it is going, dBFS */
    bool playing;
    char problem[160]; /* "" = fine; else why it is silent (no device, no files) */
};

#endif
