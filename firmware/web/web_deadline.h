/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_deadline: a deadline for a whole request. libmicrohttpd 0.9.75 only closes a
 * connection that stays silent for its idle timeout, so a client sending one byte every
 * few seconds could hold a connection (and its thread) for ever. This module keeps, per
 * connection, when it started waiting for its current request (the connection opened, or
 * the previous answer was complete) and when its answer began, and a watchdog thread shuts
 * down the socket of a connection past its deadline: WEB_DEADLINE_REQUEST_MS to send a
 * whole request, WEB_DEADLINE_ANSWER_MS to take the answer (WEB_DEADLINE_LONG_ANSWER_MS for
 * a route marked long, the research export). libmicrohttpd then sees the socket end and
 * closes the connection itself; its socket is never closed here.
 *
 * Never touches a socket after libmicrohttpd said the connection closed (its notification
 * comes before the close, under the same lock as the watchdog's shutdown).
 * Threading: the callbacks run in libmicrohttpd's threads, the watchdog in its own; one lock.
 */
#ifndef OASE_WEB_DEADLINE_H
#define OASE_WEB_DEADLINE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#define WEB_DEADLINE_REQUEST_MS 10000      /* from waiting to the request complete */
#define WEB_DEADLINE_ANSWER_MS 60000       /* from the request complete to the answer taken */
#define WEB_DEADLINE_LONG_ANSWER_MS 600000 /* likewise for a long route (a download) */
#define WEB_DEADLINE_CONNECTIONS_MAX 512   /* connections followed; beyond: idle timeout only */
#define WEB_DEADLINE_TICK_MS 250           /* how often the watchdog looks */

struct web_deadline;

/*
 * Starts the watchdog thread. request_ms is WEB_DEADLINE_REQUEST_MS in the kiosk (tests may
 * pass less). NULL when out of memory or no thread can start.
 */
struct web_deadline *web_deadline_open(int64_t request_ms);

/* Stops the watchdog. Call after MHD_stop_daemon (no callback may run any more). NULL is
 * allowed. */
void web_deadline_close(struct web_deadline *deadline);

/* For MHD_OPTION_NOTIFY_CONNECTION with cls = the deadline: follows a connection from its
 * start to its close. */
void web_deadline_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);

/* The request on connection is complete (the access handler's last call, or an answer
 * queued early): its answer's deadline starts; long for a download. */
void web_deadline_answering(struct web_deadline *deadline, struct MHD_Connection *connection,
                            bool long_answer);

/* The answer on connection is done (MHD_OPTION_NOTIFY_COMPLETED): the next request's
 * deadline starts now. */
void web_deadline_completed(struct web_deadline *deadline, struct MHD_Connection *connection);

#endif
