/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_auth: see web_auth.h. Flow: POST /api/login -> web.c -> web_auth_login() -> PBKDF2
 * (without the lock) -> a session; every later request -> web_auth_session().
 */
#include "web/web_auth.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WEB_AUTH_ADDRESS_MAX 64 /* INET6_ADDRSTRLEN and then some */
#define WEB_AUTH_OVERFLOW "*"   /* the record every address shares once the table is full */
#define WEB_AUTH_BUSY_RETRY_MS 1000
#define WEB_AUTH_HASH_THREAD "oase-hash" /* the hashing thread's name (tests count them) */

struct web_session {
    bool used;
    char id[WEB_AUTH_TOKEN_SIZE];
    char csrf[WEB_AUTH_TOKEN_SIZE];
    int64_t created_ms;
    int64_t used_ms; /* last request */
};

/* A client address that gave a wrong passphrase (or is being checked now). */
struct web_client {
    bool used;
    char address[WEB_AUTH_ADDRESS_MAX];
    int failures;         /* wrong passphrases since the last success */
    int64_t locked_ms;    /* no check before this instant */
    int64_t last_seen_ms; /* last failure or attempt */
    bool checking;        /* a passphrase of this client is being hashed now */
    int tries;            /* attempts since the record was made, checked or not */
};

/* A first try waiting for the hashing slot (one per address: web_client.checking). */
struct web_waiter {
    bool used;
    bool known;       /* the address logged in rightly before */
    int tries_before; /* earlier attempts of its address */
    uint64_t arrival; /* order of arrival */
};

struct web_auth {
    struct web_hash hash;
    pthread_mutex_t lock;   /* guards everything below */
    pthread_cond_t settled; /* signalled when a check ends (the hashing slot is free) */
    struct web_session sessions[WEB_AUTH_SESSIONS_MAX];
    struct web_client clients[WEB_AUTH_CLIENTS_MAX];
    struct web_client overflow; /* shared by every address beyond the table */
    int hashing;                /* checks under way, at most WEB_AUTH_HASHING_MAX */
    int first_waiting;          /* first tries waiting for the slot: they go first */
    struct web_waiter waiters[WEB_AUTH_WAITERS_MAX];      /* those first tries, in no order */
    uint64_t arrivals;                                    /* the next waiter's arrival number */
    char known[WEB_AUTH_KNOWN_MAX][WEB_AUTH_ADDRESS_MAX]; /* keys of recent good logins, a ring */
    int known_next;
    int64_t budget[WEB_AUTH_GLOBAL_BUDGET];     /* times of the last repeat checks, a ring */
    int budget_next;                            /* oldest entry of the ring */
    int64_t mistyped[WEB_AUTH_MISTYPED_BUDGET]; /* likewise, for addresses with few failures */
    int mistyped_next;
};

static void web_auth_hex(const uint8_t *bytes, size_t count, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < count; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * count] = '\0';
}

/* A fresh random token as hex. Returns 0 or -EIO. */
static int web_auth_new_token(char out[WEB_AUTH_TOKEN_SIZE])
{
    uint8_t bytes[WEB_AUTH_TOKEN_BYTES];
    if (gnutls_rnd(GNUTLS_RND_KEY, bytes, sizeof bytes) != 0) {
        return -EIO;
    }
    web_auth_hex(bytes, sizeof bytes, out);
    return 0;
}

static int web_auth_derive(const char *passphrase, size_t length, const uint8_t *salt,
                           unsigned iterations, uint8_t key[WEB_HASH_KEY_BYTES])
{
    /* GnuTLS takes the datum as non-const; it only reads it. */
    gnutls_datum_t secret = {.data = (unsigned char *)(uintptr_t)passphrase,
                             .size = (unsigned)length};
    gnutls_datum_t salt_datum = {.data = (unsigned char *)(uintptr_t)salt,
                                 .size = WEB_HASH_SALT_BYTES};
    return gnutls_pbkdf2(GNUTLS_MAC_SHA256, &secret, &salt_datum, iterations, key,
                         WEB_HASH_KEY_BYTES) == 0
               ? 0
               : -EIO;
}

