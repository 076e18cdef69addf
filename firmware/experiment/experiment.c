/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment: see experiment.h.
 */
#include "experiment/experiment.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

int experiment_init(struct experiment *experiment, const struct experiment_config *config,
                    const struct hours *hours, const char *config_hash, int default_sound)
{
    memset(experiment, 0, sizeof *experiment);
    experiment->config = *config;
    experiment->day = INT32_MIN;
    experiment->index = -1;
    experiment->default_sound = default_sound;
    snprintf(experiment->config_hash, sizeof experiment->config_hash, "%s",
             config_hash != NULL ? config_hash : "");
    if (!config->declared) {
        return 0;
    }
    int32_t days[EXPERIMENT_DAYS_MAX];
    int count =
        experiment_open_days(hours, config->first_day, config->last_day, days, EXPERIMENT_DAYS_MAX);
    if (count < 0 || experiment_alloc_plan(config->seed, config->condition_count, days,
                                           (size_t)count, experiment->plan) != 0) {
        log_msg(LOG_WARN, "experiment %s: its date range cannot be planned: it does not run",
                config->name);
        experiment->config.declared = false;
        return -EINVAL;
    }
    experiment->plan_count = count;
    char first[11], last[11];
    experiment_day_format(config->first_day, first);
    experiment_day_format(config->last_day, last);
    log_msg(LOG_INFO, "experiment %s: %d conditions on %d open days from %s to %s (seed %llu)",
            config->name, config->condition_count, count, first, last,
            (unsigned long long)config->seed);
    return 0;
}

static const struct experiment_condition *experiment_today(const struct experiment *experiment)
{
    return experiment->index >= 0
               ? &experiment->config.conditions[experiment->plan[experiment->index].condition]
               : NULL;
}

/* Puts the day's condition in force and records the day (once; the store keeps the first). */
static void experiment_apply(struct experiment *experiment, const struct oase_localtime *local,
                             struct lights *lights, struct audio *audio, struct store *store,
                             int64_t now_ms)
{
    const struct experiment_condition *condition = experiment_today(experiment);
    const struct experiment_day *plan = &experiment->plan[experiment->index];
    if (lights != NULL && condition->scene[0] != '\0' &&
        lights_set_condition_scene(lights, condition->scene, now_ms) != 0) {
        log_msg(LOG_WARN, "experiment %s: scene %s of condition %s is missing",
                experiment->config.name, condition->scene, condition->name);
    }
    if (audio != NULL && condition->sound != EXPERIMENT_SOUND_UNCHANGED &&
        audio_set_source(audio, audio_source_name((enum audio_source)condition->sound)) != 0) {
        log_msg(LOG_WARN, "experiment %s: sound %s of condition %s cannot play",
                experiment->config.name, audio_source_name((enum audio_source)condition->sound),
                condition->name);
    }
    experiment->applied = true;
    struct lights_status light = {0};
    if (lights != NULL) {
        lights_status(lights, &light);
    }
    experiment->seen_override = light.override_active;
    snprintf(experiment->seen_scene, sizeof experiment->seen_scene, "%s", light.scene);
    struct audio_status sound = {0};
    if (audio != NULL) {
        audio_status(audio, &sound);
    }
    snprintf(experiment->seen_source, sizeof experiment->seen_source, "%s", sound.requested);
    struct store_experiment_day row = {.block = plan->block, .slot = plan->slot};
    snprintf(row.day, sizeof row.day, "%s", local->date);
    snprintf(row.experiment, sizeof row.experiment, "%s", experiment->config.name);
    snprintf(row.condition, sizeof row.condition, "%s", condition->name);
    snprintf(row.config_hash, sizeof row.config_hash, "%s", experiment->config_hash);
    snprintf(row.seed, sizeof row.seed, "%llu", (unsigned long long)experiment->config.seed);
    if (store != NULL && store_experiment_day(store, &row) < 0) {
        log_msg(LOG_WARN, "experiment %s: the day %s could not be recorded",
                experiment->config.name, local->date);
    }
    log_msg(LOG_INFO, "experiment %s: day %d of %d (%s), condition %s", experiment->config.name,
            experiment->index + 1, experiment->plan_count, local->date, condition->name);
}

