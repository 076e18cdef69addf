/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_rate: see web_rate.h. MHD's accept policy (web.c) -> web_rate_allow() -> a bucket.
 */
#include "web/web_rate.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WEB_RATE_KEY_BYTES 9 /* family byte + IPv4 address or IPv6 /64 */
#define WEB_RATE_PROBE 8     /* slots looked at for one address */

struct web_rate_slot {
    bool used;
    uint8_t key[WEB_RATE_KEY_BYTES];
    double tokens;   /* connections it may open now, at most WEB_RATE_BURST */
    int64_t last_ms; /* when tokens was last brought up to date */
};

struct web_rate {
    pthread_mutex_t lock; /* guards slots */
    struct web_rate_slot slots[WEB_RATE_SLOTS];
};

struct web_rate *web_rate_open(void)
{
    struct web_rate *rate = calloc(1, sizeof *rate);
    if (rate == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&rate->lock, NULL) != 0) {
        free(rate);
        return NULL;
    }
    return rate;
}

void web_rate_close(struct web_rate *rate)
{
    if (rate == NULL) {
        return;
    }
    pthread_mutex_destroy(&rate->lock);
    free(rate);
}

/* The address's key; false for a family that is not limited. */
static bool web_rate_key(const struct sockaddr *address, uint8_t key[WEB_RATE_KEY_BYTES])
{
    memset(key, 0, WEB_RATE_KEY_BYTES);
    if (address == NULL) {
        return false;
    }
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)address;
        key[0] = 4;
        memcpy(key + 1, &v4->sin_addr, 4);
        return true;
    }
    if (address->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)address;
        key[0] = 6;
        memcpy(key + 1, v6->sin6_addr.s6_addr, 8); /* one host owns a whole /64 */
        return true;
    }
    return false;
}

static uint32_t web_rate_hash(const uint8_t key[WEB_RATE_KEY_BYTES])
{
    uint32_t hash = 2166136261u;
    for (int i = 0; i < WEB_RATE_KEY_BYTES; i++) {
        hash = (hash ^ key[i]) * 16777619u;
    }
    return hash;
}

static void web_rate_refill(struct web_rate_slot *slot, int64_t now_ms)
{
    if (now_ms > slot->last_ms) {
        slot->tokens += (double)(now_ms - slot->last_ms) * WEB_RATE_PER_SECOND / 1000.0;
        if (slot->tokens > WEB_RATE_BURST) {
            slot->tokens = WEB_RATE_BURST;
        }
        slot->last_ms = now_ms;
    }
}

bool web_rate_allow(struct web_rate *rate, const struct sockaddr *address, int64_t now_ms)
{
    uint8_t key[WEB_RATE_KEY_BYTES];
    if (rate == NULL || !web_rate_key(address, key)) {
        return true;
    }
    uint32_t start = web_rate_hash(key);
    pthread_mutex_lock(&rate->lock);
    struct web_rate_slot *slot = NULL;
    struct web_rate_slot *calmest = NULL;
    for (int i = 0; i < WEB_RATE_PROBE && slot == NULL; i++) {
        struct web_rate_slot *candidate = &rate->slots[(start + (uint32_t)i) % WEB_RATE_SLOTS];
        if (candidate->used && memcmp(candidate->key, key, sizeof key) == 0) {
            slot = candidate;
            break;
        }
        if (candidate->used) {
            web_rate_refill(candidate, now_ms);
        }
        /* A free slot, else the one with the most tokens: the address that was quietest. */
        if (calmest == NULL || !candidate->used ||
            (calmest->used && candidate->tokens > calmest->tokens)) {
            calmest = candidate;
        }
    }
    if (slot == NULL) {
        slot = calmest;
        slot->used = true;
        memcpy(slot->key, key, sizeof key);
        slot->tokens = WEB_RATE_BURST;
        slot->last_ms = now_ms;
    }
    web_rate_refill(slot, now_ms);
    bool allowed = slot->tokens >= 1.0;
    if (allowed) {
        slot->tokens -= 1.0;
    }
    pthread_mutex_unlock(&rate->lock);
    return allowed;
}
