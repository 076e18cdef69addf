/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_config: see web_config.h. Config file -> config/config.c -> here, key by key;
 * web_open() later reads the finished struct.
 */
#include "web/web_config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ini_value.h"

void web_config_defaults(struct web_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port = WEB_CONFIG_PORT_DEFAULT;
    snprintf(cfg->bind_address, sizeof cfg->bind_address, "0.0.0.0");
    snprintf(cfg->language, sizeof cfg->language, "nl");
    cfg->stress_min_answers = WEB_CONFIG_K_DEFAULT;
    cfg->research_k = WEB_CONFIG_K_DEFAULT;
    cfg->wait_attention_minutes = WEB_CONFIG_WAIT_ATTENTION_DEFAULT;
    cfg->wait_long_minutes = WEB_CONFIG_WAIT_LONG_DEFAULT;
}

/* A host name as a Host header carries it: letters, digits, '-', '.'; 1..253 bytes. */
static bool web_config_host_name_ok(const char *name, size_t length)
{
    if (length == 0 || length > 253) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '.') {
            return false;
        }
    }
    return true;
}

/* "a.example, b.example" or "a b": every name valid. */
static bool web_config_hosts_ok(const char *value)
{
    const char *p = value;
    int names = 0;
    while (*p != '\0') {
        p += strspn(p, ", ");
        size_t length = strcspn(p, ", ");
        if (length == 0) {
            break;
        }
        if (!web_config_host_name_ok(p, length)) {
            return false;
        }
        names++;
        p += length;
    }
    return names > 0;
}

/* "https://name[:port]" or "http://name[:port]", no path. */
static bool web_config_origin_ok(const char *value)
{
    const char *rest = NULL;
    if (strncmp(value, "https://", 8) == 0) {
        rest = value + 8;
    } else if (strncmp(value, "http://", 7) == 0) {
        rest = value + 7;
    } else {
        return false;
    }
    size_t name = strcspn(rest, ":");
    if (!web_config_host_name_ok(rest, name)) {
        return false;
    }
    if (rest[name] == ':') {
        int port = 0;
        const char *digits = rest + name + 1;
        if (strspn(digits, "0123456789") != strlen(digits) || strlen(digits) == 0 ||
            strlen(digits) > 5 || (port = (int)strtol(digits, NULL, 10)) < 1 || port > 65535) {
            return false;
        }
    }
    return true;
}

/* Copies value into field when it fits and is not empty; false (field untouched) otherwise. */
static bool web_config_text(char *field, size_t size, const char *value)
{
    size_t length = strlen(value);
    if (length == 0 || length >= size) {
        return false;
    }
    memcpy(field, value, length + 1);
    return true;
}

static int web_config_key(struct web_config *cfg, const char *key, const char *value, char *why,
                          size_t why_size)
{
    if (strcmp(key, "port") == 0) {
        if (!ini_value_int(value, 0, 65535, &cfg->port)) {
            snprintf(why, why_size, "accepted: 0..65535 (0 = the host page is off)");
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "bind_address") == 0) {
        unsigned char address[sizeof(struct in6_addr)];
        if (strlen(value) >= sizeof cfg->bind_address ||
            (inet_pton(AF_INET, value, address) != 1 && inet_pton(AF_INET6, value, address) != 1)) {
            snprintf(why, why_size,
                     "accepted: an IPv4 or IPv6 address of this kiosk, e.g. 0.0.0.0 (every "
                     "interface), 127.0.0.1 (this machine only) or ::");
            return -1;
        }
        snprintf(cfg->bind_address, sizeof cfg->bind_address, "%s", value);
        return 1;
    }
    if (strcmp(key, "passphrase_hash") == 0) {
        struct web_hash hash;
        if (web_hash_parse(value, &hash, why, why_size) != 0) {
            return -1;
        }
        snprintf(cfg->passphrase_hash, sizeof cfg->passphrase_hash, "%s", value);
        return 1;
    }
    if (strcmp(key, "tls_cert") == 0 || strcmp(key, "tls_key") == 0) {
        char *field = key[4] == 'c' ? cfg->tls_cert : cfg->tls_key;
        if (!web_config_text(field, WEB_CONFIG_PATH_MAX, value)) {
            snprintf(why, why_size, "accepted: the path of a PEM file, 1..%d bytes",
                     WEB_CONFIG_PATH_MAX - 1);
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "language") == 0) {
        if (strcmp(value, "nl") != 0 && strcmp(value, "en") != 0) {
            snprintf(why, why_size, "accepted: nl or en");
            return -1;
        }
        snprintf(cfg->language, sizeof cfg->language, "%s", value);
        return 1;
    }
    if (strcmp(key, "stress_min_answers") == 0) {
        if (!ini_value_int(value, WEB_CONFIG_K_MIN, WEB_CONFIG_K_MAX, &cfg->stress_min_answers)) {
            snprintf(why, why_size, "accepted: %d..%d answers (k; never below %d)",
                     WEB_CONFIG_K_MIN, WEB_CONFIG_K_MAX, WEB_CONFIG_K_MIN);
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "allowed_hosts") == 0) {
        if (strlen(value) >= sizeof cfg->allowed_hosts || !web_config_hosts_ok(value)) {
            snprintf(why, why_size,
                     "accepted: host names separated by commas, e.g. oase.local, "
                     "balie.example.org (letters, digits, '-' and '.'; %d bytes in all)",
                     WEB_CONFIG_HOSTS_MAX - 1);
            return -1;
        }
        snprintf(cfg->allowed_hosts, sizeof cfg->allowed_hosts, "%s", value);
        return 1;
    }
    if (strcmp(key, "public_origin") == 0) {
        if (strlen(value) >= sizeof cfg->public_origin || !web_config_origin_ok(value)) {
            snprintf(why, why_size,
                     "accepted: the address browsers use through the proxy, scheme and name "
                     "(and port), no path, e.g. https://oase.example.org");
            return -1;
        }
        snprintf(cfg->public_origin, sizeof cfg->public_origin, "%s", value);
        return 1;
    }
    if (strcmp(key, "trusted_proxy") == 0) {
        unsigned char address[sizeof(struct in6_addr)];
        if (strlen(value) >= sizeof cfg->trusted_proxy ||
            (inet_pton(AF_INET, value, address) != 1 && inet_pton(AF_INET6, value, address) != 1)) {
            snprintf(why, why_size,
                     "accepted: the IPv4 or IPv6 address the reverse proxy connects from, e.g. "
                     "127.0.0.1");
            return -1;
        }
        snprintf(cfg->trusted_proxy, sizeof cfg->trusted_proxy, "%s", value);
        return 1;
    }
    if (strcmp(key, "wait_attention_minutes") == 0 || strcmp(key, "wait_long_minutes") == 0) {
        bool attention = key[5] == 'a';
        if (!ini_value_int(value, attention ? 1 : 2, 600,
                           attention ? &cfg->wait_attention_minutes : &cfg->wait_long_minutes)) {
            snprintf(why, why_size, "accepted: %d..600 minutes", attention ? 1 : 2);
            return -1;
        }
        return 1;
    }
    snprintf(why, why_size,
             "unknown key; [web] accepts port, bind_address, passphrase_hash, tls_cert, "
             "tls_key, language, stress_min_answers, allowed_hosts, public_origin, "
             "trusted_proxy, wait_attention_minutes, wait_long_minutes");
    return -1;
}

