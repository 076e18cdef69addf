/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_hash: see web_hash.h. Config file -> config/config.c -> web_config_set -> here, and
 * web_auth (login) -> here to read the stored key.
 */
#include "web/web_hash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int web_hash_hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads exactly size bytes of hex ending at '$' or the end; *text moves past them. */
static bool web_hash_read_hex(const char **text, uint8_t *out, size_t size)
{
    const char *at = *text;
    for (size_t i = 0; i < size; i++) {
        int high = web_hash_hex_value(at[2 * i]);
        int low = high < 0 ? -1 : web_hash_hex_value(at[2 * i + 1]);
        if (low < 0) {
            return false;
        }
        out[i] = (uint8_t)(high * 16 + low);
    }
    *text = at + 2 * size;
    return true;
}

int web_hash_parse(const char *text, struct web_hash *out, char *why, size_t why_size)
{
    static const char accepted[] = "accepted: the line printed by oase-passphrase, " WEB_HASH_SCHEME
                                   "$ITERATIONS$SALT$KEY with 32 and 64 hex digits";
    struct web_hash hash;
    if (text == NULL || strncmp(text, WEB_HASH_SCHEME "$", sizeof WEB_HASH_SCHEME) != 0) {
        snprintf(why, why_size, "%s", accepted);
        return -EINVAL;
    }
    const char *at = text + sizeof WEB_HASH_SCHEME;
    unsigned long long iterations = 0;
    int digits = 0;
    while (*at >= '0' && *at <= '9' && digits < 9) {
        iterations = iterations * 10 + (unsigned)(*at - '0');
        at++;
        digits++;
    }
    if (digits == 0 || *at != '$' || iterations < WEB_HASH_ITERATIONS_MIN ||
        iterations > WEB_HASH_ITERATIONS_MAX) {
        snprintf(why, why_size, "%s; iterations %u..%u", accepted, WEB_HASH_ITERATIONS_MIN,
                 WEB_HASH_ITERATIONS_MAX);
        return -EINVAL;
    }
    hash.iterations = (unsigned)iterations;
    at++;
    if (!web_hash_read_hex(&at, hash.salt, sizeof hash.salt) || *at != '$') {
        snprintf(why, why_size, "%s", accepted);
        return -EINVAL;
    }
    at++;
    if (!web_hash_read_hex(&at, hash.key, sizeof hash.key) || *at != '\0') {
        snprintf(why, why_size, "%s", accepted);
        return -EINVAL;
    }
    *out = hash;
    return 0;
}

int web_hash_format(const struct web_hash *hash, char *out, size_t out_size)
{
    char salt[2 * WEB_HASH_SALT_BYTES + 1];
    char key[2 * WEB_HASH_KEY_BYTES + 1];
    for (size_t i = 0; i < sizeof hash->salt; i++) {
        snprintf(salt + 2 * i, 3, "%02x", hash->salt[i]);
    }
    for (size_t i = 0; i < sizeof hash->key; i++) {
        snprintf(key + 2 * i, 3, "%02x", hash->key[i]);
    }
    int length = snprintf(out, out_size, WEB_HASH_SCHEME "$%u$%s$%s", hash->iterations, salt, key);
    return length >= 0 && (size_t)length < out_size ? 0 : -ENOSPC;
}

int web_token_hash_parse(const char *text, struct web_token_hash *out, char *why, size_t why_size)
{
    struct web_token_hash hash;
    if (text != NULL && strncmp(text, WEB_HASH_SCHEME "$", sizeof WEB_HASH_SCHEME) == 0) {
        snprintf(why, why_size,
                 "the old form of a researcher token (PBKDF2, 192 bits) is no longer accepted: "
                 "make a new token with oase-passphrase --new-token, give it to the researcher "
                 "and paste its token_hash line (" WEB_TOKEN_SCHEME "$...) here");
        return -EINVAL;
    }
    bool ok = text != NULL && strncmp(text, WEB_TOKEN_SCHEME "$", sizeof WEB_TOKEN_SCHEME) == 0;
    const char *at = ok ? text + sizeof WEB_TOKEN_SCHEME : NULL;
    ok = ok && web_hash_read_hex(&at, hash.digest, sizeof hash.digest) && *at == '\0';
    if (!ok) {
        snprintf(why, why_size,
                 "accepted: the token_hash line printed by oase-passphrase --new-token, "
                 "" WEB_TOKEN_SCHEME "$ and 64 hex digits");
        return -EINVAL;
    }
    *out = hash;
    return 0;
}

int web_token_hash_format(const struct web_token_hash *hash, char *out, size_t out_size)
{
    char digest[2 * WEB_TOKEN_DIGEST_BYTES + 1];
    for (size_t i = 0; i < sizeof hash->digest; i++) {
        snprintf(digest + 2 * i, 3, "%02x", hash->digest[i]);
    }
    int length = snprintf(out, out_size, WEB_TOKEN_SCHEME "$%s", digest);
    return length >= 0 && (size_t)length < out_size ? 0 : -ENOSPC;
}
