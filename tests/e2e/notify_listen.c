/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * notify_listen: stands in for systemd's end of the notify socket in tests/e2e/watchdog.sh.
 * Binds a datagram socket at PATH (or @NAME, abstract), prints each message it receives
 * as "<monotonic ms> <message>" (newlines inside a message shown as '|'), and exits after
 * a message containing STOPPING=1 or after MAX_MS without one (exit status 1 then).
 * Usage: notify_listen PATH MAX_MS
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: notify_listen PATH|@NAME MAX_MS\n");
        return 2;
    }
    const char *name = argv[1];
    char *end = NULL;
    long long max_ms = strtoll(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || max_ms < 0) {
        fprintf(stderr, "notify_listen: %s: the wait must be a whole number of ms\n", argv[2]);
        return 2;
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    size_t length = strlen(name);
    if (length < 2 || length >= sizeof address.sun_path) {
        fprintf(stderr, "notify_listen: %s: path too long or empty\n", name);
        return 2;
    }
    memcpy(address.sun_path, name, length);
    socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length + 1);
    if (name[0] == '@') {
        address.sun_path[0] = '\0';
        size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, size) != 0) {
        fprintf(stderr, "notify_listen: %s: %s\n", name, strerror(errno));
        return 2;
    }
    printf("%lld LISTENING\n", monotonic_ms());
    fflush(stdout);
    long long until = monotonic_ms() + max_ms;
    for (;;) {
        long long left = until - monotonic_ms();
        if (left <= 0) {
            fprintf(stderr, "notify_listen: no STOPPING=1 within %lld ms\n", max_ms);
            return 1;
        }
        struct pollfd wait = {.fd = fd, .events = POLLIN};
        if (poll(&wait, 1, (int)left) <= 0) {
            continue;
        }
        char message[4096];
        ssize_t n = recv(fd, message, sizeof message - 1, 0);
        if (n < 0) {
            continue;
        }
        message[n] = '\0';
        for (char *c = message; *c; c++) {
            if (*c == '\n') {
                *c = '|';
            }
        }
        printf("%lld %s\n", monotonic_ms(), message);
        fflush(stdout);
        if (strstr(message, "STOPPING=1")) {
            return 0;
        }
    }
}
