/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * notify: see notify.h. environment -> notify_open -> main loop calls notify_ready /
 * notify_status / notify_watchdog -> sendto(NOTIFY_SOCKET) -> systemd.
 * After systemd/systemd man/notify-selfcontained-example.c (MIT-0).
 */
#include "core/notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/why.h"

struct notify {
    int fd;                               /* datagram socket; -1 = disabled */
    struct sockaddr_un address;           /* where systemd listens */
    socklen_t address_size;               /* path: with its NUL; abstract: exactly the name */
    int64_t watchdog_timeout_ms;          /* from WATCHDOG_USEC; 0 = no watchdog */
    int64_t last_ping_ms;                 /* monotonic ms of the last WATCHDOG=1 sent */
    bool pinged;                          /* a ping was sent at all */
    char last_status[NOTIFY_MESSAGE_MAX]; /* the last STATUS= text sent */
};

/* Fills the address from NOTIFY_SOCKET. Returns 0 or -EINVAL (empty, too long, relative). */
static int parse_socket(struct notify *notify, const char *name)
{
    size_t length = strlen(name);
    memset(&notify->address, 0, sizeof notify->address);
    notify->address.sun_family = AF_UNIX;
    if (length < 2 || length > sizeof notify->address.sun_path - 1 ||
        (name[0] != '/' && name[0] != '@')) {
        return -EINVAL;
    }
    memcpy(notify->address.sun_path, name, length);
    if (name[0] == '@') {
        notify->address.sun_path[0] = '\0'; /* abstract: no NUL at the end counts */
        notify->address_size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
    } else {
        notify->address_size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length + 1);
    }
    return 0;
}

/* WATCHDOG_USEC (and WATCHDOG_PID) -> timeout in ms; 0 when off or malformed. */
static int64_t parse_watchdog(const char *usec_text, const char *pid_text, char *why,
                              size_t why_size)
{
    if (usec_text == NULL) {
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long usec = strtoull(usec_text, &end, 10);
    if (errno != 0 || end == usec_text || *end != '\0' || usec == 0 ||
        usec > 365ULL * 24 * 3600 * 1000000) {
        why_set(why, why_size, "WATCHDOG_USEC=%s: accepted: a positive number of microseconds",
                usec_text);
        return 0;
    }
    if (pid_text != NULL) {
        errno = 0;
        long long pid = strtoll(pid_text, &end, 10);
        if (errno != 0 || end == pid_text || *end != '\0' || pid <= 0) {
            why_set(why, why_size, "WATCHDOG_PID=%s: accepted: a process id", pid_text);
            return 0;
        }
        if (pid != (long long)getpid()) {
            return 0; /* the watchdog is meant for another process */
        }
    }
    return (int64_t)((usec + 999) / 1000);
}

struct notify *notify_open(char *why, size_t why_size)
{
    if (why != NULL && why_size > 0) {
        why[0] = '\0';
    }
    struct notify *notify = calloc(1, sizeof *notify);
    if (notify == NULL) {
        return NULL;
    }
    notify->fd = -1;
    const char *name = getenv("NOTIFY_SOCKET");
    if (name == NULL || name[0] == '\0') {
        return notify; /* not started by systemd (or not Type=notify): all no-ops */
    }
    if (parse_socket(notify, name) != 0) {
        why_set(why, why_size,
                "NOTIFY_SOCKET=%s: accepted: an absolute path or @name of at most 107 bytes; "
                "systemd is not told that the kiosk runs",
                name);
        return notify;
    }
    notify->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (notify->fd < 0) {
        why_set(why, why_size, "NOTIFY_SOCKET=%s: cannot make a socket: %s", name, strerror(errno));
        return notify;
    }
    notify->watchdog_timeout_ms =
        parse_watchdog(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"), why, why_size);
    return notify;
}

bool notify_enabled(const struct notify *notify)
{
    return notify != NULL && notify->fd >= 0;
}

int64_t notify_watchdog_timeout_ms(const struct notify *notify)
{
    return notify_enabled(notify) ? notify->watchdog_timeout_ms : 0;
}

int notify_send(struct notify *notify, const char *message)
{
    if (!notify_enabled(notify)) {
        return 0;
    }
    size_t length = strlen(message);
    ssize_t sent = sendto(notify->fd, message, length, MSG_NOSIGNAL | MSG_DONTWAIT,
                          (const struct sockaddr *)&notify->address, notify->address_size);
    if (sent < 0) {
        return -errno;
    }
    return (size_t)sent == length ? 0 : -EMSGSIZE;
}

int notify_ready(struct notify *notify)
{
    return notify_send(notify, "READY=1");
}

int notify_status(struct notify *notify, const char *text)
{
    if (!notify_enabled(notify) || strcmp(text, notify->last_status) == 0) {
        return 0;
    }
    char message[NOTIFY_MESSAGE_MAX];
    int n = snprintf(message, sizeof message, "STATUS=%s", text);
    if (n < 0) {
        return -EINVAL;
    }
    for (char *c = message; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = ' '; /* a newline would start another assignment */
        }
    }
    int rc = notify_send(notify, message);
    if (rc == 0) {
        snprintf(notify->last_status, sizeof notify->last_status, "%s", text);
    }
    return rc;
}

int notify_stopping(struct notify *notify)
{
    return notify_send(notify, "STOPPING=1");
}

int notify_watchdog(struct notify *notify, int64_t now_ms)
{
    int64_t timeout = notify_watchdog_timeout_ms(notify);
    if (timeout <= 0) {
        return 0;
    }
    if (notify->pinged && now_ms - notify->last_ping_ms < timeout / 2 &&
        now_ms >= notify->last_ping_ms) {
        return 0;
    }
    int rc = notify_send(notify, "WATCHDOG=1");
    if (rc < 0) {
        return rc;
    }
    notify->pinged = true;
    notify->last_ping_ms = now_ms;
    return 1;
}

void notify_close(struct notify *notify)
{
    if (notify == NULL) {
        return;
    }
    if (notify->fd >= 0) {
        close(notify->fd);
    }
    free(notify);
}

int64_t notify_monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}
