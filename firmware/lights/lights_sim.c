/* SPDX-License-Identifier: EUPL-1.2 */
/* lights_sim: the driver without hardware (development, tests, machines without GPIO, and
 * channels whose lines are missing). lights.c shows its level in the status and the log. */
#include <stdlib.h>

#include "lights/lights_driver.h"

struct sim_driver {
    struct lights_driver base;
    double output; /* last output set, 0..1 */
};

static int sim_set(struct lights_driver *driver, double lightness, double output)
{
    (void)lightness;
    ((struct sim_driver *)driver)->output = output;
    return 0;
}

static void sim_close(struct lights_driver *driver)
{
    free(driver);
}

static const struct lights_driver_ops sim_ops = {.set = sim_set, .close = sim_close};

struct lights_driver *lights_sim_open(void)
{
    struct sim_driver *sim = calloc(1, sizeof *sim);
    if (sim == NULL) {
        return NULL;
    }
    sim->base.ops = &sim_ops;
    return &sim->base;
}
