/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_config: the [web] section of oase.conf (the host's arrivals page) parsed into a plain
 * struct. Owns the syntax and the accepted range of every [web] value; never opens a
 * socket, reads a certificate or touches the log. The config module (config/config.c) hands
 * it each key of [web] and prefixes its messages with file:line and web.key = value.
 *
 * The config holds only a salted hash of the host passphrase (tools/oase-passphrase prints
 * the line to paste); without one the page stays off, since nobody could log in.
 */
#ifndef OASE_WEB_CONFIG_H
#define OASE_WEB_CONFIG_H

#include <stddef.h>

#include "web/web_hash.h"

#define WEB_CONFIG_PORT_DEFAULT 8080
#define WEB_CONFIG_ADDRESS_MAX 64 /* an IPv4 or IPv6 literal, with its NUL */
#define WEB_CONFIG_PATH_MAX 256
#define WEB_CONFIG_K_DEFAULT 5 /* answers before today's stress mean is shown */
#define WEB_CONFIG_K_MIN 3     /* docs/design.md: k is never below 3 */
#define WEB_CONFIG_K_MAX 1000
#define WEB_CONFIG_SITE_MAX 64   /* [research] site, with its NUL */
#define WEB_CONFIG_HOSTS_MAX 512 /* allowed_hosts as written, with its NUL */
#define WEB_CONFIG_ORIGIN_MAX 256
#define WEB_CONFIG_WAIT_ATTENTION_DEFAULT 15 /* minutes: a wait the page marks "long" */
#define WEB_CONFIG_WAIT_LONG_DEFAULT 30      /* minutes: a wait the page marks "very long" */

struct web_config {
    int port;                                  /* 8080, accepted 0..65535; 0 = the page is off */
    char bind_address[WEB_CONFIG_ADDRESS_MAX]; /* "0.0.0.0" (every IPv4 interface); "::" = all */
    char passphrase_hash[WEB_HASH_TEXT_MAX];   /* "" = no login possible: the page stays off */
    char tls_cert[WEB_CONFIG_PATH_MAX];        /* PEM certificate; "" = plain HTTP */
    char tls_key[WEB_CONFIG_PATH_MAX];         /* PEM private key; set both or neither */
    char language[8];                          /* "nl" (default) or "en", until the host picks */
    int stress_min_answers; /* 5, accepted 3..1000: k, today's stress mean from k answers */
    /* [research]: the researcher's download GET /research/export (off without a token hash) */
    char research_token_hash[WEB_HASH_TEXT_MAX]; /* hash of the researcher's bearer token */
    int research_k;                              /* 5, accepted 3..1000: k of the export */
    char site[WEB_CONFIG_SITE_MAX];              /* site name, "" = the database's meta/file */
    /* Host header names accepted besides IP literals, localhost and this machine's name
     * (DNS rebinding): "oase.local, balie.example.org"; "" = only those. */
    char allowed_hosts[WEB_CONFIG_HOSTS_MAX];
    /* A reverse proxy in front: the origin the browsers see (accepted for POST, its host for
     * Host) and the proxy's address (its X-Forwarded-For names the client). "" = none. */
    char public_origin[WEB_CONFIG_ORIGIN_MAX];
    char trusted_proxy[WEB_CONFIG_ADDRESS_MAX];
    int wait_attention_minutes; /* 15, accepted 1..600: the page marks a wait this long */
    int wait_long_minutes;      /* 30, accepted 2..600, above wait_attention_minutes */
};

/* Receives one message line (same shape as config/config.h's config_report_fn). */
typedef void (*web_report_fn)(void *ctx, const char *message);

/* Fills cfg with the documented defaults: port 8080 on 0.0.0.0, no passphrase, nl, k 5. */
void web_config_defaults(struct web_config *cfg);

/*
 * Applies one key of an INI section. Returns 1 when the section is [web] or [research] and
 * the value was
 * valid and stored; 0 for any other section (cfg untouched); -1 when the key is
 * unknown or the value invalid: cfg is unchanged and why holds what is accepted (e.g.
 * "accepted: 0..65535, 0 = off"), without file, line or value. key and value may be NULL
 * (inih's new-section call): the section is then only registered.
 */
int web_config_set(struct web_config *cfg, const char *section, const char *key, const char *value,
                   char *why, size_t why_size);

/*
 * Checks what needs the whole section: tls_cert and tls_key set together, wait_long_minutes
 * above wait_attention_minutes. A problem is
 * reported through report (may be NULL); cfg is not changed (web_open refuses a half TLS
 * pair rather than fall back to plain HTTP). Returns the number of errors. A missing
 * passphrase is no error here: web_open says why the page stays off.
 */
int web_config_check(const struct web_config *cfg, web_report_fn report, void *ctx);

#endif
