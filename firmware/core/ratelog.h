/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * ratelog: a repeated message is logged once per state change plus a daily count, never
 * once per occurrence. For the libraries' messages that repeat on every retry or every
 * refused connection (libasound's "ALSA lib ... cannot find card", libmicrohttpd's
 * connection limit) and any of ours. Keys are the message's format (or any stable text);
 * RATELOG_SLOTS different keys are followed at once, the least recent one is forgotten.
 * Thread-safe (the web's connection threads log through it).
 */
#ifndef OASE_RATELOG_H
#define OASE_RATELOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define RATELOG_SLOTS 16
#define RATELOG_KEY_MAX 128
#define RATELOG_PERIOD_MS (24LL * 3600 * 1000) /* a held-back count is told at most daily */

struct ratelog_slot {
    char key[RATELOG_KEY_MAX]; /* "" = free */
    int64_t since_ms;          /* monotonic time it was last logged */
    long long held;            /* occurrences held back since then */
};

struct ratelog {
    pthread_mutex_t lock;
    struct ratelog_slot slots[RATELOG_SLOTS];
};

/* A ratelog with nothing seen; static storage: RATELOG_INIT. */
#define RATELOG_INIT                                                                               \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER,                                                                 \
        {                                                                                          \
            {                                                                                      \
                {0}, 0, 0                                                                          \
            }                                                                                      \
        }                                                                                          \
    }

/*
 * One occurrence of key at monotonic now_ms. Returns true when it is to be logged now: the
 * first time, or the first time RATELOG_PERIOD_MS after it was last logged; *held_back then
 * gets how many were held back in between (0 the first time). Returns false (and counts it)
 * otherwise.
 */
bool ratelog_pass(struct ratelog *log, const char *key, int64_t now_ms, long long *held_back);

/* Monotonic milliseconds (CLOCK_MONOTONIC), for callers without a clock of their own. */
int64_t ratelog_now_ms(void);

#endif
