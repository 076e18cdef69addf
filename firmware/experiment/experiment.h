/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment: a randomised room at run time. Holds the plan drawn from [experiment] at start,
 * and on each tick of an open day of the plan puts the day's condition in force (the light
 * scene stands in for the schedule's, the sound source plays), records the day once in the
 * store, and counts a host's change of scene or sound as an override (the host may always
 * override, for safety; the override lasts as any override does). Outside opening hours and
 * outside the plan the room follows its schedule. Main-loop thread only; never blocks.
 *
 * Flow: main loop -> experiment_tick -> lights / audio / store; the host page reads
 * experiment_status through web_set_experiment.
 */
#ifndef OASE_EXPERIMENT_H
#define OASE_EXPERIMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "audio/audio.h"
#include "core/clock.h"
#include "experiment/experiment_config.h"
#include "lights/lights.h"
#include "store/store.h"

/* What the host page shows. */
struct experiment_status {
    bool declared;                       /* an [experiment] is configured */
    bool running;                        /* today is a day of the plan (open or not yet) */
    bool applied;                        /* its condition is in force now (opening hours) */
    char name[EXPERIMENT_NAME_MAX];      /* experiment.name */
    char condition[EXPERIMENT_NAME_MAX]; /* today's condition; "" when not running */
    int day_index;                       /* 1 .. days: today's place in the plan; 0 = none */
    int days;                            /* days in the plan (open days of the range) */
    int overrides_today;                 /* host changes counted today (this run) */
};

struct experiment {
    struct experiment_config config;
    struct experiment_day plan[EXPERIMENT_DAYS_MAX];
    int plan_count;
    char config_hash[STORE_CONFIG_HASH_SIZE];
    int default_sound; /* [audio] source: what plays again after an experiment day */
    int32_t day;       /* the day of the last tick; INT32_MIN before the first */
    int index;         /* today's entry in plan; -1 = none */
    bool applied;      /* the condition is in force */
    int overrides_today;
    bool seen_override; /* the light override seen at the last tick */
    char seen_scene[LIGHTS_NAME_MAX];
    char seen_source[AUDIO_SOURCE_NAME_MAX];
};

/*
 * Draws the plan of config (copied) over the open days of hours. config not declared: an
 * experiment that never runs. Returns 0, or -EINVAL when the range cannot be planned (the
 * experiment is then off and the reason is logged).
 */
int experiment_init(struct experiment *experiment, const struct experiment_config *config,
                    const struct hours *hours, const char *config_hash, int default_sound);

/*
 * At kiosk time now_ms (local calendar local), office open or not: applies, records and
 * counts as described above. lights, audio and store may each be NULL (then skipped).
 */
void experiment_tick(struct experiment *experiment, const struct oase_localtime *local, bool open,
                     struct lights *lights, struct audio *audio, struct store *store,
                     int64_t now_ms);

void experiment_status(const struct experiment *experiment, struct experiment_status *out);

#endif
