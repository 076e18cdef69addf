/*
 * research_config: see research_config.h. Config file -> core/config.c -> here, key by key;
 * the web module later reads the finished struct for GET /research/export.
 */
#include "research/research_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_kanon.h"

void research_config_defaults(struct research_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->k = RESEARCH_K_DEFAULT;
}

static int research_config_key(struct research_config *cfg, const char *key, const char *value,
                               char *why, size_t why_size)
{
    if (strcmp(key, "token_hash") == 0) {
        struct web_hash hash;
        if (web_hash_parse(value, &hash, why, why_size) != 0) {
            return -1;
        }
        snprintf(cfg->token_hash, sizeof cfg->token_hash, "%s", value);
        return 1;
    }
    if (strcmp(key, "k") == 0) {
        char *end = NULL;
        errno = 0;
        long k = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || value[0] == '+' || value[0] == ' ' ||
            k < RESEARCH_K_MIN || k > RESEARCH_CONFIG_K_MAX) {
            snprintf(why, why_size,
                     "accepted: %d..%d (the smallest published count; below %d a group could "
                     "identify a visitor)",
                     RESEARCH_K_MIN, RESEARCH_CONFIG_K_MAX, RESEARCH_K_MIN);
            return -1;
        }
        cfg->k = (int)k;
        return 1;
    }
    snprintf(why, why_size,
             "unknown key; [research] accepts token_hash, k (the site name is "
             "[kiosk] site)");
    return -1;
}

int research_config_set(struct research_config *cfg, const char *section, const char *key,
                        const char *value, char *why, size_t why_size)
{
    char scratch[8];
    if (why == NULL || why_size == 0) {
        why = scratch;
        why_size = sizeof scratch;
    }
    why[0] = '\0';
    if (section == NULL || strcmp(section, "research") != 0) {
        return 0;
    }
    if (key == NULL || value == NULL) {
        return 1;
    }
    return research_config_key(cfg, key, value, why, why_size);
}