/* Back to the schedule and the configured sound (closing time, or the day left the plan). */
static void experiment_release(struct experiment *experiment, struct lights *lights,
                               struct audio *audio, const struct experiment_condition *condition,
                               int64_t now_ms)
{
    if (lights != NULL) {
        lights_set_condition_scene(lights, NULL, now_ms);
    }
    if (audio != NULL && condition != NULL && condition->sound != EXPERIMENT_SOUND_UNCHANGED) {
        audio_set_source(audio, audio_source_name((enum audio_source)experiment->default_sound));
    }
    experiment->applied = false;
}

/* A host's change of scene or sound since the last tick counts as one override. */
static void experiment_watch(struct experiment *experiment, const struct oase_localtime *local,
                             struct lights *lights, struct audio *audio, struct store *store)
{
    const struct experiment_condition *condition = experiment_today(experiment);
    bool changed = false;
    if (lights != NULL) {
        struct lights_status light;
        lights_status(lights, &light);
        if (light.override_active &&
            (!experiment->seen_override || strcmp(light.scene, experiment->seen_scene) != 0)) {
            changed = true;
        }
        experiment->seen_override = light.override_active;
        snprintf(experiment->seen_scene, sizeof experiment->seen_scene, "%s", light.scene);
    }
    if (audio != NULL && condition->sound != EXPERIMENT_SOUND_UNCHANGED) {
        struct audio_status sound;
        audio_status(audio, &sound);
        if (strcmp(sound.requested, experiment->seen_source) != 0) {
            changed =
                changed || strcmp(sound.requested,
                                  audio_source_name((enum audio_source)condition->sound)) != 0;
            snprintf(experiment->seen_source, sizeof experiment->seen_source, "%s",
                     sound.requested);
        }
    }
    if (changed) {
        experiment->overrides_today++;
        log_msg(LOG_INFO, "experiment %s: a host changed the room during condition %s (%d today)",
                experiment->config.name, condition->name, experiment->overrides_today);
        if (store != NULL) {
            store_experiment_override(store, local->date);
        }
    }
}

void experiment_tick(struct experiment *experiment, const struct oase_localtime *local, bool open,
                     struct lights *lights, struct audio *audio, struct store *store,
                     int64_t now_ms)
{
    if (!experiment->config.declared) {
        return;
    }
    int32_t day = 0;
    if (experiment_day_parse(local->date, &day) != 0) {
        return;
    }
    if (day != experiment->day) {
        const struct experiment_condition *before = experiment_today(experiment);
        int index = -1;
        for (int i = 0; i < experiment->plan_count; i++) {
            index = experiment->plan[i].day == day ? i : index;
        }
        if (experiment->applied) {
            experiment_release(experiment, lights, audio, before, now_ms);
        }
        experiment->day = day;
        experiment->index = index;
        experiment->overrides_today = 0;
    }
    if (experiment->index < 0) {
        return;
    }
    if (!open) {
        if (experiment->applied) {
            experiment_release(experiment, lights, audio, experiment_today(experiment), now_ms);
        }
        return;
    }
    if (!experiment->applied) {
        experiment_apply(experiment, local, lights, audio, store, now_ms);
        return;
    }
    experiment_watch(experiment, local, lights, audio, store);
}

void experiment_status(const struct experiment *experiment, struct experiment_status *out)
{
    memset(out, 0, sizeof *out);
    out->declared = experiment->config.declared;
    if (!out->declared) {
        return;
    }
    snprintf(out->name, sizeof out->name, "%s", experiment->config.name);
    out->days = experiment->plan_count;
    out->running = experiment->index >= 0;
    out->applied = experiment->applied;
    if (out->running) {
        snprintf(out->condition, sizeof out->condition, "%s", experiment_today(experiment)->name);
        out->day_index = experiment->index + 1;
    }
    out->overrides_today = experiment->overrides_today;
}
