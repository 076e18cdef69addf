/* SPDX-License-Identifier: EUPL-1.2 */
/* lights_drivers: the driver table (lights_drivers.h). */
#include "lights/lights_drivers.h"

#include <stdio.h>
#include <string.h>

#include "lights/lights_driver.h"

static struct lights_driver *open_pwm(const struct lights_channel_config *channel,
                                      struct lights_open_env *env, char *why, size_t why_size)
{
    bool realtime = false;
    struct lights_driver *driver =
        lights_pwm_open(channel, channel->pwm_hz ? channel->pwm_hz : env->pwm_hz, env->pwm_realtime,
                        &realtime, why, why_size);
    if (driver != NULL && env->pwm_realtime && !realtime) {
        env->realtime_refused = true;
    }
    return driver;
}

static struct lights_driver *open_digipot(const struct lights_channel_config *channel,
                                          struct lights_open_env *env, char *why, size_t why_size)
{
    (void)env;
    return lights_digipot_open(channel, why, why_size);
}

static struct lights_driver *open_relay(const struct lights_channel_config *channel,
                                        struct lights_open_env *env, char *why, size_t why_size)
{
    (void)env;
    return lights_relay_open(channel, why, why_size);
}

/* The first row is the default of a channel that names no driver. */
static const struct lights_driver_info drivers[] = {
    {"sim", {NULL}, NULL},
    {"gpio-pwm", {"line"}, open_pwm},
    {"gpio-digipot", {"cs", "inc", "ud"}, open_digipot},
    {"gpio-relay", {"line"}, open_relay},
};

const struct lights_driver_info *lights_driver_default(void)
{
    return &drivers[0];
}

const struct lights_driver_info *lights_driver_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof drivers / sizeof drivers[0]; i++) {
        if (strcmp(drivers[i].name, name) == 0) {
            return &drivers[i];
        }
    }
    return NULL;
}

const char *lights_driver_name(const struct lights_driver_info *driver)
{
    return driver != NULL ? driver->name : drivers[0].name;
}

void lights_driver_names(char *out, size_t out_size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        int n = snprintf(out + used, out_size - used, "%s%s", i ? ", " : "", drivers[i].name);
        if (n < 0 || (size_t)n >= out_size - used) {
            return; /* cut: a message, still readable */
        }
        used += (size_t)n;
    }
}

int lights_driver_line_count(const struct lights_driver_info *driver)
{
    int n = 0;
    while (driver != NULL && n < LIGHTS_DRIVER_MAX_LINES && driver->line_keys[n] != NULL) {
        n++;
    }
    return n;
}
