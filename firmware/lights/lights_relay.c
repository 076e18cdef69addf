/* SPDX-License-Identifier: EUPL-1.2 */
/* lights_relay: on/off light through a relay module or SSR on one GPIO line. lights_tick()
 * -> set() with the faded lightness; hysteresis keeps a slow fade from chattering. */
#include <stdio.h>
#include <stdlib.h>

#include "lights/lights_driver.h"
#include "lights/lights_gpio.h"

struct relay_driver {
    struct lights_driver base;
    struct lights_gpio_line *line;
    double threshold;  /* L* at which it closes */
    double hysteresis; /* L* below the threshold before it opens */
    bool closed;       /* what the line was last set to */
};

static int relay_set(struct lights_driver *driver, double lightness, double output)
{
    (void)output;
    struct relay_driver *relay = (struct relay_driver *)driver;
    bool want = relay->closed;
    if (!(lightness > 0)) {
        want = false;
    } else if (!relay->closed && lightness >= relay->threshold) {
        want = true;
    } else if (relay->closed && lightness < relay->threshold - relay->hysteresis) {
        want = false;
    }
    if (want == relay->closed) {
        return 0;
    }
    int rc = lights_gpio_set(relay->line, want ? 1 : 0);
    if (rc == 0) {
        relay->closed = want;
    }
    return rc;
}

static void relay_close(struct lights_driver *driver)
{
    struct relay_driver *relay = (struct relay_driver *)driver;
    lights_gpio_close(relay->line);
    free(relay);
}

static const struct lights_driver_ops relay_ops = {.set = relay_set, .close = relay_close};

struct lights_driver *lights_relay_open(const struct lights_channel_config *channel, char *why,
                                        size_t why_size)
{
    struct relay_driver *relay = calloc(1, sizeof *relay);
    if (relay == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    relay->line =
        lights_gpio_open(channel->chip, channel->line, channel->active_low, 0, why, why_size);
    if (relay->line == NULL) {
        free(relay);
        return NULL;
    }
    relay->base.ops = &relay_ops;
    relay->threshold = channel->threshold_percent;
    relay->hysteresis = channel->hysteresis_percent;
    relay->closed = false;
    return &relay->base;
}

bool lights_relay_closed(const struct lights_driver *driver)
{
    return ((const struct relay_driver *)driver)->closed;
}
