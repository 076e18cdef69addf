/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the sd_notify protocol as systemd sees it: a datagram socket bound where
 * NOTIFY_SOCKET points (a path in a mkdtemp folder, or an abstract @name) receives READY=1,
 * STATUS=, WATCHDOG=1 at half the timeout and STOPPING=1; without NOTIFY_SOCKET nothing is
 * sent and nothing fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/notify.h"

struct listener {
    char dir[64];   /* mkdtemp folder ("" for an abstract socket) */
    char name[128]; /* what NOTIFY_SOCKET is set to */
    int fd;
};

static void listen_at(struct listener *listener, bool abstract)
{
    memset(listener, 0, sizeof *listener);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    socklen_t size;
    if (abstract) {
        snprintf(listener->name, sizeof listener->name, "@oase-test-notify-%d", (int)getpid());
        memcpy(address.sun_path + 1, listener->name + 1, strlen(listener->name) - 1);
        size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(listener->name));
    } else {
        snprintf(listener->dir, sizeof listener->dir, "/tmp/oase-notify.XXXXXX");
        assert_non_null(mkdtemp(listener->dir));
        snprintf(listener->name, sizeof listener->name, "%s/notify", listener->dir);
        memcpy(address.sun_path, listener->name, strlen(listener->name) + 1);
        size = (socklen_t)sizeof address;
    }
    listener->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(listener->fd >= 0);
    assert_int_equal(bind(listener->fd, (struct sockaddr *)&address, size), 0);
    setenv("NOTIFY_SOCKET", listener->name, 1);
}

static void listener_close(struct listener *listener)
{
    close(listener->fd);
    if (listener->dir[0]) {
        unlink(listener->name);
        rmdir(listener->dir);
    }
    unsetenv("NOTIFY_SOCKET");
}

/* The next datagram, or "" when none is waiting. */
static const char *next_message(struct listener *listener)
{
    static char message[1024];
    struct pollfd wait = {.fd = listener->fd, .events = POLLIN};
    message[0] = '\0';
    if (poll(&wait, 1, 0) == 1) {
        ssize_t n = recv(listener->fd, message, sizeof message - 1, 0);
        message[n > 0 ? n : 0] = '\0';
    }
    return message;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    return 0;
}

static void ready_status_watchdog_stopping_reach(bool abstract)
{
    struct listener listener;
    listen_at(&listener, abstract);
    setenv("WATCHDOG_USEC", "10000000", 1);
    char why[256];
    struct notify *notify = notify_open(why, sizeof why);
    assert_non_null(notify);
    assert_string_equal(why, "");
    assert_true(notify_enabled(notify));
    assert_int_equal(notify_watchdog_timeout_ms(notify), 10000);

    assert_int_equal(notify_ready(notify), 0);
    assert_string_equal(next_message(&listener), "READY=1");
    assert_int_equal(notify_status(notify, "welcome screen; database ok"), 0);
    assert_string_equal(next_message(&listener), "STATUS=welcome screen; database ok");
    assert_int_equal(notify_watchdog(notify, 1000), 1);
    assert_string_equal(next_message(&listener), "WATCHDOG=1");
    assert_int_equal(notify_stopping(notify), 0);
    assert_string_equal(next_message(&listener), "STOPPING=1");
    assert_string_equal(next_message(&listener), "");
    notify_close(notify);
    listener_close(&listener);
}

static void test_messages_reach_a_socket_path(void **state)
{
    (void)state;
    ready_status_watchdog_stopping_reach(false);
}

static void test_messages_reach_an_abstract_socket(void **state)
{
    (void)state;
    ready_status_watchdog_stopping_reach(true);
}

static void test_watchdog_pings_at_half_the_timeout(void **state)
{
    (void)state;
    struct listener listener;
    listen_at(&listener, false);
    setenv("WATCHDOG_USEC", "10000000", 1); /* 10 s: a ping every 5 s */
    struct notify *notify = notify_open(NULL, 0);
    assert_int_equal(notify_watchdog(notify, 100000), 1); /* the first at once */
    assert_int_equal(notify_watchdog(notify, 104999), 0);
    assert_string_equal(next_message(&listener), "WATCHDOG=1");
    assert_string_equal(next_message(&listener), "");
    assert_int_equal(notify_watchdog(notify, 105000), 1);
    assert_string_equal(next_message(&listener), "WATCHDOG=1");
    assert_int_equal(notify_watchdog(notify, 99000), 1); /* a clock that went back: ping */
    notify_close(notify);
    listener_close(&listener);
}

