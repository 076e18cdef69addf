/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_drivers: the table of light drivers, one row each: the name `driver =` accepts in
 * [light.NAME], the line keys the driver needs (checked by lights_config.c), and how it is
 * opened (used by lights.c). A new driver is its own file (lights_driver.h declares its
 * open function) plus one row here; docs/architecture.md lists the files it touches.
 */
#ifndef OASE_LIGHTS_DRIVERS_H
#define OASE_LIGHTS_DRIVERS_H

#include <stdbool.h>
#include <stddef.h>

#include "lights/lights_config.h"

struct lights_driver;

#define LIGHTS_DRIVER_MAX_LINES 3

/* What opening a driver may need beyond its channel's own keys ([lights] settings). */
struct lights_open_env {
    int pwm_hz;            /* [lights] pwm_hz, for a channel without its own */
    bool pwm_realtime;     /* [lights] pwm_realtime: ask for SCHED_FIFO */
    bool realtime_refused; /* out: realtime was asked for and not given */
};

struct lights_driver_info {
    const char *name;                               /* driver = NAME */
    const char *line_keys[LIGHTS_DRIVER_MAX_LINES]; /* the lines it needs, by key; NULL ends */
    /* Opens the channel's hardware; NULL with why filled when it cannot be had. NULL for
     * sim, which has none. */
    struct lights_driver *(*open)(const struct lights_channel_config *channel,
                                  struct lights_open_env *env, char *why, size_t why_size);
};

/* The row of driver = name, or NULL. */
const struct lights_driver_info *lights_driver_find(const char *name);

/* "sim, gpio-pwm, ..." for messages: every name the table accepts. */
void lights_driver_names(char *out, size_t out_size);

/* How many line keys the driver needs (0 for sim). */
int lights_driver_line_count(const struct lights_driver_info *driver);

#endif
