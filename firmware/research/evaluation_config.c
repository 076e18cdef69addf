/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * evaluation_config: see evaluation_config.h.
 */
#include "research/evaluation_config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ini_value.h"

static const char *const evaluation_outcomes[EVALUATION_OUTCOMES] = {
    "stress_arrival",    "stress_departure",    "wait_minutes",
    "incidents_per_100", "stress_arrival_high", "stress_departure_high"};
static const char *const evaluation_designs[EVALUATION_DESIGNS] = {
    "interrupted_time_series", "before_after", "controlled", "randomised"};

const char *evaluation_outcome_name(enum evaluation_outcome outcome)
{
    return outcome < EVALUATION_OUTCOMES ? evaluation_outcomes[outcome] : "";
}

const char *evaluation_design_name(enum evaluation_design design)
{
    return design < EVALUATION_DESIGNS ? evaluation_designs[design] : "";
}

void evaluation_config_defaults(struct evaluation_config *config)
{
    memset(config, 0, sizeof *config);
    config->primary = EVALUATION_STRESS_ARRIVAL;
    config->design = EVALUATION_ITS;
    config->alpha = 0.05;
}

bool evaluation_is_control(const struct evaluation_config *config, const char *site)
{
    for (int i = 0; config != NULL && i < config->control_count; i++) {
        if (strcmp(config->control_sites[i], site) == 0) {
            return true;
        }
    }
    return false;
}

static int evaluation_refuse(char *why, size_t why_size, const char *text)
{
    snprintf(why, why_size, "%s", text);
    return -1;
}

/* "a, b c" into names; false when a name is too long, repeated, or there are too many. */
static bool evaluation_parse_sites(const char *value, struct evaluation_config *out)
{
    int count = 0;
    const char *c = value;
    while (*c != '\0') {
        c += strspn(c, " ,\t");
        size_t length = strcspn(c, ",");
        while (length > 0 && (c[length - 1] == ' ' || c[length - 1] == '\t')) {
            length--;
        }
        if (length == 0) {
            c += strcspn(c, ",");
            continue;
        }
        if (length >= EVALUATION_NAME_MAX || count == EVALUATION_CONTROL_MAX) {
            return false;
        }
        snprintf(out->control_sites[count], EVALUATION_NAME_MAX, "%.*s", (int)length, c);
        for (int i = 0; i < count; i++) {
            if (strcmp(out->control_sites[i], out->control_sites[count]) == 0) {
                return false;
            }
        }
        count++;
        c += strcspn(c, ",");
    }
    out->control_count = count;
    return count > 0;
}

int evaluation_config_set(struct evaluation_config *config, const char *section, const char *key,
                          const char *value, char *why, size_t why_size)
{
    char scratch[8];
    if (why == NULL || why_size == 0) {
        why = scratch;
        why_size = sizeof scratch;
    }
    why[0] = '\0';
    if (section == NULL || strcmp(section, "evaluation") != 0) {
        return 0;
    }
    if (key == NULL || value == NULL) {
        config->declared = true;
        return 1;
    }
    config->declared = true;
    if (strcmp(key, "primary") == 0) {
        for (int i = 0; i < EVALUATION_OUTCOMES; i++) {
            if (strcmp(value, evaluation_outcomes[i]) == 0) {
                config->primary = (enum evaluation_outcome)i;
                return 1;
            }
        }
        return evaluation_refuse(why, why_size,
                                 "accepted: stress_arrival, stress_departure, wait_minutes, "
                                 "incidents_per_100, stress_arrival_high or "
                                 "stress_departure_high (the one outcome the verdict is about; "
                                 "*_high: the share of answers " EVALUATION_STRESS_CUT_TEXT
                                 " or higher)");
    }
    if (strcmp(key, "design") == 0) {
        for (int i = 0; i < EVALUATION_DESIGNS; i++) {
            if (strcmp(value, evaluation_designs[i]) == 0) {
                config->design = (enum evaluation_design)i;
                return 1;
            }
        }
        return evaluation_refuse(why, why_size,
                                 "accepted: interrupted_time_series (weekly means, at least 3 "
                                 "weeks a side), controlled (with control_sites), randomised "
                                 "(with an [experiment]) or before_after");
    }
    if (strcmp(key, "alpha") == 0) {
        double alpha = 0;
        if (!ini_value_double(value, 0.001, 0.2, &alpha)) {
            return evaluation_refuse(why, why_size,
                                     "accepted: a number from 0.001 to 0.2 (0.05 is usual)");
        }
        config->alpha = alpha;
        return 1;
    }
    if (strcmp(key, "control_sites") == 0) {
        struct evaluation_config parsed = *config;
        if (!evaluation_parse_sites(value, &parsed)) {
            snprintf(why, why_size,
                     "accepted: 1..%d different site names (as in [kiosk] site), each under %d "
                     "bytes, separated by commas",
                     EVALUATION_CONTROL_MAX, EVALUATION_NAME_MAX);
            return -1;
        }
        *config = parsed;
        return 1;
    }
    snprintf(why, why_size, "unknown key %s", key);
    return -1;
}

int evaluation_config_check(const struct evaluation_config *config,
                            void (*report)(void *ctx, const char *message), void *ctx)
{
    if (config->design == EVALUATION_CONTROLLED && config->control_count == 0) {
        if (report != NULL) {
            report(ctx, "evaluation.design = controlled needs evaluation.control_sites: the "
                        "sites that did not change (at least 2 per arm is advised)");
        }
        return 1;
    }
    return 0;
}