int web_auth_hash_passphrase(const char *passphrase, size_t length, unsigned iterations, char *out,
                             size_t out_size)
{
    if (passphrase == NULL || length < WEB_AUTH_PASSPHRASE_MIN ||
        length > WEB_AUTH_PASSPHRASE_MAX || iterations < WEB_HASH_ITERATIONS_MIN ||
        iterations > WEB_HASH_ITERATIONS_MAX) {
        return -EINVAL;
    }
    struct web_hash hash = {.iterations = iterations};
    if (gnutls_rnd(GNUTLS_RND_KEY, hash.salt, sizeof hash.salt) != 0) {
        return -EIO;
    }
    int rc = web_auth_derive(passphrase, length, hash.salt, iterations, hash.key);
    if (rc == 0) {
        rc = web_hash_format(&hash, out, out_size);
    }
    gnutls_memset(&hash, 0, sizeof hash);
    return rc;
}

bool web_auth_token_equal(const char *expected, const char *given)
{
    if (expected == NULL || given == NULL) {
        return false;
    }
    size_t expected_length = strnlen(expected, WEB_AUTH_TOKEN_SIZE);
    size_t given_length = strnlen(given, WEB_AUTH_TOKEN_SIZE);
    if (expected_length != given_length || expected_length == 0) {
        return false;
    }
    return gnutls_memcmp(expected, given, expected_length) == 0;
}

/* True for exactly WEB_TOKEN_LENGTH characters of the base64url alphabet. */
static bool web_auth_research_token_well_formed(const char *token, size_t length)
{
    if (token == NULL || length != WEB_TOKEN_LENGTH) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        char c = token[i];
        bool base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!base64url) {
            return false;
        }
    }
    return true;
}

int web_auth_research_token_hash(const char *token, size_t length, struct web_token_hash *hash)
{
    if (!web_auth_research_token_well_formed(token, length)) {
        return -EINVAL;
    }
    return gnutls_hash_fast(GNUTLS_DIG_SHA256, token, length, hash->digest) == 0 ? 0 : -EIO;
}

int web_auth_new_research_token(char token[WEB_TOKEN_LENGTH + 1], struct web_token_hash *hash)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint8_t random[WEB_TOKEN_BYTES + 1]; /* 33 bytes: 264 bits, 43 x 6 = 258 used */
    if (gnutls_rnd(GNUTLS_RND_KEY, random, sizeof random) != 0) {
        return -EIO;
    }
    /* Six bits a character, most significant first (base64url without padding). */
    uint32_t bits = 0;
    int held = 0;
    size_t next = 0;
    for (int i = 0; i < WEB_TOKEN_LENGTH; i++) {
        if (held < 6) {
            bits = (bits << 8) | random[next++];
            held += 8;
        }
        token[i] = alphabet[(bits >> (held - 6)) & 63];
        held -= 6;
    }
    token[WEB_TOKEN_LENGTH] = '\0';
    gnutls_memset(random, 0, sizeof random);
    bits = 0;
    int rc = web_auth_research_token_hash(token, WEB_TOKEN_LENGTH, hash);
    if (rc != 0) {
        gnutls_memset(token, 0, WEB_TOKEN_LENGTH + 1);
    }
    return rc;
}

bool web_auth_research_token_check(const struct web_token_hash *expected, const char *token,
                                   size_t length)
{
    struct web_token_hash given;
    if (expected == NULL || web_auth_research_token_hash(token, length, &given) != 0) {
        return false;
    }
    bool equal = gnutls_memcmp(given.digest, expected->digest, sizeof given.digest) == 0;
    gnutls_memset(&given, 0, sizeof given);
    return equal;
}

