/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment_config: see experiment_config.h. Config file -> core/config.c -> here, key by
 * key; config_finish runs experiment_config_check once the whole file is read.
 */
#include "experiment/experiment_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio_config.h"

void experiment_config_defaults(struct experiment_config *config)
{
    memset(config, 0, sizeof *config);
}

int experiment_condition_index(const struct experiment_config *config, const char *name)
{
    for (int i = 0; i < config->condition_count; i++) {
        if (strcmp(config->conditions[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static bool experiment_name_ok(const char *text, size_t length)
{
    if (length == 0 || length >= EXPERIMENT_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

/* "a, b c" -> conditions (names only). Returns false for a bad, repeated or extra name. */
static bool experiment_parse_conditions(const char *value, struct experiment_config *out)
{
    int count = 0;
    const char *c = value;
    while (*c != '\0') {
        c += strspn(c, " ,\t");
        size_t length = strcspn(c, ", \t");
        if (length == 0) {
            continue;
        }
        if (!experiment_name_ok(c, length) || count == EXPERIMENT_CONDITIONS_MAX) {
            return false;
        }
        struct experiment_condition *condition = &out->conditions[count];
        memset(condition, 0, sizeof *condition);
        snprintf(condition->name, sizeof condition->name, "%.*s", (int)length, c);
        condition->sound = EXPERIMENT_SOUND_UNCHANGED;
        for (int i = 0; i < count; i++) {
            if (strcmp(out->conditions[i].name, condition->name) == 0) {
                return false;
            }
        }
        count++;
        c += length;
    }
    out->condition_count = count;
    return count >= 2;
}

static int experiment_refuse(char *why, size_t why_size, const char *text)
{
    snprintf(why, why_size, "%s", text);
    return -1;
}

/* condition.scene / condition.sound */
static int experiment_set_condition(struct experiment_config *config, const char *key,
                                    const char *value, char *why, size_t why_size)
{
    const char *dot = strrchr(key, '.');
    char name[EXPERIMENT_NAME_MAX];
    if (dot == NULL || (size_t)(dot - key) >= sizeof name) {
        snprintf(why, why_size,
                 "unknown key %s; accepted: name, conditions, unit, seed, start, end, "
                 "CONDITION.scene, CONDITION.sound",
                 key);
        return -1;
    }
    snprintf(name, sizeof name, "%.*s", (int)(dot - key), key);
    int index = experiment_condition_index(config, name);
    if (index < 0) {
        snprintf(why, why_size,
                 "%s is not one of experiment.conditions: list the conditions first "
                 "(conditions = a, b), then a.scene, a.sound ...",
                 name);
        return -1;
    }
    struct experiment_condition *condition = &config->conditions[index];
    if (strcmp(dot + 1, "scene") == 0) {
        if (!experiment_name_ok(value, strlen(value))) {
            return experiment_refuse(why, why_size,
                                     "accepted: a scene name ([scene.NAME], [a-z0-9_-], "
                                     "under 32 bytes)");
        }
        snprintf(condition->scene, sizeof condition->scene, "%s", value);
        return 1;
    }
    if (strcmp(dot + 1, "sound") == 0) {
        int source = strcmp(value, "silence") == 0 ? 0 : audio_source_from_name(value);
        if (source < 0) {
            return experiment_refuse(why, why_size,
                                     "accepted: off (or silence), sea, rain, forest or music");
        }
        condition->sound = source;
        return 1;
    }
    snprintf(why, why_size, "unknown key %s; accepted: %s.scene, %s.sound", key, name, name);
    return -1;
}

int experiment_config_set(struct experiment_config *config, const char *section, const char *key,
                          const char *value, char *why, size_t why_size)
{
    char scratch[8];
    if (why == NULL || why_size == 0) {
        why = scratch;
        why_size = sizeof scratch;
    }
    why[0] = '\0';
    if (section == NULL || strcmp(section, "experiment") != 0) {
        return 0;
    }
    config->declared = true;
    if (key == NULL || value == NULL) {
        return 1;
    }
    if (strcmp(key, "name") == 0) {
        if (!experiment_name_ok(value, strlen(value))) {
            return experiment_refuse(why, why_size, "accepted: 1..31 characters a-z, 0-9, _ and -");
        }
        snprintf(config->name, sizeof config->name, "%s", value);
        return 1;
    }
    if (strcmp(key, "conditions") == 0) {
        struct experiment_config parsed = *config;
        if (!experiment_parse_conditions(value, &parsed)) {
            snprintf(why, why_size,
                     "accepted: 2..%d different names (a-z, 0-9, _ and -, under %d bytes) "
                     "separated by commas; the first is the reference",
                     EXPERIMENT_CONDITIONS_MAX, EXPERIMENT_NAME_MAX);
            return -1;
        }
        *config = parsed;
        return 1;
    }
    if (strcmp(key, "unit") == 0) {
        if (strcmp(value, "day") == 0) {
            return 1;
        }
        if (strcmp(value, "half_day") == 0) {
            return experiment_refuse(
                why, why_size,
                "accepted: day. A half day cannot be the unit: answers are stored per day, in "
                "batches of k, so that no answer can be tied to a visit (docs/privacy.md); a "
                "half day would have no answers of its own");
        }
        return experiment_refuse(why, why_size, "accepted: day");
    }
    if (strcmp(key, "seed") == 0) {
        char *end = NULL;
        errno = 0;
        unsigned long long seed = strtoull(value, &end, 10);
        if (end == value || *end != '\0' || errno != 0 || value[0] == '-' || value[0] == '+') {
            return experiment_refuse(why, why_size,
                                     "accepted: a whole number 0..18446744073709551615 (choose "
                                     "it before the experiment starts, e.g. by a die)");
        }
        config->seed = seed;
        config->seed_set = true;
        return 1;
    }
    if (strcmp(key, "start") == 0 || strcmp(key, "end") == 0) {
        int32_t day = 0;
        if (experiment_day_parse(value, &day) != 0) {
            return experiment_refuse(why, why_size, "accepted: a date YYYY-MM-DD");
        }
        *(key[0] == 's' ? &config->first_day : &config->last_day) = day;
        return 1;
    }
    return experiment_set_condition(config, key, value, why, why_size);
}

__attribute__((format(printf, 3, 4))) static int
experiment_problem(void (*report)(void *ctx, const char *message), void *ctx, const char *fmt, ...);

static bool experiment_scene_exists(const struct lights_config *lights, const char *scene)
{
    for (int i = 0; lights != NULL && i < lights->scene_count; i++) {
        if (strcmp(lights->scenes[i].name, scene) == 0) {
            return true;
        }
    }
    return lights == NULL;
}

int experiment_config_check(struct experiment_config *config, const struct lights_config *lights,
                            void (*report)(void *ctx, const char *message), void *ctx)
{
    if (!config->declared) {
        return 0;
    }
    int errors = 0;
    if (config->condition_count < 2) {
        errors += experiment_problem(report, ctx,
                                     "[experiment] needs conditions = a, b (2..%d names): the "
                                     "experiment is off",
                                     EXPERIMENT_CONDITIONS_MAX);
    }
    for (int i = 0; i < config->condition_count; i++) {
        const struct experiment_condition *condition = &config->conditions[i];
        if (condition->scene[0] == '\0' && condition->sound == EXPERIMENT_SOUND_UNCHANGED) {
            errors += experiment_problem(report, ctx,
                                         "experiment condition %s sets nothing: give it "
                                         "%s.scene = SCENE and/or %s.sound = SOURCE",
                                         condition->name, condition->name, condition->name);
        } else if (condition->scene[0] != '\0' &&
                   !experiment_scene_exists(lights, condition->scene)) {
            errors += experiment_problem(report, ctx,
                                         "experiment.%s.scene = %s: no such scene: accepted: a "
                                         "[scene.NAME] of this file (or welcome, quiet, closed)",
                                         condition->name, condition->scene);
        }
    }
    if (!config->seed_set) {
        errors += experiment_problem(report, ctx,
                                     "[experiment] needs seed = N, chosen before it starts: the "
                                     "allocation is drawn from it");
    }
    if (config->first_day == 0 || config->last_day == 0) {
        errors += experiment_problem(report, ctx,
                                     "[experiment] needs start = YYYY-MM-DD and end = YYYY-MM-DD");
    } else if (config->last_day < config->first_day ||
               config->last_day - config->first_day + 1 > EXPERIMENT_DAYS_MAX) {
        errors += experiment_problem(report, ctx,
                                     "experiment.end must be on or after experiment.start and at "
                                     "most %d days later",
                                     EXPERIMENT_DAYS_MAX - 1);
    }
    if (config->name[0] == '\0') {
        snprintf(config->name, sizeof config->name, "experiment");
    }
    if (errors > 0) {
        config->declared = false;
    }
    return errors;
}

static int experiment_problem(void (*report)(void *ctx, const char *message), void *ctx,
                              const char *fmt, ...)
{
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    if (report != NULL) {
        report(ctx, text);
    }
    return 1;
}
