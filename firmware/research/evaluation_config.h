/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * evaluation_config: the [evaluation] section of oase.conf, the design declared
 * before data come in: the primary outcome, the design, alpha and the control sites. The
 * kiosk only checks it (its bytes are part of the config hash the store keeps per phase);
 * oase-report --config reads it and analyses as declared.
 *
 *   [evaluation]
 *   primary = stress_arrival        ; stress_departure, wait_minutes, incidents_per_100,
 *                                   ; stress_arrival_high, stress_departure_high
 *   design = interrupted_time_series ; before_after, controlled, randomised
 *   alpha = 0.05                    ; 0.001 .. 0.2
 *   control_sites = noord, west     ; sites that did not change (controlled design)
 */
#ifndef OASE_EVALUATION_CONFIG_H
#define OASE_EVALUATION_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "research/research_kanon.h" /* RESEARCH_STRESS_CUT: the cut of the *_high outcomes */

#define EVALUATION_TEXT_OF(x) #x
#define EVALUATION_NUMBER_TEXT(x) EVALUATION_TEXT_OF(x)
/* The cut as text, for words that follow the constant ("5 or higher"). */
#define EVALUATION_STRESS_CUT_TEXT EVALUATION_NUMBER_TEXT(RESEARCH_STRESS_CUT)

#define EVALUATION_CONTROL_MAX 8
#define EVALUATION_NAME_MAX 64

enum evaluation_outcome {
    EVALUATION_STRESS_ARRIVAL,
    EVALUATION_STRESS_DEPARTURE,
    EVALUATION_WAIT_MINUTES,
    EVALUATION_INCIDENTS,
    /* the share (%) of stress answers RESEARCH_STRESS_CUT or higher: exact per day where the
       export never merges answers across the cut (docs/research.md "A randomised room") */
    EVALUATION_STRESS_ARRIVAL_HIGH,
    EVALUATION_STRESS_DEPARTURE_HIGH,
    EVALUATION_OUTCOMES
};

enum evaluation_design {
    EVALUATION_ITS,          /* interrupted time series: segmented regression on weekly means */
    EVALUATION_BEFORE_AFTER, /* two phases compared on day means (weak: no control for trend) */
    EVALUATION_CONTROLLED,   /* difference in differences against control sites */
    EVALUATION_RANDOMISED,   /* a randomised room ([experiment]): randomisation inference by day */
    EVALUATION_DESIGNS
};

struct evaluation_config {
    bool declared; /* the section was in the file */
    enum evaluation_outcome primary;
    enum evaluation_design design;
    double alpha;
    char control_sites[EVALUATION_CONTROL_MAX][EVALUATION_NAME_MAX];
    int control_count;
};

/* primary stress_arrival, design interrupted_time_series, alpha 0.05, no control sites. */
void evaluation_config_defaults(struct evaluation_config *config);

/*
 * One key of [evaluation]. Returns 0 for another section, 1 when set, -1 with why ("unknown
 * key ..." or what is accepted) when refused; the value is then unchanged.
 */
int evaluation_config_set(struct evaluation_config *config, const char *section, const char *key,
                          const char *value, char *why, size_t why_size);

/* Whole-section checks (controlled without control sites). Returns the number of errors. */
int evaluation_config_check(const struct evaluation_config *config,
                            void (*report)(void *ctx, const char *message), void *ctx);

/* "stress_arrival" ..., "interrupted_time_series" ... */
const char *evaluation_outcome_name(enum evaluation_outcome outcome);
const char *evaluation_design_name(enum evaluation_design design);

/* Is site one of the declared control sites? */
bool evaluation_is_control(const struct evaluation_config *config, const char *site);

#endif
