/*
 * research_config: the [research] section of oase.conf, which switches on the researchers'
 * download over HTTP (GET /research/export, served by the host page's server; docs/research.md).
 * Owns the syntax and the accepted range of every [research] value; never opens a socket,
 * computes a hash or touches the log. The config module (core/config.c) hands it each key of
 * [research] and prefixes its messages with file:line and research.key = value.
 *
 * The config holds only a salted hash of the researcher's token (the same stored form as the
 * host passphrase, web/web_hash.h; `oase-passphrase --new-token` prints a fresh token and
 * its line). Without one the download is off: its route answers 404. The site name of the
 * download is [kiosk] site, the one the store writes into the database's meta table.
 */
#ifndef OASE_RESEARCH_CONFIG_H
#define OASE_RESEARCH_CONFIG_H

#include <stddef.h>

#include "web/web_hash.h"

#define RESEARCH_CONFIG_K_MAX 1000

struct research_config {
    char token_hash[WEB_HASH_TEXT_MAX]; /* "" = no researcher token: the download is off */
    int k; /* 5 (RESEARCH_K_DEFAULT), accepted RESEARCH_K_MIN..RESEARCH_CONFIG_K_MAX */
};

/* Receives one message line (same shape as core/config.h's config_report_fn). */
typedef void (*research_report_fn)(void *ctx, const char *message);

/* Fills cfg with the documented defaults: no token (download off), k 5. */
void research_config_defaults(struct research_config *cfg);

/*
 * Applies one key of an INI section. Returns 1 when the section is [research] and the value
 * was valid and stored; 0 when the section is not [research] (cfg untouched); -1 when the key
 * is unknown or the value invalid: cfg is unchanged and why holds what is accepted, without
 * file, line or value. key and value may be NULL (inih's new-section call): the section is
 * then only registered.
 */
int research_config_set(struct research_config *cfg, const char *section, const char *key,
                        const char *value, char *why, size_t why_size);

#endif
