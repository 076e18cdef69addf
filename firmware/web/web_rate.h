/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_rate: how fast one client address may open connections to the host page. Owns a
 * token bucket per address (an IPv6 address counts as its /64) in a fixed table; never
 * sleeps, allocates or touches the network. libmicrohttpd asks it for every new connection
 * before it makes a thread for it (web.c's accept policy), so a flood of connections from
 * one address costs an accept and a close, not a thread each.
 *
 * Threading: every function may be called from any thread (one lock inside).
 * Time is a monotonic millisecond count handed in by the caller.
 */
#ifndef OASE_WEB_RATE_H
#define OASE_WEB_RATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define WEB_RATE_PER_SECOND 100 /* new connections per address and second, sustained */
#define WEB_RATE_BURST 200      /* and at once (a browser opens at most 6 and keeps them) */
#define WEB_RATE_SLOTS 1024     /* addresses tracked; a full table replaces the calmest */

struct web_rate;

/* A table with every bucket empty of history. NULL when out of memory. */
struct web_rate *web_rate_open(void);

/* Frees it. NULL is allowed. */
void web_rate_close(struct web_rate *rate);

/*
 * True when address (AF_INET or AF_INET6) may open a connection now, and counts it; false
 * when its bucket is empty. Other families are always allowed.
 */
bool web_rate_allow(struct web_rate *rate, const struct sockaddr *address, int64_t now_ms);

#endif