/* A session id or token as we make them: exactly 32 lower-case hex digits. */
static bool web_auth_token_well_formed(const char *token)
{
    if (token == NULL) {
        return false;
    }
    for (int i = 0; i < WEB_AUTH_TOKEN_SIZE - 1; i++) {
        char c = token[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return token[WEB_AUTH_TOKEN_SIZE - 1] == '\0';
}

struct web_auth *web_auth_open(const struct web_hash *hash)
{
    struct web_auth *auth = calloc(1, sizeof *auth);
    if (auth == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&auth->lock, NULL) != 0) {
        free(auth);
        return NULL;
    }
    pthread_condattr_t attributes;
    bool cond_ok = pthread_condattr_init(&attributes) == 0;
    cond_ok = cond_ok && pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) == 0 &&
              pthread_cond_init(&auth->settled, &attributes) == 0;
    if (!cond_ok) {
        pthread_mutex_destroy(&auth->lock);
        free(auth);
        return NULL;
    }
    pthread_condattr_destroy(&attributes);
    auth->hash = *hash;
    for (int i = 0; i < WEB_AUTH_GLOBAL_BUDGET; i++) {
        auth->budget[i] = INT64_MIN / 4; /* long ago */
    }
    for (int i = 0; i < WEB_AUTH_MISTYPED_BUDGET; i++) {
        auth->mistyped[i] = INT64_MIN / 4;
    }
    snprintf(auth->overflow.address, sizeof auth->overflow.address, WEB_AUTH_OVERFLOW);
    auth->overflow.used = true;
    return auth;
}

void web_auth_close(struct web_auth *auth)
{
    if (auth == NULL) {
        return;
    }
    pthread_cond_destroy(&auth->settled);
    pthread_mutex_destroy(&auth->lock);
    gnutls_memset(auth, 0, sizeof *auth); /* session ids and the hash leave no trace */
    free(auth);
}

static bool web_session_live(const struct web_session *session, int64_t now_ms)
{
    return session->used && now_ms - session->used_ms < WEB_AUTH_IDLE_MS &&
           now_ms - session->created_ms < WEB_AUTH_LIFETIME_MS && now_ms >= session->created_ms;
}

/* Index of the live session with this id, or -1; compares with every slot alike (lock held). */
static int web_auth_find_session(struct web_auth *auth, const char *id, int64_t now_ms)
{
    int found = -1;
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        bool equal = web_auth_token_equal(auth->sessions[i].id, id);
        if (equal && web_session_live(&auth->sessions[i], now_ms)) {
            found = i;
        }
    }
    return found;
}

/* A free session slot, or NULL when every slot holds a live session (lock held). */
static struct web_session *web_auth_session_slot(struct web_auth *auth, int64_t now_ms)
{
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        if (!web_session_live(&auth->sessions[i], now_ms)) {
            return &auth->sessions[i];
        }
    }
    return NULL;
}

static bool web_client_current(const struct web_client *client, int64_t now_ms)
{
    return client->used &&
           (client->checking || now_ms - client->last_seen_ms < WEB_AUTH_FORGET_MS ||
            now_ms < client->locked_ms);
}

/*
 * The key of a client: an IPv4 address as given, an IPv6 address as its /64 (one host owns
 * a whole /64 and may pick any address in it), anything else as given.
 */
static void web_auth_client_key(const char *address, char *key, size_t size)
{
    struct in6_addr v6;
    if (strchr(address, ':') != NULL && inet_pton(AF_INET6, address, &v6) == 1 &&
        !IN6_IS_ADDR_V4MAPPED(&v6)) {
        memset(v6.s6_addr + 8, 0, 8);
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, &v6, text, sizeof text) != NULL) {
            snprintf(key, size, "%s/64", text);
            return;
        }
    }
    snprintf(key, size, "%s", address);
}

/*
 * The record of address, made when missing. A current record is never given up for a new
 * address: once the table is full, new addresses share the overflow record and its pause,
 * so many addresses cannot push out the pauses of others (lock held).
 */
static struct web_client *web_auth_client(struct web_auth *auth, const char *address,
                                          int64_t now_ms)
{
    char key[WEB_AUTH_ADDRESS_MAX];
    web_auth_client_key(address, key, sizeof key);
    struct web_client *free_slot = NULL;
    for (int i = 0; i < WEB_AUTH_CLIENTS_MAX; i++) {
        struct web_client *client = &auth->clients[i];
        if (!web_client_current(client, now_ms)) {
            free_slot = free_slot ? free_slot : client;
            continue;
        }
        if (strcmp(client->address, key) == 0) {
            return client;
        }
    }
    if (free_slot == NULL) {
        return &auth->overflow;
    }
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->used = true;
    snprintf(free_slot->address, sizeof free_slot->address, "%s", key);
    free_slot->last_seen_ms = now_ms;
    return free_slot;
}

