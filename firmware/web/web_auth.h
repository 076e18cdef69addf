/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_auth: who may use the host page. Owns the check of the passphrase against its salted
 * hash (PBKDF2-HMAC-SHA256 from GnuTLS, compared in constant time), the sessions (random
 * 128-bit ids and a CSRF token each) and the slowing down of failed logins per client
 * address. Never holds its lock while hashing, so a login never delays another connection
 * (or the kiosk); a client that must wait is told how long instead.
 *
 * Availability under attack: records of failing addresses are never evicted to
 * make room (addresses beyond the table share one record and its pause); guesses from
 * addresses that already failed share a global budget a minute; one passphrase is hashed
 * at a time, in a thread of its own named "oase-hash" (WEB_AUTH_HASH_NICE steps below the
 * caller, never above it); a first try (an
 * address with no failure, as the host's) waits up to WEB_AUTH_QUEUE_WAIT_MS for that slot and goes
 * before repeat guesses; among waiting first tries, one from an address that logged in before goes
 * first of all, then the address with the fewest earlier attempts (so a flood of tries from new
 * addresses sinks behind a host who tries once), then the newest; a full session table refuses
 * the new login and never logs a desk out.
 *
 * Threading: every function may be called from any thread (one lock inside).
 * Time is a monotonic millisecond count handed in by the caller (tests use a fake one).
 */
#ifndef OASE_WEB_AUTH_H
#define OASE_WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "web/web_hash.h"

#define WEB_AUTH_TOKEN_BYTES 16                            /* 128-bit session ids and CSRF tokens */
#define WEB_AUTH_TOKEN_SIZE (2 * WEB_AUTH_TOKEN_BYTES + 1) /* as hex, with the NUL */
#define WEB_AUTH_SESSIONS_MAX 64 /* desks logged in at once; a new login beyond is refused */
#define WEB_AUTH_IDLE_MS (12 * 3600000LL)     /* a session unused this long ends */
#define WEB_AUTH_LIFETIME_MS (24 * 3600000LL) /* and every session ends after a day */
#define WEB_AUTH_CLIENTS_MAX 1024 /* client addresses (IPv6: /64 prefixes) with failed logins */
#define WEB_AUTH_FORGET_MS (3600000LL) /* failures forgotten an hour after the last */
#define WEB_AUTH_DELAY_MAX_MS 60000    /* wait after a failure: 1, 2, 4 ... 60 s */
#define WEB_AUTH_GLOBAL_BUDGET 12      /* repeat guesses checked a minute, all addresses together */
#define WEB_AUTH_GLOBAL_WINDOW_MS 60000 /* the budget's window */
#define WEB_AUTH_MISTYPED_FAILURES 2    /* an address with this few failures mistyped, likely */
#define WEB_AUTH_MISTYPED_BUDGET 6      /* their repeat guesses a minute, besides the budget */
#define WEB_AUTH_HASHING_MAX 1          /* passphrase checks at once, in one low-priority thread */
/* Steps below the asking thread: none, so in the kiosk the hash runs at the page's priority,
 * 5 below the visitor loop. 5 more starved it behind an attack's own connection threads
 * (the host's login took 1.2 s instead of 0.2 s under the 70-address flood). */
#define WEB_AUTH_HASH_NICE 0
#define WEB_AUTH_KNOWN_MAX 64 /* addresses of recent good logins: their first tries go first */
#define WEB_AUTH_QUEUE_WAIT_MS 5000 /* a first try waits this long for the hashing slot */
#define WEB_AUTH_WAITERS_MAX 256    /* first tries waiting at once (one per address) */
#define WEB_AUTH_PASSPHRASE_MAX 256 /* longer passphrases are refused before hashing */
#define WEB_AUTH_PASSPHRASE_MIN 8

struct web_auth;

/*
 * Hashes passphrase (length bytes) with a fresh random salt into the stored form
 * (web_hash.h). Returns 0, -EINVAL for a passphrase shorter than WEB_AUTH_PASSPHRASE_MIN or
 * longer than WEB_AUTH_PASSPHRASE_MAX or iterations out of range, -EIO when the random
 * source or the hash fails, -ENOSPC when out is too small.
 */
int web_auth_hash_passphrase(const char *passphrase, size_t length, unsigned iterations, char *out,
                             size_t out_size);

/*
 * Compares two NUL-terminated tokens in time that depends only on their lengths (and
 * WEB_AUTH_TOKEN_SIZE): false when either is NULL or they differ.
 */
bool web_auth_token_equal(const char *expected, const char *given);

/*
 * A new researcher token: WEB_TOKEN_BYTES random bytes as WEB_TOKEN_LENGTH base64url
 * characters (NUL-terminated) in token, and its stored hash in hash. Returns 0 or -EIO
 * (no random numbers; nothing is written then).
 */
int web_auth_new_research_token(char token[WEB_TOKEN_LENGTH + 1], struct web_token_hash *hash);

/*
 * The stored hash of a researcher token (length bytes): SHA-256 of its characters.
 * Returns 0, -EINVAL when it is not exactly WEB_TOKEN_LENGTH base64url characters (a
 * shorter token has fewer than 256 bits), -EIO when the hash fails.
 */
int web_auth_research_token_hash(const char *token, size_t length, struct web_token_hash *hash);

/*
 * True when token (length bytes) is the researcher token of expected: its SHA-256 compared
 * in constant time. No hashing slot, no lock, no pause: a guess of 256 random bits is
 * hopeless, so a download never waits behind host logins. A token of another length or
 * alphabet is false at once (its length is no secret).
 */
bool web_auth_research_token_check(const struct web_token_hash *expected, const char *token,
                                   size_t length);

/* Opens the session table for the stored hash (copied). NULL when out of memory. */
struct web_auth *web_auth_open(const struct web_hash *hash);

/* Ends every session. NULL is allowed. */
void web_auth_close(struct web_auth *auth);

enum web_login_result {
    WEB_LOGIN_OK,    /* session_id holds the new session's id */
    WEB_LOGIN_WRONG, /* wrong passphrase: *retry_after_ms says how long this client waits */
    WEB_LOGIN_WAIT,  /* not checked: this client must wait *retry_after_ms (or hashing is busy) */
    WEB_LOGIN_ERROR, /* no random numbers or the hash failed: try again later */
    WEB_LOGIN_FULL,  /* right passphrase, but WEB_AUTH_SESSIONS_MAX desks are logged in */
};

/*
 * Checks passphrase for the client at address (any text naming it, e.g. "192.0.2.7"; an
 * IPv6 address counts as its /64). Each wrong passphrase makes that address wait 1 s, 2 s,
 * 4 s ... up to 60 s before the next check; attempts while it waits are answered
 * WEB_LOGIN_WAIT without hashing, and one attempt at a time per address is checked. Repeat
 * guesses beyond WEB_AUTH_GLOBAL_BUDGET a minute (all addresses; WEB_AUTH_MISTYPED_BUDGET
 * more for addresses with at most WEB_AUTH_MISTYPED_FAILURES failures) wait too. May block the
 * calling thread up to WEB_AUTH_QUEUE_WAIT_MS for the hashing slot, plus the hash itself.
 * A success forgets the address's failures; WEB_LOGIN_FULL when every session slot holds a
 * live session (none is ended for the new one).
 */
enum web_login_result web_auth_login(struct web_auth *auth, const char *address,
                                     const char *passphrase, size_t length, int64_t now_ms,
                                     char session_id[WEB_AUTH_TOKEN_SIZE], int64_t *retry_after_ms);

/*
 * True when session_id names a live session; then its idle time restarts and csrf (may be
 * NULL) receives its CSRF token. Unknown, expired or malformed ids give false.
 */
bool web_auth_session(struct web_auth *auth, const char *session_id, int64_t now_ms,
                      char csrf[WEB_AUTH_TOKEN_SIZE]);

/* Ends the session (logout). Unknown ids are ignored. */
void web_auth_logout(struct web_auth *auth, const char *session_id);

#endif
