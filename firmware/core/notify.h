/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * notify: the kiosk's side of systemd's service notification protocol (sd_notify(3)),
 * written directly on an AF_UNIX datagram socket, so no libsystemd is needed. Owns the
 * socket and the watchdog's timing; it never decides whether the kiosk is healthy (the
 * main loop does, see app_supervise.c) and never blocks (datagrams are sent MSG_DONTWAIT).
 *
 * systemd passes NOTIFY_SOCKET (a path, or "@name" for an abstract socket) to a
 * Type=notify service, and WATCHDOG_USEC (plus WATCHDOG_PID) when WatchdogSec= is set.
 * Without NOTIFY_SOCKET every call here is a no-op that returns 0: a kiosk started by hand
 * or by a test behaves exactly as before. The protocol is stable
 * (systemd.io/PORTABILITY_AND_STABILITY).
 */
#ifndef OASE_NOTIFY_H
#define OASE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOTIFY_MESSAGE_MAX 512 /* one datagram: "STATUS=..." is cut to fit */

struct notify;

/*
 * Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment and opens a
 * datagram socket. The watchdog is on when WATCHDOG_USEC is a positive number and
 * WATCHDOG_PID is unset or this process's id. Returns NULL only when out of memory; a
 * socket that cannot be made or a malformed variable leaves a handle on which every call
 * is a no-op, with the reason in why (why[0] == '\0' when all is well or nothing is set).
 */
struct notify *notify_open(char *why, size_t why_size);

/* True when NOTIFY_SOCKET was set and a socket is open (messages are really sent). */
bool notify_enabled(const struct notify *notify);

/* The watchdog timeout from WATCHDOG_USEC in ms (rounded up), 0 when there is none. */
int64_t notify_watchdog_timeout_ms(const struct notify *notify);

/*
 * Sends one message, e.g. "READY=1" or "STATUS=...\nWATCHDOG=1". Returns 0 (also when
 * disabled), or -errno when the datagram could not be sent (no one listens, buffer full):
 * nothing is retried, the next message is sent as usual.
 */
int notify_send(struct notify *notify, const char *message);

/* READY=1: the kiosk is up (call once the first frame is on screen). Returns as notify_send. */
int notify_ready(struct notify *notify);

/*
 * STATUS=<text> (systemctl status shows it), sent only when text differs from the last
 * status sent. Control characters in text become spaces. Returns as notify_send.
 */
int notify_status(struct notify *notify, const char *text);

/* STOPPING=1: the kiosk is shutting down. Returns as notify_send. */
int notify_stopping(struct notify *notify);

/*
 * WATCHDOG=1 when half the watchdog timeout has passed since the last ping (or none was
 * sent yet); now_ms is a monotonic clock in ms (never the kiosk's simulated time).
 * Returns 1 when a ping was sent, 0 when none was due or the watchdog is off, -errno when
 * sending failed (the next call tries again).
 */
int notify_watchdog(struct notify *notify, int64_t now_ms);

/* Closes the socket and frees the handle. NULL is ignored. */
void notify_close(struct notify *notify);

/* CLOCK_MONOTONIC in ms: the clock notify_watchdog() expects. */
int64_t notify_monotonic_ms(void);

#endif