/* True when the ring (size entries, the oldest at *next) has room for a check now, and takes
   it; else *retry_ms says when it will (lock held). */
static bool web_auth_ring_take(int64_t *ring, int size, int *next, int64_t now_ms,
                               int64_t *retry_ms)
{
    int64_t oldest = ring[*next];
    if (now_ms - oldest < WEB_AUTH_GLOBAL_WINDOW_MS) {
        *retry_ms = oldest + WEB_AUTH_GLOBAL_WINDOW_MS - now_ms;
        return false;
    }
    ring[*next] = now_ms;
    *next = (*next + 1) % size;
    return true;
}

/*
 * True when a repeat guess of client may be checked now; else *retry_ms says when (lock
 * held). An address with at most WEB_AUTH_MISTYPED_FAILURES failures (a host who mistyped)
 * has a small budget of its own: a flood's addresses pass that count within their first
 * minutes and then compete only for the global one, which they keep full.
 */
static bool web_auth_budget_take(struct web_auth *auth, const struct web_client *client,
                                 int64_t now_ms, int64_t *retry_ms)
{
    if (client != &auth->overflow && client->failures <= WEB_AUTH_MISTYPED_FAILURES &&
        web_auth_ring_take(auth->mistyped, WEB_AUTH_MISTYPED_BUDGET, &auth->mistyped_next, now_ms,
                           retry_ms)) {
        return true;
    }
    return web_auth_ring_take(auth->budget, WEB_AUTH_GLOBAL_BUDGET, &auth->budget_next, now_ms,
                              retry_ms);
}

/* True when key logged in rightly before (lock held). */
static bool web_auth_known(const struct web_auth *auth, const char *key)
{
    for (int i = 0; i < WEB_AUTH_KNOWN_MAX; i++) {
        if (auth->known[i][0] != '\0' && strcmp(auth->known[i], key) == 0) {
            return true;
        }
    }
    return false;
}

/* True when waiter a goes before b: known addresses first, then the address with the
   fewest earlier attempts, then the one that came last (lock held). */
static bool web_auth_waiter_before(const struct web_waiter *a, const struct web_waiter *b)
{
    if (a->known != b->known) {
        return a->known;
    }
    if (a->tries_before != b->tries_before) {
        return a->tries_before < b->tries_before;
    }
    return a->arrival > b->arrival;
}

/* The slot is not for this waiter yet: busy, or another waiter goes first (lock held). */
static bool web_auth_slot_taken(const struct web_auth *auth, const struct web_waiter *self)
{
    if (auth->hashing >= WEB_AUTH_HASHING_MAX) {
        return true;
    }
    for (int i = 0; i < WEB_AUTH_WAITERS_MAX; i++) {
        const struct web_waiter *other = &auth->waiters[i];
        if (other != self && other->used && web_auth_waiter_before(other, self)) {
            return true;
        }
    }
    return false;
}

/*
 * Waits (lock held) until the hashing slot is free for this first try or
 * WEB_AUTH_QUEUE_WAIT_MS passed. The order is web_auth_waiter_before's: a flood of first
 * tries from many new addresses cannot keep the host's first try waiting, because the
 * flooders' retries carry their earlier attempts and the newest of equals goes first.
 * False when the time ran out or WEB_AUTH_WAITERS_MAX tries wait already.
 */