/* A site name: 1..63 bytes of letters, digits, space, '.', '_' and '-'. */
static bool web_config_site_ok(const char *value)
{
    size_t length = strlen(value);
    if (length == 0 || length >= WEB_CONFIG_SITE_MAX) {
        return false;
    }
    for (const char *p = value; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p) && strchr(" ._-", *p) == NULL) {
            return false;
        }
    }
    return true;
}

static int web_config_research_key(struct web_config *cfg, const char *key, const char *value,
                                   char *why, size_t why_size)
{
    if (strcmp(key, "token_hash") == 0) {
        struct web_token_hash hash;
        if (web_token_hash_parse(value, &hash, why, why_size) != 0) {
            return -1;
        }
        snprintf(cfg->research_token_hash, sizeof cfg->research_token_hash, "%s", value);
        return 1;
    }
    if (strcmp(key, "k") == 0) {
        if (!ini_value_int(value, WEB_CONFIG_K_MIN, WEB_CONFIG_K_MAX, &cfg->research_k)) {
            snprintf(why, why_size, "accepted: %d..%d (k; never below %d)", WEB_CONFIG_K_MIN,
                     WEB_CONFIG_K_MAX, WEB_CONFIG_K_MIN);
            return -1;
        }
        return 1;
    }
    if (strcmp(key, "site") == 0) {
        if (!web_config_site_ok(value)) {
            snprintf(why, why_size,
                     "accepted: 1..%d letters, digits, spaces, '.', '_' or '-', e.g. zuid",
                     WEB_CONFIG_SITE_MAX - 1);
            return -1;
        }
        snprintf(cfg->site, sizeof cfg->site, "%s", value);
        return 1;
    }
    snprintf(why, why_size, "unknown key; [research] accepts token_hash, k, site");
    return -1;
}

int web_config_set(struct web_config *cfg, const char *section, const char *key, const char *value,
                   char *why, size_t why_size)
{
    char scratch[8];
    if (why == NULL || why_size == 0) {
        why = scratch;
        why_size = sizeof scratch;
    }
    why[0] = '\0';
    bool research = section != NULL && strcmp(section, "research") == 0;
    if (section == NULL || (strcmp(section, "web") != 0 && !research)) {
        return 0;
    }
    if (key == NULL || value == NULL) {
        return 1;
    }
    return research ? web_config_research_key(cfg, key, value, why, why_size)
                    : web_config_key(cfg, key, value, why, why_size);
}

int web_config_check(const struct web_config *cfg, web_report_fn report, void *ctx)
{
    char message[200];
    int errors = 0;
    bool cert = cfg->tls_cert[0] != '\0';
    bool key = cfg->tls_key[0] != '\0';
    if (cert != key) {
        errors++;
        snprintf(message, sizeof message,
                 "web.%s is set without web.%s: set both for HTTPS, or neither for plain HTTP "
                 "(the host page stays off until then)",
                 cert ? "tls_cert" : "tls_key", cert ? "tls_key" : "tls_cert");
        if (report != NULL) {
            report(ctx, message);
        }
    }
    if (cfg->wait_long_minutes <= cfg->wait_attention_minutes) {
        errors++;
        snprintf(message, sizeof message,
                 "web.wait_long_minutes = %d is not above web.wait_attention_minutes = %d: "
                 "the page marks long waits first, very long ones later",
                 cfg->wait_long_minutes, cfg->wait_attention_minutes);
        if (report != NULL) {
            report(ctx, message);
        }
    }
    return errors;
}