static void test_watchdog_for_another_pid_is_off(void **state)
{
    (void)state;
    struct listener listener;
    listen_at(&listener, false);
    setenv("WATCHDOG_USEC", "10000000", 1);
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    struct notify *notify = notify_open(NULL, 0);
    assert_int_equal(notify_watchdog_timeout_ms(notify), 0);
    assert_int_equal(notify_watchdog(notify, 1000), 0);
    assert_int_equal(notify_ready(notify), 0); /* READY still goes out */
    assert_string_equal(next_message(&listener), "READY=1");
    notify_close(notify);

    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    notify = notify_open(NULL, 0);
    assert_int_equal(notify_watchdog_timeout_ms(notify), 10000);
    notify_close(notify);
    unsetenv("WATCHDOG_PID");
    unsetenv("WATCHDOG_USEC");
    listener_close(&listener);
}

static void test_status_is_sent_once_per_change_on_one_line(void **state)
{
    (void)state;
    struct listener listener;
    listen_at(&listener, false);
    struct notify *notify = notify_open(NULL, 0);
    assert_int_equal(notify_status(notify, "a\nWATCHDOG=1"), 0);
    assert_string_equal(next_message(&listener), "STATUS=a WATCHDOG=1");
    assert_int_equal(notify_status(notify, "a\nWATCHDOG=1"), 0);
    assert_string_equal(next_message(&listener), ""); /* unchanged: not sent again */
    assert_int_equal(notify_status(notify, "b"), 0);
    assert_string_equal(next_message(&listener), "STATUS=b");
    notify_close(notify);
    listener_close(&listener);
}

static void test_without_notify_socket_everything_is_a_no_op(void **state)
{
    (void)state;
    setenv("WATCHDOG_USEC", "10000000", 1); /* ignored without a socket */
    char why[256];
    struct notify *notify = notify_open(why, sizeof why);
    assert_non_null(notify);
    assert_string_equal(why, "");
    assert_false(notify_enabled(notify));
    assert_int_equal(notify_watchdog_timeout_ms(notify), 0);
    assert_int_equal(notify_ready(notify), 0);
    assert_int_equal(notify_status(notify, "x"), 0);
    assert_int_equal(notify_watchdog(notify, 1000), 0);
    assert_int_equal(notify_stopping(notify), 0);
    notify_close(notify);
    notify_close(NULL);
    unsetenv("WATCHDOG_USEC");
}

static void test_bad_variables_are_reported_and_harmless(void **state)
{
    (void)state;
    char why[256];
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    struct notify *notify = notify_open(why, sizeof why);
    assert_false(notify_enabled(notify));
    assert_non_null(strstr(why, "NOTIFY_SOCKET=relative/path"));
    assert_int_equal(notify_ready(notify), 0);
    notify_close(notify);

    struct listener listener;
    listen_at(&listener, false);
    setenv("WATCHDOG_USEC", "ten", 1);
    notify = notify_open(why, sizeof why);
    assert_true(notify_enabled(notify)); /* READY still works */
    assert_int_equal(notify_watchdog_timeout_ms(notify), 0);
    assert_non_null(strstr(why, "WATCHDOG_USEC=ten"));
    notify_close(notify);
    unsetenv("WATCHDOG_USEC");
    listener_close(&listener);
}

static void test_nobody_listening_is_an_error_not_a_crash(void **state)
{
    (void)state;
    struct listener listener;
    listen_at(&listener, false);
    struct notify *notify = notify_open(NULL, 0);
    listener_close(&listener); /* systemd went away: its socket is gone */
    assert_true(notify_ready(notify) < 0);
    assert_int_equal(notify_watchdog(notify, 1000), 0); /* no watchdog set: nothing to do */
    notify_close(notify);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_messages_reach_a_socket_path, setup),
        cmocka_unit_test_setup(test_messages_reach_an_abstract_socket, setup),
        cmocka_unit_test_setup(test_watchdog_pings_at_half_the_timeout, setup),
        cmocka_unit_test_setup(test_watchdog_for_another_pid_is_off, setup),
        cmocka_unit_test_setup(test_status_is_sent_once_per_change_on_one_line, setup),
        cmocka_unit_test_setup(test_without_notify_socket_everything_is_a_no_op, setup),
        cmocka_unit_test_setup(test_bad_variables_are_reported_and_harmless, setup),
        cmocka_unit_test_setup(test_nobody_listening_is_an_error_not_a_crash, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