static bool web_auth_wait_for_slot(struct web_auth *auth, bool known, int tries_before)
{
    struct web_waiter *self = NULL;
    for (int i = 0; i < WEB_AUTH_WAITERS_MAX && self == NULL; i++) {
        self = auth->waiters[i].used ? NULL : &auth->waiters[i];
    }
    if (self == NULL) {
        return false;
    }
    *self = (struct web_waiter){
        .used = true, .known = known, .tries_before = tries_before, .arrival = auth->arrivals++};
    if (!web_auth_slot_taken(auth, self)) {
        self->used = false;
        return true;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += WEB_AUTH_QUEUE_WAIT_MS / 1000;
    deadline.tv_nsec += (WEB_AUTH_QUEUE_WAIT_MS % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    auth->first_waiting++;
    while (web_auth_slot_taken(auth, self)) {
        if (pthread_cond_timedwait(&auth->settled, &auth->lock, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    auth->first_waiting--;
    bool free_now = !web_auth_slot_taken(auth, self);
    self->used = false;
    pthread_cond_broadcast(&auth->settled); /* the others look again */
    return free_now;
}

/* One passphrase check, handed to a thread of lower priority. */
struct web_auth_job {
    const char *passphrase;
    size_t length;
    const struct web_hash *hash;
    uint8_t key[WEB_HASH_KEY_BYTES];
    int rc;
};

static void *web_auth_hash_thread(void *arg)
{
    struct web_auth_job *job = arg;
    /* This thread only, relative to the kiosk's own nice value (capped at 19): the visitor
     * loop and the page's other threads keep their priority. */
    pthread_setname_np(pthread_self(), WEB_AUTH_HASH_THREAD);
    id_t thread_id = (id_t)syscall(SYS_gettid);
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, thread_id);
    int lower = (errno == 0 ? nice_now : 0) + WEB_AUTH_HASH_NICE;
    setpriority(PRIO_PROCESS, thread_id, lower > 19 ? 19 : lower);
    job->rc = web_auth_derive(job->passphrase, job->length, job->hash->salt, job->hash->iterations,
                              job->key);
    return NULL;
}

/* PBKDF2 of passphrase WEB_AUTH_HASH_NICE below the caller; in this thread when none can
 * start. */
static int web_auth_derive_low(const char *passphrase, size_t length, const struct web_hash *hash,
                               uint8_t key[WEB_HASH_KEY_BYTES])
{
    struct web_auth_job job = {
        .passphrase = passphrase, .length = length, .hash = hash, .rc = -EIO};
    pthread_t thread;
    if (pthread_create(&thread, NULL, web_auth_hash_thread, &job) == 0) {
        pthread_join(thread, NULL);
    } else {
        job.rc = web_auth_derive(passphrase, length, hash->salt, hash->iterations, job.key);
    }
    memcpy(key, job.key, WEB_HASH_KEY_BYTES);
    gnutls_memset(job.key, 0, sizeof job.key);
    return job.rc;
}

static int64_t web_auth_delay_ms(int failures)
{
    int64_t delay = 1000;
    for (int i = 1; i < failures && delay < WEB_AUTH_DELAY_MAX_MS; i++) {
        delay *= 2;
    }
    return delay < WEB_AUTH_DELAY_MAX_MS ? delay : WEB_AUTH_DELAY_MAX_MS;
}

enum web_login_result web_auth_login(struct web_auth *auth, const char *address,
                                     const char *passphrase, size_t length, int64_t now_ms,
                                     char session_id[WEB_AUTH_TOKEN_SIZE], int64_t *retry_after_ms)
{
    *retry_after_ms = 0;
    session_id[0] = '\0';
    char key[WEB_AUTH_ADDRESS_MAX];
    web_auth_client_key(address ? address : "", key, sizeof key);
    pthread_mutex_lock(&auth->lock);
    struct web_client *client = web_auth_client(auth, address ? address : "", now_ms);
    bool repeat = client->failures > 0 || client == &auth->overflow;
    int tries_before = client->tries;
    client->tries += client->tries < INT32_MAX / 2;
    client->last_seen_ms = now_ms;
    enum web_login_result result = WEB_LOGIN_WAIT;
    *retry_after_ms = WEB_AUTH_BUSY_RETRY_MS;
    if (client->checking) {
        /* one check at a time per address */
    } else if (now_ms < client->locked_ms) {
        *retry_after_ms = client->locked_ms - now_ms;
    } else if (repeat) {
        /* A repeat guess: only when nobody waits, the slot is free and the budget allows. */
        if (auth->first_waiting == 0 && auth->hashing < WEB_AUTH_HASHING_MAX &&
            web_auth_budget_take(auth, client, now_ms, retry_after_ms)) {
            result = WEB_LOGIN_WRONG;
        }
    } else {
        client->checking = true; /* keeps the record while this thread waits */
        bool slot = web_auth_wait_for_slot(auth, web_auth_known(auth, key), tries_before);
        client->checking = false;
        result = slot ? WEB_LOGIN_WRONG : WEB_LOGIN_WAIT;
    }
    if (result == WEB_LOGIN_WRONG) {
        *retry_after_ms = 0;
        client->checking = true;
        auth->hashing++;
    }
    struct web_hash hash = auth->hash;
    pthread_mutex_unlock(&auth->lock);
    if (result == WEB_LOGIN_WAIT) {
        return result;
    }

    /* The expensive part, without the lock: other logins and sessions go on meanwhile. */
    bool right = false;
    bool failed = false;
    if (passphrase != NULL && length > 0 && length <= WEB_AUTH_PASSPHRASE_MAX) {
        uint8_t derived[WEB_HASH_KEY_BYTES];
        failed = web_auth_derive_low(passphrase, length, &hash, derived) != 0;
        right = !failed && gnutls_memcmp(derived, hash.key, sizeof derived) == 0;
        gnutls_memset(derived, 0, sizeof derived);
    }
    gnutls_memset(&hash, 0, sizeof hash);
    char csrf[WEB_AUTH_TOKEN_SIZE] = "";
    if (right && (web_auth_new_token(session_id) != 0 || web_auth_new_token(csrf) != 0)) {
        failed = true;
        session_id[0] = '\0';
    }

    pthread_mutex_lock(&auth->lock);
    auth->hashing--;
    pthread_cond_broadcast(&auth->settled);
    client->checking = false;
    client->last_seen_ms = now_ms;
    struct web_session *session = right && !failed ? web_auth_session_slot(auth, now_ms) : NULL;
    if (failed) {
        result = WEB_LOGIN_ERROR;
    } else if (right && session == NULL) {
        session_id[0] = '\0'; /* every desk keeps its session; this one is told why */
        result = WEB_LOGIN_FULL;
    } else if (right) {
        if (client != &auth->overflow) {
            memset(client, 0, sizeof *client); /* failures forgotten */
        }
        if (!web_auth_known(auth, key)) {
            snprintf(auth->known[auth->known_next], sizeof auth->known[0], "%s", key);
            auth->known_next = (auth->known_next + 1) % WEB_AUTH_KNOWN_MAX;
        }
        session->used = true;
        memcpy(session->id, session_id, sizeof session->id);
        memcpy(session->csrf, csrf, sizeof session->csrf);
        session->created_ms = now_ms;
        session->used_ms = now_ms;
        result = WEB_LOGIN_OK;
    } else {
        client->failures++;
        *retry_after_ms = web_auth_delay_ms(client->failures);
        client->locked_ms = now_ms + *retry_after_ms;
        result = WEB_LOGIN_WRONG;
    }
    pthread_mutex_unlock(&auth->lock);
    return result;
}

bool web_auth_session(struct web_auth *auth, const char *session_id, int64_t now_ms,
                      char csrf[WEB_AUTH_TOKEN_SIZE])
{
    if (auth == NULL || !web_auth_token_well_formed(session_id)) {
        return false;
    }
    pthread_mutex_lock(&auth->lock);
    int index = web_auth_find_session(auth, session_id, now_ms);
    if (index >= 0) {
        auth->sessions[index].used_ms = now_ms;
        if (csrf != NULL) {
            memcpy(csrf, auth->sessions[index].csrf, WEB_AUTH_TOKEN_SIZE);
        }
    }
    pthread_mutex_unlock(&auth->lock);
    return index >= 0;
}

void web_auth_logout(struct web_auth *auth, const char *session_id)
{
    if (auth == NULL || !web_auth_token_well_formed(session_id)) {
        return;
    }
    pthread_mutex_lock(&auth->lock);
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        if (auth->sessions[i].used && web_auth_token_equal(auth->sessions[i].id, session_id)) {
            memset(&auth->sessions[i], 0, sizeof auth->sessions[i]);
        }
    }
    pthread_mutex_unlock(&auth->lock);
}
