/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_deadline: see web_deadline.h. Flow: libmicrohttpd accepts -> web_deadline_notify
 * (STARTED: a slot, the request's deadline) -> web_handle -> web_deadline_answering -> the
 * answer -> web_deadline_completed (the next request's deadline) ... -> notify (CLOSED: the
 * slot is free). The watchdog looks every WEB_DEADLINE_TICK_MS and shuts down what is late.
 */
#include "web/web_deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/ratelog.h"

/* One followed connection. */
struct web_deadline_slot {
    bool used;
    MHD_socket fd;
    int64_t since_ms; /* monotonic: waiting for a request, or answering, since */
    int64_t limit_ms; /* how long that may last */
    bool shut;        /* shut down by the watchdog; libmicrohttpd closes it */
};

struct web_deadline {
    int64_t request_ms;
    pthread_t watchdog;
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t wake;  /* web_deadline_close stops the watchdog at once */
    bool stopping;
    struct ratelog log; /* "closed a late connection", once a day with a count */
    struct web_deadline_slot slots[WEB_DEADLINE_CONNECTIONS_MAX];
};

static int64_t web_deadline_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void *web_deadline_watchdog(void *arg)
{
    struct web_deadline *deadline = arg;
    pthread_mutex_lock(&deadline->lock);
    while (!deadline->stopping) {
        int64_t now_ms = web_deadline_now_ms();
        for (int i = 0; i < WEB_DEADLINE_CONNECTIONS_MAX; i++) {
            struct web_deadline_slot *slot = &deadline->slots[i];
            if (slot->used && !slot->shut && now_ms - slot->since_ms >= slot->limit_ms) {
                /* Under the lock: the CLOSED notification (before libmicrohttpd closes the
                 * socket) waits for it, so this fd is still the connection's. */
                shutdown(slot->fd, SHUT_RDWR);
                slot->shut = true;
                bool request = slot->limit_ms == deadline->request_ms;
                long long held = 0;
                if (ratelog_pass(&deadline->log, request ? "request" : "answer", now_ms, &held)) {
                    log_msg(LOG_WARN,
                            "host page: closed a connection that took longer than %lld s to %s "
                            "(a stalled or slow client; %lld more since this was last logged)",
                            (long long)(slot->limit_ms / 1000),
                            request ? "send its request" : "take its answer", held);
                }
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += WEB_DEADLINE_TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&deadline->wake, &deadline->lock, &until);
    }
    pthread_mutex_unlock(&deadline->lock);
    return NULL;
}

struct web_deadline *web_deadline_open(int64_t request_ms)
{
    struct web_deadline *deadline = calloc(1, sizeof *deadline);
    if (deadline == NULL) {
        return NULL;
    }
    deadline->request_ms = request_ms;
    pthread_condattr_t attributes;
    if (pthread_condattr_init(&attributes) != 0) {
        goto out_free;
    }
    bool cond_ok = pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) == 0 &&
                   pthread_cond_init(&deadline->wake, &attributes) == 0;
    pthread_condattr_destroy(&attributes);
    if (!cond_ok) {
        goto out_free;
    }
    if (pthread_mutex_init(&deadline->lock, NULL) != 0) {
        goto out_destroy_cond;
    }
    if (pthread_mutex_init(&deadline->log.lock, NULL) != 0) {
        goto out_destroy_lock;
    }
    if (pthread_create(&deadline->watchdog, NULL, web_deadline_watchdog, deadline) != 0) {
        goto out_destroy_log;
    }
    return deadline;

out_destroy_log:
    pthread_mutex_destroy(&deadline->log.lock);
out_destroy_lock:
    pthread_mutex_destroy(&deadline->lock);
out_destroy_cond:
    pthread_cond_destroy(&deadline->wake);
out_free:
    free(deadline);
    return NULL;
}

void web_deadline_close(struct web_deadline *deadline)
{
    if (deadline == NULL) {
        return;
    }
    pthread_mutex_lock(&deadline->lock);
    deadline->stopping = true;
    pthread_cond_broadcast(&deadline->wake);
    pthread_mutex_unlock(&deadline->lock);
    pthread_join(deadline->watchdog, NULL);
    pthread_cond_destroy(&deadline->wake);
    pthread_mutex_destroy(&deadline->log.lock);
    pthread_mutex_destroy(&deadline->lock);
    free(deadline);
}

void web_deadline_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                         enum MHD_ConnectionNotificationCode code)
{
    struct web_deadline *deadline = cls;
    if (deadline == NULL || socket_context == NULL) {
        return;
    }
    pthread_mutex_lock(&deadline->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = NULL;
        for (int i = 0; info != NULL && i < WEB_DEADLINE_CONNECTIONS_MAX; i++) {
            struct web_deadline_slot *slot = &deadline->slots[i];
            if (!slot->used) {
                *slot = (struct web_deadline_slot){.used = true,
                                                   .fd = info->connect_fd,
                                                   .since_ms = web_deadline_now_ms(),
                                                   .limit_ms = deadline->request_ms};
                *socket_context = slot;
                break;
            }
        }
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct web_deadline_slot *slot = *socket_context;
        if (slot != NULL) {
            slot->used = false;
        }
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&deadline->lock);
}

/* The connection's slot, or NULL when it is not followed. */
static struct web_deadline_slot *web_deadline_slot(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

static void web_deadline_restart(struct web_deadline *deadline, struct MHD_Connection *connection,
                                 int64_t limit_ms)
{
    if (deadline == NULL || connection == NULL) {
        return;
    }
    pthread_mutex_lock(&deadline->lock);
    struct web_deadline_slot *slot = web_deadline_slot(connection);
    if (slot != NULL && slot->used) {
        slot->since_ms = web_deadline_now_ms();
        slot->limit_ms = limit_ms;
    }
    pthread_mutex_unlock(&deadline->lock);
}

void web_deadline_answering(struct web_deadline *deadline, struct MHD_Connection *connection,
                            bool long_answer)
{
    web_deadline_restart(deadline, connection,
                         long_answer ? WEB_DEADLINE_LONG_ANSWER_MS : WEB_DEADLINE_ANSWER_MS);
}

void web_deadline_completed(struct web_deadline *deadline, struct MHD_Connection *connection)
{
    if (deadline != NULL) {
        web_deadline_restart(deadline, connection, deadline->request_ms);
    }
}
