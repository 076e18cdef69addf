/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment_config: the [experiment] section of oase.conf, a randomised room. It names two or
 * more conditions (a light scene, a sound source, or both), the unit, a seed and a date range;
 * experiment_alloc turns them into a plan. Only parses and checks: the kiosk applies the plan
 * (app), the store records it, oase-report analyses it. Never touches hardware or the clock.
 *
 *   [experiment]
 *   name = licht-2027            ; tags the store and the export
 *   conditions = warm, koel      ; 2..6 names; the first is the reference
 *   warm.scene = welcome         ; a [scene.*] name (or a default scene)
 *   warm.sound = sea             ; off (or silence), sea, rain, forest, music
 *   koel.scene = quiet
 *   unit = day                   ; the only unit: answers are stored per day
 *   seed = 20270104
 *   start = 2027-01-04
 *   end = 2027-02-26
 */
#ifndef OASE_EXPERIMENT_CONFIG_H
#define OASE_EXPERIMENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "experiment/experiment_alloc.h"
#include "lights/lights_config.h"

#define EXPERIMENT_NAME_MAX 32 /* condition and experiment names, [a-z0-9_-], with the NUL */
#define EXPERIMENT_SOUND_UNCHANGED (-1)

struct experiment_condition {
    char name[EXPERIMENT_NAME_MAX];
    char scene[EXPERIMENT_NAME_MAX]; /* "": the light schedule's scene */
    int sound;                       /* an enum audio_source, or EXPERIMENT_SOUND_UNCHANGED */
};

struct experiment_config {
    bool declared; /* the section was in the file */
    char name[EXPERIMENT_NAME_MAX];
    struct experiment_condition conditions[EXPERIMENT_CONDITIONS_MAX];
    int condition_count;
    uint64_t seed;
    bool seed_set;
    int32_t first_day, last_day; /* days since 1970-01-01; 0 = not set */
};

/* Nothing declared: no experiment runs. */
void experiment_config_defaults(struct experiment_config *config);

/*
 * One key of [experiment]. Returns 0 for another section, 1 when set, -1 with why (what is
 * accepted, and why) when refused; the config is then unchanged. unit = half_day is refused:
 * answers reach the disk as per-day cells only (docs/privacy.md), so a half day would have no
 * answers of its own.
 */
int experiment_config_set(struct experiment_config *config, const char *section, const char *key,
                          const char *value, char *why, size_t why_size);

/*
 * Whole-section checks: at least 2 conditions, each with a scene or a sound; a seed; start and
 * end with end >= start and at most EXPERIMENT_DAYS_MAX days; every scene one of lights (may be
 * NULL: not checked). Each problem goes to report; returns the number of errors, and an experiment
 * with errors is switched off (declared = false).
 */
int experiment_config_check(struct experiment_config *config, const struct lights_config *lights,
                            void (*report)(void *ctx, const char *message), void *ctx);

/* The index of a condition by name, or -1. */
int experiment_condition_index(const struct experiment_config *config, const char *name);

#endif
