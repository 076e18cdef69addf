/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_hash: the stored form of the host's passphrase, "pbkdf2-sha256$ITERATIONS$SALT$KEY"
 * (salt and key in lower-case hex), and of the researcher's token, "sha256$DIGEST". Owns parsing
 * and formatting that text; never computes a hash (web_auth does) and never sees a passphrase, so
 * the config module can check a [web] passphrase_hash without linking any crypto library.
 */
#ifndef OASE_WEB_HASH_H
#define OASE_WEB_HASH_H

#include <stddef.h>
#include <stdint.h>

#define WEB_HASH_SCHEME "pbkdf2-sha256"
#define WEB_HASH_SALT_BYTES 16
#define WEB_HASH_KEY_BYTES 32
#define WEB_HASH_ITERATIONS_MIN 10000u
#define WEB_HASH_ITERATIONS_MAX 10000000u
#define WEB_HASH_ITERATIONS_DEFAULT 600000u /* about 65 ms on a desktop, < 1 s on a Pi 4 */
#define WEB_HASH_TEXT_MAX 160 /* the longest stored form, with its NUL (fits a config line) */

struct web_hash {
    unsigned iterations;
    uint8_t salt[WEB_HASH_SALT_BYTES];
    uint8_t key[WEB_HASH_KEY_BYTES]; /* PBKDF2-HMAC-SHA256(passphrase, salt, iterations) */
};

/*
 * Parses text into out. Returns 0, or -EINVAL with what is accepted in why (out is then
 * unchanged): the scheme, an iteration count in range, 32 hex digits of salt, 64 of key.
 */
int web_hash_parse(const char *text, struct web_hash *out, char *why, size_t why_size);

/* Writes the stored form of hash into out. Returns 0, or -ENOSPC when out is too small. */
int web_hash_format(const struct web_hash *hash, char *out, size_t out_size);

/*
 * The researcher's token: 256 random bits as WEB_TOKEN_LENGTH base64url characters, stored
 * as "sha256$<64 hex digits>", the plain SHA-256 of those characters. A slow hash is not
 * needed (nobody guesses 256 random bits) and would queue downloads behind logins. The
 * older "pbkdf2-sha256$..." form of 192-bit tokens is refused with how to make a new one.
 */
#define WEB_TOKEN_SCHEME "sha256"
#define WEB_TOKEN_BYTES 32  /* 256 random bits */
#define WEB_TOKEN_LENGTH 43 /* as base64url without padding */
#define WEB_TOKEN_DIGEST_BYTES 32

struct web_token_hash {
    uint8_t digest[WEB_TOKEN_DIGEST_BYTES]; /* SHA-256 of the token's characters */
};

/*
 * Parses "sha256$<64 hex digits>" into out. Returns 0, or -EINVAL with what is accepted in
 * why (out unchanged); for the old PBKDF2 form why says to make a new token.
 */
int web_token_hash_parse(const char *text, struct web_token_hash *out, char *why, size_t why_size);

/* Writes the stored form of hash into out. Returns 0, or -ENOSPC when out is too small. */
int web_token_hash_format(const struct web_token_hash *hash, char *out, size_t out_size);

#endif
